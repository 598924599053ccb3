/*
 * src/ipc/mailbox.c - mailboxes: the state, send and recv, the death
 * hook, the host queries (multios/ipc.h, docs/IPC.md).
 *
 * A mailbox is a ring of ipc.mailbox_capacity messages, allocated with
 * its owner's IPC state on first use; from then on sending and receiving
 * never allocate.  Senders blocked on a full one are a FIFO list of their
 * own states: the recv that frees a slot moves the longest waiter's
 * message in (the sender's buffer is still valid: it is blocked in the
 * call) and wakes it, so the order is FIFO and the instant exact.
 */
#include <string.h>

#include "ipc_box.h"
#include "util/alloc.h"
#include "util/timemath.h"

/* ---- state ------------------------------------------------------------- */

static void free_proc(mos_kernel_t *k, mos_ipc_proc_t *me)
{
	const mos_allocator_t *a = mos__kernel_alloc(k);

	mos__free(a, me->box);
	mos__free(a, me);
}

/* Unlink every record linked on or from me (host requests and other
 * processes' records point into it). */
static void unlink_all(mos_ipc_proc_t *me)
{
	while (mos_list_pop_front(&me->callers))
		;
	while (mos_list_pop_front(&me->senders))
		;
	if (mos_list_linked(&me->send_node))
		mos_list_remove(&me->send_node);
	if (mos_list_linked(&me->call.node))
		mos_list_remove(&me->call.node);
}

/* The slot's fini, at mos_kernel_destroy: the states of the processes
 * still live (the dead ones' went with them).  Records of host requests
 * are left unlinked, so cancelling one later is harmless. */
static void fini(mos_kernel_t *k, void *state)
{
	mos_proc_t *p;
	uint32_t cur = 0;

	while ((p = mos__proc_next(k, &cur))) {
		void **slot = mos__proc_subsys(p, MOS_SUBSYS_IPC);

		if (*slot) {
			unlink_all(*slot);
			free_proc(k, *slot);
			*slot = NULL;
		}
	}
	mos__free(mos__kernel_alloc(k), state);
}

/* A process dies (seams.h: host stack or a coroutine; never blocks).
 * The replies it owes fail first, in the order the requests came in,
 * then its blocked senders, longest waiting first; its queued messages
 * go with it. */
static void on_exit(mos_kernel_t *k, mos_proc_t *p, void *state)
{
	mos_ipc_kernel_t *ik = state;
	void **slot = mos__proc_subsys(p, MOS_SUBSYS_IPC);
	mos_ipc_proc_t *me = *slot;
	mos_list_t *n;

	if (!me)
		return;
	*slot = NULL;
	if (mos_list_linked(&me->send_node))
		mos_list_remove(&me->send_node);
	if (mos_list_linked(&me->call.node))
		mos_list_remove(&me->call.node);
	ik->dying = p;
	while ((n = mos_list_pop_front(&me->callers)))
		mos__ipc_settle(k, ik, mos_container_of(n, mos_ipc_pend_t, node),
				MOS_EPEERDIED, NULL);
	while ((n = mos_list_pop_front(&me->senders))) {
		mos_ipc_proc_t *s = mos_container_of(n, mos_ipc_proc_t,
						     send_node);

		if (mos__wchan_wake_one(k, &s->wait, MOS_EPEERDIED)) {
			ik->st.peer_died++;
			mos__trace_emit(k, MOS_TRACE_IPC, mos__proc_pid(s->p),
					MOS_IPC_OP_PEER_DIED,
					(uint64_t)mos__proc_pid(p), 0);
		}
	}
	ik->dying = NULL;
	free_proc(k, me);
}

