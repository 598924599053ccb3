/*
 * src/resource/cpu.c - CPU limits and bandwidth: RLIMIT_CPU's SIGXCPU and
 * SIGKILL, the lifetime limit, a group's cpu.max throttling (CFS
 * bandwidth control) and cpu.weight.  System time itself is burned by
 * the kernel's system call entry (src/kernel/syscall.c) from the cost
 * table; this file only reads the CPU times.
 *
 * Everything that must happen when a process's CPU time reaches a value
 * goes through the kernel's CPU alarm (src/kernel/seams.h): a process is
 * watched when it has a CPU limit or is in a group other than the root;
 * the kernel asks alarm_at before each stretch of its CPU, cuts the
 * stretch there, reports each ns used (the groups' cpu_usage and their
 * period's use) and calls alarm at the instant.  So SIGXCPU, SIGKILL and
 * a throttle land on the exact nanosecond, in the middle of a compute.
 *
 * cpu.max "Q of every P": each group with a quota has a period timer.  At
 * the end of each period its use starts again from 0 (no carry-over, as
 * Linux without cpu.max.burst), nr_periods counts, and a throttled group
 * is unthrottled.  A group that used Q in the current period is throttled:
 * every process under it is held (seams.h: not dispatched, Ready stays
 * Ready, the running one is taken off the CPU with cause THROTTLE) until
 * the period restarts.  The period timer is a background timer (a group
 * whose processes all wait or are gone must not keep a run alive), made a
 * foreground one while the group is throttled: its held processes are
 * runnable work that waits for it, and a run to MOS_TIME_NEVER must reach
 * the unthrottle instead of stopping as if nothing were left.  A process
 * under two throttled groups is released when the last of them ends.
 * Setting cpu.max (or changing it) starts a new period at that instant
 * and unthrottles the group, as Linux refills the runtime on a write.
 */
#include "res_local.h"
#include "signal/signal_int.h"
#include "util/timemath.h"

#define XCPU_EVERY MOS_SEC /* SIGXCPU again at every further second */
#define MAX_WEIGHT 10000   /* cpu.weight's largest */

static mos_time_t tmin(mos_time_t a, mos_time_t b) { return a < b ? a : b; }

static mos_time_t cpu_of(const mos_proc_t *p)
{
	const mos_process_times_t *t = mos__proc_times(p);

	return t->cpu_user + t->cpu_system;
}

static bool has_quota(const mos_rgroup_t *g)
{
	return g->limits.cpu_quota != MOS_TIME_NEVER;
}

static bool under(const mos_rgroup_t *g, const mos_rgroup_t *top)
{
	for (; g; g = g->parent)
		if (g == top)
			return true;
	return false;
}

/* Whether a group on p's path is throttled. */
static bool path_throttled(mos_kernel_t *k, mos_proc_t *p)
{
	for (mos_rgroup_t *g = mos__res_group_of(k, p); g; g = g->parent)
		if (g->throttled)
			return true;
	return false;
}

static void update_watch(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);
	bool on = rp->soft.max_cpu_time != MOS_RLIM_INFINITY ||
		  rp->hard.max_cpu_time != MOS_RLIM_INFINITY ||
		  mos__res_group_of(k, p)->parent;

	/* Only a watched process is ever held (a group other than the
	 * root): touched covers the hold too. */
	if (on)
		mos__res_touch(rp, MOS_RES_TOUCH_CPU);
	mos__proc_cpu_watch(p, on);
}

/* cpu.weight along p's path: weight / 100 for each group, in
 * MOS_WEIGHT_SCALE units (saturating; the policy clamps). */
static uint64_t weight_scale(mos_kernel_t *k, mos_proc_t *p)
{
	uint64_t s = MOS_WEIGHT_SCALE;

	for (mos_rgroup_t *g = mos__res_group_of(k, p); g->parent;
	     g = g->parent) {
		if (s > UINT64_MAX / MAX_WEIGHT)
			s = UINT64_MAX / MAX_WEIGHT;
		s = s * g->limits.cpu_weight / 100;
	}
	return s;
}

/* ---- holding a process ------------------------------------------------ */

/* All the time p has been Ready, the present stretch included.  A held
 * process is never running: while held, its Ready time is the time it
 * wanted the CPU and was kept from it, its throttled_time; time it slept,
 * stopped or waited for an admission while held is not. */
