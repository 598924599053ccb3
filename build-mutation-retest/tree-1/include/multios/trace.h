/*
 * multios/trace.h - the record of every process state transition.
 *
 * Each transition (virtual time, pid, from, to, cause) goes into a bounded
 * ring (config.trace_capacity; the oldest events are overwritten) and into a
 * running 64-bit FNV-1a hash over every event ever recorded.  Two runs with
 * the same inputs and seed give the same hash, byte for byte the same dump.
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
	X(REAP, "reap")           /* Zombie -> Defunct */

typedef enum mos_cause {
#define MOS__CAUSE_ENUM(name, str) MOS_CAUSE_##name,
	MOS_CAUSE_MAP(MOS__CAUSE_ENUM)
#undef MOS__CAUSE_ENUM
	MOS_CAUSE_COUNT
} mos_cause_t;

typedef struct mos_trace_event {
	mos_time_t time;
	mos_pid_t pid;
	uint8_t from; /* mos_proc_state_t */
	uint8_t to;   /* mos_proc_state_t */
	uint8_t cause; /* mos_cause_t */
} mos_trace_event_t;

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
 * Write the ring as stable text, one event a line:
 *   "     12.500000 ms  pid 7  Running -> Blocked  sleep"
 * Errors: MOS_EINVAL, MOS_EIO (write failed).
 */
MOS_API int mos_trace_dump(const mos_kernel_t *k, FILE *out);

/* Optional observer called for every event as it is recorded (NULL: none).
 * It must not call back into the kernel. */
typedef void (*mos_trace_fn)(void *ud, const mos_trace_event_t *ev);
MOS_API int mos_trace_set_observer(mos_kernel_t *k, mos_trace_fn fn, void *ud);

#endif
