/*
 * multios/config.h - kernel configuration.
 *
 * mos_config_t is a plain struct.  Start from mos_config_default(), which
 * fills in the defaults the MultiOS documentation gives, then change fields or
 * overlay a JSON file with mos_config_load_json().  The kernel copies the
 * struct at creation; later changes to the caller's copy have no effect.
 *
 * JSON form (every key optional; unknown keys are errors; the allocator,
 * alloc, is set in C only and a file leaves it as it was):
 *
 *   {
 *     "max_processes": 65536,
 *     "max_service_processes": 1024,
 *     "default_stack_size": 8388608,
 *     "default_memory_limit": 268435456,
 *     "default_file_descriptor_limit": 1024,
 *     "enable_process_accounting": true,
 *     "enable_resource_monitoring": true,
 *     "service_timeout_ms": 30000,
 *     "grace_period_ms": 5000,
 *     "emergency_termination_timeout_ms": 10000,
 *     "seed": 1,
 *     "host_stack_size": 65536,
 *     "stack_guard_pages": false,
 *     "context_backend": "auto",
 *     "history_size": 1024,
 *     "trace_capacity": 4096,
 *     "scheduler": { "policy": "multios", "time_slice_ms": 10,
 *                    "context_switch_cost_ms": 0, "preemptive": true,
 *                    "aging_ms": 0, "queues": 3, "quanta_ms": [10, 20, 40],
 *                    "allotments": [1, 1, 1], "boost_ms": 0,
 *                    "io_bump": false, "stay": false,
 *                    "legacy_boost": false, "seed": 0,
 *                    "draw": "tree", "draw_skip": 0, "seed_words": [],
 *                    "min_granularity_ms": 0.75, "target_latency_ms": 6,
 *                    "tick_ms": 1 },
 *     "clock": { "backend": "virtual", "speed": 1.0 },
 *     "resources": { "memory_size": 4294967296, "memory_backing": false,
 *                    "device": { "latency_ms": 0.1,
 *                                "bandwidth": 100000000,
 *                                "queue_depth": 1,
 *                                "scheduler": "fifo" },
 *                    "syscall_costs_ms": { "spawn": 0.01, ... },
 *                    "sample_interval_ms": 0, "sample_capacity": 64,
 *                    "monitor_window_ms": 1000 },
 *     "ipc": { "mailbox_capacity": 64, "encryption_cost_us": 20 },
 *     "users": { "0": "root", "1000": "alice" }
 *   }
 *
 * "users" names uids for the admin's ps (multios/admin.h): each key a
 * uid in decimal digits (no sign, no leading zero, at most 4294967294),
 * each value its name, 1 to MOS_USER_NAME_LEN - 1 printable ASCII
 * characters without spaces; at most MOS_CONFIG_MAX_USERS entries, no
 * name twice.  A file's table replaces the one before it; none by
 * default (ps then shows uids in digits).  Errors name the entry
 * ("users.01: ...").
 */
#ifndef MULTIOS_CONFIG_H
#define MULTIOS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysno.h"
#include "types.h"

#define MOS_POLICY_NAME_LEN 32
#define MOS_BACKEND_NAME_LEN 16
#define MOS_MLFQ_MAX_QUEUES 16

/*
 * How lottery draws (docs/SCHEDULERS.md):
 *   MOS_LOTTERY_TREE   xoshiro256** over a sum tree, no modulo bias (default)
 *   MOS_LOTTERY_OSTEP  exactly as OSTEP's lottery.py: CPython's random()
 *                      seeded by random.seed(n), r = int(random() * 1000001),
 *                      winner r % total, the runnable processes walked in
 *                      attach (pid) order; one random() per pick
 */
typedef enum mos_lottery_draw {
	MOS_LOTTERY_TREE = 0,
	MOS_LOTTERY_OSTEP = 1
} mos_lottery_draw_t;

#define MOS_LOTTERY_SEED_WORDS 8

/*
 * The scheduler policy and its parameters (docs/SCHEDULERS.md has each
 * policy's rules).  Times are nanoseconds; JSON gives them in ms.
 */
