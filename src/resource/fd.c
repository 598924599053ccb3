/*
 * src/resource/fd.c - per-process descriptor tables over the namespace.
 */
#include "res_local.h"

static void fd_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->fds_open = rp->fd.open;
	u->fds_peak = rp->fd.peak;
}

const mos_res_module_t mos__res_fd_module = {
	.name = "descriptors",
	.fill = fd_fill,
};
