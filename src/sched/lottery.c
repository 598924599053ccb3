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
 * The draw: r uniform in [0, total) (rejection sampling, no modulo bias)
 * picks a ticket; tickets are laid out class by class, a class being the
 * runnable processes holding the same number of tickets t, each class an
 * array of its members.  A 16-ary sum tree over the classes (level 0: each
 * class's t x members, level k: sums of 16 entries of level k-1) finds the
 * class whose running prefix sum first exceeds r, and the rest of r divided
 * by t is the member.  So a draw costs O(log16 c) for c distinct ticket
 * counts, whatever the number of processes: one level for up to 16 counts,
 * two for up to 256.  A member leaves its array by swapping the last one
 * into its place; that, and the draw, depend only on the order of events,
 * so the schedule is a function of the seed and the input.
 *
 * Classes are found through a mos_idmap_t and numbered in order of first
 * use; a class whose last attached process detaches is freed (LIFO) for
 * the next new count.  init makes the class table for 16 counts; after
 * that attach is the only hook that allocates: it grows the class table
 * (doubling) and the class's member array so that enqueue never has to.
 *
 * Randomness: xoshiro256** seeded through splitmix64 from sched.seed, or
 * the kernel seed when that is 0; the state lives in the run queue, so a
 * given seed and input give the same schedule on every host.
 */
#include <stdlib.h>
#include <string.h>

#include "fair.h"
#include "multios/error.h"
#include "util/rng.h"

#define AHEAD 8 /* draws made early: a power of two */

typedef struct lottery_class {
	uint64_t tickets;
	mos_proc_t **member;  /* the runnable members, n used */
	uint32_t n, cap;
	uint32_t attached;    /* attached members, runnable or not (<= cap) */
} lottery_class_t;

typedef struct lottery {
	const mos_allocator_t *alloc;
	mos_rng_t rng;        /* its own: the kernel's is not advanced */
	uint64_t *sum;        /* the sum tree over classes, level 0 first */
	uint32_t off[9];      /* where each level starts in sum */
	uint32_t size[9];     /* entries in each level */
	uint32_t levels;      /* the last one has a single entry */
	lottery_class_t *cls; /* cap of them, used ever handed out */
	uint32_t *free;       /* freed classes, a stack */
	uint32_t cap;         /* classes; a power of two (16 from init) */
	uint32_t used;
	uint32_t nfree;
	mos_idmap_t map;      /* tickets -> class; 2 x cap entries */
	uint64_t total;       /* tickets of the runnable processes */
	mos_time_t quantum;
	mos_time_t slice;     /* the running winner's: only one runs at once,
				 and keeping it here spares a miss on the
				 winner's control block per decision */
	uint64_t version;     /* counts changes to the runnable set */
	uint32_t next;        /* the oldest of the draws made ahead */
	struct lottery_ahead {
		uint64_t x;        /* the draw's random number */
		uint64_t version;  /* the version the guess was made at */
		uint32_t cls, idx; /* the guess: member idx of class cls */
		mos_proc_t *p;     /* that member, once looked up, or NULL */
	} ahead[AHEAD];
} lottery_t;

/* ---- the sum tree ---------------------------------------------------------- */

#define FAN_BITS 4
#define FAN (1u << FAN_BITS)

/* Add d (mod 2^64, so a "negative" d subtracts) at class c and above. */
static void tree_add(lottery_t *l, uint32_t c, uint64_t d)
{
	for (uint32_t k = 0; k < l->levels; k++)
		l->sum[l->off[k] + (c >> (FAN_BITS * k))] += d;
}

/* The class where the running prefix sum first exceeds *r (< total);
 * *r becomes the rest, below that class's sum. */
static uint32_t tree_find(const lottery_t *l, uint64_t *r)
{
	uint32_t idx = 0;

	for (uint32_t k = l->levels - 1; k > 0; k--) {
		const uint64_t *child = &l->sum[l->off[k - 1] + idx * FAN];
		uint32_t n = l->size[k - 1] - idx * FAN, c = 0;

		n = n < FAN ? n : FAN;
		while (c + 1 < n && *r >= child[c])
			*r -= child[c++];
		idx = idx * FAN + c;
	}
	return idx;
}

/* Lay out the levels for cap classes and refill them: after a resize. */
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
	for (uint32_t c = 0; c < l->used; c++)
		tree_add(l, c, l->cls[c].tickets * l->cls[c].n);
}

/* Entries of all levels for cap classes (at most cap + cap/15 + levels). */
static size_t tree_entries(uint32_t cap)
{
	size_t total = 0;

	for (uint32_t n = cap; ; n = (n + FAN - 1) / FAN) {
		total += n;
		if (n == 1)
			return total;
	}
}

