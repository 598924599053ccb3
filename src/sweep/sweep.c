/*
 * src/sweep/sweep.c - parameter sweeps: the spec loader, the expansion of
 * run numbers into parameters, and one run reduced to a JSON line.
 *
 * src/sweep/ owns sweeps (multios/sweep.h): this file and the table that
 * merges run lines (sweep_table.c).  It is a client of the public API (the
 * workbench and scenarios run the items) and walks JSON with the shared
 * reader (src/json/jsonload.h) for its paths in errors.
 *
 * Run order: i = ((file * P + policy) * Q + quantum) * S + seed for
 * workloads, ((file * S + seed) * U + until) for scenarios, an absent axis
 * counting as one value (the file's own).  The last axis varies fastest,
 * whatever the order of the keys in the spec.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json/jsonload.h"
#include "multios/multios.h"
#include "multios/sweep.h"
#include "util/error_int.h"

typedef enum kind { WORKLOADS, SCENARIOS } kind_t;

struct mos_sweep {
	char name[128];
	kind_t kind;
	size_t nfiles, count;
	char **paths;                 /* as written in the spec */
	mos_workload_t **wl;          /* kind WORKLOADS */
	mos_scenario_t **sc;          /* kind SCENARIOS */
	/* Axes; n == 0: absent (the file's own value). */
	size_t npolicy, nquantum, nseed, nuntil;
	char (*policy)[MOS_POLICY_NAME_LEN];
	uint64_t *quantum;            /* ticks */
	uint64_t *seed;
	mos_time_t *until;
	size_t nmetric;               /* 0: all of the kind's metrics */
	const char **metric;          /* names, borrowed from the tables */
};

/* The metrics of each kind of run, in the order the lines hold them.
 * The workbench's are taken from the report's own JSON, so that the
 * numbers are rounded exactly as `multios sched --json` rounds them. */
static const char *const wl_metrics[] = {
	"avg_response", "avg_turnaround", "avg_waiting", "context_switches",
	"cpu_utilization", "throughput", "deadline_misses", "makespan",
	"fairness", "trace_hash", NULL};
static const char *const sc_metrics[] = {
	"end_ns", "processes_created", "context_switches", "busy_ns",
	"restarts", "calls", "calls_failed", "latency_p99_max_ns",
	"actions_failed", "trace_hash", NULL};

static const char *const top_keys[] = {"name", "workloads", "scenarios",
				       "grid", "metrics", NULL};
static const char *const wl_grid_keys[] = {"policy", "quantum", "seed", NULL};
static const char *const sc_grid_keys[] = {"seed", "until", NULL};

static size_t axis(size_t n)
{
	return n ? n : 1;
}

/* Every axis value read through one callback; the sweep is the ctx. */
static int read_policy(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sweep_t *sw = ctx;
	const char *s = json_string_value(v);

	if (!s)
		return mos__json_fail(ld, MOS_ECONFIG, "expected a policy name");
	for (const char *const *n = mos_sched_policies(); *n; n++)
		if (!strcmp(*n, s)) {
			snprintf(sw->policy[i], sizeof(sw->policy[i]), "%s", s);
			return 0;
		}
	return mos__json_fail(ld, MOS_ECONFIG, "unknown policy '%.64s'", s);
}

static int read_quantum(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sweep_t *sw = ctx;
	uint64_t q = 0;
	int rc = mos__json_get_u64(ld, v, NULL, &q);

	if (rc)
		return rc;
	if (q == 0 || q > 1000000000000ULL)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must be between 1 and 10^12 ticks");
	sw->quantum[i] = q;
	return 0;
}

static int read_seed(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	return mos__json_get_u64(ld, v, NULL, &((mos_sweep_t *)ctx)->seed[i]);
}

