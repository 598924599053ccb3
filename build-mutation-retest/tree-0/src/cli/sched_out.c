/*
 * src/cli/sched_out.c - what `multios sched` prints: the metrics table, the
 * comparison table and JSON, the Gantt chart.
 *
 * Numbers in tables are exact: whole ticks print as integers, whatever
 * their size, and fractions with three fixed decimals; never an exponent.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CELL 72 /* a process name (< MOS_WL_NAME_LEN) or a number */
#define MAX_COLS 12

/* A table of strings: the first column left-aligned, the rest right. */
typedef struct grid {
	size_t ncols, nrows;
	const char *const *head;
	char (*cell)[CELL]; /* nrows x ncols */
} grid_t;

static void print_grid(const grid_t *g, FILE *out)
{
	size_t w[MAX_COLS];

	for (size_t c = 0; c < g->ncols; c++) {
		w[c] = strlen(g->head[c]);
		for (size_t r = 0; r < g->nrows; r++) {
			size_t n = strlen(g->cell[r * g->ncols + c]);
			w[c] = n > w[c] ? n : w[c];
		}
	}
	for (size_t r = 0; r <= g->nrows; r++) {
		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = r ? g->cell[(r - 1) * g->ncols + c] : g->head[c];
			if (c == 0)
				fprintf(out, "%-*s", (int)w[c], s);
			else
				fprintf(out, "  %*s", (int)w[c], s);
		}
		fputc('\n', out);
	}
}

/* t in ticks: "24", or "2.500" when t is not a whole number of ticks. */
static const char *ticks_str(mos_time_t t, mos_time_t tick, char *buf)
{
	uint64_t whole = t / tick, milli;

	if (t == MOS_TIME_NEVER) {
		snprintf(buf, CELL, "-");
	} else if (t % tick == 0) {
		snprintf(buf, CELL, "%" PRIu64, whole);
	} else {
		milli = (uint64_t)((long double)(t % tick) * 1000.0L /
				   (long double)tick + 0.5L);
		if (milli == 1000)
			whole++, milli = 0;
		snprintf(buf, CELL, "%" PRIu64 ".%03" PRIu64, whole, milli);
	}
	return buf;
}

/* An average: "17" when it is whole to three decimals, else "5.667". */
static const char *real_str(double v, char *buf)
{
	double r = round(v * 1000) / 1000;

	snprintf(buf, CELL, r == floor(r) ? "%.0f" : "%.3f", r);
	return buf;
}

/* "1 ms", "10 us", "2500 ns": the tick in the largest exact unit. */
static const char *duration_str(mos_time_t ns, char *buf)
{
	if (ns % MOS_SEC == 0)
		snprintf(buf, CELL, "%" PRIu64 " s", ns / MOS_SEC);
	else if (ns % MOS_MSEC == 0)
		snprintf(buf, CELL, "%" PRIu64 " ms", ns / MOS_MSEC);
	else if (ns % MOS_USEC == 0)
		snprintf(buf, CELL, "%" PRIu64 " us", ns / MOS_USEC);
	else
		snprintf(buf, CELL, "%" PRIu64 " ns", ns);
	return buf;
}

/* Completed kernel processes: one per entry, one per job of a periodic
 * task (the count throughput divides). */
static uint64_t completions(const mos_sched_report_t *r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->nprocs; i++)
		n += r->procs[i].periodic ? r->procs[i].jobs : 1;
	return n;
}

static const char truncated_note[] =
	"note: the slice log hit its bound: the Gantt chart and the trace "
	"cover only the start of the schedule\n";

