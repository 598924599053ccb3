/*
 * examples/hello.c - the smallest complete libmultios program.
 *
 * It registers a C program, "greeter", with a simulated kernel and runs one
 * process of it.  The greeter computes for 2 ms of virtual CPU time, spawns
 * the built-in `cpu 3ms` program as a child, waits for it and reports its
 * exit status and the virtual time.  Afterwards the host prints the trace:
 * every state transition of every process, in virtual time.
 *
 * Only the public API (<multios/multios.h>) is used.  Build it with
 *   cc -std=c11 hello.c $(pkg-config --cflags --libs multios)
 * Virtual time advances only as the simulated work demands, so the program
 * finishes at once and prints the same thing on every run.
 */
#include <stdio.h>
#include <stdlib.h>

#include <multios/multios.h>

/*
 * The greeter's main.  It runs on the process's own coroutine and talks to
 * the kernel only through the mos_sys_* calls of syscall.h; `self` is its
 * handle.  The return value is the process's exit code.
 */
static int greeter_main(mos_proc_t *self, int argc, char **argv)
{
	static const char *const child_cmd[] = {"cpu", "3ms", NULL};
	mos_pid_t child;
	mos_time_t now;
	int status;
	int err;

	(void)argc;
	(void)argv;

	/* Burn 2 ms of (virtual) CPU time. */
	err = mos_sys_compute(self, 2 * MOS_MSEC);
	if (err < 0) {
		fprintf(stderr, "greeter: compute: %s\n", mos_strerror(err));
		return 1;
	}

	/* Start a child running the built-in "cpu" program for 3 ms. */
	err = mos_sys_spawn(self, child_cmd, &child);
	if (err < 0) {
		fprintf(stderr, "greeter: spawn: %s\n", mos_strerror(err));
		return 1;
	}

	/* Block until a child dies (ours is the only one); this reaps it
	 * and returns its pid. */
	err = mos_sys_wait(self, &status);
	if (err < 0) {
		fprintf(stderr, "greeter: wait: %s\n", mos_strerror(err));
		return 1;
	}

	/* status is a POSIX-style wait status: decode it with MOS_W*. */
	if (MOS_WIFEXITED(status))
		printf("greeter (pid %d): child %d exited with status %d\n",
		       (int)mos_sys_getpid(self), (int)child,
		       MOS_WEXITSTATUS(status));
	else
		printf("greeter (pid %d): child %d killed by signal %d\n",
		       (int)mos_sys_getpid(self), (int)child,
		       MOS_WTERMSIG(status));
	now = mos_sys_now(self);
	printf("greeter: virtual time is %.3f ms\n", (double)now / 1e6);
	return 0;
}

/* Print a failed call's error and exit (the host side's error handling). */
static void check(int err, const char *what, mos_kernel_t *k)
{
	if (err < 0) {
		fprintf(stderr, "hello: %s: %s (%s)\n", what, mos_strerror(err),
			mos_err_name(err));
		mos_kernel_destroy(k); /* NULL is fine */
		exit(EXIT_FAILURE);
	}
}

int main(void)
{
	static const char *const cmd[] = {"greeter", NULL};
	mos_kernel_t *k = NULL;
	mos_process_spec_t spec;
	mos_process_info_t info;
	mos_pid_t pid;
	mos_time_t now;

	/* A kernel with the default configuration (NULL), init (pid 1) in
	 * place, on the virtual clock. */
	check(mos_kernel_create(NULL, &k, NULL), "mos_kernel_create", NULL);

	/* Programs are registered per kernel, by the name command[0] uses. */
	check(mos_program_register(k, "greeter", greeter_main),
	      "mos_program_register", k);

	/* Create a greeter process; it starts Ready, a child of init. */
	mos_process_spec_init(&spec);
	spec.command = cmd;
	check(mos_process_create(k, &spec, &pid), "mos_process_create", k);

	/* Run until nothing is left to do. */
	check(mos_kernel_run(k, MOS_TIME_NEVER), "mos_kernel_run", k);

	/* The greeter is gone, but its record stays queryable. */
	check(mos_process_get_info(k, pid, &info), "mos_process_get_info", k);
	now = mos_kernel_now(k);
	printf("host: greeter (pid %d) is %s with exit status %d at %.3f ms\n",
	       (int)pid, mos_state_name(info.state),
	       MOS_WEXITSTATUS(info.exit_status),
	       (double)now / 1e6);

	/* Every state transition, one per line. */
	printf("\ntrace:\n");
	check(mos_trace_dump(k, stdout), "mos_trace_dump", k);

	mos_kernel_destroy(k);
	return 0;
}
