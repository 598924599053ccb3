/*
 * test_workload.c - loading scheduler workloads (src/workbench/workload.c).
 *
 * Good files: the textbook cases in tests/data/cases/ and
 * tests/data/workload-*.json.  Bad files: tests/data/invalid/workload-*.json
 * with .expect sidecars, run by tests/expect.h.  Paths are relative to the
 * repository root, where the suite runs.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <string.h>

#include "expect.h"
#include "multios/sched.h"
#include "timeout.h"

TestSuite(workload, .timeout = T_TIMEOUT);

#ifndef TEST_CASES_DIR
#define TEST_CASES_DIR "tests/data/cases"
#endif

/* What *out holds before a call: it must still hold it after a failure. */
#define UNTOUCHED ((mos_workload_t *)&untouched_marker)
static const int untouched_marker;

static mos_workload_t *load_ok(const char *path)
{
	mos_workload_t *w = UNTOUCHED;
	mos_error_t err;

	cr_assert_eq(mos_workload_load_json(path, &w, &err), 0, "%s",
		     err.message);
	cr_assert_eq(err.code, 0);
	cr_assert_neq(w, UNTOUCHED);
	cr_assert_not_null(w);
	return w;
}

static void expect_cpu_proc(const mos_wl_process_t *p, const char *name,
			    uint64_t arrival, uint64_t cpu)
{
	cr_expect_str_eq(p->name, name);
	cr_expect_eq(p->arrival, arrival, "%s arrival", name);
	cr_assert_eq(p->nbursts, 1, "%s", name);
	cr_expect_eq(p->bursts[0].kind, MOS_WL_CPU, "%s", name);
	cr_expect_eq(p->bursts[0].ticks, cpu, "%s cpu", name);
	cr_expect_eq(p->priority, 0, "%s", name);
	cr_expect_eq(p->tickets, 100, "%s", name);
	cr_expect_eq(p->period, 0, "%s is not periodic", name);
}

/* Every textbook case loads; the *.expected.json results are not inputs. */
Test(workload, textbook_cases_load)
{
	size_t loaded = 0;
	glob_t g;

	cr_assert_eq(glob(TEST_CASES_DIR "/*.json", 0, NULL, &g), 0,
		     "no cases in " TEST_CASES_DIR);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];

		if (strstr(path, ".expected.json"))
			continue;
		mos_workload_free(load_ok(path));
		loaded++;
	}
	globfree(&g);
	cr_expect_geq(loaded, 6);
}

Test(workload, fcfs_exact)
{
	mos_workload_t *w = load_ok(TEST_CASES_DIR "/silberschatz-fcfs.json");
	mos_sched_params_t want;

	cr_expect_str_eq(w->name, "silberschatz-fcfs");
	cr_expect_str_eq(w->source, TEST_CASES_DIR "/silberschatz-fcfs.json");
	cr_expect_eq(w->tick, MOS_MSEC);
	/* Only the name differs from the defaults (tick is 1 ms too). */
	mos_sched_params_default(&want);
	snprintf(want.policy, sizeof(want.policy), "fifo");
	cr_expect_eq(memcmp(&w->policy, &want, sizeof(want)), 0);
	cr_assert_eq(w->nprocs, 3);
	expect_cpu_proc(&w->procs[0], "P1", 0, 24);
	expect_cpu_proc(&w->procs[1], "P2", 0, 3);
	expect_cpu_proc(&w->procs[2], "P3", 0, 3);
	mos_workload_free(w);
}

Test(workload, rr_q4_quantum_in_ns)
{
	mos_workload_t *w = load_ok(TEST_CASES_DIR "/silberschatz-rr-q4.json");

	cr_expect_str_eq(w->policy.policy, "rr");
	cr_expect_eq(w->policy.time_slice, 4 * MOS_MSEC);
	cr_expect_eq(w->policy.tick, MOS_MSEC);
	cr_expect_eq(w->policy.switch_cost, 0);
	cr_assert_eq(w->nprocs, 3);
	expect_cpu_proc(&w->procs[0], "P1", 0, 24);
	mos_workload_free(w);
}

