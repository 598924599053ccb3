/*
 * tests/test_res_gaps.c - gaps found in the resources after issue 11
 * landed, each pinned at its exact value: mos_kernel_next_event with only
 * cpu.max-held processes left, an io.max budget a killed process never
 * used, the diagnostic of a bad script step, and dup2 past the
 * descriptor limit.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_gaps, .timeout = T_TIMEOUT);

static mos_group_id_t cpu_group(mos_kernel_t *k, mos_time_t quota,
				mos_time_t period)
{
	mos_group_limits_t l;
	mos_group_id_t id = 0;

	cr_assert_eq(mos_group_create(k, 0, "capped", &id), 0);
	mos_group_limits_init(&l);
	l.cpu_quota = quota;
	l.cpu_period = period;
	cr_assert_eq(mos_group_set(k, id, &l), 0);
	return id;
}

/* ---- mos_kernel_next_event and the cpu.max hold ------------------------ */

/*
 * A process held by its group's cpu.max is Ready but waits for the
 * period's end, not for the CPU: with only held processes left the next
 * event is the unthrottle, and a host loop that runs to it reaches the
 * same end as a run to MOS_TIME_NEVER.
 */
Test(res_gaps, next_event_is_the_unthrottle_when_only_held_processes_remain)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = cpu_group(k, MS(20), MS(100));
	mos_pid_t pid = t_spawn(k, T_ARGV("cpu", "50ms"));
	int rounds = 0;

	cr_assert_eq(mos_group_attach(k, g, pid), 0);
	cr_expect_eq(mos_kernel_next_event(k), 0);
	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	cr_assert(t_group(k, g).throttled);
	cr_assert_eq(t_info(k, pid).state, MOS_STATE_READY);
	cr_expect_eq(mos_kernel_next_event(k), MS(100));
	/* Unthrottled at 100 ms: it runs again at once. */
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(100));
	cr_assert_eq(mos_kernel_run(k, MS(130)), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(200));
	/* A root-group process that can run is the next event again. */
	t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_expect_eq(mos_kernel_next_event(k), MS(130));
	while (mos_kernel_next_event(k) != MOS_TIME_NEVER) {
		mos_time_t next = mos_kernel_next_event(k);

		cr_assert_lt(++rounds, 100);
		if (next > mos_kernel_now(k))
			cr_assert_eq(mos_kernel_run(k, next), 0);
		else
			cr_assert_eq(mos_kernel_step(k, NULL), 0);
	}
	/* 20 ms by 20 ms, from 0, 100 and 200: done at 210 ms. */
	cr_expect_eq(t_info(k, pid).times.finished, MS(210));
	mos_kernel_destroy(k);
}

/* ---- io.max and a killed process --------------------------------------- */

static mos_kernel_t *dev_kernel(void)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	/* 4000 bytes: 1 ms of latency + 4 ms at 1 MB/s. */
	mos_config_default(&cfg);
	cfg.res.device.latency = MS(1);
	cfg.res.device.bandwidth = 1000000;
	cfg.res.device.queue_depth = 1;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_create(k, "/a", 100000), 0);
	return k;
}

/* After `at`, read `bytes` `times` times; each return's instant. */
struct rd {
	mos_time_t at;
	int times;
	int rc[2];
	mos_time_t end[2];
};

static int rd_main(mos_proc_t *self, int argc, char **argv)
{
	struct rd *r = mos_sys_state(self);
	int fd = -1;

	(void)argc;
	(void)argv;
	if (r->at)
		mos_sys_sleep(self, r->at);
	cr_assert_eq(mos_sys_open(self, "/a", MOS_O_READ, &fd), 0);
	for (int i = 0; i < r->times; i++) {
		r->rc[i] = mos_sys_read(self, fd, 4000, NULL);
		r->end[i] = mos_sys_now(self);
	}
	return 0;
}

static mos_pid_t reader(mos_kernel_t *k, mos_group_id_t g, struct rd *r)
{
	mos_pid_t pid;

	mos_program_register(k, "rd", rd_main); /* taken after the first */
	pid = t_spawn_arg(k, T_ARGV("rd"), r);
	cr_assert_eq(mos_group_attach(k, g, pid), 0);
	return pid;
}

/*
 * io.max 8000 B/s: a 4000-byte read takes 500 ms of the group's budget.
 * p's first read starts at 0; its second (at 5 ms) is held until 500 ms
 * and takes the budget to 1 s.  p is killed at 100 ms, still held: that
 * read never starts, so it charges nothing, and q's read at 200 ms
 * starts at 500 ms (not 1 s), done 5 ms later.
 */
Test(res_gaps, a_read_killed_while_io_max_holds_it_charges_nothing)
{
	mos_kernel_t *k = dev_kernel();
	struct rd pr = {.times = 2}, qr = {.at = MS(200), .times = 1};
	mos_group_limits_t l;
	mos_group_id_t g;
	mos_pid_t p, q;

	cr_assert_eq(mos_group_create(k, 0, "slow", &g), 0);
	mos_group_limits_init(&l);
	l.io_read_bps = 8000;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = reader(k, g, &pr);
	q = reader(k, g, &qr);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(pr.end[0], MS(5));
	cr_assert_eq(t_info(k, p).state, MOS_STATE_BLOCKED);
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(qr.rc[0], 0);
	cr_expect_eq(qr.end[0], MS(505));
	cr_expect_eq(t_usage(k, p).read_bytes, 4000);
	cr_expect_eq(t_usage(k, q).io_wait, MS(305));
	cr_expect_eq(t_group(k, g).read_bytes, 8000);
	cr_expect_eq(t_kstats(k).io_requests, 2);
	mos_kernel_destroy(k);
}

/* Held behind another held read, a killed one gives its 500 ms back
 * too: the read after both starts 500 ms earlier, the one held behind
 * keeps its instant. */
Test(res_gaps, a_killed_held_read_in_the_middle_gives_its_budget_back)
{
	mos_kernel_t *k = dev_kernel();
	struct rd pr = {.times = 2}, mr = {.at = MS(50), .times = 1},
		  lr = {.at = MS(300), .times = 1};
	mos_group_limits_t l;
	mos_group_id_t g;
	mos_pid_t p;

	cr_assert_eq(mos_group_create(k, 0, "slow", &g), 0);
	mos_group_limits_init(&l);
	l.io_read_bps = 8000;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = reader(k, g, &pr);      /* 0 - 500 ms, then held to 500 */
	reader(k, g, &mr);          /* at 50 ms: held to 1 s */
	reader(k, g, &lr);          /* at 300 ms */
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mr.end[0], MS(1005));
	cr_expect_eq(lr.end[0], MS(1005) + MS(5), "next start 1 s, not 1.5 s; "
		     "the device serves mr first");
	mos_kernel_destroy(k);
}
