/*
 * test_config.c - defaults, validation and the JSON overlay.
 *
 * Bad files live in tests/data/invalid/config-*.json, each with a .expect
 * sidecar naming the error (format in tests/data/invalid/README); the
 * invalid_files test runs them all through tests/expect.h.  Paths are relative to the repository
 * root, where the suite runs.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "multios/config.h"
#include "timeout.h"

TestSuite(config, .timeout = T_TIMEOUT);

/* Same rule as src/json/config.c: more host stack under AddressSanitizer. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(TEST_ASAN) || \
	(defined(MOS_SANITIZE) && MOS_SANITIZE)
#define EXPECTED_HOST_STACK 262144u
#else
#define EXPECTED_HOST_STACK 65536u
#endif

Test(config, defaults_exact)
{
	mos_config_t c;

	memset(&c, 0xa5, sizeof(c));
	mos_config_default(&c);
	cr_expect_eq(c.max_processes, 65536);
	cr_expect_eq(c.max_service_processes, 1024);
	cr_expect_eq(c.default_stack_size, 8ull * 1024 * 1024);
	cr_expect_eq(c.default_memory_limit, 256ull * 1024 * 1024);
	cr_expect_eq(c.default_file_descriptor_limit, 1024);
	cr_expect_eq(c.enable_process_accounting, true);
	cr_expect_eq(c.enable_resource_monitoring, true);
	cr_expect_eq(c.service_timeout_ms, 30000);
	cr_expect_eq(c.grace_period_ms, 5000);
	cr_expect_eq(c.emergency_termination_timeout_ms, 10000);
	cr_expect_eq(c.seed, 1);
	cr_expect_eq(c.host_stack_size, EXPECTED_HOST_STACK);
	cr_expect_eq(c.stack_guard_pages, false);
	cr_expect_str_eq(c.context_backend, "auto");
	cr_expect_eq(c.history_size, 1024);
	cr_expect_eq(c.trace_capacity, 4096);
	cr_expect_str_eq(c.sched.policy, "multios");
	cr_expect_eq(c.sched.time_slice, 10 * MOS_MSEC);
	cr_expect_str_eq(c.clock_backend, "virtual");
	cr_expect(c.clock_speed == 1.0);
}

Test(config, sched_defaults_exact)
{
	mos_sched_params_t p, zero;
	mos_config_t c;

	memset(&p, 0xa5, sizeof(p));
	mos_sched_params_default(&p);
	cr_expect_str_eq(p.policy, "multios");
	cr_expect_eq(p.time_slice, 10 * MOS_MSEC);
	cr_expect_eq(p.tick, MOS_MSEC);
	cr_expect_eq(p.switch_cost, 0);
	cr_expect_eq(p.preemptive, true);
	cr_expect_eq(p.aging, 0);
	cr_expect_eq(p.queues, 3);
	cr_expect_eq(p.nquanta, 0);
	cr_expect_eq(p.nallotments, 0);
	cr_expect_eq(p.boost, 0);
	cr_expect_eq(p.io_bump, false);
	cr_expect_eq(p.stay, false);
	cr_expect_eq(p.seed, 0);
	cr_expect_eq(p.min_granularity, 750 * MOS_USEC);
	cr_expect_eq(p.target_latency, 6 * MOS_MSEC);
	/* The unused list entries are zero, not leftovers. */
	memset(&zero, 0, sizeof(zero));
	cr_expect_eq(memcmp(p.quanta, zero.quanta, sizeof(p.quanta)), 0);
	cr_expect_eq(memcmp(p.allotments, zero.allotments,
			    sizeof(p.allotments)),
		     0);

	mos_config_default(&c);
	cr_expect_eq(memcmp(&c.sched, &p, sizeof(p)), 0,
		     "mos_config_default uses mos_sched_params_default");
}

