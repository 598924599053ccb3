/*
 * src/workbench/workload.c - loading scheduler workloads from JSON
 * (multios/sched.h).
 *
 * A workload file counts time in integer ticks; the loaded policy holds
 * nanoseconds (ticks x tick) so that it can be handed to the kernel as is.
 * The policy obeys the same rules as the config file's "scheduler" section:
 * both go through mos__sched_params_check() with their own key spelling.
 *
 * Times must stay below MOS_TIME_NEVER as nanoseconds, alone and added
 * up (mos__workload_check, shared with the workbench).  A policy without a
 * "quantum" gets 10 ticks.
 *
 * The loader builds a fresh workload and hands it over only when the whole
 * file is valid; on any error everything built so far is freed and *out is
 * not touched.  Its blocks come from the allocator it is given (kept in
 * w->alloc for mos_workload_free and the workbench).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/config_int.h"
#include "util/alloc.h"
#include "util/error_int.h"
#include "json/jsonload.h"
#include "multios/program.h"
#include "multios/sched.h"
#include "util/timemath.h"
#include "workload_int.h"

#define DEFAULT_TICKETS 100
#define DEFAULT_QUANTUM_TICKS 10
#define MAX_TICKETS 1000000

/* Source named in errors about NULL arguments (no file yet). */
#define LOAD_SOURCE "workload"

static const char *const top_keys[] = {
	"name", "tick", "policy", "context_switch_cost", "processes", NULL,
};
static const char *const policy_keys[] = {
	"name", "quantum", "preemptive", "aging", "queues", "quanta",
	"allotments", "boost", "io_bump", "stay", "legacy_boost", "seed",
	"draw", "draw_skip", "seed_words",
	"min_granularity", "target_latency", NULL,
};
static const char *const process_keys[] = {
	"name", "arrival", "cpu", "bursts", "period", "wcet", "deadline",
	"jobs", "priority", "tickets", NULL,
};
static const char *const burst_keys[] = {"cpu", "io", NULL};

/* The keys that make a process periodic. */
static const char *const periodic_keys[] = {
	"period", "wcet", "deadline", "jobs", NULL,
};

/* How a workload spells the checked policy fields (see config_int.h). */
static const mos_sched_keys_t workload_keys = {
	.policy = "policy.name",
	.time_slice = "policy.quantum",
	.tick = "tick",
	.queues = "policy.queues",
	.quanta = "policy.quanta",
	.allotments = "policy.allotments",
	.min_granularity = "policy.min_granularity",
	.target_latency = "policy.target_latency",
	.draw = "policy.draw",
	.draw_skip = "policy.draw_skip",
	.seed_words = "policy.seed_words",
};

/* ---- small getters ---- */

/* Fail at key under the cursor (at the cursor itself if key is NULL). */
static int fail_at(mos_jload_t *ld, const char *key, const char *text)
{
	int rc;

	if (key)
		mos__jpath_push_key(&ld->path, key);
	rc = mos__json_fail(ld, MOS_ECONFIG, "%s", text);
	if (key)
		mos__jpath_pop(&ld->path);
	return rc;
}

/* The value at key, or obj itself when key is NULL. */
static json_t *value_at(json_t *obj, const char *key)
{
	return key ? json_object_get(obj, key) : obj;
}

/* An integer >= 1; absent keeps *out. */
static int get_positive(mos_jload_t *ld, json_t *obj, const char *key,
			uint64_t *out)
{
	uint64_t n = 0;
	int rc;

	if (!value_at(obj, key))
		return 0;
	rc = mos__json_get_u64(ld, obj, key, &n);
	if (!rc && n == 0)
		rc = fail_at(ld, key, "must be at least 1");
	if (!rc)
		*out = n;
	return rc;
}

