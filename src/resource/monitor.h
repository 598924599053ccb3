/*
 * src/resource/monitor.h - monitoring (monitor.c): the kernel-wide rates
 * of mos_kernel_stats_t over a sliding window of virtual time, and the
 * periodic samples of every process, group and the kernel in bounded
 * rings.
 *
 * The rates need no timer and nothing on the yield path: the kernel calls
 * mos__res_monitor_tick (res_int.h) when its clock is about to pass the
 * next step boundary, and the tick records the cumulative counters as
 * they stand, which are exactly the counts of the events before that
 * boundary (nothing happens between two clock moves).
 */
#ifndef MOS_RES_MONITOR_H
#define MOS_RES_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multios/types.h"
#include "kernel/seams.h"

/* A ring of fixed-size samples, oldest dropped when full. */
typedef struct mos_mon_ring {
	uint32_t cap, head, len;    /* head: the oldest */
	uint64_t dropped;
	size_t esz;
	unsigned char data[];
} mos_mon_ring_t;

/* Per process: its samples, made at its first sample, kept with its
 * record in the history once reaped, freed when the record goes. */
typedef struct mos_res_mon {
	mos_mon_ring_t *ring;
	bool kept;                  /* reaped: the ring stays with the
				       record until its next release */
} mos_res_mon_t;

/* The cumulative counters at one step boundary. */
typedef struct mos_mon_snap {
	uint64_t created, exited, switches;
	mos_time_t busy;            /* the device's, at the boundary */
} mos_mon_snap_t;

#define MOS_MON_STEPS 10        /* the window is split in at most this
				       many steps */

/* Per kernel. */
typedef struct mos_res_mon_kernel {
	/* The window: nsteps steps of `step` ns; snaps[m % (nsteps + 1)]
	 * holds the counters at boundary m * step, for m from last - nsteps
	 * to last, last = floor(now / step). */
	mos_time_t step;
	uint32_t nsteps;
	uint64_t last;
	mos_mon_snap_t snaps[MOS_MON_STEPS + 1];
	/* Sampling. */
	mos_timer_t timer;
	bool timer_ready;           /* initialised (sampling on) */
	mos_mon_ring_t *kernel;
	mos_mon_ring_t **groups;    /* by group id, grown at sampling */
	uint32_t ngroups;
	uint64_t samples;           /* sampler firings */
	uint64_t alloc_failures;
	uint64_t dropped;           /* samples dropped by full rings */
} mos_res_mon_kernel_t;

#endif
