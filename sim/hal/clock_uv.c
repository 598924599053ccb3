/*
 * sim/hal/clock_uv.c - the "realtime" clock backend: paces virtual time
 * against wall time with a libuv loop that host code may share.
 *
 * Virtual time v corresponds to wall time wall0 + (v - virt0) / speed, where
 * (wall0, virt0) are the wall and virtual times of the first advance; the
 * anchor is taken there rather than at open so that kernel set-up time does
 * not count.  advance(from, to) runs the loop once at a time (UV_RUN_ONCE)
 * with a one-shot uv_timer set to the wall time of `to`.  The loop is the
 * host's too (mos_kernel_uv_loop): when a callback of any other handle runs,
 * or the backend's own uv_async is sent (wakeup, from any thread), the wait
 * ends early and reports the virtual time matching the wall clock then.  If
 * the host is late, advance returns at once: the lag is not made up by
 * running faster, only not accumulated, as the anchor stays put.
 * uv_hrtime is read only to pace; the kernel never sees wall time.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "clock_backends.h"

struct realtime {
	uv_loop_t loop;
	uv_timer_t timer;  /* the wall time of the target */
	uv_async_t wake;   /* wakeup(), from any thread */
	mos_allocator_t alloc; /* what it was allocated with */
	double speed;      /* virtual ns per wall ns */
	bool anchored;
	bool fired;        /* the timer's callback ran in this uv_run */
	bool woken;        /* the async's callback ran and no advance has
			      reported it yet (it may have run in the
			      host's own uv_run, between kernel runs) */
	uint64_t wall0;    /* uv_hrtime() at the first advance */
	mos_time_t virt0;  /* virtual time at the first advance */
};

static void on_timer(uv_timer_t *t)
{
	((struct realtime *)t->data)->fired = true;
}

static void on_wake(uv_async_t *a)
{
	((struct realtime *)a->data)->woken = true;
}

static void free_realtime(struct realtime *rt)
{
	mos_allocator_t a = rt->alloc;

	a.free(a.ud, rt);
}

static int open_realtime(void **state, double speed, const mos_allocator_t *a)
{
	struct realtime *rt;

	if (!state || !a || !(speed > 0)) /* also refuses NaN */
		return MOS_EINVAL;
	if (!(rt = a->malloc(a->ud, sizeof(*rt))))
		return MOS_ENOMEM;
	memset(rt, 0, sizeof(*rt));
	rt->alloc = *a;
	/* uv_loop_init and uv_async_init fail only when out of descriptors
	 * or memory. */
	if (uv_loop_init(&rt->loop) != 0) {
		free_realtime(rt);
		return MOS_ENOMEM;
	}
	if (uv_async_init(&rt->loop, &rt->wake, on_wake) != 0) {
		uv_loop_close(&rt->loop);
		free_realtime(rt);
		return MOS_ENOMEM;
	}
	/* The async must not keep a host's own uv_run(UV_RUN_DEFAULT) on
	 * this loop alive; the timer is active only while advance waits. */
	uv_unref((uv_handle_t *)&rt->wake);
	uv_timer_init(&rt->loop, &rt->timer);
	rt->timer.data = rt;
	rt->wake.data = rt;
	rt->speed = speed;
	*state = rt;
	return 0;
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void close_realtime(void *state)
{
	struct realtime *rt = state;

	/* Ours and whatever the host left open: with every handle closing,
	 * the loop ends once the closes (and any request) complete. */
	uv_walk(&rt->loop, close_any, NULL);
	uv_run(&rt->loop, UV_RUN_DEFAULT);
	uv_loop_close(&rt->loop);
	free_realtime(rt);
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

/* Virtual time at wall time `wall`, within [from, to]. */
static mos_time_t virt_at(const struct realtime *rt, uint64_t wall,
			  mos_time_t from, mos_time_t to)
{
	double d;
	mos_time_t v;

	if (!rt->anchored || wall <= rt->wall0)
		return from;
	d = (double)(wall - rt->wall0) * rt->speed;
	if (d >= (double)(to - rt->virt0))
		return to;
	v = rt->virt0 + (mos_time_t)d;
	return v < from ? from : v;
}

static mos_time_t now_realtime(void *state, mos_time_t from, mos_time_t to)
{
	return virt_at(state, uv_hrtime(), from, to);
}

static int advance_realtime(void *state, mos_time_t from, mos_time_t to,
			    mos_time_t *reached)
{
	struct realtime *rt = state;
	uint64_t now = uv_hrtime(), due;

	if (!rt->anchored) {
		rt->wall0 = now;
		rt->virt0 = from;
		rt->anchored = true;
	}
	due = wall_at(rt, to);
	/* A wakeup whose callback already ran ends this wait at once. */
	if (rt->woken) {
		rt->woken = false;
		*reached = virt_at(rt, now, from, to);
		return MOS_CLOCK_WOKEN;
	}
	/* uv timers have millisecond resolution: wait in whole ms (rounded
	 * up) and re-check, so the timer alone never ends a wait before
	 * `due`.  Anything else that ran a callback ends it. */
	while ((now = uv_hrtime()) < due) {
		uint64_t ms = (due - now) / 1000000 + 1;

		uv_update_time(&rt->loop);
		rt->fired = false;
		if (uv_timer_start(&rt->timer, on_timer, ms, 0) != 0) {
			*reached = to;
			return MOS_EIO;
		}
		uv_run(&rt->loop, UV_RUN_ONCE);
		if (!rt->fired || rt->woken) {
			bool woken = rt->woken;

			/* The timer would keep a host's uv_run going. */
			uv_timer_stop(&rt->timer);
			rt->woken = false;
			*reached = virt_at(rt, uv_hrtime(), from, to);
			return woken ? MOS_CLOCK_WOKEN : 0;
		}
	}
	*reached = to;
	return 0;
}

static int wakeup_realtime(void *state)
{
	struct realtime *rt = state;

	return uv_async_send(&rt->wake) == 0 ? 0 : MOS_EIO;
}

static struct uv_loop_s *loop_realtime(void *state)
{
	return &((struct realtime *)state)->loop;
}

const mos_clock_backend_t mos__clock_realtime = {
	.name = "realtime",
	.open = open_realtime,
	.close = close_realtime,
	.advance = advance_realtime,
	.now = now_realtime,
	.wakeup = wakeup_realtime,
	.loop = loop_realtime,
};