Test(config, sched_policies_known)
{
	const char *const *names = mos_sched_policies();
	mos_config_t c;
	size_t n = 0;

	cr_assert_not_null(names);
	for (; names[n]; n++) {
		mos_config_default(&c);
		snprintf(c.sched.policy, sizeof(c.sched.policy), "%s",
			 names[n]);
		cr_expect_eq(mos_config_validate(&c, NULL), 0, "%s",
			     names[n]);
	}
	cr_expect_geq(n, 1);
}

Test(config, defaults_deterministic_bytes)
{
	mos_config_t a, b;

	memset(&a, 0x00, sizeof(a));
	memset(&b, 0xff, sizeof(b));
	mos_config_default(&a);
	mos_config_default(&b);
	cr_expect_eq(memcmp(&a, &b, sizeof(a)), 0, "padding is zeroed");
}

Test(config, validate_defaults)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_expect_eq(mos_config_validate(&c, &err), 0);
	cr_expect_eq(err.code, 0);
	cr_expect_eq(mos_config_validate(&c, NULL), 0);
	cr_expect_eq(mos_config_validate(NULL, &err), MOS_EINVAL);
	cr_expect_eq(err.code, MOS_EINVAL);
}

/* Validate c and expect MOS_ECONFIG naming path. */
static void expect_invalid(const mos_config_t *c, const char *path,
			   const char *text)
{
	mos_error_t err;

	cr_expect_eq(mos_config_validate(c, &err), MOS_ECONFIG, "%s", path);
	cr_expect_eq(err.code, MOS_ECONFIG);
	cr_expect_str_eq(err.path, path);
	cr_expect(strstr(err.message, text) != NULL, "'%s' lacks '%s'",
		  err.message, text);
}

Test(config, validate_ranges)
{
	mos_config_t c;

	mos_config_default(&c);
	c.max_processes = 1048577;
	expect_invalid(&c, "max_processes", "must be between 2 and 1048576");

	mos_config_default(&c);
	c.max_processes = 2;
	c.max_service_processes = 2;
	c.history_size = 0;
	cr_expect_eq(mos_config_validate(&c, NULL), 0, "edges are valid");

	mos_config_default(&c);
	c.max_service_processes = c.max_processes + 1;
	expect_invalid(&c, "max_service_processes", "must not exceed");

	mos_config_default(&c);
	c.host_stack_size = 16 * 1024 - 1;
	expect_invalid(&c, "host_stack_size", "must be between");

	mos_config_default(&c);
	c.host_stack_size = (1u << 30) + 1;
	expect_invalid(&c, "host_stack_size", "must be between");

	mos_config_default(&c);
	c.trace_capacity = 0;
	expect_invalid(&c, "trace_capacity", "must be at least 1");

	mos_config_default(&c);
	c.sched.time_slice = MOS_USEC - 1;
	expect_invalid(&c, "scheduler.time_slice_ms", "must be at least 1 us");
	c.sched.time_slice = MOS_USEC;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);
}

Test(config, validate_scheduler)
{
	mos_config_t c;

	mos_config_default(&c);
	c.sched.tick = 0;
	expect_invalid(&c, "scheduler.tick_ms", "must be at least 1 ns");
	c.sched.tick = 1;
	cr_expect_eq(mos_config_validate(&c, NULL), 0, "1 ns tick is valid");

	mos_config_default(&c);
	c.sched.queues = 0;
	expect_invalid(&c, "scheduler.queues", "must be between 1 and 16");
	c.sched.queues = 17;
	expect_invalid(&c, "scheduler.queues", "must be between 1 and 16");
	c.sched.queues = 16;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);

	mos_config_default(&c);
	c.sched.nquanta = 2;
	c.sched.quanta[0] = c.sched.quanta[1] = MOS_MSEC;
	expect_invalid(&c, "scheduler.quanta_ms", "has 2 entries but queues is 3");
	c.sched.nquanta = 3;
	expect_invalid(&c, "scheduler.quanta_ms[2]", "must be above 0");
	c.sched.quanta[2] = 1;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);

	mos_config_default(&c);
	c.sched.nallotments = 4;
	expect_invalid(&c, "scheduler.allotments", "has 4 entries");
	c.sched.nallotments = 3;
	c.sched.allotments[0] = c.sched.allotments[2] = 1;
	expect_invalid(&c, "scheduler.allotments[1]", "must be above 0");

	mos_config_default(&c);
	c.sched.min_granularity = 0;
	expect_invalid(&c, "scheduler.min_granularity_ms", "must be above 0");

	mos_config_default(&c);
	c.sched.target_latency = c.sched.min_granularity - 1;
	expect_invalid(&c, "scheduler.target_latency_ms",
		       "must be at least min_granularity (750000 ns)");
	c.sched.target_latency = c.sched.min_granularity;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);
}

