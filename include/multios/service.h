/*
 * multios/service.h - the service manager: descriptors, the dependency
 * graph, lifecycle, restart back-off and supervisor groups.
 *
 * A service is described by a descriptor (a C struct here, or a JSON file:
 * mos_service_load_json) and registered under a name; its instances are
 * processes running the descriptor's command.  Everything a service does
 * is driven by the kernel's virtual clock, so a start, a crash, a restart
 * after its back-off or a stop timeout happens at an exact instant.
 *
 * States (the MultiOS documentation's seven):
 *
 *   Stopped --start--> Starting --ready--> Running --stop--> Stopping
 *      ^                  |  \                |  \              |
 *      |                  |   +--pause/resume-+   +-- exit ---+ |
 *      +------------------+----- (all instances gone) <-------+-+
 *   Failed: a start that failed (dependency, timeout, start limit) or an
 *           exit the restart policy does not restart;
 *   Disabled: refuses start until enabled;  Paused: SIGSTOP'ed instances.
 *
 * The transition table, what each request does from each state, is in
 * docs/SERVICES.md.  Requests are asynchronous: a call returns once the
 * request is accepted, and its outcome is reached as the kernel runs; it
 * is read from mos_service_status, from MOS_KEV_SERVICE kernel events and
 * from the typed trace (MOS_TRACE_SERVICE).
 *
 * Every function validates its arguments and changes nothing when it
 * fails.  An `actor` is the pid of the process on whose behalf the host
 * acts (its uid and capabilities decide), or 0 for the host itself, which
 * may do anything.  A service may be operated by its owner (the uid its
 * instances run as) or by a holder of MOS_CAP_ADMIN; others get MOS_EPERM.
 */
#ifndef MULTIOS_SERVICE_H
#define MULTIOS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cred.h"
#include "error.h"
#include "ipc.h"
#include "process.h"
#include "resource.h"
#include "types.h"

typedef uint32_t mos_service_id_t;       /* 1, 2, ...; 0: none */

#define MOS_SVC_NAME_LEN 64              /* names: 1 .. 63 of [A-Za-z0-9._@-] */
#define MOS_SVC_MAX_INSTANCES 256
#define MOS_SVC_MAX_DEPS 64
#define MOS_SVC_MAX_TAGS 16
#define MOS_SVC_MAX_RESTARTS 10000       /* max_restarts, a group's intensity */
#define MOS_SEMVER_TEXT_LEN 64           /* a pre-release's or build's text */

typedef enum mos_service_type {
	MOS_SVC_SYSTEM,       /* restart always by default; stopped last by
				 mos_service_stop_all */
	MOS_SVC_USER,         /* the default */
	MOS_SVC_GROUP,        /* a supervisor: no process of its own, its
				 members restart by its strategy */
	MOS_SVC_MONITORING,   /* as User; stop_all stops it after the User
				 services (it watches them go) */
	MOS_SVC_LOADBALANCER, /* fronts its backends: no command and no
				 instances of its own, as a group */
	MOS_SVC_DISCOVERY,    /* as Monitoring for stop_all */
	MOS_SVC_TYPE_COUNT
} mos_service_type_t;

typedef enum mos_service_state {
	MOS_SVC_STOPPED,
	MOS_SVC_STARTING,
	MOS_SVC_RUNNING,
	MOS_SVC_STOPPING,
	MOS_SVC_FAILED,
	MOS_SVC_DISABLED,
	MOS_SVC_PAUSED,
	MOS_SVC_STATE_COUNT
} mos_service_state_t;

typedef enum mos_restart_policy {
	MOS_RESTART_DEFAULT,    /* by type: always for SystemService, else no */
	MOS_RESTART_NO,
	MOS_RESTART_ON_FAILURE, /* a non-zero exit, or death by a signal
				   other than the stop's own */
	MOS_RESTART_ALWAYS,
	MOS_RESTART_COUNT
} mos_restart_policy_t;

typedef enum mos_readiness {
	MOS_READY_SIMPLE,     /* Running once every instance is admitted */
	MOS_READY_NOTIFY,     /* once every instance has called
				 mos_sys_notify_ready */
	MOS_READY_COUNT
} mos_readiness_t;

typedef enum mos_sup_strategy {
	MOS_SUP_ONE_FOR_ONE,  /* only the member that died restarts */
	MOS_SUP_ONE_FOR_ALL,  /* every member is stopped and restarted */
	MOS_SUP_REST_FOR_ONE, /* the member and those after it (member order) */
	MOS_SUP_COUNT
} mos_sup_strategy_t;

