/*
 * src/report/report_check.c - a run's JSON document checked before
 * anything is drawn: every key the writers read, its type, its range,
 * the arrays' sizes.  Errors name the JSON path ("series.time_ns[3]"),
 * through the shared reader's cursor.
 */
#include <string.h>

#include "json/jsonload.h"
#include "report_int.h"

static const char *const series_keys[MOS_RPT_NSERIES + 1] = {
	"memory_bytes", "cpu_permille", "runnable", "processes",
	"requests", "requests_failed", "latency_p50_ns", "latency_max_ns",
	NULL,
};

const char *const mos__rpt_stats_keys[] = {
	"processes_created", "processes_exited", "dispatches",
	"context_switches", "preemptions", "syscalls", "busy_ns", "idle_ns",
	"limit_violations", "memory_peak", "signals_sent",
	"signals_delivered", "permission_denials", NULL,
};

const char *mos__rpt_series_name(size_t i)
{
	return i < MOS_RPT_NSERIES ? series_keys[i] : NULL;
}

uint64_t mos__rpt_u(json_t *o, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(o, key));
}

int64_t mos__rpt_i(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

const char *mos__rpt_s(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

uint64_t mos__rpt_at(json_t *arr, size_t i)
{
	return (uint64_t)json_integer_value(json_array_get(arr, i));
}

/* What a member must be. */
enum { F_STR, F_UINT, F_INT, F_UINT_NULL };

typedef struct field {
	const char *key;
	int type;
} field_t;

/* v (the cursor names it) is of type t. */
static int check_value(mos_jload_t *ld, json_t *v, int t)
{
	switch (t) {
	case F_STR:
		if (!json_is_string(v))
			return mos__json_fail(ld, MOS_ECONFIG,
					      "expected a string");
		return 0;
	case F_UINT_NULL:
		if (json_is_null(v))
			return 0;
		/* fall through */
	case F_UINT:
	case F_INT:
		if (!json_is_integer(v))
			return mos__json_fail(ld, MOS_ECONFIG, "%s",
					      t == F_UINT_NULL
						      ? "expected an integer or null"
						      : "expected an integer");
		if (t != F_INT && json_integer_value(v) < 0)
			return mos__json_fail(ld, MOS_ECONFIG,
					      "must not be negative");
		return 0;
	}
	return 0;
}

/* Each of fields in obj, required. */
static int check_fields(mos_jload_t *ld, json_t *obj, const field_t *f,
			size_t n)
{
	int rc = 0;

	if (!json_is_object(obj))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *v = json_object_get(obj, f[i].key);

		if (!v)
			return mos__json_fail(ld, MOS_ECONFIG,
					      "missing required key \"%s\"",
					      f[i].key);
		mos__jpath_push_key(&ld->path, f[i].key);
		rc = check_value(ld, v, f[i].type);
		mos__jpath_pop(&ld->path);
	}
	return rc;
}

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const field_t top_fields[] = {
	{"scenario", F_STR}, {"seed", F_UINT}, {"end_ns", F_UINT},
	{"trace_hash", F_STR}, {"actions_failed", F_UINT},
};
static const field_t svc_fields[] = {
	{"name", F_STR}, {"state", F_STR}, {"reason", F_STR},
	{"restarts", F_UINT}, {"instances", F_UINT}, {"live", F_UINT},
	{"ready", F_UINT}, {"last_exit_status", F_INT},
	{"health_checks", F_UINT}, {"health_failures", F_UINT},
	{"calls", F_UINT}, {"calls_failed", F_UINT},
};
static const field_t lat_fields[] = {
	{"p50", F_UINT}, {"p90", F_UINT}, {"p99", F_UINT}, {"max", F_UINT},
};
static const field_t proc_fields[] = {
	{"pid", F_INT}, {"name", F_STR}, {"state", F_STR},
	{"exit_status", F_INT}, {"exit", F_STR}, {"cpu_ns", F_UINT},
	{"start_ns", F_UINT}, {"end_ns", F_UINT_NULL},
};
static const field_t event_fields[] = {
	{"time_ns", F_UINT}, {"subject", F_STR}, {"event", F_STR},
	{"reason", F_STR},
};

static int each_service(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	int rc = check_fields(ld, v, svc_fields, NF(svc_fields));

	(void)i;
	(void)ctx;
	if (rc)
		return rc;
	if (!json_object_get(v, "latency_ns"))
		return mos__json_fail(ld, MOS_ECONFIG,
				      "missing required key \"latency_ns\"");
	mos__jpath_push_key(&ld->path, "latency_ns");
	rc = check_fields(ld, json_object_get(v, "latency_ns"), lat_fields,
			  NF(lat_fields));
	mos__jpath_pop(&ld->path);
	return rc;
}

static int each_proc(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	int rc = check_fields(ld, v, proc_fields, NF(proc_fields));
	json_t *end;

	(void)i;
	(void)ctx;
	if (rc)
		return rc;
	end = json_object_get(v, "end_ns");
	if (!json_is_null(end) &&
	    json_integer_value(end) < mos__rpt_i(v, "start_ns")) {
		mos__jpath_push_key(&ld->path, "end_ns");
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must not be before start_ns");
		mos__jpath_pop(&ld->path);
	}
	return rc;
}

static int each_event(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	(void)i;
	(void)ctx;
	return check_fields(ld, v, event_fields, NF(event_fields));
}

/* An array (the cursor names it) of at most max objects, each checked by
 * fn. */
static int check_array(mos_jload_t *ld, json_t *doc, const char *key,
		       size_t max, mos_jeach_fn fn, json_t **out)
{
	json_t *a = json_object_get(doc, key);
	int rc;

	mos__jpath_push_key(&ld->path, key);
	if (!a)
		rc = mos__json_fail(ld, MOS_ECONFIG, "missing required key");
	else if (!json_is_array(a))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected an array");
	else
		rc = mos__json_each(ld, a, max, fn, NULL);
	mos__jpath_pop(&ld->path);
	*out = a;
	return rc;
}

/* series.KEY: an array of n integers >= 0 (n: -1 when the first). */
static int check_column(mos_jload_t *ld, json_t *s, const char *key,
			size_t *n, bool ordered, json_t **out)
{
	json_t *a = json_object_get(s, key);
	uint64_t prev = 0;
	int rc = 0;

	mos__jpath_push_key(&ld->path, key);
	if (!a)
		rc = mos__json_fail(ld, MOS_ECONFIG, "missing required key");
	else if (!json_is_array(a))
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "expected an array of integers");
	else if (json_array_size(a) > RPT_MAX_SAMPLES)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must have at most %d entries",
				    RPT_MAX_SAMPLES);
	else if (*n != (size_t)-1 && json_array_size(a) != *n)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "has %zu entries, series.time_ns has %zu",
				    json_array_size(a), *n);
	for (size_t i = 0; !rc && i < json_array_size(a); i++) {
		json_t *v = json_array_get(a, i);

		mos__jpath_push_index(&ld->path, i);
		rc = check_value(ld, v, F_UINT);
		if (!rc && ordered && (uint64_t)json_integer_value(v) < prev)
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "must not be less than the "
					    "time before it");
		if (!rc)
			prev = (uint64_t)json_integer_value(v);
		mos__jpath_pop(&ld->path);
	}
	mos__jpath_pop(&ld->path);
	if (!rc)
		*n = json_array_size(a);
	*out = a;
	return rc;
}

