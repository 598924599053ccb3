/*
 * multios/sched.h - the scheduler workbench: workloads, runs, reports.
 *
 * A workload is a list of processes with arrival times and CPU/I/O bursts
 * (or periodic tasks), all in integer ticks.  mos_sched_run_workload runs it
 * on a real kernel under a chosen policy: each workload process becomes a
 * kernel process that computes its CPU bursts and sleeps out its I/O, and
 * every metric is computed from the kernel's own trace.  So what the
 * workbench measures is exactly what the kernel's scheduler does.
 *
 * File format (JSON):
 *   {
 *     "name": "example",
 *     "tick": "1ms",                      optional, default 1 ms
 *     "policy": {"name": "rr", "quantum": 4},
 *     "context_switch_cost": 0,
 *     "processes": [
 *       {"name": "P1", "arrival": 0, "cpu": 24},
 *       {"name": "P2", "arrival": 2, "bursts": [{"cpu": 3}, {"io": 5},
 *        {"cpu": 2}], "priority": 2, "tickets": 100},
 *       {"name": "T1", "arrival": 0, "period": 5, "wcet": 2,
 *        "deadline": 5, "jobs": 4}
 *     ]
 *   }
 * Policy keys: name, quantum, preemptive, aging, queues, quanta,
 * allotments, boost, io_bump, stay, legacy_boost, seed, draw ("tree" or
 * "ostep": lottery's draw), draw_skip, seed_words (the ostep draw's),
 * min_granularity, target_latency (times in ticks).  Unknown keys are errors.
 * docs/SCHEDULERS.md has the conventions (tie-breaking, same-instant
 * ordering) and each policy's rules.
 */
#ifndef MULTIOS_SCHED_H
#define MULTIOS_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "error.h"
#include "process.h"
#include "types.h"

#define MOS_WL_NAME_LEN 64

typedef enum mos_wl_kind {
	MOS_WL_CPU, /* a CPU burst */
	MOS_WL_IO   /* an I/O burst: no CPU, any number at once */
} mos_wl_kind_t;

typedef struct mos_wl_burst {
	mos_wl_kind_t kind;
	uint64_t ticks;        /* > 0 */
} mos_wl_burst_t;

typedef struct mos_wl_process {
	char name[MOS_WL_NAME_LEN];
	uint64_t arrival;      /* ticks; for a periodic task, its first release */
	size_t nbursts;        /* aperiodic: alternating, starting with CPU */
	mos_wl_burst_t *bursts;
	int32_t priority;      /* smaller is more urgent; 0 */
	uint32_t tickets;      /* 100 */
	/* Periodic task (period > 0): job j is released at
	 * arrival + j * period, needs wcet, is due deadline after release. */
	uint64_t period, wcet, deadline, jobs;
} mos_wl_process_t;

typedef struct mos_workload {
	char name[128];
	char source[256];      /* file it was loaded from, or "" */
	mos_time_t tick;       /* nanoseconds per tick */
	mos_sched_params_t policy; /* in nanoseconds (ticks x tick) */
	size_t nprocs;
	mos_wl_process_t *procs;
	/* Where the loader took the workload's blocks from, and where
	 * mos_sched_run_workload takes its kernel's and report's: all NULL
	 * (a workload filled in by hand, zeroed) is libc.  Not in the file. */
	mos_allocator_t alloc;
} mos_workload_t;

/*
 * Load a workload file.  *out receives a new workload (mos_workload_free).
 * Its blocks come from libc, as mos_workload_load_json_alloc(path, NULL,
 * out, err).
 * Errors: MOS_EINVAL (NULL argument), MOS_EIO (unreadable), MOS_ECONFIG
 * (syntax: err has file:line:column; anything else: err names the file and
 * the JSON path, e.g. "processes[3].bursts[1].io"), MOS_ENOMEM.
 */
MOS_API int mos_workload_load_json(const char *path, mos_workload_t **out,
				   mos_error_t *err);

/*
 * Load a workload file with its blocks (the workload, its processes, their
 * bursts) from alloc (NULL or all NULL: libc); the workload keeps a copy
 * in w->alloc, so that freeing it and running it use the same allocator.
 * jansson's allocations while the file is parsed are jansson's own
 * (process-wide; see mos_allocator_t for what its running out gives).
 * Errors: as mos_workload_load_json, and MOS_EINVAL when alloc has some
 * but not all of its functions set (err says so).
 */
MOS_API int mos_workload_load_json_alloc(const char *path,
					 const mos_allocator_t *alloc,
					 mos_workload_t **out, mos_error_t *err);

/* Free a workload from mos_workload_load_json(_alloc).  NULL is fine. */
MOS_API void mos_workload_free(mos_workload_t *w);

/*
 * One workload process's results.  Times are virtual nanoseconds (divide
 * by the report's tick for ticks; they are whole ticks except under
 * policies that slice time finer, such as cfs).
 */
typedef struct mos_sched_proc_result {
	char name[MOS_WL_NAME_LEN];
	bool periodic;
	mos_time_t arrival, first_run, finish;
	mos_time_t response;   /* first_run - arrival; periodic: worst job's
				  finish - release */
	mos_time_t turnaround; /* finish - arrival; periodic: as response */
	mos_time_t waiting;    /* turnaround - cpu - io; periodic: worst job's
				  response - wcet */
	mos_time_t cpu, io;    /* totals asked for (periodic: all jobs) */
	uint64_t jobs;         /* periodic: jobs released */
	uint64_t deadline_misses;
} mos_sched_proc_result_t;

