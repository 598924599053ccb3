/*
 * src/kernel/uv.c - the realtime clock's libuv loop, shared with the host
 * (include/multios/uv.h).  The only library file outside sim/hal/ that
 * sees libuv; the kernel itself knows the loop only as a backend's.
 */
#include "multios/uv.h"
#include "kernel_int.h"

uv_loop_t *mos_kernel_uv_loop(mos_kernel_t *k)
{
	return k ? k->clock->loop(k->clock_state) : NULL;
}

int mos_kernel_wakeup(mos_kernel_t *k)
{
	return k ? k->clock->wakeup(k->clock_state) : MOS_EINVAL;
}
