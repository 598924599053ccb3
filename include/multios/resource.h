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
#include <stdio.h>

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
					  MOS_ELIMIT past it; never past
					  MOS_FD_MAX, whatever it says */
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
	mos_time_t throttled_time;  /* Ready but held out of the run queue
				       by its group's cpu.max: the time it
				       wanted the CPU and was kept from it
				       (not the time it slept or was
				       stopped while its group was
				       throttled; the group's own
				       throttled_time, cgroup v2's
				       throttled_usec, counts from throttle
				       to unthrottle) */
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

/*
 * A simulated memory manager.  The machine has resources.memory_size
 * bytes (config); a process's heap (mos_sys_alloc) and its declared stack
 * depth (mos_sys_stack_use) are charged, in this order, against its own
 * max_memory (heap plus stack), the memory.max of its group and of each
 * group above it, and the machine.  Refused by a limit: MOS_ELIMIT, a
 * limit violation (resource MOS_RLIMIT_MEMORY, MOS_RLIMIT_STACK, or 8
 * for a group's memory.max, multios/events.h); refused because the machine is full:
 * MOS_ENOMEM, which is no limit and counts no violation.  A refused call
 * changes nothing else.  Everything a process holds is freed and
 * uncharged when it dies.  With resources.memory_backing each allocation
 * also takes that much real host memory from the kernel's allocator, for
 * programs that want to touch it (mos_sys_mem_ptr); without it (the
 * default) nothing is allocated on the host.
 */
typedef uint64_t mos_mem_handle_t; /* 0 is never a handle */

/*
 * Allocate `bytes` of heap for the caller; *handle names it for
 * mos_sys_free.  Handles carry a serial number: a freed one, or another
 * process's, is refused, never a crash: a handle is never given twice in
 * a kernel's life.  Errors: MOS_EINVAL (handle NULL, bytes 0), MOS_ELIMIT
 * (past the caller's max_memory or a group's memory.max: a violation),
 * MOS_ENOMEM (past the machine's memory_size, 2^24 live allocations in
 * the process, or the host ran out: the table of allocations, or the
 * backing memory), MOS_EEXHAUSTED (the kernel has given 2^40 handles).
 */
MOS_API int mos_sys_alloc(mos_proc_t *self, uint64_t bytes,
			  mos_mem_handle_t *handle);

/* Free what mos_sys_alloc gave the caller.  Errors: MOS_EINVAL (not a
 * live allocation of the caller's: changes nothing). */
MOS_API int mos_sys_free(mos_proc_t *self, mos_mem_handle_t handle);

/*
 * Declare the caller's stack depth, in bytes (0: empty).  A depth at
 * most the current one always succeeds.  A deeper one past
 * max_stack_size, past max_memory with the heap, past a group's
 * memory.max or the machine's memory is refused: the depth stays as it
 * was, the caller is sent SIGSEGV (by the kernel, as a fault, forced
 * as Linux's force_sig_fault: if the caller blocks or ignores SIGSEGV,
 * its action goes back to the default and it is unblocked; the default
 * action kills it with "core" before the call returns; the handler of an
 * unblocked caught one runs before the call returns), and the call returns MOS_ELIMIT (a
 * violation: MOS_RLIMIT_STACK, MOS_RLIMIT_MEMORY or a group's
 * memory.max) or MOS_ENOMEM (the machine: no violation).  This is a simulated
 * depth, distinct from overrunning the coroutine's real host stack.
 */
MOS_API int mos_sys_stack_use(mos_proc_t *self, uint64_t bytes);

/*
 * The host memory backing one of the caller's allocations (its size
 * bytes, as malloc gives: alignment for any object), valid until it is
 * freed or the process dies.  Not a system call: no cost, not counted.
 * Errors: MOS_EINVAL (self or ptr NULL, not called on self's coroutine,
 * not a live allocation of the caller's, resources.memory_backing off).
 */
MOS_API int mos_sys_mem_ptr(mos_proc_t *self, mos_mem_handle_t handle,
			    void **ptr);

/* ---- files, descriptors and the device ---- (fd.c, fs.c, dev.c) */

