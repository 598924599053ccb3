/*
 * tests/test_report.c - the report's renderer (src/report/): exact
 * coordinates and labels of a small document's plot, escaping, the
 * shape errors with their JSON paths, and the public calls
 * (mos_scenario_write_html, mos_scenario_plot_file,
 * mos_scenario_series_name).  tests/check_report.sh parses the
 * command's output with python3.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "multios/multios.h"
#include "report/report.h"
#include "timeout.h"

TestSuite(runreport, .timeout = T_TIMEOUT);

/* A run document with three samples at 0, 50 and 100 ns; memory 0, 1
 * KiB, 2 KiB; every other series 0 but cpu (permille 500) and the
 * scenario named name.  extra (may be "") goes in before "series". */
static json_t *doc3(const char *name, const char *extra)
{
	char text[4096];
	json_error_t je;
	json_t *d;

	snprintf(text, sizeof(text),
		 "{\"scenario\": \"%s\", \"seed\": 1, \"end_ns\": 100, "
		 "\"trace_hash\": \"00000000000000ff\", \"actions_failed\": 0, "
		 "\"services\": [], \"processes\": [], \"stats\": {"
		 "\"processes_created\": 0, \"processes_exited\": 0, "
		 "\"dispatches\": 0, \"context_switches\": 0, "
		 "\"preemptions\": 0, \"syscalls\": 0, \"busy_ns\": 0, "
		 "\"idle_ns\": 0, \"limit_violations\": 0, "
		 "\"memory_peak\": 0, \"signals_sent\": 0, "
		 "\"signals_delivered\": 0, \"permission_denials\": 0}, %s"
		 "\"series\": {\"interval_ns\": 50, \"time_ns\": [0, 50, 100], "
		 "\"memory_bytes\": [0, 1024, 2048], "
		 "\"cpu_permille\": [500, 500, 500], \"runnable\": [0, 0, 0], "
		 "\"processes\": [0, 0, 0], \"requests\": [0, 0, 0], "
		 "\"requests_failed\": [0, 0, 0], "
		 "\"latency_p50_ns\": [0, 0, 0], "
		 "\"latency_max_ns\": [0, 0, 0]}}", name, extra);
	d = json_loads(text, 0, &je);
	cr_assert(d, "doc3: %s", je.text);
	return d;
}

/* What fn wrote (free it); *rc its code. */
static char *svg_of(json_t *d, unsigned mask, int *rc, mos_error_t *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	memset(e, 0, sizeof(*e));
	*rc = mos__report_svg(d, "input", mask, f, e);
	fclose(f);
	return buf;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

Test(runreport, plot_coordinates_and_labels_are_exact)
{
	mos_error_t e;
	int rc;
	json_t *d = doc3("t", "");
	char *s = svg_of(d, 1u, &rc, &e);

	cr_assert_eq(rc, 0, "%s", e.message);
	/* x: 0..100 ns over 740 px from 200; y: 0..2 KiB over 120 px up
	 * from 152. */
	cr_assert(strstr(s, "<path class=\"series\" data-series=\"memory_bytes\" "
			 "fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"1.5\" "
			 "d=\"M200 152L570 92L940 32\"/>"), "%s", s);
	cr_assert_eq(count(s, "<path "), 1);
	cr_assert(strstr(s, ">0.5 KiB</text>"));
	cr_assert(strstr(s, ">2 KiB</text>"));
	cr_assert(strstr(s, ">50 ns</text>"));
	cr_assert(strstr(s, ">100 ns</text>"));
	cr_assert(!strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
			   "xmlns=\"http://www.w3.org/2000/svg\"", 67));
	free(s);
	json_decref(d);
}

