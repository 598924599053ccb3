/*
 * src/resource/cpu.h - CPU limits and bandwidth (cpu.c): system time from
 * the cost table, RLIMIT_CPU's SIGXCPU and SIGKILL, the lifetime limit,
 * and a group's cpu.max throttling.
 */
#ifndef MOS_RES_CPU_H
#define MOS_RES_CPU_H

#include <stdint.h>

#include "multios/types.h"

/* Per process. */
typedef struct mos_res_cpu {
	mos_time_t throttled_time;  /* held out by a group's cpu.max */
} mos_res_cpu_t;

#endif
