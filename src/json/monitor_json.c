/*
 * src/json/monitor_json.c - the monitoring rings as JSON
 * (mos_monitor_export_json, multios/resource.h), through the public API
 * only, as a host program would read them.
 */
#include <stdlib.h>

#include "chrome.h"
#include "multios/multios.h"

typedef struct out {
	mos_kernel_t *k;
	int bad;
} out_t;

static json_t *u64(uint64_t v) { return json_integer((json_int_t)v); }

static json_t *kernel_samples(out_t *o)
{
	mos_sample_kernel_t *s;
	json_t *a = json_array();
	size_t n;

	mos_monitor_samples_kernel(o->k, NULL, 0, &n);
	if (!a || !(s = calloc(n ? n : 1, sizeof(*s)))) {
		json_decref(a);
		return NULL;
	}
	mos_monitor_samples_kernel(o->k, s, n, &n);
	for (size_t i = 0; i < n && !o->bad; i++)
		o->bad |= json_array_append_new(
			a, json_pack("{s:I, s:I, s:I, s:I, s:I}", "t",
				     (json_int_t)s[i].time, "runnable",
				     (json_int_t)s[i].runnable, "processes",
				     (json_int_t)s[i].processes, "memory_used",
				     (json_int_t)s[i].memory_used,
				     "device_queue",
				     (json_int_t)s[i].device_queue));
	free(s);
	return a;
}

static json_t *group(out_t *o, const mos_group_info_t *g)
{
	mos_sample_group_t *s;
	json_t *e = json_object(), *a = json_array();
	size_t n;
	int bad = !e || !a;

	mos_monitor_samples_group(o->k, g->id, NULL, 0, &n);
	if (bad || !(s = calloc(n ? n : 1, sizeof(*s)))) {
		json_decref(a);
		json_decref(e);
		return NULL;
	}
	mos_monitor_samples_group(o->k, g->id, s, n, &n);
	for (size_t i = 0; i < n && !bad; i++)
		bad |= json_array_append_new(
			a, json_pack("{s:I, s:I, s:I, s:I, s:b, s:I}", "t",
				     (json_int_t)s[i].time, "memory",
				     (json_int_t)s[i].memory_current,
				     "cpu_usage", (json_int_t)s[i].cpu_usage,
				     "pids", (json_int_t)s[i].pids_current,
				     "throttled", (int)s[i].throttled,
				     "nr_throttled",
				     (json_int_t)s[i].nr_throttled));
	free(s);
	bad |= mos__json_set(e, "id", u64(g->id));
	bad |= mos__json_set(e, "name", json_string(g->name));
	bad |= mos__json_set(e, "samples", a);
	return mos__json_built(e, bad);
}

static json_t *groups(out_t *o)
{
	mos_group_info_t g;
	json_t *a = json_array();

	for (mos_group_id_t id = 0;
	     a && !o->bad && mos_group_get(o->k, id, &g) == 0; id++)
		o->bad |= json_array_append_new(a, group(o, &g));
	return a;
}

/* Process pid's entry, or a JSON null when it has no ring. */
static json_t *process(out_t *o, mos_pid_t pid)
{
	mos_sample_process_t *s;
	json_t *e, *a;
	size_t n;
	int bad;

	if (mos_monitor_samples_process(o->k, pid, NULL, 0, &n) < 0 || !n)
		return json_null();
	e = json_object();
	a = json_array();
	bad = !e || !a;
	if (bad || !(s = calloc(n, sizeof(*s)))) {
		json_decref(a);
		json_decref(e);
		return NULL;
	}
	mos_monitor_samples_process(o->k, pid, s, n, &n);
	for (size_t i = 0; i < n && !bad; i++)
		bad |= json_array_append_new(
			a, json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
				     "t", (json_int_t)s[i].time, "state",
				     mos_state_name(s[i].state), "cpu_user",
				     (json_int_t)s[i].cpu_user, "cpu_system",
				     (json_int_t)s[i].cpu_system, "memory",
				     (json_int_t)s[i].memory_current,
				     "read_bytes", (json_int_t)s[i].read_bytes,
				     "write_bytes",
				     (json_int_t)s[i].write_bytes, "fds_open",
				     (json_int_t)s[i].fds_open));
	free(s);
	bad |= mos__json_set(e, "pid", json_integer(pid));
	bad |= mos__json_set(e, "samples", a);
	return mos__json_built(e, bad);
}

static int cmp_pid(const void *a, const void *b)
{
	mos_pid_t x = *(const mos_pid_t *)a, y = *(const mos_pid_t *)b;

	return (x > y) - (x < y);
}

/* The live processes and those of the history, by pid, once each. */
static json_t *processes(out_t *o)
{
	json_t *a = json_array(), *e;
	mos_pid_t *pids;
	size_t nl, nh, n = 0;

	mos_process_list(o->k, NULL, 0, &nl);
	mos_process_history(o->k, NULL, 0, &nh);
	if (!a || !(pids = calloc(nl + nh + 1, sizeof(*pids)))) {
		json_decref(a);
		return NULL;
	}
	mos_process_list(o->k, pids, nl, &nl);
	mos_process_history(o->k, pids + nl, nh, &nh);
	qsort(pids, nl + nh, sizeof(*pids), cmp_pid);
	for (size_t i = 0; i < nl + nh; i++)
		if (!n || pids[n - 1] != pids[i])
			pids[n++] = pids[i];
	for (size_t i = 0; i < n && !o->bad; i++) {
		if (!(e = process(o, pids[i])))
			o->bad = 1;
		else if (json_is_null(e))
			json_decref(e);
		else
			o->bad |= json_array_append_new(a, e);
	}
	free(pids);
	return a;
}

int mos_monitor_export_json(mos_kernel_t *k, FILE *out)
{
	out_t o = {.k = k};
	mos_monitor_info_t info;
	json_t *root;

	if (!k || !out)
		return MOS_EINVAL;
	mos_monitor_get_info(k, &info);
	root = json_object();
	o.bad = !root;
	o.bad |= mos__json_set(root, "window_ns", u64(info.window));
	o.bad |= mos__json_set(root, "step_ns", u64(info.step));
	o.bad |= mos__json_set(root, "interval_ns", u64(info.interval));
	o.bad |= mos__json_set(root, "capacity", u64(info.capacity));
	o.bad |= mos__json_set(root, "samples", u64(info.samples));
	o.bad |= mos__json_set(root, "dropped", u64(info.dropped));
	o.bad |= mos__json_set(root, "alloc_failures",
			       u64(info.alloc_failures));
	o.bad |= mos__json_set(root, "kernel", kernel_samples(&o));
	o.bad |= mos__json_set(root, "groups", groups(&o));
	o.bad |= mos__json_set(root, "processes", processes(&o));
	if (o.bad) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	return mos__json_dump(root, out, JSON_COMPACT);
}
