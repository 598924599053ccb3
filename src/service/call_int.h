/*
 * src/service/call_int.h - the request path's state, shared by call.c
 * (routing, mos_sys_call) and rt.c (the state, its accounting and its
 * snapshot).  Private to those two files.
 *
 * A service's runtime (s->rt) is made on its first request or
 * get_instance and freed with the service.  Everything a request touches
 * is in it already: a request allocates nothing (a LoadBalancerService
 * whose pool changed size resizes its balancer, the one exception).
 */
#ifndef MOS_SVC_CALL_INT_H
#define MOS_SVC_CALL_INT_H

#include "balance.h"
#include "service_int.h"

/* A LoadBalancerService's pool: at most this many backends (the first
 * in name order), so its arrays are sized once. */
#define MOS_SVC_RT_POOL MOS_SVC_MAX_INSTANCES

/* One instance slot's counts, over the slot's life (restarts included). */
typedef struct mos_svc_rt_inst {
	uint64_t requests, replies, failures;
	uint32_t outstanding;       /* attempts in flight now */
	uint32_t nlat, lat_head;    /* the latency window's fill and next */
	mos_time_t lat[MOS_SVC_LATENCY_WINDOW]; /* replies' latencies, a
						  ring */
} mos_svc_rt_inst_t;

/* A LoadBalancerService's backend, resolved for one call. */
typedef struct mos_svc_backend {
	mos_svc_t *s;
	uint32_t weight;            /* the backends entry's that named it */
} mos_svc_backend_t;

typedef struct mos_svc_rt {
	mos_lb_t lb;                /* over instance slots (a LoadBalancer:
				       over its pool, in name order) */
	uint64_t requests, replies, failures; /* attempts, all slots */
	uint32_t cap;               /* cand / peek / pool entries */
	mos_lb_cand_t *cand;        /* one request's candidates */
	int64_t *peek;              /* weighted: get_instance's copy of the
				       current weights; NULL otherwise */
	mos_svc_backend_t *pool;    /* a LoadBalancer's; NULL otherwise */
	uint32_t ninst;             /* s->instances (0: a LoadBalancer) */
	mos_svc_rt_inst_t inst[];
} mos_svc_rt_t;

/* s's runtime, made on first use (NULL: MOS_ENOMEM). */
mos_svc_rt_t *mos__svc_rt(mos_svc_t *s);

/* The outcome of one attempt routed to slot (rt's own slot; a
 * LoadBalancer's rt has none: slot UINT32_MAX), result 0 or MOS_E*,
 * latency in virtual ns. */
void mos__svc_rt_done(mos_svc_rt_t *rt, uint32_t slot, int result,
		      mos_time_t latency);

#endif
