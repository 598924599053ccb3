/*
 * tests/test_svc_more.c - the service manager's edges: the stop
 * timeout's SIGKILL, limits and resource groups handed to the resources
 * subsystem, max_service_processes, hostile descriptors (nothing
 * registered, nothing changed), the audit as JSON lines, kernel events.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/service.h"
#include "timeout.h"

TestSuite(svc_more, .timeout = T_TIMEOUT);

Test(svc_more, a_stop_sends_sigterm_then_sigkill_at_the_stop_timeout)
{
	mos_kernel_t *k = t_kernel(NULL);
	/* Ignores SIGTERM, then sleeps for an hour. */
	mos_service_descriptor_t d = t_desc(
		"stubborn",
		T_ARGV("script", "[{\"signal\":\"TERM\",\"action\":\"ignore\"},"
				 "{\"sleep\":\"3600s\"}]"));
	mos_service_id_t id;
	mos_pid_t pid;

	d.stop_timeout_ms = 250;
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	pid = t_status(k, id).pids[0];
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(349)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPING);
	cr_expect_eq(t_info(k, pid).state, MOS_STATE_BLOCKED, "SIGTERM ignored");
	cr_assert_eq(mos_kernel_run(k, MS(351)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id).since, MS(350));
	cr_expect_eq(MOS_WTERMSIG(t_status(k, id).last_exit_status), MOS_SIGKILL);
	cr_expect_eq(t_info(k, pid).times.finished, MS(350));
	mos_kernel_destroy(k);
}

Test(svc_more, the_default_stop_timeout_is_the_grace_period)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_descriptor_t d = t_desc(
		"stubborn",
		T_ARGV("script", "[{\"signal\":\"TERM\",\"action\":\"ignore\"},"
				 "{\"sleep\":\"3600s\"}]"));
	mos_service_id_t id;

	mos_config_default(&c);
	c.grace_period_ms = 700;
	k = t_kernel(&c);
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0); /* the script has begun */
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id).since, MS(701));
	mos_kernel_destroy(k);
}

Test(svc_more, limits_and_group_limits_go_to_the_resources_subsystem)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("capped", T_ARGV("cpu", "3600s"));
	mos_service_id_t id;
	mos_group_id_t g;
	mos_group_info_t gi;
	mos_rlimits_t s, h;
	mos_pid_t pid;

	d.has_limits = true;
	d.limits.max_file_descriptors = 7;
	d.has_group_limits = true;
	d.group_limits.cpu_quota = MS(20);
	d.instances = 2;
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	pid = t_status(k, id).pids[1];
	cr_assert_eq(mos_process_get_limits(k, pid, &s, &h), 0);
	cr_expect_eq(s.max_file_descriptors, 7);
	cr_expect_eq(h.max_file_descriptors, 7);
	cr_assert_eq(mos_group_find(k, "services/capped", &g), 0);
	cr_assert_eq(mos_group_get(k, g, &gi), 0);
	cr_expect_eq(gi.pids_current, 2);
	/* 20 ms of each 100 ms for the two together: 200 ms in 1 s. */
	cr_expect_eq(gi.cpu_usage, MS(200));
	mos_kernel_destroy(k);
}

Test(svc_more, max_service_processes_caps_every_instance_together)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_descriptor_t a = t_desc("a", t_idle_cmd), b = t_desc("b", t_idle_cmd);
	mos_service_id_t ia, ib;

	mos_config_default(&c);
	c.max_service_processes = 5;
	k = t_kernel(&c);
	a.instances = 3;
	b.instances = 3;
	cr_assert_eq(mos_service_register(k, 0, &a, &ia, NULL), 0);
	cr_assert_eq(mos_service_register(k, 0, &b, &ib, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, ia), 0);
	cr_expect_eq(mos_service_start(k, 0, ib), MOS_EEXHAUSTED);
	cr_expect_eq(t_status(k, ib).state, MOS_SVC_STOPPED, "nothing changed");
	cr_expect_eq(t_status(k, ia).ninstances, 3);
	mos_kernel_destroy(k);
}

