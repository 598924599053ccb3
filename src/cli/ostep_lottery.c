/*
 * src/cli/ostep_lottery.c - `multios ostep lottery`: OSTEP's
 * cpu-sched-lottery/lottery.py on the library's kernel.
 *
 * The same flags (ostep_opt.c reads them as optparse does), the same
 * random jobs from the same seed (multios/pyrandom.h), the same text
 * byte for byte.  With -c the schedule is not simulated here: the jobs
 * become a workload (one CPU burst each, with their tickets) that
 * mos_sched_run_workload runs under lottery with the ostep draw
 * (src/sched/lottery_ostep.c), seeded with -s and told how many random()
 * calls the job generation used (draw_skip).  The report's slices, cut
 * into quanta, are the winners in order; the random numbers printed next
 * to them are the same stream continued in this file's own generator
 * (the kernel drew the same ones), and the clock printed is the script's
 * (a full quantum per draw).  docs/OSTEP.md lists the differences.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ostep.h"

#define PROG "lottery.py"

static const char lottery_help[] =
	"Usage: lottery.py [options]\n"
	"\n"
	"Options:\n"
	"  -h, --help            show this help message and exit\n"
	"  -s SEED, --seed=SEED  the random seed\n"
	"  -j JOBS, --jobs=JOBS  number of jobs in the system\n"
	"  -l JLIST, --jlist=JLIST\n"
	"                        instead of random jobs, provide a comma-separated list\n"
	"                        of run times and ticket values (e.g., 10:100,20:100\n"
	"                        would have two jobs with run-times of 10 and 20, each\n"
	"                        with 100 tickets)\n"
	"  -m MAXLEN, --maxlen=MAXLEN\n"
	"                        max length of job\n"
	"  -T MAXTICKET, --maxticket=MAXTICKET\n"
	"                        maximum ticket value, if randomly assigned\n"
	"  -q QUANTUM, --quantum=QUANTUM\n"
	"                        length of time slice\n"
	"  -c, --compute         compute answers for me\n";

enum { L_SEED, L_JOBS, L_JLIST, L_MAXLEN, L_MAXTICKET, L_QUANTUM, L_SOLVE,
       L_N };

/* Virtual nanoseconds per time unit of the script: 1 ms. */
#define UNIT 1000000
/* The longest job the kernel is given, in units (~292 years). */
#define MAX_RUNTIME ((int64_t)9000000000000)

typedef struct ljob {
	int64_t runtime;       /* the script's job[1] */
	int64_t tickets;       /* job[2] */
} ljob_t;

/* int(text) of one half of a -l entry; false (and Python's error on
 * stderr) when int() raises. */
static bool jl_int(const char *text, int64_t *out, int *rc)
{
	py_int_t v;
	char r[1100], msg[1200];

	if (mos_pyrandom_parse_int(text, 10, v.words, &v.nwords,
				   &v.negative) < 0) {
		py_str_repr(text, r, sizeof r);
		snprintf(msg, sizeof msg, "ValueError: invalid literal for "
			 "int() with base 10: %s", r);
		*rc = ostep_raise(PROG, msg);
		return false;
	}
	if (!py_int_to_i64(&v, out)) {
		*rc = ostep_fail("lottery", "%s: a number beyond 64 bits", text);
		return false;
	}
	return true;
}

/* -l: "RUN:TICKETS" entries, comma-separated.  0, or the exit status. */
static int parse_jlist(const char *jl, ljob_t **out, size_t *n)
{
	size_t cap = 1;
	ljob_t *jobs;
	int rc = 0;

	for (const char *c = jl; *c; c++)
		cap += *c == ',';
	if (!(jobs = calloc(cap, sizeof *jobs)))
		return ostep_fail("lottery", "%s", "out of memory");
	*n = 0;
	for (const char *s = jl;; s++) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s), colons = 0;
		char piece[1024], *colon;

		snprintf(piece, sizeof piece, "%.*s", (int)len, s);
		for (const char *c = piece; *c; c++)
			colons += *c == ':';
		if (colons != 1) {
			free(jobs);
			return ostep_raise(PROG, colons ? "ValueError: too many "
					   "values to unpack (expected 2)"
					   : "ValueError: not enough values "
					   "to unpack (expected 2, got 1)");
		}
		colon = strchr(piece, ':');
		*colon = '\0';
		if (!jl_int(piece, &jobs[*n].runtime, &rc) ||
		    !jl_int(colon + 1, &jobs[*n].tickets, &rc)) {
			free(jobs);
			return rc;
		}
		(*n)++;
		if (!e)
			break;
		s = e;
	}
	*out = jobs;
	return 0;
}

