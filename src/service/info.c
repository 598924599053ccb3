/*
 * src/service/info.c - snapshots of a service for its readers: its state
 * (mos_service_status) and what it was registered with, every default
 * resolved (mos_service_info).  Both copy out of the manager and borrow
 * only strings, which live until the service is unregistered.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service_int.h"

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
	for (uint32_t j = 0; j < s->ndeps; j++)
		if (s->deps[j].skipped)
			st->skipped[st->nskipped++] = s->deps[j].dep->id;
	mos__svc_rt_status(s, st);
	mos__svc_health_status(s, st);
	return 0;
}

int mos_service_instances(mos_kernel_t *k, mos_service_id_t id,
			  mos_service_instance_t *out, size_t cap, size_t *n)
{
	mos_svc_t *s;

	if (!k || (cap && !out))
		return MOS_EINVAL;
	if (!(s = mos__svc_get(mos__svc_mgr_peek(k), id)))
		return MOS_ESVCNOTFOUND;
	for (uint32_t i = 0; i < s->instances && i < cap; i++) {
		mos_service_instance_t *o = &out[i];

		memset(o, 0, sizeof(*o));
		o->slot = i;
		o->pid = s->inst[i].pid;
		o->ready = s->inst[i].ready;
		o->unready = s->inst[i].unready;
		o->weight = s->weights ? s->weights[i] : 1;
		mos__svc_rt_instance(s, i, o);
		mos__svc_health_instance(s, i, o);
	}
	if (n)
		*n = s->instances;
	return 0;
}

int mos_service_instance_pids(mos_kernel_t *k, mos_service_id_t id,
			      mos_pid_t *pids, size_t cap, size_t *n)
{
	mos_svc_t *s;

	if (!k || (cap && !pids))
		return MOS_EINVAL;
	if (!(s = mos__svc_get(mos__svc_mgr_peek(k), id)))
		return MOS_ESVCNOTFOUND;
	for (uint32_t i = 0; i < s->instances && i < cap; i++)
		pids[i] = s->inst[i].pid;
	if (n)
		*n = s->instances;
	return 0;
}

/* ns to whole ms: the descriptor's unit (it was given in ms). */
static uint32_t to_ms(mos_time_t t)
{
	mos_time_t v = t / 1000000;

	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void version_text(const mos_semver_t *v, char *out, size_t cap)
{
	snprintf(out, cap, "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "%s%s%s%s",
		 v->major, v->minor, v->patch, v->pre[0] ? "-" : "", v->pre,
		 v->build[0] ? "+" : "", v->build);
}

/* The runtime's fields; empty lists as empty arrays, never NULL. */
static void runtime_info(const mos_svc_t *s, mos_service_info_t *in)
{
	static const char *const none[] = {NULL};
	static const uint32_t no_ids[1] = {0};

	in->balance = s->balance;
	in->weights = s->weights ? s->weights : no_ids;
	in->nweights = s->nweights;
	in->vnodes = s->vnodes;
	in->liveness_probe = s->liveness_probe;
	in->readiness_probe = s->readiness_probe;
	in->importance = s->importance;
	in->retry = s->retry;
	in->allow_uids = s->allow_uids ? s->allow_uids : no_ids;
	in->nallow_uids = s->nallow_uids;
	in->allow_gids = s->allow_gids ? s->allow_gids : no_ids;
	in->nallow_gids = s->nallow_gids;
	in->allow_services = s->allow_services
		? (const char *const *)s->allow_services : none;
	in->nallow_services = s->nallow_services;
	in->encrypted = s->encrypted;
	in->encryption_cost = s->encryption_cost;
	in->backends = s->backends ? (const char *const *)s->backends : none;
	in->nbackends = s->nbackends;
	in->request_timeout_ms = to_ms(s->request_timeout);
}

int mos_service_info(mos_kernel_t *k, mos_service_id_t id,
		     mos_service_info_t *in)
{
	static const char *const none[] = {NULL};
	mos_svc_t *s;

	if (!k || !in)
		return MOS_EINVAL;
	if (!(s = mos__svc_get(mos__svc_mgr_peek(k), id)))
		return MOS_ESVCNOTFOUND;
	memset(in, 0, sizeof(*in));
	in->id = s->id;
	in->name = s->name;
	in->type = s->type;
	version_text(&s->version, in->version, sizeof(in->version));
	in->command = (const char *const *)s->command;
	in->working_directory = s->working_directory ? s->working_directory
						     : "/";
	in->environment = s->environment ? (const char *const *)s->environment
					 : none;
	in->tags = s->tags ? (const char *const *)s->tags : none;
	in->uid = s->uid;
	in->gid = s->gid;
	in->caps = s->caps;
	in->isolation = s->isolation;
	in->priority = s->priority;
	in->prio_class = s->prio_class;
	in->instances = s->instances;
	in->ndeps = s->ndeps;
	for (uint32_t j = 0; j < s->ndeps; j++) {
		const mos_svc_edge_t *e = &s->deps[j];

		in->deps[j] = (mos_service_dep_t){
			.name = e->dep->name,
			.required = e->required,
			.timeout_ms = to_ms(e->timeout),
			.version = e->has_req ? e->req_text : NULL,
		};
	}
	in->restart = s->restart;
	in->has_limits = s->has_limits;
	in->limits = s->limits;
	in->has_group_limits = s->has_group_limits;
	in->group_limits = s->group_limits;
	in->member_of = s->group ? s->group->id : 0;
	in->supervisor = s->sup;
	in->start_timeout_ms = to_ms(s->start_timeout);
	in->stop_timeout_ms = to_ms(s->stop_timeout);
	in->readiness = s->readiness;
	in->ndependents = s->ndependents;
	in->nmembers = s->nmembers;
	runtime_info(s, in);
	return 0;
}