Test(svc_more, bad_descriptors_are_refused_and_register_nothing)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d;
	mos_service_dep_t dep = {"nobody", true, 0, NULL};
	mos_service_id_t id = 77;
	mos_error_t err;
	char longname[80];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	d = t_desc(NULL, t_idle_cmd);
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].name");
	d = t_desc(longname, t_idle_cmd);
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	d = t_desc("a b", t_idle_cmd);
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	d = t_desc("nocmd", T_ARGV("no-such-program"));
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_ENOPROG);
	cr_expect_str_eq(err.path, "services[0].command[0]");
	d = t_desc("zero", t_idle_cmd);
	d.instances = 0;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	d.instances = MOS_SVC_MAX_INSTANCES + 1;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	d = t_desc("dep", t_idle_cmd);
	d.deps = &dep;
	d.ndeps = 1;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EDEPEND);
	cr_expect_str_eq(err.path, "services[0].dependencies[0]");
	d = t_desc("selfdep", t_idle_cmd);
	dep.name = "selfdep";
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), 0);
	d = t_desc("loop", t_idle_cmd);
	dep.name = "loop";
	d.deps = &dep;
	d.ndeps = 1;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_ECYCLE);
	d = t_desc("badver", t_idle_cmd);
	d.version = "1.02";
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_ECONFIG);
	cr_expect_str_eq(err.path, "services[0].version");
	d = t_desc("group", t_idle_cmd);
	d.type = MOS_SVC_GROUP;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	d = t_desc("restart", t_idle_cmd);
	d.restart.multiplier = 0;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].restart.multiplier");
	d = t_desc("forever", t_idle_cmd); /* would restart forever at one instant */
	d.restart.delay = 0;
	d.restart.window = 0;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].restart.delay");
	d.restart.max_restarts = MOS_SVC_MAX_RESTARTS + 1;
	d.restart.window = MOS_SEC;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].restart.max_restarts");
	d = t_desc("group2", NULL);
	d.type = MOS_SVC_GROUP;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].instances", "a group's instances");
	d = t_desc("bigsup", NULL);
	d.type = MOS_SVC_GROUP;
	d.instances = 0;
	d.supervisor.intensity = UINT32_MAX;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].supervisor.intensity");
	d = t_desc("selfdep", t_idle_cmd);
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_ESVCEXISTS);
	cr_expect_eq(t_nservices(k), 1, "only selfdep (which depends on none)");
	cr_expect_eq(mos_service_register(k, 0, NULL, &id, &err), MOS_EINVAL);
	cr_expect_eq(mos_service_register(k, -3, &d, &id, &err), MOS_EINVALPID);
	cr_expect_eq(mos_service_start(NULL, 0, 1), MOS_EINVAL);
	cr_expect_eq(mos_service_status(k, 0, &(mos_service_status_t){0}),
		     MOS_ESVCNOTFOUND);
	cr_expect_eq(mos_service_find(k, "selfdep", &id), 0);
	cr_expect_eq(mos_service_find(k, "none", &id), MOS_ESVCNOTFOUND);
	mos_kernel_destroy(k);
}

Test(svc_more, a_batch_with_one_bad_descriptor_registers_nothing)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d[20];
	mos_service_dep_t deps[20];
	char names[20][16];
	mos_error_t err;

	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "n%02d", i);
		d[i] = t_desc(names[i], t_idle_cmd);
		if (i > 0) { /* each needs the one after: forward references */
			deps[i] = (mos_service_dep_t){names[(i + 1) % 20], true, 0,
						      NULL};
			d[i].deps = &deps[i];
			d[i].ndeps = i < 19;
		}
	}
	d[13].instances = 0;
	cr_expect_eq(mos_service_register_batch(k, 0, d, 20, NULL, &err),
		     MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[13].instances");
	cr_expect_eq(t_nservices(k), 0);
	d[13].instances = 1;
	cr_expect_eq(mos_service_register_batch(k, 0, d, 20, NULL, &err), 0,
		     "%s", err.message);
	cr_expect_eq(t_nservices(k), 20);
	mos_kernel_destroy(k);
}

Test(svc_more, the_audit_log_as_json_lines)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("j", t_idle_cmd);
	mos_service_id_t id;
	char path[] = "/tmp/mos-audit-XXXXXX", line[512];
	FILE *f;
	int fd = mkstemp(path), n = 0;

	cr_assert_geq(fd, 0);
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_service_audit_json(k, path), 0);
	cr_assert_not_null(f = fdopen(fd, "r"));
	while (fgets(line, sizeof(line), f)) {
		static const char *const want[] = {
			"{\"seq\":1,\"time\":0,\"uid\":0,\"op\":\"register\","
			"\"service\":1,\"name\":\"j\",\"result\":\"MOS_OK\","
			"\"reason\":\"request\",\"culprit\":0}\n",
			"{\"seq\":2,\"time\":0,\"uid\":0,\"op\":\"state\","
			"\"service\":1,\"name\":\"j\",\"result\":\"Starting\","
			"\"reason\":\"request\",\"culprit\":0}\n",
			"{\"seq\":3,\"time\":0,\"uid\":0,\"op\":\"state\","
			"\"service\":1,\"name\":\"j\",\"result\":\"Running\","
			"\"reason\":\"ready\",\"culprit\":0}\n",
			"{\"seq\":4,\"time\":0,\"uid\":0,\"op\":\"start\","
			"\"service\":1,\"name\":\"j\",\"result\":\"MOS_OK\","
			"\"reason\":\"request\",\"culprit\":0}\n",
		};

		cr_assert_lt(n, 4);
		cr_expect_str_eq(line, want[n]);
		n++;
	}
	cr_expect_eq(n, 4);
	fclose(f);
	unlink(path);
	cr_expect_eq(mos_service_audit_json(k, "/nonexistent/dir/x"), MOS_EIO);
	mos_kernel_destroy(k);
}

