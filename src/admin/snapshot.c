/*
 * src/admin/snapshot.c - the administrator's snapshots (multios/admin.h):
 * overview, ps, top and the service tree, read through the public
 * process, resource and service APIs.  Nothing here changes the kernel
 * but top's sample.
 */
#include <stdlib.h>
#include <string.h>

#include "admin_int.h"
#include "util/alloc.h"

/* The live pids, ascending, in a fresh array (*n of them); NULL with *n
 * 0 when there is none, MOS_ENOMEM. */
static int live_pids(mos_admin_t *ad, mos_pid_t **out, size_t *n)
{
	size_t cnt = 0;

	*out = NULL;
	mos_process_list(ad->k, NULL, 0, &cnt);
	if (!(*out = mos__calloc(ad->a, cnt + 1, sizeof(**out))))
		return MOS_ENOMEM;
	mos_process_list(ad->k, *out, cnt, &cnt);
	*n = cnt;
	return 0;
}

int mos_admin_overview(mos_kernel_t *k, mos_admin_overview_t *out)
{
	mos_service_status_t st;
	mos_kernel_stats_t ks;
	mos_service_id_t *ids;
	mos_admin_t *ad;
	mos_pid_t *pids;
	size_t n, nids = 0;
	uint64_t first;

	if (!k || !out || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)) || live_pids(ad, &pids, &n) < 0)
		return MOS_ENOMEM;
	mos_service_list(k, NULL, 0, &nids);
	if (!(ids = mos__calloc(ad->a, nids + 1, sizeof(*ids)))) {
		mos__free(ad->a, pids);
		return MOS_ENOMEM;
	}
	mos_service_list(k, ids, nids, &nids);
	memset(out, 0, sizeof(*out));
	mos_kernel_stats(k, &ks);
	out->uptime = mos_kernel_now(k);
	for (size_t i = 0; i < n; i++) {
		mos_process_info_t in;

		if (mos_process_get_info(k, pids[i], &in) == 0) {
			out->processes++;
			out->by_state[in.state]++;
		}
	}
	for (size_t i = 0; i < nids; i++)
		if (mos_service_status(k, ids[i], &st) == 0) {
			out->services++;
			out->by_svc_state[st.state]++;
		}
	out->memory_used = ks.memory_used;
	out->memory_peak = ks.memory_peak;
	out->memory_total = mos_kernel_config(k)->res.memory_size;
	out->cpu_busy = ks.busy;
	out->cpu_permille = out->uptime
		? (uint32_t)(ks.busy / (out->uptime / 1000 ? out->uptime / 1000 : 1))
		: 0;
	if (out->cpu_permille > 1000)
		out->cpu_permille = 1000;
	out->io_requests = ks.io_requests;
	out->device_queue = ks.device_queue;
	out->limit_violations = ks.limit_violations;
	out->oom_kills = ad->oom_kills;
	out->nviolations = ad->nviol < MOS_ADMIN_VIOLATIONS
		? (uint32_t)ad->nviol : MOS_ADMIN_VIOLATIONS;
	first = ad->nviol - out->nviolations;
	for (uint32_t i = 0; i < out->nviolations; i++)
		out->violations[i] = ad->viol[(first + i) % MOS_ADMIN_VIOLATIONS];
	mos__free(ad->a, ids);
	mos__free(ad->a, pids);
	return 0;
}

/* uid's name from the configuration's users table, else its digits. */
static void user_name(const mos_config_t *cfg, mos_uid_t uid, char *buf,
		      size_t len)
{
	for (uint32_t i = 0; i < cfg->nusers; i++)
		if (cfg->users[i].uid == uid) {
			snprintf(buf, len, "%s", cfg->users[i].name);
			return;
		}
	snprintf(buf, len, "%u", (unsigned)uid);
}

int mos_admin_ps(mos_kernel_t *k, mos_admin_ps_row_t *rows, size_t cap,
		 size_t *n)
{
	mos_admin_t *ad;
	mos_pid_t *pids;
	size_t cnt, got = 0;

	if (!k || !n || (!rows && cap) || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)) || live_pids(ad, &pids, &cnt) < 0)
		return MOS_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		mos_process_info_t in;
		mos_rusage_t u;
		mos_admin_ps_row_t *r;

		if (mos_process_get_info(k, pids[i], &in) < 0 ||
		    mos_process_get_stats(k, pids[i], &u) < 0)
			continue;
		if (got++ >= cap)
			continue;
		r = &rows[got - 1];
		*r = (mos_admin_ps_row_t){
			.pid = in.pid, .ppid = in.parent, .uid = in.uid,
			.state = in.state, .priority = in.priority,
			.prio_class = in.prio_class, .cpu = u.cpu_total,
			.memory = u.memory_current, .fds = u.fds_open,
			.oom_score_adj = mos__admin_adj(ad, in.pid),
		};
		mos__admin_command(&in, r->command, sizeof(r->command));
		user_name(mos_kernel_config(k), in.uid, r->user,
			  sizeof(r->user));
	}
	*n = got;
	mos__free(ad->a, pids);
	return 0;
}

/* ---- top --------------------------------------------------------------- */

