/*
 * sim/hal/clock.h - clock backends: how virtual time relates to wall time.
 *
 * The kernel owns virtual time and its timer heap; a clock backend is only
 * told when virtual time should jump, and may make the host wait so that
 * the jump takes the matching wall time.  "virtual" never waits (the
 * default: runs as fast as the host can).  "realtime" paces jumps against
 * wall time with a libuv loop (virtual seconds per wall second = speed),
 * for live demos and the admin socket; host code may add its own handles
 * to that loop, and their callbacks run while the kernel waits.  uv_now
 * is never the kernel's clock: the kernel reads no wall time, only the
 * virtual times a backend reports.
 */
#ifndef MOS_HAL_CLOCK_H
#define MOS_HAL_CLOCK_H

#include "multios/config.h" /* mos_allocator_t */
#include "multios/types.h"

struct uv_loop_s; /* libuv's loop, for the backends that have one */

/* advance's result when a wakeup ended the wait early. */
#define MOS_CLOCK_WOKEN 1

typedef struct mos_clock_backend {
	const char *name;
	/* Open an instance; speed > 0; memory from a (a resolved allocator,
	 * multios/config.h; libuv's own allocations stay libuv's).
	 * Errors: MOS_ENOMEM, MOS_EINVAL. */
	int (*open)(void **state, double speed, const mos_allocator_t *a);
	/* Close it, and any handle still open on its loop. */
	void (*close)(void *state);
	/*
	 * Virtual time may move from `from` to `to` (to >= from): wait until
	 * the wall time of `to`, or less when something ends the wait early
	 * (the callback of any handle on the backend's loop, or a wakeup).
	 * *reached is the virtual time matching the wall clock when the wait
	 * ended, in [from, to]; always `to` for "virtual".  Returns 0,
	 * MOS_CLOCK_WOKEN when a wakeup ended it, or MOS_EIO when the host
	 * wait failed (then *reached = to: pacing is lost, never events).
	 */
	int (*advance)(void *state, mos_time_t from, mos_time_t to,
		       mos_time_t *reached);
	/* During an advance(from, to): the virtual time that matches the
	 * wall clock now, in [from, to]. */
	mos_time_t (*now)(void *state, mos_time_t from, mos_time_t to);
	/* End the wait in progress early, or the next one if none is: from
	 * any thread.  Errors: MOS_EINVAL (a backend that never waits). */
	int (*wakeup)(void *state);
	/* The loop it waits on, NULL for a backend that never waits. */
	struct uv_loop_s *(*loop)(void *state);
} mos_clock_backend_t;

/* "virtual" or "realtime"; NULL when unknown. */
const mos_clock_backend_t *mos__clock_backend_find(const char *name);

/* The backend names, NULL-terminated, for error messages and --help. */
const char *const *mos__clock_backend_names(void);

#endif
