/*
 * test_explore.c - scenario faults, jitter and invariants
 * (multios/scenario.h), and fault campaigns (multios/explore.h).
 *
 * Faults: every bad generator refused with its JSON path and nothing
 * changed; a seed's draw pinned (times, targets, ordinals in time
 * order), the same seed the same draw, a mask leaving faults out and
 * nothing else of the run; down as a stop and a start; jitter within its
 * bound.  Invariants: each built-in check on a hand-made result (exact
 * words), expectations' paths and operators, check selection and its
 * errors.  Campaigns: a failing seed found, its replay giving the same
 * trace hash, shrinking to two faults.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multios/multios.h"
#include "timeout.h"

TestSuite(explore, .timeout = T_TIMEOUT);

/* A database whose start limit (1 restart in 30 s) is too low for the
 * crashes it may get. */
static const char flap[] =
	"{\"name\": \"flap\", \"until\": \"10s\",\n"
	" \"services\": [\n"
	"  {\"name\": \"db\", \"command\": [\"server\", \"1ms\", \"500us\"],\n"
	"   \"restart\": {\"policy\": \"always\", \"delay\": \"50ms\",\n"
	"               \"max_restarts\": 1, \"window\": \"30s\"}},\n"
	"  {\"name\": \"web\", \"command\": [\"server\", \"1ms\"],\n"
	"   \"instances\": 2, \"dependencies\": [\"db\"]}],\n"
	" \"faults\": [{\"kind\": \"crash\", \"service\": \"db\",\n"
	"              \"count\": [0, 3], \"window\": [\"500ms\", \"5s\"]}]}";

static mos_scenario_t *load(const char *text)
{
	mos_scenario_t *sc = NULL;
	mos_error_t e;

	cr_assert_eq(mos_scenario_load_string(text, strlen(text), "t", &sc,
					      &e), 0, "%s", e.message);
	return sc;
}

static mos_scenario_result_t *run(const mos_scenario_t *sc, uint64_t seed,
				  const uint64_t *mask)
{
	mos_scenario_opts_t o = {0};
	mos_scenario_result_t *r = NULL;
	mos_error_t e;

	o.has_seed = true;
	o.seed = seed;
	o.has_fault_mask = mask != NULL;
	o.fault_mask = mask ? *mask : 0;
	cr_assert_eq(mos_scenario_run(sc, &o, &r, &e), 0, "%s", e.message);
	return r;
}

/* ---- loading faults ------------------------------------------------------ */

static void refused(const char *faults, const char *msg)
{
	char text[2048];
	mos_scenario_t *sc = (void *)1;
	mos_error_t e;

	snprintf(text, sizeof(text),
		 "{\"services\": [{\"name\": \"db\", \"command\": [\"server\", \"1ms\"],"
		 " \"instances\": 2}], \"processes\": [{\"name\": \"p\", "
		 "\"command\": [\"cpu\", \"1ms\"]}], \"faults\": %s}", faults);
	cr_assert_eq(mos_scenario_load_string(text, strlen(text), "f", &sc, &e),
		     MOS_ECONFIG, "%s accepted", faults);
	cr_assert_null(sc);
	cr_assert_str_eq(e.message, msg, "%s: got '%s'", faults, e.message);
}

