/*
 * tests/test_wb_limits.c - the workbench and the kernel at the edges of
 * virtual time and memory: overflow-proof times, periodic metrics that add
 * up, the bounded slice log, the default quantum, MOS_ERANGE.
 *
 * Each case was a crash or a wrong answer once (issue 8); the comment says
 * what it used to do.  Bad files that the loader must refuse are in
 * tests/data/invalid/ (workload-jobs-overflow, workload-cpu-past-never,
 * workload-sum-past-never, workload-name-control, ...).
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(wb_limits, .timeout = T_TIMEOUT);

#define P(name, extra) "{\"name\":\"" name "\"," extra "}"
#define WL(policy, procs) \
	"{\"policy\":" policy ",\"processes\":[" procs "]}"

/* Every slice lies inside its process's [arrival, finish] and the run. */
static void expect_slices_inside(const mos_sched_report_t *r)
{
	for (size_t s = 0; s < r->nslices; s++) {
		const mos_sched_slice_t *sl = &r->slices[s];

		cr_assert_lt(sl->proc, r->nprocs);
		cr_assert_lt(sl->start, sl->end);
		cr_assert_leq(sl->end, r->procs[sl->proc].finish, "slice %zu", s);
		cr_assert_geq(sl->start, r->procs[sl->proc].arrival, "slice %zu", s);
		cr_assert_leq(sl->end, r->makespan);
	}
}

/* Was: fold() kept the last-released job's finish (4) while the other job
 * ran until 6; utilization 150%, and --gantt wrote past its row. */
Test(wb_limits, periodic_finish_is_the_latest_job)
{
	mos_sched_report_t *r = t_run_workload(WL(
		"{\"name\":\"lottery\",\"quantum\":1}",
		P("T", "\"period\":1,\"wcet\":3,\"jobs\":2")));

	cr_assert_eq(r->procs[0].first_run, 0);
	cr_assert_eq(r->procs[0].finish, MS(6));
	cr_assert_eq(r->makespan, MS(6));
	cr_assert_eq(r->busy, MS(6));
	cr_assert_float_eq(r->cpu_utilization, 1.0, 1e-12);
	expect_slices_inside(r);
	mos_sched_report_free(r);
}

/* Was: 100.5% utilization under cfs. */
Test(wb_limits, periodic_cfs_utilization_is_exactly_one)
{
	mos_sched_report_t *r = t_run_workload(WL("{\"name\":\"cfs\"}",
		P("T", "\"period\":7,\"wcet\":5,\"jobs\":8") ","
		P("U", "\"period\":5,\"wcet\":4,\"jobs\":7") ","
		P("V", "\"period\":5,\"wcet\":2,\"jobs\":3")));

	/* 40 + 28 + 6 = 74 ticks of work, released by 49: the CPU never
	 * idles, so the last job ends at 74. */
	cr_assert_eq(r->busy, MS(74));
	cr_assert_eq(r->makespan, MS(74));
	cr_assert_eq(r->procs[0].finish, MS(74));
	cr_assert_float_eq(r->cpu_utilization, 1.0, 1e-12);
	expect_slices_inside(r);
	mos_sched_report_free(r);
}

/* Was: A "finished" at 0.448 ticks (ticks x tick wrapped).  Now the
 * largest times that fit run exactly. */
Test(wb_limits, times_near_the_end_of_time_are_exact)
{
	mos_sched_report_t *r = t_run_workload(WL("{\"name\":\"fifo\"}",
		P("A", "\"cpu\":18446744073708") "," P("B", "\"cpu\":1")));

	cr_assert_eq(r->procs[0].finish, (mos_time_t)18446744073708 * MOS_MSEC);
	cr_assert_eq(r->procs[1].first_run, r->procs[0].finish);
	cr_assert_eq(r->procs[1].finish, (mos_time_t)18446744073709 * MOS_MSEC);
	cr_assert_eq(r->makespan, r->procs[1].finish);
	cr_assert_float_eq(r->cpu_utilization, 1.0, 1e-12);
	mos_sched_report_free(r);
}

/* Was: now + slice wrapped, and B's first_run came before its arrival.  A
 * quantum that outlasts virtual time never expires: plain FIFO. */
Test(wb_limits, quantum_past_the_end_of_time_never_expires)
{
	mos_sched_report_t *r = t_run_workload(WL(
		"{\"name\":\"rr\",\"quantum\":18446744073709}",
		P("A", "\"arrival\":600000,\"cpu\":10") ","
		P("B", "\"arrival\":600000,\"cpu\":10")));

	cr_assert_eq(r->procs[0].first_run, MS(600000));
	cr_assert_eq(r->procs[0].finish, MS(600010));
	cr_assert_eq(r->procs[1].first_run, MS(600010));
	cr_assert_eq(r->procs[1].finish, MS(600020));
	cr_assert_eq(r->context_switches, 1);
	mos_sched_report_free(r);
}

