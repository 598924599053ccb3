/*
 * src/sched/cfs.c - completely fair scheduling (weighted fair share by
 * virtual runtime, after Linux's CFS), and the virtual-time queue it shares
 * with stride (fair.h).
 *
 * Weight: attr.rank is the nice value, clamped to -20..19, mapped through
 * Linux's sched_prio_to_weight table (nice 0 = 1024, each step ~1.25x).
 *
 * Charge: vruntime += ran x 1024 / weight, rounded down per charge (as
 * Linux's calc_delta_fair truncates).  The smallest vruntime runs; ties go
 * to the lower pid.  The running process is out of the heap while it runs.
 *
 * Slice, fixed at pick time: max(min_granularity, target_latency x weight /
 * load), load being the total weight of the runnable set, the picked
 * process included (Linux's sched_slice without the period stretch for
 * many tasks).  When it ends the process goes back into the heap with its
 * new vruntime.  Yield and preemption also put it back as it is: yield
 * does not change vruntime (no skip buddy), so a yielder that still has the
 * smallest vruntime runs again at once.
 *
 * Placement: a process that becomes runnable (admitted, woken, resumed)
 * gets vruntime = max(own, min_vruntime); min_vruntime is the monotonic
 * minimum of the runnable set (fair.h).  Linux also gives sleepers a credit
 * of target_latency/2 and new tasks a debit of one slice; we do neither.
 *
 * Wake-up preemption: right after p becomes runnable, it preempts the
 * running process curr when p.vruntime + min_granularity < curr.vruntime
 * (Linux's check_preempt_wakeup with wakeup_granularity = min_granularity,
 * unscaled and not converted to p's weight).  Only the process that just
 * became runnable is compared; there is no tick-driven check between two
 * wake-ups: a running process keeps its slice.
 *
 * Everything is O(log n) (heap) or O(1); only attach allocates.
 */
#include <stdlib.h>

#include "fair.h"
#include "multios/error.h"

/* ---- the virtual-time queue (fair.h) ------------------------------------ */

void mos__fairq_init(mos_fairq_t *q, mos_fairq_cls_fn cls,
		     const mos_allocator_t *alloc)
{
	mos__pheap_init(&q->heap, alloc);
	q->cls = cls;
	q->curr = NULL;
	q->min_vtime = 0;
}

void mos__fairq_fini(mos_fairq_t *q) { mos__pheap_fini(&q->heap); }

int mos__fairq_attach(mos_fairq_t *q, mos_proc_t *p)
{
	return mos__pheap_attach(&q->heap, p);
}

void mos__fairq_detach(mos_fairq_t *q, mos_proc_t *p)
{
	mos__pheap_detach(&q->heap, p);
}

void mos__fairq_update_min(mos_fairq_t *q)
{
	uint64_t v = UINT64_MAX, top;

	if (q->curr)
		v = mos__sched_ent(q->curr)->vruntime;
	/* The heap key is the vruntime: no need to touch the top process. */
	if (mos__pheap_min_key(&q->heap, &top) && top < v)
		v = top;
	if (v != UINT64_MAX && v > q->min_vtime)
		q->min_vtime = v;
}

static void push(mos_fairq_t *q, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	mos__pheap_push(&q->heap, p, e->vruntime, e->key2, q->cls(p));
}

void mos__fairq_enqueue(mos_fairq_t *q, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	if (e->vruntime < q->min_vtime) {
		e->vruntime = q->min_vtime;
		e->key2 = 0;
	}
	e->slice = 0;
	push(q, p);
	mos__fairq_update_min(q);
}

void mos__fairq_dequeue(mos_fairq_t *q, mos_proc_t *p)
{
	mos__pheap_remove(&q->heap, p);
	mos__fairq_update_min(q);
}

mos_proc_t *mos__fairq_pick(mos_fairq_t *q)
{
	q->curr = mos__pheap_pop(&q->heap);
	return q->curr;
}

void mos__fairq_put_prev(mos_fairq_t *q, mos_proc_t *p, mos_put_reason_t why)
{
	q->curr = NULL;
	mos__sched_ent(p)->slice = 0;
	if (why <= MOS_PUT_YIELD)
		push(q, p);
	mos__fairq_update_min(q);
}

int mos__fairq_hook_attach(void *rq, mos_proc_t *p)
{
	return mos__fairq_attach(rq, p);
}

void mos__fairq_hook_detach(void *rq, mos_proc_t *p)
{
	mos__fairq_detach(rq, p);
}

void mos__fairq_hook_enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why,
			     mos_time_t now)
{
	(void)why;
	(void)now;
	mos__fairq_enqueue(rq, p);
}

void mos__fairq_hook_dequeue(void *rq, mos_proc_t *p)
{
	mos__fairq_dequeue(rq, p);
}

void mos__fairq_hook_put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why,
			      mos_time_t now)
{
	(void)now;
	mos__fairq_put_prev(rq, p, why);
}

mos_time_t mos__fair_slice_left(void *rq, const mos_proc_t *p)
{
	(void)rq;
	return mos__sched_ent_c(p)->slice;
}

void mos__fair_spend(mos_proc_t *p, mos_time_t ran)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->slice = e->slice > ran ? e->slice - ran : 0;
}

/* ---- cfs ---------------------------------------------------------------- */

#define NICE_0_WEIGHT 1024

/* Linux's sched_prio_to_weight, nice -20 first. */
static const uint32_t nice_weight[40] = {
	88761, 71755, 56483, 46273, 36291, /* -20 */
	29154, 23254, 18705, 14949, 11916, /* -15 */
	9548,  7620,  6100,  4904,  3906,  /* -10 */
	3121,  2501,  1991,  1586,  1277,  /*  -5 */
	1024,  820,   655,   526,   423,   /*   0 */
	335,   272,   215,   172,   137,   /*   5 */
	110,   87,    70,    56,    45,    /*  10 */
	36,    29,    23,    18,    15,    /*  15 */
};

