/*
 * tests/test_hal.c - the simulated HAL: stack pool, fibers on every context
 * backend, the timer heap and the clock backends.
 *
 * Each Criterion test runs in its own process.  Fiber tests loop over every
 * compiled-in backend (mos__ctx_backend_names), so a new backend is tested
 * by being listed.  Nothing here waits on wall time but the realtime
 * clock's pacing test (100 ms).
 */
#include <criterion/criterion.h>
#include <fenv.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <uv.h>

#include "sim/hal/clock.h"
#include "sim/hal/ctx.h"
#include "sim/hal/stack.h"
#include "sim/hal/timer.h"
#include "util/alloc.h"
#include "timeout.h"

TestSuite(hal_stack, .timeout = T_TIMEOUT);
TestSuite(hal_fiber, .timeout = T_TIMEOUT);
TestSuite(hal_ctx, .timeout = T_TIMEOUT);
TestSuite(hal_timer, .timeout = T_TIMEOUT);
TestSuite(hal_clock, .timeout = T_TIMEOUT);

/* ------------------------------------------------------------------ stacks */

Test(hal_stack, init_rounds_and_clamps)
{
	mos_stack_pool_t p;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);

	cr_assert_eq(mos__stack_pool_init(&p, 1, false, mos__alloc_libc()), 0);
	cr_assert_eq(p.stack_size, MOS_STACK_MIN);
	cr_assert_eq(p.total, 0);
	mos__stack_pool_fini(&p);
	cr_assert_eq(mos__stack_pool_init(&p, MOS_STACK_MIN + 1, false, mos__alloc_libc()), 0);
	cr_assert_eq(p.stack_size % ps, 0);
	cr_assert_geq(p.stack_size, MOS_STACK_MIN + 1);
	mos__stack_pool_fini(&p);
	cr_assert_eq(mos__stack_pool_init(NULL, 65536, false, mos__alloc_libc()), MOS_EINVAL);
	cr_assert_eq(mos__stack_pool_init(&p, SIZE_MAX, false, mos__alloc_libc()), MOS_EINVAL);
}

Test(hal_stack, recycling_is_lifo)
{
	mos_stack_pool_t p;
	mos_stack_t *a, *b, *c;
	size_t total;

	cr_assert_eq(mos__stack_pool_init(&p, 64 * 1024, false, mos__alloc_libc()), 0);
	cr_assert_eq(mos__stack_get(&p, &a), 0);
	cr_assert_eq(mos__stack_get(&p, &b), 0);
	cr_assert_neq(a, b);
	cr_assert_eq(a->size, p.stack_size);
	cr_assert_eq(p.in_use, 2);
	total = p.total;
	mos__stack_put(&p, a);
	mos__stack_put(&p, b);
	cr_assert_eq(p.in_use, 0);
	cr_assert_eq(mos__stack_get(&p, &c), 0);
	cr_assert_eq(c, b, "the last stack put back comes out first");
	cr_assert_eq(mos__stack_get(&p, &c), 0);
	cr_assert_eq(c, a);
	cr_assert_eq(p.total, total, "recycling carves no new stacks");
	mos__stack_pool_fini(&p);
}

Test(hal_stack, canary_detects_write_below_usable_area)
{
	mos_stack_pool_t p;
	mos_stack_t *s;

	cr_assert_eq(mos__stack_pool_init(&p, 0, false, mos__alloc_libc()), 0);
	cr_assert_eq(mos__stack_get(&p, &s), 0);
	cr_assert(mos__stack_canary_ok(s));
	/* The byte just below the usable area, then the lowest byte. */
	((volatile char *)s->lo)[MOS_STACK_CANARY_BYTES - 1] ^= 1;
	cr_assert_not(mos__stack_canary_ok(s));
	((volatile char *)s->lo)[MOS_STACK_CANARY_BYTES - 1] ^= 1;
	cr_assert(mos__stack_canary_ok(s));
	((volatile char *)s->lo)[0] ^= 0x80;
	cr_assert_not(mos__stack_canary_ok(s));
	/* Writes in the usable area do not trip it. */
	((volatile char *)s->lo)[0] ^= 0x80;
	memset((char *)s->lo + MOS_STACK_CANARY_BYTES, 0xff,
	       s->size - MOS_STACK_CANARY_BYTES);
	cr_assert(mos__stack_canary_ok(s));
	mos__stack_pool_fini(&p);
}

