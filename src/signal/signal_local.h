/*
 * src/signal/signal_local.h - shared by the files of src/signal/ only.
 */
#ifndef MOS_SIGNAL_LOCAL_H
#define MOS_SIGNAL_LOCAL_H

#include "kernel/seams.h"
#include "multios/kernel.h"
#include "signal_int.h"
#include "util/alloc.h"

/* What a signal does to a process, its actions and the defaults
 * considered (SIGCONT also continues a stopped process, whatever this
 * says). */
typedef enum mos_sig_effect {
	MOS_SIGFX_TERM,
	MOS_SIGFX_CORE,
	MOS_SIGFX_STOP,
	MOS_SIGFX_CONT,  /* nothing more than continuing */
	MOS_SIGFX_IGN,
	MOS_SIGFX_CATCH
} mos_sig_effect_t;

#define MOS_SIG_ALL ((mos_sigset_t)0xfffffffe) /* 1 .. 31 */
#define MOS_SIG_STOPS (MOS_SIGBIT(MOS_SIGSTOP) | MOS_SIGBIT(MOS_SIGTSTP) | \
		       MOS_SIGBIT(MOS_SIGTTIN) | MOS_SIGBIT(MOS_SIGTTOU))
#define MOS_SIG_UNBLOCKABLE (MOS_SIGBIT(MOS_SIGKILL) | MOS_SIGBIT(MOS_SIGSTOP))

static inline bool mos__sig_valid(int sig) { return sig > 0 && sig < MOS_NSIG; }

mos_sig_effect_t mos__sig_effect(const mos_sigcold_t *c, int sig);

/* Send sig to t from sender (NULL: the host or the kernel), as the
 * kernel's rules say; the caller has checked permission. */
void mos__sig_send(mos_kernel_t *k, mos_proc_t *sender, mos_proc_t *t,
		   int sig);

#endif
