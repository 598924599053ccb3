/*
 * tests/test_sched_mlfq.c - the mlfq policy, tick-exact against OSTEP's
 * homework simulator mlfq.py (ostep-homework cpu-sched-mlfq): the current
 * one (6c6cfc7e, whose boost dates from ee2e0678, September 2023) and,
 * for the cases marked .legacy (the policy's legacy_boost), the 2020 one
 * (4b15aadb85041e466064c8b31a0f59d549dde68c).  The two differ only in the
 * boost; expected times of boost-free cases hold for both.
 *
 * Each case is an mlfq.py command line: one tick is 1 ms, and job
 * "start,run,ioFreq" is a `script` process admitted at start that repeats
 * {compute ioFreq; sleep ioTime} and then computes the rest (no I/O after
 * its last tick: mlfq.py checks "finished" before "I/O").  Unless a comment
 * says otherwise, the expected first-run and finish times were produced by
 * running that exact command line through mlfq.py (Final statistics:
 * first run = start + response, finish = start + turnaround).
 */
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "helpers.h"
#include "timeout.h"

TestSuite(sched_mlfq, .timeout = T_TIMEOUT);

#define MAX_JOBS 8

/* mlfq.py's options.  quanta/allot list the top queue first (as -Q and -A
 * do), 0-terminated; empty quanta means -q for every queue, empty allot
 * means -a (0: 1) for every queue. */
typedef struct opts {
	unsigned n, q, a, boost, io;
	bool stay, bump;
	bool legacy;   /* legacy_boost: the 2020 mlfq.py */
	unsigned quanta[MOS_MLFQ_MAX_QUEUES + 1];
	unsigned allot[MOS_MLFQ_MAX_QUEUES + 1];
} opts_t;

typedef struct job {
	unsigned start, run, iofreq;
} job_t;

typedef struct want {
	unsigned first, end;
} want_t;

static unsigned count(const unsigned *v)
{
	unsigned n = 0;
	while (v[n])
		n++;
	return n;
}

static mos_kernel_t *mlfq_kernel(const opts_t *o)
{
	mos_config_t cfg;
	unsigned nq = count(o->quanta), na = count(o->allot);

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "mlfq");
	cfg.sched.tick = MS(1);
	cfg.sched.time_slice = MS(o->q ? o->q : 10);
	cfg.sched.queues = nq ? nq : (o->n ? o->n : 3);
	cfg.sched.nquanta = nq;
	for (unsigned i = 0; i < nq; i++)
		cfg.sched.quanta[i] = MS(o->quanta[i]);
	cfg.sched.nallotments = na;
	for (unsigned i = 0; i < na; i++)
		cfg.sched.allotments[i] = o->allot[i];
	if (!na && o->a > 1) {
		cfg.sched.nallotments = cfg.sched.queues;
		for (unsigned i = 0; i < cfg.sched.queues; i++)
			cfg.sched.allotments[i] = o->a;
	}
	cfg.sched.boost = MS(o->boost);
	cfg.sched.io_bump = o->bump;
	cfg.sched.stay = o->stay;
	cfg.sched.legacy_boost = o->legacy;
	return t_kernel(&cfg);
}

static mos_pid_t spawn_script(mos_kernel_t *k, unsigned start,
			      const char *script)
{
	mos_process_spec_t spec;
	mos_pid_t pid = 0;
	int err;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("script", script);
	spec.start_time = MS(start);
	err = mos_process_create(k, &spec, &pid);
	cr_assert_eq(err, 0, "create: %s", mos_strerror(err));
	return pid;
}

/* An mlfq.py job as a script process; io is mlfq.py's -i. */
static mos_pid_t spawn_job(mos_kernel_t *k, job_t j, unsigned io)
{
	char s[256];

	if (j.iofreq > 0 && j.run > j.iofreq) {
		unsigned n = (j.run - 1) / j.iofreq;
		snprintf(s, sizeof(s),
			 "[{\"repeat\":%u,\"steps\":[{\"compute\":%u},"
			 "{\"sleep\":%u}]},{\"compute\":%u}]",
			 n, j.iofreq, io, j.run - n * j.iofreq);
	} else {
		snprintf(s, sizeof(s), "[{\"compute\":%u}]", j.run);
	}
	return spawn_script(k, j.start, s);
}

