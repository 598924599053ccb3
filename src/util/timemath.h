/*
 * src/util/timemath.h - virtual-time arithmetic that cannot wrap.
 *
 * Virtual time is a uint64_t of nanoseconds and MOS_TIME_NEVER (UINT64_MAX)
 * means "never".  A sum that would pass it is not a time: the helpers below
 * either saturate at MOS_TIME_NEVER (for deadlines that may honestly lie
 * beyond the representable future, such as the end of a very long time
 * slice) or report the overflow (for values a caller asked for, which are
 * then refused with MOS_ERANGE or a loader error naming the field).
 * Everything here is inline and branch-light: it is on the kernel's
 * dispatch path.
 */
#ifndef MOS_TIMEMATH_H
#define MOS_TIMEMATH_H

#include <stdbool.h>

#include "multios/types.h"

/* a + b, or MOS_TIME_NEVER when the sum would reach or pass it. */
static inline mos_time_t mos__time_add_sat(mos_time_t a, mos_time_t b)
{
	return b >= MOS_TIME_NEVER - a ? MOS_TIME_NEVER : a + b;
}

/* *out = a + b; false (and *out untouched) when the sum would reach
 * MOS_TIME_NEVER, which no finite time may equal. */
static inline bool mos__time_add(mos_time_t a, mos_time_t b, mos_time_t *out)
{
	if (b >= MOS_TIME_NEVER - a)
		return false;
	*out = a + b;
	return true;
}

/* *out = a * b; false (and *out untouched) when the product would reach
 * MOS_TIME_NEVER. */
static inline bool mos__time_mul(uint64_t a, uint64_t b, mos_time_t *out)
{
	if (a != 0 && b > (MOS_TIME_NEVER - 1) / a)
		return false;
	*out = a * b;
	return true;
}

/* ceil(a * b / c) for c > 0, or MOS_TIME_NEVER when it would reach or
 * pass it (exact: the product is taken in 128 bits where the compiler
 * has them, else a product that overflows 64 bits saturates).  The
 * device's transfer times: bytes * 1e9 / bandwidth, rounded up. */
static inline mos_time_t mos__time_muldiv_ceil_sat(uint64_t a, uint64_t b,
						   uint64_t c)
{
#ifdef __SIZEOF_INT128__
	__extension__ typedef unsigned __int128 u128;
	u128 q = ((u128)a * b + (c - 1)) / c;

	return q >= MOS_TIME_NEVER ? MOS_TIME_NEVER : (mos_time_t)q;
#else
	uint64_t p, q;

	if (a != 0 && b > UINT64_MAX / a)
		return MOS_TIME_NEVER;
	p = a * b;
	q = p / c + (p % c != 0);
	return q;
#endif
}

#endif
