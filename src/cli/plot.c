/*
 * src/cli/plot.c - `multios plot RUN.json -o OUT.svg`: the time series of
 * a scenario run's JSON document as one SVG file.
 *
 * The library draws (mos_scenario_plot_file, docs/REPORTS.md); this is
 * the options, the messages and the exit status.  The SVG is drawn into
 * memory first, so a bad input leaves no output file behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: multios plot RUN.json -o OUT.svg [--series NAME[,NAME...]]\n"
	"\n"
	"Read RUN.json, the JSON document of a scenario run (what\n"
	"'multios run SCENARIO.json --json' prints, docs/SCENARIOS.md), and\n"
	"write its time series as one standalone SVG file: one chart per\n"
	"series, stacked, each with a time axis (ns, us, ms or s) and a value\n"
	"axis in the series' unit (bytes in B, KiB, MiB...; CPU in %; counts;\n"
	"latencies in us, ms or s).  Each series is exactly one <path\n"
	"class=\"series\" data-series=\"NAME\"> element; the file has no script\n"
	"and no external reference, and opens in any browser or SVG viewer\n"
	"(docs/REPORTS.md).  The same document always gives the same bytes.\n"
	"\n"
	"  -o, --output OUT.svg  the file to write ('-': standard output);\n"
	"              required.  It is written only when the whole input\n"
	"              checked.\n"
	"  --series NAME[,NAME...]  only these series, in the document's\n"
	"              order: memory_bytes, cpu_permille, runnable,\n"
	"              processes, requests, requests_failed, latency_p50_ns,\n"
	"              latency_max_ns (default: all)\n"
	"  -h, --help  show this text\n"
	"\n"
	"A file that cannot be read, is not JSON (the message gives the line\n"
	"and column) or is not a run's document (the message names the JSON\n"
	"path of what is wrong, as \"series.time_ns: expected an array of\n"
	"integers\") is an error.\n"
	"\n"
	"Exit status: 0 the SVG was written; 1 the input is bad or the output\n"
	"could not be written; 2 a usage error.\n";

#define MAX_SERIES 16

typedef struct opts {
	const char *file, *output;
	const char *series[MAX_SERIES + 1];
	char *list;                   /* --series, split in place */
} opts_t;

static int bad(const char *fmt, const char *arg)
{
	return cli_usage_error("plot", fmt, arg);
}

/* The valid series names, for a usage error. */
static int bad_series(const char *name)
{
	fprintf(stderr, "multios plot: --series: unknown series '%s'; the "
		"series are:", name);
	for (size_t i = 0; mos_scenario_series_name(i); i++)
		fprintf(stderr, "%s %s", i ? "," : "",
			mos_scenario_series_name(i));
	fputs("\n(try 'multios plot --help')\n", stderr);
	return 2;
}

static int known(const char *name)
{
	for (size_t i = 0; mos_scenario_series_name(i); i++)
		if (!strcmp(mos_scenario_series_name(i), name))
			return 1;
	return 0;
}

/* --series LIST into o->series. */
static int split(opts_t *o, const char *arg)
{
	size_t n = 0;
	char *p;

	free(o->list);
	if (!(o->list = strdup(arg)))
		return bad("%s", "out of memory");
	p = o->list;
	for (;;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (!*p)
			return bad("--series: an empty name in '%s'", arg);
		if (!known(p))
			return bad_series(p);
		if (n == MAX_SERIES)
			return bad("--series: too many names in '%s'", arg);
		o->series[n++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	o->series[n] = NULL;
	return 0;
}

/* 0 to plot, 1 for --help (done), 2 for a usage error. */
static int parse(int argc, char **argv, opts_t *o)
{
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 1;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (++i == argc)
				return bad("%s needs a file name", a);
			o->output = argv[i];
		} else if (!strcmp(a, "--series")) {
			if (++i == argc)
				return bad("%s needs a list of names", a);
			if ((rc = split(o, argv[i])) != 0)
				return rc;
		} else if (a[0] == '-' && a[1]) {
			return bad("unknown option '%s'", a);
		} else if (o->file) {
			return bad("one run file only ('%s')", a);
		} else {
			o->file = a;
		}
	}
	if (!o->file)
		return bad("%s", "no run file (the JSON of 'multios run "
			   "SCENARIO.json --json')");
	return o->output ? 0 : bad("%s", "no output file (-o OUT.svg)");
}

/* buf into the file o->output ('-': stdout); 0 or 1. */
static int write_out(const opts_t *o, const char *buf, size_t len)
{
	int to_stdout = !strcmp(o->output, "-");
	FILE *f = to_stdout ? stdout : fopen(o->output, "w");

	if (!f || fwrite(buf, 1, len, f) != len || fflush(f) != 0 ||
	    (!to_stdout && fclose(f) != 0)) {
		fprintf(stderr, "multios plot: %s: %s\n",
			to_stdout ? "standard output" : o->output,
			strerror(errno));
		return 1;
	}
	return 0;
}

int cli_plot(int argc, char **argv)
{
	opts_t o = {0};
	mos_error_t err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	if ((rc = parse(argc, argv, &o)) != 0) {
		free(o.list);
		return rc == 1 ? 0 : rc;
	}
	if (!(mem = open_memstream(&buf, &len))) {
		free(o.list);
		fprintf(stderr, "multios plot: %s\n", strerror(errno));
		return 1;
	}
	rc = mos_scenario_plot_file(o.file, o.series[0] ? o.series : NULL,
				    mem, &err);
	if (fclose(mem) != 0 && rc == 0)
		rc = MOS_ENOMEM;
	free(o.list);
	if (rc < 0) {
		fprintf(stderr, "multios plot: %s\n",
			err.code ? err.message : mos_strerror(rc));
		free(buf);
		return 1;
	}
	rc = write_out(&o, buf, len);
	free(buf);
	return rc;
}
