/*
 * src/cli/sched.c - `multios sched`: run a workload under a policy and
 * report, as a table, JSON, a Gantt chart, a Chrome trace, or a comparison
 * of several policies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: multios sched WORKLOAD.json [--policy NAME] [--quantum N]\n"
	"                     [--json] [--gantt] [--trace FILE]\n"
	"                     [--compare NAME,NAME,...]\n"
	"\n"
	"Run a workload on the simulated kernel and report response,\n"
	"turnaround and waiting times, context switches, CPU utilization,\n"
	"throughput and deadline misses.  Times are in the workload's ticks.\n"
	"\n"
	"  --policy NAME     use this policy instead of the file's\n"
	"  --quantum N       time slice of N ticks (rr, lottery, stride, mlfq,\n"
	"                    multios)\n"
	"  --json            print exactly one JSON object\n"
	"  --gantt           draw the schedule as a text Gantt chart\n"
	"  --trace FILE      write the schedule as Chrome Trace Event JSON\n"
	"                    (opens in ui.perfetto.dev or chrome://tracing)\n"
	"  --compare LIST    run each policy in LIST and print one row each,\n"
	"                    with Jain's fairness index\n"
	"\n"
	"Policies: multios fifo sjf stcf rr priority mlfq cfs edf rm lottery\n"
	"stride (docs/SCHEDULERS.md).  Exit status: 0 ok, 1 error, 2 usage.\n";

typedef struct opts {
	const char *file, *policy, *trace, *compare;
	long quantum;
	int json, gantt;
} opts_t;

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("multios sched: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(try 'multios sched --help')\n", stderr);
	return 2;
}

static int parse(int argc, char **argv, opts_t *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 1;
		} else if (!strcmp(a, "--json")) {
			o->json = 1, takes = 0;
		} else if (!strcmp(a, "--gantt")) {
			o->gantt = 1, takes = 0;
		} else if (!strcmp(a, "--policy") && v) {
			o->policy = v;
		} else if (!strcmp(a, "--trace") && v) {
			o->trace = v;
		} else if (!strcmp(a, "--compare") && v) {
			o->compare = v;
		} else if (!strcmp(a, "--quantum") && v) {
			char *end;
			errno = 0;
			o->quantum = strtol(v, &end, 10);
			if (*end || end == v || errno || o->quantum <= 0)
				return bad_usage("--quantum wants a positive number of ticks, not '%s'", v);
		} else if (a[0] == '-') {
			return bad_usage("unknown option or missing value: '%s'", a);
		} else if (!o->file) {
			o->file = a, takes = 0;
		} else {
			return bad_usage("one workload file only ('%s')", a);
		}
		i += takes;
	}
	if (!o->file)
		return bad_usage("%s", "no workload file given");
	return 0;
}

static int set_policy(mos_sched_params_t *p, const char *name)
{
	for (const char *const *n = mos_sched_policies(); *n; n++) {
		if (!strcmp(*n, name)) {
			snprintf(p->policy, sizeof(p->policy), "%s", name);
			return 0;
		}
	}
	fprintf(stderr, "multios sched: unknown policy '%s' (known:", name);
	for (const char *const *n = mos_sched_policies(); *n; n++)
		fprintf(stderr, " %s", *n);
	fputs(")\n", stderr);
	return -1;
}

static double tk(mos_time_t t, mos_time_t tick) { return (double)t / (double)tick; }

static void table(const mos_sched_report_t *r)
{
	printf("workload %s, policy %s\n\n", r->workload, r->policy);
	printf("%-12s %8s %9s %8s %9s %11s %8s %7s\n", "NAME", "ARRIVAL",
	       "FIRST_RUN", "FINISH", "RESPONSE", "TURNAROUND", "WAITING",
	       "MISSES");
	for (size_t i = 0; i < r->nprocs; i++) {
		const mos_sched_proc_result_t *p = &r->procs[i];
		printf("%-12s %8g %9g %8g %9g %11g %8g %7llu\n", p->name,
		       tk(p->arrival, r->tick), tk(p->first_run, r->tick),
		       tk(p->finish, r->tick), tk(p->response, r->tick),
		       tk(p->turnaround, r->tick), tk(p->waiting, r->tick),
		       (unsigned long long)p->deadline_misses);
	}
	printf("\naverage response %.6g, turnaround %.6g, waiting %.6g\n",
	       r->avg_response, r->avg_turnaround, r->avg_waiting);
	printf("context switches %llu, CPU utilization %.1f%%, throughput "
	       "%.6g per tick, deadline misses %llu\n",
	       (unsigned long long)r->context_switches, 100 * r->cpu_utilization,
	       r->throughput, (unsigned long long)r->deadline_misses);
}

/* One column per tick, or per `scale` ticks for long schedules. */
static void gantt(const mos_sched_report_t *r)
{
	uint64_t span = (r->makespan + r->tick - 1) / r->tick;
	uint64_t scale = span > 100 ? (span + 99) / 100 : 1;
	size_t cols = (size_t)((span + scale - 1) / scale);
	char *row = malloc(cols + 1);

	if (!row)
		return;
	printf("\n%-12s 0%*s%llu ticks (1 column = %llu)\n", "",
	       (int)(cols > 1 ? cols - 1 : 0), "", (unsigned long long)span,
	       (unsigned long long)scale);
	for (size_t i = 0; i < r->nprocs; i++) {
		memset(row, ' ', cols);
		row[cols] = '\0';
		for (size_t c = 0; c < cols; c++) {
			mos_time_t t = (mos_time_t)c * scale * r->tick;
			if (t >= r->procs[i].arrival && t < r->procs[i].finish)
				row[c] = '.';
		}
		for (size_t s = 0; s < r->nslices; s++) {
			const mos_sched_slice_t *sl = &r->slices[s];
			if (sl->proc != i)
				continue;
			for (uint64_t t = sl->start / r->tick; t * r->tick < sl->end; t++)
				row[t / scale] = '#';
		}
		printf("%-12s|%s|\n", r->procs[i].name, row);
	}
	puts("('#' running, '.' waiting or in I/O)");
	free(row);
}

