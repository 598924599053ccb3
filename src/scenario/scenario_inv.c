/*
 * src/scenario/scenario_inv.c - a scenario's invariants: what must hold
 * at the end of every run, whatever its faults (docs/EXPLORE.md).
 *
 * The built-in checks are a table (name, what it needs, the check); the
 * file's "invariants" object sets their parameters and adds expectations,
 * comparisons of a value of the run's JSON document (the one --json
 * prints) at a path.  Everything is read and checked at load; a check
 * only reads a result, so the same result gives the same verdict.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "util/error_int.h"

#define DEFAULT_ZOMBIE_AGE MOS_SEC
#define DEFAULT_RECOVERY (5 * MOS_SEC)

typedef struct check_ctx {
	const mos_scenario_t *sc;
	const mos_scenario_result_t *r;
	char *why;
	size_t len;
} check_ctx_t;

typedef struct builtin {
	const char *name;
	bool has_param;              /* NAME=DURATION */
	/* true when the check holds; else why says where it did not. */
	bool (*check)(const check_ctx_t *c);
} builtin_t;

static void ms(mos_time_t t, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, t / MOS_MSEC,
		 t % MOS_MSEC / MOS_USEC);
}

/* ---- the built-in checks ------------------------------------------------- */

/* Every request routed to a service was answered, failed, or is still in
 * service: none lost, none answered twice. */
static bool check_requests(const check_ctx_t *c)
{
	for (size_t i = 0; i < c->r->nservices; i++) {
		const mos_scenario_service_report_t *s = &c->r->services[i];
		uint64_t done = s->replies + s->request_failures + s->outstanding;

		if (done != s->requests) {
			snprintf(c->why, c->len, "service %s: %" PRIu64
				 " requests but %" PRIu64 " answered, %" PRIu64
				 " failed, %" PRIu64 " in service", s->name,
				 s->requests, s->replies, s->request_failures,
				 s->outstanding);
			return false;
		}
	}
	return true;
}

/* The deadline of the calls to service name: the "deadlines" parameter,
 * else the longest "timeout" of the clients actions at it (none: no
 * deadline). */
static mos_time_t deadline_of(const mos_scenario_t *sc, const char *name)
{
	mos_time_t d = 0;

	if (sc->inv.deadline)
		return sc->inv.deadline;
	for (size_t i = 0; i < sc->nacts; i++) {
		const sc_action_t *a = &sc->acts[i];
		mos_time_t t = MOS_TIME_NEVER;
		json_t *v;

		if (strcmp(a->type->name, "clients") || strcmp(a->service, name))
			continue;
		v = json_object_get(a->obj, "timeout");
		if (json_is_number(v))
			t = (mos_time_t)(json_number_value(v) * 1e6);
		else if (json_is_string(v) &&
			 mos_duration_parse(json_string_value(v), &t) < 0)
			t = MOS_TIME_NEVER;
		if (t > d)
			d = t;
	}
	return d;
}

/* Every call answered within its deadline (a late one should have
 * failed with an error instead). */
static bool check_deadlines(const check_ctx_t *c)
{
	for (size_t i = 0; i < c->r->nservices; i++) {
		const mos_scenario_service_report_t *s = &c->r->services[i];
		mos_time_t d = deadline_of(c->sc, s->name);
		char t[2][32];

		if (!d || d == MOS_TIME_NEVER || s->latency_max <= d)
			continue;
		ms(s->latency_max, t[0], sizeof(t[0]));
		ms(d, t[1], sizeof(t[1]));
		snprintf(c->why, c->len, "service %s: a call answered after "
			 "%s ms (deadline %s ms)", s->name, t[0], t[1]);
		return false;
	}
	return true;
}

/* No process stays a zombie (terminated, not reaped) longer than T. */
static bool check_zombies(const check_ctx_t *c)
{
	mos_time_t limit = c->sc->inv.zombie_age;

	for (size_t i = 0; i < c->r->nprocs; i++) {
		const mos_scenario_proc_report_t *p = &c->r->procs[i];
		mos_time_t gone = p->reaped == MOS_TIME_NEVER ? c->r->end
							      : p->reaped;
		char t[2][32];

		if (p->end == MOS_TIME_NEVER || gone - p->end <= limit)
			continue;
		ms(p->end, t[0], sizeof(t[0]));
		ms(gone - p->end, t[1], sizeof(t[1]));
		snprintf(c->why, c->len, "pid %d (%s): a zombie from %s ms "
			 "for %s ms%s", (int)p->pid, p->name, t[0], t[1],
			 p->reaped == MOS_TIME_NEVER ? ", still at the end"
						     : "");
		return false;
	}
	return true;
}

