/*
 * src/scenario/scenario_report.c - a finished run's timeline (the raw
 * trace records named and worded) and its final report: services,
 * processes, the kernel's counters and the latencies of the calls.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "util/ranks.h"

/* ---- the timeline -------------------------------------------------------- */

static void pid_name(const sc_run_t *r, mos_pid_t pid, char *buf, size_t len)
{
	const char *l = mos__sc_label_of(r, pid);

	if (pid == 0)
		snprintf(buf, len, "scenario");
	else if (l)
		snprintf(buf, len, "%.60s (pid %d)", l, (int)pid);
	else
		snprintf(buf, len, "pid %d", (int)pid);
}

static const char *svc_name(const sc_run_t *r, mos_service_id_t id)
{
	mos_service_status_t st;

	return mos_service_status(r->k, id, &st) == 0 ? st.name : "?";
}

static void word_action(const sc_run_t *r, const sc_raw_t *x,
			mos_scenario_event_t *e)
{
	const sc_action_t *a = x->act;
	int rc = (int)(int64_t)x->b;
	const char *why = x->why ? x->why : "";

	if (!a) {
		snprintf(e->subject, sizeof(e->subject), "service %.60s",
			 x->svc);
		snprintf(e->event, sizeof(e->event), "autostart");
	} else {
		if (a->proc >= 0 || (a->type->target == SC_T_PROC && x->subject))
			pid_name(r, x->subject, e->subject, sizeof(e->subject));
		else if (a->type->target == SC_T_PROC)
			snprintf(e->subject, sizeof(e->subject), "%.60s#%u",
				 a->service, a->slot);
		else if (a->service)
			snprintf(e->subject, sizeof(e->subject),
				 "service %.60s", a->service);
		else
			snprintf(e->subject, sizeof(e->subject), "scenario");
		if (a->proc >= 0 && !x->subject)
			snprintf(e->subject, sizeof(e->subject), "%.60s",
				 r->sc->procs[a->proc].name);
		if (a->fault >= 0)
			snprintf(e->event, sizeof(e->event), "fault %s%s",
				 r->faults[a->fault].kind,
				 r->faults[a->fault].until != a->at ? ""
				 : r->faults[a->fault].until !=
						 r->faults[a->fault].time
					 ? " ends" : "");
		else
			snprintf(e->event, sizeof(e->event), "action %s",
				 a->type->name);
	}
	if (rc)
		snprintf(e->reason, sizeof(e->reason), "failed: %.60s%s%.50s",
			 mos_strerror(rc), *why ? "; " : "", why);
	else
		snprintf(e->reason, sizeof(e->reason), "%s", why);
}

static void word(const sc_run_t *r, const sc_raw_t *x,
		 mos_scenario_event_t *e)
{
	memset(e, 0, sizeof(*e));
	e->time = x->time;
	switch (x->kind) {
	case SC_RAW_ACTION:
		word_action(r, x, e);
		return;
	case MOS_TRACE_PROC:
		pid_name(r, x->subject, e->subject, sizeof(e->subject));
		snprintf(e->event, sizeof(e->event), "%s -> %s",
			 mos_state_name((mos_proc_state_t)x->a),
			 mos_state_name((mos_proc_state_t)x->b));
		snprintf(e->reason, sizeof(e->reason), "%s",
			 mos_cause_name((mos_cause_t)x->cause));
		return;
	case MOS_TRACE_SERVICE:
		snprintf(e->subject, sizeof(e->subject), "service %.60s",
			 svc_name(r, (mos_service_id_t)x->subject));
		snprintf(e->event, sizeof(e->event), "%s -> %s",
			 mos_service_state_name((mos_service_state_t)x->a),
			 mos_service_state_name((mos_service_state_t)x->b));
		snprintf(e->reason, sizeof(e->reason), "%s",
			 mos_svc_reason_name((mos_svc_reason_t)x->cause));
		return;
	case MOS_TRACE_SIGNAL:
		pid_name(r, x->subject, e->subject, sizeof(e->subject));
		snprintf(e->event, sizeof(e->event), "signal %s",
			 mos_signal_name(x->cause));
		snprintf(e->reason, sizeof(e->reason), "from pid %d: %s",
			 (int)x->a, mos_sig_outcome_name((mos_sig_outcome_t)x->b));
		return;
	case MOS_TRACE_LIMIT:
		pid_name(r, x->subject, e->subject, sizeof(e->subject));
		snprintf(e->event, sizeof(e->event), "limit %d", x->cause);
		snprintf(e->reason, sizeof(e->reason),
			 "value %llu, limit %llu", (unsigned long long)x->a,
			 (unsigned long long)x->b);
		return;
	case MOS_TRACE_MARK:
		pid_name(r, x->subject, e->subject, sizeof(e->subject));
		snprintf(e->event, sizeof(e->event), "mark");
		snprintf(e->reason, sizeof(e->reason), "%s",
			 mos_trace_label_name(r->k, (uint32_t)x->a));
		return;
	case MOS_TRACE_THROTTLE:
		snprintf(e->subject, sizeof(e->subject), "group %d",
			 (int)x->subject);
		snprintf(e->event, sizeof(e->event), "%s",
			 x->cause ? "throttled" : "unthrottled");
		snprintf(e->reason, sizeof(e->reason),
			 "used %llu ns of %llu", (unsigned long long)x->a,
			 (unsigned long long)x->b);
		return;
	default: /* MOS_TRACE_AUDIT */
		pid_name(r, x->subject, e->subject, sizeof(e->subject));
		snprintf(e->event, sizeof(e->event), "denied");
		snprintf(e->reason, sizeof(e->reason),
			 "audit action %d on pid %d", x->cause, (int)x->a);
		return;
	}
}

