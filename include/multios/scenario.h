/*
 * multios/scenario.h - scenario files: a whole experiment in one JSON
 * document, run on a fresh kernel with a timeline and a final report.
 *
 * A scenario declares configuration overrides, named script programs,
 * services (inline descriptors or files), processes, and actions timed in
 * virtual time: start a service, kill a process, inject a crash, spawn
 * clients, leave a mark...  docs/SCENARIOS.md documents every field.
 *
 *   mos_scenario_t *sc;
 *   mos_scenario_result_t *r;
 *   if (mos_scenario_load("web.json", &sc, &err) == 0 &&
 *       mos_scenario_run(sc, NULL, &r, &err) == 0) {
 *           mos_scenario_write_text(r, stdout, true);
 *           mos_scenario_result_free(r);
 *   }
 *   mos_scenario_free(sc);
 *
 * The run is deterministic: the same file and seed give the same result,
 * byte for byte the same text and JSON.
 */
#ifndef MULTIOS_SCENARIO_H
#define MULTIOS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "kernel.h"
#include "process.h"
#include "service.h"
#include "types.h"

typedef struct mos_scenario mos_scenario_t;

#define MOS_SCENARIO_NAME_LEN 64   /* names of processes and programs */
#define MOS_SCENARIO_TEXT_LEN 128  /* a timeline entry's strings */
#define MOS_SCENARIO_MAX_FAULTS 64 /* faults one run draws, at most */

/* What the caller overrides of the file's top level (CLI --seed,
 * --until).  Zeroed: nothing. */
typedef struct mos_scenario_opts {
	bool has_seed;
	uint64_t seed;
	bool has_until;
	mos_time_t until;          /* MOS_TIME_NEVER: until nothing is left
				      (still bounded by the file's cap) */
	FILE *trace;               /* NULL; else the run's kernel trace as
				      Chrome Trace Event JSON
				      (mos_trace_write_chrome: the last
				      config trace_capacity events) is
				      written here when the run ends */
	/* A live run: the realtime clock backend (multios/uv.h) at
	 * `speed` virtual seconds per wall second (clock.speed; 0: the
	 * file's), instead of the file's clock. */
	bool realtime;
	double speed;
	/* The host's hooks, each optional, all given hook_data. */
	void *hook_data;
	/* Once the kernel exists, before anything is registered or runs
	 * (a live run opens its admin socket and signal watchers here).
	 * A negative MOS_E* code fails the run with it. */
	int (*on_start)(void *data, mos_kernel_t *k);
	/* At every sample boundary (after the sample) and after every
	 * action, and every `tick` of virtual time when tick is not 0:
	 * a progress line, a stop flag.  Returning true ends the run
	 * there, with the report as it stands (result's interrupted set).
	 * Without `tick` the calls add no stop to the run, so they change
	 * nothing in it; with one, each tick is a stop, which only cfs
	 * notices (it rounds each piece of a split charge down). */
	bool (*on_tick)(void *data, mos_kernel_t *k);
	mos_time_t tick;
	/* Before the kernel is destroyed, whether the run succeeded or
	 * not, when on_start was called (close what on_start opened). */
	void (*on_end)(void *data, mos_kernel_t *k);
	/* Which of the run's drawn faults happen: bit i keeps the fault of
	 * ordinal i (mos_scenario_fault_t); the others are left out, and
	 * nothing else of the run's draws changes.  Without it, all. */
	bool has_fault_mask;
	uint64_t fault_mask;
	/* Leave the timeline out of the result (nevents 0): a run that
	 * only wants the report (multios explore) saves its wording. */
	bool no_timeline;
} mos_scenario_opts_t;

/* A fault the run drew from its seed (docs/SCENARIOS.md, "Faults"). */
typedef struct mos_scenario_fault {
	uint32_t ordinal;          /* in the run's schedule: time order */
	mos_time_t time;
	mos_time_t until;          /* down: when the service is started
				      again; else time */
	char kind[16];             /* crash, hang, kill, signal, memory,
				      down */
	char target[MOS_SCENARIO_NAME_LEN + 16]; /* "web#1", "service db",
						    a process's name */
	bool kept;                 /* false: left out by fault_mask */
} mos_scenario_fault_t;

