/*
 * src/resource/dev.c - the simulated block device and I/O accounting.
 */
#include "res_local.h"

static void dev_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->read_bytes = rp->io.read_bytes;
	u->write_bytes = rp->io.write_bytes;
	u->read_ops = rp->io.read_ops;
	u->write_ops = rp->io.write_ops;
	u->io_wait = rp->io.wait;
}

const mos_res_module_t mos__res_dev_module = {
	.name = "device",
	.fill = dev_fill,
};
