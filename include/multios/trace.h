/*
 * multios/trace.h - the typed record of what the kernel did.
 *
 * Each event (virtual time, kind, subject, cause, two payload words) goes
 * into a bounded ring (config.trace_capacity; the oldest events are
 * overwritten) and into a running 64-bit hash over every event ever
 * recorded.  Two runs with the same inputs and seed give the same hash,
 * byte for byte the same dump.  The kinds: process state transitions
 * (the kernel), timers, signals, limits, service states, audit entries,
 * counter samples (the subsystems that record them), and marks that
 * programs leave to time their own phases (mos_sys_trace_mark).
 */
#ifndef MULTIOS_TRACE_H
#define MULTIOS_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "process.h"
#include "types.h"

#define MOS_CAUSE_MAP(X)                                                   \
	X(CREATE, "create")       /* New -> Ready */                       \
	X(DISPATCH, "dispatch")   /* Ready -> Running */                   \
	X(PREEMPT, "preempt")     /* Running -> Ready: more urgent work */ \
	X(SLICE, "slice")         /* Running -> Ready: time slice used */  \
	X(YIELD, "yield")         /* Running -> Ready: asked for it */     \
	X(SLEEP, "sleep")         /* Running -> Blocked on a timer */      \
	X(WAIT, "wait")           /* Running -> Blocked on a child */      \
	X(WAKE, "wake")           /* Blocked -> Ready */                   \
	X(SUSPEND, "suspend")     /* -> Suspended */                       \
	X(RESUME, "resume")       /* Suspended -> Ready/Blocked */         \
	X(EXIT, "exit")           /* -> Terminated: exited */              \
	X(KILL, "kill")           /* -> Terminated: killed */              \
	X(CRASH, "crash")         /* -> Terminated: stack overflow */      \
	X(ZOMBIE, "zombie")       /* Terminated -> Zombie */               \
	X(REAP, "reap")           /* Zombie -> Defunct */                  \
	X(INTERRUPT, "interrupt") /* Blocked -> Ready: wait cancelled */ \
	X(THROTTLE, "throttle")   /* Running -> Ready: its group's cpu.max */ \
	X(IO, "io")               /* Running -> Blocked on the device */ \
	X(IPC, "ipc")             /* Running -> Blocked on a mailbox (recv, \
				     a full one's send, a call's reply) */

typedef enum mos_cause {
#define MOS__CAUSE_ENUM(name, str) MOS_CAUSE_##name,
	MOS_CAUSE_MAP(MOS__CAUSE_ENUM)
#undef MOS__CAUSE_ENUM
	MOS_CAUSE_COUNT
} mos_cause_t;

/*
 * What an event records; later issues add kinds at the end.  For each:
 * the subject, the cause, and the payload words a and b.
 */
#define MOS_TRACE_KIND_MAP(X)                                              \
	/* pid; mos_cause_t; from state; to state */                       \
	X(PROC, "proc")                                                    \
	/* the owner's id; the band; the due time; 0 */                    \
	X(TIMER, "timer")                                                  \
	/* the target pid; the signal number; the sender pid; the action */\
	X(SIGNAL, "signal")                                                \
	/* pid; the resource; the value; the limit */                      \
	X(LIMIT, "limit")                                                  \
	/* the service id; the reason; from state; to state */             \
	X(SERVICE, "service")                                              \
	/* a denial: the acting pid; mos_audit_action_t; the target pid;  \
	   what was asked (multios/cred.h) */                              \
	X(AUDIT, "audit")                                                  \
	/* the counter's label id; 0; the value; 0 */                      \
	X(COUNTER, "counter")                                              \
	/* pid; 0; the label id; 0 */                                      \
	X(MARK, "mark")                                                    \
	/* the group id; 1 throttled, 0 unthrottled; its CPU use in the   \
	   period; the quota (cpu.max, multios/resource.h) */              \
	X(THROTTLE, "throttle")                                            \
	/* pid; 0 read, 1 write; the bytes; the time from the request to  \
	   its completion (the block device, multios/resource.h) */        \
	X(IO, "io")                                                        \
	/* pid; mos_ipc_op_t (multios/ipc.h); the peer pid (0: the        \
	   kernel); the request id (0: a plain message) */                 \
	X(IPC, "ipc")                                                      \
	/* a mos_sys_call's outcome: the caller pid; its result negated   \
	   (0, or -MOS_E*) | MOS_TRACE_CALL_RETRIED; the service id << 32 \
	   | the pid of the instance that had it last (0: none picked);   \
	   its latency, ns of virtual time (multios/service.h) */         \
	X(CALL, "call")

