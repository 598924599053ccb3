/*
 * tests/test_sched_lottery_ostep.c - lottery's ostep draw
 * (src/sched/lottery_ostep.c): the winners are exactly the ones OSTEP's
 * cpu-sched-lottery/lottery.py -c prints ("-> Run N" lines, in order),
 * recorded with tests/ostep/lottery.py under Python 3.11; and the JSON
 * keys "draw", "draw_skip" and "seed_words" with their errors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "multios/config.h"
#include "multios/sched.h"
#include "timeout.h"

TestSuite(lottery_ostep, .timeout = T_TIMEOUT);

#define MAXJ 8

/* The report's slices cut into quanta: one winner per draw. */
static size_t winners(const mos_sched_report_t *r, mos_time_t q,
		      unsigned *out, size_t cap)
{
	size_t n = 0;

	for (size_t s = 0; s < r->nslices; s++) {
		mos_time_t len = r->slices[s].end - r->slices[s].start;
		for (mos_time_t k = 0; k < (len + q - 1) / q && n < cap; k++)
			out[n++] = r->slices[s].proc;
	}
	return n;
}

/* Run jobs (length:tickets, in ms) under the ostep draw with p's seed
 * fields; compare the winners with want. */
static void expect_winners(const unsigned (*jobs)[2], size_t njobs,
			   uint64_t quantum, mos_sched_params_t *p,
			   const unsigned *want, size_t nwant)
{
	mos_workload_t w;
	mos_wl_process_t procs[MAXJ];
	mos_wl_burst_t b[MAXJ];
	mos_sched_report_t *r = NULL;
	mos_error_t err;
	unsigned got[64];
	size_t n;

	memset(&w, 0, sizeof w);
	memset(procs, 0, sizeof procs);
	memset(b, 0, sizeof b);
	snprintf(w.name, sizeof w.name, "t");
	w.tick = MOS_MSEC;
	w.nprocs = njobs;
	w.procs = procs;
	for (size_t i = 0; i < njobs; i++) {
		snprintf(procs[i].name, sizeof procs[i].name, "j%zu", i);
		b[i].kind = MOS_WL_CPU;
		b[i].ticks = jobs[i][0];
		procs[i].nbursts = 1;
		procs[i].bursts = &b[i];
		procs[i].tickets = jobs[i][1];
	}
	snprintf(p->policy, sizeof p->policy, "lottery");
	p->tick = MOS_MSEC;
	p->time_slice = quantum * MOS_MSEC;
	p->lottery_draw = MOS_LOTTERY_OSTEP;
	cr_assert_eq(mos_sched_run_workload(&w, p, &r, &err), 0, "%s",
		     err.message);
	n = winners(r, quantum * MOS_MSEC, got, 64);
	cr_expect_eq(n, nwant, "%zu draws, want %zu", n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++)
		cr_expect_eq(got[i], want[i], "draw %zu: job %u, want %u", i,
			     got[i], want[i]);
	mos_sched_report_free(r);
}

/* lottery.py -s 0 -l 4:10,4:20,4:30 -c : seed 0 is random.seed(0),
 * not the kernel's seed. */
Test(lottery_ostep, seed_zero)
{
	static const unsigned jobs[][2] = {{4, 10}, {4, 20}, {4, 30}};
	static const unsigned want[] = {2, 2, 2, 1, 1, 2, 1, 1, 0, 0, 0, 0};
	mos_sched_params_t p;

	mos_sched_params_default(&p);
	expect_winners(jobs, 3, 1, &p, want, 12);
}

/* lottery.py -s -7 -l 3:10,3:20,1:5 -q 2 -c : random.seed(-7) is
 * random.seed(7); a job finishing inside its quantum hands the rest to
 * the next draw. */
Test(lottery_ostep, negative_seed_and_quantum)
{
	static const unsigned jobs[][2] = {{3, 10}, {3, 20}, {1, 5}};
	static const unsigned want[] = {1, 2, 1, 0, 0};
	mos_sched_params_t p;

	mos_sched_params_default(&p);
	p.nseed_words = 1;
	p.seed_words[0] = 7;
	expect_winners(jobs, 3, 2, &p, want, 5);
	mos_sched_params_default(&p);
	p.seed = 7; /* the same seed without words */
	expect_winners(jobs, 3, 2, &p, want, 5);
}

