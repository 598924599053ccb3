/*
 * test_scenario.c - scenario files (src/scenario/, multios/scenario.h).
 *
 * The loader's errors (syntax with line and column, meaning with the JSON
 * path, unknown actions, bad times, unknown names), each leaving nothing
 * allocated (the SAN build's leak check); the emergency stop action; actions at their exact virtual times in file order; a small
 * scenario's whole timeline; the report's fields; determinism of the
 * JSON for one seed, and a difference for another where jitter draws.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "multios/multios.h"
#include "timeout.h"

TestSuite(scenario, .timeout = T_TIMEOUT);

/* A scenario file holding text; the caller unlinks and frees the path. */
static char *sc_file(const char *text)
{
	char *path = strdup("/tmp/scen_test_XXXXXX");
	int fd;
	FILE *f;

	cr_assert(path);
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load text; the load's code, and its error in *e. */
static int sc_load_err(const char *text, mos_error_t *e)
{
	char *path = sc_file(text);
	mos_scenario_t *sc = (mos_scenario_t *)1;
	int rc = mos_scenario_load(path, &sc, e);

	if (rc)
		cr_assert_null(sc, "a failed load leaves *out NULL");
	mos_scenario_free(sc);
	unlink(path);
	free(path);
	return rc;
}

/* Load and run text (opts may be NULL); the result. */
static mos_scenario_result_t *sc_run(const char *text,
				     const mos_scenario_opts_t *opts)
{
	char *path = sc_file(text);
	mos_scenario_result_t *r = NULL;
	mos_scenario_t *sc = NULL;
	mos_error_t e;
	int rc = mos_scenario_load(path, &sc, &e);

	unlink(path);
	free(path);
	cr_assert_eq(rc, 0, "load: %s", e.message);
	rc = mos_scenario_run(sc, opts, &r, &e);
	cr_assert_eq(rc, 0, "run: %s", e.message);
	mos_scenario_free(sc);
	return r;
}

/* The result as JSON text (free it). */
static char *sc_json(const mos_scenario_result_t *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	cr_assert_eq(mos_scenario_write_json(r, f, true), 0);
	fclose(f);
	return buf;
}

static void expect_path(const char *text, const char *path, const char *in)
{
	mos_error_t e;
	int rc = sc_load_err(text, &e);

	cr_assert_eq(rc, MOS_ECONFIG, "%s: rc %d (%s)", text, rc, e.message);
	cr_assert_str_eq(e.path, path, "%s: path '%s' (%s)", text, e.path,
			 e.message);
	cr_assert(strstr(e.text, in), "%s: text '%s' lacks '%s'", text,
		  e.text, in);
	cr_assert(strstr(e.message, "/tmp/scen_test_"), "names the file: %s",
		  e.message);
}

/* ---- the loader's errors ------------------------------------------------- */

Test(scenario, syntax_error_names_line_and_column)
{
	mos_error_t e;

	cr_assert_eq(sc_load_err("{\n  \"name\": \"x\",\n  \"seed\": ,\n}\n",
				 &e), MOS_ECONFIG);
	cr_assert_eq(e.line, 3, "line %d: %s", e.line, e.message);
	cr_assert_gt(e.column, 0);
	cr_assert_str_eq(e.path, "");
}

Test(scenario, missing_file_is_eio)
{
	mos_scenario_t *sc = NULL;
	mos_error_t e;

	cr_assert_eq(mos_scenario_load("/nonexistent/scen.json", &sc, &e),
		     MOS_EIO);
	cr_assert_null(sc);
	cr_assert_eq(mos_scenario_load(NULL, &sc, &e), MOS_EINVAL);
}

Test(scenario, meaning_errors_name_the_json_path)
{
	expect_path("{\"sede\": 1}", "sede", "unknown key");
	expect_path("{\"until\": \"soon\"}", "until", "");
	expect_path("{\"config\": {\"scheduler\": {\"policy\": 3}}}",
		    "config.scheduler.policy", "");
	expect_path("{\"actions\": [{\"at\": \"1x\", \"do\": \"mark\", "
		    "\"label\": \"a\"}]}", "actions[0].at", "");
	expect_path("{\"actions\": [{\"do\": \"mark\", \"label\": \"a\"}]}",
		    "actions[0].at", "missing");
	expect_path("{\"actions\": [{\"at\": 1, \"do\": \"mark\", \"label\": "
		    "\"a\"}, {\"at\": \"2ms\", \"do\": \"explode\"}]}",
		    "actions[1].do", "unknown action 'explode'");
	expect_path("{\"processes\": [{\"name\": \"a\", \"command\": "
		    "[\"idle\"]}], \"actions\": [{\"at\": 1, \"do\": \"kill\", "
		    "\"process\": \"b\"}]}", "actions[0].process",
		    "no process named 'b'");
	expect_path("{\"actions\": [{\"at\": 1, \"do\": \"start\", "
		    "\"service\": \"nope\"}]}", "actions[0].service",
		    "no service named 'nope'");
	expect_path("{\"actions\": [{\"at\": 1, \"do\": \"start\"}]}",
		    "actions[0].service", "missing");
	expect_path("{\"actions\": [{\"at\": 1, \"do\": \"mark\", "
		    "\"label\": \"a\", \"signal\": \"TERM\"}]}",
		    "actions[0].signal", "unknown key");
	expect_path("{\"processes\": [{\"name\": \"a\", \"command\": "
		    "[\"idle\"]}], \"actions\": [{\"at\": 1, \"do\": "
		    "\"signal\", \"process\": \"a\", \"signal\": \"SIGNOPE\"}]}",
		    "actions[0].signal", "signal name");
	expect_path("{\"processes\": [{\"name\": \"a\", \"command\": "
		    "[\"idle\"]}, {\"name\": \"a\", \"command\": [\"idle\"]}]}",
		    "processes[1]", "duplicate process name");
	expect_path("{\"processes\": [{\"name\": \"a\", \"command\": "
		    "[\"idle\"], \"limits\": {\"max_cpu\": 1}}]}",
		    "processes[0].limits.max_cpu", "unknown key");
	expect_path("{\"services\": [{\"name\": \"s\", \"command\": "
		    "[\"idle\"], \"restart\": {\"dealy\": 1}}]}",
		    "services[0].restart.dealy", "unknown key");
	expect_path("{\"services\": [{\"name\": \"s\", \"command\": "
		    "[\"idle\"]}], \"autostart\": [\"t\"]}", "autostart[0]",
		    "no service named 't'");
	expect_path("{\"programs\": {\"idle\": [{\"exit\": 0}]}}",
		    "programs.idle", "built-in");
	expect_path("{\"programs\": {\"p\": [{\"jump\": 0}]}}", "programs.p",
		    "");
}

Test(scenario, registration_errors_name_the_service)
{
	mos_error_t e;

	cr_assert_eq(sc_load_err("{\"services\": [{\"name\": \"a\", "
				 "\"command\": [\"idle\"], \"dependencies\": "
				 "[\"zz\"]}]}", &e), MOS_EDEPEND, "%s",
		     e.message);
	cr_assert(strstr(e.path, "services[0]"), "%s", e.message);
	cr_assert_eq(sc_load_err("{\"services\": [{\"name\": \"a\", "
				 "\"command\": [\"nosuchprog\"]}]}", &e),
		     MOS_ENOPROG, "%s", e.message);
}

/* ---- the run ------------------------------------------------------------- */

/* The timeline lines whose event is "action ...", as "TIME EVENT REASON". */
static size_t actions_of(const mos_scenario_result_t *r, char out[][96],
			 size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nevents && n < cap; i++)
		if (!strncmp(r->events[i].event, "action ", 7))
			snprintf(out[n++], 96, "%llu %.40s %.40s",
				 (unsigned long long)r->events[i].time,
				 r->events[i].event, r->events[i].reason);
	return n;
}

