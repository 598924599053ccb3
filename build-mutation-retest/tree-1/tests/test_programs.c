/*
 * tests/test_programs.c - the built-in programs, scripts and durations.
 */
#include "helpers.h"
#include "timeout.h"

TestSuite(programs, .timeout = T_TIMEOUT);

Test(programs, durations)
{
	mos_time_t t;

	cr_assert_eq(mos_duration_parse("10ms", &t), 0);
	cr_assert_eq(t, MS(10));
	cr_assert_eq(mos_duration_parse("2.5s", &t), 0);
	cr_assert_eq(t, 2500 * MOS_MSEC);
	cr_assert_eq(mos_duration_parse("250us", &t), 0);
	cr_assert_eq(t, 250 * MOS_USEC);
	cr_assert_eq(mos_duration_parse("40ns", &t), 0);
	cr_assert_eq(t, 40);
	cr_assert_eq(mos_duration_parse("7", &t), 0);
	cr_assert_eq(t, MS(7));
	cr_assert_eq(mos_duration_parse("0.001ms", &t), 0);
	cr_assert_eq(t, 1000);
	cr_assert_eq(mos_duration_parse("", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("-1ms", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("1.ms", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("3 ms", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("5h", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("99999999999999999999s", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse(NULL, &t), MOS_EINVAL);
}

Test(programs, io_alternates_compute_and_sleep)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("io", "2ms", "3ms", "4"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_process_info_t in = t_info(k, p);
	cr_assert_eq(in.times.finished, MS(20));
	cr_assert_eq(in.times.cpu_user, MS(8));
	cr_assert_eq(in.times.blocked, MS(12));
	cr_assert_eq(in.times.voluntary_switches, 4);
	mos_kernel_destroy(k);
}

Test(programs, crash_defaults_and_args)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("crash"));
	mos_pid_t b = t_spawn(k, T_ARGV("crash", "42", "2ms"));
	mos_pid_t pid;

	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("crash", "300"), NULL, &pid), MOS_ECONFIG);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("idle", "x"), NULL, &pid), MOS_ECONFIG);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("io", "1ms", "1ms"), NULL, &pid), MOS_ECONFIG);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(MOS_WEXITSTATUS(t_info(k, a).exit_status), 1);
	cr_assert_eq(t_info(k, a).times.finished, 0);
	cr_assert_eq(MOS_WEXITSTATUS(t_info(k, b).exit_status), 42);
	cr_assert_eq(t_info(k, b).times.finished, MS(2));
	mos_kernel_destroy(k);
}

Test(programs, script_steps)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("script",
		"[{\"repeat\":3,\"steps\":[{\"compute\":\"1ms\"},{\"sleep\":2}]},"
		"{\"spawn\":{\"command\":[\"cpu\",\"4ms\"],\"priority\":\"low\"}},"
		"{\"spawn\":[\"script\",[{\"compute\":\"1ms\"},{\"exit\":6}]]},"
		"{\"wait\":\"all\"},{\"yield\":true},{\"exit\":12}]"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_process_info_t in = t_info(k, p);
	/* 3 x (1 + 2) = 9 ms; then the children: the Normal script child
	 * runs 1 ms, the Low cpu child 4 ms: done at 14 ms. */
	cr_assert_eq(in.times.finished, MS(14));
	cr_assert_eq(MOS_WEXITSTATUS(in.exit_status), 12);
	cr_assert_eq(in.times.cpu_user, MS(3));
	mos_process_info_t c1 = t_info(k, p + 1), c2 = t_info(k, p + 2);
	cr_assert_eq(c1.priority, MOS_PRIO_LOW);
	cr_assert_eq(c1.times.finished, MS(14));
	cr_assert_eq(MOS_WEXITSTATUS(c2.exit_status), 6);
	cr_assert_eq(c2.times.finished, MS(10));
	mos_kernel_destroy(k);
}

Test(programs, script_rejects_bad_steps)
{
	static const char *const bad[] = {
		"not json", "{}", "[1]", "[{\"compute\":\"fast\"}]",
		"[{\"sleep\":-1}]", "[{\"wait\":\"some\"}]", "[{\"exit\":256}]",
		"[{\"repeat\":2}]", "[{\"spawn\":[]}]",
		"[{\"spawn\":{\"command\":[\"cpu\"],\"priority\":\"max\"}}]",
		"[{\"compute\":\"1ms\",\"sleep\":\"1ms\"}]",
	};
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t pid;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
					T_ARGV("script", bad[i]), NULL, &pid),
			     MOS_ECONFIG, "accepted: %s", bad[i]);
	cr_assert_eq(mos_trace_total(k), 1);
	mos_kernel_destroy(k);
}

Test(programs, register_validation)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_program_t prog = {0};

	cr_assert_eq(mos_program_register(k, NULL, NULL), MOS_EINVAL);
	cr_assert_eq(mos_program_register(k, "", NULL), MOS_EINVAL);
	cr_assert_eq(mos_program_register_ex(k, &prog), MOS_EINVAL);
	cr_assert_eq(mos_program_register_ex(NULL, &prog), MOS_EINVAL);
	cr_assert_eq(mos_program_register(k, "cpu", (mos_main_fn)1), MOS_EPROCEXISTS);
	mos_kernel_destroy(k);
}