static int read_until(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sweep_t *sw = ctx;

	const char *s = json_string_value(v);

	if (json_is_number(v))
		return mos__json_get_duration_ms(ld, v, NULL, &sw->until[i]);
	if (s && !strcmp(s, "max")) {
		sw->until[i] = MOS_TIME_NEVER;
		return 0;
	}
	if (s && mos_duration_parse(s, &sw->until[i]) == 0)
		return 0;
	return mos__json_fail(ld, MOS_ECONFIG, "expected a duration "
			      "(milliseconds, \"2.5s\" or \"max\")");
}

static int read_metric(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sweep_t *sw = ctx;
	const char *const *known = sw->kind == WORKLOADS ? wl_metrics
							  : sc_metrics;
	const char *s = json_string_value(v);

	for (const char *const *k = known; s && *k; k++)
		if (!strcmp(*k, s)) {
			sw->metric[i] = *k;
			return 0;
		}
	return mos__json_fail(ld, MOS_ECONFIG, "expected a metric of %s "
			      "(docs/SWEEPS.md)", sw->kind == WORKLOADS ?
			      "a workload run" : "a scenario run");
}

static int check_unique(mos_jload_t *ld, json_t *arr)
{
	for (size_t i = 0; i < json_array_size(arr); i++)
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(arr, i),
				       json_array_get(arr, j))) {
				mos__jpath_push_index(&ld->path, i);
				return mos__json_fail(ld, MOS_ECONFIG,
						      "repeats [%zu]", j);
			}
	return 0;
}

/* {"from": F, "count": C}: the seeds F .. F+C-1. */
static int read_seed_range(mos_jload_t *ld, json_t *o, mos_sweep_t *sw)
{
	static const char *const keys[] = {"from", "count", NULL};
	uint64_t from = 0;
	uint32_t count = 0;
	int rc = mos__json_check_keys(ld, o, keys);

	if (!rc)
		rc = mos__json_require(ld, o, "count");
	if (!rc)
		rc = mos__json_get_u64(ld, o, "from", &from);
	if (!rc)
		rc = mos__json_get_u32(ld, o, "count", 1, MOS_SWEEP_MAX_VALUES,
				       &count);
	if (!rc && from > UINT64_MAX - count) {
		mos__jpath_push_key(&ld->path, "from");
		rc = mos__json_fail(ld, MOS_ECONFIG, "is too large");
	}
	if (rc)
		return rc;
	if (!(sw->seed = calloc(count, sizeof(*sw->seed))))
		return MOS_ENOMEM;
	for (uint32_t i = 0; i < count; i++)
		sw->seed[i] = from + i;
	sw->nseed = count;
	return 0;
}

/* grid.KEY: a non-empty array of distinct values, each through fn into
 * an array of n elements of size each, stored at *vec. */
static int read_axis(mos_jload_t *ld, json_t *grid, const char *key,
		     size_t size, void **vec, size_t *n, mos_jeach_fn fn,
		     mos_sweep_t *sw)
{
	json_t *arr = json_object_get(grid, key);
	int rc = 0;

	if (!arr)
		return 0;
	mos__jpath_push_key(&ld->path, key);
	if (!strcmp(key, "seed") && json_is_object(arr)) {
		rc = read_seed_range(ld, arr, sw);
	} else if (!json_is_array(arr)) {
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected an array");
	} else if (json_array_size(arr) == 0) {
		rc = mos__json_fail(ld, MOS_ECONFIG, "must not be empty");
	} else if (!(*vec = calloc(json_array_size(arr), size))) {
		rc = MOS_ENOMEM;
	} else if (!(rc = mos__json_each(ld, arr, MOS_SWEEP_MAX_VALUES, fn,
					 sw)) &&
		   !(rc = check_unique(ld, arr))) {
		*n = json_array_size(arr);
	}
	if (!rc)
		mos__jpath_pop(&ld->path);
	return rc;
}

