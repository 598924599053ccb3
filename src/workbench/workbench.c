/*
 * src/workbench/workbench.c - mos_sched_run_workload: a workload on a real
 * kernel.
 *
 * The workbench is not a second simulator.  It creates a kernel with the
 * chosen policy, makes each workload process a kernel process (admitted at
 * its arrival, computing its CPU bursts, sleeping out its I/O bursts, and
 * declaring each next CPU burst for the policies that order by it), and
 * each job of a periodic task a process admitted at its release.  It runs
 * the kernel to completion and computes every metric from the kernel's
 * trace, collected through the trace observer.
 *
 * A workload runs only after mos__workload_check: every ticks x tick
 * product and release sum below is then known to stay below
 * MOS_TIME_NEVER, and the number of jobs to fit a kernel.  The slice log
 * is bounded (MOS_SCHED_MAX_SLICES): a report past it says so instead of
 * growing without end.  Every block of a run, its kernel's included, comes
 * from the workload's allocator (w->alloc).
 */
#include <stdlib.h>
#include <string.h>

#include "multios/multios.h"
#include "util/alloc.h"
#include "util/error_int.h"
#include "workload_int.h"

/* What one kernel process runs: a slice of a workload process's bursts. */
typedef struct job {
	const mos_wl_burst_t *bursts;
	size_t n;
	mos_wl_burst_t one;     /* a periodic job's single CPU burst */
	mos_time_t tick;
	uint32_t entry;         /* index into the workload's processes */
	mos_time_t release;
	mos_time_t deadline;    /* absolute; 0: none */
	mos_pid_t pid;
	int error;              /* a refused system call, or 0 */
	/* From the trace. */
	mos_time_t first_run, finish;
} job_t;

typedef struct run {
	const mos_workload_t *w;
	mos_allocator_t alloc;  /* w->alloc resolved */
	job_t *jobs;
	size_t njobs;
	mos_sched_slice_t *slices;
	size_t nslices, cap;
	size_t last_job;        /* job of slices[nslices - 1] */
	bool truncated;         /* the log hit its bound or memory ran out */
	mos_time_t *run_start;  /* per job: start of the open slice */
	/* Watched runs only (mos_sched_run_workload_watch). */
	const mos_sched_watch_t *watch;
	size_t finished;        /* jobs terminated */
	job_t *running;         /* the job on the CPU, or NULL */
} run_t;

static mos_time_t next_cpu(const job_t *j, size_t from)
{
	for (size_t i = from; i < j->n; i++)
		if (j->bursts[i].kind == MOS_WL_CPU)
			return j->bursts[i].ticks * j->tick;
	return 0;
}

static int job_main(mos_proc_t *self, int argc, char **argv)
{
	job_t *j = mos_sys_state(self);

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < j->n; i++) {
		mos_time_t d = j->bursts[i].ticks * j->tick;
		int rc;

		if (j->bursts[i].kind == MOS_WL_CPU) {
			rc = mos_sys_compute(self, d);
		} else {
			mos_sys_sched_hint(self, next_cpu(j, i + 1));
			rc = mos_sys_sleep(self, d);
		}
		/* Only MOS_ERANGE is possible, and only with switch costs
		 * that push the run past the checked bound: the report
		 * fails rather than measure a job that did less. */
		if (rc < 0) {
			j->error = rc;
			return 1;
		}
	}
	return 0;
}

/* The job whose process is pid, or NULL.  A fresh kernel gives the jobs,
 * created in order, consecutive pids from the first one's; the pid check
 * keeps events of processes not (yet) jobs out, the first job's too while
 * it is being created (a job's pid is 0 until then). */
static job_t *job_of(run_t *r, mos_pid_t pid)
{
	size_t i = (size_t)pid - (size_t)r->jobs[0].pid;

	if (pid <= 0 || i >= r->njobs || r->jobs[i].pid != pid)
		return NULL;
	return &r->jobs[i];
}