/* Whether the file leaves service name up: its last start, stop,
 * restart or emergency stop is not a stop. */
static bool wanted_up(const mos_scenario_t *sc, const char *name)
{
	bool up = true;

	for (size_t i = 0; i < sc->nacts; i++) {
		const char *t = sc->acts[i].type->name;

		if (!strcmp(t, "emergency_stop"))
			up = false;
		else if (sc->acts[i].service &&
			 !strcmp(sc->acts[i].service, name) &&
			 (!strcmp(t, "stop") || !strcmp(t, "start") ||
			  !strcmp(t, "restart")))
			up = strcmp(t, "stop") != 0;
	}
	return up;
}

/* The last disruption: the latest kept fault's end, or the latest of
 * the file's actions. */
static mos_time_t last_disruption(const mos_scenario_t *sc,
				  const mos_scenario_result_t *r)
{
	mos_time_t last = 0;

	for (size_t i = 0; i < r->nfaults; i++)
		if (r->faults[i].kept && r->faults[i].until > last)
			last = r->faults[i].until;
	for (size_t i = 0; i < sc->nacts; i++)
		if (sc->acts[i].at > last && sc->acts[i].at <= r->end)
			last = sc->acts[i].at;
	return last;
}

/* A service the file leaves up is Running within T of the last fault,
 * and stays so to the end.  Runs that end before then have no say. */
static bool check_recovery(const check_ctx_t *c)
{
	mos_time_t last = last_disruption(c->sc, c->r);
	mos_time_t by = last + c->sc->inv.recovery;
	char t[3][32];

	if (by < last || c->r->end < by)
		return true;
	ms(last, t[1], sizeof(t[1]));
	ms(c->sc->inv.recovery, t[2], sizeof(t[2]));
	for (size_t i = 0; i < c->r->nservices; i++) {
		const mos_scenario_service_report_t *s = &c->r->services[i];

		if (!wanted_up(c->sc, s->name))
			continue;
		if (s->state != MOS_SVC_RUNNING) {
			ms(c->r->end, t[0], sizeof(t[0]));
			snprintf(c->why, c->len, "service %s is %s (%s) at %s "
				 "ms; last fault at %s ms, allowed %s ms",
				 s->name, mos_service_state_name(s->state),
				 mos_svc_reason_name(s->reason), t[0], t[1],
				 t[2]);
			return false;
		}
		if (s->since > by) {
			ms(s->since, t[0], sizeof(t[0]));
			snprintf(c->why, c->len, "service %s Running only since "
				 "%s ms; last fault at %s ms, allowed %s ms",
				 s->name, t[0], t[1], t[2]);
			return false;
		}
	}
	return true;
}

/* No service restarted more often than its policy's start limit allows
 * within one window. */
static bool check_restarts(const check_ctx_t *c)
{
	for (size_t i = 0; i < c->r->nservices; i++) {
		const mos_scenario_service_report_t *s = &c->r->services[i];
		char t[32];

		if (!s->restart_window || s->restart_burst <= s->max_restarts)
			continue;
		ms(s->restart_window, t, sizeof(t));
		snprintf(c->why, c->len, "service %s restarted %u times within "
			 "%s ms (at most %u)", s->name, s->restart_burst, t,
			 s->max_restarts);
		return false;
	}
	return true;
}

/* No process alive at the end past a hard limit the kernel enforces. */
static bool check_limits(const check_ctx_t *c)
{
	static const char *const what[] = {
		[MOS_RLIMIT_CPU] = "CPU time", [MOS_RLIMIT_LIFETIME] = "lifetime",
		[MOS_RLIMIT_MEMORY] = "memory",
	};

	for (size_t i = 0; i < c->r->nprocs; i++) {
		const mos_scenario_proc_report_t *p = &c->r->procs[i];
		unsigned b = 0;

		if (!p->over_limits)
			continue;
		while (!(p->over_limits >> b & 1))
			b++;
		snprintf(c->why, c->len, "pid %d (%s) alive past its hard %s "
			 "limit", (int)p->pid, p->name,
			 b < sizeof(what) / sizeof(*what) && what[b] ? what[b]
								    : "?");
		return false;
	}
	return true;
}

