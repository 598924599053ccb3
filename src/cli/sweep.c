/*
 * src/cli/sweep.c - `multios sweep`: run a parameter grid here on J host
 * processes, run one item of it (what cluster jobs call), emit a GNU
 * parallel job file or a Slurm array script, or merge the items' lines.
 *
 * The runs are spread over forked children, child c taking runs c, c+J,
 * c+2J...; each writes its JSON lines into its own pipe, and the parent
 * puts them into the table by run number (multios/sweep.h), so the output
 * does not depend on J nor on which child finished first.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"Usage: multios sweep SPEC.json [--jobs J] [--out DIR] [--csv | --json]\n"
	"                     [--plot OUT.svg [--metric NAME]]\n"
	"       multios sweep SPEC.json --run I\n"
	"       multios sweep SPEC.json --emit parallel|slurm [--out DIR]\n"
	"       multios sweep --merge DIR [--csv | --json]\n"
	"                     [--plot OUT.svg [--metric NAME]]\n"
	"\n"
	"Expand a sweep spec (workloads x policies x quanta x seeds, or\n"
	"scenarios x seeds x ends: docs/SWEEPS.md) into its runs, run them and\n"
	"print one table row per run, in run order.  Every run is a fresh,\n"
	"deterministic simulation, so the table is the same bytes whatever J\n"
	"is and wherever the runs ran.\n"
	"\n"
	"  --jobs J        run on J host processes at once (default: the\n"
	"                  number of online CPUs, at most the number of runs)\n"
	"  --out DIR       also write each run's JSON line to DIR/run-I.json\n"
	"                  (DIR is made if missing); with --emit, where the\n"
	"                  jobs write their lines (default: ./NAME-runs)\n"
	"  --csv           print the table as CSV (RFC 4180) instead\n"
	"  --json          print the runs' JSON lines, in run order, instead\n"
	"  --plot OUT.svg  also draw one bar per run of a metric as SVG\n"
	"  --metric NAME   the metric --plot draws (default: the first)\n"
	"  --run I         run only run I (0-based) and print its JSON line\n"
	"  --emit parallel print a GNU parallel job file, one line per run:\n"
	"                  multios sweep SPEC --emit parallel > jobs\n"
	"                  parallel --joblog jobs.log < jobs\n"
	"  --emit slurm    print a Slurm job-array script (sbatch SCRIPT) whose\n"
	"                  task N runs --run N\n"
	"  --merge DIR     read DIR/run-*.json (each one line, from --run or\n"
	"                  --out) and print the table the local run prints;\n"
	"                  a missing, repeated or malformed run is an error\n"
	"                  naming the file\n"
	"\n"
	"The emitted files hold absolute paths of this multios and of the spec,\n"
	"shell-quoted; each job writes DIR/run-I.json.part and renames it when\n"
	"the run succeeded, so a failed job leaves no run-I.json behind.\n"
	"\n"
	"Exit status: 0 ok; 1 a bad spec, a failed run, a bad run file or a\n"
	"failed write; 2 a usage error.\n";

typedef struct opts {
	const char *spec, *out, *plot, *metric, *emit, *merge;
	long jobs;
	long long run;
	mos_sweep_format_t format;
	int has_format;
} opts_t;

static int bad_usage(const char *fmt, const char *arg)
{
	return cli_usage_error("sweep", fmt, arg);
}

static int parse_num(const char *v, long long max,
		     long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(v, &end, 10);
	if (*end || end == v || errno || v[0] < '0' || v[0] > '9' ||
	    *out > max)
		return bad_usage("wants a whole number in range, not '%s'", v);
	return 0;
}

static int set_format(opts_t *o, mos_sweep_format_t f)
{
	if (o->has_format && o->format != f)
		return bad_usage("%s", "--csv and --json exclude each other");
	o->format = f, o->has_format = 1;
	return 0;
}

static int parse_opt(opts_t *o, const char *a, const char *v, int *takes)
{
	long long n;

	*takes = 1;
	if (!strcmp(a, "--csv") || !strcmp(a, "--json")) {
		*takes = 0;
		return set_format(o, a[2] == 'c' ? MOS_SWEEP_CSV : MOS_SWEEP_JSONL);
	}
	if (!v)
		return bad_usage("unknown option or missing value: '%s'", a);
	if (!strcmp(a, "--jobs")) {
		if (parse_num(v, 4096, &n) || n == 0)
			return bad_usage("--jobs wants 1 to 4096, not '%s'", v);
		o->jobs = (long)n;
	} else if (!strcmp(a, "--run")) {
		if (parse_num(v, MOS_SWEEP_MAX_RUNS, &o->run))
			return 2;
	} else if (!strcmp(a, "--emit")) {
		if (strcmp(v, "parallel") && strcmp(v, "slurm"))
			return bad_usage("--emit wants parallel or slurm, not "
					 "'%s'", v);
		o->emit = v;
	} else if (!strcmp(a, "--out")) {
		o->out = v;
	} else if (!strcmp(a, "--plot")) {
		o->plot = v;
	} else if (!strcmp(a, "--metric")) {
		o->metric = v;
	} else if (!strcmp(a, "--merge")) {
		o->merge = v;
	} else {
		return bad_usage("unknown option: '%s'", a);
	}
	return 0;
}

/* Everything that can be a usage error, before anything runs. */
static int check_opts(const opts_t *o)
{
	int run = o->run >= 0;

	if (!o->spec == !o->merge)
		return bad_usage("%s", o->merge ? "--merge takes no spec file"
				 : "no spec file given (or --merge DIR)");
	if (run + !!o->emit + !!o->merge > 1)
		return bad_usage("%s", "--run, --emit and --merge exclude each "
				 "other");
	if ((run || o->emit) && (o->has_format || o->plot || o->jobs))
		return bad_usage("%s", "--run and --emit take no --csv, --json, "
				 "--plot or --jobs");
	if ((run || o->merge) && o->out)
		return bad_usage("%s", "--out means nothing with --run or "
				 "--merge");
	if (o->merge && o->jobs)
		return bad_usage("%s", "--jobs means nothing with --merge");
	if (o->metric && !o->plot)
		return bad_usage("%s", "--metric needs --plot");
	return 0;
}

