/*
 * src/service/balance.h - a service's load balancer: which instance gets
 * the next request (docs/SERVICES.md, "Load balancing").
 *
 * A balancer is pure bookkeeping over a candidate array the caller builds
 * for each request: one entry per instance slot (the slot is the
 * instance's index in the service, stable across restarts), with its
 * weight, its outstanding requests and whether it may take requests now
 * (ready and healthy).  The strategies are a const table of pick
 * functions; a pick never allocates and cannot fail except for
 * MOS_ELOADBAL (no eligible candidate) and MOS_EINVAL (bad arguments).
 * What a strategy keeps between picks (the rotation, the weights'
 * current values, its own random stream, the hash ring) lives in the
 * mos_lb_t, sized for nslots at init and resize, the only calls that
 * allocate.  The random stream is the balancer's own (seeded from the
 * kernel's seed and the service id by the caller), so programs'
 * mos_sys_random sequences do not depend on the traffic.
 *
 * Candidates are given in strictly increasing slot order, every slot
 * below nslots (MOS_EINVAL otherwise); "slot order" below is that order.
 */
#ifndef MOS_SVC_BALANCE_H
#define MOS_SVC_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "multios/config.h"
#include "multios/service.h"
#include "util/rng.h"


/* One instance slot as the caller sees it for this request. */
typedef struct mos_lb_cand {
	uint32_t slot;          /* the instance's index, < nslots */
	uint32_t weight;        /* weighted: its weight; 0 never picked */
	uint32_t outstanding;   /* least_connections: requests in flight */
	bool eligible;          /* ready and healthy: may take requests */
} mos_lb_cand_t;

/* A point of the consistent-hash ring. */
typedef struct mos_lb_point {
	uint64_t hash;
	uint32_t slot;
	uint32_t vnode;
} mos_lb_point_t;

typedef struct mos_lb {
	mos_lb_strategy_t strategy;
	const mos_allocator_t *a;
	uint32_t nslots;
	uint32_t vnodes;            /* consistent_hash: points per slot */
	uint32_t rr_next;           /* round_robin: first slot to try */
	int64_t *current;           /* weighted: [nslots] current weights */
	mos_rng_t rng;              /* random: the balancer's own stream */
	mos_lb_point_t *ring;       /* consistent_hash: nslots * vnodes
				       points by (hash, slot, vnode) */
	uint32_t nring;
} mos_lb_t;

/*
 * Make lb for nslots instance slots (0 allowed: every pick is then
 * MOS_ELOADBAL); vnodes is consistent_hash's points per slot (0: the
 * default, at most MOS_SVC_MAX_VNODES), ignored by the others; seed
 * seeds the random stream.  a is borrowed and must outlive lb.  Only
 * weighted (nslots int64_t) and consistent_hash (nslots * vnodes points)
 * allocate.  Errors: MOS_EINVAL (NULL, strategy out of range, vnodes too
 * large, a ring over UINT32_MAX points), MOS_ENOMEM; on error lb holds
 * nothing to free.
 */
int mos__lb_init(mos_lb_t *lb, mos_lb_strategy_t strategy, uint32_t nslots,
		 uint32_t vnodes, uint64_t seed, const mos_allocator_t *a);
/* Free what init and resize allocated; lb may be NULL. */
void mos__lb_fini(mos_lb_t *lb);

/*
 * Size lb for nslots (instances added or removed at the end).  The
 * weighted state of the slots kept stays; the ring is rebuilt, and since
 * a slot's points depend only on (slot, vnode) a key moves only to an
 * added slot or off a removed one.  The rotation continues.  Errors:
 * MOS_EINVAL, MOS_ENOMEM (lb unchanged).
 */
int mos__lb_resize(mos_lb_t *lb, uint32_t nslots);

/*
 * The slot for the next request (key: the request's key, used by
 * consistent_hash only) into *slot, updating the strategy's state.
 *   round_robin: the first eligible slot at or after the one after the
 *     last pick, wrapping; an ineligible slot is passed over and the
 *     others keep their turn.
 *   least_connections: the fewest outstanding; ties to slot order.
 *   weighted: nginx's smooth weighted round robin: every eligible slot
 *     of weight > 0 adds its weight to its current value, the largest
 *     current (ties to slot order) is picked and loses the total.
 *   random: uniform over the eligible slots, from lb's own stream.
 *   consistent_hash: the first point clockwise from hash(key) whose slot
 *     is an eligible candidate (walking on past the others).
 * Never allocates.  Errors: MOS_EINVAL (NULL lb or slot, c NULL with n >
 * 0, slots not increasing or not below nslots), MOS_ELOADBAL (no
 * eligible candidate; for weighted, none of weight > 0); nothing changes.
 */
int mos__lb_pick(mos_lb_t *lb, const mos_lb_cand_t *c, uint32_t n,
		 uint64_t key, uint32_t *slot);

/* The hash a consistent_hash balancer puts key at on its ring (for
 * tests and status). */
uint64_t mos__lb_key_hash(uint64_t key);

/* "round_robin", "least_connections", "weighted", "random",
 * "consistent_hash"; "?" out of range.  And back: MOS_EINVAL unknown. */

#endif
