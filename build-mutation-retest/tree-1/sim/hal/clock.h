/*
 * sim/hal/clock.h - clock backends: how virtual time relates to wall time.
 *
 * The kernel owns virtual time and its timer heap; a clock backend is only
 * told when virtual time jumps, and may make the host wait so that the jump
 * takes the matching wall time.  "virtual" never waits (the default: runs as
 * fast as the host can).  "realtime" paces jumps against wall time with libuv
 * (virtual seconds per wall second = speed), for live demos and the admin
 * socket.  uv_now is never the kernel's clock: the kernel reads no wall time.
 */
#ifndef MOS_HAL_CLOCK_H
#define MOS_HAL_CLOCK_H

#include "multios/types.h"

typedef struct mos_clock_backend {
	const char *name;
	/* Open an instance; speed > 0.  Errors: MOS_ENOMEM, MOS_EINVAL. */
	int (*open)(void **state, double speed);
	void (*close)(void *state);
	/* Virtual time moves from `from` to `to` (to >= from).  Returns 0 or
	 * MOS_EIO when the host wait failed. */
	int (*advance)(void *state, mos_time_t from, mos_time_t to);
} mos_clock_backend_t;

/* "virtual" or "realtime"; NULL when unknown. */
const mos_clock_backend_t *mos__clock_backend_find(const char *name);

/* The backend names, NULL-terminated, for error messages and --help. */
const char *const *mos__clock_backend_names(void);

#endif