static const builtin_t builtins[] = {
	{"requests", false, check_requests},
	{"deadlines", true, check_deadlines},
	{"zombies", true, check_zombies},
	{"recovery", true, check_recovery},
	{"restarts", false, check_restarts},
	{"limits", false, check_limits},
};
#define NBUILTIN (sizeof(builtins) / sizeof(*builtins))

/* ---- expectations -------------------------------------------------------- */

static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", NULL};

/* The value at path in doc: keys split by '.', each followed by any
 * number of [N] (an index; negative from the end) or [NAME] (the element
 * whose "name" is NAME).  An array's value is its length when the path
 * ends on it.  NULL: nothing there. */
static json_t *resolve(json_t *doc, const char *path)
{
	const char *p = path;
	json_t *v = doc;

	while (v && *p) {
		size_t n = strcspn(p, ".[");
		char key[MOS_SCENARIO_TEXT_LEN];

		if (n) {
			if (n >= sizeof(key))
				return NULL;
			memcpy(key, p, n);
			key[n] = '\0';
			v = json_object_get(v, key);
			p += n;
		}
		while (v && *p == '[') {
			const char *end = strchr(p, ']');
			char *num;
			long long ix;

			if (!end || (size_t)(end - p - 1) >= sizeof(key))
				return NULL;
			memcpy(key, p + 1, (size_t)(end - p - 1));
			key[end - p - 1] = '\0';
			p = end + 1;
			if (!json_is_array(v))
				return NULL;
			ix = strtoll(key, &num, 10);
			if (key[0] && !*num) {
				if (ix < 0)
					ix += (long long)json_array_size(v);
				v = ix < 0 ? NULL
					   : json_array_get(v, (size_t)ix);
			} else {
				size_t i;
				json_t *e, *hit = NULL;

				json_array_foreach(v, i, e) {
					json_t *nm = json_object_get(e, "name");

					if (!hit && json_is_string(nm) &&
					    !strcmp(json_string_value(nm), key))
						hit = e;
				}
				v = hit;
			}
		}
		if (*p == '.')
			p++;
		else if (*p)
			return NULL;
	}
	return v;
}

/* The path's grammar, checked at load. */
static bool path_ok(const char *p)
{
	if (!*p || *p == '.' || *p == '[')
		return *p == '[' ? strchr(p, ']') != NULL : false;
	for (; *p; p++) {
		if (*p == '[') {
			const char *e = strchr(p, ']');

			if (!e || e == p + 1)
				return false;
			p = e;
			if (p[1] && p[1] != '.' && p[1] != '[')
				return false;
		} else if (*p == '.' && (!p[1] || p[1] == '.' || p[1] == '[')) {
			return false;
		} else if (*p == ']') {
			return false;
		}
	}
	return true;
}

static int compare(json_t *got, json_t *want)
{
	if (json_is_array(got))
		got = json_integer((json_int_t)json_array_size(got));
	else
		json_incref(got);
	if (json_is_number(got) && json_is_number(want)) {
		double a = json_number_value(got), b = json_number_value(want);
		int c = 2;

		if (json_is_integer(got) && json_is_integer(want))
			c = (json_integer_value(got) > json_integer_value(want)) -
			    (json_integer_value(got) < json_integer_value(want));
		else if (!isnan(a) && !isnan(b))
			c = (a > b) - (a < b);
		json_decref(got);
		return c;
	}
	if (json_is_string(got) && json_is_string(want)) {
		int c = strcmp(json_string_value(got), json_string_value(want));

		json_decref(got);
		return (c > 0) - (c < 0);
	}
	{
		int c = json_equal(got, want) ? 0 : 2;

		json_decref(got);
		return c;
	}
}

/* 2 from compare: not comparable, only != holds. */
static bool holds(int op, int c)
{
	switch (op) {
	case 0: return c == 0;
	case 1: return c != 0;
	case 2: return c == -1;
	case 3: return c == -1 || c == 0;
	case 4: return c == 1;
	default: return c == 1 || c == 0;
	}
}

