/*
 * tests/test_res_monitor.c - monitoring (multios/resource.h): the rates of
 * mos_kernel_stats_t over the sliding window at exact virtual times
 * (creations, terminations, switches, the device's utilisation), the
 * kernel-wide signal counters, monitoring off, the background sampler
 * (never keeps a run going, exact values, rings that drop the oldest, a
 * ring that cannot be made), the JSON export and the Chrome counter
 * tracks, and hostile arguments.
 */
#include <jansson.h>
#include <string.h>

#include "helpers.h"
#include "timeout.h"
#include "resource/res_local.h"

TestSuite(res_monitor, .timeout = T_TIMEOUT);

static void run_to(mos_kernel_t *k, mos_time_t t)
{
	cr_assert_eq(mos_kernel_run(k, t), 0);
	cr_assert_eq(mos_kernel_now(k), t);
}

/* A rate as the library computes it: n events over a window of w ns. */
static double rate(uint64_t n, mos_time_t w)
{
	return (double)n * 1e9 / (double)w;
}

static mos_config_t sampling(mos_time_t interval, uint32_t capacity)
{
	mos_config_t c;

	mos_config_default(&c);
	c.res.sample_interval = interval;
	c.res.sample_capacity = capacity;
	return c;
}

/* ---- rates --------------------------------------------------------- */

Test(res_monitor, creation_rate_slides_by_steps)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_monitor_info_t in;

	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.window, MOS_SEC);
	cr_expect_eq(in.step, MS(100));
	cr_expect_eq(in.interval, 0);
	cr_expect_eq(in.capacity, 64);

	/* One creation at 0, 100, ..., 900 ms. */
	for (int i = 0; i < 10; i++) {
		run_to(k, MS(100 * i));
		t_spawn(k, T_ARGV("sleep", "10s"));
	}
	/* [-100 ms, 900 ms): the first nine; the one at 900 ms is not in
	 * before the clock passes 1 s. */
	cr_expect_eq(t_kstats(k).creation_rate, rate(9, MOS_SEC));
	run_to(k, MS(950));
	cr_expect_eq(t_kstats(k).creation_rate, rate(9, MOS_SEC));
	run_to(k, MOS_SEC); /* [0, 1 s) */
	cr_expect_eq(t_kstats(k).creation_rate, 10.0);
	run_to(k, MS(1099)); /* still [0, 1 s) */
	cr_expect_eq(t_kstats(k).creation_rate, 10.0);
	run_to(k, MS(1500)); /* [500 ms, 1.5 s): 500 .. 900 */
	cr_expect_eq(t_kstats(k).creation_rate, 5.0);
	run_to(k, MS(1900)); /* [900 ms, 1.9 s) */
	cr_expect_eq(t_kstats(k).creation_rate, 1.0);
	run_to(k, MS(2000));
	cr_expect_eq(t_kstats(k).creation_rate, 0.0);
	cr_expect_eq(t_kstats(k).termination_rate, 0.0);
	mos_kernel_destroy(k);
}

Test(res_monitor, termination_and_switch_rates)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_kernel_stats_t st;

	mos_config_default(&c);
	snprintf(c.sched.policy, sizeof(c.sched.policy), "rr");
	c.sched.time_slice = MS(10);
	k = t_kernel(&c);
	/* Two 100 ms bursts in 10 ms turns: a switch at 10, 20, ... 190 ms
	 * (19), exits at 190 and 200 ms. */
	t_spawn(k, T_ARGV("cpu", "100ms"));
	t_spawn(k, T_ARGV("cpu", "100ms"));
	run_to(k, MS(150));
	st = t_kstats(k);
	cr_expect_eq(st.switch_rate, 9.0, "10 .. 90 ms: %f", st.switch_rate);
	cr_expect_eq(st.creation_rate, 2.0);
	cr_expect_eq(st.termination_rate, 0.0);
	run_to(k, MS(1000));
	st = t_kstats(k);
	cr_expect_eq(st.context_switches, 19);
	cr_expect_eq(st.switch_rate, 19.0);
	cr_expect_eq(st.termination_rate, 2.0);
	run_to(k, MS(1150)); /* [100 ms, 1.1 s) */
	st = t_kstats(k);
	cr_expect_eq(st.switch_rate, 10.0);
	cr_expect_eq(st.creation_rate, 0.0);
	cr_expect_eq(st.termination_rate, 2.0);
	run_to(k, MS(1200)); /* [200 ms, 1.2 s): the exit at 200 ms is in */
	st = t_kstats(k);
	cr_expect_eq(st.switch_rate, 0.0);
	cr_expect_eq(st.termination_rate, 1.0);
	run_to(k, MS(1300));
	cr_expect_eq(t_kstats(k).termination_rate, 0.0);
	mos_kernel_destroy(k);
}