Test(explore, bad_faults_are_refused_with_their_path)
{
	refused("{}", "f: faults: expected an array");
	refused("[3]", "f: faults[0]: expected an object");
	refused("[{\"service\": \"db\"}]",
		"f: faults[0].kind: missing required key");
	refused("[{\"kind\": \"melt\", \"service\": \"db\"}]",
		"f: faults[0].kind: unknown fault kind 'melt' (one of: crash, "
		"hang, kill, signal, memory, down)");
	refused("[{\"kind\": \"crash\"}]",
		"f: faults[0]: give either \"process\" or \"service\"");
	refused("[{\"kind\": \"crash\", \"service\": \"nope\"}]",
		"f: faults[0].service: no service named 'nope'");
	refused("[{\"kind\": \"crash\", \"service\": []}]",
		"f: faults[0].service: expected a service name or a non-empty "
		"array of them");
	refused("[{\"kind\": \"crash\", \"service\": [\"db\", 3]}]",
		"f: faults[0].service[1]: expected a string");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"instance\": 2}]",
		"f: faults[0].instance: must be between 0 and 1");
	refused("[{\"kind\": \"crash\", \"process\": \"p\", \"instance\": 0}]",
		"f: faults[0].instance: \"instance\" goes with \"service\"");
	refused("[{\"kind\": \"down\", \"process\": \"p\"}]",
		"f: faults[0]: a down fault takes \"service\"");
	refused("[{\"kind\": \"down\", \"service\": \"db\", \"for\": 0}]",
		"f: faults[0].for: must be at least 1us");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"for\": 5}]",
		"f: faults[0].for: not a key of a crash fault");
	refused("[{\"kind\": \"signal\", \"service\": \"db\"}]",
		"f: faults[0].signal: missing required key");
	refused("[{\"kind\": \"memory\", \"service\": \"db\"}]",
		"f: faults[0].limits: missing required key");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"count\": 65}]",
		"f: faults[0].count: must be between 0 and 64");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"count\": [3, 2]}]",
		"f: faults[0].count: must have 0 <= MIN <= MAX <= 64");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"count\": 1, "
		"\"rate\": 2}]",
		"f: faults[0].rate: give \"count\" or \"rate\", not both");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"window\": "
		"[\"2s\", \"1s\"]}]",
		"f: faults[0].window: FROM must not be after TO");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"window\": "
		"[\"2s\", \"soon\"]}]",
		"f: faults[0].window.to: not a duration (\"100ms\", \"2.5s\", "
		"\"250us\" or a number of milliseconds)");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"count\": 40},"
		" {\"kind\": \"hang\", \"service\": \"db\", \"count\": 30}]",
		"f: faults: at most 64 faults per run (the counts add up to "
		"70)");
	refused("[{\"kind\": \"crash\", \"service\": \"db\", \"speed\": 1}]",
		"f: faults[0].speed: unknown key");
}

Test(explore, set_faults_replaces_or_changes_nothing)
{
	mos_scenario_t *sc = load(flap);
	mos_error_t e;
	const char *bad = "[{\"kind\": \"hang\", \"service\": \"x\"}]";
	const char *good = "[{\"kind\": \"hang\", \"service\": \"web\"},"
			   " {\"kind\": \"down\", \"service\": \"db\"}]";

	cr_assert_eq(mos_scenario_fault_count(sc), 1);
	cr_assert_eq(mos_scenario_set_faults(sc, bad, strlen(bad), "--faults",
					     &e), MOS_ECONFIG);
	cr_assert_str_eq(e.message,
			 "--faults: [0].service: no service named 'x'");
	cr_assert_eq(mos_scenario_fault_count(sc), 1);
	cr_assert_eq(mos_scenario_set_faults(sc, "{", 1, "--faults", &e),
		     MOS_ECONFIG);
	cr_assert_eq(mos_scenario_fault_count(sc), 1);
	cr_assert_eq(mos_scenario_set_faults(sc, good, strlen(good),
					     "--faults", &e), 0, "%s",
		     e.message);
	cr_assert_eq(mos_scenario_fault_count(sc), 2);
	cr_assert_eq(mos_scenario_set_faults(sc, "[]", 2, "--faults", &e), 0);
	cr_assert_eq(mos_scenario_fault_count(sc), 0);
	cr_assert_eq(mos_scenario_set_faults(NULL, "[]", 2, "x", &e),
		     MOS_EINVAL);
	mos_scenario_free(sc);
}

/* ---- drawing ------------------------------------------------------------- */

