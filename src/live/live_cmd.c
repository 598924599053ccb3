/*
 * src/live/live_cmd.c - the live admin protocol's commands: one request
 * line to its reply object (docs/LIVE.md).  Snapshots come from the admin
 * module's JSON writers (read back into json_t), a service's status and
 * the events are built here from the public structs.  Every command acts
 * as the host (actor 0).  A command that changes the kernel also ends
 * its current realtime wait (mos_kernel_wakeup), so what it set in motion
 * (a SIGTERM's handler, a restart) runs at once rather than at the far
 * event the kernel was waiting for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live_int.h"

json_t *mos__live_error(int code, const char *msg)
{
	return json_pack("{s:b, s:s, s:i, s:s}", "ok", 0, "error", msg,
			 "code", code, "name", mos_err_name(code));
}

static json_t *ok(json_t *result)
{
	if (!result)
		return NULL;
	return json_pack("{s:b, s:o}", "ok", 1, "result", result);
}

/* The error of a failed call: the code's message, with what failed. */
static json_t *fail(int code, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what, mos_strerror(code));
	return mos__live_error(code, msg);
}

typedef enum snap {
	SNAP_PS,
	SNAP_TOP_CPU,
	SNAP_TOP_MEM,
	SNAP_SERVICES,
	SNAP_STATS,
	SNAP_AUDIT,
} snap_t;

/* The JSON lines of the audit log as one array. */
static json_t *lines_array(const char *buf, size_t n)
{
	json_t *arr = json_array();
	const char *p = buf, *end = buf + n;

	while (arr && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *v;

		if (len && (!(v = json_loadb(p, len, 0, NULL)) ||
			    json_array_append_new(arr, v) < 0)) {
			json_decref(arr);
			return NULL;
		}
		p += len + 1;
	}
	return arr;
}

/* A snapshot from the admin module's writer, read back; *err its error. */
static json_t *snapshot(mos_kernel_t *k, snap_t which, int *err)
{
	char *buf = NULL;
	size_t n = 0;
	json_t *v = NULL;
	FILE *f = open_memstream(&buf, &n);

	if (!f) {
		*err = MOS_ENOMEM;
		return NULL;
	}
	switch (which) {
	case SNAP_PS: *err = mos_admin_ps_json(k, f); break;
	case SNAP_TOP_CPU: *err = mos_admin_top_json(k, MOS_ADMIN_BY_CPU, f); break;
	case SNAP_TOP_MEM: *err = mos_admin_top_json(k, MOS_ADMIN_BY_MEMORY, f); break;
	case SNAP_SERVICES: *err = mos_admin_services_json(k, f); break;
	case SNAP_STATS: *err = mos_admin_overview_json(k, f); break;
	case SNAP_AUDIT: *err = mos_admin_audit_jsonl(k, f); break;
	}
	if (fclose(f) != 0 && *err == 0)
		*err = MOS_ENOMEM;
	if (*err == 0) {
		v = which == SNAP_AUDIT ? lines_array(buf, n)
					: json_loadb(buf, n, 0, NULL);
		if (!v)
			*err = MOS_ENOMEM;
	}
	free(buf);
	return v;
}

