/*
 * src/report/report_gantt.c - the run as a Gantt chart (inline SVG):
 * one row per process, a bar from its start to its end (or the run's
 * end while it lives), coloured by how it ended; then one row per
 * service, coloured by its state, from the timeline's "service NAME"
 * lines whose event is "A -> B".  The timeline is read once, in order,
 * with the services found by binary search, so a long timeline costs
 * no more than its length times log services.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define ROW 16
#define BAR 11

static const struct {
	const char *state;
	const char *colour;
} states[] = {
	{"Stopped", "#d9d9d9"}, {"Starting", "#edc948"},
	{"Running", "#59a14f"}, {"Stopping", "#f28e2b"},
	{"Failed", "#e15759"}, {"Disabled", "#bab0ac"},
	{"Paused", "#b07aa1"},
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

static const char *state_colour(const char *s)
{
	for (size_t i = 0; i < NSTATES; i++)
		if (!strcmp(states[i].state, s))
			return states[i].colour;
	return "#76b7b2";
}

/* How a process ended, as its bar's colour. */
static const char *proc_colour(json_t *p)
{
	const char *exit = mos__rpt_s(p, "exit");

	if (json_is_null(json_object_get(p, "end_ns")))
		return "#4e79a7";
	if (!strncmp(exit, "killed", 6))
		return "#e15759";
	return strcmp(exit, "exited 0") ? "#f28e2b" : "#a0a0a0";
}

typedef struct gantt {
	const rpt_t *r;
	FILE *out;
	uint64_t top;    /* the time axis's end */
	int y0;          /* the first row's top */
} gantt_t;

static int x_of(const gantt_t *g, uint64_t t)
{
	if (t > g->top)
		t = g->top;
	return RPT_X0 + (int)mos__rpt_scale(t, g->top, RPT_PW);
}

/* A bar on row from a to b, with a tooltip. */
static void bar(const gantt_t *g, size_t row, uint64_t a, uint64_t b,
		const char *colour, const char *what, const char *tip)
{
	int x = x_of(g, a), w = x_of(g, b) - x;
	char ta[32], tb[32];

	mos__rpt_ms(ta, sizeof(ta), a);
	mos__rpt_ms(tb, sizeof(tb), b);
	fprintf(g->out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"%s\"><title>", x, g->y0 + (int)row * ROW + 2,
		w > 0 ? w : 1, BAR, colour);
	mos__rpt_esc(g->out, what);
	fputs(": ", g->out);
	mos__rpt_esc(g->out, tip);
	fprintf(g->out, ", %s to %s ms</title></rect>\n", ta, tb);
}

static void row_label(const gantt_t *g, size_t row, const char *prefix,
		      const char *name, const char *suffix)
{
	fprintf(g->out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s",
		RPT_X0 - 6, g->y0 + (int)row * ROW + 11, prefix);
	mos__rpt_esc(g->out, name);
	fprintf(g->out, "%s</text>\n", suffix);
}

typedef struct svc_row {
	const char *name;
	size_t row;
	const char *state;    /* borrowed from the timeline */
	uint64_t since;
} svc_row_t;

static int by_name(const void *a, const void *b)
{
	const svc_row_t *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The first row named name in the sorted v, or NULL. */
static svc_row_t *find(svc_row_t *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].name, name) ? &v[lo] : NULL;
}

/* The row's current state from its start to until; an empty stretch
 * shows only as the last (a service's state at the end is worth a
 * pixel, a passing one at the same instant is not). */
static void svc_bar(const gantt_t *g, const svc_row_t *s, uint64_t until,
		    bool last)
{
	if (until > s->since || last)
		bar(g, s->row, s->since, until, state_colour(s->state),
		    s->name, s->state);
}

/* The services' rows from the timeline's transitions. */
static int services(const gantt_t *g, size_t first_row)
{
	const rpt_t *r = g->r;
	size_t n = json_array_size(r->services);
	svc_row_t *v = n ? calloc(n, sizeof(*v)) : NULL;

	if (n && !v)
		return MOS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i].name = mos__rpt_s(json_array_get(r->services, i), "name");
		v[i].row = first_row + i;
		v[i].state = "Stopped";
		row_label(g, v[i].row, "service ", v[i].name, "");
	}
	if (n) /* qsort(NULL, 0) is undefined */
		qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0; n && r->timeline &&
			   i < json_array_size(r->timeline); i++) {
		json_t *e = json_array_get(r->timeline, i);
		const char *subj = mos__rpt_s(e, "subject");
		const char *to = strstr(mos__rpt_s(e, "event"), " -> ");
		uint64_t t = mos__rpt_u(e, "time_ns");
		svc_row_t *s;

		if (strncmp(subj, "service ", 8) || !to ||
		    !(s = find(v, n, subj + 8)))
			continue;
		if (t < s->since)
			t = s->since;
		svc_bar(g, s, t, false);
		s->state = to + 4;
		s->since = t;
	}
	for (size_t i = 0; i < n; i++)
		svc_bar(g, &v[i], r->end > v[i].since ? r->end : v[i].since,
			true);
	free(v);
	return 0;
}

int mos__rpt_gantt(const rpt_t *r, FILE *out)
{
	size_t np = json_array_size(r->procs), ns = json_array_size(r->services);
	int h = (int)(np + ns) * ROW, height = h + 70, rc;
	gantt_t g = {r, out, 0, 10};

	fprintf(out, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"class=\"gantt\" font-family=\"sans-serif\" font-size=\"11\">\n"
		"<title>Gantt chart: processes and services</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		RPT_WIDTH, height, RPT_WIDTH, height);
	g.top = mos__rpt_time_axis(out, r->end ? r->end : 1, RPT_X0, RPT_PW,
				   g.y0 + h, h);
	for (size_t i = 0; i < np; i++) {
		json_t *p = json_array_get(r->procs, i);
		json_t *end = json_object_get(p, "end_ns");
		char who[64];

		snprintf(who, sizeof(who), " (pid %" PRId64 ")",
			 mos__rpt_i(p, "pid"));
		row_label(&g, i, "", mos__rpt_s(p, "name"), who);
		bar(&g, i, mos__rpt_u(p, "start_ns"),
		    json_is_null(end) ? (r->end > mos__rpt_u(p, "start_ns")
						 ? r->end
						 : mos__rpt_u(p, "start_ns"))
				      : (uint64_t)json_integer_value(end),
		    proc_colour(p), mos__rpt_s(p, "name"),
		    mos__rpt_s(p, "exit"));
	}
	if ((rc = services(&g, np)) != 0)
		return rc;
	/* The legend: the services' states. */
	for (size_t i = 0; i < NSTATES; i++) {
		int x = RPT_X0 + (int)i * 100, y = g.y0 + h + 32;

		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" "
			"height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">"
			"%s</text>\n", x, y, states[i].colour, x + 14, y + 9,
			states[i].state);
	}
	fputs("</svg>\n", out);
	return 0;
}
