/*
 * src/cli/live.c - `multios live`: a small demo kernel run against wall
 * time (the realtime clock) with the admin socket, for `multios ctl`,
 * until `multios run SCENARIO --live` runs scenarios that way.
 *
 * The demo: a `db` service, a 2-instance `web` service that requires it,
 * and three `client`s calling web.  The kernel runs in slices of 100 ms of
 * wall time (--until caps the last); SIGINT or SIGTERM, caught by a
 * uv_signal on the kernel's loop, ends the run after the current slice,
 * as does --until; then a short final report.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"
#include "multios/admin.h"
#include "multios/live.h"
#include "multios/uv.h"

static const char usage[] =
	"Usage: multios live [--speed X] [--admin PATH] [--until T]\n"
	"\n"
	"Run a small demo against wall time (the realtime clock) and serve\n"
	"the admin protocol on a Unix socket, for 'multios ctl' (docs/LIVE.md).\n"
	"The demo: a service 'db', a 2-instance service 'web' that requires\n"
	"it, and three clients calling web twenty times a second.  Ctrl-C\n"
	"(SIGINT) or SIGTERM ends it gracefully with a short final report.\n"
	"\n"
	"  --speed X     virtual seconds per wall second (clock.speed); 1\n"
	"  --admin PATH  the admin socket, created owner-only (0600); it must\n"
	"                not exist; default multios-live.sock\n"
	"  --until T     end at virtual time T (\"10s\", \"500ms\"); default:\n"
	"                run until interrupted\n"
	"\n"
	"Exit status: 0 after a clean end, 1 when the kernel or the socket\n"
	"fails, 2 on a usage error.\n";

typedef struct live_run {
	mos_kernel_t *k;
	uv_signal_t sigint, sigterm;
	int stop;           /* the signal that ended it; 0 */
} live_run_t;

static void on_signal(uv_signal_t *h, int signum)
{
	live_run_t *r = h->data;

	r->stop = signum;
	mos_kernel_wakeup(r->k);
}

static int demo(mos_kernel_t *k)
{
	static const char *const db_cmd[] = {"server", "2ms", NULL};
	static const char *const web_cmd[] = {"server", "1ms", "1ms", NULL};
	static const char *const client_cmd[] = {"client", "web", "20",
						  "1000000000", NULL};
	static const mos_service_dep_t web_deps[] = {{.name = "db",
						      .required = true}};
	mos_service_descriptor_t d;
	mos_service_id_t db, web;
	mos_process_spec_t spec;
	int err;

	mos_service_descriptor_init(&d);
	d.name = "db";
	d.command = db_cmd;
	if ((err = mos_service_register(k, 0, &d, &db, NULL)) < 0)
		return err;
	mos_service_descriptor_init(&d);
	d.name = "web";
	d.command = web_cmd;
	d.instances = 2;
	d.deps = web_deps;
	d.ndeps = 1;
	if ((err = mos_service_register(k, 0, &d, &web, NULL)) < 0 ||
	    (err = mos_service_start(k, 0, web)) < 0)
		return err;
	mos_process_spec_init(&spec);
	spec.command = client_cmd;
	for (int i = 0; i < 3; i++)
		if ((err = mos_process_create(k, &spec, NULL)) < 0)
			return err;
	return 0;
}

static int parse(int argc, char **argv, double *speed, const char **path,
		 mos_time_t *until)
{
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 1;
		}
		if (!v || (strcmp(argv[i], "--speed") && strcmp(argv[i], "--admin") &&
			   strcmp(argv[i], "--until"))) {
			fprintf(stderr, "multios live: bad argument '%s'\n%s",
				argv[i], usage);
			return 2;
		}
		i++;
		if (!strcmp(argv[i - 1], "--speed")) {
			*speed = strtod(v, &end);
			if (*end || !(*speed > 0) || *speed > 1e9) {
				fprintf(stderr, "multios live: --speed must be a "
					"number above 0\n");
				return 2;
			}
		} else if (!strcmp(argv[i - 1], "--admin")) {
			*path = v;
		} else if (mos_duration_parse(v, until) < 0) {
			fprintf(stderr, "multios live: --until: bad duration "
				"'%s'\n", v);
			return 2;
		}
	}
	return 0;
}

