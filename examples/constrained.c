/*
 * examples/constrained.c - resource-constrained processes: a memory
 * limit, a CPU-time limit (soft and hard, as RLIMIT_CPU) and a resource
 * group's memory.max, each biting at its exact point.
 *
 *   - "hog" allocates 64 KiB at a time under max_memory 200 KiB: the
 *     fourth allocation fails with MOS_ELIMIT, a limit violation;
 *   - "spinner" computes for ever under max_cpu_time soft 5 ms, hard
 *     8 ms: SIGXCPU at 5 ms of CPU (it catches it and goes on), SIGKILL
 *     at 8 ms;
 *   - two "hog"s in a group "batch" with memory.max 300 KiB and no limit
 *     of their own: together they get four blocks, the fifth and sixth
 *     are refused.
 *
 * Build: cc -std=c11 constrained.c $(pkg-config --cflags --libs multios)
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/multios.h>

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "constrained: %s:%d: ",             \
				__FILE__, __LINE__);                        \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			exit(1);                                            \
		}                                                           \
	} while (0)

#define KIB 1024u

/* Allocate 64 KiB blocks, 1 ms apart, until refused: the count into the
 * int its state points to; exit 0, 50 ms later, when refused by a
 * limit. */
static int hog_main(mos_proc_t *self, int argc, char **argv)
{
	int *got = mos_sys_state(self);
	mos_mem_handle_t h;
	int rc;

	(void)argc, (void)argv;
	while ((rc = mos_sys_alloc(self, 64 * KIB, &h)) == 0) {
		(*got)++;
		mos_sys_sleep(self, MOS_MSEC);
	}
	/* Hold what it has a while: its exit would give it back. */
	mos_sys_sleep(self, 50 * MOS_MSEC);
	return rc == MOS_ELIMIT ? 0 : 1;
}

/* SIGXCPU caught: when, into the spinner's state. */
static void on_xcpu(mos_proc_t *self, int sig)
{
	(void)sig;
	*(mos_time_t *)mos_sys_state(self) = mos_sys_now(self);
}

static int spinner_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (mos_sys_sigaction(self, MOS_SIGXCPU, MOS_SIG_CATCH, on_xcpu, 0, 0,
			      NULL) < 0)
		return 1;
	for (;;)
		mos_sys_compute(self, MOS_MSEC);
}

static mos_pid_t spawn(mos_kernel_t *k, const char *prog, void *arg)
{
	mos_process_spec_t spec;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.command = (const char *const[]){prog, NULL};
	spec.arg = arg;
	CHECK(mos_process_create(k, &spec, &pid) == 0, "create %s", prog);
	return pid;
}

int main(void)
{
	mos_kernel_t *k = NULL;
	mos_rlimits_t lim;
	mos_group_limits_t gl;
	mos_group_id_t batch;
	mos_rusage_t u;
	mos_process_info_t pi;
	mos_time_t xcpu_at = 0;
	int one = 0, a = 0, b = 0;
	mos_pid_t hog, spinner, g1, g2;

	CHECK(mos_kernel_create(NULL, &k, NULL) == 0, "kernel");
	CHECK(mos_program_register(k, "hog", hog_main) == 0 &&
	      mos_program_register(k, "spinner", spinner_main) == 0,
	      "register");

	/* A memory limit. */
	hog = spawn(k, "hog", &one);
	mos_rlimits_init(&lim);
	lim.max_memory = 200 * KIB;
	CHECK(mos_process_set_limits(k, hog, &lim, NULL) == 0, "limits");

	/* A CPU limit, soft and hard. */
	spinner = spawn(k, "spinner", &xcpu_at);
	mos_rlimits_init(&lim);
	lim.max_cpu_time = 5 * MOS_MSEC;
	{
		mos_rlimits_t hard = lim;

		hard.max_cpu_time = 8 * MOS_MSEC;
		CHECK(mos_process_set_limits(k, spinner, &lim, &hard) == 0,
		      "cpu limits");
	}

	/* A group's memory.max over two processes. */
	mos_group_limits_init(&gl);
	gl.memory_max = 300 * KIB;
	CHECK(mos_group_create(k, 0 /* the root */, "batch", &batch) == 0 &&
	      mos_group_set(k, batch, &gl) == 0, "group");
	g1 = spawn(k, "hog", &a);
	g2 = spawn(k, "hog", &b);
	CHECK(mos_group_attach(k, batch, g1) == 0 &&
	      mos_group_attach(k, batch, g2) == 0, "attach");

	CHECK(mos_kernel_run(k, MOS_TIME_NEVER) == 0, "run");

	CHECK(mos_process_get_stats(k, hog, &u) == 0, "stats");
	printf("hog: %d blocks, then MOS_ELIMIT; %llu violation(s)\n", one,
	       (unsigned long long)u.limit_violations);
	CHECK(one == 3 && u.limit_violations == 1, "3 blocks under 200 KiB");

	CHECK(mos_process_get_info(k, spinner, &pi) == 0, "info");
	CHECK(mos_process_get_stats(k, spinner, &u) == 0, "stats");
	printf("spinner: SIGXCPU at %.1f ms, killed by signal %d after "
	       "%.1f ms of CPU\n", (double)xcpu_at / MOS_MSEC,
	       MOS_WTERMSIG(pi.exit_status), (double)u.cpu_total / MOS_MSEC);
	CHECK(MOS_WIFSIGNALED(pi.exit_status) &&
	      MOS_WTERMSIG(pi.exit_status) == MOS_SIGKILL, "killed");
	CHECK(u.cpu_total == 8 * MOS_MSEC, "at exactly 8 ms of CPU");
	CHECK(xcpu_at == 5 * MOS_MSEC, "SIGXCPU caught at 5 ms");

	printf("batch group: %d + %d blocks under memory.max 300 KiB\n", a, b);
	CHECK(a == 2 && b == 2, "two blocks each, four in the group");
	mos_kernel_destroy(k);
	return 0;
}
