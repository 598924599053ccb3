/*
 * src/service/call.c - the request path: mos_sys_call routes a request
 * through the service's balancer to one instance and waits for its
 * reply; mos_service_get_instance peeks at the balancer's next choice
 * (docs/SERVICES.md, "Requests").
 *
 * A call is one or two attempts.  An attempt routes (a LoadBalancer
 * first picks a backend, then the backend's balancer an instance slot),
 * counts the request at every level it went through and the slot as
 * outstanding (least_connections sees it at once), and hands the request
 * to the IPC layer's call (src/ipc/ipc_int.h), which waits for the reply
 * or the instance's death.  The attempt's outcome is counted when the
 * call returns, in the same runtime states, found again by id: the
 * service may have gone while the caller waited.
 */
#include <stdlib.h>
#include <string.h>

#include "call_int.h"
#include "ipc/ipc_int.h"

/* What routing keeps out: the caller's own instance (it could never
 * answer) and, on a retry, the slot whose instance died. */
typedef struct route_ex {
	mos_pid_t self;             /* 0: none (the host) */
	const mos_svc_t *svc;       /* with slot: the failed attempt's */
	uint32_t slot;
} route_ex_t;

/* Where one attempt goes. */
typedef struct route {
	mos_svc_t *lbs;             /* the LoadBalancer it went through */
	mos_svc_t *t;               /* the service of the instance */
	uint32_t slot;
	mos_pid_t pid;
} route_t;

static bool may_take(const mos_svc_t *t, uint32_t i, const route_ex_t *ex)
{
	return mos__svc_inst_eligible(t, i) &&
	       (!ex->self || t->inst[i].pid != ex->self) &&
	       !(ex->svc == t && ex->slot == i);
}

static bool any_takes(const mos_svc_t *t, const route_ex_t *ex)
{
	for (uint32_t i = 0; i < t->instances; i++)
		if (may_take(t, i, ex))
			return true;
	return false;
}

/* Pick with lb, or (peek) with a copy of it that the pick may change:
 * weighted's current weights are copied into rt->peek, the random
 * stream is copied with the struct, the ring is only read. */
static int pick(mos_svc_rt_t *rt, uint32_t n, uint64_t key, bool peek,
		uint32_t *slot)
{
	mos_lb_t copy;

	if (!peek)
		return mos__lb_pick(&rt->lb, rt->cand, n, key, slot);
	copy = rt->lb;
	if (copy.current) {
		memcpy(rt->peek, copy.current,
		       copy.nslots * sizeof(*copy.current));
		copy.current = rt->peek;
	}
	return mos__lb_pick(&copy, rt->cand, n, key, slot);
}

/* An instance slot of t (not a LoadBalancer). */
static int pick_instance(mos_svc_t *t, uint64_t key, bool peek,
			 const route_ex_t *ex, uint32_t *slot)
{
	mos_svc_rt_t *rt = mos__svc_rt(t);

	if (!rt)
		return MOS_ENOMEM;
	for (uint32_t i = 0; i < t->instances; i++)
		rt->cand[i] = (mos_lb_cand_t){
			.slot = i,
			.weight = t->weights ? t->weights[i] : 1,
			.outstanding = rt->inst[i].outstanding,
			.eligible = may_take(t, i, ex),
		};
	return pick(rt, t->instances, key, peek, slot);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const mos_svc_backend_t *)a)->s->name,
		      ((const mos_svc_backend_t *)b)->s->name);
}

static bool has_tag(const mos_svc_t *s, const char *tag)
{
	for (char **t = s->tags; t && *t; t++)
		if (strcmp(*t, tag) == 0)
			return true;
	return false;
}

/* Add b (named by backends entry e) to lbs's pool unless there or not a
 * backend (none, itself or another LoadBalancer: no nesting). */
static void pool_add(mos_svc_t *lbs, uint32_t *n, mos_svc_t *b, uint32_t e)
{
	mos_svc_rt_t *rt = lbs->rt;

	if (!b || b == lbs || b->type == MOS_SVC_LOADBALANCER ||
	    *n == MOS_SVC_RT_POOL)
		return;
	for (uint32_t i = 0; i < *n; i++)
		if (rt->pool[i].s == b)
			return;
	rt->pool[(*n)++] = (mos_svc_backend_t){
		b, lbs->weights ? lbs->weights[e] : 1};
}

/* lbs's backends now, in name order, into its rt->pool; their number. */
static uint32_t resolve_pool(mos_svc_t *lbs)
{
	mos_svc_mgr_t *m = lbs->m;
	uint32_t n = 0;

	for (uint32_t e = 0; e < lbs->nbackends; e++) {
		const char *name = lbs->backends[e];

		if (strncmp(name, "tag:", 4) != 0) {
			pool_add(lbs, &n, mos__svc_by_name(m, name), e);
			continue;
		}
		for (uint32_t id = 0; id < m->nids; id++)
			if (m->by_id[id] && has_tag(m->by_id[id], name + 4))
				pool_add(lbs, &n, m->by_id[id], e);
	}
	qsort(lbs->rt->pool, n, sizeof(*lbs->rt->pool), by_name);
	return n;
}

