/*
 * bench/services.c - what the service manager (issue 12) costs: N
 * services with E random acyclic dependency edges registered, the start
 * order of the deepest one computed, all started, all stopped, the kernel
 * destroyed.
 *
 * The graph.  N names "svc-" + 16 hex digits, a bijective mix of the
 * index and the seed (distinct, deterministic, unrelated to the order).
 * A seeded random permutation of the services is the topological order:
 * each of the E edges goes from the later of two random positions to the
 * earlier (the later needs the earlier), so the graph is acyclic.  Edges
 * are distinct, at most MOS_SVC_MAX_DEPS per service, all required;
 * fewer than E only when the graph cannot hold that many.  Every service
 * runs "idle", one instance, simple readiness.
 *
 * The figures, each per run (a fresh kernel each):
 *
 *   register_batch  mos_service_register_batch of all N in index order
 *                   (dependencies refer forward as often as back), ns per
 *                   service
 *   register_each   mos_service_register one by one in the topological
 *                   order (every dependency registered before), another
 *                   kernel; ns per service
 *   start_order     mos_service_start_order of the target: the service
 *                   whose transitive dependencies are the most among the
 *                   64 last in the topological order (where the deepest
 *                   are); repeated `iters` times, ns per item, an item
 *                   being one service or one edge of the target's closure
 *                   (the walk visits each once: linear means this stays
 *                   flat as N grows)
 *   start_all       mos_service_start of every service in id order (one
 *                   already up by a dependent's start is skipped: its
 *                   start would be refused), then mos_kernel_run until
 *                   nothing is left to do; every service is checked
 *                   Running (mos_service_status).  ns per service;
 *                   "calls_ms" and "run_ms" split the total
 *   stop_all        mos_service_stop of every service in reverse id
 *                   order; a stop also stops the dependents that are up,
 *                   so a later request may find its service Stopping
 *                   already: refused with MOS_ESVCNOTRUNNING, counted as
 *                   "refused"; then mos_kernel_run until every instance
 *                   is gone (SIGTERM) and every service is checked
 *                   Stopped.  ns per service
 *   destroy         mos_kernel_destroy of the kernel with its N stopped
 *                   services; ns per service
 *
 * Every line also carries "total_ms" (median, min, max of the run's
 * whole time for the figure; start_order's: of one call) and "edges"
 * (the edges made).
 *
 * Configuration: the defaults, history_size 0, trace_capacity 1, and in
 * this bench only max_service_processes = N + 64 and max_processes the
 * default or N + 128 when more is needed (the defaults, 1024 and 65 536,
 * are left alone).
 *
 *   services [--n N] [--edges E] [--seed S] [--runs R]
 *            (N 10 000, E 5 N, S 1, R 5)
 *   services --sizes [--runs R] [--full-max M]
 *            N = 1 000, 10 000, 100 000 with E = 5 N: register_each and
 *            start_order at each; the other figures only where
 *            N <= M (10 000), since they grow faster than N + E
 *            (docs/BENCHMARKS.md, "Services (issue 12)")
 *
 * Output: bench.h's JSON lines ("bench":"services").  Exit 1 when a
 * kernel cannot be made or a call fails, 2 on bad arguments.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "multios/multios.h"

#define MAX_RUNS 64
#define NAME_LEN 24
#define CANDIDATES 64
#define ORDER_MIN_ITEMS 20000000ull /* start_order: items walked per run */

static const char *const idle_cmd[] = {"idle", NULL};

/* ---- the graph ----------------------------------------------------------- */

static uint64_t mix(uint64_t z) /* splitmix64's finalizer: a bijection */
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

typedef struct rng {
	uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return mix(r->s);
}

