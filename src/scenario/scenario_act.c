/*
 * src/scenario/scenario_act.c - the actions of a scenario: one table
 * entry per name, with the keys it takes, its check at load and its deed
 * at run time (docs/SCENARIOS.md, "Actions").
 *
 * A deed runs on the host between two kernel runs, at the action's exact
 * virtual time.  It returns 0 or the MOS_E* code of the request it made;
 * a refusal (kill of a process already gone, start of a service already
 * up) is the scenario's business, recorded in the timeline, not a failure
 * of the run.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/seams.h"
#include "multios/admin.h"
#include "scenario_int.h"

/* ---- targets ------------------------------------------------------------- */

static mos_service_id_t service_id(sc_run_t *r, const char *name)
{
	mos_service_id_t id = 0;

	return mos_service_find(r->k, name, &id) == 0 ? id : 0;
}

int mos__sc_target(sc_run_t *r, const sc_action_t *a, mos_pid_t *pid)
{
	mos_pid_t pids[MOS_SVC_MAX_INSTANCES];
	mos_service_id_t id;
	size_t n = 0;
	int rc;

	if (a->proc >= 0) {
		*pid = r->pids[a->proc];
		return *pid ? 0 : MOS_EPROCNOTFOUND;
	}
	if (!(id = service_id(r, a->service)))
		return MOS_ESVCNOTFOUND;
	if ((rc = mos_service_instance_pids(r->k, id, pids,
					    MOS_SVC_MAX_INSTANCES, &n)) < 0)
		return rc;
	if (a->slot >= n || !pids[a->slot])
		return MOS_ESVCNOTRUNNING;
	*pid = pids[a->slot];
	return 0;
}

/* ---- deeds --------------------------------------------------------------- */

static int run_start(sc_run_t *r, const sc_action_t *a, char *why,
		     size_t len)
{
	(void)why;
	(void)len;
	return mos_service_start(r->k, 0, service_id(r, a->service));
}

static int run_stop(sc_run_t *r, const sc_action_t *a, char *why, size_t len)
{
	(void)why;
	(void)len;
	return mos_service_stop(r->k, 0, service_id(r, a->service));
}

static int run_restart(sc_run_t *r, const sc_action_t *a, char *why,
		       size_t len)
{
	(void)why;
	(void)len;
	return mos_service_restart(r->k, 0, service_id(r, a->service));
}

/* The deeds on one process: the target resolved, then fn. */
#define ON_PID(name, body)                                               \
	static int name(sc_run_t *r, const sc_action_t *a, char *why,     \
			size_t len)                                       \
	{                                                                 \
		mos_pid_t pid;                                            \
		int rc = mos__sc_target(r, a, &pid);                      \
		(void)why;                                                \
		(void)len;                                                \
		if (rc)                                                   \
			return rc;                                        \
		body                                                      \
	}

ON_PID(run_kill, { return mos_process_terminate(r->k, pid, true); })
ON_PID(run_suspend, { return mos_process_suspend(r->k, pid); })
ON_PID(run_resume, { return mos_process_resume(r->k, pid); })
ON_PID(run_signal, {
	snprintf(why, len, "%s", mos_signal_name(a->sig));
	return mos_process_send_signal(r->k, pid, a->sig);
})
/* A crash ends the process at once with exit code `code`, as if it had
 * called exit(code) where it stood: the public API ends a process only
 * by a signal, so the kernel's seam does it. */
