/*
 * multios/ipc.h - mailboxes: messages between processes, and replies.
 *
 * Every process has a mailbox: a bounded FIFO queue of copied messages
 * (config ipc.mailbox_capacity, 64 by default), made on its first use (the
 * first send to the process or recv by it) and gone when it dies.  A
 * message is a fixed header the kernel fills partly itself (sender pid,
 * effective uid and gid: unforgeable) and up to MOS_MSG_PAYLOAD_MAX bytes
 * of payload, of which len are copied.
 *
 * The bounded queue: a send to a full mailbox blocks the sender until a
 * recv frees a slot (senders blocked on one mailbox are served in FIFO
 * order: the recv that frees the slot moves the longest waiter's message
 * in at that instant), or until its own timeout (MOS_ETIMEDOUT); with
 * MOS_IPC_NONBLOCK it fails at once with MOS_EAGAIN instead.  A process
 * may send to itself; it never blocks on itself (its own full mailbox is
 * MOS_EAGAIN, as it could never be drained).  When the receiver dies, its
 * blocked senders get MOS_EPEERDIED at that instant, and its queued
 * messages are dropped.
 *
 * Requests and replies: a request (MOS_MSG_REQUEST) carries a request id
 * the kernel gives; mos_sys_reply answers it.  Replies use no mailbox
 * space: they go straight to the caller waiting for them (the service
 * layer's mos_sys_call), and one for a call no longer waiting (it timed
 * out, was interrupted, or its caller died) is dropped and counted.
 *
 * Every call here is a system call made on the calling process's own
 * coroutine (self), or a host query (k).  Blocking waits are
 * interruptible: a caught signal ends them with MOS_EINTR (multios/signal.h).
 * docs/IPC.md tells the whole design.
 */
#ifndef MULTIOS_IPC_H
#define MULTIOS_IPC_H

#include <stdint.h>

#include "cred.h"
#include "error.h"
#include "process.h"
#include "types.h"

#define MOS_MSG_PAYLOAD_MAX 256

/* Message types: below MOS_MSG_USER the kernel's; from it up, the user's. */
enum {
	MOS_MSG_DATA = 0,    /* a plain message */
	MOS_MSG_REQUEST = 1, /* a call's request: answer with mos_sys_reply */
	MOS_MSG_REPLY = 2,   /* a reply (what the caller receives) */
	MOS_MSG_PING = 3,    /* a health ping from the kernel (sender 0):
				answer it like a request */
	MOS_MSG_USER = 0x100
};

typedef struct mos_msg {
	uint32_t type;        /* MOS_MSG_* or a user type */
	uint32_t flags;       /* the user's */
	mos_pid_t sender;     /* set by the kernel: the sender, 0 the kernel */
	mos_uid_t uid;        /* set by the kernel: the sender's euid */
	mos_gid_t gid;        /* set by the kernel: the sender's egid */
	uint64_t request_id;  /* a plain send's: the caller's choice; a
				 request's and its reply's: the kernel's */
	uint64_t key;         /* the user's (consistent hashing routes on it) */
	uint32_t len;         /* bytes of payload that count */
	uint8_t payload[MOS_MSG_PAYLOAD_MAX];
} mos_msg_t;

/* The cause byte of a MOS_TRACE_IPC event (multios/trace.h). */
typedef enum mos_ipc_op {
	MOS_IPC_OP_SEND,      /* a request or ping put in subject's mailbox:
				 a the sender (plain messages: not traced) */
	MOS_IPC_OP_REPLY,     /* subject answered: a the caller */
	MOS_IPC_OP_PEER_DIED, /* subject's wait failed: a the dead peer */
	MOS_IPC_OP_DROPPED    /* subject's reply found nobody: a the caller */
} mos_ipc_op_t;

/* mos_sys_send_timed's flags. */
#define MOS_IPC_NONBLOCK 1u

/*
 * Send a copy of msg (its header and len bytes of payload; sender, uid
 * and gid are the kernel's) to process pid's mailbox; blocks while it is
 * full.  Same as mos_sys_send_timed(self, pid, msg, MOS_TIME_NEVER, 0).
 */
