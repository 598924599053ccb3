/*
 * src/service/lifecycle.c - a service's states and the requests that move
 * it: start (dependencies first), stop (dependents first), restart,
 * pause, resume, enable, disable; instances made and signalled; exits
 * learnt from a deferred MOS_KEV_EXITED subscription.
 *
 * Everything runs on the host stack: a request from the host, a timer of
 * the service, or the deferred exit event.  A service has one timer, for
 * whatever its state waits on (mos_svc_timer_use_t).  docs/SERVICES.md
 * has the transition table this file implements.
 */
#include <stdlib.h>
#include <string.h>

#include "service_int.h"
#include "util/alloc.h"
#include "util/timemath.h"


static bool down(const mos_svc_t *s) { return !mos__svc_is_up(s); }

static mos_time_t now_of(const mos_svc_t *s) { return mos_kernel_now(s->m->k); }

/* ---- states, events, the timer ---------------------------------------- */

static void dependents_notice(mos_svc_t *s);

void mos__svc_set_state(mos_svc_t *s, mos_service_state_t st,
			mos_svc_reason_t why, int error,
			mos_service_id_t culprit)
{
	mos_svc_mgr_t *m = s->m;
	mos_service_state_t from = s->state;
	mos_kevent_t ev = {.type = MOS_KEV_SERVICE, .status = (int)st,
			   .a = s->id, .b = why};

	s->state = st;
	s->since = now_of(s);
	s->reason = why;
	s->error = error;
	s->culprit = culprit;
	if (st == MOS_SVC_RUNNING)
		s->up_since = s->since;
	if (st != MOS_SVC_STARTING && st != MOS_SVC_STOPPING)
		s->phase = MOS_SVC_P_IDLE;
	mos__trace_emit(m->k, MOS_TRACE_SERVICE, (int32_t)s->id, (uint8_t)why,
			from, st);
	mos__kev_emit(m->k, &ev, NULL);
	mos__svc_audit(m, 0, MOS_AUDIT_STATE, s, s->id, (int)st, why)->culprit =
		culprit;
	mos__svc_health_state(s, from);
	if (from != st)
		dependents_notice(s);
}

void mos__svc_arm(mos_svc_t *s, mos_svc_timer_use_t use, mos_time_t due)
{
	s->timer_use = use;
	s->timer_due = due;
	mos__ktimer_arm(s->m->k, &s->timer, due, MOS_BAND_SERVICE);
}

void mos__svc_disarm(mos_svc_t *s)
{
	if (s->timer_use == MOS_SVC_T_NONE)
		return;
	s->timer_use = MOS_SVC_T_NONE;
	mos__ktimer_cancel(s->m->k, &s->timer);
}

/* ---- instances -------------------------------------------------------- */

