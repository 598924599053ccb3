/*
 * tests/test_svc_review.c - an adversarial review of the service manager:
 * each test confirms (or rules out) one suspected departure from
 * docs/SERVICES.md or include/multios/service.h.  Tests that fail here
 * are the confirmed bugs of the review report.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/service.h"
#include "timeout.h"

TestSuite(svc_review, .timeout = T_TIMEOUT);

static mos_service_id_t rv_reg(mos_kernel_t *k, const mos_service_descriptor_t *d)
{
	mos_service_id_t id = 0;
	mos_error_t err;
	int rc = mos_service_register(k, 0, d, &id, &err);

	cr_assert_eq(rc, 0, "register %s: %d %s", d->name, rc, err.message);
	return id;
}

static mos_service_descriptor_t rv_group(const char *name)
{
	mos_service_descriptor_t d;

	mos_service_descriptor_init(&d);
	d.name = name;
	d.type = MOS_SVC_GROUP;
	d.instances = 0;
	return d;
}

static size_t rv_audit_n(mos_kernel_t *k)
{
	size_t n = 0;

	cr_assert_eq(mos_service_audit(k, NULL, 0, &n), 0);
	return n;
}

/*
 * stop_all: "the next wave starting once nothing of the previous one is
 * Stopping".  A wave-1 service that stops at once (an empty group) makes
 * stop_all_progress run inside stop_wave(1), before the later wave-1
 * services were even asked: wave 2 starts while a User service is still
 * Running.
 */
Test(svc_review, stop_all_wave_two_waits_for_every_user_service)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t g = rv_group("empty-group");
	mos_service_descriptor_t mon = t_desc("mon", t_idle_cmd);
	mos_service_descriptor_t user = t_desc("user", t_idle_cmd);
	mos_service_id_t ig, im, iu;
	size_t n = 0;

	mon.type = MOS_SVC_MONITORING;
	ig = rv_reg(k, &g);
	im = rv_reg(k, &mon);
	iu = rv_reg(k, &user);
	cr_assert_eq(mos_service_start(k, 0, ig), 0);
	cr_assert_eq(mos_service_start(k, 0, im), 0);
	cr_assert_eq(mos_service_start(k, 0, iu), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(t_status(k, ig).state, MOS_SVC_RUNNING);
	cr_assert_eq(t_status(k, im).state, MOS_SVC_RUNNING);
	cr_assert_eq(t_status(k, iu).state, MOS_SVC_RUNNING);
	cr_assert_eq(mos_service_stop_all(k, 0, &n), 0);
	cr_expect_eq(n, 3);
	cr_expect_eq(t_status(k, iu).state, MOS_SVC_STOPPING);
	cr_expect_eq(t_status(k, im).state, MOS_SVC_RUNNING,
		     "the Monitoring service must wait for wave 1 (it is %s)",
		     mos_service_state_name(t_status(k, im).state));
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	cr_expect_eq(t_status(k, im).state, MOS_SVC_STOPPED);
	cr_expect_geq(t_status(k, im).since, t_status(k, iu).since,
		      "Monitoring stopped before the User service");
	mos_kernel_destroy(k);
}

/*
 * "A start that would pass the cap is refused with MOS_EEXHAUSTED."  A
 * group's members are not in its start order (members are not
 * dependencies), so req_start counts 0 instances for a group, accepts
 * the start, and the members then fail with reason spawn.
 */
