/*
 * tests/test_priority.c - changing a live process's priority
 * (mos_process_set_priority, mos_sys_set_priority; src/kernel/priority.c):
 * the errors, the exact orders under multios (the policy that reads the
 * level: sched.h's reprio hook), and no change at all under the eleven
 * others.  Who may change what is in test_cred.c.
 */
#include "kernel/kernel_int.h"
#include "strength.h"
#include "timeout.h"

TestSuite(priority, .timeout = T_TIMEOUT);

/* ---- set_priority: errors ----------------------------------------------- */

typedef struct err_run {
	mos_kernel_t *k;
	mos_pid_t child;
	int rc[7];
} err_run_t;

static int prio_errors_main(mos_proc_t *self, int argc, char **argv)
{
	err_run_t *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_spawn(self, T_ARGV("cpu", "1ms"), &r->child);
	mos_sys_sleep(self, MS(2)); /* the child exits: a zombie */
	r->rc[0] = mos_sys_set_priority(self, 0, (mos_priority_t)42);
	r->rc[1] = mos_sys_set_priority(self, 0, (mos_priority_t)-1);
	r->rc[2] = mos_sys_set_priority(self, -1, MOS_PRIO_LOW);
	r->rc[3] = mos_sys_set_priority(self, 99, MOS_PRIO_LOW);
	r->rc[4] = mos_sys_set_priority(self, 1, MOS_PRIO_LOW);
	r->rc[5] = mos_sys_set_priority(self, r->child, MOS_PRIO_LOW);
	r->rc[6] = mos_process_set_priority(r->k, r->child, MOS_PRIO_LOW);
	mos_sys_sleep(self, MOS_TIME_NEVER);
	return 0;
}

Test(priority, set_priority_errors)
{
	mos_kernel_t *k = t_kernel(NULL);
	err_run_t r = {k, 0, {1, 1, 1, 1, 1, 1, 1}};
	mos_kernel_stats_t st;
	mos_pid_t p;

	cr_assert_eq(mos_program_register(k, "errs", prio_errors_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("errs"), &r, &p), 0);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(r.rc[0], MOS_EINVALPRIO);
	cr_assert_eq(r.rc[1], MOS_EINVALPRIO);
	cr_assert_eq(r.rc[2], MOS_EINVALPID);
	cr_assert_eq(r.rc[3], MOS_EPROCNOTFOUND);
	cr_assert_eq(r.rc[4], MOS_EPERM);
	cr_assert_eq(r.rc[5], MOS_EINVALSTATE);
	cr_assert_eq(r.rc[6], MOS_EINVAL); /* the host's call, from a program */
	cr_assert_eq(t_info(k, r.child).state, MOS_STATE_ZOMBIE);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.permission_denials, 0); /* init's: no credential check */

	cr_assert_eq(mos_process_set_priority(NULL, p, MOS_PRIO_LOW), MOS_EINVAL);
	cr_assert_eq(mos_process_set_priority(k, p, MOS_PRIO_COUNT),
		     MOS_EINVALPRIO);
	cr_assert_eq(mos_process_set_priority(k, 0, MOS_PRIO_LOW), MOS_EINVALPID);
	cr_assert_eq(mos_process_set_priority(k, -4, MOS_PRIO_LOW),
		     MOS_EINVALPID);
	cr_assert_eq(mos_process_set_priority(k, 99, MOS_PRIO_LOW),
		     MOS_EPROCNOTFOUND);
	cr_assert_eq(mos_process_set_priority(k, 1, MOS_PRIO_LOW), MOS_EPERM);
	cr_assert_eq(mos_process_set_priority(k, r.child, MOS_PRIO_LOW),
		     MOS_EINVALSTATE);
	cr_assert_eq(t_info(k, 1).priority, MOS_PRIO_CRITICAL);
	cr_assert_eq(t_info(k, r.child).priority, MOS_PRIO_NORMAL);
	cr_assert_eq(t_info(k, p).priority, MOS_PRIO_NORMAL);
	/* The host is root with every capability: any process, any level. */
	cr_assert_eq(mos_process_set_priority(k, p, MOS_PRIO_CRITICAL), 0);
	cr_assert_eq(t_info(k, p).priority, MOS_PRIO_CRITICAL);
	mos_kernel_destroy(k);
}

/* ---- set_priority: exact orders -------------------------------------------- */

static mos_pid_t cpu_at(mos_kernel_t *k, mos_priority_t prio, mos_time_t start,
			const char *burst)
{
	mos_process_spec_t spec;

	mos_process_spec_init(&spec);
	spec.priority = prio;
	spec.start_time = start;
	spec.command = (const char *const[]){"cpu", burst, NULL};
	return t_make(k, &spec);
}

/*
 * multios, A B C Normal (4 ms each).  At 1 C is raised to High: it
 * preempts A at that instant (A heads Normal again).  At 2 raising C to
 * High again changes nothing; B, then A, raised to High go to its tail
 * in that order, behind C which runs on: C 1-5, B 5-9, A 9-12 (A had
 * 1 ms done), though A was ahead of B in Normal.
 */
