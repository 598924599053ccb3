/*
 * src/resource/mem.h - the simulated memory manager (mem.c): heap
 * allocations charged to a process, its groups and the machine, and the
 * declared stack depth.
 */
#ifndef MOS_RES_MEM_H
#define MOS_RES_MEM_H

#include <stdint.h>

/* Per process. */
typedef struct mos_res_mem {
	uint64_t heap, heap_peak;
	uint64_t stack, stack_peak;
	uint64_t peak;              /* of heap + stack */
} mos_res_mem_t;

/* Per kernel. */
typedef struct mos_res_mem_kernel {
	uint64_t used, peak;        /* the machine's, bytes */
} mos_res_mem_kernel_t;

#endif
