/*
 * src/kernel/kernel.c - kernel creation and the run loop.
 *
 * The run loop (DESIGN.md, "The run loop"): fire the timers due now, in
 * (time, band, sequence) order; preempt the running process if something
 * more urgent became Ready; otherwise let the policy pick a process; if none
 * is Ready, jump the clock to the next timer.  A process in the middle of a
 * compute burst is not switched to at all: the kernel charges it CPU time up
 * to the earliest of the end of the burst, the end of its slice, the next
 * timer and `until`, and resumes its coroutine only when the burst is done.
 * So preemption is exact to the nanosecond and independent of host speed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error_int.h"
#include "kernel_int.h"
#include "util/timemath.h"

static mos_time_t tmin(mos_time_t a, mos_time_t b) { return a < b ? a : b; }

static mos_time_t cpu_of(const mos_proc_t *p)
{
	return p->t.cpu_user + p->t.cpu_system;
}

/* Give the virtual time from now to `to` to what the CPU is doing: the
 * current process's burst, a context switch to it, or nothing. */
static void account(mos_kernel_t *k, mos_time_t to)
{
	mos_proc_t *c = k->current;
	mos_time_t d = to - k->now;

	if (c && c->state == MOS_STATE_RUNNING) {
		c->burst_left -= d;
		if (__builtin_expect(c->in_system, 0))
			c->t.cpu_system += d;
		else
			c->t.cpu_user += d;
		k->stats.busy += d;
		k->sched->charge(k->rq, c, d);
		if (__builtin_expect(c->cpu_watch, 0))
			mos__res_cpu_used(k, c, d);
	} else {
		k->stats.idle += d;
		if (c)
			k->stats.switching += d;
	}
	if (to >= k->mon_next)
		k->mon_next = mos__res_monitor_tick(k, to);
	k->now = to;
}

/*
 * Move virtual time forward to `to`, letting the clock backend pace it,
 * and account for it.  A realtime wait runs host callbacks and may end
 * short of `to`.  One that changed nothing in the kernel is simply
 * resumed: splitting a charge is not free (cfs rounds per charge), and
 * pacing must not change what is simulated.  One where a host call
 * caught the clock up (mos__kernel_clock_sync) ends there, and one a
 * wakeup ended ends at the time it reached: the callers then see
 * now < to and the loop goes on from there.
 */
static void advance(mos_kernel_t *k, mos_time_t to)
{
	mos_time_t reached = to;
	int rc;

	if (to != k->now) {
		k->clock_to = to;
		k->clock_waiting = true;
		/* A pacing failure (MOS_EIO, reached = to) only loses
		 * pacing, never simulated events: not an error of the run. */
		do
			rc = k->clock->advance(k->clock_state, k->now, to,
					       &reached);
		while (reached < to && rc != MOS_CLOCK_WOKEN &&
		       !k->clock_synced);
		k->clock_waiting = false;
		if (k->clock_synced) {
			k->clock_synced = false;
			return; /* accounted up to the last host call */
		}
	}
	account(k, reached);
}

void mos__kernel_clock_sync(mos_kernel_t *k)
{
	/* Only a realtime wait runs host callbacks.  Once one caught the
	 * clock up, the wait is over: every later call from the callbacks
	 * of that wait acts at the same instant. */
	if (!k->clock_waiting || k->clock_synced)
		return;
	account(k, k->clock->now(k->clock_state, k->now, k->clock_to));
	k->clock_synced = true;
}

void mos__kernel_check_preempt(mos_kernel_t *k)
{
	mos_proc_t *c = k->current;

	if (c && c->state == MOS_STATE_RUNNING && k->sched->preempts &&
	    k->sched->preempts(k->rq, c, k->now))
		k->need_resched = true;
}

void mos__kernel_make_ready(mos_kernel_t *k, mos_proc_t *p,
			    mos_enq_reason_t why, mos_cause_t cause)
{
	mos__proc_set_state(k, p, MOS_STATE_READY, cause);
	p->se.ready_since = k->now;
	if (__builtin_expect(p->held, 0))
		return; /* Ready, out of the run queue until unheld */
	k->sched->enqueue(k->rq, p, why, k->now);
	mos__kernel_check_preempt(k);
}

