/*
 * src/service/security.c - who may call a service (docs/SERVICES.md,
 * "Service security").
 *
 * A service's allow list names uids, gids and services.  Empty, anyone
 * may call it; otherwise a request is delivered only when the caller's
 * effective uid or effective gid is listed, or the caller is an instance
 * of a listed service.  The credentials are the kernel's, stamped on
 * every message (multios/ipc.h), never the caller's word.  The list binds
 * every process, root and ADMIN holders included (a service's own
 * policy, like a firewall rule); only the host is above it.  Discovery
 * hides what the caller may not call, unless it holds ADMIN
 * (discover.c).
 */
#include <string.h>

#include "service_int.h"

static bool has_allow_list(const mos_svc_t *s)
{
	return s->nallow_uids || s->nallow_gids || s->nallow_services;
}

bool mos__svc_may_call(const mos_svc_t *s, const mos_proc_t *caller)
{
	const mos_svc_t *own;
	mos_uid_t uid;
	mos_gid_t gid;

	if (!caller || !has_allow_list(s))
		return true;
	uid = mos__proc_euid(caller);
	gid = mos__proc_egid(caller);
	for (uint32_t i = 0; i < s->nallow_uids; i++)
		if (s->allow_uids[i] == uid)
			return true;
	for (uint32_t i = 0; i < s->nallow_gids; i++)
		if (s->allow_gids[i] == gid)
			return true;
	if (!s->nallow_services ||
	    !(own = mos__svc_of_pid(s->m, mos__proc_pid(caller))))
		return false;
	for (uint32_t i = 0; i < s->nallow_services; i++)
		if (strcmp(s->allow_services[i], own->name) == 0)
			return true;
	return false;
}

int mos__svc_call_refused(mos_svc_t *s, const mos_proc_t *caller)
{
	mos__svc_audit(s->m, mos__proc_euid(caller), MOS_AUDIT_CALL, s, s->id,
		       MOS_EPERM, MOS_SVC_R_REQUEST);
	return mos__cred_deny(s->m->k, caller, MOS_AUDIT_SVC_CALL,
			      (mos_pid_t)s->id, 0);
}
