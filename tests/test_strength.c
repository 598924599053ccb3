/*
 * tests/test_strength.c - kernel behaviour that no other test pinned down
 * (issue 16, section 3): accounting around yields and suspensions, the
 * cost of a context switch, the environment check, the pid list after
 * wrap-around, the spawn permission rule and the syscalls that are
 * preemption points.  Each expected value is worked out by hand in the
 * comment above its test (times in ms); each test fails under the
 * single-line fault its comment names.  The policies' side is in
 * test_strength_sched.c.
 */
#include "kernel/kernel_int.h"
#include "strength.h"
#include "timeout.h"

TestSuite(strength, .timeout = T_TIMEOUT);

/* ---- yield ---------------------------------------------------------------- */

/*
 * multios: A computes 1, yields, computes 1; B computes 2.  A 0-1, yields
 * to the tail behind B: B 1-3, A 3-4.  A waited Ready 1-3, B 0-1; the
 * yield is A's one voluntary switch.
 */
Test(strength, yield_ready_wait_and_trace)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("script", "[{\"compute\":\"1ms\"},"
				       "{\"yield\":true},{\"compute\":\"1ms\"}]"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "2ms"));
	mos_process_info_t ia, ib;
	char buf[512];

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	ia = t_info(k, a);
	ib = t_info(k, b);
	cr_assert_str_eq(T_HISTORY(k, a, buf), "create@0 dispatch@0 yield@1 "
			 "dispatch@3 exit@4 zombie@4 reap@4");
	cr_assert_eq(ia.times.ready_wait, MS(2));
	cr_assert_eq(ia.times.voluntary_switches, 1);
	cr_assert_eq(ia.times.involuntary_switches, 0);
	cr_assert_eq(ia.times.dispatches, 2);
	cr_assert_eq(ia.times.cpu_user, MS(2));
	cr_assert_eq(ib.times.ready_wait, MS(1));
	cr_assert_eq(ib.times.first_run, MS(1));
	cr_assert_eq(ib.times.finished, MS(3));
	mos_kernel_destroy(k);
}

/* ---- the cost of a context switch ------------------------------------------- */

/*
 * Switch cost 1.  A (2) runs 0-2 (the first dispatch is no switch); the
 * switch to B is idle CPU 2-3, B runs 3-6; the CPU idles 6-10; C,
 * admitted at 10, comes after an idle CPU, which is no switch: C 10-11.
 * Busy 6, idle 1 + 4, of which switching 1; at the end of a run to 20
 * the idle tail is counted too.  Half-way through the switch (2.5) half
 * of it is counted, and B is still Ready and not yet dispatched.
 * Faults: the idle or switching sum in switching() deleted; the
 * last_ran_pid reset of an idle CPU deleted (C would pay a switch).
 */
Test(strength, switch_cost_is_idle_cpu)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_kernel_stats_t st;
	mos_pid_t a, b, c;
	char buf[256];

	mos_config_default(&cfg);
	cfg.sched.switch_cost = MS(1);
	k = t_kernel(&cfg);
	a = t_spawn(k, T_ARGV("cpu", "2ms"));
	b = t_spawn(k, T_ARGV("cpu", "3ms"));
	c = t_spawn_attr(k, NULL, MS(10), T_ARGV("cpu", "1ms"));

	cr_assert_eq(mos_kernel_run(k, US(2500)), 0);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.busy, MS(2));
	cr_assert_eq(st.idle, US(500));
	cr_assert_eq(st.switching, US(500));
	cr_assert_eq(st.context_switches, 1);
	cr_assert_eq(st.dispatches, 1);
	cr_assert_eq(t_info(k, b).state, MOS_STATE_READY);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), MS(11));
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.busy, MS(6));
	cr_assert_eq(st.idle, MS(5));
	cr_assert_eq(st.switching, MS(1));
	cr_assert_eq(st.context_switches, 1);
	cr_assert_eq(st.dispatches, 3);
	cr_assert_eq(st.preemptions, 0);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 3:3 4:10");
	cr_assert_eq(t_info(k, a).times.finished, MS(2));
	cr_assert_eq(t_info(k, b).times.first_run, MS(3));
	cr_assert_eq(t_info(k, b).times.ready_wait, MS(3)); /* Ready during the switch */
	cr_assert_eq(t_info(k, c).times.ready_wait, 0);

	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.idle, MS(14));
	cr_assert_eq(st.switching, MS(1));
	cr_assert_eq(st.busy + st.idle, MS(20));
	mos_kernel_destroy(k);
}

