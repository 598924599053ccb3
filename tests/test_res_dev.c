/*
 * tests/test_res_dev.c - the simulated block device of multios/resource.h:
 * service times, contention (fifo, priority, an I/O priority change,
 * queue_depth 2), io.max delays, max_io_read / max_io_write at their
 * boundary, ioprio permissions, a process killed with a request queued
 * or in service, the accounting, and hostile arguments.
 *
 * The device in most tests: latency 1 ms, 1 MB/s, so that a 4000-byte
 * request takes 1 + 4 = 5 ms of service.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_dev, .timeout = T_TIMEOUT);

static mos_kernel_t *dev_kernel(uint32_t depth, const char *sched)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	cfg.res.device.latency = MS(1);
	cfg.res.device.bandwidth = 1000000;
	cfg.res.device.queue_depth = depth;
	snprintf(cfg.res.device.scheduler, sizeof(cfg.res.device.scheduler),
		 "%s", sched);
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 100000), 0);
	return k;
}

/* One reader: after `at`, open the file and read (or write) `bytes`,
 * `times` times; record each result and the instant it returned. */
struct rd {
	const char *path;       /* NULL: /data/a */
	mos_time_t at;
	uint64_t bytes;
	int times;
	bool write;
	int ioprio;             /* set on itself first, when not 0 */
	int rc[4];
	uint64_t done[4];
	mos_time_t end[4];
};

static int rd_main(mos_proc_t *self, int argc, char **argv)
{
	struct rd *r = mos_sys_state(self);
	int fd = -1;

	(void)argc;
	(void)argv;
	if (r->ioprio)
		cr_assert_eq(mos_sys_ioprio_set(self, 0, r->ioprio), 0);
	if (r->at)
		mos_sys_sleep(self, r->at);
	cr_assert_eq(mos_sys_open(self, r->path ? r->path : "/data/a",
				  MOS_O_RDWR, &fd), 0);
	for (int i = 0; i < r->times; i++) {
		r->rc[i] = r->write ? mos_sys_write(self, fd, r->bytes, &r->done[i])
				    : mos_sys_read(self, fd, r->bytes, &r->done[i]);
		r->end[i] = mos_sys_now(self);
	}
	return 0;
}

static mos_pid_t reader(mos_kernel_t *k, struct rd *r)
{
	mos_program_register(k, "rd", rd_main); /* MOS_EEXIST after once */
	return t_spawn_arg(k, T_ARGV("rd"), r);
}

/* ---- one request -------------------------------------------------------- */

Test(res_dev, a_read_takes_latency_plus_bytes_over_bandwidth)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd r = {.bytes = 4000, .times = 2};
	mos_kernel_stats_t ks;
	mos_rusage_t u;
	char buf[256];
	mos_pid_t p = reader(k, &r);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.done[0], 4000);
	cr_expect_eq(r.end[0], MS(5));
	cr_expect_eq(r.end[1], MS(10));
	u = t_usage(k, p);
	cr_expect_eq(u.read_bytes, 8000);
	cr_expect_eq(u.read_ops, 2);
	cr_expect_eq(u.write_bytes, 0);
	cr_expect_eq(u.io_wait, MS(10));
	cr_expect_eq(u.fds_open, 0);
	ks = t_kstats(k);
	cr_expect_eq(ks.io_requests, 2);
	cr_expect_eq(ks.device_queue, 0);
	/* Submit (b 0) and completion (b the time it took). */
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_IO, MOS_MSEC, buf, sizeof(buf)),
			 "2:0:4000:0@0 2:0:4000:5000000@5 "
			 "2:0:4000:0@5 2:0:4000:5000000@10");
	mos_kernel_destroy(k);
}