Test(scenario, actions_fire_at_exact_times_in_file_order)
{
	mos_scenario_result_t *r = sc_run(
		"{\"actions\": ["
		"{\"at\": \"2ms\", \"do\": \"mark\", \"label\": \"b\"},"
		"{\"at\": \"1500us\", \"do\": \"mark\", \"label\": \"a\"},"
		"{\"at\": \"2ms\", \"do\": \"mark\", \"label\": \"c\"},"
		"{\"at\": 3, \"do\": \"mark\", \"label\": \"d\"}]}", NULL);
	char got[8][96];
	size_t n = actions_of(r, got, 8);

	cr_assert_eq(n, 4);
	cr_assert_str_eq(got[0], "1500000 action mark a");
	cr_assert_str_eq(got[1], "2000000 action mark b");
	cr_assert_str_eq(got[2], "2000000 action mark c");
	cr_assert_str_eq(got[3], "3000000 action mark d");
	/* Nothing left to do after the last action: the run ends there. */
	cr_assert_eq(r->end, 3 * MOS_MSEC);
	mos_scenario_result_free(r);
}

Test(scenario, small_timeline_is_exact)
{
	static const char *const want[][4] = {
		{"1000000", "w (pid 2)", "New -> Ready", "create"},
		{"2000000", "w (pid 2)", "action suspend", ""},
		{"2000000", "w (pid 2)", "signal SIGSTOP", "from pid 0: stopped"},
		/* The host stops it between two runs, mid-burst. */
		{"2000000", "w (pid 2)", "Running -> Suspended", "suspend"},
		{"4000000", "w (pid 2)", "action resume", ""},
		{"4000000", "w (pid 2)", "signal SIGCONT", "from pid 0: continued"},
		{"4000000", "w (pid 2)", "Suspended -> Ready", "resume"},
		/* 1 ms before the stop, 4 ms after the resume. */
		{"8000000", "w (pid 2)", "Running -> Terminated", "exit"},
		/* Reaped by init: gone. */
		{"9000000", "w (pid 2)", "action kill",
		 "failed: process not found"},
	};
	mos_scenario_result_t *r = sc_run(
		"{\"processes\": [{\"name\": \"w\", \"command\": "
		"[\"cpu\", \"5ms\"], \"start\": \"1ms\"}],"
		"\"actions\": ["
		"{\"at\": \"2ms\", \"do\": \"suspend\", \"process\": \"w\"},"
		"{\"at\": \"4ms\", \"do\": \"resume\", \"process\": \"w\"},"
		"{\"at\": \"9ms\", \"do\": \"kill\", \"process\": \"w\"}]}",
		NULL);
	char t[32];

	for (size_t i = 0; i < r->nevents; i++)
		cr_log_info("%llu|%s|%s|%s", (unsigned long long)r->events[i].time,
			    r->events[i].subject, r->events[i].event,
			    r->events[i].reason);
	cr_assert_eq(r->nevents, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < r->nevents; i++) {
		snprintf(t, sizeof(t), "%llu",
			 (unsigned long long)r->events[i].time);
		cr_assert_str_eq(t, want[i][0], "event %zu", i);
		cr_assert_str_eq(r->events[i].subject, want[i][1], "event %zu", i);
		cr_assert_str_eq(r->events[i].event, want[i][2], "event %zu", i);
		cr_assert_str_eq(r->events[i].reason, want[i][3], "event %zu", i);
	}
	cr_assert_eq(r->actions_failed, 1);
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->procs[0].pid, 2);
	cr_assert_str_eq(r->procs[0].name, "w");
	cr_assert_eq(r->procs[0].cpu, 5 * MOS_MSEC);
	cr_assert(MOS_WIFEXITED(r->procs[0].exit_status));
	mos_scenario_result_free(r);
}

