/*
 * test_error.c - the error table and the mos_error_t helpers.
 *
 * The table checks are generated from MOS_ERRNO_MAP itself, so a new row is
 * covered without touching this file.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "error_int.h"
#include "multios/error.h"
#include "timeout.h"

TestSuite(error, .timeout = T_TIMEOUT);

static const struct row {
	int code;
	int value;
	const char *name;
	const char *msg;
} rows[] = {
#define ROW(name, val, msg) {MOS_##name, val, "MOS_" #name, msg},
	MOS_ERRNO_MAP(ROW)
#undef ROW
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

Test(error, table_names_and_messages)
{
	for (size_t i = 0; i < NROWS; i++) {
		cr_expect_eq(rows[i].code, -rows[i].value);
		cr_expect_lt(rows[i].code, 0, "%s is not negative",
			     rows[i].name);
		cr_expect_str_eq(mos_err_name(rows[i].code), rows[i].name);
		cr_expect_str_eq(mos_strerror(rows[i].code), rows[i].msg);
		cr_expect_str_neq(mos_strerror(rows[i].code), "unknown error");
		cr_expect_str_neq(mos_err_name(rows[i].code), "MOS_E?");
	}
}

Test(error, table_distinct)
{
	for (size_t i = 0; i < NROWS; i++)
		for (size_t j = i + 1; j < NROWS; j++) {
			cr_expect_neq(rows[i].code, rows[j].code, "%s = %s",
				      rows[i].name, rows[j].name);
			cr_expect_str_neq(mos_err_name(rows[i].code),
					  mos_err_name(rows[j].code));
			cr_expect_str_neq(mos_strerror(rows[i].code),
					  mos_strerror(rows[j].code));
		}
}

Test(error, zero_and_unknown)
{
	cr_expect_str_eq(mos_err_name(0), "MOS_OK");
	/* error.h: a message for MOS_E* codes, "unknown error" otherwise. */
	cr_expect_str_eq(mos_strerror(0), "unknown error");
	cr_expect_str_eq(mos_strerror(-999), "unknown error");
	cr_expect_str_eq(mos_err_name(-999), "MOS_E?");
	/* Codes are negative; the positive value is not a code. */
	cr_expect_str_eq(mos_strerror(-MOS_EINVAL), "unknown error");
	cr_expect_str_eq(mos_err_name(-MOS_EINVAL), "MOS_E?");
}

Test(error, clear)
{
	mos_error_t err;

	memset(&err, 0x5a, sizeof(err));
	mos__error_clear(&err);
	cr_expect_eq(err.code, 0);
	cr_expect_eq(err.line, 0);
	cr_expect_str_eq(err.message, "");
	mos__error_clear(NULL);
}

Test(error, path_format)
{
	mos_error_t err;

	mos__error_clear(&err);
	cr_expect_eq(mos__error_path(&err, MOS_ECONFIG, "cfg.json",
				     "scheduler.time_slice_ms",
				     "expected a %s", "number"),
		     MOS_ECONFIG);
	cr_expect_eq(err.code, MOS_ECONFIG);
	cr_expect_eq(err.line, 0);
	cr_expect_eq(err.column, 0);
	cr_expect_str_eq(err.source, "cfg.json");
	cr_expect_str_eq(err.path, "scheduler.time_slice_ms");
	cr_expect_str_eq(err.text, "expected a number");
	cr_expect_str_eq(err.message,
			 "cfg.json: scheduler.time_slice_ms: expected a number");
}

Test(error, path_empty_is_omitted)
{
	mos_error_t err;

	mos__error_clear(&err);
	mos__error_path(&err, MOS_EIO, "cfg.json", "", "cannot open");
	cr_expect_str_eq(err.message, "cfg.json: cannot open");
	mos__error_clear(&err);
	mos__error_path(&err, MOS_EIO, "cfg.json", NULL, "cannot open");
	cr_expect_str_eq(err.message, "cfg.json: cannot open");
}

