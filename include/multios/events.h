/*
 * multios/events.h - kernel events: reacting to what processes do.
 *
 * Any number of subscribers, each with a filter (which event types, one
 * process or all, one program or all).  A subscriber is delivered to in
 * one of two ways:
 *
 *   - deferred (the default): the kernel copies the event into a queue
 *     and calls the subscriber on the host stack, between two steps, at
 *     the same virtual instant, in the order the events happened.  It may
 *     call the kernel: create, terminate, suspend processes, subscribe
 *     (but not run, step or destroy it).  This is how a supervisor
 *     restarts what died.
 *   - synchronous (MOS_KEV_SYNC): called at once, wherever the event
 *     happens (possibly on a process's coroutine, with little stack).  It
 *     may only look (queries); a call that changes the kernel fails with
 *     MOS_EINVAL while it runs.
 *
 * Only a subscriber to MOS_KEV_STATE (every transition) slows the kernel
 * down: while there is one, yields go through the run loop.  Subscribers
 * to the other types cost nothing until their events happen.
 */
#ifndef MULTIOS_EVENTS_H
#define MULTIOS_EVENTS_H

#include <stdint.h>

#include "process.h"
#include "trace.h"
#include "types.h"

/* Event types; later subsystems add theirs before MOS_KEV_TYPE_COUNT. */
typedef enum mos_kev_type {
	MOS_KEV_CREATED, /* a process was created (New, or Ready at once) */
	MOS_KEV_STATE,   /* a process changed state: every transition */
	MOS_KEV_EXITED,  /* a process ended (Terminated): status, cause */
	MOS_KEV_REAPED,  /* a zombie was reaped (Defunct): status */
	MOS_KEV_LIMIT,   /* a resource limit bit (multios/resource.h): cause
			    0, a the value it would have reached, b the
			    limit, status the resource (mos_rlimit_res_t,
			    or a group's: memory.max 8, pids.max 9,
			    cpu.max 10) */
	MOS_KEV_SERVICE, /* a service changed state (multios/service.h):
			    pid 0, a the service id, b the reason
			    (mos_svc_reason_t), status the state entered,
			    from/to unused (the process states) */
	MOS_KEV_OOM,     /* the machine's memory ran out (multios/
			    resource.h): pid the process whose allocation
			    or stack growth was refused with MOS_ENOMEM, a
			    the bytes the machine would have held, b
			    resources.memory_size; the admin's OOM
			    response acts on it (multios/admin.h) */
	MOS_KEV_TYPE_COUNT
} mos_kev_type_t;

#define MOS_KEV_BIT(type) (1u << (type))
#define MOS_KEV_ALL ((1u << MOS_KEV_TYPE_COUNT) - 1)

typedef struct mos_kevent {
	mos_kev_type_t type;
	mos_time_t time;           /* when it happened (virtual ns) */
	mos_pid_t pid;
	mos_pid_t ppid;
	mos_proc_state_t from, to; /* the transition (all but CREATED: to is
				      the state the event left it in) */
	mos_cause_t cause;
	int status;                /* EXITED, REAPED: the wait status */
	uint64_t a, b;             /* for the types of later subsystems */
} mos_kevent_t;

typedef struct mos_kev_filter {
	uint32_t types;            /* MOS_KEV_BIT()s, at least one */
	mos_pid_t pid;             /* only this process; 0: any */
	const char *program;       /* only processes whose command[0] is this
				      (copied); NULL: any */
} mos_kev_filter_t;

/* k is the kernel the event happened in. */
typedef void (*mos_kev_fn)(mos_kernel_t *k, const mos_kevent_t *ev, void *ud);

/* Flags of mos_kernel_subscribe. */
enum { MOS_KEV_SYNC = 1 };

/*
 * Subscribe fn(k, ev, ud) to the events that pass *filter; *id (may be
 * NULL) receives the subscription's id, for mos_kernel_unsubscribe.
 * Subscribers of one event are called in subscription order.  An event
 * queued for a deferred subscriber that unsubscribes before it runs is
 * dropped.  A deferred event that cannot be queued for lack of memory is
 * dropped and counted (mos_kernel_stats_t.events_dropped).
 * Errors: MOS_EINVAL (NULL k, filter or fn, no or unknown types, unknown
 * flags, a negative pid, an empty program, a call from inside a program or
 * a synchronous subscriber), MOS_ENOMEM, MOS_EEXHAUSTED (2^31 - 1
 * subscriptions made over the kernel's life: ids are never reused).
 */
MOS_API int mos_kernel_subscribe(mos_kernel_t *k, const mos_kev_filter_t *filter,
				 unsigned flags, mos_kev_fn fn, void *ud,
				 int *id);

/* Remove a subscription; its events still queued are dropped.
 * Errors: MOS_EINVAL (NULL k, an id that is not subscribed, a call from
 * inside a program or a synchronous subscriber). */
MOS_API int mos_kernel_unsubscribe(mos_kernel_t *k, int id);

/* "created", "state", "exited", "reaped"; "?" when out of range. */
MOS_API const char *mos_kev_type_name(mos_kev_type_t type);

#endif
