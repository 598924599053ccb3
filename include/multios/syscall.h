/*
 * multios/syscall.h - system calls for simulated programs.
 *
 * Only code running inside a simulated process (a program's main, on its
 * coroutine) may call these; `self` is the handle its main received.  Calls
 * that give up the CPU (compute, sleep, yield, exit, a blocking wait) return
 * to the kernel, which resumes the caller when the call completes.  The
 * others complete at once and cost no virtual time.
 */
#ifndef MULTIOS_SYSCALL_H
#define MULTIOS_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>

#include "process.h"
#include "types.h"

/* Options for mos_sys_waitpid. */
enum { MOS_WNOHANG = 1 };

/*
 * Burn d nanoseconds of CPU time.  The kernel may preempt the caller in the
 * middle; the rest of the burst runs when it is scheduled again.  Returns 0,
 * or MOS_ERANGE (nothing happens) when now + d would reach MOS_TIME_NEVER.
 */
MOS_API int mos_sys_compute(mos_proc_t *self, mos_time_t d);

/* Block for d nanoseconds (0 still gives way to the timers due now);
 * MOS_TIME_NEVER blocks until the process is killed.  Returns 0, or
 * MOS_ERANGE (nothing happens) when now + d would reach MOS_TIME_NEVER. */
MOS_API int mos_sys_sleep(mos_proc_t *self, mos_time_t d);

/* Give the CPU to the next Ready process of the same or higher rank. */
MOS_API int mos_sys_yield(mos_proc_t *self);

/* End the calling process with exit code (status & 0xff).  Never returns. */
MOS_API _Noreturn void mos_sys_exit(mos_proc_t *self, int status);

/*
 * Start a child running command (NULL-terminated), inheriting the caller's
 * priority (without a permission check, as fork copies a real-time
 * policy), class, working directory, environment, credentials and
 * isolation domain (multios/cred.h).  Its scheduling
 * attributes (rank or nice, tickets, period, deadline, burst: sched_attr)
 * are not inherited: they start at 0, the policy's default, so under a
 * policy that reads them the child may be more urgent than its parent,
 * and then it runs at once (a spawn is a preemption point).  *pid
 * receives its pid.
 * Errors: as mos_process_create.
 */
MOS_API int mos_sys_spawn(mos_proc_t *self, const char *const *command,
			  mos_pid_t *pid);

/*
 * Wait for a child to die and reap it.  pid > 0 waits for that child, -1 for
 * any.  *status (may be NULL) receives the wait status.  Returns the reaped
 * pid, or 0 with MOS_WNOHANG when no child has died yet.
 * Errors: MOS_ECHILD (no such child, or no children at all), MOS_EINVAL.
 */
MOS_API int mos_sys_waitpid(mos_proc_t *self, mos_pid_t pid, int *status,
			    int options);
MOS_API int mos_sys_wait(mos_proc_t *self, int *status);

MOS_API mos_pid_t mos_sys_getpid(mos_proc_t *self);
MOS_API mos_pid_t mos_sys_getppid(mos_proc_t *self);
MOS_API mos_time_t mos_sys_now(mos_proc_t *self);

/* The state the program's prepare hook returned, or the spec's arg. */
MOS_API void *mos_sys_state(mos_proc_t *self);

/* Next value of the kernel's seeded PRNG (deterministic for a seed). */
MOS_API uint64_t mos_sys_random(mos_proc_t *self);

/*
 * Declare the length of the caller's next CPU burst (sched_attr.burst), for
 * policies that order by it (sjf, stcf).  It takes effect at the next
 * scheduling decision (it is not a preemption point).  Returns 0.
 */
MOS_API int mos_sys_sched_hint(mos_proc_t *self, mos_time_t next_burst);

/*
 * The MultiOS System Call Interface.  create_process makes a child of the
 * caller running command at the given priority, with the caller's
 * credentials; a priority above the caller's own, or RealTime or
 * Critical at all, needs NICE (multios/cred.h; else MOS_EPERM, audited).
 * terminate_process kills pid (SIGTERM semantics; MOS_EPERM for init, or
 * when the caller may not signal pid (audited); MOS_EPROCNOTFOUND when
 * pid is outside the caller's isolation domain; the caller itself
 * exits).  get_process_info is mos_process_get_info for the processes
 * the caller can see (else MOS_EPROCNOTFOUND).
 */
MOS_API int mos_sys_create_process(mos_proc_t *self, mos_priority_t priority,
				   const char *const *command, mos_pid_t *pid);
MOS_API int mos_sys_terminate_process(mos_proc_t *self, mos_pid_t pid);
/*
 * Leave a mark in the trace (kind MOS_TRACE_MARK, the label interned by
 * mos_trace_label), so an experiment can time its own phases: the dump
 * prints it, the Chrome export shows it as an instant on the process's
 * track.  Costs no virtual time.
 * Errors: as mos_trace_label (MOS_EINVAL, MOS_EEXHAUSTED, MOS_ENOMEM).
 */
MOS_API int mos_sys_trace_mark(mos_proc_t *self, const char *label);

MOS_API int mos_sys_get_process_info(mos_proc_t *self, mos_pid_t pid,
				     mos_process_info_t *info);

/*
 * mos_process_list for the processes the caller can see: those of its
 * own isolation domain and of the domains nested in it, or all of them
 * with ADMIN (multios/cred.h).  Errors: MOS_EINVAL.
 */
MOS_API int mos_sys_process_list(mos_proc_t *self, mos_pid_t *pids, size_t cap,
				 size_t *count);

/*
 * mos_process_set_priority with the caller's rights (multios/cred.h):
 * pid 0 is the caller.  Changing another user's process needs NICE,
 * raising a priority needs NICE, lowering never does.  A change that
 * makes another process more urgent than the caller, or the caller less
 * urgent than a Ready one, preempts the caller before it returns.
 * Errors: MOS_EINVALPRIO, MOS_EINVALPID (negative), MOS_EPROCNOTFOUND
 * (none, or outside the caller's domain), MOS_EINVALSTATE (dead),
 * MOS_EPERM (pid 1; or denied, audited).
 */
MOS_API int mos_sys_set_priority(mos_proc_t *self, mos_pid_t pid,
				 mos_priority_t prio);

#endif