/* ---- suspension ------------------------------------------------------------- */

/*
 * A (10), B (2), C (1).  At 3 the host suspends A, running mid-burst (an
 * involuntary switch, not a preemption by the scheduler), and C, Ready
 * (no switch at all).  B runs 3-5; the CPU idles 5-6; at 6 C and then A
 * are resumed, to the tail: C 6-7, A 7-14.  Waits: A 6-7, C 0-3 and 6-7;
 * suspended time is neither Ready nor Blocked.
 * Fault: the involuntary_switches count in mos_process_suspend deleted.
 */
Test(strength, suspend_running_is_involuntary)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "10ms"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "2ms"));
	mos_pid_t c = t_spawn(k, T_ARGV("cpu", "1ms"));
	mos_process_info_t ia, ic;
	mos_kernel_stats_t st;
	char buf[256];

	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(t_info(k, a).state, MOS_STATE_RUNNING);
	cr_assert_eq(mos_process_suspend(k, a), 0);
	cr_assert_eq(mos_process_suspend(k, c), 0);
	ia = t_info(k, a);
	cr_assert_eq(ia.state, MOS_STATE_SUSPENDED);
	cr_assert_eq(ia.times.involuntary_switches, 1);
	cr_assert_eq(ia.times.voluntary_switches, 0);
	cr_assert_eq(t_info(k, c).times.involuntary_switches, 0);
	cr_assert_eq(mos_kernel_run(k, MS(6)), 0);
	cr_assert_eq(mos_process_resume(k, c), 0);
	cr_assert_eq(mos_process_resume(k, a), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	ia = t_info(k, a);
	ic = t_info(k, c);
	cr_assert_str_eq(T_HISTORY(k, a, buf), "create@0 dispatch@0 suspend@3 "
			 "resume@6 dispatch@7 exit@14 zombie@14 reap@14");
	cr_assert_eq(ia.times.involuntary_switches, 1);
	cr_assert_eq(ia.times.voluntary_switches, 0);
	cr_assert_eq(ia.times.ready_wait, MS(1));
	cr_assert_eq(ia.times.blocked, 0);
	cr_assert_eq(ic.times.involuntary_switches, 0);
	cr_assert_eq(ic.times.ready_wait, MS(3));
	cr_assert_eq(ic.times.finished, MS(7));
	cr_assert_eq(t_info(k, b).times.finished, MS(5));
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.preemptions, 0);
	mos_kernel_destroy(k);
}

/* ---- the environment --------------------------------------------------------- */

static int create_env(mos_kernel_t *k, const char *const *env, mos_pid_t *pid)
{
	mos_process_spec_t spec;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("idle");
	spec.environment = env;
	return mos_process_create(k, &spec, pid);
}

/*
 * Keys are unique; a key is what comes before the first '=', so "A" and
 * "AB" are different keys, whichever comes first.  A refused environment
 * creates nothing and uses up no pid.
 * Fault: check_env comparing n instead of n + 1 bytes (the key without
 * its '=', so "AB=1" would clash with "A=2").
 */
Test(strength, environment_duplicate_keys)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t pid = 0;
	size_t n = 0;

	cr_assert_eq(create_env(k, T_ARGV("AB=1", "A=2"), &pid), 0);
	cr_assert_eq(pid, 2);
	cr_assert_eq(t_info(k, pid).envc, 2);
	cr_assert_str_eq(t_info(k, pid).environment[0], "AB=1");
	cr_assert_str_eq(t_info(k, pid).environment[1], "A=2");
	cr_assert_eq(create_env(k, T_ARGV("A=1", "AB=2", "ABC=", "B=A=1"), &pid), 0);
	cr_assert_eq(pid, 3);
	cr_assert_eq(t_info(k, pid).envc, 4);

	pid = 99;
	cr_assert_eq(create_env(k, T_ARGV("A=1", "A=2"), &pid), MOS_EINVAL);
	cr_assert_eq(create_env(k, T_ARGV("A=1", "B=2", "A=3"), &pid), MOS_EINVAL);
	cr_assert_eq(create_env(k, T_ARGV("AB=1", "AB="), &pid), MOS_EINVAL);
	cr_assert_eq(create_env(k, T_ARGV("=1"), &pid), MOS_EINVAL);
	cr_assert_eq(pid, 99);
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(create_env(k, T_ARGV("C=3"), &pid), 0);
	cr_assert_eq(pid, 4);
	mos_kernel_destroy(k);
}

