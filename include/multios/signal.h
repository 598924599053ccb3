/*
 * multios/signal.h - POSIX signals, as signal(7) describes them on Linux.
 *
 * Linux x86-64 numbering.  Each process has, per signal, an action
 * (mos_sig_action_t: the MultiOS documentation's Default, Ignore, Catch,
 * Stop, Terminate), a mask of blocked signals and a set of pending ones.
 * Standard signals do not queue: a second instance of a pending signal
 * merges with it; several pending are delivered lowest number first.
 *
 * When a signal takes effect:
 *   - SIGKILL, and any signal whose action is to terminate, ends the
 *     process at the instant it is sent (unless blocked: then when it is
 *     unblocked), in whatever state it is;
 *   - a stop signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU by default, or any
 *     signal whose action is Stop) makes the process Suspended at that
 *     instant; SIGCONT resumes it, even when SIGCONT is ignored or blocked;
 *   - a caught signal runs its handler on the process's own coroutine, the
 *     next time the process runs code: at once if it is running (a compute
 *     burst is cut, the handler runs, the burst goes on), at its next
 *     dispatch if it is Ready, and a process Blocked in an interruptible
 *     wait (sleep, wait, pause) is woken: its call returns MOS_EINTR after
 *     the handler ran.  During a handler the signal and the handler's mask
 *     are blocked; the mask in force before is restored when it returns.
 *     A handler may make any system call, including ones that block.
 *     Handlers nest at most 32 deep (a handler interrupted by another,
 *     and so on): one more is taken for a stack overflow, and the
 *     process dies of SIGSEGV (with "core").
 *   - an ignored signal is dropped when sent (when unblocked, if blocked).
 * SIGKILL and SIGSTOP cannot be caught, ignored or blocked.  The pid 1
 * (init) drops every signal.
 */
#ifndef MULTIOS_SIGNAL_H
#define MULTIOS_SIGNAL_H

#include <stdint.h>

#include "process.h"
#include "types.h"

/* X(NAME, number, default action) for every standard signal. */
#define MOS_SIGNAL_MAP(X)                                                  \
	X(HUP, 1, TERM)   X(INT, 2, TERM)    X(QUIT, 3, CORE)              \
	X(ILL, 4, CORE)   X(TRAP, 5, CORE)   X(ABRT, 6, CORE)              \
	X(BUS, 7, CORE)   X(FPE, 8, CORE)    X(KILL, 9, TERM)              \
	X(USR1, 10, TERM) X(SEGV, 11, CORE)  X(USR2, 12, TERM)             \
	X(PIPE, 13, TERM) X(ALRM, 14, TERM)  X(TERM, 15, TERM)             \
	X(STKFLT, 16, TERM) X(CHLD, 17, IGN) X(CONT, 18, CONT)             \
	X(STOP, 19, STOP) X(TSTP, 20, STOP)  X(TTIN, 21, STOP)             \
	X(TTOU, 22, STOP) X(URG, 23, IGN)    X(XCPU, 24, CORE)             \
	X(XFSZ, 25, CORE) X(VTALRM, 26, TERM) X(PROF, 27, TERM)            \
	X(WINCH, 28, IGN) X(IO, 29, TERM)    X(PWR, 30, TERM)              \
	X(SYS, 31, CORE)

/* Signals are 1 .. MOS_NSIG - 1.  MOS_SIGKILL, MOS_SIGSEGV and
 * MOS_SIGTERM are defined in process.h (termination used them first). */
#define MOS_NSIG 32
#define MOS_SIGHUP 1
#define MOS_SIGINT 2
#define MOS_SIGQUIT 3
#define MOS_SIGILL 4
#define MOS_SIGTRAP 5
#define MOS_SIGABRT 6
#define MOS_SIGBUS 7
#define MOS_SIGFPE 8
#define MOS_SIGUSR1 10
#define MOS_SIGUSR2 12
#define MOS_SIGPIPE 13
#define MOS_SIGALRM 14
#define MOS_SIGSTKFLT 16
#define MOS_SIGCHLD 17
#define MOS_SIGCONT 18
#define MOS_SIGSTOP 19
#define MOS_SIGTSTP 20
#define MOS_SIGTTIN 21
#define MOS_SIGTTOU 22
#define MOS_SIGURG 23
#define MOS_SIGXCPU 24
#define MOS_SIGXFSZ 25
#define MOS_SIGVTALRM 26
#define MOS_SIGPROF 27
#define MOS_SIGWINCH 28
#define MOS_SIGIO 29
#define MOS_SIGPWR 30
#define MOS_SIGSYS 31

