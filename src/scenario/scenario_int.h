/*
 * src/scenario/scenario_int.h - scenario files (multios/scenario.h).
 *
 * src/scenario/ owns scenario files: the loader (scenario_load.c: the
 * JSON document into a checked mos_scenario_t, through the shared JSON
 * reader, the configuration overlay and the service descriptor reader of
 * src/json/), the actions (scenario_act.c: one table entry per action
 * name, each with its keys, its check at load and its deed at run time),
 * the runner (scenario_run.c: a fresh kernel, the actions at their exact
 * virtual times, the timeline from the typed trace, the final report)
 * and the writers of a result as text and JSON (scenario_out.c).  It is
 * a client of the public API, plus the kernel's seams for the two deeds
 * the public API has no call for: ending a process with a chosen exit
 * code (a crash) and recording a host mark in the trace.
 */
#ifndef MOS_SCENARIO_INT_H
#define MOS_SCENARIO_INT_H

#include <stddef.h>

#include "json/service_json.h"
#include "multios/multios.h"
#include "multios/scenario.h"

#define SC_MAX_PROCS 4096
#define SC_MAX_ACTIONS 65536
#define SC_MAX_PROGRAMS 1024
#define SC_MAX_SAMPLES 100000   /* then the series stops growing */
#define DEFAULT_SAMPLE (100 * MOS_MSEC)

/* A named script program: its steps as compact JSON text. */
typedef struct sc_program {
	char name[MOS_SCENARIO_NAME_LEN];
	char *text;
} sc_program_t;

/* A process the scenario creates at its start time. */
typedef struct sc_proc {
	char name[MOS_SCENARIO_NAME_LEN];
	const char *const *command;  /* named programs expanded */
	mos_time_t start;
	mos_priority_t prio;
	mos_prio_class_t cls;
	mos_uid_t uid;               /* MOS_UID_INHERIT: root */
	json_t *limits;              /* borrowed; NULL: none */
} sc_proc_t;

typedef struct sc_action sc_action_t;
typedef struct sc_run sc_run_t;
typedef struct sc_load_ctx sc_load_ctx_t;

/* Which target keys an action takes. */
enum {
	SC_T_SERVICE = 1u,      /* "service" required */
	SC_T_PROC = 2u,         /* "process", or "service" + "instance" */
};

/* One action name: its keys beyond "at" and "do", what it targets, its
 * own keys' check at load (may be NULL), its deed (returns 0 or a
 * MOS_E* code, why filled with a short text for the timeline). */
typedef struct sc_act_type {
	const char *name;
	unsigned target;
	const char *const *keys;
	int (*parse)(mos_jload_t *ld, json_t *o, sc_action_t *a,
		     sc_load_ctx_t *c);
	int (*run)(sc_run_t *r, const sc_action_t *a, char *why, size_t len);
} sc_act_type_t;

struct sc_action {
	mos_time_t at;
	mos_time_t jitter;           /* a run adds 0 .. jitter (its seed) */
	size_t index;                /* in the file: ties keep file order;
					a fault's come after the file's */
	int fault;                   /* a drawn fault's ordinal; -1: the
					file's action */
	const sc_act_type_t *type;
	const char *service;         /* borrowed; NULL: none */
	long proc;                   /* index into procs; -1: none */
	uint32_t slot;               /* the service instance */
	int sig;
	int code;
	uint32_t count;              /* clients: processes to spawn */
	const char *const *argv;     /* clients: the command */
	const char *label;           /* mark */
	json_t *obj;                 /* the action, for limits re-read */
};

/* One entry of "faults": what a run draws its faults from
 * (scenario_fault.c). */
typedef struct sc_fault_gen {
	char kind[16];               /* crash, hang, kill, signal, memory,
					down */
	sc_action_t proto;           /* the deed, its keys read */
	const char *const *services; /* candidates (borrowed); NULL: proto's
					process */
	size_t nservices;
	bool any_instance;           /* no "instance": drawn */
	uint32_t min, max;           /* "count" */
	double rate;                 /* per second; 0: "count" */
	bool has_window;
	mos_time_t from, to;         /* "window"; else 0 .. the run's end */
	mos_time_t dur;              /* down: "for" */
} sc_fault_gen_t;

