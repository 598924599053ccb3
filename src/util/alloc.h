/*
 * src/util/alloc.h - allocating through a mos_allocator_t.
 *
 * A kernel resolves its configuration's allocator once (all NULL becomes
 * the C library's) and hands the resolved copy, by pointer, to every part
 * that allocates; a loader that works without a kernel resolves the one it
 * was given.  These helpers keep the contract multios/config.h promises a
 * user's allocator: no request for 0 bytes, no realloc or free of NULL,
 * no size that overflowed.  The HAL (sim/hal/) may not include this file:
 * it calls a resolved allocator's functions directly, under the same rules.
 */
#ifndef MOS_ALLOC_H
#define MOS_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "multios/config.h"

/* Whether a's three functions are all set or all NULL. */
bool mos__alloc_valid(const mos_allocator_t *a);

/* The allocator to use for a (which must be valid): a copy of a, or the C
 * library's when a is NULL or all NULL. */
mos_allocator_t mos__alloc_resolve(const mos_allocator_t *a);

/* The C library's, resolved; lives as long as the library. */
const mos_allocator_t *mos__alloc_libc(void);

static inline void *mos__malloc(const mos_allocator_t *a, size_t n)
{
	return a->malloc(a->ud, n ? n : 1);
}

/* n zeroed objects of size bytes; NULL when out of memory or n * size
 * overflows. */
static inline void *mos__calloc(const mos_allocator_t *a, size_t n,
				size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	if ((p = mos__malloc(a, n * size)))
		memset(p, 0, n * size);
	return p;
}

/* p (NULL: none yet) resized to n objects of size bytes; NULL when out of
 * memory or n * size overflows, and then p is unchanged. */
static inline void *mos__realloc_array(const mos_allocator_t *a, void *p,
				       size_t n, size_t size)
{
	size_t bytes;

	if (size && n > SIZE_MAX / size)
		return NULL;
	bytes = n * size;
	if (!p)
		return mos__malloc(a, bytes);
	return a->realloc(a->ud, p, bytes ? bytes : 1);
}

/* n objects of size bytes, not zeroed; NULL as mos__realloc_array. */
static inline void *mos__malloc_array(const mos_allocator_t *a, size_t n,
				      size_t size)
{
	return mos__realloc_array(a, NULL, n, size);
}

static inline void mos__free(const mos_allocator_t *a, void *p)
{
	if (p)
		a->free(a->ud, p);
}

static inline char *mos__strdup(const mos_allocator_t *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = mos__malloc(a, n);

	return d ? memcpy(d, s, n) : NULL;
}

#endif