Test(explore, a_seed_draws_the_same_faults_in_time_order)
{
	mos_scenario_t *sc = load(flap);
	mos_scenario_result_t *a = run(sc, 7, NULL);
	mos_scenario_result_t *b = run(sc, 7, NULL);

	cr_assert_eq(a->nfaults, 3);
	for (size_t i = 0; i < a->nfaults; i++) {
		cr_assert_eq(a->faults[i].ordinal, i);
		cr_assert_str_eq(a->faults[i].kind, "crash");
		cr_assert_str_eq(a->faults[i].target, "db#0");
		cr_assert(a->faults[i].kept);
		cr_assert_eq(a->faults[i].time % MOS_USEC, 0);
		cr_assert_geq(a->faults[i].time, 500 * MOS_MSEC);
		cr_assert_leq(a->faults[i].time, 5 * MOS_SEC);
		cr_assert(i == 0 || a->faults[i].time >= a->faults[i - 1].time);
		cr_assert_eq(a->faults[i].time, b->faults[i].time);
	}
	/* Pinned: what seed 7 draws (multios run with --seed 7 shows it). */
	cr_assert_eq(a->faults[0].time, 1565718 * MOS_USEC);
	cr_assert_eq(a->faults[1].time, 3204370 * MOS_USEC);
	cr_assert_eq(a->faults[2].time, 4420271 * MOS_USEC);
	cr_assert_eq(a->trace_hash, b->trace_hash);
	/* The second crash came within the window of the first restart. */
	cr_assert_eq(a->services[0].state, MOS_SVC_FAILED);
	cr_assert_eq(a->services[0].reason, MOS_SVC_R_START_LIMIT);
	cr_assert_eq(a->services[0].restart_burst, 1);
	mos_scenario_result_free(a);
	mos_scenario_result_free(b);
	mos_scenario_free(sc);
}

Test(explore, a_mask_leaves_faults_out_and_nothing_else)
{
	mos_scenario_t *sc = load(flap);
	uint64_t keep = 0x6, none = 0;
	mos_scenario_result_t *all = run(sc, 7, NULL);
	mos_scenario_result_t *two = run(sc, 7, &keep);
	mos_scenario_result_t *zero = run(sc, 7, &none);
	size_t lines = 0;

	cr_assert_eq(two->nfaults, 3);
	cr_assert_not(two->faults[0].kept);
	cr_assert(two->faults[1].kept && two->faults[2].kept);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(two->faults[i].time, all->faults[i].time);
	for (size_t i = 0; i < two->nevents; i++)
		if (!strcmp(two->events[i].event, "fault crash")) {
			cr_assert_eq(two->events[i].time,
				     two->faults[1 + lines].time);
			lines++;
		}
	cr_assert_eq(lines, 2);
	cr_assert_neq(two->trace_hash, all->trace_hash);
	/* Two crashes are still one too many. */
	cr_assert_eq(two->services[0].state, MOS_SVC_FAILED);
	cr_assert_eq(zero->services[0].state, MOS_SVC_RUNNING);
	cr_assert_eq(zero->services[0].restarts, 0);
	mos_scenario_result_free(all);
	mos_scenario_result_free(two);
	mos_scenario_result_free(zero);
	mos_scenario_free(sc);
}

Test(explore, down_is_a_stop_then_a_start)
{
	const char *text =
		"{\"until\": \"2s\", \"services\": [{\"name\": \"db\", "
		"\"command\": [\"server\", \"1ms\"]}], \"faults\": [{\"kind\": \"down\", "
		"\"service\": \"db\", \"for\": \"300ms\", \"window\": "
		"[\"1s\", \"1s\"]}]}";
	mos_scenario_t *sc = load(text);
	mos_scenario_result_t *r = run(sc, 1, NULL);
	int seen = 0;

	cr_assert_eq(r->nfaults, 1);
	cr_assert_eq(r->faults[0].time, MOS_SEC);
	cr_assert_eq(r->faults[0].until, 1300 * MOS_MSEC);
	cr_assert_str_eq(r->faults[0].target, "service db");
	for (size_t i = 0; i < r->nevents; i++) {
		const mos_scenario_event_t *e = &r->events[i];

		if (!strcmp(e->event, "fault down")) {
			cr_assert_eq(e->time, MOS_SEC);
			seen |= 1;
		} else if (!strcmp(e->event, "fault down ends")) {
			cr_assert_eq(e->time, 1300 * MOS_MSEC);
			seen |= 2;
		}
	}
	cr_assert_eq(seen, 3);
	cr_assert_eq(r->services[0].state, MOS_SVC_RUNNING);
	cr_assert_eq(r->services[0].since, 1300 * MOS_MSEC);
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}

