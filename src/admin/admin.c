/*
 * src/admin/admin.c - the admin state (the kernel's MOS_SUBSYS_ADMIN
 * slot), actors and their permission, the admin audit ring, the recent
 * violations, oom_score_adj and the OOM response (multios/admin.h).
 *
 * The state is made on the first admin call.  It subscribes (deferred)
 * to MOS_KEV_LIMIT, to keep the recent violations, and MOS_KEV_OOM, for
 * the OOM response, so both run on the host stack between steps; and it
 * sets the slot's exit hook only to forget a dead process's
 * oom_score_adj.  Nothing here is on the yield or switch path.
 */
#include <stdio.h>
#include <string.h>

#include "admin_int.h"
#include "util/alloc.h"

static void admin_fini(mos_kernel_t *k, void *state);
static void on_event(mos_kernel_t *k, const mos_kevent_t *ev, void *ud);
static void on_exit_hook(mos_kernel_t *k, mos_proc_t *p, void *state);

mos_admin_t *mos__admin(mos_kernel_t *k)
{
	mos_admin_t *ad = mos__kernel_subsys(k, MOS_SUBSYS_ADMIN);
	const mos_allocator_t *a = mos__kernel_alloc(k);
	mos_kev_filter_t f = {
		.types = MOS_KEV_BIT(MOS_KEV_LIMIT) | MOS_KEV_BIT(MOS_KEV_OOM),
	};

	if (ad)
		return ad;
	if (!(ad = mos__calloc(a, 1, sizeof(*ad))))
		return NULL;
	ad->k = k;
	ad->a = a;
	ad->sub = -1;
	ad->last_oom = MOS_TIME_NEVER;
	if (mos__admin_emergency_init(ad) < 0) {
		mos__free(a, ad);
		return NULL;
	}
	if (mos_kernel_subscribe(k, &f, 0, on_event, ad, &ad->sub) < 0) {
		mos__admin_emergency_fini(ad);
		mos__free(a, ad);
		return NULL;
	}
	mos__kernel_subsys_set(k, MOS_SUBSYS_ADMIN, ad, admin_fini);
	mos__kernel_subsys_hooks(k, MOS_SUBSYS_ADMIN, on_exit_hook);
	return ad;
}

static void admin_fini(mos_kernel_t *k, void *state)
{
	mos_admin_t *ad = state;

	(void)k;
	mos__admin_emergency_fini(ad);
	mos__free(ad->a, ad->adj);
	mos__free(ad->a, ad->top);
	mos__free(ad->a, ad);
}

int mos_admin_attach(mos_kernel_t *k)
{
	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	return mos__admin(k) ? 0 : MOS_ENOMEM;
}

/* ---- actors and the audit -------------------------------------------- */

void mos__admin_audit(mos_admin_t *ad, mos_pid_t actor, mos_uid_t uid,
		      mos_admin_op_t op, mos_pid_t pid, mos_service_id_t svc,
		      int result, int64_t value, const char *reason)
{
	mos_admin_audit_entry_t *e = &ad->audit[ad->seq % MOS_ADMIN_AUDIT_SIZE];

	*e = (mos_admin_audit_entry_t){
		.seq = ++ad->seq, .time = mos_kernel_now(ad->k),
		.actor = actor, .uid = uid, .op = op, .pid = pid,
		.service = svc, .result = result, .value = value,
	};
	snprintf(e->reason, sizeof(e->reason), "%s", reason ? reason : "");
}

int mos__admin_may(mos_admin_t *ad, mos_pid_t actor, mos_admin_op_t op,
		   mos_uid_t *uid)
{
	mos_proc_t *p;

	*uid = 0;
	if (actor < 0)
		return MOS_EINVALPID;
	if (actor == 0)
		return 0;
	if (!(p = mos__proc_find(ad->k, actor)) ||
	    mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EPROCNOTFOUND;
	*uid = mos__proc_euid(p);
	if (mos__cred_capable(p, MOS_CAP_ADMIN))
		return 0;
	mos__admin_audit(ad, actor, *uid, MOS_ADMIN_OP_DENIED, 0, 0, MOS_EPERM,
			 op, mos_admin_op_name(op));
	return mos__cred_deny(ad->k, p, MOS_AUDIT_ADMIN, 0, (uint64_t)op);
}

int mos_admin_audit(mos_kernel_t *k, mos_admin_audit_entry_t *out, size_t cap,
		    size_t *n)
{
	mos_admin_t *ad;
	uint64_t held, first;

	if (!k || !n || (!out && cap) || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)))
		return MOS_ENOMEM;
	held = ad->seq < MOS_ADMIN_AUDIT_SIZE ? ad->seq : MOS_ADMIN_AUDIT_SIZE;
	first = ad->seq - held;
	*n = (size_t)held;
	/* The newest: skip the oldest ones that do not fit. */
	if (cap < held)
		first += held - cap, held = cap;
	for (uint64_t i = 0; i < held; i++)
		out[i] = ad->audit[(first + i) % MOS_ADMIN_AUDIT_SIZE];
	return 0;
}

