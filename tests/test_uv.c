/*
 * tests/test_uv.c - the realtime clock's loop shared with the host
 * (include/multios/uv.h): host handles on it run while the kernel waits,
 * host calls from their callbacks act at the wall clock's virtual time,
 * and pacing never changes what is simulated.
 *
 * The wall time these tests take is the realtime backend's own pacing at
 * speed 1 (a virtual ms is a wall ms), bounded by the events the tests
 * arm; nothing here sleeps.  Times that depend on the wall clock are
 * checked against bounds; everything that follows from them is exact.
 */
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers.h"
#include "multios/uv.h"
#include "timeout.h"

TestSuite(uv, .timeout = T_TIMEOUT);

static mos_kernel_t *rt_kernel(const char *policy, double speed)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	strcpy(cfg.clock_backend, "realtime");
	cfg.clock_speed = speed;
	if (policy)
		strcpy(cfg.sched.policy, policy);
	return t_kernel(&cfg);
}

static void expect_accounted(mos_kernel_t *k)
{
	mos_kernel_stats_t st;

	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_expect_eq(st.busy + st.idle, mos_kernel_now(k),
		     "busy %llu + idle %llu != now %llu",
		     (unsigned long long)st.busy, (unsigned long long)st.idle,
		     (unsigned long long)mos_kernel_now(k));
}

Test(uv, loop_only_with_the_realtime_clock)
{
	mos_kernel_t *v = t_kernel(NULL), *r = rt_kernel(NULL, 1.0);

	cr_assert_null(mos_kernel_uv_loop(NULL));
	cr_assert_null(mos_kernel_uv_loop(v));
	cr_assert_eq(mos_kernel_wakeup(NULL), MOS_EINVAL);
	cr_assert_eq(mos_kernel_wakeup(v), MOS_EINVAL);
	cr_assert_not_null(mos_kernel_uv_loop(r));
	cr_assert_eq(mos_kernel_uv_loop(r), mos_kernel_uv_loop(r));
	/* The kernel's own handles keep no host uv_run going. */
	cr_assert_eq(uv_loop_alive(mos_kernel_uv_loop(r)), 0);
	mos_kernel_destroy(v);
	mos_kernel_destroy(r);
}

/* A host timer on k's loop: cb(data) after ms, then every repeat ms. */
static void arm(mos_kernel_t *k, uv_timer_t *t, uv_timer_cb cb, void *data,
		uint64_t ms, uint64_t repeat)
{
	uv_timer_init(mos_kernel_uv_loop(k), t);
	t->data = data;
	uv_timer_start(t, cb, ms, repeat);
}

/* ---- a host timer creates a process while the kernel idles ------------ */

typedef struct admit_case {
	mos_kernel_t *k;
	mos_pid_t sleeper, late;
	mos_time_t now_seen;   /* mos_kernel_now in the callback, before */
	int rc_create, rc_kill;
} admit_case_t;

static void create_late(uv_timer_t *t)
{
	admit_case_t *c = t->data;

	c->now_seen = mos_kernel_now(c->k);
	c->rc_create = t_spawn_ex(c->k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				  T_ARGV("cpu", "1ms"), NULL, &c->late);
	c->rc_kill = mos_process_terminate(c->k, c->sleeper, true);
	uv_close((uv_handle_t *)t, NULL);
}

/*
 * The kernel idles towards a sleeper's wake-up one virtual minute away
 * (its only wait: callbacks can run in nothing else); 20 ms in, a uv
 * timer on its loop creates a 1 ms process and kills the sleeper.  The process is admitted then (at the virtual time of the wall
 * clock, not at the minute), runs at once, and the run ends 1 ms later,
 * well under a second of wall time.  Until the call the callback sees
 * the time the wait began; both calls act at one instant; the idle time
 * is counted up to it.
 */
