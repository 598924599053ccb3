/*
 * src/json/service_json.c - one service descriptor from a JSON object:
 * every key of docs/SERVICES.md's "JSON format", checked, with its JSON
 * path in the error.  service_load.c reads the files and registers the
 * batch (mos_service_load_json).
 *
 * A load has two phases, so that it is atomic.  First every file is
 * parsed into descriptors (mos_service_descriptor_t), none of them
 * registered: a syntax error, an unknown key or a bad value stops the load
 * there, with the file and its line/column or JSON path.  Then the whole
 * set is handed to mos_service_register_batch in one call, which checks
 * what only the whole set can tell (unknown dependencies, cycles, names
 * taken, version constraints) and registers all or nothing.  Its error
 * names "services[i]" of the batch: it is rewritten here to the file of
 * descriptor i and that descriptor's own JSON path there, so a user reads
 * "db.json: dependencies[0].version: ..." whatever failed.
 *
 * The descriptors borrow their strings from the parsed JSON trees, which
 * stay alive until the batch has copied them; what cannot be borrowed (the
 * NULL-terminated arrays, "KEY=VALUE" built from an environment object)
 * goes into a list of blocks freed at the end.  Only the public API is
 * used: the loader is a client of the service manager like any other.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "service_json.h"
#include "multios/program.h"
#include "multios/service.h"
#include "util/error_int.h"

void *mos__svc_json_take(load_t *l, size_t size)
{
	block_t *b = calloc(1, sizeof(*b) + (size ? size : 1));

	if (!b)
		return NULL;
	b->next = l->blocks;
	l->blocks = b;
	return b->data;
}

static int nomem(mos_jload_t *ld)
{
	return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
}

/* Fail at key under the cursor. */
static int fail_key(mos_jload_t *ld, const char *key, int code,
		    const char *text)
{
	int rc;

	mos__jpath_push_key(&ld->path, key);
	rc = mos__json_fail(ld, code, "%s", text);
	mos__jpath_pop(&ld->path);
	return rc;
}

/* ---- small getters ------------------------------------------------------ */

/* A string borrowed from the tree (absent: *out untouched); an empty one is
 * refused when !empty_ok. */
static int get_str(mos_jload_t *ld, json_t *o, const char *key,
		   bool empty_ok, const char **out)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail_key(ld, key, MOS_ECONFIG, "expected a string");
	if (!empty_ok && json_string_length(v) == 0)
		return fail_key(ld, key, MOS_ECONFIG, "must not be empty");
	*out = json_string_value(v);
	return 0;
}

/* A name out of names[0 .. n-1] (case-insensitive), its index in *out. */
static int get_enum(mos_jload_t *ld, json_t *o, const char *key,
		    const char *const *names, size_t n, int *out)
{
	const char *s = NULL;
	char list[160] = "";
	size_t len = 0;
	int rc = get_str(ld, o, key, true, &s);

	if (rc || !s)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? ", " : "", names[i]);
	mos__jpath_push_key(&ld->path, key);
	rc = mos__json_fail(ld, MOS_ECONFIG, "unknown value \"%.64s\" (one of %s)",
			    s, list);
	mos__jpath_pop(&ld->path);
	return rc;
}

/* A duration the descriptor holds in whole milliseconds (uint32_t). */
static int get_ms32(mos_jload_t *ld, json_t *o, const char *key,
		    uint32_t *out)
{
	mos_time_t ns = 0;
	int rc;

	if (!json_object_get(o, key))
		return 0;
	if ((rc = mos__json_get_duration(ld, o, key, false, &ns)))
		return rc;
	if (ns % MOS_MSEC)
		return fail_key(ld, key, MOS_ECONFIG,
				"must be a whole number of milliseconds");
	if (ns / MOS_MSEC > UINT32_MAX)
		return fail_key(ld, key, MOS_ECONFIG,
				"must be at most 4294967295 ms");
	*out = (uint32_t)(ns / MOS_MSEC);
	return 0;
}

