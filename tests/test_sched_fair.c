/*
 * tests/test_sched_fair.c - cfs, lottery and stride at exact times.
 *
 * Expected values are worked out by hand in the comments (times in ms
 * unless noted; default cfs parameters: target_latency 6, min_granularity
 * 0.75).  Every run is deterministic, including lottery's for a seed.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(sched_cfs, .timeout = T_TIMEOUT);
TestSuite(sched_lottery, .timeout = T_TIMEOUT);
TestSuite(sched_stride, .timeout = T_TIMEOUT);
TestSuite(sched_fair, .timeout = T_TIMEOUT);

#define US(x) ((mos_time_t)(x) * MOS_USEC)

static mos_kernel_t *fair_kernel(const char *policy, mos_time_t quantum,
				 uint64_t seed)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	cfg.sched.time_slice = quantum;
	cfg.sched.seed = seed;
	cfg.sched.target_latency = MS(6);
	cfg.sched.min_granularity = US(750);
	return t_kernel(&cfg);
}

/* Create argv with a nice value (cfs) and tickets (lottery, stride),
 * admitted at `start` (0: now). */
static mos_pid_t spawn_sched(mos_kernel_t *k, int32_t nice, uint32_t tickets,
			     mos_time_t start, const char *const *argv)
{
	mos_sched_attr_t attr = {.rank = nice, .tickets = tickets};

	return t_spawn_attr(k, &attr, start, argv);
}

static mos_time_t cpu_of(mos_kernel_t *k, mos_pid_t pid)
{
	return t_info(k, pid).times.cpu_user;
}

static mos_time_t finish_of(mos_kernel_t *k, mos_pid_t pid)
{
	return t_info(k, pid).times.finished;
}

/* The pids of the first n dispatches in the trace; returns how many. */
static size_t dispatches(mos_kernel_t *k, mos_pid_t *out, size_t n)
{
	size_t count = 0, got = 0;
	mos_trace_event_t ev;

	cr_assert_eq(mos_trace_get(k, 0, NULL, &count), 0);
	cr_assert_lt(count, 4096, "the trace ring wrapped");
	for (size_t i = 0; i < count && got < n; i++) {
		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		if (ev.cause == MOS_CAUSE_DISPATCH)
			out[got++] = ev.subject;
	}
	return got;
}

/* ---- cfs ------------------------------------------------------------------ */

/* Equal weights: slice = 6 x 1024 / 2048 = 3 ms each, alternating; the
 * survivor then runs alone with slices of 6 ms. */
Test(sched_cfs, equal_weights_alternate_half_latency)
{
	mos_kernel_t *k = fair_kernel("cfs", MS(10), 0);
	mos_pid_t a = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "9ms"));
	mos_pid_t b = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "15ms"));
	mos_pid_t want[] = {a, b, a, b, a, b, b, b}, got[8];

	mos_kernel_run(k, MOS_TIME_NEVER);
	/* a 0-3, b 3-6, a 6-9, b 9-12, a 12-15 (done), b 15-21, b 21-24 */
	cr_assert_eq(finish_of(k, a), MS(15));
	cr_assert_eq(finish_of(k, b), MS(24));
	cr_assert_eq(dispatches(k, got, 8), 7);
	cr_assert_eq(memcmp(got, want, 7 * sizeof(*got)), 0);
	cr_assert_eq(t_info(k, a).times.dispatches, 3);
	cr_assert_eq(t_info(k, b).times.dispatches, 4);
	mos_kernel_destroy(k);
}

/*
 * nice -5 (weight 3121) against nice 0 (1024): load 4145.
 * Slices: hi 6e6 x 3121 / 4145 = 4517732 ns, lo 6e6 x 1024 / 4145 =
 * 1482267 ns.  vruntime after a slice: hi 4517732 x 1024 / 3121 = 1482267
 * (1447 x 1024 + 1645 x 1024 / 3121, rounded down), lo 1482267: equal, so
 * every round is hi then lo (tie: lower pid, hi was created first), and a
 * round lasts 5999999 ns.  At 60 ms: 10 rounds (59999990 ns) plus 10 ns of
 * hi's next slice.  Share 45177330 : 14822670 = 3.04790 (3121/1024 =
 * 3.04785).
 */
