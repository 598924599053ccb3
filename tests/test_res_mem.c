/*
 * tests/test_res_mem.c - the memory manager (multios/resource.h, memory):
 * exact heap, stack and peak counters of a process, its groups and the
 * machine; each limit at its boundary (max_memory, memory.max up the
 * tree, the machine's memory_size, max_stack_size with its SIGSEGV);
 * handles (bad, stale, foreign); everything given back at exit; host
 * backing; the accounting switch.  The leak program, the script steps and
 * the hostile arguments are in tests/test_res_mem2.c.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_mem, .timeout = T_TIMEOUT);

#define INF MOS_RLIM_INFINITY
#define GROUP_MEMORY MOS_RLIMIT_COUNT /* a group's memory.max */

/* A process whose body is the test's function: ctx is its state. */
typedef struct ctx ctx_t;
typedef void (*body_fn)(mos_proc_t *self, ctx_t *c);
struct ctx {
	body_fn fn;
	int rc[16];
	mos_mem_handle_t h[16];
	mos_rusage_t u[4];
	mos_kernel_stats_t st;
	void *ptr;
	int caught;
	mos_mem_handle_t *shared; /* another process's handle */
	void *aux;
};

static int body_main(mos_proc_t *self, int argc, char **argv)
{
	ctx_t *c = mos_sys_state(self);

	(void)argc;
	(void)argv;
	c->fn(self, c);
	return 0;
}

static mos_kernel_t *kernel(const mos_config_t *cfg)
{
	mos_kernel_t *k = t_kernel(cfg);

	cr_assert_eq(mos_program_register(k, "body", body_main), 0);
	return k;
}

static mos_pid_t body(mos_kernel_t *k, ctx_t *c, body_fn fn)
{
	c->fn = fn;
	return t_spawn_arg(k, T_ARGV("body"), c);
}

static const char *limits_traced(mos_kernel_t *k, char *buf, size_t size)
{
	return t_trace_kind(k, MOS_TRACE_LIMIT, MOS_MSEC, buf, size);
}

static void run_all(mos_kernel_t *k)
{
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
}

/* ---- exact counters ----------------------------------------------------- */

static void counters_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 1000, &c->h[0]);
	c->rc[1] = mos_sys_alloc(self, 3000, &c->h[1]);
	c->rc[2] = mos_sys_stack_use(self, 500);
	c->rc[3] = mos_sys_free(self, c->h[0]);
	mos_sys_getrusage(self, &c->u[0]);
	c->rc[4] = mos_sys_stack_use(self, 200); /* shrinks */
	mos_sys_sleep(self, MS(10));
}

Test(res_mem, counters_are_exact_for_process_group_and_machine)
{
	mos_kernel_t *k = kernel(NULL);
	mos_group_id_t g;
	mos_rusage_t u;
	mos_kernel_stats_t st;
	ctx_t c = {0};
	mos_pid_t p;

	cr_assert_eq(mos_group_create(k, 0, "g", &g), 0);
	p = body(k, &c, counters_body);
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	for (int i = 0; i < 5; i++)
		cr_expect_eq(c.rc[i], 0, "call %d: %d", i, c.rc[i]);
	cr_expect_neq(c.h[0], 0);
	cr_expect_neq(c.h[0], c.h[1]);
	u = c.u[0];
	cr_expect_eq(u.heap_current, 3000);
	cr_expect_eq(u.heap_peak, 4000);
	cr_expect_eq(u.stack_current, 500);
	cr_expect_eq(u.stack_peak, 500);
	cr_expect_eq(u.memory_current, 3500);
	cr_expect_eq(u.memory_peak, 4500);
	cr_expect_eq(u.allocations, 1);
	u = t_usage(k, p);
	cr_expect_eq(u.stack_current, 200);
	cr_expect_eq(u.stack_peak, 500);
	cr_expect_eq(u.memory_current, 3200);
	cr_expect_eq(u.memory_peak, 4500);
	cr_expect_eq(u.limit_violations, 0);
	st = t_kstats(k);
	cr_expect_eq(st.memory_used, 3200);
	cr_expect_eq(st.memory_peak, 4500);
	cr_expect_eq(t_group(k, g).memory_current, 3200);
	cr_expect_eq(t_group(k, g).memory_peak, 4500);
	cr_expect_eq(t_group(k, 0).memory_current, 3200);

	/* Exit gives everything back; the peaks stay. */
	run_all(k);
	u = t_usage(k, p);
	cr_expect_eq(u.memory_current, 0);
	cr_expect_eq(u.heap_current, 0);
	cr_expect_eq(u.allocations, 0);
	cr_expect_eq(u.memory_peak, 4500);
	cr_expect_eq(u.heap_peak, 4000);
	st = t_kstats(k);
	cr_expect_eq(st.memory_used, 0);
	cr_expect_eq(st.memory_peak, 4500);
	cr_expect_eq(t_group(k, g).memory_current, 0);
	cr_expect_eq(t_group(k, g).memory_peak, 4500);
	cr_expect_eq(t_group(k, 0).memory_current, 0);
	mos_kernel_destroy(k);
}

