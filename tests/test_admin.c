/*
 * tests/test_admin.c - the admin module (multios/admin.h) on small
 * scripted kernels: every snapshot's exact contents and its JSON form,
 * the emergency stop's order and exact times, the OOM response's victim
 * and oom_score_adj, permissions, bad arguments, and that a failed call
 * changes nothing.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/admin.h"
#include "timeout.h"

TestSuite(admin, .timeout = T_TIMEOUT);

#define KIB 1024u

/* work COMPUTE_MS ALLOC_BYTES [DELAY_MS [IGNORE_TERM]]: sleeps DELAY_MS,
 * allocates, computes, then sleeps for an hour. */
static int work_main(mos_proc_t *self, int argc, char **argv)
{
	uint64_t compute = strtoull(argv[1], NULL, 10);
	uint64_t bytes = strtoull(argv[2], NULL, 10);
	mos_mem_handle_t h;

	if (argc > 4 && argv[4][0] == '1')
		mos_sys_sigaction(self, MOS_SIGTERM, MOS_SIG_IGNORE, NULL, 0, 0,
				  NULL);
	if (argc > 3 && strtoull(argv[3], NULL, 10))
		mos_sys_sleep(self, MS(strtoull(argv[3], NULL, 10)));
	if (bytes)
		mos_sys_alloc(self, bytes, &h);
	if (compute)
		mos_sys_compute(self, MS(compute));
	mos_sys_sleep(self, MS(3600 * 1000));
	return 0;
}

static mos_kernel_t *kernel_with(uint32_t timeout_ms, uint64_t memory)
{
	mos_config_t c;
	mos_kernel_t *k;

	mos_config_default(&c);
	c.trace_capacity = 65536;
	c.emergency_termination_timeout_ms = timeout_ms;
	if (memory)
		c.res.memory_size = memory;
	k = t_kernel(&c);
	cr_assert_eq(mos_program_register(k, "work", work_main), 0);
	cr_assert_eq(mos_admin_attach(k), 0);
	return k;
}

static mos_pid_t spawn(mos_kernel_t *k, mos_priority_t prio,
		       mos_prio_class_t cls, const char *const *argv)
{
	mos_pid_t pid = 0;

	cr_assert_eq(t_spawn_ex(k, 0, prio, cls, argv, NULL, &pid), 0);
	return pid;
}

static size_t audit(mos_kernel_t *k, mos_admin_audit_entry_t *e, size_t cap)
{
	size_t n = 0;

	cr_assert_eq(mos_admin_audit(k, e, cap, &n), 0);
	return n;
}

/* Write with fn into a temporary file and parse it back. */
static json_t *parse_out(mos_kernel_t *k, int (*fn)(mos_kernel_t *, FILE *))
{
	FILE *f = tmpfile();
	json_error_t je;
	json_t *j;

	cr_assert_not_null(f);
	int rc_ = fn(k, f);
	cr_assert_eq(rc_, 0, "rc %d", rc_);
	rewind(f);
	j = json_loadf(f, JSON_DISABLE_EOF_CHECK, &je);
	cr_assert_not_null(j, "json: %s", je.text);
	fclose(f);
	return j;
}

/* ---- snapshots --------------------------------------------------------- */

