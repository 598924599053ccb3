/*
 * tests/test_svc_failover.c - health checks and the request path
 * together (issue 13, acceptance 2 and 3 end to end): `client`s keep
 * calling a 3-instance service while one instance hangs; its readiness
 * probe takes it out of rotation, which fails the calls it holds at that
 * instant (or retries them), its liveness probe has it killed and
 * restarted, and it gets traffic again only once its readiness passes.
 * Every call is counted from the trace: none lost, none answered twice,
 * none routed to the instance while it is out.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "multios/service.h"
#include "svc_helpers.h"
#include "timeout.h"

TestSuite(svc_failover, .timeout = T_TIMEOUT);

#define NCLIENTS 4
#define NCALLS 160  /* each: 20 a second from 1.5 s, so to about 9.5 s */

/* The instance with this pid answers nothing from `at` on. */
typedef struct fo_ctl {
	mos_pid_t hang_pid;
} fo_ctl_t;

/* Answer every request after 1 ms (a sleep: the instances do not share
 * the CPU's time) and every ping at once, unless this is the hung one. */
static int fo_server_main(mos_proc_t *self, int argc, char **argv)
{
	fo_ctl_t *c = (fo_ctl_t *)(uintptr_t)strtoull(argv[1], NULL, 16);
	mos_msg_t m, r;

	(void)argc;
	memset(&r, 0, sizeof(r));
	for (;;) {
		if (mos_sys_recv(self, &m, MOS_TIME_NEVER) < 0)
			return 1;
		if (c->hang_pid == mos_sys_getpid(self))
			continue;
		if (m.type == MOS_MSG_REQUEST)
			mos_sys_sleep(self, MS(1));
		r.key = m.key;
		if (mos_sys_reply(self, &m, &r) < 0)
			return 1;
	}
}

static mos_probe_spec_t fo_probe(uint32_t failures, uint32_t successes)
{
	return (mos_probe_spec_t){.kind = MOS_PROBE_PING,
				  .interval = MOS_SEC,
				  .timeout = MS(100),
				  .failure_threshold = failures,
				  .success_threshold = successes};
}

/* One call as the trace tells it. */
typedef struct fo_call {
	mos_pid_t client, instance;
	int result;          /* 0 or MOS_E* */
	bool retried;
	mos_time_t start, end;
} fo_call_t;

typedef struct fo_run {
	mos_kernel_t *k;
	mos_service_id_t id;
	mos_pid_t clients[NCLIENTS];
	mos_pid_t old, fresh;   /* slot 1 before and after its restart */
	fo_call_t *calls;
	size_t ncalls;
	uint32_t peeks, peeks_at_slot1;
	fo_ctl_t ctl;           /* the instances' (argv[1] points to it) */
} fo_run_t;

static void fo_collect(fo_run_t *r)
{
	size_t n = 0;
	mos_trace_event_t ev;

	cr_assert_eq(mos_trace_get(r->k, 0, NULL, &n), 0);
	cr_assert_eq(mos_trace_total(r->k), n, "the ring holds it all");
	r->calls = calloc(n ? n : 1, sizeof(*r->calls));
	cr_assert_not_null(r->calls);
	for (size_t i = 0; i < n; i++) {
		fo_call_t *c = &r->calls[r->ncalls];

		cr_assert_eq(mos_trace_get(r->k, i, &ev, NULL), 0);
		if (ev.kind != MOS_TRACE_CALL)
			continue;
		c->client = ev.subject;
		c->result = -(int)(ev.cause & ~MOS_TRACE_CALL_RETRIED);
		c->retried = ev.cause & MOS_TRACE_CALL_RETRIED;
		cr_assert_eq(ev.a >> 32, r->id);
		c->instance = (mos_pid_t)(uint32_t)ev.a;
		c->end = ev.time;
		c->start = ev.time - ev.b;
		r->ncalls++;
	}
}

/*
 * The world: instances answer from the start; readiness (1 s, 100 ms,
 * 3 failures, 2 successes) brings them into rotation at 1 s; slot 1
 * hangs from 2.5 s: its probes at 3, 4 and 5 s time out, so it is out at
 * 5.1 s; liveness (5 failures) has it killed at 7.1 s, restarted 100 ms
 * later (7.2 s), and its readiness passes at 7.2 and 8.2 s: back at
 * 8.2 s.  The clients start at 1.5 s; get_instance is asked every 50 ms
 * while slot 1 is out.
 */