/* ---- the limits at their boundaries ---------------------------------- */

static void fill_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_stack_use(self, 1000);
	c->rc[1] = mos_sys_alloc(self, 9000, &c->h[0]);
	c->h[1] = 77;
	c->rc[2] = mos_sys_alloc(self, 1, &c->h[1]);
	mos_sys_getrusage(self, &c->u[0]);
	c->rc[3] = mos_sys_free(self, c->h[0]);
	c->rc[4] = mos_sys_alloc(self, 9000, &c->h[2]);
}

Test(res_mem, max_memory_takes_the_exact_fit_and_refuses_one_byte_more)
{
	mos_kernel_t *k = kernel(NULL);
	char buf[256];
	ctx_t c = {0};
	mos_pid_t p = body(k, &c, fill_body);

	t_set_memory_limits(k, p, 10000, INF);
	run_all(k);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], 0);
	cr_expect_eq(c.rc[2], MOS_ELIMIT);
	cr_expect_eq(c.h[1], 77, "a refused alloc leaves *handle alone");
	cr_expect_eq(c.u[0].heap_current, 9000);
	cr_expect_eq(c.u[0].heap_peak, 9000);
	cr_expect_eq(c.u[0].allocations, 1);
	cr_expect_eq(c.u[0].limit_violations, 1);
	cr_expect_eq(c.rc[3], 0);
	cr_expect_eq(c.rc[4], 0);
	cr_expect_eq(t_kstats(k).limit_violations, 1);
	cr_expect_eq(t_kstats(k).memory_peak, 10000);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)), "2:0:10001:10000@0");
	mos_kernel_destroy(k);
}

static void group_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 6000, &c->h[0]);
	mos_sys_sleep(self, MS(1));
	c->rc[1] = mos_sys_alloc(self, 1, &c->h[1]);
	c->rc[2] = mos_sys_stack_use(self, 100); /* caught SIGSEGV */
	mos_sys_getrusage(self, &c->u[0]);
	mos_sys_sleep(self, MS(10));
}

static void segv_noop(mos_proc_t *self, int sig)
{
	(void)self;
	(void)sig;
}

/* SIGSEGV caught (an ignored or blocked one is forced back to its
 * default, which kills: issue 11's review). */
static void group_body2(mos_proc_t *self, ctx_t *c)
{
	mos_sys_sigaction(self, MOS_SIGSEGV, MOS_SIG_CATCH, segv_noop, 0, 0,
			  NULL);
	group_body(self, c);
}

static void group_fill_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 4000, &c->h[0]);
	mos_sys_sleep(self, MS(100));
}

