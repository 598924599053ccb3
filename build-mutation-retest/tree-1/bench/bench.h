/*
 * bench/bench.h - what every benchmark program shares: the wall clock,
 * medians, and the one output format.
 *
 * A header, not a .c file, so the Makefile's wildcard over the bench C
 * files does not build it as a program; the peers in bench/peers/ (C and
 * C++) include it too, so it is written in the common subset of C11 and
 * C++.
 *
 * Output: one JSON object per line, one line per figure,
 *
 *   {"bench":"yield","peer":"libmultios","variant":"yield",
 *    "backend":"asm","n":1000,"iters":2000,
 *    "ns_per_switch":{"median":..,"min":..,"max":..},"runs":5, ...extra}
 *
 * bench names the figure, peer the system measured (libmultios or what it
 * is compared with), variant the shape of the workload, backend the
 * context backend or implementation that ran, n the number of processes,
 * iters the iteration count of one run (rounds, children, ...).
 *
 * A program asked for one sample (--runs 1) prints the same line with
 * runs 1; bench/run.sh collects those lines from interleaved rounds and
 * takes median, min and max over them.
 */
#ifndef MOS_BENCH_H
#define MOS_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Print one figure: v[0..runs) are the samples (sorted here).  extra, when
 * not NULL or empty, is appended as more JSON members (",\"k\":v").
 */
static inline void bench_print(const char *bench, const char *peer,
			       const char *variant, const char *backend,
			       unsigned long n,
			       unsigned long long iters, const char *unit,
			       double *v, int runs, const char *extra)
{
	qsort(v, (size_t)runs, sizeof(*v), bench_cmp_double);
	printf("{\"bench\":\"%s\",\"peer\":\"%s\",\"variant\":\"%s\","
	       "\"backend\":\"%s\",\"n\":%lu,\"iters\":%llu,"
	       "\"%s\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
	       "\"runs\":%d%s}\n",
	       bench, peer, variant, backend, n, iters, unit, v[runs / 2], v[0],
	       v[runs - 1], runs, extra ? extra : "");
	fflush(stdout);
}

/* "--name VALUE" in argv, as an unsigned number; def when absent. */
static inline unsigned long long bench_arg(int argc, char **argv,
					   const char *name,
					   unsigned long long def)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return strtoull(argv[i + 1], NULL, 10);
	return def;
}

/* "--name VALUE" in argv, as a string; def when absent. */
static inline const char *bench_sarg(int argc, char **argv, const char *name,
				     const char *def)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return def;
}

#endif
