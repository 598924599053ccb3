/*
 * tests/test_svc_call.c - the request path (src/service/call.c, rt.c):
 * mos_sys_call through every balancing strategy, failover, the allow
 * list, encryption's costs, LoadBalancerServices, get_instance, and the
 * `server` and `client` programs, at exact virtual times and in exact
 * orders.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "multios/service.h"
#include "svc_helpers.h"
#include "timeout.h"

TestSuite(svc_call, .timeout = T_TIMEOUT);

#define T_CALLS 16
#define US(x) ((mos_time_t)(x) * MOS_USEC)

/* A C client: from start, n calls one after the other to svc. */
typedef struct t_caller {
	const char *svc;
	int n;
	uint64_t keys[T_CALLS];   /* 0: the call's number, 1 .. n */
	mos_time_t timeout;       /* 0: MOS_TIME_NEVER */
	mos_priority_t prio;      /* 0: MOS_PRIO_NORMAL */
	int rc[T_CALLS];
	mos_pid_t from[T_CALLS];  /* the reply's sender */
	uint64_t echo[T_CALLS];   /* the reply's key */
	mos_time_t at[T_CALLS];   /* when the call returned */
} t_caller_t;

static int caller_main(mos_proc_t *self, int argc, char **argv)
{
	t_caller_t *c = mos_sys_state(self);

	(void)argc, (void)argv;
	for (int i = 0; i < c->n; i++) {
		mos_msg_t req, reply;

		memset(&req, 0, sizeof(req));
		memset(&reply, 0, sizeof(reply));
		req.key = c->keys[i] ? c->keys[i] : (uint64_t)i + 1;
		c->rc[i] = mos_sys_call(self, c->svc, &req, &reply,
					c->timeout ? c->timeout
						   : MOS_TIME_NEVER);
		c->from[i] = reply.sender;
		c->echo[i] = reply.key;
		c->at[i] = mos_sys_now(self);
	}
	return 0;
}

/* An instance that takes key ms for each request, sleeping (a wait on
 * something else, not CPU: instances on the one CPU do not slow each
 * other down, so the model stays exact). */
static int keyed_main(mos_proc_t *self, int argc, char **argv)
{
	mos_msg_t m, r;

	(void)argc, (void)argv;
	for (;;) {
		if (mos_sys_recv(self, &m, MOS_TIME_NEVER) < 0)
			return 1;
		mos_sys_sleep(self, MS(m.key));
		memset(&r, 0, sizeof(r));
		mos_sys_reply(self, &m, &r);
	}
}

static mos_kernel_t *t_world(void)
{
	mos_config_t c;
	mos_kernel_t *k;

	mos_config_default(&c);
	c.trace_capacity = 1 << 16;
	k = t_kernel(&c);
	cr_assert_eq(mos_program_register(k, "caller", caller_main), 0);
	cr_assert_eq(mos_program_register(k, "keyed", keyed_main), 0);
	return k;
}

/* Register and start a service of n instances running command. */
static mos_service_id_t t_up(mos_kernel_t *k, mos_service_descriptor_t *d)
{
	mos_service_id_t id = t_reg(k, d);

	cr_assert_eq(mos_service_start(k, 0, id), 0);
	return id;
}

static mos_pid_t t_caller(mos_kernel_t *k, t_caller_t *c, mos_time_t start,
			  mos_uid_t uid)
{
	mos_process_spec_t sp = t_spec(0, c->prio ? c->prio : MOS_PRIO_NORMAL,
				       T_ARGV("caller"), c);

	sp.start_time = start;
	if (uid) {
		sp.uid = uid;
		sp.caps = 0;
	}
	return t_make(k, &sp);
}

static mos_pid_t t_pid(mos_kernel_t *k, mos_service_id_t id, uint32_t slot)
{
	return t_inst(k, id, slot).pid;
}

