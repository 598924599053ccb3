/*
 * test_config.c - defaults, validation and the JSON overlay.
 *
 * Bad files live in tests/data/invalid/config-*.json, each with a .expect
 * sidecar naming the error (format in tests/data/invalid/README); the
 * invalid_files test runs them all.  Paths are relative to the repository
 * root, where the suite runs.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "multios/config.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* Same rule as src/config.c: more host stack under AddressSanitizer. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(TEST_ASAN) || \
	(defined(MOS_SANITIZE) && MOS_SANITIZE)
#define EXPECTED_HOST_STACK 262144u
#else
#define EXPECTED_HOST_STACK 65536u
#endif

Test(config, defaults_exact)
{
	mos_config_t c;

	memset(&c, 0xa5, sizeof(c));
	mos_config_default(&c);
	cr_expect_eq(c.max_processes, 65536);
	cr_expect_eq(c.max_service_processes, 1024);
	cr_expect_eq(c.default_stack_size, 8ull * 1024 * 1024);
	cr_expect_eq(c.default_memory_limit, 256ull * 1024 * 1024);
	cr_expect_eq(c.default_file_descriptor_limit, 1024);
	cr_expect_eq(c.enable_process_accounting, true);
	cr_expect_eq(c.enable_resource_monitoring, true);
	cr_expect_eq(c.service_timeout_ms, 30000);
	cr_expect_eq(c.grace_period_ms, 5000);
	cr_expect_eq(c.emergency_termination_timeout_ms, 10000);
	cr_expect_eq(c.seed, 1);
	cr_expect_eq(c.host_stack_size, EXPECTED_HOST_STACK);
	cr_expect_eq(c.stack_guard_pages, false);
	cr_expect_str_eq(c.context_backend, "auto");
	cr_expect_eq(c.history_size, 1024);
	cr_expect_eq(c.trace_capacity, 4096);
	cr_expect_str_eq(c.sched_policy, "multios");
	cr_expect_eq(c.time_slice, 10 * MOS_MSEC);
	cr_expect_str_eq(c.clock_backend, "virtual");
	cr_expect(c.clock_speed == 1.0);
}

Test(config, defaults_deterministic_bytes)
{
	mos_config_t a, b;

	memset(&a, 0x00, sizeof(a));
	memset(&b, 0xff, sizeof(b));
	mos_config_default(&a);
	mos_config_default(&b);
	cr_expect_eq(memcmp(&a, &b, sizeof(a)), 0, "padding is zeroed");
}

Test(config, validate_defaults)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_expect_eq(mos_config_validate(&c, &err), 0);
	cr_expect_eq(err.code, 0);
	cr_expect_eq(mos_config_validate(&c, NULL), 0);
	cr_expect_eq(mos_config_validate(NULL, &err), MOS_EINVAL);
	cr_expect_eq(err.code, MOS_EINVAL);
}

/* Validate c and expect MOS_ECONFIG naming path. */
static void expect_invalid(const mos_config_t *c, const char *path,
			   const char *text)
{
	mos_error_t err;

	cr_expect_eq(mos_config_validate(c, &err), MOS_ECONFIG, "%s", path);
	cr_expect_eq(err.code, MOS_ECONFIG);
	cr_expect_str_eq(err.path, path);
	cr_expect(strstr(err.message, text) != NULL, "'%s' lacks '%s'",
		  err.message, text);
}

Test(config, validate_ranges)
{
	mos_config_t c;

	mos_config_default(&c);
	c.max_processes = 1048577;
	expect_invalid(&c, "max_processes", "must be between 2 and 1048576");

	mos_config_default(&c);
	c.max_processes = 2;
	c.max_service_processes = 2;
	c.history_size = 0;
	cr_expect_eq(mos_config_validate(&c, NULL), 0, "edges are valid");

	mos_config_default(&c);
	c.max_service_processes = c.max_processes + 1;
	expect_invalid(&c, "max_service_processes", "must not exceed");

	mos_config_default(&c);
	c.host_stack_size = 16 * 1024 - 1;
	expect_invalid(&c, "host_stack_size", "must be between");

	mos_config_default(&c);
	c.host_stack_size = (1u << 30) + 1;
	expect_invalid(&c, "host_stack_size", "must be between");

	mos_config_default(&c);
	c.trace_capacity = 0;
	expect_invalid(&c, "trace_capacity", "must be at least 1");

	mos_config_default(&c);
	c.time_slice = MOS_USEC - 1;
	expect_invalid(&c, "scheduler.time_slice_ms", "must be at least");
	c.time_slice = MOS_USEC;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);
}

Test(config, validate_clock_speed)
{
	const double bad[] = {0.0, -1.0, NAN, INFINITY};
	mos_config_t c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mos_config_default(&c);
		c.clock_speed = bad[i];
		expect_invalid(&c, "clock.speed", "finite number above 0");
	}
}

Test(config, validate_names)
{
	mos_config_t c;

	mos_config_default(&c);
	c.sched_policy[0] = '\0';
	expect_invalid(&c, "scheduler.policy", "must not be empty");

	mos_config_default(&c);
	memset(c.context_backend, 'x', sizeof(c.context_backend));
	expect_invalid(&c, "context_backend", "at most 15 characters");

	mos_config_default(&c);
	c.clock_backend[0] = '\0';
	expect_invalid(&c, "clock.backend", "must not be empty");
}