Test(runreport, one_path_per_series_and_cpu_in_percent)
{
	mos_error_t e;
	int rc;
	json_t *d = doc3("t", "");
	char *s = svg_of(d, 0, &rc, &e);

	cr_assert_eq(rc, 0, "%s", e.message);
	cr_assert_eq(count(s, "<path "), MOS_RPT_NSERIES);
	for (size_t i = 0; i < MOS_RPT_NSERIES; i++) {
		char want[64];

		snprintf(want, sizeof(want), "data-series=\"%s\"",
			 mos_scenario_series_name(i));
		cr_assert_eq(count(s, want), 1, "%s", want);
	}
	/* 500 permille is half of the 100% axis: y 152 - 60 in chart 2. */
	cr_assert(strstr(s, ">100%</text>"));
	cr_assert(strstr(s, "d=\"M200 268L570 268L940 268\""), "%s", s);
	/* All-zero series: flat on the axis. */
	cr_assert(strstr(s, "data-series=\"runnable\" fill=\"none\" "
			 "stroke=\"#59a14f\" stroke-width=\"1.5\" "
			 "d=\"M200 504L570 504L940 504\""));
	free(s);
	json_decref(d);
}

Test(runreport, names_are_escaped)
{
	mos_error_t e;
	int rc;
	json_t *d = doc3("<a&'\\\"b>\\u0001", "");
	char *s = svg_of(d, 1u, &rc, &e);

	cr_assert_eq(rc, 0);
	cr_assert(strstr(s, "<title>&lt;a&amp;&#39;&quot;b&gt;?: time "
			 "series</title>"), "%s", s);
	free(s);
	json_decref(d);
}

/* doc3 with one change made by a JSON pointer-like edit: key of the
 * object at path set to v (stolen). */
static void expect_error(json_t *d, const char *path, const char *text)
{
	mos_error_t e;
	int rc;
	char *s = svg_of(d, 0, &rc, &e);

	cr_assert_eq(rc, MOS_ECONFIG, "%s", path);
	cr_assert_str_eq(e.path, path);
	cr_assert(strstr(e.message, text), "%s", e.message);
	cr_assert(!strncmp(e.message, "input: ", 7), "%s", e.message);
	cr_assert_str_eq(s, "", "nothing written on error");
	free(s);
	json_decref(d);
}

Test(runreport, shape_errors_name_the_json_path)
{
	json_t *d;

	d = doc3("t", "");
	json_object_set_new(json_object_get(d, "series"), "time_ns",
			    json_string("x"));
	expect_error(d, "series.time_ns", "expected an array of integers");

	d = doc3("t", "");
	json_array_remove(json_object_get(json_object_get(d, "series"),
					  "runnable"), 0);
	expect_error(d, "series.runnable",
		     "has 2 entries, series.time_ns has 3");

	d = doc3("t", "");
	json_array_set_new(json_object_get(json_object_get(d, "series"),
					   "latency_max_ns"), 1,
			   json_integer(-1));
	expect_error(d, "series.latency_max_ns[1]", "must not be negative");

	d = doc3("t", "");
	json_object_set_new(d, "seed", json_real(1.5));
	expect_error(d, "seed", "expected an integer");

	d = doc3("t", "\"timeline\": [{\"time_ns\": 1, \"subject\": 2, "
		 "\"event\": \"\", \"reason\": \"\"}], ");
	expect_error(d, "timeline[0].subject", "expected a string");

	d = doc3("t", "");
	json_array_append_new(json_object_get(d, "processes"),
			      json_pack("{s:i, s:s, s:s, s:i, s:s, s:i, s:i, "
					"s:i}", "pid", 2, "name", "p", "state",
					"Exited", "exit_status", 0, "exit",
					"exited 0", "cpu_ns", 0, "start_ns", 9,
					"end_ns", 3));
	expect_error(d, "processes[0].end_ns", "must not be before start_ns");

	d = json_array();
	expect_error(d, "", "expected an object");
}

