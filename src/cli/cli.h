/*
 * src/cli/cli.h - pieces shared by the multios subcommands.
 */
#ifndef MOS_CLI_H
#define MOS_CLI_H

#include <stdio.h>

#include "multios/multios.h"

/* Print a ps-like table of every live process, then (all_history) the
 * reaped ones still in the history, to out. */
void cli_ps(mos_kernel_t *k, FILE *out, int with_history);

/* The demo scenario behind `multios run`. */
int cli_run(int argc, char **argv);

/* `multios sched`: the scheduler workbench. */
int cli_sched(int argc, char **argv);

/* Format t as "12.500 ms" into buf. */
const char *cli_ms(mos_time_t t, char *buf, size_t len);

#endif
