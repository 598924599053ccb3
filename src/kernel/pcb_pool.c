/*
 * src/kernel/pcb_pool.c - the pool of process control blocks.
 *
 * Control blocks come from slabs of PCB_SLAB blocks, each one mmap with
 * MAP_POPULATE: the host kernel maps and zeroes a slab's pages in one call
 * instead of taking a page fault per page on first touch, which made
 * creating 65 536 processes cost a fault every seven blocks.  Freed blocks
 * go to a LIFO free list (warm ones first) and are reused, so creating,
 * ending and reaping processes allocates nothing in steady state.  Slabs
 * are unmapped when the kernel is destroyed, or at once when the create
 * that added one fails (mos__pcb_pool_trim).  The slab headers come from
 * the kernel's allocator; the blocks are mmap'd pages, populated.
 */
#include <string.h>
#include <sys/mman.h>

#include "kernel_int.h"

#define PCB_SLAB 256

struct mos_pcb_slab {
	mos_pcb_slab_t *next;
	void *map;
	size_t len;
};

void mos__pcb_pool_init(mos_pcb_pool_t *pool, const mos_allocator_t *alloc)
{
	memset(pool, 0, sizeof(*pool));
	mos_list_init(&pool->free);
	pool->alloc = alloc;
}

static int add_slab(mos_pcb_pool_t *pool)
{
	size_t len = PCB_SLAB * sizeof(mos_proc_t);
	mos_pcb_slab_t *slab = mos__malloc(pool->alloc, sizeof(*slab));
	mos_proc_t *blocks;

	if (!slab)
		return MOS_ENOMEM;
	blocks = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (blocks == MAP_FAILED) {
		mos__free(pool->alloc, slab);
		return MOS_ENOMEM;
	}
	*slab = (mos_pcb_slab_t){pool->slabs, blocks, len};
	pool->slabs = slab;
	/* Pushed in reverse so the lowest address is handed out first. */
	for (size_t i = PCB_SLAB; i-- > 0;)
		mos_list_push_front(&pool->free, &blocks[i].cold.hist);
	return 0;
}

mos_proc_t *mos__pcb_get(mos_pcb_pool_t *pool)
{
	mos_list_t *n;
	mos_proc_t *p;

	if (mos_list_empty(&pool->free) && add_slab(pool) < 0)
		return NULL;
	n = mos_list_pop_front(&pool->free);
	p = mos_container_of(n, mos_proc_t, cold.hist);
	memset(p, 0, MOS_PCB_ZEROED);
	return p;
}

void mos__pcb_put(mos_pcb_pool_t *pool, mos_proc_t *p)
{
	mos_list_push_front(&pool->free, &p->cold.hist);
}

void mos__pcb_pool_fini(mos_pcb_pool_t *pool)
{
	while (pool->slabs) {
		mos_pcb_slab_t *s = pool->slabs;
		pool->slabs = s->next;
		munmap(s->map, s->len);
		mos__free(pool->alloc, s);
	}
}

void mos__pcb_pool_trim(mos_pcb_pool_t *pool, const mos_pcb_slab_t *keep)
{
	while (pool->slabs && pool->slabs != keep) {
		mos_pcb_slab_t *s = pool->slabs;
		mos_proc_t *blocks = s->map;

		/* Every block is on the free list: unlink each in place. */
		for (size_t i = 0; i < PCB_SLAB; i++)
			mos_list_remove(&blocks[i].cold.hist);
		pool->slabs = s->next;
		munmap(s->map, s->len);
		mos__free(pool->alloc, s);
	}
}
