/*
 * tests/test_kernel.c - kernel creation, the run loop, time and determinism.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(kernel, .timeout = T_TIMEOUT);


Test(kernel, create_has_init_and_defaults)
{
	mos_kernel_t *k = t_kernel(NULL);
	const mos_config_t *cfg = mos_kernel_config(k);
	mos_process_info_t in = t_info(k, MOS_PID_INIT);
	size_t n = 0;
	mos_pid_t pids[4];

	cr_assert_eq(cfg->max_processes, 65536);
	cr_assert_eq(mos_kernel_now(k), 0);
	cr_assert_eq(in.state, MOS_STATE_BLOCKED);
	cr_assert_eq(in.priority, MOS_PRIO_CRITICAL);
	cr_assert_eq(in.prio_class, MOS_CLASS_SYSTEM);
	cr_assert_str_eq(in.command[0], "init");
	cr_assert_eq(mos_process_list(k, pids, 4, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(pids[0], 1);
	mos_kernel_destroy(k);
}

/* A kernel names the context backend it resolved "auto" to: MOS_CTX when
 * that names a backend, else the first compiled in (asm on x86-64 Linux). */
Test(kernel, context_backend_is_resolved)
{
	const char *env = getenv("MOS_CTX"), *want = "ucontext";
	mos_config_t cfg;
	mos_kernel_t *k;

#if defined(__x86_64__) && defined(__linux__)
	want = "asm";
#endif
	if (env && (strcmp(env, "asm") == 0 || strcmp(env, "ucontext") == 0))
		want = env;
	k = t_kernel(NULL);
	cr_assert_str_eq(mos_kernel_context_backend(k), want);
	mos_kernel_destroy(k);
	mos_config_default(&cfg);
	strcpy(cfg.context_backend, "ucontext");
	k = t_kernel(&cfg);
	cr_assert_str_eq(mos_kernel_context_backend(k), "ucontext");
	mos_kernel_destroy(k);
	cr_assert_null(mos_kernel_context_backend(NULL));
}

/* Unknown context and clock backends: the kernel fails half-way. */
static void unknown_backends_rejected(void)
{
	mos_config_t cfg;
	mos_kernel_t *k = NULL;

	mos_config_default(&cfg);
	strcpy(cfg.context_backend, "nope");
	cr_assert_eq(mos_kernel_create(&cfg, &k, NULL), MOS_ECONFIG);
	cr_assert_null(k);
	mos_config_default(&cfg);
	strcpy(cfg.clock_backend, "sundial");
	cr_assert_eq(mos_kernel_create(&cfg, &k, NULL), MOS_ECONFIG);
	cr_assert_null(k);
}

Test(kernel, create_rejects_bad_config)
{
	mos_config_t cfg;
	mos_kernel_t *k = (mos_kernel_t *)&cfg;

	mos_config_default(&cfg);
	strcpy(cfg.sched.policy, "no-such-policy");
	cr_assert_eq(mos_kernel_create(&cfg, &k, NULL), MOS_ECONFIG);
	cr_assert_null(k);
	unknown_backends_rejected();
	mos_config_default(&cfg);
	cfg.sched.time_slice = 0;
	cr_assert_eq(mos_kernel_create(&cfg, &k, NULL), MOS_ECONFIG);
	cr_assert_eq(mos_kernel_create(NULL, NULL, NULL), MOS_EINVAL);
	mos_kernel_destroy(NULL);
}

/* A kernel whose creation fails half-way closes nothing of the host's:
 * not descriptor 0 (the stack pool's pidfd starts out as 0 in a zeroed
 * kernel). */