Test(admin, ps_rows_exact)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const a[] = {"work", "30", "4096", NULL};
	const char *const b[] = {"work", "0", "0", "5", NULL};
	mos_pid_t pa = spawn(k, MOS_PRIO_HIGH, MOS_CLASS_USER, a);
	mos_pid_t pb = spawn(k, MOS_PRIO_LOW, MOS_CLASS_BACKGROUND, b);
	mos_admin_ps_row_t r[8];
	size_t n = 0;

	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, pb, -500), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(mos_admin_ps(k, NULL, 0, &n), 0);
	cr_assert_eq(n, 3); /* init, a, b */
	cr_assert_eq(mos_admin_ps(k, r, 8, &n), 0);
	cr_assert_eq(r[0].pid, 1);
	cr_assert_eq(r[1].pid, pa);
	cr_assert_eq(r[2].pid, pb);
	cr_assert_eq(r[1].ppid, 1);
	cr_assert_eq(r[1].uid, 0);
	cr_assert_eq(r[1].state, MOS_STATE_BLOCKED);
	cr_assert_eq(r[1].priority, MOS_PRIO_HIGH);
	cr_assert_eq(r[1].prio_class, MOS_CLASS_USER);
	cr_assert_eq(r[1].cpu, t_usage(k, pa).cpu_total);
	cr_assert_geq(r[1].cpu, MS(30));
	cr_assert_eq(r[1].memory, 4096);
	cr_assert_eq(r[1].fds, t_usage(k, pa).fds_open);
	cr_assert_eq(r[1].oom_score_adj, 0);
	cr_assert_str_eq(r[1].command, "work 30 4096");
	cr_assert_eq(r[2].priority, MOS_PRIO_LOW);
	cr_assert_eq(r[2].prio_class, MOS_CLASS_BACKGROUND);
	cr_assert_eq(r[2].memory, 0);
	cr_assert_eq(r[2].oom_score_adj, -500);
	cr_assert_str_eq(r[2].command, "work 0 0 5");
	/* A short buffer: the first rows, the whole count. */
	cr_assert_eq(mos_admin_ps(k, r, 1, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(r[0].pid, 1);
	mos_kernel_destroy(k);
}

Test(admin, overview_exact)
{
	mos_kernel_t *k = kernel_with(100, 1024 * KIB);
	const char *const a[] = {"work", "0", "8192", NULL};
	const char *const b[] = {"work", "0", "100000", "10", NULL};
	mos_service_descriptor_t d = t_desc("db", t_idle_cmd);
	mos_admin_overview_t o;
	mos_rlimits_t lim;
	mos_pid_t pa, pb;

	pa = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, a);
	pb = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, b);
	cr_assert_eq(mos_process_get_limits(k, pb, &lim, NULL), 0);
	lim.max_memory = 50000; /* b's allocation at 10 ms is a violation */
	cr_assert_eq(mos_process_set_limits(k, pb, &lim, NULL), 0);
	t_reg(k, &d);
	cr_assert_eq(mos_kernel_run(k, MS(50)), 0);
	cr_assert_eq(mos_admin_overview(k, &o), 0);
	cr_assert_eq(o.uptime, MS(50));
	cr_assert_eq(o.processes, 3);
	cr_assert_eq(o.by_state[MOS_STATE_BLOCKED], 3); /* init waits too */
	cr_assert_eq(o.services, 1);
	cr_assert_eq(o.by_svc_state[MOS_SVC_STOPPED], 1);
	cr_assert_eq(o.memory_used, 8192);
	cr_assert_eq(o.memory_peak, 8192);
	cr_assert_eq(o.memory_total, 1024 * KIB);
	cr_assert_eq(o.cpu_busy, t_kstats(k).busy);
	cr_assert_eq(o.cpu_permille, (uint32_t)(t_kstats(k).busy / (MS(50) / 1000)));
	cr_assert_eq(o.limit_violations, 1);
	cr_assert_eq(o.oom_kills, 0);
	cr_assert_eq(o.nviolations, 1);
	cr_assert_eq(o.violations[0].time, MS(10), "%llu", (unsigned long long)o.violations[0].time);
	cr_assert_eq(o.violations[0].pid, pb);
	cr_assert_eq(o.violations[0].resource, MOS_RLIMIT_MEMORY);
	cr_assert_eq(o.violations[0].value, 100000);
	cr_assert_eq(o.violations[0].limit, 50000);
	(void)pa;
	mos_kernel_destroy(k);
}

