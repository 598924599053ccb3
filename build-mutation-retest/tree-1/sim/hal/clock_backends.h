/*
 * sim/hal/clock_backends.h - the clock backends compiled into the library.
 *
 * Internal to sim/hal: clock_virtual.c holds the lookup table
 * (mos__clock_backend_find) and lists every backend declared here.
 */
#ifndef MOS_HAL_CLOCK_BACKENDS_H
#define MOS_HAL_CLOCK_BACKENDS_H

#include "clock.h"

extern const mos_clock_backend_t mos__clock_virtual;  /* clock_virtual.c */
extern const mos_clock_backend_t mos__clock_realtime; /* clock_uv.c */

#endif
