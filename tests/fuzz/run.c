/*
 * tests/fuzz/run.c - fuzz load-run-report: load a workload, run it with
 * mos_sched_run_workload under its own policy, check the report.
 *
 * Invariants of a successful run (report_check and friends):
 *  - every process is accounted for: arrival and cpu (and io) are exactly
 *    what the workload asked for, in ns; first_run and finish are not
 *    MOS_TIME_NEVER; arrival <= first_run <= finish; a process cannot
 *    finish before its work is done (arrival + cpu + io, or its last
 *    job's release + wcet);
 *  - makespan is the last finish; busy <= makespan, so cpu_utilization
 *    <= 1 (100%); deadline misses add up; Jain's index is in (0, 1];
 *  - every slice has proc < nprocs and arrival <= start < end <=
 *    makespan, and no two slices overlap (one CPU);
 *  - the slices of a process add up to its cpu, unless the report says
 *    it dropped slices (REPORT_HAS_TRUNCATED below);
 *  - the report writes as JSON and as a Chrome trace, both parse back,
 *    and no number in them is negative;
 *  - response, turnaround and waiting are their definitions (aperiodic:
 *    first_run - arrival, finish - arrival, turnaround - cpu - io;
 *    periodic: response = turnaround >= waiting), and the slices of all
 *    processes add up to busy;
 *  - a second run of the same workload gives the same trace hash and the
 *    same JSON report, byte for byte.
 * A failed run must fill err properly; it must fail when the workload
 * has more jobs than a kernel holds, and must succeed when every time in
 * the workload and its policy is far from 2^64 ns (must_run).
 *
 * What it skips, to keep one input to a few milliseconds (worth_running):
 * workloads it can run cheaply only.  More than MAX_PROCS processes, more
 * than MAX_JOBS jobs (kernel processes: each has a host stack), or more
 * than MAX_EVENTS estimated scheduling events (CPU time over the policy's
 * smallest slice, plus arrivals and bursts, plus mlfq boosts over the
 * whole run) are skipped -- unless the library must refuse the workload
 * without running it: more jobs than a kernel holds, or a process whose
 * cpu or earliest finish does not fit in 64-bit nanoseconds.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <multios/sched.h>

#include "fuzz.h"

/* Set to 1 once mos_sched_report_t has `bool slices_truncated` (a report
 * that keeps only the first slices says so there); until then every
 * slice is kept, so the per-process sums are always checked. */
#define REPORT_HAS_TRUNCATED 1

#define MAX_PROCS 32
#define MAX_JOBS 64
#define MAX_EVENTS 20000
/* src/json/config.c's MAX_PROCESSES_LIMIT, less init. */
#define KERNEL_MAX_JOBS (1048576u - 1)
/* Times below this are far from wrapping: must_run. */
#define SMALL_NS ((uint64_t)1 << 62)

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t s;
	return __builtin_add_overflow(a, b, &s) ? UINT64_MAX : s;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t p;
	return __builtin_mul_overflow(a, b, &p) ? UINT64_MAX : p;
}

/* What a process needs, in ns; UINT64_MAX where it does not fit. */
typedef struct need {
	uint64_t arrival, cpu, io;
	uint64_t last_release; /* periodic: of the last job; else arrival */
	uint64_t floor;        /* no finish can be earlier */
	uint64_t param;        /* the larger of period and deadline */
	uint64_t jobs, events; /* kernel processes; bursts */
} need_t;