Test(admin, top_window_by_cpu_and_memory)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const a[] = {"work", "10", "100", NULL};
	const char *const b[] = {"work", "30", "50", "20", NULL};
	mos_pid_t pa = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, a);
	mos_pid_t pb = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, b);
	mos_admin_top_row_t r[8];
	mos_time_t since = 1, ca, cb;
	size_t n = 0;

	cr_assert_eq(mos_kernel_run(k, MS(15)), 0);
	cr_assert_eq(mos_admin_top(k, MOS_ADMIN_BY_CPU, r, 8, &n, &since), 0);
	cr_assert_eq(since, 0);
	cr_assert_eq(n, 3);
	ca = t_usage(k, pa).cpu_total;
	cr_assert_eq(r[0].pid, pa);
	cr_assert_eq(r[0].cpu_window, ca);
	cr_assert_eq(r[0].cpu_permille, (uint32_t)((double)ca * 1000 / MS(15)));
	cr_assert_eq(r[0].memory, 100);
	/* b sleeps until 20 ms: nothing yet; init below it by pid. */
	cr_assert_eq(r[1].pid, 1);
	cr_assert_eq(r[2].pid, pb);
	cr_assert_eq(r[2].cpu_window, t_usage(k, pb).cpu_total);

	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(mos_admin_top(k, MOS_ADMIN_BY_CPU, r, 8, &n, &since), 0);
	cr_assert_eq(since, MS(15));
	cb = t_usage(k, pb).cpu_total;
	cr_assert_eq(r[0].pid, pb);
	cr_assert_geq(r[0].cpu_window, MS(30));
	cr_assert_eq(r[0].cpu, cb);
	/* a used nothing since 15 ms but its last syscall's cost, if any. */
	cr_assert_eq(r[1].pid == pa ? r[1].cpu_window : r[2].cpu_window,
		     t_usage(k, pa).cpu_total - ca);

	cr_assert_eq(mos_admin_top(k, MOS_ADMIN_BY_MEMORY, r, 8, &n, &since), 0);
	cr_assert_eq(since, MS(100));
	cr_assert_eq(r[0].pid, pa);
	cr_assert_eq(r[1].pid, pb);
	cr_assert_eq(r[1].memory, 50);
	cr_assert_eq(r[2].pid, 1);
	cr_assert_eq(r[0].cpu_window, 0);
	cr_assert_eq(r[0].cpu_permille, 0);
	mos_kernel_destroy(k);
}

static mos_service_id_t reg_deps(mos_kernel_t *k, const char *name,
				 const char *dep1, bool req1, const char *dep2)
{
	mos_service_descriptor_t d = t_desc(name, t_idle_cmd);
	mos_service_dep_t deps[2] = {{dep1, req1, 0, NULL}, {dep2, false, 0, NULL}};

	d.deps = deps;
	d.ndeps = dep1 ? (dep2 ? 2 : 1) : 0;
	return t_reg(k, &d);
}

Test(admin, service_tree_rows_and_json)
{
	mos_kernel_t *k = kernel_with(100, 0);
	mos_service_id_t db = reg_deps(k, "db", NULL, false, NULL);
	mos_service_id_t cache = reg_deps(k, "cache", NULL, false, NULL);
	mos_service_id_t web = reg_deps(k, "web", "db", true, "cache");
	mos_service_id_t api = reg_deps(k, "api", "db", true, NULL);
	mos_admin_svc_row_t r[4];
	json_t *j, *tree, *w;
	size_t n = 0;

	cr_assert_eq(mos_service_start(k, 0, web), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_assert_eq(mos_admin_services(k, r, 4, &n), 0);
	cr_assert_eq(n, 4);
	cr_assert_eq(r[0].id, db);
	cr_assert_str_eq(r[0].name, "db");
	cr_assert_eq(r[0].state, MOS_SVC_RUNNING);
	cr_assert_eq(r[0].ninstances, 1);
	cr_assert_eq(r[0].ndeps, 0);
	cr_assert_eq(r[1].id, cache);
	cr_assert_eq(r[2].id, web);
	cr_assert_eq(r[2].state, MOS_SVC_RUNNING);
	cr_assert_eq(r[2].ndeps, 2);
	cr_assert_eq(r[2].deps[0], cache); /* name order */
	cr_assert_eq(r[2].required[0], false);
	cr_assert_eq(r[2].deps[1], db);
	cr_assert_eq(r[2].required[1], true);
	cr_assert_eq(r[2].critical, false);
	cr_assert_eq(r[3].id, api);
	cr_assert_eq(r[3].state, MOS_SVC_STOPPED);

	j = parse_out(k, mos_admin_services_json);
	cr_assert_eq(json_array_size(json_object_get(j, "services")), 4);
	tree = json_object_get(j, "tree");
	cr_assert_eq(json_array_size(tree), 2); /* web and api: no one needs them */
	w = json_array_get(tree, 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "name")), "web");
	cr_assert_str_eq(json_string_value(json_object_get(w, "state")), "Running");
	cr_assert_eq(json_array_size(json_object_get(w, "dependencies")), 2);
	w = json_array_get(json_object_get(json_array_get(tree, 1),
					   "dependencies"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "name")), "db");
	cr_assert(json_is_true(json_object_get(w, "repeated")));
	json_decref(j);
	mos_kernel_destroy(k);
}