/* lottery.py -s 5 -l 1:50,6:10,6:40 -c : job 0 finishes after the first
 * draw and leaves the draw; jobs 1 and 2 keep their own 10 and 40
 * tickets, in job order, for the draws after it. */
Test(lottery_ostep, a_finished_job_leaves_the_others_their_tickets)
{
	static const unsigned jobs[][2] = {{1, 50}, {6, 10}, {6, 40}};
	static const unsigned want[] = {0, 2, 2, 1, 2, 2, 1, 2, 1, 2, 1, 1, 1};
	mos_sched_params_t p;

	mos_sched_params_default(&p);
	p.seed = 5;
	expect_winners(jobs, 3, 1, &p, want, 13);
}

/* lottery.py -s 18446744073709551621 -l 2:30,2:60 -c : 2^64 + 5. */
Test(lottery_ostep, seed_beyond_64_bits)
{
	static const unsigned jobs[][2] = {{2, 30}, {2, 60}};
	static const unsigned want[] = {0, 0, 1, 1};
	mos_sched_params_t p;

	mos_sched_params_default(&p);
	p.nseed_words = 3;
	p.seed_words[0] = 5;
	p.seed_words[1] = 0;
	p.seed_words[2] = 1;
	expect_winners(jobs, 2, 1, &p, want, 4);
}

/* lottery.py -s 3 -j 3 -c : its random jobs (2:54, 3:60, 6:6) took 6
 * random() calls before the first draw. */
static const unsigned skip_jobs[][2] = {{2, 54}, {3, 60}, {6, 6}};
static const unsigned skip_want[] = {1, 1, 0, 1, 0, 2, 2, 2, 2, 2, 2};

Test(lottery_ostep, draw_skip)
{
	mos_sched_params_t p;

	mos_sched_params_default(&p);
	p.seed = 3;
	p.draw_skip = 6;
	expect_winners(skip_jobs, 3, 1, &p, skip_want, 11);
}

/* The same run from a workload file. */
Test(lottery_ostep, workload_json)
{
	mos_sched_report_t *r = t_run_workload(
		"{\"name\": \"t\", \"policy\": {\"name\": \"lottery\", "
		"\"quantum\": 1, \"draw\": \"ostep\", \"seed\": 3, "
		"\"draw_skip\": 6}, \"processes\": ["
		"{\"name\": \"a\", \"cpu\": 2, \"tickets\": 54},"
		"{\"name\": \"b\", \"cpu\": 3, \"tickets\": 60},"
		"{\"name\": \"c\", \"cpu\": 6, \"tickets\": 6}]}");
	unsigned got[32];

	cr_assert_eq(winners(r, MOS_MSEC, got, 32), 11);
	for (size_t i = 0; i < 11; i++)
		cr_expect_eq(got[i], skip_want[i], "draw %zu", i);
	mos_sched_report_free(r);

	r = t_run_workload(
		"{\"name\": \"t\", \"policy\": {\"name\": \"lottery\", "
		"\"quantum\": 1, \"draw\": \"ostep\", "
		"\"seed_words\": [5, 0, 1]}, \"processes\": ["
		"{\"name\": \"a\", \"cpu\": 2, \"tickets\": 30},"
		"{\"name\": \"b\", \"cpu\": 2, \"tickets\": 60}]}");
	cr_assert_eq(winners(r, MOS_MSEC, got, 32), 4);
	cr_expect(got[0] == 0 && got[1] == 0 && got[2] == 1 && got[3] == 1);
	mos_sched_report_free(r);
}

static void bad_workload(const char *policy, const char *path,
			 const char *text)
{
	char json[512];
	mos_workload_t *w = NULL;
	mos_error_t err;

	snprintf(json, sizeof json,
		 "{\"name\": \"t\", \"policy\": {\"name\": \"lottery\", %s}, "
		 "\"processes\": [{\"name\": \"a\", \"cpu\": 1}]}", policy);
	cr_assert_eq(t_workload_try(json, &w, &err), MOS_ECONFIG, "%s",
		     policy);
	cr_expect_null(w);
	cr_expect_str_eq(err.path, path);
	cr_expect_str_eq(err.text, text);
}

