/*
 * src/signal/signal_int.h - what the kernel calls in the signals
 * subsystem: at a process's creation, death and release, at its
 * admission, and on its coroutine when signals are ready for it.
 */
#ifndef MOS_SIGNAL_INT_H
#define MOS_SIGNAL_INT_H

#include <stdbool.h>

#include "sigstate.h"
#include "multios/types.h"

/* A new process's signal state: parent's mask and ignored set (as after
 * exec: handlers go back to Default), nothing pending.  parent NULL: all
 * default. */
void mos__sig_init(mos_sighot_t *h, mos_sigcold_t *c,
		   const mos_sighot_t *parent_h, const mos_sigcold_t *parent_c);

/* p died: its alarm is cancelled, nothing stays pending. */
void mos__sig_exit(mos_kernel_t *k, mos_proc_t *p);

/* p is reaped, or its control block freed: what the subsystem allocated
 * goes (a second call finds nothing). */
void mos__sig_release(mos_kernel_t *k, mos_proc_t *p);

/* p is being admitted: the stop signal sent before, which must make it
 * Suspended at once; 0 for none. */
int mos__sig_stop_at_admission(mos_proc_t *p);

/* The host sends sig to p (checked: live, not init). */
void mos__sig_host_send(mos_kernel_t *k, mos_proc_t *p, int sig);
/* The kernel forces the fault sig on p (live), as Linux's
 * force_sig_fault: when p blocks or ignores it, its action goes back to
 * the default and it is unblocked, so a fault is never lost; a handler
 * of an unblocked one still runs. */
void mos__sig_force(mos_kernel_t *k, mos_proc_t *p, int sig);

/* child died, stopped or continued: SIGCHLD for parent (when
 * mos__sig_chld_wanted says it is generated at all). */
void mos__sig_child(mos_kernel_t *k, mos_proc_t *parent, mos_proc_t *child);

/*
 * Terminate t as the MultiOS documentation says: force sends SIGKILL;
 * otherwise SIGTERM, and SIGKILL grace_period_ms later if t still lives
 * (a second terminate while one is pending does not restart the grace
 * period).  sender NULL: the host.  t may be the sender (then it may not
 * return).  Errors: MOS_ENOMEM (t would survive SIGTERM and its first
 * grace timer cannot be made: nothing was sent).
 */
int mos__sig_terminate(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *t,
		       bool force);

/* On p's coroutine: act on every pending unblocked signal, lowest first,
 * running handlers.  May not return (a fatal signal). */
void mos__sig_deliver(mos_proc_t *self);

#endif