Test(hal_stack, canary_rearmed_on_reuse)
{
	mos_stack_pool_t p;
	mos_stack_t *s, *t;

	cr_assert_eq(mos__stack_pool_init(&p, 0, false, mos__alloc_libc()), 0);
	cr_assert_eq(mos__stack_get(&p, &s), 0);
	memset(s->lo, 0xa5, MOS_STACK_CANARY_BYTES); /* an overflow's frames */
	cr_assert_not(mos__stack_canary_ok(s));
	mos__stack_put(&p, s);
	cr_assert_eq(mos__stack_get(&p, &t), 0);
	cr_assert_eq(t, s);
	cr_assert(mos__stack_canary_ok(t));
	mos__stack_pool_fini(&p);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a;
	uintptr_t y = (uintptr_t) * (void *const *)b;

	return (x > y) - (x < y);
}

/* More stacks than vm.max_map_count allows mappings: slabs make it work. */
Test(hal_stack, many_stacks_without_guards, .timeout = 120)
{
	enum { N = 65536 };
	mos_stack_pool_t p;
	mos_stack_t **v = malloc(N * sizeof(*v));
	void **lo = malloc(N * sizeof(*lo));
	size_t total;

	cr_assert(v && lo);
	cr_assert_eq(mos__stack_pool_init(&p, 64 * 1024, false, mos__alloc_libc()), 0);
	for (size_t i = 0; i < N; i++) {
		cr_assert_eq(mos__stack_get(&p, &v[i]), 0, "stack %zu", i);
		lo[i] = v[i]->lo;
	}
	cr_assert_eq(p.total, N);
	cr_assert_eq(p.in_use, N);
	qsort(lo, N, sizeof(*lo), cmp_ptr);
	for (size_t i = 1; i < N; i++)
		cr_assert_geq((char *)lo[i] - (char *)lo[i - 1],
			      (ptrdiff_t)p.stack_size, "stacks overlap");
	total = p.total;
	for (size_t i = 0; i < N; i++)
		mos__stack_put(&p, v[i]);
	cr_assert_eq(p.in_use, 0);
	for (size_t i = 0; i < N; i++)
		cr_assert_eq(mos__stack_get(&p, &v[i]), 0);
	cr_assert_eq(p.total, total, "a full reuse maps nothing new");
	for (size_t i = 0; i < N; i++)
		cr_assert(mos__stack_canary_ok(v[i]));
	mos__stack_pool_fini(&p);
	free(v);
	free(lo);
}

/* The kernel reports EFAULT instead of faulting when write(2) is handed an
 * inaccessible buffer, which lets us probe a guard page safely. */
static bool readable(const void *addr)
{
	int fd[2];
	ssize_t n;

	cr_assert_eq(pipe(fd), 0);
	n = write(fd[1], addr, 1);
	close(fd[0]);
	close(fd[1]);
	return n == 1;
}

static bool resident(const void *addr)
{
	unsigned char v = 0;
	uintptr_t page = (uintptr_t)addr & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);

	cr_assert_eq(mincore((void *)page, 1, &v), 0);
	return v & 1;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/*
 * Prefaulting a stack faults in the top page of every stack of its slab,
 * and nothing else (the canaries stay untouched), when the host kernel
 * can populate pages (Linux 5.14+); where it cannot, nothing changes.
 */
Test(hal_stack, prefault_populates_the_slab_top_pages)
{
	mos_stack_pool_t p;
	mos_stack_t *a, *b;
	long ps = sysconf(_SC_PAGESIZE);
	char *probe = mmap(NULL, (size_t)ps, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool can = madvise(probe, (size_t)ps, MADV_POPULATE_WRITE) == 0;

	munmap(probe, (size_t)ps);
	cr_assert_eq(mos__stack_pool_init(&p, 64 * 1024, false, mos__alloc_libc()), 0);
	cr_assert_eq(mos__stack_get(&p, &a), 0);
	cr_assert_eq(mos__stack_get(&p, &b), 0);
	cr_assert(!resident((char *)b->lo + b->size - 1));
	mos__stack_prefault(&p, a);
	cr_assert_eq(resident((char *)a->lo + a->size - 1), can);
	cr_assert_eq(resident((char *)b->lo + b->size - 1), can);
	cr_assert(!resident(b->lo), "the canary page was touched");
	cr_assert(!resident((char *)b->lo + b->size - ps - 1));
	cr_assert(mos__stack_canary_ok(a) && mos__stack_canary_ok(b));
	mos__stack_prefault(&p, b); /* once per slab: a no-op now */
	mos__stack_put(&p, a);
	mos__stack_put(&p, b);
	mos__stack_pool_fini(&p);
}

Test(hal_stack, guard_pages)
{
	mos_stack_pool_t p;
	mos_stack_t *a, *b;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);

	cr_assert_eq(mos__stack_pool_init(&p, 64 * 1024, true, mos__alloc_libc()), 0);
	cr_assert_eq(mos__stack_get(&p, &a), 0);
	cr_assert_eq(mos__stack_get(&p, &b), 0);
	cr_assert_eq((char *)b->lo - (char *)a->lo,
		     (ptrdiff_t)(p.stack_size + ps));
	cr_assert(readable(a->lo));
	cr_assert(readable((char *)a->lo + a->size - 1));
	cr_assert_not(readable((char *)a->lo - 1));
	cr_assert_not(readable((char *)b->lo - ps));
	cr_assert(mos__stack_canary_ok(a));
	mos__stack_pool_fini(&p);
}

