/*
 * src/resource/res_int.h - what the kernel calls in the resources
 * subsystem, and the per-process state it embeds in each control block.
 *
 * The kernel calls, in a process's life: check before anything is
 * allocated for it (limits that refuse a create), fork once its control
 * block exists (what it inherits; may fail, undone by release), born once
 * nothing can fail any more (counts charged, timers armed), exit when it
 * dies (descriptors closed, memory freed, requests dropped), release when
 * its control block goes (a second call, or one on a zeroed state, does
 * nothing).
 */
#ifndef MOS_RES_INT_H
#define MOS_RES_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "dev.h"
#include "fd.h"
#include "mem.h"
#include "monitor.h"
#include "multios/process.h"
#include "multios/resource.h"
#include "util/list.h"

struct mos_rgroup;
typedef struct mos_res_kernel mos_res_kernel_t;

/* A process's resources: in the control block's cold part, zeroed at
 * creation. */
typedef struct mos_res_proc {
	mos_rlimits_t soft, hard;
	struct mos_rgroup *group;   /* NULL: the root group */
	mos_list_t group_node;      /* in group->procs, when group is set */
	uint64_t violations;
	uint8_t touched;            /* MOS_RES_TOUCH_*: the lazy modules it
				       holds something of (res_local.h) */
	bool counted;               /* charged in its uid's and groups'
				       process counts (born, until release) */
	mos_uid_t count_uid;        /* the uid it is counted under (its
				       real uid, unless a setuid could not
				       move the count): release uncharges
				       this one */
	mos_res_mem_t mem;
	mos_res_fd_t fd;
	mos_res_io_t io;
	mos_res_cpu_t cpu;
	mos_res_mon_t mon;
	mos_proc_t *proc;           /* its process, once in a group other
				       than the root (cpu.c walks them) */
} mos_res_proc_t;

/* The kernel's resource state: made with the kernel (MOS_ENOMEM),
 * destroyed after every process is gone. */
int mos__res_kernel_init(mos_kernel_t *k, mos_res_kernel_t **out);
void mos__res_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r);

/* init's resources: the config's default limits, the root group. */
void mos__res_init_root(mos_kernel_t *k, mos_proc_t *init);

/* Whether a process may be created under parent with spec: the parent's
 * group's pids.max (MOS_EEXHAUSTED) and the new real uid's max_processes
 * (MOS_ELIMIT); a refusal is a violation of the parent's.  Changes
 * nothing else. */
int mos__res_check(mos_kernel_t *k, const mos_process_spec_t *spec,
		   mos_proc_t *parent);
int mos__res_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent);
void mos__res_born(mos_kernel_t *k, mos_proc_t *p);
void mos__res_exit(mos_kernel_t *k, mos_proc_t *p);
void mos__res_release(mos_kernel_t *k, mos_proc_t *p);

/* The CPU alarm of a watched process (kernel/seams.h, cpu.c): the CPU
 * time (user + system) at which cpu.c wants control (MOS_TIME_NEVER:
 * none), each CPU ns charged to it, and the alarm itself (host stack;
 * more: its burst goes on, false when it ended at that very instant -
 * the alarm then only signals, and a throttle waits for p's next need
 * of CPU, when the kernel calls it again with more). */
mos_time_t mos__res_cpu_alarm_at(mos_kernel_t *k, mos_proc_t *p);
void mos__res_cpu_used(mos_kernel_t *k, mos_proc_t *p, mos_time_t d);
void mos__res_cpu_alarm(mos_kernel_t *k, mos_proc_t *p, bool more);

/* p's real uid changed from old (setuid): its process count moves. */
void mos__res_uid_changed(mos_kernel_t *k, mos_proc_t *p, mos_uid_t old);

/* Monitoring (monitor.c).  The clock is about to move from now to `to`,
 * passing a step boundary of the monitor window: the counters are
 * recorded at every boundary up to `to`.  Returns the next boundary after
 * `to`, where the kernel calls again (MOS_TIME_NEVER: monitoring off).
 * The kernel first calls it at the first move of its clock. */
mos_time_t mos__res_monitor_tick(mos_kernel_t *k, mos_time_t to);
/* The resource fields of the kernel's stats. */
void mos__res_monitor_stats(const mos_kernel_t *k, mos_kernel_stats_t *st);

#endif