static uint32_t rng_below(rng_t *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

typedef struct graph {
	uint32_t n;
	uint64_t edges;
	char (*names)[NAME_LEN];
	uint32_t *perm;            /* perm[pos] = index: the topological order */
	uint32_t *pos;             /* pos[index] */
	uint32_t *ndeps;           /* per index */
	uint32_t *deps;            /* [index * MOS_SVC_MAX_DEPS + j]: an index */
	mos_service_dep_t *dspec;  /* the same, as the API takes them */
	mos_service_descriptor_t *desc; /* per index */
	uint32_t target;           /* an index */
	uint64_t closure_services, closure_edges;
} graph_t;

static void graph_free(graph_t *g)
{
	free(g->names);
	free(g->perm);
	free(g->pos);
	free(g->ndeps);
	free(g->deps);
	free(g->dspec);
	free(g->desc);
}

/* Services and edges reachable from index t (t included), by an
 * iterative walk over the bench's own arrays; mark is scratch. */
static void closure(const graph_t *g, uint32_t t, uint32_t *mark,
		    uint32_t stamp, uint32_t *stack, uint64_t *ns, uint64_t *ne)
{
	uint32_t top = 0;

	*ns = *ne = 0;
	stack[top++] = t;
	mark[t] = stamp;
	while (top) {
		uint32_t x = stack[--top];

		(*ns)++;
		*ne += g->ndeps[x];
		for (uint32_t j = 0; j < g->ndeps[x]; j++) {
			uint32_t d = g->deps[(size_t)x * MOS_SVC_MAX_DEPS + j];

			if (mark[d] != stamp) {
				mark[d] = stamp;
				stack[top++] = d;
			}
		}
	}
}

static int graph_make(graph_t *g, uint32_t n, uint64_t e, uint64_t seed)
{
	rng_t r = {seed * 0x2545f4914f6cdd1dull + 1};
	uint64_t cap = (uint64_t)n * (n - 1) / 2, tries, hcap = 16, made = 0;
	uint64_t *set;
	uint32_t *mark, *stack;

	memset(g, 0, sizeof(*g));
	g->n = n;
	if (e > cap)
		e = cap;
	if (e > (uint64_t)n * MOS_SVC_MAX_DEPS / 2)
		e = (uint64_t)n * MOS_SVC_MAX_DEPS / 2;
	while (hcap < 2 * e + 16)
		hcap *= 2;
	g->names = calloc(n, sizeof(*g->names));
	g->perm = calloc(n, sizeof(*g->perm));
	g->pos = calloc(n, sizeof(*g->pos));
	g->ndeps = calloc(n, sizeof(*g->ndeps));
	g->deps = calloc((size_t)n * MOS_SVC_MAX_DEPS, sizeof(*g->deps));
	g->dspec = calloc((size_t)n * MOS_SVC_MAX_DEPS, sizeof(*g->dspec));
	g->desc = calloc(n, sizeof(*g->desc));
	set = calloc(hcap, sizeof(*set));
	mark = calloc(n, sizeof(*mark));
	stack = calloc(n, sizeof(*stack));
	if (!g->names || !g->perm || !g->pos || !g->ndeps || !g->deps ||
	    !g->dspec || !g->desc || !set || !mark || !stack) {
		free(set);
		free(mark);
		free(stack);
		graph_free(g);
		return MOS_ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		snprintf(g->names[i], NAME_LEN, "svc-%016llx",
			 (unsigned long long)mix(seed * 0x100000001b3ull + i));
		g->perm[i] = i;
	}
	for (uint32_t i = n; i-- > 1;) { /* Fisher-Yates */
		uint32_t j = rng_below(&r, i + 1), t = g->perm[i];

		g->perm[i] = g->perm[j];
		g->perm[j] = t;
	}
	for (uint32_t p = 0; p < n; p++)
		g->pos[g->perm[p]] = p;
	/* Distinct edges (positions a > b: perm[a] needs perm[b]); a set of
	 * a * n + b + 1 in an open-addressed table. */
	for (tries = 0; made < e && tries < 20 * e + 1000; tries++) {
		uint32_t a = rng_below(&r, n), b = rng_below(&r, n), from, to;
		uint64_t key, h;

		if (a == b)
			continue;
		if (a < b) {
			uint32_t t = a;

			a = b;
			b = t;
		}
		from = g->perm[a];
		to = g->perm[b];
		if (g->ndeps[from] == MOS_SVC_MAX_DEPS)
			continue;
		key = (uint64_t)a * n + b + 1;
		for (h = mix(key) & (hcap - 1); set[h] && set[h] != key;
		     h = (h + 1) & (hcap - 1))
			;
		if (set[h])
			continue;
		set[h] = key;
		g->deps[(size_t)from * MOS_SVC_MAX_DEPS + g->ndeps[from]++] = to;
		made++;
	}
	g->edges = made;
	for (uint32_t i = 0; i < n; i++) {
		mos_service_dep_t *d = &g->dspec[(size_t)i * MOS_SVC_MAX_DEPS];

		for (uint32_t j = 0; j < g->ndeps[i]; j++)
			d[j] = (mos_service_dep_t){
				.name = g->names[g->deps[(size_t)i * MOS_SVC_MAX_DEPS + j]],
				.required = true};
		mos_service_descriptor_init(&g->desc[i]);
		g->desc[i].name = g->names[i];
		g->desc[i].command = idle_cmd;
		g->desc[i].deps = d;
		g->desc[i].ndeps = g->ndeps[i];
	}
	/* The target: the largest closure among the last CANDIDATES. */
	for (uint32_t c = 0; c < CANDIDATES && c < n; c++) {
		uint32_t t = g->perm[n - 1 - c];
		uint64_t ns, ne;

		closure(g, t, mark, c + 1, stack, &ns, &ne);
		if (ns > g->closure_services ||
		    (ns == g->closure_services && ne > g->closure_edges)) {
			g->target = t;
			g->closure_services = ns;
			g->closure_edges = ne;
		}
	}
	free(set);
	free(mark);
	free(stack);
	return 0;
}

/* ---- one run --------------------------------------------------------------- */

enum { F_BATCH, F_EACH, F_ORDER, F_START, F_STOP, F_DESTROY, F_COUNT };

static const char *const fig_name[F_COUNT] = {
	"register_batch", "register_each", "start_order",
	"start_all", "stop_all", "destroy",
};

typedef struct sample {
	double ns[F_COUNT];        /* the figure's unit */
	double ms[F_COUNT];        /* the figure's total */
	double calls_ms, run_ms;   /* start_all's split */
	double stop_calls_ms, stop_run_ms;
	uint64_t refused;          /* stop_all */
	uint64_t order_iters;
	char backend[MOS_BACKEND_NAME_LEN];
} sample_t;

static int kernel(uint32_t n, mos_kernel_t **k)
{
	mos_config_t cfg;
	mos_error_t err;
	int e;

	mos_config_default(&cfg);
	cfg.history_size = 0;
	cfg.trace_capacity = 1;
	if (cfg.max_processes < n + 128)
		cfg.max_processes = n + 128;
	cfg.max_service_processes = n + 64;
	if ((e = mos_kernel_create(&cfg, k, &err)) < 0)
		fprintf(stderr, "services: kernel: %s\n", err.message);
	return e;
}

static int fail(const char *what, int e)
{
	fprintf(stderr, "services: %s: %s (%s)\n", what, mos_strerror(e),
		mos_err_name(e));
	return e < 0 ? e : MOS_EINVAL;
}

/* Every service in state st, else the first that is not. */
static int all_in(mos_kernel_t *k, const mos_service_id_t *ids, uint32_t n,
		  mos_service_state_t st)
{
	static mos_service_status_t s;

	for (uint32_t i = 0; i < n; i++) {
		int e = mos_service_status(k, ids[i], &s);

		if (e < 0)
			return fail("mos_service_status", e);
		if (s.state != st) {
			fprintf(stderr, "services: %s is %s, not %s (reason %s)\n",
				s.name, mos_service_state_name(s.state),
				mos_service_state_name(st),
				mos_svc_reason_name(s.reason));
			return MOS_EINVALSTATE;
		}
	}
	return 0;
}

/* register_each on a kernel of its own. */
static int run_each(const graph_t *g, sample_t *o)
{
	mos_kernel_t *k;
	mos_service_id_t id;
	mos_error_t err;
	double t0;
	int e;

	if ((e = kernel(g->n, &k)) < 0)
		return e;
	t0 = bench_now_ns();
	for (uint32_t p = 0; p < g->n; p++)
		if ((e = mos_service_register(k, 0, &g->desc[g->perm[p]], &id,
					      &err)) < 0) {
			fprintf(stderr, "services: register %s: %s\n",
				g->names[g->perm[p]], err.message);
			break;
		}
	o->ms[F_EACH] = (bench_now_ns() - t0) / 1e6;
	o->ns[F_EACH] = o->ms[F_EACH] * 1e6 / g->n;
	mos_kernel_destroy(k);
	return e < 0 ? e : 0;
}

/* The start order of the target, repeated; checked against the bench's
 * own closure.  out has room for n. */
static int run_order(mos_kernel_t *k, const graph_t *g,
		     const mos_service_id_t *ids, mos_service_id_t *out,
		     sample_t *o)
{
	uint64_t items = g->closure_services + g->closure_edges;
	uint64_t iters = ORDER_MIN_ITEMS / (items ? items : 1);
	size_t cnt = 0;
	double t0;
	int e;

	if (iters < 3)
		iters = 3;
	/* one untimed call warms the allocator and checks the count */
	if ((e = mos_service_start_order(k, ids[g->target], out, g->n, &cnt)) < 0)
		return fail("mos_service_start_order", e);
	if (cnt != g->closure_services || out[cnt - 1] != ids[g->target]) {
		fprintf(stderr, "services: start order of %zu, expected %llu\n",
			cnt, (unsigned long long)g->closure_services);
		return MOS_EINVAL;
	}
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < iters; i++)
		if ((e = mos_service_start_order(k, ids[g->target], out, g->n,
						 &cnt)) < 0)
			return fail("mos_service_start_order", e);
	o->ms[F_ORDER] = (bench_now_ns() - t0) / 1e6 / (double)iters;
	o->ns[F_ORDER] = o->ms[F_ORDER] * 1e6 / (double)items;
	o->order_iters = iters;
	return 0;
}

