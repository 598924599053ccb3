/*
 * tests/test_events.c - kernel events (multios/events.h): several
 * subscribers with filters, synchronous and deferred delivery, the order
 * and the instant of deferred work, what each may call, and a supervisor
 * that respawns 10 000 times with the same trace every run.
 */
#include <string.h>

#include "helpers.h"
#include "strength.h"
#include "timeout.h"

TestSuite(events, .timeout = T_TIMEOUT);

typedef struct seen {
	char text[512];
	const char *tag;
} seen_t;

/* Note "tag:type:pid@us" for each event. */
static void note(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	seen_t *s = ud;
	size_t len = strlen(s->text);

	(void)k;
	snprintf(s->text + len, sizeof(s->text) - len, "%s%s:%s:%d@%llu",
		 len ? " " : "", s->tag, mos_kev_type_name(ev->type), ev->pid,
		 (unsigned long long)(ev->time / MOS_USEC));
}

static int sub(mos_kernel_t *k, uint32_t types, mos_pid_t pid,
	       const char *program, unsigned flags, seen_t *s)
{
	mos_kev_filter_t f = {.types = types, .pid = pid, .program = program};
	int id = 0;

	cr_assert_eq(mos_kernel_subscribe(k, &f, flags, note, s, &id), 0);
	return id;
}

/* Subscribers of one event run in subscription order; a filter on a pid
 * or a program lets only those through. */
Test(events, several_subscribers_filters_and_order)
{
	mos_kernel_t *k = t_kernel(NULL);
	seen_t all = {.tag = "A"}, cpu = {.tag = "C"}, one = {.tag = "P"};
	mos_pid_t a, b;

	sub(k, MOS_KEV_BIT(MOS_KEV_EXITED) | MOS_KEV_BIT(MOS_KEV_REAPED), 0,
	    NULL, 0, &all);
	sub(k, MOS_KEV_BIT(MOS_KEV_EXITED), 0, "cpu", 0, &cpu);
	a = t_spawn(k, T_ARGV("cpu", "2ms"));
	b = t_spawn(k, T_ARGV("sleep", "1ms"));
	sub(k, MOS_KEV_BIT(MOS_KEV_CREATED) | MOS_KEV_BIT(MOS_KEV_EXITED), b,
	    NULL, 0, &one);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* The cpu runs 0-2 ms, then the sleeper 2-3 ms.  Children of init
	 * are reaped the moment they die. */
	cr_expect_str_eq(all.text, "A:exited:2@2000 A:reaped:2@2000 "
				   "A:exited:3@3000 A:reaped:3@3000");
	cr_expect_str_eq(cpu.text, "C:exited:2@2000");
	cr_expect_str_eq(one.text, "P:exited:3@3000", "created before it "
			 "subscribed: no created event");
	cr_expect_eq(a, 2);
	mos_kernel_destroy(k);
}

/* The event carries the transition and the wait status. */
static void keep(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	(void)k;
	*(mos_kevent_t *)ud = *ev;
}

Test(events, exit_event_carries_status_cause_and_states)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_EXITED)};
	mos_kevent_t ev = {0};
	mos_pid_t p;

	cr_assert_eq(mos_kernel_subscribe(k, &f, MOS_KEV_SYNC, keep, &ev, NULL), 0);
	p = t_spawn(k, T_ARGV("sleep", "1s"));
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_expect_eq(ev.type, MOS_KEV_EXITED);
	cr_expect_eq(ev.pid, p);
	cr_expect_eq(ev.ppid, 1);
	cr_expect_eq(ev.time, MS(3));
	cr_expect_eq(ev.from, MOS_STATE_BLOCKED);
	cr_expect_eq(ev.to, MOS_STATE_TERMINATED);
	cr_expect_eq(ev.cause, MOS_CAUSE_KILL);
	cr_expect(MOS_WIFSIGNALED(ev.status) && MOS_WTERMSIG(ev.status) == MOS_SIGKILL);
	mos_kernel_destroy(k);
}