/* A backend of lbs with an instance the caller may reach. */
static int pick_backend(mos_svc_t *lbs, const mos_proc_t *caller,
			uint64_t key, bool peek, const route_ex_t *ex,
			mos_svc_t **out)
{
	mos_svc_rt_t *rt = mos__svc_rt(lbs);
	uint32_t n, slot;
	int err;

	if (!rt)
		return MOS_ENOMEM;
	n = resolve_pool(lbs);
	if (n != rt->lb.nslots && (err = mos__lb_resize(&rt->lb, n)) < 0)
		return err;
	for (uint32_t i = 0; i < n; i++)
		rt->cand[i] = (mos_lb_cand_t){
			.slot = i,
			.weight = rt->pool[i].weight,
			.outstanding = 0,
			.eligible = mos__svc_may_call(rt->pool[i].s, caller) &&
				    any_takes(rt->pool[i].s, ex),
		};
	/* least_connections over backends: their requests in flight. */
	if (lbs->balance == MOS_LB_LEAST_CONNECTIONS)
		for (uint32_t i = 0; i < n; i++) {
			const mos_svc_t *b = rt->pool[i].s;

			for (uint32_t j = 0; b->rt && j < b->rt->ninst; j++)
				rt->cand[i].outstanding +=
					b->rt->inst[j].outstanding;
		}
	if ((err = pick(rt, n, key, peek, &slot)) < 0)
		return err;
	*out = rt->pool[slot].s;
	return 0;
}

/* Where the next attempt to s goes. */
static int route(mos_svc_t *s, const mos_proc_t *caller, uint64_t key,
		 bool peek, const route_ex_t *ex, route_t *r)
{
	int err;

	r->lbs = NULL;
	r->t = s;
	if (s->type == MOS_SVC_LOADBALANCER) {
		r->lbs = s;
		if ((err = pick_backend(s, caller, key, peek, ex, &r->t)) < 0)
			return err;
	}
	if ((err = pick_instance(r->t, key, peek, ex, &r->slot)) < 0)
		return err;
	r->pid = r->t->inst[r->slot].pid;
	return 0;
}

/* ---- mos_sys_call ------------------------------------------------------ */

/* A call that ends before any attempt is still one system call. */
static int refuse(mos_proc_t *self, int err)
{
	(void)mos__sys_enter(self, MOS_SYS_CALL);
	return mos__sys_leave(self, err);
}

/* A failure at s before an instance was reached (refused, nothing
 * eligible): counted as a request that failed. */
static void count_failed(mos_svc_t *s)
{
	mos_svc_rt_t *rt = mos__svc_rt(s);

	if (rt) {
		rt->requests++;
		rt->failures++;
	}
}

/* The attempt r is under way: counted at every level. */
static void count_sent(const route_t *r)
{
	mos_svc_rt_t *rt = r->t->rt;

	if (r->lbs)
		r->lbs->rt->requests++;
	rt->requests++;
	rt->inst[r->slot].requests++;
	rt->inst[r->slot].outstanding++;
}

/* rt if service id still has it (the service may have been
 * unregistered while the caller waited). */
static mos_svc_rt_t *rt_again(mos_svc_mgr_t *m, mos_service_id_t id,
			      const mos_svc_rt_t *rt)
{
	mos_svc_t *s = mos__svc_get(m, id);

	return s && s->rt == rt ? s->rt : NULL;
}

/* Encryption's cost model at the instance's end: it pays on receiving
 * each message and before each reply, from the first request routed to
 * it on (its health pings' included). */
static void instance_costs(mos_kernel_t *k, const route_t *r)
{
	mos_proc_t *p;

	if (!r->t->encrypted || !(p = mos__proc_find(k, r->pid)))
		return;
	(void)mos__ipc_set_recv_cost(p, r->t->encryption_cost);
	(void)mos__ipc_set_reply_cost(p, r->t->encryption_cost);
}

/* One attempt along r: the IPC call, then its outcome counted. */
static int attempt(mos_proc_t *self, const route_t *r, mos_msg_t *req,
		   mos_msg_t *reply, mos_time_t end)
{
	mos_kernel_t *k = mos__proc_kernel(self);
	mos_svc_mgr_t *m = r->t->m;
	mos_service_id_t tid = r->t->id, lid = r->lbs ? r->lbs->id : 0;
	const mos_svc_rt_t *trt = r->t->rt, *lrt = r->lbs ? r->lbs->rt : NULL;
	mos_time_t cost = r->t->encrypted ? r->t->encryption_cost : 0;
	mos_time_t start = mos_kernel_now(k), old = 0, timeout;
	mos_svc_rt_t *rt;
	int err;

	timeout = end == MOS_TIME_NEVER ? MOS_TIME_NEVER
					: (end > start ? end - start : 0);
	count_sent(r);
	instance_costs(k, r);
	/* The caller decrypts the reply: its receive cost for this call
	 * only (it may be an encrypted service's instance itself). */
	if ((old = mos__ipc_recv_cost(self)) != cost)
		(void)mos__ipc_set_recv_cost(self, cost);
	err = mos__ipc_call(self, r->pid, req, reply, timeout, cost,
			    MOS__IPC_ROUTED);
	if (old != cost)
		(void)mos__ipc_set_recv_cost(self, old);
	if ((rt = rt_again(m, tid, trt)))
		mos__svc_rt_done(rt, r->slot, err, mos_kernel_now(k) - start);
	if (lid && (rt = rt_again(m, lid, lrt)))
		mos__svc_rt_done(rt, UINT32_MAX, err, 0);
	return err;
}

