/*
 * tests/test_ipc.c - mailboxes, calls and replies (src/ipc/), at exact
 * virtual times and in exact orders.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "ipc/ipc_int.h"
#include "timeout.h"

TestSuite(ipc, .timeout = T_TIMEOUT);

/* What a program saw: one entry per step. */
typedef struct entry {
	mos_time_t t;
	mos_pid_t pid;
	int rc;
	mos_msg_t m;
} entry_t;

typedef struct log {
	entry_t e[32];
	int n;
	mos_pid_t peer;         /* whom to send to / call */
	mos_time_t arg;         /* a duration the program uses */
	mos_time_t timeout;
	int count;
	int handled;            /* signal handler runs */
	bool sleep;             /* server: handle by sleeping, not computing */
} log_t;

static void note(mos_proc_t *self, log_t *lg, int rc, const mos_msg_t *m)
{
	entry_t *e = &lg->e[lg->n++];

	cr_assert_lt(lg->n, 32);
	e->t = mos_sys_now(self);
	e->pid = mos_sys_getpid(self);
	e->rc = rc;
	if (m)
		e->m = *m;
	else
		memset(&e->m, 0, sizeof(e->m));
}

static mos_msg_t text(uint32_t type, const char *s)
{
	mos_msg_t m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.len = (uint32_t)strlen(s) + 1;
	memcpy(m.payload, s, m.len);
	return m;
}

static mos_kernel_t *kernel_cap(uint32_t cap)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	cfg.ipc.mailbox_capacity = cap;
	return t_kernel(&cfg);
}

static mos_ipc_stats_t stats(mos_kernel_t *k)
{
	mos_ipc_stats_t st;

	cr_assert_eq(mos_ipc_stats(k, &st), 0);
	return st;
}

/* ---- programs ---------------------------------------------------------- */

/* Receive count messages, forever each; note each. */
static int rx_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t m;

	(void)argc, (void)argv;
	if (lg->arg)
		mos_sys_sleep(self, lg->arg);
	for (int i = 0; i < lg->count; i++) {
		int rc = mos_sys_recv(self, &m, MOS_TIME_NEVER);

		note(self, lg, rc, &m);
		if (lg->arg && i + 1 < lg->count)
			mos_sys_sleep(self, MS(1));
	}
	return 0;
}

/* Send "a", "b", "c" 1 ms apart to peer, scribbling over the buffer (and
 * forging the header) after each. */
static int tx_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	const char *words[] = {"a", "b", "c"};

	(void)argc, (void)argv;
	for (int i = 0; i < 3; i++) {
		mos_msg_t m = text(MOS_MSG_USER + (uint32_t)i, words[i]);
		int rc;

		m.sender = 99;
		m.uid = 0;
		m.gid = 0;
		m.request_id = 100 + (uint64_t)i;
		m.key = 7;
		rc = mos_sys_send(self, lg->peer, &m);
		memset(m.payload, 'X', sizeof(m.payload));
		note(self, lg, rc, NULL);
		mos_sys_sleep(self, MS(1));
	}
	return 0;
}

/* Sleep arg, then one blocking send to peer; note when it returns. */
static int sender_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t m = text(MOS_MSG_DATA, argv[1]);
	int rc;

	(void)argc;
	if (lg->arg)
		mos_sys_sleep(self, lg->arg);
	rc = mos_sys_send(self, lg->peer, &m);
	note(self, lg, rc, NULL);
	return 0;
}

/* Fill peer's mailbox with count messages, without blocking. */
static int filler_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);

	(void)argc, (void)argv;
	for (int i = 0; i < lg->count; i++) {
		mos_msg_t m = text(MOS_MSG_DATA, i ? "f2" : "f1");

		cr_assert_eq(mos_sys_send_timed(self, lg->peer, &m, 0, 0), 0);
	}
	return 0;
}

static int sleeper_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc, (void)argv;
	mos_sys_sleep(self, MS(3600000));
	return 0;
}

/* ---- send and recv ----------------------------------------------------- */

