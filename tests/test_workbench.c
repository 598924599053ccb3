/*
 * tests/test_workbench.c - the scheduler workbench: the textbook cases
 * through the multios command, and hand-worked cases at exact ticks.
 *
 * Every expected number below was worked out by hand from the rules in
 * docs/SCHEDULERS.md; the comment above each case shows the schedule.
 */
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers_json.h"
#include "timeout.h"

TestSuite(workbench, .timeout = T_TIMEOUT);

/* The textbook cases in tests/data/cases/; MOS_CASES_DIR points the same
 * test at another folder of cases in that format. */
static const char *cases_dir(void)
{
	const char *d = getenv("MOS_CASES_DIR");
	return d && *d ? d : "tests/data/cases";
}

/* ---- the textbook cases, through `multios sched CASE --json` ------------- */

/* Every key of `want` is in `got` with an equal value (numbers to 1e-6). */
static void expect_subset(json_t *got, json_t *want, const char *path)
{
	char sub[256];
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(want)) {
		json_object_foreach(want, key, v) {
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			cr_assert_not_null(json_object_get(got, key), "missing %s", sub);
			expect_subset(json_object_get(got, key), v, sub);
		}
	} else if (json_is_array(want)) {
		cr_assert_eq(json_array_size(got), json_array_size(want), "%s size", path);
		json_array_foreach(want, i, v) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			expect_subset(json_array_get(got, i), v, sub);
		}
	} else if (json_is_number(want)) {
		cr_assert(json_is_number(got), "%s: not a number", path);
		cr_assert_float_eq(json_number_value(got), json_number_value(want),
				   1e-6, "%s: %g, want %g", path,
				   json_number_value(got), json_number_value(want));
	} else {
		cr_assert(json_equal(got, want), "%s differs", path);
	}
}

Test(workbench, cases_through_the_cli)
{
	char pattern[512];
	glob_t g;
	size_t ran = 0;

	snprintf(pattern, sizeof(pattern), "%s/*.expected.json", cases_dir());
	cr_assert_eq(glob(pattern, 0, NULL, &g), 0, "no cases in %s", cases_dir());
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char wl[512], *cut;
		json_error_t jerr;
		json_t *want, *got;

		snprintf(wl, sizeof(wl), "%s", g.gl_pathv[i]);
		cut = strstr(wl, ".expected.json");
		strcpy(cut, ".json");
		want = json_load_file(g.gl_pathv[i], 0, &jerr);
		cr_assert_not_null(want, "%s: %s", g.gl_pathv[i], jerr.text);
		got = t_sched_json(wl[0] ? strcat(wl, " --json") : wl);
		expect_subset(got, want, wl);
		json_decref(want);
		json_decref(got);
		ran++;
	}
	globfree(&g);
	cr_assert_geq(ran, 6);
}

/* ---- hand-worked cases ------------------------------------------------------- */

typedef struct want_proc {
	double first_run, finish;
} want_proc_t;

typedef struct hand_case {
	const char *name;
	const char *json;
	size_t n;
	want_proc_t p[8];
	long switches;        /* -1: not checked */
	long misses;
} hand_case_t;

#define run_json t_run_workload

static double tk(mos_time_t t, mos_time_t tick) { return (double)t / (double)tick; }

static void check_case(const hand_case_t *c)
{
	mos_sched_report_t *r = run_json(c->json);

	cr_assert_eq(r->nprocs, c->n, "%s: processes", c->name);
	for (size_t i = 0; i < c->n; i++) {
		cr_expect_float_eq(tk(r->procs[i].first_run, r->tick),
				   c->p[i].first_run, 1e-9, "%s: %s first_run %g",
				   c->name, r->procs[i].name,
				   tk(r->procs[i].first_run, r->tick));
		cr_expect_float_eq(tk(r->procs[i].finish, r->tick), c->p[i].finish,
				   1e-9, "%s: %s finish %g", c->name,
				   r->procs[i].name, tk(r->procs[i].finish, r->tick));
	}
	if (c->switches >= 0)
		cr_expect_eq((long)r->context_switches, c->switches,
			     "%s: switches %llu", c->name,
			     (unsigned long long)r->context_switches);
	cr_expect_eq((long)r->deadline_misses, c->misses, "%s: misses %llu",
		     c->name, (unsigned long long)r->deadline_misses);
	mos_sched_report_free(r);
}

#define P(name, extra) "{\"name\":\"" name "\"," extra "}"
#define WL(policy, procs) \
	"{\"policy\":" policy ",\"processes\":[" procs "]}"

