/*
 * src/scenario/scenario_fault.c - a scenario's faults and jitter: the
 * "faults" generators of the file (or of --faults), and each run's plan
 * drawn from its seed (docs/SCENARIOS.md, "Faults").
 *
 * "probe_jitter" moves each service's first probe checks (the phase of
 * its probes) by a draw of its own.
 *
 * A generator names a kind of fault (crash, hang, kill, signal, memory,
 * down), its candidate targets, how many (a count, a range, or a rate)
 * and a window.  A run draws from its seed, on a random stream of its own
 * (not the kernel's, so the faults do not move the kernel's draws): the
 * jitter of each action that has one, the probes' phases, then for each generator in file
 * order its number of faults and, for each, its time (to the
 * microsecond), its service and its instance.  The faults, sorted by
 * (time, draw order), get their ordinals: bit i of a run's fault_mask
 * keeps fault i, which is how a failing schedule is shrunk.  A fault is
 * an ordinary action after that (the deed of crash, hang, kill, signal,
 * set_limits; down is a stop and, "for" later, a start), merged into the
 * run's action list after the file's actions of the same instant.
 *
 * Only basic IEEE arithmetic is used on the way from the seed to a time
 * (no libm): the same seed gives the same plan on every host.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "util/rng.h"
#include "util/timemath.h"

#define FAULT_STREAM 0x6661756c74730a01ull /* "faults": not the kernel's */

static const char *const gen_keys[] = {
	"kind", "service", "process", "instance", "count", "rate", "window",
	"for", "code", "signal", "limits", NULL,
};

/* kind -> the action whose deed it is. */
static const struct {
	const char *kind, *deed;
} kinds[] = {
	{"crash", "crash"}, {"hang", "hang"}, {"kill", "kill"},
	{"signal", "signal"}, {"memory", "set_limits"}, {"down", "stop"},
};
#define NKINDS (sizeof(kinds) / sizeof(*kinds))

/* ---- reading ------------------------------------------------------------- */

/* "service": a name or a non-empty array of names, each declared. */
static int read_services(mos_jload_t *ld, json_t *o, sc_fault_gen_t *g,
			 mos_scenario_t *sc, const char **names, size_t *used)
{
	json_t *v = json_object_get(o, "service");
	size_t n = json_is_array(v) ? json_array_size(v) : 1;
	int rc = 0;

	mos__jpath_push_key(&ld->path, "service");
	if (!json_is_string(v) && (!json_is_array(v) || n == 0))
		rc = mos__json_fail(ld, MOS_ECONFIG, "expected a service name "
				    "or a non-empty array of them");
	g->services = names + *used;
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *e = json_is_array(v) ? json_array_get(v, i) : v;

		if (json_is_array(v))
			mos__jpath_push_index(&ld->path, i);
		if (!json_is_string(e))
			rc = mos__json_fail(ld, MOS_ECONFIG, "expected a string");
		else if (!mos__sc_desc_named(sc, json_string_value(e)))
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "no service named '%s'",
					    json_string_value(e));
		if (json_is_array(v))
			mos__jpath_pop(&ld->path);
		names[(*used)++] = json_string_value(e);
	}
	mos__jpath_pop(&ld->path);
	g->nservices = n;
	return rc;
}

/* "count": N or [MIN, MAX]; "rate": faults per second (not both). */
static int read_count(mos_jload_t *ld, json_t *o, sc_fault_gen_t *g)
{
	json_t *c = json_object_get(o, "count");
	int rc = 0;

	g->min = g->max = 1;
	if (c && json_object_get(o, "rate")) {
		mos__jpath_push_key(&ld->path, "rate");
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "give \"count\" or \"rate\", not both");
		mos__jpath_pop(&ld->path);
		return rc;
	}
	if (json_object_get(o, "rate"))
		return mos__json_get_double(ld, o, "rate", 1e-9, 1e9, &g->rate);
	if (!json_is_array(c)) {
		rc = mos__json_get_u32(ld, o, "count", 0,
				       MOS_SCENARIO_MAX_FAULTS, &g->max);
		g->min = g->max;
		return rc;
	}
	mos__jpath_push_key(&ld->path, "count");
	if (json_array_size(c) != 2 || !json_is_integer(json_array_get(c, 0)) ||
	    !json_is_integer(json_array_get(c, 1)))
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "expected N or [MIN, MAX] (integers)");
	else if (json_integer_value(json_array_get(c, 0)) < 0 ||
		 json_integer_value(json_array_get(c, 0)) >
			 json_integer_value(json_array_get(c, 1)) ||
		 json_integer_value(json_array_get(c, 1)) >
			 MOS_SCENARIO_MAX_FAULTS)
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "must have 0 <= MIN <= MAX <= %d",
				    MOS_SCENARIO_MAX_FAULTS);
	mos__jpath_pop(&ld->path);
	if (!rc) {
		g->min = (uint32_t)json_integer_value(json_array_get(c, 0));
		g->max = (uint32_t)json_integer_value(json_array_get(c, 1));
	}
	return rc;
}

