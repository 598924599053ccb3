/*
 * tests/test_direct.c - yields that switch straight from process to
 * process (mos__kernel_yield_direct) change nothing but the number of host
 * switches: the same scenario driven by mos_kernel_run (direct switches
 * allowed) and by mos_kernel_step (never: every switch goes through the
 * run loop) gives the same trace, byte for byte, and the same statistics.
 */
#include <string.h>

#include "helpers.h"

/* Yielders, computers, sleepers, spawners and waiters at two levels, so
 * that yields meet due timers, preemptions, slices and other requests. */
static const char *const yielder[] = {
	"script", "[{\"repeat\":40,\"steps\":[{\"yield\":true},{\"yield\":true},"
		  "{\"compute\":\"1ms\"},{\"yield\":true},{\"sleep\":\"2ms\"}]}]",
	NULL};
static const char *const spinner[] = {
	"script", "[{\"repeat\":300,\"steps\":[{\"yield\":true}]}]", NULL};
static const char *const parent[] = {
	"script", "[{\"spawn\":[\"script\",[{\"yield\":true},{\"compute\":\"3ms\"},"
		  "{\"yield\":true}]]},{\"yield\":true},"
		  "{\"spawn\":[\"cpu\",\"2ms\"]},{\"yield\":true},"
		  "{\"wait\":\"all\"},{\"yield\":true}]",
	NULL};

static mos_kernel_t *scenario(const char *policy, mos_time_t switch_cost)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t pid;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	cfg.sched.switch_cost = switch_cost;
	k = t_kernel(&cfg);
	for (int i = 0; i < 3; i++)
		t_spawn(k, yielder);
	for (int i = 0; i < 4; i++)
		t_spawn(k, spinner);
	t_spawn(k, parent);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_HIGH, MOS_CLASS_SYSTEM, yielder,
				NULL, &pid), 0);
	t_spawn(k, T_ARGV("io", "1ms", "1ms", "30"));
	return k;
}

static void same_run(const char *policy, mos_time_t switch_cost)
{
	mos_kernel_t *a = scenario(policy, switch_cost);
	mos_kernel_t *b = scenario(policy, switch_cost);
	mos_kernel_stats_t sa, sb;
	int progressed = 1;

	cr_assert_eq(mos_kernel_run(a, MOS_TIME_NEVER), 0);
	while (progressed)
		cr_assert_eq(mos_kernel_step(b, &progressed), 0);
	cr_assert_eq(mos_trace_hash(a), mos_trace_hash(b), "%s", policy);
	cr_assert_eq(mos_kernel_now(a), mos_kernel_now(b), "%s", policy);
	cr_assert_eq(mos_kernel_stats(a, &sa), 0);
	cr_assert_eq(mos_kernel_stats(b, &sb), 0);
	cr_assert_gt(sa.processes_exited, 10);
	if (switch_cost == 0)
		cr_assert_lt(sa.host_switches, sb.host_switches,
			     "%s: no direct switch happened", policy);
	else
		cr_assert_eq(sa.host_switches, sb.host_switches, "%s", policy);
	sa.host_switches = sb.host_switches = 0;
	cr_assert(memcmp(&sa, &sb, sizeof(sa)) == 0, "%s: statistics differ",
		  policy);
	mos_kernel_destroy(a);
	mos_kernel_destroy(b);
}

Test(direct_yield, same_trace_as_the_run_loop_under_every_policy)
{
	for (const char *const *name = mos_sched_policies(); *name; name++)
		same_run(*name, 0);
}

/* With a switch cost every switch needs the run loop: none is direct. */
Test(direct_yield, none_with_a_switch_cost)
{
	same_run("multios", MS(1));
	same_run("rr", MS(1));
}

/* Two yielders at one level: every yield is a direct switch. */
Test(direct_yield, one_host_switch_per_switch)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;

	t_spawn(k, spinner);
	t_spawn(k, spinner);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.dispatches, 2 * 301);
	/* All 600 yields switch directly (one host switch each).  The loop
	 * resumes the first spinner (in and back: 2) and, after the first
	 * exits, the second one for its exit (2): 604, against 1 204 when
	 * every switch goes through the loop. */
	cr_assert_eq(st.host_switches, 604);
	mos_kernel_destroy(k);
}