/* An integer count of ticks, stored as tick-long nanoseconds. */
static int get_ticks(mos_jload_t *ld, json_t *obj, const char *key,
		     mos_time_t tick, mos_time_t *ns)
{
	uint64_t n = 0;
	int rc;

	if (!value_at(obj, key))
		return 0;
	rc = mos__json_get_u64(ld, obj, key, &n);
	if (!rc && !mos__time_mul(n, tick, ns))
		rc = fail_at(ld, key, "is too large: times this tick it "
			     "passes the end of virtual time (2^64-1 ns)");
	return rc;
}

/* Any int32_t: priorities may be negative, which jsonload's getters
 * refuse. */
static int get_i32(mos_jload_t *ld, json_t *obj, const char *key,
		   int32_t *out)
{
	json_t *v = json_object_get(obj, key);
	json_int_t n;

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return fail_at(ld, key, "expected an integer");
	n = json_integer_value(v);
	if (n < INT32_MIN || n > INT32_MAX)
		return fail_at(ld, key,
			       "must be between -2147483648 and 2147483647");
	*out = (int32_t)n;
	return 0;
}

/* A string that must not be empty; absent keeps buf. */
static int get_name(mos_jload_t *ld, json_t *obj, const char *key,
		    char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v) && json_string_length(v) == 0)
		return fail_at(ld, key, "must not be empty");
	return mos__json_get_string(ld, obj, key, buf, size);
}

/* ---- top level ---- */

/* "x/y/rr-q4.json" -> "rr-q4": the name a workload without one gets. */
static void default_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".json") == 0)
		len -= 5;
	snprintf(buf, size, "%.*s", (int)len, base);
}

/* "1ms", "500us" (mos_duration_parse) or an integer of milliseconds. */
static int read_tick(mos_jload_t *ld, json_t *root, mos_time_t *tick)
{
	json_t *v = json_object_get(root, "tick");
	mos_time_t ns;

	if (!v)
		return 0;
	if (json_is_integer(v))
		return mos__json_get_duration_ms(ld, root, "tick", tick);
	if (!json_is_string(v))
		return fail_at(ld, "tick",
			       "expected a duration string (\"1ms\") or an "
			       "integer of milliseconds");
	if (mos_duration_parse(json_string_value(v), &ns) != 0)
		return fail_at(ld, "tick",
			       "expected a duration like \"1ms\", \"500us\" "
			       "or \"2.5ms\"");
	*tick = ns;
	return 0;
}

/* ---- policy ---- */

/* Policy durations: integer ticks in the file, nanoseconds in the struct. */
static const mos_json_time_field_t durations[] = {
	{"quantum", offsetof(mos_sched_params_t, time_slice)},
	{"aging", offsetof(mos_sched_params_t, aging)},
	{"boost", offsetof(mos_sched_params_t, boost)},
	{"min_granularity", offsetof(mos_sched_params_t, min_granularity)},
	{"target_latency", offsetof(mos_sched_params_t, target_latency)},
};

static int get_ticks_of(mos_jload_t *ld, json_t *o, const char *key,
			uint64_t *out, void *tick)
{
	return get_ticks(ld, o, key, *(const mos_time_t *)tick, out);
}

static int read_durations(mos_jload_t *ld, json_t *o, mos_sched_params_t *s)
{
	return mos__json_get_time_fields(ld, o, durations,
					 sizeof(durations) / sizeof(*durations),
					 s, get_ticks_of, &s->tick);
}

static int quantum(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sched_params_t *s = ctx;

	return get_ticks(ld, v, NULL, s->tick, &s->quanta[i]);
}

/* The policy object's keys; s->tick is already the workload's tick. */
static int read_policy_keys(mos_jload_t *ld, json_t *o, mos_sched_params_t *s)
{
	int rc = mos__json_check_keys(ld, o, policy_keys);

	if (!rc)
		rc = mos__json_require(ld, o, "name");
	if (!rc)
		rc = mos__json_get_string(ld, o, "name", s->policy,
					  sizeof(s->policy));
	if (!rc)
		rc = read_durations(ld, o, s);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "preemptive", &s->preemptive);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "io_bump", &s->io_bump);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "stay", &s->stay);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "legacy_boost",
					&s->legacy_boost);
	if (!rc)
		rc = mos__json_get_u32(ld, o, "queues", 0, UINT32_MAX,
				       &s->queues);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "seed", &s->seed);
	if (!rc)
		rc = mos__sched_read_lottery(ld, o, s);
	if (!rc)
		rc = mos__json_get_each(ld, o, "quanta", MOS_MLFQ_MAX_QUEUES,
					quantum, s, &s->nquanta);
	if (!rc)
		rc = mos__json_get_each(ld, o, "allotments", MOS_MLFQ_MAX_QUEUES,
					mos__sched_allotment, s,
					&s->nallotments);
	return rc;
}

