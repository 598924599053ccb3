/*
 * multios/admin.h - the system administration interface (the MultiOS
 * documentation's admin module): snapshots of the whole machine for an
 * operator (overview, ps, top, the service tree, the admin audit log),
 * each as a plain C struct and as JSON, and the emergency procedures
 * (emergency stop, the out-of-memory response).  docs/ADMIN.md has every
 * field, the badness score and the emergency stop's sequence.
 *
 * It is built on the public process, resource and service APIs.  Its
 * state (the audit ring, recent violations, top's previous sample, the
 * oom_score_adj table, a pending emergency stop) is made on the first
 * mos_admin_* call (or mos_admin_attach) and lives as long as the
 * kernel; violations and OOM events are recorded from then on.  All
 * calls are from the host (never from a program or a synchronous event
 * subscriber: MOS_EINVAL).
 *
 * Actors.  The calls that change something take an `actor`, as the
 * service manager's do: the pid on whose behalf the host acts, 0 for the
 * host itself (always allowed).  A process actor needs MOS_CAP_ADMIN (or
 * effective uid 0, as every capability check); otherwise the call fails
 * with MOS_EPERM, changes nothing, is audited (MOS_ADMIN_OP_DENIED) and
 * counted as a denial (mos_kernel_stats_t.permission_denials, a
 * MOS_TRACE_AUDIT event with action MOS_AUDIT_ADMIN).
 *
 * Non-critical.  A process is critical when its priority is
 * MOS_PRIO_CRITICAL or its class MOS_CLASS_SYSTEM; a service when its
 * descriptor's priority or class say so.  Everything else is
 * non-critical.  init (pid 1) is never a target.
 */
#ifndef MULTIOS_ADMIN_H
#define MULTIOS_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "cred.h"
#include "process.h"
#include "service.h"
#include "types.h"

#define MOS_ADMIN_VIOLATIONS 16   /* recent limit violations kept */
#define MOS_ADMIN_AUDIT_SIZE 256  /* the admin audit ring */
#define MOS_ADMIN_CMD_LEN 64      /* a row's command line, truncated */
#define MOS_ADMIN_REASON_LEN 64   /* an audit entry's reason, truncated */
#define MOS_OOM_SCORE_ADJ_MIN (-1000) /* never chosen */
#define MOS_OOM_SCORE_ADJ_MAX 1000

/* Make the admin state now (the other calls make it on first use), so
 * violations and OOM events are recorded from this instant.  Errors:
 * MOS_EINVAL (k NULL, from a program), MOS_ENOMEM. */
MOS_API int mos_admin_attach(mos_kernel_t *k);

/* ---- overview ----------------------------------------------------------- */

/* One resource limit violation (a MOS_KEV_LIMIT event). */
typedef struct mos_admin_violation {
	mos_time_t time;
	mos_pid_t pid;
	unsigned resource;   /* mos_rlimit_res_t, or a group's: 8 memory.max,
				9 pids.max, 10 cpu.max */
	uint64_t value;      /* what it would have reached */
	uint64_t limit;
} mos_admin_violation_t;

typedef struct mos_admin_overview {
	mos_time_t uptime;            /* virtual time now */
	uint32_t processes;           /* in the table (not Defunct), init
					 included */
	uint32_t by_state[MOS_STATE_COUNT]; /* of them, per state */
	uint32_t services;            /* registered */
	uint32_t by_svc_state[MOS_SVC_STATE_COUNT];
	uint64_t memory_used;         /* bytes, the machine's now */
	uint64_t memory_peak;
	uint64_t memory_total;        /* resources.memory_size */
	mos_time_t cpu_busy;          /* CPU time computed, all processes */
	uint32_t cpu_permille;        /* busy / uptime, per mille (0 at 0) */
	uint64_t io_requests;         /* the device's, completed */
	uint32_t device_queue;        /* requests waiting or in service */
	uint64_t limit_violations;    /* over the kernel's life */
	uint64_t oom_kills;           /* by the OOM response */
	uint32_t nviolations;         /* the most recent, oldest first */
	mos_admin_violation_t violations[MOS_ADMIN_VIOLATIONS];
} mos_admin_overview_t;

