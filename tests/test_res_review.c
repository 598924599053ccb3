/*
 * tests/test_res_review.c - the defects a review of the resources found
 * (issue 11), each pinned at its exact value: the io.max refund of a
 * killed request, the descriptor ceiling, the lowest-free search, the
 * CPU alarm after a kill, the uid count across setuid, the forced stack
 * SIGSEGV, the memory handles' generation, the namespace bound and the
 * device's time range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_review, .timeout = T_TIMEOUT);

/* ---- io.max: a killed request refunds only its own, last charge ------- */

/* 1000 bytes: 1 us of service; io.max 1000 B/s makes it 1 s of budget. */
static mos_kernel_t *io_kernel(void)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	cfg.res.device.latency = 0;
	cfg.res.device.bandwidth = 1000000000ull;
	cfg.res.device.queue_depth = 4;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_create(k, "/f", 1 << 20), 0);
	return k;
}

static mos_group_id_t io_group(mos_kernel_t *k, const char *name)
{
	mos_group_limits_t l;
	mos_group_id_t g;

	cr_assert_eq(mos_group_create(k, 0, name, &g), 0);
	mos_group_limits_init(&l);
	l.io_read_bps = 1000;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	return g;
}

struct rd {
	mos_time_t at;
	int times;
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
	cr_assert_eq(mos_sys_open(self, "/f", MOS_O_READ, &fd), 0);
	for (int i = 0; i < r->times; i++) {
		cr_assert_eq(mos_sys_read(self, fd, 1000, NULL), 0);
		r->end[i] = mos_sys_now(self);
	}
	return 0;
}

static mos_pid_t rd_spawn(mos_kernel_t *k, mos_group_id_t g, struct rd *r)
{
	mos_pid_t pid;

	mos_program_register(k, "rd", rd_main); /* taken after the first */
	pid = t_spawn_arg(k, T_ARGV("rd"), r);
	cr_assert_eq(mos_group_attach(k, g, pid), 0);
	return pid;
}

/*
 * x, p, q read at 0 in A: given 0, 1 s and 2 s, A's next start 3 s.  p
 * is killed at 100 ms while held: q was charged behind it, so nothing
 * comes back, and r at 500 ms starts at 3 s (not at 2 s, with q).
 */
