/*
 * src/ipc/ipc_box.h - what the files of src/ipc/ share: the kernel-wide
 * state, a process's IPC state, its mailbox ring.  Private to src/ipc/.
 *
 * Waits: a process blocks in recv on its own recv_wait, and in a send
 * (room) or a call (its reply) on its own `wait`; whoever ends the wait
 * (a recv freeing a slot, a reply, a death) settles it first (moves the
 * message, copies the reply, unlinks the record), then wakes it, and only
 * when it still waits: a wait that already ended (a timeout, a signal, at
 * the same instant, not run yet) is left to its owner, who unlinks what
 * is still linked.  So no message is both delivered and reported failed.
 */
#ifndef MOS_IPC_BOX_H
#define MOS_IPC_BOX_H

#include "ipc_int.h"

/* mos_ipc_proc.phase: where its call is. */
enum { CALL_NONE, CALL_SENDING, CALL_AWAITING };

typedef struct mos_ipc_kernel {
	mos_ipc_stats_t st;
	uint64_t next_id;          /* the last request id given */
	uint32_t cap;              /* ipc.mailbox_capacity */
	mos_proc_t *dying;         /* inside its exit hook: not a target */
} mos_ipc_kernel_t;

typedef struct mos_ipc_proc {
	mos_proc_t *p;
	mos_wchan_t recv_wait;     /* its recv */
	mos_wchan_t wait;          /* its blocked send, its call's reply */

	/* Its mailbox: NULL until first used. */
	mos_msg_t *box;
	uint32_t head, len;
	mos_list_t senders;        /* blocked on it: mos_ipc_proc.send_node */
	mos_list_t callers;        /* replies it owes: mos_ipc_pend_t.node */

	/* Its own blocked send (a call's request too). */
	mos_list_t send_node;      /* in the target's senders */
	const mos_msg_t *send_msg;

	/* Its own call. */
	mos_ipc_pend_t call;
	mos_msg_t *reply;          /* where the reply goes */
	int call_result;           /* 1 while unsettled */
	uint8_t phase;             /* CALL_* */

	mos_time_t recv_cost;      /* burned on each message received */
	mos_time_t reply_cost;     /* burned before each reply it sends */
} mos_ipc_proc_t;

/* The kernel's IPC state, made on first use: NULL when out of memory. */
mos_ipc_kernel_t *mos__ipc_kernel(mos_kernel_t *k);
/* p's IPC state (with a mailbox when box), made on first use: NULL when
 * out of memory.  p must be live, not dying.  Inline for the made case:
 * every send and recv asks (bench/ipc, docs/BENCHMARKS.md). */
mos_ipc_proc_t *mos__ipc_proc_make(mos_kernel_t *k, mos_proc_t *p, bool box);
static inline mos_ipc_proc_t *mos__ipc_proc(mos_kernel_t *k, mos_proc_t *p,
					    bool box)
{
	mos_ipc_proc_t *me = *mos__proc_subsys(p, MOS_SUBSYS_IPC);

	if (me && (me->box || !box))
		return me;
	return mos__ipc_proc_make(k, p, box);
}
/* The live, not dying, process pid that actor (NULL: host) may see. */
mos_proc_t *mos__ipc_target(mos_kernel_t *k, const mos_proc_t *actor,
			    mos_pid_t pid);
/* Put a copy of m in to's mailbox (room checked) stamped with the
 * sender's identity (from NULL: the kernel), waking its recv. */
void mos__ipc_enqueue(mos_kernel_t *k, mos_ipc_kernel_t *ik,
		      mos_ipc_proc_t *to, const mos_msg_t *m,
		      mos_proc_t *from);
/* Copy header and the len bytes of payload that count. */
void mos__ipc_copy(mos_msg_t *dst, const mos_msg_t *src);
/* Block self as a sender on to's full mailbox for at most timeout:
 * 0 once its message is in, or the wait's error (unlinked). */
int mos__ipc_wait_room(mos_kernel_t *k, mos_ipc_kernel_t *ik,
		       mos_ipc_proc_t *me, mos_ipc_proc_t *to,
		       const mos_msg_t *m, mos_time_t timeout);
/* Settle a pending call or host request with result (reply or NULL). */
void mos__ipc_settle(mos_kernel_t *k, mos_ipc_kernel_t *ik,
		     mos_ipc_pend_t *pd, int result, const mos_msg_t *reply);

#endif
