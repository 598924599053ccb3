/*
 * src/sched/sched_common.c - the policy table and what policies share:
 * access to a process's scheduling data, FIFO queues, the process heap, and
 * the hooks of policies whose ready set is a single heap.
 *
 * Policies see a process only through these helpers, so none reaches into
 * the control block beyond its own mos_sched_ent_t and attributes.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_int.h"

static const mos_sched_class_t *const policies[] = {
	&mos__sched_multios, &mos__sched_fifo, &mos__sched_sjf,
	&mos__sched_stcf, &mos__sched_rr, &mos__sched_priority,
	&mos__sched_mlfq, &mos__sched_cfs, &mos__sched_edf, &mos__sched_rm,
	&mos__sched_lottery, &mos__sched_stride,
};

static const char *const policy_names[] = {
	"multios", "fifo", "sjf", "stcf", "rr", "priority", "mlfq", "cfs",
	"edf", "rm", "lottery", "stride", NULL,
};

const mos_sched_class_t *mos__sched_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(policies) / sizeof(*policies); i++)
		if (strcmp(policies[i]->name, name) == 0)
			return policies[i];
	return NULL;
}

const char *const *mos_sched_policies(void) { return policy_names; }

/* ---- process access ---------------------------------------------------- */

mos_sched_ent_t *mos__sched_ent(mos_proc_t *p) { return &p->se; }
const mos_sched_ent_t *mos__sched_ent_c(const mos_proc_t *p) { return &p->se; }
mos_proc_t *mos__sched_proc(mos_sched_ent_t *e)
{
	return mos_container_of(e, mos_proc_t, se);
}
int mos__sched_level_of(const mos_proc_t *p) { return (int)p->priority; }
int mos__sched_class_of(const mos_proc_t *p) { return (int)p->prio_class; }
const mos_sched_attr_t *mos__sched_attr(const mos_proc_t *p) { return &p->attr; }

/* ---- FIFO queues ------------------------------------------------------ */

void mos__fifo_init(mos_fifo_t *q)
{
	mos_list_init(&q->head);
	q->n = 0;
}

void mos__fifo_push(mos_fifo_t *q, mos_proc_t *p)
{
	mos_list_push_back(&q->head, &p->se.node);
	q->n++;
}

void mos__fifo_push_front(mos_fifo_t *q, mos_proc_t *p)
{
	mos_list_push_front(&q->head, &p->se.node);
	q->n++;
}

void mos__fifo_remove(mos_fifo_t *q, mos_proc_t *p)
{
	mos_list_remove(&p->se.node);
	q->n--;
}

mos_proc_t *mos__fifo_peek(const mos_fifo_t *q)
{
	if (mos_list_empty(&q->head))
		return NULL;
	return mos__sched_proc(mos_container_of(q->head.next, mos_sched_ent_t, node));
}

mos_proc_t *mos__fifo_pop(mos_fifo_t *q)
{
	mos_proc_t *p = mos__fifo_peek(q);
	if (p)
		mos__fifo_remove(q, p);
	return p;
}

/* ---- the process heap --------------------------------------------------- */

#define ARITY 4

/* Written without branches: which child is smallest is a coin toss to the
 * branch predictor, and a mispredict per level cost more than the rest of
 * the sift. */
static bool slot_less(const mos_pheap_slot_t *a, const mos_pheap_slot_t *b)
{
	return (a->key < b->key) |
	       ((a->key == b->key) &
		((a->key2 < b->key2) | ((a->key2 == b->key2) & (a->pid < b->pid))));
}

void mos__pheap_init(mos_pheap_t *h) { memset(h, 0, sizeof(*h)); }

void mos__pheap_fini(mos_pheap_t *h)
{
	free(h->v);
	free(h->pos);
	free(h->ent);
	free(h->free);
}

static int grow(void **arr, uint32_t cap, size_t size)
{
	void *v = realloc(*arr, cap * size);

	if (!v)
		return MOS_ENOMEM;
	*arr = v;
	return 0;
}

int mos__pheap_attach(mos_pheap_t *h, mos_proc_t *p)
{
	uint32_t cap = h->cap ? h->cap * 2 : 16;

	if (h->nfree) {
		p->se.index = h->free[--h->nfree];
	} else {
		if (h->nids == h->cap &&
		    (grow((void **)&h->v, cap, sizeof(*h->v)) < 0 ||
		     grow((void **)&h->pos, cap, sizeof(*h->pos)) < 0 ||
		     grow((void **)&h->ent, cap, sizeof(*h->ent)) < 0 ||
		     grow((void **)&h->free, cap, sizeof(*h->free)) < 0))
			return MOS_ENOMEM; /* a larger array is harmless */
		if (h->nids == h->cap)
			h->cap = cap;
		p->se.index = h->nids++;
	}
	h->ent[p->se.index] = &p->se;
	return 0;
}

void mos__pheap_detach(mos_pheap_t *h, mos_proc_t *p)
{
	h->free[h->nfree++] = p->se.index;
}

static void put(mos_pheap_t *h, uint32_t i, const mos_pheap_slot_t *s)
{
	h->v[i] = *s;
	h->pos[s->id] = i;
}

static void sift_up(mos_pheap_t *h, uint32_t i, mos_pheap_slot_t s)
{
	while (i > 0 && slot_less(&s, &h->v[(i - 1) / ARITY])) {
		put(h, i, &h->v[(i - 1) / ARITY]);
		i = (i - 1) / ARITY;
	}
	put(h, i, &s);
}

/* The grandchildren of i, one level ahead of the comparisons: the misses
 * of a deep sift overlap instead of queueing one behind the other. */