static int pid_slot(const mos_svc_mgr_t *m, mos_pid_t pid)
{
	uint32_t lo = 0, hi = m->npids;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->pids[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo;
}

/* A probe process (health.c) is in the index too, for its exit, but is
 * no instance: not for the allow list, not for notify_ready. */
mos_svc_t *mos__svc_of_pid(mos_svc_mgr_t *m, mos_pid_t pid)
{
	int i = pid_slot(m, pid);

	if ((uint32_t)i == m->npids || m->pids[i].pid != pid ||
	    m->pids[i].probe)
		return NULL;
	return mos__svc_get(m, m->pids[i].id);
}

/* Room for one more pid, so that pid_add cannot fail. */
static int pid_room(mos_svc_mgr_t *m)
{
	uint32_t cap = m->pids_cap ? m->pids_cap * 2 : 16;
	void *v;

	if (m->npids < m->pids_cap)
		return 0;
	if (!(v = mos__realloc_array(m->a, m->pids, cap, sizeof(*m->pids))))
		return MOS_ENOMEM;
	m->pids = v;
	m->pids_cap = cap;
	return 0;
}

static void pid_add(mos_svc_mgr_t *m, mos_pid_t pid, mos_service_id_t id,
		    bool probe)
{
	int i = pid_slot(m, pid);

	memmove(&m->pids[i + 1], &m->pids[i],
		(m->npids - (uint32_t)i) * sizeof(*m->pids));
	m->pids[i].pid = pid;
	m->pids[i].id = id;
	m->pids[i].probe = probe;
	m->npids++;
}

/* The service of pid, taken out of the index (*probe: pid is a probe
 * process's); 0: none. */
static mos_service_id_t pid_take(mos_svc_mgr_t *m, mos_pid_t pid, bool *probe)
{
	int i = pid_slot(m, pid);
	mos_service_id_t id;

	if ((uint32_t)i == m->npids || m->pids[i].pid != pid)
		return 0;
	id = m->pids[i].id;
	*probe = m->pids[i].probe;
	memmove(&m->pids[i], &m->pids[i + 1],
		(m->npids - (uint32_t)i - 1) * sizeof(*m->pids));
	m->npids--;
	return id;
}

/* The resource group of s's instances: "services/NAME", made on first
 * use with s's group limits. */
static int rgroup_of(mos_svc_t *s, mos_group_id_t *out)
{
	mos_kernel_t *k = s->m->k;
	mos_group_id_t top;
	int e;

	if (s->rgroup) {
		*out = s->rgroup;
		return 0;
	}
	if (mos_group_find(k, "services", &top) < 0 &&
	    (e = mos_group_create(k, 0, "services", &top)) < 0)
		return e;
	if ((e = mos_group_create(k, top, s->name, out)) < 0 && e != MOS_EEXIST)
		return e;
	if (e == MOS_EEXIST) {
		char path[MOS_SVC_NAME_LEN + 16];

		strcpy(path, "services/");
		strcat(path, s->name);
		if ((e = mos_group_find(k, path, out)) < 0)
			return e;
	}
	if ((e = mos_group_set(k, *out, &s->group_limits)) < 0)
		return e;
	s->rgroup = *out;
	return 0;
}

/* A process of s running command, with s's credentials. */
static void spec_of(const mos_svc_t *s, const char *const *command,
		    mos_process_spec_t *spec)
{
	mos_process_spec_init(spec);
	spec->priority = s->priority;
	spec->prio_class = s->prio_class;
	spec->command = command;
	spec->working_directory = s->working_directory;
	spec->environment = (const char *const *)s->environment;
	spec->uid = s->uid;
	spec->gid = s->gid;
	spec->caps = s->caps;
	spec->isolation = s->isolation;
}

int mos__svc_spawn_probe(mos_svc_t *s, const char *const *command,
			 mos_pid_t *pid)
{
	mos_process_spec_t spec;
	int e;

	spec_of(s, command, &spec);
	if ((e = pid_room(s->m)) < 0 ||
	    (e = mos_process_create(s->m->k, &spec, pid)) < 0)
		return e;
	pid_add(s->m, *pid, s->id, true);
	return 0;
}

int mos__svc_spawn(mos_svc_t *s, uint32_t i)
{
	mos_svc_mgr_t *m = s->m;
	const mos_config_t *cfg = mos__kernel_config(m->k);
	mos_process_spec_t spec;
	mos_group_id_t g;
	mos_pid_t pid;
	int e;

	if (m->live_instances >= cfg->max_service_processes)
		return MOS_EEXHAUSTED;
	spec_of(s, (const char *const *)s->command, &spec);
	spec.flags = MOS_PROC_SERVICE;
	if ((e = pid_room(m)) < 0 || (e = mos_process_create(m->k, &spec, &pid)) < 0)
		return e;
	if ((s->has_limits &&
	     (e = mos_process_set_limits(m->k, pid, &s->limits, &s->limits)) < 0) ||
	    (s->has_group_limits &&
	     ((e = rgroup_of(s, &g)) < 0 || (e = mos_group_attach(m->k, g, pid)) < 0))) {
		mos_process_terminate(m->k, pid, true);
		return e;
	}
	pid_add(m, pid, s->id, false);
	s->inst[i] = (mos_svc_inst_t){.pid = pid,
				      .ready = s->readiness == MOS_READY_SIMPLE};
	s->live++;
	m->live_instances++;
	if (s->inst[i].ready)
		s->ready++;
	mos__svc_health_spawned(s, i);
	return 0;
}

/* Each instance leads a process group of its own (a child of init
 * does): the signal goes to the group, so what an instance spawned gets
 * it too, as systemd's KillMode=control-group. */
void mos__svc_signal(mos_svc_t *s, int sig)
{
	for (uint32_t i = 0; i < s->instances; i++)
		if (s->inst[i].pid)
			(void)mos_process_send_signal(s->m->k, -s->inst[i].pid,
						      sig);
}

/* ---- starting --------------------------------------------------------- */


/* Every instance is ready: Running. */
static void check_ready(mos_svc_t *s)
{
	if (s->state != MOS_SVC_STARTING || s->phase != MOS_SVC_P_SPAWNED ||
	    s->ready < s->instances)
		return;
	mos__svc_disarm(s);
	s->next_restart = MOS_TIME_NEVER;
	s->timed_out = false;
	mos__svc_set_state(s, MOS_SVC_RUNNING, MOS_SVC_R_READY, 0, 0);
}

/* A group starts its members in member order; it is Running once they
 * all are. */
static void group_progress(mos_svc_t *g)
{
	for (uint32_t i = 0; i < g->nmembers; i++)
		if (g->members[i]->state != MOS_SVC_RUNNING)
			return;
	mos__svc_disarm(g);
	mos__svc_set_state(g, MOS_SVC_RUNNING, MOS_SVC_R_READY, 0, 0);
}

/* Member x of g, which is Starting, failed to start: as an OTP
 * supervisor whose child fails to start, g's start fails (reason
 * supervisor, x's error, culprit x) and its other members are stopped,
 * the latest first.  Not a death: g's own group is not told. */
static void group_start_failed(mos_svc_t *g, mos_svc_t *x)
{
	g->want_up = false;
	for (uint32_t i = 0; i < g->nmembers; i++)
		g->members[i]->sup_restart = false;
	mos__svc_fail(g, MOS_SVC_R_SUPERVISOR, x->error, x->id);
	for (uint32_t i = g->nmembers; i-- > 0;)
		if (mos__svc_is_up(g->members[i]))
			mos__svc_stop(g->members[i], MOS_SVC_R_SUPERVISOR, x->id);
}

static void spawn_all(mos_svc_t *s)
{
	s->phase = MOS_SVC_P_SPAWNED;
	if (s->type == MOS_SVC_GROUP) {
		for (uint32_t i = 0; i < s->nmembers; i++) {
			mos_svc_t *x = s->members[i];

			if (down(x))
				mos__svc_start(x, MOS_SVC_R_SUPERVISOR);
			else if (x->state == MOS_SVC_STOPPING)
				x->sup_restart = true; /* started once down
							  (mos__svc_sup_check) */
		}
		if (s->state == MOS_SVC_STARTING)
			group_progress(s);
		return;
	}
	mos__svc_arm(s, MOS_SVC_T_START, mos__time_add_sat(now_of(s),
							   s->start_timeout));
	for (uint32_t i = 0; i < s->instances; i++) {
		int e = s->inst[i].pid ? 0 : mos__svc_spawn(s, i);

		if (e < 0) {
			mos__svc_fail(s, MOS_SVC_R_SPAWN, e, 0);
			return;
		}
	}
	check_ready(s);
}

/* A Starting service waiting on its dependencies looks at them again. */
static void deps_progress(mos_svc_t *s)
{
	mos_time_t now = now_of(s), next = MOS_TIME_NEVER;

	if (s->state != MOS_SVC_STARTING || s->phase != MOS_SVC_P_DEPS)
		return;
	for (uint32_t j = 0; j < s->ndeps; j++) {
		mos_svc_edge_t *e = &s->deps[j];
		mos_svc_t *d = e->dep;
		mos_time_t due = mos__time_add_sat(s->wait_since, e->timeout);

		if (d->state == MOS_SVC_RUNNING || d->state == MOS_SVC_PAUSED)
			continue;
		if (d->state == MOS_SVC_STARTING && due > now) {
			if (due < next)
				next = due;
			continue;
		}
		bool late = d->state == MOS_SVC_STARTING;
		mos_svc_reason_t why = late ? MOS_SVC_R_TIMEOUT
					    : MOS_SVC_R_DEPENDENCY;
		int code = late ? MOS_ETIMEDOUT : MOS_EDEPEND;

		if (e->required) {
			mos__svc_fail(s, why, code, d->id);
			return;
		}
		if (!e->skipped) {
			/* an optional one that failed: recorded, go on */
			e->skipped = true;
			mos__svc_audit(s->m, 0, MOS_AUDIT_DEP_SKIPPED, s, s->id,
				       code, why)->culprit = d->id;
		}
	}
	if (next != MOS_TIME_NEVER) {
		mos__svc_arm(s, MOS_SVC_T_DEPS, next);
		return;
	}
	mos__svc_disarm(s);
	spawn_all(s);
}

/* The services a start of s brings up, in order (what is up already is
 * left out): an array the caller frees, or NULL (MOS_ENOMEM). */
mos_svc_t **mos__svc_start_list(mos_svc_t *s, size_t *n)
{
	mos_svc_t **order = mos__malloc_array(s->m->a, (size_t)s->m->nids + 1,
					      sizeof(*order));

	if (order &&
	    mos__svc_order(s->m, s, true, order, (size_t)s->m->nids + 1, n) < 0) {
		mos__free(s->m->a, order);
		order = NULL;
	}
	return order;
}

void mos__svc_start_these(mos_svc_t *s, mos_svc_t **order, size_t n,
			  mos_svc_reason_t why)
{
	for (size_t i = 0; i < n; i++) {
		mos_svc_t *x = order[i];

		if (mos__svc_is_up(x) || x->state == MOS_SVC_DISABLED)
			continue; /* a start of an earlier one brought it up */
		mos__svc_disarm(x);
		if (x->state == MOS_SVC_FAILED || x == s) {
			/* A new start: the start limit and the back-off
			 * start over (systemctl reset-failed, then start) */
			x->nrecent = x->recent_head = 0;
			x->backoff_step = 0;
		}
		x->sup_n = x->sup_head = 0; /* a supervisor starts afresh */
		x->want_up = true;
		x->dep_stopped = false;
		x->timed_out = false;
		x->wait_since = now_of(x);
		for (uint32_t j = 0; j < x->ndeps; j++)
			x->deps[j].skipped = false;
		x->phase = MOS_SVC_P_DEPS;
		mos__svc_set_state(x, MOS_SVC_STARTING,
				   x == s ? why : MOS_SVC_R_REQUEST, 0, 0);
		deps_progress(x);
	}
}

int mos__svc_start(mos_svc_t *s, mos_svc_reason_t why)
{
	size_t n = 0;
	mos_svc_t **order = mos__svc_start_list(s, &n);

	if (!order)
		return MOS_ENOMEM;
	mos__svc_start_these(s, order, n, why);
	mos__free(s->m->a, order);
	return 0;
}

/* ---- stopping --------------------------------------------------------- */

static bool dependents_down(const mos_svc_t *s)
{
	for (uint32_t i = 0; i < s->ndependents; i++)
		if (mos__svc_is_up(s->dependents[i]))
			return false;
	return true;
}

/* Every instance is gone: Stopped (or what the stop was for). */
static void stopped(mos_svc_t *s)
{
	mos__svc_cancel_restarts(s);
	mos__svc_set_state(s, s->enabled ? MOS_SVC_STOPPED : MOS_SVC_DISABLED,
			   s->reason, s->error, s->culprit);
	if (s->restart_after_stop) {
		s->restart_after_stop = false;
		mos__svc_start(s, MOS_SVC_R_REQUEST);
	} else if (s->sup_restart && s->group) {
		mos__svc_sup_check(s->group);
	}
}

/* Its dependents are down: SIGTERM (and SIGCONT, for paused ones), and
 * SIGKILL at the stop timeout; a group stops its members instead,
 * latest first.  Called again as things go down: Stopped once nothing
 * of it is left. */
static void stop_signal(mos_svc_t *s)
{
	if (s->state != MOS_SVC_STOPPING)
		return;
	if (s->phase == MOS_SVC_P_STOP_DEPENDENTS) {
		if (!dependents_down(s))
			return;
		s->phase = MOS_SVC_P_STOP_SIGNALLED;
		if (s->type == MOS_SVC_GROUP) {
			/* A group going down restarts none of them. */
			for (uint32_t i = 0; i < s->nmembers; i++)
				s->members[i]->sup_restart = false;
			for (uint32_t i = s->nmembers; i-- > 0;)
				if (mos__svc_is_up(s->members[i]))
					mos__svc_stop(s->members[i], s->reason,
						      s->culprit);
		} else if (s->live) {
			mos__svc_arm(s, MOS_SVC_T_KILL,
				     mos__time_add_sat(now_of(s), s->stop_timeout));
			mos__svc_signal(s, MOS_SIGTERM);
			mos__svc_signal(s, MOS_SIGCONT);
		}
	}
	/* The members' stops may have ended it already. */
	if (s->state != MOS_SVC_STOPPING || s->phase != MOS_SVC_P_STOP_SIGNALLED)
		return;
	if (s->type == MOS_SVC_GROUP) {
		for (uint32_t i = 0; i < s->nmembers; i++)
			if (mos__svc_is_up(s->members[i]))
				return;
	} else if (s->live) {
		return;
	}
	stopped(s);
}

static void stop_one(mos_svc_t *s, mos_svc_reason_t why,
		     mos_service_id_t culprit)
{
	if (!mos__svc_is_up(s) || s->state == MOS_SVC_STOPPING)
		return;
	mos__svc_cancel_restarts(s);
	s->phase = MOS_SVC_P_STOP_DEPENDENTS;
	mos__svc_set_state(s, MOS_SVC_STOPPING, why, 0, culprit);
}

void mos__svc_stop(mos_svc_t *s, mos_svc_reason_t why,
		   mos_service_id_t culprit)
{
	mos_svc_mgr_t *m = s->m;
	mos_svc_t **st;
	uint32_t n = 0;

	/* Everything above s that is up, depth first; each is signalled
	 * once its own dependents are down (dependents first). */
	if (!(st = mos__malloc_array(m->a, (size_t)m->nids + 1, sizeof(*st)))) {
		stop_one(s, why, culprit); /* no memory: at least s */
		stop_signal(s);
		return;
	}
	st[n++] = s;
	stop_one(s, why, culprit);
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < st[i]->ndependents; j++) {
			mos_svc_t *d = st[i]->dependents[j];

			if (!mos__svc_is_up(d) || d->state == MOS_SVC_STOPPING)
				continue;
			stop_one(d, why == MOS_SVC_R_REQUEST ? MOS_SVC_R_REQUEST
							     : why,
				 culprit ? culprit : s->id);
			st[n++] = d;
		}
	for (uint32_t i = n; i-- > 0;)
		stop_signal(st[i]);
	mos__free(m->a, st);
}