Test(sched_cfs, nice_weights_share_cpu)
{
	mos_kernel_t *k = fair_kernel("cfs", MS(10), 0);
	mos_pid_t hi = spawn_sched(k, -5, 0, 0, T_ARGV("cpu", "1s"));
	mos_pid_t lo = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "1s"));

	mos_kernel_run(k, 4517732);
	cr_assert_eq(cpu_of(k, hi), 4517732);
	cr_assert_eq(cpu_of(k, lo), 0);
	mos_kernel_run(k, MS(60));
	cr_assert_eq(cpu_of(k, hi), 45177330);
	cr_assert_eq(cpu_of(k, lo), 14822670);
	cr_assert_eq(t_info(k, lo).times.dispatches, 10);
	cr_assert_eq(t_info(k, hi).times.dispatches, 11);
	mos_kernel_destroy(k);
}

/* Out-of-range nice values clamp to -20..19, and the slice never drops
 * below min_granularity: nice 19 (weight 15) against nice 0 gets
 * max(0.75, 6 x 15 / 1039 = 0.087) = 0.75 ms. */
Test(sched_cfs, nice_clamps_and_min_granularity)
{
	mos_kernel_t *k = fair_kernel("cfs", MS(10), 0);
	mos_pid_t slow = spawn_sched(k, 50, 0, 0, T_ARGV("cpu", "1s"));
	mos_pid_t fast = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "1s"));

	/* slow (pid lower, both at 0) runs first: one 0.75 ms slice, after
	 * which its vruntime is 750000 x 1024 / 15 = 51.2 ms ahead; fast runs
	 * 6 x 1024 / 1039 = 5913378 ns slices until it passes 51.2 ms of
	 * vruntime: 9 slices (53220402 ns), then slow again. */
	mos_kernel_run(k, US(750) + 9 * 5913378);
	cr_assert_eq(cpu_of(k, slow), US(750));
	cr_assert_eq(cpu_of(k, fast), 9 * 5913378);
	mos_kernel_run(k, US(750) + 9 * 5913378 + US(750));
	cr_assert_eq(cpu_of(k, slow), US(1500));
	cr_assert_eq(t_info(k, slow).times.dispatches, 2);
	mos_kernel_destroy(k);
}

/*
 * A sleeper is placed at min_vruntime when it wakes.  s (pid lowest)
 * sleeps at once; a and b alternate 3 ms slices: a [6i, 6i+3), b
 * [6i+3, 6i+6).  At 50, a is 2 ms into its slice: vruntime a 26, b 24, so
 * min_vruntime is 24 and s (own vruntime 0) is placed at 24, not at 0.
 * 24 + 0.75 < 26: s preempts a at once.  Then slices of 6/3 = 2 ms in
 * vruntime order (ties: lower pid): s 50-52 (vr 26), b 52-54 (26), s 54-56
 * (28), a 56-58 (28), b 58-60, s 60-62, a, b, s 66-68, a, b, s 72-74: s
 * needs 10 ms and ends at 74 instead of running 10 ms straight (it would,
 * placed at 0), and a and b keep running.
 */
Test(sched_cfs, sleeper_placed_at_min_vruntime_preempts)
{
	mos_kernel_t *k = fair_kernel("cfs", MS(10), 0);
	mos_pid_t s = spawn_sched(k, 0, 0, 0, T_ARGV("script",
		"[{\"sleep\":\"50ms\"},{\"compute\":\"10ms\"}]"));
	mos_pid_t a = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "40ms"));
	mos_pid_t b = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "40ms"));

	mos_kernel_run(k, MS(50));
	cr_assert_eq(cpu_of(k, a), MS(26));
	cr_assert_eq(cpu_of(k, b), MS(24));
	mos_kernel_run(k, MS(52));
	cr_assert_eq(t_info(k, a).times.involuntary_switches, 9); /* 8 + 1 */
	cr_assert_eq(cpu_of(k, s), MS(2));
	mos_kernel_run(k, MS(60));
	cr_assert_eq(cpu_of(k, s), MS(4));
	cr_assert_eq(cpu_of(k, a), MS(28));
	cr_assert_eq(cpu_of(k, b), MS(28));
	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq(finish_of(k, s), MS(74));
	mos_kernel_destroy(k);
}

/* Woken too close to the running one: at 48.5, a is 0.5 ms into its slice
 * (vruntime a 24.5, b 24); s placed at 24; 24 + 0.75 < 24.5 is false, so
 * a keeps its slice to 51, then s (24, tie with b, lower pid) runs. */
