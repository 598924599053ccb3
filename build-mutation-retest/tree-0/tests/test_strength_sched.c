/*
 * tests/test_strength_sched.c - policy rules that no other test pinned
 * down (issue 16, section 3): multios's preempted process heading its
 * level, mlfq's I/O bump, cfs's wake-up preemption at the exact
 * granularity, how a yield is ordered under every heap policy, and the
 * equality boundaries of preemption (an equal key never preempts).  Each
 * expected schedule is worked out by hand above its test (times in ms);
 * each test fails under the single-line fault its comment names.
 */
#include "strength.h"
#include "timeout.h"

TestSuite(strength_sched, .timeout = T_TIMEOUT);

/* ---- multios: a preempted process keeps the head of its level ----------------- */

/*
 * Slice 10.  A, B (Normal, 20 each); H (High) sleeps 5 then computes 1.
 * H 0 (sleeps), A 0-5, H 5-6 (wakes, preempts A), A back at the head of
 * Normal with the rest of its slice: A 6-11, B 11-21, A 21-31, B 31-41.
 * Faults: put_prev(PREEMPT) pushing to the tail (B 6-16, A 16-21, B
 * 21-31, A 31-41: A ends at 41); a preempted process's slice reset (A
 * 6-16, B first at 16).
 */
Test(strength_sched, multios_preempted_process_heads_its_level)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "20ms"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "20ms"));
	mos_pid_t h;
	char buf[256];

	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_HIGH, MOS_CLASS_USER,
				T_ARGV("script", "[{\"sleep\":\"5ms\"},"
				       "{\"compute\":\"1ms\"}]"), NULL, &h), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "4:0 2:0 4:5 2:6 3:11 2:21 3:31");
	cr_assert_eq(t_info(k, a).times.finished, MS(31));
	cr_assert_eq(t_info(k, b).times.first_run, MS(11));
	cr_assert_eq(t_info(k, b).times.finished, MS(41));
	cr_assert_eq(t_info(k, h).times.finished, MS(6));
	cr_assert_eq(t_info(k, a).times.involuntary_switches, 2);
	mos_kernel_destroy(k);
}

/* ---- mlfq: the I/O bump is for processes back from I/O only ---------------- */

static mos_kernel_t *mlfq_bump_kernel(void)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "mlfq");
	cfg.sched.queues = 1;
	cfg.sched.time_slice = MS(10);
	cfg.sched.io_bump = true;
	return t_kernel(&cfg);
}

/* B, not back from I/O, waited at the tail for A's quantum to end. */
static void expect_b_at_tail(mos_kernel_t *k, mos_pid_t a, mos_pid_t b)
{
	char buf[256];

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:10 2:12");
	cr_assert_eq(t_info(k, b).times.finished, MS(12));
	cr_assert_eq(t_info(k, a).times.finished, MS(22));
	mos_kernel_destroy(k);
}

/*
 * One queue, quantum 10, io_bump on.  A (20) runs from 0.
 * - B (2) admitted at 3 goes to the tail: A 0-10, B 10-12, A 12-22.
 * - B Ready from 0, suspended at 1 and resumed at 3: the same.
 * - W sleeps 3 first (it runs at 0), then computes 2: back from I/O it
 *   goes to the front and preempts A: W 3-5, A 5-12 (the rest of its
 *   quantum), then alone 12-22.
 * Fault: enqueue bumping whatever the reason (`why == MOS_ENQ_WAKE`
 * dropped): B would run 3-5 in the first two cases.
 */
Test(strength_sched, mlfq_io_bump_only_after_io)
{
	mos_kernel_t *k = mlfq_bump_kernel();
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "20ms"));
	mos_pid_t b = t_spawn_attr(k, NULL, MS(3), T_ARGV("cpu", "2ms"));
	mos_pid_t w;
	char buf[256];

	expect_b_at_tail(k, a, b);

	k = mlfq_bump_kernel();
	a = t_spawn(k, T_ARGV("cpu", "20ms"));
	b = t_spawn(k, T_ARGV("cpu", "2ms"));
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_suspend(k, b), 0);
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_resume(k, b), 0);
	expect_b_at_tail(k, a, b);

	k = mlfq_bump_kernel();
	w = t_spawn(k, T_ARGV("script", "[{\"sleep\":\"3ms\"},"
			      "{\"compute\":\"2ms\"}]"));
	a = t_spawn(k, T_ARGV("cpu", "20ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:0 2:3 3:5 3:12");
	cr_assert_eq(t_info(k, w).times.finished, MS(5));
	cr_assert_eq(t_info(k, a).times.finished, MS(22));
	mos_kernel_destroy(k);
}

