/*
 * test_demo.c - the built-in demo of `multios run` and what it needs.
 *
 * Suite `demo`: the demo scenario (examples/scenarios/demo.json, the
 * bytes the CLI compiles in) loaded with mos_scenario_load_string tells
 * its story at exact virtual times: web#1's three crashes restarted after
 * 100, 200, 400 ms; web#2's hang taking it out of rotation at 1650 ms
 * (readiness), killed at 1950 ms (liveness), back at 2750 ms (800 ms
 * back-off); the round-robin spread over the three instances; the final
 * states.  The string loader's errors: syntax with line and column under
 * the given name, meaning with the JSON path, service files refused, NULL
 * arguments.
 *
 * Suite `demo_users`: the configuration's `users` table and the user
 * column of admin ps (name from the table, the uid in digits otherwise).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multios/admin.h"
#include "multios/multios.h"
#include "multios/scenario.h"
#include "timeout.h"

TestSuite(demo, .timeout = T_TIMEOUT);

#define DEMO_FILE "examples/scenarios/demo.json"

/* The demo's text (malloc'd, NUL after it) and its length. */
static char *demo_text(size_t *len)
{
	FILE *f = fopen(DEMO_FILE, "rb");
	char *buf;
	long n;

	cr_assert(f, "tests run from the repository's root");
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_gt(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static mos_scenario_t *demo_load(void)
{
	mos_scenario_t *sc = NULL;
	mos_error_t e;
	size_t len;
	char *text = demo_text(&len);
	int rc = mos_scenario_load_string(text, len, "demo", &sc, &e);

	cr_assert_eq(rc, 0, "%s", e.message);
	free(text);
	return sc;
}

/* sc run until t (MOS_TIME_NEVER: the file's until). */
static mos_scenario_result_t *demo_run(const mos_scenario_t *sc,
				       mos_time_t t)
{
	mos_scenario_opts_t o = {.has_until = t != MOS_TIME_NEVER,
				 .until = t};
	mos_scenario_result_t *r = NULL;
	mos_error_t e;

	cr_assert_eq(mos_scenario_run(sc, &o, &r, &e), 0, "%s", e.message);
	return r;
}

static const mos_scenario_service_report_t *
service(const mos_scenario_result_t *r, const char *name)
{
	for (size_t i = 0; i < r->nservices; i++)
		if (!strcmp(r->services[i].name, name))
			return &r->services[i];
	cr_assert_fail("no service %s", name);
	return NULL;
}

/* The time of the first event with this subject and event; NEVER: none. */
static mos_time_t when(const mos_scenario_result_t *r, const char *subject,
		       const char *event, const char *reason)
{
	for (size_t i = 0; i < r->nevents; i++)
		if (!strcmp(r->events[i].subject, subject) &&
		    !strcmp(r->events[i].event, event) &&
		    !strcmp(r->events[i].reason, reason))
			return r->events[i].time;
	return MOS_TIME_NEVER;
}

static uint32_t web_in_rotation(const mos_scenario_t *sc, mos_time_t t)
{
	mos_scenario_result_t *r = demo_run(sc, t);
	uint32_t n = service(r, "web")->in_rotation;

	mos_scenario_result_free(r);
	return n;
}

Test(demo, crashes_restart_with_growing_backoff)
{
	static const struct {
		const char *dead, *born;
		mos_time_t crash, restart;
	} want[] = {
		{"web#1 (pid 5)", "web#1 (pid 10)", 500, 600},
		{"web#1 (pid 10)", "web#1 (pid 11)", 700, 900},
		{"web#1 (pid 11)", "web#1 (pid 12)", 1000, 1400},
	};
	mos_scenario_t *sc = demo_load();
	mos_scenario_result_t *r = demo_run(sc, MOS_TIME_NEVER);
	mos_time_t last_delay = 0;

	for (size_t i = 0; i < 3; i++) {
		mos_time_t c = when(r, want[i].dead, "action crash",
				    "exit code 3");
		mos_time_t b = when(r, want[i].born, "New -> Ready", "create");

		cr_assert_eq(c, want[i].crash * MOS_MSEC, "crash %zu", i);
		cr_assert_eq(when(r, want[i].dead, "Blocked -> Terminated",
				  "kill"), c);
		cr_assert_eq(when(r, "service web", "Running -> Starting",
				  "exit") <= c, true);
		cr_assert_eq(b, want[i].restart * MOS_MSEC, "restart %zu", i);
		/* 100 ms, then doubling. */
		cr_assert_eq(b - c, (MOS_MSEC * 100) << i);
		cr_assert_gt(b - c, last_delay);
		last_delay = b - c;
	}
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}

Test(demo, hung_instance_goes_unready_then_is_killed_and_restarted)
{
	mos_scenario_t *sc = demo_load();
	mos_scenario_result_t *r = demo_run(sc, MOS_TIME_NEVER);

	cr_assert_eq(when(r, "web#2 (pid 6)", "action hang",
			  "stopped, no progress"), 1500 * MOS_MSEC);
	cr_assert_eq(when(r, "web#2 (pid 6)", "Blocked -> Suspended",
			  "suspend"), 1500 * MOS_MSEC);
	/* Liveness: last passing ping at 1400 ms + timeout 50 ms + 5
	 * failures x 100 ms. */
	cr_assert_eq(when(r, "web#2 (pid 6)", "signal SIGKILL",
			  "from pid 0: terminated"), 1950 * MOS_MSEC);
	cr_assert_eq(when(r, "web#2 (pid 6)", "Suspended -> Terminated",
			  "kill"), 1950 * MOS_MSEC);
	cr_assert_eq(when(r, "service web", "Running -> Starting", "health"),
		     1950 * MOS_MSEC);
	/* The fourth restart of web: 100 ms x 2^3. */
	cr_assert_eq(when(r, "web#2 (pid 13)", "New -> Ready", "create"),
		     2750 * MOS_MSEC);
	mos_scenario_result_free(r);

	/* Readiness: 1400 ms + 50 ms + 2 failures x 100 ms = 1650 ms, just
	 * after the run's last instant at until 1650 ms. */
	cr_assert_eq(web_in_rotation(sc, 1650 * MOS_MSEC), 3);
	cr_assert_eq(web_in_rotation(sc, 1650 * MOS_MSEC + 1), 2);
	/* Dead, then restarted unready, in on its first passing probe. */
	cr_assert_eq(web_in_rotation(sc, 2000 * MOS_MSEC), 2);
	cr_assert_eq(web_in_rotation(sc, 2750 * MOS_MSEC), 2);
	cr_assert_eq(web_in_rotation(sc, 2750 * MOS_MSEC + 1), 3);
	mos_scenario_free(sc);
}

Test(demo, calls_spread_and_final_states)
{
	mos_scenario_t *sc = demo_load();
	mos_scenario_result_t *r = demo_run(sc, MOS_TIME_NEVER);
	const mos_scenario_service_report_t *db = service(r, "db"),
					    *cache = service(r, "cache"),
					    *web = service(r, "web");

	cr_assert_eq(r->end, 3000 * MOS_MSEC);
	cr_assert_str_eq(r->name, "demo");
	cr_assert_eq(r->nservices, 3);
	cr_assert_eq(r->actions_failed, 0);
	cr_assert_eq(db->state, MOS_SVC_RUNNING);
	cr_assert_eq(cache->state, MOS_SVC_RUNNING);
	cr_assert_eq(db->restarts + cache->restarts, 0);
	cr_assert_eq(web->state, MOS_SVC_RUNNING);
	cr_assert_eq(web->restarts, 4);
	cr_assert_eq(web->instances, 3);
	cr_assert_eq(web->live, 3);
	cr_assert_eq(web->in_rotation, 3);
	cr_assert_eq(web->last_exit_status, MOS_SIGKILL);
	cr_assert_eq(web->health_failures, 9);
	cr_assert_eq(web->calls, 1350);
	cr_assert_eq(web->calls_failed, 3);
	/* Round robin: equal shares while all three were in rotation; web#1
	 * missed its dead spells, web#2 everything after its hang. */
	cr_assert_eq(web->instance_calls[0], 615);
	cr_assert_eq(web->instance_calls[1], 401);
	cr_assert_eq(web->instance_calls[2], 334);
	cr_assert_eq(web->instance_calls[0] + web->instance_calls[1] +
		     web->instance_calls[2], 1350);
	/* The crashed web#1 pids exited 3; the hung web#2 was SIGKILLed. */
	for (size_t i = 0; i < r->nprocs; i++) {
		const mos_scenario_proc_report_t *p = &r->procs[i];

		if (p->pid == 5 || p->pid == 10 || p->pid == 11) {
			cr_assert_str_eq(p->name, "web#1");
			cr_assert_eq(MOS_WIFEXITED(p->exit_status), true);
			cr_assert_eq(MOS_WEXITSTATUS(p->exit_status), 3);
		} else if (p->pid == 6) {
			cr_assert_str_eq(p->name, "web#2");
			cr_assert_eq(MOS_WTERMSIG(p->exit_status), MOS_SIGKILL);
			cr_assert_eq(p->end, 1950 * MOS_MSEC);
		}
	}
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}

/* The result as JSON text (malloc'd). */
static char *as_json(const mos_scenario_result_t *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	cr_assert_eq(mos_scenario_write_json(r, f, true), 0);
	fclose(f);
	return buf;
}

Test(demo, string_and_file_loads_run_the_same)
{
	mos_scenario_t *a = demo_load(), *b = NULL;
	mos_scenario_result_t *ra, *rb;
	mos_error_t e;
	char *ja, *jb;

	cr_assert_eq(mos_scenario_load(DEMO_FILE, &b, &e), 0, "%s",
		     e.message);
	ra = demo_run(a, MOS_TIME_NEVER);
	rb = demo_run(b, MOS_TIME_NEVER);
	ja = as_json(ra);
	jb = as_json(rb);
	cr_assert_str_eq(ja, jb);
	cr_assert(strstr(ja, "\"instance_calls\": [\n        615,"), "%.200s",
		  strstr(ja, "instance_calls"));
	free(ja);
	free(jb);
	mos_scenario_result_free(ra);
	mos_scenario_result_free(rb);
	mos_scenario_free(a);
	mos_scenario_free(b);
}

/* ---- the string loader's errors ----------------------------------------- */

static int load_str(const char *text, mos_error_t *e)
{
	mos_scenario_t *sc = (mos_scenario_t *)1;
	int rc = mos_scenario_load_string(text, strlen(text), "inline", &sc,
					  e);

	if (rc)
		cr_assert_null(sc, "a failed load leaves *out NULL");
	mos_scenario_free(sc);
	return rc;
}

Test(demo, string_syntax_error_names_line_and_column)
{
	mos_error_t e;

	cr_assert_eq(load_str("{\n  \"name\": \"x\",\n  \"seed\": ,\n}\n", &e),
		     MOS_ECONFIG);
	cr_assert_str_eq(e.source, "inline");
	cr_assert_eq(e.line, 3, "%s", e.message);
	cr_assert_eq(e.column, 11, "%s", e.message);
	cr_assert_str_eq(e.path, "");
	cr_assert(strstr(e.message, "inline:3:11"), "%s", e.message);
	/* Duplicate keys too, as from a file. */
	cr_assert_eq(load_str("{\"name\": \"a\", \"name\": \"b\"}", &e),
		     MOS_ECONFIG);
	cr_assert_eq(e.line, 1, "%s", e.message);
}

Test(demo, string_meaning_errors_name_the_json_path)
{
	mos_error_t e;

	cr_assert_eq(load_str("{\"name\": \"x\", \"bogus\": 1}", &e),
		     MOS_ECONFIG);
	cr_assert_str_eq(e.path, "bogus");
	cr_assert_eq(e.line, 0);
	cr_assert_eq(load_str("{\"actions\": [{\"at\": \"soon\", \"do\": "
			      "\"mark\", \"label\": \"x\"}]}", &e),
		     MOS_ECONFIG);
	cr_assert_str_eq(e.path, "actions[0].at", "%s", e.message);
	cr_assert(strstr(e.message, "inline"), "%s", e.message);
	/* A service file: no directory to find it in. */
	cr_assert_eq(load_str("{\"services\": [\"db.json\"]}", &e),
		     MOS_ECONFIG);
	cr_assert_str_eq(e.path, "services[0]", "%s", e.message);
	cr_assert(strstr(e.text, "inline"), "%s", e.message);
}

Test(demo, string_loader_arguments)
{
	mos_scenario_t *sc = (mos_scenario_t *)1;
	mos_error_t e;

	cr_assert_eq(mos_scenario_load_string(NULL, 2, "n", &sc, &e),
		     MOS_EINVAL);
	cr_assert_null(sc);
	cr_assert_eq(e.code, MOS_EINVAL);
	sc = (mos_scenario_t *)1;
	cr_assert_eq(mos_scenario_load_string("{}", 2, NULL, &sc, &e),
		     MOS_EINVAL);
	cr_assert_null(sc);
	cr_assert_eq(mos_scenario_load_string("{}", 2, "n", NULL, &e),
		     MOS_EINVAL);
	cr_assert_eq(mos_scenario_load_string("{}", 2, "n", NULL, NULL),
		     MOS_EINVAL);
	/* Only len bytes are read: what follows them is not seen. */
	cr_assert_eq(mos_scenario_load_string("{}garbage", 2, "n", &sc, &e), 0,
		     "%s", e.message);
	mos_scenario_free(sc);
	/* Empty text: a syntax error, not a crash. */
	cr_assert_eq(mos_scenario_load_string("", 0, "n", &sc, &e),
		     MOS_ECONFIG);
	cr_assert_null(sc);
}

/* ---- the configuration's users table and admin ps ----------------------- */

TestSuite(demo_users, .timeout = T_TIMEOUT);

/* A process of uid that sleeps; its pid. */
static mos_pid_t spawn_uid(mos_kernel_t *k, mos_uid_t uid)
{
	static const char *const argv[] = {"sleep", "1s", NULL};
	mos_process_spec_t spec;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.command = argv;
	spec.uid = uid;
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	return pid;
}

static void add_user(mos_config_t *c, uint32_t uid, const char *name)
{
	c->users[c->nusers].uid = uid;
	snprintf(c->users[c->nusers].name, sizeof(c->users[0].name), "%s",
		 name);
	c->nusers++;
}

Test(demo_users, ps_names_mapped_uids_and_digits_otherwise)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_error_t e;
	mos_admin_ps_row_t rows[8];
	mos_pid_t alice, bob, nobody;
	size_t n;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	json_t *j;

	mos_config_default(&c);
	add_user(&c, 0, "root");
	add_user(&c, 1000, "alice");
	add_user(&c, 4294967294u, "x.y-z_31");
	cr_assert_eq(mos_kernel_create(&c, &k, &e), 0, "%s", e.message);
	cr_assert_eq(mos_admin_attach(k), 0);
	alice = spawn_uid(k, 1000);
	nobody = spawn_uid(k, 1234);
	bob = spawn_uid(k, 4294967294u);
	cr_assert_eq(mos_kernel_run(k, MOS_MSEC), 0);
	cr_assert_eq(mos_admin_ps(k, rows, 8, &n), 0);
	cr_assert_eq(n, 4);
	cr_assert_eq(rows[0].pid, 1);
	cr_assert_str_eq(rows[0].user, "root");
	cr_assert_eq(rows[1].pid, alice);
	cr_assert_str_eq(rows[1].user, "alice");
	cr_assert_eq(rows[2].pid, nobody);
	cr_assert_eq(rows[2].uid, 1234);
	cr_assert_str_eq(rows[2].user, "1234");
	cr_assert_eq(rows[3].pid, bob);
	cr_assert_str_eq(rows[3].user, "x.y-z_31");

	f = open_memstream(&buf, &len);
	cr_assert(f);
	cr_assert_eq(mos_admin_ps_json(k, f), 0);
	fclose(f);
	j = json_loads(buf, 0, NULL);
	cr_assert(j, "%s", buf);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(j, 1), "user")), "alice");
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(j, 2), "user")), "1234");
	json_decref(j);
	free(buf);
	mos_kernel_destroy(k);
}

