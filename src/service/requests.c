/*
 * src/service/requests.c - what the host asks of a service: start, stop,
 * restart, pause, resume, enable, disable (docs/SERVICES.md's table: the
 * state each is valid in, the error otherwise), and stopping everything
 * in waves.  Each request checks the actor's permission and is audited
 * with its result; lifecycle.c carries out what it starts.
 */
#include "service_int.h"
#include "util/alloc.h"


static bool down(const mos_svc_t *s) { return !mos__svc_is_up(s); }

/* The version constraints of what a start brings up: MOS_EDEPEND (with
 * the text) for the first one its dependency does not satisfy. */
static int check_versions(mos_svc_mgr_t *m, mos_svc_t **order, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mos_svc_t *x = order[i];

		for (uint32_t j = 0; j < x->ndeps; j++) {
			const mos_svc_edge_t *e = &x->deps[j];
			const mos_semver_t *v = &e->dep->version;

			if (!e->has_req || mos__semver_req_matches(e->req, v))
				continue;
			return mos__svc_errtext(
				m, MOS_EDEPEND,
				"%s needs %s %s, which is %llu.%llu.%llu%s%s", x->name,
				e->dep->name, e->req_text,
				(unsigned long long)v->major,
				(unsigned long long)v->minor,
				(unsigned long long)v->patch, *v->pre ? "-" : "",
				v->pre);
		}
	}
	return 0;
}

/* ---- what a request moves, and whether the actor may ------------------ */

/* A list of services that grows. */
typedef struct svc_list {
	mos_svc_t **v;
	size_t n, cap;
} svc_list_t;

static int list_add(mos_svc_mgr_t *m, svc_list_t *l, mos_svc_t *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = mos__realloc_array(m->a, l->v, cap, sizeof(*l->v));

		if (!v)
			return MOS_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

/* Whether the list holds s (a short one: the groups met). */
static bool list_has(const svc_list_t *l, const mos_svc_t *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == s)
			return true;
	return false;
}

/*
 * What a start of s brings up: its start order first (as
 * mos__svc_start_list has it, *n0 of them), then, for each group in it,
 * its members' start orders (a member is not a dependency of its group:
 * the group starts it once its own dependencies are up), recursively,
 * each service once.
 */
static int start_closure(mos_svc_t *s, svc_list_t *l, size_t *n0)
{
	mos_svc_mgr_t *m = s->m;
	svc_list_t groups = {0};
	uint32_t tag;
	size_t n = 0, c = 0;
	int e = 0;

	if (!(l->v = mos__svc_start_list(s, &n)))
		return MOS_ENOMEM;
	l->n = *n0 = n;
	l->cap = (size_t)m->nids + 1;
	for (size_t i = 0; i < l->n && e == 0; i++) {
		mos_svc_t *g = l->v[i];

		if (!g->nmembers || list_has(&groups, g))
			continue;
		if ((e = list_add(m, &groups, g)) < 0)
			break;
		for (uint32_t j = 0; j < g->nmembers && e == 0; j++) {
			mos_svc_t *x = g->members[j], **o;

			if (mos__svc_is_up(x) || x->state == MOS_SVC_DISABLED)
				continue;
			if (!(o = mos__svc_start_list(x, &n))) {
				e = MOS_ENOMEM;
				break;
			}
			for (size_t k = 0; k < n && e == 0; k++)
				e = list_add(m, l, o[k]);
			mos__free(m->a, o);
		}
	}
	mos__free(m->a, groups.v);
	/* Each once (the start order is, so its prefix stays as it is). */
	tag = mos__svc_stamps(m);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->mark != tag) {
			l->v[i]->mark = tag;
			l->v[c++] = l->v[i];
		}
	l->n = c;
	return e;
}

/* What a stop of s takes down: s, and what is above it and up (not
 * Stopping already), dependents and a group's members, as mos__svc_stop
 * goes; each once. */
static int stop_closure(mos_svc_t *s, svc_list_t *l)
{
	mos_svc_mgr_t *m = s->m;
	uint32_t tag = mos__svc_stamps(m);
	int e = list_add(m, l, s);

	s->mark = tag;
	for (size_t i = 0; i < l->n && e == 0; i++) {
		mos_svc_t *x = l->v[i];

		for (uint32_t j = 0; j < x->ndependents + x->nmembers && e == 0; j++) {
			mos_svc_t *d = j < x->ndependents
					       ? x->dependents[j]
					       : x->members[j - x->ndependents];

			if (d->mark == tag || !mos__svc_is_up(d) ||
			    d->state == MOS_SVC_STOPPING)
				continue;
			d->mark = tag;
			e = list_add(m, l, d);
		}
	}
	return e;
}

/* The actor may operate every service of the list: else the first
 * refusal (mos__svc_may audits and counts it). */