/* A count where "max" / "infinity" is MOS_RLIM32_INFINITY. */
static int get_count32(mos_jload_t *ld, json_t *o, const char *key,
		       uint32_t *out)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v) && (!strcmp(json_string_value(v), "max") ||
				  !strcmp(json_string_value(v), "infinity"))) {
		*out = MOS_RLIM32_INFINITY;
		return 0;
	}
	return mos__json_get_u32(ld, o, key, 0, UINT32_MAX, out);
}

/* An array of strings as a NULL-terminated vector (absent: *out
 * untouched).  check (may be NULL) vets each string. */
int mos__svc_json_get_strv(mos_jload_t *ld, load_t *l, json_t *o,
			   const char *key, size_t max, mos_str_check_fn check,
			   const char *const **out)
{
	json_t *a = NULL;
	const char **v;
	size_t n;
	int rc = mos__json_get_array(ld, o, key, &a);

	if (rc || !a)
		return rc;
	n = json_array_size(a);
	mos__jpath_push_key(&ld->path, key);
	if (n > max) {
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must have at most %zu entries", max);
		goto out;
	}
	if (!(v = mos__svc_json_take(l, (n + 1) * sizeof(*v)))) {
		rc = nomem(ld);
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *e = json_array_get(a, i);
		const char *why;

		mos__jpath_push_index(&ld->path, i);
		if (!json_is_string(e))
			rc = mos__json_fail(ld, MOS_ECONFIG, "expected a string");
		else if (check && (why = check(json_string_value(e))))
			rc = mos__json_fail(ld, MOS_ECONFIG, "%s", why);
		else
			v[i] = json_string_value(e);
		mos__jpath_pop(&ld->path);
	}
	if (!rc)
		*out = v;
out:
	mos__jpath_pop(&ld->path);
	return rc;
}

/* ---- the fields --------------------------------------------------------- */

static const char *const service_keys[] = {
	"name", "type", "version", "command", "working_directory",
	"environment", "uid", "gid", "capabilities", "isolation", "priority",
	"class", "instances", "dependencies", "restart", "limits",
	"group_limits", "member_of", "supervisor", "start_timeout",
	"stop_timeout", "readiness", "tags", "balance", "weights", "vnodes",
	"liveness_probe", "readiness_probe", "importance", "retry", "allow",
	"encrypted", "encryption_cost", "backends", "request_timeout", NULL,
};
static const char *const probe_keys[] = {
	"kind", "command", "initial_delay", "interval", "timeout",
	"failure_threshold", "success_threshold", NULL,
};
static const char *const allow_keys[] = {"uids", "gids", "services", NULL};
static const char *const dep_keys[] = {
	"name", "required", "timeout", "version", NULL,
};
static const char *const restart_keys[] = {
	"policy", "delay", "multiplier", "max_delay", "reset_after",
	"max_restarts", "window", "cooldown", NULL,
};
static const char *const limits_keys[] = {
	"max_memory", "max_stack_size", "max_file_descriptors",
	"max_processes", "max_cpu_time", "max_creation_time", "max_io_read",
	"max_io_write", NULL,
};
static const char *const group_limits_keys[] = {
	"memory_max", "cpu_quota", "cpu_period", "io_read_bps",
	"io_write_bps", "pids_max", "cpu_weight", NULL,
};
static const char *const supervisor_keys[] = {
	"strategy", "intensity", "period", NULL,
};

/* The capability names of multios/cred.h, bit i = 1 << i. */
static const char *const cap_names[] = {
	"KILL", "NICE", "ADMIN", "RESOURCE", "SETUID", "SETGID",
};
#define NCAPS (sizeof(cap_names) / sizeof(*cap_names))

static const char *env_check(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq && eq != s ? NULL : "expected \"KEY=VALUE\"";
}

