/*
 * multios/process.h - the process manager: create, control, inspect.
 *
 * A process runs a program (command[0] names it, see program.h) on its own
 * coroutine.  Its life, with the MultiOS documentation's eight states:
 *
 *   New -> Ready <-> Running -> Terminated -> Zombie -> Defunct
 *            ^          |
 *            +- Blocked +   (waiting for time, a child, an event)
 *   Ready/Running/Blocked -> Suspended -> Ready/Blocked
 *                          (mos_process_suspend / mos_process_resume)
 *
 * Terminated is the instant of death (resources are released); Zombie holds
 * the exit status until the parent reaps it with wait; Defunct means reaped:
 * the control block leaves the process table but stays queryable in a bounded
 * history (config.history_size) so statistics of finished processes survive.
 * Orphans are re-parented to init (pid 1), which reaps them at once.
 *
 * These functions are for the host program driving the kernel (between or
 * around mos_kernel_run calls, or from a callback on the realtime clock's
 * loop during one: the control functions then act at the virtual time of
 * the wall clock, multios/uv.h).  Simulated programs use syscall.h instead.
 * Every function validates its arguments; a failed call changes nothing.
 * Called from inside a simulated program (on its coroutine), the control
 * functions below (create, terminate, suspend, resume) refuse with
 * MOS_EINVAL: a program uses the system calls instead.
 */
#ifndef MULTIOS_PROCESS_H
#define MULTIOS_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cred.h"
#include "types.h"

typedef enum mos_proc_state {
	MOS_STATE_NEW,
	MOS_STATE_READY,
	MOS_STATE_RUNNING,
	MOS_STATE_BLOCKED,
	MOS_STATE_SUSPENDED,
	MOS_STATE_TERMINATED,
	MOS_STATE_ZOMBIE,
	MOS_STATE_DEFUNCT,
	MOS_STATE_COUNT
} mos_proc_state_t;

/* Ordered: a larger value is more urgent. */
typedef enum mos_priority {
	MOS_PRIO_IDLE,
	MOS_PRIO_LOW,
	MOS_PRIO_NORMAL,
	MOS_PRIO_HIGH,
	MOS_PRIO_REALTIME,
	MOS_PRIO_CRITICAL,
	MOS_PRIO_COUNT
} mos_priority_t;

typedef enum mos_prio_class {
	MOS_CLASS_SYSTEM,
	MOS_CLASS_USER,
	MOS_CLASS_SERVICE,
	MOS_CLASS_BACKGROUND,
	MOS_CLASS_INTERACTIVE,
	MOS_CLASS_COUNT
} mos_prio_class_t;

/* Process flags (ProcessFlags). */
enum {
	MOS_PROC_BACKGROUND = 1u << 0, /* detached job: no terminal, shown 'B' */
	MOS_PROC_SERVICE = 1u << 1,    /* instance of a service */
	MOS_PROC_SYSTEM = 1u << 2,     /* created by the kernel itself */
	MOS_PROC_NO_ACCOUNT = 1u << 3, /* exclude from process accounting */
	MOS_PROC_FLAGS_ALL = (1u << 4) - 1
};

/*
 * Per-process inputs to the scheduler policies (Linux's sched_attr).  Each
 * policy reads the fields it needs and ignores the rest.
 */
typedef struct mos_sched_attr {
	int32_t rank;        /* priority number, smaller is more urgent
				(priority); nice value -20..19 (cfs); 0 */
	uint32_t tickets;    /* lottery and stride share; 0 means 100 */
	mos_time_t period;   /* rm: release period (shorter = more urgent) */
	mos_time_t deadline; /* edf: relative deadline from admission */
	mos_time_t burst;    /* sjf/stcf: length of the next CPU burst, as
				declared (mos_sys_sched_hint updates it) */
} mos_sched_attr_t;

