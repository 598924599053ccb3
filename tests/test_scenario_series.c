/*
 * test_scenario_series.c - a scenario run's time series and the host's
 * hooks (multios/scenario.h: sample_interval, mos_scenario_sample_t,
 * mos_scenario_opts_t's on_start/on_tick/on_end/tick/realtime).
 *
 * Exact samples of a one-process run; the calls of the interval in the
 * right sample; sampling, hooks and the realtime clock changing nothing
 * in the run (the trace hash); on_tick ending a run at the exact boundary
 * with the result marked interrupted; a failing on_start failing the run
 * and on_end always called once.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "multios/multios.h"
#include "timeout.h"

TestSuite(scenario_series, .timeout = T_TIMEOUT);

static mos_scenario_t *load(const char *text)
{
	char path[] = "/tmp/scen_series_XXXXXX";
	mos_scenario_t *sc = NULL;
	mos_error_t e;
	int fd = mkstemp(path);
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(mos_scenario_load(path, &sc, &e), 0, "%s", e.message);
	unlink(path);
	return sc;
}

static mos_scenario_result_t *run(const char *text,
				  const mos_scenario_opts_t *o)
{
	mos_scenario_t *sc = load(text);
	mos_scenario_result_t *r = NULL;
	mos_error_t e;

	cr_assert_eq(mos_scenario_run(sc, o, &r, &e), 0, "%s", e.message);
	mos_scenario_free(sc);
	return r;
}

/* One process computing 150 ms from 0, sampled every 100 ms to 400 ms. */
static const char one_cpu[] =
	"{\"until\": \"400ms\", \"processes\": [{\"name\": \"burn\", "
	"\"command\": [\"cpu\", \"150ms\"]}]}";