/* A synchronous subscriber may look but not change: calls that change the
 * kernel fail with MOS_EINVAL while it runs. */
typedef struct sync_try {
	int create, run, sub, terminate;
	mos_pid_t victim;
} sync_try_t;

static void try_calls(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	sync_try_t *t = ud;
	mos_process_spec_t spec;
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_STATE)};
	mos_process_info_t info;

	(void)ev;
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("idle");
	t->create = mos_process_create(k, &spec, NULL);
	t->run = mos_kernel_run(k, MOS_TIME_NEVER);
	t->sub = mos_kernel_subscribe(k, &f, 0, note, NULL, NULL);
	t->terminate = mos_process_terminate(k, t->victim, true);
	cr_expect_eq(mos_process_get_info(k, ev->pid, &info), 0, "queries work");
}

Test(events, synchronous_subscribers_cannot_change_the_kernel)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_EXITED)};
	sync_try_t t = {0};
	size_t n;

	t.victim = t_spawn(k, T_ARGV("sleep", "1s"));
	t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_subscribe(k, &f, MOS_KEV_SYNC, try_calls, &t,
					  NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_expect_eq(t.create, MOS_EINVAL);
	cr_expect_eq(t.run, MOS_EINVAL);
	cr_expect_eq(t.sub, MOS_EINVAL);
	cr_expect_eq(t.terminate, MOS_EINVAL);
	cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 2, "init and the sleeper: nothing was created or killed");
	mos_kernel_destroy(k);
}

/* Deferred work runs on the host stack at the instant of the death,
 * before anything else of that instant, and may create processes: the
 * replacement is dispatched at once. */
typedef struct respawn {
	const char *const *argv;
	int left;
	uint64_t calls;
} respawn_t;

static void respawn(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	respawn_t *r = ud;
	mos_process_spec_t spec;

	(void)ev;
	r->calls++;
	if (r->left-- <= 0)
		return;
	mos_process_spec_init(&spec);
	spec.command = r->argv;
	cr_assert_eq(mos_process_create(k, &spec, NULL), 0);
}

Test(events, deferred_work_acts_at_the_instant_of_the_event)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_EXITED),
			      .program = "cpu"};
	respawn_t r = {T_ARGV("cpu", "3ms"), 2, 0};
	char buf[256];

	cr_assert_eq(mos_kernel_subscribe(k, &f, 0, respawn, &r, NULL), 0);
	t_spawn(k, T_ARGV("cpu", "3ms"));
	t_spawn(k, T_ARGV("sleep", "1ms")); /* not a cpu: no respawn */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* The first cpu ends at 3 ms; its replacement (pid 4) is dispatched
	 * at 3 ms, after the sleeper that was Ready before it; the second
	 * replacement (5) at 6 ms, when 4 ends. */
	T_DISPATCHES(k, buf);
	cr_expect_str_eq(buf, "2:0 3:3 4:3 3:6 5:6");
	cr_expect_eq(r.calls, 3);
	cr_expect_eq(mos_kernel_now(k), MS(9));
	mos_kernel_destroy(k);
}