Test(res_dev, a_read_stops_at_the_end_and_a_write_extends_the_file)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd r = {.bytes = 60000, .times = 3};
	struct rd w = {.path = "/data/new", .at = MS(200), .bytes = 1500,
		       .times = 1, .write = true};
	mos_fs_stat_t st;
	mos_pid_t p, q;

	cr_assert_eq(mos_fs_create(k, "/data/new", 0), 0);
	p = reader(k, &r);
	q = reader(k, &w);
	cr_assert_eq(mos_kernel_run(k, MS(200) + MS(2)), 0);
	cr_expect_eq(r.done[0], 60000);
	cr_expect_eq(r.end[0], MS(61));
	cr_expect_eq(r.done[1], 40000);
	cr_expect_eq(r.end[1], MS(61 + 41));
	cr_expect_eq(r.rc[2], 0);
	cr_expect_eq(r.done[2], 0); /* at the end: no request */
	cr_expect_eq(r.end[2], MS(102));
	/* The write is in service: the size grows at its completion. */
	cr_assert_eq(mos_fs_stat(k, "/data/new", &st), 0);
	cr_expect_eq(st.size, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(w.end[0], MS(200) + MS(1) + 1500000);
	cr_assert_eq(mos_fs_stat(k, "/data/new", &st), 0);
	cr_expect_eq(st.size, 1500);
	cr_expect_eq(t_usage(k, q).write_bytes, 1500);
	cr_expect_eq(t_usage(k, q).write_ops, 1);
	cr_expect_eq(t_usage(k, p).read_ops, 2);
	mos_kernel_destroy(k);
}

/* ---- contention ------------------------------------------------------- */

Test(res_dev, two_readers_contend_in_arrival_order)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd a = {.bytes = 4000, .times = 1}, b = a;
	mos_pid_t pa = reader(k, &a), pb = reader(k, &b);

	/* Half-way, both are in: one in service, one waiting. */
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_expect_eq(t_kstats(k).device_queue, 2);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(a.end[0], MS(5));
	cr_expect_eq(b.end[0], MS(10));
	cr_expect_eq(t_usage(k, pa).io_wait, MS(5));
	cr_expect_eq(t_usage(k, pb).io_wait, MS(10));
	cr_expect_eq(t_info(k, pb).times.finished, MS(10));
	mos_kernel_destroy(k);
}

/* Three readers at 0 (a served first, b and c waiting in that order);
 * at 1 ms `chg` gives c best-effort level 0. */
struct chg {
	mos_pid_t target;
	int prio;
	int rc;
};

static int chg_main(mos_proc_t *self, int argc, char **argv)
{
	struct chg *c = mos_sys_state(self);

	(void)argc;
	(void)argv;
	mos_sys_sleep(self, MS(1));
	c->rc = mos_sys_ioprio_set(self, c->target, c->prio);
	return 0;
}

static void three(const char *sched, bool change, mos_time_t want_b,
		  mos_time_t want_c)
{
	mos_kernel_t *k = dev_kernel(1, sched);
	struct rd a = {.bytes = 4000, .times = 1}, b = a, c = a;
	struct chg ch = {0, MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 0), -1};
	int prio = 0;

	reader(k, &a);
	reader(k, &b);
	ch.target = reader(k, &c);
	if (change) {
		cr_assert_eq(mos_program_register(k, "chg", chg_main), 0);
		t_spawn_arg(k, T_ARGV("chg"), &ch);
	}
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(a.end[0], MS(5));
	cr_expect_eq(b.end[0], want_b, "%s: b at %llu", sched,
		     (unsigned long long)b.end[0]);
	cr_expect_eq(c.end[0], want_c, "%s: c at %llu", sched,
		     (unsigned long long)c.end[0]);
	if (change) {
		cr_expect_eq(ch.rc, 0);
		cr_expect_eq(t_usage(k, ch.target).ioprio,
			     MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 0));
	} else {
		cr_expect_eq(t_usage(k, ch.target).ioprio, MOS_IOPRIO_DEFAULT);
	}
	(void)prio;
	mos_kernel_destroy(k);
}