const char *mos_admin_op_name(mos_admin_op_t op)
{
	static const char *const names[MOS_ADMIN_OP_COUNT] = {
		"denied", "emergency_stop", "service_stop", "term", "kill",
		"oom_enable", "oom_kill", "oom_none", "oom_score_adj",
	};

	return (unsigned)op < MOS_ADMIN_OP_COUNT ? names[op] : "?";
}

void mos__admin_command(const mos_process_info_t *in, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < in->argc && at + 1 < len; i++) {
		int w = snprintf(buf + at, len - at, "%s%s", i ? " " : "",
				 in->command[i]);
		if (w < 0)
			break;
		at += (size_t)w;
	}
}

/* ---- oom_score_adj ----------------------------------------------------- */

/* The index of pid's entry, or where it would go. */
static size_t adj_find(const mos_admin_t *ad, mos_pid_t pid)
{
	size_t lo = 0, hi = ad->nadj;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ad->adj[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mos__admin_adj(const mos_admin_t *ad, mos_pid_t pid)
{
	size_t i = adj_find(ad, pid);

	return i < ad->nadj && ad->adj[i].pid == pid ? ad->adj[i].adj : 0;
}

static void adj_drop(mos_admin_t *ad, mos_pid_t pid)
{
	size_t i = adj_find(ad, pid);

	if (i < ad->nadj && ad->adj[i].pid == pid) {
		memmove(&ad->adj[i], &ad->adj[i + 1],
			(ad->nadj - i - 1) * sizeof(*ad->adj));
		ad->nadj--;
	}
}

static void on_exit_hook(mos_kernel_t *k, mos_proc_t *p, void *state)
{
	(void)k;
	adj_drop(state, mos__proc_pid(p));
}

int mos_process_set_oom_score_adj(mos_kernel_t *k, mos_pid_t actor,
				  mos_pid_t pid, int adj)
{
	mos_admin_t *ad;
	mos_proc_t *p;
	mos_uid_t uid;
	size_t i;
	int err;

	if (!k || !mos__host_call(k) || adj < MOS_OOM_SCORE_ADJ_MIN ||
	    adj > MOS_OOM_SCORE_ADJ_MAX)
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(ad = mos__admin(k)))
		return MOS_ENOMEM;
	if ((err = mos__admin_may(ad, actor, MOS_ADMIN_OP_OOM_ADJ, &uid)) < 0)
		return err;
	if (!(p = mos__proc_find(k, pid)) ||
	    mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EPROCNOTFOUND;
	i = adj_find(ad, pid);
	if (i < ad->nadj && ad->adj[i].pid == pid) {
		ad->adj[i].adj = adj;
		mos__admin_audit(ad, actor, uid, MOS_ADMIN_OP_OOM_ADJ, pid, 0, 0,
				 adj, NULL);
		return 0;
	}
	if (ad->nadj == ad->capadj) {
		size_t cap = ad->capadj ? ad->capadj * 2 : 8;
		mos_admin_adj_t *v = mos__realloc_array(ad->a, ad->adj, cap,
							sizeof(*v));
		if (!v)
			return MOS_ENOMEM;
		ad->adj = v;
		ad->capadj = cap;
	}
	memmove(&ad->adj[i + 1], &ad->adj[i],
		(ad->nadj - i) * sizeof(*ad->adj));
	ad->adj[i] = (mos_admin_adj_t){pid, adj};
	ad->nadj++;
	mos__admin_audit(ad, actor, uid, MOS_ADMIN_OP_OOM_ADJ, pid, 0, 0, adj,
			 NULL);
	return 0;
}

int mos_process_get_oom_score_adj(mos_kernel_t *k, mos_pid_t pid, int *adj)
{
	mos_admin_t *ad;
	mos_proc_t *p;

	if (!k || !adj || !mos__host_call(k))
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_find(k, pid)) ||
	    mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return MOS_EPROCNOTFOUND;
	if (!(ad = mos__admin(k)))
		return MOS_ENOMEM;
	*adj = mos__admin_adj(ad, pid);
	return 0;
}

/* ---- the OOM response ------------------------------------------------- */

int mos_admin_oom_enable(mos_kernel_t *k, mos_pid_t actor, bool on)
{
	mos_admin_t *ad;
	mos_uid_t uid;
	int err;

	if (!k || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)))
		return MOS_ENOMEM;
	if ((err = mos__admin_may(ad, actor, MOS_ADMIN_OP_OOM_ENABLE, &uid)) < 0)
		return err;
	ad->oom_on = on;
	mos__admin_audit(ad, actor, uid, MOS_ADMIN_OP_OOM_ENABLE, 0, 0, 0, on,
			 NULL);
	return 0;
}

