/*
 * src/sched/rr.c - fifo (first come, first served) and rr (round robin).
 *
 * Both keep one FIFO of Ready processes.  fifo runs each process until it
 * blocks or exits.  rr gives each dispatch a slice of `quantum`
 * (sched.time_slice); a process whose slice ends goes to the tail, behind
 * processes that arrive or wake at that same instant only if they were
 * queued before it (the kernel queues the preempted process first, as the
 * OSTEP simulators do).  A process that wakes gets a fresh slice.
 * mlfq reuses this queue (mos_fifo_t), it does not copy it.
 */
#include <stdlib.h>

#include "sched.h"

typedef struct rq {
	mos_fifo_t q;
	mos_time_t quantum; /* MOS_TIME_NEVER for fifo */
} rq_t;

static int init_with(mos_time_t quantum, const mos_allocator_t *alloc,
		     void **out)
{
	rq_t *rq = mos__calloc(alloc, 1, sizeof(*rq));

	if (!rq)
		return MOS_ENOMEM;
	mos__fifo_init(&rq->q);
	rq->quantum = quantum;
	*out = rq;
	return 0;
}

static int init_fifo(const mos_sched_params_t *params, uint64_t seed,
		     const mos_allocator_t *alloc, void **out)
{
	(void)params;
	(void)seed;
	return init_with(MOS_TIME_NEVER, alloc, out);
}

static int init_rr(const mos_sched_params_t *params, uint64_t seed,
		   const mos_allocator_t *alloc, void **out)
{
	(void)seed;
	return init_with(params->time_slice, alloc, out);
}

static void fini(void *rq, const mos_allocator_t *alloc)
{
	mos__free(alloc, rq);
}

static void enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now)
{
	(void)why;
	(void)now;
	mos__fifo_push(&((rq_t *)rq)->q, p);
}

static void dequeue(void *rq, mos_proc_t *p)
{
	mos__fifo_remove(&((rq_t *)rq)->q, p);
}

static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	rq_t *rq = arg;
	mos_proc_t *p = mos__fifo_pop(&rq->q);

	(void)now;
	if (p)
		mos__sched_ent(p)->slice = rq->quantum;
	return p;
}

static void put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why, mos_time_t now)
{
	(void)now;
	if (why <= MOS_PUT_YIELD)
		mos__fifo_push(&((rq_t *)rq)->q, p);
}

static mos_time_t slice_left(void *rq, const mos_proc_t *p)
{
	(void)rq;
	return mos__sched_ent_c(p)->slice;
}

static mos_proc_t *likely_next(void *rq)
{
	return mos__fifo_likely(&((rq_t *)rq)->q, NULL);
}

static void charge(void *rq, mos_proc_t *p, mos_time_t ran)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	(void)rq;
	if (e->slice != MOS_TIME_NEVER)
		e->slice -= ran;
}

const mos_sched_class_t mos__sched_fifo = {
	.name = "fifo",
	.init = init_fifo,
	.fini = fini,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.slice_left = slice_left,
	.charge = charge,
	.likely_next = likely_next,
	.reprio = mos__sched_reprio_none,
};

const mos_sched_class_t mos__sched_rr = {
	.name = "rr",
	.init = init_rr,
	.fini = fini,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.slice_left = slice_left,
	.charge = charge,
	.likely_next = likely_next,
	.reprio = mos__sched_reprio_none,
};
