/*
 * src/kernel/seams.h - the kernel's seams: what a subsystem built on the
 * kernel (signals, resources, services, IPC, scenarios) plugs into,
 * without seeing the control block or the kernel object.
 *
 *   - General timers: any number per process and per kernel, ordered by
 *     (due, band, arming order), pooled, optionally background.
 *   - Wait channels: a process blocks on a kernel object, FIFO among the
 *     waiters of one channel, with an optional timeout, interruptible or
 *     not; a wait can be cancelled from outside with a result code.
 *   - Kernel events (multios/events.h): subsystems emit their own kinds.
 *   - The typed trace (multios/trace.h): subsystems record their own kinds.
 *   - Credentials: who may see and signal whom, and the audit of a
 *     denial.
 *
 * A subsystem's folder declares its use of this header in
 * tests/check_includes.sh.  Everything here runs on the host stack or on
 * the calling process's coroutine, as each function says, and none of it
 * allocates after the set-up calls that return MOS_ENOMEM, but
 * mos__kev_emit: its queue of deferred deliveries grows when it must, and
 * an event it cannot queue is dropped and counted (events_dropped).
 */
#ifndef MOS_KERNEL_SEAMS_H
#define MOS_KERNEL_SEAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "multios/config.h"
#include "multios/cred.h"
#include "multios/events.h"
#include "multios/kernel.h"
#include "multios/process.h"
#include "multios/sysno.h"
#include "multios/trace.h"
#include "multios/types.h"
#include "sim/hal/timer.h"
#include "util/list.h"

/* ---- timers ------------------------------------------------------------ */

/*
 * Timer bands: the order of the timers due at one instant, lower first
 * (then arming order).  The whole order of an instant is: deferred event
 * work, a pending preemption, policy events (not timers), then the timers
 * by band, then the CPU (docs/ARCHITECTURE.md).  Later subsystems take
 * the gaps: signal delivery after wake-ups, service timers (restart
 * back-off, health probes) after that, scenario actions last, samplers
 * among them.
 */
enum {
	MOS_BAND_ADMIT = 10,    /* a New process's start_time */
	MOS_BAND_WAKE = 20,     /* a sleep or wait ends */
	MOS_BAND_SIGNAL = 30,   /* reserved: signal delivery */
	MOS_BAND_SERVICE = 40,  /* reserved: service timers */
	MOS_BAND_ADMIN = 45,    /* the emergency stop's SIGKILL */
	MOS_BAND_SCENARIO = 50, /* reserved: scenario actions */
	MOS_BAND_LAST = 255
};

/*
 * General timers, each a mos_timer_t inside its owner.  init reserves the
 * timer's place in the heap (MOS_ENOMEM), so arming never allocates or
 * fails; fini cancels it and gives the place back.  A background timer
 * fires like the others but does not keep a run to MOS_TIME_NEVER going
 * (libuv's uv_unref): periodic probes and samplers.  fn runs on the host
 * stack, between steps, and may call the kernel and re-arm its timer.
 * Arming an armed timer moves it (a re-arm takes a new place in the
 * arming order); cancelling an idle one does nothing.  A foreground timer
 * armed at MOS_TIME_NEVER never fires: a run that has nothing earlier
 * left stops there with MOS_ERANGE (multios/kernel.h).
 */
int mos__ktimer_init(mos_kernel_t *k, mos_timer_t *t, mos_timer_fn fn,
		     void *arg, bool background);
void mos__ktimer_fini(mos_kernel_t *k, mos_timer_t *t);
void mos__ktimer_arm(mos_kernel_t *k, mos_timer_t *t, mos_time_t due,
		     uint8_t band);
void mos__ktimer_cancel(mos_kernel_t *k, mos_timer_t *t);

/* ---- wait channels ----------------------------------------------------- */

/*
 * Something processes block on: a child's exit, later a mailbox, a device
 * queue, a service's readiness.  It lives in its owner (no allocation);
 * its owner must wake or cancel every waiter before it goes away.
 */
typedef struct mos_wchan {
	mos_list_t waiters; /* FIFO, of the waiting processes */
} mos_wchan_t;

static inline void mos__wchan_init(mos_wchan_t *c) { mos_list_init(&c->waiters); }
static inline bool mos__wchan_empty(const mos_wchan_t *c)
{
	return mos_list_empty(&c->waiters);
}