Test(res_mem, group_memory_max_applies_from_every_ancestor_and_exit_uncharges)
{
	mos_kernel_t *k = kernel(NULL);
	mos_group_id_t top, leaf;
	mos_group_limits_t l;
	ctx_t a = {0}, b = {0};
	mos_pid_t pa, pb;
	char buf[256];

	cr_assert_eq(mos_group_create(k, 0, "top", &top), 0);
	cr_assert_eq(mos_group_create(k, top, "leaf", &leaf), 0);
	mos_group_limits_init(&l);
	l.memory_max = 10000;
	cr_assert_eq(mos_group_set(k, top, &l), 0);
	pb = body(k, &b, group_fill_body);
	pa = body(k, &a, group_body2);
	cr_assert_eq(mos_group_attach(k, leaf, pa), 0);
	cr_assert_eq(mos_group_attach(k, top, pb), 0);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_expect_eq(b.rc[0], 0);
	cr_expect_eq(a.rc[0], 0);
	cr_expect_eq(a.rc[1], MOS_ELIMIT, "10 000 used of 10 000");
	cr_expect_eq(a.rc[2], MOS_ELIMIT, "the stack is charged too");
	cr_expect_eq(a.u[0].heap_current, 6000);
	cr_expect_eq(a.u[0].stack_current, 0);
	cr_expect_eq(a.u[0].limit_violations, 2);
	cr_expect_eq(t_group(k, top).memory_current, 10000);
	cr_expect_eq(t_group(k, leaf).memory_current, 6000);
	cr_expect_eq(t_kstats(k).memory_used, 10000);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)),
			 "3:8:10001:10000@1 3:8:10100:10000@1");

	/* a's exit gives its 6000 back to leaf, top and the machine. */
	cr_assert_eq(mos_kernel_run(k, MS(50)), 0);
	cr_expect_eq(t_group(k, leaf).memory_current, 0);
	cr_expect_eq(t_group(k, leaf).memory_peak, 6000);
	cr_expect_eq(t_group(k, top).memory_current, 4000);
	cr_expect_eq(t_group(k, top).memory_peak, 10000);
	cr_expect_eq(t_kstats(k).memory_used, 4000);
	/* Killed from outside: the same. */
	cr_assert_eq(mos_process_send_signal(k, pb, MOS_SIGKILL), 0);
	cr_expect_eq(t_group(k, top).memory_current, 0);
	cr_expect_eq(t_kstats(k).memory_used, 0);
	cr_expect_eq(t_kstats(k).memory_peak, 10000);
	mos_kernel_destroy(k);
}

static void attach_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 5000, &c->h[0]);
	c->rc[1] = mos_sys_stack_use(self, 1000);
	mos_sys_sleep(self, MS(100));
}

Test(res_mem, attach_moves_heap_and_stack_and_checks_memory_max)
{
	mos_kernel_t *k = kernel(NULL);
	mos_group_id_t g;
	mos_group_limits_t l;
	ctx_t c = {0};
	mos_pid_t p = body(k, &c, attach_body);

	cr_assert_eq(mos_group_create(k, 0, "g", &g), 0);
	mos_group_limits_init(&l);
	l.memory_max = 5999;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(mos_group_attach(k, g, p), MOS_ELIMIT);
	cr_expect_eq(t_group(k, g).memory_current, 0);
	l.memory_max = 6000;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	cr_expect_eq(mos_group_attach(k, g, p), 0);
	cr_expect_eq(t_group(k, g).memory_current, 6000);
	cr_expect_eq(t_group(k, 0).memory_current, 6000);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGKILL), 0);
	cr_expect_eq(t_group(k, g).memory_current, 0);
	mos_kernel_destroy(k);
}

static void machine_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 8000, &c->h[0]);
	c->rc[1] = mos_sys_stack_use(self, 192);
	c->rc[2] = mos_sys_alloc(self, 1, &c->h[1]);
	c->rc[3] = mos_sys_stack_use(self, 100);
	mos_sys_getrusage(self, &c->u[0]);
	mos_sys_sleep(self, MS(10));
	c->rc[4] = mos_sys_stack_use(self, 193); /* dies of SIGSEGV */
	c->rc[5] = 1;
}

Test(res_mem, the_machine_full_is_enomem_and_no_violation)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_info_t in;
	ctx_t c = {0};
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.res.memory_size = 8192;
	k = kernel(&cfg);
	p = body(k, &c, machine_body);
	run_all(k);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], 0);
	cr_expect_eq(c.rc[2], MOS_ENOMEM);
	cr_expect_eq(c.rc[3], 0);
	cr_expect_eq(c.rc[5], 0, "the fault killed it in the call");
	cr_expect_eq(c.u[0].memory_current, 8100);
	cr_expect_eq(c.u[0].limit_violations, 0);
	cr_expect_eq(t_kstats(k).limit_violations, 0);
	cr_expect_eq(t_kstats(k).memory_peak, 8192);
	cr_expect_eq(t_kstats(k).memory_used, 0);
	in = t_info(k, p);
	cr_expect(MOS_WIFSIGNALED(in.exit_status));
	cr_expect_eq(MOS_WTERMSIG(in.exit_status), MOS_SIGSEGV);
	cr_expect(MOS_WCOREDUMP(in.exit_status));
	cr_expect_eq(in.times.finished, MS(10));
	mos_kernel_destroy(k);
}

