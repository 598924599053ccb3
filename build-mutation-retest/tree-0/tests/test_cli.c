/*
 * tests/test_cli.c - `multios sched` output read back as data: the JSON
 * report's fields, the --compare document, per-policy traces, the headline
 * numbers of examples/workloads/ (its README quotes them), and what the
 * report writers say about a truncated slice log.
 *
 * Exit codes, exact tables and write errors are in tests/check_cli.sh.
 * The command comes from env MOS_CLI (the Makefile sets it).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers_json.h"
#include "timeout.h"

TestSuite(cli, .timeout = T_TIMEOUT);
TestSuite(report, .timeout = T_TIMEOUT);

#define WL "examples/workloads/"

static mos_sched_report_t *lib_run(const char *file, const char *policy)
{
	mos_sched_report_t *r = NULL;
	mos_workload_t *w;
	mos_sched_params_t p;
	mos_error_t err;
	int rc = mos_workload_load_json(file, &w, &err);

	cr_assert_eq(rc, 0, "load %s: %s", file, err.message);
	p = w->policy;
	if (policy)
		snprintf(p.policy, sizeof(p.policy), "%s", policy);
	rc = mos_sched_run_workload(w, &p, &r, &err);
	mos_workload_free(w);
	cr_assert_eq(rc, 0, "run %s: %s", file, err.message);
	return r;
}

static const char *str_at(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	cr_assert_not_null(s, "no string \"%s\"", key);
	return s;
}

static double num_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "no number \"%s\"", key);
	return json_number_value(v);
}

/* The fields that let two runs be compared from the command line. */
static void expect_report_fields(json_t *o, const mos_sched_report_t *lib)
{
	char hash[17];

	snprintf(hash, sizeof(hash), "%016" PRIx64, lib->trace_hash);
	cr_expect_str_eq(str_at(o, "workload"), lib->workload);
	cr_expect_str_eq(str_at(o, "policy"), lib->policy);
	cr_expect(json_is_integer(json_object_get(o, "tick_ns")));
	cr_expect_eq(num_at(o, "tick_ns"), (double)lib->tick);
	cr_expect_eq(num_at(o, "makespan"), (double)(lib->makespan / lib->tick));
	cr_expect_float_eq(num_at(o, "fairness"), lib->fairness, 1e-6);
	cr_expect_str_eq(str_at(o, "trace_hash"), hash);
	cr_expect(json_is_false(json_object_get(o, "slices_truncated")));
}

Test(cli, json_report_carries_workload_tick_makespan_fairness_hash)
{
	json_t *o = t_sched_json(WL "silberschatz-fcfs.json --json");
	mos_sched_report_t *lib = lib_run(WL "silberschatz-fcfs.json", NULL);

	cr_assert_str_eq(lib->workload, "silberschatz-fcfs");
	expect_report_fields(o, lib);
	cr_expect_eq(num_at(o, "tick_ns"), 1e6);
	cr_expect_eq(num_at(o, "makespan"), 30);
	/* Jain over cpu/turnaround = 24/24, 3/27, 3/30. */
	cr_expect_float_eq(num_at(o, "fairness"), 0.478243, 1e-6);
	cr_expect_eq(strlen(str_at(o, "trace_hash")), 16);
	mos_sched_report_free(lib);
	json_decref(o);
}

Test(cli, compare_json_is_one_document_with_a_report_per_policy)
{
	static const char *const pol[] = {"fifo", "sjf", "rr"};
	static const double waiting[] = {17, 3, 29.0 / 3};
	json_t *o = t_sched_json(WL "silberschatz-fcfs.json --compare fifo,sjf,rr --json");
	json_t *res = json_object_get(o, "results"), *v;
	size_t i;

	cr_expect_str_eq(str_at(o, "workload"), "silberschatz-fcfs");
	cr_expect_eq(num_at(o, "tick_ns"), 1e6);
	cr_assert(json_is_array(res));
	cr_assert_eq(json_array_size(res), 3);
	json_array_foreach(res, i, v) {
		mos_sched_report_t *lib = lib_run(WL "silberschatz-fcfs.json", pol[i]);

		expect_report_fields(v, lib);
		cr_expect_float_eq(num_at(v, "avg_waiting"), waiting[i], 1e-6,
				   "%s avg_waiting", pol[i]);
		cr_expect_eq(json_array_size(json_object_get(v, "processes")), 3);
		mos_sched_report_free(lib);
	}
	json_decref(o);
}