/* ---- cfs: wake-up preemption at the exact granularity ------------------------ */

/*
 * Defaults (latency 6, granularity 0.75).  S sleeps first; A and B
 * alternate 3 ms slices, A [6i, 6i+3).  S wakes at 48 + x: A's vruntime
 * is 24 + x, B's 24, so S is placed at 24 and preempts iff 24 + 0.75 <
 * 24 + x, strictly.  x = 0.75 exactly: no preemption; A keeps its slice
 * to 51, then S (24, tie with B: lower pid) runs 51-52.  x = 0.75 ms +
 * 1 ns: S preempts at once and runs 1 ms.
 * Faults: `<` made `<=` (the equal case preempts); the granularity
 * dropped (both preempt).
 */
static mos_kernel_t *cfs_wake_at(mos_time_t wake, mos_pid_t *s, mos_pid_t *a)
{
	char sleep[64];
	mos_kernel_t *k = t_policy_kernel("cfs");

	snprintf(sleep, sizeof(sleep),
		 "[{\"sleep\":\"%lluns\"},{\"compute\":\"1ms\"}]",
		 (unsigned long long)wake);
	*s = t_spawn(k, T_ARGV("script", sleep));
	*a = t_spawn(k, T_ARGV("cpu", "40ms"));
	t_spawn(k, T_ARGV("cpu", "40ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	return k;
}

Test(strength_sched, cfs_wakeup_preemption_exact_boundary)
{
	mos_pid_t s, a;
	mos_kernel_t *k = cfs_wake_at(MS(48) + US(750), &s, &a);
	char buf[512];

	cr_assert_str_eq(T_HISTORY(k, s, buf), "create@0 dispatch@0 sleep@0 "
			 "wake@48750000ns dispatch@51 exit@52 zombie@52 reap@52");
	cr_assert(strstr(T_HISTORY(k, a, buf), "dispatch@48 slice@51 ") != NULL,
		  "%s", buf);
	mos_kernel_destroy(k);

	k = cfs_wake_at(MS(48) + US(750) + 1, &s, &a);
	cr_assert_str_eq(T_HISTORY(k, s, buf), "create@0 dispatch@0 sleep@0 "
			 "wake@48750001ns dispatch@48750001ns exit@49750001ns "
			 "zombie@49750001ns reap@49750001ns");
	cr_assert(strstr(T_HISTORY(k, a, buf),
			 "dispatch@48 preempt@48750001ns ") != NULL, "%s", buf);
	mos_kernel_destroy(k);
}

/* ---- yields under the heap policies ------------------------------------------- */

typedef struct heap_case {
	const char *policy;
	mos_sched_attr_t a, b, c; /* equal keys (c is admitted at 1) */
} heap_case_t;

/*
 * Equal keys: rank 3 (priority), period 5 (rm), an absolute deadline of
 * 10 (edf: c, admitted at 1, has 9 to go), no burst declared (sjf, stcf:
 * 0 each).  C (pid 2) is admitted at 1; A (pid 3) computes 1, yields,
 * computes 1; B (pid 4) computes 1.  A 0-1 yields at 1, Ready from 1,
 * behind B (Ready since 0); C, Ready at 1 too, goes before A by pid:
 * B 1-2, C 2-3, A 3-4.  A waited 1-3.
 * Faults: the yielder's ready_since not renewed (`why <= MOS_PUT_YIELD`
 * made `<` in mos__kernel_put_current: A would run 1-2 again); a yield
 * heading its key like a preemption under priority, edf and rm.
 */
Test(strength_sched, yield_goes_behind_equals_then_pid)
{
	static const heap_case_t cases[] = {
		{"sjf", {0}, {0}, {0}},
		{"stcf", {0}, {0}, {0}},
		{"priority", {.rank = 3}, {.rank = 3}, {.rank = 3}},
		{"rm", {.period = MS(5)}, {.period = MS(5)}, {.period = MS(5)}},
		{"edf", {.deadline = MS(10)}, {.deadline = MS(10)},
		 {.deadline = MS(9)}},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const heap_case_t *hc = &cases[i];
		mos_kernel_t *k = t_policy_kernel(hc->policy);
		mos_pid_t c = t_spawn_attr(k, &hc->c, MS(1), T_ARGV("cpu", "1ms"));
		mos_pid_t a = t_spawn_attr(k, &hc->a, 0, T_ARGV("script",
			"[{\"compute\":\"1ms\"},{\"yield\":true},"
			"{\"compute\":\"1ms\"}]"));
		mos_pid_t b = t_spawn_attr(k, &hc->b, 0, T_ARGV("cpu", "1ms"));
		char buf[256];

		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_str_eq(T_DISPATCHES(k, buf), "3:0 4:1 2:2 3:3", "%s",
				 hc->policy);
		cr_assert_eq(t_info(k, a).times.ready_wait, MS(2), "%s", hc->policy);
		cr_assert_eq(t_info(k, a).times.finished, MS(4), "%s", hc->policy);
		cr_assert_eq(t_info(k, b).times.finished, MS(2), "%s", hc->policy);
		cr_assert_eq(t_info(k, c).times.finished, MS(3), "%s", hc->policy);
		mos_kernel_destroy(k);
	}
}

/*
 * cfs and stride order by virtual time, then pid: a yield keeps the
 * virtual time, so at equal virtual times the lower pid runs, yielder or
 * not.  1) A (pid 2) yields at once: A and B both at 0, A runs on: A 0-1,
 * B 1-2, one context switch.  2) A and B each compute 1, yield, compute
 * 1: A 0-1 (ahead by 1), B 1-2 yields level with A and A, lower pid,
 * runs: A 2-3, B 3-4.
 * Faults: the heap's pid tie-break reversed; a yield under cfs or stride
 * handled as "behind its equals".
 */
Test(strength_sched, fair_yield_ties_go_by_pid)
{
	static const char *const policies[] = {"cfs", "stride"};

	for (size_t i = 0; i < 2; i++) {
		mos_kernel_t *k = t_policy_kernel(policies[i]);
		mos_pid_t a = t_spawn(k, T_ARGV("script", "[{\"yield\":true},"
					       "{\"compute\":\"1ms\"}]"));
		mos_pid_t b = t_spawn(k, T_ARGV("cpu", "1ms"));
		mos_kernel_stats_t st;
		char buf[256];

		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 2:0 3:1", "%s",
				 policies[i]);
		cr_assert_eq(t_info(k, a).times.voluntary_switches, 1);
		cr_assert_eq(t_info(k, a).times.finished, MS(1), "%s", policies[i]);
		cr_assert_eq(t_info(k, b).times.finished, MS(2), "%s", policies[i]);
		cr_assert_eq(mos_kernel_stats(k, &st), 0);
		cr_assert_eq(st.context_switches, 1, "%s", policies[i]);
		mos_kernel_destroy(k);

		k = t_policy_kernel(policies[i]);
		a = t_spawn(k, T_ARGV("script", "[{\"compute\":\"1ms\"},"
				      "{\"yield\":true},{\"compute\":\"1ms\"}]"));
		b = t_spawn(k, T_ARGV("script", "[{\"compute\":\"1ms\"},"
				      "{\"yield\":true},{\"compute\":\"1ms\"}]"));
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:1 2:2 3:3", "%s",
				 policies[i]);
		cr_assert_eq(t_info(k, a).times.finished, MS(3), "%s", policies[i]);
		cr_assert_eq(t_info(k, b).times.finished, MS(4), "%s", policies[i]);
		mos_kernel_destroy(k);
	}
}

