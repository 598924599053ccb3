/*
 * src/sched/pheap.c - the process heap: the runnable processes of a heap
 * policy, smallest (key, key2, pid) first.
 *
 * A plain heap costs O(log n) per push and pop, and at 65 536 processes
 * the lower levels of the sift are cache misses.  But a scheduler's pushes
 * are mostly not random: a process that has just run goes back behind the
 * processes like it (same priority, same period, same weight: the same
 * class), as in round robin.  So every class keeps a run: its members in
 * ascending order, as a list through per-member arrays, of which only the
 * head is in the heap, standing for the whole run.  A push that goes
 * behind its class's last member (or before its first) is O(1) plus, for
 * the front, a sift; a pop replaces the run's head in the heap by the next
 * member.  The heap then holds one entry per class instead of one per
 * process.  A push that belongs in the middle of its run, or whose class
 * finds no free run (MOS_PHEAP_RUNS at once), goes into the heap alone.
 *
 * The order is exactly that of a single heap: the runs are sorted, each
 * is represented by its smallest member, and (key, key2, pid) is a strict
 * total order.  Class lookup is a mos_idmap_t, never iterated.  Only
 * attach allocates.
 */
#include <stdlib.h>
#include <string.h>

#include "multios/error.h"
#include "sched.h"

#define ARITY 4
#define NIL UINT32_MAX
#define ALONE (UINT32_MAX - 1) /* where[]: in the heap on its own */

static uint32_t slot_id(const mos_pheap_slot_t *s) { return (uint32_t)s->tie; }

/* Written without branches: which child is smallest is a coin toss to the
 * branch predictor, and a mispredict per level cost more than the rest of
 * the sift. */
static bool slot_less(const mos_pheap_slot_t *a, const mos_pheap_slot_t *b)
{
	return (a->key < b->key) |
	       ((a->key == b->key) &
		((a->key2 < b->key2) | ((a->key2 == b->key2) & (a->tie < b->tie))));
}

/* ---- the heap proper ------------------------------------------------------ */

static void put(mos_pheap_t *h, uint32_t i, const mos_pheap_slot_t *s)
{
	h->v[i] = *s;
	h->m[slot_id(s)].pos = i;
}

static void sift_up(mos_pheap_t *h, uint32_t i, mos_pheap_slot_t s)
{
	while (i > 0 && slot_less(&s, &h->v[(i - 1) / ARITY])) {
		put(h, i, &h->v[(i - 1) / ARITY]);
		i = (i - 1) / ARITY;
	}
	put(h, i, &s);
}

/* The grandchildren of i, one level ahead of the comparisons: the misses
 * of a deep sift overlap instead of queueing one behind the other.  Always
 * inlined: GCC deletes calls to a function that only prefetches. */
static inline __attribute__((always_inline)) void
prefetch_below(const mos_pheap_t *h, uint32_t first)
{
	uint32_t g = ARITY * first + 1;

	if (g >= h->n)
		return;
	for (uint32_t b = 0; b < ARITY * ARITY * sizeof(*h->v); b += 64)
		__builtin_prefetch((const char *)&h->v[g] + b);
}

static void sift_down(mos_pheap_t *h, uint32_t i, mos_pheap_slot_t s)
{
	for (;;) {
		uint32_t first = ARITY * i + 1, best = first;

		if (first >= h->n)
			break;
		prefetch_below(h, first);
		for (uint32_t c = first + 1; c < first + ARITY && c < h->n; c++)
			best = slot_less(&h->v[c], &h->v[best]) ? c : best;
		if (!slot_less(&h->v[best], &s))
			break;
		put(h, i, &h->v[best]);
		i = best;
	}
	put(h, i, &s);
}

/* Put slot s at position i, wherever the heap order wants it. */
static void fix(mos_pheap_t *h, uint32_t i, mos_pheap_slot_t s)
{
	if (i > 0 && slot_less(&s, &h->v[(i - 1) / ARITY]))
		sift_up(h, i, s);
	else
		sift_down(h, i, s);
}

static void heap_insert(mos_pheap_t *h, const mos_pheap_slot_t *s)
{
	sift_up(h, h->n++, *s);
}