Test(sched_cfs, wakeup_within_granularity_does_not_preempt)
{
	mos_kernel_t *k = fair_kernel("cfs", MS(10), 0);
	mos_pid_t s = spawn_sched(k, 0, 0, 0, T_ARGV("script",
		"[{\"sleep\":\"48.5ms\"},{\"compute\":\"1ms\"}]"));
	mos_pid_t a = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "40ms"));
	mos_pid_t b = spawn_sched(k, 0, 0, 0, T_ARGV("cpu", "40ms"));

	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, s).times.first_run, 0);
	cr_assert_eq(finish_of(k, s), MS(52));
	cr_assert_eq(t_info(k, a).times.involuntary_switches,
		     t_info(k, a).times.dispatches - 1); /* slices only */
	(void)b;
	mos_kernel_destroy(k);
}

/* ---- lottery -------------------------------------------------------------- */

typedef struct run {
	uint64_t hash;
	mos_time_t fin[3];
} run_t;

static run_t lottery_run(uint64_t policy_seed, uint64_t kernel_seed)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	run_t r;
	mos_pid_t p[3];

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "lottery");
	cfg.sched.time_slice = MS(1);
	cfg.sched.seed = policy_seed;
	cfg.seed = kernel_seed;
	k = t_kernel(&cfg);
	p[0] = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "30ms"));
	p[1] = spawn_sched(k, 0, 200, 0, T_ARGV("cpu", "30ms"));
	p[2] = spawn_sched(k, 0, 300, 0, T_ARGV("cpu", "30ms"));
	mos_kernel_run(k, MOS_TIME_NEVER);
	r.hash = mos_trace_hash(k);
	for (int i = 0; i < 3; i++)
		r.fin[i] = finish_of(k, p[i]);
	mos_kernel_destroy(k);
	return r;
}

Test(sched_lottery, same_seed_same_schedule)
{
	run_t a = lottery_run(42, 1), b = lottery_run(42, 1);
	run_t c = lottery_run(0, 7), d = lottery_run(0, 7);

	cr_assert_eq(a.hash, b.hash);
	cr_assert_eq(memcmp(a.fin, b.fin, sizeof(a.fin)), 0);
	/* sched.seed 0 falls back to the kernel seed. */
	cr_assert_eq(c.hash, d.hash);
	cr_assert_eq(memcmp(c.fin, d.fin, sizeof(c.fin)), 0);
	/* The kernel seed is ignored when sched.seed is set. */
	cr_assert_eq(lottery_run(42, 9).hash, a.hash);
	/* The CPU never idles: the last one ends when all 90 ms are done. */
	cr_assert(a.fin[0] == MS(90) || a.fin[1] == MS(90) || a.fin[2] == MS(90));
}

Test(sched_lottery, different_seed_different_schedule)
{
	run_t a = lottery_run(1, 1), b = lottery_run(2, 1);
	run_t c = lottery_run(0, 1), d = lottery_run(0, 2);

	cr_assert_neq(a.hash, b.hash);
	cr_assert_neq(memcmp(a.fin, b.fin, sizeof(a.fin)), 0);
	cr_assert_neq(c.hash, d.hash);
}

/*
 * Tickets 300:200:100 over N = 60000 quanta of 1 ms.  Each quantum is an
 * independent draw, so a process's count is Binomial(N, p) with standard
 * deviation sqrt(N p (1 - p)) <= sqrt(60000 / 4) = 122.5 quanta.  The
 * tolerance, 600 quanta (1% of the run), is 4.9 standard deviations: a
 * seed fails with probability below 1e-6, and the run is deterministic
 * for the fixed seed anyway.
 */
Test(sched_lottery, shares_approach_ticket_ratio)
{
	mos_kernel_t *k = fair_kernel("lottery", MS(1), 12345);
	mos_pid_t p[3];
	const mos_time_t want[3] = {MS(30000), MS(20000), MS(10000)};

	p[0] = spawn_sched(k, 0, 300, 0, T_ARGV("cpu", "100s"));
	p[1] = spawn_sched(k, 0, 200, 0, T_ARGV("cpu", "100s"));
	p[2] = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "100s"));
	mos_kernel_run(k, MS(60000));
	for (int i = 0; i < 3; i++) {
		mos_time_t got = cpu_of(k, p[i]);
		mos_time_t diff = got > want[i] ? got - want[i] : want[i] - got;

		cr_assert_leq(diff, MS(600), "pid %d: %llu ns, want %llu +- 600 ms",
			      p[i], (unsigned long long)got,
			      (unsigned long long)want[i]);
	}
	mos_kernel_destroy(k);
}

