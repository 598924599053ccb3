/*
 * src/cli/ostep.h - `multios ostep SCRIPT ARGS...`: the OSTEP homework
 * scripts' command lines, their text and their Python number formats.
 *
 * ostep_opt.c reads a command line as Python's optparse does (short
 * clusters, long options and their unique prefixes, "--", interspersed
 * arguments, the same error lines and exit status 2) and formats
 * numbers as Python prints them; ostep.c dispatches and is scheduler.py.
 */
#ifndef MOS_CLI_OSTEP_H
#define MOS_CLI_OSTEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multios/pyrandom.h"
#include "multios/sched.h"

typedef enum { OPT_INT, OPT_STRING, OPT_FLAG } opt_type_t;

/* A Python int as optparse's type="int" reads it (int(text, 0-ish)). */
typedef struct py_int {
	uint32_t words[MOS_PYRANDOM_MAX_WORDS];
	size_t nwords;
	bool negative;
} py_int_t;

typedef struct ostep_opt {
	char short_name;        /* 's' for -s, 0: none */
	const char *long_name;  /* "seed" for --seed, NULL: none */
	opt_type_t type;
	const char *value;      /* out: the text given last (OPT_FLAG: "1") */
	py_int_t num;           /* out: OPT_INT's value (set to the default
				   by the caller) */
} ostep_opt_t;

/* Parse argv[1..argc) into opts (n of them).  -h/--help prints help and
 * returns 0 with *done set; an error prints prog's usage line and the
 * optparse message on stderr and returns 2. */
int ostep_parse(const char *prog, const char *help, ostep_opt_t *opts,
		size_t n, int argc, char **argv, bool *done);

/* ostep_parse, and *rest (may be NULL) the index of the first argument
 * after optparse's "--" (argc when there is none): where our own flags
 * begin (ostep_extras_parse). */
int ostep_parse_rest(const char *prog, const char *help, ostep_opt_t *opts,
		     size_t n, int argc, char **argv, bool *done, int *rest);

/* Our flags after "--" (ostep_extra.c): what a student can see of the
 * kernel's schedule that the script only prints. */
typedef struct ostep_extras {
	bool gantt;             /* --gantt: the Gantt chart after the text */
	bool json;              /* --json: the kernel's report instead */
	const char *trace;      /* --trace FILE: Chrome Trace Event JSON */
	int saved_stdout;       /* --json: the real stdout while the text
				   goes to /dev/null; -1 otherwise */
} ostep_extras_t;

/* Read argv[0..argc) (what follows "--") into *x.  0, or 2 after a
 * usage error on stderr naming script. */
int ostep_extras_parse(const char *script, int argc, char **argv,
		       ostep_extras_t *x);

/* Whether any extra flag needs the kernel's run, with or without -c. */
bool ostep_extras_any(const ostep_extras_t *x);

/* --json: send the script's text to /dev/null until ostep_extras_finish.
 * 0, or 1 after an error on stderr. */
int ostep_extras_begin(ostep_extras_t *x);

/* After the script's text: restore stdout (--json), then print the
 * report as JSON (--json) or the Gantt chart (--gantt), and write the
 * trace file (--trace).  r may be NULL when the script stopped before a
 * schedule (its traceback): then nothing is added.  Returns rc, or 1 if
 * an extra failed (said on stderr). */
int ostep_extras_finish(const char *script, ostep_extras_t *x,
			const mos_sched_report_t *r, int rc);

/* v = n. */
void py_int_set(py_int_t *v, int64_t n);

/* The value as an int64_t; false when it does not fit. */
bool py_int_to_i64(const py_int_t *v, int64_t *out);

/* Print v in decimal to stdout. */
void py_int_print(const py_int_t *v);

/* float(text): true with *out, or false when Python would raise. */
bool py_float_parse(const char *text, double *out);

/* str(x) / repr(x) of a float into buf (>= 32 bytes). */
void py_float_repr(double x, char *buf, size_t len);

/* Python's '%Nd' of a float (int(x), truncated); false when int() would
 * raise (inf, nan). */
bool py_int_of_float(double x, char *buf, size_t len, int width);

/* repr() of a str, quotes included, into buf. */
void py_str_repr(const char *s, char *buf, size_t len);

/* Where the script raises: flush stdout (the script's output up to
 * there), print a traceback ending in what (the exception's last line)
 * on stderr naming prog ("lottery.py"); returns 1, Python's status. */
int ostep_raise(const char *prog, const char *what);

/* A refusal: "multios ostep SCRIPT: " and fmt with arg on stderr, after
 * flushing stdout; returns 1. */
int ostep_fail(const char *script, const char *fmt, const char *arg);

int cli_ostep_scheduler(int argc, char **argv);
int cli_ostep_lottery(int argc, char **argv);
int cli_ostep_mlfq(int argc, char **argv);

#endif
