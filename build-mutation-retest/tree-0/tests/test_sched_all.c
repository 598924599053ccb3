/*
 * tests/test_sched_all.c - invariants every policy must keep and the exact
 * schedule metrics of each, checked on one mixed workload (arrivals, I/O,
 * priorities, tickets, a periodic task) under each policy in turn.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(sched_all, .timeout = T_TIMEOUT);

static const char mixed[] =
	"{\"policy\":{\"name\":\"fifo\",\"quantum\":3,\"aging\":4,"
	"\"queues\":3,\"boost\":25},"
	"\"processes\":["
	"{\"name\":\"A\",\"cpu\":17,\"priority\":3,\"tickets\":50},"
	"{\"name\":\"B\",\"arrival\":2,\"bursts\":[{\"cpu\":4},{\"io\":6},"
	"{\"cpu\":3},{\"io\":2},{\"cpu\":5}],\"priority\":1,\"tickets\":200},"
	"{\"name\":\"C\",\"arrival\":5,\"cpu\":2,\"priority\":2},"
	"{\"name\":\"D\",\"arrival\":5,\"bursts\":[{\"cpu\":1},{\"io\":1},"
	"{\"cpu\":1},{\"io\":1},{\"cpu\":1}],\"priority\":-2},"
	"{\"name\":\"T\",\"arrival\":1,\"period\":10,\"wcet\":2,\"jobs\":4}"
	"]}";

/* CPU asked for by each entry, in ticks. */
static const mos_time_t want_cpu[] = {17, 12, 2, 3, 8};

/*
 * The run of `mixed` under each policy, in mos_sched_policies() order.
 * From the library, each checked against the policy's own tests; worked by
 * hand for fifo (A 0-17, T 17-19, B 19-23, C 23-25, D 25-26, T 26-30,
 * D 30-31, B 31-34, T 34-36, D 36-37, B 37-42: jobs released at 1 and 11
 * miss their deadline; Jain's index over cpu/turnaround 17/17, 12/40,
 * 2/20, 3/32 and 8/18 (T: all its CPU over its worst job) is 0.575142)
 * and for rr (quantum 3: A 0-3, T 3-5, B 5-8, A 8-11, C 11-13, D 13-14,
 * B 14-15, ...).  fairness is a double, compared to 1e-12.
 */
static const struct expected {
	const char *policy;
	size_t nslices;
	uint64_t switches;
	mos_time_t makespan;
	uint64_t misses;
	double fairness;
	mos_time_t finish[5]; /* A B C D T, ns */
} expected[] = {
	{"multios", 19, 18, 42, 0, 0.69192114663640425,
	 {40000000, 42000000, 13000000, 30000000, 35000000}},
	{"fifo", 12, 11, 42, 2, 0.57514206553860858,
	 {17000000, 42000000, 25000000, 37000000, 36000000}},
	{"sjf", 12, 9, 48, 2, 0.59349394769011132,
	 {17000000, 48000000, 23000000, 24000000, 34000000}},
	{"stcf", 17, 16, 42, 0, 0.48026678265912709,
	 {42000000, 26000000, 11000000, 12000000, 33000000}},
	{"rr", 19, 18, 42, 0, 0.69192114663640425,
	 {40000000, 42000000, 13000000, 30000000, 35000000}},
	{"priority", 19, 18, 42, 0, 0.7327709149342172,
	 {35000000, 42000000, 15000000, 10000000, 37000000}},
	{"mlfq", 20, 19, 42, 0, 0.51252108249662609,
	 {40000000, 42000000, 10000000, 16000000, 33000000}},
	{"cfs", 21, 20, 42, 0, 0.76968902847225174,
	 {35000000, 42000000, 12447568, 15447568, 39668112}},
	{"edf", 14, 11, 44, 0, 0.33150838787993875,
	 {21000000, 44000000, 29000000, 38000000, 33000000}},
	{"rm", 14, 11, 44, 0, 0.33150838787993875,
	 {21000000, 44000000, 29000000, 38000000, 33000000}},
	{"lottery", 16, 15, 42, 1, 0.84159491361426197,
	 {42000000, 30000000, 11000000, 22000000, 37000000}},
	{"stride", 17, 16, 42, 0, 0.85893625490283587,
	 {42000000, 37000000, 8000000, 16000000, 35000000}},
};

#define NPOLICIES (sizeof(expected) / sizeof(expected[0]))

static mos_workload_t *load(void)
{
	return t_workload(mixed);
}