Test(svc_review, a_group_start_past_max_service_processes_is_refused)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_descriptor_t g = rv_group("pool");
	mos_service_descriptor_t a = t_desc("a", t_idle_cmd);
	mos_service_descriptor_t b = t_desc("b", t_idle_cmd);
	mos_service_id_t ig, ia, ib;

	mos_config_default(&c);
	c.max_service_processes = 1;
	k = t_kernel(&c);
	a.member_of = "pool";
	b.member_of = "pool";
	ig = rv_reg(k, &g);
	ia = rv_reg(k, &a);
	ib = rv_reg(k, &b);
	cr_expect_eq(mos_service_start(k, 0, ig), MOS_EEXHAUSTED);
	cr_expect_eq(t_status(k, ig).state, MOS_SVC_STOPPED, "nothing changed");
	cr_expect_eq(t_status(k, ia).state, MOS_SVC_STOPPED, "nothing changed (%s)",
		     mos_service_state_name(t_status(k, ia).state));
	cr_expect_eq(t_status(k, ib).state, MOS_SVC_STOPPED, "nothing changed (%s)",
		     mos_service_state_name(t_status(k, ib).state));
	mos_kernel_destroy(k);
}

/*
 * "Every request (register, unregister, ...), refused ones included ...
 * go into" the audit log.  An unregister refused with
 * MOS_ESVCNOTSTOPPED (or MOS_EDEPEND) returns before the audit.
 */
Test(svc_review, a_refused_unregister_is_audited)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("busy", t_idle_cmd);
	mos_service_id_t id = rv_reg(k, &d);
	mos_audit_entry_t a[1024];
	size_t before, n = 0;

	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	before = rv_audit_n(k);
	cr_assert_eq(mos_service_unregister(k, 0, id), MOS_ESVCNOTSTOPPED);
	cr_assert_eq(mos_service_audit(k, a, 1024, &n), 0);
	cr_expect_eq(n, before + 1, "the refusal is not in the audit log");
	if (n == before + 1) {
		cr_expect_eq(a[n - 1].op, MOS_AUDIT_UNREGISTER);
		cr_expect_eq(a[n - 1].result, MOS_ESVCNOTSTOPPED);
	}
	mos_kernel_destroy(k);
}

/* The same for a refused register (a bad descriptor, a name taken). */
Test(svc_review, a_refused_register_is_audited)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("dup", t_idle_cmd);
	mos_service_id_t id;
	size_t before;

	rv_reg(k, &d);
	before = rv_audit_n(k);
	cr_assert_eq(mos_service_register(k, 0, &d, &id, NULL), MOS_ESVCEXISTS);
	cr_expect_eq(rv_audit_n(k), before + 1, "the refusal is not audited");
	mos_kernel_destroy(k);
}

/* "Every function validates its arguments": an isolation level out of
 * range is accepted at registration (descriptor.c copies it unchecked),
 * and only the start's mos_process_create refuses it. */
Test(svc_review, an_isolation_out_of_range_is_refused_at_register)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("iso", t_idle_cmd);
	mos_service_id_t id = 0;
	mos_error_t err;

	d.isolation = (mos_isolation_t)99;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, &err), MOS_EINVAL);
	cr_expect_eq(t_nservices(k), 0);
	mos_kernel_destroy(k);
}

/* MOS_SVC_MAX_TAGS is 16, and the JSON loader enforces it; the C API
 * takes any number. */
Test(svc_review, more_than_max_tags_is_refused_at_register)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("tagged", t_idle_cmd);
	const char *tags[MOS_SVC_MAX_TAGS + 2];
	mos_service_id_t id = 0;

	for (int i = 0; i < MOS_SVC_MAX_TAGS + 1; i++)
		tags[i] = "t";
	tags[MOS_SVC_MAX_TAGS + 1] = NULL;
	d.tags = tags;
	cr_expect_eq(mos_service_register(k, 0, &d, &id, NULL), MOS_EINVAL);
	mos_kernel_destroy(k);
}

/*
 * A Paused service's instance dies and the policy restarts it: the
 * service goes Starting, then Running once the new instance is up, and
 * the other instance must not be left SIGSTOP'ed ("Running" with a
 * stopped instance, that resume could not reach).
 */
