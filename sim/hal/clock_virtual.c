/*
 * sim/hal/clock_virtual.c - the "virtual" clock backend and the backend table.
 *
 * Virtual time needs no host clock at all: a jump costs nothing, so a run
 * goes as fast as the host can execute it and is independent of host speed.
 * The speed factor is checked for the same domain as the other backends but
 * otherwise ignored.  It has no loop: no host callback can run during a
 * jump, so a jump always reaches its target.
 */
#include <stddef.h>
#include <string.h>

#include "clock_backends.h"

static int open_virtual(void **state, double speed, const mos_allocator_t *a)
{
	(void)a; /* allocates nothing */
	if (!state || !(speed > 0)) /* also refuses NaN */
		return MOS_EINVAL;
	*state = NULL;
	return 0;
}

static void close_virtual(void *state)
{
	(void)state;
}

static int advance_virtual(void *state, mos_time_t from, mos_time_t to,
			   mos_time_t *reached)
{
	(void)state;
	(void)from;
	*reached = to;
	return 0;
}

/* Never asked: nothing runs during a virtual jump. */
static mos_time_t now_virtual(void *state, mos_time_t from, mos_time_t to)
{
	(void)state;
	(void)from;
	return to;
}

static int wakeup_virtual(void *state)
{
	(void)state;
	return MOS_EINVAL;
}

static struct uv_loop_s *loop_virtual(void *state)
{
	(void)state;
	return NULL;
}

const mos_clock_backend_t mos__clock_virtual = {
	.name = "virtual",
	.open = open_virtual,
	.close = close_virtual,
	.advance = advance_virtual,
	.now = now_virtual,
	.wakeup = wakeup_virtual,
	.loop = loop_virtual,
};

static const mos_clock_backend_t *const backends[] = {
	&mos__clock_virtual,
	&mos__clock_realtime,
};

static const char *const names[] = {"virtual", "realtime", NULL};

const char *const *mos__clock_backend_names(void)
{
	return names;
}

const mos_clock_backend_t *mos__clock_backend_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}
