/*
 * bench/peers/ucontext.c - the yield workload on glibc's makecontext /
 * swapcontext, for bench/run.sh.
 *
 *   ucontext --variant direct|scheduler --n N --rounds K
 *
 * direct: N contexts in a ring, each swaps straight to the next (one
 * swapcontext per switch: the cheapest way to use the API).  scheduler:
 * a loop on the main context resumes the N contexts in turn and each swaps
 * back (two swapcontexts per switch, the shape of libmultios's host <->
 * process switches).  Either way every context switches once to warm up,
 * then the clock runs over K rounds: ns per switch = time / (N*K).  Stacks
 * are 64 KiB, one mapping for all.  One sample, as bench.h's JSON line.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "../bench.h"

#define STACK (64 * 1024)

static ucontext_t main_ctx, *ctx;
static unsigned long n;
static unsigned long long rounds;
static double t0, t1;

static void ring(unsigned hi, unsigned lo)
{
	unsigned long i = ((uint64_t)hi << 32 | lo), next = (i + 1) % n;

	if (i == 0) {
		swapcontext(&ctx[0], &ctx[next]);
		t0 = bench_now_ns();
		for (unsigned long long r = 0; r < rounds; r++)
			swapcontext(&ctx[0], &ctx[next]);
		t1 = bench_now_ns();
		setcontext(&main_ctx);
	}
	for (;;)
		swapcontext(&ctx[i], &ctx[next]);
}

static void back(unsigned hi, unsigned lo)
{
	unsigned long i = ((uint64_t)hi << 32 | lo);

	for (;;)
		swapcontext(&ctx[i], &main_ctx);
}

int main(int argc, char **argv)
{
	const char *variant = bench_sarg(argc, argv, "--variant", "direct");
	int direct = strcmp(variant, "direct") == 0;
	char *stacks;
	double v;

	n = bench_arg(argc, argv, "--n", 2);
	rounds = bench_arg(argc, argv, "--rounds", 1000);
	if (n < 2 || rounds < 1)
		return 2;
	ctx = calloc(n, sizeof(*ctx));
	stacks = mmap(NULL, n * STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!ctx || stacks == MAP_FAILED) {
		perror("ucontext");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		getcontext(&ctx[i]);
		ctx[i].uc_stack.ss_sp = stacks + i * STACK;
		ctx[i].uc_stack.ss_size = STACK;
		ctx[i].uc_link = NULL;
		makecontext(&ctx[i], (void (*)(void))(direct ? ring : back), 2,
			    (unsigned)((uint64_t)i >> 32), (unsigned)i);
	}
	if (direct) {
		swapcontext(&main_ctx, &ctx[0]);
	} else {
		for (unsigned long i = 0; i < n; i++)
			swapcontext(&main_ctx, &ctx[i]);
		t0 = bench_now_ns();
		for (unsigned long long r = 0; r < rounds; r++)
			for (unsigned long i = 0; i < n; i++)
				swapcontext(&main_ctx, &ctx[i]);
		t1 = bench_now_ns();
	}
	v = (t1 - t0) / ((double)n * (double)rounds);
	bench_print("yield", "swapcontext", direct ? "direct" : "scheduler", "glibc",
		    n, rounds, "ns_per_switch", &v, 1, NULL);
	return 0;
}