ON_PID(run_crash, {
	mos_proc_t *p = mos__proc_find(r->k, pid);

	if (!p || mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EINVALSTATE;
	snprintf(why, len, "exit code %d", a->code);
	mos__proc_kill(r->k, p, MOS_W_EXITCODE(a->code, 0));
	return 0;
})
/* A hang: the process stops making progress and answers nothing until
 * it is killed (or resumed by a resume action).  It is stopped as
 * SIGSTOP stops it: a process cannot be made to compute from outside
 * without its program's help, and a stopped one looks the same to its
 * callers and health probes (no reply, a timeout).  It uses no CPU. */
ON_PID(run_hang, {
	snprintf(why, len, "stopped, no progress");
	return mos_process_suspend(r->k, pid);
})
ON_PID(run_set_limits, {
	mos_rlimits_t lim;
	mos_jload_t ld;
	mos_error_t e;

	if ((rc = mos_process_get_limits(r->k, pid, &lim, NULL)) < 0)
		return rc;
	mos__jload_init(&ld, "", &e);
	if ((rc = mos__json_section(&ld, a->obj, "limits",
				    mos__svc_json_limits, &lim)))
		return rc;
	return mos_process_set_limits(r->k, pid, &lim, NULL);
})

static int run_set_quota(sc_run_t *r, const sc_action_t *a, char *why,
			 size_t len)
{
	char path[MOS_SCENARIO_NAME_LEN + 16];
	mos_group_info_t gi;
	mos_group_id_t g;
	mos_jload_t ld;
	mos_error_t e;
	int rc;

	snprintf(path, sizeof(path), "services/%s", a->service);
	snprintf(why, len, "group %s", path);
	if ((rc = mos_group_find(r->k, path, &g)) < 0 ||
	    (rc = mos_group_get(r->k, g, &gi)) < 0)
		return rc;
	mos__jload_init(&ld, "", &e);
	if ((rc = mos__json_section(&ld, a->obj, "group_limits",
				    mos__svc_json_group_limits, &gi.limits)))
		return rc;
	return mos_group_set(r->k, g, &gi.limits);
}

static int run_clients(sc_run_t *r, const sc_action_t *a, char *why,
		       size_t len)
{
	char name[MOS_SCENARIO_NAME_LEN];
	mos_process_spec_t spec;
	mos_pid_t pid, first = 0;
	int rc;

	for (uint32_t i = 0; i < a->count; i++) {
		mos_process_spec_init(&spec);
		spec.command = a->argv;
		spec.prio_class = MOS_CLASS_USER;
		if ((rc = mos_process_create(r->k, &spec, &pid)) < 0)
			return rc;
		if (!first)
			first = pid;
		snprintf(name, sizeof(name), "client:%s", a->service);
		if ((rc = mos__sc_label(r, pid, name)) < 0)
			return rc;
	}
	snprintf(why, len, "%u client(s) from pid %d", a->count, (int)first);
	return 0;
}

static int run_mark(sc_run_t *r, const sc_action_t *a, char *why, size_t len)
{
	uint32_t id;
	int rc = mos_trace_label(r->k, a->label, &id);

	if (rc < 0)
		return rc;
	/* A host mark: pid 0, as mos_sys_trace_mark records a program's. */
	mos__trace_emit(r->k, MOS_TRACE_MARK, 0, 0, id, 0);
	snprintf(why, len, "%s", a->label);
	return 0;
}

/* The admin module's emergency stop, as the host (docs/ADMIN.md). */
static int run_emergency(sc_run_t *r, const sc_action_t *a, char *why,
			 size_t len)
{
	int rc = mos_admin_emergency_stop(r->k, 0, a->label ? a->label : "");

	if (rc == 0)
		snprintf(why, len, "%s", a->label ? a->label : "");
	return rc;
}

/* The admin module's OOM response, on or off, as the host. */
static int run_oom(sc_run_t *r, const sc_action_t *a, char *why, size_t len)
{
	snprintf(why, len, "%s", a->code ? "on" : "off");
	return mos_admin_oom_enable(r->k, 0, a->code != 0);
}

ON_PID(run_oom_adj, {
	snprintf(why, len, "%d", a->code);
	return mos_process_set_oom_score_adj(r->k, 0, pid, a->code);
})

/* ---- checks at load ------------------------------------------------------ */

static int parse_signal(mos_jload_t *ld, json_t *o, sc_action_t *a,
			sc_load_ctx_t *c)
{
	json_t *v = json_object_get(o, "signal");
	int rc = 0;

	(void)c;
	if ((rc = mos__json_require(ld, o, "signal")))
		return rc;
	mos__jpath_push_key(&ld->path, "signal");
	if (!json_is_string(v) || mos_signal_parse(json_string_value(v),
						   &a->sig) < 0)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "expected a signal name (\"SIGTERM\", "
				    "\"TERM\") or number");
	mos__jpath_pop(&ld->path);
	return rc;
}

