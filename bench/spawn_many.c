/*
 * bench/spawn_many.c - 65 536 concurrent sleeping processes: how long it
 * takes to get them all there, and the memory they hold.
 *
 * The host creates N processes (mos_process_create) running a program
 * that sleeps one virtual second, then runs the kernel for one virtual
 * nanosecond: each process is dispatched once, arms its timer and blocks,
 * so at the end all N are Blocked in sleep with their stack touched and a
 * timer in the heap.  Reported, in wall milliseconds:
 *
 *   create_ms  the N mos_process_create calls alone
 *   ms         create + the run that puts every process to sleep (the
 *              figure the target applies to)
 *
 * and the peak resident set of this process (getrusage ru_maxrss) before
 * the kernel was made and at the end, in MiB, with the minor page faults
 * taken while creating and while running (first touches of fresh memory:
 * on a virtual machine each can cost microseconds).  Each run is a fresh process
 * (bench/run.sh starts one per sample) so the peak belongs to that run;
 * the standalone mode forks one child per run for the same reason.
 *
 * Configuration: the defaults (64 KiB host stacks, no guard pages) with
 * max_processes N + 1 (init), history_size 0, trace_capacity 1.
 *
 *   spawn_many                   N = 65 536, 5 runs, each in a fresh child
 *   spawn_many --n N --runs 1    one run in this process
 *
 * Output: bench.h's JSON lines.  Exit 1 when the processes cannot be made.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64

struct sample {
	double create_ms, ms, rss_base_mib, rss_peak_mib;
	long faults_create, faults_run; /* minor page faults */
	uint32_t sleeping;
	char backend[MOS_BACKEND_NAME_LEN];
};

static int sleeper(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sleep(self, MOS_SEC);
	return 0;
}

static double peak_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static int run(uint32_t n, struct sample *s)
{
	static const char *const cmd[] = {"sleeper", NULL};
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_spec_t spec;
	mos_kernel_stats_t st;
	mos_pid_t pid;
	double t0, t1, t2;
	long f0, f1;
	int err;

	s->rss_base_mib = peak_rss_mib();
	mos_config_default(&cfg);
	if (cfg.max_processes < n + 1)
		cfg.max_processes = n + 1;
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	f0 = minor_faults();
	t0 = bench_now_ns();
	if ((err = mos_kernel_create(&cfg, &k, NULL)) < 0)
		return err;
	if ((err = mos_program_register(k, "sleeper", sleeper)) < 0)
		goto out;
	mos_process_spec_init(&spec);
	spec.command = cmd;
	for (uint32_t i = 0; i < n; i++)
		if ((err = mos_process_create(k, &spec, &pid)) < 0)
			goto out;
	t1 = bench_now_ns();
	f1 = minor_faults();
	if ((err = mos_kernel_run(k, 1)) < 0)
		goto out;
	t2 = bench_now_ns();
	s->faults_create = f1 - f0;
	s->faults_run = minor_faults() - f1;
	mos_kernel_stats(k, &st);
	s->create_ms = (t1 - t0) / 1e6;
	s->ms = (t2 - t0) / 1e6;
	s->rss_peak_mib = peak_rss_mib();
	/* live_processes counts init; all others must be asleep. */
	s->sleeping = st.live_processes - 1;
	snprintf(s->backend, sizeof(s->backend), "%s", mos_kernel_context_backend(k));
out:
	mos_kernel_destroy(k);
	return err;
}

static void print(uint32_t n, struct sample *s, int runs)
{
	double ms[MAX_RUNS], rss[MAX_RUNS], cr[MAX_RUNS], base = 0;
	char extra[400];

	for (int i = 0; i < runs; i++) {
		ms[i] = s[i].ms;
		rss[i] = s[i].rss_peak_mib;
		cr[i] = s[i].create_ms;
		base += s[i].rss_base_mib / runs;
	}
	qsort(cr, (size_t)runs, sizeof(*cr), bench_cmp_double);
	qsort(rss, (size_t)runs, sizeof(*rss), bench_cmp_double);
	snprintf(extra, sizeof(extra),
		 ",\"create_ms\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
		 "\"peak_rss_mib\":{\"median\":%.1f,\"min\":%.1f,\"max\":%.1f},"
		 "\"base_rss_mib\":%.1f,\"sleeping\":%u,\"stack_kib\":64,"
		 "\"faults_create\":%ld,\"faults_run\":%ld",
		 cr[runs / 2], cr[0], cr[runs - 1], rss[runs / 2], rss[0],
		 rss[runs - 1], base, s[0].sleeping, s[0].faults_create,
		 s[0].faults_run);
	bench_print("spawn_many", "libmultios", "sleep", s[0].backend, n, n,
		    "ms", ms, runs, extra);
}

/* Standalone: each run in a fresh child, which sends its sample back. */
static int fork_run(uint32_t n, struct sample *s)
{
	int fd[2], status;
	pid_t child;
	ssize_t got;

	if (pipe(fd) < 0 || (child = fork()) < 0)
		return -1;
	if (child == 0) {
		int err = run(n, s);

		close(fd[0]);
		if (!err && write(fd[1], s, sizeof(*s)) != (ssize_t)sizeof(*s))
			err = 1;
		_exit(err ? 1 : 0);
	}
	close(fd[1]);
	got = read(fd[0], s, sizeof(*s));
	close(fd[0]);
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof(*s))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t n = bench_arg(argc, argv, "--n", 65536);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);
	struct sample s[MAX_RUNS] = {{0}};
	int err;

	if (n < 1 || n > 1048575 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "spawn_many: --n 1..1048575, --runs 1..%d\n",
			MAX_RUNS);
		return 2;
	}
	if (runs == 1) {
		if ((err = run((uint32_t)n, &s[0])) < 0) {
			fprintf(stderr, "spawn_many: %s\n", mos_strerror(err));
			return 1;
		}
	} else {
		for (uint64_t i = 0; i < runs; i++)
			if (fork_run((uint32_t)n, &s[i]) < 0) {
				fprintf(stderr, "spawn_many: a run failed\n");
				return 1;
			}
	}
	print((uint32_t)n, s, (int)runs);
	return 0;
}
