/*
 * src/cli/explore.h - what `multios explore`'s two halves share: the
 * options, a worker's record of one run, a described failure
 * (explore.c runs the campaign, explore_out.c describes and prints it).
 */
#ifndef MOS_CLI_EXPLORE_H
#define MOS_CLI_EXPLORE_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

typedef struct opts {
	const char *file;
	const char *faults;
	uint64_t runs, seed;
	unsigned jobs, show;
	bool shrink, json;
	mos_explore_opts_t eo;
	const char **checks;
	size_t nchecks;
} opts_t;

/* What a worker sends for one run. */
typedef struct rec {
	uint64_t run;
	int rc;
	mos_explore_outcome_t out;
} rec_t;

typedef struct failure {
	uint64_t run;
	mos_explore_outcome_t out, shrunk;
	uint32_t shrink_runs;
	bool shrunk_ok;
	mos_scenario_verdict_t v, sv;
	char *replay, *replay_shrunk;
	mos_scenario_result_t *faults;   /* the shrunk run's */
} failure_t;

/* Run again the failing run rec (its words) and shrink it (o->shrink):
 * *f, freed with failure_free.  0 or a MOS_E* code. */
int explore_describe(const mos_scenario_t *sc, const opts_t *o,
		     const char *until, const rec_t *rec, failure_t *f);
void explore_failure_free(failure_t *f);

/* The table of invariants by runs violated, then the failures. */
void explore_print_text(const mos_scenario_t *sc, const opts_t *o,
			const rec_t *outs, const failure_t *fs, size_t nf,
			uint64_t nfailed, FILE *out);
/* The same as one JSON document; 0, MOS_ENOMEM or MOS_EIO. */
int explore_print_json(const mos_scenario_t *sc, const opts_t *o,
		       const rec_t *outs, const failure_t *fs, size_t nf,
		       uint64_t nfailed, FILE *out);

#endif
