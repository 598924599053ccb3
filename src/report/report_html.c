/*
 * src/report/report_html.c - a run as one self-contained HTML file: the
 * scenario's name, seed, end and trace hash; the services, processes and
 * system tables of the final report; the Gantt chart and the plots as
 * inline SVG; the timeline.  No script, no link, no font or image to
 * fetch: the file is the whole report.  Every string from the document
 * goes through mos__rpt_esc.
 */
#include <inttypes.h>

#include "report_int.h"

static const char style[] =
	"body{font-family:sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin-bottom:1em}"
	"th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"th{background:#f0f0f0}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}";

static void head_row(FILE *out, const char *const *cols)
{
	fputs("<tr>", out);
	for (size_t i = 0; cols[i]; i++)
		fprintf(out, "<th>%s</th>", cols[i]);
	fputs("</tr>\n", out);
}

static void td_s(FILE *out, const char *s)
{
	fputs("<td>", out);
	mos__rpt_esc(out, s);
	fputs("</td>", out);
}

static void td_u(FILE *out, uint64_t v)
{
	fprintf(out, "<td class=\"n\">%" PRIu64 "</td>", v);
}

static void td_ms(FILE *out, uint64_t t)
{
	char b[32];

	mos__rpt_ms(b, sizeof(b), t);
	fprintf(out, "<td class=\"n\">%s</td>", b);
}

static void services_table(const rpt_t *r, FILE *out)
{
	static const char *const cols[] = {
		"name", "state", "reason", "restarts", "live/instances",
		"ready", "health failures/checks", "calls", "failed",
		"p50 ms", "p99 ms", "max ms", NULL,
	};

	fputs("<h2>Services</h2>\n<table class=\"services\">\n", out);
	head_row(out, cols);
	for (size_t i = 0; i < json_array_size(r->services); i++) {
		json_t *s = json_array_get(r->services, i);
		json_t *lat = json_object_get(s, "latency_ns");

		fputs("<tr>", out);
		td_s(out, mos__rpt_s(s, "name"));
		td_s(out, mos__rpt_s(s, "state"));
		td_s(out, mos__rpt_s(s, "reason"));
		td_u(out, mos__rpt_u(s, "restarts"));
		fprintf(out, "<td class=\"n\">%" PRIu64 "/%" PRIu64 "</td>",
			mos__rpt_u(s, "live"), mos__rpt_u(s, "instances"));
		td_u(out, mos__rpt_u(s, "ready"));
		fprintf(out, "<td class=\"n\">%" PRIu64 "/%" PRIu64 "</td>",
			mos__rpt_u(s, "health_failures"),
			mos__rpt_u(s, "health_checks"));
		td_u(out, mos__rpt_u(s, "calls"));
		td_u(out, mos__rpt_u(s, "calls_failed"));
		td_ms(out, mos__rpt_u(lat, "p50"));
		td_ms(out, mos__rpt_u(lat, "p99"));
		td_ms(out, mos__rpt_u(lat, "max"));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void procs_table(const rpt_t *r, FILE *out)
{
	static const char *const cols[] = {
		"pid", "name", "state", "exit", "CPU ms", "start ms",
		"end ms", NULL,
	};

	fputs("<h2>Processes</h2>\n<table class=\"processes\">\n", out);
	head_row(out, cols);
	for (size_t i = 0; i < json_array_size(r->procs); i++) {
		json_t *p = json_array_get(r->procs, i);
		json_t *end = json_object_get(p, "end_ns");

		fprintf(out, "<tr><td class=\"n\">%" PRId64 "</td>",
			mos__rpt_i(p, "pid"));
		td_s(out, mos__rpt_s(p, "name"));
		td_s(out, mos__rpt_s(p, "state"));
		td_s(out, mos__rpt_s(p, "exit"));
		td_ms(out, mos__rpt_u(p, "cpu_ns"));
		td_ms(out, mos__rpt_u(p, "start_ns"));
		if (json_is_null(end))
			fputs("<td class=\"n\">-</td>", out);
		else
			td_ms(out, (uint64_t)json_integer_value(end));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void stats_table(const rpt_t *r, FILE *out)
{
	fputs("<h2>System</h2>\n<table class=\"stats\">\n", out);
	for (size_t i = 0; mos__rpt_stats_keys[i]; i++) {
		fprintf(out, "<tr><th>%s</th>", mos__rpt_stats_keys[i]);
		td_u(out, mos__rpt_u(r->stats, mos__rpt_stats_keys[i]));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void timeline_table(const rpt_t *r, FILE *out)
{
	static const char *const cols[] = {
		"time ms", "subject", "event", "reason", NULL,
	};

	fputs("<h2>Timeline</h2>\n<table class=\"timeline\">\n", out);
	head_row(out, cols);
	for (size_t i = 0; i < json_array_size(r->timeline); i++) {
		json_t *e = json_array_get(r->timeline, i);

		fputs("<tr>", out);
		td_ms(out, mos__rpt_u(e, "time_ns"));
		td_s(out, mos__rpt_s(e, "subject"));
		td_s(out, mos__rpt_s(e, "event"));
		td_s(out, mos__rpt_s(e, "reason"));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

int mos__report_html(json_t *doc, const char *source, FILE *out,
		     mos_error_t *err)
{
	char end[32];
	rpt_t r;
	int rc;

	if (!doc || !out)
		return MOS_EINVAL;
	if ((rc = mos__rpt_check(doc, source, &r, err)) != 0)
		return rc;
	mos__rpt_ms(end, sizeof(end), r.end);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>multios run: ", out);
	mos__rpt_esc(out, r.name);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>Scenario ", style);
	mos__rpt_esc(out, r.name);
	fprintf(out, "</h1>\n<p class=\"summary\">seed %" PRIu64 ", end %s ms, "
		"trace hash <code>", r.seed, end);
	mos__rpt_esc(out, r.hash);
	fprintf(out, "</code>, %" PRIu64 " action(s) refused</p>\n",
		mos__rpt_u(doc, "actions_failed"));
	services_table(&r, out);
	procs_table(&r, out);
	stats_table(&r, out);
	fputs("<h2>Gantt chart</h2>\n", out);
	if ((rc = mos__rpt_gantt(&r, out)) != 0)
		return rc;
	fputs("<h2>Time series</h2>\n", out);
	mos__rpt_plots(&r, (1u << MOS_RPT_NSERIES) - 1, false, out);
	if (r.timeline)
		timeline_table(&r, out);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? MOS_EIO : 0;
}
