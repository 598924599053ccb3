/*
 * src/service/restart.c - what follows an instance's death: the restart
 * policy, the back-off and the start limit.
 *
 * As systemd's Restart= (docs/SERVICES.md, "Restarts"):
 *   - no: never; on-failure: a non-zero exit, or death by a signal (the
 *     stop's own SIGTERM and SIGKILL never get here: a Stopping service's
 *     exits are the stop's); always: any exit.
 *   - The n-th restart since the back-off was reset waits
 *     delay * multiplier^n, capped at max_delay (100 ms, 200 ms, 400 ms
 *     ... 30 s by default).  A service that ran reset_after without
 *     failing starts over at delay.
 *   - The start limit: a death that would make the restart the
 *     (max_restarts + 1)-th within window makes the service Failed
 *     (reason "start limit"), there to stay until started by hand, or,
 *     with a cooldown, until a new start after that pause.
 * While a restart is pending the service is Starting, with next_restart
 * set; the instance is made again at that instant.
 */
#include "service_int.h"
#include "util/timemath.h"

static bool failed(int status)
{
	return !(MOS_WIFEXITED(status) && MOS_WEXITSTATUS(status) == 0);
}

bool mos__svc_wants_restart(const mos_svc_t *s, int status)
{
	switch (s->restart.policy) {
	case MOS_RESTART_ALWAYS:
		return true;
	case MOS_RESTART_ON_FAILURE:
		return failed(status);
	default:
		return false;
	}
}

mos_time_t mos__svc_backoff(const mos_svc_t *s)
{
	mos_time_t d = s->restart.delay;

	for (uint32_t i = 0; i < s->backoff_step && d < s->restart.max_delay; i++)
		d = d > s->restart.max_delay / s->restart.multiplier
			    ? s->restart.max_delay
			    : d * s->restart.multiplier;
	return d < s->restart.max_delay ? d : s->restart.max_delay;
}

/* Restarts in (now - window, now]. */
static uint32_t recent_restarts(mos_svc_t *s, mos_time_t now)
{
	uint32_t c = 0;

	for (uint32_t i = 0; i < s->nrecent; i++)
		if (now - s->recent[i] < s->restart.window)
			c++;
	return c;
}

static void record_restart(mos_svc_t *s, mos_time_t now)
{
	s->recent[s->recent_head] = now;
	s->recent_head = (s->recent_head + 1) % s->restart.max_restarts;
	if (s->nrecent < s->restart.max_restarts)
		s->nrecent++;
	s->restarts++;
}

void mos__svc_instance_died(mos_svc_t *s, uint32_t i, int status)
{
	mos_time_t now = mos_kernel_now(s->m->k), delay;
	/* draining: its liveness probe killed it (health.c) */
	bool health = s->inst[i].draining;
	mos_svc_reason_t why = health ? MOS_SVC_R_HEALTH : MOS_SVC_R_EXIT;

	if (!mos__svc_wants_restart(s, status)) {
		if (s->timed_out)
			mos__svc_fail(s, MOS_SVC_R_TIMEOUT, MOS_ETIMEDOUT, 0);
		else if (failed(status))
			mos__svc_fail(s, why, health ? MOS_EHEALTH : 0, 0);
		if (s->state == MOS_SVC_FAILED)
			return;
		if (s->live == 0 && !s->restart_due_any) {
			mos__svc_disarm(s);
			mos__svc_set_state(s, s->enabled ? MOS_SVC_STOPPED
							 : MOS_SVC_DISABLED,
					   MOS_SVC_R_EXIT, 0, 0);
		}
		return;
	}
	if (recent_restarts(s, now) >= s->restart.max_restarts) {
		mos__svc_fail(s, MOS_SVC_R_START_LIMIT, MOS_ELIMIT, 0);
		s->timed_out = false;
		if (s->restart.cooldown)
			mos__svc_arm(s, MOS_SVC_T_COOLDOWN,
				     mos__time_add_sat(now, s->restart.cooldown));
		return;
	}
	if (s->state == MOS_SVC_RUNNING && now - s->up_since >= s->restart.reset_after)
		s->backoff_step = 0;
	s->inst[i].restart_due = true;
	s->restart_due_any = true;
	if (s->timer_use == MOS_SVC_T_RESTART)
		return; /* another instance's restart is pending: this one too */
	delay = mos__svc_backoff(s);
	s->next_restart = mos__time_add_sat(now, delay);
	/* Out of Paused, the service comes back up as a whole: the others
	 * are continued, so no Running service has a stopped instance. */
	if (s->state == MOS_SVC_PAUSED)
		mos__svc_signal(s, MOS_SIGCONT);
	if (s->state != MOS_SVC_STARTING)
		mos__svc_set_state(s, MOS_SVC_STARTING, why, 0, 0);
	s->phase = MOS_SVC_P_SPAWNED;
	mos__svc_arm(s, MOS_SVC_T_RESTART, s->next_restart);
}

void mos__svc_restart_due(mos_svc_t *s)
{
	mos_time_t now = mos_kernel_now(s->m->k);
	int e = 0;

	s->next_restart = MOS_TIME_NEVER;
	s->restart_due_any = false;
	s->timed_out = false;
	record_restart(s, now);
	s->backoff_step++;
	for (uint32_t i = 0; i < s->instances; i++)
		if (s->inst[i].restart_due) {
			s->inst[i].restart_due = false;
			if (e == 0)
				e = mos__svc_spawn(s, i);
		}
	if (e < 0) {
		mos__svc_fail(s, MOS_SVC_R_SPAWN, e, 0);
		return;
	}
	mos__svc_arm(s, MOS_SVC_T_START,
		     mos__time_add_sat(now, s->start_timeout));
	if (s->ready == s->instances)
		mos__svc_arm(s, MOS_SVC_T_READY, now);
}