void cli_sched_table(const mos_sched_report_t *r, FILE *out)
{
	static const char *const head[] = {
		"NAME", "ARRIVAL", "FIRST_RUN", "FINISH", "RESPONSE",
		"TURNAROUND", "WAITING", "MISSES", "JOBS",
	};
	char a[CELL], b[CELL], c[CELL];
	bool periodic = false;
	grid_t g = {sizeof(head) / sizeof(*head), r->nprocs, head, NULL};
	uint64_t done = completions(r);

	for (size_t i = 0; i < r->nprocs; i++)
		periodic |= r->procs[i].periodic;
	if (!periodic)
		g.ncols--; /* JOBS only means something for periodic tasks */
	fprintf(out, "workload %s, policy %s (1 tick = %s; times in ticks)\n\n",
		r->workload, r->policy, duration_str(r->tick, a));
	if ((g.cell = calloc(r->nprocs * g.ncols, CELL))) {
		for (size_t i = 0; i < r->nprocs; i++) {
			const mos_sched_proc_result_t *p = &r->procs[i];
			char (*row)[CELL] = g.cell + i * g.ncols;

			snprintf(row[0], CELL, "%s", p->name);
			ticks_str(p->arrival, r->tick, row[1]);
			ticks_str(p->first_run, r->tick, row[2]);
			ticks_str(p->finish, r->tick, row[3]);
			ticks_str(p->response, r->tick, row[4]);
			ticks_str(p->turnaround, r->tick, row[5]);
			ticks_str(p->waiting, r->tick, row[6]);
			snprintf(row[7], CELL, "%" PRIu64, p->deadline_misses);
			if (periodic && p->periodic)
				snprintf(row[8], CELL, "%" PRIu64, p->jobs);
			else if (periodic)
				snprintf(row[8], CELL, "-");
		}
		print_grid(&g, out);
		free(g.cell);
	}
	fprintf(out, "\naverage response %s, turnaround %s, waiting %s\n",
		real_str(r->avg_response, a), real_str(r->avg_turnaround, b),
		real_str(r->avg_waiting, c));
	fprintf(out, "makespan %s, %" PRIu64 " completion%s, throughput %.6f per tick\n",
		ticks_str(r->makespan, r->tick, a), done, done == 1 ? "" : "s",
		r->throughput);
	fprintf(out, "CPU utilization %.1f%%, context switches %" PRIu64
		", deadline misses %" PRIu64 "\n", 100 * r->cpu_utilization,
		r->context_switches, r->deadline_misses);
	fprintf(out, "fairness (Jain) %.3f, trace hash %016" PRIx64 "\n",
		r->fairness, r->trace_hash);
	if (r->slices_truncated)
		fputs(truncated_note, out);
}

void cli_sched_compare_table(const mos_workload_t *w,
			     mos_sched_report_t *const *r, size_t n, FILE *out)
{
	static const char *const head[] = {
		"POLICY", "AVG_RESPONSE", "AVG_TURNAROUND", "AVG_WAITING",
		"MAKESPAN", "SWITCHES", "MISSES", "FAIRNESS",
	};
	grid_t g = {sizeof(head) / sizeof(*head), n, head, NULL};
	char t[CELL];

	fprintf(out, "workload %s (1 tick = %s; times in ticks)\n\n", w->name,
		duration_str(w->tick, t));
	if (!(g.cell = calloc(n * g.ncols, CELL)))
		return;
	for (size_t i = 0; i < n; i++) {
		char (*row)[CELL] = g.cell + i * g.ncols;

		snprintf(row[0], CELL, "%s", r[i]->policy);
		real_str(r[i]->avg_response, row[1]);
		real_str(r[i]->avg_turnaround, row[2]);
		real_str(r[i]->avg_waiting, row[3]);
		ticks_str(r[i]->makespan, r[i]->tick, row[4]);
		snprintf(row[5], CELL, "%" PRIu64, r[i]->context_switches);
		snprintf(row[6], CELL, "%" PRIu64, r[i]->deadline_misses);
		snprintf(row[7], CELL, "%.3f", r[i]->fairness);
	}
	print_grid(&g, out);
	free(g.cell);
	for (size_t i = 0; i < n; i++)
		if (r[i]->slices_truncated)
			fprintf(out, "note (%s): the slice log hit its bound: its "
				"Gantt chart and trace cover only the start\n",
				r[i]->policy);
}

/* The library's JSON for one report, as a jansson value (new reference),
 * so that several can go into one document. */
static json_t *report_value(const mos_sched_report_t *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *v = NULL;
	int rc;

	if (!f)
		return NULL;
	rc = mos_sched_report_write_json(r, f);
	if (fclose(f) == 0 && rc == 0)
		v = json_loadb(buf, len, 0, NULL);
	free(buf);
	return v;
}