/* Log that job ran [a, b).  A job dispatched again at the instant its
 * own slice ended (a lone process whose quantum expired) continues that
 * slice, so a schedule costs a slice per switch, not per quantum. */
static void add_slice(run_t *r, size_t job, mos_time_t a, mos_time_t b)
{
	mos_sched_slice_t *last = r->nslices ? &r->slices[r->nslices - 1] : NULL;

	if (b <= a)
		return;
	if (last && r->last_job == job && last->end == a) {
		last->end = b;
		return;
	}
	if (r->truncated)
		return;
	if (r->nslices == MOS_SCHED_MAX_SLICES) {
		r->truncated = true;
		return;
	}
	if (r->nslices == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		mos_sched_slice_t *s;

		if (cap > MOS_SCHED_MAX_SLICES)
			cap = MOS_SCHED_MAX_SLICES;
		/* Out of memory: keep what we have and say so once. */
		if (!(s = mos__realloc_array(&r->alloc, r->slices, cap,
					     sizeof(*s)))) {
			r->truncated = true;
			return;
		}
		r->slices = s;
		r->cap = cap;
	}
	r->slices[r->nslices++] = (mos_sched_slice_t){r->jobs[job].entry, a, b};
	r->last_job = job;
}

/* A watched run's share of observe(): follow who runs, count the
 * finished, pass the transition on. */
static void watch_event(run_t *r, job_t *j, const mos_trace_event_t *ev)
{
	if (ev->b == MOS_STATE_RUNNING)
		r->running = j;
	else if (ev->a == MOS_STATE_RUNNING && r->running == j)
		r->running = NULL;
	if (ev->b == MOS_STATE_TERMINATED)
		r->finished++;
	if (r->watch->transition)
		r->watch->transition(r->watch->arg, ev->time, j->entry,
				     (mos_proc_state_t)ev->a,
				     (mos_proc_state_t)ev->b);
}

static void observe(void *ud, const mos_trace_event_t *ev)
{
	run_t *r = ud;
	job_t *j = ev->kind == MOS_TRACE_PROC ? job_of(r, ev->subject) : NULL;
	size_t n;

	if (!j)
		return;
	n = (size_t)(j - r->jobs);
	if (ev->b == MOS_STATE_RUNNING) {
		if (j->first_run == MOS_TIME_NEVER)
			j->first_run = ev->time;
		r->run_start[n] = ev->time;
	} else if (ev->a == MOS_STATE_RUNNING) {
		add_slice(r, n, r->run_start[n], ev->time);
	}
	if (ev->b == MOS_STATE_TERMINATED)
		j->finish = ev->time;
	if (__builtin_expect(r->watch != NULL, 0))
		watch_event(r, j, ev);
}

/* ---- building the jobs ------------------------------------------------- */

static void make_jobs(const mos_workload_t *w, job_t *jobs)
{
	size_t k = 0;

	for (size_t i = 0; i < w->nprocs; i++) {
		const mos_wl_process_t *wp = &w->procs[i];
		uint64_t n = wp->period ? wp->jobs : 1;

		for (uint64_t j = 0; j < n; j++, k++) {
			job_t *jb = &jobs[k];
			jb->tick = w->tick;
			jb->entry = (uint32_t)i;
			jb->first_run = jb->finish = MOS_TIME_NEVER;
			jb->release = (wp->arrival + j * wp->period) * w->tick;
			if (wp->period) {
				jb->one = (mos_wl_burst_t){MOS_WL_CPU, wp->wcet};
				jb->bursts = &jb->one;
				jb->n = 1;
				jb->deadline = jb->release + wp->deadline * w->tick;
			} else {
				jb->bursts = wp->bursts;
				jb->n = wp->nbursts;
			}
		}
	}
}

