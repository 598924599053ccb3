/*
 * tests/test_svc_health.c - health checks (src/service/health.c): ping and
 * exec probes, liveness and readiness thresholds, the importance rule,
 * the history ring, at exact virtual times (issue 13, acceptance 2).
 *
 * The test programs find their shared state through a pointer spelled in
 * hex as argv[1] (a service's instances are made by the manager, with no
 * state argument).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ipc/ipc_int.h"
#include "service/service_int.h"
#include "svc_helpers.h"
#include "timeout.h"

TestSuite(svc_health, .timeout = T_TIMEOUT);

/* What the test programs share with the test. */
typedef struct hctl {
	mos_pid_t hang_pid;         /* this instance answers nothing */
	uint32_t answered, dropped; /* pings and requests */
	/* hcaller: */
	mos_pid_t target;
	int rc;
	mos_time_t at;
	/* hnotify: */
	int notify_rc;
	mos_pid_t notify_pid;
} hctl_t;

static hctl_t *ctl_of(char **argv)
{
	return (hctl_t *)(uintptr_t)strtoull(argv[1], NULL, 16);
}

/* Answer every ping and request, but those to ctl->hang_pid. */
static int hpinger_main(mos_proc_t *self, int argc, char **argv)
{
	hctl_t *c = ctl_of(argv);
	mos_msg_t m, r;

	(void)argc;
	memset(&r, 0, sizeof(r));
	for (;;) {
		if (mos_sys_recv(self, &m, MOS_TIME_NEVER) < 0)
			return 1;
		if (c->hang_pid == mos_sys_getpid(self)) {
			c->dropped++;
			continue;
		}
		cr_assert_eq(mos_sys_reply(self, &m, &r), 0);
		c->answered++;
	}
}

/* One call to ctl->target; its result and instant. */
static int hcaller_main(mos_proc_t *self, int argc, char **argv)
{
	hctl_t *c = ctl_of(argv);
	mos_msg_t req, reply;

	(void)argc;
	memset(&req, 0, sizeof(req));
	c->rc = mos__ipc_call(self, c->target, &req, &reply, MOS_TIME_NEVER,
			      0, 0);
	c->at = mos_sys_now(self);
	return 0;
}

/* An exec probe that tries to pass for an instance: exit 0 when
 * notify_ready refuses it as it must. */
static int hnotify_main(mos_proc_t *self, int argc, char **argv)
{
	hctl_t *c = ctl_of(argv);

	(void)argc;
	c->notify_pid = mos_sys_getpid(self);
	c->notify_rc = mos_sys_notify_ready(self);
	return c->notify_rc == MOS_ESVCNOTFOUND ? 0 : 1;
}

static int hok_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_compute(self, MS(2));
	return 0;
}

static int hbad_main(mos_proc_t *self, int argc, char **argv)
{
	(void)self;
	(void)argc;
	(void)argv;
	return 3;
}

static mos_kernel_t *t_hkernel(void)
{
	mos_kernel_t *k = t_kernel(NULL);

	cr_assert_eq(mos_program_register(k, "hpinger", hpinger_main), 0);
	cr_assert_eq(mos_program_register(k, "hcaller", hcaller_main), 0);
	cr_assert_eq(mos_program_register(k, "hnotify", hnotify_main), 0);
	cr_assert_eq(mos_program_register(k, "hok", hok_main), 0);
	cr_assert_eq(mos_program_register(k, "hbad", hbad_main), 0);
	return k;
}

/* argv {prog, "<ctl in hex>", NULL} in buf (lives as long as buf). */
typedef struct hargv {
	char hex[32];
	const char *argv[3];
} hargv_t;

static const char *const *t_hargv(hargv_t *a, const char *prog, hctl_t *c)
{
	snprintf(a->hex, sizeof(a->hex), "%llx",
		 (unsigned long long)(uintptr_t)c);
	a->argv[0] = prog;
	a->argv[1] = a->hex;
	a->argv[2] = NULL;
	return a->argv;
}

static mos_probe_spec_t t_probe(mos_probe_kind_t kind, mos_time_t interval,
				mos_time_t timeout, uint32_t fail,
				uint32_t succ)
{
	return (mos_probe_spec_t){
		.kind = kind,
		.interval = interval,
		.timeout = timeout,
		.failure_threshold = fail,
		.success_threshold = succ,
	};
}