Test(hal_stack, huge_stacks_get_small_slabs)
{
	mos_stack_pool_t p;
	mos_stack_t *s;

	cr_assert_eq(mos__stack_pool_init(&p, (size_t)256 << 20, true, mos__alloc_libc()), 0);
	cr_assert_eq(mos__stack_get(&p, &s), 0);
	cr_assert_eq(p.total, 1, "a 256 MiB stack gets a slab of its own");
	cr_assert(mos__stack_canary_ok(s));
	mos__stack_pool_fini(&p);
}

/* ------------------------------------------------------------------ fibers */

struct rig {
	const mos_ctx_backend_t *b;
	mos_stack_pool_t pool;
	mos_fiber_t host;
};

static void rig_open(struct rig *r, const char *backend)
{
	r->b = mos__ctx_backend_find(backend);
	cr_assert_not_null(r->b, "backend %s", backend);
	cr_assert_eq(mos__stack_pool_init(&r->pool, 64 * 1024, true, mos__alloc_libc()), 0);
	cr_assert_eq(mos__fiber_host_init(&r->host, r->b, mos__alloc_libc()), 0);
}

static void rig_close(struct rig *r)
{
	mos__fiber_host_fini(&r->host, mos__alloc_libc());
	cr_assert_eq(r->pool.in_use, 0);
	mos__stack_pool_fini(&r->pool);
}

struct co {
	struct rig *r;
	mos_fiber_t f;
	mos_stack_t *s;
	int id;
	long steps;   /* switches the coroutine makes before it exits */
	long counter; /* bumped once per step by the coroutine */
	char *local;  /* frame address of the coroutine */
	int *log;     /* shared order log */
	size_t *nlog;
	bool done;
};

static void co_start(struct co *c, struct rig *r, void (*entry)(void *))
{
	c->r = r;
	cr_assert_eq(mos__stack_get(&r->pool, &c->s), 0);
	cr_assert_eq(mos__fiber_create(&c->f, r->b, c->s, entry, c), 0);
}

static void co_end(struct co *c)
{
	mos__fiber_destroy(&c->f);
	mos__stack_put(&c->r->pool, c->s);
}

/* Count up, yielding to the host after every step, then exit. */
static void counting(void *arg)
{
	struct co *c = arg;

	/* The frame, not a local: ASan may put locals on a fake stack. */
	c->local = __builtin_frame_address(0);
	for (long i = 0; i < c->steps; i++) {
		c->counter++;
		if (c->log)
			c->log[(*c->nlog)++] = c->id;
		mos__fiber_switch(&c->f, &c->r->host);
	}
	c->done = true;
	mos__fiber_exit_to(&c->f, &c->r->host);
}

static void each_backend(void (*run)(const char *))
{
	const char *const *n = mos__ctx_backend_names();

	cr_assert_not_null(n[0]);
	for (; *n; n++)
		run(*n);
}

static void ping_pong(const char *backend)
{
	enum { N = 10000 };
	struct rig r;
	struct co c = { .steps = N };

	rig_open(&r, backend);
	co_start(&c, &r, counting);
	for (long i = 1; i <= N; i++) {
		mos__fiber_switch(&r.host, &c.f);
		cr_assert_eq(c.counter, i, "%s: step %ld", backend, i);
		cr_assert_not(c.done);
		cr_assert(mos__stack_canary_ok(c.s));
	}
	mos__fiber_switch(&r.host, &c.f); /* lets it exit */
	cr_assert(c.done);
	/* It ran on the documented usable area. */
	cr_assert_eq(c.f.stack_lo, (char *)c.s->lo + MOS_STACK_CANARY_BYTES);
	cr_assert_geq(c.local, (char *)c.s->lo + MOS_STACK_CANARY_BYTES);
	cr_assert_lt(c.local, (char *)c.s->lo + c.s->size);
	cr_assert(mos__stack_canary_ok(c.s));
	co_end(&c);
	rig_close(&r);
}

Test(hal_fiber, ping_pong_counts_every_switch)
{
	each_backend(ping_pong);
}