static void need_of(const mos_wl_process_t *p, mos_time_t tick, need_t *n)
{
	uint64_t cpu = 0, io = 0, last = p->arrival, end;

	if (p->period) {
		cpu = sat_mul(p->wcet, p->jobs);
		last = sat_add(p->arrival, sat_mul(p->period, p->jobs - 1));
		end = sat_add(last, p->wcet);
		n->jobs = n->events = p->jobs;
	} else {
		for (size_t b = 0; b < p->nbursts; b++) {
			if (p->bursts[b].kind == MOS_WL_CPU)
				cpu = sat_add(cpu, p->bursts[b].ticks);
			else
				io = sat_add(io, p->bursts[b].ticks);
		}
		end = sat_add(p->arrival, sat_add(cpu, io));
		n->jobs = 1;
		n->events = p->nbursts;
	}
	/* In ticks, UINT64_MAX already means "too big"; it stays so. */
	n->arrival = sat_mul(p->arrival, tick);
	n->cpu = sat_mul(cpu, tick);
	n->io = sat_mul(io, tick);
	n->last_release = sat_mul(last, tick);
	n->floor = sat_mul(end, tick);
	n->param = sat_mul(max_u64(p->period, p->deadline), tick);
}

/* A finish must be a time and not MOS_TIME_NEVER. */
static bool representable(const need_t *n)
{
	return n->cpu != UINT64_MAX && n->io != UINT64_MAX &&
	       n->floor != UINT64_MAX;
}

/* Totals over the workload. */
typedef struct totals {
	uint64_t jobs, events, cpu, io, last_release, param;
	bool representable;
} totals_t;

static void total(const mos_workload_t *w, const need_t *need, totals_t *t)
{
	memset(t, 0, sizeof(*t));
	t->representable = true;
	for (size_t i = 0; i < w->nprocs; i++) {
		t->jobs = sat_add(t->jobs, need[i].jobs);
		t->events = sat_add(t->events, need[i].events);
		t->cpu = sat_add(t->cpu, need[i].cpu);
		t->io = sat_add(t->io, need[i].io);
		t->last_release = max_u64(t->last_release,
					  need[i].last_release);
		t->param = max_u64(t->param, need[i].param);
		t->representable &= representable(&need[i]);
	}
}

static bool is(const mos_sched_params_t *p, const char *name)
{
	return strcmp(p->policy, name) == 0;
}

