/*
 * src/cli/ostep.c - `multios ostep SCRIPT ARGS...`: the OSTEP homework
 * scripts (remzi-arpacidusseau/ostep-homework) on the library's kernel.
 *
 * `multios ostep scheduler` is cpu-sched/scheduler.py: the same flags
 * (ostep_opt.c reads them as optparse does), the same random jobs from
 * the same seed (CPython's random module, multios/pyrandom.h), the same
 * text byte for byte.  The schedule is not simulated here: the jobs
 * become a workload that mos_sched_run_workload runs under the kernel's
 * fifo, sjf or rr policy, and the report's slices, in the kernel's order,
 * become the script's trace.  Only the printed numbers are recomputed
 * from those slices with the script's own floating-point sums, so that
 * rounding (and '%3d' of a float) comes out as Python's does.
 * docs/OSTEP.md maps each flag and lists the differences.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ostep.h"

static const char sched_help[] =
	"Usage: scheduler.py [options]\n"
	"\n"
	"Options:\n"
	"  -h, --help            show this help message and exit\n"
	"  -s SEED, --seed=SEED  the random seed\n"
	"  -j JOBS, --jobs=JOBS  number of jobs in the system\n"
	"  -l JLIST, --jlist=JLIST\n"
	"                        instead of random jobs, provide a comma-separated list\n"
	"                        of run times\n"
	"  -m MAXLEN, --maxlen=MAXLEN\n"
	"                        max length of job\n"
	"  -p POLICY, --policy=POLICY\n"
	"                        sched policy to use: SJF, FIFO, RR\n"
	"  -q QUANTUM, --quantum=QUANTUM\n"
	"                        length of time slice for RR policy\n"
	"  -c                    compute answers for me\n";

static const char ostep_usage[] =
	"Usage: multios ostep SCRIPT [ARGS...]\n"
	"\n"
	"Run an OSTEP homework script's problem on the kernel's policies and\n"
	"print what the script prints, byte for byte (docs/OSTEP.md).\n"
	"\n"
	"Scripts:\n"
	"  scheduler   cpu-sched/scheduler.py: FIFO, SJF, RR ('multios ostep\n"
	"              scheduler -h' for its flags)\n"
	"  lottery     cpu-sched-lottery/lottery.py: lottery scheduling\n"
	"              ('multios ostep lottery -h' for its flags)\n"
	"  mlfq        cpu-sched-mlfq/mlfq.py: multi-level feedback queue\n"
	"              ('multios ostep mlfq -h' for its flags)\n"
	"\n"
	"Our own flags go after '--', which ends the script's options (the\n"
	"scripts ignore what follows it); each runs the schedule, -c or not:\n"
	"  --gantt       the kernel's schedule as a Gantt chart after the text\n"
	"  --json        the kernel's report, as 'multios sched --json' prints\n"
	"                it, instead of the text\n"
	"  --trace FILE  the schedule as Chrome Trace Event JSON\n"
	"                (ui.perfetto.dev)\n"
	"e.g. multios ostep scheduler -p RR -q 2 -c -- --gantt\n";

enum { O_SEED, O_JOBS, O_JLIST, O_MAXLEN, O_POLICY, O_QUANTUM, O_SOLVE, O_N };

/* Virtual nanoseconds per second of the script. */
#define SCALE 1e9

typedef struct job {
	double runtime;        /* the script's job[1] */
	bool is_int;           /* a random job: str() prints an int */
} job_t;

static int py_raise(const char *what)
{
	return ostep_raise("scheduler.py", what);
}

static int fail(const char *fmt, const char *arg)
{
	return ostep_fail("scheduler", fmt, arg);
}

static void print_len(const job_t *j)
{
	char buf[64];

	if (j->is_int)
		printf("%.0f", j->runtime);
	else {
		py_float_repr(j->runtime, buf, sizeof buf);
		fputs(buf, stdout);
	}
}

/* The jobs of -l (float() of each comma-separated piece) or drawn as the
 * script draws them; prints the job list.  0, or the exit status. */
