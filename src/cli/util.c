/*
 * src/cli/util.c - small helpers the subcommands share: usage errors and
 * shell quoting.  Kept out of main.c so that harnesses can link a
 * subcommand's files without the command's main().
 */
#include <stdio.h>

#include "cli.h"

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "multios %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(try 'multios %s --help')\n", cmd);
	return 2;
}

void cli_shell_quote(const char *s, FILE *out)
{
	fputc('\'', out);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	fputc('\'', out);
}
