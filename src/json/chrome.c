/*
 * src/json/chrome.c - Chrome Trace Event JSON: the building blocks, and the
 * kernel-level export of the typed trace (mos_trace_write_chrome).
 *
 * The export reads the kernel through its public API only (the trace
 * ring, labels, process queries), so it sees what a host program would.
 * Each process gets a track (tid = pid) named "argv0 (pid N)"; a stretch
 * of Running becomes an "X" event; signals, marks and limits become "i"
 * events on the track of their process, and service states, audit
 * entries and timers on track 0, "kernel" (scope "t"); the number of runnable processes (Ready or
 * Running) is a counter track updated at every transition that changes
 * it, and every counter sample a counter track of its own, as are the
 * monitor's kernel samples ("sampled runnable", "memory used", "device
 * queue", multios/resource.h).  A run still
 * going ends at the kernel's current time.  When the ring has overwritten
 * older events, the runnable count starts from its value at the oldest
 * event held (the count now, less what the events held changed), and a
 * process running then shows its run from there.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include "chrome.h"
#include "multios/multios.h"

int mos__json_set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

json_t *mos__json_built(json_t *o, int bad)
{
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int mos__json_dump(json_t *o, FILE *out, size_t flags)
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

/*
 * A JSON string of s, which may not be UTF-8: a label or a program name is
 * any bytes, and jansson refuses what is not UTF-8 as if out of memory.
 * Then every byte above ASCII becomes '?'.  NULL only when out of memory.
 */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	char buf[256];
	size_t i;

	if (j)
		return j;
	for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

json_t *mos__chrome_event(const char *ph, const char *name, int tid,
			  double ts, double dur)
{
	json_t *e = json_object();
	int bad = !e;

	bad |= mos__json_set(e, "name", text(name));
	bad |= mos__json_set(e, "ph", json_string(ph));
	bad |= mos__json_set(e, "pid", json_integer(1));
	bad |= mos__json_set(e, "tid", json_integer(tid));
	if (ph[0] != 'M')
		bad |= mos__json_set(e, "ts", json_real(ts));
	if (ph[0] == 'X') {
		bad |= mos__json_set(e, "dur", json_real(dur));
		bad |= mos__json_set(e, "cat", json_string("cpu"));
	}
	return mos__json_built(e, bad);
}

/* e with "args": {key: v}; e and v are stolen, NULL on failure. */
static json_t *with_args(json_t *e, const char *key, json_t *v)
{
	json_t *args = json_object();

	/* json_object_set_new takes its value even when it fails. */
	if (!e || !args || mos__json_set(args, key, v)) {
		if (!args)
			json_decref(v);
		json_decref(args);
		json_decref(e);
		return NULL;
	}
	return mos__json_built(e, mos__json_set(e, "args", args));
}

json_t *mos__chrome_thread_name(const char *name, int tid)
{
	return with_args(mos__chrome_event("M", "thread_name", tid, 0, 0),
			 "name", text(name));
}

/* ---- the kernel's trace --------------------------------------------------- */

/* Where the export stands: one open run per process, by pid. */
typedef struct track {
	mos_pid_t pid;
	mos_time_t run_start;  /* MOS_TIME_NEVER: not running */
	bool seen;             /* a transition of it was met */
} track_t;

typedef struct writer {
	mos_kernel_t *k;
	json_t *evs;
	track_t *tracks;       /* sorted by pid */
	size_t ntracks;
	long runnable;
	bool wrapped;          /* the ring lost older events */
	mos_time_t t0;         /* the oldest event's time */
	mos_pid_t running;     /* the process Running now, or 0 */
	int bad;
} writer_t;

static double usec(mos_time_t t) { return (double)t / 1e3; }

static int cmp_track(const void *a, const void *b)
{
	mos_pid_t x = ((const track_t *)a)->pid, y = ((const track_t *)b)->pid;
	return (x > y) - (x < y);
}

static track_t *track_of(writer_t *w, mos_pid_t pid)
{
	track_t key = {pid, 0, false};

	return bsearch(&key, w->tracks, w->ntracks, sizeof(key), cmp_track);
}

static void add(writer_t *w, json_t *e)
{
	w->bad |= json_array_append_new(w->evs, e);
}

