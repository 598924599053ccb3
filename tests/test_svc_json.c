/*
 * tests/test_svc_json.c - mos_service_load_json: the JSON format, a load
 * that is all or nothing, errors that name the file and the line/column
 * or JSON path, load order and forward references, and a loaded set that
 * starts at an exact time.
 *
 * The fixtures are tests/data/services/: "twenty" is 20 files, svc-01
 * needing svc-02 needing ... svc-20 (every reference is forward); each
 * bad-* directory is the same with svc-13.json broken one way; "good"
 * mixes the one-service and the list form and every field.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/service.h"
#include "timeout.h"

TestSuite(svc_json, .timeout = T_TIMEOUT);

#define DATA "tests/data/services/"

static mos_kernel_t *kernel(void)
{
	mos_config_t c;

	mos_config_default(&c);
	c.trace_capacity = 65536;
	return t_kernel(&c);
}

static mos_service_id_t find(mos_kernel_t *k, const char *name)
{
	mos_service_id_t id = 0;

	cr_assert_eq(mos_service_find(k, name, &id), 0, "%s", name);
	return id;
}

/* Load dir into a fresh kernel: it must fail with code, register nothing,
 * and report err. */
static void load_fails(const char *dir, int code, mos_error_t *err)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[32] = {0};
	size_t n = 77;
	int rc = mos_service_load_json(k, 0, dir, ids, 32, &n, err);

	cr_assert_eq(rc, code, "%s: %s, want %s (%s)", dir, mos_err_name(rc),
		     mos_err_name(code), err->message);
	cr_expect_eq(err->code, code);
	cr_expect_eq(t_nservices(k), 0, "%s: a failed load registered services",
		     dir);
	cr_expect_eq(n, 77, "a failed load set *n");
	cr_expect_eq(ids[0], 0, "a failed load set ids");
	mos_kernel_destroy(k);
}

/* ---- one bad file among twenty: nothing registered ---------------------- */

Test(svc_json, a_syntax_error_names_the_file_line_and_column)
{
	mos_error_t err;

	load_fails(DATA "bad-syntax", MOS_ECONFIG, &err);
	cr_expect_str_eq(err.source, DATA "bad-syntax/svc-13.json");
	cr_expect_eq(err.line, 4);
	cr_expect_eq(err.column, 30);
	cr_expect_str_eq(err.path, "");
	cr_expect_str_eq(err.message,
			 DATA "bad-syntax/svc-13.json:4:30: "
			 "string or '}' expected near ','");
}

Test(svc_json, an_unknown_key_names_its_json_path)
{
	mos_error_t err;

	load_fails(DATA "bad-key", MOS_ECONFIG, &err);
	cr_expect_str_eq(err.source, DATA "bad-key/svc-13.json");
	cr_expect_str_eq(err.path, "restart.dealy");
	cr_expect_eq(err.line, 0);
	cr_expect_str_eq(err.message,
			 DATA "bad-key/svc-13.json: restart.dealy: unknown key");
}

Test(svc_json, an_unknown_dependency_is_named_where_it_is_in_a_list_file)
{
	mos_error_t err;

	load_fails(DATA "bad-dep", MOS_EDEPEND, &err);
	cr_expect_str_eq(err.source, DATA "bad-dep/svc-13.json");
	cr_expect_str_eq(err.path, "services[1].dependencies[1]");
	cr_expect_str_eq(err.text,
			 "\"svc-13b\" needs \"svc-99\", which is not registered");
}

Test(svc_json, a_cycle_across_files_is_spelled_and_located)
{
	mos_kernel_t *k = kernel();
	mos_error_t err;
	size_t n = 5;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "bad-cycle", NULL, 0, &n,
					   &err),
		     MOS_ECYCLE, "%s", err.message);
	cr_expect_eq(t_nservices(k), 0);
	cr_expect_eq(n, 5);
	/* From its smallest name, where svc-12 needs svc-13. */
	cr_expect_str_eq(err.source, DATA "bad-cycle/svc-12.json");
	cr_expect_str_eq(err.path, "dependencies[0]");
	cr_expect_str_eq(err.text, "circular dependency: svc-12 -> svc-13 -> svc-12");
	cr_expect_str_eq(mos_service_error_text(k), "svc-12 -> svc-13 -> svc-12");
	mos_kernel_destroy(k);
}

Test(svc_json, a_bad_version_constraint_gives_file_path_and_position)
{
	mos_error_t err;

	/* Cargo's syntax refuses "^1.a" at the 'a'. */
	load_fails(DATA "bad-constraint", MOS_ECONFIG, &err);
	cr_expect_str_eq(err.source, DATA "bad-constraint/svc-13.json");
	cr_expect_str_eq(err.path, "dependencies[0].version");
	cr_expect_str_eq(err.text,
			 "bad version requirement \"^1.a\" at character 3");
}

