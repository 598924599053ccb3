/*
 * src/cli/ostep_mlfq.c - `multios ostep mlfq`: cpu-sched-mlfq/mlfq.py on
 * the kernel's mlfq policy.
 *
 * The flags are mlfq.py's (ostep_opt.c reads them as optparse does), the
 * random jobs come from the same seed (multios/pyrandom.h), and the text
 * is the script's byte for byte.  Nothing here knows mlfq's rules: each
 * job becomes a workload process ({compute ioFreq; sleep ioTime} repeated,
 * then the rest), mos_sched_run_workload_watch runs it under the kernel's
 * mlfq policy, and what the watch saw is the trace: the transitions are
 * JOB BEGINS (admission), IO_DONE (wake-up), IO_START (sleep) and
 * FINISHED (exit), in the kernel's order; each tick's running process and
 * its policy state (queue level, allotment and slice left) are the Run
 * line's PRIORITY, ALLOT and TICKS.  Only BOOST lines come from the
 * period: the policy boosts at every multiple of it, and the script
 * prints one there while jobs remain.  docs/OSTEP.md has the flags and
 * the inputs the kernel cannot model (refused with exit 1).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multios/multios.h"
#include "ostep.h"

static const char mlfq_help[] =
	"Usage: mlfq.py [options]\n"
	"\n"
	"Options:\n"
	"  -h, --help            show this help message and exit\n"
	"  -s SEED, --seed=SEED  the random seed\n"
	"  -n NUMQUEUES, --numQueues=NUMQUEUES\n"
	"                        number of queues in MLFQ (if not using -Q)\n"
	"  -q QUANTUM, --quantum=QUANTUM\n"
	"                        length of time slice (if not using -Q)\n"
	"  -a ALLOTMENT, --allotment=ALLOTMENT\n"
	"                        length of allotment (if not using -A)\n"
	"  -Q QUANTUMLIST, --quantumList=QUANTUMLIST\n"
	"                        length of time slice per queue level, specified as\n"
	"                        x,y,z,... where x is the quantum length for the\n"
	"                        highest priority queue, y the next highest, and so\n"
	"                        forth\n"
	"  -A ALLOTMENTLIST, --allotmentList=ALLOTMENTLIST\n"
	"                        length of time allotment per queue level, specified as\n"
	"                        x,y,z,... where x is the # of time slices for the\n"
	"                        highest priority queue, y the next highest, and so\n"
	"                        forth\n"
	"  -j NUMJOBS, --numJobs=NUMJOBS\n"
	"                        number of jobs in the system\n"
	"  -m MAXLEN, --maxlen=MAXLEN\n"
	"                        max run-time of a job (if randomly generating)\n"
	"  -M MAXIO, --maxio=MAXIO\n"
	"                        max I/O frequency of a job (if randomly generating)\n"
	"  -B BOOST, --boost=BOOST\n"
	"                        how often to boost the priority of all jobs back to\n"
	"                        high priority\n"
	"  -i IOTIME, --iotime=IOTIME\n"
	"                        how long an I/O should last (fixed constant)\n"
	"  -S, --stay            reset and stay at same priority level when issuing I/O\n"
	"  -I, --iobump          if specified, jobs that finished I/O move immediately\n"
	"                        to front of current queue\n"
	"  -l JLIST, --jlist=JLIST\n"
	"                        a comma-separated list of jobs to run, in the form\n"
	"                        x1,y1,z1:x2,y2,z2:... where x is start time, y is run\n"
	"                        time, and z is how often the job issues an I/O request\n"
	"  -c                    compute answers for me\n";

enum {
	O_SEED, O_NQ, O_QUANTUM, O_ALLOT, O_QLIST, O_ALIST, O_JOBS, O_MAXLEN,
	O_MAXIO, O_BOOST, O_IOTIME, O_STAY, O_BUMP, O_JLIST, O_SOLVE, O_N
};

/* Virtual nanoseconds per tick of the script: the watch stops the kernel
 * a nanosecond before each tick's end, so a tick must be longer than 1. */
#define TICK ((mos_time_t)1000)
/* Script times the kernel takes (x TICK stays far from MOS_TIME_NEVER). */
#define MAX_TIME ((int64_t)1 << 40)
/* Queues printed without -c; the kernel runs at most MOS_MLFQ_MAX_QUEUES. */
#define MAX_QUEUES 1000000

typedef struct job {
	int64_t start, run, iofreq;
} job_t;