Test(ipc, send_recv_fifo_copies_and_stamps_credentials)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t r = {.count = 3}, s = {0};
	mos_pid_t rx, tx;

	mos_program_register(k, "rx", rx_main);
	mos_program_register(k, "tx", tx_main);
	rx = t_spawn_arg(k, T_ARGV("rx"), &r);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, T_ARGV("tx"),
				&s, &tx), 0);
	s.peer = rx;
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(r.n, 3);
	for (int i = 0; i < 3; i++) {
		const mos_msg_t *m = &r.e[i].m;
		char want[2] = {(char)('a' + i), 0};

		cr_expect_eq(s.e[i].rc, 0);
		cr_expect_eq(r.e[i].rc, 0);
		cr_expect_eq(r.e[i].t, MS(i), "message %d at %llu", i,
			     (unsigned long long)r.e[i].t);
		cr_expect_eq(m->type, MOS_MSG_USER + (uint32_t)i);
		cr_expect_str_eq((const char *)m->payload, want);
		cr_expect_eq(m->len, 2);
		cr_expect_eq(m->sender, tx, "the kernel's, not the forged 99");
		cr_expect_eq(m->uid, 1000);
		cr_expect_eq(m->gid, t_info(k, tx).egid);
		cr_expect_eq(m->request_id, 100 + (uint64_t)i, "a plain send's own");
		cr_expect_eq(m->key, 7);
	}
	cr_expect_eq(stats(k).sent, 3);
	cr_expect_eq(stats(k).received, 3);
	cr_expect_eq(stats(k).blocked_sends, 0);
	mos_kernel_destroy(k);
}

Test(ipc, full_mailbox_blocks_senders_fifo_until_recv_frees_a_slot)
{
	mos_kernel_t *k = kernel_cap(2);
	log_t r = {.count = 5, .arg = MS(10)}, f = {.count = 2};
	log_t s[3] = {{.arg = MS(1)}, {.arg = MS(2)}, {.arg = MS(3)}};
	const char *names[3] = {"s1", "s2", "s3"};
	const char *want[5] = {"f1", "f2", "s1", "s2", "s3"};
	mos_mailbox_info_t mb;
	mos_pid_t rx;

	mos_program_register(k, "rx", rx_main);
	mos_program_register(k, "fill", filler_main);
	mos_program_register(k, "send", sender_main);
	rx = t_spawn_arg(k, T_ARGV("rx"), &r);
	f.peer = rx;
	t_spawn_arg(k, T_ARGV("fill"), &f);
	for (int i = 0; i < 3; i++) {
		s[i].peer = rx;
		t_spawn_arg(k, T_ARGV("send", names[i]), &s[i]);
	}
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(mos_ipc_mailbox(k, rx, &mb), 0);
	cr_expect_eq(mb.queued, 2);
	cr_expect_eq(mb.capacity, 2);
	cr_expect_eq(mb.waiting_senders, 3);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	for (int i = 0; i < 5; i++) {
		cr_expect_eq(r.e[i].t, MS(10 + i));
		cr_expect_str_eq((const char *)r.e[i].m.payload, want[i]);
	}
	for (int i = 0; i < 3; i++) {
		cr_expect_eq(s[i].n, 1);
		cr_expect_eq(s[i].e[0].rc, 0);
		cr_expect_eq(s[i].e[0].t, MS(10 + i), "sender %d woke at %llu",
			     i, (unsigned long long)s[i].e[0].t);
	}
	cr_expect_eq(stats(k).blocked_sends, 3);
	cr_expect_eq(stats(k).sent, 5);
	mos_kernel_destroy(k);
}

/* Against a full mailbox of one: NONBLOCK, a 0 timeout, a 5 ms timeout;
 * then its own mailbox, of one too. */
static int timed_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t m = text(MOS_MSG_DATA, "t");
	mos_pid_t me = mos_sys_getpid(self);

	(void)argc, (void)argv;
	mos_sys_sleep(self, MS(1)); /* after the filler */
	note(self, lg, mos_sys_send_timed(self, lg->peer, &m, MS(5),
					  MOS_IPC_NONBLOCK), NULL);
	note(self, lg, mos_sys_send_timed(self, lg->peer, &m, 0, 0), NULL);
	note(self, lg, mos_sys_send_timed(self, lg->peer, &m, MS(5), 0), NULL);
	note(self, lg, mos_sys_send(self, me, &m), NULL);
	note(self, lg, mos_sys_send(self, me, &m), NULL);
	return 0;
}

