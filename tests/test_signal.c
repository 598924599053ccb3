/*
 * tests/test_signal.c - POSIX signals (multios/signal.h) at exact virtual
 * times: default actions against the POSIX table, handlers on the
 * process's coroutine (mid-compute, mid-sleep, before main), stop and
 * continue, masks, merging and order, alarm and pause.
 */
#include <string.h>

#include "helpers.h"
#include "strength.h"
#include "timeout.h"

TestSuite(signal, .timeout = T_TIMEOUT);

/* ---- names and the POSIX table ----------------------------------------- */

Test(signal, names_parse_both_ways)
{
	int sig;

	cr_expect_str_eq(mos_signal_name(MOS_SIGTERM), "SIGTERM");
	cr_expect_str_eq(mos_signal_name(1), "SIGHUP");
	cr_expect_str_eq(mos_signal_name(31), "SIGSYS");
	cr_expect_null(mos_signal_name(0));
	cr_expect_null(mos_signal_name(32));
	cr_expect_null(mos_signal_name(-1));
	cr_assert_eq(mos_signal_parse("TERM", &sig), 0);
	cr_expect_eq(sig, 15);
	cr_assert_eq(mos_signal_parse("SIGTERM", &sig), 0);
	cr_expect_eq(sig, 15);
	cr_assert_eq(mos_signal_parse("sigusr1", &sig), 0);
	cr_expect_eq(sig, 10);
	cr_assert_eq(mos_signal_parse("15", &sig), 0);
	cr_expect_eq(sig, 15);
	cr_expect_eq(mos_signal_parse("0", &sig), MOS_EINVAL);
	cr_expect_eq(mos_signal_parse("32", &sig), MOS_EINVAL);
	cr_expect_eq(mos_signal_parse("15x", &sig), MOS_EINVAL);
	cr_expect_eq(mos_signal_parse("SIG", &sig), MOS_EINVAL);
	cr_expect_eq(mos_signal_parse("", &sig), MOS_EINVAL);
	cr_expect_eq(mos_signal_parse("BOGUS", &sig), MOS_EINVAL);
	cr_expect_eq(mos_signal_parse(NULL, &sig), MOS_EINVAL);
	for (int i = 1; i < MOS_NSIG; i++) {
		cr_assert_eq(mos_signal_parse(mos_signal_name(i), &sig), 0);
		cr_expect_eq(sig, i);
	}
	cr_expect_str_eq(mos_sig_outcome_name(MOS_SIGEV_PENDING), "pending");
	cr_expect_str_eq(mos_sig_outcome_name(MOS_SIGEV_DROPPED), "dropped");
	cr_expect_str_eq(mos_sig_outcome_name(MOS_SIGEV_COUNT), "?");
	cr_expect_str_eq(mos_sig_outcome_name((mos_sig_outcome_t)-1), "?");
}

/* POSIX (signal(7)): Term, Core, Stop, Cont, Ign for each signal. */
static const struct { int sig; mos_sig_default_t dfl; } posix[] = {
	{1, MOS_SIGDFL_TERM}, {2, MOS_SIGDFL_TERM}, {3, MOS_SIGDFL_CORE},
	{4, MOS_SIGDFL_CORE}, {5, MOS_SIGDFL_CORE}, {6, MOS_SIGDFL_CORE},
	{7, MOS_SIGDFL_CORE}, {8, MOS_SIGDFL_CORE}, {9, MOS_SIGDFL_TERM},
	{10, MOS_SIGDFL_TERM}, {11, MOS_SIGDFL_CORE}, {12, MOS_SIGDFL_TERM},
	{13, MOS_SIGDFL_TERM}, {14, MOS_SIGDFL_TERM}, {15, MOS_SIGDFL_TERM},
	{16, MOS_SIGDFL_TERM}, {17, MOS_SIGDFL_IGN}, {18, MOS_SIGDFL_CONT},
	{19, MOS_SIGDFL_STOP}, {20, MOS_SIGDFL_STOP}, {21, MOS_SIGDFL_STOP},
	{22, MOS_SIGDFL_STOP}, {23, MOS_SIGDFL_IGN}, {24, MOS_SIGDFL_CORE},
	{25, MOS_SIGDFL_CORE}, {26, MOS_SIGDFL_TERM}, {27, MOS_SIGDFL_TERM},
	{28, MOS_SIGDFL_IGN}, {29, MOS_SIGDFL_TERM}, {30, MOS_SIGDFL_TERM},
	{31, MOS_SIGDFL_CORE},
};

/* Each signal sent by the host at 2 ms to a process sleeping 10 ms:
 * what becomes of it, and when. */
Test(signal, every_default_action_is_posix)
{
	for (size_t i = 0; i < sizeof(posix) / sizeof(*posix); i++) {
		int sig = posix[i].sig;
		mos_sig_default_t dfl;
		mos_kernel_t *k = t_kernel(NULL);
		mos_pid_t p = t_spawn(k, T_ARGV("sleep", "10ms"));
		mos_process_info_t in;

		cr_assert_eq(mos_signal_default(sig, &dfl), 0);
		cr_expect_eq(dfl, posix[i].dfl, "%s", mos_signal_name(sig));
		cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
		cr_assert_eq(mos_process_send_signal(k, p, sig), 0);
		in = t_info(k, p);
		switch (posix[i].dfl) {
		case MOS_SIGDFL_TERM:
		case MOS_SIGDFL_CORE:
			cr_expect_eq(in.state, MOS_STATE_DEFUNCT, "%d", sig);
			cr_expect(MOS_WIFSIGNALED(in.exit_status), "%d", sig);
			cr_expect_eq(MOS_WTERMSIG(in.exit_status), sig);
			cr_expect_eq(MOS_WCOREDUMP(in.exit_status),
				     posix[i].dfl == MOS_SIGDFL_CORE, "%d", sig);
			cr_expect_eq(in.times.finished, MS(2));
			break;
		case MOS_SIGDFL_STOP:
			cr_expect_eq(in.state, MOS_STATE_SUSPENDED, "%d", sig);
			break;
		case MOS_SIGDFL_CONT:
		case MOS_SIGDFL_IGN:
			cr_expect_eq(in.state, MOS_STATE_BLOCKED, "%d", sig);
			cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
			cr_expect_eq(t_info(k, p).times.finished, MS(10));
			break;
		}
		cr_expect_eq(in.signals.received, 1);
		/* A SIGCONT to a process that is not stopped continues
		 * nothing: it is not counted as delivered. */
		cr_expect_eq(in.signals.delivered, posix[i].dfl != MOS_SIGDFL_CONT,
			     "%d", sig);
		cr_expect_eq(in.signals.ignored, posix[i].dfl == MOS_SIGDFL_IGN,
			     "%d", sig);
		mos_kernel_destroy(k);
	}
	cr_expect_eq(mos_signal_default(0, &(mos_sig_default_t){0}), MOS_EINVAL);
}