/* ---- services ------------------------------------------------------------ */

static void service_calls(sc_run_t *r, mos_scenario_service_report_t *s,
			  mos_service_id_t id)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		sc_calls_t *c = &r->calls[i];
		mos_time_t ranks[MOS_RANKS];

		if (c->id != id)
			continue;
		mos__ranks(c->lat, c->n, ranks);
		s->calls = c->n + c->failed;
		s->calls_failed = c->failed;
		s->latency_p50 = ranks[MOS_RANK_P50];
		s->latency_p90 = ranks[MOS_RANK_P90];
		s->latency_p99 = ranks[MOS_RANK_P99];
		s->latency_max = ranks[MOS_RANK_MAX];
	}
}

/* The policy's start limit, and the most restarts seen in one window:
 * for each restart, those in (t - window, t], as the manager counts. */
static void restart_limits(const sc_run_t *r,
			   mos_scenario_service_report_t *s,
			   mos_service_id_t id)
{
	const sc_restarts_t *x = NULL;

	for (size_t i = 0; i < r->sc->svc.n; i++)
		if (!strcmp(r->sc->svc.descs[i].name, s->name)) {
			s->max_restarts = r->sc->svc.descs[i].restart.max_restarts;
			s->restart_window = r->sc->svc.descs[i].restart.window;
		}
	for (size_t i = 0; i < r->nrst; i++)
		if (r->rst[i].id == id)
			x = &r->rst[i];
	if (!x || !s->restart_window)
		return;
	for (size_t i = 0, lo = 0; i < x->n; i++) {
		while (x->t[i] - x->t[lo] >= s->restart_window)
			lo++;
		if (i - lo + 1 > s->restart_burst)
			s->restart_burst = (uint32_t)(i - lo + 1);
	}
}

static int report_services(sc_run_t *r, mos_scenario_result_t *res)
{
	mos_service_instance_t inst[MOS_SVC_MAX_INSTANCES];
	mos_service_id_t *ids;
	size_t n = 0;
	int rc;

	if ((rc = mos_service_list(r->k, NULL, 0, &n)) < 0 || !n)
		return rc;
	if (!(ids = malloc(n * sizeof(*ids))) ||
	    !(res->services = calloc(n, sizeof(*res->services)))) {
		free(ids);
		return MOS_ENOMEM;
	}
	if ((rc = mos_service_list(r->k, ids, n, &n)) < 0) {
		free(ids);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		mos_scenario_service_report_t *s = &res->services[i];
		mos_service_status_t st;
		size_t ni = 0;

		if ((rc = mos_service_status(r->k, ids[i], &st)) < 0 ||
		    (rc = mos_service_instances(r->k, ids[i], inst,
						MOS_SVC_MAX_INSTANCES,
						&ni)) < 0)
			break;
		snprintf(s->name, sizeof(s->name), "%s", st.name);
		s->state = st.state;
		s->reason = st.reason;
		s->restarts = st.restarts;
		s->instances = (uint32_t)ni;
		s->live = st.ninstances;
		s->ready = st.ready;
		s->in_rotation = st.in_rotation;
		s->last_exit_status = st.last_exit_status;
		s->since = st.since;
		s->requests = st.requests;
		s->replies = st.replies;
		s->request_failures = st.request_failures;
		for (size_t j = 0; j < ni && j < MOS_SVC_MAX_INSTANCES; j++) {
			s->health_checks += inst[j].health_checks;
			s->health_failures += inst[j].health_failures;
			s->instance_calls[j] = inst[j].requests;
			s->outstanding += inst[j].outstanding;
		}
		restart_limits(r, s, ids[i]);
		service_calls(r, s, ids[i]);
		res->nservices++;
	}
	free(ids);
	return rc < 0 ? rc : 0;
}

