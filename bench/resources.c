/*
 * bench/resources.c - what the resources subsystem costs: ns per
 * operation, and the yield and lifecycle paths with accounting on and off
 * in one run.
 *
 *   alloc_free   one process: mos_sys_alloc 64 bytes + mos_sys_free, ns
 *                per pair (no host backing; resources.memory_backing off)
 *   open_close   one process: mos_sys_open of "/f" + mos_sys_close, ns
 *                per pair (a path of one name, lookup included)
 *   read_4k      one process: mos_sys_read of 4 KiB through the device
 *                model, ns per read (host time: the request, its
 *                completion timer, the block and the wake-up; the virtual
 *                time of each read is latency + 4096 / bandwidth)
 *   yield        N processes yielding (bench/yield.c's loop), ns per
 *                switch, accounting "on" (the defaults) and "off"
 *                (enable_process_accounting false), N = 2 and 1 000
 *   spawn_wait   a parent spawns and waits for a child that returns at
 *                once (bench/lifecycle.c's loop), ns per child, on and off
 *
 * The on and off samples of one figure alternate run by run, so drift on
 * the machine spreads over both alike.  Default configuration otherwise,
 * history_size 0 and trace_capacity 1.
 *
 *   resources [--variant NAME] [--iters K] [--runs R]   (R 5)
 *
 * Output: bench.h's JSON lines ("bench":"resources", "ns_per_op"), with
 * "accounting":"on"|"off" where it applies.  Exit 1 when a kernel cannot
 * be made or a call fails.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64
#define WARMUP 1000

struct shared {
	const char *variant;
	uint64_t iters;
	mos_pid_t first;        /* yield: the process that reads the clock */
	double t0, t1;
	int err;
};

static void failed(struct shared *s, int err)
{
	if (err < 0 && !s->err)
		s->err = err;
}

/* One loop of a single-process variant; returns a MOS_E* code or 0. */
static int op_loop(mos_proc_t *self, struct shared *s, uint64_t n)
{
	int err = 0;

	if (strcmp(s->variant, "alloc_free") == 0) {
		for (uint64_t i = 0; i < n && err >= 0; i++) {
			mos_mem_handle_t h;

			if ((err = mos_sys_alloc(self, 64, &h)) >= 0)
				err = mos_sys_free(self, h);
		}
	} else if (strcmp(s->variant, "open_close") == 0) {
		for (uint64_t i = 0; i < n && err >= 0; i++) {
			int fd;

			if ((err = mos_sys_open(self, "/f", MOS_O_READ, &fd)) >= 0)
				err = mos_sys_close(self, fd);
		}
	} else { /* read_4k: the file is big enough never to reach its end */
		int fd;

		if ((err = mos_sys_open(self, "/f", MOS_O_READ, &fd)) < 0)
			return err;
		for (uint64_t i = 0; i < n && err >= 0; i++)
			err = mos_sys_read(self, fd, 4096, NULL);
		mos_sys_close(self, fd);
	}
	return err < 0 ? err : 0;
}

static int single(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);

	(void)argc;
	(void)argv;
	failed(s, op_loop(self, s, WARMUP));
	s->t0 = bench_now_ns();
	failed(s, op_loop(self, s, s->iters));
	s->t1 = bench_now_ns();
	return 0;
}

static int yielder(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	bool timer = mos_sys_getpid(self) == s->first;

	(void)argc;
	(void)argv;
	mos_sys_yield(self);
	if (timer)
		s->t0 = bench_now_ns();
	for (uint64_t i = 0; i < s->iters; i++)
		mos_sys_yield(self);
	if (timer)
		s->t1 = bench_now_ns();
	return 0;
}

static int nop(mos_proc_t *self, int argc, char **argv)
{
	(void)self;
	(void)argc;
	(void)argv;
	return 0;
}

