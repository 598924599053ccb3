/*
 * test_lb.c - the load-balancing strategies (src/service/balance.c).
 *
 * Exact sequences for each strategy (issue 13's acceptance 1: round robin
 * in rotation, least_connections against a model computed by hand, nginx's
 * published a a b a c a a for weights 5, 1, 1), the random stream's
 * determinism and rough uniformity, and consistent hashing's movement
 * bounds when an instance leaves or joins.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "service/balance.h"
#include "fail_alloc.h"
#include "timeout.h"
#include "util/alloc.h"

TestSuite(lb, .timeout = T_TIMEOUT);

static mos_lb_t t_lb(mos_lb_strategy_t s, uint32_t nslots)
{
	mos_lb_t lb;

	cr_assert_eq(mos__lb_init(&lb, s, nslots, 0, 42, mos__alloc_libc()), 0);
	return lb;
}

/* n candidates, slots 0 .. n-1, all eligible, weight 1. */
static void t_cands(mos_lb_cand_t *c, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		c[i] = (mos_lb_cand_t){i, 1, 0, true};
}

static uint32_t t_pick(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		       uint64_t key)
{
	uint32_t s = 999;
	int rc = mos__lb_pick(lb, c, n, key, &s);

	cr_assert_eq(rc, 0, "pick: %s", mos_err_name(rc));
	return s;
}

Test(lb, round_robin_rotation)
{
	mos_lb_t lb = t_lb(MOS_LB_ROUND_ROBIN, 3);
	mos_lb_cand_t c[3];
	static const uint32_t want[9] = {0, 1, 2, 0, 1, 2, 0, 1, 2};

	t_cands(c, 3);
	for (int i = 0; i < 9; i++)
		cr_assert_eq(t_pick(&lb, c, 3, 0), want[i], "request %d", i + 1);
	mos__lb_fini(&lb);
}

Test(lb, round_robin_skips_ineligible)
{
	mos_lb_t lb = t_lb(MOS_LB_ROUND_ROBIN, 4);
	mos_lb_cand_t c[4];

	t_cands(c, 4);
	cr_assert_eq(t_pick(&lb, c, 4, 0), 0);
	cr_assert_eq(t_pick(&lb, c, 4, 0), 1);
	c[2].eligible = false;
	cr_assert_eq(t_pick(&lb, c, 4, 0), 3); /* 2 passed over */
	cr_assert_eq(t_pick(&lb, c, 4, 0), 0);
	cr_assert_eq(t_pick(&lb, c, 4, 0), 1);
	c[2].eligible = true;
	cr_assert_eq(t_pick(&lb, c, 4, 0), 2); /* back in its turn */
	cr_assert_eq(t_pick(&lb, c, 4, 0), 3);
	/* A subset of the slots: 1 and 3 only. */
	mos_lb_cand_t sub[2] = {{1, 1, 0, true}, {3, 1, 0, true}};
	cr_assert_eq(t_pick(&lb, sub, 2, 0), 1);
	cr_assert_eq(t_pick(&lb, sub, 2, 0), 3);
	cr_assert_eq(t_pick(&lb, sub, 2, 0), 1);
	mos__lb_fini(&lb);
}

/*
 * Three instances with service times 1, 2 and 4 ticks; two requests
 * arrive at each tick t = 0 .. 4, after the requests ending at t are
 * counted off.  By hand (outstanding before each pick -> the pick):
 *   t0: (0,0,0)->0  (1,0,0)->1
 *   t1: r0 ends:  (0,1,0)->0  (1,1,0)->2
 *   t2: r1, r2 end:  (0,0,1)->0  (1,0,1)->1
 *   t3: r4 ends:  (0,1,1)->0  (1,1,1)->0 (tie: slot order)
 *   t4: r5, r6, r7 end:  (0,0,1)->0  (1,0,1)->1
 * The test replays the arrivals and compares each pick.
 */
