/*
 * tests/test_limits.c - the process table at its documented limit, and a
 * real stack overflow.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(limits, .timeout = T_TIMEOUT);

/* Acceptance (performance issue) 3: max_processes = 65 536, init included,
 * with the default configuration on a stock kernel (vm.max_map_count
 * 65 530): every stack fits, the next create fails, all are reaped. */
Test(limits, fill_the_process_table, .timeout = 120)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;
	mos_pid_t pid = 0, last = 0;
	size_t n = 0;

	cr_assert_eq(mos_kernel_config(k)->max_processes, 65536);
	for (int i = 0; i < 65535; i++) {
		int err = t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				     T_ARGV("sleep", "1ms"), NULL, &pid);
		cr_assert_eq(err, 0, "create %d: %s", i, mos_strerror(err));
		last = pid;
	}
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 65536);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("sleep", "1ms"), NULL, &pid), MOS_EEXHAUSTED);
	cr_assert_eq(pid, last);
	/* Each runs once (sleeps), then init reaps them all. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), MS(1));
	mos_kernel_stats(k, &st);
	cr_assert_eq(st.processes_reaped, 65535);
	cr_assert_eq(st.live_processes, 1);
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 1);
	/* The table takes new processes again. */
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("cpu", "1ms"), NULL, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, pid).state, MOS_STATE_DEFUNCT);
	mos_kernel_destroy(k);
}

/*
 * Acceptance (performance issue) 4: a process overflows its stack on
 * purpose.  Each level of the recursion fills a small frame and yields, so
 * the kernel checks the canary at every level; the frame that crosses into
 * the canary (256 bytes, larger than a frame here) is caught before any
 * deeper write.  The process dies of SIGSEGV; the others carry on.
 */
static int depth_reached;

static int dive(mos_proc_t *self, int level)
{
	volatile char frame[48];

	memset((char *)frame, level & 0x7f ? level & 0x7f : 1, sizeof(frame));
	depth_reached = level; /* written only by this process, read at exit */
	mos_sys_yield(self);
	if (level > (1 << 24)) /* never: the stack ends long before */
		return 0;
	return dive(self, level + 1) + frame[level % sizeof(frame)];
}

static int overflow_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(1));
	return dive(self, 0);
}

Test(limits, stack_overflow_is_sigsegv_and_others_carry_on)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t bad, good[3];

	cr_assert_eq(mos_program_register(k, "overflow", overflow_main), 0);
	good[0] = t_spawn(k, T_ARGV("cpu", "5ms"));
	bad = t_spawn(k, T_ARGV("overflow"));
	good[1] = t_spawn(k, T_ARGV("io", "1ms", "1ms", "3"));
	good[2] = t_spawn(k, T_ARGV("script", "[{\"spawn\":[\"cpu\",\"2ms\"]},"
				    "{\"wait\":\"all\"},{\"exit\":7}]"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	mos_process_info_t b = t_info(k, bad);
	cr_assert_eq(b.state, MOS_STATE_DEFUNCT);
	cr_assert(MOS_WIFSIGNALED(b.exit_status));
	cr_assert_eq(MOS_WTERMSIG(b.exit_status), MOS_SIGSEGV);
	cr_assert_eq(b.times.cpu_user, MS(1));
	/* It really recursed deep: thousands of bytes of frames. */
	cr_assert_gt(depth_reached, 50, "depth %d", depth_reached);
	cr_assert(MOS_WIFEXITED(t_info(k, good[0]).exit_status));
	cr_assert_eq(t_info(k, good[0]).times.cpu_user, MS(5));
	cr_assert_eq(t_info(k, good[1]).times.cpu_user, MS(3));
	cr_assert_eq(MOS_WEXITSTATUS(t_info(k, good[2]).exit_status), 7);

	/* The stack went back to the pool clean: a new process reuses it. */
	mos_pid_t again = t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert(MOS_WIFEXITED(t_info(k, again).exit_status));
	mos_kernel_destroy(k);
}
