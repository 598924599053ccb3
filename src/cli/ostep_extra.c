/*
 * src/cli/ostep_extra.c - our own flags after "--" on `multios ostep
 * SCRIPT ARGS... -- EXTRAS`: the kernel's schedule behind the script's
 * text, as a Gantt chart (--gantt), as the workbench's JSON report
 * (--json, instead of the text) or as a Chrome trace (--trace FILE).
 *
 * optparse stops at "--" and the scripts ignore what follows, so these
 * flags can never change what a script's own command line means.  Each
 * front end hands over the mos_sched_report_t its schedule came from;
 * nothing here looks at the script's text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ostep.h"

static int extras_usage(const char *script, const char *fmt, const char *arg)
{
	fprintf(stderr, "multios ostep %s: ", script);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(after '--': [--gantt | --json] [--trace FILE]; "
		"see 'multios ostep --help')\n");
	return 2;
}

int ostep_extras_parse(const char *script, int argc, char **argv,
		       ostep_extras_t *x)
{
	memset(x, 0, sizeof *x);
	x->saved_stdout = -1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--gantt"))
			x->gantt = true;
		else if (!strcmp(a, "--json"))
			x->json = true;
		else if (!strcmp(a, "--trace") && i + 1 < argc && argv[i + 1][0])
			x->trace = argv[++i];
		else if (!strcmp(a, "--trace"))
			return extras_usage(script, "%s needs a file name",
					    "--trace");
		else
			return extras_usage(script, "unknown flag after '--': "
					    "'%s'", a);
	}
	if (x->gantt && x->json)
		return extras_usage(script, "%s", "--gantt and --json exclude "
				    "each other: --json prints one JSON "
				    "document");
	return 0;
}

bool ostep_extras_any(const ostep_extras_t *x)
{
	return x->gantt || x->json || x->trace;
}

int ostep_extras_begin(ostep_extras_t *x)
{
	int null;

	if (!x->json)
		return 0;
	fflush(stdout);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	x->saved_stdout = null < 0 ? -1 : fcntl(1, F_DUPFD_CLOEXEC, 3);
	if (x->saved_stdout < 0 || dup2(null, 1) < 0) {
		fprintf(stderr, "multios ostep: --json: %s\n", strerror(errno));
		if (null >= 0)
			close(null);
		return 1;
	}
	close(null);
	return 0;
}

static int write_trace(const char *script, const char *path,
		       const mos_sched_report_t *r)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "multios ostep %s: %s: %s\n", script, path,
			strerror(errno));
		return 1;
	}
	rc = mos_sched_report_write_trace(r, f);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "multios ostep %s: %s: write failed\n", script,
			path);
		return 1;
	}
	return 0;
}

int ostep_extras_finish(const char *script, ostep_extras_t *x,
			const mos_sched_report_t *r, int rc)
{
	if (x->saved_stdout >= 0) {
		fflush(stdout);
		dup2(x->saved_stdout, 1);
		close(x->saved_stdout);
		x->saved_stdout = -1;
	}
	if (!ostep_extras_any(x) || rc)
		return rc;
	if (!r) {
		fprintf(stderr, "multios ostep %s: no schedule to show: no "
			"job ran\n", script);
		return 1;
	}
	if (x->json && mos_sched_report_write_json(r, stdout) < 0) {
		fprintf(stderr, "multios ostep %s: writing the report failed\n",
			script);
		return 1;
	}
	if (x->gantt)
		cli_sched_gantt(r, stdout);
	if (x->trace)
		return write_trace(script, x->trace, r);
	return fflush(stdout) == 0 ? 0 : 1;
}
