/*
 * src/scenario/scenario_series.c - a run's time series: memory, CPU,
 * runnable processes, requests and their latencies, sampled every
 * sample interval of virtual time.
 *
 * The runner moves the kernel forward only through mos__sc_advance, which
 * stops at each sample boundary on the way (mos_kernel_run to it: what is
 * due before it has happened, the clock reads it) and takes a sample
 * from the host.  Running to a time in two steps does what one step does,
 * so sampling changes nothing in the run: the same trace, the same hash,
 * with or without a series.  Calls are tallied by the observer as they
 * return and summarised per interval.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "util/ranks.h"

static int cmp_time(const void *a, const void *b)
{
	mos_time_t x = *(const mos_time_t *)a, y = *(const mos_time_t *)b;

	return (x > y) - (x < y);
}

void mos__sc_sort_times(mos_time_t *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_time);
}

mos_time_t mos__sc_rank(const mos_time_t *v, size_t n, unsigned p)
{
	size_t i = (n * p + 99) / 100;

	return n ? v[i ? i - 1 : 0] : 0;
}

int mos__sc_push_time(mos_time_t **v, size_t *n, size_t *cap, mos_time_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		mos_time_t *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return MOS_ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

void mos__sc_tally(sc_run_t *r, bool failed, mos_time_t latency)
{
	if (!r->sc->sample)
		return;
	if (failed)
		r->iv_failed++;
	else if (mos__sc_push_time(&r->iv_lat, &r->iv_n, &r->iv_cap,
				   latency) < 0)
		r->nomem = true;
}

/* The kernel as it is now, and the calls since the last sample. */
static void sample(sc_run_t *r, mos_time_t now)
{
	mos_time_t ranks[MOS_RANKS];
	mos_kernel_stats_t ks;
	mos_scenario_sample_t *s;
	mos_time_t prev = r->nsamples ? r->samples[r->nsamples - 1].time : 0;

	if (r->nsamples == SC_MAX_SAMPLES) {
		r->next_sample = MOS_TIME_NEVER;
		return;
	}
	if (r->nsamples == r->samplecap) {
		size_t cap = r->samplecap ? r->samplecap * 2 : 64;
		mos_scenario_sample_t *v = realloc(r->samples,
						   cap * sizeof(*v));

		if (!v) {
			r->nomem = true;
			return;
		}
		r->samples = v;
		r->samplecap = cap;
	}
	mos_kernel_stats(r->k, &ks);
	s = &r->samples[r->nsamples++];
	memset(s, 0, sizeof(*s));
	s->time = now;
	s->memory = ks.memory_used;
	s->processes = ks.live_processes;
	s->runnable = ks.runnable_processes;
	if (now > prev && ks.busy >= r->last_busy)
		s->cpu_permille = (uint32_t)((ks.busy - r->last_busy) * 1000 /
					     (now - prev));
	r->last_busy = ks.busy;
	mos__ranks(r->iv_lat, r->iv_n, ranks);
	s->requests = r->iv_n;
	s->requests_failed = r->iv_failed;
	s->latency_p50 = ranks[MOS_RANK_P50];
	s->latency_max = ranks[MOS_RANK_MAX];
	r->iv_n = 0;
	r->iv_failed = 0;
}

static mos_time_t later(mos_time_t b, mos_time_t by)
{
	return b > MOS_TIME_NEVER - by ? MOS_TIME_NEVER : b + by;
}

int mos__sc_tick(sc_run_t *r)
{
	if (!r->stopped && r->opts->on_tick &&
	    r->opts->on_tick(r->opts->hook_data, r->k))
		r->stopped = true;
	return r->stopped ? SC_STOPPED : 0;
}

int mos__sc_advance(sc_run_t *r, mos_time_t t)
{
	int rc;

	if (r->stopped)
		return SC_STOPPED;
	for (;;) {
		mos_time_t b = r->next_sample < r->next_tick ? r->next_sample
							     : r->next_tick;

		if (b > t || b == MOS_TIME_NEVER)
			break;
		if ((rc = mos_kernel_run(r->k, b)) < 0)
			return rc;
		if (b == r->next_sample) {
			sample(r, b);
			if (r->next_sample != MOS_TIME_NEVER)
				r->next_sample = later(b, r->sc->sample);
		}
		if (b == r->next_tick)
			r->next_tick = later(b, r->opts->tick);
		if (mos__sc_tick(r))
			return SC_STOPPED;
	}
	return mos_kernel_run(r->k, t);
}

void mos__sc_series_start(sc_run_t *r)
{
	r->next_sample = r->sc->sample ? r->sc->sample : MOS_TIME_NEVER;
	r->next_tick = r->opts->tick ? r->opts->tick : MOS_TIME_NEVER;
}

void mos__sc_series_end(sc_run_t *r, mos_scenario_result_t *res)
{
	mos_time_t now = mos_kernel_now(r->k);

	if (!r->sc->sample)
		return;
	if ((!r->nsamples || r->samples[r->nsamples - 1].time < now) &&
	    r->next_sample != MOS_TIME_NEVER)
		sample(r, now);
	res->sample_interval = r->sc->sample;
	res->samples = r->samples;
	res->nsamples = r->nsamples;
	r->samples = NULL;
	r->nsamples = 0;
}
