/*
 * sim/hal/ctx_asm.c - the fast context backend: a hand-written switch for
 * x86-64 (ctx_asm_x86_64.S).  Other architectures use ucontext.
 *
 * A context is just a saved stack pointer.  make() builds, at the top of
 * the new stack, the frame the switch restores from: zeroed callee-saved
 * registers except r13 = entry and r12 = arg, default MXCSR (0x1f80: all
 * exceptions masked, round to nearest) and x87 control word (0x037f), and
 * mos__asm_start as the address to jump to.
 */
#include <stdint.h>
#include <string.h>

#include "ctx_backends.h"
#include "multios/error.h"

#if defined(MOS_HAVE_CTX_ASM)

void mos__asm_swap(void **from_sp, void *to_sp);
void mos__asm_swap_ret(void **from_sp, void *to_sp);
void mos__asm_start(void);

struct actx {
	void *sp;
};

enum { FRAME_WORDS = 8 }; /* control words, 6 registers, return address */

static int make(void *ctx, void *stack, size_t size, void (*entry)(void *),
		void *arg)
{
	struct actx *c = ctx;
	/* After the switch pops the frame, the stack pointer must be 16-byte
	 * aligned for the call in mos__asm_start. */
	uintptr_t top = ((uintptr_t)stack + size - 16) & ~(uintptr_t)15;
	uint64_t *f = (uint64_t *)(top - FRAME_WORDS * sizeof(uint64_t));
	uint32_t mxcsr = 0x1f80;
	uint16_t fcw = 0x037f;

	if (size < 256)
		return MOS_EINVAL;
	memset(f, 0, FRAME_WORDS * sizeof(uint64_t));
	memcpy((char *)f, &mxcsr, sizeof(mxcsr));
	memcpy((char *)f + 4, &fcw, sizeof(fcw));
	f[3] = (uint64_t)(uintptr_t)entry;       /* r13 */
	f[4] = (uint64_t)(uintptr_t)arg;         /* r12 */
	f[7] = (uint64_t)(uintptr_t)mos__asm_start;
	c->sp = f;
	return 0;
}

static void swap(void *from, void *to)
{
	mos__asm_swap(&((struct actx *)from)->sp, ((struct actx *)to)->sp);
}

static void swap_same_site(void *from, void *to)
{
	mos__asm_swap_ret(&((struct actx *)from)->sp, ((struct actx *)to)->sp);
}

const mos_ctx_backend_t mos__ctx_asm = {
	.name = "asm",
	.ctx_size = sizeof(struct actx),
	.ctx_align = _Alignof(struct actx),
	.make = make,
	.swap = swap,
	.swap_same_site = swap_same_site,
};

#endif
