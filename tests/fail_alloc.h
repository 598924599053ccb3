/*
 * tests/fail_alloc.h - an allocator that refuses while a flag is set:
 * t_fail_alloc(&flag) gives the C library's functions, each returning NULL
 * while flag is nonzero, for the tests that a refused allocation changes
 * nothing.
 */
#ifndef MOS_TEST_FAIL_ALLOC_H
#define MOS_TEST_FAIL_ALLOC_H

#include <stdlib.h>

#include "multios/config.h"

static inline void *t_fa_malloc(void *ud, size_t n)
{
	return *(int *)ud ? NULL : malloc(n);
}

static inline void *t_fa_realloc(void *ud, void *p, size_t n)
{
	return *(int *)ud ? NULL : realloc(p, n);
}

static inline void t_fa_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static inline mos_allocator_t t_fail_alloc(int *flag)
{
	return (mos_allocator_t){t_fa_malloc, t_fa_realloc, t_fa_free, flag};
}

#endif
