/*
 * tests/test_res_limits.c - the frame of the resources subsystem
 * (multios/resource.h): limits (defaults, the host's set and get,
 * setrlimit and getrlimit with their permission rule, inheritance),
 * max_processes per real uid with its violation, mos_process_get_stats's
 * scheduler fields, and the configuration's "resources" section.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_limits, .timeout = T_TIMEOUT);

#define INF MOS_RLIM_INFINITY
#define INF32 MOS_RLIM32_INFINITY

static mos_rlimits_t limits_of(mos_kernel_t *k, mos_pid_t pid,
			       mos_rlimits_t *hard)
{
	mos_rlimits_t soft;

	cr_assert_eq(mos_process_get_limits(k, pid, &soft, hard), 0);
	return soft;
}

static const char *events_of(mos_kernel_t *k, mos_trace_kind_t kind,
			     char *buf, size_t size)
{
	return t_trace_kind(k, kind, 1, buf, size);
}

/* ---- defaults and the host's calls ------------------------------------ */

Test(res_limits, defaults_come_from_the_config)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_rlimits_t hard, soft = limits_of(k, 1, &hard);
	mos_config_t cfg;
	mos_pid_t p;

	cr_assert_eq(soft.max_memory, 256ull << 20);
	cr_assert_eq(soft.max_stack_size, 8ull << 20);
	cr_assert_eq(soft.max_file_descriptors, 1024);
	cr_assert_eq(soft.max_processes, INF32);
	cr_assert_eq(soft.max_cpu_time, INF);
	cr_assert_eq(soft.max_creation_time, INF);
	cr_assert_eq(soft.max_io_read, INF);
	cr_assert_eq(soft.max_io_write, INF);
	cr_assert_eq(memcmp(&soft, &hard, sizeof(soft)), 0);
	mos_kernel_destroy(k);

	mos_config_default(&cfg);
	cfg.default_memory_limit = 1000;
	cfg.default_stack_size = 2000;
	cfg.default_file_descriptor_limit = 3;
	k = t_kernel(&cfg);
	p = t_spawn(k, T_ARGV("idle"));
	soft = limits_of(k, p, &hard);
	cr_assert_eq(soft.max_memory, 1000);
	cr_assert_eq(soft.max_stack_size, 2000);
	cr_assert_eq(soft.max_file_descriptors, 3);
	cr_assert_eq(hard.max_file_descriptors, 3);
	mos_kernel_destroy(k);
}

Test(res_limits, host_set_and_get_validate_and_change_nothing_on_error)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("idle"));
	mos_rlimits_t soft, hard, before, got, gothard;

	before = limits_of(k, p, NULL);
	mos_rlimits_init(&soft);
	soft.max_memory = 4096;
	hard = soft;
	hard.max_memory = 2048; /* soft above hard */
	cr_expect_eq(mos_process_set_limits(k, p, &soft, &hard), MOS_EINVAL);
	cr_expect_eq(mos_process_set_limits(NULL, p, &soft, NULL), MOS_EINVAL);
	cr_expect_eq(mos_process_set_limits(k, p, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_process_set_limits(k, 0, &soft, NULL), MOS_EINVALPID);
	cr_expect_eq(mos_process_set_limits(k, 99, &soft, NULL),
		     MOS_EPROCNOTFOUND);
	got = limits_of(k, p, NULL);
	cr_expect_eq(memcmp(&got, &before, sizeof(got)), 0);

	/* hard NULL: the same as soft. */
	cr_assert_eq(mos_process_set_limits(k, p, &soft, NULL), 0);
	got = limits_of(k, p, &gothard);
	cr_expect_eq(got.max_memory, 4096);
	cr_expect_eq(gothard.max_memory, 4096);
	cr_expect_eq(got.max_file_descriptors, INF32);

	cr_expect_eq(mos_process_get_limits(k, p, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_process_get_limits(k, -3, &got, NULL), MOS_EINVALPID);
	cr_expect_eq(mos_process_get_limits(k, 77, &got, NULL),
		     MOS_EPROCNOTFOUND);

	/* A dead process's limits are read, not set. */
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_process_set_limits(k, p, &soft, NULL),
		     MOS_EPROCNOTFOUND);
	cr_expect_eq(limits_of(k, p, NULL).max_memory, 4096);
	mos_kernel_destroy(k);
}

/* ---- setrlimit and getrlimit --------------------------------------------- */

struct rl_probe {
	int rc[8];
	uint64_t soft, hard;
};