Test(config, load_overlays_only_present_keys)
{
	mos_config_t c, want;
	mos_error_t err;

	mos_config_default(&c);
	c.seed = 99; /* not in the file: must survive */
	want = c;
	want.max_processes = 2048;
	want.enable_process_accounting = false;
	want.time_slice = 2500 * MOS_USEC; /* 2.5 ms, a real number */

	cr_assert_eq(mos_config_load_json(TEST_DATA_DIR "/config-overlay.json",
					  &c, &err),
		     0, "%s", err.message);
	cr_expect_eq(err.code, 0);
	cr_expect_eq(memcmp(&c, &want, sizeof(c)), 0);
	cr_expect_eq(c.seed, 99);
}

Test(config, load_every_key)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_assert_eq(mos_config_load_json(TEST_DATA_DIR "/config-all.json", &c,
					  &err),
		     0, "%s", err.message);
	cr_expect_eq(c.max_processes, 4096);
	cr_expect_eq(c.max_service_processes, 64);
	cr_expect_eq(c.default_stack_size, 1048576);
	cr_expect_eq(c.default_memory_limit, 5000000000ull);
	cr_expect_eq(c.default_file_descriptor_limit, 256);
	cr_expect_eq(c.enable_process_accounting, false);
	cr_expect_eq(c.enable_resource_monitoring, false);
	cr_expect_eq(c.service_timeout_ms, 1000);
	cr_expect_eq(c.grace_period_ms, 200);
	cr_expect_eq(c.emergency_termination_timeout_ms, 300);
	cr_expect_eq(c.seed, 12345678901234ull);
	cr_expect_eq(c.host_stack_size, 131072);
	cr_expect_eq(c.stack_guard_pages, true);
	cr_expect_str_eq(c.context_backend, "ucontext");
	cr_expect_eq(c.history_size, 0);
	cr_expect_eq(c.trace_capacity, 16);
	cr_expect_str_eq(c.sched_policy, "rr");
	cr_expect_eq(c.time_slice, 3 * MOS_MSEC);
	cr_expect_str_eq(c.clock_backend, "realtime");
	cr_expect(c.clock_speed == 2.5);
}

Test(config, load_clears_stale_err)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	memset(&err, 0, sizeof(err));
	err.code = MOS_EIO;
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR "/config-overlay.json",
					  &c, &err),
		     0);
	cr_expect_eq(err.code, 0);
}

/* ---- invalid files ---- */

struct expect {
	char code[64];
	char path[MOS_ERROR_PATH_LEN];
	char text[MOS_ERROR_TEXT_LEN];
	int line, column;
};

static void read_line(FILE *f, char *buf, size_t size)
{
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void read_expect(const char *json, struct expect *e)
{
	char name[512], pos[64];
	FILE *f;

	snprintf(name, sizeof(name), "%.*s.expect",
		 (int)(strlen(json) - strlen(".json")), json);
	f = fopen(name, "r");
	cr_assert_not_null(f, "missing %s", name);
	read_line(f, e->code, sizeof(e->code));
	read_line(f, e->path, sizeof(e->path));
	read_line(f, e->text, sizeof(e->text));
	read_line(f, pos, sizeof(pos));
	fclose(f);
	e->line = e->column = 0;
	if (pos[0])
		cr_assert_eq(sscanf(pos, "%d:%d", &e->line, &e->column), 2,
			     "%s: bad LINE:COLUMN", name);
}

static void check_invalid(const char *json)
{
	mos_config_t c, before;
	mos_error_t err;
	struct expect e;
	int rc;

	read_expect(json, &e);
	mos_config_default(&c);
	c.seed = 7; /* a non-default value too */
	before = c;
	rc = mos_config_load_json(json, &c, &err);
	cr_expect_str_eq(mos_err_name(rc), e.code, "%s", json);
	cr_expect_eq(err.code, rc, "%s", json);
	cr_expect_str_eq(err.path, e.path, "%s", json);
	cr_expect(strstr(err.message, e.text) != NULL,
		  "%s: message '%s' lacks '%s'", json, err.message, e.text);
	cr_expect_eq(err.line, e.line, "%s", json);
	cr_expect_eq(err.column, e.column, "%s", json);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0,
		     "%s: config changed on error", json);
}

Test(config, invalid_files)
{
	glob_t g;

	cr_assert_eq(glob(TEST_DATA_DIR "/invalid/config-*.json", 0, NULL, &g),
		     0, "no cases: run from the repository root");
	cr_expect_geq(g.gl_pathc, 10);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_invalid(g.gl_pathv[i]);
	globfree(&g);
}

Test(config, missing_file)
{
	const char *path = TEST_DATA_DIR "/invalid/no-such-file.json";
	mos_config_t c, before;
	mos_error_t err;

	mos_config_default(&c);
	before = c;
	cr_expect_eq(mos_config_load_json(path, &c, &err), MOS_EIO);
	cr_expect_eq(err.code, MOS_EIO);
	cr_expect_str_eq(err.source, path);
	cr_expect(strstr(err.message, "no-such-file.json") != NULL);
	cr_expect(strstr(err.message, "No such file") != NULL, "%s",
		  err.message);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0);
}

Test(config, unreadable_file)
{
	mos_config_t c, before;
	mos_error_t err;

	mos_config_default(&c);
	before = c;
	/* A directory opens but cannot be read: an I/O error, not syntax. */
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR, &c, &err), MOS_EIO,
		     "%s", err.message);
	cr_expect_eq(err.line, 0);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0);
}

Test(config, null_arguments)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_expect_eq(mos_config_load_json(NULL, &c, &err), MOS_EINVAL);
	cr_expect_eq(err.code, MOS_EINVAL);
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR "/config-all.json",
					  NULL, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR
					  "/invalid/config-syntax.json",
					  &c, NULL),
		     MOS_ECONFIG, "err may be NULL");
}