/* {"KEY": "VALUE", ...} or ["KEY=VALUE", ...]. */
static int read_environment(mos_jload_t *ld, load_t *l, json_t *o,
			    mos_service_descriptor_t *d)
{
	json_t *v = json_object_get(o, "environment"), *val;
	const char **env;
	const char *key;
	size_t i = 0;
	int rc = 0;

	if (!v || json_is_array(v))
		return mos__svc_json_get_strv(ld, l, o, "environment", MAX_ENV,
					      env_check, &d->environment);
	if (!json_is_object(v))
		return fail_key(ld, "environment", MOS_ECONFIG,
				"expected an object of strings or an array of "
				"\"KEY=VALUE\"");
	if (json_object_size(v) > MAX_ENV)
		return fail_key(ld, "environment", MOS_ECONFIG,
				"has too many entries");
	if (!(env = mos__svc_json_take(l, (json_object_size(v) + 1) * sizeof(*env))))
		return nomem(ld);
	mos__jpath_push_key(&ld->path, "environment");
	json_object_foreach (v, key, val) {
		size_t kl = strlen(key), vl;
		char *kv;

		mos__jpath_push_key(&ld->path, key);
		if (kl == 0 || strchr(key, '='))
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "a variable name is not empty and "
					    "has no '='");
		else if (!json_is_string(val))
			rc = mos__json_fail(ld, MOS_ECONFIG, "expected a string");
		else if (!(kv = mos__svc_json_take(l, kl + (vl = json_string_length(val)) + 2)))
			rc = nomem(ld);
		else {
			memcpy(kv, key, kl);
			kv[kl] = '=';
			memcpy(kv + kl + 1, json_string_value(val), vl + 1);
			env[i++] = kv;
		}
		mos__jpath_pop(&ld->path);
		if (rc)
			break;
	}
	mos__jpath_pop(&ld->path);
	if (!rc)
		d->environment = env;
	return rc;
}

/* ["KILL", "NICE"] (names case-insensitive) or a number, the bit set. */
static int read_caps(mos_jload_t *ld, json_t *o, uint32_t *out)
{
	json_t *v = json_object_get(o, "capabilities"), *e;
	uint32_t caps = 0;
	size_t i;
	int rc = 0;

	if (!v)
		return 0;
	if (json_is_integer(v))
		return mos__json_get_u32(ld, o, "capabilities", 0, MOS_CAP_ALL,
					 out);
	if (!json_is_array(v))
		return fail_key(ld, "capabilities", MOS_ECONFIG,
				"expected an array of capability names or a "
				"number");
	mos__jpath_push_key(&ld->path, "capabilities");
	json_array_foreach (v, i, e) {
		size_t c = NCAPS;

		mos__jpath_push_index(&ld->path, i);
		if (json_is_string(e))
			for (c = 0; c < NCAPS; c++)
				if (!strcasecmp(json_string_value(e), cap_names[c]))
					break;
		if (c == NCAPS)
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "expected a capability: KILL, NICE, "
					    "ADMIN, RESOURCE, SETUID or SETGID");
		else
			caps |= 1u << c;
		mos__jpath_pop(&ld->path);
		if (rc)
			break;
	}
	mos__jpath_pop(&ld->path);
	if (!rc)
		*out = caps;
	return rc;
}

/* A name parsed by one of the library's parsers (isolation, priority,
 * class). */
typedef int (*parse_fn)(const char *s, int *out);

static int parse_iso(const char *s, int *out)
{
	mos_isolation_t v = (mos_isolation_t)0; /* LTO cannot see the parsers set it */
	int rc = mos_isolation_parse(s, &v);

	*out = (int)v;
	return rc;
}

static int parse_prio(const char *s, int *out)
{
	mos_priority_t v = (mos_priority_t)0; /* LTO cannot see the parsers set it */
	int rc = mos_priority_parse(s, &v);

	*out = (int)v;
	return rc;
}

static int parse_class(const char *s, int *out)
{
	mos_prio_class_t v = (mos_prio_class_t)0; /* LTO cannot see the parsers set it */
	int rc = mos_class_parse(s, &v);

	*out = (int)v;
	return rc;
}

static int get_parsed(mos_jload_t *ld, json_t *o, const char *key,
		      parse_fn parse, const char *expected, int *out)
{
	const char *s = NULL;
	int rc = get_str(ld, o, key, true, &s), v = 0;

	if (rc || !s)
		return rc;
	if (parse(s, &v) != 0)
		return fail_key(ld, key, MOS_ECONFIG, expected);
	*out = v;
	return 0;
}