static int parse(int argc, char **argv, opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->run = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int takes = 0, rc;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 1;
		} else if (a[0] == '-' && a[1]) {
			rc = parse_opt(o, a, i + 1 < argc ? argv[i + 1] : NULL,
				       &takes);
			if (rc)
				return rc;
		} else if (!o->spec) {
			o->spec = a;
		} else {
			return bad_usage("one spec file only ('%s')", a);
		}
		i += takes;
	}
	return check_opts(o);
}

static int fail(const char *what, const mos_error_t *err, int rc)
{
	fprintf(stderr, "multios sweep: %s%s%s\n", what ? what : "",
		what ? ": " : "", err->code ? err->message : mos_strerror(rc));
	return 1;
}

/* ---- output shared by the local run and --merge ---- */

static int write_svg(const mos_sweep_table_t *t, const opts_t *o)
{
	mos_error_t err;
	FILE *f = fopen(o->plot, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "multios sweep: %s: %s\n", o->plot,
			strerror(errno));
		return 1;
	}
	rc = mos_sweep_table_write_svg(t, o->metric, f, &err);
	if (fclose(f) != 0 && rc == 0)
		rc = MOS_EIO, err.code = 0;
	return rc < 0 ? fail(o->plot, &err, rc) : 0;
}

static int output(const mos_sweep_table_t *t, const opts_t *o)
{
	mos_error_t err;
	int rc = mos_sweep_table_write(t, stdout, o->format, &err);

	if (rc < 0)
		return fail(NULL, &err, rc);
	return o->plot ? write_svg(t, o) : 0;
}

/* ---- local runs ---- */

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w, n -= (size_t)w;
	}
	return 0;
}

static void child(const mos_sweep_t *sw, size_t c, size_t jobs, int fd)
{
	for (size_t i = c; i < mos_sweep_count(sw); i += jobs) {
		mos_error_t err;
		char *line;
		int rc = mos_sweep_run(sw, i, &line, &err);

		if (rc < 0) {
			fprintf(stderr, "multios sweep: run %zu: %s\n", i,
				err.code ? err.message : mos_strerror(rc));
			_exit(1);
		}
		if (write_all(fd, line, strlen(line)) < 0)
			_exit(1);
		free(line);
	}
	_exit(0);
}