static void interleave(const char *backend)
{
	/* Host's schedule: which coroutine to resume next (0 = A, 1 = B). */
	static const int order[] = { 0, 0, 1, 0, 1, 1, 1, 0, 1, 0 };
	enum { STEPS = 5 };
	struct rig r;
	int log[16];
	size_t nlog = 0;
	struct co c[2] = {
		{ .id = 0, .steps = STEPS, .log = log, .nlog = &nlog },
		{ .id = 1, .steps = STEPS, .log = log, .nlog = &nlog },
	};

	rig_open(&r, backend);
	co_start(&c[0], &r, counting);
	co_start(&c[1], &r, counting);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		mos__fiber_switch(&r.host, &c[order[i]].f);
	cr_assert_eq(nlog, 10);
	for (size_t i = 0; i < nlog; i++)
		cr_assert_eq(log[i], order[i], "%s: entry %zu", backend, i);
	cr_assert_eq(c[0].counter, STEPS);
	cr_assert_eq(c[1].counter, STEPS);
	for (int k = 0; k < 2; k++) {
		mos__fiber_switch(&r.host, &c[k].f);
		cr_assert(c[k].done);
		co_end(&c[k]);
	}
	rig_close(&r);
}

/* Floating-point control state belongs to each context: a coroutine that
 * changes the rounding mode must not change the host's, nor the host its. */
static void fp_rounding(void *arg)
{
	struct co *c = arg;

	fesetround(FE_UPWARD);
	c->counter = fegetround() == FE_UPWARD;
	mos__fiber_switch(&c->f, &c->r->host);
	c->counter += fegetround() == FE_UPWARD;
	c->done = true;
	mos__fiber_exit_to(&c->f, &c->r->host);
}

static void fp_state(const char *backend)
{
	struct rig r;
	struct co c = { .steps = 0 };

	rig_open(&r, backend);
	co_start(&c, &r, fp_rounding);
	fesetround(FE_TONEAREST);
	mos__fiber_switch(&r.host, &c.f);
	cr_assert_eq(fegetround(), FE_TONEAREST, "%s: host rounding changed", backend);
	fesetround(FE_TOWARDZERO);
	mos__fiber_switch(&r.host, &c.f);
	cr_assert_eq(c.counter, 2, "%s: coroutine rounding not kept", backend);
	cr_assert_eq(fegetround(), FE_TOWARDZERO, "%s", backend);
	fesetround(FE_TONEAREST);
	cr_assert(c.done);
	co_end(&c);
	rig_close(&r);
}

Test(hal_fiber, floating_point_control_is_per_context)
{
	each_backend(fp_state);
}

Test(hal_ctx, asm_is_the_default_on_x86_64)
{
#if defined(__x86_64__) && defined(__linux__)
	unsetenv("MOS_CTX");
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, "asm");
	cr_assert_str_eq(mos__ctx_backend_find("asm")->name, "asm");
#else
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, "ucontext");
#endif
}

Test(hal_fiber, two_coroutines_interleave_exactly)
{
	each_backend(interleave);
}

/* Exit at once; also used to show a stack can host fiber after fiber. */
static void exit_now(void *arg)
{
	struct co *c = arg;

	c->counter++;
	c->done = true;
	mos__fiber_exit_to(&c->f, &c->r->host);
}

/* Leave without exiting: the kernel kills processes mid-call like this. */
static void abandon(void *arg)
{
	struct co *c = arg;
	volatile char buf[512];

	memset((char *)buf, 1, sizeof(buf));
	c->counter++;
	mos__fiber_switch(&c->f, &c->r->host);
	cr_assert_fail("an abandoned fiber was resumed");
}

static void exit_and_reuse(const char *backend)
{
	struct rig r;
	struct co c = { 0 }, d = { 0 };

	rig_open(&r, backend);
	for (int round = 0; round < 100; round++) {
		co_start(&c, &r, round % 2 ? abandon : exit_now);
		mos__fiber_switch(&r.host, &c.f);
		cr_assert_eq(c.counter, round + 1);
		cr_assert(mos__stack_canary_ok(c.s));
		co_end(&c);
	}
	cr_assert_eq(r.pool.total, 64, "one slab served every round");
	/* A fresh coroutine after all that still counts correctly. */
	d.steps = 3;
	co_start(&d, &r, counting);
	cr_assert_eq(d.s, c.s, "the warm stack is reused");
	for (int i = 0; i < 4; i++)
		mos__fiber_switch(&r.host, &d.f);
	cr_assert(d.done);
	cr_assert_eq(d.counter, 3);
	co_end(&d);
	rig_close(&r);
}

Test(hal_fiber, exit_to_and_stack_reuse)
{
	each_backend(exit_and_reuse);
}