Test(res_monitor, window_not_a_multiple_of_ten)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_monitor_info_t in;

	mos_config_default(&c);
	c.res.monitor_window = MS(7) + 7; /* 7 steps of 1 ms + 1 ns */
	k = t_kernel(&c);
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.step, MS(1) + 1);
	run_to(k, MS(3) + 3); /* a boundary */
	t_spawn(k, T_ARGV("sleep", "1s"));
	t_spawn(k, T_ARGV("sleep", "1s"));
	run_to(k, MS(4) + 3);
	cr_expect_eq(t_kstats(k).creation_rate, 0.0, "t0 = 3 ms + 3 ns: %f",
		     t_kstats(k).creation_rate);
	run_to(k, MS(4) + 4);
	cr_expect_eq(t_kstats(k).creation_rate, rate(2, MS(7) + 7));
	run_to(k, MS(10) + 10); /* [3 ms + 3, 10 ms + 10): still in */
	cr_expect_eq(t_kstats(k).creation_rate, rate(2, MS(7) + 7));
	run_to(k, MS(11) + 10); /* [3 ms + 3, 10 ms + 10) */
	cr_expect_eq(t_kstats(k).creation_rate, rate(2, MS(7) + 7));
	run_to(k, MS(11) + 11); /* [4 ms + 4, 11 ms + 11) */
	cr_expect_eq(t_kstats(k).creation_rate, 0.0);
	mos_kernel_destroy(k);

	/* A prime number of ns: one step, the whole window. */
	c.res.monitor_window = 1000003;
	k = t_kernel(&c);
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.step, 1000003);
	mos_kernel_destroy(k);
}

/* The device's busy counters, changed as the device does. */
static void dev_start(mos_kernel_t *k)
{
	mos_res_dev_t *d = &mos__kernel_res(k)->dev;

	d->queued++;
	d->in_service++;
	d->busy_since = mos_kernel_now(k);
}

static void dev_end(mos_kernel_t *k)
{
	mos_res_dev_t *d = &mos__kernel_res(k)->dev;

	d->busy += mos_kernel_now(k) - d->busy_since;
	d->in_service--;
	d->queued--;
	d->completed++;
}

Test(res_monitor, device_utilisation_and_queue)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;

	/* A request in service from 250 to 650 ms. */
	run_to(k, MS(250));
	dev_start(k);
	st = t_kstats(k);
	cr_expect_eq(st.device_queue, 1);
	cr_expect_eq(st.device_utilisation, 0.0);
	run_to(k, MS(600)); /* in service: [-400, 600) has 350 ms */
	cr_expect_eq(t_kstats(k).device_utilisation, (double)MS(350) / 1e9);
	run_to(k, MS(650));
	dev_end(k);
	st = t_kstats(k);
	cr_expect_eq(st.device_queue, 0);
	cr_expect_eq(st.io_requests, 1);
	run_to(k, MS(1000));
	cr_expect_eq(t_kstats(k).device_utilisation, (double)MS(400) / 1e9);
	run_to(k, MS(1300)); /* [300 ms, 1.3 s) */
	cr_expect_eq(t_kstats(k).device_utilisation, (double)MS(350) / 1e9);
	run_to(k, MS(1500));
	cr_expect_eq(t_kstats(k).device_utilisation, (double)MS(150) / 1e9);
	run_to(k, MS(1700));
	cr_expect_eq(t_kstats(k).device_utilisation, 0.0);
	mos_kernel_destroy(k);
}

Test(res_monitor, memory_from_the_memory_manager)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_res_mem_kernel_t *m = &mos__kernel_res(k)->mem;
	mos_kernel_stats_t st;

	m->used = 4096;
	m->peak = 8192;
	st = t_kstats(k);
	cr_expect_eq(st.memory_used, 4096);
	cr_expect_eq(st.memory_peak, 8192);
	mos_kernel_destroy(k);
}

/* The last handles a kernel may give: the serial never wraps to name a
 * live slot again; past it, alloc is refused and changes nothing. */
