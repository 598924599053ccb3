/*
 * src/kernel/kernel_int.h - the kernel object and the process control block.
 *
 * src/kernel/ owns the kernel object, the run loop, the process table and
 * control blocks, process lifecycle, the system calls, the timers and the
 * trace, and the accessors through which policies see a process
 * (sched_access.c).  It may include the policy interface
 * (src/sched/sched.h), the program table (src/programs/programs.h), the
 * HAL (sim/hal/), src/util/ and the public headers.  Only src/kernel/
 * includes this file (tests/check_includes.sh enforces it; the tests and
 * bench/sched_policies.c are white-box).
 *
 * Everything a kernel owns is reachable from struct mos_kernel: no globals.
 * Fields are commented with who changes them.
 */
#ifndef MOS_KERNEL_INT_H
#define MOS_KERNEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/alloc.h"
#include "util/list.h"
#include "util/rng.h"
#include "multios/multios.h"
#include "programs/programs.h"
#include "sched/sched.h"
#include "resource/res_int.h"
#include "signal/signal_int.h"
#include "sim/hal/clock.h"
#include "sim/hal/ctx.h"
#include "sim/hal/stack.h"
#include "sim/hal/timer.h"
#include "seams.h"

/* What a process asked the kernel for when it last switched to it. */
typedef enum mos_req {
	MOS_REQ_NONE,    /* nothing: it blocked or died (state says which) */
	MOS_REQ_COMPUTE, /* burn burst_left of CPU */
	MOS_REQ_YIELD,   /* go to the back of the queue */
	MOS_REQ_PREEMPT  /* it made something more urgent Ready */
} mos_req_t;

/* p->wait_flags: in a wait (beside MOS_WAIT_INTERRUPTIBLE, seams.h). */
#define MOS__WAITING 0x80u

/*
 * Credentials and isolation (cred.c, multios/cred.h).  dom[0..depth-1]
 * are the ids of the domains a process is in, outermost first: it sees
 * a process whose path starts with its own.
 */
typedef struct mos_cred {
	mos_uid_t ruid, euid, suid;
	mos_gid_t rgid, egid, sgid;
	uint32_t caps;
	uint8_t ngroups;
	uint8_t iso;                    /* mos_isolation_t */
	uint8_t depth;
	mos_gid_t groups[MOS_NGROUPS_MAX];
	uint32_t dom[MOS_ISO_MAX_DEPTH];
} mos_cred_t;

/*
 * The cold part of a control block: what no scheduling decision, switch
 * or system call on the hot path reads.  It sits at the end of struct
 * mos_proc (one allocation), after the lines the hot path touches.
 */
struct mos_proc_cold {
	/* Command, cwd, environment: one allocation, owned. */
	int argc;
	char **argv;                    /* argv[argc] == NULL */
	char *cwd;
	int envc;
	char **envp;
	char *strings;                  /* backing store for the above:
					   inline_strings when they fit */

	const mos_prog_entry_t *prog;
	void *prog_state;               /* from prepare, or spec.arg */

	/* Process tree, group and session. */
	mos_pid_t pgid, sid;
	mos_list_t children;            /* of struct mos_proc_cold.sibling */
	mos_list_t sibling;

	mos_list_t hist;                /* history link once Defunct; the
					   pool's free list while pooled */

	/* Waiting. */
	mos_list_t wait_node;           /* in wchan->waiters */
	mos_pid_t wait_pid;             /* waitpid: the child, or -1 */
	int wait_options;               /* waitpid: MOS_WUNTRACED... */
	int report;                     /* a stop or continue its parent has
					   not been told of: the wait status,
					   or 0 */
	mos_wchan_t child_exit;         /* its waitpid waits here */
	mos_res_proc_t res;             /* resources (src/resource/):
					   zeroed, then mos__res_fork */
	void *subsys[MOS_SUBSYS_COUNT]; /* later subsystems' per-process
					   state (seams.h): zeroed, theirs */

