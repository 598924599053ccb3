/*
 * src/resource/res_local.h - what the files of the resources subsystem
 * share: the kernel-wide state, the groups, the modules' hook table, and
 * the helpers every module uses (limits, violations, accounting).
 */
#ifndef MOS_RES_LOCAL_H
#define MOS_RES_LOCAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/seams.h"
#include "multios/config.h"
#include "multios/resource.h"
#include "res_int.h"
#include "util/list.h"

/* A resource group (group.c). */
typedef struct mos_rgroup {
	mos_group_id_t id;
	struct mos_rgroup *parent;  /* NULL for the root */
	char name[MOS_GROUP_NAME_LEN];
	mos_group_limits_t limits;
	mos_list_t procs;           /* its own processes (not its
				       descendants'), of mos_res_proc_t
				       group_node, in attach order */
	uint32_t nchildren;
	mos_list_t children;        /* of sibling, in creation order */
	mos_list_t sibling;
	/* Counters, of everything under it (its descendants' included). */
	uint64_t memory, memory_peak;
	uint32_t pids;
	mos_time_t cpu_usage;
	uint64_t nr_periods, nr_throttled;
	mos_time_t throttled_time;
	bool throttled;
	uint64_t read_bytes, write_bytes;
	mos_time_t io_delay;
	mos_res_cpu_group_t cpu;    /* cpu.max (cpu.c) */
	mos_time_t io_next[2];      /* io.max: the earliest instant its next
				       read [0] / write [1] may start (dev.c) */
	uint64_t io_taker[2];       /* the serial of the request that set
				       io_next last (0: none) */
} mos_rgroup_t;

/* A live count of processes per real uid (max_processes). */
typedef struct mos_uid_count {
	mos_uid_t uid;
	uint32_t n;
} mos_uid_count_t;

/* One phase's hooks, gathered from the module table at kernel_init in
 * the phase's order, without the modules that have none: a process's
 * life walks a short packed array, not the table. */
enum { MOS_RES_FORK, MOS_RES_BORN, MOS_RES_EXIT, MOS_RES_RELEASE,
       MOS_RES_PHASES };
typedef struct mos_res_hooks {
	uint8_t n;
	uint8_t lazy[8];            /* the module's lazy bits */
	union {
		int (*fork)(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent);
		void (*life)(mos_kernel_t *k, mos_proc_t *p);
	} fn[8];
} mos_res_hooks_t;

struct mos_res_kernel {
	mos_kernel_t *k;
	/* [phase][0]: every hook; [phase][1]: the eager ones (lazy 0), all
	 * a process that touched nothing needs */
	mos_res_hooks_t hooks[MOS_RES_PHASES][2];
	uint8_t inherit;            /* the lazy bits of the fork hooks */
	mos_rgroup_t **groups;      /* by id; [0] is the root */
	uint32_t ngroups, group_cap;
	mos_uid_count_t *uids;      /* sorted by uid; entries with n = 0
				       are dropped */
	uint32_t nuids, uid_cap;
	mos_res_mem_kernel_t mem;
	mos_res_fs_t fs;
	mos_res_dev_t dev;
	mos_res_mon_kernel_t mon;
};

/*
 * One module of the subsystem (memory, descriptors, device, CPU): its
 * part of each hook of res_int.h, any of them NULL.  resource.c calls
 * them in the table's order (exit and release in reverse).
 */
typedef struct mos_res_module {
	const char *name;
	int (*kernel_init)(mos_kernel_t *k, mos_res_kernel_t *r);
	void (*kernel_fini)(mos_kernel_t *k, mos_res_kernel_t *r);
	int (*fork)(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent);
	void (*born)(mos_kernel_t *k, mos_proc_t *p);
	void (*exit)(mos_kernel_t *k, mos_proc_t *p);
	void (*release)(mos_kernel_t *k, mos_proc_t *p);
	/* Non-zero: the hooks run only for a process whose touched has one
	 * of these bits, which the module sets when the process first holds
	 * or changes something of it (most processes never open, allocate
	 * or meet a CPU limit, and a create-exit-reap cycle then costs them
	 * nothing).  A child starts with its parent's bits of the modules
	 * with a fork hook: what fork would copy. */
	uint8_t lazy;
	/* Its fields of a process's usage (u is zeroed before). */
	void (*fill)(const mos_res_proc_t *rp, mos_rusage_t *u);
} mos_res_module_t;

