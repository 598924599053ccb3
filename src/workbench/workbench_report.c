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

#include "json/chrome.h"
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

static json_t *proc_json(const mos_sched_proc_result_t *p, mos_time_t tick)
{
	json_t *o = json_object();
	int bad = !o;

	bad |= mos__json_set(o, "name", json_string(p->name));
	bad |= mos__json_set(o, "arrival", tick_value(p->arrival, tick));
	bad |= mos__json_set(o, "first_run", tick_value(p->first_run, tick));
	bad |= mos__json_set(o, "finish", tick_value(p->finish, tick));
	bad |= mos__json_set(o, "response", tick_value(p->response, tick));
	bad |= mos__json_set(o, "turnaround", tick_value(p->turnaround, tick));
	bad |= mos__json_set(o, "waiting", tick_value(p->waiting, tick));
	if (p->periodic) {
		bad |= mos__json_set(o, "jobs", json_integer((json_int_t)p->jobs));
		bad |= mos__json_set(o, "worst_response", tick_value(p->response, tick));
		bad |= mos__json_set(o, "deadline_misses",
			   json_integer((json_int_t)p->deadline_misses));
	}
	return mos__json_built(o, bad);
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

	bad |= mos__json_set(o, "workload", json_string(r->workload));
	bad |= mos__json_set(o, "policy", json_string(r->policy));
	bad |= mos__json_set(o, "tick_ns", json_integer((json_int_t)r->tick));
	bad |= mos__json_set(o, "trace_hash", hash_string(r->trace_hash));
	bad |= mos__json_set(o, "slices_truncated", json_boolean(r->slices_truncated));
	return bad;
}

static json_t *report_json(const mos_sched_report_t *r)
{
	json_t *o = json_object(), *procs = json_array();
	int bad = !o || !procs;

	for (size_t i = 0; !bad && i < r->nprocs; i++)
		bad |= json_array_append_new(procs, proc_json(&r->procs[i], r->tick));
	bad |= identify(o, r);
	bad |= mos__json_set(o, "processes", procs);
	bad |= mos__json_set(o, "avg_response", ratio(r->avg_response));
	bad |= mos__json_set(o, "avg_turnaround", ratio(r->avg_turnaround));
	bad |= mos__json_set(o, "avg_waiting", ratio(r->avg_waiting));
	bad |= mos__json_set(o, "context_switches", json_integer((json_int_t)r->context_switches));
	bad |= mos__json_set(o, "cpu_utilization", ratio(r->cpu_utilization));
	bad |= mos__json_set(o, "throughput", ratio(r->throughput));
	bad |= mos__json_set(o, "deadline_misses", json_integer((json_int_t)r->deadline_misses));
	bad |= mos__json_set(o, "makespan", tick_value(r->makespan, r->tick));
	bad |= mos__json_set(o, "fairness", ratio(r->fairness));
	return mos__json_built(o, bad);
}

int mos_sched_report_write_json(const mos_sched_report_t *r, FILE *out)
{
	if (!r || !out)
		return MOS_EINVAL;
	return mos__json_dump(report_json(r), out, JSON_INDENT(2));
}

/* Chrome Trace Event format (src/json/chrome.h): "X" complete events,
 * ts/dur in microseconds; "M" metadata events name each process's track;
 * a global "i" instant event marks a point in time. */
static json_t *event(const char *ph, const char *name, int tid, double ts,
		     double dur)
{
	json_t *e = mos__chrome_event(ph, name, tid, ts, dur);

	if (e && ph[0] == 'i' && mos__json_set(e, "s", json_string("g"))) {
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

	return mos__json_built(o, !o || identify(o, r));
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
		bad |= json_array_append_new(evs, mos__chrome_thread_name(r->procs[i].name,
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
	bad |= mos__json_set(root, "traceEvents", evs);
	bad |= mos__json_set(root, "displayTimeUnit", json_string("ms"));
	bad |= mos__json_set(root, "otherData", other_data(r));
	if (bad) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	return mos__json_dump(root, out, JSON_COMPACT);
}