/* What a process is created from.  Start from mos_process_spec_init(). */
typedef struct mos_process_spec {
	mos_pid_t parent;           /* 0: no parent given (child of init) */
	mos_priority_t priority;    /* MOS_PRIO_NORMAL */
	mos_prio_class_t prio_class;/* MOS_CLASS_USER */
	uint32_t flags;             /* MOS_PROC_* */
	const char *const *command; /* NULL-terminated; command[0] = program */
	const char *working_directory; /* NULL: "/" */
	const char *const *environment; /* NULL or NULL-terminated "KEY=VALUE",
					   keys unique */
	void *arg;                  /* passed to C programs, borrowed */
	mos_sched_attr_t sched;     /* all 0 */
	mos_time_t start_time;      /* admit (New -> Ready) at this virtual
				       time; 0 or past: at once */
	/* Credentials and isolation (multios/cred.h), each inherited from
	 * the parent unless given; the host may give any. */
	mos_uid_t uid;              /* MOS_UID_INHERIT; else real, effective
				       and saved uid */
	mos_gid_t gid;              /* MOS_GID_INHERIT; likewise */
	int ngroups;                /* MOS_GROUPS_INHERIT; else 0 to
				       MOS_NGROUPS_MAX of groups */
	const mos_gid_t *groups;    /* NULL; copied */
	uint32_t caps;              /* MOS_CAPS_INHERIT; else MOS_CAP_* */
	mos_isolation_t isolation;  /* MOS_ISO_INHERIT; Namespace or above
				       starts a domain */
} mos_process_spec_t;

/*
 * What the scheduler policy holds about a process (Linux's /proc/PID/sched
 * in spirit), read-only: a fact of the policy, not an input.  Fields a
 * policy does not use are 0.
 *   level  mlfq: its queue, 0 the top (OSTEP numbers it queues-1-level);
 *          lottery: its ticket class;
 *   allot  mlfq: quanta left at this level before it drops one;
 *   slice  CPU left in its current time slice (rr, mlfq, lottery, stride,
 *          multios...), as of the kernel's last accounting: exact between
 *          runs (mos_kernel_run charges the running process up to the
 *          instant it stops at); 0 when the policy gives none.
 */
typedef struct mos_sched_state {
	uint32_t level;
	uint32_t allot;
	mos_time_t slice;
} mos_sched_state_t;

/* Times and counters of one process; all times virtual nanoseconds. */
typedef struct mos_process_times {
	mos_time_t created;     /* when it entered New */
	mos_time_t admitted;    /* when it first became Ready */
	mos_time_t first_run;   /* first dispatch; MOS_TIME_NEVER if never */
	mos_time_t finished;    /* when it terminated; MOS_TIME_NEVER if alive */
	mos_time_t reaped;      /* when it became Defunct; MOS_TIME_NEVER */
	mos_time_t cpu_user;    /* CPU time burnt by compute */
	mos_time_t cpu_system;  /* CPU time charged to the kernel for it */
	mos_time_t ready_wait;  /* total time spent Ready */
	mos_time_t blocked;     /* total time spent Blocked */
	uint64_t dispatches;    /* times it was given the CPU */
	uint64_t voluntary_switches;   /* gave the CPU up (sleep, wait, yield) */
	uint64_t involuntary_switches; /* preempted */
	uint64_t syscalls;
} mos_process_times_t;

/* Signal counters of one process (multios/signal.h). */
typedef struct mos_signal_stats {
	uint64_t sent;              /* signals it sent (kill, send_signal) */
	uint64_t received;          /* signals sent to it, init's included */
	uint64_t delivered;         /* took effect: caught, ignored,
				       terminated, stopped or continued it */
	uint64_t caught;            /* ran a handler */
	uint64_t ignored;           /* dropped: ignored, or init's */
	uint64_t blocked_delivered; /* delivered after waiting blocked */
} mos_signal_stats_t;

/*
 * A snapshot of a process control block.  The string pointers are borrowed
 * from the kernel: valid until the process leaves the history or the kernel
 * is destroyed; do not free them.
 */
