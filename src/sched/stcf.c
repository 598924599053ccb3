/*
 * src/sched/stcf.c - shortest time-to-completion first (preemptive SJF,
 * "SRTF" in Silberschatz).
 *
 * The key is the time left in the process's current CPU burst: the
 * declared burst minus the CPU it has used since (see sjf.c).  A process
 * that becomes Ready with strictly less time left than the running one
 * preempts it; equal time left does not.  Ties among waiting processes go
 * to the one Ready longest, then the lower pid.
 */
#include "sched.h"

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **rq)
{
	(void)seed;
	return mos__heapq_init(params, mos__heapq_key_burst, true, alloc, rq);
}

const mos_sched_class_t mos__sched_stcf = {
	.name = "stcf",
	.init = init,
	MOS_HEAPQ_HOOKS,
};