static void t_run(mos_kernel_t *k, mos_time_t until)
{
	cr_assert_eq(mos_kernel_run(k, until), 0);
	cr_assert_eq(mos_kernel_now(k), until);
}

/* The audit entries of op, oldest first, into out (cap 8); their count. */
static size_t t_audit_op(mos_kernel_t *k, mos_audit_op_t op,
			 mos_audit_entry_t *out)
{
	static mos_audit_entry_t all[MOS_SVC_AUDIT_SIZE];
	size_t n = 0, c = 0;

	cr_assert_eq(mos_service_audit(k, all, MOS_SVC_AUDIT_SIZE, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (all[i].op == op && c < 8)
			out[c++] = all[i];
	return c;
}

/*
 * Acceptance 2.  Three instances of hpinger; readiness ping every 1 s
 * (timeout 100 ms, 3 failures, 2 successes), liveness ping every 1 s
 * (timeout 100 ms, 5 failures); critical, so exactly on the interval.
 * Probes at 0, 1 s, 2 s ...; each instance is unready until its second
 * passing readiness probe (at 1 s).  Slot 1 stops answering at 2.5 s:
 * its probes at 3, 4, 5 s fail at 3.1, 4.1, 5.1 s, so it goes unready
 * at exactly 5.1 s = (last success at 2 s) + timeout + 3 x interval, and
 * a call in flight to it fails with MOS_EPEERDIED at that instant; the
 * liveness probe's fifth failure at 7.1 s kills it (reason health); the
 * restart's back-off (100 ms) makes it again at 7.2 s; its readiness
 * probes at 7.2 and 8.2 s pass: back in rotation at 8.2 s.  It is out of
 * rotation all along from 5.1 s to 8.2 s.
 */
Test(svc_health, unanswered_pings_unready_restart_back)
{
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0}, call = {0};
	hargv_t a, ac;
	mos_service_descriptor_t d = t_desc("web", t_hargv(&a, "hpinger", &c));
	mos_service_id_t id;
	mos_pid_t old, pid;
	uint64_t checks;
	mos_service_status_t st;
	mos_audit_entry_t au[8];

	d.instances = 3;
	d.restart.policy = MOS_RESTART_ON_FAILURE;
	d.importance = MOS_IMP_CRITICAL;
	d.readiness_probe = t_probe(MOS_PROBE_PING, MOS_SEC, MS(100), 3, 2);
	d.liveness_probe = t_probe(MOS_PROBE_PING, MOS_SEC, MS(100), 5, 1);
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, 1);
	for (uint32_t i = 0; i < 3; i++) {
		cr_expect(t_inst(k, id, i).unready, "slot %u", i);
		cr_expect(!t_inst(k, id, i).in_rotation, "slot %u", i);
	}
	cr_expect_eq(t_status(k, id).unhealthy, 3);
	t_run(k, MOS_SEC);
	for (uint32_t i = 0; i < 3; i++)
		cr_expect(!t_inst(k, id, i).in_rotation, "slot %u", i);
	t_run(k, MOS_SEC + 1);
	for (uint32_t i = 0; i < 3; i++)
		cr_expect(t_inst(k, id, i).in_rotation, "slot %u", i);
	st = t_status(k, id);
	cr_expect_eq(st.unhealthy, 0);
	cr_expect_eq(st.in_rotation, 3);

	t_run(k, MS(2500));
	old = c.hang_pid = t_inst(k, id, 1).pid;
	{
		mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL,
					       t_hargv(&ac, "hcaller", &call),
					       NULL);

		call.target = old;
		call.rc = 1;
		(void)t_make(k, &sp);
	}
	t_run(k, MS(5100));
	cr_expect(!t_inst(k, id, 1).unready);
	cr_expect(t_inst(k, id, 1).in_rotation);
	cr_expect_eq(t_inst(k, id, 1).readiness_failures, 2);
	cr_expect_eq(call.rc, 1, "the call still waits");
	t_run(k, MS(5100) + 1);
	cr_expect(t_inst(k, id, 1).unready);
	cr_expect(!t_inst(k, id, 1).in_rotation);
	cr_expect_eq(t_inst(k, id, 1).readiness_failures, 3);
	cr_expect_eq(t_inst(k, id, 1).liveness_failures, 3);
	cr_expect_eq(call.rc, MOS_EPEERDIED);
	cr_expect_eq(call.at, MS(5100));
	st = t_status(k, id);
	cr_expect_eq(st.unhealthy, 1);
	cr_expect_eq(st.in_rotation, 2);
	cr_expect_eq(st.health_error, MOS_EHEALTH);
	cr_expect_eq(t_audit_op(k, MOS_AUDIT_HEALTH, au), 1);
	cr_expect_eq(au[0].time, MS(5100));
	cr_expect_eq(au[0].result, MOS_EHEALTH);
	cr_expect_eq(au[0].reason, MOS_SVC_R_HEALTH);
	cr_expect_eq(au[0].service, id);

	/* Liveness: still alive just before 7.1 s, killed at 7.1 s. */
	t_run(k, MS(7100));
	cr_expect_eq(t_inst(k, id, 1).pid, old);
	cr_expect(!t_inst(k, id, 1).in_rotation);
	checks = t_inst(k, id, 1).health_checks;
	t_run(k, MS(7100) + 1);
	cr_expect_eq(t_inst(k, id, 1).pid, 0);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_STARTING);
	cr_expect_eq(st.reason, MOS_SVC_R_HEALTH);
	cr_expect_eq(st.next_restart, MS(7200));
	cr_expect_eq(t_audit_op(k, MOS_AUDIT_HEALTH, au), 2);
	cr_expect_eq(au[1].time, MS(7100));
	cr_expect_eq(au[1].reason, MOS_SVC_R_HEALTH);

	t_run(k, MS(7200));
	cr_expect_eq(t_inst(k, id, 1).pid, 0);
	t_run(k, MS(7200) + 1);
	pid = t_inst(k, id, 1).pid;
	cr_expect_neq(pid, 0);
	cr_expect_neq(pid, old);
	cr_expect(t_inst(k, id, 1).unready, "fresh: unready until it passes");
	cr_expect_eq(t_inst(k, id, 1).liveness_failures, 0);
	cr_expect_eq(t_inst(k, id, 1).readiness_failures, 0);
	/* the slot's lifetime counts and history outlive the instance */
	cr_expect_gt(t_inst(k, id, 1).health_checks, checks);
	cr_expect_eq(t_inst(k, id, 1).nhistory, MOS_SVC_HEALTH_HISTORY);
	cr_expect_eq(t_status(k, id).restarts, 1);
	/* one pass (7.2 s) is not enough; the second (8.2 s) is */
	t_run(k, MS(8200));
	cr_expect(t_inst(k, id, 1).unready);
	cr_expect(!t_inst(k, id, 1).in_rotation);
	cr_expect_eq(t_inst(k, id, 1).readiness_successes, 1);
	t_run(k, MS(8200) + 1);
	cr_expect(!t_inst(k, id, 1).unready);
	cr_expect(t_inst(k, id, 1).in_rotation);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_RUNNING);
	cr_expect_eq(st.in_rotation, 3);
	cr_expect_eq(st.unhealthy, 0);
	/* the other slots never failed */
	cr_expect_eq(t_inst(k, id, 0).health_failures, 0);
	cr_expect_eq(t_inst(k, id, 2).health_failures, 0);
	cr_expect_eq(st.health_failures, t_inst(k, id, 1).health_failures);
	mos_kernel_destroy(k);
}