Test(scenario_series, samples_of_one_busy_process_are_exact)
{
	mos_scenario_result_t *r = run(one_cpu, NULL);
	const mos_scenario_sample_t *s = r->samples;

	cr_assert_eq(r->sample_interval, 100 * MOS_MSEC);
	cr_assert_eq(r->nsamples, 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(s[i].time, (i + 1) * 100 * MOS_MSEC);
	/* Busy the whole first interval, half the second, then idle. */
	cr_assert_eq(s[0].cpu_permille, 1000);
	cr_assert_eq(s[1].cpu_permille, 500);
	cr_assert_eq(s[2].cpu_permille, 0);
	cr_assert_eq(s[3].cpu_permille, 0);
	/* At 100 ms it is running; from 150 ms it is gone. */
	cr_assert_eq(s[0].runnable, 1);
	cr_assert_eq(s[1].runnable, 0);
	cr_assert_eq(s[0].requests + s[1].requests, 0);
	cr_assert_eq(r->nprocs, 1);
	cr_assert_eq(r->procs[0].start, 0);
	cr_assert_eq(r->procs[0].end, 150 * MOS_MSEC);
	mos_scenario_result_free(r);
}

Test(scenario_series, the_end_gets_a_last_sample)
{
	mos_scenario_result_t *r = run(
		"{\"until\": \"250ms\", \"sample_interval\": \"100ms\", "
		"\"processes\": [{\"name\": \"b\", \"command\": [\"cpu\", "
		"\"1s\"]}]}", NULL);

	cr_assert_eq(r->nsamples, 3);
	cr_assert_eq(r->samples[2].time, 250 * MOS_MSEC);
	cr_assert_eq(r->samples[2].cpu_permille, 1000);
	cr_assert_eq(r->procs[0].end, MOS_TIME_NEVER, "still alive");
	mos_scenario_result_free(r);
}

/* A server answering in exactly 2 ms, one client calling 10 times a
 * second from 0 for 5 calls: the calls fall in the intervals they
 * returned in. */
static const char calls[] =
	"{\"until\": \"1s\", \"sample_interval\": \"250ms\", \"services\": "
	"[{\"name\": \"s\", \"command\": [\"server\", \"2ms\"]}], "
	"\"actions\": [{\"at\": 0, \"do\": \"clients\", \"service\": \"s\", "
	"\"rate\": 10, \"count\": 5}]}";

Test(scenario_series, calls_are_counted_in_their_interval)
{
	mos_scenario_result_t *r = run(calls, NULL);
	uint64_t sum = 0;

	cr_assert_eq(r->nsamples, 4);
	for (size_t i = 0; i < r->nsamples; i++) {
		sum += r->samples[i].requests;
		cr_assert_eq(r->samples[i].requests_failed, 0);
		if (r->samples[i].requests) {
			cr_assert_eq(r->samples[i].latency_p50, 2 * MOS_MSEC,
				     "sample %zu p50 %llu", i,
				     (unsigned long long)r->samples[i].latency_p50);
			cr_assert_eq(r->samples[i].latency_max, 2 * MOS_MSEC);
		} else {
			cr_assert_eq(r->samples[i].latency_p50, 0);
		}
	}
	cr_assert_eq(sum, 5);
	cr_assert_eq(r->samples[0].requests, 3, "calls at 0, 100, 200 ms");
	cr_assert_eq(r->samples[1].requests, 2, "calls at 300, 400 ms");
	cr_assert_eq(r->nservices, 1);
	cr_assert_eq(r->services[0].calls, 5);
	mos_scenario_result_free(r);
}

/* The same run with another interval, none, hooks, and on the realtime
 * clock: the same trace. */
Test(scenario_series, sampling_and_hooks_change_nothing_in_the_run)
{
	static const char *const texts[] = {
		"{\"until\": \"1s\", \"sample_interval\": 0, ",
		"{\"until\": \"1s\", \"sample_interval\": \"7ms\", ",
		"{\"until\": \"1s\", ",
	};
	static const char rest[] =
		"\"services\": [{\"name\": \"s\", \"command\": [\"server\", "
		"\"2ms\", \"1ms\"], \"instances\": 2}], \"actions\": [{\"at\": "
		"0, \"do\": \"clients\", \"service\": \"s\", \"rate\": 50, "
		"\"count\": 30, \"clients\": 3}]}";
	uint64_t hash[4];
	char buf[512];

	for (size_t i = 0; i < 3; i++) {
		mos_scenario_result_t *r;

		snprintf(buf, sizeof(buf), "%s%s", texts[i], rest);
		r = run(buf, NULL);
		hash[i] = r->trace_hash;
		if (i == 0)
			cr_assert_eq(r->nsamples, 0);
		else
			cr_assert_gt(r->nsamples, 0);
		mos_scenario_result_free(r);
	}
	{
		mos_scenario_opts_t o = {0};
		mos_scenario_result_t *r;

		o.realtime = true;
		o.speed = 1e6; /* 1 s of virtual time in a microsecond */
		snprintf(buf, sizeof(buf), "%s%s", texts[2], rest);
		r = run(buf, &o);
		hash[3] = r->trace_hash;
		mos_scenario_result_free(r);
	}
	cr_assert_eq(hash[1], hash[0]);
	cr_assert_eq(hash[2], hash[0]);
	cr_assert_eq(hash[3], hash[0], "the realtime clock paces only");
}

typedef struct hooks {
	int starts, ticks, ends;
	mos_time_t stop_at;     /* on_tick says stop from here */
	int start_rc;
	mos_time_t first_tick;
	mos_kernel_t *k;
} hooks_t;

static int h_start(void *d, mos_kernel_t *k)
{
	hooks_t *h = d;

	h->starts++;
	h->k = k;
	cr_assert_eq(mos_kernel_now(k), 0);
	return h->start_rc;
}

static bool h_tick(void *d, mos_kernel_t *k)
{
	hooks_t *h = d;

	cr_assert_eq(k, h->k);
	if (!h->ticks++)
		h->first_tick = mos_kernel_now(k);
	return mos_kernel_now(k) >= h->stop_at;
}

static void h_end(void *d, mos_kernel_t *k)
{
	hooks_t *h = d;

	cr_assert_eq(k, h->k);
	h->ends++;
}

static void hook(mos_scenario_opts_t *o, hooks_t *h)
{
	memset(o, 0, sizeof(*o));
	o->hook_data = h;
	o->on_start = h_start;
	o->on_tick = h_tick;
	o->on_end = h_end;
}

Test(scenario_series, on_tick_ends_the_run_at_the_boundary)
{
	hooks_t h = {.stop_at = 250 * MOS_MSEC};
	mos_scenario_opts_t o;
	mos_scenario_result_t *r;

	hook(&o, &h);
	r = run(one_cpu, &o);
	/* Samples at 100, 200, 300 ms: the one at 300 stops it. */
	cr_assert(r->interrupted);
	cr_assert_eq(r->end, 300 * MOS_MSEC);
	cr_assert_eq(h.ticks, 3);
	cr_assert_eq(h.first_tick, 100 * MOS_MSEC);
	cr_assert_eq(r->nsamples, 3);
	cr_assert_eq(h.starts, 1);
	cr_assert_eq(h.ends, 1);
	mos_scenario_result_free(r);

	/* With its own tick every 10 ms it stops at 250 ms exactly. */
	h = (hooks_t){.stop_at = 250 * MOS_MSEC};
	hook(&o, &h);
	o.tick = 10 * MOS_MSEC;
	r = run(one_cpu, &o);
	cr_assert(r->interrupted);
	cr_assert_eq(r->end, 250 * MOS_MSEC);
	cr_assert_eq(h.first_tick, 10 * MOS_MSEC);
	cr_assert_eq(h.ends, 1);
	mos_scenario_result_free(r);
}

Test(scenario_series, an_uninterrupted_run_says_so)
{
	hooks_t h = {.stop_at = MOS_TIME_NEVER};
	mos_scenario_opts_t o;
	mos_scenario_result_t *r;

	hook(&o, &h);
	r = run(one_cpu, &o);
	cr_assert_not(r->interrupted);
	cr_assert_eq(r->end, 400 * MOS_MSEC);
	cr_assert_eq(h.ticks, 4);
	cr_assert_eq(h.ends, 1);
	mos_scenario_result_free(r);
}

Test(scenario_series, on_tick_follows_every_action)
{
	hooks_t h = {.stop_at = MOS_TIME_NEVER};
	mos_scenario_opts_t o;
	mos_scenario_result_t *r;

	hook(&o, &h);
	r = run("{\"until\": \"50ms\", \"sample_interval\": 0, \"actions\": "
		"[{\"at\": \"10ms\", \"do\": \"mark\", \"label\": \"a\"}, "
		"{\"at\": \"20ms\", \"do\": \"mark\", \"label\": \"b\"}]}", &o);
	cr_assert_eq(h.ticks, 2);
	cr_assert_eq(h.first_tick, 10 * MOS_MSEC);
	cr_assert_eq(r->nsamples, 0);
	mos_scenario_result_free(r);

	/* Stopping at the first action: the second never runs. */
	h = (hooks_t){.stop_at = 0};
	hook(&o, &h);
	r = run("{\"until\": \"50ms\", \"sample_interval\": 0, \"actions\": "
		"[{\"at\": \"10ms\", \"do\": \"mark\", \"label\": \"a\"}, "
		"{\"at\": \"20ms\", \"do\": \"mark\", \"label\": \"b\"}]}", &o);
	cr_assert(r->interrupted);
	cr_assert_eq(r->end, 10 * MOS_MSEC);
	cr_assert_eq(r->nevents, 1);
	mos_scenario_result_free(r);
}

Test(scenario_series, a_failing_on_start_fails_the_run)
{
	hooks_t h = {.start_rc = MOS_EPERM, .stop_at = MOS_TIME_NEVER};
	mos_scenario_t *sc = load(one_cpu);
	mos_scenario_result_t *r = (mos_scenario_result_t *)1;
	mos_scenario_opts_t o;
	mos_error_t e;

	hook(&o, &h);
	cr_assert_eq(mos_scenario_run(sc, &o, &r, &e), MOS_EPERM);
	cr_assert_null(r);
	cr_assert(strstr(e.message, "start hook"), "%s", e.message);
	cr_assert_eq(h.ticks, 0);
	cr_assert_eq(h.ends, 1, "on_end closes what on_start opened");
	mos_scenario_free(sc);
}

Test(scenario_series, until_of_the_file)
{
	mos_scenario_t *sc = load(one_cpu);

	cr_assert_eq(mos_scenario_until(sc), 400 * MOS_MSEC);
	mos_scenario_free(sc);
	sc = load("{}");
	cr_assert_eq(mos_scenario_until(sc), MOS_TIME_NEVER);
	mos_scenario_free(sc);
	cr_assert_eq(mos_scenario_until(NULL), MOS_TIME_NEVER);
}

Test(scenario_series, a_bad_interval_is_refused_with_its_path)
{
	char path[] = "/tmp/scen_series_XXXXXX";
	mos_scenario_t *sc = NULL;
	mos_error_t e;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert_gt(write(fd, "{\"sample_interval\": \"often\"}", 28), 0);
	close(fd);
	cr_assert_eq(mos_scenario_load(path, &sc, &e), MOS_ECONFIG);
	cr_assert_str_eq(e.path, "sample_interval");
	cr_assert_null(sc);
	unlink(path);
}