typedef struct seen {
	int n;
	char log[256];
} seen_t;

static void on_service(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	seen_t *s = ud;
	size_t len = strlen(s->log);

	(void)k;
	snprintf(s->log + len, sizeof(s->log) - len, "%s%llu:%s:%s@%llu",
		 len ? " " : "", (unsigned long long)ev->a,
		 mos_service_state_name((mos_service_state_t)ev->status),
		 mos_svc_reason_name((mos_svc_reason_t)ev->b),
		 (unsigned long long)(ev->time / MOS_MSEC));
	s->n++;
}

Test(svc_more, every_state_change_is_a_kernel_event)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("ev", T_ARGV("crash", "2", "5ms"));
	mos_kev_filter_t f = {.types = MOS_KEV_BIT(MOS_KEV_SERVICE)};
	mos_service_id_t id;
	seen_t s = {0};

	cr_assert_eq(mos_kernel_subscribe(k, &f, 0, on_service, &s, NULL), 0);
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_str_eq(s.log, "1:Starting:request@0 1:Running:ready@0 "
				"1:Failed:exit@5");
	cr_expect_str_eq(mos_kev_type_name(MOS_KEV_SERVICE), "service");
	mos_kernel_destroy(k);
}

Test(svc_more, an_unsatisfied_version_is_a_dependency_error_at_start)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t db = t_desc("db", t_idle_cmd);
	mos_service_dep_t dep = {"db", true, 0, "^2.1"};
	mos_service_descriptor_t app = t_desc("app", t_idle_cmd);
	mos_service_id_t dbi, appi;

	db.version = "2.0.9";
	cr_assert_eq(mos_service_register(k, 0, &db, &dbi, NULL), 0);
	app.deps = &dep;
	app.ndeps = 1;
	cr_assert_eq(mos_service_register(k, 0, &app, &appi, NULL), 0);
	cr_expect_eq(mos_service_start(k, 0, appi), MOS_EDEPEND);
	cr_expect_str_eq(mos_service_error_text(k),
			 "app needs db ^2.1, which is 2.0.9");
	cr_expect_eq(t_status(k, dbi).state, MOS_SVC_STOPPED, "nothing started");
	cr_expect_eq(t_status(k, appi).state, MOS_SVC_STOPPED);
	/* A pre-release does not satisfy a plain requirement either. */
	mos_kernel_destroy(k);
	k = t_kernel(NULL);
	db.version = "2.2.0-rc.1";
	cr_assert_eq(mos_service_register(k, 0, &db, &dbi, NULL), 0);
	cr_assert_eq(mos_service_register(k, 0, &app, &appi, NULL), 0);
	cr_expect_eq(mos_service_start(k, 0, appi), MOS_EDEPEND);
	cr_expect_str_eq(mos_service_error_text(k),
			 "app needs db ^2.1, which is 2.2.0-rc.1");
	mos_kernel_destroy(k);
	k = t_kernel(NULL);
	db.version = "2.4.0";
	cr_assert_eq(mos_service_register(k, 0, &db, &dbi, NULL), 0);
	cr_assert_eq(mos_service_register(k, 0, &app, &appi, NULL), 0);
	cr_expect_eq(mos_service_start(k, 0, appi), 0);
	cr_expect_eq(t_status(k, appi).state, MOS_SVC_RUNNING);
	mos_kernel_destroy(k);
}

Test(svc_more, a_bad_constraint_reports_its_position)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t db = t_desc("db", t_idle_cmd);
	mos_service_dep_t dep = {"db", true, 0, ">=1.2,, <2"};
	mos_service_descriptor_t app = t_desc("app", t_idle_cmd);
	mos_service_id_t id;
	mos_error_t err;

	cr_assert_eq(mos_service_register(k, 0, &db, &id, NULL), 0);
	app.deps = &dep;
	app.ndeps = 1;
	cr_expect_eq(mos_service_register(k, 0, &app, &id, &err), MOS_ECONFIG);
	cr_expect_str_eq(err.path, "services[0].dependencies[0].version");
	cr_expect_str_eq(err.text,
			 "bad version requirement \">=1.2,, <2\" at character 6");
	cr_expect_eq(mos_service_find(k, "app", &id), MOS_ESVCNOTFOUND);
	mos_kernel_destroy(k);
}

