/*
 * multios/kernel.h - one simulated machine.
 *
 * A mos_kernel_t owns everything: the process table, the scheduler, the
 * timers, the trace.  There is no global state, so several kernels may live
 * in one host process (one per host thread at a time).  Nothing happens
 * between calls: time advances only inside mos_kernel_run/mos_kernel_step,
 * and only as fast as the simulated work demands (discrete events).  With
 * the realtime clock, the host's own libuv handles may run inside those
 * calls while the kernel waits (multios/uv.h).
 */
#ifndef MULTIOS_KERNEL_H
#define MULTIOS_KERNEL_H

#include <stdint.h>

#include "config.h"
#include "types.h"

#define MOS_VERSION_MAJOR 0
#define MOS_VERSION_MINOR 1
#define MOS_VERSION_PATCH 0
#define MOS_VERSION_STRING "0.1.0"

/* Counters over the kernel's whole life. */
typedef struct mos_kernel_stats {
	uint64_t processes_created;  /* init included */
	uint64_t processes_exited;   /* reached Terminated */
	uint64_t processes_reaped;   /* reached Defunct */
	uint64_t dispatches;         /* a process was given the CPU */
	uint64_t context_switches;   /* dispatches where the CPU passed from
					one process to a different one */
	uint64_t preemptions;        /* time slice expiry or a more urgent wake */
	uint64_t host_switches;      /* coroutine switches on the host */
	uint64_t syscalls;
	uint64_t timers_fired;
	uint64_t events_delivered;   /* kernel events given to subscribers */
	uint64_t events_dropped;     /* deferred events lost for lack of
					memory (multios/events.h) */
	uint64_t permission_denials; /* calls refused with MOS_EPERM by a
					credential check (multios/cred.h) */
	mos_time_t busy;             /* virtual time the CPU computed */
	mos_time_t idle;             /* virtual time the CPU did not compute
					(includes switching) */
	mos_time_t switching;        /* of which spent on context switches */
	uint32_t live_processes;     /* in the table now (not Defunct) */
	uint32_t runnable_processes; /* of them, Ready or Running now */

	/* Resources (multios/resource.h). */
	uint64_t limit_violations;   /* every limit that bit, each time */
	uint64_t memory_used;        /* bytes allocated or declared, now */
	uint64_t memory_peak;
	uint64_t io_requests;        /* device requests completed */
	uint32_t device_queue;       /* requests waiting or in service now */
	double device_utilisation;   /* share of the monitor window with a
					request in service, 0 .. 1 */
	uint64_t throttle_events;    /* a group was throttled by cpu.max */
	uint64_t signals_sent;       /* generated for a process */
	uint64_t signals_delivered;  /* acted on (caught, default, stop...) */
	/* Rates per second of virtual time over the last monitor_window,
	 * stepped (multios/resource.h, "monitoring"; 0 when
	 * enable_resource_monitoring is off, as device_utilisation). */
	double creation_rate;
	double termination_rate;
	double switch_rate;
} mos_kernel_stats_t;

/*
 * Create a kernel from *cfg (NULL: defaults), with pid 1 (init) in place.
 * err (may be NULL) receives the diagnostic of a failure: for
 * MOS_ECONFIG, the field and why, as mos_config_validate gives it.
 * Errors: MOS_EINVAL (k NULL), MOS_ECONFIG (cfg invalid, an unknown
 * scheduler policy, context or clock backend), MOS_ENOMEM.
 */
MOS_API int mos_kernel_create(const mos_config_t *cfg, mos_kernel_t **k,
			      mos_error_t *err);

/* Destroy the kernel and every process in it.  NULL is fine.  Never from
 * code the kernel is running (a program, a kernel-event subscriber, a
 * callback on the realtime clock's loop during a run): the kernel would
 * be freed under its own caller. */
MOS_API void mos_kernel_destroy(mos_kernel_t *k);

/*
 * Run until virtual time `until` (MOS_TIME_NEVER: until nothing is left to
 * do, i.e. no runnable process and no armed timer but background ones).  When it returns because
 * of `until`, now == until.  Blocked processes with no timer do not keep the
 * run going.
 * Errors: MOS_EINVAL (k NULL, or called from inside a simulated program),
 * MOS_ERANGE (the next event would lie at or past MOS_TIME_NEVER, e.g. CPU
 * bursts that add up past 2^64-1 ns: time stops at the last event before
 * it, and every later run or step fails the same way).
 */
MOS_API int mos_kernel_run(mos_kernel_t *k, mos_time_t until);

/*
 * Do one scheduling event: fire the timers due now, or run the current
 * process up to its next event (syscall, slice end, timer), or advance the
 * clock to the next timer.  *progressed (may be NULL) is set to 0 when there
 * was nothing at all to do.  Errors: as mos_kernel_run.
 */
MOS_API int mos_kernel_step(mos_kernel_t *k, int *progressed);

/* Current virtual time in nanoseconds.  From a callback during a realtime
 * wait: the time the wait began, until a call that changes the kernel
 * catches the clock up (multios/uv.h). */
MOS_API mos_time_t mos_kernel_now(const mos_kernel_t *k);

/*
 * When the kernel next has something to do, so that any host loop (a
 * test, a game loop, a libuv program) can drive it with mos_kernel_run(k,
 * until) or mos_kernel_step: the current time when a process is running
 * or ready, or something is due now; otherwise the earliest armed timer
 * or policy event (an mlfq boost, say).  A Ready process its group's
 * cpu.max holds (multios/resource.h) waits for its group's next period,
 * not for the CPU: with only such processes left, that period's start
 * is the next event.  MOS_TIME_NEVER when nothing can
 * happen any more: no process can run and no timer is armed (a policy
 * event alone does not count, as it does not keep a run going), or the
 * clock is out of range.  Returns MOS_TIME_NEVER for a NULL k.
 */
MOS_API mos_time_t mos_kernel_next_event(const mos_kernel_t *k);

/* The configuration the kernel runs with (a copy of what it was given). */
MOS_API const mos_config_t *mos_kernel_config(const mos_kernel_t *k);

/*
 * The context backend the kernel switches processes with, as it resolved
 * the configuration's context_backend: "asm" or "ucontext", never "auto"
 * (a benchmark or a report says which one ran).  The string is constant
 * and lives as long as the library.  Errors: NULL when k is NULL.
 */
MOS_API const char *mos_kernel_context_backend(const mos_kernel_t *k);

/* Copy the kernel's counters to *st.  Errors: MOS_EINVAL. */
MOS_API int mos_kernel_stats(const mos_kernel_t *k, mos_kernel_stats_t *st);

/* Library version, "0.1.0". */
MOS_API const char *mos_version(void);

#endif
