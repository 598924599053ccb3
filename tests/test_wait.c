/*
 * tests/test_wait.c - wait channels (src/kernel/seams.h): FIFO wake-ups,
 * timeouts, cancellation from outside with a code, the interplay with
 * suspension and death, and sleep and waitpid built on them.  White box:
 * the channel API is internal to the kernel and its subsystems.
 */
#include "helpers.h"
#include "kernel/kernel_int.h"
#include "strength.h"
#include "timeout.h"

TestSuite(wait, .timeout = T_TIMEOUT);

/* What one waiter saw: the result of its wait and when it returned. */
typedef struct waiter {
	mos_wchan_t *chan;
	mos_time_t timeout;
	unsigned flags;
	int result;
	mos_time_t when;
	bool done;
} waiter_t;

static int chan_wait_main(mos_proc_t *self, int argc, char **argv)
{
	waiter_t *w = mos_sys_state(self);

	(void)argc;
	(void)argv;
	w->result = mos__wait(self, w->chan, w->timeout, w->flags,
			      MOS_CAUSE_SLEEP);
	w->when = mos_sys_now(self);
	w->done = true;
	return 0;
}

static mos_kernel_t *chan_kernel(void)
{
	mos_kernel_t *k = t_kernel(NULL);

	cr_assert_eq(mos_program_register(k, "chan-wait", chan_wait_main), 0);
	return k;
}

static mos_pid_t start(mos_kernel_t *k, waiter_t *w)
{
	return t_spawn_arg(k, T_ARGV("chan-wait"), w);
}

/* Three waiters block in pid order at 0; each wake_one at 1, 2, 3 ms
 * releases the longest waiter with the code given. */
Test(wait, wake_one_is_fifo_with_the_wakers_result)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w[3];

	mos__wchan_init(&c);
	for (int i = 0; i < 3; i++) {
		w[i] = (waiter_t){.chan = &c, .timeout = MOS_TIME_NEVER};
		start(k, &w[i]);
	}
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(mos__wchan_wake_one(k, &c, 10 + i), true);
		cr_assert_eq(mos_kernel_run(k, MS(2 + i)), 0);
	}
	cr_expect_eq(mos__wchan_wake_one(k, &c, 99), false, "channel empty");
	for (int i = 0; i < 3; i++) {
		cr_expect(w[i].done);
		cr_expect_eq(w[i].result, 10 + i, "waiter %d", i);
		cr_expect_eq(w[i].when, MS(1 + i), "waiter %d", i);
	}
	mos_kernel_destroy(k);
}

Test(wait, wake_all_wakes_in_fifo_order)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w[3];
	mos_pid_t pid[3];
	char buf[256];

	mos__wchan_init(&c);
	for (int i = 0; i < 3; i++) {
		w[i] = (waiter_t){.chan = &c, .timeout = MOS_TIME_NEVER};
		pid[i] = start(k, &w[i]);
	}
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos__wchan_wake_all(k, &c, 5), 3);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	t_trace_str(k, 0, MOS_CAUSE_WAKE, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2:1 3:1 4:1");
	for (int i = 0; i < 3; i++)
		cr_expect_eq(w[i].result, 5);
	cr_expect_eq(pid[0], 2);
	mos_kernel_destroy(k);
}

/* The timeout ends the wait at exactly now + timeout, takes the waiter
 * off the channel, and a later wake finds nobody. */
Test(wait, timeout_returns_etimedout_at_the_exact_time)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w = {.chan = &c, .timeout = MS(5)};

	mos__wchan_init(&c);
	start(k, &w);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.result, MOS_ETIMEDOUT);
	cr_expect_eq(w.when, MS(5));
	cr_expect(mos__wchan_empty(&c));
	cr_expect_eq(mos__wchan_wake_one(k, &c, 1), false);
	mos_kernel_destroy(k);
}

/* A wake in a later band at the instant of the timeout comes too late:
 * the timeout (wake-up band) ended the wait first. */
static void wake_chan(void *arg, mos_timer_t *t)
{
	(void)t;
	*(bool *)((void **)arg)[1] =
		mos__wchan_wake_one(((void **)arg)[2], ((void **)arg)[0], 1);
}

Test(wait, timeout_and_wake_at_one_instant_count_once)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w = {.chan = &c, .timeout = MS(5)};
	bool woke = true;
	void *arg[3] = {&c, &woke, k};
	mos_timer_t t;

	mos__wchan_init(&c);
	cr_assert_eq(mos__ktimer_init(k, &t, wake_chan, arg, false), 0);
	mos__ktimer_arm(k, &t, MS(5), MOS_BAND_SERVICE);
	start(k, &w);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.result, MOS_ETIMEDOUT);
	cr_expect_eq(woke, false, "the waker found the channel empty");
	mos__ktimer_fini(k, &t);
	mos_kernel_destroy(k);
}

/* Cancelled from outside at 3 ms: the call returns the code at 3 ms, the
 * timeout is gone (nothing at 50 ms), the trace says "interrupt". */