/* ---- preemption at equal keys ---------------------------------------------------- */

typedef struct boundary {
	const char *policy;
	mos_sched_attr_t x, equal, less; /* less: one unit more urgent */
} boundary_t;

/* X (5) from 0, Y (1) admitted at 2; the time after which Y first ran. */
static void preempt_case(const boundary_t *bc, const mos_sched_attr_t *y_attr,
			 mos_time_t y_first, mos_time_t x_end)
{
	mos_kernel_t *k = t_policy_kernel(bc->policy);
	mos_pid_t x = t_spawn_attr(k, &bc->x, 0, T_ARGV("cpu", "5ms"));
	mos_pid_t y = t_spawn_attr(k, y_attr, MS(2), T_ARGV("cpu", "1ms"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, y).times.first_run, y_first, "%s", bc->policy);
	cr_assert_eq(t_info(k, x).times.finished, x_end, "%s", bc->policy);
	cr_assert_eq(t_info(k, x).times.involuntary_switches,
		     y_first == MS(2) ? 1 : 0, "%s", bc->policy);
	mos_kernel_destroy(k);
}

/*
 * X runs from 0; at 2 Y arrives with X's key as it stands then (stcf:
 * 3 ms left of X's declared 5; edf: due at 10 like X; rm: period 5;
 * priority: rank 3): no preemption, Y runs 5-6.  One unit more urgent
 * (1 ns less burst, deadline or period; rank 2): Y preempts at 2, runs
 * 2-3, X ends at 6.
 * Fault: mos__heapq_preempts's `top < key` made `<=`.
 */
