/*
 * src/cli/run.c - `multios run`: a scenario file, or without one the
 * built-in demo, examples/scenarios/demo.json compiled in by the build
 * (scripts/embed.sh).  run_scenario.c does the work for both, so every
 * option of a scenario run applies to the demo too.
 */
#include "cli.h"

int cli_run(int argc, char **argv)
{
	return cli_run_scenario(argc, argv);
}

int cli_demo_load(mos_scenario_t **out, mos_error_t *err)
{
	/* The name stands for the file in messages; the text is checked
	 * like any scenario (tests/test_demo.c loads the same bytes). */
	return mos_scenario_load_string(cli_demo_json, cli_demo_json_len,
					"demo", out, err);
}