Test(explore, jitter_moves_an_action_within_its_bound)
{
	const char *text =
		"{\"until\": \"1s\", \"actions\": [{\"at\": \"100ms\", "
		"\"jitter\": \"50ms\", \"do\": \"mark\", \"label\": \"x\"}]}";
	mos_scenario_t *sc = load(text);
	mos_time_t first = 0;
	bool moved = false;

	for (uint64_t s = 0; s < 20; s++) {
		mos_scenario_result_t *r = run(sc, s, NULL);
		mos_scenario_result_t *again = run(sc, s, NULL);

		cr_assert_eq(r->nevents, 1);
		cr_assert_geq(r->events[0].time, 100 * MOS_MSEC);
		cr_assert_leq(r->events[0].time, 150 * MOS_MSEC);
		cr_assert_eq(r->events[0].time, again->events[0].time);
		if (s == 0)
			first = r->events[0].time;
		moved |= r->events[0].time != first;
		mos_scenario_result_free(r);
		mos_scenario_result_free(again);
	}
	cr_assert(moved);
	mos_scenario_free(sc);
}

/* ---- the checks on hand-made results ------------------------------------- */

static const char plain[] =
	"{\"until\": \"10s\", \"services\": [{\"name\": \"db\", \"command\": "
	"[\"server\", \"1ms\"]}, {\"name\": \"web\", \"command\": [\"server\", \"1ms\"]}],"
	" \"actions\": [{\"at\": \"1s\", \"do\": \"clients\", \"service\": "
	"\"web\", \"rate\": 10, \"count\": 5, \"timeout\": \"300ms\"}]}";

static mos_scenario_service_report_t svc[2];
static mos_scenario_proc_report_t procs[1];

static mos_scenario_result_t healthy(void)
{
	mos_scenario_result_t r;

	memset(&r, 0, sizeof(r));
	memset(svc, 0, sizeof(svc));
	memset(procs, 0, sizeof(procs));
	r.end = 10 * MOS_SEC;
	r.nservices = 2;
	r.services = svc;
	snprintf(svc[0].name, sizeof(svc[0].name), "db");
	snprintf(svc[1].name, sizeof(svc[1].name), "web");
	for (int i = 0; i < 2; i++) {
		svc[i].state = MOS_SVC_RUNNING;
		svc[i].since = MOS_SEC;
		svc[i].requests = 10;
		svc[i].replies = 7;
		svc[i].request_failures = 2;
		svc[i].outstanding = 1;
		svc[i].latency_max = 300 * MOS_MSEC;
	}
	r.nprocs = 1;
	r.procs = procs;
	procs[0].pid = 5;
	snprintf(procs[0].name, sizeof(procs[0].name), "worker");
	procs[0].end = 2 * MOS_SEC;
	procs[0].reaped = 3 * MOS_SEC;
	return r;
}

/* Check the result with check `name` only: its words, or "" if it held. */
static const char *verdict(mos_scenario_t *sc, const mos_scenario_result_t *r,
			   const char *name)
{
	static mos_scenario_verdict_t v;
	uint64_t mask;
	size_t i;
	mos_error_t e;

	cr_assert_eq(mos_scenario_check_select(sc, &name, 1, &mask, &e), 0,
		     "%s", e.message);
	cr_assert_eq(mos_scenario_check(sc, r, mask, &v), 0);
	for (i = 0; !(mask >> i & 1); i++)
		;
	cr_assert_eq(v.violated & ~mask, 0);
	return v.violated ? v.why[i] : "";
}

