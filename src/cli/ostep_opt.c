/*
 * src/cli/ostep_opt.c - optparse's command line and Python's number
 * formats for `multios ostep` (see ostep.h).  What is emulated is exactly
 * what the OSTEP scripts use: store options of type int and string,
 * store_true flags, -h/--help.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ostep.h"

static int opt_error(const char *prog, const char *fmt, const char *a,
		     const char *b)
{
	fprintf(stderr, "Usage: %s [options]\n\n%s: error: ", prog, prog);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

/* optparse's _parse_num(text, int): the base from the prefix, 0b's
 * removed; int() does the rest. */
static bool parse_int(const char *text, py_int_t *out)
{
	int base = 10;

	if (text[0] == '0' && (text[1] | 0x20) == 'x')
		base = 16;
	else if (text[0] == '0' && (text[1] | 0x20) == 'b') {
		base = 2;
		text = text[2] ? text + 2 : "0";
	} else if (text[0] == '0')
		base = 8;
	return mos_pyrandom_parse_int(text, base, out->words, &out->nwords,
				      &out->negative) == 0;
}

static int store(const char *prog, ostep_opt_t *o, const char *name,
		 int *i, int argc, char **argv, const char *attached)
{
	if (o->type == OPT_FLAG) {
		o->value = "1";
		return 0;
	}
	if (attached)
		o->value = attached;
	else if (*i + 1 >= argc)
		return opt_error(prog, "%s option requires 1 argument%s", name,
				 "");
	else
		o->value = argv[++*i];
	if (o->type == OPT_INT && !parse_int(o->value, &o->num)) {
		char r[1024];
		py_str_repr(o->value, r, sizeof r);
		return opt_error(prog, "option %s: invalid integer value: %s",
				 name, r);
	}
	return 0;
}

static void sort_names(const char **v, size_t n)
{
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(v[b - 1], v[b]) > 0; b--) {
			const char *t = v[b];
			v[b] = v[b - 1];
			v[b - 1] = t;
		}
}

/* A long option: its exact name, else the one option it abbreviates
 * (optparse's _match_abbrev; "help" is one of them). */
static int long_opt(const char *prog, ostep_opt_t *opts, size_t n,
		    int *i, int argc, char **argv, bool *help)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *cands[32];
	char name[512], list[1024] = "";
	size_t nc = 0;

	snprintf(name, sizeof name, "--%.*s", (int)len, arg);
	if (strncmp("help", arg, len) == 0)
		cands[nc++] = "help";
	for (size_t k = 0; k < n && nc < 32; k++)
		if (opts[k].long_name && !strncmp(opts[k].long_name, arg, len))
			cands[nc++] = opts[k].long_name;
	for (size_t k = 0; k < nc; k++)
		if (strlen(cands[k]) == len) {
			cands[0] = cands[k];
			nc = 1;
		}
	if (nc == 0)
		return opt_error(prog, "no such option: %s%s", name, "");
	if (nc > 1) {
		sort_names(cands, nc);
		for (size_t k = 0; k < nc; k++) {
			strcat(list, k ? ", --" : "--");
			strncat(list, cands[k], 64);
		}
		return opt_error(prog, "ambiguous option: %s (%s?)", name, list);
	}
	snprintf(name, sizeof name, "--%s", cands[0]);
	ostep_opt_t *hit = NULL;
	for (size_t k = 0; k < n; k++)
		if (opts[k].long_name && strcmp(opts[k].long_name, cands[0]) == 0)
			hit = &opts[k];
	if ((!hit || hit->type == OPT_FLAG) && eq)
		return opt_error(prog, "%s option does not take a value%s", name,
				 "");
	if (!hit) {
		*help = true;
		return 0;
	}
	return store(prog, hit, name, i, argc, argv, eq ? eq + 1 : NULL);
}

/* A cluster of short options: flags, then at most one that takes the
 * rest of the cluster (or the next argument) as its value. */