static void prefetch_below(const mos_pheap_t *h, uint32_t first)
{
	uint32_t g = ARITY * first + 1;

	if (g >= h->n)
		return;
	for (uint32_t b = 0; b < ARITY * ARITY * sizeof(*h->v); b += 64)
		__builtin_prefetch((const char *)&h->v[g] + b);
}

static void sift_down(mos_pheap_t *h, uint32_t i, mos_pheap_slot_t s)
{
	for (;;) {
		uint32_t first = ARITY * i + 1, best = first;

		if (first >= h->n)
			break;
		prefetch_below(h, first);
		for (uint32_t c = first + 1; c < first + ARITY && c < h->n; c++)
			best = slot_less(&h->v[c], &h->v[best]) ? c : best;
		if (!slot_less(&h->v[best], &s))
			break;
		put(h, i, &h->v[best]);
		i = best;
	}
	put(h, i, &s);
}

static mos_pheap_slot_t slot_of(mos_proc_t *p)
{
	return (mos_pheap_slot_t){p->se.key, p->se.key2, p->pid, p->se.index};
}

void mos__pheap_push(mos_pheap_t *h, mos_proc_t *p)
{
	p->se.queued = true;
	sift_up(h, h->n++, slot_of(p));
}

/* Put slot s at position i, wherever the heap order wants it. */
static void fix(mos_pheap_t *h, uint32_t i, mos_pheap_slot_t s)
{
	if (i > 0 && slot_less(&s, &h->v[(i - 1) / ARITY]))
		sift_up(h, i, s);
	else
		sift_down(h, i, s);
}

void mos__pheap_remove(mos_pheap_t *h, mos_proc_t *p)
{
	uint32_t i = h->pos[p->se.index];

	p->se.queued = false;
	if (--h->n != i)
		fix(h, i, h->v[h->n]);
}

void mos__pheap_update(mos_pheap_t *h, mos_proc_t *p)
{
	fix(h, h->pos[p->se.index], slot_of(p));
}

mos_proc_t *mos__pheap_peek(const mos_pheap_t *h)
{
	return h->n ? mos__sched_proc(h->ent[h->v[0].id]) : NULL;
}

mos_proc_t *mos__pheap_pop(mos_pheap_t *h)
{
	mos_proc_t *p = mos__pheap_peek(h);
	if (p)
		mos__pheap_remove(h, p);
	return p;
}

bool mos__pheap_min_key(const mos_pheap_t *h, uint64_t *key)
{
	if (!h->n)
		return false;
	*key = h->v[0].key;
	return true;
}

/* ---- single-heap policies --------------------------------------------- */

int mos__heapq_init(const mos_sched_params_t *params, mos_heapq_key_fn key,
		    bool preemptive, void **rq)
{
	mos_heapq_t *q = calloc(1, sizeof(*q));

	if (!q)
		return MOS_ENOMEM;
	mos__pheap_init(&q->heap);
	q->params = *params;
	q->key = key;
	q->preemptive = preemptive;
	*rq = q;
	return 0;
}

void mos__heapq_fini(void *rq)
{
	mos_heapq_t *q = rq;
	mos__pheap_fini(&q->heap);
	free(q);
}

int mos__heapq_attach(void *rq, mos_proc_t *p)
{
	return mos__pheap_attach(&((mos_heapq_t *)rq)->heap, p);
}

void mos__heapq_detach(void *rq, mos_proc_t *p)
{
	mos__pheap_detach(&((mos_heapq_t *)rq)->heap, p);
}

static void heapq_push(mos_heapq_t *q, mos_proc_t *p)
{
	mos_sched_ent_t *e = &p->se;

	e->key = q->key(q, p, e->ready_since);
	e->key2 = e->ready_since;
	mos__pheap_push(&q->heap, p);
}

void mos__heapq_enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why,
			mos_time_t now)
{
	(void)why;
	(void)now;
	heapq_push(rq, p);
}

void mos__heapq_dequeue(void *rq, mos_proc_t *p)
{
	mos__pheap_remove(&((mos_heapq_t *)rq)->heap, p);
}

mos_proc_t *mos__heapq_pick(void *rq, mos_time_t now)
{
	mos_proc_t *p = mos__pheap_pop(&((mos_heapq_t *)rq)->heap);

	if (p)
		p->se.ran_since = now;
	return p;
}

void mos__heapq_put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why,
			 mos_time_t now)
{
	(void)now;
	if (why <= MOS_PUT_YIELD)
		heapq_push(rq, p);
}

bool mos__heapq_preempts(void *rq, const mos_proc_t *curr, mos_time_t now)
{
	mos_heapq_t *q = rq;
	mos_proc_t *top = mos__pheap_peek(&q->heap);

	const mos_sched_ent_t *e = &curr->se;

	return q->preemptive && top &&
	       top->se.key < q->key(q, curr, e->ready_since + (now - e->ran_since));
}

mos_time_t mos__sched_admitted(const mos_proc_t *p) { return p->t.admitted; }

uint64_t mos__heapq_key_burst(const mos_heapq_t *q, const mos_proc_t *p,
			      mos_time_t since)
{
	(void)q;
	(void)since;
	return p->se.burst;
}

mos_time_t mos__sched_no_slice(void *rq, const mos_proc_t *p)
{
	(void)rq;
	(void)p;
	return MOS_TIME_NEVER;
}

void mos__sched_charge_burst(void *rq, mos_proc_t *p, mos_time_t ran)
{
	mos_sched_ent_t *e = &p->se;
	(void)rq;
	e->burst = e->burst > ran ? e->burst - ran : 0;
}