/* One dependency edge: the service needs `name`. */
typedef struct mos_service_dep {
	const char *name;      /* the dependency's service name */
	bool required;         /* true: its failure fails the dependent;
				  false: recorded, the start goes on */
	uint32_t timeout_ms;   /* it must be Running within this of the
				  dependent's start; 0: service_timeout_ms */
	const char *version;   /* a Cargo-style requirement ("^1.4",
				  ">=1.2, <2.0"); NULL: any */
} mos_service_dep_t;

/* Restart back-off and the start limit.  mos_service_descriptor_init
 * fills the defaults noted. */
typedef struct mos_restart_spec {
	mos_restart_policy_t policy;   /* MOS_RESTART_DEFAULT */
	mos_time_t delay;              /* before the first restart: 100 ms */
	uint32_t multiplier;           /* each further delay: x2 */
	mos_time_t max_delay;          /* the cap: 30 s */
	mos_time_t reset_after;        /* a run this long without failing
					  resets the back-off: 10 s */
	uint32_t max_restarts;         /* the start limit: at most this many
					  restarts within window: 5 (1 ..
					  MOS_SVC_MAX_RESTARTS) */
	mos_time_t window;             /* 10 s; 0: no start limit (then the
					  delay may not be 0) */
	mos_time_t cooldown;           /* past the limit, Failed; 0: until
					  started by hand, else try again
					  after this pause */
} mos_restart_spec_t;

/* A ServiceGroup's supervision (Erlang/OTP's sup_flags). */
typedef struct mos_sup_spec {
	mos_sup_strategy_t strategy;   /* MOS_SUP_ONE_FOR_ONE */
	uint32_t intensity;            /* at most this many member restarts */
	mos_time_t period;             /* within this: 1 in 5 s, as OTP */
} mos_sup_spec_t;

/* ---- the runtime's fields (request routing, health, security) ------- */

#define MOS_SVC_MAX_WEIGHT 1000000       /* a weight: 1 .. this */
#define MOS_SVC_VNODES_DEFAULT 160       /* vnodes 0: this many */
#define MOS_SVC_MAX_VNODES 4096        /* a full ring: 256 x 4096 points */
#define MOS_SVC_MAX_ALLOW 64             /* each allow list: at most */
#define MOS_SVC_MAX_BACKENDS 64
#define MOS_SVC_PROBE_MAX_TIME (86400 * MOS_SEC) /* a probe's initial
					    delay, interval, timeout: at
					    most a day each, so their sums
					    never wrap */
#define MOS_SVC_PROBE_MAX_THRESHOLD 1000 /* thresholds: 1 .. this */
#define MOS_SVC_ENCRYPTION_COST_DEFAULT (20 * MOS_USEC) /* the config's
					    ipc.encryption_cost_us by
					    default: encryption_cost 0 means
					    that key */
#define MOS_SVC_MAX_ENCRYPTION_COST MOS_SEC

/* How a request picks an instance (JSON "round_robin", ...). */
typedef enum mos_lb_strategy {
	MOS_LB_ROUND_ROBIN,
	MOS_LB_LEAST_CONNECTIONS,
	MOS_LB_WEIGHTED,
	MOS_LB_RANDOM,
	MOS_LB_CONSISTENT_HASH,
	MOS_LB_COUNT
} mos_lb_strategy_t;

/* How exactly a service's probes keep their interval (JSON "critical",
 * "high", "normal", "low"). */
typedef enum mos_importance {
	MOS_IMP_CRITICAL,
	MOS_IMP_HIGH,
	MOS_IMP_NORMAL,
	MOS_IMP_LOW,
	MOS_IMP_COUNT
} mos_importance_t;

/* A health probe's kind (JSON "exec", "ping"; none: the key absent). */
typedef enum mos_probe_kind {
	MOS_PROBE_NONE,
	MOS_PROBE_EXEC,       /* run command; exit 0 is healthy */
	MOS_PROBE_PING,       /* a health request into each instance's
				 mailbox, answered like any request */
	MOS_PROBE_COUNT
} mos_probe_kind_t;

/* A liveness or readiness probe, as Kubernetes's.  Times are checked
 * only for an active probe (kind not NONE). */
typedef struct mos_probe_spec {
	mos_probe_kind_t kind;            /* MOS_PROBE_NONE */
	const char *const *command;       /* exec only: NULL-terminated,
					     command[0] a registered
					     program; NULL otherwise */
	mos_time_t initial_delay;         /* 0 (initialDelaySeconds) */
	mos_time_t interval;              /* 10 s (periodSeconds); > 0 */
	mos_time_t timeout;               /* 1 s (timeoutSeconds); 1 ns ..
					     interval */
	uint32_t failure_threshold;       /* 3; 1 .. 1000 */
	uint32_t success_threshold;       /* 1; 1 .. 1000 */
} mos_probe_spec_t;