Test(hal_fiber, create_rejects_bad_arguments)
{
	struct rig r;
	mos_fiber_t f = { 0 };
	static const char tiny_bytes[1];
	mos_stack_t tiny = { .lo = (void *)tiny_bytes, .size = 1024 };
	mos_stack_t *s;

	rig_open(&r, "auto");
	cr_assert_eq(mos__fiber_create(&f, r.b, &tiny, exit_now, NULL),
		     MOS_EINVAL);
	cr_assert_eq(mos__stack_get(&r.pool, &s), 0);
	cr_assert_eq(mos__fiber_create(&f, r.b, s, NULL, NULL), MOS_EINVAL);
	cr_assert_eq(mos__fiber_create(&f, NULL, s, exit_now, NULL),
		     MOS_EINVAL);
	mos__fiber_destroy(&f); /* safe on a fiber whose create failed */
	mos__stack_put(&r.pool, s);
	rig_close(&r);
}

/* What "auto" must resolve to when MOS_CTX does not name a backend: the
 * first compiled in, asm on x86-64 Linux. */
static const char *best_backend(void)
{
#if defined(__x86_64__) && defined(__linux__)
	return "asm";
#else
	return "ucontext";
#endif
}

Test(hal_ctx, backend_lookup)
{
	const char *const *names = mos__ctx_backend_names();
	const mos_ctx_backend_t *u = mos__ctx_backend_find("ucontext");
	const char *env = getenv("MOS_CTX");
	size_t n = 0;

	cr_assert_not_null(u);
	cr_assert_str_eq(u->name, "ucontext");
	cr_assert_not_null(u->make);
	cr_assert_not_null(u->swap);
	cr_assert_null(mos__ctx_backend_find("nope"));
	cr_assert_null(mos__ctx_backend_find("bogus"));
	cr_assert_null(mos__ctx_backend_find(""));
	cr_assert_null(mos__ctx_backend_find(NULL));
	/* The suite runs under MOS_CTX=asm, =ucontext or none: "auto" is
	 * what the environment asks for, else the best. */
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name,
			 env && mos__ctx_backend_find(env) &&
				 strcmp(env, "auto") != 0
			 ? env : best_backend());
	for (; names[n]; n++)
		cr_assert_str_eq(mos__ctx_backend_find(names[n])->name, names[n]);
	cr_assert_str_eq(names[0], best_backend());
#if defined(__x86_64__) && defined(__linux__)
	cr_assert_eq(n, 2);
	cr_assert_str_eq(names[1], "ucontext");
#else
	cr_assert_eq(n, 1);
#endif
}

Test(hal_ctx, auto_honours_mos_ctx)
{
	cr_assert_eq(setenv("MOS_CTX", "ucontext", 1), 0);
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, "ucontext");
	cr_assert_eq(setenv("MOS_CTX", best_backend(), 1), 0);
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, best_backend());
	/* An unknown MOS_CTX falls back to the best, as does "auto". */
	cr_assert_eq(setenv("MOS_CTX", "bogus", 1), 0);
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, best_backend());
	cr_assert_eq(setenv("MOS_CTX", "auto", 1), 0);
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, best_backend());
	cr_assert_eq(setenv("MOS_CTX", "", 1), 0);
	cr_assert_str_eq(mos__ctx_backend_find("auto")->name, best_backend());
	/* MOS_CTX only steers "auto". */
	cr_assert_eq(setenv("MOS_CTX", "ucontext", 1), 0);
	cr_assert_str_eq(mos__ctx_backend_find(best_backend())->name,
			 best_backend());
	cr_assert_null(mos__ctx_backend_find("bogus"));
}

/* ------------------------------------------------------------------ timers */

struct heap_rig {
	mos_timer_heap_t h;
	mos_timer_t t[16];
};

static void heap_open(struct heap_rig *r)
{
	mos__timer_heap_init(&r->h, mos__alloc_libc());
	cr_assert_eq(mos__timer_heap_reserve(&r->h, 16), 0);
	cr_assert_geq(r->h.cap, 16);
	for (int i = 0; i < 16; i++)
		mos__timer_init(&r->t[i], NULL, (void *)(intptr_t)i, false);
}

/* Pop everything due by `now`, return the timers' ids (arg) in pop order. */
static size_t drain(struct heap_rig *r, mos_time_t now, int *kinds)
{
	size_t n = 0;
	mos_timer_t *t;

	while ((t = mos__timer_pop_due(&r->h, now))) {
		cr_assert_not(mos__timer_armed(t));
		kinds[n++] = (int)(intptr_t)t->arg;
	}
	return n;
}

