/*
 * src/scenario/scenario_run.c - mos_scenario_run: a loaded scenario on a
 * fresh kernel, its actions at their exact virtual times, the timeline
 * and the final report.
 *
 * The actions are sorted by (time, file order).  Before each, the kernel
 * runs up to its time (mos_kernel_run(k, at): everything due before `at`
 * has happened, and the clock reads `at`), then the action's deed runs on
 * the host.  So actions at one instant run in file order, after what the
 * kernel did up to that instant.  After the last action the kernel runs
 * to `until`, or, without one, until nothing is left to do or the cap.
 *
 * The timeline is kept from the kernel's typed trace as it happens (an
 * observer): lifecycle transitions of processes (not dispatches and
 * slices), service state changes, signals, limits, throttling, denials,
 * marks, and the actions themselves.  Calls are summarised per service.
 * Names are resolved when the run is over, so a service instance is named
 * "web#1" even in the events before the manager said whose pid it was.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "util/error_int.h"

/* ---- labels: pid -> name, sorted by pid ---------------------------------- */

static size_t label_pos(const sc_run_t *r, mos_pid_t pid)
{
	size_t lo = 0, hi = r->nlabels;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->labels[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mos__sc_label(sc_run_t *r, mos_pid_t pid, const char *name)
{
	size_t i = label_pos(r, pid);

	if (i == r->nlabels || r->labels[i].pid != pid) {
		if (r->nlabels == r->labcap) {
			size_t cap = r->labcap ? r->labcap * 2 : 64;
			sc_label_t *l = realloc(r->labels, cap * sizeof(*l));

			if (!l)
				return MOS_ENOMEM;
			r->labels = l;
			r->labcap = cap;
		}
		memmove(&r->labels[i + 1], &r->labels[i],
			(r->nlabels - i) * sizeof(*r->labels));
		r->nlabels++;
		r->labels[i].pid = pid;
	}
	snprintf(r->labels[i].name, sizeof(r->labels[i].name), "%s", name);
	return 0;
}

const char *mos__sc_label_of(const sc_run_t *r, mos_pid_t pid)
{
	size_t i = label_pos(r, pid);

	return i < r->nlabels && r->labels[i].pid == pid ? r->labels[i].name
							 : NULL;
}

/* The times of st's restarts not seen yet: now, each. */
static void learn_restarts(sc_run_t *r, const mos_service_status_t *st)
{
	sc_restarts_t *x = NULL;

	for (size_t i = 0; i < r->nrst && !x; i++)
		if (r->rst[i].id == st->id)
			x = &r->rst[i];
	if (!x && st->restarts) {
		sc_restarts_t *v = realloc(r->rst, (r->nrst + 1) * sizeof(*v));

		if (!v) {
			r->nomem = true;
			return;
		}
		r->rst = v;
		x = &r->rst[r->nrst++];
		memset(x, 0, sizeof(*x));
		x->id = st->id;
	}
	for (; x && x->seen < st->restarts; x->seen++)
		if (mos__sc_push_time(&x->t, &x->n, &x->cap,
				      mos_kernel_now(r->k)) < 0)
			r->nomem = true;
}

/* Name the live instances of service id "NAME#slot". */
static void learn_service(sc_run_t *r, mos_service_id_t id)
{
	mos_pid_t pids[MOS_SVC_MAX_INSTANCES];
	mos_service_status_t st;
	char name[MOS_SCENARIO_NAME_LEN];
	size_t n = 0;

	if (mos_service_status(r->k, id, &st) < 0)
		return;
	learn_restarts(r, &st);
	if (mos_service_instance_pids(r->k, id, pids, MOS_SVC_MAX_INSTANCES,
				      &n) < 0)
		return;
	for (size_t i = 0; i < n && i < MOS_SVC_MAX_INSTANCES; i++) {
		if (!pids[i])
			continue;
		snprintf(name, sizeof(name), "%.50s#%u", st.name, (unsigned)i);
		if (mos__sc_label(r, pids[i], name) < 0)
			r->nomem = true;
	}
}

static void learn_all(sc_run_t *r)
{
	mos_service_id_t *ids;
	size_t n = 0;

	if (mos_service_list(r->k, NULL, 0, &n) < 0 || !n)
		return;
	if (!(ids = malloc(n * sizeof(*ids)))) {
		r->nomem = true;
		return;
	}
	if (mos_service_list(r->k, ids, n, &n) == 0)
		for (size_t i = 0; i < n; i++)
			learn_service(r, ids[i]);
	free(ids);
}

/* ---- the observer -------------------------------------------------------- */

static sc_raw_t *raw_add(sc_run_t *r)
{
	if (r->nraw == r->rawcap) {
		size_t cap = r->rawcap ? r->rawcap * 2 : 256;
		sc_raw_t *v = realloc(r->raw, cap * sizeof(*v));

		if (!v) {
			r->nomem = true;
			return NULL;
		}
		r->raw = v;
		r->rawcap = cap;
	}
	memset(&r->raw[r->nraw], 0, sizeof(*r->raw));
	return &r->raw[r->nraw++];
}

static void call_add(sc_run_t *r, const mos_trace_event_t *ev)
{
	mos_service_id_t id = (mos_service_id_t)(ev->a >> 32);
	sc_calls_t *c = NULL;

	for (size_t i = 0; i < r->ncalls; i++)
		if (r->calls[i].id == id)
			c = &r->calls[i];
	if (!c) {
		sc_calls_t *v = realloc(r->calls, (r->ncalls + 1) * sizeof(*v));

		if (!v) {
			r->nomem = true;
			return;
		}
		r->calls = v;
		c = &r->calls[r->ncalls++];
		memset(c, 0, sizeof(*c));
		c->id = id;
	}
	if (ev->cause & ~MOS_TRACE_CALL_RETRIED) {
		c->failed++;
		mos__sc_tally(r, true, 0);
		return;
	}
	if (mos__sc_push_time(&c->lat, &c->n, &c->cap, ev->b) < 0)
		r->nomem = true;
	mos__sc_tally(r, false, ev->b);
}

/* Process transitions worth a line: the lifecycle, not the scheduling. */
static bool lifecycle(uint8_t cause)
{
	switch (cause) {
	case MOS_CAUSE_CREATE: case MOS_CAUSE_SUSPEND: case MOS_CAUSE_RESUME:
	case MOS_CAUSE_EXIT: case MOS_CAUSE_KILL: case MOS_CAUSE_CRASH:
		return true;
	default:
		return false;
	}
}

static void observe(void *ud, const mos_trace_event_t *ev)
{
	sc_run_t *r = ud;
	sc_raw_t *x;

	switch (ev->kind) {
	case MOS_TRACE_CALL:
		call_add(r, ev);
		return;
	case MOS_TRACE_PROC:
		if (!lifecycle(ev->cause))
			return;
		break;
	case MOS_TRACE_SERVICE:
		learn_service(r, (mos_service_id_t)ev->subject);
		break;
	case MOS_TRACE_MARK:
		if (ev->subject == 0)
			return; /* the host's: a mark action has its line */
		break;
	case MOS_TRACE_SIGNAL: case MOS_TRACE_LIMIT: case MOS_TRACE_AUDIT:
	case MOS_TRACE_THROTTLE:
		break;
	default:
		return;
	}
	if (!(x = raw_add(r)))
		return;
	x->time = ev->time;
	x->kind = ev->kind;
	x->subject = ev->subject;
	x->cause = ev->cause;
	x->a = ev->a;
	x->b = ev->b;
	if (ev->kind == MOS_TRACE_PROC && ev->cause == MOS_CAUSE_CREATE &&
	    !mos__sc_label_of(r, ev->subject)) {
		mos_process_info_t pi;

		if (mos_process_get_info(r->k, ev->subject, &pi) == 0 &&
		    pi.argc > 0 && mos__sc_label(r, ev->subject,
						 pi.command[0]) < 0)
			r->nomem = true;
	}
}

/* ---- the run ------------------------------------------------------------- */

/* An action's line: made before its deed, so that it comes before what
 * the deed causes; the outcome is filled in after (finish_action). */
static int record_action(sc_run_t *r, const sc_action_t *a, const char *svc,
			 mos_pid_t pid, size_t *at)
{
	sc_raw_t *x = raw_add(r);

	if (!x)
		return MOS_ENOMEM;
	x->time = mos_kernel_now(r->k);
	x->kind = SC_RAW_ACTION;
	x->subject = pid;
	x->act = a;
	x->svc = svc;
	*at = r->nraw - 1;
	return 0;
}

static int finish_action(sc_run_t *r, size_t at, int rc, const char *why)
{
	sc_raw_t *x = &r->raw[at];

	x->b = (uint64_t)(int64_t)rc;
	if (why[0] && !(x->why = strdup(why)))
		return MOS_ENOMEM;
	return 0;
}

static int do_action(sc_run_t *r, const sc_action_t *a)
{
	char why[MOS_SCENARIO_TEXT_LEN] = "";
	mos_pid_t pid = 0;
	size_t at;
	int rc;

	if (a->type->target == SC_T_PROC)
		(void)mos__sc_target(r, a, &pid);
	if ((rc = record_action(r, a, NULL, pid, &at)) < 0)
		return rc;
	rc = a->type->run(r, a, why, sizeof(why));
	learn_all(r);
	return finish_action(r, at, rc, why);
}

/* Limits of a named process: its current ones with the file's keys over
 * them (checked at load). */
static int proc_limits(sc_run_t *r, const sc_proc_t *p, mos_pid_t pid)
{
	mos_rlimits_t lim;
	mos_jload_t ld;
	mos_error_t e;
	int rc;

	if (!p->limits)
		return 0;
	if ((rc = mos_process_get_limits(r->k, pid, &lim, NULL)) < 0)
		return rc;
	mos__jload_init(&ld, "", &e);
	mos__jpath_push_key(&ld.path, "limits");
	if ((rc = mos__svc_json_limits(&ld, p->limits, &lim)))
		return rc;
	return mos_process_set_limits(r->k, pid, &lim, NULL);
}

/* An autostart: its line, then the start. */
static int start_one(sc_run_t *r, const char *name, mos_service_id_t id)
{
	size_t at;
	int rc = record_action(r, NULL, name, 0, &at);

	if (rc < 0)
		return rc;
	return finish_action(r, at, mos_service_start(r->k, 0, id), "");
}

static int setup(sc_run_t *r)
{
	const mos_scenario_t *sc = r->sc;
	int rc;

	if ((rc = mos_service_register_batch(r->k, 0,
					     r->descs ? r->descs : sc->svc.descs,
					     sc->svc.n,
					     NULL, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < sc->nprocs; i++) {
		const sc_proc_t *p = &sc->procs[i];
		mos_process_spec_t spec;

		mos_process_spec_init(&spec);
		spec.command = p->command;
		spec.start_time = p->start;
		spec.priority = p->prio;
		spec.prio_class = p->cls;
		spec.uid = p->uid;
		if ((rc = mos_process_create(r->k, &spec, &r->pids[i])) < 0 ||
		    (rc = mos__sc_label(r, r->pids[i], p->name)) < 0 ||
		    (rc = proc_limits(r, p, r->pids[i])) < 0)
			return rc;
	}
	if (sc->autostart) {
		for (size_t i = 0; sc->autostart[i]; i++) {
			mos_service_id_t id = 0;

			(void)mos_service_find(r->k, sc->autostart[i], &id);
			if ((rc = start_one(r, sc->autostart[i], id)) < 0)
				return rc;
		}
		return 0;
	}
	for (size_t i = 0; i < sc->svc.n; i++) {
		mos_service_status_t st;
		const char *name = sc->svc.descs[i].name;
		mos_service_id_t id = 0;

		/* Every service, in file order; one a previous start has
		 * brought up as a dependency (or a group as a member) is
		 * left alone. */
		if (mos_service_find(r->k, name, &id) < 0)
			return MOS_ESVCNOTFOUND;
		if (mos_service_status(r->k, id, &st) == 0 &&
		    st.state != MOS_SVC_STOPPED)
			continue;
		if ((rc = start_one(r, name, id)) < 0)
			return rc;
	}
	return 0;
}

/* After the actions: to `end`, or (open) until nothing is left, at most
 * to end. */
static int finish(sc_run_t *r, mos_time_t end, bool open)
{
	int rc;

	if (!open)
		return mos__sc_advance(r, end);
	for (;;) {
		mos_time_t next = mos_kernel_next_event(r->k);
		int progressed = 0;

		if (next == MOS_TIME_NEVER)
			return 0;
		if (next >= end)
			return mos__sc_advance(r, end);
		/* The samples before the next event, then the event. */
		if ((rc = mos__sc_advance(r, next)) != 0 ||
		    (rc = mos_kernel_step(r->k, &progressed)) < 0)
			return rc;
		if (!progressed)
			return 0;
	}
}

static int drive(sc_run_t *r, mos_time_t end, bool open)
{
	int rc = 0;

	mos__sc_series_start(r);
	if ((rc = setup(r)) < 0)
		return rc;
	for (size_t i = 0; i < r->nacts; i++) {
		const sc_action_t *a = &r->acts[i];

		if (a->at > end)
			break;
		if ((rc = mos__sc_advance(r, a->at)) != 0 ||
		    (rc = do_action(r, a)) < 0 || (rc = mos__sc_tick(r)))
			break;
	}
	if (rc == 0)
		rc = finish(r, end, open);
	if (rc < 0)
		return rc;
	learn_all(r);
	return r->nomem ? MOS_ENOMEM : rc;
}

static void run_free(sc_run_t *r)
{
	for (size_t i = 0; i < r->nraw; i++)
		free(r->raw[i].why);
	free(r->raw);
	free(r->labels);
	for (size_t i = 0; i < r->ncalls; i++)
		free(r->calls[i].lat);
	free(r->calls);
	for (size_t i = 0; i < r->nrst; i++)
		free(r->rst[i].t);
	free(r->rst);
	free(r->acts);
	free(r->faults);
	free(r->descs);
	free(r->pids);
	free(r->samples);
	free(r->iv_lat);
}

int mos_scenario_run(const mos_scenario_t *sc,
		     const mos_scenario_opts_t *opts,
		     mos_scenario_result_t **out, mos_error_t *err)
{
	mos_scenario_opts_t none = {0};
	mos_scenario_result_t *res = NULL;
	mos_config_t cfg;
	mos_time_t until, end;
	sc_run_t r;
	int rc;

	mos__error_clear(err);
	memset(&r, 0, sizeof(r));
	if (out)
		*out = NULL;
	if (!sc || !out)
		return mos__error_path(err, MOS_EINVAL, "scenario", "",
				       "sc and out must not be NULL");
	if (!opts)
		opts = &none;
	cfg = sc->cfg;
	if (opts->has_seed)
		cfg.seed = opts->seed;
	if (opts->realtime) {
		snprintf(cfg.clock_backend, sizeof(cfg.clock_backend), "%s",
			 "realtime");
		if (opts->speed > 0)
			cfg.clock_speed = opts->speed;
	}
	until = opts->has_until ? opts->until : sc->until;
	end = until == MOS_TIME_NEVER ? sc->cap : until;
	r.sc = sc;
	r.opts = opts;
	if (!(r.pids = calloc(sc->nprocs + 1, sizeof(*r.pids))) ||
	    !(res = calloc(1, sizeof(*res)))) {
		rc = mos__error_path(err, MOS_ENOMEM, sc->path, "",
				     "out of memory");
		goto out;
	}
	if ((rc = mos__sc_plan(&r, cfg.seed, end)) != 0) {
		mos__error_path(err, rc, sc->path, "", "out of memory");
		goto out;
	}
	if ((rc = mos_kernel_create(&cfg, &r.k, err)) < 0)
		goto out;
	mos_trace_set_observer(r.k, observe, &r);
	if (opts->on_start &&
	    (rc = opts->on_start(opts->hook_data, r.k)) < 0) {
		mos__error_path(err, rc, sc->path, "",
				"the host's start hook failed: %s",
				mos_strerror(rc));
		goto out;
	}
	rc = drive(&r, end, until == MOS_TIME_NEVER);
	if (rc == SC_STOPPED) {
		res->interrupted = true;
		rc = 0;
	}
	if (!rc) {
		snprintf(res->name, sizeof(res->name), "%s", sc->name);
		res->seed = cfg.seed;
		rc = mos__sc_report(&r, res);
		res->faults = r.faults;
		res->nfaults = r.nfaults;
		r.faults = NULL;
	}
	if (!rc && opts->trace &&
	    (rc = mos_trace_write_chrome(r.k, opts->trace)) < 0)
		mos__error_path(err, rc, sc->path, "",
				"writing the trace failed: %s",
				mos_strerror(rc));
	else if (rc)
		mos__error_path(err, rc, sc->path, "", "the run failed: %s",
				mos_strerror(rc));
out:
	if (r.k && opts->on_end && opts->on_start != NULL)
		opts->on_end(opts->hook_data, r.k);
	if (r.k)
		mos_kernel_destroy(r.k);
	run_free(&r);
	if (rc) {
		mos_scenario_result_free(res);
		return rc;
	}
	*out = res;
	return 0;
}

mos_time_t mos_scenario_until(const mos_scenario_t *sc)
{
	return sc ? sc->until : MOS_TIME_NEVER;
}

void mos_scenario_result_free(mos_scenario_result_t *r)
{
	if (!r)
		return;
	free(r->events);
	free(r->services);
	free(r->procs);
	free(r->samples);
	free(r->faults);
	free(r);
}