static int read_grid(mos_jload_t *ld, json_t *grid, mos_sweep_t *sw)
{
	int rc;

	if (!grid)
		return 0;
	mos__jpath_push_key(&ld->path, "grid");
	if (!json_is_object(grid))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	rc = mos__json_check_keys(ld, grid, sw->kind == WORKLOADS ?
				  wl_grid_keys : sc_grid_keys);
	if (!rc)
		rc = read_axis(ld, grid, "policy", sizeof(*sw->policy),
			       (void **)&sw->policy, &sw->npolicy,
			       read_policy, sw);
	if (!rc)
		rc = read_axis(ld, grid, "quantum", sizeof(*sw->quantum),
			       (void **)&sw->quantum, &sw->nquantum,
			       read_quantum, sw);
	if (!rc)
		rc = read_axis(ld, grid, "seed", sizeof(*sw->seed),
			       (void **)&sw->seed, &sw->nseed, read_seed, sw);
	if (!rc)
		rc = read_axis(ld, grid, "until", sizeof(*sw->until),
			       (void **)&sw->until, &sw->nuntil, read_until, sw);
	if (!rc)
		mos__jpath_pop(&ld->path);
	return rc;
}

/* The file's folder joined to rel (rel itself when absolute). */
static char *resolve(const char *spec, const char *rel)
{
	const char *slash = strrchr(spec, '/');
	size_t dir = rel[0] == '/' || !slash ? 0 : (size_t)(slash - spec) + 1;
	size_t len = dir + strlen(rel) + 1;
	char *p = malloc(len);

	if (p)
		snprintf(p, len, "%.*s%s", (int)dir, spec, rel);
	return p;
}

typedef struct files_ctx {
	mos_sweep_t *sw;
	const char *spec;
} files_ctx_t;

static int read_file(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	files_ctx_t *c = ctx;
	mos_sweep_t *sw = c->sw;
	const char *rel = json_string_value(v);
	char *full;
	int rc;

	if (!rel || !*rel)
		return mos__json_fail(ld, MOS_ECONFIG, "expected a file name");
	if (!(sw->paths[i] = strdup(rel)) || !(full = resolve(c->spec, rel)))
		return MOS_ENOMEM;
	sw->nfiles = i + 1;
	/* The file's own error, naming its own file, is the clearer one. */
	if (sw->kind == WORKLOADS)
		rc = mos_workload_load_json(full, &sw->wl[i], ld->err);
	else
		rc = mos_scenario_load(full, &sw->sc[i], ld->err);
	free(full);
	return rc;
}

static int read_files(mos_jload_t *ld, json_t *root, mos_sweep_t *sw,
		      const char *spec)
{
	const char *key = sw->kind == WORKLOADS ? "workloads" : "scenarios";
	json_t *arr = json_object_get(root, key);
	files_ctx_t c = {sw, spec};
	size_t n;
	int rc;

	mos__jpath_push_key(&ld->path, key);
	if (!json_is_array(arr))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an array");
	if ((n = json_array_size(arr)) == 0)
		return mos__json_fail(ld, MOS_ECONFIG, "must not be empty");
	if (n > MOS_SWEEP_MAX_VALUES)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must have at most %d entries",
				      MOS_SWEEP_MAX_VALUES);
	sw->paths = calloc(n, sizeof(*sw->paths));
	if (sw->kind == WORKLOADS)
		sw->wl = calloc(n, sizeof(*sw->wl));
	else
		sw->sc = calloc(n, sizeof(*sw->sc));
	if (!sw->paths || (!sw->wl && !sw->sc))
		return MOS_ENOMEM;
	rc = mos__json_each(ld, arr, n, read_file, &c);
	return rc ? rc : check_unique(ld, arr);
}