static uint64_t min_nonzero(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* The shortest stretch of CPU the policy may give (docs/SCHEDULERS.md);
 * 0 when it does not slice time, so that only arrivals, bursts and
 * completions make events. */
static uint64_t min_slice(const mos_sched_params_t *p)
{
	uint64_t s = 0;

	if (is(p, "fifo") || is(p, "sjf") || is(p, "stcf") || is(p, "edf") ||
	    is(p, "rm"))
		return 0;
	if (is(p, "priority"))
		return p->preemptive && p->aging ? p->tick : 0;
	if (is(p, "rr") || is(p, "lottery") || is(p, "stride"))
		return p->time_slice;
	if (is(p, "cfs"))
		return p->min_granularity;
	if (is(p, "mlfq")) {
		s = p->nquanta ? 0 : p->time_slice;
		for (uint32_t i = 0; i < p->nquanta; i++)
			s = min_nonzero(s, p->quanta[i]);
		/* After a boost the slice is allotments[0] ticks. */
		return p->boost ? min_nonzero(s, p->tick) : s;
	}
	if (is(p, "multios"))  /* Interactive processes get half */
		return p->time_slice / 2 ? p->time_slice / 2 : 1;
	/* A policy this harness does not know: the smallest of them all. */
	s = min_nonzero(p->time_slice / 2, p->min_granularity);
	s = min_nonzero(s, p->aging);
	s = min_nonzero(s, p->tick);
	for (uint32_t i = 0; i < p->nquanta; i++)
		s = min_nonzero(s, p->quanta[i]);
	return s ? s : 1;
}

static bool worth_running(const mos_workload_t *w, const totals_t *t)
{
	const mos_sched_params_t *p = &w->policy;
	uint64_t events = t->events, slice = min_slice(p), horizon;

	if (t->jobs > KERNEL_MAX_JOBS || !t->representable)
		return true;    /* refused before any work: cheap */
	if (w->nprocs > MAX_PROCS || t->jobs > MAX_JOBS)
		return false;
	if (slice)
		events = sat_add(events, t->cpu / slice);
	/* Each slice may cost a switch and a dispatch. */
	events = sat_mul(sat_add(events, t->jobs), 2);
	if (is(p, "mlfq") && p->boost) {
		/* Boosts wake the kernel even when the CPU idles. */
		horizon = sat_add(t->last_release, sat_add(t->cpu, t->io));
		horizon = sat_add(horizon, sat_mul(p->switch_cost, events));
		events = sat_add(events, horizon / p->boost);
	}
	return events <= MAX_EVENTS;
}

/* Every time in the workload and its policy is below SMALL_NS, and so is
 * the latest the run can end (no switch cost: the last release, then
 * all the work one after the other): nothing can wrap, so the run must
 * succeed. */
static bool must_run(const mos_workload_t *w, const totals_t *t)
{
	const mos_sched_params_t *p = &w->policy;
	uint64_t big = max_u64(t->param, max_u64(p->time_slice, p->aging));

	big = max_u64(big, max_u64(p->boost, p->target_latency));
	for (uint32_t i = 0; i < p->nquanta; i++)
		big = max_u64(big, p->quanta[i]);
	return t->representable && t->jobs <= MAX_JOBS && !p->switch_cost &&
	       big < SMALL_NS &&
	       sat_add(t->last_release, sat_add(t->cpu, t->io)) < SMALL_NS;
}

/* ---- the report ---------------------------------------------------------- */

static void check_proc(const mos_sched_report_t *r, const mos_workload_t *w,
		       const need_t *need, size_t i)
{
	const mos_sched_proc_result_t *pr = &r->procs[i];
	const mos_wl_process_t *p = &w->procs[i];
	const char *n = p->name;

	FUZZ_CHECK(strcmp(pr->name, n) == 0, "procs[%zu] is %.64s, not %s",
		   i, pr->name, n);
	FUZZ_CHECK(pr->periodic == (p->period != 0), "%s: periodic flag", n);
	FUZZ_CHECK(pr->arrival == need->arrival && pr->cpu == need->cpu,
		   "%s: arrival %llu cpu %llu, asked %llu and %llu", n,
		   (unsigned long long)pr->arrival,
		   (unsigned long long)pr->cpu,
		   (unsigned long long)need->arrival,
		   (unsigned long long)need->cpu);
	FUZZ_CHECK(pr->io == need->io, "%s: io %llu, asked %llu", n,
		   (unsigned long long)pr->io, (unsigned long long)need->io);
	FUZZ_CHECK(pr->first_run != MOS_TIME_NEVER &&
			   pr->finish != MOS_TIME_NEVER,
		   "%s: never ran or never finished", n);
	FUZZ_CHECK(pr->arrival <= pr->first_run && pr->first_run <= pr->finish,
		   "%s: arrival %llu first_run %llu finish %llu", n,
		   (unsigned long long)pr->arrival,
		   (unsigned long long)pr->first_run,
		   (unsigned long long)pr->finish);
	FUZZ_CHECK(pr->finish >= need->floor,
		   "%s: finished at %llu, its work needs until %llu", n,
		   (unsigned long long)pr->finish,
		   (unsigned long long)need->floor);
	FUZZ_CHECK(pr->finish <= r->makespan, "%s: finish after makespan", n);
	FUZZ_CHECK(pr->response <= pr->turnaround &&
			   pr->waiting <= pr->turnaround,
		   "%s: response %llu waiting %llu turnaround %llu", n,
		   (unsigned long long)pr->response,
		   (unsigned long long)pr->waiting,
		   (unsigned long long)pr->turnaround);
	if (p->period)
		FUZZ_CHECK(pr->response == pr->turnaround &&
				   pr->waiting <= pr->response,
			   "%s: periodic response %llu turnaround %llu "
			   "waiting %llu", n, (unsigned long long)pr->response,
			   (unsigned long long)pr->turnaround,
			   (unsigned long long)pr->waiting);
	else
		FUZZ_CHECK(pr->response == pr->first_run - pr->arrival &&
				   pr->turnaround == pr->finish - pr->arrival &&
				   pr->waiting == pr->turnaround - pr->cpu -
							  pr->io,
			   "%s: response %llu turnaround %llu waiting %llu "
			   "are not their definitions", n,
			   (unsigned long long)pr->response,
			   (unsigned long long)pr->turnaround,
			   (unsigned long long)pr->waiting);
	if (p->period)
		FUZZ_CHECK(pr->jobs == p->jobs &&
				   pr->deadline_misses <= pr->jobs,
			   "%s: jobs %llu of %llu, misses %llu", n,
			   (unsigned long long)pr->jobs,
			   (unsigned long long)p->jobs,
			   (unsigned long long)pr->deadline_misses);
	else
		FUZZ_CHECK(pr->deadline_misses == 0, "%s: aperiodic misses", n);
}

static int by_start(const void *a, const void *b)
{
	const mos_sched_slice_t *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void check_slices(const mos_sched_report_t *r)
{
	mos_sched_slice_t *s;
	uint64_t *ran, total = 0;
	bool complete = true;

#if REPORT_HAS_TRUNCATED
	complete = !r->slices_truncated;
#endif
	FUZZ_CHECK(r->nslices == 0 || r->slices, "nslices without slices");
	s = malloc(r->nslices * sizeof(*s) + 1);
	ran = calloc(r->nprocs, sizeof(*ran));
	if (!s || !ran)
		fuzz_fail("out of memory checking slices");
	memcpy(s, r->slices, r->nslices * sizeof(*s));
	for (size_t i = 0; i < r->nslices; i++) {
		FUZZ_CHECK(s[i].proc < r->nprocs, "slice %zu: proc %u", i,
			   (unsigned)s[i].proc);
		FUZZ_CHECK(r->procs[s[i].proc].arrival <= s[i].start &&
				   s[i].start < s[i].end &&
				   s[i].end <= r->makespan,
			   "slice %zu of %s: [%llu, %llu), arrival %llu, "
			   "makespan %llu", i, r->procs[s[i].proc].name,
			   (unsigned long long)s[i].start,
			   (unsigned long long)s[i].end,
			   (unsigned long long)r->procs[s[i].proc].arrival,
			   (unsigned long long)r->makespan);
		ran[s[i].proc] += s[i].end - s[i].start;
	}
	qsort(s, r->nslices, sizeof(*s), by_start);
	for (size_t i = 1; i < r->nslices; i++)
		FUZZ_CHECK(s[i].start >= s[i - 1].end,
			   "slices [%llu, %llu) and [%llu, %llu) overlap",
			   (unsigned long long)s[i - 1].start,
			   (unsigned long long)s[i - 1].end,
			   (unsigned long long)s[i].start,
			   (unsigned long long)s[i].end);
	for (size_t i = 0; complete && i < r->nprocs; i++) {
		FUZZ_CHECK(ran[i] == r->procs[i].cpu,
			   "%s: slices add up to %llu, cpu %llu",
			   r->procs[i].name, (unsigned long long)ran[i],
			   (unsigned long long)r->procs[i].cpu);
		total += ran[i];
	}
	FUZZ_CHECK(!complete || total == r->busy,
		   "slices add up to %llu, busy %llu",
		   (unsigned long long)total, (unsigned long long)r->busy);
	free(s);
	free(ran);
}

/* No number in the report's JSON is negative: all are times, counts or
 * ratios. */
static void check_json_numbers(const json_t *v, const char *what)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, item)
			check_json_numbers(item, what);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			check_json_numbers(item, what);
	} else if (json_is_number(v)) {
		FUZZ_CHECK(json_number_value(v) >= 0, "%s: negative number %g",
			   what, json_number_value(v));
	}
}

