/*
 * tests/strength.h - helpers of test_strength.c and test_strength_sched.c:
 * a process's trace as one string, so that a test states a whole history
 * (every transition, its cause and its time) in one assertion, and a
 * kernel under a named policy.
 */
#ifndef MOS_TEST_STRENGTH_H
#define MOS_TEST_STRENGTH_H

#include <string.h>

#include "helpers.h"

#define US(x) ((mos_time_t)(x) * MOS_USEC)

/*
 * The trace as text: the events of pid (every pid when 0, each then
 * prefixed "pid:") with cause `only` (every cause when -1, each then named
 * "cause@"), as "cause@time" or "pid:time"..., times in ms when whole,
 * else in ns ("3ns" suffix).
 */
static inline const char *t_trace_str(mos_kernel_t *k, mos_pid_t pid, int only,
				      char *buf, size_t size)
{
	size_t count = 0, len = 0;
	mos_trace_event_t ev;

	buf[0] = '\0';
	cr_assert_eq(mos_trace_get(k, 0, NULL, &count), 0);
	cr_assert_lt(count, mos_kernel_config(k)->trace_capacity,
		     "the trace ring wrapped");
	for (size_t i = 0; i < count; i++) {
		char who[16] = "", what[24] = "", when[32];

		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		if (ev.kind != MOS_TRACE_PROC || (pid && ev.subject != pid) ||
		    (only >= 0 && ev.cause != only))
			continue;
		if (!pid)
			snprintf(who, sizeof(who), "%d:", ev.subject);
		if (only < 0)
			snprintf(what, sizeof(what), "%s@",
				 mos_cause_name((mos_cause_t)ev.cause));
		if (ev.time % MOS_MSEC == 0)
			snprintf(when, sizeof(when), "%llu",
				 (unsigned long long)(ev.time / MOS_MSEC));
		else
			snprintf(when, sizeof(when), "%lluns",
				 (unsigned long long)ev.time);
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s",
					len ? " " : "", who, what, when);
		cr_assert_lt(len, size, "trace longer than its buffer");
	}
	return buf;
}

/* One process's history: "create@0 dispatch@0 exit@5 ...". */
#define T_HISTORY(k, pid, buf) t_trace_str(k, pid, -1, buf, sizeof(buf))
/* Who was dispatched when: "2:0 3:5 2:9". */
#define T_DISPATCHES(k, buf) \
	t_trace_str(k, 0, MOS_CAUSE_DISPATCH, buf, sizeof(buf))

static inline mos_kernel_t *t_policy_kernel(const char *policy)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	return t_kernel(&cfg);
}

#endif
