/*
 * tests/fuzz/scenario.c - fuzz mos_scenario_load and
 * mos_scenario_load_string (multios/scenario.h), and a short bounded run
 * of what loads.
 *
 * The input is one scenario file.  Checked:
 *  - a failure returns a documented code with a well-formed mos_error_t
 *    naming the file and leaves *out NULL (the sanitizers see any leak);
 *  - a success runs for at most 10 ms of virtual time, and twice with the
 *    same seed gives the same JSON, byte for byte;
 *  - the result keeps its invariants (check_result): the timeline's
 *    times are non-decreasing and within [0, end]; the processes are in
 *    strictly increasing pid order, init left out, each created in
 *    [0, end] and, once dead, with an end time in [start, run's end]
 *    (alive: no end time); every process the kernel created is listed
 *    but those reaped ones the bounded history let go; CPU busy <= the
 *    run's end and busy + idle = end (utilization <= 100%); each
 *    process's CPU <= its lifetime and their sum <= busy; a service's
 *    live, ready and in-rotation instances are nested and within its
 *    slots, its failures within its counts, its latency percentiles
 *    ordered, and the restarts of all services (each starts at least
 *    one process) within the processes created;
 *  - the run's drawn faults have ordinals 0, 1, ... in time order, all
 *    kept; a run with every fault left out (fault_mask 0) draws the same
 *    faults, none kept;
 *  - the scenario's invariants (mos_scenario_check, every check) give a
 *    verdict without error, the same for both runs (it joins the JSON
 *    that is compared).
 * Every input is first given to the string loader, which reads no file
 * (it refuses service files): it fails as the file loader may, never
 * with MOS_EIO.  Inputs holding a '/' are then skipped: a service file
 * named by an absolute or climbing path would read the host's files
 * (/dev/zero has no end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <multios/multios.h>
#include <multios/scenario.h>

#include "fuzz.h"

static int documented(int rc)
{
	switch (rc) {
	case MOS_ECONFIG: case MOS_ENOMEM: case MOS_EINVAL: case MOS_EDEPEND:
	case MOS_ECYCLE: case MOS_ENOPROG: case MOS_ESVCEXISTS: case MOS_EPERM:
	case MOS_EINVALPRIO: case MOS_EEXHAUSTED: case MOS_EIO:
	case MOS_EPROCEXISTS:
		return 1;
	default:
		return 0;
	}
}

static int dead(mos_proc_state_t st)
{
	return st == MOS_STATE_TERMINATED || st == MOS_STATE_ZOMBIE ||
	       st == MOS_STATE_DEFUNCT;
}

static void check_procs(const mos_scenario_result_t *r)
{
	mos_time_t cpu_sum = 0;
	uint64_t created = r->stats.processes_created;

	for (size_t i = 0; i < r->nprocs; i++) {
		const mos_scenario_proc_report_t *p = &r->procs[i];
		mos_time_t last = p->end == MOS_TIME_NEVER ? r->end : p->end;

		FUZZ_CHECK(p->pid > 1 && (i == 0 || p->pid > r->procs[i - 1].pid),
			   "procs[%zu]: pid %d out of order", i, (int)p->pid);
		FUZZ_CHECK(p->start <= r->end, "pid %d created at %llu, after "
			   "the end %llu", (int)p->pid,
			   (unsigned long long)p->start,
			   (unsigned long long)r->end);
		FUZZ_CHECK(dead(p->state) == (p->end != MOS_TIME_NEVER),
			   "pid %d: state %s, end %llu", (int)p->pid,
			   mos_state_name(p->state),
			   (unsigned long long)p->end);
		FUZZ_CHECK(p->start <= last && last <= r->end,
			   "pid %d: lifetime [%llu, %llu], run's end %llu",
			   (int)p->pid, (unsigned long long)p->start,
			   (unsigned long long)last,
			   (unsigned long long)r->end);
		FUZZ_CHECK(p->cpu <= last - p->start, "pid %d: cpu %llu in a "
			   "lifetime of %llu", (int)p->pid,
			   (unsigned long long)p->cpu,
			   (unsigned long long)(last - p->start));
		cpu_sum += p->cpu;
	}
	FUZZ_CHECK(cpu_sum <= r->stats.busy, "processes' cpu %llu > busy %llu",
		   (unsigned long long)cpu_sum,
		   (unsigned long long)r->stats.busy);
	/* init is created but never listed; the processes missing beyond it
	 * are the reaped ones the history forgot. */
	FUZZ_CHECK(created >= 1 && r->nprocs <= created - 1 &&
			   created - 1 - r->nprocs <= r->stats.processes_reaped,
		   "%zu processes listed of %llu created, %llu reaped",
		   r->nprocs, (unsigned long long)created,
		   (unsigned long long)r->stats.processes_reaped);
}

static void check_services(const mos_scenario_result_t *r)
{
	uint64_t restarts = 0;

	for (size_t i = 0; i < r->nservices; i++) {
		const mos_scenario_service_report_t *s = &r->services[i];

		FUZZ_CHECK(s->instances <= MOS_SVC_MAX_INSTANCES &&
				   s->live <= s->instances &&
				   s->ready <= s->live &&
				   s->in_rotation <= s->ready,
			   "service %s: slots %u live %u ready %u rotation %u",
			   s->name, s->instances, s->live, s->ready,
			   s->in_rotation);
		FUZZ_CHECK(s->health_failures <= s->health_checks &&
				   s->calls_failed <= s->calls,
			   "service %s: failures over counts", s->name);
		FUZZ_CHECK(s->latency_p50 <= s->latency_p90 &&
				   s->latency_p90 <= s->latency_p99 &&
				   s->latency_p99 <= s->latency_max &&
				   s->latency_max <= r->end,
			   "service %s: latencies out of order", s->name);
		restarts += s->restarts;
	}
	FUZZ_CHECK(restarts <= r->stats.processes_created,
		   "%llu restarts, %llu processes created",
		   (unsigned long long)restarts,
		   (unsigned long long)r->stats.processes_created);
}