/* The slot of each reply's sender, as "0 1 2 ...". */
static const char *t_slots(mos_kernel_t *k, mos_service_id_t id,
			   const t_caller_t *c, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->n; i++) {
		int slot = -1;

		for (uint32_t s = 0; s < 3; s++)
			if (c->from[i] && c->from[i] == t_pid(k, id, s))
				slot = (int)s;
		len += (size_t)snprintf(buf + len, size - len, "%s%d",
					i ? " " : "", slot);
	}
	return buf;
}

/* The trace's MOS_TRACE_CALL events of caller pid: replies and failures
 * (retried ones counted in *retried). */
static void t_calls(mos_kernel_t *k, mos_pid_t pid, int *ok, int *failed,
		    int *retried)
{
	size_t n = 0;
	mos_trace_event_t ev;

	*ok = *failed = *retried = 0;
	cr_assert_eq(mos_trace_get(k, 0, NULL, &n), 0);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		if (ev.kind != MOS_TRACE_CALL || ev.subject != pid)
			continue;
		if (ev.cause & MOS_TRACE_CALL_RETRIED)
			(*retried)++;
		if ((ev.cause & ~MOS_TRACE_CALL_RETRIED) == 0)
			(*ok)++;
		else
			(*failed)++;
	}
}

static mos_service_descriptor_t t_servers(const char *name, uint32_t n,
					  const char *const *cmd)
{
	mos_service_descriptor_t d = t_desc(name, cmd);

	d.instances = n;
	return d;
}

/* ---- acceptance 1: the strategies through mos_sys_call ----------------- */

/* Requests 1..9 from one client go to slots 0,1,2,0,1,2,0,1,2, each
 * answered 1 ms after it was sent (server 1ms); the counts and the
 * latencies show in the instance snapshots. */
Test(svc_call, round_robin_rotation)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("web", 3,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id = t_up(k, &d);
	t_caller_t c = {.svc = "web", .n = 9};
	mos_service_status_t st;
	char buf[64];

	(void)t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_str_eq(t_slots(k, id, &c, buf, sizeof(buf)),
			 "0 1 2 0 1 2 0 1 2");
	for (int i = 0; i < 9; i++) {
		cr_expect_eq(c.rc[i], 0, "%d: %s", i, mos_err_name(c.rc[i]));
		cr_expect_eq(c.at[i], MS(11 + i), "%d", i);
		cr_expect_eq(c.echo[i], (uint64_t)i + 1, "%d", i);
	}
	for (uint32_t s = 0; s < 3; s++) {
		mos_service_instance_t in = t_inst(k, id, s);

		cr_expect_eq(in.requests, 3);
		cr_expect_eq(in.replies, 3);
		cr_expect_eq(in.failures, 0);
		cr_expect_eq(in.outstanding, 0);
		cr_expect_eq(in.latency_p50, MS(1));
		cr_expect_eq(in.latency_max, MS(1));
	}
	st = t_status(k, id);
	cr_expect_eq(st.requests, 9);
	cr_expect_eq(st.replies, 9);
	cr_expect_eq(st.request_failures, 0);
	cr_expect_eq(st.in_rotation, 3);
	mos_kernel_destroy(k);
}

/*
 * least_connections with unequal service times (keyed: key ms each),
 * one call per client, at distinct instants (ms):
 *   c1 at 0    key 10: outstanding [0,0,0] -> slot 0 (0 .. 10)
 *   c2 at 1    key 2:  [1,0,0] -> slot 1 (1 .. 3)
 *   c3 at 2    key 6:  [1,1,0] -> slot 2 (2 .. 8)
 *   c4 at 4    key 1:  [1,0,1] -> slot 1 (4 .. 5)
 *   c5 at 6    key 1:  [1,0,1] -> slot 1 (6 .. 7)
 *   c6 at 9    key 3:  [1,0,0] -> slot 1 (9 .. 12)
 *   c7 at 9.5  key 1:  [1,1,0] -> slot 2 (9.5 .. 10.5)
 *   c8 at 9.7  key 1:  [1,1,1] -> slot 0, a tie: queued behind c1,
 *                      served 10 .. 11
 * Counts 2, 4, 2 (round robin would give 3, 3, 2).
 */