Test(lb, least_connections_model)
{
	static const uint32_t svc_time[3] = {1, 2, 4};
	static const uint32_t want[10] = {0, 1, 0, 2, 0, 1, 0, 0, 0, 1};
	uint32_t end[10] = {0}, slot_of[10] = {0}, got = 0;
	mos_lb_t lb = t_lb(MOS_LB_LEAST_CONNECTIONS, 3);
	mos_lb_cand_t c[3];

	t_cands(c, 3);
	for (uint32_t t = 0; t < 5; t++) {
		for (uint32_t r = 0; r < got; r++)
			if (end[r] == t)
				c[slot_of[r]].outstanding--;
		for (int a = 0; a < 2; a++) {
			uint32_t s = t_pick(&lb, c, 3, 0);

			cr_assert_eq(s, want[got], "request %u: slot %u, want %u",
				     got, s, want[got]);
			c[s].outstanding++;
			slot_of[got] = s;
			end[got++] = t + svc_time[s];
		}
	}
	mos__lb_fini(&lb);
}

Test(lb, least_connections_ties_and_ineligible)
{
	mos_lb_t lb = t_lb(MOS_LB_LEAST_CONNECTIONS, 4);
	mos_lb_cand_t c[4] = {{0, 1, 3, true}, {1, 1, 1, false},
			      {2, 1, 2, true}, {3, 1, 2, true}};

	cr_assert_eq(t_pick(&lb, c, 4, 0), 2); /* 1 is ineligible; 2 < 3 */
	c[1].eligible = true;
	cr_assert_eq(t_pick(&lb, c, 4, 0), 1);
	mos__lb_fini(&lb);
}

Test(lb, weighted_nginx_sequence)
{
	mos_lb_t lb = t_lb(MOS_LB_WEIGHTED, 3);
	mos_lb_cand_t c[3] = {{0, 5, 0, true}, {1, 1, 0, true},
			      {2, 1, 0, true}};
	static const char want[] = "aabacaaaabacaa";

	/* nginx's comment in ngx_http_upstream_round_robin.c: weights
	 * { 5, 1, 1 } give { a, a, b, a, c, a, a }, and then again. */
	for (int i = 0; want[i]; i++)
		cr_assert_eq((char)('a' + t_pick(&lb, c, 3, 0)), want[i],
			     "pick %d", i);
	mos__lb_fini(&lb);
}

Test(lb, weighted_ineligible_and_zero)
{
	mos_lb_t lb = t_lb(MOS_LB_WEIGHTED, 3);
	mos_lb_cand_t c[3] = {{0, 2, 0, true}, {1, 1, 0, false},
			      {2, 0, 0, true}};
	uint32_t s;

	/* Only slot 0 takes part. */
	for (int i = 0; i < 4; i++)
		cr_assert_eq(t_pick(&lb, c, 3, 0), 0);
	c[1].eligible = true;
	/* 2 and 1: currents (2,1) -> a (-1,1); (1,2) -> b (1,-1);
	 * (3,0) -> a (0,0). */
	cr_assert_eq(t_pick(&lb, c, 3, 0), 0);
	cr_assert_eq(t_pick(&lb, c, 3, 0), 1);
	cr_assert_eq(t_pick(&lb, c, 3, 0), 0);
	c[0].eligible = c[1].eligible = false;
	cr_assert_eq(mos__lb_pick(&lb, c, 3, 0, &s), MOS_ELOADBAL);
	mos__lb_fini(&lb);
}

Test(lb, random_deterministic_and_uniform)
{
	mos_lb_t a, b;
	mos_lb_cand_t c[5];
	uint32_t count[5] = {0};

	t_cands(c, 5);
	c[3].eligible = false;
	cr_assert_eq(mos__lb_init(&a, MOS_LB_RANDOM, 5, 0, 7, mos__alloc_libc()), 0);
	cr_assert_eq(mos__lb_init(&b, MOS_LB_RANDOM, 5, 0, 7, mos__alloc_libc()), 0);
	for (int i = 0; i < 40000; i++) {
		uint32_t s = t_pick(&a, c, 5, 0);

		cr_assert_eq(s, t_pick(&b, c, 5, 0));
		count[s]++;
	}
	cr_assert_eq(count[3], 0);
	/* 10 000 expected each; sigma ~87, so 9 500 .. 10 500 is > 5 sigma. */
	for (int s = 0; s < 5; s++)
		if (s != 3)
			cr_assert(count[s] > 9500 && count[s] < 10500,
				  "slot %d: %u", s, count[s]);
	mos__lb_fini(&a);
	/* Another seed gives another sequence. */
	cr_assert_eq(mos__lb_init(&a, MOS_LB_RANDOM, 5, 0, 8, mos__alloc_libc()), 0);
	int same = 0;
	for (int i = 0; i < 64; i++)
		same += t_pick(&a, c, 5, 0) == t_pick(&b, c, 5, 0);
	cr_assert_lt(same, 64);
	mos__lb_fini(&a);
	mos__lb_fini(&b);
}