static int may_each(mos_svc_mgr_t *m, mos_pid_t actor, const svc_list_t *l,
		    mos_audit_op_t op)
{
	int e = 0;

	for (size_t i = 0; i < l->n && e == 0; i++)
		e = mos__svc_may(m, actor, l->v[i], op);
	return e;
}

/* A stop of s by actor: refused whole (MOS_EPERM) when it would take
 * down a service the actor may not operate.  The host may operate all. */
static int may_stop(mos_svc_t *s, mos_pid_t actor, mos_audit_op_t op)
{
	svc_list_t l = {0};
	int e;

	if (actor == 0)
		return 0;
	if ((e = stop_closure(s, &l)) == 0)
		e = may_each(s->m, actor, &l, op);
	mos__free(s->m->a, l.v);
	return e;
}

/* ---- the requests ----------------------------------------------------- */

typedef int (*request_fn)(mos_svc_t *s, mos_pid_t actor);

static int req_start_as(mos_svc_t *s, mos_pid_t actor, mos_audit_op_t op)
{
	mos_svc_mgr_t *m = s->m;
	svc_list_t l = {0};
	size_t n0 = 0;
	uint64_t need = 0;
	int e;

	if (s->state == MOS_SVC_DISABLED)
		return MOS_EINVALSTATE;
	if (mos__svc_is_up(s))
		return MOS_ESVCNOTSTOPPED;
	e = start_closure(s, &l, &n0);
	if (e == 0 && actor != 0)
		e = may_each(m, actor, &l, op);
	if (e == 0)
		e = check_versions(m, l.v, l.n);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i]->state != MOS_SVC_DISABLED && !l.v[i]->nmembers)
			need += l.v[i]->instances; /* a group spawns none */
	if (e == 0 && need > mos__kernel_config(m->k)->max_service_processes -
				      m->live_instances)
		e = MOS_EEXHAUSTED;
	if (e == 0) {
		s->restart_after_stop = false;
		mos__svc_start_these(s, l.v, n0, MOS_SVC_R_REQUEST);
	}
	mos__free(m->a, l.v);
	return e;
}

static int req_start(mos_svc_t *s, mos_pid_t actor)
{
	return req_start_as(s, actor, MOS_AUDIT_START);
}

static int req_stop(mos_svc_t *s, mos_pid_t actor)
{
	int e;

	if (!mos__svc_is_up(s) || s->state == MOS_SVC_STOPPING)
		return MOS_ESVCNOTRUNNING;
	if ((e = may_stop(s, actor, MOS_AUDIT_STOP)) < 0)
		return e;
	s->want_up = false;
	s->dep_stopped = false;
	mos__svc_stop(s, MOS_SVC_R_REQUEST, 0);
	return 0;
}

static int req_restart(mos_svc_t *s, mos_pid_t actor)
{
	int e;

	if (s->state == MOS_SVC_DISABLED)
		return MOS_EINVALSTATE;
	if (down(s))
		return req_start_as(s, actor, MOS_AUDIT_RESTART);
	if (s->state == MOS_SVC_STOPPING)
		return MOS_EINVALSTATE;
	if ((e = may_stop(s, actor, MOS_AUDIT_RESTART)) < 0)
		return e;
	s->restart_after_stop = true;
	mos__svc_stop(s, MOS_SVC_R_REQUEST, 0);
	return 0;
}

static int req_pause(mos_svc_t *s, mos_pid_t actor)
{
	(void)actor;
	if (s->state != MOS_SVC_RUNNING)
		return s->state == MOS_SVC_PAUSED ? MOS_EINVALSTATE
						  : MOS_ESVCNOTRUNNING;
	if (s->type == MOS_SVC_GROUP)
		for (uint32_t i = 0; i < s->nmembers; i++)
			if (s->members[i]->state == MOS_SVC_RUNNING)
				req_pause(s->members[i], 0);
	mos__svc_signal(s, MOS_SIGSTOP);
	mos__svc_set_state(s, MOS_SVC_PAUSED, MOS_SVC_R_REQUEST, 0, 0);
	return 0;
}

static int req_resume(mos_svc_t *s, mos_pid_t actor)
{
	(void)actor;
	if (s->state != MOS_SVC_PAUSED)
		return MOS_ESVCNOTRUNNING;
	if (s->type == MOS_SVC_GROUP)
		for (uint32_t i = 0; i < s->nmembers; i++)
			if (s->members[i]->state == MOS_SVC_PAUSED)
				req_resume(s->members[i], 0);
	mos__svc_signal(s, MOS_SIGCONT);
	mos__svc_set_state(s, MOS_SVC_RUNNING, MOS_SVC_R_REQUEST, 0, 0);
	return 0;
}

static int req_enable(mos_svc_t *s, mos_pid_t actor)
{
	(void)actor;
	s->enabled = true;
	if (s->state == MOS_SVC_DISABLED)
		mos__svc_set_state(s, MOS_SVC_STOPPED, MOS_SVC_R_REQUEST, 0, 0);
	return 0;
}