int mos__svc_json_priority(mos_jload_t *ld, json_t *o, int *out)
{
	return get_parsed(ld, o, "priority", parse_prio,
			  "expected a priority: Idle, Low, Normal, High, "
			  "RealTime or Critical", out);
}

int mos__svc_json_class(mos_jload_t *ld, json_t *o, int *out)
{
	return get_parsed(ld, o, "class", parse_class,
			  "expected a class: System, User, Service, "
			  "Background or Interactive", out);
}

typedef struct deps_ctx {
	load_t *l;
	mos_service_dep_t *deps;
} deps_ctx_t;

/* {"name", "required", "timeout", "version"}, or a bare name. */
static int read_dep(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_service_dep_t *d = &((deps_ctx_t *)ctx)->deps[i];
	int rc;

	d->required = true;
	if (json_is_string(v)) {
		d->name = json_string_value(v);
		return 0;
	}
	if ((rc = mos__json_check_keys(ld, v, dep_keys)) ||
	    (rc = mos__json_require(ld, v, "name")) ||
	    (rc = get_str(ld, v, "name", true, &d->name)) ||
	    (rc = mos__json_get_bool(ld, v, "required", &d->required)) ||
	    (rc = get_ms32(ld, v, "timeout", &d->timeout_ms)) ||
	    (rc = get_str(ld, v, "version", true, &d->version)))
		return rc;
	return 0;
}

static int read_deps(mos_jload_t *ld, load_t *l, json_t *o,
		     mos_service_descriptor_t *d)
{
	json_t *a = NULL;
	deps_ctx_t c = {l, NULL};
	uint32_t n = 0;
	int rc = mos__json_get_array(ld, o, "dependencies", &a);

	if (rc || !a)
		return rc;
	if (json_array_size(a) <= MOS_SVC_MAX_DEPS &&
	    !(c.deps = mos__svc_json_take(l, (json_array_size(a) + 1) * sizeof(*c.deps))))
		return nomem(ld);
	if ((rc = mos__json_get_each(ld, o, "dependencies", MOS_SVC_MAX_DEPS,
				     read_dep, &c, &n)))
		return rc;
	d->deps = c.deps;
	d->ndeps = n;
	return 0;
}

static int read_restart(mos_jload_t *ld, json_t *o, void *ctx)
{
	static const char *const policies[] = {"no", "on-failure", "always"};
	mos_restart_spec_t *r = ctx;
	int p = -1, rc;

	if ((rc = mos__json_check_keys(ld, o, restart_keys)) ||
	    (rc = get_enum(ld, o, "policy", policies, 3, &p)) ||
	    (rc = mos__json_get_duration(ld, o, "delay", false, &r->delay)) ||
	    (rc = mos__json_get_u32(ld, o, "multiplier", 1, 1000000,
				    &r->multiplier)) ||
	    (rc = mos__json_get_duration(ld, o, "max_delay", false, &r->max_delay)) ||
	    (rc = mos__json_get_duration(ld, o, "reset_after", false, &r->reset_after)) ||
	    (rc = mos__json_get_u32(ld, o, "max_restarts", 1, MOS_SVC_MAX_RESTARTS,
				    &r->max_restarts)) ||
	    (rc = mos__json_get_duration(ld, o, "window", false, &r->window)) ||
	    (rc = mos__json_get_duration(ld, o, "cooldown", false, &r->cooldown)))
		return rc;
	if (p >= 0)
		r->policy = (mos_restart_policy_t)(MOS_RESTART_NO + p);
	return 0;
}

