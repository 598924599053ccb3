/*
 * src/sched/rm.c - rate monotonic (preemptive, static priorities).
 *
 * The shorter a task's period (sched_attr.period), the more urgent all its
 * jobs; a job of a shorter-period task preempts one of a longer period,
 * and the preempted job goes back ahead of the other jobs of its period
 * (POSIX's rule for a preempted thread, see sched.h), so a task's later
 * job never overtakes its preempted one.  Equal periods otherwise: the job
 * Ready longest, then the lower pid.  A process without a period (0) runs
 * after every periodic one, in FIFO order.
 */
#include "sched.h"

static uint64_t key(const mos_heapq_t *q, const mos_proc_t *p, mos_time_t since)
{
	mos_time_t period = mos__sched_attr(p)->period;

	(void)q;
	(void)since;
	return period ? period : MOS_TIME_NEVER;
}

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **rq)
{
	(void)seed;
	return mos__heapq_init_posix(params, key, true, alloc, rq);
}

const mos_sched_class_t mos__sched_rm = {
	.name = "rm",
	.init = init,
	MOS_HEAPQ_HOOKS,
};