static int top_cpu_json(mos_kernel_t *k, FILE *f)
{
	return mos_admin_top_json(k, MOS_ADMIN_BY_CPU, f);
}

Test(admin, json_forms_hold_the_fields)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const a[] = {"work", "10", "100", NULL};
	mos_pid_t pa = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, a);
	json_t *j, *e;

	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	j = parse_out(k, mos_admin_overview_json);
	cr_assert_eq(json_integer_value(json_object_get(j, "uptime_ns")), MS(20));
	cr_assert_eq(json_integer_value(json_object_get(j, "processes")), 2);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_object_get(j, "process_states"), "Blocked")), 2);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_object_get(j, "memory"), "used")), 100);
	cr_assert_not_null(json_object_get(json_object_get(j, "cpu"), "busy_ns"));
	cr_assert_not_null(json_object_get(json_object_get(j, "device"), "queue"));
	cr_assert(json_is_array(json_object_get(j, "violations")));
	json_decref(j);

	j = parse_out(k, mos_admin_ps_json);
	cr_assert_eq(json_array_size(j), 2);
	e = json_array_get(j, 1);
	cr_assert_eq(json_integer_value(json_object_get(e, "pid")), pa);
	cr_assert_str_eq(json_string_value(json_object_get(e, "user")), "0");
	cr_assert_str_eq(json_string_value(json_object_get(e, "state")), "Blocked");
	cr_assert_str_eq(json_string_value(json_object_get(e, "priority")), "Normal");
	cr_assert_str_eq(json_string_value(json_object_get(e, "class")), "User");
	cr_assert_eq(json_integer_value(json_object_get(e, "memory")), 100);
	cr_assert_str_eq(json_string_value(json_object_get(e, "command")),
			 "work 10 100");
	json_decref(j);

	j = parse_out(k, top_cpu_json);
	cr_assert_eq(json_integer_value(json_object_get(j, "since_ns")), 0);
	cr_assert_eq(json_integer_value(json_object_get(j, "now_ns")), MS(20));
	cr_assert_str_eq(json_string_value(json_object_get(j, "sort")), "cpu");
	e = json_array_get(json_object_get(j, "rows"), 0);
	cr_assert_eq(json_integer_value(json_object_get(e, "pid")), pa);
	cr_assert_eq(json_integer_value(json_object_get(e, "cpu_window_ns")),
		     (json_int_t)t_usage(k, pa).cpu_total);
	json_decref(j);
	mos_kernel_destroy(k);
}

/* ---- the emergency stop ------------------------------------------------ */

