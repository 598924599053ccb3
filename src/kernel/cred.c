/*
 * src/kernel/cred.c - credentials, capabilities and isolation domains:
 * who may do what to whom (the rules are in multios/cred.h).
 *
 * The checks are pure functions of the credentials in two control
 * blocks; a caller that refuses because of one returns mos__cred_deny's
 * code, which counts and audits the denial.  The permission checks the
 * signals subsystem needs (may_see, may_signal, deny) are seams
 * (src/kernel/seams.h).  Nothing here is on a hot path: credentials live
 * in the cold part of the control block.
 */
#include <string.h>

#include "kernel_int.h"

/* SIGCONT in Linux's x86-64 numbering, which the signals subsystem uses. */
#define CRED_SIGCONT 18

static bool privileged(const mos_cred_t *c, uint32_t cap)
{
	return c->euid == 0 || (c->caps & cap);
}

/* ---- creation -------------------------------------------------------- */

int mos__cred_check(const mos_kernel_t *k, const mos_process_spec_t *spec,
		    const mos_proc_t *parent)
{
	const mos_cred_t *pc = &parent->cold.cred;

	if (spec->caps != MOS_CAPS_INHERIT && (spec->caps & ~(uint32_t)MOS_CAP_ALL))
		return MOS_EINVAL;
	if (spec->ngroups != MOS_GROUPS_INHERIT) {
		if (spec->ngroups < 0 || spec->ngroups > MOS_NGROUPS_MAX ||
		    (spec->ngroups && !spec->groups))
			return MOS_EINVAL;
		for (int i = 0; i < spec->ngroups; i++)
			if (spec->groups[i] == MOS_GID_INHERIT)
				return MOS_EINVAL;
	}
	if (spec->isolation == MOS_ISO_INHERIT)
		return 0;
	if ((unsigned)spec->isolation >= MOS_ISO_COUNT)
		return MOS_EINVAL;
	/* No process leaves its parent's domain. */
	if (spec->isolation < MOS_ISO_NAMESPACE)
		return pc->iso >= MOS_ISO_NAMESPACE ? MOS_EINVAL : 0;
	if (pc->depth >= MOS_ISO_MAX_DEPTH)
		return MOS_ELIMIT;
	/* Domain ids are never reused: past 2^32 - 1 of them, no more. */
	return k->domains == UINT32_MAX ? MOS_EEXHAUSTED : 0;
}

void mos__cred_give(mos_kernel_t *k, mos_proc_t *p,
		    const mos_process_spec_t *spec, const mos_proc_t *parent)
{
	mos_cred_t *c = &p->cold.cred;

	*c = parent->cold.cred;
	if (spec->uid != MOS_UID_INHERIT)
		c->ruid = c->euid = c->suid = spec->uid;
	if (spec->gid != MOS_GID_INHERIT)
		c->rgid = c->egid = c->sgid = spec->gid;
	if (spec->ngroups != MOS_GROUPS_INHERIT) {
		c->ngroups = (uint8_t)spec->ngroups;
		if (spec->ngroups)
			memcpy(c->groups, spec->groups,
			       (size_t)spec->ngroups * sizeof(*c->groups));
	}
	if (spec->isolation != MOS_ISO_INHERIT) {
		c->iso = (uint8_t)spec->isolation;
		if (spec->isolation >= MOS_ISO_NAMESPACE) {
			c->dom[c->depth++] = ++k->domains;
			/* A container's root is not the machine's
			 * administrator, unless the host says so. */
			c->caps &= ~(uint32_t)MOS_CAP_ADMIN;
		}
	}
	if (spec->caps != MOS_CAPS_INHERIT)
		c->caps = spec->caps;
}

void mos__cred_init_root(mos_proc_t *p)
{
	memset(&p->cold.cred, 0, sizeof(p->cold.cred));
	p->cold.cred.caps = MOS_CAP_ALL;
}

void mos__cred_fill_info(const mos_proc_t *p, mos_process_info_t *info)
{
	const mos_cred_t *c = &p->cold.cred;

	info->uid = c->ruid;
	info->euid = c->euid;
	info->suid = c->suid;
	info->gid = c->rgid;
	info->egid = c->egid;
	info->sgid = c->sgid;
	info->ngroups = c->ngroups;
	memcpy(info->groups, c->groups, sizeof(info->groups));
	info->caps = c->caps;
	info->isolation = (mos_isolation_t)c->iso;
	info->domain = c->depth ? c->dom[c->depth - 1] : 0;
}

/* ---- the rules --------------------------------------------------------- */

bool mos__cred_capable(const mos_proc_t *p, uint32_t cap)
{
	return !p || privileged(&p->cold.cred, cap);
}

bool mos__cred_may_see(const mos_proc_t *actor, const mos_proc_t *target)
{
	const mos_cred_t *a, *t;

	if (!actor)
		return true;
	a = &actor->cold.cred;
	t = &target->cold.cred;
	if (a->depth == 0 || (a->caps & MOS_CAP_ADMIN))
		return true;
	/* Domain ids are unique, so the innermost of a's domains being on
	 * t's path at the same depth means t's path starts with a's. */
	return t->depth >= a->depth &&
	       t->dom[a->depth - 1] == a->dom[a->depth - 1];
}

