/*
 * src/cli/run_scenario.c - `multios run SCENARIO.json`: load a scenario
 * file, run it, print the timeline and the report (or one JSON document).
 *
 * The library does the work (multios/scenario.h); this is the options,
 * the messages and the exit status.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run_host.h"

static const char usage[] =
	"Usage: multios run [SCENARIO.json] [--until T] [--seed S] [--json]\n"
	"                   [--quiet] [--trace FILE] [--report FILE.html]\n"
	"                   [--live [--speed X] [--admin PATH]]\n"
	"                   [--faults SPEC] [--faults-keep LIST]\n"
	"\n"
	"Without a file, run the built-in demo (examples/scenarios/demo.json):\n"
	"a database, a cache that needs it and a round-robin web tier of three\n"
	"under client load; one web instance crashes three times and comes\n"
	"back after growing back-offs, another hangs, fails its health\n"
	"checks, is taken out of rotation, killed and restarted.\n"
	"\n"
	"Load the scenario file SCENARIO.json (docs/SCENARIOS.md: its\n"
	"configuration, programs, services, processes and timed actions),\n"
	"run it on a fresh simulated kernel and print what happened: a\n"
	"timeline, one line per event (virtual time, subject, event, reason:\n"
	"process lifecycle transitions, service state changes, signals,\n"
	"limits, marks and the actions themselves), then the final report:\n"
	"each service (state, restarts, live and configured instances, health\n"
	"check failures, calls and their latencies), each process (state,\n"
	"exit, CPU time) and the kernel's counters with the trace hash.\n"
	"Everything printed depends only on the file and the seed: two runs\n"
	"print the same bytes.\n"
	"\n"
	"A file with an error is refused before anything runs; the message\n"
	"names the file and the line and column (a syntax error) or the JSON\n"
	"path of the bad value (\"actions[3].at\").  An action that the\n"
	"kernel refuses while running (a kill of a process already gone) is\n"
	"not an error: the timeline says why it failed and the run goes on.\n"
	"\n";

/* The options: a string of its own (C11 guarantees 4095 bytes). */
static const char usage_opts[] =
	"  --until T   stop at virtual time T (\"500ms\", \"2.5s\", a number of\n"
	"              ms, or \"max\": until nothing is left to do, at most\n"
	"              the file's cap); overrides the file's \"until\"\n"
	"  --seed S    the kernel's random seed (an unsigned integer);\n"
	"              overrides the file's \"seed\" and config.seed\n"
	"  --json      print exactly one JSON document instead of text:\n"
	"              {scenario, seed, end_ns, trace_hash, actions_failed,\n"
	"              timeline: [{time_ns, subject, event, reason}],\n"
	"              services: [...], processes: [...], stats: {...}}\n"
	"  --quiet     leave the timeline out (text and JSON)\n"
	"  --trace FILE  also write the run's kernel trace as Chrome Trace\n"
	"              Event JSON (ui.perfetto.dev): a track per process, the\n"
	"              services' and calls' events; the last trace_capacity\n"
	"              events (raise it in the file's config for long runs)\n"
	"  --faults SPEC  draw the faults of SPEC instead of the file's\n"
	"              \"faults\": a JSON array of fault objects\n"
	"              (docs/SCENARIOS.md, \"Faults\"), or a file holding one\n"
	"  --faults-keep LIST  of the faults the seed draws, run only those\n"
	"              whose ordinals are in LIST (\"0,3\"; \"none\"); what\n"
	"              'multios explore' prints to replay a shrunk run\n"
	"  --live      run against wall time (the realtime clock) instead of\n"
	"              as fast as possible; Ctrl-C (SIGINT) or SIGTERM ends\n"
	"              the run within 100 ms of wall time and prints the\n"
	"              report as it stands.  What the run simulates is the\n"
	"              same; only commands from the admin socket change it\n"
	"  --speed X   with --live: virtual seconds per wall second\n"
	"              (clock.speed; default the file's, 1)\n"
	"  --admin PATH  with --live: serve the admin protocol on a Unix\n"
	"              socket at PATH (created owner-only; it must not\n"
	"              exist) for 'multios ctl --socket PATH' (docs/LIVE.md)\n"
	"  --report FILE.html  also write the run as one self-contained\n"
	"              HTML file (docs/REPORTS.md): the report's tables, a\n"
	"              Gantt chart of the processes and the services' states,\n"
	"              plots of the time series, the timeline; no script,\n"
	"              nothing fetched\n"
	"  -h, --help  show this text\n"
	"\n"
	"When stderr is a terminal and --quiet is not given, a run that takes\n"
	"more than a second of host time (MULTIOS_PROGRESS_DELAY_MS\n"
	"milliseconds) shows a progress line on stderr, updated at each\n"
	"sample and action, erased at the end.\n"
	"\n"
	"Exit status: 0 the run completed; 1 the file cannot be loaded, the\n"
	"run failed or the output could not be written; 2 a usage error.\n";

typedef struct opts {
	const char *file;
	const char *faults;
	const char *trace;
	const char *report;
	FILE *report_f;
	mos_scenario_opts_t so;
	int json, quiet;
	run_host_t host;
} opts_t;

static int bad(const char *fmt, const char *arg)
{
	return cli_usage_error("run", fmt, arg);
}

/* "0,3,7" or "none" into a mask; -1 if it is neither. */
static int keep_list(const char *s, uint64_t *mask)
{
	*mask = 0;
	if (!strcmp(s, "none"))
		return 0;
	for (;;) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || v >= MOS_SCENARIO_MAX_FAULTS)
			return -1;
		*mask |= 1ull << v;
		if (!*end)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/* 0 to run, 1 for --help (done), 2 for a usage error. */