static int parse_crash(mos_jload_t *ld, json_t *o, sc_action_t *a,
		       sc_load_ctx_t *c)
{
	uint32_t code = 1;
	int rc = mos__json_get_u32(ld, o, "code", 0, 255, &code);

	(void)c;
	a->code = (int)code;
	return rc;
}

/* "enable": true (the default) or false. */
static int parse_oom(mos_jload_t *ld, json_t *o, sc_action_t *a,
		     sc_load_ctx_t *c)
{
	bool on = true;
	int rc = mos__json_get_bool(ld, o, "enable", &on);

	(void)c;
	a->code = on;
	return rc;
}

/* "value" (required): an integer, -1000 .. 1000. */
static int parse_oom_adj(mos_jload_t *ld, json_t *o, sc_action_t *a,
			 sc_load_ctx_t *c)
{
	json_t *v = json_object_get(o, "value");
	int rc;

	(void)c;
	if ((rc = mos__json_require(ld, o, "value")))
		return rc;
	mos__jpath_push_key(&ld->path, "value");
	if (!json_is_integer(v) ||
	    json_integer_value(v) < MOS_OOM_SCORE_ADJ_MIN ||
	    json_integer_value(v) > MOS_OOM_SCORE_ADJ_MAX)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "expected an integer between %d and %d",
				    MOS_OOM_SCORE_ADJ_MIN,
				    MOS_OOM_SCORE_ADJ_MAX);
	else
		a->code = (int)json_integer_value(v);
	mos__jpath_pop(&ld->path);
	return rc;
}

/* A required object read by fn (a section reader of src/json/) into
 * scratch: checked at load, read again onto the live values when the
 * action runs. */
static int parse_section(mos_jload_t *ld, json_t *o, const char *key,
			 mos_jsection_fn fn)
{
	union {
		mos_rlimits_t r;
		mos_group_limits_t g;
	} scratch;
	int rc;

	memset(&scratch, 0, sizeof(scratch));
	if ((rc = mos__json_require(ld, o, key)))
		return rc;
	return mos__json_section(ld, o, key, fn, &scratch);
}

static int parse_limits(mos_jload_t *ld, json_t *o, sc_action_t *a,
			sc_load_ctx_t *c)
{
	(void)a;
	(void)c;
	return parse_section(ld, o, "limits", mos__svc_json_limits);
}

static int parse_quota(mos_jload_t *ld, json_t *o, sc_action_t *a,
		       sc_load_ctx_t *c)
{
	(void)a;
	(void)c;
	return parse_section(ld, o, "group_limits",
			     mos__svc_json_group_limits);
}

static int parse_clients(mos_jload_t *ld, json_t *o, sc_action_t *a,
			 sc_load_ctx_t *c)
{
	uint32_t rate = 0, count = 0, n = 1;
	mos_time_t timeout = MOS_TIME_NEVER;
	char buf[3][32];
	const char **v;
	int rc;

	if ((rc = mos__json_require(ld, o, "rate")) ||
	    (rc = mos__json_require(ld, o, "count")) ||
	    (rc = mos__json_get_u32(ld, o, "rate", 1, 1000000000, &rate)) ||
	    (rc = mos__json_get_u32(ld, o, "count", 1, UINT32_MAX, &count)) ||
	    (rc = mos__json_get_u32(ld, o, "clients", 1, 1000, &n)) ||
	    (rc = mos__json_get_duration(ld, o, "timeout", true, &timeout)))
		return rc;
	snprintf(buf[0], sizeof(buf[0]), "%u", rate);
	snprintf(buf[1], sizeof(buf[1]), "%u", count);
	snprintf(buf[2], sizeof(buf[2]), "%lluns",
		 (unsigned long long)timeout);
	if (!(v = mos__svc_json_take(&c->sc->svc, 6 * sizeof(*v) + 96)))
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	{
		char *s = (char *)(v + 6);

		v[0] = "client";
		v[1] = a->service;
		for (int i = 0; i < 3; i++) {
			memcpy(s + 32 * i, buf[i], sizeof(buf[i]));
			v[2 + i] = s + 32 * i;
		}
		if (timeout == MOS_TIME_NEVER)
			v[4] = NULL;
	}
	a->argv = v;
	a->count = n;
	return 0;
}

