/*
 * src/cli/run_host.h - the host's side of `multios run`: the progress
 * line on stderr, and the live mode (the realtime clock, the admin
 * socket, Ctrl-C ending the run with its report), through the hooks of
 * mos_scenario_opts_t.
 */
#ifndef MOS_CLI_RUN_HOST_H
#define MOS_CLI_RUN_HOST_H

#include <uv.h>

#include "multios/live.h"
#include "multios/scenario.h"

typedef struct run_host {
	/* Set by the options. */
	int live;                 /* --live */
	double speed;             /* --speed; 0: the file's clock.speed */
	const char *admin;        /* --admin; NULL: no socket */
	int progress;             /* draw the progress line (a terminal,
				     not --quiet) */
	mos_time_t end;           /* the run's planned end, for the line;
				     MOS_TIME_NEVER: open */
	/* Run time. */
	uint64_t t0, shown_at;    /* uv_hrtime() at start, at last draw */
	uint64_t delay;           /* ns of host time before the first draw */
	int shown;                /* a line is on the screen */
	int stop;                 /* the signal that ended a live run */
	int opened;               /* the signal watchers are initialised */
	mos_kernel_t *k;
	mos_live_t *srv;
	uv_signal_t sigint, sigterm;
} run_host_t;

/* Fill so's live fields and hooks from h (which must outlive the run). */
void cli_run_host_hook(run_host_t *h, mos_scenario_opts_t *so);

/* After the run: clear the progress line; a line saying why a live run
 * ended.  Returns h->stop. */
int cli_run_host_done(run_host_t *h);

#endif
