/*
 * sim/hal/timer.h - the kernel's timers: a binary min-heap of intrusive nodes.
 *
 * Order is (due, band, seq): earlier first; at equal times a lower band
 * first; then arming order (seq), so timers armed for the same instant and
 * band fire in the order they were armed.  Nodes live inside the objects
 * that own them; arming and cancelling never allocate: capacity is reserved
 * up front with mos__timer_heap_reserve() on the paths that create owners.
 *
 * A timer carries what to do when it fires (fn, arg): the heap only keeps
 * order.  A background timer (libuv's uv_unref) is ordered and fires like
 * any other, but does not count as something left to wait for: the heap
 * counts its armed foreground timers, and a kernel whose only armed timers
 * are background ones has nothing left to do.
 */
#ifndef MOS_HAL_TIMER_H
#define MOS_HAL_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multios/config.h"
#include "multios/types.h"

#define MOS_TIMER_IDLE SIZE_MAX

typedef struct mos_timer mos_timer_t;
/* What a timer does when it fires: called with the timer's arg and the
 * timer itself (already disarmed, so fn may re-arm it). */
typedef void (*mos_timer_fn)(void *arg, mos_timer_t *t);

struct mos_timer {
	mos_time_t due;
	uint64_t seq;
	size_t index;   /* position in the heap; MOS_TIMER_IDLE when not armed */
	mos_timer_fn fn;
	void *arg;
	uint8_t band;
	bool background;
};

typedef struct mos_timer_heap {
	const mos_allocator_t *alloc; /* resolved: all three set */
	mos_timer_t **v;
	size_t n;
	size_t cap;
	size_t foreground; /* armed timers that are not background */
	uint64_t next_seq;
} mos_timer_heap_t;

/* An empty heap whose array comes from alloc, which must stay valid and
 * have all three functions set (the kernel's resolved allocator). */
void mos__timer_heap_init(mos_timer_heap_t *h, const mos_allocator_t *alloc);
void mos__timer_heap_fini(mos_timer_heap_t *h);

/* Ensure room for `total` armed timers at once.  MOS_ENOMEM, and then
 * the heap is as it was.  Once the array exists, growing it is a realloc:
 * the number of blocks the heap holds stays one. */
int mos__timer_heap_reserve(mos_timer_heap_t *h, size_t total);

/* A fresh, unarmed node that calls fn(arg, t) when it fires. */
void mos__timer_init(mos_timer_t *t, mos_timer_fn fn, void *arg,
		     bool background);

/* Arm t for due (re-arming moves it, with a new seq).  Capacity must have
 * been reserved.  Never fails. */
void mos__timer_arm(mos_timer_heap_t *h, mos_timer_t *t, mos_time_t due,
		    uint8_t band);

/* Disarm t if armed. */
void mos__timer_cancel(mos_timer_heap_t *h, mos_timer_t *t);

static inline bool mos__timer_armed(const mos_timer_t *t)
{
	return t->index != MOS_TIMER_IDLE;
}

/* Whether a timer that is not background is armed. */
static inline bool mos__timer_heap_foreground(const mos_timer_heap_t *h)
{
	return h->foreground != 0;
}

/* Earliest timer, or NULL. */
mos_timer_t *mos__timer_peek(const mos_timer_heap_t *h);

/* Remove and return the earliest timer if due <= now, else NULL. */
mos_timer_t *mos__timer_pop_due(mos_timer_heap_t *h, mos_time_t now);

#endif
