/*
 * src/ipc/ipc_int.h - the request path the service layer builds on:
 * calls, host requests (health pings), encryption costs.
 *
 * src/ipc/ owns the mailboxes (multios/ipc.h).  It includes the kernel's
 * seams (src/kernel/seams.h), src/util/ and the public headers; only
 * src/ipc/ and src/service/ include this file (tests/check_includes.sh).
 *
 * Its kernel-wide state lives in the kernel's MOS_SUBSYS_IPC slot and its
 * per-process state in each process's MOS_SUBSYS_IPC slot, both made on
 * first use; a process's is freed by the exit hook when it dies (the hook
 * runs on the host stack or on a coroutine: that of the process killing
 * it, or its own when it exits), or by the slot's fini at
 * mos_kernel_destroy for those still live.
 */
#ifndef MOS_IPC_INT_H
#define MOS_IPC_INT_H

#include <stdint.h>

#include "multios/ipc.h"
#include "kernel/seams.h"
#include "util/list.h"

/*
 * A reply awaited from process target: a process's call (inside its IPC
 * state) or a host request.  Linked, in FIFO order, on the target's list
 * of callers from the moment the request is in its mailbox until the
 * reply, the target's death, a timeout or a cancel.  Private to src/ipc/.
 */
typedef struct mos_ipc_pend {
	mos_list_t node;     /* in the target's callers; unlinked: settled */
	mos_pid_t target;
	mos_pid_t caller;    /* 0: a host request */
	uint64_t request_id;
} mos_ipc_pend_t;

typedef struct mos_ipc_host_req mos_ipc_host_req_t;

/*
 * What a host request's caller is told, exactly once per request not
 * cancelled: result 0 and the reply (borrowed: copy what you keep) when
 * the instance answers, MOS_EPEERDIED and reply NULL when it dies first.
 * It runs inside mos_sys_reply, on the replying process's coroutine, or
 * inside the instance's death, on the host stack or a coroutine: it must
 * only record, wake and arm timers (never block, never free hr's owner
 * from here if something else still reads it).  hr is settled (not
 * linked) when done runs: it may be reused at once.
 */
typedef void (*mos_ipc_done_fn)(mos_kernel_t *k, mos_ipc_host_req_t *hr,
				int result, const mos_msg_t *reply);

/* Caller-owned storage for one host request: no allocation. */
struct mos_ipc_host_req {
	mos_ipc_pend_t pend; /* private to src/ipc/ */
	mos_ipc_done_fn done;
	void *arg;           /* the caller's, untouched */
};

/*
 * The system call of a request: send req (in: type, flags, key, len,
 * payload; a type MOS_MSG_DATA is sent as MOS_MSG_REQUEST) to pid and
 * wait for its reply, all within timeout ns (MOS_TIME_NEVER: forever).
 * It is the whole call: it enters (counted as MOS_SYS_CALL) and leaves
 * itself, so mos_sys_call must not enter first.  Out: req->request_id is
 * the id the kernel gave (set before the request is queued), *reply the
 * reply (type MOS_MSG_REPLY, sender the instance).
 *
 * send_cost (0: none) is CPU burned by self as computation before the
 * request is sent (encryption's cost model); the timeout counts from
 * after it.  Self's receive cost (mos__ipc_set_recv_cost) is burned after
 * the reply arrived.  The request waits for room like a send (FIFO with
 * the other senders); flags MOS_IPC_NONBLOCK: MOS_EAGAIN when full.  A
 * process has at most one call outstanding (a call is a blocking system
 * call).
 *
 * Errors: MOS_EINVAL (NULL, len too big, unknown flags, pid is self: it
 * could never answer), MOS_EPROCNOTFOUND (no live pid, or one self may
 * not see unless flags has MOS__IPC_ROUTED),
 * MOS_EAGAIN, MOS_ETIMEDOUT (no room or no reply in time; a later reply
 * is dropped and counted), MOS_EPEERDIED (pid died while the request
 * waited for room, was queued, or was being handled: at that instant),
 * MOS_EINTR (a caught signal; a later reply is dropped), MOS_ENOMEM,
 * MOS_ERANGE.
 */
/* mos__ipc_call's flag: the service layer routed the call to pid, so it
 * may cross isolation domains (the service's allow list is the check). */
#define MOS__IPC_ROUTED 0x80000000u

int mos__ipc_call(mos_proc_t *self, mos_pid_t pid, mos_msg_t *req,
		  mos_msg_t *reply, mos_time_t timeout, mos_time_t send_cost,
		  unsigned flags);

/*
 * From the host stack (or a timer's callback): put a copy of msg (type as
 * given, MOS_MSG_PING for a health ping; sender 0, uid 0, gid 0; a fresh
 * request id, also written into hr->pend.request_id) into pid's mailbox
 * and arrange for done(k, hr, ...) as said above; hr->done and hr->arg
 * are set from done and arg.  Never blocks.
 * Errors (nothing queued, done never called): MOS_EINVAL (NULL, len too
 * big, hr already pending), MOS_EPROCNOTFOUND (no live pid), MOS_EAGAIN
 * (its mailbox is full), MOS_ENOMEM.
 */
int mos__ipc_host_request(mos_kernel_t *k, mos_pid_t pid,
			  mos_ipc_host_req_t *hr, const mos_msg_t *msg,
			  mos_ipc_done_fn done, void *arg);

/* Forget hr: done is never called for it; its request may stay queued
 * and its reply is then dropped (counted).  Nothing for a settled hr. */
void mos__ipc_host_cancel(mos_kernel_t *k, mos_ipc_host_req_t *hr);

/* Whether hr awaits its reply (zeroed storage does not). */
static inline bool mos__ipc_host_pending(const mos_ipc_host_req_t *hr)
{
	return hr->pend.node.next && mos_list_linked(&hr->pend.node);
}

/* Make hr settled, not pending; zeroed storage needs none of it. */
static inline void mos__ipc_host_init(mos_ipc_host_req_t *hr)
{
	mos_list_init(&hr->pend.node);
	hr->pend.target = 0;
	hr->pend.caller = 0;
	hr->pend.request_id = 0;
	hr->done = NULL;
	hr->arg = NULL;
}

/*
 * Fail every process's call awaiting a reply from pid (requests queued in
 * its mailbox or being handled), oldest first, with MOS_EPEERDIED at this
 * instant, as its death would; host requests (health pings) stay.  Their
 * requests stay queued: a later reply finds nobody and is dropped
 * (counted).  For an instance taken out of service while alive (its
 * readiness failed).  Returns how many failed; 0 for no live pid.
 */
uint32_t mos__ipc_fail_callers(mos_kernel_t *k, mos_pid_t pid);

/*
 * CPU burned by p as computation for each message it receives (recv, and
 * the reply of its call): encryption's cost model; 0 (the default) none.
 * Errors: MOS_EINVAL (NULL or dead p), MOS_ENOMEM (its IPC state).
 */
int mos__ipc_set_recv_cost(mos_proc_t *p, mos_time_t ns);
/* p's receive cost now (0 for none, a dead p, or no IPC state yet). */
mos_time_t mos__ipc_recv_cost(mos_proc_t *p);

/*
 * CPU burned by p as computation before each reply it sends
 * (mos_sys_reply, pings' included), before the reply is delivered: the
 * server's end of encryption's cost model; 0 (the default) none.
 * Errors: MOS_EINVAL (NULL or dead p), MOS_ENOMEM (its IPC state).
 */
int mos__ipc_set_reply_cost(mos_proc_t *p, mos_time_t ns);

#endif
