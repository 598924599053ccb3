/*
 * src/service/registry.c - the service registry: descriptors checked and
 * copied, ids, names, atomic batches, unregister, queries and the
 * manager itself.
 *
 * A batch (mos_service_register_batch, and the JSON loader through it)
 * is atomic: every descriptor is checked and copied, every dependency
 * resolved against the registry and the batch itself (forward references
 * inside a batch are fine), the batch's graph checked for cycles, and
 * only then is anything made visible.  A single registration is a batch
 * of one: its dependencies must be registered already, so a cycle can
 * only ever be closed inside one batch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_int.h"
#include "util/alloc.h"
#include "util/error_int.h"

static void mgr_fini(mos_kernel_t *k, void *state);

/* ---- the manager ------------------------------------------------------ */

mos_svc_mgr_t *mos__svc_mgr_peek(mos_kernel_t *k)
{
	return mos__kernel_subsys(k, MOS_SUBSYS_SERVICE);
}

mos_svc_mgr_t *mos__svc_mgr(mos_kernel_t *k)
{
	mos_svc_mgr_t *m = mos__svc_mgr_peek(k);
	const mos_allocator_t *a = mos__kernel_alloc(k);

	if (m)
		return m;
	if (!(m = mos__calloc(a, 1, sizeof(*m))))
		return NULL;
	m->k = k;
	m->a = a;
	m->sub = -1;
	if (!(m->audit = mos__calloc(a, MOS_SVC_AUDIT_SIZE, sizeof(*m->audit))) ||
	    mos__svc_lifecycle_init(m) < 0) {
		mos__free(a, m->audit);
		mos__free(a, m);
		return NULL;
	}
	mos__kernel_subsys_set(k, MOS_SUBSYS_SERVICE, m, mgr_fini);
	return m;
}

static void strv_free(const mos_allocator_t *a, char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		mos__free(a, *p);
	mos__free(a, v);
}

static void svc_free(mos_svc_mgr_t *m, mos_svc_t *s)
{
	const mos_allocator_t *a = m->a;

	if (!s)
		return;
	if (s->timer_ready)
		mos__ktimer_fini(m->k, &s->timer);
	mos__free(a, s->name);
	strv_free(a, s->command);
	mos__free(a, s->working_directory);
	strv_free(a, s->environment);
	strv_free(a, s->tags);
	for (uint32_t i = 0; i < s->ndeps; i++)
		mos__free(a, s->deps[i].req_text);
	mos__free(a, s->deps);
	mos__free(a, s->dependents);
	mos__free(a, s->members);
	mos__free(a, s->inst);
	mos__free(a, s->recent);
	mos__free(a, s->sup_recent);
	mos__free(a, s);
}

static void mgr_fini(mos_kernel_t *k, void *state)
{
	mos_svc_mgr_t *m = state;

	(void)k;
	mos__svc_lifecycle_fini(m);
	for (uint32_t i = 0; i < m->nids; i++)
		svc_free(m, m->by_id[i]);
	mos__free(m->a, m->by_id);
	mos__free(m->a, m->names);
	mos__free(m->a, m->pids);
	mos__free(m->a, m->errtext);
	mos__free(m->a, m->audit);
	mos__free(m->a, m);
}

int mos__svc_errtext(mos_svc_mgr_t *m, int code, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(t = mos__malloc(m->a, (size_t)n + 1)))
		return code; /* the short message still says it */
	va_start(ap, fmt);
	vsnprintf(t, (size_t)n + 1, fmt, ap);
	va_end(ap);
	mos__free(m->a, m->errtext);
	m->errtext = t;
	return code;
}

const char *mos_service_error_text(mos_kernel_t *k)
{
	mos_svc_mgr_t *m = k ? mos__svc_mgr_peek(k) : NULL;

	return m && m->errtext ? m->errtext : "";
}

/* ---- lookups ---------------------------------------------------------- */

