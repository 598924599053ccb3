/*
 * tests/test_sched_posix.c - POSIX's preemption order for priority, rm and
 * edf, and their keys at the ends of the time range.
 *
 * SCHED_FIFO: "When a running thread is preempted, it shall become the head
 * of the thread list for its priority."  A process preempted by a strictly
 * more urgent one goes back ahead of the waiting processes with its key; a
 * yield goes behind them.  Every schedule below is worked out by hand in
 * ticks (1 ms) from the rules in docs/SCHEDULERS.md; the workloads are in
 * tests/data/posix/.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(posix, .timeout = T_TIMEOUT);

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

typedef struct want_slice {
	uint32_t proc;
	mos_time_t start, end; /* ticks */
} want_slice_t;

/* Run tests/data/posix/<name>.json under its own policy, or under
 * `policy` when not NULL. */
static mos_sched_report_t *run_file(const char *name, const char *policy)
{
	char path[256];
	mos_workload_t *w;
	mos_sched_params_t p;
	mos_sched_report_t *r = NULL;
	mos_error_t err;

	snprintf(path, sizeof(path), TEST_DATA_DIR "/posix/%s.json", name);
	cr_assert_eq(mos_workload_load_json(path, &w, &err), 0, "%s: %s", path,
		     err.message);
	p = w->policy;
	if (policy)
		snprintf(p.policy, sizeof(p.policy), "%s", policy);
	cr_assert_eq(mos_sched_run_workload(w, &p, &r, &err), 0, "%s: %s", path,
		     err.message);
	mos_workload_free(w);
	return r;
}

/* The report's slices, in order, are exactly want. */
static void expect_slices(const mos_sched_report_t *r, const want_slice_t *want,
			  size_t n)
{
	cr_assert_eq(r->nslices, n, "%s: %zu slices, want %zu", r->workload,
		     r->nslices, n);
	for (size_t i = 0; i < n; i++) {
		const mos_sched_slice_t *s = &r->slices[i];

		cr_assert(s->proc == want[i].proc && s->start == MS(want[i].start) &&
				  s->end == MS(want[i].end),
			  "%s: slice %zu is %s %llu-%llu ns, want %s %llu-%llu ms",
			  r->workload, i, r->procs[s->proc].name,
			  (unsigned long long)s->start, (unsigned long long)s->end,
			  r->procs[want[i].proc].name,
			  (unsigned long long)want[i].start,
			  (unsigned long long)want[i].end);
	}
}

/* Run tests/data/posix/<name>.json and expect exactly these slices. */
#define EXPECT_FILE(name, ...)                                              \
	do {                                                                \
		static const want_slice_t want_[] = {__VA_ARGS__};          \
		mos_sched_report_t *r_ = run_file(name, NULL);              \
		expect_slices(r_, want_, sizeof(want_) / sizeof(*want_));   \
		mos_sched_report_free(r_);                                  \
	} while (0)

/* ---- a preempted process heads its equals --------------------------------- */

/*
 * Issue 8: T1 (period 3, wcet 2, 4 jobs) and T2 (period 4, wcet 2, 3 jobs),
 * U = 7/6.  T1's jobs run at their releases 0, 3, 6, 9.  T2's job 0 runs
 * 2-3, is preempted, runs 5-6 ahead of job 1 (released 4); job 1 runs
 * 8-9, is preempted by T1 at 9 and runs 11-12 ahead of job 2 (released
 * 8), which runs 12-14.  Behind its equals, job 1 would have run 13-14
 * after job 2's 11-13.
 */
Test(posix, rm_overload_later_job_does_not_overtake)
{
	static const want_slice_t want[] = {
		{0, 0, 2}, {1, 2, 3}, {0, 3, 5}, {1, 5, 6}, {0, 6, 8},
		{1, 8, 9}, {0, 9, 11}, {1, 11, 12}, {1, 12, 14},
	};
	mos_sched_report_t *r = run_file("rm-overload", NULL);

	expect_slices(r, want, sizeof(want) / sizeof(*want));
	/* Worst job of T2: job 1, 4 -> 12. */
	cr_assert_eq(r->procs[1].response, MS(8));
	cr_assert_eq(r->procs[1].deadline_misses, 3);
	cr_assert_eq(r->procs[0].deadline_misses, 0);
	mos_sched_report_free(r);
}

