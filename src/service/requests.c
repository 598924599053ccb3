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

/* ---- the requests ----------------------------------------------------- */

typedef int (*request_fn)(mos_svc_t *s);

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

static int req_start(mos_svc_t *s)
{
	mos_svc_mgr_t *m = s->m;
	mos_svc_t **order;
	size_t n = 0;
	uint64_t need = 0;
	int e;

	if (s->state == MOS_SVC_DISABLED)
		return MOS_EINVALSTATE;
	if (mos__svc_is_up(s))
		return MOS_ESVCNOTSTOPPED;
	if (!(order = mos__svc_start_list(s, &n)))
		return MOS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (order[i]->state != MOS_SVC_DISABLED)
			need += order[i]->instances;
	if ((e = check_versions(m, order, n)) == 0 &&
	    need > mos__kernel_config(m->k)->max_service_processes -
			   m->live_instances)
		e = MOS_EEXHAUSTED;
	if (e == 0) {
		s->restart_after_stop = false;
		mos__svc_start_these(s, order, n, MOS_SVC_R_REQUEST);
	}
	mos__free(m->a, order);
	return e;
}

static int req_stop(mos_svc_t *s)
{
	if (!mos__svc_is_up(s) || s->state == MOS_SVC_STOPPING)
		return MOS_ESVCNOTRUNNING;
	s->want_up = false;
	s->dep_stopped = false;
	mos__svc_stop(s, MOS_SVC_R_REQUEST, 0);
	return 0;
}

static int req_restart(mos_svc_t *s)
{
	if (s->state == MOS_SVC_DISABLED)
		return MOS_EINVALSTATE;
	if (down(s))
		return req_start(s);
	if (s->state == MOS_SVC_STOPPING)
		return MOS_EINVALSTATE;
	s->restart_after_stop = true;
	mos__svc_stop(s, MOS_SVC_R_REQUEST, 0);
	return 0;
}

static int req_pause(mos_svc_t *s)
{
	if (s->state != MOS_SVC_RUNNING)
		return s->state == MOS_SVC_PAUSED ? MOS_EINVALSTATE
						  : MOS_ESVCNOTRUNNING;
	if (s->type == MOS_SVC_GROUP)
		for (uint32_t i = 0; i < s->nmembers; i++)
			if (s->members[i]->state == MOS_SVC_RUNNING)
				req_pause(s->members[i]);
	mos__svc_signal(s, MOS_SIGSTOP);
	mos__svc_set_state(s, MOS_SVC_PAUSED, MOS_SVC_R_REQUEST, 0, 0);
	return 0;
}

static int req_resume(mos_svc_t *s)
{
	if (s->state != MOS_SVC_PAUSED)
		return MOS_ESVCNOTRUNNING;
	if (s->type == MOS_SVC_GROUP)
		for (uint32_t i = 0; i < s->nmembers; i++)
			if (s->members[i]->state == MOS_SVC_PAUSED)
				req_resume(s->members[i]);
	mos__svc_signal(s, MOS_SIGCONT);
	mos__svc_set_state(s, MOS_SVC_RUNNING, MOS_SVC_R_REQUEST, 0, 0);
	return 0;
}

static int req_enable(mos_svc_t *s)
{
	s->enabled = true;
	if (s->state == MOS_SVC_DISABLED)
		mos__svc_set_state(s, MOS_SVC_STOPPED, MOS_SVC_R_REQUEST, 0, 0);
	return 0;
}

static int req_disable(mos_svc_t *s)
{
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
	e = fn(s);
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

/* Stop the services of wave w that are up (by id); the number asked. */
static size_t stop_wave(mos_svc_mgr_t *m, uint8_t w)
{
	size_t c = 0;

	for (uint32_t i = 0; i < m->nids; i++) {
		mos_svc_t *s = m->by_id[i];

		if (!s || wave_of(s) != w || !mos__svc_is_up(s) || s->state == MOS_SVC_STOPPING)
			continue;
		if (mos__svc_may(m, m->stop_actor, s, MOS_AUDIT_STOP) < 0)
			continue;
		s->want_up = false;
		s->dep_stopped = false;
		mos__svc_stop(s, MOS_SVC_R_REQUEST, 0);
		c++;
	}
	return c;
}

void mos__svc_stop_all_progress(mos_svc_mgr_t *m)
{
	uint8_t w = m->stop_wave;

	/* The wave is over once nothing of it is up (what the actor may
	 * not stop excepted: it stays up, and does not hold the rest). */
	for (uint32_t i = 0; i < m->nids; i++) {
		mos_svc_t *s = m->by_id[i];

		if (s && wave_of(s) == w && s->state == MOS_SVC_STOPPING)
			return;
	}
	while (++w <= 3) {
		m->stop_wave = w;
		if (stop_wave(m, w))
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
	if (!(m = mos__svc_mgr_peek(k)) || m->stop_wave) {
		if (n)
			*n = 0;
		return 0;
	}
	if ((e = mos__svc_actor_uid(m, actor, &uid)) < 0)
		return e;
	mos__host_clock_sync(k);
	for (uint32_t i = 0; i < m->nids; i++)
		if (m->by_id[i] && mos__svc_is_up(m->by_id[i]) &&
		    m->by_id[i]->state != MOS_SVC_STOPPING)
			c++;
	m->stop_actor = actor;
	m->stop_wave = 0;
	/* Wave 1 (or the first with anything up); the rest follow as each
	 * wave ends (dependents_notice). */
	for (uint8_t w = 1; w <= 3; w++) {
		m->stop_wave = w;
		if (stop_wave(m, w)) {
			if (m->stop_wave == w) /* it may have ended at once */
				mos__svc_stop_all_progress(m);
			break;
		}
	}
	if (m->stop_wave && m->stop_wave <= 3) {
		bool any = false;

		for (uint32_t i = 0; i < m->nids; i++)
			if (m->by_id[i] && m->by_id[i]->state == MOS_SVC_STOPPING)
				any = true;
		if (!any)
			m->stop_wave = 0;
	}
	if (n)
		*n = c;
	return 0;
}

