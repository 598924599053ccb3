/*
 * src/resource/limits.c - a process's soft and hard limits (the host's
 * mos_process_set_limits, setrlimit and getrlimit), the live process
 * count per real uid that max_processes is checked against, and the
 * checks a create must pass.  Each limit is enforced where the resource
 * is used: memory and stack in mem.c, descriptors in fd.c, I/O bytes in
 * dev.c, CPU time and lifetime in cpu.c.
 */
#include <string.h>

#include "res_local.h"
#include "util/alloc.h"

void mos_rlimits_init(mos_rlimits_t *l)
{
	if (!l)
		return;
	l->max_memory = MOS_RLIM_INFINITY;
	l->max_stack_size = MOS_RLIM_INFINITY;
	l->max_file_descriptors = MOS_RLIM32_INFINITY;
	l->max_processes = MOS_RLIM32_INFINITY;
	l->max_cpu_time = MOS_RLIM_INFINITY;
	l->max_creation_time = MOS_RLIM_INFINITY;
	l->max_io_read = MOS_RLIM_INFINITY;
	l->max_io_write = MOS_RLIM_INFINITY;
}

/* ---- one resource of a set, by number -------------------------------- */

static uint64_t get_one(const mos_rlimits_t *l, mos_rlimit_res_t res)
{
	switch (res) {
	case MOS_RLIMIT_MEMORY: return l->max_memory;
	case MOS_RLIMIT_STACK: return l->max_stack_size;
	case MOS_RLIMIT_NOFILE:
		return l->max_file_descriptors == MOS_RLIM32_INFINITY
			       ? MOS_RLIM_INFINITY : l->max_file_descriptors;
	case MOS_RLIMIT_NPROC:
		return l->max_processes == MOS_RLIM32_INFINITY
			       ? MOS_RLIM_INFINITY : l->max_processes;
	case MOS_RLIMIT_CPU: return l->max_cpu_time;
	case MOS_RLIMIT_LIFETIME: return l->max_creation_time;
	case MOS_RLIMIT_IO_READ: return l->max_io_read;
	case MOS_RLIMIT_IO_WRITE: return l->max_io_write;
	case MOS_RLIMIT_COUNT: break;
	}
	return 0;
}

/* A 32-bit limit takes MOS_RLIM_INFINITY, or a value below its own
 * infinity. */
static bool fits32(uint64_t v)
{
	return v == MOS_RLIM_INFINITY || v < MOS_RLIM32_INFINITY;
}

static uint32_t to32(uint64_t v)
{
	return v == MOS_RLIM_INFINITY ? MOS_RLIM32_INFINITY : (uint32_t)v;
}

static void set_one(mos_rlimits_t *l, mos_rlimit_res_t res, uint64_t v)
{
	switch (res) {
	case MOS_RLIMIT_MEMORY: l->max_memory = v; break;
	case MOS_RLIMIT_STACK: l->max_stack_size = v; break;
	case MOS_RLIMIT_NOFILE: l->max_file_descriptors = to32(v); break;
	case MOS_RLIMIT_NPROC: l->max_processes = to32(v); break;
	case MOS_RLIMIT_CPU: l->max_cpu_time = v; break;
	case MOS_RLIMIT_LIFETIME: l->max_creation_time = v; break;
	case MOS_RLIMIT_IO_READ: l->max_io_read = v; break;
	case MOS_RLIMIT_IO_WRITE: l->max_io_write = v; break;
	case MOS_RLIMIT_COUNT: break;
	}
}

/* Every soft value at most its hard one. */
static bool sets_valid(const mos_rlimits_t *soft, const mos_rlimits_t *hard)
{
	for (int r = 0; r < MOS_RLIMIT_COUNT; r++)
		if (get_one(soft, (mos_rlimit_res_t)r) >
		    get_one(hard, (mos_rlimit_res_t)r))
			return false;
	return true;
}

/* ---- the host's calls ---------------------------------------------------- */