/* ---- a program that does what its script of signal steps says --------- */

typedef struct sigtest {
	char log[512];
	int rc;
	mos_time_t left;
	int setup;      /* which setup to run */
} sigtest_t;

static void say(mos_proc_t *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(mos_proc_t *self, const char *fmt, ...)
{
	sigtest_t *t = mos_sys_state(self);
	size_t len = strlen(t->log);
	va_list ap;

	len += (size_t)snprintf(t->log + len, sizeof(t->log) - len, "%s%llu:",
				len ? " " : "",
				(unsigned long long)(mos_sys_now(self) / MOS_USEC));
	va_start(ap, fmt);
	vsnprintf(t->log + len, sizeof(t->log) - len, fmt, ap);
	va_end(ap);
}

static void note_handler(mos_proc_t *self, int sig)
{
	say(self, "h%d", sig);
}

/* Burns 1 ms of its own CPU in the handler. */
static void busy_handler(mos_proc_t *self, int sig)
{
	say(self, "h%d", sig);
	mos_sys_compute(self, MS(1));
	say(self, "h%d-end", sig);
}

static mos_kernel_t *sig_kernel(mos_main_fn main_fn)
{
	mos_kernel_t *k = t_kernel(NULL);

	cr_assert_eq(mos_program_register(k, "sigtest", main_fn), 0);
	return k;
}

static mos_pid_t start(mos_kernel_t *k, sigtest_t *t)
{
	return t_spawn_arg(k, T_ARGV("sigtest"), t);
}

/* SIGKILL and SIGSTOP refuse every action but Default, and blocking. */
static int refuse_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_sigset_t old, now;
	int bad = 0;

	(void)argc;
	(void)argv;
	for (int s = MOS_SIGKILL; s <= MOS_SIGSTOP; s += MOS_SIGSTOP - MOS_SIGKILL) {
		bad += mos_sys_sigaction(self, s, MOS_SIG_CATCH, note_handler, 0,
					 0, NULL) != MOS_EINVAL;
		bad += mos_sys_sigaction(self, s, MOS_SIG_IGNORE, NULL, 0, 0,
					 NULL) != MOS_EINVAL;
		bad += mos_sys_sigaction(self, s, MOS_SIG_STOP, NULL, 0, 0,
					 NULL) != MOS_EINVAL;
		bad += mos_sys_sigaction(self, s, MOS_SIG_DEFAULT, NULL, 0, 0,
					 NULL) != 0;
	}
	bad += mos_sys_sigprocmask(self, MOS_SIG_SETMASK, MOS_SIGBIT(MOS_SIGKILL) |
				   MOS_SIGBIT(MOS_SIGSTOP) | MOS_SIGBIT(MOS_SIGUSR1),
				   &old) != 0;
	bad += mos_sys_sigprocmask(self, MOS_SIG_BLOCK, 0, &now) != 0;
	bad += now != MOS_SIGBIT(MOS_SIGUSR1);
	bad += mos_sys_sigprocmask(self, 7, 0, NULL) != MOS_EINVAL;
	bad += mos_sys_sigprocmask(self, MOS_SIG_BLOCK, 1, NULL) != MOS_EINVAL;
	bad += mos_sys_sigaction(self, 0, MOS_SIG_IGNORE, NULL, 0, 0, NULL) != MOS_EINVAL;
	bad += mos_sys_sigaction(self, 32, MOS_SIG_IGNORE, NULL, 0, 0, NULL) != MOS_EINVAL;
	bad += mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, NULL, 0, 0,
				 NULL) != MOS_EINVAL;
	bad += mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_IGNORE, note_handler,
				 0, 0, NULL) != MOS_EINVAL;
	bad += mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, note_handler,
				 0, 64, NULL) != MOS_EINVAL;
	t->rc = bad;
	mos_sys_sleep(self, MOS_TIME_NEVER);
	return 0;
}

Test(signal, kill_and_stop_cannot_be_caught_ignored_or_blocked)
{
	mos_kernel_t *k = sig_kernel(refuse_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t.rc, 0, "%d refusals missing", t.rc);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGSTOP), 0);
	cr_expect_eq(t_info(k, p).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGKILL), 0);
	cr_expect_eq(MOS_WTERMSIG(t_info(k, p).exit_status), MOS_SIGKILL);
	mos_kernel_destroy(k);
}

/* A handler for SIGUSR1, then a 10 ms burst: the signal at 3 ms cuts it,
 * the handler burns 1 ms, the burst ends at 11 ms. */
static int burst_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, busy_handler, 0, 0,
			  NULL);
	mos_sys_compute(self, MS(10));
	say(self, "done");
	return 0;
}

Test(signal, mid_compute_handler_runs_at_its_instant)
{
	mos_kernel_t *k = sig_kernel(burst_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "3000:h10 4000:h10-end 11000:done");
	cr_expect_eq(t_info(k, p).times.cpu_user, MS(11));
	cr_expect_eq(t_info(k, p).signals.caught, 1);
	mos_kernel_destroy(k);
}

/* A caught signal ends a sleep with MOS_EINTR after the handler, and
 * nanosleep says exactly what was left; slept to its end, 0 and nothing
 * left. */
static int nap_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGTERM, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	t->rc = mos_sys_nanosleep(self, MS(10), &t->left);
	say(self, "woke %d", t->rc);
	t->rc = mos_sys_sleep(self, MS(10));
	say(self, "slept %d", t->rc);
	t->rc = mos_sys_nanosleep(self, MS(2), &t->left);
	say(self, "napped %d left=%llu", t->rc, (unsigned long long)t->left);
	return 0;
}