/* A wait the kernel may end with mos__wait_cancel (a signal, say). */
#define MOS_WAIT_INTERRUPTIBLE 1u

/*
 * Block the calling process (on its own coroutine, inside a system call)
 * on c (NULL: on nothing but the timeout), for at most timeout ns
 * (MOS_TIME_NEVER: no timeout; a wait with neither a channel nor a
 * timeout arms no timer and keeps no run going), recording `cause` as
 * the trace cause of Running -> Blocked.  Returns when the wait ends:
 * 0 or the result a waker gave, MOS_ETIMEDOUT when the timeout ended it,
 * or the code of a cancellation.  MOS_ERANGE (nothing happens) when
 * now + timeout reaches MOS_TIME_NEVER.
 */
int mos__wait(mos_proc_t *self, mos_wchan_t *c, mos_time_t timeout,
	      unsigned flags, mos_cause_t cause);

/* Wake the longest waiter of c with `result`: false when c has none. */
bool mos__wchan_wake_one(mos_kernel_t *k, mos_wchan_t *c, int result);
/* Wake every waiter of c, in FIFO order; returns how many. */
uint32_t mos__wchan_wake_all(mos_kernel_t *k, mos_wchan_t *c, int result);

/*
 * End p's interruptible wait from outside: its blocking call returns
 * `code` (the signals issue uses MOS_EINTR).  A Suspended waiter keeps the
 * wake-up until it resumes, as with any wake-up.  Errors: MOS_EINVALSTATE
 * (p is not in a wait), MOS_EPERM (the wait is not interruptible).
 */
int mos__wait_cancel(mos_kernel_t *k, mos_proc_t *p, int code);

/* ---- processes, for the subsystems that act on them ----------------- */

/*
 * What a subsystem may know of a process and do to it (proc_access.c).
 * "Live" means in the process table: from New to Zombie.
 */
mos_kernel_t *mos__proc_kernel(const mos_proc_t *p);
mos_pid_t mos__proc_pid(const mos_proc_t *p);
mos_proc_state_t mos__proc_state(const mos_proc_t *p);
bool mos__proc_is_init(const mos_proc_t *p);
/* The live process pid, or NULL. */
mos_proc_t *mos__proc_find(mos_kernel_t *k, mos_pid_t pid);
/* The process whose coroutine runs now, or NULL on the host stack. */
mos_proc_t *mos__kernel_on_cpu(const mos_kernel_t *k);
const mos_allocator_t *mos__kernel_alloc(const mos_kernel_t *k);
/* A public host call that changes the kernel may go ahead: not from a
 * program nor a synchronous subscriber.  Once its arguments are checked
 * and it is about to act, it catches a realtime clock up (a host call
 * made from a libuv callback while the kernel waits: multios/uv.h). */
bool mos__host_call(mos_kernel_t *k);
void mos__host_clock_sync(mos_kernel_t *k);
mos_pid_t mos__proc_pgid(const mos_proc_t *p);
mos_pid_t mos__proc_sid(const mos_proc_t *p);
/* Walk the live processes: *cursor starts at 0; NULL at the end.  The
 * order is fixed by the pids alone (deterministic).  A process the
 * caller kills may be reaped and leave the walk; the walk goes on. */
mos_proc_t *mos__proc_next(mos_kernel_t *k, uint32_t *cursor);
/* Its signal state (src/signal/sigstate.h). */
struct mos_sighot *mos__proc_sighot(mos_proc_t *p);
struct mos_sigcold *mos__proc_sigcold(mos_proc_t *p);
/* Its resources and the kernel's (src/resource/res_int.h). */
struct mos_res_proc *mos__proc_res(mos_proc_t *p);
struct mos_res_kernel *mos__kernel_res(const mos_kernel_t *k);
/* A live process, or one reaped and still in the history (its last
 * values), or NULL. */
mos_proc_t *mos__proc_find_any(mos_kernel_t *k, mos_pid_t pid);
const mos_config_t *mos__kernel_config(const mos_kernel_t *k);
mos_kernel_stats_t *mos__kernel_stats(mos_kernel_t *k);
const mos_process_times_t *mos__proc_times(const mos_proc_t *p);
/* When p entered its present state (times' ready_wait and blocked count
 * only the stretches already ended). */