Test(kernel, failed_create_leaves_host_descriptors_alone)
{
	int fd = open("/dev/null", O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(dup2(fd, 0), 0);
	close(fd);
	unknown_backends_rejected();
	cr_assert_neq(fcntl(0, F_GETFD), -1, "descriptor 0 was closed");
}

/* Acceptance 2: 1000 processes x 10 ms under a 1 ms slice. */
Test(kernel, thousand_processes_round_robin)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_kernel_stats_t st;
	mos_pid_t first = 0, last = 0;

	mos_config_default(&cfg);
	cfg.sched.time_slice = MS(1);
	k = t_kernel(&cfg);
	for (int i = 0; i < 1000; i++) {
		mos_pid_t pid = t_spawn(k, T_ARGV("cpu", "10ms"));
		if (i == 0)
			first = pid;
		last = pid;
	}
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), 10 * MOS_SEC);
	mos_kernel_stats(k, &st);
	/* 10 slices each, 10 000 dispatches; every dispatch after the first
	 * passes the CPU to a different process. */
	cr_assert_eq(st.dispatches, 10000);
	cr_assert_eq(st.context_switches, 9999);
	cr_assert_eq(st.preemptions, 9000);
	cr_assert_eq(st.busy, 10 * MOS_SEC);
	cr_assert_eq(st.idle, 0);
	cr_assert_eq(st.processes_reaped, 1000);
	cr_assert_eq(st.live_processes, 1);

	mos_process_info_t a = t_info(k, first), z = t_info(k, last);
	cr_assert_eq(a.state, MOS_STATE_DEFUNCT);
	cr_assert_eq(a.times.first_run, 0);
	cr_assert_eq(a.times.finished, 9 * MOS_SEC + MS(1));
	cr_assert_eq(a.times.cpu_user, MS(10));
	cr_assert_eq(a.times.involuntary_switches, 9);
	cr_assert_eq(a.times.ready_wait, 9 * MOS_SEC + MS(1) - MS(10));
	cr_assert_eq(z.times.first_run, MS(999));
	cr_assert_eq(z.times.finished, 10 * MOS_SEC);
	mos_kernel_destroy(k);
}

Test(kernel, run_until_stops_exactly)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("cpu", "25ms"));

	cr_assert_eq(mos_kernel_run(k, MS(7)), 0);
	cr_assert_eq(mos_kernel_now(k), MS(7));
	cr_assert_eq(t_info(k, p).state, MOS_STATE_RUNNING);
	cr_assert_eq(t_info(k, p).times.cpu_user, MS(7));
	cr_assert_eq(mos_kernel_run(k, MS(7)), 0);
	cr_assert_eq(mos_kernel_now(k), MS(7));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), MS(25));
	/* Nothing left: a later `until` just moves the clock. */
	cr_assert_eq(mos_kernel_run(k, MS(40)), 0);
	cr_assert_eq(mos_kernel_now(k), MS(40));
	mos_kernel_destroy(k);
}

Test(kernel, idle_clock_jumps_to_next_timer)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;

	t_spawn(k, T_ARGV("sleep", "3s"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), 3 * MOS_SEC);
	mos_kernel_stats(k, &st);
	cr_assert_eq(st.idle, 3 * MOS_SEC);
	cr_assert_eq(st.busy, 0);
	cr_assert_eq(st.timers_fired, 1);
	mos_kernel_destroy(k);
}

Test(kernel, blocked_forever_does_not_keep_run_going)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t p = t_spawn(k, T_ARGV("idle"));

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), 0);
	cr_assert_eq(t_info(k, p).state, MOS_STATE_BLOCKED);
	mos_kernel_destroy(k);
}

Test(kernel, step_reports_progress)
{
	mos_kernel_t *k = t_kernel(NULL);
	int progressed = -1, steps = 0;

	t_spawn(k, T_ARGV("cpu", "1ms"));
	do {
		cr_assert_eq(mos_kernel_step(k, &progressed), 0);
		steps++;
	} while (progressed && steps < 100);
	cr_assert_eq(progressed, 0);
	cr_assert_eq(mos_kernel_now(k), MS(1));
	/* dispatch+syscall, charge+exit, then nothing */
	cr_assert_eq(steps, 3);
	mos_kernel_destroy(k);
}

static uint64_t scenario_hash(uint64_t seed, char *dump, size_t len)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	uint64_t h;
	FILE *f = fmemopen(dump, len, "w");

	mos_config_default(&cfg);
	cfg.seed = seed;
	cfg.sched.time_slice = MS(2);
	k = t_kernel(&cfg);
	t_spawn(k, T_ARGV("script",
			  "[{\"spawn\":[\"io\",\"1ms\",\"3ms\",\"5\"]},"
			  "{\"spawn\":[\"cpu\",\"7ms\"]},{\"compute\":\"4ms\"},"
			  "{\"wait\":\"all\"},{\"exit\":4}]"));
	t_spawn(k, T_ARGV("crash", "2", "3ms"));
	t_spawn_ex(k, 0, MOS_PRIO_HIGH, MOS_CLASS_USER,
		   T_ARGV("io", "500us", "2ms", "6"), NULL, NULL);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_trace_dump(k, f);
	fclose(f);
	h = mos_trace_hash(k);
	mos_kernel_destroy(k);
	return h;
}

