/*
 * src/util/alloc.c - the C library's allocator as a mos_allocator_t, and
 * resolving a caller's allocator (alloc.h).
 */
#include <stdlib.h>

#include "alloc.h"

static void *libc_malloc(void *ud, size_t n)
{
	(void)ud;
	return malloc(n);
}

static void *libc_realloc(void *ud, void *p, size_t n)
{
	(void)ud;
	return realloc(p, n);
}

static void libc_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static const mos_allocator_t libc_alloc = {
	libc_malloc, libc_realloc, libc_free, NULL,
};

const mos_allocator_t *mos__alloc_libc(void) { return &libc_alloc; }

bool mos__alloc_valid(const mos_allocator_t *a)
{
	int set = !!a->malloc + !!a->realloc + !!a->free;

	return set == 0 || set == 3;
}

mos_allocator_t mos__alloc_resolve(const mos_allocator_t *a)
{
	return a && a->malloc ? *a : libc_alloc;
}
