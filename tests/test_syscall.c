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
	pr->rc_bad_wait = mos_sys_waitpid(self, -1, NULL, 0x40); /* no such option */
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
	/* uid 1000 without capabilities: no Critical child, no signal to
	 * init; its own child (uid 1000 too) it may terminate. */
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, T_ARGV("probe"),
				&pr, &pid), 0);
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
	mos_kernel_stats_t st;
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.permission_denials, 2);
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
	/* A Normal child: it preempts a parent of lower priority as soon as
	 * it exists, not a parent of higher priority. */
	mos_sys_create_process(self, MOS_PRIO_NORMAL, T_ARGV("cpu", "1ms"), NULL);
	order[0] = (mos_pid_t)(mos_sys_now(self) / MOS_MSEC);
	return 0;
}

/* Events 3 and 4 of the trace (after init's wait, the parent's create
 * and dispatch): the child's creation, then what the parent did next. */
static void expect_after_spawn(mos_kernel_t *k, mos_pid_t parent,
			       mos_proc_state_t parent_to, mos_cause_t why,
			       size_t total)
{
	mos_trace_event_t ev;
	size_t n = 0;

	cr_assert_eq(mos_trace_get(k, 3, &ev, &n), 0);
	cr_assert_eq(n, total);
	cr_assert_eq(ev.time, 0);
	cr_assert_eq(ev.subject, parent + 1);
	cr_assert_eq(ev.a, MOS_STATE_NEW);
	cr_assert_eq(ev.b, MOS_STATE_READY);
	cr_assert_eq(ev.cause, MOS_CAUSE_CREATE);
	cr_assert_eq(mos_trace_get(k, 4, &ev, NULL), 0);
	cr_assert_eq(ev.time, 0);
	cr_assert_eq(ev.subject, parent);
	cr_assert_eq(ev.a, MOS_STATE_RUNNING);
	cr_assert_eq(ev.b, parent_to, "%s", mos_state_name(ev.b));
	cr_assert_eq(ev.cause, why, "%s", mos_cause_name(ev.cause));
}

Test(syscall, spawn_is_a_preemption_point)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t order[1] = {-1}, pid;

	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_HIGH, MOS_CLASS_SYSTEM,
				T_ARGV("spawner"), order, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* High parent, Normal child: no preemption, the parent goes on and
	 * exits at 0. */
	cr_assert_eq(order[0], 0);
	expect_after_spawn(k, pid, MOS_STATE_TERMINATED, MOS_CAUSE_EXIT, 11);
	cr_assert_eq(t_info(k, pid).times.involuntary_switches, 0);
	mos_kernel_destroy(k);

	k = t_kernel(NULL);
	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_LOW, MOS_CLASS_SYSTEM,
				T_ARGV("spawner"), order, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* System-class Low parent makes a Normal child: it runs first, and
	 * the parent only resumes at 1 ms. */
	cr_assert_eq(order[0], 1);
	expect_after_spawn(k, pid, MOS_STATE_READY, MOS_CAUSE_PREEMPT, 13);
	cr_assert_eq(t_info(k, pid).times.involuntary_switches, 1);
	mos_kernel_destroy(k);
}

/*
 * The host API is for the host: called from inside a running program (on
 * the program's own kernel) every call that would move time or change the
 * process table is refused with MOS_EINVAL and changes nothing.
 */
typedef struct host_calls {
	mos_kernel_t *k;
	mos_pid_t victim;      /* a live process the calls aim at */
	bool call;             /* make the calls (false: the control run) */
	int rc_run, rc_step, rc_create, rc_term, rc_kill, rc_susp, rc_resume;
	int progressed;        /* left alone by the refused step */
	mos_pid_t created;     /* left alone by the refused create */
} host_calls_t;

static int host_caller_main(mos_proc_t *self, int argc, char **argv)
{
	host_calls_t *h = mos_sys_state(self);
	mos_process_spec_t spec;

	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(1));
	if (h->call) {
		mos_process_spec_init(&spec);
		spec.command = T_ARGV("cpu", "1ms");
		h->rc_run = mos_kernel_run(h->k, MOS_TIME_NEVER);
		h->rc_step = mos_kernel_step(h->k, &h->progressed);
		h->rc_create = mos_process_create(h->k, &spec, &h->created);
		h->rc_term = mos_process_terminate(h->k, h->victim, false);
		h->rc_kill = mos_process_terminate(h->k, h->victim, true);
		h->rc_susp = mos_process_suspend(h->k, h->victim);
		h->rc_resume = mos_process_resume(h->k, h->victim);
	}
	mos_sys_compute(self, MS(1));
	return 0;
}

/* Run the caller beside a 3 ms victim, by mos_kernel_run or by steps. */
static uint64_t host_calls_run(host_calls_t *h, bool by_steps)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_info_t in;
	mos_pid_t caller;
	int progressed = 1;
	size_t n;
	uint64_t hash;

	h->k = k;
	h->progressed = 42;
	h->created = -7;
	cr_assert_eq(mos_program_register(k, "caller", host_caller_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("caller"), h, &caller), 0);
	h->victim = t_spawn(k, T_ARGV("cpu", "3ms"));
	if (by_steps)
		while (progressed)
			cr_assert_eq(mos_kernel_step(k, &progressed), 0);
	else
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* Both ran to the end, no third process was made. */
	cr_assert_eq(mos_kernel_now(k), MS(5));
	cr_assert_eq(MOS_WEXITSTATUS(t_info(k, caller).exit_status), 0);
	cr_assert(MOS_WIFEXITED(t_info(k, h->victim).exit_status));
	cr_assert_eq(t_info(k, h->victim).times.cpu_user, MS(3));
	cr_assert_eq(mos_process_get_info(k, h->victim + 1, &in),
		     MOS_EPROCNOTFOUND);
	cr_assert_eq(mos_process_history(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 2);
	hash = mos_trace_hash(k);
	mos_kernel_destroy(k);
	return hash;
}

Test(syscall, host_calls_refused_inside_run)
{
	for (int by_steps = 0; by_steps < 2; by_steps++) {
		host_calls_t quiet = {.call = false}, h = {.call = true};
		uint64_t want = host_calls_run(&quiet, by_steps);

		cr_assert_eq(host_calls_run(&h, by_steps), want,
			     "the refused calls changed the run");
		cr_assert_eq(h.rc_run, MOS_EINVAL);
		cr_assert_eq(h.rc_step, MOS_EINVAL);
		cr_assert_eq(h.progressed, 42);
		cr_assert_eq(h.rc_create, MOS_EINVAL);
		cr_assert_eq(h.created, -7);
		cr_assert_eq(h.rc_term, MOS_EINVAL);
		cr_assert_eq(h.rc_kill, MOS_EINVAL);
		cr_assert_eq(h.rc_susp, MOS_EINVAL);
		cr_assert_eq(h.rc_resume, MOS_EINVAL);
	}
	cr_assert_eq(mos_kernel_run(NULL, 0), MOS_EINVAL);
	cr_assert_eq(mos_kernel_step(NULL, NULL), MOS_EINVAL);
}