Test(ipc, nonblock_eagain_timed_send_etimedout_self_send)
{
	mos_kernel_t *k = kernel_cap(1);
	log_t f = {.count = 1}, t = {0};
	mos_pid_t rx;

	mos_program_register(k, "sleeper", sleeper_main);
	mos_program_register(k, "fill", filler_main);
	mos_program_register(k, "timed", timed_main);
	rx = t_spawn(k, T_ARGV("sleeper"));
	f.peer = t.peer = rx;
	t_spawn_arg(k, T_ARGV("fill"), &f);
	t_spawn_arg(k, T_ARGV("timed"), &t);
	cr_assert_eq(mos_kernel_run(k, MS(100)), 0);
	cr_assert_eq(t.n, 5);
	cr_expect_eq(t.e[0].rc, MOS_EAGAIN);
	cr_expect_eq(t.e[0].t, MS(1));
	cr_expect_eq(t.e[1].rc, MOS_EAGAIN);
	cr_expect_eq(t.e[1].t, MS(1));
	cr_expect_eq(t.e[2].rc, MOS_ETIMEDOUT);
	cr_expect_eq(t.e[2].t, MS(6), "at exactly now + timeout");
	cr_expect_eq(t.e[3].rc, 0, "room in its own mailbox");
	cr_expect_eq(t.e[4].rc, MOS_EAGAIN, "never blocks on itself");
	cr_expect_eq(t.e[4].t, MS(6));
	cr_expect_eq(stats(k).timeouts, 1);
	cr_expect_eq(stats(k).blocked_sends, 1);
	cr_expect_eq(stats(k).sent, 2);
	mos_kernel_destroy(k);
}

/* Poll, a 3 ms timeout, then forever (a sender sends at 7 ms). */
static int recv_times_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t m;

	(void)argc, (void)argv;
	note(self, lg, mos_sys_recv(self, &m, 0), NULL);
	note(self, lg, mos_sys_recv(self, &m, MS(3)), NULL);
	note(self, lg, mos_sys_recv(self, &m, MOS_TIME_NEVER), &m);
	return 0;
}

Test(ipc, recv_poll_timeout_and_forever_at_exact_times)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t r = {0}, s = {.arg = MS(7)};
	mos_pid_t rx;

	mos_program_register(k, "rt", recv_times_main);
	mos_program_register(k, "send", sender_main);
	rx = t_spawn_arg(k, T_ARGV("rt"), &r);
	s.peer = rx;
	t_spawn_arg(k, T_ARGV("send", "late"), &s);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(r.n, 3);
	cr_expect_eq(r.e[0].rc, MOS_EAGAIN);
	cr_expect_eq(r.e[0].t, 0);
	cr_expect_eq(r.e[1].rc, MOS_ETIMEDOUT);
	cr_expect_eq(r.e[1].t, MS(3));
	cr_expect_eq(r.e[2].rc, 0);
	cr_expect_eq(r.e[2].t, MS(7));
	cr_expect_str_eq((const char *)r.e[2].m.payload, "late");
	cr_expect_eq(stats(k).timeouts, 1);
	mos_kernel_destroy(k);
}

static void on_usr1(mos_proc_t *self, int sig)
{
	log_t *lg = mos_sys_state(self);

	(void)sig;
	lg->handled++;
}

static int intr_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t m;

	(void)argc, (void)argv;
	cr_assert_eq(mos_sys_sigaction(self, MOS_SIGUSR1, MOS_SIG_CATCH,
				       on_usr1, 0, 0, NULL), 0);
	note(self, lg, mos_sys_recv(self, &m, MOS_TIME_NEVER), NULL);
	lg->count = lg->handled; /* the handler ran before recv returned */
	return 0;
}

Test(ipc, recv_interrupted_by_a_caught_signal)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t r = {0};
	mos_pid_t rx;

	mos_program_register(k, "intr", intr_main);
	rx = t_spawn_arg(k, T_ARGV("intr"), &r);
	cr_assert_eq(mos_kernel_run(k, MS(4)), 0);
	cr_assert_eq(r.n, 0);
	cr_assert_eq(mos_process_send_signal(k, rx, MOS_SIGUSR1), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(r.n, 1);
	cr_expect_eq(r.e[0].rc, MOS_EINTR);
	cr_expect_eq(r.e[0].t, MS(4));
	cr_expect_eq(r.count, 1);
	mos_kernel_destroy(k);
}

Test(ipc, blocked_sender_gets_epeerdied_when_the_receiver_is_killed)
{
	mos_kernel_t *k = kernel_cap(1);
	log_t f = {.count = 1}, s = {0};
	mos_mailbox_info_t mb;
	mos_pid_t rx;

	mos_program_register(k, "sleeper", sleeper_main);
	mos_program_register(k, "fill", filler_main);
	mos_program_register(k, "send", sender_main);
	rx = t_spawn(k, T_ARGV("sleeper"));
	f.peer = s.peer = rx;
	t_spawn_arg(k, T_ARGV("fill"), &f);
	t_spawn_arg(k, T_ARGV("send", "x"), &s);
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(mos_process_terminate(k, rx, true), 0);
	cr_assert_eq(mos_kernel_run(k, MS(6)), 0);
	cr_assert_eq(s.n, 1);
	cr_expect_eq(s.e[0].rc, MOS_EPEERDIED);
	cr_expect_eq(s.e[0].t, MS(5));
	cr_expect_eq(stats(k).peer_died, 1);
	cr_expect_eq(mos_ipc_mailbox(k, rx, &mb), MOS_EPROCNOTFOUND);
	mos_kernel_destroy(k);
}