Test(svc_call, least_connections_model)
{
	static const mos_time_t at[8] = {0, MS(1), MS(2), MS(4), MS(6), MS(9),
					 US(9500), US(9700)};
	static const uint64_t key[8] = {10, 2, 6, 1, 1, 3, 1, 1};
	static const int slot[8] = {0, 1, 2, 1, 1, 1, 2, 0};
	static const mos_time_t done[8] = {MS(10), MS(3), MS(8), MS(5),
					   MS(7), MS(12), US(10500), MS(11)};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("lc", 3, T_ARGV("keyed"));
	mos_service_id_t id;
	t_caller_t c[8];
	mos_time_t base = MS(10);

	d.balance = MOS_LB_LEAST_CONNECTIONS;
	id = t_up(k, &d);
	for (int i = 0; i < 8; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].svc = "lc";
		c[i].n = 1;
		c[i].keys[0] = key[i];
		(void)t_caller(k, &c[i], base + at[i], 0);
	}
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	for (int i = 0; i < 8; i++) {
		cr_expect_eq(c[i].rc[0], 0, "c%d", i + 1);
		cr_expect_eq(c[i].from[0], t_pid(k, id, (uint32_t)slot[i]),
			     "c%d", i + 1);
		cr_expect_eq(c[i].at[0], base + done[i], "c%d at %llu", i + 1,
			     (unsigned long long)c[i].at[0]);
	}
	cr_expect_eq(t_inst(k, id, 0).requests, 2);
	cr_expect_eq(t_inst(k, id, 1).requests, 4);
	cr_expect_eq(t_inst(k, id, 2).requests, 2);
	/* Slot 0's latencies: 10 ms and 1.3 ms (queued 0.3 ms). */
	cr_expect_eq(t_inst(k, id, 0).latency_p50, US(1300));
	cr_expect_eq(t_inst(k, id, 0).latency_p99, MS(10));
	mos_kernel_destroy(k);
}

