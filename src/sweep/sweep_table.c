/*
 * src/sweep/sweep_table.c - run lines gathered into one table: checked as
 * they come (same keys, same run count, no run twice), written in run
 * order as text, CSV, the lines again, or an SVG bar chart.
 *
 * The local run and `--merge` both build their output here from the
 * lines, so the two give the same bytes by construction.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json/jsonload.h"
#include "multios/sweep.h"
#include "util/error_int.h"

struct mos_sweep_table {
	size_t runs;     /* the lines' "runs"; 0 until the first line */
	size_t n;        /* lines added */
	json_t **line;   /* [runs], by run number; NULL: not there yet */
	json_t *first;   /* the first line added: its keys are the columns */
};

int mos_sweep_table_new(mos_sweep_table_t **out)
{
	if (!out)
		return MOS_EINVAL;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : MOS_ENOMEM;
}

void mos_sweep_table_free(mos_sweep_table_t *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->runs; i++)
		json_decref(t->line[i]);
	free(t->line);
	free(t);
}

size_t mos_sweep_table_size(const mos_sweep_table_t *t)
{
	return t ? t->n : 0;
}

static int get_count(mos_jload_t *ld, json_t *o, const char *key,
		     uint64_t *out)
{
	int rc = mos__json_require(ld, o, key);

	return rc ? rc : mos__json_get_u64(ld, o, key, out);
}

/* Same keys as the first line, in the same order, each a string, an
 * integer or a real (a column keeps one type). */
static int check_shape(const mos_sweep_table_t *t, mos_jload_t *ld,
		       json_t *o)
{
	void *a = json_object_iter(o);
	void *b = t->first ? json_object_iter(t->first) : NULL;

	for (; a; a = json_object_iter_next(o, a)) {
		const char *k = json_object_iter_key(a);
		json_t *v = json_object_iter_value(a);

		mos__jpath_push_key(&ld->path, k);
		if (!json_is_string(v) && !json_is_number(v))
			return mos__json_fail(ld, MOS_ECONFIG,
					      "expected a string or a number");
		if (t->first && (!b || strcmp(k, json_object_iter_key(b))))
			return mos__json_fail(ld, MOS_ECONFIG, "the lines' "
					      "keys differ here (%s expected)",
					      b ? json_object_iter_key(b)
						: "no more keys");
		if (b && json_typeof(v) != json_typeof(json_object_iter_value(b)))
			return mos__json_fail(ld, MOS_ECONFIG, "not of the "
					      "type of the other lines'");
		mos__jpath_pop(&ld->path);
		if (b)
			b = json_object_iter_next(t->first, b);
	}
	if (b)
		return mos__json_fail(ld, MOS_ECONFIG, "key '%s' is missing",
				      json_object_iter_key(b));
	return 0;
}

static int add(mos_sweep_table_t *t, mos_jload_t *ld, json_t *o)
{
	uint64_t run = 0, runs = 0;
	int rc;

	if (!json_is_object(o))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	if ((rc = get_count(ld, o, "run", &run)) ||
	    (rc = get_count(ld, o, "runs", &runs)))
		return rc;
	mos__jpath_push_key(&ld->path, "runs");
	if (runs == 0 || runs > MOS_SWEEP_MAX_RUNS)
		return mos__json_fail(ld, MOS_ECONFIG, "must be between 1 "
				      "and %d", MOS_SWEEP_MAX_RUNS);
	if (t->runs && runs != t->runs)
		return mos__json_fail(ld, MOS_ECONFIG, "is %" PRIu64 ", other "
				      "lines say %zu", runs, t->runs);
	mos__jpath_pop(&ld->path);
	mos__jpath_push_key(&ld->path, "run");
	if (run >= runs)
		return mos__json_fail(ld, MOS_ECONFIG, "must be below runs");
	if (t->line && t->line[run])
		return mos__json_fail(ld, MOS_EEXIST, "run %" PRIu64 " is "
				      "already there", run);
	mos__jpath_pop(&ld->path);
	if ((rc = check_shape(t, ld, o)))
		return rc;
	if (!t->line && !(t->line = calloc(runs, sizeof(*t->line))))
		return MOS_ENOMEM;
	t->runs = runs;
	t->line[run] = json_incref(o);
	if (!t->first)
		t->first = o;
	t->n++;
	return 0;
}