/*
 * What a service is registered from.  Start from
 * mos_service_descriptor_init().  Strings and arrays are copied at
 * registration.
 */
typedef struct mos_service_descriptor {
	const char *name;
	mos_service_type_t type;          /* MOS_SVC_USER */
	const char *version;              /* semver 2.0.0; NULL: "0.0.0" */
	const char *const *command;       /* NULL-terminated, command[0] a
					     registered program; NULL only
					     for a ServiceGroup */
	const char *working_directory;    /* NULL: "/" */
	const char *const *environment;   /* NULL or "KEY=VALUE"s */
	mos_uid_t uid;                    /* MOS_UID_INHERIT: the actor's */
	mos_gid_t gid;                    /* MOS_GID_INHERIT: the actor's */
	uint32_t caps;                    /* MOS_CAPS_INHERIT: the actor's */
	mos_isolation_t isolation;        /* MOS_ISO_INHERIT */
	mos_priority_t priority;          /* MOS_PRIO_NORMAL */
	mos_prio_class_t prio_class;      /* MOS_CLASS_SERVICE */
	uint32_t instances;               /* 1; 0 for a ServiceGroup */
	const mos_service_dep_t *deps;    /* ndeps of them */
	size_t ndeps;
	mos_restart_spec_t restart;
	bool has_limits;                  /* false: the actor's */
	mos_rlimits_t limits;             /* each instance's, soft = hard */
	bool has_group_limits;            /* true: the service's instances
					     run in a resource group of its
					     own, "services/NAME", with
					     these limits */
	mos_group_limits_t group_limits;
	const char *member_of;            /* the ServiceGroup that
					     supervises it; NULL: none */
	mos_sup_spec_t supervisor;        /* for a ServiceGroup */
	uint32_t start_timeout_ms;        /* 0: the config's
					     service_timeout_ms */
	uint32_t stop_timeout_ms;         /* SIGTERM, then SIGKILL after
					     this; 0: grace_period_ms */
	mos_readiness_t readiness;        /* MOS_READY_SIMPLE */
	const char *const *tags;          /* NULL or NULL-terminated */
	/* ---- the runtime's (docs/SERVICES.md, "Runtime fields") ---- */
	mos_lb_strategy_t balance;        /* MOS_LB_ROUND_ROBIN */
	const uint32_t *weights;          /* NULL, nweights 0: each weight 1;
					     else one per instance (for a
					     LoadBalancerService one per
					     backends entry), each 1 ..
					     MOS_SVC_MAX_WEIGHT */
	size_t nweights;
	uint32_t vnodes;                  /* consistent_hash's virtual nodes
					     per instance; 0: 160, at most
					     MOS_SVC_MAX_VNODES */
	mos_probe_spec_t liveness_probe;  /* failing: the instance restarts
					     under the restart policy */
	mos_probe_spec_t readiness_probe; /* failing: out of balancing until
					     it passes (not `readiness`,
					     which is simple/notify) */
	mos_importance_t importance;      /* MOS_IMP_NORMAL */
	bool retry;                       /* false: a request whose instance
					     dies fails with the peer-died
					     error; true: it is retried
					     once on another instance */
	/* Who may call it: all three empty, anyone; else the caller's
	 * effective uid or gid, or its service (the one it is an
	 * instance of), must be listed.  At most MOS_SVC_MAX_ALLOW each;
	 * services are names (checked as names, need not be
	 * registered). */
	const mos_uid_t *allow_uids;
	size_t nallow_uids;
	const mos_gid_t *allow_gids;
	size_t nallow_gids;
	const char *const *allow_services; /* NULL or NULL-terminated */
	bool encrypted;                   /* false */
	mos_time_t encryption_cost;       /* CPU charged per message at each
					     end when encrypted; 0:
					     the config's
					     ipc.encryption_cost_us (20 µs,
					     MOS_SVC_ENCRYPTION_COST_DEFAULT);
					     at most 1 s */
	const char *const *backends;      /* a LoadBalancerService's pool
					     (NULL-terminated, 1 ..
					     MOS_SVC_MAX_BACKENDS entries,
					     required): service names or
					     "tag:TAG"; it then has no
					     command and 0 instances, as a
					     group.  Refused on other types */
	uint32_t request_timeout_ms;      /* a call's default timeout; 0:
					     none */
} mos_service_descriptor_t;