/* ---- calls ------------------------------------------------------------- */

/* Receive count requests; for each compute arg, then reply with the
 * request's payload and "!" (count 0: forever). */
static int server_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);

	(void)argc, (void)argv;
	for (int i = 0; !lg->count || i < lg->count; i++) {
		mos_msg_t req, rep;
		int rc = mos_sys_recv(self, &req, MOS_TIME_NEVER);

		note(self, lg, rc, &req);
		if (rc)
			continue;
		if (lg->arg && lg->sleep)
			mos_sys_sleep(self, lg->arg);
		else if (lg->arg)
			mos_sys_compute(self, lg->arg);
		rep = text(MOS_MSG_DATA, "ok");
		rep.key = req.key;
		note(self, lg, mos_sys_reply(self, &req, &rep), NULL);
	}
	return 0;
}

/* One call to peer with timeout; note the result and the reply. */
static int client_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t req = text(MOS_MSG_DATA, "q"), rep;
	int rc;

	(void)argc, (void)argv;
	memset(&rep, 0, sizeof(rep));
	req.key = 42;
	rc = mos__ipc_call(self, lg->peer, &req, &rep, lg->timeout, lg->arg, 0);
	note(self, lg, rc, &rep);
	lg->e[lg->n - 1].m.flags = (uint32_t)req.request_id;
	return 0;
}

static mos_kernel_t *call_pair(log_t *sv, log_t *cl, mos_pid_t *server,
			       mos_pid_t *client)
{
	mos_kernel_t *k = t_kernel(NULL);

	mos_program_register(k, "t_server", server_main);
	mos_program_register(k, "t_client", client_main);
	*server = t_spawn_arg(k, T_ARGV("t_server"), sv);
	cl->peer = *server;
	*client = t_spawn_arg(k, T_ARGV("t_client"), cl);
	return k;
}

Test(ipc, call_gets_its_reply_after_the_service_time)
{
	log_t sv = {.count = 1, .arg = MS(2)}, cl = {.timeout = MOS_TIME_NEVER};
	char buf[256];
	mos_pid_t server, client;
	mos_kernel_t *k = call_pair(&sv, &cl, &server, &client);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(cl.n, 1);
	cr_expect_eq(cl.e[0].rc, 0);
	cr_expect_eq(cl.e[0].t, MS(2));
	cr_expect_eq(cl.e[0].m.type, MOS_MSG_REPLY);
	cr_expect_eq(cl.e[0].m.sender, server);
	cr_expect_eq(cl.e[0].m.key, 42);
	cr_expect_str_eq((const char *)cl.e[0].m.payload, "ok");
	cr_expect_eq(cl.e[0].m.request_id, 1);
	cr_expect_eq(cl.e[0].m.flags, 1, "the id written back into req");
	/* What the server received. */
	cr_expect_eq(sv.e[0].m.type, MOS_MSG_REQUEST);
	cr_expect_eq(sv.e[0].m.sender, client);
	cr_expect_eq(sv.e[0].m.request_id, 1);
	cr_expect_eq(sv.e[1].rc, 0);
	cr_expect_eq(stats(k).replies, 1);
	cr_expect_eq(stats(k).dropped_replies, 0);
	/* The request's send, then the reply (ms). */
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_IPC, MOS_MSEC, buf,
				      sizeof(buf)), "2:0:3:1@0 2:1:3:1@2");
	mos_kernel_destroy(k);
}

Test(ipc, call_fails_with_epeerdied_the_instant_the_server_dies_handling_it)
{
	log_t sv = {.count = 1, .arg = MS(10)}, cl = {.timeout = MOS_TIME_NEVER};
	char buf[256];
	mos_pid_t server, client;
	mos_kernel_t *k = call_pair(&sv, &cl, &server, &client);

	cr_assert_eq(mos_kernel_run(k, MS(4)), 0);
	cr_assert_eq(sv.n, 1, "received, handling");
	cr_assert_eq(mos_process_terminate(k, server, true), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(cl.n, 1);
	cr_expect_eq(cl.e[0].rc, MOS_EPEERDIED);
	cr_expect_eq(cl.e[0].t, MS(4));
	cr_expect_eq(stats(k).peer_died, 1);
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_IPC, MOS_MSEC, buf,
				      sizeof(buf)), "2:0:3:1@0 3:2:2:1@4");
	mos_kernel_destroy(k);
}

