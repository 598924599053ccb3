/*
 * src/resource/mem.c - the simulated memory manager: heap allocations
 * charged to a process, its groups (memory.max) and the machine
 * (resources.memory_size), and the declared stack depth
 * (max_stack_size).
 */
#include "res_local.h"

static void mem_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->heap_current = rp->mem.heap;
	u->heap_peak = rp->mem.heap_peak;
	u->stack_current = rp->mem.stack;
	u->stack_peak = rp->mem.stack_peak;
	u->memory_current = rp->mem.heap + rp->mem.stack;
	u->memory_peak = rp->mem.peak;
}

const mos_res_module_t mos__res_mem_module = {
	.name = "memory",
	.fill = mem_fill,
};