mos_svc_t *mos__svc_get(mos_svc_mgr_t *m, mos_service_id_t id)
{
	return m && id >= 1 && id <= m->nids ? m->by_id[id - 1] : NULL;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The slot of name: where it is, or the empty one it would take. */
static uint32_t name_slot(const mos_svc_mgr_t *m, const char *name)
{
	uint32_t i = hash(name) & (m->names_cap - 1);

	while (m->names[i] && strcmp(m->names[i]->name, name) != 0)
		i = (i + 1) & (m->names_cap - 1);
	return i;
}

mos_svc_t *mos__svc_by_name(mos_svc_mgr_t *m, const char *name)
{
	return m && m->names_cap ? m->names[name_slot(m, name)] : NULL;
}

/* Room for `more` names: the table stays at most half full. */
static int names_room(mos_svc_mgr_t *m, size_t more)
{
	uint32_t cap = m->names_cap ? m->names_cap : 64, old_cap = m->names_cap;
	mos_svc_t **old = m->names, **t;

	while ((size_t)(m->nnames + more) * 2 > cap) {
		if (cap > UINT32_MAX / 4)
			return MOS_ENOMEM;
		cap *= 2;
	}
	if (cap == m->names_cap)
		return 0;
	if (!(t = mos__calloc(m->a, cap, sizeof(*t))))
		return MOS_ENOMEM;
	m->names = t;
	m->names_cap = cap;
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i])
			m->names[name_slot(m, old[i]->name)] = old[i];
	mos__free(m->a, old);
	return 0;
}

/* Take name's slot out, moving the cluster after it back (linear
 * probing's deletion). */
static void name_remove(mos_svc_mgr_t *m, const char *name)
{
	uint32_t mask = m->names_cap - 1, i = name_slot(m, name), j = i;

	if (!m->names[i])
		return;
	m->names[i] = NULL;
	m->nnames--;
	for (;;) {
		uint32_t h;

		j = (j + 1) & mask;
		if (!m->names[j])
			return;
		h = hash(m->names[j]->name) & mask;
		/* Move j to i when its home is not in (i, j]. */
		if ((i <= j) ? (h <= i || h > j) : (h <= i && h > j)) {
			m->names[i] = m->names[j];
			m->names[j] = NULL;
			i = j;
		}
	}
}

int mos_service_find(mos_kernel_t *k, const char *name, mos_service_id_t *id)
{
	mos_svc_t *s;

	if (!k || !name || !id)
		return MOS_EINVAL;
	if (!(s = mos__svc_by_name(mos__svc_mgr_peek(k), name)))
		return MOS_ESVCNOTFOUND;
	*id = s->id;
	return 0;
}

int mos_service_list(mos_kernel_t *k, mos_service_id_t *out, size_t cap,
		     size_t *n)
{
	mos_svc_mgr_t *m;
	size_t c = 0;

	if (!k || !n || (cap && !out))
		return MOS_EINVAL;
	m = mos__svc_mgr_peek(k);
	for (uint32_t i = 0; m && i < m->nids; i++)
		if (m->by_id[i]) {
			if (c < cap)
				out[c] = m->by_id[i]->id;
			c++;
		}
	*n = c;
	return 0;
}

/* ---- actors ----------------------------------------------------------- */

typedef struct actor {
	mos_uid_t uid;
	mos_gid_t gid;
	uint32_t caps;
	mos_isolation_t isolation;
	bool host;
} actor_t;

static int actor_of(mos_svc_mgr_t *m, mos_pid_t pid, actor_t *a)
{
	mos_process_info_t in;
	int err;

	if (pid < 0)
		return MOS_EINVALPID;
	if (pid == 0) {
		*a = (actor_t){0, 0, MOS_CAP_ALL, MOS_ISO_NONE, true};
		return 0;
	}
	if ((err = mos_process_get_info(m->k, pid, &in)) < 0)
		return err;
	if (in.state >= MOS_STATE_TERMINATED)
		return MOS_EPROCNOTFOUND;
	*a = (actor_t){in.euid, in.egid, in.caps, in.isolation, false};
	return 0;
}