Test(signal, handler_interrupts_sleep_with_eintr_and_time_left)
{
	mos_kernel_t *k = sig_kernel(nap_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(4)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGTERM), 0);
	cr_assert_eq(mos_kernel_run(k, MS(6)), 0);
	cr_expect_eq(t.left, MS(6));
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGTERM), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "4000:h15 4000:woke -3 6000:h15 6000:slept -3 "
				"8000:napped 0 left=0");
	cr_expect_eq(t_info(k, p).state, MOS_STATE_DEFUNCT);
	mos_kernel_destroy(k);
}

/* SIGSTOP at 2 ms and SIGCONT at 15 ms around a 10 ms sleep: the wake-up
 * at 10 ms is kept, the process runs only after SIGCONT; continued at 5
 * ms instead, it wakes at 10 ms. */
static mos_time_t stop_cont(mos_time_t cont)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("sleep", "10ms"));
	mos_time_t end;

	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGSTOP), 0);
	cr_expect_eq(t_info(k, p).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_kernel_run(k, cont), 0);
	cr_expect_eq(t_info(k, p).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGCONT), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	end = t_info(k, p).times.finished;
	mos_kernel_destroy(k);
	return end;
}

Test(signal, stop_and_continue_around_a_sleep)
{
	cr_expect_eq(stop_cont(MS(15)), MS(15));
	cr_expect_eq(stop_cont(MS(5)), MS(10));
}

/* Blocked: USR2, USR1, USR2 again (merged) wait; unblocked, they run
 * lowest first; during USR1's handler, its mask (USR2) holds USR2 back
 * until it returns. */
static void usr1_masks_usr2(mos_proc_t *self, int sig)
{
	mos_sigset_t pend;

	mos_sys_sigpending(self, &pend);
	say(self, "h%d pend=%x", sig, pend);
}

static int order_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_sigset_t pend;

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, usr1_masks_usr2,
			  MOS_SIGBIT(MOS_SIGUSR2), 0, NULL);
	mos_sys_sigaction(self, MOS_SIGUSR2, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	mos_sys_sigprocmask(self, MOS_SIG_BLOCK,
			    MOS_SIGBIT(MOS_SIGUSR1) | MOS_SIGBIT(MOS_SIGUSR2), NULL);
	mos_sys_sleep(self, MS(5));
	mos_sys_sigpending(self, &pend);
	say(self, "pend=%x", pend);
	t->rc = mos_sys_sigprocmask(self, MOS_SIG_SETMASK, 0, NULL);
	say(self, "unblocked");
	return 0;
}

Test(signal, merging_order_and_handler_masks)
{
	mos_kernel_t *k = sig_kernel(order_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);
	char buf[512];
	mos_process_info_t in;

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR2), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR2), 0);
	cr_expect_eq(t_info(k, p).sig_pending,
		     MOS_SIGBIT(MOS_SIGUSR1) | MOS_SIGBIT(MOS_SIGUSR2));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "5000:pend=1400 5000:h10 pend=1000 5000:h12 "
				"5000:unblocked");
	in = t_info(k, p);
	cr_expect_eq(in.signals.received, 3);
	cr_expect_eq(in.signals.caught, 2);
	cr_expect_eq(in.signals.blocked_delivered, 2);
	T_HISTORY(k, p, buf);
	mos_kernel_destroy(k);
}

/* The signal events of the trace, as "sender>pid:SIG:outcome@us". */
static void signal_trace(mos_kernel_t *k, char *buf, size_t size)
{
	size_t n = 0, len = 0;
	mos_trace_event_t ev;

	buf[0] = '\0';
	mos_trace_get(k, 0, NULL, &n);
	for (size_t i = 0; i < n; i++) {
		mos_trace_get(k, i, &ev, NULL);
		if (ev.kind != MOS_TRACE_SIGNAL)
			continue;
		len += (size_t)snprintf(buf + len, size - len,
			"%s%llu>%d:%s:%s@%llu", len ? " " : "",
			(unsigned long long)ev.a, ev.subject,
			mos_signal_name(ev.cause) + 3,
			mos_sig_outcome_name((mos_sig_outcome_t)ev.b),
			(unsigned long long)(ev.time / MOS_USEC));
	}
}

Test(signal, the_trace_records_every_send_and_delivery)
{
	mos_kernel_t *k = sig_kernel(order_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);
	char buf[512];

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR2), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR2), 0);
	cr_assert_eq(mos_process_send_signal(k, 1, MOS_SIGTERM), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	signal_trace(k, buf, sizeof(buf));
	cr_expect_str_eq(buf, "0>2:USR2:pending@1000 0>2:USR1:pending@1000 "
			      "0>2:USR2:merged@1000 0>1:TERM:dropped@1000 "
			      "0>2:USR1:caught@5000 0>2:USR2:caught@5000");
	mos_kernel_destroy(k);
}

/* Run a script process to the end; its pid, and the signal trace in
 * buf. */
static mos_pid_t script_trace(mos_kernel_t *k, const char *steps, char *buf,
			      size_t size)
{
	mos_pid_t p = t_spawn(k, T_ARGV("script", steps));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	signal_trace(k, buf, size);
	return p;
}

/* A send records its sender; a delivery records 0 (the kernel): which
 * process sent a pending signal is not kept. */
Test(signal, the_trace_names_the_sender_of_a_send_only)
{
	mos_kernel_t *k = t_kernel(NULL);
	char buf[512];
	mos_pid_t p = script_trace(k,
		"[{\"spawn\":[\"script\",[{\"signal\":\"USR1\",\"action\":[]},"
		"{\"sleep\":\"5ms\"},{\"exit\":4}]]},{\"sleep\":\"1ms\"},"
		"{\"kill\":\"child\",\"signal\":\"USR1\"},{\"wait\":\"any\"}]",
		buf, sizeof(buf));

	cr_expect_str_eq(buf, "2>3:USR1:pending@1000 0>3:USR1:caught@1000");
	cr_expect_eq(t_info(k, p + 1).exit_status, MOS_W_EXITCODE(4, 0));
	cr_expect_eq(t_info(k, p).signals.sent, 1);
	mos_kernel_destroy(k);
}