/* ---- the stack ------------------------------------------------------ */

static void stack_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_stack_use(self, 4096);
	mos_sys_compute(self, MS(5));
	c->rc[1] = mos_sys_stack_use(self, 4097);
	c->rc[2] = 1; /* not reached */
}

Test(res_mem, a_stack_one_byte_past_its_limit_is_a_sigsegv_at_that_instant)
{
	mos_kernel_t *k = kernel(NULL);
	mos_process_info_t in;
	mos_signal_stats_t *s;
	char buf[256];
	ctx_t c = {0};
	mos_pid_t p = body(k, &c, stack_body);

	t_set_memory_limits(k, p, INF, 4096);
	run_all(k);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[2], 0);
	in = t_info(k, p);
	cr_expect_eq(in.exit_status, MOS_W_EXITCODE(0, MOS_SIGSEGV) | MOS_W_COREFLAG);
	cr_expect_eq(in.times.finished, MS(5));
	s = &in.signals;
	cr_expect_eq(s->received, 1);
	cr_expect_eq(t_usage(k, p).stack_peak, 4096, "the refused depth never counted");
	cr_expect_eq(t_usage(k, p).limit_violations, 1);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)), "2:1:4097:4096@5");
	cr_expect_eq(t_kstats(k).memory_used, 0);
	mos_kernel_destroy(k);
}

static void on_segv(mos_proc_t *self, int sig)
{
	ctx_t *c = mos_sys_state(self);

	(void)sig;
	c->caught++;
}

static void stack_handler_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_sigaction(self, MOS_SIGSEGV, MOS_SIG_CATCH, on_segv, 0,
				     0, NULL);
	c->rc[1] = mos_sys_alloc(self, 8000, &c->h[0]);
	c->rc[2] = mos_sys_stack_use(self, 2000);
	c->rc[3] = mos_sys_stack_use(self, 2001); /* heap + stack past 10000 */
	c->rc[4] = c->caught;
	c->rc[5] = mos_sys_free(self, c->h[0]);
	c->rc[6] = mos_sys_stack_use(self, 2001);
	mos_sys_getrusage(self, &c->u[0]);
}

Test(res_mem, a_caught_sigsegv_runs_before_the_call_returns_elimit)
{
	mos_kernel_t *k = kernel(NULL);
	char buf[256];
	ctx_t c = {0};
	mos_pid_t p = body(k, &c, stack_handler_body);

	t_set_memory_limits(k, p, 10000, 8192);
	run_all(k);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], 0);
	cr_expect_eq(c.rc[2], 0);
	cr_expect_eq(c.rc[3], MOS_ELIMIT);
	cr_expect_eq(c.rc[4], 1, "the handler ran before the call returned");
	cr_expect_eq(c.rc[5], 0);
	cr_expect_eq(c.rc[6], 0);
	cr_expect_eq(c.u[0].stack_current, 2001);
	cr_expect_eq(c.u[0].memory_peak, 10000);
	cr_expect_eq(c.u[0].limit_violations, 1);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)), "2:0:10001:10000@0");
	cr_expect(MOS_WIFEXITED(t_info(k, p).exit_status));
	mos_kernel_destroy(k);
}

/* ---- handles ---------------------------------------------------------- */

