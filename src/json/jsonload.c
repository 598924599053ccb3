/*
 * src/json/jsonload.c - shared walker for the library's JSON loaders.
 *
 * File reading with jansson, a JSON-path cursor and type- and range-checked
 * getters that report through mos__error_path().  See jsonload.h for the
 * contract every getter follows.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error_int.h"
#include "jsonload.h"
#include "multios/program.h"
#include "multios/types.h"

/* 2^64 as a double: the first real milliseconds-in-ns value that does not
 * fit a uint64_t. */
#define TWO_POW_64 18446744073709551616.0

/* ---- path cursor ---- */

void mos__jpath_init(mos_jpath_t *p)
{
	memset(p, 0, sizeof(*p));
}

/* Append s, truncated to what still fits. */
static void append(mos_jpath_t *p, const char *s)
{
	size_t n = strnlen(s, sizeof(p->buf) - 1 - p->len);

	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

/* Remember where this level starts.  Returns 0 when the level is too deep
 * to remember: then it must not change buf, or pop could not undo it. */
static int push_mark(mos_jpath_t *p)
{
	size_t depth = p->depth++;

	if (depth >= MOS_JPATH_DEPTH)
		return 0;
	p->mark[depth] = p->len;
	return 1;
}

void mos__jpath_push_key(mos_jpath_t *p, const char *key)
{
	if (!push_mark(p))
		return;
	if (p->len > 0)
		append(p, ".");
	append(p, key);
}

void mos__jpath_push_index(mos_jpath_t *p, size_t index)
{
	char tmp[32];

	if (!push_mark(p))
		return;
	snprintf(tmp, sizeof(tmp), "[%zu]", index);
	append(p, tmp);
}

void mos__jpath_pop(mos_jpath_t *p)
{
	if (p->depth == 0)
		return;
	p->depth--;
	if (p->depth < MOS_JPATH_DEPTH) {
		p->len = p->mark[p->depth];
		p->buf[p->len] = '\0';
	}
}

/* ---- loading ---- */

void mos__jload_init(mos_jload_t *ld, const char *source, mos_error_t *err)
{
	ld->source = source;
	ld->err = err;
	mos__jpath_init(&ld->path);
}

static int io_error(mos_error_t *err, const char *path, const char *what,
		    int errnum)
{
	char buf[128];
	const char *why = errnum ? strerror_r(errnum, buf, sizeof(buf))
				 : "read error";

	return mos__error_path(err, MOS_EIO, path, "", "%s: %s", what, why);
}

static int parse_error(mos_error_t *err, const char *path,
		       const json_error_t *jerr)
{
	int code = mos__json_error_code(jerr);

	/* jansson gives no position for a few errors (out of memory), and
	 * column 0 before the first character of a line; mos_error_t keeps
	 * 0 to mean "not a syntax error", so positions start at 1. */
	if (!jerr->text[0])
		return mos__error_path(err, code, path, "", "out of memory "
				       "(jansson)");
	if (jerr->line < 1)
		return mos__error_path(err, code, path, "", "%s", jerr->text);
	return mos__error_syntax(err, code, path, jerr->line,
				 jerr->column < 1 ? 1 : jerr->column, "%s",
				 jerr->text);
}

int mos__json_error_code(const json_error_t *jerr)
{
	/* Where jansson runs out of memory it mostly returns NULL without a
	 * word (json_loads before it reads, or when a value cannot be made):
	 * an empty text is out of memory too. */
	if (!jerr->text[0] || json_error_code(jerr) == json_error_out_of_memory)
		return MOS_ENOMEM;
	return MOS_ECONFIG;
}

int mos__json_load_file(const char *path, json_t **root, mos_error_t *err)
{
	json_error_t jerr = {0};
	FILE *fp;
	int rc = 0;
	int errnum;

	*root = NULL;
	fp = fopen(path, "rb");
	if (!fp)
		return io_error(err, path, "cannot open", errno);
	/* We open the file ourselves (rather than json_load_file) to tell a
	 * read error, e.g. a directory, from a syntax error. */
	errno = 0;
	*root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	errnum = errno;
	if (!*root && ferror(fp))
		rc = io_error(err, path, "cannot read", errnum);
	else if (!*root)
		rc = parse_error(err, path, &jerr);
	fclose(fp);
	return rc;
}

int mos__json_load_buffer(const char *text, size_t len, const char *name,
			  json_t **root, mos_error_t *err)
{
	json_error_t jerr = {0};

	*root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	return *root ? 0 : parse_error(err, name, &jerr);
}

int mos__json_fail(mos_jload_t *ld, int code, const char *fmt, ...)
{
	char text[MOS_ERROR_TEXT_LEN + 1]; /* + 1: see mos_jpath_t */
	va_list ap;

	if (!ld->err || ld->err->code != 0)
		return code;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return mos__error_path(ld->err, code, ld->source, ld->path.buf, "%s",
			       text);
}

/* ---- structure ---- */

static int allowed_key(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(key, *allowed) == 0)
			return 1;
	return 0;
}