int mos_sweep_table_add(mos_sweep_table_t *t, const char *line,
			const char *source, mos_error_t *err)
{
	json_t *o;
	json_error_t jerr;
	mos_jload_t ld;
	int rc;

	mos__error_clear(err);
	if (!t || !line || !source)
		return mos__error_path(err, MOS_EINVAL, "sweep", NULL,
				       "NULL argument");
	memset(&jerr, 0, sizeof(jerr));
	o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return mos__error_syntax(err, mos__json_error_code(&jerr),
					 source, jerr.line, jerr.column, "%s",
					 jerr.text);
	mos__jload_init(&ld, source, err);
	rc = add(t, &ld, o);
	json_decref(o);
	if (rc == MOS_ENOMEM)
		mos__error_path(err, rc, source, NULL, "out of memory");
	return rc;
}

/* ---- writing ---- */

/* One cell as text: strings as they are, reals with 6 decimals. */
static const char *cell(json_t *v, char *buf, size_t size)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
		snprintf(buf, size, "%.6f", json_real_value(v));
	return buf;
}

/* Clears *err; then whether t can be written to out: both given, the
 * table not empty, no run missing. */
static int complete(const mos_sweep_table_t *t, FILE *out, mos_error_t *err)
{
	mos__error_clear(err);
	if (!out)
		return mos__error_path(err, MOS_EINVAL, "sweep", NULL,
				       "NULL argument");
	if (!t || !t->n)
		return mos__error_path(err, MOS_EINVAL, "sweep", NULL, "%s",
				       t ? "no runs" : "NULL argument");
	for (size_t i = 0; i < t->runs; i++)
		if (!t->line[i])
			return mos__error_path(err, MOS_ENOENT, "sweep", NULL,
					       "run %zu of %zu is missing", i,
					       t->runs);
	return 0;
}

/* The columns: every key but "runs". */
static int skip(const char *key)
{
	return !strcmp(key, "runs");
}

static void csv_cell(const char *s, FILE *out)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void write_csv(const mos_sweep_table_t *t, FILE *out)
{
	char buf[64];
	int sep = 0;

	for (void *it = json_object_iter(t->first); it;
	     it = json_object_iter_next(t->first, it))
		if (!skip(json_object_iter_key(it))) {
			fputs(sep++ ? "," : "", out);
			csv_cell(json_object_iter_key(it), out);
		}
	fputc('\n', out);
	for (size_t i = 0; i < t->runs; i++) {
		sep = 0;
		for (void *it = json_object_iter(t->line[i]); it;
		     it = json_object_iter_next(t->line[i], it))
			if (!skip(json_object_iter_key(it))) {
				fputs(sep++ ? "," : "", out);
				csv_cell(cell(json_object_iter_value(it), buf,
					      sizeof(buf)), out);
			}
		fputc('\n', out);
	}
}

/* Aligned columns: strings to the left, numbers to the right, each column
 * as wide as its widest cell. */
static int write_text(const mos_sweep_table_t *t, FILE *out)
{
	size_t ncol = json_object_size(t->first), c;
	size_t *w = calloc(ncol, sizeof(*w));
	char buf[64];

	if (!w)
		return MOS_ENOMEM;
	for (size_t i = 0; i <= t->runs; i++) {
		json_t *row = i ? t->line[i - 1] : t->first;

		c = 0;
		for (void *it = json_object_iter(row); it;
		     it = json_object_iter_next(row, it), c++) {
			const char *s = i ? cell(json_object_iter_value(it),
						 buf, sizeof(buf))
					  : json_object_iter_key(it);
			if (strlen(s) > w[c])
				w[c] = strlen(s);
		}
	}
	for (size_t i = 0; i <= t->runs; i++) {
		json_t *row = i ? t->line[i - 1] : t->first;
		int sep = 0;

		c = 0;
		for (void *it = json_object_iter(row); it;
		     it = json_object_iter_next(row, it), c++) {
			json_t *v = json_object_iter_value(it);
			const char *s = i ? cell(v, buf, sizeof(buf))
					  : json_object_iter_key(it);
			int left = json_is_string(v);

			if (skip(json_object_iter_key(it)))
				continue;
			fputs(sep++ ? "  " : "", out);
			/* The last column is not padded on the right. */
			if (left && json_object_iter_next(row, it))
				fprintf(out, "%-*s", (int)w[c], s);
			else if (left)
				fputs(s, out);
			else
				fprintf(out, "%*s", (int)w[c], s);
		}
		fputc('\n', out);
	}
	free(w);
	return 0;
}

static int write_lines(const mos_sweep_table_t *t, FILE *out)
{
	for (size_t i = 0; i < t->runs; i++)
		if (json_dumpf(t->line[i], out, JSON_COMPACT |
			       JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) ||
		    fputc('\n', out) == EOF)
			return MOS_EIO;
	return 0;
}