/* The trace's record of a whole call. */
static void trace_call(mos_proc_t *self, mos_service_id_t id, mos_pid_t pid,
		       int err, bool retried, mos_time_t start)
{
	mos_kernel_t *k = mos__proc_kernel(self);

	mos__trace_emit(k, MOS_TRACE_CALL, mos__proc_pid(self),
			(uint8_t)((unsigned)-err |
				  (retried ? MOS_TRACE_CALL_RETRIED : 0)),
			(uint64_t)id << 32 | (uint32_t)pid,
			mos_kernel_now(k) - start);
}

/* A call that fails before any attempt: one system call, traced. */
static int refuse_traced(mos_proc_t *self, mos_service_id_t id, int err,
			 mos_time_t start)
{
	trace_call(self, id, 0, err, false, start);
	return refuse(self, err);
}

/* The call's deadline: timeout from now, or the service's default. */
static int deadline(mos_kernel_t *k, const mos_svc_t *s, mos_time_t timeout,
		    mos_time_t *end)
{
	*end = MOS_TIME_NEVER;
	if (timeout == MOS_TIME_NEVER && s->request_timeout)
		timeout = s->request_timeout;
	if (timeout != MOS_TIME_NEVER &&
	    (timeout >= MOS_TIME_NEVER - mos_kernel_now(k)))
		return MOS_ERANGE;
	if (timeout != MOS_TIME_NEVER)
		*end = mos_kernel_now(k) + timeout;
	return 0;
}

int mos_sys_call(mos_proc_t *self, const char *service, mos_msg_t *req,
		 mos_msg_t *reply, mos_time_t timeout_ns)
{
	mos_kernel_t *k = self ? mos__proc_kernel(self) : NULL;
	mos_time_t start = k ? mos_kernel_now(k) : 0, end;
	route_ex_t ex = {self ? mos__proc_pid(self) : 0, NULL, 0};
	mos_service_id_t sid;
	mos_svc_mgr_t *m;
	mos_svc_t *s;
	route_t r;
	bool retried = false;
	int err;

	if (!self)
		return refuse(self, MOS_EINVAL); /* panics, as every call */
	if (!service || !req || !reply || req->len > MOS_MSG_PAYLOAD_MAX)
		return refuse_traced(self, 0, MOS_EINVAL, start);
	if (!(m = mos__svc_mgr_peek(k)) || !(s = mos__svc_by_name(m, service)))
		return refuse_traced(self, 0, MOS_ESVCNOTFOUND, start);
	if (!mos__svc_rt(s))
		return refuse_traced(self, s->id, MOS_ENOMEM, start);
	if ((err = deadline(k, s, timeout_ns, &end)) < 0)
		return refuse_traced(self, s->id, err, start);
	if (!mos__svc_may_call(s, self)) {
		count_failed(s);
		(void)refuse(self, 0);
		err = mos__svc_call_refused(s, self);
		trace_call(self, s->id, 0, err, false, start);
		return err;
	}
	if ((err = route(s, self, req->key, false, &ex, &r)) < 0) {
		if (err == MOS_ELOADBAL)
			count_failed(s);
		return refuse_traced(self, s->id, err, start);
	}
	for (sid = s->id;;) {
		bool retry = s->retry || r.t->retry;

		err = attempt(self, &r, req, reply, end);
		if (err != MOS_EPEERDIED || retried || !retry ||
		    (end != MOS_TIME_NEVER && mos_kernel_now(k) >= end))
			break;
		/* Fail over once: the same service, found again (it may
		 * have gone meanwhile), never the slot that failed. */
		if (!(s = mos__svc_get(m, sid)))
			break;
		ex.svc = r.t;
		ex.slot = r.slot;
		if (route(s, self, req->key, false, &ex, &r) < 0)
			break;
		retried = true;
	}
	trace_call(self, sid, r.pid, err, retried, start);
	return err;
}

/* ---- get_instance ------------------------------------------------------ */

int mos_service_get_instance(mos_kernel_t *k, const char *name,
			     mos_pid_t *pid)
{
	route_ex_t ex = {0, NULL, 0};
	mos_svc_mgr_t *m;
	mos_svc_t *s;
	route_t r;
	int err;

	if (!k || !name || !pid)
		return MOS_EINVAL;
	if (!(m = mos__svc_mgr_peek(k)) || !(s = mos__svc_by_name(m, name)))
		return MOS_ESVCNOTFOUND;
	if ((err = route(s, NULL, 0, true, &ex, &r)) < 0)
		return err;
	*pid = r.pid;
	return 0;
}