/* Smooth weighted 5, 1, 1: nginx's a a b a c a a. */
Test(svc_call, weighted_nginx_sequence)
{
	static const uint32_t w[3] = {5, 1, 1};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("wt", 3,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id;
	t_caller_t c = {.svc = "wt", .n = 14};
	char buf[64];

	d.balance = MOS_LB_WEIGHTED;
	d.weights = w;
	d.nweights = 3;
	id = t_up(k, &d);
	(void)t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_str_eq(t_slots(k, id, &c, buf, sizeof(buf)),
			 "0 0 1 0 2 0 0 0 0 1 0 2 0 0");
	mos_kernel_destroy(k);
}

/* ---- acceptance 3: failover --------------------------------------------- */

/* Six `client`s (1000 a second, 20 each, from 10 ms: six times what
 * the one CPU serves) on a 3-instance `server 1ms` service, round robin;
 * slot 1 is killed at 18.5 ms, while it handles one request (from 18
 * to 19 ms) with another queued, and restarts 50 ms later.  Returns the
 * failures seen by all six clients, counted from the trace. */
static int t_kill_under_load(bool retry, mos_ipc_stats_t *ist,
			     mos_service_status_t *st, int *nretried)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("pool", 3,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id;
	mos_pid_t cl[6], victim;
	int total_ok = 0, total_failed = 0;

	*nretried = 0;

	d.retry = retry;
	d.restart.policy = MOS_RESTART_ALWAYS;
	d.restart.delay = MS(50);
	id = t_up(k, &d);
	for (int i = 0; i < 6; i++) {
		mos_process_spec_t sp = t_spec(
			0, MOS_PRIO_NORMAL,
			T_ARGV("client", "pool", "1000", "20"), NULL);

		sp.start_time = MS(10);
		cl[i] = t_make(k, &sp);
	}
	cr_assert_eq(mos_kernel_run(k, US(18500)), 0);
	victim = t_pid(k, id, 1);
	cr_assert_eq(mos_process_send_signal(k, victim, MOS_SIGKILL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(200)), 0);
	for (int i = 0; i < 6; i++) {
		int ok, failed, retried;
		mos_process_info_t pi = t_info(k, cl[i]);

		t_calls(k, cl[i], &ok, &failed, &retried);
		/* Every request answered or failed, exactly once. */
		cr_expect_eq(ok + failed, 20, "client %d: %d + %d", i, ok,
			     failed);
		cr_expect_eq(MOS_WEXITSTATUS(pi.exit_status), failed ? 1 : 0);
		total_ok += ok;
		total_failed += failed;
		*nretried += retried;
	}
	cr_assert_eq(mos_ipc_stats(k, ist), 0);
	*st = t_status(k, id);
	cr_expect_eq(total_ok + total_failed, 120);
	mos_kernel_destroy(k);
	return total_failed;
}

/* What a kill under load must give. */
typedef struct t_kill_want {
	int failed, retried;
	uint64_t requests, replies;
} t_kill_want_t;

static void t_kill_check(bool retry, t_kill_want_t w)
{
	mos_ipc_stats_t ist;
	mos_service_status_t st;
	int retried;
	int failed = t_kill_under_load(retry, &ist, &st, &retried);

	cr_expect_eq(failed, w.failed);
	cr_expect_eq(retried, w.retried);
	/* Two requests were at the victim: the one it was handling and
	 * the one queued; no reply is ever dropped. */
	cr_expect_eq(ist.peer_died, 2);
	cr_expect_eq(ist.dropped_replies, 0);
	cr_expect_eq(st.requests, w.requests);
	cr_expect_eq(st.replies, w.replies);
	cr_expect_eq(st.request_failures, 2);
}

/* Both requests at the victim fail: 118 of 120 answered. */
Test(svc_call, kill_under_load_fails_in_flight_requests)
{
	t_kill_check(false, (t_kill_want_t){2, 0, 120, 118});
}

/* Both are retried elsewhere: all 120 answered; the failed attempts and
 * their retries are counted too (122 requests). */
Test(svc_call, kill_under_load_with_retry_fails_none)
{
	t_kill_check(true, (t_kill_want_t){0, 2, 122, 120});
}

/* ---- security, encryption ----------------------------------------------- */

/* A uid not on the allow list is refused (MOS_EPERM) and audited; one on
 * it gets through. */
Test(svc_call, allow_list_refuses_and_audits)
{
	static const mos_uid_t uids[] = {1000};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("vault", 1,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id;
	t_caller_t in = {.svc = "vault", .n = 1};
	t_caller_t out = {.svc = "vault", .n = 1};
	mos_audit_entry_t a[64];
	size_t n = 0;
	int calls = 0;
	mos_service_status_t st;

	d.allow_uids = uids;
	d.nallow_uids = 1;
	id = t_up(k, &d);
	(void)t_caller(k, &in, MS(10), 1000);
	(void)t_caller(k, &out, MS(20), 2000);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(in.rc[0], 0);
	cr_expect_eq(in.at[0], MS(11));
	cr_expect_eq(out.rc[0], MOS_EPERM);
	cr_expect_eq(out.at[0], MS(20));
	cr_expect_eq(out.from[0], 0);
	cr_assert_eq(mos_service_audit(k, a, 64, &n), 0);
	for (size_t i = 0; i < n && i < 64; i++)
		if (a[i].op == MOS_AUDIT_CALL) {
			calls++;
			cr_expect_eq(a[i].uid, 2000);
			cr_expect_eq(a[i].service, id);
			cr_expect_eq(a[i].result, MOS_EPERM);
			cr_expect_eq(a[i].time, MS(20));
		}
	cr_expect_eq(calls, 1);
	st = t_status(k, id);
	cr_expect_eq(st.requests, 2);
	cr_expect_eq(st.replies, 1);
	cr_expect_eq(st.request_failures, 1);
	/* The instance never saw the refused request. */
	cr_expect_eq(t_inst(k, id, 0).requests, 1);
	mos_kernel_destroy(k);
}

/* encrypted, cost 30 us: the client burns 30 us before sending and 30 us
 * on the reply; the instance 30 us on receipt and 30 us before replying,
 * around its 1 ms: the call takes 1.12 ms. */
Test(svc_call, encrypted_charges_both_ends)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("sec", 1,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id;
	t_caller_t c = {.svc = "sec", .n = 2};
	mos_pid_t cp, sp;

	d.encrypted = true;
	d.encryption_cost = US(30);
	id = t_up(k, &d);
	cp = t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	sp = t_pid(k, id, 0);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.at[0], MS(10) + US(1120));
	cr_expect_eq(c.at[1], MS(10) + US(2240));
	cr_expect_eq(t_usage(k, cp).cpu_user, US(4 * 30));
	cr_expect_eq(t_usage(k, sp).cpu_user, MS(2) + US(4 * 30));
	cr_expect_eq(t_inst(k, id, 0).latency_max, US(1120));
	mos_kernel_destroy(k);
}

/* ---- LoadBalancerService, get_instance, errors --------------------------- */

static const char *const t_pool_tags[] = {"pool", NULL};

/* A LoadBalancerService over be-a (2 instances, named) and be-b (1,
 * by tag), round robin in name order: be-a, be-b, be-a, be-b; inside
 * be-a its own rotation.  Counted at both. */
Test(svc_call, load_balancer_service_routes_to_backends)
{
	static const char *const backends[] = {"tag:pool", "be-a", NULL};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("be-b", 1,
					       T_ARGV("server", "1ms"));
	mos_service_id_t a, b, front;
	t_caller_t c = {.svc = "front", .n = 4};
	mos_pid_t peek = 0, peek2 = 0;

	d.tags = t_pool_tags;
	b = t_up(k, &d);
	d = t_servers("be-a", 2, T_ARGV("server", "1ms"));
	a = t_up(k, &d);
	d = t_desc("front", NULL);
	d.type = MOS_SVC_LOADBALANCER;
	d.instances = 0;
	d.backends = backends;
	front = t_up(k, &d);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	/* A peek: twice the same, and the first call goes there. */
	cr_assert_eq(mos_service_get_instance(k, "front", &peek), 0);
	cr_assert_eq(mos_service_get_instance(k, "front", &peek2), 0);
	cr_expect_eq(peek, t_pid(k, a, 0));
	cr_expect_eq(peek2, peek);
	(void)t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(c.from[0], t_pid(k, a, 0));
	cr_expect_eq(c.from[1], t_pid(k, b, 0));
	cr_expect_eq(c.from[2], t_pid(k, a, 1));
	cr_expect_eq(c.from[3], t_pid(k, b, 0));
	for (int i = 0; i < 4; i++)
		cr_expect_eq(c.at[i], MS(11 + i));
	cr_expect_eq(t_status(k, front).requests, 4);
	cr_expect_eq(t_status(k, front).replies, 4);
	cr_expect_eq(t_status(k, a).requests, 2);
	cr_expect_eq(t_status(k, b).requests, 2);
	cr_assert_eq(mos_service_get_instance(k, "front", &peek), 0);
	cr_expect_eq(peek, t_pid(k, a, 0));
	mos_kernel_destroy(k);
}

/* get_instance is a peek for every strategy: the next call goes where it
 * said, twice in a row the same. */
Test(svc_call, get_instance_peeks)
{
	static const uint32_t w[3] = {1, 3, 1};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("wt", 3,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id;
	t_caller_t c = {.svc = "wt", .n = 1, .keys = {1}};
	mos_pid_t p1 = 0, p2 = 0;

	d.balance = MOS_LB_WEIGHTED;
	d.weights = w;
	d.nweights = 3;
	id = t_up(k, &d);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos_service_get_instance(k, "wt", &p1), 0);
	cr_assert_eq(mos_service_get_instance(k, "wt", &p2), 0);
	cr_expect_eq(p1, t_pid(k, id, 1));
	cr_expect_eq(p2, p1);
	(void)t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(c.from[0], p1);
	cr_assert_eq(mos_service_get_instance(k, "wt", &p2), 0);
	cr_expect_eq(p2, t_pid(k, id, 0)); /* 1,3,1 -> b a c b ... */
	mos_kernel_destroy(k);
}

Test(svc_call, errors)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("down", 2,
					       T_ARGV("server", "1ms"));
	t_caller_t none = {.svc = "down", .n = 1};
	t_caller_t unknown = {.svc = "nope", .n = 1};
	mos_pid_t pid = 0;

	t_reg(k, &d); /* registered, never started */
	cr_expect_eq(mos_service_get_instance(NULL, "down", &pid), MOS_EINVAL);
	cr_expect_eq(mos_service_get_instance(k, NULL, &pid), MOS_EINVAL);
	cr_expect_eq(mos_service_get_instance(k, "down", NULL), MOS_EINVAL);
	cr_expect_eq(mos_service_get_instance(k, "nope", &pid),
		     MOS_ESVCNOTFOUND);
	cr_expect_eq(mos_service_get_instance(k, "down", &pid), MOS_ELOADBAL);
	(void)t_caller(k, &none, MS(10), 0);
	(void)t_caller(k, &unknown, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(none.rc[0], MOS_ELOADBAL);
	cr_expect_eq(unknown.rc[0], MOS_ESVCNOTFOUND);
	cr_expect_eq(t_status(k, t_status(k, 1).id).request_failures, 1);
	mos_kernel_destroy(k);
}

/* Bad arguments from a process. */
static int badargs_main(mos_proc_t *self, int argc, char **argv)
{
	int *rc = mos_sys_state(self);
	mos_msg_t m, r;

	(void)argc, (void)argv;
	memset(&m, 0, sizeof(m));
	rc[0] = mos_sys_call(self, NULL, &m, &r, MOS_TIME_NEVER);
	rc[1] = mos_sys_call(self, "web", NULL, &r, MOS_TIME_NEVER);
	rc[2] = mos_sys_call(self, "web", &m, NULL, MOS_TIME_NEVER);
	m.len = MOS_MSG_PAYLOAD_MAX + 1;
	rc[3] = mos_sys_call(self, "web", &m, &r, MOS_TIME_NEVER);
	m.len = 0;
	rc[4] = mos_sys_call(self, "web", &m, &r, MOS_TIME_NEVER - 1);
	return 0;
}

Test(svc_call, bad_arguments)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("web", 1,
					       T_ARGV("server", "1ms"));
	int rc[5] = {1, 1, 1, 1, 1};
	mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL, T_ARGV("bad"), rc);

	t_up(k, &d);
	cr_assert_eq(mos_program_register(k, "bad", badargs_main), 0);
	sp.start_time = MS(10);
	(void)t_make(k, &sp);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(rc[i], MOS_EINVAL, "%d: %s", i,
			     mos_err_name(rc[i]));
	cr_expect_eq(rc[4], MOS_ERANGE);
	mos_kernel_destroy(k);
}