/* "window": [FROM, TO], two durations, FROM <= TO. */
static int read_window(mos_jload_t *ld, json_t *o, sc_fault_gen_t *g)
{
	json_t *w = json_object_get(o, "window");
	int rc = 0;

	if (!w)
		return 0;
	mos__jpath_push_key(&ld->path, "window");
	if (!json_is_array(w) || json_array_size(w) != 2) {
		rc = mos__json_fail(ld, MOS_ECONFIG,
				    "expected [FROM, TO] (two durations)");
	} else {
		json_t *pair = json_pack("{s:O, s:O}", "from",
					 json_array_get(w, 0), "to",
					 json_array_get(w, 1));

		/* The pair as an object, so that the duration reader names
		 * a bad end ("window.from"). */
		if (!pair)
			rc = mos__json_fail(ld, MOS_ENOMEM, "out of memory");
		if (!rc)
			rc = mos__json_get_duration(ld, pair, "from", false,
						    &g->from);
		if (!rc)
			rc = mos__json_get_duration(ld, pair, "to", false,
						    &g->to);
		if (!rc && g->from > g->to)
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "FROM must not be after TO");
		json_decref(pair);
	}
	mos__jpath_pop(&ld->path);
	g->has_window = true;
	return rc;
}

/* The target: "process", or "service" (one or several) with an optional
 * "instance" (none: drawn). */
static int read_target(mos_jload_t *ld, json_t *o, sc_fault_gen_t *g,
		       mos_scenario_t *sc, const char **names, size_t *used)
{
	json_t *p = json_object_get(o, "process");
	int rc;

	g->proto.proc = -1;
	if (!p == !json_object_get(o, "service") ||
	    (p && !strcmp(g->kind, "down")))
		return mos__json_fail(ld, MOS_ECONFIG, "%s",
				      !strcmp(g->kind, "down")
					      ? "a down fault takes \"service\""
					      : "give either \"process\" or "
						"\"service\"");
	if (p) {
		mos__jpath_push_key(&ld->path, "process");
		rc = !json_is_string(p)
			     ? mos__json_fail(ld, MOS_ECONFIG,
					      "expected a string")
		     : (g->proto.proc = mos__sc_proc_named(
				sc, json_string_value(p))) < 0
			     ? mos__json_fail(ld, MOS_ECONFIG,
					      "no process named '%s'",
					      json_string_value(p))
			     : 0;
		mos__jpath_pop(&ld->path);
		if (!rc && json_object_get(o, "instance")) {
			mos__jpath_push_key(&ld->path, "instance");
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "\"instance\" goes with "
					    "\"service\"");
			mos__jpath_pop(&ld->path);
		}
		return rc;
	}
	if ((rc = read_services(ld, o, g, sc, names, used)))
		return rc;
	g->any_instance = !json_object_get(o, "instance");
	if (g->any_instance)
		return 0;
	if (!strcmp(g->kind, "down") || g->nservices != 1) {
		mos__jpath_push_key(&ld->path, "instance");
		rc = mos__json_fail(ld, MOS_ECONFIG, "%s",
				    g->nservices != 1
					    ? "an instance needs one service"
					    : "a down fault takes no instance");
		mos__jpath_pop(&ld->path);
		return rc;
	}
	{
		const mos_service_descriptor_t *d = mos__sc_desc_named(sc,
							       g->services[0]);
		uint32_t top = d->instances ? d->instances - 1 : 0;

		return mos__json_get_u32(ld, o, "instance", 0, top,
					 &g->proto.slot);
	}
}

