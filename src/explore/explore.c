/*
 * src/explore/explore.c - fault campaigns (multios/explore.h): a run per
 * seed, checked, and the shrinking of a failing run's faults.
 *
 * src/explore/ owns the campaign, nothing else: the faults, their draw
 * and the invariants are the scenario's (src/scenario/), and running many
 * seeds in many host processes is the command line's (src/cli/explore.c),
 * which only has to merge outcomes in seed order.  Everything goes
 * through the public scenario API, so a run here is exactly what
 * `multios run FILE --seed S` does.
 */
#include <string.h>

#include "multios/explore.h"
#include "util/error_int.h"
#include "util/rng.h"

uint64_t mos_explore_seed(uint64_t base, uint64_t i)
{
	uint64_t x = base ^ (i * 0xd1342543de82ef95ull);

	return mos__splitmix64(&x);
}

int mos_explore_run(const mos_scenario_t *sc, const mos_explore_opts_t *o,
		    uint64_t seed, const uint64_t *mask,
		    mos_explore_outcome_t *out, mos_scenario_verdict_t *v,
		    mos_error_t *err)
{
	mos_scenario_verdict_t local;
	mos_scenario_opts_t so = {0};
	mos_scenario_result_t *r = NULL;
	int rc;

	mos__error_clear(err);
	if (!sc || !o || !out)
		return mos__error_path(err, MOS_EINVAL, "explore", "",
				       "sc, o and out must not be NULL");
	if (!v)
		v = &local;
	so.has_seed = true;
	so.seed = seed;
	so.has_until = o->has_until;
	so.until = o->until;
	so.no_timeline = true;
	so.has_fault_mask = mask != NULL;
	so.fault_mask = mask ? *mask : 0;
	if ((rc = mos_scenario_run(sc, &so, &r, err)) < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->seed = seed;
	out->trace_hash = r->trace_hash;
	out->nfaults = (uint32_t)r->nfaults;
	out->end = r->end;
	for (size_t i = 0; i < r->nfaults; i++)
		if (r->faults[i].kept)
			out->fault_mask |= 1ull << i;
	rc = mos_scenario_check(sc, r, o->checks, v);
	mos_scenario_result_free(r);
	if (rc < 0)
		return mos__error_path(err, rc, "explore", "",
				       "checking the run failed: %s",
				       mos_strerror(rc));
	out->violated = v->violated;
	return 0;
}

/* The lowest set bit of x (x != 0). */
static uint64_t lowest(uint64_t x)
{
	return x & (~x + 1);
}

int mos_explore_shrink(const mos_scenario_t *sc, const mos_explore_opts_t *o,
		       uint64_t seed, mos_explore_outcome_t *out,
		       uint32_t *runs, mos_error_t *err)
{
	mos_explore_outcome_t best, t;
	uint32_t n = 1;
	uint64_t target;
	bool again = true;
	int rc;

	mos__error_clear(err);
	if (!sc || !o || !out)
		return mos__error_path(err, MOS_EINVAL, "explore", "",
				       "sc, o and out must not be NULL");
	if ((rc = mos_explore_run(sc, o, seed, NULL, &best, NULL, err)) < 0)
		return rc;
	if (!best.violated)
		return mos__error_path(err, MOS_EINVAL, "explore", "",
				       "the run of seed %llu does not fail",
				       (unsigned long long)seed);
	target = lowest(best.violated);
	while (again) {
		again = false;
		for (uint32_t i = 0; i < best.nfaults; i++) {
			uint64_t m = best.fault_mask & ~(1ull << i);

			if (m == best.fault_mask)
				continue;
			if ((rc = mos_explore_run(sc, o, seed, &m, &t, NULL,
						  err)) < 0)
				return rc;
			n++;
			if (t.violated & target) {
				best = t;
				again = true;
			}
		}
	}
	*out = best;
	if (runs)
		*runs = n;
	return 0;
}