typedef struct cfs {
	mos_fairq_t q;       /* first: the fairq hooks take the run queue */
	uint64_t load;       /* total weight of the runnable set, running included */
	mos_proc_t *woken;   /* became runnable, not yet checked by preempts */
	mos_time_t latency;  /* target_latency */
	mos_time_t gran;     /* min_granularity, also the wake-up granularity */
} cfs_t;

static uint64_t nice_weight_of(const mos_proc_t *p)
{
	int32_t nice = mos__sched_attr(p)->rank;

	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	return nice_weight[nice + 20];
}

/* The nice weight times the group scale (reweight), set at attach. */
static uint64_t weight_of(const mos_proc_t *p)
{
	return mos__sched_ent_c(p)->weight;
}

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **out)
{
	cfs_t *rq = mos__calloc(alloc, 1, sizeof(*rq));

	(void)seed;
	if (!rq)
		return MOS_ENOMEM;
	mos__fairq_init(&rq->q, weight_of, alloc);
	rq->latency = params->target_latency;
	rq->gran = params->min_granularity;
	*out = rq;
	return 0;
}

static void fini(void *arg, const mos_allocator_t *alloc)
{
	cfs_t *rq = arg;

	mos__fairq_fini(&rq->q);
	mos__free(alloc, rq);
}

static int attach(void *arg, mos_proc_t *p)
{
	cfs_t *rq = arg;

	mos__sched_ent(p)->weight = (uint32_t)nice_weight_of(p);
	return mos__fairq_attach(&rq->q, p);
}

/*
 * cpu.weight: weight = nice weight x scale / MOS_WEIGHT_SCALE (at least
 * 1, at most UINT32_MAX).  A runnable p moves the load; a queued one is
 * pushed again under its new class.  Its vruntime stays: only what it
 * earns from now on changes.
 */
static void reweight(void *arg, mos_proc_t *p, uint64_t scale, bool runnable,
		     bool queued)
{
	cfs_t *rq = arg;
	mos_sched_ent_t *e = mos__sched_ent(p);
	uint64_t w = nice_weight_of(p), nw;

	nw = scale > UINT64_MAX / w ? UINT32_MAX : w * scale / MOS_WEIGHT_SCALE;
	nw = nw < 1 ? 1 : nw > UINT32_MAX ? UINT32_MAX : nw;
	if (nw == e->weight)
		return;
	if (queued)
		mos__pheap_remove(&rq->q.heap, p);
	if (runnable)
		rq->load -= e->weight;
	e->weight = (uint32_t)nw;
	if (runnable)
		rq->load += e->weight;
	if (queued) {
		mos__pheap_push(&rq->q.heap, p, e->vruntime, e->key2,
				e->weight);
		mos__fairq_update_min(&rq->q);
	}
}

static void detach(void *arg, mos_proc_t *p)
{
	cfs_t *rq = arg;

	if (rq->woken == p)
		rq->woken = NULL;
	mos__fairq_detach(&rq->q, p);
}

static void enqueue(void *arg, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now)
{
	cfs_t *rq = arg;

	(void)why;
	(void)now;
	mos__fairq_enqueue(&rq->q, p);
	rq->load += weight_of(p);
	rq->woken = p;
}

static void dequeue(void *arg, mos_proc_t *p)
{
	cfs_t *rq = arg;

	if (rq->woken == p)
		rq->woken = NULL;
	mos__fairq_dequeue(&rq->q, p);
	rq->load -= weight_of(p);
}

static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	cfs_t *rq = arg;
	mos_proc_t *p = mos__fairq_pick(&rq->q);
	mos_time_t slice;

	(void)now;
	rq->woken = NULL; /* the smallest vruntime runs: nothing can beat it */
	if (!p)
		return NULL;
	slice = rq->latency * weight_of(p) / rq->load;
	mos__sched_ent(p)->slice = slice > rq->gran ? slice : rq->gran;
	return p;
}

static void put_prev(void *arg, mos_proc_t *p, mos_put_reason_t why, mos_time_t now)
{
	cfs_t *rq = arg;

	(void)now;
	mos__fairq_put_prev(&rq->q, p, why);
	if (why > MOS_PUT_YIELD)
		rq->load -= weight_of(p);
}

static bool preempts(void *arg, const mos_proc_t *curr, mos_time_t now)
{
	cfs_t *rq = arg;
	const mos_proc_t *w = rq->woken;

	(void)now;
	rq->woken = NULL;
	return w && w != curr && mos__sched_ent_c(w)->queued &&
	       mos__sched_ent_c(w)->vruntime + rq->gran <
		       mos__sched_ent_c(curr)->vruntime;
}

/* ran x 1024 / weight, split so that it cannot overflow. */
static uint64_t scaled(mos_time_t ran, uint64_t weight)
{
	return ran / weight * NICE_0_WEIGHT + ran % weight * NICE_0_WEIGHT / weight;
}

static void charge(void *arg, mos_proc_t *p, mos_time_t ran)
{
	cfs_t *rq = arg;

	mos__sched_ent(p)->vruntime += scaled(ran, weight_of(p));
	mos__fair_spend(p, ran);
	mos__fairq_update_min(&rq->q);
}

const mos_sched_class_t mos__sched_cfs = {
	.name = "cfs",
	.init = init,
	.fini = fini,
	.attach = attach,
	.detach = detach,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.preempts = preempts,
	.slice_left = mos__fair_slice_left,
	.charge = charge,
	.reprio = mos__sched_reprio_none,
	.reweight = reweight,
};