Test(res_review, a_killed_read_that_is_not_the_last_charge_refunds_nothing)
{
	mos_kernel_t *k = io_kernel();
	mos_group_id_t a = io_group(k, "A");
	struct rd x = {.times = 1}, p = {.times = 1}, q = {.times = 1},
		  r = {.at = MS(500), .times = 1};
	mos_pid_t pp;

	rd_spawn(k, a, &x);
	pp = rd_spawn(k, a, &p);
	rd_spawn(k, a, &q);
	rd_spawn(k, a, &r);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(mos_process_send_signal(k, pp, MOS_SIGKILL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(x.end[0], 1000);
	cr_expect_eq(q.end[0], 2 * MOS_SEC + 1000);
	cr_expect_eq(r.end[0], 3 * MOS_SEC + 1000);
	mos_kernel_destroy(k);
}

/*
 * p's second read is charged to A (held to 1 s); p moves to B and is
 * killed at 500 ms.  The refund goes to A, where it was charged (q in A
 * starts at 1 s, not 2 s), and B keeps r's charge (s in B starts at 1 s,
 * not at once).
 */
Test(res_review, a_killed_read_refunds_the_groups_it_was_charged_to)
{
	mos_kernel_t *k = io_kernel();
	mos_group_id_t a = io_group(k, "A"), b = io_group(k, "B");
	struct rd p = {.times = 2}, r = {.times = 1},
		  q = {.at = MS(500), .times = 1}, s = {.at = MS(500), .times = 1};
	mos_pid_t pp;

	pp = rd_spawn(k, a, &p);
	rd_spawn(k, b, &r);
	rd_spawn(k, a, &q);
	rd_spawn(k, b, &s);
	cr_assert_eq(mos_kernel_run(k, MS(500)), 0);
	cr_assert_eq(mos_group_attach(k, b, pp), 0);
	cr_assert_eq(mos_process_send_signal(k, pp, MOS_SIGKILL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(p.end[0], 1000);
	cr_expect_eq(r.end[0], 1000);
	cr_expect_eq(q.end[0], MOS_SEC + 1000);
	cr_expect_eq(s.end[0], MOS_SEC + 1000);
	cr_expect_eq(t_group(k, b).read_bytes, 2000);
	cr_expect_eq(t_group(k, a).read_bytes, 2000);
	mos_kernel_destroy(k);
}

/* ---- descriptors: the MOS_FD_MAX ceiling --------------------------------- */

static int dup_rc[4];

static int dup_main(mos_proc_t *self, int argc, char **argv)
{
	int fd = -1;

	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_open(self, "/f", MOS_O_READ, &fd), 0);
	dup_rc[0] = mos_sys_dup2(self, fd, (int)MOS_FD_MAX);
	dup_rc[1] = mos_sys_dup2(self, fd, INT32_MAX - 1);
	dup_rc[2] = mos_sys_dup2(self, fd, (int)MOS_FD_MAX - 1);
	dup_rc[3] = mos_sys_close(self, (int)MOS_FD_MAX - 1);
	return 0;
}

/* An infinite NOFILE still stops at MOS_FD_MAX: dup2 past it is
 * MOS_EBADF (not a host allocation of gigabytes), just under it works;
 * the limit reads back as it was set. */
Test(res_review, dup2_stops_at_the_descriptor_ceiling_whatever_the_limit)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_rlimits_t soft;
	mos_pid_t pid;

	mos_config_default(&cfg);
	cfg.default_file_descriptor_limit = UINT32_MAX;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_create(k, "/f", 10), 0);
	mos_program_register(k, "dup", dup_main);
	pid = t_spawn(k, T_ARGV("dup"));
	cr_assert_eq(mos_process_get_limits(k, pid, &soft, NULL), 0);
	cr_expect_eq(soft.max_file_descriptors, UINT32_MAX);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(dup_rc[0], MOS_EBADF);
	cr_expect_eq(dup_rc[1], MOS_EBADF);
	cr_expect_eq(dup_rc[2], 0);
	cr_expect_eq(dup_rc[3], 0);
	cr_expect_eq(t_kstats(k).limit_violations, 2);
	mos_kernel_destroy(k);
}

/* ---- descriptors: the lowest free one in O(1) amortised ------------------ */

static int many_last, many_reuse, many_after;

static int many_main(mos_proc_t *self, int argc, char **argv)
{
	int fd = -1;

	(void)argc;
	(void)argv;
	for (int i = 0; i < 100000; i++)
		cr_assert_eq(mos_sys_open(self, "/f", MOS_O_READ, &fd), 0);
	many_last = fd;
	/* Closing lowers the hint: the lowest free one comes back. */
	cr_assert_eq(mos_sys_close(self, 777), 0);
	cr_assert_eq(mos_sys_close(self, 50000), 0);
	cr_assert_eq(mos_sys_open(self, "/f", MOS_O_READ, &many_reuse), 0);
	cr_assert_eq(mos_sys_dup(self, 0, &many_after), 0);
	return 0;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100 000 opens under a limit of 1 << 20: each new descriptor is the
 * lowest free one, found from the hint (the scan from 0 made this
 * quadratic: seconds of host time). */
Test(res_review, a_hundred_thousand_opens_are_linear)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t pid;
	double t0;

	mos_config_default(&cfg);
	cfg.default_file_descriptor_limit = 1u << 20;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_create(k, "/f", 10), 0);
	mos_program_register(k, "many", many_main);
	pid = t_spawn(k, T_ARGV("many"));
	t0 = wall();
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_lt(wall() - t0, 1.0, "took %.3f s", wall() - t0);
	cr_expect_eq(many_last, 99999);
	cr_expect_eq(many_reuse, 777);
	cr_expect_eq(many_after, 50000);
	cr_expect_eq(t_usage(k, pid).fds_peak, 100000);
	mos_kernel_destroy(k);
}

/* ---- the CPU alarm after SIGXCPU ends the process ------------------------ */

/*
 * cpu.max 10 ms of 100 ms and a soft CPU limit of 10 ms: at 10 ms of CPU
 * SIGXCPU (default action: terminate) ends the process.  Its group is
 * then not throttled for it, and the run ends at 10 ms (with no history,
 * the throttle touched a released control block).
 */