/* An expectation of "invariants": the value at path compared with value
 * (scenario_inv.c). */
typedef struct sc_expect {
	char name[MOS_SCENARIO_NAME_LEN];
	char path[MOS_SCENARIO_TEXT_LEN];
	int op;                      /* == != < <= > >= */
	json_t *value;               /* borrowed from the document */
} sc_expect_t;

/* The invariants' parameters and the file's expectations. */
typedef struct sc_inv {
	mos_time_t zombie_age;       /* zombies: at most this long */
	mos_time_t recovery;         /* recovery: Running within this */
	mos_time_t deadline;         /* deadlines: 0: the clients' timeout */
	sc_expect_t *expect;
	size_t nexpect;
	bool timeline;               /* an expectation reads the timeline */
} sc_inv_t;

struct mos_scenario {
	char *path;                  /* or the name given with the text */
	bool from_text;              /* mos_scenario_load_string */
	json_t *root;
	char name[MOS_SCENARIO_NAME_LEN];
	mos_config_t cfg;
	mos_time_t until;            /* MOS_TIME_NEVER: until nothing left */
	mos_time_t cap;
	mos_time_t sample;           /* the series' interval; 0: none */
	load_t svc;                  /* the service descriptors + blocks */
	mos_error_t svc_err;         /* svc.err points here */
	sc_program_t *progs;
	size_t nprogs;
	sc_proc_t *procs;
	size_t nprocs;
	sc_action_t *acts;           /* sorted by (at, index) */
	size_t nacts;
	const char *const *autostart;/* NULL: every service, in order */
	sc_fault_gen_t *faults;      /* "faults", or --faults */
	size_t nfaults;
	json_t *faults_root;         /* what set_faults read (owned) */
	const char **fault_names;    /* the generators' service lists */
	mos_time_t probe_jitter;     /* each probe's first check moved by
					0 .. this, per run */
	sc_inv_t inv;
};

/* The loader's state while it reads actions. */
struct sc_load_ctx {
	mos_scenario_t *sc;
};

/* A raw timeline record, formatted when the run is over. */
typedef struct sc_raw {
	mos_time_t time;
	int32_t subject;
	uint8_t kind;                /* mos_trace_kind_t, or SC_RAW_ACTION */
	uint8_t cause;
	uint64_t a, b;
	const sc_action_t *act;      /* SC_RAW_ACTION: the action, or
					NULL for an autostart */
	const char *svc;             /* an autostart's service */
	char *why;                   /* SC_RAW_ACTION: the deed's words */
} sc_raw_t;

#define SC_RAW_ACTION 0xffu

/* A pid's name, as learnt during the run. */
typedef struct sc_label {
	mos_pid_t pid;
	char name[MOS_SCENARIO_NAME_LEN];
} sc_label_t;

/* Latencies of the calls to one service. */
typedef struct sc_calls {
	mos_service_id_t id;
	uint64_t failed;
	mos_time_t *lat;
	size_t n, cap;
} sc_calls_t;

/* When one service restarted (learnt from its status's count). */
typedef struct sc_restarts {
	mos_service_id_t id;
	uint32_t seen;               /* its restart count so far */
	mos_time_t *t;
	size_t n, cap;
} sc_restarts_t;