static const hand_case_t cases[] = {
	/* P1 0-5, P2 5-8, idle 8-10, P3 10-12: the dispatch after idling is
	 * not a switch. */
	{"fifo-arrivals",
	 WL("{\"name\":\"fifo\"}",
	    P("P1", "\"cpu\":5") "," P("P2", "\"arrival\":1,\"cpu\":3") ","
	    P("P3", "\"arrival\":10,\"cpu\":2")),
	 3, {{0, 5}, {5, 8}, {10, 12}}, 1, 0},
	/* P1 0-2, I/O 2-5; P2 2-6; P1 6-8. */
	{"fifo-io",
	 WL("{\"name\":\"fifo\"}",
	    P("P1", "\"bursts\":[{\"cpu\":2},{\"io\":3},{\"cpu\":2}]") ","
	    P("P2", "\"cpu\":4")),
	 2, {{0, 8}, {2, 6}}, 2, 0},
	/* Three jobs in I/O at once: P1 0-1, P2 1-2, P3 2-3, idle 3-6,
	 * P1 6-7, P2 7-8, P3 8-9. */
	{"fifo-parallel-io",
	 WL("{\"name\":\"fifo\"}",
	    P("P1", "\"bursts\":[{\"cpu\":1},{\"io\":5},{\"cpu\":1}]") ","
	    P("P2", "\"bursts\":[{\"cpu\":1},{\"io\":5},{\"cpu\":1}]") ","
	    P("P3", "\"bursts\":[{\"cpu\":1},{\"io\":5},{\"cpu\":1}]")),
	 3, {{0, 7}, {1, 8}, {2, 9}}, 4, 0},
	/* A trailing I/O burst: the process ends when its I/O does. */
	{"fifo-trailing-io",
	 WL("{\"name\":\"fifo\"}", P("P1", "\"bursts\":[{\"cpu\":2},{\"io\":3}]")),
	 1, {{0, 5}}, 0, 0},
	/* Context switch cost 1: P1 0-3, switch 3-4, P2 4-6. */
	{"fifo-switch-cost",
	 "{\"policy\":{\"name\":\"fifo\"},\"context_switch_cost\":1,"
	 "\"processes\":[" P("P1", "\"cpu\":3") "," P("P2", "\"cpu\":2") "]}",
	 2, {{0, 3}, {4, 6}}, 1, 0},
	/* Silberschatz's SJF with arrivals: P1 0-7, P3 7-8, P2 8-12 (ties
	 * with P4 on length 4; arrived first), P4 12-16. */
	{"sjf-arrivals",
	 WL("{\"name\":\"sjf\"}",
	    P("P1", "\"cpu\":7") "," P("P2", "\"arrival\":2,\"cpu\":4") ","
	    P("P3", "\"arrival\":4,\"cpu\":1") "," P("P4", "\"arrival\":5,\"cpu\":4")),
	 4, {{0, 7}, {8, 12}, {7, 8}, {12, 16}}, 3, 0},
	/* SJF orders by the next CPU burst: P1 0-5 (I/O 5-7); at 5 P3 (2)
	 * beats P2 (3): 5-7; at 7 P1 is back with a 1-tick burst: 7-8;
	 * P2 8-11. */
	{"sjf-next-burst",
	 WL("{\"name\":\"sjf\"}",
	    P("P1", "\"bursts\":[{\"cpu\":5},{\"io\":2},{\"cpu\":1}]") ","
	    P("P2", "\"arrival\":1,\"cpu\":3") "," P("P3", "\"arrival\":2,\"cpu\":2")),
	 3, {{0, 8}, {8, 11}, {5, 7}}, 3, 0},
	/* The hint before an I/O is the burst right after it, not a later
	 * one: P1 0-1 (I/O 1-2), P3 (3) 1-4; at 4 P1's next burst is 1,
	 * not its last 9, so it beats P2 (5): 4-5 (I/O 5-6); P2 5-10; P1
	 * 10-19. */
	{"sjf-hint-is-the-next-burst",
	 WL("{\"name\":\"sjf\"}",
	    P("P1", "\"bursts\":[{\"cpu\":1},{\"io\":1},{\"cpu\":1},"
		    "{\"io\":1},{\"cpu\":9}]") ","
	    P("P2", "\"cpu\":5") "," P("P3", "\"cpu\":3")),
	 3, {{0, 19}, {5, 10}, {1, 4}}, 4, 0},
	/* The same set as sjf-arrivals under STCF: P1 0-2, P2 2-4, P3 4-5
	 * (1 < P2's 2 left), P2 5-7, P4 7-11, P1 11-16. */
	{"stcf-arrivals",
	 WL("{\"name\":\"stcf\"}",
	    P("P1", "\"cpu\":7") "," P("P2", "\"arrival\":2,\"cpu\":4") ","
	    P("P3", "\"arrival\":4,\"cpu\":1") "," P("P4", "\"arrival\":5,\"cpu\":4")),
	 4, {{0, 16}, {2, 7}, {4, 5}, {7, 11}}, 5, 0},
	/* Equal time left does not preempt: P1 0-4 (P2 arrives at 2 with 2
	 * left, P1 has 2 left too), P2 4-6. */
	{"stcf-tie-no-preempt",
	 WL("{\"name\":\"stcf\"}",
	    P("P1", "\"cpu\":4") "," P("P2", "\"arrival\":2,\"cpu\":2")),
	 2, {{0, 4}, {4, 6}}, 1, 0},
	/* RR q1: 0 P1, 1 P2, 2 P3, 3 P1 (done 4), 4 P2 (5), 5 P3 (6). */
	{"rr-q1",
	 WL("{\"name\":\"rr\",\"quantum\":1}",
	    P("P1", "\"cpu\":2") "," P("P2", "\"cpu\":2") "," P("P3", "\"cpu\":2")),
	 3, {{0, 4}, {1, 5}, {2, 6}}, 5, 0},
	/* Quantum end and arrival at the same tick: the preempted P1 is
	 * queued first: P1 0-2, P1 2-4, P2 4-6. */
	{"rr-quantum-before-arrival",
	 WL("{\"name\":\"rr\",\"quantum\":2}",
	    P("P1", "\"cpu\":4") "," P("P2", "\"arrival\":2,\"cpu\":2")),
	 2, {{0, 4}, {4, 6}}, 1, 0},
	/* Quantum end and I/O completion at the same tick: P1 0-2 (I/O
	 * 2-4), P2 2-4, then P2 (queued first) 4-6, P1 6-7, P2 7-9.
	 * Switches: P1>P2, P2>P1, P1>P2 (P2 after P2 is none). */
	{"rr-quantum-before-io",
	 WL("{\"name\":\"rr\",\"quantum\":2}",
	    P("P1", "\"bursts\":[{\"cpu\":2},{\"io\":2},{\"cpu\":1}]") ","
	    P("P2", "\"cpu\":6")),
	 2, {{0, 7}, {2, 9}}, 3, 0},
	/* All three at tick 3: P3's quantum ends, P2 arrives, P1's I/O ends:
	 * queue P3, P2, P1.  P1 0-1 (I/O 1-3), P3 1-3, P3 3-5, P2 5-6,
	 * P1 6-7, P3 7-8. */
	{"rr-same-instant-order",
	 WL("{\"name\":\"rr\",\"quantum\":2}",
	    P("P1", "\"bursts\":[{\"cpu\":1},{\"io\":2},{\"cpu\":1}]") ","
	    P("P2", "\"arrival\":3,\"cpu\":1") "," P("P3", "\"cpu\":5")),
	 3, {{0, 7}, {5, 6}, {1, 8}}, 4, 0},
	/* Preemptive priority: P1 0-1, P2 1-3, P3 3-4, P1 4-8. */
	{"priority-preemptive",
	 WL("{\"name\":\"priority\"}",
	    P("P1", "\"cpu\":5,\"priority\":3") ","
	    P("P2", "\"arrival\":1,\"cpu\":2,\"priority\":1") ","
	    P("P3", "\"arrival\":2,\"cpu\":1,\"priority\":2")),
	 3, {{0, 8}, {1, 3}, {3, 4}}, 3, 0},
	/* The same, non-preemptive: P1 0-5, P2 5-7, P3 7-8. */
	{"priority-non-preemptive",
	 WL("{\"name\":\"priority\",\"preemptive\":false}",
	    P("P1", "\"cpu\":5,\"priority\":3") ","
	    P("P2", "\"arrival\":1,\"cpu\":2,\"priority\":1") ","
	    P("P3", "\"arrival\":2,\"cpu\":1,\"priority\":2")),
	 3, {{0, 5}, {5, 7}, {7, 8}}, 2, 0},
	/* No aging: at 6, P3 (5) before P2 (7): P1 0-6, P3 6-7, P2 7-8. */
	{"priority-no-aging",
	 WL("{\"name\":\"priority\",\"preemptive\":false}",
	    P("P1", "\"cpu\":6,\"priority\":0") "," P("P2", "\"cpu\":1,\"priority\":7") ","
	    P("P3", "\"arrival\":4,\"cpu\":1,\"priority\":5")),
	 3, {{0, 6}, {7, 8}, {6, 7}}, 2, 0},
	/* Aging 1: keys P2 7x1+0 = 7 < P3 5x1+4 = 9 (offsets cancel): P2
	 * waited longer and now goes first: P1 0-6, P2 6-7, P3 7-8. */
	{"priority-aging",
	 WL("{\"name\":\"priority\",\"preemptive\":false,\"aging\":1}",
	    P("P1", "\"cpu\":6,\"priority\":0") "," P("P2", "\"cpu\":1,\"priority\":7") ","
	    P("P3", "\"arrival\":4,\"cpu\":1,\"priority\":5")),
	 3, {{0, 6}, {6, 7}, {7, 8}}, 2, 0},
	/* Aging 2 with preemption: P2 (9) arrives at 1 behind P1 (5).  Its
	 * number at t is 9 - (t-1)/2: equal to 5 at t = 9, below it after;
	 * aging is looked at on ticks, so it preempts at 10: P2 10-11,
	 * P1 11-13 (P1 does not bounce back: it waits afresh from 10). */
	{"priority-aging-preempts",
	 WL("{\"name\":\"priority\",\"aging\":2}",
	    P("P1", "\"cpu\":12,\"priority\":5") ","
	    P("P2", "\"arrival\":1,\"cpu\":1,\"priority\":9")),
	 2, {{0, 13}, {10, 11}}, 2, 0},
	/* U = 2/5 + 4/7 = 0.97: above the RM bound for two tasks (0.83).
	 * RM: T2's first job ends at 8, past its deadline 7 (1 miss);
	 * T1 always finishes 2 after release.  See docs/SCHEDULERS.md. */
	{"rm-misses",
	 WL("{\"name\":\"rm\"}",
	    P("T1", "\"period\":5,\"wcet\":2,\"jobs\":7") ","
	    P("T2", "\"period\":7,\"wcet\":4,\"jobs\":5")),
	 2, {{0, 32}, {2, 34}}, -1, 1},
	/* EDF schedules the same set: no miss. */
	{"edf-schedules",
	 WL("{\"name\":\"edf\"}",
	    P("T1", "\"period\":5,\"wcet\":2,\"jobs\":7") ","
	    P("T2", "\"period\":7,\"wcet\":4,\"jobs\":5")),
	 2, {{0, 34}, {2, 32}}, -1, 0},
	/* The default policy on a workload: one level, 10-tick slices:
	 * P1 0-10, P2 10-15, P1 15-20. */
	{"multios-rr",
	 WL("{\"name\":\"multios\"}", P("P1", "\"cpu\":15") "," P("P2", "\"cpu\":5")),
	 2, {{0, 20}, {10, 15}}, 2, 0},
	/* A tick of 10 us changes nothing in ticks (rr-q1 again). */
	{"tick-10us",
	 "{\"tick\":\"10us\",\"policy\":{\"name\":\"rr\",\"quantum\":1},"
	 "\"processes\":[" P("P1", "\"cpu\":2") "," P("P2", "\"cpu\":2") ","
	 P("P3", "\"cpu\":2") "]}",
	 3, {{0, 4}, {1, 5}, {2, 6}}, 5, 0},
};

