/*
 * src/cli/explore_out.c - what `multios explore` prints: the table of
 * invariants by runs violated, each failure described again from its
 * seed (its words, its replay command, its shrinking), as text or one
 * JSON document.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "explore.h"

/* ---- the report ---------------------------------------------------------- */

/* s as one shell word. */
static void shell_word(FILE *out, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_./-=,:@%+") == strlen(s)) {
		fputs(s, out);
		return;
	}
	cli_shell_quote(s, out);
}

/* The command that replays a run: its seed, and (mask) the faults kept. */
static char *replay(const opts_t *o, const char *until,
		    const mos_explore_outcome_t *x, bool mask)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("multios run ", f);
	shell_word(f, o->file);
	fprintf(f, " --seed %" PRIu64, x->seed);
	if (until)
		fprintf(f, " --until %s", until);
	if (o->faults) {
		fputs(" --faults ", f);
		shell_word(f, o->faults);
	}
	if (mask) {
		const char *sep = " --faults-keep ";

		if (!x->fault_mask)
			fputs(" --faults-keep none", f);
		for (uint32_t i = 0; i < x->nfaults; i++)
			if (x->fault_mask >> i & 1) {
				fprintf(f, "%s%u", sep, i);
				sep = ",";
			}
	}
	fprintf(f, " --trace run-%" PRIu64 ".json", x->seed);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The faults a run kept, drawn again from its seed. */
static mos_scenario_result_t *faults_of(const mos_scenario_t *sc,
					const opts_t *o,
					const mos_explore_outcome_t *x)
{
	mos_scenario_opts_t so = {0};
	mos_scenario_result_t *r = NULL;
	mos_error_t err;

	so.has_seed = true;
	so.seed = x->seed;
	so.has_until = o->eo.has_until;
	so.until = o->eo.until;
	so.no_timeline = true;
	so.has_fault_mask = true;
	so.fault_mask = x->fault_mask;
	return mos_scenario_run(sc, &so, &r, &err) < 0 ? NULL : r;
}


int explore_describe(const mos_scenario_t *sc, const opts_t *o,
		    const char *until, const rec_t *rec, failure_t *f)
{
	mos_error_t err;
	int rc;

	memset(f, 0, sizeof(*f));
	f->run = rec->run;
	f->out = rec->out;
	if ((rc = mos_explore_run(sc, &o->eo, rec->out.seed, NULL, &f->out,
				  &f->v, &err)) < 0)
		return rc;
	f->replay = replay(o, until, &f->out, false);
	if (o->shrink) {
		if ((rc = mos_explore_shrink(sc, &o->eo, rec->out.seed,
					     &f->shrunk, &f->shrink_runs,
					     &err)) < 0)
			return rc;
		(void)mos_explore_run(sc, &o->eo, f->shrunk.seed,
				      &f->shrunk.fault_mask, &f->shrunk,
				      &f->sv, &err);
		f->shrunk_ok = true;
		f->replay_shrunk = replay(o, until, &f->shrunk, true);
		f->faults = faults_of(sc, o, &f->shrunk);
	}
	return 0;
}

void explore_failure_free(failure_t *f)
{
	free(f->replay);
	free(f->replay_shrunk);
	mos_scenario_result_free(f->faults);
}