Test(hal_timer, equal_due_pops_in_arming_order)
{
	struct heap_rig r;
	int got[16];
	static const int arm[] = { 7, 3, 11, 0, 15, 5, 9 };

	heap_open(&r);
	cr_assert_null(mos__timer_peek(&r.h));
	for (size_t i = 0; i < 7; i++)
		mos__timer_arm(&r.h, &r.t[arm[i]], 100, 1);
	cr_assert_eq(drain(&r, 100, got), 7);
	for (size_t i = 0; i < 7; i++)
		cr_assert_eq(got[i], arm[i], "pop %zu", i);
	mos__timer_heap_fini(&r.h);
}

Test(hal_timer, due_then_band_then_seq)
{
	struct heap_rig r;
	int got[16];

	heap_open(&r);
	mos__timer_arm(&r.h, &r.t[0], 10, 2);
	mos__timer_arm(&r.h, &r.t[1], 10, 0);
	mos__timer_arm(&r.h, &r.t[2], 10, 1);
	mos__timer_arm(&r.h, &r.t[3], 9, 3);  /* earlier beats a lower band */
	mos__timer_arm(&r.h, &r.t[4], 10, 0); /* same band: after t[1] */
	cr_assert_eq(drain(&r, 10, got), 5);
	cr_assert_eq(got[0], 3);
	cr_assert_eq(got[1], 1);
	cr_assert_eq(got[2], 4);
	cr_assert_eq(got[3], 2);
	cr_assert_eq(got[4], 0);
	mos__timer_heap_fini(&r.h);
}

Test(hal_timer, cancel_from_the_middle)
{
	struct heap_rig r;
	int got[16];

	heap_open(&r);
	for (int i = 0; i < 12; i++)
		mos__timer_arm(&r.h, &r.t[i], (mos_time_t)(100 - i * 5), 0);
	mos__timer_cancel(&r.h, &r.t[5]);
	mos__timer_cancel(&r.h, &r.t[5]); /* twice is harmless */
	mos__timer_cancel(&r.h, &r.t[13]); /* never armed */
	cr_assert_not(mos__timer_armed(&r.t[5]));
	cr_assert_eq(r.h.n, 11);
	cr_assert_eq(drain(&r, 1000, got), 11);
	for (int i = 0, k = 11; i < 11; i++, k--) {
		if (k == 5)
			k--;
		cr_assert_eq(got[i], k, "pop %d", i);
	}
	mos__timer_heap_fini(&r.h);
}

Test(hal_timer, rearm_moves)
{
	struct heap_rig r;
	int got[16];

	heap_open(&r);
	mos__timer_arm(&r.h, &r.t[0], 10, 0);
	mos__timer_arm(&r.h, &r.t[1], 20, 0);
	mos__timer_arm(&r.h, &r.t[2], 30, 0);
	mos__timer_arm(&r.h, &r.t[0], 30, 0); /* later, and after t[2] */
	mos__timer_arm(&r.h, &r.t[2], 5, 0);  /* earlier */
	cr_assert_eq(r.h.n, 3, "re-arming does not duplicate");
	cr_assert_eq(drain(&r, 100, got), 3);
	cr_assert_eq(got[0], 2);
	cr_assert_eq(got[1], 1);
	cr_assert_eq(got[2], 0);
	mos__timer_heap_fini(&r.h);
}