/* A 2 ms timeout on a 10 ms server: MOS_ETIMEDOUT at exactly +2 ms (the
 * callers are more urgent than the computing server, so they run as
 * soon as they wake); the reply at +10 ms finds nobody and is dropped
 * (counted).  The service's request_timeout_ms is the default of a call
 * given MOS_TIME_NEVER. */
Test(svc_call, timeout_drops_late_reply)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("slow", 1,
					       T_ARGV("server", "10ms"));
	mos_service_id_t id;
	t_caller_t c = {.svc = "slow", .n = 1, .timeout = MS(2),
			.prio = MOS_PRIO_HIGH};
	t_caller_t dflt = {.svc = "slow", .n = 1, .prio = MOS_PRIO_HIGH};
	mos_ipc_stats_t ist;

	d.request_timeout_ms = 3;
	id = t_up(k, &d);
	(void)t_caller(k, &c, MS(10), 0);
	(void)t_caller(k, &dflt, MS(40), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(c.rc[0], MOS_ETIMEDOUT);
	cr_expect_eq(c.at[0], MS(12));
	cr_expect_eq(dflt.rc[0], MOS_ETIMEDOUT);
	cr_expect_eq(dflt.at[0], MS(43));
	cr_assert_eq(mos_ipc_stats(k, &ist), 0);
	cr_expect_eq(ist.dropped_replies, 2);
	cr_expect_eq(ist.timeouts, 2);
	cr_expect_eq(t_inst(k, id, 0).failures, 2);
	cr_expect_eq(t_inst(k, id, 0).outstanding, 0);
	mos_kernel_destroy(k);
}

