/*
 * src/kernel/syscall.c - system calls for simulated programs.
 *
 * A syscall runs on the calling process's coroutine.  Calls that complete
 * at once (spawn, getpid, a wait that finds a zombie) just return.  Calls
 * that give up the CPU record what they want (p->req, or a Blocked state)
 * and switch to the kernel on the host stack, which acts on it and switches
 * back when the call completes.  A call that made a more urgent process
 * Ready is a preemption point: the caller goes back to the head of its
 * queue, as a Unix kernel reschedules on return from a system call.
 */
#include <stdlib.h>

#include "kernel_int.h"
#include "util/timemath.h"

static void to_kernel(mos_proc_t *p)
{
	mos__fiber_switch(&p->fiber, &p->k->host);
}

/*
 * A system call's cost (cfg.res.syscall_cost[nr], multios/sysno.h) is
 * CPU time the caller burns on entry, before the call does anything:
 * a burst like compute's, preemptible and sliced like it, accounted as
 * system time (account() in kernel.c reads in_system).  A signal that
 * cuts it is taken at that instant, as compute takes it, and the rest
 * of the cost is burned after.  Not for a process with accounting off
 * (MOS_PROC_NO_ACCOUNT; the kernel-wide switch clears k->sys_costs).
 */
static void __attribute__((noinline, cold)) burn_system(mos_proc_t *p,
							mos_sysno_t nr)
{
	mos_time_t left = p->k->cfg.res.syscall_cost[nr], end;

	if (!left || (p->flags & MOS_PROC_NO_ACCOUNT) ||
	    !mos__time_add(p->k->now, left, &end))
		return;
	while (left) {
		p->burst_left = left;
		p->req = MOS_REQ_COMPUTE;
		p->in_system = true;
		to_kernel(p);
		p->in_system = false;
		if ((left = p->burst_left))
			mos__sig_deliver(p);
	}
}

/* The kernel must not be entered from outside a coroutine with these.
 * nr is the call's number: with every cost 0 (the default) its cost is
 * one predictable branch. */
static inline mos_proc_t *enter(mos_proc_t *p, mos_sysno_t nr)
{
	if (!p || p->k->on_cpu != p)
		mos__panic(p ? p->k : NULL,
			   "a syscall was made outside its process");
	p->t.syscalls++;
	p->k->stats.syscalls++;
	if (__builtin_expect(p->k->sys_costs, 0))
		burn_system(p, nr);
	return p;
}

/* Signals ready for p take effect before its call returns (src/signal/):
 * one test of the pending and mask word on the way out. */
static inline int sys_return(mos_proc_t *p, int rc)
{
	if (__builtin_expect(mos__sig_ready(&p->sig), 0))
		mos__sig_deliver(p);
	return rc;
}

static void preemption_point(mos_proc_t *p)
{
	if (p->k->need_resched) {
		p->req = MOS_REQ_PREEMPT;
		to_kernel(p);
	}
}

mos_kernel_t *mos__sys_enter(mos_proc_t *self, mos_sysno_t nr)
{
	return enter(self, nr)->k;
}

int mos__sys_leave(mos_proc_t *self, int rc) { return sys_return(self, rc); }

static const char *const syscall_names[] = {
#define MOS__SYS_STR(name, str) str,
	MOS_SYSCALL_MAP(MOS__SYS_STR)
#undef MOS__SYS_STR
};

const char *mos_syscall_name(mos_sysno_t nr)
{
	return (unsigned)nr < MOS_SYS_COUNT ? syscall_names[nr] : NULL;
}

mos_proc_t *mos__sys_self(mos_proc_t *self, mos_sysno_t nr)
{
	return enter(self, nr);
}

void mos__sys_preemption_point(mos_proc_t *self) { preemption_point(self); }

/* A signal for a computing process cuts its burst at that instant (the
 * run loop switches back here with the rest in burst_left); its handlers
 * run, and may compute themselves, then the rest of the burst goes on. */
static int burn_user(mos_proc_t *p, mos_time_t d)
{
	mos_time_t end, left = d;

	if (!mos__time_add(p->k->now, d, &end))
		return MOS_ERANGE;
	while (left) {
		p->burst_left = left;
		p->req = MOS_REQ_COMPUTE;
		to_kernel(p);
		if ((left = p->burst_left))
			mos__sig_deliver(p);
	}
	return 0;
}

int mos__sys_burn(mos_proc_t *self, mos_time_t d)
{
	return burn_user(self, d);
}

int mos_sys_compute(mos_proc_t *self, mos_time_t d)
{
	mos_proc_t *p = enter(self, MOS_SYS_COMPUTE);
	int err = burn_user(p, d);

	return err ? err : sys_return(p, 0);
}

int mos_sys_sleep(mos_proc_t *self, mos_time_t d)
{
	int err = mos__wait(enter(self, MOS_SYS_SLEEP), NULL, d, MOS_WAIT_INTERRUPTIBLE,
			    MOS_CAUSE_SLEEP);

	/* Forever arms no timer: it keeps no run going.  The timeout is the
	 * ordinary end of a sleep. */
	return sys_return(self, err == MOS_ETIMEDOUT ? 0 : err);
}

int mos_sys_yield(mos_proc_t *self)
{
	mos_proc_t *p = enter(self, MOS_SYS_YIELD);

	if (!mos__kernel_yield_direct(p->k, p)) {
		p->req = MOS_REQ_YIELD;
		to_kernel(p);
	}
	return sys_return(p, 0);
}

static _Noreturn void die_here(mos_proc_t *p, int status, mos_cause_t cause)
{
	mos__proc_die(p->k, p, status, cause);
	mos__fiber_exit_to(&p->fiber, &p->k->host);
}