Test(priority, multios_raised_goes_to_the_tail_and_preempts)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	mos_pid_t b = cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	mos_pid_t c = cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	char buf[256];

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_set_priority(k, c, MOS_PRIO_HIGH), 0);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_str_eq(T_HISTORY(k, a, buf), "create@0 dispatch@0 preempt@1");
	cr_assert_eq(mos_process_set_priority(k, c, MOS_PRIO_HIGH), 0);
	cr_assert_eq(mos_process_set_priority(k, b, MOS_PRIO_HIGH), 0);
	cr_assert_eq(mos_process_set_priority(k, a, MOS_PRIO_HIGH), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 4:1 3:5 2:9");
	cr_assert_eq(t_info(k, a).times.finished, MS(12));
	cr_assert_eq(t_info(k, a).priority, MOS_PRIO_HIGH);
	mos_kernel_destroy(k);
}

/* A (High) runs; D (High, queued) lowered to Normal at 1 heads Normal,
 * before B and C that waited there longer: A 0-4, D 4-8, B, C. */
Test(priority, multios_lowered_goes_to_the_head)
{
	mos_kernel_t *k = t_kernel(NULL);
	char buf[256];
	mos_pid_t d;

	cpu_at(k, MOS_PRIO_HIGH, 0, "4ms");
	cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	d = cpu_at(k, MOS_PRIO_HIGH, 0, "4ms");
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_set_priority(k, d, MOS_PRIO_NORMAL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 5:4 3:8 4:12");
	mos_kernel_destroy(k);
}

/*
 * A (High) runs, B and C (Normal) wait.  Lowered to Normal at 1, A is
 * not outranked and runs on; lowered to Low at 2, it is preempted at
 * that instant and heads Low: B 2-6, C 6-10, A 10-12.
 */
Test(priority, multios_running_lowered_is_preempted_when_outranked)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = cpu_at(k, MOS_PRIO_HIGH, 0, "4ms");
	char buf[256];

	cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_set_priority(k, a, MOS_PRIO_NORMAL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_str_eq(T_HISTORY(k, a, buf), "create@0 dispatch@0");
	cr_assert_eq(mos_process_set_priority(k, a, MOS_PRIO_LOW), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:2 4:6 2:10");
	cr_assert_str_eq(T_HISTORY(k, a, buf), "create@0 dispatch@0 preempt@2 "
			 "dispatch@10 exit@12 zombie@12 reap@12");
	cr_assert_eq(t_info(k, a).times.involuntary_switches, 1);
	mos_kernel_destroy(k);
}

/*
 * Outside the runnable set the change waits for the process to enter
 * it: B, suspended, and C, New until 3, are raised to High at 1, which
 * preempts nothing; B resumed at 2 preempts A then, C admitted at 3
 * queues behind it: A 0-2, B 2-6, C 6-10, A 10-12.
 */
Test(priority, multios_suspended_and_new_take_their_level_when_they_enter)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	mos_pid_t b = cpu_at(k, MOS_PRIO_NORMAL, 0, "4ms");
	mos_pid_t c = cpu_at(k, MOS_PRIO_NORMAL, MS(3), "4ms");
	char buf[256];

	cr_assert_eq(mos_process_suspend(k, b), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_set_priority(k, b, MOS_PRIO_HIGH), 0);
	cr_assert_eq(mos_process_set_priority(k, c, MOS_PRIO_HIGH), 0);
	cr_assert_eq(t_info(k, c).state, MOS_STATE_NEW);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_str_eq(T_HISTORY(k, a, buf), "create@0 dispatch@0");
	cr_assert_eq(mos_process_resume(k, b), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:2 4:6 2:10");
	cr_assert_str_eq(T_HISTORY(k, c, buf), "create@3 dispatch@6 exit@10 "
			 "zombie@10 reap@10");
	mos_kernel_destroy(k);
}

typedef struct self_run {
	mos_pid_t other;
	int rc;
	mos_time_t after;
} self_run_t;

/* Compute 1 ms; lower itself to Low, or raise `other` to High; note
 * when the call returned; compute 1 ms. */
static int reprio_main(mos_proc_t *self, int argc, char **argv)
{
	self_run_t *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(1));
	r->rc = mos_sys_set_priority(self, r->other,
				     r->other ? MOS_PRIO_HIGH : MOS_PRIO_LOW);
	r->after = mos_sys_now(self);
	mos_sys_compute(self, MS(1));
	return 0;
}

/*
 * P (Normal) and B (Normal, 2 ms).  At 1 P lowers itself below B, or
 * raises B above itself: either way the call is a preemption point, and
 * P is preempted before it returns: B 1-3, and the call returns at 3.
 */
Test(priority, set_priority_syscall_is_a_preemption_point)
{
	for (int raise = 0; raise < 2; raise++) {
		mos_kernel_t *k = t_kernel(NULL);
		self_run_t r = {raise ? 3 : 0, 1, 0};
		char buf[256];
		mos_pid_t p;

		cr_assert_eq(mos_program_register(k, "reprio", reprio_main), 0);
		cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
					T_ARGV("reprio"), &r, &p), 0);
		cr_assert_eq(cpu_at(k, MOS_PRIO_NORMAL, 0, "2ms"), 3);
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_eq(r.rc, 0);
		cr_assert_eq(r.after, MS(3), "raise %d", raise);
		cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:1 2:3");
		cr_assert_str_eq(T_HISTORY(k, p, buf), "create@0 dispatch@0 "
				 "preempt@1 dispatch@3 exit@4 zombie@4 reap@4");
		cr_assert_eq(t_info(k, raise ? 3 : p).priority,
			     raise ? MOS_PRIO_HIGH : MOS_PRIO_LOW);
		mos_kernel_destroy(k);
	}
}