static void handles_body(mos_proc_t *self, ctx_t *c)
{
	mos_mem_handle_t stale;

	c->rc[0] = mos_sys_alloc(self, 10, &c->h[0]);
	stale = c->h[0];
	c->rc[1] = mos_sys_free(self, stale);
	c->rc[2] = mos_sys_free(self, stale);           /* twice */
	c->rc[3] = mos_sys_alloc(self, 20, &c->h[1]);   /* reuses the slot */
	c->rc[4] = mos_sys_free(self, stale);           /* stale */
	c->rc[5] = mos_sys_free(self, 0);
	c->rc[6] = mos_sys_free(self, ~(mos_mem_handle_t)0);
	c->rc[7] = mos_sys_free(self, c->h[1] + 1);
	c->rc[8] = mos_sys_free(self, *c->shared);      /* another's */
	c->rc[9] = mos_sys_mem_ptr(self, c->h[1], &c->ptr); /* no backing */
	mos_sys_getrusage(self, &c->u[0]);
	/* Many: the table grows, every handle distinct and freeable. */
	for (int i = 2; i < 16; i++)
		if (mos_sys_alloc(self, 1, &c->h[i]) < 0)
			c->rc[10]++;
	for (int i = 15; i >= 2; i--)
		if (mos_sys_free(self, c->h[i]) < 0)
			c->rc[11]++;
	mos_sys_getrusage(self, &c->u[1]);
}

static void owner_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 10, &c->h[0]);
	mos_sys_sleep(self, MS(10));
	mos_sys_getrusage(self, &c->u[0]);
}

Test(res_mem, bad_stale_and_foreign_handles_change_nothing)
{
	mos_kernel_t *k = kernel(NULL);
	ctx_t owner = {0}, c = {0};

	c.shared = &owner.h[0];
	body(k, &owner, owner_body);
	body(k, &c, handles_body);
	run_all(k);
	cr_expect_eq(owner.rc[0], 0);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], 0);
	for (int i = 2; i <= 9; i++)
		cr_expect_eq(c.rc[i], i == 3 ? 0 : MOS_EINVAL, "call %d: %d", i,
			     c.rc[i]);
	cr_expect_neq(c.h[1], c.h[0], "a reused slot has a new handle");
	cr_expect_null(c.ptr);
	cr_expect_eq(c.u[0].heap_current, 20);
	cr_expect_eq(c.u[0].allocations, 1);
	cr_expect_eq(c.u[0].limit_violations, 0);
	cr_expect_eq(owner.u[0].heap_current, 10, "not freed by another");
	cr_expect_eq(c.rc[10], 0);
	cr_expect_eq(c.rc[11], 0);
	cr_expect_eq(c.u[1].heap_current, 20);
	cr_expect_eq(c.u[1].heap_peak, 34);
	cr_expect_eq(t_kstats(k).memory_used, 0);
	mos_kernel_destroy(k);
}

/* ---- host backing ------------------------------------------------------ */

typedef struct failing {
	int fail;  /* the next allocations fail */
} failing_t;

static void *f_malloc(void *ud, size_t n)
{
	return ((failing_t *)ud)->fail ? NULL : malloc(n);
}

static void *f_realloc(void *ud, void *p, size_t n)
{
	return ((failing_t *)ud)->fail ? NULL : realloc(p, n);
}

static void f_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static void backing_body(mos_proc_t *self, ctx_t *c)
{
	failing_t *f = c->aux;
	unsigned char *b;

	c->rc[0] = mos_sys_alloc(self, 100, &c->h[0]);
	c->rc[1] = mos_sys_mem_ptr(self, c->h[0], &c->ptr);
	b = c->ptr;
	if (b) {
		memset(b, 0xab, 100); /* all 100 bytes are ours (ASan) */
		c->rc[2] = b[99];
	}
	f->fail = 1;
	c->rc[3] = mos_sys_alloc(self, 200, &c->h[1]);
	f->fail = 0;
	mos_sys_getrusage(self, &c->u[0]);
	c->rc[4] = mos_sys_free(self, c->h[0]);
	c->rc[5] = mos_sys_mem_ptr(self, c->h[0], &c->ptr);
	c->rc[6] = mos_sys_mem_ptr(self, c->h[0], NULL);
	c->rc[7] = mos_sys_alloc(self, 300, &c->h[2]); /* freed at exit */
}