/* A kind's own keys: those of its deed, and "for" for down. */
static int read_kind_keys(mos_jload_t *ld, json_t *o, sc_fault_gen_t *g,
			  mos_scenario_t *sc)
{
	static const char *const own[] = {"code", "signal", "limits", "for",
					  NULL};
	sc_load_ctx_t c = {sc};
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		bool mine = false;

		for (size_t i = 0; g->proto.type->keys[i]; i++)
			mine |= !strcmp(g->proto.type->keys[i], key);
		mine |= !strcmp(key, "for") && !strcmp(g->kind, "down");
		for (size_t i = 0; own[i] && !mine; i++)
			if (!strcmp(own[i], key)) {
				mos__jpath_push_key(&ld->path, key);
				return mos__json_fail(ld, MOS_ECONFIG,
						      "not a key of a %s fault",
						      g->kind);
			}
	}
	g->dur = MOS_SEC;
	if (!strcmp(g->kind, "down")) {
		int rc = mos__json_get_duration(ld, o, "for", false, &g->dur);

		if (!rc && g->dur < MOS_USEC) {
			mos__jpath_push_key(&ld->path, "for");
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "must be at least 1us");
			mos__jpath_pop(&ld->path);
		}
		return rc;
	}
	if (!strcmp(g->kind, "memory") && !json_object_get(o, "limits"))
		return mos__json_require(ld, o, "limits");
	return g->proto.type->parse ? g->proto.type->parse(ld, o, &g->proto, &c)
				    : 0;
}

static int read_gen(mos_jload_t *ld, json_t *o, size_t i, void *ctx)
{
	mos_scenario_t *sc = ctx;
	sc_fault_gen_t *g = &sc->faults[i];
	size_t used = 0;
	int rc;

	for (size_t j = 0; j < i; j++)
		used += sc->faults[j].nservices;
	if (!json_is_object(o))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	if ((rc = mos__json_check_keys(ld, o, gen_keys)) ||
	    (rc = mos__json_require(ld, o, "kind")) ||
	    (rc = mos__json_get_string(ld, o, "kind", g->kind,
				       sizeof(g->kind))))
		return rc;
	for (size_t k = 0; k < NKINDS; k++)
		if (!strcmp(kinds[k].kind, g->kind))
			g->proto.type = mos__sc_act_find(kinds[k].deed);
	if (!g->proto.type) {
		mos__jpath_push_key(&ld->path, "kind");
		return mos__json_fail(ld, MOS_ECONFIG,
				      "unknown fault kind '%s' (one of: crash, "
				      "hang, kill, signal, memory, down)",
				      g->kind);
	}
	g->proto.obj = o;
	g->proto.fault = 0;
	if ((rc = read_target(ld, o, g, sc, sc->fault_names, &used)) ||
	    (rc = read_kind_keys(ld, o, g, sc)) ||
	    (rc = read_count(ld, o, g)) || (rc = read_window(ld, o, g)))
		return rc;
	sc->nfaults = i + 1;
	return 0;
}

/* The number of service names in every generator's "service". */
static size_t count_names(json_t *arr)
{
	size_t n = 0, i;
	json_t *g;

	json_array_foreach(arr, i, g) {
		json_t *s = json_is_object(g) ? json_object_get(g, "service")
					      : NULL;

		n += json_is_array(s) ? json_array_size(s) : 1;
	}
	return n;
}

