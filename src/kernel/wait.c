/*
 * src/kernel/wait.c - wait channels: how a process blocks and is woken.
 *
 * A Blocked process waits on at most one channel (src/kernel/seams.h) and
 * at most one timeout, its own timer; whichever comes first ends the wait
 * and the other is undone, so a wake-up and a timeout at the same instant
 * cannot both count.  The waiters of a channel are a FIFO list, so who is
 * woken first never depends on addresses.  The result of the wait travels
 * in the control block from the waker to the blocked call.
 */
#include "kernel_int.h"
#include "util/timemath.h"

int mos__wait(mos_proc_t *p, mos_wchan_t *c, mos_time_t timeout,
	      unsigned flags, mos_cause_t cause)
{
	mos_kernel_t *k = p->k;

	if (timeout != MOS_TIME_NEVER) {
		mos_time_t due;

		if (!mos__time_add(k->now, timeout, &due))
			return MOS_ERANGE;
		mos__timer_arm(&k->timers, &p->timer, due, MOS_BAND_WAKE);
	}
	mos__proc_block(k, p, c, flags, cause);
	mos__kernel_block_switch(k, p);
	return p->wait_result;
}

void mos__proc_block(mos_kernel_t *k, mos_proc_t *p, mos_wchan_t *c,
		     unsigned flags, mos_cause_t cause)
{
	p->wchan = c;
	if (c)
		mos_list_push_back(&c->waiters, &p->cold.wait_node);
	p->wait_flags = (uint8_t)(flags | MOS__WAITING);
	p->wait_result = MOS_ETIMEDOUT; /* what the timer's end leaves */
	p->t.voluntary_switches++;
	mos__proc_set_state(k, p, MOS_STATE_BLOCKED, cause);
	mos__kernel_put_current(k, MOS_PUT_SLEEP);
}

/* Undo p's wait without waking it: a death, or the first half of a wake. */
void mos__wait_abandon(mos_kernel_t *k, mos_proc_t *p)
{
	mos__timer_cancel(&k->timers, &p->timer);
	if (p->wchan)
		mos_list_remove(&p->cold.wait_node);
	p->wchan = NULL;
	p->wait_flags = 0;
}

void mos__wait_end(mos_kernel_t *k, mos_proc_t *p, int result,
		   mos_cause_t cause)
{
	mos__wait_abandon(k, p);
	p->wait_result = result;
	if (p->state == MOS_STATE_SUSPENDED)
		p->wake_pending = true;
	else if (p->state == MOS_STATE_BLOCKED)
		mos__kernel_make_ready(k, p, MOS_ENQ_WAKE, cause);
}

bool mos__wchan_wake_one(mos_kernel_t *k, mos_wchan_t *c, int result)
{
	if (mos_list_empty(&c->waiters))
		return false;
	mos__wait_end(k, mos_container_of(c->waiters.next, mos_proc_t,
					  cold.wait_node),
		      result, MOS_CAUSE_WAKE);
	return true;
}

uint32_t mos__wchan_wake_all(mos_kernel_t *k, mos_wchan_t *c, int result)
{
	uint32_t n = 0;

	/* Each wake unlinks the head: a waker cannot add waiters meanwhile
	 * (the woken are Ready, not running). */
	while (mos__wchan_wake_one(k, c, result))
		n++;
	return n;
}

int mos__wait_cancel(mos_kernel_t *k, mos_proc_t *p, int code)
{
	if (!(p->wait_flags & MOS__WAITING))
		return MOS_EINVALSTATE;
	if (!(p->wait_flags & MOS_WAIT_INTERRUPTIBLE))
		return MOS_EPERM;
	mos__wait_end(k, p, code, MOS_CAUSE_INTERRUPT);
	return 0;
}