/* ---- the pid list ------------------------------------------------------------- */

static void expect_list(mos_kernel_t *k, const mos_pid_t *want, size_t n)
{
	mos_pid_t got[8];
	size_t count = 0;

	cr_assert_eq(mos_process_list(k, NULL, 0, &count), 0);
	cr_assert_eq(count, n);
	cr_assert_eq(mos_process_list(k, got, 8, &count), 0);
	cr_assert_eq(count, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(got[i], want[i], "pids[%zu] = %d, want %d", i,
			     got[i], want[i]);
	/* A short buffer gets the smallest pids, whatever the slot order. */
	for (size_t cap = 1; cap < n; cap++) {
		mos_pid_t shortbuf[8] = {0};

		cr_assert_eq(mos_process_list(k, shortbuf, cap, &count), 0);
		cr_assert_eq(count, n);
		for (size_t i = 0; i < cap; i++)
			cr_assert_eq(shortbuf[i], want[i],
				     "cap %zu: pids[%zu] = %d, want %d", cap, i,
				     shortbuf[i], want[i]);
		cr_assert_eq(shortbuf[cap], 0, "cap %zu: wrote past it", cap);
	}
}

/*
 * max_processes 4: slots are pid mod 4.  Pids 2 (exits at 1), 3 and 4;
 * then 5 finds init's slot taken and is skipped, so the next process is
 * 6 (slot 2); 3 is killed and the next is 7 (slot 3).  The slots hold
 * 4, 1, 6, 7 in that order; the list is ascending.
 * Fault: the qsort in mos_process_list deleted.
 */
Test(strength, list_sorted_after_slot_wrap)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t p3;

	mos_config_default(&cfg);
	cfg.max_processes = 4;
	cfg.max_service_processes = 1;
	k = t_kernel(&cfg);
	cr_assert_eq(t_spawn(k, T_ARGV("cpu", "1ms")), 2);
	p3 = t_spawn(k, T_ARGV("idle"));
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 4);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 6);
	expect_list(k, (const mos_pid_t[]){1, 3, 4, 6}, 4);
	cr_assert_eq(mos_process_terminate(k, p3, false), 0);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 7);
	expect_list(k, (const mos_pid_t[]){1, 4, 6, 7}, 4);
	mos_kernel_destroy(k);
}

/*
 * The pid counter wraps from INT32_MAX to 2, skipping pids in use
 * (reaching it for real takes 2^31 creations, so the test sets the
 * counter, white box).  Default table: 2 (killed, so free again) and 3
 * (live), then INT32_MAX - 1, INT32_MAX, and after the wrap 2, then 4, 3
 * being taken.  Table of 4 slots: INT32_MAX - 1 (slot 2, exits at 1),
 * INT32_MAX (slot 3), then 2 and 3 find their slots taken: 4 (slot 0);
 * after the reap, 5 finds init's slot and 6 takes slot 2.  Slots: 4, 1,
 * 6, INT32_MAX.
 * Faults: the wrap value (2) changed; the qsort deleted.
 */
