/*
 * src/signal/sigstate.h - what a process carries for signals.
 *
 * src/signal/ owns POSIX signal semantics (signal(7)): the numbering and
 * default actions, each process's actions, mask and pending set, what a
 * signal does when it is sent and when it is delivered, handlers run on
 * the process's coroutine, alarm, pause and the signal system calls.  It
 * sees a process only through the kernel's seams (src/kernel/seams.h)
 * and the two structs below, which the control block embeds: the hot
 * one where the yield path tests it (one 64-bit load), the cold one with
 * the rest.  It may include the kernel's seams, src/util/ and the public
 * headers (tests/check_includes.sh).
 */
#ifndef MOS_SIGNAL_SIGSTATE_H
#define MOS_SIGNAL_SIGSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "multios/signal.h"

/* In the hot lines of the control block. */
typedef struct mos_sighot {
	mos_sigset_t pending;   /* sent, not yet delivered */
	mos_sigset_t blocked;   /* the mask */
} mos_sighot_t;

/* Something to do for p's signals the next time it runs code. */
static inline bool mos__sig_ready(const mos_sighot_t *h)
{
	return (h->pending & ~h->blocked) != 0;
}

struct mos_sigtimers;

/* In the cold part. */
typedef struct mos_sigcold {
	mos_sigset_t ignored;       /* action Ignore */
	mos_sigset_t special;       /* action Catch, Stop or Terminate: see
				       acts */
	mos_sigset_t was_blocked;   /* pending ones that were blocked when
				       sent (a counter's sake) */
	mos_sigaction_t *acts;      /* [MOS_NSIG], made by the first
				       special action; NULL: none */
	struct mos_sigtimers *timers; /* made by the first alarm or the
					 first terminate it survives */
	int stop_at_admission;      /* the stop signal sent while New, or 0 */
	uint8_t depth;              /* handlers running, nested */
	mos_signal_stats_t stats;
} mos_sigcold_t;

/* A parent that ignores SIGCHLD explicitly: its children are reaped as
 * they die. */
static inline bool mos__sig_nocldwait(const mos_sigcold_t *c)
{
	return (c->ignored & MOS_SIGBIT(MOS_SIGCHLD)) != 0;
}

/* Whether a child's change of state sends its parent SIGCHLD at all: not
 * when the parent would ignore it by default and does not block it
 * (Linux discards a signal ignored at generation), so a plain exit
 * costs two loads. */
static inline bool mos__sig_chld_wanted(const mos_sighot_t *h,
					const mos_sigcold_t *c)
{
	return ((c->special | h->blocked) & MOS_SIGBIT(MOS_SIGCHLD)) != 0;
}

#endif