Test(error, first_error_wins)
{
	mos_error_t err;

	mos__error_clear(&err);
	mos__error_path(&err, MOS_ECONFIG, "a.json", "x", "first");
	cr_expect_eq(mos__error_path(&err, MOS_EIO, "b.json", "y", "second"),
		     MOS_EIO, "the code is returned even when ignored");
	cr_expect_eq(mos__error_syntax(&err, MOS_ECONFIG, "c.json", 1, 2,
				       "third"),
		     MOS_ECONFIG);
	cr_expect_eq(err.code, MOS_ECONFIG);
	cr_expect_str_eq(err.message, "a.json: x: first");
	cr_expect_eq(err.line, 0);
}

Test(error, null_err)
{
	cr_expect_eq(mos__error_path(NULL, MOS_EINVAL, "s", "p", "t"),
		     MOS_EINVAL);
	cr_expect_eq(mos__error_syntax(NULL, MOS_ECONFIG, "s", 1, 1, "t"),
		     MOS_ECONFIG);
}

Test(error, syntax_format)
{
	mos_error_t err;

	mos__error_clear(&err);
	cr_expect_eq(mos__error_syntax(&err, MOS_ECONFIG, "cfg.json", 3, 7,
				       "end of file expected"),
		     MOS_ECONFIG);
	cr_expect_eq(err.line, 3);
	cr_expect_eq(err.column, 7);
	cr_expect_str_eq(err.path, "");
	cr_expect_str_eq(err.message, "cfg.json:3:7: end of file expected");
}

Test(error, truncates_safely)
{
	char big[2000];
	mos_error_t err;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mos__error_clear(&err);
	mos__error_path(&err, MOS_ECONFIG, big, big, "%s", big);
	cr_expect_eq(strlen(err.source), MOS_ERROR_SOURCE_LEN - 1);
	cr_expect_eq(strlen(err.path), MOS_ERROR_PATH_LEN - 1);
	cr_expect_eq(strlen(err.text), MOS_ERROR_TEXT_LEN - 1);
	cr_expect_eq(strlen(err.message), MOS_ERROR_SOURCE_LEN - 1 +
			     MOS_ERROR_PATH_LEN - 1 + MOS_ERROR_TEXT_LEN - 1 +
			     4, "every part fits: nothing lost in message");

	mos__error_clear(&err);
	mos__error_syntax(&err, MOS_ECONFIG, big, 2147483647, -2147483647 - 1,
			  "%s", big);
	cr_expect_lt(strlen(err.message), sizeof(err.message));
}

/* A field cut to fit ends with "…", never in the middle of a character;
 * one that fits exactly is left alone. */
Test(error, cut_fields_end_with_an_ellipsis)
{
	char path[300], text[400];
	mos_error_t err;
	size_t n;

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	memset(text, 't', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(path + MOS_ERROR_PATH_LEN - 7, "\xc3\xa9\xc3\xa9", 4);
	mos__error_clear(&err);
	mos__error_path(&err, MOS_ECONFIG, "s.json", path, "%s", text);
	n = strlen(err.path);
	cr_assert_leq(n, MOS_ERROR_PATH_LEN - 1);
	cr_assert_str_eq(err.path + n - 3, "\xe2\x80\xa6");
	/* the cut backed up over the half of the second "é" */
	cr_assert_str_eq(err.path + n - 5, "\xc3\xa9\xe2\x80\xa6");
	n = strlen(err.text);
	cr_assert_eq(n, MOS_ERROR_TEXT_LEN - 1);
	cr_assert_str_eq(err.text + n - 3, "\xe2\x80\xa6");

	path[MOS_ERROR_PATH_LEN - 1] = '\0'; /* exactly fits */
	memset(path, 'p', MOS_ERROR_PATH_LEN - 1);
	mos__error_clear(&err);
	mos__error_path(&err, MOS_ECONFIG, "s.json", path, "x");
	cr_assert_str_eq(err.path, path);
}
