/*
 * tests/helpers_json.h - read the scheduler's JSON back in tests: the
 * `multios sched` command's output, and what the library's report writers
 * print.  Separate from helpers.h so only the tests that parse JSON pull
 * in jansson.
 */
#ifndef MOS_TEST_HELPERS_JSON_H
#define MOS_TEST_HELPERS_JSON_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

/* The command under test: env MOS_CLI (the Makefile sets it). */
static inline const char *t_cli_path(void)
{
	const char *p = getenv("MOS_CLI");
	return p ? p : "build/bin/multios";
}

/* `multios sched ARGS` must exit 0 and print one JSON document. */
static inline json_t *t_sched_json(const char *args)
{
	char cmd[1024];
	json_error_t jerr;
	json_t *out;
	FILE *f;

	/* A hung command would outlive the test's own timeout (Criterion
	 * kills the test, not what it started): coreutils' timeout bounds it. */
	snprintf(cmd, sizeof(cmd), "timeout 30 %s sched %s", t_cli_path(), args);
	f = popen(cmd, "r");
	cr_assert_not_null(f, "popen %s", cmd);
	out = json_loadf(f, 0, &jerr);
	cr_assert_eq(pclose(f), 0, "%s failed", cmd);
	cr_assert_not_null(out, "%s: not JSON: %s", cmd, jerr.text);
	return out;
}

/* What a report writer (mos_sched_report_write_json/_trace) prints,
 * parsed; the writer must succeed and print one JSON document. */
static inline json_t *t_written(int (*write)(const mos_sched_report_t *, FILE *),
				const mos_sched_report_t *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t jerr;
	json_t *o;

	cr_assert_not_null(f);
	cr_assert_eq(write(r, f), 0);
	cr_assert_eq(fclose(f), 0);
	o = json_loadb(buf, len, 0, &jerr);
	free(buf);
	cr_assert_not_null(o, "not JSON: %s", jerr.text);
	return o;
}

#endif
