/*
 * tests/test_svc_life.c - the service manager's lifecycle at exact
 * virtual times: the documented example, start and stop order, cycles,
 * restarts and their back-off, supervisor groups, dependency failure,
 * readiness timeouts, permissions and the audit log.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/service.h"
#include "timeout.h"

TestSuite(svc, .timeout = T_TIMEOUT);

static mos_kernel_t *svc_kernel(void)
{
	mos_config_t c;

	mos_config_default(&c);
	c.trace_capacity = 65536;
	return t_kernel(&c);
}

/* The service transitions of the trace, "name:From>To@ms" joined by
 * spaces (reason given for the ones in `why`: "name:From>To(reason)"). */
static size_t trace_n(mos_kernel_t *k)
{
	size_t n = 0;

	cr_assert_eq(mos_trace_get(k, 0, NULL, &n), 0);
	return n;
}

/* ... from the from-th event of the trace on (it never wraps here). */
static const char *transitions_from(mos_kernel_t *k, size_t from, char *buf,
				    size_t size)
{
	size_t n = trace_n(k), len = 0;
	mos_trace_event_t ev;

	buf[0] = '\0';
	cr_assert_lt(n, 65536);
	for (size_t i = from; i < n; i++) {
		mos_service_status_t st;

		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		if (ev.kind != MOS_TRACE_SERVICE)
			continue;
		st = t_status(k, (mos_service_id_t)ev.subject);
		len += (size_t)snprintf(buf + len, size - len,
					"%s%s:%.4s>%.4s@%llu", len ? " " : "",
					st.name,
					mos_service_state_name((mos_service_state_t)ev.a),
					mos_service_state_name((mos_service_state_t)ev.b),
					(unsigned long long)(ev.time / MOS_MSEC));
		cr_assert_lt(len, size);
	}
	return buf;
}

static const char *transitions(mos_kernel_t *k, char *buf, size_t size)
{
	return transitions_from(k, 0, buf, size);
}

#define IDLE t_idle_cmd

/* ---- 1: the documented example ------------------------------------------ */

Test(svc, the_documented_example_starts_the_database_first)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t db = t_desc("database", IDLE);
	mos_service_dep_t dep = {.name = "database", .required = true,
				 .timeout_ms = 30000};
	mos_service_descriptor_t app = t_desc("app-service", IDLE);
	mos_service_id_t db_id, app_id;
	char buf[512];

	db_id = t_reg(k, &db);
	app.deps = &dep;
	app.ndeps = 1;
	app_id = t_reg(k, &app);
	cr_expect_eq(db_id, 1);
	cr_expect_eq(app_id, 2);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(mos_service_start(k, 0, app_id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "database:Stop>Star@5 database:Star>Runn@5 "
			 "app-service:Stop>Star@5 app-service:Star>Runn@5");
	cr_expect_eq(t_status(k, db_id).ninstances, 1);
	cr_expect_eq(t_status(k, app_id).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, app_id).since, MS(5));
	mos_kernel_destroy(k);
}

/* ---- 2: order, cycles ------------------------------------------------- */

static void six(mos_kernel_t *k, mos_service_id_t id[6])
{
	static const mos_service_dep_t auth_deps[] = {{"db", true, 0, NULL}};
	static const mos_service_dep_t api_deps[] = {
		{"db", true, 0, "^1.2"}, {"auth", true, 0, NULL}};
	static const mos_service_dep_t web_deps[] = {
		{"log", false, 0, NULL}, {"cache", false, 0, NULL},
		{"api", true, 0, ">=1.0, <2.0"}};
	mos_service_descriptor_t d[6];
	mos_error_t err;

	/* Registered in an order unlike the start order. */
	d[0] = t_desc("web", IDLE);
	d[0].deps = web_deps;
	d[0].ndeps = 3;
	d[1] = t_desc("api", IDLE);
	d[1].version = "1.0.0";
	d[1].deps = api_deps;
	d[1].ndeps = 2;
	d[2] = t_desc("cache", IDLE);
	d[3] = t_desc("auth", IDLE);
	d[3].deps = auth_deps;
	d[3].ndeps = 1;
	d[4] = t_desc("log", IDLE);
	d[5] = t_desc("db", IDLE);
	d[5].version = "1.4.2";
	cr_assert_eq(mos_service_register_batch(k, 0, d, 6, id, &err), 0, "%s",
		     err.message);
}