Test(svc_json, an_unknown_program_names_the_command)
{
	mos_error_t err;

	load_fails(DATA "bad-program", MOS_ENOPROG, &err);
	cr_expect_str_eq(err.source, DATA "bad-program/svc-13.json");
	cr_expect_str_eq(err.path, "command[0]");
	cr_expect_str_eq(err.message,
			 DATA "bad-program/svc-13.json: command[0]: "
			 "\"no-such-program\" is not a registered program");
}

Test(svc_json, a_missing_path_is_an_io_error_and_null_arguments_are_refused)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t id;
	mos_error_t err;

	cr_expect_eq(mos_service_load_json(k, 0, DATA "no-such.json", NULL, 0,
					   NULL, &err),
		     MOS_EIO);
	cr_expect_str_eq(err.source, DATA "no-such.json");
	cr_expect_eq(mos_service_load_json(NULL, 0, DATA "twenty", NULL, 0,
					   NULL, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_service_load_json(k, 0, NULL, NULL, 0, NULL, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_service_load_json(k, 0, DATA "twenty", NULL, 1, NULL,
					   NULL),
		     MOS_EINVAL);
	cr_expect_eq(t_nservices(k), 0);
	/* Loading twice: every name is taken, nothing more registered. */
	cr_assert_eq(mos_service_load_json(k, 0, DATA "twenty", &id, 1, NULL,
					   NULL),
		     0);
	cr_expect_eq(mos_service_load_json(k, 0, DATA "twenty", NULL, 0, NULL,
					   &err),
		     MOS_ESVCEXISTS);
	cr_expect_str_eq(err.source, DATA "twenty/svc-01.json");
	cr_expect_str_eq(err.path, "name");
	cr_expect_eq(t_nservices(k), 20);
	mos_kernel_destroy(k);
}

/* ---- good loads --------------------------------------------------------- */

Test(svc_json, twenty_files_load_in_name_order_with_forward_references)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[20], order[20];
	size_t n = 0, no = 0;
	mos_error_t err;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "twenty", ids, 20, &n,
					   &err),
		     0, "%s", err.message);
	cr_assert_eq(n, 20);
	cr_expect_eq(t_nservices(k), 20);
	for (size_t i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "svc-%02zu", i + 1);
		cr_expect_eq(ids[i], i + 1, "ids[%zu] = %u", i, ids[i]);
		cr_expect_str_eq(t_status(k, ids[i]).name, name);
	}
	/* svc-01 needs the chain: svc-20 starts first. */
	cr_assert_eq(mos_service_start_order(k, ids[0], order, 20, &no), 0);
	cr_assert_eq(no, 20);
	for (size_t i = 0; i < 20; i++)
		cr_expect_eq(order[i], ids[19 - i]);
	mos_kernel_destroy(k);
}

Test(svc_json, ids_beyond_cap_are_counted_not_written)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[4] = {0, 0, 0, 0};
	size_t n = 0;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "twenty", ids, 3, &n,
					   NULL),
		     0);
	cr_expect_eq(n, 20);
	cr_expect_eq(ids[2], 3);
	cr_expect_eq(ids[3], 0);
	mos_kernel_destroy(k);
}

Test(svc_json, a_single_file_and_the_list_form_load)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[2];
	size_t n = 0;
	mos_error_t err;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "twenty/svc-20.json",
					   ids, 2, &n, &err),
		     0, "%s", err.message);
	cr_expect_eq(n, 1);
	cr_expect_eq(ids[0], find(k, "svc-20"));
	/* A list whose second member refers to the first's dependency. */
	cr_expect_eq(mos_service_load_json(k, 0, DATA "bad-dep/svc-13.json",
					   ids, 2, &n, &err),
		     MOS_EDEPEND);
	cr_expect_str_eq(err.path, "services[0].dependencies[0]");
	cr_expect_eq(t_nservices(k), 1);
	mos_kernel_destroy(k);
}

Test(svc_json, every_field_of_the_good_set_reaches_the_service)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[8], order[8];
	size_t n = 0, no = 0;
	mos_error_t err;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "good", ids, 8, &n, &err),
		     0, "%s", err.message);
	/* 01-app, 02-db, 03-pool's two; README.txt and .hidden.json not
	 * read. */
	cr_assert_eq(n, 4);
	cr_expect_str_eq(t_status(k, ids[0]).name, "app");
	cr_expect_str_eq(t_status(k, ids[1]).name, "db");
	cr_expect_str_eq(t_status(k, ids[2]).name, "cache");
	cr_expect_str_eq(t_status(k, ids[3]).name, "pool");
	cr_expect_eq(t_status(k, ids[1]).type, MOS_SVC_SYSTEM);
	cr_expect_eq(t_status(k, ids[3]).type, MOS_SVC_GROUP);
	cr_expect_eq(t_status(k, ids[0]).backoff, MS(100));
	/* app needs cache (optional) and db, started in name order. */
	cr_assert_eq(mos_service_start_order(k, ids[0], order, 8, &no), 0);
	cr_assert_eq(no, 3);
	cr_expect_eq(order[0], ids[2]);
	cr_expect_eq(order[1], ids[1]);
	cr_expect_eq(order[2], ids[0]);
	mos_kernel_destroy(k);
}