/* A set of signals: bit sig (1 << sig). */
typedef uint32_t mos_sigset_t;
#define MOS_SIGBIT(sig) ((mos_sigset_t)1 << (sig))

/* What POSIX says a signal does when its action is Default. */
typedef enum mos_sig_default {
	MOS_SIGDFL_TERM, /* terminate */
	MOS_SIGDFL_CORE, /* terminate, "core dumped" (0x80 in the status) */
	MOS_SIGDFL_STOP, /* stop (Suspended) */
	MOS_SIGDFL_CONT, /* continue if stopped */
	MOS_SIGDFL_IGN   /* ignore */
} mos_sig_default_t;

/* A process's action for a signal: the MultiOS documentation's five. */
typedef enum mos_sig_action {
	MOS_SIG_DEFAULT,   /* what mos_signal_default says */
	MOS_SIG_IGNORE,
	MOS_SIG_CATCH,     /* run the handler */
	MOS_SIG_STOP,      /* stop the process, whatever the signal */
	MOS_SIG_TERMINATE, /* terminate it, whatever the signal */
	MOS_SIG_ACTION_COUNT
} mos_sig_action_t;

/* A handler runs on the process's coroutine: self is the process. */
typedef void (*mos_sig_handler_t)(mos_proc_t *self, int sig);

/* Flags of mos_sys_sigaction. */
enum {
	MOS_SA_NODEFER = 1,   /* do not block the signal during its handler */
	MOS_SA_RESETHAND = 2  /* back to Default once the handler starts */
};

typedef struct mos_sigaction {
	mos_sig_action_t action;
	mos_sig_handler_t handler; /* MOS_SIG_CATCH only */
	mos_sigset_t mask;         /* also blocked while the handler runs */
	unsigned flags;            /* MOS_SA_... */
} mos_sigaction_t;

/* How mos_sys_sigprocmask changes the mask. */
enum { MOS_SIG_BLOCK, MOS_SIG_UNBLOCK, MOS_SIG_SETMASK };

/*
 * In the trace, a signal is a MOS_TRACE_SIGNAL event: subject the target
 * pid, cause the signal, a the sender's pid (0: the host or the kernel),
 * b what became of it.  A send records one event; a signal that waited
 * (blocked, or caught and not yet run) records another when it takes
 * effect, with a 0: who sent it is not kept.
 */
typedef enum mos_sig_outcome {
	MOS_SIGEV_PENDING,    /* sent: waits, blocked or for its handler */
	MOS_SIGEV_MERGED,     /* sent while already pending: merged */
	MOS_SIGEV_CAUGHT,     /* its handler starts */
	MOS_SIGEV_IGNORED,
	MOS_SIGEV_TERMINATED,
	MOS_SIGEV_STOPPED,
	MOS_SIGEV_CONTINUED,
	MOS_SIGEV_DROPPED,    /* init's, or sent to a dead process */
	MOS_SIGEV_COUNT
} mos_sig_outcome_t;

/* "pending", "caught", ...; "?" when out of range. */
MOS_API const char *mos_sig_outcome_name(mos_sig_outcome_t o);

/* "SIGTERM" for 15; NULL for a number that is no signal. */
MOS_API const char *mos_signal_name(int sig);

/* Parse "TERM", "SIGTERM", "sigterm" or "15" into *sig.
 * Errors: MOS_EINVAL (NULL, or no such signal). */
MOS_API int mos_signal_parse(const char *s, int *sig);

/* The POSIX default action of sig.  Errors: MOS_EINVAL (no such signal). */
MOS_API int mos_signal_default(int sig, mos_sig_default_t *out);

