/*
 * src/service/supervisor.c - ServiceGroups as Erlang/OTP supervisors.
 *
 * A member whose restart policy wants it back after a death is restarted
 * by its group's strategy, at once (OTP has no back-off):
 *   - one_for_one: the member alone;
 *   - one_for_all: every member is stopped, then all start again;
 *   - rest_for_one: the member and the members after it (member order:
 *     the order they were registered in).
 * The members to restart are stopped (dependents first, as any stop) and
 * started again in member order once the last of them is down.  Each
 * such restart counts against the group's intensity: more than intensity
 * restarts within period and the group gives up: its members are
 * stopped, it is Failed (reason "supervisor"), and, when it is itself a
 * member of a group, that group sees it die (escalation: a supervisor is
 * a permanent child, as in OTP).  A member the policy does not restart
 * (OTP's temporary, or transient after a clean exit) is left to its own
 * rules and its siblings are not touched.
 */
#include "service_int.h"


/* One more restart by g: false when it is one too many. */
static bool intensity_ok(mos_svc_t *g, mos_time_t now)
{
	uint32_t cap = g->sup.intensity + 1, c = 0;

	g->sup_recent[g->sup_head] = now;
	g->sup_head = (g->sup_head + 1) % cap;
	if (g->sup_n < cap)
		g->sup_n++;
	for (uint32_t i = 0; i < g->sup_n; i++)
		if (now - g->sup_recent[i] < g->sup.period)
			c++;
	return c <= g->sup.intensity;
}

static void give_up(mos_svc_t *g)
{
	mos_time_t now = mos_kernel_now(g->m->k);

	g->want_up = false;
	for (uint32_t i = 0; i < g->nmembers; i++)
		g->members[i]->sup_restart = false;
	mos__svc_fail(g, MOS_SVC_R_SUPERVISOR, MOS_ELIMIT, 0);
	for (uint32_t i = g->nmembers; i-- > 0;)
		if (mos__svc_is_up(g->members[i]))
			mos__svc_stop(g->members[i], MOS_SVC_R_SUPERVISOR, g->id);
	if (g->group && mos__svc_is_up(g->group)) {
		/* Escalate: g is a dead member of its own group. */
		if (!intensity_ok(g->group, now)) {
			give_up(g->group);
		} else {
			g->restarts++;
			mos__svc_sup_restart(g->group, g);
		}
	}
}

void mos__svc_sup_check(mos_svc_t *g)
{
	for (uint32_t i = 0; i < g->nmembers; i++)
		if (g->members[i]->sup_restart && mos__svc_is_up(g->members[i]))
			return;
	for (uint32_t i = 0; i < g->nmembers; i++)
		if (g->members[i]->sup_restart) {
			g->members[i]->sup_restart = false;
			mos__svc_start(g->members[i], MOS_SVC_R_SUPERVISOR);
		}
}

void mos__svc_sup_restart(mos_svc_t *g, mos_svc_t *dead)
{
	uint32_t from = 0, to = g->nmembers, at = 0;

	while (at < g->nmembers && g->members[at] != dead)
		at++;
	switch (g->sup.strategy) {
	case MOS_SUP_ONE_FOR_ONE:
		from = at;
		to = at + 1;
		break;
	case MOS_SUP_REST_FOR_ONE:
		from = at;
		break;
	default:
		break;
	}
	for (uint32_t i = from; i < to && i < g->nmembers; i++)
		g->members[i]->sup_restart = true;
	/* Later members first: the stop goes against member order. */
	for (uint32_t i = to < g->nmembers ? to : g->nmembers; i-- > from;)
		if (mos__svc_is_up(g->members[i]))
			mos__svc_stop(g->members[i], MOS_SVC_R_SUPERVISOR, dead->id);
	mos__svc_sup_check(g);
}

bool mos__svc_sup_member_died(mos_svc_t *s, uint32_t i, int status)
{
	mos_svc_t *g = s->group;

	(void)i;
	if (!mos__svc_wants_restart(s, status) ||
	    (g->state != MOS_SVC_RUNNING && g->state != MOS_SVC_STARTING))
		return false;
	if (!intensity_ok(g, mos_kernel_now(s->m->k))) {
		give_up(g);
		return true;
	}
	s->restarts++;
	mos__svc_sup_restart(g, s);
	return true;
}