typedef int (*writer_fn)(const mos_sched_report_t *r, FILE *out);

static void check_writer(const mos_sched_report_t *r, writer_fn write,
			 const char *what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_error_t jerr;
	json_t *root;
	int rc;

	if (!fp)
		fuzz_fail("open_memstream failed");
	rc = write(r, fp);
	fclose(fp);
	FUZZ_CHECK(rc == 0, "%s: writing the report failed: %s", what,
		   mos_err_name(rc));
	root = json_loadb(buf, len, 0, &jerr);
	FUZZ_CHECK(root != NULL, "%s: not JSON: %s", what, jerr.text);
	check_json_numbers(root, what);
	json_decref(root);
	free(buf);
}

static void check_report(const mos_sched_report_t *r, const mos_workload_t *w,
			 const need_t *need)
{
	uint64_t last = 0, misses = 0;

	FUZZ_CHECK(r->nprocs == w->nprocs && r->procs, "report has %zu procs",
		   r->nprocs);
	FUZZ_CHECK(r->tick == w->tick, "report tick %llu",
		   (unsigned long long)r->tick);
	for (size_t i = 0; i < r->nprocs; i++) {
		check_proc(r, w, &need[i], i);
		last = max_u64(last, r->procs[i].finish);
		misses += r->procs[i].deadline_misses;
	}
	FUZZ_CHECK(r->makespan == last, "makespan %llu, last finish %llu",
		   (unsigned long long)r->makespan, (unsigned long long)last);
	FUZZ_CHECK(r->deadline_misses == misses, "deadline misses %llu, sum %llu",
		   (unsigned long long)r->deadline_misses,
		   (unsigned long long)misses);
	FUZZ_CHECK(r->busy <= r->makespan && r->cpu_utilization >= 0 &&
			   r->cpu_utilization <= 1.0,
		   "busy %llu makespan %llu: utilization %g",
		   (unsigned long long)r->busy, (unsigned long long)r->makespan,
		   r->cpu_utilization);
	FUZZ_CHECK(r->fairness > 0 && r->fairness <= 1.0 + 1e-9,
		   "Jain's index %g", r->fairness);
	check_slices(r);
	check_writer(r, mos_sched_report_write_json, "json");
	check_writer(r, mos_sched_report_write_trace, "trace");
}

