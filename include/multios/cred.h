/*
 * multios/cred.h - credentials, capabilities and isolation.
 *
 * Every process has credentials as a Unix process has them: a real, an
 * effective and a saved user id and group id, up to MOS_NGROUPS_MAX
 * supplementary groups, and a capability set (MOS_CAP_*).  A child gets
 * its parent's (spawn, create_process, or a host create that leaves them
 * at MOS_*_INHERIT); init has uid 0, gid 0, no groups and every
 * capability, so a process nobody gave credentials to is root, as it was
 * before credentials existed.
 *
 * Privileged for capability C means: effective uid 0, or C in the set.
 * The rules, as Linux's (docs/ARCHITECTURE.md, Credentials):
 *   - signal (the signals subsystem; SIGCONT has one more way, the same
 *     session): privileged for KILL, or the sender's real or effective
 *     uid is the target's real or saved uid;
 *   - priority (mos_sys_set_priority): the caller is privileged for NICE
 *     or its effective uid is the target's real or effective uid; and
 *     raising a priority above its current value (so reaching RealTime
 *     or Critical at all) needs NICE; lowering is always allowed.  A
 *     child created at a priority above its parent's, or at RealTime or
 *     Critical, needs NICE too (mos_sys_create_process);
 *   - setuid/setgid: privileged for SETUID (SETGID) sets all three ids;
 *     otherwise only the effective id may change, to the real or saved
 *     one.
 * ADMIN lets a process see past its isolation domain (below); RESOURCE
 * is reserved for resource limits (not enforced yet).
 *
 * A denial returns MOS_EPERM and changes nothing.  It is counted in the
 * kernel's stats (permission_denials) and recorded in the trace as a
 * MOS_TRACE_AUDIT event: subject the acting pid, cause the action
 * (mos_audit_action_t), a the target pid (the actor itself for create,
 * setuid and setgid), b what was asked (the signal number, the priority,
 * the uid or the gid).  Only denials are recorded.
 *
 * The host (every mos_process_* and mos_kernel_* call) acts as uid 0
 * with every capability, and sees every domain.
 *
 * Isolation (mos_isolation_t), a per-process attribute, inherited.  A
 * process created with a level of Namespace or above given explicitly
 * starts an isolation domain, nested in its parent's (at most
 * MOS_ISO_MAX_DEPTH deep); its children, and theirs, inherit the level
 * and stay in that domain.  A process sees (process info, process list),
 * signals and waits for the processes of its own domain and of the
 * domains nested in it, and no others, unless it holds ADMIN: to it the
 * others do not exist (MOS_EPROCNOTFOUND, not counted as a denial).
 * Pids are still the kernel's pids inside a domain (a domain does not
 * number its processes from 1), and a domain's first process does not
 * inherit ADMIN (a container's root is not the machine's administrator)
 * unless its spec gives it.  None and Process differ only in name here:
 * every simulated process is already isolated as a Unix process is.
 */
#ifndef MULTIOS_CRED_H
#define MULTIOS_CRED_H

#include <stdint.h>

#include "types.h"

typedef uint32_t mos_uid_t;
typedef uint32_t mos_gid_t;

/* In a spec: take the parent's.  Never a valid id (Linux's (uid_t)-1). */
#define MOS_UID_INHERIT ((mos_uid_t)-1)
#define MOS_GID_INHERIT ((mos_gid_t)-1)
#define MOS_GROUPS_INHERIT (-1)
#define MOS_NGROUPS_MAX 16

/* Capabilities: a bit set. */
enum {
	MOS_CAP_KILL = 1u << 0,     /* signal any process */
	MOS_CAP_NICE = 1u << 1,     /* raise priorities, RealTime, Critical */
	MOS_CAP_ADMIN = 1u << 2,    /* administer: see every domain */
	MOS_CAP_RESOURCE = 1u << 3, /* exceed resource limits (reserved) */
	MOS_CAP_SETUID = 1u << 4,   /* set any uid */
	MOS_CAP_SETGID = 1u << 5,   /* set any gid */
	MOS_CAP_ALL = (1u << 6) - 1
};
#define MOS_CAPS_INHERIT UINT32_MAX

/* Ordered: a larger value isolates more. */
typedef enum mos_isolation {
	MOS_ISO_INHERIT = -1,       /* in a spec: the parent's level */
	MOS_ISO_NONE,
	MOS_ISO_PROCESS,
	MOS_ISO_NAMESPACE,
	MOS_ISO_CONTAINER,
	MOS_ISO_VM,
	MOS_ISO_COUNT
} mos_isolation_t;
#define MOS_ISO_MAX_DEPTH 8

/* What a denial (a MOS_TRACE_AUDIT event's cause) was about. */
typedef enum mos_audit_action {
	MOS_AUDIT_SIGNAL,   /* a signal to another process */
	MOS_AUDIT_PRIORITY, /* a priority change */
	MOS_AUDIT_CREATE,   /* a child at a priority the caller may not give */
	MOS_AUDIT_SETUID,
	MOS_AUDIT_SETGID,
	MOS_AUDIT_SETRLIMIT, /* a hard limit raised (multios/resource.h) */
	MOS_AUDIT_IOPRIO,    /* an I/O priority (multios/resource.h) */
	MOS_AUDIT_SVC_CALL,  /* a request to a service whose allow list
				does not name the caller: a the service
				id, b 0 (multios/service.h) */
	MOS_AUDIT_ADMIN,     /* an administrative call by a process
				without MOS_CAP_ADMIN: a 0, b the
				mos_admin_op_t asked (multios/admin.h) */
	MOS_AUDIT_COUNT
} mos_audit_action_t;

/* "None", "Process", "Namespace", "Container", "VM"; "?" otherwise. */
MOS_API const char *mos_isolation_name(mos_isolation_t level);
/* Parse a name, case-insensitive.  Errors: MOS_EINVAL. */
MOS_API int mos_isolation_parse(const char *name, mos_isolation_t *out);

/*
 * System calls (on the caller's coroutine; see syscall.h).  The getters
 * return the caller's real and effective ids and its capability set.
 */
MOS_API mos_uid_t mos_sys_getuid(mos_proc_t *self);
MOS_API mos_uid_t mos_sys_geteuid(mos_proc_t *self);
MOS_API mos_gid_t mos_sys_getgid(mos_proc_t *self);
MOS_API mos_gid_t mos_sys_getegid(mos_proc_t *self);
MOS_API uint32_t mos_sys_getcaps(mos_proc_t *self);

/*
 * Set the caller's user id as POSIX setuid does: privileged for SETUID,
 * the real, effective and saved uids all become uid, and if none of them
 * is 0 any more where one was, every capability is dropped (Linux's rule
 * for leaving root); otherwise the effective uid becomes uid if uid is
 * the real or the saved one.  mos_sys_setgid is the same for group ids
 * with SETGID (no capability is dropped).
 * Errors: MOS_EINVAL (MOS_UID_INHERIT / MOS_GID_INHERIT), MOS_EPERM
 * (audited).
 */
MOS_API int mos_sys_setuid(mos_proc_t *self, mos_uid_t uid);
MOS_API int mos_sys_setgid(mos_proc_t *self, mos_gid_t gid);

/* Drop the capabilities in caps (others are kept).  A process can never
 * gain one back.  Errors: MOS_EINVAL (bits outside MOS_CAP_ALL). */
MOS_API int mos_sys_dropcaps(mos_proc_t *self, uint32_t caps);

#endif