int mos__svc_actor_uid(mos_svc_mgr_t *m, mos_pid_t actor, mos_uid_t *uid)
{
	actor_t a;
	int err = actor_of(m, actor, &a);

	if (err == 0)
		*uid = a.uid;
	return err;
}

int mos__svc_may(mos_svc_mgr_t *m, mos_pid_t actor, const mos_svc_t *s,
		 mos_audit_op_t op)
{
	actor_t a;
	int err = actor_of(m, actor, &a);

	if (err < 0)
		return err;
	if (a.host || a.uid == 0 || (a.caps & MOS_CAP_ADMIN) || a.uid == s->uid)
		return 0;
	mos__svc_audit(m, a.uid, op, s, s->id, MOS_EPERM, MOS_SVC_R_REQUEST);
	mos__kernel_stats(m->k)->permission_denials++;
	return MOS_EPERM;
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

static int strv_dup(const mos_allocator_t *a, const char *const *v,
		    char ***out)
{
	size_t n = 0;
	char **d;

	*out = NULL;
	if (!v)
		return 0;
	while (v[n])
		n++;
	if (!(d = mos__calloc(a, n + 1, sizeof(*d))))
		return MOS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(d[i] = mos__strdup(a, v[i]))) {
			strv_free(a, d);
			return MOS_ENOMEM;
		}
	*out = d;
	return 0;
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
}

/* The source and JSON path prefix of descriptor i of a batch, for
 * messages (the JSON loader names its files; C callers get "services[i]"). */
typedef struct where {
	const char *source;
	char path[64];
} where_t;

