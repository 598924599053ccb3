/*
 * multios/uv.h - share the realtime clock's libuv loop (optional).
 *
 * The only public header that includes <uv.h>; multios.h does not include
 * it.  A program that uses it links libuv too and, in strict ISO C, asks
 * for POSIX as <uv.h> needs:
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L app.c \
 *      $(pkg-config --cflags --libs multios libuv)
 *
 * With clock.backend "realtime", the kernel waits for its next event on a
 * libuv loop of its own, one UV_RUN_ONCE at a time, with a uv_timer set to
 * the wall time of that event.  Host code may add its handles to that loop
 * (sockets, pipes, timers, signals): their callbacks run inside
 * mos_kernel_run / mos_kernel_step, on the host stack, between two kernel
 * steps, while the kernel waits.
 *
 * A callback may call the public API.  The first call of a wait that
 * changes the kernel (mos_process_create, mos_process_terminate,
 * mos_process_suspend, mos_process_resume) catches the kernel's clock up
 * to the virtual time matching the wall clock (until then mos_kernel_now
 * gives the time the wait began), counting the time in between as the CPU
 * spent it: idle, a context switch, or the running process's burst.  The
 * call acts at that instant and the wait ends there; later calls from the
 * callbacks of that wait act at the same instant.  So a process created
 * while the kernel idles towards a far event is admitted at once, and a
 * more urgent one preempts the running burst then.  The catch-up is the
 * clock's, not the call's: a call that fails still changes no process,
 * timer or trace event.  A callback that changes nothing in the kernel
 * costs it nothing: the wait goes on, and the simulated results (the
 * trace, every virtual time) are those of the virtual clock.
 *
 * A callback must not call mos_kernel_run or mos_kernel_step (they refuse
 * with MOS_EINVAL) nor mos_kernel_destroy.  Simulated programs never run
 * on the loop; a control call from inside one is refused with MOS_EINVAL
 * (process.h).  Close your handles before mos_kernel_destroy: any still
 * open then are closed by it without a close callback, so their memory
 * must stay valid until it returns.
 */
#ifndef MULTIOS_UV_H
#define MULTIOS_UV_H

#include <uv.h>

#include "types.h"

/*
 * The libuv loop the kernel's realtime clock waits on, to add handles to.
 * It lives as long as the kernel.  The host may also run it itself between
 * runs (uv_run(loop, UV_RUN_NOWAIT), say); host calls then act at
 * mos_kernel_now.  The kernel's own handles on it are unreferenced
 * (uv_unref) or inactive between waits, so they do not keep a host's
 * uv_run going.  Errors: NULL when k is NULL or its clock backend is not
 * "realtime".
 */
MOS_API uv_loop_t *mos_kernel_uv_loop(mos_kernel_t *k);

/*
 * End the kernel's current realtime wait early, or its next one if it is
 * not waiting: the only libmultios call that is safe from any thread while
 * the kernel exists (a uv_async_send).  The clock stops at the virtual
 * time matching the wall clock then; mos_kernel_step returns there,
 * mos_kernel_run goes on to its `until`.  The schedule is the same as
 * without it, but for cfs, which rounds the two pieces of a burst's
 * charge split there separately.  Another thread that wants the kernel
 * to do something sends its own uv_async on the loop and makes the call
 * from its callback.
 * Errors: MOS_EINVAL (k NULL, or its clock backend is not "realtime"),
 * MOS_EIO (libuv refused).
 */
MOS_API int mos_kernel_wakeup(mos_kernel_t *k);

#endif
