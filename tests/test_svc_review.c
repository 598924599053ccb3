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
 * service goes Starting, then Running once the new instance is up, but
 * the other instance is still SIGSTOP'ed: "Running" with a stopped
 * instance (and resume now answers MOS_ESVCNOTRUNNING).
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
	if (st.state == MOS_SVC_RUNNING)
		cr_expect_neq(t_info(k, p1).state, MOS_STATE_SUSPENDED,
			      "Running, but instance %d is still SIGSTOP'ed", p1);
	else
		cr_expect_eq(st.state, MOS_SVC_PAUSED);
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