Test(admin, emergency_stop_order_and_times)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const ign[] = {"work", "0", "0", "0", "1", NULL};
	const char *const dfl[] = {"work", "0", "0", NULL};
	mos_pid_t low = spawn(k, MOS_PRIO_IDLE, MOS_CLASS_USER, ign);
	mos_pid_t norm = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, dfl);
	mos_pid_t high = spawn(k, MOS_PRIO_HIGH, MOS_CLASS_USER, ign);
	mos_pid_t crit = spawn(k, MOS_PRIO_CRITICAL, MOS_CLASS_USER, ign);
	mos_pid_t sys = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_SYSTEM, ign);
	mos_service_descriptor_t d = t_desc("svc", t_idle_cmd);
	mos_admin_audit_entry_t e[16];
	mos_service_id_t svc;
	mos_pid_t inst;
	size_t n;

	mos_service_descriptor_t cd = t_desc("core", t_idle_cmd);
	mos_service_id_t core;

	d.priority = MOS_PRIO_LOW;
	d.restart.policy = MOS_RESTART_ALWAYS;
	svc = t_reg(k, &d);
	cd.prio_class = MOS_CLASS_SYSTEM; /* critical: left alone */
	core = t_reg(k, &cd);
	cr_assert_eq(mos_service_start(k, 0, svc), 0);
	cr_assert_eq(mos_service_start(k, 0, core), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	inst = t_status(k, svc).pids[0];
	cr_assert_eq(mos_admin_emergency_stop(k, 0, "disk on fire"), 0);
	n = audit(k, e, 16);
	cr_assert_eq(n, 5);
	cr_assert_eq(e[0].op, MOS_ADMIN_OP_EMERGENCY_STOP);
	cr_assert_eq(e[0].time, MS(10));
	cr_assert_eq(e[0].value, 4);
	cr_assert_str_eq(e[0].reason, "disk on fire");
	cr_assert_eq(e[1].op, MOS_ADMIN_OP_TERM);   /* Idle */
	cr_assert_eq(e[1].pid, low);
	cr_assert_eq(e[2].op, MOS_ADMIN_OP_SERVICE_STOP); /* Low */
	cr_assert_eq(e[2].service, svc);
	cr_assert_eq(e[2].result, 0);
	cr_assert_eq(e[3].op, MOS_ADMIN_OP_TERM);   /* Normal */
	cr_assert_eq(e[3].pid, norm);
	cr_assert_eq(e[4].op, MOS_ADMIN_OP_TERM);   /* High */
	cr_assert_eq(e[4].pid, high);
	for (size_t i = 1; i < 5; i++)
		cr_assert_eq(e[i].time, MS(10));
	/* A second one while the SIGKILL step is pending. */
	cr_assert_eq(mos_admin_emergency_stop(k, 0, NULL), MOS_EINVALSTATE);
	cr_assert_eq(audit(k, NULL, 0), 5);

	cr_assert_eq(mos_kernel_run(k, MS(110) - 1), 0);
	cr_assert_eq(t_info(k, norm).times.finished, MS(10));
	cr_assert_eq(t_info(k, inst).times.finished, MS(10));
	cr_assert_eq(t_info(k, low).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, high).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(audit(k, NULL, 0), 5);
	cr_assert_eq(mos_kernel_run(k, MS(200)), 0);
	cr_assert_eq(t_info(k, low).times.finished, MS(110));
	cr_assert_eq(t_info(k, high).times.finished, MS(110));
	cr_assert(MOS_WIFSIGNALED(t_info(k, low).exit_status));
	cr_assert_eq(MOS_WTERMSIG(t_info(k, low).exit_status), MOS_SIGKILL);
	cr_assert_eq(t_info(k, crit).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, sys).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_status(k, svc).state, MOS_SVC_STOPPED);
	cr_assert_eq(t_status(k, svc).ninstances, 0);
	cr_assert_eq(t_status(k, core).state, MOS_SVC_RUNNING);
	cr_assert_eq(t_status(k, core).ninstances, 1);
	n = audit(k, e, 16);
	cr_assert_eq(n, 7);
	cr_assert_eq(e[5].op, MOS_ADMIN_OP_KILL);
	cr_assert_eq(e[5].pid, low);
	cr_assert_eq(e[5].time, MS(110));
	cr_assert_eq(e[6].op, MOS_ADMIN_OP_KILL);
	cr_assert_eq(e[6].pid, high);
	/* Over: another may start. */
	cr_assert_eq(mos_admin_emergency_stop(k, 0, "again"), 0);
	mos_kernel_destroy(k);
}