/* alarm: what was left of the previous one; SIGALRM ends a pause. */
static int alarm_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_time_t left = 1;

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGALRM, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	mos_sys_alarm(self, MS(10), &left);
	say(self, "first left=%llu", (unsigned long long)left);
	mos_sys_compute(self, MS(3));
	mos_sys_alarm(self, MS(5), &left);
	say(self, "again left=%llu", (unsigned long long)left);
	t->rc = mos_sys_pause(self);
	say(self, "paused %d", t->rc);
	mos_sys_alarm(self, MS(1), NULL);
	mos_sys_alarm(self, 0, &left);
	say(self, "cancel left=%llu", (unsigned long long)left);
	return 0;
}

Test(signal, alarm_and_pause)
{
	mos_kernel_t *k = sig_kernel(alarm_main);
	sigtest_t t = {0};

	start(k, &t);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "0:first left=0 3000:again left=7000000 "
				"8000:h14 8000:paused -3 8000:cancel left=1000000");
	cr_expect_eq(mos_kernel_now(k), MS(8), "the cancelled alarm is gone");
	mos_kernel_destroy(k);
}

/* An alarm does not outlive its process: a zombie its parent reaps only
 * after the alarm was due gets no SIGALRM. */
Test(signal, exit_cancels_the_alarm)
{
	mos_kernel_t *k = t_kernel(NULL);
	char buf[512];
	mos_pid_t p = script_trace(k,
		"[{\"spawn\":[\"script\",[{\"alarm\":\"5ms\"},"
		"{\"compute\":\"1ms\"},{\"exit\":0}]]},"
		"{\"sleep\":\"8ms\"},{\"wait\":\"any\"}]", buf, sizeof(buf));

	cr_expect_str_eq(buf, "");
	cr_expect_eq(t_info(k, p + 1).times.finished, MS(1));
	cr_expect_eq(t_info(k, p + 1).signals.received, 0);
	cr_expect_eq(t_info(k, p).times.finished, MS(8));
	mos_kernel_destroy(k);
}

/* Sent before the process first ran: delivered before its main. */
static int first_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	say(self, "main");
	return 0;
}

Test(signal, pending_before_the_first_run_act_before_main)
{
	mos_kernel_t *k = sig_kernel(first_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	/* Inherited from init: nothing caught, so the default acts: USR1
	 * terminates it before main. */
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "");
	cr_expect_eq(MOS_WTERMSIG(t_info(k, p).exit_status), MOS_SIGUSR1);
	mos_kernel_destroy(k);
}

/* A handler that sleeps and spawns. */
static void heavy_handler(mos_proc_t *self, int sig)
{
	mos_pid_t c;

	say(self, "h%d", sig);
	mos_sys_sleep(self, MS(2));
	mos_sys_spawn(self, T_ARGV("cpu", "1ms"), &c);
	mos_sys_waitpid(self, c, NULL, 0);
	say(self, "h%d-end", sig);
}

static int heavy_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, heavy_handler, 0, 0,
			  NULL);
	t->rc = mos_sys_sleep(self, MS(20));
	say(self, "slept %d", t->rc);
	return 0;
}

Test(signal, a_handler_may_sleep_and_spawn)
{
	mos_kernel_t *k = sig_kernel(heavy_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "1000:h10 4000:h10-end 4000:slept -3");
	mos_kernel_destroy(k);
}

/* A stop sent to a process not admitted yet takes effect at admission. */
Test(signal, stop_before_admission_suspends_at_admission)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn_attr(k, NULL, MS(5), T_ARGV("cpu", "1ms"));
	char buf[256];

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGTSTP), 0);
	cr_assert_eq(mos_kernel_run(k, MS(8)), 0);
	cr_expect_eq(t_info(k, p).state, MOS_STATE_SUSPENDED);
	cr_expect_eq(t_info(k, p).times.first_run, MOS_TIME_NEVER);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGCONT), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	T_HISTORY(k, p, buf);
	cr_expect_str_eq(buf, "create@5 suspend@5 resume@8 dispatch@8 exit@9 "
			      "zombie@9 reap@9");
	mos_kernel_destroy(k);
}

Test(signal, send_checks_its_arguments)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("sleep", "1ms"));

	cr_expect_eq(mos_process_send_signal(NULL, p, 15), MOS_EINVAL);
	cr_expect_eq(mos_process_send_signal(k, p, 32), MOS_EINVAL);
	cr_expect_eq(mos_process_send_signal(k, p, -1), MOS_EINVAL);
	cr_expect_eq(mos_process_send_signal(k, 0, 15), MOS_EINVALPID);
	cr_expect_eq(mos_process_send_signal(k, 99, 15), MOS_EPROCNOTFOUND);
	cr_expect_eq(mos_process_send_signal(k, p, 0), 0, "a probe");
	cr_expect_eq(t_info(k, p).signals.received, 0);
	cr_expect_eq(mos_process_send_signal(k, 1, MOS_SIGKILL), 0);
	cr_expect_eq(t_info(k, 1).state, MOS_STATE_BLOCKED, "init drops it");
	cr_expect_eq(t_info(k, 1).signals.ignored, 1);
	mos_kernel_destroy(k);
}

/* ---- terminate: SIGTERM, then SIGKILL a grace period later ------------- */

static int term_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);

	(void)argc;
	(void)argv;
	if (t->setup == 1)
		mos_sys_sigaction(self, MOS_SIGTERM, MOS_SIG_CATCH, note_handler,
				  0, 0, NULL);
	else if (t->setup == 2)
		mos_sys_sigaction(self, MOS_SIGTERM, MOS_SIG_IGNORE, NULL, 0, 0,
				  NULL);
	else if (t->setup == 3)
		mos_sys_sigprocmask(self, MOS_SIG_BLOCK, MOS_SIGBIT(MOS_SIGTERM),
				    NULL);
	for (;;)
		mos_sys_sleep(self, MOS_TIME_NEVER);
	return 0;
}

/* Caught, ignored or blocked, SIGTERM leaves it alive: SIGKILL comes
 * exactly grace_period_ms (5 s) after the first terminate; a second one
 * at 3 s does not restart the period. */