/* The running process stays in the draw: alone, it wins every quantum. */
Test(sched_lottery, lone_process_keeps_winning)
{
	mos_kernel_t *k = fair_kernel("lottery", MS(1), 3);
	mos_pid_t a = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "5ms"));

	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq(finish_of(k, a), MS(5));
	cr_assert_eq(t_info(k, a).times.dispatches, 5);
	mos_kernel_destroy(k);
}

/* Slots are recycled and the tree grows past its first 16 slots: 40
 * short jobs in waves, with sleepers leaving and rejoining the draw. */
Test(sched_lottery, slots_recycle_and_grow)
{
	mos_kernel_t *k = fair_kernel("lottery", MS(1), 5);
	mos_pid_t p[60];
	mos_time_t last = 0;

	for (int i = 0; i < 40; i++)
		p[i] = spawn_sched(k, 0, (uint32_t)(1 + i % 7), 0,
				   T_ARGV("io", "1ms", "2ms", "3"));
	mos_kernel_run(k, MS(20));
	for (int i = 40; i < 60; i++)
		p[i] = spawn_sched(k, 0, 1000, 0, T_ARGV("cpu", "2ms"));
	mos_kernel_run(k, MOS_TIME_NEVER);
	for (int i = 0; i < 60; i++) {
		mos_process_info_t in = t_info(k, p[i]);
		cr_assert(MOS_WIFEXITED(in.exit_status));
		cr_assert_eq(in.times.cpu_user, i < 40 ? MS(3) : MS(2));
		last = in.times.finished > last ? in.times.finished : last;
	}
	/* 160 ms of CPU work; the CPU idles only while everyone sleeps. */
	cr_assert_geq(last, MS(160));
	mos_kernel_destroy(k);
}

/* ---- stride --------------------------------------------------------------- */

/*
 * Tickets 3:2:1, STRIDE1 = 2^20: strides 349525, 524288, 1048576.
 * Passes before each quantum (a b c), smallest runs, ties to lower pid:
 *   0 0 0 -> a; 349525 0 0 -> b; .. 524288 0 -> c; 349525 524288 1048576
 *   -> a; 699050 524288 -> b; 699050 1048576 1048576 -> a; 1048575 ... -> a
 *   (one less than b and c: stride rounds down); then b, c, a, b, a.
 */
Test(sched_stride, dispatch_order_and_exact_shares)
{
	mos_kernel_t *k = fair_kernel("stride", MS(1), 0);
	mos_pid_t a = spawn_sched(k, 0, 3, 0, T_ARGV("cpu", "1s"));
	mos_pid_t b = spawn_sched(k, 0, 2, 0, T_ARGV("cpu", "1s"));
	mos_pid_t c = spawn_sched(k, 0, 1, 0, T_ARGV("cpu", "1s"));
	mos_pid_t want[12] = {a, b, c, a, b, a, a, b, c, a, b, a}, got[12];

	for (int n = 1; n <= 100; n++) {
		mos_kernel_run(k, MS(6 * n));
		cr_assert_eq(cpu_of(k, a), MS(3 * n), "at %d ms", 6 * n);
		cr_assert_eq(cpu_of(k, b), MS(2 * n), "at %d ms", 6 * n);
		cr_assert_eq(cpu_of(k, c), MS(1 * n), "at %d ms", 6 * n);
	}
	/* 600 quanta, two events each: the ring (4096) still holds them all. */
	cr_assert_eq(dispatches(k, got, 12), 12);
	for (int i = 0; i < 12; i++)
		cr_assert_eq(got[i], want[i], "quantum %d: pid %d, want %d", i,
			     got[i], want[i]);
	mos_kernel_destroy(k);
}

/*
 * a and b (100 tickets: stride 10485) alternate from 0; c (100 tickets)
 * is admitted at 100 ms, right after b's 50th quantum ends (a slice that
 * ends is requeued before the admission at the same instant): a and b are
 * at pass 50 x 10485, the global minimum, and so is c.  From then on a, b,
 * c take turns (ties go to the lower pid): c gets 10 of the next 30 ms,
 * not all 30 as it would starting from pass 0.
 */