static void expect_times(mos_kernel_t *k, const mos_pid_t *pid,
			 const want_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		mos_process_info_t in = t_info(k, pid[i]);
		cr_expect_eq(in.times.first_run, MS(w[i].first),
			     "job %u first run %llu ms, want %u", i,
			     (unsigned long long)(in.times.first_run / MOS_MSEC),
			     w[i].first);
		cr_expect_eq(in.times.finished, MS(w[i].end),
			     "job %u finished %llu ms, want %u", i,
			     (unsigned long long)(in.times.finished / MOS_MSEC),
			     w[i].end);
	}
}

/* Run the jobs to completion and check every first run and finish. */
static void check(opts_t o, const job_t *jobs, const want_t *w, unsigned n)
{
	mos_kernel_t *k = mlfq_kernel(&o);
	mos_pid_t pid[MAX_JOBS];

	cr_assert_leq(n, MAX_JOBS);
	for (unsigned i = 0; i < n; i++)
		pid[i] = spawn_job(k, jobs[i], o.io ? o.io : 5);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	expect_times(k, pid, w, n);
	mos_kernel_destroy(k);
}

#define JOBS(...) ((const job_t[]){__VA_ARGS__})
#define WANT(...) ((const want_t[]){__VA_ARGS__})

/* ---- the rules, one at a time ----------------------------------------- */

/* mlfq.py -n 3 -q 10 -a 2 -l 0,60,0:15,5,0:35,5,0 -c
 * A keeps the top queue for two quanta (0-20): B, arriving at 15, queues
 * behind the running A and first runs at 20.  A is in the middle queue for
 * 20-40, so C, arriving at 35 at the top, preempts it at once. */
Test(sched_mlfq, demotes_after_the_allotment)
{
	check((opts_t){.n = 3, .q = 10, .a = 2},
	      JOBS({0, 60, 0}, {15, 5, 0}, {35, 5, 0}),
	      WANT({0, 70}, {20, 25}, {35, 40}), 3);
	/* mlfq.py -n 3 -q 10 -l 0,60,0:15,5,0:35,5,0 -c: with one quantum
	 * A has left the top at 10, so B preempts it at 15. */
	check((opts_t){.n = 3, .q = 10},
	      JOBS({0, 60, 0}, {15, 5, 0}, {35, 5, 0}),
	      WANT({0, 70}, {15, 20}, {35, 40}), 3);
}

/* mlfq.py -Q 2,4 -A 1,2 -l 0,20,0:0,20,0 -c
 * 2-tick turns at the top, then 4-tick turns at the bottom. */
Test(sched_mlfq, per_queue_quanta_and_allotments)
{
	check((opts_t){.quanta = {2, 4}, .allot = {1, 2}},
	      JOBS({0, 20, 0}, {0, 20, 0}), WANT({0, 38}, {2, 40}), 2);
	/* mlfq.py -Q 2,4,8 -A 2,1,1 -l 0,30,0:0,30,0 -c */
	check((opts_t){.quanta = {2, 4, 8}, .allot = {2, 1, 1}},
	      JOBS({0, 30, 0}, {0, 30, 0}), WANT({0, 54}, {2, 60}), 2);
}

/* mlfq.py -n 2 -q 10 -B 5 -l 0,8,0:0,3,0 -c
 * The boost at 5 gives A, running at the top, a fresh 10-tick quantum:
 * it finishes at 8, and B runs 8-11. */
