/*
 * bench/signals.c - what signals cost: ns per operation.
 *
 *   pingpong  two processes, each paused, wake each other with SIGUSR1:
 *             one round trip is kill + the other's wake-up from pause +
 *             its handler + its kill back + ours (two deliveries, four
 *             context switches in all)
 *   sigprocmask  one process blocks and unblocks SIGUSR1: ns per call
 *   blocked   one process with SIGUSR1 blocked sends it to itself and
 *             unblocks it; the handler runs at the unblock: ns per cycle
 *             (kill + sigprocmask + the delivery)
 *
 * Default configuration, trace_capacity 1.  Each figure: R runs of K
 * operations, median/min/max of the runs.
 *
 *   signals [--rounds K] [--runs R]      (K 200 000, R 5)
 *
 * Output: bench.h's JSON lines ("bench":"signals", "ns_per_op").
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64

struct shared {
	const char *variant;
	uint64_t rounds;
	mos_pid_t peer[2];  /* pingpong: the two players */
	uint64_t caught;
	double t0, t1;
};

static void on_usr1(mos_proc_t *self, int sig)
{
	struct shared *s = mos_sys_state(self);

	(void)sig;
	s->caught++;
}

/* The second player: pauses, and answers every signal with one. */
static int answerer(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, on_usr1, 0, 0, NULL);
	for (uint64_t i = 0; i < s->rounds; i++) {
		mos_sys_pause(self);
		mos_sys_kill(self, s->peer[0], MOS_SIGUSR1);
	}
	return 0;
}

static int player(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	mos_sigset_t usr1 = MOS_SIGBIT(MOS_SIGUSR1);

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, on_usr1, 0, 0, NULL);
	s->t0 = bench_now_ns();
	if (strcmp(s->variant, "pingpong") == 0) {
		for (uint64_t i = 0; i < s->rounds; i++) {
			mos_sys_kill(self, s->peer[1], MOS_SIGUSR1);
			mos_sys_pause(self);
		}
	} else if (strcmp(s->variant, "sigprocmask") == 0) {
		for (uint64_t i = 0; i < s->rounds; i += 2) {
			mos_sys_sigprocmask(self, MOS_SIG_BLOCK, usr1, NULL);
			mos_sys_sigprocmask(self, MOS_SIG_UNBLOCK, usr1, NULL);
		}
	} else {
		mos_pid_t me = mos_sys_getpid(self);

		for (uint64_t i = 0; i < s->rounds; i++) {
			mos_sys_sigprocmask(self, MOS_SIG_BLOCK, usr1, NULL);
			mos_sys_kill(self, me, MOS_SIGUSR1);
			mos_sys_sigprocmask(self, MOS_SIG_UNBLOCK, usr1, NULL);
		}
	}
	s->t1 = bench_now_ns();
	return 0;
}

static int run(const char *variant, uint64_t rounds, double *ns, char *backend,
	       size_t blen)
{
	static const char *const play[] = {"player", NULL};
	static const char *const answer[] = {"answerer", NULL};
	struct shared s = {.variant = variant, .rounds = rounds};
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_spec_t spec;
	int err;

	mos_config_default(&cfg);
	cfg.trace_capacity = 1;
	cfg.history_size = 0;
	if ((err = mos_kernel_create(&cfg, &k, NULL)) < 0)
		return err;
	if ((err = mos_program_register(k, "player", player)) < 0 ||
	    (err = mos_program_register(k, "answerer", answerer)) < 0)
		goto out;
	mos_process_spec_init(&spec);
	spec.arg = &s;
	/* The answerer first: it is paused before the first ping. */
	if (strcmp(variant, "pingpong") == 0) {
		spec.command = answer;
		if ((err = mos_process_create(k, &spec, &s.peer[1])) < 0)
			goto out;
	}
	spec.command = play;
	if ((err = mos_process_create(k, &spec, &s.peer[0])) < 0 ||
	    (err = mos_kernel_run(k, MOS_TIME_NEVER)) < 0)
		goto out;
	if (s.caught != (strcmp(variant, "sigprocmask") == 0 ? 0 :
			 strcmp(variant, "pingpong") == 0 ? 2 * rounds : rounds)) {
		fprintf(stderr, "signals: %s: %llu handler runs, expected more\n",
			variant, (unsigned long long)s.caught);
		err = MOS_EIO;
		goto out;
	}
	*ns = (s.t1 - s.t0) / (double)rounds;
	snprintf(backend, blen, "%s", mos_kernel_context_backend(k));
out:
	mos_kernel_destroy(k);
	return err;
}

int main(int argc, char **argv)
{
	static const char *const variants[] = {"pingpong", "sigprocmask",
					       "blocked"};
	uint64_t rounds = bench_arg(argc, argv, "--rounds", 200000);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);

	if (runs < 1 || runs > MAX_RUNS || rounds < 2) {
		fprintf(stderr, "signals: --runs must be 1..%d, --rounds >= 2\n",
			MAX_RUNS);
		return 2;
	}
	for (size_t i = 0; i < sizeof(variants) / sizeof(*variants); i++) {
		double v[MAX_RUNS];
		char backend[32] = "";
		int err;

		for (uint64_t r = 0; r < runs; r++) {
			if ((err = run(variants[i], rounds, &v[r], backend,
				       sizeof(backend))) < 0) {
				fprintf(stderr, "signals: %s: %s\n", variants[i],
					mos_strerror(err));
				return 1;
			}
		}
		bench_print("signals", "libmultios", variants[i], backend,
			    strcmp(variants[i], "pingpong") == 0 ? 2 : 1, rounds,
			    "ns_per_op", v, (int)runs, NULL);
	}
	return 0;
}