static int short_opts(const char *prog, ostep_opt_t *opts, size_t n,
		      int *i, int argc, char **argv, bool *help)
{
	const char *arg = argv[*i];

	for (size_t c = 1; arg[c]; c++) {
		char name[3] = { '-', arg[c], 0 };
		ostep_opt_t *hit = NULL;
		if (arg[c] == 'h') {
			*help = true;
			return 0;
		}
		for (size_t k = 0; k < n; k++)
			if (opts[k].short_name == arg[c])
				hit = &opts[k];
		if (!hit)
			return opt_error(prog, "no such option: %s%s", name, "");
		if (hit->type != OPT_FLAG)
			return store(prog, hit, name, i, argc, argv,
				     arg[c + 1] ? arg + c + 1 : NULL);
		store(prog, hit, name, i, argc, argv, NULL);
	}
	return 0;
}

int ostep_parse(const char *prog, const char *help, ostep_opt_t *opts,
		size_t n, int argc, char **argv, bool *done)
{
	return ostep_parse_rest(prog, help, opts, n, argc, argv, done, NULL);
}

int ostep_parse_rest(const char *prog, const char *help, ostep_opt_t *opts,
		     size_t n, int argc, char **argv, bool *done, int *rest)
{
	bool want_help = false;

	*done = false;
	if (rest)
		*rest = argc;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int rc = 0;
		if (strcmp(a, "--") == 0) {
			if (rest)
				*rest = i + 1;
			break;
		}
		if (strncmp(a, "--", 2) == 0)
			rc = long_opt(prog, opts, n, &i, argc, argv, &want_help);
		else if (a[0] == '-' && a[1])
			rc = short_opts(prog, opts, n, &i, argc, argv, &want_help);
		/* anything else is a positional argument: the scripts
		 * ignore them */
		if (rc)
			return rc;
		if (want_help) {
			fputs(help, stdout);
			*done = true;
			return 0;
		}
	}
	return 0;
}

int ostep_raise(const char *prog, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "Traceback (most recent call last):\n"
		"  File \"%s\"\n%s\n", prog, what);
	return 1;
}

int ostep_fail(const char *script, const char *fmt, const char *arg)
{
	fflush(stdout);
	fprintf(stderr, "multios ostep %s: ", script);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

void py_int_set(py_int_t *v, int64_t n)
{
	uint64_t mag = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;

	v->negative = n < 0;
	v->words[0] = (uint32_t)mag;
	v->words[1] = (uint32_t)(mag >> 32);
	v->nwords = v->words[1] ? 2 : v->words[0] ? 1 : 0;
}

bool py_int_to_i64(const py_int_t *v, int64_t *out)
{
	uint64_t mag = 0;

	if (v->nwords > 2)
		return false;
	for (size_t k = v->nwords; k-- > 0;)
		mag = mag << 32 | v->words[k];
	if (mag > (uint64_t)INT64_MAX)
		return false;
	*out = v->negative ? -(int64_t)mag : (int64_t)mag;
	return true;
}

void py_int_print(const py_int_t *v)
{
	uint32_t w[MOS_PYRANDOM_MAX_WORDS];
	uint32_t chunks[MOS_PYRANDOM_MAX_WORDS * 2];
	size_t n = v->nwords, nc = 0;

	memcpy(w, v->words, n * sizeof w[0]);
	/* Repeated division by 10^9: base-10^9 digits, lowest first. */
	while (n) {
		uint64_t rem = 0;
		for (size_t k = n; k-- > 0;) {
			uint64_t cur = rem << 32 | w[k];
			w[k] = (uint32_t)(cur / 1000000000u);
			rem = cur % 1000000000u;
		}
		chunks[nc++] = (uint32_t)rem;
		while (n && w[n - 1] == 0)
			n--;
	}
	if (nc == 0) {
		putchar('0');
		return;
	}
	printf("%s%u", v->negative ? "-" : "", chunks[nc - 1]);
	while (nc-- > 1)
		printf("%09u", chunks[nc - 1]);
}

static bool py_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') ||
	       (c >= '\x1c' && c <= '\x1f');
}

/* Digits with single '_' between them; *p moves past them; how many. */
static size_t digits(const char **p, char *out, size_t *o, size_t cap)
{
	size_t n = 0;

	while (**p >= '0' && **p <= '9') {
		if (*o + 1 < cap)
			out[(*o)++] = **p;
		n++;
		(*p)++;
		if (**p == '_' && (*p)[1] >= '0' && (*p)[1] <= '9')
			(*p)++;
	}
	return n;
}