/* ---- failing ---------------------------------------------------------- */

void mos__svc_cancel_restarts(mos_svc_t *s)
{
	mos__svc_disarm(s);
	s->next_restart = MOS_TIME_NEVER;
	s->restart_due_any = false;
	for (uint32_t i = 0; i < s->instances; i++)
		s->inst[i].restart_due = false;
}

void mos__svc_fail(mos_svc_t *s, mos_svc_reason_t why, int error,
		   mos_service_id_t culprit)
{
	mos__svc_cancel_restarts(s);
	if (s->live) {
		/* What is left is killed; Failed once it is gone would hide
		 * the cause: Failed now, the instances die after. */
		mos__svc_signal(s, MOS_SIGKILL);
	}
	mos__svc_set_state(s, MOS_SVC_FAILED, why, error, culprit);
}

/* s changed state: its dependents and its group look again. */
static void dependents_notice(mos_svc_t *s)
{
	for (uint32_t i = 0; i < s->ndependents; i++) {
		mos_svc_t *d = s->dependents[i];

		if (d->state == MOS_SVC_STARTING && d->phase == MOS_SVC_P_DEPS)
			deps_progress(d);
		else if (s->state == MOS_SVC_RUNNING && d->dep_stopped &&
			 d->want_up && down(d) && d->state != MOS_SVC_DISABLED)
			mos__svc_start(d, MOS_SVC_R_REQUEST);
	}
	if (down(s))
		for (uint32_t i = 0; i < s->ndeps; i++)
			stop_signal(s->deps[i].dep);
	if (s->group && s->group->state == MOS_SVC_STARTING &&
	    s->state == MOS_SVC_RUNNING)
		group_progress(s->group);
	if (s->group && s->group->state == MOS_SVC_STARTING &&
	    s->state == MOS_SVC_FAILED)
		group_start_failed(s->group, s);
	if (s->group && s->group->state == MOS_SVC_STOPPING && down(s))
		stop_signal(s->group);
	if (s->m->stop_wave && down(s))
		mos__svc_stop_all_progress(s->m);
}