Test(svc, a_six_service_graph_starts_in_order_and_stops_in_reverse)
{
	size_t mark;
	mos_kernel_t *k = svc_kernel();
	mos_service_id_t id[6], order[8];
	size_t n = 0;
	char buf[1024];

	six(k, id);
	cr_assert_eq(mos_service_start_order(k, id[0], order, 8, &n), 0);
	cr_assert_eq(n, 6);
	/* Depth first from web, each one's dependencies in name order. */
	cr_expect_eq(order[0], id[5]); /* db */
	cr_expect_eq(order[1], id[3]); /* auth */
	cr_expect_eq(order[2], id[1]); /* api */
	cr_expect_eq(order[3], id[2]); /* cache */
	cr_expect_eq(order[4], id[4]); /* log */
	cr_expect_eq(order[5], id[0]); /* web */
	cr_assert_eq(mos_service_start(k, 0, id[0]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "db:Stop>Star@0 db:Star>Runn@0 auth:Stop>Star@0 "
			 "auth:Star>Runn@0 api:Stop>Star@0 api:Star>Runn@0 "
			 "cache:Stop>Star@0 cache:Star>Runn@0 log:Stop>Star@0 "
			 "log:Star>Runn@0 web:Stop>Star@0 web:Star>Runn@0");
	mark = trace_n(k);
	/* Stopping db stops what needs it first: each goes Stopping at
	 * once (db's dependents in registration order, then theirs), and
	 * is signalled, and Stopped, once what needs it is down: web, api,
	 * auth, db, the start order reversed.  cache and log need nothing
	 * of it and stay. */
	cr_assert_eq(mos_service_stop(k, 0, id[5]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_expect_str_eq(transitions_from(k, mark, buf, sizeof(buf)),
			 "db:Runn>Stop@1 api:Runn>Stop@1 auth:Runn>Stop@1 "
			 "web:Runn>Stop@1 web:Stop>Stop@1 api:Stop>Stop@1 "
			 "auth:Stop>Stop@1 db:Stop>Stop@1");
	cr_expect_eq(t_status(k, id[2]).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, id[4]).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, id[0]).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id[0]).reason, MOS_SVC_R_REQUEST);
	mos_kernel_destroy(k);
}

Test(svc, a_cycle_of_forty_is_refused_with_every_name)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d[40];
	mos_service_dep_t deps[40];
	char names[40][16], want[40 * 12] = "";
	mos_error_t err;
	size_t n = 99;

	for (int i = 0; i < 40; i++)
		snprintf(names[i], sizeof(names[i]), "s%02d", i);
	for (int i = 0; i < 40; i++) {
		d[i] = t_desc(names[i], IDLE);
		deps[i] = (mos_service_dep_t){names[(i + 1) % 40], true, 0, NULL};
		d[i].deps = &deps[i];
		d[i].ndeps = 1;
		strcat(want, names[i]);
		strcat(want, " -> ");
	}
	strcat(want, "s00");
	/* Batch order other than the cycle's: the spelling starts at the
	 * smallest name anyway. */
	{
		mos_service_descriptor_t t = d[0];

		d[0] = d[17];
		d[17] = t;
	}
	cr_assert_eq(mos_service_register_batch(k, 0, d, 40, NULL, &err),
		     MOS_ECYCLE);
	cr_expect_eq(err.code, MOS_ECYCLE);
	cr_expect_str_eq(mos_service_error_text(k), want);
	cr_expect(strstr(err.message, "40 services") != NULL, "%s", err.message);
	cr_assert_eq(mos_service_list(k, NULL, 0, &n), 0);
	cr_expect_eq(n, 0, "nothing registered");
	/* A short one fits the message whole. */
	{
		mos_service_dep_t ab = {"b", true, 0, NULL}, ba = {"a", true, 0, NULL};
		mos_service_descriptor_t two[2] = {t_desc("b", IDLE), t_desc("a", IDLE)};

		two[0].deps = &ba;
		two[0].ndeps = 1;
		two[1].deps = &ab;
		two[1].ndeps = 1;
		cr_assert_eq(mos_service_register_batch(k, 0, two, 2, NULL, &err),
			     MOS_ECYCLE);
		cr_expect_str_eq(err.message,
				 "service: circular dependency: a -> b -> a");
		cr_expect_str_eq(mos_service_error_text(k), "a -> b -> a");
	}
	mos_kernel_destroy(k);
}

