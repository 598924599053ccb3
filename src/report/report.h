/*
 * src/report/report.h - a scenario run drawn: SVG plots and the HTML
 * report (docs/REPORTS.md).
 *
 * src/report/ owns the rendering of a run's JSON document, the one
 * `multios run SCENARIO.json --json` prints (src/scenario/scenario_out.c
 * builds it), into standalone SVG (one chart per time series, one <path>
 * per series) and into one self-contained HTML file (the final report's
 * tables, a Gantt chart of processes and services, the plots, the
 * timeline).  It reads the document as a jansson tree and checks its
 * whole shape before writing a byte, so a document that is not a run's
 * (or a hostile one) is an error naming the JSON path, never a crash and
 * never half a file.  Output is integers and fixed formats only, so one
 * document gives the same bytes everywhere.  It includes the public
 * headers, src/util/ and the shared JSON reader (src/json/jsonload.h)
 * for its paths in errors; src/scenario/ includes this header for
 * mos_scenario_write_html.
 */
#ifndef MOS_REPORT_H
#define MOS_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "multios/error.h"

/* The time series of a run, in the document's order. */
#define MOS_RPT_NSERIES 8

/* Series i's key in "series" ("memory_bytes"...); NULL past the last. */
const char *mos__rpt_series_name(size_t i);

/*
 * Check doc (borrowed) as a run's JSON document, then write the plots of
 * the series whose bit is set in mask (bit i: mos__rpt_series_name(i);
 * 0 means all) as one standalone SVG document.  source names the
 * document in errors.  Errors: MOS_ECONFIG (the document's shape: err
 * names the JSON path), MOS_ENOMEM, MOS_EIO (a write failed).
 */
int mos__report_svg(json_t *doc, const char *source, unsigned mask,
		    FILE *out, mos_error_t *err);

/* The same check, then the HTML report.  Same errors. */
int mos__report_html(json_t *doc, const char *source, FILE *out,
		     mos_error_t *err);

#endif