/* What every result must be, whatever the scenario. */
static void check_result(const mos_scenario_result_t *r)
{
	for (size_t i = 0; i < r->nevents; i++)
		FUZZ_CHECK(r->events[i].time <= r->end &&
				   (i == 0 ||
				    r->events[i - 1].time <= r->events[i].time),
			   "timeline[%zu] at %llu (before: %llu, end %llu)", i,
			   (unsigned long long)r->events[i].time,
			   (unsigned long long)(i ? r->events[i - 1].time : 0),
			   (unsigned long long)r->end);
	FUZZ_CHECK(r->stats.busy <= r->end &&
			   r->stats.busy + r->stats.idle == r->end,
		   "busy %llu idle %llu end %llu",
		   (unsigned long long)r->stats.busy,
		   (unsigned long long)r->stats.idle,
		   (unsigned long long)r->end);
	check_procs(r);
	check_services(r);
}

static void check_faults(const mos_scenario_result_t *r, bool kept)
{
	for (size_t i = 0; i < r->nfaults; i++)
		FUZZ_CHECK(r->faults[i].ordinal == i &&
				   r->faults[i].kept == kept &&
				   r->faults[i].until >= r->faults[i].time &&
				   (i == 0 ||
				    r->faults[i - 1].time <= r->faults[i].time),
			   "fault %zu: ordinal %u kept %d at %llu", i,
			   r->faults[i].ordinal, r->faults[i].kept,
			   (unsigned long long)r->faults[i].time);
	FUZZ_CHECK(r->nfaults <= MOS_SCENARIO_MAX_FAULTS, "%zu faults",
		   r->nfaults);
}

/* The same run with every fault left out: the same draw, none kept. */
static void check_no_faults(const mos_scenario_t *sc,
			    const mos_scenario_result_t *with)
{
	mos_scenario_opts_t o = {.has_until = true, .until = 10 * MOS_MSEC,
				 .has_fault_mask = true, .fault_mask = 0};
	mos_scenario_result_t *r = NULL;

	if (!with->nfaults || mos_scenario_run(sc, &o, &r, NULL) != 0)
		return;
	FUZZ_CHECK(r->nfaults == with->nfaults, "masked run drew %zu, not %zu",
		   r->nfaults, with->nfaults);
	check_faults(r, false);
	for (size_t i = 0; i < r->nfaults; i++)
		FUZZ_CHECK(r->faults[i].time == with->faults[i].time,
			   "masked fault %zu moved", i);
	mos_scenario_result_free(r);
}

/* One bounded run's JSON (malloc'd), or NULL when the run failed. */
static char *run_json(mos_scenario_t *sc)
{
	mos_scenario_opts_t o = {.has_until = true, .until = 10 * MOS_MSEC};
	mos_scenario_verdict_t v;
	uint64_t all = 0;
	mos_scenario_result_t *r = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = mos_scenario_run(sc, &o, &r, NULL);

	if (rc) {
		FUZZ_CHECK(rc == MOS_ENOMEM || rc == MOS_ERANGE ||
			   rc == MOS_EEXHAUSTED || rc == MOS_ECONFIG,
			   "run returned %s", mos_err_name(rc));
		return NULL;
	}
	FUZZ_CHECK(r->end <= 10 * MOS_MSEC, "ran past its until");
	check_result(r);
	check_faults(r, true);
	check_no_faults(sc, r);
	FUZZ_CHECK(mos_scenario_check_select(sc, NULL, 0, &all, NULL) == 0 &&
			   mos_scenario_check(sc, r, all, &v) == 0,
		   "the invariants could not be checked");
	f = open_memstream(&buf, &len);
	FUZZ_CHECK(f, "open_memstream");
	FUZZ_CHECK(mos_scenario_write_json(r, f, true) == 0, "write_json");
	fprintf(f, "violated %llx\n", (unsigned long long)v.violated);
	for (size_t i = 0; i < MOS_SCENARIO_MAX_CHECKS; i++)
		if (v.violated >> i & 1)
			fprintf(f, "%s\n", v.why[i]);
	fclose(f);
	mos_scenario_result_free(r);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mos_scenario_t *sc = NULL;
	mos_error_t err;
	const char *path;
	char *a, *b;
	int rc;

	rc = mos_scenario_load_string((const char *)data, size, "fuzz", &sc,
				      &err);
	if (rc) {
		FUZZ_CHECK(documented(rc) && rc != MOS_EIO,
			   "load_string returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(sc == NULL, "a failed load left a scenario");
	}
	mos_scenario_free(sc);
	sc = NULL;
	if (memchr(data, '/', size))
		return 0;
	path = fuzz_input_path(data, size);
	rc = mos_scenario_load(path, &sc, &err);
	if (rc) {
		FUZZ_CHECK(documented(rc), "load returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(sc == NULL, "a failed load left a scenario");
		return 0;
	}
	a = run_json(sc);
	b = run_json(sc);
	FUZZ_CHECK(!a == !b, "one run failed, the other did not");
	FUZZ_CHECK(!a || strcmp(a, b) == 0, "two runs differ");
	free(a);
	free(b);
	mos_scenario_free(sc);
	return 0;
}