Test(scenario, crash_exits_with_the_code)
{
	mos_scenario_result_t *r = sc_run(
		"{\"processes\": [{\"name\": \"d\", \"command\": [\"idle\"]}],"
		"\"actions\": [{\"at\": \"3ms\", \"do\": \"crash\", "
		"\"process\": \"d\", \"code\": 7}]}", NULL);

	cr_assert_eq(r->nprocs, 1);
	cr_assert(MOS_WIFEXITED(r->procs[0].exit_status));
	cr_assert_eq(MOS_WEXITSTATUS(r->procs[0].exit_status), 7);
	cr_assert_eq(r->end, 3 * MOS_MSEC);
	mos_scenario_result_free(r);
}

static const char web[] =
	"{\"seed\": %d, \"until\": \"1s\","
	"\"programs\": {\"crasher\": [{\"compute\": \"1ms\"}, {\"exit\": 2}]},"
	"\"services\": ["
	"{\"name\": \"web\", \"command\": [\"server\", \"1ms\", \"900us\"],"
	" \"instances\": 2},"
	"{\"name\": \"bad\", \"command\": [\"crasher\"], \"restart\": "
	"{\"policy\": \"on-failure\", \"delay\": \"10ms\", \"max_restarts\": 2,"
	" \"window\": \"10s\"}}],"
	"\"actions\": [{\"at\": \"10ms\", \"do\": \"clients\", \"service\": "
	"\"web\", \"rate\": 100, \"count\": 20, \"clients\": 2}]}";