/* One line of the timeline, in the order things happened. */
typedef struct mos_scenario_event {
	mos_time_t time;
	char subject[MOS_SCENARIO_TEXT_LEN]; /* "web#1 (pid 7)", "service
						web", "scenario" */
	char event[MOS_SCENARIO_TEXT_LEN];   /* "Running -> Zombie",
						"action kill" */
	char reason[MOS_SCENARIO_TEXT_LEN];  /* "exit", "exited 3", "" */
} mos_scenario_event_t;

/* A service at the end of the run. */
typedef struct mos_scenario_service_report {
	char name[MOS_SCENARIO_NAME_LEN];
	mos_service_state_t state;
	mos_svc_reason_t reason;
	uint32_t restarts;
	uint32_t instances;        /* configured slots */
	uint32_t live;             /* live instances now */
	uint32_t ready;
	uint32_t in_rotation;      /* instances the balancer may pick now
				      (ready, not out by a readiness probe) */
	int last_exit_status;      /* wait status; -1: none */
	mos_time_t since;          /* when it entered its state */
	uint32_t max_restarts;     /* its restart policy's start limit: at
				      most this many restarts ... */
	mos_time_t restart_window; /* ... within this (0: no limit) */
	uint32_t restart_burst;    /* the most restarts the run saw within
				      one restart_window (0 without one) */
	uint64_t requests;         /* routed to it, retries included */
	uint64_t replies;          /* of them answered */
	uint64_t request_failures; /* of them failed */
	uint64_t outstanding;      /* of them in service at the end */
	uint64_t health_checks;    /* summed over its slots */
	uint64_t health_failures;
	uint64_t calls;            /* mos_sys_calls to it that returned */
	uint64_t calls_failed;
	mos_time_t latency_p50;    /* over every call that returned, nearest
				      rank; 0: none */
	mos_time_t latency_p90;
	mos_time_t latency_p99;
	mos_time_t latency_max;
	uint64_t instance_calls[MOS_SVC_MAX_INSTANCES]; /* requests routed
				      to each slot in the run, retries
				      included; the first `instances` */
} mos_scenario_service_report_t;

/* A process created during the run (the named ones, service instances,
 * clients, their children), in pid order. */
typedef struct mos_scenario_proc_report {
	mos_pid_t pid;
	char name[MOS_SCENARIO_NAME_LEN]; /* its scenario name, "svc#slot",
					     or its program */
	mos_proc_state_t state;
	int exit_status;           /* wait status once dead; 0 live */
	mos_time_t cpu;            /* user plus system */
	mos_time_t start;          /* when it was created */
	mos_time_t end;            /* when it terminated; MOS_TIME_NEVER
				      while alive */
	mos_time_t reaped;         /* when its parent reaped it;
				      MOS_TIME_NEVER: not (yet) */
	uint32_t over_limits;      /* alive at the end past a hard limit:
				      bit MOS_RLIMIT_CPU, _LIFETIME,
				      _MEMORY (multios/resource.h) */
} mos_scenario_proc_report_t;

/* One point of the run's time series, taken every sample interval of
 * virtual time (the scenario's "sample_interval"), and at the end. */
typedef struct mos_scenario_sample {
	mos_time_t time;
	uint64_t memory;           /* bytes in use at the sample */
	uint32_t cpu_permille;     /* CPU busy over the interval, per mille */
	uint32_t runnable;         /* processes Ready or Running */
	uint32_t processes;        /* in the table (init included) */
	uint64_t requests;         /* calls answered in the interval */
	uint64_t requests_failed;  /* calls that failed in the interval */
	mos_time_t latency_p50;    /* of the calls answered in the interval,
				      nearest rank; 0: none */
	mos_time_t latency_max;
} mos_scenario_sample_t;

