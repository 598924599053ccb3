/*
 * src/ipc/call.c - requests and replies: a process's call, the host's
 * requests (health pings), mos_sys_reply (ipc_int.h, docs/IPC.md).
 *
 * A pending call is a record in the caller's own IPC state (a host
 * request's, in the caller's storage), linked on the target's list of
 * callers once the request is in its mailbox.  Whatever settles it first
 * wins: the reply, the target's death (its exit hook walks the list, FIFO),
 * or the caller's own timeout or signal (it unlinks its record).  Replies
 * never use mailbox space.
 */
#include "ipc_box.h"
#include "util/timemath.h"

/* Whether the caller of a process pend still takes a result: it waits
 * for it, or its request was just moved in and it has not run since. */
static bool takes_result(mos_ipc_proc_t *cs)
{
	return cs->phase == CALL_SENDING || !mos__wchan_empty(&cs->wait);
}

/* pd was just unlinked. */
void mos__ipc_settle(mos_kernel_t *k, mos_ipc_kernel_t *ik,
		     mos_ipc_pend_t *pd, int result, const mos_msg_t *reply)
{
	mos_ipc_proc_t *cs;

	if (pd->caller == 0) {
		mos_ipc_host_req_t *hr = mos_container_of(pd, mos_ipc_host_req_t,
							  pend);
		if (result)
			ik->st.peer_died++;
		else
			ik->st.replies++;
		hr->done(k, hr, result, reply);
		return;
	}
	cs = mos_container_of(pd, mos_ipc_proc_t, call);
	if (!takes_result(cs)) {
		/* Its wait ended at this instant (a timeout, a signal). */
		if (reply) {
			ik->st.dropped_replies++;
			mos__trace_emit(k, MOS_TRACE_IPC, reply->sender,
					MOS_IPC_OP_DROPPED,
					(uint64_t)pd->caller, pd->request_id);
		}
		return;
	}
	if (reply) {
		mos__ipc_copy(cs->reply, reply);
		ik->st.replies++;
	} else {
		ik->st.peer_died++;
		mos__trace_emit(k, MOS_TRACE_IPC, pd->caller,
				MOS_IPC_OP_PEER_DIED, (uint64_t)pd->target,
				pd->request_id);
	}
	cs->call_result = result;
	mos__wchan_wake_one(k, &cs->wait, result);
}

/* The pend a reply to req from self settles, or NULL. */
static mos_ipc_pend_t *pend_of(mos_kernel_t *k, mos_proc_t *self,
			       const mos_msg_t *req)
{
	mos_ipc_proc_t *me = *mos__proc_subsys(self, MOS_SUBSYS_IPC);
	mos_pid_t pid = mos__proc_pid(self);
	mos_proc_t *c;
	mos_ipc_proc_t *cs;
	mos_list_t *n;

	if (!me)
		return NULL;
	if (req->sender == 0) {
		mos_list_for_each(n, &me->callers) {
			mos_ipc_pend_t *pd = mos_container_of(n, mos_ipc_pend_t,
							      node);
			if (pd->caller == 0 && pd->request_id == req->request_id)
				return pd;
		}
		return NULL;
	}
	if (!(c = mos__ipc_target(k, NULL, req->sender)) ||
	    !(cs = *mos__proc_subsys(c, MOS_SUBSYS_IPC)))
		return NULL;
	if (!mos_list_linked(&cs->call.node) || cs->call.target != pid ||
	    cs->call.request_id != req->request_id)
		return NULL;
	return &cs->call;
}

