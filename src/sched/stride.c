/*
 * src/sched/stride.c - stride scheduling (Waldspurger and Weihl, 1995):
 * deterministic proportional share.
 *
 * Each process has stride = STRIDE1 / tickets (at least 1; tickets from
 * sched_attr, 100 by default) and a pass.  The smallest pass runs, for one
 * quantum (sched.time_slice); ties go to the lower pid.  Running ran
 * advances the pass by stride x ran / quantum, exactly: the pass is kept as
 * a whole part (vruntime, the heap key) and a remainder (key2, in
 * 1/quantum of a pass unit), so a full quantum adds exactly one stride and
 * partial quanta lose nothing.  The heap orders by (whole, remainder, pid),
 * which is the order of the exact pass.
 *
 * Placement (the virtual-time queue of fair.h): a process that becomes
 * runnable gets pass = max(own, global pass), where the global pass is the
 * monotonic minimum pass of the runnable set (0 before anything ran; with
 * the set empty it keeps its last value).  So a newly admitted process
 * starts at the current minimum pass, as Waldspurger's global_pass
 * suggests, and neither it nor a process back from a long sleep can
 * monopolize the CPU to "catch up".  (The thesis also keeps a sleeper's
 * lead or lag over global_pass, which we drop: a sleeper loses its lag.)
 *
 * No preemption: a process that becomes runnable waits for the running
 * quantum to end.  A yielder or preempted process goes back with the pass
 * it has earned; the running process is out of the heap while it runs.
 *
 * Arithmetic: STRIDE1 = 2^20, so stride <= 2^20 and the remainder
 * product (ran mod quantum) x stride stays below quantum x 2^20: no
 * overflow while the quantum is below 2^43 ns (2.4 hours).  The pass grows
 * by at most 2^20 per quantum: 2^44 quanta before it wraps.  stride is
 * rounded down, so shares are exact to within tickets / 2^20 (3:2:1 with
 * 1 ms quanta stays exact for 524287 rounds of 6, 52 minutes).
 */
#include <stdlib.h>

#include "fair.h"
#include "multios/error.h"

#define STRIDE1 ((uint64_t)1 << 20)

typedef struct stride {
	mos_fairq_t q;       /* first: the fairq hooks take the run queue */
	mos_time_t quantum;
} stride_t;

static uint64_t stride_of(const mos_proc_t *p)
{
	uint64_t s = STRIDE1 / mos__sched_attr(p)->tickets;

	return s ? s : 1;
}

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **out)
{
	stride_t *rq = mos__calloc(alloc, 1, sizeof(*rq));

	(void)seed;
	if (!rq)
		return MOS_ENOMEM;
	mos__fairq_init(&rq->q, stride_of, alloc);
	rq->quantum = params->time_slice;
	*out = rq;
	return 0;
}

static void fini(void *arg, const mos_allocator_t *alloc)
{
	stride_t *rq = arg;

	mos__fairq_fini(&rq->q);
	mos__free(alloc, rq);
}

static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	stride_t *rq = arg;
	mos_proc_t *p = mos__fairq_pick(&rq->q);

	(void)now;
	if (p)
		mos__sched_ent(p)->slice = rq->quantum;
	return p;
}

/* pass += stride x ran / quantum, the fraction carried in key2. */
static void charge(void *arg, mos_proc_t *p, mos_time_t ran)
{
	stride_t *rq = arg;
	mos_sched_ent_t *e = mos__sched_ent(p);
	uint64_t stride = stride_of(p);
	uint64_t frac = e->key2 + ran % rq->quantum * stride;

	e->vruntime += ran / rq->quantum * stride + frac / rq->quantum;
	e->key2 = frac % rq->quantum;
	mos__fair_spend(p, ran);
	mos__fairq_update_min(&rq->q);
}

const mos_sched_class_t mos__sched_stride = {
	.name = "stride",
	.init = init,
	.fini = fini,
	.attach = mos__fairq_hook_attach,
	.detach = mos__fairq_hook_detach,
	.enqueue = mos__fairq_hook_enqueue,
	.dequeue = mos__fairq_hook_dequeue,
	.pick_next = pick_next,
	.put_prev = mos__fairq_hook_put_prev,
	.slice_left = mos__fair_slice_left,
	.charge = charge,
	.reprio = mos__sched_reprio_none,
};
