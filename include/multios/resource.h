/*
 * multios/resource.h - resources: exact accounting, enforced limits, a
 * memory manager, a block device, descriptors over a small namespace, and
 * cgroup-like resource groups.
 *
 * Every number is exact in virtual time and every limit bites at the
 * virtual instant a Unix kernel would make it bite (docs/ARCHITECTURE.md,
 * "Resources").
 *
 * Accounting.  mos_process_get_stats (the documented get_process_stats)
 * fills a mos_rusage_t: memory current and peak (heap and declared stack),
 * CPU user and system time, I/O bytes and operations, descriptors,
 * context switches, the signal counters, limit violations.
 *
 * Two switches, both on by default:
 *   - enable_process_accounting (config), and per process the
 *     MOS_PROC_NO_ACCOUNT flag: the bookkeeping this header adds to what
 *     the scheduler counts anyway.  With it off for a process, its system
 *     calls cost no CPU time (the syscall cost table is not applied), its
 *     I/O, memory-peak and descriptor-peak counters and its samples stay
 *     zero, and mos_process_get_stats reports only the scheduler's
 *     counters (CPU user time, switches) and the signals'.  Limits are not
 *     accounting: they are enforced whatever the setting, on the current
 *     values the memory manager, the descriptor table and the device keep
 *     anyway.  With accounting off the compute and yield paths do no work
 *     of this subsystem.
 *   - enable_resource_monitoring (config): the kernel-wide rates of
 *     mos_kernel_stats_t and the periodic samples (resources.
 *     sample_interval_ms).  Off: the rates stay zero and nothing samples.
 */
#ifndef MULTIOS_RESOURCE_H
#define MULTIOS_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cred.h"
#include "signal.h"
#include "types.h"

/* A limit that is not set. */
#define MOS_RLIM_INFINITY UINT64_MAX
#define MOS_RLIM32_INFINITY UINT32_MAX

/* ---- limits ----------------------------------------------------------- */

/*
 * The documented ProcessResourceLimits, with units.  A process has two
 * sets, as Unix has: the soft values, enforced, and the hard values, the
 * ceilings the soft ones may be raised to (raising a hard value needs
 * MOS_CAP_RESOURCE).  Defaults (init's, and so every process's unless
 * changed): max_memory default_memory_limit, max_stack_size
 * default_stack_size, max_file_descriptors default_file_descriptor_limit,
 * the rest infinite.  A child inherits both sets from its parent.
 */
typedef struct mos_rlimits {
	uint64_t max_memory;           /* bytes of heap plus declared stack:
					  an allocation past it fails with
					  MOS_ELIMIT, a stack past it is a
					  SIGSEGV */
	uint64_t max_stack_size;       /* bytes of declared stack depth
					  (mos_sys_stack_use): past it,
					  SIGSEGV */
	uint32_t max_file_descriptors; /* descriptors are 0 .. this - 1:
					  MOS_ELIMIT past it */
	uint32_t max_processes;        /* live processes whose real uid is
					  the caller's, itself included, as
					  RLIMIT_NPROC: a spawn past it fails
					  with MOS_ELIMIT.  Not the
					  kernel-wide config max_processes
					  (MOS_EEXHAUSTED), nor a group's
					  pids.max (mos_group_limits_t) */
	mos_time_t max_cpu_time;       /* ns of CPU, user plus system, as
					  RLIMIT_CPU: the soft value sends
					  SIGXCPU when the CPU time reaches
					  it and again at every further
					  second; the hard value sends
					  SIGKILL when it reaches it */
	mos_time_t max_creation_time;  /* ns of life since creation: SIGKILL
					  at created + this, exactly */
	uint64_t max_io_read;          /* bytes read in the process's life:
					  a read that would cross it reads
					  nothing and fails with MOS_ELIMIT */
	uint64_t max_io_write;         /* bytes written, likewise */
} mos_rlimits_t;

/* One resource, for mos_sys_setrlimit and mos_sys_getrlimit. */
typedef enum mos_rlimit_res {
	MOS_RLIMIT_MEMORY,   /* max_memory */
	MOS_RLIMIT_STACK,    /* max_stack_size */
	MOS_RLIMIT_NOFILE,   /* max_file_descriptors */
	MOS_RLIMIT_NPROC,    /* max_processes */
	MOS_RLIMIT_CPU,      /* max_cpu_time */
	MOS_RLIMIT_LIFETIME, /* max_creation_time */
	MOS_RLIMIT_IO_READ,  /* max_io_read */
	MOS_RLIMIT_IO_WRITE, /* max_io_write */
	MOS_RLIMIT_COUNT
} mos_rlimit_res_t;

