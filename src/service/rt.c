/*
 * src/service/rt.c - a service's request-path state (call_int.h): made
 * on first use, the counts of each attempt, and what the snapshots
 * (mos_service_status, mos_service_instances) read out of it.
 *
 * Latency percentiles are computed when a snapshot is taken, never on
 * the request path: a reply only writes its latency into its slot's
 * ring of the last MOS_SVC_LATENCY_WINDOW.
 */
#include <stdlib.h>
#include <string.h>

#include "call_int.h"
#include "util/alloc.h"
#include "util/ranks.h"

bool mos__svc_inst_eligible(const mos_svc_t *s, uint32_t i)
{
	const mos_svc_inst_t *in = &s->inst[i];

	return in->pid && in->ready && !in->unready && !in->draining &&
	       (s->state == MOS_SVC_STARTING || s->state == MOS_SVC_RUNNING);
}

/* The balancer's own stream: the kernel's seed and the service id, so
 * programs' mos_sys_random sequences never depend on the traffic. */
static uint64_t lb_seed(const mos_svc_t *s)
{
	return mos__kernel_config(s->m->k)->seed ^
	       ((uint64_t)s->id * 0x9e3779b97f4a7c15ull);
}

mos_svc_rt_t *mos__svc_rt(mos_svc_t *s)
{
	const mos_allocator_t *a = s->m->a;
	bool lbs = s->type == MOS_SVC_LOADBALANCER;
	uint32_t ninst = lbs ? 0 : s->instances;
	uint32_t cap = lbs ? MOS_SVC_RT_POOL : s->instances;
	mos_svc_rt_t *rt;

	if (s->rt)
		return s->rt;
	if (!(rt = mos__calloc(a, 1, sizeof(*rt) +
					     ninst * sizeof(mos_svc_rt_inst_t))))
		return NULL;
	rt->cap = cap;
	rt->ninst = ninst;
	if (!(rt->cand = mos__calloc(a, cap ? cap : 1, sizeof(*rt->cand))) ||
	    (s->balance == MOS_LB_WEIGHTED &&
	     !(rt->peek = mos__calloc(a, cap ? cap : 1, sizeof(int64_t)))) ||
	    (lbs && !(rt->pool = mos__calloc(a, cap, sizeof(*rt->pool)))) ||
	    mos__lb_init(&rt->lb, s->balance, ninst, s->vnodes, lb_seed(s), a)) {
		mos__free(a, rt->cand);
		mos__free(a, rt->peek);
		mos__free(a, rt->pool);
		mos__free(a, rt);
		return NULL;
	}
	s->rt = rt;
	return rt;
}

void mos__svc_rt_free(mos_svc_t *s)
{
	mos_svc_rt_t *rt = s->rt;

	if (!rt)
		return;
	mos__lb_fini(&rt->lb);
	mos__free(s->m->a, rt->cand);
	mos__free(s->m->a, rt->peek);
	mos__free(s->m->a, rt->pool);
	mos__free(s->m->a, rt);
	s->rt = NULL;
}

void mos__svc_rt_done(mos_svc_rt_t *rt, uint32_t slot, int result,
		      mos_time_t latency)
{
	mos_svc_rt_inst_t *in = slot < rt->ninst ? &rt->inst[slot] : NULL;

	if (result == 0) {
		rt->replies++;
	} else {
		rt->failures++;
	}
	if (!in)
		return;
	in->outstanding--;
	if (result) {
		in->failures++;
		return;
	}
	in->replies++;
	in->lat[in->lat_head] = latency;
	in->lat_head = (in->lat_head + 1) % MOS_SVC_LATENCY_WINDOW;
	if (in->nlat < MOS_SVC_LATENCY_WINDOW)
		in->nlat++;
}

void mos__svc_rt_status(const mos_svc_t *s, mos_service_status_t *st)
{
	for (uint32_t i = 0; i < s->instances; i++)
		if (mos__svc_inst_eligible(s, i))
			st->in_rotation++;
	if (s->rt) {
		st->requests = s->rt->requests;
		st->replies = s->rt->replies;
		st->request_failures = s->rt->failures;
	}
}

void mos__svc_rt_instance(const mos_svc_t *s, uint32_t i,
			  mos_service_instance_t *out)
{
	mos_time_t v[MOS_SVC_LATENCY_WINDOW], r[MOS_RANKS];
	const mos_svc_rt_inst_t *in;

	out->in_rotation = mos__svc_inst_eligible(s, i);
	if (!s->rt || i >= s->rt->ninst)
		return;
	in = &s->rt->inst[i];
	out->requests = in->requests;
	out->replies = in->replies;
	out->failures = in->failures;
	out->outstanding = in->outstanding;
	if (!in->nlat)
		return;
	memcpy(v, in->lat, in->nlat * sizeof(*v));
	mos__ranks(v, in->nlat, r);
	out->latency_p50 = r[MOS_RANK_P50];
	out->latency_p90 = r[MOS_RANK_P90];
	out->latency_p99 = r[MOS_RANK_P99];
	out->latency_max = r[MOS_RANK_MAX];
}