/* Until the deferred work has run, the kernel has something to do now. */
Test(events, pending_deferred_work_is_the_next_event)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_EXITED)};
	respawn_t r = {T_ARGV("cpu", "1ms"), 0, 0};
	mos_pid_t p = t_spawn(k, T_ARGV("sleep", "1s"));
	int did;

	cr_assert_eq(mos_kernel_subscribe(k, &f, 0, respawn, &r, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_expect_eq(mos_kernel_next_event(k), MS(5));
	cr_assert_eq(mos_kernel_step(k, &did), 0);
	cr_expect_eq(did, 1);
	cr_expect_eq(r.calls, 1);
	cr_expect_eq(mos_kernel_next_event(k), MOS_TIME_NEVER);
	mos_kernel_destroy(k);
}

Test(events, unsubscribe_drops_what_is_queued)
{
	mos_kernel_t *k = t_kernel(NULL);
	seen_t s = {.tag = "X"};
	mos_pid_t p = t_spawn(k, T_ARGV("sleep", "1s"));
	int id = sub(k, MOS_KEV_BIT(MOS_KEV_EXITED), 0, NULL, 0, &s);

	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_assert_eq(mos_kernel_unsubscribe(k, id), 0);
	cr_expect_eq(mos_kernel_unsubscribe(k, id), MOS_EINVAL);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(s.text, "");
	mos_kernel_destroy(k);
}

/* The pids of the events delivered, in order. */
typedef struct pids {
	mos_pid_t pid[128];
	int n;
} pids_t;

static void note_pid(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	pids_t *s = ud;

	(void)k;
	if (s->n < 128)
		s->pid[s->n] = ev->pid;
	s->n++;
}

/* The deferred queue is a ring of 64 at first: it grows when full, with
 * its oldest event anywhere in the ring, and keeps the order. */
Test(events, the_queue_grows_in_order_from_any_head)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_CREATED)};
	mos_kernel_stats_t st;
	pids_t s = {0};

	cr_assert_eq(mos_kernel_subscribe(k, &f, 0, note_pid, &s, NULL), 0);
	for (int i = 0; i < 5; i++)
		t_spawn(k, T_ARGV("idle"));
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(s.n, 5);
	/* 70 queued from the head at 5: the 65th grows the ring. */
	for (int i = 0; i < 70; i++)
		t_spawn(k, T_ARGV("idle"));
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_assert_eq(s.n, 75);
	for (int i = 0; i < 75; i++)
		cr_expect_eq(s.pid[i], 2 + i, "event %d", i);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_expect_eq(st.events_delivered, 75);
	cr_expect_eq(st.events_dropped, 0);
	mos_kernel_destroy(k);
}

/* Leaving from the middle, the end and the front keeps the others, in
 * their order; four fill the first block of subscriptions exactly. */
Test(events, unsubscribe_keeps_the_others_in_order)
{
	mos_kernel_t *k = t_kernel(NULL);
	seen_t s[4] = {{.tag = "A"}, {.tag = "B"}, {.tag = "C"}, {.tag = "D"}};
	uint32_t exited = MOS_KEV_BIT(MOS_KEV_EXITED);
	int id[4];

	for (int i = 0; i < 4; i++)
		id[i] = sub(k, exited, 0, i % 2 ? "cpu" : NULL, 0, &s[i]);
	cr_assert_eq(mos_kernel_unsubscribe(k, id[1]), 0);
	t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_unsubscribe(k, id[3]), 0);
	cr_assert_eq(mos_kernel_unsubscribe(k, id[0]), 0);
	t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(s[0].text, "A:exited:2@1000");
	cr_expect_str_eq(s[1].text, "");
	cr_expect_str_eq(s[2].text, "C:exited:2@1000 C:exited:3@2000");
	cr_expect_str_eq(s[3].text, "D:exited:2@1000");
	for (int i = 0; i < 4; i++)
		cr_expect_eq(mos_kernel_unsubscribe(k, id[i]),
			     i == 2 ? 0 : MOS_EINVAL, "%d", i);
	mos_kernel_destroy(k);
}

Test(events, subscribe_validates_its_arguments)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t ok = {.types = MOS_KEV_BIT(MOS_KEV_EXITED)};
	mos_kev_filter_t none = {0}, unknown = {.types = 1u << 30};
	mos_kev_filter_t neg = {.types = ok.types, .pid = -1};
	mos_kev_filter_t empty = {.types = ok.types, .program = ""};

	cr_expect_eq(mos_kernel_subscribe(NULL, &ok, 0, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, NULL, 0, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, &ok, 0, NULL, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, &none, 0, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, &unknown, 0, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, &neg, 0, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, &empty, 0, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_subscribe(k, &ok, 2, note, NULL, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_unsubscribe(NULL, 1), MOS_EINVAL);
	cr_expect_eq(mos_kernel_unsubscribe(k, 1), MOS_EINVAL);
	cr_expect_str_eq(mos_kev_type_name(MOS_KEV_REAPED), "reaped");
	cr_expect_str_eq(mos_kev_type_name(MOS_KEV_TYPE_COUNT), "?");
	mos_kernel_destroy(k);
}

/* A ring of yielders: only a subscriber to every transition sends yields
 * through the run loop (two host switches instead of one); a subscriber
 * to exits leaves the direct path alone.  The schedule is the same. */
static int yield_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < 100; i++)
		mos_sys_yield(self);
	return 0;
}