static int by_start(const void *a, const void *b)
{
	const mos_sched_slice_t *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void check_policy(const mos_workload_t *w, const struct expected *e)
{
	const char *name = e->policy;
	mos_sched_params_t p = w->policy;
	mos_sched_report_t *r, *again;
	mos_time_t busy = 0, cpu[5] = {0};
	mos_error_t err;

	snprintf(p.policy, sizeof(p.policy), "%s", name);
	cr_assert_eq(mos_sched_run_workload(w, &p, &r, &err), 0, "%s: %s", name,
		     err.message);
	cr_assert_eq(r->nprocs, 5);
	cr_assert_eq(r->nslices, e->nslices, "%s: %zu slices", name, r->nslices);
	/* Slices never overlap, lie between arrival and finish, and add up
	 * to exactly the CPU each process asked for. */
	qsort(r->slices, r->nslices, sizeof(*r->slices), by_start);
	for (size_t i = 0; i < r->nslices; i++) {
		const mos_sched_slice_t *s = &r->slices[i];
		cr_assert_lt(s->start, s->end, "%s", name);
		if (i > 0)
			cr_assert_geq(s->start, r->slices[i - 1].end, "%s: overlap", name);
		cr_assert_geq(s->start, r->procs[s->proc].arrival, "%s", name);
		cr_assert_leq(s->end, r->procs[s->proc].finish, "%s", name);
		cpu[s->proc] += s->end - s->start;
		busy += s->end - s->start;
	}
	for (size_t i = 0; i < 5; i++) {
		cr_assert_eq(cpu[i], MS(want_cpu[i]), "%s: %s got %llu ns", name,
			     r->procs[i].name, (unsigned long long)cpu[i]);
		cr_assert_eq(r->procs[i].finish, e->finish[i], "%s: %s ends at %llu",
			     name, r->procs[i].name,
			     (unsigned long long)r->procs[i].finish);
		cr_assert_geq(r->procs[i].first_run, r->procs[i].arrival, "%s", name);
		if (!r->procs[i].periodic)
			cr_assert_geq(r->procs[i].turnaround, r->procs[i].cpu, "%s", name);
	}
	cr_assert_eq(busy, MS(42), "%s", name);
	cr_assert_eq(r->busy, busy, "%s", name);
	cr_assert_eq(r->makespan, MS(e->makespan), "%s", name);
	cr_assert_eq(r->context_switches, e->switches, "%s: %llu switches", name,
		     (unsigned long long)r->context_switches);
	cr_assert_eq(r->deadline_misses, e->misses, "%s", name);
	cr_assert_float_eq(r->fairness, e->fairness, 1e-12, "%s: fairness %.17g",
			   name, r->fairness);
	/* Same inputs, same trace. */
	cr_assert_eq(mos_sched_run_workload(w, &p, &again, &err), 0);
	cr_assert_eq(again->trace_hash, r->trace_hash, "%s: not deterministic", name);
	mos_sched_report_free(again);
	mos_sched_report_free(r);
}

Test(sched_all, invariants_under_every_policy)
{
	mos_workload_t *w = load();
	size_t n = 0;

	for (const char *const *name = mos_sched_policies(); *name; name++, n++) {
		cr_assert_lt(n, NPOLICIES, "a policy without expected values");
		cr_assert_str_eq(*name, expected[n].policy);
		check_policy(w, &expected[n]);
	}
	cr_assert_eq(n, NPOLICIES);
	mos_workload_free(w);
}

Test(sched_all, every_policy_runs_a_plain_kernel)
{
	size_t n = 0;

	for (const char *const *name = mos_sched_policies(); *name; name++, n++) {
		mos_config_t cfg;
		mos_kernel_t *k;
		mos_pid_t a, b;

		mos_config_default(&cfg);
		snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", *name);
		k = t_kernel(&cfg);
		a = t_spawn(k, T_ARGV("io", "2ms", "3ms", "3"));
		b = t_spawn(k, T_ARGV("script", "[{\"spawn\":[\"cpu\",\"4ms\"]},"
				      "{\"compute\":\"1ms\"},{\"wait\":\"all\"}]"));
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0, "%s", *name);
		cr_assert_eq(t_info(k, a).times.cpu_user, MS(6), "%s", *name);
		cr_assert_eq(t_info(k, b).state, MOS_STATE_DEFUNCT, "%s", *name);
		cr_assert_eq(t_info(k, b + 1).times.cpu_user, MS(4), "%s", *name);
		mos_kernel_destroy(k);
	}
	cr_assert_eq(n, NPOLICIES);
}
