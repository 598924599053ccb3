/*
 * src/kernel/priority.c - changing a live process's priority
 * (mos_process_set_priority, mos_sys_set_priority).
 *
 * The policy in force is told through its reprio hook (src/sched/sched.h)
 * when the process is in its runnable set: a queued one is moved at once,
 * the running one's new priority is read when it goes back.  A process
 * outside the set (New, Blocked, Suspended) needs nothing: a policy reads
 * the priority when it enqueues.  Then the kernel's usual preemption
 * check, so that whoever is now more urgent runs from this instant.
 */
#include "kernel_int.h"

static void change(mos_kernel_t *k, mos_proc_t *p, mos_priority_t prio)
{
	mos_priority_t old = p->priority;
	bool picked = k->current == p;

	if (prio == old)
		return;
	p->priority = prio;
	if (!picked && (p->state != MOS_STATE_READY || p->held))
		return;
	if (k->sched->reprio(k->rq, p, (int)old, !picked, k->now))
		mos__kernel_check_preempt(k);
}

/* The process whose priority viewer (NULL: the host) asks to change. */
static int target_of(mos_kernel_t *k, const mos_proc_t *viewer, mos_pid_t pid,
		     mos_priority_t prio, mos_proc_t **out)
{
	mos_proc_t *p;
	int err;

	if ((unsigned)prio >= MOS_PRIO_COUNT)
		return MOS_EINVALPRIO;
	if ((err = mos__proc_find_live(k, pid, &p)) < 0)
		return err;
	if (!mos__cred_may_see(viewer, p))
		return MOS_EPROCNOTFOUND;
	if (p == k->init)
		return MOS_EPERM;
	if (p->state >= MOS_STATE_TERMINATED)
		return MOS_EINVALSTATE;
	*out = p;
	return 0;
}

int mos_process_set_priority(mos_kernel_t *k, mos_pid_t pid,
			     mos_priority_t prio)
{
	mos_proc_t *p;
	int err;

	if (!k || !mos__host_may_change(k))
		return MOS_EINVAL;
	mos__kernel_clock_sync(k);
	if ((err = target_of(k, NULL, pid, prio, &p)) < 0)
		return err;
	change(k, p, prio);
	return 0;
}

int mos_sys_set_priority(mos_proc_t *self, mos_pid_t pid, mos_priority_t prio)
{
	mos_proc_t *p = mos__sys_self(self, MOS_SYS_SET_PRIORITY), *t;
	int err;

	if ((err = target_of(p->k, p, pid ? pid : p->pid, prio, &t)) < 0)
		return err;
	if (!mos__cred_may_prio(p, t, prio))
		return mos__cred_deny(p->k, p, MOS_AUDIT_PRIORITY, t->pid, prio);
	change(p->k, t, prio);
	mos__sys_preemption_point(p);
	return 0;
}