Test(explore, builtin_checks_on_hand_made_results)
{
	mos_scenario_t *sc = load(plain);
	mos_scenario_result_t r = healthy();

	for (size_t i = 0; i < 6; i++)
		cr_assert_str_eq(verdict(sc, &r,
					 mos_scenario_check_name(sc, i)), "",
				 "%s", mos_scenario_check_name(sc, i));
	svc[1].replies = 8;
	cr_assert_str_eq(verdict(sc, &r, "requests"),
			 "service web: 10 requests but 8 answered, 2 failed, "
			 "1 in service");
	r = healthy();
	svc[1].latency_max = 300 * MOS_MSEC + 1000;
	cr_assert_str_eq(verdict(sc, &r, "deadlines"),
			 "service web: a call answered after 300.001 ms "
			 "(deadline 300.000 ms)");
	/* db has no clients, so no deadline but the one given. */
	r = healthy();
	svc[0].latency_max = 5 * MOS_SEC;
	cr_assert_str_eq(verdict(sc, &r, "deadlines"), "");
	cr_assert_str_eq(verdict(sc, &r, "deadlines=1s"),
			 "service db: a call answered after 5000.000 ms "
			 "(deadline 1000.000 ms)");
	r = healthy();
	procs[0].reaped = 3 * MOS_SEC + 1000;
	cr_assert_str_eq(verdict(sc, &r, "zombies"),
			 "pid 5 (worker): a zombie from 2000.000 ms for "
			 "1000.001 ms");
	procs[0].reaped = MOS_TIME_NEVER;
	cr_assert_str_eq(verdict(sc, &r, "zombies=9s"), "");
	cr_assert_str_eq(verdict(sc, &r, "zombies=1s"),
			 "pid 5 (worker): a zombie from 2000.000 ms for "
			 "8000.000 ms, still at the end");
	mos_scenario_free(sc);
}

Test(explore, recovery_restarts_and_limits_checks)
{
	mos_scenario_t *sc = load(plain);
	mos_scenario_result_t r = healthy();
	mos_scenario_fault_t f = {.ordinal = 0, .time = 2 * MOS_SEC,
				  .until = 2 * MOS_SEC, .kept = true};

	r.nfaults = 1;
	r.faults = &f;
	svc[0].state = MOS_SVC_FAILED;
	svc[0].reason = MOS_SVC_R_START_LIMIT;
	cr_assert_str_eq(verdict(sc, &r, "recovery"),
			 "service db is Failed (start limit) at 10000.000 ms; "
			 "last fault at 2000.000 ms, allowed 5000.000 ms");
	/* The run ends before the allowance is over: no say. */
	cr_assert_str_eq(verdict(sc, &r, "recovery=9s"), "");
	svc[0].state = MOS_SVC_RUNNING;
	svc[0].since = 7 * MOS_SEC + 1;
	cr_assert_str_eq(verdict(sc, &r, "recovery=5s"),
			 "service db Running only since 7000.000 ms; last "
			 "fault at 2000.000 ms, allowed 5000.000 ms");
	svc[0].since = 7 * MOS_SEC;
	cr_assert_str_eq(verdict(sc, &r, "recovery"), "");
	/* A kept fault's end counts, a left-out one does not. */
	f.until = 2500 * MOS_MSEC;
	cr_assert_str_eq(verdict(sc, &r, "recovery"), "");
	r = healthy();
	svc[1].max_restarts = 3;
	svc[1].restart_window = 10 * MOS_SEC;
	svc[1].restart_burst = 4;
	cr_assert_str_eq(verdict(sc, &r, "restarts"),
			 "service web restarted 4 times within 10000.000 ms "
			 "(at most 3)");
	svc[1].restart_burst = 3;
	cr_assert_str_eq(verdict(sc, &r, "restarts"), "");
	procs[0].over_limits = 1u << MOS_RLIMIT_MEMORY;
	cr_assert_str_eq(verdict(sc, &r, "limits"),
			 "pid 5 (worker) alive past its hard memory limit");
	mos_scenario_free(sc);
}