/* Acceptance 5: same scenario, same seed, same trace. */
Test(kernel, same_inputs_same_trace)
{
	static char a[1 << 16], b[1 << 16];
	uint64_t h1 = scenario_hash(42, a, sizeof(a));
	uint64_t h2 = scenario_hash(42, b, sizeof(b));

	cr_assert_eq(h1, h2);
	cr_assert_str_eq(a, b);
	cr_assert_gt(strlen(a), 100);
}

Test(kernel, two_kernels_side_by_side)
{
	mos_kernel_t *a = t_kernel(NULL), *b = t_kernel(NULL);

	t_spawn(a, T_ARGV("cpu", "5ms"));
	t_spawn(b, T_ARGV("cpu", "9ms"));
	cr_assert_eq(mos_kernel_run(a, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_run(b, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(a), MS(5));
	cr_assert_eq(mos_kernel_now(b), MS(9));
	mos_kernel_destroy(a);
	mos_kernel_destroy(b);
}

Test(kernel, version)
{
	cr_assert_str_eq(mos_version(), "0.1.0");
}

/* The realtime (libuv) clock only paces: the schedule is the virtual one. */
Test(kernel, realtime_clock_gives_the_same_trace)
{
	mos_config_t cfg;
	mos_kernel_t *v, *r;

	mos_config_default(&cfg);
	v = t_kernel(&cfg);
	strcpy(cfg.clock_backend, "realtime");
	cfg.clock_speed = 1e6; /* 1 virtual second per wall microsecond */
	r = t_kernel(&cfg);
	t_spawn(v, T_ARGV("io", "1ms", "30ms", "3"));
	t_spawn(r, T_ARGV("io", "1ms", "30ms", "3"));
	t_spawn(v, T_ARGV("cpu", "25ms"));
	t_spawn(r, T_ARGV("cpu", "25ms"));
	cr_assert_eq(mos_kernel_run(v, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_run(r, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(r), mos_kernel_now(v));
	cr_assert_eq(mos_kernel_now(r), MS(93));
	cr_assert_eq(mos_trace_hash(r), mos_trace_hash(v));
	mos_kernel_destroy(v);
	mos_kernel_destroy(r);
}

Test(kernel, config_file_feeds_the_kernel)
{
	mos_config_t cfg;
	mos_error_t err;
	mos_kernel_t *k;
	char path[] = "/tmp/mos-cfg-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("{\"seed\": 7, \"scheduler\": {\"time_slice_ms\": 2}}", f);
	fclose(f);
	mos_config_default(&cfg);
	cr_assert_eq(mos_config_load_json(path, &cfg, &err), 0, "%s", err.message);
	unlink(path);
	k = t_kernel(&cfg);
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "4ms"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "4ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* 2 ms slices: a 0-2, b 2-4, a 4-6, b 6-8 */
	cr_assert_eq(t_info(k, a).times.finished, MS(6));
	cr_assert_eq(t_info(k, b).times.finished, MS(8));
	cr_assert_eq(mos_kernel_config(k)->seed, 7);
	mos_kernel_destroy(k);
}

/* A burst that ends with its slice, followed by another compute: the slice
 * expiry is queued before a wake-up due at that same instant. */
Test(kernel, slice_expiry_before_wakeup_after_back_to_back_computes)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t a, b;

	mos_config_default(&cfg);
	strcpy(cfg.sched.policy, "rr");
	cfg.sched.time_slice = MS(2);
	k = t_kernel(&cfg);
	b = t_spawn(k, T_ARGV("script", "[{\"sleep\":\"2ms\"},{\"compute\":\"1ms\"}]"));
	a = t_spawn(k, T_ARGV("script", "[{\"compute\":\"2ms\"},{\"compute\":\"2ms\"}]"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* B sleeps at 0; A 0-2; at 2 A (slice over) is queued, then B wakes:
	 * A 2-4, B 4-5. */
	cr_assert_eq(t_info(k, a).times.finished, MS(4));
	cr_assert_eq(t_info(k, b).times.finished, MS(5));
	mos_kernel_destroy(k);
}

/* A policy's periodic event (mlfq's boost) does not keep a run going once
 * only processes blocked without a timer remain. */
Test(kernel, policy_events_alone_end_a_run)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_pid_t idle;

	mos_config_default(&cfg);
	strcpy(cfg.sched.policy, "mlfq");
	cfg.sched.boost = MS(10);
	k = t_kernel(&cfg);
	idle = t_spawn(k, T_ARGV("idle"));
	t_spawn(k, T_ARGV("cpu", "25ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_now(k), MS(25));
	cr_assert_eq(t_info(k, idle).state, MOS_STATE_BLOCKED);
	mos_kernel_destroy(k);
}

/*
 * mos_kernel_next_event, driven by a host loop: now while a process can
 * run, the wake-up of a sleeper while the CPU idles, an admission's
 * start time, MOS_TIME_NEVER when nothing is left.  A host loop that
 * always runs to the next event reaches the same end, at the same
 * times, as one run to MOS_TIME_NEVER.
 */
Test(kernel, next_event_drives_a_host_loop)
{
	mos_kernel_t *k = t_kernel(NULL), *ref = t_kernel(NULL);
	mos_process_spec_t spec;
	mos_pid_t pid;
	int rounds = 0;

	cr_expect_eq(mos_kernel_next_event(NULL), MOS_TIME_NEVER);
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER); /* init only */
	for (int i = 0; i < 2; i++) {
		mos_kernel_t *kk = i ? ref : k;

		t_spawn(kk, T_ARGV("sleep", "5ms"));
		mos_process_spec_init(&spec);
		spec.command = T_ARGV("cpu", "2ms");
		spec.start_time = MS(20);
		cr_assert_eq(mos_process_create(kk, &spec, &pid), 0);
	}
	cr_expect_eq(mos_kernel_next_event(k), 0); /* the sleeper is Ready */
	cr_assert_eq(mos_kernel_run(k, 1), 0);      /* it now sleeps */
	cr_expect_eq(mos_kernel_next_event(k), MS(5));
	cr_assert_eq(mos_kernel_run(k, MS(5) + 1), 0); /* it woke and exited */
	cr_expect_eq(mos_kernel_next_event(k), MS(20)); /* the admission */
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(20)); /* due now */
	/* The loop a host would write: sleep (here: run) until the next
	 * event, and step while there is work now. */
	while (mos_kernel_next_event(k) != MOS_TIME_NEVER) {
		mos_time_t next = mos_kernel_next_event(k);

		cr_assert_lt(++rounds, 100);
		cr_assert_geq(next, mos_kernel_now(k));
		if (next > mos_kernel_now(k))
			cr_assert_eq(mos_kernel_run(k, next), 0);
		else
			cr_assert_eq(mos_kernel_step(k, NULL), 0);
	}
	cr_expect_eq(mos_kernel_now(k), MS(22));
	cr_expect_eq(t_info(k, pid).times.finished, MS(22));
	cr_assert_eq(mos_kernel_run(ref, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_trace_hash(k), mos_trace_hash(ref));
	mos_kernel_destroy(k);
	mos_kernel_destroy(ref);
}

/* A policy event alone (mlfq's boost) is not a next event: a run to
 * MOS_TIME_NEVER would not wait for it either. */
Test(kernel, next_event_ignores_a_lone_policy_event)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "mlfq");
	cfg.sched.boost = MS(50);
	k = t_kernel(&cfg);
	t_spawn(k, T_ARGV("sleep", "120ms"));
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(50)); /* boost before wake */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	mos_kernel_destroy(k);
}

/*
 * mos_kernel_next_event counts what can run across the moves the host
 * makes between runs: suspending the running process mid-burst (the CPU
 * is then free), killing a Ready one, resuming.  With nothing runnable
 * and no timer armed it is MOS_TIME_NEVER, else now.
 */
Test(kernel, next_event_follows_suspend_resume_and_kill)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t a = t_spawn(k, T_ARGV("cpu", "10ms"));
	mos_pid_t b = t_spawn(k, T_ARGV("cpu", "10ms"));

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(t_info(k, a).state, MOS_STATE_RUNNING);
	cr_assert_eq(t_info(k, b).state, MOS_STATE_READY);
	cr_expect_eq(mos_kernel_next_event(k), MS(1));
	cr_assert_eq(mos_process_suspend(k, a), 0);    /* b still Ready */
	cr_expect_eq(mos_kernel_next_event(k), MS(1));
	cr_assert_eq(mos_process_terminate(k, b, true), 0);
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	cr_assert_eq(mos_process_resume(k, a), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(1));
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_eq(mos_process_suspend(k, a), 0);    /* Running -> Suspended */
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	cr_assert_eq(mos_process_resume(k, a), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(mos_kernel_now(k), MS(10));
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	mos_kernel_destroy(k);
}

struct state_seen {
	uint32_t events, mismatches;
};

/* A synchronous STATE subscriber: the transition's trace event is already
 * the newest in the ring when the subscriber hears of it, and says the
 * same.  Counts instead of asserting: it may run on a coroutine. */
static void on_state(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	struct state_seen *seen = ud;
	mos_trace_event_t te;
	size_t n = 0;

	seen->events++;
	if (ev->type != MOS_KEV_STATE || mos_trace_get(k, 0, NULL, &n) < 0 ||
	    n == 0 || mos_trace_get(k, n - 1, &te, NULL) < 0 ||
	    te.kind != MOS_TRACE_PROC || te.subject != ev->pid ||
	    te.time != ev->time || te.cause != ev->cause ||
	    te.a != ev->from || te.b != ev->to)
		seen->mismatches++;
}

/*
 * Every transition reaches a STATE subscriber once, after its trace
 * event: as many events as traced transitions (all but init's birth,
 * which is traced only), and the same trace as without a subscriber.
 */
Test(kernel, state_events_follow_the_trace)
{
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_STATE)};
	struct state_seen seen = {0};
	mos_kernel_t *k[2];
	mos_config_t cfg;
	size_t n = 0, proc = 0;

	mos_config_default(&cfg);
	cfg.trace_capacity = 1024;
	for (int i = 0; i < 2; i++) {
		k[i] = t_kernel(&cfg);
		if (i == 0)
			cr_assert_eq(mos_kernel_subscribe(k[0], &f, MOS_KEV_SYNC,
							  on_state, &seen, NULL), 0);
		t_spawn(k[i], T_ARGV("cpu", "30ms"));
		t_spawn(k[i], T_ARGV("cpu", "30ms"));
		t_spawn(k[i], T_ARGV("sleep", "5ms"));
		cr_assert_eq(mos_kernel_run(k[i], MOS_TIME_NEVER), 0);
	}
	cr_assert_eq(mos_trace_get(k[0], 0, NULL, &n), 0);
	cr_assert_eq(n, mos_trace_total(k[0]));    /* the ring holds all */
	for (size_t i = 0; i < n; i++) {
		mos_trace_event_t te;

		cr_assert_eq(mos_trace_get(k[0], i, &te, NULL), 0);
		proc += te.kind == MOS_TRACE_PROC;
	}
	cr_expect_gt(seen.events, 20);
	cr_expect_eq(seen.events, proc - 1);
	cr_expect_eq(seen.mismatches, 0);
	cr_expect_eq(mos_trace_hash(k[0]), mos_trace_hash(k[1]));
	mos_kernel_destroy(k[0]);
	mos_kernel_destroy(k[1]);
}

/* A refused create says why, in the caller's mos_error_t. */
Test(kernel, create_reports_the_diagnostic)
{
	mos_config_t cfg;
	mos_kernel_t *k = NULL;
	mos_error_t err;

	mos_config_default(&cfg);
	strcpy(cfg.sched.policy, "no-such-policy");
	cr_assert_eq(mos_kernel_create(&cfg, &k, &err), MOS_ECONFIG);
	cr_assert_null(k);
	cr_expect_eq(err.code, MOS_ECONFIG);
	cr_expect_str_eq(err.path, "scheduler.policy");
	cr_expect(strstr(err.message, "no-such-policy"), "message: %s", err.message);
	cr_assert_eq(mos_kernel_create(&cfg, NULL, &err), MOS_EINVAL);
	cr_expect_eq(err.code, MOS_EINVAL);
	/* Success clears it. */
	cr_assert_eq(mos_kernel_create(NULL, &k, &err), 0);
	cr_expect_eq(err.code, 0);
	cr_expect_str_eq(err.message, "");
	mos_kernel_destroy(k);
}
