/*
 * src/cli/explore.c - `multios explore SCENARIO.json --runs N`: a fault
 * campaign (multios/explore.h), run in J host processes, its outcomes
 * merged in seed order, so what it prints does not depend on J.
 *
 * The workers only send fixed-size outcomes back through pipes; whatever
 * is printed about a failing run (its words, its shrinking) is made by
 * the parent, again, from the run's seed: the runs replay exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "explore.h"

#define MAX_RUNS 100000000ull
#define MAX_JOBS 256

static const char usage[] =
	"Usage: multios explore SCENARIO.json --runs N [--seed S] [--jobs J]\n"
	"                       [--until T] [--faults SPEC] [--check INV...]\n"
	"                       [--show K] [--no-shrink] [--json]\n"
	"\n"
	"Run the scenario N times, run i with its own seed (derived from S and\n"
	"i), which draws the faults of the scenario's \"faults\" (crash, hang,\n"
	"kill, signal, memory, down: when, which service, which instance) and\n"
	"the jitter of its actions; check each run against the invariants\n"
	"(docs/EXPLORE.md) and print a table of invariants by runs violated.\n"
	"For each of the first K failing runs: what failed, the seed, the\n"
	"command that replays it (the same trace hash), and the run shrunk:\n"
	"its faults left out one at a time while it still fails, down to the\n"
	"smallest schedule found, with the command that replays that.\n"
	"\n"
	"  --runs N     how many runs (1 .. 100000000)\n"
	"  --seed S     the campaign's seed (default 1): run i's seed is\n"
	"               mos_explore_seed(S, i), printed with every failure\n"
	"  --jobs J     run in J host processes (default: the online CPUs);\n"
	"               the output is the same for every J\n"
	"  --until T    end each run at virtual time T (\"10s\"); default the\n"
	"               file's \"until\"\n"
	"  --faults SPEC  the faults to draw instead of the file's: a JSON\n"
	"               array as the file's \"faults\" ('[{\"kind\": \"crash\",\n"
	"               \"service\": \"db\", \"count\": [0, 3]}]'), or the name\n"
	"               of a file holding one\n"
	"  --check INV...  check only these invariants (the arguments up to\n"
	"               the next option): requests, deadlines[=T], zombies[=T],\n"
	"               recovery[=T], restarts, limits, or the name of one of\n"
	"               the file's expectations; default all of them\n"
	"  --show K     describe and shrink the first K failing runs (default\n"
	"               3; 0: the table only)\n"
	"  --no-shrink  do not shrink\n"
	"  --json       print one JSON document instead of text\n"
	"  -h, --help   show this text\n"
	"\n"
	"When stderr is a terminal, a progress line shows the runs done.\n"
	"\n"
	"Exit status: 0 every run kept every invariant; 3 a run violated one;\n"
	"1 the file cannot be loaded or a run failed; 2 a usage error.\n";

static int bad(const char *fmt, const char *arg)
{
	return cli_usage_error("explore", fmt, arg);
}

static bool number(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return s[0] && s[0] != '-' && !*end && !errno && *out <= max;
}

static int parse(int argc, char **argv, opts_t *o)
{
	uint64_t v;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->show = 3;
	o->shrink = true;
	o->jobs = cpus > 0 ? (unsigned)(cpus > MAX_JOBS ? MAX_JOBS : cpus) : 1;
	if (!(o->checks = calloc((size_t)argc + 1, sizeof(*o->checks))))
		return bad("%s", "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 1;
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--no-shrink")) {
			o->shrink = false;
		} else if (!strcmp(a, "--runs") || !strcmp(a, "--seed") ||
			   !strcmp(a, "--jobs") || !strcmp(a, "--show")) {
			if (++i == argc)
				return bad("%s needs a number", a);
			if (!number(argv[i], a[2] == 'r' ? MAX_RUNS
					     : a[2] == 'j' ? MAX_JOBS
					     : a[3] == 'h' ? 1000000 : UINT64_MAX,
				    &v) ||
			    (v == 0 && (a[2] == 'r' || a[2] == 'j')))
				return bad(a[2] == 'r' ? "--runs: '%s' is not "
					   "a number from 1 to 100000000"
					   : a[2] == 'j' ? "--jobs: '%s' is not "
					   "a number from 1 to 256"
					   : a[3] == 'h' ? "--show: '%s' is not "
					   "a number from 0 to 1000000"
					   : "--seed: '%s' is not an unsigned "
					   "integer", argv[i]);
			if (a[2] == 'r')
				o->runs = v;
			else if (a[2] == 'j')
				o->jobs = (unsigned)v;
			else if (a[3] == 'h')
				o->show = (unsigned)v;
			else
				o->seed = v;
		} else if (!strcmp(a, "--until")) {
			if (++i == argc)
				return bad("%s needs a time", a);
			o->eo.has_until = true;
			if (mos_duration_parse(argv[i], &o->eo.until) < 0)
				return bad("--until: '%s' is not a duration",
					   argv[i]);
		} else if (!strcmp(a, "--faults")) {
			if (++i == argc)
				return bad("%s needs a JSON array or a file", a);
			o->faults = argv[i];
		} else if (!strcmp(a, "--check")) {
			if (i + 1 == argc || argv[i + 1][0] == '-')
				return bad("%s needs an invariant", a);
			while (i + 1 < argc && argv[i + 1][0] != '-')
				o->checks[o->nchecks++] = argv[++i];
		} else if (a[0] == '-') {
			return bad("unknown option '%s'", a);
		} else if (o->file) {
			return bad("one scenario file only ('%s')", a);
		} else {
			o->file = a;
		}
	}
	if (!o->file)
		return bad("%s", "a scenario file is needed");
	if (!o->runs)
		return bad("%s", "--runs N is needed");
	return 0;
}

/* ---- the workers --------------------------------------------------------- */

