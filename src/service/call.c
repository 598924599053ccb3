/*
 * src/service/call.c - the request path: mos_sys_call routes a request
 * through the service's balancer to one instance (docs/SERVICES.md,
 * "Requests").
 *
 * Skeleton: the request path lands here (issue 13).
 */
#include "service_int.h"

bool mos__svc_inst_eligible(const mos_svc_t *s, uint32_t i)
{
	const mos_svc_inst_t *in = &s->inst[i];

	return in->pid && in->ready && !in->unready && !in->draining &&
	       (s->state == MOS_SVC_STARTING || s->state == MOS_SVC_RUNNING);
}

void mos__svc_rt_status(const mos_svc_t *s, mos_service_status_t *st)
{
	for (uint32_t i = 0; i < s->instances; i++)
		if (mos__svc_inst_eligible(s, i))
			st->in_rotation++;
}

void mos__svc_rt_instance(const mos_svc_t *s, uint32_t i,
			  mos_service_instance_t *out)
{
	out->in_rotation = mos__svc_inst_eligible(s, i);
}

void mos__svc_rt_free(mos_svc_t *s)
{
	(void)s;
}