typedef struct mos_sched_params {
	char policy[MOS_POLICY_NAME_LEN]; /* "multios" (see mos_sched_policies) */
	mos_time_t time_slice;   /* multios's base slice; the quantum of rr,
				    lottery and stride; mlfq's quantum when
				    quanta is empty; 10 ms */
	mos_time_t tick;         /* unit of mlfq's boost allotment; 1 ms */
	mos_time_t switch_cost;  /* idle CPU per context switch; 0 */
	bool preemptive;         /* priority: preempt on a more urgent arrival;
				    true */
	mos_time_t aging;        /* priority: a Ready process's number drops by
				    one per `aging` waited; 0 = off */
	uint32_t queues;         /* mlfq levels; 3 */
	uint32_t nquanta;        /* entries in quanta (0: all time_slice) */
	mos_time_t quanta[MOS_MLFQ_MAX_QUEUES];     /* [0] is the top queue */
	uint32_t nallotments;    /* entries in allotments (0: all 1) */
	uint32_t allotments[MOS_MLFQ_MAX_QUEUES];   /* in quanta; [0] = top */
	mos_time_t boost;        /* mlfq: move every job to the top this often;
				    0 = never */
	bool io_bump;            /* mlfq: back from I/O to the front */
	bool stay;               /* mlfq: I/O resets the allotment */
	bool legacy_boost;       /* mlfq: boost as the 2020 mlfq.py did (slice
				    allotments[0] x tick, allotment kept);
				    false */
	uint64_t seed;           /* lottery's draws; 0: the kernel's seed (the
				    tree draw; the ostep draw: random.seed(0)) */
	uint32_t lottery_draw;   /* mos_lottery_draw_t; MOS_LOTTERY_TREE */
	uint32_t nseed_words;    /* ostep draw: 0 (use seed) to 8 words */
	uint32_t seed_words[MOS_LOTTERY_SEED_WORDS]; /* ostep draw: |n| of
				    random.seed(n), least significant first */
	uint64_t draw_skip;      /* ostep draw: random() calls thrown away
				    after seeding (the script's own draws) */
	mos_time_t min_granularity; /* cfs; 0.75 ms */
	mos_time_t target_latency;  /* cfs; 6 ms */
} mos_sched_params_t;

#define MOS_DEVICE_SCHED_LEN 16

/*
 * The simulated block device (multios/resource.h): a request waits in the
 * queue until one of queue_depth service slots is free, then takes
 * latency + bytes / bandwidth.
 */
typedef struct mos_device_params {
	mos_time_t latency;      /* per request; 100 us; at most 1 hour
				    (MOS_ECONFIG past it) */
	uint64_t bandwidth;      /* bytes per second, at least 1; 100 MB/s */
	uint32_t queue_depth;    /* requests served at once, 1 .. 1024; 1 */
	char scheduler[MOS_DEVICE_SCHED_LEN]; /* which waiting request goes
				    next: "fifo" (arrival) or "priority"
				    (I/O priority, then arrival); "fifo" */
} mos_device_params_t;

/* Resources (multios/resource.h).  JSON: "resources": {...}, times in ms. */
typedef struct mos_resource_params {
	uint64_t memory_size;    /* the machine's memory, bytes, at least
				    4096; 4 GiB */
	bool memory_backing;     /* allocations backed by host memory;
				    false */
	mos_device_params_t device;
	mos_time_t syscall_cost[MOS_SYS_COUNT]; /* CPU time each call costs
				    the caller, charged as system time
				    (multios/sysno.h names them); all 0, so
				    that no exact time changes unless asked */
	mos_time_t sample_interval; /* sample every process, group and the
				    kernel this often, on a background
				    timer; 0 (the default): never */
	uint32_t sample_capacity;   /* samples kept in each ring, 1 .. 2^20;
				    64 */
	mos_time_t monitor_window;  /* the rates of mos_kernel_stats_t are
				    over this much virtual time, at least
				    1 ms; 1 s */
} mos_resource_params_t;

/*
 * Where a kernel, and the loaders and runs that work for it, get their
 * memory (Lua's lua_Alloc, split in three).  All three functions NULL (the
 * default) means the C library's malloc, realloc and free; otherwise all
 * three must be set (mos_config_validate: MOS_ECONFIG).  ud is passed
 * back to every call.  The library keeps this contract:
 *   malloc(ud, n)      n > 0; returns memory aligned as malloc's, or NULL
 *   realloc(ud, p, n)  p from this allocator (never NULL), n > 0; returns
 *                      the moved block, or NULL and p is left as it was
 *   free(ud, p)        p from this allocator, never NULL
 * Every allocation of the kernel goes through it: the kernel object, the
 * pid table, the control-block and stack slab headers, the process
 * strings, the trace ring and its labels, the timer heap, the event
 * subscribers and their queue, the policies' run queues, the program
 * table, the program states (a prepare hook is given the allocator), the
 * host context and the realtime clock's state; so do the workload
 * loader's and mos_sched_run_workload's (mos_workload_load_json_alloc).
 * A failed allocation fails the call that made it with MOS_ENOMEM and
 * changes nothing.  The functions are called on the thread that uses the
 * kernel, sometimes on a simulated process's stack (a spawn, a trace
 * mark, an event queued by an exit): keep their stack use small.
 *
 * Not through it: the pages of control blocks and coroutine stacks (mmap,
 * populated or guarded as the pools need); what libuv allocates for the
 * realtime clock's loop (libuv's allocator is process-wide); and
 * jansson's allocations while a file or a script is parsed.  jansson's
 * allocator is process-wide (json_set_alloc_funcs) and the library leaves
 * it alone.  When jansson runs out, the call fails with MOS_ENOMEM where
 * jansson says so; its lexer reports some of those as a fault of the text
 * (an invalid token, a lost character), which a loader then returns as
 * MOS_ECONFIG.
 */