int mos__sc_read_faults(mos_jload_t *ld, mos_scenario_t *sc, json_t *arr)
{
	uint64_t most = 0;
	int rc;

	if (!arr)
		return 0;
	if (json_array_size(arr) > MOS_SCENARIO_MAX_FAULTS)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must have at most %d entries",
				      MOS_SCENARIO_MAX_FAULTS);
	if (!(sc->faults = calloc(json_array_size(arr) + 1,
				  sizeof(*sc->faults))) ||
	    !(sc->fault_names = calloc(count_names(arr) + 1,
				       sizeof(*sc->fault_names))))
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	if ((rc = mos__json_each(ld, arr, MOS_SCENARIO_MAX_FAULTS, read_gen,
				 sc)))
		return rc;
	for (size_t i = 0; i < sc->nfaults; i++)
		most += sc->faults[i].rate > 0 ? 0 : sc->faults[i].max;
	if (most > MOS_SCENARIO_MAX_FAULTS)
		return mos__json_fail(ld, MOS_ECONFIG,
				      "at most %d faults per run (the counts "
				      "add up to %llu)", MOS_SCENARIO_MAX_FAULTS,
				      (unsigned long long)most);
	return 0;
}

void mos__sc_faults_free(mos_scenario_t *sc)
{
	free(sc->faults);
	free(sc->fault_names);
	json_decref(sc->faults_root);
	sc->faults = NULL;
	sc->fault_names = NULL;
	sc->faults_root = NULL;
	sc->nfaults = 0;
}

/* ---- drawing ------------------------------------------------------------- */

/* Uniform in [0, n), n > 0, without modulo bias. */
static uint64_t below(mos_rng_t *rng, uint64_t n)
{
	uint64_t x, lim = -n % n;

	do
		x = mos__rng_next(rng);
	while (x < lim);
	return x % n;
}