Test(sched_mlfq, boost_gives_a_fresh_quantum)
{
	check((opts_t){.n = 2, .q = 10, .boost = 5},
	      JOBS({0, 8, 0}, {0, 3, 0}), WANT({0, 8}, {8, 11}), 2);
	/* mlfq.py -n 2 -q 6 -A 2,1 -B 4 -l 0,10,0:0,10,0 -c
	 * Every boost (4, 8, 12, 16) comes before a 6-tick quantum can end
	 * and renews it: A runs 0-10 and B 10-20.  Without -B: A 0-6, B
	 * 6-12, A 12-16, B 16-20. */
	check((opts_t){.n = 2, .q = 6, .allot = {2, 1}, .boost = 4},
	      JOBS({0, 10, 0}, {0, 10, 0}), WANT({0, 10}, {10, 20}), 2);
	check((opts_t){.n = 2, .q = 6, .allot = {2, 1}},
	      JOBS({0, 10, 0}, {0, 10, 0}), WANT({0, 16}, {6, 20}), 2);
}

/* The same two command lines through the 2020 mlfq.py, whose boost sets
 * ticksLeft to the top queue's allotment and leaves allotLeft alone.
 * -n 2 -q 10 -B 5: A's ticksLeft becomes 1 at 5, so A drops at 6 and B
 * first runs at 6; B, boosted while waiting, also has a 1-tick slice
 * (6-7); then A 7-9 and B 9-11. */
Test(sched_mlfq, legacy_boost_sets_the_slice_to_the_top_allotment)
{
	check((opts_t){.n = 2, .q = 10, .boost = 5, .legacy = true},
	      JOBS({0, 8, 0}, {0, 3, 0}), WANT({0, 9}, {6, 11}), 2);
	/* -n 2 -q 6 -A 2,1 -B 4: at 4 A gets a 2-tick slice, keeping
	 * allotLeft 2; it expires at 6 (allotLeft 1) and queues behind B,
	 * whose boosted slice is 2 ticks too (6-8).  At 8: A 8-10 and B
	 * 10-12 spend their allotments and drop; the boost at 12 lifts A,
	 * then B, and A ends its last 2 ticks at 14.  B runs 14-16 (it drops
	 * at 16 just before that instant's boost lifts it), 16-18 and 18-20. */
	check((opts_t){.n = 2, .q = 6, .allot = {2, 1}, .boost = 4,
			.legacy = true},
	      JOBS({0, 10, 0}, {0, 10, 0}), WANT({0, 14}, {6, 20}), 2);
}

/* mlfq.py -n 2 -q 10 -A 3,1 -B 50 -l 0,100,0:53,2,0 -c
 * A spends 0-30 at the top and 30-50 at the bottom.  The boost at 50
 * lifts it with a fresh quantum and allotment (10 ticks, 3 quanta), so
 * B, arriving at 53, queues behind it and first runs when A's quantum
 * ends, at 60. */
Test(sched_mlfq, boost_resets_the_allotment)
{
	check((opts_t){.n = 2, .q = 10, .allot = {3, 1}, .boost = 50},
	      JOBS({0, 100, 0}, {53, 2, 0}), WANT({0, 102}, {60, 62}), 2);
}

/* The same through the 2020 mlfq.py: the boost at 50 lifts A with
 * ticksLeft 3 (the top allotment) but leaves allotLeft at the bottom's
 * 1, so its first top quantum (50-53) spends the allotment and it drops
 * again: B, arriving at 53, finds the top empty and runs at once. */
Test(sched_mlfq, legacy_boost_keeps_allotment_left)
{
	check((opts_t){.n = 2, .q = 10, .allot = {3, 1}, .boost = 50,
			.legacy = true},
	      JOBS({0, 100, 0}, {53, 2, 0}), WANT({0, 102}, {53, 55}), 2);
}

/* mlfq.py -n 3 -q 2 -B 10 -l 0,12,0:0,12,0:5,12,0 -c
 * At 10, A and B are in the bottom queue (in that order) and C in the
 * middle one.  The boost empties the lowest queue first: the top queue
 * becomes A, B, C, each with a full 2-tick quantum, so A, B, C run 10-12,
 * 12-14, 14-16.  (The 2020 mlfq.py, 1-tick slices: 10, 11, 12.) */
