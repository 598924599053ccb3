/*
 * src/resource/mem.h - the simulated memory manager (mem.c): heap
 * allocations charged to a process, its groups and the machine, and the
 * declared stack depth.
 *
 * A process's allocations live in a table of slots that grows by doubling
 * (amortised: an allocation allocates only when the table is full) and
 * reuses freed slots last-freed first.  A handle is the slot's index in
 * its low 24 bits and a kernel-wide serial number in its high 40, so a
 * stale handle (its slot freed and reused) or another process's names no
 * live slot; the serial never wraps (mem.c refuses the 2^40th).
 */
#ifndef MOS_RES_MEM_H
#define MOS_RES_MEM_H

#include <stdint.h>

/* One allocation. */
typedef struct mos_mem_slot {
	uint64_t handle;            /* 0: free */
	uint64_t size;              /* bytes */
	void *ptr;                  /* its host memory (memory_backing) */
	uint32_t next_free;         /* index + 1 of the next free slot */
} mos_mem_slot_t;

/* Per process. */
typedef struct mos_res_mem {
	uint64_t heap, heap_peak;
	uint64_t stack, stack_peak;
	uint64_t peak;              /* of heap + stack */
	mos_mem_slot_t *slots;      /* from the kernel's allocator */
	uint32_t nslots;            /* slots ever used (0 .. nslots - 1) */
	uint32_t cap;
	uint32_t free_head;         /* index + 1 of a free slot, 0: none */
	uint32_t live;              /* allocations not freed */
} mos_res_mem_t;

/* Per kernel. */
typedef struct mos_res_mem_kernel {
	uint64_t used, peak;        /* the machine's, bytes */
	uint64_t serial;            /* of the last handle given (40 bits) */
} mos_res_mem_kernel_t;

#endif
