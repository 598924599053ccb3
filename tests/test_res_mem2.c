/*
 * tests/test_res_mem2.c - the memory manager's clients and edges: the
 * `leak` program reaching each limit at its exact virtual instant, the
 * script steps alloc, free and stack, hostile arguments (sums that would
 * wrap), mos_size_parse, and MOS_PROC_NO_ACCOUNT.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_mem2, .timeout = T_TIMEOUT);

#define INF MOS_RLIM_INFINITY

static const char *limits_traced(mos_kernel_t *k, char *buf, size_t size)
{
	return t_trace_kind(k, MOS_TRACE_LIMIT, 1, buf, size);
}

static int create(mos_kernel_t *k, const char *const *argv)
{
	mos_pid_t pid;

	return t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER, argv, NULL,
			  &pid);
}

/* ---- leak ------------------------------------------------------------- */

Test(res_mem2, leak_hits_max_memory_at_the_exact_instant)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("leak", "100"));
	mos_process_info_t in;
	char buf[256];

	t_set_memory_limits(k, p, 10 * 4096, INF);
	cr_assert_eq(mos_kernel_run(k, MS(95)), 0);
	cr_expect_eq(t_usage(k, p).heap_current, 10 * 4096);
	cr_expect_eq(t_usage(k, p).allocations, 10);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	in = t_info(k, p);
	cr_expect_eq(in.times.finished, MS(100));
	cr_expect(MOS_WIFEXITED(in.exit_status));
	cr_expect_eq(MOS_WEXITSTATUS(in.exit_status), 1);
	cr_expect_eq(t_usage(k, p).heap_peak, 10 * 4096);
	cr_expect_eq(t_usage(k, p).limit_violations, 1);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)),
			 "2:0:45056:40960@100000000");
	cr_expect_eq(t_kstats(k).memory_used, 0);
	mos_kernel_destroy(k);
}

Test(res_mem2, leak_at_a_rate_that_does_not_divide_a_second_does_not_drift)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g;
	mos_group_limits_t l;
	mos_pid_t p;
	char buf[256];

	cr_assert_eq(mos_group_create(k, 0, "g", &g), 0);
	mos_group_limits_init(&l);
	l.memory_max = 3 * 1024;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = t_spawn(k, T_ARGV("leak", "3", "1KiB"));
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	/* Allocations at 0, 333 333 333, 666 666 666 ns; the fourth, at
	 * exactly 1 s, is refused by memory.max. */
	cr_assert_eq(mos_kernel_run(k, 333333332), 0);
	cr_expect_eq(t_usage(k, p).heap_current, 1024);
	cr_assert_eq(mos_kernel_run(k, 333333334), 0);
	cr_expect_eq(t_usage(k, p).heap_current, 2048);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, p).times.finished, MOS_SEC);
	cr_expect_eq(MOS_WEXITSTATUS(t_info(k, p).exit_status), 1);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)),
			 "2:8:4096:3072@1000000000");
	mos_kernel_destroy(k);
}

Test(res_mem2, leak_fills_the_machine_without_a_violation)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.res.memory_size = 8192;
	k = t_kernel(&cfg);
	p = t_spawn(k, T_ARGV("leak", "1000", "1KiB"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, p).times.finished, MS(8));
	cr_expect_eq(MOS_WEXITSTATUS(t_info(k, p).exit_status), 1);
	cr_expect_eq(t_usage(k, p).heap_peak, 8192);
	cr_expect_eq(t_usage(k, p).limit_violations, 0);
	mos_kernel_destroy(k);
}

Test(res_mem2, leak_checks_its_arguments)
{
	mos_kernel_t *k = t_kernel(NULL);

	cr_expect_eq(create(k, T_ARGV("leak")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "0")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "x")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "-1")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "1.5")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "1KiB")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "1000000001")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "10", "0")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "10", "1XB")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "10", "1", "2")), MOS_ECONFIG);
	cr_expect_eq(create(k, T_ARGV("leak", "1000000000", "1")), 0);
	mos_kernel_destroy(k);
}

