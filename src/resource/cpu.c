/*
 * src/resource/cpu.c - CPU limits and bandwidth.
 */
#include "res_local.h"

void mos__res_cpu_limits_changed(mos_kernel_t *k, mos_proc_t *p)
{
	(void)k;
	(void)p;
}

static void cpu_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->throttled_time = rp->cpu.throttled_time;
}

const mos_res_module_t mos__res_cpu_module = {
	.name = "cpu",
	.fill = cpu_fill,
};