typedef struct mlfq {
	int64_t nq;            /* numQueues */
	int64_t *quantum;      /* [script level], 0 the bottom */
	int64_t *allot;
	job_t *jobs;
	size_t njobs;
} mlfq_t;

/* What the watch saw, in the kernel's order; printed after the run. */
typedef enum { EV_BEGIN, EV_IO_DONE, EV_IO_START, EV_FINISH, EV_TICK } ev_kind_t;

typedef struct ev {
	int64_t time;          /* in ticks */
	ev_kind_t kind;
	bool ran;              /* EV_TICK: a job ran (else IDLE) */
	uint32_t proc;
	mos_sched_state_t st;
} ev_t;

typedef struct seen {
	ev_t *v;
	size_t n, cap;
	bool oom;
} seen_t;

static int py_raise(const char *what)
{
	return ostep_raise("mlfq.py", what);
}

static int fail(const char *fmt, const char *arg)
{
	return ostep_fail("mlfq", fmt, arg);
}

/* int(text) of one piece of a list: 0, or the exit status. */
static int py_int10(const char *text, size_t len, int64_t *out)
{
	char piece[1024], r[1100], msg[1200];
	py_int_t v;

	snprintf(piece, sizeof piece, "%.*s", (int)len, text);
	if (mos_pyrandom_parse_int(piece, 10, v.words, &v.nwords,
				   &v.negative) < 0) {
		py_str_repr(piece, r, sizeof r);
		snprintf(msg, sizeof msg, "ValueError: invalid literal for "
			 "int() with base 10: %s", r);
		return py_raise(msg);
	}
	if (!py_int_to_i64(&v, out))
		return fail("%s", "a number past 64 bits");
	return 0;
}

static size_t count_sep(const char *s, char sep)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == sep;
	return n;
}

/* The i-th piece of s cut at sep. */
static const char *piece(const char *s, char sep, size_t i, size_t *len)
{
	const char *e;

	for (; i > 0; i--)
		s = strchr(s, sep) + 1;
	e = strchr(s, sep);
	*len = e ? (size_t)(e - s) : strlen(s);
	return s;
}

/* quantum{} and allotment{} as the script builds them; 0 or the exit
 * status (the script's own error lines included). */
static int make_levels(ostep_opt_t *o, mlfq_t *m)
{
	const char *ql = o[O_QLIST].value, *al = o[O_ALIST].value;
	int64_t q, a;
	size_t len;
	int rc;

	if (ql[0])
		m->nq = (int64_t)count_sep(ql, ',');
	else if (!py_int_to_i64(&o[O_NQ].num, &m->nq) || m->nq > MAX_QUEUES)
		return fail("%s", "-n: more queues than multios prints");
	if (!py_int_to_i64(&o[O_QUANTUM].num, &q) ||
	    !py_int_to_i64(&o[O_ALLOT].num, &a))
		return fail("%s", "-q/-a: a number past 64 bits");
	m->quantum = calloc(m->nq > 0 ? (size_t)m->nq : 1, sizeof(int64_t));
	m->allot = calloc(m->nq > 0 ? (size_t)m->nq : 1, sizeof(int64_t));
	if (!m->quantum || !m->allot)
		return fail("%s", "out of memory");
	for (int64_t i = 0; i < m->nq; i++) {
		const char *s = ql[0] ? piece(ql, ',', (size_t)i, &len) : NULL;
		if (s && (rc = py_int10(s, len, &m->quantum[m->nq - 1 - i])))
			return rc;
		if (!s)
			m->quantum[i] = q;
		m->allot[i] = a;
	}
	if (!al[0])
		return 0;
	if ((int64_t)count_sep(al, ',') != m->nq) {
		printf("number of allotments specified must match number of "
		       "quantums\n");
		return 1;
	}
	for (int64_t i = 0, qc = m->nq - 1; i < m->nq; i++, qc--) {
		const char *s = piece(al, ',', (size_t)i, &len);
		if ((rc = py_int10(s, len, &m->allot[qc])))
			return rc;
		if (qc != 0 && m->allot[qc] <= 0) {
			printf("allotment must be positive integer\n");
			return 1;
		}
	}
	return 0;
}

