/*
 * tests/test_svc_info.c - what the service manager gives back: an
 * optional dependency that a start went on without is recorded (status
 * and audit, at the exact instant), and mos_service_info returns the
 * descriptor as registered, every default resolved.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/service.h"
#include "timeout.h"

TestSuite(svc_info, .timeout = T_TIMEOUT);

/* The newest audit entry with op `op`, or a zeroed one. */
static mos_audit_entry_t last_audit(mos_kernel_t *k, mos_audit_op_t op)
{
	static mos_audit_entry_t log[1024];
	mos_audit_entry_t none = {0};
	size_t n = 0;

	cr_assert_eq(mos_service_audit(k, log, 1024, &n), 0);
	while (n-- > 0)
		if (log[n].op == op)
			return log[n];
	return none;
}

/* app needs "slow" (notify, never ready, no restart), required or not,
 * with a dependency timeout of dep_ms; slow's own start timeout is
 * slow_ms. */
static void slow_and_app(mos_kernel_t *k, bool required, uint32_t slow_ms,
			 uint32_t dep_ms, mos_service_id_t *si,
			 mos_service_id_t *ai)
{
	mos_service_descriptor_t slow = t_desc("slow", t_idle_cmd);
	mos_service_descriptor_t app = t_desc("app", t_idle_cmd);
	mos_service_dep_t dep = {"slow", required, dep_ms, NULL};

	slow.readiness = MOS_READY_NOTIFY;
	slow.start_timeout_ms = slow_ms;
	slow.restart.policy = MOS_RESTART_NO;
	*si = t_reg(k, &slow);
	app.deps = &dep;
	app.ndeps = 1;
	*ai = t_reg(k, &app);
}

Test(svc_info, an_optional_dependency_that_fails_is_recorded_and_the_start_goes_on)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_id_t si, ai;
	mos_service_status_t st;
	mos_audit_entry_t a;

	slow_and_app(k, false, 200, 1000, &si, &ai);
	cr_assert_eq(mos_service_start(k, 0, ai), 0);
	cr_assert_eq(mos_kernel_run(k, MS(199)), 0);
	st = t_status(k, ai);
	cr_expect_eq(st.state, MOS_SVC_STARTING);
	cr_expect_eq(st.nskipped, 0, "nothing skipped while it may come");
	cr_expect_eq(last_audit(k, MOS_AUDIT_DEP_SKIPPED).seq, 0);
	cr_assert_eq(mos_kernel_run(k, MS(201)), 0);
	cr_expect_eq(t_status(k, si).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, si).since, MS(200));
	st = t_status(k, ai);
	cr_expect_eq(st.state, MOS_SVC_RUNNING, "the start went on");
	cr_expect_eq(st.since, MS(200));
	cr_expect_eq(st.error, 0);
	cr_assert_eq(st.nskipped, 1);
	cr_expect_eq(st.skipped[0], si);
	a = last_audit(k, MOS_AUDIT_DEP_SKIPPED);
	cr_expect_eq(a.time, MS(200));
	cr_expect_eq(a.service, ai);
	cr_expect_str_eq(a.name, "app");
	cr_expect_eq(a.culprit, si);
	cr_expect_eq(a.result, MOS_EDEPEND);
	cr_expect_eq(a.reason, MOS_SVC_R_DEPENDENCY);
	/* Recorded once per start, however often the start looks again. */
	cr_assert_eq(mos_kernel_run(k, MS(5000)), 0);
	{
		mos_audit_entry_t log[1024];
		size_t n = 0, skips = 0;

		cr_assert_eq(mos_service_audit(k, log, 1024, &n), 0);
		for (size_t i = 0; i < n; i++)
			skips += log[i].op == MOS_AUDIT_DEP_SKIPPED;
		cr_expect_eq(skips, 1);
	}
	mos_kernel_destroy(k);
}

