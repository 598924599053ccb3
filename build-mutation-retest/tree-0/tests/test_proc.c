/*
 * tests/test_proc.c - process creation, the tree, states, reaping, history.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(proc, .timeout = T_TIMEOUT);

/* Acceptance 3a: a parent that exits before its children. */
Test(proc, orphans_go_to_init_and_end_defunct)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t parent = t_spawn(k, T_ARGV("script",
		"[{\"spawn\":[\"sleep\",\"10ms\"]},"
		"{\"spawn\":[\"crash\",\"9\",\"20ms\"]},{\"exit\":0}]"));
	mos_pid_t c1 = parent + 1, c2 = parent + 2;

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(t_info(k, parent).state, MOS_STATE_DEFUNCT);
	cr_assert_eq(t_info(k, c1).parent, MOS_PID_INIT);
	cr_assert_eq(t_info(k, c2).parent, MOS_PID_INIT);
	cr_assert_eq(t_info(k, c1).state, MOS_STATE_BLOCKED);
	cr_assert_eq(t_info(k, c2).state, MOS_STATE_RUNNING);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* c1 wakes at 10 ms, the instant c2's slice ends: c2, preempted,
	 * is queued first and runs to 20 ms; then c1 exits. */
	mos_process_info_t a = t_info(k, c1), b = t_info(k, c2);
	cr_assert_eq(a.state, MOS_STATE_DEFUNCT);
	cr_assert_eq(a.times.finished, MS(20));
	cr_assert_eq(a.times.reaped, MS(20));
	cr_assert_eq(a.times.ready_wait, MS(10));
	cr_assert(MOS_WIFEXITED(a.exit_status));
	cr_assert_eq(b.state, MOS_STATE_DEFUNCT);
	cr_assert_eq(b.times.finished, MS(20));
	cr_assert_eq(MOS_WEXITSTATUS(b.exit_status), 9);
	size_t n;
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 1); /* only init is left in the table */
	mos_kernel_destroy(k);
}

typedef struct waiter {
	mos_pid_t kids[3];
	mos_pid_t got[3];
	int status[3];
	int nohang_before;
	int echild;
} waiter_t;

static int waiter_main(mos_proc_t *self, int argc, char **argv)
{
	waiter_t *w = mos_sys_state(self);
	(void)argc;
	(void)argv;
	mos_sys_spawn(self, T_ARGV("crash", "3", "4ms"), &w->kids[0]);
	mos_sys_spawn(self, T_ARGV("cpu", "2ms"), &w->kids[1]);
	mos_sys_spawn(self, T_ARGV("crash", "77", "1ms"), &w->kids[2]);
	w->nohang_before = mos_sys_waitpid(self, -1, NULL, MOS_WNOHANG);
	/* wait for a specific child first, then any */
	w->got[0] = mos_sys_waitpid(self, w->kids[0], &w->status[0], 0);
	w->got[1] = mos_sys_wait(self, &w->status[1]);
	w->got[2] = mos_sys_wait(self, &w->status[2]);
	w->echild = mos_sys_wait(self, NULL);
	return 0;
}

