/*
 * src/service/descriptor.c - a service from its descriptor: every field
 * checked (the error names the field, "services[i].restart"), every
 * string and array copied, the defaults resolved (the actor's
 * credentials, the type's restart policy, the config's timeouts); and
 * freeing one.  Dependencies are resolved by the registry, which knows
 * the whole batch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "service_int.h"
#include "util/alloc.h"
#include "util/error_int.h"

void mos__svc_free(mos_svc_mgr_t *m, mos_svc_t *s)
{
	const mos_allocator_t *a = m->a;

	if (!s)
		return;
	if (s->timer_ready)
		mos__ktimer_fini(m->k, &s->timer);
	mos__svc_rt_free(s);
	mos__svc_health_free(s);
	mos__free(a, s->dependents);
	mos__free(a, s->members);
	mos__free(a, s); /* and all it copied: one block (mos__svc_make) */
}

/* ---- checking and copying a descriptor -------------------------------- */

static bool name_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || strchr("._@-", s[n])))
			return false;
	return n >= 1 && n < MOS_SVC_NAME_LEN;
}

/* ---- one block per service ------------------------------------------ */

/*
 * A service and everything of fixed size it copies (strings, vectors,
 * edges, instance slots, restart rings) are one allocation: registering
 * one service is one malloc, not a dozen, and unregister frees it whole.
 * The block is the service, then each array at its alignment, then the
 * strings.  A layout first adds the sizes up (overflow: MOS_ENOMEM).
 */
typedef struct layout {
	size_t size;
	bool overflow;
} layout_t;

/* Room for n objects of size bytes aligned to align; their offset. */
static size_t take(layout_t *l, size_t n, size_t size, size_t align)
{
	size_t at = (l->size + align - 1) & ~(align - 1);

	if (at < l->size || (size && n > (SIZE_MAX - at) / size)) {
		l->overflow = true;
		return 0;
	}
	l->size = at + n * size;
	return at;
}

