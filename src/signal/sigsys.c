/*
 * src/signal/sigsys.c - the signal system calls, the host's send, and the
 * alarm timer.
 */
#include "signal_local.h"
#include "util/timemath.h"

/* A process's signal timers, made by its first alarm or the first
 * terminate it survives: the alarm, and the grace period's SIGKILL. */
struct mos_sigtimers {
	mos_timer_t alarm;
	mos_timer_t grace;
	mos_proc_t *p;
};

static void alarm_fired(void *arg, mos_timer_t *t)
{
	struct mos_sigtimers *a = arg;

	(void)t;
	mos__sig_send(mos__proc_kernel(a->p), NULL, a->p, MOS_SIGALRM);
}

static void grace_fired(void *arg, mos_timer_t *t)
{
	struct mos_sigtimers *a = arg;

	(void)t;
	mos__sig_send(mos__proc_kernel(a->p), NULL, a->p, MOS_SIGKILL);
}

/* p's timers, made if need be.  Errors: MOS_ENOMEM, nothing made. */
static int timers_of(mos_kernel_t *k, mos_proc_t *p, struct mos_sigtimers **out)
{
	mos_sigcold_t *c = mos__proc_sigcold(p);
	const mos_allocator_t *al = mos__kernel_alloc(k);
	struct mos_sigtimers *a = c->timers;

	if (!a) {
		if (!(a = mos__malloc(al, sizeof(*a))))
			return MOS_ENOMEM;
		if (mos__ktimer_init(k, &a->alarm, alarm_fired, a, false) < 0) {
			mos__free(al, a);
			return MOS_ENOMEM;
		}
		if (mos__ktimer_init(k, &a->grace, grace_fired, a, false) < 0) {
			mos__ktimer_fini(k, &a->alarm);
			mos__free(al, a);
			return MOS_ENOMEM;
		}
		a->p = p;
		c->timers = a;
	}
	*out = a;
	return 0;
}

int mos__sig_terminate(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *t,
		       bool force)
{
	mos_sigcold_t *c = mos__proc_sigcold(t);
	mos_sig_effect_t fx = mos__sig_effect(c, MOS_SIGTERM);
	struct mos_sigtimers *a = NULL;
	bool survives = (mos__proc_sighot(t)->blocked & MOS_SIGBIT(MOS_SIGTERM)) ||
			(fx != MOS_SIGFX_TERM && fx != MOS_SIGFX_CORE);
	mos_time_t due;
	int err;

	if (force) {
		mos__sig_send(k, sender, t, MOS_SIGKILL);
		return 0;
	}
	/* Made before anything is sent: a failure changes nothing. */
	if (survives && (err = timers_of(k, t, &a)) < 0)
		return err;
	if (a && !mos__timer_armed(&a->grace)) {
		due = mos__time_add_sat(mos_kernel_now(k),
					(mos_time_t)mos_kernel_config(k)->grace_period_ms *
						MOS_MSEC);
		mos__ktimer_arm(k, &a->grace, due, MOS_BAND_SIGNAL);
	}
	mos__sig_send(k, sender, t, MOS_SIGTERM);
	return 0;
}

int mos_sys_alarm(mos_proc_t *self, mos_time_t d, mos_time_t *left)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_ALARM);
	struct mos_sigtimers *a = mos__proc_sigcold(self)->timers;
	mos_time_t now = mos_kernel_now(k), due = 0;
	int err;

	if (d && !mos__time_add(now, d, &due))
		return MOS_ERANGE;
	if (!a && d && (err = timers_of(k, self, &a)) < 0)
		return err;
	if (left)
		*left = a && mos__timer_armed(&a->alarm) ? a->alarm.due - now : 0;
	if (!a)
		return 0;
	if (d)
		mos__ktimer_arm(k, &a->alarm, due, MOS_BAND_SIGNAL);
	else
		mos__ktimer_cancel(k, &a->alarm);
	return 0;
}

void mos__sig_exit(mos_kernel_t *k, mos_proc_t *p)
{
	mos_sigcold_t *c = mos__proc_sigcold(p);

	if (c->timers) {
		mos__ktimer_cancel(k, &c->timers->alarm);
		mos__ktimer_cancel(k, &c->timers->grace);
	}
	mos__proc_sighot(p)->pending = 0;
	c->was_blocked = 0;
	c->stop_at_admission = 0;
}

