/*
 * multios/explore.h - deterministic fault campaigns: a scenario run many
 * times, each run with a seed of its own that draws its faults and
 * jitter, each checked against the scenario's invariants; a failing
 * run shrunk to the fewest faults that still fail (docs/EXPLORE.md).
 *
 *   uint64_t checks;
 *   mos_scenario_check_select(sc, NULL, 0, &checks, &err);
 *   mos_explore_opts_t o = {.checks = checks};
 *   for (uint64_t i = 0; i < 1000; i++) {
 *           mos_explore_outcome_t out;
 *           mos_explore_run(sc, &o, mos_explore_seed(1, i), NULL, &out,
 *                           NULL, &err);
 *           if (out.violated) ... // `multios run FILE --seed out.seed`
 *   }                             // replays it, the same trace hash
 *
 * A run is mos_scenario_run with the seed (the kernel's and the
 * faults'), so everything here replays exactly.
 */
#ifndef MULTIOS_EXPLORE_H
#define MULTIOS_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

typedef struct mos_explore_opts {
	uint64_t checks;           /* the checks to make (bit i: check i) */
	bool has_until;            /* else the file's "until" */
	mos_time_t until;
} mos_explore_opts_t;

typedef struct mos_explore_outcome {
	uint64_t seed;
	uint64_t violated;         /* bit i: check i failed */
	uint64_t trace_hash;
	uint32_t nfaults;          /* drawn from the seed */
	uint64_t fault_mask;       /* of them, those that ran */
	mos_time_t end;
} mos_explore_outcome_t;

/* Run i's seed in a campaign from base: a mix of both, so neighbouring
 * runs draw unrelated faults.  Any value is a valid seed. */
MOS_API uint64_t mos_explore_seed(uint64_t base, uint64_t i);

/*
 * One run of sc with seed (mask: the faults to keep, NULL: all), checked.
 * *out gets the outcome; v (may be NULL) the verdict's words.  Errors:
 * MOS_EINVAL (NULL sc, o or out), and those of mos_scenario_run and
 * mos_scenario_check (err says which).
 */
MOS_API int mos_explore_run(const mos_scenario_t *sc,
			    const mos_explore_opts_t *o, uint64_t seed,
			    const uint64_t *mask, mos_explore_outcome_t *out,
			    mos_scenario_verdict_t *v, mos_error_t *err);

/*
 * Shrink a failing run: starting from all its faults, leave out one fault
 * at a time (in ordinal order, pass after pass until nothing more can
 * go) as long as the run still fails the check it failed first.  *out is
 * the smallest failing run found (its fault_mask the faults kept), *runs
 * (may be NULL) the runs it took.  Errors: MOS_EINVAL (NULL argument, or
 * a seed whose run does not fail), and those of mos_explore_run.
 */
MOS_API int mos_explore_shrink(const mos_scenario_t *sc,
			       const mos_explore_opts_t *o, uint64_t seed,
			       mos_explore_outcome_t *out, uint32_t *runs,
			       mos_error_t *err);

#endif