/* ---- processes ----------------------------------------------------------- */

static int cmp_pid(const void *a, const void *b)
{
	mos_pid_t x = *(const mos_pid_t *)a, y = *(const mos_pid_t *)b;

	return (x > y) - (x < y);
}

/* The hard limits a live process is past at the end (the kernel should
 * have ended it or refused what took it there). */
static uint32_t over_limits(sc_run_t *r, const mos_process_info_t *pi)
{
	mos_time_t now = mos_kernel_now(r->k);
	mos_rlimits_t hard;
	mos_rusage_t u;
	uint32_t m = 0;

	if (pi->times.finished != MOS_TIME_NEVER ||
	    mos_process_get_limits(r->k, pi->pid, NULL, &hard) < 0 ||
	    mos_process_get_stats(r->k, pi->pid, &u) < 0)
		return 0;
	if (u.cpu_total > hard.max_cpu_time)
		m |= 1u << MOS_RLIMIT_CPU;
	if (now - pi->times.created > hard.max_creation_time)
		m |= 1u << MOS_RLIMIT_LIFETIME;
	if (u.memory_current > hard.max_memory)
		m |= 1u << MOS_RLIMIT_MEMORY;
	return m;
}

static int report_procs(sc_run_t *r, mos_scenario_result_t *res)
{
	size_t nl = 0, nh = 0;
	mos_pid_t *pids;
	int rc;

	if ((rc = mos_process_list(r->k, NULL, 0, &nl)) < 0 ||
	    (rc = mos_process_history(r->k, NULL, 0, &nh)) < 0)
		return rc;
	if (!(pids = malloc((nl + nh + 1) * sizeof(*pids))) ||
	    !(res->procs = calloc(nl + nh + 1, sizeof(*res->procs)))) {
		free(pids);
		return MOS_ENOMEM;
	}
	mos_process_list(r->k, pids, nl, &nl);
	mos_process_history(r->k, pids + nl, nh, &nh);
	qsort(pids, nl + nh, sizeof(*pids), cmp_pid);
	for (size_t i = 0; i < nl + nh; i++) {
		mos_scenario_proc_report_t *p = &res->procs[res->nprocs];
		mos_process_info_t pi;
		const char *l;

		if (pids[i] <= 1 || mos_process_get_info(r->k, pids[i], &pi) < 0)
			continue; /* init is the kernel's, not the scenario's */
		p->pid = pids[i];
		l = mos__sc_label_of(r, pids[i]);
		snprintf(p->name, sizeof(p->name), "%s",
			 l ? l : pi.argc ? pi.command[0] : "?");
		p->state = pi.state;
		p->exit_status = pi.exit_status;
		p->cpu = pi.times.cpu_user + pi.times.cpu_system;
		p->start = pi.times.created;
		p->end = pi.times.finished;
		p->reaped = pi.times.reaped;
		p->over_limits = over_limits(r, &pi);
		res->nprocs++;
	}
	free(pids);
	return 0;
}

int mos__sc_report(sc_run_t *r, mos_scenario_result_t *res)
{
	int rc;

	bool words = !r->opts->no_timeline || r->sc->inv.timeline;

	if (words && r->nraw &&
	    !(res->events = calloc(r->nraw, sizeof(*res->events))))
		return MOS_ENOMEM;
	for (size_t i = 0; i < r->nraw; i++) {
		if (words)
			word(r, &r->raw[i], &res->events[i]);
		if (r->raw[i].kind == SC_RAW_ACTION && r->raw[i].b)
			res->actions_failed++;
	}
	res->nevents = words ? r->nraw : 0;
	if ((rc = report_services(r, res)) < 0 ||
	    (rc = report_procs(r, res)) < 0)
		return rc;
	res->end = mos_kernel_now(r->k);
	res->trace_hash = mos_trace_hash(r->k);
	mos_kernel_stats(r->k, &res->stats);
	mos__sc_series_end(r, res);
	return 0;
}