/* Errors: MOS_EINVAL (k or out NULL, from a program), MOS_ENOMEM. */
MOS_API int mos_admin_overview(mos_kernel_t *k, mos_admin_overview_t *out);

/* ---- ps and top --------------------------------------------------------- */

/* One process.  User names: there is no users table; user is the
 * numeric uid (a front end maps it). */
typedef struct mos_admin_ps_row {
	mos_pid_t pid;
	mos_pid_t ppid;
	mos_uid_t uid;                /* real uid */
	char user[MOS_USER_NAME_LEN]; /* uid's name in the config's users
					 table, else uid in decimal */
	mos_proc_state_t state;
	mos_priority_t priority;
	mos_prio_class_t prio_class;
	mos_time_t cpu;               /* user + system, its life */
	uint64_t memory;              /* heap + declared stack, now */
	uint32_t fds;                 /* descriptors open */
	int oom_score_adj;
	char command[MOS_ADMIN_CMD_LEN]; /* argv joined by spaces */
} mos_admin_ps_row_t;

/*
 * Every process in the table (every state but Defunct), ascending pid:
 * the first cap rows into rows (NULL when cap is 0), the count into *n.
 * Errors: MOS_EINVAL (k or n NULL, rows NULL with cap > 0, from a
 * program), MOS_ENOMEM.
 */
MOS_API int mos_admin_ps(mos_kernel_t *k, mos_admin_ps_row_t *rows,
			 size_t cap, size_t *n);

typedef enum mos_admin_sort {
	MOS_ADMIN_BY_CPU,     /* CPU used in the window, most first */
	MOS_ADMIN_BY_MEMORY,  /* memory now, most first */
	MOS_ADMIN_SORT_COUNT
} mos_admin_sort_t;

typedef struct mos_admin_top_row {
	mos_pid_t pid;
	mos_proc_state_t state;
	mos_time_t cpu_window;        /* CPU used in the window */
	uint32_t cpu_permille;        /* cpu_window / window length */
	mos_time_t cpu;               /* its life */
	uint64_t memory;
	char command[MOS_ADMIN_CMD_LEN];
} mos_admin_top_row_t;

/*
 * top: the processes in the table ordered by `sort` (ties by pid), the
 * first cap into rows, the count into *n.  The window: the admin keeps
 * the previous top's sample (each process's CPU time, and the instant);
 * the window runs from that instant (0 for the first call) to now, and
 * a process's cpu_window is its CPU time now minus its CPU time in the
 * sample (all of it for one born since).  *since (may be NULL) receives
 * the window's start.  A successful call takes the new sample.
 * Errors: MOS_EINVAL (k or n NULL, rows NULL with cap > 0, sort out of
 * range, from a program), MOS_ENOMEM.
 */
MOS_API int mos_admin_top(mos_kernel_t *k, mos_admin_sort_t sort,
			  mos_admin_top_row_t *rows, size_t cap, size_t *n,
			  mos_time_t *since);

/* ---- the service tree --------------------------------------------------- */

typedef struct mos_admin_svc_row {
	mos_service_id_t id;
	const char *name;             /* borrowed until unregister */
	mos_service_type_t type;
	mos_service_state_t state;
	mos_time_t since;
	mos_svc_reason_t reason;
	uint32_t ninstances;          /* live */
	uint32_t restarts;
	bool critical;                /* priority Critical or class System */
	size_t ndeps;                 /* its dependencies, in name order */
	mos_service_id_t deps[MOS_SVC_MAX_DEPS];
	bool required[MOS_SVC_MAX_DEPS];
} mos_admin_svc_row_t;

/* Every registered service in id order, with its dependencies and
 * status: the first cap into rows, the count into *n.  Errors:
 * MOS_EINVAL (k or n NULL, rows NULL with cap > 0, from a program). */
MOS_API int mos_admin_services(mos_kernel_t *k, mos_admin_svc_row_t *rows,
			       size_t cap, size_t *n);

