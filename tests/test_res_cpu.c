/*
 * tests/test_res_cpu.c - CPU accounting and limits (multios/resource.h,
 * src/resource/cpu.c): system time from the syscall cost table (exact,
 * charged once per call under its own number, nothing with the default
 * zero table or with accounting off), RLIMIT_CPU's SIGXCPU and SIGKILL
 * and the lifetime limit at their exact instants, limits lowered below
 * the use biting at once, cpu.max throttling (exact instants, exact 20 %)
 * and cpu.weight under cfs.
 */
#include <string.h>

#include "helpers.h"
#include "ipc/ipc_int.h"
#include "timeout.h"

TestSuite(res_cpu, .timeout = T_TIMEOUT);

#define INF MOS_RLIM_INFINITY

static mos_pid_t spawn_arg(mos_kernel_t *k, const char *const *argv,
			   void *arg, uint32_t flags)
{
	mos_process_spec_t spec = t_spec(0, MOS_PRIO_NORMAL, argv, arg);
	mos_pid_t pid = 0;
	int err;

	spec.flags = flags;
	err = mos_process_create(k, &spec, &pid);
	cr_assert_eq(err, 0, "create %s: %s", argv[0], mos_strerror(err));
	return pid;
}

static void set_cpu_limits(mos_kernel_t *k, mos_pid_t pid, mos_time_t soft,
			   mos_time_t hard, mos_time_t life)
{
	mos_rlimits_t s, h;

	cr_assert_eq(mos_process_get_limits(k, pid, &s, &h), 0);
	s.max_cpu_time = soft;
	h.max_cpu_time = hard;
	s.max_creation_time = life;
	h.max_creation_time = life;
	cr_assert_eq(mos_process_set_limits(k, pid, &s, &h), 0);
}

/* ---- system time from the cost table ------------------------------------ */

/* getpid twice, compute 10 ms, exit. */
static int calls_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_getpid(self);
	mos_sys_getpid(self);
	mos_sys_compute(self, MS(10));
	mos_sys_exit(self, 3);
}

static mos_kernel_t *costs_kernel(bool costs, bool accounting)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	if (costs) {
		cfg.res.syscall_cost[MOS_SYS_GETPID] = MS(3);
		cfg.res.syscall_cost[MOS_SYS_COMPUTE] = MS(1);
		cfg.res.syscall_cost[MOS_SYS_EXIT] = MS(2);
	}
	cfg.enable_process_accounting = accounting;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_program_register(k, "calls", calls_main), 0);
	return k;
}

Test(res_cpu, cost_table_gives_exact_system_time_and_clock)
{
	mos_kernel_t *k = costs_kernel(true, true);
	mos_pid_t pid = spawn_arg(k, T_ARGV("calls"), NULL, 0);
	mos_process_info_t in;
	mos_rusage_t u;

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	u = t_usage(k, pid);
	cr_expect_eq(u.cpu_system, MS(3 + 3 + 1 + 2));
	cr_expect_eq(u.cpu_user, MS(10));
	cr_expect_eq(u.cpu_total, MS(19));
	in = t_info(k, pid);
	cr_expect_eq(in.times.finished, MS(19), "the costs are on the clock");
	cr_expect_eq(in.exit_status, MOS_W_EXITCODE(3, 0));
	cr_expect_eq(mos_kernel_now(k), MS(19));
	mos_kernel_destroy(k);
}

Test(res_cpu, default_zero_table_changes_nothing)
{
	mos_kernel_t *k = costs_kernel(false, true);
	mos_pid_t pid = spawn_arg(k, T_ARGV("calls"), NULL, 0);
	mos_rusage_t u;

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	u = t_usage(k, pid);
	cr_expect_eq(u.cpu_system, 0);
	cr_expect_eq(u.cpu_user, MS(10));
	cr_expect_eq(t_info(k, pid).times.finished, MS(10));
	mos_kernel_destroy(k);
}

Test(res_cpu, accounting_off_charges_no_system_time)
{
	mos_kernel_t *k = costs_kernel(true, false);
	mos_pid_t pid = spawn_arg(k, T_ARGV("calls"), NULL, 0);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_usage(k, pid).cpu_system, 0);
	cr_expect_eq(t_usage(k, pid).cpu_user, MS(10));
	cr_expect_eq(t_info(k, pid).times.finished, MS(10));
	mos_kernel_destroy(k);

	/* Off for one process only: the other still pays. */
	k = costs_kernel(true, true);
	pid = spawn_arg(k, T_ARGV("calls"), NULL, MOS_PROC_NO_ACCOUNT);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, pid).times.cpu_system, 0);
	cr_expect_eq(t_info(k, pid).times.finished, MS(10));
	pid = spawn_arg(k, T_ARGV("calls"), NULL, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, pid).times.cpu_system, MS(9));
	cr_expect_eq(t_info(k, pid).times.finished, MS(10 + 19));
	mos_kernel_destroy(k);
}