Test(svc_info, an_optional_dependency_late_past_its_timeout_is_recorded_as_a_timeout)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_id_t si, ai;
	mos_service_status_t st;
	mos_audit_entry_t a;

	slow_and_app(k, false, 2000, 500, &si, &ai);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(mos_service_start(k, 0, ai), 0);
	cr_assert_eq(mos_kernel_run(k, MS(599)), 0);
	cr_expect_eq(t_status(k, ai).state, MOS_SVC_STARTING);
	cr_assert_eq(mos_kernel_run(k, MS(601)), 0);
	st = t_status(k, ai);
	cr_expect_eq(st.state, MOS_SVC_RUNNING);
	cr_expect_eq(st.since, MS(600), "the dependency's timeout, exactly");
	cr_assert_eq(st.nskipped, 1);
	cr_expect_eq(st.skipped[0], si);
	cr_expect_eq(t_status(k, si).state, MOS_SVC_STARTING, "still trying");
	a = last_audit(k, MOS_AUDIT_DEP_SKIPPED);
	cr_expect_eq(a.time, MS(600));
	cr_expect_eq(a.culprit, si);
	cr_expect_eq(a.result, MOS_ETIMEDOUT);
	cr_expect_eq(a.reason, MOS_SVC_R_TIMEOUT);
	/* A new start, with nothing to skip this time, forgets the old. */
	cr_assert_eq(mos_service_stop(k, 0, ai), 0);
	cr_assert_eq(mos_kernel_run(k, MS(3000)), 0);
	cr_expect_eq(t_status(k, si).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, ai).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, ai).nskipped, 1, "kept until the next start");
	{
		mos_service_descriptor_t fast = t_desc("fast", t_idle_cmd);
		mos_service_dep_t dep = {"fast", false, 500, NULL};
		mos_service_descriptor_t b = t_desc("b", t_idle_cmd);
		mos_service_id_t bi;

		t_reg(k, &fast);
		b.deps = &dep;
		b.ndeps = 1;
		bi = t_reg(k, &b);
		cr_assert_eq(mos_service_start(k, 0, bi), 0);
		cr_assert_eq(mos_kernel_run(k, MS(3001)), 0);
		cr_expect_eq(t_status(k, bi).state, MOS_SVC_RUNNING);
		cr_expect_eq(t_status(k, bi).nskipped, 0);
	}
	mos_kernel_destroy(k);
}

Test(svc_info, a_required_dependency_that_fails_is_not_a_skip)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_id_t si, ai;

	slow_and_app(k, true, 200, 1000, &si, &ai);
	cr_assert_eq(mos_service_start(k, 0, ai), 0);
	cr_assert_eq(mos_kernel_run(k, MS(300)), 0);
	cr_expect_eq(t_status(k, ai).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, ai).error, MOS_EDEPEND);
	cr_expect_eq(t_status(k, ai).culprit, si);
	cr_expect_eq(t_status(k, ai).nskipped, 0);
	cr_expect_eq(last_audit(k, MOS_AUDIT_DEP_SKIPPED).seq, 0);
	/* The state change's audit entry carries the culprit too. */
	cr_expect_eq(last_audit(k, MOS_AUDIT_STATE).culprit, si);
	mos_kernel_destroy(k);
}

