/*
 * tests/test_res_devmon.c - the device's utilisation and queue length in
 * mos_kernel_stats_t (and the kernel samples' device_queue) end to end,
 * with real reads: script programs and C programs calling mos_sys_read
 * through the block device model of src/resource/dev.c, the window of
 * src/resource/monitor.c, at exact virtual instants.
 *
 * The device: latency 1 ms, 1 MB/s, so a read of n bytes is in service
 * 1 ms + n us (4000 bytes: 5 ms; 9000: 10 ms; 14000: 15 ms).  The window:
 * 100 ms in 10 steps of 10 ms, so at time now, with t0 = now rounded down
 * to 10 ms, device_utilisation is the time in [t0 - 100 ms, t0) with a
 * request in service, over 100 ms.  device_queue counts the requests
 * waiting or in service, now.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_devmon, .timeout = T_TIMEOUT);

static mos_kernel_t *mon_kernel(uint32_t depth, bool monitoring,
				mos_time_t interval)
{
	mos_config_t c;
	mos_kernel_t *k;

	mos_config_default(&c);
	c.res.device.latency = MS(1);
	c.res.device.bandwidth = 1000000;
	c.res.device.queue_depth = depth;
	c.res.monitor_window = MS(100);
	c.res.sample_interval = interval;
	c.enable_resource_monitoring = monitoring;
	k = t_kernel(&c);
	cr_assert_eq(mos_fs_create(k, "/f", 1000000), 0);
	return k;
}

/* mos_kernel_run(k, t) stops at t before what is due at t: run_to(t)
 * shows the state just before the instant t, after(t) just after it. */
static void run_to(mos_kernel_t *k, mos_time_t t)
{
	cr_assert_eq(mos_kernel_run(k, t), 0);
	cr_assert_eq(mos_kernel_now(k), t);
}

static void after(mos_kernel_t *k, mos_time_t t)
{
	run_to(k, t + 1);
}

/* busy ns of service in the window, as the library divides it. */
static double util(mos_time_t busy)
{
	return (double)busy / (double)MS(100);
}

/* Assert the queue and the utilisation at the current instant. */
#define expect_dev(k, queue, busy)                                          \
	do {                                                                \
		mos_kernel_stats_t st_ = t_kstats(k);                       \
		cr_expect_eq(st_.device_queue, (queue),                     \
			     "at %llu ns: queue %u, expected %u",           \
			     (unsigned long long)mos_kernel_now(k),         \
			     st_.device_queue, (unsigned)(queue));          \
		cr_expect_eq(st_.device_utilisation, util(busy),            \
			     "at %llu ns: utilisation %.9f, expected %.9f", \
			     (unsigned long long)mos_kernel_now(k),         \
			     st_.device_utilisation, util(busy));           \
	} while (0)

static mos_pid_t script_reader(mos_kernel_t *k, const char *bytes)
{
	static char text[4][128];
	static int next;
	char *s = text[next++ % 4];

	snprintf(s, sizeof(text[0]),
		 "[{\"open\": \"/f\", \"mode\": \"r\"}, {\"read\": %s}]", bytes);
	return t_spawn(k, T_ARGV("script", s));
}

/* ---- an idle device ----------------------------------------------------- */

Test(res_devmon, an_idle_device_reports_zero)
{
	mos_kernel_t *k = mon_kernel(1, true, MS(5));
	mos_sample_kernel_t s[8];
	mos_kernel_stats_t st;
	mos_monitor_info_t in;
	size_t n = 0;

	/* CPU and sleep, a descriptor opened and closed, a read of 0
	 * bytes (no request), a read at the end of the file: no I/O. */
	t_spawn(k, T_ARGV("cpu", "30ms"));
	t_spawn(k, T_ARGV("script", "[{\"open\": \"/f\"}, {\"read\": 0},"
				    " {\"sleep\": \"50ms\"}, {\"close\": 0}]"));
	cr_assert_eq(mos_fs_create(k, "/empty", 0), 0);
	t_spawn(k, T_ARGV("script", "[{\"open\": \"/empty\", \"mode\": \"r\"},"
				    " {\"read\": 4096}]"));
	expect_dev(k, 0, 0);
	after(k, 0);
	expect_dev(k, 0, 0);
	run_to(k, MS(25));
	expect_dev(k, 0, 0);
	run_to(k, MS(100));
	expect_dev(k, 0, 0);
	run_to(k, MS(1000));
	expect_dev(k, 0, 0);
	st = t_kstats(k);
	cr_expect_eq(st.io_requests, 0);
	/* Samples at 5, 10, ... 995 ms: the newest 64 kept. */
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.samples, 199);
	cr_assert_eq(mos_monitor_samples_kernel(k, s, 8, &n), 0);
	cr_expect_eq(n, 64);
	for (size_t i = 0; i < 8; i++) {
		cr_expect_eq(s[i].time, MS(960 + 5 * i));
		cr_expect_eq(s[i].device_queue, 0);
	}
	mos_kernel_destroy(k);
}

