/*
 * tests/fuzz/ostep.c - fuzz `multios ostep SCRIPT ARGS...`: the optparse
 * emulation, Python's int() and float() of arguments, job lists, and the
 * front ends' translation of whatever they accept into a kernel run and
 * back into text (src/cli/ostep*.c, linked in without the command's
 * main).
 *
 * The input is split at newlines into the command line; its first line
 * names the script (anything: an unknown one is a usage error too).
 * Checked: the exit status is 0, 1 or 2, and nothing crashes, leaks or
 * overflows under the sanitizers.  The text goes to /dev/null.
 *
 * Inputs that only make the run long are skipped, not tried: a number of
 * more than three digits anywhere but in a seed (a seed of any size is
 * cheap: the scripts draw from it, they do not loop on it), and
 * "--trace", which would write a file.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "src/cli/cli.h"

#define MAX_ARGS 32
#define MAX_ARG 256

static bool seedish(const char *a)
{
	return !strncmp(a, "-s", 2) || !strncmp(a, "--se", 4);
}

/* A run of number characters with a digit in it, longer than 3. */
static bool big_number(const char *a)
{
	size_t run = 0;
	bool digit = false;

	for (; *a; a++) {
		if (strchr("0123456789abcdefABCDEFxXoObB_", *a)) {
			run++;
			digit |= *a >= '0' && *a <= '9';
			if (run > 3 && digit)
				return true;
		} else {
			run = 0;
			digit = false;
		}
	}
	return false;
}

/* Run cli_ostep with stdout and stderr on /dev/null. */
static int run_quietly(int argc, char **argv)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int out = fcntl(1, F_DUPFD_CLOEXEC, 3), err = fcntl(2, F_DUPFD_CLOEXEC, 3);
	int rc;

	FUZZ_CHECK(null >= 0 && out >= 0 && err >= 0, "no /dev/null");
	fflush(stdout);
	fflush(stderr);
	dup2(null, 1);
	dup2(null, 2);
	rc = cli_ostep(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[MAX_ARGS][MAX_ARG];
	char *argv[MAX_ARGS + 2];
	int argc = 1;
	size_t at = 0;
	int rc;

	argv[0] = "ostep";
	while (at < size && argc <= MAX_ARGS) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (data + at)) : size - at;

		if (len >= MAX_ARG || memchr(data + at, '\0', len))
			return 0;
		memcpy(buf[argc - 1], data + at, len);
		buf[argc - 1][len] = '\0';
		argv[argc] = buf[argc - 1];
		if (!strcmp(argv[argc], "--trace") ||
		    (big_number(argv[argc]) && !seedish(argv[argc]) &&
		     !(argc > 1 && seedish(argv[argc - 1]))))
			return 0;
		argc++;
		at += len + 1;
	}
	if (at < size)
		return 0;
	argv[argc] = NULL;
	rc = run_quietly(argc, argv);
	FUZZ_CHECK(rc >= 0 && rc <= 2, "exit status %d", rc);
	return 0;
}