/*
 * One run: the batch kernel (register, order, and when full start, stop,
 * destroy), and register_each on another.
 */
static int run(const graph_t *g, bool full, sample_t *o)
{
	mos_service_id_t *ids = calloc(g->n, sizeof(*ids));
	mos_service_id_t *out = calloc(g->n, sizeof(*out));
	mos_kernel_t *k = NULL;
	mos_error_t err;
	double t0, t1;
	int e;

	memset(o, 0, sizeof(*o));
	if (!ids || !out) {
		e = fail("bench arrays", MOS_ENOMEM);
		goto out;
	}
	if ((e = run_each(g, o)) < 0)
		goto out;
	if ((e = kernel(g->n, &k)) < 0)
		goto out;
	snprintf(o->backend, sizeof(o->backend), "%s",
		 mos_kernel_context_backend(k));
	if (full) {
		t0 = bench_now_ns();
		e = mos_service_register_batch(k, 0, g->desc, g->n, ids, &err);
		o->ms[F_BATCH] = (bench_now_ns() - t0) / 1e6;
		o->ns[F_BATCH] = o->ms[F_BATCH] * 1e6 / g->n;
		if (e < 0) {
			fprintf(stderr, "services: register_batch: %s\n",
				err.message);
			goto out;
		}
	} else {
		/* the order alone: registered the linear way, untimed */
		for (uint32_t p = 0; p < g->n && e == 0; p++)
			e = mos_service_register(k, 0, &g->desc[g->perm[p]],
						 &ids[g->perm[p]], &err);
		if (e < 0) {
			fprintf(stderr, "services: register: %s\n", err.message);
			goto out;
		}
	}
	if ((e = run_order(k, g, ids, out, o)) < 0 || !full)
		goto out;

	/* start_all: ids are index order */
	t0 = bench_now_ns();
	for (uint32_t i = 0; i < g->n; i++) {
		e = mos_service_start(k, 0, ids[i]);
		if (e == MOS_ESVCNOTSTOPPED)
			continue; /* brought up by a dependent's start */
		if (e < 0) {
			fail("mos_service_start", e);
			goto out;
		}
	}
	t1 = bench_now_ns();
	if ((e = mos_kernel_run(k, MOS_TIME_NEVER)) < 0) {
		fail("mos_kernel_run", e);
		goto out;
	}
	o->calls_ms = (t1 - t0) / 1e6;
	o->run_ms = (bench_now_ns() - t1) / 1e6;
	o->ms[F_START] = o->calls_ms + o->run_ms;
	o->ns[F_START] = o->ms[F_START] * 1e6 / g->n;
	if ((e = all_in(k, ids, g->n, MOS_SVC_RUNNING)) < 0)
		goto out;

	/* stop_all, reverse id order */
	t0 = bench_now_ns();
	for (uint32_t i = g->n; i-- > 0;) {
		e = mos_service_stop(k, 0, ids[i]);
		if (e == MOS_ESVCNOTRUNNING) {
			o->refused++;
			continue;
		}
		if (e < 0) {
			fail("mos_service_stop", e);
			goto out;
		}
	}
	t1 = bench_now_ns();
	if ((e = mos_kernel_run(k, MOS_TIME_NEVER)) < 0) {
		fail("mos_kernel_run", e);
		goto out;
	}
	o->stop_calls_ms = (t1 - t0) / 1e6;
	o->stop_run_ms = (bench_now_ns() - t1) / 1e6;
	o->ms[F_STOP] = o->stop_calls_ms + o->stop_run_ms;
	o->ns[F_STOP] = o->ms[F_STOP] * 1e6 / g->n;
	if ((e = all_in(k, ids, g->n, MOS_SVC_STOPPED)) < 0)
		goto out;

	t0 = bench_now_ns();
	mos_kernel_destroy(k);
	k = NULL;
	o->ms[F_DESTROY] = (bench_now_ns() - t0) / 1e6;
	o->ns[F_DESTROY] = o->ms[F_DESTROY] * 1e6 / g->n;
	e = 0;
out:
	mos_kernel_destroy(k);
	free(ids);
	free(out);
	return e < 0 ? e : 0;
}

