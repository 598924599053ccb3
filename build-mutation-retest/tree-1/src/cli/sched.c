/*
 * src/cli/sched.c - `multios sched`: run a workload under one policy or
 * several and report, as a table, JSON, a Gantt chart or Chrome traces
 * (sched_out.c prints them).
 *
 * Everything that can be a usage error is checked before anything runs or
 * prints: an unknown policy, an option that means nothing for the
 * policies run.  No option is ignored silently.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: multios sched WORKLOAD.json [--policy NAME | --compare LIST]\n"
	"                     [--quantum N] [--seed N] [--json | --gantt]\n"
	"                     [--trace FILE]\n"
	"\n"
	"Run a workload on the simulated kernel and report response,\n"
	"turnaround and waiting times, context switches, CPU utilization,\n"
	"throughput, deadline misses, Jain's fairness index and the trace\n"
	"hash.  Times are in the workload's ticks.  The workload format is in\n"
	"docs/SCHEDULERS.md; examples/workloads/ has ready-made ones.\n"
	"\n"
	"  --policy NAME     use this policy instead of the file's\n"
	"  --compare LIST    run each policy of LIST (comma-separated, each\n"
	"                    once) and print one row each\n"
	"  --quantum N       time slice of N ticks (multios, rr, lottery,\n"
	"                    stride; mlfq when the file gives no quanta);\n"
	"                    refused when no policy run uses it\n"
	"  --seed N          seed of lottery's draws (0: the kernel's seed, 1);\n"
	"                    refused when no policy run is lottery\n"
	"  --json            print exactly one JSON document: the report, or\n"
	"                    with --compare {\"workload\", \"tick_ns\",\n"
	"                    \"results\": [one report per policy]}\n"
	"  --gantt           draw the schedule as a text Gantt chart (one per\n"
	"                    policy with --compare); not with --json\n"
	"  --trace FILE      write the schedule as Chrome Trace Event JSON\n"
	"                    (ui.perfetto.dev, chrome://tracing); with\n"
	"                    --compare, one file per policy with the policy\n"
	"                    before the extension: out.json -> out.rr.json\n"
	"\n"
	"Policies: multios fifo sjf stcf rr priority mlfq cfs edf rm lottery\n"
	"stride (docs/SCHEDULERS.md).\n"
	"Exit status: 0 ok; 1 a bad workload, a failed run or a failed write;\n"
	"2 a usage error (unknown option or policy, options that mean nothing\n"
	"together or for the policies run).\n";

typedef struct opts {
	const char *file, *policy, *trace, *compare;
	long long quantum;
	unsigned long long seed;
	int has_seed, json, gantt;
} opts_t;

/* The policies to run: names point into `list` (a copy of --compare) or
 * at the option or workload they came from. */
typedef struct plan {
	char *list;
	size_t n;
	const char *names[64];
} plan_t;

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("multios sched: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(try 'multios sched --help')\n", stderr);
	return 2;
}

/* A plain unsigned decimal: no sign, no blanks, no overflow. */
static int parse_u64(const char *opt, const char *v, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 10);
	if (*end || end == v || errno || v[0] < '0' || v[0] > '9') {
		fprintf(stderr, "multios sched: %s wants a whole number, not "
			"'%s'\n(try 'multios sched --help')\n", opt, v);
		return 2;
	}
	return 0;
}

static int parse(int argc, char **argv, opts_t *o)
{
	unsigned long long q;

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
			if (parse_u64(a, v, &q))
				return 2;
			if (q == 0 || q > 1000000000000ULL)
				return bad_usage("--quantum wants 1 to 10^12 "
						 "ticks, not '%s'", v);
			o->quantum = (long long)q;
		} else if (!strcmp(a, "--seed") && v) {
			if (parse_u64(a, v, &o->seed))
				return 2;
			o->has_seed = 1;
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
	if (o->policy && o->compare)
		return bad_usage("%s", "--policy and --compare exclude each other");
	if (o->json && o->gantt)
		return bad_usage("%s", "--gantt and --json exclude each other: "
				 "--json prints one JSON document (--trace FILE "
				 "has the schedule as data)");
	return 0;
}

static int known_policy(const char *name)
{
	for (const char *const *n = mos_sched_policies(); *n; n++)
		if (!strcmp(*n, name))
			return 1;
	fprintf(stderr, "multios sched: unknown policy '%s' (known:", name);
	for (const char *const *n = mos_sched_policies(); *n; n++)
		fprintf(stderr, " %s", *n);
	fputs(")\n", stderr);
	return 0;
}

