/*
 * src/cli/run.c - `multios run`: the built-in demo scenario (with a
 * scenario file, run_scenario.c does the work).
 *
 * Everything printed comes from virtual time and the kernel's trace, so two
 * runs print the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct demo_proc {
	const char *label;
	mos_priority_t prio;
	mos_prio_class_t cls;
	unsigned flags;
	const char *const *cmd;
} demo_proc_t;

/* The shell: spawns workers, an orphan-maker and a crasher; waits for all. */
static const char *const shell[] = {
	"script",
	"[{\"compute\":\"2ms\"},"
	"{\"spawn\":[\"cpu\",\"30ms\"]},"
	"{\"spawn\":[\"io\",\"3ms\",\"5ms\",\"4\"]},"
	"{\"spawn\":[\"script\",[{\"spawn\":[\"sleep\",\"40ms\"]},"
	"{\"compute\":\"1ms\"},{\"exit\":0}]]},"
	"{\"spawn\":[\"crash\",\"3\",\"5ms\"]},"
	"{\"wait\":\"all\"},{\"exit\":0}]",
	NULL,
};
/* A lazy parent: its child stays a Zombie until it gets round to wait. */
static const char *const lazy[] = {
	"script",
	"[{\"spawn\":[\"cpu\",\"1ms\"]},{\"sleep\":\"50ms\"},{\"wait\":\"any\"}]",
	NULL,
};
static const char *const watchdog[] = {"io", "1ms", "20ms", "4", NULL};
static const char *const daemon_cmd[] = {"idle", NULL};

static const demo_proc_t demo[] = {
	{"shell", MOS_PRIO_NORMAL, MOS_CLASS_INTERACTIVE, 0, shell},
	{"lazy", MOS_PRIO_NORMAL, MOS_CLASS_USER, 0, lazy},
	{"watchdog", MOS_PRIO_HIGH, MOS_CLASS_SYSTEM, 0, watchdog},
	{"daemon", MOS_PRIO_LOW, MOS_CLASS_BACKGROUND, MOS_PROC_BACKGROUND,
	 daemon_cmd},
};

static void print_event(void *ud, const mos_trace_event_t *ev)
{
	char t[32];

	if (ev->kind != MOS_TRACE_PROC)
		return;
	fprintf(ud, "%10s ms  pid %-3d %-10s -> %-10s %s\n",
		cli_ms(ev->time, t, sizeof(t)), ev->subject,
		mos_state_name((mos_proc_state_t)ev->a),
		mos_state_name((mos_proc_state_t)ev->b),
		mos_cause_name((mos_cause_t)ev->cause));
}

static int create_all(mos_kernel_t *k, mos_pid_t *daemon_pid)
{
	for (size_t i = 0; i < sizeof(demo) / sizeof(*demo); i++) {
		mos_process_spec_t spec;
		mos_pid_t pid;
		int err;

		mos_process_spec_init(&spec);
		spec.priority = demo[i].prio;
		spec.prio_class = demo[i].cls;
		spec.flags = demo[i].flags;
		spec.command = demo[i].cmd;
		spec.working_directory = "/home/demo";
		if ((err = mos_process_create(k, &spec, &pid)) < 0) {
			fprintf(stderr, "multios run: creating %s: %s\n",
				demo[i].label, mos_strerror(err));
			return err;
		}
		if (demo[i].cmd == daemon_cmd)
			*daemon_pid = pid;
	}
	return 0;
}

static const char usage[] =
	"Usage: multios run [--quiet] [--trace FILE]\n"
	"       multios run SCENARIO.json [--until T] [--seed S] [--json]\n"
	"                   [--quiet]   (a scenario file: see below)\n"
	"\n"
	"Run the built-in demo scenario and print the timeline of every state\n"
	"change (not with --quiet), a ps-like table at 20 ms and at the end,\n"
	"and a summary with the trace hash.  The demo draws no random numbers,\n"
	"so there is no --seed: every run prints the same bytes.\n"
	"\n"
	"  --quiet        no timeline\n"
	"  --trace FILE   also write the kernel's trace as Chrome Trace Event\n"
	"                 JSON (ui.perfetto.dev, chrome://tracing): a track per\n"
	"                 process with its runs, and the runnable count\n"
	"\n"
	"With a scenario file, 'multios run SCENARIO.json --help' tells\n"
	"the rest (docs/SCENARIOS.md documents the files).\n";