Test(config, validate_clock_speed)
{
	const double bad[] = {0.0, -1.0, NAN, INFINITY};
	mos_config_t c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mos_config_default(&c);
		c.clock_speed = bad[i];
		expect_invalid(&c, "clock.speed", "finite number above 0");
	}
}

Test(config, validate_names)
{
	mos_config_t c;

	mos_config_default(&c);
	c.sched.policy[0] = '\0';
	expect_invalid(&c, "scheduler.policy", "must not be empty");

	mos_config_default(&c);
	memset(c.sched.policy, 'x', sizeof(c.sched.policy));
	expect_invalid(&c, "scheduler.policy", "at most 31 characters");

	mos_config_default(&c);
	snprintf(c.sched.policy, sizeof(c.sched.policy), "nosuch");
	expect_invalid(&c, "scheduler.policy",
		       "unknown policy 'nosuch' (known: multios");

	mos_config_default(&c);
	memset(c.context_backend, 'x', sizeof(c.context_backend));
	expect_invalid(&c, "context_backend", "at most 15 characters");

	mos_config_default(&c);
	c.clock_backend[0] = '\0';
	expect_invalid(&c, "clock.backend", "must not be empty");
}

Test(config, load_overlays_only_present_keys)
{
	mos_config_t c, want;
	mos_error_t err;

	mos_config_default(&c);
	c.seed = 99; /* not in the file: must survive */
	want = c;
	want.max_processes = 2048;
	want.enable_process_accounting = false;
	want.sched.time_slice = 2500 * MOS_USEC; /* 2.5 ms, a real number */

	cr_assert_eq(mos_config_load_json(TEST_DATA_DIR "/config-overlay.json",
					  &c, &err),
		     0, "%s", err.message);
	cr_expect_eq(err.code, 0);
	cr_expect_eq(memcmp(&c, &want, sizeof(c)), 0);
	cr_expect_eq(c.seed, 99);
}

Test(config, load_every_key)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_assert_eq(mos_config_load_json(TEST_DATA_DIR "/config-all.json", &c,
					  &err),
		     0, "%s", err.message);
	cr_expect_eq(c.max_processes, 4096);
	cr_expect_eq(c.max_service_processes, 64);
	cr_expect_eq(c.default_stack_size, 1048576);
	cr_expect_eq(c.default_memory_limit, 5000000000ull);
	cr_expect_eq(c.default_file_descriptor_limit, 256);
	cr_expect_eq(c.enable_process_accounting, false);
	cr_expect_eq(c.enable_resource_monitoring, false);
	cr_expect_eq(c.service_timeout_ms, 1000);
	cr_expect_eq(c.grace_period_ms, 200);
	cr_expect_eq(c.emergency_termination_timeout_ms, 300);
	cr_expect_eq(c.seed, 12345678901234ull);
	cr_expect_eq(c.host_stack_size, 131072);
	cr_expect_eq(c.stack_guard_pages, true);
	cr_expect_str_eq(c.context_backend, "ucontext");
	cr_expect_eq(c.history_size, 0);
	cr_expect_eq(c.trace_capacity, 16);
	cr_expect_str_eq(c.clock_backend, "realtime");
	cr_expect(c.clock_speed == 2.5);
}

