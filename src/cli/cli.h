/*
 * src/cli/cli.h - pieces shared by the multios subcommands.
 *
 * src/cli/ is the multios command (run, plot, ps, sched, services), a program
 * built on the library like any other: it includes only the public headers and
 * its own, and links libmultios.a.
 */
#ifndef MOS_CLI_H
#define MOS_CLI_H

#include <stdio.h>

#include "multios/multios.h"

/* Print a ps-like table of every live process, then (all_history) the
 * reaped ones still in the history, to out. */
void cli_ps(mos_kernel_t *k, FILE *out, int with_history);

/* `multios run`: the built-in demo, or a scenario file. */
int cli_run(int argc, char **argv);

/* `multios run SCENARIO.json` (run_scenario.c). */
int cli_run_scenario(int argc, char **argv);

/* `multios plot RUN.json -o OUT.svg`: a run's time series as SVG
 * (plot.c). */
int cli_plot(int argc, char **argv);

/* `multios sched`: the scheduler workbench. */
int cli_sched(int argc, char **argv);

/* `multios services`: load service descriptors, show them, their start
 * order and dependency tree. */
int cli_services(int argc, char **argv);

/* Format t as "12.500 ms" into buf. */
const char *cli_ms(mos_time_t t, char *buf, size_t len);

/* ---- sched_out.c: what `multios sched` prints ---- */

/* One report: the per-process table and the summary lines. */
void cli_sched_table(const mos_sched_report_t *r, FILE *out);

/* One row per report (same workload, one policy each). */
void cli_sched_compare_table(const mos_workload_t *w,
			     mos_sched_report_t *const *r, size_t n, FILE *out);

/* One JSON document holding every report under "results".  Returns 0, or
 * MOS_ENOMEM / MOS_EIO. */
int cli_sched_compare_json(const mos_workload_t *w,
			   mos_sched_report_t *const *r, size_t n, FILE *out);

/* The schedule as a text Gantt chart, at most about 100 columns wide. */
void cli_sched_gantt(const mos_sched_report_t *r, FILE *out);

#endif