static json_t *pids_array(const mos_service_status_t *st)
{
	json_t *a = json_array();

	for (uint32_t i = 0; a && i < st->ninstances; i++)
		if (json_array_append_new(a, json_integer(st->pids[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* A service's status (mos_service_status_t) as an object. */
static json_t *status_json(const mos_service_status_t *st)
{
	return json_pack(
		"{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:I, s:o*, s:I,"
		" s:I, s:i, s:I, s:I, s:I, s:I}",
		"id", (json_int_t)st->id, "name", st->name,
		"type", mos_service_type_name(st->type),
		"state", mos_service_state_name(st->state),
		"since_ns", (json_int_t)st->since,
		"reason", mos_svc_reason_name(st->reason),
		"error", st->error ? mos_err_name(st->error) : "MOS_OK",
		"enabled", st->enabled,
		"instances", (json_int_t)st->ninstances,
		"pids", pids_array(st),
		"ready", (json_int_t)st->ready,
		"restarts", (json_int_t)st->restarts,
		"last_exit_status", st->last_exit_status,
		"requests", (json_int_t)st->requests,
		"replies", (json_int_t)st->replies,
		"request_failures", (json_int_t)st->request_failures,
		"health_failures", (json_int_t)st->health_failures);
}

/* The string field `key` of req, or NULL (then *reply says why). */
static const char *str_field(json_t *req, const char *key, json_t **reply)
{
	json_t *v = json_object_get(req, key);
	char msg[96];

	if (json_is_string(v) && json_string_length(v) > 0)
		return json_string_value(v);
	snprintf(msg, sizeof(msg), "'%s' must be a non-empty string", key);
	*reply = mos__live_error(MOS_EINVAL, msg);
	return NULL;
}

typedef int (*svc_op_fn)(mos_kernel_t *, mos_pid_t, mos_service_id_t);

/* status, start, stop, restart NAME: op NULL for status. */
static json_t *cmd_service(mos_live_t *srv, json_t *req, svc_op_fn op,
			   const char *what)
{
	mos_service_status_t st;
	mos_service_id_t id;
	json_t *reply = NULL;
	const char *name = str_field(req, "name", &reply);
	int err;

	if (!name)
		return reply;
	if ((err = mos_service_find(srv->k, name, &id)) < 0)
		return fail(err, name);
	if (op) {
		err = op(srv->k, 0, id);
		mos_kernel_wakeup(srv->k);
		if (err < 0)
			return fail(err, what);
	}
	if ((err = mos_service_status(srv->k, id, &st)) < 0)
		return fail(err, name);
	return ok(status_json(&st));
}

static json_t *cmd_kill(mos_live_t *srv, json_t *req)
{
	json_t *pid = json_object_get(req, "pid");
	json_t *sig = json_object_get(req, "signal");
	int signo = MOS_SIGTERM, err;

	if (!json_is_integer(pid) || json_integer_value(pid) <= 0 ||
	    json_integer_value(pid) > INT32_MAX)
		return mos__live_error(MOS_EINVAL,
				       "'pid' must be a positive integer");
	if (json_is_integer(sig)) {
		json_int_t s = json_integer_value(sig);

		signo = s >= 0 && s <= 64 ? (int)s : -1;
		if (!mos_signal_name(signo))
			return mos__live_error(MOS_EINVAL, "no such signal");
	} else if (json_is_string(sig)) {
		if (mos_signal_parse(json_string_value(sig), &signo) < 0)
			return mos__live_error(MOS_EINVAL, "no such signal");
	} else if (sig) {
		return mos__live_error(MOS_EINVAL,
				       "'signal' must be a name or a number");
	}
	err = mos_process_send_signal(srv->k, (mos_pid_t)json_integer_value(pid),
				      signo);
	mos_kernel_wakeup(srv->k);
	if (err < 0)
		return fail(err, "kill");
	return ok(json_pack("{s:I, s:s}", "pid", json_integer_value(pid),
			    "signal", mos_signal_name(signo)));
}

static json_t *cmd_emergency(mos_live_t *srv, json_t *req)
{
	json_t *r = json_object_get(req, "reason");
	const char *reason = json_is_string(r) ? json_string_value(r) : "live";
	int err;

	if (r && !json_is_string(r))
		return mos__live_error(MOS_EINVAL, "'reason' must be a string");
	err = mos_admin_emergency_stop(srv->k, 0, reason);
	mos_kernel_wakeup(srv->k);
	if (err < 0)
		return fail(err, "emergency-stop");
	return ok(json_pack("{s:s, s:I}", "reason", reason, "t_ns",
			    (json_int_t)mos_kernel_now(srv->k)));
}

static json_t *cmd_snapshot(mos_live_t *srv, snap_t which, const char *what)
{
	int err = 0;
	json_t *v = snapshot(srv->k, which, &err);

	return err < 0 ? fail(err, what) : ok(v);
}

static json_t *cmd_top(mos_live_t *srv, json_t *req)
{
	json_t *sort = json_object_get(req, "sort");
	const char *s = json_is_string(sort) ? json_string_value(sort) : NULL;

	if (!sort || (s && strcmp(s, "cpu") == 0))
		return cmd_snapshot(srv, SNAP_TOP_CPU, "top");
	if (s && strcmp(s, "memory") == 0)
		return cmd_snapshot(srv, SNAP_TOP_MEM, "top");
	return mos__live_error(MOS_EINVAL, "'sort' must be \"cpu\" or \"memory\"");
}

/* The request object's command, dispatched. */
static json_t *dispatch(mos_live_t *srv, json_t *req, const char *cmd,
			mos__live_act_t *act)
{
	char msg[128];

	if (strcmp(cmd, "ps") == 0)
		return cmd_snapshot(srv, SNAP_PS, "ps");
	if (strcmp(cmd, "top") == 0)
		return cmd_top(srv, req);
	if (strcmp(cmd, "services") == 0)
		return cmd_snapshot(srv, SNAP_SERVICES, "services");
	if (strcmp(cmd, "stats") == 0)
		return cmd_snapshot(srv, SNAP_STATS, "stats");
	if (strcmp(cmd, "audit") == 0)
		return cmd_snapshot(srv, SNAP_AUDIT, "audit");
	if (strcmp(cmd, "status") == 0)
		return cmd_service(srv, req, NULL, "status");
	if (strcmp(cmd, "start") == 0)
		return cmd_service(srv, req, mos_service_start, "start");
	if (strcmp(cmd, "stop") == 0)
		return cmd_service(srv, req, mos_service_stop, "stop");
	if (strcmp(cmd, "restart") == 0)
		return cmd_service(srv, req, mos_service_restart, "restart");
	if (strcmp(cmd, "kill") == 0)
		return cmd_kill(srv, req);
	if (strcmp(cmd, "emergency-stop") == 0)
		return cmd_emergency(srv, req);
	if (strcmp(cmd, "watch") == 0) {
		*act = MOS__LIVE_WATCH;
		return ok(json_pack("{s:b, s:I}", "watching", 1, "t_ns",
				    (json_int_t)mos_kernel_now(srv->k)));
	}
	snprintf(msg, sizeof(msg), "unknown command '%.64s'", cmd);
	return mos__live_error(MOS_EINVAL, msg);
}

json_t *mos__live_handle(mos_live_t *srv, const char *line, size_t len,
			 mos__live_act_t *act)
{
	json_error_t jerr;
	json_t *req, *cmd, *reply;
	char msg[256];

	*act = MOS__LIVE_REPLY;
	/* Any JSON value parses, so that a bare string or number gets the
	 * same "a request is a JSON object" as an array does. */
	if (!(req = json_loadb(line, len,
			       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr))) {
		snprintf(msg, sizeof(msg), "bad JSON at column %d: %s",
			 jerr.column, jerr.text);
		return mos__live_error(MOS_EINVAL, msg);
	}
	cmd = json_object_get(req, "cmd");
	if (!json_is_object(req))
		reply = mos__live_error(MOS_EINVAL,
					"a request is a JSON object");
	else if (!json_is_string(cmd))
		reply = mos__live_error(MOS_EINVAL,
					"'cmd' must be a string");
	else
		reply = dispatch(srv, req, json_string_value(cmd), act);
	json_decref(req);
	return reply;
}

/* A service event's service name ("?" once unregistered). */
static const char *svc_name(mos_kernel_t *k, mos_service_id_t id)
{
	mos_service_status_t st;

	return mos_service_status(k, id, &st) == 0 && st.name ? st.name : "?";
}

json_t *mos__live_event(mos_kernel_t *k, const mos_kevent_t *ev)
{
	json_t *o = json_pack("{s:s, s:I, s:i}", "event",
			      mos_kev_type_name(ev->type), "t_ns",
			      (json_int_t)ev->time, "pid", ev->pid);
	json_t *more = NULL;

	if (!o)
		return NULL;
	switch (ev->type) {
	case MOS_KEV_CREATED:
		more = json_pack("{s:i, s:s}", "ppid", ev->ppid, "state",
				 mos_state_name(ev->to));
		break;
	case MOS_KEV_STATE:
		more = json_pack("{s:s, s:s, s:s}", "from",
				 mos_state_name(ev->from), "to",
				 mos_state_name(ev->to), "cause",
				 mos_cause_name(ev->cause));
		break;
	case MOS_KEV_EXITED:
		more = json_pack("{s:i, s:s}", "status", ev->status, "cause",
				 mos_cause_name(ev->cause));
		break;
	case MOS_KEV_REAPED:
		more = json_pack("{s:i}", "status", ev->status);
		break;
	case MOS_KEV_LIMIT:
		more = json_pack("{s:i, s:I, s:I}", "resource", ev->status,
				 "value", (json_int_t)ev->a, "limit",
				 (json_int_t)ev->b);
		break;
	case MOS_KEV_SERVICE:
		more = json_pack("{s:I, s:s, s:s, s:s}", "id",
				 (json_int_t)ev->a, "service",
				 svc_name(k, (mos_service_id_t)ev->a), "state",
				 mos_service_state_name(
					 (mos_service_state_t)ev->status),
				 "reason",
				 mos_svc_reason_name((mos_svc_reason_t)ev->b));
		break;
	case MOS_KEV_OOM:
		more = json_pack("{s:I, s:I}", "bytes", (json_int_t)ev->a,
				 "memory_size", (json_int_t)ev->b);
		break;
	default:
		break;
	}
	if (more && json_object_update(o, more) < 0) {
		json_decref(more);
		json_decref(o);
		return NULL;
	}
	json_decref(more);
	return o;
}
