/*
 * src/resource/monitor.c - monitoring: the rates and the device's
 * utilisation of mos_kernel_stats_t over a sliding window of virtual
 * time, and the samples of every process, group and the kernel, taken by
 * a background timer into bounded rings (multios/resource.h,
 * "monitoring").
 *
 * The window.  Its S steps have boundaries at the multiples of the step;
 * the kernel calls mos__res_monitor_tick just before its clock passes the
 * next boundary (kernel.c, account(): one comparison when the clock
 * moves, none on the yield path, which moves no clock).  Nothing happens
 * between two moves of the clock, so the counters as they stand then are
 * the counts of every event before each boundary passed.  S + 1 snapshots
 * are enough for [t0 - W, t0).
 */
#include <string.h>

#include "res_local.h"
#include "util/alloc.h"
#include "util/timemath.h"

/* ---- rings ------------------------------------------------------------- */

static mos_mon_ring_t *ring_new(mos_kernel_t *k, uint32_t cap, size_t esz)
{
	mos_mon_ring_t *r = mos__calloc(mos__kernel_alloc(k), 1,
					sizeof(*r) + (size_t)cap * esz);

	if (r) {
		r->cap = cap;
		r->esz = esz;
	}
	return r;
}

/* The place of a new sample: the oldest goes when the ring is full
 * (counted in the ring and in *dropped). */
static void *ring_push(mos_mon_ring_t *r, uint64_t *dropped)
{
	uint32_t i;

	if (r->len < r->cap) {
		i = (r->head + r->len++) % r->cap;
	} else {
		i = r->head;
		r->head = (r->head + 1) % r->cap;
		r->dropped++;
		(*dropped)++;
	}
	return r->data + (size_t)i * r->esz;
}

/* The multios/resource.h buffer protocol. */
static int ring_copy(const mos_mon_ring_t *r, void *buf, size_t cap,
		     size_t *n)
{
	size_t len = r ? r->len : 0, m = cap < len ? cap : len;

	*n = len;
	for (size_t j = 0; j < m; j++) {
		size_t i = (r->head + (len - m) + j) % r->cap;

		memcpy((unsigned char *)buf + j * r->esz,
		       r->data + i * r->esz, r->esz);
	}
	return 0;
}

/* ---- the window -------------------------------------------------------- */

static bool monitoring(const mos_kernel_t *k)
{
	return mos__kernel_config(k)->enable_resource_monitoring;
}

static mos_time_t busy_at(const mos_res_dev_t *d, mos_time_t t)
{
	if (d->in_service && t > d->busy_since)
		return mos__time_add_sat(d->busy, t - d->busy_since);
	return d->busy;
}

mos_time_t mos__res_monitor_tick(mos_kernel_t *k, mos_time_t to)
{
	mos_res_kernel_t *r = mos__kernel_res(k);
	mos_res_mon_kernel_t *m = &r->mon;
	uint64_t last, first;

	if (!monitoring(k))
		return MOS_TIME_NEVER;
	last = to / m->step;
	/* Only the last nsteps + 1 boundaries are ever read. */
	first = m->last + 1;
	if (last > m->nsteps && first < last - m->nsteps)
		first = last - m->nsteps;
	for (uint64_t b = first; b <= last; b++)
		m->snaps[b % (m->nsteps + 1)] = (mos_mon_snap_t){
			/* init is in the kernel's count from the start,
			 * when the window's zero snapshot is taken */
			.created = mos__kernel_stats(k)->processes_created - 1,
			.exited = mos__kernel_stats(k)->processes_exited,
			.switches = mos__kernel_stats(k)->context_switches,
			.busy = busy_at(&r->dev, b * m->step),
		};
	if (last > m->last)
		m->last = last;
	if (last + 1 > MOS_TIME_NEVER / m->step)
		return MOS_TIME_NEVER;
	return (last + 1) * m->step;
}

