/*
 * tests/test_sched_multios.c - the default policy's rules at exact times.
 */
#include "helpers.h"
#include "timeout.h"

TestSuite(sched_multios, .timeout = T_TIMEOUT);

static mos_pid_t spawn_at(mos_kernel_t *k, mos_priority_t prio,
			  mos_prio_class_t cls, const char *const *argv)
{
	mos_pid_t pid;
	cr_assert_eq(t_spawn_ex(k, 0, prio, cls, argv, NULL, &pid), 0);
	return pid;
}

Test(sched_multios, higher_level_runs_first)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t lo = spawn_at(k, MOS_PRIO_LOW, MOS_CLASS_USER, T_ARGV("cpu", "5ms"));
	mos_pid_t hi = spawn_at(k, MOS_PRIO_REALTIME, MOS_CLASS_USER, T_ARGV("cpu", "5ms"));
	mos_pid_t id = spawn_at(k, MOS_PRIO_IDLE, MOS_CLASS_USER, T_ARGV("cpu", "5ms"));

	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, hi).times.finished, MS(5));
	cr_assert_eq(t_info(k, lo).times.finished, MS(10));
	cr_assert_eq(t_info(k, id).times.finished, MS(15));
	mos_kernel_destroy(k);
}

Test(sched_multios, wakeup_preempts_mid_burst)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;
	mos_pid_t bg = spawn_at(k, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("cpu", "20ms"));
	/* High: sleeps 3 ms, computes 2 ms, twice. */
	mos_pid_t hi = spawn_at(k, MOS_PRIO_HIGH, MOS_CLASS_USER,
				T_ARGV("script", "[{\"sleep\":\"3ms\"},{\"compute\":\"2ms\"},"
					"{\"sleep\":\"3ms\"},{\"compute\":\"2ms\"}]"));

	mos_kernel_run(k, MOS_TIME_NEVER);
	/* hi: sleep 0-3, run 3-5, sleep 5-8, run 8-10; bg gets the rest. */
	cr_assert_eq(t_info(k, hi).times.finished, MS(10));
	cr_assert_eq(t_info(k, bg).times.finished, MS(24));
	cr_assert_eq(t_info(k, bg).times.involuntary_switches, 3);
	mos_kernel_stats(k, &st);
	cr_assert_eq(st.preemptions, 3); /* 2 wake-ups + 1 slice (10 ms) */
	mos_kernel_destroy(k);
}

Test(sched_multios, class_shapes_the_slice)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	cfg.sched.time_slice = MS(4);
	k = t_kernel(&cfg);
	mos_pid_t in = spawn_at(k, MOS_PRIO_NORMAL, MOS_CLASS_INTERACTIVE,
				T_ARGV("cpu", "8ms"));
	mos_pid_t bg = spawn_at(k, MOS_PRIO_NORMAL, MOS_CLASS_BACKGROUND,
				T_ARGV("cpu", "8ms"));
	mos_pid_t us = spawn_at(k, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("cpu", "8ms"));

	mos_kernel_run(k, MOS_TIME_NEVER);
	/* in 0-2, bg 2-10 (8 ms slice: done), us 10-14, in 14-16, us 16-20,
	 * in 20-22, in 22-24 (alone) */
	cr_assert_eq(t_info(k, bg).times.finished, MS(10));
	cr_assert_eq(t_info(k, us).times.finished, MS(20));
	cr_assert_eq(t_info(k, in).times.finished, MS(24));
	cr_assert_eq(t_info(k, bg).times.dispatches, 1);
	cr_assert_eq(t_info(k, us).times.dispatches, 2);
	mos_kernel_destroy(k);
}

Test(sched_multios, yield_goes_to_the_tail)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("script",
		"[{\"yield\":true},{\"compute\":\"1ms\"}]"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "1ms"));

	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, b).times.finished, MS(1));
	cr_assert_eq(t_info(k, a).times.finished, MS(2));
	cr_assert_eq(t_info(k, a).times.voluntary_switches, 1);
	mos_kernel_destroy(k);
}