/* "policy" and "context_switch_cost", then the shared rules. */
static int read_policy(mos_jload_t *ld, json_t *root, mos_workload_t *w)
{
	mos_sched_params_t *s = &w->policy;
	json_t *o;
	int rc = mos__json_require(ld, root, "policy");

	mos_sched_params_default(s);
	s->tick = w->tick;
	/* The default quantum is 10 ticks, whatever the tick. */
	if (!mos__time_mul(DEFAULT_QUANTUM_TICKS, w->tick, &s->time_slice))
		return fail_at(ld, "tick", "is too large for the default "
			       "quantum of 10 ticks");
	if (!rc)
		rc = mos__json_get_object(ld, root, "policy", &o);
	if (!rc) {
		mos__jpath_push_key(&ld->path, "policy");
		rc = read_policy_keys(ld, o, s);
		mos__jpath_pop(&ld->path);
	}
	if (!rc)
		rc = get_ticks(ld, root, "context_switch_cost", s->tick,
			       &s->switch_cost);
	if (!rc)
		rc = mos__sched_params_check(s, &workload_keys, ld->source,
					     ld->err);
	return rc;
}

/* ---- processes ---- */

/* Give p its bursts array of n entries.  p owns it from here on, so a
 * later failure frees it with the workload. */
static int alloc_bursts(mos_jload_t *ld, const mos_allocator_t *a,
			mos_wl_process_t *p, size_t n)
{
	p->bursts = mos__calloc(a, n, sizeof(*p->bursts));
	if (!p->bursts)
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	p->nbursts = n;
	return 0;
}

static int read_cpu(mos_jload_t *ld, const mos_allocator_t *a, json_t *o,
		    mos_wl_process_t *p)
{
	uint64_t ticks = 0;
	int rc = get_positive(ld, o, "cpu", &ticks);

	if (!rc)
		rc = alloc_bursts(ld, a, p, 1);
	if (!rc)
		p->bursts[0] = (mos_wl_burst_t){MOS_WL_CPU, ticks};
	return rc;
}

/* One {"cpu": n} or {"io": n}; even indexes are CPU, odd ones I/O. */
static int read_burst(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_wl_process_t *p = ctx;
	bool cpu = json_object_get(v, "cpu") != NULL;
	bool io = json_object_get(v, "io") != NULL;
	int rc = mos__json_check_keys(ld, v, burst_keys);

	if (rc)
		return rc;
	if (cpu == io)
		return fail_at(ld, NULL, "give exactly one of cpu or io");
	if (i == 0 && io)
		return fail_at(ld, NULL, "the first burst must be cpu");
	if (cpu != (i % 2 == 0))
		return fail_at(ld, NULL, cpu ? "bursts must alternate: "
					       "expected io after cpu"
					     : "bursts must alternate: "
					       "expected cpu after io");
	p->bursts[i].kind = cpu ? MOS_WL_CPU : MOS_WL_IO;
	return get_positive(ld, v, cpu ? "cpu" : "io", &p->bursts[i].ticks);
}

static int read_bursts(mos_jload_t *ld, const mos_allocator_t *alloc,
		       json_t *o, mos_wl_process_t *p)
{
	json_t *a;
	int rc = mos__json_get_array(ld, o, "bursts", &a);

	if (rc)
		return rc;
	mos__jpath_push_key(&ld->path, "bursts");
	if (json_array_size(a) == 0)
		rc = mos__json_fail(ld, MOS_ECONFIG, "must not be empty");
	if (!rc)
		rc = alloc_bursts(ld, alloc, p, json_array_size(a));
	if (!rc)
		rc = mos__json_each(ld, a, SIZE_MAX, read_burst, p);
	mos__jpath_pop(&ld->path);
	return rc;
}