static int rl_main(mos_proc_t *self, int argc, char **argv)
{
	struct rl_probe *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	/* Lower the soft value, raise it back up to the hard one. */
	r->rc[0] = mos_sys_setrlimit(self, MOS_RLIMIT_NOFILE, 10, 1024);
	r->rc[1] = mos_sys_setrlimit(self, MOS_RLIMIT_NOFILE, 1024, 1024);
	/* Raise the hard one: needs RESOURCE. */
	r->rc[2] = mos_sys_setrlimit(self, MOS_RLIMIT_NOFILE, 10, 2048);
	/* Lower the hard one: always allowed, and then it cannot come back. */
	r->rc[3] = mos_sys_setrlimit(self, MOS_RLIMIT_NOFILE, 100, 500);
	r->rc[4] = mos_sys_setrlimit(self, MOS_RLIMIT_NOFILE, 100, 501);
	r->rc[5] = mos_sys_setrlimit(self, MOS_RLIMIT_COUNT, 1, 1);
	r->rc[6] = mos_sys_setrlimit(self, MOS_RLIMIT_CPU, 2, 1);
	r->rc[7] = mos_sys_setrlimit(self, MOS_RLIMIT_NPROC, 1ull << 32,
				     INF);
	mos_sys_getrlimit(self, MOS_RLIMIT_NOFILE, &r->soft, &r->hard);
	return 0;
}

Test(res_limits, setrlimit_raises_a_hard_value_only_with_resource)
{
	mos_kernel_t *k = t_kernel(NULL);
	struct rl_probe user = {{0}, 0, 0}, priv = {{0}, 0, 0};
	char buf[256];
	mos_pid_t a, b;

	cr_assert_eq(mos_program_register(k, "rl", rl_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, T_ARGV("rl"),
				&user, &a), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, MOS_CAP_RESOURCE,
				T_ARGV("rl"), &priv, &b), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	cr_expect_eq(user.rc[0], 0);
	cr_expect_eq(user.rc[1], 0);
	cr_expect_eq(user.rc[2], MOS_EPERM);
	cr_expect_eq(user.rc[3], 0);
	cr_expect_eq(user.rc[4], MOS_EPERM);
	cr_expect_eq(user.rc[5], MOS_EINVAL);
	cr_expect_eq(user.rc[6], MOS_EINVAL);
	cr_expect_eq(user.rc[7], MOS_EINVAL);
	cr_expect_eq(user.soft, 100);
	cr_expect_eq(user.hard, 500);

	cr_expect_eq(priv.rc[2], 0);
	cr_expect_eq(priv.rc[4], 0);
	cr_expect_eq(priv.soft, 100);
	cr_expect_eq(priv.hard, 501);

	/* The two denials, audited: actor, action, target, the resource. */
	cr_expect_eq(t_kstats(k).permission_denials, 2);
	cr_expect_str_eq(events_of(k, MOS_TRACE_AUDIT, buf, sizeof(buf)),
			 "2:5:2:2@0 2:5:2:2@0");
	mos_kernel_destroy(k);
}

/* ---- inheritance ------------------------------------------------------ */

static int spawner_main(mos_proc_t *self, int argc, char **argv)
{
	mos_pid_t *child = mos_sys_state(self);

	(void)argc;
	(void)argv;
	return mos_sys_spawn(self, T_ARGV("idle"), child) < 0;
}

Test(res_limits, a_child_inherits_both_sets)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_rlimits_t soft, hard, cs, ch;
	mos_pid_t child = 0, p;

	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	p = t_spawn_arg(k, T_ARGV("spawner"), &child);
	mos_rlimits_init(&soft);
	soft.max_memory = 1 << 20;
	soft.max_cpu_time = MS(30);
	hard = soft;
	hard.max_cpu_time = MS(40);
	cr_assert_eq(mos_process_set_limits(k, p, &soft, &hard), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_gt(child, 0);
	cs = limits_of(k, child, &ch);
	cr_expect_eq(memcmp(&cs, &soft, sizeof(cs)), 0);
	cr_expect_eq(memcmp(&ch, &hard, sizeof(ch)), 0);
	mos_kernel_destroy(k);
}

/* ---- max_processes per real uid ------------------------------------------ */

struct nproc {
	int rc[4];
	mos_pid_t pids[4];
};

static int nproc_main(mos_proc_t *self, int argc, char **argv)
{
	struct nproc *n = mos_sys_state(self);
	int status;

	(void)argc;
	(void)argv;
	/* Itself and two children make three: the third child is refused. */
	for (int i = 0; i < 3; i++)
		n->rc[i] = mos_sys_spawn(self, T_ARGV("sleep", "5ms"),
					 &n->pids[i]);
	/* Once one is reaped, there is room again. */
	mos_sys_wait(self, &status);
	n->rc[3] = mos_sys_spawn(self, T_ARGV("sleep", "5ms"), &n->pids[3]);
	return 0;
}

