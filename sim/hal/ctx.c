/*
 * sim/hal/ctx.c - the shared fiber layer over the context backends.
 *
 * Everything a backend does not: choosing a backend by name, placing its
 * state, starting a fiber through a trampoline, and telling the tools about
 * stack switches.
 *
 * Stack layout of a coroutine (addresses grow to the right):
 *
 *   lo            lo + CANARY                        ctx      lo + size
 *   | canary      | frames grow down from here <---- | backend state |
 *
 * The coroutine runs on [lo + MOS_STACK_CANARY_BYTES, ctx rounded down to
 * 16); the canary below it is checked by the kernel (mos__stack_canary_ok).
 * The backend state sits at the top so that creating a fiber never
 * allocates.  The trampoline is given the mos_fiber_t itself, so a fiber
 * must not move in memory between create and destroy.
 *
 * AddressSanitizer: every switch is bracketed by start/finish_switch_fiber.
 * The host's stack bounds are not known up front; they are learned from the
 * first finish_switch_fiber that runs in a coroutine (it reports the stack
 * it left, which is the host's: a coroutine's first run always starts from
 * the host, even though later direct yields switch fiber -> fiber),
 * reached through mos_fiber_t.peer, which every switch sets on its target.
 * Creating a fiber clears stale poison left on the stack by a coroutine that
 * was abandoned mid-call.  exit_to drops the dying fiber's fake stack.
 *
 * Valgrind: each coroutine stack is registered at create and deregistered at
 * destroy; valgrind_id holds the id + 1 (Valgrind's first id is 0), 0 when
 * not registered.
 */
#include "ctx.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctx_backends.h"
#include "multios/error.h"

/* A coroutine needs at least this much room for its own frames. */
#define MIN_FRAMES 4096u

#if defined(MOS_HAVE_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

static inline void asan_start(void **fake_save, const mos_fiber_t *to)
{
	__sanitizer_start_switch_fiber(fake_save, to->stack_lo, to->stack_size);
}

/* Complete a switch into self; learn the stack we came from if unknown. */
static inline void asan_finish(mos_fiber_t *self, void *fake)
{
	const void *bottom = NULL;
	size_t size = 0;

	__sanitizer_finish_switch_fiber(fake, &bottom, &size);
	if (self->peer && !self->peer->stack_lo) {
		self->peer->stack_lo = (void *)bottom;
		self->peer->stack_size = size;
	}
}

static inline void asan_unpoison(void *lo, size_t size)
{
	if (__asan_region_is_poisoned(lo, size))
		__asan_unpoison_memory_region(lo, size);
}
#else
static inline void asan_start(void **fake_save, const mos_fiber_t *to)
{
	(void)fake_save;
	(void)to;
}

static inline void asan_finish(mos_fiber_t *self, void *fake)
{
	(void)self;
	(void)fake;
}

static inline void asan_unpoison(void *lo, size_t size)
{
	(void)lo;
	(void)size;
}
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#define MOS_HAVE_VALGRIND 1
#endif
#endif

#if defined(MOS_HAVE_VALGRIND)
#include <valgrind/valgrind.h>

static inline unsigned vg_register(void *lo, size_t size)
{
	return (unsigned)VALGRIND_STACK_REGISTER(lo, (char *)lo + size - 1) + 1;
}

static inline void vg_deregister(unsigned id)
{
	VALGRIND_STACK_DEREGISTER(id - 1);
}
#else
static inline unsigned vg_register(void *lo, size_t size)
{
	(void)lo;
	(void)size;
	return 0;
}

static inline void vg_deregister(unsigned id)
{
	(void)id;
}
#endif

#define MOS__CTX_ENTRY(name) &mos__ctx_##name,
#define MOS__CTX_NAME(name) #name,
static const mos_ctx_backend_t *const backends[] = {
	MOS_CTX_BACKENDS(MOS__CTX_ENTRY) NULL
};
static const char *const names[] = { MOS_CTX_BACKENDS(MOS__CTX_NAME) NULL };