/* ---- the harness -------------------------------------------------------- */

/* The report's JSON, malloc'd. */
static char *report_json(const mos_sched_report_t *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		fuzz_fail("open_memstream failed");
	FUZZ_CHECK(mos_sched_report_write_json(r, fp) == 0, "write_json");
	fclose(fp);
	return buf;
}

static void run(const mos_workload_t *w, const need_t *need,
		const totals_t *t)
{
	mos_sched_report_t *r = NULL, *again = NULL;
	mos_error_t err;
	char *a, *b;
	int rc = mos_sched_run_workload(w, NULL, &r, &err);

	if (rc != 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(!must_run(w, t), "a plain workload did not run: %s",
			   err.message);
		return;
	}
	FUZZ_CHECK(t->jobs <= KERNEL_MAX_JOBS,
		   "ran %llu jobs, more than a kernel holds",
		   (unsigned long long)t->jobs);
	check_report(r, w, need);
	rc = mos_sched_run_workload(w, NULL, &again, &err);
	FUZZ_CHECK(rc == 0, "the second run failed: %s", err.message);
	FUZZ_CHECK(again->trace_hash == r->trace_hash &&
			   again->nslices == r->nslices &&
			   again->makespan == r->makespan,
		   "two runs of one workload differ");
	a = report_json(r);
	b = report_json(again);
	FUZZ_CHECK(strcmp(a, b) == 0, "two runs' JSON reports differ");
	free(a);
	free(b);
	mos_sched_report_free(again);
	mos_sched_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mos_workload_t *w = NULL;
	need_t *need;
	totals_t t;

	if (mos_workload_load_json(fuzz_input_path(data, size), &w, NULL))
		return 0;   /* the workload harness covers failed loads */
	fuzz_check_workload(w);
	if (!(need = calloc(w->nprocs, sizeof(*need))))
		fuzz_fail("out of memory");
	for (size_t i = 0; i < w->nprocs; i++)
		need_of(&w->procs[i], w->tick, &need[i]);
	total(w, need, &t);
	if (worth_running(w, &t))
		run(w, need, &t);
	free(need);
	mos_workload_free(w);
	return 0;
}