static int worker(const mos_scenario_t *sc, const opts_t *o, unsigned w,
		  int fd)
{
	for (uint64_t i = w; i < o->runs; i += o->jobs) {
		rec_t r;
		mos_error_t err;

		memset(&r, 0, sizeof(r));
		r.run = i;
		r.rc = mos_explore_run(sc, &o->eo, mos_explore_seed(o->seed, i),
				       NULL, &r.out, NULL, &err);
		for (size_t off = 0; off < sizeof(r);) {
			ssize_t n = write(fd, (char *)&r + off, sizeof(r) - off);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return 1;
			off += (size_t)n;
		}
		if (r.rc < 0)
			return 1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read every worker's records into outs[run]; 0, or -1 (a worker died
 * or a run failed: the message is printed). */
static int gather(const opts_t *o, int *fds, rec_t *outs, bool *seen)
{
	struct pollfd *p = calloc(o->jobs, sizeof(*p));
	size_t *have = calloc(o->jobs, sizeof(*have));
	rec_t *part = calloc(o->jobs, sizeof(*part));
	bool progress = !o->json && isatty(STDERR_FILENO);
	double start = now_s(), shown = start;
	uint64_t done = 0;
	unsigned open = o->jobs;
	int rc = 0;

	if (!p || !have || !part) {
		fputs("multios explore: out of memory\n", stderr);
		rc = -1;
		open = 0;
	}
	for (unsigned j = 0; p && j < o->jobs; j++) {
		p[j].fd = fds[j];
		p[j].events = POLLIN;
	}
	while (open) {
		if (poll(p, o->jobs, 500) < 0 && errno != EINTR)
			break;
		for (unsigned j = 0; j < o->jobs; j++) {
			ssize_t n;

			if (p[j].fd < 0 || !(p[j].revents & (POLLIN | POLLHUP)))
				continue;
			n = read(p[j].fd, (char *)&part[j] + have[j],
				 sizeof(rec_t) - have[j]);
			if (n <= 0) {
				close(p[j].fd);
				p[j].fd = -1;
				open--;
				continue;
			}
			if ((have[j] += (size_t)n) < sizeof(rec_t))
				continue;
			have[j] = 0;
			if (part[j].run < o->runs) {
				outs[part[j].run] = part[j];
				seen[part[j].run] = true;
				done++;
			}
		}
		if (progress && now_s() - shown > 0.5) {
			shown = now_s();
			fprintf(stderr, "\rexplore: %" PRIu64 "/%" PRIu64
				" runs, %.0f runs/s ", done, o->runs,
				(double)done / (shown - start));
		}
	}
	if (progress && shown > start)
		fputs("\r\033[K", stderr);
	for (uint64_t i = 0; rc == 0 && i < o->runs; i++) {
		if (!seen[i]) {
			fprintf(stderr, "multios explore: run %" PRIu64
				" did not report (a worker died)\n", i);
			rc = -1;
		} else if (outs[i].rc < 0) {
			fprintf(stderr, "multios explore: run %" PRIu64
				" (seed %" PRIu64 ") failed: %s\n", i,
				outs[i].out.seed, mos_strerror(outs[i].rc));
			rc = -1;
		}
	}
	free(p);
	free(have);
	free(part);
	return rc;
}

static int campaign(const mos_scenario_t *sc, const opts_t *o, rec_t *outs)
{
	bool *seen = calloc(o->runs, sizeof(*seen));
	int fds[MAX_JOBS];
	pid_t pids[MAX_JOBS];
	unsigned started = 0;
	int rc = 0;

	if (!seen) {
		fputs("multios explore: out of memory\n", stderr);
		return -1;
	}
	fflush(NULL);
	for (; started < o->jobs; started++) {
		int pfd[2];

		if (pipe(pfd) < 0)
			break;
		if ((pids[started] = fork()) < 0) {
			close(pfd[0]);
			close(pfd[1]);
			break;
		}
		if (pids[started] == 0) {
			for (unsigned j = 0; j < started; j++)
				close(fds[j]);
			close(pfd[0]);
			_exit(worker(sc, o, started, pfd[1]));
		}
		close(pfd[1]);
		fds[started] = pfd[0];
	}
	if (started < o->jobs) {
		fprintf(stderr, "multios explore: cannot start worker %u: %s\n",
			started, strerror(errno));
		for (unsigned j = 0; j < started; j++) {
			kill(pids[j], SIGKILL);
			close(fds[j]);
		}
		rc = -1;
	} else {
		rc = gather(o, fds, outs, seen);
	}
	for (unsigned j = 0; j < started; j++)
		waitpid(pids[j], NULL, 0);
	free(seen);
	return rc;
}

/* ---- the command --------------------------------------------------------- */

int cli_faults_option(mos_scenario_t *sc, const char *spec, const char *who)
{
	mos_error_t err;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!spec[0]) {
		fprintf(stderr, "%s: --faults: expected a JSON array or the "
			"name of a file holding one\n", who);
		return 1;
	}
	if (spec[strspn(spec, " \t\n")] == '[') {
		rc = mos_scenario_set_faults(sc, spec, strlen(spec), "--faults",
					     &err);
	} else {
		FILE *f = fopen(spec, "r");
		char buf[4096];
		size_t n;
		FILE *m = open_memstream(&text, &len);

		if (!f || !m) {
			fprintf(stderr, "%s: --faults: %s: %s\n", who, spec,
				strerror(errno));
			if (f)
				fclose(f);
			if (m)
				fclose(m);
			free(text);
			return 1;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(f);
		fclose(m);
		rc = mos_scenario_set_faults(sc, text, len, spec, &err);
		free(text);
	}
	if (rc < 0) {
		fprintf(stderr, "%s: --faults: %s\n", who, err.message);
		return 1;
	}
	return 0;
}

int cli_explore(int argc, char **argv)
{
	mos_scenario_t *sc = NULL;
	const char *until = NULL;
	failure_t *fs = NULL;
	rec_t *outs = NULL;
	uint64_t nfailed = 0;
	size_t nf = 0;
	mos_error_t err;
	opts_t o;
	int rc;

	if ((rc = parse(argc, argv, &o)) != 0) {
		free(o.checks);
		return rc == 1 ? 0 : rc;
	}
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--until"))
			until = argv[i + 1];
	rc = 1;
	if (mos_scenario_load(o.file, &sc, &err) < 0) {
		fprintf(stderr, "multios explore: %s\n", err.message);
		goto out;
	}
	if (o.faults && cli_faults_option(sc, o.faults, "multios explore"))
		goto out;
	if (mos_scenario_check_select(sc, o.checks, o.nchecks, &o.eo.checks,
				      &err) < 0) {
		fprintf(stderr, "multios explore: %s\n", err.message);
		rc = 2;
		goto out;
	}
	if (!(outs = calloc(o.runs, sizeof(*outs))) ||
	    !(fs = calloc(o.show + 1, sizeof(*fs)))) {
		fputs("multios explore: out of memory\n", stderr);
		goto out;
	}
	if (o.jobs > o.runs)
		o.jobs = (unsigned)o.runs;
	if (campaign(sc, &o, outs) < 0)
		goto out;
	for (uint64_t i = 0; i < o.runs; i++) {
		if (!outs[i].out.violated)
			continue;
		if (nfailed++ < o.show) {
			if (explore_describe(sc, &o, until, &outs[i], &fs[nf]) < 0) {
				fprintf(stderr, "multios explore: describing "
					"run %" PRIu64 " failed\n", i);
				goto out;
			}
			nf++;
		}
	}
	if (o.json) {
		if (explore_print_json(sc, &o, outs, fs, nf, nfailed, stdout) < 0)
			goto out;
	} else {
		explore_print_text(sc, &o, outs, fs, nf, nfailed, stdout);
	}
	rc = nfailed ? 3 : 0;
out:
	for (size_t i = 0; i < nf; i++)
		explore_failure_free(&fs[i]);
	free(fs);
	free(outs);
	free(o.checks);
	mos_scenario_free(sc);
	return rc;
}