Test(uv, host_timer_creates_a_process_during_an_idle_wait)
{
	admit_case_t c = {.k = rt_kernel(NULL, 1.0)};
	uv_timer_t timer;
	mos_process_info_t late, sleeper;
	mos_kernel_stats_t st;
	mos_time_t at;
	uint64_t t0 = uv_hrtime();

	c.sleeper = t_spawn(c.k, T_ARGV("sleep", "60s"));
	arm(c.k, &timer, create_late, &c, 20, 0);
	cr_assert_eq(mos_kernel_run(c.k, MOS_TIME_NEVER), 0);
	t0 = uv_hrtime() - t0;

	cr_assert_eq(c.rc_create, 0);
	cr_assert_eq(c.rc_kill, 0);
	cr_assert_eq(c.now_seen, 0);
	late = t_info(c.k, c.late);
	sleeper = t_info(c.k, c.sleeper);
	at = late.times.admitted;
	cr_assert_lt(at, MOS_SEC, "admitted at %llu ns", (unsigned long long)at);
	cr_assert_eq(late.times.created, at);
	cr_assert_eq(late.times.first_run, at);
	cr_assert_eq(late.times.finished, at + MS(1));
	cr_assert_eq(late.times.cpu_user, MS(1));
	cr_assert_eq(sleeper.times.finished, at);
	cr_assert_eq(MOS_WTERMSIG(sleeper.exit_status), MOS_SIGKILL);
	cr_assert_eq(mos_kernel_now(c.k), at + MS(1));
	cr_assert_eq(mos_kernel_stats(c.k, &st), 0);
	cr_assert_eq(st.idle, at);
	cr_assert_eq(st.busy, MS(1));
	cr_assert_lt(t0, MOS_SEC, "%llu ns of wall time", (unsigned long long)t0);
	mos_kernel_destroy(c.k);
}

/* ---- host calls during a burst and during a context switch ------------ */

typedef struct burst_case {
	mos_kernel_t *k;
	mos_pid_t low, high;
	int calls;
	mos_time_t at[2];      /* when each callback's call acted */
} burst_case_t;

/* First a more urgent process arrives (it preempts the computing one at
 * once); then, once it is done, the computing one is killed. */
static void burst_call(uv_timer_t *t)
{
	burst_case_t *c = t->data;

	if (c->calls == 1 &&
	    t_info(c->k, c->high).times.finished == MOS_TIME_NEVER)
		return; /* a query: the wait goes on */
	if (c->calls == 0) {
		cr_assert_eq(t_spawn_ex(c->k, 0, MOS_PRIO_HIGH, MOS_CLASS_USER,
					T_ARGV("cpu", "1ms"), NULL, &c->high),
			     0);
	} else {
		cr_assert_eq(mos_process_terminate(c->k, c->low, true), 0);
		uv_close((uv_handle_t *)t, NULL);
	}
	c->at[c->calls++] = mos_kernel_now(c->k);
}

/*
 * A minute-long burst is charged only up to each host call: the arrival
 * at ~10 ms preempts it exactly then, the 1 ms process runs, the burst
 * goes on and is killed at ~30 ms.  Its CPU time is everything but that
 * millisecond, and the CPU never idled.
 */
