/*
 * src/sched/lottery_ostep.c - lottery's ostep draw: exactly as OSTEP's
 * cpu-sched-lottery/lottery.py draws (sched.lottery_draw =
 * MOS_LOTTERY_OSTEP; mos__sched_for picks this table instead of
 * lottery.c's, so the tree draw's hot path is not touched).
 *
 * The generator is CPython's random module (multios/pyrandom.h) after
 * random.seed(n): n is sched.seed_words (|n|, least significant word
 * first), or sched.seed itself when there are none, so seed 0 is
 * random.seed(0), not the kernel's seed.  sched.draw_skip random() calls
 * are thrown away first: the script's own draws (its random jobs) came
 * before its first pick.
 *
 * At every pick: r = int(random() * 1000001) (truncated), winner =
 * r % total with total the tickets of the runnable processes (the one
 * that just ran counts while runnable), and the runnable processes are
 * walked in attach order, which is pid order, summing tickets: the first
 * whose running sum exceeds the winner runs one quantum (time_slice).
 * Exactly one random() per pick and none made ahead, so a run's draws
 * are the script's draws, one for one.  No preemption.  The modulo of a
 * number below 1000001 is biased for large totals, as the script's is.
 *
 * Picks walk every attached process: O(n), meant for script-sized runs.
 * Tickets are read at attach (a process keeps the count it had then, as
 * under lottery.c).
 */
#include <string.h>

#include "fair.h"
#include "multios/error.h"
#include "multios/pyrandom.h"

typedef struct lottery_ostep {
	const mos_allocator_t *alloc;
	mos_pyrandom_t rng;   /* its own: the kernel's is not advanced */
	mos_proc_t **proc;    /* attached, in attach (pid) order; n used */
	uint64_t *tickets;    /* proc[i]'s tickets */
	uint32_t n, cap;
	uint64_t total;       /* tickets of the runnable processes */
	mos_time_t quantum;   /* the winner's slice: mos_sched_ent_t.slice,
				 spent through fair.h's helpers */
} lottery_ostep_t;

static void fini(void *arg, const mos_allocator_t *alloc)
{
	lottery_ostep_t *l = arg;

	mos__free(alloc, l->proc);
	mos__free(alloc, l->tickets);
	mos__free(alloc, l);
}

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **out)
{
	lottery_ostep_t *l = mos__calloc(alloc, 1, sizeof(*l));
	uint32_t words[2] = {(uint32_t)params->seed,
			     (uint32_t)(params->seed >> 32)};

	(void)seed; /* seed 0 is random.seed(0): the script's default */
	if (!l)
		return MOS_ENOMEM;
	l->alloc = alloc;
	if (params->nseed_words)
		mos_pyrandom_seed_words(&l->rng, params->seed_words,
					params->nseed_words);
	else
		mos_pyrandom_seed_words(&l->rng, words, 2);
	for (uint64_t i = 0; i < params->draw_skip; i++)
		(void)mos_pyrandom_random(&l->rng);
	l->quantum = params->time_slice;
	*out = l;
	return 0;
}

/* Grow both arrays together; on failure only spare capacity is left. */
static int attach(void *arg, mos_proc_t *p)
{
	lottery_ostep_t *l = arg;

	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 16;
		mos_proc_t **v;
		uint64_t *t;

		if (cap < l->cap)
			return MOS_ENOMEM;
		if (!(v = mos__realloc_array(l->alloc, l->proc, cap, sizeof(*v))))
			return MOS_ENOMEM;
		l->proc = v;
		if (!(t = mos__realloc_array(l->alloc, l->tickets, cap,
					     sizeof(*t))))
			return MOS_ENOMEM;
		l->tickets = t;
		l->cap = cap;
	}
	mos__sched_ent(p)->slot = l->n;
	mos__sched_ent(p)->queued = false;
	l->tickets[l->n] = mos__sched_attr(p)->tickets;
	l->proc[l->n++] = p;
	return 0;
}

static void add(lottery_ostep_t *l, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->queued = true;
	l->total += l->tickets[e->slot];
}

static void remove_(lottery_ostep_t *l, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->queued = false;
	l->total -= l->tickets[e->slot];
}

/* Later processes move down one place: attach order is kept. */
static void detach(void *arg, mos_proc_t *p)
{
	lottery_ostep_t *l = arg;
	uint32_t i = mos__sched_ent(p)->slot;

	if (mos__sched_ent(p)->queued)
		remove_(l, p);
	for (l->n--; i < l->n; i++) {
		l->proc[i] = l->proc[i + 1];
		l->tickets[i] = l->tickets[i + 1];
		mos__sched_ent(l->proc[i])->slot = i;
	}
}

static void enqueue(void *l, mos_proc_t *p, mos_enq_reason_t why,
		    mos_time_t now)
{
	(void)why;
	(void)now;
	add(l, p);
}

static void dequeue(void *l, mos_proc_t *p) { remove_(l, p); }

static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	lottery_ostep_t *l = arg;
	uint64_t r, winner, sum = 0;

	(void)now;
	if (l->total == 0)
		return NULL;
	/* int(random.random() * 1000001): a double product, truncated */
	r = (uint64_t)(mos_pyrandom_random(&l->rng) * 1000001.0);
	winner = r % l->total;
	for (uint32_t i = 0; i < l->n; i++) {
		if (!mos__sched_ent(l->proc[i])->queued)
			continue;
		sum += l->tickets[i];
		if (sum > winner) {
			mos__sched_ent(l->proc[i])->slice = l->quantum;
			return l->proc[i];
		}
	}
	return NULL; /* not reached: winner < total */
}

static void put_prev(void *l, mos_proc_t *p, mos_put_reason_t why,
		     mos_time_t now)
{
	(void)now;
	mos__sched_ent(p)->slice = 0;
	if (why > MOS_PUT_YIELD)
		remove_(l, p);
}

static void charge(void *l, mos_proc_t *p, mos_time_t ran)
{
	(void)l;
	mos__fair_spend(p, ran);
}

const mos_sched_class_t mos__sched_lottery_ostep = {
	.name = "lottery",
	.init = init,
	.fini = fini,
	.attach = attach,
	.detach = detach,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.slice_left = mos__fair_slice_left,
	.charge = charge,
	.reprio = mos__sched_reprio_none,
};