static int check_series(mos_jload_t *ld, json_t *s, rpt_t *r)
{
	size_t n = (size_t)-1;
	json_t *iv = json_object_get(s, "interval_ns");
	int rc;

	if (!json_is_object(s))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	mos__jpath_push_key(&ld->path, "interval_ns");
	rc = iv ? check_value(ld, iv, F_UINT)
		: mos__json_fail(ld, MOS_ECONFIG, "missing required key");
	mos__jpath_pop(&ld->path);
	if (rc)
		return rc;
	r->interval = (uint64_t)json_integer_value(iv);
	rc = check_column(ld, s, "time_ns", &n, true, &r->time);
	for (size_t i = 0; !rc && i < MOS_RPT_NSERIES; i++)
		rc = check_column(ld, s, series_keys[i], &n, false,
				  &r->col[i]);
	r->n = n;
	return rc;
}

static int check_stats(mos_jload_t *ld, json_t *st)
{
	int rc = 0;

	if (!json_is_object(st))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	for (size_t i = 0; !rc && mos__rpt_stats_keys[i]; i++) {
		json_t *v = json_object_get(st, mos__rpt_stats_keys[i]);

		if (!v)
			return mos__json_fail(ld, MOS_ECONFIG,
					      "missing required key \"%s\"",
					      mos__rpt_stats_keys[i]);
		mos__jpath_push_key(&ld->path, mos__rpt_stats_keys[i]);
		rc = check_value(ld, v, F_UINT);
		mos__jpath_pop(&ld->path);
	}
	return rc;
}

/* An object member key, required, checked by fn with the cursor on it. */
static int check_member(mos_jload_t *ld, json_t *doc, const char *key,
			int (*fn)(mos_jload_t *, json_t *, rpt_t *),
			rpt_t *r)
{
	json_t *v = json_object_get(doc, key);
	int rc;

	mos__jpath_push_key(&ld->path, key);
	rc = v ? fn(ld, v, r)
	       : mos__json_fail(ld, MOS_ECONFIG, "missing required key");
	mos__jpath_pop(&ld->path);
	return rc;
}

static int stats_fn(mos_jload_t *ld, json_t *v, rpt_t *r)
{
	r->stats = v;
	return check_stats(ld, v);
}

int mos__rpt_check(json_t *doc, const char *source, rpt_t *r,
		   mos_error_t *err)
{
	mos_jload_t ld;
	int rc;

	memset(r, 0, sizeof(*r));
	mos__jload_init(&ld, source, err);
	if (!json_is_object(doc))
		return mos__json_fail(&ld, MOS_ECONFIG,
				      "expected an object (the JSON of "
				      "'multios run SCENARIO.json --json')");
	rc = check_fields(&ld, doc, top_fields, NF(top_fields));
	if (!rc)
		rc = check_array(&ld, doc, "services", RPT_MAX_SERVICES,
				 each_service, &r->services);
	if (!rc)
		rc = check_array(&ld, doc, "processes", RPT_MAX_PROCS,
				 each_proc, &r->procs);
	if (!rc)
		rc = check_member(&ld, doc, "stats", stats_fn, r);
	if (!rc)
		rc = check_member(&ld, doc, "series", check_series, r);
	if (!rc && json_object_get(doc, "timeline"))
		rc = check_array(&ld, doc, "timeline", RPT_MAX_EVENTS,
				 each_event, &r->timeline);
	if (rc)
		return rc;
	r->name = mos__rpt_s(doc, "scenario");
	r->hash = mos__rpt_s(doc, "trace_hash");
	r->seed = mos__rpt_u(doc, "seed");
	r->end = mos__rpt_u(doc, "end_ns");
	return 0;
}