/* Whether pid is in the process table. */
static bool t_alive(mos_kernel_t *k, mos_pid_t pid)
{
	mos_pid_t pids[64];
	size_t n = 0;

	cr_assert_eq(mos_process_list(k, pids, 64, &n), 0);
	for (size_t i = 0; i < n && i < 64; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

static mos_service_id_t t_reg_probe(mos_kernel_t *k, const char *name,
				    const char *const *cmd,
				    mos_importance_t imp, bool liveness,
				    mos_probe_spec_t p)
{
	mos_service_descriptor_t d = t_desc(name, cmd);

	d.importance = imp;
	if (liveness)
		d.liveness_probe = p;
	else
		d.readiness_probe = p;
	return t_reg(k, &d);
}

/* The history of slot 0 of id holds n records, at first, first + step...
 * with result 0. */
static void t_expect_times(mos_kernel_t *k, mos_service_id_t id, uint32_t n,
			   mos_time_t first, mos_time_t step)
{
	mos_service_instance_t in = t_inst(k, id, 0);

	cr_assert_eq(in.nhistory, n);
	for (uint32_t i = 0; i < n; i++) {
		cr_expect_eq(in.history[i].time, first + step * i, "%u", i);
		cr_expect_eq(in.history[i].result, 0, "%u", i);
	}
}

/* Register and start NAME running hpinger (ctl c, argv in a) with a
 * liveness probe p at importance imp. */
static mos_service_id_t t_pinger(mos_kernel_t *k, const char *name,
				 hctl_t *c, hargv_t *a, mos_importance_t imp,
				 mos_probe_spec_t p)
{
	mos_service_id_t id = t_reg_probe(k, name, t_hargv(a, "hpinger", c),
					  imp, true, p);

	cr_assert_eq(mos_service_start(k, 0, id), 0);
	return id;
}

static const char *const t_hok[] = {"hok", NULL};
static const char *const t_hbad[] = {"hbad", NULL};
static const char *const t_hsleep[] = {"sleep", "5s", NULL};

/* An exec probe that exits 0 after 2 ms of CPU passes at 2 ms (its
 * latency); its instance is ready from then on. */
Test(svc_health, exec_probe_healthy)
{
	mos_kernel_t *k = t_hkernel();
	mos_probe_spec_t p = t_probe(MOS_PROBE_EXEC, MOS_SEC, MS(500), 1, 1);
	mos_service_id_t id;
	mos_service_instance_t in;

	p.command = t_hok;
	id = t_reg_probe(k, "ok", t_idle_cmd, MOS_IMP_CRITICAL, false, p);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, MS(2) - 1);
	cr_expect(t_inst(k, id, 0).unready);
	t_run(k, MS(2) + 1);
	in = t_inst(k, id, 0);
	cr_expect(!in.unready);
	cr_expect(in.in_rotation);
	cr_assert_eq(in.nhistory, 1);
	cr_expect_eq(in.history[0].time, MS(2));
	cr_expect_eq(in.history[0].result, 0);
	cr_expect_eq(in.history[0].latency, MS(2));
	cr_expect(!in.history[0].liveness);
	t_run(k, MS(3003));
	t_expect_times(k, id, 4, MS(2), MOS_SEC);
	in = t_inst(k, id, 0);
	cr_expect_eq(in.health_checks, 4);
	cr_expect_eq(in.health_failures, 0);
	cr_expect_eq(t_status(k, id).health_error, 0);
	mos_kernel_destroy(k);
}

/* A liveness exec probe exiting non-zero: MOS_EHEALTH at 0 and 1 s; the
 * second failure (threshold 2) kills the instance; under restart policy
 * no the service is Failed, reason health, error MOS_EHEALTH. */
Test(svc_health, exec_probe_unhealthy_fails_service)
{
	mos_kernel_t *k = t_hkernel();
	mos_probe_spec_t p = t_probe(MOS_PROBE_EXEC, MOS_SEC, MS(500), 2, 1);
	mos_service_id_t id;
	mos_service_instance_t in;
	mos_service_status_t st;
	mos_audit_entry_t au[8];

	p.command = t_hbad;
	id = t_reg_probe(k, "bad", t_idle_cmd, MOS_IMP_CRITICAL, true, p);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, 1);
	in = t_inst(k, id, 0);
	cr_assert_eq(in.nhistory, 1);
	cr_expect_eq(in.history[0].time, 0);
	cr_expect_eq(in.history[0].result, MOS_EHEALTH);
	cr_expect(in.history[0].liveness);
	cr_expect_eq(in.liveness_failures, 1);
	cr_expect(!in.unready, "no readiness probe: in rotation");
	cr_expect_eq(t_status(k, id).state, MOS_SVC_RUNNING);
	t_run(k, MOS_SEC);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_RUNNING);
	t_run(k, MOS_SEC + 1);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_FAILED);
	cr_expect_eq(st.reason, MOS_SVC_R_HEALTH);
	cr_expect_eq(st.error, MOS_EHEALTH);
	cr_expect_eq(st.since, MOS_SEC);
	cr_expect_eq(st.health_error, MOS_EHEALTH);
	cr_expect_eq(st.health_failures, 2);
	cr_expect_eq(st.ninstances, 0);
	cr_expect_eq(t_audit_op(k, MOS_AUDIT_HEALTH, au), 1);
	cr_expect_eq(au[0].time, MOS_SEC);
	/* Failed: no more probes */
	t_run(k, 5 * MOS_SEC);
	cr_expect_eq(t_inst(k, id, 0).health_checks, 2);
	mos_kernel_destroy(k);
}