Test(svc_review, a_restart_out_of_paused_leaves_no_instance_stopped)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("pz", t_idle_cmd);
	mos_service_id_t id;
	mos_service_status_t st;
	mos_pid_t p0, p1;

	d.instances = 2;
	d.restart.policy = MOS_RESTART_ALWAYS;
	id = rv_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	st = t_status(k, id);
	cr_assert_eq(st.state, MOS_SVC_RUNNING);
	p0 = st.pids[0];
	p1 = st.pids[1];
	cr_assert_eq(mos_service_pause(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(20)), 0);
	cr_assert_eq(t_info(k, p1).state, MOS_STATE_SUSPENDED);
	cr_assert_eq(mos_process_send_signal(k, p0, MOS_SIGKILL), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	st = t_status(k, id);
	cr_expect_eq(st.ninstances, 2);
	/* The restart (100 ms after the death at 20 ms) brings the service
	 * back as a whole: the other instance was continued. */
	cr_expect_eq(st.state, MOS_SVC_RUNNING);
	cr_expect_eq(st.since, MS(120));
	cr_expect_neq(t_info(k, p1).state, MOS_STATE_SUSPENDED,
		      "Running, but instance %d is still SIGSTOP'ed", p1);
	mos_kernel_destroy(k);
}

/* stop_all with an actor that does not exist: MOS_EPROCNOTFOUND is
 * documented, but before the manager exists (or while a stop_all runs)
 * the call returns 0 without looking at the actor. */
Test(svc_review, stop_all_checks_its_actor_on_a_fresh_kernel)
{
	mos_kernel_t *k = t_kernel(NULL);
	size_t n = 7;

	cr_expect_eq(mos_service_stop_all(k, 4242, &n), MOS_EPROCNOTFOUND);
	mos_kernel_destroy(k);
}

/* ---- probes that pass (recorded: the arithmetic holds) ---------------- */

#define DIES_AT_10MS T_ARGV("script", "[{\"sleep\":\"10ms\"},{\"exit\":1}]")

/* Start limit 3 in 10 s, a fixed 100 ms back-off: deaths at 10, 120,
 * 230, 340 ms; the fourth is not restarted: Failed at 340 ms, 3
 * restarts; the cooldown retries at exactly 340 + 1000 ms. */
Test(svc_review, the_start_limit_and_cooldown_are_exact)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("flaky", DIES_AT_10MS);
	mos_service_id_t id;
	mos_service_status_t st;

	d.restart.policy = MOS_RESTART_ON_FAILURE;
	d.restart.multiplier = 1;
	d.restart.max_restarts = 3;
	d.restart.cooldown = MOS_SEC;
	id = rv_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1000)), 0);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_FAILED);
	cr_expect_eq(st.reason, MOS_SVC_R_START_LIMIT);
	cr_expect_eq(st.since, MS(340));
	cr_expect_eq(st.restarts, 3);
	cr_assert_eq(mos_kernel_run(k, MS(1345)), 0);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_RUNNING);
	cr_expect_eq(st.since, MS(1340));
	mos_kernel_destroy(k);
}

/* Unregistering a Failed service whose cooldown is armed: the timer must
 * go with it (run under SAN=1 for a use-after-free). */
Test(svc_review, unregister_with_a_cooldown_armed_is_safe)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("flaky", DIES_AT_10MS);
	mos_service_id_t id;

	d.restart.policy = MOS_RESTART_ON_FAILURE;
	d.restart.max_restarts = 1;
	d.restart.cooldown = MOS_SEC;
	id = rv_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(500)), 0);
	cr_assert_eq(t_status(k, id).state, MOS_SVC_FAILED);
	cr_assert_eq(mos_service_unregister(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(5000)), 0);
	cr_expect_eq(t_nservices(k), 0);
	mos_kernel_destroy(k);
}

/* Intensity 1 in 5 s: the first death is restarted at once (10 ms), the
 * second (20 ms) is one too many: the group is Failed at 20 ms. */
