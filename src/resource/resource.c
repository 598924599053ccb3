/*
 * src/resource/resource.c - the resources subsystem's frame: the kernel's
 * resource state, a process's life (check, fork, born, exit, release) run
 * through each module's hooks, violations, and the usage query.
 *
 * The subsystem owns everything of multios/resource.h: accounting
 * (rusage.c here), limits (limits.c), the memory manager (mem.c),
 * descriptors over the in-memory namespace (fd.c, fs.c), the block device
 * (dev.c), CPU limits and bandwidth (cpu.c), groups (group.c) and
 * monitoring (monitor.c).  It sees processes only through the kernel's
 * seams (src/kernel/seams.h) and keeps its state in the per-process
 * mos_res_proc_t the control block embeds and in mos_res_kernel_t.
 */
#include <string.h>

#include "res_local.h"
#include "signal/signal_int.h"
#include "util/alloc.h"

extern const mos_res_module_t mos__res_mem_module;
extern const mos_res_module_t mos__res_fd_module;
extern const mos_res_module_t mos__res_dev_module;
extern const mos_res_module_t mos__res_cpu_module;
extern const mos_res_module_t mos__res_group_module;
extern const mos_res_module_t mos__res_limits_module;
extern const mos_res_module_t mos__res_monitor_module;

/* In this order; exit and release go the other way.  The group module is
 * first: the others charge the group fork put the process in. */
static const mos_res_module_t *const modules[] = {
	&mos__res_group_module, &mos__res_limits_module, &mos__res_mem_module,
	&mos__res_fd_module,    &mos__res_dev_module,    &mos__res_cpu_module,
	&mos__res_monitor_module, /* last: its fini stops the sampler first */
};
#define NMODULES (sizeof(modules) / sizeof(modules[0]))
_Static_assert(NMODULES <= sizeof(((mos_res_hooks_t *)0)->lazy),
	       "mos_res_hooks_t holds every module");

/* Module m's hook of a phase, as a life hook (fork's is stored apart). */
static void (*life_hook(const mos_res_module_t *m, int phase))(mos_kernel_t *,
							       mos_proc_t *)
{
	return phase == MOS_RES_BORN ? m->born
	       : phase == MOS_RES_EXIT ? m->exit
				       : m->release;
}

static void add(mos_res_hooks_t *d, const mos_res_module_t *m, int ph)
{
	d->lazy[d->n] = m->lazy;
	if (ph == MOS_RES_FORK)
		d->fn[d->n].fork = m->fork;
	else
		d->fn[d->n].life = life_hook(m, ph);
	d->n++;
}

static void gather(mos_res_kernel_t *r)
{
	for (int ph = 0; ph < MOS_RES_PHASES; ph++) {
		bool back = ph >= MOS_RES_EXIT; /* exit, release: reverse */

		for (size_t j = 0; j < NMODULES; j++) {
			const mos_res_module_t *m =
				modules[back ? NMODULES - 1 - j : j];

			if (ph == MOS_RES_FORK ? !m->fork : !life_hook(m, ph))
				continue;
			add(&r->hooks[ph][0], m, ph);
			if (!m->lazy)
				add(&r->hooks[ph][1], m, ph);
			if (ph == MOS_RES_FORK)
				r->inherit |= m->lazy;
		}
	}
}

/* p's hooks of a phase: those of the modules it touched, and the eager. */
static const mos_res_hooks_t *hooks(mos_kernel_t *k, int ph,
				    const mos_res_proc_t *rp)
{
	return &mos__kernel_res(k)->hooks[ph][rp->touched == 0];
}

/* Run a phase's life hooks for p. */
static void run(mos_kernel_t *k, int ph, mos_proc_t *p)
{
	const mos_res_proc_t *rp = mos__res(p);
	const mos_res_hooks_t *h = hooks(k, ph, rp);

	for (unsigned i = 0; i < h->n; i++) /* a hook may touch: reread */
		if (!h->lazy[i] || (rp->touched & h->lazy[i]))
			h->fn[i].life(k, p);
}

int mos__res_kernel_init(mos_kernel_t *k, mos_res_kernel_t **out)
{
	const mos_allocator_t *a = mos__kernel_alloc(k);
	mos_res_kernel_t *r = mos__calloc(a, 1, sizeof(*r));
	size_t i;
	int err = 0;

	if (!r)
		return MOS_ENOMEM;
	r->k = k;
	gather(r);
	for (i = 0; i < NMODULES; i++)
		if (modules[i]->kernel_init &&
		    (err = modules[i]->kernel_init(k, r)) < 0)
			break;
	if (err < 0) {
		while (i-- > 0)
			if (modules[i]->kernel_fini)
				modules[i]->kernel_fini(k, r);
		mos__free(a, r);
		return err;
	}
	*out = r;
	return 0;
}

