/*
 * bench/call.c - requests per second of host time through mos_sys_call,
 * under each balancing strategy (issue 13, "Performance").
 *
 * A service of 10 instances running the built-in `server 0` (no service
 * time: each request is received and answered at once), and C clients
 * (1 000 by default) each making K calls in a row to it, with keys that
 * differ per client and call (consistent_hash routes on them; weighted
 * has weights 1 .. 10).  Every client first makes one call (its IPC state
 * and the service's runtime are made then, outside the measure), then
 * sleeps until virtual time 1 s, so all start the measured loop at the
 * same instant.  The figure is clients * K / the host time from the first
 * client's start of its loop to the last one's end.  A call is a send,
 * the instance's recv and reply, the client's wake-up, and two process
 * switches; the trace keeps one event of each call (trace_capacity 1:
 * the ring write and the hash, not a growing buffer).
 *
 * Configuration: the defaults, history_size 0, trace_capacity 1,
 * ipc.mailbox_capacity 256 (so no client waits for room: the figure is
 * the call path's, not the queue's).
 *
 *   call [--clients N] [--calls K] [--runs R]    N 1 000, K 100, R 5
 *
 * Output: bench.h's JSON lines, one per strategy ("call", variant the
 * strategy, n the clients, iters K, "requests_per_sec").  Exit 1 when a
 * kernel cannot be made or a call fails.
 */
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64
#define INSTANCES 10

struct shared {
	uint64_t calls;
	uint32_t started, done, clients;
	double t0, t1;
	int err;
};

static int client(mos_proc_t *self, int argc, char **argv)
{
	struct shared *s = mos_sys_state(self);
	uint64_t base = (uint64_t)mos_sys_getpid(self) << 32;
	mos_msg_t req = {.len = 16}, reply;
	int err = 0;

	(void)argc;
	(void)argv;
	req.key = base;
	err |= mos_sys_call(self, "bench", &req, &reply, MOS_TIME_NEVER);
	mos_sys_sleep(self, MOS_SEC - mos_sys_now(self));
	if (s->started++ == 0)
		s->t0 = bench_now_ns();
	for (uint64_t i = 0; i < s->calls; i++) {
		req.key = base | (i + 1);
		err |= mos_sys_call(self, "bench", &req, &reply,
				    MOS_TIME_NEVER);
	}
	if (++s->done == s->clients)
		s->t1 = bench_now_ns();
	s->err |= err;
	return 0;
}

static int make(mos_kernel_t **k)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	cfg.ipc.mailbox_capacity = 256;
	return mos_kernel_create(&cfg, k, NULL);
}

static int start_service(mos_kernel_t *k, mos_lb_strategy_t strategy)
{
	static const char *const cmd[] = {"server", "0", NULL};
	static const uint32_t weights[INSTANCES] = {1, 2, 3, 4, 5,
						    6, 7, 8, 9, 10};
	mos_service_descriptor_t d;
	mos_service_id_t id;
	int err;

	mos_service_descriptor_init(&d);
	d.name = "bench";
	d.command = cmd;
	d.instances = INSTANCES;
	d.balance = strategy;
	if (strategy == MOS_LB_WEIGHTED) {
		d.weights = weights;
		d.nweights = INSTANCES;
	}
	if ((err = mos_service_register(k, 0, &d, &id, NULL)) < 0)
		return err;
	return mos_service_start(k, 0, id);
}

/* One run: requests per second of host time. */
static int measure(mos_lb_strategy_t strategy, uint32_t clients,
		   uint64_t calls, double *rps, char *backend, size_t size)
{
	struct shared s = {.calls = calls, .clients = clients};
	const char *cmd[] = {"bench_client", NULL};
	mos_process_spec_t spec;
	mos_kernel_t *k;
	int err;

	if ((err = make(&k)) < 0)
		return err;
	if ((err = mos_program_register(k, "bench_client", client)) < 0 ||
	    (err = start_service(k, strategy)) < 0)
		goto out;
	mos_process_spec_init(&spec);
	spec.command = cmd;
	spec.arg = &s;
	for (uint32_t i = 0; i < clients; i++)
		if ((err = mos_process_create(k, &spec, NULL)) < 0)
			goto out;
	if ((err = mos_kernel_run(k, 2 * MOS_SEC)) < 0 ||
	    (err = mos_kernel_run(k, MOS_TIME_NEVER)) < 0)
		goto out;
	err = s.err || s.done != clients ? MOS_EINVAL : 0;
	*rps = (double)clients * (double)calls / ((s.t1 - s.t0) / 1e9);
	snprintf(backend, size, "%s", mos_kernel_context_backend(k));
out:
	mos_kernel_destroy(k);
	return err;
}

int main(int argc, char **argv)
{
	uint64_t clients = bench_arg(argc, argv, "--clients", 1000);
	uint64_t calls = bench_arg(argc, argv, "--calls", 100);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);
	char backend[MOS_BACKEND_NAME_LEN] = "?";
	double v[MAX_RUNS];
	int err;

	if (runs < 1 || runs > MAX_RUNS || calls < 1 || clients < 1 ||
	    clients > 100000) {
		fprintf(stderr, "call: --runs 1..%d, --calls >= 1, "
				"--clients 1..100000\n", MAX_RUNS);
		return 2;
	}
	for (int st = 0; st < MOS_LB_COUNT; st++) {
		for (uint64_t i = 0; i < runs; i++)
			if ((err = measure((mos_lb_strategy_t)st,
					   (uint32_t)clients, calls, &v[i],
					   backend, sizeof(backend))) < 0) {
				fprintf(stderr, "call: %s: %s\n",
					mos_lb_strategy_name(
						(mos_lb_strategy_t)st),
					mos_strerror(err));
				return 1;
			}
		bench_print("call", "libmultios",
			    mos_lb_strategy_name((mos_lb_strategy_t)st),
			    backend, (unsigned long)clients, calls,
			    "requests_per_sec", v, (int)runs, NULL);
	}
	return 0;
}