/*
 * A (period 10, wcet 4) from 0, B (10, 2) from 1, C (5, 1) from 2.  B
 * waits behind A (equal period); C preempts A at 2 and A, preempted,
 * heads period 10 again: A 0-2, C 2-3, A 3-5, B 5-7.
 */
Test(posix, rm_preempted_job_heads_its_period)
{
	EXPECT_FILE("rm-head", {0, 0, 2}, {2, 2, 3}, {0, 3, 5}, {1, 5, 7});
}

/* The same under edf: A due at 10, B at 1 + 9 = 10, C at 2 + 5 = 7. */
Test(posix, edf_preempted_job_heads_its_deadline)
{
	EXPECT_FILE("edf-head", {0, 0, 2}, {2, 2, 3}, {0, 3, 5}, {1, 5, 7});
}

/* P1 (3) from 0, P2 (3) from 1, P3 (1) from 2: P1 0-2, P3 2-3, P1 3-5,
 * P2 5-7. */
Test(posix, priority_preempted_process_heads_its_number)
{
	EXPECT_FILE("priority-head", {0, 0, 2}, {2, 2, 3}, {0, 3, 5}, {1, 5, 7});
}

/*
 * Aging 10, keys in ticks less the common offset: rank x 10 + Ready time.
 * P0 (key 0) runs 0-3.  P1 (key 30) is picked at 3 having waited 3; P2
 * arrives at 4 with key 34 (P1 runs with key 30 + 4 - 3 = 31: no
 * preemption).  P3 (key 5) preempts P1 at 5, which goes back with the key
 * it ran with, 32, ahead of P2's 34: P3 5-6, P1 6-8, P2 8-10.  Waiting
 * afresh from 5 (key 35), P1 would have run after P2.
 */
Test(posix, priority_aging_preempted_process_keeps_its_credit)
{
	EXPECT_FILE("priority-aging-credit", {0, 0, 3}, {1, 3, 5}, {3, 5, 6},
		    {1, 6, 8}, {2, 8, 10});
}

/* ---- a yield goes behind its equals ------------------------------------------ */

/* A computes 2 ms, yields, computes 2 ms; B computes 3 ms; equal keys
 * (rank 0, no period, no deadline).  A 0-2, yields behind B (Ready since
 * 0): B 2-5, A 5-7. */
Test(posix, yield_goes_behind_equals)
{
	static const char *const policies[] = {"priority", "rm", "edf"};

	for (size_t i = 0; i < 3; i++) {
		mos_config_t cfg;
		mos_kernel_t *k;
		mos_pid_t a, b;

		mos_config_default(&cfg);
		snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s",
			 policies[i]);
		k = t_kernel(&cfg);
		a = t_spawn(k, T_ARGV("script", "[{\"compute\":\"2ms\"},"
				      "{\"yield\":true},{\"compute\":\"2ms\"}]"));
		b = t_spawn(k, T_ARGV("cpu", "3ms"));
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_eq(t_info(k, b).times.first_run, MS(2), "%s", policies[i]);
		cr_assert_eq(t_info(k, b).times.finished, MS(5), "%s", policies[i]);
		cr_assert_eq(t_info(k, a).times.finished, MS(7), "%s", policies[i]);
		mos_kernel_destroy(k);
	}
}

/* ---- stcf keeps its own rule ------------------------------------------------- */

/*
 * stcf: a preempted process is Ready from the preemption, behind equals
 * Ready longer.  Switch cost 1.  X (1) runs 0-1; R (pid before W, both 3
 * left, Ready since 0) is picked at 1, the switch ends at 2 and S (1),
 * admitted then, preempts R before it ran.  S: switch 2-3, runs 3-4.  W
 * (Ready since 0) goes before R (since 2): switch 4-5, W 5-8, switch 8-9,
 * R 9-12.  Under the POSIX rule R would have run 5-8.
 */
