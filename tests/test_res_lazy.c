/*
 * tests/test_res_lazy.c - what a child inherits from a parent that
 * touched one part of the resources subsystem and nothing else.
 *
 * The subsystem runs a module's hooks only for processes that hold or
 * changed something of it (res_local.h, "lazy"): a parent that only
 * changed directory, only has a CPU limit, only a lifetime, or only sits
 * in a throttled group must still hand each of them down at fork.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_lazy, .timeout = T_TIMEOUT);

/* Wait argv[1] ms (0: none), spawn argv[2 ...] and wait for it; the
 * child's pid goes to the state. */
static int spawner_main(mos_proc_t *self, int argc, char **argv)
{
	mos_pid_t *child = mos_sys_state(self);
	int status = 0;

	if (argc < 3)
		return 100;
	if (argv[1][0] != '0')
		mos_sys_sleep(self, MS(atoi(argv[1])));
	if (mos_sys_spawn(self, (const char *const *)&argv[2], child) < 0)
		return 101;
	mos_sys_wait(self, &status);
	return 0;
}

/* chdir to argv[1], then the spawner's work on argv[2 ...]. */
static int cd_main(mos_proc_t *self, int argc, char **argv)
{
	if (argc < 2 || mos_sys_chdir(self, argv[1]) < 0)
		return 102;
	return spawner_main(self, argc - 1, argv + 1);
}

/* Open argv[1] for reading: 0 when it opens. */
static int opener_main(mos_proc_t *self, int argc, char **argv)
{
	int fd = -1;

	return argc == 2 && mos_sys_open(self, argv[1], MOS_O_READ, &fd) == 0
		       ? 0
		       : 1;
}

static mos_kernel_t *lazy_kernel(void)
{
	mos_kernel_t *k = t_kernel(NULL);

	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	cr_assert_eq(mos_program_register(k, "cd", cd_main), 0);
	cr_assert_eq(mos_program_register(k, "opener", opener_main), 0);
	return k;
}

static void set_limits(mos_kernel_t *k, mos_pid_t pid, mos_time_t cpu_soft,
		       mos_time_t life)
{
	mos_rlimits_t s, h;

	cr_assert_eq(mos_process_get_limits(k, pid, &s, &h), 0);
	s.max_cpu_time = cpu_soft;
	s.max_creation_time = h.max_creation_time = life;
	cr_assert_eq(mos_process_set_limits(k, pid, &s, &h), 0);
}

Test(res_lazy, a_child_opens_relative_to_the_directory_its_parent_only_changed)
{
	mos_kernel_t *k = lazy_kernel();
	mos_pid_t child = 0, parent;

	cr_assert_eq(mos_fs_mkdir(k, "/d"), 0);
	cr_assert_eq(mos_fs_create(k, "/d/f", 10), 0);
	parent = t_spawn_arg(k, T_ARGV("cd", "/d", "0", "opener", "f"), &child);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_gt(child, 0);
	cr_expect_eq(t_info(k, parent).exit_status, 0);
	cr_expect_eq(t_info(k, child).exit_status, 0, "f found in /d");
	mos_kernel_destroy(k);
}

Test(res_lazy, a_child_meets_the_cpu_limit_its_parent_only_had)
{
	mos_kernel_t *k = lazy_kernel();
	mos_pid_t child = 0, parent;

	parent = t_spawn_arg(k, T_ARGV("spawner", "10", "cpu", "3600s"),
			     &child);
	set_limits(k, parent, MS(50), MOS_RLIM_INFINITY);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_gt(child, 0);
	/* Born at 10 ms, alone on the CPU: 50 ms of it at 60 ms. */
	cr_expect_eq(MOS_WTERMSIG(t_info(k, child).exit_status), MOS_SIGXCPU);
	cr_expect_eq(t_info(k, child).times.finished, MS(60));
	cr_expect_eq(t_info(k, parent).exit_status, 0);
	mos_kernel_destroy(k);
}

Test(res_lazy, a_child_dies_at_the_lifetime_its_parent_only_had)
{
	mos_kernel_t *k = lazy_kernel();
	mos_pid_t child = 0, parent;

	parent = t_spawn_arg(k, T_ARGV("spawner", "10", "cpu", "3600s"),
			     &child);
	set_limits(k, parent, MOS_RLIM_INFINITY, MS(100));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_gt(child, 0);
	cr_expect_eq(t_info(k, parent).exit_status,
		     MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, parent).times.finished, MS(100));
	cr_expect_eq(t_info(k, child).exit_status,
		     MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, child).times.finished, MS(110));
	mos_kernel_destroy(k);
}

Test(res_lazy, a_child_is_throttled_in_the_group_its_idle_parent_sits_in)
{
	mos_kernel_t *k = lazy_kernel();
	mos_group_limits_t l;
	mos_group_id_t g = 0;
	mos_pid_t child = 0, parent;

	cr_assert_eq(mos_group_create(k, 0, "capped", &g), 0);
	mos_group_limits_init(&l);
	l.cpu_quota = MS(20);
	l.cpu_period = MS(100);
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	parent = t_spawn_arg(k, T_ARGV("spawner", "0", "cpu", "40ms"), &child);
	cr_assert_eq(mos_group_attach(k, g, parent), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_gt(child, 0);
	/* 20 ms in [0, 100 ms), held to 100 ms, the other 20 ms then. */
	cr_expect_eq(t_info(k, child).exit_status, 0);
	cr_expect_eq(t_info(k, child).times.finished, MS(120));
	cr_expect_eq(t_usage(k, child).throttled_time, MS(80));
	mos_kernel_destroy(k);
}

Test(res_lazy, a_process_that_touched_nothing_leaves_nothing_behind)
{
	mos_kernel_t *k = lazy_kernel();
	mos_kernel_stats_t st;
	mos_pid_t child = 0;

	t_spawn_arg(k, T_ARGV("spawner", "0", "cpu", "1ms"), &child);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	st = t_kstats(k);
	cr_expect_eq(st.memory_used, 0);
	cr_expect_eq(st.device_queue, 0);
	cr_expect_eq(t_usage(k, child).fds_open, 0);
	cr_expect_eq(t_usage(k, child).memory_peak, 0);
	cr_expect_eq(t_usage(k, child).cpu_user, MS(1));
	mos_kernel_destroy(k);
}