Test(res_mem, backing_gives_host_memory_and_its_failure_charges_nothing)
{
	failing_t f = {0};
	mos_config_t cfg;
	mos_kernel_t *k;
	ctx_t c = {0};

	mos_config_default(&cfg);
	cfg.res.memory_backing = true;
	cfg.alloc = (mos_allocator_t){f_malloc, f_realloc, f_free, &f};
	k = kernel(&cfg);
	c.aux = &f;
	body(k, &c, backing_body);
	run_all(k);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], 0);
	cr_expect_eq(c.rc[2], 0xab);
	cr_expect_eq(c.rc[3], MOS_ENOMEM);
	cr_expect_eq(c.u[0].heap_current, 100);
	cr_expect_eq(c.u[0].heap_peak, 100);
	cr_expect_eq(c.u[0].allocations, 1);
	cr_expect_eq(c.u[0].limit_violations, 0);
	cr_expect_eq(c.rc[4], 0);
	cr_expect_eq(c.rc[5], MOS_EINVAL);
	cr_expect_eq(c.rc[6], MOS_EINVAL);
	cr_expect_eq(c.rc[7], 0);
	cr_expect_eq(t_kstats(k).memory_used, 0);
	cr_expect_eq(t_kstats(k).memory_peak, 300);
	mos_kernel_destroy(k);
}

/* ---- the accounting switch ---------------------------------------------- */

static void off_body(mos_proc_t *self, ctx_t *c)
{
	c->rc[0] = mos_sys_alloc(self, 1000, &c->h[0]);
	c->rc[1] = mos_sys_alloc(self, 1, &c->h[1]);
	mos_sys_sleep(self, MS(10));
}

Test(res_mem, accounting_off_reports_nothing_but_limits_still_bite)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_rusage_t u;
	ctx_t c = {0};
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.enable_process_accounting = false;
	k = kernel(&cfg);
	p = body(k, &c, off_body);
	t_set_memory_limits(k, p, 1000, INF);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], MOS_ELIMIT);
	u = t_usage(k, p);
	cr_expect_eq(u.heap_current, 0);
	cr_expect_eq(u.memory_peak, 0);
	cr_expect_eq(u.limit_violations, 1);
	cr_expect_eq(t_kstats(k).memory_used, 1000);
	run_all(k);
	cr_expect_eq(t_kstats(k).memory_used, 0);
	mos_kernel_destroy(k);
}

/* ---- the table's growth ------------------------------------------------- */

static void growth_body(mos_proc_t *self, ctx_t *c)
{
	failing_t *f = c->aux;

	for (int i = 0; i < 8; i++) /* the first table has 8 slots */
		c->rc[0] |= mos_sys_alloc(self, 10, &c->h[i]);
	f->fail = 1;
	c->rc[1] = mos_sys_alloc(self, 10, &c->h[8]);
	c->rc[2] = mos_sys_free(self, c->h[3]); /* a free slot: no growth */
	c->rc[3] = mos_sys_alloc(self, 10, &c->h[3]);
	c->rc[4] = mos_sys_alloc(self, 10, &c->h[9]);
	f->fail = 0;
	mos_sys_getrusage(self, &c->u[0]);
	c->rc[5] = mos_sys_alloc(self, 10, &c->h[9]);
	mos_sys_getrusage(self, &c->u[1]);
}

Test(res_mem, a_table_that_cannot_grow_is_enomem_and_charges_nothing)
{
	failing_t f = {0};
	mos_config_t cfg;
	mos_kernel_t *k;
	ctx_t c = {0};

	mos_config_default(&cfg);
	cfg.alloc = (mos_allocator_t){f_malloc, f_realloc, f_free, &f};
	k = kernel(&cfg);
	c.aux = &f;
	body(k, &c, growth_body);
	run_all(k);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.rc[1], MOS_ENOMEM);
	cr_expect_eq(c.rc[2], 0);
	cr_expect_eq(c.rc[3], 0);
	cr_expect_eq(c.rc[4], MOS_ENOMEM);
	cr_expect_eq(c.u[0].heap_current, 80);
	cr_expect_eq(c.u[0].allocations, 8);
	cr_expect_eq(c.u[0].limit_violations, 0);
	cr_expect_eq(c.rc[5], 0);
	cr_expect_eq(c.u[1].allocations, 9);
	cr_expect_eq(t_kstats(k).memory_peak, 90);
	mos_kernel_destroy(k);
}