/*
 * The namespace: one small in-memory tree per kernel, directories and
 * files that have a size and no content.  Paths are '/'-separated; ".",
 * ".." (the root's ".." is the root) and repeated slashes mean what they
 * mean in POSIX; a name has 1 .. MOS_FS_NAME_MAX bytes, a path at most
 * MOS_FS_PATH_MAX, and nothing lies deeper than MOS_FS_DEPTH_MAX
 * directories below the root.  Nothing is ever removed.  A directory's
 * entries are kept in byte order of their names.
 */
#define MOS_FS_NAME_MAX 63
#define MOS_FS_PATH_MAX 1023
#define MOS_FS_DEPTH_MAX 32
/* The nodes a kernel's namespace may hold, the root included: a create
 * past it (mos_fs_mkdir, mos_fs_create, an open with MOS_O_CREATE) fails
 * with MOS_EEXHAUSTED.  Nodes are never removed. */
#define MOS_FS_NODES_MAX (1u << 16)

typedef struct mos_fs_stat {
	bool is_dir;
	uint64_t size;      /* a file's bytes; 0 for a directory */
	uint32_t entries;   /* a directory's */
} mos_fs_stat_t;

/*
 * The host populates the namespace; paths are absolute.  mkdir makes a
 * directory, create a file of `size` bytes.
 * Errors: MOS_EINVAL (k or path NULL, a relative or empty path, a name or
 * the path too long, too deep, a call from a program), MOS_ENOENT (a
 * directory on the way is missing), MOS_ENOTDIR (a file on the way),
 * MOS_EEXIST (the name exists: "/" always does), MOS_EISDIR (create of a
 * path ending in '/'), MOS_EEXHAUSTED (MOS_FS_NODES_MAX nodes exist),
 * MOS_ENOMEM.
 */
MOS_API int mos_fs_mkdir(mos_kernel_t *k, const char *path);
MOS_API int mos_fs_create(mos_kernel_t *k, const char *path, uint64_t size);
/* What an absolute path names.  Errors: MOS_EINVAL, MOS_ENOENT,
 * MOS_ENOTDIR. */
MOS_API int mos_fs_stat(mos_kernel_t *k, const char *path, mos_fs_stat_t *st);

/*
 * The ceiling on descriptors, as Linux's fs.nr_open: descriptors are
 * below it whatever max_file_descriptors says.  mos_process_set_limits
 * and mos_sys_setrlimit accept and report a larger limit (infinity
 * included) unchanged; it acts as MOS_FD_MAX (open and dup past it fail
 * with MOS_ELIMIT, dup2 to a newfd not below it with MOS_EBADF, each a
 * violation of MOS_RLIMIT_NOFILE with the limit MOS_FD_MAX).  So a
 * descriptor table never asks the host for more than 8 MiB.
 */
#define MOS_FD_MAX (1u << 20)

/*
 * Descriptors.  A process has a table of descriptors 0 .. its
 * max_file_descriptors - 1 (below MOS_FD_MAX) and a working directory (the root at first);
 * a spawned child gets a copy of both, its descriptors sharing their open
 * file descriptions (and so their offsets) with the parent's, as after
 * fork.  A process's descriptors are closed when it exits.  A new
 * descriptor is the lowest free one; when that is not below
 * max_file_descriptors, the call fails with MOS_ELIMIT and the limit's
 * violation is counted (MOS_RLIMIT_NOFILE).
 *
 * open's flags: at least one of MOS_O_READ and MOS_O_WRITE, and
 * MOS_O_CREATE (make a missing file, of size 0), MOS_O_EXCL (with
 * CREATE: fail with MOS_EEXIST if it exists), MOS_O_TRUNC (a file opened
 * for writing goes to size 0).  A directory opens for reading only (its
 * descriptor can be dup'ed and closed; a read of it fails with
 * MOS_EISDIR); for writing it is MOS_EISDIR.  The path is relative to the
 * working directory unless it starts with '/'.
 * Errors of open: MOS_EINVAL (path or fd NULL, bad flags, the path's
 * errors of mos_fs_mkdir), MOS_ENOENT, MOS_ENOTDIR, MOS_EISDIR,
 * MOS_EEXIST, MOS_EEXHAUSTED (a file to make, and MOS_FS_NODES_MAX
 * nodes exist), MOS_ELIMIT, MOS_ENOMEM.
 */
