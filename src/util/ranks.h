/*
 * src/util/ranks.h - nearest-rank percentiles of a set of times, without
 * sorting it.
 *
 * mos__ranks(v, n, out) reorders v[0 .. n) and gives its p50, p90, p99 and
 * maximum, each the value a sort would put at that rank: the smallest
 * value with at least p% of them at or below it.  Three selections
 * (Hoare's, the middle element as pivot: runs of equal values split
 * evenly), each looking only above the last, and a scan for the maximum:
 * O(n) on the latency windows and call lists a scenario run summarises
 * after every service event and at its end, where qsort with an indirect
 * comparison was a tenth of the run.
 */
#ifndef MOS_UTIL_RANKS_H
#define MOS_UTIL_RANKS_H

#include <stddef.h>

#include "multios/types.h"

enum { MOS_RANK_P50, MOS_RANK_P90, MOS_RANK_P99, MOS_RANK_MAX, MOS_RANKS };

/* Put the value of rank r of v[lo .. hi) at v[r], the ones at or below it
 * before, the ones at or above it after. */
static inline void mos__rank_select(mos_time_t *v, size_t lo, size_t hi,
				    size_t r)
{
	long l = (long)lo, h = (long)hi - 1, k = (long)r;

	while (l < h) {
		mos_time_t pivot = v[l + (h - l) / 2], t;
		long i = l, j = h;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		}
		/* v[l .. j] <= pivot <= v[i .. h], equal ones in between. */
		if (k <= j)
			h = j;
		else if (k >= i)
			l = i;
		else
			return;
	}
}

/* The index of the nearest-rank p-th percentile of n sorted values. */
static inline size_t mos__rank_index(size_t n, unsigned p)
{
	size_t r = (n * p + 99) / 100;

	return r ? r - 1 : 0;
}

/* out[MOS_RANK_*] of v[0 .. n), reordering v; all 0 when n is 0. */
static inline void mos__ranks(mos_time_t *v, size_t n,
			     mos_time_t out[MOS_RANKS])
{
	size_t r50, r90, r99;
	mos_time_t max;

	if (!n) {
		out[0] = out[1] = out[2] = out[3] = 0;
		return;
	}
	r50 = mos__rank_index(n, 50);
	r90 = mos__rank_index(n, 90);
	r99 = mos__rank_index(n, 99);
	mos__rank_select(v, 0, n, r50);
	mos__rank_select(v, r50, n, r90);
	mos__rank_select(v, r90, n, r99);
	max = v[r99];
	for (size_t j = r99 + 1; j < n; j++)
		max = v[j] > max ? v[j] : max;
	out[MOS_RANK_P50] = v[r50];
	out[MOS_RANK_P90] = v[r90];
	out[MOS_RANK_P99] = v[r99];
	out[MOS_RANK_MAX] = max;
}

#endif
