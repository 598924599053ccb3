/*
 * examples/resource_monitor.c - the MultiOS documentation's "Process
 * Resource Monitoring": create a monitored process, monitor its resources
 * and read its statistics.
 *
 *   create_process(None, High, User, BACKGROUND, ["monitored-app"],
 *                  "/tmp", {})
 *   monitor_process_resources()
 *   get_process_stats(process_id)
 *
 * "monitored-app" is a C program here: every 10 ms it allocates 64 KiB
 * and computes 2 ms, five times, then frees it all.  Monitoring is the
 * config's enable_resource_monitoring (on by default) plus a sampler
 * every 10 ms; the program checks the samples the monitor took and the
 * statistics get_process_stats gives, to the byte and the nanosecond.
 *
 * Build: cc -std=c11 resource_monitor.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "resource_monitor: %s:%d: ",        \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

#define KIB 1024u

static int app_main(mos_proc_t *self, int argc, char **argv)
{
	mos_mem_handle_t h[5];

	(void)argc, (void)argv;
	for (int i = 0; i < 5; i++) {
		if (mos_sys_alloc(self, 64 * KIB, &h[i]) < 0 ||
		    mos_sys_compute(self, 2 * MOS_MSEC) < 0 ||
		    mos_sys_sleep(self, 8 * MOS_MSEC) < 0)
			return 1;
	}
	for (int i = 0; i < 5; i++)
		mos_sys_free(self, h[i]);
	return 0;
}

int main(void)
{
	static const char *const cmd[] = {"monitored-app", NULL};
	mos_config_t cfg;
	mos_kernel_t *k = NULL;
	mos_process_spec_t spec;
	mos_sample_process_t s[16];
	mos_rusage_t u;
	mos_pid_t pid;
	size_t n = 0;

	mos_config_default(&cfg);
	cfg.enable_resource_monitoring = true;
	cfg.res.sample_interval = 10 * MOS_MSEC;
	CHECK(mos_kernel_create(&cfg, &k, NULL) == 0, "kernel");
	CHECK(mos_program_register(k, "monitored-app", app_main) == 0,
	      "register");

	mos_process_spec_init(&spec);
	spec.priority = MOS_PRIO_HIGH;
	spec.prio_class = MOS_CLASS_USER;
	spec.flags = MOS_PROC_BACKGROUND;
	spec.command = cmd;
	spec.working_directory = "/tmp";
	CHECK(mos_process_create(k, &spec, &pid) == 0, "create");

	CHECK(mos_kernel_run(k, 45 * MOS_MSEC) == 0, "run");
	CHECK(mos_process_get_stats(k, pid, &u) == 0, "stats");
	printf("at 45 ms: memory %llu bytes (peak %llu), cpu %.1f ms, "
	       "%u live allocations\n",
	       (unsigned long long)u.memory_current,
	       (unsigned long long)u.memory_peak,
	       (double)u.cpu_total / MOS_MSEC, u.allocations);
	/* Allocations at 0, 10, 20, 30, 40 ms; 2 ms of CPU after each. */
	CHECK(u.memory_current == 5 * 64 * KIB, "five blocks held");
	CHECK(u.cpu_user == 10 * MOS_MSEC, "10 ms of CPU");
	CHECK(u.allocations == 5, "five live allocations");

	CHECK(mos_kernel_run(k, MOS_TIME_NEVER) == 0, "run");
	CHECK(mos_process_get_stats(k, pid, &u) == 0, "stats");
	CHECK(u.memory_current == 0 && u.memory_peak == 5 * 64 * KIB,
	      "all freed, peak five blocks");

	/* What the sampler saw, every 10 ms from 10 ms on. */
	CHECK(mos_monitor_samples_process(k, pid, s, 16, &n) == 0, "samples");
	CHECK(n == 5, "samples at 10 .. 50 ms: %zu", n);
	for (size_t i = 0; i < n; i++) {
		printf("sample %5.1f ms: %-8s memory %6llu cpu %4.1f ms\n",
		       (double)s[i].time / MOS_MSEC,
		       mos_state_name(s[i].state),
		       (unsigned long long)s[i].memory_current,
		       (double)s[i].cpu_user / MOS_MSEC);
		CHECK(s[i].time == (i + 1) * 10 * MOS_MSEC, "sample time");
		CHECK(s[i].memory_current == (i + 1) * 64 * KIB,
		      "memory at sample %zu", i);
		CHECK(s[i].cpu_user == (i + 1) * 2 * MOS_MSEC,
		      "cpu at sample %zu", i);
	}
	mos_kernel_destroy(k);
	return 0;
}