Test(signal, terminate_kills_after_the_grace_period)
{
	for (int setup = 1; setup <= 3; setup++) {
		mos_kernel_t *k = sig_kernel(term_main);
		sigtest_t t = {.setup = setup};
		mos_pid_t p = start(k, &t);
		mos_process_info_t in;

		cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
		cr_assert_eq(mos_process_terminate(k, p, false), 0);
		cr_assert_eq(mos_kernel_run(k, MS(3000)), 0);
		cr_expect_eq(t_info(k, p).state, MOS_STATE_BLOCKED, "setup %d", setup);
		cr_assert_eq(mos_process_terminate(k, p, false), 0);
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		in = t_info(k, p);
		cr_expect_eq(in.times.finished, MS(5001), "setup %d", setup);
		cr_expect_eq(MOS_WTERMSIG(in.exit_status), MOS_SIGKILL);
		cr_expect_str_eq(t.log, setup == 1 ? "1000:h15 3000000:h15" : "",
				 "setup %d: %s", setup, t.log);
		mos_kernel_destroy(k);
	}
}

/* Default SIGTERM ends it at once: no timer is left behind; forced is
 * SIGKILL. */
Test(signal, terminate_default_and_forced_act_at_once)
{
	mos_kernel_t *k = sig_kernel(term_main);
	sigtest_t t = {0}, u = {.setup = 1};
	mos_pid_t p = start(k, &t), q = start(k, &u);

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_terminate(k, p, false), 0);
	cr_expect_eq(MOS_WTERMSIG(t_info(k, p).exit_status), MOS_SIGTERM);
	cr_assert_eq(mos_process_terminate(k, q, true), 0);
	cr_expect_eq(MOS_WTERMSIG(t_info(k, q).exit_status), MOS_SIGKILL);
	cr_expect_str_eq(u.log, "", "SIGKILL runs no handler");
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(1), "nothing left armed");
	cr_expect_eq(mos_process_terminate(k, p, false), MOS_EPROCNOTFOUND,
		     "reaped by init");
	cr_expect_eq(mos_process_terminate(k, 1, true), MOS_EPERM);
	mos_kernel_destroy(k);
}

/* ---- SIGCHLD and waitpid reports ---------------------------------------- */

static int parent_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_pid_t c, r;
	int st;

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGCHLD, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	/* Below the parent: the parent runs as soon as it is woken. */
	mos_sys_create_process(self, MOS_PRIO_LOW, T_ARGV("cpu", "3ms"), &c);
	for (;;) {
		r = mos_sys_waitpid(self, c, &st, MOS_WUNTRACED | MOS_WCONTINUED);
		if (r == MOS_EINTR)
			continue; /* the handler ran; ask again */
		if (r < 0) {
			say(self, "err %d", r);
			break;
		}
		if (MOS_WIFSTOPPED(st))
			say(self, "stopped %d", MOS_WSTOPSIG(st));
		else if (MOS_WIFCONTINUED(st))
			say(self, "continued");
		else if (MOS_WIFEXITED(st)) {
			say(self, "exited %d", MOS_WEXITSTATUS(st));
			break;
		}
	}
	t->rc = (int)mos_sys_waitpid(self, -1, NULL, 0);
	return 0;
}

Test(signal, sigchld_and_waitpid_report_stop_continue_exit)
{
	mos_kernel_t *k = sig_kernel(parent_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t), c = p + 1;

	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_eq(mos_process_send_signal(k, c, MOS_SIGTSTP), 0);
	cr_assert_eq(mos_kernel_run(k, MS(4)), 0);
	cr_assert_eq(mos_process_resume(k, c), 0); /* the host's SIGCONT */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* The child computes 0-2 and 4-5 ms (the parent blocked at once in
	 * waitpid); a report not collected before the child's death would
	 * give way to the death's. */
	cr_expect_str_eq(t.log, "2000:h17 2000:stopped 20 4000:h17 4000:continued "
				"5000:h17 5000:exited 0");
	cr_expect_eq(t.rc, MOS_ECHILD);
	cr_expect(!MOS_WIFSIGNALED(MOS_W_STOPCODE(MOS_SIGSTOP)));
	cr_expect(MOS_WIFSTOPPED(MOS_W_STOPCODE(MOS_SIGSTOP)));
	cr_expect(!MOS_WIFSTOPPED(MOS_W_CONTINUED));
	cr_expect(!MOS_WIFSIGNALED(MOS_W_CONTINUED));
	mos_kernel_destroy(k);
}

/* SIGCHLD ignored: children are reaped as they die; waitpid blocks until
 * the last is gone and then says MOS_ECHILD. */
static int reaper_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_pid_t c;

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGCHLD, MOS_SIG_IGNORE, NULL, 0, 0, NULL);
	mos_sys_spawn(self, T_ARGV("sleep", "1ms"), &c);
	mos_sys_spawn(self, T_ARGV("sleep", "3ms"), &c);
	t->rc = mos_sys_waitpid(self, -1, NULL, 0);
	say(self, "wait %d", t->rc);
	return 0;
}

Test(signal, ignored_sigchld_reaps_children_automatically)
{
	mos_kernel_t *k = sig_kernel(reaper_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_expect_eq(t_info(k, p + 1).state, MOS_STATE_DEFUNCT);
	cr_expect_eq(t_info(k, p + 1).times.reaped, MS(1));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "3000:wait -4");
	cr_expect_eq(t_info(k, p + 2).times.reaped, MS(3));
	mos_kernel_destroy(k);
}

/* ---- process groups, sessions and kill's pid ---------------------------- */

