/*
 * src/admin/emergency.c - the emergency stop (multios/admin.h,
 * docs/ADMIN.md): every non-critical service and process, lowest
 * priority first, SIGTERM (a service's own stop) now and SIGKILL at
 * + emergency_termination_timeout_ms from a kernel timer.
 *
 * The targets are chosen and their list allocated before anything is
 * done, so a call that fails changes nothing; the timer's callback only
 * walks that list (no allocation).
 */
#include <stdlib.h>

#include "admin_int.h"
#include "util/alloc.h"

static void fire(void *arg, mos_timer_t *t);

int mos__admin_emergency_init(mos_admin_t *ad)
{
	return mos__ktimer_init(ad->k, &ad->timer, fire, ad, false);
}

void mos__admin_emergency_fini(mos_admin_t *ad)
{
	mos__ktimer_fini(ad->k, &ad->timer);
	mos__free(ad->a, ad->targets);
	ad->targets = NULL;
	ad->ntargets = 0;
}

/* Lowest priority first; at one priority processes (by pid), then
 * services (by id). */
static int cmp_target(const void *pa, const void *pb)
{
	const mos_admin_target_t *a = pa, *b = pb;

	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	if ((a->svc != 0) != (b->svc != 0))
		return a->svc ? 1 : -1;
	if (a->svc != b->svc)
		return a->svc < b->svc ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static int cmp_pid(const void *pa, const void *pb)
{
	mos_pid_t a = *(const mos_pid_t *)pa, b = *(const mos_pid_t *)pb;

	return (a > b) - (a < b);
}

static bool svc_up(mos_service_state_t s)
{
	return s == MOS_SVC_STARTING || s == MOS_SVC_RUNNING ||
	       s == MOS_SVC_PAUSED;
}

/* The services' ids and every instance pid (sorted) into fresh arrays,
 * and room for the targets: 0 or MOS_ENOMEM. */
typedef struct scan {
	mos_service_id_t *ids;
	size_t nids;
	mos_pid_t *owned;
	size_t nowned;
	mos_pid_t *pids;
	size_t npids;
	mos_admin_target_t *t;
	size_t nt;
} scan_t;

static void scan_free(const mos_allocator_t *a, scan_t *s)
{
	mos__free(a, s->ids);
	mos__free(a, s->owned);
	mos__free(a, s->pids);
	mos__free(a, s->t);
}

static int scan(mos_admin_t *ad, mos_pid_t actor, scan_t *s)
{
	mos_kernel_t *k = ad->k;
	mos_service_status_t st; /* the host stack: admin calls refuse programs */
	size_t ninst = 0;

	*s = (scan_t){0};
	mos_service_list(k, NULL, 0, &s->nids);
	mos_process_list(k, NULL, 0, &s->npids);
	if (!(s->ids = mos__calloc(ad->a, s->nids + 1, sizeof(*s->ids))) ||
	    !(s->pids = mos__calloc(ad->a, s->npids + 1, sizeof(*s->pids))))
		return MOS_ENOMEM;
	mos_service_list(k, s->ids, s->nids, &s->nids);
	mos_process_list(k, s->pids, s->npids, &s->npids);
	for (size_t i = 0; i < s->nids; i++)
		if (mos_service_status(k, s->ids[i], &st) == 0)
			ninst += st.ninstances;
	if (!(s->owned = mos__calloc(ad->a, ninst + 1, sizeof(*s->owned))) ||
	    !(s->t = mos__calloc(ad->a, s->nids + s->npids + 1, sizeof(*s->t))))
		return MOS_ENOMEM;
	for (size_t i = 0; i < s->nids; i++) {
		mos_service_info_t in;

		if (mos_service_status(k, s->ids[i], &st) < 0 ||
		    mos_service_info(k, s->ids[i], &in) < 0)
			continue;
		for (uint32_t j = 0; j < st.ninstances && s->nowned < ninst; j++)
			s->owned[s->nowned++] = st.pids[j];
		if (svc_up(st.state) &&
		    !mos__admin_critical(in.priority, in.prio_class))
			s->t[s->nt++] = (mos_admin_target_t){
				.prio = in.priority, .svc = s->ids[i]};
	}
	qsort(s->owned, s->nowned, sizeof(*s->owned), cmp_pid);
	for (size_t i = 0; i < s->npids; i++) {
		mos_pid_t pid = s->pids[i];
		mos_process_info_t in;

		if (pid == 1 || pid == actor ||
		    mos_process_get_info(k, pid, &in) < 0 ||
		    in.state >= MOS_STATE_TERMINATED ||
		    mos__admin_critical(in.priority, in.prio_class) ||
		    bsearch(&pid, s->owned, s->nowned, sizeof(pid), cmp_pid))
			continue;
		s->t[s->nt++] = (mos_admin_target_t){
			.prio = in.priority, .pid = pid,
			.created = in.times.created};
	}
	qsort(s->t, s->nt, sizeof(*s->t), cmp_target);
	return 0;
}

int mos_admin_emergency_stop(mos_kernel_t *k, mos_pid_t actor,
			     const char *reason)
{
	mos_admin_t *ad;
	mos_uid_t uid;
	scan_t s;
	int err;

	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)))
		return MOS_ENOMEM;
	if ((err = mos__admin_may(ad, actor, MOS_ADMIN_OP_EMERGENCY_STOP,
				  &uid)) < 0)
		return err;
	if (ad->pending)
		return MOS_EINVALSTATE;
	if ((err = scan(ad, actor, &s)) < 0) {
		scan_free(ad->a, &s);
		return err;
	}
	mos__host_clock_sync(k);
	mos__admin_audit(ad, actor, uid, MOS_ADMIN_OP_EMERGENCY_STOP, 0, 0, 0,
			 (int64_t)s.nt, reason);
	for (size_t i = 0; i < s.nt; i++) {
		const mos_admin_target_t *t = &s.t[i];

		if (t->svc)
			mos__admin_audit(ad, actor, uid,
					 MOS_ADMIN_OP_SERVICE_STOP, 0, t->svc,
					 mos_service_stop(k, 0, t->svc), 0,
					 reason);
		else
			mos__admin_audit(ad, actor, uid, MOS_ADMIN_OP_TERM,
					 t->pid, 0,
					 mos_process_send_signal(k, t->pid,
								 MOS_SIGTERM),
					 MOS_SIGTERM, reason);
	}
	mos__free(ad->a, ad->targets);
	ad->targets = s.t;
	ad->ntargets = s.nt;
	s.t = NULL;
	scan_free(ad->a, &s);
	ad->em_actor = actor;
	ad->em_uid = uid;
	ad->pending = true;
	mos__ktimer_arm(k, &ad->timer,
			mos_kernel_now(k) +
				(mos_time_t)mos_kernel_config(k)
						->emergency_termination_timeout_ms *
					MOS_MSEC,
			MOS_BAND_ADMIN);
	return 0;
}

static void kill_one(mos_admin_t *ad, mos_pid_t pid, mos_service_id_t svc)
{
	mos__admin_audit(ad, ad->em_actor, ad->em_uid, MOS_ADMIN_OP_KILL, pid,
			 svc, mos_process_send_signal(ad->k, pid, MOS_SIGKILL),
			 MOS_SIGKILL, NULL);
}

/* + timeout: SIGKILL what is left, in the stop's order. */
static void fire(void *arg, mos_timer_t *t)
{
	mos_admin_t *ad = arg;
	mos_service_status_t st;

	(void)t;
	for (size_t i = 0; i < ad->ntargets; i++) {
		const mos_admin_target_t *tg = &ad->targets[i];
		mos_process_info_t in;

		if (tg->svc) {
			if (mos_service_status(ad->k, tg->svc, &st) < 0)
				continue;
			for (uint32_t j = 0; j < st.ninstances; j++)
				kill_one(ad, st.pids[j], tg->svc);
		} else if (mos_process_get_info(ad->k, tg->pid, &in) == 0 &&
			   in.state < MOS_STATE_TERMINATED &&
			   in.times.created == tg->created) {
			kill_one(ad, tg->pid, 0);
		}
	}
	ad->pending = false;
}