Test(svc_review, group_intensity_gives_up_on_the_second_death)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t g = rv_group("sup");
	mos_service_descriptor_t w = t_desc("worker", DIES_AT_10MS);
	mos_service_id_t ig, iw;

	w.member_of = "sup";
	w.restart.policy = MOS_RESTART_ALWAYS;
	ig = rv_reg(k, &g);
	iw = rv_reg(k, &w);
	cr_assert_eq(mos_service_start(k, 0, ig), 0);
	cr_assert_eq(mos_kernel_run(k, MS(15)), 0);
	cr_expect_eq(t_status(k, ig).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, iw).restarts, 1);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(t_status(k, ig).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, ig).reason, MOS_SVC_R_SUPERVISOR);
	cr_expect_eq(t_status(k, ig).since, MS(20));
	mos_kernel_destroy(k);
}

/* ---- suspicions: design questions more than bugs --------------------- */

/* The audit log's size (include/multios/service.h). */
#define RV_AUDIT_CAP 1024

/* The permission denials counted so far. */
static uint64_t rv_denials(mos_kernel_t *k)
{
	mos_kernel_stats_t st;

	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	return st.permission_denials;
}

/* The last audit entry but back (0: the last): its op, service, result. */
static void rv_expect_audit(mos_kernel_t *k, size_t back, mos_audit_op_t op,
			    mos_service_id_t id, int result)
{
	mos_audit_entry_t a[RV_AUDIT_CAP];
	size_t n = 0;

	cr_assert_eq(mos_service_audit(k, a, RV_AUDIT_CAP, &n), 0);
	cr_assert_gt(n, back);
	cr_expect_eq(a[n - 1 - back].op, op);
	cr_expect_eq(a[n - 1 - back].service, id);
	cr_expect_eq(a[n - 1 - back].result, result);
	cr_expect_eq(a[n - 1 - back].uid, 1000);
}

/*
 * Permission: uid 1000 may stop its own service, but not when the stop
 * would take down (dependents first) a root-owned service that needs
 * it: the stop is refused whole with MOS_EPERM, nothing changes, and
 * the refusal is audited twice (the root service the actor may not
 * operate, counted in permission_denials; then the request itself).
 */
Test(svc_review, a_user_stop_does_not_take_down_root_services)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t base = t_desc("base", t_idle_cmd);
	mos_service_descriptor_t app = t_desc("rootapp", t_idle_cmd);
	mos_service_dep_t dep = {"base", true, 0, NULL};
	mos_service_id_t ib, ia;
	mos_pid_t user;
	uint64_t denied;

	base.uid = 1000;
	base.gid = 1000;
	app.deps = &dep;
	app.ndeps = 1;
	ib = rv_reg(k, &base);
	ia = rv_reg(k, &app);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, t_idle_cmd, NULL,
				&user), 0);
	cr_assert_eq(mos_service_start(k, 0, ia), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_assert_eq(t_status(k, ia).state, MOS_SVC_RUNNING);
	denied = rv_denials(k);
	cr_expect_eq(mos_service_stop(k, user, ib), MOS_EPERM);
	cr_expect_eq(mos_service_restart(k, user, ib), MOS_EPERM);
	cr_expect_eq(rv_denials(k), denied + 2);
	rv_expect_audit(k, 1, MOS_AUDIT_RESTART, ia, MOS_EPERM);
	rv_expect_audit(k, 0, MOS_AUDIT_RESTART, ib, MOS_EPERM);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(t_status(k, ia).state, MOS_SVC_RUNNING, "rootapp is %s",
		     mos_service_state_name(t_status(k, ia).state));
	cr_expect_eq(t_status(k, ia).since, MS(0));
	cr_expect_eq(t_status(k, ib).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, ib).since, MS(0));
	/* Once the root service is down, the same stop is the user's own. */
	cr_assert_eq(mos_service_stop(k, 0, ia), 0);
	cr_assert_eq(mos_kernel_run(k, MS(200)), 0);
	cr_expect_eq(t_status(k, ia).state, MOS_SVC_STOPPED);
	cr_expect_eq(mos_service_stop(k, user, ib), 0);
	cr_assert_eq(mos_kernel_run(k, MS(300)), 0);
	cr_expect_eq(t_status(k, ib).state, MOS_SVC_STOPPED);
	mos_kernel_destroy(k);
}