/* The current process stops running (or being switched to). */
void mos__kernel_put_current(mos_kernel_t *k, mos_put_reason_t why)
{
	mos_proc_t *p = k->current;

	k->current = NULL;
	k->need_resched = false;
	k->switch_end = 0;
	if (why <= MOS_PUT_YIELD)
		p->se.ready_since = k->now;
	k->sched->put_prev(k->rq, p, why, k->now);
}

/* Running -> Ready, still runnable. */
static void requeue(mos_kernel_t *k, mos_put_reason_t why, mos_cause_t cause)
{
	mos_proc_t *p = k->current;

	if (why == MOS_PUT_YIELD) {
		p->t.voluntary_switches++;
	} else {
		p->t.involuntary_switches++;
		k->stats.preemptions++;
	}
	mos__proc_set_state(k, p, MOS_STATE_READY, cause);
	mos__kernel_put_current(k, why);
}

/* The hold of seams.h.  A held process is never current: holding the
 * current one takes it off the CPU at once (Running -> Ready, cause
 * THROTTLE), so the yield and requeue paths need no test; only the
 * places that queue or unqueue a Ready process look at `held`. */
void mos__proc_hold(mos_kernel_t *k, mos_proc_t *p)
{
	if (p->held)
		return;
	p->held = true;
	if (k->current == p) {
		if (p->state == MOS_STATE_RUNNING)
			requeue(k, MOS_PUT_PREEMPT, MOS_CAUSE_THROTTLE);
		else
			mos__kernel_put_current(k, MOS_PUT_PREEMPT);
		k->sched->dequeue(k->rq, p);
	} else if (p->state == MOS_STATE_READY) {
		k->sched->dequeue(k->rq, p);
	}
}

void mos__proc_unhold(mos_kernel_t *k, mos_proc_t *p)
{
	if (!p->held)
		return;
	p->held = false;
	if (p->state != MOS_STATE_READY)
		return;
	p->se.ready_since = k->now;
	k->sched->enqueue(k->rq, p, MOS_ENQ_RESUME, k->now);
	mos__kernel_check_preempt(k);
}

bool mos__proc_held(const mos_proc_t *p) { return p->held; }

static mos_time_t policy_event(const mos_kernel_t *k)
{
	const mos_proc_t *c = k->current;

	if (!k->sched->next_event)
		return MOS_TIME_NEVER;
	return k->sched->next_event(k->rq, c && c->state == MOS_STATE_RUNNING
						   ? c : NULL);
}

static mos_time_t next_due(const mos_kernel_t *k)
{
	mos_timer_t *t = mos__timer_peek(&k->timers);

	return tmin(t ? t->due : MOS_TIME_NEVER, policy_event(k));
}

static void become_running(mos_kernel_t *k, mos_proc_t *p)
{
	mos__proc_set_state(k, p, MOS_STATE_RUNNING, MOS_CAUSE_DISPATCH);
	k->stats.dispatches++;
	p->t.dispatches++;
	if (p->t.first_run == MOS_TIME_NEVER)
		p->t.first_run = k->now;
	mos__kernel_check_preempt(k);
}

/*
 * Start loading what dispatching p and running it up to its next syscall
 * touch: the control block's hot lines and the saved context at the top
 * of its stack.  With thousands of processes these are cache and TLB
 * misses; a policy's likely_next names p a dispatch or more ahead, so the
 * misses overlap with the work in between.  Always inlined: GCC takes a
 * function that only prefetches for one without effect and deletes the
 * calls to it.
 */
static inline __attribute__((always_inline)) void warm(const mos_proc_t *p)
{
	__builtin_prefetch(p, 1);
	__builtin_prefetch(&p->se, 1);
	__builtin_prefetch(&p->se.node, 1);
	__builtin_prefetch(&p->req, 1);
	__builtin_prefetch(&p->fiber, 1);
	__builtin_prefetch(&p->t, 1);
	__builtin_prefetch(&p->t.dispatches, 1);
	__builtin_prefetch(&p->state_since, 1);
	mos__fiber_prefetch(&p->fiber);
}

/* Pick the next process.  A switch to a different process than the last
 * one to run costs switch_cost of idle CPU first (current is then the
 * process being switched to, still Ready). */
