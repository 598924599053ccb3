/*
 * src/programs/script.c - the `script` program: a JSON list of steps.
 *
 *   script '[{"compute":"5ms"},{"spawn":["cpu","2ms"]},{"wait":"all"},
 *            {"repeat":3,"steps":[{"sleep":"1ms"},{"yield":true}]},
 *            {"exit":3}]'
 *
 * Steps: compute / sleep DURATION; yield true; spawn COMMAND or
 * {"command": COMMAND, "priority": NAME}; wait "any" | "all"; exit CODE;
 * repeat N with "steps"; signals: kill WHO with "signal"; signal SIG with
 * "action" (default, ignore, stop, terminate, or a list of steps: the
 * handler); mask / unmask [SIG...]; pause true; alarm DURATION; memory:
 * alloc SIZE (a byte count or a size string, "64KiB"), free N (the N-th
 * allocation of the run, from 1, or "last": the latest not yet freed),
 * stack SIZE.  A spawned script may give its steps as a JSON array
 * in place of the string: {"spawn": ["script", [ ...steps... ]]}.
 * Files (multios/resource.h): open PATH, with "mode" letters r (read),
 * w (write), c (create), x (exclusive), t (truncate), "rw" by default;
 * close "last" | FD; read / write SIZE (bytes: an integer, or a string
 * with a unit B, K/KiB, M/MiB, G/GiB, KB, MB, GB) on the last descriptor
 * opened, or with "fd": FD; chdir PATH.  At run time a failing file step
 * is skipped, as any failing step is.
 * The whole script is parsed and checked when the process is created (the
 * prepare hook), so a bad script fails mos_process_create with MOS_ECONFIG
 * (and fills the mos_error_t the spec's arg may give, naming the step);
 * running it touches no JSON.  The parsed steps come from the kernel's
 * allocator; jansson's own allocations while parsing come from jansson's
 * (process-wide) one, and its running out of memory is MOS_ENOMEM where
 * jansson says so (its lexer makes some of it a bad script).
 */
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multios/multios.h"
#include "programs.h"
#include "util/alloc.h"
#include "util/error_int.h"

typedef enum kind { COMPUTE, SLEEP, YIELD, SPAWN, WAIT_ANY, WAIT_ALL, EXIT,
		    REPEAT, KILL, SIGNAL, MASK, UNMASK, PAUSE, ALARM,
		    ALLOC, FREE, STACK,
		    OPEN, CLOSE, READ, WRITE, CHDIR } kind_t;

/* Whom a kill step names. */
typedef enum who { WHO_PID, WHO_SELF, WHO_PARENT, WHO_CHILD } who_t;

typedef struct step {
	kind_t kind;
	mos_time_t d;
	long n;                 /* exit code, repeat count, KILL: the pid */
	char **argv;            /* SPAWN, NULL-terminated */
	int prio;               /* SPAWN: -1 inherit */
	int sig;                /* KILL, SIGNAL */
	who_t who;              /* KILL */
	mos_sig_action_t action;/* SIGNAL (CATCH: body is the handler) */
	mos_sigset_t set;       /* MASK, UNMASK */
	uint64_t bytes;         /* ALLOC, STACK, READ, WRITE */
	struct step *body;      /* REPEAT, SIGNAL's handler */
	size_t nbody;
	char *path;             /* OPEN, CHDIR */
	unsigned flags;         /* OPEN */
	int fd;                 /* CLOSE, READ, WRITE: -1 the last opened */
} step_t;

typedef struct script {
	step_t *steps;
	size_t n;
	/* While it runs: each caught signal's handler steps, and the last
	 * child spawned (a kill step's "child"). */
	const step_t *handler[MOS_NSIG];
	mos_pid_t last_child;
	/* The handles of the alloc steps run, in order (0: refused or
	 * freed); grown from alloc, the kernel's allocator. */
	const mos_allocator_t *alloc;
	mos_mem_handle_t *handles;
	size_t nhandles, handle_cap;
	int last_fd;            /* the last descriptor opened, or -1 */
} script_t;

static void free_steps(const mos_allocator_t *alloc, step_t *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		for (char **a = s[i].argv; a && *a; a++)
			mos__free(alloc, *a);
		mos__free(alloc, s[i].argv);
		mos__free(alloc, s[i].path);
		free_steps(alloc, s[i].body, s[i].nbody);
	}
	mos__free(alloc, s);
}

