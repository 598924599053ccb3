/*
 * src/programs/programs.h - the programs subsystem: what a process runs.
 *
 * src/programs/ owns the program table (a list sorted by name, held in the
 * kernel object but walked only here), duration parsing, the built-in
 * programs (idle, cpu, sleep, io, crash, leak) and the `script` program.  The
 * built-ins are ordinary clients of the public API: they include only
 * include/multios/ headers, this file and src/util/; they never see a
 * control block.  The kernel includes this header to look a command up
 * and to fill and empty its table.
 */
#ifndef MOS_PROGRAMS_H
#define MOS_PROGRAMS_H

#include <stdbool.h>

#include "multios/ipc.h"
#include "multios/program.h"

/* One registered program; `name` is the owned copy def.name points to. */
typedef struct mos_prog_entry {
	mos_program_t def;
	char name[64];
	struct mos_prog_entry *next;
} mos_prog_entry_t;

/* The program called name in the table starting at head, or NULL. */
const mos_prog_entry_t *mos__program_find(const mos_prog_entry_t *head,
					  const char *name);

/* Insert a copy of prog, allocated from alloc, into the table *head,
 * keeping it sorted.  Errors: MOS_EINVAL (no prog, name or main; an empty
 * name or one of 64 bytes or more), MOS_EPROCEXISTS (the name is taken),
 * MOS_ENOMEM. */
int mos__program_add(mos_prog_entry_t **head, const mos_program_t *prog,
		     const mos_allocator_t *alloc);

/* Free every entry of the table *head (from alloc) and empty it. */
void mos__programs_free(mos_prog_entry_t **head, const mos_allocator_t *alloc);

/* Register the built-in programs and `script` with k (programs.c,
 * script.c), through the public mos_program_register_ex. */
int mos__programs_builtin(mos_kernel_t *k);
/* Register `discovery` (discovery.c). */
int mos__program_discovery_register(mos_kernel_t *k);
int mos__program_script_register(mos_kernel_t *k);
/* A server's loop (netprogs.c): receive for ever, answer a health ping
 * at once with an empty reply and a request with answer; drop other
 * messages, go on after a caught signal.  Returns 1 when a receive
 * fails otherwise. */
int mos__program_serve(mos_proc_t *self,
		       void (*answer)(mos_proc_t *self, const mos_msg_t *req));

/* Register `server` and `client` (netprogs.c). */
int mos__programs_net_register(mos_kernel_t *k);

/* When the n-th event after the first of a stream of rate a second
 * (rate > 0) started at start is due: n / rate seconds after start, in
 * exact integer ns (MOS_TIME_NEVER past the end of time). */
mos_time_t mos__program_due(mos_time_t start, uint64_t n, uint64_t rate);

#endif