/*
 * A group is Running "once all of [its members] are".  A member whose
 * start fails (here its start timeout: it never notifies) left the
 * group Starting for ever: dependents_notice only looked at a member
 * entering Running.  Now the group's start fails with it
 * (docs/SERVICES.md, Supervisor groups).
 */
Test(svc_review, a_group_whose_member_fails_to_start_does_not_stay_starting)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t g = rv_group("pool");
	mos_service_descriptor_t m = t_desc("mute", t_idle_cmd);
	mos_service_id_t ig, im;

	m.member_of = "pool";
	m.readiness = MOS_READY_NOTIFY;
	m.start_timeout_ms = 100;
	ig = rv_reg(k, &g);
	im = rv_reg(k, &m);
	cr_assert_eq(mos_service_start(k, 0, ig), 0);
	cr_assert_eq(mos_kernel_run(k, 60 * MOS_SEC), 0);
	cr_expect_eq(t_status(k, im).state, MOS_SVC_FAILED);
	cr_expect_eq(t_status(k, im).since, MS(100));
	/* As an OTP supervisor whose child fails to start: the group's
	 * start fails, at the same instant, naming the member. */
	cr_expect_eq(t_status(k, ig).state, MOS_SVC_FAILED, "the group is %s",
		     mos_service_state_name(t_status(k, ig).state));
	cr_expect_eq(t_status(k, ig).reason, MOS_SVC_R_SUPERVISOR);
	cr_expect_eq(t_status(k, ig).error, MOS_ETIMEDOUT);
	cr_expect_eq(t_status(k, ig).culprit, im);
	cr_expect_eq(t_status(k, ig).since, MS(100));
	mos_kernel_destroy(k);
}

/*
 * Escalation: G (intensity 0) gives up when W1 is killed; give_up clears
 * every member's sup_restart and stops W2 (Stopping, SIGTERM sent), and
 * G's own group P restarts G at once.  G's start skips W2, which is
 * still Stopping, and when W2 reaches Stopped nobody starts it (its
 * sup_restart was cleared): G stays Starting for ever with W2 Stopped.
 */
Test(svc_review, an_escalated_restart_brings_every_member_back)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t p = rv_group("P"), g = rv_group("G");
	mos_service_descriptor_t w1 = t_desc("w1", t_idle_cmd);
	mos_service_descriptor_t w2 = t_desc("w2", t_idle_cmd);
	mos_service_id_t ip, ig, i1, i2;

	g.member_of = "P";
	g.supervisor.intensity = 0;
	w1.member_of = "G";
	w2.member_of = "G";
	w1.restart.policy = MOS_RESTART_ALWAYS;
	w2.restart.policy = MOS_RESTART_ALWAYS;
	ip = rv_reg(k, &p);
	ig = rv_reg(k, &g);
	i1 = rv_reg(k, &w1);
	i2 = rv_reg(k, &w2);
	cr_assert_eq(mos_service_start(k, 0, ip), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_assert_eq(t_status(k, ig).state, MOS_SVC_RUNNING);
	cr_assert_eq(mos_process_send_signal(k, t_status(k, i1).pids[0],
					     MOS_SIGKILL), 0);
	cr_assert_eq(mos_kernel_run(k, 10 * MOS_SEC), 0);
	cr_expect_eq(t_status(k, ip).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, i1).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, i2).state, MOS_SVC_RUNNING, "w2 is %s",
		     mos_service_state_name(t_status(k, i2).state));
	cr_expect_eq(t_status(k, ig).state, MOS_SVC_RUNNING, "G is %s",
		     mos_service_state_name(t_status(k, ig).state));
	mos_kernel_destroy(k);
}

/*
 * The start direction: uid 1000 may start its own service, but not when
 * the start would bring up a root-owned dependency, nor a group of its
 * own whose member is root's: refused whole with MOS_EPERM, nothing
 * starts, audited as the stop's refusal.
 */
