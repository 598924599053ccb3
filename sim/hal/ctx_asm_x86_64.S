/*
 * sim/hal/ctx_asm_x86_64.S - the context switch of the asm backend
 * (x86-64, System V ABI).  See ctx_asm.c for the C side.
 *
 * mos__asm_swap(void **from_sp, void *to_sp) saves the callee-saved
 * registers, MXCSR and the x87 control word (the ABI makes them
 * callee-saved too) on the current stack, stores the stack pointer in
 * *from_sp, loads to_sp and restores the same set from there.  MXCSR and
 * the control word are loaded only when they differ from the values in
 * force: they almost never do, and ldmxcsr and fldcw cost more than the
 * rest of the switch together (about 9 ns a switch here).  It leaves
 * with an indirect jmp rather than ret: after a stack switch the return
 * address never matches the CPU's return-stack buffer, so ret would be
 * mispredicted on every switch (about 12 ns), while the indirect-branch
 * predictor learns the pattern.  No system call, no signal mask.
 *
 * mos__asm_swap_ret is the same switch leaving with ret, for a switch
 * between two contexts suspended at one call site (a process yielding
 * straight to another that yielded so too): there the address the
 * return-stack buffer holds is the right one, and a jmp would leave it
 * one entry deep, so that the caller's own ret is mispredicted instead
 * (about 10 ns a yield).
 *
 * The frame, from the saved stack pointer up:
 *   +0  MXCSR (4 bytes), x87 control word (2 bytes), padding
 *   +8  r15  +16 r14  +24 r13  +32 r12  +40 rbx  +48 rbp  +56 return address
 */
#if defined(__x86_64__) && defined(__linux__)
	.text
/* One body, two ways out: \ret 0 leaves with the indirect jmp, 1 with
 * ret (see above).  Local labels 1-4 are the rare MXCSR / control-word
 * reloads. */
.macro SWAP name, ret
	.globl	\name
	.hidden	\name
	.type	\name, @function
	.p2align 4
\name:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movl	(%rsp), %eax
	movzwl	4(%rsp), %edx
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	cmpl	(%rsp), %eax
	jne	1f
2:	cmpw	4(%rsp), %dx
	jne	3f
4:	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
.if \ret
	ret
.else
	popq	%rax
	jmp	*%rax
.endif
1:	ldmxcsr	(%rsp)
	jmp	2b
3:	fldcw	4(%rsp)
	jmp	4b
	.cfi_endproc
	.size	\name, .-\name
.endm

	SWAP mos__asm_swap, 0
	SWAP mos__asm_swap_ret, 1

/*
 * First instructions of a new context: the frame built by make() put the
 * entry function in r13 and its argument in r12.  The stack is 16-byte
 * aligned here, as a call requires.  entry never returns.
 */
	.globl	mos__asm_start
	.hidden	mos__asm_start
	.type	mos__asm_start, @function
	.p2align 4
mos__asm_start:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.cfi_endproc
	.size	mos__asm_start, .-mos__asm_start

#endif

	.section .note.GNU-stack,"",@progbits