static int popcount(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* How many runs violated check c; *first the seed of the first. */
static uint64_t tally(const opts_t *o, const rec_t *outs, size_t c,
		      uint64_t *first)
{
	uint64_t n = 0;

	*first = 0;
	for (uint64_t i = 0; i < o->runs; i++)
		if (outs[i].out.violated >> c & 1 && !n++)
			*first = outs[i].out.seed;
	return n;
}

void explore_print_text(const mos_scenario_t *sc, const opts_t *o,
		       const rec_t *outs, const failure_t *fs, size_t nf,
		       uint64_t nfailed, FILE *out)
{
	size_t nc = mos_scenario_check_count(sc);
	char t[32];

	fprintf(out, "explore %s: %" PRIu64 " runs from seed %" PRIu64
		" (run i: seed mos_explore_seed(%" PRIu64 ", i))\n\n", o->file,
		o->runs, o->seed, o->seed);
	fprintf(out, "%-24s %18s  %s\n", "INVARIANT", "VIOLATED", "FIRST SEED");
	for (size_t c = 0; c < nc; c++) {
		uint64_t first, n;

		if (!(o->eo.checks >> c & 1))
			continue;
		n = tally(o, outs, c, &first);
		snprintf(t, sizeof(t), "%" PRIu64 "/%" PRIu64, n, o->runs);
		fprintf(out, "%-24s %18s  ", mos_scenario_check_name(sc, c), t);
		if (n)
			fprintf(out, "%" PRIu64 "\n", first);
		else
			fputs("-\n", out);
	}
	fprintf(out, "\n%" PRIu64 " of %" PRIu64 " runs violated an invariant\n",
		nfailed, o->runs);
	for (size_t k = 0; k < nf; k++) {
		const failure_t *f = &fs[k];

		fprintf(out, "\n== failure %zu: run %" PRIu64 ", seed %" PRIu64
			", %u fault(s), trace hash %016" PRIx64 " ==\n", k + 1,
			f->run, f->out.seed, f->out.nfaults, f->out.trace_hash);
		for (size_t c = 0; c < nc; c++)
			if (f->v.violated >> c & 1)
				fprintf(out, "  %s: %s\n",
					mos_scenario_check_name(sc, c),
					f->v.why[c]);
		fprintf(out, "  replay: %s\n", f->replay ? f->replay : "?");
		if (!f->shrunk_ok)
			continue;
		fprintf(out, "  shrunk in %u runs to %d of %u fault(s), trace "
			"hash %016" PRIx64 ":\n", f->shrink_runs,
			popcount(f->shrunk.fault_mask), f->shrunk.nfaults,
			f->shrunk.trace_hash);
		for (size_t i = 0; f->faults && i < f->faults->nfaults; i++) {
			const mos_scenario_fault_t *x = &f->faults->faults[i];

			if (x->kept)
				fprintf(out, "    %3u %12s ms  %-8s %s\n",
					x->ordinal, cli_ms(x->time, t,
							   sizeof(t)),
					x->kind, x->target);
		}
		for (size_t c = 0; c < nc; c++)
			if (f->sv.violated >> c & 1)
				fprintf(out, "    %s: %s\n",
					mos_scenario_check_name(sc, c),
					f->sv.why[c]);
		fprintf(out, "  replay: %s\n",
			f->replay_shrunk ? f->replay_shrunk : "?");
	}
}

static json_t *jint(uint64_t v) { return json_integer((json_int_t)v); }

static json_t *why_json(const mos_scenario_t *sc,
			const mos_scenario_verdict_t *v)
{
	json_t *o = json_object();

	for (size_t c = 0; o && c < mos_scenario_check_count(sc); c++)
		if (v->violated >> c & 1)
			json_object_set_new(o, mos_scenario_check_name(sc, c),
					    json_string(v->why[c]));
	return o;
}

int explore_print_json(const mos_scenario_t *sc, const opts_t *o,
		      const rec_t *outs, const failure_t *fs, size_t nf,
		      uint64_t nfailed, FILE *out)
{
	json_t *checks = json_array(), *fails = json_array(), *doc;
	char h[24];
	int rc;

	for (size_t c = 0; checks && c < mos_scenario_check_count(sc); c++) {
		uint64_t first, n;

		if (!(o->eo.checks >> c & 1))
			continue;
		n = tally(o, outs, c, &first);
		json_array_append_new(checks, json_pack(
			"{s:s, s:o, s:o*}", "name",
			mos_scenario_check_name(sc, c), "violated", jint(n),
			"first_seed", n ? jint(first) : NULL));
	}
	for (size_t k = 0; fails && k < nf; k++) {
		const failure_t *f = &fs[k];
		json_t *x, *kept = json_array();

		snprintf(h, sizeof(h), "%016" PRIx64, f->out.trace_hash);
		x = json_pack("{s:o, s:o, s:i, s:s, s:o, s:s}", "run",
			      jint(f->run), "seed", jint(f->out.seed),
			      "faults", (int)f->out.nfaults, "trace_hash", h,
			      "violated", why_json(sc, &f->v), "replay",
			      f->replay ? f->replay : "");
		for (uint32_t i = 0; kept && i < f->shrunk.nfaults; i++)
			if (f->shrunk.fault_mask >> i & 1)
				json_array_append_new(kept, json_integer(i));
		if (x && f->shrunk_ok) {
			snprintf(h, sizeof(h), "%016" PRIx64,
				 f->shrunk.trace_hash);
			json_object_set_new(x, "shrunk", json_pack(
				"{s:i, s:o, s:s, s:o, s:s}", "runs",
				(int)f->shrink_runs, "faults_kept", kept,
				"trace_hash", h, "violated",
				why_json(sc, &f->sv), "replay",
				f->replay_shrunk ? f->replay_shrunk : ""));
		} else {
			json_decref(kept);
		}
		json_array_append_new(fails, x);
	}
	doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "scenario", o->file,
			"runs", jint(o->runs), "seed", jint(o->seed),
			"failed_runs", jint(nfailed), "invariants", checks,
			"failures", fails);
	if (!doc)
		return MOS_ENOMEM;
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return rc < 0 || fputc('\n', out) == EOF ? MOS_EIO : 0;
}