void mos__res_monitor_stats(const mos_kernel_t *k, mos_kernel_stats_t *st)
{
	const mos_res_kernel_t *r = mos__kernel_res(k);
	const mos_res_mon_kernel_t *m = &r->mon;
	const mos_mon_snap_t *a, *b;
	static const mos_mon_snap_t zero;
	double w;

	st->memory_used = r->mem.used;
	st->memory_peak = r->mem.peak;
	st->io_requests = r->dev.completed;
	st->device_queue = r->dev.queued;
	if (!monitoring(k))
		return;
	/* The last boundary passed is m->last: the clock is at it or
	 * before the next one (the kernel ticks before it passes one). */
	b = &m->snaps[m->last % (m->nsteps + 1)];
	a = m->last >= m->nsteps
		    ? &m->snaps[(m->last - m->nsteps) % (m->nsteps + 1)]
		    : &zero;
	w = (double)mos__kernel_config(k)->res.monitor_window;
	st->creation_rate = (double)(b->created - a->created) * 1e9 / w;
	st->termination_rate = (double)(b->exited - a->exited) * 1e9 / w;
	st->switch_rate = (double)(b->switches - a->switches) * 1e9 / w;
	st->device_utilisation = (double)(b->busy - a->busy) / w;
}

/* ---- sampling ---------------------------------------------------------- */

static mos_mon_ring_t *ring_of(mos_kernel_t *k, mos_mon_ring_t **slot,
			       size_t esz)
{
	mos_res_mon_kernel_t *m = &mos__kernel_res(k)->mon;

	if (!*slot &&
	    !(*slot = ring_new(k, mos__kernel_config(k)->res.sample_capacity,
			       esz)))
		m->alloc_failures++;
	return *slot;
}

static void sample_process(mos_kernel_t *k, mos_proc_t *p, mos_time_t now)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_sample_process_t *s;
	mos_rusage_t u;
	mos_mon_ring_t *ring;

	if (!(ring = ring_of(k, &rp->mon.ring, sizeof(*s))))
		return;
	mos__res_touch(rp, MOS_RES_TOUCH_MON);
	if (mos_process_get_stats(k, mos__proc_pid(p), &u) < 0)
		return;
	s = ring_push(ring, &mos__kernel_res(k)->mon.dropped);
	*s = (mos_sample_process_t){
		.time = now,
		.cpu_user = u.cpu_user,
		.cpu_system = u.cpu_system,
		.memory_current = u.memory_current,
		.read_bytes = u.read_bytes,
		.write_bytes = u.write_bytes,
		.fds_open = u.fds_open,
		.state = mos__proc_state(p),
	};
}

/* The group rings' table covers every group. */
static bool group_table(mos_kernel_t *k, mos_res_kernel_t *r)
{
	mos_res_mon_kernel_t *m = &r->mon;
	mos_mon_ring_t **g;

	if (m->ngroups >= r->ngroups)
		return true;
	if (!(g = mos__realloc_array(mos__kernel_alloc(k), m->groups,
				     r->ngroups, sizeof(*g)))) {
		m->alloc_failures++;
		return false;
	}
	memset(g + m->ngroups, 0, (r->ngroups - m->ngroups) * sizeof(*g));
	m->groups = g;
	m->ngroups = r->ngroups;
	return true;
}

static void sample_groups(mos_kernel_t *k, mos_res_kernel_t *r,
			  mos_time_t now)
{
	mos_sample_group_t *s;

	if (!group_table(k, r))
		return;
	for (uint32_t i = 0; i < r->ngroups; i++) {
		const mos_rgroup_t *g = r->groups[i];

		if (!ring_of(k, &r->mon.groups[i], sizeof(*s)))
			continue;
		s = ring_push(r->mon.groups[i], &r->mon.dropped);
		*s = (mos_sample_group_t){
			.time = now,
			.memory_current = g->memory,
			.cpu_usage = g->cpu_usage,
			.pids_current = g->pids,
			.throttled = g->throttled,
			.nr_throttled = g->nr_throttled,
		};
	}
}

static void sampled(void *arg, mos_timer_t *t)
{
	mos_res_kernel_t *r = arg;
	mos_kernel_t *k = r->k;
	mos_time_t now = mos_kernel_now(k);
	mos_sample_kernel_t ks = {.time = now};
	uint32_t cursor = 0;
	mos_proc_t *p;

	r->mon.samples++;
	while ((p = mos__proc_next(k, &cursor))) {
		mos_proc_state_t st = mos__proc_state(p);

		ks.processes++;
		ks.runnable += st == MOS_STATE_READY || st == MOS_STATE_RUNNING;
		if (!mos__proc_is_init(p) && st < MOS_STATE_TERMINATED &&
		    mos__res_accounting(k, p))
			sample_process(k, p, now);
	}
	sample_groups(k, r, now);
	ks.memory_used = r->mem.used;
	ks.device_queue = r->dev.queued;
	if (ring_of(k, &r->mon.kernel, sizeof(ks)))
		*(mos_sample_kernel_t *)ring_push(r->mon.kernel,
						  &r->mon.dropped) = ks;
	now = mos__time_add_sat(now, mos__kernel_config(k)->res.sample_interval);
	if (now != MOS_TIME_NEVER)
		mos__ktimer_arm(k, t, now, MOS_BAND_LAST);
}

