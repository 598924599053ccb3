/*
 * src/resource/mem.c - the simulated memory manager: heap allocations
 * charged to a process, its groups (memory.max) and the machine
 * (resources.memory_size), and the declared stack depth
 * (max_stack_size).
 *
 * A charge is checked against the process's max_memory (heap plus
 * stack), then each group from the process's up to the root, then the
 * machine, and made only once all of them pass, so a refused call changes
 * nothing but the violation it counts.  The current values are kept
 * whatever the accounting switch (limits are enforced on them); the
 * per-process peaks only with accounting on.  The machine's use is kept
 * here and mirrored in the kernel's stats (memory_used, memory_peak).
 */
#include <string.h>

#include "res_local.h"
#include "signal/signal_int.h"
#include "util/alloc.h"

/* A handle: the slot's index in its low SLOT_BITS, the serial above.
 * 2^24 live allocations per process leave the serial 40 bits: 2^40
 * handles in a kernel's life before it refuses (never reusing one). */
#define SLOT_BITS 24
#define SLOT_MASK ((1u << SLOT_BITS) - 1)
#define MAX_SLOTS (1u << SLOT_BITS)
#define SERIAL_MAX ((UINT64_C(1) << (64 - SLOT_BITS)) - 1)

/* ---- the charge -------------------------------------------------------- */

/* Why a charge is refused: MOS_ELIMIT with the violation's resource, the
 * value it would have reached and the limit, or MOS_ENOMEM. */
typedef struct refusal {
	unsigned what;
	uint64_t value, limit;
} refusal_t;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The machine is full: tell the kernel-event subscribers (the admin's
 * OOM response, multios/admin.h).  No violation: it is no limit. */
static void oom_event(mos_kernel_t *k, mos_proc_t *p, uint64_t value,
			 uint64_t size)
{
	mos_kevent_t ev = {
		.type = MOS_KEV_OOM, .pid = mos__proc_pid(p),
		.from = mos__proc_state(p), .to = mos__proc_state(p),
		.a = value, .b = size,
	};

	mos__kev_emit(k, &ev, p);
}

/* Whether `add` more bytes fit p's max_memory, its groups and the
 * machine: 0, MOS_ELIMIT (*why set) or MOS_ENOMEM. */
static int check(mos_kernel_t *k, mos_proc_t *p, uint64_t add, refusal_t *why)
{
	const mos_res_proc_t *rp = mos__res(p);
	const mos_res_mem_kernel_t *m = &mos__kernel_res(k)->mem;
	uint64_t cur = rp->mem.heap + rp->mem.stack;
	uint64_t size = mos__kernel_config(k)->res.memory_size;
	mos_rgroup_t *g;

	if (rp->soft.max_memory != MOS_RLIM_INFINITY &&
	    (add > rp->soft.max_memory || cur > rp->soft.max_memory - add)) {
		*why = (refusal_t){MOS_RLIMIT_MEMORY, sat_add(cur, add),
				   rp->soft.max_memory};
		return MOS_ELIMIT;
	}
	if ((g = mos__rgroup_memory_over(mos__res_group_of(k, p), add))) {
		*why = (refusal_t){MOS_RES_GROUP_MEMORY, sat_add(g->memory, add),
				   g->limits.memory_max};
		return MOS_ELIMIT;
	}
	if (add > size || m->used > size - add) {
		oom_event(k, p, sat_add(m->used, add), size);
		return MOS_ENOMEM;
	}
	return 0;
}

static void publish(mos_kernel_t *k, const mos_res_mem_kernel_t *m)
{
	mos_kernel_stats_t *st = mos__kernel_stats(k);

	st->memory_used = m->used;
	st->memory_peak = m->peak;
}

/* Charge `add` bytes (checked) to p's groups and the machine, and its
 * heap or stack. */