Test(scenario, report_fields)
{
	char text[sizeof(web) + 16];
	mos_scenario_result_t *r;

	snprintf(text, sizeof(text), web, 5);
	r = sc_run(text, NULL);
	cr_assert_eq(r->seed, 5);
	cr_assert_eq(r->end, MOS_SEC);
	cr_assert_eq(r->nservices, 2);
	cr_assert_str_eq(r->services[0].name, "web");
	cr_assert_eq(r->services[0].state, MOS_SVC_RUNNING);
	cr_assert_eq(r->services[0].instances, 2);
	cr_assert_eq(r->services[0].live, 2);
	cr_assert_eq(r->services[0].calls, 40);
	cr_assert_eq(r->services[0].calls_failed, 0);
	cr_assert_geq(r->services[0].latency_p50, 100 * MOS_USEC);
	cr_assert_leq(r->services[0].latency_p50, r->services[0].latency_p99);
	cr_assert_leq(r->services[0].latency_p99, r->services[0].latency_max);
	cr_assert_str_eq(r->services[1].name, "bad");
	cr_assert_eq(r->services[1].state, MOS_SVC_FAILED);
	cr_assert_eq(r->services[1].restarts, 2);
	cr_assert(MOS_WIFEXITED(r->services[1].last_exit_status));
	cr_assert_eq(MOS_WEXITSTATUS(r->services[1].last_exit_status), 2);
	cr_assert_eq(r->actions_failed, 0);
	cr_assert_gt(r->stats.processes_created, 6);
	mos_scenario_result_free(r);
}

Test(scenario, same_seed_same_json_other_seed_differs)
{
	char text[sizeof(web) + 16];
	mos_scenario_opts_t o = {.has_seed = true, .seed = 99};
	mos_scenario_result_t *a, *b, *c;
	char *ja, *jb, *jc;

	snprintf(text, sizeof(text), web, 5);
	a = sc_run(text, NULL);
	b = sc_run(text, NULL);
	c = sc_run(text, &o);
	ja = sc_json(a);
	jb = sc_json(b);
	jc = sc_json(c);
	cr_assert_str_eq(ja, jb);
	cr_assert_eq(c->seed, 99);
	cr_assert_str_neq(ja, jc, "the server's jitter draws from the seed");
	free(ja);
	free(jb);
	free(jc);
	mos_scenario_result_free(a);
	mos_scenario_result_free(b);
	mos_scenario_result_free(c);
}