/* ---- the module -------------------------------------------------------- */

static int mon_kernel_init(mos_kernel_t *k, mos_res_kernel_t *r)
{
	const mos_config_t *c = mos__kernel_config(k);
	mos_res_mon_kernel_t *m = &r->mon;
	mos_time_t w = c->res.monitor_window;
	int err;

	m->nsteps = MOS_MON_STEPS;
	while (w % m->nsteps)
		m->nsteps--;
	m->step = w / m->nsteps;
	if (!c->enable_resource_monitoring || !c->res.sample_interval)
		return 0;
	if ((err = mos__ktimer_init(k, &m->timer, sampled, r, true)) < 0)
		return err;
	m->timer_ready = true;
	mos__ktimer_arm(k, &m->timer, c->res.sample_interval, MOS_BAND_LAST);
	return 0;
}

static void mon_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	const mos_allocator_t *a = mos__kernel_alloc(k);
	mos_res_mon_kernel_t *m = &r->mon;

	if (m->timer_ready)
		mos__ktimer_fini(k, &m->timer);
	for (uint32_t i = 0; i < m->ngroups; i++)
		mos__free(a, m->groups[i]);
	mos__free(a, m->groups);
	mos__free(a, m->kernel);
}

/* The first release of a reaped process keeps its ring with its record
 * in the history; the next one (the record goes), or the only one of a
 * process that was never reaped (a failed create, the kernel's end),
 * frees it. */
static void mon_release(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	if (!rp->mon.ring)
		return;
	if (mos__proc_state(p) == MOS_STATE_DEFUNCT && !rp->mon.kept) {
		rp->mon.kept = true;
		return;
	}
	mos__free(mos__kernel_alloc(k), rp->mon.ring);
	rp->mon.ring = NULL;
}

const mos_res_module_t mos__res_monitor_module = {
	.name = "monitor",
	.kernel_init = mon_kernel_init,
	.kernel_fini = mon_kernel_fini,
	.release = mon_release,
	.lazy = MOS_RES_TOUCH_MON,
};

/* ---- the API ----------------------------------------------------------- */

int mos_monitor_get_info(mos_kernel_t *k, mos_monitor_info_t *info)
{
	const mos_config_t *c;
	mos_res_kernel_t *r;
	mos_res_mon_kernel_t *m;

	if (!k || !info)
		return MOS_EINVAL;
	c = mos__kernel_config(k);
	r = mos__kernel_res(k);
	m = &r->mon;
	memset(info, 0, sizeof(*info));
	info->window = c->res.monitor_window;
	info->step = m->step;
	info->interval = m->timer_ready ? c->res.sample_interval : 0;
	info->capacity = c->res.sample_capacity;
	info->samples = m->samples;
	info->alloc_failures = m->alloc_failures;
	info->dropped = m->dropped;
	return 0;
}

static bool bad_buf(const void *buf, size_t cap, const size_t *n)
{
	return !n || (!buf && cap);
}

int mos_monitor_samples_kernel(mos_kernel_t *k, mos_sample_kernel_t *buf,
			       size_t cap, size_t *n)
{
	if (!k || bad_buf(buf, cap, n))
		return MOS_EINVAL;
	return ring_copy(mos__kernel_res(k)->mon.kernel, buf, cap, n);
}

int mos_monitor_samples_process(mos_kernel_t *k, mos_pid_t pid,
				mos_sample_process_t *buf, size_t cap,
				size_t *n)
{
	mos_proc_t *p;

	if (!k || bad_buf(buf, cap, n))
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_find_any(k, pid)))
		return MOS_EPROCNOTFOUND;
	return ring_copy(mos__res(p)->mon.ring, buf, cap, n);
}

int mos_monitor_samples_group(mos_kernel_t *k, mos_group_id_t id,
			      mos_sample_group_t *buf, size_t cap, size_t *n)
{
	mos_res_kernel_t *r;

	if (!k || bad_buf(buf, cap, n))
		return MOS_EINVAL;
	r = mos__kernel_res(k);
	if (id >= r->ngroups)
		return MOS_ENOENT;
	return ring_copy(id < r->mon.ngroups ? r->mon.groups[id] : NULL, buf,
			 cap, n);
}