/*
 * Set the action of sig for the calling process; *old (may be NULL)
 * receives the previous one.  handler is required for MOS_SIG_CATCH and
 * must be NULL otherwise.  Setting Ignore (or Default for a signal whose
 * default is to ignore) drops sig if it is pending, as POSIX requires.
 * Errors: MOS_EINVAL (no such signal, an unknown action or flag, a
 * handler missing or given when it should not be, SIGKILL or SIGSTOP
 * with any action but Default), MOS_ENOMEM (the first Catch, Stop or
 * Terminate action of a process needs its table).
 */
MOS_API int mos_sys_sigaction(mos_proc_t *self, int sig,
			      mos_sig_action_t action,
			      mos_sig_handler_t handler, mos_sigset_t mask,
			      unsigned flags, mos_sigaction_t *old);

/*
 * Change the caller's mask of blocked signals (how: MOS_SIG_BLOCK,
 * MOS_SIG_UNBLOCK, MOS_SIG_SETMASK); *old (may be NULL) receives the
 * previous mask.  SIGKILL and SIGSTOP are silently left unblocked, as
 * POSIX says.  Signals unblocked and pending take effect before the call
 * returns.  Errors: MOS_EINVAL (unknown how, bits outside 1..31).
 */
MOS_API int mos_sys_sigprocmask(mos_proc_t *self, int how, mos_sigset_t set,
				mos_sigset_t *old);

/* The caller's pending signals (blocked ones, as nothing else stays
 * pending).  Errors: MOS_EINVAL. */
MOS_API int mos_sys_sigpending(mos_proc_t *self, mos_sigset_t *set);

/* Block until a caught signal's handler has run; returns MOS_EINTR, as
 * POSIX pause() does. */
MOS_API int mos_sys_pause(mos_proc_t *self);

/*
 * Send SIGALRM to the caller d virtual ns from now (0: cancel any); as
 * alarm() does, *left (may be NULL) receives what was left of the
 * previous alarm, 0 if none.  The alarm fires in the signal band of its
 * instant (after admissions and wake-ups).
 * Errors: MOS_ERANGE (now + d would reach MOS_TIME_NEVER), MOS_ENOMEM
 * (the first alarm of a process needs a timer); nothing changes then.
 */
MOS_API int mos_sys_alarm(mos_proc_t *self, mos_time_t d, mos_time_t *left);

/*
 * Sleep d ns; when a caught signal ends it early, returns MOS_EINTR and
 * *left (may be NULL) receives the time that was left, else 0 with
 * *left = 0.  Errors: MOS_ERANGE.
 */
MOS_API int mos_sys_nanosleep(mos_proc_t *self, mos_time_t d,
			      mos_time_t *left);

/*
 * Send sig to the processes pid names, as kill(2): pid > 0 that process,
 * 0 every process of the caller's group, -1 every process but init and
 * the caller, < -1 every process of group -pid; the caller, if named, is
 * signalled last.  sig 0 sends nothing: it only checks that pid names
 * someone.  Zombies count as live, as for kill(2), and drop what they
 * get.  A signal that acts on the caller acts before the call returns.
 * Permission (multios/cred.h): the caller's uid 0 or KILL capability, or
 * its real or effective uid equal to the target's real or saved uid, or
 * SIGCONT within its session; a process outside the caller's isolation
 * domain does not exist for it.  Each refusal is counted
 * (permission_denials) and audited in the trace.
 * Errors: MOS_EINVAL (no such signal, pid INT32_MIN),
 * MOS_EPROCNOTFOUND (pid names no process the caller can see), MOS_EPERM
 * (it may signal none of those pid names).
 */
MOS_API int mos_sys_kill(mos_proc_t *self, mos_pid_t pid, int sig);

/* The MultiOS documentation's syscall::send_signal: mos_sys_kill. */
MOS_API int mos_sys_send_signal(mos_proc_t *self, mos_pid_t pid, int sig);

/*
 * The host sends sig to pid (ProcessManager::send_signal), as uid 0:
 * pid > 0, -1 or < -1 as for mos_sys_kill (the host is in no group, so 0
 * names nothing).
 * Errors: MOS_EINVAL (NULL k, no such signal, from inside a program or a
 * synchronous event subscriber), MOS_EINVALPID (0), MOS_EPROCNOTFOUND.
 */
MOS_API int mos_process_send_signal(mos_kernel_t *k, mos_pid_t pid, int sig);

#endif