static void charge(mos_kernel_t *k, mos_proc_t *p, uint64_t add, bool stack)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_res_mem_t *mm = &rp->mem;
	mos_res_mem_kernel_t *m = &mos__kernel_res(k)->mem;

	mos__res_touch(rp, MOS_RES_TOUCH_MEM);
	mos__rgroup_memory_charge(mos__res_group_of(k, p), add);
	m->used += add;
	if (m->used > m->peak)
		m->peak = m->used;
	publish(k, m);
	if (stack)
		mm->stack += add;
	else
		mm->heap += add;
	if (!mos__res_accounting(k, p))
		return;
	if (mm->heap > mm->heap_peak)
		mm->heap_peak = mm->heap;
	if (mm->stack > mm->stack_peak)
		mm->stack_peak = mm->stack;
	if (mm->heap + mm->stack > mm->peak)
		mm->peak = mm->heap + mm->stack;
}

static void uncharge(mos_kernel_t *k, mos_proc_t *p, uint64_t sub, bool stack)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_res_mem_kernel_t *m = &mos__kernel_res(k)->mem;

	mos__rgroup_memory_uncharge(mos__res_group_of(k, p), sub);
	m->used -= sub;
	publish(k, m);
	if (stack)
		rp->mem.stack -= sub;
	else
		rp->mem.heap -= sub;
}

/* ---- the table of allocations ---------------------------------------- */

/* A free slot's index, growing the table (doubling) when it is full:
 * MOS_ENOMEM when it cannot. */
static int slot_get(mos_kernel_t *k, mos_res_mem_t *mm, uint32_t *idx)
{
	mos_mem_slot_t *v;
	uint32_t cap;

	if (mm->free_head) {
		*idx = mm->free_head - 1;
		return 0;
	}
	if (mm->nslots == mm->cap) {
		if (mm->cap >= MAX_SLOTS)
			return MOS_ENOMEM;
		cap = mm->cap ? (mm->cap > MAX_SLOTS / 2 ? MAX_SLOTS : mm->cap * 2)
			      : 8;
		v = mos__realloc_array(mos__kernel_alloc(k), mm->slots, cap,
				       sizeof(*v));
		if (!v)
			return MOS_ENOMEM;
		mm->slots = v;
		mm->cap = cap;
	}
	*idx = mm->nslots;
	return 0;
}

/* The live slot `handle` names in p's table, or NULL. */
static mos_mem_slot_t *slot_find(mos_res_mem_t *mm, mos_mem_handle_t handle)
{
	uint64_t idx = handle & SLOT_MASK;

	if (handle == 0 || idx >= mm->nslots || mm->slots[idx].handle != handle)
		return NULL;
	return &mm->slots[idx];
}

static mos_mem_handle_t next_handle(mos_res_mem_kernel_t *m, uint32_t idx)
{
	return (++m->serial << SLOT_BITS) | idx;
}

/* Take slot idx (from slot_get) for an allocation. */
static void slot_take(mos_res_mem_t *mm, uint32_t idx)
{
	if (mm->free_head == idx + 1)
		mm->free_head = mm->slots[idx].next_free;
	else
		mm->nslots++;
	mm->live++;
}

static void slot_put(const mos_allocator_t *a, mos_res_mem_t *mm,
		     mos_mem_slot_t *s)
{
	mos__free(a, s->ptr);
	s->ptr = NULL;
	s->handle = 0;
	s->size = 0;
	s->next_free = mm->free_head;
	mm->free_head = (uint32_t)(s - mm->slots) + 1;
	mm->live--;
}

/* ---- the calls --------------------------------------------------------- */

int mos_sys_alloc(mos_proc_t *self, uint64_t bytes, mos_mem_handle_t *handle)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_ALLOC);
	const mos_allocator_t *a = mos__kernel_alloc(k);
	mos_res_mem_t *mm = &mos__res(self)->mem;
	refusal_t why;
	uint32_t idx;
	void *ptr = NULL;
	int err;

	if (!handle || bytes == 0)
		return MOS_EINVAL;
	if ((err = check(k, self, bytes, &why)) < 0) {
		if (err == MOS_ELIMIT)
			mos__res_violation(k, self, why.what, why.value,
					   why.limit);
		return err;
	}
	if (mos__kernel_res(k)->mem.serial == SERIAL_MAX)
		return MOS_EEXHAUSTED; /* a handle is never given twice */
	if ((err = slot_get(k, mm, &idx)) < 0)
		return err;
	mos__res_touch(mos__res(self), MOS_RES_TOUCH_MEM); /* slots to free */
	if (mos__kernel_config(k)->res.memory_backing &&
	    (bytes > SIZE_MAX || !(ptr = mos__malloc(a, (size_t)bytes))))
		return MOS_ENOMEM;
	slot_take(mm, idx);
	mm->slots[idx] = (mos_mem_slot_t){
		.handle = next_handle(&mos__kernel_res(k)->mem, idx),
		.size = bytes,
		.ptr = ptr,
	};
	charge(k, self, bytes, false);
	*handle = mm->slots[idx].handle;
	return 0;
}