void mos__sig_release(mos_kernel_t *k, mos_proc_t *p)
{
	mos_sigcold_t *c = mos__proc_sigcold(p);
	const mos_allocator_t *al = mos__kernel_alloc(k);

	if (c->timers) {
		mos__ktimer_fini(k, &c->timers->alarm);
		mos__ktimer_fini(k, &c->timers->grace);
		mos__free(al, c->timers);
		c->timers = NULL;
	}
	mos__free(al, c->acts);
	c->acts = NULL;
}

int mos_sys_sigaction(mos_proc_t *self, int sig, mos_sig_action_t action,
		      mos_sig_handler_t handler, mos_sigset_t mask,
		      unsigned flags, mos_sigaction_t *old)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_SIGACTION);
	mos_sigcold_t *c = mos__proc_sigcold(self);
	/* Shifted only once sig is known to be a signal (bit 1..31). */
	mos_sigset_t bit = mos__sig_valid(sig) ? MOS_SIGBIT(sig) : 0;
	bool special = action == MOS_SIG_CATCH || action == MOS_SIG_STOP ||
		       action == MOS_SIG_TERMINATE;

	if (!bit || (unsigned)action >= MOS_SIG_ACTION_COUNT ||
	    (flags & ~(unsigned)(MOS_SA_NODEFER | MOS_SA_RESETHAND)) ||
	    (mask & ~MOS_SIG_ALL) ||
	    (action == MOS_SIG_CATCH) != (handler != NULL) ||
	    ((bit & MOS_SIG_UNBLOCKABLE) && action != MOS_SIG_DEFAULT))
		return MOS_EINVAL;
	if (special && !c->acts &&
	    !(c->acts = mos__calloc(mos__kernel_alloc(k), MOS_NSIG,
				    sizeof(*c->acts))))
		return MOS_ENOMEM;
	if (old) {
		if (c->special & bit)
			*old = c->acts[sig];
		else
			*old = (mos_sigaction_t){
				c->ignored & bit ? MOS_SIG_IGNORE : MOS_SIG_DEFAULT,
				NULL, 0, 0};
	}
	c->ignored &= ~bit;
	c->special &= ~bit;
	if (action == MOS_SIG_IGNORE)
		c->ignored |= bit;
	if (special) {
		c->special |= bit;
		c->acts[sig] = (mos_sigaction_t){action, handler, mask, flags};
	}
	/* POSIX: setting a pending signal's action to ignore it discards
	 * it. */
	if (mos__sig_effect(c, sig) == MOS_SIGFX_IGN) {
		mos__proc_sighot(self)->pending &= ~bit;
		c->was_blocked &= ~bit;
	}
	return 0;
}

int mos_sys_sigprocmask(mos_proc_t *self, int how, mos_sigset_t set,
			mos_sigset_t *old)
{
	mos_sighot_t *h;

	mos__sys_enter(self, MOS_SYS_SIGPROCMASK);
	h = mos__proc_sighot(self);
	if (set & ~MOS_SIG_ALL)
		return MOS_EINVAL;
	set &= ~MOS_SIG_UNBLOCKABLE;
	switch (how) {
	case MOS_SIG_BLOCK:
		if (old)
			*old = h->blocked;
		h->blocked |= set;
		break;
	case MOS_SIG_UNBLOCK:
		if (old)
			*old = h->blocked;
		h->blocked &= ~set;
		break;
	case MOS_SIG_SETMASK:
		if (old)
			*old = h->blocked;
		h->blocked = set;
		break;
	default:
		return MOS_EINVAL;
	}
	if (mos__sig_ready(h))
		mos__sig_deliver(self);
	return 0;
}

int mos_sys_sigpending(mos_proc_t *self, mos_sigset_t *set)
{
	mos__sys_enter(self, MOS_SYS_SIGPENDING);
	if (!set)
		return MOS_EINVAL;
	*set = mos__proc_sighot(self)->pending;
	return 0;
}

int mos_sys_pause(mos_proc_t *self)
{
	mos__sys_enter(self, MOS_SYS_PAUSE);
	/* Only a cancellation ends a wait on nothing with no timeout. */
	(void)mos__wait(self, NULL, MOS_TIME_NEVER, MOS_WAIT_INTERRUPTIBLE,
			MOS_CAUSE_SLEEP);
	mos__sig_deliver(self);
	return MOS_EINTR;
}