/* ---- every call, once, under its own number --------------------------- */

typedef struct every {
	mos_time_t delta[MOS_SYS_COUNT]; /* system time around each call */
	bool done[MOS_SYS_COUNT];
	mos_time_t before_exit;
	mos_pid_t child;
	mos_mem_handle_t handle;
	int fd;
	mos_msg_t msg;
} every_t;

static void on_alarm(mos_proc_t *self, int sig)
{
	(void)self;
	(void)sig;
}

static void one_call(mos_proc_t *self, every_t *e, int nr)
{
	mos_pid_t pids[16];
	mos_process_info_t info;
	mos_sigset_t set;
	mos_time_t left;
	uint64_t soft, hard;
	size_t n;
	int st;

	switch (nr) {
	case MOS_SYS_COMPUTE: mos_sys_compute(self, 0); break;
	case MOS_SYS_SLEEP: mos_sys_sleep(self, 0); break;
	case MOS_SYS_YIELD: mos_sys_yield(self); break;
	case MOS_SYS_SPAWN:
		cr_assert_eq(mos_sys_spawn(self, T_ARGV("sleep", "3600s"),
					   &e->child), 0);
		break;
	case MOS_SYS_WAITPID:
		cr_assert_eq(mos_sys_waitpid(self, e->child, &st, MOS_WNOHANG), 0);
		break;
	case MOS_SYS_GETPID: mos_sys_getpid(self); break;
	case MOS_SYS_GETPPID: mos_sys_getppid(self); break;
	case MOS_SYS_SETPGID: mos_sys_setpgid(self, 0, 0); break;
	case MOS_SYS_GETPGID: mos_sys_getpgid(self, 0); break;
	case MOS_SYS_GETSID: mos_sys_getsid(self, 0); break;
	case MOS_SYS_SETSID: mos_sys_setsid(self); break;
	case MOS_SYS_NOW: mos_sys_now(self); break;
	case MOS_SYS_STATE: mos_sys_state(self); break;
	case MOS_SYS_RANDOM: mos_sys_random(self); break;
	case MOS_SYS_SCHED_HINT: mos_sys_sched_hint(self, 0); break;
	case MOS_SYS_CREATE_PROCESS: {
		mos_pid_t c;

		cr_assert_eq(mos_sys_create_process(self, MOS_PRIO_NORMAL,
						    T_ARGV("sleep", "3600s"), &c), 0);
		cr_assert_eq(mos_sys_kill(self, c, MOS_SIGKILL), 0);
		break;
	}
	case MOS_SYS_TERMINATE_PROCESS:
		cr_assert_eq(mos_sys_terminate_process(self, e->child), 0);
		break;
	case MOS_SYS_GET_PROCESS_INFO:
		mos_sys_get_process_info(self, mos_sys_getpid(self), &info);
		break;
	case MOS_SYS_TRACE_MARK: mos_sys_trace_mark(self, "m"); break;
	case MOS_SYS_PROCESS_LIST: mos_sys_process_list(self, pids, 16, &n); break;
	case MOS_SYS_SET_PRIORITY:
		mos_sys_set_priority(self, 0, MOS_PRIO_NORMAL);
		break;
	case MOS_SYS_GETUID: mos_sys_getuid(self); break;
	case MOS_SYS_GETEUID: mos_sys_geteuid(self); break;
	case MOS_SYS_GETGID: mos_sys_getgid(self); break;
	case MOS_SYS_GETEGID: mos_sys_getegid(self); break;
	case MOS_SYS_SETUID: mos_sys_setuid(self, 0); break;
	case MOS_SYS_SETGID: mos_sys_setgid(self, 0); break;
	case MOS_SYS_DROPCAPS: mos_sys_dropcaps(self, 0); break;
	case MOS_SYS_GETCAPS: mos_sys_getcaps(self); break;
	case MOS_SYS_NOTIFY_READY: mos_sys_notify_ready(self); break;
	case MOS_SYS_SIGACTION:
		mos_sys_sigaction(self, MOS_SIGALRM, MOS_SIG_CATCH, on_alarm,
				  0, 0, NULL);
		break;
	case MOS_SYS_SIGPROCMASK:
		mos_sys_sigprocmask(self, MOS_SIG_BLOCK, 0, NULL);
		break;
	case MOS_SYS_SIGPENDING: mos_sys_sigpending(self, &set); break;
	case MOS_SYS_PAUSE: mos_sys_pause(self); break; /* the alarm ends it */
	case MOS_SYS_ALARM: mos_sys_alarm(self, 0, &left); break;
	case MOS_SYS_NANOSLEEP: mos_sys_nanosleep(self, 0, &left); break;
	case MOS_SYS_KILL: mos_sys_kill(self, mos_sys_getpid(self), 0); break;
	case MOS_SYS_SETRLIMIT:
		mos_sys_setrlimit(self, MOS_RLIMIT_MEMORY, INF, INF);
		break;
	case MOS_SYS_GETRLIMIT:
		mos_sys_getrlimit(self, MOS_RLIMIT_MEMORY, &soft, &hard);
		break;
	case MOS_SYS_GETRUSAGE: break; /* the two around it measure it */
	case MOS_SYS_ALLOC:
		cr_assert_eq(mos_sys_alloc(self, 64, &e->handle), 0);
		break;
	case MOS_SYS_FREE: cr_assert_eq(mos_sys_free(self, e->handle), 0); break;
	case MOS_SYS_STACK_USE: cr_assert_eq(mos_sys_stack_use(self, 0), 0); break;
	case MOS_SYS_OPEN:
		cr_assert_eq(mos_sys_open(self, "/f", MOS_O_RDWR, &e->fd), 0);
		break;
	case MOS_SYS_CLOSE: /* a refused call is charged all the same */
		cr_assert_eq(mos_sys_close(self, 999), MOS_EBADF);
		break;
	case MOS_SYS_DUP: cr_assert_eq(mos_sys_dup(self, e->fd, &st), 0); break;
	case MOS_SYS_DUP2: cr_assert_eq(mos_sys_dup2(self, e->fd, 7), 0); break;
	case MOS_SYS_CHDIR: cr_assert_eq(mos_sys_chdir(self, "/"), 0); break;
	case MOS_SYS_READ:
		cr_assert_eq(mos_sys_read(self, e->fd, 1, NULL), 0);
		break;
	case MOS_SYS_WRITE:
		cr_assert_eq(mos_sys_write(self, e->fd, 1, NULL), 0);
		break;
	case MOS_SYS_IOPRIO_SET:
		cr_assert_eq(mos_sys_ioprio_set(self, 0, MOS_IOPRIO_DEFAULT), 0);
		break;
	case MOS_SYS_IOPRIO_GET:
		cr_assert_eq(mos_sys_ioprio_get(self, 0, &st), 0);
		break;
	case MOS_SYS_SEND: /* to itself, then taken back */
		memset(&e->msg, 0, sizeof(e->msg));
		cr_assert_eq(mos_sys_send(self, mos_sys_getpid(self), &e->msg), 0);
		break;
	case MOS_SYS_RECV: cr_assert_eq(mos_sys_recv(self, &e->msg, 0), 0); break;
	case MOS_SYS_REPLY: /* to a plain message: dropped */
		cr_assert_eq(mos_sys_reply(self, &e->msg, &e->msg), 0);
		break;
	case MOS_SYS_CALL:
		cr_assert_eq(mos__ipc_call(self, 999, &e->msg, &e->msg, 0, 0, 0),
			     MOS_EPROCNOTFOUND);
		break;
	case MOS_SYS_DISCOVER:
		cr_assert_eq(mos_sys_discover(self, 0, "*", NULL, NULL, 0, &n), 0);
		break;
	default:
		cr_assert_fail("call %d not covered", nr);
	}
}

