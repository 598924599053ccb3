/*
 * src/service/service_int.h - the service manager's state: the registry
 * (registry.c, descriptor.c), the dependency graph (graph.c), the
 * lifecycle (lifecycle.c, requests.c), restarts (restart.c), supervisor
 * groups (supervisor.c), the audit log (audit.c) and the snapshots
 * read out of it all (info.c).
 *
 * The manager is made on the first service call and lives in the
 * kernel's MOS_SUBSYS_SERVICE slot (src/kernel/seams.h).  It sees
 * processes only through the seams: it creates instances with
 * mos_process_create, signals them with mos_process_send_signal, and
 * learns of their exits from a deferred MOS_KEV_EXITED subscription, so
 * everything it does runs on the host stack, between steps.
 */
#ifndef MOS_SERVICE_INT_H
#define MOS_SERVICE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/seams.h"
#include "multios/service.h"
#include "semver.h"

#define MOS_SVC_AUDIT_SIZE 1024

/* A dependency edge, resolved: dep is registered before or with its
 * dependent and cannot go while the dependent is registered.  Small: a
 * compiled requirement is 1.5 KB (16 comparators), so only an edge with
 * a version has one, in its service's block; inline, every edge carried
 * it (500 000 edges: 790 MB, zeroed and faulted in at registration). */
typedef struct mos_svc_edge {
	struct mos_svc *dep;
	bool required;
	bool has_req;
	mos_time_t timeout;         /* ns */
	const mos_semver_req_t *req; /* has_req: the requirement */
	char *req_text;             /* as given, for messages */
	bool skipped;               /* optional, and the current start went
				       on without it (failed or late) */
} mos_svc_edge_t;

/* One instance slot. */
typedef struct mos_svc_inst {
	mos_pid_t pid;              /* 0: none */
	bool ready;
	bool restart_due;           /* waits for the service's restart */
	bool unready;               /* health.c: its readiness probe fails:
				       out of load balancing */
	bool draining;              /* being killed (a liveness failure):
				       takes no new request */
} mos_svc_inst_t;

/* What the service's one timer is armed for. */
typedef enum mos_svc_timer_use {
	MOS_SVC_T_NONE,
	MOS_SVC_T_DEPS,             /* a dependency's deadline */
	MOS_SVC_T_START,            /* the start timeout */
	MOS_SVC_T_KILL,             /* the stop timeout: SIGKILL */
	MOS_SVC_T_RESTART,          /* the back-off's end */
	MOS_SVC_T_COOLDOWN,         /* past the start limit: try again */
	MOS_SVC_T_READY,            /* every instance notified: Running */
} mos_svc_timer_use_t;

/* Where a start is (state Starting). */
typedef enum mos_svc_phase {
	MOS_SVC_P_IDLE,
	MOS_SVC_P_DEPS,             /* waiting for dependencies */
	MOS_SVC_P_SPAWNED,          /* instances made, waiting readiness */
	MOS_SVC_P_STOP_DEPENDENTS,  /* stopping: waiting for dependents */
	MOS_SVC_P_STOP_SIGNALLED,   /* stopping: SIGTERM sent */
} mos_svc_phase_t;