	/* From here on the pool does not zero a block it hands out (a
	 * quarter of it): creation writes each of these whole before
	 * anything reads them (proc_alloc the two pointers release reads). */
	mos_sigcold_t sig;              /* actions, timers, counters:
					   mos__sig_init */
	mos_cred_t cred;                /* mos__cred_give, then setuid,
					   setgid, dropcaps */
	char inline_strings[64];        /* copy_strings, as far as used */
};

/* The bytes of a control block the pool zeroes. */
#define MOS_PCB_ZEROED (offsetof(struct mos_proc, cold) + \
			offsetof(struct mos_proc_cold, sig))

struct mos_proc {
	/* First two cache lines: what every scheduling decision touches. */
	mos_kernel_t *k;
	mos_pid_t pid;
	mos_pid_t ppid;                 /* changed by reparenting */
	mos_proc_state_t state;         /* changed only by mos__proc_set_state */
	mos_priority_t priority;
	mos_prio_class_t prio_class;
	uint32_t flags;
	mos_sched_attr_t attr;
	_Alignas(64) mos_sched_ent_t se;

	mos_time_t burst_left;          /* rest of the compute burst */
	mos_req_t req;                  /* set by the coroutine, read by kernel */
	mos_sighot_t sig;               /* pending and mask (src/signal/) */

	/* Blocking. */
	mos_timer_t timer;              /* admission, then wait timeouts */
	mos_wchan_t *wchan;             /* the channel it waits on, or NULL */
	int wait_result;                /* what its blocking call returns */
	uint8_t wait_flags;             /* MOS__WAITING | MOS_WAIT_... */
	mos_proc_state_t suspended_from;/* Ready or Blocked */
	bool wake_pending;              /* woken while Suspended */
	/* Resources (seams.h): the burst is a system call's cost (system
	 * time); held out of the run queue (a group's cpu.max); watched by
	 * the CPU alarm (mos__res_cpu_*). */
	bool in_system;
	bool held;
	bool cpu_watch;

	/* Coroutine. */
	mos_stack_t *stack;             /* NULL once released */
	mos_fiber_t fiber;

	/* Death. */
	int exit_status;                /* wait status */
	bool reap_by_init;              /* reap as soon as it is a zombie */

	/* Accounting. */
	mos_process_times_t t;
	mos_time_t state_since;

	/* Last, what only creation, queries and death touch: the later
	 * subsystems add their fields here, so they never push the hot ones
	 * apart. */
	struct mos_proc_cold cold;
};

/* The control-block pool (pcb_pool.c). */
typedef struct mos_pcb_slab mos_pcb_slab_t;
typedef struct mos_pcb_pool {
	mos_list_t free;                /* of struct mos_proc_cold.hist */
	mos_pcb_slab_t *slabs;          /* newest first; only it may have
					   blocks not carved yet */
	const mos_allocator_t *alloc;   /* the first slab: the kernel's */
} mos_pcb_pool_t;

void mos__pcb_pool_init(mos_pcb_pool_t *pool, const mos_allocator_t *alloc);
void mos__pcb_pool_fini(mos_pcb_pool_t *pool);
mos_proc_t *mos__pcb_get(mos_pcb_pool_t *pool);  /* zeroed; NULL: ENOMEM */
void mos__pcb_put(mos_pcb_pool_t *pool, mos_proc_t *p);
/* Undo a failed call's growth: drop the slabs added since pool->slabs was
 * keep; every block of theirs must be back in the pool. */
void mos__pcb_pool_trim(mos_pcb_pool_t *pool, const mos_pcb_slab_t *keep);

/* Slot table mapping pids to control blocks: pid % cap, O(1). */
typedef struct mos_pidtab {
	mos_proc_t **slot;              /* len of them; slots len .. cap-1 are
					   empty, and so are hi .. len-1 */
	uint32_t cap;                   /* power of two >= max_processes */
	uint32_t len;                   /* power of two <= cap: grows */
	uint32_t hi;                    /* 1 + the highest slot ever used:
					   walks of the table stop there */
	uint32_t used;
	mos_pid_t next;                 /* next pid to try */
} mos_pidtab_t;