/* a->label from the string at key: required and not empty (a mark's
 * label), or optional and any string (an emergency stop's reason). */
static int read_label(mos_jload_t *ld, json_t *o, const char *key,
		      bool required, sc_action_t *a)
{
	json_t *v = json_object_get(o, key);
	int rc;

	if (!v && !required)
		return 0;
	if ((rc = mos__json_require(ld, o, key)))
		return rc;
	mos__jpath_push_key(&ld->path, key);
	if (!json_is_string(v) || (required && !json_string_value(v)[0]))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected a%s string",
				    required ? " non-empty" : "");
	mos__jpath_pop(&ld->path);
	a->label = json_string_value(v);
	return rc;
}

static int parse_mark(mos_jload_t *ld, json_t *o, sc_action_t *a,
		      sc_load_ctx_t *c)
{
	(void)c;
	return read_label(ld, o, "label", true, a);
}

static int parse_emergency(mos_jload_t *ld, json_t *o, sc_action_t *a,
			   sc_load_ctx_t *c)
{
	(void)c;
	return read_label(ld, o, "reason", false, a);
}

/* ---- the table ----------------------------------------------------------- */

static const char *const no_keys[] = {NULL};
static const char *const signal_keys[] = {"signal", NULL};
static const char *const crash_keys[] = {"code", NULL};
static const char *const limits_keys[] = {"limits", NULL};
static const char *const quota_keys[] = {"group_limits", NULL};
static const char *const clients_keys[] = {
	"rate", "count", "timeout", "clients", NULL,
};
static const char *const mark_keys[] = {"label", NULL};
static const char *const reason_keys[] = {"reason", NULL};
static const char *const oom_keys[] = {"enable", NULL};
static const char *const value_keys[] = {"value", NULL};

static const sc_act_type_t types[] = {
	{"start", SC_T_SERVICE, no_keys, NULL, run_start},
	{"stop", SC_T_SERVICE, no_keys, NULL, run_stop},
	{"restart", SC_T_SERVICE, no_keys, NULL, run_restart},
	{"kill", SC_T_PROC, no_keys, NULL, run_kill},
	{"suspend", SC_T_PROC, no_keys, NULL, run_suspend},
	{"resume", SC_T_PROC, no_keys, NULL, run_resume},
	{"signal", SC_T_PROC, signal_keys, parse_signal, run_signal},
	{"crash", SC_T_PROC, crash_keys, parse_crash, run_crash},
	{"hang", SC_T_PROC, no_keys, NULL, run_hang},
	{"set_limits", SC_T_PROC, limits_keys, parse_limits, run_set_limits},
	{"set_quota", SC_T_SERVICE, quota_keys, parse_quota, run_set_quota},
	{"clients", SC_T_SERVICE, clients_keys, parse_clients, run_clients},
	{"mark", 0, mark_keys, parse_mark, run_mark},
	{"emergency_stop", 0, reason_keys, parse_emergency, run_emergency},
	{"oom", 0, oom_keys, parse_oom, run_oom},
	{"oom_score_adj", SC_T_PROC, value_keys, parse_oom_adj, run_oom_adj},
};
#define NTYPES (sizeof(types) / sizeof(*types))

const sc_act_type_t *mos__sc_act_find(const char *name)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

const char *mos__sc_act_names(void)
{
	return "start, stop, restart, kill, suspend, resume, signal, crash, "
	       "hang, set_limits, set_quota, clients, mark, emergency_stop, oom, "
	       "oom_score_adj";
}

/* ---- reading one action -------------------------------------------------- */

static bool key_in(const char *key, const char *const *keys)
{
	for (; *keys; keys++)
		if (!strcmp(*keys, key))
			return true;
	return false;
}