#define NKEYS 10000

static void t_map(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		  uint32_t *out)
{
	for (uint32_t k = 0; k < NKEYS; k++)
		out[k] = t_pick(lb, c, n, (uint64_t)k * 7919 + 1);
}

Test(lb, consistent_hash_leave_moves_only_its_keys)
{
	static uint32_t before[NKEYS], after[NKEYS];

	for (uint32_t n = 3; n <= 10; n++) {
		mos_lb_t lb = t_lb(MOS_LB_CONSISTENT_HASH, n);
		mos_lb_cand_t c[10];
		uint32_t gone = n / 2, moved = 0, on = 0;

		t_cands(c, n);
		t_map(&lb, c, n, before);
		c[gone].eligible = false;
		t_map(&lb, c, n, after);
		for (uint32_t k = 0; k < NKEYS; k++) {
			on += before[k] == gone;
			moved += before[k] != after[k];
			/* Exactly its keys move, and not onto it. */
			cr_assert_eq(before[k] != after[k], before[k] == gone);
			cr_assert_neq(after[k], gone);
		}
		/* About 1/N of the keys were on it (160 points: +-30%). */
		cr_assert(moved > NKEYS * 7 / (10 * n) &&
			  moved < NKEYS * 13 / (10 * n), "N=%u moved %u", n, moved);
		(void)on;
		mos__lb_fini(&lb);
	}
}

Test(lb, consistent_hash_resize_moves_about_one_nth)
{
	static uint32_t before[NKEYS], after[NKEYS];

	for (uint32_t n = 3; n <= 10; n++) {
		mos_lb_t lb = t_lb(MOS_LB_CONSISTENT_HASH, n);
		mos_lb_cand_t c[11];
		uint32_t moved = 0;

		t_cands(c, n + 1);
		t_map(&lb, c, n, before);
		/* Join: slot n added; keys move only onto it. */
		cr_assert_eq(mos__lb_resize(&lb, n + 1), 0);
		t_map(&lb, c, n + 1, after);
		for (uint32_t k = 0; k < NKEYS; k++)
			if (before[k] != after[k]) {
				cr_assert_eq(after[k], n);
				moved++;
			}
		/* Expected 1/(N+1); bounded by 1.5/N. */
		cr_assert(moved > 0 && moved <= NKEYS * 3 / (2 * n),
			  "N=%u moved %u", n, moved);
		/* Leave again: back to the first mapping exactly. */
		cr_assert_eq(mos__lb_resize(&lb, n), 0);
		t_map(&lb, c, n, after);
		cr_assert_eq(memcmp(before, after, sizeof(before)), 0);
		mos__lb_fini(&lb);
	}
}

Test(lb, consistent_hash_same_key_same_slot)
{
	mos_lb_t lb = t_lb(MOS_LB_CONSISTENT_HASH, 5), lb2;
	mos_lb_cand_t c[5];

	t_cands(c, 5);
	/* The ring depends on the slots alone, not on the seed. */
	cr_assert_eq(mos__lb_init(&lb2, MOS_LB_CONSISTENT_HASH, 5, 0, 999,
				  mos__alloc_libc()), 0);
	for (uint64_t k = 0; k < 200; k++) {
		uint32_t s = t_pick(&lb, c, 5, k);

		cr_assert_eq(t_pick(&lb, c, 5, k), s);
		cr_assert_eq(t_pick(&lb2, c, 5, k), s);
	}
	mos__lb_fini(&lb);
	mos__lb_fini(&lb2);
}