/* ---- helpers (resource.c, limits.c, group.c) --------------------------- */

static inline mos_res_proc_t *mos__res(mos_proc_t *p)
{
	return mos__proc_res(p);
}

/* The lazy bits of the modules (mos_res_module_t.lazy). */
enum {
	MOS_RES_TOUCH_MEM = 1u << 0,
	MOS_RES_TOUCH_FD = 1u << 1,
	MOS_RES_TOUCH_CPU = 1u << 2,
	MOS_RES_TOUCH_MON = 1u << 3,
	MOS_RES_TOUCH_DEV = 1u << 4,
};

/* p holds something of the module with lazy bit `bit`: its exit and
 * release must run. */
static inline void mos__res_touch(mos_res_proc_t *rp, unsigned bit)
{
	rp->touched |= (uint8_t)bit;
}

/* Whether p's usage is accounted (multios/resource.h): the config's
 * enable_process_accounting and not MOS_PROC_NO_ACCOUNT. */
bool mos__res_accounting(const mos_kernel_t *k, const mos_proc_t *p);

/*
 * A limit bit p: count it (the process's and the kernel's
 * limit_violations), trace it (MOS_TRACE_LIMIT: subject pid, cause the
 * mos_rlimit_res_t or MOS_RES_VIOLATION_GROUP_*, a the value that would
 * have been reached, b the limit) and tell the subscribers of
 * MOS_KEV_LIMIT.  The caller refuses or signals.
 */
enum {
	MOS_RES_GROUP_MEMORY = MOS_RLIMIT_COUNT, /* memory.max */
	MOS_RES_GROUP_PIDS,                      /* pids.max */
	MOS_RES_GROUP_CPU                        /* cpu.max throttled */
};
void mos__res_violation(mos_kernel_t *k, mos_proc_t *p, unsigned what,
			uint64_t value, uint64_t limit);

/* The group of p (the root when it has none yet). */
mos_rgroup_t *mos__res_group_of(mos_kernel_t *k, mos_proc_t *p);
/* The first group from g up to the root whose field would be passed by
 * adding `add` to the counter, or NULL: memory.max, pids.max. */
mos_rgroup_t *mos__rgroup_memory_over(mos_rgroup_t *g, uint64_t add);
mos_rgroup_t *mos__rgroup_pids_over(mos_rgroup_t *g, uint32_t add);
/* init's uid, counted at its creation (limits.c). */
void mos__res_limits_count_init(mos_kernel_t *k, mos_proc_t *init);
/* p's CPU or lifetime limits are about to become *soft: room for its
 * lifetime timer (MOS_ENOMEM, nothing changed).  Then, once they are
 * set, changed (old: the soft and hard values before): a passed one
 * bites now (cpu.c). */
int mos__res_cpu_limits_prepare(mos_kernel_t *k, mos_proc_t *p,
				const mos_rlimits_t *soft);
void mos__res_cpu_limits_changed(mos_kernel_t *k, mos_proc_t *p,
				 const mos_rlimits_t *old_soft,
				 const mos_rlimits_t *old_hard);
/* Group g's limits are about to become *l: room for its period timer
 * (MOS_ENOMEM, nothing changed); then, once set, changed from *old. */
int mos__rgroup_cpu_prepare(mos_kernel_t *k, mos_rgroup_t *g,
			    const mos_group_limits_t *l);
void mos__rgroup_cpu_changed(mos_kernel_t *k, mos_rgroup_t *g,
			     const mos_group_limits_t *old);
/* p moved to another group (mos_group_attach). */
void mos__res_cpu_moved(mos_kernel_t *k, mos_proc_t *p);

/* Add bytes to g's and its ancestors' memory (their peaks follow), or
 * take them back; the caller checked mos__rgroup_memory_over first. */
void mos__rgroup_memory_charge(mos_rgroup_t *g, uint64_t bytes);
void mos__rgroup_memory_uncharge(mos_rgroup_t *g, uint64_t bytes);

#endif