struct sc_run {
	const mos_scenario_t *sc;
	sc_action_t *acts;           /* this run's: the file's (jittered)
					and its faults, by (at, index) */
	size_t nacts;
	mos_scenario_fault_t *faults;/* this run's schedule, in order */
	size_t nfaults;
	mos_service_descriptor_t *descs; /* this run's (probe phases);
					    NULL: the scenario's */
	const mos_scenario_opts_t *opts;
	mos_time_t next_tick;        /* opts->tick's; MOS_TIME_NEVER: none */
	bool stopped;                /* on_tick asked to end the run */
	mos_kernel_t *k;
	mos_pid_t *pids;             /* of sc->procs; 0: not created */
	sc_raw_t *raw;
	size_t nraw, rawcap;
	sc_label_t *labels;
	size_t nlabels, labcap;
	sc_calls_t *calls;
	size_t ncalls;
	sc_restarts_t *rst;
	size_t nrst;
	/* The time series: the samples so far, and what the observer has
	 * tallied since the last one. */
	mos_scenario_sample_t *samples;
	size_t nsamples, samplecap;
	mos_time_t next_sample;      /* MOS_TIME_NEVER: no more */
	mos_time_t last_busy;
	uint64_t iv_failed;
	mos_time_t *iv_lat;          /* answered calls' latencies */
	size_t iv_n, iv_cap;
	bool nomem;                  /* a record could not be kept */
};

/* scenario_act.c */
/* The descriptor of the scenario's service name; NULL: none. */
const mos_service_descriptor_t *mos__sc_desc_named(const mos_scenario_t *sc,
						   const char *name);
const sc_act_type_t *mos__sc_act_find(const char *name);
/* The action names, NULL-terminated (for messages and docs). */
const char *mos__sc_act_names(void);
/* The pid an action targets now (a process, or a service's slot), or
 * a MOS_E* code. */
int mos__sc_target(sc_run_t *r, const sc_action_t *a, mos_pid_t *pid);

/* scenario_fault.c */
/* Read the "faults" array at root (absent: none) into sc. */
int mos__sc_read_faults(mos_jload_t *ld, mos_scenario_t *sc, json_t *root);
void mos__sc_faults_free(mos_scenario_t *sc);
/* This run's actions (r->acts) and fault schedule (r->faults): the
 * file's actions with their jitter, the faults drawn from seed for a run
 * ending at end, those fault_mask drops left out. */
int mos__sc_plan(sc_run_t *r, uint64_t seed, mos_time_t end);

/* scenario_inv.c: "invariants" at root (absent: the defaults). */
int mos__sc_read_invariants(mos_jload_t *ld, mos_scenario_t *sc,
			    json_t *root);

/* scenario_run.c */
int mos__sc_label(sc_run_t *r, mos_pid_t pid, const char *name);
const char *mos__sc_label_of(const sc_run_t *r, mos_pid_t pid);

/* scenario_report.c: the timeline and the report of a finished run. */
int mos__sc_report(sc_run_t *r, mos_scenario_result_t *res);

/* scenario_series.c: the time series, and the helpers the report shares.
 * The runner moves the kernel only through mos__sc_advance (to t, with
 * the samples on the way). */
void mos__sc_series_start(sc_run_t *r);
/* 0, a MOS_E* code, or SC_STOPPED when the host's on_tick ended the run
 * (the clock then reads the boundary where it did). */
int mos__sc_advance(sc_run_t *r, mos_time_t t);
#define SC_STOPPED 1
/* The host's on_tick, once the kernel stands still; SC_STOPPED or 0. */
int mos__sc_tick(sc_run_t *r);
void mos__sc_tally(sc_run_t *r, bool failed, mos_time_t latency);
/* Moves the samples into res (with the last one, at the end). */
void mos__sc_series_end(sc_run_t *r, mos_scenario_result_t *res);
void mos__sc_sort_times(mos_time_t *v, size_t n);
/* Nearest rank: the smallest value with at least p% at or below it. */
mos_time_t mos__sc_rank(const mos_time_t *v, size_t n, unsigned p);
int mos__sc_push_time(mos_time_t **v, size_t *n, size_t *cap, mos_time_t x);

/* scenario_out.c: the result as the JSON document of --json (NULL: out
 * of memory). */
json_t *mos__sc_doc(const mos_scenario_result_t *r, bool with_timeline);

/* scenario_load.c: the index of the named process name; -1: none. */
long mos__sc_proc_named(const mos_scenario_t *sc, const char *name);

/* scenario_load.c: a named program's command expanded ("script" TEXT
 * ARGS...) in the scenario's blocks, or argv itself. */
int mos__sc_expand(mos_jload_t *ld, mos_scenario_t *sc,
		   const char *const *argv, const char *const **out);

#endif