Test(svc_json, a_loaded_set_starts_and_is_running_at_an_exact_time)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[8];
	mos_service_status_t st;
	size_t n = 0;
	mos_error_t err;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "good", ids, 8, &n, &err),
		     0, "%s", err.message);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(mos_service_start(k, 0, ids[0]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	st = t_status(k, ids[0]);
	cr_expect_eq(st.state, MOS_SVC_RUNNING, "app is %s",
		     mos_service_state_name(st.state));
	cr_expect_eq(st.since, MS(5));
	cr_expect_eq(st.ninstances, 2);
	cr_expect_eq(t_status(k, ids[1]).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, ids[1]).ninstances, 1);
	mos_kernel_destroy(k);
}

/* ---- values ------------------------------------------------------------- */

/* Write text to a fresh file under a temporary directory the test made
 * and load it; nothing outside the repository is read but that. */
static int load_text(mos_kernel_t *k, const char *text, mos_error_t *err)
{
	char dir[] = "/tmp/svcjson-XXXXXX", path[64];
	FILE *f;
	int rc;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.json", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	rc = mos_service_load_json(k, 0, path, NULL, 0, NULL, err);
	if (rc == 0 || err->source[0])
		cr_expect_str_eq(err->source, rc ? path : "");
	remove(path);
	rmdir(dir);
	return rc;
}

Test(svc_json, bad_values_are_named_by_their_path)
{
	static const struct {
		const char *text, *path;
	} cases[] = {
		{"{\"command\": [\"idle\"]}", "name"},
		{"{\"name\": \"a\", \"type\": \"Bogus\", \"command\": [\"idle\"]}", "type"},
		{"{\"name\": \"a\", \"command\": \"idle\"}", "command"},
		{"{\"name\": \"a\", \"command\": [\"idle\", 3]}", "command[1]"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"environment\": [\"NOEQ\"]}", "environment[0]"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"environment\": {\"A\": 1}}", "environment.A"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"capabilities\": [\"FLY\"]}", "capabilities[0]"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"isolation\": \"Box\"}", "isolation"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"instances\": 257}", "instances"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"dependencies\": [{\"required\": true}]}", "dependencies[0].name"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"dependencies\": [{\"name\": \"b\", \"timeout\": \"1.5ms\"}]}", "dependencies[0].timeout"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"restart\": {\"policy\": \"sometimes\"}}", "restart.policy"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"restart\": {\"delay\": \"soon\"}}", "restart.delay"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"limits\": {\"max_memory\": \"lots\"}}", "limits.max_memory"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"group_limits\": {\"cpu_weight\": 0}}", "group_limits.cpu_weight"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"readiness\": \"eventually\"}", "readiness"},
		{"{\"name\": \"a\", \"command\": [\"idle\"], \"tags\": [1]}", "tags[0]"},
		{"{\"name\": \"a b\", \"command\": [\"idle\"]}", "name"},
		{"{\"services\": [{\"name\": \"a\", \"command\": [\"idle\"]}], \"x\": 1}", "x"},
		{"{\"services\": [{\"name\": \"a\", \"command\": [\"idle\"]}, {\"name\": \"b\", \"command\": [\"idle\"], \"uid\": -1}]}", "services[1].uid"},
		{"[]", ""},
	};
	mos_kernel_t *k = kernel();

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		mos_error_t err;
		int rc = load_text(k, cases[i].text, &err);

		cr_expect_neq(rc, 0, "%s loaded", cases[i].text);
		cr_expect_str_eq(err.path, cases[i].path, "%s: %s", cases[i].text,
				 err.message);
	}
	cr_expect_eq(t_nservices(k), 0);
	mos_kernel_destroy(k);
}

Test(svc_json, durations_and_sizes_take_numbers_and_strings)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t id;
	mos_error_t err;

	cr_assert_eq(load_text(k,
			       "{\"name\": \"a\", \"command\": [\"idle\"], "
			       "\"restart\": {\"policy\": \"always\", "
			       "\"delay\": \"250ms\", \"max_delay\": 60000}}",
			       &err),
		     0, "%s", err.message);
	id = find(k, "a");
	cr_expect_eq(t_status(k, id).backoff, MS(250));
	mos_kernel_destroy(k);
}
