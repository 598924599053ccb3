/*
 * tests/test_sweep.c - parameter sweeps (multios/sweep.h): the run order,
 * the spec's validation (exact codes and JSON paths), one run's JSON line
 * with values worked out by hand, and the table that merges lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "multios/multios.h"
#include "timeout.h"

TestSuite(sweep, .timeout = T_TIMEOUT);

#define DATA "tests/data/sweeps/"
#define WL "../../../examples/workloads/silberschatz-rr-q4.json"

static char *run_line(const char *spec, size_t i)
{
	mos_sweep_t *sw;
	mos_error_t err;
	char *line;

	cr_assert_eq(mos_sweep_load(spec, &sw, &err), 0, "%s", err.message);
	cr_assert_eq(mos_sweep_run(sw, i, &line, &err), 0, "%s", err.message);
	mos_sweep_free(sw);
	return line;
}

/* FCFS on P1 24, P2 3, P3 3: waits 0, 24, 27 (avg 17), two switches;
 * RR q=4: waits 6, 4, 7 (avg 17/3), P1 P2 P3 P1: three switches. */
Test(sweep, line_of_a_run_holds_exact_values)
{
	char *a = run_line(DATA "two.json", 0), *b = run_line(DATA "two.json", 1);

	cr_assert_str_eq(a, "{\"run\":0,\"runs\":2,\"workload\":\"" WL "\","
			 "\"policy\":\"fifo\",\"avg_waiting\":17.0,"
			 "\"context_switches\":2,\"makespan\":30}\n");
	cr_assert_str_eq(b, "{\"run\":1,\"runs\":2,\"workload\":\"" WL "\","
			 "\"policy\":\"rr\",\"avg_waiting\":5.666667,"
			 "\"context_switches\":3,\"makespan\":30}\n");
	free(a);
	free(b);
}

/* rr-quantum: 2 workloads x 2 policies x 2 quanta x 2 seeds, the seed
 * varying fastest: run 13 = workload 1, lottery, quantum 1, seed 2. */
Test(sweep, runs_expand_last_axis_fastest)
{
	mos_sweep_t *sw;
	mos_error_t err;
	char *line;

	cr_assert_eq(mos_sweep_load("examples/sweeps/rr-quantum.json", &sw,
				    &err), 0, "%s", err.message);
	cr_assert_eq(mos_sweep_count(sw), 16);
	cr_assert_str_eq(mos_sweep_name(sw), "rr-quantum");
	cr_assert_eq(mos_sweep_run(sw, 13, &line, &err), 0);
	cr_assert(strstr(line, "\"run\":13,\"runs\":16,\"workload\":"
			 "\"../workloads/ostep-rr-response.json\",\"policy\":"
			 "\"lottery\",\"quantum\":1,\"seed\":2,") != NULL, "%s",
		  line);
	free(line);
	cr_assert_eq(mos_sweep_run(sw, 16, &line, &err), MOS_EINVAL);
	cr_assert_null(line);
	mos_sweep_free(sw);
}

Test(sweep, scenario_runs_take_seed_and_until)
{
	mos_sweep_t *sw;
	mos_error_t err;
	char *line;

	cr_assert_eq(mos_sweep_load("examples/sweeps/web-seeds.json", &sw,
				    &err), 0, "%s", err.message);
	cr_assert_eq(mos_sweep_count(sw), 6);
	cr_assert_eq(mos_sweep_run(sw, 3, &line, &err), 0, "%s", err.message);
	cr_assert(!strncmp(line, "{\"run\":3,\"runs\":6,\"scenario\":"
			   "\"../scenarios/web-stack.json\",\"seed\":2,"
			   "\"until\":\"2s\",\"end_ns\":2000000000,",
			   strlen("{\"run\":3,\"runs\":6,\"scenario\":"
				  "\"../scenarios/web-stack.json\",\"seed\":2,"
				  "\"until\":\"2s\",\"end_ns\":2000000000,")),
		  "%s", line);
	free(line);
	mos_sweep_free(sw);
}

static void expect_bad(const char *file, int code, const char *path,
		       const char *text)
{
	mos_sweep_t *sw = (mos_sweep_t *)1;
	mos_error_t err;

	cr_assert_eq(mos_sweep_load(file, &sw, &err), code, "%s: %s", file,
		     err.message);
	cr_assert_null(sw);
	cr_assert_eq(err.code, code);
	cr_assert_str_eq(err.path, path, "%s", file);
	cr_assert_str_eq(err.text, text, "%s", file);
}

Test(sweep, bad_specs_name_the_json_path)
{
	expect_bad(DATA "bad-quantum.json", MOS_ECONFIG, "grid.quantum[2]",
		   "must be between 1 and 10^12 ticks");
	expect_bad(DATA "bad-policy.json", MOS_ECONFIG, "grid.policy[1]",
		   "unknown policy 'nope'");
	expect_bad(DATA "empty-axis.json", MOS_ECONFIG, "grid.policy",
		   "must not be empty");
	expect_bad(DATA "unknown-key.json", MOS_ECONFIG, "grid.quanta",
		   "unknown key");
	expect_bad(DATA "both.json", MOS_ECONFIG, "",
		   "needs exactly one of \"workloads\" and \"scenarios\"");
	expect_bad(DATA "repeat.json", MOS_ECONFIG, "grid.seed[2]",
		   "repeats [0]");
	expect_bad(DATA "too-many.json", MOS_ERANGE, "grid",
		   "more than 100000 runs");
	expect_bad(DATA "bad-metric.json", MOS_ECONFIG, "metrics[1]",
		   "expected a metric of a workload run (docs/SWEEPS.md)");
}

