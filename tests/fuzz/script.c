/*
 * tests/fuzz/script.c - fuzz the script program (src/programs/script.c):
 * its parser, and running what it accepts, signals included.
 *
 * The input is the script's text, given as `script TEXT` to a fresh
 * kernel.  Checked:
 *  - creating it returns 0, MOS_ECONFIG or MOS_ENOMEM, and a refusal
 *    leaves the kernel with init alone;
 *  - an accepted script runs without crashing for at most MAX_STEPS
 *    kernel steps, while the host sends it (and its children) a signal
 *    every SIGNAL_EVERY steps, round the SIGNALS list; every step returns
 *    0 or MOS_ERANGE;
 *  - a second kernel fed the same input the same way ends with the same
 *    trace hash, event count and virtual time (determinism).
 * A script may loop forever at one virtual instant (a repeat of yields):
 * the step budget, not virtual time, bounds a run.
 */
#include <stdlib.h>
#include <string.h>

#include <multios/multios.h>

#include "fuzz.h"

#define MAX_STEPS 4000
#define SIGNAL_EVERY 97
#define MAX_TEXT 65536

static const int signals[] = {
	MOS_SIGUSR1, MOS_SIGTERM, MOS_SIGSTOP, MOS_SIGCONT, MOS_SIGALRM,
	MOS_SIGCHLD, MOS_SIGTSTP, MOS_SIGUSR2, MOS_SIGINT, MOS_SIGKILL,
};

typedef struct outcome {
	int create;
	uint64_t hash, total;
	mos_time_t now;
} outcome_t;

/* Send the next signal to every live process but init. */
static void poke(mos_kernel_t *k, unsigned *next)
{
	mos_pid_t pids[64];
	size_t n = 0;
	int sig = signals[(*next)++ % (sizeof(signals) / sizeof(*signals))];

	FUZZ_CHECK(mos_process_list(k, pids, 64, &n) == 0, "list failed");
	for (size_t i = 0; i < n && i < 64; i++) {
		int rc;

		if (pids[i] == 1)
			continue;
		rc = mos_process_send_signal(k, pids[i], sig);
		FUZZ_CHECK(rc == 0, "send %d to %d: %s", sig, pids[i],
			   mos_err_name(rc));
	}
}

static outcome_t one_run(const char *text)
{
	const char *argv[] = {"script", text, NULL};
	outcome_t o = {0};
	mos_process_spec_t spec;
	mos_kernel_t *k;
	unsigned next = 0;
	size_t n = 0;

	FUZZ_CHECK(mos_kernel_create(NULL, &k, NULL) == 0, "kernel create");
	mos_process_spec_init(&spec);
	spec.command = argv;
	o.create = mos_process_create(k, &spec, NULL);
	FUZZ_CHECK(o.create == 0 || o.create == MOS_ECONFIG ||
			   o.create == MOS_ENOMEM,
		   "create returned %s", mos_err_name(o.create));
	if (o.create < 0) {
		FUZZ_CHECK(mos_process_list(k, NULL, 0, &n) == 0 && n == 1,
			   "a refused script left %zu processes", n);
	} else {
		for (int i = 0; i < MAX_STEPS; i++) {
			int did = 0, rc = mos_kernel_step(k, &did);

			FUZZ_CHECK(rc == 0 || rc == MOS_ERANGE, "step: %s",
				   mos_err_name(rc));
			if (rc < 0 || !did)
				break;
			if (i % SIGNAL_EVERY == SIGNAL_EVERY - 1)
				poke(k, &next);
		}
	}
	o.hash = mos_trace_hash(k);
	o.total = mos_trace_total(k);
	o.now = mos_kernel_now(k);
	mos_kernel_destroy(k);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	outcome_t a, b;

	if (size > MAX_TEXT)
		return 0;
	/* A command word is a C string: the text up to its first NUL. */
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	a = one_run(text);
	b = one_run(text);
	FUZZ_CHECK(a.create == b.create && a.hash == b.hash &&
			   a.total == b.total && a.now == b.now,
		   "two runs differ: hash %016llx/%016llx",
		   (unsigned long long)a.hash, (unsigned long long)b.hash);
	free(text);
	return 0;
}