Test(strength_sched, equal_key_never_preempts)
{
	static const boundary_t cases[] = {
		{"stcf", {.burst = MS(5)}, {.burst = MS(3)}, {.burst = MS(3) - 1}},
		{"edf", {.deadline = MS(10)}, {.deadline = MS(8)},
		 {.deadline = MS(8) - 1}},
		{"rm", {.period = MS(5)}, {.period = MS(5)}, {.period = MS(5) - 1}},
		{"priority", {.rank = 3}, {.rank = 3}, {.rank = 2}},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		preempt_case(&cases[i], &cases[i].equal, MS(5), MS(5));
		preempt_case(&cases[i], &cases[i].less, MS(2), MS(6));
	}
}

/* ---- mlfq: a slice that ends with the burst, then a yield, is spent --------- */

/*
 * Two levels of 10 ms, allotment 1.  A computes exactly its 10 ms and
 * yields at 10: its slice ended with the burst, so the yield counts as the
 * expiry it is and A drops to level 1.  B (level 0) 10-20 drops too.  A
 * runs at level 1 from 20; C arrives at level 0 at 25 and preempts it;
 * A takes back the rest of its slice 30-35; then B 35-45, A 45-55, B 55-65.
 * Fault: the expiry at a yield with the slice at 0 skipped (A would stay
 * at level 0 and C would wait for it until 30).
 */
Test(strength_sched, mlfq_yield_at_slice_end_is_an_expiry)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	char buf[256];

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "mlfq");
	cfg.sched.queues = 2;
	cfg.sched.time_slice = MS(10);
	k = t_kernel(&cfg);
	t_spawn(k, T_ARGV("script", "[{\"compute\":\"10ms\"},{\"yield\":true},"
				    "{\"compute\":\"20ms\"}]"));
	t_spawn(k, T_ARGV("cpu", "30ms"));
	t_spawn_attr(k, NULL, MS(25), T_ARGV("cpu", "5ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:10 2:20 4:25 2:30 3:35 2:45 3:55");
	mos_kernel_destroy(k);
}

/* ---- lottery: the exact draws of one seed, through class churn ------------- */

/*
 * 48 processes with 24 ticket counts (so classes are shared, created,
 * freed when their last member exits, and reused by later arrivals, and
 * the class table grows and rehashes twice), seed 42: the schedule is
 * pinned by its trace hash and its first dispatches.  Same seed, same
 * schedule is the contract that lets an experiment be replayed, across
 * versions too: a change to how lottery draws must change this test.
 * Faults: class bookkeeping (the ticket map, the free list, the sums)
 * that still draws in proportion but not the same draws.
 */
Test(strength_sched, lottery_draws_of_seed_42_through_class_churn)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_sched_attr_t attr = {0};
	char buf[4096], cpu[32];

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "lottery");
	cfg.seed = 42;
	k = t_kernel(&cfg);
	for (int i = 0; i < 48; i++) {
		attr.tickets = (uint32_t)(1 + (i * 5) % 24) * 10;
		/* Up to 37 ms: many slices (10 ms) end while others wait,
		 * so draws prepared before an arrival are used after it. */
		snprintf(cpu, sizeof(cpu), "%dms", 1 + (i * 7) % 37);
		t_spawn_attr(k, &attr, MS((i / 8) * 20), T_ARGV("cpu", cpu));
	}
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	T_DISPATCHES(k, buf);
	for (char *c = buf, n = 0; *c; c++) /* the first 25 dispatches */
		if (*c == ' ' && ++n == 25)
			*c = '\0';
	cr_expect_str_eq(buf, "8:0 4:6 6:16 11:26 11:36 3:46 6:54 16:64 31:74 "
			 "9:84 30:94 11:104 40:111 35:119 38:129 36:139 6:149 "
			 "16:158 28:168 45:178 44:184 20:194 20:204 49:210 "
			 "42:220");
	cr_expect_eq(mos_trace_hash(k), 0x1860c458ff2316adull, "hash %016llx",
		     (unsigned long long)mos_trace_hash(k));
	mos_kernel_destroy(k);
}