Test(workload, srtf_arrivals)
{
	static const uint64_t arrival[] = {0, 1, 2, 3}, cpu[] = {8, 4, 9, 5};
	static const char *const names[] = {"P1", "P2", "P3", "P4"};
	mos_workload_t *w = load_ok(TEST_CASES_DIR "/silberschatz-srtf.json");

	cr_expect_str_eq(w->policy.policy, "stcf");
	cr_assert_eq(w->nprocs, 4);
	for (size_t i = 0; i < 4; i++)
		expect_cpu_proc(&w->procs[i], names[i], arrival[i], cpu[i]);
	mos_workload_free(w);
}

Test(workload, priority_fields)
{
	static const int32_t prio[] = {3, 1, 4, 5, 2};
	mos_workload_t *w =
		load_ok(TEST_CASES_DIR "/silberschatz-priority.json");

	cr_expect_str_eq(w->policy.policy, "priority");
	cr_expect_eq(w->policy.preemptive, false);
	cr_assert_eq(w->nprocs, 5);
	for (size_t i = 0; i < 5; i++)
		cr_expect_eq(w->procs[i].priority, prio[i], "P%zu", i + 1);
	mos_workload_free(w);
}

static void expect_burst(const mos_wl_process_t *p, size_t i,
			 mos_wl_kind_t kind, uint64_t ticks)
{
	cr_expect_eq(p->bursts[i].kind, kind, "%s burst %zu", p->name, i);
	cr_expect_eq(p->bursts[i].ticks, ticks, "%s burst %zu", p->name, i);
}

/* Every policy key, in ticks of 500 us. */
Test(workload, full_policy)
{
	static const mos_time_t quanta[] = {1 * MOS_MSEC, 2 * MOS_MSEC,
					    4 * MOS_MSEC};
	static const uint32_t allot[] = {1, 2, 4};
	mos_workload_t *w = load_ok(TEST_DATA_DIR "/workload-full.json");
	const mos_sched_params_t *s = &w->policy;

	cr_expect_str_eq(w->name, "full");
	cr_expect_eq(w->tick, 500 * MOS_USEC);
	cr_expect_str_eq(s->policy, "mlfq");
	cr_expect_eq(s->time_slice, 2 * MOS_MSEC);
	cr_expect_eq(s->tick, 500 * MOS_USEC);
	cr_expect_eq(s->switch_cost, 500 * MOS_USEC);
	cr_expect_eq(s->preemptive, false);
	cr_expect_eq(s->aging, 10 * MOS_MSEC);
	cr_expect_eq(s->queues, 3);
	cr_expect_eq(s->nquanta, 3);
	cr_expect_eq(memcmp(s->quanta, quanta, sizeof(quanta)), 0);
	cr_expect_eq(s->nallotments, 3);
	cr_expect_eq(memcmp(s->allotments, allot, sizeof(allot)), 0);
	cr_expect_eq(s->boost, 50 * MOS_MSEC);
	cr_expect_eq(s->io_bump, true);
	cr_expect_eq(s->stay, true);
	cr_expect_eq(s->seed, 7);
	cr_expect_eq(s->min_granularity, 1 * MOS_MSEC);
	cr_expect_eq(s->target_latency, 6 * MOS_MSEC);
	mos_workload_free(w);
}

