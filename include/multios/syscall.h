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
enum {
	MOS_WNOHANG = 1,    /* do not block */
	MOS_WUNTRACED = 2,  /* also report children stopped since */
	MOS_WCONTINUED = 8  /* also report children continued since */
};

/*
 * Burn d nanoseconds of CPU time.  The kernel may preempt the caller in the
 * middle; the rest of the burst runs when it is scheduled again.  Returns 0,
 * or MOS_ERANGE (nothing happens) when now + d would reach MOS_TIME_NEVER.
 */
MOS_API int mos_sys_compute(mos_proc_t *self, mos_time_t d);

/* Block for d nanoseconds (0 still gives way to the timers due now);
 * MOS_TIME_NEVER blocks until the process is killed.  Returns 0, or
 * MOS_ERANGE (nothing happens) when now + d would reach MOS_TIME_NEVER.
 * The sleep is interruptible: a kernel subsystem that cancels it from
 * outside (signals: MOS_EINTR) ends it early and it returns that code. */
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
 * Wait for a child to change state: die (it is reaped), or, with
 * MOS_WUNTRACED, stop, or, with MOS_WCONTINUED, continue — each stop or
 * continue is reported once.  pid > 0 waits for that child, -1 for any,
 * 0 for any in the caller's process group, < -1 for any in group -pid.
 * *status (may be NULL) receives the wait status (MOS_WIFEXITED,
 * MOS_WIFSIGNALED, MOS_WIFSTOPPED, MOS_WIFCONTINUED...).  Returns the
 * child's pid, or 0 with MOS_WNOHANG when none has changed yet.  A parent
 * whose action for SIGCHLD is Ignore has its children reaped as they die
 * (as on Linux): its waitpid returns MOS_ECHILD once they are gone.  A
 * caught signal ends the wait with MOS_EINTR.
 * Errors: MOS_ECHILD (no such child, or no children at all), MOS_EINVAL,
 * MOS_EINTR.
 */
MOS_API int mos_sys_waitpid(mos_proc_t *self, mos_pid_t pid, int *status,
			    int options);
MOS_API int mos_sys_wait(mos_proc_t *self, int *status);

MOS_API mos_pid_t mos_sys_getpid(mos_proc_t *self);
MOS_API mos_pid_t mos_sys_getppid(mos_proc_t *self);

/*
 * Process groups and sessions, as POSIX.  A process created by the host
 * (a child of init) starts a session and a group of its own (pgid = sid =
 * its pid: a daemon that called setsid); a process spawned by a program
 * joins its parent's group and session.
 *
 * setpgid puts process pid (0: the caller), the caller or one of its
 * children, into group pgid (0: pid's own number), which must be pid's
 * own or an existing group of the caller's session.  Errors: MOS_EINVAL
 * (a negative pid or pgid), MOS_EPROCNOTFOUND (pid is neither the caller
 * nor its child), MOS_EPERM (pid is a session leader, or in another
 * session, or the group is in another session or does not exist).
 * getpgid and getsid return pid's (0: the caller's) group or session, or
 * MOS_EPROCNOTFOUND.  setsid makes the caller the leader of a new session
 * and group and returns its id; MOS_EPERM when it leads a group already.
 */
MOS_API int mos_sys_setpgid(mos_proc_t *self, mos_pid_t pid, mos_pid_t pgid);
MOS_API mos_pid_t mos_sys_getpgid(mos_proc_t *self, mos_pid_t pid);
MOS_API mos_pid_t mos_sys_getsid(mos_proc_t *self, mos_pid_t pid);
MOS_API mos_pid_t mos_sys_setsid(mos_proc_t *self);
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
MOS_API int mos_sys_get_process_info(mos_proc_t *self, mos_pid_t pid,
				     mos_process_info_t *info);

/*
 * Leave a mark in the trace (kind MOS_TRACE_MARK, the label interned by
 * mos_trace_label), so an experiment can time its own phases: the dump
 * prints it, the Chrome export shows it as an instant on the process's
 * track.  Costs no virtual time.
 * Errors: as mos_trace_label (MOS_EINVAL, MOS_EEXHAUSTED, MOS_ENOMEM).
 */
MOS_API int mos_sys_trace_mark(mos_proc_t *self, const char *label);

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
