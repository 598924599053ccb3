/*
 * src/signal/deliver.c - what a signal does when it is sent and when it
 * is delivered.
 *
 * Sending decides at once whatever does not need the target's code to
 * run: SIGKILL, a terminating or stopping action, SIGCONT's continuing,
 * an ignored signal's dropping.  What remains pending is a blocked
 * signal, or a caught one waiting for its process to run: a process
 * Blocked in an interruptible wait is woken for it (its call will return
 * MOS_EINTR), a running one has its compute burst cut by the run loop
 * (kernel.c tests the hot pending/mask word before it charges a burst),
 * a Ready one takes it at its next dispatch.  Delivery, on the process's
 * own coroutine when a system call returns or a burst is cut, takes the
 * pending unblocked signals lowest number first and acts on each under
 * the actions in force then.
 */
#include "signal_local.h"

static const char *const outcome_names[MOS_SIGEV_COUNT] = {
	"pending", "merged", "caught", "ignored", "terminated", "stopped",
	"continued", "dropped",
};

const char *mos_sig_outcome_name(mos_sig_outcome_t o)
{
	return (unsigned)o < MOS_SIGEV_COUNT ? outcome_names[o] : "?";
}

static void trace(mos_kernel_t *k, mos_proc_t *t, int sig, mos_pid_t from,
		  mos_sig_outcome_t o)
{
	mos__trace_emit(k, MOS_TRACE_SIGNAL, mos__proc_pid(t), (uint8_t)sig,
			(uint64_t)(uint32_t)from, o);
}

/* The effect of sig on t, now; t may be the process on the CPU. */
static void take_effect(mos_kernel_t *k, mos_proc_t *t, int sig,
			mos_pid_t from, mos_sig_effect_t fx)
{
	mos_sigcold_t *c = mos__proc_sigcold(t);
	bool self = mos__kernel_on_cpu(k) == t;
	int status;

	switch (fx) {
	case MOS_SIGFX_CONT:
		return; /* continuing was done when it was sent */
	case MOS_SIGFX_IGN:
		c->stats.delivered++;
		mos__kernel_stats(k)->signals_delivered++;
		c->stats.ignored++;
		trace(k, t, sig, from, MOS_SIGEV_IGNORED);
		return;
	case MOS_SIGFX_TERM:
	case MOS_SIGFX_CORE:
		c->stats.delivered++;
		mos__kernel_stats(k)->signals_delivered++;
		trace(k, t, sig, from, MOS_SIGEV_TERMINATED);
		status = MOS_W_EXITCODE(0, sig) |
			 (fx == MOS_SIGFX_CORE ? MOS_W_COREFLAG : 0);
		if (self)
			mos__proc_exit_self(t, status);
		mos__proc_kill(k, t, status);
		return;
	case MOS_SIGFX_STOP:
		c->stats.delivered++;
		mos__kernel_stats(k)->signals_delivered++;
		trace(k, t, sig, from, MOS_SIGEV_STOPPED);
		switch (mos__proc_state(t)) {
		case MOS_STATE_NEW:
			c->stop_at_admission = sig;
			return;
		case MOS_STATE_SUSPENDED:
			return;
		default:
			break;
		}
		if (self)
			mos__proc_stop_self(t, sig);
		else
			mos__proc_stop(k, t, sig);
		return;
	case MOS_SIGFX_CATCH:
		break;
	}
	/* Caught: pending until t runs code; a wait it can leave, it
	 * leaves. */
	mos__proc_sighot(t)->pending |= MOS_SIGBIT(sig);
	trace(k, t, sig, from, MOS_SIGEV_PENDING);
	if (mos__proc_state(t) == MOS_STATE_BLOCKED)
		(void)mos__wait_cancel(k, t, MOS_EINTR);
}

