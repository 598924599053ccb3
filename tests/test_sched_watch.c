/*
 * tests/test_sched_watch.c - watching a workload run tick by tick
 * (mos_sched_run_workload_watch) and the policy's view of a process
 * (mos_process_info_t.sched_state).
 *
 * The mlfq workload is mlfq.py's `-Q 2,4 -l 0,3,0:1,2,1 -i 2 -c` (one
 * tick is 1 ms): its trace, which the expected callbacks below restate,
 * is
 *   0 JOB BEGINS 0; Run 0 at PRIORITY 1 [ TICKS 1 ALLOT 1 ]
 *   1 JOB BEGINS 1; Run 0 [ TICKS 0 ALLOT 1 ]
 *   2 Run 1 at PRIORITY 1 [ TICKS 1 ALLOT 1 ]
 *   3 IO_START 1; Run 0 at PRIORITY 0 [ TICKS 3 ALLOT 1 ]
 *   4 FINISHED 0; IDLE
 *   5 IO_DONE 1; Run 1 at PRIORITY 1 [ TICKS 0 ALLOT 1 ]
 *   6 FINISHED 1
 * (the kernel numbers PRIORITY 1, the top of two queues, level 0).
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(sched_watch, .timeout = T_TIMEOUT);

static const char mlfq_wl[] =
	"{\"name\": \"watch\", \"tick\": \"1ms\","
	" \"policy\": {\"name\": \"mlfq\", \"queues\": 2, \"quanta\": [2, 4],"
	"  \"allotments\": [1, 1]},"
	" \"processes\": ["
	"  {\"name\": \"A\", \"arrival\": 0, \"cpu\": 3},"
	"  {\"name\": \"B\", \"arrival\": 1, \"bursts\": [{\"cpu\": 1},"
	"   {\"io\": 2}, {\"cpu\": 1}]}]}";

typedef struct trans {
	mos_time_t time;
	uint32_t proc;
	mos_proc_state_t from, to;
} trans_t;

typedef struct seen {
	trans_t tr[64];
	size_t ntr;
	mos_sched_tick_t tk[64];
	size_t ntk;
} seen_t;

static void on_trans(void *arg, mos_time_t t, uint32_t proc,
		     mos_proc_state_t from, mos_proc_state_t to)
{
	seen_t *s = arg;

	cr_assert_lt(s->ntr, 64);
	s->tr[s->ntr++] = (trans_t){t, proc, from, to};
}

static void on_tick(void *arg, const mos_sched_tick_t *t)
{
	seen_t *s = arg;

	cr_assert_lt(s->ntk, 64);
	s->tk[s->ntk++] = *t;
}

static mos_sched_report_t *watch_run(const char *json, seen_t *s,
				     mos_sched_watch_t *watch)
{
	mos_workload_t *w = t_workload(json);
	mos_sched_report_t *r = NULL;
	mos_error_t err;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = mos_sched_run_workload_watch(w, NULL, watch, &r, &err);
	mos_workload_free(w);
	cr_assert_eq(rc, 0, "run: %s", err.message);
	return r;
}

Test(sched_watch, mlfq_transitions_in_the_kernels_order)
{
#define N MOS_STATE_NEW
#define R MOS_STATE_READY
#define X MOS_STATE_RUNNING
#define B MOS_STATE_BLOCKED
#define T MOS_STATE_TERMINATED
	static const trans_t want[] = {
		{MS(0), 0, N, R}, {MS(0), 0, R, X},
		{MS(1), 1, N, R},
		{MS(2), 0, X, R}, {MS(2), 1, R, X},
		{MS(3), 1, X, B}, {MS(3), 0, R, X},
		{MS(4), 0, X, T},
		{MS(5), 1, B, R}, {MS(5), 1, R, X},
		{MS(6), 1, X, T},
	};
	seen_t s;
	mos_sched_watch_t watch = {&s, on_trans, NULL};
	mos_sched_report_t *r = watch_run(mlfq_wl, &s, &watch);
	size_t n = 0;

	/* Past Terminated (zombie, reaped) is the kernel's business: only
	 * the transitions up to each exit are pinned here. */
	for (size_t i = 0; i < s.ntr; i++) {
		if (s.tr[i].from >= T)
			continue;
		cr_assert_lt(n, sizeof(want) / sizeof(*want), "extra %zu", i);
		cr_expect_eq(s.tr[i].time, want[n].time, "transition %zu time", n);
		cr_expect_eq(s.tr[i].proc, want[n].proc, "transition %zu proc", n);
		cr_expect_eq(s.tr[i].from, want[n].from, "transition %zu from", n);
		cr_expect_eq(s.tr[i].to, want[n].to, "transition %zu to", n);
		n++;
	}
	cr_expect_eq(n, sizeof(want) / sizeof(*want));
#undef N
#undef R
#undef X
#undef B
#undef T
	cr_expect_eq(r->procs[0].finish, MS(4));
	cr_expect_eq(r->procs[1].finish, MS(6));
	mos_sched_report_free(r);
}