mos_ipc_kernel_t *mos__ipc_kernel(mos_kernel_t *k)
{
	mos_ipc_kernel_t *ik = mos__kernel_subsys(k, MOS_SUBSYS_IPC);

	if (ik)
		return ik;
	if (!(ik = mos__calloc(mos__kernel_alloc(k), 1, sizeof(*ik))))
		return NULL;
	ik->cap = mos__kernel_config(k)->ipc.mailbox_capacity;
	mos__kernel_subsys_set(k, MOS_SUBSYS_IPC, ik, fini);
	mos__kernel_subsys_hooks(k, MOS_SUBSYS_IPC, on_exit);
	return ik;
}

mos_ipc_proc_t *mos__ipc_proc_make(mos_kernel_t *k, mos_proc_t *p, bool box)
{
	const mos_allocator_t *a = mos__kernel_alloc(k);
	mos_ipc_kernel_t *ik = mos__ipc_kernel(k);
	void **slot = mos__proc_subsys(p, MOS_SUBSYS_IPC);
	mos_ipc_proc_t *me = *slot;
	bool made = false;

	if (!ik)
		return NULL;
	if (!me) {
		if (!(me = mos__calloc(a, 1, sizeof(*me))))
			return NULL;
		me->p = p;
		mos__wchan_init(&me->recv_wait);
		mos__wchan_init(&me->wait);
		mos_list_init(&me->senders);
		mos_list_init(&me->callers);
		mos_list_init(&me->send_node);
		mos_list_init(&me->call.node);
		made = true;
	}
	if (box && !me->box &&
	    !(me->box = mos__malloc_array(a, ik->cap, sizeof(mos_msg_t)))) {
		if (made)
			mos__free(a, me);
		return NULL;
	}
	*slot = me;
	return me;
}

mos_proc_t *mos__ipc_target(mos_kernel_t *k, const mos_proc_t *actor,
			    mos_pid_t pid)
{
	mos_ipc_kernel_t *ik = mos__kernel_subsys(k, MOS_SUBSYS_IPC);
	mos_proc_t *p = pid > 0 ? mos__proc_find(k, pid) : NULL;

	if (!p || mos__proc_state(p) >= MOS_STATE_TERMINATED ||
	    (ik && ik->dying == p))
		return NULL;
	if (actor && !mos__cred_may_see(actor, p))
		return NULL;
	return p;
}

/* ---- messages ---------------------------------------------------------- */

void mos__ipc_copy(mos_msg_t *dst, const mos_msg_t *src)
{
	memcpy(dst, src, offsetof(mos_msg_t, payload) + src->len);
}

void mos__ipc_enqueue(mos_kernel_t *k, mos_ipc_kernel_t *ik,
		      mos_ipc_proc_t *to, const mos_msg_t *m,
		      mos_proc_t *from)
{
	uint32_t i = to->head + to->len;
	mos_msg_t *slot;

	if (i >= ik->cap)
		i -= ik->cap;
	slot = &to->box[i];
	mos__ipc_copy(slot, m);
	slot->sender = from ? mos__proc_pid(from) : 0;
	slot->uid = from ? mos__proc_euid(from) : 0;
	slot->gid = from ? mos__proc_egid(from) : 0;
	to->len++;
	ik->st.sent++;
	/* Requests and pings only: a plain message's send is the hot path
	 * (bench/ipc), and its wake-up is in the trace already. */
	if (slot->type == MOS_MSG_REQUEST || slot->type == MOS_MSG_PING)
		mos__trace_emit(k, MOS_TRACE_IPC, mos__proc_pid(to->p),
				MOS_IPC_OP_SEND, (uint64_t)slot->sender,
				slot->request_id);
	mos__wchan_wake_one(k, &to->recv_wait, 0);
}

/* Take the oldest message; the slot freed takes the longest-waiting
 * sender's message, if one still waits. */