static int req_disable(mos_svc_t *s, mos_pid_t actor)
{
	(void)actor;
	s->enabled = false;
	if (s->state == MOS_SVC_STOPPED || s->state == MOS_SVC_FAILED) {
		mos__svc_disarm(s); /* a cooldown's retry, say */
		mos__svc_set_state(s, MOS_SVC_DISABLED, MOS_SVC_R_REQUEST, 0, 0);
	}
	return 0;
}

static int request(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id,
		   mos_audit_op_t op, request_fn fn)
{
	mos_svc_t *s;
	mos_uid_t uid;
	int e;

	if ((e = mos__svc_lookup(k, actor, id, op, &s, &uid)) < 0)
		return e;
	mos__host_clock_sync(k);
	e = fn(s, actor);
	mos__svc_audit(s->m, uid, op, s, s->id, e, MOS_SVC_R_REQUEST);
	return e;
}

int mos_service_start(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_START, req_start);
}

int mos_service_stop(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_STOP, req_stop);
}

int mos_service_restart(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_RESTART, req_restart);
}

int mos_service_pause(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_PAUSE, req_pause);
}

int mos_service_resume(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_RESUME, req_resume);
}

int mos_service_enable(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_ENABLE, req_enable);
}

int mos_service_disable(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id)
{
	return request(k, actor, id, MOS_AUDIT_DISABLE, req_disable);
}

/* ---- stopping everything ---------------------------------------------- */

/* stop_all's wave of a type: the system's own services last. */
static uint8_t wave_of(const mos_svc_t *s)
{
	switch (s->type) {
	case MOS_SVC_SYSTEM:
		return 3;
	case MOS_SVC_MONITORING:
	case MOS_SVC_DISCOVERY:
		return 2;
	default:
		return 1;
	}
}

/* m->stop_wave's flag while a wave's stops are being issued: a service
 * that stops at once (an empty group) calls stop_all_progress back
 * before the wave's later services were asked; the wave is looked at
 * once they all were. */
#define WAVE_ISSUING 0x80

/* Stop the services of wave w that are up (by id): those the actor may
 * stop, cascade included. */
static void stop_wave(mos_svc_mgr_t *m, uint8_t w)
{
	m->stop_wave = w | WAVE_ISSUING;
	for (uint32_t i = 0; i < m->nids; i++) {
		mos_svc_t *s = m->by_id[i];

		if (!s || wave_of(s) != w || !mos__svc_is_up(s) || s->state == MOS_SVC_STOPPING)
			continue;
		if (mos__svc_may(m, m->stop_actor, s, MOS_AUDIT_STOP) < 0 ||
		    may_stop(s, m->stop_actor, MOS_AUDIT_STOP) < 0)
			continue;
		s->want_up = false;
		s->dep_stopped = false;
		mos__svc_stop(s, MOS_SVC_R_REQUEST, 0);
	}
	m->stop_wave = w;
}

/* Whether something of wave w is still Stopping. */
static bool wave_busy(const mos_svc_mgr_t *m, uint8_t w)
{
	for (uint32_t i = 0; i < m->nids; i++) {
		const mos_svc_t *s = m->by_id[i];

		if (s && wave_of(s) == w && s->state == MOS_SVC_STOPPING)
			return true;
	}
	return false;
}

void mos__svc_stop_all_progress(mos_svc_mgr_t *m)
{
	uint8_t w = m->stop_wave;

	/* The wave is over once nothing of it is Stopping (what the actor
	 * may not stop stays up, and does not hold the rest). */
	if ((w & WAVE_ISSUING) || wave_busy(m, w))
		return;
	while (++w <= 3) {
		stop_wave(m, w);
		if (wave_busy(m, w))
			return; /* this wave's stops call back when done */
	}
	m->stop_wave = 0;
}

int mos_service_stop_all(mos_kernel_t *k, mos_pid_t actor, size_t *n)
{
	mos_svc_mgr_t *m;
	size_t c = 0;
	mos_uid_t uid = 0;
	int e;

	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	/* The actor first: a fresh kernel (no manager yet) checks it too. */
	if (!(m = mos__svc_mgr(k)))
		return MOS_ENOMEM;
	if ((e = mos__svc_actor_uid(m, actor, &uid)) < 0)
		return e;
	if (n)
		*n = 0;
	if (m->stop_wave)
		return 0; /* one is under way */
	mos__host_clock_sync(k);
	for (uint32_t i = 0; i < m->nids; i++)
		if (m->by_id[i] && mos__svc_is_up(m->by_id[i]) &&
		    m->by_id[i]->state != MOS_SVC_STOPPING)
			c++;
	m->stop_actor = actor;
	m->stop_wave = 0;
	/* Wave 1 (or the first with anything to stop); the rest follow as
	 * each wave ends (dependents_notice). */
	mos__svc_stop_all_progress(m);
	if (n)
		*n = c;
	return 0;
}
