/*
 * multios/types.h - basic types shared by every subsystem.
 *
 * Virtual time is a 64-bit count of nanoseconds since the kernel was created.
 * It is the only clock the kernel knows; wall time never enters it.
 */
#ifndef MULTIOS_TYPES_H
#define MULTIOS_TYPES_H

#include <stdint.h>

#include "error.h"

typedef uint64_t mos_time_t;  /* virtual nanoseconds */
typedef int32_t mos_pid_t;    /* > 0 for a process; 1 is init */

#define MOS_TIME_NEVER UINT64_MAX
#define MOS_NSEC ((mos_time_t)1)
#define MOS_USEC ((mos_time_t)1000)
#define MOS_MSEC ((mos_time_t)1000000)
#define MOS_SEC ((mos_time_t)1000000000)

#define MOS_PID_INIT 1

typedef struct mos_kernel mos_kernel_t; /* opaque: one simulated machine */
typedef struct mos_proc mos_proc_t;     /* opaque: a running program's self */

#endif