static int every_main(mos_proc_t *self, int argc, char **argv)
{
	every_t *e = mos_sys_state(self);
	mos_rusage_t u;
	mos_time_t left;

	(void)argc;
	(void)argv;
	for (int nr = 0; nr < MOS_SYS_COUNT; nr++) {
		mos_time_t before;

		if (nr == MOS_SYS_EXIT)
			continue;
		if (nr == MOS_SYS_PAUSE) /* outside the measure */
			mos_sys_alarm(self, MS(500), &left);
		mos_sys_getrusage(self, &u);
		before = u.cpu_system;
		one_call(self, e, nr);
		mos_sys_getrusage(self, &u);
		e->delta[nr] = u.cpu_system - before;
		e->done[nr] = true;
	}
	mos_sys_getrusage(self, &u);
	e->before_exit = u.cpu_system;
	mos_sys_exit(self, 0);
}

/* Call nr costs (nr + 1) x 1 000 + 7 ns: distinct, and no sum of two
 * of them is another one's. */
static mos_time_t cost_of(int nr) { return (mos_time_t)(nr + 1) * 1000 + 7; }

Test(res_cpu, every_call_is_charged_once_under_its_own_number)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	every_t *e = calloc(1, sizeof(*e));
	mos_time_t g;
	mos_pid_t pid;

	cr_assert(e);
	mos_config_default(&cfg);
	for (int nr = 0; nr < MOS_SYS_COUNT; nr++)
		cfg.res.syscall_cost[nr] = cost_of(nr);
	k = t_kernel(&cfg);
	cr_assert_eq(mos_program_register(k, "every", every_main), 0);
	cr_assert_eq(mos_fs_create(k, "/f", 4096), 0);
	pid = spawn_arg(k, T_ARGV("every"), e, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(k, pid).exit_status, 0);

	g = cost_of(MOS_SYS_GETRUSAGE); /* the second getrusage's own */
	for (int nr = 0; nr < MOS_SYS_COUNT; nr++) {
		mos_time_t want = cost_of(nr) + g;

		if (nr == MOS_SYS_EXIT) {
			cr_expect_eq(t_info(k, pid).times.cpu_system -
					     e->before_exit,
				     cost_of(nr), "exit");
			continue;
		}
		cr_expect(e->done[nr], "%s not made", mos_syscall_name(nr));
		/* Calls that make others inside (get_process_info: getpid;
		 * kill, send: getpid) pay those too. */
		if (nr == MOS_SYS_GET_PROCESS_INFO || nr == MOS_SYS_KILL ||
		    nr == MOS_SYS_SEND)
			want += cost_of(MOS_SYS_GETPID);
		if (nr == MOS_SYS_CREATE_PROCESS)
			want += cost_of(MOS_SYS_KILL);
		if (nr == MOS_SYS_GETRUSAGE)
			want = g;
		cr_expect_eq(e->delta[nr], want, "%s: %llu ns, not %llu",
			     mos_syscall_name(nr),
			     (unsigned long long)e->delta[nr],
			     (unsigned long long)want);
	}
	mos_kernel_destroy(k);
	free(e);
}