static void heap_delete(mos_pheap_t *h, uint32_t i)
{
	if (--h->n != i)
		fix(h, i, h->v[h->n]);
}

/* ---- classes and their runs ---------------------------------------------- */

/*
 * A run that empties stays its class's, idle, so that a class whose only
 * member comes and goes (one process per priority) costs no table updates;
 * an idle run is reclaimed, oldest first, when a new class finds no free
 * run.  The idle runs form a list through run[].inext/iprev.
 */
static void idle_unlink(mos_pheap_t *h, uint32_t r)
{
	mos_pheap_run_t *run = &h->run[r];

	if (run->iprev != NIL)
		h->run[run->iprev].inext = run->inext;
	else
		h->idle = run->inext;
	if (run->inext != NIL)
		h->run[run->inext].iprev = run->iprev;
	else
		h->idle_last = run->iprev;
}

static void run_idle(mos_pheap_t *h, uint32_t r)
{
	mos_pheap_run_t *run = &h->run[r];

	run->head = run->tail = NIL;
	run->inext = NIL;
	run->iprev = h->idle_last;
	if (h->idle_last != NIL)
		h->run[h->idle_last].inext = r;
	else
		h->idle = r;
	h->idle_last = r;
}

/* Make member id the only one of run r (found idle, or new). */
static void run_start(mos_pheap_t *h, uint32_t r, uint32_t id)
{
	h->run[r].head = h->run[r].tail = id;
	h->m[id].next = h->m[id].prev = NIL;
	h->m[id].where = r;
}

/* A run for class cls, not yet started, or NIL when none is free. */
static uint32_t run_new(mos_pheap_t *h, uint64_t cls)
{
	uint32_t r;

	if (h->nrun_free) {
		r = h->run_free[--h->nrun_free];
	} else if ((r = h->idle) != NIL) {
		idle_unlink(h, r);
		mos__idmap_delete(&h->map, h->run[r].cls);
	} else {
		return NIL;
	}
	h->run[r].cls = cls;
	mos__idmap_insert(&h->map, cls, r);
	return r;
}

/* ---- the process heap ------------------------------------------------------ */

void mos__pheap_init(mos_pheap_t *h, const mos_allocator_t *alloc)
{
	memset(h, 0, sizeof(*h));
	h->alloc = alloc;
	mos__idmap_init(&h->map, h->map_key, h->map_val, 2 * MOS_PHEAP_RUNS);
	/* A stack: run 0 is handed out first. */
	for (uint32_t r = 0; r < MOS_PHEAP_RUNS; r++)
		h->run_free[r] = MOS_PHEAP_RUNS - 1 - r;
	h->nrun_free = MOS_PHEAP_RUNS;
	h->idle = h->idle_last = NIL;
}

void mos__pheap_fini(mos_pheap_t *h)
{
	mos__free(h->alloc, h->v);
	mos__free(h->alloc, h->m);
	mos__free(h->alloc, h->free);
}

static int grow(const mos_allocator_t *a, void **arr, uint32_t cap,
		size_t size)
{
	void *v = mos__realloc_array(a, *arr, cap, size);

	if (!v)
		return MOS_ENOMEM;
	*arr = v;
	return 0;
}

/* Grow the arrays to cap members.  On failure an array that did grow is
 * only larger than needed, and the first arrays, made by this call, are
 * freed: a failed attach leaves no new block behind. */
static int grow_all(mos_pheap_t *h, uint32_t cap)
{
	if (grow(h->alloc, (void **)&h->v, cap, sizeof(*h->v)) == 0 &&
	    grow(h->alloc, (void **)&h->m, cap, sizeof(*h->m)) == 0 &&
	    grow(h->alloc, (void **)&h->free, cap, sizeof(*h->free)) == 0)
		return 0;
	if (h->cap == 0) {
		mos__pheap_fini(h);
		h->v = NULL;
		h->m = NULL;
		h->free = NULL;
	}
	return MOS_ENOMEM;
}