Test(scenario, until_option_overrides_the_file)
{
	char text[sizeof(web) + 16];
	mos_scenario_opts_t o = {.has_until = true, .until = 50 * MOS_MSEC};
	mos_scenario_result_t *r;

	snprintf(text, sizeof(text), web, 5);
	r = sc_run(text, &o);
	cr_assert_eq(r->end, 50 * MOS_MSEC);
	mos_scenario_result_free(r);
}

Test(scenario, service_instance_targets_and_limits)
{
	mos_scenario_result_t *r = sc_run(
		"{\"until\": \"100ms\", \"services\": [{\"name\": \"s\", "
		"\"command\": [\"idle\"], \"instances\": 2}],"
		"\"processes\": [{\"name\": \"hog\", \"command\": [\"cpu\", "
		"\"50ms\"]}],"
		"\"actions\": ["
		"{\"at\": \"5ms\", \"do\": \"signal\", \"service\": \"s\", "
		"\"instance\": 1, \"signal\": \"SIGTERM\"},"
		"{\"at\": \"6ms\", \"do\": \"set_limits\", \"process\": \"hog\", "
		"\"limits\": {\"max_cpu_time\": \"10ms\"}}]}", NULL);
	char got[4][96];

	cr_assert_eq(actions_of(r, got, 4), 2);
	cr_assert_str_eq(got[0], "5000000 action signal SIGTERM");
	cr_assert_str_eq(got[1], "6000000 action set_limits ");
	for (size_t i = 0; i < r->nprocs; i++)
		if (!strcmp(r->procs[i].name, "hog")) {
			/* SIGXCPU at 10 ms of CPU ends it (its default). */
			cr_assert(MOS_WIFSIGNALED(r->procs[i].exit_status));
			cr_assert_eq(r->procs[i].cpu, 10 * MOS_MSEC);
		}
	cr_assert_eq(r->services[0].restarts, 0);
	mos_scenario_result_free(r);
}