static int check_keys(mos_jload_t *ld, json_t *o, const sc_act_type_t *t)
{
	static const char *const common[] = {"at", "do", "jitter", NULL};
	static const char *const proc[] = {"process", "service", "instance",
					   NULL};
	static const char *const svc[] = {"service", NULL};
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		if (key_in(key, common) || key_in(key, t->keys) ||
		    (t->target == SC_T_PROC && key_in(key, proc)) ||
		    (t->target == SC_T_SERVICE && key_in(key, svc)))
			continue;
		mos__jpath_push_key(&ld->path, key);
		return mos__json_fail(ld, MOS_ECONFIG,
				      "unknown key for action '%s'", t->name);
	}
	return 0;
}

const mos_service_descriptor_t *mos__sc_desc_named(const mos_scenario_t *sc,
						  const char *name)
{
	for (size_t i = 0; i < sc->svc.n; i++)
		if (!strcmp(sc->svc.descs[i].name, name))
			return &sc->svc.descs[i];
	return NULL;
}

/* "service" (required for a service action; for a process action, the
 * alternative to "process", with "instance"). */
static int read_target(mos_jload_t *ld, json_t *o, sc_action_t *a,
		       const mos_scenario_t *sc)
{
	json_t *p = json_object_get(o, "process");
	json_t *s = json_object_get(o, "service");
	const mos_service_descriptor_t *d;
	int rc = 0;

	a->proc = -1;
	if (!a->type->target)
		return 0;
	if (a->type->target == SC_T_SERVICE && !s)
		return mos__json_require(ld, o, "service");
	if (a->type->target == SC_T_PROC && !!p == !!s)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "give either \"process\" or "
				      "\"service\" (with \"instance\")");
	if (p) {
		mos__jpath_push_key(&ld->path, "process");
		if (!json_is_string(p))
			rc = mos__json_fail(ld, MOS_ECONFIG, "expected a string");
		else if ((a->proc = mos__sc_proc_named(
				  sc, json_string_value(p))) < 0)
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "no process named '%s'",
					    json_string_value(p));
		mos__jpath_pop(&ld->path);
		return rc;
	}
	mos__jpath_push_key(&ld->path, "service");
	if (!json_is_string(s))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected a string");
	else if (!(d = mos__sc_desc_named(sc, json_string_value(s))))
		rc = mos__json_fail(ld, MOS_ECONFIG, "no service named '%s'",
				    json_string_value(s));
	mos__jpath_pop(&ld->path);
	if (rc)
		return rc;
	a->service = json_string_value(s);
	if (a->type->target == SC_T_PROC)
		rc = mos__json_get_u32(ld, o, "instance", 0,
				       d->instances ? d->instances - 1 : 0,
				       &a->slot);
	return rc;
}

int mos__sc_read_action(mos_jload_t *ld, json_t *o, size_t i, void *ctx)
{
	mos_scenario_t *sc = ctx;
	sc_action_t *a = &sc->acts[i];
	sc_load_ctx_t c = {sc};
	char name[32];
	int rc;

	a->index = i;
	a->obj = o;
	a->fault = -1;
	if (!json_is_object(o))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	if ((rc = mos__json_require(ld, o, "at")) ||
	    (rc = mos__json_require(ld, o, "do")) ||
	    (rc = mos__json_get_duration(ld, o, "at", false, &a->at)) ||
	    (rc = mos__json_get_duration(ld, o, "jitter", false,
					 &a->jitter)) ||
	    (rc = mos__json_get_string(ld, o, "do", name, sizeof(name))))
		return rc;
	if (!(a->type = mos__sc_act_find(name))) {
		mos__jpath_push_key(&ld->path, "do");
		return mos__json_fail(ld, MOS_ECONFIG,
				      "unknown action '%s' (one of: %s)", name,
				      mos__sc_act_names());
	}
	if ((rc = check_keys(ld, o, a->type)) ||
	    (rc = read_target(ld, o, a, sc)))
		return rc;
	return a->type->parse ? a->type->parse(ld, o, a, &c) : 0;
}