int mos_process_set_limits(mos_kernel_t *k, mos_pid_t pid,
			   const mos_rlimits_t *soft, const mos_rlimits_t *hard)
{
	mos_rlimits_t old_soft, old_hard;
	mos_res_proc_t *rp;
	mos_proc_t *p;
	int err;

	if (!k || !soft || !mos__host_call(k))
		return MOS_EINVAL;
	if (!hard)
		hard = soft;
	if (!sets_valid(soft, hard))
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_find(k, pid)))
		return MOS_EPROCNOTFOUND;
	if (mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EINVALSTATE;
	if ((err = mos__res_cpu_limits_prepare(k, p, soft)) < 0)
		return err;
	mos__host_clock_sync(k);
	rp = mos__res(p);
	old_soft = rp->soft;
	old_hard = rp->hard;
	rp->soft = *soft;
	rp->hard = *hard;
	mos__res_cpu_limits_changed(k, p, &old_soft, &old_hard);
	return 0;
}

int mos_process_get_limits(mos_kernel_t *k, mos_pid_t pid, mos_rlimits_t *soft,
			   mos_rlimits_t *hard)
{
	mos_proc_t *p;

	if (!k || (!soft && !hard))
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_find_any(k, pid)))
		return MOS_EPROCNOTFOUND;
	if (soft)
		*soft = mos__res(p)->soft;
	if (hard)
		*hard = mos__res(p)->hard;
	return 0;
}

/* ---- system calls ---------------------------------------------------- */

int mos_sys_setrlimit(mos_proc_t *self, mos_rlimit_res_t res, uint64_t soft,
		      uint64_t hard)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_SETRLIMIT);
	mos_res_proc_t *rp = mos__res(self);

	if ((unsigned)res >= MOS_RLIMIT_COUNT || soft > hard)
		return MOS_EINVAL;
	if ((res == MOS_RLIMIT_NOFILE || res == MOS_RLIMIT_NPROC) &&
	    !(fits32(soft) && fits32(hard)))
		return MOS_EINVAL;
	if (hard > get_one(&rp->hard, res) &&
	    !mos__cred_capable(self, MOS_CAP_RESOURCE))
		return mos__cred_deny(k, self, MOS_AUDIT_SETRLIMIT,
				      mos__proc_pid(self), (uint64_t)res);
	if (res == MOS_RLIMIT_CPU || res == MOS_RLIMIT_LIFETIME) {
		mos_rlimits_t old_soft = rp->soft, old_hard = rp->hard;
		mos_rlimits_t new_soft = rp->soft;
		int err;

		set_one(&new_soft, res, soft);
		if ((err = mos__res_cpu_limits_prepare(k, self, &new_soft)) < 0)
			return err;
		set_one(&rp->soft, res, soft);
		set_one(&rp->hard, res, hard);
		/* A limit already passed signals the caller now. */
		mos__res_cpu_limits_changed(k, self, &old_soft, &old_hard);
		return mos__sys_leave(self, 0);
	}
	set_one(&rp->soft, res, soft);
	set_one(&rp->hard, res, hard);
	return 0;
}

int mos_sys_getrlimit(mos_proc_t *self, mos_rlimit_res_t res, uint64_t *soft,
		      uint64_t *hard)
{
	mos_res_proc_t *rp;

	mos__sys_enter(self, MOS_SYS_GETRLIMIT);
	rp = mos__res(self);
	if ((unsigned)res >= MOS_RLIMIT_COUNT || (!soft && !hard))
		return MOS_EINVAL;
	if (soft)
		*soft = get_one(&rp->soft, res);
	if (hard)
		*hard = get_one(&rp->hard, res);
	return 0;
}

/* ---- processes per real uid ------------------------------------------- */