Test(posix, stcf_preempted_process_waits_afresh)
{
	EXPECT_FILE("stcf-afresh", {0, 0, 1}, {3, 3, 4}, {2, 5, 8}, {1, 9, 12});
}

/* ---- keys at the end of the time range ------------------------------------------ */

/* Create argv with sched attributes, admitted at start. */
static mos_kernel_t *policy_kernel(const char *policy, mos_time_t aging)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	cfg.sched.aging = aging;
	return t_kernel(&cfg);
}

/*
 * edf: B's deadline, admitted at 1 ms with MOS_TIME_NEVER - 10 to go,
 * saturates to MOS_TIME_NEVER and ranks with C (no deadline), which was
 * Ready first: A (due at 100 ms) 0-5, C 5-8, B 8-10.  Wrapped around, B
 * would be due at 1 ms - 11 ns and preempt A at once.
 */
Test(posix, edf_huge_deadline_saturates)
{
	mos_kernel_t *k = policy_kernel("edf", 0);
	mos_sched_attr_t near = {.deadline = MS(100)};
	mos_sched_attr_t huge = {.deadline = MOS_TIME_NEVER - 10};
	mos_sched_attr_t none = {0};
	mos_pid_t a = t_spawn_attr(k, &near, 0, T_ARGV("cpu", "5ms"));
	mos_pid_t c = t_spawn_attr(k, &none, 0, T_ARGV("cpu", "3ms"));
	mos_pid_t b = t_spawn_attr(k, &huge, MS(1), T_ARGV("cpu", "2ms"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, a).times.finished, MS(5));
	cr_assert_eq(t_info(k, c).times.first_run, MS(5));
	cr_assert_eq(t_info(k, c).times.finished, MS(8));
	cr_assert_eq(t_info(k, b).times.first_run, MS(8));
	cr_assert_eq(t_info(k, b).times.finished, MS(10));
	mos_kernel_destroy(k);
}

/*
 * priority with aging MOS_TIME_NEVER (counted as 2^42 ns): rank x aging
 * must not wrap, or rank 5 would come out smaller than rank 1.  P2
 * (rank 1) runs 0-2, then P1 (rank 5) 2-4.
 */
Test(posix, priority_huge_aging_keeps_ranks_apart)
{
	mos_kernel_t *k = policy_kernel("priority", MOS_TIME_NEVER);
	mos_sched_attr_t r5 = {.rank = 5}, r1 = {.rank = 1};
	mos_pid_t p1 = t_spawn_attr(k, &r5, 0, T_ARGV("cpu", "2ms"));
	mos_pid_t p2 = t_spawn_attr(k, &r1, 0, T_ARGV("cpu", "2ms"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, p2).times.finished, MS(2));
	cr_assert_eq(t_info(k, p1).times.first_run, MS(2));
	cr_assert_eq(t_info(k, p1).times.finished, MS(4));
	mos_kernel_destroy(k);
}

/*
 * Aged keys near the end of time saturate: at T = MOS_TIME_NEVER - 1 s
 * every key is MOS_TIME_NEVER, so the order is FIFO (then pid) and no
 * aging check can fire (a saturated key is never strictly below another).
 * P1 (rank 5) T to T + 2 ms, P2 (rank 1) to T + 4 ms, and the run ends.
 */
Test(posix, priority_aged_keys_saturate_at_the_end_of_time)
{
	mos_time_t t = MOS_TIME_NEVER - MOS_SEC;
	mos_kernel_t *k = policy_kernel("priority", MS(1));
	mos_sched_attr_t r5 = {.rank = 5}, r1 = {.rank = 1};
	mos_pid_t p1 = t_spawn_attr(k, &r5, t, T_ARGV("cpu", "2ms"));
	mos_pid_t p2 = t_spawn_attr(k, &r1, t, T_ARGV("cpu", "2ms"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, p1).times.finished, t + MS(2));
	cr_assert_eq(t_info(k, p2).times.first_run, t + MS(2));
	cr_assert_eq(t_info(k, p2).times.finished, t + MS(4));
	mos_kernel_destroy(k);
}
