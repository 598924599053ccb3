/*
 * sim/hal/timer.c - the kernel's timer heap.
 *
 * A binary min-heap of pointers to intrusive nodes, ordered by (due, band,
 * seq).  Each node remembers its index so that cancel and re-arm work from
 * the middle of the heap in O(log n).  seq comes from a per-heap counter, so
 * ties never depend on addresses and a run is reproducible.  Only reserve
 * allocates; arm, cancel and pop never fail.
 */
#include "timer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "multios/error.h"

static bool before(const mos_timer_t *a, const mos_timer_t *b)
{
	if (a->due != b->due)
		return a->due < b->due;
	if (a->band != b->band)
		return a->band < b->band;
	return a->seq < b->seq;
}

static void place(mos_timer_heap_t *h, mos_timer_t *t, size_t i)
{
	h->v[i] = t;
	t->index = i;
}

static void sift_up(mos_timer_heap_t *h, size_t i)
{
	mos_timer_t *t = h->v[i];

	while (i > 0 && before(t, h->v[(i - 1) / 2])) {
		place(h, h->v[(i - 1) / 2], i);
		i = (i - 1) / 2;
	}
	place(h, t, i);
}

static void sift_down(mos_timer_heap_t *h, size_t i)
{
	mos_timer_t *t = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(h->v[c + 1], h->v[c]))
			c++;
		if (!before(h->v[c], t))
			break;
		place(h, h->v[c], i);
		i = c;
	}
	place(h, t, i);
}

/* Restore heap order around a node whose key changed in either direction. */
static void fix(mos_timer_heap_t *h, size_t i)
{
	mos_timer_t *t = h->v[i];

	sift_up(h, i);
	sift_down(h, t->index);
}

void mos__timer_heap_init(mos_timer_heap_t *h, const mos_allocator_t *alloc)
{
	*h = (mos_timer_heap_t){ .alloc = alloc };
}

void mos__timer_heap_fini(mos_timer_heap_t *h)
{
	const mos_allocator_t *a = h->alloc;

	for (size_t i = 0; i < h->n; i++)
		h->v[i]->index = MOS_TIMER_IDLE;
	if (h->v)
		a->free(a->ud, h->v);
	*h = (mos_timer_heap_t){ .alloc = a };
}

int mos__timer_heap_reserve(mos_timer_heap_t *h, size_t total)
{
	size_t cap;
	mos_timer_t **v;

	if (total <= h->cap)
		return 0;
	/* Grow geometrically: owners are usually created one at a time. */
	cap = h->cap > SIZE_MAX / 2 ? total : 2 * h->cap;
	if (cap < total)
		cap = total;
	if (cap > SIZE_MAX / sizeof(*v))
		return MOS_ENOMEM;
	v = h->v ? h->alloc->realloc(h->alloc->ud, h->v, cap * sizeof(*v))
		 : h->alloc->malloc(h->alloc->ud, cap * sizeof(*v));
	if (!v)
		return MOS_ENOMEM;
	h->v = v;
	h->cap = cap;
	return 0;
}

void mos__timer_init(mos_timer_t *t, mos_timer_fn fn, void *arg,
		     bool background)
{
	*t = (mos_timer_t){ .index = MOS_TIMER_IDLE, .fn = fn, .arg = arg,
			    .background = background };
}

void mos__timer_arm(mos_timer_heap_t *h, mos_timer_t *t, mos_time_t due,
		    uint8_t band)
{
	t->due = due;
	t->band = band;
	t->seq = h->next_seq++;
	if (mos__timer_armed(t)) {
		fix(h, t->index);
		return;
	}
	if (h->n >= h->cap) {
		/* The owner's create path forgot to reserve: a kernel bug. */
		fputs("libmultios: timer armed without reserved capacity\n",
		      stderr);
		abort();
	}
	place(h, t, h->n++);
	sift_up(h, t->index);
	h->foreground += !t->background;
}

void mos__timer_cancel(mos_timer_heap_t *h, mos_timer_t *t)
{
	size_t i = t->index;
	mos_timer_t *last;

	if (!mos__timer_armed(t))
		return;
	t->index = MOS_TIMER_IDLE;
	h->foreground -= !t->background;
	last = h->v[--h->n];
	if (last == t)
		return;
	place(h, last, i);
	fix(h, i);
}

mos_timer_t *mos__timer_peek(const mos_timer_heap_t *h)
{
	return h->n ? h->v[0] : NULL;
}

mos_timer_t *mos__timer_pop_due(mos_timer_heap_t *h, mos_time_t now)
{
	mos_timer_t *t = mos__timer_peek(h);

	if (!t || t->due > now)
		return NULL;
	mos__timer_cancel(h, t);
	return t;
}
