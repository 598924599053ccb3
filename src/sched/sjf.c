/*
 * src/sched/sjf.c - shortest job first (non-preemptive).
 *
 * The key is the length of the process's next CPU burst as declared
 * (sched_attr.burst at creation, mos_sys_sched_hint afterwards; the
 * workbench declares every burst).  The kernel cannot know the future, so
 * a process that declares nothing counts as length 0 and runs in FIFO order
 * among its peers.  Ties go to the process Ready longest, then the lower
 * pid (the file order in a workload): a stable sort.  The chosen process
 * runs until it blocks or exits.
 */
#include "sched.h"

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **rq)
{
	(void)seed;
	return mos__heapq_init(params, mos__heapq_key_burst, false, alloc, rq);
}

const mos_sched_class_t mos__sched_sjf = {
	.name = "sjf",
	.init = init,
	MOS_HEAPQ_HOOKS,
};