int mos__svc_json_limits(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_rlimits_t *r = ctx;
	int rc;

	if ((rc = mos__json_check_keys(ld, o, limits_keys)) ||
	    (rc = mos__json_get_size(ld, o, "max_memory", &r->max_memory)) ||
	    (rc = mos__json_get_size(ld, o, "max_stack_size", &r->max_stack_size)) ||
	    (rc = get_count32(ld, o, "max_file_descriptors",
			      &r->max_file_descriptors)) ||
	    (rc = get_count32(ld, o, "max_processes", &r->max_processes)) ||
	    (rc = mos__json_get_duration(ld, o, "max_cpu_time", true, &r->max_cpu_time)) ||
	    (rc = mos__json_get_duration(ld, o, "max_creation_time", true,
			       &r->max_creation_time)) ||
	    (rc = mos__json_get_size(ld, o, "max_io_read", &r->max_io_read)) ||
	    (rc = mos__json_get_size(ld, o, "max_io_write", &r->max_io_write)))
		return rc;
	return 0;
}

int mos__svc_json_group_limits(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_group_limits_t *g = ctx;
	int rc;

	if ((rc = mos__json_check_keys(ld, o, group_limits_keys)) ||
	    (rc = mos__json_get_size(ld, o, "memory_max", &g->memory_max)) ||
	    (rc = mos__json_get_duration(ld, o, "cpu_quota", true, &g->cpu_quota)) ||
	    (rc = mos__json_get_duration(ld, o, "cpu_period", false, &g->cpu_period)) ||
	    (rc = mos__json_get_size(ld, o, "io_read_bps", &g->io_read_bps)) ||
	    (rc = mos__json_get_size(ld, o, "io_write_bps", &g->io_write_bps)) ||
	    (rc = get_count32(ld, o, "pids_max", &g->pids_max)) ||
	    (rc = mos__json_get_u32(ld, o, "cpu_weight", 1, 10000,
				    &g->cpu_weight)))
		return rc;
	return 0;
}

static int read_supervisor(mos_jload_t *ld, json_t *o, void *ctx)
{
	static const char *const strategies[] = {
		"one_for_one", "one_for_all", "rest_for_one",
	};
	mos_sup_spec_t *s = ctx;
	int st = -1, rc;

	if ((rc = mos__json_check_keys(ld, o, supervisor_keys)) ||
	    (rc = get_enum(ld, o, "strategy", strategies, 3, &st)) ||
	    (rc = mos__json_get_u32(ld, o, "intensity", 0, MOS_SVC_MAX_RESTARTS,
				    &s->intensity)) ||
	    (rc = mos__json_get_duration(ld, o, "period", false, &s->period)))
		return rc;
	if (st >= 0)
		s->strategy = (mos_sup_strategy_t)st;
	return 0;
}

/* ---- the runtime's fields ------------------------------------------------ */

/* What a section reader of the runtime's fields needs: the load (for
 * the blocks) and where its result goes. */
typedef struct rt_ctx {
	load_t *l;
	void *out;
} rt_ctx_t;

/* One u32 of an array: element v into ((uint32_t *)ctx)[i]. */
static int read_u32_elem(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	return mos__json_get_u32(ld, v, NULL, 0, UINT32_MAX,
				 &((uint32_t *)ctx)[i]);
}

/* An array of at most max integers into a block: *out and *n (absent:
 * both untouched).  Ranges are the registry's to check. */
static int get_u32v(mos_jload_t *ld, load_t *l, json_t *o, const char *key,
		    size_t max, const uint32_t **out, size_t *n)
{
	json_t *a = NULL;
	uint32_t *v = NULL, got = 0;
	int rc = mos__json_get_array(ld, o, key, &a);

	if (rc || !a)
		return rc;
	if (json_array_size(a) <= max &&
	    !(v = mos__svc_json_take(l, (json_array_size(a) + 1) * sizeof(*v))))
		return nomem(ld);
	if ((rc = mos__json_get_each(ld, o, key, max, read_u32_elem, v, &got)))
		return rc;
	*out = v;
	*n = got;
	return 0;
}

