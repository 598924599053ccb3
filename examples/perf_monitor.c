/*
 * examples/perf_monitor.c - performance monitoring: what a run costs and
 * how fast it answers, read from the kernel's counters, the service
 * runtime's latency percentiles and the monitor's rates.
 *
 * A 2-instance `server 3ms` service and four `client`s, each sending 50
 * requests at 100 a second from 10 ms: 200 requests on one CPU that can
 * serve 333 a second.  Afterwards the program reads the kernel's
 * statistics (CPU busy and idle time, context switches), each instance's
 * request count and latency percentiles (virtual time, nearest rank), and
 * checks them against what the load must give: every request answered,
 * the two instances sharing them evenly (round robin), 600 ms of CPU for
 * the servers.  The load is more than the CPU serves (400 requests a
 * second offered), so each client always has a request in flight and
 * each request shares the CPU with the three others: every latency is
 * 4 x 3 = 12 ms, and the run ends at 10 + 600 ms.
 *
 * Build: cc -std=c11 perf_monitor.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "perf_monitor: %s:%d: ",            \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

static double ms(mos_time_t t)
{
	return (double)t / MOS_MSEC;
}

int main(void)
{
	static const char *const server[] = {"server", "3ms", NULL};
	static const char *const client[] = {"client", "web", "100", "50",
					     NULL};
	mos_kernel_t *k = NULL;
	mos_service_descriptor_t d;
	mos_service_id_t id;
	mos_service_status_t st;
	mos_service_instance_t in[2];
	mos_kernel_stats_t ks;
	mos_error_t err;
	size_t n = 0;

	CHECK(mos_kernel_create(NULL, &k, NULL) == 0, "kernel");
	mos_service_descriptor_init(&d);
	d.name = "web";
	d.command = server;
	d.instances = 2;
	CHECK(mos_service_register(k, 0, &d, &id, &err) == 0, "%s",
	      err.message);
	CHECK(mos_service_start(k, 0, id) == 0, "start");
	for (int i = 0; i < 4; i++) {
		mos_process_spec_t spec;
		mos_pid_t pid;

		mos_process_spec_init(&spec);
		spec.command = client;
		spec.start_time = 10 * MOS_MSEC;
		CHECK(mos_process_create(k, &spec, &pid) == 0, "client");
	}
	CHECK(mos_kernel_run(k, MOS_TIME_NEVER) == 0, "run");

	CHECK(mos_kernel_stats(k, &ks) == 0, "stats");
	printf("run: %.1f ms; CPU busy %.1f ms, idle %.1f ms; "
	       "%llu context switches\n", ms(mos_kernel_now(k)), ms(ks.busy),
	       ms(ks.idle), (unsigned long long)ks.context_switches);
	CHECK(ks.busy == 200 * 3 * MOS_MSEC, "600 ms of service");
	CHECK(mos_kernel_now(k) == 610 * MOS_MSEC, "ends at 610 ms");

	CHECK(mos_service_status(k, id, &st) == 0, "status");
	CHECK(st.requests == 200 && st.replies == 200 &&
	      st.request_failures == 0, "all 200 answered");
	CHECK(mos_service_instances(k, id, in, 2, &n) == 0 && n == 2, "inst");
	for (size_t i = 0; i < n; i++) {
		printf("instance %zu: %llu requests, latency p50 %.1f ms, "
		       "p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", i,
		       (unsigned long long)in[i].requests, ms(in[i].latency_p50),
		       ms(in[i].latency_p90), ms(in[i].latency_p99),
		       ms(in[i].latency_max));
		CHECK(in[i].requests == 100, "round robin: 100 each");
		CHECK(in[i].latency_p50 == 12 * MOS_MSEC &&
		      in[i].latency_max == 12 * MOS_MSEC,
		      "every request waits for the three others: 12 ms");
	}
	mos_kernel_destroy(k);
	return 0;
}
