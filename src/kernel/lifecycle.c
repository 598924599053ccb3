/*
 * src/kernel/lifecycle.c - process state transitions, death, reaping,
 * suspension.
 *
 * Every state change goes through mos__proc_set_state, which checks it
 * against the transition table below, keeps the time accounting, and
 * records it in the trace.  A transition outside the table is a broken
 * kernel invariant and panics; the public calls check states first and
 * return MOS_EINVALSTATE instead.
 *
 * Death (as xv6's exit): the process becomes Terminated, its children go to
 * init, it becomes a Zombie and its parent is woken if it waits.  A zombie
 * whose parent is init is reaped at once.  A process cannot free the stack it
 * runs on, so when it dies on its own coroutine the kernel finishes the job
 * after switching back (mos__proc_after_switch).
 */
#include <stdlib.h>

#include "kernel_int.h"

#define B(s) (1u << MOS_STATE_##s)
static const uint16_t allowed[MOS_STATE_COUNT] = {
	[MOS_STATE_NEW] = B(READY) | B(TERMINATED),
	[MOS_STATE_READY] = B(RUNNING) | B(SUSPENDED) | B(TERMINATED),
	[MOS_STATE_RUNNING] = B(READY) | B(BLOCKED) | B(SUSPENDED) |
			      B(TERMINATED),
	[MOS_STATE_BLOCKED] = B(READY) | B(SUSPENDED) | B(TERMINATED),
	[MOS_STATE_SUSPENDED] = B(READY) | B(BLOCKED) | B(TERMINATED),
	[MOS_STATE_TERMINATED] = B(ZOMBIE),
	[MOS_STATE_ZOMBIE] = B(DEFUNCT),
	[MOS_STATE_DEFUNCT] = 0,
};
/* The allowed moves that keep a process runnable (Ready or Running):
 * Ready -> Running, a dispatch, and Running -> Ready, a yield, preemption
 * or expired slice; every yield makes both.  They leave k->nrunnable
 * alone, so that path pays one table test, as before the count existed. */
static const uint16_t within[MOS_STATE_COUNT] = {
	[MOS_STATE_READY] = B(RUNNING),
	[MOS_STATE_RUNNING] = B(READY),
};
#undef B

static uint32_t runnable(mos_proc_state_t s)
{
	return s == MOS_STATE_READY || s == MOS_STATE_RUNNING;
}

/* A transition with a subscriber to every one: recorded, then told. */
static __attribute__((noinline)) void
record_and_tell(mos_kernel_t *k, mos_proc_t *p, mos_proc_state_t from,
		mos_cause_t cause)
{
	mos__trace_record(&k->trace, k->now, p->pid, from, p->state, cause);
	mos__kev_proc(k, MOS_KEV_STATE, p, from, cause);
}

void mos__proc_set_state(mos_kernel_t *k, mos_proc_t *p, mos_proc_state_t to,
			 mos_cause_t cause)
{
	mos_proc_state_t from = p->state;

	if (!(within[from] & (1u << to))) {
		if (!(allowed[from] & (1u << to)))
			mos__panic(k, "pid %d: invalid transition %s -> %s",
				   p->pid, mos_state_name(from),
				   mos_state_name(to));
		k->nrunnable += runnable(to) - runnable(from);
	}
	if (from == MOS_STATE_READY)
		p->t.ready_wait += k->now - p->state_since;
	else if (from == MOS_STATE_BLOCKED)
		p->t.blocked += k->now - p->state_since;
	p->state = to;
	p->state_since = k->now;
	/* Both ways end in a tail call, so the common one (nobody wants
	 * every transition) costs one test and sets up no frame. */
	if (__builtin_expect(mos__kev_wants(k, MOS_KEV_STATE), 0)) {
		record_and_tell(k, p, from, cause);
		return;
	}
	mos__trace_record(&k->trace, k->now, p->pid, from, p->state, cause);
}

