/*
 * bench/peers/fcontext.cpp - the yield workload on Boost.Context's
 * fcontext (make_fcontext / jump_fcontext, boost/context/detail), for
 * bench/run.sh.
 *
 *   fcontext --variant direct|scheduler --n N --rounds K
 *
 * As bench/peers/ucontext.c: direct is a ring where each context jumps
 * straight to the next (one jump per switch); scheduler resumes the N
 * contexts in turn from main and each jumps back (two jumps per switch).
 * A jump hands its target the suspended context it came from; the data
 * word says where to file it (the sender's slot), which also tells a
 * context starting in the ring its own index.  Stacks are 64 KiB, one
 * mapping for all.  One sample, as bench.h's JSON line.
 */
#include <boost/context/detail/fcontext.hpp>
#include <sys/mman.h>

#include <cstdio>
#include <cstring>

#include "../bench.h"

namespace bcd = boost::context::detail;

namespace {

const std::size_t STACK = 64 * 1024;

bcd::fcontext_t *ctx; /* ctx[i]: where context i resumes */
bcd::fcontext_t main_ctx;
unsigned long n;
unsigned long long rounds;
double t0, t1;

void file_away(bcd::transfer_t t)
{
	*static_cast<bcd::fcontext_t *>(t.data) = t.fctx;
}

void jump(unsigned long from, unsigned long to)
{
	file_away(bcd::jump_fcontext(ctx[to], &ctx[from]));
}

void ring(bcd::transfer_t t)
{
	bcd::fcontext_t *slot = static_cast<bcd::fcontext_t *>(t.data);
	unsigned long i = slot == &main_ctx ? 0 : (unsigned long)(slot - ctx) + 1;
	unsigned long next = (i + 1) % n;

	file_away(t);
	if (i == 0) {
		jump(0, next);
		t0 = bench_now_ns();
		for (unsigned long long r = 0; r < rounds; r++)
			jump(0, next);
		t1 = bench_now_ns();
		bcd::jump_fcontext(main_ctx, nullptr);
	}
	for (;;)
		jump(i, next);
}

void back(bcd::transfer_t t)
{
	for (;;)
		t = bcd::jump_fcontext(t.fctx, nullptr);
}

} // namespace

int main(int argc, char **argv)
{
	const char *variant = bench_sarg(argc, argv, "--variant", "direct");
	bool direct = std::strcmp(variant, "direct") == 0;
	char *stacks;
	double v;

	n = bench_arg(argc, argv, "--n", 2);
	rounds = bench_arg(argc, argv, "--rounds", 1000);
	if (n < 2 || rounds < 1)
		return 2;
	ctx = new bcd::fcontext_t[n];
	stacks = (char *)mmap(nullptr, n * STACK, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stacks == MAP_FAILED) {
		std::perror("fcontext");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++)
		ctx[i] = bcd::make_fcontext(stacks + (i + 1) * STACK, STACK,
					    direct ? ring : back);
	if (direct) {
		bcd::jump_fcontext(ctx[0], &main_ctx);
	} else {
		for (unsigned long i = 0; i < n; i++)
			ctx[i] = bcd::jump_fcontext(ctx[i], nullptr).fctx;
		t0 = bench_now_ns();
		for (unsigned long long r = 0; r < rounds; r++)
			for (unsigned long i = 0; i < n; i++)
				ctx[i] = bcd::jump_fcontext(ctx[i], nullptr).fctx;
		t1 = bench_now_ns();
	}
	v = (t1 - t0) / ((double)n * (double)rounds);
	bench_print("yield", "fcontext", direct ? "direct" : "scheduler", "boost",
		    n, rounds, "ns_per_switch", &v, 1, NULL);
	return 0;
}
