/*
 * tests/test_sched_heap.c - the policies' shared structures, white box:
 * the process heap with its class runs against a brute-force reference,
 * the class map, and lottery's ticket classes.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "timeout.h"

TestSuite(sched_heap, .timeout = T_TIMEOUT);
TestSuite(sched_likely_next, .timeout = T_TIMEOUT);

/* A deterministic generator for the random operations (not the library's). */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

static mos_proc_t *procs_new(uint32_t n)
{
	mos_proc_t *p = calloc(n, sizeof(*p));

	cr_assert_not_null(p);
	for (uint32_t i = 0; i < n; i++) {
		p[i].pid = (mos_pid_t)(n - i) * 3; /* pid order is not member order */
		p[i].attr.tickets = 100;
		mos_list_init(&p[i].se.node);
		mos_list_init(&p[i].se.all);
	}
	return p;
}

/* ---- the process heap ------------------------------------------------------ */

typedef struct ref {
	uint64_t key, key2;
	bool queued;
} ref_t;

static bool ref_less(const ref_t *r, const mos_proc_t *p, uint32_t a, uint32_t b)
{
	if (r[a].key != r[b].key)
		return r[a].key < r[b].key;
	if (r[a].key2 != r[b].key2)
		return r[a].key2 < r[b].key2;
	return p[a].pid < p[b].pid;
}

/* The smallest queued member by brute force, or -1. */
static int ref_min(const ref_t *r, const mos_proc_t *p, uint32_t n)
{
	int best = -1;

	for (uint32_t i = 0; i < n; i++)
		if (r[i].queued && (best < 0 || ref_less(r, p, i, (uint32_t)best)))
			best = (int)i;
	return best;
}

/*
 * Random pushes, pops, removals and updates; after each, the heap's
 * minimum must be the reference's.  Keys come from small ranges so that
 * ties on key and key2 are common, and pushes are mostly "later in their
 * class" (the runs' fast path) with some out of order (front of a run,
 * middle of a run, key2 0 as a preempted process's); `classes` beyond
 * MOS_PHEAP_RUNS force loners and the reclaiming of idle runs.
 */
static void heap_differential(uint32_t n, uint32_t classes, uint64_t seed)
{
	mos_proc_t *p = procs_new(n);
	ref_t *r = calloc(n, sizeof(*r));
	mos_pheap_t *h = malloc(sizeof(*h));
	uint64_t s = seed, now = 0;

	cr_assert(r && h);
	mos__pheap_init(h, mos__alloc_libc());
	for (uint32_t i = 0; i < n; i++)
		cr_assert_eq(mos__pheap_attach(h, &p[i]), 0);
	for (int step = 0; step < 200000; step++) {
		uint32_t i = (uint32_t)(lcg(&s) % n), op = (uint32_t)(lcg(&s) % 10);
		int want;

		if (!r[i].queued && op < 6) {
			uint64_t cls = lcg(&s) % classes;

			now += lcg(&s) % 3;
			r[i].key = cls * 10 + (lcg(&s) % 8 == 0 ? lcg(&s) % 3 : 0);
			r[i].key2 = lcg(&s) % 5 == 0 ? now - lcg(&s) % 4 : now;
			/* A preempted process of a POSIX policy heads its
			 * key with key2 0 (sched_common.c). */
			if (lcg(&s) % 16 == 0)
				r[i].key2 = 0;
			r[i].queued = true;
			mos__pheap_push(h, &p[i], r[i].key, r[i].key2, cls);
		} else if (r[i].queued && op < 3) {
			r[i].queued = false;
			mos__pheap_remove(h, &p[i]);
		} else if (r[i].queued && op < 5) {
			/* A key change while queued: out and back in. */
			r[i].key2 += lcg(&s) % 3;
			mos__pheap_remove(h, &p[i]);
			mos__pheap_push(h, &p[i], r[i].key, r[i].key2, r[i].key / 10);
		} else if (op >= 6) {
			mos_proc_t *top = mos__pheap_pop(h);

			want = ref_min(r, p, n);
			if (want < 0) {
				cr_assert_null(top);
				continue;
			}
			cr_assert_eq(top, &p[want], "step %d: popped pid %d, want %d",
				     step, top ? top->pid : 0, p[want].pid);
			cr_assert(!top->se.queued);
			r[want].queued = false;
		}
		want = ref_min(r, p, n);
		if (want >= 0) {
			uint64_t k;

			cr_assert(mos__pheap_min_key(h, &k));
			cr_assert_eq(k, r[want].key);
			cr_assert_eq(mos__pheap_peek(h), &p[want]);
		} else {
			cr_assert_null(mos__pheap_peek(h));
		}
	}
	/* Drain: everything left comes out in order. */
	for (int want; (want = ref_min(r, p, n)) >= 0; r[want].queued = false)
		cr_assert_eq(mos__pheap_pop(h), &p[want]);
	cr_assert_null(mos__pheap_pop(h));
	for (uint32_t i = 0; i < n; i++)
		mos__pheap_detach(h, &p[i]);
	mos__pheap_fini(h);
	free(h);
	free(r);
	free(p);
}