typedef struct mos_svc {
	mos_service_id_t id;
	struct mos_svc_mgr *m;
	/* ---- the descriptor, copied: its strings, vectors and edges (and
	 * inst, recent, sup_recent below) live in the service's own
	 * allocation (mos__svc_make); dependents and members, which grow,
	 * are apart ---- */
	char *name;
	mos_service_type_t type;
	mos_semver_t version;
	char **command;             /* NULL-terminated; NULL for a group */
	char *working_directory;
	char **environment;
	char **tags;
	mos_uid_t uid;
	mos_gid_t gid;
	uint32_t caps;
	mos_isolation_t isolation;
	mos_priority_t priority;
	mos_prio_class_t prio_class;
	uint32_t instances;
	mos_svc_edge_t *deps;       /* sorted by dependency name */
	uint32_t ndeps;
	mos_restart_spec_t restart; /* policy resolved (never DEFAULT) */
	bool has_limits;
	mos_rlimits_t limits;
	bool has_group_limits;
	mos_group_limits_t group_limits;
	mos_group_id_t rgroup;      /* its resource group, 0: none */
	struct mos_svc *group;      /* the ServiceGroup supervising it */
	mos_sup_spec_t sup;
	mos_time_t start_timeout, stop_timeout;
	mos_readiness_t readiness;
	/* ---- the runtime's fields (descriptor.c checks them; the arrays
	 * and strings are in the block too) ---- */
	mos_lb_strategy_t balance;
	uint32_t *weights;          /* nweights: one per instance, or per
				       backends entry of a LoadBalancer;
				       1 each by default; NULL when 0 */
	uint32_t nweights;
	uint32_t vnodes;            /* resolved: never 0 */
	/* command in the block; NULL unless exec */
	mos_probe_spec_t liveness_probe, readiness_probe;
	mos_importance_t importance;
	bool retry;
	bool encrypted;
	mos_uid_t *allow_uids;      /* NULL when none */
	uint32_t nallow_uids;
	mos_gid_t *allow_gids;
	uint32_t nallow_gids;
	char **allow_services;      /* NULL-terminated; NULL when none */
	uint32_t nallow_services;
	mos_time_t encryption_cost; /* resolved: never 0 */
	char **backends;            /* a LoadBalancer's, NULL-terminated;
				       NULL for the others */
	uint32_t nbackends;
	mos_time_t request_timeout; /* ns; 0: none */
	/* ---- the graph ---- */
	struct mos_svc **dependents; /* registered services that need it */
	uint32_t ndependents, dependents_cap;
	struct mos_svc **members;   /* a group's, in registration order */
	uint32_t nmembers, members_cap;
	uint32_t mark;              /* graph walks' visit stamp */
	uint32_t add, add_members;  /* a batch's count of links to come */
	/* ---- the lifecycle ---- */
	mos_service_state_t state;
	mos_svc_phase_t phase;
	mos_time_t since;
	mos_svc_reason_t reason;
	int error;
	mos_service_id_t culprit;
	bool enabled;
	bool want_up;               /* started by request, not yet stopped:
				       a dependency's return restarts it */
	bool dep_stopped;           /* stopped because a required dependency
				       failed: started again when it is up */
	bool restart_after_stop;    /* restart: start once Stopped */
	bool restart_due_any;       /* an instance waits for a restart */
	bool timed_out;             /* the start timeout killed them */
	bool sup_restart;           /* its group restarts it once down */
	mos_svc_inst_t *inst;       /* instances of them */
	uint32_t live;              /* instances with a pid */
	uint32_t ready;             /* of them, ready */
	mos_time_t wait_since;      /* the start request (dependency
				       timeouts count from it) */
	mos_timer_t timer;
	bool timer_ready;           /* timer is mos__ktimer_init'ed */
	mos_svc_timer_use_t timer_use;
	mos_time_t timer_due;
	/* ---- restarts ---- */
	uint32_t restarts;          /* in its life */
	uint32_t backoff_step;      /* restarts since the back-off reset */
	mos_time_t up_since;        /* Running since; for reset_after */
	mos_time_t *recent;         /* restart instants, a ring of
				       max_restarts (the start limit) */
	uint32_t nrecent, recent_head;
	int last_exit_status;       /* -1: none */
	mos_time_t next_restart;
	/* ---- the runtime (issue 13), each made on first use ---- */
	struct mos_svc_rt *rt;      /* call.c: the balancer, per-instance
				       request counts and latencies */
	struct mos_svc_health *health; /* health.c: probes' state */
	/* ---- a ServiceGroup's intensity ---- */
	mos_time_t *sup_recent;     /* ring of intensity + 1 */
	uint32_t sup_n, sup_head;
} mos_svc_t;

