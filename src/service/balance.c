/*
 * src/service/balance.c - the load-balancing strategies (balance.h).
 *
 * Each strategy is one pick function in a const table indexed by the
 * strategy; the state they keep is sized up front (init, resize) so a
 * pick never allocates.  Every choice is deterministic: ties go to slot
 * order, the ring is sorted by (hash, slot, vnode), and random draws from
 * the balancer's own seeded xoshiro256** stream.
 */
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "util/alloc.h"

typedef int (*pick_fn)(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		       uint64_t key, uint32_t *slot);

/* splitmix64's finalizer: a bijection of 64 bits with full avalanche. */
static uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A point depends only on (slot, vnode): the ring of N slots is the ring
 * of N + 1 less one slot's points, which is what bounds key movement. */
static uint64_t point_hash(uint32_t slot, uint32_t vnode)
{
	return mix64(mix64(((uint64_t)slot << 32 | vnode) ^
			   0x6a09e667f3bcc908ull));
}

uint64_t mos__lb_key_hash(uint64_t key)
{
	return mix64(mix64(key ^ 0xbb67ae8584caa73bull));
}

/* ---- the strategies --------------------------------------------------- */

static int pick_round_robin(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
			    uint64_t key, uint32_t *slot)
{
	uint32_t first = n, at = n;

	(void)key;
	for (uint32_t i = 0; i < n; i++)
		if (c[i].eligible) {
			if (first == n)
				first = i;
			if (c[i].slot >= lb->rr_next) {
				at = i;
				break;
			}
		}
	if (at == n)
		at = first; /* wrap */
	if (at == n)
		return MOS_ELOADBAL;
	*slot = c[at].slot;
	lb->rr_next = c[at].slot + 1;
	return 0;
}

static int pick_least(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		      uint64_t key, uint32_t *slot)
{
	uint32_t best = n;

	(void)lb;
	(void)key;
	for (uint32_t i = 0; i < n; i++)
		if (c[i].eligible &&
		    (best == n || c[i].outstanding < c[best].outstanding))
			best = i;
	if (best == n)
		return MOS_ELOADBAL;
	*slot = c[best].slot;
	return 0;
}

/* nginx's ngx_http_upstream_get_peer, with effective weight = weight
 * (our instances do not lose weight on failures: unhealthy ones are
 * ineligible instead). */
static int pick_weighted(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
			 uint64_t key, uint32_t *slot)
{
	int64_t total = 0, *cur = lb->current;
	uint32_t best = n;

	(void)key;
	for (uint32_t i = 0; i < n; i++) {
		if (!c[i].eligible || c[i].weight == 0)
			continue;
		cur[c[i].slot] += c[i].weight;
		total += c[i].weight;
		if (best == n || cur[c[i].slot] > cur[c[best].slot])
			best = i;
	}
	if (best == n)
		return MOS_ELOADBAL;
	cur[c[best].slot] -= total;
	*slot = c[best].slot;
	return 0;
}

/* A uniform draw below bound (> 0): Lemire's multiply, rejecting the
 * biased low products. */