Test(sweep, syntax_errors_have_line_and_column)
{
	mos_sweep_t *sw;
	mos_error_t err;

	cr_assert_eq(mos_sweep_load(DATA "syntax.json", &sw, &err),
		     MOS_ECONFIG);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(err.column, 12);
	cr_assert_eq(mos_sweep_load(DATA "missing-file.json", &sw, &err),
		     MOS_EIO);
	cr_assert_str_eq(err.source, DATA "no-such-file.json");
	cr_assert_eq(mos_sweep_load(NULL, &sw, &err), MOS_EINVAL);
}

static char *table_text(mos_sweep_table_t *t, mos_sweep_format_t f, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	mos_error_t err;

	*rc = mos_sweep_table_write(t, m, f, &err);
	fclose(m);
	return buf;
}

Test(sweep, table_merges_lines_in_run_order)
{
	char *a = run_line(DATA "two.json", 0), *b = run_line(DATA "two.json", 1);
	mos_sweep_table_t *t;
	mos_error_t err;
	char *s;
	int rc;

	cr_assert_eq(mos_sweep_table_new(&t), 0);
	cr_assert_eq(mos_sweep_table_add(t, b, "b", &err), 0, "%s", err.message);
	s = table_text(t, MOS_SWEEP_TEXT, &rc);
	cr_assert_eq(rc, MOS_ENOENT);
	free(s);
	cr_assert_eq(mos_sweep_table_add(t, b, "b", &err), MOS_EEXIST);
	cr_assert_str_eq(err.path, "run");
	cr_assert_eq(mos_sweep_table_add(t, a, "a", &err), 0, "%s", err.message);
	s = table_text(t, MOS_SWEEP_TEXT, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(s,
		"run  workload                                             policy  avg_waiting  context_switches  makespan\n"
		"  0  " WL "  fifo      17.000000                 2        30\n"
		"  1  " WL "  rr         5.666667                 3        30\n");
	free(s);
	s = table_text(t, MOS_SWEEP_CSV, &rc);
	cr_assert_str_eq(s, "run,workload,policy,avg_waiting,context_switches,makespan\n"
			 "0," WL ",fifo,17.000000,2,30\n1," WL ",rr,5.666667,3,30\n");
	free(s);
	s = table_text(t, MOS_SWEEP_JSONL, &rc);
	cr_assert_eq(strlen(s), strlen(a) + strlen(b));
	cr_assert(!strncmp(s, a, strlen(a)) && !strcmp(s + strlen(a), b));
	free(s);
	free(a);
	free(b);
	mos_sweep_table_free(t);
}

Test(sweep, table_refuses_lines_of_another_shape)
{
	mos_sweep_table_t *t;
	mos_error_t err;

	cr_assert_eq(mos_sweep_table_new(&t), 0);
	cr_assert_eq(mos_sweep_table_add(t, "{\"run\":0,\"runs\":2,\"x\":1}",
					 "f0", &err), 0);
	cr_assert_eq(mos_sweep_table_add(t, "{\"run\":1,\"runs\":2,\"y\":1}",
					 "f1", &err), MOS_ECONFIG);
	cr_assert_str_eq(err.path, "y");
	cr_assert_eq(mos_sweep_table_add(t, "{\"run\":1,\"runs\":3,\"x\":1}",
					 "f1", &err), MOS_ECONFIG);
	cr_assert_str_eq(err.path, "runs");
	cr_assert_eq(mos_sweep_table_add(t, "{\"run\":1,\"runs\":2,\"x\":\"s\"}",
					 "f1", &err), MOS_ECONFIG);
	cr_assert_str_eq(err.path, "x");
	cr_assert_eq(mos_sweep_table_add(t, "{\"run\":2,\"runs\":2,\"x\":1}",
					 "f1", &err), MOS_ECONFIG);
	cr_assert_str_eq(err.path, "run");
	cr_assert_eq(mos_sweep_table_add(t, "{\"run\":1,", "f1", &err),
		     MOS_ECONFIG);
	cr_assert_eq(err.line, 1);
	cr_assert_str_eq(err.source, "f1");
	cr_assert_eq(mos_sweep_table_size(t), 1);
	mos_sweep_table_free(t);
}

Test(sweep, svg_has_one_bar_per_run)
{
	char *a = run_line(DATA "two.json", 0), *b = run_line(DATA "two.json", 1);
	mos_sweep_table_t *t;
	mos_error_t err;
	char *buf = NULL, *p;
	size_t len = 0, bars = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_eq(mos_sweep_table_new(&t), 0);
	mos_sweep_table_add(t, a, "a", &err);
	mos_sweep_table_add(t, b, "b", &err);
	cr_assert_eq(mos_sweep_table_write_svg(t, "nope", m, &err), MOS_EINVAL);
	cr_assert_eq(mos_sweep_table_write_svg(t, NULL, m, &err), 0);
	fclose(m);
	for (p = buf; (p = strstr(p, "class=\"bar\"")); p++)
		bars++;
	cr_assert_eq(bars, 2);
	/* The first metric, avg_waiting: 17 is the longest bar, 600 px. */
	cr_assert(strstr(buf, "data-run=\"0\" x=\"300\" y=\"26\" width=\"600\"") != NULL, "%s", buf);
	free(buf);
	free(a);
	free(b);
	mos_sweep_table_free(t);
}