Test(sched_mlfq, boost_moves_the_lowest_queue_first)
{
	check((opts_t){.n = 3, .q = 2, .boost = 10},
	      JOBS({0, 12, 0}, {0, 12, 0}, {5, 12, 0}),
	      WANT({0, 28}, {2, 30}, {5, 36}), 3);
	check((opts_t){.n = 3, .q = 2, .boost = 10, .legacy = true},
	      JOBS({0, 12, 0}, {0, 12, 0}, {5, 12, 0}),
	      WANT({0, 30}, {2, 33}, {5, 36}), 3);
}

/* mlfq.py -n 2 -q 10 -B 10 -l 0,40,0:15,5,0 -c, 2020 version: the boost
 * at 10 also sets ticksLeft = 1 for B, which has not arrived yet: B
 * arrives at 15 with a 1-tick slice and drops behind A instead of
 * finishing at 20.  The current boost gives B the quantum and allotment
 * it has anyway, so only the 2020 version shows it: there the boost at 10
 * lifts A for a fresh top quantum (10-20) and B, arriving at 15, waits
 * for its end.  Without -B, B preempts A (at the bottom since 10) at 15. */
Test(sched_mlfq, legacy_boost_reaches_jobs_not_yet_arrived)
{
	check((opts_t){.n = 2, .q = 10, .boost = 10, .legacy = true},
	      JOBS({0, 40, 0}, {15, 5, 0}), WANT({0, 44}, {15, 45}), 2);
	check((opts_t){.n = 2, .q = 10, .boost = 10},
	      JOBS({0, 40, 0}, {15, 5, 0}), WANT({0, 45}, {20, 25}), 2);
	check((opts_t){.n = 2, .q = 10},
	      JOBS({0, 40, 0}, {15, 5, 0}), WANT({0, 45}, {15, 20}), 2);
}

/* mlfq.py -n 2 -q 5 -i 10 -B 20 -l 0,60,0:0,14,7 -c
 * B is at the bottom when it starts an I/O at 17; the boost at 20 lifts
 * it while blocked.  A, lifted too, uses its top quantum 20-25 and is
 * back at the bottom when B comes back at 27, to the top: B preempts A,
 * runs a top quantum 27-32, A the rest of its own 32-35, B its last 2
 * ticks 35-37.  (2020 mlfq.py: 42.)  Without the boost (mlfq.py -n 2 -q 5
 * -i 10 -l 0,60,0:0,14,7 -c) B comes back behind A at the bottom and
 * finishes at 44. */
Test(sched_mlfq, boost_lifts_a_job_doing_io)
{
	check((opts_t){.n = 2, .q = 5, .io = 10, .boost = 20},
	      JOBS({0, 60, 0}, {0, 14, 7}), WANT({0, 74}, {5, 37}), 2);
	check((opts_t){.n = 2, .q = 5, .io = 10, .boost = 20, .legacy = true},
	      JOBS({0, 60, 0}, {0, 14, 7}), WANT({0, 74}, {5, 42}), 2);
	check((opts_t){.n = 2, .q = 5, .io = 10},
	      JOBS({0, 60, 0}, {0, 14, 7}), WANT({0, 74}, {5, 44}), 2);
}

/* mlfq.py -n 2 -q 5 -i 8 -B 10 -l 0,14,7:12,20,0 -c
 * A blocks at 7 at the bottom, with the CPU then idle; the boost at 10
 * fires anyway and lifts A.  B arrives at 12; A, back at 15, queues
 * behind B at the top and runs from 17, when B's quantum ends; the boost
 * at 20 renews A's quantum and A finishes at 24.  (2020 mlfq.py: 26.)
 * Without the boost A comes back at the bottom and finishes at 29
 * (mlfq.py -n 2 -q 5 -i 8 -l 0,14,7:12,20,0 -c). */