static int run_one(const mos_workload_t *w, const mos_sched_params_t *p,
		   mos_sched_report_t **r)
{
	mos_error_t err;
	int rc = mos_sched_run_workload(w, p, r, &err);

	if (rc < 0)
		fprintf(stderr, "multios sched: %s\n",
			err.code ? err.message : mos_strerror(rc));
	return rc;
}

static int write_trace(const mos_sched_report_t *r, const char *path)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "multios sched: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = mos_sched_report_write_trace(r, f);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "multios sched: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

static int compare(const mos_workload_t *w, const mos_sched_params_t *base,
		   const char *list)
{
	char *names = strdup(list), *save = NULL;
	int status = 0;

	if (!names)
		return 1;
	printf("workload %s\n\n%-10s %12s %14s %11s %9s %7s %9s\n", w->name,
	       "POLICY", "AVG_RESPONSE", "AVG_TURNAROUND", "AVG_WAITING",
	       "SWITCHES", "MISSES", "FAIRNESS");
	for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		mos_sched_params_t p = *base;
		mos_sched_report_t *r;

		if (set_policy(&p, n) < 0 || run_one(w, &p, &r) < 0) {
			status = 1;
			break;
		}
		printf("%-10s %12.6g %14.6g %11.6g %9llu %7llu %9.6f\n", n,
		       r->avg_response, r->avg_turnaround, r->avg_waiting,
		       (unsigned long long)r->context_switches,
		       (unsigned long long)r->deadline_misses, r->fairness);
		mos_sched_report_free(r);
	}
	free(names);
	return status;
}

static int with_workload(const opts_t *o, mos_workload_t *w)
{
	mos_sched_params_t p = w->policy;
	mos_sched_report_t *r;
	int status = 0;

	if (o->policy && set_policy(&p, o->policy) < 0)
		return 2;
	if (o->quantum)
		p.time_slice = (mos_time_t)o->quantum * w->tick;
	if (o->compare)
		return compare(w, &p, o->compare);
	if (run_one(w, &p, &r) < 0)
		return 1;
	if (o->json)
		status = mos_sched_report_write_json(r, stdout) < 0;
	else
		table(r);
	if (o->gantt && !o->json)
		gantt(r);
	if (o->trace && write_trace(r, o->trace) < 0)
		status = 1;
	mos_sched_report_free(r);
	return status;
}

int cli_sched(int argc, char **argv)
{
	mos_workload_t *w;
	mos_error_t err;
	opts_t o;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	if ((rc = mos_workload_load_json(o.file, &w, &err)) < 0) {
		fprintf(stderr, "multios sched: %s\n",
			err.code ? err.message : mos_strerror(rc));
		return 1;
	}
	rc = with_workload(&o, w);
	mos_workload_free(w);
	return rc;
}
