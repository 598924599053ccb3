/*
 * src/resource/group.c - resource groups, with cgroup v2's semantics: a
 * tree under the root group 0; a process in exactly one group, a child
 * starting in its parent's; a group's counters cover everything under
 * it, and its limits apply to everything under it.  This file keeps the
 * tree, the membership and the process counts (pids.max); memory.max is
 * enforced by mem.c, cpu.max and cpu.weight by cpu.c, io.max by dev.c.
 *
 * Groups are never removed (a group id stays valid for the kernel's
 * life); ids count from 1 in order of creation.
 */
#include <stdio.h>
#include <string.h>

#include "res_local.h"
#include "util/alloc.h"

#define MAX_GROUPS 65536
#define MIN_PERIOD MOS_MSEC
#define MAX_PERIOD MOS_SEC
#define MAX_WEIGHT 10000

void mos_group_limits_init(mos_group_limits_t *l)
{
	if (!l)
		return;
	l->memory_max = MOS_RLIM_INFINITY;
	l->pids_max = MOS_RLIM32_INFINITY;
	l->cpu_quota = MOS_TIME_NEVER;
	l->cpu_period = 100 * MOS_MSEC;
	l->cpu_weight = 100;
	l->io_read_bps = MOS_RLIM_INFINITY;
	l->io_write_bps = MOS_RLIM_INFINITY;
}

static mos_rgroup_t *group_new(mos_res_kernel_t *r, mos_rgroup_t *parent,
			       const char *name)
{
	const mos_allocator_t *a = mos__kernel_alloc(r->k);
	mos_rgroup_t *g;

	if (r->ngroups == r->group_cap) {
		uint32_t cap = r->group_cap ? r->group_cap * 2 : 8;
		mos_rgroup_t **v = mos__realloc_array(a, r->groups, cap,
						      sizeof(*v));
		if (!v)
			return NULL;
		r->groups = v;
		r->group_cap = cap;
	}
	if (!(g = mos__calloc(a, 1, sizeof(*g))))
		return NULL;
	g->id = r->ngroups;
	g->parent = parent;
	snprintf(g->name, sizeof(g->name), "%s", name);
	mos_group_limits_init(&g->limits);
	mos_list_init(&g->procs);
	mos_list_init(&g->children);
	r->groups[r->ngroups++] = g;
	if (parent) {
		parent->nchildren++;
		mos_list_push_back(&parent->children, &g->sibling);
	}
	return g;
}

static int group_kernel_init(mos_kernel_t *k, mos_res_kernel_t *r)
{
	if (group_new(r, NULL, ""))
		return 0;
	mos__free(mos__kernel_alloc(k), r->groups);
	return MOS_ENOMEM;
}

static void group_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	const mos_allocator_t *a = mos__kernel_alloc(k);

	for (uint32_t i = 0; i < r->ngroups; i++)
		mos__free(a, r->groups[i]);
	mos__free(a, r->groups);
}

mos_rgroup_t *mos__res_group_of(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	return rp->group ? rp->group : mos__kernel_res(k)->groups[0];
}

mos_rgroup_t *mos__rgroup_memory_over(mos_rgroup_t *g, uint64_t add)
{
	for (; g; g = g->parent)
		if (g->limits.memory_max != MOS_RLIM_INFINITY &&
		    (add > g->limits.memory_max ||
		     g->memory > g->limits.memory_max - add))
			return g;
	return NULL;
}

mos_rgroup_t *mos__rgroup_pids_over(mos_rgroup_t *g, uint32_t add)
{
	for (; g; g = g->parent)
		if (g->limits.pids_max != MOS_RLIM32_INFINITY &&
		    (uint64_t)g->pids + add > g->limits.pids_max)
			return g;
	return NULL;
}

void mos__rgroup_memory_charge(mos_rgroup_t *g, uint64_t bytes)
{
	for (; g; g = g->parent) {
		g->memory += bytes;
		if (g->memory > g->memory_peak)
			g->memory_peak = g->memory;
	}
}

void mos__rgroup_memory_uncharge(mos_rgroup_t *g, uint64_t bytes)
{
	for (; g; g = g->parent)
		g->memory -= bytes;
}

static void pids_charge(mos_rgroup_t *g, int delta)
{
	for (; g; g = g->parent)
		g->pids += (uint32_t)delta;
}

/* ---- a process's membership ------------------------------------------- */

static int group_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent)
{
	mos_res_proc_t *rp = mos__res(p);

	rp->group = mos__res_group_of(k, parent);
	mos_list_push_back(&rp->group->procs, &rp->group_node);
	return 0;
}

static void group_born(mos_kernel_t *k, mos_proc_t *p)
{
	(void)k;
	pids_charge(mos__res(p)->group, 1);
}

static void group_release(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	(void)k;
	if (!rp->group)
		return;
	if (rp->counted)
		pids_charge(rp->group, -1);
	mos_list_remove(&rp->group_node);
	/* Its last values stay readable in the history; the group is
	 * remembered for mos_process_get_stats. */
	rp->group_node.next = rp->group_node.prev = &rp->group_node;
}

const mos_res_module_t mos__res_group_module = {
	.name = "group",
	.kernel_init = group_kernel_init,
	.kernel_fini = group_kernel_fini,
	.fork = group_fork,
	.born = group_born,
	.release = group_release,
};

/* ---- the host's calls ---------------------------------------------------- */

static mos_rgroup_t *group_get(mos_kernel_t *k, mos_group_id_t id)
{
	mos_res_kernel_t *r = mos__kernel_res(k);

	return id < r->ngroups ? r->groups[id] : NULL;
}