static void fo_run(fo_run_t *r, bool retry)
{
	mos_config_t cfg;
	mos_service_descriptor_t d;
	mos_service_instance_t in[3];
	size_t n;
	char hex[32];

	memset(r, 0, sizeof(*r));
	mos_config_default(&cfg);
	cfg.trace_capacity = 1 << 18;
	r->k = t_kernel(&cfg);
	cr_assert_eq(mos_program_register(r->k, "fo_server", fo_server_main),
		     0);
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)(uintptr_t)&r->ctl);
	d = t_desc("web", T_ARGV("fo_server", hex));
	d.instances = 3;
	d.importance = MOS_IMP_CRITICAL;
	d.retry = retry;
	d.restart.policy = MOS_RESTART_ON_FAILURE;
	d.restart.delay = MS(100);
	d.readiness_probe = fo_probe(3, 2);
	d.liveness_probe = fo_probe(5, 1);
	r->id = t_reg(r->k, &d);
	cr_assert_eq(mos_service_start(r->k, 0, r->id), 0);
	for (int i = 0; i < NCLIENTS; i++) {
		mos_process_spec_t sp = t_spec(
			0, MOS_PRIO_NORMAL,
			T_ARGV("client", "web", "20", "160"), NULL);

		sp.start_time = MS(1500);
		r->clients[i] = t_make(r->k, &sp);
	}
	cr_assert_eq(mos_kernel_run(r->k, MS(2500)), 0);
	cr_assert_eq(mos_service_instances(r->k, r->id, in, 3, &n), 0);
	r->old = r->ctl.hang_pid = in[1].pid;
	cr_assert_eq(mos_kernel_run(r->k, MS(5100) + 1), 0);
	for (mos_time_t t = MS(5100) + 1; t < MS(8200); t += MS(50)) {
		mos_pid_t pid;

		cr_assert_eq(mos_kernel_run(r->k, t), 0);
		cr_assert_eq(mos_service_get_instance(r->k, "web", &pid), 0);
		r->peeks++;
		cr_assert_eq(mos_service_instances(r->k, r->id, in, 3, &n), 0);
		if (pid == r->old || (in[1].pid && pid == in[1].pid))
			r->peeks_at_slot1++;
	}
	cr_assert_eq(mos_kernel_run(r->k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_service_instances(r->k, r->id, in, 3, &n), 0);
	r->fresh = in[1].pid;
	cr_assert_neq(r->fresh, 0);
	cr_assert_neq(r->fresh, r->old);
	fo_collect(r);
}

static void fo_done(fo_run_t *r)
{
	free(r->calls);
	mos_kernel_destroy(r->k);
}

/* What every run shows, retry or not. */
static void fo_common(const fo_run_t *r, uint32_t *failed, uint32_t *retried)
{
	uint32_t per[NCLIENTS] = {0}, after = 0;

	*failed = *retried = 0;
	cr_expect_eq(r->peeks, 62);
	cr_expect_eq(r->peeks_at_slot1, 0, "get_instance picked slot 1 "
		     "while it was out of rotation");
	for (size_t i = 0; i < r->ncalls; i++) {
		const fo_call_t *c = &r->calls[i];
		int who = -1;

		for (int j = 0; j < NCLIENTS; j++)
			if (r->clients[j] == c->client)
				who = j;
		cr_assert_geq(who, 0, "a call from a client");
		per[who]++;
		if (c->result) {
			(*failed)++;
			/* it failed at the instant slot 1 went out */
			cr_expect_eq(c->result, MOS_EPEERDIED);
			cr_expect_eq(c->end, MS(5100));
			cr_expect_eq(c->instance, r->old);
			cr_expect_geq(c->start, MS(2500));
		}
		if (c->retried) {
			(*retried)++;
			cr_expect_eq(c->end >= MS(5100), true);
			cr_expect_neq(c->instance, r->old);
		}
		/* nothing routed to slot 1 while it was out */
		if (c->instance == r->old)
			cr_expect_leq(c->start, MS(5100), "call at %llu",
				      (unsigned long long)c->start);
		if (c->instance == r->fresh) {
			cr_expect_geq(c->start, MS(8200), "call at %llu",
				      (unsigned long long)c->start);
			after++;
		}
	}
	/* none lost, none answered twice: one outcome per request */
	for (int j = 0; j < NCLIENTS; j++)
		cr_expect_eq(per[j], NCALLS, "client %d: %u calls", j, per[j]);
	cr_expect_gt(after, 0, "slot 1 gets traffic again after 8.2 s");
}

/* Without retry the calls slot 1 held fail with the peer-died error at
 * 5.1 s, exactly when it goes out; the clients exit 1. */
Test(svc_failover, unready_instance_fails_its_calls_and_gets_none)
{
	fo_run_t r;
	uint32_t failed, retried;

	fo_run(&r, false);
	fo_common(&r, &failed, &retried);
	cr_expect_gt(failed, 0);
	cr_expect_eq(retried, 0);
	fo_done(&r);
}

/* With retry the same calls are answered by another instance: none
 * fails, each retried exactly once, and the clients exit 0. */
Test(svc_failover, unready_instance_with_retry_fails_none)
{
	fo_run_t r;
	uint32_t failed, retried;

	fo_run(&r, true);
	fo_common(&r, &failed, &retried);
	cr_expect_eq(failed, 0);
	cr_expect_gt(retried, 0);
	for (int j = 0; j < NCLIENTS; j++)
		cr_expect_eq(MOS_WEXITSTATUS(t_info(r.k, r.clients[j])
						     .exit_status), 0);
	fo_done(&r);
}
