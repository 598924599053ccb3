/*
 * test_scenario2.c - the scenario actions for the admin's OOM response
 * (src/scenario/scenario_act.c: "oom", "oom_score_adj").
 *
 * The OOM response switched on by an action kills the process with the
 * highest badness at the exact instant the machine runs out, and an
 * oom_score_adj set by an action protects one (-1000) or picks one
 * (+500); without the action nothing is killed.  The loader's errors for
 * the two actions name their JSON path.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "multios/multios.h"
#include "timeout.h"

TestSuite(scenario2, .timeout = T_TIMEOUT);

/* Load text from a temporary file: the code, the scenario in *out (NULL
 * on error), the error in *e. */
static int load_text(const char *text, mos_scenario_t **out, mos_error_t *e)
{
	char path[] = "/tmp/scen2_test_XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f;

	cr_assert(fd >= 0);
	cr_assert((f = fdopen(fd, "w")));
	fputs(text, f);
	fclose(f);
	rc = mos_scenario_load(path, out, e);
	unlink(path);
	return rc;
}

static mos_scenario_result_t *run_text(const char *text)
{
	mos_scenario_result_t *r = NULL;
	mos_scenario_t *sc = NULL;
	mos_error_t e;

	cr_assert_eq(load_text(text, &sc, &e), 0, "load: %s", e.message);
	cr_assert_eq(mos_scenario_run(sc, NULL, &r, &e), 0, "run: %s",
		     e.message);
	mos_scenario_free(sc);
	return r;
}

static const mos_scenario_proc_report_t *proc_named(
	const mos_scenario_result_t *r, const char *name)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (!strcmp(r->procs[i].name, name))
			return &r->procs[i];
	cr_assert_fail("no process %s", name);
	return NULL;
}

/* The timeline lines with this event, "subject|reason@ms" joined by
 * ";" into buf. */
static const char *lines_of(const mos_scenario_result_t *r,
			    const char *event, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nevents && at < len; i++)
		if (!strcmp(r->events[i].event, event))
			at += (size_t)snprintf(buf + at, len - at,
					       "%s%s|%s@%llu", at ? ";" : "",
					       r->events[i].subject,
					       r->events[i].reason,
					       (unsigned long long)(
						       r->events[i].time /
						       MOS_MSEC));
	return buf;
}

/* A 1 MiB machine (ADMIN.md's example): a holds 300 KiB (badness 292),
 * b 400 KiB, c 200 KiB (195); e asks 400 KiB at 20 ms, which does not
 * fit.  ADJ and OOM are spliced in as actions. */
static char *machine(const char *actions)
{
	static const char fmt[] =
		"{\"until\": \"100ms\", \"config\": {\"resources\":"
		" {\"memory_size\": 1048576}},"
		"\"programs\": {"
		" \"hold300\": [{\"alloc\": \"300KiB\"}, {\"sleep\": \"1s\"}],"
		" \"hold400\": [{\"alloc\": \"400KiB\"}, {\"sleep\": \"1s\"}],"
		" \"hold200\": [{\"alloc\": \"200KiB\"}, {\"sleep\": \"1s\"}],"
		" \"greedy\": [{\"alloc\": \"400KiB\"}, {\"alloc\": \"400KiB\"},"
		"  {\"sleep\": \"1s\"}]},"
		"\"processes\": ["
		" {\"name\": \"a\", \"command\": [\"hold300\"]},"
		" {\"name\": \"b\", \"command\": [\"hold400\"]},"
		" {\"name\": \"c\", \"command\": [\"hold200\"]},"
		" {\"name\": \"e\", \"command\": [\"greedy\"], \"start\": 20}],"
		"\"actions\": [%s]}";
	size_t len = sizeof(fmt) + strlen(actions);
	char *s = malloc(len);

	cr_assert(s);
	snprintf(s, len, fmt, actions);
	return s;
}

static mos_scenario_result_t *run_machine(const char *actions)
{
	char *text = machine(actions);
	mos_scenario_result_t *r = run_text(text);

	free(text);
	return r;
}

/* b holds the most (400 KiB, 390) but its adj -1000 protects it: a (292)
 * is killed at 20 ms, the instant e's allocation finds the machine
 * full; the action lines say what was set. */
Test(scenario2, oom_action_kills_highest_badness_adj_protects)
{
	mos_scenario_result_t *r = run_machine(
		"{\"at\": 0, \"do\": \"oom\"},"
		"{\"at\": 0, \"do\": \"oom_score_adj\", \"process\": \"b\","
		" \"value\": -1000}");
	const mos_scenario_proc_report_t *a = proc_named(r, "a");
	char buf[512];

	cr_expect_str_eq(lines_of(r, "action oom", buf, sizeof(buf)),
			 "scenario|on@0");
	cr_expect_str_eq(lines_of(r, "action oom_score_adj", buf,
				  sizeof(buf)), "b (pid 3)|-1000@0");
	cr_expect_str_eq(lines_of(r, "mark", buf, sizeof(buf)),
			 "a (pid 2)|oom-kill@20");
	cr_expect(MOS_WIFSIGNALED(a->exit_status) &&
		  MOS_WTERMSIG(a->exit_status) == MOS_SIGKILL);
	cr_expect_eq(a->end, 20 * MOS_MSEC);
	cr_expect_eq(proc_named(r, "b")->end, MOS_TIME_NEVER);
	cr_expect_eq(proc_named(r, "c")->end, MOS_TIME_NEVER);
	cr_expect_eq(r->actions_failed, 0);
	mos_scenario_result_free(r);
}