Test(wait, cancel_returns_the_code_at_the_exact_time)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w = {.chan = &c, .timeout = MS(50),
		      .flags = MOS_WAIT_INTERRUPTIBLE};
	mos_pid_t pid;
	char buf[128];

	mos__wchan_init(&c);
	pid = start(k, &w);
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos__wait_cancel(k, mos__proc_lookup(k, pid), MOS_EINTR), 0);
	cr_expect(mos__wchan_empty(&c));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.result, MOS_EINTR);
	cr_expect_eq(w.when, MS(3));
	cr_expect_eq(mos_kernel_now(k), MS(3), "the 50 ms timeout was cancelled");
	t_trace_str(k, pid, MOS_CAUSE_INTERRUPT, buf, sizeof(buf));
	cr_expect_str_eq(buf, "3");
	mos_kernel_destroy(k);
}

Test(wait, cancel_refuses_uninterruptible_and_non_waiting)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w = {.chan = &c, .timeout = MS(5)};
	mos_pid_t pid, busy;

	mos__wchan_init(&c);
	pid = start(k, &w);
	busy = t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_run(k, 500 * MOS_USEC), 0);
	cr_expect_eq(mos__wait_cancel(k, mos__proc_lookup(k, pid), MOS_EINTR),
		     MOS_EPERM);
	cr_expect_eq(mos__wait_cancel(k, mos__proc_lookup(k, busy), MOS_EINTR),
		     MOS_EINVALSTATE);
	cr_expect_eq(mos__wait_cancel(k, k->init, MOS_EINTR), MOS_EPERM,
		     "init's wait is not interruptible");
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.result, MOS_ETIMEDOUT);
	cr_expect_eq(w.when, MS(5));
	mos_kernel_destroy(k);
}

/* A sleep is an interruptible wait on no channel. */
Test(wait, sleep_cancelled_returns_the_code)
{
	mos_kernel_t *k = chan_kernel();
	waiter_t w = {.chan = NULL, .timeout = MS(10),
		      .flags = MOS_WAIT_INTERRUPTIBLE};
	mos_pid_t pid = start(k, &w), s;

	s = t_spawn(k, T_ARGV("sleep", "10ms"));
	cr_assert_eq(mos_kernel_run(k, MS(4)), 0);
	cr_assert_eq(mos__wait_cancel(k, mos__proc_lookup(k, pid), MOS_EINTR), 0);
	cr_assert_eq(mos__wait_cancel(k, mos__proc_lookup(k, s), MOS_EINTR), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.result, MOS_EINTR);
	cr_expect_eq(w.when, MS(4));
	/* The built-in sleep program ends when its sleep does. */
	cr_expect_eq(t_info(k, s).times.finished, MS(4));
	mos_kernel_destroy(k);
}

/* Woken while Suspended: the wake-up waits for the resume, with its
 * result; a suspended waiter is still on its channel until then. */
Test(wait, wake_while_suspended_is_kept_until_resume)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w = {.chan = &c, .timeout = MOS_TIME_NEVER};
	mos_pid_t pid;

	mos__wchan_init(&c);
	pid = start(k, &w);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_suspend(k, pid), 0);
	cr_expect(!mos__wchan_empty(&c));
	cr_assert_eq(mos__wchan_wake_one(k, &c, 42), true);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_expect(!w.done);
	cr_expect_eq(t_info(k, pid).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_process_resume(k, pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.result, 42);
	cr_expect_eq(w.when, MS(2));
	mos_kernel_destroy(k);
}

/* A killed waiter leaves its channel and its timeout. */
Test(wait, killed_waiter_leaves_the_channel)
{
	mos_kernel_t *k = chan_kernel();
	mos_wchan_t c;
	waiter_t w[2] = {{.chan = &c, .timeout = MS(20)},
			 {.chan = &c, .timeout = MOS_TIME_NEVER}};
	mos_pid_t a;

	mos__wchan_init(&c);
	a = start(k, &w[0]);
	start(k, &w[1]);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_process_terminate(k, a, true), 0);
	cr_assert_eq(mos__wchan_wake_one(k, &c, 3), true);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect(!w[0].done);
	cr_expect_eq(w[1].result, 3, "the second waiter got the wake");
	cr_expect_eq(mos_kernel_now(k), MS(1), "the dead one's timeout is gone");
	mos_kernel_destroy(k);
}

/* waitpid is an interruptible wait on the parent's child-exit channel: a
 * cancel returns the code and reaps nothing. */
static int waitpid_main(mos_proc_t *self, int argc, char **argv)
{
	waiter_t *w = mos_sys_state(self);
	mos_pid_t child;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &child), 0);
	w->result = mos_sys_waitpid(self, child, NULL, 0);
	w->when = mos_sys_now(self);
	w->done = true;
	mos_sys_sleep(self, MS(20)); /* stays the parent meanwhile */
	return 0;
}

Test(wait, waitpid_cancelled_returns_the_code_and_reaps_nothing)
{
	mos_kernel_t *k = chan_kernel();
	waiter_t w = {0};
	mos_pid_t pid;

	cr_assert_eq(mos_program_register(k, "waitpid-test", waitpid_main), 0);
	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("waitpid-test"), &w, &pid), 0);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_eq(mos__wait_cancel(k, mos__proc_lookup(k, pid), MOS_EINTR), 0);
	cr_assert_eq(mos_kernel_run(k, MS(15)), 0);
	cr_expect_eq(w.result, MOS_EINTR);
	cr_expect_eq(w.when, MS(2));
	cr_expect_eq(t_info(k, pid + 1).state, MOS_STATE_ZOMBIE,
		     "the child died at 10 ms and nobody reaped it");
	mos_kernel_destroy(k);
}
