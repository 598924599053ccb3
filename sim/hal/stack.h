/*
 * sim/hal/stack.h - coroutine stacks: pooled, canary-checked.
 *
 * Stacks come from mmap in slabs of several stacks (one mapping per slab, so
 * 65 536 stacks fit under the stock vm.max_map_count of 65 530) and go back
 * to a free list when their process dies; a recycled stack costs no system
 * call.  Overflow is detected by a canary: MOS_STACK_CANARY_BYTES of zeros
 * at the low end of each stack, re-armed when the stack is handed out and
 * checked by the kernel at every switch back from the coroutine (its top
 * and bottom cache lines: stack.c).  An overflow that writes only zeros
 * there goes unseen; one that leaves a return address or a saved pointer
 * (any frame does) is caught.
 * Guard pages (a PROT_NONE page below each stack) are optional: each splits
 * its slab's mapping in two, so with guards on the pool holds at most about
 * 32 700 stacks on a stock kernel.
 *
 * Not thread-safe; owned by one kernel.
 */
#ifndef MOS_HAL_STACK_H
#define MOS_HAL_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "multios/config.h"

#define MOS_STACK_CANARY_BYTES 256
#define MOS_STACK_MIN (16u * 1024u)

typedef struct mos_stack_slab mos_stack_slab_t;

typedef struct mos_stack {
	void *lo;               /* lowest usable address (canary lives here) */
	size_t size;            /* usable bytes from lo */
	struct mos_stack *next; /* free-list link while pooled */
	mos_stack_slab_t *slab; /* the slab it was carved from */
} mos_stack_t;

typedef struct mos_stack_pool {
	const mos_allocator_t *alloc; /* slab headers; resolved: all set */
	size_t stack_size;      /* usable bytes per stack, page multiple */
	bool guard;             /* PROT_NONE page below each stack */
	mos_stack_t *free;      /* LIFO free list (warm stacks first) */
	mos_stack_slab_t *slabs;
	size_t total;           /* stacks carved so far */
	size_t in_use;
	int pidfd;              /* this process, for process_madvise; -1 not
				   opened yet, -2 not available */
	bool heap_first;        /* the first slab from alloc (stack.c) */
} mos_stack_pool_t;

/*
 * Set up an empty pool of stacks of stack_size bytes (rounded up to pages;
 * at least MOS_STACK_MIN).  Maps nothing yet.  The slab headers come from
 * alloc, which must stay valid and have all three functions set (the
 * kernel's resolved allocator); the stacks from mmap.  Errors: MOS_EINVAL.
 */
int mos__stack_pool_init(mos_stack_pool_t *p, size_t stack_size, bool guard,
			 const mos_allocator_t *alloc);

/* Take the first slab's stacks from the pool's allocator, not from mmap
 * (a pool without guard pages; else nothing changes).  Call after
 * mos__stack_pool_init, before the first mos__stack_get. */
void mos__stack_pool_heap_first(mos_stack_pool_t *p);

/* Unmap every slab.  Every stack must have been put back or be abandoned. */
void mos__stack_pool_fini(mos_stack_pool_t *p);

/*
 * Take a stack with an intact canary; touches none of its memory.  Maps a
 * new slab when the free list is empty.  Errors: MOS_ENOMEM (mmap or
 * mprotect failed).
 */
int mos__stack_get(mos_stack_pool_t *p, mos_stack_t **out);

/* Return a stack to the pool, cleaning its canary if it was overwritten.
 * Never fails, never calls the host kernel. */
void mos__stack_put(mos_stack_pool_t *p, mos_stack_t *s);

/*
 * Undo the growth of a call that failed: unmap and free every slab added
 * since p->slabs was keep (its value when the call began).  Each of their
 * stacks must be back in the pool (the call put what it took).
 */
void mos__stack_pool_trim(mos_stack_pool_t *p, const mos_stack_slab_t *keep);

/*
 * Before the first coroutine runs on s: on the first call for a stack of
 * its slab, fault in the top page of every stack of the slab in one call
 * to the host kernel.  Best effort; never fails.
 */
void mos__stack_prefault(mos_stack_pool_t *p, mos_stack_t *s);

/* True while the canary at the low end of s is intact. */
bool mos__stack_canary_ok(const mos_stack_t *s);

#endif