Test(config, load_every_scheduler_key)
{
	const mos_time_t quanta[] = {2 * MOS_MSEC, 4 * MOS_MSEC,
				     8500 * MOS_USEC, 16 * MOS_MSEC};
	const uint32_t allotments[] = {1, 2, 3, 4};
	mos_sched_params_t *s;
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_assert_eq(mos_config_load_json(TEST_DATA_DIR "/config-all.json", &c,
					  &err),
		     0, "%s", err.message);
	s = &c.sched;
	cr_expect_str_eq(s->policy, "mlfq");
	cr_expect_eq(s->time_slice, 3 * MOS_MSEC);
	cr_expect_eq(s->tick, 500 * MOS_USEC);
	cr_expect_eq(s->switch_cost, 100 * MOS_USEC);
	cr_expect_eq(s->preemptive, false);
	cr_expect_eq(s->aging, 50 * MOS_MSEC);
	cr_expect_eq(s->queues, 4);
	cr_expect_eq(s->nquanta, 4);
	cr_expect_eq(memcmp(s->quanta, quanta, sizeof(quanta)), 0);
	cr_expect_eq(s->quanta[4], 0);
	cr_expect_eq(s->nallotments, 4);
	cr_expect_eq(memcmp(s->allotments, allotments, sizeof(allotments)),
		     0);
	cr_expect_eq(s->boost, 200 * MOS_MSEC);
	cr_expect_eq(s->io_bump, true);
	cr_expect_eq(s->stay, true);
	cr_expect_eq(s->seed, 42);
	cr_expect_eq(s->min_granularity, 1 * MOS_MSEC);
	cr_expect_eq(s->target_latency, 12 * MOS_MSEC);
}

Test(config, load_clears_stale_err)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	memset(&err, 0, sizeof(err));
	err.code = MOS_EIO;
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR "/config-overlay.json",
					  &c, &err),
		     0);
	cr_expect_eq(err.code, 0);
}

/* ---- invalid files ---- */

/* Load json over a non-default config and check it did not change. */
static int load_config(const char *json, mos_error_t *err, void *ctx)
{
	mos_config_t c, before;
	int rc;

	(void)ctx;
	mos_config_default(&c);
	c.seed = 7; /* non-default values too */
	c.sched.quanta[0] = MOS_MSEC; /* unused while nquanta is 0 */
	before = c;
	rc = mos_config_load_json(json, &c, err);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0,
		     "%s: config changed on error", json);
	return rc;
}

Test(config, invalid_files)
{
	t_expect_run(TEST_DATA_DIR "/invalid/config-*.json", 10, load_config,
		     NULL);
}

Test(config, missing_file)
{
	const char *path = TEST_DATA_DIR "/invalid/no-such-file.json";
	mos_config_t c, before;
	mos_error_t err;

	mos_config_default(&c);
	before = c;
	cr_expect_eq(mos_config_load_json(path, &c, &err), MOS_EIO);
	cr_expect_eq(err.code, MOS_EIO);
	cr_expect_str_eq(err.source, path);
	cr_expect(strstr(err.message, "no-such-file.json") != NULL);
	cr_expect(strstr(err.message, "No such file") != NULL, "%s",
		  err.message);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0);
}

Test(config, unreadable_file)
{
	mos_config_t c, before;
	mos_error_t err;

	mos_config_default(&c);
	before = c;
	/* A directory opens but cannot be read: an I/O error, not syntax. */
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR, &c, &err), MOS_EIO,
		     "%s", err.message);
	cr_expect_eq(err.line, 0);
	cr_expect_eq(memcmp(&c, &before, sizeof(c)), 0);
}

Test(config, null_arguments)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_expect_eq(mos_config_load_json(NULL, &c, &err), MOS_EINVAL);
	cr_expect_eq(err.code, MOS_EINVAL);
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR "/config-all.json",
					  NULL, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_config_load_json(TEST_DATA_DIR
					  "/invalid/config-syntax.json",
					  &c, NULL),
		     MOS_ECONFIG, "err may be NULL");
}