/* Fill *l with no limit at all (every field infinite). */
MOS_API void mos_rlimits_init(mos_rlimits_t *l);

/*
 * The host sets process pid's soft limits to *soft and its hard limits to
 * *hard (NULL: the same as soft).  A limit lowered below what the process
 * already uses bites at once: a CPU or lifetime limit already passed sends
 * its signal now; memory, descriptors and I/O only refuse what comes next.
 * Errors: MOS_EINVAL (k or soft NULL, a soft value above its hard value,
 * a called from a program), MOS_EPROCNOTFOUND, MOS_EINVALSTATE (the
 * process has terminated), MOS_ENOMEM (the timer of a first lifetime
 * limit).
 */
MOS_API int mos_process_set_limits(mos_kernel_t *k, mos_pid_t pid,
				   const mos_rlimits_t *soft,
				   const mos_rlimits_t *hard);

/* Read process pid's limits; either pointer may be NULL, not both.
 * Errors: MOS_EINVAL, MOS_EPROCNOTFOUND. */
MOS_API int mos_process_get_limits(mos_kernel_t *k, mos_pid_t pid,
				   mos_rlimits_t *soft, mos_rlimits_t *hard);

/*
 * setrlimit and getrlimit for one resource of the calling process.
 * 32-bit resources take MOS_RLIM_INFINITY as their infinity too.
 * Errors: MOS_EINVAL (res out of range, soft above hard, a 32-bit value
 * out of range), MOS_EPERM (hard raised above its current value without
 * MOS_CAP_RESOURCE; audited as MOS_AUDIT_SETRLIMIT with b the resource).
 */
MOS_API int mos_sys_setrlimit(mos_proc_t *self, mos_rlimit_res_t res,
			      uint64_t soft, uint64_t hard);
MOS_API int mos_sys_getrlimit(mos_proc_t *self, mos_rlimit_res_t res,
			      uint64_t *soft, uint64_t *hard);

/* ---- accounting ------------------------------------------------------- */

typedef uint32_t mos_group_id_t; /* 0 is the root group */

/*
 * I/O priorities, Linux's three classes: realtime (levels 0-7), best
 * effort (0-7, the default 4), idle (level ignored).  Under the device's
 * "priority" scheduling, a realtime request goes before any best-effort
 * one, which goes before any idle one; within a class the lower level
 * first; then arrival.  "fifo" ignores them.  Setting the realtime
 * class needs MOS_CAP_RESOURCE (Linux: CAP_SYS_ADMIN); setting another
 * process's needs the rights to signal it (multios/cred.h).
 */
enum {
	MOS_IOPRIO_CLASS_RT = 1,
	MOS_IOPRIO_CLASS_BE = 2,
	MOS_IOPRIO_CLASS_IDLE = 3
};
#define MOS_IOPRIO(cls, level) (((cls) << 13) | (level))
#define MOS_IOPRIO_CLASS(p) ((p) >> 13)
#define MOS_IOPRIO_LEVEL(p) ((p) & 0x1fff)
#define MOS_IOPRIO_DEFAULT MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 4)

/* A process's resource usage.  Memory in bytes, times in virtual ns. */
typedef struct mos_rusage {
	uint64_t memory_current;    /* heap + declared stack */
	uint64_t memory_peak;
	uint64_t heap_current;      /* mos_sys_alloc'ed, not freed */
	uint64_t heap_peak;
	uint64_t stack_current;     /* the last mos_sys_stack_use */
	uint64_t stack_peak;
	uint32_t allocations;       /* live allocations */
	mos_time_t cpu_user;        /* compute */
	mos_time_t cpu_system;      /* system calls, by the cost table */
	mos_time_t cpu_total;       /* user + system */
	uint64_t read_bytes, write_bytes;
	uint64_t read_ops, write_ops;
	mos_time_t io_wait;         /* time blocked on the device */
	uint32_t fds_open;
	uint32_t fds_peak;
	uint64_t voluntary_switches;
	uint64_t involuntary_switches;
	mos_signal_stats_t signals;
	uint64_t limit_violations;  /* every limit that bit, each time */
	mos_time_t throttled_time;  /* held out of the run queue by its
				       group's cpu.max */
	mos_group_id_t group;
	int ioprio;                 /* MOS_IOPRIO(class, level) */
} mos_rusage_t;

/*
 * The documented get_process_stats.  A reaped process still in the
 * history answers with its last values.
 * Errors: MOS_EINVAL, MOS_EPROCNOTFOUND.
 */
MOS_API int mos_process_get_stats(mos_kernel_t *k, mos_pid_t pid,
				  mos_rusage_t *usage);