Test(sched_heap, matches_reference_few_classes) { heap_differential(64, 3, 1); }
Test(sched_heap, matches_reference_many_members) { heap_differential(700, 40, 2); }
Test(sched_heap, matches_reference_beyond_run_pool)
{
	heap_differential(1500, 3 * MOS_PHEAP_RUNS, 3);
}

/* Members of one class pushed in order stay out of the heap array: the
 * heap holds one entry per class. */
Test(sched_heap, one_entry_per_class)
{
	mos_proc_t *p = procs_new(12);
	mos_pheap_t *h = malloc(sizeof(*h));

	mos__pheap_init(h, mos__alloc_libc());
	for (uint32_t i = 0; i < 12; i++) {
		cr_assert_eq(mos__pheap_attach(h, &p[i]), 0);
		mos__pheap_push(h, &p[i], i % 3, i, i % 3);
	}
	cr_assert_eq(h->n, 3);
	for (uint32_t i = 0; i < 12; i++) {
		/* class 0 (i = 0, 3, 6, 9), then class 1, then class 2 */
		uint32_t want = (i % 4) * 3 + i / 4;
		cr_assert_eq(mos__pheap_pop(h), &p[want]);
	}
	cr_assert_eq(h->n, 0);
	mos__pheap_fini(h);
	free(h);
	free(p);
}

/* ---- the class map ---------------------------------------------------------- */

Test(sched_heap, idmap_insert_find_delete)
{
	uint64_t key[64];
	uint32_t val[64];
	mos_idmap_t m;
	uint64_t s = 7;
	bool in[32] = {false};

	mos__idmap_init(&m, key, val, 64);
	for (int step = 0; step < 20000; step++) {
		uint32_t k = (uint32_t)(lcg(&s) % 32);
		/* Keys that collide at home: multiples of 2^32 hash alike. */
		uint64_t kk = (uint64_t)k << 32;

		if (in[k]) {
			cr_assert_eq(mos__idmap_find(&m, kk), k);
			mos__idmap_delete(&m, kk);
			in[k] = false;
		} else {
			cr_assert_eq(mos__idmap_find(&m, kk), MOS_IDMAP_NONE);
			mos__idmap_insert(&m, kk, k);
			in[k] = true;
		}
		for (uint32_t j = 0; j < 32; j++)
			cr_assert_eq(mos__idmap_find(&m, (uint64_t)j << 32),
				     in[j] ? j : MOS_IDMAP_NONE);
	}
}

/* ---- lottery's classes --------------------------------------------------------- */

/* Wins per process over `draws` decisions through the policy's hooks. */
static void draw(const mos_sched_class_t *c, void *rq, mos_proc_t *p,
		 uint32_t n, uint32_t draws, uint32_t *wins)
{
	memset(wins, 0, n * sizeof(*wins));
	for (uint32_t d = 0; d < draws; d++) {
		mos_proc_t *w = c->pick_next(rq, 0);

		cr_assert_not_null(w);
		wins[w - p]++;
		c->charge(rq, w, MOS_MSEC);
		c->put_prev(rq, w, MOS_PUT_SLICE, 0);
	}
}

/*
 * 100 processes holding 1..25 tickets (25 classes: the class table grows
 * past 16 and rehashes); each class's wins in 400 000 draws are within
 * 5 standard deviations of its share of the tickets (a class drawn at the
 * wrong rate, even by 10%, is far outside).  Then half leave the draw (swap-removal) and never win, and the
 * detached classes are reused by new ticket counts.
 */