/* An exec probe that outlives its timeout (300 ms) fails MOS_ETIMEDOUT
 * and its process is SIGKILLed at that instant; the third such failure
 * (2.3 s) kills the instance. */
Test(svc_health, exec_probe_timeout_killed)
{
	mos_kernel_t *k = t_hkernel();
	mos_probe_spec_t p = t_probe(MOS_PROBE_EXEC, MOS_SEC, MS(300), 3, 1);
	mos_service_id_t id;
	mos_service_instance_t in;
	mos_pid_t inst, probe;

	p.command = t_hsleep;
	id = t_reg_probe(k, "slow", t_idle_cmd, MOS_IMP_CRITICAL, true, p);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, MS(300));
	inst = t_inst(k, id, 0).pid;
	probe = inst + 1;
	cr_expect(t_alive(k, probe), "the probe sleeps");
	cr_expect_eq(t_inst(k, id, 0).nhistory, 0);
	t_run(k, MS(300) + 1);
	cr_expect(!t_alive(k, probe), "killed at its timeout");
	in = t_inst(k, id, 0);
	cr_assert_eq(in.nhistory, 1);
	cr_expect_eq(in.history[0].time, MS(300));
	cr_expect_eq(in.history[0].result, MOS_ETIMEDOUT);
	cr_expect_eq(in.history[0].latency, MS(300));
	t_run(k, MS(2300));
	cr_expect_eq(t_inst(k, id, 0).pid, inst);
	cr_expect_eq(t_inst(k, id, 0).liveness_failures, 2);
	t_run(k, MS(2300) + 1);
	cr_expect_eq(t_inst(k, id, 0).pid, 0);
	cr_expect(!t_alive(k, inst));
	cr_expect_eq(t_status(k, id).state, MOS_SVC_FAILED);
	mos_kernel_destroy(k);
}

