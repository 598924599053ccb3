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
	cr_expect_eq(t_kstats(k).throttle_events, 1);
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
	/* 20 ms by 20 ms, from 0, 100 and 200: done at 210 ms, throttled
	 * twice (the last 10 ms end inside the quota). */
	cr_expect_eq(t_info(k, pid).times.finished, MS(210));
	cr_expect_eq(t_kstats(k).throttle_events, 2);
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

/* Held with another read charged behind it, a killed one gives nothing
 * back (the one behind was promised its instant from this one's end, so
 * the budget is lost rather than given twice): the read after both
 * starts at 1.5 s, the one held behind keeps its instant (issue 11's
 * review). */
Test(res_gaps, a_killed_held_read_in_the_middle_gives_nothing_back)
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
	cr_expect_eq(lr.end[0], MS(1505), "next start 1.5 s, behind mr's");
	mos_kernel_destroy(k);
}

/* ---- the diagnostic of a bad script ------------------------------------- */

/* Create `script TEXT` with err as spec.arg: the create's result. */
static int script_create(mos_kernel_t *k, const char *text, mos_error_t *err)
{
	mos_process_spec_t spec;
	mos_pid_t pid = 0;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("script", text);
	spec.arg = err;
	return mos_process_create(k, &spec, &pid);
}

Test(res_gaps, a_bad_script_step_is_named_by_number_and_text)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{"[{\"compute\":\"1ms\"},{\"sleep\":\"1ms\"},"
		 "{\"open\":\"/x\",\"mode\":\"q\"}]",
		 "script: step 3 {\"open\":\"/x\",\"mode\":\"q\"}: unknown mode 'q'"},
		{"[{\"open\":\"/x\",\"mode\":\"rr\"}]",
		 "script: step 1 {\"open\":\"/x\",\"mode\":\"rr\"}: mode 'r' twice"},
		{"[{\"yield\":true},{\"fly\":true}]",
		 "script: step 2 {\"fly\":true}: unknown step"},
		{"[{\"repeat\":2,\"steps\":[{\"sleep\":\"1ms\"},{\"sleep\":\"soon\"}]}]",
		 "script: step 1.2 {\"sleep\":\"soon\"}: bad duration"},
		{"[{\"yield\":true},{\"signal\":\"USR1\",\"action\":[{\"exit\":300}]}]",
		 "script: step 2.1 {\"exit\":300}: exit code not in 0 .. 255"},
		{"[{\"repeat\":2,\"steps\":3}]",
		 "script: step 1 {\"repeat\":2,\"steps\":3}: steps are not a JSON array"},
		{"[{\"signal\":\"KILL\",\"action\":\"ignore\"}]",
		 "script: step 1 {\"signal\":\"KILL\",\"action\":\"ignore\"}: "
		 "SIGKILL and SIGSTOP cannot be caught or ignored"},
		{"[{\"alloc\":0}]", "script: step 1 {\"alloc\":0}: bad size (at least one byte)"},
		{"[{\"open\":\"/x\",\"mode\":\"r\u00e9\"}]",
		 "script: step 1 {\"open\":\"/x\",\"mode\":\"r\u00e9\"}: "
		 "unknown mode letter"},
		{"[7]", "script: step 1 7: a step is a JSON object"},
		{"{\"compute\":\"1ms\"}", "script: not a JSON array of steps"},
	};
	mos_kernel_t *k = t_kernel(NULL);
	mos_error_t err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memset(&err, 0x55, sizeof(err));
		cr_expect_eq(script_create(k, bad[i].text, &err), MOS_ECONFIG,
			     "%s", bad[i].text);
		cr_expect_eq(err.code, MOS_ECONFIG);
		cr_expect_str_eq(err.message, bad[i].message);
		cr_expect_eq(err.line, 0);
	}
	/* Its parts: the source, the step as its path, the reason. */
	cr_assert_eq(script_create(k, bad[0].text, &err), MOS_ECONFIG);
	cr_expect_str_eq(err.source, "script");
	cr_expect_str_eq(err.path, "step 3 {\"open\":\"/x\",\"mode\":\"q\"}");
	cr_expect_str_eq(err.text, "unknown mode 'q'");
	/* Without a mos_error_t: the same refusal, nothing written. */
	cr_expect_eq(script_create(k, bad[0].text, NULL), MOS_ECONFIG);
	/* A good script clears it and runs. */
	cr_assert_eq(script_create(k, "[{\"compute\":\"1ms\"}]", &err), 0);
	cr_expect_eq(err.code, 0);
	cr_expect_str_eq(err.message, "");
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(1));
	mos_kernel_destroy(k);
}