mos_time_t mos__proc_state_since(const mos_proc_t *p);
uint32_t mos__proc_flags(const mos_proc_t *p);
mos_uid_t mos__proc_ruid(const mos_proc_t *p);
/* Its effective ids: what a message it sends carries (src/ipc/). */
mos_uid_t mos__proc_euid(const mos_proc_t *p);
mos_gid_t mos__proc_egid(const mos_proc_t *p);
/* p is privileged for capability cap: effective uid 0, or cap in its
 * set (multios/cred.h).  NULL, the host, always is. */
bool mos__cred_capable(const mos_proc_t *p, uint32_t cap);

/*
 * Control.  kill ends p now with wait status `status` (cause: killed),
 * from the host stack or from another process's coroutine; a process
 * ending itself on its own coroutine uses exit_self, which does not
 * return.  stop makes a Ready, Running or Blocked p Suspended by signal
 * sig; cont brings a stopped p back (Ready, or Blocked if its wait has
 * not ended).  Both tell the parent (a waitpid report, SIGCHLD).
 * stop_self stops the calling process on its coroutine and returns once
 * it has been continued and runs again.
 */
void mos__proc_kill(mos_kernel_t *k, mos_proc_t *p, int status);
_Noreturn void mos__proc_exit_self(mos_proc_t *self, int status);
void mos__proc_stop(mos_kernel_t *k, mos_proc_t *p, int sig);
void mos__proc_cont(mos_kernel_t *k, mos_proc_t *p);
void mos__proc_stop_self(mos_proc_t *self, int sig);

/*
 * CPU for the resources (src/resource/cpu.c).
 *
 * The CPU alarm: while p is watched (mos__proc_cpu_watch), the kernel
 * asks mos__res_cpu_alarm_at (res_int.h) before each stretch of p's
 * CPU for the CPU time (user + system) at which the subsystem wants
 * control, cuts the burst exactly there (like a slice's end, even in
 * the middle of a compute), tells it every CPU ns charged to p
 * (mos__res_cpu_used), and calls mos__res_cpu_alarm on the host stack
 * when p's CPU time reaches that value.  An unwatched process costs one
 * flag test per charge, nothing on the yield path.
 *
 * The hold: a held process is not dispatched.  It keeps its state (a
 * Ready one stays Ready, out of the policy's run queue; a running one is
 * taken off the CPU at once, Running -> Ready with cause THROTTLE); one
 * that becomes Ready while held is queued only when unheld.  unhold
 * queues a Ready one again (as a resume).  Both from the host stack.
 *
 * reweight: p's share under a policy that weighs (cfs) is scaled by
 * scale / MOS_WEIGHT_SCALE (a group's cpu.weight); the policy's reweight
 * hook is told, whatever p's state.
 */
void mos__proc_cpu_watch(mos_proc_t *p, bool on);
void mos__proc_hold(mos_kernel_t *k, mos_proc_t *p);
void mos__proc_unhold(mos_kernel_t *k, mos_proc_t *p);
bool mos__proc_held(const mos_proc_t *p);
void mos__proc_reweight(mos_kernel_t *k, mos_proc_t *p, uint64_t scale);
/* Weight 1 (src/sched/sched.h defines it the same, token for token). */
#define MOS_WEIGHT_SCALE (1u << 20)

/* System calls of subsystems start with enter (it checks the call comes
 * from self's own coroutine, counts it, and returns the kernel); a call
 * that may have made a more urgent process Ready ends with a preemption
 * point, as the kernel's own calls do. */
mos_kernel_t *mos__sys_enter(mos_proc_t *self, mos_sysno_t nr);
void mos__sys_preemption_point(mos_proc_t *self);
/* The way out of a subsystem's call that may have made a signal pending
 * for the caller (a limit's SIGSEGV, say): it takes effect before the
 * call returns rc, as the kernel's own calls do. */
int mos__sys_leave(mos_proc_t *self, int rc);
/* Inside a subsystem's call: burn d ns of CPU as mos_sys_compute does
 * (user time, preemptible, a signal taken where it cuts the burst), with
 * no system call counted (a cost model: the IPC's encryption).
 * MOS_ERANGE (nothing burned) when now + d reaches MOS_TIME_NEVER. */
int mos__sys_burn(mos_proc_t *self, mos_time_t d);

