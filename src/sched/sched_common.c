/*
 * src/sched/sched_common.c - the policy table and what policies share:
 * FIFO queues, class maps, and the hooks of policies whose ready set is a
 * single heap (the heap is in pheap.c).
 *
 * Like the policies, this file sees a process only through the accessors
 * of sched.h, which the kernel implements (src/kernel/sched_access.c).
 */
#include <stdlib.h>
#include <string.h>

#include "multios/error.h"
#include "sched.h"

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

const mos_sched_class_t *mos__sched_for(const mos_sched_params_t *params)
{
	const mos_sched_class_t *c = mos__sched_find(params->policy);

	if (c == &mos__sched_lottery &&
	    params->lottery_draw == MOS_LOTTERY_OSTEP)
		return &mos__sched_lottery_ostep;
	return c;
}

const char *const *mos_sched_policies(void) { return policy_names; }

/* ---- FIFO queues ------------------------------------------------------ */

void mos__fifo_init(mos_fifo_t *q)
{
	mos_list_init(&q->head);
	q->n = 0;
}

void mos__fifo_push(mos_fifo_t *q, mos_proc_t *p)
{
	mos_list_push_back(&q->head, &mos__sched_ent(p)->node);
	q->n++;
}

void mos__fifo_push_front(mos_fifo_t *q, mos_proc_t *p)
{
	mos_list_push_front(&q->head, &mos__sched_ent(p)->node);
	q->n++;
}

void mos__fifo_remove(mos_fifo_t *q, mos_proc_t *p)
{
	mos_list_remove(&mos__sched_ent(p)->node);
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

mos_proc_t *mos__fifo_likely(const mos_fifo_t *q, const mos_proc_t *p)
{
	const mos_list_t *n = p ? mos__sched_ent_c(p)->node.next : q->head.next;

	if (q->n < MOS_LIKELY_MIN || n == &q->head)
		return NULL;
	return mos__sched_proc(mos_container_of(n, mos_sched_ent_t, node));
}

/* ---- class maps ----------------------------------------------------------- */

void mos__idmap_init(mos_idmap_t *m, uint64_t *key, uint32_t *val, uint32_t cap)
{
	m->key = key;
	m->val = val;
	m->cap = cap;
	for (uint32_t i = 0; i < cap; i++)
		val[i] = MOS_IDMAP_NONE;
}

static uint32_t idmap_home(const mos_idmap_t *m, uint64_t key)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);
}

/* Where key is, or the empty entry that ends its probe (the map is never
 * more than half full, so there is one). */