static bool dispatch(mos_kernel_t *k)
{
	mos_proc_t *p = k->sched->pick_next(k->rq, k->now), *soon;
	bool is_switch;

	if (!p)
		return false;
	/* With few processes their blocks stay in the cache: no guess. */
	if (k->sched->likely_next && k->pids.used > MOS_LIKELY_MIN &&
	    (soon = k->sched->likely_next(k->rq)))
		warm(soon);
	k->need_resched = false;
	k->current = p;
	is_switch = k->last_ran_pid != 0 && k->last_ran_pid != p->pid;
	k->last_ran_pid = p->pid;
	if (is_switch)
		k->stats.context_switches++;
	if (is_switch && k->cfg.sched.switch_cost) {
		k->switch_end = mos__time_add_sat(k->now, k->cfg.sched.switch_cost);
		return true;
	}
	become_running(k, p);
	return true;
}

static void switching(mos_kernel_t *k, mos_time_t until)
{
	mos_time_t horizon = tmin(tmin(k->switch_end, next_due(k)), until);

	if (horizon == MOS_TIME_NEVER) {
		k->out_of_time = true;
		return;
	}
	advance(k, horizon);
	/* A host call during the wait may have suspended or killed it. */
	if (k->current && k->now == k->switch_end) {
		k->switch_end = 0;
		become_running(k, k->current);
	}
}

/* Switch to p's coroutine and handle what was asked when the kernel's
 * stack runs again: by p, or by the process p's yields passed the CPU to
 * directly (mos__kernel_yield_direct), the one on_cpu names. */
static void resume(mos_kernel_t *k, mos_proc_t *p)
{
	k->stats.host_switches += 2;
	if (!p->fiber.ctx)
		mos__proc_start_fiber(k, p);
	k->on_cpu = p;
	mos__fiber_switch(&k->host, &p->fiber);
	p = k->on_cpu;
	k->on_cpu = NULL;

	if (p->state == MOS_STATE_RUNNING && !mos__stack_canary_ok(p->stack))
		mos__proc_die(k, p, MOS_W_EXITCODE(0, MOS_SIGSEGV),
			      MOS_CAUSE_CRASH);
	if (p->state != MOS_STATE_RUNNING) {
		/* Blocked or dead (put_prev was called on the way), or Ready
		 * from a yield that did the requeue itself. */
		mos__proc_after_switch(k, p);
		return;
	}
	switch (p->req) {
	case MOS_REQ_COMPUTE:
		return; /* stays current; the loop charges the burst */
	case MOS_REQ_YIELD:
		p->req = MOS_REQ_NONE;
		requeue(k, MOS_PUT_YIELD, MOS_CAUSE_YIELD);
		return;
	case MOS_REQ_PREEMPT:
		p->req = MOS_REQ_NONE;
		requeue(k, MOS_PUT_PREEMPT, MOS_CAUSE_PREEMPT);
		return;
	case MOS_REQ_NONE:
		break;
	}
	mos__panic(k, "pid %d returned to the kernel without a request", p->pid);
}

static bool timer_due(const mos_kernel_t *k)
{
	const mos_timer_t *t = mos__timer_peek(&k->timers);

	return t && t->due <= k->now;
}

/*
 * The stack canary on a direct yield.  Reading it touches the one page of
 * the process that nothing else on the way touches, the lowest of its
 * stack: among 10 000 processes a TLB and cache miss that cost more than
 * the rest of the switch.  So a yield whose stack comes within
 * CANARY_NEAR of the canary goes through the run loop, which checks it on
 * every switch (deep recursion is caught at once, as before); any other
 * yield checks it on every CANARY_EVERY-th yield of the process (a stray
 * write into the canary by a process that only yields is caught within
 * that many yields).  CANARY_NEAR is also the room the direct path's own
 * frames may take on the yielder's stack (requeue, dispatch, the policy's
 * hooks, the switch: well under 1 KiB); what may need more — starting a
 * coroutine, a trace observer — goes through the loop.
 */
#define CANARY_NEAR 4096
#define CANARY_EVERY 64

static bool direct_canary_ok(const mos_proc_t *p)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);

	if (!mos__fiber_has_room(&p->fiber, here, CANARY_NEAR))
		return false;
	return p->t.voluntary_switches % CANARY_EVERY != 0 ||
	       mos__stack_canary_ok(p->stack);
}