int mos__json_check_keys(mos_jload_t *ld, json_t *obj,
			 const char *const *allowed)
{
	const char *key;
	json_t *value;
	int rc;

	if (!json_is_object(obj))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	/* jansson (>= 2.8) iterates in document order, so the report is the
	 * first stranger in the file. */
	json_object_foreach(obj, key, value) {
		if (allowed_key(key, allowed))
			continue;
		mos__jpath_push_key(&ld->path, key);
		rc = mos__json_fail(ld, MOS_ECONFIG, "unknown key");
		mos__jpath_pop(&ld->path);
		return rc;
	}
	return 0;
}

int mos__json_require(mos_jload_t *ld, json_t *obj, const char *key)
{
	int rc;

	if (json_object_get(obj, key))
		return 0;
	mos__jpath_push_key(&ld->path, key);
	rc = mos__json_fail(ld, MOS_ECONFIG, "missing required key");
	mos__jpath_pop(&ld->path);
	return rc;
}

/* ---- getters ---- */

/* The value a getter reads, with the cursor moved onto it; NULL (cursor
 * unmoved) when key is given and absent.  Pair with leave(). */
static json_t *enter(mos_jload_t *ld, json_t *obj, const char *key)
{
	json_t *v;

	if (!key)
		return obj;
	v = json_object_get(obj, key);
	if (v)
		mos__jpath_push_key(&ld->path, key);
	return v;
}

static int leave(mos_jload_t *ld, const char *key, int rc)
{
	if (key)
		mos__jpath_pop(&ld->path);
	return rc;
}

static int typed(mos_jload_t *ld, json_t *obj, const char *key,
		 json_type type, const char *expected, json_t **out)
{
	json_t *v = enter(ld, obj, key);
	int rc = 0;

	if (!v)
		return 0;
	if (json_typeof(v) != type)
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected %s", expected);
	else
		*out = v;
	return leave(ld, key, rc);
}

int mos__json_get_object(mos_jload_t *ld, json_t *obj, const char *key,
			 json_t **out)
{
	*out = NULL;
	return typed(ld, obj, key, JSON_OBJECT, "an object", out);
}

int mos__json_get_array(mos_jload_t *ld, json_t *obj, const char *key,
			json_t **out)
{
	*out = NULL;
	return typed(ld, obj, key, JSON_ARRAY, "an array", out);
}

/* v as a non-negative integer; the cursor names v. */
static int read_count(mos_jload_t *ld, json_t *v, json_int_t *out)
{
	if (!json_is_integer(v))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an integer");
	*out = json_integer_value(v);
	if (*out < 0)
		return mos__json_fail(ld, MOS_ECONFIG, "must not be negative");
	return 0;
}

