/*
 * multios/program.h - the programs simulated processes run.
 *
 * A process's command[0] names a program registered with the kernel.  A
 * program is C code that runs on the process's coroutine and talks to the
 * kernel only through syscall.h.  Host code between syscalls costs no
 * virtual time; CPU work is modelled with mos_sys_compute().
 *
 * A program may have a prepare hook, called when a process is created, that
 * parses and checks the arguments and returns private state; bad arguments
 * then fail the create call (MOS_ECONFIG) instead of a run.  The release hook
 * frees that state when the process dies, however it dies.  Both are given
 * the kernel's allocator (multios/config.h; resolved, so all three
 * functions are set): state taken from it is counted with the kernel's.  Programs should
 * keep host resources in that state rather than on their stack: a killed
 * process's stack is discarded without unwinding.
 *
 * Built-in programs (durations: "10ms", "250us", "2s", "1500ns"; a bare
 * number is milliseconds):
 *   idle                    block until killed
 *   cpu DURATION            compute DURATION, exit 0
 *   sleep DURATION          sleep DURATION, exit 0
 *   io COMPUTE SLEEP COUNT  COUNT times: compute, then sleep; exit 0
 *   crash [CODE [AFTER]]    compute AFTER (0), exit CODE (1)
 *   leak RATE [CHUNK]       allocate CHUNK bytes (4096) RATE times per
 *                           second of virtual time until refused, then
 *                           exit 1 (multios/resource.h)
 *   script JSON             run a JSON list of steps, see below
 *   discovery               a DiscoveryService (multios/service.h)
 *   server SERVICE_TIME [JITTER]  a service instance answering each
 *                           request after SERVICE_TIME (+ a seeded
 *                           jitter up to JITTER), pings at once
 *   client SERVICE RATE COUNT [TIMEOUT]  COUNT mos_sys_calls to SERVICE,
 *                           RATE a second; exit 0 if all were answered
 *
 * script steps, run in order ("script" in docs/PROGRAMS.md has the detail):
 *   {"compute": DURATION}  {"sleep": DURATION}  {"yield": true}
 *   {"spawn": ["cpu","5ms"]} or {"spawn": {"command": [...],
 *                                "priority": "high", "class": "user"}}
 *   {"wait": "any"} | {"wait": "all"}     {"exit": CODE}
 *   {"repeat": N, "steps": [ ... ]}
 *   {"alloc": "64KiB"}  {"free": N | "last"}  {"stack": SIZE}
 * A script that runs off its end exits 0.  A bad one fails the create
 * with MOS_ECONFIG; a caller that gives a mos_error_t * as spec.arg gets
 * the reason there, naming the bad step by number (from 1; "2.1" inside
 * a repeat or handler) and JSON text, as in
 *   script: step 3 {"open":"/x","mode":"q"}: unknown mode 'q'
 * or, for a JSON syntax error, its line and column (docs/PROGRAMS.md).
 */
#ifndef MULTIOS_PROGRAM_H
#define MULTIOS_PROGRAM_H

#include "config.h"
#include "types.h"

/* A program's body; its return value is the exit code. */
typedef int (*mos_main_fn)(mos_proc_t *self, int argc, char **argv);

typedef struct mos_program {
	const char *name;  /* copied at registration */
	mos_main_fn main;
	/* Optional: check argv at create time; *state is the program's own
	 * (mos_sys_state returns it).  Return 0 or a MOS_E* code: MOS_ENOMEM
	 * fails the create with MOS_ENOMEM, any other with MOS_ECONFIG.  A
	 * prepare that fails frees what it allocated itself. */
	int (*prepare)(const mos_allocator_t *alloc, int argc, char **argv,
		       void **state);
	/* Optional: free what prepare returned (not NULL), when the process
	 * dies or its create fails after prepare. */
	void (*release)(const mos_allocator_t *alloc, void *state);
} mos_program_t;

/*
 * Register main under name.  Errors: MOS_EINVAL (NULL or empty name, NULL
 * entry, name over 63 bytes), MOS_EPROCEXISTS (name taken, a built-in's
 * included), MOS_ENOMEM.
 */
MOS_API int mos_program_register(mos_kernel_t *k, const char *name,
				 mos_main_fn main);

/* Register a program with hooks; *prog is copied.  Errors: as above. */
MOS_API int mos_program_register_ex(mos_kernel_t *k, const mos_program_t *prog);

/*
 * Parse a duration: "10ms", "2.5s", "250us", "40ns", or a bare number of
 * milliseconds.  Errors: MOS_EINVAL (malformed, negative or overflowing).
 */
MOS_API int mos_duration_parse(const char *s, mos_time_t *out);

/*
 * Parse a size in bytes: a bare number of bytes, or one with "B", a
 * binary unit "K"/"KiB", "M"/"MiB", "G"/"GiB", "T"/"TiB" ("64KiB" and
 * "64K" are 65 536) or a decimal one "KB", "MB", "GB", "TB" ("4KB" is
 * 4 000).  Errors: MOS_EINVAL
 * (malformed, negative, or past UINT64_MAX).
 */
MOS_API int mos_size_parse(const char *s, uint64_t *out);

#endif