/*
 * A yield handled on the yielder's own stack, as Linux's schedule() runs
 * in the context of the task that gives up the CPU: when all the run loop
 * would do at this instant is requeue the yielder, dispatch the next
 * process and resume it, do exactly that here and switch straight to it —
 * one coroutine switch instead of two (process -> kernel -> process), with
 * the same transitions, trace events and statistics.  Whatever else needs
 * the loop (a time limit, a due timer or policy event, a preemption, a
 * switch cost, a burst to charge, a failed stack canary, mos_kernel_step)
 * sends the CPU back to it, before or after the requeue.  Returns false,
 * having changed nothing, when the caller must take the ordinary way.
 */
/* Whether p may hand the CPU on itself: nothing of what only the loop
 * does (a time limit, a switch cost, an observer, deferred events, a
 * stack canary near) is due. */
static bool direct_allowed(const mos_kernel_t *k, const mos_proc_t *p)
{
	return k->direct && k->now < k->run_until && !k->cfg.sched.switch_cost &&
	       !k->trace.observer && !mos__kev_wants(k, MOS_KEV_STATE) &&
	       !k->kev.qlen && direct_canary_ok(p);
}

/* p has just left the CPU (requeued or blocked): dispatch the next
 * process and switch straight to it, or to the loop when it has more to
 * do at this instant.  Returns when p runs again. */
static inline __attribute__((always_inline)) void hand_on(mos_kernel_t *k, mos_proc_t *p, bool same_site)
{
	mos_proc_t *next;

	if ((!same_site && k->need_resched) || policy_event(k) <= k->now ||
	    timer_due(k) || !dispatch(k))
		goto loop;
	next = k->current;
	/* A first run starts a coroutine (and may fault in stacks): the
	 * loop does that on its own stack. */
	if (k->need_resched || policy_event(k) <= k->now ||
	    next->req != MOS_REQ_NONE || (next != p && !next->fiber.ctx))
		goto loop;
	if (next == p)
		return; /* picked again: it just goes on */
	k->stats.host_switches++;
	k->on_cpu = next;
	/* After a yield next is, as a rule, suspended at this very call:
	 * it yielded the same way (the switch the return-stack buffer
	 * predicts). */
	if (same_site)
		mos__fiber_switch_same_site(&p->fiber, &next->fiber);
	else
		mos__fiber_switch(&p->fiber, &next->fiber);
	return; /* dispatched again, by the loop or directly */
loop:
	mos__fiber_switch(&p->fiber, &k->host);
}

bool mos__kernel_yield_direct(mos_kernel_t *k, mos_proc_t *p)
{
	if (!direct_allowed(k, p))
		return false;
	requeue(k, MOS_PUT_YIELD, MOS_CAUSE_YIELD);
	hand_on(k, p, true);
	return true;
}

void mos__kernel_block_switch(mos_kernel_t *k, mos_proc_t *p)
{
	if (direct_allowed(k, p))
		hand_on(k, p, false);
	else
		mos__fiber_switch(&p->fiber, &k->host);
}

/* Charge the current process's burst up to its next event. */
static void charge(mos_kernel_t *k, mos_time_t until)
{
	mos_proc_t *p = k->current;
	mos_time_t slice = k->sched->slice_left(k->rq, p);
	mos_time_t horizon;

	/* Sums that pass MOS_TIME_NEVER saturate: a slice that long never
	 * expires.  If nothing at all is due before then, the burst cannot
	 * end at a representable time, and the run stops with MOS_ERANGE
	 * instead of letting time wrap. */
	horizon = tmin(mos__time_add_sat(k->now, p->burst_left), next_due(k));
	horizon = tmin(horizon, mos__time_add_sat(k->now, slice));
	horizon = tmin(horizon, until);
	/* A CPU alarm (seams.h) cuts the burst where it falls due. */
	if (__builtin_expect(p->cpu_watch, 0)) {
		mos_time_t at = mos__res_cpu_alarm_at(k, p);

		if (at <= cpu_of(p)) {
			mos__res_cpu_alarm(k, p, true);
			return;
		}
		horizon = tmin(horizon, mos__time_add_sat(k->now,
							  at - cpu_of(p)));
	}
	if (horizon == MOS_TIME_NEVER) {
		k->out_of_time = true;
		return;
	}
	advance(k, horizon);
	/* Short of the horizon: a host call or a wakeup ended a realtime
	 * wait, and the host call may have suspended or killed p. */
	if (k->current != p)
		return;
	/* The alarm comes before the end of the burst at the same instant:
	 * a signal it sends is pending when the burst returns. */
	if (__builtin_expect(p->cpu_watch, 0) &&
	    mos__res_cpu_alarm_at(k, p) <= cpu_of(p)) {
		mos__res_cpu_alarm(k, p, p->burst_left != 0);
		if (k->current != p || p->state != MOS_STATE_RUNNING)
			return;
	}
	if (p->burst_left == 0) {
		p->req = MOS_REQ_NONE;
		resume(k, p);
	}
	/* Burst and slice may end together and the process compute again:
	 * its expiry still comes before the other events of this instant. */
	if (k->current == p && p->state == MOS_STATE_RUNNING &&
	    p->req == MOS_REQ_COMPUTE && k->sched->slice_left(k->rq, p) == 0)
		requeue(k, MOS_PUT_SLICE, MOS_CAUSE_SLICE);
	/* Otherwise a timer is due, `until` was reached or the wait ended
	 * early: the loop goes on. */
}

