/*
 * src/programs/script.c - the `script` program: a JSON list of steps.
 *
 *   script '[{"compute":"5ms"},{"spawn":["cpu","2ms"]},{"wait":"all"},
 *            {"repeat":3,"steps":[{"sleep":"1ms"},{"yield":true}]},
 *            {"exit":3}]'
 *
 * Steps: compute / sleep DURATION; yield true; spawn COMMAND or
 * {"command": COMMAND, "priority": NAME}; wait "any" | "all"; exit CODE;
 * repeat N with "steps"; signals: kill WHO with "signal"; signal SIG with
 * "action" (default, ignore, stop, terminate, or a list of steps: the
 * handler); mask / unmask [SIG...]; pause true; alarm DURATION; memory:
 * alloc SIZE (a byte count or a size string, "64KiB"), free N (the N-th
 * allocation of the run, from 1, or "last": the latest not yet freed),
 * stack SIZE.  A spawned script may give its steps as a JSON array
 * in place of the string: {"spawn": ["script", [ ...steps... ]]}.
 * Files (multios/resource.h): open PATH, with "mode" letters r (read),
 * w (write), c (create), x (exclusive), t (truncate), "rw" by default;
 * close "last" | FD; read / write SIZE (bytes: an integer, or a string
 * with a unit B, K/KiB, M/MiB, G/GiB, KB, MB, GB) on the last descriptor
 * opened, or with "fd": FD; chdir PATH.  At run time a failing file step
 * is skipped, as any failing step is.
 * The whole script is parsed and checked when the process is created (the
 * prepare hook), so a bad script fails mos_process_create with MOS_ECONFIG
 * (and fills the mos_error_t the spec's arg may give, naming the step);
 * running it touches no JSON: script_parse.c parses, this file runs the
 * steps.  The parsed steps come from the kernel's allocator; jansson's
 * own allocations while parsing come from jansson's (process-wide) one,
 * and its running out of memory is MOS_ENOMEM where jansson says so (its
 * lexer makes some of it a bad script).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "programs.h"
#include "script_int.h"
#include "util/alloc.h"

static void run(mos_proc_t *self, const step_t *s, size_t n);

/* A caught signal: the steps its signal step gave. */
static void script_handler(mos_proc_t *self, int sig)
{
	script_t *sc = mos_sys_state(self);
	const step_t *h = sc->handler[sig];

	if (h)
		run(self, h->body, h->nbody);
}

static mos_pid_t kill_target(mos_proc_t *self, const step_t *s)
{
	const script_t *sc = mos_sys_state(self);

	switch (s->who) {
	case WHO_SELF: return mos_sys_getpid(self);
	case WHO_PARENT: return mos_sys_getppid(self);
	case WHO_CHILD: return sc->last_child;
	case WHO_PID: break;
	}
	return (mos_pid_t)s->n;
}

/* An alloc step: its handle is remembered in order, 0 when refused.  When
 * the list cannot grow the allocation is given back (a free step can
 * name only what is remembered). */
static void run_alloc(mos_proc_t *self, script_t *sc, uint64_t bytes)
{
	mos_mem_handle_t h = 0;

	if (sc->nhandles == sc->handle_cap) {
		size_t cap = sc->handle_cap ? sc->handle_cap * 2 : 8;
		mos_mem_handle_t *v = mos__realloc_array(sc->alloc, sc->handles,
							 cap, sizeof(*v));
		if (!v) {
			if (mos_sys_alloc(self, bytes, &h) == 0)
				mos_sys_free(self, h);
			return;
		}
		sc->handles = v;
		sc->handle_cap = cap;
	}
	if (mos_sys_alloc(self, bytes, &h) < 0)
		h = 0;
	sc->handles[sc->nhandles++] = h;
}

/* A free step: the n-th remembered (from 1), or the latest live one for
 * n = 0.  Nothing to free still makes the call, which fails. */
