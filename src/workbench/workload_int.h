/*
 * src/workbench/workload_int.h - what the workload loader and the workbench
 * share.
 *
 * src/workbench/ owns the scheduler workbench (multios/sched.h): loading a
 * workload file (workload.c), checking it (workload_check.c), running it
 * on a fresh kernel through the public API and the trace observer
 * (workbench.c), and writing the report (workbench_report.c).  It
 * includes the public headers, src/util/, and from src/json/ the shared
 * JSON reader and the scheduler-parameter rules (config_int.h); never
 * the kernel's internals.
 *
 * A mos_workload_t may come from mos_workload_load_json or be filled in by
 * hand; both paths go through mos__workload_check before anything runs, so
 * the workbench never multiplies, adds or allocates from an unchecked
 * number.
 */
#ifndef MOS_WORKLOAD_INT_H
#define MOS_WORKLOAD_INT_H

#include "multios/sched.h"

/* Kernel processes a workload may need: a kernel holds at most 1 048 576,
 * and init takes one. */
#define MOS_WL_MAX_JOBS 1048575u

/*
 * Check everything the workbench relies on: an allocator with all or none
 * of its functions set, a tick, at least one process,
 * names that are non-empty, NUL-terminated and free of control characters,
 * well-formed bursts or periodic fields, at most MOS_WL_MAX_JOBS jobs in
 * all, and times that stay below MOS_TIME_NEVER once multiplied by the
 * tick: each value, each process's end (arrival plus its bursts; a
 * periodic task's last release plus its deadline or wcet), and the latest
 * release plus all the work of the workload (a bound on the makespan
 * without switch costs).  err names w->source and the JSON path of the
 * first bad field.  Returns 0, MOS_EINVAL (NULL or empty), MOS_ECONFIG,
 * MOS_EEXHAUSTED (too many jobs) or MOS_ERANGE (a time too large).
 */
int mos__workload_check(const mos_workload_t *w, mos_error_t *err);

/* Kernel processes w needs (one per job); valid after mos__workload_check. */
size_t mos__workload_jobs(const mos_workload_t *w);

#endif