static int wrap_rc[3];
static mos_mem_handle_t wrap_h[2];

static int wrap_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	wrap_rc[0] = mos_sys_alloc(self, 100, &wrap_h[0]);
	wrap_rc[1] = mos_sys_alloc(self, 100, &wrap_h[1]);
	wrap_rc[2] = mos_sys_free(self, wrap_h[0]);
	return 0;
}

Test(res_monitor, memory_handles_are_never_given_twice)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_res_mem_kernel_t *m = &mos__kernel_res(k)->mem;

	m->serial = (UINT64_C(1) << 40) - 2;
	mos_program_register(k, "wrap", wrap_main);
	t_spawn(k, T_ARGV("wrap"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(wrap_rc[0], 0);
	cr_expect_eq(wrap_h[0] >> 24, (UINT64_C(1) << 40) - 1, "the last serial");
	cr_expect_eq(wrap_rc[1], MOS_EEXHAUSTED);
	cr_expect_eq(wrap_h[1], 0, "nothing written");
	cr_expect_eq(wrap_rc[2], 0);
	cr_expect_eq(m->used, 0, "the refused one charged nothing");
	mos_kernel_destroy(k);
}

/* ---- signals ------------------------------------------------------- */

static void ignore(mos_proc_t *self, int sig)
{
	(void)self;
	(void)sig;
}

static int catcher(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, ignore, 0, 0, NULL);
	mos_sys_sleep(self, MS(100));
	mos_sys_sleep(self, MS(100));
	return 0;
}

Test(res_monitor, signals_sent_and_delivered)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a, b;
	mos_kernel_stats_t st;

	cr_assert_eq(mos_program_register(k, "catcher", catcher), 0);
	a = t_spawn(k, T_ARGV("catcher"));
	b = t_spawn(k, T_ARGV("sleep", "1s"));
	run_to(k, MS(10));
	cr_assert_eq(mos_process_send_signal(k, a, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_process_send_signal(k, b, MOS_SIGSTOP), 0);
	st = t_kstats(k);
	cr_expect_eq(st.signals_sent, 2);
	cr_expect_eq(st.signals_delivered, 1, "the stop took effect, the "
		     "caught one waits for its process to run");
	run_to(k, MS(20));
	st = t_kstats(k);
	cr_expect_eq(st.signals_delivered, 2);
	cr_assert_eq(mos_process_send_signal(k, b, MOS_SIGCONT), 0);
	cr_assert_eq(mos_process_send_signal(k, b, MOS_SIGKILL), 0);
	st = t_kstats(k);
	cr_expect_eq(st.signals_sent, 4);
	cr_expect_eq(st.signals_delivered, 4);
	run_to(k, MS(300)); /* a's death sends init nothing */
	st = t_kstats(k);
	cr_expect_eq(st.signals_sent, 4);
	cr_expect_eq(st.signals_delivered, 4);
	cr_expect_eq(t_info(k, a).state, MOS_STATE_DEFUNCT);
	mos_kernel_destroy(k);
}

/* ---- off ----------------------------------------------------------- */

Test(res_monitor, monitoring_off_gives_zeros)
{
	mos_config_t c = sampling(MS(10), 8);
	mos_kernel_t *k;
	mos_kernel_stats_t st;
	mos_monitor_info_t in;
	size_t n = 99;

	c.enable_resource_monitoring = false;
	k = t_kernel(&c);
	t_spawn(k, T_ARGV("cpu", "50ms"));
	t_spawn(k, T_ARGV("cpu", "50ms"));
	run_to(k, MS(500));
	dev_start(k);
	run_to(k, MS(1000));
	st = t_kstats(k);
	cr_expect_gt(st.context_switches, 0);
	cr_expect_eq(st.creation_rate, 0.0);
	cr_expect_eq(st.termination_rate, 0.0);
	cr_expect_eq(st.switch_rate, 0.0);
	cr_expect_eq(st.device_utilisation, 0.0);
	cr_expect_eq(st.device_queue, 1, "not a rate: always reported");
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.interval, 0);
	cr_expect_eq(in.samples, 0);
	cr_assert_eq(mos_monitor_samples_kernel(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 0);
	dev_end(k);
	mos_kernel_destroy(k);
}

/* ---- sampling ------------------------------------------------------ */