#define MOS_O_READ 0x1u
#define MOS_O_WRITE 0x2u
#define MOS_O_RDWR (MOS_O_READ | MOS_O_WRITE)
#define MOS_O_CREATE 0x4u
#define MOS_O_EXCL 0x8u
#define MOS_O_TRUNC 0x10u

MOS_API int mos_sys_open(mos_proc_t *self, const char *path, unsigned flags,
			 int *fd);
/* Errors: MOS_EBADF (not an open descriptor). */
MOS_API int mos_sys_close(mos_proc_t *self, int fd);
/* A second descriptor, the lowest free, for fd's open file.  Errors:
 * MOS_EINVAL (newfd NULL), MOS_EBADF, MOS_ELIMIT, MOS_ENOMEM. */
MOS_API int mos_sys_dup(mos_proc_t *self, int fd, int *newfd);
/* Make newfd a copy of oldfd, closing what newfd had open first; the
 * same descriptor twice does nothing.  Errors: MOS_EBADF (oldfd not open,
 * newfd negative, or newfd not below max_file_descriptors or MOS_FD_MAX,
 * as POSIX has it for RLIMIT_NOFILE; that one is counted as a violation
 * of the limit), MOS_ENOMEM. */
MOS_API int mos_sys_dup2(mos_proc_t *self, int oldfd, int newfd);
/* Change the working directory.  Errors: MOS_EINVAL, MOS_ENOENT,
 * MOS_ENOTDIR. */
MOS_API int mos_sys_chdir(mos_proc_t *self, const char *path);

/*
 * The block device.  mos_sys_read and mos_sys_write transfer up to
 * `bytes` at fd's offset and advance it: a read stops at the end of the
 * file, a write extends the file (its new size counts from the instant
 * the request completes).  *done (may be NULL) receives the bytes
 * transferred.  A transfer of 0 bytes returns at once and is no request.
 * Otherwise the caller blocks (cause "io") in a wait no signal but
 * SIGKILL ends (Linux's disk sleep, state D: a caught signal stays
 * pending until the call returns):
 *
 *   1. io.max: each group from the caller's up to the root with a limit
 *      for the direction (mos_group_limits_t io_read_bps / io_write_bps)
 *      lets a request start no earlier than its own "next allowed start";
 *      the request waits until the latest of them, and each moves its
 *      next start to that instant + ceil(bytes * 1e9 / bps) ns.  Each of
 *      the groups counts the wait in its io_delay.  As blk-throttle
 *      charges a request when it dispatches it, one whose process is
 *      killed while io.max holds it gives its charge back where it can:
 *      in each group it was charged to (the groups of its process at
 *      the call, whatever group the process is in when killed) where it
 *      is still the last request charged, the next start moves back to
 *      the instant it was given; where another request was charged
 *      behind it (and promised an instant from its end) nothing moves
 *      and that budget is lost.  io_delay keeps the wait it was given.
 *      A request past the hold (queued or in service) stays charged.
 *   2. The device queue: up to queue_depth requests are in service at
 *      once; a waiting one is picked when a place frees up, by arrival
 *      ("fifo") or by I/O priority, then arrival ("priority": the
 *      priority at the instant of the pick, so a change reorders a
 *      waiting request).
 *   3. Service: latency + ceil(bytes * 1e9 / bandwidth) ns.
 *
 * At completion the bytes and one operation are counted (the process's
 * read_bytes/read_ops or write_*, and its groups' read_bytes or
 * write_bytes), io_wait grows by the whole time the call was blocked,
 * and the kernel's io_requests by one.  A process killed while it waits
 * leaves nothing behind: a request in the queue goes, one in service
 * keeps the device busy until its completion and then counts nowhere but
 * in the kernel's io_requests.
 * max_io_read / max_io_write: a transfer that would take the bytes read
 * (written) in the process's life past the limit transfers nothing and
 * fails with MOS_ELIMIT (a violation).
 * Errors: MOS_EBADF (fd not open, or not open for that direction),
 * MOS_EISDIR (a directory), MOS_ELIMIT, MOS_ERANGE (the transfer's
 * end offset, its io.max start or its service time would pass what a
 * uint64_t holds, or its completion could reach MOS_TIME_NEVER: the
 * device's last completion so far, every request submitted served one
 * after another, plus its own time; nothing happens).  The config's
 * device latency is at most one hour (MOS_ECONFIG).
 */