/* The jobs of -l, or drawn as the script draws them. */
static int make_jobs(ostep_opt_t *o, mlfq_t *m)
{
	const char *jl = o[O_JLIST].value;
	int rc;

	if (jl[0]) {
		size_t n = count_sep(jl, ':');
		if (!(m->jobs = calloc(n, sizeof *m->jobs)))
			return fail("%s", "out of memory");
		for (size_t i = 0; i < n; i++) {
			size_t len, fl;
			const char *s = piece(jl, ':', i, &len);
			char one[4096];
			snprintf(one, sizeof one, "%.*s", (int)len, s);
			if (count_sep(one, ',') != 3) {
				printf("Badly formatted job string. Should be "
				       "x1,y1,z1:x2,y2,z2:...\nwhere x is the "
				       "startTime, y is the runTime, and z is "
				       "the I/O frequency.\n");
				return 1;
			}
			int64_t *f[3] = { &m->jobs[i].start, &m->jobs[i].run,
					  &m->jobs[i].iofreq };
			for (size_t k = 0; k < 3; k++) {
				const char *p = piece(one, ',', k, &fl);
				if ((rc = py_int10(p, fl, f[k])))
					return rc;
			}
			if (m->nq <= 0)
				return py_raise("KeyError: -1");
			m->njobs++;
		}
		return 0;
	}

	int64_t njobs, maxlen, maxio;
	mos_pyrandom_t rng;
	if (!py_int_to_i64(&o[O_JOBS].num, &njobs) || njobs > 1000000)
		return fail("%s", "-j: more jobs than a kernel holds");
	if (!py_int_to_i64(&o[O_MAXLEN].num, &maxlen) ||
	    !py_int_to_i64(&o[O_MAXIO].num, &maxio))
		return fail("%s", "-m/-M: a number past 64 bits");
	mos_pyrandom_seed_words(&rng, o[O_SEED].num.words, o[O_SEED].num.nwords);
	if (!(m->jobs = calloc(njobs > 0 ? (size_t)njobs : 1, sizeof *m->jobs)))
		return fail("%s", "out of memory");
	for (int64_t i = 0; i < njobs; i++) {
		/* int(random() * (maxlen - 1) + 1), in floats */
		double r = trunc(mos_pyrandom_random(&rng) * (double)(maxlen - 1) + 1);
		double io = trunc(mos_pyrandom_random(&rng) * (double)(maxio - 1) + 1);
		if (fabs(r) >= 9.2e18 || fabs(io) >= 9.2e18)
			return fail("%s", "-m/-M: a job past 64 bits");
		if (m->nq <= 0)
			return py_raise("KeyError: -1");
		m->jobs[i] = (job_t){ 0, (int64_t)r, (int64_t)io };
		m->njobs++;
	}
	return 0;
}

static void print_problem(ostep_opt_t *o, const mlfq_t *m)
{
	printf("Here is the list of inputs:\nOPTIONS jobs %zu\nOPTIONS queues "
	       "%lld\n", m->njobs, (long long)m->nq);
	for (int64_t i = m->nq - 1; i >= 0; i--) {
		printf("OPTIONS allotments for queue %2lld is %3lld\n",
		       (long long)i, (long long)m->allot[i]);
		printf("OPTIONS quantum length for queue %2lld is %3lld\n",
		       (long long)i, (long long)m->quantum[i]);
	}
	printf("OPTIONS boost ");
	py_int_print(&o[O_BOOST].num);
	printf("\nOPTIONS ioTime ");
	py_int_print(&o[O_IOTIME].num);
	printf("\nOPTIONS stayAfterIO %s\nOPTIONS iobump %s\n\n\n",
	       o[O_STAY].value ? "True" : "False",
	       o[O_BUMP].value ? "True" : "False");
	printf("For each job, three defining characteristics are given:\n"
	       "  startTime : at what time does the job enter the system\n"
	       "  runTime   : the total CPU time needed by the job to finish\n"
	       "  ioFreq    : every ioFreq time units, the job issues an I/O\n"
	       "              (the I/O takes ioTime units to complete)\n\n"
	       "Job List:\n");
	for (size_t i = 0; i < m->njobs; i++)
		printf("  Job %2zu: startTime %3lld - runTime %3lld - ioFreq "
		       "%3lld\n", i, (long long)m->jobs[i].start,
		       (long long)m->jobs[i].run, (long long)m->jobs[i].iofreq);
	printf("\n");
}

/* ---- the run --------------------------------------------------------- */

static void push(seen_t *s, ev_t e)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		ev_t *v = realloc(s->v, cap * sizeof *v);
		if (!v) {
			s->oom = true;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = e;
}

