/*
 * src/report/report_svg.c - the time series as SVG: one chart per
 * series, stacked, each with its axes and exactly one <path> (class
 * "series", data-series its key), so a reader can count them.  Integers
 * only: coordinates are whole pixels and labels are printed from
 * integer tenths, so no locale and no floating point reach the output.
 */
#include <inttypes.h>
#include <string.h>

#include "json/jsonload.h"
#include "multios/scenario.h"
#include "util/error_int.h"
#include "report_int.h"

/* The chart's geometry, shared with the Gantt chart so that their time
 * axes line up. */
#define X0 RPT_X0
#define PW RPT_PW
#define WIDTH RPT_WIDTH
#define CH_TITLE 22     /* a chart's title band */
#define PH 120          /* plot height */
#define CH (CH_TITLE + PH + 34)

void mos__rpt_esc(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			/* XML 1.0 has no control characters but tab, LF
			 * and CR, and no U+FFFE or U+FFFF (EF BF BE/BF in
			 * the UTF-8 jansson checked). */
			if ((*p < 0x20 && *p != '\t' && *p != '\n' &&
			     *p != '\r') || *p == 0x7f) {
				fputc('?', out);
			} else if (p[0] == 0xef && p[1] == 0xbf &&
				   (p[2] == 0xbe || p[2] == 0xbf)) {
				fputc('?', out);
				p += 2;
			} else {
				fputc(*p, out);
			}
		}
	}
}

void mos__rpt_ms(char *buf, size_t len, uint64_t t)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, t / 1000000,
		 (t % 1000000) / 1000);
}

uint64_t mos__rpt_scale(uint64_t v, uint64_t top, uint64_t span)
{
	/* Both shifted down until v * span cannot wrap (span < 2^15). */
	while (top >> 48) {
		v >>= 1;
		top >>= 1;
	}
	return top ? v * span / top : 0;
}

/* ---- axes ------------------------------------------------------------ */

typedef struct unit {
	uint64_t div;
	const char *suffix;
} unit_t;

static const unit_t u_time[] = {
	{1, " ns"}, {1000, " us"}, {1000000, " ms"}, {1000000000, " s"},
	{0, NULL},
};
static const unit_t u_bytes[] = {
	{1, " B"}, {1ull << 10, " KiB"}, {1ull << 20, " MiB"},
	{1ull << 30, " GiB"}, {1ull << 40, " TiB"}, {1ull << 50, " PiB"},
	{1ull << 60, " EiB"}, {0, NULL},
};
static const unit_t u_count[] = {
	{1, ""}, {1000, "k"}, {1000000, "M"}, {1000000000, "G"},
	{1000000000000ull, "T"}, {1000000000000000ull, "P"},
	{1000000000000000000ull, "E"}, {0, NULL},
};
static const unit_t u_permille[] = {{10, "%"}, {0, NULL}};

/* An axis from 0 to top (in the data's units), ticks every step. */
typedef struct axis {
	const unit_t *u;
	uint64_t top;         /* data units */
	uint64_t top_t, step; /* tenths of u->div */
} axis_t;

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/* Tenths of the unit, in data units. */
static uint64_t tenths_to_units(uint64_t t, uint64_t div)
{
	return t / 10 * div + t % 10 * div / 10;
}

/* The axis for values up to max: the largest unit max reaches, about
 * four ticks at 1, 2 or 5 times a power of ten (tenths allowed, but
 * never below one whole unit of 1: no half processes or bytes). */
static axis_t make_axis(const unit_t *units, uint64_t max)
{
	axis_t a = {units, 0, 0, 0};
	uint64_t r, raw, p = 1;

	for (const unit_t *u = units; u->div; u++)
		if (max >= u->div)
			a.u = u;
	r = max / a.u->div * 10 + ceil_div(max % a.u->div * 10, a.u->div);
	if (r == 0)
		r = 1;
	raw = ceil_div(r, 4);
	if (a.u->div == 1 && raw < 10)
		raw = 10;
	while (p <= raw / 10)
		p *= 10;
	a.step = raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p
								 : 10 * p;
	a.top_t = ceil_div(r, a.step) * a.step;
	a.top = tenths_to_units(a.top_t, a.u->div);
	if (a.top < max)
		a.top = max;
	return a;
}

static void label(FILE *out, const axis_t *a, uint64_t t)
{
	if (t % 10)
		fprintf(out, "%" PRIu64 ".%" PRIu64 "%s", t / 10, t % 10,
			a->u->suffix);
	else
		fprintf(out, "%" PRIu64 "%s", t / 10, a->u->suffix);
}

uint64_t mos__rpt_time_axis(FILE *out, uint64_t end, int x0, int w, int y0,
			    int h)
{
	axis_t a = make_axis(u_time, end ? end : 1);

	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#444\"/>\n", x0, y0, x0 + w, y0);
	for (uint64_t t = 0; t <= a.top_t; t += a.step) {
		int x = x0 + (int)mos__rpt_scale(tenths_to_units(t, a.u->div),
						 a.top, (uint64_t)w);

		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#e4e4e4\"/>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"middle\">", x, y0 - h, x, y0 + 4, x,
			y0 + 16);
		label(out, &a, t);
		fputs("</text>\n", out);
	}
	return a.top;
}

/* ---- the plots ------------------------------------------------------- */