/* ---- 3: restarts ------------------------------------------------------ */

static mos_service_descriptor_t crasher(const char *name,
					const char *const *cmd,
					mos_restart_policy_t policy)
{
	mos_service_descriptor_t d = t_desc(name, cmd);

	d.restart.policy = policy;
	d.restart.max_restarts = 3;
	return d;
}

Test(svc, on_failure_backs_off_100_200_400_then_fails_at_the_start_limit)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d =
		crasher("crasher", T_ARGV("crash", "1"), MOS_RESTART_ON_FAILURE);
	mos_service_id_t id = t_reg(k, &d);
	char buf[1024];

	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(50)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STARTING);
	cr_expect_eq(t_status(k, id).next_restart, MS(100), "restart pending");
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "crasher:Stop>Star@0 crasher:Star>Runn@0 "
			 "crasher:Runn>Star@0 crasher:Star>Runn@100 "
			 "crasher:Runn>Star@100 crasher:Star>Runn@300 "
			 "crasher:Runn>Star@300 crasher:Star>Runn@700 "
			 "crasher:Runn>Fail@700");
	cr_expect_eq(t_status(k, id).reason, MOS_SVC_R_START_LIMIT);
	cr_expect_eq(t_status(k, id).restarts, 3);
	cr_expect_eq(MOS_WEXITSTATUS(t_status(k, id).last_exit_status), 1);
	cr_expect_eq(t_status(k, id).next_restart, MOS_TIME_NEVER);
	mos_kernel_destroy(k);
}

Test(svc, a_clean_run_of_reset_after_resets_the_back_off)
{
	mos_kernel_t *k = svc_kernel();
	/* Runs 1 s, then fails: with reset_after 1 s every restart is the
	 * first again (100 ms); the window (2 s) keeps the limit away. */
	mos_service_descriptor_t d = crasher("slow", T_ARGV("crash", "1", "1s"),
					     MOS_RESTART_ON_FAILURE);
	mos_service_id_t id;
	char buf[1024];

	d.restart.reset_after = MOS_SEC;
	d.restart.window = 2 * MOS_SEC;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(3500)), 0);
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "slow:Stop>Star@0 slow:Star>Runn@0 slow:Runn>Star@1000 "
			 "slow:Star>Runn@1100 slow:Runn>Star@2100 "
			 "slow:Star>Runn@2200 slow:Runn>Star@3200 "
			 "slow:Star>Runn@3300");
	cr_expect_eq(t_status(k, id).backoff, MS(200), "the step after a reset");
	mos_kernel_destroy(k);
}