/* Why a service is where it is (mos_service_status_t.reason). */
typedef enum mos_svc_reason {
	MOS_SVC_R_NONE,
	MOS_SVC_R_REQUEST,       /* asked: start, stop, pause... */
	MOS_SVC_R_READY,         /* every instance ready */
	MOS_SVC_R_EXIT,          /* an instance exited (last_exit_status) */
	MOS_SVC_R_TIMEOUT,       /* start timeout, or a dependency's */
	MOS_SVC_R_DEPENDENCY,    /* a required dependency failed (culprit) */
	MOS_SVC_R_DEP_STOPPED,   /* stopped: "dependency failed" */
	MOS_SVC_R_START_LIMIT,   /* more than max_restarts within window */
	MOS_SVC_R_SUPERVISOR,    /* its group's strategy restarted it, or
				    the group gave up */
	MOS_SVC_R_SPAWN,         /* an instance could not be created */
	MOS_SVC_R_HEALTH,        /* a liveness probe failed: the instance
				    was killed (HealthCheckFailed) */
	MOS_SVC_R_COUNT
} mos_svc_reason_t;

typedef struct mos_service_status {
	mos_service_id_t id;
	const char *name;                 /* borrowed until unregister */
	mos_service_type_t type;
	mos_service_state_t state;
	mos_time_t since;                 /* when it entered state */
	mos_svc_reason_t reason;
	int error;                        /* the MOS_E* code of a failure
					     (MOS_EDEPEND, MOS_ETIMEDOUT,
					     MOS_ELIMIT...), 0 */
	mos_service_id_t culprit;         /* the dependency, for DEPENDENCY,
					     DEP_STOPPED and a dependency's
					     TIMEOUT; 0 */
	bool enabled;
	uint32_t ninstances;              /* live instances */
	mos_pid_t pids[MOS_SVC_MAX_INSTANCES];
	uint32_t ready;                   /* of them, ready */
	uint32_t restarts;                /* in its life */
	int last_exit_status;             /* wait status; -1: none yet */
	mos_time_t next_restart;          /* a pending restart's instant;
					     MOS_TIME_NEVER: none */
	mos_time_t backoff;               /* the delay the next restart
					     will wait */
	uint32_t nskipped;                /* optional dependencies the last
					     start went on without (failed,
					     or not Running within their
					     timeout), in name order; each
					     is also audited
					     (MOS_AUDIT_DEP_SKIPPED) */
	mos_service_id_t skipped[MOS_SVC_MAX_DEPS];
	/* ---- the runtime (mos_sys_call, health checks) ---- */
	uint64_t requests;                /* calls routed to it (a
					     LoadBalancerService: through
					     it), retries included */
	uint64_t replies;                 /* of them answered */
	uint64_t request_failures;        /* of them failed: peer died,
					     timed out, refused... */
	uint32_t in_rotation;             /* instances taking requests now */
	uint32_t unhealthy;               /* instances out of rotation by
					     their readiness probe */
	uint64_t health_failures;         /* failed probes, in its life */
	int health_error;                 /* MOS_EHEALTH once a probe failed
					     past its threshold; 0 */
} mos_service_status_t;

/* Fill *d with the defaults noted in mos_service_descriptor_t. */
MOS_API void mos_service_descriptor_init(mos_service_descriptor_t *d);

/*
 * Register a service; *id receives its id.  Its dependencies and its
 * ServiceGroup (member_of) must be registered already (a batch,
 * mos_service_register_batch, may refer forward; only a batch can close
 * a cycle).  err (may be NULL) says what and where ("services[0]" and
 * the field).  Errors: MOS_EINVAL (NULL or malformed fields: name,
 * type, zero instances, more than MOS_SVC_MAX_INSTANCES, a dependency
 * named twice...; a runtime field out of range, docs/SERVICES.md
 * "Runtime fields", err naming it: "liveness_probe.timeout",
 * "weights[2]"), MOS_ECONFIG (a bad version or constraint, err giving
 * the field and the character position), MOS_ENOPROG (an unknown
 * command or exec probe command, err naming the field), MOS_ESVCEXISTS, MOS_EDEPEND (an
 * unregistered dependency or group), MOS_ECYCLE (on itself), MOS_EPERM
 * (credentials the actor does not hold itself), MOS_EPROCNOTFOUND (no
 * such actor), MOS_ENOMEM.
 */
MOS_API int mos_service_register(mos_kernel_t *k, mos_pid_t actor,
				 const mos_service_descriptor_t *d,
				 mos_service_id_t *id, mos_error_t *err);

/*
 * Register n services at once, atomically: dependencies may name services
 * of the batch (forward references are fine) or registered ones; an
 * unknown one, a cycle (MOS_ECYCLE, spelled out) or any bad descriptor
 * and nothing is registered.  ids (may be NULL) receives the n ids.
 * Errors as mos_service_register, err's path "services[i]...".
 */
