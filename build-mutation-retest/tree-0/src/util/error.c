/*
 * src/util/error.c - error codes and loader diagnostics.
 *
 * mos_strerror() and mos_err_name() are generated from MOS_ERRNO_MAP in
 * multios/error.h, so adding a row there is the whole job of adding a code.
 * The mos__error_* helpers fill a mos_error_t (see error_int.h for the
 * message shapes and the first-error-wins rule).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error_int.h"

const char *mos_strerror(int err)
{
	switch (err) {
#define GEN(name, val, msg) case MOS_##name: return msg;
		MOS_ERRNO_MAP(GEN)
#undef GEN
	default:
		return "unknown error";
	}
}

const char *mos_err_name(int err)
{
	switch (err) {
	case MOS_OK:
		return "MOS_OK";
#define GEN(name, val, msg) case MOS_##name: return "MOS_" #name;
		MOS_ERRNO_MAP(GEN)
#undef GEN
	default:
		return "MOS_E?";
	}
}

void mos__error_clear(mos_error_t *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* A string cut to fit buf[size] ends with "…" (UTF-8), so a reader sees
 * that something is missing.  The cut backs up to a character boundary
 * so that no multi-byte character is split. */
static void ellipsize(char *buf, size_t size)
{
	static const char dots[] = "\xe2\x80\xa6";
	size_t at = size - sizeof(dots);

	while (at > 0 && ((unsigned char)buf[at] & 0xc0) == 0x80)
		at--;
	memcpy(buf + at, dots, sizeof(dots));
}

/* Copy src into dst[size], truncating with "…"; NULL src is the empty
 * string. */
static void copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size) : 0;

	if (n == size) {
		memcpy(dst, src, size - 1);
		ellipsize(dst, size);
		return;
	}
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

static void set_text(mos_error_t *err, const char *fmt, va_list ap)
{
	if (vsnprintf(err->text, sizeof(err->text), fmt, ap) >=
	    (int)sizeof(err->text))
		ellipsize(err->text, sizeof(err->text));
}

/* Common part of both reports: claim err for this error unless an earlier
 * error holds it.  Returns 1 if the caller should fill in the details. */
static int claim(mos_error_t *err, int code, const char *source)
{
	if (!err || err->code != 0 || code == 0)
		return 0;
	mos__error_clear(err);
	err->code = code;
	copy(err->source, sizeof(err->source), source);
	return 1;
}

int mos__error_path(mos_error_t *err, int code, const char *source,
		    const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!claim(err, code, source))
		return code;
	copy(err->path, sizeof(err->path), path);
	va_start(ap, fmt);
	set_text(err, fmt, ap);
	va_end(ap);

	/* Each field is bounded and message has room for all of them plus
	 * separators, so this never truncates; omit the empty parts. */
	snprintf(err->message, sizeof(err->message), "%s%s%s%s%s",
		 err->source, err->source[0] ? ": " : "",
		 err->path, err->path[0] ? ": " : "", err->text);
	return code;
}

int mos__error_syntax(mos_error_t *err, int code, const char *source,
		      int line, int column, const char *fmt, ...)
{
	va_list ap;

	if (!claim(err, code, source))
		return code;
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	set_text(err, fmt, ap);
	va_end(ap);
	snprintf(err->message, sizeof(err->message), "%s:%d:%d: %s",
		 err->source, line, column, err->text);
	return code;
}