/* One stretch of CPU given to one process: [start, end).  A process that
 * runs on at the instant its own slice ended (alone, its quantum expired)
 * continues the same stretch.  A report holds at most MOS_SCHED_MAX_SLICES
 * stretches (24 MiB); past that it keeps the first ones and sets
 * slices_truncated. */
#define MOS_SCHED_MAX_SLICES ((size_t)1 << 20)

typedef struct mos_sched_slice {
	uint32_t proc;         /* index into procs */
	mos_time_t start, end;
} mos_sched_slice_t;

typedef struct mos_sched_report {
	char policy[MOS_POLICY_NAME_LEN];
	char workload[128];
	mos_time_t tick;       /* ns per tick, from the workload */
	size_t nprocs;
	mos_sched_proc_result_t *procs;
	double avg_response, avg_turnaround, avg_waiting; /* in ticks */
	uint64_t context_switches;
	uint64_t deadline_misses;
	mos_time_t makespan;   /* from 0 to the last completion */
	mos_time_t busy;       /* the CPU computed */
	double cpu_utilization;/* busy / makespan */
	double throughput;     /* completions (jobs) per tick */
	double fairness;       /* Jain's index over cpu / turnaround */
	size_t nslices;
	mos_sched_slice_t *slices;
	bool slices_truncated;     /* the slice log hit its bound: slices (and --gantt, --trace) cover only the start */
	uint64_t trace_hash;   /* of the kernel run behind the report */
	mos_allocator_t alloc; /* the workload's: where procs and slices,
				  and the report, came from */
} mos_sched_report_t;

/*
 * Run w under policy (NULL: the workload's own) on a fresh kernel and
 * report.  *out receives a new report (mos_sched_report_free).
 * w may be loaded or filled in by hand: it is checked as the loader checks
 * a file (names, bursts, and every time, alone and added up, below
 * MOS_TIME_NEVER once multiplied by the tick).  The run's bookkeeping, its
 * kernel and the report come from w->alloc.  Running out of memory for the
 * slice log is not an error: the report keeps the slices it has and sets
 * slices_truncated.
 * Errors: MOS_EINVAL, MOS_ECONFIG (unknown policy or bad parameters, bad
 * names or bursts, an allocator with some but not all functions set; err
 * says which), MOS_ERANGE (a time, or the sum of the workload's times,
 * would pass MOS_TIME_NEVER; err names the field), MOS_ENOMEM,
 * MOS_EEXHAUSTED (more processes than a kernel holds).
 */
MOS_API int mos_sched_run_workload(const mos_workload_t *w,
				   const mos_sched_params_t *policy,
				   mos_sched_report_t **out, mos_error_t *err);

/*
 * Watching a run tick by tick (what `multios ostep mlfq -c` prints).
 * Each callback may be NULL; arg is passed back.  proc is an index into
 * the workload's processes.  The callbacks only read: they get no kernel
 * and must not free the workload.
 *   transition  every state change of a workload process's kernel process
 *               (mos_proc_state_t from, to), in the kernel's order: New ->
 *               Ready is its admission, Blocked -> Ready a wake-up from I/O,
 *               Running -> Blocked the start of an I/O, -> Terminated its
 *               end; Ready <-> Running are dispatches and preemptions.
 *   tick        once per tick [start, start + tick) at its end, before
 *               anything due at start + tick is done: ran says whether a
 *               workload process held the CPU then (with cost-free
 *               switches and whole-tick workloads, the one that ran the
 *               whole tick), proc which, state the policy's state of it
 *               (multios/process.h), with slice the CPU left in its slice
 *               at the end of the tick (before an expiry at the boundary
 *               is processed, so mlfq's allot is the one before it).  No
 *               tick is reported once every process has finished.
 */
typedef struct mos_sched_tick {
	mos_time_t start;
	bool ran;
	uint32_t proc;
	mos_sched_state_t state;
} mos_sched_tick_t;

typedef struct mos_sched_watch {
	void *arg;
	void (*transition)(void *arg, mos_time_t time, uint32_t proc,
			   mos_proc_state_t from, mos_proc_state_t to);
	void (*tick)(void *arg, const mos_sched_tick_t *t);
} mos_sched_watch_t;

/*
 * mos_sched_run_workload, calling watch back as the run goes (see
 * mos_sched_tick_t); the report is the same as without a watch.  The run
 * stops the kernel at the end of every tick, so it costs a kernel run per
 * tick of the makespan: meant for short runs that are printed.
 * Errors: as mos_sched_run_workload; MOS_EINVAL also when watch is NULL
 * or the workload's tick is below 2 ns (the end of a tick is observed
 * 1 ns before it).
 */
MOS_API int mos_sched_run_workload_watch(const mos_workload_t *w,
					 const mos_sched_params_t *policy,
					 const mos_sched_watch_t *watch,
					 mos_sched_report_t **out,
					 mos_error_t *err);

MOS_API void mos_sched_report_free(mos_sched_report_t *r);

/* Write r as one JSON object (the `multios sched --json` form) and a
 * newline, then flush.
 * Errors: MOS_EINVAL (r or out NULL), MOS_ENOMEM (building the document),
 * MOS_EIO (writing or flushing out failed, e.g. a full disk; part of the
 * document may have been written). */
MOS_API int mos_sched_report_write_json(const mos_sched_report_t *r, FILE *out);

/* Write r as Chrome Trace Event JSON: one complete event per run slice,
 * one track per process (opens in ui.perfetto.dev, chrome://tracing).
 * Errors: as mos_sched_report_write_json. */
MOS_API int mos_sched_report_write_trace(const mos_sched_report_t *r,
					 FILE *out);

#endif