Test(uv, host_calls_during_a_burst_charge_the_time_reached)
{
	burst_case_t c = {.k = rt_kernel("multios", 1.0)};
	uv_timer_t timer;
	mos_process_info_t low, high;
	mos_kernel_stats_t st;

	c.low = t_spawn(c.k, T_ARGV("cpu", "60s"));
	arm(c.k, &timer, burst_call, &c, 10, 20);
	cr_assert_eq(mos_kernel_run(c.k, MOS_TIME_NEVER), 0);

	cr_assert_eq(c.calls, 2);
	cr_assert_lt(c.at[0], MOS_SEC);
	cr_assert_geq(c.at[1], c.at[0] + MS(1));
	cr_assert_lt(c.at[1], MOS_SEC);
	low = t_info(c.k, c.low);
	high = t_info(c.k, c.high);
	cr_assert_eq(high.times.admitted, c.at[0]);
	cr_assert_eq(high.times.first_run, c.at[0]);
	cr_assert_eq(high.times.finished, c.at[0] + MS(1));
	cr_assert_eq(low.times.finished, c.at[1]);
	cr_assert_eq(low.times.cpu_user, c.at[1] - MS(1));
	cr_assert_eq(mos_kernel_now(c.k), c.at[1]);
	cr_assert_eq(mos_kernel_stats(c.k, &st), 0);
	cr_assert_eq(st.busy, c.at[1]);
	cr_assert_eq(st.idle, 0);
	mos_kernel_destroy(c.k);
}

static void suspend_switching(uv_timer_t *t)
{
	burst_case_t *c = t->data;

	cr_assert_eq(mos_process_suspend(c->k, c->low), 0);
	c->at[c->calls++] = mos_kernel_now(c->k);
	uv_close((uv_handle_t *)t, NULL);
}

/*
 * A context switch of a virtual minute (switch_cost), after a process
 * that exits at once, is cut short by a suspension at ~20 ms (the only
 * wait: callbacks can run in nothing else): the switch time counted is
 * exactly up to it, the process never ran, and with nothing runnable the
 * run is over.
 */
Test(uv, host_call_during_a_switch_counts_the_switch_reached)
{
	mos_config_t cfg;
	burst_case_t c = {0};
	uv_timer_t timer;
	mos_kernel_stats_t st;
	mos_process_info_t in;

	mos_config_default(&cfg);
	strcpy(cfg.clock_backend, "realtime");
	cfg.sched.switch_cost = 60 * MOS_SEC;
	c.k = t_kernel(&cfg);
	/* A switch is from one process to another: run one first. */
	t_spawn(c.k, T_ARGV("crash", "0"));
	c.low = t_spawn(c.k, T_ARGV("cpu", "1ms"));
	arm(c.k, &timer, suspend_switching, &c, 20, 0);
	cr_assert_eq(mos_kernel_run(c.k, MOS_TIME_NEVER), 0);

	cr_assert_eq(c.calls, 1);
	cr_assert_lt(c.at[0], MOS_SEC);
	in = t_info(c.k, c.low);
	cr_assert_eq(in.state, MOS_STATE_SUSPENDED);
	cr_assert_eq(in.times.first_run, MOS_TIME_NEVER);
	cr_assert_eq(mos_kernel_now(c.k), c.at[0]);
	cr_assert_eq(mos_kernel_stats(c.k, &st), 0);
	cr_assert_eq(st.busy, 0);
	cr_assert_eq(st.context_switches, 1);
	cr_assert_eq(st.switching, c.at[0]);
	cr_assert_eq(st.idle, st.switching);
	cr_assert_eq(mos_process_terminate(c.k, c.low, true), 0);
	mos_kernel_destroy(c.k);
}

/* ---- callbacks that change nothing ------------------------------------- */

typedef struct query_case {
	mos_kernel_t *k;
	mos_pid_t sleeper;
	int ticks;
	mos_time_t max_seen;   /* the latest mos_kernel_now a tick saw */
} query_case_t;

static void query_tick(uv_timer_t *t)
{
	query_case_t *c = t->data;
	mos_time_t now = mos_kernel_now(c->k);

	cr_assert_eq(t_info(c->k, c->sleeper).state, MOS_STATE_BLOCKED);
	if (now > c->max_seen)
		c->max_seen = now;
	c->ticks++;
}

/*
 * A host timer ticking every 5 ms that only reads the kernel does not cut
 * its wait: one step takes the clock from 0 straight to the sleeper's
 * wake-up at 40 ms, with the ticks run inside it, each seeing the time
 * the wait began.
 */