static void fire_timers(mos_kernel_t *k)
{
	mos_timer_t *t;

	while ((t = mos__timer_pop_due(&k->timers, k->now))) {
		k->stats.timers_fired++;
		t->fn(t->arg, t);
	}
}

int mos__kernel_reserve_timer(mos_kernel_t *k)
{
	/* One place per process (its own timer) and per extra timer. */
	return mos__timer_heap_reserve(&k->timers,
				       k->pids.used + k->extra_timers + 1);
}

int mos__ktimer_init(mos_kernel_t *k, mos_timer_t *t, mos_timer_fn fn,
		     void *arg, bool background)
{
	int err = mos__kernel_reserve_timer(k);

	if (err < 0)
		return err;
	mos__timer_init(t, fn, arg, background);
	k->extra_timers++;
	return 0;
}

void mos__ktimer_fini(mos_kernel_t *k, mos_timer_t *t)
{
	mos__timer_cancel(&k->timers, t);
	k->extra_timers--;
}

void mos__ktimer_arm(mos_kernel_t *k, mos_timer_t *t, mos_time_t due,
		     uint8_t band)
{
	mos__timer_arm(&k->timers, t, due, band);
}

void mos__ktimer_cancel(mos_kernel_t *k, mos_timer_t *t)
{
	mos__timer_cancel(&k->timers, t);
}

/* One event.  Returns false when nothing is left before `until`. */
static bool step(mos_kernel_t *k, mos_time_t until)
{
	mos_timer_t *t;
	mos_time_t target;

	/* Order at one instant: deferred event work (a supervisor reacting
	 * to a death), a pending preemption, policy events, then timers
	 * (admissions before wake-ups), then the CPU. */
	if (!k->out_of_time && mos__kev_drain(k))
		return true;
	if (k->now >= until || k->out_of_time)
		return false;
	if (k->need_resched) {
		requeue(k, MOS_PUT_PREEMPT, MOS_CAUSE_PREEMPT);
		return true;
	}
	if (policy_event(k) <= k->now) {
		k->sched->event(k->rq, k->now);
		mos__kernel_check_preempt(k);
		return true;
	}
	t = mos__timer_peek(&k->timers);
	if (t && t->due <= k->now) {
		fire_timers(k);
		return true;
	}
	if (k->current || dispatch(k)) {
		mos_proc_t *c = k->current;

		if (c->state == MOS_STATE_READY) {
			switching(k, until);
		} else if (c->req != MOS_REQ_COMPUTE) {
			resume(k, c);
		} else if (!mos__sig_ready(&c->sig)) {
			charge(k, until);
		} else {
			/* A signal cuts the burst: its process takes it now,
			 * with the rest of the burst in burst_left. */
			c->req = MOS_REQ_NONE;
			resume(k, c);
		}
		return true;
	}
	/* Idle: jump to the next timer or policy event.  Policy events alone
	 * (a periodic boost) do not keep a run going: with no timer armed and
	 * nothing runnable, a run to MOS_TIME_NEVER is over. */
	if (!mos__timer_heap_foreground(&k->timers) && until == MOS_TIME_NEVER)
		return false;
	target = tmin(next_due(k), until);
	/* Only a timer armed at MOS_TIME_NEVER (the seam allows it) leads
	 * here: the clock must not jump onto "never", so the run is out of
	 * time, as for a burst or a switch that would end there. */
	if (target == MOS_TIME_NEVER) {
		k->out_of_time = true;
		return false;
	}
	k->last_ran_pid = 0;
	advance(k, target);
	return true;
}