Test(scenario, text_output_has_timeline_and_report)
{
	mos_scenario_result_t *r = sc_run(
		"{\"name\": \"t\", \"actions\": [{\"at\": 1, \"do\": \"mark\", "
		"\"label\": \"hello\"}]}", NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(mos_scenario_write_text(r, f, true), 0);
	fclose(f);
	cr_assert(strstr(buf, "== scenario t (seed 1) =="), "%s", buf);
	cr_assert(strstr(buf, "1.000 ms  scenario"), "%s", buf);
	cr_assert(strstr(buf, "action mark"), "%s", buf);
	cr_assert(strstr(buf, "== services =="), "%s", buf);
	cr_assert(strstr(buf, "== system =="), "%s", buf);
	free(buf);
	mos_scenario_result_free(r);
}

Test(scenario, hang_stops_answering_until_the_probe_restarts_it)
{
	mos_scenario_result_t *r = sc_run(
		"{\"until\": \"1s\", \"services\": [{\"name\": \"s\", "
		"\"command\": [\"server\", \"1ms\"], \"restart\": {\"policy\": "
		"\"on-failure\", \"delay\": \"10ms\"}, \"liveness_probe\": "
		"{\"kind\": \"ping\", \"interval\": \"100ms\", \"timeout\": "
		"\"20ms\", \"failure_threshold\": 2}}],"
		"\"actions\": [{\"at\": \"150ms\", \"do\": \"hang\", "
		"\"service\": \"s\"}]}", NULL);
	char got[2][96];
	size_t i;

	cr_assert_eq(actions_of(r, got, 2), 1);
	cr_assert_str_eq(got[0], "150000000 action hang stopped, no progress");
	for (i = 0; i < r->nevents; i++)
		if (!strcmp(r->events[i].event, "Running -> Starting"))
			break;
	cr_assert_lt(i, r->nevents, "the probe restarted it");
	cr_assert_str_eq(r->events[i].reason, "health");
	cr_assert_gt(r->events[i].time, 150 * MOS_MSEC);
	cr_assert_eq(r->services[0].restarts, 1);
	cr_assert_eq(r->services[0].state, MOS_SVC_RUNNING);
	mos_scenario_result_free(r);
}

/* The admin module's emergency stop at 20 ms (termination timeout
 * 100 ms): the low-priority process that ignores nothing dies of SIGTERM
 * at once, the service is stopped and stays down, the critical process
 * is left alone; the run ends when the critical one does. */
Test(scenario, emergency_stop_acts_at_its_instant)
{
	mos_scenario_result_t *r = sc_run(
		"{\"config\": {\"emergency_termination_timeout_ms\": 100},"
		"\"services\": [{\"name\": \"web\", \"command\": [\"server\","
		" \"1ms\"], \"restart\": {\"policy\": \"always\"}}],"
		"\"processes\": [{\"name\": \"low\", \"command\": [\"sleep\","
		" \"10s\"], \"priority\": \"Low\"}, {\"name\": \"crit\","
		" \"command\": [\"sleep\", \"1s\"], \"priority\": \"Critical\"}],"
		"\"actions\": [{\"at\": \"20ms\", \"do\": \"emergency_stop\","
		" \"reason\": \"drill\"}]}", NULL);
	char acts[4][96];
	size_t n = actions_of(r, acts, 4);
	int found = 0;

	cr_assert_eq(n, 1);
	cr_expect(strstr(acts[0], "emergency_stop"), "%s", acts[0]);
	cr_expect(strstr(acts[0], "drill"), "%s", acts[0]);
	cr_assert_eq(r->nservices, 1);
	cr_expect_eq(r->services[0].state, MOS_SVC_STOPPED);
	for (size_t i = 0; i < r->nprocs; i++) {
		if (!strcmp(r->procs[i].name, "low")) {
			found++;
			cr_expect_eq(MOS_WTERMSIG(r->procs[i].exit_status),
				     MOS_SIGTERM);
		}
		if (!strcmp(r->procs[i].name, "crit")) {
			found++;
			cr_expect(MOS_WIFEXITED(r->procs[i].exit_status) &&
				  MOS_WEXITSTATUS(r->procs[i].exit_status) == 0,
				  "the critical one ran to its end");
		}
	}
	cr_expect_eq(found, 2);
	cr_expect_eq(r->end, MOS_SEC);
	mos_scenario_result_free(r);
	expect_path("{\"actions\": [{\"at\": 1, \"do\": \"emergency_stop\","
		    " \"reason\": 3}]}", "actions[0].reason", "string");
}

/* --trace: the run's kernel trace as Chrome Trace Event JSON that parses
 * back, with the crash's process among its events; a run without it
 * writes nothing. */
Test(scenario, trace_is_chrome_json)
{
	char *buf = NULL, *path;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	mos_scenario_opts_t o = {.trace = f};
	mos_scenario_t *sc = NULL;
	mos_scenario_result_t *r = NULL;
	json_error_t je;
	json_t *root, *evs;
	mos_error_t e;

	cr_assert(f);
	path = sc_file("{\"processes\": [{\"name\": \"d\", \"command\": "
		       "[\"cpu\", \"2ms\"]}]}");
	cr_assert_eq(mos_scenario_load(path, &sc, &e), 0, "%s", e.message);
	unlink(path);
	free(path);
	cr_assert_eq(mos_scenario_run(sc, &o, &r, &e), 0, "%s", e.message);
	fclose(f);
	root = json_loadb(buf, len, 0, &je);
	cr_assert_not_null(root, "%s at %d:%d", je.text, je.line, je.column);
	evs = json_object_get(root, "traceEvents");
	cr_assert(json_is_array(evs));
	cr_expect_gt(json_array_size(evs), 2);
	json_decref(root);
	free(buf);
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}
