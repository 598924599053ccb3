/*
 * src/workbench/workbench_report.c - writing a workbench report: the
 * `--json` object and Chrome Trace Event JSON, both through jansson.
 *
 * Times are written in ticks: an integer when the time is a whole number of
 * ticks (always, except under policies that slice finer, such as cfs), a
 * real otherwise.  Averages and ratios are reals rounded to 6 decimals, so
 * 11/3 prints as 3.666667 and 17 as 17.0.  The tick itself is given in
 * nanoseconds ("tick_ns"), and the trace hash as 16 hex digits in a
 * string: a JSON number cannot hold every uint64_t exactly.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>

#include "multios/multios.h"

static json_t *tick_value(mos_time_t t, mos_time_t tick)
{
	if (t % tick == 0)
		return json_integer((json_int_t)(t / tick));
	return json_real(round((double)t / (double)tick * 1e6) / 1e6);
}

static json_t *ratio(double v)
{
	return json_real(round(v * 1e6) / 1e6);
}

static int set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

/* o, or NULL (o freed) when one of its members could not be made. */
static json_t *built(json_t *o, int bad)
{
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *proc_json(const mos_sched_proc_result_t *p, mos_time_t tick)
{
	json_t *o = json_object();
	int bad = !o;

	bad |= set(o, "name", json_string(p->name));
	bad |= set(o, "arrival", tick_value(p->arrival, tick));
	bad |= set(o, "first_run", tick_value(p->first_run, tick));
	bad |= set(o, "finish", tick_value(p->finish, tick));
	bad |= set(o, "response", tick_value(p->response, tick));
	bad |= set(o, "turnaround", tick_value(p->turnaround, tick));
	bad |= set(o, "waiting", tick_value(p->waiting, tick));
	if (p->periodic) {
		bad |= set(o, "jobs", json_integer((json_int_t)p->jobs));
		bad |= set(o, "worst_response", tick_value(p->response, tick));
		bad |= set(o, "deadline_misses",
			   json_integer((json_int_t)p->deadline_misses));
	}
	return built(o, bad);
}

static json_t *hash_string(uint64_t h)
{
	char buf[17];

	snprintf(buf, sizeof(buf), "%016" PRIx64, h);
	return json_string(buf);
}

/* What a report is of, first in the JSON report and the trace's
 * otherData alike. */
static int identify(json_t *o, const mos_sched_report_t *r)
{
	int bad = 0;

	bad |= set(o, "workload", json_string(r->workload));
	bad |= set(o, "policy", json_string(r->policy));
	bad |= set(o, "tick_ns", json_integer((json_int_t)r->tick));
	bad |= set(o, "trace_hash", hash_string(r->trace_hash));
	bad |= set(o, "slices_truncated", json_boolean(r->slices_truncated));
	return bad;
}

static json_t *report_json(const mos_sched_report_t *r)
{
	json_t *o = json_object(), *procs = json_array();
	int bad = !o || !procs;

	for (size_t i = 0; !bad && i < r->nprocs; i++)
		bad |= json_array_append_new(procs, proc_json(&r->procs[i], r->tick));
	bad |= identify(o, r);
	bad |= set(o, "processes", procs);
	bad |= set(o, "avg_response", ratio(r->avg_response));
	bad |= set(o, "avg_turnaround", ratio(r->avg_turnaround));
	bad |= set(o, "avg_waiting", ratio(r->avg_waiting));
	bad |= set(o, "context_switches", json_integer((json_int_t)r->context_switches));
	bad |= set(o, "cpu_utilization", ratio(r->cpu_utilization));
	bad |= set(o, "throughput", ratio(r->throughput));
	bad |= set(o, "deadline_misses", json_integer((json_int_t)r->deadline_misses));
	bad |= set(o, "makespan", tick_value(r->makespan, r->tick));
	bad |= set(o, "fairness", ratio(r->fairness));
	return built(o, bad);
}

static int dump(json_t *o, FILE *out, size_t flags)
{
	int rc;

	if (!o)
		return MOS_ENOMEM;
	rc = json_dumpf(o, out, flags | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (rc < 0 || fputc('\n', out) == EOF || fflush(out) != 0)
		return MOS_EIO;
	return 0;
}

int mos_sched_report_write_json(const mos_sched_report_t *r, FILE *out)
{
	if (!r || !out)
		return MOS_EINVAL;
	return dump(report_json(r), out, JSON_INDENT(2));
}

/* Chrome Trace Event format: "X" complete events, ts/dur in microseconds;
 * "M" metadata events name each process's track; an "i" instant event
 * (global: every track) marks a point in time. */
static json_t *event(const char *ph, const char *name, int tid, double ts,
		     double dur)
{
	json_t *e = json_object();
	int bad = !e;

	bad |= set(e, "name", json_string(name));
	bad |= set(e, "ph", json_string(ph));
	bad |= set(e, "pid", json_integer(1));
	bad |= set(e, "tid", json_integer(tid));
	if (ph[0] != 'M')
		bad |= set(e, "ts", json_real(ts));
	if (ph[0] == 'X') {
		bad |= set(e, "dur", json_real(dur));
		bad |= set(e, "cat", json_string("cpu"));
	} else if (ph[0] == 'i') {
		bad |= set(e, "s", json_string("g"));
	}
	return built(e, bad);
}

static json_t *thread_name(const char *name, int tid)
{
	json_t *e = event("M", "thread_name", tid, 0, 0), *args = json_object();

	if (!e || !args || set(args, "name", json_string(name)) ||
	    set(e, "args", args)) {
		json_decref(e);
		return NULL;
	}
	return e;
}

/* Where the slice log stopped: at the end of the last slice kept, so the
 * viewer shows that what follows is missing. */
static json_t *truncated_mark(const mos_sched_report_t *r)
{
	mos_time_t end = r->nslices ? r->slices[r->nslices - 1].end : 0;

	return event("i", "slice log truncated: nothing after this point is "
		     "shown", 0, (double)end / 1e3, 0);
}

/* The format's free-form "otherData": what the trace is of. */
static json_t *other_data(const mos_sched_report_t *r)
{
	json_t *o = json_object();

	return built(o, !o || identify(o, r));
}

int mos_sched_report_write_trace(const mos_sched_report_t *r, FILE *out)
{
	json_t *root = json_object(), *evs = json_array();
	int bad = !root || !evs;

	if (!r || !out) {
		json_decref(root);
		json_decref(evs);
		return MOS_EINVAL;
	}
	for (size_t i = 0; !bad && i < r->nprocs; i++)
		bad |= json_array_append_new(evs, thread_name(r->procs[i].name,
							      (int)i + 1));
	for (size_t i = 0; !bad && i < r->nslices; i++) {
		const mos_sched_slice_t *s = &r->slices[i];
		bad |= json_array_append_new(
			evs, event("X", r->procs[s->proc].name, (int)s->proc + 1,
				   (double)s->start / 1e3,
				   (double)(s->end - s->start) / 1e3));
	}
	if (!bad && r->slices_truncated)
		bad |= json_array_append_new(evs, truncated_mark(r));
	bad |= set(root, "traceEvents", evs);
	bad |= set(root, "displayTimeUnit", json_string("ms"));
	bad |= set(root, "otherData", other_data(r));
	if (bad) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	return dump(root, out, JSON_COMPACT);
}
