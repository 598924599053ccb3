/*
 * src/sched/sched.h - the scheduler policy interface (a sched_class).
 *
 * src/sched/ owns the twelve policies (and lottery's ostep draw,
 * lottery_ostep.c), the policy table and what they
 * share (FIFO queues, class maps, the process heap, the single-heap
 * hooks).  A file here includes this header, fair.h, src/util/ and the
 * public headers, nothing else: a policy sees a process only through the
 * accessors below, which the kernel implements.
 *
 * The kernel core owns process state and the CPU; a policy only decides
 * who runs and for how long.  A policy is a const table of hooks, one file
 * per policy under src/sched/, chosen by name (config sched.policy).  Hooks
 * never allocate and cannot fail, except init and attach.  They allocate
 * only from the allocator init is given (the kernel's, which outlives the
 * run queue; fini is given it again), and a failed attach leaves no new
 * block behind, only spare capacity: attach is the last step of a create
 * that can fail, so a failed create gives back all it took.
 *
 * Life of a process, as a policy sees it:
 *   attach      created (still New; may not be admitted yet)
 *   enqueue     became runnable: admitted, woken, resumed
 *   pick_next   chosen to run; the policy may keep it in its structures
 *               (as mlfq does, like Linux's RT class) or take it out
 *   charge      ran for `ran` nanoseconds
 *   put_prev    stopped running: with SLICE/PREEMPT/YIELD it stays
 *               runnable and the policy puts it where it belongs; with
 *               SLEEP/EXIT it leaves the runnable set
 *   dequeue     a runnable process that is not running leaves (suspended,
 *               killed)
 *   reprio      its priority level changed (mos_process_set_priority)
 *   detach      died
 *
 * The kernel asks `preempts(curr)` after every enqueue and event: should the
 * running process give the CPU up now?  `slice_left(p)` is the running
 * process's remaining time slice (MOS_TIME_NEVER: no slice); the kernel
 * calls put_prev(SLICE) when it reaches 0.  `next_event` (optional) is the
 * next instant the policy wants control (mlfq's boost, priority aging); the
 * kernel calls `event` then, before the timers due at that instant.
 *
 * `reprio(p, old, queued)` tells the policy that p's priority level
 * (mos__sched_level_of) is no longer `old`, while p is runnable: queued
 * (Ready in the policy's structures, not picked) or the picked one
 * (queued false: running, or being switched to).  The policy puts a
 * queued p where the new level belongs, and returns true when the change
 * may call for a preemption: the kernel then asks `preempts`.  A policy
 * that orders by nothing the level affects leaves everything as it was
 * and returns false (mos__sched_reprio_none), so that not even a
 * preemption check happens that would not have happened without the
 * change.  Every policy sets it.
 */
#ifndef MOS_SCHED_H
#define MOS_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "util/alloc.h"
#include "util/list.h"
#include "multios/config.h"
#include "multios/process.h"
#include "multios/types.h"

typedef enum mos_enq_reason {
	MOS_ENQ_NEW,     /* admitted */
	MOS_ENQ_WAKE,    /* woken from Blocked */
	MOS_ENQ_RESUME   /* resumed from Suspended */
} mos_enq_reason_t;

typedef enum mos_put_reason {
	MOS_PUT_SLICE,   /* used its whole slice; still runnable */
	MOS_PUT_PREEMPT, /* something more urgent takes the CPU; runnable */
	MOS_PUT_YIELD,   /* gave the CPU up; runnable */
	MOS_PUT_SLEEP,   /* blocked or suspended: leaves the runnable set */
	MOS_PUT_EXIT     /* died: leaves the runnable set */
} mos_put_reason_t;

/*
 * Per-process scheduling data, owned by the policy in force.  The fields a
 * decision reads and writes come first and fit one cache line (the control
 * block aligns this struct to 64 bytes, right after the line that holds the
 * pid, the state and the sched attributes): with 65 536 processes a
 * decision's misses on the chosen process are what it costs.
 */
typedef struct mos_sched_ent {
	uint64_t key2;        /* stride: the fraction of the pass */
	uint64_t vruntime;    /* cfs; stride's pass */
	mos_time_t slice;     /* remaining slice; 0 when none is running */
	mos_time_t burst;     /* rest of the declared CPU burst (sjf, stcf) */
	mos_time_t ready_since; /* when it last became runnable (set by the
				   kernel; a preempted_first heap policy
				   backdates it by the credit a preempted
				   process keeps) */
	mos_time_t waited;    /* heap policies: how long it had waited when
				 last picked */
	uint32_t index;       /* heap member id (mos_pheap_t) */
	uint32_t weight;      /* cfs: its weight, nice x group (reweight) */
	bool queued;          /* in the policy's ready structure */
	/* second line */
	uint32_t level;       /* queue index */
	uint32_t allot;       /* mlfq: quanta left at this level */
	uint32_t slot;        /* lottery: tree slot */
	mos_list_t node;      /* run-queue link */
	mos_list_t all;       /* attach list link (policies that keep one) */
} mos_sched_ent_t;