Test(uv, callbacks_that_change_nothing_do_not_end_the_wait)
{
	query_case_t c = {.k = rt_kernel(NULL, 1.0)};
	uv_timer_t timer;
	int progressed = 0;

	c.sleeper = t_spawn(c.k, T_ARGV("sleep", "40ms"));
	while (t_info(c.k, c.sleeper).state != MOS_STATE_BLOCKED)
		cr_assert_eq(mos_kernel_step(c.k, &progressed), 0);
	cr_assert_eq(mos_kernel_now(c.k), 0);
	uv_update_time(mos_kernel_uv_loop(c.k));
	arm(c.k, &timer, query_tick, &c, 5, 5);
	cr_assert_eq(mos_kernel_step(c.k, &progressed), 0);
	cr_assert_eq(progressed, 1);
	cr_assert_eq(mos_kernel_now(c.k), MS(40));
	cr_assert_geq(c.ticks, 2, "%d ticks in 40 ms", c.ticks);
	cr_assert_eq(c.max_seen, 0);
	expect_accounted(c.k);
	uv_close((uv_handle_t *)&timer, NULL);
	cr_assert_eq(mos_kernel_run(c.k, MOS_TIME_NEVER), 0);
	cr_assert_eq(t_info(c.k, c.sleeper).times.finished, MS(40));
	mos_kernel_destroy(c.k);
}

/* ---- wakeup ------------------------------------------------------------- */

static void *wake_from_thread(void *k)
{
	return (void *)(intptr_t)mos_kernel_wakeup(k);
}

/*
 * A wakeup from another thread ends the kernel's next wait (towards a
 * minute away) at once: the step returns having reached no further than
 * the wall clock, the sleeper still asleep.  The next wakeup, sent while
 * nothing waits, ends the following step the same way.
 */
Test(uv, wakeup_from_another_thread_ends_a_step)
{
	mos_kernel_t *k = rt_kernel(NULL, 1.0);
	mos_pid_t sleeper = t_spawn(k, T_ARGV("sleep", "60s"));
	pthread_t th;
	void *rc;
	int progressed = 0;
	mos_time_t before;

	/* Dispatch the sleeper and let it block. */
	while (t_info(k, sleeper).state != MOS_STATE_BLOCKED)
		cr_assert_eq(mos_kernel_step(k, &progressed), 0);
	cr_assert_eq(mos_kernel_now(k), 0);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(pthread_create(&th, NULL, wake_from_thread, k), 0);
		cr_assert_eq(pthread_join(th, &rc), 0);
		cr_assert_eq((intptr_t)rc, 0);
		before = mos_kernel_now(k);
		cr_assert_eq(mos_kernel_step(k, &progressed), 0);
		cr_assert_eq(progressed, 1);
		cr_assert_geq(mos_kernel_now(k), before);
		cr_assert_lt(mos_kernel_now(k), MOS_SEC);
		cr_assert_eq(t_info(k, sleeper).state, MOS_STATE_BLOCKED);
		expect_accounted(k);
	}
	cr_assert_eq(mos_process_terminate(k, sleeper, true), 0);
	mos_kernel_destroy(k);
}

static void never_called(uv_timer_t *t)
{
	(void)t;
	cr_assert_fail("the host's far timer fired");
}

/*
 * A wakeup whose callback runs in the host's own uv_run, between kernel
 * runs (uv.h allows that), still ends the kernel's next wait: the step
 * towards a sleeper's wake-up 2 s away returns at once, the sleeper still
 * asleep.  (A far host timer keeps the loop alive, so that the host's
 * uv_run does take the async.)
 */