static uint32_t idmap_probe(const mos_idmap_t *m, uint64_t key)
{
	uint32_t i = idmap_home(m, key);

	while (m->val[i] != MOS_IDMAP_NONE && m->key[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t mos__idmap_find(const mos_idmap_t *m, uint64_t key)
{
	return m->val[idmap_probe(m, key)];
}

void mos__idmap_insert(mos_idmap_t *m, uint64_t key, uint32_t val)
{
	uint32_t i = idmap_probe(m, key);

	m->key[i] = key;
	m->val[i] = val;
}

void mos__idmap_delete(mos_idmap_t *m, uint64_t key)
{
	uint32_t i = idmap_probe(m, key), mask = m->cap - 1;

	if (m->val[i] == MOS_IDMAP_NONE)
		return;
	for (uint32_t j = (i + 1) & mask; m->val[j] != MOS_IDMAP_NONE;
	     j = (j + 1) & mask) {
		uint32_t k = idmap_home(m, m->key[j]);

		/* The entry at j may move back to i unless its home lies
		 * cyclically in (i, j]. */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			m->key[i] = m->key[j];
			m->val[i] = m->val[j];
			i = j;
		}
	}
	m->val[i] = MOS_IDMAP_NONE;
}

/* ---- single-heap policies --------------------------------------------- */

int mos__heapq_init(const mos_sched_params_t *params, mos_heapq_key_fn key,
		    bool preemptive, const mos_allocator_t *alloc, void **rq)
{
	mos_heapq_t *q = mos__calloc(alloc, 1, sizeof(*q));

	if (!q)
		return MOS_ENOMEM;
	mos__pheap_init(&q->heap, alloc);
	q->params = *params;
	q->key = key;
	q->preemptive = preemptive;
	*rq = q;
	return 0;
}

int mos__heapq_init_posix(const mos_sched_params_t *params,
			  mos_heapq_key_fn key, bool preemptive,
			  const mos_allocator_t *alloc, void **rq)
{
	int err = mos__heapq_init(params, key, preemptive, alloc, rq);

	if (!err)
		((mos_heapq_t *)*rq)->preempted_first = true;
	return err;
}

void mos__heapq_fini(void *rq, const mos_allocator_t *alloc)
{
	mos_heapq_t *q = rq;
	mos__pheap_fini(&q->heap);
	mos__free(alloc, q);
}

int mos__heapq_attach(void *rq, mos_proc_t *p)
{
	return mos__pheap_attach(&((mos_heapq_t *)rq)->heap, p);
}

void mos__heapq_detach(void *rq, mos_proc_t *p)
{
	mos__pheap_detach(&((mos_heapq_t *)rq)->heap, p);
}

/*
 * key2 is the time p became Ready plus one, so that 0 is free for a
 * preempted process of a preempted_first policy: it then sorts before
 * every process with its key.  Two such processes cannot share a key
 * unless the key ages (a static key's head would have run before the
 * other could), and then the lower pid goes first.
 */
#define KEY2_HEAD 0

static void heapq_push(mos_heapq_t *q, mos_proc_t *p, bool head)
{
	mos_time_t since = mos__sched_ent(p)->ready_since;
	uint64_t cls = q->key(q, p, 0);

	mos__pheap_push(&q->heap, p, q->key_ages ? q->key(q, p, since) : cls,
			head ? KEY2_HEAD : mos__sat_add(since, 1), cls);
}

void mos__heapq_enqueue(void *rq, mos_proc_t *p, mos_enq_reason_t why,
			mos_time_t now)
{
	(void)why;
	(void)now;
	heapq_push(rq, p, false);
}

void mos__heapq_dequeue(void *rq, mos_proc_t *p)
{
	mos__pheap_remove(&((mos_heapq_t *)rq)->heap, p);
}

/* The wait comes from the heap's slot (key2 is Ready time + 1), which the
 * pop has in cache, rather than from the process; only a preempted head
 * (key2 0) reads its backdated ready_since. */
mos_proc_t *mos__heapq_pick(void *rq, mos_time_t now)
{
	mos_pheap_t *h = &((mos_heapq_t *)rq)->heap;
	uint64_t key2 = h->n ? h->v[0].key2 : KEY2_HEAD;
	mos_proc_t *p = mos__pheap_pop(h);

	if (p) {
		mos_sched_ent_t *e = mos__sched_ent(p);
		e->waited = now - (key2 != KEY2_HEAD ? key2 - 1
						     : e->ready_since);
	}
	return p;
}

void mos__heapq_put_prev(void *rq, mos_proc_t *p, mos_put_reason_t why,
			 mos_time_t now)
{
	mos_heapq_t *q = rq;

	if (why == MOS_PUT_PREEMPT && q->preempted_first) {
		/* The key it ran with: the kernel made it Ready from now,
		 * which would throw an aged key's credit away. */
		mos_sched_ent_t *e = mos__sched_ent(p);
		e->ready_since = now - e->waited;
		heapq_push(q, p, true);
	} else if (why <= MOS_PUT_YIELD) {
		heapq_push(q, p, false);
	}
}

/* The running process's key: that of a wait of `waited` ending now. */
bool mos__heapq_preempts(void *rq, const mos_proc_t *curr, mos_time_t now)
{
	mos_heapq_t *q = rq;
	uint64_t top;

	return q->preemptive && mos__pheap_min_key(&q->heap, &top) &&
	       top < q->key(q, curr, now - mos__sched_ent_c(curr)->waited);
}

uint64_t mos__heapq_key_burst(const mos_heapq_t *q, const mos_proc_t *p,
			      mos_time_t since)
{
	(void)q;
	(void)since;
	return mos__sched_ent_c(p)->burst;
}

mos_time_t mos__sched_no_slice(void *rq, const mos_proc_t *p)
{
	(void)rq;
	(void)p;
	return MOS_TIME_NEVER;
}

void mos__sched_charge_burst(void *rq, mos_proc_t *p, mos_time_t ran)
{
	mos_sched_ent_t *e = mos__sched_ent(p);
	(void)rq;
	e->burst = e->burst > ran ? e->burst - ran : 0;
}

bool mos__sched_reprio_none(void *rq, mos_proc_t *p, int old, bool queued,
			    mos_time_t now)
{
	(void)rq;
	(void)p;
	(void)old;
	(void)queued;
	(void)now;
	return false;
}