static void take(mos_kernel_t *k, mos_ipc_kernel_t *ik, mos_ipc_proc_t *me,
		 mos_msg_t *out)
{
	mos_list_t *n;

	mos__ipc_copy(out, &me->box[me->head]);
	if (++me->head == ik->cap)
		me->head = 0;
	me->len--;
	ik->st.received++;
	while ((n = mos_list_pop_front(&me->senders))) {
		mos_ipc_proc_t *s = mos_container_of(n, mos_ipc_proc_t,
						     send_node);

		if (mos__wchan_empty(&s->wait))
			continue; /* its wait ended: it returns that */
		mos__ipc_enqueue(k, ik, me, s->send_msg, s->p);
		if (s->phase == CALL_SENDING)
			mos_list_push_back(&me->callers, &s->call.node);
		mos__wchan_wake_one(k, &s->wait, 0);
		break;
	}
}

int mos__ipc_wait_room(mos_kernel_t *k, mos_ipc_kernel_t *ik,
		       mos_ipc_proc_t *me, mos_ipc_proc_t *to,
		       const mos_msg_t *m, mos_time_t timeout)
{
	int err;

	(void)k;
	me->send_msg = m;
	mos_list_push_back(&to->senders, &me->send_node);
	ik->st.blocked_sends++;
	err = mos__wait(me->p, &me->wait, timeout, MOS_WAIT_INTERRUPTIBLE,
			MOS_CAUSE_IPC);
	/* 0: take() moved the message in; EPEERDIED: the death unlinked
	 * it; a timeout or a signal: still linked, to undo. */
	if (err && mos_list_linked(&me->send_node))
		mos_list_remove(&me->send_node);
	return err;
}

/* ---- system calls ------------------------------------------------------ */

static int leave(mos_proc_t *self, mos_ipc_kernel_t *ik, int rc)
{
	if (rc == MOS_ETIMEDOUT && ik)
		ik->st.timeouts++;
	return mos__sys_leave(self, rc);
}

int mos_sys_send(mos_proc_t *self, mos_pid_t pid, const mos_msg_t *msg)
{
	return mos_sys_send_timed(self, pid, msg, MOS_TIME_NEVER, 0);
}

int mos_sys_send_timed(mos_proc_t *self, mos_pid_t pid, const mos_msg_t *msg,
		       mos_time_t timeout_ns, unsigned flags)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_SEND);
	mos_ipc_kernel_t *ik;
	mos_ipc_proc_t *to, *me;
	mos_proc_t *tp;
	mos_time_t end;
	int err;

	if (!msg || msg->len > MOS_MSG_PAYLOAD_MAX || (flags & ~MOS_IPC_NONBLOCK))
		return mos__sys_leave(self, MOS_EINVAL);
	if (!(ik = mos__ipc_kernel(k)))
		return mos__sys_leave(self, MOS_ENOMEM);
	if (!(tp = mos__ipc_target(k, self, pid)))
		return mos__sys_leave(self, MOS_EPROCNOTFOUND);
	if (!(to = mos__ipc_proc(k, tp, true)))
		return mos__sys_leave(self, MOS_ENOMEM);
	if (to->len < ik->cap) {
		mos__ipc_enqueue(k, ik, to, msg, self);
		mos__sys_preemption_point(self);
		return mos__sys_leave(self, 0);
	}
	/* Full.  Its own mailbox could never drain while it waits. */
	if (tp == self || (flags & MOS_IPC_NONBLOCK) || timeout_ns == 0)
		return mos__sys_leave(self, MOS_EAGAIN);
	if (timeout_ns != MOS_TIME_NEVER &&
	    !mos__time_add(mos_kernel_now(k), timeout_ns, &end))
		return mos__sys_leave(self, MOS_ERANGE);
	if (!(me = mos__ipc_proc(k, self, false)))
		return mos__sys_leave(self, MOS_ENOMEM);
	err = mos__ipc_wait_room(k, ik, me, to, msg, timeout_ns);
	return leave(self, ik, err);
}