/* Acceptance 3b: a parent that waits gets each child's exit status. */
Test(proc, wait_returns_each_exit_status)
{
	mos_kernel_t *k = t_kernel(NULL);
	waiter_t w;
	mos_pid_t pid;

	memset(&w, 0, sizeof(w));
	cr_assert_eq(mos_program_register(k, "waiter", waiter_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("waiter"), &w, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(w.nohang_before, 0);
	cr_assert_eq(w.got[0], w.kids[0]);
	cr_assert_eq(MOS_WEXITSTATUS(w.status[0]), 3);
	/* After kids[0] (4 ms in), the others are already zombies; wait
	 * takes them in the order they are children: kids[1], kids[2]. */
	cr_assert_eq(w.got[1], w.kids[1]);
	cr_assert_eq(MOS_WEXITSTATUS(w.status[1]), 0);
	cr_assert_eq(w.got[2], w.kids[2]);
	cr_assert_eq(MOS_WEXITSTATUS(w.status[2]), 77);
	cr_assert_eq(w.echild, MOS_ECHILD);
	for (int i = 0; i < 3; i++) {
		mos_process_info_t in = t_info(k, w.kids[i]);
		cr_assert_eq(in.state, MOS_STATE_DEFUNCT);
		cr_assert_eq(in.parent, pid);
	}
	mos_kernel_destroy(k);
}

/* Acceptance 3c: an unwaited child stays a Zombie until reaped. */
Test(proc, unwaited_child_stays_zombie)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t parent = t_spawn(k, T_ARGV("script",
		"[{\"spawn\":[\"cpu\",\"1ms\"]},{\"sleep\":\"50ms\"},"
		"{\"wait\":\"any\"},{\"sleep\":\"1ms\"}]"));
	mos_pid_t child = parent + 1;

	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	mos_process_info_t in = t_info(k, child);
	cr_assert_eq(in.state, MOS_STATE_ZOMBIE);
	cr_assert_eq(in.times.finished, MS(1));
	cr_assert_eq(in.times.reaped, MOS_TIME_NEVER);
	cr_assert_eq(mos_kernel_run(k, MS(50) + 1), 0);
	in = t_info(k, child);
	cr_assert_eq(in.state, MOS_STATE_DEFUNCT);
	cr_assert_eq(in.times.reaped, MS(50));
	cr_assert_eq(t_info(k, parent).state, MOS_STATE_BLOCKED);
	mos_kernel_destroy(k);
}

Test(proc, create_validates_and_changes_nothing)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t pid = 12345;
	size_t n;

	mos_config_default(&cfg);
	cfg.max_processes = 3;
	cfg.max_service_processes = 2;
	k = t_kernel(&cfg);
	cr_assert_eq(t_spawn_ex(k, 0, (mos_priority_t)6, MOS_CLASS_USER,
				T_ARGV("cpu", "1"), NULL, &pid), MOS_EINVALPRIO);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, (mos_prio_class_t)9,
				T_ARGV("cpu", "1"), NULL, &pid), MOS_EINVAL);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("nosuch"), NULL, &pid), MOS_ENOPROG);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("cpu", "ten"), NULL, &pid), MOS_ECONFIG);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("script", "[{\"fly\":1}]"), NULL, &pid),
		     MOS_ECONFIG);
	cr_assert_eq(t_spawn_ex(k, 77, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("cpu", "1"), NULL, &pid), MOS_EPROCNOTFOUND);
	cr_assert_eq(t_spawn_ex(k, -4, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("cpu", "1"), NULL, &pid), MOS_EINVALPID);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				(const char *const[]){NULL}, NULL, &pid), MOS_EINVAL);
	cr_assert_eq(mos_process_create(k, NULL, &pid), MOS_EINVAL);
	cr_assert_eq(pid, 12345);

	mos_process_spec_t spec;
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("cpu", "1");
	spec.environment = T_ARGV("A=1", "A=2");
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.environment = T_ARGV("NOEQUALS");
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.flags = 1u << 30;
	spec.environment = NULL;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);

	/* Nothing was created, no pid was used up. */
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(mos_trace_total(k), 1);
	/* max_processes counts init: two more fit, the third does not. */
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 2);
	cr_assert_eq(t_spawn(k, T_ARGV("idle")), 3);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_USER,
				T_ARGV("idle"), NULL, &pid), MOS_EEXHAUSTED);
	mos_kernel_destroy(k);
}