Test(sched_mlfq, boost_fires_while_the_cpu_idles)
{
	check((opts_t){.n = 2, .q = 5, .io = 8, .boost = 10},
	      JOBS({0, 14, 7}, {12, 20, 0}), WANT({0, 24}, {12, 39}), 2);
	check((opts_t){.n = 2, .q = 5, .io = 8, .boost = 10, .legacy = true},
	      JOBS({0, 14, 7}, {12, 20, 0}), WANT({0, 26}, {12, 39}), 2);
	check((opts_t){.n = 2, .q = 5, .io = 8},
	      JOBS({0, 14, 7}, {12, 20, 0}), WANT({0, 29}, {12, 39}), 2);
}

/* mlfq.py -n 1 -q 10 -i 3 -I -l 0,20,0:0,4,2 -c
 * B's I/O ends at 15 while A runs (10-20 would be its quantum); with -I B
 * goes to the front of the queue and preempts A, which keeps its place
 * and the rest of its quantum.  Without -I (mlfq.py -n 1 -q 10 -i 3
 * -l 0,20,0:0,4,2 -c) B waits for A's quantum to end. */
Test(sched_mlfq, io_bump_preempts_the_same_level)
{
	check((opts_t){.n = 1, .q = 10, .io = 3, .bump = true},
	      JOBS({0, 20, 0}, {0, 4, 2}), WANT({0, 24}, {10, 17}), 2);
	check((opts_t){.n = 1, .q = 10, .io = 3},
	      JOBS({0, 20, 0}, {0, 4, 2}), WANT({0, 22}, {10, 24}), 2);
	/* mlfq.py -n 1 -q 10 -i 3 -I -l 0,20,0:0,4,2:0,10,0 -c
	 * B bumps C (running 12-22) at 15; after B ends at 17, C, still at
	 * the head, goes on ahead of A and ends at 24. */
	check((opts_t){.n = 1, .q = 10, .io = 3, .bump = true},
	      JOBS({0, 20, 0}, {0, 4, 2}, {0, 10, 0}),
	      WANT({0, 34}, {10, 17}, {12, 24}), 3);
}

/* mlfq.py -n 1 -q 10 -i 3 -l 0,4,2:5,3,0 -c
 * At 5 B arrives and A's I/O completes: the arrival is queued first. With
 * -I (mlfq.py -n 1 -q 10 -i 3 -I -l 0,4,2:5,3,0 -c) A goes to the front
 * instead; arrivals are never bumped. */
Test(sched_mlfq, arrival_before_io_completion_in_one_tick)
{
	check((opts_t){.n = 1, .q = 10, .io = 3},
	      JOBS({0, 4, 2}, {5, 3, 0}), WANT({0, 10}, {5, 8}), 2);
	check((opts_t){.n = 1, .q = 10, .io = 3, .bump = true},
	      JOBS({0, 4, 2}, {5, 3, 0}), WANT({0, 7}, {7, 10}), 2);
}

/* mlfq.py -n 2 -q 5 -A 2,1 -i 1 -S -l 0,30,5:0,40,0 -c
 * A's I/O comes exactly at each quantum's end.  With -S every I/O resets
 * allotLeft to 2 before the expiry takes one, so A never leaves the top;
 * without -S (mlfq.py -n 2 -q 5 -A 2,1 -i 1 -l 0,30,5:0,40,0 -c) its
 * second quantum spends the allotment. */
Test(sched_mlfq, stay_resets_the_allotment)
{
	check((opts_t){.n = 2, .q = 5, .allot = {2, 1}, .io = 1, .stay = true},
	      JOBS({0, 30, 5}, {0, 40, 0}), WANT({0, 43}, {5, 70}), 2);
	check((opts_t){.n = 2, .q = 5, .allot = {2, 1}, .io = 1},
	      JOBS({0, 30, 5}, {0, 40, 0}), WANT({0, 55}, {5, 70}), 2);
}

/* mlfq.py -n 2 -q 5 -S -i 1 -l 0,15,5:7,3,0 -c
 * A's first I/O (at 5) coincides with the end of its quantum: -S resets
 * allotLeft to 1, and the expiry in the same tick spends it, so A drops.
 * B arriving at 7 preempts A at once.  Had -S kept A on top (by hand), B
 * would queue behind A and first run at 11. */
