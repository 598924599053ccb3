/*
 * tests/test_trace.c - the transition ring, its text dump and the hash.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(trace, .timeout = T_TIMEOUT);

static const struct { mos_proc_state_t from, to; mos_cause_t cause; mos_time_t t; }
cpu_then_exit[] = {
	{MOS_STATE_NEW, MOS_STATE_BLOCKED, MOS_CAUSE_WAIT, 0},      /* init */
	{MOS_STATE_NEW, MOS_STATE_READY, MOS_CAUSE_CREATE, 0},
	{MOS_STATE_READY, MOS_STATE_RUNNING, MOS_CAUSE_DISPATCH, 0},
	{MOS_STATE_RUNNING, MOS_STATE_BLOCKED, MOS_CAUSE_SLEEP, 0},
	{MOS_STATE_BLOCKED, MOS_STATE_READY, MOS_CAUSE_WAKE, 2000000},
	{MOS_STATE_READY, MOS_STATE_RUNNING, MOS_CAUSE_DISPATCH, 2000000},
	{MOS_STATE_RUNNING, MOS_STATE_TERMINATED, MOS_CAUSE_EXIT, 2000000},
	{MOS_STATE_TERMINATED, MOS_STATE_ZOMBIE, MOS_CAUSE_ZOMBIE, 2000000},
	{MOS_STATE_ZOMBIE, MOS_STATE_DEFUNCT, MOS_CAUSE_REAP, 2000000},
};

Test(trace, records_every_transition_in_order)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_trace_event_t ev;
	size_t n;

	t_spawn(k, T_ARGV("sleep", "2ms"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_trace_get(k, 0, NULL, &n), 0);
	cr_assert_eq(n, sizeof(cpu_then_exit) / sizeof(*cpu_then_exit));
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		cr_assert_eq(ev.a, cpu_then_exit[i].from, "event %zu", i);
		cr_assert_eq(ev.b, cpu_then_exit[i].to, "event %zu", i);
		cr_assert_eq(ev.cause, cpu_then_exit[i].cause, "event %zu", i);
		cr_assert_eq(ev.time, cpu_then_exit[i].t, "event %zu", i);
		cr_assert_eq(ev.subject, i == 0 ? 1 : 2);
	}
	cr_assert_eq(mos_trace_get(k, n, &ev, NULL), MOS_EINVAL);
	mos_kernel_destroy(k);
}

/* The whole dump, line for line: the first event and the last included. */
Test(trace, dump_is_stable_text)
{
	mos_kernel_t *k = t_kernel(NULL);
	char buf[2048] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	t_spawn(k, T_ARGV("cpu", "1500us"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_trace_dump(k, f), 0);
	fclose(f);
	cr_expect_str_eq(buf,
		"         0.000000 ms  pid 1     New        -> Blocked    wait\n"
		"         0.000000 ms  pid 2     New        -> Ready      create\n"
		"         0.000000 ms  pid 2     Ready      -> Running    dispatch\n"
		"         1.500000 ms  pid 2     Running    -> Terminated exit\n"
		"         1.500000 ms  pid 2     Terminated -> Zombie     zombie\n"
		"         1.500000 ms  pid 2     Zombie     -> Defunct    reap\n");
	mos_kernel_destroy(k);
}

Test(trace, ring_is_bounded_but_hash_covers_all)
{
	mos_config_t cfg;
	mos_kernel_t *small, *big;
	mos_trace_event_t last_small, last_big;
	size_t ns, nb;

	mos_config_default(&cfg);
	cfg.trace_capacity = 4;
	small = t_kernel(&cfg);
	big = t_kernel(NULL);
	for (int i = 0; i < 3; i++) {
		t_spawn(small, T_ARGV("io", "1ms", "1ms", "3"));
		t_spawn(big, T_ARGV("io", "1ms", "1ms", "3"));
	}
	mos_kernel_run(small, MOS_TIME_NEVER);
	mos_kernel_run(big, MOS_TIME_NEVER);
	mos_trace_get(small, 0, NULL, &ns);
	mos_trace_get(big, 0, NULL, &nb);
	cr_assert_eq(ns, 4);
	cr_assert_eq(nb, mos_trace_total(big));
	cr_assert_eq(mos_trace_total(small), mos_trace_total(big));
	cr_assert_eq(mos_trace_hash(small), mos_trace_hash(big));
	mos_trace_get(small, 3, &last_small, NULL);
	mos_trace_get(big, nb - 1, &last_big, NULL);
	cr_assert_eq(memcmp(&last_small, &last_big, sizeof(last_big)), 0);
	mos_kernel_destroy(small);
	mos_kernel_destroy(big);
}

Test(trace, hash_changes_with_the_schedule)
{
	mos_kernel_t *a = t_kernel(NULL), *b = t_kernel(NULL);

	t_spawn(a, T_ARGV("cpu", "1ms"));
	t_spawn(b, T_ARGV("cpu", "2ms"));
	mos_kernel_run(a, MOS_TIME_NEVER);
	mos_kernel_run(b, MOS_TIME_NEVER);
	cr_assert_eq(mos_trace_total(a), mos_trace_total(b));
	cr_assert_neq(mos_trace_hash(a), mos_trace_hash(b));
	mos_kernel_destroy(a);
	mos_kernel_destroy(b);
}

static void count_events(void *ud, const mos_trace_event_t *ev)
{
	(void)ev;
	(*(int *)ud)++;
}

Test(trace, observer_sees_each_event)
{
	mos_kernel_t *k = t_kernel(NULL);
	int seen = 0;

	cr_assert_eq(mos_trace_set_observer(k, count_events, &seen), 0);
	t_spawn(k, T_ARGV("cpu", "1ms"));
	mos_kernel_run(k, MOS_TIME_NEVER);
	cr_assert_eq((uint64_t)seen + 1, mos_trace_total(k)); /* + init */
	cr_assert_str_eq(mos_cause_name(MOS_CAUSE_SLICE), "slice");
	cr_assert_str_eq(mos_cause_name(MOS_CAUSE_COUNT), "?");
	mos_kernel_destroy(k);
}
