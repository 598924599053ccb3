/*
 * src/service/audit.c - the audit log: every request on a service (who,
 * what, on which, with what result) and every state change, in a ring
 * of MOS_SVC_AUDIT_SIZE entries, readable as structs and as JSON lines.
 * Also the documented process-level calls, which are requests too.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "service_int.h"

mos_audit_entry_t *mos__svc_audit(mos_svc_mgr_t *m, mos_uid_t uid,
				  mos_audit_op_t op, const mos_svc_t *s,
				  mos_service_id_t id, int result,
				  mos_svc_reason_t reason)
{
	mos_audit_entry_t *e = &m->audit[m->audit_seq % MOS_SVC_AUDIT_SIZE];

	*e = (mos_audit_entry_t){
		.seq = ++m->audit_seq,
		.time = mos_kernel_now(m->k),
		.uid = uid,
		.op = op,
		.service = id,
		.result = result,
		.reason = reason,
	};
	if (s)
		snprintf(e->name, sizeof(e->name), "%s", s->name);
	return e;
}

int mos_service_audit(mos_kernel_t *k, mos_audit_entry_t *out, size_t cap,
		      size_t *n)
{
	mos_svc_mgr_t *m;
	uint64_t first, count;

	if (!k || !n || (cap && !out))
		return MOS_EINVAL;
	m = mos__svc_mgr_peek(k);
	count = !m ? 0 : m->audit_seq < MOS_SVC_AUDIT_SIZE ? m->audit_seq
							   : MOS_SVC_AUDIT_SIZE;
	first = m ? m->audit_seq - count : 0;
	for (uint64_t i = 0; i < count && i < cap; i++)
		out[i] = m->audit[(first + i) % MOS_SVC_AUDIT_SIZE];
	*n = (size_t)count;
	return 0;
}

static const char *op_name(mos_audit_op_t op)
{
	static const char *const n[] = {
		"register", "unregister", "start", "stop", "restart", "pause",
		"resume", "enable", "disable", "state", "dependency_skipped",
		"call", "health",
	};

	return (unsigned)op < MOS_AUDIT_OP_COUNT ? n[op] : "?";
}

int mos_service_audit_json(mos_kernel_t *k, const char *path)
{
	mos_svc_mgr_t *m;
	uint64_t first, count;
	FILE *f;
	int e = 0;

	if (!k || !path)
		return MOS_EINVAL;
	if (!(f = fopen(path, "w")))
		return MOS_EIO;
	m = mos__svc_mgr_peek(k);
	count = !m ? 0 : m->audit_seq < MOS_SVC_AUDIT_SIZE ? m->audit_seq
							   : MOS_SVC_AUDIT_SIZE;
	first = m ? m->audit_seq - count : 0;
	for (uint64_t i = 0; i < count && e == 0; i++) {
		const mos_audit_entry_t *a =
			&m->audit[(first + i) % MOS_SVC_AUDIT_SIZE];
		json_t *o = json_pack(
			"{s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:I}", "seq",
			(json_int_t)a->seq, "time", (json_int_t)a->time, "uid",
			(json_int_t)a->uid, "op", op_name(a->op), "service",
			(json_int_t)a->service, "name", a->name, "result",
			a->op == MOS_AUDIT_STATE
				? mos_service_state_name((mos_service_state_t)a->result)
				: mos_err_name(a->result),
			"reason", mos_svc_reason_name(a->reason), "culprit",
			(json_int_t)a->culprit);

		if (!o || json_dumpf(o, f, JSON_COMPACT) < 0 || fputc('\n', f) == EOF)
			e = MOS_EIO;
		json_decref(o);
	}
	if (fclose(f) != 0)
		e = MOS_EIO;
	return e;
}

/* ---- the documented process-level calls -------------------------------- */

int mos_create_service_process(mos_kernel_t *k, mos_service_id_t want,
			       const char *name, const char *const *command,
			       bool auto_restart, uint32_t max_restarts,
			       mos_service_id_t *id)
{
	mos_service_descriptor_t d;
	mos_svc_mgr_t *m;

	if (!k || !id)
		return MOS_EINVAL;
	m = mos__svc_mgr_peek(k);
	if (want && mos__svc_get(m, want))
		return MOS_ESVCEXISTS;
	if (want && want != (m ? m->nids : 0) + 1)
		return MOS_EINVAL; /* ids are given in order */
	mos_service_descriptor_init(&d);
	d.name = name;
	d.command = command;
	d.restart.policy = auto_restart ? MOS_RESTART_ON_FAILURE : MOS_RESTART_NO;
	if (auto_restart)
		d.restart.max_restarts = max_restarts;
	return mos_service_register(k, 0, &d, id, NULL);
}

int mos_start_service_process(mos_kernel_t *k, mos_service_id_t id)
{
	return mos_service_start(k, 0, id);
}
