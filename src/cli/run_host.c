/*
 * src/cli/run_host.c - the host's side of `multios run`: the progress
 * line and the live mode, as hooks of the scenario runner.
 *
 * The runner calls on_tick at each sample boundary and after each action
 * (and, for a live run, every 100 ms of wall time's worth of virtual time),
 * with the kernel standing still.  The progress line is drawn from there:
 * only when stderr is a terminal, only after a second of host time
 * (MULTIOS_PROGRESS_DELAY_MS overrides it), at most ten times a second.
 * Host time is read here, in the front end, never in the library: the
 * run itself does not depend on it.
 *
 * A live run puts the kernel on the realtime clock, opens the admin
 * socket on its libuv loop and watches SIGINT and SIGTERM there: the
 * signal stops the clock's wait, the next tick ends the run, and the
 * report is printed as it stands.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "multios/uv.h"
#include "run_host.h"

#define PROGRESS_EVERY 100000000ull /* ns of host time between draws */

static void on_signal(uv_signal_t *s, int signum)
{
	run_host_t *h = s->data;

	h->stop = signum;
	mos_kernel_wakeup(h->k);
}

static int on_start(void *data, mos_kernel_t *k)
{
	run_host_t *h = data;
	uv_loop_t *loop;
	int rc;

	h->k = k;
	h->t0 = h->shown_at = uv_hrtime();
	if (!h->live)
		return 0;
	loop = mos_kernel_uv_loop(k);
	if (h->admin && (rc = mos_live_open(k, h->admin, &h->srv)) < 0) {
		fprintf(stderr, "multios run: --admin %s: %s\n", h->admin,
			mos_strerror(rc));
		return rc;
	}
	if (uv_signal_init(loop, &h->sigint) < 0 ||
	    uv_signal_init(loop, &h->sigterm) < 0)
		return MOS_EIO;
	h->opened = 1;
	h->sigint.data = h->sigterm.data = h;
	uv_signal_start(&h->sigint, on_signal, SIGINT);
	uv_signal_start(&h->sigterm, on_signal, SIGTERM);
	if (h->admin)
		fprintf(stderr, "multios run: live, serving %s\n", h->admin);
	return 0;
}

static void progress(run_host_t *h)
{
	uint64_t now = uv_hrtime();
	mos_time_t t = mos_kernel_now(h->k);
	char a[32], b[32];

	if (now - h->t0 < h->delay ||
	    (h->shown && now - h->shown_at < PROGRESS_EVERY))
		return;
	h->shown_at = now;
	h->shown = 1;
	cli_ms(t, a, sizeof(a));
	if (h->end != MOS_TIME_NEVER && h->end > 0)
		fprintf(stderr, "\rmultios run: %s ms of %s ms virtual (%3u%%), "
			"%.1f s host ", a, cli_ms(h->end, b, sizeof(b)),
			(unsigned)((t > h->end ? h->end : t) / (h->end / 100 + 1)),
			(double)(now - h->t0) / 1e9);
	else
		fprintf(stderr, "\rmultios run: %s ms virtual, %.1f s host ", a,
			(double)(now - h->t0) / 1e9);
	fflush(stderr);
}

static bool on_tick(void *data, mos_kernel_t *k)
{
	run_host_t *h = data;

	(void)k;
	if (h->progress)
		progress(h);
	return h->stop != 0;
}

static void on_end(void *data, mos_kernel_t *k)
{
	run_host_t *h = data;

	(void)k;
	mos_live_close(h->srv);
	h->srv = NULL;
	if (h->opened) {
		uv_close((uv_handle_t *)&h->sigint, NULL);
		uv_close((uv_handle_t *)&h->sigterm, NULL);
		h->opened = 0;
	}
}

void cli_run_host_hook(run_host_t *h, mos_scenario_opts_t *so)
{
	const char *d = getenv("MULTIOS_PROGRESS_DELAY_MS");
	char *end;
	unsigned long ms;

	h->delay = 1000000000ull;
	if (d && *d) {
		ms = strtoul(d, &end, 10);
		if (!*end && ms < 86400000ul)
			h->delay = (uint64_t)ms * 1000000ull;
	}
	so->hook_data = h;
	so->on_start = on_start;
	so->on_tick = on_tick;
	so->on_end = on_end;
	if (h->live) {
		double speed = h->speed > 0 ? h->speed : 1.0;

		so->realtime = true;
		so->speed = h->speed;
		/* A tick per 100 ms of wall time: Ctrl-C ends the run
		 * within it, whatever the file's sample interval. */
		so->tick = speed * 1e8 < 1 ? 1 : (mos_time_t)(speed * 1e8);
	}
}

int cli_run_host_done(run_host_t *h)
{
	if (h->shown) {
		fprintf(stderr, "\r%*s\r", 79, "");
		fflush(stderr);
	}
	if (h->stop)
		fprintf(stderr, "multios run: %s: the run ends here\n",
			h->stop == SIGINT ? "SIGINT" : "SIGTERM");
	return h->stop;
}