Test(strength, list_sorted_after_pid_counter_wrap)
{
	mos_config_t cfg;
	mos_kernel_t *k = t_kernel(NULL);

	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 2);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 3);
	cr_assert_eq(mos_process_terminate(k, 2, false), 0);
	k->pids.next = INT32_MAX - 1;
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), INT32_MAX - 1);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), INT32_MAX);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 2);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 4);
	expect_list(k, (const mos_pid_t[]){1, 2, 3, 4, INT32_MAX - 1, INT32_MAX},
		    6);
	mos_kernel_destroy(k);

	mos_config_default(&cfg);
	cfg.max_processes = 4;
	cfg.max_service_processes = 1;
	k = t_kernel(&cfg);
	k->pids.next = INT32_MAX - 1;
	cr_assert_eq(t_spawn(k, T_ARGV("cpu", "1ms")), INT32_MAX - 1);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), INT32_MAX);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 4);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, INT32_MAX - 1).state, MOS_STATE_DEFUNCT);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 6);
	expect_list(k, (const mos_pid_t[]){1, 4, 6, INT32_MAX}, 4);
	/* Slots 4, 1, 6, 3: the slot order's first two are not the two
	 * smallest (fault: the short buffer filled in slot order). */
	cr_assert_eq(mos_process_terminate(k, INT32_MAX, false), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	k->pids.next = 3;
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 3);
	expect_list(k, (const mos_pid_t[]){1, 3, 4, 6}, 4);
	mos_kernel_destroy(k);
}

/* Register main as name and start one process of it with arg as state. */
static mos_pid_t t_start(mos_kernel_t *k, const char *name, mos_main_fn main,
			 mos_priority_t prio, mos_prio_class_t cls, void *arg)
{
	mos_pid_t pid = 0;

	cr_assert_eq(mos_program_register(k, name, main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, prio, cls, (const char *const[]){name, NULL},
				arg, &pid), 0);
	return pid;
}

/* ---- the spawn permission rule ---------------------------------------------------- */

typedef struct perm {
	int rc_same, rc_higher, rc_lower, rc_nice_higher;
	mos_pid_t same;
} perm_t;

static int perm_user_main(mos_proc_t *self, int argc, char **argv)
{
	perm_t *pr = mos_sys_state(self);

	(void)argc;
	(void)argv;
	pr->rc_same = mos_sys_create_process(self, MOS_PRIO_NORMAL,
					     T_ARGV("idle"), &pr->same);
	pr->rc_higher = mos_sys_create_process(self, MOS_PRIO_HIGH,
					       T_ARGV("idle"), NULL);
	pr->rc_lower = mos_sys_create_process(self, MOS_PRIO_LOW,
					      T_ARGV("idle"), NULL);
	return 0;
}

static int perm_nice_main(mos_proc_t *self, int argc, char **argv)
{
	perm_t *pr = mos_sys_state(self);

	(void)argc;
	(void)argv;
	pr->rc_nice_higher = mos_sys_create_process(self, MOS_PRIO_CRITICAL,
						    T_ARGV("idle"), NULL);
	return 0;
}

/* Register main as name and start one process of it as uid 1000 with
 * capabilities caps, at Normal priority. */
static mos_pid_t t_start_as(mos_kernel_t *k, const char *name,
			    mos_main_fn main, uint32_t caps, void *arg)
{
	mos_pid_t pid = 0;

	cr_assert_eq(mos_program_register(k, name, main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, caps,
				(const char *const[]){name, NULL}, arg, &pid), 0);
	return pid;
}

/*
 * A Normal process without NICE may create a child at its own priority
 * (Normal) or below; High, above its own, needs NICE: MOS_EPERM, nothing
 * created.  A Normal process with NICE may create a Critical child.
 * Fault: `prio <= actor->priority` made `<`.
 */
Test(strength, spawn_permission_same_priority)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;
	perm_t pr = {1, 1, 1, 1, 0};

	t_start_as(k, "perm_user", perm_user_main, 0, &pr);
	t_start_as(k, "perm_nice", perm_nice_main, MOS_CAP_NICE, &pr);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(pr.rc_same, 0);
	cr_assert_eq(pr.same, 4);
	cr_assert_eq(t_info(k, pr.same).priority, MOS_PRIO_NORMAL);
	cr_assert_eq(pr.rc_higher, MOS_EPERM);
	cr_assert_eq(pr.rc_lower, 0);
	cr_assert_eq(pr.rc_nice_higher, 0);
	/* init, the two parents, same, lower (pid 5), the Critical child 6 */
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.processes_created, 6);
	cr_assert_eq(t_info(k, 5).priority, MOS_PRIO_LOW);
	cr_assert_eq(t_info(k, 6).priority, MOS_PRIO_CRITICAL);
	cr_assert_eq(t_info(k, 6).parent, 1); /* its parent exited */
	mos_kernel_destroy(k);
}