/* The history keeps the last 16 records, oldest first: 21 probes at
 * 0, 100 ms ... 2 s leave those from 500 ms. */
Test(svc_health, history_ring_wraps)
{
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0};
	hargv_t a;
	mos_service_id_t id;
	mos_service_instance_t in;

	id = t_pinger(k, "h", &c, &a, MOS_IMP_CRITICAL,
		      t_probe(MOS_PROBE_PING, MS(100), MS(10), 3, 1));
	t_run(k, MS(1500) + 1);
	t_expect_times(k, id, 16, 0, MS(100));
	t_run(k, 2 * MOS_SEC + 1);
	t_expect_times(k, id, 16, MS(500), MS(100));
	in = t_inst(k, id, 0);
	cr_expect_eq(in.health_checks, 21);
	for (uint32_t i = 0; i < 16; i++)
		cr_expect(in.history[i].liveness);
	cr_expect_eq(c.answered, 21);
	mos_kernel_destroy(k);
}

/*
 * The importance rule.  Four services started at T0 = 1.234567 ms, each
 * with a ping probe (initial delay 3 ms, interval 250 ms): nominal
 * instants T0 + 3 ms + n x 250 ms = 4.234567, 254.234567, 504.234567 ms.
 * Critical keeps them; high rounds up to 1 ms (5, 255, 505 ms), normal
 * to 10 ms (10, 260, 510 ms), low to 100 ms (100, 300, 600 ms).
 */
Test(svc_health, importance_instants)
{
	static const mos_time_t want[MOS_IMP_COUNT][3] = {
		{4234567, 254234567, 504234567},
		{MS(5), MS(255), MS(505)},
		{MS(10), MS(260), MS(510)},
		{MS(100), MS(300), MS(600)},
	};
	static const char *const names[MOS_IMP_COUNT] = {"c", "h", "n", "l"};
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0};
	hargv_t a;
	mos_service_id_t id[MOS_IMP_COUNT];
	mos_probe_spec_t p = t_probe(MOS_PROBE_PING, MS(250), MS(10), 3, 1);

	p.initial_delay = MS(3);
	for (int i = 0; i < MOS_IMP_COUNT; i++)
		id[i] = t_reg_probe(k, names[i], t_hargv(&a, "hpinger", &c),
				    (mos_importance_t)i, true, p);
	t_run(k, 1234567);
	for (int i = 0; i < MOS_IMP_COUNT; i++)
		cr_assert_eq(mos_service_start(k, 0, id[i]), 0);
	t_run(k, MS(700));
	for (int i = 0; i < MOS_IMP_COUNT; i++) {
		mos_service_instance_t in = t_inst(k, id[i], 0);

		cr_assert_eq(in.nhistory, 3, "%s", names[i]);
		for (int j = 0; j < 3; j++) {
			cr_expect_eq(in.history[j].time, want[i][j], "%s %d",
				     names[i], j);
			cr_expect_eq(in.history[j].result, 0);
		}
	}
	mos_kernel_destroy(k);
}