/* ---- contention, fifo, queue depth 1 ------------------------------------ */

Test(res_devmon, two_script_readers_contend)
{
	mos_kernel_t *k = mon_kernel(1, true, MS(5));
	mos_sample_kernel_t s[8];
	size_t n = 0;
	mos_pid_t a, b;

	/* At 0 a's 9000 bytes go into service [0, 10 ms), b's wait; b's
	 * are served [10, 20 ms). */
	a = script_reader(k, "9000");
	b = script_reader(k, "9000");
	expect_dev(k, 0, 0);
	run_to(k, 0);
	expect_dev(k, 0, 0);
	after(k, 0);
	expect_dev(k, 2, 0);
	run_to(k, MS(5));
	expect_dev(k, 2, 0);
	run_to(k, MS(9));
	expect_dev(k, 2, 0);
	run_to(k, MS(10)); /* [-90, 10 ms): a's 10 ms, a still in service */
	expect_dev(k, 2, MS(10));
	after(k, MS(10));
	expect_dev(k, 1, MS(10));
	run_to(k, MS(19));
	expect_dev(k, 1, MS(10));
	run_to(k, MS(20));
	expect_dev(k, 1, MS(20));
	after(k, MS(20));
	expect_dev(k, 0, MS(20));
	cr_expect_eq(t_kstats(k).io_requests, 2);
	cr_expect_eq(t_usage(k, a).io_wait, MS(10));
	cr_expect_eq(t_usage(k, b).io_wait, MS(20));

	/* The sampler ran after the device's completions at 10 and 20
	 * ms. */
	cr_assert_eq(mos_monitor_samples_kernel(k, s, 8, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(s[0].time, MS(5));
	cr_expect_eq(s[0].device_queue, 2);
	cr_expect_eq(s[1].time, MS(10));
	cr_expect_eq(s[1].device_queue, 1);
	cr_expect_eq(s[2].time, MS(15));
	cr_expect_eq(s[2].device_queue, 1);
	cr_expect_eq(s[3].time, MS(20));
	cr_expect_eq(s[3].device_queue, 0);

	run_to(k, MS(99));
	expect_dev(k, 0, MS(20));
	run_to(k, MS(100)); /* [0, 100 ms) */
	expect_dev(k, 0, MS(20));
	run_to(k, MS(110)); /* [10, 110 ms): b's */
	expect_dev(k, 0, MS(10));
	run_to(k, MS(119));
	expect_dev(k, 0, MS(10));
	run_to(k, MS(120));
	expect_dev(k, 0, 0);
	mos_kernel_destroy(k);
}

/* ---- queue depth 2: utilisation is time with any request in service ----- */

Test(res_devmon, two_places_count_the_union_of_their_service)
{
	mos_kernel_t *k = mon_kernel(2, true, 0);

	/* a [0, 10 ms) in one place, b [0, 5 ms) in the other, then c
	 * [5, 10 ms) there: the device is busy 10 ms, not 20. */
	script_reader(k, "9000");
	script_reader(k, "4000");
	script_reader(k, "4000");
	after(k, 0);
	expect_dev(k, 3, 0);
	run_to(k, MS(5));
	expect_dev(k, 3, 0);
	after(k, MS(5));
	expect_dev(k, 2, 0);
	run_to(k, MS(10));
	expect_dev(k, 2, MS(10));
	after(k, MS(10));
	expect_dev(k, 0, MS(10));
	cr_expect_eq(t_kstats(k).io_requests, 3);
	run_to(k, MS(100));
	expect_dev(k, 0, MS(10));
	run_to(k, MS(110));
	expect_dev(k, 0, 0);
	mos_kernel_destroy(k);
}

/* ---- a C reader: requests across step boundaries, idle gaps ------------- */

struct gap {
	int rc[2];
	uint64_t done[2];
	mos_time_t end[2];
};

/* 14000 bytes at 0 ([0, 15 ms)), sleep until 205 ms, 14000 more
 * ([205, 220 ms)). */
static int gap_main(mos_proc_t *self, int argc, char **argv)
{
	struct gap *g = mos_sys_state(self);
	int fd = -1;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_open(self, "/f", MOS_O_READ, &fd), 0);
	g->rc[0] = mos_sys_read(self, fd, 14000, &g->done[0]);
	g->end[0] = mos_sys_now(self);
	mos_sys_sleep(self, MS(205) - mos_sys_now(self));
	g->rc[1] = mos_sys_read(self, fd, 14000, &g->done[1]);
	g->end[1] = mos_sys_now(self);
	return 0;
}

Test(res_devmon, a_request_across_step_boundaries)
{
	mos_kernel_t *k = mon_kernel(1, true, 0);
	struct gap g;
	mos_rusage_t u;
	mos_pid_t p;

	memset(&g, 0, sizeof(g));
	cr_assert_eq(mos_program_register(k, "gap", gap_main), 0);
	p = t_spawn_arg(k, T_ARGV("gap"), &g);
	run_to(k, MS(10)); /* in service: [0, 10 ms) counts already */
	expect_dev(k, 1, MS(10));
	run_to(k, MS(15)); /* t0 still 10 ms */
	expect_dev(k, 1, MS(10));
	after(k, MS(15));
	expect_dev(k, 0, MS(10));
	cr_expect_eq(g.end[0], MS(15));
	run_to(k, MS(20));
	expect_dev(k, 0, MS(15));
	run_to(k, MS(110)); /* [10, 110 ms) */
	expect_dev(k, 0, MS(5));
	run_to(k, MS(120));
	expect_dev(k, 0, 0);
	run_to(k, MS(205));
	expect_dev(k, 0, 0);
	after(k, MS(205)); /* the second read has started */
	expect_dev(k, 1, 0);
	run_to(k, MS(210)); /* [110, 210 ms): [205, 210) */
	expect_dev(k, 1, MS(5));
	run_to(k, MS(300)); /* [200, 300 ms) */
	expect_dev(k, 0, MS(15));
	run_to(k, MS(310));
	expect_dev(k, 0, MS(10));
	run_to(k, MS(320));
	expect_dev(k, 0, 0);
	cr_expect_eq(g.rc[0], 0);
	cr_expect_eq(g.rc[1], 0);
	cr_expect_eq(g.done[1], 14000);
	cr_expect_eq(g.end[1], MS(220));
	u = t_usage(k, p);
	cr_expect_eq(u.read_bytes, 28000);
	cr_expect_eq(u.read_ops, 2);
	cr_expect_eq(u.io_wait, MS(30));
	mos_kernel_destroy(k);
}

/* ---- killed readers ------------------------------------------------------ */

Test(res_devmon, a_reader_killed_in_service_keeps_the_device_busy)
{
	mos_kernel_t *k = mon_kernel(1, true, 0);
	mos_pid_t a;

	a = script_reader(k, "9000");
	script_reader(k, "9000");
	run_to(k, MS(5));
	cr_assert_eq(mos_process_send_signal(k, a, MOS_SIGKILL), 0);
	/* a's transfer cannot be called back: its place stays busy until
	 * 10 ms, and b waits for it. */
	expect_dev(k, 2, 0);
	run_to(k, MS(10));
	expect_dev(k, 2, MS(10));
	after(k, MS(10));
	expect_dev(k, 1, MS(10));
	run_to(k, MS(20));
	expect_dev(k, 1, MS(20));
	after(k, MS(20));
	expect_dev(k, 0, MS(20));
	cr_expect_eq(t_kstats(k).io_requests, 2);
	cr_expect_eq(t_usage(k, a).read_bytes, 0);
	mos_kernel_destroy(k);
}

Test(res_devmon, a_reader_killed_in_the_queue_leaves_it)
{
	mos_kernel_t *k = mon_kernel(1, true, 0);
	mos_pid_t b;

	script_reader(k, "9000");
	b = script_reader(k, "9000");
	run_to(k, MS(5));
	cr_assert_eq(mos_process_send_signal(k, b, MOS_SIGKILL), 0);
	expect_dev(k, 1, 0);
	run_to(k, MS(10));
	expect_dev(k, 1, MS(10));
	after(k, MS(10));
	expect_dev(k, 0, MS(10));
	after(k, MS(20));
	expect_dev(k, 0, MS(10));
	cr_expect_eq(t_kstats(k).io_requests, 1);
	mos_kernel_destroy(k);
}

/* ---- priority scheduling and a writer ---------------------------------- */

/* Best effort level 0 (above the default 4), then a write of 4000 bytes
 * to a new file. */
static int hi_writer(mos_proc_t *self, int argc, char **argv)
{
	int fd = -1;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_ioprio_set(self, 0,
					MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 0)), 0);
	cr_assert_eq(mos_sys_open(self, "/g", MOS_O_WRITE | MOS_O_CREATE, &fd),
		     0);
	cr_assert_eq(mos_sys_write(self, fd, 4000, NULL), 0);
	return 0;
}