Test(runreport, html_holds_the_parts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *d = doc3("t", "\"timeline\": [{\"time_ns\": 0, \"subject\": "
			 "\"service s\", \"event\": \"Stopped -> Running\", "
			 "\"reason\": \"\"}], ");
	mos_error_t e;

	json_array_append_new(json_object_get(d, "services"), json_pack(
		"{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, "
		"s:{s:i, s:i, s:i, s:i}}", "name", "s", "state", "Running",
		"reason", "ready", "restarts", 0, "instances", 1, "live", 1,
		"ready", 1, "last_exit_status", 0, "health_checks", 0,
		"health_failures", 0, "calls", 0, "calls_failed", 0,
		"latency_ns", "p50", 0, "p90", 0, "p99", 0, "max", 0));
	cr_assert(f);
	cr_assert_eq(mos__report_html(d, "input", f, &e), 0, "%s", e.message);
	fclose(f);
	cr_assert(strstr(buf, "<h1>Scenario t</h1>"));
	cr_assert(strstr(buf, "seed 1, end 0.000 ms, trace hash "
			 "<code>00000000000000ff</code>, 0 action(s) refused"));
	cr_assert(strstr(buf, "<table class=\"services\">"));
	cr_assert(strstr(buf, "class=\"gantt\""));
	cr_assert(strstr(buf, "<title>s: Running, 0.000 to 0.000 ms</title>"),
		  "%s", buf);
	/* Stopped for no time at all: no bar. */
	cr_assert_null(strstr(buf, "<title>s: Stopped"));
	cr_assert_eq(count(buf, "<path class=\"series\""), MOS_RPT_NSERIES);
	cr_assert(strstr(buf, "<table class=\"timeline\">"));
	cr_assert_null(strstr(buf, "<script"));
	cr_assert_null(strstr(buf, "http"));
	free(buf);
	json_decref(d);
}

Test(runreport, public_calls)
{
	mos_scenario_result_t *r = NULL;
	mos_scenario_t *sc = NULL;
	char path[] = "/tmp/report_test_XXXXXX";
	const char *bogus[] = {"memory_bytes", "bogus", NULL};
	char *buf = NULL;
	size_t len = 0;
	mos_error_t e;
	int fd = mkstemp(path);
	FILE *f;

	cr_assert_str_eq(mos_scenario_series_name(0), "memory_bytes");
	cr_assert_str_eq(mos_scenario_series_name(7), "latency_max_ns");
	cr_assert_null(mos_scenario_series_name(8));
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"name\": \"a<b\", \"until\": \"10ms\", \"actions\": [{\"at\": "
	      "\"2ms\", \"do\": \"mark\", \"label\": \"x\"}]}", f);
	fclose(f);
	cr_assert_eq(mos_scenario_load(path, &sc, &e), 0, "%s", e.message);
	cr_assert_eq(mos_scenario_run(sc, NULL, &r, &e), 0, "%s", e.message);
	cr_assert_eq(mos_scenario_write_html(NULL, stdout), MOS_EINVAL);
	cr_assert_eq(mos_scenario_write_html(r, NULL), MOS_EINVAL);
	f = open_memstream(&buf, &len);
	cr_assert_eq(mos_scenario_write_html(r, f), 0);
	fclose(f);
	cr_assert(strstr(buf, "<title>multios run: a&lt;b</title>"));
	free(buf);
	/* The JSON back through plot_file. */
	f = fopen(path, "w");
	cr_assert_eq(mos_scenario_write_json(r, f, true), 0);
	fclose(f);
	buf = NULL;
	f = open_memstream(&buf, &len);
	cr_assert_eq(mos_scenario_plot_file(path, bogus, f, &e), MOS_EINVAL);
	cr_assert(strstr(e.message, "unknown series 'bogus'"), "%s", e.message);
	cr_assert_eq(mos_scenario_plot_file(path, bogus + 1 + 1, f, &e), 0,
		     "%s", e.message);
	fclose(f);
	cr_assert_eq(count(buf, "<path class=\"series\""), MOS_RPT_NSERIES);
	free(buf);
	cr_assert_eq(mos_scenario_plot_file("/nonexistent/run.json", NULL,
					    stdout, &e), MOS_EIO);
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
	unlink(path);
}