Test(svc, the_cooldown_tries_again_after_exactly_its_pause)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d =
		crasher("cool", T_ARGV("crash", "1"), MOS_RESTART_ON_FAILURE);
	mos_service_id_t id;
	char buf[1024];

	d.restart.max_restarts = 1;
	d.restart.cooldown = 5 * MOS_SEC;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(5200)), 0);
	/* 0 crash, 100 restart and crash: the limit (1); Failed at 100,
	 * started again at 5 100 (200 ms later it is failing again). */
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "cool:Stop>Star@0 cool:Star>Runn@0 cool:Runn>Star@0 "
			 "cool:Star>Runn@100 cool:Runn>Fail@100 "
			 "cool:Fail>Star@5100 cool:Star>Runn@5100 "
			 "cool:Runn>Star@5100");
	mos_kernel_destroy(k);
}

Test(svc, always_restarts_a_clean_exit_and_no_stays_failed)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t a =
		crasher("always", T_ARGV("cpu", "10ms"), MOS_RESTART_ALWAYS);
	mos_service_descriptor_t n =
		crasher("never", T_ARGV("crash", "3", "10ms"), MOS_RESTART_NO);
	mos_service_descriptor_t c =
		crasher("clean", T_ARGV("cpu", "10ms"), MOS_RESTART_ON_FAILURE);
	mos_service_id_t ia = t_reg(k, &a), in = t_reg(k, &n), ic = t_reg(k, &c);
	char buf[1024];

	cr_assert_eq(mos_service_start(k, 0, ia), 0);
	cr_assert_eq(mos_service_start(k, 0, in), 0);
	cr_assert_eq(mos_service_start(k, 0, ic), 0);
	cr_assert_eq(mos_kernel_run(k, MS(200)), 0);
	/* One after the other on the CPU: exits at 10, 20 and 30 ms. */
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "always:Stop>Star@0 always:Star>Runn@0 "
			 "never:Stop>Star@0 never:Star>Runn@0 "
			 "clean:Stop>Star@0 clean:Star>Runn@0 "
			 "always:Runn>Star@10 never:Runn>Fail@20 "
			 "clean:Runn>Stop@30 always:Star>Runn@110 "
			 "always:Runn>Star@120");
	cr_expect_eq(t_status(k, ia).restarts, 1);
	cr_expect_eq(t_status(k, ia).state, MOS_SVC_STARTING);
	cr_expect_eq(t_status(k, ia).next_restart, MS(320), "the second: 200 ms");
	cr_expect_eq(t_status(k, in).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, in).reason, MOS_SVC_R_EXIT);
	cr_expect_eq(MOS_WEXITSTATUS(t_status(k, in).last_exit_status), 3);
	cr_expect_eq(t_status(k, in).restarts, 0);
	cr_expect_eq(t_status(k, ic).state, MOS_SVC_STOPPED, "clean: no restart");
	cr_expect_eq(t_status(k, ic).reason, MOS_SVC_R_EXIT);
	mos_kernel_destroy(k);
}

/* ---- 4: supervisor groups -------------------------------------------- */