static void release(const mos_allocator_t *alloc, void *state)
{
	script_t *sc = state;
	free_steps(alloc, sc->steps, sc->n);
	mos__free(alloc, sc->handles);
	mos__free(alloc, sc);
}

/* A command word: a string, or a nested script's steps inline, as JSON
 * text (json_dumpb into our own block: jansson's json_dumps would hand
 * back a block of jansson's allocator). */
static int arg_string(const mos_allocator_t *alloc, json_t *v, char **out)
{
	size_t n;

	if (json_is_string(v))
		return (*out = mos__strdup(alloc, json_string_value(v)))
			       ? 0 : MOS_ENOMEM;
	if (!json_is_array(v))
		return MOS_EINVAL;
	if (!(n = json_dumpb(v, NULL, 0, JSON_COMPACT)))
		return MOS_ENOMEM; /* an array always dumps to "[...]" */
	if (!(*out = mos__malloc(alloc, n + 1)))
		return MOS_ENOMEM;
	if (json_dumpb(v, *out, n, JSON_COMPACT) != n) {
		mos__free(alloc, *out);
		*out = NULL;
		return MOS_ENOMEM;
	}
	(*out)[n] = '\0';
	return 0;
}

static int parse_command(const mos_allocator_t *alloc, json_t *cmd,
			 step_t *st)
{
	size_t n = json_array_size(cmd), i;
	json_t *v;
	int err;

	if (!json_is_array(cmd) || n == 0 || !json_is_string(json_array_get(cmd, 0)))
		return MOS_EINVAL;
	if (!(st->argv = mos__calloc(alloc, n + 1, sizeof(char *))))
		return MOS_ENOMEM;
	json_array_foreach(cmd, i, v) {
		if ((err = arg_string(alloc, v, &st->argv[i])) < 0)
			return err;
	}
	return 0;
}

static int parse_spawn(const mos_allocator_t *alloc, json_t *v, step_t *st)
{
	mos_priority_t prio;
	json_t *p;

	st->prio = -1;
	if (json_is_array(v))
		return parse_command(alloc, v, st);
	if (!json_is_object(v))
		return MOS_EINVAL;
	if ((p = json_object_get(v, "priority"))) {
		if (!json_is_string(p) ||
		    mos_priority_parse(json_string_value(p), &prio) < 0)
			return MOS_EINVAL;
		st->prio = (int)prio;
	}
	return parse_command(alloc, json_object_get(v, "command"), st);
}

/*
 * Parsing: the allocator, and what a failure reports.  The caller of
 * mos_process_create may give a mos_error_t as spec.arg (the prepare
 * hook's *state on entry); a bad step then fills it naming the step: its
 * number from 1 (a step inside a repeat or a handler as "2.1", and so
 * on), its JSON text and what is wrong with it.  With none, nothing is
 * formatted.
 */
typedef struct pctx {
	const mos_allocator_t *alloc;
	mos_error_t *err;           /* NULL: no diagnostic */
	char why[96];               /* what is wrong, set by the first bad() */
	/* The step being parsed ("step 2.1"), then its text: longer than
	 * the diagnostic's path, which cuts it with an ellipsis. */
	char label[MOS_ERROR_PATH_LEN + 32];
} pctx_t;

/* Record why the step fails (the first reason wins; nothing formatted
 * when no diagnostic is wanted: a spawn parses its child's script on the
 * parent's small coroutine stack); MOS_EINVAL. */
static int bad(pctx_t *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(pctx_t *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->err || c->why[0])
		return MOS_EINVAL;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return MOS_EINVAL;
}

static int parse_list(pctx_t *c, json_t *arr, step_t **out, size_t *n);

static int parse_duration(json_t *v, mos_time_t *d)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*d = (mos_time_t)json_integer_value(v) * MOS_MSEC;
		return 0;
	}
	return json_is_string(v) ? mos_duration_parse(json_string_value(v), d)
				 : MOS_EINVAL;
}

/* A size: a non-negative integer of bytes or a size string ("64KiB"). */
static int parse_size(json_t *v, uint64_t *bytes)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*bytes = (uint64_t)json_integer_value(v);
		return 0;
	}
	return json_is_string(v) ? mos_size_parse(json_string_value(v), bytes)
				 : MOS_EINVAL;
}