typedef struct mos_scenario_result {
	char name[MOS_SCENARIO_NAME_LEN]; /* the file's "name", or "" */
	uint64_t seed;
	mos_time_t end;            /* the virtual time the run stopped */
	uint64_t trace_hash;
	mos_kernel_stats_t stats;
	size_t nevents;
	mos_scenario_event_t *events;
	size_t nservices;
	mos_scenario_service_report_t *services;
	size_t nprocs;
	mos_scenario_proc_report_t *procs;
	uint32_t actions_failed;   /* actions whose request was refused */
	bool interrupted;          /* on_tick ended the run early */
	mos_time_t sample_interval;/* 0: no series */
	size_t nsamples;
	mos_scenario_sample_t *samples; /* in time order */
	size_t nfaults;
	mos_scenario_fault_t *faults;   /* the run's schedule, dropped ones
					   included (kept false) */
} mos_scenario_result_t;

/*
 * Read and check the scenario at path.  Everything a run needs is
 * checked here, registrations included (on a throwaway kernel), so a run
 * fails only for want of memory.  Errors name the file and its
 * line/column (syntax) or the JSON path ("actions[3].at").
 * Errors: MOS_EINVAL (NULL argument), MOS_EIO (unreadable file),
 * MOS_ECONFIG (anything wrong in it), MOS_ENOMEM, the registration errors of
 * mos_service_register_batch (MOS_EDEPEND, MOS_ECYCLE, MOS_ENOPROG...),
 * and those of creating its processes, at "processes[i].command" for a
 * command (MOS_ENOPROG, MOS_ECONFIG) or "processes[i]" (MOS_EEXHAUSTED...).
 * On error *out is NULL and nothing is left allocated.
 */
MOS_API int mos_scenario_load(const char *path, mos_scenario_t **out,
			      mos_error_t *err);

/* The file's "until": when its runs end (MOS_TIME_NEVER for "max", or
 * for a NULL sc). */
MOS_API mos_time_t mos_scenario_until(const mos_scenario_t *sc);
/*
 * mos_scenario_load for a scenario held in memory: the len bytes at text
 * (no terminating NUL needed), checked exactly as a file is.  name stands
 * for the file name in error messages ("demo:3:14: ...", "demo:
 * actions[2].at: ...").  A service given by file name is refused
 * (MOS_ECONFIG at "services[i]"): text has no directory to resolve it
 * against, so declare services inline.  Errors: MOS_EINVAL (text, name or
 * out NULL), MOS_ECONFIG, MOS_ENOMEM and the registration errors, as
 * mos_scenario_load.  On error *out is NULL and nothing is left allocated.
 */
MOS_API int mos_scenario_load_string(const char *text, size_t len,
				     const char *name, mos_scenario_t **out,
				     mos_error_t *err);

/*
 * Replace sc's "faults" with the len bytes of JSON at text: an array of
 * fault objects as the file's "faults" (docs/SCENARIOS.md), or "[]" for
 * none.  Errors name `name` and the JSON path ("--faults: [1].kind: ...").
 * Errors: MOS_EINVAL (NULL argument), MOS_ECONFIG, MOS_ENOMEM; on error
 * sc is unchanged.
 */
MOS_API int mos_scenario_set_faults(mos_scenario_t *sc, const char *text,
				    size_t len, const char *name,
				    mos_error_t *err);

/* The number of fault generators sc has (its "faults" entries). */
MOS_API size_t mos_scenario_fault_count(const mos_scenario_t *sc);

/* ---- invariants (docs/EXPLORE.md) ---- */

#define MOS_SCENARIO_MAX_CHECKS 64

/* Which checks a result failed, and where. */
typedef struct mos_scenario_verdict {
	uint64_t violated;         /* bit i: check i failed */
	char why[MOS_SCENARIO_MAX_CHECKS][MOS_SCENARIO_TEXT_LEN * 2];
				   /* check i's first violation, in words */
} mos_scenario_verdict_t;

/* The number of sc's checks: the built-in ones (requests, deadlines,
 * zombies, recovery, restarts, limits), then the file's expectations. */
MOS_API size_t mos_scenario_check_count(const mos_scenario_t *sc);