static int bad(mos_error_t *err, const where_t *w, int code, const char *key,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int bad(mos_error_t *err, const where_t *w, int code, const char *key,
	       const char *fmt, ...)
{
	char path[MOS_ERROR_PATH_LEN], text[MOS_ERROR_TEXT_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s%s%s", w->path, *w->path && *key ? "." : "",
		 key);
	return mos__error_path(err, code, w->source, path, "%s", text);
}

static mos_time_t ms(uint32_t v) { return (mos_time_t)v * MOS_MSEC; }

/* Check d and copy it into a new service (not registered; deps not
 * resolved: their names wait in req_text's neighbour, dep_names). */
static int svc_make(mos_svc_mgr_t *m, const actor_t *ac,
		    const mos_service_descriptor_t *d, const where_t *w,
		    mos_svc_t **out, char ***dep_names, mos_error_t *err)
{
	const mos_allocator_t *a = m->a;
	const mos_config_t *cfg = mos__kernel_config(m->k);
	mos_svc_t *s;
	size_t pos = 0;
	int e;

	*out = NULL;
	*dep_names = NULL;
	if (!d->name || !name_ok(d->name))
		return bad(err, w, MOS_EINVAL, "name",
			   "a name is 1 to %d of [A-Za-z0-9._@-]",
			   MOS_SVC_NAME_LEN - 1);
	if ((unsigned)d->type >= MOS_SVC_TYPE_COUNT)
		return bad(err, w, MOS_EINVAL, "type", "unknown service type");
	if (d->type == MOS_SVC_GROUP ? d->command != NULL || d->instances != 0
				     : !d->command || !d->command[0])
		return bad(err, w, MOS_EINVAL, d->type == MOS_SVC_GROUP ? "command" : "command",
			   d->type == MOS_SVC_GROUP
				   ? "a ServiceGroup has no command and no instances"
				   : "a command is needed");
	if (d->command && !mos__kernel_has_program(m->k, d->command[0]))
		return bad(err, w, MOS_ENOPROG, "command[0]",
			   "\"%s\" is not a registered program", d->command[0]);
	if (d->type != MOS_SVC_GROUP &&
	    (d->instances == 0 || d->instances > MOS_SVC_MAX_INSTANCES))
		return bad(err, w, MOS_EINVAL, "instances", "1 to %d instances",
			   MOS_SVC_MAX_INSTANCES);
	if (d->ndeps > MOS_SVC_MAX_DEPS || (d->ndeps && !d->deps))
		return bad(err, w, MOS_EINVAL, "dependencies",
			   "at most %d dependencies", MOS_SVC_MAX_DEPS);
	/* The start limit's ring and a group's are allocated: bounded.  A
	 * zero delay with no start limit would restart forever at one
	 * instant: the run would never end. */
	if ((unsigned)d->restart.policy >= MOS_RESTART_COUNT ||
	    d->restart.multiplier == 0 || d->restart.max_restarts == 0 ||
	    d->restart.max_restarts > MOS_SVC_MAX_RESTARTS ||
	    d->restart.delay > d->restart.max_delay ||
	    (d->restart.delay == 0 && d->restart.window == 0))
		return bad(err, w, MOS_EINVAL, "restart",
			   "policy, multiplier >= 1, max_restarts 1 to %d, "
			   "delay <= max_delay, a delay or a window",
			   MOS_SVC_MAX_RESTARTS);
	if (d->supervisor.intensity > MOS_SVC_MAX_RESTARTS)
		return bad(err, w, MOS_EINVAL, "supervisor.intensity",
			   "at most %d", MOS_SVC_MAX_RESTARTS);
	if ((unsigned)d->readiness >= MOS_READY_COUNT)
		return bad(err, w, MOS_EINVAL, "readiness", "simple or notify");
	if ((unsigned)d->supervisor.strategy >= MOS_SUP_COUNT ||
	    (d->type == MOS_SVC_GROUP && d->supervisor.period == 0))
		return bad(err, w, MOS_EINVAL, "supervisor",
			   "a strategy and a period > 0");
	if ((unsigned)d->priority >= MOS_PRIO_COUNT)
		return bad(err, w, MOS_EINVALPRIO, "priority", "out of range");
	if ((unsigned)d->prio_class >= MOS_CLASS_COUNT)
		return bad(err, w, MOS_EINVAL, "class", "out of range");
	/* Credentials: the actor's by default; another uid, group or more
	 * capabilities only for a privileged actor. */
	if (!ac->host && ac->uid != 0 && !(ac->caps & MOS_CAP_ADMIN) &&
	    ((d->uid != MOS_UID_INHERIT && d->uid != ac->uid) ||
	     (d->gid != MOS_GID_INHERIT && d->gid != ac->gid) ||
	     (d->caps != MOS_CAPS_INHERIT && (d->caps & ~ac->caps))))
		return bad(err, w, MOS_EPERM, "uid",
			   "credentials the actor does not hold");
	if (d->caps != MOS_CAPS_INHERIT && (d->caps & ~(uint32_t)MOS_CAP_ALL))
		return bad(err, w, MOS_EINVAL, "capabilities", "unknown bits");
	if (!(s = mos__calloc(a, 1, sizeof(*s))))
		return MOS_ENOMEM;
	s->m = m;
	s->type = d->type;
	if (d->version &&
	    (e = mos_semver_parse(d->version, &s->version, &pos)) < 0) {
		svc_free(m, s);
		return bad(err, w, MOS_ECONFIG, "version",
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
	if (!(s->name = mos__strdup(a, d->name)) ||
	    strv_dup(a, d->command, &s->command) < 0 ||
	    (d->working_directory &&
	     !(s->working_directory = mos__strdup(a, d->working_directory))) ||
	    strv_dup(a, d->environment, &s->environment) < 0 ||
	    strv_dup(a, d->tags, &s->tags) < 0 ||
	    (s->instances &&
	     !(s->inst = mos__calloc(a, s->instances, sizeof(*s->inst)))) ||
	    !(s->recent = mos__calloc(a, s->restart.max_restarts,
				      sizeof(*s->recent))) ||
	    (d->type == MOS_SVC_GROUP &&
	     !(s->sup_recent = mos__calloc(a, (size_t)s->sup.intensity + 1,
					   sizeof(*s->sup_recent)))) ||
	    (d->ndeps && !(s->deps = mos__calloc(a, d->ndeps, sizeof(*s->deps)))) ||
	    !(*dep_names = mos__calloc(a, d->ndeps + 2, sizeof(char *)))) {
		svc_free(m, s);
		return MOS_ENOMEM;
	}
	s->ndeps = (uint32_t)d->ndeps;
	for (size_t i = 0; i < d->ndeps; i++) {
		const mos_service_dep_t *dp = &d->deps[i];
		mos_svc_edge_t *e2 = &s->deps[i];
		char key[48];

		snprintf(key, sizeof(key), "dependencies[%zu]", i);
		if (!dp->name || !name_ok(dp->name)) {
			e = bad(err, w, MOS_EINVAL, key, "a dependency names a service");
			goto fail;
		}
		e2->required = dp->required;
		e2->timeout = ms(dp->timeout_ms ? dp->timeout_ms
						: cfg->service_timeout_ms);
		if (dp->version) {
			snprintf(key, sizeof(key), "dependencies[%zu].version", i);
			if (mos__semver_req_parse(dp->version, &e2->req, &pos) < 0) {
				e = bad(err, w, MOS_ECONFIG, key,
					"bad version requirement \"%s\" at character %zu",
					dp->version, pos);
				goto fail;
			}
			e2->has_req = true;
			if (!(e2->req_text = mos__strdup(a, dp->version))) {
				e = MOS_ENOMEM;
				goto fail;
			}
		}
		(*dep_names)[i] = (char *)dp->name; /* borrowed until resolved */
	}
	(*dep_names)[d->ndeps] = (char *)d->member_of; /* NULL: none */
	*out = s;
	return 0;
fail:
	mos__free(a, *dep_names);
	*dep_names = NULL;
	svc_free(m, s);
	return e;
}

/* ---- registering ------------------------------------------------------ */

static int grow(const mos_allocator_t *a, void *pv, uint32_t *cap, uint32_t need,
		size_t size)
{
	void **p = pv;
	uint32_t c = *cap ? *cap : 4;
	void *v;

	if (need <= *cap)
		return 0;
	while (c < need)
		c = c > UINT32_MAX / 2 ? need : c * 2;
	if (!(v = mos__realloc_array(a, *p, c, size)))
		return MOS_ENOMEM;
	*p = v;
	*cap = c;
	return 0;
}

/* Name of batch member or registered service: batch first (a batch may
 * not redefine a registered name: checked before). */
/* The batch by name, for its lookups: O(log n) each. */
typedef struct named {
	mos_svc_t *s;
	size_t idx;                 /* its place in the batch */
} named_t;

static int cmp_named(const void *x, const void *y)
{
	const named_t *a = x, *b = y;
	int c = strcmp(a->s->name, b->s->name);

	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* A registered service or one of the batch (sorted, n of them). */
static mos_svc_t *resolve(mos_svc_mgr_t *m, const named_t *sorted, size_t n,
			  const char *name)
{
	mos_svc_t *s = mos__svc_by_name(m, name);
	size_t lo = 0, hi = n;

	while (!s && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid].s->name, name);

		if (c == 0)
			return sorted[mid].s;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s;
}

/* Room for the dependents and members the batch adds: counted exactly
 * (s->add), so a batch reserves what it uses, not n per service. */
static int reserve_links(mos_svc_mgr_t *m, mos_svc_t **batch, size_t n)
{
	int e = 0;

	for (size_t i = 0; i < n; i++) {
		for (uint32_t j = 0; j < batch[i]->ndeps; j++)
			batch[i]->deps[j].dep->add++;
		if (batch[i]->group)
			batch[i]->group->add_members++;
	}
	for (size_t i = 0; i < n; i++) {
		mos_svc_t *s = batch[i], *g = s->group;

		for (uint32_t j = 0; j < s->ndeps; j++) {
			mos_svc_t *d = s->deps[j].dep;

			if (d->add && e == 0)
				e = grow(m->a, &d->dependents, &d->dependents_cap,
					 d->ndependents + d->add,
					 sizeof(*d->dependents));
			d->add = 0;
		}
		if (g && g->add_members && e == 0)
			e = grow(m->a, &g->members, &g->members_cap,
				 g->nmembers + g->add_members, sizeof(*g->members));
		if (g)
			g->add_members = 0;
	}
	return e;
}

static void svc_timer_fn(void *arg, mos_timer_t *t)
{
	(void)t;
	mos__svc_timer_fired(arg);
}

static int cmp_edge(const void *x, const void *y)
{
	const mos_svc_edge_t *a = x, *b = y;

	return strcmp(a->dep->name, b->dep->name);
}

int mos__svc_register_batch(mos_kernel_t *k, mos_pid_t actor,
			    const mos_service_descriptor_t *descs, size_t n,
			    const char *const *sources, mos_service_id_t *ids,
			    mos_error_t *err)
{
	mos_svc_mgr_t *m;
	mos_svc_t **batch = NULL;
	named_t *sorted = NULL;
	char ***names = NULL;
	uint32_t need_deps_cap;
	actor_t ac;
	int e = 0;
	size_t i, made = 0;

	mos__error_clear(err);
	if (!k || (n && !descs))
		return MOS_EINVAL;
	if (!mos__host_call(k))
		return MOS_EINVAL;
	if (!(m = mos__svc_mgr(k)))
		return MOS_ENOMEM;
	if ((e = actor_of(m, actor, &ac)) < 0)
		return e;
	if (n == 0)
		return 0;
	if (n > UINT32_MAX - m->nids - 1)
		return MOS_EEXHAUSTED;
	if (!(batch = mos__calloc(m->a, n, sizeof(*batch))) ||
	    !(names = mos__calloc(m->a, n, sizeof(*names))) ||
	    !(sorted = mos__malloc_array(m->a, n, sizeof(*sorted)))) {
		e = MOS_ENOMEM;
		goto out;
	}
	for (made = 0; made < n; made++) {
		where_t w = {sources && sources[made] ? sources[made] : "service",
			     ""};

		if (!sources || !sources[made])
			snprintf(w.path, sizeof(w.path), "services[%zu]", made);
		if ((e = svc_make(m, &ac, &descs[made], &w, &batch[made],
				  &names[made], err)) < 0)
			goto out;
		if (mos__svc_by_name(m, batch[made]->name)) {
			e = bad(err, &w, MOS_ESVCEXISTS, "name",
				"\"%s\" is already registered",
				batch[made]->name);
			goto out;
		}
		sorted[made] = (named_t){batch[made], made};
	}
	qsort(sorted, n, sizeof(*sorted), cmp_named);
	for (i = 1; i < n; i++)
		if (strcmp(sorted[i - 1].s->name, sorted[i].s->name) == 0) {
			where_t w = {sources && sources[sorted[i].idx]
					     ? sources[sorted[i].idx]
					     : "service",
				     ""};

			if (!sources || !sources[sorted[i].idx])
				snprintf(w.path, sizeof(w.path), "services[%zu]",
					 sorted[i].idx);
			e = bad(err, &w, MOS_ESVCEXISTS, "name",
				"\"%s\" is named twice in the batch",
				sorted[i].s->name);
			goto out;
		}
	/* Resolve the edges and the groups, now the whole batch is known. */
	for (i = 0; i < n; i++) {
		mos_svc_t *s = batch[i];
		where_t w = {sources && sources[i] ? sources[i] : "service", ""};
		const char *g;

		if (!sources || !sources[i])
			snprintf(w.path, sizeof(w.path), "services[%zu]", i);
		for (uint32_t j = 0; j < s->ndeps; j++) {
			char key[40];

			snprintf(key, sizeof(key), "dependencies[%u]", j);
			if (!(s->deps[j].dep = resolve(m, sorted, n, names[i][j]))) {
				e = bad(err, &w, MOS_EDEPEND, key,
					"\"%s\" needs \"%s\", which is not registered",
					s->name, names[i][j]);
				mos__svc_errtext(m, e, "%s needs %s, which is not registered",
						 s->name, names[i][j]);
				goto out;
			}
			if (s->deps[j].dep == s) {
				e = bad(err, &w, MOS_ECYCLE, key,
					"%s -> %s", s->name, s->name);
				goto out;
			}
			for (uint32_t l = 0; l < j; l++)
				if (s->deps[l].dep == s->deps[j].dep) {
					e = bad(err, &w, MOS_EINVAL, key,
						"\"%s\" is named twice",
						names[i][j]);
					goto out;
				}
		}
		if ((g = names[i][s->ndeps])) {
			if (!(s->group = resolve(m, sorted, n, g)) ||
			    s->group->type != MOS_SVC_GROUP || s->group == s) {
				e = bad(err, &w, MOS_EDEPEND, "member_of",
					"\"%s\" is not a registered ServiceGroup", g);
				goto out;
			}
		}
		if (s->ndeps > 1) /* deps is NULL without any */
			qsort(s->deps, s->ndeps, sizeof(*s->deps), cmp_edge);
	}
	if ((e = mos__svc_check_cycles(m, batch, n, err)) < 0)
		goto out;
	/* Room for everything, then nothing can fail. */
	need_deps_cap = m->nids + (uint32_t)n;
	if ((e = grow(m->a, &m->by_id, &m->ids_cap, need_deps_cap,
		      sizeof(*m->by_id))) < 0 ||
	    (e = names_room(m, n)) < 0 || (e = reserve_links(m, batch, n)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		mos_svc_t *s = batch[i];

		if ((e = mos__ktimer_init(k, &s->timer, svc_timer_fn, s, false)) < 0)
			goto out;
		s->timer_ready = true;
	}
	for (i = 0; i < n; i++) {
		mos_svc_t *s = batch[i];

		s->id = ++m->nids;
		m->by_id[s->id - 1] = s;
		m->names[name_slot(m, s->name)] = s;
		m->nnames++;
		for (uint32_t j = 0; j < s->ndeps; j++) {
			mos_svc_t *d = s->deps[j].dep;

			d->dependents[d->ndependents++] = s;
		}
		if (s->group)
			s->group->members[s->group->nmembers++] = s;
		if (ids)
			ids[i] = s->id;
		mos__svc_audit(m, ac.uid, MOS_AUDIT_REGISTER, s, s->id, 0,
			       MOS_SVC_R_REQUEST);
		batch[i] = NULL;
	}
	e = 0;
out:
	for (i = 0; i < n; i++) {
		if (batch && batch[i])
			svc_free(m, batch[i]);
		if (names)
			mos__free(m->a, names[i]);
	}
	mos__free(m->a, batch);
	mos__free(m->a, names);
	mos__free(m->a, sorted);
	return e;
}

int mos_service_register_batch(mos_kernel_t *k, mos_pid_t actor,
			       const mos_service_descriptor_t *descs, size_t n,
			       mos_service_id_t *ids, mos_error_t *err)
{
	return mos__svc_register_batch(k, actor, descs, n, NULL, ids, err);
}

int mos_service_register(mos_kernel_t *k, mos_pid_t actor,
			 const mos_service_descriptor_t *d,
			 mos_service_id_t *id, mos_error_t *err)
{
	mos_service_id_t got = 0;
	int e;

	if (!d || !id)
		return MOS_EINVAL;
	if ((e = mos__svc_register_batch(k, actor, d, 1, NULL, &got, err)) < 0)
		return e;
	*id = got;
	return 0;
}

int mos_service_unregister(mos_kernel_t *k, mos_pid_t actor,
			   mos_service_id_t id)
{
	mos_svc_mgr_t *m;
	mos_svc_t *s;
	mos_uid_t uid = 0;
	int e;

	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	m = mos__svc_mgr_peek(k);
	if (!(s = mos__svc_get(m, id)))
		return MOS_ESVCNOTFOUND;
	if ((e = mos__svc_may(m, actor, s, MOS_AUDIT_UNREGISTER)) < 0)
		return e;
	/* A Failed service's killed instances may not be reaped yet. */
	if ((s->state != MOS_SVC_STOPPED && s->state != MOS_SVC_FAILED &&
	     s->state != MOS_SVC_DISABLED) || s->live)
		return MOS_ESVCNOTSTOPPED;
	if (s->ndependents || s->nmembers)
		return mos__svc_errtext(m, MOS_EDEPEND, "%s is needed by %s",
					s->name,
					s->ndependents ? s->dependents[0]->name
						       : s->members[0]->name);
	mos__svc_actor_uid(m, actor, &uid);
	for (uint32_t j = 0; j < s->ndeps; j++) {
		mos_svc_t *d = s->deps[j].dep;

		for (uint32_t l = 0; l < d->ndependents; l++)
			if (d->dependents[l] == s) {
				memmove(&d->dependents[l], &d->dependents[l + 1],
					(d->ndependents - l - 1) *
						sizeof(*d->dependents));
				d->ndependents--;
				break;
			}
	}
	if (s->group) {
		mos_svc_t *g = s->group;

		for (uint32_t l = 0; l < g->nmembers; l++)
			if (g->members[l] == s) {
				memmove(&g->members[l], &g->members[l + 1],
					(g->nmembers - l - 1) * sizeof(*g->members));
				g->nmembers--;
				break;
			}
	}
	mos__svc_audit(m, uid, MOS_AUDIT_UNREGISTER, s, s->id, 0,
		       MOS_SVC_R_REQUEST);
	name_remove(m, s->name);
	m->by_id[id - 1] = NULL;
	svc_free(m, s);
	return 0;
}

/* ---- status ----------------------------------------------------------- */

int mos_service_status(mos_kernel_t *k, mos_service_id_t id,
		       mos_service_status_t *st)
{
	mos_svc_t *s;
	uint32_t c = 0;

	if (!k || !st)
		return MOS_EINVAL;
	if (!(s = mos__svc_get(mos__svc_mgr_peek(k), id)))
		return MOS_ESVCNOTFOUND;
	memset(st, 0, sizeof(*st));
	st->id = s->id;
	st->name = s->name;
	st->type = s->type;
	st->state = s->state;
	st->since = s->since;
	st->reason = s->reason;
	st->error = s->error;
	st->culprit = s->culprit;
	st->enabled = s->enabled;
	for (uint32_t i = 0; i < s->instances; i++)
		if (s->inst[i].pid)
			st->pids[c++] = s->inst[i].pid;
	st->ninstances = c;
	st->ready = s->ready;
	st->restarts = s->restarts;
	st->last_exit_status = s->last_exit_status;
	st->next_restart = s->next_restart;
	st->backoff = s->type == MOS_SVC_GROUP ? 0 : mos__svc_backoff(s);
	return 0;
}

/* ---- names ------------------------------------------------------------ */

#define NAME_OF(table, v) \
	((size_t)(v) < sizeof(table) / sizeof(table[0]) ? table[v] : "?")

const char *mos_service_type_name(mos_service_type_t t)
{
	static const char *const n[] = {
		"SystemService", "UserService", "ServiceGroup",
		"MonitoringService", "LoadBalancerService", "DiscoveryService",
	};

	return NAME_OF(n, t);
}

const char *mos_service_state_name(mos_service_state_t s)
{
	static const char *const n[] = {
		"Stopped", "Starting", "Running", "Stopping",
		"Failed", "Disabled", "Paused",
	};

	return NAME_OF(n, s);
}

const char *mos_restart_policy_name(mos_restart_policy_t p)
{
	static const char *const n[] = {"default", "no", "on-failure", "always"};

	return NAME_OF(n, p);
}

const char *mos_sup_strategy_name(mos_sup_strategy_t s)
{
	static const char *const n[] = {"one_for_one", "one_for_all",
					"rest_for_one"};

	return NAME_OF(n, s);
}

const char *mos_svc_reason_name(mos_svc_reason_t r)
{
	static const char *const n[] = {
		"none", "request", "ready", "exit", "timeout", "dependency",
		"dependency failed", "start limit", "supervisor", "spawn",
	};

	return NAME_OF(n, r);
}