static void report(mos_kernel_t *k, live_run_t *r)
{
	mos_admin_overview_t ov;
	mos_admin_svc_row_t rows[8];
	size_t n = 0;
	char t[32];

	printf("\n== multios live: ended at %s ms (%s) ==\n",
	       cli_ms(mos_kernel_now(k), t, sizeof(t)),
	       r->stop == 0 ? "--until" : r->stop == SIGINT ? "SIGINT" : "SIGTERM");
	if (mos_admin_overview(k, &ov) == 0)
		printf("%" PRIu32 " processes, %" PRIu32 " services, memory "
		       "%" PRIu64 " of %" PRIu64 " bytes, CPU %" PRIu32 ".%"
		       PRIu32 "%% busy\n", ov.processes, ov.services,
		       ov.memory_used, ov.memory_total, ov.cpu_permille / 10,
		       ov.cpu_permille % 10);
	if (mos_admin_services(k, rows, 8, &n) == 0)
		for (size_t i = 0; i < n && i < 8; i++)
			printf("service %-6s %-9s instances %" PRIu32
			       " restarts %" PRIu32 "\n", rows[i].name,
			       mos_service_state_name(rows[i].state),
			       rows[i].ninstances, rows[i].restarts);
}

int cli_live(int argc, char **argv)
{
	mos_config_t cfg;
	mos_error_t diag;
	live_run_t r = {0};
	mos_live_t *srv = NULL;
	const char *path = "multios-live.sock";
	mos_time_t until = MOS_TIME_NEVER, slice;
	double speed = 1.0;
	uv_loop_t *loop;
	int err;

	if ((err = parse(argc, argv, &speed, &path, &until)) != 0)
		return err == 1 ? 0 : err;
	mos_config_default(&cfg);
	strcpy(cfg.clock_backend, "realtime");
	cfg.clock_speed = speed;
	if (mos_kernel_create(&cfg, &r.k, &diag) < 0) {
		fprintf(stderr, "multios live: %s\n", diag.message);
		return 1;
	}
	loop = mos_kernel_uv_loop(r.k);
	if ((err = demo(r.k)) < 0 || (err = mos_live_open(r.k, path, &srv)) < 0) {
		fprintf(stderr, "multios live: %s: %s\n", srv ? "demo" : path,
			mos_strerror(err));
		mos_kernel_destroy(r.k);
		return 1;
	}
	uv_signal_init(loop, &r.sigint);
	uv_signal_init(loop, &r.sigterm);
	r.sigint.data = r.sigterm.data = &r;
	uv_signal_start(&r.sigint, on_signal, SIGINT);
	uv_signal_start(&r.sigterm, on_signal, SIGTERM);
	fprintf(stderr, "multios live: serving %s at speed %g\n", path, speed);
	/* 100 ms of wall time per slice: a signal ends the run within it. */
	slice = (mos_time_t)(speed * 100e6);
	if (slice == 0)
		slice = 1;
	while (!r.stop && err == 0 && mos_kernel_now(r.k) < until) {
		mos_time_t now = mos_kernel_now(r.k);
		mos_time_t to = until - now > slice ? now + slice : until;

		err = mos_kernel_run(r.k, to);
	}
	if (err < 0)
		fprintf(stderr, "multios live: %s\n", mos_strerror(err));
	mos_live_close(srv);
	uv_close((uv_handle_t *)&r.sigint, NULL);
	uv_close((uv_handle_t *)&r.sigterm, NULL);
	report(r.k, &r);
	mos_kernel_destroy(r.k);
	return err < 0 ? 1 : 0;
}