Test(sched_mlfq, stay_still_counts_an_expiry_in_the_same_tick)
{
	check((opts_t){.n = 2, .q = 5, .io = 1, .stay = true},
	      JOBS({0, 15, 5}, {7, 3, 0}), WANT({0, 20}, {7, 10}), 2);
}

/* The OSTEP chapter's gaming: B runs 9 ticks of a 10-tick quantum, then a
 * 1-tick I/O.  mlfq.py -n 3 -q 10 -i 1 -S -l 0,100,0:0,90,9 -c: B stays
 * on top and starves A; mlfq.py -n 3 -q 10 -i 1 -l 0,100,0:0,90,9 -c:
 * the allotment is accounted across I/Os and B sinks. */
Test(sched_mlfq, stay_lets_a_job_game_the_scheduler)
{
	check((opts_t){.n = 3, .q = 10, .io = 1, .stay = true},
	      JOBS({0, 100, 0}, {0, 90, 9}), WANT({0, 190}, {10, 109}), 2);
	check((opts_t){.n = 3, .q = 10, .io = 1},
	      JOBS({0, 100, 0}, {0, 90, 9}), WANT({0, 154}, {10, 193}), 2);
}

/* Not in mlfq.py (derived by hand from our rule): a yield goes to the tail
 * keeping the rest of the quantum.  -n 2 -q 5: A computes 3, yields (2
 * left), B 3-8 drops, A 8-10 drops, B 10-15, A 15-23.  A fresh quantum on
 * yield would let A run 8-13 and B finish at 18. */
Test(sched_mlfq, yield_keeps_the_rest_of_the_quantum)
{
	opts_t o = {.n = 2, .q = 5};
	mos_kernel_t *k = mlfq_kernel(&o);
	mos_pid_t pid[2];

	pid[0] = spawn_script(k, 0, "[{\"compute\":3},{\"yield\":true},"
				    "{\"compute\":10}]");
	pid[1] = spawn_job(k, (job_t){0, 10, 0}, 5);
	mos_kernel_run(k, MOS_TIME_NEVER);
	expect_times(k, pid, WANT({0, 23}, {3, 15}), 2);
	mos_kernel_destroy(k);
}

/* A boost needs someone attached: once every job has exited the run ends
 * instead of waking for boosts forever. */
Test(sched_mlfq, run_ends_when_the_last_job_exits)
{
	opts_t o = {.n = 2, .q = 5, .boost = 3};
	mos_kernel_t *k = mlfq_kernel(&o);

	spawn_job(k, (job_t){2, 4, 0}, 5);
	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq(mos_kernel_now(k), MS(6));
	mos_kernel_destroy(k);
}

/* A queued job that is killed leaves its queue; the others go on. */
Test(sched_mlfq, killed_job_leaves_its_queue)
{
	opts_t o = {.n = 2, .q = 5};
	mos_kernel_t *k = mlfq_kernel(&o);
	mos_pid_t pid[2];

	pid[0] = spawn_job(k, (job_t){0, 12, 0}, 5);
	pid[1] = spawn_job(k, (job_t){0, 12, 0}, 5);
	/* 0-5 A, 5-10 B, 10-15 A at the bottom; B killed at 12. */
	mos_kernel_run(k, MS(12));
	cr_assert_eq(mos_process_terminate(k, pid[1], true), 0);
	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_expect_eq(t_info(k, pid[0]).times.finished, MS(17));
	mos_kernel_destroy(k);
}

/* ---- end to end against mlfq.py -------------------------------------- */

/* The chapter's long job with a short job arriving at 100.
 * mlfq.py -n 3 -q 10 -l 0,200,0:100,20,0 -c */
Test(sched_mlfq, ostep_long_and_short_job)
{
	check((opts_t){.n = 3, .q = 10},
	      JOBS({0, 200, 0}, {100, 20, 0}), WANT({0, 220}, {100, 120}), 2);
}

