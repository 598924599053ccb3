/*
 * tests/test_edges.c - constants and boundaries a behavioural test would
 * not otherwise pin down, found by `make mutation` (docs/TESTING.md): a
 * mutant that changed one of them left the rest of the suite green.
 */
#include "strength.h"
#include "timeout.h"

#include <string.h>

TestSuite(edges, .timeout = T_TIMEOUT);

/* Linux's sched_prio_to_weight (kernel/sched/core.c), nice -20 first:
 * the source, copied independently of src/sched/cfs.c. */
static const uint64_t linux_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
	1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
	110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

/* Target latency long enough that one unit of weight moves a slice by
 * at least 127 ns, granularity short enough never to clamp it. */
#define LATENCY ((mos_time_t)1000000 * MOS_MSEC)

/* When the first process (nice `nice`, weight w) ends its first slice
 * against one at nice 0: LATENCY * w / (w + 1024). */
static mos_time_t first_slice(int32_t nice)
{
	mos_config_t cfg;
	mos_sched_attr_t attr = {0};
	mos_kernel_t *k;
	mos_trace_event_t ev;
	size_t count = 0;
	mos_time_t end = 0;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "cfs");
	cfg.sched.min_granularity = 1;
	cfg.sched.target_latency = LATENCY;
	k = t_kernel(&cfg);
	attr.rank = nice;
	t_spawn_attr(k, &attr, 0, T_ARGV("cpu", "2000000s"));
	attr.rank = 0;
	t_spawn_attr(k, &attr, 0, T_ARGV("cpu", "2000000s"));
	cr_assert_eq(mos_kernel_run(k, LATENCY), 0);
	cr_assert_eq(mos_trace_get(k, 0, NULL, &count), 0);
	/* The second dispatch: pid 3 takes over from pid 2. */
	for (size_t i = 0, seen = 0; i < count && !end; i++) {
		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		if (ev.cause == MOS_CAUSE_DISPATCH && ++seen == 2) {
			cr_assert_eq(ev.pid, 3);
			end = ev.time;
		}
	}
	cr_assert_neq(end, 0, "nice %d: no second dispatch", nice);
	mos_kernel_destroy(k);
	return end;
}

Test(edges, cfs_weights_are_linux_table)
{
	for (int32_t nice = -20; nice <= 19; nice++) {
		uint64_t w = linux_weight[nice + 20];
		mos_time_t want = LATENCY * w / (w + 1024);

		cr_expect_eq(first_slice(nice), want, "nice %d: slice %llu, want %llu",
			     nice, (unsigned long long)first_slice(nice),
			     (unsigned long long)want);
	}
}

/* A nice outside -20..19 counts as the nearest end, like Linux's. */
Test(edges, cfs_nice_clamps_to_its_range)
{
	mos_time_t top = LATENCY * 88761 / (88761 + 1024);
	mos_time_t bottom = LATENCY * 15 / (15 + 1024);

	cr_expect_eq(first_slice(-21), top);
	cr_expect_eq(first_slice(-1000), top);
	cr_expect_eq(first_slice(20), bottom);
	cr_expect_eq(first_slice(1000), bottom);
}

/* The kernel's accessors refuse what they cannot use, and change nothing. */
Test(edges, kernel_accessors_with_null)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t st;
	int progressed = 7;

	memset(&st, 0xa5, sizeof(st));
	cr_expect_eq(mos_kernel_now(NULL), 0);
	cr_expect_null(mos_kernel_config(NULL));
	cr_expect_eq(mos_kernel_stats(NULL, &st), MOS_EINVAL);
	cr_expect_eq(st.live_processes, 0xa5a5a5a5u,
		     "a refused call wrote *st");
	cr_expect_eq(mos_kernel_stats(k, NULL), MOS_EINVAL);
	cr_expect_eq(mos_kernel_run(NULL, MOS_TIME_NEVER), MOS_EINVAL);
	cr_expect_eq(mos_kernel_step(NULL, &progressed), MOS_EINVAL);
	cr_expect_eq(progressed, 7);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_expect_eq(st.live_processes, 1); /* init */
	cr_expect_eq(mos_kernel_now(k), 0);
	mos_kernel_destroy(k);
}