int mos_sys_free(mos_proc_t *self, mos_mem_handle_t handle)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_FREE);
	mos_res_mem_t *mm = &mos__res(self)->mem;
	mos_mem_slot_t *s = slot_find(mm, handle);

	if (!s)
		return MOS_EINVAL;
	uncharge(k, self, s->size, false);
	slot_put(mos__kernel_alloc(k), mm, s);
	return 0;
}

int mos_sys_stack_use(mos_proc_t *self, uint64_t bytes)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_STACK_USE);
	mos_res_proc_t *rp = mos__res(self);
	uint64_t old = rp->mem.stack;
	refusal_t why;
	int err;

	if (bytes <= old) {
		uncharge(k, self, old - bytes, true);
		return 0;
	}
	if (bytes > rp->soft.max_stack_size) {
		why = (refusal_t){MOS_RLIMIT_STACK, bytes, rp->soft.max_stack_size};
		err = MOS_ELIMIT;
	} else {
		err = check(k, self, bytes - old, &why);
	}
	if (err == 0) {
		charge(k, self, bytes - old, true);
		return 0;
	}
	if (err == MOS_ELIMIT)
		mos__res_violation(k, self, why.what, why.value, why.limit);
	/* A fault, forced as Linux's force_sig_fault: blocked or ignored,
	 * SIGSEGV goes back to its default action, which kills the caller
	 * here and now; only an unblocked handler runs instead. */
	mos__sig_force(k, self, MOS_SIGSEGV);
	return mos__sys_leave(self, err);
}

int mos_sys_mem_ptr(mos_proc_t *self, mos_mem_handle_t handle, void **ptr)
{
	mos_mem_slot_t *s;

	if (!self || !ptr || mos__kernel_on_cpu(mos__proc_kernel(self)) != self)
		return MOS_EINVAL;
	if (!(s = slot_find(&mos__res(self)->mem, handle)) || !s->ptr)
		return MOS_EINVAL;
	*ptr = s->ptr;
	return 0;
}

/* ---- the module -------------------------------------------------------- */

/* Everything p holds goes back: its host memory, its charges. */
static void mem_exit(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_mem_t *mm = &mos__res(p)->mem;
	const mos_allocator_t *a = mos__kernel_alloc(k);

	for (uint32_t i = 0; i < mm->nslots && mm->live; i++)
		if (mm->slots[i].handle)
			slot_put(a, mm, &mm->slots[i]);
	if (mm->heap)
		uncharge(k, p, mm->heap, false);
	if (mm->stack)
		uncharge(k, p, mm->stack, true);
}

static void mem_release(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_mem_t *mm = &mos__res(p)->mem;

	mem_exit(k, p); /* nothing left, unless it never died */
	mos__free(mos__kernel_alloc(k), mm->slots);
	mm->slots = NULL;
	mm->nslots = mm->cap = mm->free_head = 0;
}

static void mem_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->heap_current = rp->mem.heap;
	u->heap_peak = rp->mem.heap_peak;
	u->stack_current = rp->mem.stack;
	u->stack_peak = rp->mem.stack_peak;
	u->memory_current = rp->mem.heap + rp->mem.stack;
	u->memory_peak = rp->mem.peak;
	u->allocations = rp->mem.live;
}

const mos_res_module_t mos__res_mem_module = {
	.name = "memory",
	.exit = mem_exit,
	.release = mem_release,
	.lazy = MOS_RES_TOUCH_MEM,
	.fill = mem_fill,
};