int mos_sys_reply(mos_proc_t *self, const mos_msg_t *req,
		  const mos_msg_t *reply)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_REPLY);
	mos_ipc_kernel_t *ik;
	mos_ipc_proc_t *me;
	mos_ipc_pend_t *pd;
	mos_msg_t out;

	if (!req || !reply || reply->len > MOS_MSG_PAYLOAD_MAX)
		return mos__sys_leave(self, MOS_EINVAL);
	if (!(ik = mos__ipc_kernel(k)))
		return mos__sys_leave(self, MOS_ENOMEM);
	/* Encrypt before sending: the caller may stop waiting meanwhile,
	 * which pend_of, after it, sees. */
	if ((me = *mos__proc_subsys(self, MOS_SUBSYS_IPC)) && me->reply_cost)
		(void)mos__sys_burn(self, me->reply_cost);
	mos__ipc_copy(&out, reply);
	out.type = MOS_MSG_REPLY;
	out.request_id = req->request_id;
	out.sender = mos__proc_pid(self);
	out.uid = mos__proc_euid(self);
	out.gid = mos__proc_egid(self);
	if ((pd = pend_of(k, self, req))) {
		mos_list_remove(&pd->node);
		mos__trace_emit(k, MOS_TRACE_IPC, out.sender, MOS_IPC_OP_REPLY,
				(uint64_t)req->sender, req->request_id);
		mos__ipc_settle(k, ik, pd, 0, &out);
	} else {
		ik->st.dropped_replies++;
		mos__trace_emit(k, MOS_TRACE_IPC, out.sender,
				MOS_IPC_OP_DROPPED, (uint64_t)req->sender,
				req->request_id);
	}
	mos__sys_preemption_point(self);
	return mos__sys_leave(self, 0);
}

/* ---- a process's call -------------------------------------------------- */

/* Send req as me's call to `to` (room or not): 0 once it is in. */
static int send_request(mos_kernel_t *k, mos_ipc_kernel_t *ik,
			mos_ipc_proc_t *me, mos_ipc_proc_t *to,
			const mos_msg_t *req, mos_time_t end, unsigned flags)
{
	mos_time_t now = mos_kernel_now(k);

	if (to->len < ik->cap) {
		mos__ipc_enqueue(k, ik, to, req, me->p);
		mos_list_push_back(&to->callers, &me->call.node);
		return 0;
	}
	if ((flags & MOS_IPC_NONBLOCK) || end <= now)
		return MOS_EAGAIN;
	return mos__ipc_wait_room(k, ik, me, to, req,
				  end == MOS_TIME_NEVER ? MOS_TIME_NEVER
							: end - now);
}

/* Wait for the reply of me's call, until end. */
static int await_reply(mos_kernel_t *k, mos_ipc_proc_t *me, mos_time_t end)
{
	mos_time_t now = mos_kernel_now(k);
	int err;

	if (me->call_result != 1) /* settled before it could wait */
		return me->call_result;
	me->phase = CALL_AWAITING;
	err = mos__wait(me->p, &me->wait,
			end == MOS_TIME_NEVER ? MOS_TIME_NEVER
					      : (end > now ? end - now : 0),
			MOS_WAIT_INTERRUPTIBLE, MOS_CAUSE_IPC);
	if (err && mos_list_linked(&me->call.node))
		mos_list_remove(&me->call.node);
	return err;
}