/* free's operand: N >= 1 (the N-th alloc step run), or "last" (0). */
static int parse_free(json_t *v, step_t *st)
{
	st->kind = FREE;
	if (json_is_string(v) && strcmp(json_string_value(v), "last") == 0) {
		st->n = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > LONG_MAX)
		return MOS_EINVAL;
	st->n = (long)json_integer_value(v);
	return 0;
}

static int parse_sig(json_t *v, int *sig)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		*sig = (int)n;
		return n > 0 && n < MOS_NSIG ? 0 : MOS_EINVAL;
	}
	return json_is_string(v) ? mos_signal_parse(json_string_value(v), sig)
				 : MOS_EINVAL;
}

static int parse_sigset(json_t *arr, mos_sigset_t *set)
{
	size_t i;
	json_t *v;
	int sig;

	if (!json_is_array(arr))
		return MOS_EINVAL;
	*set = 0;
	json_array_foreach(arr, i, v) {
		if (parse_sig(v, &sig) < 0)
			return MOS_EINVAL;
		*set |= MOS_SIGBIT(sig);
	}
	return 0;
}

/* kill's target: a pid (kill(2)'s: > 0, 0 the group, -1 everyone, < -1 a
 * group), or "self", "parent", "child" (the last one spawned), "group"
 * (0), "all" (-1). */
static int parse_who(json_t *v, step_t *st)
{
	static const struct { const char *name; who_t who; long pid; } w[] = {
		{"self", WHO_SELF, 0}, {"parent", WHO_PARENT, 0},
		{"child", WHO_CHILD, 0}, {"group", WHO_PID, 0},
		{"all", WHO_PID, -1},
	};

	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		st->who = WHO_PID;
		st->n = (long)n;
		return n > INT32_MIN && n <= INT32_MAX ? 0 : MOS_EINVAL;
	}
	for (size_t i = 0; json_is_string(v) && i < sizeof(w) / sizeof(*w); i++) {
		if (strcmp(json_string_value(v), w[i].name) == 0) {
			st->who = w[i].who;
			st->n = w[i].pid;
			return 0;
		}
	}
	return MOS_EINVAL;
}

static int parse_action(pctx_t *c, json_t *v, step_t *st)
{
	static const struct { const char *name; mos_sig_action_t a; } acts[] = {
		{"default", MOS_SIG_DEFAULT}, {"ignore", MOS_SIG_IGNORE},
		{"stop", MOS_SIG_STOP}, {"terminate", MOS_SIG_TERMINATE},
	};

	if (json_is_array(v)) {
		st->action = MOS_SIG_CATCH;
		return parse_list(c, v, &st->body, &st->nbody);
	}
	for (size_t i = 0; json_is_string(v) && i < sizeof(acts) / sizeof(*acts); i++) {
		if (strcmp(json_string_value(v), acts[i].name) == 0) {
			st->action = acts[i].a;
			return 0;
		}
	}
	return bad(c, "bad action (default, ignore, stop, terminate or a "
		      "list of steps)");
}

/* Steps with two keys: kill WHO + signal, signal SIG + action. */
static int parse_signal_step(pctx_t *c, json_t *o, step_t *st)
{
	json_t *v, *sig = json_object_get(o, "signal");

	if (json_object_size(o) != 2 || !sig)
		return bad(c, "unknown step");
	if ((v = json_object_get(o, "kill"))) {
		st->kind = KILL;
		if (parse_who(v, st) < 0)
			return bad(c, "bad kill target");
		return parse_sig(sig, &st->sig) < 0 ? bad(c, "bad signal") : 0;
	}
	if ((v = json_object_get(o, "action"))) {
		st->kind = SIGNAL;
		if (parse_sig(sig, &st->sig) < 0)
			return bad(c, "bad signal");
		/* Checked here, not at run time: a script fails when it is
		 * created, never half-way. */
		if (st->sig == MOS_SIGKILL || st->sig == MOS_SIGSTOP)
			return bad(c, "SIGKILL and SIGSTOP cannot be caught "
				      "or ignored");
		return parse_action(c, v, st);
	}
	return bad(c, "unknown step");
}

/* ---- file steps ---- */

/* A descriptor: "last" (-1) or a number >= 0. */
static int parse_fd(json_t *v, int *fd)
{
	if (json_is_string(v) && strcmp(json_string_value(v), "last") == 0) {
		*fd = -1;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > INT32_MAX)
		return MOS_EINVAL;
	*fd = (int)json_integer_value(v);
	return 0;
}

