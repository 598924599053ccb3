/*
 * src/cli/main.c - the multios command: subcommand dispatch, help, version.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"

static const char usage[] =
	"Usage: multios COMMAND [OPTIONS]\n"
	"       multios --help | --version\n"
	"\n"
	"Run experiments on libmultios, a deterministic simulated kernel.\n"
	"\n"
	"Commands:\n"
	"  run [--until T] [--seed S] [--json] [--quiet] [--trace FILE]\n"
	"        Run the built-in demo scenario: services with dependencies,\n"
	"        a load-balanced web tier under client load, a crash\n"
	"        restarted with back-off and a failed health check.  Prints\n"
	"        its timeline and report; the output depends only on virtual\n"
	"        time, so every run prints the same bytes.\n"
	"  run SCENARIO.json [--until T] [--seed S] [--json] [--quiet]\n"
	"      [--trace FILE] [--report FILE.html]\n"
	"      [--live [--speed X] [--admin PATH]]\n"
	"        Run a scenario file (services, processes, timed actions:\n"
	"        docs/SCENARIOS.md) and print its timeline and a report of\n"
	"        services, processes, latencies and counters, as text or one\n"
	"        JSON document; --live paces it against wall time and serves\n"
	"        the admin socket ('multios run SCENARIO.json --help').\n"
	"        With --report FILE.html, also an HTML report with a Gantt\n"
	"        chart and plots (docs/REPORTS.md).\n"
	"  explore SCENARIO.json --runs N [--seed S] [--jobs J] [--until T]\n"
	"      [--faults SPEC] [--check INV...] [--json]\n"
	"        Run the scenario N times, each with a seed of its own that\n"
	"        draws its faults; check the invariants and print the seeds\n"
	"        that break them, the replay commands and the smallest fault\n"
	"        schedules that still fail ('multios explore --help').\n"
	"  plot RUN.json -o OUT.svg [--series NAME[,NAME...]]\n"
	"        Plot the time series of a run's JSON (what 'run --json'\n"
	"        prints) as one SVG file ('multios plot --help').\n"
	"  sched WORKLOAD.json [--policy NAME | --compare LIST] [--quantum N]\n"
	"        [--seed N] [--json | --gantt] [--trace FILE]\n"
	"        Run a workload under a scheduler policy and report the\n"
	"        standard metrics ('multios sched --help' for more).\n"
	"  ostep scheduler|lottery|mlfq ARGS... [-- [--gantt | --json]\n"
	"        [--trace FILE]]\n"
	"        OSTEP's homework simulators (cpu-sched/scheduler.py,\n"
	"        cpu-sched-lottery/lottery.py, cpu-sched-mlfq/mlfq.py): their\n"
	"        flags, random jobs and text, byte for byte, from the kernel's\n"
	"        own policies; after '--', the schedule as a chart, JSON or a\n"
	"        trace (docs/OSTEP.md, 'multios ostep SCRIPT -h').\n";

/* C11 promises string literals of 4095 bytes: the text is in two. */
static const char usage_more[] =
	"  sweep SPEC.json [--jobs J] [--out DIR] [--csv | --json]\n"
	"  sweep SPEC.json --run I | --emit parallel|slurm [--out DIR]\n"
	"  sweep --merge DIR [--csv | --json] [--plot OUT.svg]\n"
	"        Expand a parameter grid (policies x quanta x seeds over\n"
	"        workloads, or seeds x ends over scenarios) into runs, run\n"
	"        them on J processes or emit a GNU parallel job file or a\n"
	"        Slurm array script, and merge the runs' JSON lines into\n"
	"        one table (docs/SWEEPS.md, 'multios sweep --help').\n"
	"  services PATH [--order NAME] [--tree [NAME]] [--json]\n"
	"        Load service descriptors (a JSON file or a directory of\n"
	"        them) and list the services, the start order of NAME or the\n"
	"        dependency tree ('multios services --help' for more).\n"
	"  live [--speed X] [--admin PATH] [--until T]\n"
	"        Run a small demo against wall time and serve the admin\n"
	"        socket at PATH until Ctrl-C ('multios live --help').\n"
	"  ctl --socket PATH [--json] COMMAND [ARGS]\n"
	"        Send a command (ps, top, services, status, start, stop,\n"
	"        restart, kill, stats, audit, emergency-stop, watch) to a\n"
	"        live kernel's admin socket ('multios ctl --help').\n"
	"  help  Show this text.\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this text and exit\n"
	"  -V, --version   print the version and exit\n"
	"\n"
	"Exit status: 0 on success, 1 when a run or a write fails (a full\n"
	"disk under stdout included), 2 on a usage error.\n";

static int dispatch(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage, cmd ? stdout : stderr);
		fputs(usage_more, cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("multios %s\n", mos_version());
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return cli_run(argc - 1, argv + 1);
	if (strcmp(cmd, "explore") == 0)
		return cli_explore(argc - 1, argv + 1);
	if (strcmp(cmd, "plot") == 0)
		return cli_plot(argc - 1, argv + 1);
	if (strcmp(cmd, "sched") == 0)
		return cli_sched(argc - 1, argv + 1);
	if (strcmp(cmd, "ostep") == 0)
		return cli_ostep(argc - 1, argv + 1);
	if (strcmp(cmd, "sweep") == 0)
		return cli_sweep(argc - 1, argv + 1);
	if (strcmp(cmd, "services") == 0)
		return cli_services(argc - 1, argv + 1);
	if (strcmp(cmd, "ctl") == 0)
		return cli_ctl(argc - 1, argv + 1);
	if (strcmp(cmd, "live") == 0)
		return cli_live(argc - 1, argv + 1);
	fprintf(stderr, "multios: unknown command '%s' (try 'multios --help')\n",
		cmd);
	return 2;
}

/* Output that did not reach stdout (a full disk, a closed descriptor) is
 * a failure, not a success with nothing to show: buffered writes only fail
 * here, at the flush. */
int main(int argc, char **argv)
{
	int rc = dispatch(argc, argv);

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "multios: standard output: %s\n",
			errno ? strerror(errno) : "write error");
		if (rc == 0)
			rc = 1;
	}
	return rc;
}