static mos_time_t ready_time(mos_kernel_t *k, const mos_proc_t *p)
{
	mos_time_t t = mos__proc_times(p)->ready_wait;

	if (mos__proc_state(p) == MOS_STATE_READY)
		t += mos_kernel_now(k) - mos__proc_state_since(p);
	return t;
}

/* The hold ends (unhold, exit): its Ready time goes to throttled_time. */
static void held_end(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	rp->cpu.held = false;
	rp->cpu.throttled_time += ready_time(k, p) - rp->cpu.held_ready;
}

static void hold(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	if (rp->cpu.held || mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return;
	rp->cpu.held = true;
	rp->cpu.held_ready = ready_time(k, p);
	mos__proc_hold(k, p);
}

static void unhold(mos_kernel_t *k, mos_proc_t *p)
{
	if (!mos__res(p)->cpu.held)
		return;
	held_end(k, p);
	mos__proc_unhold(k, p);
}

/* Call fn on every process under top, groups by id, each group's in
 * attach order (deterministic). */
static void for_each_under(mos_kernel_t *k, mos_rgroup_t *top,
			   void (*fn)(mos_kernel_t *, mos_proc_t *))
{
	mos_res_kernel_t *r = mos__kernel_res(k);

	for (uint32_t i = top->id; i < r->ngroups; i++) {
		mos_rgroup_t *g = r->groups[i];
		mos_list_t *n, *next;

		if (!under(g, top))
			continue;
		for (n = g->procs.next; n != &g->procs; n = next) {
			mos_res_proc_t *rp =
				mos_container_of(n, mos_res_proc_t, group_node);

			next = n->next;
			fn(k, rp->proc);
		}
	}
}

static void unhold_if_free(mos_kernel_t *k, mos_proc_t *p)
{
	if (!path_throttled(k, p))
		unhold(k, p);
}

static void reweight(mos_kernel_t *k, mos_proc_t *p)
{
	if (mos__proc_state(p) < MOS_STATE_TERMINATED)
		mos__proc_reweight(k, p, weight_scale(k, p));
}

/* ---- cpu.max ------------------------------------------------------------ */

/* The period timer: background unless the group is throttled. */
static void arm_period(mos_kernel_t *k, mos_rgroup_t *g, mos_time_t due)
{
	mos__ktimer_cancel(k, &g->cpu.period);
	g->cpu.period.background = !g->throttled;
	mos__ktimer_arm(k, &g->cpu.period, due, MOS_BAND_SERVICE);
}

static void throttle(mos_kernel_t *k, mos_rgroup_t *g, mos_proc_t *by)
{
	g->throttled = true;
	g->nr_throttled++;
	mos__kernel_stats(k)->throttle_events++;
	g->cpu.throttled_since = mos_kernel_now(k);
	mos__trace_emit(k, MOS_TRACE_THROTTLE, (int32_t)g->id, 1, g->cpu.used,
			g->limits.cpu_quota);
	mos__res_violation(k, by, MOS_RES_GROUP_CPU, g->cpu.used,
			   g->limits.cpu_quota);
	for_each_under(k, g, hold);
	/* Now it must fire even if nothing else is left. */
	arm_period(k, g, g->cpu.period.due);
}

static void unthrottle(mos_kernel_t *k, mos_rgroup_t *g)
{
	g->throttled = false;
	g->throttled_time += mos_kernel_now(k) - g->cpu.throttled_since;
	mos__trace_emit(k, MOS_TRACE_THROTTLE, (int32_t)g->id, 0, g->cpu.used,
			g->limits.cpu_quota);
	for_each_under(k, g, unhold_if_free);
}

static void period_end(void *arg, mos_timer_t *t)
{
	mos_rgroup_t *g = arg;
	mos_kernel_t *k = g->cpu.k;
	mos_time_t now = mos_kernel_now(k);

	(void)t;
	g->nr_periods++;
	if (g->throttled)
		unthrottle(k, g);
	g->cpu.used = 0;
	arm_period(k, g, mos__time_add_sat(now, g->limits.cpu_period));
}

int mos__rgroup_cpu_prepare(mos_kernel_t *k, mos_rgroup_t *g,
			    const mos_group_limits_t *l)
{
	int err;

	if (l->cpu_quota == MOS_TIME_NEVER || g->cpu.timer_init)
		return 0;
	if ((err = mos__ktimer_init(k, &g->cpu.period, period_end, g, true)) < 0)
		return err;
	g->cpu.k = k;
	g->cpu.timer_init = true;
	return 0;
}

void mos__rgroup_cpu_changed(mos_kernel_t *k, mos_rgroup_t *g,
			     const mos_group_limits_t *old)
{
	const mos_group_limits_t *l = &g->limits;

	if (l->cpu_weight != old->cpu_weight)
		for_each_under(k, g, reweight);
	if (l->cpu_quota == old->cpu_quota && l->cpu_period == old->cpu_period)
		return;
	/* A new period from this instant, with the whole quota. */
	g->cpu.used = 0;
	if (g->throttled)
		unthrottle(k, g);
	if (!has_quota(g)) {
		mos__ktimer_cancel(k, &g->cpu.period);
		return;
	}
	arm_period(k, g, mos__time_add_sat(mos_kernel_now(k), l->cpu_period));
}

static void cpu_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	for (uint32_t i = 0; i < r->ngroups; i++)
		if (r->groups[i]->cpu.timer_init) {
			mos__ktimer_fini(k, &r->groups[i]->cpu.period);
			r->groups[i]->cpu.timer_init = false;
		}
}