Test(workbench, hand_worked_cases)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check_case(&cases[i]);
}

/* Acceptance 2: the classic results, exactly. */
Test(workbench, classic_averages)
{
	static const char *const sets[][2] = {
		{"fifo", "17"}, {"sjf", "3"}, {"rr", "5.666667"},
	};
	for (size_t i = 0; i < 3; i++) {
		char json[512];
		mos_sched_report_t *r;

		snprintf(json, sizeof(json),
			 WL("{\"name\":\"%s\",\"quantum\":4}",
			    P("P1", "\"cpu\":24") "," P("P2", "\"cpu\":3") ","
			    P("P3", "\"cpu\":3")), sets[i][0]);
		r = run_json(json);
		cr_assert_float_eq(r->avg_waiting, atof(sets[i][1]), 1e-6,
				   "%s: %g", sets[i][0], r->avg_waiting);
		mos_sched_report_free(r);
	}
}

Test(workbench, periodic_entries_report_worst_response)
{
	mos_sched_report_t *r = run_json(WL("{\"name\":\"rm\"}",
		P("T1", "\"period\":5,\"wcet\":2,\"jobs\":7") ","
		P("T2", "\"period\":7,\"wcet\":4,\"jobs\":5")));

	cr_assert(r->procs[1].periodic);
	cr_assert_eq(r->procs[0].jobs, 7);
	cr_assert_eq(r->procs[1].jobs, 5);
	cr_assert_eq(r->procs[0].response, MS(2));
	cr_assert_eq(r->procs[1].response, MS(8)); /* job 0: 0 -> 8 */
	cr_assert_eq(r->procs[1].deadline_misses, 1);
	cr_assert_eq(r->procs[0].deadline_misses, 0);
	mos_sched_report_free(r);
}