typedef struct job {
	pid_t pid;
	int fd;
	char *buf;
	size_t len, cap;
} job_t;

static int slurp(job_t *j)
{
	char tmp[65536];
	ssize_t n = read(j->fd, tmp, sizeof(tmp));

	if (n < 0)
		return errno == EINTR ? 1 : -1;
	if (n == 0)
		return 0;
	if (j->len + (size_t)n + 1 > j->cap) {
		size_t cap = (j->len + (size_t)n + 1) * 2;
		char *b = realloc(j->buf, cap);

		if (!b)
			return -1;
		j->buf = b, j->cap = cap;
	}
	memcpy(j->buf + j->len, tmp, (size_t)n);
	j->len += (size_t)n;
	j->buf[j->len] = '\0';
	return 1;
}

/* Read every child's pipe to its end, all at once (poll), so that no
 * child blocks on a full pipe while the parent waits for another. */
static int gather(job_t *jobs, size_t n)
{
	struct pollfd *p = calloc(n, sizeof(*p));
	size_t open = n;
	int rc = 0;

	if (!p)
		return -1;
	for (size_t i = 0; i < n; i++)
		p[i].fd = jobs[i].fd, p[i].events = POLLIN;
	while (open && rc == 0) {
		if (poll(p, n, -1) < 0) {
			rc = errno == EINTR ? 0 : -1;
			continue;
		}
		for (size_t i = 0; i < n && rc == 0; i++) {
			int r;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if ((r = slurp(&jobs[i])) <= 0) {
				rc = r;
				close(p[i].fd);
				p[i].fd = -1;
				open--;
			}
		}
	}
	free(p);
	return rc;
}

static int start(const mos_sweep_t *sw, job_t *jobs, size_t n)
{
	fflush(NULL);
	for (size_t c = 0; c < n; c++) {
		int fds[2];

		if (pipe(fds) < 0)
			return -1;
		jobs[c].pid = fork();
		if (jobs[c].pid < 0) {
			close(fds[0]), close(fds[1]);
			return -1;
		}
		if (jobs[c].pid == 0) {
			close(fds[0]);
			for (size_t k = 0; k < c; k++)
				close(jobs[k].fd);
			child(sw, c, n, fds[1]);
		}
		close(fds[1]);
		jobs[c].fd = fds[0];
	}
	return 0;
}

/* Each child's lines into the table; a child that failed has said why. */
static int collect(job_t *jobs, size_t n, mos_sweep_table_t *t)
{
	int status = 0;

	for (size_t c = 0; c < n; c++) {
		int ws = 0;

		if (jobs[c].pid > 0)
			while (waitpid(jobs[c].pid, &ws, 0) < 0 && errno == EINTR)
				;
		if (jobs[c].pid <= 0 || !WIFEXITED(ws) || WEXITSTATUS(ws))
			status = 1;
		for (char *s = jobs[c].buf, *nl; status == 0 && s &&
		     (nl = strchr(s, '\n')); s = nl + 1) {
			mos_error_t err;
			int rc;

			*nl = '\0';
			if ((rc = mos_sweep_table_add(t, s, "run line", &err)) < 0)
				status = fail(NULL, &err, rc);
		}
		free(jobs[c].buf);
	}
	return status;
}

static int run_local(const mos_sweep_t *sw, long jobs_opt,
		     mos_sweep_table_t *t)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = jobs_opt ? (size_t)jobs_opt : cpus > 0 ? (size_t)cpus : 1;
	job_t *jobs;
	int rc;

	if (n > mos_sweep_count(sw))
		n = mos_sweep_count(sw);
	if (!(jobs = calloc(n, sizeof(*jobs))))
		return 1;
	for (size_t c = 0; c < n; c++)
		jobs[c].fd = -1;
	rc = start(sw, jobs, n);
	if (rc < 0) {
		fprintf(stderr, "multios sweep: cannot start jobs: %s\n",
			strerror(errno));
		for (size_t c = 0; c < n; c++)
			if (jobs[c].fd >= 0)
				close(jobs[c].fd);
	} else if (gather(jobs, n) < 0) {
		fprintf(stderr, "multios sweep: reading the jobs' lines: %s\n",
			strerror(errno));
		rc = -1;
	}
	rc = collect(jobs, n, t) || rc < 0;
	free(jobs);
	return rc;
}