static int group_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_pid_t me = mos_sys_getpid(self), a, b, c, r;
	int bad = 0, st;

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGTERM, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	bad += mos_sys_getpgid(self, 0) != me;
	bad += mos_sys_getsid(self, 0) != me;
	bad += mos_sys_setsid(self) != MOS_EPERM;        /* leads a group */
	bad += mos_sys_setpgid(self, 0, 0) != MOS_EPERM; /* leads a session */
	mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &a);
	mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &b);
	mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &c);
	bad += mos_sys_getpgid(self, a) != me || mos_sys_getsid(self, a) != me;
	bad += mos_sys_setpgid(self, c, 0) != 0;          /* its own group */
	bad += mos_sys_getpgid(self, c) != c;
	bad += mos_sys_setpgid(self, b, c) != 0;          /* joins c's */
	bad += mos_sys_setpgid(self, b, me) != 0;         /* and back */
	bad += mos_sys_setpgid(self, b, 999) != MOS_EPERM;
	bad += mos_sys_setpgid(self, 1, 0) != MOS_EPROCNOTFOUND;
	bad += mos_sys_setpgid(self, -1, 0) != MOS_EINVAL;
	bad += mos_sys_getpgid(self, 999) != MOS_EPROCNOTFOUND;
	mos_sys_sleep(self, MS(1));
	/* Its own group: a and b, then itself last. */
	bad += mos_sys_kill(self, 0, MOS_SIGTERM) != 0;
	say(self, "after kill 0");
	bad += mos_sys_kill(self, -c, 0) != 0;            /* a probe */
	bad += mos_sys_kill(self, -999, 0) != MOS_EPROCNOTFOUND;
	r = mos_sys_waitpid(self, 0, &st, 0);             /* a or b */
	say(self, "reaped %d sig %d", r == a ? 1 : r == b ? 2 : 0,
	    MOS_WTERMSIG(st));
	r = mos_sys_waitpid(self, 0, &st, 0);
	say(self, "reaped %d", r == a ? 1 : r == b ? 2 : 0);
	r = mos_sys_waitpid(self, 0, &st, MOS_WNOHANG);   /* c: other group */
	bad += r != MOS_ECHILD;
	r = mos_sys_waitpid(self, -c, &st, 0);
	say(self, "reaped %d exit %d", r == c ? 3 : 0, MOS_WEXITSTATUS(st));
	t->rc = bad;
	return 0;
}

Test(signal, groups_sessions_and_kill_pid_semantics)
{
	mos_kernel_t *k = sig_kernel(group_main);
	sigtest_t t = {0};

	start(k, &t);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t.rc, 0, "%d checks failed", t.rc);
	cr_expect_str_eq(t.log, "1000:h15 1000:after kill 0 1000:reaped 1 sig 15 "
				"1000:reaped 2 10000:reaped 3 exit 0");
	mos_kernel_destroy(k);
}

/* The host: -1 is everyone but init; a group; 0 is nobody. */
Test(signal, host_sends_to_everyone_and_to_groups)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("sleep", "10ms"));
	mos_pid_t b = t_spawn(k, T_ARGV("sleep", "10ms"));

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t_info(k, a).pgid, a);
	cr_expect_eq(t_info(k, b).sid, b);
	cr_expect_eq(mos_process_send_signal(k, 0, MOS_SIGSTOP), MOS_EINVALPID);
	cr_expect_eq(mos_process_send_signal(k, -b, MOS_SIGSTOP), 0);
	cr_expect_eq(t_info(k, a).state, MOS_STATE_BLOCKED);
	cr_expect_eq(t_info(k, b).state, MOS_STATE_SUSPENDED);
	cr_expect_eq(mos_process_send_signal(k, -1, MOS_SIGKILL), 0);
	cr_expect_eq(t_info(k, a).state, MOS_STATE_DEFUNCT);
	cr_expect_eq(t_info(k, b).state, MOS_STATE_DEFUNCT);
	cr_expect_eq(t_info(k, 1).state, MOS_STATE_BLOCKED);
	cr_expect_eq(mos_process_send_signal(k, -1, MOS_SIGKILL), MOS_EPROCNOTFOUND);
	mos_kernel_destroy(k);
}

/* ---- script steps: scenarios without C ------------------------------------ */

static mos_pid_t script(mos_kernel_t *k, const char *steps)
{
	return t_spawn(k, T_ARGV("script", steps));
}

Test(signal, script_steps_handle_mask_pause_alarm_and_kill)
{
	mos_kernel_t *k = t_kernel(NULL);
	/* A pause ended by the host's USR1, caught by an empty handler (it
	 * runs first: it has paused long before 4 ms). */
	mos_pid_t c = script(k, "[{\"signal\":\"USR1\",\"action\":[]},"
			     "{\"pause\":true},{\"exit\":7}]");
	/* An alarm handler that burns 1 ms in the middle of 10 ms. */
	mos_pid_t a = script(k, "[{\"signal\":\"ALRM\",\"action\":[{\"compute\":\"1ms\"}]},"
			     "{\"alarm\":\"3ms\"},{\"compute\":\"10ms\"}]");
	/* Masked, the alarm's default (terminate) waits for the unmask. */
	mos_pid_t b = script(k, "[{\"mask\":[\"ALRM\"]},{\"alarm\":\"1ms\"},"
			     "{\"sleep\":\"5ms\"},{\"unmask\":[14]},{\"exit\":9}]");
	/* A child killed by its parent, who then reaps it. */
	mos_pid_t d = script(k, "[{\"spawn\":[\"idle\"]},{\"sleep\":\"2ms\"},"
			     "{\"kill\":\"child\",\"signal\":\"TERM\"},"
			     "{\"wait\":\"any\"},{\"exit\":3}]");
	mos_process_info_t in;

	cr_assert_eq(mos_kernel_run(k, MS(4)), 0);
	cr_assert_eq(mos_process_send_signal(k, c, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	in = t_info(k, a);
	cr_expect_eq(in.times.cpu_user, MS(11));
	cr_expect_eq(in.signals.caught, 1);
	in = t_info(k, b);
	cr_expect_eq(MOS_WTERMSIG(in.exit_status), MOS_SIGALRM);
	cr_expect(!MOS_WIFEXITED(in.exit_status), "killed before its exit step");
	cr_expect_eq(in.signals.blocked_delivered, 1);
	in = t_info(k, c);
	cr_expect_eq(MOS_WEXITSTATUS(in.exit_status), 7);
	cr_expect_eq(in.signals.caught, 1);
	in = t_info(k, d + 1);
	cr_expect_eq(MOS_WTERMSIG(in.exit_status), MOS_SIGTERM);
	cr_expect_eq(t_info(k, d).exit_status, MOS_W_EXITCODE(3, 0));
	mos_kernel_destroy(k);
}

Test(signal, bad_signal_steps_fail_at_create)
{
	mos_kernel_t *k = t_kernel(NULL);
	static const char *const bad[] = {
		"[{\"signal\":\"KILL\",\"action\":\"ignore\"}]",
		"[{\"signal\":\"STOP\",\"action\":[]}]",
		"[{\"signal\":\"USR1\",\"action\":\"sometimes\"}]",
		"[{\"signal\":\"USR1\"}]",
		"[{\"signal\":0,\"action\":\"ignore\"}]",
		"[{\"kill\":\"nobody\",\"signal\":\"TERM\"}]",
		"[{\"kill\":\"child\",\"signal\":\"BOGUS\"}]",
		"[{\"kill\":\"child\"}]",
		"[{\"mask\":[\"TERM\",\"NOPE\"]}]",
		"[{\"unmask\":\"TERM\"}]",
		"[{\"pause\":false}]",
		"[{\"alarm\":\"soon\"}]",
		"[{\"signal\":\"USR1\",\"action\":[{\"bogus\":1}]}]",
	};
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
					T_ARGV("script", bad[i]), NULL, NULL),
			     MOS_ECONFIG, "%s", bad[i]);
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 1, "nothing was created");
	mos_kernel_destroy(k);
}