typedef struct mos_trace {
	mos_trace_event_t *ring;
	uint32_t cap;
	uint32_t head;                  /* next slot: total % cap, kept without
					   a division on every event */
	uint64_t total;                 /* events ever recorded */
	uint64_t hash;                  /* FNV-1a over every event */
	mos_trace_fn observer;
	void *observer_ud;
	char **labels;                  /* interned: marks, counters */
	uint32_t nlabels, label_cap;
} mos_trace_t;

/* Kernel events (events.c). */
typedef struct mos_kev_sub {
	int id;
	uint32_t types;
	unsigned flags;
	mos_pid_t pid;
	char *program;                  /* owned copy, or NULL */
	mos_kev_fn fn;
	void *ud;
} mos_kev_sub_t;

typedef struct mos_kev_queued {
	int id;                         /* the subscriber it is for */
	mos_kevent_t ev;
} mos_kev_queued_t;

typedef struct mos_kev {
	mos_kev_sub_t *subs;            /* in subscription (= id) order */
	uint32_t nsubs, cap;
	int next_id;
	uint32_t mask;                  /* union of the subscribers' types */
	mos_kev_queued_t *q;            /* ring of deferred deliveries */
	uint32_t qhead, qlen, qcap;
	uint32_t sync_depth;            /* > 0 while a synchronous
					   subscriber runs */
} mos_kev_t;

struct mos_kernel {
	mos_config_t cfg;
	mos_allocator_t alloc;          /* cfg.alloc resolved: every block the
					   kernel holds comes from it */
	mos_time_t now;
	mos_time_t mon_next;            /* the clock passing it calls
					   mos__res_monitor_tick (0 at first:
					   the first move calls it) */
	mos_rng_t rng;                  /* the kernel's random numbers */

	/* HAL */
	const mos_ctx_backend_t *ctx;
	mos_fiber_t host;
	mos_stack_pool_t stacks;
	mos_timer_heap_t timers;
	const mos_clock_backend_t *clock;
	void *clock_state;
	bool clock_waiting;             /* in the backend's advance: host
					   callbacks may run (realtime) */
	bool clock_synced;              /* a host call caught now up during
					   that wait (mos__kernel_clock_sync) */
	mos_time_t clock_to;            /* that wait's target */

	/* Scheduler */
	const mos_sched_class_t *sched;
	void *rq;
	mos_proc_t *current;            /* Running, or Ready while the CPU
					   switches to it; NULL: idle */
	mos_time_t switch_end;          /* a context switch ends then */
	mos_proc_t *on_cpu;             /* whose coroutine executes now, or
					   NULL while on the host stack */
	mos_pid_t last_ran_pid;         /* 0 after the CPU idled */
	uint32_t nrunnable;             /* processes Ready or Running (kept
					   off the yield path: lifecycle.c) */
	size_t extra_timers;            /* mos__ktimer_init'ed, beyond the
					   one each process has */
	bool need_resched;              /* a more urgent process is Ready */
	bool sys_costs;                 /* accounting on and a syscall cost
					   is not 0: enter burns them */
	bool in_run;                    /* inside mos_kernel_run/step */
	bool out_of_time;               /* the next event lies at or past
					   MOS_TIME_NEVER: runs fail with
					   MOS_ERANGE, time stands still */
	bool direct;                    /* yields may switch directly: in
					   mos_kernel_run, until run_until */
	mos_time_t run_until;

	/* Processes */
	mos_pcb_pool_t pcbs;
	mos_pidtab_t pids;
	mos_proc_t *init;
	mos_list_t history;             /* Defunct PCBs, oldest first */
	uint32_t history_len;
	mos_prog_entry_t *programs;     /* registry, sorted by name */
	uint32_t domains;               /* isolation domains ever started */