static uint32_t draw(mos_rng_t *r, uint32_t bound)
{
	uint64_t m = (uint64_t)(uint32_t)(mos__rng_next(r) >> 32) * bound;
	uint32_t low = (uint32_t)m;

	if (low < bound) {
		uint32_t t = (uint32_t)(-bound) % bound;

		while (low < t) {
			m = (uint64_t)(uint32_t)(mos__rng_next(r) >> 32) * bound;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

static int pick_random(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		       uint64_t key, uint32_t *slot)
{
	uint32_t m = 0, r;

	(void)key;
	for (uint32_t i = 0; i < n; i++)
		m += c[i].eligible;
	if (m == 0)
		return MOS_ELOADBAL;
	r = draw(&lb->rng, m);
	for (uint32_t i = 0; i < n; i++)
		if (c[i].eligible && r-- == 0) {
			*slot = c[i].slot;
			break;
		}
	return 0;
}

/* The candidate for slot s, or NULL: c is sorted by slot, and usually
 * c[s] is it (every slot given). */
static const mos_lb_cand_t *cand_of(const mos_lb_cand_t *c, uint32_t n,
				    uint32_t s)
{
	uint32_t lo = 0, hi = n;

	if (s < n && c[s].slot == s)
		return &c[s];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c[mid].slot == s)
			return &c[mid];
		if (c[mid].slot < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int pick_hash(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		     uint64_t key, uint32_t *slot)
{
	uint64_t h = mos__lb_key_hash(key);
	uint32_t lo = 0, hi = lb->nring, any = 0;

	for (uint32_t i = 0; i < n; i++)
		any |= c[i].eligible;
	if (!any || lb->nring == 0)
		return MOS_ELOADBAL;
	while (lo < hi) { /* the first point with hash >= h */
		uint32_t mid = lo + (hi - lo) / 2;

		if (lb->ring[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* An eligible candidate has points, so the walk ends within one
	 * turn of the ring. */
	for (uint32_t k = 0; k < lb->nring; k++) {
		const mos_lb_point_t *p = &lb->ring[(lo + k) % lb->nring];
		const mos_lb_cand_t *cd = cand_of(c, n, p->slot);

		if (cd && cd->eligible) {
			*slot = p->slot;
			return 0;
		}
	}
	return MOS_ELOADBAL;
}

static const pick_fn picks[MOS_LB_COUNT] = {
	[MOS_LB_ROUND_ROBIN] = pick_round_robin,
	[MOS_LB_LEAST_CONNECTIONS] = pick_least,
	[MOS_LB_WEIGHTED] = pick_weighted,
	[MOS_LB_RANDOM] = pick_random,
	[MOS_LB_CONSISTENT_HASH] = pick_hash,
};

int mos__lb_pick(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		 uint64_t key, uint32_t *slot)
{
	if (!lb || !slot || (n && !c))
		return MOS_EINVAL;
	for (uint32_t i = 0; i < n; i++)
		if (c[i].slot >= lb->nslots || (i && c[i].slot <= c[i - 1].slot))
			return MOS_EINVAL;
	if (n == 0)
		return MOS_ELOADBAL;
	return picks[lb->strategy](lb, c, n, key, slot);
}

/* ---- making and sizing ------------------------------------------------ */

static int cmp_point(const void *x, const void *y)
{
	const mos_lb_point_t *a = x, *b = y;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return (a->vnode > b->vnode) - (a->vnode < b->vnode);
}

/* What nslots needs, allocated apart from lb (installed by commit): the
 * weighted current values (the kept slots' copied) or the ring. */
typedef struct lb_arrays {
	int64_t *current;
	mos_lb_point_t *ring;
	uint32_t nring;
} lb_arrays_t;

static int make_arrays(const mos_lb_t *lb, uint32_t nslots, lb_arrays_t *out)
{
	*out = (lb_arrays_t){0};
	if (nslots == 0)
		return 0;
	if (lb->strategy == MOS_LB_WEIGHTED) {
		uint32_t keep = lb->nslots < nslots ? lb->nslots : nslots;

		if (!(out->current = mos__calloc(lb->a, nslots,
						 sizeof(*out->current))))
			return MOS_ENOMEM;
		if (keep)
			memcpy(out->current, lb->current,
			       keep * sizeof(*out->current));
	} else if (lb->strategy == MOS_LB_CONSISTENT_HASH) {
		uint64_t np = (uint64_t)nslots * lb->vnodes;

		if (np > UINT32_MAX)
			return MOS_EINVAL;
		if (!(out->ring = mos__malloc_array(lb->a, (size_t)np,
						    sizeof(*out->ring))))
			return MOS_ENOMEM;
		out->nring = (uint32_t)np;
		for (uint32_t s = 0, i = 0; s < nslots; s++)
			for (uint32_t v = 0; v < lb->vnodes; v++)
				out->ring[i++] = (mos_lb_point_t){
					point_hash(s, v), s, v};
		qsort(out->ring, out->nring, sizeof(*out->ring), cmp_point);
	}
	return 0;
}

static void free_arrays(const mos_lb_t *lb)
{
	if (lb->current)
		mos__free(lb->a, lb->current);
	if (lb->ring)
		mos__free(lb->a, lb->ring);
}

int mos__lb_init(mos_lb_t *lb, mos_lb_strategy_t strategy, uint32_t nslots,
		 uint32_t vnodes, uint64_t seed, const mos_allocator_t *a)
{
	lb_arrays_t arr;
	int e;

	if (!lb || !a || (unsigned)strategy >= MOS_LB_COUNT ||
	    vnodes > MOS_SVC_MAX_VNODES)
		return MOS_EINVAL;
	*lb = (mos_lb_t){.strategy = strategy, .a = a,
			 .vnodes = vnodes ? vnodes : MOS_SVC_VNODES_DEFAULT};
	mos__rng_seed(&lb->rng, seed);
	if ((e = make_arrays(lb, nslots, &arr)) < 0) {
		*lb = (mos_lb_t){0};
		return e;
	}
	lb->current = arr.current;
	lb->ring = arr.ring;
	lb->nring = arr.nring;
	lb->nslots = nslots;
	return 0;
}

void mos__lb_fini(mos_lb_t *lb)
{
	if (!lb || !lb->a)
		return;
	free_arrays(lb);
	*lb = (mos_lb_t){0};
}

int mos__lb_resize(mos_lb_t *lb, uint32_t nslots)
{
	lb_arrays_t arr;
	int e;

	if (!lb || !lb->a)
		return MOS_EINVAL;
	if (nslots == lb->nslots)
		return 0;
	if ((e = make_arrays(lb, nslots, &arr)) < 0)
		return e;
	free_arrays(lb);
	lb->current = arr.current;
	lb->ring = arr.ring;
	lb->nring = arr.nring;
	lb->nslots = nslots;
	return 0;
}