/* ---- RLIMIT_CPU and the lifetime limit -------------------------------- */

typedef struct xcpu_log {
	mos_time_t at[8];
	int n;
} xcpu_log_t;

static void on_xcpu(mos_proc_t *self, int sig)
{
	xcpu_log_t *l = mos_sys_state(self);

	(void)sig;
	if (l->n < 8)
		l->at[l->n++] = mos_sys_now(self);
}

/* Catch SIGXCPU, then compute argv[1] ms in one burst. */
static int hog_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	mos_sys_sigaction(self, MOS_SIGXCPU, MOS_SIG_CATCH, on_xcpu, 0, 0, NULL);
	mos_sys_compute(self, MS(atoi(argv[1])));
	return 0;
}

Test(res_cpu, sigxcpu_at_the_soft_limit_and_every_second_then_sigkill)
{
	mos_kernel_t *k = t_kernel(NULL);
	xcpu_log_t log = {0};
	mos_process_info_t in;
	mos_pid_t pid;
	char buf[256];

	cr_assert_eq(mos_program_register(k, "hog", hog_main), 0);
	pid = spawn_arg(k, T_ARGV("hog", "5000"), &log, 0);
	set_cpu_limits(k, pid, MS(50), MS(2500), INF);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	cr_expect_eq(log.n, 3);
	cr_expect_eq(log.at[0], MS(50), "at the soft limit, mid-compute");
	cr_expect_eq(log.at[1], MS(1050), "a second of CPU later");
	cr_expect_eq(log.at[2], MS(2050));
	in = t_info(k, pid);
	cr_expect_eq(in.exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(in.times.finished, MS(2500), "SIGKILL at the hard limit");
	cr_expect_eq(in.times.cpu_user, MS(2500));
	cr_expect_eq(t_usage(k, pid).limit_violations, 4);
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_LIMIT, MOS_MSEC, buf,
				      sizeof(buf)),
			 "2:4:50000000:50000000@50 2:4:1050000000:50000000@1050 "
			 "2:4:2050000000:50000000@2050 "
			 "2:4:2500000000:2500000000@2500");
	mos_kernel_destroy(k);
}