static json_t *load_trace(const char *path)
{
	json_error_t jerr;
	json_t *t = json_load_file(path, 0, &jerr);

	cr_assert_not_null(t, "%s: %s", path, jerr.text);
	return t;
}

static size_t count_ph(json_t *trace, const char *ph)
{
	json_t *evs = json_object_get(trace, "traceEvents"), *e;
	size_t i, n = 0;

	cr_assert(json_is_array(evs));
	json_array_foreach(evs, i, e)
		n += !strcmp(json_string_value(json_object_get(e, "ph")), ph);
	return n;
}

Test(cli, compare_trace_writes_one_file_per_policy_named_after_it)
{
	char dir[] = "/tmp/mos-cli-XXXXXX", args[512], path[512];
	static const char *const pol[] = {"fifo", "rr"};

	cr_assert_not_null(mkdtemp(dir));
	snprintf(args, sizeof(args),
		 WL "silberschatz-fcfs.json --compare fifo,rr --json --trace %s/out.json",
		 dir);
	json_decref(t_sched_json(args));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	cr_expect_neq(access(path, F_OK), 0, "out.json itself was written");
	for (size_t i = 0; i < 2; i++) {
		mos_sched_report_t *lib = lib_run(WL "silberschatz-fcfs.json", pol[i]);
		json_t *t, *other;

		snprintf(path, sizeof(path), "%s/out.%s.json", dir, pol[i]);
		t = load_trace(path);
		unlink(path);
		other = json_object_get(t, "otherData");
		cr_expect_str_eq(str_at(other, "policy"), pol[i]);
		cr_expect_str_eq(str_at(other, "workload"), "silberschatz-fcfs");
		cr_expect_eq(count_ph(t, "X"), lib->nslices, "%s slices", pol[i]);
		cr_expect_eq(count_ph(t, "M"), 3);
		cr_expect_eq(count_ph(t, "i"), 0);
		json_decref(t);
		mos_sched_report_free(lib);
	}
	cr_assert_eq(rmdir(dir), 0);
}

/* ---- examples/workloads: the numbers its README quotes ---------------- */

typedef struct headline {
	const char *file, *policy;   /* policy NULL: the file's */
	double response, turnaround, waiting;
	long misses;
} headline_t;

static const headline_t headlines[] = {
	{"silberschatz-fcfs", NULL, 17, 27, 17, 0},
	{"silberschatz-sjf", NULL, 7, 13, 7, 0},
	{"silberschatz-priority", NULL, 8.2, 12, 8.2, 0},
	{"silberschatz-rr-q4", NULL, 11.0 / 3, 47.0 / 3, 17.0 / 3, 0},
	{"ostep-fifo-equal", NULL, 10, 20, 10, 0},
	{"ostep-convoy", NULL, 70, 110, 70, 0},
	{"ostep-convoy", "sjf", 10, 50, 10, 0},
	{"ostep-late-arrivals", NULL, 10.0 / 3, 50, 10, 0},
	{"ostep-late-arrivals", "sjf", 190.0 / 3, 310.0 / 3, 190.0 / 3, 0},
	{"ostep-rr-response", NULL, 1, 14, 9, 0},
	{"ostep-rr-response", "sjf", 5, 10, 5, 0},
	{"periodic-rm-edf", NULL, 5, 5, 2, 1},
	{"periodic-rm-edf", "edf", 5, 5, 2, 0},
	{"mlfq-short-job", NULL, 0, 120, 10, 0},
	{"mlfq-short-job", "fifo", 50, 160, 50, 0},
};

