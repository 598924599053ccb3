/*
 * tests/test_svc_call.c - the request path (src/service/call.c, rt.c):
 * mos_sys_call through every balancing strategy, failover, the allow
 * list, encryption's costs, LoadBalancerServices, get_instance, and the
 * `server` and `client` programs, at exact virtual times and in exact
 * orders.
 */
#include <criterion/criterion.h>
#include <stdio.h>
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
	mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL, T_ARGV("caller"), c);

	sp.start_time = start;
	if (uid) {
		sp.uid = uid;
		sp.caps = 0;
	}
	return t_make(k, &sp);
}

static mos_pid_t t_pid(mos_kernel_t *k, mos_service_id_t id, uint32_t slot)
{
	mos_service_instance_t in[8];
	size_t n = 0;

	cr_assert_eq(mos_service_instances(k, id, in, 8, &n), 0);
	cr_assert_lt(slot, n);
	return in[slot].pid;
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
			     mos_service_status_t *st)
{
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d = t_servers("pool", 3,
					       T_ARGV("server", "1ms"));
	mos_service_id_t id;
	mos_pid_t cl[6], victim;
	int total_ok = 0, total_failed = 0;

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
	}
	cr_assert_eq(mos_ipc_stats(k, ist), 0);
	*st = t_status(k, id);
	cr_expect_eq(total_ok + total_failed, 120);
	mos_kernel_destroy(k);
	return total_failed;
}

Test(svc_call, kill_under_load_fails_in_flight_requests)
{
	mos_ipc_stats_t ist;
	mos_service_status_t st;
	int failed = t_kill_under_load(false, &ist, &st);

	/* The request being handled and the one queued at the victim. */
	cr_expect_eq(failed, 2);
	cr_expect_eq(ist.peer_died, 2);
	cr_expect_eq(ist.dropped_replies, 0);
	cr_expect_eq(st.requests, 120);
	cr_expect_eq(st.replies, 118);
	cr_expect_eq(st.request_failures, 2);
}

Test(svc_call, kill_under_load_with_retry_fails_none)
{
	mos_ipc_stats_t ist;
	mos_service_status_t st;
	int failed = t_kill_under_load(true, &ist, &st);

	cr_expect_eq(failed, 0);
	cr_expect_eq(ist.peer_died, 2);
	cr_expect_eq(ist.dropped_replies, 0);
	/* The failed attempts and their retries are counted too. */
	cr_expect_eq(st.requests, 122);
	cr_expect_eq(st.replies, 120);
	cr_expect_eq(st.request_failures, 2);
}