static void run_free(mos_proc_t *self, script_t *sc, long n)
{
	mos_mem_handle_t h = 0;
	size_t i;

	if (n == 0) {
		for (i = sc->nhandles; i > 0 && !sc->handles[i - 1]; i--)
			;
		i = i > 0 ? i - 1 : sc->nhandles;
	} else {
		i = (size_t)n - 1;
	}
	if (i < sc->nhandles) {
		h = sc->handles[i];
		sc->handles[i] = 0;
	}
	mos_sys_free(self, h);
}

static void run_file(mos_proc_t *self, script_t *sc, const step_t *s)
{
	int fd = s->fd < 0 ? sc->last_fd : s->fd;

	switch (s->kind) {
	case OPEN:
		if (mos_sys_open(self, s->path, s->flags, &fd) == 0)
			sc->last_fd = fd;
		break;
	case CLOSE:
		if (mos_sys_close(self, fd) == 0 && fd == sc->last_fd)
			sc->last_fd = -1;
		break;
	case READ: mos_sys_read(self, fd, s->bytes, NULL); break;
	case WRITE: mos_sys_write(self, fd, s->bytes, NULL); break;
	case CHDIR: mos_sys_chdir(self, s->path); break;
	default: break;
	}
}

static void run(mos_proc_t *self, const step_t *s, size_t n)
{
	script_t *sc = mos_sys_state(self);

	for (size_t i = 0; i < n; i++, s++) {
		mos_pid_t pid;

		switch (s->kind) {
		case KILL:
			/* A kill of "child" before any spawn names nobody:
			 * the call fails and the script goes on, as a shell's
			 * kill would. */
			if ((pid = kill_target(self, s)) != 0 || s->who == WHO_PID)
				mos_sys_kill(self, pid, s->sig);
			break;
		case SIGNAL:
			sc->handler[s->sig] = s->action == MOS_SIG_CATCH ? s : NULL;
			mos_sys_sigaction(self, s->sig, s->action,
					  s->action == MOS_SIG_CATCH ? script_handler
								     : NULL,
					  0, 0, NULL);
			break;
		case MASK:
			mos_sys_sigprocmask(self, MOS_SIG_BLOCK, s->set, NULL);
			break;
		case UNMASK:
			mos_sys_sigprocmask(self, MOS_SIG_UNBLOCK, s->set, NULL);
			break;
		case PAUSE: mos_sys_pause(self); break;
		case ALARM: mos_sys_alarm(self, s->d, NULL); break;
		case ALLOC: run_alloc(self, sc, s->bytes); break;
		case FREE: run_free(self, sc, s->n); break;
		case STACK: mos_sys_stack_use(self, s->bytes); break;
		case COMPUTE: mos_sys_compute(self, s->d); break;
		case SLEEP: mos_sys_sleep(self, s->d); break;
		case YIELD: mos_sys_yield(self); break;
		case SPAWN:
			if ((s->prio < 0
				     ? mos_sys_spawn(self, (const char *const *)s->argv,
						     &pid)
				     : mos_sys_create_process(self,
							      (mos_priority_t)s->prio,
							      (const char *const *)s->argv,
							      &pid)) == 0)
				sc->last_child = pid;
			break;
		case WAIT_ANY: mos_sys_wait(self, NULL); break;
		case WAIT_ALL:
			while (mos_sys_wait(self, NULL) > 0)
				;
			break;
		case OPEN:
		case CLOSE:
		case READ:
		case WRITE:
		case CHDIR:
			run_file(self, sc, s);
			break;
		case EXIT: mos_sys_exit(self, (int)s->n);
		case REPEAT:
			for (long r = 0; r < s->n; r++)
				run(self, s->body, s->nbody);
			break;
		}
	}
}

static int script_main(mos_proc_t *self, int argc, char **argv)
{
	const script_t *sc = mos_sys_state(self);
	(void)argc;
	(void)argv;
	run(self, sc->steps, sc->n);
	return 0;
}

int mos__program_script_register(mos_kernel_t *k)
{
	static const mos_program_t prog = {"script", script_main,
					   mos__script_prepare,
					   mos__script_release};
	return mos_program_register_ex(k, &prog);
}