/* Double the class table (make it, at init).  On failure the capacity is
 * unchanged (an array that did grow is only larger than needed) and, as
 * the table exists from init, no new block is left behind. */
static int grow(lottery_t *l)
{
	uint32_t cap = l->cap ? l->cap * 2 : 16;
	uint64_t *sum, *key;
	uint32_t *val, *fr;
	lottery_class_t *cls;

	if (cap < l->cap || cap > (UINT32_MAX >> 2))
		return MOS_ENOMEM;
	if (!(sum = mos__realloc_array(l->alloc, l->sum, tree_entries(cap),
				       sizeof(*sum))))
		return MOS_ENOMEM;
	l->sum = sum;
	if (!(cls = mos__realloc_array(l->alloc, l->cls, cap, sizeof(*cls))))
		return MOS_ENOMEM;
	l->cls = cls;
	if (!(fr = mos__realloc_array(l->alloc, l->free, cap, sizeof(*fr))))
		return MOS_ENOMEM;
	l->free = fr;
	key = mos__malloc_array(l->alloc, 2 * cap, sizeof(*key));
	val = mos__malloc_array(l->alloc, 2 * cap, sizeof(*val));
	if (!key || !val) {
		mos__free(l->alloc, key);
		mos__free(l->alloc, val);
		return MOS_ENOMEM;
	}
	/* Rehash the classes in use (free ones have no entry). */
	mos__free(l->alloc, l->map.key);
	mos__free(l->alloc, l->map.val);
	mos__idmap_init(&l->map, key, val, 2 * cap);
	for (uint32_t c = 0; c < l->used; c++)
		if (l->cls[c].attached)
			mos__idmap_insert(&l->map, l->cls[c].tickets, c);
	memset(l->cls + l->cap, 0, (cap - l->cap) * sizeof(*cls));
	l->cap = cap;
	tree_build(l);
	return 0;
}

static uint64_t tickets_of(const mos_proc_t *p)
{
	return mos__sched_attr(p)->tickets;
}

/* The class of p's ticket count, made and sized for one more attached
 * member if need be: MOS_ENOMEM. */
static int class_for(lottery_t *l, uint64_t tickets, uint32_t *out)
{
	lottery_class_t *k;
	uint32_t c;
	int err;

	c = mos__idmap_find(&l->map, tickets);
	if (c == MOS_IDMAP_NONE) {
		if (l->nfree == 0 && l->used == l->cap && (err = grow(l)) < 0)
			return err;
		c = l->nfree ? l->free[l->nfree - 1] : l->used;
	}
	k = &l->cls[c];
	if (k->attached == k->cap) {
		uint32_t cap = k->cap ? k->cap * 2 : 4;
		mos_proc_t **m = cap > k->cap ? mos__realloc_array(l->alloc, k->member,
								   cap, sizeof(*m))
					       : NULL;

		if (!m)
			return MOS_ENOMEM;
		k->member = m;
		k->cap = cap;
	}
	if (k->attached == 0) { /* new: commit the class now nothing can fail */
		if (l->nfree && l->free[l->nfree - 1] == c)
			l->nfree--;
		else
			l->used++;
		k->tickets = tickets;
		mos__idmap_insert(&l->map, tickets, c);
	}
	*out = c;
	return 0;
}

/* ---- hooks ------------------------------------------------------------------ */

static void fini(void *arg, const mos_allocator_t *alloc);

static int init(const mos_sched_params_t *params, uint64_t seed,
		const mos_allocator_t *alloc, void **out)
{
	lottery_t *l = mos__calloc(alloc, 1, sizeof(*l));

	if (!l)
		return MOS_ENOMEM;
	l->alloc = alloc;
	if (grow(l) < 0) {
		fini(l, alloc);
		return MOS_ENOMEM;
	}
	mos__rng_seed(&l->rng, params->seed ? params->seed : seed);
	l->quantum = params->time_slice;
	for (int i = 0; i < AHEAD; i++)
		l->ahead[i] = (struct lottery_ahead){mos__rng_next(&l->rng), UINT64_MAX,
						     0, 0, NULL}; /* no guess */
	*out = l;
	return 0;
}

static void fini(void *arg, const mos_allocator_t *alloc)
{
	lottery_t *l = arg;

	for (uint32_t c = 0; c < l->used; c++)
		mos__free(alloc, l->cls[c].member);
	mos__free(alloc, l->sum);
	mos__free(alloc, l->cls);
	mos__free(alloc, l->free);
	mos__free(alloc, l->map.key);
	mos__free(alloc, l->map.val);
	mos__free(alloc, l);
}

