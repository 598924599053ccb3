/*
 * bench/yield.c - nanoseconds per process-to-process switch.
 *
 * N processes each loop on mos_sys_yield under the default policy (round
 * robin within one priority level; yields cost no virtual time, so nothing
 * is preempted).  Every process yields once to warm up, so all coroutines
 * have started; then the first process reads the wall clock, all do K more
 * yields, and the first reads the clock again right after its K-th yield
 * returns.  In between exactly N*K processes were resumed: ns per switch is
 * that wall time / (N*K).  One switch is one host coroutine switch (the
 * yield switches straight to the next process, see docs/ARCHITECTURE.md)
 * plus the kernel's bookkeeping; the run's host_switches counter is
 * printed to check that.
 *
 * Configuration: the defaults, except max_processes (N plus init),
 * history_size 0 and trace_capacity 1 (the smallest allowed); host stacks
 * are the default 64 KiB.  The context backend is the default one ("auto":
 * MOS_CTX when set) and is reported as the kernel resolved it.
 *
 *   yield                      every N of the suite, 5 runs each
 *   yield --n N --rounds K [--runs R]
 *
 * Output: bench.h's JSON lines.  Exit 1 only when a kernel cannot be made.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64

struct shared {
	mos_pid_t first;   /* the process that reads the clock */
	uint64_t rounds;
	double t0, t1;
};

static int yielder(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	bool timer = mos_sys_getpid(self) == s->first;

	(void)argc;
	(void)argv;
	mos_sys_yield(self);
	if (timer)
		s->t0 = bench_now_ns();
	for (uint64_t i = 0; i < s->rounds; i++)
		mos_sys_yield(self);
	if (timer)
		s->t1 = bench_now_ns();
	return 0;
}

struct sample {
	double ns;
	uint64_t host_switches;
	uint64_t syscalls;
	char backend[MOS_BACKEND_NAME_LEN];
};

/* One run; returns 0 or a MOS_E* code. */
static int run(uint32_t n, uint64_t rounds, struct sample *out)
{
	static const char *const cmd[] = {"yielder", NULL};
	struct shared s = {.rounds = rounds};
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_spec_t spec;
	mos_kernel_stats_t st;
	mos_pid_t pid;
	int err;

	mos_config_default(&cfg);
	if (cfg.max_processes < n + 1)
		cfg.max_processes = n + 1;
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	if ((err = mos_kernel_create(&cfg, &k, NULL)) < 0)
		return err;
	if ((err = mos_program_register(k, "yielder", yielder)) < 0)
		goto out;
	mos_process_spec_init(&spec);
	spec.command = cmd;
	spec.arg = &s;
	for (uint32_t i = 0; i < n; i++) {
		if ((err = mos_process_create(k, &spec, &pid)) < 0)
			goto out;
		if (i == 0)
			s.first = pid;
	}
	if ((err = mos_kernel_run(k, MOS_TIME_NEVER)) < 0)
		goto out;
	mos_kernel_stats(k, &st);
	out->ns = (s.t1 - s.t0) / ((double)n * (double)rounds);
	out->host_switches = st.host_switches;
	out->syscalls = st.syscalls;
	snprintf(out->backend, sizeof(out->backend), "%s", mos_kernel_context_backend(k));
out:
	mos_kernel_destroy(k);
	return err;
}

static int figure(uint32_t n, uint64_t rounds, int runs)
{
	double v[MAX_RUNS];
	struct sample s = {0};
	char extra[160];
	int err;

	for (int i = 0; i < runs; i++) {
		if ((err = run(n, rounds, &s)) < 0) {
			fprintf(stderr, "yield: n=%u: %s\n", n, mos_strerror(err));
			return 1;
		}
		v[i] = s.ns;
	}
	snprintf(extra, sizeof(extra),
		 ",\"switches\":%llu,\"host_switches\":%llu,\"mos_syscalls\":%llu",
		 (unsigned long long)n * rounds,
		 (unsigned long long)s.host_switches,
		 (unsigned long long)s.syscalls);
	bench_print("yield", "libmultios", "yield", s.backend, n, rounds,
		    "ns_per_switch", v, runs, extra);
	return 0;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = {2, 1000, 10000, 65536};
	uint64_t n = bench_arg(argc, argv, "--n", 0);
	uint64_t rounds = bench_arg(argc, argv, "--rounds", 0);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);
	int rc = 0;

	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "yield: --runs must be 1..%d\n", MAX_RUNS);
		return 2;
	}
	if (n) {
		if (n < 2 || n > 1048575 || rounds < 1) {
			fprintf(stderr, "yield: --n 2..1048575 and --rounds >= 1\n");
			return 2;
		}
		return figure((uint32_t)n, rounds, (int)runs);
	}
	/* Standalone: about 2 million switches per run at every size. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		uint64_t r = rounds ? rounds : 2000000 / sizes[i];

		rc |= figure(sizes[i], r ? r : 1, (int)runs);
	}
	return rc;
}