static void name_track(writer_t *w, mos_pid_t pid)
{
	mos_process_info_t info;
	char name[96];

	if (pid == 0)
		snprintf(name, sizeof(name), "kernel");
	else if (mos_process_get_info(w->k, pid, &info) == 0 && info.argc > 0)
		snprintf(name, sizeof(name), "%s (pid %d)", info.command[0], pid);
	else
		snprintf(name, sizeof(name), "pid %d", pid);
	add(w, mos__chrome_thread_name(name, pid));
}

/* Whether an event of this kind is about a process (its subject a pid). */
static bool about_a_process(uint8_t kind)
{
	return kind == MOS_TRACE_PROC || kind == MOS_TRACE_SIGNAL ||
	       kind == MOS_TRACE_LIMIT || kind == MOS_TRACE_MARK ||
	       kind == MOS_TRACE_IO || kind == MOS_TRACE_IPC ||
	       kind == MOS_TRACE_CALL;
}

static int track_id(const mos_trace_event_t *ev)
{
	return about_a_process(ev->kind) ? ev->subject : 0;
}

/* The tracks of every process the ring mentions, in pid order, and the
 * kernel's own (0) when something goes there. */
static int collect_tracks(writer_t *w, size_t n)
{
	mos_trace_event_t ev = {0}; /* LTO cannot see the ring read set it */
	size_t m = 0;

	if (!(w->tracks = calloc(n + 1, sizeof(*w->tracks))))
		return MOS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		mos_trace_get(w->k, i, &ev, NULL);
		if (ev.kind != MOS_TRACE_COUNTER)
			w->tracks[m++] = (track_t){track_id(&ev), MOS_TIME_NEVER,
						   false};
	}
	/* It may have run since before the oldest event, with none held. */
	if (w->wrapped && w->running)
		w->tracks[m++] = (track_t){w->running, MOS_TIME_NEVER, false};
	qsort(w->tracks, m, sizeof(*w->tracks), cmp_track);
	w->ntracks = 0;
	for (size_t i = 0; i < m; i++) {
		if (!w->ntracks || w->tracks[w->ntracks - 1].pid != w->tracks[i].pid)
			w->tracks[w->ntracks++] = w->tracks[i];
	}
	for (size_t i = 0; i < w->ntracks; i++)
		name_track(w, w->tracks[i].pid);
	return 0;
}

static void counter(writer_t *w, const char *name, mos_time_t t, double v)
{
	add(w, with_args(mos__chrome_event("C", name, 0, usec(t), 0), "value",
			 json_real(v)));
}

static void end_run(writer_t *w, track_t *tr, mos_time_t t)
{
	char name[32];

	if (tr->run_start == MOS_TIME_NEVER)
		return;
	snprintf(name, sizeof(name), "run pid %d", tr->pid);
	add(w, mos__chrome_event("X", name, tr->pid, usec(tr->run_start),
				 usec(t - tr->run_start)));
	tr->run_start = MOS_TIME_NEVER;
}

static bool is_runnable(uint64_t s)
{
	return s == MOS_STATE_READY || s == MOS_STATE_RUNNING;
}

static long delta(const mos_trace_event_t *ev)
{
	return (long)is_runnable(ev->b) - (long)is_runnable(ev->a);
}

/*
 * When the ring has lost older events, the runnable count at its oldest
 * event is not 0: it is the count now less what the events held changed.
 * Also finds the process Running now.
 */
static int ring_start(writer_t *w, size_t n)
{
	mos_trace_event_t ev = {0}; /* LTO cannot see the ring read set it */
	mos_process_info_t info;
	mos_pid_t *pids;
	size_t count;
	long now = 0, d = 0;

	if (mos_process_list(w->k, NULL, 0, &count) < 0 ||
	    !(pids = calloc(count ? count : 1, sizeof(*pids))))
		return MOS_ENOMEM;
	mos_process_list(w->k, pids, count, &count);
	for (size_t i = 0; i < count; i++) {
		if (mos_process_get_info(w->k, pids[i], &info) < 0)
			continue;
		now += is_runnable(info.state);
		if (info.state == MOS_STATE_RUNNING)
			w->running = pids[i];
	}
	free(pids);
	for (size_t i = 0; i < n; i++) {
		mos_trace_get(w->k, i, &ev, NULL);
		if (ev.kind == MOS_TRACE_PROC)
			d += delta(&ev);
	}
	w->runnable = now - d;
	return 0;
}

