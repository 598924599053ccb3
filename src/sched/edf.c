/*
 * src/sched/edf.c - earliest deadline first (preemptive).
 *
 * A process's absolute deadline is its admission time plus
 * sched_attr.deadline; the workbench makes each job of a periodic task a
 * process admitted at its release, so this is the job's deadline.  The
 * earliest deadline runs; a process admitted with a strictly earlier
 * deadline preempts.  A process without a deadline (0) runs after every
 * process that has one, in FIFO order.  A job past its deadline keeps
 * running to completion (soft real time); the miss is counted by whoever
 * reads the trace.
 */
#include "sched.h"

static uint64_t key(const mos_heapq_t *q, const mos_proc_t *p, mos_time_t since)
{
	mos_time_t d = mos__sched_attr(p)->deadline;

	(void)q;
	(void)since;
	return d ? mos__sched_admitted(p) + d : MOS_TIME_NEVER;
}

static int init(const mos_sched_params_t *params, uint64_t seed, void **rq)
{
	(void)seed;
	return mos__heapq_init(params, key, true, rq);
}

const mos_sched_class_t mos__sched_edf = {
	.name = "edf",
	.init = init,
	MOS_HEAPQ_HOOKS,
};
