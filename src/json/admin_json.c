/*
 * src/json/admin_json.c - the admin module's snapshots as JSON
 * (multios/admin.h): overview, ps, top, the service tree and the admin
 * audit log as JSON lines, through the public API only.  The documents'
 * memory is jansson's and the C library's.
 */
#include <stdlib.h>

#include "chrome.h"
#include "multios/multios.h"

static json_t *u64(uint64_t v) { return json_integer((json_int_t)v); }

/* The rows of a snapshot call (ps, services) in a calloc'ed array. */
#define FETCH(call, type, rows, n)                                       \
	do {                                                             \
		int e_;                                                  \
		(rows) = NULL;                                           \
		if ((e_ = call(k, NULL, 0, &(n))) < 0)                   \
			return e_;                                       \
		if (!((rows) = calloc((n) ? (n) : 1, sizeof(type))))     \
			return MOS_ENOMEM;                               \
		if ((e_ = call(k, (rows), (n), &(n))) < 0) {             \
			free(rows);                                      \
			return e_;                                       \
		}                                                        \
	} while (0)

int mos_admin_overview_json(mos_kernel_t *k, FILE *out)
{
	mos_admin_overview_t o;
	json_t *root, *ps, *ss, *v;
	int err, bad;

	if (!k || !out)
		return MOS_EINVAL;
	if ((err = mos_admin_overview(k, &o)) < 0)
		return err;
	root = json_object();
	ps = json_object();
	ss = json_object();
	v = json_array();
	bad = !root || !ps || !ss || !v;
	for (int s = 0; s < MOS_STATE_COUNT && !bad; s++)
		bad |= mos__json_set(ps, mos_state_name((mos_proc_state_t)s),
				     u64(o.by_state[s]));
	for (int s = 0; s < MOS_SVC_STATE_COUNT && !bad; s++)
		bad |= mos__json_set(
			ss, mos_service_state_name((mos_service_state_t)s),
			u64(o.by_svc_state[s]));
	for (uint32_t i = 0; i < o.nviolations && !bad; i++) {
		const mos_admin_violation_t *x = &o.violations[i];
		json_t *e = json_pack("{s:I, s:i, s:I, s:I, s:I}", "t",
				      (json_int_t)x->time, "pid", (int)x->pid,
				      "resource", (json_int_t)x->resource,
				      "value", (json_int_t)x->value, "limit",
				      (json_int_t)x->limit);
		bad |= !e || json_array_append_new(v, e);
	}
	bad |= mos__json_set(root, "uptime_ns", u64(o.uptime));
	bad |= mos__json_set(root, "processes", u64(o.processes));
	bad |= mos__json_set(root, "process_states", json_incref(ps));
	bad |= mos__json_set(root, "services", u64(o.services));
	bad |= mos__json_set(root, "service_states", json_incref(ss));
	bad |= mos__json_set(root, "memory",
			     json_pack("{s:I, s:I, s:I}", "used",
				       (json_int_t)o.memory_used, "peak",
				       (json_int_t)o.memory_peak, "total",
				       (json_int_t)o.memory_total));
	bad |= mos__json_set(root, "cpu",
			     json_pack("{s:I, s:I}", "busy_ns",
				       (json_int_t)o.cpu_busy, "permille",
				       (json_int_t)o.cpu_permille));
	bad |= mos__json_set(root, "device",
			     json_pack("{s:I, s:I}", "io_requests",
				       (json_int_t)o.io_requests, "queue",
				       (json_int_t)o.device_queue));
	bad |= mos__json_set(root, "limit_violations", u64(o.limit_violations));
	bad |= mos__json_set(root, "oom_kills", u64(o.oom_kills));
	bad |= mos__json_set(root, "violations", json_incref(v));
	json_decref(ps);
	json_decref(ss);
	json_decref(v);
	if (bad) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	return mos__json_dump(root, out, JSON_COMPACT);
}