static void transition(writer_t *w, const mos_trace_event_t *ev)
{
	track_t *tr = track_of(w, ev->subject);
	long d = delta(ev);

	/* Running when the ring begins: its run shows from there. */
	if (w->wrapped && !tr->seen && ev->a == MOS_STATE_RUNNING)
		tr->run_start = w->t0;
	tr->seen = true;
	if (ev->a == MOS_STATE_RUNNING)
		end_run(w, tr, ev->time);
	if (ev->b == MOS_STATE_RUNNING)
		tr->run_start = ev->time;
	if (d) {
		w->runnable += d;
		counter(w, "runnable", ev->time, (double)w->runnable);
	}
}

static void instant(writer_t *w, const mos_trace_event_t *ev)
{
	const char *kind = mos_trace_kind_name((mos_trace_kind_t)ev->kind);
	const char *label = NULL;
	char name[MOS_TRACE_LABEL_LEN + 32];
	json_t *e, *args;

	if (ev->kind == MOS_TRACE_MARK && ev->a <= UINT32_MAX)
		label = mos_trace_label_name(w->k, (uint32_t)ev->a);
	if (label)
		snprintf(name, sizeof(name), "%s", label);
	else
		snprintf(name, sizeof(name), "%s %u", kind, ev->cause);
	e = mos__chrome_event("i", name, track_id(ev), usec(ev->time), 0);
	args = json_pack("{s:s, s:i, s:i, s:I, s:I}", "kind", kind, "subject",
			 (int)ev->subject, "cause", (int)ev->cause, "a",
			 (json_int_t)ev->a, "b", (json_int_t)ev->b);
	if (!e || !args || mos__json_set(e, "s", json_string("t"))) {
		json_decref(args);
		json_decref(e);
		w->bad = 1;
		return;
	}
	add(w, mos__json_built(e, mos__json_set(e, "args", args)));
}

/* The monitor's kernel samples (multios/resource.h), as counter tracks
 * of their own: "runnable" is the exact track of the transitions. */
static void sample_counters(writer_t *w)
{
	mos_sample_kernel_t *s;
	size_t n;

	mos_monitor_samples_kernel(w->k, NULL, 0, &n);
	if (!n)
		return;
	if (!(s = calloc(n, sizeof(*s)))) {
		w->bad = 1;
		return;
	}
	mos_monitor_samples_kernel(w->k, s, n, &n);
	for (size_t i = 0; i < n && !w->bad; i++) {
		counter(w, "sampled runnable", s[i].time, (double)s[i].runnable);
		counter(w, "memory used", s[i].time, (double)s[i].memory_used);
		counter(w, "device queue", s[i].time, (double)s[i].device_queue);
	}
	free(s);
}

int mos_trace_write_chrome(mos_kernel_t *k, FILE *out)
{
	writer_t w = {.k = k};
	mos_trace_event_t ev = {0};
	json_t *root;
	size_t n = 0;
	int err;

	if (!k || !out)
		return MOS_EINVAL;
	mos_trace_get(k, 0, NULL, &n);
	if (n && mos_trace_total(k) > n) {
		w.wrapped = true;
		mos_trace_get(k, 0, &ev, NULL);
		w.t0 = ev.time;
	}
	root = json_object();
	w.evs = json_array();
	if (!root || !w.evs || (w.wrapped && (err = ring_start(&w, n)) < 0) ||
	    (err = collect_tracks(&w, n)) < 0) {
		json_decref(root);
		json_decref(w.evs);
		free(w.tracks);
		return MOS_ENOMEM;
	}
	if (w.wrapped)
		counter(&w, "runnable", w.t0, (double)w.runnable);
	for (size_t i = 0; i < n && !w.bad; i++) {
		const char *label;

		mos_trace_get(k, i, &ev, NULL);
		switch (ev.kind) {
		case MOS_TRACE_PROC:
			transition(&w, &ev);
			break;
		case MOS_TRACE_COUNTER:
			label = mos_trace_label_name(k, (uint32_t)ev.subject);
			counter(&w, label ? label : "counter", ev.time,
				(double)ev.a);
			break;
		default:
			instant(&w, &ev);
			break;
		}
	}
	for (size_t i = 0; i < w.ntracks; i++) {
		track_t *tr = &w.tracks[i];

		if (w.wrapped && !tr->seen && tr->pid == w.running)
			tr->run_start = w.t0;
		end_run(&w, tr, mos_kernel_now(k));
	}
	sample_counters(&w);
	free(w.tracks);
	w.bad |= mos__json_set(root, "traceEvents", w.evs);
	w.bad |= mos__json_set(root, "displayTimeUnit", json_string("ms"));
	if (w.bad) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	return mos__json_dump(root, out, JSON_COMPACT);
}