Test(workbench, metrics_and_same_trace_twice)
{
	const char *json = WL("{\"name\":\"rr\",\"quantum\":2}",
		P("P1", "\"bursts\":[{\"cpu\":3},{\"io\":4},{\"cpu\":2}]") ","
		P("P2", "\"arrival\":1,\"cpu\":5"));
	mos_sched_report_t *a = run_json(json), *b = run_json(json);

	/* P1 0-2, P2 2-4, P1 4-5 (I/O 5-9), P2 5-7 and on 7-8 (alone: its
	 * expired slice re-dispatches it, and it continues that slice),
	 * idle 8-9, P1 9-11. */
	cr_assert_eq(a->makespan, MS(11));
	cr_assert_eq(a->busy, MS(10));
	cr_assert_float_eq(a->cpu_utilization, 10.0 / 11.0, 1e-12);
	cr_assert_float_eq(a->throughput, 2.0 / 11.0, 1e-12);
	cr_assert_eq(a->procs[0].waiting, MS(11 - 5 - 4));
	cr_assert_eq(a->procs[1].waiting, MS(7 - 5));
	cr_assert_eq(a->nslices, 5);
	cr_assert_eq(a->slices[3].start, MS(5));
	cr_assert_eq(a->slices[3].end, MS(8));
	cr_assert_eq(a->slices_truncated, false);
	cr_assert_eq(a->trace_hash, b->trace_hash);
	mos_sched_report_free(a);
	mos_sched_report_free(b);
}