/* The product of the axes, refused past MOS_SWEEP_MAX_RUNS. */
static int count_runs(mos_jload_t *ld, mos_sweep_t *sw)
{
	size_t f[] = {sw->nfiles, axis(sw->npolicy), axis(sw->nquantum),
		      axis(sw->nseed), axis(sw->nuntil)};
	uint64_t n = 1;

	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++) {
		n *= f[i]; /* each factor <= 1000 and n <= 10^5: no wrap */
		if (n > MOS_SWEEP_MAX_RUNS) {
			mos__jpath_init(&ld->path);
			mos__jpath_push_key(&ld->path, "grid");
			return mos__json_fail(ld, MOS_ERANGE,
					      "more than %d runs",
					      MOS_SWEEP_MAX_RUNS);
		}
	}
	sw->count = (size_t)n;
	return 0;
}

static void default_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".json"))
		len -= 5;
	snprintf(buf, size, "%.*s", (int)len, base);
}

static int read_spec(mos_jload_t *ld, json_t *root, mos_sweep_t *sw,
		     const char *path)
{
	int has_wl = json_object_get(root, "workloads") != NULL;
	int has_sc = json_object_get(root, "scenarios") != NULL;
	int rc = mos__json_check_keys(ld, root, top_keys);

	if (rc)
		return rc;
	if (has_wl == has_sc)
		return mos__json_fail(ld, MOS_ECONFIG, "needs exactly one of "
				      "\"workloads\" and \"scenarios\"");
	sw->kind = has_wl ? WORKLOADS : SCENARIOS;
	default_name(path, sw->name, sizeof(sw->name));
	rc = mos__json_get_string(ld, root, "name", sw->name, sizeof(sw->name));
	if (!rc)
		rc = read_grid(ld, json_object_get(root, "grid"), sw);
	if (!rc)
		rc = read_axis(ld, root, "metrics", sizeof(*sw->metric),
			       (void **)&sw->metric, &sw->nmetric, read_metric,
			       sw);
	if (!rc)
		rc = read_files(ld, root, sw, path);
	return rc ? rc : count_runs(ld, sw);
}

int mos_sweep_load(const char *path, mos_sweep_t **out, mos_error_t *err)
{
	mos_sweep_t *sw;
	json_t *root;
	mos_jload_t ld;
	int rc;

	mos__error_clear(err);
	if (out)
		*out = NULL;
	if (!path || !out)
		return mos__error_path(err, MOS_EINVAL, "sweep", NULL,
				       "NULL argument");
	if ((rc = mos__json_load_file(path, &root, err)) < 0)
		return rc;
	if (!(sw = calloc(1, sizeof(*sw)))) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	mos__jload_init(&ld, path, err);
	if (!json_is_object(root))
		rc = mos__json_fail(&ld, MOS_ECONFIG, "expected an object");
	else
		rc = read_spec(&ld, root, sw, path);
	json_decref(root);
	if (rc) {
		if (rc == MOS_ENOMEM)
			mos__error_path(err, rc, path, NULL, "out of memory");
		mos_sweep_free(sw);
		return rc;
	}
	*out = sw;
	return 0;
}

void mos_sweep_free(mos_sweep_t *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; i < sw->nfiles; i++) {
		free(sw->paths[i]);
		if (sw->wl)
			mos_workload_free(sw->wl[i]);
		if (sw->sc)
			mos_scenario_free(sw->sc[i]);
	}
	free(sw->paths);
	free(sw->wl);
	free(sw->sc);
	free(sw->policy);
	free(sw->quantum);
	free(sw->seed);
	free(sw->until);
	free(sw->metric);
	free(sw);
}

size_t mos_sweep_count(const mos_sweep_t *sw)
{
	return sw ? sw->count : 0;
}

const char *mos_sweep_name(const mos_sweep_t *sw)
{
	return sw ? sw->name : "";
}

/* ---- one run ---- */

/* Run i's index on each axis, innermost last. */
typedef struct pick {
	size_t file, policy, quantum, seed, until;
} pick_t;