/* A required dependency of theirs went down unasked: the dependents
 * that are up stop, to start again when it is back. */
static void dependency_lost(mos_svc_t *s)
{
	for (uint32_t i = 0; i < s->ndependents; i++) {
		mos_svc_t *d = s->dependents[i];
		bool required = false;

		for (uint32_t j = 0; j < d->ndeps; j++)
			if (d->deps[j].dep == s)
				required = d->deps[j].required;
		if (!required || !mos__svc_is_up(d) || d->state == MOS_SVC_STOPPING ||
		    (d->state == MOS_SVC_STARTING && d->phase == MOS_SVC_P_DEPS))
			continue;
		d->dep_stopped = true;
		mos__svc_stop(d, MOS_SVC_R_DEP_STOPPED, s->id);
	}
}

/* ---- timers and exits ------------------------------------------------- */

void mos__svc_timer_fired(mos_svc_t *s)
{
	mos_svc_timer_use_t use = s->timer_use;

	s->timer_use = MOS_SVC_T_NONE;
	switch (use) {
	case MOS_SVC_T_DEPS:
		deps_progress(s);
		break;
	case MOS_SVC_T_START:
		/* As systemd: the instances are killed and the death is a
		 * failure of cause "timeout", which the policy may restart. */
		if (!s->live) {
			mos__svc_fail(s, MOS_SVC_R_TIMEOUT, MOS_ETIMEDOUT, 0);
			break;
		}
		s->timed_out = true;
		mos__svc_signal(s, MOS_SIGKILL);
		break;
	case MOS_SVC_T_KILL:
		mos__svc_signal(s, MOS_SIGKILL);
		break;
	case MOS_SVC_T_RESTART:
		mos__svc_restart_due(s);
		break;
	case MOS_SVC_T_READY:
		check_ready(s);
		break;
	case MOS_SVC_T_COOLDOWN:
		if (s->state == MOS_SVC_FAILED && s->enabled)
			mos__svc_start(s, MOS_SVC_R_START_LIMIT);
		break;
	case MOS_SVC_T_NONE:
		break;
	}
}