Test(cli, example_workloads_give_the_numbers_their_readme_quotes)
{
	for (size_t i = 0; i < sizeof(headlines) / sizeof(*headlines); i++) {
		const headline_t *h = &headlines[i];
		char args[256];
		json_t *o;

		snprintf(args, sizeof(args), WL "%s.json --json%s%s", h->file,
			 h->policy ? " --policy " : "", h->policy ? h->policy : "");
		o = t_sched_json(args);
		cr_expect_float_eq(num_at(o, "avg_response"), h->response, 1e-6,
				   "%s avg_response", args);
		cr_expect_float_eq(num_at(o, "avg_turnaround"), h->turnaround, 1e-6,
				   "%s avg_turnaround", args);
		cr_expect_float_eq(num_at(o, "avg_waiting"), h->waiting, 1e-6,
				   "%s avg_waiting", args);
		cr_expect_eq(num_at(o, "deadline_misses"), h->misses, "%s misses", args);
		json_decref(o);
	}
}

/* B, the short job, overtakes A under mlfq: it finishes at 120, 20 after
 * its arrival, where FIFO makes it wait for all of A (finish 220). */
Test(cli, mlfq_example_lets_the_short_job_through)
{
	json_t *o = t_sched_json(WL "mlfq-short-job.json --json");
	json_t *b = json_array_get(json_object_get(o, "processes"), 1);

	cr_assert_str_eq(str_at(b, "name"), "B");
	cr_expect_eq(num_at(b, "first_run"), 100);
	cr_expect_eq(num_at(b, "finish"), 120);
	cr_expect_eq(num_at(json_array_get(json_object_get(o, "processes"), 0),
			    "finish"), 220);
	json_decref(o);
}

/* ---- a truncated slice log, through the library's writers -------------- */

Test(report, truncated_slice_log_is_said_once_in_json_and_trace)
{
	mos_sched_report_t *r = lib_run(WL "silberschatz-rr-q4.json", NULL);
	json_t *o, *t, *evs, *mark;

	r->slices_truncated = true;
	o = t_written(mos_sched_report_write_json, r);
	cr_expect(json_is_true(json_object_get(o, "slices_truncated")));
	json_decref(o);

	t = t_written(mos_sched_report_write_trace, r);
	cr_expect(json_is_true(json_object_get(json_object_get(t, "otherData"),
					       "slices_truncated")));
	cr_assert_eq(count_ph(t, "i"), 1);
	cr_expect_eq(count_ph(t, "X"), r->nslices);
	evs = json_object_get(t, "traceEvents");
	mark = json_array_get(evs, json_array_size(evs) - 1);
	cr_expect_str_eq(str_at(mark, "ph"), "i");
	/* At the end of the last slice kept: P1's, at 30 ms = 30000 us. */
	cr_expect_float_eq(num_at(mark, "ts"), 30000.0, 1e-9);
	json_decref(t);
	mos_sched_report_free(r);
}

Test(report, trace_names_what_it_is_of)
{
	mos_sched_report_t *r = lib_run(WL "silberschatz-rr-q4.json", "fifo");
	json_t *t = t_written(mos_sched_report_write_trace, r), *other;
	char hash[17];

	snprintf(hash, sizeof(hash), "%016" PRIx64, r->trace_hash);
	other = json_object_get(t, "otherData");
	cr_expect_str_eq(str_at(other, "workload"), "silberschatz-rr-q4");
	cr_expect_str_eq(str_at(other, "policy"), "fifo");
	cr_expect_eq(num_at(other, "tick_ns"), 1e6);
	cr_expect_str_eq(str_at(other, "trace_hash"), hash);
	cr_expect(json_is_false(json_object_get(other, "slices_truncated")));
	cr_expect_eq(count_ph(t, "i"), 0);
	json_decref(t);
	mos_sched_report_free(r);
}