void mos__sig_send(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *t,
		   int sig)
{
	mos_sighot_t *h = mos__proc_sighot(t);
	mos_sigcold_t *c = mos__proc_sigcold(t);
	mos_sigset_t bit = MOS_SIGBIT(sig);
	mos_pid_t from = sender ? mos__proc_pid(sender) : 0;
	bool continued = false;

	mos__kernel_stats(k)->signals_sent++;
	if (sender)
		mos__proc_sigcold(sender)->stats.sent++;
	c->stats.received++;
	/* init drops what it has no handler for, as Linux's does; a dead
	 * process has nothing left to act on. */
	if (mos__proc_is_init(t) || mos__proc_state(t) >= MOS_STATE_TERMINATED) {
		c->stats.ignored++;
		trace(k, t, sig, from, MOS_SIGEV_DROPPED);
		return;
	}
	/* A stop and a continue cancel each other's pending instance; a
	 * continue acts even when ignored or blocked. */
	if (sig == MOS_SIGCONT) {
		h->pending &= ~MOS_SIG_STOPS;
		c->was_blocked &= ~MOS_SIG_STOPS;
		c->stop_at_admission = 0;
		if (mos__proc_state(t) == MOS_STATE_SUSPENDED) {
			c->stats.delivered++;
			mos__kernel_stats(k)->signals_delivered++;
			trace(k, t, sig, from, MOS_SIGEV_CONTINUED);
			mos__proc_cont(k, t);
			continued = true;
			/* Back to its wait with a handler to run: it leaves it. */
			if (mos__proc_state(t) == MOS_STATE_BLOCKED &&
			    mos__sig_ready(h))
				(void)mos__wait_cancel(k, t, MOS_EINTR);
		}
	} else if (bit & MOS_SIG_STOPS) {
		h->pending &= ~MOS_SIGBIT(MOS_SIGCONT);
		c->was_blocked &= ~MOS_SIGBIT(MOS_SIGCONT);
	}
	if (h->pending & bit) {
		trace(k, t, sig, from, MOS_SIGEV_MERGED);
		return;
	}
	if ((h->blocked & bit) && !(bit & MOS_SIG_UNBLOCKABLE)) {
		h->pending |= bit;
		c->was_blocked |= bit;
		trace(k, t, sig, from, MOS_SIGEV_PENDING);
		return;
	}
	if (continued && mos__sig_effect(c, sig) != MOS_SIGFX_CATCH)
		return;
	take_effect(k, t, sig, from, mos__sig_effect(c, sig));
}

int mos__sig_stop_at_admission(mos_proc_t *p)
{
	mos_sigcold_t *c = mos__proc_sigcold(p);
	int sig = c->stop_at_admission;

	c->stop_at_admission = 0;
	return sig;
}

void mos__sig_child(mos_kernel_t *k, mos_proc_t *parent, mos_proc_t *child)
{
	(void)child;
	/* The kernel asked mos__sig_chld_wanted first. */
	mos__sig_send(k, NULL, parent, MOS_SIGCHLD);
}

/*
 * Handlers nest on the process's own stack (a handler's system calls
 * deliver what its mask lets through).  Past this depth the stack is
 * taken to have overflowed, as a real one would with handlers that
 * re-enable their own signal (MOS_SA_NODEFER) and raise it: the process
 * dies of SIGSEGV instead of overrunning its 64 KiB coroutine.
 */
#define MAX_HANDLER_DEPTH 32

static void run_handler(mos_proc_t *p, int sig)
{
	mos_sighot_t *h = mos__proc_sighot(p);
	mos_sigcold_t *c = mos__proc_sigcold(p);
	mos_sigaction_t a = c->acts[sig];
	mos_sigset_t old = h->blocked;

	if (c->depth == MAX_HANDLER_DEPTH) {
		trace(mos__proc_kernel(p), p, MOS_SIGSEGV, 0, MOS_SIGEV_TERMINATED);
		mos__proc_exit_self(p, MOS_W_EXITCODE(0, MOS_SIGSEGV) |
					       MOS_W_COREFLAG);
	}

	h->blocked |= a.mask & ~MOS_SIG_UNBLOCKABLE;
	if (!(a.flags & MOS_SA_NODEFER))
		h->blocked |= MOS_SIGBIT(sig);
	if (a.flags & MOS_SA_RESETHAND)
		c->special &= ~MOS_SIGBIT(sig);
	c->stats.delivered++;
	mos__kernel_stats(mos__proc_kernel(p))->signals_delivered++;
	c->stats.caught++;
	trace(mos__proc_kernel(p), p, sig, 0, MOS_SIGEV_CAUGHT);
	c->depth++;
	a.handler(p, sig);
	c->depth--;
	/* As sigreturn: the mask of before, whatever the handler did. */
	h->blocked = old;
}

void mos__sig_deliver(mos_proc_t *p)
{
	mos_kernel_t *k = mos__proc_kernel(p);
	mos_sighot_t *h = mos__proc_sighot(p);
	mos_sigcold_t *c = mos__proc_sigcold(p);
	mos_sigset_t ready;

	while ((ready = h->pending & ~h->blocked)) {
		int sig = __builtin_ctz(ready);
		mos_sigset_t bit = MOS_SIGBIT(sig);
		mos_sig_effect_t fx = mos__sig_effect(c, sig);

		h->pending &= ~bit;
		if (c->was_blocked & bit) {
			c->was_blocked &= ~bit;
			c->stats.blocked_delivered++;
		}
		if (fx == MOS_SIGFX_CATCH)
			run_handler(p, sig);
		else
			take_effect(k, p, sig, 0, fx);
	}
}

void mos__sig_init(mos_sighot_t *h, mos_sigcold_t *c,
		   const mos_sighot_t *ph, const mos_sigcold_t *pc)
{
	*h = (mos_sighot_t){0};
	*c = (mos_sigcold_t){0};
	if (ph) {
		h->blocked = ph->blocked;
		c->ignored = pc->ignored;
	}
}