int mos_kernel_run(mos_kernel_t *k, mos_time_t until)
{
	if (!k || k->in_run || k->kev.sync_depth)
		return MOS_EINVAL;
	k->in_run = true;
	k->direct = true;
	k->run_until = until;
	while (step(k, until))
		;
	k->direct = false;
	/* step() ends a run only at `until` (its idle branch advances there),
	 * out of time, or, for a run to MOS_TIME_NEVER, with nothing left. */
	k->in_run = false;
	return k->out_of_time ? MOS_ERANGE : 0;
}

int mos_kernel_step(mos_kernel_t *k, int *progressed)
{
	bool did;

	if (!k || k->in_run || k->kev.sync_depth)
		return MOS_EINVAL;
	k->in_run = true;
	did = step(k, MOS_TIME_NEVER);
	k->in_run = false;
	if (progressed)
		*progressed = did;
	return k->out_of_time ? MOS_ERANGE : 0;
}

mos_time_t mos_kernel_now(const mos_kernel_t *k) { return k ? k->now : 0; }

/* Whether a Ready process is in the run queue: nrunnable also counts the
 * ones a group's cpu.max holds out of it (seams.h), which wait for the
 * group's period timer, not for the CPU.  Only a kernel where a group has
 * been throttled can have held ones; there, a walk of the table, when
 * nothing runs and a host asks, to the first one found. */
static bool queued_ready(const mos_kernel_t *k)
{
	if (!k->stats.throttle_events)
		return true;
	for (uint32_t i = 0; i < k->pids.hi; i++) {
		const mos_proc_t *p = k->pids.slot[i];

		if (p && p->state == MOS_STATE_READY && !p->held)
			return true;
	}
	return false;
}

mos_time_t mos_kernel_next_event(const mos_kernel_t *k)
{
	mos_time_t due;

	if (!k || k->out_of_time)
		return MOS_TIME_NEVER;
	/* Only current is ever Running: without it, every runnable process
	 * is Ready. */
	if (k->current || k->need_resched || k->kev.qlen ||
	    next_due(k) <= k->now || (k->nrunnable && queued_ready(k)))
		return k->now;
	/* As step(): with nothing runnable and no timer armed, a run is over
	 * whatever the policy still has planned. */
	if (!mos__timer_heap_foreground(&k->timers))
		return MOS_TIME_NEVER;
	due = next_due(k);
	return due > k->now ? due : k->now;
}

const mos_config_t *mos_kernel_config(const mos_kernel_t *k)
{
	return k ? &k->cfg : NULL;
}

const char *mos_kernel_context_backend(const mos_kernel_t *k)
{
	return k ? k->ctx->name : NULL;
}

int mos_kernel_stats(const mos_kernel_t *k, mos_kernel_stats_t *st)
{
	if (!k || !st)
		return MOS_EINVAL;
	*st = k->stats;
	st->live_processes = k->pids.used;
	st->runnable_processes = k->nrunnable;
	mos__res_monitor_stats(k, st);
	return 0;
}

const char *mos_version(void) { return MOS_VERSION_STRING; }

static int open_hal(mos_kernel_t *k)
{
	int err;

	k->ctx = mos__ctx_backend_find(k->cfg.context_backend);
	k->clock = mos__clock_backend_find(k->cfg.clock_backend);
	k->sched = mos__sched_for(&k->cfg.sched);
	if (!k->ctx || !k->clock || !k->sched)
		return MOS_ECONFIG;
	if ((err = mos__fiber_host_init(&k->host, k->ctx, &k->alloc)) < 0)
		return err;
	if ((err = mos__stack_pool_init(&k->stacks, k->cfg.host_stack_size,
					k->cfg.stack_guard_pages, &k->alloc)) < 0)
		return err;
	mos__stack_pool_heap_first(&k->stacks);
	if ((err = k->clock->open(&k->clock_state, k->cfg.clock_speed,
				  &k->alloc)) < 0) {
		k->clock = NULL;
		return err;
	}
	return k->sched->init(&k->cfg.sched, k->cfg.seed, &k->alloc, &k->rq);
}

