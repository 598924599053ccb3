/*
 * src/sched/edf.c - earliest deadline first (preemptive).
 *
 * A process's absolute deadline is its admission time plus
 * sched_attr.deadline; the workbench makes each job of a periodic task a
 * process admitted at its release, so this is the job's deadline.  The
 * earliest deadline runs; a process admitted with a strictly earlier
 * deadline preempts; the preempted one goes back ahead of the others
 * with its deadline (POSIX's rule for a preempted thread, see sched.h).
 * Equal deadlines otherwise: the one Ready longest, then the lower pid.  A
 * process without a deadline (0) runs after every process that has one,
 * in FIFO order; a deadline beyond the clock's range saturates to
 * MOS_TIME_NEVER and ranks with those.  A job past its deadline keeps
 * running to completion (soft real time); the miss is counted by whoever
 * reads the trace.
 */
#include "sched.h"

static uint64_t key(const mos_heapq_t *q, const mos_proc_t *p, mos_time_t since)
{
	mos_time_t d = mos__sched_attr(p)->deadline;

	(void)q;
	(void)since;
	return d ? mos__sat_add(mos__sched_admitted(p), d) : MOS_TIME_NEVER;
}

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **rq)
{
	(void)seed;
	return mos__heapq_init_posix(params, key, true, alloc, rq);
}

const mos_sched_class_t mos__sched_edf = {
	.name = "edf",
	.init = init,
	MOS_HEAPQ_HOOKS,
};