static size_t strv_len(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* a + b, or 0 with the overflow noted. */
static size_t add(layout_t *l, size_t a, size_t b)
{
	if (a > SIZE_MAX - b) {
		l->overflow = true;
		return 0;
	}
	return a + b;
}

/* b plus the bytes of v's strings, their NULs included. */
static size_t strv_bytes(layout_t *l, const char *const *v, size_t b)
{
	for (size_t i = 0; v && v[i]; i++)
		b = add(l, b, strlen(v[i]) + 1);
	return b;
}

/* Copy str to the cursor *p (advanced past it). */
static char *put(char **p, const char *str)
{
	size_t len = strlen(str) + 1;
	char *at = *p;

	memcpy(at, str, len);
	*p += len;
	return at;
}

/* Copy v (NULL-terminated) into vec, its strings to *p; vec, or NULL
 * when v is. */
static char **put_strv(char **vec, char **p, const char *const *v)
{
	size_t i = 0;

	if (!v)
		return NULL;
	for (; v[i]; i++)
		vec[i] = put(p, v[i]);
	vec[i] = NULL;
	return vec;
}

/* Where a service's parts are in its block: offsets. */
typedef struct parts {
	size_t deps, reqs, inst, recent, sup_recent, command, environment,
		tags, weights, allow_uids, allow_gids, allow_services,
		backends, live_cmd, ready_cmd, strings;
} parts_t;

/* Whether a service of type t runs processes of its own: a ServiceGroup
 * supervises members, a LoadBalancerService routes to its backends. */
static bool has_own(mos_service_type_t t)
{
	return t != MOS_SVC_GROUP && t != MOS_SVC_LOADBALANCER;
}

/* How many weights a service has: one per instance, or per backends
 * entry of a LoadBalancerService. */
static size_t pool_of(const mos_service_descriptor_t *d)
{
	if (d->type == MOS_SVC_LOADBALANCER)
		return strv_len(d->backends);
	return has_own(d->type) ? d->instances : 0;
}

/* Room for a NULL-terminated vector of v's (none when v is NULL). */
static size_t take_strv(layout_t *l, const char *const *v)
{
	return take(l, v ? strv_len(v) + 1 : 0, sizeof(char *),
		    _Alignof(char *));
}

/* The block's size for d (checked), the offsets into *o; 0: too big. */
static size_t parts_of(const mos_service_descriptor_t *d, parts_t *o)
{
	layout_t l = {sizeof(mos_svc_t), false};
	size_t strings = strlen(d->name) + 1, reqs = 0;

	o->deps = take(&l, d->ndeps, sizeof(mos_svc_edge_t),
		       _Alignof(mos_svc_edge_t));
	for (size_t i = 0; i < d->ndeps; i++)
		if (d->deps[i].version)
			reqs++;
	o->reqs = take(&l, reqs, sizeof(mos_semver_req_t),
		       _Alignof(mos_semver_req_t));
	o->inst = take(&l, d->instances, sizeof(mos_svc_inst_t),
		       _Alignof(mos_svc_inst_t));
	o->recent = take(&l, d->restart.max_restarts, sizeof(mos_time_t),
			 _Alignof(mos_time_t));
	o->sup_recent = take(&l, d->type == MOS_SVC_GROUP
					 ? (size_t)d->supervisor.intensity + 1 : 0,
			     sizeof(mos_time_t), _Alignof(mos_time_t));
	o->command = take_strv(&l, d->command);
	o->environment = take_strv(&l, d->environment);
	o->tags = take_strv(&l, d->tags);
	o->weights = take(&l, pool_of(d), sizeof(uint32_t), _Alignof(uint32_t));
	o->allow_uids = take(&l, d->nallow_uids, sizeof(mos_uid_t),
			     _Alignof(mos_uid_t));
	o->allow_gids = take(&l, d->nallow_gids, sizeof(mos_gid_t),
			     _Alignof(mos_gid_t));
	o->allow_services = take_strv(&l, d->allow_services);
	o->backends = take_strv(&l, d->backends);
	o->live_cmd = take_strv(&l, d->liveness_probe.command);
	o->ready_cmd = take_strv(&l, d->readiness_probe.command);
	if (d->working_directory)
		strings = add(&l, strings, strlen(d->working_directory) + 1);
	strings = strv_bytes(&l, d->command, strings);
	strings = strv_bytes(&l, d->environment, strings);
	strings = strv_bytes(&l, d->tags, strings);
	strings = strv_bytes(&l, d->allow_services, strings);
	strings = strv_bytes(&l, d->backends, strings);
	strings = strv_bytes(&l, d->liveness_probe.command, strings);
	strings = strv_bytes(&l, d->readiness_probe.command, strings);
	for (size_t i = 0; i < d->ndeps; i++)
		if (d->deps[i].version)
			strings = add(&l, strings, strlen(d->deps[i].version) + 1);
	o->strings = take(&l, strings, 1, 1);
	return l.overflow ? 0 : l.size;
}

void mos_service_descriptor_init(mos_service_descriptor_t *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->type = MOS_SVC_USER;
	d->uid = MOS_UID_INHERIT;
	d->gid = MOS_GID_INHERIT;
	d->caps = MOS_CAPS_INHERIT;
	d->isolation = MOS_ISO_INHERIT;
	d->priority = MOS_PRIO_NORMAL;
	d->prio_class = MOS_CLASS_SERVICE;
	d->instances = 1;
	d->restart = (mos_restart_spec_t){
		.policy = MOS_RESTART_DEFAULT,
		.delay = 100 * MOS_MSEC,
		.multiplier = 2,
		.max_delay = 30 * MOS_SEC,
		.reset_after = 10 * MOS_SEC,
		.max_restarts = 5,
		.window = 10 * MOS_SEC,
		.cooldown = 0,
	};
	mos_rlimits_init(&d->limits);
	mos_group_limits_init(&d->group_limits);
	d->supervisor = (mos_sup_spec_t){MOS_SUP_ONE_FOR_ONE, 1, 5 * MOS_SEC};
	d->readiness = MOS_READY_SIMPLE;
	d->balance = MOS_LB_ROUND_ROBIN;
	d->liveness_probe = (mos_probe_spec_t){
		.kind = MOS_PROBE_NONE,
		.interval = 10 * MOS_SEC,
		.timeout = MOS_SEC,
		.failure_threshold = 3,
		.success_threshold = 1,
	};
	d->readiness_probe = d->liveness_probe;
	d->importance = MOS_IMP_NORMAL;
}

int mos__svc_bad(mos_error_t *err, const mos_svc_where_t *w, int code,
		const char *key, const char *fmt, ...)
{
	char path[MOS_ERROR_PATH_LEN], text[MOS_ERROR_TEXT_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* A file's descriptor: the loader prefixes the path itself. */
	if (w->source)
		snprintf(path, sizeof(path), "%s", key);
	else
		snprintf(path, sizeof(path), "services[%zu]%s%s", w->index,
			 *key ? "." : "", key);
	return mos__error_path(err, code, w->source ? w->source : "service",
			       path, "%s", text);
}

static mos_time_t ms(uint32_t v) { return (mos_time_t)v * MOS_MSEC; }

/* ---- the runtime's fields ------------------------------------------- */

/* Field `key` of `base` ("liveness_probe.interval", "weights[2]") at
 * fault: the error, with its key spelled into a buffer of our own. */
static int bad_at(mos_error_t *err, const mos_svc_where_t *w, int code,
		  const char *base, const char *field, size_t idx,
		  const char *text)
{
	char key[64];

	if (field)
		snprintf(key, sizeof(key), "%s.%s", base, field);
	else
		snprintf(key, sizeof(key), "%s[%zu]", base, idx);
	return mos__svc_bad(err, w, code, key, "%s", text);
}

/* A probe: an active one on a service with instances of its own, an exec
 * one with a registered program, its times bounded (a day each: their
 * sums never wrap) and its timeout within its interval. */
static int check_probe(mos_svc_mgr_t *m, const mos_service_descriptor_t *d,
		       const mos_probe_spec_t *p, const char *key,
		       const mos_svc_where_t *w, mos_error_t *err)
{
	if ((unsigned)p->kind >= MOS_PROBE_COUNT)
		return bad_at(err, w, MOS_EINVAL, key, "kind", 0,
			      "none, exec or ping");
	if (p->command && p->kind != MOS_PROBE_EXEC)
		return bad_at(err, w, MOS_EINVAL, key, "command", 0,
			      "only an exec probe has a command");
	if (p->kind == MOS_PROBE_NONE)
		return 0;
	if (!has_own(d->type))
		return bad_at(err, w, MOS_EINVAL, key, "kind", 0,
			      "a service without instances of its own has "
			      "no probes");
	if (p->kind == MOS_PROBE_EXEC && (!p->command || !p->command[0]))
		return bad_at(err, w, MOS_EINVAL, key, "command", 0,
			      "an exec probe needs a command");
	if (p->kind == MOS_PROBE_EXEC &&
	    !mos__kernel_has_program(m->k, p->command[0]))
		return bad_at(err, w, MOS_ENOPROG, key, "command[0]", 0,
			      "not a registered program");
	if (p->initial_delay > MOS_SVC_PROBE_MAX_TIME)
		return bad_at(err, w, MOS_EINVAL, key, "initial_delay", 0,
			      "at most a day");
	if (p->interval == 0 || p->interval > MOS_SVC_PROBE_MAX_TIME)
		return bad_at(err, w, MOS_EINVAL, key, "interval", 0,
			      "more than 0, at most a day");
	if (p->timeout == 0 || p->timeout > p->interval)
		return bad_at(err, w, MOS_EINVAL, key, "timeout", 0,
			      "more than 0, at most the interval");
	if (p->failure_threshold == 0 ||
	    p->failure_threshold > MOS_SVC_PROBE_MAX_THRESHOLD)
		return bad_at(err, w, MOS_EINVAL, key, "failure_threshold", 0,
			      "1 to 1000");
	if (p->success_threshold == 0 ||
	    p->success_threshold > MOS_SVC_PROBE_MAX_THRESHOLD)
		return bad_at(err, w, MOS_EINVAL, key, "success_threshold", 0,
			      "1 to 1000");
	return 0;
}

/* A list of n ids, none of them the INHERIT marker (-1). */
static int check_ids(const uint32_t *v, size_t n, const char *key,
		     const mos_svc_where_t *w, mos_error_t *err)
{
	if (n > MOS_SVC_MAX_ALLOW || (n && !v))
		return mos__svc_bad(err, w, MOS_EINVAL, key,
				    "at most %d entries", MOS_SVC_MAX_ALLOW);
	for (size_t i = 0; i < n; i++)
		if (v[i] == UINT32_MAX)
			return bad_at(err, w, MOS_EINVAL, key, NULL, i,
				      "not an id");
	return 0;
}

/* A backend: a service name, or "tag:" and a tag. */
static bool backend_ok(const char *b)
{
	return strncmp(b, "tag:", 4) ? name_ok(b) : b[4] != '\0';
}

static int check_runtime(mos_svc_mgr_t *m, const mos_service_descriptor_t *d,
			 const mos_svc_where_t *w, mos_error_t *err)
{
	size_t pool, nb = strv_len(d->backends);
	int e;

	if ((unsigned)d->balance >= MOS_LB_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "balance",
				    "an unknown strategy");
	if ((unsigned)d->importance >= MOS_IMP_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "importance",
				    "critical, high, normal or low");
	if (d->vnodes > MOS_SVC_MAX_VNODES)
		return mos__svc_bad(err, w, MOS_EINVAL, "vnodes", "at most %d",
				    MOS_SVC_MAX_VNODES);
	if (d->backends && d->type != MOS_SVC_LOADBALANCER)
		return mos__svc_bad(err, w, MOS_EINVAL, "backends",
				    "only a LoadBalancerService has backends");
	if (d->type == MOS_SVC_LOADBALANCER &&
	    (nb == 0 || nb > MOS_SVC_MAX_BACKENDS))
		return mos__svc_bad(err, w, MOS_EINVAL, "backends",
				    "a LoadBalancerService has 1 to %d",
				    MOS_SVC_MAX_BACKENDS);
	for (size_t i = 0; i < nb; i++)
		if (!backend_ok(d->backends[i]) || !strcmp(d->backends[i], d->name))
			return bad_at(err, w, MOS_EINVAL, "backends", NULL, i,
				      "a service name other than its own, or "
				      "\"tag:TAG\"");
	pool = pool_of(d);
	if ((d->nweights && !d->weights) ||
	    (d->nweights && d->nweights != pool))
		return mos__svc_bad(err, w, MOS_EINVAL, "weights",
				    "%zu weights for %zu %s", d->nweights, pool,
				    d->type == MOS_SVC_LOADBALANCER
				    ? "backends" : "instances");
	for (size_t i = 0; i < d->nweights; i++)
		if (d->weights[i] == 0 || d->weights[i] > MOS_SVC_MAX_WEIGHT)
			return bad_at(err, w, MOS_EINVAL, "weights", NULL, i,
				      "1 to 1000000");
	if ((e = check_probe(m, d, &d->liveness_probe, "liveness_probe", w,
			     err)) < 0 ||
	    (e = check_probe(m, d, &d->readiness_probe, "readiness_probe", w,
			     err)) < 0 ||
	    (e = check_ids(d->allow_uids, d->nallow_uids, "allow.uids", w,
			   err)) < 0 ||
	    (e = check_ids(d->allow_gids, d->nallow_gids, "allow.gids", w,
			   err)) < 0)
		return e;
	for (size_t i = 0; d->allow_services && d->allow_services[i]; i++)
		if (i == MOS_SVC_MAX_ALLOW)
			return mos__svc_bad(err, w, MOS_EINVAL, "allow.services",
					    "at most %d entries",
					    MOS_SVC_MAX_ALLOW);
		else if (!name_ok(d->allow_services[i]))
			return bad_at(err, w, MOS_EINVAL, "allow.services",
				      NULL, i, "not a service name");
	if (d->encryption_cost > MOS_SVC_MAX_ENCRYPTION_COST)
		return mos__svc_bad(err, w, MOS_EINVAL, "encryption_cost",
				    "at most 1 s");
	return 0;
}

/* Copy the runtime's fields of d (checked) into s, the arrays to their
 * places in the block (at), the strings to *str. */
static void copy_runtime(mos_svc_t *s, const mos_service_descriptor_t *d,
			 const parts_t *at, char **str)
{
	char *base = (char *)s;
	size_t pool = pool_of(d);

	s->balance = d->balance;
	s->nweights = (uint32_t)pool;
	if (pool)
		s->weights = (uint32_t *)(base + at->weights);
	for (size_t i = 0; i < pool; i++)
		s->weights[i] = d->nweights ? d->weights[i] : 1;
	s->vnodes = d->vnodes ? d->vnodes : MOS_SVC_VNODES_DEFAULT;
	s->liveness_probe = d->liveness_probe;
	s->liveness_probe.command = (const char *const *)put_strv(
		(char **)(base + at->live_cmd), str, d->liveness_probe.command);
	s->readiness_probe = d->readiness_probe;
	s->readiness_probe.command = (const char *const *)put_strv(
		(char **)(base + at->ready_cmd), str, d->readiness_probe.command);
	s->importance = d->importance;
	s->retry = d->retry;
	s->encrypted = d->encrypted;
	s->nallow_uids = (uint32_t)d->nallow_uids;
	if (d->nallow_uids) {
		s->allow_uids = (mos_uid_t *)(base + at->allow_uids);
		memcpy(s->allow_uids, d->allow_uids,
		       d->nallow_uids * sizeof(mos_uid_t));
	}
	s->nallow_gids = (uint32_t)d->nallow_gids;
	if (d->nallow_gids) {
		s->allow_gids = (mos_gid_t *)(base + at->allow_gids);
		memcpy(s->allow_gids, d->allow_gids,
		       d->nallow_gids * sizeof(mos_gid_t));
	}
	s->allow_services = put_strv((char **)(base + at->allow_services), str,
				     d->allow_services);
	s->nallow_services = (uint32_t)strv_len(d->allow_services);
	s->encryption_cost =
		d->encryption_cost ? d->encryption_cost
				   : (mos_time_t)mos__kernel_config(s->m->k)
						     ->ipc.encryption_cost_us *
					     MOS_USEC;
	s->backends = put_strv((char **)(base + at->backends), str, d->backends);
	s->nbackends = (uint32_t)strv_len(d->backends);
	s->request_timeout = ms(d->request_timeout_ms);
}

/* Check d and copy it into a new service (service_int.h). */
int mos__svc_make(mos_svc_mgr_t *m, const mos_svc_actor_t *ac,
		  const mos_service_descriptor_t *d, const mos_svc_where_t *w,
		  mos_svc_t **out, mos_error_t *err)
{
	const mos_config_t *cfg = mos__kernel_config(m->k);
	mos_svc_t *s;
	mos_semver_req_t *req;
	parts_t at;
	size_t pos = 0, size;
	char *str;
	int e;

	*out = NULL;
	if (!d->name || !name_ok(d->name))
		return mos__svc_bad(err, w, MOS_EINVAL, "name",
			   "a name is 1 to %d of [A-Za-z0-9._@-]",
			   MOS_SVC_NAME_LEN - 1);
	if ((unsigned)d->type >= MOS_SVC_TYPE_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "type", "unknown service type");
	if (!has_own(d->type) && (d->command || d->instances))
		return mos__svc_bad(err, w, MOS_EINVAL,
				    d->command ? "command" : "instances",
				    "a %s has no command and no instances of "
				    "its own", mos_service_type_name(d->type));
	if (has_own(d->type) && (!d->command || !d->command[0]))
		return mos__svc_bad(err, w, MOS_EINVAL, "command",
				    "a command is needed");
	if (d->command && !mos__kernel_has_program(m->k, d->command[0]))
		return mos__svc_bad(err, w, MOS_ENOPROG, "command[0]",
			   "\"%s\" is not a registered program", d->command[0]);
	if (has_own(d->type) &&
	    (d->instances == 0 || d->instances > MOS_SVC_MAX_INSTANCES))
		return mos__svc_bad(err, w, MOS_EINVAL, "instances", "1 to %d instances",
			   MOS_SVC_MAX_INSTANCES);
	if (d->ndeps > MOS_SVC_MAX_DEPS || (d->ndeps && !d->deps))
		return mos__svc_bad(err, w, MOS_EINVAL, "dependencies",
			   "at most %d dependencies", MOS_SVC_MAX_DEPS);
	/* The start limit's ring and a group's are allocated: bounded.  A
	 * zero delay with no start limit would restart forever at one
	 * instant: the run would never end. */
	if ((unsigned)d->restart.policy >= MOS_RESTART_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "restart.policy",
				    "no, on-failure or always");
	if (d->restart.multiplier == 0)
		return mos__svc_bad(err, w, MOS_EINVAL, "restart.multiplier",
				    "at least 1");
	if (d->restart.max_restarts == 0 ||
	    d->restart.max_restarts > MOS_SVC_MAX_RESTARTS)
		return mos__svc_bad(err, w, MOS_EINVAL, "restart.max_restarts",
				    "1 to %d", MOS_SVC_MAX_RESTARTS);
	if (d->restart.delay > d->restart.max_delay)
		return mos__svc_bad(err, w, MOS_EINVAL, "restart.delay",
				    "more than max_delay");
	if (d->restart.delay == 0 && d->restart.window == 0)
		return mos__svc_bad(err, w, MOS_EINVAL, "restart.delay",
				    "0 with no start limit (window 0) would "
				    "restart for ever at one instant");
	if (d->supervisor.intensity > MOS_SVC_MAX_RESTARTS)
		return mos__svc_bad(err, w, MOS_EINVAL, "supervisor.intensity",
			   "at most %d", MOS_SVC_MAX_RESTARTS);
	if ((unsigned)d->readiness >= MOS_READY_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "readiness", "simple or notify");
	if ((unsigned)d->supervisor.strategy >= MOS_SUP_COUNT ||
	    (d->type == MOS_SVC_GROUP && d->supervisor.period == 0))
		return mos__svc_bad(err, w, MOS_EINVAL, "supervisor",
			   "a strategy and a period > 0");
	if ((unsigned)d->priority >= MOS_PRIO_COUNT)
		return mos__svc_bad(err, w, MOS_EINVALPRIO, "priority", "out of range");
	if ((unsigned)d->prio_class >= MOS_CLASS_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "class", "out of range");
	if (d->isolation != MOS_ISO_INHERIT &&
	    (d->isolation < MOS_ISO_NONE || d->isolation >= MOS_ISO_COUNT))
		return mos__svc_bad(err, w, MOS_EINVAL, "isolation", "out of range");
	for (size_t i = 0; d->tags && d->tags[i]; i++)
		if (i == MOS_SVC_MAX_TAGS || !d->tags[i][0])
			return mos__svc_bad(err, w, MOS_EINVAL, "tags",
					    "at most %d tags, none empty",
					    MOS_SVC_MAX_TAGS);
	/* Credentials: the actor's by default; another uid, group or more
	 * capabilities only for a privileged actor. */
	if (!ac->host && ac->uid != 0 && !(ac->caps & MOS_CAP_ADMIN) &&
	    ((d->uid != MOS_UID_INHERIT && d->uid != ac->uid) ||
	     (d->gid != MOS_GID_INHERIT && d->gid != ac->gid) ||
	     (d->caps != MOS_CAPS_INHERIT && (d->caps & ~ac->caps))))
		return mos__svc_bad(err, w, MOS_EPERM, "uid",
			   "credentials the actor does not hold");
	for (size_t i = 0; d->environment && d->environment[i]; i++)
		if (!strchr(d->environment[i], '=') || d->environment[i][0] == '=')
			return mos__svc_bad(err, w, MOS_EINVAL, "environment",
					    "\"%s\" is not KEY=VALUE",
					    d->environment[i]);
	if (d->caps != MOS_CAPS_INHERIT && (d->caps & ~(uint32_t)MOS_CAP_ALL))
		return mos__svc_bad(err, w, MOS_EINVAL, "capabilities", "unknown bits");
	if ((e = check_runtime(m, d, w, err)) < 0)
		return e;
	if (!(size = parts_of(d, &at)) || !(s = mos__malloc(m->a, size)))
		return MOS_ENOMEM;
	/* Zeroed but for the strings, which are all copied over. */
	memset(s, 0, at.strings);
	str = (char *)s + at.strings;
	s->m = m;
	s->type = d->type;
	if (d->version &&
	    (e = mos_semver_parse(d->version, &s->version, &pos)) < 0) {
		mos__svc_free(m, s);
		return mos__svc_bad(err, w, MOS_ECONFIG, "version",
			   "not a semantic version: \"%s\" at character %zu",
			   d->version, pos);
	}
	s->uid = d->uid != MOS_UID_INHERIT ? d->uid : ac->uid;
	s->gid = d->gid != MOS_GID_INHERIT ? d->gid : ac->gid;
	s->caps = d->caps != MOS_CAPS_INHERIT ? d->caps : ac->caps;
	s->isolation = d->isolation;
	s->priority = d->priority;
	s->prio_class = d->prio_class;
	s->instances = d->instances;
	s->restart = d->restart;
	if (s->restart.policy == MOS_RESTART_DEFAULT)
		s->restart.policy = d->type == MOS_SVC_SYSTEM ? MOS_RESTART_ALWAYS
							      : MOS_RESTART_NO;
	s->has_limits = d->has_limits;
	s->limits = d->limits;
	s->has_group_limits = d->has_group_limits;
	s->group_limits = d->group_limits;
	s->sup = d->supervisor;
	s->start_timeout = ms(d->start_timeout_ms ? d->start_timeout_ms
						  : cfg->service_timeout_ms);
	s->stop_timeout = ms(d->stop_timeout_ms ? d->stop_timeout_ms
						: cfg->grace_period_ms);
	s->readiness = d->readiness;
	s->last_exit_status = -1;
	s->next_restart = MOS_TIME_NEVER;
	s->enabled = true;
	s->name = put(&str, d->name);
	s->command = put_strv((char **)((char *)s + at.command), &str, d->command);
	s->working_directory = d->working_directory ? put(&str, d->working_directory)
						    : NULL;
	s->environment = put_strv((char **)((char *)s + at.environment), &str,
				  d->environment);
	s->tags = put_strv((char **)((char *)s + at.tags), &str, d->tags);
	copy_runtime(s, d, &at, &str);
	if (s->instances)
		s->inst = (mos_svc_inst_t *)((char *)s + at.inst);
	s->recent = (mos_time_t *)((char *)s + at.recent);
	if (d->type == MOS_SVC_GROUP)
		s->sup_recent = (mos_time_t *)((char *)s + at.sup_recent);
	if (d->ndeps) /* NULL without any, as before */
		s->deps = (mos_svc_edge_t *)((char *)s + at.deps);
	s->ndeps = (uint32_t)d->ndeps;
	req = (mos_semver_req_t *)((char *)s + at.reqs);
	for (size_t i = 0; i < d->ndeps; i++) {
		const mos_service_dep_t *dp = &d->deps[i];
		mos_svc_edge_t *e2 = &s->deps[i];
		char key[48];

		if (!dp->name || !name_ok(dp->name)) {
			snprintf(key, sizeof(key), "dependencies[%zu]", i);
			e = mos__svc_bad(err, w, MOS_EINVAL, key, "a dependency names a service");
			goto fail;
		}
		e2->required = dp->required;
		e2->timeout = ms(dp->timeout_ms ? dp->timeout_ms
						: cfg->service_timeout_ms);
		if (dp->version) {
			if (mos__semver_req_parse(dp->version, req, &pos) < 0) {
				snprintf(key, sizeof(key), "dependencies[%zu].version", i);
				e = mos__svc_bad(err, w, MOS_ECONFIG, key,
					"bad version requirement \"%s\" at character %zu",
					dp->version, pos);
				goto fail;
			}
			e2->has_req = true;
			e2->req = req++;
			e2->req_text = put(&str, dp->version);
		}
	}
	*out = s;
	return 0;
fail:
	mos__svc_free(m, s);
	return e;
}
