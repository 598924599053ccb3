/*
 * bench/peers/simgrid.cpp - the libmultios workloads as SimGrid actors
 * (s4u, SimGrid 3.32), for bench/run.sh.
 *
 *   simgrid --mode yield --n N --rounds K
 *       N actors loop on this_actor::yield().  Each yields once to warm
 *       up; the first actor created reads the clock, all do K more yields,
 *       it reads the clock after its K-th: ns per switch = time / (N*K),
 *       as bench/yield.c.
 *   simgrid --mode lifecycle --variant spawn_wait --iters M
 *       one actor loops { Actor::create a child that returns at once;
 *       join it }: 1 000 warm-up children, then M timed (= spawn + wait).
 *   simgrid --mode lifecycle --variant host_batch --iters M
 *       main creates 1 000 actors that return at once and runs the engine
 *       until they are gone, M / 1 000 times after one warm-up batch.
 *   simgrid --mode spawn_many --n N
 *       N actors that sleep 1 s; time to create them and run the engine to
 *       t = 0.5 s (all asleep), and the peak RSS (bench/spawn_many.c).
 *
 * Pass SimGrid's own options first: bench/run.sh gives
 * --cfg=contexts/factory:raw --cfg=contexts/stack-size:64
 * --cfg=contexts/guard-size:0 (64 KiB stacks without guard pages, as
 * libmultios's defaults; guard pages would also need two mappings per
 * actor, past vm.max_map_count at 65 536 actors) and silences logging.
 * One sample per invocation, printed as bench.h's JSON line (runs 1).
 */
#include <simgrid/s4u.hpp>
#include <xbt/config.hpp>
#include <sys/resource.h>

#include <cstdint>
#include <string>

#include "../bench.h"

namespace sg4 = simgrid::s4u;

namespace {

struct Shared {
	sg4::Actor *first = nullptr;
	unsigned long long rounds = 0;
	unsigned long long iters = 0;
	double t0 = 0, t1 = 0;
};

/* The context factory SimGrid actually runs with. */
std::string factory_name()
{
	return simgrid::config::get_value<std::string>("contexts/factory");
}

void yield_loop(Shared *s)
{
	bool timer = sg4::Actor::self() == s->first;

	sg4::this_actor::yield();
	if (timer)
		s->t0 = bench_now_ns();
	for (unsigned long long i = 0; i < s->rounds; i++)
		sg4::this_actor::yield();
	if (timer)
		s->t1 = bench_now_ns();
}

void nothing() {}

void spawn_wait(Shared *s, sg4::Host *h)
{
	for (int i = 0; i < 1000; i++)
		sg4::Actor::create("c", h, nothing)->join();
	s->t0 = bench_now_ns();
	for (unsigned long long i = 0; i < s->iters; i++)
		sg4::Actor::create("c", h, nothing)->join();
	s->t1 = bench_now_ns();
}

double peak_rss_mib()
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

} // namespace

int main(int argc, char **argv)
{
	sg4::Engine e(&argc, argv);
	std::string mode = bench_sarg(argc, argv, "--mode", "yield");
	std::string variant = bench_sarg(argc, argv, "--variant", "spawn_wait");
	unsigned long long n = bench_arg(argc, argv, "--n", 2);
	Shared s;
	char extra[200] = "";
	std::string fname;
	const char *factory;
	double v;

	auto *zone = sg4::create_full_zone("zone");
	sg4::Host *h = zone->create_host("host", 1e9);
	h->seal();
	zone->seal();
	fname = factory_name();
	factory = fname.c_str();

	if (mode == "yield") {
		s.rounds = bench_arg(argc, argv, "--rounds", 1000);
		for (unsigned long long i = 0; i < n; i++) {
			auto a = sg4::Actor::create("y", h, yield_loop, &s);
			if (i == 0)
				s.first = a.get();
		}
		e.run();
		v = (s.t1 - s.t0) / ((double)n * (double)s.rounds);
		bench_print("yield", "simgrid", "yield", factory, n, s.rounds,
			    "ns_per_switch", &v, 1, NULL);
	} else if (mode == "lifecycle" && variant == "spawn_wait") {
		s.iters = bench_arg(argc, argv, "--iters", 100000);
		sg4::Actor::create("parent", h, spawn_wait, &s, h);
		e.run();
		v = (s.t1 - s.t0) / (double)s.iters;
		bench_print("lifecycle", "simgrid", "spawn_wait", factory, 1,
			    s.iters, "ns_per_op", &v, 1, NULL);
	} else if (mode == "lifecycle") {
		unsigned long long batches =
			(bench_arg(argc, argv, "--iters", 100000) + 999) / 1000;
		double t0 = 0;

		for (unsigned long long b = 0; b <= batches; b++) {
			if (b == 1)
				t0 = bench_now_ns();
			for (int i = 0; i < 1000; i++)
				sg4::Actor::create("c", h, nothing);
			e.run();
		}
		v = (bench_now_ns() - t0) / (double)(batches * 1000);
		bench_print("lifecycle", "simgrid", "host_batch", factory, 1,
			    batches * 1000, "ns_per_op", &v, 1, NULL);
	} else if (mode == "spawn_many") {
		double t0 = bench_now_ns(), t1, t2;

		for (unsigned long long i = 0; i < n; i++)
			sg4::Actor::create("s", h, [] { sg4::this_actor::sleep_for(1.0); });
		t1 = bench_now_ns();
		e.run_until(0.5);
		t2 = bench_now_ns();
		v = (t2 - t0) / 1e6;
		snprintf(extra, sizeof(extra),
			 ",\"create_ms\":{\"median\":%.2f,\"min\":%.2f,"
			 "\"max\":%.2f},\"peak_rss_mib\":{\"median\":%.1f,"
			 "\"min\":%.1f,\"max\":%.1f},\"stack_kib\":64",
			 (t1 - t0) / 1e6, (t1 - t0) / 1e6, (t1 - t0) / 1e6,
			 peak_rss_mib(), peak_rss_mib(), peak_rss_mib());
		bench_print("spawn_many", "simgrid", "sleep", factory, n, n,
			    "ms", &v, 1, extra);
		/* The sleepers would otherwise run to completion at exit. */
		std::fflush(stdout);
		std::_Exit(0);
	} else {
		std::fprintf(stderr, "simgrid: unknown --mode %s\n", mode.c_str());
		return 2;
	}
	return 0;
}