Test(res_dev, an_ioprio_change_reorders_a_waiting_request_under_priority)
{
	three("priority", false, MS(10), MS(15));
	three("priority", true, MS(15), MS(10));
}

Test(res_dev, fifo_ignores_io_priorities)
{
	three("fifo", true, MS(10), MS(15));
}

Test(res_dev, priority_orders_by_class_then_level_then_arrival)
{
	mos_kernel_t *k = dev_kernel(1, "priority");
	/* a first (served at once); then, all waiting: idle, be 7, be 2,
	 * be 2 again, and rt 3 by a privileged one. */
	struct rd a = {.bytes = 4000, .times = 1};
	struct rd idle = {.bytes = 1000, .times = 1,
			  .ioprio = MOS_IOPRIO(MOS_IOPRIO_CLASS_IDLE, 0)};
	struct rd be7 = {.bytes = 1000, .times = 1,
			 .ioprio = MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 7)};
	struct rd be2 = {.bytes = 1000, .times = 1,
			 .ioprio = MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 2)};
	struct rd be2b = be2;
	struct rd rt = {.bytes = 1000, .times = 1,
			.ioprio = MOS_IOPRIO(MOS_IOPRIO_CLASS_RT, 3)};
	mos_pid_t pid;

	reader(k, &a);
	reader(k, &idle);
	reader(k, &be7);
	reader(k, &be2);
	reader(k, &be2b);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 0, 0, T_ARGV("rd"), &rt,
				&pid), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* Each 1000-byte request takes 2 ms. */
	cr_expect_eq(a.end[0], MS(5));
	cr_expect_eq(rt.end[0], MS(7));
	cr_expect_eq(be2.end[0], MS(9));
	cr_expect_eq(be2b.end[0], MS(11));
	cr_expect_eq(be7.end[0], MS(13));
	cr_expect_eq(idle.end[0], MS(15));
	mos_kernel_destroy(k);
}

Test(res_dev, queue_depth_two_serves_two_at_once)
{
	mos_kernel_t *k = dev_kernel(2, "fifo");
	struct rd a = {.bytes = 4000, .times = 1}, b = a, c = a;
	struct rd d = {.bytes = 1000, .times = 1};

	reader(k, &a);
	reader(k, &b);
	reader(k, &c);
	reader(k, &d);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t_kstats(k).device_queue, 4);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(a.end[0], MS(5));
	cr_expect_eq(b.end[0], MS(5));
	cr_expect_eq(c.end[0], MS(10));
	cr_expect_eq(d.end[0], MS(7));
	cr_expect_eq(t_kstats(k).io_requests, 4);
	mos_kernel_destroy(k);
}

/* ---- io.max ------------------------------------------------------------ */

Test(res_dev, io_max_delays_a_group_and_never_fails_it)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd r = {.bytes = 4000, .times = 3};
	struct rd other = {.at = MS(6), .bytes = 4000, .times = 1};
	mos_group_limits_t l;
	mos_group_info_t gi;
	mos_group_id_t g;
	mos_pid_t p, q;

	cr_assert_eq(mos_group_create(k, 0, "slow", &g), 0);
	mos_group_limits_init(&l);
	l.io_read_bps = 8000; /* 4000 bytes: 500 ms of the group's budget */
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = reader(k, &r);
	q = reader(k, &other);
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	/* 0: starts at once; 5 ms: held until 500 ms; 505 ms: until 1 s. */
	for (int i = 0; i < 3; i++)
		cr_expect_eq(r.rc[i], 0);
	cr_expect_eq(r.end[0], MS(5));
	cr_expect_eq(r.end[1], MS(505));
	cr_expect_eq(r.end[2], MS(1005));
	/* Outside the group: not held. */
	cr_expect_eq(other.end[0], MS(11));
	cr_expect_eq(t_usage(k, p).io_wait, MS(1005));
	cr_expect_eq(t_usage(k, q).io_wait, MS(5));
	cr_assert_eq(mos_group_get(k, g, &gi), 0);
	cr_expect_eq(gi.read_bytes, 12000);
	cr_expect_eq(gi.io_delay, MS(495) + MS(495));
	cr_assert_eq(mos_group_get(k, 0, &gi), 0);
	cr_expect_eq(gi.read_bytes, 16000);
	mos_kernel_destroy(k);
}