Test(workload, full_processes)
{
	mos_workload_t *w = load_ok(TEST_DATA_DIR "/workload-full.json");
	const mos_wl_process_t *p;

	cr_assert_eq(w->nprocs, 4);
	expect_cpu_proc(&w->procs[0], "A", 0, 5);

	p = &w->procs[1];
	cr_expect_str_eq(p->name, "B");
	cr_expect_eq(p->arrival, 3);
	cr_expect_eq(p->priority, -2);
	cr_expect_eq(p->tickets, 250);
	cr_assert_eq(p->nbursts, 4);
	expect_burst(p, 0, MOS_WL_CPU, 3);
	expect_burst(p, 1, MOS_WL_IO, 5);
	expect_burst(p, 2, MOS_WL_CPU, 2);
	expect_burst(p, 3, MOS_WL_IO, 1);

	p = &w->procs[2];
	cr_expect_str_eq(p->name, "T1");
	cr_expect_eq(p->arrival, 1);
	cr_expect_eq(p->nbursts, 0);
	cr_expect_null(p->bursts);
	cr_expect_eq(p->period, 5);
	cr_expect_eq(p->wcet, 2);
	cr_expect_eq(p->deadline, 5, "deadline defaults to the period");
	cr_expect_eq(p->jobs, 4);

	p = &w->procs[3];
	cr_expect_eq(p->wcet, 12, "wcet over the period is allowed");
	cr_expect_eq(p->deadline, 8);
	cr_expect_eq(p->priority, INT32_MAX);
	cr_expect_eq(p->tickets, 1000000);
	mos_workload_free(w);
}

/* No name: the file's name without .json; an integer tick is in ms. */
Test(workload, minimal_defaults)
{
	mos_workload_t *w = load_ok(TEST_DATA_DIR "/workload-minimal.json");

	cr_expect_str_eq(w->name, "workload-minimal");
	cr_expect_eq(w->tick, 2 * MOS_MSEC);
	cr_expect_eq(w->policy.tick, 2 * MOS_MSEC);
	cr_expect_eq(w->policy.time_slice, 10 * 2 * MOS_MSEC,
		     "no quantum: 10 ticks");
	cr_assert_eq(w->nprocs, 1);
	expect_cpu_proc(&w->procs[0], "only", 0, 1);
	mos_workload_free(w);
}

/* ---- bad input ---- */

static int load_workload(const char *json, mos_error_t *err, void *ctx)
{
	mos_workload_t *w = UNTOUCHED;
	int rc;

	(void)ctx;
	rc = mos_workload_load_json(json, &w, err);
	cr_expect_eq(w, UNTOUCHED, "%s: *out changed on error", json);
	return rc;
}

Test(workload, invalid_files)
{
	t_expect_run(TEST_DATA_DIR "/invalid/workload-*.json", 13,
		     load_workload, NULL);
}

Test(workload, missing_file)
{
	const char *path = TEST_DATA_DIR "/invalid/no-such-workload.json";
	mos_workload_t *w = UNTOUCHED;
	mos_error_t err;

	cr_expect_eq(mos_workload_load_json(path, &w, &err), MOS_EIO);
	cr_expect_eq(err.code, MOS_EIO);
	cr_expect_str_eq(err.source, path);
	cr_expect(strstr(err.message, "No such file") != NULL, "%s",
		  err.message);
	cr_expect_eq(w, UNTOUCHED);
}

Test(workload, null_arguments)
{
	mos_workload_t *w = UNTOUCHED;
	mos_error_t err;

	cr_expect_eq(mos_workload_load_json(NULL, &w, &err), MOS_EINVAL);
	cr_expect_eq(err.code, MOS_EINVAL);
	cr_expect_eq(w, UNTOUCHED);
	cr_expect_eq(mos_workload_load_json(TEST_DATA_DIR "/workload-full.json",
					    NULL, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_workload_load_json(TEST_DATA_DIR
					    "/invalid/workload-syntax.json",
					    &w, NULL),
		     MOS_ECONFIG, "err may be NULL");
	cr_expect_eq(w, UNTOUCHED);
	mos_workload_free(NULL);
}

Test(workload, clears_stale_err)
{
	mos_workload_t *w = NULL;
	mos_error_t err;

	memset(&err, 0, sizeof(err));
	err.code = MOS_EIO;
	cr_expect_eq(mos_workload_load_json(TEST_DATA_DIR
					    "/workload-minimal.json",
					    &w, &err),
		     0);
	cr_expect_eq(err.code, 0);
	mos_workload_free(w);
}