typedef enum mos_trace_kind {
#define MOS__KIND_ENUM(name, str) MOS_TRACE_##name,
	MOS_TRACE_KIND_MAP(MOS__KIND_ENUM)
#undef MOS__KIND_ENUM
	MOS_TRACE_KIND_COUNT
} mos_trace_kind_t;

/* A MOS_TRACE_CALL's cause bit: the call failed over once. */
#define MOS_TRACE_CALL_RETRIED 0x80u

typedef struct mos_trace_event {
	mos_time_t time;
	int32_t subject;   /* what the event is about: a pid, a service id */
	uint8_t kind;      /* mos_trace_kind_t */
	uint8_t cause;     /* mos_cause_t for MOS_TRACE_PROC */
	uint64_t a, b;     /* payload: for MOS_TRACE_PROC, from and to */
} mos_trace_event_t;

/* "proc", "mark", ...; "?" when out of range. */
MOS_API const char *mos_trace_kind_name(mos_trace_kind_t kind);

/* "dispatch", ...; "?" when out of range. */
MOS_API const char *mos_cause_name(mos_cause_t c);

/* Hash of every event recorded since the kernel was created. */
MOS_API uint64_t mos_trace_hash(const mos_kernel_t *k);

/* Events ever recorded (the ring holds the last trace_capacity of them). */
MOS_API uint64_t mos_trace_total(const mos_kernel_t *k);

/*
 * Copy the i-th oldest event still in the ring (0 <= i < count) to *ev;
 * *count (may be NULL) receives how many the ring holds.  With ev NULL and
 * count given, only the count is returned.
 * Errors: MOS_EINVAL (NULL k, ev and count both NULL, i out of range).
 */
MOS_API int mos_trace_get(const mos_kernel_t *k, size_t i,
			  mos_trace_event_t *ev, size_t *count);

/*
 * Write the ring as stable text, one event a line, each kind readably:
 *   "     12.500000 ms  pid 7     Running    -> Blocked    sleep"
 *   "     12.500000 ms  pid 7     mark       phase-1"
 *   "     12.500000 ms  counter   queue-depth = 4"
 * A process transition prints as it always has.
 * Errors: MOS_EINVAL, MOS_EIO (write failed).
 */
MOS_API int mos_trace_dump(const mos_kernel_t *k, FILE *out);

/*
 * Labels: the strings marks and counters name, interned per kernel so an
 * event stays fixed-size.  Ids count from 0 in order of first use.
 * mos_trace_label returns the id of s, adding it (at most
 * MOS_TRACE_MAX_LABELS, of at most MOS_TRACE_LABEL_LEN bytes).
 * Errors: MOS_EINVAL (NULL, empty or too long), MOS_EEXHAUSTED (table
 * full), MOS_ENOMEM.  mos_trace_label_name returns NULL for an unknown id.
 */
#define MOS_TRACE_MAX_LABELS 4096
#define MOS_TRACE_LABEL_LEN 64
MOS_API int mos_trace_label(mos_kernel_t *k, const char *s, uint32_t *id);
MOS_API const char *mos_trace_label_name(const mos_kernel_t *k, uint32_t id);

/*
 * Write the ring as Chrome Trace Event JSON (ui.perfetto.dev,
 * chrome://tracing): a track per process with a complete event for each
 * stretch it ran, instant events for signals, marks, limits, service
 * states, audit entries and timers on the track they concern, and
 * counter tracks: runnable processes (Ready or Running) after every
 * transition, and every counter sample.  Times are microseconds.  Only
 * what the ring still holds is written (trace_capacity); when it has
 * overwritten older events, the runnable count starts at its true value
 * at the oldest event held, and a run in progress then starts there.
 * A label or program name that is not UTF-8 is written with its bytes
 * above ASCII as '?' (JSON strings are UTF-8).  The export's memory is jansson's and the C library's, not the kernel's
 * allocator: it builds a document, it changes nothing in the kernel.
 * Errors: MOS_EINVAL, MOS_ENOMEM, MOS_EIO (write failed).
 */
MOS_API int mos_trace_write_chrome(mos_kernel_t *k, FILE *out);

/* Optional observer called for every event as it is recorded (NULL: none).
 * It must not call back into the kernel, and while one is set yields
 * always go through the run loop.  A subscriber to kernel events
 * (multios/events.h) is the way to react to them. */
typedef void (*mos_trace_fn)(void *ud, const mos_trace_event_t *ev);
MOS_API int mos_trace_set_observer(mos_kernel_t *k, mos_trace_fn fn, void *ud);

#endif