Test(explore, expectations_read_paths_of_the_run_document)
{
	const char *text =
		"{\"until\": \"1s\", \"services\": [{\"name\": \"db\", "
		"\"command\": [\"server\", \"1ms\"]}], \"invariants\": {\"expect\": [\n"
		" {\"name\": \"up\", \"path\": \"services[db].state\", \"op\": "
		"\"==\", \"value\": \"Running\"},\n"
		" {\"name\": \"two\", \"path\": \"processes\", \"op\": \">=\", "
		"\"value\": 2},\n"
		" {\"name\": \"last\", \"path\": \"processes[-1].pid\", \"op\": "
		"\"<\", \"value\": 2},\n"
		" {\"name\": \"ghost\", \"path\": \"services[web].state\", "
		"\"op\": \"!=\", \"value\": \"x\"},\n"
		" {\"path\": \"stats.processes_created\", \"op\": \"==\", "
		"\"value\": 2}]}}";
	mos_scenario_t *sc = load(text);
	mos_scenario_result_t *r = run(sc, 1, NULL);
	mos_scenario_verdict_t v;
	uint64_t all;
	mos_error_t e;

	cr_assert_eq(mos_scenario_check_count(sc), 11);
	cr_assert_str_eq(mos_scenario_check_name(sc, 6), "up");
	cr_assert_str_eq(mos_scenario_check_name(sc, 10), "expect[4]");
	cr_assert_null(mos_scenario_check_name(sc, 11));
	cr_assert_eq(mos_scenario_check_select(sc, NULL, 0, &all, &e), 0);
	cr_assert_eq(all, 0x7ff);
	cr_assert_eq(mos_scenario_check(sc, r, all, &v), 0);
	cr_assert_eq(v.violated, (1u << 7) | (1u << 8) | (1u << 9));
	cr_assert_str_eq(v.why[7], "processes has 1 entries, expected >= 2");
	cr_assert_str_eq(v.why[8], "processes[-1].pid is 2, expected < 2");
	cr_assert_str_eq(v.why[9], "services[web].state is missing, "
				   "expected != \"x\"");
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}

static void bad_invariants(const char *inv, const char *msg)
{
	char text[1024];
	mos_scenario_t *sc = NULL;
	mos_error_t e;

	snprintf(text, sizeof(text), "{\"invariants\": %s}", inv);
	cr_assert_eq(mos_scenario_load_string(text, strlen(text), "i", &sc, &e),
		     MOS_ECONFIG, "%s accepted", inv);
	cr_assert_str_eq(e.message, msg, "%s: got '%s'", inv, e.message);
}

Test(explore, bad_invariants_and_check_names_are_refused)
{
	mos_scenario_t *sc = load(plain);
	const char *specs[2];
	uint64_t mask = 42;
	mos_error_t e;

	bad_invariants("{\"zombie\": 1}", "i: invariants.zombie: unknown key");
	bad_invariants("{\"expect\": [{\"path\": \"a\", \"op\": \"=\", "
		       "\"value\": 1}]}",
		       "i: invariants.expect[0].op: expected one of == != < "
		       "<= > >=");
	bad_invariants("{\"expect\": [{\"path\": \"a..b\", \"op\": \"==\", "
		       "\"value\": 1}]}",
		       "i: invariants.expect[0].path: expected a path: keys "
		       "split by '.', each with [N] or [NAME]");
	bad_invariants("{\"expect\": [{\"path\": \"a\", \"op\": \"==\"}]}",
		       "i: invariants.expect[0].value: missing required key");
	bad_invariants("{\"expect\": [{\"name\": \"x\", \"path\": \"a\", "
		       "\"op\": \"==\", \"value\": 1}, {\"name\": \"x\", "
		       "\"path\": \"b\", \"op\": \"==\", \"value\": 1}]}",
		       "i: invariants.expect[1].name: duplicate name 'x'");
	specs[0] = "uptime";
	cr_assert_eq(mos_scenario_check_select(sc, specs, 1, &mask, &e),
		     MOS_ECONFIG);
	cr_assert_eq(mask, 42);
	cr_assert(strstr(e.message, "unknown invariant 'uptime'"), "%s",
		  e.message);
	specs[0] = "requests=1s";
	cr_assert_eq(mos_scenario_check_select(sc, specs, 1, &mask, &e),
		     MOS_ECONFIG);
	cr_assert(strstr(e.message, "takes no parameter"), "%s", e.message);
	specs[0] = "zombies=soon";
	cr_assert_eq(mos_scenario_check_select(sc, specs, 1, &mask, &e),
		     MOS_ECONFIG);
	specs[0] = "zombies";
	specs[1] = "limits";
	cr_assert_eq(mos_scenario_check_select(sc, specs, 2, &mask, &e), 0);
	cr_assert_eq(mask, (1u << 2) | (1u << 5));
	cr_assert_eq(mos_scenario_check_select(NULL, specs, 2, &mask, &e),
		     MOS_EINVAL);
	mos_scenario_free(sc);
}