Test(ipc, call_fails_with_epeerdied_when_the_server_dies_with_it_queued)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t cl = {.timeout = MOS_TIME_NEVER};
	mos_pid_t server;

	mos_program_register(k, "sleeper", sleeper_main);
	mos_program_register(k, "t_client", client_main);
	server = t_spawn(k, T_ARGV("sleeper"));
	cl.peer = server;
	t_spawn_arg(k, T_ARGV("t_client"), &cl);
	cr_assert_eq(mos_kernel_run(k, MS(3)), 0);
	cr_assert_eq(mos_process_terminate(k, server, true), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(cl.e[0].rc, MOS_EPEERDIED);
	cr_expect_eq(cl.e[0].t, MS(3));
	mos_kernel_destroy(k);
}

Test(ipc, call_timeout_then_the_late_reply_is_dropped_and_counted)
{
	log_t sv = {.count = 1, .arg = MS(5), .sleep = true};
	log_t cl = {.timeout = MS(3)};
	char buf[256];
	mos_pid_t server, client;
	mos_kernel_t *k = call_pair(&sv, &cl, &server, &client);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(cl.e[0].rc, MOS_ETIMEDOUT);
	cr_expect_eq(cl.e[0].t, MS(3));
	cr_expect_eq(sv.e[1].rc, 0, "a reply nobody waits for is no error");
	cr_expect_eq(sv.e[1].t, MS(5));
	cr_expect_eq(stats(k).dropped_replies, 1);
	cr_expect_eq(stats(k).replies, 0);
	cr_expect_eq(stats(k).timeouts, 1);
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_IPC, MOS_MSEC, buf,
				      sizeof(buf)), "2:0:3:1@0 2:3:3:1@5");
	mos_kernel_destroy(k);
}

