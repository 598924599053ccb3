/*
 * src/sched/priority.c - priority scheduling, preemptive or not, with
 * optional aging.
 *
 * The priority is sched_attr.rank, a number where smaller is more urgent
 * (as in the textbooks).  Among equal numbers, the process Ready longest
 * runs first (FCFS), then the lower pid.  With `preemptive` (the default), a
 * process that becomes Ready with a strictly smaller number preempts the
 * running one, which goes back ahead of the others with its number: POSIX
 * SCHED_FIFO's "when a running thread is preempted, it shall become the
 * head of the thread list for its priority" (see sched.h).
 *
 * Aging (`aging` > 0): a waiting process's number drops by one for every
 * `aging` of time it waits, continuously: its key is
 * (rank + 2^20) x aging + (time it became Ready), aging counted at most
 * 2^42 ns (73 minutes) and the sum saturated at MOS_TIME_NEVER.  Every
 * waiting process ages at the same rate, so the order of the waiting set
 * never changes and the heap stays valid.  The running process keeps the
 * credit it was picked with but earns no more; a preempted process keeps
 * that credit too (its number is the one it ran with), one that yields or
 * blocks starts waiting afresh.  With preemption, aging is looked at on
 * every tick (sched.tick), as a kernel does in its timer interrupt: at the
 * first tick where the best waiting process's number is strictly below
 * the running one's, it preempts.
 */
#include "sched.h"

/* Ranks are clamped to +-RANK_LIMIT and offset to be unsigned, and aging
 * to AGING_MAX, so that (rank + RANK_LIMIT) x aging is at most 2^63: an
 * aged key keeps every rank apart (a product that saturated would not),
 * and only the time added to it can saturate, past 2^63 ns (292 years). */
#define RANK_LIMIT (1 << 20)
#define AGING_MAX ((mos_time_t)1 << 42)

static uint64_t rank_of(const mos_proc_t *p)
{
	int32_t r = mos__sched_attr(p)->rank;

	r = r < -RANK_LIMIT ? -RANK_LIMIT : r > RANK_LIMIT ? RANK_LIMIT : r;
	return (uint64_t)((int64_t)r + RANK_LIMIT);
}

static uint64_t key(const mos_heapq_t *q, const mos_proc_t *p, mos_time_t since)
{
	mos_time_t aging = q->params.aging;

	if (aging == 0)
		return rank_of(p);
	aging = aging < AGING_MAX ? aging : AGING_MAX;
	return mos__sat_add(rank_of(p) * aging, since);
}

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **rq)
{
	int err = mos__heapq_init_posix(params, key, params->preemptive, alloc, rq);

	(void)seed;
	if (!err)
		((mos_heapq_t *)*rq)->key_ages = params->aging != 0;
	return err;
}

/* With aging, the first tick at which the best waiting process overtakes
 * the running one: top.key < key(curr) + (t - picked), where key(curr) is
 * its key when picked.  A saturated key cannot be overtaken. */
static mos_time_t next_event(void *rq, const mos_proc_t *curr)
{
	mos_heapq_t *q = rq;
	const mos_sched_ent_t *e;
	mos_time_t t, picked, tick = q->params.tick;
	uint64_t base, k;

	if (!q->preemptive || !q->params.aging || !curr ||
	    !mos__pheap_min_key(&q->heap, &k))
		return MOS_TIME_NEVER;
	e = mos__sched_ent_c(curr);
	base = key(q, curr, e->ready_since);
	picked = e->ready_since + e->waited;
	/* k < base: it already preempts, and the kernel knows. */
	if (k < base || k == MOS_TIME_NEVER)
		return MOS_TIME_NEVER;
	t = mos__sat_add(mos__sat_add(k - base, picked), 1);
	return t % tick ? mos__sat_add(t, tick - t % tick) : t;
}

static void event(void *rq, mos_time_t now)
{
	/* Nothing to change: the kernel's preemption check does the work. */
	(void)rq;
	(void)now;
}

const mos_sched_class_t mos__sched_priority = {
	.name = "priority",
	.init = init,
	MOS_HEAPQ_HOOKS,
	.next_event = next_event,
	.event = event,
};