static int make_jobs(ostep_opt_t *o, job_t **out, size_t *n)
{
	const char *jl = o[O_JLIST].value;
	job_t *jobs;

	*n = 0;
	if (jl[0]) {
		size_t cap = 1;
		for (const char *c = jl; *c; c++)
			cap += *c == ',';
		jobs = calloc(cap, sizeof *jobs);
		if (!jobs)
			return fail("%s", "out of memory");
		for (const char *s = jl;; s++) {
			const char *e = strchr(s, ',');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			char piece[1024], r[1100], msg[1200];
			snprintf(piece, sizeof piece, "%.*s", (int)len, s);
			if (!py_float_parse(piece, &jobs[*n].runtime)) {
				free(jobs);
				py_str_repr(piece, r, sizeof r);
				snprintf(msg, sizeof msg, "ValueError: could not "
					 "convert string to float: %s", r);
				return py_raise(msg);
			}
			(*n)++;
			if (!e)
				break;
			s = e;
		}
		for (size_t i = 0; i < *n; i++) {
			printf("  Job %zu ( length = ", i);
			print_len(&jobs[i]);
			printf(" )\n");
		}
		*out = jobs;
		return 0;
	}

	int64_t njobs, maxlen;
	mos_pyrandom_t rng;
	if (!py_int_to_i64(&o[O_JOBS].num, &njobs) || njobs > 1000000)
		return fail("%s", "-j: more jobs than a kernel holds");
	if (!py_int_to_i64(&o[O_MAXLEN].num, &maxlen))
		return fail("%s", "-m: out of range");
	mos_pyrandom_seed_words(&rng, o[O_SEED].num.words, o[O_SEED].num.nwords);
	jobs = calloc(njobs > 0 ? (size_t)njobs : 1, sizeof *jobs);
	if (!jobs)
		return fail("%s", "out of memory");
	for (int64_t i = 0; i < njobs; i++) {
		/* int(maxlen * random.random()) + 1: a float product,
		 * truncated */
		double x = (double)maxlen * mos_pyrandom_random(&rng);
		jobs[i].runtime = trunc(x) + 1 + 0.0;
		jobs[i].is_int = true;
		printf("  Job %lld ( length = ", (long long)i);
		print_len(&jobs[i]);
		printf(" )\n");
	}
	*n = (size_t)njobs;
	*out = jobs;
	return 0;
}

/* RR's quantum (>= 1 s) in ns; one past the end of time never expires. */
static mos_time_t slice_ns(double quantum)
{
	return quantum * SCALE >= 9.2e18 ? (mos_time_t)INT64_MAX
					 : (mos_time_t)llround(quantum * SCALE);
}

/* The jobs as a workload of one CPU burst each, all arriving at 0, run
 * under policy; *r the kernel's report.  0, or the exit status. */