Test(res_review, a_process_ended_by_sigxcpu_does_not_throttle_its_group)
{
	mos_config_t cfg;
	mos_group_limits_t l;
	mos_rlimits_t soft, hard;
	mos_group_id_t g;
	mos_kernel_t *k;
	mos_pid_t p;

	mos_config_default(&cfg);
	cfg.history_size = 0;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_group_create(k, 0, "G", &g), 0);
	mos_group_limits_init(&l);
	l.cpu_quota = MS(10);
	l.cpu_period = MS(100);
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	p = t_spawn(k, T_ARGV("cpu", "50ms"));
	cr_assert_eq(mos_group_attach(k, g, p), 0);
	cr_assert_eq(mos_process_get_limits(k, p, &soft, &hard), 0);
	soft.max_cpu_time = MS(10);
	cr_assert_eq(mos_process_set_limits(k, p, &soft, &hard), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_group(k, g).nr_throttled, 0);
	cr_expect_eq(t_group(k, g).throttled_time, 0);
	cr_expect_eq(t_kstats(k).throttle_events, 0);
	cr_expect_eq(t_kstats(k).limit_violations, 1);
	cr_expect_eq(mos_kernel_now(k), MS(10));
	mos_kernel_destroy(k);
}

/* ---- setuid whose count cannot move -------------------------------------- */

static bool fail_realloc;

static void *ta_malloc(void *ud, size_t n)
{
	(void)ud;
	return malloc(n);
}

static void *ta_realloc(void *ud, void *p, size_t n)
{
	(void)ud;
	return fail_realloc ? NULL : realloc(p, n);
}

static void ta_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static int su_rc = 1, sp_rc = 1;

static int su_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fail_realloc = true;
	su_rc = mos_sys_setuid(self, 50);
	fail_realloc = false;
	return 0;
}

static int idle_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sleep(self, 10 * MOS_SEC);
	return 0;
}

static int sp_main(mos_proc_t *self, int argc, char **argv)
{
	mos_pid_t c;

	(void)argc;
	(void)argv;
	sp_rc = mos_sys_spawn(self, T_ARGV("idle"), &c);
	return 0;
}

static mos_pid_t spawn_uid(mos_kernel_t *k, const char *prog, mos_uid_t uid,
			   uint32_t caps)
{
	mos_process_spec_t s;

	mos_process_spec_init(&s);
	s.command = T_ARGV(prog);
	s.uid = uid;
	s.caps = caps;
	return t_make(k, &s);
}

/*
 * The uid table is full (uids 0 .. 15), so a setuid of a uid-1 process
 * (uid 1 has another) needs room that the allocator refuses: the count
 * stays under uid 1.  When it exits, uid 1's count must drop (it dropped
 * uid 50's, never charged): the one uid-1 process left, with NPROC 3,
 * may spawn (spawner, idle, child).
 */
Test(res_review, a_setuid_whose_count_did_not_move_is_uncharged_where_counted)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_rlimits_t l;
	mos_pid_t sp;

	mos_config_default(&cfg);
	cfg.alloc.malloc = ta_malloc;
	cfg.alloc.realloc = ta_realloc;
	cfg.alloc.free = ta_free;
	k = t_kernel(&cfg);
	mos_program_register(k, "su", su_main);
	mos_program_register(k, "idle", idle_main);
	mos_program_register(k, "sp", sp_main);
	for (mos_uid_t u = 1; u <= 7; u++)
		spawn_uid(k, "idle", u, 0);
	spawn_uid(k, "su", 1, MOS_CAP_SETUID);
	for (mos_uid_t u = 8; u <= 15; u++)
		spawn_uid(k, "idle", u, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	cr_expect_eq(su_rc, 0);
	cr_assert_eq(mos_process_get_limits(k, 1, &l, NULL), 0);
	l.max_processes = 3;
	sp = spawn_uid(k, "sp", 1, 0);
	cr_assert_eq(mos_process_set_limits(k, sp, &l, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(sp_rc, 0);
	mos_kernel_destroy(k);
}

/* ---- the stack fault is forced ------------------------------------------ */

static int stk_rc = 1;

static int stk_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	if (argv[1][0] == 'b')
		cr_assert_eq(mos_sys_sigprocmask(self, MOS_SIG_BLOCK,
						 MOS_SIGBIT(MOS_SIGSEGV), NULL), 0);
	else
		cr_assert_eq(mos_sys_sigaction(self, MOS_SIGSEGV, MOS_SIG_IGNORE,
					       NULL, 0, 0, NULL), 0);
	stk_rc = mos_sys_stack_use(self, 1ull << 40);
	return 0;
}

/* Blocked or ignored, the SIGSEGV of a stack past max_stack_size still
 * kills the caller in the call, with "core" (it went on before). */
static void stack_fault(const char *mode)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t pid;

	stk_rc = 1;
	mos_program_register(k, "stk", stk_main);
	pid = t_spawn(k, T_ARGV("stk", mode));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(stk_rc, 1, "the call never returned");
	cr_expect_eq(t_info(k, pid).exit_status,
		     MOS_W_EXITCODE(0, MOS_SIGSEGV) | MOS_W_COREFLAG);
	mos_kernel_destroy(k);
}

