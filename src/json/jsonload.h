/*
 * src/json/jsonload.h - shared walker for the library's JSON loaders.
 *
 * src/json/ owns the configuration (defaults, validation, the JSON
 * overlay: config.c), the scheduler-parameter rules every loader applies
 * (config_int.h), and this shared reader.  It includes the public
 * headers, src/util/, and the HAL's backend registries (sim/hal/clock.h,
 * ctx.h) to check backend names; other subsystems' loaders include this
 * header and config_int.h.
 *
 * Every loader (configuration, workloads, service descriptors, scenarios)
 * reads its file with mos__json_load_file() and then walks the tree with one
 * mos_jload_t: the file name for messages, the caller's mos_error_t, and a
 * mos_jpath_t cursor that spells the JSON path of the value being read
 * ("scheduler.time_slice_ms", "processes[3].bursts[1].io").  The cursor is a
 * fixed buffer: pushing and popping never allocate, and a path longer than
 * the buffer is truncated, never overrun.
 *
 * Getters all have the same shape:
 *
 *   int mos__json_get_T(mos_jload_t *ld, json_t *obj, const char *key, ...,
 *                       T *out);
 *
 * With a key, obj must be an object; an absent key returns 0 and leaves *out
 * untouched (every key optional, so a loader overlays a file on defaults).
 * With key NULL, obj is the value itself and the cursor must already name it
 * (use this for array elements after mos__jpath_push_index()).  On a wrong
 * type or range the getter reports MOS_ECONFIG through mos__error_path() with
 * the value's full path, leaves *out untouched and returns MOS_ECONFIG.  JSON
 * values are borrowed throughout; nothing here takes or returns a reference
 * except mos__json_load_file().
 *
 * Typical use:
 *
 *   mos_jload_t ld;
 *   mos__jload_init(&ld, path, err);
 *   rc = mos__json_check_keys(&ld, root, keys);
 *   if (!rc) rc = mos__json_get_u32(&ld, root, "max", 1, 64, &cfg->max);
 *   if (!rc) rc = mos__json_section(&ld, root, "clock", read_clock, cfg);
 *   (read_clock: ...getters on the "clock" object, errors at clock.KEY)
 */
#ifndef MOS_JSONLOAD_H
#define MOS_JSONLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "multios/error.h"
#include "multios/types.h"

#define MOS_JPATH_DEPTH 16 /* levels remembered; deeper ones are not shown */

/* A JSON path under construction.  buf is always NUL-terminated.  It holds
 * one character more than mos_error_t's path, so that a path too long for
 * the error is seen as such there and shown ending with "…". */
typedef struct mos_jpath {
	char buf[MOS_ERROR_PATH_LEN + 1];
	size_t len;                   /* strlen(buf) */
	size_t depth;                 /* levels pushed and not popped */
	size_t mark[MOS_JPATH_DEPTH]; /* len before each remembered push */
} mos_jpath_t;

void mos__jpath_init(mos_jpath_t *p);
/* Append ".key" ("key" at the root). */
void mos__jpath_push_key(mos_jpath_t *p, const char *key);
/* Append "[index]". */
void mos__jpath_push_index(mos_jpath_t *p, size_t index);
/* Undo the last push.  Popping an empty path is a no-op. */
void mos__jpath_pop(mos_jpath_t *p);

/* One walk over one document. */
typedef struct mos_jload {
	const char *source; /* file name used in messages; borrowed */
	mos_error_t *err;   /* where errors go; may be NULL */
	mos_jpath_t path;   /* names the value being read */
} mos_jload_t;

/* Start a walk at the root (empty path).  Does not clear *err. */
void mos__jload_init(mos_jload_t *ld, const char *source, mos_error_t *err);

/*
 * Parse the file at path into *root (a new reference the caller must
 * json_decref).  Duplicate keys are rejected.  The document must be an
 * object or an array.  On error *root is NULL and:
 *   MOS_EIO     the file cannot be opened or read (text says why);
 *   MOS_ECONFIG a syntax error or duplicate key (err: file:line:column);
 *   MOS_ENOMEM  jansson ran out of memory.
 */
int mos__json_load_file(const char *path, json_t **root, mos_error_t *err);

/*
 * The same for the len bytes at text (no NUL needed), name standing for
 * the file name in messages: MOS_ECONFIG (err: name:line:column),
 * MOS_ENOMEM.
 */
int mos__json_load_buffer(const char *text, size_t len, const char *name,
			  json_t **root, mos_error_t *err);

/* What a failed jansson parse (json_loads and the like, jerr zeroed
 * before the call) means: MOS_ENOMEM when jansson ran out of memory,
 * MOS_ECONFIG for anything wrong with the text. */
int mos__json_error_code(const json_error_t *jerr);

/* Report code with a formatted text at the cursor's path.  Returns code.
 * For loader-specific checks ("unknown program", "duplicate name"). */