int mos_admin_ps_json(mos_kernel_t *k, FILE *out)
{
	mos_admin_ps_row_t *r;
	json_t *arr;
	size_t n;
	int bad;

	if (!k || !out)
		return MOS_EINVAL;
	FETCH(mos_admin_ps, mos_admin_ps_row_t, r, n);
	arr = json_array();
	bad = !arr;
	for (size_t i = 0; i < n && !bad; i++) {
		json_t *e = json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:I, "
			      "s:i, s:s}",
			      "pid", (int)r[i].pid, "ppid", (int)r[i].ppid,
			      "user", r[i].user, "state", mos_state_name(r[i].state),
			      "priority", mos_priority_name(r[i].priority),
			      "class", mos_class_name(r[i].prio_class),
			      "cpu_ns", (json_int_t)r[i].cpu, "memory",
			      (json_int_t)r[i].memory, "fds",
			      (json_int_t)r[i].fds, "oom_score_adj",
			      r[i].oom_score_adj, "command", r[i].command);
		bad |= !e || json_array_append_new(arr, e);
	}
	free(r);
	if (bad) {
		json_decref(arr);
		return MOS_ENOMEM;
	}
	return mos__json_dump(arr, out, JSON_COMPACT);
}

int mos_admin_top_json(mos_kernel_t *k, mos_admin_sort_t sort, FILE *out)
{
	mos_admin_top_row_t *r;
	mos_time_t since;
	json_t *root, *arr;
	size_t n;
	int err, bad;

	if (!k || !out || (unsigned)sort >= MOS_ADMIN_SORT_COUNT)
		return MOS_EINVAL;
	/* One call takes the sample: size the buffer for every process. */
	if ((err = mos_process_list(k, NULL, 0, &n)) < 0)
		return err;
	if (!(r = calloc(n + 1, sizeof(*r))))
		return MOS_ENOMEM;
	if ((err = mos_admin_top(k, sort, r, n + 1, &n, &since)) < 0) {
		free(r);
		return err;
	}
	arr = json_array();
	bad = !arr;
	for (size_t i = 0; i < n && !bad; i++) {
		json_t *e = json_pack(
			"{s:i, s:s, s:I, s:I, s:I, s:I, s:s}", "pid",
			(int)r[i].pid, "state", mos_state_name(r[i].state),
			"cpu_window_ns", (json_int_t)r[i].cpu_window,
			"cpu_permille", (json_int_t)r[i].cpu_permille, "cpu_ns",
			(json_int_t)r[i].cpu, "memory", (json_int_t)r[i].memory,
			"command", r[i].command);
		bad |= !e || json_array_append_new(arr, e);
	}
	free(r);
	root = bad ? NULL
		   : json_pack("{s:I, s:I, s:s, s:o}", "since_ns",
			       (json_int_t)since, "now_ns",
			       (json_int_t)mos_kernel_now(k), "sort",
			       sort == MOS_ADMIN_BY_CPU ? "cpu" : "memory",
			       "rows", arr);
	if (!root) {
		if (bad)
			json_decref(arr);
		return MOS_ENOMEM;
	}
	return mos__json_dump(root, out, JSON_COMPACT);
}

/* ---- the service tree --------------------------------------------------- */

typedef struct tree {
	const mos_admin_svc_row_t *r;
	size_t n;
	unsigned char *seen;
} tree_t;

static const mos_admin_svc_row_t *row_of(const tree_t *t, mos_service_id_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].id == id)
			return &t->r[i];
	return NULL;
}

/* s's node: the first time with its dependencies, later "repeated"
 * (each service is expanded once, so the tree is linear in edges). */
static json_t *node(tree_t *t, const mos_admin_svc_row_t *s)
{
	size_t at = (size_t)(s - t->r);
	json_t *o = json_pack("{s:s, s:s}", "name", s->name, "state",
			      mos_service_state_name(s->state));
	json_t *kids;
	int bad = !o;

	if (bad)
		return NULL;
	if (t->seen[at]) {
		bad |= mos__json_set(o, "repeated", json_true());
		return mos__json_built(o, bad);
	}
	t->seen[at] = 1;
	kids = json_array();
	bad |= !kids;
	for (size_t d = 0; d < s->ndeps && !bad; d++) {
		const mos_admin_svc_row_t *dep = row_of(t, s->deps[d]);
		json_t *c;

		if (!dep)
			continue;
		c = node(t, dep);
		bad |= !c || json_array_append_new(kids, c);
	}
	bad |= mos__json_set(o, "dependencies", kids);
	return mos__json_built(o, bad);
}