/* ---- spawn and terminate are preemption points ---------------------------------------- */

typedef struct scene {
	mos_pid_t victim;
	int rc_kill, rc_spawn, rc_create, status;
	mos_time_t t_spawned, t_created, t_killed;
} scene_t;

/* Low, System class: compute 1; spawn a Low child (same level: it goes
 * on); create a High one (it preempts); note the times; exit. */
static int spawner_main(mos_proc_t *self, int argc, char **argv)
{
	scene_t *sc = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(1));
	sc->rc_spawn = mos_sys_spawn(self, T_ARGV("cpu", "2ms"), NULL);
	sc->t_spawned = mos_sys_now(self);
	sc->rc_create = mos_sys_create_process(self, MOS_PRIO_HIGH,
					       T_ARGV("cpu", "2ms"), NULL);
	sc->t_created = mos_sys_now(self);
	return 0;
}

/*
 * S (Low) 0-1 spawns L (Low, pid 3): no preemption, S goes on at 1;
 * creates H (High, pid 4), which preempts S at that instant: H 1-3.  S
 * resumes at the head of Low at 3 and exits at once; L 3-5.
 * Faults: preemption_point in spawn() deleted (S would exit at 1); a
 * child at the caller's own level preempting.
 */
Test(strength, spawn_is_a_preemption_point_at_that_instant)
{
	mos_kernel_t *k = t_kernel(NULL);
	scene_t sc = {0};
	mos_pid_t s = t_start(k, "spawner", spawner_main, MOS_PRIO_LOW,
			      MOS_CLASS_SYSTEM, &sc);
	char buf[512];

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(sc.rc_spawn, 0);
	cr_assert_eq(sc.rc_create, 0);
	cr_assert_eq(sc.t_spawned, MS(1));
	cr_assert_eq(sc.t_created, MS(3));
	cr_assert_str_eq(T_HISTORY(k, s, buf), "create@0 dispatch@0 preempt@1 "
			 "dispatch@3 exit@3 zombie@3 reap@3");
	cr_assert_eq(t_info(k, s).times.involuntary_switches, 1);
	cr_assert_str_eq(T_DISPATCHES(k, buf), "2:0 4:1 2:3 3:3");
	cr_assert_eq(t_info(k, 4).times.finished, MS(3));
	cr_assert_eq(t_info(k, 3).times.finished, MS(5));
	mos_kernel_destroy(k);
}

/* High: create a Low victim that blocks forever, wait for it, compute 2. */
static int waiter_main(mos_proc_t *self, int argc, char **argv)
{
	scene_t *sc = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_create_process(self, MOS_PRIO_LOW, T_ARGV("idle"), &sc->victim);
	mos_sys_waitpid(self, sc->victim, &sc->status, 0);
	mos_sys_compute(self, MS(2));
	return 0;
}

/* Normal: compute 1, kill the victim, note the time, exit. */
static int killer_main(mos_proc_t *self, int argc, char **argv)
{
	scene_t *sc = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(1));
	sc->rc_kill = mos_sys_terminate_process(self, sc->victim);
	sc->t_killed = mos_sys_now(self);
	return 0;
}

/*
 * W (High, pid 2) creates V (Low, pid 4) and waits for it.  K (Normal,
 * pid 3) runs 0-1 and kills V: V's death wakes W, more urgent than K,
 * which is preempted at that instant.  W reaps V and computes 1-3; K
 * resumes at 3 and exits at once.  V never ran.
 * Fault: preemption_point in mos_sys_terminate_process deleted (K would
 * go on and exit at 1).
 */