/* ---- output ---------------------------------------------------------------- */

/* ",\"key\":{median,min,max}" of v[0..runs) (sorted here) onto buf. */
static void stats(char *buf, size_t size, const char *key, double *v, int runs)
{
	size_t used = strlen(buf);

	qsort(v, (size_t)runs, sizeof(*v), bench_cmp_double);
	snprintf(buf + used, size - used,
		 ",\"%s\":{\"median\":%.3f,\"min\":%.3f,\"max\":%.3f}", key,
		 v[runs / 2], v[0], v[runs - 1]);
}

static void report(const graph_t *g, const sample_t *s, int runs, bool full,
		   uint64_t seed)
{
	double v[MAX_RUNS], w[MAX_RUNS];

	for (int f = 0; f < F_COUNT; f++) {
		char extra[768];
		uint64_t iters = 1;

		if (!full && f != F_EACH && f != F_ORDER)
			continue;
		snprintf(extra, sizeof(extra), ",\"edges\":%llu,\"seed\":%llu",
			 (unsigned long long)g->edges, (unsigned long long)seed);
		for (int r = 0; r < runs; r++)
			w[r] = s[r].ms[f];
		stats(extra, sizeof(extra), "total_ms", w, runs);
		if (f == F_ORDER) {
			size_t u = strlen(extra);

			iters = s[0].order_iters;
			for (int r = 0; r < runs; r++)
				w[r] = s[r].ms[f] * 1e6 / (double)(g->n + g->edges);
			stats(extra, sizeof(extra), "ns_per_graph_item", w, runs);
			u = strlen(extra);
			snprintf(extra + u, sizeof(extra) - u,
				 ",\"order_services\":%llu,\"order_edges\":%llu",
				 (unsigned long long)g->closure_services,
				 (unsigned long long)g->closure_edges);
		} else if (f == F_START || f == F_STOP) {
			for (int r = 0; r < runs; r++)
				w[r] = f == F_START ? s[r].calls_ms : s[r].stop_calls_ms;
			stats(extra, sizeof(extra), "calls_ms", w, runs);
			for (int r = 0; r < runs; r++)
				w[r] = f == F_START ? s[r].run_ms : s[r].stop_run_ms;
			stats(extra, sizeof(extra), "run_ms", w, runs);
			if (f == F_STOP) {
				size_t u = strlen(extra);

				snprintf(extra + u, sizeof(extra) - u,
					 ",\"refused\":%llu",
					 (unsigned long long)s[0].refused);
			}
		}
		for (int r = 0; r < runs; r++)
			v[r] = s[r].ns[f];
		bench_print("services", "libmultios", fig_name[f], s[0].backend,
			    g->n, iters,
			    f == F_ORDER ? "ns_per_item" : "ns_per_service", v,
			    runs, extra);
	}
}

