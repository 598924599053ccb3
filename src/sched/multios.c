/*
 * src/sched/multios.c - the kernel's default policy.
 *
 * Strict priority levels, Critical > RealTime > High > Normal > Low > Idle:
 * the most urgent non-empty level always runs, and a process that becomes
 * Ready at a more urgent level than the running one preempts it at once.
 * Within a level, round robin: FIFO order; a preempted process goes back
 * to the head of its level and keeps the rest of its slice; one that used
 * its slice, yielded or woke up goes to the tail with a fresh slice.
 *
 * The priority class shapes the time slice (base = sched.time_slice):
 * Interactive gets base/2 (quick turns for latency), Background 2 x base
 * (fewer switches for throughput), System, User and Service the base.
 *
 * A priority change (reprio) moves a Ready process to its new level as
 * Linux moves a SCHED_FIFO thread whose priority changes (sched(7)):
 * raised, to the tail of the new level; lowered, to its head; it keeps
 * what it had of its slice.  The running process is in no level: the
 * new one is read when it goes back.
 *
 * One FIFO per level and a bitmap of non-empty levels: O(1) everything.
 */
#include <stdlib.h>

#include "sched.h"

typedef struct rq {
	mos_fifo_t level[MOS_PRIO_COUNT];
	uint32_t nonempty; /* bit L set when level[L] is not empty */
	mos_time_t slice;
} rq_t;

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **out)
{
	rq_t *rq = mos__calloc(alloc, 1, sizeof(*rq));

	(void)seed;
	if (!rq)
		return MOS_ENOMEM;
	for (int i = 0; i < MOS_PRIO_COUNT; i++)
		mos__fifo_init(&rq->level[i]);
	rq->slice = params->time_slice;
	*out = rq;
	return 0;
}

static void fini(void *rq, const mos_allocator_t *alloc)
{
	mos__free(alloc, rq);
}

static mos_time_t full_slice(const rq_t *rq, const mos_proc_t *p)
{
	switch (mos__sched_class_of(p)) {
	case MOS_CLASS_INTERACTIVE:
		return rq->slice / 2 ? rq->slice / 2 : 1;
	case MOS_CLASS_BACKGROUND:
		return rq->slice * 2;
	default:
		return rq->slice;
	}
}

static void push(rq_t *rq, mos_proc_t *p, bool front)
{
	int lvl = mos__sched_level_of(p);

	mos__sched_ent(p)->level = (uint32_t)lvl;
	if (front)
		mos__fifo_push_front(&rq->level[lvl], p);
	else
		mos__fifo_push(&rq->level[lvl], p);
	rq->nonempty |= 1u << lvl;
}

static void enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now)
{
	(void)why;
	(void)now;
	mos__sched_ent(p)->slice = 0;
	push(rq, p, false);
}

static void dequeue(void *arg, mos_proc_t *p)
{
	rq_t *rq = arg;
	uint32_t lvl = mos__sched_ent(p)->level;

	mos__fifo_remove(&rq->level[lvl], p);
	if (rq->level[lvl].n == 0)
		rq->nonempty &= ~(1u << lvl);
}

static int top_level(const rq_t *rq)
{
	return rq->nonempty ? 31 - __builtin_clz(rq->nonempty) : -1;
}

static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	rq_t *rq = arg;
	int lvl = top_level(rq);
	mos_proc_t *p;

	(void)now;
	if (lvl < 0)
		return NULL;
	p = mos__fifo_peek(&rq->level[lvl]);
	dequeue(rq, p);
	if (mos__sched_ent(p)->slice == 0)
		mos__sched_ent(p)->slice = full_slice(rq, p);
	return p;
}

static void put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why, mos_time_t now)
{
	(void)now;
	if (why == MOS_PUT_PREEMPT) {
		push(rq, p, true); /* keeps the rest of its slice */
		return;
	}
	mos__sched_ent(p)->slice = 0;
	if (why == MOS_PUT_SLICE || why == MOS_PUT_YIELD)
		push(rq, p, false);
}

static bool reprio(void *rq, mos_proc_t *p, int old, bool queued,
		   mos_time_t now)
{
	(void)now;
	if (queued) {
		dequeue(rq, p);
		push(rq, p, mos__sched_level_of(p) < old);
	}
	return true;
}

static mos_proc_t *likely_next(void *arg)
{
	rq_t *rq = arg;
	int lvl = top_level(rq);

	return lvl < 0 ? NULL : mos__fifo_likely(&rq->level[lvl], NULL);
}

static bool preempts(void *rq, const mos_proc_t *curr, mos_time_t now)
{
	(void)now;
	return top_level(rq) > mos__sched_level_of(curr);
}

static mos_time_t slice_left(void *rq, const mos_proc_t *p)
{
	(void)rq;
	return mos__sched_ent_c(p)->slice;
}

static void charge(void *rq, mos_proc_t *p, mos_time_t ran)
{
	(void)rq;
	mos__sched_ent(p)->slice -= ran;
}

const mos_sched_class_t mos__sched_multios = {
	.name = "multios",
	.init = init,
	.fini = fini,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.preempts = preempts,
	.slice_left = slice_left,
	.charge = charge,
	.likely_next = likely_next,
	.reprio = reprio,
};
