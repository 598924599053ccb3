/*
 * tests/fuzz/glob.c - fuzz discovery's glob patterns (src/service/glob.c,
 * docs/SERVICES.md, "Discovery").
 *
 * The input is split at its first NUL or newline: the pattern before,
 * a name after (up to a further NUL).  Checked:
 *  - mos__glob_check returns 0 or MOS_EDISCOVERY with a position within
 *    the pattern and a reason;
 *  - for a well-formed pattern, mos__glob_match agrees with a second,
 *    independent matcher: the pattern compiled to a list of character
 *    sets and stars and matched by dynamic programming (quadratic, no
 *    backtracking), on the name and on every prefix of it;
 *  - a pattern that is a plain name matches exactly that name, and `*`
 *    followed by the pattern matches the name the pattern matches with
 *    anything in front.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <multios/error.h>

#include "service/glob.h"
#include "fuzz.h"

#define MAX_NAME 256

/* One element: a star, or a set of the bytes it takes. */
typedef struct elem {
	bool star;
	uint8_t set[32];
} elem_t;

static void add(elem_t *e, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		e->set[c / 8] |= (uint8_t)(1u << (c % 8));
}

static unsigned take(const char **q)
{
	if (**q == '\\')
		(*q)++;
	return (unsigned char)*(*q)++;
}

/* Compile a well-formed pattern: its elements into e, their number. */
static size_t compile(const char *p, elem_t *e)
{
	size_t n = 0;

	while (*p) {
		elem_t *x = &e[n++];

		memset(x, 0, sizeof(*x));
		if (*p == '*') {
			x->star = true;
			p++;
		} else if (*p == '?') {
			add(x, 1, 255);
			p++;
		} else if (*p == '[') {
			bool neg = false;

			p++;
			if (*p == '!' || *p == '^') {
				neg = true;
				p++;
			}
			while (*p != ']') {
				unsigned lo = take(&p), hi = lo;

				if (*p == '-' && p[1] != ']') {
					p++;
					hi = take(&p);
				}
				add(x, lo, hi);
			}
			p++;
			if (neg)
				for (size_t i = 0; i < 32; i++)
					x->set[i] = (uint8_t)~x->set[i];
			x->set[0] &= (uint8_t)~1u; /* never the NUL */
		} else {
			unsigned c = take(&p);

			add(x, c, c);
		}
	}
	return n;
}

/* Whether e[0 .. n-1] matches s[0 .. len-1]: dp over suffixes. */
static bool dp_match(const elem_t *e, size_t n, const char *s, size_t len)
{
	bool *row = calloc(len + 1, sizeof(bool)), *next = calloc(len + 1,
								  sizeof(bool));
	bool r;

	FUZZ_CHECK(row && next, "out of memory");
	/* next: the empty pattern matches only the empty rest */
	next[len] = true;
	for (size_t i = n; i-- > 0;) {
		for (size_t j = len + 1; j-- > 0;) {
			if (e[i].star)
				row[j] = next[j] || (j < len && row[j + 1]);
			else
				row[j] = j < len &&
					 (e[i].set[(unsigned char)s[j] / 8] >>
					  ((unsigned char)s[j] % 8) & 1) &&
					 next[j + 1];
		}
		memcpy(next, row, (len + 1) * sizeof(bool));
	}
	r = next[0];
	free(row);
	free(next);
	return r;
}

static bool plain(const char *p)
{
	return !strpbrk(p, "*?[]\\");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *pat, *name, prefix[MAX_NAME + 1];
	char *starred;
	size_t split = 0, pos = 0, n, len;
	const char *why = NULL;
	elem_t *e;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	while (split < size && buf[split] != '\0' && buf[split] != '\n')
		split++;
	buf[split] = '\0';
	pat = buf;
	name = buf + split + 1;
	rc = mos__glob_check(pat, &pos, &why);
	FUZZ_CHECK(rc == 0 || (rc == MOS_EDISCOVERY && why &&
			       pos <= strlen(pat)),
		   "check: %s at %zu", mos_err_name(rc), pos);
	len = strnlen(name, MAX_NAME);
	if (rc || strlen(pat) > MOS_GLOB_MAX_LEN) {
		free(buf);
		return 0;
	}
	e = calloc(strlen(pat) + 1, sizeof(*e));
	FUZZ_CHECK(e, "out of memory");
	n = compile(pat, e);
	for (size_t l = 0; l <= len; l++) {
		memcpy(prefix, name, l);
		prefix[l] = '\0';
		FUZZ_CHECK(mos__glob_match(pat, prefix) ==
				   dp_match(e, n, prefix, l),
			   "'%s' on '%s': the matchers disagree", pat, prefix);
	}
	if (plain(pat))
		FUZZ_CHECK(mos__glob_match(pat, pat) &&
				   (len == 0 || !mos__glob_match(pat, name) ||
				    strncmp(pat, name, len + 1) == 0),
			   "plain '%s' on '%s'", pat, name);
	starred = malloc(strlen(pat) + 2);
	FUZZ_CHECK(starred, "out of memory");
	starred[0] = '*';
	strcpy(starred + 1, pat);
	if (len < MAX_NAME && mos__glob_match(pat, name) &&
	    strlen(starred) <= MOS_GLOB_MAX_LEN) {
		char shifted[MAX_NAME + 8] = "xy-";

		memcpy(shifted + 3, name, len + 1);
		FUZZ_CHECK(mos__glob_match(starred, shifted),
			   "'%s' matches '%s' but '%s' not '%s'", pat, name,
			   starred, shifted);
	}
	free(starred);
	free(e);
	free(buf);
	return 0;
}