/* ---- subsystems' kernel-wide state ------------------------------------ */
/*
 * A subsystem above the resources (services, IPC, admin) keeps its
 * kernel-wide state in a slot of the kernel, made on its first use so a
 * kernel that never uses it pays nothing.  set stores state and the
 * function that destroys it; the kernel calls it first thing in
 * mos_kernel_destroy, while every process and timer still exists, in
 * reverse slot order.  set on a taken slot replaces nothing: it is a
 * bug, and panics.
 */
typedef enum mos_subsys {
	MOS_SUBSYS_SERVICE,
	MOS_SUBSYS_IPC,
	MOS_SUBSYS_ADMIN,
	MOS_SUBSYS_COUNT
} mos_subsys_t;
void *mos__kernel_subsys(const mos_kernel_t *k, mos_subsys_t id);
void mos__kernel_subsys_set(mos_kernel_t *k, mos_subsys_t id, void *state,
			    void (*fini)(mos_kernel_t *k, void *state));

/*
 * Per-process state of a subsystem: one pointer per slot in each control
 * block, NULL when the process is created (a reused block starts NULL
 * too).  The kernel never reads or frees what it points to: the
 * subsystem frees it in its exit hook (below) or, for the processes
 * still live when the kernel goes, in its slot's fini (walking them with
 * mos__proc_next), and sets the pointer back to NULL.
 *
 * The exit hook of slot id (hooks: set once, NULL: none) is called when
 * any process dies, synchronously inside the death, for each slot that
 * set one, in slot order, after the signals and resources have let go
 * of the process (its wait is already abandoned) and before it turns
 * Terminated.  It runs on the host stack or on a coroutine: the killer's,
 * or the dying process's own when it exits; so it must not block: it
 * may only wake waiters, record and arm timers.  state is the kernel
 * slot's state (mos__kernel_subsys).  Deaths cost the hooks; nothing else
 * does (no hook is on the yield or switch path).
 */
void **mos__proc_subsys(mos_proc_t *p, mos_subsys_t id);
void mos__kernel_subsys_hooks(mos_kernel_t *k, mos_subsys_t id,
			      void (*on_exit)(mos_kernel_t *k, mos_proc_t *p,
					      void *state));
/* Whether a program named name is registered (multios/program.h). */
bool mos__kernel_has_program(const mos_kernel_t *k, const char *name);

/* ---- kernel events and the typed trace ------------------------------ */

/*
 * Deliver ev (its time is set to now) to the subscribers that want it;
 * p (may be NULL) is the process it concerns, for the filters.  Host
 * stack or the running process's coroutine.
 */
void mos__kev_emit(mos_kernel_t *k, mos_kevent_t *ev, const mos_proc_t *p);

/* Record an event of `kind` at the current virtual time. */
void mos__trace_emit(mos_kernel_t *k, mos_trace_kind_t kind, int32_t subject,
		     uint8_t cause, uint64_t a, uint64_t b);

/* ---- credentials and isolation (cred.c, multios/cred.h) ------------- */

/*
 * The permission rules, for the subsystems that act on processes (the
 * signals' kill paths, later services).  An actor NULL is the host: uid 0
 * with every capability, seeing every domain.  Both are pure: a caller
 * that refuses because of them returns what mos__cred_deny returns.
 *
 * may_see: target is in actor's isolation domain or in one nested in it,
 * or actor holds ADMIN.  A process the actor cannot see does not exist
 * for it: MOS_EPROCNOTFOUND (Linux's ESRCH), not a denial, not counted.
 *
 * may_signal: actor is privileged for KILL (effective uid 0 or the
 * capability), or its real or effective uid is target's real or saved
 * uid; for SIGCONT (18) also when both are in one session.  It does not
 * look at visibility: check may_see first.
 */
bool mos__cred_may_see(const mos_proc_t *actor, const mos_proc_t *target);
bool mos__cred_may_signal(const mos_proc_t *sender, const mos_proc_t *target,
			  int sig);

/*
 * Record a denial by actor (a process, never the host): count it in
 * permission_denials and trace it (MOS_TRACE_AUDIT: subject actor's pid,
 * cause `action`, a `target`, b `asked`: for a signal, the target pid and
 * the signal number).  Returns MOS_EPERM, for the caller to return.
 */
int mos__cred_deny(mos_kernel_t *k, const mos_proc_t *actor,
		   mos_audit_action_t action, mos_pid_t target, uint64_t asked);

#endif