/* Probes run on background timers: a run to MOS_TIME_NEVER with nothing
 * but them (the instance blocked in recv) ends. */
Test(svc_health, probes_never_keep_a_run_alive)
{
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0};
	hargv_t a;
	mos_service_id_t id;

	id = t_pinger(k, "bg", &c, &a, MOS_IMP_CRITICAL,
		      t_probe(MOS_PROBE_PING, MOS_SEC, MS(10), 3, 1));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_lt(mos_kernel_now(k), MOS_SEC);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_RUNNING);
	mos_kernel_destroy(k);
}

/* A stop kills the exec probe in flight at that instant, and no probe
 * runs after. */
Test(svc_health, stop_kills_exec_probe)
{
	mos_kernel_t *k = t_hkernel();
	mos_probe_spec_t p = t_probe(MOS_PROBE_EXEC, 3 * MOS_SEC, 2 * MOS_SEC,
				     3, 1);
	mos_service_id_t id;
	mos_pid_t probe;

	p.command = t_hsleep;
	id = t_reg_probe(k, "st", t_idle_cmd, MOS_IMP_CRITICAL, true, p);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, MS(100));
	probe = t_inst(k, id, 0).pid + 1;
	cr_expect(t_alive(k, probe));
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_expect(!t_alive(k, probe), "killed by the stop");
	t_run(k, 10 * MOS_SEC);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STOPPED);
	cr_expect_eq(t_inst(k, id, 0).health_checks, 0);
	mos_kernel_destroy(k);
}

/* A probe process is no instance: notify_ready refuses it
 * (MOS_ESVCNOTFOUND) and the manager's pid lookup, which the allow lists
 * use, does not see it. */
static int hwho_main(mos_proc_t *self, int argc, char **argv)
{
	hctl_t *c = ctl_of(argv);
	mos_svc_mgr_t *m = mos__svc_mgr_peek(mos__proc_kernel(self));

	(void)argc;
	c->notify_pid = mos_sys_getpid(self);
	c->notify_rc = mos_sys_notify_ready(self);
	c->rc = mos__svc_of_pid(m, c->notify_pid) == NULL;
	return hnotify_main(self, argc, argv);
}

Test(svc_health, probe_process_is_no_instance)
{
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0};
	hargv_t a;
	mos_probe_spec_t p = t_probe(MOS_PROBE_EXEC, MOS_SEC, MS(100), 1, 1);
	mos_service_descriptor_t d;
	mos_service_id_t id;
	mos_service_instance_t in;

	cr_assert_eq(mos_program_register(k, "hwho", hwho_main), 0);
	p.command = t_hargv(&a, "hwho", &c);
	d = t_desc("notify", t_idle_cmd);
	d.readiness = MOS_READY_NOTIFY;
	d.readiness_probe = p;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, MS(1));
	cr_expect_eq(c.notify_rc, MOS_ESVCNOTFOUND);
	cr_expect_gt(c.notify_pid, t_inst(k, id, 0).pid);
	cr_expect_eq(c.rc, 1, "mos__svc_of_pid saw an instance");
	in = t_inst(k, id, 0);
	cr_assert_eq(in.nhistory, 1);
	cr_expect_eq(in.history[0].result, 0, "hnotify: refused, as it must be");
	cr_expect(!in.ready, "the instance itself never notified");
	cr_expect_eq(t_status(k, id).state, MOS_SVC_STARTING);
	mos_kernel_destroy(k);
}

/* A mailbox that is never read: the first ping waits in it and times out
 * (MOS_ETIMEDOUT at 10 ms); the next finds it full (capacity 1): MOS_EAGAIN
 * at once, latency 0. */