/* ---- reaping and the history ------------------------------------------- */

static void history_add(mos_kernel_t *k, mos_proc_t *p)
{
	mos_list_push_back(&k->history, &p->cold.hist);
	k->history_len++;
	while (k->history_len > k->cfg.history_size) {
		mos_list_t *old = mos_list_pop_front(&k->history);
		k->history_len--;
		mos__proc_free(k, mos_container_of(old, mos_proc_t, cold.hist));
	}
}

/* Zombie -> Defunct: out of the table and the tree, into the history. */
int mos__proc_reap(mos_kernel_t *k, mos_proc_t *p, int *status)
{
	mos_pid_t pid = p->pid;

	if (status)
		*status = p->exit_status;
	p->t.reaped = k->now;
	mos__proc_set_state(k, p, MOS_STATE_DEFUNCT, MOS_CAUSE_REAP);
	if (mos__kev_wants(k, MOS_KEV_REAPED))
		mos__kev_proc(k, MOS_KEV_REAPED, p, MOS_STATE_ZOMBIE,
			      MOS_CAUSE_REAP);
	mos_list_remove(&p->cold.sibling);
	mos__pid_remove(k, p);
	k->stats.processes_reaped++;
	/* The history keeps the record, not the signal timers and
	 * actions: up to history_size of them would hold their blocks and
	 * places in the timer heap. */
	mos__sig_release(k, p);
	mos__res_release(k, p);
	history_add(k, p);
	return pid;
}

static bool reportable(const mos_proc_t *c, int options)
{
	if (c->state == MOS_STATE_ZOMBIE)
		return true;
	if (!c->cold.report)
		return false;
	return MOS_WIFCONTINUED(c->cold.report) ? (options & MOS_WCONTINUED)
						 : (options & MOS_WUNTRACED);
}

mos_proc_t *mos__proc_waitable(mos_proc_t *parent, mos_pid_t pid, int options,
			       bool *has_child)
{
	mos_list_t *n;

	*has_child = false;
	mos_list_for_each(n, &parent->cold.children) {
		mos_proc_t *c = mos_container_of(n, mos_proc_t, cold.sibling);
		if (!mos__wait_names(parent, pid, c))
			continue;
		*has_child = true;
		if (reportable(c, options))
			return c;
	}
	return NULL;
}

/* Whether what child has to report ends parent's waitpid. */
static bool waits_for(const mos_proc_t *parent, const mos_proc_t *child)
{
	return parent->wchan == &parent->cold.child_exit &&
	       mos__wait_names(parent, parent->cold.wait_pid, child) &&
	       reportable(child, parent->cold.wait_options);
}

/* child stopped or continued: its parent may be told (report), woken,
 * and sent SIGCHLD. */
static void tell_parent(mos_kernel_t *k, mos_proc_t *child, int report)
{
	mos_proc_t *parent = mos__proc_lookup(k, child->ppid);

	child->cold.report = report;
	if (!parent || parent == k->init)
		return;
	if (waits_for(parent, child))
		mos__wait_end(k, parent, 0, MOS_CAUSE_WAKE);
	if (mos__sig_chld_wanted(&parent->sig, &parent->cold.sig))
		mos__sig_child(k, parent, child);
}

/* ---- death ------------------------------------------------------------- */

static void reparent_children(mos_kernel_t *k, mos_proc_t *p)
{
	mos_list_t *n, *tmp;

	mos_list_for_each_safe(n, tmp, &p->cold.children) {
		mos_proc_t *c = mos_container_of(n, mos_proc_t, cold.sibling);
		mos_list_remove(&c->cold.sibling);
		mos_list_push_back(&k->init->cold.children, &c->cold.sibling);
		c->ppid = MOS_PID_INIT;
		if (c->state == MOS_STATE_ZOMBIE)
			mos__proc_reap(k, c, NULL);
		else
			c->reap_by_init = true;
	}
}