MOS_API int mos_service_register_batch(mos_kernel_t *k, mos_pid_t actor,
				       const mos_service_descriptor_t *descs,
				       size_t n, mos_service_id_t *ids,
				       mos_error_t *err);

/*
 * Load services from JSON and register them all at once
 * (docs/SERVICES.md, "JSON format").  path is a file, or a directory
 * whose *.json files (not hidden ones; other files and subdirectories
 * are ignored) are read in bytewise name order.  A file holds one
 * service object, or {"services": [service, ...]}.  The keys are the
 * descriptor's fields in snake_case ("working_directory",
 * "dependencies": [{"name", "required", "timeout", "version"}],
 * "restart": {"policy", "delay", ...}); durations are integer
 * milliseconds or strings such as "100ms", sizes bytes or strings such
 * as "64MiB"; an unknown key is an error.
 *
 * The load is atomic: every file is parsed first, then the services of
 * all of them are registered in one batch (mos_service_register_batch),
 * in load order (file by file, each file's in its order), so a
 * dependency or member_of may name a service of a later file.  On any
 * error nothing is registered.  ids (may be NULL when cap is 0)
 * receives the first cap ids in load order, *n (may be NULL) the number
 * registered, which may exceed cap.
 *
 * err (may be NULL) names the file, with the line and column of a
 * syntax error, or the JSON path of the value at fault within the file:
 * "dependencies[0].version" in a one-service file,
 * "services[2].dependencies[0].version" in a list; a bad version
 * constraint's text gives the character position; a cycle is reported
 * at the dependency of its first service (the smallest name) that
 * starts it, and mos_service_error_text() spells the whole cycle.
 * Errors: MOS_EINVAL (k or path NULL, ids NULL with cap > 0), MOS_EIO (a
 * file or the directory cannot be read), MOS_ECONFIG (a syntax error, an
 * unknown key, a wrong type or value, a malformed version or
 * constraint), MOS_EEXHAUSTED (more than 2^20 services), and those of
 * mos_service_register_batch (MOS_EDEPEND, MOS_ECYCLE, MOS_ENOPROG,
 * MOS_ESVCEXISTS, MOS_EPERM, MOS_EINVAL ...).
 */
MOS_API int mos_service_load_json(mos_kernel_t *k, mos_pid_t actor,
				  const char *path, mos_service_id_t *ids,
				  size_t cap, size_t *n, mos_error_t *err);

/* Remove a Stopped, Failed or Disabled service (with no instance left)
 * that no service depends on and that supervises no member.  Errors:
 * MOS_EINVAL, MOS_ESVCNOTFOUND, MOS_ESVCNOTSTOPPED, MOS_EDEPEND (a
 * dependent or member is registered: mos_service_error_text names it),
 * MOS_EPERM. */
MOS_API int mos_service_unregister(mos_kernel_t *k, mos_pid_t actor,
				   mos_service_id_t id);

/*
 * Requests (docs/SERVICES.md has the table).  start brings up the
 * dependencies first, in topological order; stop stops the dependents
 * first; restart is stop then start; pause and resume send SIGSTOP and
 * SIGCONT to every instance; disable stops nothing but refuses starts
 * until enable.  The permission covers all a request moves: a stop
 * (or restart) whose dependents, or a group's members, include a service
 * the actor may not operate, and a start (or restart) that would bring
 * up such a dependency or member, is refused whole with MOS_EPERM
 * before anything changes (audited for that service, then for the
 * request).  A group's start counts its members' instances against
 * max_service_processes.  Errors: MOS_EINVAL, MOS_ESVCNOTFOUND, MOS_EPERM,
 * MOS_ESVCNOTRUNNING (stop, pause of a service that is not up; resume of
 * one not Paused), MOS_ESVCNOTSTOPPED (start of one already up),
 * MOS_EINVALSTATE (start of a Disabled service), MOS_EDEPEND (a
 * dependency is not registered, or its version does not satisfy the
 * constraint), MOS_EEXHAUSTED (max_service_processes), MOS_ENOMEM.
 */
MOS_API int mos_service_start(mos_kernel_t *k, mos_pid_t actor,
			      mos_service_id_t id);
MOS_API int mos_service_stop(mos_kernel_t *k, mos_pid_t actor,
			     mos_service_id_t id);
MOS_API int mos_service_restart(mos_kernel_t *k, mos_pid_t actor,
				mos_service_id_t id);
MOS_API int mos_service_pause(mos_kernel_t *k, mos_pid_t actor,
			      mos_service_id_t id);
MOS_API int mos_service_resume(mos_kernel_t *k, mos_pid_t actor,
			       mos_service_id_t id);