Test(admin, emergency_stop_needs_admin)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const dfl[] = {"work", "0", "0", NULL};
	mos_pid_t user, admin, victim;
	mos_admin_audit_entry_t e[8];
	uint64_t denials;

	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, dfl, NULL, &user), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1001, MOS_CAP_ADMIN, dfl,
				NULL, &admin), 0);
	victim = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, dfl);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	denials = t_kstats(k).permission_denials;
	cr_assert_eq(mos_admin_emergency_stop(k, user, "x"), MOS_EPERM);
	cr_assert_eq(t_kstats(k).permission_denials, denials + 1);
	cr_assert_eq(audit(k, e, 8), 1);
	cr_assert_eq(e[0].op, MOS_ADMIN_OP_DENIED);
	cr_assert_eq(e[0].actor, user);
	cr_assert_eq(e[0].uid, 1000);
	cr_assert_eq(e[0].result, MOS_EPERM);
	cr_assert_eq(e[0].value, MOS_ADMIN_OP_EMERGENCY_STOP);
	cr_assert_eq(mos_admin_oom_enable(k, user, true), MOS_EPERM);
	cr_assert_eq(mos_process_set_oom_score_adj(k, user, victim, 5), MOS_EPERM);
	cr_assert_eq(t_kstats(k).permission_denials, denials + 3);
	cr_assert_eq(mos_admin_emergency_stop(k, -1, "x"), MOS_EINVALPID);
	cr_assert_eq(mos_admin_emergency_stop(k, 999, "x"), MOS_EPROCNOTFOUND);
	/* Nothing moved: no signal, no timer. */
	cr_assert_eq(t_info(k, victim).state, MOS_STATE_BLOCKED);
	cr_assert_eq(audit(k, NULL, 0), 3);
	/* An ADMIN holder may; it is spared itself. */
	cr_assert_eq(mos_admin_emergency_stop(k, admin, "ok"), 0);
	cr_assert_eq(audit(k, e, 8), 6); /* stop, TERM user, TERM victim */
	cr_assert_eq(e[3].actor, admin);
	cr_assert_eq(e[3].uid, 1001);
	cr_assert_eq(e[3].value, 2);
	cr_assert_eq(e[4].pid, user);
	cr_assert_eq(e[5].pid, victim);
	cr_assert_eq(mos_kernel_run(k, MS(500)), 0);
	cr_assert_eq(t_info(k, admin).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, victim).times.finished, MS(5));
	mos_kernel_destroy(k);
}

/* ---- the OOM response -------------------------------------------------- */

/* a 300 KiB, b 400 KiB (adj -1000), c 200 KiB, d 50 KiB Critical, all at
 * 0; e asks 200 KiB at 20 ms of a 1 MiB machine. */
typedef struct oom_set {
	mos_pid_t a, b, c, d, e;
} oom_set_t;

static oom_set_t oom_setup(mos_kernel_t *k)
{
	const char *const a[] = {"work", "0", "307200", NULL};
	const char *const b[] = {"work", "0", "409600", NULL};
	const char *const c[] = {"work", "0", "204800", NULL};
	const char *const d[] = {"work", "0", "51200", NULL};
	const char *const e[] = {"work", "0", "204800", "20", NULL};
	oom_set_t s;

	s.a = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, a);
	s.b = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, b);
	s.c = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, c);
	s.d = spawn(k, MOS_PRIO_CRITICAL, MOS_CLASS_USER, d);
	s.e = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, e);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, s.b, -1000), 0);
	return s;
}

