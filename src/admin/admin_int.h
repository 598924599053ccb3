/*
 * src/admin/admin_int.h - the admin module (multios/admin.h): the system
 * administration interface over the public process, resource and service
 * APIs.  The folder owns the admin state (kept in the kernel's
 * MOS_SUBSYS_ADMIN slot, made on first use): its audit ring, the recent
 * limit violations, top's previous sample, the oom_score_adj table and a
 * pending emergency stop.  admin.c (the state, actors, the audit, the
 * OOM response), emergency.c (the emergency stop), snapshot.c
 * (overview, ps, top, the service tree).  It includes the public headers,
 * src/util/ and the kernel's seams (src/kernel/seams.h) for the slot, its
 * exit hook, the SIGKILL timer, denials and the trace mark; the JSON
 * writers are in src/json/admin_json.c.
 */
#ifndef MOS_ADMIN_INT_H
#define MOS_ADMIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/seams.h"
#include "multios/admin.h"

typedef struct mos_admin_adj {
	mos_pid_t pid;
	int adj;
} mos_admin_adj_t;

/* A process's CPU time in top's previous sample. */
typedef struct mos_admin_cpu {
	mos_pid_t pid;
	mos_time_t created;
	mos_time_t cpu;
} mos_admin_cpu_t;

/* An emergency stop's target awaiting the SIGKILL step: a process (svc
 * 0), or a service (pid 0). */
typedef struct mos_admin_target {
	mos_priority_t prio;
	mos_pid_t pid;
	mos_time_t created;
	mos_service_id_t svc;
} mos_admin_target_t;

typedef struct mos_admin {
	mos_kernel_t *k;
	const mos_allocator_t *a;
	int sub;                       /* LIMIT and OOM events; -1 */
	uint64_t seq;                  /* audit entries made */
	mos_admin_audit_entry_t audit[MOS_ADMIN_AUDIT_SIZE];
	uint64_t nviol;                /* violations seen */
	mos_admin_violation_t viol[MOS_ADMIN_VIOLATIONS];
	bool oom_on;
	uint64_t oom_kills;
	mos_time_t last_oom;           /* the last kill's instant; NEVER */
	mos_admin_adj_t *adj;          /* by pid */
	size_t nadj, capadj;
	mos_admin_cpu_t *top;          /* by pid */
	size_t ntop;
	mos_time_t top_at;
	mos_timer_t timer;             /* the emergency stop's SIGKILL */
	bool pending;
	mos_admin_target_t *targets;   /* of the pending stop */
	size_t ntargets;
	mos_pid_t em_actor;
	mos_uid_t em_uid;
} mos_admin_t;

/* The admin state, made on first use (NULL: MOS_ENOMEM). */
mos_admin_t *mos__admin(mos_kernel_t *k);

/* Check actor for an administrative op: 0 when allowed (*uid its
 * effective uid, 0 for the host); MOS_EPERM audited and counted. */
int mos__admin_may(mos_admin_t *ad, mos_pid_t actor, mos_admin_op_t op,
		   mos_uid_t *uid);

/* Append an audit entry (reason may be NULL). */
void mos__admin_audit(mos_admin_t *ad, mos_pid_t actor, mos_uid_t uid,
		      mos_admin_op_t op, mos_pid_t pid, mos_service_id_t svc,
		      int result, int64_t value, const char *reason);

/* pid's oom_score_adj (0 when not set). */
int mos__admin_adj(const mos_admin_t *ad, mos_pid_t pid);

/* A process is critical: priority Critical or class System. */
static inline bool mos__admin_critical(mos_priority_t prio,
				       mos_prio_class_t cls)
{
	return prio == MOS_PRIO_CRITICAL || cls == MOS_CLASS_SYSTEM;
}

/* argv joined by spaces into buf (truncated). */
void mos__admin_command(const mos_process_info_t *in, char *buf, size_t len);

void mos__admin_emergency_fini(mos_admin_t *ad);
int mos__admin_emergency_init(mos_admin_t *ad);

#endif
