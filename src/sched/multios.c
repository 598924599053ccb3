/*
 * src/sched/multios.c - the kernel's default policy.
 *
 * Strict priority levels, Critical > RealTime > High > Normal > Low > Idle:
 * the most urgent non-empty level always runs, and a process that becomes
 * Ready at a more urgent level than the running one preempts it at once.
 * Within a level, round robin: FIFO order, a preempted process goes back to
 * the head of its level (keeping the rest of its slice), one that used its
 * slice, yielded or woke up goes to the tail.
 *
 * The priority class shapes the time slice (base = config time slice):
 * Interactive gets base/2 (quick turns for latency), Background 2*base
 * (fewer switches for throughput), System, User and Service the base.
 *
 * One FIFO list per level and a bitmap of non-empty levels: enqueue, dequeue
 * and pick are O(1).
 */
#include <stdlib.h>

#include "kernel_int.h"

typedef struct rq {
	mos_list_t level[MOS_PRIO_COUNT];
	uint32_t nonempty; /* bit L set when level[L] is not empty */
	mos_time_t slice;
} rq_t;

static int init(const mos_config_t *cfg, void **out)
{
	rq_t *rq = calloc(1, sizeof(*rq));

	if (!rq)
		return MOS_ENOMEM;
	for (int i = 0; i < MOS_PRIO_COUNT; i++)
		mos_list_init(&rq->level[i]);
	rq->slice = cfg->time_slice;
	*out = rq;
	return 0;
}

static void fini(void *rq) { free(rq); }

static void enqueue(void *arg, mos_proc_t *p, mos_enq_reason_t why)
{
	rq_t *rq = arg;
	mos_sched_ent_t *e = mos__sched_ent(p);
	int lvl = mos__sched_priority(p);

	e->level = (uint32_t)lvl;
	if (why == MOS_ENQ_PREEMPT)
		mos_list_push_front(&rq->level[lvl], &e->node);
	else
		mos_list_push_back(&rq->level[lvl], &e->node);
	rq->nonempty |= 1u << lvl;
}

static void dequeue(void *arg, mos_proc_t *p)
{
	rq_t *rq = arg;
	mos_sched_ent_t *e = mos__sched_ent(p);

	mos_list_remove(&e->node);
	if (mos_list_empty(&rq->level[e->level]))
		rq->nonempty &= ~(1u << e->level);
}

static mos_proc_t *pick_next(void *arg)
{
	rq_t *rq = arg;
	int lvl;
	mos_list_t *n;

	if (!rq->nonempty)
		return NULL;
	lvl = 31 - __builtin_clz(rq->nonempty);
	n = mos_list_pop_front(&rq->level[lvl]);
	if (mos_list_empty(&rq->level[lvl]))
		rq->nonempty &= ~(1u << lvl);
	return mos__sched_proc(mos_container_of(n, mos_sched_ent_t, node));
}

static bool preempts(void *rq, const mos_proc_t *curr, const mos_proc_t *woken)
{
	(void)rq;
	return mos__sched_priority(woken) > mos__sched_priority(curr);
}

static mos_time_t time_slice(void *arg, const mos_proc_t *p)
{
	const rq_t *rq = arg;

	switch (mos__sched_class_of(p)) {
	case MOS_CLASS_INTERACTIVE:
		return rq->slice / 2 ? rq->slice / 2 : 1;
	case MOS_CLASS_BACKGROUND:
		return rq->slice * 2;
	default:
		return rq->slice;
	}
}

const mos_sched_class_t mos__sched_multios = {
	.name = "multios",
	.init = init,
	.fini = fini,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.preempts = preempts,
	.time_slice = time_slice,
	.charge = NULL,
};