static int parse(int argc, char **argv, opts_t *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			fputs(usage_opts, stdout);
			return 1;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--quiet")) {
			o->quiet = 1;
		} else if (!strcmp(a, "--until")) {
			if (++i == argc)
				return bad("%s needs a time", a);
			o->so.has_until = true;
			if (!strcmp(argv[i], "max"))
				o->so.until = MOS_TIME_NEVER;
			else if (mos_duration_parse(argv[i], &o->so.until) < 0)
				return bad("--until: '%s' is not a duration",
					   argv[i]);
		} else if (!strcmp(a, "--seed")) {
			if (++i == argc)
				return bad("%s needs a number", a);
			errno = 0;
			o->so.seed = strtoull(argv[i], &end, 10);
			if (!argv[i][0] || *end || errno || argv[i][0] == '-')
				return bad("--seed: '%s' is not an unsigned "
					   "integer", argv[i]);
			o->so.has_seed = true;
		} else if (!strcmp(a, "--faults")) {
			if (++i == argc)
				return bad("%s needs a JSON array or a file", a);
			o->faults = argv[i];
		} else if (!strcmp(a, "--faults-keep")) {
			if (++i == argc)
				return bad("%s needs a list of ordinals", a);
			if (keep_list(argv[i], &o->so.fault_mask) < 0)
				return bad("--faults-keep: '%s' is not a list of "
					   "fault ordinals (0 .. 63, split by "
					   "commas) or 'none'", argv[i]);
			o->so.has_fault_mask = true;
		} else if (!strcmp(a, "--live")) {
			o->host.live = 1;
		} else if (!strcmp(a, "--speed")) {
			if (++i == argc)
				return bad("%s needs a number", a);
			o->host.speed = strtod(argv[i], &end);
			if (!argv[i][0] || *end || !(o->host.speed > 0) ||
			    o->host.speed > 1e9)
				return bad("--speed: '%s' is not a number above "
					   "0 (at most 1e9)", argv[i]);
		} else if (!strcmp(a, "--admin")) {
			if (++i == argc)
				return bad("%s needs a socket path", a);
			o->host.admin = argv[i];
		} else if (!strcmp(a, "--trace")) {
			if (++i == argc)
				return bad("%s needs a file name", a);
			o->trace = argv[i];
		} else if (!strcmp(a, "--report")) {
			if (++i == argc)
				return bad("%s needs a file name", a);
			o->report = argv[i];
		} else if (a[0] == '-') {
			return bad("unknown option '%s'", a);
		} else if (o->file) {
			return bad("one scenario file only ('%s')", a);
		} else {
			o->file = a;
		}
	}
	if (!o->host.live && (o->host.speed > 0 || o->host.admin))
		return bad("%s", o->host.admin ? "--admin needs --live"
					       : "--speed needs --live");
	return 0; /* no file: the demo */
}

int cli_run_scenario(int argc, char **argv)
{
	mos_scenario_result_t *res = NULL;
	mos_scenario_t *sc = NULL;
	mos_error_t err;
	opts_t o;
	int rc;

	if ((rc = parse(argc, argv, &o)) != 0)
		return rc == 1 ? 0 : rc;
	if ((o.file ? mos_scenario_load(o.file, &sc, &err)
		    : cli_demo_load(&sc, &err)) < 0) {
		fprintf(stderr, "multios run: %s\n", err.message);
		return 1;
	}
	if (o.faults && cli_faults_option(sc, o.faults, "multios run")) {
		mos_scenario_free(sc);
		return 1;
	}
	/* Opened before the run: a bad path fails before anything runs. */
	if (o.trace && !(o.so.trace = fopen(o.trace, "w"))) {
		fprintf(stderr, "multios run: %s: %s\n", o.trace,
			strerror(errno));
		mos_scenario_free(sc);
		return 1;
	}
	if (o.report && !(o.report_f = fopen(o.report, "w"))) {
		fprintf(stderr, "multios run: %s: %s\n", o.report,
			strerror(errno));
		if (o.so.trace)
			fclose(o.so.trace);
		mos_scenario_free(sc);
		return 1;
	}
	o.host.progress = !o.quiet && isatty(STDERR_FILENO);
	o.host.end = o.so.has_until ? o.so.until : mos_scenario_until(sc);
	cli_run_host_hook(&o.host, &o.so);
	rc = mos_scenario_run(sc, &o.so, &res, &err);
	cli_run_host_done(&o.host);
	mos_scenario_free(sc);
	if (o.so.trace && fclose(o.so.trace) != 0 && rc == 0) {
		fprintf(stderr, "multios run: %s: %s\n", o.trace,
			strerror(errno));
		mos_scenario_result_free(res);
		if (o.report_f)
			fclose(o.report_f);
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr, "multios run: %s\n", err.message);
		if (o.report_f)
			fclose(o.report_f);
		return 1;
	}
	if (o.report_f) {
		rc = mos_scenario_write_html(res, o.report_f);
		if (fclose(o.report_f) != 0 && rc == 0)
			rc = MOS_EIO;
		if (rc < 0) {
			fprintf(stderr, "multios run: %s: %s\n", o.report,
				mos_strerror(rc));
			mos_scenario_result_free(res);
			return 1;
		}
	}
	rc = o.json ? mos_scenario_write_json(res, stdout, !o.quiet)
		    : mos_scenario_write_text(res, stdout, !o.quiet);
	mos_scenario_result_free(res);
	if (rc < 0) {
		fprintf(stderr, "multios run: standard output: %s\n",
			mos_strerror(rc));
		return 1;
	}
	return 0;
}