typedef struct mos_allocator {
	void *(*malloc)(void *ud, size_t n);
	void *(*realloc)(void *ud, void *p, size_t n);
	void (*free)(void *ud, void *p);
	void *ud;
} mos_allocator_t;

/* IPC (multios/ipc.h). */
typedef struct mos_ipc_params {
	uint32_t mailbox_capacity; /* messages a mailbox holds: 64, 1..65536 */
	uint32_t encryption_cost_us; /* CPU per message at each end of an
					encrypted service's traffic when its
					descriptor gives none: 20,
					1..1000000 (multios/service.h) */
} mos_ipc_params_t;

#define MOS_CONFIG_MAX_USERS 64 /* entries of the users table */
#define MOS_USER_NAME_LEN 32     /* a user name with its NUL */

/* One entry of the users table. */
typedef struct mos_user {
	uint32_t uid;              /* a mos_uid_t, not MOS_UID_INHERIT */
	char name[MOS_USER_NAME_LEN];
} mos_user_t;

typedef struct mos_config {
	/* The MultiOS documentation's ProcessManagerConfig, same defaults. */
	uint32_t max_processes;                 /* 65536, init included */
	uint32_t max_service_processes;         /* 1024 */
	uint64_t default_stack_size;            /* 8 MiB (simulated limit) */
	uint64_t default_memory_limit;          /* 256 MiB */
	uint32_t default_file_descriptor_limit; /* 1024 */
	bool enable_process_accounting;         /* true */
	bool enable_resource_monitoring;        /* true */
	uint32_t service_timeout_ms;            /* 30000 */
	uint32_t grace_period_ms;               /* 5000 */
	uint32_t emergency_termination_timeout_ms; /* 10000 */

	/* Simulator settings. */
	uint64_t seed;             /* kernel PRNG seed; 1 */
	uint32_t host_stack_size;  /* bytes of host stack per coroutine; 64 KiB
				      (256 KiB under AddressSanitizer) */
	bool stack_guard_pages;    /* a PROT_NONE page below each stack; false
				      (the canary check is always on) */
	char context_backend[MOS_BACKEND_NAME_LEN]; /* "auto" (asm on x86-64
				      Linux, else ucontext; the environment
				      variable MOS_CTX overrides it), "asm",
				      "ucontext" */
	uint32_t history_size;     /* reaped processes kept for queries; 1024 */
	uint32_t trace_capacity;   /* events kept in the trace ring; 4096 */
	mos_sched_params_t sched;  /* policy "multios", 10 ms slice */
	char clock_backend[MOS_BACKEND_NAME_LEN];   /* "virtual", "realtime"
				      (its libuv loop: multios/uv.h) */
	double clock_speed;        /* realtime only: virtual s per wall s; 1.0 */
	mos_resource_params_t res; /* memory, device, syscall costs,
				      sampling */
	mos_ipc_params_t ipc;      /* mailboxes */
	uint32_t nusers;           /* entries used in users; 0 */
	mos_user_t users[MOS_CONFIG_MAX_USERS]; /* uid -> name for ps, in
				      the file's order; checked as the JSON
				      is (above) */
	mos_allocator_t alloc;     /* all NULL: libc (C only, not in JSON) */
} mos_config_t;

/* Fill *cfg with the defaults above.  Never fails. */
MOS_API void mos_config_default(mos_config_t *cfg);

/* Fill *p with the scheduler defaults above.  Never fails. */
MOS_API void mos_sched_params_default(mos_sched_params_t *p);

/* Names of the scheduler policies, NULL-terminated, in a fixed order. */
MOS_API const char *const *mos_sched_policies(void);

/*
 * Check every field of *cfg for range and consistency.
 * Errors: MOS_EINVAL (cfg NULL), MOS_ECONFIG (a field out of range; err, if
 * not NULL, names the field by its JSON path, or "alloc" for an allocator
 * with some but not all of its functions set).
 */
MOS_API int mos_config_validate(const mos_config_t *cfg, mos_error_t *err);

/*
 * Overlay the JSON file at path onto *cfg.  Keys absent from the file keep
 * the value *cfg had.  On any error *cfg is left exactly as it was.
 * cfg->alloc is the loader's allocator (a file cannot set it); the loader
 * makes no allocation of its own today, only jansson's (process-wide).
 * Errors: MOS_EINVAL (NULL path or cfg), MOS_EIO (file unreadable),
 * MOS_ECONFIG (syntax error: err names file:line:column; unknown key, wrong
 * type or value out of range: err names the file and the key's JSON path).
 */
MOS_API int mos_config_load_json(const char *path, mos_config_t *cfg,
				 mos_error_t *err);

#endif