/*
 * The same scene with and without priority changes at 1, 2 and 3 ms (a
 * running, a queued, a blocked and a New process among them), run in the
 * same steps.  Only multios reads the level: under every other policy
 * the trace is byte for byte the same (not even a preemption check
 * happens that would not have), under multios it is not.
 */
static uint64_t reprio_scene(const char *policy, bool calls)
{
	mos_kernel_t *k = t_policy_kernel(policy);
	mos_pid_t a = cpu_at(k, MOS_PRIO_NORMAL, 0, "6ms");
	mos_pid_t b = cpu_at(k, MOS_PRIO_NORMAL, 0, "6ms");
	mos_pid_t c = t_spawn(k, T_ARGV("script", "[{\"compute\":\"1ms\"},"
				       "{\"sleep\":\"2ms\"},{\"compute\":\"2ms\"}]"));
	mos_pid_t d = cpu_at(k, MOS_PRIO_NORMAL, MS(2), "3ms");
	uint64_t hash;

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	if (calls) {
		cr_assert_eq(mos_process_set_priority(k, a, MOS_PRIO_HIGH), 0);
		cr_assert_eq(mos_process_set_priority(k, b, MOS_PRIO_LOW), 0);
		cr_assert_eq(mos_process_set_priority(k, c, MOS_PRIO_CRITICAL), 0);
	}
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	if (calls) {
		cr_assert_eq(t_info(k, d).state, MOS_STATE_NEW);
		cr_assert_eq(mos_process_set_priority(k, d, MOS_PRIO_IDLE), 0);
		cr_assert_eq(mos_process_set_priority(k, c, MOS_PRIO_IDLE), 0);
		cr_assert_eq(mos_process_set_priority(k, a, MOS_PRIO_NORMAL), 0);
	}
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	if (calls)
		cr_assert_eq(mos_process_set_priority(k, b, MOS_PRIO_REALTIME), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	if (calls) {
		cr_assert_eq(t_info(k, a).priority, MOS_PRIO_NORMAL);
		cr_assert_eq(t_info(k, b).priority, MOS_PRIO_REALTIME);
		cr_assert_eq(t_info(k, d).priority, MOS_PRIO_IDLE);
	}
	hash = mos_trace_hash(k);
	mos_kernel_destroy(k);
	return hash;
}

Test(priority, set_priority_changes_no_order_under_the_other_policies)
{
	const char *const *names = mos_sched_policies();
	int others = 0;

	for (size_t i = 0; names[i]; i++) {
		cr_assert_not_null(mos__sched_find(names[i])->reprio, "%s",
				   names[i]);
		if (strcmp(names[i], "multios") == 0)
			continue;
		others++;
		cr_assert_eq(reprio_scene(names[i], true),
			     reprio_scene(names[i], false), "%s", names[i]);
	}
	cr_assert_eq(others, 11);
	cr_assert_neq(reprio_scene("multios", true),
		      reprio_scene("multios", false));
}

/*
 * priority with aging checks for preemption only on ticks: A (number 0)
 * runs, B (number 5) ages past it after 5 ms and takes the CPU at the
 * next tick, 10.  A priority change at 7 must not bring that forward
 * (the policy's reprio asks for no preemption check).
 */
static uint64_t aging_scene(bool calls, char *buf, size_t size)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_sched_attr_t attr = {0};
	mos_pid_t a;
	uint64_t hash;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "priority");
	cfg.sched.aging = MS(1);
	cfg.sched.tick = MS(10);
	k = t_kernel(&cfg);
	a = t_spawn_attr(k, &attr, 0, T_ARGV("cpu", "30ms"));
	attr.rank = 5;
	t_spawn_attr(k, &attr, 0, T_ARGV("cpu", "5ms"));
	cr_assert_eq(mos_kernel_run(k, MS(7)), 0);
	if (calls)
		cr_assert_eq(mos_process_set_priority(k, a, MOS_PRIO_IDLE), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	t_trace_str(k, 0, MOS_CAUSE_DISPATCH, buf, size);
	hash = mos_trace_hash(k);
	mos_kernel_destroy(k);
	return hash;
}

Test(priority, set_priority_checks_no_preemption_a_policy_did_not_ask_for)
{
	char with[128], without[128];

	cr_assert_eq(aging_scene(true, with, sizeof(with)),
		     aging_scene(false, without, sizeof(without)));
	cr_assert_str_eq(with, "2:0 3:10 2:15");
}