static int run_kernel(const job_t *jobs, size_t n, const char *policy,
		      double quantum, mos_sched_report_t **r)
{
	mos_workload_t w;
	mos_sched_params_t p;
	mos_error_t err;
	int rc = 1;

	memset(&w, 0, sizeof w);
	snprintf(w.name, sizeof w.name, "scheduler.py");
	w.nprocs = n;
	w.procs = calloc(n, sizeof *w.procs);
	mos_wl_burst_t *b = calloc(n, sizeof *b);
	if (!w.procs || !b) {
		fail("%s", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		double ns = jobs[i].runtime * SCALE;
		if (!(jobs[i].runtime > 0) || ns >= 9.2e18) {
			char buf[64];
			py_float_repr(jobs[i].runtime, buf, sizeof buf);
			fail("a job of length %s cannot run on the kernel "
			     "(lengths must be > 0 and below 9.2e9)", buf);
			goto out;
		}
		snprintf(w.procs[i].name, sizeof w.procs[i].name, "job%zu", i);
		b[i].kind = MOS_WL_CPU;
		b[i].ticks = (uint64_t)llround(ns);
		if (b[i].ticks == 0)
			b[i].ticks = 1;
		w.procs[i].nbursts = 1;
		w.procs[i].bursts = &b[i];
		w.procs[i].tickets = 100;
	}
	/* The coarsest tick, from a second down to a nanosecond by tens,
	 * that divides every length: the same run, but --gantt and --json
	 * count in the script's seconds when the lengths are whole. */
	w.tick = 1000000000;
	for (size_t i = 0; i < n; i++)
		while (b[i].ticks % (uint64_t)w.tick)
			w.tick /= 10;
	for (size_t i = 0; i < n; i++)
		b[i].ticks /= (uint64_t)w.tick;
	mos_sched_params_default(&p);
	snprintf(p.policy, sizeof p.policy, "%s", policy);
	p.time_slice = slice_ns(quantum);
	if (mos_sched_run_workload(&w, &p, r, &err) < 0) {
		fail("%s", err.message);
		goto out;
	}
	if ((*r)->slices_truncated) {
		mos_sched_report_free(*r);
		*r = NULL;
		fail("%s", "more run slices than a report holds");
		goto out;
	}
	rc = 0;
out:
	free(b);
	free(w.procs);
	return rc;
}

static void stat_line(size_t job, double resp, double turn, double wait)
{
	printf("  Job %3zu -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n",
	       job, resp, turn, wait);
}

static void avg_line(double resp, double turn, double wait, double count)
{
	printf("\n  Average -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n\n",
	       resp / count, turn / count, wait / count);
}

/* '%3d' % t, or Python's error for an infinite or NaN time. */
static bool time_field(double t, char *buf, size_t len)
{
	return py_int_of_float(t, buf, len, 3);
}

/* FIFO (and SJF, once the kernel has ordered the jobs): one slice each. */
static int print_fifo(const job_t *jobs, const mos_sched_report_t *r)
{
	double t = 0, rs = 0, ts = 0, ws = 0;
	char tf[400];

	printf("Execution trace:\n");
	for (size_t s = 0; s < r->nslices; s++) {
		const job_t *j = &jobs[r->slices[s].proc];
		if (!time_field(t, tf, sizeof tf))
			return py_raise("OverflowError: cannot convert float "
					"infinity to integer");
		printf("  [ time %s ] Run job %u for %.2f secs ( DONE at %.2f )\n",
		       tf, r->slices[s].proc, j->runtime, t + j->runtime);
		t += j->runtime;
	}
	printf("\nFinal statistics:\n");
	t = 0;
	for (size_t s = 0; s < r->nslices; s++) {
		double rt = jobs[r->slices[s].proc].runtime;
		stat_line(r->slices[s].proc, t, t + rt, t);
		rs += t;
		ts += t + rt;
		ws += t;
		t += rt;
	}
	if (r->nslices == 0)
		return py_raise("ZeroDivisionError: float division by zero");
	avg_line(rs, ts, ws, (double)r->nslices);
	return 0;
}

/* RR: each kernel slice cut into quanta (a job alone on the CPU runs on
 * in one slice); the last quantum of a job's last slice finishes it. */
static int print_rr(const job_t *jobs, size_t n, const mos_sched_report_t *r,
		    double quantum)
{
	double *left = calloc(n + 1, sizeof *left);
	double *resp = calloc(n + 1, sizeof *resp);
	double *turn = calloc(n + 1, sizeof *turn);
	double *wait = calloc(n + 1, sizeof *wait);
	double *last = calloc(n + 1, sizeof *last);
	bool *started = calloc(n + 1, sizeof *started);
	mos_time_t qns = slice_ns(quantum);
	double t = 0;
	char tf[400];
	int rc = 0;

	if (!left || !resp || !turn || !wait || !last || !started) {
		rc = fail("%s", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		left[i] = jobs[i].runtime;
	printf("Execution trace:\n");
	for (size_t s = 0; s < r->nslices; s++) {
		const mos_sched_slice_t *sl = &r->slices[s];
		uint32_t p = sl->proc;
		mos_time_t len = sl->end - sl->start;
		uint64_t pieces = len / qns + (len % qns != 0);
		bool finishes = sl->end == r->procs[p].finish;
		for (uint64_t k = 0; k < pieces; k++) {
			bool done = finishes && k + 1 == pieces;
			double ran = done ? left[p] : quantum;
			if (!started[p]) {
				started[p] = true;
				resp[p] = t;
			}
			wait[p] += t - last[p];
			if (!time_field(t, tf, sizeof tf)) {
				rc = py_raise("OverflowError: cannot convert "
					      "float infinity to integer");
				goto out;
			}
			printf("  [ time %s ] Run job %3u for %.2f secs", tf, p,
			       ran);
			if (done) {
				printf(" ( DONE at %.2f )\n", t + ran);
				turn[p] = t + ran;
			} else {
				printf("\n");
				left[p] -= quantum;
			}
			t += ran;
			last[p] = t;
		}
	}
	printf("\nFinal statistics:\n");
	double rs = 0, ts = 0, ws = 0;
	for (size_t i = 0; i < n; i++) {
		ts += turn[i];
		rs += resp[i];
		ws += wait[i];
		stat_line(i, resp[i], turn[i], wait[i]);
	}
	if (n == 0)
		rc = py_raise("ZeroDivisionError: float division by zero");
	else
		avg_line(rs, ts, ws, (double)n);
out:
	free(left);
	free(resp);
	free(turn);
	free(wait);
	free(last);
	free(started);
	return rc;
}

/* The kernel's schedule of the jobs, and with `print` (-c) the script's
 * answers from it; *out keeps the report for our extra flags (NULL when
 * there is no schedule: an unknown policy, no jobs).  0, or the exit
 * status. */
static int solve(const job_t *jobs, size_t n, const char *policy,
		 const py_int_t *quantum, bool print, mos_sched_report_t **out)
{
	mos_sched_report_t *r = NULL;
	const char *kpol = !strcmp(policy, "SJF")  ? "sjf"
			   : !strcmp(policy, "FIFO") ? "fifo"
			   : !strcmp(policy, "RR")   ? "rr"
						     : NULL;
	int64_t q = 1;
	int rc;

	*out = NULL;
	if (print)
		printf("** Solutions **\n\n");
	if (!kpol) {
		if (print)
			printf("Error: Policy %s is not available.\n", policy);
		return 0;
	}
	if (!strcmp(kpol, "rr") && (!py_int_to_i64(quantum, &q) || q <= 0) &&
	    n > 0)
		return fail("%s", "-q: RR needs a quantum of at least 1 "
			    "(scheduler.py would loop for ever)");
	if (n == 0) {
		if (!print)
			return 0;
		printf("Execution trace:\n\nFinal statistics:\n");
		return py_raise("ZeroDivisionError: float division by zero");
	}
	rc = run_kernel(jobs, n, kpol, (double)q, &r);
	if (rc)
		return rc;
	if (print && !strcmp(kpol, "rr"))
		rc = print_rr(jobs, n, r, (double)q);
	else if (print)
		rc = print_fifo(jobs, r);
	*out = r;
	return rc;
}

int cli_ostep_scheduler(int argc, char **argv)
{
	ostep_opt_t o[O_N] = {
		[O_SEED] = { 's', "seed", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_JOBS] = { 'j', "jobs", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_JLIST] = { 'l', "jlist", OPT_STRING, "", { { 0 }, 0, false } },
		[O_MAXLEN] = { 'm', "maxlen", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_POLICY] = { 'p', "policy", OPT_STRING, "FIFO", { { 0 }, 0, false } },
		[O_QUANTUM] = { 'q', "quantum", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_SOLVE] = { 'c', NULL, OPT_FLAG, NULL, { { 0 }, 0, false } },
	};
	mos_sched_report_t *r = NULL;
	ostep_extras_t x;
	bool done;
	job_t *jobs = NULL;
	size_t n;
	int rc, rest;

	py_int_set(&o[O_JOBS].num, 3);
	py_int_set(&o[O_MAXLEN].num, 10);
	py_int_set(&o[O_QUANTUM].num, 1);
	rc = ostep_parse_rest("scheduler.py", sched_help, o, O_N, argc, argv,
			      &done, &rest);
	if (rc || done)
		return rc;
	if ((rc = ostep_extras_parse("scheduler", argc - rest, argv + rest,
				     &x)) || (rc = ostep_extras_begin(&x)))
		return rc;

	printf("ARG policy %s\n", o[O_POLICY].value);
	if (o[O_JLIST].value[0] == '\0') {
		printf("ARG jobs ");
		py_int_print(&o[O_JOBS].num);
		printf("\nARG maxlen ");
		py_int_print(&o[O_MAXLEN].num);
		printf("\nARG seed ");
		py_int_print(&o[O_SEED].num);
		printf("\n");
	} else {
		printf("ARG jlist %s\n", o[O_JLIST].value);
	}
	printf("\nHere is the job list, with the run time of each job: \n");
	rc = make_jobs(o, &jobs, &n);
	if (rc)
		return ostep_extras_finish("scheduler", &x, NULL, rc);
	printf("\n\n");
	if (o[O_SOLVE].value || ostep_extras_any(&x))
		rc = solve(jobs, n, o[O_POLICY].value, &o[O_QUANTUM].num,
			   o[O_SOLVE].value != NULL, &r);
	if (!o[O_SOLVE].value) {
		printf("Compute the turnaround time, response time, and wait "
		       "time for each job.\n"
		       "When you are done, run this program again, with the "
		       "same arguments,\n"
		       "but with -c, which will thus provide you with the "
		       "answers. You can use\n"
		       "-s <somenumber> or your own job list (-l 10,15,20 for "
		       "example)\n"
		       "to generate different problems for yourself.\n\n");
	}
	free(jobs);
	rc = ostep_extras_finish("scheduler", &x, r, rc);
	mos_sched_report_free(r);
	return rc;
}

/* The scripts, by name (with or without ".py"). */
static const struct ostep_script {
	const char *name;
	int (*run)(int argc, char **argv);
} ostep_scripts[] = {
	{ "scheduler", cli_ostep_scheduler },
	{ "lottery", cli_ostep_lottery },
	{ "mlfq", cli_ostep_mlfq },
};

int cli_ostep(int argc, char **argv)
{
	const char *script = argc > 1 ? argv[1] : NULL;

	if (!script || !strcmp(script, "-h") || !strcmp(script, "--help")) {
		fputs(ostep_usage, script ? stdout : stderr);
		return script ? 0 : 2;
	}
	for (size_t i = 0; i < sizeof ostep_scripts / sizeof *ostep_scripts;
	     i++) {
		size_t len = strlen(ostep_scripts[i].name);
		if (!strncmp(script, ostep_scripts[i].name, len) &&
		    (!script[len] || !strcmp(script + len, ".py")))
			return ostep_scripts[i].run(argc - 1, argv + 1);
	}
	return cli_usage_error("ostep", "unknown script '%s'", script);
}