Test(strength, terminate_is_a_preemption_point_at_that_instant)
{
	mos_kernel_t *k = t_kernel(NULL);
	scene_t sc = {0};
	mos_pid_t w = t_start(k, "waiter", waiter_main, MOS_PRIO_HIGH,
			      MOS_CLASS_USER, &sc);
	mos_pid_t kl = t_start(k, "killer", killer_main, MOS_PRIO_NORMAL,
			       MOS_CLASS_USER, &sc);
	mos_process_info_t iv;
	char buf[512];

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(sc.victim, 4);
	cr_assert_eq(sc.rc_kill, 0);
	cr_assert_eq(sc.t_killed, MS(3));
	cr_assert_eq(MOS_WTERMSIG(sc.status), MOS_SIGTERM);
	cr_assert_str_eq(T_HISTORY(k, kl, buf), "create@0 dispatch@0 preempt@1 "
			 "dispatch@3 exit@3 zombie@3 reap@3");
	cr_assert_str_eq(T_HISTORY(k, w, buf), "create@0 dispatch@0 wait@0 "
			 "wake@1 dispatch@1 exit@3 zombie@3 reap@3");
	cr_assert_eq(t_info(k, kl).times.involuntary_switches, 1);
	iv = t_info(k, sc.victim);
	cr_assert_eq(iv.state, MOS_STATE_DEFUNCT);
	cr_assert_eq(iv.times.first_run, MOS_TIME_NEVER);
	cr_assert_eq(iv.times.finished, MS(1));
	cr_assert_eq(iv.times.reaped, MS(1));
	mos_kernel_destroy(k);
}

/*
 * The same scene, one mos_kernel_step at a time: the step in which S
 * creates H ends with S already preempted (Ready, "preempt@1"), not
 * Running with a preemption pending for the next step.
 * Fault: the requeue of a process that stopped at a preemption point
 * deleted (the next step would do it, so a whole run looks the same).
 */
Test(strength, preemption_point_requeues_within_its_step)
{
	mos_kernel_t *k = t_kernel(NULL);
	scene_t sc = {0};
	mos_pid_t s = t_start(k, "spawner", spawner_main, MOS_PRIO_LOW,
			      MOS_CLASS_SYSTEM, &sc);
	mos_process_info_t in;
	char buf[512];
	int progressed = 1, steps = 0;

	while (mos_process_get_info(k, 4, &in) == MOS_EPROCNOTFOUND) {
		cr_assert(progressed && ++steps < 100, "H never created");
		cr_assert_eq(mos_kernel_step(k, &progressed), 0);
	}
	cr_assert_eq(mos_kernel_now(k), MS(1));
	cr_assert_eq(t_info(k, s).state, MOS_STATE_READY);
	cr_assert_str_eq(T_HISTORY(k, s, buf), "create@0 dispatch@0 preempt@1");
	mos_kernel_destroy(k);
}

/* A script that yields three times, then exits. */
#define YIELDER "[{\"repeat\":3,\"steps\":[{\"yield\":true}]}]"

/*
 * A step does one event, even after a run: two yielders created after
 * mos_kernel_run returned take one dispatch per step, as on a kernel
 * that never ran.  Fault: the run leaves direct yields on (a step would
 * then pass the CPU from yielder to yielder on their own stacks).
 */
Test(strength, step_after_run_does_one_event)
{
	mos_kernel_t *ran = t_kernel(NULL), *fresh = t_kernel(NULL);
	int p1 = 1, p2 = 1;

	cr_assert_eq(mos_kernel_run(ran, MOS_TIME_NEVER), 0);
	for (int i = 0; i < 2; i++) {
		t_spawn(ran, T_ARGV("script", YIELDER));
		t_spawn(fresh, T_ARGV("script", YIELDER));
	}
	for (int i = 0; p1 || p2; i++) {
		cr_assert_lt(i, 100);
		cr_assert_eq(mos_kernel_step(ran, &p1), 0);
		cr_assert_eq(mos_kernel_step(fresh, &p2), 0);
		cr_assert_eq(p1, p2, "step %d", i);
		cr_assert_eq(mos_trace_total(ran), mos_trace_total(fresh),
			     "step %d: %llu events after a run, %llu without", i,
			     (unsigned long long)mos_trace_total(ran),
			     (unsigned long long)mos_trace_total(fresh));
	}
	cr_assert_eq(mos_trace_hash(ran), mos_trace_hash(fresh));
	mos_kernel_destroy(ran);
	mos_kernel_destroy(fresh);
}