static void group3(mos_kernel_t *k, mos_sup_strategy_t strategy,
		   uint32_t intensity, mos_service_id_t id[4])
{
	mos_service_descriptor_t d[4];
	mos_error_t err;

	d[0] = t_desc("sup", NULL);
	d[0].type = MOS_SVC_GROUP;
	d[0].instances = 0;
	d[0].supervisor.strategy = strategy;
	d[0].supervisor.intensity = intensity;
	d[0].supervisor.period = 5 * MOS_SEC;
	d[1] = t_desc("m1", IDLE);
	d[2] = t_desc("m2", IDLE);
	d[3] = t_desc("m3", IDLE);
	for (int i = 1; i < 4; i++) {
		d[i].member_of = "sup";
		d[i].restart.policy = MOS_RESTART_ALWAYS;
	}
	cr_assert_eq(mos_service_register_batch(k, 0, d, 4, id, &err), 0, "%s",
		     err.message);
	cr_assert_eq(mos_service_start(k, 0, id[0]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_assert_eq(t_status(k, id[0]).state, MOS_SVC_RUNNING);
}

static void kill_member(mos_kernel_t *k, mos_service_id_t id)
{
	mos_service_status_t st = t_status(k, id);

	cr_assert_eq(st.ninstances, 1);
	cr_assert_eq(mos_process_terminate(k, st.pids[0], true), 0);
}

Test(svc, one_for_all_restarts_every_member)
{
	size_t mark;
	mos_kernel_t *k = svc_kernel();
	mos_service_id_t id[4];
	mos_pid_t before[4];
	char buf[2048];

	group3(k, MOS_SUP_ONE_FOR_ALL, 5, id);
	for (int i = 1; i < 4; i++)
		before[i] = t_status(k, id[i]).pids[0];
	mark = trace_n(k);
	kill_member(k, id[2]);
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_str_eq(transitions_from(k, mark, buf, sizeof(buf)),
			 "m3:Runn>Stop@10 m2:Runn>Stop@10 m2:Stop>Stop@10 "
			 "m1:Runn>Stop@10 m3:Stop>Stop@10 m1:Stop>Stop@10 "
			 "m1:Stop>Star@10 m1:Star>Runn@10 m2:Stop>Star@10 "
			 "m2:Star>Runn@10 m3:Stop>Star@10 m3:Star>Runn@10");
	for (int i = 1; i < 4; i++) {
		cr_expect_eq(t_status(k, id[i]).state, MOS_SVC_RUNNING);
		cr_expect_neq(t_status(k, id[i]).pids[0], before[i]);
	}
	cr_expect_eq(t_status(k, id[0]).state, MOS_SVC_RUNNING);
	mos_kernel_destroy(k);
}

Test(svc, rest_for_one_restarts_the_later_members_in_order)
{
	size_t mark;
	mos_kernel_t *k = svc_kernel();
	mos_service_id_t id[4];
	mos_pid_t m1;
	char buf[2048];

	group3(k, MOS_SUP_REST_FOR_ONE, 5, id);
	m1 = t_status(k, id[1]).pids[0];
	mark = trace_n(k);
	kill_member(k, id[2]);
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_str_eq(transitions_from(k, mark, buf, sizeof(buf)),
			 "m3:Runn>Stop@10 m2:Runn>Stop@10 m2:Stop>Stop@10 "
			 "m3:Stop>Stop@10 m2:Stop>Star@10 m2:Star>Runn@10 "
			 "m3:Stop>Star@10 m3:Star>Runn@10");
	cr_expect_eq(t_status(k, id[1]).pids[0], m1, "m1 untouched");
	mos_kernel_destroy(k);
}

Test(svc, exceeding_the_intensity_fails_the_group_and_escalates)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d[3];
	mos_service_id_t id[3];
	mos_error_t err;

	/* top (one_for_one, intensity 1) supervises inner (intensity 1),
	 * which supervises w. */
	d[0] = t_desc("top", NULL);
	d[0].type = MOS_SVC_GROUP;
	d[0].instances = 0;
	d[0].supervisor.intensity = 1;
	d[1] = t_desc("inner", NULL);
	d[1].type = MOS_SVC_GROUP;
	d[1].instances = 0;
	d[1].supervisor.intensity = 1;
	d[1].member_of = "top";
	d[2] = t_desc("w", IDLE);
	d[2].member_of = "inner";
	d[2].restart.policy = MOS_RESTART_ALWAYS;
	cr_assert_eq(mos_service_register_batch(k, 0, d, 3, id, &err), 0, "%s",
		     err.message);
	cr_assert_eq(mos_service_start(k, 0, id[0]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	kill_member(k, id[2]); /* the first restart: within intensity */
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_eq(t_status(k, id[2]).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, id[1]).state, MOS_SVC_RUNNING);
	kill_member(k, id[2]); /* the second within 5 s: inner gives up */
	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	/* ... and top restarts inner, which starts w again. */
	cr_expect_eq(t_status(k, id[1]).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, id[1]).restarts, 1);
	cr_expect_eq(t_status(k, id[2]).state, MOS_SVC_RUNNING);
	kill_member(k, id[2]); /* inner's restart: fine (its ring is new) */
	cr_assert_eq(mos_kernel_run(k, MS(40)), 0);
	kill_member(k, id[2]); /* inner gives up again: top's second */
	cr_assert_eq(mos_kernel_run(k, MS(50)), 0);
	cr_expect_eq(t_status(k, id[0]).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, id[0]).reason, MOS_SVC_R_SUPERVISOR);
	cr_expect_eq(t_status(k, id[1]).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, id[2]).state, MOS_SVC_STOPPED);
	mos_kernel_destroy(k);
}

