/*
 * bench/explore.c - fault campaign runs per second of host time
 * (docs/BENCHMARKS.md, "Fault campaigns").
 *
 * The web-stack example shortened to 10 s of virtual time, with faults
 * drawn from each run's seed (crashes of any service, a hang, the cache
 * going down), run and checked against every invariant exactly as
 * `multios explore --jobs 1` does, one run after another on one core.
 * One JSON line.
 *
 * Usage: bench/explore [--runs N] [--scenario FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "multios/multios.h"

static const char faults[] =
	"[{\"kind\": \"crash\", \"service\": [\"web\", \"db\", \"cache\"],"
	"  \"count\": [0, 3], \"window\": [\"200ms\", \"8s\"]},"
	" {\"kind\": \"hang\", \"service\": \"web\", \"count\": [0, 1]},"
	" {\"kind\": \"down\", \"service\": \"cache\", \"count\": [0, 1],"
	"  \"for\": \"300ms\"}]";

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *file = "examples/scenarios/web-stack.json";
	mos_explore_opts_t o = {0};
	mos_scenario_t *sc;
	mos_error_t err;
	uint64_t runs = 2000, failed = 0, faults_drawn = 0;
	double t0, t;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--runs"))
			runs = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--scenario"))
			file = argv[i + 1];
	}
	if (mos_scenario_load(file, &sc, &err) < 0 ||
	    mos_scenario_set_faults(sc, faults, strlen(faults), "faults",
				    &err) < 0 ||
	    mos_scenario_check_select(sc, NULL, 0, &o.checks, &err) < 0) {
		fprintf(stderr, "explore: %s\n", err.message);
		return 1;
	}
	o.has_until = true;
	o.until = 10 * MOS_SEC;
	t0 = now();
	for (uint64_t i = 0; i < runs; i++) {
		mos_explore_outcome_t out;

		if (mos_explore_run(sc, &o, mos_explore_seed(1, i), NULL, &out,
				    NULL, &err) < 0) {
			fprintf(stderr, "explore: %s\n", err.message);
			return 1;
		}
		failed += out.violated != 0;
		faults_drawn += out.nfaults;
	}
	t = now() - t0;
	printf("{\"bench\": \"explore\", \"scenario\": \"%s\", \"until_ns\": "
	       "%llu, \"runs\": %llu, \"faults\": %llu, \"failed_runs\": %llu, "
	       "\"seconds\": %.3f, \"runs_per_sec\": %.1f}\n", file,
	       (unsigned long long)o.until, (unsigned long long)runs,
	       (unsigned long long)faults_drawn, (unsigned long long)failed, t,
	       (double)runs / t);
	mos_scenario_free(sc);
	return 0;
}