/* The programs check their arguments at create time. */
Test(svc_call, programs_check_arguments)
{
	const char *const *bad[] = {
		T_ARGV("server"), T_ARGV("server", "x"),
		T_ARGV("server", "1ms", "2ms", "3ms"),
		T_ARGV("client", "web", "10"), T_ARGV("client", "web", "0", "5"),
		T_ARGV("client", "web", "10", "-1"),
		T_ARGV("client", "", "10", "5"),
		T_ARGV("client", "web", "10", "5", "soon"),
	};
	mos_kernel_t *k = t_world();
	mos_pid_t pid;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_SERVICE,
					bad[i], NULL, &pid),
			     MOS_ECONFIG, "%zu", i);
	cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_SERVICE,
				T_ARGV("client", "web", "10", "5", "2ms"), NULL,
				&pid),
		     0);
	/* Their names are taken like every built-in's. */
	cr_expect_eq(mos_program_register(k, "server", keyed_main),
		     MOS_EPROCEXISTS);
	cr_expect_eq(mos_program_register(k, "client", keyed_main),
		     MOS_EPROCEXISTS);
	cr_expect_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_SERVICE,
				T_ARGV("server"), NULL, &pid),
		     MOS_ECONFIG, "the built-in, which needs SERVICE_TIME");
	mos_kernel_destroy(k);
}

