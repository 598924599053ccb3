/*
 * src/sched/mlfq.c - multi-level feedback queue, tick-exact with OSTEP's
 * homework simulator mlfq.py (cpu-sched-mlfq, the current version, and
 * with legacy_boost the 2020 one), quirks included.
 * docs/SCHEDULERS.md (mlfq) has the rules with the simulator's names.
 *
 * `queues` FIFO levels, level 0 the top (mos_sched_params_t's order; OSTEP
 * numbers the same queue queues-1).  Each level has a quantum (quanta[], or
 * time_slice for all) and an allotment counted in quanta (allotments[], or
 * 1 for all).  Every process keeps, in its mos_sched_ent_t:
 *   level   its queue;
 *   slice   ticksLeft, in ns: CPU left in the current quantum;
 *   allot   allotLeft: quanta left before it drops a level.
 *
 * Like Linux's RT class, the running process stays at the head of its
 * queue: pick_next only peeks at the head of the highest non-empty queue,
 * and the process leaves its queue when it sleeps or exits.  So a process
 * that arrives at a higher level, or wakes to the front of the running
 * process's own level (io_bump), preempts it (preempts() is "the head of the
 * highest queue is not curr"), and the preempted process keeps its place
 * and its slice: put_prev(PREEMPT) does nothing.
 *
 * Quantum expiry (put_prev(SLICE), or a sleep while slice is 0): allot
 * drops by one; at 0 the process moves one level down (it stays at the
 * bottom) with that level's full allotment; either way it gets the full
 * quantum of its new level and, unless it is sleeping, goes to the tail.
 * A sleep with `stay` first resets slice and allot to the level's full
 * values, and then still counts an expiry that happened in the same tick.
 * A wake-up goes to the tail of its level, or to the front with `io_bump`;
 * admissions and resumptions always go to the tail.  A yield goes to the
 * tail of its level keeping slice and allot (a yield is not a way to game
 * the allotment).
 *
 * Boost, every `boost` ns (0: never), at instants k x boost > 0: the jobs
 * of every lower queue, the lowest queue first, each in queue order, go to
 * the tail of the top queue; then every attached process (queued, running,
 * blocked or not admitted yet) gets level 0, slice = quanta[0] and
 * allot = allotments[0], as mlfq.py does since ee2e067 (2023).  With
 * legacy_boost it gets slice = allotments[0] x tick and keeps its allot,
 * the 2020 mlfq.py's bug, kept so that old answers can be checked.  The
 * kernel calls event() for a boost before the admissions and wake-ups of
 * that instant, even when the CPU idles, as long as any process is
 * attached.
 *
 * Everything is O(1) (a bitmap of non-empty levels) except the boost,
 * which walks the attach list: O(live processes), once per period.
 */
#include <stdlib.h>

#include "sched.h"

typedef struct rq {
	mos_fifo_t q[MOS_MLFQ_MAX_QUEUES]; /* [0] is the top */
	uint32_t nonempty;                 /* bit L set: q[L] not empty */
	uint32_t nq;
	mos_time_t quantum[MOS_MLFQ_MAX_QUEUES];
	uint32_t allotment[MOS_MLFQ_MAX_QUEUES];
	mos_time_t boost;      /* period; 0 = never */
	mos_time_t boost_slice; /* quantum[0]; legacy: allotment[0] x tick */
	mos_time_t next_boost; /* first boost instant not handled yet */
	bool legacy_boost;     /* mlfq.py before ee2e067: allot kept */
	bool io_bump, stay;
	mos_list_t all;        /* attached processes, in attach (pid) order */
} rq_t;

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **out)
{
	rq_t *rq = mos__calloc(alloc, 1, sizeof(*rq));

	(void)seed;
	if (!rq)
		return MOS_ENOMEM;
	rq->nq = params->queues;
	for (uint32_t i = 0; i < rq->nq; i++) {
		mos__fifo_init(&rq->q[i]);
		rq->quantum[i] = params->nquanta ? params->quanta[i]
						 : params->time_slice;
		rq->allotment[i] = params->nallotments ? params->allotments[i]
						       : 1;
	}
	rq->boost = params->boost;
	rq->legacy_boost = params->legacy_boost;
	rq->boost_slice = rq->legacy_boost ? rq->allotment[0] * params->tick
					   : rq->quantum[0];
	rq->next_boost = params->boost;
	rq->io_bump = params->io_bump;
	rq->stay = params->stay;
	mos_list_init(&rq->all);
	*out = rq;
	return 0;
}

static void fini(void *rq, const mos_allocator_t *alloc)
{
	mos__free(alloc, rq);
}

static int attach(void *arg, mos_proc_t *p)
{
	rq_t *rq = arg;
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->level = 0;
	e->slice = rq->quantum[0];
	e->allot = rq->allotment[0];
	mos_list_push_back(&rq->all, &e->all);
	return 0;
}

static void detach(void *rq, mos_proc_t *p)
{
	(void)rq;
	mos_list_remove(&mos__sched_ent(p)->all);
}

static void push(rq_t *rq, mos_proc_t *p, bool front)
{
	uint32_t lvl = mos__sched_ent(p)->level;

	if (front)
		mos__fifo_push_front(&rq->q[lvl], p);
	else
		mos__fifo_push(&rq->q[lvl], p);
	rq->nonempty |= 1u << lvl;
}

