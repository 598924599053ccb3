/*
 * tests/test_sched_all.c - invariants every policy must keep, checked on
 * one mixed workload (arrivals, I/O, priorities, tickets, a periodic task)
 * under each policy in turn.
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

static mos_workload_t *load(void)
{
	return t_workload(mixed);
}

static int by_start(const void *a, const void *b)
{
	const mos_sched_slice_t *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void check_policy(const mos_workload_t *w, const char *name)
{
	mos_sched_params_t p = w->policy;
	mos_sched_report_t *r, *again;
	mos_time_t busy = 0, cpu[5] = {0};
	mos_error_t err;

	snprintf(p.policy, sizeof(p.policy), "%s", name);
	cr_assert_eq(mos_sched_run_workload(w, &p, &r, &err), 0, "%s: %s", name,
		     err.message);
	cr_assert_eq(r->nprocs, 5);
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
		cr_assert_geq(r->procs[i].first_run, r->procs[i].arrival, "%s", name);
		if (!r->procs[i].periodic)
			cr_assert_geq(r->procs[i].turnaround, r->procs[i].cpu, "%s", name);
	}
	cr_assert_eq(busy, MS(42), "%s", name);
	cr_assert_eq(r->busy, busy, "%s", name);
	cr_assert_geq(r->makespan, busy, "%s", name);
	cr_assert_leq(r->context_switches, r->nslices, "%s", name);
	cr_assert_leq(r->fairness, 1.0 + 1e-12, "%s", name);
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

	for (const char *const *name = mos_sched_policies(); *name; name++, n++)
		check_policy(w, *name);
	cr_assert_eq(n, 12);
	mos_workload_free(w);
}

Test(sched_all, every_policy_runs_a_plain_kernel)
{
	for (const char *const *name = mos_sched_policies(); *name; name++) {
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
}