Test(res_review, a_blocked_sigsegv_is_forced_by_a_stack_fault)
{
	stack_fault("b");
}

Test(res_review, an_ignored_sigsegv_is_forced_by_a_stack_fault)
{
	stack_fault("i");
}

/* ---- the namespace is bounded ------------------------------------------- */

static int ns_rc[3];

static int ns_main(mos_proc_t *self, int argc, char **argv)
{
	int fd;

	(void)argc;
	(void)argv;
	ns_rc[0] = mos_sys_open(self, "/d0/new", MOS_O_RDWR | MOS_O_CREATE, &fd);
	ns_rc[1] = mos_sys_open(self, "/d0/f0", MOS_O_RDWR | MOS_O_CREATE, &fd);
	ns_rc[2] = mos_sys_open(self, "/d0/f0", MOS_O_READ, &fd);
	return 0;
}

/* 64 directories and the root, then files until the 65 536th node: the
 * next create of any kind is MOS_EEXHAUSTED; what exists still opens. */
Test(res_review, the_namespace_stops_at_mos_fs_nodes_max)
{
	mos_kernel_t *k = t_kernel(NULL);
	uint32_t made = 0;
	char path[64];
	int rc = 0;

	for (int d = 0; d < 64; d++) {
		snprintf(path, sizeof(path), "/d%d", d);
		cr_assert_eq(mos_fs_mkdir(k, path), 0);
	}
	for (int d = 0; d < 64 && rc == 0; d++)
		for (int f = 0; f < 1024 && rc == 0; f++) {
			snprintf(path, sizeof(path), "/d%d/f%d", d, f);
			if ((rc = mos_fs_create(k, path, 1)) == 0)
				made++;
		}
	cr_expect_eq(rc, MOS_EEXHAUSTED);
	cr_expect_eq(made, MOS_FS_NODES_MAX - 65);
	cr_expect_eq(mos_fs_mkdir(k, "/more"), MOS_EEXHAUSTED);
	mos_program_register(k, "ns", ns_main);
	t_spawn(k, T_ARGV("ns"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(ns_rc[0], MOS_EEXHAUSTED);
	cr_expect_eq(ns_rc[1], 0);
	cr_expect_eq(ns_rc[2], 0);
	mos_kernel_destroy(k);
}

/* ---- the device's times stay below MOS_TIME_NEVER ------------------------ */

static int big_rc[2] = {1, 1};

static int big_main(mos_proc_t *self, int argc, char **argv)
{
	int fd;

	(void)argc;
	cr_assert_eq(mos_sys_open(self, "/big", MOS_O_READ, &fd), 0);
	big_rc[argv[1][0] - '0'] = mos_sys_read(self, fd, 10000000000ull, NULL);
	return 0;
}

/* At 1 B/s a read of 10^10 bytes takes 10^19 ns: one fits below
 * MOS_TIME_NEVER (~1.8e19), a second behind it would be due past it
 * (it was queued and never returned): MOS_ERANGE at once. */
Test(res_review, a_read_due_past_mos_time_never_is_refused)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	cfg.res.device.bandwidth = 1;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_create(k, "/big", 1ull << 40), 0);
	mos_program_register(k, "big", big_main);
	t_spawn(k, T_ARGV("big", "0"));
	t_spawn(k, T_ARGV("big", "1"));
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(big_rc[0], 1, "still reading");
	cr_expect_eq(big_rc[1], MOS_ERANGE);
	mos_kernel_destroy(k);
}

/* The device's latency is at most an hour. */
Test(res_review, a_device_latency_over_an_hour_is_a_config_error)
{
	mos_config_t cfg;
	mos_kernel_t *k = NULL;

	mos_config_default(&cfg);
	cfg.res.device.latency = 3600 * MOS_SEC + 1;
	cr_expect_eq(mos_kernel_create(&cfg, &k, NULL), MOS_ECONFIG);
	cfg.res.device.latency = 3600 * MOS_SEC;
	cr_assert_eq(mos_kernel_create(&cfg, &k, NULL), 0);
	mos_kernel_destroy(k);
}
