/*
 * src/service/registry.c - the service registry: ids, names, atomic
 * batches (descriptor.c checks and copies each descriptor), unregister,
 * queries, actors and their permission, and the manager itself.
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

static void mgr_fini(mos_kernel_t *k, void *state)
{
	mos_svc_mgr_t *m = state;

	(void)k;
	mos__svc_lifecycle_fini(m);
	for (uint32_t i = 0; i < m->nids; i++)
		mos__svc_free(m, m->by_id[i]);
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

/* The slot of name (hash h): where it is, or the empty one it would
 * take.  Only a slot with the same hash is compared by name. */
static uint32_t name_slot(const mos_svc_mgr_t *m, const char *name, uint32_t h)
{
	uint32_t mask = m->names_cap - 1, i = h & mask;

	while (m->names[i].s && (m->names[i].hash != h ||
				 strcmp(m->names[i].s->name, name) != 0))
		i = (i + 1) & mask;
	return i;
}

mos_svc_t *mos__svc_by_name(mos_svc_mgr_t *m, const char *name)
{
	return m && m->names_cap ? m->names[name_slot(m, name, hash(name))].s
				 : NULL;
}

/* Room for `more` names: the table stays at most half full. */
static int names_room(mos_svc_mgr_t *m, size_t more)
{
	uint32_t cap = m->names_cap ? m->names_cap : 64, old_cap = m->names_cap;
	struct mos_svc_slot *old = m->names, *t;

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
	/* Names are distinct: each goes to the first empty slot from its
	 * home, no comparing. */
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].s) {
			uint32_t j = old[i].hash & (cap - 1);

			while (t[j].s)
				j = (j + 1) & (cap - 1);
			t[j] = old[i];
		}
	mos__free(m->a, old);
	return 0;
}

/* Put s in (room made, its name not there). */
static void name_add(mos_svc_mgr_t *m, mos_svc_t *s)
{
	uint32_t h = hash(s->name);

	m->names[name_slot(m, s->name, h)] = (struct mos_svc_slot){s, h};
	m->nnames++;
}

/* Take name's slot out, moving the cluster after it back (linear
 * probing's deletion). */
