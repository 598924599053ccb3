/*
 * src/resource/cpu.h - CPU limits and bandwidth (cpu.c): system time from
 * the cost table, RLIMIT_CPU's SIGXCPU and SIGKILL, the lifetime limit,
 * and a group's cpu.max throttling.
 */
#ifndef MOS_RES_CPU_H
#define MOS_RES_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/seams.h"
#include "multios/types.h"

/* Per process. */
typedef struct mos_res_cpu {
	mos_time_t throttled_time;  /* Ready while held by a group's cpu.max */
	mos_time_t held_ready;      /* while held: its Ready time at the hold */
	mos_time_t xcpu_next;       /* CPU time of the next SIGXCPU */
	mos_timer_t life;           /* max_creation_time's SIGKILL */
	bool life_init;             /* life is mos__ktimer_init'ed */
	bool held;                  /* held by a throttled group */
} mos_res_cpu_t;

/* Per group: cpu.max's period. */
typedef struct mos_res_cpu_group {
	mos_kernel_t *k;
	mos_timer_t period;         /* the end of the current period */
	bool timer_init;
	mos_time_t used;            /* CPU used under it in this period */
	mos_time_t throttled_since;
} mos_res_cpu_group_t;

#endif