Test(sched_watch, mlfq_ticks_carry_the_policys_state)
{
	static const mos_sched_tick_t want[] = {
		{MS(0), true, 0, {0, 1, MS(1)}},
		{MS(1), true, 0, {0, 1, 0}},
		{MS(2), true, 1, {0, 1, MS(1)}},
		{MS(3), true, 0, {1, 1, MS(3)}},
		{MS(4), false, 0, {0, 0, 0}},
		{MS(5), true, 1, {0, 1, 0}},
	};
	seen_t s;
	mos_sched_watch_t watch = {&s, NULL, on_tick};
	mos_sched_report_t *r = watch_run(mlfq_wl, &s, &watch);

	cr_assert_eq(s.ntk, 6, "ticks: %zu", s.ntk);
	for (size_t i = 0; i < 6; i++) {
		cr_expect_eq(s.tk[i].start, want[i].start, "tick %zu", i);
		cr_expect_eq(s.tk[i].ran, want[i].ran, "tick %zu ran", i);
		cr_expect_eq(s.tk[i].proc, want[i].proc, "tick %zu proc", i);
		cr_expect_eq(s.tk[i].state.level, want[i].state.level,
			     "tick %zu level", i);
		cr_expect_eq(s.tk[i].state.allot, want[i].state.allot,
			     "tick %zu allot", i);
		cr_expect_eq(s.tk[i].state.slice, want[i].state.slice,
			     "tick %zu slice %lld", i,
			     (long long)s.tk[i].state.slice);
	}
	mos_sched_report_free(r);
}

Test(sched_watch, same_report_as_unwatched)
{
	mos_sched_report_t *plain = t_run_workload(mlfq_wl), *r;
	seen_t s;
	mos_sched_watch_t watch = {&s, on_trans, on_tick};

	r = watch_run(mlfq_wl, &s, &watch);
	cr_assert_eq(r->nslices, plain->nslices);
	for (size_t i = 0; i < r->nslices; i++) {
		cr_expect_eq(r->slices[i].proc, plain->slices[i].proc);
		cr_expect_eq(r->slices[i].start, plain->slices[i].start);
		cr_expect_eq(r->slices[i].end, plain->slices[i].end);
	}
	cr_expect_eq(r->makespan, plain->makespan);
	cr_expect_eq(r->context_switches, plain->context_switches);
	cr_expect_eq(r->trace_hash, plain->trace_hash);
	mos_sched_report_free(r);
	mos_sched_report_free(plain);
}

Test(sched_watch, null_callbacks_are_fine)
{
	seen_t s;
	mos_sched_watch_t watch = {NULL, NULL, NULL};

	mos_sched_report_free(watch_run(mlfq_wl, &s, &watch));
}

Test(sched_watch, bad_arguments)
{
	mos_workload_t *w = t_workload(mlfq_wl);
	mos_sched_watch_t watch = {NULL, NULL, NULL};
	mos_sched_report_t *r = NULL;
	mos_error_t err;

	cr_expect_eq(mos_sched_run_workload_watch(w, NULL, NULL, &r, &err),
		     MOS_EINVAL);
	cr_expect_not_null(strstr(err.message, "watch"), "%s", err.message);
	cr_expect_eq(mos_sched_run_workload_watch(w, NULL, &watch, NULL, &err),
		     MOS_EINVAL);
	cr_expect_eq(mos_sched_run_workload_watch(NULL, NULL, &watch, &r, &err),
		     MOS_EINVAL);
	w->tick = 1;
	cr_expect_eq(mos_sched_run_workload_watch(w, NULL, &watch, &r, &err),
		     MOS_EINVAL);
	cr_expect_str_eq(err.path, "tick");
	cr_expect_not_null(strstr(err.message, "at least 2 ns"), "%s",
			   err.message);
	cr_expect_null(r);
	mos_workload_free(w);
}

/* ---- mos_process_info_t.sched_state --------------------------------- */

static mos_kernel_t *policy_kernel(const char *policy)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	cfg.sched.tick = MS(1);
	cfg.sched.time_slice = MS(4);
	cfg.sched.queues = 2;
	cfg.sched.nquanta = 2;
	cfg.sched.quanta[0] = MS(2);
	cfg.sched.quanta[1] = MS(4);
	cfg.sched.nallotments = 2;
	cfg.sched.allotments[0] = 1;
	cfg.sched.allotments[1] = 3;
	return t_kernel(&cfg);
}

static mos_pid_t computer(mos_kernel_t *k)
{
	mos_process_spec_t spec;
	mos_pid_t pid = 0;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("script", "[{\"compute\": 10}]");
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	return pid;
}

Test(sched_watch, state_under_mlfq)
{
	mos_kernel_t *k = policy_kernel("mlfq");
	mos_pid_t pid = computer(k);
	mos_process_info_t in = t_info(k, pid);

	/* Admitted: the top queue's full quantum and allotment. */
	cr_expect_eq(in.sched_state.level, 0);
	cr_expect_eq(in.sched_state.allot, 1);
	cr_expect_eq(in.sched_state.slice, MS(2));
	/* The first quantum spent at 2 ms: level 1, 1 ms into its 4. */
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	in = t_info(k, pid);
	cr_expect_eq(in.sched_state.level, 1);
	cr_expect_eq(in.sched_state.allot, 3);
	cr_expect_eq(in.sched_state.slice, MS(3));
	/* Charged up to where the run stopped, mid-tick too. */
	cr_assert_eq(mos_kernel_run(k, MS(6) + 250), 0);
	in = t_info(k, pid);
	cr_expect_eq(in.sched_state.level, 1);
	cr_expect_eq(in.sched_state.allot, 2);
	cr_expect_eq(in.sched_state.slice, MS(4) - 250);
	mos_kernel_destroy(k);
}

Test(sched_watch, state_under_rr)
{
	mos_kernel_t *k = policy_kernel("rr");
	mos_pid_t pid = computer(k);
	mos_process_info_t in;

	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	in = t_info(k, pid);
	cr_expect_eq(in.sched_state.level, 0);
	cr_expect_eq(in.sched_state.allot, 0);
	cr_expect_eq(in.sched_state.slice, MS(3));
	mos_kernel_destroy(k);
}