/* ---- the CPU alarm (kernel/seams.h) -------------------------------------- */

mos_time_t mos__res_cpu_alarm_at(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_time_t at = rp->hard.max_cpu_time, cpu = cpu_of(p);

	if (rp->soft.max_cpu_time != MOS_RLIM_INFINITY)
		at = tmin(at, rp->cpu.xcpu_next);
	for (mos_rgroup_t *g = mos__res_group_of(k, p); g->parent; g = g->parent)
		if (has_quota(g) && !g->throttled)
			at = tmin(at, g->cpu.used >= g->limits.cpu_quota
					      ? cpu
					      : mos__time_add_sat(cpu,
						 g->limits.cpu_quota - g->cpu.used));
	return at;
}

void mos__res_cpu_used(mos_kernel_t *k, mos_proc_t *p, mos_time_t d)
{
	for (mos_rgroup_t *g = mos__res_group_of(k, p); g->parent; g = g->parent) {
		g->cpu_usage += d;
		if (has_quota(g))
			g->cpu.used += d;
	}
}

static void xcpu(mos_kernel_t *k, mos_proc_t *p, mos_time_t cpu)
{
	mos_res_proc_t *rp = mos__res(p);

	mos__res_violation(k, p, MOS_RLIMIT_CPU, cpu, rp->soft.max_cpu_time);
	/* The next one a second of CPU after this one (cpu is the limit
	 * itself, or, for a limit lowered below the use, the use now). */
	rp->cpu.xcpu_next = mos__time_add_sat(cpu, XCPU_EVERY);
	mos__sig_host_send(k, p, MOS_SIGXCPU);
}

static void cpu_kill(mos_kernel_t *k, mos_proc_t *p, unsigned what,
		     uint64_t value, uint64_t limit)
{
	mos__res_violation(k, p, what, value, limit);
	mos__sig_host_send(k, p, MOS_SIGKILL);
}

void mos__res_cpu_alarm(mos_kernel_t *k, mos_proc_t *p, bool more)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_time_t cpu = cpu_of(p);

	if (cpu >= rp->hard.max_cpu_time) {
		cpu_kill(k, p, MOS_RLIMIT_CPU, cpu, rp->hard.max_cpu_time);
		mos__proc_cpu_watch(p, false);
		return;
	}
	if (rp->soft.max_cpu_time != MOS_RLIM_INFINITY &&
	    cpu >= rp->cpu.xcpu_next)
		xcpu(k, p, cpu);
	/* SIGXCPU's default action (or a handler's kill) may have ended it:
	 * a dead process neither holds its groups nor is held by them, and
	 * with no history its control block is about to go. */
	if (mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return;
	/* A burst that ended with the quota takes nothing more of it: the
	 * process goes on to its next request, and is throttled when that
	 * needs CPU (a compute, a call's cost) in this period. */
	if (!more)
		return;
	for (mos_rgroup_t *g = mos__res_group_of(k, p); g->parent; g = g->parent)
		if (has_quota(g) && !g->throttled &&
		    g->cpu.used >= g->limits.cpu_quota)
			throttle(k, g, p);
}

/* ---- limits ------------------------------------------------------------- */