/* The deferred MOS_KEV_EXITED of every process: an instance's? */
static void instance_exit(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	mos_svc_mgr_t *m = ud;
	bool probe = false;
	mos_service_id_t id = pid_take(m, ev->pid, &probe);
	mos_svc_t *s = mos__svc_get(m, id);
	uint32_t i;

	(void)k;
	if (!s)
		return;
	if (probe) {
		mos__svc_health_probe_exit(s, ev->pid, ev->status);
		return;
	}
	for (i = 0; i < s->instances && s->inst[i].pid != ev->pid; i++)
		;
	if (i == s->instances)
		return;
	mos__svc_health_gone(s, i);
	if (s->inst[i].ready)
		s->ready--;
	s->inst[i].pid = 0;
	s->inst[i].ready = false;
	s->live--;
	m->live_instances--;
	s->last_exit_status = ev->status;
	switch (s->state) {
	case MOS_SVC_STOPPING:
		stop_signal(s);
		break;
	case MOS_SVC_STARTING:
	case MOS_SVC_RUNNING:
	case MOS_SVC_PAUSED:
		dependency_lost(s);
		if (s->group && mos__svc_sup_member_died(s, i, ev->status))
			break;
		mos__svc_instance_died(s, i, ev->status);
		break;
	default:
		break; /* Failed: the rest of its instances dying */
	}
}