/* Release what a dead process holds; its stack only when not running on it. */
static void release(mos_kernel_t *k, mos_proc_t *p)
{
	if (p->cold.prog && p->cold.prog->def.release && p->cold.prog_state)
		p->cold.prog->def.release(&k->alloc, p->cold.prog_state);
	p->cold.prog_state = NULL;
	if (p->stack && k->on_cpu != p) {
		mos__fiber_destroy(&p->fiber);
		mos__stack_put(&k->stacks, p->stack);
		p->stack = NULL;
	}
}

void mos__proc_die(mos_kernel_t *k, mos_proc_t *p, int status, mos_cause_t cause)
{
	mos_proc_state_t from = p->state;
	bool was_current = k->current == p;
	mos_proc_t *parent;

	if (!was_current && p->state == MOS_STATE_READY && !p->held)
		k->sched->dequeue(k->rq, p);
	mos__wait_abandon(k, p);
	mos__sig_exit(k, p);
	mos__res_exit(k, p);
	for (int i = 0; i < MOS_SUBSYS_COUNT; i++)
		if (k->subsys_exit[i])
			k->subsys_exit[i](k, p, k->subsys[i]);
	p->req = MOS_REQ_NONE;
	p->exit_status = status;
	p->t.finished = k->now;
	mos__proc_set_state(k, p, MOS_STATE_TERMINATED, cause);
	if (mos__kev_wants(k, MOS_KEV_EXITED))
		mos__kev_proc(k, MOS_KEV_EXITED, p, from, cause);
	if (was_current)
		mos__kernel_put_current(k, MOS_PUT_EXIT);
	if (k->sched->detach)
		k->sched->detach(k->rq, p);
	k->stats.processes_exited++;
	release(k, p);
	reparent_children(k, p);
	mos__proc_set_state(k, p, MOS_STATE_ZOMBIE, MOS_CAUSE_ZOMBIE);

	parent = mos__proc_lookup(k, p->ppid);
	p->cold.report = 0; /* a zombie reports its death, nothing else */
	if (parent == k->init || p->reap_by_init) {
		p->reap_by_init = true;
		if (k->on_cpu != p)
			mos__proc_reap(k, p, NULL);
		return;
	}
	/* A parent that ignores SIGCHLD leaves its children to be reaped
	 * at once (Linux, POSIX's SA_NOCLDWAIT); its waitpid, woken, finds
	 * them gone. */
	if (mos__sig_nocldwait(&parent->cold.sig)) {
		p->reap_by_init = true;
		if (parent->wchan == &parent->cold.child_exit &&
		    mos__wait_names(parent, parent->cold.wait_pid, p))
			mos__wait_end(k, parent, 0, MOS_CAUSE_WAKE);
		if (k->on_cpu != p)
			mos__proc_reap(k, p, NULL);
		return;
	}
	if (waits_for(parent, p))
		mos__wait_end(k, parent, 0, MOS_CAUSE_WAKE);
	if (mos__sig_chld_wanted(&parent->sig, &parent->cold.sig))
		mos__sig_child(k, parent, p);
}

void mos__proc_after_switch(mos_kernel_t *k, mos_proc_t *p)
{
	if (p->state < MOS_STATE_TERMINATED)
		return;
	release(k, p);
	if (p->state == MOS_STATE_ZOMBIE && p->reap_by_init)
		mos__proc_reap(k, p, NULL);
}

int mos__proc_terminate(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *p,
			bool force)
{
	if (p == k->init)
		return MOS_EPERM;
	if (p->state >= MOS_STATE_TERMINATED)
		return MOS_EINVALSTATE;
	return mos__sig_terminate(k, sender, p, force);
}

/* ---- public control ------------------------------------------------------ */

int mos__proc_find_live(const mos_kernel_t *k, mos_pid_t pid, mos_proc_t **out)
{
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(*out = mos__proc_lookup(k, pid)))
		return MOS_EPROCNOTFOUND;
	return 0;
}