Test(res_monitor, sampler_does_not_keep_a_run_going)
{
	mos_config_t c = sampling(MS(10), 16);
	mos_kernel_t *k = t_kernel(&c);
	mos_sample_kernel_t ks[16];
	size_t n = 0;

	t_spawn(k, T_ARGV("sleep", "50ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(50));
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	cr_assert_eq(mos_monitor_samples_kernel(k, ks, 16, &n), 0);
	cr_assert_eq(n, 5, "10 .. 50 ms: %zu", n);
	for (size_t i = 0; i < n; i++) {
		cr_expect_eq(ks[i].time, MS(10 * (i + 1)));
		cr_expect_eq(ks[i].processes, 2);
	}
	/* At 50 ms the wake-up came first (band order): Ready. */
	cr_expect_eq(ks[3].runnable, 0);
	cr_expect_eq(ks[4].runnable, 1);
	/* Nothing left: a run to NEVER returns at once. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(50));
	mos_kernel_destroy(k);
}

Test(res_monitor, sample_values_at_exact_times)
{
	mos_config_t c = sampling(MS(10), 16);
	mos_kernel_t *k = t_kernel(&c);
	mos_sample_process_t ps[16];
	mos_sample_kernel_t ks[16];
	mos_sample_group_t gs[16];
	mos_group_id_t g;
	mos_pid_t a, b;
	size_t n = 0;

	cr_assert_eq(mos_group_create(k, 0, "work", &g), 0);
	a = t_spawn(k, T_ARGV("cpu", "25ms"));
	b = t_spawn(k, T_ARGV("sleep", "100ms"));
	cr_assert_eq(mos_group_attach(k, g, a), 0);
	run_to(k, MS(45)); /* a run to t does nothing due at t */

	cr_assert_eq(mos_monitor_samples_process(k, a, ps, 16, &n), 0);
	cr_assert_eq(n, 2, "10 and 20 ms; dead at 25 ms: %zu", n);
	cr_expect_eq(ps[0].time, MS(10));
	cr_expect_eq(ps[0].cpu_user, MS(10));
	cr_expect_eq(ps[0].state, MOS_STATE_READY, "its slice ended then");
	cr_expect_eq(ps[1].time, MS(20));
	cr_expect_eq(ps[1].cpu_user, MS(20));
	cr_expect_eq(ps[1].cpu_system, 0);
	cr_expect_eq(ps[1].memory_current, 0);
	cr_expect_eq(ps[1].fds_open, 0);
	cr_expect_eq(t_info(k, a).state, MOS_STATE_DEFUNCT,
		     "reaped: its ring stays with its record");

	cr_assert_eq(mos_monitor_samples_process(k, b, ps, 16, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(ps[3].time, MS(40));
	cr_expect_eq(ps[3].state, MOS_STATE_BLOCKED);
	cr_expect_eq(ps[3].cpu_user, 0);

	cr_assert_eq(mos_monitor_samples_kernel(k, ks, 16, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(ks[0].runnable, 2, "b has not run yet");
	cr_expect_eq(ks[0].processes, 3);
	cr_expect_eq(ks[1].runnable, 1, "b sleeps");
	cr_expect_eq(ks[2].time, MS(30));
	cr_expect_eq(ks[2].runnable, 0);
	cr_expect_eq(ks[2].processes, 2);

	cr_assert_eq(mos_monitor_samples_group(k, g, gs, 16, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(gs[0].pids_current, 1);
	cr_expect_eq(gs[3].pids_current, 0);
	cr_assert_eq(mos_monitor_samples_group(k, 0, gs, 16, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(gs[0].pids_current, 3, "the root counts init");
	cr_expect_eq(gs[3].pids_current, 2);
	mos_kernel_destroy(k);
}

Test(res_monitor, full_ring_keeps_the_newest)
{
	mos_config_t c = sampling(MS(1), 4);
	mos_kernel_t *k = t_kernel(&c);
	mos_sample_kernel_t ks[8];
	mos_monitor_info_t in;
	size_t n = 0;

	run_to(k, MS(10) + 1);
	cr_assert_eq(mos_monitor_samples_kernel(k, ks, 8, &n), 0);
	cr_assert_eq(n, 4);
	for (size_t i = 0; i < 4; i++)
		cr_expect_eq(ks[i].time, MS(7 + i));
	/* A smaller buffer gets the newest, oldest first. */
	memset(ks, 0, sizeof(ks));
	cr_assert_eq(mos_monitor_samples_kernel(k, ks, 2, &n), 0);
	cr_expect_eq(n, 4);
	cr_expect_eq(ks[0].time, MS(9));
	cr_expect_eq(ks[1].time, MS(10));
	cr_expect_eq(ks[2].time, 0, "nothing past cap");
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.samples, 10);
	cr_expect_eq(in.dropped, 12, "6 of the kernel's, 6 of the root's");
	cr_expect_eq(in.alloc_failures, 0);
	mos_kernel_destroy(k);
}

/* An allocator that refuses blocks of one size (a process ring's). */
typedef struct picky {
	size_t refuse;
	unsigned refused;
} picky_t;

static void *p_malloc(void *ud, size_t n)
{
	picky_t *p = ud;

	if (n == p->refuse) {
		p->refused++;
		return NULL;
	}
	return malloc(n);
}

static void *p_realloc(void *ud, void *q, size_t n)
{
	picky_t *p = ud;

	if (n == p->refuse) {
		p->refused++;
		return NULL;
	}
	return realloc(q, n);
}

static void p_free(void *ud, void *q)
{
	(void)ud;
	free(q);
}

Test(res_monitor, ring_that_cannot_be_made_is_counted)
{
	mos_config_t c = sampling(MS(10), 3);
	picky_t pk = {.refuse = sizeof(mos_mon_ring_t) +
				3 * sizeof(mos_sample_process_t)};
	mos_kernel_t *k;
	mos_monitor_info_t in;
	mos_pid_t a;
	size_t n = 9;

	c.alloc = (mos_allocator_t){p_malloc, p_realloc, p_free, &pk};
	k = t_kernel(&c);
	a = t_spawn(k, T_ARGV("cpu", "35ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(35), "the run is unchanged");
	cr_expect_eq(t_info(k, a).times.cpu_user, MS(35));
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.samples, 3);
	cr_expect_eq(in.alloc_failures, 3, "one per try");
	cr_expect_gt(pk.refused, 0);
	cr_assert_eq(mos_monitor_samples_process(k, a, NULL, 0, &n), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(mos_monitor_samples_kernel(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 3, "the kernel's ring was made");
	mos_kernel_destroy(k);
}

Test(res_monitor, unaccounted_process_is_not_sampled)
{
	mos_config_t c = sampling(MS(10), 4);
	mos_kernel_t *k = t_kernel(&c);
	mos_process_spec_t spec = t_spec(0, MOS_PRIO_NORMAL,
					 T_ARGV("sleep", "1s"), NULL);
	mos_pid_t a;
	size_t n = 9;

	spec.flags |= MOS_PROC_NO_ACCOUNT;
	a = t_make(k, &spec);
	run_to(k, MS(30));
	cr_assert_eq(mos_monitor_samples_process(k, a, NULL, 0, &n), 0);
	cr_expect_eq(n, 0);
	mos_kernel_destroy(k);
}

/* ---- hostile arguments --------------------------------------------- */

Test(res_monitor, hostile_arguments)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_sample_kernel_t ks[1];
	mos_sample_process_t ps[1];
	mos_sample_group_t gs[1];
	mos_monitor_info_t in;
	size_t n = 7;

	cr_expect_eq(mos_monitor_get_info(NULL, &in), MOS_EINVAL);
	cr_expect_eq(mos_monitor_get_info(k, NULL), MOS_EINVAL);
	cr_expect_eq(mos_monitor_samples_kernel(NULL, ks, 1, &n), MOS_EINVAL);
	cr_expect_eq(mos_monitor_samples_kernel(k, ks, 1, NULL), MOS_EINVAL);
	cr_expect_eq(mos_monitor_samples_kernel(k, NULL, 1, &n), MOS_EINVAL);
	cr_expect_eq(n, 7, "a failed call changes nothing");
	cr_expect_eq(mos_monitor_samples_kernel(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 0);
	cr_expect_eq(mos_monitor_samples_process(k, 0, ps, 1, &n),
		     MOS_EINVALPID);
	cr_expect_eq(mos_monitor_samples_process(k, -3, ps, 1, &n),
		     MOS_EINVALPID);
	cr_expect_eq(mos_monitor_samples_process(k, 4242, ps, 1, &n),
		     MOS_EPROCNOTFOUND);
	cr_expect_eq(mos_monitor_samples_process(k, 1, NULL, 1, &n),
		     MOS_EINVAL);
	cr_expect_eq(mos_monitor_samples_process(NULL, 1, ps, 1, &n),
		     MOS_EINVAL);
	cr_expect_eq(mos_monitor_samples_process(k, 1, ps, 1, &n), 0);
	cr_expect_eq(n, 0, "init is not sampled");
	cr_expect_eq(mos_monitor_samples_group(k, 1, gs, 1, &n), MOS_ENOENT);
	cr_expect_eq(mos_monitor_samples_group(k, 0, gs, 1, NULL), MOS_EINVAL);
	cr_expect_eq(mos_monitor_samples_group(k, 0, gs, 0, &n), 0);
	cr_expect_eq(n, 0);
	cr_expect_eq(mos_monitor_export_json(NULL, stdout), MOS_EINVAL);
	cr_expect_eq(mos_monitor_export_json(k, NULL), MOS_EINVAL);
	mos_kernel_destroy(k);
}

/* ---- exports ------------------------------------------------------- */

/* Run f(k, file) into a temporary file and parse it. */
static json_t *exported(mos_kernel_t *k, int (*f)(mos_kernel_t *, FILE *))
{
	FILE *fp = tmpfile();
	json_error_t err;
	json_t *j;

	cr_assert_not_null(fp);
	cr_assert_eq(f(k, fp), 0);
	rewind(fp);
	j = json_loadf(fp, 0, &err);
	fclose(fp);
	cr_assert_not_null(j, "parse: %s", err.text);
	return j;
}

static json_int_t int_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "%s", key);
	return json_integer_value(v);
}

static mos_kernel_t *sampled_kernel(mos_pid_t *a)
{
	mos_config_t c = sampling(MS(10), 2);
	mos_kernel_t *k = t_kernel(&c);
	mos_group_id_t g;

	cr_assert_eq(mos_group_create(k, 0, "work", &g), 0);
	*a = t_spawn(k, T_ARGV("cpu", "100ms"));
	cr_assert_eq(mos_group_attach(k, g, *a), 0);
	run_to(k, MS(30) + 1);
	return k;
}

Test(res_monitor, json_export)
{
	mos_pid_t a;
	mos_kernel_t *k = sampled_kernel(&a);
	json_t *j = exported(k, mos_monitor_export_json), *ks, *gs, *ps, *e;

	cr_expect_eq(int_at(j, "window_ns"), MOS_SEC);
	cr_expect_eq(int_at(j, "step_ns"), MS(100));
	cr_expect_eq(int_at(j, "interval_ns"), MS(10));
	cr_expect_eq(int_at(j, "capacity"), 2);
	cr_expect_eq(int_at(j, "samples"), 3);
	cr_expect_eq(int_at(j, "dropped"), 4, "one each: kernel, 2 groups, "
		     "the process");
	ks = json_object_get(j, "kernel");
	cr_assert_eq(json_array_size(ks), 2);
	e = json_array_get(ks, 1);
	cr_expect_eq(int_at(e, "t"), MS(30));
	cr_expect_eq(int_at(e, "runnable"), 1);
	cr_expect_eq(int_at(e, "processes"), 2);
	cr_expect_eq(int_at(e, "memory_used"), 0);
	cr_expect_eq(int_at(e, "device_queue"), 0);
	gs = json_object_get(j, "groups");
	cr_assert_eq(json_array_size(gs), 2);
	e = json_array_get(gs, 1);
	cr_expect_eq(int_at(e, "id"), 1);
	cr_expect_str_eq(json_string_value(json_object_get(e, "name")), "work");
	e = json_array_get(json_object_get(e, "samples"), 0);
	cr_expect_eq(int_at(e, "t"), MS(20));
	cr_expect_eq(int_at(e, "cpu_usage"), MS(20), "%lld",
		     (long long)int_at(e, "cpu_usage"));
	cr_expect_eq(int_at(e, "pids"), 1);
	ps = json_object_get(j, "processes");
	cr_assert_eq(json_array_size(ps), 1, "init has no ring");
	cr_expect_eq(int_at(json_array_get(ps, 0), "pid"), a);
	e = json_array_get(json_object_get(json_array_get(ps, 0), "samples"),
			   1);
	cr_expect_eq(int_at(e, "t"), MS(30));
	cr_expect_eq(int_at(e, "cpu_user"), MS(30));
	cr_expect_str_eq(json_string_value(json_object_get(e, "state")),
			 "Ready", "its slice ended then");
	json_decref(j);
	mos_kernel_destroy(k);
}

/* How many "C" events named name, and the value of the last. */
static size_t counters(json_t *j, const char *name, double *last)
{
	json_t *evs = json_object_get(j, "traceEvents"), *e;
	size_t i, n = 0;

	json_array_foreach(evs, i, e) {
		const char *ph = json_string_value(json_object_get(e, "ph"));
		const char *nm = json_string_value(json_object_get(e, "name"));

		if (!ph || strcmp(ph, "C") || !nm || strcmp(nm, name))
			continue;
		n++;
		*last = json_number_value(json_object_get(
			json_object_get(e, "args"), "value"));
	}
	return n;
}

Test(res_monitor, chrome_counter_tracks)
{
	mos_pid_t a;
	mos_kernel_t *k = sampled_kernel(&a);
	json_t *j = exported(k, mos_trace_write_chrome);
	double v = -1;

	cr_expect_eq(counters(j, "sampled runnable", &v), 2);
	cr_expect_eq(v, 1.0);
	cr_expect_eq(counters(j, "memory used", &v), 2);
	cr_expect_eq(v, 0.0);
	cr_expect_eq(counters(j, "device queue", &v), 2);
	cr_expect_gt(counters(j, "runnable", &v), 0, "the exact track stays");
	json_decref(j);
	mos_kernel_destroy(k);
}

Test(res_monitor, chrome_without_samples_is_unchanged)
{
	mos_kernel_t *k = t_kernel(NULL);
	json_t *j;
	double v;

	t_spawn(k, T_ARGV("cpu", "10ms"));
	run_to(k, MS(30));
	j = exported(k, mos_trace_write_chrome);
	cr_expect_eq(counters(j, "sampled runnable", &v), 0);
	cr_expect_eq(counters(j, "memory used", &v), 0);
	json_decref(j);
	mos_kernel_destroy(k);
}

Test(res_monitor, history_keeps_rings_until_the_record_goes)
{
	mos_config_t c = sampling(MS(10), 4);
	mos_kernel_t *k;
	mos_pid_t a, b;
	size_t n = 0;

	c.history_size = 1;
	k = t_kernel(&c);
	a = t_spawn(k, T_ARGV("cpu", "15ms"));
	run_to(k, MS(40));
	cr_assert_eq(t_info(k, a).state, MOS_STATE_DEFUNCT);
	cr_assert_eq(mos_monitor_samples_process(k, a, NULL, 0, &n), 0);
	cr_expect_eq(n, 1, "the sample at 10 ms");
	b = t_spawn(k, T_ARGV("cpu", "15ms"));
	run_to(k, MS(80));
	cr_expect_eq(mos_monitor_samples_process(k, a, NULL, 0, &n),
		     MOS_EPROCNOTFOUND, "its record left the history");
	cr_assert_eq(mos_monitor_samples_process(k, b, NULL, 0, &n), 0);
	cr_expect_eq(n, 2, "40 ms (the sampler due then came after the "
		     "create) and 50 ms");
	mos_kernel_destroy(k);
}

/* The same run with and without sampling: the same instants. */
static void rr_run(mos_time_t interval, mos_kernel_stats_t *st,
		   mos_time_t *end_a, mos_time_t *end_b)
{
	mos_config_t c = sampling(interval, 4);
	mos_kernel_t *k;
	mos_pid_t a, b;

	snprintf(c.sched.policy, sizeof(c.sched.policy), "rr");
	c.sched.time_slice = MS(10);
	k = t_kernel(&c);
	a = t_spawn(k, T_ARGV("cpu", "33ms"));
	b = t_spawn(k, T_ARGV("cpu", "47ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	*st = t_kstats(k);
	*end_a = t_info(k, a).times.finished;
	*end_b = t_info(k, b).times.finished;
	mos_kernel_destroy(k);
}

Test(res_monitor, sampling_changes_no_instant)
{
	mos_kernel_stats_t s0, s1;
	mos_time_t a0, b0, a1, b1;

	rr_run(0, &s0, &a0, &b0);
	rr_run(MS(7), &s1, &a1, &b1);
	cr_expect_eq(a0, a1);
	cr_expect_eq(b0, b1);
	cr_expect_eq(a0, MS(63));
	cr_expect_eq(b0, MS(80));
	cr_expect_eq(s0.context_switches, s1.context_switches);
	cr_expect_eq(s0.busy, s1.busy);
	cr_expect_eq(s0.switch_rate, s1.switch_rate);
}