Test(svc_health, ping_mailbox_full)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_service_id_t id;
	mos_service_instance_t in;

	mos_config_default(&cfg);
	cfg.ipc.mailbox_capacity = 1;
	k = t_kernel(&cfg);
	id = t_reg_probe(k, "deaf", t_idle_cmd, MOS_IMP_CRITICAL, false,
			 t_probe(MOS_PROBE_PING, MS(100), MS(10), 3, 1));
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, MS(200) + 1);
	in = t_inst(k, id, 0);
	cr_assert_eq(in.nhistory, 3);
	cr_expect_eq(in.history[0].time, MS(10));
	cr_expect_eq(in.history[0].result, MOS_ETIMEDOUT);
	cr_expect_eq(in.history[0].latency, MS(10));
	cr_expect_eq(in.history[1].time, MS(100));
	cr_expect_eq(in.history[1].result, MOS_EAGAIN);
	cr_expect_eq(in.history[1].latency, 0);
	cr_expect_eq(in.history[2].time, MS(200));
	cr_expect_eq(in.history[2].result, MOS_EAGAIN);
	cr_expect_eq(in.readiness_failures, 3);
	cr_expect(in.unready);
	mos_kernel_destroy(k);
}

/* Paused: no probes (the ping due at 1 s is not sent); resumed at 2.5 s:
 * they start again initial_delay (0) later, then every interval. */
Test(svc_health, pause_stops_probes_resume_restarts)
{
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0};
	hargv_t a;
	mos_service_id_t id;
	mos_service_instance_t in;

	id = t_pinger(k, "p", &c, &a, MOS_IMP_CRITICAL,
		      t_probe(MOS_PROBE_PING, MOS_SEC, MS(10), 3, 1));
	t_run(k, MS(500));
	cr_assert_eq(mos_service_pause(k, 0, id), 0);
	t_run(k, MS(2500));
	cr_expect_eq(t_inst(k, id, 0).health_checks, 1);
	cr_assert_eq(mos_service_resume(k, 0, id), 0);
	t_run(k, MS(3500) + 1);
	in = t_inst(k, id, 0);
	cr_assert_eq(in.nhistory, 3);
	cr_expect_eq(in.history[0].time, 0);
	cr_expect_eq(in.history[1].time, MS(2500));
	cr_expect_eq(in.history[2].time, MS(3500));
	cr_expect_eq(in.history[2].result, 0);
	mos_kernel_destroy(k);
}

/* Low importance with an interval (30 ms) shorter than its quantum
 * (100 ms): one probe per quantum instant, never two at one instant. */
Test(svc_health, rounded_interval_below_quantum)
{
	mos_kernel_t *k = t_hkernel();
	hctl_t c = {0};
	hargv_t a;
	mos_service_id_t id;

	id = t_pinger(k, "lo", &c, &a, MOS_IMP_LOW,
		      t_probe(MOS_PROBE_PING, MS(30), MS(5), 3, 1));
	t_run(k, MS(300) + 1);
	t_expect_times(k, id, 4, 0, MS(100));
	mos_kernel_destroy(k);
}

/* High importance (1 ms quantum), interval and timeout 1.5 ms, an
 * instance that never reads its mailbox: pings at 0 and 2 ms time out at
 * 1.5 and 3.5 ms; the one due at 3 ms (nominal 3 ms) finds the 2 ms one
 * in flight and is skipped; the next runs at 5 ms (nominal 4.5 ms). */
Test(svc_health, probe_due_in_flight_is_skipped)
{
	mos_kernel_t *k = t_hkernel();
	mos_service_id_t id;
	mos_service_instance_t in;
	static const mos_time_t want[3] = {1500000, 3500000, 6500000};

	id = t_reg_probe(k, "hi", t_idle_cmd, MOS_IMP_HIGH, true,
			 t_probe(MOS_PROBE_PING, 1500000, 1500000, 10, 1));
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	t_run(k, MS(7));
	in = t_inst(k, id, 0);
	cr_assert_eq(in.nhistory, 3);
	for (uint32_t i = 0; i < 3; i++) {
		cr_expect_eq(in.history[i].time, want[i], "%u", i);
		cr_expect_eq(in.history[i].result, MOS_ETIMEDOUT);
		cr_expect_eq(in.history[i].latency, 1500000);
	}
	mos_kernel_destroy(k);
}