/* Was: count_jobs wrapped to 0 and make_jobs wrote past a 0-byte array.
 * A workload filled in by hand is checked as a file is. */
Test(wb_limits, hand_built_workload_with_huge_jobs_is_refused)
{
	mos_wl_process_t procs[2] = {
		{.name = "T", .period = 5, .wcet = 2, .deadline = 5,
		 .jobs = UINT64_MAX / 2, .tickets = 100},
		{.name = "V", .period = 5, .wcet = 2, .deadline = 5, .jobs = 2,
		 .tickets = 100},
	};
	mos_workload_t w = {.name = "huge", .source = "by hand",
			    .tick = MOS_MSEC, .nprocs = 2, .procs = procs};
	mos_sched_report_t *r = (mos_sched_report_t *)&w;
	mos_error_t err;

	mos_sched_params_default(&w.policy);
	snprintf(w.policy.policy, sizeof(w.policy.policy), "edf");
	cr_assert_eq(mos_sched_run_workload(&w, NULL, &r, &err), MOS_ERANGE);
	cr_assert_str_eq(err.path, "processes[0].jobs");
	cr_assert_eq(r, (mos_sched_report_t *)&w, "*out untouched");

	procs[0].jobs = 1048575; /* fits in time, not in a kernel */
	cr_assert_eq(mos_sched_run_workload(&w, NULL, &r, &err), MOS_EEXHAUSTED);
	cr_assert_str_eq(err.path, "processes[1].jobs");

	procs[0].jobs = 1;
	memcpy(procs[1].name, "V\n", 3);
	cr_assert_eq(mos_sched_run_workload(&w, NULL, &r, &err), MOS_ECONFIG);
	cr_assert_str_eq(err.path, "processes[1].name");
}

/* The workload's own times fit (their sum is 0.7 s short of the end of
 * time), but a 100 s context switch before P1 makes its sleep reach past
 * it: the job's refused sleep fails the run with MOS_ERANGE instead of a
 * report of a job that did less. */
Test(wb_limits, a_job_whose_sleep_switch_costs_push_past_never_fails_the_run)
{
	mos_workload_t *w = t_workload(
		"{\"name\":\"edge\",\"tick\":\"1s\","
		"\"policy\":{\"name\":\"fifo\"},\"context_switch_cost\":100,"
		"\"processes\":[{\"name\":\"P2\",\"cpu\":1},"
		"{\"name\":\"P1\",\"bursts\":[{\"cpu\":1},"
		"{\"io\":18446744071}]}]}");
	mos_sched_report_t *r = NULL;
	mos_error_t err;

	cr_assert_eq(mos_sched_run_workload(w, NULL, &r, &err), MOS_ERANGE);
	cr_expect_null(r);
	cr_expect_not_null(strstr(err.message, "out of range"), "%s",
			   err.message);
	mos_workload_free(w);
}

/* Was: 471 MB for rr quantum 1 on one process of 1e7 ticks.  A lone
 * process re-dispatched after its own slice continues that slice. */
Test(wb_limits, lone_process_is_one_slice)
{
	mos_sched_report_t *r = t_run_workload(WL(
		"{\"name\":\"rr\",\"quantum\":1}", P("A", "\"cpu\":200000")));

	cr_assert_eq(r->nslices, 1);
	cr_assert_eq(r->slices[0].start, 0);
	cr_assert_eq(r->slices[0].end, MS(200000));
	cr_assert_eq(r->slices_truncated, false);
	cr_assert_eq(r->context_switches, 0);
	mos_sched_report_free(r);
}

/* Two processes taking turns every tick: one slice a tick, past the
 * bound.  The report keeps the first MOS_SCHED_MAX_SLICES and says so; the
 * metrics still cover the whole run. */
Test(wb_limits, slice_log_is_bounded, .timeout = 60)
{
	mos_sched_report_t *r = t_run_workload(WL(
		"{\"name\":\"rr\",\"quantum\":1}",
		P("A", "\"cpu\":600000") "," P("B", "\"cpu\":600000")));

	cr_assert_eq(r->nslices, MOS_SCHED_MAX_SLICES);
	cr_assert_eq(r->slices_truncated, true);
	cr_assert_eq(r->slices[MOS_SCHED_MAX_SLICES - 1].end,
		     MS(MOS_SCHED_MAX_SLICES));
	cr_assert_eq(r->procs[0].finish, MS(1199999));
	cr_assert_eq(r->procs[1].finish, MS(1200000));
	cr_assert_eq(r->context_switches, 1199999);
	mos_sched_report_free(r);
}

