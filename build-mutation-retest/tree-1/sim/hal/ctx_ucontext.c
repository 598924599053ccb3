/*
 * sim/hal/ctx_ucontext.c - the portable context backend (POSIX ucontext).
 *
 * Works wherever glibc has makecontext/swapcontext.  It is the slow one:
 * glibc's swapcontext saves and restores the signal mask with a system call
 * on every switch.  The shared layer (ctx.c) places this state, zeroed for
 * the host, and handles the sanitizer and Valgrind bookkeeping.
 *
 * makecontext passes only int arguments, so the pointer to our state is split
 * into two 32-bit halves and put together again in start().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#include "ctx_backends.h"
#include "multios/error.h"

struct uctx {
	ucontext_t uc;
	void (*entry)(void *);
	void *arg;
};

static void start(unsigned hi, unsigned lo)
{
	struct uctx *c = (struct uctx *)(uintptr_t)(((uint64_t)hi << 32) | lo);

	c->entry(c->arg);
	abort(); /* entry must never return: uc_link is NULL */
}

static int make(void *ctx, void *stack, size_t size, void (*entry)(void *),
		void *arg)
{
	struct uctx *c = ctx;
	uint64_t p = (uintptr_t)c;

	if (getcontext(&c->uc) != 0)
		return MOS_EINVAL;
	c->uc.uc_link = NULL;
	c->uc.uc_stack.ss_sp = stack;
	c->uc.uc_stack.ss_size = size;
	c->uc.uc_stack.ss_flags = 0;
	c->entry = entry;
	c->arg = arg;
	makecontext(&c->uc, (void (*)(void))start, 2, (unsigned)(p >> 32),
		    (unsigned)(p & UINT32_MAX));
	return 0;
}

#if defined(MOS_HAVE_ASAN)
/*
 * AddressSanitizer intercepts swapcontext: it prints a "may produce false
 * positives" warning and wipes the target stack's shadow behind the back of
 * the fiber annotations in ctx.c.  getcontext + setcontext do the same
 * switch unintercepted (one more sigprocmask call, sanitizer builds only).
 */
static void swap(void *from, void *to)
{
	struct uctx *f = from, *t = to;
	volatile bool resumed = false;

	if (getcontext(&f->uc) != 0)
		abort();
	if (resumed) /* getcontext returned again: someone switched back */
		return;
	resumed = true;
	setcontext(&t->uc);
	abort(); /* setcontext returns only on failure */
}
#else
static void swap(void *from, void *to)
{
	struct uctx *f = from, *t = to;

	/* Fails only with a corrupted context; carrying on would be worse. */
	if (swapcontext(&f->uc, &t->uc) != 0)
		abort();
}
#endif

const mos_ctx_backend_t mos__ctx_ucontext = {
	.name = "ucontext",
	.ctx_size = sizeof(struct uctx),
	.ctx_align = _Alignof(struct uctx),
	.make = make,
	.swap = swap,
};
