/*
 * examples/service_process.c - the MultiOS documentation's "Basic Service
 * Process": create a service process that restarts itself, start it, and
 * watch it come back after a crash.
 *
 *   create_service_process(ServiceId(1), "web-server", ["nginx"],
 *                          auto_restart = true, max_restarts = 3)
 *   start_service_process(service_id)
 *
 * Our "nginx" is the built-in `server 2ms` (answers each request after
 * 2 ms of CPU).  At 50 ms the host kills its instance; the restart policy
 * (on-failure, back-off 100 ms) brings a new one up at 150 ms.  The
 * program checks every state and instant it prints, and exits 1 if one
 * is not as the documentation says.
 *
 * Build: cc -std=c11 service_process.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "service_process: %s:%d: ",         \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

static mos_service_status_t status(mos_kernel_t *k, mos_service_id_t id)
{
	mos_service_status_t st;

	CHECK(mos_service_status(k, id, &st) == 0, "status");
	printf("%8.3f ms  %-10s %-9s instances %u  restarts %u\n",
	       (double)mos_kernel_now(k) / MOS_MSEC, st.name,
	       mos_service_state_name(st.state), st.ninstances, st.restarts);
	return st;
}

int main(void)
{
	static const char *const nginx[] = {"server", "2ms", NULL};
	mos_kernel_t *k = NULL;
	mos_service_id_t id;
	mos_service_status_t st;
	mos_pid_t first;
	int err;

	CHECK(mos_kernel_create(NULL, &k, NULL) == 0, "kernel");
	err = mos_create_service_process(k, 1, "web-server", nginx, true, 3,
					 &id);
	CHECK(err == 0, "create_service_process: %s", mos_strerror(err));
	CHECK(id == 1, "the id asked for: %u", id);
	CHECK(mos_start_service_process(k, id) == 0, "start");

	CHECK(mos_kernel_run(k, 50 * MOS_MSEC) == 0, "run");
	st = status(k, id);
	CHECK(st.state == MOS_SVC_RUNNING && st.ninstances == 1,
	      "running with one instance");
	first = st.pids[0];

	/* A crash: the instance dies of SIGKILL, a failure. */
	CHECK(mos_process_send_signal(k, first, MOS_SIGKILL) == 0, "kill");
	CHECK(mos_kernel_run(k, 51 * MOS_MSEC) == 0, "run");
	st = status(k, id);
	CHECK(st.state == MOS_SVC_STARTING && st.ninstances == 0,
	      "restarting, no instance");
	CHECK(st.next_restart == 150 * MOS_MSEC, "restart due at 150 ms");

	CHECK(mos_kernel_run(k, 200 * MOS_MSEC) == 0, "run");
	st = status(k, id);
	CHECK(st.state == MOS_SVC_RUNNING && st.restarts == 1,
	      "back, one restart");
	CHECK(st.pids[0] != first, "a new instance");
	printf("web-server: instance %d replaced %d after the crash\n",
	       st.pids[0], first);
	mos_kernel_destroy(k);
	return 0;
}