Test(lb, no_eligible_is_loadbal)
{
	for (int st = 0; st < MOS_LB_COUNT; st++) {
		mos_lb_t lb = t_lb((mos_lb_strategy_t)st, 3);
		mos_lb_cand_t c[3];
		uint32_t s = 77;

		t_cands(c, 3);
		for (int i = 0; i < 3; i++)
			c[i].eligible = false;
		cr_assert_eq(mos__lb_pick(&lb, c, 3, 5, &s), MOS_ELOADBAL,
			     "%s", mos_lb_strategy_name((mos_lb_strategy_t)st));
		cr_assert_eq(mos__lb_pick(&lb, c, 0, 5, &s), MOS_ELOADBAL);
		cr_assert_eq(s, 77);
		mos__lb_fini(&lb);
	}
}

Test(lb, bad_arguments)
{
	mos_lb_t lb;
	mos_lb_cand_t c[3];
	uint32_t s = 77;

	t_cands(c, 3);
	cr_assert_eq(mos__lb_init(NULL, MOS_LB_RANDOM, 3, 0, 1, mos__alloc_libc()),
		     MOS_EINVAL);
	cr_assert_eq(mos__lb_init(&lb, MOS_LB_COUNT, 3, 0, 1, mos__alloc_libc()),
		     MOS_EINVAL);
	cr_assert_eq(mos__lb_init(&lb, MOS_LB_RANDOM, 3, 0, 1, NULL), MOS_EINVAL);
	cr_assert_eq(mos__lb_init(&lb, MOS_LB_CONSISTENT_HASH, 3,
				  MOS_SVC_MAX_VNODES + 1, 1, mos__alloc_libc()),
		     MOS_EINVAL);
	lb = t_lb(MOS_LB_ROUND_ROBIN, 3);
	cr_assert_eq(mos__lb_pick(NULL, c, 3, 0, &s), MOS_EINVAL);
	cr_assert_eq(mos__lb_pick(&lb, NULL, 3, 0, &s), MOS_EINVAL);
	cr_assert_eq(mos__lb_pick(&lb, c, 3, 0, NULL), MOS_EINVAL);
	c[2].slot = 3; /* not below nslots */
	cr_assert_eq(mos__lb_pick(&lb, c, 3, 0, &s), MOS_EINVAL);
	c[2].slot = 1; /* not increasing */
	cr_assert_eq(mos__lb_pick(&lb, c, 3, 0, &s), MOS_EINVAL);
	cr_assert_eq(s, 77);
	/* Nothing changed: the rotation starts at 0. */
	t_cands(c, 3);
	cr_assert_eq(t_pick(&lb, c, 3, 0), 0);
	cr_assert_eq(mos__lb_resize(NULL, 3), MOS_EINVAL);
	mos__lb_fini(&lb);
	mos__lb_fini(NULL);
}

/* init and resize refused: nothing changes. */
Test(lb, enomem_changes_nothing)
{
	int fail_now = 0;
	mos_allocator_t a = t_fail_alloc(&fail_now);
	mos_lb_t lb;
	mos_lb_cand_t c[4];
	uint32_t first;

	t_cands(c, 4);
	fail_now = 1;
	cr_assert_eq(mos__lb_init(&lb, MOS_LB_WEIGHTED, 3, 0, 1, &a), MOS_ENOMEM);
	fail_now = 0;
	cr_assert_eq(mos__lb_init(&lb, MOS_LB_CONSISTENT_HASH, 3, 0, 1, &a), 0);
	first = t_pick(&lb, c, 3, 12345);
	fail_now = 1;
	cr_assert_eq(mos__lb_resize(&lb, 4), MOS_ENOMEM);
	fail_now = 0;
	cr_assert_eq(lb.nslots, 3);
	cr_assert_eq(t_pick(&lb, c, 3, 12345), first);
	mos__lb_fini(&lb);
}
