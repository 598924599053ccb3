/*
 * src/sched/lottery.c - lottery scheduling (Waldspurger and Weihl, 1994).
 *
 * At every dispatch the policy draws a winning ticket among the runnable
 * processes, each holding sched_attr.tickets (100 by default), and the
 * winner runs one quantum (sched.time_slice).  No preemption: a process
 * that becomes runnable waits for the quantum to end.
 *
 * As in OSTEP's lottery.py, the process that just ran stays in the draw
 * while it is runnable: it is counted from the moment it becomes runnable
 * until it sleeps, is suspended or dies, running or not.  A yield therefore
 * only gives the CPU back to the lottery, which may pick the yielder again.
 *
 * The draw: r uniform in [0, total) (rejection sampling, no modulo bias),
 * the winner is the slot whose running prefix sum of tickets first exceeds
 * r.  Slots are assigned at attach (the lowest never-used slot, or the
 * most recently freed one: a LIFO free list) and freed at detach; a
 * 16-ary sum tree over the slots (level 0: each slot's tickets if it is
 * runnable, level k: sums of 16 entries of level k-1) makes enqueue,
 * dequeue and the draw O(log16 n): four levels of at most 16 adjacent
 * counters at 65 536 processes, where a binary tree would chain sixteen
 * dependent loads.  The slot array doubles in attach, the only hook that
 * allocates.
 *
 * Randomness: xoshiro256** seeded through splitmix64 from sched.seed, or
 * the kernel seed when that is 0; the state lives in the run queue, so a
 * given seed and input give the same schedule on every host.
 */
#include <stdlib.h>
#include <string.h>

#include "fair.h"
#include "multios/error.h"

typedef struct lottery {
	uint64_t rng[4];      /* xoshiro256** state */
	uint64_t *sum;        /* the sum tree, level 0 first */
	uint32_t off[9];      /* where each level starts in sum */
	uint32_t size[9];     /* entries in each level */
	uint32_t levels;      /* the last one has a single entry */
	mos_proc_t **proc;    /* slot -> attached process, or NULL */
	uint32_t *free;       /* freed slots, a stack */
	uint32_t cap;         /* slots; a power of two (0 before the first) */
	uint32_t used;        /* slots ever handed out */
	uint32_t nfree;
	uint64_t total;       /* tickets of the runnable processes */
	mos_time_t quantum;
	mos_time_t slice;     /* the running winner's: only one runs at once,
				 and keeping it here spares a miss on the
				 winner's control block per decision */
} lottery_t;

/* ---- xoshiro256** --------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(uint64_t *s)
{
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* Uniform in [0, n), n > 0: reject the 2^64 mod n lowest outputs. */
static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	uint64_t lim = (0 - n) % n, x;

	do
		x = rng_next(s);
	while (x < lim);
	return x % n;
}

/* ---- the sum tree ---------------------------------------------------------- */

#define FAN_BITS 4
#define FAN (1u << FAN_BITS)

/* Add d (mod 2^64, so a "negative" d subtracts) at slot and above it. */
static void tree_add(lottery_t *l, uint32_t slot, uint64_t d)
{
	for (uint32_t k = 0; k < l->levels; k++)
		l->sum[l->off[k] + (slot >> (FAN_BITS * k))] += d;
}

/* The slot where the running prefix sum first exceeds r (r < total). */
static uint32_t tree_find(const lottery_t *l, uint64_t r)
{
	uint32_t idx = 0;

	for (uint32_t k = l->levels - 1; k > 0; k--) {
		const uint64_t *child = &l->sum[l->off[k - 1] + idx * FAN];
		uint32_t n = l->size[k - 1] - idx * FAN, c = 0;

		n = n < FAN ? n : FAN;
		while (c + 1 < n && r >= child[c])
			r -= child[c++];
		idx = idx * FAN + c;
	}
	return idx;
}

static uint64_t tickets_of(const mos_proc_t *p)
{
	return mos__sched_attr(p)->tickets;
}

/* Lay out the levels for cap slots and refill them from the runnable
 * processes: O(cap log cap), after a resize only. */
static void tree_build(lottery_t *l)
{
	uint32_t n = l->cap, total = 0;

	for (l->levels = 0; ; l->levels++) {
		l->off[l->levels] = total;
		l->size[l->levels] = n;
		total += n;
		if (n == 1)
			break;
		n = (n + FAN - 1) / FAN;
	}
	l->levels++;
	memset(l->sum, 0, total * sizeof(*l->sum));
	for (uint32_t i = 0; i < l->cap; i++) {
		mos_proc_t *p = l->proc[i];
		if (p && mos__sched_ent(p)->queued)
			tree_add(l, i, tickets_of(p));
	}
}