int mos__json_get_u64(mos_jload_t *ld, json_t *obj, const char *key,
		      uint64_t *out)
{
	json_t *v = enter(ld, obj, key);
	json_int_t n;
	int rc;

	if (!v)
		return 0;
	rc = read_count(ld, v, &n);
	if (rc == 0)
		*out = (uint64_t)n;
	return leave(ld, key, rc);
}

int mos__json_get_u32(mos_jload_t *ld, json_t *obj, const char *key,
		      uint32_t min, uint32_t max, uint32_t *out)
{
	json_t *v = enter(ld, obj, key);
	json_int_t n = 0; /* LTO cannot see read_count set it */
	int rc;

	if (!v)
		return 0;
	rc = read_count(ld, v, &n);
	if (rc == 0 && (n < (json_int_t)min || n > (json_int_t)max))
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must be between %lu and %lu",
				    (unsigned long)min, (unsigned long)max);
	if (rc == 0)
		*out = (uint32_t)n;
	return leave(ld, key, rc);
}

int mos__json_get_bool(mos_jload_t *ld, json_t *obj, const char *key,
		       bool *out)
{
	json_t *v = enter(ld, obj, key);
	int rc = 0;

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected a boolean");
	else
		*out = json_is_true(v);
	return leave(ld, key, rc);
}

int mos__json_get_double(mos_jload_t *ld, json_t *obj, const char *key,
			 double min, double max, double *out)
{
	json_t *v = enter(ld, obj, key);
	double d;
	int rc = 0;

	if (!v)
		return 0;
	d = json_number_value(v);
	if (!json_is_number(v))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected a number");
	else if (!(d >= min && d <= max))
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must be between %g and %g", min, max);
	else
		*out = d;
	return leave(ld, key, rc);
}

int mos__json_get_string(mos_jload_t *ld, json_t *obj, const char *key,
			 char *buf, size_t size)
{
	json_t *v = enter(ld, obj, key);
	size_t len;
	int rc = 0;

	if (!v)
		return 0;
	len = json_string_length(v);
	if (!json_is_string(v))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected a string");
	else if (len >= size)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must be at most %zu characters",
				    size ? size - 1 : 0);
	else
		memcpy(buf, json_string_value(v), len + 1);
	return leave(ld, key, rc);
}

/* v (a JSON number of milliseconds) in nanoseconds; the cursor names v. */
static int read_ms(mos_jload_t *ld, json_t *v, uint64_t *ns)
{
	double ms = json_number_value(v);

	if (!json_is_number(v))
		return mos__json_fail(ld, MOS_ECONFIG, "expected a number");
	if (ms < 0)
		return mos__json_fail(ld, MOS_ECONFIG, "must not be negative");
	if (json_is_integer(v)) {
		/* Integers stay exact: no trip through double. */
		json_int_t n = json_integer_value(v);

		if ((uint64_t)n > UINT64_MAX / MOS_MSEC)
			return mos__json_fail(ld, MOS_ECONFIG, "is too large");
		*ns = (uint64_t)n * MOS_MSEC;
		return 0;
	}
	/* Round a real to the nearest nanosecond. */
	if (ms * (double)MOS_MSEC + 0.5 >= TWO_POW_64)
		return mos__json_fail(ld, MOS_ECONFIG, "is too large");
	*ns = (uint64_t)(ms * (double)MOS_MSEC + 0.5);
	return 0;
}

int mos__json_get_duration_ms(mos_jload_t *ld, json_t *obj, const char *key,
			      uint64_t *out_ns)
{
	json_t *v = enter(ld, obj, key);
	uint64_t ns = 0;
	int rc;

	if (!v)
		return 0;
	rc = read_ms(ld, v, &ns);
	if (rc == 0)
		*out_ns = ns;
	return leave(ld, key, rc);
}