Test(sched_lottery, classes_draw_in_proportion)
{
	const mos_sched_class_t *c = mos__sched_find("lottery");
	mos_sched_params_t par;
	mos_proc_t *p = procs_new(140);
	uint32_t wins[140], total = 0;
	void *rq;

	mos_sched_params_default(&par);
	par.time_slice = MOS_MSEC;
	cr_assert_eq(c->init(&par, 99, mos__alloc_libc(), &rq), 0);
	for (uint32_t i = 0; i < 100; i++) {
		p[i].attr.tickets = 1 + i % 25;
		total += p[i].attr.tickets;
		cr_assert_eq(c->attach(rq, &p[i]), 0);
		c->enqueue(rq, &p[i], MOS_ENQ_NEW, 0);
	}
	draw(c, rq, p, 100, 400000, wins);
	for (uint32_t t = 1; t <= 25; t++) {
		double got = 0, want = 400000.0 * 4 * t / total;

		for (uint32_t i = t - 1; i < 100; i += 25)
			got += wins[i];
		/* 5 standard deviations of a binomial count, about. */
		cr_assert(fabs(got - want) < 5 * sqrt(want),
			  "tickets %u: %.0f wins, want %.0f", t, got, want);
	}
	for (uint32_t i = 0; i < 100; i += 2)
		c->dequeue(rq, &p[i]);
	draw(c, rq, p, 100, 20000, wins);
	for (uint32_t i = 0; i < 100; i++)
		cr_assert(i % 2 ? wins[i] > 0 : wins[i] == 0, "pid %d", p[i].pid);
	/* Detach every process of 1..10 tickets; 40 newcomers with new
	 * counts take their classes (and more). */
	for (uint32_t i = 0; i < 100; i++)
		if (p[i].attr.tickets <= 10)
			c->detach(rq, &p[i]);
	for (uint32_t i = 100; i < 140; i++) {
		p[i].attr.tickets = 26 + (i - 100);
		cr_assert_eq(c->attach(rq, &p[i]), 0);
		c->enqueue(rq, &p[i], MOS_ENQ_NEW, 0);
	}
	draw(c, rq, p, 140, 20000, wins);
	for (uint32_t i = 0; i < 140; i++) {
		bool in = i >= 100 || (i % 2 && p[i].attr.tickets > 10);
		cr_assert(in ? wins[i] > 0 : wins[i] == 0, "member %u", i);
	}
	c->fini(rq, mos__alloc_libc());
	free(p);
}

/* ---- likely_next ---------------------------------------------------------------- */

/*
 * The guess the kernel warms: for the round-robin policies, with at least
 * MOS_LIKELY_MIN processes, exactly the one the next pick returns when
 * nothing changes in between; with fewer, no guess.  Lottery's guess is a
 * process that wins within the next few draws.
 */
/* Under every priority: the level index differs (multios's top level is
 * index 0, which an off-by-one in "no level" would miss). */
Test(sched_likely_next, round_robin_guesses_the_next_pick)
{
	static const char *const names[] = {"multios", "fifo", "rr", "mlfq"};

	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
	for (int prio = 0; prio < MOS_PRIO_COUNT; prio++) {
		const mos_sched_class_t *c = mos__sched_find(names[k]);
		mos_sched_params_t par;
		mos_proc_t *p = procs_new(40);
		void *rq;

		cr_assert_not_null(c->likely_next, "%s", names[k]);
		mos_sched_params_default(&par);
		cr_assert_eq(c->init(&par, 1, mos__alloc_libc(), &rq), 0);
		for (uint32_t i = 0; i < 40; i++) {
			p[i].priority = (mos_priority_t)prio;
			cr_assert(!c->attach || c->attach(rq, &p[i]) == 0);
			c->enqueue(rq, &p[i], MOS_ENQ_NEW, 0);
		}
		for (int d = 0; d < 100; d++) {
			mos_proc_t *w = c->pick_next(rq, 0);
			mos_proc_t *guess = c->likely_next(rq);

			cr_assert_not_null(guess, "%s, priority %d", names[k], prio);
			c->put_prev(rq, w, MOS_PUT_YIELD, 0);
			cr_assert_eq(c->pick_next(rq, 0), guess, "%s at %d", names[k], d);
			c->put_prev(rq, guess, MOS_PUT_YIELD, 0);
		}
		for (uint32_t i = 0; i < 40 - MOS_LIKELY_MIN + 1; i++)
			c->dequeue(rq, &p[i]);
		c->pick_next(rq, 0);
		cr_assert_null(c->likely_next(rq), "%s: guess with few", names[k]);
		c->fini(rq, mos__alloc_libc());
		free(p);
	}
}

Test(sched_likely_next, lottery_guess_wins_soon)
{
	const mos_sched_class_t *c = mos__sched_find("lottery");
	mos_sched_params_t par;
	mos_proc_t *p = procs_new(64);
	void *rq;
	int hits = 0;

	mos_sched_params_default(&par);
	cr_assert_eq(c->init(&par, 5, mos__alloc_libc(), &rq), 0);
	for (uint32_t i = 0; i < 64; i++) {
		p[i].attr.tickets = 1 + i % 5;
		cr_assert_eq(c->attach(rq, &p[i]), 0);
		c->enqueue(rq, &p[i], MOS_ENQ_NEW, 0);
	}
	for (int d = 0; d < 200; d++) {
		mos_proc_t *w = c->pick_next(rq, 0), *guess = c->likely_next(rq);

		c->put_prev(rq, w, MOS_PUT_SLICE, 0);
		if (!guess)
			continue;
		/* The guess wins one of the next AHEAD / 2 = 4 draws. */
		for (int j = 0; j < 4; j++) {
			mos_proc_t *x = c->pick_next(rq, 0);
			c->put_prev(rq, x, MOS_PUT_SLICE, 0);
			if (x == guess) {
				hits++;
				break;
			}
		}
	}
	cr_assert_geq(hits, 190, "the guess won only %d times", hits);
	c->fini(rq, mos__alloc_libc());
	free(p);
}