Test(uv, wakeup_taken_by_the_hosts_own_uv_run_ends_the_next_wait)
{
	mos_kernel_t *k = rt_kernel(NULL, 1.0);
	mos_pid_t sleeper = t_spawn(k, T_ARGV("sleep", "2s"));
	uv_timer_t far;
	int progressed = 0;

	while (t_info(k, sleeper).state != MOS_STATE_BLOCKED)
		cr_assert_eq(mos_kernel_step(k, &progressed), 0);
	arm(k, &far, never_called, NULL, 100000, 0);
	cr_assert_eq(mos_kernel_wakeup(k), 0);
	uv_run(mos_kernel_uv_loop(k), UV_RUN_NOWAIT);
	uv_close((uv_handle_t *)&far, NULL);
	cr_assert_eq(mos_kernel_step(k, &progressed), 0);
	cr_assert_eq(progressed, 1);
	cr_assert_lt(mos_kernel_now(k), MOS_SEC, "the step waited until %llu ns",
		     (unsigned long long)mos_kernel_now(k));
	cr_assert_eq(t_info(k, sleeper).state, MOS_STATE_BLOCKED);
	expect_accounted(k);
	cr_assert_eq(mos_process_terminate(k, sleeper, true), 0);
	mos_kernel_destroy(k);
}

/* ---- a pipe echoes lines while a scenario runs --------------------------- */

#define LINES 10

typedef struct echo {
	mos_kernel_t *k;
	uv_pipe_t server, client;
	uv_timer_t ticker;
	int sent, got_lines;
	char got[LINES * 16];
	size_t got_len;
	mos_time_t last_now;   /* mos_kernel_now when the last echo came */
	uint32_t live_then;    /* live processes then */
	char buf[2][256];      /* read buffers: server, client */
	char out[LINES][16];   /* lines in flight, client to server */
	char back[4096];       /* echoed bytes in flight, server to client */
	uv_write_t wreq[LINES], ereq[64];
	int echoes;
} echo_t;

static void alloc_server(uv_handle_t *h, size_t n, uv_buf_t *b)
{
	echo_t *e = h->data;

	(void)n;
	*b = uv_buf_init(e->buf[0], sizeof(e->buf[0]));
}

static void alloc_client(uv_handle_t *h, size_t n, uv_buf_t *b)
{
	echo_t *e = h->data;

	(void)n;
	*b = uv_buf_init(e->buf[1], sizeof(e->buf[1]));
}

/* The server writes back what it read (from its own copy). */
static void server_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	echo_t *e = s->data;
	size_t at = (size_t)e->echoes * 64 % sizeof(e->back);
	uv_buf_t w;

	if (n <= 0)
		return;
	cr_assert_lt(e->echoes, 64);
	cr_assert_leq((size_t)n, 64);
	memcpy(e->back + at, b->base, (size_t)n);
	w = uv_buf_init(e->back + at, (unsigned)n);
	cr_assert_eq(uv_write(&e->ereq[e->echoes++], s, &w, 1, NULL), 0);
}

static void client_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	echo_t *e = s->data;
	mos_kernel_stats_t st;

	if (n <= 0)
		return;
	cr_assert_leq(e->got_len + (size_t)n, sizeof(e->got));
	memcpy(e->got + e->got_len, b->base, (size_t)n);
	e->got_len += (size_t)n;
	for (ssize_t i = 0; i < n; i++)
		e->got_lines += b->base[i] == '\n';
	e->last_now = mos_kernel_now(e->k);
	cr_assert_eq(mos_kernel_stats(e->k, &st), 0);
	e->live_then = st.live_processes;
}

/* Every 2 ms of wall time, one more line. */
static void tick(uv_timer_t *t)
{
	echo_t *e = t->data;
	uv_buf_t w;
	int len;

	len = snprintf(e->out[e->sent], sizeof(e->out[0]), "line %d\n",
		       e->sent);
	w = uv_buf_init(e->out[e->sent], (unsigned)len);
	cr_assert_eq(uv_write(&e->wreq[e->sent], (uv_stream_t *)&e->client,
			      &w, 1, NULL), 0);
	if (++e->sent == LINES)
		uv_timer_stop(t);
}

