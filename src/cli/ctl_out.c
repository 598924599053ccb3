/*
 * src/cli/ctl_out.c - what `multios ctl` prints: each reply of the live
 * admin protocol (docs/LIVE.md) as a table or as "key: value" lines, in
 * the columns of `multios run`'s ps and `multios services`.
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static json_int_t num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* ns as "12.500" (ms). */
static const char *ms(json_int_t ns, char *buf, size_t len)
{
	return cli_ms(ns < 0 ? MOS_TIME_NEVER : (mos_time_t)ns, buf, len);
}

static void print_ps(json_t *rows, FILE *out)
{
	size_t i;
	json_t *r;
	char cpu[32];

	fprintf(out, "%5s %5s %-8s %-10s %-8s %-11s %9s %10s %4s %5s %s\n",
		"PID", "PPID", "USER", "STATE", "PRIO", "CLASS", "CPU(ms)",
		"MEM", "FDS", "OOM", "COMMAND");
	json_array_foreach(rows, i, r)
		fprintf(out, "%5" JSON_INTEGER_FORMAT " %5" JSON_INTEGER_FORMAT
			" %-8s %-10s %-8s %-11s %9s %10" JSON_INTEGER_FORMAT
			" %4" JSON_INTEGER_FORMAT " %5" JSON_INTEGER_FORMAT
			" %s\n", num(r, "pid"), num(r, "ppid"), str(r, "user"),
			str(r, "state"), str(r, "priority"), str(r, "class"),
			ms(num(r, "cpu_ns"), cpu, sizeof(cpu)),
			num(r, "memory"), num(r, "fds"), num(r, "oom_score_adj"),
			str(r, "command"));
}

static void print_top(json_t *res, FILE *out)
{
	size_t i;
	json_t *r;
	char a[32], b[32], c[32];

	fprintf(out, "top by %s, window %s .. %s ms\n", str(res, "sort"),
		ms(num(res, "since_ns"), a, sizeof(a)),
		ms(num(res, "now_ns"), b, sizeof(b)));
	fprintf(out, "%5s %-10s %6s %11s %9s %10s %s\n", "PID", "STATE",
		"CPU%", "WINDOW(ms)", "CPU(ms)", "MEM", "COMMAND");
	json_array_foreach(json_object_get(res, "rows"), i, r)
		fprintf(out, "%5" JSON_INTEGER_FORMAT " %-10s %4" JSON_INTEGER_FORMAT
			".%" JSON_INTEGER_FORMAT " %11s %9s %10"
			JSON_INTEGER_FORMAT " %s\n", num(r, "pid"),
			str(r, "state"), num(r, "cpu_permille") / 10,
			num(r, "cpu_permille") % 10,
			ms(num(r, "cpu_window_ns"), a, sizeof(a)),
			ms(num(r, "cpu_ns"), c, sizeof(c)), num(r, "memory"),
			str(r, "command"));
}

static void print_services(json_t *res, FILE *out)
{
	size_t i, j;
	json_t *r, *d;
	char since[32];

	fprintf(out, "%4s %-20s %-14s %-9s %10s %-12s %4s %8s %s\n", "ID",
		"NAME", "TYPE", "STATE", "SINCE(ms)", "REASON", "INST",
		"RESTARTS", "DEPENDENCIES");
	json_array_foreach(json_object_get(res, "services"), i, r) {
		fprintf(out, "%4" JSON_INTEGER_FORMAT " %-20s %-14s %-9s %10s"
			" %-12s %4" JSON_INTEGER_FORMAT " %8" JSON_INTEGER_FORMAT
			" ", num(r, "id"), str(r, "name"), str(r, "type"),
			str(r, "state"), ms(num(r, "since_ns"), since,
					   sizeof(since)), str(r, "reason"),
			num(r, "instances"), num(r, "restarts"));
		json_array_foreach(json_object_get(r, "dependencies"), j, d)
			fprintf(out, "%s%s%s", j ? "," : "", str(d, "name"),
				json_is_true(json_object_get(d, "required"))
					? "" : "?");
		fputc('\n', out);
	}
}

/* Any object as "key: value" lines (nested values as compact JSON). */
static void print_fields(json_t *o, FILE *out)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		char *s = json_is_string(v) ? NULL
					    : json_dumps(v, JSON_COMPACT |
								JSON_ENCODE_ANY);

		fprintf(out, "%-18s %s\n", key,
			s ? s : json_string_value(v));
		free(s);
	}
}

static void print_audit(json_t *rows, FILE *out)
{
	size_t i;
	json_t *r;
	char t[32];

	fprintf(out, "%5s %10s %-14s %5s %4s %-16s %6s %s\n", "SEQ", "TIME(ms)",
		"OP", "PID", "SVC", "RESULT", "VALUE", "REASON");
	json_array_foreach(rows, i, r)
		fprintf(out, "%5" JSON_INTEGER_FORMAT " %10s %-14s %5"
			JSON_INTEGER_FORMAT " %4" JSON_INTEGER_FORMAT
			" %-16s %6" JSON_INTEGER_FORMAT " %s\n", num(r, "seq"),
			ms(num(r, "t"), t, sizeof(t)), str(r, "op"),
			num(r, "pid"), num(r, "service"), str(r, "result"),
			num(r, "value"), str(r, "reason"));
}

void ctl_print(const char *cmd, json_t *result, FILE *out)
{
	char t[32];

	if (!strcmp(cmd, "ps"))
		print_ps(result, out);
	else if (!strcmp(cmd, "top"))
		print_top(result, out);
	else if (!strcmp(cmd, "services"))
		print_services(result, out);
	else if (!strcmp(cmd, "audit"))
		print_audit(result, out);
	else if (!strcmp(cmd, "start") || !strcmp(cmd, "stop") ||
		 !strcmp(cmd, "restart"))
		fprintf(out, "%s: %s (%s since %s ms)\n", str(result, "name"),
			str(result, "state"), str(result, "reason"),
			ms(num(result, "since_ns"), t, sizeof(t)));
	else if (!strcmp(cmd, "kill"))
		fprintf(out, "sent %s to pid %" JSON_INTEGER_FORMAT "\n",
			str(result, "signal"), num(result, "pid"));
	else if (!strcmp(cmd, "emergency-stop"))
		fprintf(out, "emergency stop at %s ms: %s\n",
			ms(num(result, "t_ns"), t, sizeof(t)),
			str(result, "reason"));
	else if (!strcmp(cmd, "watch"))
		fprintf(out, "watching from %s ms (Ctrl-C to stop)\n",
			ms(num(result, "t_ns"), t, sizeof(t)));
	else if (json_is_object(result))
		print_fields(result, out);   /* status, stats */
}

void ctl_print_event(const char *line, FILE *out)
{
	json_t *v = json_loads(line, 0, NULL);
	const char *key;
	json_t *f;
	char t[32];

	if (!json_is_object(v)) {
		fprintf(out, "%s\n", line);
		json_decref(v);
		return;
	}
	fprintf(out, "%10s ms  %-8s pid %-4" JSON_INTEGER_FORMAT,
		ms(num(v, "t_ns"), t, sizeof(t)), str(v, "event"),
		num(v, "pid"));
	json_object_foreach(v, key, f) {
		char *s;

		if (!strcmp(key, "t_ns") || !strcmp(key, "event") ||
		    !strcmp(key, "pid"))
			continue;
		s = json_is_string(f) ? NULL : json_dumps(f, JSON_ENCODE_ANY);
		fprintf(out, " %s=%s", key, s ? s : json_string_value(f));
		free(s);
	}
	fputc('\n', out);
	json_decref(v);
}