/* The entry of uid, or where it would go. */
static uint32_t uid_slot(const mos_res_kernel_t *r, mos_uid_t uid)
{
	uint32_t lo = 0, hi = r->nuids;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (r->uids[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t uid_count(const mos_res_kernel_t *r, mos_uid_t uid)
{
	uint32_t i = uid_slot(r, uid);

	return i < r->nuids && r->uids[i].uid == uid ? r->uids[i].n : 0;
}

/* Room for one entry more: the only step of a create's accounting that
 * can fail, so it is done in fork. */
static int uid_reserve(mos_kernel_t *k, mos_res_kernel_t *r)
{
	uint32_t cap;
	mos_uid_count_t *v;

	if (r->nuids < r->uid_cap)
		return 0;
	cap = r->uid_cap ? r->uid_cap * 2 : 8;
	if (!(v = mos__realloc_array(mos__kernel_alloc(k), r->uids, cap,
				     sizeof(*v))))
		return MOS_ENOMEM;
	r->uids = v;
	r->uid_cap = cap;
	return 0;
}

/* Count one more (delta 1, room reserved) or one fewer (-1) for uid. */
static void uid_add(mos_res_kernel_t *r, mos_uid_t uid, int delta)
{
	uint32_t i = uid_slot(r, uid);

	if (i == r->nuids || r->uids[i].uid != uid) {
		if (delta < 0)
			return; /* never counted */
		memmove(&r->uids[i + 1], &r->uids[i],
			(r->nuids - i) * sizeof(*r->uids));
		r->uids[i] = (mos_uid_count_t){uid, 0};
		r->nuids++;
	}
	r->uids[i].n += (uint32_t)delta;
	if (r->uids[i].n == 0) {
		memmove(&r->uids[i], &r->uids[i + 1],
			(r->nuids - i - 1) * sizeof(*r->uids));
		r->nuids--;
	}
}

int mos__res_check(mos_kernel_t *k, const mos_process_spec_t *spec,
		   mos_proc_t *parent)
{
	mos_res_kernel_t *r = mos__kernel_res(k);
	mos_res_proc_t *pp = mos__res(parent);
	mos_uid_t uid = spec->uid != MOS_UID_INHERIT ? spec->uid
						     : mos__proc_ruid(parent);
	mos_rgroup_t *g;
	uint32_t n;

	if ((g = mos__rgroup_pids_over(mos__res_group_of(k, parent), 1))) {
		/* A violation of the creator's, as NPROC's below */
		mos__res_violation(k, parent, MOS_RES_GROUP_PIDS,
				   (uint64_t)g->pids + 1, g->limits.pids_max);
		return MOS_EEXHAUSTED;
	}
	/* As Linux's fork: root's processes, and a privileged parent's
	 * children, are not counted against the limit. */
	if (uid == 0 || pp->soft.max_processes == MOS_RLIM32_INFINITY ||
	    mos__cred_capable(parent, MOS_CAP_RESOURCE))
		return 0;
	if ((n = uid_count(r, uid)) < pp->soft.max_processes)
		return 0;
	mos__res_violation(k, parent, MOS_RLIMIT_NPROC, (uint64_t)n + 1,
			   pp->soft.max_processes);
	return MOS_ELIMIT;
}

static int limits_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent)
{
	(void)p;
	(void)parent;
	return uid_reserve(k, mos__kernel_res(k));
}

static void limits_born(mos_kernel_t *k, mos_proc_t *p)
{
	mos__res(p)->count_uid = mos__proc_ruid(p);
	uid_add(mos__kernel_res(k), mos__res(p)->count_uid, 1);
}

static void limits_release(mos_kernel_t *k, mos_proc_t *p)
{
	if (mos__res(p)->counted)
		uid_add(mos__kernel_res(k), mos__res(p)->count_uid, -1);
}

void mos__res_uid_changed(mos_kernel_t *k, mos_proc_t *p, mos_uid_t old)
{
	mos_res_kernel_t *r = mos__kernel_res(k);

	mos_res_proc_t *rp = mos__res(p);

	(void)old; /* what it is counted under is its own record */
	if (!rp->counted)
		return;
	uid_add(r, rp->count_uid, -1);
	/* The entry it leaves made room, unless it still counts others:
	 * then reserve, and on failure leave it counted under the uid it
	 * was (a count, not a permission): count_uid says which, so its
	 * release uncharges that one. */
	if (uid_reserve(k, r) < 0) {
		uid_add(r, rp->count_uid, 1);
		return;
	}
	rp->count_uid = mos__proc_ruid(p);
	uid_add(r, rp->count_uid, 1);
}

/* init is counted from the start: room for its entry. */
static int limits_kernel_init(mos_kernel_t *k, mos_res_kernel_t *r)
{
	return uid_reserve(k, r);
}

static void limits_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	mos__free(mos__kernel_alloc(k), r->uids);
}

void mos__res_limits_count_init(mos_kernel_t *k, mos_proc_t *init)
{
	mos__res(init)->count_uid = mos__proc_ruid(init);
	uid_add(mos__kernel_res(k), mos__res(init)->count_uid, 1);
}

const mos_res_module_t mos__res_limits_module = {
	.name = "limits",
	.kernel_init = limits_kernel_init,
	.kernel_fini = limits_kernel_fini,
	.fork = limits_fork,
	.born = limits_born,
	.release = limits_release,
};
