/*
 * multios/sweep.h - parameter sweeps: a grid of scheduler workbench runs
 * (policies x quanta x seeds over workloads) or of scenario runs (seeds x
 * ends over scenarios), expanded in a fixed order, each run reduced to
 * one JSON line, the lines merged into one table.
 *
 * Run i is fully determined by the spec file and i, so runs may be spread
 * over host processes, GNU parallel jobs or a Slurm job array and merged
 * afterwards: the table built from the lines is the same bytes however
 * the runs were spread.  docs/SWEEPS.md has the spec format and the run
 * order.
 *
 *   mos_sweep_t *sw;
 *   mos_sweep_table_t *t;
 *   char *line;
 *   if (mos_sweep_load("q.json", &sw, &err) == 0 &&
 *       mos_sweep_table_new(&t) == 0) {
 *           for (size_t i = 0; i < mos_sweep_count(sw); i++)
 *                   if (mos_sweep_run(sw, i, &line, &err) == 0) {
 *                           mos_sweep_table_add(t, line, "run", &err);
 *                           free(line);
 *                   }
 *           mos_sweep_table_write(t, stdout, MOS_SWEEP_TEXT, &err);
 *   }
 *
 * A loaded sweep is read-only: several threads may run items of one sweep
 * at once.  Nothing here keeps global state.
 */
#ifndef MULTIOS_SWEEP_H
#define MULTIOS_SWEEP_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef struct mos_sweep mos_sweep_t;
typedef struct mos_sweep_table mos_sweep_table_t;

/* At most this many runs in one sweep (the product of the grid's axes
 * and the files); a larger grid is refused at load. */
#define MOS_SWEEP_MAX_RUNS 100000
/* At most this many values on one axis, and files in one sweep. */
#define MOS_SWEEP_MAX_VALUES 1000

/*
 * Read and check the spec at path: its keys, every grid value (policy
 * names, quanta, seeds), the number of runs, and every workload or
 * scenario it names (loaded now, paths relative to the spec's folder), so
 * that a run fails only for want of memory.  *out receives a new sweep
 * (mos_sweep_free).
 * Errors: MOS_EINVAL (NULL argument), MOS_EIO (the spec is unreadable),
 * MOS_ECONFIG (syntax: err has file:line:column; anything else: err names
 * the file and the JSON path, as "grid.quantum[2]"; a workload or scenario
 * that fails to load: err is its own error, under "workloads[i]" /
 * "scenarios[i]"), MOS_ERANGE (more than MOS_SWEEP_MAX_RUNS runs),
 * MOS_ENOMEM, and a scenario's registration errors (MOS_EDEPEND...).  On
 * error *out is NULL.
 */
MOS_API int mos_sweep_load(const char *path, mos_sweep_t **out,
			   mos_error_t *err);

/* Free a sweep (NULL is fine). */
MOS_API void mos_sweep_free(mos_sweep_t *sw);

/* Number of runs (0 for NULL). */
MOS_API size_t mos_sweep_count(const mos_sweep_t *sw);

/* The spec's "name" (the file name without folder and ".json" when it has
 * none); "" for NULL.  Borrowed, valid until mos_sweep_free. */
MOS_API const char *mos_sweep_name(const mos_sweep_t *sw);

/*
 * Run item i and return its JSON line in *line (malloc'd, NUL-terminated,
 * ending with "\n"; free()): {"run":i,"runs":N, the parameters, the
 * metrics}, keys in a fixed order (docs/SWEEPS.md).
 * Errors: MOS_EINVAL (NULL argument, i >= count), MOS_ENOMEM, and the
 * run's own errors (mos_sched_run_workload, mos_scenario_run; err says
 * which).  On error *line is NULL.
 */
MOS_API int mos_sweep_run(const mos_sweep_t *sw, size_t i, char **line,
			  mos_error_t *err);

/* An empty table to gather run lines in.  Errors: MOS_EINVAL, MOS_ENOMEM. */
MOS_API int mos_sweep_table_new(mos_sweep_table_t **out);

MOS_API void mos_sweep_table_free(mos_sweep_table_t *t);

/*
 * Add one run line (a JSON object as mos_sweep_run writes it, trailing
 * blanks allowed).  source names it in errors (a file name).  Every line
 * must have the same keys in the same order and the same "runs"; a run
 * number may come once.
 * Errors: MOS_EINVAL (NULL argument), MOS_ECONFIG (not such a line; err:
 * source:line:column or source and the JSON path, as "run" or
 * "avg_response"), MOS_EEXIST (that run was already added), MOS_ENOMEM.
 * On error the table is unchanged.
 */
MOS_API int mos_sweep_table_add(mos_sweep_table_t *t, const char *line,
				const char *source, mos_error_t *err);

/* Number of lines added so far. */
MOS_API size_t mos_sweep_table_size(const mos_sweep_table_t *t);

typedef enum mos_sweep_format {
	MOS_SWEEP_TEXT,  /* aligned columns, a header line */
	MOS_SWEEP_CSV,   /* RFC 4180, a header line */
	MOS_SWEEP_JSONL  /* the lines themselves, in run order */
} mos_sweep_format_t;

/*
 * Write the table in run order.  Every run 0 .. runs-1 must be there.
 * Reals are printed with 6 decimals (as the lines hold them), integers
 * and strings as they are.
 * Errors: MOS_EINVAL (NULL argument, an empty table, an unknown format),
 * MOS_ENOENT (a run is missing: err names the
 * first), MOS_EIO (a write failed).
 */
MOS_API int mos_sweep_table_write(const mos_sweep_table_t *t, FILE *out,
				  mos_sweep_format_t format, mos_error_t *err);

/*
 * A standalone SVG bar chart: one bar per run of metric (NULL: the first
 * metric column), labelled with the run's parameters.
 * Errors: as mos_sweep_table_write, and MOS_EINVAL when metric is no
 * numeric column (err says which).
 */
MOS_API int mos_sweep_table_write_svg(const mos_sweep_table_t *t,
				      const char *metric, FILE *out,
				      mos_error_t *err);

#endif