/* The target of a host control call: live, and not init. */
static int control_target(mos_kernel_t *k, mos_pid_t pid, mos_proc_t **p)
{
	int err;

	if (!k || !mos__host_may_change(k))
		return MOS_EINVAL;
	if ((err = mos__proc_find_live(k, pid, p)) < 0)
		return err;
	if (*p == k->init)
		return MOS_EPERM;
	/* Only a call that goes ahead catches a realtime clock up: what it
	 * checked does not change with the time caught up (no timer fires,
	 * no burst ends inside a wait). */
	mos__kernel_clock_sync(k);
	return 0;
}

int mos_process_terminate(mos_kernel_t *k, mos_pid_t pid, bool force)
{
	mos_proc_t *p;
	int err = control_target(k, pid, &p);

	if (err < 0)
		return err;
	return mos__proc_terminate(k, NULL, p, force);
}

void mos__proc_stop(mos_kernel_t *k, mos_proc_t *p, int sig)
{
	p->suspended_from = p->state == MOS_STATE_BLOCKED ? MOS_STATE_BLOCKED
							  : MOS_STATE_READY;
	p->wake_pending = false;
	if (p->state == MOS_STATE_RUNNING)
		p->t.involuntary_switches++;
	mos__proc_set_state(k, p, MOS_STATE_SUSPENDED, MOS_CAUSE_SUSPEND);
	/* Picked (running or being switched to) or merely queued. */
	if (k->current == p)
		mos__kernel_put_current(k, MOS_PUT_SLEEP);
	else if (p->suspended_from == MOS_STATE_READY && !p->held)
		k->sched->dequeue(k->rq, p);
	tell_parent(k, p, MOS_W_STOPCODE(sig));
}

void mos__proc_cont(mos_kernel_t *k, mos_proc_t *p)
{
	if (p->suspended_from == MOS_STATE_BLOCKED && !p->wake_pending) {
		mos__proc_set_state(k, p, MOS_STATE_BLOCKED, MOS_CAUSE_RESUME);
	} else {
		p->wake_pending = false;
		mos__kernel_make_ready(k, p, MOS_ENQ_RESUME, MOS_CAUSE_RESUME);
	}
	tell_parent(k, p, MOS_W_CONTINUED);
}

void mos__proc_stop_self(mos_proc_t *p, int sig)
{
	mos_kernel_t *k = p->k;

	p->suspended_from = MOS_STATE_READY;
	p->wake_pending = false;
	p->t.voluntary_switches++;
	mos__proc_set_state(k, p, MOS_STATE_SUSPENDED, MOS_CAUSE_SUSPEND);
	mos__kernel_put_current(k, MOS_PUT_SLEEP);
	tell_parent(k, p, MOS_W_STOPCODE(sig));
	mos__fiber_switch(&p->fiber, &k->host);
}

int mos_process_suspend(mos_kernel_t *k, mos_pid_t pid)
{
	mos_proc_t *p;
	int err = control_target(k, pid, &p);

	if (err < 0)
		return err;
	switch (p->state) {
	case MOS_STATE_READY:
	case MOS_STATE_RUNNING: /* stopped between two runs, mid-burst */
	case MOS_STATE_BLOCKED:
		break;
	default:
		return MOS_EINVALSTATE;
	}
	/* SIGSTOP sent by the host: traced, counted, reported to the
	 * parent as any stop. */
	mos__sig_host_send(k, p, MOS_SIGSTOP);
	return 0;
}

int mos_process_resume(mos_kernel_t *k, mos_pid_t pid)
{
	mos_proc_t *p;
	int err = control_target(k, pid, &p);

	if (err < 0)
		return err;
	if (p->state != MOS_STATE_SUSPENDED)
		return MOS_EINVALSTATE;
	mos__sig_host_send(k, p, MOS_SIGCONT);
	return 0;
}