Test(ipc, call_send_cost_and_recv_cost_are_burned_as_cpu)
{
	log_t sv = {.count = 1, .arg = MS(2)}, cl = {.timeout = MOS_TIME_NEVER,
						     .arg = MS(1)};
	mos_pid_t server, client;
	mos_kernel_t *k = call_pair(&sv, &cl, &server, &client);

	/* The client burns 1 ms before sending (encrypting); the server
	 * burns 0.5 ms on receiving (decrypting), computes 2 ms, replies
	 * at 3.5 ms; the client burns 0.25 ms on the reply. */
	cr_assert_eq(mos__ipc_set_recv_cost(mos__proc_find(k, server),
					    500 * MOS_USEC), 0);
	cr_assert_eq(mos__ipc_set_recv_cost(mos__proc_find(k, client),
					    250 * MOS_USEC), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(sv.e[0].t, 1500 * MOS_USEC);
	cr_expect_eq(sv.e[1].t, 3500 * MOS_USEC);
	cr_expect_eq(cl.e[0].rc, 0);
	cr_expect_eq(cl.e[0].t, 3750 * MOS_USEC);
	cr_expect_eq(t_info(k, client).times.cpu_user, 1250 * MOS_USEC);
	cr_expect_eq(mos__ipc_set_recv_cost(NULL, 1), MOS_EINVAL);
	mos_kernel_destroy(k);
}

/* ---- host requests ----------------------------------------------------- */

typedef struct done_log {
	int calls;
	int result;
	mos_time_t t;
	mos_msg_t reply;
} done_log_t;

static void on_done(mos_kernel_t *k, mos_ipc_host_req_t *hr, int result,
		    const mos_msg_t *reply)
{
	done_log_t *d = hr->arg;

	cr_expect(!mos__ipc_host_pending(hr), "settled before done");
	d->calls++;
	d->result = result;
	d->t = mos_kernel_now(k);
	if (reply)
		d->reply = *reply;
}

Test(ipc, host_request_done_with_the_reply_or_epeerdied)
{
	log_t sv = {.count = 0, .arg = MS(2)};
	mos_kernel_t *k = t_kernel(NULL);
	mos_ipc_host_req_t hr;
	done_log_t d = {0};
	mos_msg_t ping = text(MOS_MSG_PING, "ping");
	mos_pid_t server;

	mos__ipc_host_init(&hr);
	mos_program_register(k, "t_server", server_main);
	server = t_spawn_arg(k, T_ARGV("t_server"), &sv);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(mos__ipc_host_request(k, server, &hr, &ping, on_done, &d),
		     0);
	cr_expect(mos__ipc_host_pending(&hr));
	cr_expect_eq(mos__ipc_host_request(k, server, &hr, &ping, on_done, &d),
		     MOS_EINVAL, "already pending");
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_expect_eq(d.calls, 1);
	cr_expect_eq(d.result, 0);
	cr_expect_eq(d.t, MS(3));
	cr_expect_eq(d.reply.type, MOS_MSG_REPLY);
	cr_expect_eq(d.reply.sender, server);
	cr_expect_eq(d.reply.request_id, hr.pend.request_id);
	cr_expect_eq(sv.e[0].m.type, MOS_MSG_PING);
	cr_expect_eq(sv.e[0].m.sender, 0);
	cr_expect_eq(sv.e[0].m.uid, 0);
	cr_expect_str_eq((const char *)sv.e[0].m.payload, "ping");

	/* Again, and the server dies handling it. */
	cr_assert_eq(mos__ipc_host_request(k, server, &hr, &ping, on_done, &d),
		     0);
	cr_assert_eq(mos_kernel_run(k, MS(11)), 0);
	cr_assert_eq(mos_process_terminate(k, server, true), 0);
	cr_expect_eq(d.calls, 2);
	cr_expect_eq(d.result, MOS_EPEERDIED);
	cr_expect_eq(d.t, MS(11));
	cr_expect_eq(stats(k).peer_died, 1);
	cr_expect_eq(stats(k).replies, 1);
	cr_expect_eq(mos__ipc_host_request(k, server, &hr, &ping, on_done, &d),
		     MOS_EPROCNOTFOUND);
	mos_kernel_destroy(k);
}

Test(ipc, host_request_cancelled_is_never_done_and_a_full_mailbox_is_eagain)
{
	log_t sv = {.count = 1, .arg = MS(2)};
	mos_kernel_t *k = kernel_cap(1);
	mos_ipc_host_req_t hr, hr2;
	done_log_t d = {0};
	mos_msg_t ping = text(MOS_MSG_PING, "ping");
	mos_pid_t server;

	memset(&hr, 0, sizeof(hr)); /* zeroed storage is settled too */
	mos__ipc_host_init(&hr2);
	mos_program_register(k, "t_server", server_main);
	server = t_spawn_arg(k, T_ARGV("t_server"), &sv);
	cr_assert_eq(mos__ipc_host_request(k, server, &hr, &ping, on_done, &d),
		     0);
	cr_expect_eq(mos__ipc_host_request(k, server, &hr2, &ping, on_done,
					   &d), MOS_EAGAIN);
	cr_expect(!mos__ipc_host_pending(&hr2));
	mos__ipc_host_cancel(k, &hr);
	mos__ipc_host_cancel(k, &hr); /* settled: nothing */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(d.calls, 0);
	cr_expect_eq(sv.e[1].t, MS(2));
	cr_expect_eq(stats(k).dropped_replies, 1);
	cr_expect_eq(stats(k).sent, 1);
	mos_kernel_destroy(k);
}

/* ---- bad arguments change nothing -------------------------------------- */

static int bad_main(mos_proc_t *self, int argc, char **argv)
{
	log_t *lg = mos_sys_state(self);
	mos_msg_t m = text(MOS_MSG_DATA, "b"), big = m, r;

	(void)argc, (void)argv;
	big.len = MOS_MSG_PAYLOAD_MAX + 1;
	note(self, lg, mos_sys_send(self, lg->peer, NULL), NULL);
	note(self, lg, mos_sys_send(self, lg->peer, &big), NULL);
	note(self, lg, mos_sys_send_timed(self, lg->peer, &m, 0, 4), NULL);
	note(self, lg, mos_sys_send(self, 0, &m), NULL);
	note(self, lg, mos_sys_send(self, -3, &m), NULL);
	note(self, lg, mos_sys_send(self, 999, &m), NULL);
	note(self, lg, mos_sys_recv(self, NULL, 0), NULL);
	note(self, lg, mos_sys_reply(self, NULL, &m), NULL);
	note(self, lg, mos_sys_reply(self, &m, &big), NULL);
	note(self, lg, mos__ipc_call(self, lg->peer, NULL, &r, 0, 0, 0), NULL);
	note(self, lg, mos__ipc_call(self, lg->peer, &big, &r, 0, 0, 0), NULL);
	note(self, lg, mos__ipc_call(self, mos_sys_getpid(self), &m, &r,
				     MOS_TIME_NEVER, 0, 0), NULL);
	note(self, lg, mos__ipc_call(self, 999, &m, &r, MOS_TIME_NEVER, 0, 0),
	     NULL);
	note(self, lg, mos_sys_send_timed(self, lg->peer, &m,
					  MOS_TIME_NEVER - 1, 0), NULL);
	return 0;
}

Test(ipc, bad_arguments_change_nothing)
{
	mos_kernel_t *k = t_kernel(NULL);
	log_t b = {0};
	mos_mailbox_info_t mb;
	mos_ipc_stats_t st;
	mos_msg_t m = text(MOS_MSG_DATA, "b");
	mos_ipc_host_req_t hr;
	const int want[] = {MOS_EINVAL, MOS_EINVAL, MOS_EINVAL,
			    MOS_EPROCNOTFOUND, MOS_EPROCNOTFOUND,
			    MOS_EPROCNOTFOUND, MOS_EINVAL, MOS_EINVAL,
			    MOS_EINVAL, MOS_EINVAL, MOS_EINVAL, MOS_EINVAL,
			    MOS_EPROCNOTFOUND, 0};
	mos_pid_t peer;

	mos__ipc_host_init(&hr);
	mos_program_register(k, "sleeper", sleeper_main);
	mos_program_register(k, "bad", bad_main);
	peer = t_spawn(k, T_ARGV("sleeper"));
	b.peer = peer;
	t_spawn_arg(k, T_ARGV("bad"), &b);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(b.n, 14);
	for (int i = 0; i < 14; i++)
		cr_expect_eq(b.e[i].rc, want[i], "step %d: %s", i,
			     mos_err_name(b.e[i].rc));
	/* The last one had room: it went in, nothing else did. */
	cr_assert_eq(mos_ipc_mailbox(k, peer, &mb), 0);
	cr_expect_eq(mb.queued, 1);
	cr_expect_eq(stats(k).sent, 1);
	cr_expect_eq(stats(k).dropped_replies, 0);
	cr_expect_eq(mos_ipc_stats(NULL, &st), MOS_EINVAL);
	cr_expect_eq(mos_ipc_stats(k, NULL), MOS_EINVAL);
	cr_expect_eq(mos_ipc_mailbox(k, 999, &mb), MOS_EPROCNOTFOUND);
	cr_expect_eq(mos_ipc_mailbox(k, peer, NULL), MOS_EINVAL);
	cr_expect_eq(mos__ipc_host_request(k, peer, &hr, NULL, on_done, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos__ipc_host_request(k, peer, &hr, &m, NULL, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos__ipc_host_request(k, 999, &hr, &m, on_done, NULL),
		     MOS_EPROCNOTFOUND);
	cr_expect_eq(stats(k).sent, 1);
	mos_kernel_destroy(k);
}

Test(ipc, a_kernel_that_never_used_ipc_has_zero_stats)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_ipc_stats_t st, zero;

	memset(&zero, 0, sizeof(zero));
	memset(&st, 0xff, sizeof(st));
	cr_assert_eq(mos_ipc_stats(k, &st), 0);
	cr_expect_eq(memcmp(&st, &zero, sizeof(st)), 0);
	mos_kernel_destroy(k);
}

/* ---- configuration ----------------------------------------------------- */

static int load_text(const char *json, mos_config_t *c, mos_error_t *err)
{
	char path[] = "/tmp/mos-ipc-XXXXXX";
	int fd = mkstemp(path);
	int rc;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	rc = mos_config_load_json(path, c, err);
	unlink(path);
	return rc;
}

Test(ipc, mailbox_capacity_config_key)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	cr_expect_eq(c.ipc.mailbox_capacity, 64);
	c.ipc.mailbox_capacity = 0;
	cr_expect_eq(mos_config_validate(&c, &err), MOS_ECONFIG);
	cr_expect(strstr(err.message, "ipc.mailbox_capacity") ||
		  strstr(err.path, "ipc.mailbox_capacity"), "%s", err.message);
	c.ipc.mailbox_capacity = 65537;
	cr_expect_eq(mos_config_validate(&c, NULL), MOS_ECONFIG);
	c.ipc.mailbox_capacity = 65536;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);
	c.ipc.mailbox_capacity = 1;
	cr_expect_eq(mos_config_validate(&c, NULL), 0);

	mos_config_default(&c);
	cr_expect_eq(load_text("{\"ipc\": {\"mailbox_capacity\": 8}}", &c, &err),
		     0, "%s", err.message);
	cr_expect_eq(c.ipc.mailbox_capacity, 8);
	cr_expect_eq(load_text("{\"ipc\": {\"mailbox_capacity\": 0}}", &c, &err),
		     MOS_ECONFIG);
	cr_expect_eq(load_text("{\"ipc\": {\"capacity\": 3}}", &c, &err),
		     MOS_ECONFIG);
	cr_expect_eq(c.ipc.mailbox_capacity, 8, "unchanged on error");
	cr_expect_eq(load_text("{\"ipc\": {\"encryption_cost_us\": 7}}", &c,
			       &err), 0, "%s", err.message);
	cr_expect_eq(c.ipc.encryption_cost_us, 7);
	cr_expect_eq(load_text("{\"ipc\": {\"encryption_cost_us\": 0}}", &c,
			       &err), MOS_ECONFIG);
	cr_expect(strstr(err.path, "ipc.encryption_cost_us") ||
		  strstr(err.message, "encryption_cost_us"), "%s %s", err.path,
		  err.message);
	cr_expect_eq(c.ipc.encryption_cost_us, 7, "unchanged on error");
}