/* ---- limits -------------------------------------------------------------- */

struct lim {
	int rc[6];
	uint64_t done[6];
	mos_time_t t[6];
};

static int lim_main(mos_proc_t *self, int argc, char **argv)
{
	struct lim *r = mos_sys_state(self);
	int fd = -1;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_open(self, "/data/a", MOS_O_RDWR, &fd), 0);
	r->rc[0] = mos_sys_read(self, fd, 3000, &r->done[0]);
	r->t[0] = mos_sys_now(self);
	r->rc[1] = mos_sys_read(self, fd, 1001, &r->done[1]);
	r->t[1] = mos_sys_now(self);
	r->rc[2] = mos_sys_read(self, fd, 1000, &r->done[2]);
	r->t[2] = mos_sys_now(self);
	r->rc[3] = mos_sys_write(self, fd, 2001, &r->done[3]);
	r->rc[4] = mos_sys_write(self, fd, 2000, &r->done[4]);
	r->rc[5] = mos_sys_write(self, fd, 1, &r->done[5]);
	return 0;
}

Test(res_dev, max_io_read_and_write_refuse_the_byte_past_them)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct lim r;
	mos_rlimits_t l;
	mos_rusage_t u;
	char buf[256];
	mos_pid_t p;

	memset(&r, 0, sizeof(r));
	cr_assert_eq(mos_program_register(k, "lim", lim_main), 0);
	p = t_spawn_arg(k, T_ARGV("lim"), &r);
	mos_rlimits_init(&l);
	l.max_io_read = 4000;
	l.max_io_write = 2000;
	cr_assert_eq(mos_process_set_limits(k, p, &l, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.t[0], MS(4));
	cr_expect_eq(r.rc[1], MOS_ELIMIT);
	cr_expect_eq(r.done[1], 0);
	cr_expect_eq(r.t[1], MS(4)); /* no time passed */
	cr_expect_eq(r.rc[2], 0);
	cr_expect_eq(r.done[2], 1000);
	cr_expect_eq(r.t[2], MS(6));
	cr_expect_eq(r.rc[3], MOS_ELIMIT);
	cr_expect_eq(r.rc[4], 0);
	cr_expect_eq(r.done[4], 2000);
	cr_expect_eq(r.rc[5], MOS_ELIMIT);
	u = t_usage(k, p);
	cr_expect_eq(u.read_bytes, 4000);
	cr_expect_eq(u.read_ops, 2);
	cr_expect_eq(u.write_bytes, 2000);
	cr_expect_eq(u.write_ops, 1);
	cr_expect_eq(u.limit_violations, 3);
	/* The offset did not move for the refused read: the write started
	 * at 4000. */
	/* pid, MOS_RLIMIT_IO_READ (6) / IO_WRITE (7), would-be, limit */
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_LIMIT, MOS_MSEC, buf,
				      sizeof(buf)),
			 "2:6:4001:4000@4 2:7:2001:2000@6 2:7:2001:2000@9");
	mos_kernel_destroy(k);
}

/* ---- permissions and hostile arguments --------------------------------- */

struct hostile {
	int rc[20];
	uint64_t done;
	int prio, prio_other;
	mos_pid_t other;
};

