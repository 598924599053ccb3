/*
 * bench/scenario_runs.c - whole scenario runs per second of host time:
 * what a fault-exploration mode pays for each run it tries.
 *
 * Loads a scenario file once, then runs it again and again in-process
 * through mos_scenario_run, each run on a fresh kernel with its own seed
 * (run i of a sample has seed i) and `until` overridden, and frees each
 * result.  A sample is the runs per second of host time over --runs-per
 * runs (after 20 runs of warm-up whose kernels are thrown away, so the
 * host's allocator and page cache are warm as they are in a long
 * exploration).  The trace hashes of the warm-up runs (seeds 0 .. 19) are
 * folded into one, "trace_hash", as a check that the figure is of the
 * same runs as before.
 *
 *   scenario_runs [--file PATH] [--until-ms MS] [--runs-per N] [--runs R]
 *       PATH examples/scenarios/web-stack.json, MS 10 000, N 500, R 5
 *
 * Output: one JSON line (bench.h's fields, and "scenario", "until_ns",
 * "runs" the samples, "runs_per_sec" {median, min, max}, "trace_hash").
 * Exit 1 when the file cannot be loaded or a run fails.  Timing never
 * fails.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64
#define WARMUP 20

/* One run with seed `seed`; its trace hash in *hash.  0 or MOS_E*. */
static int run_once(const mos_scenario_t *sc, mos_time_t until,
		    uint64_t seed, uint64_t *hash)
{
	mos_scenario_opts_t o;
	mos_scenario_result_t *r = NULL;
	mos_error_t err;
	int rc;

	memset(&o, 0, sizeof(o));
	o.has_until = true;
	o.until = until;
	o.has_seed = true;
	o.seed = seed;
	rc = mos_scenario_run(sc, &o, &r, &err);
	if (rc < 0) {
		fprintf(stderr, "scenario_runs: run %" PRIu64 ": %s\n", seed,
			err.text);
		return rc;
	}
	if (hash)
		*hash = *hash * 1099511628211u ^ r->trace_hash;
	mos_scenario_result_free(r);
	return 0;
}

/* The file's base name without ".json": "web-stack". */
static void scenario_name(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	size_t len;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 5 && strcmp(b + len - 5, ".json") == 0)
		len -= 5;
	if (len >= n)
		len = n - 1;
	memcpy(out, b, len);
	out[len] = '\0';
}

int main(int argc, char **argv)
{
	const char *path = bench_sarg(argc, argv, "--file",
				      "examples/scenarios/web-stack.json");
	mos_time_t until = (mos_time_t)bench_arg(argc, argv, "--until-ms",
						 10000) * MOS_MSEC;
	unsigned long long per = bench_arg(argc, argv, "--runs-per", 500);
	int runs = (int)bench_arg(argc, argv, "--runs", 5);
	double v[MAX_RUNS];
	mos_scenario_t *sc = NULL;
	mos_error_t err;
	uint64_t hash = 0;
	char name[128], extra[256];

	if (runs < 1 || runs > MAX_RUNS || per < 1) {
		fprintf(stderr, "scenario_runs: --runs 1..%d, --runs-per >= 1\n",
			MAX_RUNS);
		return 2;
	}
	if (mos_scenario_load(path, &sc, &err) < 0) {
		fprintf(stderr, "scenario_runs: %s\n", err.text);
		return 1;
	}
	for (unsigned long long i = 0; i < WARMUP; i++)
		if (run_once(sc, until, i, &hash) < 0)
			return 1;
	for (int s = 0; s < runs; s++) {
		double t0 = bench_now_ns();

		for (unsigned long long i = 0; i < per; i++)
			if (run_once(sc, until, i, NULL) < 0)
				return 1;
		v[s] = (double)per * 1e9 / (bench_now_ns() - t0);
	}
	mos_scenario_free(sc);
	scenario_name(path, name, sizeof(name));
	snprintf(extra, sizeof(extra),
		 ",\"scenario\":\"%s\",\"until_ns\":%" PRIu64
		 ",\"trace_hash\":\"%016" PRIx64 "\"",
		 name, (uint64_t)until, hash);
	bench_print("scenario_runs", "libmultios", "fresh_kernel", "default",
		    1, per, "runs_per_sec", v, runs, extra);
	return 0;
}