Test(res_devmon, priority_reorders_but_the_busy_time_is_the_same)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_fs_stat_t fs;
	mos_pid_t a, b, w;

	mos_config_default(&c);
	c.res.device.latency = MS(1);
	c.res.device.bandwidth = 1000000;
	c.res.monitor_window = MS(100);
	snprintf(c.res.device.scheduler, sizeof(c.res.device.scheduler),
		 "priority");
	k = t_kernel(&c);
	cr_assert_eq(mos_fs_create(k, "/f", 1000000), 0);
	cr_assert_eq(mos_program_register(k, "hi", hi_writer), 0);
	/* a [0, 10 ms); then w (best effort 0), though it came after b
	 * (best effort 4): w [10, 15 ms), b [15, 25 ms). */
	a = script_reader(k, "9000");
	b = script_reader(k, "9000");
	w = t_spawn(k, T_ARGV("hi"));
	after(k, 0);
	expect_dev(k, 3, 0);
	after(k, MS(10));
	expect_dev(k, 2, MS(10));
	cr_assert_eq(mos_fs_stat(k, "/g", &fs), 0);
	cr_expect_eq(fs.size, 0, "a write's size counts at its completion");
	after(k, MS(15)); /* t0 is still 10 ms */
	expect_dev(k, 1, MS(10));
	cr_assert_eq(mos_fs_stat(k, "/g", &fs), 0);
	cr_expect_eq(fs.size, 4000);
	after(k, MS(20));
	expect_dev(k, 1, MS(20));
	after(k, MS(25));
	expect_dev(k, 0, MS(20));
	run_to(k, MS(30));
	expect_dev(k, 0, MS(25));
	cr_expect_eq(t_kstats(k).io_requests, 3);
	cr_expect_eq(t_usage(k, a).io_wait, MS(10));
	cr_expect_eq(t_usage(k, w).io_wait, MS(15));
	cr_expect_eq(t_usage(k, w).write_bytes, 4000);
	cr_expect_eq(t_usage(k, b).io_wait, MS(25));
	mos_kernel_destroy(k);
}

/* ---- monitoring off ----------------------------------------------------- */

Test(res_devmon, monitoring_off_keeps_the_queue_and_no_utilisation)
{
	mos_kernel_t *k = mon_kernel(1, false, MS(5));
	mos_monitor_info_t in;
	size_t n = 1;

	script_reader(k, "9000");
	script_reader(k, "9000");
	run_to(k, MS(5));
	expect_dev(k, 2, 0);
	after(k, MS(10));
	expect_dev(k, 1, 0);
	run_to(k, MS(50));
	expect_dev(k, 0, 0);
	cr_expect_eq(t_kstats(k).io_requests, 2);
	cr_assert_eq(mos_monitor_get_info(k, &in), 0);
	cr_expect_eq(in.interval, 0);
	cr_expect_eq(in.samples, 0);
	cr_assert_eq(mos_monitor_samples_kernel(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 0);
	mos_kernel_destroy(k);
}