static uint64_t ring_switches(uint32_t types, uint64_t *hash)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kev_filter_t f = {.types = types};
	seen_t s = {.tag = "-"};
	mos_kevent_t last = {0};
	mos_kernel_stats_t st;

	cr_assert_eq(mos_program_register(k, "yielder", yield_main), 0);
	if (types)
		cr_assert_eq(mos_kernel_subscribe(k, &f, MOS_KEV_SYNC,
						  types & MOS_KEV_BIT(MOS_KEV_STATE)
							  ? keep : note,
						  types & MOS_KEV_BIT(MOS_KEV_STATE)
							  ? (void *)&last
							  : (void *)&s,
						  NULL), 0);
	for (int i = 0; i < 4; i++)
		t_spawn(k, T_ARGV("yielder"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_kernel_stats(k, &st);
	*hash = mos_trace_hash(k);
	mos_kernel_destroy(k);
	return st.host_switches;
}

Test(events, only_every_transition_subscribers_turn_direct_yields_off)
{
	uint64_t h0, h1, h2;
	uint64_t none = ring_switches(0, &h0);
	uint64_t exits = ring_switches(MOS_KEV_BIT(MOS_KEV_EXITED), &h1);
	uint64_t every = ring_switches(MOS_KEV_BIT(MOS_KEV_STATE), &h2);

	cr_expect_eq(exits, none, "exit subscriber: %llu vs %llu host switches",
		     (unsigned long long)exits, (unsigned long long)none);
	cr_expect_gt(every, none + 300, "every transition: %llu vs %llu",
		     (unsigned long long)every, (unsigned long long)none);
	cr_expect_eq(h1, h0);
	cr_expect_eq(h2, h0);
}

/* A supervisor on the host stack respawns every exited "cpu" 10 000
 * times: exact counts and time, and the same trace every run. */
static uint64_t respawn_run(uint64_t *exited, mos_time_t *end)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_EXITED),
			      .program = "cpu"};
	respawn_t r = {T_ARGV("cpu", "1us"), 9999, 0};
	mos_kernel_stats_t st;
	uint64_t h;

	mos_config_default(&cfg);
	cfg.history_size = 16;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_kernel_subscribe(k, &f, 0, respawn, &r, NULL), 0);
	t_spawn(k, T_ARGV("cpu", "1us"));
	t_spawn(k, T_ARGV("sleep", "2500us")); /* not respawned */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_kernel_stats(k, &st);
	cr_expect_eq(r.calls, 10000);
	cr_expect_eq(st.events_delivered, 10000);
	cr_expect_eq(st.events_dropped, 0);
	*exited = st.processes_exited;
	*end = mos_kernel_now(k);
	h = mos_trace_hash(k);
	mos_kernel_destroy(k);
	return h;
}

Test(events, respawn_ten_thousand_times_deterministically)
{
	uint64_t e1, e2;
	mos_time_t t1, t2;
	uint64_t h1 = respawn_run(&e1, &t1), h2 = respawn_run(&e2, &t2);

	cr_expect_eq(e1, 10001);
	cr_expect_eq(t1, 10 * MOS_MSEC, "10 000 x 1 us back to back");
	cr_expect_eq(h1, h2);
	cr_expect_eq(e2, e1);
	cr_expect_eq(t2, t1);
}
