/*
 * src/programs/script_parse.c - the `script` program's parser: the JSON
 * steps (script.c's header lists them, docs/PROGRAMS.md documents them)
 * turned into step_t, checked whole when the process is created, so a
 * bad script fails mos_process_create with MOS_ECONFIG and names its
 * step.
 */
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script_int.h"
#include "util/alloc.h"
#include "util/error_int.h"

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

void mos__script_release(const mos_allocator_t *alloc, void *state)
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

int mos__script_prepare(const mos_allocator_t *alloc, int argc, char **argv,
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
		mos__script_release(alloc, sc);
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