static int cmp_cpu(const void *pa, const void *pb)
{
	const mos_admin_top_row_t *a = pa, *b = pb;

	if (a->cpu_window != b->cpu_window)
		return a->cpu_window > b->cpu_window ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static int cmp_mem(const void *pa, const void *pb)
{
	const mos_admin_top_row_t *a = pa, *b = pb;

	if (a->memory != b->memory)
		return a->memory > b->memory ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* pid's CPU time in the previous sample, if it is the same process. */
static mos_time_t prev_cpu(const mos_admin_t *ad, mos_pid_t pid,
			   mos_time_t created)
{
	size_t lo = mos__admin_pid_lower(ad->top, ad->ntop, sizeof(*ad->top),
					 pid);

	if (lo < ad->ntop && ad->top[lo].pid == pid &&
	    ad->top[lo].created == created)
		return ad->top[lo].cpu;
	return 0;
}

int mos_admin_top(mos_kernel_t *k, mos_admin_sort_t sort,
		  mos_admin_top_row_t *rows, size_t cap, size_t *n,
		  mos_time_t *since)
{
	mos_admin_top_row_t *all;
	mos_admin_cpu_t *sample;
	mos_admin_t *ad;
	mos_pid_t *pids;
	mos_time_t now, win;
	size_t cnt, got = 0;

	if (!k || !n || (!rows && cap) || (unsigned)sort >= MOS_ADMIN_SORT_COUNT ||
	    !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)) || live_pids(ad, &pids, &cnt) < 0)
		return MOS_ENOMEM;
	all = mos__calloc(ad->a, cnt + 1, sizeof(*all));
	sample = mos__calloc(ad->a, cnt + 1, sizeof(*sample));
	if (!all || !sample) {
		mos__free(ad->a, all);
		mos__free(ad->a, sample);
		mos__free(ad->a, pids);
		return MOS_ENOMEM;
	}
	now = mos_kernel_now(k);
	win = now - ad->top_at;
	for (size_t i = 0; i < cnt; i++) {
		mos_process_info_t in;
		mos_rusage_t u;
		mos_admin_top_row_t *r = &all[got];

		if (mos_process_get_info(k, pids[i], &in) < 0 ||
		    mos_process_get_stats(k, pids[i], &u) < 0)
			continue;
		sample[got] = (mos_admin_cpu_t){in.pid, in.times.created,
						u.cpu_total};
		*r = (mos_admin_top_row_t){
			.pid = in.pid, .state = in.state, .cpu = u.cpu_total,
			.memory = u.memory_current,
		};
		r->cpu_window = u.cpu_total - prev_cpu(ad, in.pid,
						       in.times.created);
		r->cpu_permille = win ? (uint32_t)((double)r->cpu_window *
						   1000.0 / (double)win)
				      : 0;
		mos__admin_command(&in, r->command, sizeof(r->command));
		got++;
	}
	qsort(all, got, sizeof(*all), sort == MOS_ADMIN_BY_CPU ? cmp_cpu
							       : cmp_mem);
	for (size_t i = 0; i < got && i < cap; i++)
		rows[i] = all[i];
	*n = got;
	if (since)
		*since = ad->top_at;
	mos__free(ad->a, ad->top);
	ad->top = sample;
	ad->ntop = got;
	ad->top_at = now;
	mos__free(ad->a, all);
	mos__free(ad->a, pids);
	return 0;
}

/* ---- the service tree -------------------------------------------------- */

int mos_admin_services(mos_kernel_t *k, mos_admin_svc_row_t *rows,
		       size_t cap, size_t *n)
{
	mos_service_status_t st;
	mos_service_info_t in;
	mos_service_id_t *ids;
	mos_admin_t *ad;
	size_t nids = 0, got = 0;

	if (!k || !n || (!rows && cap) || !mos__host_call(k))
		return MOS_EINVAL;
	if (!(ad = mos__admin(k)))
		return MOS_ENOMEM;
	mos_service_list(k, NULL, 0, &nids);
	if (!(ids = mos__calloc(ad->a, nids + 1, sizeof(*ids))))
		return MOS_ENOMEM;
	mos_service_list(k, ids, nids, &nids);
	for (size_t i = 0; i < nids; i++) {
		mos_admin_svc_row_t *r;

		if (mos_service_status(k, ids[i], &st) < 0 ||
		    mos_service_info(k, ids[i], &in) < 0)
			continue;
		if (got++ >= cap)
			continue;
		r = &rows[got - 1];
		memset(r, 0, sizeof(*r));
		*r = (mos_admin_svc_row_t){
			.id = st.id, .name = st.name, .type = st.type,
			.state = st.state, .since = st.since,
			.reason = st.reason, .ninstances = st.ninstances,
			.restarts = st.restarts,
			.critical = mos__admin_critical(in.priority,
							in.prio_class),
			.ndeps = in.ndeps,
		};
		for (size_t d = 0; d < in.ndeps; d++) {
			r->required[d] = in.deps[d].required;
			if (mos_service_find(k, in.deps[d].name, &r->deps[d]) < 0)
				r->deps[d] = 0;
		}
	}
	*n = got;
	mos__free(ad->a, ids);
	return 0;
}