	mos_trace_t trace;
	mos_kev_t kev;
	mos_kernel_stats_t stats;
	mos_res_kernel_t *res;          /* src/resource/ */
	/* Later subsystems' kernel-wide state (seams.h, made on first use) */
	void *subsys[MOS_SUBSYS_COUNT];
	void (*subsys_fini[MOS_SUBSYS_COUNT])(mos_kernel_t *k, void *state);
	/* Their exit hooks (seams.h), called by mos__proc_die; NULL: none. */
	void (*subsys_exit[MOS_SUBSYS_COUNT])(mos_kernel_t *k, mos_proc_t *p,
					      void *state);
};

/* kernel.c */
void mos__kernel_make_ready(mos_kernel_t *k, mos_proc_t *p, mos_enq_reason_t why,
			    mos_cause_t cause);
void mos__kernel_put_current(mos_kernel_t *k, mos_put_reason_t why);
void mos__kernel_check_preempt(mos_kernel_t *k);
/* A yield on the yielder's stack, switching straight to the next process
 * when only that is to be done: false, nothing changed, when it is not. */
bool mos__kernel_yield_direct(mos_kernel_t *k, mos_proc_t *p);
/* The switch away of p, which has just blocked (mos__proc_block): to the
 * next process directly when the loop has nothing else to do at this
 * instant (as a yield does), else to the loop.  Returns when p runs
 * again. */
void mos__kernel_block_switch(mos_kernel_t *k, mos_proc_t *p);
/*
 * Every public call that changes the kernel (process create, terminate,
 * suspend, resume) starts here once it knows it runs on the host stack.
 * From a host callback during a realtime wait, now still says when the
 * wait began: catch it up to the virtual time matching the wall clock,
 * accounting the time between as the CPU spent it (idle, switching, or
 * the running burst), so that the call acts at that instant and the wait
 * ends there (later calls from that wait's callbacks act at the same
 * instant).  Otherwise nothing to do.
 */
void mos__kernel_clock_sync(mos_kernel_t *k);

/* proc.c */
int mos__proc_create(mos_kernel_t *k, const mos_process_spec_t *spec,
		     mos_proc_t *parent, mos_pid_t *pid);
void mos__proc_admit(mos_kernel_t *k, mos_proc_t *p);
void mos__proc_start_fiber(mos_kernel_t *k, mos_proc_t *p);
/* Take p out of the pid table; free a block that is in no table or list. */
void mos__pid_remove(mos_kernel_t *k, mos_proc_t *p);
void mos__proc_free(mos_kernel_t *k, mos_proc_t *p);
mos_proc_t *mos__proc_lookup(const mos_kernel_t *k, mos_pid_t pid);
int mos__proc_find_live(const mos_kernel_t *k, mos_pid_t pid, mos_proc_t **out);
void mos__proc_set_state(mos_kernel_t *k, mos_proc_t *p, mos_proc_state_t to,
			 mos_cause_t cause);
void mos__proc_die(mos_kernel_t *k, mos_proc_t *p, int status, mos_cause_t cause);
void mos__proc_after_switch(mos_kernel_t *k, mos_proc_t *p);

/* wait.c: p blocks on c (may be NULL) as the running process, or, for
 * init, from birth; end its wait with a result, or undo it unwoken. */
void mos__proc_block(mos_kernel_t *k, mos_proc_t *p, mos_wchan_t *c,
		     unsigned flags, mos_cause_t cause);
void mos__wait_end(mos_kernel_t *k, mos_proc_t *p, int result,
		   mos_cause_t cause);
void mos__wait_abandon(mos_kernel_t *k, mos_proc_t *p);

/* Room in the heap for one timer more than there are owners (a process
 * about to be created, or a timer about to be initialised): MOS_ENOMEM. */
int mos__kernel_reserve_timer(mos_kernel_t *k);
int mos__proc_reap(mos_kernel_t *k, mos_proc_t *p, int *status);
/* pgrp.c: whether child is one of those waitpid's pid names for parent
 * (> 0: that one, -1: any, 0: parent's group, < -1: group -pid). */