/* ---- direct switches change nothing ------------------------------------ */

/* Ping-pong, calls and a blocked sender, driven by mos_kernel_run (a
 * process that blocks may switch straight to the next) and by
 * mos_kernel_step (every switch through the loop): the same trace and
 * statistics but the host switches. */
static mos_kernel_t *mixed(log_t *lg)
{
	mos_kernel_t *k = kernel_cap(1);
	mos_pid_t rx, server;

	mos_program_register(k, "rx", rx_main);
	mos_program_register(k, "tx", tx_main);
	mos_program_register(k, "send", sender_main);
	mos_program_register(k, "t_server", server_main);
	mos_program_register(k, "t_client", client_main);
	lg[0] = (log_t){.count = 5};
	rx = t_spawn_arg(k, T_ARGV("rx"), &lg[0]);
	lg[1] = (log_t){.peer = rx};
	t_spawn_arg(k, T_ARGV("tx"), &lg[1]);
	lg[2] = (log_t){.peer = rx};
	t_spawn_arg(k, T_ARGV("send", "x"), &lg[2]);
	lg[3] = (log_t){.peer = rx};
	t_spawn_arg(k, T_ARGV("send", "y"), &lg[3]);
	lg[4] = (log_t){.count = 2, .arg = MS(1)};
	server = t_spawn_arg(k, T_ARGV("t_server"), &lg[4]);
	lg[5] = (log_t){.peer = server, .timeout = MOS_TIME_NEVER};
	t_spawn_arg(k, T_ARGV("t_client"), &lg[5]);
	lg[6] = (log_t){.peer = server, .timeout = MOS_TIME_NEVER};
	t_spawn_arg(k, T_ARGV("t_client"), &lg[6]);
	return k;
}