MOS_API int mos_sys_read(mos_proc_t *self, int fd, uint64_t bytes,
			 uint64_t *done);
MOS_API int mos_sys_write(mos_proc_t *self, int fd, uint64_t bytes,
			  uint64_t *done);

/*
 * A process's I/O priority (MOS_IOPRIO; 0 sets the default, best effort
 * level 4), inherited by spawned children.  pid 0 is the caller.  Errors:
 * MOS_EINVAL (a class outside 1 .. 3, a level above 7), MOS_EINVALPID,
 * MOS_EPROCNOTFOUND (no such live process, or one the caller cannot
 * see), MOS_EPERM (the realtime class without MOS_CAP_RESOURCE, another
 * process the caller may not signal: audited as MOS_AUDIT_IOPRIO with b
 * the priority asked).  get: MOS_EINVAL (prio NULL), MOS_EINVALPID,
 * MOS_EPROCNOTFOUND.
 */
MOS_API int mos_sys_ioprio_set(mos_proc_t *self, mos_pid_t pid, int prio);
MOS_API int mos_sys_ioprio_get(mos_proc_t *self, mos_pid_t pid, int *prio);

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
/* Move a live process into group id; its current memory (heap and
 * declared stack) moves with it: uncharged from the groups it leaves,
 * charged to the ones it enters.  The move is refused when a group it
 * enters would pass its pids.max (MOS_EEXHAUSTED) or its memory.max
 * (MOS_ELIMIT); a refusal changes nothing and counts no violation.
 * This is not cgroup v2's migration, which checks neither limit (pids.max
 * bites only at fork; a migration may take a group past it) and leaves
 * memory charged where it was allocated (charges never move in v2; v1's
 * memory.move_charge_at_immigrate did move them).  Errors: MOS_EINVAL,
 * MOS_ENOENT, MOS_EINVALPID, MOS_EPROCNOTFOUND, MOS_EINVALSTATE
 * (terminated), MOS_EEXHAUSTED, MOS_ELIMIT. */
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

/*
 * Monitoring (enable_resource_monitoring, docs/ARCHITECTURE.md,
 * "Monitoring").
 *
 * Rates.  mos_kernel_stats_t's creation_rate, termination_rate,
 * switch_rate and device_utilisation are over a window of virtual time
 * W = resources.monitor_window, split in S steps of W / S ns (S = 10, or
 * the largest count below 10 that divides W).  At time now, let t0 be now
 * rounded down to a multiple of the step: a rate is the number of events
 * at virtual times in [t0 - W, t0) divided by W in seconds, and
 * device_utilisation the time the device had a request in service in
 * [t0 - W, t0) divided by W.  So the window slides by whole steps, lags
 * now by less than a step, and is always divided by W: during the first
 * window (t0 < W) the time before 0 counts as a time with no event.
 * Creations are the processes born after the kernel's own init;
 * terminations the processes that reached Terminated; switches the
 * context_switches.  Exact and deterministic; no timer, nothing on the
 * yield path.  Off: all four are 0.
 *
 * Samples.  With resources.sample_interval > 0 and monitoring on, a
 * background timer (it never keeps a run going) samples at every
 * multiple of the interval (the first at the interval, not at 0), after
 * the other timers due then: the kernel, every resource group, and every
 * process from New to Blocked or Suspended whose accounting is on (not
 * init, not a dying or dead one; a process with accounting off is not
 * sampled).  Each has a ring of resources.sample_capacity samples, made
 * at its first sample; when full, the oldest is dropped (and counted).  A
 * ring that cannot be allocated is counted in alloc_failures and that
 * sample is skipped; nothing else changes.  A process's ring stays
 * readable after it dies: while it is a zombie, and once reaped while
 * its record is in the history (history_size); it is freed with the
 * record.
 */