bool mos__wait_names(const mos_proc_t *parent, mos_pid_t pid,
		     const mos_proc_t *child);

/* The first child of parent that waitpid(pid, options) reports: a
 * zombie, or a stop or continue it has not reported yet. */
mos_proc_t *mos__proc_waitable(mos_proc_t *parent, mos_pid_t pid, int options,
			       bool *has_child);
void mos__proc_fill_info(const mos_proc_t *p, mos_process_info_t *info);
int mos__proc_table_init(mos_kernel_t *k);
void mos__proc_table_fini(mos_kernel_t *k);
/* terminate as the MultiOS documentation says: SIGKILL when forced, else
 * SIGTERM and SIGKILL grace_period_ms later (src/signal/).  sender NULL:
 * the host.  MOS_EPERM for init, MOS_EINVALSTATE for a dead process. */
int mos__proc_terminate(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *p,
			bool force);
/* The queries, as `viewer` sees the processes (NULL: the host, all). */
int mos__proc_get_info(const mos_kernel_t *k, const mos_proc_t *viewer,
		       mos_pid_t pid, mos_process_info_t *info);
int mos__proc_list(const mos_kernel_t *k, const mos_proc_t *viewer,
		   mos_pid_t *pids, size_t cap, size_t *count);

/* syscall.c: mos__sys_enter (seams.h) for the kernel's own files, which
 * want the control block; nr is the call's number (its cost). */
mos_proc_t *mos__sys_self(mos_proc_t *self, mos_sysno_t nr);

/* cred.c: the spec's credentials and isolation, checked against the
 * parent (MOS_EINVAL, MOS_ELIMIT), then given to p once its create can
 * no longer fail; init's, root with every capability. */
int mos__cred_check(const mos_kernel_t *k, const mos_process_spec_t *spec,
		    const mos_proc_t *parent);
void mos__cred_give(mos_kernel_t *k, mos_proc_t *p,
		    const mos_process_spec_t *spec, const mos_proc_t *parent);
void mos__cred_init_root(mos_proc_t *p);
void mos__cred_fill_info(const mos_proc_t *p, mos_process_info_t *info);
/* Whether actor (NULL: the host) may give target priority prio, and
 * whether it may create a child at prio (the rules of multios/cred.h). */
bool mos__cred_may_prio(const mos_proc_t *actor, const mos_proc_t *target,
			mos_priority_t prio);
bool mos__cred_may_create(const mos_proc_t *actor, mos_priority_t prio);

/* events.c */
void mos__kev_fini(mos_kernel_t *k);
/* Deliver a process event of `type` about p to the subscribers that want
 * it (the caller has checked mos__kev_wants). */
void mos__kev_proc(mos_kernel_t *k, mos_kev_type_t type, const mos_proc_t *p,
		   mos_proc_state_t from, mos_cause_t cause);
/* Run the deferred deliveries queued, in order, including those they
 * queue themselves; false when there were none. */
bool mos__kev_drain(mos_kernel_t *k);
static inline bool mos__kev_wants(const mos_kernel_t *k, mos_kev_type_t type)
{
	return k->kev.mask & MOS_KEV_BIT(type);
}
/* A host call that changes the kernel is allowed now: not from inside a
 * program, nor from a synchronous subscriber. */
static inline bool mos__host_may_change(const mos_kernel_t *k)
{
	return !k->on_cpu && !k->kev.sync_depth;
}

/* trace.c */
int mos__trace_init(mos_trace_t *t, uint32_t cap, const mos_allocator_t *a);
void mos__trace_fini(mos_trace_t *t, const mos_allocator_t *a);
void mos__trace_record(mos_trace_t *t, mos_time_t time, mos_pid_t pid,
		       mos_proc_state_t from, mos_proc_state_t to,
		       mos_cause_t cause);

/* A broken invariant: dump the process table and abort (as xv6 panics). */
_Noreturn void mos__panic(const mos_kernel_t *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