int mos_kernel_create(const mos_config_t *cfg, mos_kernel_t **out,
		      mos_error_t *diag)
{
	mos_allocator_t alloc;
	mos_kernel_t *k;
	mos_config_t def;
	int err;

	mos__error_clear(diag);
	if (!out)
		return mos__error_path(diag, MOS_EINVAL, "kernel", NULL,
				       "no place for the kernel (k is NULL)");
	*out = NULL;
	if (!cfg) {
		mos_config_default(&def);
		cfg = &def;
	}
	if (mos_config_validate(cfg, diag) < 0)
		return MOS_ECONFIG;
	alloc = mos__alloc_resolve(&cfg->alloc);
	if (!(k = mos__calloc(&alloc, 1, sizeof(*k))))
		return mos__error_path(diag, MOS_ENOMEM, "kernel", NULL,
				       "out of memory for the kernel object");
	k->cfg = *cfg;
	k->alloc = alloc;
	for (int i = 0; i < MOS_SYS_COUNT && cfg->enable_process_accounting; i++)
		if (cfg->res.syscall_cost[i])
			k->sys_costs = true;
	mos__rng_seed(&k->rng, cfg->seed);
	mos_list_init(&k->history);
	mos__pcb_pool_init(&k->pcbs, &k->alloc);
	mos__timer_heap_init(&k->timers, &k->alloc);
	if ((err = open_hal(k)) < 0 ||
	    (err = mos__trace_init(&k->trace, cfg->trace_capacity,
				   &k->alloc)) < 0 ||
	    (err = mos__programs_builtin(k)) < 0 ||
	    (err = mos__res_kernel_init(k, &k->res)) < 0 ||
	    (err = mos__proc_table_init(k)) < 0 ||
	    /* The heap's array exists from here on, so a create that fails
	     * after growing it leaves capacity behind, never a new block. */
	    (err = mos__kernel_reserve_timer(k)) < 0) {
		mos_kernel_destroy(k);
		return mos__error_path(diag, err, "kernel", NULL,
				       "setting up the kernel: %s",
				       mos_strerror(err));
	}
	*out = k;
	return 0;
}

void mos_kernel_destroy(mos_kernel_t *k)
{
	mos_allocator_t alloc;

	if (!k)
		return;
	for (int i = MOS_SUBSYS_COUNT; i-- > 0;)
		if (k->subsys[i]) {
			k->subsys_fini[i](k, k->subsys[i]);
			k->subsys[i] = NULL;
		}
	/* The heap's fini disarms nodes that live inside control blocks. */
	mos__timer_heap_fini(&k->timers);
	mos__proc_table_fini(k);
	mos__res_kernel_fini(k, k->res);
	mos__pcb_pool_fini(&k->pcbs);
	mos__programs_free(&k->programs, &k->alloc);
	mos__kev_fini(k);
	mos__trace_fini(&k->trace, &k->alloc);
	if (k->rq)
		k->sched->fini(k->rq, &k->alloc);
	if (k->clock)
		k->clock->close(k->clock_state);
	mos__stack_pool_fini(&k->stacks);
	if (k->ctx)
		mos__fiber_host_fini(&k->host, &k->alloc);
	alloc = k->alloc; /* the kernel object holds it until freed */
	mos__free(&alloc, k);
}

static void dump_table(const mos_kernel_t *k)
{
	fprintf(stderr, "  now %llu ns, current pid %d\n",
		(unsigned long long)k->now, k->current ? k->current->pid : 0);
	for (uint32_t i = 0; i < k->pids.hi; i++) {
		const mos_proc_t *p = k->pids.slot[i];
		if (p)
			fprintf(stderr, "  pid %-6d ppid %-6d %-10s %s\n", p->pid,
				p->ppid, mos_state_name(p->state), p->cold.argv[0]);
	}
}

void mos__panic(const mos_kernel_t *k, const char *fmt, ...)
{
	va_list ap;

	fputs("multios: kernel panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (k && k->pids.slot)
		dump_table(k);
	abort();
}
