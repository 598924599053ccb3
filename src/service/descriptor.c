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

static void strv_free(const mos_allocator_t *a, char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		mos__free(a, *p);
	mos__free(a, v);
}

void mos__svc_free(mos_svc_mgr_t *m, mos_svc_t *s)
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

int mos__svc_bad(mos_error_t *err, const mos_svc_where_t *w, int code,
		const char *key, const char *fmt, ...)
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
int mos__svc_make(mos_svc_mgr_t *m, const mos_svc_actor_t *ac,
		  const mos_service_descriptor_t *d, const mos_svc_where_t *w,
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
		return mos__svc_bad(err, w, MOS_EINVAL, "name",
			   "a name is 1 to %d of [A-Za-z0-9._@-]",
			   MOS_SVC_NAME_LEN - 1);
	if ((unsigned)d->type >= MOS_SVC_TYPE_COUNT)
		return mos__svc_bad(err, w, MOS_EINVAL, "type", "unknown service type");
	if (d->type == MOS_SVC_GROUP ? d->command != NULL || d->instances != 0
				     : !d->command || !d->command[0])
		return mos__svc_bad(err, w, MOS_EINVAL, d->type == MOS_SVC_GROUP ? "command" : "command",
			   d->type == MOS_SVC_GROUP
				   ? "a ServiceGroup has no command and no instances"
				   : "a command is needed");
	if (d->command && !mos__kernel_has_program(m->k, d->command[0]))
		return mos__svc_bad(err, w, MOS_ENOPROG, "command[0]",
			   "\"%s\" is not a registered program", d->command[0]);
	if (d->type != MOS_SVC_GROUP &&
	    (d->instances == 0 || d->instances > MOS_SVC_MAX_INSTANCES))
		return mos__svc_bad(err, w, MOS_EINVAL, "instances", "1 to %d instances",
			   MOS_SVC_MAX_INSTANCES);
	if (d->ndeps > MOS_SVC_MAX_DEPS || (d->ndeps && !d->deps))
		return mos__svc_bad(err, w, MOS_EINVAL, "dependencies",
			   "at most %d dependencies", MOS_SVC_MAX_DEPS);
	/* The start limit's ring and a group's are allocated: bounded.  A
	 * zero delay with no start limit would restart forever at one
	 * instant: the run would never end. */
	if ((unsigned)d->restart.policy >= MOS_RESTART_COUNT ||
	    d->restart.multiplier == 0 || d->restart.max_restarts == 0 ||
	    d->restart.max_restarts > MOS_SVC_MAX_RESTARTS ||
	    d->restart.delay > d->restart.max_delay ||
	    (d->restart.delay == 0 && d->restart.window == 0))
		return mos__svc_bad(err, w, MOS_EINVAL, "restart",
			   "policy, multiplier >= 1, max_restarts 1 to %d, "
			   "delay <= max_delay, a delay or a window",
			   MOS_SVC_MAX_RESTARTS);
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
	if (!(s = mos__calloc(a, 1, sizeof(*s))))
		return MOS_ENOMEM;
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
		mos__svc_free(m, s);
		return MOS_ENOMEM;
	}
	s->ndeps = (uint32_t)d->ndeps;
	for (size_t i = 0; i < d->ndeps; i++) {
		const mos_service_dep_t *dp = &d->deps[i];
		mos_svc_edge_t *e2 = &s->deps[i];
		char key[48];

		snprintf(key, sizeof(key), "dependencies[%zu]", i);
		if (!dp->name || !name_ok(dp->name)) {
			e = mos__svc_bad(err, w, MOS_EINVAL, key, "a dependency names a service");
			goto fail;
		}
		e2->required = dp->required;
		e2->timeout = ms(dp->timeout_ms ? dp->timeout_ms
						: cfg->service_timeout_ms);
		if (dp->version) {
			snprintf(key, sizeof(key), "dependencies[%zu].version", i);
			if (mos__semver_req_parse(dp->version, &e2->req, &pos) < 0) {
				e = mos__svc_bad(err, w, MOS_ECONFIG, key,
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
	mos__svc_free(m, s);
	return e;
}