/* ---- script steps ------------------------------------------------------ */

Test(res_mem2, script_steps_give_exact_counters)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("script",
		"[{\"alloc\":\"64KiB\"},{\"alloc\":1000},{\"stack\":\"4KiB\"},"
		"{\"free\":1},{\"compute\":\"5ms\"},{\"free\":\"last\"},"
		"{\"stack\":0},{\"sleep\":\"10ms\"}]"));
	mos_rusage_t u;

	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	u = t_usage(k, p);
	cr_expect_eq(u.heap_current, 1000);
	cr_expect_eq(u.heap_peak, 66536);
	cr_expect_eq(u.stack_current, 4096);
	cr_expect_eq(u.memory_peak, 70632);
	cr_expect_eq(u.allocations, 1);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	u = t_usage(k, p);
	cr_expect_eq(u.memory_current, 0);
	cr_expect_eq(u.allocations, 0);
	cr_expect_eq(u.stack_peak, 4096);
	cr_expect_eq(u.limit_violations, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, p).exit_status, 0);
	mos_kernel_destroy(k);
}

Test(res_mem2, script_free_names_allocations_in_order)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.res.memory_size = 4096;
	k = t_kernel(&cfg);
	/* The 4th alloc is refused (the machine): remembered as nothing. */
	p = t_spawn(k, T_ARGV("script",
		"[{\"alloc\":1},{\"alloc\":2},{\"alloc\":4},{\"alloc\":5000},"
		"{\"free\":3},{\"free\":\"last\"},{\"free\":2},{\"free\":9},"
		"{\"free\":4},{\"sleep\":\"1ms\"}]"));
	cr_assert_eq(mos_kernel_run(k, 1), 0);
	cr_expect_eq(t_usage(k, p).heap_current, 1);
	cr_expect_eq(t_usage(k, p).heap_peak, 7);
	cr_expect_eq(t_kstats(k).memory_used, 1);
	mos_kernel_destroy(k);
}

Test(res_mem2, script_remembers_more_allocations_than_its_first_list)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("script",
		"[{\"repeat\":20,\"steps\":[{\"alloc\":\"1KiB\"}]},"
		"{\"free\":17},{\"free\":1},{\"free\":\"last\"},"
		"{\"free\":\"last\"},{\"free\":17},{\"sleep\":\"1ms\"}]"));
	mos_rusage_t u;

	cr_assert_eq(mos_kernel_run(k, 1), 0);
	u = t_usage(k, p);
	cr_expect_eq(u.allocations, 16);
	cr_expect_eq(u.heap_current, 16 * 1024);
	cr_expect_eq(u.heap_peak, 20 * 1024);
	mos_kernel_destroy(k);
}