/* DIR/run-I.json for every run, each one line. */
static int write_files(const mos_sweep_table_t *t, const char *dir)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	mos_error_t err;
	int status = 0;
	size_t i = 0;

	if (!m)
		return 1;
	if (mos_sweep_table_write(t, m, MOS_SWEEP_JSONL, &err) < 0 ||
	    fclose(m) != 0) {
		free(buf);
		return 1;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "multios sweep: %s: %s\n", dir, strerror(errno));
		free(buf);
		return 1;
	}
	for (char *s = buf, *nl; !status && (nl = strchr(s, '\n')); s = nl + 1, i++) {
		char path[PATH_MAX];
		FILE *f;

		snprintf(path, sizeof(path), "%s/run-%zu.json", dir, i);
		if (!(f = fopen(path, "w")) ||
		    fwrite(s, 1, (size_t)(nl - s) + 1, f) != (size_t)(nl - s) + 1 ||
		    fclose(f) != 0) {
			fprintf(stderr, "multios sweep: %s: %s\n", path,
				strerror(errno));
			status = 1;
		}
	}
	free(buf);
	return status;
}

/* ---- --merge ---- */

static int is_run_file(const char *name)
{
	const char *p = name + 4;

	if (strncmp(name, "run-", 4) || *p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return !strcmp(p, ".json");
}

static int merge_file(mos_sweep_table_t *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	mos_error_t err;
	int rc;

	if (!f) {
		fprintf(stderr, "multios sweep: %s: %s\n", path, strerror(errno));
		return 1;
	}
	n = getline(&line, &cap, f);
	if (n < 0 || getc(f) != EOF) {
		fprintf(stderr, "multios sweep: %s: expected exactly one run "
			"line\n", path);
		rc = 1;
	} else {
		rc = mos_sweep_table_add(t, line, path, &err);
		rc = rc < 0 ? fail(NULL, &err, rc) : 0;
	}
	free(line);
	fclose(f);
	return rc;
}

static int merge(const char *dir, mos_sweep_table_t *t)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int status = 0;

	if (!d) {
		fprintf(stderr, "multios sweep: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while (!status && (e = readdir(d))) {
		char path[PATH_MAX];

		if (!is_run_file(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		status = merge_file(t, path);
	}
	closedir(d);
	if (!status && mos_sweep_table_size(t) == 0) {
		fprintf(stderr, "multios sweep: %s: no run-I.json files\n", dir);
		status = 1;
	}
	return status;
}

/* ---- --emit ---- */

/* path made absolute against the working directory (not resolved: the
 * folder need not exist yet). */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX];
	size_t len;
	char *s;

	if (path[0] == '/')
		return strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	len = strlen(cwd) + strlen(path) + 2;
	if ((s = malloc(len)))
		snprintf(s, len, "%s/%s", cwd, path);
	return s;
}

static void emit_parallel(const mos_sweep_t *sw, const char *bin,
			  const char *spec, const char *dir)
{
	for (size_t i = 0; i < mos_sweep_count(sw); i++) {
		char part[64], done[64];

		snprintf(part, sizeof(part), "/run-%zu.json.part", i);
		snprintf(done, sizeof(done), "/run-%zu.json", i);
		fputs("mkdir -p ", stdout), cli_shell_quote(dir, stdout);
		fputs(" && ", stdout), cli_shell_quote(bin, stdout);
		fputs(" sweep ", stdout), cli_shell_quote(spec, stdout);
		printf(" --run %zu > ", i), cli_shell_quote(dir, stdout);
		fputs(part, stdout);
		fputs(" && mv ", stdout), cli_shell_quote(dir, stdout);
		fputs(part, stdout), fputc(' ', stdout), cli_shell_quote(dir, stdout);
		fputs(done, stdout), fputc('\n', stdout);
	}
}

/* The sweep's name as a Slurm job name and in a comment: anything but
 * [A-Za-z0-9._-] becomes '_', so no name can break out of its line. */
static void safe_name(const char *s)
{
	for (; *s; s++)
		putchar(*s && strchr("abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789._-", *s) ? *s : '_');
}

static void emit_slurm(const mos_sweep_t *sw, const char *bin,
		       const char *spec, const char *dir)
{
	printf("#!/bin/bash\n#SBATCH --job-name=");
	safe_name(mos_sweep_name(sw));
	printf("\n#SBATCH --array=0-%zu\n#SBATCH --ntasks=1\n"
	       "#SBATCH --cpus-per-task=1\n#\n# Sweep ",
	       mos_sweep_count(sw) - 1);
	safe_name(mos_sweep_name(sw));
	printf(": %zu runs, task N runs run N.  Submit with\n"
	       "#   sbatch THIS_FILE\n# and when every task is done:\n"
	       "#   multios sweep --merge ", mos_sweep_count(sw));
	cli_shell_quote(dir, stdout);
	printf("\nset -eu\ni=${SLURM_ARRAY_TASK_ID:?submit with sbatch, which "
	       "sets it}\nd=");
	cli_shell_quote(dir, stdout);
	printf("\nmkdir -p \"$d\"\n");
	cli_shell_quote(bin, stdout);
	fputs(" sweep ", stdout);
	cli_shell_quote(spec, stdout);
	printf(" --run \"$i\" > \"$d/run-$i.json.part\"\n"
	       "mv \"$d/run-$i.json.part\" \"$d/run-$i.json\"\n");
}

static int emit(const mos_sweep_t *sw, const opts_t *o)
{
	char bin[PATH_MAX], name[256];
	ssize_t n = readlink("/proc/self/exe", bin, sizeof(bin) - 1);
	char *spec = realpath(o->spec, NULL), *dir;
	int status = 0;

	snprintf(name, sizeof(name), "%s-runs", mos_sweep_name(sw));
	dir = absolute(o->out ? o->out : name);
	if (n <= 0 || !spec || !dir) {
		fprintf(stderr, "multios sweep: cannot make the absolute paths "
			"of multios, the spec or --out: %s\n", strerror(errno));
		status = 1;
	} else if (bin[n] = '\0', strpbrk(bin, "\n\r") ||
		   strpbrk(spec, "\n\r") || strpbrk(dir, "\n\r")) {
		/* A job file is read line by line: a path cannot hold one. */
		fputs("multios sweep: --emit: a path holds a line break\n",
		      stderr);
		status = 1;
	} else {
		if (!strcmp(o->emit, "parallel"))
			emit_parallel(sw, bin, spec, dir);
		else
			emit_slurm(sw, bin, spec, dir);
	}
	free(spec);
	free(dir);
	return status;
}

/* ---- the command ---- */

static int with_spec(const opts_t *o, const mos_sweep_t *sw,
		     mos_sweep_table_t *t)
{
	mos_error_t err;
	char *line;
	int rc;

	if (o->emit)
		return emit(sw, o);
	if (o->run >= 0) {
		if ((size_t)o->run >= mos_sweep_count(sw)) {
			fprintf(stderr, "multios sweep: --run %lld: the sweep "
				"has runs 0 to %zu\n", o->run,
				mos_sweep_count(sw) - 1);
			return 2;
		}
		if ((rc = mos_sweep_run(sw, (size_t)o->run, &line, &err)) < 0)
			return fail(NULL, &err, rc);
		fputs(line, stdout);
		free(line);
		return 0;
	}
	if (run_local(sw, o->jobs, t))
		return 1;
	if (o->out && write_files(t, o->out))
		return 1;
	return output(t, o);
}

int cli_sweep(int argc, char **argv)
{
	mos_sweep_table_t *t = NULL;
	mos_sweep_t *sw = NULL;
	mos_error_t err;
	opts_t o;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (mos_sweep_table_new(&t) < 0)
		return 1;
	if (o.merge) {
		rc = merge(o.merge, t);
		if (!rc)
			rc = output(t, &o);
	} else if ((rc = mos_sweep_load(o.spec, &sw, &err)) < 0) {
		rc = fail(NULL, &err, rc);
	} else {
		rc = with_spec(&o, sw, t);
	}
	mos_sweep_free(sw);
	mos_sweep_table_free(t);
	return rc;
}