typedef struct mos_sched_class {
	const char *name;
	int (*init)(const mos_sched_params_t *params, uint64_t seed,
		    const mos_allocator_t *alloc, void **rq);
	void (*fini)(void *rq, const mos_allocator_t *alloc);
	int (*attach)(void *rq, mos_proc_t *p);                /* optional */
	void (*detach)(void *rq, mos_proc_t *p);               /* optional */
	void (*enqueue)(void *rq, mos_proc_t *p, mos_enq_reason_t why, mos_time_t now);
	void (*dequeue)(void *rq, mos_proc_t *p);
	mos_proc_t *(*pick_next)(void *rq, mos_time_t now);
	void (*put_prev)(void *rq, mos_proc_t *p, mos_put_reason_t why, mos_time_t now);
	bool (*preempts)(void *rq, const mos_proc_t *curr, mos_time_t now); /* optional */
	mos_time_t (*slice_left)(void *rq, const mos_proc_t *p);
	void (*charge)(void *rq, mos_proc_t *p, mos_time_t ran);
	mos_time_t (*next_event)(void *rq, const mos_proc_t *curr); /* optional */
	/* Optional: a process likely to be dispatched within the next few
	 * dispatches if nothing changes, or NULL (no guess, or too few
	 * processes to matter).  The kernel warms its control block. */
	mos_proc_t *(*likely_next)(void *rq);
	void (*event)(void *rq, mos_time_t now);               /* optional */
	bool (*reprio)(void *rq, mos_proc_t *p, int old, bool queued,
		       mos_time_t now);
	/* Optional: p's share is scaled by scale / MOS_WEIGHT_SCALE from
	 * now on (its resource group's cpu.weight along the path, set by
	 * the resources through the kernel).  runnable: in the runnable set
	 * (queued, or the running one); queued: in the ready structure.
	 * Only policies that weigh (cfs) set it. */
	void (*reweight)(void *rq, mos_proc_t *p, uint64_t scale,
			 bool runnable, bool queued);
} mos_sched_class_t;

/* The scale of weight 1 (cpu.weight 100 everywhere on the path). */
#define MOS_WEIGHT_SCALE (1u << 20)

/* The policy called name, or NULL. */
const mos_sched_class_t *mos__sched_find(const char *name);

/* The hook table params ask for: the policy named params->policy, or a
 * variant of it (lottery with lottery_draw MOS_LOTTERY_OSTEP:
 * mos__sched_lottery_ostep, lottery_ostep.c); NULL for an unknown name. */
const mos_sched_class_t *mos__sched_for(const mos_sched_params_t *params);

/* ---- a process as a policy sees it ------------------------------------
 *
 * The kernel implements these (src/kernel/sched_access.c): a policy never
 * sees the control block, only its own mos_sched_ent_t, the attributes
 * and the few facts below. */

mos_sched_ent_t *mos__sched_ent(mos_proc_t *p);
const mos_sched_ent_t *mos__sched_ent_c(const mos_proc_t *p);
mos_proc_t *mos__sched_proc(mos_sched_ent_t *e);
int mos__sched_level_of(const mos_proc_t *p);       /* mos_priority_t */
int mos__sched_class_of(const mos_proc_t *p);       /* mos_prio_class_t */
const mos_sched_attr_t *mos__sched_attr(const mos_proc_t *p);
mos_pid_t mos__sched_pid(const mos_proc_t *p);     /* the last tie-break */
/* When p was admitted (edf deadlines count from there). */
mos_time_t mos__sched_admitted(const mos_proc_t *p);

/* ---- helpers for policies (sched_common.c) --------------------------- */

/* A FIFO of processes (fifo, rr, mlfq levels, multios levels). */
typedef struct mos_fifo {
	mos_list_t head;
	uint32_t n;
} mos_fifo_t;

void mos__fifo_init(mos_fifo_t *q);
void mos__fifo_push(mos_fifo_t *q, mos_proc_t *p);       /* at the tail */
void mos__fifo_push_front(mos_fifo_t *q, mos_proc_t *p);
void mos__fifo_remove(mos_fifo_t *q, mos_proc_t *p);
mos_proc_t *mos__fifo_peek(const mos_fifo_t *q);
mos_proc_t *mos__fifo_pop(mos_fifo_t *q);
/* Round robin's guess for likely_next: the one after queued p (the head
 * when p is NULL), or NULL when fewer than MOS_LIKELY_MIN are queued
 * (their control blocks stay in the cache anyway). */
