/*
 * sim/hal/stack.c - the coroutine stack pool.
 *
 * Layout of a slab (one mmap, MAP_NORESERVE so untouched stacks cost no
 * memory or commit charge):
 *
 *   [guard][stack 0][guard][stack 1] ... [guard][stack n-1]
 *
 * The guard pages exist only when the pool was made with guards; each stack
 * is stack_size bytes starting at its descriptor's lo.  The first
 * MOS_STACK_CANARY_BYTES of a stack hold the canary: the fiber layer
 * (mos__fiber_create) runs coroutines on [lo + MOS_STACK_CANARY_BYTES,
 * lo + size), so a frame that writes into the canary has overflowed.
 *
 * The canary is all zero bytes.  A fresh anonymous mapping already reads as
 * zero, so handing out a stack writes nothing and faults in no page: 65 536
 * stacks cost no memory until their processes run, and reading an untouched
 * canary maps the shared zero page, which is not counted as resident.  An
 * overflow that writes only zeros into the canary goes unseen; anything
 * else is caught.  A stack whose canary was found dirty is zeroed again when
 * it goes back to the pool.
 *
 * Slabs hold up to SLAB_STACKS stacks but never much more than SLAB_BYTES,
 * and at least one stack, so huge stacks do not need huge mappings.  The
 * descriptors of a slab live in one block with the slab header, from the
 * pool's allocator.
 *
 * A kernel's pool (mos__stack_pool_heap_first, without guard pages) takes
 * its first slab from the allocator too: a short-lived kernel (one run of
 * a scenario, of which an exploration makes thousands) then maps and
 * unmaps nothing for its stacks, and a host allocator hands the next
 * kernel the same, already faulted-in, pages.  The mmap, the populating
 * and above all the munmap's TLB flush were a fifth of such a run.  Those
 * stacks do not start zeroed, so a stack's canary is cleared when it is
 * first handed out; they are not populated (mos__stack_prefault).
 */
#include "stack.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ctx_backends.h" /* MOS_HAVE_ASAN */
#include "multios/error.h"

#if defined(MOS_HAVE_ASAN)
#include <sanitizer/asan_interface.h>
/* A coroutine abandoned mid-call (a process killed while it ran) leaves
 * its frames' redzones poisoned, and ASan does not clear the shadow of
 * memory we unmap: the next mapping at that address (another kernel's
 * control blocks, say) would be reported as a stack overflow.  So the
 * shadow is cleared before the stacks go back to the system. */
#define unpoison(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define unpoison(p, n) ((void)(p), (void)(n))
#endif

#define SLAB_STACKS 64
#define SLAB_BYTES ((size_t)64 << 20)

struct mos_stack_slab {
	mos_stack_slab_t *next;
	void *block;           /* the allocator's block holding the stacks
				  (a heap slab), or NULL: map is a mapping */
	void *map;
	size_t map_len;
	size_t count;
	size_t stride;         /* from one stack to the next */
	size_t handed;         /* 1 + the highest index ever handed out */
	size_t warm;           /* stacks [0, warm) had their top pages
				  faulted in (mos__stack_prefault) */
	mos_stack_t stacks[];
};

static size_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}

static size_t guard_bytes(const mos_stack_pool_t *p)
{
	return p->guard ? page_size() : 0;
}

/*
 * The canary is touched outside AddressSanitizer: the region may still
 * carry poison from the frames of a coroutine that died on this stack.  The
 * store goes through a volatile pointer so the compiler cannot turn it into
 * a memset that ASan would intercept and check.
 */
__attribute__((no_sanitize_address)) static void canary_clear(mos_stack_t *s)
{
	volatile uint64_t *w = s->lo;

	for (size_t i = 0; i < MOS_STACK_CANARY_BYTES / sizeof(*w); i++)
		w[i] = 0;
}

/*
 * Checked at every switch, so it reads two cache lines, not the whole
 * canary: the top line (just below the usable area: the first an overflow
 * reaches, with the return address of the call that crosses the line) and
 * the bottom one (a deep overflow's last stop before the next stack).
 */
__attribute__((no_sanitize_address)) bool
mos__stack_canary_ok(const mos_stack_t *s)
{
	const uint64_t *lo = s->lo;
	const uint64_t *hi = lo + (MOS_STACK_CANARY_BYTES - 64) / sizeof(*lo);
	uint64_t any = 0;

	for (size_t i = 0; i < 64 / sizeof(*lo); i++)
		any |= lo[i] | hi[i];
	return any == 0;
}