/* Check i's name; NULL past the last. */
MOS_API const char *mos_scenario_check_name(const mos_scenario_t *sc,
					    size_t i);

/*
 * Choose checks by name: each of the n specs is NAME, or NAME=DURATION
 * for the checks with a parameter (deadlines, zombies, recovery), which
 * sets it in sc.  n 0: every check.  *enabled gets the mask (bit i: check
 * i).  Errors: MOS_EINVAL (NULL argument), MOS_ECONFIG (an unknown name,
 * a parameter where none is taken, a bad duration; err says which); on
 * error sc is unchanged.
 */
MOS_API int mos_scenario_check_select(mos_scenario_t *sc,
				      const char *const *specs, size_t n,
				      uint64_t *enabled, mos_error_t *err);

/*
 * Check result r of a run of sc against the checks in enabled; *v says
 * which failed and why.  The verdict depends only on sc and r.  Errors:
 * MOS_EINVAL (NULL argument), MOS_ENOMEM (an expectation's document).
 */
MOS_API int mos_scenario_check(const mos_scenario_t *sc,
			       const mos_scenario_result_t *r,
			       uint64_t enabled, mos_scenario_verdict_t *v);

/* Free a loaded scenario (NULL is fine). */
MOS_API void mos_scenario_free(mos_scenario_t *sc);

/*
 * Run sc on a fresh kernel (opts may be NULL) and return the timeline and
 * report in *out (free with mos_scenario_result_free).  An action whose
 * request fails is recorded in the timeline with the error and the run
 * goes on.  Errors: MOS_EINVAL, MOS_ENOMEM, MOS_ERANGE (virtual time
 * overflowed), and kernel creation errors (err says which).
 */
MOS_API int mos_scenario_run(const mos_scenario_t *sc,
			     const mos_scenario_opts_t *opts,
			     mos_scenario_result_t **out, mos_error_t *err);

MOS_API void mos_scenario_result_free(mos_scenario_result_t *r);

/* The result as text: the timeline (when with_timeline) then the report.
 * Errors: MOS_EIO (a write failed). */
MOS_API int mos_scenario_write_text(const mos_scenario_result_t *r,
				    FILE *out, bool with_timeline);

/* The result as one JSON document, keys in a fixed order (with_timeline:
 * the "timeline" array too).  Errors: MOS_ENOMEM, MOS_EIO. */
MOS_API int mos_scenario_write_json(const mos_scenario_result_t *r,
				    FILE *out, bool with_timeline);

/*
 * The result as one self-contained HTML file (docs/REPORTS.md): the
 * scenario's name, seed, end and trace hash; the services, processes and
 * system tables; a Gantt chart of the processes and of the services'
 * states; the time series' plots (inline SVG); the timeline.  No script,
 * nothing fetched; every name from the scenario escaped.  Errors:
 * MOS_EINVAL (NULL argument), MOS_ENOMEM, MOS_EIO (a write failed).
 */
MOS_API int mos_scenario_write_html(const mos_scenario_result_t *r,
				    FILE *out);

/* The key of the run's i-th time series in the JSON's "series" object
 * ("memory_bytes", "cpu_permille", ...), in that order; NULL past the
 * last. */
MOS_API const char *mos_scenario_series_name(size_t i);

/*
 * Read the run's JSON document at path (what mos_scenario_write_json
 * writes) and write the plots of its time series as one standalone SVG
 * document to out: one chart per series, each series exactly one
 * <path class="series" data-series="KEY">.  series: the keys to draw,
 * NULL-terminated (NULL: all of them).  The whole document is checked
 * before anything is written.  Errors: MOS_EINVAL (a NULL argument, an
 * unknown series key), MOS_EIO (the file cannot be read, a write
 * failed), MOS_ECONFIG (a syntax error: err has the line and column; a
 * document that is not a run's: err names the JSON path, as
 * "series.time_ns: expected an array of integers"), MOS_ENOMEM.
 */
MOS_API int mos_scenario_plot_file(const char *path,
				   const char *const *series, FILE *out,
				   mos_error_t *err);

#endif