static int hostile_main(mos_proc_t *self, int argc, char **argv)
{
	struct hostile *h = mos_sys_state(self);
	int rfd = -1, wfd = -1, dfd = -1;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_open(self, "/data/a", MOS_O_READ, &rfd), 0);
	cr_assert_eq(mos_sys_open(self, "/data/a", MOS_O_WRITE, &wfd), 0);
	cr_assert_eq(mos_sys_open(self, "/data", MOS_O_READ, &dfd), 0);
	h->done = 77;
	h->rc[0] = mos_sys_read(self, -1, 10, &h->done);
	h->rc[1] = mos_sys_read(self, 99, 10, NULL);
	h->rc[2] = mos_sys_read(self, wfd, 10, NULL);
	h->rc[3] = mos_sys_write(self, rfd, 10, NULL);
	h->rc[4] = mos_sys_read(self, dfd, 10, NULL);
	/* Huge: the service time would pass the end of time. */
	h->rc[5] = mos_sys_write(self, wfd, UINT64_MAX, NULL);
	h->rc[6] = mos_sys_read(self, rfd, UINT64_MAX, NULL); /* the file's */
	h->rc[7] = mos_sys_ioprio_set(self, 0, MOS_IOPRIO(4, 0));
	h->rc[8] = mos_sys_ioprio_set(self, 0, MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 8));
	h->rc[9] = mos_sys_ioprio_set(self, 0, -1);
	h->rc[10] = mos_sys_ioprio_set(self, 0,
				       MOS_IOPRIO(MOS_IOPRIO_CLASS_RT, 0));
	h->rc[11] = mos_sys_ioprio_set(self, 9999, 0);
	h->rc[12] = mos_sys_ioprio_set(self, -2, 0);
	h->rc[13] = mos_sys_ioprio_get(self, 0, NULL);
	h->rc[14] = mos_sys_ioprio_set(self, h->other,
				       MOS_IOPRIO(MOS_IOPRIO_CLASS_IDLE, 0));
	h->rc[15] = mos_sys_ioprio_set(self, 0,
				       MOS_IOPRIO(MOS_IOPRIO_CLASS_IDLE, 0));
	h->rc[16] = mos_sys_ioprio_get(self, 0, &h->prio);
	h->rc[17] = mos_sys_ioprio_get(self, 1, NULL);
	h->rc[18] = mos_sys_ioprio_set(self, 0, 0);
	h->rc[19] = mos_sys_ioprio_get(self, h->other, &h->prio_other);
	return 0;
}

Test(res_dev, hostile_arguments_are_refused_and_change_nothing)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct hostile h;
	mos_rusage_t u;
	char buf[128];
	mos_pid_t p, other;

	memset(&h, 0, sizeof(h));
	cr_assert_eq(mos_program_register(k, "hostile", hostile_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 2000, 0, T_ARGV("idle"),
				NULL, &other), 0);
	h.other = other;
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0,
				T_ARGV("hostile"), &h, &p), 0);
	cr_assert_eq(mos_kernel_run(k, MS(500)), 0);

	cr_expect_eq(h.rc[0], MOS_EBADF);
	cr_expect_eq(h.rc[1], MOS_EBADF);
	cr_expect_eq(h.rc[2], MOS_EBADF);
	cr_expect_eq(h.rc[3], MOS_EBADF);
	cr_expect_eq(h.rc[4], MOS_EISDIR);
	cr_expect_eq(h.rc[5], MOS_ERANGE);
	cr_expect_eq(h.rc[6], 0);
	cr_expect_eq(h.rc[7], MOS_EINVAL);
	cr_expect_eq(h.rc[8], MOS_EINVAL);
	cr_expect_eq(h.rc[9], MOS_EINVAL);
	cr_expect_eq(h.rc[10], MOS_EPERM);
	cr_expect_eq(h.rc[11], MOS_EPROCNOTFOUND);
	cr_expect_eq(h.rc[12], MOS_EINVALPID);
	cr_expect_eq(h.rc[13], MOS_EINVAL);
	cr_expect_eq(h.rc[14], MOS_EPERM);
	cr_expect_eq(h.rc[15], 0);
	cr_expect_eq(h.rc[16], 0);
	cr_expect_eq(h.prio, MOS_IOPRIO(MOS_IOPRIO_CLASS_IDLE, 0));
	cr_expect_eq(h.rc[17], MOS_EINVAL);
	cr_expect_eq(h.rc[18], 0);
	cr_expect_eq(h.rc[19], 0);
	cr_expect_eq(h.prio_other, MOS_IOPRIO_DEFAULT);

	/* The whole file in one read: 1 ms + 100 ms; nothing else. */
	u = t_usage(k, p);
	cr_expect_eq(u.read_bytes, 100000);
	cr_expect_eq(u.read_ops, 1);
	cr_expect_eq(u.write_bytes, 0);
	cr_expect_eq(u.io_wait, MS(101));
	cr_expect_eq(u.ioprio, MOS_IOPRIO_DEFAULT);
	cr_expect_eq(t_kstats(k).io_requests, 1);
	/* The two denials: pid, MOS_AUDIT_IOPRIO, target, asked. */
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_AUDIT, MOS_MSEC, buf,
				      sizeof(buf)),
			 "3:6:3:8192@101 3:6:2:24576@101");
	cr_expect_eq(t_kstats(k).permission_denials, 2);
	mos_kernel_destroy(k);
}