/* The kernel's trace as Chrome JSON into f (opened before the run, so a
 * bad path fails before anything runs); closes f. */
static int write_trace(mos_kernel_t *k, FILE *f, const char *path)
{
	int err = mos_trace_write_chrome(k, f);

	if (fclose(f) != 0 && err == 0)
		err = MOS_EIO;
	if (err < 0)
		fprintf(stderr, "multios run: %s: %s\n", path, mos_strerror(err));
	return err;
}

/* 0 to run, 1 for --help (done), 2 for a usage error. */
static int parse_opts(int argc, char **argv, int *quiet, const char **trace)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quiet") == 0) {
			*quiet = 1;
		} else if (strcmp(argv[i], "--trace") == 0) {
			if (++i == argc || !argv[i][0]) {
				fprintf(stderr, "multios run: --trace needs a file "
					"name\n%s", usage);
				return 2;
			}
			*trace = argv[i];
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 1;
		} else if (strcmp(argv[i], "--seed") == 0) {
			fputs("multios run: --seed means nothing here: the demo "
			      "draws no random numbers, its output is the same "
			      "for every seed\n", stderr);
			return 2;
		} else {
			fprintf(stderr, "multios run: unknown argument '%s'\n%s",
				argv[i], usage);
			return 2;
		}
	}
	return 0;
}

/* A scenario run: a file argument (not --trace's) that ends in ".json"
 * or exists, or an option only a scenario run has.  Any other word stays
 * the demo's usage error, as it always was. */
static int scenario_args(int argc, char **argv)
{
	struct stat st;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t n = strlen(a);

		if (!strcmp(a, "--trace")) {
			i++;
			continue;
		}
		if (!strcmp(a, "--json") || !strcmp(a, "--until") ||
		    (a[0] != '-' && ((n > 5 && !strcmp(a + n - 5, ".json")) ||
				     stat(a, &st) == 0)))
			return 1;
	}
	return 0;
}

int cli_run(int argc, char **argv)
{
	mos_config_t cfg;
	mos_error_t diag;
	mos_kernel_t *k;
	mos_pid_t daemon_pid = 0;
	mos_kernel_stats_t st;
	const char *trace = NULL;
	FILE *tf = NULL;
	int quiet = 0, err;

	if (scenario_args(argc, argv))
		return cli_run_scenario(argc, argv);
	if ((err = parse_opts(argc, argv, &quiet, &trace)) != 0)
		return err == 1 ? 0 : err;
	if (trace && !(tf = fopen(trace, "w"))) {
		fprintf(stderr, "multios run: %s: %s\n", trace, strerror(errno));
		return 1;
	}
	mos_config_default(&cfg);
	cfg.sched.time_slice = 4 * MOS_MSEC;
	if ((err = mos_kernel_create(&cfg, &k, &diag)) < 0) {
		fprintf(stderr, "multios run: %s\n", diag.message);
		if (tf)
			fclose(tf);
		return 1;
	}
	puts("== libmultios demo: timeline (virtual time) ==");
	if (!quiet)
		mos_trace_set_observer(k, print_event, stdout);
	if ((err = create_all(k, &daemon_pid)) == 0 &&
	    (err = mos_kernel_run(k, 20 * MOS_MSEC)) == 0) {
		puts("\n== ps at 20 ms ==");
		cli_ps(k, stdout, 0);
		putchar('\n');
		err = mos_kernel_run(k, 100 * MOS_MSEC);
	}
	if (err == 0 && (err = mos_process_terminate(k, daemon_pid, false)) == 0)
		err = mos_kernel_run(k, MOS_TIME_NEVER);
	if (tf) {
		int werr = write_trace(k, tf, trace);
		if (err == 0)
			err = werr;
	}
	if (err == 0) {
		mos_kernel_stats(k, &st);
		puts("\n== ps at the end (Defunct rows come from the history) ==");
		cli_ps(k, stdout, 1);
		printf("\nend %.3f ms: %" PRIu64 " processes, %" PRIu64
		       " dispatches, %" PRIu64 " context switches, %" PRIu64
		       " preemptions, trace hash %016" PRIx64 "\n",
		       (double)mos_kernel_now(k) / (double)MOS_MSEC,
		       st.processes_created, st.dispatches, st.context_switches,
		       st.preemptions, mos_trace_hash(k));
	} else {
		fprintf(stderr, "multios run: %s\n", mos_strerror(err));
	}
	mos_kernel_destroy(k);
	return err == 0 ? 0 : 1;
}