Test(hal_timer, pop_due_respects_now)
{
	struct heap_rig r;

	heap_open(&r);
	mos__timer_arm(&r.h, &r.t[0], 50, 0);
	mos__timer_arm(&r.h, &r.t[1], 60, 0);
	cr_assert_null(mos__timer_pop_due(&r.h, 49));
	cr_assert_eq(mos__timer_peek(&r.h), &r.t[0]);
	cr_assert_eq(mos__timer_pop_due(&r.h, 55), &r.t[0]);
	cr_assert_null(mos__timer_pop_due(&r.h, 55));
	cr_assert_eq(mos__timer_pop_due(&r.h, MOS_TIME_NEVER), &r.t[1]);
	cr_assert_null(mos__timer_pop_due(&r.h, MOS_TIME_NEVER));
	mos__timer_heap_fini(&r.h);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool key_le(const mos_timer_t *a, const mos_timer_t *b)
{
	if (a->due != b->due)
		return a->due < b->due;
	if (a->band != b->band)
		return a->band < b->band;
	return a->seq <= b->seq;
}

Test(hal_timer, random_timers_pop_sorted)
{
	enum { N = 10000 };
	mos_timer_heap_t h;
	mos_timer_t *t = calloc(N, sizeof(*t));
	mos_timer_t prev, *x;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	size_t armed = 0, popped = 0;

	cr_assert_not_null(t);
	mos__timer_heap_init(&h, mos__alloc_libc());
	for (size_t i = 0; i < N; i++) {
		/* Grow one owner at a time, as the kernel does. */
		cr_assert_eq(mos__timer_heap_reserve(&h, i + 1), 0);
		cr_assert_geq(h.cap, i + 1);
		mos__timer_init(&t[i], NULL, NULL, false);
		/* Few distinct dues and bands: plenty of ties. */
		mos__timer_arm(&h, &t[i], xorshift(&seed) % 500,
			       (uint8_t)(xorshift(&seed) % 4));
	}
	for (size_t i = 0; i < N / 4; i++) { /* churn: cancels and re-arms */
		mos_timer_t *y = &t[xorshift(&seed) % N];

		if (xorshift(&seed) % 2)
			mos__timer_cancel(&h, y);
		else
			mos__timer_arm(&h, y, xorshift(&seed) % 500, 1);
	}
	for (size_t i = 0; i < N; i++) {
		armed += mos__timer_armed(&t[i]);
		if (mos__timer_armed(&t[i]))
			cr_assert_eq(h.v[t[i].index], &t[i]);
	}
	cr_assert_eq(armed, h.n);
	while ((x = mos__timer_pop_due(&h, MOS_TIME_NEVER))) {
		if (popped++)
			cr_assert(key_le(&prev, x), "out of order at %zu",
				  popped);
		prev = *x;
	}
	cr_assert_eq(popped, armed);
	mos__timer_heap_fini(&h);
	free(t);
}

/* ------------------------------------------------------------------ clocks */

Test(hal_clock, backend_lookup)
{
	const mos_clock_backend_t *v = mos__clock_backend_find("virtual");
	const mos_clock_backend_t *rt = mos__clock_backend_find("realtime");

	cr_assert_not_null(v);
	cr_assert_str_eq(v->name, "virtual");
	cr_assert_not_null(rt);
	cr_assert_str_eq(rt->name, "realtime");
	cr_assert_null(mos__clock_backend_find("x"));
	cr_assert_null(mos__clock_backend_find(NULL));
}

static void clock_run(const char *name)
{
	const mos_clock_backend_t *c = mos__clock_backend_find(name);
	mos_time_t reached;
	void *st;

	cr_assert_eq(c->open(&st, 0.0, mos__alloc_libc()), MOS_EINVAL);
	cr_assert_eq(c->open(&st, -1.0, mos__alloc_libc()), MOS_EINVAL);
	/* 1e9 virtual seconds per wall second: a virtual second is 1 ns. */
	cr_assert_eq(c->open(&st, 1e9, mos__alloc_libc()), 0);
	cr_assert_eq(c->advance(st, 0, MOS_SEC, &reached), 0);
	cr_assert_eq(reached, MOS_SEC);
	cr_assert_eq(c->advance(st, MOS_SEC, MOS_SEC, &reached), 0);
	cr_assert_eq(reached, MOS_SEC);
	cr_assert_eq(c->advance(st, MOS_SEC, 3 * MOS_SEC, &reached), 0);
	cr_assert_eq(reached, 3 * MOS_SEC);
	c->close(st);
}

Test(hal_clock, virtual_never_waits)
{
	clock_run("virtual");
}

Test(hal_clock, realtime_paces_fast_speed_promptly, .timeout = 10)
{
	uint64_t t0 = uv_hrtime();

	clock_run("realtime");
	/* 3 virtual s at 1e9: 3 ns of wall time, however busy the host. */
	cr_assert_lt(uv_hrtime() - t0, 2 * MOS_SEC);
}

/*
 * Pacing, measured with the clock the backend paces against: 1 virtual
 * second at speed 10 must take at least 100 ms of wall time (advance never
 * returns early, and the wall anchor is taken at the first advance, after
 * t0), in two steps the second of which is paced from the same anchor.
 * The upper bound only catches pacing gone wild (a speed ignored, a lag
 * made up twice): a loaded host may be late, by far less than seconds.
 * The virtual clock, given the same jumps, does not wait.
 */
static uint64_t paced_ns(const char *name, double speed)
{
	const mos_clock_backend_t *c = mos__clock_backend_find(name);
	mos_time_t reached;
	uint64_t t0;
	void *st;

	cr_assert_eq(c->open(&st, speed, mos__alloc_libc()), 0);
	t0 = uv_hrtime();
	cr_assert_eq(c->advance(st, 0, 0, &reached), 0);
	cr_assert_eq(c->advance(st, 0, 500 * MOS_MSEC, &reached), 0);
	cr_assert_eq(reached, 500 * MOS_MSEC);
	cr_assert_eq(c->advance(st, 500 * MOS_MSEC, MOS_SEC, &reached), 0);
	cr_assert_eq(reached, MOS_SEC);
	t0 = uv_hrtime() - t0;
	c->close(st);
	return t0;
}

Test(hal_clock, realtime_paces_against_wall_time)
{
	uint64_t rt = paced_ns("realtime", 10.0);
	uint64_t v = paced_ns("virtual", 10.0);

	cr_assert_geq(rt, 100 * MOS_MSEC, "%llu ns", (unsigned long long)rt);
	cr_assert_lt(rt, 5 * MOS_SEC, "%llu ns", (unsigned long long)rt);
	cr_assert_lt(v, 50 * MOS_MSEC, "%llu ns", (unsigned long long)v);
}

/* The virtual backend has no loop: nothing can end its jumps early. */
Test(hal_clock, virtual_has_no_loop)
{
	const mos_clock_backend_t *c = mos__clock_backend_find("virtual");
	void *st;

	cr_assert_eq(c->open(&st, 1.0, mos__alloc_libc()), 0);
	cr_assert_null(c->loop(st));
	cr_assert_eq(c->wakeup(st), MOS_EINVAL);
	cr_assert_eq(c->now(st, 5, 9), 9);
	c->close(st);
}

static void on_host_timer(uv_timer_t *t)
{
	++*(int *)t->data;
}

/*
 * A wait of one virtual hour at speed 1 ends when a host timer on the
 * backend's loop fires 20 ms in (rc 0), or at once for a wakeup sent
 * before it (MOS_CLOCK_WOKEN); each reports the virtual time matching
 * the wall clock, in [from, to], and now() agrees with it afterwards.
 * A host handle left open is closed by close (LeakSanitizer would see
 * the loop's memory otherwise).
 */
Test(hal_clock, realtime_wait_ends_early, .timeout = 10)
{
	const mos_clock_backend_t *c = mos__clock_backend_find("realtime");
	const mos_time_t hour = 3600 * MOS_SEC;
	uv_timer_t host;
	mos_time_t reached, later;
	uint64_t t0 = uv_hrtime();
	int fired = 0;
	void *st;

	cr_assert_eq(c->open(&st, 1.0, mos__alloc_libc()), 0);
	cr_assert_not_null(c->loop(st));
	uv_timer_init(c->loop(st), &host);
	host.data = &fired;
	uv_timer_start(&host, on_host_timer, 20, 0);
	cr_assert_eq(c->advance(st, MOS_SEC, hour, &reached), 0);
	cr_assert_eq(fired, 1);
	cr_assert_geq(reached, MOS_SEC);
	cr_assert_lt(reached, MOS_SEC + 5 * MOS_SEC);
	later = c->now(st, reached, hour);
	cr_assert_geq(later, reached);
	cr_assert_lt(later, hour);
	cr_assert_eq(c->now(st, reached, reached), reached);

	cr_assert_eq(c->wakeup(st), 0);
	cr_assert_eq(c->advance(st, reached, hour, &later), MOS_CLOCK_WOKEN);
	cr_assert_geq(later, reached);
	cr_assert_lt(later, MOS_SEC + 5 * MOS_SEC);
	uv_timer_start(&host, on_host_timer, 3600 * 1000, 0); /* left open */
	c->close(st);
	cr_assert_lt(uv_hrtime() - t0, 5 * MOS_SEC);
}

/* The heap counts its armed foreground timers: arming, re-arming,
 * cancelling and popping keep the count, background timers never count. */
Test(hal_timer, counts_armed_foreground_timers)
{
	mos_timer_heap_t h;
	mos_timer_t fg, bg;

	mos__timer_heap_init(&h, mos__alloc_libc());
	cr_assert_eq(mos__timer_heap_reserve(&h, 2), 0);
	mos__timer_init(&fg, NULL, NULL, false);
	mos__timer_init(&bg, NULL, NULL, true);
	mos__timer_arm(&h, &bg, 5, 1);
	cr_expect_not(mos__timer_heap_foreground(&h));
	mos__timer_arm(&h, &fg, 7, 1);
	mos__timer_arm(&h, &fg, 3, 1); /* re-arm: still one */
	cr_expect_eq(h.foreground, 1);
	cr_expect_eq(mos__timer_pop_due(&h, 4), &fg);
	cr_expect_eq(h.foreground, 0);
	mos__timer_arm(&h, &fg, 9, 1);
	mos__timer_cancel(&h, &fg);
	mos__timer_cancel(&h, &fg); /* twice: no change */
	cr_expect_eq(h.foreground, 0);
	cr_expect_eq(h.n, 1);
	mos__timer_heap_fini(&h);
}