/* ---- a death with a request -------------------------------------------- */

Test(res_dev, a_killed_process_leaves_the_device_consistent)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd a = {.bytes = 4000, .times = 1}, b = a;
	struct rd c = {.at = MS(3), .bytes = 4000, .times = 1};
	mos_kernel_stats_t ks;
	mos_pid_t pa = reader(k, &a), pb = reader(k, &b), pc;

	pc = reader(k, &c);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t_kstats(k).device_queue, 2);
	/* b waits in the queue: it goes. */
	cr_assert_eq(mos_process_terminate(k, pb, true), 0);
	cr_expect_eq(t_kstats(k).device_queue, 1);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	/* a is in service: the device finishes it at 5 ms, for no one. */
	cr_assert_eq(mos_process_terminate(k, pa, true), 0);
	cr_expect_eq(t_kstats(k).device_queue, 1);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(c.end[0], MS(10));
	ks = t_kstats(k);
	cr_expect_eq(ks.io_requests, 2);
	cr_expect_eq(ks.device_queue, 0);
	cr_expect_eq(t_usage(k, pa).read_bytes, 0);
	cr_expect_eq(t_usage(k, pb).read_bytes, 0);
	cr_expect_eq(t_usage(k, pc).io_wait, MS(7));
	mos_kernel_destroy(k);
}

/* A caught signal does not end the disk wait: it is handled after. */
struct sigio {
	int rc;
	uint64_t done;
	mos_time_t end;
	int caught;
};

static void on_usr1(mos_proc_t *self, int sig)
{
	struct sigio *s = mos_sys_state(self);

	(void)sig;
	s->caught++;
}

static int sigio_main(mos_proc_t *self, int argc, char **argv)
{
	struct sigio *s = mos_sys_state(self);
	int fd = -1;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH, on_usr1,
				       0, 0, NULL), 0);
	cr_assert_eq(mos_sys_open(self, "/data/a", MOS_O_READ, &fd), 0);
	s->rc = mos_sys_read(self, fd, 4000, &s->done);
	s->end = mos_sys_now(self);
	return 0;
}

Test(res_dev, a_caught_signal_waits_for_the_transfer)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct sigio s = {0, 0, 0, 0};
	mos_pid_t p;

	cr_assert_eq(mos_program_register(k, "sigio", sigio_main), 0);
	p = t_spawn_arg(k, T_ARGV("sigio"), &s);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_eq(mos_process_send_signal(k, p, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(s.rc, 0);
	cr_expect_eq(s.done, 4000);
	cr_expect_eq(s.end, MS(5));
	cr_expect_eq(s.caught, 1);
	mos_kernel_destroy(k);
}

/* A spawned child inherits its parent's I/O priority. */
static int ioparent_main(mos_proc_t *self, int argc, char **argv)
{
	mos_pid_t *child = mos_sys_state(self);

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_ioprio_set(self, 0,
					MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 1)), 0);
	return mos_sys_spawn(self, T_ARGV("idle"), child) < 0;
}