/* int(max * random.random()) until it is not 0: the script's loop. */
static int64_t draw_nonzero(int64_t max, mos_pyrandom_t *rng, uint64_t *draws)
{
	int64_t v = 0;

	while (v == 0) {
		v = (int64_t)trunc((double)max * mos_pyrandom_random(rng));
		++*draws;
	}
	return v;
}

/* The random jobs as the script draws them; *draws counts random()
 * calls.  0, or the exit status. */
static int random_jobs(ostep_opt_t *o, mos_pyrandom_t *rng, ljob_t **out,
		       size_t *n, uint64_t *draws)
{
	int64_t njobs, maxlen, maxtix;
	ljob_t *jobs;

	*n = 0;
	if (!py_int_to_i64(&o[L_JOBS].num, &njobs) || njobs > 1000000)
		return ostep_fail("lottery", "%s",
				  "-j: more jobs than a kernel holds");
	if (njobs <= 0)
		return 0;
	if (!py_int_to_i64(&o[L_MAXLEN].num, &maxlen) ||
	    !py_int_to_i64(&o[L_MAXTICKET].num, &maxtix) ||
	    maxlen > MAX_RUNTIME || maxlen < -MAX_RUNTIME ||
	    maxtix > MAX_RUNTIME || maxtix < -MAX_RUNTIME)
		return ostep_fail("lottery", "%s",
				  "-m, -T: out of range (at most 9e12)");
	if (maxlen >= -1 && maxlen <= 1)
		return ostep_fail("lottery", "%s", "-m: every job would have "
				  "length 0 (lottery.py would loop for ever)");
	if (maxtix >= -1 && maxtix <= 1)
		return ostep_fail("lottery", "%s", "-T: every job would have "
				  "0 tickets (lottery.py would loop for ever)");
	if (!(jobs = calloc((size_t)njobs, sizeof *jobs)))
		return ostep_fail("lottery", "%s", "out of memory");
	for (int64_t i = 0; i < njobs; i++) {
		jobs[i].runtime = draw_nonzero(maxlen, rng, draws);
		jobs[i].tickets = draw_nonzero(maxtix, rng, draws);
		printf("  Job %lld ( length = %lld, tickets = %lld )\n",
		       (long long)i, (long long)jobs[i].runtime,
		       (long long)jobs[i].tickets);
	}
	*n = (size_t)njobs;
	*out = jobs;
	return 0;
}

/* The script's runTotal; false when it would pass 2^63. */
static bool run_total_of(const ljob_t *jobs, size_t n, int64_t *total)
{
	*total = 0;
	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(*total, jobs[i].runtime, total))
			return false;
	return true;
}

/* int(random.random() * 1000001) */
static uint64_t draw_r(mos_pyrandom_t *rng)
{
	return (uint64_t)(mos_pyrandom_random(rng) * 1000001.0);
}

/* What the kernel cannot run, or where the script would not stop.
 * 0 or the exit status. */
static int check_solvable(const ljob_t *jobs, size_t n, int64_t quantum,
			  const py_int_t *seed)
{
	if (quantum <= 0)
		return ostep_fail("lottery", "%s", "-q: the quantum must be at "
				  "least 1 (lottery.py would never finish a "
				  "job)");
	if (quantum > MAX_RUNTIME)
		return ostep_fail("lottery", "%s", "-q: at most 9e12");
	if (seed->nwords > MOS_LOTTERY_SEED_WORDS)
		return ostep_fail("lottery", "%s", "-s: the kernel's draw takes "
				  "seeds below 2^256");
	for (size_t i = 0; i < n; i++) {
		char what[64];
		if (jobs[i].runtime >= 1 && jobs[i].runtime <= MAX_RUNTIME &&
		    jobs[i].tickets >= 1 && jobs[i].tickets <= UINT32_MAX)
			continue;
		snprintf(what, sizeof what, "%zu", i);
		return ostep_fail("lottery", "job %s cannot run on the kernel "
				  "(lengths must be 1 to 9e12, tickets 1 to "
				  "2^32-1)", what);
	}
	return 0;
}

/* The jobs as a workload of one CPU burst each, all arriving at 0, run
 * under lottery's ostep draw.  0 with *r, or the exit status. */
