/*
 * src/kernel/pgrp.c - process groups and sessions (POSIX setpgid, setsid),
 * and what waitpid's pid names.
 *
 * A group or a session has no object of its own: it is the processes
 * whose pgid or sid is its number, found by a walk of the pid table (the
 * calls that need one are rare).  A group exists while a live process
 * (zombies included) belongs to it.
 */
#include "kernel_int.h"

bool mos__wait_names(const mos_proc_t *parent, mos_pid_t pid,
		     const mos_proc_t *child)
{
	if (pid > 0)
		return child->pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return child->cold.pgid == parent->cold.pgid;
	return child->cold.pgid == -pid;
}

mos_proc_t *mos__proc_next(mos_kernel_t *k, uint32_t *cursor)
{
	while (*cursor < k->pids.hi) {
		mos_proc_t *p = k->pids.slot[(*cursor)++];
		if (p)
			return p;
	}
	return NULL;
}

mos_pid_t mos__proc_pgid(const mos_proc_t *p) { return p->cold.pgid; }
mos_pid_t mos__proc_sid(const mos_proc_t *p) { return p->cold.sid; }

/* A live process in group pgid of session sid. */
static bool group_in_session(mos_kernel_t *k, mos_pid_t pgid, mos_pid_t sid)
{
	uint32_t cur = 0;
	mos_proc_t *p;

	while ((p = mos__proc_next(k, &cur))) {
		if (p->cold.pgid == pgid && p->cold.sid == sid)
			return true;
	}
	return false;
}

/* pid 0: self; else self or one of its live children. */
static mos_proc_t *self_or_child(mos_proc_t *self, mos_pid_t pid)
{
	mos_proc_t *p;

	if (pid == 0 || pid == self->pid)
		return self;
	p = mos__proc_lookup(self->k, pid);
	return p && p->ppid == self->pid ? p : NULL;
}

int mos_sys_setpgid(mos_proc_t *self, mos_pid_t pid, mos_pid_t pgid)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_SETPGID);
	mos_proc_t *p;

	if (pid < 0 || pgid < 0)
		return MOS_EINVAL;
	if (!(p = self_or_child(self, pid)))
		return MOS_EPROCNOTFOUND;
	if (pgid == 0)
		pgid = p->pid;
	if (p->cold.sid == p->pid || p->cold.sid != self->cold.sid)
		return MOS_EPERM;
	if (pgid != p->pid && !group_in_session(k, pgid, self->cold.sid))
		return MOS_EPERM;
	p->cold.pgid = pgid;
	return 0;
}

static mos_proc_t *named(mos_proc_t *self, mos_pid_t pid)
{
	if (pid == 0)
		return self;
	return pid > 0 ? mos__proc_lookup(self->k, pid) : NULL;
}

mos_pid_t mos_sys_getpgid(mos_proc_t *self, mos_pid_t pid)
{
	mos_proc_t *p;

	mos__sys_enter(self, MOS_SYS_GETPGID);
	return (p = named(self, pid)) ? p->cold.pgid : MOS_EPROCNOTFOUND;
}

mos_pid_t mos_sys_getsid(mos_proc_t *self, mos_pid_t pid)
{
	mos_proc_t *p;

	mos__sys_enter(self, MOS_SYS_GETSID);
	return (p = named(self, pid)) ? p->cold.sid : MOS_EPROCNOTFOUND;
}

mos_pid_t mos_sys_setsid(mos_proc_t *self)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_SETSID);

	/* A group leader cannot leave its group behind; nor may the new
	 * session's group number be some other group's. */
	if (self->cold.pgid == self->pid ||
	    group_in_session(k, self->pid, self->cold.sid))
		return MOS_EPERM;
	self->cold.pgid = self->cold.sid = self->pid;
	return self->pid;
}