Test(admin, oom_kills_the_highest_badness)
{
	mos_kernel_t *k = kernel_with(100, 1024 * KIB);
	oom_set_t s = oom_setup(k);
	mos_admin_audit_entry_t e[8];
	mos_admin_overview_t o;
	size_t n;

	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, s.c, 500), 0);
	cr_assert_eq(mos_admin_oom_enable(k, 0, true), 0);
	cr_assert_eq(mos_kernel_run(k, MS(20) - 1), 0);
	cr_assert_eq(t_kstats(k).memory_used, 950 * KIB);
	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	/* c: 200/1024 of the machine = 195 per mille, + 500 = 695 beats
	 * a's 292; b never; e 1; d Critical. */
	cr_assert_eq(t_info(k, s.c).times.finished, MS(20));
	cr_assert_eq(MOS_WTERMSIG(t_info(k, s.c).exit_status), MOS_SIGKILL);
	cr_assert_eq(t_info(k, s.a).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, s.e).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_usage(k, s.e).memory_current, 0); /* refused */
	n = audit(k, e, 8);
	cr_assert_eq(n, 4); /* adj b, adj c, enable, kill */
	cr_assert_eq(e[3].op, MOS_ADMIN_OP_OOM_KILL);
	cr_assert_eq(e[3].time, MS(20));
	cr_assert_eq(e[3].pid, s.c);
	cr_assert_eq(e[3].value, 695);
	cr_assert_eq(e[3].result, 0);
	cr_assert_eq(mos_admin_overview(k, &o), 0);
	cr_assert_eq(o.oom_kills, 1);
	{
		char buf[128], want[64];
		uint32_t label;

		cr_assert_eq(mos_trace_label(k, "oom-kill", &label), 0);
		snprintf(want, sizeof(want), "%d:0:%u:0@20", s.c, label);
		cr_assert_str_eq(t_trace_kind(k, MOS_TRACE_MARK, MOS_MSEC, buf,
					      sizeof(buf)), want);
	}
	mos_kernel_destroy(k);
}

Test(admin, oom_without_adj_and_critical_last)
{
	mos_kernel_t *k = kernel_with(100, 1024 * KIB);
	oom_set_t s = oom_setup(k);
	mos_admin_audit_entry_t e[8];

	cr_assert_eq(mos_admin_oom_enable(k, 0, true), 0);
	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	/* a 292 > c 195 > e 1; b never. */
	cr_assert_eq(t_info(k, s.a).times.finished, MS(20));
	cr_assert_eq(t_info(k, s.c).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(audit(k, e, 8), 3);
	cr_assert_eq(e[2].pid, s.a);
	cr_assert_eq(e[2].value, 292);
	(void)s;
	mos_kernel_destroy(k);
}

Test(admin, oom_critical_only_when_nothing_else)
{
	mos_kernel_t *k = kernel_with(100, 1024 * KIB);
	oom_set_t s = oom_setup(k);
	mos_admin_audit_entry_t e[8];

	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, s.a, -1000), 0);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, s.c, -1000), 0);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, s.e, -1000), 0);
	cr_assert_eq(mos_admin_oom_enable(k, 0, true), 0);
	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	/* Only d (Critical, 50 KiB: 48 per mille) is left to choose. */
	cr_assert_eq(t_info(k, s.d).times.finished, MS(20));
	cr_assert_eq(audit(k, e, 8), 6);
	cr_assert_eq(e[5].op, MOS_ADMIN_OP_OOM_KILL);
	cr_assert_eq(e[5].pid, s.d);
	cr_assert_eq(e[5].value, 48);
	mos_kernel_destroy(k);
}