static void life_end(void *arg, mos_timer_t *t)
{
	mos_proc_t *p = arg;
	mos_kernel_t *k = mos__proc_kernel(p);
	mos_res_proc_t *rp = mos__res(p);

	(void)t;
	cpu_kill(k, p, MOS_RLIMIT_LIFETIME,
		 mos_kernel_now(k) - mos__proc_times(p)->created,
		 rp->soft.max_creation_time);
}

static void life_fini(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	if (!rp->cpu.life_init)
		return;
	mos__ktimer_fini(k, &rp->cpu.life);
	rp->cpu.life_init = false;
}

/* Arm (or cancel) the lifetime timer; a limit already passed kills now. */
static void life_set(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_time_t limit = rp->soft.max_creation_time;
	mos_time_t due = mos__time_add_sat(mos__proc_times(p)->created, limit);

	if (!rp->cpu.life_init)
		return;
	mos__ktimer_cancel(k, &rp->cpu.life);
	if (limit == MOS_RLIM_INFINITY || due == MOS_TIME_NEVER)
		return;
	if (due <= mos_kernel_now(k)) {
		cpu_kill(k, p, MOS_RLIMIT_LIFETIME,
			 mos_kernel_now(k) - mos__proc_times(p)->created, limit);
		return;
	}
	mos__ktimer_arm(k, &rp->cpu.life, due, MOS_BAND_SIGNAL);
}

int mos__res_cpu_limits_prepare(mos_kernel_t *k, mos_proc_t *p,
				const mos_rlimits_t *soft)
{
	mos_res_proc_t *rp = mos__res(p);
	int err;

	if (soft->max_creation_time == MOS_RLIM_INFINITY || rp->cpu.life_init)
		return 0;
	if ((err = mos__ktimer_init(k, &rp->cpu.life, life_end, p, false)) < 0)
		return err;
	rp->cpu.life_init = true;
	mos__res_touch(rp, MOS_RES_TOUCH_CPU);
	return 0;
}

void mos__res_cpu_limits_changed(mos_kernel_t *k, mos_proc_t *p,
				 const mos_rlimits_t *old_soft,
				 const mos_rlimits_t *old_hard)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_time_t cpu = cpu_of(p);

	update_watch(k, p);
	if (rp->soft.max_creation_time != old_soft->max_creation_time)
		life_set(k, p);
	if (mos__proc_state(p) >= MOS_STATE_TERMINATED)
		return;
	if (rp->hard.max_cpu_time != old_hard->max_cpu_time &&
	    cpu >= rp->hard.max_cpu_time) {
		cpu_kill(k, p, MOS_RLIMIT_CPU, cpu, rp->hard.max_cpu_time);
		return;
	}
	if (rp->soft.max_cpu_time != old_soft->max_cpu_time) {
		rp->cpu.xcpu_next = rp->soft.max_cpu_time;
		if (cpu >= rp->cpu.xcpu_next &&
		    rp->soft.max_cpu_time != MOS_RLIM_INFINITY)
			xcpu(k, p, cpu);
	}
}

/* ---- a process's life ------------------------------------------------- */

static int cpu_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent)
{
	(void)parent;
	mos__res(p)->proc = p;
	return mos__res_cpu_limits_prepare(k, p, &mos__res(p)->soft);
}

static void cpu_born(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	rp->cpu.xcpu_next = rp->soft.max_cpu_time;
	update_watch(k, p);
	life_set(k, p);
	if (mos__res_group_of(k, p)->parent) {
		reweight(k, p);
		if (path_throttled(k, p))
			hold(k, p);
	}
}

void mos__res_cpu_moved(mos_kernel_t *k, mos_proc_t *p)
{
	mos__res(p)->proc = p;
	update_watch(k, p);
	reweight(k, p);
	if (path_throttled(k, p))
		hold(k, p);
	else
		unhold(k, p);
}

/* Runs before p is Terminated: the kernel's hold is left as it is (a
 * dead process is never queued again; its block is zeroed for reuse). */
static void cpu_exit(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_proc_t *rp = mos__res(p);

	if (rp->cpu.held)
		held_end(k, p);
	mos__proc_cpu_watch(p, false);
	life_fini(k, p);
}

static void cpu_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->throttled_time = rp->cpu.throttled_time;
}

const mos_res_module_t mos__res_cpu_module = {
	.name = "cpu",
	.kernel_fini = cpu_kernel_fini,
	.fork = cpu_fork,
	.born = cpu_born,
	.exit = cpu_exit,
	.release = life_fini,
	.lazy = MOS_RES_TOUCH_CPU,
	.fill = cpu_fill,
};