static void name_remove(mos_svc_mgr_t *m, const char *name)
{
	uint32_t mask = m->names_cap - 1, i = name_slot(m, name, hash(name)), j = i;

	if (!m->names[i].s)
		return;
	m->names[i].s = NULL;
	m->nnames--;
	for (;;) {
		uint32_t h;

		j = (j + 1) & mask;
		if (!m->names[j].s)
			return;
		h = m->names[j].hash & mask;
		/* Move j to i when its home is not in (i, j]. */
		if ((i <= j) ? (h <= i || h > j) : (h <= i && h > j)) {
			m->names[i] = m->names[j];
			m->names[j].s = NULL;
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


int mos__svc_actor_of(mos_svc_mgr_t *m, mos_pid_t pid, mos_svc_actor_t *a)
{
	mos_process_info_t in;
	int err;

	if (pid < 0)
		return MOS_EINVALPID;
	if (pid == 0) {
		*a = (mos_svc_actor_t){0, 0, MOS_CAP_ALL, MOS_ISO_NONE, true};
		return 0;
	}
	if ((err = mos_process_get_info(m->k, pid, &in)) < 0)
		return err;
	if (in.state >= MOS_STATE_TERMINATED)
		return MOS_EPROCNOTFOUND;
	*a = (mos_svc_actor_t){in.euid, in.egid, in.caps, in.isolation, false};
	return 0;
}

int mos__svc_actor_uid(mos_svc_mgr_t *m, mos_pid_t actor, mos_uid_t *uid)
{
	mos_svc_actor_t a;
	int err = mos__svc_actor_of(m, actor, &a);

	if (err == 0)
		*uid = a.uid;
	return err;
}

int mos__svc_may(mos_svc_mgr_t *m, mos_pid_t actor, const mos_svc_t *s,
		 mos_audit_op_t op)
{
	mos_svc_actor_t a;
	int err = mos__svc_actor_of(m, actor, &a);

	if (err < 0)
		return err;
	if (a.host || a.uid == 0 || (a.caps & MOS_CAP_ADMIN) || a.uid == s->uid)
		return 0;
	mos__svc_audit(m, a.uid, op, s, s->id, MOS_EPERM, MOS_SVC_R_REQUEST);
	mos__kernel_stats(m->k)->permission_denials++;
	return MOS_EPERM;
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

/* Where descriptor i of a batch came from, for its messages. */
static mos_svc_where_t where(const char *const *sources, size_t i)
{
	return (mos_svc_where_t){sources ? sources[i] : NULL, i};
}

/* Resolve s's edges and group (descriptor d) against the registry and
 * the batch: 0, or the error of the first one that fails. */
static int resolve_edges(mos_svc_mgr_t *m, mos_svc_t *s,
			 const mos_service_descriptor_t *d,
			 const mos_svc_where_t *w, const named_t *sorted,
			 size_t n, mos_error_t *err)
{
	char key[40];
	int e;

	for (uint32_t j = 0; j < s->ndeps; j++) {
		const char *name = d->deps[j].name;

		if (!(s->deps[j].dep = resolve(m, sorted, n, name))) {
			snprintf(key, sizeof(key), "dependencies[%u]", j);
			e = mos__svc_bad(err, w, MOS_EDEPEND, key,
				"\"%s\" needs \"%s\", which is not registered",
				s->name, name);
			return mos__svc_errtext(m, e,
				"%s needs %s, which is not registered", s->name,
				name);
		}
		if (s->deps[j].dep == s) {
			snprintf(key, sizeof(key), "dependencies[%u]", j);
			return mos__svc_bad(err, w, MOS_ECYCLE, key, "%s -> %s",
					    s->name, s->name);
		}
		for (uint32_t l = 0; l < j; l++)
			if (s->deps[l].dep == s->deps[j].dep) {
				snprintf(key, sizeof(key), "dependencies[%u]", j);
				return mos__svc_bad(err, w, MOS_EINVAL, key,
					"\"%s\" is named twice", name);
			}
	}
	if (d->member_of &&
	    (!(s->group = resolve(m, sorted, n, d->member_of)) ||
	     s->group->type != MOS_SVC_GROUP || s->group == s))
		return mos__svc_bad(err, w, MOS_EDEPEND, "member_of",
			"\"%s\" is not a registered ServiceGroup", d->member_of);
	if (s->ndeps > 1) /* deps is NULL without any */
		qsort(s->deps, s->ndeps, sizeof(*s->deps), cmp_edge);
	return 0;
}

/* A refused register (or batch) is one audit entry: no id, the name of
 * the first descriptor when it has a usable one. */
static void audit_refusal(mos_svc_mgr_t *m, mos_uid_t uid,
			  const mos_service_descriptor_t *descs, size_t n,
			  int e)
{
	mos_audit_entry_t *a = mos__svc_audit(m, uid, MOS_AUDIT_REGISTER, NULL,
					      0, e, MOS_SVC_R_REQUEST);

	if (n && descs[0].name)
		snprintf(a->name, sizeof(a->name), "%s", descs[0].name);
}

/* A batch this small keeps its work arrays on the stack: registering
 * one service allocates the service and nothing else. */
#define SMALL_BATCH 8

int mos__svc_register_batch(mos_kernel_t *k, mos_pid_t actor,
			    const mos_service_descriptor_t *descs, size_t n,
			    const char *const *sources, mos_service_id_t *ids,
			    mos_error_t *err)
{
	mos_svc_mgr_t *m;
	mos_svc_t *batch_small[SMALL_BATCH] = {0}, **batch = batch_small;
	named_t sorted_small[SMALL_BATCH], *sorted = sorted_small;
	mos_svc_actor_t ac;
	int e = 0;
	size_t i, made = 0;

	mos__error_clear(err);
	if (!k || (n && !descs))
		return MOS_EINVAL;
	if (!mos__host_call(k))
		return MOS_EINVAL;
	if (!(m = mos__svc_mgr(k)))
		return MOS_ENOMEM;
	if ((e = mos__svc_actor_of(m, actor, &ac)) < 0)
		return e;
	if (n == 0)
		return 0;
	if (n > UINT32_MAX - m->nids - 1)
		return MOS_EEXHAUSTED;
	if (n > SMALL_BATCH &&
	    (!(batch = mos__calloc(m->a, n, sizeof(*batch))) ||
	     !(sorted = mos__malloc_array(m->a, n, sizeof(*sorted))))) {
		e = MOS_ENOMEM;
		goto out;
	}
	for (made = 0; made < n; made++) {
		mos_svc_where_t w = where(sources, made);

		if ((e = mos__svc_make(m, &ac, &descs[made], &w, &batch[made],
				       err)) < 0)
			goto out;
		if (mos__svc_by_name(m, batch[made]->name)) {
			e = mos__svc_bad(err, &w, MOS_ESVCEXISTS, "name",
				"\"%s\" is already registered",
				batch[made]->name);
			goto out;
		}
		sorted[made] = (named_t){batch[made], made};
	}
	qsort(sorted, n, sizeof(*sorted), cmp_named);
	for (i = 1; i < n; i++)
		if (strcmp(sorted[i - 1].s->name, sorted[i].s->name) == 0) {
			mos_svc_where_t w = where(sources, sorted[i].idx);

			e = mos__svc_bad(err, &w, MOS_ESVCEXISTS, "name",
				"\"%s\" is named twice in the batch",
				sorted[i].s->name);
			goto out;
		}
	/* Resolve the edges and the groups, now the whole batch is known. */
	for (i = 0; i < n; i++) {
		mos_svc_where_t w = where(sources, i);

		if ((e = resolve_edges(m, batch[i], &descs[i], &w, sorted, n,
				       err)) < 0)
			goto out;
	}
	/* One service alone closes no cycle: its dependencies are all
	 * registered (itself is refused above). */
	if (n > 1 && (e = mos__svc_check_cycles(m, batch, n, err)) < 0)
		goto out;
	/* Room for everything, then nothing can fail. */
	if ((e = grow(m->a, &m->by_id, &m->ids_cap, m->nids + (uint32_t)n,
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
		name_add(m, s);
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
	if (e < 0)
		audit_refusal(m, ac.uid, descs, n, e);
	for (i = 0; batch && i < n; i++)
		mos__svc_free(m, batch[i]);
	if (batch != batch_small)
		mos__free(m->a, batch);
	if (sorted != sorted_small)
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

int mos__svc_lookup(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id,
		    mos_audit_op_t op, mos_svc_t **out, mos_uid_t *uid)
{
	mos_svc_mgr_t *m;
	mos_svc_t *s;
	int e;

	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	m = mos__svc_mgr_peek(k);
	if (!(s = mos__svc_get(m, id)))
		return MOS_ESVCNOTFOUND;
	if ((e = mos__svc_may(m, actor, s, op)) < 0)
		return e;
	*uid = 0;
	mos__svc_actor_uid(m, actor, uid);
	*out = s;
	return 0;
}

int mos_service_unregister(mos_kernel_t *k, mos_pid_t actor,
			   mos_service_id_t id)
{
	mos_svc_mgr_t *m;
	mos_svc_t *s;
	mos_uid_t uid;
	int e;

	if ((e = mos__svc_lookup(k, actor, id, MOS_AUDIT_UNREGISTER, &s, &uid)) < 0)
		return e;
	m = s->m;
	/* A Failed service's killed instances may not be reaped yet. */
	if ((s->state != MOS_SVC_STOPPED && s->state != MOS_SVC_FAILED &&
	     s->state != MOS_SVC_DISABLED) || s->live)
		e = MOS_ESVCNOTSTOPPED;
	else if (s->ndependents || s->nmembers)
		e = mos__svc_errtext(m, MOS_EDEPEND, "%s is needed by %s",
				     s->name,
				     s->ndependents ? s->dependents[0]->name
						    : s->members[0]->name);
	if (e < 0) {
		mos__svc_audit(m, uid, MOS_AUDIT_UNREGISTER, s, s->id, e,
			       MOS_SVC_R_REQUEST);
		return e;
	}
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
	mos__svc_free(m, s);
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
		"health",
	};

	return NAME_OF(n, r);
}

const char *mos_lb_strategy_name(mos_lb_strategy_t s)
{
	static const char *const n[] = {"round_robin", "least_connections",
					"weighted", "random",
					"consistent_hash"};

	return NAME_OF(n, s);
}

const char *mos_importance_name(mos_importance_t i)
{
	static const char *const n[] = {"critical", "high", "normal", "low"};

	return NAME_OF(n, i);
}

const char *mos_probe_kind_name(mos_probe_kind_t p)
{
	static const char *const n[] = {"none", "exec", "ping"};

	return NAME_OF(n, p);
}