/* period, wcet and jobs are required; deadline defaults to the period.
 * wcet may exceed the period: overload is a valid experiment. */
static int read_periodic(mos_jload_t *ld, json_t *o, mos_wl_process_t *p)
{
	int rc = mos__json_require(ld, o, "period");

	if (!rc)
		rc = mos__json_require(ld, o, "wcet");
	if (!rc)
		rc = mos__json_require(ld, o, "jobs");
	if (!rc)
		rc = get_positive(ld, o, "period", &p->period);
	if (!rc)
		rc = get_positive(ld, o, "wcet", &p->wcet);
	p->deadline = p->period;
	if (!rc)
		rc = get_positive(ld, o, "deadline", &p->deadline);
	if (!rc)
		rc = get_positive(ld, o, "jobs", &p->jobs);
	return rc;
}

static bool has_any(json_t *o, const char *const *keys)
{
	for (; *keys; keys++)
		if (json_object_get(o, *keys))
			return true;
	return false;
}

/* Exactly one kind of work: cpu, bursts or periodic fields. */
static int read_work(mos_jload_t *ld, const mos_allocator_t *a, json_t *o,
		     mos_wl_process_t *p)
{
	bool cpu = json_object_get(o, "cpu") != NULL;
	bool bursts = json_object_get(o, "bursts") != NULL;
	bool periodic = has_any(o, periodic_keys);

	if (cpu + bursts + periodic != 1)
		return fail_at(ld, NULL, "give one of cpu, bursts or period");
	if (cpu)
		return read_cpu(ld, a, o, p);
	if (bursts)
		return read_bursts(ld, a, o, p);
	return read_periodic(ld, o, p);
}

/* While reading the processes: the workload, and the names seen so far
 * (a jansson object used as a set, name -> index: looked up, never
 * iterated, so O(1) a name and no order leaks out). */
typedef struct procs_ctx {
	mos_workload_t *w;
	json_t *seen;
	const mos_allocator_t *alloc; /* w->alloc resolved */
} procs_ctx_t;

/* Names are unique: reports use them to tell processes apart. */
static int read_proc_name(mos_jload_t *ld, json_t *o, procs_ctx_t *c, size_t i)
{
	mos_wl_process_t *p = &c->w->procs[i];
	int rc = mos__json_require(ld, o, "name");
	json_t *prev;

	if (!rc)
		rc = get_name(ld, o, "name", p->name, sizeof(p->name));
	if (rc)
		return rc;
	if ((prev = json_object_get(c->seen, p->name))) {
		char text[MOS_ERROR_TEXT_LEN];

		snprintf(text, sizeof(text),
			 "duplicate name '%s' (also processes[%" JSON_INTEGER_FORMAT
			 "])", p->name, json_integer_value(prev));
		return fail_at(ld, "name", text);
	}
	if (json_object_set_new(c->seen, p->name, json_integer((json_int_t)i)))
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	return 0;
}

static int read_process(mos_jload_t *ld, json_t *o, size_t i, void *ctx)
{
	procs_ctx_t *c = ctx;
	mos_wl_process_t *p = &c->w->procs[i];
	int rc = mos__json_check_keys(ld, o, process_keys);

	p->tickets = DEFAULT_TICKETS;
	if (!rc)
		rc = read_proc_name(ld, o, c, i);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "arrival", &p->arrival);
	if (!rc)
		rc = get_i32(ld, o, "priority", &p->priority);
	if (!rc)
		rc = mos__json_get_u32(ld, o, "tickets", 1, MAX_TICKETS,
				       &p->tickets);
	if (!rc)
		rc = read_work(ld, c->alloc, o, p);
	return rc;
}