static int run_kernel(const ljob_t *jobs, size_t n, int64_t quantum,
		      const py_int_t *seed, uint64_t skip,
		      mos_sched_report_t **r)
{
	mos_workload_t w;
	mos_sched_params_t p;
	mos_error_t err;
	mos_wl_burst_t *b = calloc(n, sizeof *b);
	int rc = 1;

	memset(&w, 0, sizeof w);
	snprintf(w.name, sizeof w.name, "lottery.py");
	w.tick = UNIT;
	w.nprocs = n;
	w.procs = calloc(n, sizeof *w.procs);
	if (!w.procs || !b) {
		ostep_fail("lottery", "%s", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(w.procs[i].name, sizeof w.procs[i].name, "job%zu", i);
		b[i].kind = MOS_WL_CPU;
		b[i].ticks = (uint64_t)jobs[i].runtime;
		w.procs[i].nbursts = 1;
		w.procs[i].bursts = &b[i];
		w.procs[i].tickets = (uint32_t)jobs[i].tickets;
	}
	mos_sched_params_default(&p);
	snprintf(p.policy, sizeof p.policy, "lottery");
	p.tick = UNIT;
	p.time_slice = (mos_time_t)quantum * UNIT;
	p.lottery_draw = MOS_LOTTERY_OSTEP;
	p.nseed_words = (uint32_t)seed->nwords;
	memcpy(p.seed_words, seed->words, seed->nwords * sizeof *seed->words);
	p.draw_skip = skip;
	if (mos_sched_run_workload(&w, &p, r, &err) < 0) {
		ostep_fail("lottery", "%s", err.message);
		goto out;
	}
	if ((*r)->slices_truncated) {
		mos_sched_report_free(*r);
		*r = NULL;
		ostep_fail("lottery", "%s", "more run slices than a report holds");
		goto out;
	}
	rc = 0;
out:
	free(b);
	free(w.procs);
	return rc;
}

/* One draw's lines: the winner (the kernel's), then every job. */
static void print_draw(const ljob_t *left, size_t n, uint64_t r,
		       int64_t total, size_t winner)
{
	printf("Random %llu -> Winning ticket %lld (of %lld) -> Run %zu\n",
	       (unsigned long long)r, (long long)(r % (uint64_t)total),
	       (long long)total, winner);
	printf("  Jobs:\n");
	for (size_t i = 0; i < n; i++) {
		printf(" (%c job:%zu timeleft:%lld tix:", i == winner ? '*' : ' ',
		       i, (long long)left[i].runtime);
		if (left[i].runtime > 0)
			printf("%lld", (long long)left[i].tickets);
		else
			printf("---");
		printf(" ) ");
	}
	printf("\n");
}

/* The report's slices cut into quanta (the last one of a job shorter
 * when it finished in it): each is one draw, printed with the script's
 * accounting and clock. */
static int print_solution(const ljob_t *jobs, size_t n,
			  const mos_sched_report_t *rep, int64_t quantum,
			  mos_pyrandom_t *rng)
{
	ljob_t *left = malloc(n * sizeof *left);
	mos_time_t qns = (mos_time_t)quantum * UNIT;
	int64_t total = 0, clock = 0;
	size_t running = n;

	if (!left)
		return ostep_fail("lottery", "%s", "out of memory");
	memcpy(left, jobs, n * sizeof *left);
	for (size_t i = 0; i < n; i++)
		total += jobs[i].tickets;
	for (size_t s = 0; s < rep->nslices && running; s++) {
		const mos_sched_slice_t *sl = &rep->slices[s];
		mos_time_t len = sl->end - sl->start;
		uint64_t pieces = len / qns + (len % qns != 0);
		ljob_t *w = &left[sl->proc];

		for (uint64_t k = 0; k < pieces; k++) {
			print_draw(left, n, draw_r(rng), total, sl->proc);
			w->runtime = w->runtime >= quantum ? w->runtime - quantum
							   : 0;
			clock += quantum;
			if (w->runtime == 0) {
				printf("--> JOB %u DONE at time %lld\n",
				       sl->proc, (long long)clock);
				total -= w->tickets;
				w->tickets = 0;
				if (--running == 0)
					printf("\n");
			}
		}
	}
	free(left);
	return 0;
}

/* The kernel's schedule of the jobs (*out, NULL when the script's loop
 * never starts: no job time at all), and with `print` (-c) the script's
 * answers from it.  The caller prints our extra flags from *out and frees
 * it.  0, or the exit status. */
static int solve(const ljob_t *jobs, size_t n, const ostep_opt_t *o,
		 uint64_t skip, mos_pyrandom_t *rng, bool print,
		 mos_sched_report_t **out)
{
	int64_t quantum = 0, run_total = 0;
	int rc;

	*out = NULL;
	if (print)
		printf("** Solutions **\n\n");
	if (!run_total_of(jobs, n, &run_total))
		return ostep_fail("lottery", "%s", "the run times add up past "
				  "2^63");
	if (run_total <= 0)
		return 0; /* the script's loop never starts */
	if (!py_int_to_i64(&o[L_QUANTUM].num, &quantum)) /* beyond 64 bits */
		quantum = o[L_QUANTUM].num.negative ? -1 : INT64_MAX;
	if ((rc = check_solvable(jobs, n, quantum, &o[L_SEED].num)))
		return rc;
	if ((rc = run_kernel(jobs, n, quantum, &o[L_SEED].num, skip, out)))
		return rc;
	return print ? print_solution(jobs, n, *out, quantum, rng) : 0;
}

/* Without -c: the random numbers the problem needs, the stream after the
 * job draws.  0, or the exit status. */
static int print_problem(const ljob_t *jobs, size_t n, mos_pyrandom_t *rng)
{
	int64_t run_total;

	printf("Here is the set of random numbers you will need (at most):\n");
	if (!run_total_of(jobs, n, &run_total))
		return ostep_fail("lottery", "%s", "the run times add up past "
				  "2^63");
	for (int64_t i = 0; i < run_total; i++)
		printf("Random %llu\n", (unsigned long long)draw_r(rng));
	return 0;
}

int cli_ostep_lottery(int argc, char **argv)
{
	ostep_opt_t o[L_N] = {
		[L_SEED] = { 's', "seed", OPT_INT, NULL, { { 0 }, 0, false } },
		[L_JOBS] = { 'j', "jobs", OPT_INT, NULL, { { 0 }, 0, false } },
		[L_JLIST] = { 'l', "jlist", OPT_STRING, "", { { 0 }, 0, false } },
		[L_MAXLEN] = { 'm', "maxlen", OPT_INT, NULL, { { 0 }, 0, false } },
		[L_MAXTICKET] = { 'T', "maxticket", OPT_INT, NULL,
				  { { 0 }, 0, false } },
		[L_QUANTUM] = { 'q', "quantum", OPT_INT, NULL, { { 0 }, 0, false } },
		[L_SOLVE] = { 'c', "compute", OPT_FLAG, NULL, { { 0 }, 0, false } },
	};
	static const char *const args[] = { "jobs", "maxlen", "maxticket",
					    "quantum", "seed" };
	static const int argi[] = { L_JOBS, L_MAXLEN, L_MAXTICKET, L_QUANTUM,
				    L_SEED };
	mos_sched_report_t *r = NULL;
	ostep_extras_t x;
	mos_pyrandom_t rng;
	uint64_t draws = 0;
	ljob_t *jobs = NULL;
	size_t n = 0;
	bool done, solve_it;
	int rc, rest;

	py_int_set(&o[L_JOBS].num, 3);
	py_int_set(&o[L_MAXLEN].num, 10);
	py_int_set(&o[L_MAXTICKET].num, 100);
	py_int_set(&o[L_QUANTUM].num, 1);
	rc = ostep_parse_rest(PROG, lottery_help, o, L_N, argc, argv, &done,
			      &rest);
	if (rc || done)
		return rc;
	if ((rc = ostep_extras_parse("lottery", argc - rest, argv + rest,
				     &x)) || (rc = ostep_extras_begin(&x)))
		return rc;

	mos_pyrandom_seed_words(&rng, o[L_SEED].num.words, o[L_SEED].num.nwords);
	printf("ARG jlist %s\n", o[L_JLIST].value);
	for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
		printf("ARG %s ", args[i]);
		py_int_print(&o[argi[i]].num);
		printf("\n");
	}
	printf("\nHere is the job list, with the run time of each job: \n");
	if (o[L_JLIST].value[0]) {
		rc = parse_jlist(o[L_JLIST].value, &jobs, &n);
		for (size_t i = 0; !rc && i < n; i++)
			printf("  Job %zu ( length = %lld, tickets = %lld )\n", i,
			       (long long)jobs[i].runtime,
			       (long long)jobs[i].tickets);
	} else {
		rc = random_jobs(o, &rng, &jobs, &n, &draws);
	}
	if (rc)
		goto out;
	printf("\n\n");
	solve_it = o[L_SOLVE].value != NULL;
	if (!solve_it)
		rc = print_problem(jobs, n, &rng);
	/* One place with the report in hand: built, run, printed, freed. */
	if (!rc && (solve_it || ostep_extras_any(&x)))
		rc = solve(jobs, n, o, draws, &rng, solve_it, &r);
out:
	free(jobs);
	rc = ostep_extras_finish("lottery", &x, r, rc);
	mos_sched_report_free(r);
	return rc;
}