Test(res_cpu, system_time_counts_toward_the_cpu_limit)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t pid;

	/* 2 x 3 ms of getpid, then compute: the kill comes 6 ms of compute
	 * earlier than without the costs, in the middle of a getpid's cost
	 * when the limit falls there. */
	mos_config_default(&cfg);
	cfg.res.syscall_cost[MOS_SYS_GETPID] = MS(3);
	k = t_kernel(&cfg);
	cr_assert_eq(mos_program_register(k, "calls", calls_main), 0);
	pid = spawn_arg(k, T_ARGV("calls"), NULL, 0);
	set_cpu_limits(k, pid, MS(4), MS(4), INF);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, pid).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, pid).times.finished, MS(4));
	cr_expect_eq(t_info(k, pid).times.cpu_system, MS(4));
	cr_expect_eq(t_info(k, pid).times.cpu_user, 0);
	mos_kernel_destroy(k);
}

Test(res_cpu, lifetime_limit_kills_at_creation_plus_limit)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a, b, c;
	char buf[256];

	a = t_spawn(k, T_ARGV("sleep", "3600s"));
	set_cpu_limits(k, a, INF, INF, MS(250));
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	b = t_spawn(k, T_ARGV("cpu", "3600s")); /* created at 100 ms */
	set_cpu_limits(k, b, INF, INF, MS(250));
	c = t_spawn(k, T_ARGV("cpu", "20ms")); /* ends first: no kill */
	set_cpu_limits(k, c, INF, INF, MS(250));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	cr_expect_eq(t_info(k, a).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, a).times.finished, MS(250));
	cr_expect_eq(t_info(k, b).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, b).times.finished, MS(350));
	cr_expect_eq(t_info(k, c).exit_status, 0);
	cr_expect_eq(mos_kernel_now(k), MS(350), "nothing left after the kill");
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_LIMIT, MOS_MSEC, buf,
				      sizeof(buf)),
			 "2:5:250000000:250000000@250 "
			 "3:5:250000000:250000000@350");
	mos_kernel_destroy(k);
}

Test(res_cpu, limits_lowered_below_the_use_bite_at_once)
{
	mos_kernel_t *k = t_kernel(NULL);
	xcpu_log_t log = {0};
	mos_pid_t a, b;

	cr_assert_eq(mos_program_register(k, "hog", hog_main), 0);
	a = spawn_arg(k, T_ARGV("hog", "5000"), &log, 0);
	b = t_spawn(k, T_ARGV("sleep", "3600s"));
	cr_assert_eq(mos_kernel_run(k, MS(300)), 0);
	/* a has used 300 ms (b sleeps): soft 100 ms sends SIGXCPU now, the
	 * next a second of CPU later; b is 300 ms old: 200 ms kills it. */
	set_cpu_limits(k, a, MS(100), INF, INF);
	set_cpu_limits(k, b, INF, INF, MS(200));
	cr_expect_eq(t_info(k, b).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, b).times.finished, MS(300));
	cr_assert_eq(mos_kernel_run(k, MS(1500)), 0);
	cr_expect_eq(log.n, 2);
	cr_expect_eq(log.at[0], MS(300));
	cr_expect_eq(log.at[1], MS(1300));
	/* A hard value below the use kills now. */
	set_cpu_limits(k, a, MS(100), MS(1000), INF);
	cr_expect_eq(t_info(k, a).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, a).times.finished, MS(1500));
	mos_kernel_destroy(k);
}

/* ---- cpu.max -------------------------------------------------------------- */

static mos_group_id_t cpu_group(mos_kernel_t *k, const char *name,
				mos_time_t quota, mos_time_t period,
				uint32_t weight)
{
	mos_group_limits_t l;
	mos_group_id_t id = 0;

	cr_assert_eq(mos_group_create(k, 0, name, &id), 0);
	mos_group_limits_init(&l);
	l.cpu_quota = quota;
	l.cpu_period = period;
	l.cpu_weight = weight;
	cr_assert_eq(mos_group_set(k, id, &l), 0);
	return id;
}