Test(proc, info_snapshot_fields)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_spec_t spec;
	mos_process_info_t in;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.priority = MOS_PRIO_HIGH;
	spec.prio_class = MOS_CLASS_INTERACTIVE;
	spec.flags = MOS_PROC_BACKGROUND;
	spec.command = T_ARGV("sleep", "5ms");
	spec.working_directory = "/tmp";
	spec.environment = T_ARGV("HOME=/root", "LANG=C");
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	in = t_info(k, pid);
	cr_assert_eq(in.pid, 2);
	cr_assert_eq(in.parent, 1);
	cr_assert_eq(in.state, MOS_STATE_READY);
	cr_assert_eq(in.priority, MOS_PRIO_HIGH);
	cr_assert_eq(in.prio_class, MOS_CLASS_INTERACTIVE);
	cr_assert_eq(in.flags, MOS_PROC_BACKGROUND);
	cr_assert_eq(in.argc, 2);
	cr_assert_str_eq(in.command[1], "5ms");
	cr_assert_null(in.command[2]);
	cr_assert_str_eq(in.working_directory, "/tmp");
	cr_assert_eq(in.envc, 2);
	cr_assert_str_eq(in.environment[1], "LANG=C");
	cr_assert_eq(in.times.first_run, MOS_TIME_NEVER);
	cr_assert_eq(mos_process_get_info(k, 0, &in), MOS_EINVALPID);
	cr_assert_eq(mos_process_get_info(k, 99, &in), MOS_EPROCNOTFOUND);
	cr_assert_eq(mos_process_get_info(k, pid, NULL), MOS_EINVAL);
	mos_kernel_destroy(k);
}

Test(proc, list_is_ascending_and_sized)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t pids[8];
	size_t n = 0;

	for (int i = 0; i < 5; i++)
		t_spawn(k, T_ARGV("idle"));
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 6);
	for (size_t i = 0; i < 8; i++)
		pids[i] = -1;
	n = 0;
	cr_assert_eq(mos_process_list(k, pids, 8, &n), 0);
	cr_assert_eq(n, 6);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(pids[i], (mos_pid_t)i + 1);
	cr_assert_eq(pids[6], -1, "wrote past the count");
	/* A short buffer: the first cap pids, and the whole count. */
	for (size_t i = 0; i < 8; i++)
		pids[i] = -1;
	n = 0;
	cr_assert_eq(mos_process_list(k, pids, 3, &n), 0);
	cr_assert_eq(n, 6);
	cr_assert_eq(pids[0], 1);
	cr_assert_eq(pids[1], 2);
	cr_assert_eq(pids[2], 3);
	cr_assert_eq(pids[3], -1, "wrote past cap");
	cr_assert_eq(mos_process_list(k, NULL, 3, &n), MOS_EINVAL);
	mos_kernel_destroy(k);
}

Test(proc, terminate_gives_signal_status)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("idle")), b = t_spawn(k, T_ARGV("cpu", "1s"));

	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_terminate(k, a, false), 0);
	cr_assert_eq(mos_process_terminate(k, b, true), 0);
	mos_process_info_t ia = t_info(k, a), ib = t_info(k, b);
	cr_assert_eq(ia.state, MOS_STATE_DEFUNCT);
	cr_assert(MOS_WIFSIGNALED(ia.exit_status));
	cr_assert_eq(MOS_WTERMSIG(ia.exit_status), MOS_SIGTERM);
	cr_assert_eq(MOS_WTERMSIG(ib.exit_status), MOS_SIGKILL);
	cr_assert_eq(ib.times.cpu_user, MS(3));
	cr_assert_eq(ib.times.finished, MS(3));
	cr_assert_eq(mos_process_terminate(k, a, true), MOS_EPROCNOTFOUND);
	cr_assert_eq(mos_process_terminate(k, 1, true), MOS_EPERM);
	cr_assert_eq(mos_process_terminate(k, -1, true), MOS_EINVALPID);
	/* The CPU is free again and the run ends at once. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), MS(3));
	mos_kernel_destroy(k);
}

Test(proc, terminate_zombie_is_invalid_state)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t parent = t_spawn(k, T_ARGV("script",
		"[{\"spawn\":[\"cpu\",\"1ms\"]},{\"sleep\":\"10ms\"}]"));

	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(t_info(k, parent + 1).state, MOS_STATE_ZOMBIE);
	cr_assert_eq(mos_process_terminate(k, parent + 1, true), MOS_EINVALSTATE);
	cr_assert_eq(mos_process_suspend(k, parent + 1), MOS_EINVALSTATE);
	/* Killing the parent hands the zombie to init, which reaps it. */
	cr_assert_eq(mos_process_terminate(k, parent, false), 0);
	cr_assert_eq(t_info(k, parent + 1).state, MOS_STATE_DEFUNCT);
	cr_assert_eq(t_info(k, parent + 1).times.reaped, MS(5));
	mos_kernel_destroy(k);
}