#define MOS_LIKELY_MIN 16
mos_proc_t *mos__fifo_likely(const mos_fifo_t *q, const mos_proc_t *p);

/*
 * A map from a 64-bit class value (a priority, a ticket count...) to a
 * small index, by open addressing with linear probing and deletion by
 * backward shift.  Used only to look a class up, never iterated, so its
 * hash order cannot reach a schedule.  The caller provides the arrays (cap
 * a power of two) and keeps at most cap / 2 entries in them.
 */
#define MOS_IDMAP_NONE UINT32_MAX

typedef struct mos_idmap {
	uint64_t *key;
	uint32_t *val;   /* MOS_IDMAP_NONE: empty */
	uint32_t cap;
} mos_idmap_t;

void mos__idmap_init(mos_idmap_t *m, uint64_t *key, uint32_t *val, uint32_t cap);
uint32_t mos__idmap_find(const mos_idmap_t *m, uint64_t key); /* or NONE */
void mos__idmap_insert(mos_idmap_t *m, uint64_t key, uint32_t val);
void mos__idmap_delete(mos_idmap_t *m, uint64_t key);

/*
 * A min-heap of processes ordered by (key, key2, pid), the keys given at
 * push (pheap.c).  Each push also names the process's class (same
 * priority, period, weight...): the members of a class that arrive in
 * order form a sorted run of which only the first is in the heap, so the
 * round-robin-like pushes of a scheduler are O(1) and the heap holds about
 * one entry per class; other pushes cost O(log n).  The heap is 4-ary,
 * keeps its entries' keys inline, and records positions in a dense array
 * indexed by a member id given at attach (mos_sched_ent_t.index), so a
 * sift reads and writes only the heap's own arrays.  A key change while
 * queued is a remove and a push.  Only
 * attach may allocate, so push never fails.
 */
#define MOS_PHEAP_RUNS 256

/* tie = pid << 32 | member id: ordering by it orders by pid, and all
 * fields being 64-bit keeps the copies free of store-forwarding stalls. */
typedef struct mos_pheap_slot {
	uint64_t key, key2, tie;
} mos_pheap_slot_t;

typedef struct mos_pheap_run {
	uint64_t cls;
	uint32_t head, tail;   /* member ids, the head in the heap; or NIL, idle */
	uint32_t inext, iprev; /* the list of idle runs */
} mos_pheap_run_t;

/* What the heap keeps of a member, by member id: one record, so that a
 * push or a pop touches one or two cache lines of it, not one per field. */
typedef struct mos_pheap_member {
	mos_pheap_slot_t slot; /* its keys as last pushed */
	mos_sched_ent_t *ent;
	uint32_t pos;          /* index in v, while there */
	uint32_t where;        /* its run, or not queued, or alone in v */
	uint32_t next, prev;   /* neighbours in its run */
} mos_pheap_member_t;

typedef struct mos_pheap {
	const mos_allocator_t *alloc;
	mos_pheap_slot_t *v;   /* the heap, n used: run heads and loners */
	mos_pheap_member_t *m; /* by member id */
	uint32_t *free;        /* ids of detached members, nfree used */
	uint32_t n, nfree, nids, cap;
	uint32_t nrun_free;
	uint32_t idle, idle_last;            /* idle runs, oldest first */
	uint32_t run_free[MOS_PHEAP_RUNS];   /* a stack of free runs */
	mos_idmap_t map;                     /* class -> run */
	uint64_t map_key[2 * MOS_PHEAP_RUNS];
	uint32_t map_val[2 * MOS_PHEAP_RUNS];
	mos_pheap_run_t run[MOS_PHEAP_RUNS];
} mos_pheap_t;

void mos__pheap_init(mos_pheap_t *h, const mos_allocator_t *alloc);
void mos__pheap_fini(mos_pheap_t *h);
int mos__pheap_attach(mos_pheap_t *h, mos_proc_t *p);   /* MOS_ENOMEM */
void mos__pheap_detach(mos_pheap_t *h, mos_proc_t *p);
void mos__pheap_push(mos_pheap_t *h, mos_proc_t *p, uint64_t key,
		     uint64_t key2, uint64_t cls);
void mos__pheap_remove(mos_pheap_t *h, mos_proc_t *p);
mos_proc_t *mos__pheap_peek(const mos_pheap_t *h);
mos_proc_t *mos__pheap_pop(mos_pheap_t *h);
/* The smallest key, without touching the process: false when empty. */
bool mos__pheap_min_key(const mos_pheap_t *h, uint64_t *key);

