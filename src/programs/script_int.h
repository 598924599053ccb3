/*
 * src/programs/script_int.h - the `script` program's parsed form, shared
 * by its parser (script_parse.c: JSON to steps, checked at creation) and
 * its interpreter (script.c: the steps run on the process).
 */
#ifndef MOS_SCRIPT_INT_H
#define MOS_SCRIPT_INT_H

#include <stddef.h>

#include "multios/multios.h"

typedef enum kind { COMPUTE, SLEEP, YIELD, SPAWN, WAIT_ANY, WAIT_ALL, EXIT,
		    REPEAT, KILL, SIGNAL, MASK, UNMASK, PAUSE, ALARM,
		    ALLOC, FREE, STACK,
		    OPEN, CLOSE, READ, WRITE, CHDIR } kind_t;

/* Whom a kill step names. */
typedef enum who { WHO_PID, WHO_SELF, WHO_PARENT, WHO_CHILD } who_t;

typedef struct step {
	kind_t kind;
	mos_time_t d;
	long n;                 /* exit code, repeat count, KILL: the pid */
	char **argv;            /* SPAWN, NULL-terminated */
	int prio;               /* SPAWN: -1 inherit */
	int sig;                /* KILL, SIGNAL */
	who_t who;              /* KILL */
	mos_sig_action_t action;/* SIGNAL (CATCH: body is the handler) */
	mos_sigset_t set;       /* MASK, UNMASK */
	uint64_t bytes;         /* ALLOC, STACK, READ, WRITE */
	struct step *body;      /* REPEAT, SIGNAL's handler */
	size_t nbody;
	char *path;             /* OPEN, CHDIR */
	unsigned flags;         /* OPEN */
	int fd;                 /* CLOSE, READ, WRITE: -1 the last opened */
} step_t;

typedef struct script {
	step_t *steps;
	size_t n;
	/* While it runs: each caught signal's handler steps, and the last
	 * child spawned (a kill step's "child"). */
	const step_t *handler[MOS_NSIG];
	mos_pid_t last_child;
	/* The handles of the alloc steps run, in order (0: refused or
	 * freed); grown from alloc, the kernel's allocator. */
	const mos_allocator_t *alloc;
	mos_mem_handle_t *handles;
	size_t nhandles, handle_cap;
	int last_fd;            /* the last descriptor opened, or -1 */
} script_t;

/* The program's prepare and release hooks (multios/program.h): parse
 * argv[1] into a script_t, or refuse it with MOS_ECONFIG (filling the
 * mos_error_t *state may point to, naming the step); free one. */
int mos__script_prepare(const mos_allocator_t *alloc, int argc, char **argv,
			void **state);
void mos__script_release(const mos_allocator_t *alloc, void *state);

#endif