/* A syntax error has its line and column; a step too long for the path
 * is cut with an ellipsis. */
Test(res_gaps, a_script_syntax_error_and_a_long_step)
{
	mos_kernel_t *k = t_kernel(NULL);
	char text[400], want[MOS_ERROR_PATH_LEN];
	mos_error_t err;
	int n;

	cr_assert_eq(script_create(k, "[{\"compute\":\"1ms\"},\n {\"sleep\":}]",
				   &err), MOS_ECONFIG);
	cr_expect_eq(err.code, MOS_ECONFIG);
	cr_expect_eq(err.line, 2);
	cr_expect_eq(err.column, 11);
	cr_expect_str_eq(err.path, "");
	cr_expect(strncmp(err.message, "script:2:11: ", 13) == 0, "%s",
		  err.message);

	n = snprintf(text, sizeof(text), "[{\"open\":\"/");
	memset(text + n, 'd', 200);
	snprintf(text + n + 200, sizeof(text) - (size_t)n - 200,
		 "\",\"mode\":\"z\"}]");
	cr_assert_eq(script_create(k, text, &err), MOS_ECONFIG);
	/* "step 1 {\"open\":\"/ddd...": 127 bytes with the 3-byte "…". */
	n = snprintf(want, sizeof(want), "step 1 {\"open\":\"/");
	memset(want + n, 'd', sizeof(want) - 4 - (size_t)n);
	memcpy(want + sizeof(want) - 4, "\xe2\x80\xa6", 4);
	cr_expect_str_eq(err.path, want);
	cr_expect_str_eq(err.text, "unknown mode 'z'");
	mos_kernel_destroy(k);
}

/* ---- throttled_time: the time held while Ready ------------------------- */

/*
 * cpu.max 20 ms per 100 ms.  b sleeps 50 ms from 0; a computes from 0
 * and exhausts the quota at 20 ms: the group is throttled until 100 ms.
 * a is held Ready all that time (80 ms); b sleeps until 50 ms, then is
 * held Ready (50 ms).  The group counts 80 ms, as cgroup v2's
 * throttled_usec counts from throttle to unthrottle.
 */
Test(res_gaps, throttled_time_counts_only_the_time_held_ready)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = cpu_group(k, MS(20), MS(100));
	mos_pid_t b = t_spawn(k, T_ARGV("sleep", "50ms"));
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "50ms"));

	cr_assert_eq(mos_group_attach(k, g, a), 0);
	cr_assert_eq(mos_group_attach(k, g, b), 0);
	cr_assert_eq(mos_kernel_run(k, MS(110)), 0);
	cr_expect_eq(t_usage(k, a).throttled_time, MS(80));
	cr_expect_eq(t_usage(k, b).throttled_time, MS(50));
	cr_expect_eq(t_group(k, g).throttled_time, MS(80));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_info(k, a).times.finished, MS(210));
	cr_expect_eq(t_usage(k, a).throttled_time, MS(160));
	cr_expect_eq(t_usage(k, b).throttled_time, MS(50));
	cr_expect_eq(t_group(k, g).throttled_time, MS(160));
	mos_kernel_destroy(k);
}