typedef struct mos_process_info {
	mos_pid_t pid;
	mos_pid_t parent;           /* init (1) for orphans; 0 for init */
	mos_proc_state_t state;
	mos_priority_t priority;
	mos_prio_class_t prio_class;
	uint32_t flags;
	/* Credentials and isolation (multios/cred.h). */
	mos_uid_t uid, euid, suid;  /* real, effective, saved */
	mos_gid_t gid, egid, sgid;
	int ngroups;
	mos_gid_t groups[MOS_NGROUPS_MAX];
	uint32_t caps;
	mos_isolation_t isolation;
	uint32_t domain;            /* its isolation domain: 0 is the
				       machine's, others count from 1 in
				       order of creation */
	int exit_status;            /* wait status (MOS_WIFEXITED...) once dead */
	int argc;
	const char *const *command;
	const char *working_directory;
	int envc;
	const char *const *environment; /* "KEY=VALUE" */
	mos_sched_attr_t sched;
	mos_sched_state_t sched_state; /* the policy's view (see its type) */
	mos_process_times_t times;
	mos_pid_t pgid;             /* process group */
	mos_pid_t sid;              /* session */
	uint32_t sig_pending;       /* mos_sigset_t: sent, not delivered */
	uint32_t sig_blocked;       /* mos_sigset_t: its mask */
	mos_signal_stats_t signals;
} mos_process_info_t;

/* Wait status encoding, as POSIX: exit code in bits 8..15, signal in 0..6. */
#define MOS_WIFEXITED(s) (((s) & 0x7f) == 0)
#define MOS_WEXITSTATUS(s) (((s) >> 8) & 0xff)
/* Killed by a signal: neither exited (0) nor stopped (0x7f). */
#define MOS_WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define MOS_WTERMSIG(s) ((s) & 0x7f)
#define MOS_WCOREDUMP(s) (((s) & 0x80) != 0)
/* Stopped (waitpid with MOS_WUNTRACED): 0x7f, the signal in 8..15. */
#define MOS_WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define MOS_WSTOPSIG(s) (((s) >> 8) & 0xff)
/* Continued (waitpid with MOS_WCONTINUED). */
#define MOS_WIFCONTINUED(s) ((s) == 0xffff)
#define MOS_W_EXITCODE(code, sig) ((((code) & 0xff) << 8) | ((sig) & 0x7f))
#define MOS_W_STOPCODE(sig) ((((sig) & 0xff) << 8) | 0x7f)
#define MOS_W_CONTINUED 0xffff
#define MOS_W_COREFLAG 0x80

/* The signals termination uses; all the others are in signal.h. */
#define MOS_SIGKILL 9
#define MOS_SIGSEGV 11
#define MOS_SIGTERM 15

/* Fill *spec with the defaults noted in mos_process_spec_t: the
 * credentials and isolation inherited from the parent (init's, root with
 * every capability, when no parent is given). */
MOS_API void mos_process_spec_init(mos_process_spec_t *spec);

/*
 * Create a process and make it Ready, or, with a future spec.start_time,
 * leave it New until then (admission).  *pid receives its pid.
 * Errors: MOS_EINVAL (NULL or empty command, bad class or flags, malformed
 * environment), MOS_EINVALPRIO, MOS_EINVALPID (negative parent),
 * MOS_EPROCNOTFOUND (no such parent), MOS_EINVALSTATE (parent is dead),
 * MOS_ENOPROG (command[0] is not a registered program), MOS_ECONFIG (the
 * program rejected its arguments), MOS_EINVAL also for credentials out of
 * range (capability bits outside MOS_CAP_ALL, more than MOS_NGROUPS_MAX
 * groups or a group MOS_GID_INHERIT, an isolation level out of range, or
 * None or Process for a child of a Namespace-or-above parent: no process
 * leaves its parent's domain), MOS_ELIMIT (a domain nested deeper than
 * MOS_ISO_MAX_DEPTH), MOS_EEXHAUSTED (max_processes reached),
 * MOS_ERANGE (start_time is MOS_TIME_NEVER), MOS_ENOMEM; MOS_EINVAL also
 * from inside a program.
 */
MOS_API int mos_process_create(mos_kernel_t *k, const mos_process_spec_t *spec,
			       mos_pid_t *pid);

