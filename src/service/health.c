/*
 * src/service/health.c - health checks: liveness and readiness probes
 * (docs/SERVICES.md, "Health checks").
 *
 * Skeleton: the probes land here (issue 13).
 */
#include "service_int.h"

void mos__svc_health_status(const mos_svc_t *s, mos_service_status_t *st)
{
	for (uint32_t i = 0; i < s->instances; i++)
		if (s->inst[i].pid && s->inst[i].unready)
			st->unhealthy++;
}

void mos__svc_health_instance(const mos_svc_t *s, uint32_t i,
			      mos_service_instance_t *out)
{
	(void)s;
	(void)i;
	(void)out;
}

void mos__svc_health_free(mos_svc_t *s)
{
	(void)s;
}
