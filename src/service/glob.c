/*
 * src/service/glob.c - glob patterns over service names (glob.h).
 *
 * The check runs once per pattern and reports the first fault's
 * position; the matcher then assumes a well-formed pattern.  The matcher
 * is the two-pointer one: on a mismatch it returns to just after the
 * last `*` and lets that star take one more character.  Only the last
 * star matters (whatever an earlier star would take, the later one can
 * take instead), so the work is bounded by pattern length times name
 * length, whatever the pattern.
 */
#include <string.h>

#include "glob.h"
#include "multios/error.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' ||
	       c == '-';
}

/* What may follow a backslash: a name character or a metacharacter. */
static bool escapable(char c)
{
	return c && (name_char(c) || strchr("*?[]\\!^", c));
}

static int bad(size_t at, const char *text, size_t *pos, const char **why)
{
	*pos = at;
	*why = text;
	return MOS_EDISCOVERY;
}

/* One character of a set at p[*j] (not the end: an escape or a name
 * character) into *c, *j past it. */
static int set_char(const char *p, size_t *j, char *c, size_t *pos,
		    const char **why)
{
	if (p[*j] == '\\') {
		if (!p[*j + 1])
			return bad(*j, "trailing '\\'", pos, why);
		if (!escapable(p[*j + 1]))
			return bad(*j + 1, "invalid character", pos, why);
		*c = p[*j + 1];
		*j += 2;
		return 0;
	}
	if (!name_char(p[*j]))
		return bad(*j, "invalid character", pos, why);
	*c = p[(*j)++];
	return 0;
}

/* The set opening at p[i]: its end (just past ']') into *end. */
static int check_set(const char *p, size_t i, size_t *end, size_t *pos,
		     const char **why)
{
	size_t j = i + 1;

	if (p[j] == '!' || p[j] == '^')
		j++;
	if (p[j] == ']')
		return bad(i, "empty '[]'", pos, why);
	while (p[j] != ']') {
		size_t at = j;
		char lo, hi;
		int e;

		if (!p[j])
			return bad(i, "unclosed '['", pos, why);
		if ((e = set_char(p, &j, &lo, pos, why)) < 0)
			return e;
		if (p[j] == '-' && p[j + 1] && p[j + 1] != ']') {
			j++;
			if ((e = set_char(p, &j, &hi, pos, why)) < 0)
				return e;
			if ((unsigned char)hi < (unsigned char)lo)
				return bad(at, "reversed range", pos, why);
		}
	}
	*end = j + 1;
	return 0;
}

int mos__glob_check(const char *p, size_t *pos, const char **why)
{
	size_t i = 0;
	int e;

	if (!p || !pos || !why)
		return MOS_EINVAL;
	if (!*p)
		return bad(0, "empty pattern", pos, why);
	while (p[i]) {
		if (i >= MOS_GLOB_MAX_LEN)
			return bad(i, "pattern too long", pos, why);
		switch (p[i]) {
		case '\\':
			if (!p[i + 1])
				return bad(i, "trailing '\\'", pos, why);
			if (!escapable(p[i + 1]))
				return bad(i + 1, "invalid character", pos, why);
			i += 2;
			break;
		case '[':
			if ((e = check_set(p, i, &i, pos, why)) < 0)
				return e;
			break;
		case ']':
			return bad(i, "unmatched ']'", pos, why);
		default:
			if (p[i] != '*' && p[i] != '?' && !name_char(p[i]))
				return bad(i, "invalid character", pos, why);
			i++;
		}
	}
	return 0;
}

/* A set's character at *q (an escape or itself), *q moved past it. */
static unsigned char set_take(const char **q)
{
	if (**q == '\\')
		(*q)++;
	return (unsigned char)*(*q)++;
}

/* The set at p (well formed) against c: its length; *hit. */
static size_t set_match(const char *p, unsigned char c, bool *hit)
{
	const char *q = p + 1;
	bool neg = false, in = false;

	if (*q == '!' || *q == '^') {
		neg = true;
		q++;
	}
	while (*q != ']') {
		unsigned char lo = set_take(&q), hi = lo;

		if (*q == '-' && q[1] != ']') {
			q++;
			hi = set_take(&q);
		}
		in |= c >= lo && c <= hi;
	}
	*hit = in != neg;
	return (size_t)(q + 1 - p);
}

/* The element at p (not '*', not the end) against c: its length when it
 * matches, else 0. */
static size_t step(const char *p, char c)
{
	bool hit;
	size_t n;

	switch (*p) {
	case '?':
		return 1;
	case '[':
		n = set_match(p, (unsigned char)c, &hit);
		return hit ? n : 0;
	case '\\':
		return p[1] == c ? 2 : 0;
	default:
		return *p == c ? 1 : 0;
	}
}

bool mos__glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		size_t n;

		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p && (n = step(p, *s))) {
			p += n;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		/* The last star takes one more character. */
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return !*p;
}
