/*
 * bench/sched_policies.c - scheduling decisions per second, every policy,
 * at 16, 1 024 and 65 536 runnable processes.
 *
 * A decision is what the kernel asks of a policy each time the CPU changes
 * hands: pick_next (and likely_next, whose guess the kernel warms),
 * slice_left, charge, put_prev (the process goes back, runnable, as after
 * a slice or a yield).  The benchmark drives the policy
 * hooks directly on control blocks set up as the kernel would, so the
 * figure is the policy's own cost, not the coroutine switch's (bench/yield
 * measures that).  Each figure is the median of 5 runs, with min and max.
 * Output: one JSON object per line.  Never fails on time.
 *
 * usage: sched_policies [POLICY...]   (default: every policy)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/kernel_int.h"

#define RUNS 5

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Two workloads: "uniform" (identical processes: every policy visits them
 * in pid order, i.e. in memory order) and "mixed" (attributes vary, so the
 * policy's order is a scattered permutation of the control blocks). */
static void setup(mos_proc_t *p, uint32_t i, bool mixed)
{
	memset(p, 0, sizeof(*p));
	p->pid = (mos_pid_t)i + 2;
	mos_list_init(&p->se.node);
	mos_list_init(&p->se.all);
	p->prio_class = MOS_CLASS_USER;
	if (!mixed) {
		p->priority = MOS_PRIO_NORMAL;
		p->attr.tickets = 100;
		p->attr.period = p->attr.deadline = 10 * MOS_MSEC;
		p->attr.burst = p->se.burst = 10 * MOS_MSEC;
		return;
	}
	p->priority = (mos_priority_t)(i % MOS_PRIO_COUNT);
	p->attr.rank = (int32_t)(i % 40) - 20;
	p->attr.tickets = 1 + i % 100;
	p->attr.period = (1 + i % 50) * MOS_MSEC;
	p->attr.deadline = p->attr.period;
	p->attr.burst = (1 + i % 97) * MOS_MSEC;
	p->se.burst = p->attr.burst;
}

/* One run: n processes, `decisions` decisions; returns ns per decision. */
static double run(const mos_sched_class_t *c, const mos_sched_params_t *par,
		  mos_proc_t *procs, uint32_t n, bool mixed, uint64_t decisions)
{
	void *rq;
	mos_time_t now = 0;
	double t0, t1;

	if (c->init(par, 42, mos__alloc_libc(), &rq) < 0)
		abort();
	for (uint32_t i = 0; i < n; i++) {
		setup(&procs[i], i, mixed);
		if (c->attach && c->attach(rq, &procs[i]) < 0)
			abort();
		c->enqueue(rq, &procs[i], MOS_ENQ_NEW, now);
	}
	t0 = now_ns();
	for (uint64_t d = 0; d < decisions; d++) {
		mos_proc_t *p = c->pick_next(rq, now), *soon;
		mos_time_t sl;

		/* The kernel warms what it will touch of the process the
		 * policy expects soon; here that is the line written below. */
		if (c->likely_next && (soon = c->likely_next(rq)))
			__builtin_prefetch(&soon->se.ready_since, 1);
		sl = c->slice_left(rq, p);
		mos_time_t ran = sl == MOS_TIME_NEVER || sl == 0 ? MOS_MSEC : sl;

		c->charge(rq, p, ran);
		now += ran;
		p->se.ready_since = now;
		c->put_prev(rq, p, sl == MOS_TIME_NEVER ? MOS_PUT_YIELD : MOS_PUT_SLICE,
			    now);
	}
	t1 = now_ns();
	for (uint32_t i = 0; c->detach && i < n; i++)
		c->detach(rq, &procs[i]);
	c->fini(rq, mos__alloc_libc());
	return (t1 - t0) / (double)decisions;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static bool wanted(const char *name, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return argc < 2;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = {16, 1024, 65536};
	mos_proc_t *procs = calloc(65536, sizeof(*procs));
	mos_sched_params_t par;

	if (!procs)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!mos__sched_find(argv[i])) {
			fprintf(stderr, "sched_policies: unknown policy '%s'\n"
				"usage: sched_policies [POLICY...]\n", argv[i]);
			return 2;
		}
	for (int mixed = 0; mixed < 2; mixed++)
	for (const char *const *name = mos_sched_policies(); *name; name++) {
		const mos_sched_class_t *c = mos__sched_find(*name);
		double at16 = 0;

		if (!wanted(*name, argc, argv))
			continue;

		mos_sched_params_default(&par);
		snprintf(par.policy, sizeof(par.policy), "%s", *name);
		par.time_slice = MOS_MSEC;
		for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
			double r[RUNS];
			uint64_t dec = 2000000;

			for (int i = 0; i < RUNS; i++)
				r[i] = run(c, &par, procs, sizes[s], mixed, dec);
			qsort(r, RUNS, sizeof(*r), cmp_double);
			if (s == 0)
				at16 = r[RUNS / 2];
			printf("{\"bench\":\"sched_policies\",\"policy\":\"%s\","
			       "\"workload\":\"%s\",\"runnable\":%u,\"decisions\":%llu,"
			       "\"ns_per_decision\":{\"median\":%.1f,\"min\":%.1f,"
			       "\"max\":%.1f},\"decisions_per_sec\":%.0f,"
			       "\"ratio_vs_16\":%.2f}\n",
			       *name, mixed ? "mixed" : "uniform", sizes[s],
			       (unsigned long long)dec, r[RUNS / 2],
			       r[0], r[RUNS - 1], 1e9 / r[RUNS / 2],
			       r[RUNS / 2] / at16);
			fflush(stdout);
		}
	}
	free(procs);
	return 0;
}