static void on_transition(void *arg, mos_time_t t, uint32_t proc,
			  mos_proc_state_t from, mos_proc_state_t to)
{
	ev_kind_t k;

	if (to == MOS_STATE_TERMINATED)
		k = EV_FINISH;
	else if (from == MOS_STATE_RUNNING && to == MOS_STATE_BLOCKED)
		k = EV_IO_START;
	else if (from == MOS_STATE_NEW && to == MOS_STATE_READY)
		k = EV_BEGIN;
	else if (from == MOS_STATE_BLOCKED && to == MOS_STATE_READY)
		k = EV_IO_DONE;
	else
		return;
	push(arg, (ev_t){ (int64_t)(t / TICK), k, false, proc, { 0, 0, 0 } });
}

static void on_tick(void *arg, const mos_sched_tick_t *t)
{
	push(arg, (ev_t){ (int64_t)(t->start / TICK), EV_TICK, t->ran,
			  t->proc, t->state });
}

/* Why the kernel cannot run this problem as the script does, or NULL. */
static const char *unmodelled(const mlfq_t *m, int64_t iotime)
{
	if (m->nq > MOS_MLFQ_MAX_QUEUES)
		return "more queues than the kernel's mlfq has (16)";
	for (int64_t i = 0; i < m->nq; i++) {
		if (m->quantum[i] <= 0 || m->quantum[i] > MAX_TIME)
			return "a quantum <= 0 (the script never expires it) "
			       "or past 2^40";
		if (m->allot[i] <= 0 || m->allot[i] > UINT32_MAX)
			return "an allotment <= 0 (the script counts it below "
			       "0) or past 2^32";
	}
	for (size_t i = 0; i < m->njobs; i++) {
		const job_t *j = &m->jobs[i];
		if (j->run <= 0)
			return "a job of run time <= 0 (the script aborts)";
		if (j->start < 0)
			return "a job that starts before 0 (the script never "
			       "begins it)";
		if (j->start > MAX_TIME || j->run > MAX_TIME)
			return "a time past 2^40";
		if (j->iofreq > 0 && j->run > j->iofreq &&
		    (iotime <= 0 || iotime > MAX_TIME))
			return "an I/O time <= 0 (the script's I/O would end "
			       "before it starts) or past 2^40";
	}
	return NULL;
}

/* The jobs as a workload; bursts[] holds every process's bursts. */
static int build(const mlfq_t *m, int64_t iotime, mos_workload_t *w,
		 mos_wl_burst_t **bursts)
{
	size_t nb = 0;

	memset(w, 0, sizeof *w);
	snprintf(w->name, sizeof w->name, "mlfq.py");
	w->tick = TICK;
	w->nprocs = m->njobs;
	w->procs = calloc(m->njobs, sizeof *w->procs);
	for (size_t i = 0; i < m->njobs; i++)
		nb += 2 * (size_t)(m->jobs[i].run / (m->jobs[i].iofreq > 0 ?
						     m->jobs[i].iofreq : m->jobs[i].run)) + 1;
	*bursts = calloc(nb, sizeof **bursts);
	if (!w->procs || !*bursts)
		return fail("%s", "out of memory");
	nb = 0;
	for (size_t i = 0; i < m->njobs; i++) {
		const job_t *j = &m->jobs[i];
		mos_wl_process_t *p = &w->procs[i];
		/* The script checks "finished" before "I/O": no I/O after
		 * the last tick. */
		uint64_t n = j->iofreq > 0 && j->run > j->iofreq
				     ? (uint64_t)((j->run - 1) / j->iofreq) : 0;
		snprintf(p->name, sizeof p->name, "job%zu", i);
		p->arrival = (uint64_t)j->start;
		p->tickets = 100;
		p->bursts = *bursts + nb;
		for (uint64_t k = 0; k < n; k++) {
			(*bursts)[nb++] = (mos_wl_burst_t){ MOS_WL_CPU,
							    (uint64_t)j->iofreq };
			(*bursts)[nb++] = (mos_wl_burst_t){ MOS_WL_IO,
							    (uint64_t)iotime };
		}
		(*bursts)[nb++] = (mos_wl_burst_t){
			MOS_WL_CPU, (uint64_t)j->run - n * (uint64_t)j->iofreq };
		p->nbursts = 2 * n + 1;
	}
	return 0;
}

