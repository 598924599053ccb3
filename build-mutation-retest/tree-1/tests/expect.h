/*
 * tests/expect.h - runs the bad-input cases in tests/data/invalid/.
 *
 * Each <case>.json has a <case>.expect sidecar (format in
 * tests/data/invalid/README).  t_expect_run() globs the cases of one loader,
 * calls the loader through a callback and checks the error it reports
 * against the sidecar.  The callback also checks that the loader left its
 * output untouched, since only it knows what the output is.
 */
#ifndef MOS_TEST_EXPECT_H
#define MOS_TEST_EXPECT_H

#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "multios/error.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* Load the file json; fill *err; return the loader's code.  Asserts that
 * the loader's output is as it was before the call. */
typedef int (*t_expect_load_fn)(const char *json, mos_error_t *err,
				void *ctx);

struct t_expect {
	char code[64];
	char path[MOS_ERROR_PATH_LEN];
	char text[MOS_ERROR_TEXT_LEN];
	int line, column;
};

static inline void t_expect_line(FILE *f, char *buf, size_t size)
{
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static inline void t_expect_read(const char *json, struct t_expect *e)
{
	char name[512], pos[64];
	FILE *f;

	snprintf(name, sizeof(name), "%.*s.expect",
		 (int)(strlen(json) - strlen(".json")), json);
	f = fopen(name, "r");
	cr_assert_not_null(f, "missing %s", name);
	t_expect_line(f, e->code, sizeof(e->code));
	t_expect_line(f, e->path, sizeof(e->path));
	t_expect_line(f, e->text, sizeof(e->text));
	t_expect_line(f, pos, sizeof(pos));
	fclose(f);
	e->line = e->column = 0;
	if (pos[0])
		cr_assert_eq(sscanf(pos, "%d:%d", &e->line, &e->column), 2,
			     "%s: bad LINE:COLUMN", name);
}

static inline void t_expect_check(const char *json, t_expect_load_fn load,
				  void *ctx)
{
	struct t_expect e;
	mos_error_t err;
	int rc;

	t_expect_read(json, &e);
	rc = load(json, &err, ctx);
	cr_expect_str_eq(mos_err_name(rc), e.code, "%s", json);
	cr_expect_eq(err.code, rc, "%s", json);
	cr_expect_str_eq(err.path, e.path, "%s", json);
	cr_expect(strstr(err.message, e.text) != NULL,
		  "%s: message '%s' lacks '%s'", json, err.message, e.text);
	cr_expect_eq(err.line, e.line, "%s", json);
	cr_expect_eq(err.column, e.column, "%s", json);
}

/* Run every case matching pattern (a glob under the repository root, where
 * the suite runs); expect at least min_cases of them. */
static inline void t_expect_run(const char *pattern, size_t min_cases,
				t_expect_load_fn load, void *ctx)
{
	glob_t g;

	cr_assert_eq(glob(pattern, 0, NULL, &g), 0,
		     "no cases for %s: run from the repository root", pattern);
	cr_expect_geq(g.gl_pathc, min_cases, "%s", pattern);
	for (size_t i = 0; i < g.gl_pathc; i++)
		t_expect_check(g.gl_pathv[i], load, ctx);
	globfree(&g);
}

#endif