Test(sched_stride, late_joiner_starts_at_global_pass)
{
	mos_kernel_t *k = fair_kernel("stride", MS(1), 0);
	mos_pid_t a = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "1s"));
	mos_pid_t b = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "1s"));
	mos_pid_t c = spawn_sched(k, 0, 100, MS(100), T_ARGV("cpu", "1s"));

	mos_kernel_run(k, MS(100));
	cr_assert_eq(cpu_of(k, a), MS(50));
	cr_assert_eq(cpu_of(k, b), MS(50));
	mos_kernel_run(k, MS(130));
	cr_assert_eq(cpu_of(k, a), MS(60));
	cr_assert_eq(cpu_of(k, b), MS(60));
	cr_assert_eq(cpu_of(k, c), MS(10));
	cr_assert_eq(t_info(k, c).times.first_run, MS(102));
	mos_kernel_destroy(k);
}

/*
 * Partial quanta are charged exactly (the fraction is carried, not
 * rounded away).  y (pid lower) computes; x computes 0.25 ms and yields,
 * four times, then computes.  Equal tickets, stride 10485.  y 0-1 (pass
 * 10485); x 1-2 in four pieces of 0.25 ms, each adding 2621.25, so x ends
 * at exactly 10485 (four rounded-down charges would give 10484 and let x
 * run on); tie: y (lower pid) runs 2-3, then x 3-4.
 */
Test(sched_stride, partial_quanta_are_charged_exactly)
{
	mos_kernel_t *k = fair_kernel("stride", MS(1), 0);
	mos_pid_t y = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "1s"));
	mos_pid_t x = spawn_sched(k, 0, 100, 0, T_ARGV("script",
		"[{\"repeat\":4,\"steps\":[{\"compute\":\"250us\"},"
		"{\"yield\":true}]},{\"compute\":\"1s\"}]"));

	mos_kernel_run(k, MS(3));
	cr_assert_eq(cpu_of(k, y), MS(2));
	cr_assert_eq(cpu_of(k, x), MS(1));
	cr_assert_eq(t_info(k, x).times.voluntary_switches, 4);
	mos_kernel_run(k, MS(4));
	cr_assert_eq(cpu_of(k, x), MS(2));
	mos_kernel_destroy(k);
}

/* ---- all three -------------------------------------------------------------- */

/* Kill, suspend and resume processes that are running or queued (at
 * 5.5 ms under each policy one of them is mid-slice): each policy's
 * accounting stays straight and the survivors get all their CPU. */
Test(sched_fair, suspend_resume_kill)
{
	static const char *const names[] = {"cfs", "lottery", "stride"};

	for (int i = 0; i < 3; i++) {
		mos_kernel_t *k = fair_kernel(names[i], MS(1), 9);
		mos_pid_t a = spawn_sched(k, -3, 300, 0, T_ARGV("cpu", "20ms"));
		mos_pid_t b = spawn_sched(k, 0, 100, 0, T_ARGV("cpu", "20ms"));
		mos_pid_t c = spawn_sched(k, 4, 50, 0, T_ARGV("cpu", "20ms"));
		mos_pid_t d = spawn_sched(k, 0, 100, 0,
					  T_ARGV("io", "1ms", "1ms", "5"));
		mos_pid_t live[] = {a, b, d};

		mos_kernel_run(k, US(5500));
		cr_assert_eq(mos_process_terminate(k, c, true), 0);
		for (int j = 0; j < 3; j++)
			cr_assert_eq(mos_process_suspend(k, live[j]), 0, "%s",
				     names[i]);
		mos_kernel_run(k, MS(8));
		for (int j = 0; j < 3; j++)
			cr_assert_eq(mos_process_resume(k, live[j]), 0);
		mos_kernel_run(k, MOS_TIME_NEVER);
		cr_assert(MOS_WIFSIGNALED(t_info(k, c).exit_status));
		cr_assert_eq(cpu_of(k, a), MS(20), "%s", names[i]);
		cr_assert_eq(cpu_of(k, b), MS(20), "%s", names[i]);
		cr_assert_eq(cpu_of(k, d), MS(5), "%s", names[i]);
		mos_kernel_destroy(k);
	}
}