int mos__pheap_attach(mos_pheap_t *h, mos_proc_t *p)
{
	uint32_t cap = h->cap ? h->cap * 2 : 16, id;

	if (h->nfree) {
		id = h->free[--h->nfree];
	} else {
		if (h->nids == h->cap) {
			if (cap < h->cap || cap >= ALONE ||
			    grow_all(h, cap) < 0)
				return MOS_ENOMEM;
			h->cap = cap;
		}
		id = h->nids++;
	}
	mos__sched_ent(p)->index = id;
	h->m[id].ent = mos__sched_ent(p);
	h->m[id].where = NIL;
	return 0;
}

void mos__pheap_detach(mos_pheap_t *h, mos_proc_t *p)
{
	h->free[h->nfree++] = mos__sched_ent(p)->index;
}

void mos__pheap_push(mos_pheap_t *h, mos_proc_t *p, uint64_t key,
		     uint64_t key2, uint64_t cls)
{
	mos_sched_ent_t *e = mos__sched_ent(p);
	uint64_t pid = (uint32_t)mos__sched_pid(p);
	mos_pheap_slot_t s = {key, key2, pid << 32 | e->index};
	uint32_t id = slot_id(&s), r = mos__idmap_find(&h->map, cls);

	e->queued = true;
	h->m[id].slot = s;
	if (r != NIL && h->run[r].head == NIL) {
		idle_unlink(h, r);
		run_start(h, r, id);
		heap_insert(h, &s);
		return;
	}
	if (r != NIL) {
		mos_pheap_run_t *run = &h->run[r];

		if (!slot_less(&s, &h->m[run->tail].slot)) {
			/* Behind the last: the common case, no sift. */
			h->m[run->tail].next = id;
			h->m[id].prev = run->tail;
			h->m[id].next = NIL;
			run->tail = id;
			h->m[id].where = r;
			return;
		}
		if (slot_less(&s, &h->m[run->head].slot)) {
			/* Before the first: it stands for the run now, at the
			 * old head's place or above. */
			uint32_t i = h->m[run->head].pos;

			h->m[run->head].prev = id;
			h->m[id].next = run->head;
			h->m[id].prev = NIL;
			run->head = id;
			h->m[id].where = r;
			sift_up(h, i, s);
			return;
		}
	} else if ((r = run_new(h, cls)) != NIL) {
		run_start(h, r, id);
		heap_insert(h, &s);
		return;
	}
	h->m[id].where = ALONE;
	heap_insert(h, &s);
}

/* Take member id out of the queue, wherever it is. */
static void take(mos_pheap_t *h, uint32_t id)
{
	uint32_t r = h->m[id].where, nx, pv;
	mos_pheap_run_t *run;

	if (r == NIL) /* not queued */
		return;
	h->m[id].where = NIL;
	if (r == ALONE) {
		heap_delete(h, h->m[id].pos);
		return;
	}
	run = &h->run[r];
	nx = h->m[id].next;
	pv = h->m[id].prev;
	if (id != run->head) { /* inside the run: not in the heap */
		h->m[pv].next = nx;
		if (nx != NIL)
			h->m[nx].prev = pv;
		else
			run->tail = pv;
		return;
	}
	if (nx == NIL) {
		run_idle(h, r);
		heap_delete(h, h->m[id].pos);
		return;
	}
	/* The next member stands for the run: not smaller, so it can only
	 * go down from the old head's place. */
	run->head = nx;
	h->m[nx].prev = NIL;
	sift_down(h, h->m[id].pos, h->m[nx].slot);
}

void mos__pheap_remove(mos_pheap_t *h, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->queued = false;
	take(h, e->index);
}

mos_proc_t *mos__pheap_peek(const mos_pheap_t *h)
{
	return h->n ? mos__sched_proc(h->m[slot_id(&h->v[0])].ent) : NULL;
}

mos_proc_t *mos__pheap_pop(mos_pheap_t *h)
{
	mos_proc_t *p = mos__pheap_peek(h);

	if (p)
		mos__pheap_remove(h, p);
	return p;
}

bool mos__pheap_min_key(const mos_pheap_t *h, uint64_t *key)
{
	if (!h->n)
		return false;
	*key = h->v[0].key;
	return true;
}