static mos_rgroup_t *child_named(mos_rgroup_t *parent, const char *name,
				 size_t len)
{
	mos_list_t *n;

	mos_list_for_each(n, &parent->children) {
		mos_rgroup_t *g = mos_container_of(n, mos_rgroup_t, sibling);

		if (strlen(g->name) == len && !memcmp(g->name, name, len))
			return g;
	}
	return NULL;
}

int mos_group_create(mos_kernel_t *k, mos_group_id_t parent, const char *name,
		     mos_group_id_t *id)
{
	mos_res_kernel_t *r;
	mos_rgroup_t *pg, *g;
	size_t len;

	if (!k || !name || !id || !mos__host_call(k))
		return MOS_EINVAL;
	len = strnlen(name, MOS_GROUP_NAME_LEN);
	if (len == 0 || len == MOS_GROUP_NAME_LEN || memchr(name, '/', len))
		return MOS_EINVAL;
	r = mos__kernel_res(k);
	if (!(pg = group_get(k, parent)))
		return MOS_ENOENT;
	if (child_named(pg, name, len))
		return MOS_EEXIST;
	if (r->ngroups == MAX_GROUPS)
		return MOS_EEXHAUSTED;
	if (!(g = group_new(r, pg, name)))
		return MOS_ENOMEM;
	*id = g->id;
	return 0;
}

static bool is_under(const mos_rgroup_t *g, const mos_rgroup_t *top)
{
	for (; g; g = g->parent)
		if (g == top)
			return true;
	return false;
}

int mos_group_attach(mos_kernel_t *k, mos_group_id_t id, mos_pid_t pid)
{
	mos_rgroup_t *to, *from, *g;
	mos_res_proc_t *rp;
	mos_proc_t *p;
	uint64_t mem;

	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(to = group_get(k, id)))
		return MOS_ENOENT;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_find(k, pid)))
		return MOS_EPROCNOTFOUND;
	if (mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EINVALSTATE;
	rp = mos__res(p);
	from = mos__res_group_of(k, p);
	if (from == to)
		return 0;
	mem = rp->mem.heap + rp->mem.stack;
	/* Only the groups it enters are charged: those above both already
	 * count it. */
	for (g = to; g && !is_under(from, g); g = g->parent) {
		if (g->limits.pids_max != MOS_RLIM32_INFINITY &&
		    (uint64_t)g->pids + 1 > g->limits.pids_max)
			return MOS_EEXHAUSTED;
		if (g->limits.memory_max != MOS_RLIM_INFINITY &&
		    (mem > g->limits.memory_max ||
		     g->memory > g->limits.memory_max - mem))
			return MOS_ELIMIT;
	}
	mos__host_clock_sync(k);
	if (rp->counted) {
		pids_charge(from, -1);
		pids_charge(to, 1);
	}
	mos__rgroup_memory_uncharge(from, mem);
	mos__rgroup_memory_charge(to, mem);
	mos_list_remove(&rp->group_node);
	rp->group = to;
	mos_list_push_back(&to->procs, &rp->group_node);
	mos__res_cpu_moved(k, p);
	return 0;
}

static bool limits_valid(const mos_group_limits_t *l)
{
	return l->cpu_period >= MIN_PERIOD && l->cpu_period <= MAX_PERIOD &&
	       l->cpu_quota > 0 && l->cpu_weight >= 1 &&
	       l->cpu_weight <= MAX_WEIGHT && l->io_read_bps > 0 &&
	       l->io_write_bps > 0;
}

int mos_group_set(mos_kernel_t *k, mos_group_id_t id,
		  const mos_group_limits_t *limits)
{
	mos_group_limits_t old;
	mos_rgroup_t *g;
	int err;

	if (!k || !limits || !mos__host_call(k) || !limits_valid(limits))
		return MOS_EINVAL;
	if (!(g = group_get(k, id)))
		return MOS_ENOENT;
	if (id == 0)
		return MOS_EINVAL;
	if ((err = mos__rgroup_cpu_prepare(k, g, limits)) < 0)
		return err;
	mos__host_clock_sync(k);
	old = g->limits;
	g->limits = *limits;
	mos__rgroup_cpu_changed(k, g, &old);
	return 0;
}

int mos_group_get(mos_kernel_t *k, mos_group_id_t id, mos_group_info_t *info)
{
	mos_rgroup_t *g;

	if (!k || !info)
		return MOS_EINVAL;
	if (!(g = group_get(k, id)))
		return MOS_ENOENT;
	memset(info, 0, sizeof(*info));
	info->id = g->id;
	info->parent = g->parent ? g->parent->id : 0;
	memcpy(info->name, g->name, sizeof(info->name));
	info->limits = g->limits;
	info->memory_current = g->memory;
	info->memory_peak = g->memory_peak;
	info->pids_current = g->pids;
	/* The root's is all the CPU (its processes are not watched). */
	info->cpu_usage = g->parent ? g->cpu_usage : mos__kernel_stats(k)->busy;
	info->nr_periods = g->nr_periods;
	info->nr_throttled = g->nr_throttled;
	info->throttled_time = g->throttled_time;
	info->throttled = g->throttled;
	info->read_bytes = g->read_bytes;
	info->write_bytes = g->write_bytes;
	info->io_delay = g->io_delay;
	return 0;
}

int mos_group_find(mos_kernel_t *k, const char *path, mos_group_id_t *id)
{
	mos_res_kernel_t *r;
	mos_rgroup_t *g;

	if (!k || !path || !id)
		return MOS_EINVAL;
	r = mos__kernel_res(k);
	g = r->groups[0];
	while (*path) {
		size_t len = strcspn(path, "/");

		if (len == 0 || !(g = child_named(g, path, len)))
			return len == 0 ? MOS_EINVAL : MOS_ENOENT;
		path += len;
		if (*path == '/' && *++path == '\0')
			return MOS_EINVAL;
	}
	*id = g->id;
	return 0;
}