static int create_job(mos_kernel_t *k, const mos_workload_t *w, job_t *jb)
{
	static const char *const cmd[] = {"workload-job", NULL};
	const mos_wl_process_t *wp = &w->procs[jb->entry];
	mos_process_spec_t spec;

	mos_process_spec_init(&spec);
	spec.command = cmd;
	spec.arg = jb;
	spec.start_time = jb->release;
	spec.sched.rank = wp->priority;
	spec.sched.tickets = wp->tickets;
	spec.sched.period = wp->period * w->tick;
	spec.sched.deadline = wp->period ? wp->deadline * w->tick : 0;
	spec.sched.burst = next_cpu(jb, 0);
	return mos_process_create(k, &spec, &jb->pid);
}

static int start_kernel(const mos_workload_t *w, const mos_sched_params_t *pol,
			size_t njobs, mos_kernel_t **k, mos_error_t *err)
{
	mos_config_t cfg;
	int rc;

	mos_config_default(&cfg);
	cfg.sched = *pol;
	cfg.sched.tick = w->tick;
	cfg.trace_capacity = 1;   /* the observer sees every event */
	cfg.history_size = 0;
	if (njobs + 1 > cfg.max_processes)
		cfg.max_processes = (uint32_t)(njobs + 1 < 1048576 ? njobs + 1 : 1048576);
	cfg.max_service_processes = 0;
	cfg.alloc = w->alloc;
	if ((rc = mos_config_validate(&cfg, err)) < 0)
		return rc;
	if (njobs + 1 > cfg.max_processes)
		return mos__error_path(err, MOS_EEXHAUSTED, w->source, "processes",
				       "%zu jobs: more than a kernel holds", njobs);
	if ((rc = mos_kernel_create(&cfg, k, err)) < 0)
		return rc;
	if ((rc = mos_program_register(*k, "workload-job", job_main)) < 0)
		return mos__error_path(err, rc, w->source, "", "registering the "
				       "job program: %s", mos_strerror(rc));
	return 0;
}

static int report(const run_t *r, const mos_kernel_t *k,
		  const mos_sched_params_t *pol, mos_sched_report_t **out);

/* Run k a tick at a time, each to 1 ns before the tick's end: everything
 * due at the boundary (an expiry, a wake-up, a boost) is still to come,
 * and the running process has been charged up to then.  Then the rest
 * (nothing is left to watch) to the end. */
static int run_watched(run_t *r, mos_kernel_t *k)
{
	const mos_time_t tick = r->w->tick;
	mos_sched_tick_t t;
	int rc;

	for (t.start = 0; r->finished < r->njobs; t.start += tick) {
		mos_process_info_t in;

		/* The checked workload bounds the makespan below
		 * MOS_TIME_NEVER; a run past it fails as an unwatched one. */
		if (t.start > MOS_TIME_NEVER - tick)
			return MOS_ERANGE;
		if ((rc = mos_kernel_run(k, t.start + tick - 1)) < 0)
			return rc;
		if (r->finished == r->njobs)
			break;
		memset(&t.state, 0, sizeof(t.state));
		t.ran = r->running != NULL;
		t.proc = t.ran ? r->running->entry : 0;
		if (t.ran && mos_process_get_info(k, r->running->pid, &in) == 0) {
			t.state = in.sched_state;
			/* It runs on through the last nanosecond. */
			t.state.slice = t.state.slice ? t.state.slice - 1 : 0;
		}
		if (r->watch->tick)
			r->watch->tick(r->watch->arg, &t);
	}
	return mos_kernel_run(k, MOS_TIME_NEVER);
}