/* ---- the audit log ------------------------------------------------------ */

typedef enum mos_admin_op {
	MOS_ADMIN_OP_DENIED,          /* a refused call: value the op asked */
	MOS_ADMIN_OP_EMERGENCY_STOP,  /* the call: value the targets */
	MOS_ADMIN_OP_SERVICE_STOP,    /* a service stopped (result its
					 mos_service_stop's) */
	MOS_ADMIN_OP_TERM,            /* SIGTERM to a process */
	MOS_ADMIN_OP_KILL,            /* SIGKILL at +timeout */
	MOS_ADMIN_OP_OOM_ENABLE,      /* value 1 on, 0 off */
	MOS_ADMIN_OP_OOM_KILL,        /* the victim: value its badness */
	MOS_ADMIN_OP_OOM_NONE,        /* memory ran out, no victim */
	MOS_ADMIN_OP_OOM_ADJ,         /* pid's oom_score_adj set: value */
	MOS_ADMIN_OP_COUNT
} mos_admin_op_t;

typedef struct mos_admin_audit_entry {
	uint64_t seq;                 /* 1, 2, ... over the kernel's life */
	mos_time_t time;
	mos_pid_t actor;              /* 0: the host or the kernel */
	mos_uid_t uid;                /* the actor's effective uid */
	mos_admin_op_t op;
	mos_pid_t pid;                /* the process acted on; 0 */
	mos_service_id_t service;     /* the service acted on; 0 */
	int result;                   /* 0 or MOS_E* */
	int64_t value;                /* per op, above */
	char reason[MOS_ADMIN_REASON_LEN];
} mos_admin_audit_entry_t;

/* The newest entries of the ring (MOS_ADMIN_AUDIT_SIZE), oldest first:
 * up to cap into out, the number held into *n.  The service manager's
 * own log is mos_service_audit.  Errors: MOS_EINVAL, MOS_ENOMEM. */
MOS_API int mos_admin_audit(mos_kernel_t *k, mos_admin_audit_entry_t *out,
			    size_t cap, size_t *n);

/* "denied", "emergency_stop", "service_stop", "term", "kill",
 * "oom_enable", "oom_kill", "oom_none", "oom_score_adj"; "?" out of
 * range. */
MOS_API const char *mos_admin_op_name(mos_admin_op_t op);

/* ---- JSON (src/json/admin_json.c; jansson) ------------------------------ */

/*
 * Each snapshot written as one JSON document (a line of its own with a
 * newline): overview {"uptime_ns", "processes", "process_states": {State:
 * n}, "services", "service_states": {State: n}, "memory": {"used",
 * "peak", "total"}, "cpu": {"busy_ns", "permille"}, "device":
 * {"io_requests", "queue"}, "limit_violations", "oom_kills",
 * "violations": [{"t", "pid", "resource", "value", "limit"}]}; ps
 * [{"pid", "ppid", "user", "state", "priority", "class", "cpu_ns",
 * "memory", "fds", "oom_score_adj", "command"}] ("user": the uid as a
 * string); top {"since_ns", "now_ns", "sort", "rows": [{"pid",
 * "state", "cpu_window_ns", "cpu_permille", "cpu_ns", "memory",
 * "command"}]}; services {"services": [{"id", "name", "type", "state",
 * "since_ns", "reason", "instances", "restarts", "critical",
 * "dependencies": [{"name", "required"}]}], "tree": [...]}, where the
 * tree (as systemctl list-dependencies) has one node per service no
 * other depends on, each {"name", "state", "dependencies": [nodes]},
 * a service seen earlier in the walk given once more as {"name",
 * "state", "repeated": true}.  The audit log is JSON lines, one object
 * per entry: {"seq", "t", "actor", "uid", "op", "pid", "service",
 * "result" (the error's name, "MOS_OK"), "value", "reason"}.  top takes
 * a sample as mos_admin_top does.  Errors: MOS_EINVAL, MOS_ENOMEM,
 * MOS_EIO (write failed).
 */
