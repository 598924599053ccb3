/*
 * src/report/report_int.h - what the files of src/report/ share: the
 * checked view of a run's document (report_check.c), the writers'
 * helpers (report_svg.c) and the Gantt chart (report_gantt.c).
 */
#ifndef MOS_REPORT_INT_H
#define MOS_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

/* Caps on a document's arrays: a run makes far fewer (SC_MAX_SAMPLES,
 * SC_MAX_PROCS), and a bigger document is refused rather than drawn. */
#define RPT_MAX_SAMPLES 1000000
#define RPT_MAX_PROCS 65536
#define RPT_MAX_SERVICES 4096
#define RPT_MAX_EVENTS 1000000

/* A checked document: every value below is known to have its type, so
 * the writers read it without checking again.  All borrowed from doc. */
typedef struct rpt {
	const char *name;
	const char *hash;
	uint64_t seed, end, interval;
	json_t *timeline;              /* NULL: the document has none */
	json_t *services, *procs, *stats;
	size_t n;                      /* samples */
	json_t *time;
	json_t *col[MOS_RPT_NSERIES];
} rpt_t;

/* report_check.c: doc's shape into *r.  MOS_ECONFIG with err naming the
 * JSON path of the first thing wrong. */
int mos__rpt_check(json_t *doc, const char *source, rpt_t *r,
		   mos_error_t *err);
/* The stats keys, NULL-terminated, in the document's order. */
extern const char *const mos__rpt_stats_keys[];

/* A checked integer member (>= 0 where the check said so). */
uint64_t mos__rpt_u(json_t *o, const char *key);
int64_t mos__rpt_i(json_t *o, const char *key);
const char *mos__rpt_s(json_t *o, const char *key);
uint64_t mos__rpt_at(json_t *arr, size_t i);

/* report_svg.c */
/* s escaped for XML and HTML text and attributes; characters XML 1.0
 * forbids become '?'. */
void mos__rpt_esc(FILE *out, const char *s);
/* t in ns as "12.500" (ms, three decimals). */
void mos__rpt_ms(char *buf, size_t len, uint64_t t);
/* v * span / top, v <= top, without overflow (top 0: 0). */
uint64_t mos__rpt_scale(uint64_t v, uint64_t top, uint64_t span);
/* The plots, as an <svg> element (standalone adds the XML declaration
 * and namespace). */
void mos__rpt_plots(const rpt_t *r, unsigned mask, bool standalone,
		    FILE *out);
/* An x axis for times 0..end at the bottom (y0) of a chart h high:
 * ticks, labels, grid lines.  Returns the axis's end (>= end), the
 * time to scale x by. */
uint64_t mos__rpt_time_axis(FILE *out, uint64_t end, int x0, int w, int y0,
			    int h);
/* The plots' geometry, which the Gantt chart shares. */
#define RPT_X0 200
#define RPT_PW 740
#define RPT_WIDTH 960

/* report_gantt.c: the Gantt chart as an <svg> element. */
int mos__rpt_gantt(const rpt_t *r, FILE *out);

#endif
