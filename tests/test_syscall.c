/*
 * tests/test_syscall.c - system calls as simulated programs see them.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(syscall, .timeout = T_TIMEOUT);

typedef struct probe {
	mos_pid_t pid, ppid, child;
	mos_time_t t0, t1, t2;
	int rc_create_hi, rc_create_ok, rc_term_init, rc_term_child;
	int rc_info, rc_bad_wait, rc_bad_prio;
	mos_process_info_t info;
	uint64_t r1, r2;
} probe_t;

static int probe_main(mos_proc_t *self, int argc, char **argv)
{
	probe_t *pr = mos_sys_state(self);
	(void)argc;
	(void)argv;
	pr->pid = mos_sys_getpid(self);
	pr->ppid = mos_sys_getppid(self);
	pr->t0 = mos_sys_now(self);
	mos_sys_compute(self, MS(3));
	pr->t1 = mos_sys_now(self);
	mos_sys_sleep(self, MS(2));
	pr->t2 = mos_sys_now(self);
	pr->rc_create_hi = mos_sys_create_process(self, MOS_PRIO_CRITICAL,
						  T_ARGV("cpu", "1ms"), NULL);
	pr->rc_bad_prio = mos_sys_create_process(self, (mos_priority_t)42,
						 T_ARGV("cpu", "1ms"), NULL);
	pr->rc_create_ok = mos_sys_create_process(self, MOS_PRIO_LOW,
						  T_ARGV("idle"), &pr->child);
	pr->rc_info = mos_sys_get_process_info(self, pr->child, &pr->info);
	pr->rc_term_init = mos_sys_terminate_process(self, 1);
	pr->rc_term_child = mos_sys_terminate_process(self, pr->child);
	pr->rc_bad_wait = mos_sys_waitpid(self, 0, NULL, 0);
	pr->r1 = mos_sys_random(self);
	pr->r2 = mos_sys_random(self);
	mos_sys_wait(self, NULL);
	return 5;
}

Test(syscall, basic_calls_and_rights)
{
	mos_kernel_t *k = t_kernel(NULL);
	probe_t pr;
	mos_pid_t pid;

	memset(&pr, 0, sizeof(pr));
	cr_assert_eq(mos_program_register(k, "probe", probe_main), 0);
	cr_assert_eq(mos_program_register(k, "probe", probe_main), MOS_EPROCEXISTS);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("probe"), &pr, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(pr.pid, pid);
	cr_assert_eq(pr.ppid, 1);
	cr_assert_eq(pr.t0, 0);
	cr_assert_eq(pr.t1, MS(3));
	cr_assert_eq(pr.t2, MS(5));
	cr_assert_eq(pr.rc_create_hi, MOS_EPERM);
	cr_assert_eq(pr.rc_bad_prio, MOS_EINVALPRIO);
	cr_assert_eq(pr.rc_create_ok, 0);
	cr_assert_eq(pr.rc_info, 0);
	cr_assert_eq(pr.info.priority, MOS_PRIO_LOW);
	cr_assert_eq(pr.info.parent, pid);
	cr_assert_eq(pr.rc_term_init, MOS_EPERM);
	cr_assert_eq(pr.rc_term_child, 0);
	cr_assert_eq(pr.rc_bad_wait, MOS_EINVAL);
	cr_assert_neq(pr.r1, pr.r2);
	mos_process_info_t in = t_info(k, pid);
	cr_assert_eq(MOS_WEXITSTATUS(in.exit_status), 5);
	cr_assert_eq(MOS_WTERMSIG(t_info(k, pr.child).exit_status), MOS_SIGTERM);
	cr_assert_eq(in.times.syscalls, 19);
	mos_kernel_destroy(k);
}

static int self_kill_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_terminate_process(self, mos_sys_getpid(self));
	return 0; /* never reached */
}

Test(syscall, terminate_self_dies_by_sigterm)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t pid;

	cr_assert_eq(mos_program_register(k, "selfkill", self_kill_main), 0);
	pid = t_spawn(k, T_ARGV("selfkill"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(MOS_WTERMSIG(t_info(k, pid).exit_status), MOS_SIGTERM);
	mos_kernel_destroy(k);
}

static int spawner_main(mos_proc_t *self, int argc, char **argv)
{
	mos_pid_t *order = mos_sys_state(self);
	(void)argc;
	(void)argv;
	/* A High child preempts this Normal parent as soon as it exists. */
	mos_sys_create_process(self, MOS_PRIO_NORMAL, T_ARGV("cpu", "1ms"), NULL);
	order[0] = (mos_pid_t)(mos_sys_now(self) / MOS_MSEC);
	return 0;
}

Test(syscall, spawn_is_a_preemption_point)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t order[1] = {-1}, pid;
	mos_trace_event_t ev;
	size_t n;

	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_HIGH, MOS_CLASS_SYSTEM,
				T_ARGV("spawner"), order, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* Same priority child: no preemption, parent goes on at t=0. */
	cr_assert_eq(order[0], 0);
	cr_assert_eq(mos_trace_get(k, 0, &ev, &n), 0);
	mos_kernel_destroy(k);

	k = t_kernel(NULL);
	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_SYSTEM,
				T_ARGV("spawner"), order, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* System-class Low parent makes a Normal child: it runs first, and
	 * the parent only resumes at 1 ms. */
	cr_assert_eq(order[0], 1);
	cr_assert_eq(t_info(k, pid).times.involuntary_switches, 1);
	mos_kernel_destroy(k);
}

Test(syscall, host_calls_refused_inside_run)
{
	/* mos_kernel_run from inside a program is refused. */
	mos_kernel_t *k = t_kernel(NULL);
	cr_assert_eq(mos_kernel_run(NULL, 0), MOS_EINVAL);
	cr_assert_eq(mos_kernel_step(NULL, NULL), MOS_EINVAL);
	mos_kernel_destroy(k);
}