/* Smaller sizes (0 included) are raised to MOS_STACK_MIN rather than
 * refused; MOS_EINVAL is for a NULL pool or a size too big to round. */
int mos__stack_pool_init(mos_stack_pool_t *p, size_t stack_size, bool guard,
			 const mos_allocator_t *alloc)
{
	size_t ps = page_size();

	if (!p || stack_size > SIZE_MAX / 2)
		return MOS_EINVAL;
	if (stack_size < MOS_STACK_MIN)
		stack_size = MOS_STACK_MIN;
	*p = (mos_stack_pool_t){
		.alloc = alloc,
		.stack_size = (stack_size + ps - 1) / ps * ps,
		.guard = guard,
		.pidfd = -1,
	};
	return 0;
}

void mos__stack_pool_heap_first(mos_stack_pool_t *p)
{
	p->heap_first = !p->guard;
}

/* Give a slab's stacks and its header back. */
static void slab_release(mos_stack_pool_t *p, mos_stack_slab_t *slab)
{
	unpoison(slab->map, slab->map_len);
	if (slab->block)
		p->alloc->free(p->alloc->ud, slab->block);
	else
		munmap(slab->map, slab->map_len);
	p->alloc->free(p->alloc->ud, slab);
}

void mos__stack_pool_fini(mos_stack_pool_t *p)
{
	mos_stack_slab_t *slab, *next;

	for (slab = p->slabs; slab; slab = next) {
		next = slab->next;
		slab_release(p, slab);
	}
	p->slabs = NULL;
	p->free = NULL;
	p->total = p->in_use = 0;
	/* A pool that was never set up (a kernel whose creation failed
	 * early) is all zeros: its pidfd 0 is not ours to close. */
	if (p->stack_size && p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

/* Make every guard page of a fresh mapping inaccessible. */
static int protect_guards(char *map, size_t count, size_t stride, size_t guard)
{
	for (size_t i = 0; guard && i < count; i++)
		if (mprotect(map + i * stride, guard, PROT_NONE) != 0)
			return MOS_ENOMEM;
	return 0;
}

/* Map one more slab and push its stacks on the free list, lowest first out. */
static int add_slab(mos_stack_pool_t *p)
{
	size_t guard = guard_bytes(p), stride = p->stack_size + guard;
	size_t count = SLAB_BYTES / stride;
	mos_stack_slab_t *slab;

	count = count < 1 ? 1 : count > SLAB_STACKS ? SLAB_STACKS : count;
	slab = p->alloc->malloc(p->alloc->ud,
				sizeof(*slab) + count * sizeof(slab->stacks[0]));
	if (!slab)
		return MOS_ENOMEM;
	slab->count = count;
	slab->stride = stride;
	slab->handed = 0;
	slab->warm = 0;
	slab->block = NULL;
	slab->map_len = count * stride;
	if (p->heap_first && !p->slabs) {
		/* Page-aligned inside the block; the heap's pages are not
		 * populated (a host allocator reuses warm ones). */
		size_t ps = page_size();

		if (!(slab->block = p->alloc->malloc(p->alloc->ud,
						     slab->map_len + ps))) {
			p->alloc->free(p->alloc->ud, slab);
			return MOS_ENOMEM;
		}
		slab->map = (void *)(((uintptr_t)slab->block + ps - 1) &
				     ~(uintptr_t)(ps - 1));
		slab->warm = count;
	} else {
		slab->map = mmap(NULL, slab->map_len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				 -1, 0);
	}
	if (slab->map == MAP_FAILED) {
		p->alloc->free(p->alloc->ud, slab);
		return MOS_ENOMEM;
	}
	if (protect_guards(slab->map, count, stride, guard) < 0) {
		slab_release(p, slab);
		return MOS_ENOMEM;
	}
	for (size_t i = count; i-- > 0;) {
		mos_stack_t *s = &slab->stacks[i];

		s->lo = (char *)slab->map + i * stride + guard;
		s->size = p->stack_size;
		s->slab = slab;
		s->next = p->free;
		p->free = s;
	}
	slab->next = p->slabs;
	p->slabs = slab;
	p->total += count;
	return 0;
}

int mos__stack_get(mos_stack_pool_t *p, mos_stack_t **out)
{
	mos_stack_t *s;
	size_t idx;
	int err;

	if (!p->free && (err = add_slab(p)) < 0)
		return err;
	s = p->free;
	p->free = s->next;
	s->next = NULL;
	p->in_use++;
	idx = (size_t)((char *)s->lo - (char *)s->slab->map) / s->slab->stride;
	if (idx >= s->slab->handed) {
		/* A heap slab's stack is handed out for the first time: its
		 * canary holds whatever the block held. */
		if (s->slab->block)
			canary_clear(s);
		s->slab->handed = idx + 1;
	}
	*out = s;
	return 0;
}

/*
 * A process's first run touches the top page of its stack, and only that
 * page as a rule, so the first touch of each stack is a page fault: about
 * 12 us each on the benchmark machine, most of the time it takes 65 536
 * processes to start.  The host kernel populates pages for a fraction of
 * that when asked in one call: process_madvise(MADV_POPULATE_WRITE) over
 * the top pages of the slab's stacks handed out so far (recent kernels
 * accept that advice there: 1.1 us a stack on 6.18), else madvise per
 * stack (Linux 5.14 and later; 2.4 us), else nothing and the faults happen
 * as before.  A kernel that refuses the batch is not asked again.
 * Stacks handed out later are batched at the first run of one of them.
 * Only stacks handed out are populated: a short-lived kernel with a few
 * dozen processes (a scenario run) paid for populating, and then
 * unmapping, the 64 top pages of a whole slab, a quarter of its run.
 * Stacks are handed out lowest first, so the populated ones are a prefix.
 */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

static bool populate_batch(mos_stack_pool_t *p, const struct iovec *iov,
			   size_t n, size_t bytes)
{
#if defined(SYS_pidfd_open) && defined(SYS_process_madvise)
	/* Valgrind does not know pidfd_open and says so on every run. */
	if (p->pidfd == -1 && UNDER_VALGRIND())
		p->pidfd = -2;
	if (p->pidfd == -1) {
		long fd = syscall(SYS_pidfd_open, (long)getpid(), 0L);
		p->pidfd = fd >= 0 ? (int)fd : -2;
	}
	if (p->pidfd < 0)
		return false;
	if (syscall(SYS_process_madvise, (long)p->pidfd, iov, (long)n,
		    (long)MADV_POPULATE_WRITE, 0L) == (long)bytes)
		return true;
	close(p->pidfd);
	p->pidfd = -2;
	return false;
#else
	(void)p;
	(void)iov;
	(void)n;
	(void)bytes;
	return false;
#endif
}

void mos__stack_prefault(mos_stack_pool_t *p, mos_stack_t *s)
{
	mos_stack_slab_t *slab = s->slab;
	struct iovec iov[SLAB_STACKS];
	size_t ps, first = slab->warm, n = slab->handed - slab->warm;

	if ((size_t)((char *)s->lo - (char *)slab->map) / slab->stride < first)
		return;
	slab->warm = slab->handed;
	ps = page_size();
	for (size_t i = 0; i < n; i++) {
		const mos_stack_t *t = &slab->stacks[first + i];

		iov[i].iov_base = (char *)t->lo + t->size - ps;
		iov[i].iov_len = ps;
	}
	if (populate_batch(p, iov, n, n * ps))
		return;
	for (size_t i = 0; i < n; i++)
		if (madvise(iov[i].iov_base, ps, MADV_POPULATE_WRITE) != 0)
			return; /* not supported here: leave it to the faults */
}

void mos__stack_put(mos_stack_pool_t *p, mos_stack_t *s)
{
	if (!mos__stack_canary_ok(s))
		canary_clear(s);
	s->next = p->free;
	p->free = s;
	p->in_use--;
}

void mos__stack_pool_trim(mos_stack_pool_t *p, const mos_stack_slab_t *keep)
{
	while (p->slabs && p->slabs != keep) {
		mos_stack_slab_t *slab = p->slabs;
		size_t found = 0;

		for (mos_stack_t **s = &p->free; *s;) {
			if ((*s)->slab == slab) {
				*s = (*s)->next;
				found++;
			} else {
				s = &(*s)->next;
			}
		}
		if (found != slab->count) {
			/* A caller trimmed a slab still in use: a kernel bug. */
			fputs("libmultios: stack slab trimmed while in use\n",
			      stderr);
			abort();
		}
		p->slabs = slab->next;
		p->total -= slab->count;
		slab_release(p, slab);
	}
}