Test(res_cpu, cpu_max_gives_a_cpu_bound_group_exactly_its_quota)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = cpu_group(k, "capped", MS(20), MS(100), 100);
	mos_pid_t pid = t_spawn(k, T_ARGV("cpu", "3600s"));
	mos_group_info_t in;
	mos_rusage_t u;
	char buf[512];

	cr_assert_eq(mos_group_attach(k, g, pid), 0);
	cr_assert_eq(mos_kernel_run(k, MS(250)), 0);
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_THROTTLE, MOS_MSEC, buf,
				      sizeof(buf)),
			 "1:1:20000000:20000000@20 1:0:20000000:20000000@100 "
			 "1:1:20000000:20000000@120 1:0:20000000:20000000@200 "
			 "1:1:20000000:20000000@220");
	cr_expect_eq(t_info(k, pid).state, MOS_STATE_READY,
		     "throttled is not a state");

	cr_assert_eq(mos_kernel_run(k, 10 * MOS_SEC), 0);
	u = t_usage(k, pid);
	cr_expect_eq(u.cpu_user, 2 * MOS_SEC, "exactly 20 %% of 10 s");
	in = t_group(k, g);
	cr_expect_eq(in.cpu_usage, 2 * MOS_SEC);
	cr_expect_eq(in.nr_periods, 99, "the one ending at 10 s is not over");
	cr_expect_eq(in.nr_throttled, 100);
	cr_expect_eq(t_kstats(k).throttle_events, 100, "every group's");
	cr_expect(in.throttled);
	cr_expect_eq(in.throttled_time, 99 * MS(80));
	cr_expect_eq(u.throttled_time, 99 * MS(80));
	mos_kernel_destroy(k);
}

Test(res_cpu, a_throttled_group_leaves_the_cpu_to_the_others_and_keeps_a_run_going)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = cpu_group(k, "capped", MS(20), MS(100), 100);
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "100ms"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "1s"));

	cr_assert_eq(mos_group_attach(k, g, a), 0);
	/* Run to the end: a's 100 ms at 20 ms per period ends in the fifth
	 * period, while b (root group) takes what a leaves. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, a).times.cpu_user, MS(100));
	cr_expect_eq(t_info(k, b).times.cpu_user, MS(1000));
	cr_expect_eq(t_info(k, b).times.finished, MS(1100),
		     "the CPU never idles");
	cr_expect_eq(t_info(k, a).times.finished, MS(440),
		     "its burst ends with the fifth period's quota: no throttle");
	mos_kernel_destroy(k);

	/* Alone and throttled, the period timer keeps the run alive. */
	k = t_kernel(NULL);
	g = cpu_group(k, "capped", MS(20), MS(100), 100);
	a = t_spawn(k, T_ARGV("cpu", "50ms"));
	cr_assert_eq(mos_group_attach(k, g, a), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, a).times.finished, MS(210));
	cr_expect_eq(mos_kernel_now(k), MS(210));
	mos_kernel_destroy(k);
}

/* ---- cpu.weight --------------------------------------------------------- */

Test(res_cpu, cpu_weight_two_to_one_under_cfs_gives_two_to_one)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_group_id_t heavy, light;
	mos_pid_t a, b;
	mos_time_t ua, ub;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "cfs");
	k = t_kernel(&cfg);
	heavy = cpu_group(k, "heavy", MOS_TIME_NEVER, MS(100), 200);
	light = cpu_group(k, "light", MOS_TIME_NEVER, MS(100), 100);
	a = t_spawn(k, T_ARGV("cpu", "3600s"));
	b = t_spawn(k, T_ARGV("cpu", "3600s"));
	cr_assert_eq(mos_group_attach(k, heavy, a), 0);
	cr_assert_eq(mos_group_attach(k, light, b), 0);
	cr_assert_eq(mos_kernel_run(k, 3 * MOS_SEC), 0);
	ua = t_info(k, a).times.cpu_user;
	ub = t_info(k, b).times.cpu_user;
	cr_expect_eq(ua + ub, 3 * MOS_SEC);
	cr_expect_eq(ua, 2 * MOS_SEC, "heavy %llu, light %llu",
		     (unsigned long long)ua, (unsigned long long)ub);
	cr_expect_eq(t_group(k, heavy).cpu_usage, ua);
	cr_expect_eq(t_group(k, light).cpu_usage, ub);

	/* Setting the weight while they run moves the split from then on. */
	{
		mos_group_limits_t l = t_group(k, light).limits;

		l.cpu_weight = 200;
		cr_assert_eq(mos_group_set(k, light, &l), 0);
	}
	cr_assert_eq(mos_kernel_run(k, 5 * MOS_SEC), 0);
	/* Within one millisecond, the slices cut at 5 s. */
	cr_expect_eq(t_info(k, a).times.cpu_user - ua, MS(1001), "1:1 now");
	cr_expect_eq(t_info(k, b).times.cpu_user - ub, MS(999));
	mos_kernel_destroy(k);
}