/* The manager: one per kernel. */
typedef struct mos_svc_mgr {
	mos_kernel_t *k;
	const mos_allocator_t *a;
	mos_svc_t **by_id;          /* [id - 1]; NULL: unregistered */
	uint32_t nids, ids_cap;
	/* name -> service, open addressing (lookups only: every walk goes
	 * by id or by name order, never by table order); each slot keeps its
	 * name's hash, so a probe that is not the name costs no visit to
	 * the service (a cache miss each once the services outgrow the
	 * caches) */
	struct mos_svc_slot { mos_svc_t *s; uint32_t hash; } *names;
	uint32_t names_cap, nnames;
	/* pid -> service, for exits: a sorted array of (pid, id) */
	/* probe: an exec probe's process (health.c), no instance */
	struct mos_svc_pid {
		mos_pid_t pid;
		mos_service_id_t id;
		bool probe;
	} *pids;
	uint32_t npids, pids_cap;
	uint32_t live_instances;    /* for max_service_processes */
	uint32_t stamp;             /* graph walks */
	int sub;                    /* the MOS_KEV_EXITED subscription */
	char *errtext;              /* mos_service_error_text */
	mos_audit_entry_t *audit;   /* ring of MOS_SVC_AUDIT_SIZE */
	uint64_t audit_seq;
	uint8_t stop_wave;          /* stop_all: the wave being stopped
				       (1 .. 3), 0: none */
	mos_pid_t stop_actor;       /* stop_all's actor */
} mos_svc_mgr_t;

/* A service counts as up from Starting to Stopping, Paused included. */
static inline bool mos__svc_is_up(const mos_svc_t *s)
{
	return s->state == MOS_SVC_STARTING || s->state == MOS_SVC_RUNNING ||
	       s->state == MOS_SVC_STOPPING || s->state == MOS_SVC_PAUSED;
}

/* ---- registry.c ---------------------------------------------------- */