int mos__svc_lifecycle_init(mos_svc_mgr_t *m)
{
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_EXITED)};

	return mos_kernel_subscribe(m->k, &f, 0, instance_exit, m, &m->sub);
}

void mos__svc_lifecycle_fini(mos_svc_mgr_t *m)
{
	if (m->sub >= 0)
		(void)mos_kernel_unsubscribe(m->k, m->sub);
}

/* ---- readiness -------------------------------------------------------- */

int mos_sys_notify_ready(mos_proc_t *self)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_NOTIFY_READY);
	mos_svc_mgr_t *m = mos__svc_mgr_peek(k);
	mos_pid_t pid = mos__proc_pid(self);
	int i = m ? pid_slot(m, pid) : 0;
	mos_svc_t *s;

	if (!m || (uint32_t)i == m->npids || m->pids[i].pid != pid ||
	    m->pids[i].probe || !(s = mos__svc_get(m, m->pids[i].id)))
		return MOS_ESVCNOTFOUND;
	for (uint32_t j = 0; j < s->instances; j++)
		if (s->inst[j].pid == pid && !s->inst[j].ready) {
			s->inst[j].ready = true;
			s->ready++;
		}
	/* On the caller's coroutine: what readiness sets off (dependents
	 * spawned) is done on the host stack, by the timer, this instant. */
	if (s->state == MOS_SVC_STARTING && s->phase == MOS_SVC_P_SPAWNED &&
	    s->ready == s->instances)
		mos__svc_arm(s, MOS_SVC_T_READY, mos_kernel_now(k));
	return 0;
}