int cli_sched_compare_json(const mos_workload_t *w,
			   mos_sched_report_t *const *r, size_t n, FILE *out)
{
	json_t *doc = json_object(), *results = json_array();
	int bad = !doc || !results;

	for (size_t i = 0; !bad && i < n; i++)
		bad |= json_array_append_new(results, report_value(r[i]));
	bad |= json_object_set_new(doc, "workload", json_string(w->name));
	bad |= json_object_set_new(doc, "tick_ns", json_integer((json_int_t)w->tick));
	bad |= json_object_set_new(doc, "results", results);
	if (bad) {
		json_decref(doc);
		return MOS_ENOMEM;
	}
	bad = json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(doc);
	if (bad || fputc('\n', out) == EOF || fflush(out) != 0)
		return MOS_EIO;
	return 0;
}

/* ---- Gantt chart ---- */

/* n / d rounded up, without overflow. */
static uint64_t ceil_div(uint64_t n, uint64_t d)
{
	return n / d + (n % d != 0);
}

/* Columns [c0, c1) of row, clamped to its cols: whatever the report says
 * (a slice past the makespan, a finish before a slice's end), nothing is
 * written outside the row. */
static void mark(char *row, uint64_t cols, uint64_t c0, uint64_t c1, char ch)
{
	if (c1 > cols)
		c1 = cols;
	if (c0 < c1)
		memset(row + c0, ch, (size_t)(c1 - c0));
}

/*
 * One column is `scale` ticks, `unit` ns; column c covers
 * [c * unit, (c + 1) * unit).  A process waits ('.') in the columns whose
 * start lies in [arrival, finish); a slice [start, end) runs ('#') in
 * every column it overlaps.  Work is O(processes x columns + slices),
 * whatever the length of the schedule.
 */
void cli_sched_gantt(const mos_sched_report_t *r, FILE *out)
{
	uint64_t span = ceil_div(r->makespan, r->tick);
	uint64_t scale = span > 100 ? ceil_div(span, 100) : 1;
	uint64_t cols = ceil_div(span, scale), unit = scale * r->tick;
	size_t namew = 4, stride = (size_t)cols + 1;
	char *rows;

	for (size_t i = 0; i < r->nprocs; i++) {
		size_t n = strlen(r->procs[i].name);
		namew = n > namew ? n : namew;
	}
	fprintf(out, "\nGantt chart, policy %s: %" PRIu64 " ticks, 1 column = %"
		PRIu64 " tick%s\n", r->policy, span, scale, scale == 1 ? "" : "s");
	if (!cols) {
		fputs("(empty schedule)\n", out);
		return;
	}
	if (!(rows = malloc(r->nprocs * stride))) {
		fputs("(no memory for the chart)\n", out);
		return;
	}
	for (size_t i = 0; i < r->nprocs; i++) {
		const mos_sched_proc_result_t *p = &r->procs[i];
		char *row = rows + i * stride;

		memset(row, ' ', (size_t)cols);
		row[cols] = '\0';
		mark(row, cols, ceil_div(p->arrival, unit),
		     p->finish == MOS_TIME_NEVER ? cols : ceil_div(p->finish, unit), '.');
	}
	for (size_t s = 0; s < r->nslices; s++) {
		const mos_sched_slice_t *sl = &r->slices[s];

		if (sl->proc < r->nprocs && sl->end > sl->start)
			mark(rows + sl->proc * stride, cols, sl->start / unit,
			     ceil_div(sl->end, unit), '#');
	}
	fprintf(out, "%-*s 0%*s%" PRIu64 "\n", (int)namew, "",
		(int)(cols > 1 ? cols - 1 : 1), "", span);
	for (size_t i = 0; i < r->nprocs; i++)
		fprintf(out, "%-*s|%s|\n", (int)namew, r->procs[i].name,
			rows + i * stride);
	fputs("('#' running, '.' waiting or in I/O)\n", out);
	if (r->slices_truncated)
		fputs(truncated_note, out);
	free(rows);
}