/* {"kind", "command", "initial_delay", ...}: kind required. */
static int read_probe(mos_jload_t *ld, json_t *o, void *ctx)
{
	static const char *const kinds[] = {"exec", "ping"};
	rt_ctx_t *c = ctx;
	mos_probe_spec_t *p = c->out;
	int kind = -1, rc;

	if ((rc = mos__json_check_keys(ld, o, probe_keys)) ||
	    (rc = mos__json_require(ld, o, "kind")) ||
	    (rc = get_enum(ld, o, "kind", kinds, 2, &kind)) ||
	    (rc = mos__svc_json_get_strv(ld, c->l, o, "command",
					 MAX_CMD_ARGS, NULL, &p->command)) ||
	    (rc = mos__json_get_duration(ld, o, "initial_delay", false,
					 &p->initial_delay)) ||
	    (rc = mos__json_get_duration(ld, o, "interval", false,
					 &p->interval)) ||
	    (rc = mos__json_get_duration(ld, o, "timeout", false,
					 &p->timeout)) ||
	    (rc = mos__json_get_u32(ld, o, "failure_threshold", 0, UINT32_MAX,
				    &p->failure_threshold)) ||
	    (rc = mos__json_get_u32(ld, o, "success_threshold", 0, UINT32_MAX,
				    &p->success_threshold)))
		return rc;
	p->kind = (mos_probe_kind_t)(MOS_PROBE_EXEC + kind);
	return 0;
}

/* {"uids": [...], "gids": [...], "services": [...]}. */
static int read_allow(mos_jload_t *ld, json_t *o, void *ctx)
{
	rt_ctx_t *c = ctx;
	mos_service_descriptor_t *d = c->out;
	int rc;

	if ((rc = mos__json_check_keys(ld, o, allow_keys)) ||
	    (rc = get_u32v(ld, c->l, o, "uids", MOS_SVC_MAX_ALLOW,
			   &d->allow_uids, &d->nallow_uids)) ||
	    (rc = get_u32v(ld, c->l, o, "gids", MOS_SVC_MAX_ALLOW,
			   &d->allow_gids, &d->nallow_gids)) ||
	    (rc = mos__svc_json_get_strv(ld, c->l, o, "services",
					 MOS_SVC_MAX_ALLOW, NULL,
					 &d->allow_services)))
		return rc;
	return 0;
}

/* The runtime's keys (docs/SERVICES.md, "Runtime fields"); values are
 * checked by the registry, which names the same paths. */
static int read_runtime(mos_jload_t *ld, load_t *l, json_t *o,
			mos_service_descriptor_t *d)
{
	static const char *const strategies[] = {
		"round_robin", "least_connections", "weighted", "random",
		"consistent_hash",
	};
	static const char *const importance[] = {
		"critical", "high", "normal", "low",
	};
	rt_ctx_t live = {l, &d->liveness_probe}, ready = {l, &d->readiness_probe};
	rt_ctx_t allow = {l, d};
	int bal = -1, imp = -1, rc;

	if ((rc = get_enum(ld, o, "balance", strategies, MOS_LB_COUNT, &bal)) ||
	    (rc = get_u32v(ld, l, o, "weights", MOS_SVC_MAX_INSTANCES,
			   &d->weights, &d->nweights)) ||
	    (rc = mos__json_get_u32(ld, o, "vnodes", 0, UINT32_MAX,
				    &d->vnodes)) ||
	    (rc = mos__json_section(ld, o, "liveness_probe", read_probe, &live)) ||
	    (rc = mos__json_section(ld, o, "readiness_probe", read_probe,
				    &ready)) ||
	    (rc = get_enum(ld, o, "importance", importance, MOS_IMP_COUNT,
			   &imp)) ||
	    (rc = mos__json_get_bool(ld, o, "retry", &d->retry)) ||
	    (rc = mos__json_section(ld, o, "allow", read_allow, &allow)) ||
	    (rc = mos__json_get_bool(ld, o, "encrypted", &d->encrypted)) ||
	    (rc = mos__json_get_duration(ld, o, "encryption_cost", false,
					 &d->encryption_cost)) ||
	    (rc = mos__svc_json_get_strv(ld, l, o, "backends",
					 MOS_SVC_MAX_BACKENDS, NULL,
					 &d->backends)) ||
	    (rc = get_ms32(ld, o, "request_timeout", &d->request_timeout_ms)))
		return rc;
	if (bal >= 0)
		d->balance = (mos_lb_strategy_t)bal;
	if (imp >= 0)
		d->importance = (mos_importance_t)imp;
	return 0;
}