Test(lottery_ostep, workload_bad_values)
{
	bad_workload("\"draw\": \"fast\"", "policy.draw",
		     "unknown draw 'fast' (known: tree, ostep)");
	bad_workload("\"draw\": 1", "policy.draw", "expected a string");
	bad_workload("\"draw_skip\": -1", "policy.draw_skip",
		     "must not be negative");
	bad_workload("\"draw_skip\": 2", "policy.draw_skip",
		     "needs the ostep draw");
	bad_workload("\"draw\": \"tree\", \"seed_words\": [1]",
		     "policy.seed_words", "needs the ostep draw");
	bad_workload("\"draw\": \"ostep\", \"draw_skip\": 100000001",
		     "policy.draw_skip", "must be at most 100000000");
	bad_workload("\"draw\": \"ostep\", \"seed_words\": [4294967296]",
		     "policy.seed_words[0]",
		     "must be between 0 and 4294967295");
	bad_workload("\"draw\": \"ostep\", \"seed_words\": "
		     "[1, 2, 3, 4, 5, 6, 7, 8, 9]", "policy.seed_words",
		     "must have at most 8 entries");
}

/* A config file's "scheduler" section reads the same keys. */
static int load_config(const char *json, mos_config_t *cfg, mos_error_t *err)
{
	char path[] = "/tmp/mos-cfg-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc;

	cr_assert_not_null(f);
	fputs(json, f);
	fclose(f);
	mos_config_default(cfg);
	rc = mos_config_load_json(path, cfg, err);
	unlink(path);
	return rc;
}

Test(lottery_ostep, config_json)
{
	mos_config_t c;
	mos_error_t err;

	cr_assert_eq(load_config("{\"scheduler\": {\"policy\": \"lottery\", "
				 "\"draw\": \"ostep\", \"draw_skip\": 9, "
				 "\"seed_words\": [1, 2]}}", &c, &err),
		     0, "%s", err.message);
	cr_expect_eq(c.sched.lottery_draw, MOS_LOTTERY_OSTEP);
	cr_expect_eq(c.sched.draw_skip, 9);
	cr_expect_eq(c.sched.nseed_words, 2);
	cr_expect_eq(c.sched.seed_words[1], 2);
	cr_assert_eq(load_config("{\"scheduler\": {\"draw\": \"xo\"}}", &c,
				 &err), MOS_ECONFIG);
	cr_expect_str_eq(err.path, "scheduler.draw");
	cr_expect_str_eq(err.text, "unknown draw 'xo' (known: tree, ostep)");
	cr_expect_eq(c.sched.lottery_draw, MOS_LOTTERY_TREE, "unchanged");
	cr_assert_eq(load_config("{\"scheduler\": {\"draw_skip\": 1}}", &c,
				 &err), MOS_ECONFIG);
	cr_expect_str_eq(err.path, "scheduler.draw_skip");
	cr_expect_str_eq(err.text, "needs the ostep draw");
}

Test(lottery_ostep, validate)
{
	mos_config_t c;
	mos_error_t err;

	mos_config_default(&c);
	c.sched.lottery_draw = 2;
	cr_expect_eq(mos_config_validate(&c, &err), MOS_ECONFIG);
	cr_expect_str_eq(err.path, "scheduler.draw");
	cr_expect_str_eq(err.text, "must be 0 (tree) or 1 (ostep)");
	mos_config_default(&c);
	c.sched.lottery_draw = MOS_LOTTERY_OSTEP;
	c.sched.nseed_words = 9;
	cr_expect_eq(mos_config_validate(&c, &err), MOS_ECONFIG);
	cr_expect_str_eq(err.path, "scheduler.seed_words");
	cr_expect_str_eq(err.text, "must have at most 8 entries");
	c.sched.nseed_words = 8;
	cr_expect_eq(mos_config_validate(&c, &err), 0, "%s", err.message);
}