Test(svc_more, batches_that_grow_the_name_table_many_times_over)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t one = t_desc("first", t_idle_cmd), d[199];
	mos_service_dep_t dep[199];
	char names[199][16];
	mos_service_id_t id, ids[199];

	cr_assert_eq(mos_service_register(k, 0, &one, &id, NULL), 0);
	for (int i = 0; i < 199; i++) {
		snprintf(names[i], sizeof(names[i]), "b%03d", i);
		d[i] = t_desc(names[i], t_idle_cmd);
		/* each on the next one: forward references all along */
		dep[i] = (mos_service_dep_t){i < 198 ? names[i + 1] : "first",
					     true, 0, NULL};
		d[i].deps = &dep[i];
		d[i].ndeps = 1;
	}
	cr_assert_eq(mos_service_register_batch(k, 0, d, 199, ids, NULL), 0);
	cr_expect_eq(ids[198], 200);
	for (int i = 0; i < 199; i++) {
		cr_assert_eq(mos_service_find(k, names[i], &id), 0);
		cr_expect_eq(id, ids[i]);
	}
	cr_assert_eq(mos_service_find(k, "first", &id), 0);
	cr_expect_eq(id, 1);
	/* Starting the bottom of the chain brings up all 200. */
	cr_assert_eq(mos_service_start(k, 0, ids[0]), 0);
	cr_expect_eq(t_status(k, 1).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, ids[198]).state, MOS_SVC_RUNNING);
	mos_kernel_destroy(k);
}

Test(svc_more, a_stop_signals_the_instances_process_groups)
{
	mos_kernel_t *k = t_kernel(NULL);
	/* The instance spawns a sleeper (same group) and waits for it. */
	mos_service_descriptor_t d = t_desc(
		"forker", T_ARGV("script", "[{\"spawn\":[\"sleep\",\"3600s\"]},"
					   "{\"wait\":\"all\"}]"));
	mos_service_id_t id;
	mos_pid_t inst, child;

	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	inst = t_status(k, id).pids[0];
	child = inst + 1;
	cr_assert_eq(t_info(k, child).parent, inst);
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id).since, MS(10));
	cr_expect_eq(MOS_WTERMSIG(t_info(k, child).exit_status), MOS_SIGTERM);
	cr_expect_eq(t_info(k, child).times.finished, MS(10));
	mos_kernel_destroy(k);
}

Test(svc_more, stop_all_stops_system_services_last)
{
	mos_kernel_t *k = t_kernel(NULL);
	static const char *const stubborn[] = {
		"script", "[{\"signal\":\"TERM\",\"action\":\"ignore\"},"
			  "{\"sleep\":\"3600s\"}]", NULL};
	mos_service_descriptor_t d[4];
	mos_service_id_t id[4];
	size_t n = 0;

	d[0] = t_desc("sys", t_idle_cmd);
	d[0].type = MOS_SVC_SYSTEM;
	d[1] = t_desc("mon", t_idle_cmd);
	d[1].type = MOS_SVC_MONITORING;
	d[2] = t_desc("user", stubborn); /* takes its stop timeout: 500 ms */
	d[2].stop_timeout_ms = 500;
	d[3] = t_desc("user2", t_idle_cmd);
	cr_assert_eq(mos_service_register_batch(k, 0, d, 4, id, NULL), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(mos_service_start(k, 0, id[i]), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_assert_eq(mos_service_stop_all(k, 0, &n), 0);
	cr_expect_eq(n, 4);
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_expect_eq(t_status(k, id[3]).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id[2]).state, MOS_SVC_STOPPING);
	cr_expect_eq(t_status(k, id[1]).state, MOS_SVC_RUNNING, "waits for wave 1");
	cr_expect_eq(t_status(k, id[0]).state, MOS_SVC_RUNNING);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	cr_expect_eq(t_status(k, id[2]).since, MS(510));
	cr_expect_eq(t_status(k, id[1]).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id[1]).since, MS(510));
	cr_expect_eq(t_status(k, id[0]).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, id[0]).since, MS(510), "last, the same instant");
	cr_assert_eq(mos_service_stop_all(k, 0, &n), 0);
	cr_expect_eq(n, 0);
	mos_kernel_destroy(k);
}

Test(svc_more, an_instance_that_cannot_be_made_fails_the_start_with_its_cause)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_descriptor_t d = t_desc("many", t_idle_cmd);
	mos_service_id_t id;
	mos_error_t err;

	mos_config_default(&c);
	c.max_processes = 3; /* init and two */
	c.max_service_processes = 3;
	k = t_kernel(&c);
	d.instances = 3;
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0, "accepted");
	cr_expect_eq(t_status(k, id).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, id).reason, MOS_SVC_R_SPAWN);
	cr_expect_eq(t_status(k, id).error, MOS_EEXHAUSTED);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t_status(k, id).ninstances, 0, "the two made are killed");
	d = t_desc("env", t_idle_cmd);
	d.environment = T_ARGV("GOOD=1", "BAD");
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[0].environment");
	mos_kernel_destroy(k);
}