/* A long job and an interactive job (1 tick of CPU per 5-tick I/O).
 * mlfq.py -n 3 -q 10 -i 5 -l 0,175,0:50,25,1 -c */
Test(sched_mlfq, ostep_long_and_interactive_job)
{
	check((opts_t){.n = 3, .q = 10, .io = 5},
	      JOBS({0, 175, 0}, {50, 25, 1}), WANT({0, 197}, {50, 210}), 2);
}

/* The chapter's boost: a long job and two I/O-bound jobs.
 * mlfq.py -n 3 -q 10 -i 2 -B 50 -l 0,150,0:100,50,2:100,50,2 -c
 * (the boost at 100 gives A a fresh top quantum ahead of B and C, which
 * arrive then), the same through the 2020 mlfq.py, and without the boost:
 * mlfq.py -n 3 -q 10 -i 2 -l 0,150,0:100,50,2:100,50,2 -c */
Test(sched_mlfq, ostep_boost)
{
	check((opts_t){.n = 3, .q = 10, .io = 2, .boost = 50},
	      JOBS({0, 150, 0}, {100, 50, 2}, {100, 50, 2}),
	      WANT({0, 210}, {110, 248}, {112, 250}), 3);
	check((opts_t){.n = 3, .q = 10, .io = 2, .boost = 50, .legacy = true},
	      JOBS({0, 150, 0}, {100, 50, 2}, {100, 50, 2}),
	      WANT({0, 198}, {101, 248}, {102, 250}), 3);
	check((opts_t){.n = 3, .q = 10, .io = 2},
	      JOBS({0, 150, 0}, {100, 50, 2}, {100, 50, 2}),
	      WANT({0, 206}, {100, 248}, {102, 250}), 3);
}

/* The chapter's gaming with a late gamer.
 * mlfq.py -n 3 -q 10 -i 1 -S -l 0,200,0:80,100,9 -c
 * and with the anti-gaming accounting:
 * mlfq.py -n 3 -q 10 -i 1 -l 0,200,0:80,100,9 -c */
Test(sched_mlfq, ostep_gaming)
{
	check((opts_t){.n = 3, .q = 10, .io = 1, .stay = true},
	      JOBS({0, 200, 0}, {80, 100, 9}), WANT({0, 300}, {80, 191}), 2);
	check((opts_t){.n = 3, .q = 10, .io = 1},
	      JOBS({0, 200, 0}, {80, 100, 9}), WANT({0, 272}, {80, 303}), 2);
}

/* Everything at once.
 * mlfq.py -l 0,30,5:0,20,0 -q 10 -n 3 -i 5 -B 20 -I -S -c, then the same
 * through the 2020 mlfq.py. */
Test(sched_mlfq, ostep_all_options)
{
	check((opts_t){.n = 3, .q = 10, .io = 5, .boost = 20, .bump = true,
			.stay = true},
	      JOBS({0, 30, 5}, {0, 20, 0}), WANT({0, 55}, {5, 40}), 2);
	check((opts_t){.n = 3, .q = 10, .io = 5, .boost = 20, .bump = true,
			.stay = true, .legacy = true},
	      JOBS({0, 30, 5}, {0, 20, 0}), WANT({0, 56}, {5, 40}), 2);
}

/* Lower queues with longer quanta (the chapter's Figure 8.7 shape).
 * mlfq.py -n 3 -Q 10,20,40 -A 2,2,2 -l 0,140,0:0,140,0 -c */
Test(sched_mlfq, ostep_longer_quanta_below)
{
	check((opts_t){.quanta = {10, 20, 40}, .allot = {2, 2, 2}},
	      JOBS({0, 140, 0}, {0, 140, 0}), WANT({0, 240}, {10, 280}), 2);
}

/* The homework's random workloads; the job lists are the ones mlfq.py
 * prints for these seeds.
 * mlfq.py -s 2 -n 3 -j 3 -c   (jobs 0,95,9:0,6,1:0,83,7) */