MOS_API int mos_admin_overview_json(mos_kernel_t *k, FILE *out);
MOS_API int mos_admin_ps_json(mos_kernel_t *k, FILE *out);
MOS_API int mos_admin_top_json(mos_kernel_t *k, mos_admin_sort_t sort,
			       FILE *out);
MOS_API int mos_admin_services_json(mos_kernel_t *k, FILE *out);
MOS_API int mos_admin_audit_jsonl(mos_kernel_t *k, FILE *out);

/* ---- emergency procedures ----------------------------------------------- */

/*
 * Emergency stop, at the call's instant T (docs/ADMIN.md):
 *   1. audited (MOS_ADMIN_OP_EMERGENCY_STOP, reason, value the targets);
 *   2. the targets: every non-critical service that is up (Starting,
 *      Running or Paused), and every non-critical live process (New to
 *      Suspended) that is no service's instance, not init and not the
 *      actor;
 *   3. in reverse priority order (Idle first), at equal priority the
 *      processes by pid and then the services by id: a process is sent
 *      SIGTERM (MOS_ADMIN_OP_TERM), a service is stopped with
 *      mos_service_stop (as the host; so its restart policy does not
 *      bring it back: MOS_ADMIN_OP_SERVICE_STOP, result that call's);
 *   4. at T + emergency_termination_timeout_ms a kernel timer sends
 *      SIGKILL (MOS_ADMIN_OP_KILL) to each target process still alive
 *      (the same process: pid and creation time) and to each instance
 *      still alive of a target service, pids ascending.
 * A second call while step 4 is pending fails with MOS_EINVALSTATE.
 * reason may be NULL ("").  Errors: MOS_EINVAL (k NULL, from a
 * program), MOS_EINVALPID (actor < 0), MOS_EPROCNOTFOUND (no such live
 * actor), MOS_EPERM, MOS_EINVALSTATE, MOS_ENOMEM.
 */
MOS_API int mos_admin_emergency_stop(mos_kernel_t *k, mos_pid_t actor,
				     const char *reason);

/*
 * The OOM response, off until enabled.  When an allocation or a stack
 * growth is refused because the machine is full (MOS_KEV_OOM), the
 * admin, at that instant (a deferred event subscriber, on the host
 * stack), sends SIGKILL to the live process (not init, not a zombie)
 * with the highest badness:
 *     badness = memory_current * 1000 / memory_size + oom_score_adj,
 * at least 1, as Linux's oom_badness (memory per mille of the machine,
 * oom_score_adj in the same unit); a process with oom_score_adj -1000 is
 * never chosen; critical ones (above) only when no other is left; ties
 * by the lower pid.  The refused call still fails with MOS_ENOMEM.  One
 * kill per instant: a second OOM event at the same instant as a kill is
 * ignored (the victim's memory is already free).  Recorded: audited
 * (MOS_ADMIN_OP_OOM_KILL: pid the victim, value its badness; or
 * MOS_ADMIN_OP_OOM_NONE), counted (oom_kills) and a trace mark "oom-kill"
 * on the victim.  Errors: MOS_EINVAL, MOS_EINVALPID, MOS_EPROCNOTFOUND,
 * MOS_EPERM, MOS_ENOMEM.
 */
MOS_API int mos_admin_oom_enable(mos_kernel_t *k, mos_pid_t actor, bool on);

/*
 * A live process's oom_score_adj, -1000 .. 1000 (0 by default; not
 * inherited; forgotten when it dies).  set needs an actor allowed as
 * above, and is audited (MOS_ADMIN_OP_OOM_ADJ).  Errors: MOS_EINVAL (k or adj NULL, adj out of range, from a
 * program), MOS_EINVALPID, MOS_EPROCNOTFOUND (no such live process or
 * actor), MOS_EPERM, MOS_ENOMEM.
 */
MOS_API int mos_process_set_oom_score_adj(mos_kernel_t *k, mos_pid_t actor,
					  mos_pid_t pid, int adj);
MOS_API int mos_process_get_oom_score_adj(mos_kernel_t *k, mos_pid_t pid,
					  int *adj);

#endif
