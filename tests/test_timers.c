/*
 * tests/test_timers.c - the kernel's general timers (mos__ktimer_*), the
 * seam later subsystems arm their work on: order at one instant (band,
 * then arming order, then the process's own wake-up band), re-arm and
 * cancel by handle, and background timers that do not keep a run going.
 * White box: the API is internal to the kernel and its subsystems.
 */
#include <string.h>

#include "helpers.h"
#include "kernel/kernel_int.h"
#include "timeout.h"

TestSuite(timers, .timeout = T_TIMEOUT);

typedef struct log {
	char text[256];
	mos_kernel_t *k;
} log_t;

typedef struct tag {
	log_t *log;
	const char *name;
	mos_time_t period; /* re-arm this much later; 0: once */
	int left;          /* re-arms left */
	uint8_t band;
} tag_t;

/* Note "name@ms" and re-arm if periodic. */
static void note(void *arg, mos_timer_t *t)
{
	tag_t *g = arg;
	log_t *l = g->log;
	size_t len = strlen(l->text);

	snprintf(l->text + len, sizeof(l->text) - len, "%s%s@%llu",
		 len ? " " : "", g->name,
		 (unsigned long long)(mos_kernel_now(l->k) / MOS_MSEC));
	if (g->period && g->left-- > 0)
		mos__ktimer_arm(l->k, t, mos_kernel_now(l->k) + g->period, g->band);
}

static void init_all(mos_kernel_t *k, mos_timer_t *t, tag_t *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mos__ktimer_init(k, &t[i], note, &g[i], false), 0);
}

static void fini_all(mos_kernel_t *k, mos_timer_t *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mos__ktimer_fini(k, &t[i]);
}

/*
 * Three timers on one process's behalf and the process's own sleep, all
 * due at 10 ms: band first (the admission band, then wake-ups, then a
 * later band), arming order within a band; the sleeper wakes in the
 * wake-up band, after the timer of that band armed before its sleep.
 */
Test(timers, same_instant_fires_in_band_then_arming_order)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t l = {.k = k};
	tag_t g[3] = {{&l, "A", 0, 0, MOS_BAND_SERVICE},
		      {&l, "B", 0, 0, MOS_BAND_WAKE},
		      {&l, "C", 0, 0, MOS_BAND_ADMIT}};
	mos_timer_t t[3];
	mos_pid_t s;

	init_all(k, t, g, 3);
	for (int i = 0; i < 3; i++)
		mos__ktimer_arm(k, &t[i], MS(10), g[i].band);
	s = t_spawn(k, T_ARGV("sleep", "10ms")); /* arms its wake at 0 */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(l.text, "C@10 B@10 A@10");
	/* B was armed before the sleeper's wake-up: it fired first. */
	cr_expect_eq(t_info(k, s).times.finished, MS(10));
	fini_all(k, t, 3);
	mos_kernel_destroy(k);
}

/* Re-arming moves a timer behind those armed since; a cancelled one does
 * not fire; a timer may re-arm itself from its callback. */
Test(timers, rearm_cancel_and_periodic)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t l = {.k = k};
	tag_t g[4] = {{&l, "A", 0, 0, MOS_BAND_SERVICE},
		      {&l, "B", 0, 0, MOS_BAND_SERVICE},
		      {&l, "C", 0, 0, MOS_BAND_SERVICE},
		      {&l, "P", MS(3), 2, MOS_BAND_SERVICE}};
	mos_timer_t t[4];

	init_all(k, t, g, 4);
	mos__ktimer_arm(k, &t[0], MS(5), MOS_BAND_SERVICE);
	mos__ktimer_arm(k, &t[1], MS(5), MOS_BAND_SERVICE);
	mos__ktimer_arm(k, &t[2], MS(4), MOS_BAND_SERVICE);
	mos__ktimer_arm(k, &t[0], MS(5), MOS_BAND_SERVICE); /* behind B now */
	mos__ktimer_cancel(k, &t[2]);
	mos__ktimer_arm(k, &t[3], MS(2), MOS_BAND_SERVICE);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(l.text, "P@2 B@5 A@5 P@5 P@8");
	cr_expect_eq(mos_kernel_now(k), MS(8));
	fini_all(k, t, 4);
	mos_kernel_destroy(k);
}

/*
 * A background sampler every 2 ms, for ever: alone it does not keep a
 * run to MOS_TIME_NEVER going; beside a process sleeping 7 ms it fires
 * until the process is gone, then the run ends.  mos_kernel_next_event
 * ignores it as a run does.
 */
Test(timers, background_timers_do_not_keep_a_run_going)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t l = {.k = k};
	tag_t s = {&l, "S", MS(2), 1000000, MOS_BAND_SCENARIO};
	mos_timer_t ts;

	cr_assert_eq(mos__ktimer_init(k, &ts, note, &s, true), 0);
	mos__ktimer_arm(k, &ts, MS(2), s.band);
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), 0);
	cr_expect_str_eq(l.text, "");
	t_spawn(k, T_ARGV("sleep", "7ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(l.text, "S@2 S@4 S@6");
	cr_expect_eq(mos_kernel_now(k), MS(7));
	cr_expect(mos__timer_armed(&ts)); /* still armed, for 8 ms */
	/* A run with an end does fire it. */
	cr_assert_eq(mos_kernel_run(k, MS(9)), 0);
	cr_expect_str_eq(l.text, "S@2 S@4 S@6 S@8");
	mos__ktimer_fini(k, &ts);
	mos_kernel_destroy(k);
}

/*
 * A timer armed at MOS_TIME_NEVER (a saturated sum, say) is no time the
 * clock may jump to: beside a 3 ms sleeper, the run goes to 3 ms and then
 * stops with MOS_ERANGE, the timer unfired, as a burst that would end at
 * "never" stops it; every later run fails the same way.
 */
Test(timers, a_timer_at_never_stops_the_run_out_of_range)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t l = {.k = k};
	tag_t g = {&l, "N", 0, 0, MOS_BAND_SERVICE};
	mos_timer_t t;
	mos_pid_t s;

	init_all(k, &t, &g, 1);
	mos__ktimer_arm(k, &t, MOS_TIME_NEVER, g.band);
	s = t_spawn(k, T_ARGV("sleep", "3ms"));
	cr_expect_eq(mos_kernel_run(k, MOS_TIME_NEVER), MOS_ERANGE);
	cr_expect_eq(mos_kernel_now(k), MS(3));
	cr_expect_eq(t_info(k, s).times.finished, MS(3));
	cr_expect_str_eq(l.text, "");
	cr_expect(mos__timer_armed(&t));
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	cr_expect_eq(mos_kernel_run(k, MOS_TIME_NEVER), MOS_ERANGE);
	cr_expect_eq(mos_kernel_now(k), MS(3));
	fini_all(k, &t, 1);
	mos_kernel_destroy(k);
}