static int flushed(FILE *out, int rc, mos_error_t *err)
{
	if (rc)
		return mos__error_path(err, rc, "sweep", NULL, "%s",
				       mos_strerror(rc));
	if (fflush(out) != 0 || ferror(out))
		return mos__error_path(err, MOS_EIO, "sweep", NULL,
				       "write failed");
	return 0;
}

int mos_sweep_table_write(const mos_sweep_table_t *t, FILE *out,
			  mos_sweep_format_t format, mos_error_t *err)
{
	int rc;

	if ((rc = complete(t, out, err)))
		return rc;
	if (format == MOS_SWEEP_CSV)
		write_csv(t, out), rc = 0;
	else if (format == MOS_SWEEP_JSONL)
		rc = write_lines(t, out);
	else if (format == MOS_SWEEP_TEXT)
		rc = write_text(t, out);
	else
		return mos__error_path(err, MOS_EINVAL, "sweep", NULL,
				       "unknown format");
	return flushed(out, rc, err);
}

/* ---- SVG ---- */

static void xml_text(const char *s, FILE *out)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

/* The metric's column: the one named, or the first number after the
 * parameters (the keys before it that are "run", "runs", the file or a
 * grid axis). */
static const char *pick_metric(const mos_sweep_table_t *t, const char *m,
			       mos_error_t *err)
{
	static const char *const params[] = {"run", "runs", "workload",
					     "scenario", "policy", "quantum",
					     "seed", "until", NULL};
	json_t *v;

	if (m) {
		v = json_object_get(t->first, m);
		if (v && json_is_number(v) && strcmp(m, "run") && strcmp(m, "runs"))
			return m;
		mos__error_path(err, MOS_EINVAL, "sweep", NULL, "no metric "
				"'%.64s' with numbers in the runs", m);
		return NULL;
	}
	for (void *it = json_object_iter(t->first); it;
	     it = json_object_iter_next(t->first, it)) {
		const char *k = json_object_iter_key(it);
		int param = 0;

		for (const char *const *p = params; *p; p++)
			param |= !strcmp(*p, k);
		if (!param && json_is_number(json_object_iter_value(it)))
			return k;
	}
	mos__error_path(err, MOS_EINVAL, "sweep", NULL, "no numeric metric");
	return NULL;
}

/* A run's label: its parameters, "rr q=4 seed=1". */
static void label(json_t *row, const char *metric, FILE *out)
{
	char buf[64];
	int sep = 0;

	for (void *it = json_object_iter(row); it;
	     it = json_object_iter_next(row, it)) {
		const char *k = json_object_iter_key(it);

		if (!strcmp(k, metric))
			return;
		if (!strcmp(k, "run") || !strcmp(k, "runs"))
			continue;
		fputs(sep++ ? " " : "", out);
		if (strcmp(k, "workload") && strcmp(k, "scenario") &&
		    strcmp(k, "policy"))
			fprintf(out, "%s=", k);
		xml_text(cell(json_object_iter_value(it), buf, sizeof(buf)),
			 out);
	}
}

int mos_sweep_table_write_svg(const mos_sweep_table_t *t, const char *metric,
			      FILE *out, mos_error_t *err)
{
	double max = 0;
	const char *m;
	int rc;

	if ((rc = complete(t, out, err)))
		return rc;
	if (!(m = pick_metric(t, metric, err)))
		return MOS_EINVAL;
	for (size_t i = 0; i < t->runs; i++) {
		double v = json_number_value(json_object_get(t->line[i], m));

		if (v > max)
			max = v;
	}
	/* Bars of 600 px at most, one 18 px row per run, the label left. */
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" "
		"height=\"%zu\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<text x=\"4\" y=\"16\" font-weight=\"bold\">", 18 * t->runs + 30);
	xml_text(m, out);
	fputs("</text>\n", out);
	for (size_t i = 0; i < t->runs; i++) {
		json_t *v = json_object_get(t->line[i], m);
		double x = json_number_value(v);
		long w = max > 0 && x > 0 ? (long)(x / max * 600 + 0.5) : 0;
		size_t y = 24 + 18 * i;
		char buf[64];

		fprintf(out, "<text x=\"4\" y=\"%zu\">", y + 13);
		label(t->line[i], m, out);
		fprintf(out, "</text>\n<rect class=\"bar\" data-run=\"%zu\" "
			"x=\"300\" y=\"%zu\" width=\"%ld\" height=\"14\" "
			"fill=\"#4e79a7\"/>\n<text x=\"%ld\" y=\"%zu\">%s</text>\n",
			i, y + 2, w, 304 + w, y + 13, cell(v, buf, sizeof(buf)));
	}
	fputs("</svg>\n", out);
	return flushed(out, 0, err);
}