Test(proc, suspend_and_resume)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t s = t_spawn(k, T_ARGV("sleep", "4ms"));
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "10ms"));

	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	/* a is Running mid-burst, s Blocked on its timer */
	cr_assert_eq(mos_process_suspend(k, a), 0);
	cr_assert_eq(mos_process_suspend(k, s), 0);
	cr_assert_eq(mos_process_suspend(k, s), MOS_EINVALSTATE);
	cr_assert_eq(mos_process_resume(k, a + 10), MOS_EPROCNOTFOUND);
	cr_assert_eq(t_info(k, a).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_kernel_run(k, MS(6)), 0);
	/* s's timer fired while suspended: the wake-up is kept */
	cr_assert_eq(t_info(k, s).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(t_info(k, a).times.cpu_user, MS(2));
	cr_assert_eq(mos_process_resume(k, s), 0);
	cr_assert_eq(t_info(k, s).state, MOS_STATE_READY);
	cr_assert_eq(mos_process_resume(k, a), 0);
	cr_assert_eq(mos_process_resume(k, a), MOS_EINVALSTATE);
	cr_assert_eq(mos_process_suspend(k, 1), MOS_EPERM);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* s runs first (resumed first), then a's 8 ms rest: 6 + 8 */
	cr_assert_eq(t_info(k, s).times.finished, MS(6));
	cr_assert_eq(t_info(k, a).times.finished, MS(14));
	mos_kernel_destroy(k);
}

Test(proc, suspended_sleeper_resumes_blocked)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t s = t_spawn(k, T_ARGV("sleep", "10ms"));

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_suspend(k, s), 0);
	cr_assert_eq(mos_process_resume(k, s), 0);
	cr_assert_eq(t_info(k, s).state, MOS_STATE_BLOCKED);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, s).times.finished, MS(10));
	mos_kernel_destroy(k);
}

Test(proc, history_is_bounded)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_process_info_t in;
	mos_pid_t hist[4];
	size_t n;

	mos_config_default(&cfg);
	cfg.history_size = 2;
	k = t_kernel(&cfg);
	for (int i = 0; i < 4; i++)
		t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_process_get_info(k, 2, &in), MOS_EPROCNOTFOUND);
	cr_assert_eq(mos_process_get_info(k, 3, &in), MOS_EPROCNOTFOUND);
	cr_assert_eq(t_info(k, 4).state, MOS_STATE_DEFUNCT);
	cr_assert_eq(t_info(k, 5).times.cpu_user, MS(1));
	cr_assert_eq(mos_process_history(k, hist, 4, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(hist[0], 4);
	cr_assert_eq(hist[1], 5);
	mos_kernel_destroy(k);
}

Test(proc, names_and_parsing)
{
	mos_priority_t p;
	mos_prio_class_t c;

	cr_assert_str_eq(mos_state_name(MOS_STATE_DEFUNCT), "Defunct");
	cr_assert_str_eq(mos_state_name((mos_proc_state_t)99), "?");
	cr_assert_str_eq(mos_priority_name(MOS_PRIO_REALTIME), "RealTime");
	cr_assert_str_eq(mos_class_name(MOS_CLASS_INTERACTIVE), "Interactive");
	cr_assert_eq(mos_priority_parse("realtime", &p), 0);
	cr_assert_eq(p, MOS_PRIO_REALTIME);
	cr_assert_eq(mos_class_parse("Background", &c), 0);
	cr_assert_eq(c, MOS_CLASS_BACKGROUND);
	cr_assert_eq(mos_priority_parse("urgent", &p), MOS_EINVAL);
}