static int parse_mode(pctx_t *c, json_t *v, unsigned *flags)
{
	static const char letters[] = "rwcxt";
	static const unsigned bits[] = {MOS_O_READ, MOS_O_WRITE, MOS_O_CREATE,
					MOS_O_EXCL, MOS_O_TRUNC};
	const char *s;

	*flags = v ? 0 : MOS_O_RDWR;
	if (!v)
		return 0;
	if (!json_is_string(v) || !*(s = json_string_value(v)))
		return bad(c, "mode is not a string of letters");
	for (; *s; s++) {
		const char *at = strchr(letters, *s);
		if (!at && (*s < ' ' || *s > '~')) /* no part of a UTF-8 one */
			return bad(c, "unknown mode letter");
		if (!at)
			return bad(c, "unknown mode '%c'", *s);
		if (*flags & bits[at - letters])
			return bad(c, "mode '%c' twice", *s);
		*flags |= bits[at - letters];
	}
	return *flags & MOS_O_RDWR ? 0 : bad(c, "mode has neither r nor w");
}

static int parse_path(pctx_t *c, json_t *v, step_t *st)
{
	if (!json_is_string(v) || !*json_string_value(v) ||
	    strlen(json_string_value(v)) > MOS_FS_PATH_MAX)
		return bad(c, "bad path");
	return (st->path = mos__strdup(c->alloc, json_string_value(v)))
		       ? 0 : MOS_ENOMEM;
}

/* open, close, read, write, chdir; 1 when o is none of them. */
static int parse_file_step(pctx_t *c, json_t *o, step_t *st)
{
	size_t n = json_object_size(o);
	json_t *v, *opt;
	int err;

	if ((v = json_object_get(o, "open"))) {
		opt = json_object_get(o, "mode");
		if (n != (opt ? 2u : 1u))
			return bad(c, "unknown step");
		st->kind = OPEN;
		if ((err = parse_mode(c, opt, &st->flags)) < 0)
			return err;
		return parse_path(c, v, st);
	}
	if ((v = json_object_get(o, "chdir"))) {
		st->kind = CHDIR;
		return n == 1 ? parse_path(c, v, st) : bad(c, "unknown step");
	}
	if ((v = json_object_get(o, "close"))) {
		st->kind = CLOSE;
		if (n != 1)
			return bad(c, "unknown step");
		return parse_fd(v, &st->fd) < 0 ? bad(c, "bad descriptor") : 0;
	}
	if ((v = json_object_get(o, "read")) || (v = json_object_get(o, "write"))) {
		st->kind = json_object_get(o, "read") ? READ : WRITE;
		opt = json_object_get(o, "fd");
		st->fd = -1;
		if (n != (opt ? 2u : 1u) ||
		    (json_object_get(o, "read") && json_object_get(o, "write")))
			return bad(c, "unknown step");
		if (opt && parse_fd(opt, &st->fd) < 0)
			return bad(c, "bad descriptor");
		return parse_size(v, &st->bytes) < 0 ? bad(c, "bad size") : 0;
	}
	return 1;
}

/* The step's JSON text, into c->label after its number, for the
 * diagnostic (cut to the path's size there); nothing when it cannot be
 * had. */
static void label_text(pctx_t *c, json_t *o)
{
	size_t at = strlen(c->label), room = sizeof(c->label) - at - 1;
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY; /* a step may be 7 */
	size_t n = json_dumpb(o, NULL, 0, flags);
	char *text;

	if (!n || room < 2 || !(text = mos__malloc(c->alloc, n + 1)))
		return;
	if (json_dumpb(o, text, n, flags) == n) {
		text[n] = '\0';
		snprintf(c->label + at, room + 1, " %s", text);
	}
	mos__free(c->alloc, text);
}

/* The step that failed: report it (the innermost one, as the first
 * report wins). */
static int step_failed(pctx_t *c, json_t *o, int err)
{
	if (!c->err || c->err->code)
		return err;
	label_text(c, o);
	if (err == MOS_ENOMEM)
		return mos__error_path(c->err, err, "script", c->label,
				       "out of memory");
	return mos__error_path(c->err, MOS_ECONFIG, "script", c->label, "%s",
			       c->why[0] ? c->why : "bad step");
}