/* Uniform in [0, 1), 53 bits. */
static double unit(mos_rng_t *rng)
{
	return (double)(mos__rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* e^-x for 0 <= x <= 64 with + - * / only: (series of e^-(x/64))^64. */
static double exp_neg(double x)
{
	double y = x / 64, term = 1, sum = 1;

	for (int i = 1; i < 30; i++) {
		term *= -y / i;
		sum += term;
	}
	for (int i = 0; i < 6; i++)
		sum *= sum;
	return sum;
}

/* A Poisson draw of mean lambda (Knuth), at most cap. */
static uint32_t poisson(mos_rng_t *rng, double lambda, uint32_t cap)
{
	double l = exp_neg(lambda > 64 ? 64 : lambda), p = 1;
	uint32_t k = 0;

	for (;;) {
		p *= unit(rng);
		if (p <= l || k == cap)
			return k;
		k++;
	}
}

static int by_time(const void *x, const void *y)
{
	const sc_action_t *a = x, *b = y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* A drawn fault before its ordinal: its deed and where it came from. */
typedef struct draw {
	sc_action_t act;
	const sc_fault_gen_t *gen;
	size_t seq;                  /* draw order */
} draw_t;

static int by_draw(const void *x, const void *y)
{
	const draw_t *a = x, *b = y;

	if (a->act.at != b->act.at)
		return a->act.at < b->act.at ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static size_t draw_gen(const sc_run_t *r, mos_rng_t *rng,
		       const sc_fault_gen_t *g, mos_time_t end, draw_t *out,
		       size_t room)
{
	mos_time_t from = g->has_window ? g->from : 0;
	mos_time_t to = g->has_window ? g->to : end;
	uint64_t span = (to - from) / MOS_USEC;
	uint32_t n;

	if (to < from)
		to = from;
	n = g->rate > 0 ? poisson(rng, g->rate * ((double)(to - from) / 1e9),
				  (uint32_t)room)
			: g->min + (uint32_t)below(rng, g->max - g->min + 1ull);
	if (n > room)
		n = (uint32_t)room;
	for (uint32_t i = 0; i < n; i++) {
		draw_t *d = &out[i];
		const char *svc = NULL;
		const mos_service_descriptor_t *desc;

		d->act = g->proto;
		d->gen = g;
		d->act.at = from + below(rng, span + 1) * MOS_USEC;
		if (g->services) {
			svc = g->services[below(rng, g->nservices)];
			d->act.service = svc;
			desc = mos__sc_desc_named(r->sc, svc);
			if (g->any_instance && desc && desc->instances > 1)
				d->act.slot = (uint32_t)below(rng,
							      desc->instances);
			else if (g->any_instance)
				d->act.slot = 0;
		}
	}
	return n;
}

static void describe(const sc_run_t *r, const draw_t *d,
		     mos_scenario_fault_t *f)
{
	const sc_action_t *a = &d->act;

	f->time = f->until = a->at;
	snprintf(f->kind, sizeof(f->kind), "%s", d->gen->kind);
	if (a->proc >= 0)
		snprintf(f->target, sizeof(f->target), "%s",
			 r->sc->procs[a->proc].name);
	else if (a->type->target == SC_T_PROC)
		snprintf(f->target, sizeof(f->target), "%.60s#%u", a->service,
			 a->slot);
	else
		snprintf(f->target, sizeof(f->target), "service %.60s",
			 a->service);
	if (!strcmp(d->gen->kind, "down"))
		f->until = mos__time_add_sat(a->at, d->gen->dur);
}

/* "probe_jitter": each service's probes start 0 .. it later (their
 * initial_delay grows), in service order, liveness before readiness. */
static int probe_phases(sc_run_t *r, mos_rng_t *rng)
{
	const mos_scenario_t *sc = r->sc;
	uint64_t steps = sc->probe_jitter / MOS_USEC + 1;

	if (!sc->probe_jitter || !sc->svc.n)
		return 0;
	if (!(r->descs = malloc(sc->svc.n * sizeof(*r->descs))))
		return MOS_ENOMEM;
	memcpy(r->descs, sc->svc.descs, sc->svc.n * sizeof(*r->descs));
	for (size_t i = 0; i < sc->svc.n; i++) {
		mos_probe_spec_t *p[2] = {&r->descs[i].liveness_probe,
					  &r->descs[i].readiness_probe};

		for (int j = 0; j < 2; j++)
			if (p[j]->kind != MOS_PROBE_NONE)
				p[j]->initial_delay = mos__time_add_sat(
					p[j]->initial_delay,
					below(rng, steps) * MOS_USEC);
	}
	return 0;
}

int mos__sc_plan(sc_run_t *r, uint64_t seed, mos_time_t end)
{
	const mos_scenario_t *sc = r->sc;
	const sc_act_type_t *start = mos__sc_act_find("start");
	const mos_scenario_opts_t *o = r->opts;
	draw_t draws[MOS_SCENARIO_MAX_FAULTS];
	size_t nd = 0, n = sc->nacts;
	mos_rng_t rng;
	int rc;

	mos__rng_seed(&rng, seed ^ FAULT_STREAM);
	/* Each down fault is two actions. */
	if (!(r->acts = calloc(sc->nacts + 2 * MOS_SCENARIO_MAX_FAULTS + 1,
			       sizeof(*r->acts))))
		return MOS_ENOMEM;
	for (size_t i = 0; i < sc->nacts; i++) {
		r->acts[i] = sc->acts[i];
		if (sc->acts[i].jitter)
			r->acts[i].at = mos__time_add_sat(
				sc->acts[i].at,
				below(&rng, sc->acts[i].jitter / MOS_USEC + 1) *
					MOS_USEC);
	}
	if ((rc = probe_phases(r, &rng)) < 0)
		return rc;
	for (size_t g = 0; g < sc->nfaults; g++)
		nd += draw_gen(r, &rng, &sc->faults[g], end, draws + nd,
			       MOS_SCENARIO_MAX_FAULTS - nd);
	if (nd && !(r->faults = calloc(nd, sizeof(*r->faults))))
		return MOS_ENOMEM;
	for (size_t i = 0; i < nd; i++)
		draws[i].seq = i;
	qsort(draws, nd, sizeof(*draws), by_draw);
	for (size_t i = 0; i < nd; i++) {
		mos_scenario_fault_t *f = &r->faults[i];

		f->ordinal = (uint32_t)i;
		describe(r, &draws[i], f);
		f->kept = !o->has_fault_mask || (o->fault_mask >> i & 1);
		if (!f->kept)
			continue;
		r->acts[n] = draws[i].act;
		r->acts[n].fault = (int)i;
		r->acts[n].index = sc->nacts + 2 * i;
		n++;
		if (f->until != f->time) {
			r->acts[n] = r->acts[n - 1];
			r->acts[n].type = start;
			r->acts[n].at = f->until;
			r->acts[n].index++;
			n++;
		}
	}
	r->nfaults = nd;
	r->nacts = n;
	qsort(r->acts, n, sizeof(*r->acts), by_time);
	return 0;
}