/*
 * Policies whose ready set is one heap (sjf, stcf, priority, edf, rm) share
 * every hook but the key: key(q, p, since) is p's primary ordering key if it
 * has waited since `since` (smaller runs first), and key(q, p, 0) its class
 * in the heap (the key itself unless key_ages, set by a policy whose key
 * depends on since); ties go to the process Ready longest, then the lower
 * pid.  The running process's key is the key it was picked with, its wait
 * extended by the time it has run (so a policy that ages waiting processes
 * keeps the credit of the running one).  A preemptive policy preempts when
 * the best waiting key is strictly smaller.  They run a process until it
 * leaves (no slice).
 *
 * With `preempted_first` (priority, edf, rm: POSIX SCHED_FIFO, where a
 * preempted thread "shall become the head of the thread list for its
 * priority"), a preempted process goes back with the key it ran with and
 * ahead of every waiting process with an equal key; a yield still goes
 * behind them.  Without it (stcf), a preempted process is Ready again from
 * the preemption instant, like one that yielded.
 */
typedef struct mos_heapq mos_heapq_t;
typedef uint64_t (*mos_heapq_key_fn)(const mos_heapq_t *q, const mos_proc_t *p,
				     mos_time_t since);

struct mos_heapq {
	mos_pheap_t heap;
	bool preemptive;
	bool key_ages;         /* key depends on since (else it is the class) */
	bool preempted_first;  /* a preempted process heads its equals */
	mos_heapq_key_fn key;
	mos_sched_params_t params;
};

int mos__heapq_init(const mos_sched_params_t *params, mos_heapq_key_fn key,
		    bool preemptive, const mos_allocator_t *alloc, void **rq);
/* The same with preempted_first set: for priority, edf and rm. */
int mos__heapq_init_posix(const mos_sched_params_t *params,
			  mos_heapq_key_fn key, bool preemptive,
			  const mos_allocator_t *alloc, void **rq);
void mos__heapq_fini(void *rq, const mos_allocator_t *alloc);
int mos__heapq_attach(void *rq, mos_proc_t *p);
void mos__heapq_detach(void *rq, mos_proc_t *p);
void mos__heapq_enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why,
			mos_time_t now);
void mos__heapq_dequeue(void *rq, mos_proc_t *p);
mos_proc_t *mos__heapq_pick(void *rq, mos_time_t now);
void mos__heapq_put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why,
			 mos_time_t now);
bool mos__heapq_preempts(void *rq, const mos_proc_t *curr, mos_time_t now);

/* The hooks above as a table; a policy copies it and sets name and init. */
#define MOS_HEAPQ_HOOKS                                                  \
	.fini = mos__heapq_fini, .attach = mos__heapq_attach,            \
	.detach = mos__heapq_detach, .enqueue = mos__heapq_enqueue,      \
	.dequeue = mos__heapq_dequeue, .pick_next = mos__heapq_pick,     \
	.put_prev = mos__heapq_put_prev, .preempts = mos__heapq_preempts, \
	.slice_left = mos__sched_no_slice, .charge = mos__sched_charge_burst, \
	.reprio = mos__sched_reprio_none

/* The key of sjf and stcf: the rest of p's declared CPU burst. */
uint64_t mos__heapq_key_burst(const mos_heapq_t *q, const mos_proc_t *p,
			      mos_time_t since);

/* a + b saturated at MOS_TIME_NEVER: the keys policies build from times
 * (a deadline, an aged priority) must not wrap around. */
static inline uint64_t mos__sat_add(uint64_t a, uint64_t b)
{
	uint64_t s;
	return __builtin_add_overflow(a, b, &s) ? MOS_TIME_NEVER : s;
}

/* Hooks for policies that run a process until it leaves (no slice). */
mos_time_t mos__sched_no_slice(void *rq, const mos_proc_t *p);
void mos__sched_charge_burst(void *rq, mos_proc_t *p, mos_time_t ran);

/* reprio for the policies that do not read the priority level (all but
 * multios: they order by sched_attr, arrival, burst or virtual time):
 * a changed level changes nothing of their order. */
bool mos__sched_reprio_none(void *rq, mos_proc_t *p, int old, bool queued,
			    mos_time_t now);

/* The policies. */
extern const mos_sched_class_t mos__sched_multios, mos__sched_fifo,
	mos__sched_rr, mos__sched_sjf, mos__sched_stcf, mos__sched_priority,
	mos__sched_mlfq, mos__sched_cfs, mos__sched_edf, mos__sched_rm,
	mos__sched_lottery, mos__sched_stride;
/* lottery's ostep draw (not in the table by name: see mos__sched_for). */
extern const mos_sched_class_t mos__sched_lottery_ostep;

#endif