static int parse_step(pctx_t *c, json_t *o, step_t *st)
{
	json_t *v;
	int err;

	if (!json_is_object(o))
		return bad(c, "a step is a JSON object");
	if (json_object_get(o, "signal"))
		return parse_signal_step(c, o, st);
	if ((err = parse_file_step(c, o, st)) <= 0)
		return err;
	if ((v = json_object_get(o, "mask")) && json_object_size(o) == 1)
		return st->kind = MASK, parse_sigset(v, &st->set) < 0
			? bad(c, "bad signal list") : 0;
	if ((v = json_object_get(o, "unmask")) && json_object_size(o) == 1)
		return st->kind = UNMASK, parse_sigset(v, &st->set) < 0
			? bad(c, "bad signal list") : 0;
	if ((v = json_object_get(o, "pause")) && json_object_size(o) == 1)
		return st->kind = PAUSE, json_is_true(v) ? 0
			: bad(c, "pause takes true");
	if ((v = json_object_get(o, "alarm")) && json_object_size(o) == 1)
		return st->kind = ALARM, parse_duration(v, &st->d) < 0
			? bad(c, "bad duration") : 0;
	if ((v = json_object_get(o, "alloc")) && json_object_size(o) == 1) {
		st->kind = ALLOC;
		if (parse_size(v, &st->bytes) < 0 || st->bytes == 0)
			return bad(c, "bad size (at least one byte)");
		return 0;
	}
	if ((v = json_object_get(o, "free")) && json_object_size(o) == 1)
		return parse_free(v, st) < 0
			? bad(c, "bad allocation (a number from 1, or \"last\")")
			: 0;
	if ((v = json_object_get(o, "stack")) && json_object_size(o) == 1)
		return st->kind = STACK, parse_size(v, &st->bytes) < 0
			? bad(c, "bad size") : 0;
	if ((v = json_object_get(o, "compute")) && json_object_size(o) == 1)
		return st->kind = COMPUTE, parse_duration(v, &st->d) < 0
			? bad(c, "bad duration") : 0;
	if ((v = json_object_get(o, "sleep")) && json_object_size(o) == 1)
		return st->kind = SLEEP, parse_duration(v, &st->d) < 0
			? bad(c, "bad duration") : 0;
	if ((v = json_object_get(o, "yield")) && json_object_size(o) == 1)
		return st->kind = YIELD, json_is_true(v) ? 0
			: bad(c, "yield takes true");
	if ((v = json_object_get(o, "spawn")) && json_object_size(o) == 1) {
		st->kind = SPAWN;
		err = parse_spawn(c->alloc, v, st);
		return err == MOS_EINVAL ? bad(c, "bad command") : err;
	}
	if ((v = json_object_get(o, "wait")) && json_object_size(o) == 1 &&
	    json_is_string(v)) {
		const char *s = json_string_value(v);
		st->kind = strcmp(s, "all") == 0 ? WAIT_ALL : WAIT_ANY;
		return strcmp(s, "all") == 0 || strcmp(s, "any") == 0
			? 0 : bad(c, "wait takes \"any\" or \"all\"");
	}
	if ((v = json_object_get(o, "exit")) && json_object_size(o) == 1) {
		st->kind = EXIT;
		st->n = json_is_integer(v) ? (long)json_integer_value(v) : -1;
		return st->n >= 0 && st->n <= 255
			? 0 : bad(c, "exit code not in 0 .. 255");
	}
	if ((v = json_object_get(o, "repeat")) && json_object_size(o) == 2) {
		st->kind = REPEAT;
		st->n = json_is_integer(v) ? (long)json_integer_value(v) : -1;
		if (st->n < 0)
			return bad(c, "bad repeat count");
		return parse_list(c, json_object_get(o, "steps"), &st->body,
				  &st->nbody);
	}
	return bad(c, "unknown step");
}

/* The steps of arr.  A nested list (a repeat's, a handler's) numbers its
 * steps after the step it belongs to ("2.1"), in c->label. */
static int parse_list(pctx_t *c, json_t *arr, step_t **out, size_t *n)
{
	size_t i, at = strlen(c->label);
	json_t *v;
	int err;

	*out = NULL;
	*n = 0;
	if (!json_is_array(arr))
		return bad(c, at ? "steps are not a JSON array"
				 : "not a JSON array of steps");
	if (json_array_size(arr) &&
	    !(*out = mos__calloc(c->alloc, json_array_size(arr), sizeof(step_t))))
		return MOS_ENOMEM;
	json_array_foreach(arr, i, v) {
		*n = i + 1; /* so a failure frees what was parsed */
		if (c->err)
			snprintf(c->label + at, sizeof(c->label) - at, "%s%zu",
				 at ? "." : "step ", i + 1);
		if ((err = parse_step(c, v, &(*out)[i])) < 0)
			return step_failed(c, v, err);
	}
	c->label[at] = '\0';
	return 0;
}