static void scenario(mos_kernel_t *k)
{
	t_spawn(k, T_ARGV("io", "1ms", "30ms", "3"));
	t_spawn(k, T_ARGV("cpu", "25ms"));
	t_spawn(k, T_ARGV("io", "2ms", "5ms", "6"));
	t_spawn(k, T_ARGV("cpu", "7ms"));
}

/*
 * Two ends of a socketpair on the kernel's loop: a client writes a line
 * every 2 ms, a server echoes it.  All the lines come back, in order,
 * while the scenario runs (the test never runs the loop itself; the
 * scenario's processes were still alive at the last echo), and the
 * scenario's trace, its end and its CPU times are the virtual clock's
 * to the nanosecond, under cfs, whose charges round: the echoes split
 * nothing.
 */
Test(uv, pipe_echoes_while_a_scenario_runs)
{
	mos_config_t cfg;
	mos_kernel_t *v;
	mos_kernel_stats_t sv, sr;
	echo_t *e = calloc(1, sizeof(*e));
	uv_loop_t *loop;
	char want[LINES * 16];
	size_t want_len = 0;
	int fds[2];

	mos_config_default(&cfg);
	strcpy(cfg.sched.policy, "cfs");
	v = t_kernel(&cfg);
	e->k = rt_kernel("cfs", 1.0);
	loop = mos_kernel_uv_loop(e->k);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	cr_assert_eq(uv_pipe_init(loop, &e->server, 0), 0);
	cr_assert_eq(uv_pipe_init(loop, &e->client, 0), 0);
	cr_assert_eq(uv_pipe_open(&e->server, fds[0]), 0);
	cr_assert_eq(uv_pipe_open(&e->client, fds[1]), 0);
	e->server.data = e->client.data = e;
	uv_read_start((uv_stream_t *)&e->server, alloc_server, server_read);
	uv_read_start((uv_stream_t *)&e->client, alloc_client, client_read);
	arm(e->k, &e->ticker, tick, e, 2, 2);

	scenario(v);
	scenario(e->k);
	cr_assert_eq(mos_kernel_run(v, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_run(e->k, MOS_TIME_NEVER), 0);

	for (int i = 0; i < LINES; i++)
		want_len += (size_t)snprintf(want + want_len,
					     sizeof(want) - want_len,
					     "line %d\n", i);
	cr_assert_eq(e->sent, LINES);
	cr_assert_eq(e->got_lines, LINES);
	cr_assert_eq(e->got_len, want_len);
	cr_assert_arr_eq(e->got, want, want_len);
	cr_assert_gt(e->live_then, 1, "the scenario was over at the last echo");
	cr_assert_lt(e->last_now, mos_kernel_now(e->k));

	cr_assert_eq(mos_kernel_now(e->k), mos_kernel_now(v));
	cr_assert_eq(mos_trace_total(e->k), mos_trace_total(v));
	cr_assert_eq(mos_trace_hash(e->k), mos_trace_hash(v));
	cr_assert_eq(mos_kernel_stats(v, &sv), 0);
	cr_assert_eq(mos_kernel_stats(e->k, &sr), 0);
	cr_assert_eq(sr.busy, sv.busy);
	cr_assert_eq(sr.idle, sv.idle);
	cr_assert_eq(sr.dispatches, sv.dispatches);
	cr_assert_eq(sr.preemptions, sv.preemptions);
	for (mos_pid_t pid = 2; pid <= 5; pid++)
		cr_assert_eq(t_info(e->k, pid).times.cpu_user,
			     t_info(v, pid).times.cpu_user);

	uv_close((uv_handle_t *)&e->ticker, NULL);
	uv_close((uv_handle_t *)&e->server, NULL);
	uv_close((uv_handle_t *)&e->client, NULL);
	mos_kernel_destroy(e->k); /* completes the closes */
	mos_kernel_destroy(v);
	free(e);
}