bool py_float_parse(const char *text, double *out)
{
	char buf[1024];
	size_t o = 0;
	const char *p = text, *q;

	while (py_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		buf[o++] = *p++;
	q = p;
	if (!strncasecmp(p, "infinity", 8) || !strncasecmp(p, "inf", 3) ||
	    !strncasecmp(p, "nan", 3)) {
		p += !strncasecmp(p, "infinity", 8) ? 8 : 3;
		for (; q < p; q++)
			buf[o++] = *q;
	} else {
		size_t nd = digits(&p, buf, &o, sizeof buf);
		if (*p == '.') {
			buf[o++] = *p++;
			nd += digits(&p, buf, &o, sizeof buf);
		}
		if (nd == 0)
			return false;
		if (*p == 'e' || *p == 'E') {
			buf[o++] = *p++;
			if (*p == '+' || *p == '-')
				buf[o++] = *p++;
			if (digits(&p, buf, &o, sizeof buf) == 0)
				return false;
		}
	}
	while (py_space(*p))
		p++;
	if (*p || o + 1 >= sizeof buf)
		return false;
	buf[o] = '\0';
	*out = strtod(buf, NULL);
	return true;
}

void py_float_repr(double x, char *buf, size_t len)
{
	char digs[40], *e;
	int prec, exp10;

	if (isnan(x)) {
		snprintf(buf, len, "nan");
		return;
	}
	if (isinf(x)) {
		snprintf(buf, len, "%sinf", x < 0 ? "-" : "");
		return;
	}
	if (x == 0) {
		snprintf(buf, len, "%s0.0", signbit(x) ? "-" : "");
		return;
	}
	/* The shortest digits that read back as x: repr's. */
	for (prec = 0; prec < 17; prec++) {
		snprintf(digs, sizeof digs, "%.*e", prec, x);
		if (strtod(digs, NULL) == x)
			break;
	}
	e = strchr(digs, 'e');
	exp10 = atoi(e + 1);
	*e = '\0';
	/* mantissa digits without sign and point */
	char m[40];
	size_t nm = 0;
	for (const char *c = digs; *c; c++)
		if (*c >= '0' && *c <= '9')
			m[nm++] = *c;
	m[nm] = '\0';
	const char *sign = x < 0 ? "-" : "";
	int decpt = exp10 + 1;
	if (decpt > 16 || decpt <= -4) {
		if (nm == 1)
			snprintf(buf, len, "%s%ce%c%02d", sign, m[0],
				 exp10 < 0 ? '-' : '+', abs(exp10));
		else
			snprintf(buf, len, "%s%c.%se%c%02d", sign, m[0], m + 1,
				 exp10 < 0 ? '-' : '+', abs(exp10));
	} else if (decpt <= 0) {
		snprintf(buf, len, "%s0.%0*d%s", sign, -decpt, 0, m);
		if (decpt == 0) /* "%0*d" with 0 width still prints "0" */
			snprintf(buf, len, "%s0.%s", sign, m);
	} else if ((size_t)decpt >= nm) {
		snprintf(buf, len, "%s%s%0*d.0", sign, m, (int)((size_t)decpt - nm),
			 0);
		if ((size_t)decpt == nm)
			snprintf(buf, len, "%s%s.0", sign, m);
	} else {
		snprintf(buf, len, "%s%.*s.%s", sign, decpt, m, m + decpt);
	}
}

bool py_int_of_float(double x, char *buf, size_t len, int width)
{
	if (!isfinite(x))
		return false;
	snprintf(buf, len, "%*.0f", width, trunc(x) + 0.0);
	return true;
}

void py_str_repr(const char *s, char *buf, size_t len)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	size_t o = 0;

	buf[o++] = q;
	for (; *s && o + 6 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\' || c == (unsigned char)q)
			o += (size_t)snprintf(buf + o, len - o, "\\%c", c);
		else if (c == '\n')
			o += (size_t)snprintf(buf + o, len - o, "\\n");
		else if (c == '\t')
			o += (size_t)snprintf(buf + o, len - o, "\\t");
		else if (c == '\r')
			o += (size_t)snprintf(buf + o, len - o, "\\r");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o++] = q;
	buf[o] = '\0';
}

