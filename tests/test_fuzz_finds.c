/*
 * tests/test_fuzz_finds.c - regression tests for the library bugs the
 * fuzz harnesses found (tests/fuzz/, docs/TESTING.md sections 3-4).
 * Each test names the harness and the corpus file that found it.
 */
#include <criterion/criterion.h>

#include "multios/multios.h"
#include "timeout.h"

TestSuite(fuzz_finds, .timeout = T_TIMEOUT);

/* names: crash-wrap-18446744073.9s.  The whole seconds fitted, the
 * fraction was then added without a check and the sum wrapped past
 * 2^64 ns into a small duration that was accepted. */
Test(fuzz_finds, duration_fraction_does_not_wrap)
{
	mos_time_t t = 42;

	cr_assert_eq(mos_duration_parse("18446744073.9s", &t), MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("18446744073.709551615s", &t),
		     MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("18446744073709.551615ms", &t),
		     MOS_EINVAL);
	cr_assert_eq(t, 42);
	cr_assert_eq(mos_duration_parse("18446744073.709551614s", &t), 0);
	cr_assert_eq(t, UINT64_MAX - 1);
}

/* names: crash-refused-18446744073709551614ns.  The digit loop refused
 * any value past (2^64 - 10) / 10 before the last digit, so durations
 * just below MOS_TIME_NEVER were refused although they fit. */
Test(fuzz_finds, duration_near_the_limit_is_accepted)
{
	mos_time_t t = 42;

	cr_assert_eq(mos_duration_parse("18446744073709551614ns", &t), 0);
	cr_assert_eq(t, UINT64_MAX - 1);
	cr_assert_eq(mos_duration_parse("18446744073709551610ns", &t), 0);
	cr_assert_eq(t, UINT64_MAX - 5);
	t = 42;
	cr_assert_eq(mos_duration_parse("18446744073709551615ns", &t),
		     MOS_EINVAL);
	cr_assert_eq(mos_duration_parse("18446744073709551616ns", &t),
		     MOS_EINVAL);
	cr_assert_eq(t, 42);
}

/* scenario: crash-unknown-program.json.  A process naming a program
 * that does not exist loaded, and every run of it failed with
 * MOS_ENOPROG, against the loader's promise that a run fails only for
 * want of memory.  The loader now creates each process on its check
 * kernel as the run would. */
Test(fuzz_finds, scenario_process_with_unknown_program_refused_at_load)
{
	static const char text[] =
		"{\"processes\": [{\"name\": \"a\", \"command\": [\"cpu\", "
		"\"1ms\"]}, {\"name\": \"b\", \"command\": [\"nosuch\"]}]}";
	mos_scenario_t *sc = (mos_scenario_t *)1;
	mos_error_t err;

	cr_assert_eq(mos_scenario_load_string(text, sizeof(text) - 1, "t",
					      &sc, &err),
		     MOS_ENOPROG);
	cr_assert_null(sc);
	cr_assert_eq(err.code, MOS_ENOPROG);
	cr_assert_str_eq(err.path, "processes[1].command");
	cr_assert_str_eq(err.message,
			 "t: processes[1].command: 'nosuch': no such program");
}

Test(fuzz_finds, scenario_process_with_bad_arguments_refused_at_load)
{
	static const char text[] =
		"{\"processes\": [{\"name\": \"a\", \"command\": [\"cpu\", "
		"\"soon\"]}]}";
	mos_scenario_t *sc = NULL;
	mos_error_t err;

	cr_assert_eq(mos_scenario_load_string(text, sizeof(text) - 1, "t",
					      &sc, &err),
		     MOS_ECONFIG);
	cr_assert_null(sc);
	cr_assert_str_eq(err.path, "processes[0].command");
}