Test(admin, oom_off_kills_nothing)
{
	mos_kernel_t *k = kernel_with(100, 1024 * KIB);
	oom_set_t s = oom_setup(k);

	cr_assert_eq(mos_kernel_run(k, MS(30)), 0);
	cr_assert_eq(t_info(k, s.a).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(t_info(k, s.c).times.finished, MOS_TIME_NEVER);
	cr_assert_eq(audit(k, NULL, 0), 1); /* the adj of b */
	mos_kernel_destroy(k);
}

/* ---- arguments --------------------------------------------------------- */

Test(admin, bad_arguments_change_nothing)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const dfl[] = {"work", "0", "0", NULL};
	mos_pid_t p = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, dfl);
	mos_admin_ps_row_t r;
	mos_admin_top_row_t t;
	size_t n;
	int adj = 7;

	cr_assert_eq(mos_admin_attach(NULL), MOS_EINVAL);
	cr_assert_eq(mos_admin_overview(k, NULL), MOS_EINVAL);
	cr_assert_eq(mos_admin_ps(k, NULL, 1, &n), MOS_EINVAL);
	cr_assert_eq(mos_admin_ps(k, &r, 1, NULL), MOS_EINVAL);
	cr_assert_eq(mos_admin_top(k, MOS_ADMIN_SORT_COUNT, &t, 1, &n, NULL),
		     MOS_EINVAL);
	cr_assert_eq(mos_admin_services(NULL, NULL, 0, &n), MOS_EINVAL);
	cr_assert_eq(mos_admin_audit(k, NULL, 1, &n), MOS_EINVAL);
	cr_assert_eq(mos_admin_emergency_stop(NULL, 0, NULL), MOS_EINVAL);
	cr_assert_eq(mos_admin_oom_enable(NULL, 0, true), MOS_EINVAL);
	cr_assert_eq(mos_admin_overview_json(k, NULL), MOS_EINVAL);
	cr_assert_eq(mos_admin_top_json(k, MOS_ADMIN_SORT_COUNT, stdout), MOS_EINVAL);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, p, 1001), MOS_EINVAL);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, p, -1001), MOS_EINVAL);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, 0, 1), MOS_EINVALPID);
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, 999, 1), MOS_EPROCNOTFOUND);
	cr_assert_eq(mos_process_get_oom_score_adj(k, p, NULL), MOS_EINVAL);
	cr_assert_eq(mos_process_get_oom_score_adj(k, 999, &adj), MOS_EPROCNOTFOUND);
	cr_assert_eq(adj, 7);
	cr_assert_eq(mos_process_get_oom_score_adj(k, p, &adj), 0);
	cr_assert_eq(adj, 0);
	cr_assert_eq(audit(k, NULL, 0), 0);
	cr_assert_str_eq(mos_admin_op_name(MOS_ADMIN_OP_COUNT), "?");
	cr_assert_str_eq(mos_admin_op_name(MOS_ADMIN_OP_OOM_KILL), "oom_kill");
	/* adj is forgotten when the process dies. */
	cr_assert_eq(mos_process_set_oom_score_adj(k, 0, p, 300), 0);
	cr_assert_eq(mos_process_terminate(k, p, true), 0);
	cr_assert_eq(mos_process_get_oom_score_adj(k, p, &adj), MOS_EPROCNOTFOUND);
	mos_kernel_destroy(k);
}

Test(admin, audit_jsonl_export)
{
	mos_kernel_t *k = kernel_with(100, 0);
	const char *const dfl[] = {"work", "0", "0", NULL};
	mos_pid_t p = spawn(k, MOS_PRIO_NORMAL, MOS_CLASS_USER, dfl);
	FILE *f = tmpfile();
	char line[512];
	int lines = 0;

	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_admin_emergency_stop(k, 0, "drill"), 0);
	cr_assert_eq(mos_admin_audit_jsonl(k, f), 0);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		json_error_t je;
		json_t *j = json_loads(line, 0, &je);

		cr_assert_not_null(j, "%s", je.text);
		cr_assert_eq(json_integer_value(json_object_get(j, "seq")), lines + 1);
		cr_assert_eq(json_integer_value(json_object_get(j, "t")), MS(1));
		cr_assert_str_eq(json_string_value(json_object_get(j, "result")),
				 "MOS_OK");
		if (lines == 0) {
			cr_assert_str_eq(json_string_value(json_object_get(j, "op")),
					 "emergency_stop");
			cr_assert_str_eq(json_string_value(json_object_get(j, "reason")),
					 "drill");
		} else {
			cr_assert_str_eq(json_string_value(json_object_get(j, "op")),
					 "term");
			cr_assert_eq(json_integer_value(json_object_get(j, "pid")), p);
		}
		json_decref(j);
		lines++;
	}
	cr_assert_eq(lines, 2);
	fclose(f);
	mos_kernel_destroy(k);
}