static int run(const mos_workload_t *w, const mos_sched_params_t *policy,
	       const mos_sched_watch_t *watch, mos_sched_report_t **out,
	       mos_error_t *err)
{
	const mos_sched_params_t *pol;
	mos_kernel_t *k = NULL;
	run_t r;
	int rc;

	mos__error_clear(err);
	if (!out)
		return mos__error_path(err, MOS_EINVAL, "mos_sched_run_workload",
				       "", "out must not be NULL");
	if ((rc = mos__workload_check(w, err)) < 0)
		return rc;
	pol = policy ? policy : &w->policy;
	memset(&r, 0, sizeof(r));
	r.w = w;
	r.watch = watch;
	r.alloc = mos__alloc_resolve(&w->alloc);
	r.njobs = mos__workload_jobs(w);
	r.jobs = mos__calloc(&r.alloc, r.njobs, sizeof(*r.jobs));
	r.run_start = mos__calloc(&r.alloc, r.njobs, sizeof(*r.run_start));
	if (!r.jobs || !r.run_start) {
		rc = MOS_ENOMEM;
		goto out;
	}
	make_jobs(w, r.jobs);
	if ((rc = start_kernel(w, pol, r.njobs, &k, err)) < 0)
		goto out;
	mos_trace_set_observer(k, observe, &r);
	for (size_t i = 0; i < r.njobs && rc == 0; i++)
		rc = create_job(k, w, &r.jobs[i]);
	if (rc == 0)
		rc = watch ? run_watched(&r, k) : mos_kernel_run(k, MOS_TIME_NEVER);
	for (size_t i = 0; i < r.njobs && rc == 0; i++)
		rc = r.jobs[i].error;
	if (rc == 0)
		rc = report(&r, k, pol, out);
out:
	/* Every failure says so in err; a more precise diagnostic recorded
	 * on the way (start_kernel's) wins. */
	if (rc < 0)
		mos__error_path(err, rc, w->source, "", "%s", mos_strerror(rc));
	mos_kernel_destroy(k);
	mos__free(&r.alloc, r.jobs);
	mos__free(&r.alloc, r.run_start);
	mos__free(&r.alloc, r.slices);
	return rc;
}

int mos_sched_run_workload(const mos_workload_t *w,
			   const mos_sched_params_t *policy,
			   mos_sched_report_t **out, mos_error_t *err)
{
	return run(w, policy, NULL, out, err);
}

int mos_sched_run_workload_watch(const mos_workload_t *w,
				 const mos_sched_params_t *policy,
				 const mos_sched_watch_t *watch,
				 mos_sched_report_t **out, mos_error_t *err)
{
	if (!watch) {
		mos__error_clear(err);
		return mos__error_path(err, MOS_EINVAL,
				       "mos_sched_run_workload_watch", "",
				       "watch must not be NULL");
	}
	/* A tick's end is observed 1 ns before it: a 1 ns tick has none. */
	if (w && w->tick < 2) {
		mos__error_clear(err);
		return mos__error_path(err, MOS_EINVAL, w->source, "tick",
				       "a watched run needs a tick of at least "
				       "2 ns");
	}
	return run(w, policy, watch, out, err);
}

/* ---- metrics ------------------------------------------------------------- */

static double ticks(mos_time_t t, mos_time_t tick)
{
	return (double)t / (double)tick;
}

/* Fold one finished job into its workload entry's result. */
static void fold(mos_sched_proc_result_t *pr, const mos_wl_process_t *wp,
		 const job_t *jb, mos_time_t tick)
{
	mos_time_t resp = jb->finish - jb->release;

	if (!wp->period) {
		pr->first_run = jb->first_run;
		pr->finish = jb->finish;
		pr->response = jb->first_run - pr->arrival;
		pr->turnaround = jb->finish - pr->arrival;
		pr->waiting = pr->turnaround - pr->cpu - pr->io;
		return;
	}
	/* Jobs are folded in release order, but a later job may run first
	 * and an earlier one finish last (a preempted job under rm): the
	 * task's span is its earliest start to its latest finish. */
	if (pr->jobs++ == 0 || jb->first_run < pr->first_run)
		pr->first_run = jb->first_run;
	if (pr->jobs == 1 || jb->finish > pr->finish)
		pr->finish = jb->finish;
	if (resp > pr->response) {
		pr->response = pr->turnaround = resp;
		pr->waiting = resp - wp->wcet * tick;
	}
	if (jb->finish > jb->deadline)
		pr->deadline_misses++;
}

