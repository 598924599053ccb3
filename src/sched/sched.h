/*
 * src/sched/sched.h - the scheduler policy interface (a sched_class).
 *
 * The kernel core owns process state and the CPU; a policy only orders the
 * set of Ready processes.  A policy is a const table of hooks, one file per
 * policy under src/sched/, chosen by name at kernel creation
 * (config.sched_policy).  Hooks never allocate and cannot fail, except init.
 *
 * Contract:
 *  - enqueue is called when a process becomes Ready (state already Ready),
 *    with the reason, which decides the position (a preempted process goes
 *    back to the head of its queue, others to the tail, unless the policy's
 *    own order says otherwise).
 *  - pick_next removes and returns the process to run next, NULL if none.
 *  - dequeue removes a Ready process that leaves the Ready set other than by
 *    pick_next (suspended, killed).
 *  - preempts says whether `woken`, just enqueued, should take the CPU from
 *    the running `curr` at once.  NULL: never.
 *  - time_slice gives the length of a fresh slice for p; MOS_TIME_NEVER runs
 *    to completion (non-preemptive by time).
 *  - charge (optional) is told how much CPU p just used.
 */
#ifndef MOS_SCHED_H
#define MOS_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "multios/config.h"
#include "multios/types.h"

typedef enum mos_enq_reason {
	MOS_ENQ_NEW,     /* just created */
	MOS_ENQ_WAKE,    /* woken from Blocked */
	MOS_ENQ_RESUME,  /* resumed from Suspended */
	MOS_ENQ_YIELD,   /* gave the CPU up */
	MOS_ENQ_SLICE,   /* used its whole time slice */
	MOS_ENQ_PREEMPT  /* a more urgent process took the CPU */
} mos_enq_reason_t;

/* Per-process scheduling data, owned by the policy in force. */
typedef struct mos_sched_ent {
	mos_list_t node;   /* run-queue link */
	uint64_t key;      /* policy's ordering key */
	uint32_t level;    /* queue index */
	uint32_t index;    /* heap position, when the policy keeps a heap */
} mos_sched_ent_t;

typedef struct mos_sched_class {
	const char *name;
	int (*init)(const mos_config_t *cfg, void **rq);
	void (*fini)(void *rq);
	void (*enqueue)(void *rq, mos_proc_t *p, mos_enq_reason_t why);
	void (*dequeue)(void *rq, mos_proc_t *p);
	mos_proc_t *(*pick_next)(void *rq);
	bool (*preempts)(void *rq, const mos_proc_t *curr, const mos_proc_t *woken);
	mos_time_t (*time_slice)(void *rq, const mos_proc_t *p);
	void (*charge)(void *rq, mos_proc_t *p, mos_time_t ran);
} mos_sched_class_t;

/* The policy called name, or NULL. */
const mos_sched_class_t *mos__sched_find(const char *name);

/* Names of every policy, NULL-terminated. */
const char *const *mos__sched_names(void);

/* Shared helpers for policies. */
mos_sched_ent_t *mos__sched_ent(mos_proc_t *p);
const mos_sched_ent_t *mos__sched_ent_c(const mos_proc_t *p);
mos_proc_t *mos__sched_proc(mos_sched_ent_t *e);
int mos__sched_priority(const mos_proc_t *p);      /* mos_priority_t */
int mos__sched_class_of(const mos_proc_t *p);      /* mos_prio_class_t */
mos_pid_t mos__sched_pid(const mos_proc_t *p);

/* The policies. */
extern const mos_sched_class_t mos__sched_multios;

#endif