/* A client of a service that is not there: every call fails, it exits 1;
 * the trace says each failed call, in text too. */
Test(svc_call, client_counts_failures)
{
	mos_kernel_t *k = t_world();
	mos_pid_t pid = 0;
	int ok, failed, retried;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_SERVICE,
				T_ARGV("client", "ghost", "100", "3"), NULL,
				&pid), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	t_calls(k, pid, &ok, &failed, &retried);
	cr_expect_eq(ok, 0);
	cr_expect_eq(failed, 3);
	cr_expect_eq(MOS_WEXITSTATUS(t_info(k, pid).exit_status), 1);
	f = open_memstream(&text, &len);
	cr_assert_eq(mos_trace_dump(k, f), 0);
	fclose(f);
	cr_expect_not_null(strstr(text, "call       service 0 pid 0 "
					"MOS_ESVCNOTFOUND 0 ns"));
	free(text);
	mos_kernel_destroy(k);
}

/* consistent_hash routes on req.key: the same key reaches the same
 * instance every time, whatever came in between. */
Test(svc_call, consistent_hash_keeps_keys_on_their_instance)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("ch", 3,
					       T_ARGV("server", "1ms"));
	t_caller_t c = {.svc = "ch", .n = 12,
			.keys = {11, 22, 33, 44, 55, 66, 66, 55, 44, 33, 22,
				 11}};
	int used[3] = {0};
	mos_service_id_t id;

	d.balance = MOS_LB_CONSISTENT_HASH;
	id = t_up(k, &d);
	(void)t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	for (int i = 0; i < 6; i++) {
		cr_expect_eq(c.rc[i], 0);
		cr_expect_eq(c.from[i], c.from[11 - i], "key %llu",
			     (unsigned long long)c.keys[i]);
		for (uint32_t s = 0; s < 3; s++)
			used[s] += c.from[i] == t_pid(k, id, s);
	}
	cr_expect_eq(used[0] + used[1] + used[2], 6);
	mos_kernel_destroy(k);
}

