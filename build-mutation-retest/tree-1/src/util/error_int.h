/*
 * src/util/error_int.h - filling a mos_error_t from inside the library.
 *
 * Loaders report through these helpers so every diagnostic has the same
 * shape: "SOURCE: PATH: TEXT" for a bad value (path is the JSON path of the
 * key) and "SOURCE:LINE:COLUMN: TEXT" for a syntax error.  As in jansson, the
 * first error wins: once err->code is nonzero later reports are ignored, so
 * a caller may report at every level of an unwinding failure without
 * overwriting the root cause.  err may be NULL everywhere.  Every string is
 * truncated to its field; nothing here allocates or fails.
 */
#ifndef MOS_ERROR_INT_H
#define MOS_ERROR_INT_H

#include "multios/error.h"

/* Reset *err to "no error" (code 0, empty strings).  Public loaders call this
 * on entry so that first-error-wins starts afresh. */
void mos__error_clear(mos_error_t *err);

/*
 * Record a value error: code, source (a file name or a module name), the
 * JSON path of the offending key ("" or NULL when there is none) and the
 * printf-formatted text.  Does nothing if err is NULL or already holds an
 * error.  Returns code, so callers can write `return mos__error_path(...)`.
 */
int mos__error_path(mos_error_t *err, int code, const char *source,
		    const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Record a syntax error at a 1-based line and column; path stays empty.
 * Same first-error-wins rule and return value as mos__error_path(). */
int mos__error_syntax(mos_error_t *err, int code, const char *source,
		      int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#endif