Test(res_mem2, script_stack_past_its_limit_dies_of_sigsegv)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_info_t in;
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.default_stack_size = 4096;
	k = t_kernel(&cfg);
	p = t_spawn(k, T_ARGV("script",
		"[{\"stack\":4096},{\"compute\":\"2ms\"},{\"stack\":\"4097\"},"
		"{\"exit\":3}]"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	in = t_info(k, p);
	cr_expect_eq(in.exit_status, MOS_W_EXITCODE(0, MOS_SIGSEGV) | MOS_W_COREFLAG);
	cr_expect_eq(in.times.finished, MS(2));
	mos_kernel_destroy(k);
}

Test(res_mem2, bad_memory_steps_fail_the_create)
{
	static const char *const bad[] = {
		"[{\"alloc\":0}]", "[{\"alloc\":\"0KiB\"}]", "[{\"alloc\":-1}]",
		"[{\"alloc\":\"12XB\"}]", "[{\"alloc\":1.5}]", "[{\"alloc\":true}]",
		"[{\"alloc\":\"64KiB\",\"x\":1}]", "[{\"alloc\":\"99999999999TiB\"}]",
		"[{\"free\":0}]", "[{\"free\":-2}]", "[{\"free\":\"first\"}]",
		"[{\"free\":null}]", "[{\"stack\":true}]", "[{\"stack\":\"-4\"}]",
	};
	mos_kernel_t *k = t_kernel(NULL);

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(create(k, T_ARGV("script", bad[i])), MOS_ECONFIG,
			     "%s", bad[i]);
	cr_expect_eq(create(k, T_ARGV("script", "[{\"stack\":0},{\"free\":1}]")),
		     0);
	mos_kernel_destroy(k);
}

/* ---- hostile arguments ------------------------------------------------- */

typedef struct hostile {
	int rc[12];
	mos_mem_handle_t h;
	mos_rusage_t u;
} hostile_t;

static void segv_noop(mos_proc_t *self, int sig)
{
	(void)self;
	(void)sig;
}

static int hostile_main(mos_proc_t *self, int argc, char **argv)
{
	hostile_t *c = mos_sys_state(self);

	(void)argc;
	(void)argv;
	/* Caught: an ignored stack fault is forced back to the default. */
	mos_sys_sigaction(self, MOS_SIGSEGV, MOS_SIG_CATCH, segv_noop, 0, 0,
			  NULL);
	c->rc[0] = mos_sys_alloc(self, 1, NULL);
	c->rc[1] = mos_sys_alloc(self, 0, &c->h);
	c->rc[2] = mos_sys_alloc(self, 100, &c->h);
	c->rc[3] = mos_sys_alloc(self, UINT64_MAX, &c->h);      /* machine */
	c->rc[4] = mos_sys_alloc(self, UINT64_MAX - 50, &c->h);
	c->rc[5] = mos_sys_stack_use(self, UINT64_MAX);         /* machine */
	c->rc[6] = mos_sys_mem_ptr(self, c->h, NULL);
	mos_sys_sleep(self, MS(1)); /* the host sets the limits */
	c->rc[7] = mos_sys_alloc(self, UINT64_MAX - 50, &c->h); /* max_memory */
	c->rc[8] = mos_sys_stack_use(self, UINT64_MAX);         /* the stack */
	c->rc[9] = mos_sys_stack_use(self, UINT64_MAX - 100);   /* max_memory */
	mos_sys_sleep(self, MS(1)); /* the host sets memory.max */
	c->rc[10] = mos_sys_alloc(self, UINT64_MAX - 50, &c->h);
	mos_sys_getrusage(self, &c->u);
	return 0;
}

Test(res_mem2, sums_that_would_wrap_are_refused)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_limits_t l;
	mos_group_id_t g;
	hostile_t c = {0};
	mos_pid_t p;
	char buf[512];
	void *ptr = &c;

	cr_assert_eq(mos_program_register(k, "hostile", hostile_main), 0);
	p = t_spawn_arg(k, T_ARGV("hostile"), &c);
	cr_assert_eq(mos_group_create(k, 0, "g", &g), 0);
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	t_set_memory_limits(k, p, INF, INF);
	cr_assert_eq(mos_kernel_run(k, 1), 0);
	t_set_memory_limits(k, p, UINT64_MAX - 1, UINT64_MAX - 1);
	cr_assert_eq(mos_kernel_run(k, MS(1) + 1), 0);
	mos_group_limits_init(&l);
	l.memory_max = UINT64_MAX - 1;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	t_set_memory_limits(k, p, INF, INF);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(c.rc[0], MOS_EINVAL);
	cr_expect_eq(c.rc[1], MOS_EINVAL);
	cr_expect_eq(c.rc[2], 0);
	cr_expect_eq(c.rc[3], MOS_ENOMEM);
	cr_expect_eq(c.rc[4], MOS_ENOMEM);
	cr_expect_eq(c.rc[5], MOS_ENOMEM);
	cr_expect_eq(c.rc[6], MOS_EINVAL);
	cr_expect_eq(c.rc[7], MOS_ELIMIT);
	cr_expect_eq(c.rc[8], MOS_ELIMIT);
	cr_expect_eq(c.rc[9], MOS_ELIMIT);
	cr_expect_eq(c.rc[10], MOS_ELIMIT);
	cr_expect_eq(c.u.heap_current, 100);
	cr_expect_eq(c.u.stack_current, 0);
	cr_expect_eq(c.u.limit_violations, 4);
	cr_expect_str_eq(limits_traced(k, buf, sizeof(buf)),
			 "2:0:18446744073709551615:18446744073709551614@1000000 "
			 "2:1:18446744073709551615:18446744073709551614@1000000 "
			 "2:0:18446744073709551615:18446744073709551614@1000000 "
			 "2:8:18446744073709551615:18446744073709551614@2000000");
	cr_expect_eq(t_kstats(k).memory_used, 0);
	/* Not from the host. */
	cr_expect_eq(mos_sys_mem_ptr(NULL, c.h, &ptr), MOS_EINVAL);
	cr_expect_eq(ptr, &c);
	mos_kernel_destroy(k);
}