int mos_sys_nanosleep(mos_proc_t *self, mos_time_t d, mos_time_t *left)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_NANOSLEEP);
	mos_time_t due;
	int err;

	if (!mos__time_add(mos_kernel_now(k), d, &due))
		return MOS_ERANGE;
	err = mos__wait(self, NULL, d, MOS_WAIT_INTERRUPTIBLE, MOS_CAUSE_SLEEP);
	if (left)
		*left = err == MOS_ETIMEDOUT ? 0 : due - mos_kernel_now(k);
	mos__sig_deliver(self);
	return err == MOS_ETIMEDOUT ? 0 : err;
}

/* Whether kill's pid, 0 or below, names t, for sender (NULL: the host):
 * 0 the sender's group, -1 everyone but init and the sender, < -1 group
 * -pid.  (send_all finds a pid above 0 itself.) */
static bool names(mos_pid_t pid, mos_proc_t *sender, mos_proc_t *t)
{
	if (pid == 0)
		return mos__proc_pgid(t) == mos__proc_pgid(sender);
	if (pid == -1)
		return t != sender && !mos__proc_is_init(t);
	return mos__proc_pgid(t) == -pid;
}

/* One permitted target: sig 0 only counts it.  Returns 1. */
static uint32_t signal_one(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *t,
			   int sig)
{
	if (sig)
		mos__sig_send(k, sender, t, sig);
	return 1;
}

/*
 * Send sig to every process pid names that the sender can see, in
 * pid-table order, the sender last (a signal that ends or stops it must
 * not keep the others from theirs).  sig 0 sends nothing.  As kill(2):
 * MOS_EPROCNOTFOUND when pid names no process the sender can see,
 * MOS_EPERM (each refusal counted and audited) when it may signal none
 * of them; 0 when at least one was signalled.
 */
static int send_all(mos_kernel_t *k, mos_proc_t *sender, mos_pid_t pid, int sig)
{
	uint32_t cur = 0, seen = 0, sent = 0;
	bool to_self = false;
	mos_proc_t *t, *one = NULL;
	int denied = 0;

	if (pid > 0 && (one = mos__proc_find(k, pid)) == NULL)
		return MOS_EPROCNOTFOUND;
	while ((t = one ? one : mos__proc_next(k, &cur))) {
		if ((one || names(pid, sender, t)) && mos__cred_may_see(sender, t)) {
			seen++;
			if (!mos__cred_may_signal(sender, t, sig))
				denied = mos__cred_deny(k, sender, MOS_AUDIT_SIGNAL,
							mos__proc_pid(t),
							(uint64_t)sig);
			else if (t == sender)
				to_self = true;
			else
				sent += signal_one(k, sender, t, sig);
		}
		if (one)
			break;
	}
	if (to_self)
		sent += signal_one(k, sender, sender, sig);
	if (!seen)
		return MOS_EPROCNOTFOUND;
	return sent ? 0 : denied;
}

int mos_sys_kill(mos_proc_t *self, mos_pid_t pid, int sig)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_KILL);
	int err;

	if (sig < 0 || sig >= MOS_NSIG || pid == INT32_MIN)
		return MOS_EINVAL;
	if ((err = send_all(k, self, pid, sig)) < 0)
		return err;
	if (mos__sig_ready(mos__proc_sighot(self)))
		mos__sig_deliver(self);
	mos__sys_preemption_point(self);
	return 0;
}

int mos_sys_send_signal(mos_proc_t *self, mos_pid_t pid, int sig)
{
	return mos_sys_kill(self, pid, sig);
}

void mos__sig_host_send(mos_kernel_t *k, mos_proc_t *p, int sig)
{
	mos__sig_send(k, NULL, p, sig);
}

void mos__sig_force(mos_kernel_t *k, mos_proc_t *p, int sig)
{
	mos_sighot_t *h = mos__proc_sighot(p);
	mos_sigcold_t *c = mos__proc_sigcold(p);
	mos_sigset_t bit = MOS_SIGBIT(sig);

	if ((h->blocked & bit) || (c->ignored & bit)) {
		c->ignored &= ~bit;
		c->special &= ~bit;
		h->blocked &= ~bit;
	}
	mos__sig_send(k, NULL, p, sig);
}

int mos_process_send_signal(mos_kernel_t *k, mos_pid_t pid, int sig)
{
	if (!k || !mos__host_call(k) || sig < 0 || sig >= MOS_NSIG)
		return MOS_EINVAL;
	/* The host is in no group: 0 names nothing. */
	if (pid == 0 || pid == INT32_MIN)
		return MOS_EINVALPID;
	if (pid > 0 && !mos__proc_find(k, pid))
		return MOS_EPROCNOTFOUND;
	mos__host_clock_sync(k);
	return send_all(k, NULL, pid, sig);
}
