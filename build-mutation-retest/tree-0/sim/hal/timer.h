/*
 * sim/hal/timer.h - the kernel's timers: a binary min-heap of intrusive nodes.
 *
 * Order is (due, band, seq): earlier first; at equal times a lower band
 * first; then arming order (seq), so timers armed for the same instant and
 * band fire in the order they were armed.  Nodes live inside the objects
 * that own them; arming and cancelling never allocate: capacity is reserved
 * up front with mos__timer_heap_reserve() on the paths that create owners.
 */
#ifndef MOS_HAL_TIMER_H
#define MOS_HAL_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multios/types.h"

#define MOS_TIMER_IDLE SIZE_MAX

typedef struct mos_timer {
	mos_time_t due;
	uint64_t seq;
	size_t index;   /* position in the heap; MOS_TIMER_IDLE when not armed */
	uint8_t band;
	uint8_t kind;   /* owner's tag: what to do when it fires */
} mos_timer_t;

typedef struct mos_timer_heap {
	mos_timer_t **v;
	size_t n;
	size_t cap;
	uint64_t next_seq;
} mos_timer_heap_t;

void mos__timer_heap_init(mos_timer_heap_t *h);
void mos__timer_heap_fini(mos_timer_heap_t *h);

/* Ensure room for `total` armed timers at once.  MOS_ENOMEM. */
int mos__timer_heap_reserve(mos_timer_heap_t *h, size_t total);

/* A fresh, unarmed node. */
void mos__timer_init(mos_timer_t *t, uint8_t kind);

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

/* Earliest timer, or NULL. */
mos_timer_t *mos__timer_peek(const mos_timer_heap_t *h);

/* Remove and return the earliest timer if due <= now, else NULL. */
mos_timer_t *mos__timer_pop_due(mos_timer_heap_t *h, mos_time_t now);

#endif