void mos_sys_exit(mos_proc_t *self, int status)
{
	die_here(enter(self, MOS_SYS_EXIT), MOS_W_EXITCODE(status, 0), MOS_CAUSE_EXIT);
}

static int spawn(mos_proc_t *p, mos_priority_t prio, const char *const *command,
		 mos_pid_t *pid)
{
	mos_process_spec_t spec;
	int err;

	mos_process_spec_init(&spec);
	spec.parent = p->pid;
	spec.priority = prio;
	spec.prio_class = p->prio_class;
	spec.command = command;
	spec.working_directory = p->cold.cwd;
	spec.environment = (const char *const *)p->cold.envp;
	if ((err = mos__proc_create(p->k, &spec, p, pid)) < 0)
		return err;
	preemption_point(p);
	return sys_return(p, 0);
}

int mos_sys_spawn(mos_proc_t *self, const char *const *command, mos_pid_t *pid)
{
	mos_proc_t *p = enter(self, MOS_SYS_SPAWN);
	return spawn(p, p->priority, command, pid);
}

int mos_sys_waitpid(mos_proc_t *self, mos_pid_t pid, int *status, int options)
{
	mos_proc_t *p = enter(self, MOS_SYS_WAITPID);
	mos_kernel_t *k = p->k;
	int err;

	if (pid == INT32_MIN ||
	    (options & ~(MOS_WNOHANG | MOS_WUNTRACED | MOS_WCONTINUED)))
		return MOS_EINVAL;
	for (;;) {
		bool has_child;
		mos_proc_t *c = mos__proc_waitable(p, pid, options, &has_child);

		if (c && c->state != MOS_STATE_ZOMBIE) {
			/* A stop or a continue, reported once. */
			if (status)
				*status = c->cold.report;
			c->cold.report = 0;
			return sys_return(p, c->pid);
		}
		if (c)
			return sys_return(p, mos__proc_reap(k, c, status));
		if (!has_child)
			return MOS_ECHILD;
		if (options & MOS_WNOHANG)
			return 0;
		p->cold.wait_pid = pid;
		p->cold.wait_options = options;
		if ((err = mos__wait(p, &p->cold.child_exit, MOS_TIME_NEVER,
				     MOS_WAIT_INTERRUPTIBLE, MOS_CAUSE_WAIT)) < 0)
			return sys_return(p, err);
	}
}

int mos_sys_wait(mos_proc_t *self, int *status)
{
	return mos_sys_waitpid(self, -1, status, 0);
}

mos_pid_t mos_sys_getpid(mos_proc_t *self) { return enter(self, MOS_SYS_GETPID)->pid; }
mos_pid_t mos_sys_getppid(mos_proc_t *self) { return enter(self, MOS_SYS_GETPPID)->ppid; }
mos_time_t mos_sys_now(mos_proc_t *self) { return enter(self, MOS_SYS_NOW)->k->now; }
void *mos_sys_state(mos_proc_t *self) { return enter(self, MOS_SYS_STATE)->cold.prog_state; }
uint64_t mos_sys_random(mos_proc_t *self)
{
	return mos__rng_next(&enter(self, MOS_SYS_RANDOM)->k->rng);
}

int mos_sys_sched_hint(mos_proc_t *self, mos_time_t next_burst)
{
	mos_proc_t *p = enter(self, MOS_SYS_SCHED_HINT);

	/* Takes effect at the next scheduling decision: a hint is usually
	 * given just before blocking, and must not cost a switch of its own. */
	p->attr.burst = next_burst;
	p->se.burst = next_burst;
	return 0;
}

int mos_sys_create_process(mos_proc_t *self, mos_priority_t priority,
			   const char *const *command, mos_pid_t *pid)
{
	mos_proc_t *p = enter(self, MOS_SYS_CREATE_PROCESS);

	if ((unsigned)priority >= MOS_PRIO_COUNT)
		return MOS_EINVALPRIO;
	if (!mos__cred_may_create(p, priority))
		return mos__cred_deny(p->k, p, MOS_AUDIT_CREATE, p->pid, priority);
	return spawn(p, priority, command, pid);
}

int mos_sys_terminate_process(mos_proc_t *self, mos_pid_t pid)
{
	mos_proc_t *p = enter(self, MOS_SYS_TERMINATE_PROCESS), *target;
	int err;

	if ((err = mos__proc_find_live(p->k, pid, &target)) < 0)
		return err;
	if (!mos__cred_may_see(p, target))
		return MOS_EPROCNOTFOUND;
	if (!mos__cred_may_signal(p, target, MOS_SIGTERM))
		return mos__cred_deny(p->k, p, MOS_AUDIT_SIGNAL, pid, MOS_SIGTERM);
	if ((err = mos__proc_terminate(p->k, p, target, false)) < 0)
		return err;
	preemption_point(p);
	return sys_return(p, 0);
}

int mos_sys_trace_mark(mos_proc_t *self, const char *label)
{
	mos_proc_t *p = enter(self, MOS_SYS_TRACE_MARK);
	uint32_t id;
	int err = mos_trace_label(p->k, label, &id);

	if (err < 0)
		return err;
	mos__trace_emit(p->k, MOS_TRACE_MARK, p->pid, 0, id, 0);
	return 0;
}

int mos_sys_get_process_info(mos_proc_t *self, mos_pid_t pid,
			     mos_process_info_t *info)
{
	mos_proc_t *p = enter(self, MOS_SYS_GET_PROCESS_INFO);

	return mos__proc_get_info(p->k, p, pid, info);
}
