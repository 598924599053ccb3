/*
 * sim/hal/ctx.h - coroutine contexts: backends and the shared fiber layer.
 *
 * A context backend implements only two things (as SimGrid's context
 * factories do): make a context that will run entry(arg) on a given stack,
 * and swap from one context to another.  Everything else lives once, in the
 * shared layer (ctx.c): placing the backend's state, the trampoline that
 * starts a fiber, AddressSanitizer fiber annotations on every switch, and
 * Valgrind stack registration.
 *
 * A fiber is either the host fiber (the thread's own stack, where the kernel
 * runs) or a coroutine on a pooled stack.  Most switches go host <-> fiber;
 * a direct yield (src/kernel/kernel.c) switches from one coroutine straight
 * to another.  A coroutine's first run always starts from the host.
 */
#ifndef MOS_HAL_CTX_H
#define MOS_HAL_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multios/config.h"
#include "stack.h"

typedef struct mos_ctx_backend {
	const char *name;
	size_t ctx_size;  /* bytes of backend state per context */
	size_t ctx_align;
	/* Prepare ctx so that the first swap to it runs entry(arg) on
	 * [stack, stack + size).  Returns 0 or MOS_ENOMEM/MOS_EINVAL. */
	int (*make)(void *ctx, void *stack, size_t size,
		    void (*entry)(void *), void *arg);
	/* Save the running context into from and resume to. */
	void (*swap)(void *from, void *to);
	/* The same, for a switch between two contexts suspended at the same
	 * call site (a process yielding straight to another that yielded
	 * the same way): a backend that leaves swap with an indirect jump
	 * (asm) may leave this one with a return, which the CPU's
	 * return-stack buffer then predicts.  NULL: swap. */
	void (*swap_same_site)(void *from, void *to);
} mos_ctx_backend_t;

typedef struct mos_fiber {
	const mos_ctx_backend_t *backend;
	void *ctx;              /* backend state */
	void *stack_lo;         /* NULL for the host until first learned */
	size_t stack_size;
	void (*entry)(void *);
	void *arg;
	void *asan_fake_stack;  /* AddressSanitizer bookkeeping */
	unsigned valgrind_id;
	void *ctx_mem;          /* host fiber: the allocation ctx lies in */
	struct mos_fiber *peer; /* who switched to this fiber last (ctx.c only:
				 * ASan learns the host's stack through it) */
} mos_fiber_t;

/*
 * Start loading what switching to f will touch of its saved context: the
 * backend's state at the top of f's stack and, for the asm backend, the
 * frame its saved stack pointer points at (the switch pops it).  For
 * another backend that second word is some other value: prefetching it is
 * harmless, a prefetch never faults.  Always inlined: GCC deletes calls to
 * a function that only prefetches.
 */
static inline __attribute__((always_inline)) void
mos__fiber_prefetch(const mos_fiber_t *f)
{
	const void *const *ctx = f->ctx;

	if (ctx) {
		__builtin_prefetch(ctx, 1);
		__builtin_prefetch(*ctx, 1);
		__builtin_prefetch((const char *)*ctx + 64, 1);
	}
}

/*
 * Whether the coroutine f, its stack pointer at sp, may still go `need`
 * bytes deeper before it writes into its stack's canary.  Reads only f
 * (stack_lo is the lowest byte above the canary), never the stack's
 * descriptor or memory: with thousands of processes those are cache
 * misses, and a hot path asks this on every switch.
 */
static inline bool mos__fiber_has_room(const mos_fiber_t *f, uintptr_t sp,
				       size_t need)
{
	return sp >= (uintptr_t)f->stack_lo + need;
}

/*
 * The backend called name: "ucontext", "asm" (where compiled in), or "auto"
 * (the best available; honours the environment variable MOS_CTX when set).
 * NULL when unknown.
 */
const mos_ctx_backend_t *mos__ctx_backend_find(const char *name);

/* Names of the compiled-in backends, NULL-terminated. */
const char *const *mos__ctx_backend_names(void);

/* Make host the fiber for the calling thread's own stack, its backend
 * state from alloc (resolved: all three set).  MOS_EINVAL, MOS_ENOMEM. */
int mos__fiber_host_init(mos_fiber_t *host, const mos_ctx_backend_t *b,
			 const mos_allocator_t *alloc);
/* Free the host's backend state (alloc: the one init was given). */
void mos__fiber_host_fini(mos_fiber_t *host, const mos_allocator_t *alloc);

/*
 * Make f a coroutine that runs entry(arg) on stack when first switched to.
 * The backend state is carved from the top of the stack, so this does not
 * allocate.  entry must never return: a finished fiber leaves with
 * mos__fiber_exit_to.  Errors: MOS_EINVAL.
 */
int mos__fiber_create(mos_fiber_t *f, const mos_ctx_backend_t *b,
		      mos_stack_t *stack, void (*entry)(void *), void *arg);

/* Switch from the running fiber `from` to `to`; returns when switched back. */
void mos__fiber_switch(mos_fiber_t *from, mos_fiber_t *to);
/* mos__fiber_switch from a call site where `to` is usually suspended too
 * (the backend's swap_same_site). */
void mos__fiber_switch_same_site(mos_fiber_t *from, mos_fiber_t *to);

/* Last switch away from a finished fiber (its stack may be reused after). */
_Noreturn void mos__fiber_exit_to(mos_fiber_t *from, mos_fiber_t *to);

/* Release Valgrind registration for a coroutine that will never run again. */
void mos__fiber_destroy(mos_fiber_t *f);

#endif