/* Whether a and b are in one session (pgrp.c keeps them). */
static bool same_session(const mos_proc_t *a, const mos_proc_t *b)
{
	return a->cold.sid == b->cold.sid;
}

bool mos__cred_may_signal(const mos_proc_t *sender, const mos_proc_t *target,
			  int sig)
{
	const mos_cred_t *s, *t;

	if (!sender)
		return true;
	s = &sender->cold.cred;
	t = &target->cold.cred;
	if (privileged(s, MOS_CAP_KILL) || s->euid == t->ruid ||
	    s->euid == t->suid || s->ruid == t->ruid || s->ruid == t->suid)
		return true;
	return sig == CRED_SIGCONT && same_session(sender, target);
}

bool mos__cred_may_prio(const mos_proc_t *actor, const mos_proc_t *target,
			mos_priority_t prio)
{
	const mos_cred_t *a, *t;

	if (!actor)
		return true;
	a = &actor->cold.cred;
	t = &target->cold.cred;
	if (privileged(a, MOS_CAP_NICE))
		return true;
	/* Linux's setpriority: the caller's effective uid must own the
	 * target; then only lowering is free. */
	return (a->euid == t->ruid || a->euid == t->euid) &&
	       prio <= target->priority;
}

bool mos__cred_may_create(const mos_proc_t *actor, mos_priority_t prio)
{
	return privileged(&actor->cold.cred, MOS_CAP_NICE) ||
	       (prio <= actor->priority && prio < MOS_PRIO_REALTIME);
}

int mos__cred_deny(mos_kernel_t *k, const mos_proc_t *actor,
		   mos_audit_action_t action, mos_pid_t target, uint64_t asked)
{
	k->stats.permission_denials++;
	mos__trace_emit(k, MOS_TRACE_AUDIT, actor->pid, (uint8_t)action,
			(uint64_t)(uint32_t)target, asked);
	return MOS_EPERM;
}

/* ---- system calls ------------------------------------------------------ */

mos_uid_t mos_sys_getuid(mos_proc_t *self)
{
	return mos__sys_self(self, MOS_SYS_GETUID)->cold.cred.ruid;
}

mos_uid_t mos_sys_geteuid(mos_proc_t *self)
{
	return mos__sys_self(self, MOS_SYS_GETEUID)->cold.cred.euid;
}

mos_gid_t mos_sys_getgid(mos_proc_t *self)
{
	return mos__sys_self(self, MOS_SYS_GETGID)->cold.cred.rgid;
}

mos_gid_t mos_sys_getegid(mos_proc_t *self)
{
	return mos__sys_self(self, MOS_SYS_GETEGID)->cold.cred.egid;
}

uint32_t mos_sys_getcaps(mos_proc_t *self)
{
	return mos__sys_self(self, MOS_SYS_GETCAPS)->cold.cred.caps;
}

/* POSIX setuid and setgid on one triple of ids: the privileged set all
 * three, the others only the effective one, to the real or saved one. */
static int set_id(mos_proc_t *p, uint32_t cap, mos_audit_action_t action,
		  uint32_t *r, uint32_t *e, uint32_t *s, uint32_t id)
{
	if (id == MOS_UID_INHERIT)
		return MOS_EINVAL;
	if (privileged(&p->cold.cred, cap)) {
		*r = *e = *s = id;
		return 0;
	}
	if (id != *r && id != *s)
		return mos__cred_deny(p->k, p, action, p->pid, id);
	*e = id;
	return 0;
}

int mos_sys_setuid(mos_proc_t *self, mos_uid_t uid)
{
	mos_cred_t *c = &mos__sys_self(self, MOS_SYS_SETUID)->cold.cred;
	bool was_root = !c->ruid || !c->euid || !c->suid;
	mos_uid_t old = c->ruid;
	int err = set_id(self, MOS_CAP_SETUID, MOS_AUDIT_SETUID, &c->ruid,
			 &c->euid, &c->suid, uid);

	if (err == 0 && c->ruid != old)
		mos__res_uid_changed(self->k, self, old);

	/* Linux: leaving root altogether (no id 0 left where one was)
	 * clears the capabilities. */
	if (err == 0 && was_root && c->ruid && c->euid && c->suid)
		c->caps = 0;
	return err;
}

int mos_sys_setgid(mos_proc_t *self, mos_gid_t gid)
{
	mos_cred_t *c = &mos__sys_self(self, MOS_SYS_SETGID)->cold.cred;

	return set_id(self, MOS_CAP_SETGID, MOS_AUDIT_SETGID, &c->rgid,
		      &c->egid, &c->sgid, gid);
}

int mos_sys_dropcaps(mos_proc_t *self, uint32_t caps)
{
	mos_cred_t *c = &mos__sys_self(self, MOS_SYS_DROPCAPS)->cold.cred;

	if (caps & ~(uint32_t)MOS_CAP_ALL)
		return MOS_EINVAL;
	c->caps &= ~caps;
	return 0;
}

int mos_sys_process_list(mos_proc_t *self, mos_pid_t *pids, size_t cap,
			 size_t *count)
{
	mos_proc_t *p = mos__sys_self(self, MOS_SYS_PROCESS_LIST);

	return mos__proc_list(p->k, p, pids, cap, count);
}