/* ---- 5, 6: dependency failure and readiness --------------------------- */

Test(svc, a_killed_dependency_stops_its_dependents_and_brings_them_back)
{
	size_t mark;
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t db =
		crasher("db", IDLE, MOS_RESTART_ON_FAILURE);
	mos_service_dep_t dep = {"db", true, 0, NULL};
	mos_service_descriptor_t app = t_desc("app", IDLE);
	mos_service_id_t dbi, appi;
	char buf[1024];

	dbi = t_reg(k, &db);
	app.deps = &dep;
	app.ndeps = 1;
	appi = t_reg(k, &app);
	cr_assert_eq(mos_service_start(k, 0, appi), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	mark = trace_n(k);
	kill_member(k, dbi);
	cr_assert_eq(mos_kernel_run(k, MS(50)), 0);
	cr_expect_eq(t_status(k, appi).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, appi).reason, MOS_SVC_R_DEP_STOPPED);
	cr_expect_eq(t_status(k, appi).culprit, dbi);
	cr_assert_eq(mos_kernel_run(k, MS(200)), 0);
	cr_expect_str_eq(transitions_from(k, mark, buf, sizeof(buf)),
			 "app:Runn>Stop@10 db:Runn>Star@10 app:Stop>Stop@10 "
			 "db:Star>Runn@110 app:Stop>Star@110 app:Star>Runn@110");
	mos_kernel_destroy(k);
}

Test(svc, a_notify_dependency_never_ready_fails_its_dependent_at_the_timeout)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t slow = t_desc("slow", IDLE);
	mos_service_dep_t dep = {"slow", true, 500, NULL};
	mos_service_descriptor_t app = t_desc("app", IDLE);
	mos_service_id_t si, ai;

	slow.readiness = MOS_READY_NOTIFY;
	slow.start_timeout_ms = 2000;
	si = t_reg(k, &slow);
	app.deps = &dep;
	app.ndeps = 1;
	ai = t_reg(k, &app);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(mos_service_start(k, 0, ai), 0);
	cr_assert_eq(mos_kernel_run(k, MS(599)), 0);
	cr_expect_eq(t_status(k, ai).state, MOS_SVC_STARTING);
	cr_assert_eq(mos_kernel_run(k, MS(601)), 0);
	cr_expect_eq(t_status(k, ai).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, ai).since, MS(600));
	cr_expect_eq(t_status(k, ai).reason, MOS_SVC_R_TIMEOUT);
	cr_expect_eq(t_status(k, ai).error, MOS_ETIMEDOUT);
	cr_expect_eq(t_status(k, ai).culprit, si);
	cr_expect_eq(t_status(k, ai).ninstances, 0, "never made");
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(t_status(k, si).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, si).since, MS(2100), "its own start timeout");
	cr_expect_eq(t_status(k, si).reason, MOS_SVC_R_TIMEOUT);
	cr_expect_eq(t_status(k, si).error, MOS_ETIMEDOUT);
	cr_expect_eq(MOS_WTERMSIG(t_status(k, si).last_exit_status), MOS_SIGKILL);
	mos_kernel_destroy(k);
}