Test(res_dev, a_child_inherits_the_io_priority)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	mos_pid_t child = 0;

	cr_assert_eq(mos_program_register(k, "iop", ioparent_main), 0);
	t_spawn_arg(k, T_ARGV("iop"), &child);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_gt(child, 0);
	cr_expect_eq(t_usage(k, child).ioprio, MOS_IOPRIO(MOS_IOPRIO_CLASS_BE, 1));
	mos_kernel_destroy(k);
}

/* ---- script steps ------------------------------------------------------ */

Test(res_dev, script_steps_open_read_write_close_and_chdir)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	const char *steps =
		"[{\"chdir\":\"/data\"},"
		"{\"open\":\"a\",\"mode\":\"r\"},"
		"{\"read\":\"4KB\"},"
		"{\"open\":\"out\",\"mode\":\"wc\"},"
		"{\"write\":2000},"
		"{\"read\":\"1000B\",\"fd\":0},"
		"{\"close\":\"last\"},"
		"{\"write\":1},"
		"{\"close\":0}]";
	mos_fs_stat_t st;
	mos_rusage_t u;
	mos_pid_t p = t_spawn(k, T_ARGV("script", steps));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	u = t_usage(k, p);
	/* 4000 (5 ms), write 2000 (3 ms), 1000 (2 ms); the write after
	 * closing the last descriptor fails and is skipped. */
	cr_expect_eq(u.read_bytes, 5000);
	cr_expect_eq(u.read_ops, 2);
	cr_expect_eq(u.write_bytes, 2000);
	cr_expect_eq(u.write_ops, 1);
	cr_expect_eq(u.io_wait, MS(10));
	cr_expect_eq(u.fds_open, 0);
	cr_expect_eq(u.fds_peak, 2);
	cr_expect_eq(t_info(k, p).times.finished, MS(10));
	cr_assert_eq(mos_fs_stat(k, "/data/out", &st), 0);
	cr_expect_eq(st.size, 2000);
	mos_kernel_destroy(k);
}

Test(res_dev, script_file_steps_are_checked_when_created)
{
	static const char *const bad[] = {
		"[{\"open\":\"\"}]",
		"[{\"open\":3}]",
		"[{\"open\":\"/a\",\"mode\":\"q\"}]",
		"[{\"open\":\"/a\",\"mode\":\"rr\"}]",
		"[{\"open\":\"/a\",\"mode\":\"c\"}]",
		"[{\"open\":\"/a\",\"mode\":\"\"}]",
		"[{\"open\":\"/a\",\"fd\":1}]",
		"[{\"close\":\"first\"}]",
		"[{\"close\":-1}]",
		"[{\"read\":\"4XB\"}]",
		"[{\"read\":\"KiB\"}]",
		"[{\"read\":-5}]",
		"[{\"read\":\"99999999999999999999\"}]",
		"[{\"read\":\"20000000000GiB\"}]",
		"[{\"write\":\"1K\",\"fd\":\"x\"}]",
		"[{\"write\":\"1K\",\"mode\":\"r\"}]",
		"[{\"read\":1,\"write\":1}]",
		"[{\"chdir\":true}]",
	};
	mos_kernel_t *k = dev_kernel(1, "fifo");
	mos_pid_t pid;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
					T_ARGV("script", bad[i]), NULL, &pid),
			     MOS_ECONFIG, "%s", bad[i]);
	cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("script", "[{\"read\":\"4KiB\",\"fd\":3},"
						 "{\"write\":\"1G\"}]"),
				NULL, &pid), 0);
	mos_kernel_destroy(k);
}

