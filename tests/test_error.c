/*
 * test_error.c - the error table and the mos_error_t helpers.
 *
 * The codes, names and messages are written out literally: a new row of
 * MOS_ERRNO_MAP fails the count check until it is added here.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "util/error_int.h"
#include "multios/error.h"
#include "timeout.h"

TestSuite(error, .timeout = T_TIMEOUT);

/* The codes and their strings, written out: values are stable (error.h:
 * "never renumber"), so each is pinned here and not derived from the
 * table under test. */
static const struct row {
	int code;
	int value;
	const char *name;
	const char *msg;
} rows[] = {
	{MOS_EINVAL, -1, "MOS_EINVAL", "invalid argument"},
	{MOS_ENOMEM, -2, "MOS_ENOMEM", "out of memory"},
	{MOS_EINTR, -3, "MOS_EINTR", "interrupted"},
	{MOS_ECHILD, -4, "MOS_ECHILD", "no child processes"},
	{MOS_ENOPROG, -5, "MOS_ENOPROG", "no such program"},
	{MOS_EIO, -6, "MOS_EIO", "input/output error"},
	{MOS_ERANGE, -7, "MOS_ERANGE", "time out of range"},
	{MOS_ENOENT, -8, "MOS_ENOENT", "no such file or directory"},
	{MOS_EBADF, -9, "MOS_EBADF", "bad file descriptor"},
	{MOS_ENOTDIR, -10, "MOS_ENOTDIR", "not a directory"},
	{MOS_EISDIR, -11, "MOS_EISDIR", "is a directory"},
	{MOS_EEXIST, -12, "MOS_EEXIST", "file exists"},
	{MOS_EAGAIN, -13, "MOS_EAGAIN", "resource temporarily unavailable"},
	{MOS_EPEERDIED, -14, "MOS_EPEERDIED", "peer died"},
	{MOS_EPROCNOTFOUND, -20, "MOS_EPROCNOTFOUND", "process not found"},
	{MOS_EINVALPID, -21, "MOS_EINVALPID", "invalid process id"},
	{MOS_EPROCEXISTS, -22, "MOS_EPROCEXISTS", "process already exists"},
	{MOS_EPERM, -23, "MOS_EPERM", "permission denied"},
	{MOS_EEXHAUSTED, -24, "MOS_EEXHAUSTED", "system resources exhausted"},
	{MOS_EINVALSTATE, -25, "MOS_EINVALSTATE", "invalid state"},
	{MOS_EINVALPRIO, -26, "MOS_EINVALPRIO", "invalid priority"},
	{MOS_ELIMIT, -27, "MOS_ELIMIT", "resource limit exceeded"},
	{MOS_ETIMEDOUT, -28, "MOS_ETIMEDOUT", "operation timed out"},
	{MOS_ESVCNOTFOUND, -40, "MOS_ESVCNOTFOUND", "service not found"},
	{MOS_ESVCEXISTS, -41, "MOS_ESVCEXISTS", "service already exists"},
	{MOS_ESVCNOTRUNNING, -42, "MOS_ESVCNOTRUNNING", "service is not running"},
	{MOS_ESVCNOTSTOPPED, -43, "MOS_ESVCNOTSTOPPED", "service is still running"},
	{MOS_ECONFIG, -44, "MOS_ECONFIG", "configuration error"},
	{MOS_EDEPEND, -45, "MOS_EDEPEND", "dependency error"},
	{MOS_EDISCOVERY, -46, "MOS_EDISCOVERY", "service discovery failed"},
	{MOS_ELOADBAL, -47, "MOS_ELOADBAL", "load balancing error"},
	{MOS_EHEALTH, -48, "MOS_EHEALTH", "health check failed"},
	{MOS_ECYCLE, -49, "MOS_ECYCLE", "circular dependency"},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

Test(error, table_names_and_messages)
{
	/* A new code must be added here too, with its value and strings. */
#define ONE(name, val, msg) +1
	cr_assert_eq(NROWS, 0 MOS_ERRNO_MAP(ONE));
#undef ONE
	for (size_t i = 0; i < NROWS; i++) {
		cr_expect_eq(rows[i].code, rows[i].value, "%s = %d", rows[i].name,
			     rows[i].code);
		cr_expect_str_eq(mos_err_name(rows[i].value), rows[i].name);
		cr_expect_str_eq(mos_strerror(rows[i].value), rows[i].msg);
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