Test(svc_info, info_gives_the_descriptor_with_every_default_resolved)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_descriptor_t g, db, cache, app;
	mos_service_dep_t deps[2] = {
		{"db", true, 0, "^1.4"},
		{"cache", false, 700, NULL},
	};
	const char *const env[] = {"MODE=fast", NULL};
	const char *const tags[] = {"web", "eu", NULL};
	mos_service_id_t gi, dbi, ai;
	mos_service_info_t in;

	mos_config_default(&c);
	c.service_timeout_ms = 12345;
	c.grace_period_ms = 678;
	k = t_kernel(&c);
	mos_service_descriptor_init(&g);
	g.name = "grp";
	g.type = MOS_SVC_GROUP;
	g.instances = 0;
	g.supervisor.strategy = MOS_SUP_REST_FOR_ONE;
	gi = t_reg(k, &g);
	db = t_desc("db", t_idle_cmd);
	db.type = MOS_SVC_SYSTEM;
	db.version = "1.4.2-rc.1+b5";
	dbi = t_reg(k, &db);
	cache = t_desc("cache", t_idle_cmd);
	t_reg(k, &cache);
	app = t_desc("app", T_ARGV("sleep", "5s"));
	app.version = "2.0.0";
	app.deps = deps;
	app.ndeps = 2;
	app.environment = env;
	app.tags = tags;
	app.instances = 3;
	app.member_of = "grp";
	app.readiness = MOS_READY_NOTIFY;
	app.working_directory = "/srv/app";
	ai = t_reg(k, &app);

	cr_assert_eq(mos_service_info(k, ai, &in), 0);
	cr_expect_eq(in.id, ai);
	cr_expect_str_eq(in.name, "app");
	cr_expect_eq(in.type, MOS_SVC_USER);
	cr_expect_str_eq(in.version, "2.0.0");
	cr_assert_not_null(in.command);
	cr_expect_str_eq(in.command[0], "sleep");
	cr_expect_str_eq(in.command[1], "5s");
	cr_expect_null(in.command[2]);
	cr_expect_str_eq(in.working_directory, "/srv/app");
	cr_expect_str_eq(in.environment[0], "MODE=fast");
	cr_expect_null(in.environment[1]);
	cr_expect_str_eq(in.tags[0], "web");
	cr_expect_str_eq(in.tags[1], "eu");
	cr_expect_null(in.tags[2]);
	cr_expect_eq(in.uid, 0, "the host's");
	cr_expect_eq(in.caps, MOS_CAP_ALL, "the host's");
	cr_expect_eq(in.instances, 3);
	cr_expect_eq(in.readiness, MOS_READY_NOTIFY);
	cr_expect_eq(in.member_of, gi);
	cr_expect_eq(in.start_timeout_ms, 12345, "the config's");
	cr_expect_eq(in.stop_timeout_ms, 678, "the config's grace period");
	cr_expect_eq(in.restart.policy, MOS_RESTART_NO, "a UserService's");
	cr_expect_eq(in.restart.delay, MS(100));
	cr_assert_eq(in.ndeps, 2);
	/* In dependency name order, each timeout resolved. */
	cr_expect_str_eq(in.deps[0].name, "cache");
	cr_expect_eq(in.deps[0].required, false);
	cr_expect_eq(in.deps[0].timeout_ms, 700);
	cr_expect_null(in.deps[0].version);
	cr_expect_str_eq(in.deps[1].name, "db");
	cr_expect_eq(in.deps[1].required, true);
	cr_expect_eq(in.deps[1].timeout_ms, 12345);
	cr_expect_str_eq(in.deps[1].version, "^1.4");
	cr_expect_eq(in.ndependents, 0);

	cr_assert_eq(mos_service_info(k, dbi, &in), 0);
	cr_expect_str_eq(in.version, "1.4.2-rc.1+b5");
	cr_expect_eq(in.restart.policy, MOS_RESTART_ALWAYS, "a SystemService's");
	cr_expect_str_eq(in.working_directory, "/");
	cr_expect_null(in.environment[0], "none: an empty list");
	cr_expect_null(in.tags[0]);
	cr_expect_eq(in.ndependents, 1);
	cr_expect_eq(in.member_of, 0);

	cr_assert_eq(mos_service_info(k, gi, &in), 0);
	cr_expect_eq(in.type, MOS_SVC_GROUP);
	cr_expect_null(in.command);
	cr_expect_eq(in.instances, 0);
	cr_expect_eq(in.nmembers, 1);
	cr_expect_eq(in.supervisor.strategy, MOS_SUP_REST_FOR_ONE);
	cr_expect_str_eq(in.version, "0.0.0");

	cr_expect_eq(mos_service_info(NULL, ai, &in), MOS_EINVAL);
	cr_expect_eq(mos_service_info(k, ai, NULL), MOS_EINVAL);
	cr_expect_eq(mos_service_info(k, 99, &in), MOS_ESVCNOTFOUND);
	cr_expect_eq(mos_service_info(k, 0, &in), MOS_ESVCNOTFOUND);
	mos_kernel_destroy(k);
}

Test(svc_info, info_without_any_service_is_not_found)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_info_t in;

	cr_expect_eq(mos_service_info(k, 1, &in), MOS_ESVCNOTFOUND);
	mos_kernel_destroy(k);
}
