/*
 * examples/emergency.c - the emergency procedures of the admin module
 * (docs/ADMIN.md): an emergency stop and the out-of-memory response.
 *
 * Emergency stop.  At 50 ms the host calls mos_admin_emergency_stop with
 * emergency_termination_timeout_ms = 100.  Targets, lowest priority
 * first: "stubborn" (Low; it catches SIGTERM and carries on), "worker"
 * (Normal), and the service "web" (stopped as a service, so its restart
 * policy leaves it down); "watchdog" is Critical and is left alone.  The
 * worker dies of SIGTERM at 50 ms, the stubborn process of SIGKILL at
 * exactly 150 ms.
 *
 * OOM.  A second kernel of 1 MiB runs two allocators with the OOM
 * response on: "big" holds 512 KiB, "small" 256 KiB but oom_score_adj
 * +500.  When a third allocation finds the machine full, the admin kills
 * the highest badness (memory per mille of the machine + oom_score_adj):
 * small (250 + 500) rather than big (500).
 *
 * Build: cc -std=c11 emergency.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/admin.h>
#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "emergency: %s:%d: ",               \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

#define KIB 1024u

static void ignore_term(mos_proc_t *self, int sig)
{
	(void)self, (void)sig;
}

static int stubborn_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc, (void)argv;
	mos_sys_sigaction(self, MOS_SIGTERM, MOS_SIG_CATCH, ignore_term, 0, 0,
			  NULL);
	/* A caught SIGTERM ends a sleep with MOS_EINTR: sleep again. */
	while (mos_sys_sleep(self, MOS_SEC) != MOS_EINVAL)
		;
	return 1;
}

/* Allocate the KiB its argv[1] says, then ask for 512 KiB more every
 * 10 ms (from 10 ms on); hold everything. */
static int alloc_main(mos_proc_t *self, int argc, char **argv)
{
	mos_mem_handle_t h;

	(void)argc;
	if (mos_sys_alloc(self, (uint64_t)atoi(argv[1]) * KIB, &h) < 0)
		return 1;
	for (;;) {
		mos_sys_sleep(self, 10 * MOS_MSEC);
		(void)mos_sys_alloc(self, 512 * KIB, &h);
	}
}

static mos_pid_t spawn(mos_kernel_t *k, const char *const *cmd,
		       mos_priority_t prio)
{
	mos_process_spec_t spec;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.command = cmd;
	spec.priority = prio;
	CHECK(mos_process_create(k, &spec, &pid) == 0, "create %s", cmd[0]);
	return pid;
}

static mos_process_info_t info(mos_kernel_t *k, mos_pid_t pid)
{
	mos_process_info_t pi;

	CHECK(mos_process_get_info(k, pid, &pi) == 0, "info %d", pid);
	return pi;
}

static void emergency_stop(void)
{
	static const char *const server[] = {"server", "1ms", NULL};
	mos_config_t cfg;
	mos_kernel_t *k = NULL;
	mos_service_descriptor_t d;
	mos_service_id_t web;
	mos_service_status_t st;
	mos_error_t err;
	mos_pid_t stubborn, worker, watchdog;

	mos_config_default(&cfg);
	cfg.emergency_termination_timeout_ms = 100;
	CHECK(mos_kernel_create(&cfg, &k, NULL) == 0, "kernel");
	CHECK(mos_program_register(k, "stubborn", stubborn_main) == 0, "reg");
	stubborn = spawn(k, (const char *const[]){"stubborn", NULL},
			 MOS_PRIO_LOW);
	worker = spawn(k, (const char *const[]){"sleep", "10s", NULL},
		       MOS_PRIO_NORMAL);
	watchdog = spawn(k, (const char *const[]){"sleep", "1s", NULL},
			 MOS_PRIO_CRITICAL);
	mos_service_descriptor_init(&d);
	d.name = "web";
	d.command = server;
	d.restart.policy = MOS_RESTART_ALWAYS;
	CHECK(mos_service_register(k, 0, &d, &web, &err) == 0, "%s",
	      err.message);
	CHECK(mos_service_start(k, 0, web) == 0, "start");

	CHECK(mos_kernel_run(k, 50 * MOS_MSEC) == 0, "run");
	CHECK(mos_admin_emergency_stop(k, 0, "example") == 0, "stop");
	CHECK(mos_kernel_run(k, 150 * MOS_MSEC) == 0, "run");
	CHECK(info(k, worker).state == MOS_STATE_ZOMBIE ||
	      info(k, worker).state >= MOS_STATE_TERMINATED, "worker gone");
	CHECK(MOS_WTERMSIG(info(k, worker).exit_status) == MOS_SIGTERM,
	      "worker: SIGTERM");
	CHECK(info(k, stubborn).state < MOS_STATE_TERMINATED,
	      "stubborn still alive just before 150 ms");
	CHECK(mos_kernel_run(k, 150 * MOS_MSEC + 1) == 0, "run");
	CHECK(MOS_WTERMSIG(info(k, stubborn).exit_status) == MOS_SIGKILL,
	      "stubborn: SIGKILL at 150 ms");
	CHECK(mos_service_status(k, web, &st) == 0 &&
	      st.state == MOS_SVC_STOPPED, "web stopped, not restarted");
	CHECK(info(k, watchdog).state < MOS_STATE_TERMINATED,
	      "the critical watchdog runs on");
	printf("emergency stop at 50 ms: worker SIGTERM, web stopped, "
	       "stubborn SIGKILL at 150 ms, watchdog untouched\n");
	mos_kernel_destroy(k);
}

static void oom(void)
{
	mos_config_t cfg;
	mos_kernel_t *k = NULL;
	mos_pid_t big, small;

	mos_config_default(&cfg);
	cfg.res.memory_size = 1024 * KIB;
	CHECK(mos_kernel_create(&cfg, &k, NULL) == 0, "kernel");
	CHECK(mos_program_register(k, "alloc", alloc_main) == 0, "reg");
	CHECK(mos_admin_oom_enable(k, 0, true) == 0, "oom on");
	big = spawn(k, (const char *const[]){"alloc", "512", NULL},
		    MOS_PRIO_NORMAL);
	small = spawn(k, (const char *const[]){"alloc", "256", NULL},
		      MOS_PRIO_NORMAL);
	CHECK(mos_process_set_oom_score_adj(k, 0, small, 500) == 0, "adj");
	CHECK(mos_kernel_run(k, 11 * MOS_MSEC) == 0, "run");
	CHECK(MOS_WTERMSIG(info(k, small).exit_status) == MOS_SIGKILL,
	      "small killed by the OOM response");
	CHECK(info(k, big).state < MOS_STATE_TERMINATED, "big lives");
	printf("OOM at 10 ms: killed %d (256 KiB, oom_score_adj +500), "
	       "kept %d (512 KiB)\n", small, big);
	mos_kernel_destroy(k);
}

int main(void)
{
	emergency_stop();
	oom();
	return 0;
}