Test(svc_review, a_user_start_does_not_bring_up_root_services)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t base = t_desc("rootbase", t_idle_cmd);
	mos_service_descriptor_t app = t_desc("userapp", t_idle_cmd);
	mos_service_descriptor_t g = rv_group("userpool");
	mos_service_descriptor_t m = t_desc("rootmember", t_idle_cmd);
	mos_service_dep_t dep = {"rootbase", true, 0, NULL};
	mos_service_id_t ib, ia, ig, im;
	mos_pid_t user;
	uint64_t denied;

	app.uid = g.uid = 1000;
	app.gid = g.gid = 1000;
	app.deps = &dep;
	app.ndeps = 1;
	m.member_of = "userpool";
	ib = rv_reg(k, &base);
	ia = rv_reg(k, &app);
	ig = rv_reg(k, &g);
	im = rv_reg(k, &m);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, t_idle_cmd, NULL,
				&user), 0);
	denied = rv_denials(k);
	cr_expect_eq(mos_service_start(k, user, ia), MOS_EPERM);
	rv_expect_audit(k, 1, MOS_AUDIT_START, ib, MOS_EPERM);
	rv_expect_audit(k, 0, MOS_AUDIT_START, ia, MOS_EPERM);
	cr_expect_eq(mos_service_restart(k, user, ig), MOS_EPERM);
	rv_expect_audit(k, 1, MOS_AUDIT_RESTART, im, MOS_EPERM);
	rv_expect_audit(k, 0, MOS_AUDIT_RESTART, ig, MOS_EPERM);
	cr_expect_eq(rv_denials(k), denied + 2);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(t_status(k, ib).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, ia).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, ig).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_status(k, im).state, MOS_SVC_STOPPED);
	/* With the dependency up already, the start moves only the user's. */
	cr_assert_eq(mos_service_start(k, 0, ib), 0);
	cr_assert_eq(mos_kernel_run(k, MS(200)), 0);
	cr_expect_eq(mos_service_start(k, user, ia), 0);
	cr_assert_eq(mos_kernel_run(k, MS(300)), 0);
	cr_expect_eq(t_status(k, ia).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, ia).since, MS(200));
	mos_kernel_destroy(k);
}

/*
 * The cap counts a group's members recursively: P holds G, which holds
 * a and b (one instance each).  With max_service_processes 1 the start
 * of P is refused and nothing moves; with 2 it is accepted, and all of
 * it is Running at 0 ms.
 */
Test(svc_review, a_nested_group_start_counts_every_member)
{
	for (uint32_t cap = 1; cap <= 2; cap++) {
		mos_config_t c;
		mos_kernel_t *k;
		mos_service_descriptor_t p = rv_group("P"), g = rv_group("G");
		mos_service_descriptor_t a = t_desc("a", t_idle_cmd);
		mos_service_descriptor_t b = t_desc("b", t_idle_cmd);
		mos_service_id_t ip, ia, ib;
		mos_service_state_t want = cap == 1 ? MOS_SVC_STOPPED
						    : MOS_SVC_RUNNING;

		mos_config_default(&c);
		c.max_service_processes = cap;
		k = t_kernel(&c);
		g.member_of = "P";
		a.member_of = b.member_of = "G";
		ip = rv_reg(k, &p);
		rv_reg(k, &g);
		ia = rv_reg(k, &a);
		ib = rv_reg(k, &b);
		cr_expect_eq(mos_service_start(k, 0, ip),
			     cap == 1 ? MOS_EEXHAUSTED : 0, "cap %u", cap);
		cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
		cr_expect_eq(t_status(k, ip).state, want, "cap %u", cap);
		cr_expect_eq(t_status(k, ia).state, want, "cap %u", cap);
		cr_expect_eq(t_status(k, ib).state, want, "cap %u", cap);
		cr_expect_eq(t_status(k, ib).since, MS(0), "cap %u", cap);
		mos_kernel_destroy(k);
	}
}