static void params(const mlfq_t *m, ostep_opt_t *o, mos_sched_params_t *p)
{
	int64_t boost;

	mos_sched_params_default(p);
	snprintf(p->policy, sizeof p->policy, "mlfq");
	p->tick = TICK;
	p->queues = (uint32_t)m->nq;
	p->nquanta = p->nallotments = p->queues;
	for (uint32_t lvl = 0; lvl < p->queues; lvl++) {
		p->quanta[lvl] = (mos_time_t)m->quantum[m->nq - 1 - lvl] * TICK;
		p->allotments[lvl] = (uint32_t)m->allot[m->nq - 1 - lvl];
	}
	p->time_slice = p->quanta[0];
	/* -B <= 0: never; past 2^40: after every job is done anyway. */
	if (!py_int_to_i64(&o[O_BOOST].num, &boost) || boost > MAX_TIME)
		boost = o[O_BOOST].num.negative ? 0 : MAX_TIME;
	p->boost = boost > 0 ? (mos_time_t)boost * TICK : 0;
	p->io_bump = o[O_BUMP].value != NULL;
	p->stay = o[O_STAY].value != NULL;
}

/* The execution trace from what the watch saw.  BOOST comes at its
 * instant after the running job's FINISHED/IO_START, before the
 * arrivals, as the script prints it. */
static void print_trace(const mlfq_t *m, const seen_t *s, int64_t boost,
			const mos_sched_params_t *p)
{
	int64_t *left = calloc(m->njobs, sizeof *left);
	int64_t boosted = 0;

	for (size_t i = 0; i < m->njobs && left; i++)
		left[i] = m->jobs[i].run;
	for (size_t i = 0; i < s->n && left; i++) {
		const ev_t *e = &s->v[i];
		if (e->kind != EV_FINISH && e->kind != EV_IO_START &&
		    boost > 0 && e->time != 0 && e->time % boost == 0 &&
		    boosted < e->time) {
			printf("[ time %lld ] BOOST ( every %lld )\n",
			       (long long)e->time, (long long)boost);
			boosted = e->time;
		}
		switch (e->kind) {
		case EV_BEGIN:
			printf("[ time %lld ] JOB BEGINS by JOB %u\n",
			       (long long)e->time, e->proc);
			break;
		case EV_IO_DONE:
			printf("[ time %lld ] IO_DONE by JOB %u\n",
			       (long long)e->time, e->proc);
			break;
		case EV_IO_START:
			printf("[ time %lld ] IO_START by JOB %u\nIO DONE\n",
			       (long long)e->time, e->proc);
			break;
		case EV_FINISH:
			printf("[ time %lld ] FINISHED JOB %u\n",
			       (long long)e->time, e->proc);
			break;
		case EV_TICK:
			if (!e->ran) {
				printf("[ time %lld ] IDLE\n", (long long)e->time);
				break;
			}
			printf("[ time %lld ] Run JOB %u at PRIORITY %lld [ TICKS "
			       "%lld ALLOT %u TIME %lld (of %lld) ]\n",
			       (long long)e->time, e->proc,
			       (long long)(p->queues - 1 - e->st.level),
			       (long long)(e->st.slice / TICK), e->st.allot,
			       (long long)--left[e->proc],
			       (long long)m->jobs[e->proc].run);
			break;
		}
	}
	free(left);
}

static void print_stats(const mlfq_t *m, const mos_sched_report_t *r)
{
	int64_t rs = 0, ts = 0;

	printf("\nFinal statistics:\n");
	for (size_t i = 0; i < m->njobs; i++) {
		int64_t st = m->jobs[i].start;
		int64_t resp = (int64_t)(r->procs[i].first_run / TICK) - st;
		int64_t turn = (int64_t)(r->procs[i].finish / TICK) - st;
		printf("  Job %2zu: startTime %3lld - response %3lld - "
		       "turnaround %3lld\n", i, (long long)st, (long long)resp,
		       (long long)turn);
		rs += resp;
		ts += turn;
	}
	printf("\n  Avg %2zu: startTime n/a - response %.2f - turnaround "
	       "%.2f\n\n\n", m->njobs - 1, (double)rs / (double)m->njobs,
	       (double)ts / (double)m->njobs);
}

/* The kernel's schedule of the jobs, and with `print` (-c) the script's
 * trace and statistics from it; *out keeps the report for our flags
 * after "--" (NULL when there is none).  0, or the exit status. */