/* A workload without a quantum gets 10 ticks, whatever the tick. */
Test(wb_limits, default_quantum_is_ten_ticks)
{
	mos_sched_report_t *r = t_run_workload(
		"{\"tick\":\"10us\",\"policy\":{\"name\":\"rr\"},\"processes\":["
		P("A", "\"cpu\":15") "," P("B", "\"cpu\":15") "]}");

	/* A 0-10, B 10-20, A 20-25, B 25-30 (ticks of 10 us). */
	cr_assert_eq(r->nslices, 4);
	cr_assert_eq(r->slices[0].end, 100 * MOS_USEC);
	cr_assert_eq(r->slices[1].end, 200 * MOS_USEC);
	cr_assert_eq(r->procs[0].finish, 250 * MOS_USEC);
	cr_assert_eq(r->procs[1].finish, 300 * MOS_USEC);
	mos_sched_report_free(r);
}

/* ---- the kernel refuses times past MOS_TIME_NEVER ---------------------- */

typedef struct edge {
	mos_time_t compute, sleep;
	int rc_compute, rc_sleep;
} edge_t;

static int edge_main(mos_proc_t *self, int argc, char **argv)
{
	edge_t *e = mos_sys_state(self);

	(void)argc;
	(void)argv;
	e->rc_compute = mos_sys_compute(self, e->compute);
	e->rc_sleep = mos_sys_sleep(self, e->sleep);
	return 0;
}

/* A kernel under the preemptive priority policy: no time slices, so a
 * burst runs to its end (or a preemption) in one step, and a burst of
 * 2^64 ns takes no longer to simulate than one of 1 ns. */
static mos_kernel_t *edge_kernel(void)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "priority");
	k = t_kernel(&cfg);
	cr_assert_eq(mos_program_register(k, "edge", edge_main), 0);
	return k;
}

/* rank: the priority policy's number, smaller first. */
static mos_pid_t spawn_edge(mos_kernel_t *k, edge_t *e, int32_t rank,
			    mos_time_t start)
{
	mos_process_spec_t spec;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("edge");
	spec.arg = e;
	spec.sched.rank = rank;
	spec.start_time = start;
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	return pid;
}

Test(wb_limits, compute_and_sleep_past_never_are_erange)
{
	mos_kernel_t *k = edge_kernel();
	edge_t e = {MOS_TIME_NEVER - 1, MOS_TIME_NEVER - 1, 1, 1};

	spawn_edge(k, &e, 0, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* At time 0, now + (NEVER - 1) is still a time, NEVER is not: the
	 * compute runs to NEVER - 1, and the sleep after it is refused. */
	cr_assert_eq(e.rc_compute, 0);
	cr_assert_eq(e.rc_sleep, MOS_ERANGE);
	cr_assert_eq(mos_kernel_now(k), MOS_TIME_NEVER - 1);
	mos_kernel_destroy(k);
}

Test(wb_limits, compute_refused_when_it_would_reach_never)
{
	mos_kernel_t *k = edge_kernel();
	edge_t e = {MOS_TIME_NEVER - 5, 0, 1, 1};

	spawn_edge(k, &e, 0, 5);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(e.rc_compute, MOS_ERANGE);
	cr_assert_eq(e.rc_sleep, 0);
	cr_assert_eq(mos_kernel_now(k), 5, "the refused burst took no time");
	mos_kernel_destroy(k);
}

Test(wb_limits, start_time_never_is_erange)
{
	mos_kernel_t *k = t_kernel(NULL);
	edge_t e = {1, 0, 1, 1};
	mos_process_spec_t spec;
	mos_pid_t pid = 77;

	cr_assert_eq(mos_program_register(k, "edge", edge_main), 0);
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("edge");
	spec.arg = &e;
	spec.start_time = MOS_TIME_NEVER;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_ERANGE);
	cr_assert_eq(pid, 77);
	mos_kernel_destroy(k);
}

/* A burst accepted at time 0 whose end is pushed past MOS_TIME_NEVER by a
 * preemption: the run stops with MOS_ERANGE at the last event, time does
 * not wrap, and later runs say the same. */
Test(wb_limits, preempted_burst_past_never_stops_the_run)
{
	mos_kernel_t *k = edge_kernel();
	edge_t low = {MOS_TIME_NEVER - 100, 0, 1, 1};
	edge_t high = {1000, 0, 1, 1};
	mos_pid_t a;

	a = spawn_edge(k, &low, 5, 0);
	spawn_edge(k, &high, 1, 50);
	/* low computes 0-50, high preempts and runs 50-1050 then sleeps 0
	 * and exits; low's remaining NEVER - 150 would end at NEVER + 900. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), MOS_ERANGE);
	cr_assert_eq(mos_kernel_now(k), 1050);
	cr_assert_eq(high.rc_compute, 0);
	cr_assert_eq(low.rc_compute, 1, "low is still inside its burst");
	cr_assert_neq(t_info(k, a).state, MOS_STATE_TERMINATED);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), MOS_ERANGE);
	cr_assert_eq(mos_kernel_now(k), 1050);
	mos_kernel_destroy(k);
}
