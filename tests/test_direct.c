/*
 * tests/test_direct.c - yields that switch straight from process to
 * process (mos__kernel_yield_direct) change nothing but the number of host
 * switches: the same scenario driven by mos_kernel_run (direct switches
 * allowed) and by mos_kernel_step (never: every switch goes through the
 * run loop) gives the same trace, byte for byte, and the same statistics.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "kernel/kernel_int.h"
#include "timeout.h"

TestSuite(direct_yield, .timeout = T_TIMEOUT);

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
	size_t n = 0;

	for (const char *const *name = mos_sched_policies(); *name; name++, n++)
		same_run(*name, 0);
	cr_assert_eq(n, 12);
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
	/* 599 of the 600 yields switch directly (one host switch each); the
	 * first goes through the loop, which starts the second spinner's
	 * coroutine on its own stack.  The loop resumes the first spinner,
	 * starts the second, and resumes it after the first exits (2 each):
	 * 605, against 1 204 when every switch goes through the loop. */
	cr_assert_eq(st.host_switches, 605, "%llu",
		     (unsigned long long)st.host_switches);
	mos_kernel_destroy(k);
}

/*
 * A direct yield runs kernel code on the yielder's stack.  Processes that
 * yield with little stack left (1 to 6 KiB above the canary) must run
 * exactly as through the loop: no canary hit, no neighbour's saved context
 * clobbered.  Within CANARY_NEAR (kernel.c) of the canary every yield goes
 * through the loop; well above it they go direct, next to the canary.  A
 * trace observer (which formats every event, and may need more stack than
 * the direct path allows) turns direct yields off: with one, no yield goes
 * direct at any depth, and the observer runs on the kernel's stack.
 */
#define CANARY_NEAR 4096

static size_t headroom;

static void observer(void *ud, const mos_trace_event_t *ev)
{
	char line[256];

	(void)ud;
	snprintf(line, sizeof(line), "%12.6f ms pid %d %s -> %s (%s)",
		 (double)ev->time / 1e6, ev->subject, mos_state_name(ev->a),
		 mos_state_name(ev->b), mos_cause_name(ev->cause));
}

static __attribute__((noinline)) int descend(mos_proc_t *self, int n)
{
	volatile char pad[64];
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	uintptr_t floor = (uintptr_t)self->stack->lo + MOS_STACK_CANARY_BYTES;

	pad[0] = (char)n;
	if (here > floor + headroom)
		return descend(self, n + 1) + pad[0];
	for (int i = 0; i < 3; i++)
		mos_sys_yield(self);
	return pad[0];
}

static int deep_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	descend(self, 0);
	return 0;
}

static uint64_t deep_run(bool by_steps, bool observe, uint32_t *signaled,
			 uint64_t *host_switches)
{
	mos_kernel_stats_t st;
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t pid[40];
	int progressed = 1;
	uint64_t hash;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "rr");
	k = t_kernel(&cfg);
	cr_assert_eq(mos_program_register(k, "deep", deep_main), 0);
	if (observe)
		cr_assert_eq(mos_trace_set_observer(k, observer, NULL), 0);
	for (int i = 0; i < 40; i++)
		pid[i] = t_spawn(k, T_ARGV("deep"));
	if (by_steps)
		while (progressed)
			cr_assert_eq(mos_kernel_step(k, &progressed), 0);
	else
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	*signaled = 0;
	for (int i = 0; i < 40; i++)
		*signaled += MOS_WIFSIGNALED(t_info(k, pid[i]).exit_status);
	hash = mos_trace_hash(k);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	*host_switches = st.host_switches;
	mos_kernel_destroy(k);
	return hash;
}

Test(direct_yield, deep_stacks_and_an_observer)
{
	size_t n = 0;

	for (headroom = 1024; headroom <= 6144; headroom += 512, n++) {
		for (int observe = 0; observe < 2; observe++) {
			uint32_t sa, sb;
			uint64_t ha, hb;
			uint64_t a = deep_run(false, observe, &sa, &ha);
			uint64_t b = deep_run(true, observe, &sb, &hb);

			cr_assert_eq(sa, 0, "headroom %zu: %u died", headroom, sa);
			cr_assert_eq(sb, 0);
			cr_assert_eq(a, b, "headroom %zu, observer %d", headroom,
				     observe);
			/* Fewer host switches: some yields went direct. */
			if (observe || headroom <= CANARY_NEAR)
				cr_assert_eq(ha, hb, "headroom %zu, observer %d: "
					     "a direct switch", headroom, observe);
			else if (headroom >= CANARY_NEAR + 1536)
				cr_assert_lt(ha, hb, "headroom %zu: no direct "
					     "switch", headroom);
		}
	}
	cr_assert_eq(n, 11);
}