void mos__res_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	if (!r)
		return;
	for (size_t i = NMODULES; i-- > 0;)
		if (modules[i]->kernel_fini)
			modules[i]->kernel_fini(k, r);
	mos__free(mos__kernel_alloc(k), r);
}

static void default_limits(const mos_config_t *c, mos_rlimits_t *l)
{
	mos_rlimits_init(l);
	l->max_memory = c->default_memory_limit;
	l->max_stack_size = c->default_stack_size;
	l->max_file_descriptors = c->default_file_descriptor_limit;
}

void mos__res_init_root(mos_kernel_t *k, mos_proc_t *init)
{
	mos_res_proc_t *rp = mos__res(init);

	default_limits(mos__kernel_config(k), &rp->soft);
	rp->hard = rp->soft;
	rp->group = mos__kernel_res(k)->groups[0];
	mos_list_push_back(&rp->group->procs, &rp->group_node);
	rp->counted = true;
	rp->group->pids++;
	mos__res_limits_count_init(k, init);
}

int mos__res_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent)
{
	mos_res_proc_t *rp = mos__res(p), *pp = mos__res(parent);
	const mos_res_hooks_t *h;
	int err;

	rp->soft = pp->soft;
	rp->hard = pp->hard;
	rp->touched = pp->touched & mos__kernel_res(k)->inherit;
	h = hooks(k, MOS_RES_FORK, rp);
	for (unsigned i = 0; i < h->n; i++)
		if ((!h->lazy[i] || (rp->touched & h->lazy[i])) &&
		    (err = h->fn[i].fork(k, p, parent)) < 0)
			return err; /* release undoes what the others did */
	return 0;
}

void mos__res_born(mos_kernel_t *k, mos_proc_t *p)
{
	mos__res(p)->counted = true;
	run(k, MOS_RES_BORN, p);
}

void mos__res_exit(mos_kernel_t *k, mos_proc_t *p)
{
	run(k, MOS_RES_EXIT, p);
}

void mos__res_release(mos_kernel_t *k, mos_proc_t *p)
{
	run(k, MOS_RES_RELEASE, p);
	mos__res(p)->counted = false;
}

bool mos__res_accounting(const mos_kernel_t *k, const mos_proc_t *p)
{
	return mos__kernel_config(k)->enable_process_accounting &&
	       !(mos__proc_flags(p) & MOS_PROC_NO_ACCOUNT);
}

void mos__res_violation(mos_kernel_t *k, mos_proc_t *p, unsigned what,
			uint64_t value, uint64_t limit)
{
	mos_kevent_t ev = {
		.type = MOS_KEV_LIMIT, .pid = mos__proc_pid(p),
		.from = mos__proc_state(p), .to = mos__proc_state(p),
		.status = (int)what, .a = value, .b = limit,
	};

	mos__res(p)->violations++;
	mos__kernel_stats(k)->limit_violations++;
	mos__trace_emit(k, MOS_TRACE_LIMIT, mos__proc_pid(p), (uint8_t)what,
			value, limit);
	mos__kev_emit(k, &ev, p);
}

/* ---- usage ----------------------------------------------------------- */

static void fill_usage(mos_kernel_t *k, mos_proc_t *p, mos_rusage_t *u)
{
	const mos_process_times_t *t = mos__proc_times(p);
	const mos_res_proc_t *rp = mos__res(p);

	memset(u, 0, sizeof(*u));
	u->cpu_user = t->cpu_user;
	u->cpu_system = t->cpu_system;
	u->cpu_total = t->cpu_user + t->cpu_system;
	u->voluntary_switches = t->voluntary_switches;
	u->involuntary_switches = t->involuntary_switches;
	u->signals = mos__proc_sigcold(p)->stats;
	u->limit_violations = rp->violations;
	u->group = mos__res_group_of(k, p)->id;
	u->ioprio = rp->io.ioprio ? rp->io.ioprio : MOS_IOPRIO_DEFAULT;
	if (!mos__res_accounting(k, p))
		return;
	for (size_t i = 0; i < NMODULES; i++)
		if (modules[i]->fill)
			modules[i]->fill(rp, u);
}

int mos_process_get_stats(mos_kernel_t *k, mos_pid_t pid, mos_rusage_t *usage)
{
	mos_proc_t *p;

	if (!k || !usage)
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_find_any(k, pid)))
		return MOS_EPROCNOTFOUND;
	fill_usage(k, p, usage);
	return 0;
}

int mos_sys_getrusage(mos_proc_t *self, mos_rusage_t *usage)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_GETRUSAGE);

	if (!usage)
		return MOS_EINVAL;
	fill_usage(k, self, usage);
	return 0;
}