static int read_processes(mos_jload_t *ld, json_t *root, mos_workload_t *w)
{
	mos_allocator_t alloc = mos__alloc_resolve(&w->alloc);
	json_t *a;
	size_t n;
	int rc = mos__json_require(ld, root, "processes");

	if (!rc)
		rc = mos__json_get_array(ld, root, "processes", &a);
	if (rc)
		return rc;
	n = json_array_size(a);
	mos__jpath_push_key(&ld->path, "processes");
	if (n == 0)
		rc = mos__json_fail(ld, MOS_ECONFIG, "must not be empty");
	/* calloc: every process starts zeroed, so a half-read workload
	 * frees cleanly. */
	if (!rc && !(w->procs = mos__calloc(&alloc, n, sizeof(*w->procs))))
		rc = mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	if (!rc) {
		procs_ctx_t c = {w, json_object(), &alloc};

		w->nprocs = n;
		rc = c.seen ? mos__json_each(ld, a, SIZE_MAX, read_process, &c)
			    : mos__json_fail(ld, MOS_ENOMEM, "out of memory");
		json_decref(c.seen);
	}
	mos__jpath_pop(&ld->path);
	return rc;
}

/* ---- entry points ---- */

static int read_workload(mos_jload_t *ld, json_t *root, mos_workload_t *w)
{
	int rc = mos__json_check_keys(ld, root, top_keys);

	if (!rc)
		rc = get_name(ld, root, "name", w->name, sizeof(w->name));
	if (!rc)
		rc = read_tick(ld, root, &w->tick);
	if (!rc)
		rc = read_policy(ld, root, w);
	if (!rc)
		rc = read_processes(ld, root, w);
	if (!rc)
		rc = mos__workload_check(w, ld->err);
	return rc;
}

/* A zeroed workload with the defaults that do not come from the file. */
static mos_workload_t *workload_new(const char *path,
				    const mos_allocator_t *alloc)
{
	mos_allocator_t a = mos__alloc_resolve(alloc);
	mos_workload_t *w = mos__calloc(&a, 1, sizeof(*w));

	if (!w)
		return NULL;
	if (alloc)
		w->alloc = *alloc;
	/* A path past the field is cut: source only labels reports. */
	snprintf(w->source, sizeof(w->source), "%s", path);
	default_name(path, w->name, sizeof(w->name));
	w->tick = MOS_MSEC;
	return w;
}

int mos_workload_load_json(const char *path, mos_workload_t **out,
			   mos_error_t *err)
{
	return mos_workload_load_json_alloc(path, NULL, out, err);
}

int mos_workload_load_json_alloc(const char *path,
				 const mos_allocator_t *alloc,
				 mos_workload_t **out, mos_error_t *err)
{
	mos_workload_t *w;
	mos_jload_t ld;
	json_t *root;
	int rc;

	mos__error_clear(err);
	if (!path || !out)
		return mos__error_path(err, MOS_EINVAL, LOAD_SOURCE, "",
				       "path and out must not be NULL");
	if (alloc && !mos__alloc_valid(alloc))
		return mos__error_path(err, MOS_EINVAL, LOAD_SOURCE, "alloc",
				       "malloc, realloc and free must be all "
				       "set or all NULL");
	rc = mos__json_load_file(path, &root, err);
	if (rc)
		return rc;
	w = workload_new(path, alloc);
	if (!w) {
		json_decref(root);
		return mos__error_path(err, MOS_ENOMEM, path, "",
				       "out of memory");
	}
	mos__jload_init(&ld, path, err);
	rc = read_workload(&ld, root, w);
	json_decref(root);
	if (rc) {
		mos_workload_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void mos_workload_free(mos_workload_t *w)
{
	mos_allocator_t a;

	if (!w)
		return;
	a = mos__alloc_resolve(&w->alloc);
	for (size_t i = 0; w->procs && i < w->nprocs; i++)
		mos__free(&a, w->procs[i].bursts);
	mos__free(&a, w->procs);
	mos__free(&a, w);
}