MOS_API int mos_sys_send(mos_proc_t *self, mos_pid_t pid,
			 const mos_msg_t *msg);

/*
 * Send, waiting at most timeout_ns for room (0: not at all).
 * Errors (nothing sent): MOS_EINVAL (msg NULL, len above
 * MOS_MSG_PAYLOAD_MAX, unknown flags), MOS_EPROCNOTFOUND (pid is no live
 * process, or one self may not see), MOS_EAGAIN (full and NONBLOCK or a
 * timeout of 0, or self's own mailbox full), MOS_ETIMEDOUT (still full
 * at now + timeout_ns), MOS_EPEERDIED (pid died while self waited),
 * MOS_EINTR (a caught signal), MOS_ENOMEM (its mailbox could not be
 * made), MOS_ERANGE (now + timeout_ns overflows).
 */
MOS_API int mos_sys_send_timed(mos_proc_t *self, mos_pid_t pid,
			       const mos_msg_t *msg, mos_time_t timeout_ns,
			       unsigned flags);

/*
 * Take the oldest message of self's mailbox into *msg, waiting at most
 * timeout_ns for one (MOS_TIME_NEVER: forever; 0: poll).  A message freed
 * a slot: the longest-waiting sender's message takes it at once.  If the
 * service layer set a receive cost on self (encrypted traffic), it is
 * burned as computation before the call returns.
 * Errors (nothing taken): MOS_EINVAL (msg NULL), MOS_EAGAIN (poll, empty),
 * MOS_ETIMEDOUT, MOS_EINTR, MOS_ENOMEM (the mailbox could not be made),
 * MOS_ERANGE.
 */
MOS_API int mos_sys_recv(mos_proc_t *self, mos_msg_t *msg,
			 mos_time_t timeout_ns);

/*
 * Answer req (a MOS_MSG_REQUEST or MOS_MSG_PING self received) with a
 * copy of reply: its type becomes MOS_MSG_REPLY, its request_id req's,
 * sender/uid/gid self's.  Never blocks (an encrypted service's instance
 * first burns its reply cost as computation, docs/SERVICES.md
 * "Requests").  A caller no longer waiting makes
 * the reply dropped (counted in dropped_replies), which is still 0.
 * Errors: MOS_EINVAL (NULL, reply len too big, req not a request).
 */
MOS_API int mos_sys_reply(mos_proc_t *self, const mos_msg_t *req,
			  const mos_msg_t *reply);

/* Kernel-wide counters, since the kernel was made. */
typedef struct mos_ipc_stats {
	uint64_t sent;            /* messages put in mailboxes (requests and
				     pings included) */
	uint64_t received;        /* messages taken by recv */
	uint64_t replies;         /* replies delivered to their caller */
	uint64_t dropped_replies; /* replies nobody waited for any more */
	uint64_t peer_died;       /* sends and calls failed: MOS_EPEERDIED */
	uint64_t timeouts;        /* sends, recvs and calls: MOS_ETIMEDOUT */
	uint64_t blocked_sends;   /* sends that waited for room */
} mos_ipc_stats_t;

/* Errors: MOS_EINVAL (NULL).  All zero for a kernel that never used IPC. */
MOS_API int mos_ipc_stats(const mos_kernel_t *k, mos_ipc_stats_t *st);

typedef struct mos_mailbox_info {
	uint32_t queued;          /* messages waiting to be received */
	uint32_t capacity;        /* ipc.mailbox_capacity */
	uint32_t waiting_senders; /* senders blocked on it */
} mos_mailbox_info_t;

/* A live process's mailbox (all 0 but the capacity before its first use;
 * waiting_senders may count one whose wait ended at this instant).
 * Errors: MOS_EINVAL (NULL), MOS_EPROCNOTFOUND (no live process pid). */
MOS_API int mos_ipc_mailbox(mos_kernel_t *k, mos_pid_t pid,
			    mos_mailbox_info_t *info);

#endif