int mos__ipc_call(mos_proc_t *self, mos_pid_t pid, mos_msg_t *req,
		  mos_msg_t *reply, mos_time_t timeout, mos_time_t send_cost,
		  unsigned flags)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_CALL);
	mos_ipc_kernel_t *ik;
	mos_ipc_proc_t *me, *to;
	mos_proc_t *tp;
	mos_time_t end = MOS_TIME_NEVER;
	/* routed: the service layer chose pid, its allow list checked */
	const mos_proc_t *viewer = flags & MOS__IPC_ROUTED ? NULL : self;
	int err;

	if (!req || !reply || req->len > MOS_MSG_PAYLOAD_MAX ||
	    (flags & ~(MOS_IPC_NONBLOCK | MOS__IPC_ROUTED)) ||
	    pid == mos__proc_pid(self))
		return mos__sys_leave(self, MOS_EINVAL);
	flags &= ~MOS__IPC_ROUTED;
	if (!(ik = mos__ipc_kernel(k)))
		return mos__sys_leave(self, MOS_ENOMEM);
	if (!mos__ipc_target(k, viewer, pid))
		return mos__sys_leave(self, MOS_EPROCNOTFOUND);
	if (send_cost && (err = mos__sys_burn(self, send_cost)))
		return mos__sys_leave(self, err);
	if (timeout != MOS_TIME_NEVER &&
	    !mos__time_add(mos_kernel_now(k), timeout, &end))
		return mos__sys_leave(self, MOS_ERANGE);
	/* It may have died while self burned the send cost. */
	if (!(tp = mos__ipc_target(k, viewer, pid)))
		return mos__sys_leave(self, MOS_EPEERDIED);
	if (!(to = mos__ipc_proc(k, tp, true)) ||
	    !(me = mos__ipc_proc(k, self, false)))
		return mos__sys_leave(self, MOS_ENOMEM);
	if (req->type == MOS_MSG_DATA)
		req->type = MOS_MSG_REQUEST;
	req->request_id = ++ik->next_id;
	me->call.target = pid;
	me->call.caller = mos__proc_pid(self);
	me->call.request_id = req->request_id;
	me->reply = reply;
	me->call_result = 1;
	me->phase = CALL_SENDING;
	err = send_request(k, ik, me, to, req, end, flags);
	if (!err)
		err = await_reply(k, me, end);
	me->phase = CALL_NONE;
	if (!err && me->recv_cost)
		(void)mos__sys_burn(self, me->recv_cost);
	if (err == MOS_ETIMEDOUT)
		ik->st.timeouts++;
	mos__sys_preemption_point(self);
	return mos__sys_leave(self, err);
}

uint32_t mos__ipc_fail_callers(mos_kernel_t *k, mos_pid_t pid)
{
	mos_ipc_kernel_t *ik = mos__kernel_subsys(k, MOS_SUBSYS_IPC);
	mos_ipc_proc_t *to;
	mos_proc_t *tp;
	mos_list_t *n, *next;
	uint32_t failed = 0;

	if (!ik || !(tp = mos__ipc_target(k, NULL, pid)) ||
	    !(to = *mos__proc_subsys(tp, MOS_SUBSYS_IPC)))
		return 0;
	for (n = to->callers.next; n != &to->callers; n = next) {
		mos_ipc_pend_t *pd = mos_container_of(n, mos_ipc_pend_t, node);

		next = n->next;
		if (pd->caller == 0)
			continue;
		mos_list_remove(n);
		mos__ipc_settle(k, ik, pd, MOS_EPEERDIED, NULL);
		failed++;
	}
	return failed;
}

/* ---- the host's requests ----------------------------------------------- */

int mos__ipc_host_request(mos_kernel_t *k, mos_pid_t pid,
			  mos_ipc_host_req_t *hr, const mos_msg_t *msg,
			  mos_ipc_done_fn done, void *arg)
{
	mos_ipc_kernel_t *ik;
	mos_ipc_proc_t *to;
	mos_proc_t *tp;
	mos_msg_t m;

	if (!k || !hr || !msg || !done || msg->len > MOS_MSG_PAYLOAD_MAX ||
	    mos__ipc_host_pending(hr))
		return MOS_EINVAL;
	if (!(ik = mos__ipc_kernel(k)))
		return MOS_ENOMEM;
	if (!(tp = mos__ipc_target(k, NULL, pid)))
		return MOS_EPROCNOTFOUND;
	if (!(to = mos__ipc_proc(k, tp, true)))
		return MOS_ENOMEM;
	if (to->len >= ik->cap)
		return MOS_EAGAIN;
	mos__ipc_copy(&m, msg);
	m.request_id = ++ik->next_id;
	hr->pend.target = pid;
	hr->pend.caller = 0;
	hr->pend.request_id = m.request_id;
	hr->done = done;
	hr->arg = arg;
	mos__ipc_enqueue(k, ik, to, &m, NULL);
	mos_list_push_back(&to->callers, &hr->pend.node);
	return 0;
}

void mos__ipc_host_cancel(mos_kernel_t *k, mos_ipc_host_req_t *hr)
{
	(void)k;
	if (hr && mos__ipc_host_pending(hr))
		mos_list_remove(&hr->pend.node);
}
