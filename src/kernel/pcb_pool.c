/*
 * src/kernel/pcb_pool.c - the pool of process control blocks.
 *
 * Control blocks come from slabs, each one mmap with MAP_POPULATE: the
 * host kernel maps and zeroes a slab's pages in one call instead of
 * taking a page fault per page on first touch, which made creating
 * 65 536 processes cost a fault every seven blocks.  The first slab holds
 * PCB_FIRST blocks and each next one twice the last, up to PCB_SLAB: a
 * kernel that runs a few dozen processes (a scenario run, of which an
 * exploration makes thousands) pays for a few dozen blocks, not a whole
 * slab of 256.  The first slab, made with init, comes from the kernel's
 * allocator (zeroed) instead: a short-lived kernel then makes no mmap and
 * no munmap for its blocks, and the munmap's TLB flush was most of what
 * creating and destroying such a kernel cost.  A slab's header sits at
 * the start of its own block or mapping, so adding a slab later asks the
 * kernel's allocator for nothing.
 *
 * Blocks are carved from the newest slab on demand (a bump index), so a
 * new slab costs one system call and no walk over its blocks; freed blocks
 * go to a LIFO free list (warm ones first), served before any
 * carving, so creating, ending and reaping processes allocates nothing in
 * steady state.  Only the newest slab can have blocks not carved yet.
 * Slabs are unmapped when the kernel is destroyed, or at once when the
 * create that added one fails (mos__pcb_pool_trim).
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel_int.h"

#define PCB_FIRST 16
#define PCB_SLAB 256

/* At the start of its mapping; the blocks follow at PCB_HEAD, which
 * keeps their cache-line alignment. */
struct mos_pcb_slab {
	mos_pcb_slab_t *next;
	void *base;                     /* what the allocator gave; NULL: the
					   slab is a mapping */
	size_t len;                     /* of the mapping, header included */
	uint32_t nblocks;
	uint32_t carved;                /* blocks [0, carved) were handed out */
};

#define PCB_HEAD 64
_Static_assert(sizeof(mos_pcb_slab_t) <= PCB_HEAD, "slab header too big");
_Static_assert(PCB_HEAD % _Alignof(mos_proc_t) == 0, "blocks misaligned");

static mos_proc_t *slab_blocks(mos_pcb_slab_t *s)
{
	return (mos_proc_t *)((char *)s + PCB_HEAD);
}

void mos__pcb_pool_init(mos_pcb_pool_t *pool, const mos_allocator_t *alloc)
{
	memset(pool, 0, sizeof(*pool));
	mos_list_init(&pool->free);
	pool->alloc = alloc;
}

/* The first slab: PCB_FIRST blocks in one zeroed block of the kernel's
 * allocator, its start rounded up to a cache line. */
static int add_first_slab(mos_pcb_pool_t *pool)
{
	void *base = mos__calloc(pool->alloc, 1,
				 PCB_HEAD + PCB_FIRST * sizeof(mos_proc_t) + 63);
	mos_pcb_slab_t *slab;

	if (!base)
		return MOS_ENOMEM;
	slab = (mos_pcb_slab_t *)(((uintptr_t)base + 63) & ~(uintptr_t)63);
	*slab = (mos_pcb_slab_t){NULL, base, 0, PCB_FIRST, 0};
	pool->slabs = slab;
	return 0;
}

static void slab_free(mos_pcb_pool_t *pool, mos_pcb_slab_t *s)
{
	if (s->base)
		mos__free(pool->alloc, s->base);
	else
		munmap(s, s->len);
}

static int add_slab(mos_pcb_pool_t *pool)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t want, len;
	mos_pcb_slab_t *slab;

	if (!pool->slabs)
		return add_first_slab(pool);
	want = pool->slabs->nblocks * 2 > PCB_SLAB
		       ? PCB_SLAB : pool->slabs->nblocks * 2;
	len = PCB_HEAD + want * sizeof(mos_proc_t);
	len = (len + page - 1) / page * page;
	slab = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (slab == MAP_FAILED)
		return MOS_ENOMEM;
	/* The rest of the last page holds what blocks fit in it too. */
	*slab = (mos_pcb_slab_t){pool->slabs, NULL, len,
				 (uint32_t)((len - PCB_HEAD) / sizeof(mos_proc_t)),
				 0};
	pool->slabs = slab;
	return 0;
}

mos_proc_t *mos__pcb_get(mos_pcb_pool_t *pool)
{
	mos_pcb_slab_t *s = pool->slabs;
	mos_proc_t *p;

	if (!mos_list_empty(&pool->free)) {
		p = mos_container_of(mos_list_pop_front(&pool->free), mos_proc_t,
				     cold.hist);
	} else {
		if (!s || s->carved == s->nblocks) {
			if (add_slab(pool) < 0)
				return NULL;
			s = pool->slabs;
		}
		p = &slab_blocks(s)[s->carved++];
	}
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
		slab_free(pool, s);
	}
}

void mos__pcb_pool_trim(mos_pcb_pool_t *pool, const mos_pcb_slab_t *keep)
{
	while (pool->slabs && pool->slabs != keep) {
		mos_pcb_slab_t *s = pool->slabs;
		mos_proc_t *blocks = slab_blocks(s);

		/* Every carved block is on the free list: unlink each. */
		for (uint32_t i = 0; i < s->carved; i++)
			mos_list_remove(&blocks[i].cold.hist);
		pool->slabs = s->next;
		slab_free(pool, s);
	}
}