/* One service object into *d (initialised here); the cursor names o. */
int mos__svc_json_read(mos_jload_t *ld, load_t *l, json_t *o,
		       mos_service_descriptor_t *d)
{
	static const char *const types[] = {
		"SystemService", "UserService", "ServiceGroup",
		"MonitoringService", "LoadBalancerService", "DiscoveryService",
	};
	static const char *const readiness[] = {"simple", "notify"};
	int type = -1, ready = -1, iso = (int)MOS_ISO_INHERIT;
	int prio = MOS_PRIO_NORMAL, cls = MOS_CLASS_SERVICE;
	int rc;

	mos_service_descriptor_init(d);
	if ((rc = mos__json_check_keys(ld, o, service_keys)) ||
	    (rc = mos__json_require(ld, o, "name")) ||
	    (rc = get_str(ld, o, "name", true, &d->name)) ||
	    (rc = get_enum(ld, o, "type", types, MOS_SVC_TYPE_COUNT, &type)))
		return rc;
	if (type >= 0)
		d->type = (mos_service_type_t)type;
	/* A ServiceGroup and a LoadBalancerService have no process of their
	 * own: no instances unless the file says (and then the registry
	 * says why not). */
	if (d->type == MOS_SVC_GROUP || d->type == MOS_SVC_LOADBALANCER)
		d->instances = 0;
	if ((rc = get_str(ld, o, "version", true, &d->version)) ||
	    (rc = mos__svc_json_get_strv(ld, l, o, "command", MAX_CMD_ARGS,
					 NULL, &d->command)) ||
	    (rc = get_str(ld, o, "working_directory", false,
			  &d->working_directory)) ||
	    (rc = read_environment(ld, l, o, d)) ||
	    (rc = mos__json_get_u32(ld, o, "uid", 0, UINT32_MAX - 1, &d->uid)) ||
	    (rc = mos__json_get_u32(ld, o, "gid", 0, UINT32_MAX - 1, &d->gid)) ||
	    (rc = read_caps(ld, o, &d->caps)) ||
	    (rc = get_parsed(ld, o, "isolation", parse_iso,
			     "expected an isolation level: None, Process, "
			     "Namespace, Container or VM", &iso)) ||
	    (rc = mos__svc_json_priority(ld, o, &prio)) ||
	    (rc = mos__svc_json_class(ld, o, &cls)) ||
	    (rc = mos__json_get_u32(ld, o, "instances", 0,
				    MOS_SVC_MAX_INSTANCES, &d->instances)) ||
	    (rc = read_deps(ld, l, o, d)) ||
	    (rc = mos__json_section(ld, o, "restart", read_restart,
				    &d->restart)) ||
	    (rc = mos__json_section(ld, o, "limits", mos__svc_json_limits, &d->limits)) ||
	    (rc = mos__json_section(ld, o, "group_limits", mos__svc_json_group_limits,
				    &d->group_limits)) ||
	    (rc = get_str(ld, o, "member_of", true, &d->member_of)) ||
	    (rc = mos__json_section(ld, o, "supervisor", read_supervisor,
				    &d->supervisor)) ||
	    (rc = get_ms32(ld, o, "start_timeout", &d->start_timeout_ms)) ||
	    (rc = get_ms32(ld, o, "stop_timeout", &d->stop_timeout_ms)) ||
	    (rc = get_enum(ld, o, "readiness", readiness, 2, &ready)) ||
	    (rc = mos__svc_json_get_strv(ld, l, o, "tags", MOS_SVC_MAX_TAGS,
					 NULL, &d->tags)) ||
	    (rc = read_runtime(ld, l, o, d)))
		return rc;
	d->isolation = (mos_isolation_t)iso;
	d->priority = (mos_priority_t)prio;
	d->prio_class = (mos_prio_class_t)cls;
	if (ready >= 0)
		d->readiness = (mos_readiness_t)ready;
	d->has_limits = json_object_get(o, "limits") != NULL;
	d->has_group_limits = json_object_get(o, "group_limits") != NULL;
	return 0;
}