MOS_API int mos_service_enable(mos_kernel_t *k, mos_pid_t actor,
			       mos_service_id_t id);
MOS_API int mos_service_disable(mos_kernel_t *k, mos_pid_t actor,
				mos_service_id_t id);

/*
 * Stop every service that is up, in three waves: first the User,
 * LoadBalancer and Group services, then, once all of those are down, the
 * Monitoring and Discovery services, then the System services (stopped
 * last, as a shutdown stops the system's own services after the rest).
 * Each wave's stops are ordinary stops (dependents first).  *n (may be
 * NULL) receives the number of services that were up and not already
 * stopping.  A service the actor may not operate, or whose stop would
 * take down one, is left alone (each refusal audited and counted as a
 * denial).  A second call while one is under way does nothing (*n is
 * 0).  Errors: MOS_EINVAL, MOS_EPROCNOTFOUND (no such actor, checked
 * first, on a fresh kernel too), MOS_ENOMEM.
 */
MOS_API int mos_service_stop_all(mos_kernel_t *k, mos_pid_t actor, size_t *n);

/* The service named `name`.  Errors: MOS_EINVAL, MOS_ESVCNOTFOUND. */
MOS_API int mos_service_find(mos_kernel_t *k, const char *name,
			     mos_service_id_t *id);

/* One health probe's outcome (mos_service_instance_t.history). */
typedef struct mos_health_record {
	mos_time_t time;                  /* when it was decided */
	bool liveness;                    /* true: the liveness probe;
					     false: the readiness probe */
	int result;                       /* 0; MOS_ETIMEDOUT (no answer in
					     time), MOS_EHEALTH (an exec
					     probe's non-zero exit),
					     MOS_EAGAIN (its mailbox full) */
	mos_time_t latency;               /* from the probe's start */
} mos_health_record_t;

#define MOS_SVC_HEALTH_HISTORY 16        /* records kept per instance */
#define MOS_SVC_LATENCY_WINDOW 256       /* replies the percentiles see */

/* One instance slot's runtime (mos_service_instances). */
typedef struct mos_service_instance {
	uint32_t slot;                    /* its index, 0 .. instances-1 */
	mos_pid_t pid;                    /* 0: none now */
	bool ready;                       /* admitted / notified */
	bool in_rotation;                 /* the balancer may pick it */
	bool unready;                     /* its readiness probe fails */
	uint32_t weight;
	uint64_t requests;                /* routed to it, in its life */
	uint64_t replies;
	uint64_t failures;                /* peer died, timed out... */
	uint32_t outstanding;             /* in flight now */
	mos_time_t latency_p50;           /* over the last
					     MOS_SVC_LATENCY_WINDOW replies,
					     nearest rank; 0: none yet */
	mos_time_t latency_p90;
	mos_time_t latency_p99;
	mos_time_t latency_max;
	uint32_t liveness_failures;       /* consecutive, now */
	uint32_t readiness_failures;      /* consecutive, now */
	uint32_t readiness_successes;     /* consecutive, now */
	uint64_t health_checks;           /* probes decided, in its life */
	uint64_t health_failures;
	uint32_t nhistory;                /* the last records, oldest first */
	mos_health_record_t history[MOS_SVC_HEALTH_HISTORY];
} mos_service_instance_t;

/*
 * The runtime of service id's instance slots, slot by slot: the first
 * cap into out, their number (its `instances`) into *n (may be NULL).
 * Errors: MOS_EINVAL (k NULL, out NULL with cap > 0), MOS_ESVCNOTFOUND.
 */
MOS_API int mos_service_instances(mos_kernel_t *k, mos_service_id_t id,
				  mos_service_instance_t *out, size_t cap,
				  size_t *n);

/*
 * The pid of each of service id's instance slots, slot by slot (0: the
 * slot has no process now): the first cap into pids, their number (its
 * `instances`) into *n (may be NULL).  What mos_service_instances gives
 * as .pid, without the rest of the runtime (no latency percentiles to
 * compute), for a caller that looks often, such as a scenario run naming
 * processes after every service event.
 * Errors: MOS_EINVAL (k NULL, pids NULL with cap > 0), MOS_ESVCNOTFOUND.
 */
MOS_API int mos_service_instance_pids(mos_kernel_t *k, mos_service_id_t id,
				      mos_pid_t *pids, size_t cap, size_t *n);

/* A snapshot of a service's state.  Errors: MOS_EINVAL,
 * MOS_ESVCNOTFOUND. */
MOS_API int mos_service_status(mos_kernel_t *k, mos_service_id_t id,
			       mos_service_status_t *st);