typedef struct mos_sample_kernel {
	mos_time_t time;
	uint32_t runnable;          /* processes Ready or Running */
	uint32_t processes;         /* live (New .. Zombie), init included */
	uint64_t memory_used;       /* the machine's, bytes */
	uint32_t device_queue;      /* requests waiting or in service */
} mos_sample_kernel_t;

typedef struct mos_sample_process {
	mos_time_t time;
	mos_time_t cpu_user, cpu_system;
	uint64_t memory_current;    /* heap + declared stack */
	uint64_t read_bytes, write_bytes;
	uint32_t fds_open;
	mos_proc_state_t state;
} mos_sample_process_t;

typedef struct mos_sample_group {
	mos_time_t time;
	uint64_t memory_current;    /* under it */
	mos_time_t cpu_usage;       /* under it, so far */
	uint32_t pids_current;
	bool throttled;             /* by its cpu.max, now */
	uint64_t nr_throttled;
} mos_sample_group_t;

typedef struct mos_monitor_info {
	mos_time_t window;          /* resources.monitor_window */
	mos_time_t step;            /* the window's step */
	mos_time_t interval;        /* 0: no sampling */
	uint32_t capacity;          /* samples per ring */
	uint64_t samples;           /* times the sampler ran */
	uint64_t dropped;           /* samples dropped by full rings, all
				       rings together */
	uint64_t alloc_failures;    /* rings that could not be made */
} mos_monitor_info_t;

/* Errors: MOS_EINVAL. */
MOS_API int mos_monitor_get_info(mos_kernel_t *k, mos_monitor_info_t *info);

/*
 * The samples of the kernel, of process pid (live, or reaped and still in
 * the history), or of group id.  *n receives how many the ring holds;
 * the newest min(cap, *n) of them are copied to buf, oldest first (buf
 * may be NULL when cap is 0, to ask the count).  No ring yet: *n = 0.
 * Errors: MOS_EINVAL (k or n NULL, buf NULL with cap > 0), MOS_EINVALPID
 * (pid <= 0), MOS_EPROCNOTFOUND, MOS_ENOENT (no such group).
 */
MOS_API int mos_monitor_samples_kernel(mos_kernel_t *k,
				       mos_sample_kernel_t *buf, size_t cap,
				       size_t *n);
MOS_API int mos_monitor_samples_process(mos_kernel_t *k, mos_pid_t pid,
					mos_sample_process_t *buf, size_t cap,
					size_t *n);
MOS_API int mos_monitor_samples_group(mos_kernel_t *k, mos_group_id_t id,
				      mos_sample_group_t *buf, size_t cap,
				      size_t *n);

/*
 * Write every ring as one JSON object (src/json/monitor_json.c):
 *   {"window_ns", "step_ns", "interval_ns", "capacity", "samples",
 *    "dropped", "alloc_failures",
 *    "kernel": [{"t", "runnable", "processes", "memory_used",
 *                "device_queue"}...],
 *    "groups": [{"id", "name", "samples": [{"t", "memory", "cpu_usage",
 *                "pids", "throttled", "nr_throttled"}...]}...],
 *    "processes": [{"pid", "samples": [{"t", "state", "cpu_user",
 *                "cpu_system", "memory", "read_bytes", "write_bytes",
 *                "fds_open"}...]}...]}
 * times in virtual ns; groups by id, processes by pid (those with a ring
 * only).  The kernel's samples are also counter tracks of the Chrome
 * trace (mos_trace_write_chrome: "sampled runnable", "memory used",
 * "device queue").  Errors: MOS_EINVAL, MOS_ENOMEM, MOS_EIO.
 */
MOS_API int mos_monitor_export_json(mos_kernel_t *k, FILE *out);

#endif