/* A notify service running `server` is Running once its instances
 * received: the program says it is ready. */
Test(svc_call, server_notifies_readiness)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("nt", 2,
					       T_ARGV("server", "1ms", "1ms"));
	mos_service_id_t id;
	t_caller_t c = {.svc = "nt", .n = 4};

	d.readiness = MOS_READY_NOTIFY;
	id = t_up(k, &d);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_expect_eq(t_status(k, id).state, MOS_SVC_RUNNING);
	cr_expect_eq(t_status(k, id).in_rotation, 2);
	(void)t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	for (int i = 0; i < 4; i++) {
		cr_expect_eq(c.rc[i], 0);
		/* 1 ms plus a jitter of at most 1 ms each. */
		cr_expect_leq(c.at[i] - (i ? c.at[i - 1] : MS(10)), MS(2));
		cr_expect_geq(c.at[i] - (i ? c.at[i - 1] : MS(10)), MS(1));
	}
	mos_kernel_destroy(k);
}

/* Failover through a LoadBalancerService with retry: be-a's instance
 * dies at 15 ms handling the request sent at 10 ms; the retry goes to
 * the other backend, which answers 10 ms later.  Counted at both
 * levels, the failed attempt too. */
Test(svc_call, load_balancer_fails_over_to_another_backend)
{
	static const char *const backends[] = {"be-a", "be-b", NULL};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("be-a", 1,
					       T_ARGV("server", "10ms"));
	mos_service_id_t a, b, front;
	t_caller_t c = {.svc = "front", .n = 1, .prio = MOS_PRIO_HIGH};
	mos_service_status_t st;
	mos_pid_t cp;
	int ok, failed, retried;

	a = t_up(k, &d);
	d.name = "be-b";
	b = t_up(k, &d);
	d = t_desc("front", NULL);
	d.type = MOS_SVC_LOADBALANCER;
	d.instances = 0;
	d.backends = backends;
	d.retry = true;
	front = t_up(k, &d);
	cp = t_caller(k, &c, MS(10), 0);
	cr_assert_eq(mos_kernel_run(k, MS(15)), 0);
	cr_assert_eq(mos_process_send_signal(k, t_pid(k, a, 0), MOS_SIGKILL),
		     0);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.from[0], t_pid(k, b, 0));
	cr_expect_eq(c.at[0], MS(25));
	t_calls(k, cp, &ok, &failed, &retried);
	cr_expect_eq(ok, 1);
	cr_expect_eq(failed, 0);
	cr_expect_eq(retried, 1);
	st = t_status(k, front);
	cr_expect_eq(st.requests, 2);
	cr_expect_eq(st.replies, 1);
	cr_expect_eq(st.request_failures, 1);
	cr_expect_eq(t_status(k, a).request_failures, 1);
	cr_expect_eq(t_status(k, b).replies, 1);
	mos_kernel_destroy(k);
}

/* A caller in an isolation domain of its own cannot see the instance's
 * process, yet its call goes through: the service is the endpoint, its
 * allow list the check (a plain send to the pid is refused). */
Test(svc_call, isolated_caller_reaches_the_service)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("api", 1,
					       T_ARGV("server", "1ms"));
	t_caller_t c = {.svc = "api", .n = 1};
	mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL, T_ARGV("caller"),
				       &c);
	mos_service_id_t id = t_up(k, &d);
	mos_process_info_t pi;

	sp.start_time = MS(10);
	sp.isolation = MOS_ISO_NAMESPACE;
	sp.caps = 0;
	sp.uid = 1000;
	pi = t_info(k, t_make(k, &sp));
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_expect_eq(pi.isolation, MOS_ISO_NAMESPACE);
	cr_expect_eq(c.rc[0], 0);
	cr_expect_eq(c.at[0], MS(11));
	cr_expect_eq(c.from[0], t_pid(k, id, 0));
	mos_kernel_destroy(k);
}