/*
 * Terminate a live process: it dies at once with wait status "killed by
 * SIGTERM", or by SIGKILL when force is set, and becomes a Zombie for its
 * parent.  (Until the signals subsystem exists both act immediately.)
 * Errors: MOS_EINVAL (k NULL, or from inside a program), MOS_EINVALPID,
 * MOS_EPROCNOTFOUND, MOS_EPERM (pid 1), MOS_EINVALSTATE (already dead).
 */
MOS_API int mos_process_terminate(mos_kernel_t *k, mos_pid_t pid, bool force);

/*
 * Suspend a Ready, Running or Blocked process, or resume a Suspended one.
 * A Running process is one the host stopped between two runs, perhaps in
 * the middle of a compute burst: suspending it counts an involuntary
 * switch, and it resumes Ready with the rest of its burst still to do.  A
 * Blocked one resumes Blocked and keeps its pending wake-up (if the wake-up
 * came while it was suspended it resumes Ready).  They are SIGSTOP and
 * SIGCONT sent by the host (multios/signal.h): traced as signals, and
 * reported to the parent (SIGCHLD, waitpid's MOS_WUNTRACED and
 * MOS_WCONTINUED) like any stop and continue.
 * Errors: MOS_EINVAL (k NULL, or from inside a program), MOS_EINVALPID,
 * MOS_EPROCNOTFOUND, MOS_EPERM (pid 1), MOS_EINVALSTATE.
 */
MOS_API int mos_process_suspend(mos_kernel_t *k, mos_pid_t pid);
MOS_API int mos_process_resume(mos_kernel_t *k, mos_pid_t pid);

/*
 * Change a process's priority (New, Ready, Running, Blocked or
 * Suspended).  The policy in force is told at once (its reprio hook):
 * under multios a Ready process moves to its new level, at the tail if
 * raised, at the head if lowered (as Linux moves a SCHED_FIFO thread,
 * sched(7)), and a process that is now more urgent than the running one
 * preempts it at this instant, as a running one now less urgent than a
 * Ready one is preempted.  The same priority changes nothing.  The host
 * needs no permission (mos_sys_set_priority checks it).
 * Errors: MOS_EINVAL (k NULL, or from inside a program), MOS_EINVALPRIO,
 * MOS_EINVALPID, MOS_EPROCNOTFOUND, MOS_EPERM (pid 1), MOS_EINVALSTATE
 * (dead).
 */
MOS_API int mos_process_set_priority(mos_kernel_t *k, mos_pid_t pid,
				     mos_priority_t prio);

/*
 * Snapshot of pid's control block, live or in the history (Defunct).
 * Errors: MOS_EINVAL, MOS_EINVALPID, MOS_EPROCNOTFOUND.
 */
MOS_API int mos_process_get_info(mos_kernel_t *k, mos_pid_t pid,
				 mos_process_info_t *info);

/*
 * Pids of the processes in the table (every state but Defunct), ascending.
 * Writes at most cap pids to pids (which may be NULL when cap is 0): the cap
 * smallest, also after pid numbers wrapped around.  *count receives the
 * total, so a caller can size a buffer with a first call.
 * Errors: MOS_EINVAL.
 */
MOS_API int mos_process_list(mos_kernel_t *k, mos_pid_t *pids, size_t cap,
			     size_t *count);

/*
 * Pids of the reaped (Defunct) processes still in the history, oldest
 * first; same buffer protocol as mos_process_list.  Errors: MOS_EINVAL.
 */
MOS_API int mos_process_history(mos_kernel_t *k, mos_pid_t *pids, size_t cap,
				size_t *count);

/* Names for printing: "Ready", "Normal", "Interactive".  Never NULL. */
MOS_API const char *mos_state_name(mos_proc_state_t s);
MOS_API const char *mos_priority_name(mos_priority_t p);
MOS_API const char *mos_class_name(mos_prio_class_t c);

/* Parse a name (case-insensitive: "realtime", "RealTime"); MOS_EINVAL. */
MOS_API int mos_priority_parse(const char *name, mos_priority_t *out);
MOS_API int mos_class_parse(const char *name, mos_prio_class_t *out);

#endif