/* The calling process's own. */
MOS_API int mos_sys_getrusage(mos_proc_t *self, mos_rusage_t *usage);

/* ---- memory ---- (mem.c) */

/* ---- files, descriptors and the device ---- (fd.c, fs.c, dev.c) */

/* ---- resource groups (cgroup v2) --------------------------------------- */

/*
 * Groups form a tree under the root group 0, which has no limits.  A
 * process is in exactly one group; a spawned child starts in its
 * parent's, a host-created process in its parent's (init's: the root).
 * A limit of a group applies to everything under it, as in cgroup v2.
 */
#define MOS_GROUP_NAME_LEN 32

typedef struct mos_group_limits {
	uint64_t memory_max;   /* memory.max: bytes of heap plus stack of
				  the processes under it; an allocation
				  past it fails (MOS_ELIMIT).  Infinity */
	mos_time_t cpu_quota;  /* cpu.max: CPU ns the group may use in each
				  period; MOS_TIME_NEVER: max */
	mos_time_t cpu_period; /* 100 ms; 1 ms .. 1 s */
	uint64_t io_read_bps;  /* io.max rbps: bytes/s; reads are delayed,
				  not failed.  Infinity */
	uint64_t io_write_bps; /* io.max wbps */
	uint32_t pids_max;     /* pids.max: live processes under it, zombies
				  included (Linux uncharges at reaping); a
				  create past it fails (MOS_EEXHAUSTED).
				  MOS_RLIM32_INFINITY */
	uint32_t cpu_weight;   /* cpu.weight under cfs: 1 .. 10000, 100 */
} mos_group_limits_t;

typedef struct mos_group_info {
	mos_group_id_t id;
	mos_group_id_t parent;      /* 0 for the root's children and the root */
	char name[MOS_GROUP_NAME_LEN];
	mos_group_limits_t limits;
	uint64_t memory_current;    /* bytes, under it */
	uint64_t memory_peak;
	uint32_t pids_current;      /* live processes under it */
	mos_time_t cpu_usage;       /* CPU ns used under it */
	uint64_t nr_periods;        /* cpu.stat: periods with a quota */
	uint64_t nr_throttled;      /* periods in which it was throttled */
	mos_time_t throttled_time;  /* total time held out */
	bool throttled;             /* now */
	uint64_t read_bytes, write_bytes;
	mos_time_t io_delay;        /* total time io.max delayed requests */
} mos_group_info_t;

/* Fill *l with no limit (cpu_period 100 ms, cpu_weight 100). */
MOS_API void mos_group_limits_init(mos_group_limits_t *l);

/* Create a group named `name` (1 .. MOS_GROUP_NAME_LEN - 1 characters,
 * unique among its siblings) under `parent`.  Errors: MOS_EINVAL,
 * MOS_ENOENT (no such parent), MOS_EEXIST (the name is taken),
 * MOS_EEXHAUSTED (65 535 groups), MOS_ENOMEM. */
MOS_API int mos_group_create(mos_kernel_t *k, mos_group_id_t parent,
			     const char *name, mos_group_id_t *id);
/* Move a live process into group id; its current memory moves with it
 * (as cgroup v2 charges on migration).  Errors: MOS_EINVAL, MOS_ENOENT,
 * MOS_EPROCNOTFOUND, MOS_EINVALSTATE (terminated), MOS_EEXHAUSTED (the
 * destination's pids.max), MOS_ELIMIT (its memory.max). */
MOS_API int mos_group_attach(mos_kernel_t *k, mos_group_id_t id,
			     mos_pid_t pid);
/* Set a group's limits.  A limit below the current use refuses only what
 * comes next.  A new cpu.max (quota or period) starts a new period at
 * once, with the whole quota, and releases a throttled group; a new
 * cpu.weight applies to the processes under it from now on.  Errors:
 * MOS_EINVAL (root, or a field out of range), MOS_ENOENT, MOS_ENOMEM
 * (the period timer of the group's first quota). */
MOS_API int mos_group_set(mos_kernel_t *k, mos_group_id_t id,
			  const mos_group_limits_t *limits);
/* Errors: MOS_EINVAL, MOS_ENOENT. */
MOS_API int mos_group_get(mos_kernel_t *k, mos_group_id_t id,
			  mos_group_info_t *info);
/* The group named by a '/'-separated path from the root ("" is the
 * root).  Errors: MOS_EINVAL, MOS_ENOENT. */
MOS_API int mos_group_find(mos_kernel_t *k, const char *path,
			   mos_group_id_t *id);

/* ---- monitoring -------------------------------------------------------- */

#endif