/*
 * How deep the brackets of a JSON text nest (outside strings).  A script
 * is parsed, and its repeats and handlers run, recursively, and a spawn
 * parses its child's script on the parent's coroutine, whose stack is
 * small: deeper than MAX_NESTING is refused before jansson (whose own
 * limit is 2048) recurses into it.
 */
#define MAX_NESTING 32

static int nesting(const char *s)
{
	int depth = 0, max = 0;
	bool in_string = false;

	for (; *s; s++) {
		if (in_string) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				in_string = false;
		} else if (*s == '"') {
			in_string = true;
		} else if (*s == '[' || *s == '{') {
			if (++depth > max)
				max = depth;
		} else if (*s == ']' || *s == '}') {
			depth--;
		}
	}
	return max;
}

static int prepare(const mos_allocator_t *alloc, int argc, char **argv,
		   void **state)
{
	pctx_t c = {.alloc = alloc, .err = *state};
	json_error_t jerr = {0};
	script_t *sc;
	json_t *root;
	int err;

	mos__error_clear(c.err);
	if (argc != 2)
		return mos__error_path(c.err, MOS_ECONFIG, "script", "",
				       "takes one argument, the steps");
	if (nesting(argv[1]) > MAX_NESTING)
		return mos__error_path(c.err, MOS_ECONFIG, "script", "",
				       "nested deeper than %d", MAX_NESTING);
	/* jansson mostly fails for want of memory without a word: an empty
	 * text is that too (as mos__json_error_code reads it). */
	if (!(root = json_loads(argv[1], JSON_REJECT_DUPLICATES, &jerr))) {
		if (!jerr.text[0] ||
		    json_error_code(&jerr) == json_error_out_of_memory)
			return mos__error_path(c.err, MOS_ENOMEM, "script", "",
					       "out of memory");
		return mos__error_syntax(c.err, MOS_ECONFIG, "script",
					 jerr.line, jerr.column, "%s",
					 jerr.text);
	}
	if (!(sc = mos__calloc(alloc, 1, sizeof(*sc)))) {
		json_decref(root);
		return MOS_ENOMEM;
	}
	sc->alloc = alloc;
	sc->last_fd = -1;
	err = parse_list(&c, root, &sc->steps, &sc->n);
	json_decref(root);
	if (err < 0) {
		release(alloc, sc);
		/* Not a list at all: no step to name. */
		if (c.err && !c.err->code)
			mos__error_path(c.err, err == MOS_ENOMEM ? err
								 : MOS_ECONFIG,
					"script", "", "%s",
					err == MOS_ENOMEM ? "out of memory"
							  : c.why);
		return err;
	}
	*state = sc;
	return 0;
}

static void run(mos_proc_t *self, const step_t *s, size_t n);

/* A caught signal: the steps its signal step gave. */
static void script_handler(mos_proc_t *self, int sig)
{
	script_t *sc = mos_sys_state(self);
	const step_t *h = sc->handler[sig];

	if (h)
		run(self, h->body, h->nbody);
}

static mos_pid_t kill_target(mos_proc_t *self, const step_t *s)
{
	const script_t *sc = mos_sys_state(self);

	switch (s->who) {
	case WHO_SELF: return mos_sys_getpid(self);
	case WHO_PARENT: return mos_sys_getppid(self);
	case WHO_CHILD: return sc->last_child;
	case WHO_PID: break;
	}
	return (mos_pid_t)s->n;
}

/* An alloc step: its handle is remembered in order, 0 when refused.  When
 * the list cannot grow the allocation is given back (a free step can
 * name only what is remembered). */
static void run_alloc(mos_proc_t *self, script_t *sc, uint64_t bytes)
{
	mos_mem_handle_t h = 0;

	if (sc->nhandles == sc->handle_cap) {
		size_t cap = sc->handle_cap ? sc->handle_cap * 2 : 8;
		mos_mem_handle_t *v = mos__realloc_array(sc->alloc, sc->handles,
							 cap, sizeof(*v));
		if (!v) {
			if (mos_sys_alloc(self, bytes, &h) == 0)
				mos_sys_free(self, h);
			return;
		}
		sc->handles = v;
		sc->handle_cap = cap;
	}
	if (mos_sys_alloc(self, bytes, &h) < 0)
		h = 0;
	sc->handles[sc->nhandles++] = h;
}