int mos__json_fail(mos_jload_t *ld, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Check that every key of obj (an object; the cursor names it) is in the
 * NULL-terminated list allowed.  Keys are checked in document order and the
 * first stranger is reported as "unknown key" at its full path.
 */
int mos__json_check_keys(mos_jload_t *ld, json_t *obj,
			 const char *const *allowed);

/* Fail with "missing required key" unless obj has key. */
int mos__json_require(mos_jload_t *ld, json_t *obj, const char *key);

/* *out = the object / array at key (borrowed); NULL if the key is absent.
 * "expected an object" / "expected an array" otherwise. */
int mos__json_get_object(mos_jload_t *ld, json_t *obj, const char *key,
			 json_t **out);
int mos__json_get_array(mos_jload_t *ld, json_t *obj, const char *key,
			json_t **out);

/* The object at key read by fn with the path moved onto it; an absent
 * key is 0 and fn is not called.  A value of another type fails as
 * mos__json_get_object does. */
typedef int (*mos_jsection_fn)(mos_jload_t *ld, json_t *obj, void *ctx);
int mos__json_section(mos_jload_t *ld, json_t *obj, const char *key,
		      mos_jsection_fn fn, void *ctx);

/* A JSON integer (not a real) >= 0: "expected an integer",
 * "must not be negative". */
int mos__json_get_u64(mos_jload_t *ld, json_t *obj, const char *key,
		      uint64_t *out);

/* A JSON integer in [min, max]: also "must be between MIN and MAX". */
int mos__json_get_u32(mos_jload_t *ld, json_t *obj, const char *key,
		      uint32_t min, uint32_t max, uint32_t *out);

/* true or false: "expected a boolean". */
int mos__json_get_bool(mos_jload_t *ld, json_t *obj, const char *key,
		       bool *out);

/* Any JSON number (integer or real) in [min, max]: "expected a number",
 * "must be between MIN and MAX".  Pass -HUGE_VAL, HUGE_VAL for no bound. */
int mos__json_get_double(mos_jload_t *ld, json_t *obj, const char *key,
			 double min, double max, double *out);

/* A string of at most size - 1 bytes, copied NUL-terminated into buf:
 * "expected a string", "must be at most N characters".  buf is untouched
 * on error.  An empty string is accepted; check it if it matters. */
int mos__json_get_string(mos_jload_t *ld, json_t *obj, const char *key,
			 char *buf, size_t size);

/* Milliseconds (integer or real) converted to nanoseconds: "expected a
 * number", "must not be negative", "is too large". */
int mos__json_get_duration_ms(mos_jload_t *ld, json_t *obj, const char *key,
			      uint64_t *out_ns);

/* A duration in ns: milliseconds (a number, as get_duration_ms) or a
 * string for mos_duration_parse ("100ms", "2.5s"); "max" or "infinity"
 * is MOS_TIME_NEVER when never_ok.  Absent: *out untouched. */
int mos__json_get_duration(mos_jload_t *ld, json_t *obj, const char *key,
			   bool never_ok, mos_time_t *out);

/* A size in bytes: an integer or a string for mos_size_parse ("64KiB",
 * "2MB"); "max" or "infinity" is UINT64_MAX (no limit).  Absent: *out
 * untouched. */
int mos__json_get_size(mos_jload_t *ld, json_t *obj, const char *key,
		       uint64_t *out);

/* A table of 64-bit time fields of a struct, each read from its key. */
typedef struct mos_json_time_field {
	const char *key;
	size_t offset; /* of a uint64_t in the struct */
} mos_json_time_field_t;

typedef int (*mos_jget_time_fn)(mos_jload_t *ld, json_t *obj, const char *key,
				uint64_t *out, void *ctx);

/* get(ld, obj, key, field, ctx) for each of the n fields, in base; stops
 * at the first error and returns it. */
int mos__json_get_time_fields(mos_jload_t *ld, json_t *obj,
			      const mos_json_time_field_t *fields, size_t n,
			      void *base, mos_jget_time_fn get, void *ctx);

/*
 * Array walking for the loaders (jsonload.c), under the getters' contract.
 *
 * fn reads one element v, the i-th, with the cursor already on "[i]".
 */
typedef int (*mos_jeach_fn)(mos_jload_t *ld, json_t *v, size_t i, void *ctx);

/*
 * Call fn on each element of arr in order, stopping at the first nonzero
 * return, which is returned.  arr is borrowed and the cursor must name it.
 * Fails before any call with "expected an array" when arr is not one and
 * "must have at most MAX entries" when it has more than max elements.
 */
int mos__json_each(mos_jload_t *ld, json_t *arr, size_t max,
		   mos_jeach_fn fn, void *ctx);

/*
 * The array at obj.key (absent: nothing, *count untouched): each element
 * through fn with the path extended, then *count = its length.
 */
int mos__json_get_each(mos_jload_t *ld, json_t *obj, const char *key,
		       size_t max, mos_jeach_fn fn, void *ctx, uint32_t *count);

#endif