static int solve(const mlfq_t *m, ostep_opt_t *o, bool print,
		 mos_sched_report_t **out)
{
	int64_t iotime = 0, boost = 0;
	const char *why;
	mos_workload_t w;
	mos_wl_burst_t *bursts = NULL;
	mos_sched_params_t p;
	mos_sched_report_t *r = NULL;
	mos_error_t err;
	seen_t seen = { NULL, 0, 0, false };
	mos_sched_watch_t watch = { &seen, on_transition, on_tick };
	int rc;

	*out = NULL;
	if (m->njobs == 0) {
		if (!print)
			return 0;
		printf("\nExecution Trace:\n\n\nFinal statistics:\n");
		return py_raise("ZeroDivisionError: float division by zero");
	}
	if (!py_int_to_i64(&o[O_IOTIME].num, &iotime))
		iotime = -1;
	if ((why = unmodelled(m, iotime)))
		return fail("the kernel cannot model this: %s", why);
	/* build workload -> run (watched) -> report -> print -> free */
	if ((rc = build(m, iotime, &w, &bursts)) == 0) {
		params(m, o, &p);
		if (mos_sched_run_workload_watch(&w, &p, &watch, &r, &err) < 0)
			rc = fail("%s", err.message);
		else if (seen.oom)
			rc = fail("%s", "out of memory");
	}
	if (rc == 0 && print) {
		if (p.boost)
			boost = (int64_t)(p.boost / TICK);
		printf("\nExecution Trace:\n\n");
		print_trace(m, &seen, boost, &p);
		print_stats(m, r);
	}
	if (rc == 0)
		*out = r;
	else
		mos_sched_report_free(r);
	free(seen.v);
	free(bursts);
	free(w.procs);
	return rc;
}

int cli_ostep_mlfq(int argc, char **argv)
{
	ostep_opt_t o[O_N] = {
		[O_SEED] = { 's', "seed", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_NQ] = { 'n', "numQueues", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_QUANTUM] = { 'q', "quantum", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_ALLOT] = { 'a', "allotment", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_QLIST] = { 'Q', "quantumList", OPT_STRING, "", { { 0 }, 0, false } },
		[O_ALIST] = { 'A', "allotmentList", OPT_STRING, "", { { 0 }, 0, false } },
		[O_JOBS] = { 'j', "numJobs", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_MAXLEN] = { 'm', "maxlen", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_MAXIO] = { 'M', "maxio", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_BOOST] = { 'B', "boost", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_IOTIME] = { 'i', "iotime", OPT_INT, NULL, { { 0 }, 0, false } },
		[O_STAY] = { 'S', "stay", OPT_FLAG, NULL, { { 0 }, 0, false } },
		[O_BUMP] = { 'I', "iobump", OPT_FLAG, NULL, { { 0 }, 0, false } },
		[O_JLIST] = { 'l', "jlist", OPT_STRING, "", { { 0 }, 0, false } },
		[O_SOLVE] = { 'c', NULL, OPT_FLAG, NULL, { { 0 }, 0, false } },
	};
	mlfq_t m = { 0, NULL, NULL, NULL, 0 };
	mos_sched_report_t *r = NULL;
	ostep_extras_t x;
	bool done, solving;
	int rc, rest;

	py_int_set(&o[O_NQ].num, 3);
	py_int_set(&o[O_QUANTUM].num, 10);
	py_int_set(&o[O_ALLOT].num, 1);
	py_int_set(&o[O_JOBS].num, 3);
	py_int_set(&o[O_MAXLEN].num, 100);
	py_int_set(&o[O_MAXIO].num, 10);
	py_int_set(&o[O_IOTIME].num, 5);
	rc = ostep_parse_rest("mlfq.py", mlfq_help, o, O_N, argc, argv, &done,
			      &rest);
	if (rc || done)
		return rc;
	if ((rc = ostep_extras_parse("mlfq", argc - rest, argv + rest, &x)) ||
	    (rc = ostep_extras_begin(&x)))
		return rc;
	solving = o[O_SOLVE].value != NULL;
	if ((rc = make_levels(o, &m)) == 0 && (rc = make_jobs(o, &m)) == 0) {
		print_problem(o, &m);
		if (solving || ostep_extras_any(&x))
			rc = solve(&m, o, solving, &r);
		if (!solving && rc == 0)
			printf("Compute the execution trace for the given "
			       "workloads.\nIf you would like, also compute the "
			       "response and turnaround\ntimes for each of the "
			       "jobs.\n\nUse the -c flag to get the exact "
			       "results when you are finished.\n\n");
	}
	free(m.quantum);
	free(m.allot);
	free(m.jobs);
	rc = ostep_extras_finish("mlfq", &x, r, rc);
	mos_sched_report_free(r);
	return rc;
}
