/*
 * src/programs/netprogs.c - the request path's built-in programs, so a
 * scenario needs no C (docs/PROGRAMS.md):
 *
 *   server SERVICE_TIME [JITTER]  an instance: answers each request after
 *       computing SERVICE_TIME plus a uniform jitter in [0, JITTER]
 *       (mos_sys_random, the kernel's seeded stream), and each health
 *       ping at once;
 *   client SERVICE RATE COUNT [TIMEOUT]  sends COUNT requests to SERVICE
 *       through mos_sys_call, RATE a second of virtual time.
 *
 * Each checks its arguments in its prepare hook (a bad command fails at
 * create time) and keeps them in a small struct from the kernel's
 * allocator, released however the process dies.
 */
#include <stdlib.h>
#include <string.h>

#include "multios/multios.h"
#include "programs.h"
#include "util/alloc.h"

typedef struct net_args {
	mos_time_t service, jitter;    /* server */
	uint64_t rate, count;          /* client */
	mos_time_t timeout;            /* client: MOS_TIME_NEVER none */
} net_args_t;

static void release_net(const mos_allocator_t *alloc, void *state)
{
	mos__free(alloc, state);
}

static int keep(const mos_allocator_t *alloc, const net_args_t *a,
		void **state)
{
	net_args_t *p = mos__malloc(alloc, sizeof(*p));

	if (!p)
		return MOS_ENOMEM;
	*p = *a;
	*state = p;
	return 0;
}

/* ---- server ------------------------------------------------------------ */

static int prep_server(const mos_allocator_t *alloc, int argc, char **argv,
		       void **state)
{
	net_args_t a = {0};

	if (argc < 2 || argc > 3 || mos_duration_parse(argv[1], &a.service) < 0 ||
	    (argc == 3 && mos_duration_parse(argv[2], &a.jitter) < 0) ||
	    a.jitter == MOS_TIME_NEVER)
		return MOS_EINVAL;
	return keep(alloc, &a, state);
}

/* The reply echoes the request: its key, its len bytes of payload. */
static void serve(mos_proc_t *self, const net_args_t *a, const mos_msg_t *req)
{
	mos_time_t d = a->service;
	mos_msg_t reply;

	if (a->jitter)
		d += mos_sys_random(self) % (a->jitter + 1);
	if (d)
		(void)mos_sys_compute(self, d);
	memset(&reply, 0, sizeof(reply));
	reply.key = req->key;
	reply.len = req->len;
	memcpy(reply.payload, req->payload, req->len);
	(void)mos_sys_reply(self, req, &reply);
}

int mos__program_serve(mos_proc_t *self,
			void (*answer)(mos_proc_t *self, const mos_msg_t *req))
{
	mos_msg_t m;

	for (;;) {
		int rc = mos_sys_recv(self, &m, MOS_TIME_NEVER);

		if (rc == MOS_EINTR)
			continue; /* a caught signal: go on serving */
		if (rc < 0)
			return 1;
		if (m.type == MOS_MSG_PING) {
			mos_msg_t pong;

			memset(&pong, 0, sizeof(pong));
			(void)mos_sys_reply(self, &m, &pong);
		} else if (m.type == MOS_MSG_REQUEST) {
			answer(self, &m);
		}
	}
}

static void serve_one(mos_proc_t *self, const mos_msg_t *req)
{
	serve(self, mos_sys_state(self), req);
}

static int server_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* A notify service's instance is ready once it receives; for a
	 * simple one (or no service) this changes nothing. */
	(void)mos_sys_notify_ready(self);
	return mos__program_serve(self, serve_one);
}

/* ---- client ------------------------------------------------------------ */

/* A whole decimal count in 1 .. max. */
static int count_parse(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return MOS_EINVAL;
	v = strtoull(s, &end, 10);
	if (*end || v == 0 || v > max)
		return MOS_EINVAL;
	*out = v;
	return 0;
}

static int prep_client(const mos_allocator_t *alloc, int argc, char **argv,
		       void **state)
{
	net_args_t a = {.timeout = MOS_TIME_NEVER};

	if (argc < 4 || argc > 5 || !argv[1][0] ||
	    count_parse(argv[2], MOS_SEC, &a.rate) < 0 ||
	    count_parse(argv[3], UINT32_MAX, &a.count) < 0 ||
	    (argc == 5 && mos_duration_parse(argv[4], &a.timeout) < 0))
		return MOS_EINVAL;
	return keep(alloc, &a, state);
}

/* Request n (1 .. COUNT, its key) is due (n - 1) / RATE s after the
 * start; a call still under way when the next is due delays it: the
 * next starts when the call returns (one call at a time). */
static int client_main(mos_proc_t *self, int argc, char **argv)
{
	const net_args_t *a = mos_sys_state(self);
	mos_time_t start = mos_sys_now(self), due, now;
	uint64_t failed = 0;
	mos_msg_t req, reply;

	(void)argc;
	for (uint64_t n = 1; n <= a->count; n++) {
		due = mos__program_due(start, n - 1, a->rate);
		while ((now = mos_sys_now(self)) < due)
			(void)mos_sys_sleep(self, due - now);
		memset(&req, 0, sizeof(req));
		req.key = n;
		if (mos_sys_call(self, argv[1], &req, &reply, a->timeout) < 0)
			failed++;
	}
	return failed ? 1 : 0;
}

static const mos_program_t netprogs[] = {
	{"server", server_main, prep_server, release_net},
	{"client", client_main, prep_client, release_net},
};

int mos__programs_net_register(mos_kernel_t *k)
{
	int err;

	for (size_t i = 0; i < sizeof(netprogs) / sizeof(*netprogs); i++)
		if ((err = mos_program_register_ex(k, &netprogs[i])) < 0)
			return err;
	return 0;
}