/*
 * What a service was registered with, as the manager holds it: the
 * descriptor's fields with every default resolved (the type's restart
 * policy, the config's timeouts, the actor's credentials).  Strings and
 * arrays are borrowed until the service is unregistered.  deps are in
 * dependency name order, each timeout resolved (ms).  Errors:
 * MOS_EINVAL, MOS_ESVCNOTFOUND.
 */
typedef struct mos_service_info {
	mos_service_id_t id;
	const char *name;
	mos_service_type_t type;
	char version[3 * 21 + 2 * MOS_SEMVER_TEXT_LEN]; /* "1.4.0-rc.1+b5" */
	const char *const *command;       /* NULL for a ServiceGroup */
	const char *working_directory;
	const char *const *environment;   /* never NULL, may be empty */
	const char *const *tags;          /* never NULL, may be empty */
	mos_uid_t uid;
	mos_gid_t gid;
	uint32_t caps;
	mos_isolation_t isolation;
	mos_priority_t priority;
	mos_prio_class_t prio_class;
	uint32_t instances;
	size_t ndeps;
	mos_service_dep_t deps[MOS_SVC_MAX_DEPS];
	mos_restart_spec_t restart;       /* policy never DEFAULT */
	bool has_limits;
	mos_rlimits_t limits;
	bool has_group_limits;
	mos_group_limits_t group_limits;
	mos_service_id_t member_of;       /* 0: none */
	mos_sup_spec_t supervisor;        /* a ServiceGroup's */
	uint32_t start_timeout_ms, stop_timeout_ms;
	mos_readiness_t readiness;
	uint32_t ndependents;             /* registered services needing it */
	uint32_t nmembers;                /* a ServiceGroup's members */
	/* the runtime's fields, defaults resolved: */
	mos_lb_strategy_t balance;
	const uint32_t *weights;          /* nweights of them, never NULL:
					     one per instance (per backends
					     entry), 1 each by default */
	size_t nweights;
	uint32_t vnodes;                  /* never 0 */
	mos_probe_spec_t liveness_probe, readiness_probe;
	mos_importance_t importance;
	bool retry;
	const mos_uid_t *allow_uids;      /* never NULL, may be empty */
	size_t nallow_uids;
	const mos_gid_t *allow_gids;      /* never NULL, may be empty */
	size_t nallow_gids;
	const char *const *allow_services; /* never NULL, may be empty */
	size_t nallow_services;
	bool encrypted;
	mos_time_t encryption_cost;       /* never 0 */
	const char *const *backends;      /* never NULL, may be empty */
	size_t nbackends;
	uint32_t request_timeout_ms;      /* 0: none */
} mos_service_info_t;

MOS_API int mos_service_info(mos_kernel_t *k, mos_service_id_t id,
			     mos_service_info_t *info);

/* Every registered service's id, in id order: up to cap into out, the
 * count into *n.  Errors: MOS_EINVAL. */
MOS_API int mos_service_list(mos_kernel_t *k, mos_service_id_t *out,
			     size_t cap, size_t *n);

/*
 * The order in which starting `target` would start it and its
 * dependencies (every one, required or not; independent ones in name
 * order), target last, without starting anything: up to cap ids into
 * out, the count into *n (which may exceed cap).  Linear in services plus
 * edges.  Errors: MOS_EINVAL, MOS_ESVCNOTFOUND, MOS_ENOMEM.
 */
MOS_API int mos_service_start_order(mos_kernel_t *k, mos_service_id_t target,
				    mos_service_id_t *out, size_t cap,
				    size_t *n);

/* The whole text of the last service error whose message did not fit a
 * mos_error_t (a long cycle), or the last message; "" when none.  Valid
 * until the next service call. */
MOS_API const char *mos_service_error_text(mos_kernel_t *k);

/* The documented process-level calls: a UserService named `name` running
 * `command`, restart on-failure with at most max_restarts (auto_restart)
 * or no restart.  want: the id to register it under (0: the next). */
MOS_API int mos_create_service_process(mos_kernel_t *k, mos_service_id_t want,
				       const char *name,
				       const char *const *command,
				       bool auto_restart, uint32_t max_restarts,
				       mos_service_id_t *id);
MOS_API int mos_start_service_process(mos_kernel_t *k, mos_service_id_t id);

/* A notify service's instance says it is ready (sd_notify's READY=1);
 * the service is Running once every instance has.  Errors:
 * MOS_ESVCNOTFOUND (the caller is no service's instance). */
MOS_API int mos_sys_notify_ready(mos_proc_t *self);

/* ---- the audit log --------------------------------------------------- */