static void totals(mos_sched_proc_result_t *pr, const mos_wl_process_t *wp,
		   mos_time_t tick)
{
	memcpy(pr->name, wp->name, sizeof(pr->name));
	pr->periodic = wp->period != 0;
	pr->arrival = wp->arrival * tick;
	if (wp->period) {
		pr->cpu = wp->wcet * wp->jobs * tick;
		return;
	}
	for (size_t b = 0; b < wp->nbursts; b++) {
		mos_time_t d = wp->bursts[b].ticks * tick;
		if (wp->bursts[b].kind == MOS_WL_CPU)
			pr->cpu += d;
		else
			pr->io += d;
	}
}

static void averages(mos_sched_report_t *rep)
{
	double n = (double)rep->nprocs, sum_x = 0, sum_x2 = 0;

	for (size_t i = 0; i < rep->nprocs; i++) {
		const mos_sched_proc_result_t *pr = &rep->procs[i];
		double x = pr->turnaround ? (double)pr->cpu / (double)pr->turnaround : 1;

		rep->avg_response += ticks(pr->response, rep->tick) / n;
		rep->avg_turnaround += ticks(pr->turnaround, rep->tick) / n;
		rep->avg_waiting += ticks(pr->waiting, rep->tick) / n;
		rep->deadline_misses += pr->deadline_misses;
		if (pr->finish > rep->makespan)
			rep->makespan = pr->finish;
		sum_x += x;
		sum_x2 += x * x;
	}
	rep->fairness = sum_x2 > 0 ? sum_x * sum_x / (n * sum_x2) : 1;
}

static int report(const run_t *r, const mos_kernel_t *k,
		  const mos_sched_params_t *pol, mos_sched_report_t **out)
{
	const mos_workload_t *w = r->w;
	mos_sched_report_t *rep = mos__calloc(&r->alloc, 1, sizeof(*rep));
	mos_kernel_stats_t st;

	if (!rep)
		return MOS_ENOMEM;
	rep->alloc = w->alloc;
	if (!(rep->procs = mos__calloc(&r->alloc, w->nprocs,
				       sizeof(*rep->procs)))) {
		mos_sched_report_free(rep);
		return MOS_ENOMEM;
	}
	memcpy(rep->policy, pol->policy, sizeof(rep->policy));
	memcpy(rep->workload, w->name, sizeof(rep->workload));
	rep->tick = w->tick;
	rep->nprocs = w->nprocs;
	for (size_t i = 0; i < w->nprocs; i++)
		totals(&rep->procs[i], &w->procs[i], w->tick);
	for (size_t i = 0; i < r->njobs; i++)
		fold(&rep->procs[r->jobs[i].entry], &w->procs[r->jobs[i].entry],
		     &r->jobs[i], w->tick);
	averages(rep);
	mos_kernel_stats(k, &st);
	rep->context_switches = st.context_switches;
	rep->busy = st.busy;
	rep->cpu_utilization = rep->makespan ? (double)st.busy / (double)rep->makespan : 0;
	rep->throughput = rep->makespan ? (double)r->njobs / ticks(rep->makespan, w->tick) : 0;
	rep->trace_hash = mos_trace_hash(k);
	rep->nslices = r->nslices;
	rep->slices_truncated = r->truncated;
	if (r->nslices && !(rep->slices = mos__malloc_array(&r->alloc, r->nslices,
							    sizeof(*rep->slices)))) {
		mos_sched_report_free(rep);
		return MOS_ENOMEM;
	}
	if (r->nslices)
		memcpy(rep->slices, r->slices, r->nslices * sizeof(*rep->slices));
	*out = rep;
	return 0;
}

void mos_sched_report_free(mos_sched_report_t *r)
{
	mos_allocator_t a;

	if (!r)
		return;
	a = mos__alloc_resolve(&r->alloc);
	mos__free(&a, r->procs);
	mos__free(&a, r->slices);
	mos__free(&a, r);
}