static int attach(void *arg, mos_proc_t *p)
{
	lottery_t *l = arg;
	uint32_t c;
	int err = class_for(l, tickets_of(p), &c);

	if (err < 0)
		return err;
	l->cls[c].attached++;
	mos__sched_ent(p)->level = c;
	mos__sched_ent(p)->queued = false;
	return 0;
}

static void add(lottery_t *l, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);
	lottery_class_t *k = &l->cls[e->level];

	e->queued = true;
	l->version++;
	e->slot = k->n;
	k->member[k->n++] = p;
	l->total += k->tickets;
	tree_add(l, e->level, k->tickets);
}

static void remove_(lottery_t *l, mos_proc_t *p)
{
	mos_sched_ent_t *e = mos__sched_ent(p);
	lottery_class_t *k = &l->cls[e->level];
	mos_proc_t *last = k->member[--k->n];

	e->queued = false;
	l->version++;
	k->member[e->slot] = last;
	mos__sched_ent(last)->slot = e->slot;
	l->total -= k->tickets;
	tree_add(l, e->level, 0 - k->tickets);
}

static void detach(void *arg, mos_proc_t *p)
{
	lottery_t *l = arg;
	uint32_t c = mos__sched_ent(p)->level;
	lottery_class_t *k = &l->cls[c];

	if (mos__sched_ent(p)->queued)
		remove_(l, p);
	if (--k->attached == 0) {
		mos__idmap_delete(&l->map, k->tickets);
		l->free[l->nfree++] = c;
	}
}

static void enqueue(void *l, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now)
{
	(void)why;
	(void)now;
	add(l, p);
}

static void dequeue(void *l, mos_proc_t *p) { remove_(l, p); }

/* Where the winner of random number x is: false when x must be drawn
 * again (x is uniform on 64 bits, and rejecting its 2^64 mod total lowest
 * values leaves x mod total uniform: no modulo bias). */
static bool locate(const lottery_t *l, uint64_t x, uint32_t *cls, uint32_t *idx)
{
	uint64_t n = l->total, r;

	if (x < (0 - n) % n)
		return false;
	r = x % n;
	*cls = tree_find(l, &r);
	*idx = (uint32_t)(r / l->cls[*cls].tickets);
	return true;
}

/*
 * Each draw's random number is drawn AHEAD dispatches early, and where its
 * winner would be if the runnable set stays as it is is worked out then,
 * in two steps: the entry of the class's member array is prefetched at
 * once and read AHEAD / 2 dispatches later, when likely_next offers the
 * winner to the kernel, which warms its control block.  Among many processes the winner is a random one whose entry and
 * block are cache misses; this hides them behind the dispatches in
 * between.  A draw whose guess is stale (the set changed) is worked out
 * again at pick time from its number.  The numbers are used in the order
 * they are drawn (a rejected one, odds below n / 2^64, is replaced by a
 * fresh one), so the schedule stays a function of the seed and the input.
 */
static mos_proc_t *pick_next(void *arg, mos_time_t now)
{
	lottery_t *l = arg;
	struct lottery_ahead *a = &l->ahead[l->next];
	struct lottery_ahead *b = &l->ahead[(l->next + AHEAD / 2) % AHEAD];
	uint32_t c, i;
	mos_proc_t *p;

	(void)now;
	if (l->total == 0)
		return NULL;
	if (a->version == l->version && a->p)
		p = a->p;
	else if (a->version == l->version)
		p = l->cls[a->cls].member[a->idx];
	else {
		for (uint64_t x = a->x; !locate(l, x, &c, &i); x = mos__rng_next(&l->rng))
			;
		p = l->cls[c].member[i];
	}
	/* Step two for the draw halfway along (likely_next hands it to the
	 * kernel, which warms its control block), step one for a fresh one. */
	if (b->version == l->version && !b->p)
		b->p = l->cls[b->cls].member[b->idx];
	a->x = mos__rng_next(&l->rng);
	a->p = NULL;
	a->version = UINT64_MAX;
	if (locate(l, a->x, &a->cls, &a->idx)) {
		a->version = l->version;
		__builtin_prefetch(&l->cls[a->cls].member[a->idx]);
	}
	l->next = (l->next + 1) % AHEAD;
	l->slice = l->quantum;
	return p;
}

/* The winner of the draw halfway along the ones made early, if still
 * valid: AHEAD / 2 dispatches away. */
static mos_proc_t *likely_next(void *arg)
{
	const lottery_t *l = arg;
	const struct lottery_ahead *b = &l->ahead[(l->next + AHEAD / 2 - 1) % AHEAD];

	return b->version == l->version ? b->p : NULL;
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
	.likely_next = likely_next,
	.reprio = mos__sched_reprio_none,
};
