/*
 * sim/hal/clock_uv.c - the "realtime" clock backend: paces virtual time
 * against wall time with libuv.
 *
 * Virtual time v corresponds to wall time wall0 + (v - virt0) / speed, where
 * (wall0, virt0) are the wall and virtual times of the first advance; the
 * anchor is taken there rather than at open so that kernel set-up time does
 * not count.  advance(from, to) blocks in uv_run on a one-shot uv_timer until
 * the wall time for `to` has come; if the host is late, it returns at once
 * and the lag is not made up by running faster, only not accumulated.
 * uv_hrtime is read only to pace; the kernel never sees wall time.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <uv.h>

#include "clock_backends.h"

struct realtime {
	uv_loop_t loop;
	uv_timer_t timer;
	double speed;      /* virtual ns per wall ns */
	bool anchored;
	uint64_t wall0;    /* uv_hrtime() at the first advance */
	mos_time_t virt0;  /* virtual time at the first advance */
};

static int open_realtime(void **state, double speed)
{
	struct realtime *rt;

	if (!state || !(speed > 0)) /* also refuses NaN */
		return MOS_EINVAL;
	if (!(rt = calloc(1, sizeof(*rt))))
		return MOS_ENOMEM;
	/* uv_loop_init fails only when out of descriptors or memory. */
	if (uv_loop_init(&rt->loop) != 0) {
		free(rt);
		return MOS_ENOMEM;
	}
	uv_timer_init(&rt->loop, &rt->timer);
	rt->speed = speed;
	*state = rt;
	return 0;
}

static void close_realtime(void *state)
{
	struct realtime *rt = state;

	uv_close((uv_handle_t *)&rt->timer, NULL);
	uv_run(&rt->loop, UV_RUN_DEFAULT); /* lets the close complete */
	uv_loop_close(&rt->loop);
	free(rt);
}

/* Wall time (uv_hrtime scale) at which virtual time v is due. */
static uint64_t wall_at(const struct realtime *rt, mos_time_t v)
{
	double d;

	if (v <= rt->virt0)
		return rt->wall0;
	d = (double)(v - rt->virt0) / rt->speed;
	/* Saturate rather than overflow for "wait forever"-sized jumps. */
	if (d >= (double)(UINT64_MAX - rt->wall0))
		return UINT64_MAX;
	return rt->wall0 + (uint64_t)d;
}

static void on_timer(uv_timer_t *t)
{
	(void)t; /* waking uv_run is all it is for */
}

static int advance_realtime(void *state, mos_time_t from, mos_time_t to)
{
	struct realtime *rt = state;
	uint64_t now = uv_hrtime(), due;

	if (!rt->anchored) {
		rt->wall0 = now;
		rt->virt0 = from;
		rt->anchored = true;
	}
	due = wall_at(rt, to);
	/* uv timers have millisecond resolution: wait in whole ms (rounded
	 * up) and re-check, so we never return before `due`. */
	while ((now = uv_hrtime()) < due) {
		uint64_t ms = (due - now) / 1000000 + 1;

		uv_update_time(&rt->loop);
		if (uv_timer_start(&rt->timer, on_timer, ms, 0) != 0)
			return MOS_EIO;
		uv_run(&rt->loop, UV_RUN_DEFAULT);
	}
	return 0;
}

const mos_clock_backend_t mos__clock_realtime = {
	.name = "realtime",
	.open = open_realtime,
	.close = close_realtime,
	.advance = advance_realtime,
};