/* Acceptance 5: --trace writes valid JSON, one complete event per slice. */
Test(workbench, chrome_trace_has_one_event_per_slice)
{
	char path[] = "/tmp/mos-trace-XXXXXX", args[512];
	int fd = mkstemp(path);
	json_error_t jerr;
	json_t *tr, *evs, *ev, *got;
	size_t i, x = 0, meta = 0;

	close(fd);
	snprintf(args, sizeof(args), "tests/data/cases/silberschatz-rr-q4.json --json --trace %s",
		 path);
	got = t_sched_json(args);
	json_decref(got);
	tr = json_load_file(path, 0, &jerr);
	unlink(path);
	cr_assert_not_null(tr, "trace is not JSON: %s", jerr.text);
	evs = json_object_get(tr, "traceEvents");
	cr_assert(json_is_array(evs));
	json_array_foreach(evs, i, ev) {
		const char *ph = json_string_value(json_object_get(ev, "ph"));
		if (!strcmp(ph, "X")) {
			x++;
			cr_assert(json_is_number(json_object_get(ev, "ts")));
			cr_assert_gt(json_number_value(json_object_get(ev, "dur")), 0);
		} else if (!strcmp(ph, "M")) {
			meta++;
		}
	}
	/* RR q4 on 24/3/3: P1 0-4, P2 4-7, P3 7-10, then P1 alone 10-30
	 * (each expiry re-dispatches it: one slice). */
	cr_assert_eq(x, 4);
	cr_assert_eq(meta, 3);
	ev = json_array_get(evs, 3);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "name")), "P1");
	cr_assert_float_eq(json_number_value(json_object_get(ev, "dur")), 4000.0, 1e-9);
	ev = json_array_get(evs, 6);
	cr_assert_str_eq(json_string_value(json_object_get(ev, "name")), "P1");
	cr_assert_float_eq(json_number_value(json_object_get(ev, "ts")), 10000.0, 1e-9);
	cr_assert_float_eq(json_number_value(json_object_get(ev, "dur")), 20000.0, 1e-9);
	json_decref(tr);
}