static const mos_ctx_backend_t *find_named(const char *name)
{
	for (size_t i = 0; backends[i]; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

const mos_ctx_backend_t *mos__ctx_backend_find(const char *name)
{
	const char *env;
	const mos_ctx_backend_t *b;

	if (!name)
		return NULL;
	if (strcmp(name, "auto") != 0)
		return find_named(name);
	/* An unknown MOS_CTX must not make kernel creation fail: fall back. */
	env = getenv("MOS_CTX");
	if (env && (b = find_named(env)))
		return b;
	return backends[0];
}

const char *const *mos__ctx_backend_names(void)
{
	return names;
}

static bool power_of_two(size_t x)
{
	return x && !(x & (x - 1));
}

int mos__fiber_host_init(mos_fiber_t *host, const mos_ctx_backend_t *b,
			 const mos_allocator_t *alloc)
{
	size_t extra, size;
	void *mem;

	if (!host || !b || !alloc || !power_of_two(b->ctx_align) ||
	    !b->ctx_size)
		return MOS_EINVAL;
	/* The allocator aligns as malloc does: a backend that wants more
	 * gets room to round up in. */
	extra = b->ctx_align > alignof(max_align_t) ? b->ctx_align - 1 : 0;
	size = b->ctx_size + extra;
	if (!(mem = alloc->malloc(alloc->ud, size)))
		return MOS_ENOMEM;
	/* Zeroed: the first swap away saves into it, but an ASan interceptor
	 * (swapcontext) reads the target context's fields before that. */
	memset(mem, 0, size);
	*host = (mos_fiber_t){
		.backend = b,
		.ctx = (void *)(((uintptr_t)mem + extra) &
				~(uintptr_t)(b->ctx_align - 1)),
		.ctx_mem = mem,
	};
	return 0;
}

void mos__fiber_host_fini(mos_fiber_t *host, const mos_allocator_t *alloc)
{
	if (host->ctx_mem)
		alloc->free(alloc->ud, host->ctx_mem);
	*host = (mos_fiber_t){ 0 };
}

/* First code run on a coroutine's stack. */
static void trampoline(void *p)
{
	mos_fiber_t *f = p;

	asan_finish(f, NULL); /* first entry: no fake stack to restore */
	f->entry(f->arg);
	abort(); /* entry must leave with mos__fiber_exit_to */
}

int mos__fiber_create(mos_fiber_t *f, const mos_ctx_backend_t *b,
		      mos_stack_t *stack, void (*entry)(void *), void *arg)
{
	uintptr_t base, top, ctx;
	int err;

	if (!f)
		return MOS_EINVAL;
	*f = (mos_fiber_t){ 0 }; /* so mos__fiber_destroy is safe on failure */
	if (!b || !stack || !stack->lo || !entry || !power_of_two(b->ctx_align))
		return MOS_EINVAL;
	base = (uintptr_t)stack->lo + MOS_STACK_CANARY_BYTES;
	top = (uintptr_t)stack->lo + stack->size;
	if (stack->size < MOS_STACK_CANARY_BYTES + b->ctx_size + MIN_FRAMES)
		return MOS_EINVAL;
	ctx = (top - b->ctx_size) & ~(uintptr_t)(b->ctx_align - 1);
	if ((ctx & ~(uintptr_t)15) < base + MIN_FRAMES)
		return MOS_EINVAL;
	*f = (mos_fiber_t){
		.backend = b,
		.ctx = (void *)ctx,
		.stack_lo = (void *)base,
		.stack_size = (ctx & ~(uintptr_t)15) - base,
		.entry = entry,
		.arg = arg,
	};
	asan_unpoison(stack->lo, stack->size);
	if ((err = b->make(f->ctx, f->stack_lo, f->stack_size, trampoline, f)))
		return err;
	f->valgrind_id = vg_register(f->stack_lo, top - base);
	return 0;
}

void mos__fiber_switch(mos_fiber_t *from, mos_fiber_t *to)
{
	to->peer = from;
	asan_start(&from->asan_fake_stack, to);
	from->backend->swap(from->ctx, to->ctx);
	asan_finish(from, from->asan_fake_stack);
}

void mos__fiber_switch_same_site(mos_fiber_t *from, mos_fiber_t *to)
{
	void (*swap)(void *, void *) = from->backend->swap_same_site;

	to->peer = from;
	asan_start(&from->asan_fake_stack, to);
	(swap ? swap : from->backend->swap)(from->ctx, to->ctx);
	asan_finish(from, from->asan_fake_stack);
}

_Noreturn void mos__fiber_exit_to(mos_fiber_t *from, mos_fiber_t *to)
{
	to->peer = from;
	asan_start(NULL, to); /* NULL: ASan frees this fiber's fake stack */
	from->backend->swap(from->ctx, to->ctx);
	abort(); /* nobody may switch back to a finished fiber */
}

void mos__fiber_destroy(mos_fiber_t *f)
{
	if (f->valgrind_id)
		vg_deregister(f->valgrind_id);
	f->valgrind_id = 0;
}