/* The kernel's manager, made on first use (NULL: MOS_ENOMEM). */
mos_svc_mgr_t *mos__svc_mgr(mos_kernel_t *k);
/* The manager if made, else NULL (queries need not make it). */
mos_svc_mgr_t *mos__svc_mgr_peek(mos_kernel_t *k);
mos_svc_t *mos__svc_get(mos_svc_mgr_t *m, mos_service_id_t id);
mos_svc_t *mos__svc_by_name(mos_svc_mgr_t *m, const char *name);
/* Set the manager's long error text (printf); returns code. */
int mos__svc_errtext(mos_svc_mgr_t *m, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Whether actor (0: the host) may operate s: its owner or ADMIN; a
 * refusal is counted and audited (MOS_EPERM). */
int mos__svc_may(mos_svc_mgr_t *m, mos_pid_t actor, const mos_svc_t *s,
		 mos_audit_op_t op);
/* The service id for a request by actor: MOS_EINVAL (no kernel, or
 * not a host call), MOS_ESVCNOTFOUND, or the permission's refusal; *uid
 * is the actor's, for the audit. */
int mos__svc_lookup(mos_kernel_t *k, mos_pid_t actor, mos_service_id_t id,
		    mos_audit_op_t op, mos_svc_t **out, mos_uid_t *uid);
/* The actor's uid for the audit (0 for the host); MOS_EPROCNOTFOUND. */
int mos__svc_actor_uid(mos_svc_mgr_t *m, mos_pid_t actor, mos_uid_t *uid);

/* The batch behind mos_service_register_batch and the JSON loader:
 * sources[i] (may be NULL) names descriptor i's file for messages. */
int mos__svc_register_batch(mos_kernel_t *k, mos_pid_t actor,
			    const mos_service_descriptor_t *descs, size_t n,
			    const char *const *sources, mos_service_id_t *ids,
			    mos_error_t *err);

/* An actor: a process's effective credentials, or the host's. */
typedef struct mos_svc_actor {
	mos_uid_t uid;
	mos_gid_t gid;
	uint32_t caps;
	mos_isolation_t isolation;
	bool host;
} mos_svc_actor_t;

/* Its credentials (pid 0: the host).  MOS_EINVALPID, MOS_EPROCNOTFOUND. */
int mos__svc_actor_of(mos_svc_mgr_t *m, mos_pid_t pid, mos_svc_actor_t *a);

/* ---- descriptor.c -------------------------------------------------- */

/* Where a descriptor came from, for messages: its file, or (source
 * NULL) "service" and the path "services[index]" of the batch.  Spelled
 * only when an error is recorded, not for every registration. */
typedef struct mos_svc_where {
	const char *source;
	size_t index;
} mos_svc_where_t;

/* Record an error of the field `key` of w's descriptor; returns code. */
int mos__svc_bad(mos_error_t *err, const mos_svc_where_t *w, int code,
		 const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Check d and copy it into a new service (not registered): one block
 * holds the service and all it copies (its strings, vectors, edges,
 * instance slots and rings); its edges' dep stay NULL for the registry
 * to resolve from d->deps[i].name (in d's order) and d->member_of. */
int mos__svc_make(mos_svc_mgr_t *m, const mos_svc_actor_t *ac,
		  const mos_service_descriptor_t *d, const mos_svc_where_t *w,
		  mos_svc_t **out, mos_error_t *err);
void mos__svc_free(mos_svc_mgr_t *m, mos_svc_t *s);

/* ---- graph.c ------------------------------------------------------- */

/* Two marks no service bears yet (the second is the first + 1), good
 * until the next call: a walk tags what it visits with them. */
uint32_t mos__svc_stamps(mos_svc_mgr_t *m);

/* A cycle among batch[0 .. n-1] (whose edges are resolved): MOS_ECYCLE
 * with the cycle spelled "a -> b -> a" in err and the long text; else 0. */
int mos__svc_check_cycles(mos_svc_mgr_t *m, mos_svc_t **batch, size_t n,
			  mos_error_t *err);
/* The start order of target (dependencies first, each service's in name
 * order, depth first; target last) into out (cap), the count into *n;
 * skip_up: leaving out, and not walking through, services up already. */
int mos__svc_order(mos_svc_mgr_t *m, mos_svc_t *target, bool skip_up,
		   mos_svc_t **out, size_t cap, size_t *n);

/* ---- lifecycle.c --------------------------------------------------- */

int mos__svc_lifecycle_init(mos_svc_mgr_t *m);
void mos__svc_lifecycle_fini(mos_svc_mgr_t *m);
/* A service's timer fired (its use in s->timer_use). */
void mos__svc_timer_fired(mos_svc_t *s);
/* Enter a state, with its reason; traces, emits and audits it. */
void mos__svc_set_state(mos_svc_t *s, mos_service_state_t st,
			mos_svc_reason_t why, int error,
			mos_service_id_t culprit);
void mos__svc_arm(mos_svc_t *s, mos_svc_timer_use_t use, mos_time_t due);
void mos__svc_disarm(mos_svc_t *s);
/* What a start of s brings up, in order, what is up left out (an array
 * to free; NULL: MOS_ENOMEM); and starting them. */
mos_svc_t **mos__svc_start_list(mos_svc_t *s, size_t *n);
void mos__svc_start_these(mos_svc_t *s, mos_svc_t **order, size_t n,
			  mos_svc_reason_t why);
/* Start s (its dependencies first); stop s (its dependents first). */
int mos__svc_start(mos_svc_t *s, mos_svc_reason_t why);
void mos__svc_stop(mos_svc_t *s, mos_svc_reason_t why,
		   mos_service_id_t culprit);
/* Make instance i of s (a restart or a start): 0, or why not
 * (MOS_EEXHAUSTED: max_service_processes or max_processes; what
 * mos_process_create, set_limits or the group's attach refused). */
int mos__svc_spawn(mos_svc_t *s, uint32_t i);
/* Make an exec probe's process for s: command with s's credentials, in
 * the pid index as a probe (its exit goes to mos__svc_health_probe_exit;
 * mos__svc_of_pid and notify_ready do not see it as an instance).
 * Errors: what mos_process_create refused, MOS_ENOMEM. */
int mos__svc_spawn_probe(mos_svc_t *s, const char *const *command,
			 mos_pid_t *pid);
/* Failed now (what is left of it is killed); pending restarts go. */
void mos__svc_fail(mos_svc_t *s, mos_svc_reason_t why, int error,
		   mos_service_id_t culprit);
void mos__svc_cancel_restarts(mos_svc_t *s);
/* stop_all: a service went down; the next wave may start. */
void mos__svc_stop_all_progress(mos_svc_mgr_t *m);
/* Signal every live instance of s. */
void mos__svc_signal(mos_svc_t *s, int sig);
/* The service pid is an instance of, or NULL. */
mos_svc_t *mos__svc_of_pid(mos_svc_mgr_t *m, mos_pid_t pid);

/* ---- restart.c ----------------------------------------------------- */

/* An instance of s exited with status while s was up (not stopping):
 * decide and schedule what follows. */
void mos__svc_instance_died(mos_svc_t *s, uint32_t i, int status);
/* The back-off's end: restart the instances due. */
void mos__svc_restart_due(mos_svc_t *s);
/* The delay of the next restart of s. */
mos_time_t mos__svc_backoff(const mos_svc_t *s);

/* ---- supervisor.c -------------------------------------------------- */

/* Whether s's policy restarts it after an exit with status. */
bool mos__svc_wants_restart(const mos_svc_t *s, int status);
/* g restarts dead (and, by its strategy, the others). */
void mos__svc_sup_restart(mos_svc_t *g, mos_svc_t *dead);
/* A member of g flagged for restart went down: start the flagged ones,
 * in member order, once all are down. */
void mos__svc_sup_check(mos_svc_t *g);

/* Member s of a group died (status): the group's strategy acts.  True
 * when the group took it over (s is not to restart on its own). */
bool mos__svc_sup_member_died(mos_svc_t *s, uint32_t i, int status);

/* ---- audit.c ------------------------------------------------------- */

/* Append an entry (culprit 0); returns it, for a caller that has one. */
mos_audit_entry_t *mos__svc_audit(mos_svc_mgr_t *m, mos_uid_t uid,
				  mos_audit_op_t op, const mos_svc_t *s,
				  mos_service_id_t id, int result,
				  mos_svc_reason_t reason);

/* ---- discover.c ---------------------------------------------------- */

/* Whether caller may call s (its allow list); discovery shows a non-ADMIN
 * process only these. */
/* ---- call.c (the request path) -------------------------------------- */

/* Whether instance slot i of s may take a request now: it has a live,
 * ready pid, its readiness probe passes, it is not being killed, and s
 * is Starting or Running. */
bool mos__svc_inst_eligible(const mos_svc_t *s, uint32_t i);
/* Fill what the request path knows into a status / an instance's
 * snapshot (nothing when s never took a request). */
void mos__svc_rt_status(const mos_svc_t *s, mos_service_status_t *st);
void mos__svc_rt_instance(const mos_svc_t *s, uint32_t i,
			  mos_service_instance_t *out);
/* Free s->rt (mos__svc_free). */
void mos__svc_rt_free(mos_svc_t *s);

/* ---- health.c (probes) ---------------------------------------------- */

/* Instance i of s got its pid (a start or a restart): its probes start
 * afresh (consecutive counts reset; a readiness probe makes it unready
 * until it passes).  Never fails: no memory, no probes. */
void mos__svc_health_spawned(mos_svc_t *s, uint32_t i);
/* Instance i of s is gone (its exit, its pid still set): its probes stop. */
void mos__svc_health_gone(mos_svc_t *s, uint32_t i);
/* s entered its state (from `from`): probes run only while it is
 * Starting or Running; otherwise they stop. */
void mos__svc_health_state(mos_svc_t *s, mos_service_state_t from);
/* A probe process of s exited with status. */
void mos__svc_health_probe_exit(mos_svc_t *s, mos_pid_t pid, int status);

void mos__svc_health_status(const mos_svc_t *s, mos_service_status_t *st);
void mos__svc_health_instance(const mos_svc_t *s, uint32_t i,
			      mos_service_instance_t *out);
/* Free s->health (mos__svc_free). */
void mos__svc_health_free(mos_svc_t *s);

/* ---- security.c ---------------------------------------------------- */

/* Whether caller (NULL: the host, which may) may call s: s has no allow
 * list, or it names caller's effective uid, its effective gid, or the
 * service caller is an instance of.  Pure. */
bool mos__svc_may_call(const mos_svc_t *s, const mos_proc_t *caller);
/* Refuse caller's request to s: audited (MOS_AUDIT_CALL in the
 * service's log, and a MOS_TRACE_AUDIT denial); returns MOS_EPERM. */
int mos__svc_call_refused(mos_svc_t *s, const mos_proc_t *caller);

#endif
