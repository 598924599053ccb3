/*
 * tests/test_stack_guard.c - stack overflow detection at the kernel level.
 *
 * White-box: the program smashes its own stack canary through the control
 * block (what a real overflow would do, without the undefined behaviour of
 * actually running off the stack), then makes a syscall.  The kernel checks
 * the canary on every switch back and kills the process with SIGSEGV; the
 * other processes carry on.
 */
#include <string.h>

#include "helpers.h"
#include "kernel/kernel_int.h"
#include "timeout.h"

TestSuite(stack_guard, .timeout = T_TIMEOUT);

static int smash_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(1));
	memset(self->stack->lo, 0xa5, 8);
	mos_sys_compute(self, MS(1)); /* never completes */
	return 0;
}

/* Run program `main` (which smashes its canary) beside `other` to the
 * end; the smasher must have died of SIGSEGV and the other exited. */
static mos_kernel_t *run_smasher(mos_main_fn main, const char *const *other,
				 mos_pid_t *bad, mos_process_info_t *b,
				 mos_process_info_t *g)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t good;

	cr_assert_eq(mos_program_register(k, "smash", main), 0);
	*bad = t_spawn(k, T_ARGV("smash"));
	good = t_spawn(k, other);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	*b = t_info(k, *bad);
	*g = t_info(k, good);
	cr_assert_eq(b->state, MOS_STATE_DEFUNCT);
	cr_assert(MOS_WIFSIGNALED(b->exit_status));
	cr_assert_eq(MOS_WTERMSIG(b->exit_status), MOS_SIGSEGV);
	cr_assert(MOS_WIFEXITED(g->exit_status));
	return k;
}

Test(stack_guard, smashed_canary_is_sigsegv)
{
	mos_pid_t bad;
	mos_process_info_t b, g;
	mos_kernel_t *k = run_smasher(smash_main, T_ARGV("cpu", "3ms"), &bad, &b, &g);

	cr_assert_eq(b.times.finished, MS(1));
	cr_assert_eq(b.times.cpu_user, MS(1));
	cr_assert_eq(g.times.finished, MS(4));

	/* The trace says why. */
	size_t n;
	mos_trace_event_t ev;
	bool seen = false;
	mos_trace_get(k, 0, NULL, &n);
	for (size_t i = 0; i < n; i++) {
		mos_trace_get(k, i, &ev, NULL);
		seen |= ev.subject == bad && ev.cause == MOS_CAUSE_CRASH;
	}
	cr_assert(seen);
	mos_kernel_destroy(k);
}

/*
 * A process that only yields (every switch direct, see
 * docs/ARCHITECTURE.md) and smashes its canary is caught within 64 of its
 * yields: direct yields check the canary on every 64th yield of the
 * process, and go through the run loop, which always checks, when the
 * stack is near the canary.
 */
static int yields_after_smash;

static int smash_then_yield_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_yield(self);
	memset(self->stack->lo, 0xa5, 8);
	/* Bounded, so that a kernel that misses the smash lets this process
	 * exit normally (and the test fail) instead of spinning for ever. */
	for (int i = 0; i < 4 * 64; i++) {
		mos_sys_yield(self);
		yields_after_smash++;
	}
	return 0;
}

Test(stack_guard, smash_caught_within_64_direct_yields)
{
	mos_pid_t bad;
	mos_process_info_t b, g;
	mos_kernel_t *k = run_smasher(
		smash_then_yield_main,
		T_ARGV("script", "[{\"repeat\":200,\"steps\":[{\"yield\":true}]}]"),
		&bad, &b, &g);

	/* At most 63 yields complete after the smash; without the check the
	 * process would have exited after its 256 yields. */
	cr_assert_lt(yields_after_smash, 64);
	cr_assert_eq(g.state, MOS_STATE_DEFUNCT);
	mos_kernel_destroy(k);
}
