/*
 * src/sched/fair.h - what the proportional-share policies share.
 *
 * cfs and stride both order the runnable set by a virtual time that only
 * grows (cfs's vruntime, stride's pass), kept in mos_sched_ent_t.vruntime:
 *
 *   - a min-heap on (vruntime, key2, pid) holds the runnable processes that
 *     are not running, classed by the rate at which their virtual time
 *     grows (processes of one class take turns: O(1) pushes); the picked process leaves the heap while it runs and
 *     returns in put_prev if still runnable (as Linux does);
 *   - min_vtime is the monotonic minimum virtual time of the runnable set
 *     (Linux's min_vruntime): after every change it becomes
 *     max(min_vtime, min(running, heap top)) and never decreases; with the
 *     set empty it keeps its last value (0 before anything ran);
 *   - a process that becomes runnable is placed at
 *     max(its own virtual time, min_vtime) (key2 reset when raised), so a
 *     sleeper or a latecomer neither banks credit nor starves the others.
 *
 * The policy owns the charge (how ran turns into virtual time; key2 holds
 * its fraction if it keeps one, 0 otherwise) and the slice; the queue owns
 * the heap, the running process and min_vtime.  The slice helpers at the
 * end serve cfs, stride and lottery's ostep draw (slice in
 * mos_sched_ent_t.slice, set at pick time, spent by charge); lottery's
 * tree draw keeps its own draws and slice (lottery.c) and uses none of
 * this.
 * Implemented in cfs.c.  Only attach allocates.
 */
#ifndef MOS_SCHED_FAIR_H
#define MOS_SCHED_FAIR_H

#include "sched.h"

/* A process's class in the heap: what sets how fast its virtual time
 * grows (cfs's weight, stride's stride). */
typedef uint64_t (*mos_fairq_cls_fn)(const mos_proc_t *p);

typedef struct mos_fairq {
	mos_pheap_t heap;   /* runnable, not running */
	mos_fairq_cls_fn cls;
	mos_proc_t *curr;   /* picked and still runnable, or NULL */
	uint64_t min_vtime; /* monotonic minimum of the runnable set */
} mos_fairq_t;

void mos__fairq_init(mos_fairq_t *q, mos_fairq_cls_fn cls,
		     const mos_allocator_t *alloc);
void mos__fairq_fini(mos_fairq_t *q);
int mos__fairq_attach(mos_fairq_t *q, mos_proc_t *p); /* MOS_ENOMEM */
void mos__fairq_detach(mos_fairq_t *q, mos_proc_t *p);

/* p became runnable: place it at max(own, min_vtime) and queue it. */
void mos__fairq_enqueue(mos_fairq_t *q, mos_proc_t *p);
/* A queued, not running p leaves the runnable set. */
void mos__fairq_dequeue(mos_fairq_t *q, mos_proc_t *p);
/* Take the smallest virtual time out of the heap as the running one. */
mos_proc_t *mos__fairq_pick(mos_fairq_t *q);
/* The running p stops; back into the heap when still runnable. */
void mos__fairq_put_prev(mos_fairq_t *q, mos_proc_t *p, mos_put_reason_t why);
/* Recompute min_vtime after the running process's virtual time grew. */
void mos__fairq_update_min(mos_fairq_t *q);

/*
 * The queue operations as policy hooks, for a policy whose run queue struct
 * begins with its mos_fairq_t and has nothing of its own to do there.
 */
int mos__fairq_hook_attach(void *rq, mos_proc_t *p);
void mos__fairq_hook_detach(void *rq, mos_proc_t *p);
void mos__fairq_hook_enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why,
			     mos_time_t now);
void mos__fairq_hook_dequeue(void *rq, mos_proc_t *p);
void mos__fairq_hook_put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why,
			      mos_time_t now);

/* The slice_left hook, and spending ran of p's slice. */
mos_time_t mos__fair_slice_left(void *rq, const mos_proc_t *p);
void mos__fair_spend(mos_proc_t *p, mos_time_t ran);

#endif