/* A free step: the n-th remembered (from 1), or the latest live one for
 * n = 0.  Nothing to free still makes the call, which fails. */
static void run_free(mos_proc_t *self, script_t *sc, long n)
{
	mos_mem_handle_t h = 0;
	size_t i;

	if (n == 0) {
		for (i = sc->nhandles; i > 0 && !sc->handles[i - 1]; i--)
			;
		i = i > 0 ? i - 1 : sc->nhandles;
	} else {
		i = (size_t)n - 1;
	}
	if (i < sc->nhandles) {
		h = sc->handles[i];
		sc->handles[i] = 0;
	}
	mos_sys_free(self, h);
}

static void run_file(mos_proc_t *self, script_t *sc, const step_t *s)
{
	int fd = s->fd < 0 ? sc->last_fd : s->fd;

	switch (s->kind) {
	case OPEN:
		if (mos_sys_open(self, s->path, s->flags, &fd) == 0)
			sc->last_fd = fd;
		break;
	case CLOSE:
		if (mos_sys_close(self, fd) == 0 && fd == sc->last_fd)
			sc->last_fd = -1;
		break;
	case READ: mos_sys_read(self, fd, s->bytes, NULL); break;
	case WRITE: mos_sys_write(self, fd, s->bytes, NULL); break;
	case CHDIR: mos_sys_chdir(self, s->path); break;
	default: break;
	}
}

static void run(mos_proc_t *self, const step_t *s, size_t n)
{
	script_t *sc = mos_sys_state(self);

	for (size_t i = 0; i < n; i++, s++) {
		mos_pid_t pid;

		switch (s->kind) {
		case KILL:
			/* A kill of "child" before any spawn names nobody:
			 * the call fails and the script goes on, as a shell's
			 * kill would. */
			if ((pid = kill_target(self, s)) != 0 || s->who == WHO_PID)
				mos_sys_kill(self, pid, s->sig);
			break;
		case SIGNAL:
			sc->handler[s->sig] = s->action == MOS_SIG_CATCH ? s : NULL;
			mos_sys_sigaction(self, s->sig, s->action,
					  s->action == MOS_SIG_CATCH ? script_handler
								     : NULL,
					  0, 0, NULL);
			break;
		case MASK:
			mos_sys_sigprocmask(self, MOS_SIG_BLOCK, s->set, NULL);
			break;
		case UNMASK:
			mos_sys_sigprocmask(self, MOS_SIG_UNBLOCK, s->set, NULL);
			break;
		case PAUSE: mos_sys_pause(self); break;
		case ALARM: mos_sys_alarm(self, s->d, NULL); break;
		case ALLOC: run_alloc(self, sc, s->bytes); break;
		case FREE: run_free(self, sc, s->n); break;
		case STACK: mos_sys_stack_use(self, s->bytes); break;
		case COMPUTE: mos_sys_compute(self, s->d); break;
		case SLEEP: mos_sys_sleep(self, s->d); break;
		case YIELD: mos_sys_yield(self); break;
		case SPAWN:
			if ((s->prio < 0
				     ? mos_sys_spawn(self, (const char *const *)s->argv,
						     &pid)
				     : mos_sys_create_process(self,
							      (mos_priority_t)s->prio,
							      (const char *const *)s->argv,
							      &pid)) == 0)
				sc->last_child = pid;
			break;
		case WAIT_ANY: mos_sys_wait(self, NULL); break;
		case WAIT_ALL:
			while (mos_sys_wait(self, NULL) > 0)
				;
			break;
		case OPEN:
		case CLOSE:
		case READ:
		case WRITE:
		case CHDIR:
			run_file(self, sc, s);
			break;
		case EXIT: mos_sys_exit(self, (int)s->n);
		case REPEAT:
			for (long r = 0; r < s->n; r++)
				run(self, s->body, s->nbody);
			break;
		}
	}
}

static int script_main(mos_proc_t *self, int argc, char **argv)
{
	const script_t *sc = mos_sys_state(self);
	(void)argc;
	(void)argv;
	run(self, sc->steps, sc->n);
	return 0;
}

int mos__program_script_register(mos_kernel_t *k)
{
	static const mos_program_t prog = {"script", script_main, prepare, release};
	return mos_program_register_ex(k, &prog);
}