static pick_t expand(const mos_sweep_t *sw, size_t i)
{
	pick_t p = {0, 0, 0, 0, 0};

	if (sw->kind == WORKLOADS) {
		p.seed = i % axis(sw->nseed), i /= axis(sw->nseed);
		p.quantum = i % axis(sw->nquantum), i /= axis(sw->nquantum);
		p.policy = i % axis(sw->npolicy), i /= axis(sw->npolicy);
	} else {
		p.until = i % axis(sw->nuntil), i /= axis(sw->nuntil);
		p.seed = i % axis(sw->nseed), i /= axis(sw->nseed);
	}
	p.file = i;
	return p;
}

static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) != 0;
}

static json_t *u64(uint64_t v)
{
	return v > INT64_MAX ? json_real((double)v) : json_integer((json_int_t)v);
}

static json_t *hex(uint64_t v)
{
	char buf[17];

	snprintf(buf, sizeof(buf), "%016" PRIx64, v);
	return json_string(buf);
}

static int report_metrics(const mos_sched_report_t *r, json_t *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *doc;
	int bad;

	if (!f)
		return MOS_ENOMEM;
	bad = mos_sched_report_write_json(r, f) < 0;
	bad |= fclose(f) != 0;
	doc = bad ? NULL : json_loadb(buf, len, 0, NULL);
	free(buf);
	if (!doc)
		return MOS_ENOMEM;
	for (const char *const *k = wl_metrics; *k && !bad; k++)
		bad = json_object_set(line, *k, json_object_get(doc, *k)) != 0;
	json_decref(doc);
	return bad ? MOS_ENOMEM : 0;
}

static int run_workload(const mos_sweep_t *sw, pick_t p, json_t *line,
			json_t *m, mos_error_t *err)
{
	const mos_workload_t *w = sw->wl[p.file];
	mos_sched_params_t par = w->policy;
	mos_sched_report_t *r;
	int rc, bad;

	if (sw->npolicy)
		snprintf(par.policy, sizeof(par.policy), "%s",
			 sw->policy[p.policy]);
	if (sw->nquantum) {
		if (sw->quantum[p.quantum] > MOS_TIME_NEVER / 2 / w->tick)
			return mos__error_path(err, MOS_ERANGE, sw->paths[p.file],
					       NULL, "quantum %" PRIu64 " ticks "
					       "does not fit in the clock",
					       sw->quantum[p.quantum]);
		par.time_slice = sw->quantum[p.quantum] * w->tick;
	}
	if (sw->nseed)
		par.seed = sw->seed[p.seed];
	bad = set(line, "policy", json_string(par.policy));
	if (sw->nquantum)
		bad |= set(line, "quantum", u64(sw->quantum[p.quantum]));
	if (sw->nseed)
		bad |= set(line, "seed", u64(sw->seed[p.seed]));
	if (bad)
		return MOS_ENOMEM;
	if ((rc = mos_sched_run_workload(w, &par, &r, err)) < 0)
		return rc;
	rc = report_metrics(r, m);
	mos_sched_report_free(r);
	return rc;
}

/* "2s", "1500ms", "max": a string in every line, so that the column
 * keeps one type when the grid mixes "max" with times. */