static const struct {
	const unit_t *units;
	const char *title;
	const char *colour;
} look[MOS_RPT_NSERIES] = {
	{u_bytes, "memory in use", "#4e79a7"},
	{u_permille, "CPU busy", "#f28e2b"},
	{u_count, "runnable processes", "#59a14f"},
	{u_count, "processes", "#76b7b2"},
	{u_count, "requests answered per interval", "#edc948"},
	{u_count, "requests failed per interval", "#e15759"},
	{u_time, "latency p50", "#b07aa1"},
	{u_time, "latency max", "#9c755f"},
};

/* The time axis's end: the run's end, or the last sample if later. */
static uint64_t x_end(const rpt_t *r)
{
	uint64_t end = r->end;

	if (r->n && mos__rpt_at(r->time, r->n - 1) > end)
		end = mos__rpt_at(r->time, r->n - 1);
	return end ? end : 1;
}

/* Series i's chart, its top at y. */
static void chart(const rpt_t *r, size_t i, int y, FILE *out)
{
	const char *key = mos__rpt_series_name(i);
	uint64_t max = 0, xend = x_end(r);
	int ybot = y + CH_TITLE + PH, px = -1, py = -1;
	axis_t a;

	for (size_t k = 0; k < r->n; k++)
		if (mos__rpt_at(r->col[i], k) > max)
			max = mos__rpt_at(r->col[i], k);
	a = make_axis(look[i].units, i == 1 && max < 1000 ? 1000 : max);
	fprintf(out, "<g class=\"chart\" data-chart=\"%s\">\n<text x=\"%d\" "
		"y=\"%d\" font-weight=\"bold\">%s (%s)</text>\n", key, X0,
		y + 15, look[i].title, key);
	for (uint64_t t = 0; t <= a.top_t; t += a.step) {
		int yy = ybot - (int)mos__rpt_scale(
				       tenths_to_units(t, a.u->div), a.top, PH);

		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#e4e4e4\"/>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"end\">", X0 - 4, yy, X0 + PW, yy,
			X0 - 6, yy + 4);
		label(out, &a, t);
		fputs("</text>\n", out);
	}
	xend = mos__rpt_time_axis(out, xend, X0, PW, ybot, PH);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#444\"/>\n<path class=\"series\" data-series=\"%s\" "
		"fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"", X0,
		ybot - PH, X0, ybot, key, look[i].colour);
	if (r->n == 0)
		fprintf(out, "M%d %dH%d", X0, ybot, X0 + PW);
	for (size_t k = 0; k < r->n; k++) {
		int x = X0 + (int)mos__rpt_scale(mos__rpt_at(r->time, k), xend,
						 PW);
		int yy = ybot - (int)mos__rpt_scale(mos__rpt_at(r->col[i], k),
						    a.top, PH);

		/* A point on the one before it adds nothing. */
		if (x == px && yy == py)
			continue;
		fprintf(out, "%s%d %d", k ? "L" : "M", x, yy);
		px = x;
		py = yy;
	}
	if (r->n == 1)
		fprintf(out, "H%d", px);
	fputs("\"/>\n</g>\n", out);
}

static unsigned popcount(unsigned m)
{
	unsigned n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

void mos__rpt_plots(const rpt_t *r, unsigned mask, bool standalone,
		    FILE *out)
{
	int h = (int)popcount(mask) * CH + 10, y = 10;

	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg %swidth=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"class=\"plots\" font-family=\"sans-serif\" font-size=\"11\">\n"
		"<title>", standalone ? "xmlns=\"http://www.w3.org/2000/svg\" "
				      : "", WIDTH, h, WIDTH, h);
	mos__rpt_esc(out, r->name);
	fputs(": time series</title>\n<rect width=\"100%\" height=\"100%\" "
	      "fill=\"#fff\"/>\n", out);
	for (size_t i = 0; i < MOS_RPT_NSERIES; i++) {
		if (!(mask & (1u << i)))
			continue;
		chart(r, i, y, out);
		y += CH;
	}
	fputs("</svg>\n", out);
}

int mos__report_svg(json_t *doc, const char *source, unsigned mask,
		    FILE *out, mos_error_t *err)
{
	rpt_t r;
	int rc;

	if (!doc || !out)
		return MOS_EINVAL;
	if ((rc = mos__rpt_check(doc, source, &r, err)) != 0)
		return rc;
	mask &= (1u << MOS_RPT_NSERIES) - 1;
	mos__rpt_plots(&r, mask ? mask : (1u << MOS_RPT_NSERIES) - 1, true,
		       out);
	return ferror(out) ? MOS_EIO : 0;
}

const char *mos_scenario_series_name(size_t i)
{
	return mos__rpt_series_name(i);
}

int mos_scenario_plot_file(const char *path, const char *const *series,
			   FILE *out, mos_error_t *err)
{
	unsigned mask = 0;
	json_t *doc;
	int rc;

	if (err)
		mos__error_clear(err);
	if (!path || !out)
		return mos__error_path(err, MOS_EINVAL, "plot", NULL,
				       "no file or no output");
	for (size_t i = 0; series && series[i]; i++) {
		size_t k = 0;

		while (mos__rpt_series_name(k) &&
		       strcmp(mos__rpt_series_name(k), series[i]))
			k++;
		if (!mos__rpt_series_name(k))
			return mos__error_path(err, MOS_EINVAL, "plot", NULL,
					       "unknown series '%s'",
					       series[i]);
		mask |= 1u << k;
	}
	if ((rc = mos__json_load_file(path, &doc, err)) != 0)
		return rc;
	rc = mos__report_svg(doc, path, mask, out, err);
	json_decref(doc);
	if (rc == MOS_EIO)
		mos__error_path(err, rc, path, NULL, "writing the SVG failed");
	return rc;
}