/* ---- holding, with the rest of the kernel ------------------------------- */

Test(res_cpu, a_parent_groups_quota_covers_its_descendants)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t top = cpu_group(k, "top", MS(20), MS(100), 100), sub;
	mos_pid_t a, b;

	cr_assert_eq(mos_group_create(k, top, "sub", &sub), 0);
	a = t_spawn(k, T_ARGV("cpu", "3600s"));
	b = t_spawn(k, T_ARGV("cpu", "3600s"));
	cr_assert_eq(mos_group_attach(k, sub, a), 0);
	cr_assert_eq(mos_group_attach(k, top, b), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	/* Together 20 ms of every 100 ms: 200 ms in a second. */
	cr_expect_eq(t_info(k, a).times.cpu_user + t_info(k, b).times.cpu_user,
		     MS(200));
	cr_expect_eq(t_group(k, top).cpu_usage, MS(200));
	cr_expect_eq(t_group(k, sub).cpu_usage, t_info(k, a).times.cpu_user);
	cr_expect_eq(t_group(k, sub).nr_throttled, 0);
	cr_expect_eq(t_group(k, top).nr_throttled, 10);
	mos_kernel_destroy(k);
}

static void held_processes_survive_suspend_kill_and_moves(const char *policy)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_group_id_t g;
	mos_pid_t a, b, c;
	mos_time_t c50;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	k = t_kernel(&cfg);
	g = cpu_group(k, "capped", MS(10), MS(100), 100);
	a = t_spawn(k, T_ARGV("cpu", "3600s"));
	b = t_spawn(k, T_ARGV("cpu", "3600s"));
	c = t_spawn(k, T_ARGV("cpu", "3600s"));
	cr_assert_eq(mos_group_attach(k, g, a), 0);
	cr_assert_eq(mos_group_attach(k, g, b), 0);
	cr_assert_eq(mos_kernel_run(k, MS(50)), 0);
	cr_assert(t_group(k, g).throttled);
	/* Suspended and resumed while held: still held, still Ready. */
	cr_assert_eq(mos_process_suspend(k, a), 0);
	cr_assert_eq(mos_process_resume(k, a), 0);
	cr_expect_eq(t_info(k, a).state, MOS_STATE_READY);
	/* Killed while held. */
	cr_assert_eq(mos_process_terminate(k, b, true), 0);
	/* c (running) joins the throttled group: off the CPU at once; the
	 * CPU idles 10 ms; c leaves the group and runs again. */
	c50 = t_info(k, c).times.cpu_user;
	cr_assert_eq(mos_group_attach(k, g, c), 0);
	cr_expect_eq(t_info(k, c).state, MOS_STATE_READY);
	cr_assert_eq(mos_kernel_run(k, MS(60)), 0);
	cr_expect_eq(t_info(k, c).times.cpu_user, c50);
	cr_assert_eq(mos_group_attach(k, 0, c), 0);
	cr_assert_eq(mos_kernel_run(k, MS(90)), 0);
	cr_expect_eq(t_info(k, c).times.cpu_user, c50 + MS(30));
	cr_expect_eq(t_usage(k, c).throttled_time, MS(10));
	/* Lifting cpu.max unthrottles now. */
	{
		mos_group_limits_t l = t_group(k, g).limits;

		l.cpu_quota = MOS_TIME_NEVER;
		cr_assert_eq(mos_group_set(k, g, &l), 0);
	}
	cr_expect(!t_group(k, g).throttled);
	cr_assert_eq(mos_kernel_run(k, MS(1000)), 0);
	cr_expect_gt(t_info(k, a).times.cpu_user, MS(100));
	cr_expect_eq(t_info(k, a).times.cpu_user + t_info(k, b).times.cpu_user +
			     t_info(k, c).times.cpu_user,
		     MS(990), "%s: busy but for the 10 ms", policy);
	mos_kernel_destroy(k);
}