Test(res_mem2, size_parse)
{
	uint64_t v = 7;

	cr_expect_eq(mos_size_parse("0", &v), 0);
	cr_expect_eq(v, 0);
	cr_expect_eq(mos_size_parse("4096", &v), 0);
	cr_expect_eq(v, 4096);
	cr_expect_eq(mos_size_parse("12B", &v), 0);
	cr_expect_eq(v, 12);
	cr_expect_eq(mos_size_parse("64KiB", &v), 0);
	cr_expect_eq(v, 65536);
	cr_expect_eq(mos_size_parse("3MiB", &v), 0);
	cr_expect_eq(v, 3ull << 20);
	cr_expect_eq(mos_size_parse("2GiB", &v), 0);
	cr_expect_eq(v, 2ull << 30);
	cr_expect_eq(mos_size_parse("16777215TiB", &v), 0);
	cr_expect_eq(v, 16777215ull << 40);
	cr_expect_eq(mos_size_parse("1K", &v), 0);
	cr_expect_eq(v, 1024);
	cr_expect_eq(mos_size_parse("4KB", &v), 0);
	cr_expect_eq(v, 4000);
	cr_expect_eq(mos_size_parse("1MB", &v), 0);
	cr_expect_eq(v, 1000000);
	cr_expect_eq(mos_size_parse("1G", &v), 0);
	cr_expect_eq(v, 1ull << 30);
	cr_expect_eq(mos_size_parse("18446744TB", &v), 0);
	cr_expect_eq(v, 18446744000000000000ull);
	cr_expect_eq(mos_size_parse("18446745TB", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("18446744073709551615", &v), 0);
	cr_expect_eq(v, UINT64_MAX);
	v = 7;
	cr_expect_eq(mos_size_parse("18446744073709551616", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("16777216TiB", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("-1", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("1.5KiB", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("1kib", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("1 KiB", &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse(NULL, &v), MOS_EINVAL);
	cr_expect_eq(mos_size_parse("1", NULL), MOS_EINVAL);
	cr_expect_eq(v, 7, "a failed parse leaves *out alone");
}

/* ---- MOS_PROC_NO_ACCOUNT ----------------------------------------------- */

Test(res_mem2, no_account_process_still_has_its_limits)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_spec_t spec = t_spec(0, MOS_PRIO_NORMAL,
					 T_ARGV("leak", "1000", "1000"), NULL);
	mos_pid_t p;

	spec.flags = MOS_PROC_NO_ACCOUNT;
	p = t_make(k, &spec);
	t_set_memory_limits(k, p, 5000, INF);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, p).times.finished, MS(5));
	cr_expect_eq(t_usage(k, p).heap_peak, 0, "not accounted");
	cr_expect_eq(t_usage(k, p).limit_violations, 1);
	mos_kernel_destroy(k);
}