typedef enum mos_audit_op {
	MOS_AUDIT_REGISTER, MOS_AUDIT_UNREGISTER, MOS_AUDIT_START,
	MOS_AUDIT_STOP, MOS_AUDIT_RESTART, MOS_AUDIT_PAUSE, MOS_AUDIT_RESUME,
	MOS_AUDIT_ENABLE, MOS_AUDIT_DISABLE,
	MOS_AUDIT_STATE,    /* a state change: result is the new state */
	MOS_AUDIT_DEP_SKIPPED, /* a start went on without an optional
				  dependency (culprit) that failed
				  (result MOS_EDEPEND, reason DEPENDENCY)
				  or was not Running within its timeout
				  (MOS_ETIMEDOUT, TIMEOUT) */
	MOS_AUDIT_CALL,     /* a request refused by the service's allow
			       list: uid the caller's, result MOS_EPERM */
	MOS_AUDIT_HEALTH,   /* a health check failed past its threshold:
			       result MOS_EHEALTH, reason HEALTH */
	MOS_AUDIT_OP_COUNT
} mos_audit_op_t;

typedef struct mos_audit_entry {
	uint64_t seq;               /* 1, 2, ... over the kernel's life */
	mos_time_t time;
	mos_uid_t uid;              /* the actor's; 0 for the kernel */
	mos_audit_op_t op;
	mos_service_id_t service;
	char name[MOS_SVC_NAME_LEN];
	int result;                 /* a request's: 0 or MOS_E*; STATE's:
				       the mos_service_state_t entered */
	mos_svc_reason_t reason;    /* STATE's, DEP_SKIPPED's */
	mos_service_id_t culprit;   /* STATE's (status.culprit),
				       DEP_SKIPPED's dependency; else 0 */
} mos_audit_entry_t;

/* The audit log's newest entries (a ring of 1024), oldest first: up to cap into out, the count into *n.
 * Errors: MOS_EINVAL. */
MOS_API int mos_service_audit(mos_kernel_t *k, mos_audit_entry_t *out,
			      size_t cap, size_t *n);
/* The same as JSON lines into path, one object per entry: {seq, time,
 * uid, op ("register" ... "state", "dependency_skipped"), service, name,
 * result (an error's name, "MOS_OK", or for op "state" the state
 * entered), reason, culprit}.  Errors: MOS_EINVAL, MOS_EIO. */
MOS_API int mos_service_audit_json(mos_kernel_t *k, const char *path);

/* ---- names ------------------------------------------------------------ */

/* "SystemService", ...; "Stopped", ...; "no", "on-failure", "always";
 * "one_for_one", ...; "?" out of range. */
MOS_API const char *mos_service_type_name(mos_service_type_t t);
MOS_API const char *mos_service_state_name(mos_service_state_t s);
MOS_API const char *mos_restart_policy_name(mos_restart_policy_t p);
MOS_API const char *mos_sup_strategy_name(mos_sup_strategy_t s);
MOS_API const char *mos_svc_reason_name(mos_svc_reason_t r);
/* "round_robin", ...; "critical", ...; "none", "exec", "ping"; "?" out
 * of range. */
MOS_API const char *mos_lb_strategy_name(mos_lb_strategy_t s);
MOS_API const char *mos_importance_name(mos_importance_t i);
MOS_API const char *mos_probe_kind_name(mos_probe_kind_t p);

/* ---- versions (semver 2.0.0, Cargo's requirements) --------------------- */


typedef struct mos_semver {
	uint64_t major, minor, patch;
	char pre[MOS_SEMVER_TEXT_LEN];   /* pre-release ("rc.1"), "" none */
	char build[MOS_SEMVER_TEXT_LEN]; /* build metadata, not compared */
} mos_semver_t;

/* Parse a semver 2.0.0 version ("1.4.0-rc.1+b5"; no leading 'v', no
 * leading zeros).  Errors: MOS_EINVAL (NULL), MOS_ECONFIG with *pos
 * (may be NULL) the 0-based character position of the first bad one. */
MOS_API int mos_semver_parse(const char *s, mos_semver_t *v, size_t *pos);
/* <0, 0, >0 as a's precedence is below, equal to, above b's. */
MOS_API int mos_semver_cmp(const mos_semver_t *a, const mos_semver_t *b);
/* Whether version satisfies the Cargo requirement req ("^1.4", "~2.1",
 * ">=1.2, <2.0", "=1.0.3", "1.*", "*"; a bare version is a caret).
 * Returns 1 or 0.  Errors: MOS_EINVAL (NULL), MOS_ECONFIG with *pos the
 * position of the first bad character, in req or, when the requirement is
 * good, in version. */
MOS_API int mos_semver_matches(const char *req, const char *version,
			       size_t *pos);

/* The runtime's calls: requests and discovery. */
#include "svcrt.h"

#endif