/* Without the adj, b (390) is the victim; with c's +500 (695), c. */
Test(scenario2, oom_score_adj_picks_the_victim)
{
	mos_scenario_result_t *r = run_machine("{\"at\": 0, \"do\": \"oom\","
					       " \"enable\": true}");
	char buf[512];

	cr_expect_str_eq(lines_of(r, "mark", buf, sizeof(buf)),
			 "b (pid 3)|oom-kill@20");
	mos_scenario_result_free(r);
	r = run_machine("{\"at\": 0, \"do\": \"oom\"},"
			"{\"at\": \"10ms\", \"do\": \"oom_score_adj\","
			" \"process\": \"c\", \"value\": 500}");
	cr_expect_str_eq(lines_of(r, "mark", buf, sizeof(buf)),
			 "c (pid 4)|oom-kill@20");
	cr_expect_str_eq(lines_of(r, "action oom_score_adj", buf,
				  sizeof(buf)), "c (pid 4)|500@10");
	mos_scenario_result_free(r);
}

/* Off (never switched on, or switched off again): e's allocation is
 * refused, e goes on, and nobody dies. */
Test(scenario2, oom_off_kills_nobody)
{
	const char *const variants[] = {
		"",
		"{\"at\": 0, \"do\": \"oom\"},"
		"{\"at\": \"5ms\", \"do\": \"oom\", \"enable\": false}",
	};
	char buf[512];

	for (size_t v = 0; v < 2; v++) {
		mos_scenario_result_t *r = run_machine(variants[v]);

		cr_expect_str_eq(lines_of(r, "mark", buf, sizeof(buf)), "");
		for (size_t i = 0; i < r->nprocs; i++)
			cr_expect_eq(r->procs[i].end, MOS_TIME_NEVER, "%s",
				     r->procs[i].name);
		if (v == 1)
			cr_expect_str_eq(lines_of(r, "action oom", buf,
						  sizeof(buf)),
					 "scenario|on@0;scenario|off@5");
		mos_scenario_result_free(r);
	}
}

/* An adj on a process that is gone is refused at run time: its line says
 * so and the report counts it. */
Test(scenario2, oom_score_adj_on_a_dead_process_is_refused)
{
	mos_scenario_result_t *r = run_text(
		"{\"processes\": [{\"name\": \"p\", \"command\": [\"cpu\","
		" \"1ms\"]}], \"actions\": [{\"at\": \"5ms\","
		" \"do\": \"oom_score_adj\", \"process\": \"p\","
		" \"value\": 10}]}");
	char buf[256];

	cr_expect_eq(r->actions_failed, 1);
	cr_expect(strstr(lines_of(r, "action oom_score_adj", buf,
				  sizeof(buf)), "failed"), "%s", buf);
	mos_scenario_result_free(r);
}

static void expect_error(const char *action, const char *path,
			 const char *text)
{
	char doc[512];
	mos_scenario_t *sc = NULL;
	mos_error_t e;
	int rc;

	snprintf(doc, sizeof(doc),
		 "{\"processes\": [{\"name\": \"p\", \"command\": [\"idle\"]}],"
		 " \"actions\": [%s]}", action);
	rc = load_text(doc, &sc, &e);
	cr_assert_eq(rc, MOS_ECONFIG, "%s: rc %d", action, rc);
	cr_assert_null(sc);
	cr_expect_str_eq(e.path, path, "%s: %s", action, e.message);
	cr_expect(strstr(e.text, text), "%s: '%s' lacks '%s'", action, e.text,
		  text);
	cr_expect(strstr(e.message, "/tmp/scen2_test_"), "%s", e.message);
}

Test(scenario2, loader_errors_name_the_path)
{
	expect_error("{\"at\": 0, \"do\": \"oom\", \"enable\": 1}",
		     "actions[0].enable", "boolean");
	expect_error("{\"at\": 0, \"do\": \"oom\", \"process\": \"p\"}",
		     "actions[0].process", "unknown key");
	expect_error("{\"at\": 0, \"do\": \"oom_score_adj\", \"process\":"
		     " \"p\"}", "actions[0].value", "missing required key");
	expect_error("{\"at\": 0, \"do\": \"oom_score_adj\", \"process\":"
		     " \"p\", \"value\": 1001}", "actions[0].value",
		     "between -1000 and 1000");
	expect_error("{\"at\": 0, \"do\": \"oom_score_adj\", \"process\":"
		     " \"p\", \"value\": -2.5}", "actions[0].value",
		     "integer");
	expect_error("{\"at\": 0, \"do\": \"oom_score_adj\", \"value\": 1}",
		     "actions[0]", "either");
	expect_error("{\"at\": 0, \"do\": \"oom_score_adj\", \"process\":"
		     " \"q\", \"value\": 1}", "actions[0].process",
		     "no process named 'q'");
	expect_error("{\"at\": 0, \"do\": \"oom_kill\"}", "actions[0].do",
		     "oom_score_adj");
}