static int notifier_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sleep(self, MS(30));
	cr_assert_eq(mos_sys_notify_ready(self), 0);
	mos_sys_sleep(self, MOS_SEC);
	return 0;
}

Test(svc, notify_is_running_once_every_instance_says_so)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d = t_desc("n", T_ARGV("notifier"));
	mos_service_id_t id;

	cr_assert_eq(mos_program_register(k, "notifier", notifier_main), 0);
	d.readiness = MOS_READY_NOTIFY;
	d.instances = 3;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(29)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STARTING);
	cr_expect_eq(t_status(k, id).ninstances, 3);
	cr_expect_eq(t_status(k, id).ready, 0);
	cr_assert_eq(mos_kernel_run(k, MS(31)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, id).since, MS(30));
	cr_expect_eq(t_status(k, id).ready, 3);
	mos_kernel_destroy(k);
}

/* ---- requests, permissions, audit ----------------------------------- */

Test(svc, requests_from_the_wrong_state_are_refused)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d = t_desc("s", IDLE);
	mos_service_id_t id = t_reg(k, &d);

	cr_expect_eq(mos_service_stop(k, 0, id), MOS_ESVCNOTRUNNING);
	cr_expect_eq(mos_service_pause(k, 0, id), MOS_ESVCNOTRUNNING);
	cr_expect_eq(mos_service_resume(k, 0, id), MOS_ESVCNOTRUNNING);
	cr_expect_eq(mos_service_start(k, 0, 99), MOS_ESVCNOTFOUND);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_expect_eq(mos_service_start(k, 0, id), MOS_ESVCNOTSTOPPED);
	cr_expect_eq(mos_service_unregister(k, 0, id), MOS_ESVCNOTSTOPPED);
	cr_assert_eq(mos_service_pause(k, 0, id), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_PAUSED);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t_info(k, t_status(k, id).pids[0]).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_service_resume(k, 0, id), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_RUNNING);
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(2)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_assert_eq(mos_service_disable(k, 0, id), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_DISABLED);
	cr_expect_eq(mos_service_start(k, 0, id), MOS_EINVALSTATE);
	cr_expect_str_eq(mos_strerror(MOS_EINVALSTATE), "invalid state");
	cr_assert_eq(mos_service_enable(k, 0, id), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_assert_eq(mos_service_unregister(k, 0, id), 0);
	cr_expect_eq(mos_service_status(k, id, &(mos_service_status_t){0}),
		     MOS_ESVCNOTFOUND);
	mos_kernel_destroy(k);
}

Test(svc, only_the_owner_or_an_admin_may_operate_and_all_is_audited)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d = t_desc("rootsvc", IDLE);
	mos_service_id_t id = t_reg(k, &d);
	mos_process_spec_t spec = t_spec(0, MOS_PRIO_NORMAL, IDLE, NULL);
	mos_pid_t user, admin;
	mos_audit_entry_t a[16];
	size_t n = 0;

	spec.uid = 1000;
	spec.gid = 1000;
	spec.caps = 0;
	user = t_make(k, &spec);
	spec.uid = 1001;
	spec.caps = MOS_CAP_ADMIN;
	admin = t_make(k, &spec);
	cr_expect_eq(mos_service_start(k, user, id), MOS_EPERM);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_kstats(k).permission_denials, 1);
	cr_assert_eq(mos_service_start(k, admin, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_service_stop(k, admin, id), 0);
	cr_assert_eq(mos_service_audit(k, a, 16, &n), 0);
	cr_assert_eq(n, 7);
	cr_expect_eq(a[0].op, MOS_AUDIT_REGISTER);
	cr_expect_eq(a[1].op, MOS_AUDIT_START);
	cr_expect_eq(a[1].uid, 1000);
	cr_expect_eq(a[1].result, MOS_EPERM);
	cr_expect_eq(a[2].op, MOS_AUDIT_STATE);
	cr_expect_eq(a[2].result, MOS_SVC_STARTING);
	cr_expect_eq(a[3].result, MOS_SVC_RUNNING);
	cr_expect_eq(a[4].op, MOS_AUDIT_START);
	cr_expect_eq(a[4].uid, 1001);
	cr_expect_eq(a[4].result, 0);
	cr_expect_eq(a[5].op, MOS_AUDIT_STATE);
	cr_expect_eq(a[5].time, MS(3));
	cr_expect_eq(a[5].result, MOS_SVC_STOPPING);
	cr_expect_eq(a[6].op, MOS_AUDIT_STOP);
	cr_expect_str_eq(a[6].name, "rootsvc");
	/* A user's own service is the user's to run. */
	d = t_desc("mine", IDLE);
	cr_assert_eq(mos_service_register(k, user, &d, &id, NULL), 0);
	cr_expect_eq(mos_service_start(k, user, id), 0);
	mos_kernel_destroy(k);
}