/* ---- accounting off ---------------------------------------------------- */

Test(res_dev, accounting_off_reports_no_io_but_the_limit_still_bites)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_rlimits_t l;
	struct lim r;
	mos_rusage_t u;
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.res.device.latency = MS(1);
	cfg.res.device.bandwidth = 1000000;
	cfg.enable_process_accounting = false;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 100000), 0);
	memset(&r, 0, sizeof(r));
	cr_assert_eq(mos_program_register(k, "lim", lim_main), 0);
	p = t_spawn_arg(k, T_ARGV("lim"), &r);
	mos_rlimits_init(&l);
	l.max_io_read = 4000;
	l.max_io_write = 2000;
	cr_assert_eq(mos_process_set_limits(k, p, &l, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	/* The same instants and refusals as with accounting on. */
	cr_expect_eq(r.t[0], MS(4));
	cr_expect_eq(r.rc[1], MOS_ELIMIT);
	cr_expect_eq(r.t[2], MS(6));
	cr_expect_eq(r.rc[3], MOS_ELIMIT);
	cr_expect_eq(r.rc[4], 0);
	cr_expect_eq(r.rc[5], MOS_ELIMIT);
	u = t_usage(k, p);
	cr_expect_eq(u.read_bytes, 0);
	cr_expect_eq(u.write_bytes, 0);
	cr_expect_eq(u.read_ops, 0);
	cr_expect_eq(u.io_wait, 0);
	cr_expect_eq(u.fds_peak, 0);
	cr_expect_eq(u.limit_violations, 3);
	mos_kernel_destroy(k);
}

Test(res_dev, an_io_max_start_past_the_end_of_time_is_erange_not_a_wrap)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd r = {.path = "/big", .bytes = 20000000000ull, .times = 2};
	mos_group_limits_t l;
	mos_group_info_t gi;
	mos_group_id_t g;
	mos_pid_t p;

	cr_assert_eq(mos_fs_create(k, "/big", 40000000000ull), 0);
	cr_assert_eq(mos_group_create(k, 0, "crawl", &g), 0);
	mos_group_limits_init(&l);
	l.io_read_bps = 1;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = reader(k, &r);
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* The first: 1 ms + 2e10 bytes at 1 MB/s (2e4 s).  Its 2e10 s of io.max
	 * budget passes the end of time: the second can never start. */
	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.end[0], MS(1) + 20000000000000ull);
	cr_expect_eq(r.rc[1], MOS_ERANGE);
	cr_expect_eq(r.done[1], 0);
	cr_expect_eq(r.end[1], r.end[0]);
	cr_expect_eq(t_usage(k, p).read_bytes, 20000000000ull);
	cr_assert_eq(mos_group_get(k, g, &gi), 0);
	cr_expect_eq(gi.io_delay, 0);
	mos_kernel_destroy(k);
}

Test(res_dev, a_process_killed_while_io_max_holds_it_leaves_nothing)
{
	mos_kernel_t *k = dev_kernel(1, "fifo");
	struct rd r = {.bytes = 4000, .times = 2};
	mos_group_limits_t l;
	mos_group_info_t gi;
	mos_group_id_t g;
	mos_pid_t p;

	cr_assert_eq(mos_group_create(k, 0, "slow", &g), 0);
	mos_group_limits_init(&l);
	l.io_read_bps = 8000;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = reader(k, &r);
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(t_info(k, p).state, MOS_STATE_BLOCKED);
	cr_expect_eq(t_kstats(k).device_queue, 0);
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(100)); /* nothing left to wait for */
	cr_expect_eq(t_kstats(k).io_requests, 1);
	cr_expect_eq(t_usage(k, p).read_bytes, 4000);
	cr_assert_eq(mos_group_get(k, g, &gi), 0);
	cr_expect_eq(gi.read_bytes, 4000);
	mos_kernel_destroy(k);
}