/* Linux's oom_badness: memory per mille of the machine plus adj, at
 * least 1; -1 for never. */
static int64_t badness(uint64_t mem, uint64_t size, int adj)
{
	int64_t s;

	if (adj == MOS_OOM_SCORE_ADJ_MIN)
		return -1;
	if (size == 0)
		s = 0;
	else if (size <= UINT64_MAX / 1000)
		s = (int64_t)(mem * 1000 / size);
	else
		s = (int64_t)(mem / (size / 1000));
	s += adj;
	return s < 1 ? 1 : s;
}

static void oom(mos_admin_t *ad, const mos_kevent_t *ev)
{
	mos_kernel_t *k = ad->k;
	uint64_t size = mos_kernel_config(k)->res.memory_size;
	mos_pid_t best = 0;
	int64_t best_score = 0;
	int best_tier = 2;
	uint32_t cursor = 0;
	mos_proc_t *p;
	uint32_t label;
	char why[MOS_ADMIN_REASON_LEN];

	if (!ad->oom_on || ad->last_oom == mos_kernel_now(k))
		return;
	while ((p = mos__proc_next(k, &cursor))) {
		mos_pid_t pid = mos__proc_pid(p);
		mos_process_info_t in;
		mos_rusage_t u;
		int64_t s;
		int tier;

		if (mos__proc_is_init(p) ||
		    mos__proc_state(p) >= MOS_STATE_TERMINATED ||
		    mos_process_get_info(k, pid, &in) < 0 ||
		    mos_process_get_stats(k, pid, &u) < 0)
			continue;
		if ((s = badness(u.memory_current, size,
				 mos__admin_adj(ad, pid))) < 0)
			continue;
		tier = mos__admin_critical(in.priority, in.prio_class);
		if (tier < best_tier ||
		    (tier == best_tier &&
		     (s > best_score || (s == best_score && pid < best)))) {
			best = pid;
			best_score = s;
			best_tier = tier;
		}
	}
	snprintf(why, sizeof(why), "pid %d: %llu of %llu bytes", (int)ev->pid,
		 (unsigned long long)ev->a, (unsigned long long)ev->b);
	if (!best) {
		mos__admin_audit(ad, 0, 0, MOS_ADMIN_OP_OOM_NONE, ev->pid, 0,
				 MOS_EPROCNOTFOUND, 0, why);
		return;
	}
	ad->last_oom = mos_kernel_now(k);
	ad->oom_kills++;
	if (mos_trace_label(k, "oom-kill", &label) == 0)
		mos__trace_emit(k, MOS_TRACE_MARK, best, 0, label, 0);
	mos__admin_audit(ad, 0, 0, MOS_ADMIN_OP_OOM_KILL, best, 0,
			 mos_process_send_signal(k, best, MOS_SIGKILL),
			 best_score, why);
}

static void on_event(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	mos_admin_t *ad = ud;

	(void)k;
	if (ev->type == MOS_KEV_OOM) {
		oom(ad, ev);
		return;
	}
	ad->viol[ad->nviol++ % MOS_ADMIN_VIOLATIONS] = (mos_admin_violation_t){
		.time = ev->time, .pid = ev->pid, .resource = (unsigned)ev->status,
		.value = ev->a, .limit = ev->b,
	};
}