/* ---- who may signal whom ---------------------------------------------------- */

typedef struct killer {
	mos_pid_t target;
	int sig;
	int rc;
} killer_t;

static int killer_main(mos_proc_t *self, int argc, char **argv)
{
	killer_t *kl = mos_sys_state(self);

	(void)argc;
	(void)argv;
	kl->rc = mos_sys_kill(self, kl->target, kl->sig);
	return 0;
}

static mos_pid_t cred_spawn(mos_kernel_t *k, mos_pid_t parent, mos_uid_t uid,
			    uint32_t caps, const char *const *argv, void *arg)
{
	mos_process_spec_t spec;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.parent = parent;
	spec.uid = uid;
	spec.caps = caps;
	spec.command = argv;
	spec.arg = arg;
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	return pid;
}

/* The sender (uid, caps) signals a sleeper of target_uid, in the
 * sender's session or not: the code, and whether it was refused. */
static int kill_as(mos_uid_t uid, uint32_t caps, mos_uid_t target_uid,
		   bool same_session, int sig, uint64_t *denials)
{
	mos_kernel_t *k = t_kernel(NULL);
	killer_t kl = {.sig = sig};
	mos_kernel_stats_t st;
	mos_pid_t s, t;

	cr_assert_eq(mos_program_register(k, "killer", killer_main), 0);
	s = cred_spawn(k, 0, uid, caps, T_ARGV("sleep", "1ms"), NULL);
	t = cred_spawn(k, same_session ? s : 0, target_uid, 0,
		       T_ARGV("sleep", "5ms"), NULL);
	kl.target = t;
	cred_spawn(k, same_session ? s : 0, uid, caps, T_ARGV("killer"), &kl);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_kernel_stats(k, &st);
	*denials = st.permission_denials;
	cr_expect_eq(t_info(k, t).state == MOS_STATE_DEFUNCT &&
		     t_info(k, t).times.finished == 0, kl.rc == 0 && sig != MOS_SIGCONT,
		     "uid %u -> %u sig %d", uid, target_uid, sig);
	mos_kernel_destroy(k);
	return kl.rc;
}

Test(signal, kill_permission_matrix)
{
	static const struct {
		mos_uid_t uid;
		uint32_t caps;
		mos_uid_t target;
		bool session;
		int sig;
		int want;
	} m[] = {
		{0, 0, 1000, false, MOS_SIGTERM, 0},            /* root */
		{1000, 0, 1000, false, MOS_SIGTERM, 0},         /* same uid */
		{1000, 0, 2000, false, MOS_SIGTERM, MOS_EPERM}, /* other uid */
		{1000, MOS_CAP_KILL, 2000, false, MOS_SIGTERM, 0},
		{1000, MOS_CAP_NICE | MOS_CAP_ADMIN, 2000, false, MOS_SIGTERM,
		 MOS_EPERM},                                    /* not KILL */
		{1000, 0, 2000, true, MOS_SIGTERM, MOS_EPERM},  /* session: no */
		{1000, 0, 2000, true, MOS_SIGCONT, 0},          /* but CONT */
		{1000, 0, 2000, false, MOS_SIGCONT, MOS_EPERM},
		{1000, 0, 2000, false, 0, MOS_EPERM},           /* even a probe */
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++) {
		uint64_t denials;
		int rc = kill_as(m[i].uid, m[i].caps, m[i].target, m[i].session,
				 m[i].sig, &denials);

		cr_expect_eq(rc, m[i].want, "row %zu: %d", i, rc);
		cr_expect_eq(denials, m[i].want ? 1 : 0, "row %zu", i);
	}
}

/* A process in an isolation domain cannot see, so cannot signal, one
 * outside it: MOS_EPROCNOTFOUND, not a refusal. */
Test(signal, kill_does_not_reach_outside_the_isolation_domain)
{
	mos_kernel_t *k = t_kernel(NULL);
	killer_t kl = {.sig = MOS_SIGTERM};
	mos_process_spec_t spec;
	mos_kernel_stats_t st;
	mos_pid_t outside, in;

	cr_assert_eq(mos_program_register(k, "killer", killer_main), 0);
	outside = t_spawn(k, T_ARGV("sleep", "5ms"));
	kl.target = outside;
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("killer");
	spec.arg = &kl;
	spec.isolation = MOS_ISO_CONTAINER;
	cr_assert_eq(mos_process_create(k, &spec, &in), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(kl.rc, MOS_EPROCNOTFOUND);
	cr_expect_eq(t_info(k, outside).times.finished, MS(5));
	mos_kernel_stats(k, &st);
	cr_expect_eq(st.permission_denials, 0);
	mos_kernel_destroy(k);
}

/* SIGCONT continues a stopped process though it blocks SIGCONT; its
 * handler runs when it unblocks it. */
static int cont_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGCONT, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	mos_sys_sigprocmask(self, MOS_SIG_BLOCK, MOS_SIGBIT(MOS_SIGCONT), NULL);
	mos_sys_compute(self, MS(4));
	say(self, "computed");
	mos_sys_sigprocmask(self, MOS_SIG_UNBLOCK, MOS_SIGBIT(MOS_SIGCONT), NULL);
	say(self, "unblocked");
	return 0;
}