static json_t *service(const tree_t *t, const mos_admin_svc_row_t *s)
{
	json_t *deps = json_array();
	json_t *o;
	int bad = !deps;

	for (size_t d = 0; d < s->ndeps && !bad; d++) {
		const mos_admin_svc_row_t *dep = row_of(t, s->deps[d]);
		json_t *e = json_pack("{s:s, s:b}", "name",
				      dep ? dep->name : "?", "required",
				      s->required[d]);
		bad |= !e || json_array_append_new(deps, e);
	}
	if (bad) {
		json_decref(deps);
		return NULL;
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:b, s:o}",
		      "id", (json_int_t)s->id, "name", s->name, "type",
		      mos_service_type_name(s->type), "state",
		      mos_service_state_name(s->state), "since_ns",
		      (json_int_t)s->since, "reason",
		      mos_svc_reason_name(s->reason), "instances",
		      (json_int_t)s->ninstances, "restarts",
		      (json_int_t)s->restarts, "critical", s->critical, "dependencies",
		      deps);
	return o;
}

int mos_admin_services_json(mos_kernel_t *k, FILE *out)
{
	mos_admin_svc_row_t *r;
	unsigned char *needed;
	json_t *svcs, *roots;
	tree_t t;
	size_t n;
	int bad;

	if (!k || !out)
		return MOS_EINVAL;
	FETCH(mos_admin_services, mos_admin_svc_row_t, r, n);
	t = (tree_t){r, n, calloc(n + 1, 1)};
	needed = calloc(n + 1, 1);
	svcs = json_array();
	roots = json_array();
	bad = !t.seen || !needed || !svcs || !roots;
	for (size_t i = 0; i < n && !bad; i++) {
		json_t *e = service(&t, &r[i]);
		bad |= !e || json_array_append_new(svcs, e);
		for (size_t d = 0; d < r[i].ndeps; d++) {
			const mos_admin_svc_row_t *dep = row_of(&t, r[i].deps[d]);
			if (dep)
				needed[dep - r] = 1;
		}
	}
	for (size_t i = 0; i < n && !bad; i++) {
		json_t *e;

		if (needed[i])
			continue;
		e = node(&t, &r[i]);
		bad |= !e || json_array_append_new(roots, e);
	}
	free(t.seen);
	free(needed);
	free(r);
	if (bad) {
		json_decref(svcs);
		json_decref(roots);
		return MOS_ENOMEM;
	}
	return mos__json_dump(json_pack("{s:o, s:o}", "services", svcs, "tree",
					roots),
			      out, JSON_COMPACT);
}

int mos_admin_audit_jsonl(mos_kernel_t *k, FILE *out)
{
	mos_admin_audit_entry_t *e;
	size_t n;
	int err = 0;

	if (!k || !out)
		return MOS_EINVAL;
	FETCH(mos_admin_audit, mos_admin_audit_entry_t, e, n);
	for (size_t i = 0; i < n && !err; i++) {
		json_t *o = json_pack(
			"{s:I, s:I, s:i, s:I, s:s, s:i, s:I, s:s, s:I, s:s}",
			"seq", (json_int_t)e[i].seq, "t", (json_int_t)e[i].time,
			"actor", (int)e[i].actor, "uid", (json_int_t)e[i].uid,
			"op", mos_admin_op_name(e[i].op), "pid", (int)e[i].pid,
			"service", (json_int_t)e[i].service, "result",
			mos_err_name(e[i].result), "value",
			(json_int_t)e[i].value, "reason", e[i].reason);
		err = mos__json_dump(o, out, JSON_COMPACT);
	}
	free(e);
	return err;
}