int mos__json_get_time_fields(mos_jload_t *ld, json_t *obj,
			      const mos_json_time_field_t *fields, size_t n,
			      void *base, mos_jget_time_fn get, void *ctx)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++)
		rc = get(ld, obj, fields[i].key,
			 (uint64_t *)((char *)base + fields[i].offset), ctx);
	return rc;
}

int mos__json_each(mos_jload_t *ld, json_t *arr, size_t max,
		   mos_jeach_fn fn, void *ctx)
{
	size_t i, n = json_array_size(arr);
	int rc = 0;

	if (!json_is_array(arr))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an array");
	if (n > max)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must have at most %zu entries", max);
	for (i = 0; i < n && !rc; i++) {
		mos__jpath_push_index(&ld->path, i);
		rc = fn(ld, json_array_get(arr, i), i, ctx);
		mos__jpath_pop(&ld->path);
	}
	return rc;
}

int mos__json_get_each(mos_jload_t *ld, json_t *obj, const char *key,
		       size_t max, mos_jeach_fn fn, void *ctx, uint32_t *count)
{
	json_t *a;
	int rc = mos__json_get_array(ld, obj, key, &a);

	if (rc || !a)
		return rc;
	mos__jpath_push_key(&ld->path, key);
	rc = mos__json_each(ld, a, max, fn, ctx);
	mos__jpath_pop(&ld->path);
	if (!rc)
		*count = (uint32_t)json_array_size(a);
	return rc;
}

int mos__json_section(mos_jload_t *ld, json_t *obj, const char *key,
		      mos_jsection_fn fn, void *ctx)
{
	json_t *o;
	int rc = mos__json_get_object(ld, obj, key, &o);

	if (rc || !o)
		return rc;
	mos__jpath_push_key(&ld->path, key);
	rc = fn(ld, o, ctx);
	mos__jpath_pop(&ld->path);
	return rc;
}

/* ---- durations and sizes, as numbers or strings ------------------------- */

/* "max" / "infinity": no limit. */
static bool unlimited(const char *s)
{
	return !strcmp(s, "max") || !strcmp(s, "infinity");
}

int mos__json_get_duration(mos_jload_t *ld, json_t *obj, const char *key,
			   bool never_ok, mos_time_t *out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (!v)
		return 0;
	if (json_is_number(v))
		return mos__json_get_duration_ms(ld, obj, key, out);
	enter(ld, obj, key);
	if (!json_is_string(v))
		return leave(ld, key,
			     mos__json_fail(ld, MOS_ECONFIG,
					    "expected a duration: milliseconds "
					    "or a string like \"100ms\""));
	s = json_string_value(v);
	if (never_ok && unlimited(s)) {
		*out = MOS_TIME_NEVER;
		return leave(ld, key, 0);
	}
	if (mos_duration_parse(s, out) != 0)
		return leave(ld, key,
			     mos__json_fail(ld, MOS_ECONFIG,
					    "not a duration (\"100ms\", \"2.5s\", "
					    "\"250us\" or a number of "
					    "milliseconds)"));
	return leave(ld, key, 0);
}

int mos__json_get_size(mos_jload_t *ld, json_t *obj, const char *key,
		       uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (!v)
		return 0;
	if (json_is_integer(v))
		return mos__json_get_u64(ld, obj, key, out);
	enter(ld, obj, key);
	if (!json_is_string(v))
		return leave(ld, key,
			     mos__json_fail(ld, MOS_ECONFIG,
					    "expected a size: bytes or a string "
					    "like \"64MiB\""));
	s = json_string_value(v);
	if (unlimited(s)) {
		*out = UINT64_MAX;
		return leave(ld, key, 0);
	}
	if (mos_size_parse(s, out) != 0)
		return leave(ld, key,
			     mos__json_fail(ld, MOS_ECONFIG,
					    "not a size (\"4096\", \"64KiB\", "
					    "\"2MB\")"));
	return leave(ld, key, 0);
}