static int spawner(mos_proc_t *self, int argc, char **argv)
{
	static const char *const child[] = {"nop", NULL};
	struct shared *s = mos_sys_state(self);
	mos_pid_t pid;
	int status;

	(void)argc;
	(void)argv;
	for (uint64_t i = 0; i < WARMUP + s->iters; i++) {
		int err;

		if (i == WARMUP)
			s->t0 = bench_now_ns();
		if ((err = mos_sys_spawn(self, child, &pid)) < 0 ||
		    (err = mos_sys_wait(self, &status)) < 0) {
			failed(s, err);
			return 1;
		}
	}
	s->t1 = bench_now_ns();
	return 0;
}

/* One run of variant with n processes; *ns per operation. */
static int run(const char *variant, uint32_t n, uint64_t iters, bool account,
	       double *ns, char *backend)
{
	const char *cmd[] = {NULL, NULL};
	struct shared s = {.variant = variant, .iters = iters};
	bool yield = strcmp(variant, "yield") == 0;
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_spec_t spec;
	mos_pid_t pid;
	int err;

	mos_config_default(&cfg);
	if (cfg.max_processes < n + 2)
		cfg.max_processes = n + 2;
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	cfg.enable_process_accounting = account;
	if ((err = mos_kernel_create(&cfg, &k, NULL)) < 0)
		return err;
	if ((err = mos_program_register(k, "single", single)) < 0 ||
	    (err = mos_program_register(k, "yielder", yielder)) < 0 ||
	    (err = mos_program_register(k, "spawner", spawner)) < 0 ||
	    (err = mos_program_register(k, "nop", nop)) < 0 ||
	    (err = mos_fs_create(k, "/f", UINT64_MAX / 2)) < 0)
		goto out;
	cmd[0] = yield ? "yielder"
		 : strcmp(variant, "spawn_wait") == 0 ? "spawner" : "single";
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
	if ((err = s.err) < 0)
		goto out;
	*ns = (s.t1 - s.t0) / ((double)iters * (yield ? n : 1));
	snprintf(backend, MOS_BACKEND_NAME_LEN, "%s", mos_kernel_context_backend(k));
out:
	mos_kernel_destroy(k);
	return err;
}

/*
 * One figure: runs samples of variant, with accounting on and, when
 * both is set, off as well, alternating.
 */
static int figure(const char *variant, uint32_t n, uint64_t iters, int runs,
		  bool both)
{
	double v[2][MAX_RUNS];
	char backend[MOS_BACKEND_NAME_LEN] = "";
	int err;

	for (int i = 0; i < runs; i++)
		for (int off = 0; off <= (both ? 1 : 0); off++)
			if ((err = run(variant, n, iters, !off, &v[off][i],
				       backend)) < 0) {
				fprintf(stderr, "resources: %s n=%u: %s\n",
					variant, n, mos_strerror(err));
				return 1;
			}
	for (int off = 0; off <= (both ? 1 : 0); off++)
		bench_print("resources", "libmultios", variant, backend, n,
			    iters, "ns_per_op", v[off], runs,
			    !both ? NULL
			    : off ? ",\"accounting\":\"off\""
				  : ",\"accounting\":\"on\"");
	return 0;
}

static const struct {
	const char *variant;
	uint32_t n;
	uint64_t iters;
	bool both;
} figures[] = {
	{"alloc_free", 1, 1000000, false},
	{"open_close", 1, 1000000, false},
	{"read_4k", 1, 200000, false},
	{"yield", 2, 1000000, true},
	{"yield", 1000, 2000, true},
	{"spawn_wait", 1, 200000, true},
};

int main(int argc, char **argv)
{
	const char *variant = bench_sarg(argc, argv, "--variant", NULL);
	uint64_t iters = bench_arg(argc, argv, "--iters", 0);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);
	bool found = false;
	int rc = 0;

	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "resources: --runs must be 1..%d\n", MAX_RUNS);
		return 2;
	}
	for (size_t i = 0; i < sizeof(figures) / sizeof(*figures); i++) {
		if (variant && strcmp(variant, figures[i].variant) != 0)
			continue;
		found = true;
		rc |= figure(figures[i].variant, figures[i].n,
			     iters ? iters : figures[i].iters, (int)runs,
			     figures[i].both);
	}
	if (!found) {
		fprintf(stderr, "resources: --variant alloc_free|open_close|"
				"read_4k|yield|spawn_wait\n");
		return 2;
	}
	return rc;
}