/* Split and check --compare: at least one name, each known, none twice. */
static int plan_compare(plan_t *pl, const char *list)
{
	char *s = pl->list = strdup(list);

	if (!s)
		return 1;
	for (;;) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		if (!*s)
			return bad_usage("--compare '%s': an empty policy name "
					 "(give NAME,NAME,...)", list);
		if (!known_policy(s))
			return 2;
		for (size_t i = 0; i < pl->n; i++)
			if (!strcmp(pl->names[i], s))
				return bad_usage("--compare: policy '%s' given twice", s);
		if (pl->n == sizeof(pl->names) / sizeof(*pl->names))
			return bad_usage("--compare '%s': too many policies", list);
		pl->names[pl->n++] = s;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

static int uses_quantum(const char *name, const mos_sched_params_t *p)
{
	return !strcmp(name, "multios") || !strcmp(name, "rr") ||
	       !strcmp(name, "lottery") || !strcmp(name, "stride") ||
	       (!strcmp(name, "mlfq") && p->nquanta == 0);
}

/* --quantum and --seed must change something for at least one policy. */
static int check_meaning(const opts_t *o, const plan_t *pl,
			 const mos_sched_params_t *p)
{
	const char *list = o->compare ? o->compare : pl->names[0];
	int quantum = 0, seed = 0;

	for (size_t i = 0; i < pl->n; i++) {
		quantum |= uses_quantum(pl->names[i], p);
		seed |= !strcmp(pl->names[i], "lottery");
	}
	if (o->quantum && !quantum)
		return bad_usage("--quantum means nothing here: no policy run "
				 "uses a quantum (%s)", list);
	if (o->has_seed && !seed)
		return bad_usage("--seed means nothing here: only lottery draws "
				 "random numbers, and it is not run (%s)", list);
	return 0;
}

static int run_one(const mos_workload_t *w, const mos_sched_params_t *p,
		   mos_sched_report_t **r)
{
	mos_error_t err;
	int rc = mos_sched_run_workload(w, p, r, &err);

	if (rc < 0)
		fprintf(stderr, "multios sched: %s: %s\n", p->policy,
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

/* "out.json" -> "out.rr.json"; "dir.d/trace" -> "dir.d/trace.rr"; a
 * leading dot ("dir/.t") is not an extension. */
static int write_trace_as(const mos_sched_report_t *r, const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - path) : strlen(path);
	size_t len = strlen(path) + strlen(r->policy) + 2;
	char *name = malloc(len);
	int rc;

	if (!name)
		return -1;
	snprintf(name, len, "%.*s.%s%s", (int)stem, path, r->policy, path + stem);
	rc = write_trace(r, name);
	free(name);
	return rc;
}

static int output(const opts_t *o, const mos_workload_t *w,
		  mos_sched_report_t *const *r, size_t n)
{
	int status = 0;

	if (o->compare && o->json)
		status |= cli_sched_compare_json(w, r, n, stdout) < 0;
	else if (o->compare)
		cli_sched_compare_table(w, r, n, stdout);
	else if (o->json)
		status |= mos_sched_report_write_json(r[0], stdout) < 0;
	else
		cli_sched_table(r[0], stdout);
	for (size_t i = 0; o->gantt && i < n; i++)
		cli_sched_gantt(r[i], stdout);
	for (size_t i = 0; o->trace && i < n; i++)
		status |= (o->compare ? write_trace_as(r[i], o->trace)
				      : write_trace(r[i], o->trace)) < 0;
	return status;
}

static int with_workload(const opts_t *o, plan_t *pl, const mos_workload_t *w)
{
	mos_sched_params_t p = w->policy;
	mos_sched_report_t *r[sizeof(pl->names) / sizeof(*pl->names)];
	size_t done = 0;
	int status;

	if (!pl->n)
		pl->names[pl->n++] = o->policy ? o->policy : w->policy.policy;
	if ((status = check_meaning(o, pl, &p)) != 0)
		return status;
	if (o->quantum && (uint64_t)o->quantum > MOS_TIME_NEVER / 2 / w->tick)
		return bad_usage("--quantum: %s ticks do not fit in the clock",
				 "that many");
	if (o->quantum)
		p.time_slice = (mos_time_t)o->quantum * w->tick;
	if (o->has_seed)
		p.seed = o->seed;
	for (; done < pl->n; done++) {
		snprintf(p.policy, sizeof(p.policy), "%s", pl->names[done]);
		if (run_one(w, &p, &r[done]) < 0)
			break;
	}
	status = done < pl->n ? 1 : output(o, w, r, done);
	while (done)
		mos_sched_report_free(r[--done]);
	return status;
}

int cli_sched(int argc, char **argv)
{
	mos_workload_t *w;
	mos_error_t err;
	plan_t pl = {NULL, 0, {NULL}};
	opts_t o;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (o.compare)
		rc = plan_compare(&pl, o.compare);
	else if (o.policy && !known_policy(o.policy))
		rc = 2;
	if (rc == 0 && (rc = mos_workload_load_json(o.file, &w, &err)) < 0) {
		fprintf(stderr, "multios sched: %s\n",
			err.code ? err.message : mos_strerror(rc));
		rc = 1;
	} else if (rc == 0) {
		rc = with_workload(&o, &pl, w);
		mos_workload_free(w);
	}
	free(pl.list);
	return rc;
}