static int figures(uint32_t n, uint64_t e, uint64_t seed, int runs, bool full)
{
	sample_t s[MAX_RUNS];
	graph_t g;
	int rc = 0;

	if (graph_make(&g, n, e, seed) < 0)
		return fail("graph", MOS_ENOMEM);
	for (int r = 0; r < runs && rc == 0; r++)
		rc = run(&g, full, &s[r]);
	if (rc == 0)
		report(&g, s, runs, full, seed);
	graph_free(&g);
	return rc < 0 ? 1 : 0;
}

static bool flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	uint64_t n = bench_arg(argc, argv, "--n", 10000);
	uint64_t e = bench_arg(argc, argv, "--edges", 5 * n);
	uint64_t seed = bench_arg(argc, argv, "--seed", 1);
	uint64_t runs = bench_arg(argc, argv, "--runs", 5);
	uint64_t full_max = bench_arg(argc, argv, "--full-max", 10000);
	static const uint32_t sizes[] = {1000, 10000, 100000};
	int rc = 0;

	if (runs < 1 || runs > MAX_RUNS || n < 2 || n > 1000000) {
		fprintf(stderr, "services: --runs 1..%d, --n 2..1000000\n",
			MAX_RUNS);
		return 2;
	}
	if (!flag(argc, argv, "--sizes"))
		return figures((uint32_t)n, e, seed, (int)runs, true);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes) && rc == 0; i++)
		rc = figures(sizes[i], 5ull * sizes[i], seed, (int)runs,
			     sizes[i] <= full_max);
	return rc;
}