/* A scenario whose config holds users; its load's code, error in *e. */
static int users_load(const char *users, mos_error_t *e)
{
	char text[512];
	mos_scenario_t *sc = NULL;
	int rc;

	snprintf(text, sizeof(text), "{\"config\": {\"users\": %s}}", users);
	rc = mos_scenario_load_string(text, strlen(text), "u", &sc, e);
	mos_scenario_free(sc);
	return rc;
}

Test(demo_users, json_table_errors_name_the_entry)
{
	static const struct {
		const char *users, *path, *text;
	} bad[] = {
		{"{\"01\": \"a\"}", "config.users.01", "decimal digits"},
		{"{\"-1\": \"a\"}", "config.users.-1", "decimal digits"},
		{"{\"x\": \"a\"}", "config.users.x", "decimal digits"},
		{"{\"4294967295\": \"a\"}", "config.users.4294967295",
		 "decimal digits"},
		{"{\"5\": 5}", "config.users.5", "expected a user name"},
		{"{\"5\": \"\"}", "config.users.5", "must not be empty"},
		{"{\"5\": \"a b\"}", "config.users.5", "without spaces"},
		{"{\"5\": \"\\u00e9t\\u00e9\"}", "config.users.5",
		 "printable ASCII"},
		{"{\"5\": \"abcdefghijabcdefghijabcdefghij12\"}", "config.users.5",
		 "at most 31"},
		{"{\"5\": \"a\", \"6\": \"a\"}", "config.users.6", "twice"},
		{"[\"root\"]", "config.users", "expected an object"},
	};
	mos_error_t e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cr_assert_eq(users_load(bad[i].users, &e), MOS_ECONFIG,
			     "%s", bad[i].users);
		cr_assert_str_eq(e.path, bad[i].path, "%s: %s", bad[i].users,
				 e.message);
		cr_assert(strstr(e.text, bad[i].text), "%s: %s", bad[i].users,
			  e.message);
	}
	cr_assert_eq(users_load("{\"0\": \"root\", \"4294967294\": "
				"\"abcdefghijabcdefghijabcdefghij1\"}", &e), 0,
		     "%s", e.message);
	cr_assert_eq(users_load("{}", &e), 0, "%s", e.message);
}

