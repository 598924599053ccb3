/*
 * src/kernel/proc_access.c - the process seams (src/kernel/seams.h): what
 * subsystems built on the kernel may know of a process and do to it.
 *
 * Each is a line or two; under LTO they inline into their callers, so a
 * subsystem pays nothing for not seeing the control block.
 */
#include "kernel_int.h"

mos_kernel_t *mos__proc_kernel(const mos_proc_t *p) { return p->k; }
mos_pid_t mos__proc_pid(const mos_proc_t *p) { return p->pid; }
mos_proc_state_t mos__proc_state(const mos_proc_t *p) { return p->state; }
bool mos__proc_is_init(const mos_proc_t *p) { return p == p->k->init; }

mos_proc_t *mos__proc_find(mos_kernel_t *k, mos_pid_t pid)
{
	return mos__proc_lookup(k, pid);
}

mos_proc_t *mos__kernel_on_cpu(const mos_kernel_t *k) { return k->on_cpu; }

const mos_allocator_t *mos__kernel_alloc(const mos_kernel_t *k)
{
	return &k->alloc;
}

bool mos__host_call(mos_kernel_t *k) { return mos__host_may_change(k); }

void mos__host_clock_sync(mos_kernel_t *k) { mos__kernel_clock_sync(k); }

struct mos_sighot *mos__proc_sighot(mos_proc_t *p) { return &p->sig; }
struct mos_sigcold *mos__proc_sigcold(mos_proc_t *p) { return &p->cold.sig; }
struct mos_res_proc *mos__proc_res(mos_proc_t *p) { return &p->cold.res; }
struct mos_res_kernel *mos__kernel_res(const mos_kernel_t *k) { return k->res; }
const mos_config_t *mos__kernel_config(const mos_kernel_t *k) { return &k->cfg; }
mos_kernel_stats_t *mos__kernel_stats(mos_kernel_t *k) { return &k->stats; }
const mos_process_times_t *mos__proc_times(const mos_proc_t *p) { return &p->t; }
mos_time_t mos__proc_state_since(const mos_proc_t *p) { return p->state_since; }
uint32_t mos__proc_flags(const mos_proc_t *p) { return p->flags; }
mos_uid_t mos__proc_ruid(const mos_proc_t *p) { return p->cold.cred.ruid; }
mos_uid_t mos__proc_euid(const mos_proc_t *p) { return p->cold.cred.euid; }
mos_gid_t mos__proc_egid(const mos_proc_t *p) { return p->cold.cred.egid; }

void mos__proc_kill(mos_kernel_t *k, mos_proc_t *p, int status)
{
	mos__proc_die(k, p, status, MOS_CAUSE_KILL);
}

_Noreturn void mos__proc_exit_self(mos_proc_t *p, int status)
{
	mos__proc_die(p->k, p, status, MOS_CAUSE_KILL);
	mos__fiber_exit_to(&p->fiber, &p->k->host);
}

void mos__proc_cpu_watch(mos_proc_t *p, bool on) { p->cpu_watch = on; }

void mos__proc_reweight(mos_kernel_t *k, mos_proc_t *p, uint64_t scale)
{
	bool picked = k->current == p;
	bool queued = !picked && p->state == MOS_STATE_READY && !p->held;
	bool runnable = queued || (picked && p->state == MOS_STATE_RUNNING);

	if (k->sched->reweight)
		k->sched->reweight(k->rq, p, scale, runnable, queued);
}

void *mos__kernel_subsys(const mos_kernel_t *k, mos_subsys_t id)
{
	return k->subsys[id];
}

void mos__kernel_subsys_set(mos_kernel_t *k, mos_subsys_t id, void *state,
			    void (*fini)(mos_kernel_t *k, void *state))
{
	if (k->subsys[id])
		mos__panic(k, "subsystem slot %d set twice", (int)id);
	k->subsys[id] = state;
	k->subsys_fini[id] = fini;
}

void **mos__proc_subsys(mos_proc_t *p, mos_subsys_t id)
{
	return &p->cold.subsys[id];
}

void mos__kernel_subsys_hooks(mos_kernel_t *k, mos_subsys_t id,
			      void (*on_exit)(mos_kernel_t *k, mos_proc_t *p,
					      void *state))
{
	k->subsys_exit[id] = on_exit;
}

bool mos__kernel_has_program(const mos_kernel_t *k, const char *name)
{
	return mos__program_find(k->programs, name) != NULL;
}