Test(sched_mlfq, ostep_homework_seed_2)
{
	check((opts_t){.n = 3, .q = 10, .io = 5},
	      JOBS({0, 95, 9}, {0, 6, 1}, {0, 83, 7}),
	      WANT({0, 194}, {9, 44}, {10, 189}), 3);
}

/* mlfq.py -s 5 -n 2 -j 4 -m 60 -M 5 -B 30 -i 3 -S -I -c
 * (jobs 0,37,3:0,47,4:0,44,4:0,2,2), then the same through the 2020
 * mlfq.py. */
Test(sched_mlfq, ostep_homework_seed_5)
{
	check((opts_t){.n = 2, .q = 10, .io = 3, .boost = 30, .stay = true,
			.bump = true},
	      JOBS({0, 37, 3}, {0, 47, 4}, {0, 44, 4}, {0, 2, 2}),
	      WANT({0, 117}, {3, 129}, {10, 130}, {47, 114}), 4);
	check((opts_t){.n = 2, .q = 10, .io = 3, .boost = 30, .stay = true,
			.bump = true, .legacy = true},
	      JOBS({0, 37, 3}, {0, 47, 4}, {0, 44, 4}, {0, 2, 2}),
	      WANT({0, 109}, {3, 122}, {10, 137}, {33, 64}), 4);
}

/* A zero-length I/O completes at the start of the next tick.
 * mlfq.py -n 1 -q 3 -i 0 -l 0,6,2:0,6,0 -c */
Test(sched_mlfq, ostep_zero_io_time)
{
	opts_t o = {.n = 1, .q = 3};
	mos_kernel_t *k = mlfq_kernel(&o);
	mos_pid_t pid[2];

	pid[0] = spawn_job(k, (job_t){0, 6, 2}, 0);
	pid[1] = spawn_job(k, (job_t){0, 6, 0}, 0);
	mos_kernel_run(k, MOS_TIME_NEVER);
	expect_times(k, pid, WANT({0, 12}, {2, 9}), 2);
	mos_kernel_destroy(k);
}

/* Both loaders read legacy_boost.  The workload is the second command
 * line of legacy_boost_sets_the_slice_to_the_top_allotment (mlfq.py -n 2
 * -q 6 -A 2,1 -B 4 -l 0,10,0:0,10,0): 2020 times as loaded, the current
 * ones with the key cleared. */
Test(sched_mlfq, legacy_boost_from_the_loaders)
{
	static const mos_time_t legacy[2][2] = {{0, 14}, {6, 20}};
	static const mos_time_t current[2][2] = {{0, 10}, {10, 20}};
	mos_workload_t *w = NULL;
	mos_sched_report_t *r = NULL;
	mos_sched_params_t p;
	mos_config_t cfg;

	cr_assert_eq(mos_workload_load_json(TEST_DATA_DIR
					    "/mlfq-legacy-boost.json",
					    &w, NULL), 0);
	cr_assert_eq(w->policy.legacy_boost, true);
	p = w->policy;
	for (int run = 0; run < 2; run++) {
		const mos_time_t(*want)[2] = run ? current : legacy;

		p.legacy_boost = run == 0;
		cr_assert_eq(mos_sched_run_workload(w, &p, &r, NULL), 0);
		cr_assert_eq(r->nprocs, 2);
		for (size_t i = 0; i < 2; i++) {
			cr_expect_eq(r->procs[i].first_run, MS(want[i][0]),
				     "run %d job %zu", run, i);
			cr_expect_eq(r->procs[i].finish, MS(want[i][1]),
				     "run %d job %zu", run, i);
		}
		mos_sched_report_free(r);
	}
	mos_workload_free(w);

	mos_config_default(&cfg);
	cr_expect_eq(cfg.sched.legacy_boost, false);
	cr_assert_eq(mos_config_load_json(TEST_DATA_DIR
					  "/config-mlfq-legacy-boost.json",
					  &cfg, NULL), 0);
	cr_expect_eq(cfg.sched.legacy_boost, true);
	cr_expect_eq(cfg.sched.boost, MS(4));
}