Test(demo_users, c_table_is_checked_too)
{
	mos_config_t c;
	mos_error_t e;

	mos_config_default(&c);
	cr_assert_eq(c.nusers, 0);
	add_user(&c, 7, "a");
	add_user(&c, 7, "b");
	cr_assert_eq(mos_config_validate(&c, &e), MOS_ECONFIG);
	cr_assert_str_eq(e.path, "users[1]");
	cr_assert(strstr(e.text, "uid 7 given twice"), "%s", e.message);
	c.users[1].uid = 8;
	snprintf(c.users[1].name, sizeof(c.users[1].name), "a");
	cr_assert_eq(mos_config_validate(&c, &e), MOS_ECONFIG);
	cr_assert(strstr(e.text, "'a' given twice"), "%s", e.message);
	c.users[1].name[0] = '\0';
	cr_assert_eq(mos_config_validate(&c, &e), MOS_ECONFIG);
	cr_assert(strstr(e.text, "must not be empty"), "%s", e.message);
	c.users[1].uid = MOS_UID_INHERIT;
	snprintf(c.users[1].name, sizeof(c.users[1].name), "b");
	cr_assert_eq(mos_config_validate(&c, &e), MOS_ECONFIG);
	cr_assert_str_eq(e.path, "users[1]");
	c.users[1].uid = 8;
	cr_assert_eq(mos_config_validate(&c, &e), 0, "%s", e.message);
	c.nusers = MOS_CONFIG_MAX_USERS + 1;
	cr_assert_eq(mos_config_validate(&c, &e), MOS_ECONFIG);
	cr_assert_str_eq(e.path, "users");
}
