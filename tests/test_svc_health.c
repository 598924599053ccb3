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

static mos_service_instance_t t_inst(mos_kernel_t *k, mos_service_id_t id,
				     uint32_t slot)
{
	mos_service_instance_t in[8];
	size_t n = 0;

	cr_assert_eq(mos_service_instances(k, id, in, 8, &n), 0);
	cr_assert_lt(slot, n);
	return in[slot];
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

__attribute__((unused)) static void t_dump(mos_kernel_t *k, mos_service_id_t id, uint32_t slot)
{
	mos_service_instance_t in = t_inst(k, id, slot);
	fprintf(stderr, "t=%llu slot %u pid %d unready %d rot %d lf %u rf %u rs %u checks %llu\n",
		(unsigned long long)mos_kernel_now(k), slot, in.pid, in.unready, in.in_rotation,
		in.liveness_failures, in.readiness_failures, in.readiness_successes,
		(unsigned long long)in.health_checks);
	for (uint32_t i = 0; i < in.nhistory; i++)
		fprintf(stderr, "  %llu %s %d lat %llu\n", (unsigned long long)in.history[i].time,
			in.history[i].liveness ? "L" : "R", in.history[i].result,
			(unsigned long long)in.history[i].latency);
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