static json_t *until_text(mos_time_t t)
{
	static const struct { uint64_t ns; const char *unit; } units[] = {
		{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
	char buf[32];
	size_t u = 0;

	if (t == MOS_TIME_NEVER)
		return json_string("max");
	while (t % units[u].ns)
		u++;
	snprintf(buf, sizeof(buf), "%" PRIu64 "%s", t / units[u].ns,
		 units[u].unit);
	return json_string(buf);
}

static void scenario_totals(const mos_scenario_result_t *r, uint64_t t[3],
			    mos_time_t *p99)
{
	*p99 = 0;
	for (size_t s = 0; s < r->nservices; s++) {
		t[0] += r->services[s].restarts;
		t[1] += r->services[s].calls;
		t[2] += r->services[s].calls_failed;
		if (r->services[s].latency_p99 > *p99)
			*p99 = r->services[s].latency_p99;
	}
}

static int run_scenario(const mos_sweep_t *sw, pick_t p, json_t *line,
			json_t *m, mos_error_t *err)
{
	mos_scenario_opts_t o;
	mos_scenario_result_t *r;
	uint64_t t[3] = {0, 0, 0};
	mos_time_t p99;
	int rc, bad = 0;

	memset(&o, 0, sizeof(o));
	if (sw->nseed) {
		o.has_seed = true, o.seed = sw->seed[p.seed];
		bad |= set(line, "seed", u64(o.seed));
	}
	if (sw->nuntil) {
		o.has_until = true, o.until = sw->until[p.until];
		bad |= set(line, "until", until_text(o.until));
	}
	if (bad)
		return MOS_ENOMEM;
	if ((rc = mos_scenario_run(sw->sc[p.file], &o, &r, err)) < 0)
		return rc;
	scenario_totals(r, t, &p99);
	bad |= set(m, "end_ns", u64(r->end));
	bad |= set(m, "processes_created", u64(r->stats.processes_created));
	bad |= set(m, "context_switches", u64(r->stats.context_switches));
	bad |= set(m, "busy_ns", u64(r->stats.busy));
	bad |= set(m, "restarts", u64(t[0]));
	bad |= set(m, "calls", u64(t[1]));
	bad |= set(m, "calls_failed", u64(t[2]));
	bad |= set(m, "latency_p99_max_ns", u64(p99));
	bad |= set(m, "actions_failed", u64(r->actions_failed));
	bad |= set(m, "trace_hash", hex(r->trace_hash));
	mos_scenario_result_free(r);
	return bad ? MOS_ENOMEM : 0;
}

/* The metrics the spec asks for (all by default) from m into line. */
static int pick_metrics(const mos_sweep_t *sw, json_t *m, json_t *line)
{
	const char *const *all = sw->kind == WORKLOADS ? wl_metrics
							: sc_metrics;
	size_t n = sw->nmetric;

	if (!n)
		while (all[n])
			n++;
	for (size_t i = 0; i < n; i++) {
		const char *k = sw->nmetric ? sw->metric[i] : all[i];
		json_t *v = json_object_get(m, k);

		if (!v || json_object_set(line, k, v) != 0)
			return MOS_ENOMEM;
	}
	return 0;
}

int mos_sweep_run(const mos_sweep_t *sw, size_t i, char **line,
		  mos_error_t *err)
{
	json_t *o, *m;
	char *s;
	pick_t p;
	int rc;

	mos__error_clear(err);
	if (line)
		*line = NULL;
	if (!sw || !line || i >= sw->count)
		return mos__error_path(err, MOS_EINVAL, "sweep", NULL,
				       "%s", !sw || !line ? "NULL argument" :
				       "no such run");
	p = expand(sw, i);
	if (!(o = json_object()) || set(o, "run", u64(i)) ||
	    set(o, "runs", u64(sw->count)) ||
	    set(o, sw->kind == WORKLOADS ? "workload" : "scenario",
		json_string(sw->paths[p.file]))) {
		json_decref(o);
		return MOS_ENOMEM;
	}
	if (!(m = json_object())) {
		json_decref(o);
		return MOS_ENOMEM;
	}
	rc = sw->kind == WORKLOADS ? run_workload(sw, p, o, m, err)
				   : run_scenario(sw, p, o, m, err);
	if (!rc)
		rc = pick_metrics(sw, m, o);
	json_decref(m);
	s = rc ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
				   JSON_REAL_PRECISION(15));
	json_decref(o);
	if (rc)
		return rc;
	if (!s || !(*line = realloc(s, strlen(s) + 2))) {
		free(s);
		return MOS_ENOMEM;
	}
	strcat(*line, "\n");
	return 0;
}
