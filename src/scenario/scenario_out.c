/*
 * src/scenario/scenario_out.c - a scenario's result as text (a timeline
 * then the report, for people) and as one JSON document (the same, for
 * programs; keys in a fixed order, integers only, so two runs of one
 * scenario give the same bytes).
 */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "scenario_int.h"

static void ms(mos_time_t t, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, t / MOS_MSEC,
		 (t % MOS_MSEC) / 1000);
}

/* A wait status in words: "exited 3", "killed SIGKILL", "-" (alive). */
static void status_words(mos_proc_state_t st, int s, char *buf, size_t len)
{
	if (st < MOS_STATE_TERMINATED)
		snprintf(buf, len, "-");
	else if (MOS_WIFEXITED(s))
		snprintf(buf, len, "exited %d", MOS_WEXITSTATUS(s));
	else
		snprintf(buf, len, "killed %s", mos_signal_name(MOS_WTERMSIG(s)));
}

int mos_scenario_write_text(const mos_scenario_result_t *r, FILE *out,
			    bool with_timeline)
{
	char t[4][32];

	if (!r || !out)
		return MOS_EINVAL;
	fprintf(out, "== scenario %s (seed %" PRIu64 ") ==\n",
		r->name[0] ? r->name : "(unnamed)", r->seed);
	if (r->interrupted) {
		ms(r->end, t[0], sizeof(t[0]));
		fprintf(out, "(ended early by the host at %s ms)\n", t[0]);
	}
	if (with_timeline) {
		fprintf(out, "\n== timeline (virtual time) ==\n");
		for (size_t i = 0; i < r->nevents; i++) {
			const mos_scenario_event_t *e = &r->events[i];

			ms(e->time, t[0], sizeof(t[0]));
			fprintf(out, "%12s ms  %-24s %-26s %s\n", t[0],
				e->subject, e->event, e->reason);
		}
	}
	if (r->nfaults) {
		fprintf(out, "\n== faults (drawn from the seed) ==\n");
		for (size_t i = 0; i < r->nfaults; i++) {
			const mos_scenario_fault_t *f = &r->faults[i];

			ms(f->time, t[0], sizeof(t[0]));
			fprintf(out, "%3u %12s ms  %-8s %s%s\n", f->ordinal,
				t[0], f->kind, f->target,
				f->kept ? "" : "  (left out)");
		}
	}
	fprintf(out, "\n== services ==\n%-16s %-10s %-10s %8s %9s %6s %13s "
		"%7s %6s %10s %10s %10s\n", "NAME", "STATE", "REASON",
		"RESTARTS", "LIVE/INST", "READY", "HEALTH-FAILS", "CALLS",
		"FAILED", "P50-MS", "P99-MS", "MAX-MS");
	for (size_t i = 0; i < r->nservices; i++) {
		const mos_scenario_service_report_t *s = &r->services[i];
		char li[24], hf[48];

		snprintf(li, sizeof(li), "%u/%u", s->live, s->instances);
		snprintf(hf, sizeof(hf), "%" PRIu64 "/%" PRIu64,
			 s->health_failures, s->health_checks);
		ms(s->latency_p50, t[0], sizeof(t[0]));
		ms(s->latency_p99, t[1], sizeof(t[1]));
		ms(s->latency_max, t[2], sizeof(t[2]));
		fprintf(out, "%-16s %-10s %-10s %8u %9s %6u %13s %7" PRIu64
			" %6" PRIu64 " %10s %10s %10s\n", s->name,
			mos_service_state_name(s->state),
			mos_svc_reason_name(s->reason), s->restarts, li,
			s->ready, hf, s->calls, s->calls_failed, t[0], t[1],
			t[2]);
		/* How the balancer spread the load. */
		if (s->instances > 1) {
			fputs("  calls per instance:", out);
			for (uint32_t j = 0; j < s->instances; j++)
				fprintf(out, " #%u %" PRIu64, j,
					s->instance_calls[j]);
			fputc('\n', out);
		}
	}
	fprintf(out, "\n== processes ==\n%6s  %-20s %-10s %-16s %12s\n", "PID",
		"NAME", "STATE", "EXIT", "CPU-MS");
	for (size_t i = 0; i < r->nprocs; i++) {
		const mos_scenario_proc_report_t *p = &r->procs[i];

		status_words(p->state, p->exit_status, t[0], sizeof(t[0]));
		ms(p->cpu, t[1], sizeof(t[1]));
		fprintf(out, "%6d  %-20s %-10s %-16s %12s\n", (int)p->pid,
			p->name, mos_state_name(p->state), t[0], t[1]);
	}
	ms(r->end, t[0], sizeof(t[0]));
	ms(r->stats.busy, t[1], sizeof(t[1]));
	fprintf(out, "\n== system ==\nend %s ms, %" PRIu64 " processes "
		"created, %" PRIu64 " exited, %" PRIu64 " context switches, "
		"%" PRIu64 " signals, %" PRIu64 " limit violations, CPU busy "
		"%s ms, memory peak %" PRIu64 " B, %u action(s) refused, "
		"trace hash %016" PRIx64 "\n", t[0],
		r->stats.processes_created, r->stats.processes_exited,
		r->stats.context_switches, r->stats.signals_sent,
		r->stats.limit_violations, t[1], r->stats.memory_peak,
		r->actions_failed, r->trace_hash);
	return ferror(out) ? MOS_EIO : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *jint(uint64_t v) { return json_integer((json_int_t)v); }

static json_t *timeline_json(const mos_scenario_result_t *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->nevents; i++) {
		const mos_scenario_event_t *e = &r->events[i];

		if (json_array_append_new(a, json_pack(
			    "{s:o, s:s, s:s, s:s}", "time_ns", jint(e->time),
			    "subject", e->subject, "event", e->event,
			    "reason", e->reason)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *services_json(const mos_scenario_result_t *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->nservices; i++) {
		const mos_scenario_service_report_t *s = &r->services[i];
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o, "
			"s:o, s:o, s:{s:o, s:o, s:o, s:o}}",
			"name", s->name, "state",
			mos_service_state_name(s->state), "reason",
			mos_svc_reason_name(s->reason), "restarts",
			(int)s->restarts, "instances", (int)s->instances,
			"live", (int)s->live, "ready", (int)s->ready,
			"in_rotation", (int)s->in_rotation,
			"last_exit_status", s->last_exit_status,
			"health_checks", jint(s->health_checks),
			"health_failures", jint(s->health_failures),
			"calls", jint(s->calls), "calls_failed",
			jint(s->calls_failed), "latency_ns", "p50",
			jint(s->latency_p50), "p90", jint(s->latency_p90),
			"p99", jint(s->latency_p99), "max",
			jint(s->latency_max));
		json_t *per = json_array();

		for (uint32_t j = 0; per && j < s->instances; j++)
			if (json_array_append_new(per,
						  jint(s->instance_calls[j])) < 0)
				json_decref(per), per = NULL;
		if (!o) {
			json_decref(per);
		} else if (json_object_set_new(o, "instance_calls", per) < 0) {
			json_decref(o);
			o = NULL;
		}
		if (json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *procs_json(const mos_scenario_result_t *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->nprocs; i++) {
		const mos_scenario_proc_report_t *p = &r->procs[i];
		char st[48];

		status_words(p->state, p->exit_status, st, sizeof(st));
		if (json_array_append_new(a, json_pack(
			    "{s:i, s:s, s:s, s:i, s:s, s:o, s:o, s:o}", "pid",
			    (int)p->pid, "name", p->name, "state",
			    mos_state_name(p->state), "exit_status",
			    p->exit_status, "exit", st, "cpu_ns",
			    jint(p->cpu), "start_ns", jint(p->start),
			    "end_ns", p->end == MOS_TIME_NEVER ? json_null()
							: jint(p->end))) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *stats_json(const mos_scenario_result_t *r)
{
	const mos_kernel_stats_t *s = &r->stats;

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:o, s:o, s:o}",
			 "processes_created", jint(s->processes_created),
			 "processes_exited", jint(s->processes_exited),
			 "dispatches", jint(s->dispatches),
			 "context_switches", jint(s->context_switches),
			 "preemptions", jint(s->preemptions),
			 "syscalls", jint(s->syscalls),
			 "busy_ns", jint(s->busy), "idle_ns", jint(s->idle),
			 "limit_violations", jint(s->limit_violations),
			 "memory_peak", jint(s->memory_peak),
			 "signals_sent", jint(s->signals_sent),
			 "signals_delivered", jint(s->signals_delivered),
			 "permission_denials", jint(s->permission_denials));
}

/* One column of the series: field f of every sample. */
#define SERIES(name, f)                                                    \
	do {                                                               \
		json_t *col = json_array();                                \
		for (size_t i = 0; col && i < r->nsamples; i++)            \
			if (json_array_append_new(col,                     \
				jint(r->samples[i].f)) < 0) {              \
				json_decref(col);                          \
				col = NULL;                                \
			}                                                  \
		if (json_object_set_new(o, name, col) < 0) {               \
			json_decref(o);                                    \
			return NULL;                                       \
		}                                                          \
	} while (0)

/* Columns, one array per series, all as long as time_ns. */
static json_t *series_json(const mos_scenario_result_t *r)
{
	json_t *o = json_pack("{s:o}", "interval_ns",
			      jint(r->sample_interval));

	if (!o)
		return NULL;
	SERIES("time_ns", time);
	SERIES("memory_bytes", memory);
	SERIES("cpu_permille", cpu_permille);
	SERIES("runnable", runnable);
	SERIES("processes", processes);
	SERIES("requests", requests);
	SERIES("requests_failed", requests_failed);
	SERIES("latency_p50_ns", latency_p50);
	SERIES("latency_max_ns", latency_max);
	return o;
}

#undef SERIES

static json_t *faults_json(const mos_scenario_result_t *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->nfaults; i++) {
		const mos_scenario_fault_t *f = &r->faults[i];

		if (json_array_append_new(a, json_pack(
			"{s:i, s:o, s:o, s:s, s:s, s:b}", "ordinal",
			(int)f->ordinal, "time_ns", jint(f->time), "until_ns",
			jint(f->until), "kind", f->kind, "target", f->target,
			"kept", f->kept)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *mos__sc_doc(const mos_scenario_result_t *r, bool with_timeline)
{
	char hash[24];
	json_t *doc;

	snprintf(hash, sizeof(hash), "%016" PRIx64, r->trace_hash);
	doc = json_pack("{s:s, s:o, s:o, s:s, s:i, s:b}", "scenario", r->name,
			"seed", jint(r->seed), "end_ns", jint(r->end),
			"trace_hash", hash, "actions_failed",
			(int)r->actions_failed, "interrupted", r->interrupted);
	if (!doc)
		return NULL;
	if ((with_timeline &&
	     json_object_set_new(doc, "timeline", timeline_json(r)) < 0) ||
	    json_object_set_new(doc, "services", services_json(r)) < 0 ||
	    json_object_set_new(doc, "processes", procs_json(r)) < 0 ||
	    json_object_set_new(doc, "stats", stats_json(r)) < 0 ||
	    json_object_set_new(doc, "series", series_json(r)) < 0 ||
	    (r->nfaults &&
	     json_object_set_new(doc, "faults", faults_json(r)) < 0)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int mos_scenario_write_json(const mos_scenario_result_t *r, FILE *out,
			    bool with_timeline)
{
	json_t *doc;
	int rc;

	if (!r || !out)
		return MOS_EINVAL;
	if (!(doc = mos__sc_doc(r, with_timeline)))
		return MOS_ENOMEM;
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || fputc('\n', out) == EOF || ferror(out))
		return MOS_EIO;
	return 0;
}