/* Take p out of its queue (queued, or running at its head). */
static void unqueue(rq_t *rq, mos_proc_t *p)
{
	uint32_t lvl = mos__sched_ent(p)->level;

	mos__fifo_remove(&rq->q[lvl], p);
	if (rq->q[lvl].n == 0)
		rq->nonempty &= ~(1u << lvl);
}

static void enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now)
{
	(void)now;
	push(rq, p, why == MOS_ENQ_WAKE && ((rq_t *)rq)->io_bump);
}

static void dequeue(void *rq, mos_proc_t *p) { unqueue(rq, p); }

static int top_level(const rq_t *rq)
{
	return rq->nonempty ? __builtin_ctz(rq->nonempty) : -1;
}

/* The head of the highest non-empty queue, left in place. */
static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	rq_t *rq = arg;
	int lvl = top_level(rq);

	(void)now;
	return lvl < 0 ? NULL : mos__fifo_peek(&rq->q[lvl]);
}

/* The running process stays at the head: the one after it. */
static mos_proc_t *likely_next(void *arg)
{
	rq_t *rq = arg;
	int lvl = top_level(rq);

	return lvl < 0 ? NULL
		       : mos__fifo_likely(&rq->q[lvl], mos__fifo_peek(&rq->q[lvl]));
}

/* p used up a quantum (it is out of its queue): count it against the
 * allotment, drop a level when that is spent, start a fresh quantum. */
static void expire(rq_t *rq, mos_sched_ent_t *e)
{
	if (--e->allot == 0) {
		if (e->level + 1 < rq->nq)
			e->level++;
		e->allot = rq->allotment[e->level];
	}
	e->slice = rq->quantum[e->level];
}

/* p blocked (I/O in mlfq.py's terms) or was suspended while running. */
static void sleep_out(rq_t *rq, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);
	bool expired = e->slice == 0;

	unqueue(rq, p);
	if (rq->stay) {
		e->slice = rq->quantum[e->level];
		e->allot = rq->allotment[e->level];
	}
	if (expired)
		expire(rq, e);
}

static void put_prev(void *arg, mos_proc_t *p, mos_put_reason_t why,
		     mos_time_t now)
{
	rq_t *rq = arg;
	mos_sched_ent_t *e = mos__sched_ent(p);

	(void)now;
	switch (why) {
	case MOS_PUT_PREEMPT:
	case MOS_PUT_YIELD:
		/* A slice at 0 here ended in the same instant as a burst;
		 * it counts as the expiry it is. */
		if (e->slice == 0) {
			unqueue(rq, p);
			expire(rq, e);
			push(rq, p, false);
		} else if (why == MOS_PUT_YIELD) {
			unqueue(rq, p);
			push(rq, p, false);
		}
		return; /* preempted: keeps its place and slice */
	case MOS_PUT_SLICE:
		unqueue(rq, p);
		expire(rq, e);
		push(rq, p, false);
		return;
	case MOS_PUT_SLEEP:
		sleep_out(rq, p);
		return;
	case MOS_PUT_EXIT:
		unqueue(rq, p);
		return;
	}
}

static bool preempts(void *arg, const mos_proc_t *curr, mos_time_t now)
{
	rq_t *rq = arg;
	int lvl = top_level(rq);

	(void)now;
	return lvl >= 0 && mos__fifo_peek(&rq->q[lvl]) != curr;
}

static mos_time_t slice_left(void *rq, const mos_proc_t *p)
{
	(void)rq;
	return mos__sched_ent_c(p)->slice;
}

static void charge(void *rq, mos_proc_t *p, mos_time_t ran)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	(void)rq;
	e->slice = e->slice > ran ? e->slice - ran : 0;
}

/* The boost instant to come while anyone is attached: blocked and not yet
 * admitted processes are boosted too, so an idle CPU still wakes for it. */
static mos_time_t next_event(void *arg, const mos_proc_t *curr)
{
	const rq_t *rq = arg;

	(void)curr;
	if (!rq->boost || mos_list_empty(&rq->all))
		return MOS_TIME_NEVER;
	return rq->next_boost;
}

static void boost(rq_t *rq)
{
	mos_list_t *pos;
	mos_proc_t *p;

	for (uint32_t lvl = rq->nq - 1; lvl > 0; lvl--) {
		while ((p = mos__fifo_pop(&rq->q[lvl]))) {
			mos__sched_ent(p)->level = 0;
			push(rq, p, false);
		}
	}
	rq->nonempty &= 1u;
	mos_list_for_each(pos, &rq->all) {
		mos_sched_ent_t *e = mos_container_of(pos, mos_sched_ent_t, all);
		e->level = 0;
		e->slice = rq->boost_slice;
		if (!rq->legacy_boost)
			e->allot = rq->allotment[0];
	}
}

/* Called at next_boost, or later if nobody was attached then: boosts
 * happen only at multiples of the period, as in mlfq.py. */
static void event(void *arg, mos_time_t now)
{
	rq_t *rq = arg;

	if (!rq->boost)
		return;
	if (now % rq->boost == 0 && now != 0)
		boost(rq);
	rq->next_boost = (now / rq->boost + 1) * rq->boost;
}

const mos_sched_class_t mos__sched_mlfq = {
	.name = "mlfq",
	.init = init,
	.fini = fini,
	.attach = attach,
	.detach = detach,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.preempts = preempts,
	.slice_left = slice_left,
	.charge = charge,
	.next_event = next_event,
	.event = event,
	.likely_next = likely_next,
	.reprio = mos__sched_reprio_none,
};