int mos_sys_recv(mos_proc_t *self, mos_msg_t *msg, mos_time_t timeout_ns)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_RECV);
	mos_ipc_kernel_t *ik;
	mos_ipc_proc_t *me;
	mos_time_t end = MOS_TIME_NEVER;

	if (!msg)
		return mos__sys_leave(self, MOS_EINVAL);
	if (!(ik = mos__ipc_kernel(k)) || !(me = mos__ipc_proc(k, self, true)))
		return mos__sys_leave(self, MOS_ENOMEM);
	if (!me->len && timeout_ns == 0)
		return mos__sys_leave(self, MOS_EAGAIN);
	if (timeout_ns != MOS_TIME_NEVER &&
	    !mos__time_add(mos_kernel_now(k), timeout_ns, &end))
		return mos__sys_leave(self, MOS_ERANGE);
	/* Only a message wakes this wait with 0, and only its owner takes
	 * one: the loop is a guard, it never goes round twice. */
	while (!me->len) {
		mos_time_t now = mos_kernel_now(k);
		int err;

		if (end != MOS_TIME_NEVER && now >= end)
			return leave(self, ik, MOS_ETIMEDOUT);
		err = mos__wait(self, &me->recv_wait,
				end == MOS_TIME_NEVER ? MOS_TIME_NEVER : end - now,
				MOS_WAIT_INTERRUPTIBLE, MOS_CAUSE_IPC);
		if (err)
			return leave(self, ik, err);
	}
	take(k, ik, me, msg);
	if (me->recv_cost)
		(void)mos__sys_burn(self, me->recv_cost);
	mos__sys_preemption_point(self);
	return mos__sys_leave(self, 0);
}

/* p's IPC state for setting a cost: NULL with *err set. */
static mos_ipc_proc_t *cost_state(mos_proc_t *p, int *err)
{
	mos_kernel_t *k;
	mos_ipc_proc_t *me;

	*err = MOS_EINVAL;
	if (!p)
		return NULL;
	k = mos__proc_kernel(p);
	if (mos__ipc_target(k, NULL, mos__proc_pid(p)) != p)
		return NULL;
	*err = MOS_ENOMEM;
	if (!(me = mos__ipc_proc(k, p, false)))
		return NULL;
	*err = 0;
	return me;
}

int mos__ipc_set_recv_cost(mos_proc_t *p, mos_time_t ns)
{
	int err;
	mos_ipc_proc_t *me = cost_state(p, &err);

	if (me)
		me->recv_cost = ns;
	return err;
}

int mos__ipc_set_reply_cost(mos_proc_t *p, mos_time_t ns)
{
	int err;
	mos_ipc_proc_t *me = cost_state(p, &err);

	if (me)
		me->reply_cost = ns;
	return err;
}

mos_time_t mos__ipc_recv_cost(mos_proc_t *p)
{
	mos_ipc_proc_t *me = p ? *mos__proc_subsys(p, MOS_SUBSYS_IPC) : NULL;

	return me ? me->recv_cost : 0;
}

/* ---- host queries ------------------------------------------------------ */

int mos_ipc_stats(const mos_kernel_t *k, mos_ipc_stats_t *st)
{
	const mos_ipc_kernel_t *ik;

	if (!k || !st)
		return MOS_EINVAL;
	ik = mos__kernel_subsys(k, MOS_SUBSYS_IPC);
	if (ik)
		*st = ik->st;
	else
		memset(st, 0, sizeof(*st));
	return 0;
}

int mos_ipc_mailbox(mos_kernel_t *k, mos_pid_t pid, mos_mailbox_info_t *info)
{
	const mos_ipc_proc_t *me;
	mos_proc_t *p;
	const mos_list_t *n;

	if (!k || !info)
		return MOS_EINVAL;
	if (!(p = mos__ipc_target(k, NULL, pid)))
		return MOS_EPROCNOTFOUND;
	memset(info, 0, sizeof(*info));
	info->capacity = mos__kernel_config(k)->ipc.mailbox_capacity;
	if (!(me = *mos__proc_subsys(p, MOS_SUBSYS_IPC)))
		return 0;
	info->queued = me->len;
	mos_list_for_each(n, &me->senders)
		info->waiting_senders++;
	return 0;
}