/* ---- campaigns ----------------------------------------------------------- */

Test(explore, a_campaign_finds_replays_and_shrinks_a_failure)
{
	mos_scenario_t *sc = load(flap);
	mos_explore_opts_t o = {0};
	mos_explore_outcome_t out, small;
	mos_scenario_result_t *r;
	uint32_t runs = 0, failed = 0;
	uint64_t first = 0;
	mos_error_t e;
	const char *rec = "recovery";

	cr_assert_eq(mos_scenario_check_select(sc, &rec, 1, &o.checks, &e), 0);
	/* A success leaves no error behind from an earlier call. */
	cr_assert_eq(mos_explore_run(NULL, &o, 1, NULL, &out, NULL, &e),
		     MOS_EINVAL);
	cr_assert_eq(mos_explore_run(sc, &o, 1, NULL, &out, NULL, &e), 0);
	cr_assert_eq(e.code, 0);
	cr_assert_eq(mos_explore_shrink(NULL, &o, 1, &small, NULL, &e),
		     MOS_EINVAL);
	for (uint64_t i = 0; i < 50; i++) {
		cr_assert_eq(mos_explore_run(sc, &o, mos_explore_seed(7, i), NULL,
					     &out, NULL, &e), 0, "%s",
			     e.message);
		cr_assert_eq(out.seed, mos_explore_seed(7, i));
		cr_assert_eq(out.end, 10 * MOS_SEC);
		if (out.violated && !failed++)
			first = out.seed;
	}
	cr_assert_gt(failed, 0);
	cr_assert_lt(failed, 50);
	/* The replay: the same seed through mos_scenario_run. */
	cr_assert_eq(mos_explore_run(sc, &o, first, NULL, &out, NULL, &e), 0);
	r = run(sc, first, NULL);
	cr_assert_eq(r->trace_hash, out.trace_hash);
	cr_assert_eq(r->nfaults, out.nfaults);
	mos_scenario_result_free(r);
	cr_assert_eq(mos_explore_shrink(sc, &o, first, &small, &runs, &e), 0);
	cr_assert(small.violated & 1u << 3);
	cr_assert_eq(__builtin_popcountll(small.fault_mask), 2);
	cr_assert_eq(small.fault_mask & ~out.fault_mask, 0);
	cr_assert_geq(runs, 2);
	r = run(sc, first, &small.fault_mask);
	cr_assert_eq(r->trace_hash, small.trace_hash);
	mos_scenario_result_free(r);
	/* A seed that holds cannot be shrunk. */
	for (uint64_t i = 0; i < 50; i++) {
		cr_assert_eq(mos_explore_run(sc, &o, mos_explore_seed(7, i), NULL,
					     &out, NULL, &e), 0);
		if (!out.violated) {
			cr_assert_eq(mos_explore_shrink(sc, &o, out.seed, &small,
							NULL, &e), MOS_EINVAL);
			break;
		}
	}
	cr_assert_eq(mos_explore_run(NULL, &o, 1, NULL, &out, NULL, &e),
		     MOS_EINVAL);
	mos_scenario_free(sc);
}

Test(explore, seeds_of_a_campaign_differ)
{
	cr_assert_neq(mos_explore_seed(1, 0), mos_explore_seed(1, 1));
	cr_assert_neq(mos_explore_seed(1, 0), mos_explore_seed(2, 0));
	cr_assert_eq(mos_explore_seed(1, 0), 10451216379200822465ull);
}

