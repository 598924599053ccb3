/*
 * sim/hal/ctx_backends.h - the context backends compiled into the library.
 *
 * Internal to sim/hal: ctx.c builds its lookup table from MOS_CTX_BACKENDS,
 * best backend first, so "auto" picks the first entry.  To add a backend,
 * write sim/hal/ctx_<name>.c exporting `const mos_ctx_backend_t
 * mos__ctx_<name>` and list it here (guarded by the architectures it
 * supports).  A backend implements make and swap only; stacks, the
 * trampoline, sanitizer and Valgrind hooks stay in ctx.c.
 */
#ifndef MOS_HAL_CTX_BACKENDS_H
#define MOS_HAL_CTX_BACKENDS_H

#include "ctx.h"

/* MOS_HAVE_ASAN: this file is being built with AddressSanitizer (gcc or
 * clang spelling).  Backends may need to avoid intercepted functions. */
#if defined(__SANITIZE_ADDRESS__)
#define MOS_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOS_HAVE_ASAN 1
#endif
#endif

/* X(name) for each compiled-in backend, best first: the hand-written
 * switch where there is one (x86-64 Linux), ucontext everywhere. */
#if defined(__x86_64__) && defined(__linux__)
#define MOS_HAVE_CTX_ASM 1
#define MOS_CTX_BACKENDS(X) X(asm) X(ucontext)
#else
#define MOS_CTX_BACKENDS(X) X(ucontext)
#endif

#define MOS__CTX_DECLARE(name) extern const mos_ctx_backend_t mos__ctx_##name;
MOS_CTX_BACKENDS(MOS__CTX_DECLARE)
#undef MOS__CTX_DECLARE

#endif
