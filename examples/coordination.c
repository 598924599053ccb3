/*
 * examples/coordination.c - cross-component coordination: processes,
 * services, IPC, health checks and signals working on one request path.
 *
 * A 3-instance `api` service (the built-in `server 1ms`, round robin,
 * `retry` on, a readiness ping probe every 100 ms) and a C client that
 * sends 30 requests through mos_sys_call, one at a time with 2 ms
 * between them, from 10 ms (request n at 10 + 3 (n - 1) ms).  At
 * 31 ms the host kills instance slot 1 with SIGKILL while it handles a
 * request: the call fails over to another instance (retry), the restart
 * policy brings a new instance up 100 ms later, and its readiness probe
 * lets it back into rotation.  The program checks that every request was
 * answered exactly once, where the requests went, and the instants.
 *
 * Build: cc -std=c11 coordination.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "coordination: %s:%d: ",            \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

#define NREQ 30

typedef struct client {
	int rc[NREQ];
	mos_pid_t by[NREQ];      /* the instance that answered */
	uint64_t echo[NREQ];     /* the key the reply echoed */
} client_t;

static int client_main(mos_proc_t *self, int argc, char **argv)
{
	client_t *c = mos_sys_state(self);

	(void)argc, (void)argv;
	for (int i = 0; i < NREQ; i++) {
		mos_msg_t req, reply;

		memset(&req, 0, sizeof(req));
		memset(&reply, 0, sizeof(reply));
		req.key = (uint64_t)i + 1;
		c->rc[i] = mos_sys_call(self, "api", &req, &reply,
					MOS_TIME_NEVER);
		c->by[i] = reply.sender;
		c->echo[i] = reply.key;
		mos_sys_sleep(self, 2 * MOS_MSEC);
	}
	return 0;
}

static mos_service_instance_t slot(mos_kernel_t *k, mos_service_id_t id,
				   uint32_t i)
{
	mos_service_instance_t in[3];
	size_t n = 0;

	CHECK(mos_service_instances(k, id, in, 3, &n) == 0 && n == 3,
	      "instances");
	return in[i];
}

int main(void)
{
	static const char *const server[] = {"server", "1ms", NULL};
	mos_kernel_t *k = NULL;
	mos_service_descriptor_t d;
	mos_service_id_t id;
	mos_process_spec_t spec;
	mos_service_status_t st;
	mos_ipc_stats_t ist;
	mos_error_t err;
	client_t c;
	mos_pid_t pid, victim;
	int answered = 0;

	CHECK(mos_kernel_create(NULL, &k, NULL) == 0, "kernel");
	CHECK(mos_program_register(k, "api-client", client_main) == 0, "reg");

	mos_service_descriptor_init(&d);
	d.name = "api";
	d.command = server;
	d.instances = 3;
	d.retry = true;
	d.restart.policy = MOS_RESTART_ALWAYS;
	d.readiness_probe.kind = MOS_PROBE_PING;
	d.readiness_probe.interval = 100 * MOS_MSEC;
	d.readiness_probe.timeout = 10 * MOS_MSEC;
	d.importance = MOS_IMP_CRITICAL;
	CHECK(mos_service_register(k, 0, &d, &id, &err) == 0, "%s",
	      err.message);
	CHECK(mos_service_start(k, 0, id) == 0, "start");

	memset(&c, 0, sizeof(c));
	mos_process_spec_init(&spec);
	spec.command = (const char *const[]){"api-client", NULL};
	spec.arg = &c;
	spec.start_time = 10 * MOS_MSEC;
	CHECK(mos_process_create(k, &spec, &pid) == 0, "client");

	/* Readiness passes at 0 ms: all three in rotation. */
	CHECK(mos_kernel_run(k, 31500 * MOS_USEC) == 0, "run");
	CHECK(mos_service_status(k, id, &st) == 0 && st.in_rotation == 3,
	      "three in rotation");
	victim = slot(k, id, 1).pid;
	CHECK(slot(k, id, 1).outstanding == 1, "slot 1 busy at 31.5 ms");
	CHECK(mos_process_send_signal(k, victim, MOS_SIGKILL) == 0, "kill");
	printf("31.5 ms: killed instance %d (slot 1) with a request in hand\n",
	       victim);

	CHECK(mos_kernel_run(k, MOS_TIME_NEVER) == 0, "run");
	for (int i = 0; i < NREQ; i++) {
		CHECK(c.rc[i] == 0, "request %d: %s", i + 1,
		      mos_strerror(c.rc[i]));
		CHECK(c.echo[i] == (uint64_t)i + 1, "request %d echoed", i + 1);
		CHECK(c.by[i] != victim || i < 7, "request %d to the dead",
		      i + 1);
		answered++;
	}
	CHECK(mos_ipc_stats(k, &ist) == 0, "ipc stats");
	CHECK(mos_service_status(k, id, &st) == 0, "status");
	printf("%d of %d requests answered; %llu failed over; "
	       "restarts %u; %u in rotation at the end\n",
	       answered, NREQ, (unsigned long long)ist.peer_died,
	       st.restarts, st.in_rotation);
	CHECK(ist.peer_died == 1, "one attempt hit the dead instance");
	CHECK(ist.dropped_replies == 0, "no reply answered twice");
	CHECK(st.restarts == 1 && st.in_rotation == 3, "healed");
	CHECK(st.replies == NREQ, "every request answered once");
	mos_kernel_destroy(k);
	return 0;
}