Test(explore, probe_jitter_moves_the_probes_phase)
{
	const char *text =
		"{\"until\": \"300ms\", \"probe_jitter\": \"100ms\", "
		"\"services\": [{\"name\": \"db\", \"command\": [\"server\", "
		"\"1ms\"], \"liveness_probe\": {\"kind\": \"ping\", "
		"\"interval\": \"250ms\", \"timeout\": \"50ms\"}}]}";
	const char *bad =
		"{\"probe_jitter\": \"86400s\", \"services\": [{\"name\": \"db\", "
		"\"command\": [\"server\", \"1ms\"], \"liveness_probe\": "
		"{\"kind\": \"ping\", \"initial_delay\": \"1s\"}}]}";
	mos_scenario_t *sc = load(text), *none = NULL;
	bool seen[3] = {false, false, false};
	mos_error_t e;

	for (uint64_t s = 0; s < 20; s++) {
		mos_scenario_result_t *r = run(sc, s, NULL);
		mos_scenario_result_t *again = run(sc, s, NULL);

		/* Checks at the phase d and d + 250 ms: two in 300 ms when
		 * d <= 50 ms, else one. */
		cr_assert(r->services[0].health_checks == 1 ||
			  r->services[0].health_checks == 2);
		cr_assert_eq(r->services[0].health_checks,
			     again->services[0].health_checks);
		cr_assert_eq(r->trace_hash, again->trace_hash);
		seen[r->services[0].health_checks] = true;
		mos_scenario_result_free(r);
		mos_scenario_result_free(again);
	}
	cr_assert(seen[1] && seen[2], "the phase never moved a check");
	cr_assert_eq(mos_scenario_load_string(bad, strlen(bad), "p", &none, &e),
		     MOS_ECONFIG);
	cr_assert_str_eq(e.message, "p: probe_jitter: moves service 'db''s "
				    "first probe past the longest initial_delay");
	mos_scenario_free(sc);
}

Test(explore, a_rate_draws_poisson_counts_and_64_downs_fit)
{
	const char *rate =
		"{\"until\": \"10s\", \"services\": [{\"name\": \"db\", "
		"\"command\": [\"server\", \"1ms\"]}], \"faults\": [{\"kind\": "
		"\"hang\", \"service\": \"db\", \"rate\": 2}]}";
	const char *downs =
		"{\"until\": \"1s\", \"services\": [{\"name\": \"db\", "
		"\"command\": [\"server\", \"1ms\"]}], \"faults\": [{\"kind\": "
		"\"down\", \"service\": \"db\", \"count\": 64, \"for\": \"1ms\"}]}";
	mos_scenario_t *sc = load(rate);
	uint64_t total = 0;
	size_t lines[2] = {0, 0};
	mos_scenario_result_t *r;

	/* A Poisson count of mean 2/s x 10 s = 20: the mean of 100 runs'
	 * counts is near it. */
	for (uint64_t s = 0; s < 100; s++) {
		r = run(sc, s, NULL);
		total += r->nfaults;
		mos_scenario_result_free(r);
	}
	cr_assert(total >= 1850 && total <= 2150, "mean count %.2f",
		  (double)total / 100);
	mos_scenario_free(sc);
	/* The most faults a run may draw, each two actions. */
	sc = load(downs);
	r = run(sc, 3, NULL);
	cr_assert_eq(r->nfaults, 64);
	for (size_t i = 0; i < r->nevents; i++) {
		lines[0] += !strcmp(r->events[i].event, "fault down");
		lines[1] += !strcmp(r->events[i].event, "fault down ends");
	}
	cr_assert_eq(lines[0], 64);
	cr_assert_eq(lines[1], 64);
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}

Test(explore, recovery_spares_a_service_the_file_stops)
{
	const char *text =
		"{\"until\": \"10s\", \"services\": [{\"name\": \"db\", "
		"\"command\": [\"server\", \"1ms\"]}, {\"name\": \"web\", "
		"\"command\": [\"server\", \"1ms\"]}], \"actions\": [{\"at\": "
		"\"1s\", \"do\": \"stop\", \"service\": \"db\"}]}";
	mos_scenario_t *sc = load(text);
	mos_scenario_result_t *r = run(sc, 1, NULL);

	cr_assert_eq(r->services[0].state, MOS_SVC_STOPPED);
	cr_assert_str_eq(verdict(sc, r, "recovery"), "");
	mos_scenario_result_free(r);
	mos_scenario_free(sc);
}