static bool check_expect(const check_ctx_t *c, const sc_expect_t *e,
			 json_t *doc)
{
	json_t *got = doc ? resolve(doc, e->path) : NULL;
	char *g, *w;

	if (got && holds(e->op, compare(got, e->value)))
		return true;
	g = !got ? NULL
	    : json_is_array(got) ? NULL
				 : json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);
	w = json_dumps(e->value, JSON_ENCODE_ANY | JSON_COMPACT);
	if (got && json_is_array(got))
		snprintf(c->why, c->len, "%s has %zu entries, expected %s "
			 "%.40s", e->path, json_array_size(got), ops[e->op],
			 w ? w : "?");
	else
		snprintf(c->why, c->len, "%s is %.40s, expected %s %.40s",
			 e->path, got ? (g ? g : "?") : "missing", ops[e->op],
			 w ? w : "?");
	free(g);
	free(w);
	return false;
}

/* ---- reading ------------------------------------------------------------- */

static int read_expect(mos_jload_t *ld, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"name", "path", "op", "value",
					   NULL};
	mos_scenario_t *sc = ctx;
	sc_expect_t *e = &sc->inv.expect[i];
	char op[4];
	int rc;

	if (!json_is_object(o))
		return mos__json_fail(ld, MOS_ECONFIG, "expected an object");
	snprintf(e->name, sizeof(e->name), "expect[%zu]", i);
	if ((rc = mos__json_check_keys(ld, o, keys)) ||
	    (rc = mos__json_require(ld, o, "path")) ||
	    (rc = mos__json_require(ld, o, "op")) ||
	    (rc = mos__json_require(ld, o, "value")) ||
	    (rc = mos__json_get_string(ld, o, "name", e->name,
				       sizeof(e->name))) ||
	    (rc = mos__json_get_string(ld, o, "path", e->path,
				       sizeof(e->path))) ||
	    (rc = mos__json_get_string(ld, o, "op", op, sizeof(op))))
		return rc;
	for (e->op = 0; ops[e->op] && strcmp(ops[e->op], op); e->op++)
		;
	if (!ops[e->op] || !path_ok(e->path) || !e->name[0]) {
		const char *k = !e->name[0] ? "name" : ops[e->op] ? "path" : "op";

		mos__jpath_push_key(&ld->path, k);
		return mos__json_fail(ld, MOS_ECONFIG, "%s",
				      !e->name[0] ? "must not be empty"
				      : ops[e->op]
					      ? "expected a path: keys split by "
						"'.', each with [N] or [NAME]"
					      : "expected one of == != < <= > >=");
	}
	for (size_t j = 0; j < i; j++)
		if (!strcmp(sc->inv.expect[j].name, e->name)) {
			mos__jpath_push_key(&ld->path, "name");
			return mos__json_fail(ld, MOS_ECONFIG,
					      "duplicate name '%s'", e->name);
		}
	e->value = json_object_get(o, "value");
	if (!strncmp(e->path, "timeline", 8))
		sc->inv.timeline = true;
	sc->inv.nexpect = i + 1;
	return 0;
}

static int read_inv(mos_jload_t *ld, json_t *o, void *ctx)
{
	static const char *const keys[] = {"zombies", "recovery",
					   "deadlines", "expect", NULL};
	mos_scenario_t *sc = ctx;
	json_t *ex = NULL;
	int rc;

	if ((rc = mos__json_check_keys(ld, o, keys)) ||
	    (rc = mos__json_get_duration(ld, o, "zombies", false,
					 &sc->inv.zombie_age)) ||
	    (rc = mos__json_get_duration(ld, o, "recovery", false,
					 &sc->inv.recovery)) ||
	    (rc = mos__json_get_duration(ld, o, "deadlines", false,
					 &sc->inv.deadline)) ||
	    (rc = mos__json_get_array(ld, o, "expect", &ex)) || !ex)
		return rc;
	if (json_array_size(ex) > MOS_SCENARIO_MAX_CHECKS - NBUILTIN) {
		mos__jpath_push_key(&ld->path, "expect");
		return mos__json_fail(ld, MOS_ECONFIG,
				      "must have at most %zu entries",
				      MOS_SCENARIO_MAX_CHECKS - NBUILTIN);
	}
	if (!(sc->inv.expect = calloc(json_array_size(ex) + 1,
				      sizeof(*sc->inv.expect))))
		return mos__json_fail(ld, MOS_ENOMEM, "out of memory");
	mos__jpath_push_key(&ld->path, "expect");
	rc = mos__json_each(ld, ex, MOS_SCENARIO_MAX_CHECKS, read_expect, sc);
	mos__jpath_pop(&ld->path);
	return rc;
}