Test(signal, sigcont_continues_even_when_blocked)
{
	mos_kernel_t *k = sig_kernel(cont_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGSTOP), 0);
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGCONT), 0);
	cr_expect_eq(t_info(k, p).state, MOS_STATE_READY);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(t.log, "6000:computed 6000:h18 6000:unblocked");
	mos_kernel_destroy(k);
}

/* SIGCONT to a stopped process that catches it: continued, then its
 * handler runs; one that ignores it: continued, and no more. */
static int cont_act_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);

	(void)argc;
	(void)argv;
	if (t->setup == 0)
		mos_sys_sigaction(self, MOS_SIGCONT, MOS_SIG_CATCH, note_handler,
				  0, 0, NULL);
	else
		mos_sys_sigaction(self, MOS_SIGCONT, MOS_SIG_IGNORE, NULL, 0, 0,
				  NULL);
	mos_sys_compute(self, MS(4));
	say(self, "computed");
	return 0;
}

Test(signal, sigcont_continues_then_acts_as_caught_or_ignored)
{
	for (int setup = 0; setup <= 1; setup++) {
		mos_kernel_t *k = sig_kernel(cont_act_main);
		sigtest_t t = {.setup = setup};
		mos_pid_t p = start(k, &t);
		mos_process_info_t in;
		char buf[512];

		cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
		cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGSTOP), 0);
		cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
		cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGCONT), 0);
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		signal_trace(k, buf, sizeof(buf));
		in = t_info(k, p);
		if (setup == 0) {
			cr_expect_str_eq(t.log, "3000:h18 6000:computed");
			cr_expect_str_eq(buf, "0>2:STOP:stopped@1000 "
				"0>2:CONT:continued@3000 0>2:CONT:pending@3000 "
				"0>2:CONT:caught@3000");
			cr_expect_eq(in.signals.delivered, 3);
			cr_expect_eq(in.signals.caught, 1);
		} else {
			cr_expect_str_eq(t.log, "6000:computed");
			cr_expect_str_eq(buf, "0>2:STOP:stopped@1000 "
				"0>2:CONT:continued@3000");
			cr_expect_eq(in.signals.delivered, 2);
			cr_expect_eq(in.signals.caught, 0);
		}
		cr_expect_eq(in.signals.received, 2);
		cr_expect_eq(in.signals.ignored, 0);
		mos_kernel_destroy(k);
	}
}

/* A pending stop is discarded by SIGCONT, a pending SIGCONT by a stop. */
static int discard_main(mos_proc_t *self, int argc, char **argv)
{
	sigtest_t *t = mos_sys_state(self);
	mos_sigset_t pend;

	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGCONT, MOS_SIG_CATCH, note_handler, 0, 0,
			  NULL);
	mos_sys_sigprocmask(self, MOS_SIG_BLOCK,
			    MOS_SIGBIT(MOS_SIGTSTP) | MOS_SIGBIT(MOS_SIGCONT), NULL);
	mos_sys_sleep(self, MS(2));
	mos_sys_sigpending(self, &pend);
	say(self, "pend=%x", pend);
	mos_sys_sleep(self, MS(2));
	mos_sys_sigpending(self, &pend);
	say(self, "pend=%x", pend);
	t->rc = mos_sys_sigprocmask(self, MOS_SIG_SETMASK, 0, NULL);
	say(self, "unblocked");
	return 0;
}

Test(signal, stop_and_continue_discard_each_others_pending)
{
	mos_kernel_t *k = sig_kernel(discard_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGTSTP), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGCONT), 0);
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGTSTP), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* 1 ms: TSTP pending, then CONT drops it and waits itself; 3 ms:
	 * TSTP drops the CONT; unblocked at 4 ms, the TSTP stops it. */
	cr_expect_str_eq(t.log, "2000:pend=40000 4000:pend=100000");
	cr_expect_eq(t_info(k, p).state, MOS_STATE_SUSPENDED);
	mos_kernel_destroy(k);
}

/* Scripts nest at most 32 brackets deep: a spawn parses its child's
 * script on the parent's small coroutine stack. */
Test(signal, scripts_nest_at_most_32_deep)
{
	mos_kernel_t *k = t_kernel(NULL);
	char deep[1024], *p;
	mos_pid_t pid;

	for (int depth = 31; depth <= 33; depth += 2) {
		/* [{"repeat":1,"steps":[ ... ]}] nests two per level. */
		p = deep;
		for (int i = 0; i < (depth - 1) / 2; i++)
			p += sprintf(p, "[{\"repeat\":1,\"steps\":");
		p += sprintf(p, "[]");
		for (int i = 0; i < (depth - 1) / 2; i++)
			p += sprintf(p, "}]");
		cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
					T_ARGV("script", deep), NULL, &pid),
			     depth <= 32 ? 0 : MOS_ECONFIG, "depth %d: %s", depth, deep);
	}
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_kernel_destroy(k);
}

/* A handler that re-enables its signal (NODEFER) and raises it recurses;
 * the 33rd nested handler is a stack overflow: SIGSEGV, not a host
 * crash. */
static void recurse(mos_proc_t *self, int sig)
{
	sigtest_t *t = mos_sys_state(self);

	t->rc++;
	mos_sys_kill(self, mos_sys_getpid(self), sig);
}

static int recurse_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, recurse, 0,
			  MOS_SA_NODEFER, NULL);
	mos_sys_kill(self, mos_sys_getpid(self), MOS_SIGUSR1);
	return 0;
}

Test(signal, runaway_handler_nesting_is_a_stack_overflow)
{
	mos_kernel_t *k = sig_kernel(recurse_main);
	sigtest_t t = {0};
	mos_pid_t p = start(k, &t);
	int st;

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	st = t_info(k, p).exit_status;
	cr_expect_eq(t.rc, 32);
	cr_expect(MOS_WIFSIGNALED(st) && MOS_WTERMSIG(st) == MOS_SIGSEGV &&
		  MOS_WCOREDUMP(st), "status %#x", st);
	mos_kernel_destroy(k);
}