/* Entries of all levels for cap slots (at most cap + cap/15 + levels). */
static size_t tree_entries(uint32_t cap)
{
	size_t total = 0;

	for (uint32_t n = cap; ; n = (n + FAN - 1) / FAN) {
		total += n;
		if (n == 1)
			return total;
	}
}

/* Double the slot arrays.  On failure the capacity is unchanged (an array
 * that did grow is only larger than needed). */
static int grow(lottery_t *l)
{
	uint32_t cap = l->cap ? l->cap * 2 : 16;
	uint64_t *sum;
	mos_proc_t **proc;
	uint32_t *fr;

	if (cap < l->cap)
		return MOS_ENOMEM;
	if (!(sum = realloc(l->sum, tree_entries(cap) * sizeof(*sum))))
		return MOS_ENOMEM;
	l->sum = sum;
	if (!(proc = realloc(l->proc, cap * sizeof(*proc))))
		return MOS_ENOMEM;
	l->proc = proc;
	if (!(fr = realloc(l->free, cap * sizeof(*fr))))
		return MOS_ENOMEM;
	l->free = fr;
	memset(l->proc + l->cap, 0, (cap - l->cap) * sizeof(*proc));
	l->cap = cap;
	tree_build(l);
	return 0;
}

/* ---- hooks ------------------------------------------------------------------ */

static int init(const mos_sched_params_t *params, uint64_t seed, void **out)
{
	lottery_t *l = calloc(1, sizeof(*l));
	uint64_t x = params->seed ? params->seed : seed;

	if (!l)
		return MOS_ENOMEM;
	for (int i = 0; i < 4; i++)
		l->rng[i] = splitmix64(&x);
	l->quantum = params->time_slice;
	*out = l;
	return 0;
}

static void fini(void *arg)
{
	lottery_t *l = arg;

	free(l->sum);
	free(l->proc);
	free(l->free);
	free(l);
}

static int attach(void *arg, mos_proc_t *p)
{
	lottery_t *l = arg;
	uint32_t slot;
	int err;

	if (l->nfree == 0 && l->used == l->cap && (err = grow(l)) < 0)
		return err;
	slot = l->nfree ? l->free[--l->nfree] : l->used++;
	l->proc[slot] = p;
	mos__sched_ent(p)->slot = slot;
	mos__sched_ent(p)->queued = false;
	return 0;
}

static void add(lottery_t *l, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->queued = true;
	l->total += tickets_of(p);
	tree_add(l, e->slot, tickets_of(p));
}

static void remove_(lottery_t *l, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);

	e->queued = false;
	l->total -= tickets_of(p);
	tree_add(l, e->slot, 0 - tickets_of(p));
}

static void detach(void *arg, mos_proc_t *p)
{
	lottery_t *l = arg;
	uint32_t slot = mos__sched_ent(p)->slot;

	if (mos__sched_ent(p)->queued)
		remove_(l, p);
	l->proc[slot] = NULL;
	l->free[l->nfree++] = slot;
}

static void enqueue(void *l, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now)
{
	(void)why;
	(void)now;
	add(l, p);
}

static void dequeue(void *l, mos_proc_t *p) { remove_(l, p); }

static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	lottery_t *l = arg;
	mos_proc_t *p;

	(void)now;
	if (l->total == 0)
		return NULL;
	p = l->proc[tree_find(l, rng_below(l->rng, l->total))];
	l->slice = l->quantum;
	return p;
}

static void put_prev(void *l, mos_proc_t *p, mos_put_reason_t why, mos_time_t now)
{
	(void)now;
	((lottery_t *)l)->slice = 0;
	if (why > MOS_PUT_YIELD)
		remove_(l, p);
}

static mos_time_t slice_left(void *l, const mos_proc_t *p)
{
	(void)p;
	return ((const lottery_t *)l)->slice;
}

static void charge(void *arg, mos_proc_t *p, mos_time_t ran)
{
	lottery_t *l = arg;

	(void)p;
	l->slice = l->slice > ran ? l->slice - ran : 0;
}

const mos_sched_class_t mos__sched_lottery = {
	.name = "lottery",
	.init = init,
	.fini = fini,
	.attach = attach,
	.detach = detach,
	.enqueue = enqueue,
	.dequeue = dequeue,
	.pick_next = pick_next,
	.put_prev = put_prev,
	.slice_left = slice_left,
	.charge = charge,
};
