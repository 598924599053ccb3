/*
 * src/kernel/events.c - kernel events: subscribers, filters, and the queue
 * of deferred deliveries.
 *
 * An event is checked against every subscriber's filter when it happens,
 * while the control block it concerns is still there to be looked at
 * (its command, for a program filter).  A synchronous subscriber is
 * called there and then; for a deferred one a copy of the event joins a
 * FIFO ring that the run loop empties between steps, on the host stack
 * (step() in kernel.c), before anything else of the instant.  Deliveries
 * follow the order of the events and, for one event, subscription
 * order, so they are as deterministic as the events themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_int.h"

static const char *const type_names[MOS_KEV_TYPE_COUNT] = {
	"created", "state", "exited", "reaped", "limit", "service", "oom",
};

const char *mos_kev_type_name(mos_kev_type_t type)
{
	return (unsigned)type < MOS_KEV_TYPE_COUNT ? type_names[type] : "?";
}

static void update_mask(mos_kev_t *e)
{
	e->mask = 0;
	for (uint32_t i = 0; i < e->nsubs; i++)
		e->mask |= e->subs[i].types;
}

int mos_kernel_subscribe(mos_kernel_t *k, const mos_kev_filter_t *f,
			 unsigned flags, mos_kev_fn fn, void *ud, int *id)
{
	mos_kev_t *e;
	mos_kev_sub_t *s;
	char *program = NULL;

	if (!k || !f || !fn || !mos__host_may_change(k) || !f->types ||
	    (f->types & ~(uint32_t)MOS_KEV_ALL) || (flags & ~MOS_KEV_SYNC) ||
	    f->pid < 0 || (f->program && !f->program[0]))
		return MOS_EINVAL;
	e = &k->kev;
	if (e->next_id == INT32_MAX)
		return MOS_EEXHAUSTED;
	if (e->nsubs == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 4;
		mos_kev_sub_t *v = mos__realloc_array(&k->alloc, e->subs, cap,
						      sizeof(*v));

		if (!v)
			return MOS_ENOMEM;
		e->subs = v;
		e->cap = cap;
	}
	if (f->program && !(program = mos__strdup(&k->alloc, f->program)))
		return MOS_ENOMEM;
	s = &e->subs[e->nsubs++];
	*s = (mos_kev_sub_t){
		.id = ++e->next_id, .types = f->types, .flags = flags,
		.pid = f->pid, .program = program, .fn = fn, .ud = ud,
	};
	e->mask |= f->types;
	if (id)
		*id = s->id;
	return 0;
}

int mos_kernel_unsubscribe(mos_kernel_t *k, int id)
{
	mos_kev_t *e;

	if (!k || !mos__host_may_change(k))
		return MOS_EINVAL;
	e = &k->kev;
	for (uint32_t i = 0; i < e->nsubs; i++) {
		if (e->subs[i].id != id)
			continue;
		mos__free(&k->alloc, e->subs[i].program);
		memmove(&e->subs[i], &e->subs[i + 1],
			(e->nsubs - i - 1) * sizeof(*e->subs));
		e->nsubs--;
		update_mask(e);
		return 0;
	}
	return MOS_EINVAL;
}

void mos__kev_fini(mos_kernel_t *k)
{
	for (uint32_t i = 0; i < k->kev.nsubs; i++)
		mos__free(&k->alloc, k->kev.subs[i].program);
	mos__free(&k->alloc, k->kev.subs);
	mos__free(&k->alloc, k->kev.q);
}

static bool passes(const mos_kev_sub_t *s, const mos_kevent_t *ev,
		   const mos_proc_t *p)
{
	if (!(s->types & MOS_KEV_BIT(ev->type)))
		return false;
	if (s->pid && s->pid != ev->pid)
		return false;
	return !s->program ||
	       (p && strcmp(p->cold.argv[0], s->program) == 0);
}

static void enqueue(mos_kernel_t *k, int id, const mos_kevent_t *ev)
{
	mos_kev_t *e = &k->kev;

	if (e->qlen == e->qcap) {
		uint32_t cap = e->qcap ? e->qcap * 2 : 64;
		mos_kev_queued_t *q = cap > e->qcap
			? mos__malloc_array(&k->alloc, cap, sizeof(*q)) : NULL;

		if (!q) {
			k->stats.events_dropped++;
			return;
		}
		/* Unroll the ring into the new array, oldest first. */
		for (uint32_t i = 0; i < e->qlen; i++)
			q[i] = e->q[(e->qhead + i) % e->qcap];
		mos__free(&k->alloc, e->q);
		e->q = q;
		e->qhead = 0;
		e->qcap = cap;
	}
	e->q[(e->qhead + e->qlen) % e->qcap] = (mos_kev_queued_t){id, *ev};
	e->qlen++;
}

void mos__kev_emit(mos_kernel_t *k, mos_kevent_t *ev, const mos_proc_t *p)
{
	mos_kev_t *e = &k->kev;

	if (!(e->mask & MOS_KEV_BIT(ev->type)))
		return;
	ev->time = k->now;
	/* A synchronous subscriber cannot subscribe or unsubscribe, so the
	 * array stays put while we walk it. */
	for (uint32_t i = 0; i < e->nsubs; i++) {
		const mos_kev_sub_t *s = &e->subs[i];

		if (!passes(s, ev, p))
			continue;
		if (s->flags & MOS_KEV_SYNC) {
			e->sync_depth++;
			k->stats.events_delivered++;
			s->fn(k, ev, s->ud);
			e->sync_depth--;
		} else {
			enqueue(k, s->id, ev);
		}
	}
}

void mos__kev_proc(mos_kernel_t *k, mos_kev_type_t type, const mos_proc_t *p,
		   mos_proc_state_t from, mos_cause_t cause)
{
	mos_kevent_t ev = {
		.type = type, .pid = p->pid, .ppid = p->ppid, .from = from,
		.to = p->state, .cause = cause, .status = p->exit_status,
	};

	mos__kev_emit(k, &ev, p);
}

static const mos_kev_sub_t *find_sub(const mos_kev_t *e, int id)
{
	/* Ids increase along the array: binary search. */
	uint32_t lo = 0, hi = e->nsubs;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e->subs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nsubs && e->subs[lo].id == id ? &e->subs[lo] : NULL;
}

bool mos__kev_drain(mos_kernel_t *k)
{
	mos_kev_t *e = &k->kev;

	if (!e->qlen)
		return false;
	while (e->qlen) {
		mos_kev_queued_t item = e->q[e->qhead];
		const mos_kev_sub_t *s;

		e->qhead = (e->qhead + 1) % e->qcap;
		e->qlen--;
		/* Looked up each time: the one before may have unsubscribed
		 * it, or subscribed others (the array may have moved). */
		if (!(s = find_sub(e, item.id)))
			continue;
		k->stats.events_delivered++;
		s->fn(k, &item.ev, s->ud);
	}
	return true;
}