int mos__sc_read_invariants(mos_jload_t *ld, mos_scenario_t *sc,
			    json_t *root)
{
	sc->inv.zombie_age = DEFAULT_ZOMBIE_AGE;
	sc->inv.recovery = DEFAULT_RECOVERY;
	return mos__json_section(ld, root, "invariants", read_inv, sc);
}

/* ---- the public calls ---------------------------------------------------- */

size_t mos_scenario_check_count(const mos_scenario_t *sc)
{
	return sc ? NBUILTIN + sc->inv.nexpect : 0;
}

const char *mos_scenario_check_name(const mos_scenario_t *sc, size_t i)
{
	if (!sc || i >= NBUILTIN + sc->inv.nexpect)
		return NULL;
	return i < NBUILTIN ? builtins[i].name : sc->inv.expect[i - NBUILTIN].name;
}

int mos_scenario_check_select(mos_scenario_t *sc, const char *const *specs,
			      size_t n, uint64_t *enabled, mos_error_t *err)
{
	sc_inv_t inv;
	uint64_t mask = 0;

	mos__error_clear(err);
	if (!sc || !enabled || (n && !specs))
		return mos__error_path(err, MOS_EINVAL, "--check", "",
				       "sc, specs and enabled must not be NULL");
	inv = sc->inv;
	for (size_t i = 0; i < n; i++) {
		const char *eq = specs[i] ? strchr(specs[i], '=') : NULL;
		size_t len = specs[i] ? (eq ? (size_t)(eq - specs[i])
					    : strlen(specs[i])) : 0;
		size_t j;
		mos_time_t t;

		for (j = 0; j < mos_scenario_check_count(sc); j++) {
			const char *nm = mos_scenario_check_name(sc, j);

			if (strlen(nm) == len && !strncmp(nm, specs[i], len))
				break;
		}
		if (j == mos_scenario_check_count(sc))
			return mos__error_path(err, MOS_ECONFIG, "--check", "",
					       "unknown invariant '%.*s' (the "
					       "built-in ones: requests, "
					       "deadlines, zombies, recovery, "
					       "restarts, limits; or an "
					       "expectation's name)",
					       (int)(len > 60 ? 60 : len),
					       specs[i] ? specs[i] : "");
		if (eq && (j >= NBUILTIN || !builtins[j].has_param ||
			   mos_duration_parse(eq + 1, &t) < 0))
			return mos__error_path(err, MOS_ECONFIG, "--check", "",
					       "'%.80s': %s", specs[i],
					       j >= NBUILTIN || !builtins[j].has_param
						       ? "this invariant takes "
							 "no parameter"
						       : "expected NAME=DURATION");
		if (eq && j == 1)
			inv.deadline = t;
		else if (eq && j == 2)
			inv.zombie_age = t;
		else if (eq && j == 3)
			inv.recovery = t;
		mask |= 1ull << j;
	}
	if (!n)
		mask = mos_scenario_check_count(sc) == 64
			       ? UINT64_MAX
			       : (1ull << mos_scenario_check_count(sc)) - 1;
	sc->inv = inv;
	*enabled = mask;
	return 0;
}

int mos_scenario_check(const mos_scenario_t *sc,
		       const mos_scenario_result_t *r, uint64_t enabled,
		       mos_scenario_verdict_t *v)
{
	size_t n = mos_scenario_check_count(sc);
	json_t *doc = NULL;
	check_ctx_t c = {sc, r, NULL, 0};

	if (!sc || !r || !v)
		return MOS_EINVAL;
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		bool ok;

		if (!(enabled >> i & 1))
			continue;
		c.why = v->why[i];
		c.len = sizeof(v->why[i]);
		if (i < NBUILTIN) {
			ok = builtins[i].check(&c);
		} else {
			if (!doc && !(doc = mos__sc_doc(r, r->nevents > 0)))
				return MOS_ENOMEM;
			ok = check_expect(&c, &sc->inv.expect[i - NBUILTIN], doc);
		}
		if (!ok)
			v->violated |= 1ull << i;
	}
	json_decref(doc);
	return 0;
}
