/*
 * bench/peers/pth.c - the yield workload on GNU Pth (pth_yield), for
 * bench/run.sh.
 *
 *   pth --n N --rounds K
 *
 * N Pth threads with 64 KiB stacks loop on pth_yield(NULL), which goes
 * through Pth's scheduler thread.  Each yields once to warm up; the first
 * reads the clock, all do K more yields, the first reads it again after
 * its K-th: ns per switch = time / (N*K), as bench/yield.c.  One sample,
 * as bench.h's JSON line.
 */
#include <pth.h>
#include <stdio.h>

#include "../bench.h"

static unsigned long long rounds;
static pth_t first;
static double t0, t1;

static void *yielder(void *arg)
{
	int timer = pth_self() == first;

	(void)arg;
	pth_yield(NULL);
	if (timer)
		t0 = bench_now_ns();
	for (unsigned long long r = 0; r < rounds; r++)
		pth_yield(NULL);
	if (timer)
		t1 = bench_now_ns();
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long n = bench_arg(argc, argv, "--n", 2);
	pth_attr_t attr;
	pth_t *tids;
	double v;

	rounds = bench_arg(argc, argv, "--rounds", 1000);
	if (n < 2 || rounds < 1)
		return 2;
	if (!pth_init() || !(tids = calloc(n, sizeof(*tids))) ||
	    !(attr = pth_attr_new())) {
		fprintf(stderr, "pth: cannot initialise\n");
		return 1;
	}
	pth_attr_set(attr, PTH_ATTR_STACK_SIZE, (unsigned int)(64 * 1024));
	pth_attr_set(attr, PTH_ATTR_JOINABLE, TRUE);
	/* Spawned threads do not run before main gives up the CPU. */
	for (unsigned long i = 0; i < n; i++) {
		if (!(tids[i] = pth_spawn(attr, yielder, NULL))) {
			fprintf(stderr, "pth: pth_spawn failed at %lu\n", i);
			return 1;
		}
		if (i == 0)
			first = tids[0];
	}
	for (unsigned long i = 0; i < n; i++)
		pth_join(tids[i], NULL);
	v = (t1 - t0) / ((double)n * (double)rounds);
	bench_print("yield", "pth", "yield", "pth", n, rounds, "ns_per_switch",
		    &v, 1, NULL);
	pth_kill();
	return 0;
}