/* Up to 4096 arguments and 4096 environment entries; one more is
 * refused, and uses up no pid. */
Test(strength, argument_and_environment_counts)
{
	enum { MAX = 4096 };
	static char envbuf[MAX + 1][16];
	static const char *argv[MAX + 2], *envp[MAX + 2];
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_spec_t spec;
	mos_pid_t pid = 0;

	argv[0] = "idle";
	for (int i = 1; i <= MAX; i++)
		argv[i] = "x";
	for (int i = 0; i <= MAX; i++) {
		snprintf(envbuf[i], sizeof(envbuf[i]), "K%d=1", i);
		envp[i] = envbuf[i];
	}
	mos_process_spec_init(&spec);
	spec.command = argv;
	argv[MAX + 1] = NULL; /* 4097 arguments: idle takes none, but the
				 count is checked first */
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	argv[1] = NULL;
	spec.environment = envp;
	envp[MAX] = NULL; /* 4096 entries */
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	cr_assert_eq(pid, 2);
	envp[MAX] = envbuf[MAX]; /* 4097 */
	envp[MAX + 1] = NULL;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.environment = NULL;
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	cr_assert_eq(pid, 3);
	mos_kernel_destroy(k);
}

static int cmp_pid_asc(const void *a, const void *b)
{
	mos_pid_t x = *(const mos_pid_t *)a, y = *(const mos_pid_t *)b;
	return (x > y) - (x < y);
}

/*
 * A table of 64 slots filled with pids in scrambled order (the counter
 * set before each create, white box, as after many wrap-arounds): every
 * short buffer gets exactly the smallest pids, ascending.
 * Faults: any slip in the selection of the smallest (the max-heap's
 * sifts).
 */
Test(strength, list_short_buffers_get_the_smallest)
{
	enum { N = 60 };
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t want[N + 1], got[N + 2];
	size_t n = 0, count = 0;

	mos_config_default(&cfg);
	cfg.max_processes = 64;
	cfg.max_service_processes = 1;
	k = t_kernel(&cfg);
	want[n++] = 1;
	for (int i = 0; n < N; i++) {
		k->pids.next = 2 + (mos_pid_t)((i * 7919) % 100000);
		want[n++] = t_spawn(k, T_ARGV("idle"));
	}
	qsort(want, n, sizeof(*want), cmp_pid_asc);
	for (size_t cap = 0; cap <= n + 1; cap++) {
		for (size_t i = 0; i < N + 2; i++)
			got[i] = -7;
		cr_assert_eq(mos_process_list(k, cap ? got : NULL, cap, &count), 0);
		cr_assert_eq(count, n);
		for (size_t i = 0; i < cap && i < n; i++)
			cr_assert_eq(got[i], want[i], "cap %zu: [%zu] = %d, want %d",
				     cap, i, got[i], want[i]);
		for (size_t i = cap < n ? cap : n; i < N + 2; i++)
			cr_assert_eq(got[i], -7, "cap %zu: wrote [%zu]", cap, i);
	}
	mos_kernel_destroy(k);
}

/* get_info reports the scheduling attributes a process was created with;
 * tickets 0 means the default, 100. */
Test(strength, info_reports_sched_attributes)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_sched_attr_t attr = {0};
	mos_process_info_t in;

	in = t_info(k, t_spawn_attr(k, &attr, 0, T_ARGV("idle")));
	cr_expect_eq(in.sched.tickets, 100);
	cr_expect_eq(in.sched.rank, 0);
	attr.rank = -3;
	attr.tickets = 7;
	attr.period = MS(10);
	attr.deadline = MS(8);
	attr.burst = MS(2);
	in = t_info(k, t_spawn_attr(k, &attr, 0, T_ARGV("idle")));
	cr_expect_eq(in.sched.rank, -3);
	cr_expect_eq(in.sched.tickets, 7);
	cr_expect_eq(in.sched.period, MS(10));
	cr_expect_eq(in.sched.deadline, MS(8));
	cr_expect_eq(in.sched.burst, MS(2));
	mos_kernel_destroy(k);
}
