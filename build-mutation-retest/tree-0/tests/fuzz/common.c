/*
 * tests/fuzz/common.c - the harnesses' shared helpers (fuzz.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <multios/config.h>

#include "fuzz.h"

/* One memfd for the whole process: creating one per input would cost a
 * system call and a descriptor each time for nothing. */
static int input_fd = -1;
static char input_path[32];

const char *fuzz_input_path(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (input_fd < 0) {
		input_fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (input_fd < 0)
			fuzz_fail("memfd_create failed");
		snprintf(input_path, sizeof(input_path), "/proc/self/fd/%d",
			 input_fd);
	}
	if (ftruncate(input_fd, 0) != 0)
		fuzz_fail("ftruncate failed");
	while (done < size) {
		ssize_t n = pwrite(input_fd, data + done, size - done,
				   (off_t)done);
		if (n <= 0)
			fuzz_fail("pwrite failed");
		done += (size_t)n;
	}
	return input_path;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: invariant violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_check_error(const mos_error_t *err, int rc)
{
	FUZZ_CHECK(err->code == rc, "error code %d, returned %d", err->code,
		   rc);
	FUZZ_CHECK(memchr(err->message, '\0', sizeof(err->message)) &&
			   err->message[0] != '\0',
		   "error message empty or not terminated");
	FUZZ_CHECK(memchr(err->path, '\0', sizeof(err->path)) &&
			   memchr(err->text, '\0', sizeof(err->text)) &&
			   memchr(err->source, '\0', sizeof(err->source)),
		   "error field not terminated");
	FUZZ_CHECK(err->line == 0 || err->path[0] == '\0',
		   "syntax error at %d:%d with a path '%s'", err->line,
		   err->column, err->path);
}

static int terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_process(const mos_wl_process_t *p, size_t i)
{
	FUZZ_CHECK(terminated(p->name, sizeof(p->name)) && p->name[0],
		   "processes[%zu]: name empty or not terminated", i);
	FUZZ_CHECK(p->tickets >= 1 && p->tickets <= 1000000,
		   "%s: tickets %u", p->name, (unsigned)p->tickets);
	if (p->period) {
		FUZZ_CHECK(p->wcet && p->deadline && p->jobs,
			   "%s: periodic with wcet %llu deadline %llu jobs "
			   "%llu", p->name, (unsigned long long)p->wcet,
			   (unsigned long long)p->deadline,
			   (unsigned long long)p->jobs);
		FUZZ_CHECK(p->nbursts == 0, "%s: periodic with bursts",
			   p->name);
		return;
	}
	FUZZ_CHECK(!p->wcet && !p->deadline && !p->jobs,
		   "%s: periodic fields on an aperiodic process", p->name);
	FUZZ_CHECK(p->nbursts >= 1 && p->bursts, "%s: no bursts", p->name);
	for (size_t b = 0; b < p->nbursts; b++) {
		mos_wl_kind_t want = b % 2 ? MOS_WL_IO : MOS_WL_CPU;

		FUZZ_CHECK(p->bursts[b].kind == want && p->bursts[b].ticks,
			   "%s: burst %zu kind %d ticks %llu", p->name, b,
			   (int)p->bursts[b].kind,
			   (unsigned long long)p->bursts[b].ticks);
	}
}

void fuzz_check_workload(const mos_workload_t *w)
{
	mos_config_t cfg;
	mos_error_t err;

	FUZZ_CHECK(terminated(w->name, sizeof(w->name)) &&
			   terminated(w->source, sizeof(w->source)),
		   "workload name or source not terminated");
	FUZZ_CHECK(w->tick >= 1 && w->policy.tick == w->tick,
		   "tick %llu, policy tick %llu", (unsigned long long)w->tick,
		   (unsigned long long)w->policy.tick);
	FUZZ_CHECK(w->nprocs >= 1 && w->procs, "no processes");
	mos_config_default(&cfg);
	cfg.sched = w->policy;
	FUZZ_CHECK(mos_config_validate(&cfg, &err) == 0,
		   "policy does not validate: %s", err.message);
	for (size_t i = 0; i < w->nprocs; i++) {
		check_process(&w->procs[i], i);
		/* Quadratic, but inputs are a few KiB: few processes. */
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(w->procs[i].name, w->procs[j].name),
				   "processes[%zu] and [%zu] both named %s",
				   j, i, w->procs[i].name);
	}
}
