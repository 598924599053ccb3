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
			cr_assert_eq(ev.subject, 3);
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

/* Every field of a spec gets its documented default, whatever was there. */
Test(edges, spec_init_defaults)
{
	mos_process_spec_t s;

	memset(&s, 0xa5, sizeof(s));
	mos_process_spec_init(&s);
	cr_expect_eq(s.parent, 0);
	cr_expect_eq(s.priority, MOS_PRIO_NORMAL);
	cr_expect_eq(s.prio_class, MOS_CLASS_USER);
	cr_expect_eq(s.flags, 0);
	cr_expect_null(s.command);
	cr_expect_null(s.working_directory);
	cr_expect_null(s.environment);
	cr_expect_null(s.arg);
	cr_expect_eq(s.sched.rank, 0);
	cr_expect_eq(s.sched.tickets, 0);
	cr_expect_eq(s.sched.period, 0);
	cr_expect_eq(s.sched.deadline, 0);
	cr_expect_eq(s.sched.burst, 0);
	cr_expect_eq(s.start_time, 0);
	mos_process_spec_init(NULL); /* no crash */
}

/* One past the last value of each enumeration is "?", not a read past
 * the name table. */
Test(edges, names_out_of_range)
{
	cr_expect_str_eq(mos_priority_name((mos_priority_t)MOS_PRIO_COUNT), "?");
	cr_expect_str_eq(mos_priority_name((mos_priority_t)-1), "?");
	cr_expect_str_eq(mos_class_name((mos_prio_class_t)MOS_CLASS_COUNT), "?");
	cr_expect_str_eq(mos_priority_name(MOS_PRIO_NORMAL), "Normal");
	cr_expect_str_eq(mos_class_name(MOS_CLASS_USER), "User");
}

/* A process created with an explicit parent: a live one is its parent; a
 * dead one (a zombie) refuses, and no pid is used up. */
Test(edges, create_with_a_parent)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_pid_t parent = t_spawn(k, T_ARGV("idle"));
	mos_pid_t child = 0, dead;

	cr_assert_eq(t_spawn_ex(k, parent, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("idle"), NULL, &child), 0);
	cr_expect_eq(child, 3);
	cr_expect_eq(t_info(k, child).parent, parent);
	/* dead: a child of `parent` (which never waits), killed: a zombie. */
	dead = child;
	cr_assert_eq(mos_process_terminate(k, dead, false), 0);
	cr_assert_eq(t_info(k, dead).state, MOS_STATE_ZOMBIE);
	cr_expect_eq(t_spawn_ex(k, dead, MOS_PRIO_NORMAL, MOS_CLASS_USER,
				T_ARGV("idle"), NULL, &child), MOS_EINVALSTATE);
	cr_expect_eq(t_spawn(k, T_ARGV("idle")), 4);
	mos_kernel_destroy(k);
}

/* A switch whose end would pass MOS_TIME_NEVER stops the run with
 * MOS_ERANGE, as a burst does, instead of spinning. */
Test(edges, switch_past_never_is_out_of_range)
{
	mos_config_t cfg;
	mos_kernel_t *k;

	mos_config_default(&cfg);
	cfg.sched.switch_cost = 100;
	k = t_kernel(&cfg);
	/* A runs from NEVER - 20 to NEVER - 19; the switch to B would end
	 * 100 ns later. */
	t_spawn_attr(k, NULL, MOS_TIME_NEVER - 20, T_ARGV("cpu", "1ns"));
	t_spawn_attr(k, NULL, MOS_TIME_NEVER - 20, T_ARGV("cpu", "1ns"));
	cr_expect_eq(mos_kernel_run(k, MOS_TIME_NEVER), MOS_ERANGE);
	cr_expect_eq(mos_kernel_now(k), MOS_TIME_NEVER - 19);
	mos_kernel_destroy(k);
}

/* The trace hash as docs/ARCHITECTURE.md gives it, recomputed from the
 * events: h = offset basis; per event fold(fold(h, time), pid | from << 32
 * | to << 40 | cause << 48), fold(h, w) = (h ^ w) * FNV prime, then
 * h ^ (h >> 29). */
static uint64_t fold(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x100000001b3ull;
	return h ^ (h >> 29);
}

Test(edges, trace_hash_is_the_documented_fold)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_trace_event_t ev;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t count = 0;

	t_spawn(k, T_ARGV("io", "1ms", "2ms", "2"));
	t_spawn(k, T_ARGV("crash"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_trace_get(k, 0, NULL, &count), 0);
	cr_assert_eq(count, mos_trace_total(k), "the ring wrapped");
	cr_assert_gt(count, 10);
	for (size_t i = 0; i < count; i++) {
		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		h = fold(fold(h, ev.time),
			 (uint64_t)(uint32_t)ev.subject | (uint64_t)ev.a << 32 |
				 (uint64_t)ev.b << 40 | (uint64_t)ev.cause << 48);
	}
	cr_expect_eq(mos_trace_hash(k), h, "hash %016llx, recomputed %016llx",
		     (unsigned long long)mos_trace_hash(k), (unsigned long long)h);
	mos_kernel_destroy(k);
}

/* A direct yield returns 0, as one through the run loop does. */
static int yield_rc_main(mos_proc_t *self, int argc, char **argv)
{
	int *rc = mos_sys_state(self);

	(void)argc;
	(void)argv;
	for (int i = 0; i < 4; i++)
		rc[i] = mos_sys_yield(self);
	return 0;
}

Test(edges, yield_returns_zero_direct_or_not)
{
	mos_kernel_t *k = t_kernel(NULL);
	int rc[2][4];
	mos_kernel_stats_t st;

	memset(rc, 0x55, sizeof(rc));
	cr_assert_eq(mos_program_register(k, "yrc", yield_rc_main), 0);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER,
					T_ARGV("yrc"), rc[i], NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	/* Some yields went straight from one process to the other. */
	cr_assert_lt(st.host_switches, 2 * st.context_switches);
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 4; j++)
			cr_expect_eq(rc[i][j], 0, "process %d, yield %d", i, j);
	mos_kernel_destroy(k);
}