Test(svc, the_process_level_calls_of_the_documentation)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_id_t id = 0;

	cr_assert_eq(mos_create_service_process(k, 1, "web-server",
						T_ARGV("crash", "1", "10ms"),
						true, 3, &id),
		     0);
	cr_expect_eq(id, 1);
	cr_expect_eq(mos_create_service_process(k, 1, "other", IDLE, false, 0,
						&id),
		     MOS_ESVCEXISTS);
	cr_assert_eq(mos_start_service_process(k, 1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* Crashes at 10, 120, 330, 740 ms: three restarts, then Failed. */
	cr_expect_eq(t_status(k, 1).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, 1).restarts, 3);
	cr_expect_eq(t_status(k, 1).since, MS(740));
	mos_kernel_destroy(k);
}

Test(svc, stopping_a_group_stops_its_members_latest_first)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_id_t id[4];
	size_t mark;
	char buf[1024];

	group3(k, MOS_SUP_ONE_FOR_ONE, 5, id);
	mark = trace_n(k);
	cr_assert_eq(mos_service_stop(k, 0, id[0]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_str_eq(transitions_from(k, mark, buf, sizeof(buf)),
			 "sup:Runn>Stop@10 m3:Runn>Stop@10 m2:Runn>Stop@10 "
			 "m1:Runn>Stop@10 m3:Stop>Stop@10 m2:Stop>Stop@10 "
			 "m1:Stop>Stop@10 sup:Stop>Stop@10");
	for (int i = 1; i < 4; i++)
		cr_expect_eq(t_status(k, id[i]).ninstances, 0);
	/* And it starts again, members in order. */
	cr_assert_eq(mos_service_start(k, 0, id[0]), 0);
	cr_expect_eq(t_status(k, id[0]).state, MOS_SVC_RUNNING);
	cr_assert_eq(mos_service_unregister(k, 0, id[1]), MOS_ESVCNOTSTOPPED);
	mos_kernel_destroy(k);
}

Test(svc, a_start_timeout_kills_and_the_policy_restarts)
{
	mos_kernel_t *k = svc_kernel();
	mos_service_descriptor_t d = t_desc("never-ready", IDLE);
	mos_service_id_t id;
	char buf[1024];

	d.readiness = MOS_READY_NOTIFY;
	d.start_timeout_ms = 300;
	d.restart.policy = MOS_RESTART_ON_FAILURE;
	d.restart.max_restarts = 1;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	/* Killed at 300 ms, restarted 100 ms later, killed at 700 ms:
	 * the start limit (1). */
	cr_expect_str_eq(transitions(k, buf, sizeof(buf)),
			 "never-ready:Stop>Star@0 never-ready:Star>Fail@700");
	cr_expect_eq(t_status(k, id).restarts, 1);
	cr_expect_eq(t_status(k, id).reason, MOS_SVC_R_START_LIMIT);
	mos_kernel_destroy(k);
}