Test(res_cpu, held_processes_survive_suspend_kill_and_moves)
{
	held_processes_survive_suspend_kill_and_moves("multios");
	held_processes_survive_suspend_kill_and_moves("cfs");
	held_processes_survive_suspend_kill_and_moves("rr");
	held_processes_survive_suspend_kill_and_moves("mlfq");
}

Test(res_cpu, cpu_max_refuses_nothing_and_validates)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = cpu_group(k, "g", MS(5), MS(10), 100);
	mos_group_limits_t l = t_group(k, g).limits;

	l.cpu_quota = 0;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	l.cpu_quota = MS(30); /* above the period: never throttles */
	cr_expect_eq(mos_group_set(k, g, &l), 0);
	cr_expect_eq(t_group(k, g).limits.cpu_quota, MS(30));
	mos_kernel_destroy(k);
}

Test(res_cpu, lifetime_counts_from_creation_even_before_admission)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_spec_t spec = t_spec(0, MOS_PRIO_NORMAL,
					 T_ARGV("cpu", "10ms"), NULL);
	mos_pid_t pid = 0;

	spec.start_time = MS(500);
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	set_cpu_limits(k, pid, INF, INF, MS(100));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, pid).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, pid).times.finished, MS(100));
	cr_expect_eq(t_info(k, pid).times.cpu_user, 0);
	mos_kernel_destroy(k);
}

Test(res_cpu, the_root_group_reports_all_the_cpu)
{
	mos_kernel_t *k = t_kernel(NULL);

	t_spawn(k, T_ARGV("cpu", "30ms"));
	t_spawn(k, T_ARGV("cpu", "20ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_group(k, 0).cpu_usage, MS(50));
	mos_kernel_destroy(k);
}

Test(res_cpu, a_process_held_while_the_cpu_switches_to_it)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_group_id_t g;
	mos_pid_t z, x, y;

	mos_config_default(&cfg);
	cfg.sched.switch_cost = MS(1);
	k = t_kernel(&cfg);
	g = cpu_group(k, "g", MS(1), MOS_SEC, 100);
	z = t_spawn(k, T_ARGV("cpu", "3600s"));
	x = t_spawn(k, T_ARGV("cpu", "3600s"));
	y = t_spawn(k, T_ARGV("cpu", "3600s"));
	cr_assert_eq(mos_group_attach(k, g, z), 0);
	/* z runs 1 ms and is throttled; the switch to x, x's slice, then
	 * the switch to y: stop in its middle. */
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect(t_group(k, g).throttled);
	cr_assert_eq(mos_kernel_run(k, MS(12) + MS(1) / 2), 0);
	cr_expect_eq(t_info(k, x).times.cpu_user, MS(10));
	cr_expect_eq(t_info(k, y).times.dispatches, 0);
	cr_assert_eq(mos_group_attach(k, g, y), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(t_info(k, y).times.cpu_user, 0);
	cr_expect_eq(t_info(k, y).state, MOS_STATE_READY);
	cr_expect_eq(t_info(k, z).times.cpu_user, MS(1));
	cr_expect_gt(t_info(k, x).times.cpu_user, MS(80));
	mos_kernel_destroy(k);
}

/* Compute 10 ms, then lower its own CPU limit below that. */
static int lower_main(mos_proc_t *self, int argc, char **argv)
{
	mos_time_t hard = MS(atoi(argv[1]));

	(void)argc;
	mos_sys_compute(self, MS(10));
	cr_assert_eq(mos_sys_setrlimit(self, MOS_RLIMIT_CPU, MS(5), hard), 0);
	mos_sys_compute(self, MS(10));
	return 7;
}

Test(res_cpu, setrlimit_below_the_use_signals_the_caller_before_it_returns)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a, b;

	cr_assert_eq(mos_program_register(k, "lower", lower_main), 0);
	a = t_spawn(k, T_ARGV("lower", "5"));    /* hard 5 ms: SIGKILL */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, a).exit_status, MOS_W_EXITCODE(0, MOS_SIGKILL));
	cr_expect_eq(t_info(k, a).times.finished, MS(10));
	b = t_spawn(k, T_ARGV("lower", "1000")); /* SIGXCPU: core */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect(MOS_WIFSIGNALED(t_info(k, b).exit_status));
	cr_expect_eq(MOS_WTERMSIG(t_info(k, b).exit_status), MOS_SIGXCPU);
	cr_expect_eq(t_info(k, b).times.finished, MS(20));
	mos_kernel_destroy(k);
}