Test(res_limits, max_processes_counts_live_processes_of_the_real_uid)
{
	mos_kernel_t *k = t_kernel(NULL);
	struct nproc n = {{0}, {0}}, root = {{0}, {0}};
	mos_rlimits_t soft;
	mos_rusage_t u;
	char buf[256];
	mos_pid_t p, r;

	cr_assert_eq(mos_program_register(k, "nproc", nproc_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0,
				T_ARGV("nproc"), &n, &p), 0);
	/* Root is not counted against the limit, as on Linux. */
	r = t_spawn_arg(k, T_ARGV("nproc"), &root);
	mos_rlimits_init(&soft);
	soft.max_processes = 3;
	cr_assert_eq(mos_process_set_limits(k, p, &soft, NULL), 0);
	cr_assert_eq(mos_process_set_limits(k, r, &soft, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	cr_expect_eq(n.rc[0], 0);
	cr_expect_eq(n.rc[1], 0);
	cr_expect_eq(n.rc[2], MOS_ELIMIT);
	cr_expect_eq(n.rc[3], 0);
	cr_expect_eq(root.rc[2], 0);

	cr_assert_eq(mos_process_get_stats(k, p, &u), 0);
	cr_expect_eq(u.limit_violations, 1);
	cr_expect_eq(t_kstats(k).limit_violations, 1);
	/* pid 2, NPROC (3), would have been 4 of 3, at time 0. */
	cr_expect_str_eq(events_of(k, MOS_TRACE_LIMIT, buf, sizeof(buf)),
			 "2:3:4:3@0");
	mos_kernel_destroy(k);
}

/* ---- usage --------------------------------------------------------------- */

static int burn_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(5));
	mos_sys_yield(self);
	mos_sys_compute(self, MS(2));
	return 0;
}

Test(res_limits, stats_report_the_scheduler_counters_and_survive_reaping)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_rusage_t u;
	mos_pid_t p;

	cr_assert_eq(mos_program_register(k, "burn", burn_main), 0);
	p = t_spawn(k, T_ARGV("burn"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_process_get_stats(k, p, &u), 0);
	cr_expect_eq(u.cpu_user, MS(7));
	cr_expect_eq(u.cpu_system, 0);
	cr_expect_eq(u.cpu_total, MS(7));
	cr_expect_eq(u.voluntary_switches, 1);
	cr_expect_eq(u.involuntary_switches, 0);
	cr_expect_eq(u.group, 0);
	cr_expect_eq(u.ioprio, MOS_IOPRIO_DEFAULT);
	cr_expect_eq(u.limit_violations, 0);

	cr_expect_eq(mos_process_get_stats(NULL, p, &u), MOS_EINVAL);
	cr_expect_eq(mos_process_get_stats(k, p, NULL), MOS_EINVAL);
	cr_expect_eq(mos_process_get_stats(k, 0, &u), MOS_EINVALPID);
	cr_expect_eq(mos_process_get_stats(k, 50, &u), MOS_EPROCNOTFOUND);
	mos_kernel_destroy(k);
}

/* ---- the "resources" section of the configuration ----------------------- */

Test(res_limits, config_resources_section_overlays_every_field)
{
	char path[] = "/tmp/mos-res-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	mos_config_t c, d;
	mos_error_t err;

	cr_assert_not_null(f);
	fputs("{\"resources\": {\"memory_size\": 65536, \"memory_backing\": true,"
	      " \"device\": {\"latency_ms\": 0.5, \"bandwidth\": 1000,"
	      " \"queue_depth\": 4, \"scheduler\": \"priority\"},"
	      " \"syscall_costs_ms\": {\"spawn\": 0.25, \"getrusage\": 1},"
	      " \"sample_interval_ms\": 10, \"sample_capacity\": 8,"
	      " \"monitor_window_ms\": 250}}", f);
	fclose(f);
	mos_config_default(&c);
	d = c;
	cr_assert_eq(d.res.memory_size, 4ull << 30);
	cr_assert_eq(d.res.device.latency, 100 * MOS_USEC);
	cr_assert_eq(d.res.device.bandwidth, 100000000);
	cr_assert_str_eq(d.res.device.scheduler, "fifo");
	cr_assert_eq(d.res.sample_interval, 0);
	cr_assert_eq(mos_config_load_json(path, &c, &err), 0, "%s", err.message);
	unlink(path);
	cr_expect_eq(c.res.memory_size, 65536);
	cr_expect(c.res.memory_backing);
	cr_expect_eq(c.res.device.latency, 500 * MOS_USEC);
	cr_expect_eq(c.res.device.bandwidth, 1000);
	cr_expect_eq(c.res.device.queue_depth, 4);
	cr_expect_str_eq(c.res.device.scheduler, "priority");
	cr_expect_eq(c.res.syscall_cost[MOS_SYS_SPAWN], 250 * MOS_USEC);
	cr_expect_eq(c.res.syscall_cost[MOS_SYS_GETRUSAGE], MOS_MSEC);
	cr_expect_eq(c.res.syscall_cost[MOS_SYS_COMPUTE], 0);
	cr_expect_eq(c.res.sample_interval, MS(10));
	cr_expect_eq(c.res.sample_capacity, 8);
	cr_expect_eq(c.res.monitor_window, MS(250));
	cr_expect_str_eq(mos_syscall_name(MOS_SYS_SPAWN), "spawn");
	cr_expect_str_eq(mos_syscall_name(MOS_SYS_GETRUSAGE), "getrusage");
	cr_expect_null(mos_syscall_name(MOS_SYS_COUNT));
}
