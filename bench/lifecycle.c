/*
 * bench/lifecycle.c - nanoseconds per process life: create, first run,
 * exit, reap, in steady state.
 *
 * Two ways a process is born, both measured:
 *
 *   spawn_wait  one parent program loops { mos_sys_spawn a child that
 *               returns at once; mos_sys_wait for it }.  The clock is read
 *               inside the parent after a warm-up of 1 000 children (so
 *               the stack pool and the allocator are warm), then around
 *               ITERS more.  Per child: a control block and a stack from
 *               the pool, two coroutine round trips, death, reaping.
 *   host_batch  the host creates BATCH processes with mos_process_create,
 *               runs the kernel until they are all gone (init reaps each
 *               as it dies), and again; the first batch is a warm-up.
 *
 * Configuration: the defaults (64 KiB host stacks), history_size 0 and
 * trace_capacity 1, so a reaped control block is freed at once instead of
 * being kept.  The context backend is the default and is reported.
 *
 *   lifecycle                               both variants, 5 runs each
 *   lifecycle --variant spawn_wait|host_batch --iters N [--runs R]
 *
 * Output: bench.h's JSON lines.  Exit 1 only when a kernel cannot run.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64
#define WARMUP 1000
#define BATCH 1000

static const char *const child_cmd[] = {"nop", NULL};

static int nop(mos_proc_t *self, int argc, char **argv)
{
	(void)self;
	(void)argc;
	(void)argv;
	return 0;
}

struct shared {
	unsigned long long iters;
	double t0, t1;
	int err;
};

static int spawn_one(mos_proc_t *self, struct shared *s)
{
	mos_pid_t pid;
	int err, status;

	if ((err = mos_sys_spawn(self, child_cmd, &pid)) < 0 ||
	    (err = mos_sys_wait(self, &status)) < 0)
		s->err = err;
	return err;
}

static int parent(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);

	(void)argc;
	(void)argv;
	for (int i = 0; i < WARMUP; i++)
		if (spawn_one(self, s) < 0)
			return 1;
	s->t0 = bench_now_ns();
	for (unsigned long long i = 0; i < s->iters; i++)
		if (spawn_one(self, s) < 0)
			return 1;
	s->t1 = bench_now_ns();
	return 0;
}

static int make_kernel(mos_kernel_t **k)
{
	mos_config_t cfg;
	int err;

	mos_config_default(&cfg);
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	if ((err = mos_kernel_create(&cfg, k, NULL)) < 0)
		return err;
	if ((err = mos_program_register(*k, "nop", nop)) < 0 ||
	    (err = mos_program_register(*k, "parent", parent)) < 0) {
		mos_kernel_destroy(*k);
		return err;
	}
	return 0;
}

/* One run of spawn_wait: ns per child, or a MOS_E* code in *err. */
static double spawn_wait(unsigned long long iters, char *backend, int *err)
{
	static const char *const cmd[] = {"parent", NULL};
	struct shared s = {.iters = iters};
	mos_process_spec_t spec;
	mos_kernel_t *k;
	mos_pid_t pid;

	if ((*err = make_kernel(&k)) < 0)
		return 0;
	snprintf(backend, MOS_BACKEND_NAME_LEN, "%s", mos_kernel_context_backend(k));
	mos_process_spec_init(&spec);
	spec.command = cmd;
	spec.arg = &s;
	if ((*err = mos_process_create(k, &spec, &pid)) == 0 &&
	    (*err = mos_kernel_run(k, MOS_TIME_NEVER)) == 0)
		*err = s.err;
	mos_kernel_destroy(k);
	return (s.t1 - s.t0) / (double)iters;
}

static int batch(mos_kernel_t *k)
{
	mos_process_spec_t spec;
	mos_pid_t pid;
	int err;

	mos_process_spec_init(&spec);
	spec.command = child_cmd;
	for (int i = 0; i < BATCH; i++)
		if ((err = mos_process_create(k, &spec, &pid)) < 0)
			return err;
	return mos_kernel_run(k, MOS_TIME_NEVER);
}

/* One run of host_batch; iters is a multiple of BATCH. */
static double host_batch(unsigned long long iters, char *backend, int *err)
{
	unsigned long long batches = iters / BATCH;
	mos_kernel_t *k;
	double t0 = 0, t1 = 0;

	if ((*err = make_kernel(&k)) < 0)
		return 0;
	snprintf(backend, MOS_BACKEND_NAME_LEN, "%s", mos_kernel_context_backend(k));
	if ((*err = batch(k)) < 0)
		goto out;
	t0 = bench_now_ns();
	for (unsigned long long b = 0; b < batches; b++)
		if ((*err = batch(k)) < 0)
			goto out;
	t1 = bench_now_ns();
out:
	mos_kernel_destroy(k);
	return *err ? 0 : (t1 - t0) / (double)(batches * BATCH);
}

static int figure(const char *variant, unsigned long long iters, int runs)
{
	double v[MAX_RUNS];
	char backend[MOS_BACKEND_NAME_LEN] = "";
	int err = 0;

	if (strcmp(variant, "host_batch") == 0)
		iters = (iters + BATCH - 1) / BATCH * BATCH;
	for (int i = 0; i < runs && !err; i++)
		v[i] = strcmp(variant, "spawn_wait") == 0
			       ? spawn_wait(iters, backend, &err)
			       : host_batch(iters, backend, &err);
	if (err) {
		fprintf(stderr, "lifecycle: %s: %s\n", variant, mos_strerror(err));
		return 1;
	}
	bench_print("lifecycle", "libmultios", variant, backend, 1, iters,
		    "ns_per_op", v, runs, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *variant = bench_sarg(argc, argv, "--variant", NULL);
	unsigned long long iters = bench_arg(argc, argv, "--iters", 200000);
	unsigned long long runs = bench_arg(argc, argv, "--runs", 5);

	if (runs < 1 || runs > MAX_RUNS || iters < 1) {
		fprintf(stderr, "lifecycle: --runs 1..%d, --iters >= 1\n",
			MAX_RUNS);
		return 2;
	}
	if (variant && strcmp(variant, "spawn_wait") != 0 &&
	    strcmp(variant, "host_batch") != 0) {
		fprintf(stderr, "lifecycle: --variant spawn_wait|host_batch\n");
		return 2;
	}
	if (variant)
		return figure(variant, iters, (int)runs);
	return figure("spawn_wait", iters, (int)runs) |
	       figure("host_batch", iters, (int)runs);
}