Test(ipc, direct_switches_on_blocking_change_nothing_but_host_switches)
{
	log_t la[7], lb[7];
	mos_kernel_t *a = mixed(la), *b = mixed(lb);
	mos_kernel_stats_t sa, sb;
	int progressed = 1;

	cr_assert_eq(mos_kernel_run(a, MOS_TIME_NEVER), 0);
	while (progressed)
		cr_assert_eq(mos_kernel_step(b, &progressed), 0);
	cr_assert_eq(mos_trace_hash(a), mos_trace_hash(b));
	cr_assert_eq(mos_kernel_now(a), mos_kernel_now(b));
	cr_assert_eq(mos_kernel_stats(a, &sa), 0);
	cr_assert_eq(mos_kernel_stats(b, &sb), 0);
	cr_expect_lt(sa.host_switches, sb.host_switches, "none was direct");
	sa.host_switches = sb.host_switches = 0;
	cr_expect(memcmp(&sa, &sb, sizeof(sa)) == 0, "statistics differ");
	cr_expect_eq(la[0].n, 5);
	cr_expect_eq(la[5].e[0].rc, 0);
	cr_expect_eq(la[6].e[0].rc, 0);
	cr_expect_eq(la[6].e[0].t, MS(2), "served second");
	for (int i = 0; i < 5; i++)
		cr_expect_eq(la[0].e[i].t, lb[0].e[i].t);
	mos_kernel_destroy(a);
	mos_kernel_destroy(b);
}
