/*
 * bench/ipc.c - nanoseconds per message over mailboxes, against a yield.
 *
 * Ping-pong: two processes, A and B.  A sends a message to B and receives
 * B's answer; B receives and sends one back; K round trips.  Each round
 * trip is two messages, each a send and a recv, and two process switches
 * (a recv on an empty mailbox blocks; the send wakes it).  The figure is
 * the wall time between A's clock reads / (2 K): ns per send + recv,
 * switch included.  Both warm up first (one round trip, which makes their
 * mailboxes: the measured part must not allocate, and the allocator
 * counts it: "allocs" in the line must be 0).
 *
 * The yield ring (bench/yield.c's, n = 2) is measured in the same process
 * right after, with the same configuration, and the line reports the
 * ratio ping-pong / yield (issue 13 asks for at most 3).
 *
 * Configuration: the defaults, history_size 0, trace_capacity 1, a 32
 * byte payload.  The context backend is the default one.
 *
 *   ipc [--rounds K] [--runs R]       K 1 000 000, R 5
 *
 * Output: bench.h's JSON lines ("ipc" pingpong, "ipc" yield).  Exit 1 when
 * a kernel cannot be made.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64

struct shared {
	mos_pid_t a, b;
	uint64_t rounds;
	uint64_t allocs;          /* the counting allocator's */
	uint64_t allocs_at_t0, allocs_at_t1;
	double t0, t1;
	int err;
};

static void *count_malloc(void *ud, size_t n)
{
	((struct shared *)ud)->allocs++;
	return malloc(n);
}

static void *count_realloc(void *ud, void *p, size_t n)
{
	((struct shared *)ud)->allocs++;
	return realloc(p, n);
}

static void count_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static int pinger(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	mos_msg_t m = {.type = MOS_MSG_USER, .len = 32}, in;
	int err = 0;

	(void)argc;
	(void)argv;
	err |= mos_sys_send(self, s->b, &m);
	err |= mos_sys_recv(self, &in, MOS_TIME_NEVER);
	s->allocs_at_t0 = s->allocs;
	s->t0 = bench_now_ns();
	for (uint64_t i = 0; i < s->rounds; i++) {
		err |= mos_sys_send(self, s->b, &m);
		err |= mos_sys_recv(self, &in, MOS_TIME_NEVER);
	}
	s->t1 = bench_now_ns();
	s->allocs_at_t1 = s->allocs;
	s->err |= err;
	return 0;
}

static int ponger(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	mos_msg_t in;
	int err = 0;

	(void)argc;
	(void)argv;
	for (uint64_t i = 0; i <= s->rounds; i++) {
		err |= mos_sys_recv(self, &in, MOS_TIME_NEVER);
		err |= mos_sys_send(self, s->a, &in);
	}
	s->err |= err;
	return 0;
}

static int yielder(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	bool timer = mos_sys_getpid(self) == s->a;

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
	double pingpong, yield;
	uint64_t allocs;
	char backend[MOS_BACKEND_NAME_LEN];
};

static int make(struct shared *s, mos_kernel_t **k)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	cfg.alloc = (mos_allocator_t){count_malloc, count_realloc, count_free,
				      s};
	return mos_kernel_create(&cfg, k, NULL);
}

static int spawn(mos_kernel_t *k, const char *prog, void *arg, mos_pid_t *pid)
{
	const char *cmd[] = {prog, NULL};
	mos_process_spec_t spec;

	mos_process_spec_init(&spec);
	spec.command = cmd;
	spec.arg = arg;
	return mos_process_create(k, &spec, pid);
}

/* Two processes running a and b; ns per round of `rounds` * per. */
static int measure(const char *a, const char *b, uint64_t rounds,
		   double per, double *ns, struct sample *out)
{
	struct shared s = {.rounds = rounds};
	mos_kernel_t *k;
	int err;

	if ((err = make(&s, &k)) < 0)
		return err;
	if ((err = mos_program_register(k, "a", a[0] == 'p' ? pinger
								 : yielder)) < 0 ||
	    (err = mos_program_register(k, "b", b[0] == 'p' ? ponger
								 : yielder)) < 0 ||
	    (err = spawn(k, "a", &s, &s.a)) < 0 ||
	    (err = spawn(k, "b", &s, &s.b)) < 0 ||
	    (err = mos_kernel_run(k, MOS_TIME_NEVER)) < 0)
		goto out;
	err = s.err ? MOS_EINVAL : 0;
	*ns = (s.t1 - s.t0) / ((double)rounds * per);
	if (a[0] == 'p')
		out->allocs = s.allocs_at_t1 - s.allocs_at_t0;
	snprintf(out->backend, sizeof(out->backend), "%s",
		 mos_kernel_context_backend(k));
out:
	mos_kernel_destroy(k);
	return err;
}

int main(int argc, char **argv)
{
	uint64_t rounds = bench_arg(argc, argv, "--rounds", 1000000);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);
	double pp[MAX_RUNS], y[MAX_RUNS], ratio[MAX_RUNS];
	struct sample s = {0};
	uint64_t allocs = 0;
	char extra[160];
	int err;

	if (runs < 1 || runs > MAX_RUNS || rounds < 1) {
		fprintf(stderr, "ipc: --runs 1..%d, --rounds >= 1\n", MAX_RUNS);
		return 2;
	}
	for (uint64_t i = 0; i < runs; i++) {
		/* A round trip is two messages; a yield round, two switches. */
		if ((err = measure("pinger", "ponger", rounds, 2, &pp[i], &s)) < 0 ||
		    (err = measure("yielder", "yielder", rounds, 2, &y[i], &s)) < 0) {
			fprintf(stderr, "ipc: %s\n", mos_strerror(err));
			return 1;
		}
		ratio[i] = pp[i] / y[i];
		allocs += s.allocs;
	}
	/* The ratio's own sorted figures (bench_print sorts only v). */
	qsort(ratio, (size_t)runs, sizeof(*ratio), bench_cmp_double);
	snprintf(extra, sizeof(extra), ",\"allocs\":%llu,\"ratio_to_yield\""
		 ":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f}",
		 (unsigned long long)allocs, ratio[runs / 2], ratio[0],
		 ratio[runs - 1]);
	bench_print("ipc", "libmultios", "pingpong", s.backend, 2, rounds,
		    "ns_per_message", pp, (int)runs, extra);
	bench_print("ipc", "libmultios", "yield", s.backend, 2, rounds,
		    "ns_per_switch", y, (int)runs, NULL);
	return 0;
}
