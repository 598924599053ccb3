/*
 * src/service/semver.c - semver 2.0.0 versions and Cargo's version
 * requirements (multios/service.h, "versions"; src/service/semver.h).
 *
 * Versions (https://semver.org, 2.0.0), exactly:
 *   MAJOR.MINOR.PATCH[-PRE][+BUILD].  Each number is 0 or digits without a
 *   leading zero and fits uint64_t.  PRE and BUILD are dot-separated,
 *   non-empty identifiers of [0-9A-Za-z-]; a numeric PRE identifier (all
 *   digits) has no leading zero, a BUILD one may.  No leading 'v', no
 *   spaces.  PRE and BUILD hold at most MOS_SEMVER_TEXT_LEN - 1 (63)
 *   characters each, the '-' and '+' not counted.
 *
 * Precedence (section 11): major, minor, patch numerically; then a version
 * without PRE is above one with; two PREs compare identifier by identifier,
 * numeric ones numerically, others in ASCII order, a numeric one below an
 * alphanumeric one, and a PRE that is a prefix of the other is below it.
 * BUILD is ignored: 1.0.0+a and 1.0.0+b compare equal.
 *
 * Requirements (Cargo's, as the `semver` crate's VersionReq parses and
 * evaluates them):
 *   REQ  := '*' | COMP (',' COMP)*       ('x' and 'X' are '*' too)
 *   COMP := [OP] MAJOR ['.' MINOR ['.' PATCH [-PRE] [+BUILD]]]
 *   OP   := '^' | '~' | '=' | '>' | '>=' | '<' | '<='
 *   Spaces and tabs may stand before and after a comparator, between the
 *   operator and the version, and around commas; nowhere else.  MINOR and
 *   PATCH may be a wildcard '*', 'x' or 'X': 1.* and 1.2.* (and 1.*.*;
 *   not 1.*.3).  With no operator written that makes the comparator a
 *   wildcard; with one, the wildcard part is simply missing (>=1.* is >=1).
 *   A bare '*' matches everything and must stand alone (not "*, <2").
 *   PRE is allowed only after a written PATCH; BUILD is accepted there and
 *   ignored.  At most MOS_SEMVER_REQ_MAX (16) comparators.  Comma is AND.
 *   What each comparator admits (a missing part is written as such):
 *     ^1.2.3 := >=1.2.3, <2.0.0   ^1.2 := >=1.2.0, <2.0.0   ^1 := >=1.0.0, <2.0.0
 *     ^0.2.3 := >=0.2.3, <0.3.0   ^0.2 := >=0.2.0, <0.3.0   ^0.0.3 := =0.0.3
 *     ^0.0 := >=0.0.0, <0.1.0     ^0 := >=0.0.0, <1.0.0    (a bare version is ^)
 *     ~1.2.3 := >=1.2.3, <1.3.0   ~1.2 := >=1.2.0, <1.3.0   ~1 := >=1.0.0, <2.0.0
 *     * := any   1.* := >=1.0.0, <2.0.0   1.2.* := >=1.2.0, <1.3.0
 *     =1.2.3 exactly (PRE equal too), =1.2 := >=1.2.0, <1.3.0, =1 := 1.*
 *     >1.2.3, >=1.2.3, <1.2.3, <=1.2.3 by precedence; with parts missing
 *     the missing ones are "any": >1.2 := >=1.3.0, >1 := >=2.0.0,
 *     >=1.2 := >=1.2.0, <1.2 := <1.2.0, <=1.2 := <1.3.0, <=1 := <2.0.0.
 *   Pre-releases: a version with a PRE matches only if every comparator
 *   admits it (by the rules above, the PRE taking part in the comparison:
 *   ^1.2.3-beta admits 1.2.3-rc.1 and 1.2.3 but not 1.2.3-alpha) AND some
 *   comparator has the same MAJOR.MINOR.PATCH, all three written, and a
 *   PRE of its own.  So >=1.2.3-alpha, <2 admits 1.2.3-beta but not
 *   1.2.4-beta, and *, ^1 or >=1.0.0 admit no pre-release at all.
 *
 * Errors: MOS_ECONFIG with the 0-based position of the first bad
 * character: an unexpected character where it stands, the end of the
 * string (its length) where something more was needed ("1.2" -> 3,
 * "1.2.3-" -> 6, "" -> 0), a number with a leading zero or past
 * UINT64_MAX where that number starts ("1.02.3" -> 2), a numeric PRE
 * identifier with a leading zero where the identifier starts ("1.2.3-01"
 * -> 6), a PRE or BUILD longer than 63 characters at its 64th, a 17th
 * comparator where it starts.  Nothing here allocates or keeps state.
 */
#include <string.h>

#include "semver.h"

#define TEXT_MAX (MOS_SEMVER_TEXT_LEN - 1)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '-';
}

static bool is_wild(char c)
{
	return c == '*' || c == 'x' || c == 'X';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static size_t skip_space(const char *s, size_t k)
{
	while (is_space(s[k]))
		k++;
	return k;
}

static int bad(size_t *at, size_t where)
{
	*at = where;
	return MOS_ECONFIG;
}

/* The number at s[*i]: digits, no leading zero, at most UINT64_MAX. */
static int number(const char *s, size_t *i, uint64_t *out, size_t *at)
{
	size_t start = *i, k = start;
	uint64_t v = 0;

	if (!is_digit(s[k]))
		return bad(at, k);
	if (s[k] == '0' && is_digit(s[k + 1]))
		return bad(at, start);
	for (; is_digit(s[k]); k++) {
		unsigned d = (unsigned)(s[k] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return bad(at, start);
		v = v * 10 + d;
	}
	*out = v;
	*i = k;
	return 0;
}

/*
 * The dot-separated identifiers at s[*i] (just after '-' or '+') into out.
 * Each identifier is checked whole before the length, so the earliest of
 * a leading zero and an overflow is the one reported.
 */
static int idents(const char *s, size_t *i, char *out, bool pre, size_t *at)
{
	size_t start = *i, k = start;

	for (;;) {
		size_t id = k;
		bool numeric = true;

		for (; is_ident(s[k]); k++)
			if (!is_digit(s[k]))
				numeric = false;
		if (k == id)
			return bad(at, k);
		if (pre && numeric && s[id] == '0' && k - id > 1)
			return bad(at, id);
		if (k - start > TEXT_MAX)
			return bad(at, start + TEXT_MAX);
		if (s[k] != '.')
			break;
		k++;
	}
	memcpy(out, s + start, k - start);
	out[k - start] = '\0';
	*i = k;
	return 0;
}

/* The optional -PRE and +BUILD at s[*i]. */
static int suffix(const char *s, size_t *i, char *pre, char *build,
		  size_t *at)
{
	int rc;

	pre[0] = build[0] = '\0';
	if (s[*i] == '-') {
		++*i;
		if ((rc = idents(s, i, pre, true, at)) != 0)
			return rc;
	}
	if (s[*i] == '+') {
		++*i;
		if ((rc = idents(s, i, build, false, at)) != 0)
			return rc;
	}
	return 0;
}

int mos_semver_parse(const char *s, mos_semver_t *v, size_t *pos)
{
	mos_semver_t t;
	size_t k = 0, at = 0;
	int rc;

	if (!s || !v)
		return MOS_EINVAL;
	if ((rc = number(s, &k, &t.major, &at)) != 0)
		goto fail;
	if (s[k] != '.') {
		rc = bad(&at, k);
		goto fail;
	}
	k++;
	if ((rc = number(s, &k, &t.minor, &at)) != 0)
		goto fail;
	if (s[k] != '.') {
		rc = bad(&at, k);
		goto fail;
	}
	k++;
	if ((rc = number(s, &k, &t.patch, &at)) != 0 ||
	    (rc = suffix(s, &k, t.pre, t.build, &at)) != 0)
		goto fail;
	if (s[k] != '\0') {
		rc = bad(&at, k);
		goto fail;
	}
	*v = t;
	return 0;
fail:
	if (pos)
		*pos = at;
	return rc;
}

/* ---- precedence ---------------------------------------------------------- */

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

static bool all_digits(const char *a, size_t n)
{
	if (n == 0)
		return false;
	for (size_t k = 0; k < n; k++)
		if (!is_digit(a[k]))
			return false;
	return true;
}

/* Two identifiers (11.4.1 - 11.4.3).  Numeric ones of any length compare
 * by value: leading zeros (only in a struct filled by hand) are skipped. */
static int ident_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	bool da = all_digits(a, na), db = all_digits(b, nb);
	int c;

	if (da != db)
		return da ? -1 : 1;
	if (da) {
		for (; na > 1 && *a == '0'; na--)
			a++;
		for (; nb > 1 && *b == '0'; nb--)
			b++;
		if (na != nb)
			return na < nb ? -1 : 1;
		return sign(memcmp(a, b, na));
	}
	c = memcmp(a, b, na < nb ? na : nb);
	if (c)
		return sign(c);
	return (na > nb) - (na < nb);
}

/* Two pre-release strings (11.3, 11.4); "" (a release) is above all.
 * Bounded by the field, so a struct filled by hand cannot overrun. */
static int pre_cmp(const char *a, const char *b)
{
	size_t la = strnlen(a, MOS_SEMVER_TEXT_LEN);
	size_t lb = strnlen(b, MOS_SEMVER_TEXT_LEN);
	size_t ia = 0, ib = 0;

	if (la == 0 || lb == 0)
		return (la == 0) - (lb == 0);
	for (;;) {
		size_t ea = ia, eb = ib;
		int c;

		while (ea < la && a[ea] != '.')
			ea++;
		while (eb < lb && b[eb] != '.')
			eb++;
		c = ident_cmp(a + ia, ea - ia, b + ib, eb - ib);
		if (c)
			return c;
		if (ea >= la || eb >= lb)
			return (ea < la) - (eb < lb);
		ia = ea + 1;
		ib = eb + 1;
	}
}

static int u64_cmp(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* NULL sorts below any version, so the order stays total. */
int mos_semver_cmp(const mos_semver_t *a, const mos_semver_t *b)
{
	int c;

	if (!a || !b)
		return (a != NULL) - (b != NULL);
	if ((c = u64_cmp(a->major, b->major)) != 0 ||
	    (c = u64_cmp(a->minor, b->minor)) != 0 ||
	    (c = u64_cmp(a->patch, b->patch)) != 0)
		return c;
	return pre_cmp(a->pre, b->pre);
}

/* ---- requirements ------------------------------------------------------- */

/* One comparator at s[*i] (no leading space). */
static int comparator(const char *s, size_t *i, mos_semver_comparator_t *c,
		      size_t *at)
{
	char build[MOS_SEMVER_TEXT_LEN];
	size_t k = *i;
	bool written = true, wild = false;
	int rc;

	memset(c, 0, sizeof(*c));
	switch (s[k]) {
	case '=':
		c->op = MOS_SEMVER_OP_EXACT;
		k++;
		break;
	case '>':
	case '<':
		if (s[k + 1] == '=')
			c->op = s[k] == '>' ? MOS_SEMVER_OP_GREATER_EQ
					    : MOS_SEMVER_OP_LESS_EQ;
		else
			c->op = s[k] == '>' ? MOS_SEMVER_OP_GREATER
					    : MOS_SEMVER_OP_LESS;
		k += s[k + 1] == '=' ? 2 : 1;
		break;
	case '~':
		c->op = MOS_SEMVER_OP_TILDE;
		k++;
		break;
	case '^':
		c->op = MOS_SEMVER_OP_CARET;
		k++;
		break;
	default:
		c->op = MOS_SEMVER_OP_CARET;
		written = false;
		break;
	}
	k = skip_space(s, k);
	if ((rc = number(s, &k, &c->major, at)) != 0)
		return rc;
	c->parts = 1;
	if (s[k] == '.') {
		k++;
		if (is_wild(s[k])) {
			wild = true;
			k++;
		} else if ((rc = number(s, &k, &c->minor, at)) != 0) {
			return rc;
		} else {
			c->parts = 2;
		}
	}
	if (s[k] == '.') {
		k++;
		if (is_wild(s[k])) {
			wild = true;
			k++;
		} else if (wild) {
			return bad(at, k); /* 1.*.3 */
		} else if ((rc = number(s, &k, &c->patch, at)) != 0) {
			return rc;
		} else {
			c->parts = 3;
		}
	}
	if (wild && !written)
		c->op = MOS_SEMVER_OP_WILDCARD;
	if (c->parts == 3 && (rc = suffix(s, &k, c->pre, build, at)) != 0)
		return rc;
	*i = k;
	return 0;
}

int mos__semver_req_parse(const char *s, mos_semver_req_t *r, size_t *pos)
{
	mos_semver_req_t t;
	size_t k, at = 0;
	int rc = 0;

	if (!s || !r)
		return MOS_EINVAL;
	t.n = 0;
	k = skip_space(s, 0);
	if (is_wild(s[k])) {
		/* "*" alone: no comparator, which admits every release. */
		k = skip_space(s, k + 1);
		if (s[k] != '\0')
			rc = bad(&at, k);
		goto done;
	}
	for (;;) {
		if (t.n == MOS_SEMVER_REQ_MAX) {
			rc = bad(&at, k);
			goto done;
		}
		if ((rc = comparator(s, &k, &t.c[t.n], &at)) != 0)
			goto done;
		t.n++;
		k = skip_space(s, k);
		if (s[k] == '\0')
			break;
		if (s[k] != ',') {
			rc = bad(&at, k);
			goto done;
		}
		k = skip_space(s, k + 1);
	}
done:
	if (rc) {
		if (pos)
			*pos = at;
		return rc;
	}
	r->n = t.n;
	memcpy(r->c, t.c, t.n * sizeof(t.c[0]));
	return 0;
}

/* The semver crate's eval.rs, one function per operator; `parts` says
 * which of minor and patch were written. */
static bool match_exact(const mos_semver_comparator_t *c,
			const mos_semver_t *v)
{
	if (v->major != c->major || (c->parts >= 2 && v->minor != c->minor) ||
	    (c->parts >= 3 && v->patch != c->patch))
		return false;
	return pre_cmp(v->pre, c->pre) == 0;
}

/* sign of v against c over the written parts, pre included when all
 * three are; 2 when a part is missing and everything before it equal. */
static int partial_cmp(const mos_semver_comparator_t *c,
		       const mos_semver_t *v)
{
	int d;

	if ((d = u64_cmp(v->major, c->major)) != 0)
		return d;
	if (c->parts < 2)
		return 2;
	if ((d = u64_cmp(v->minor, c->minor)) != 0)
		return d;
	if (c->parts < 3)
		return 2;
	if ((d = u64_cmp(v->patch, c->patch)) != 0)
		return d;
	return pre_cmp(v->pre, c->pre);
}

static bool match_greater(const mos_semver_comparator_t *c,
			  const mos_semver_t *v)
{
	return partial_cmp(c, v) == 1;
}

static bool match_less(const mos_semver_comparator_t *c,
		       const mos_semver_t *v)
{
	return partial_cmp(c, v) == -1;
}

static bool match_tilde(const mos_semver_comparator_t *c,
			const mos_semver_t *v)
{
	if (v->major != c->major || (c->parts >= 2 && v->minor != c->minor))
		return false;
	if (c->parts >= 3 && v->patch != c->patch)
		return v->patch > c->patch;
	return pre_cmp(v->pre, c->pre) >= 0;
}

static bool match_caret(const mos_semver_comparator_t *c,
			const mos_semver_t *v)
{
	if (v->major != c->major)
		return false;
	if (c->parts < 2)
		return true;
	if (c->parts < 3)
		return c->major > 0 ? v->minor >= c->minor
				    : v->minor == c->minor;
	if (c->major > 0) {
		if (v->minor != c->minor)
			return v->minor > c->minor;
		if (v->patch != c->patch)
			return v->patch > c->patch;
	} else if (c->minor > 0) {
		if (v->minor != c->minor)
			return false;
		if (v->patch != c->patch)
			return v->patch > c->patch;
	} else if (v->minor != c->minor || v->patch != c->patch) {
		return false;
	}
	return pre_cmp(v->pre, c->pre) >= 0;
}

static bool match_one(const mos_semver_comparator_t *c,
		      const mos_semver_t *v)
{
	switch (c->op) {
	case MOS_SEMVER_OP_EXACT:
	case MOS_SEMVER_OP_WILDCARD:
		return match_exact(c, v);
	case MOS_SEMVER_OP_GREATER:
		return match_greater(c, v);
	case MOS_SEMVER_OP_GREATER_EQ:
		return match_exact(c, v) || match_greater(c, v);
	case MOS_SEMVER_OP_LESS:
		return match_less(c, v);
	case MOS_SEMVER_OP_LESS_EQ:
		return match_exact(c, v) || match_less(c, v);
	case MOS_SEMVER_OP_TILDE:
		return match_tilde(c, v);
	case MOS_SEMVER_OP_CARET:
		return match_caret(c, v);
	}
	return false;
}

bool mos__semver_req_matches(const mos_semver_req_t *r,
			     const mos_semver_t *v)
{
	for (size_t k = 0; k < r->n; k++)
		if (!match_one(&r->c[k], v))
			return false;
	if (v->pre[0] == '\0')
		return true;
	/* A pre-release needs a comparator that opted in to pre-releases of
	 * its own MAJOR.MINOR.PATCH. */
	for (size_t k = 0; k < r->n; k++) {
		const mos_semver_comparator_t *c = &r->c[k];

		if (c->parts == 3 && c->pre[0] != '\0' &&
		    c->major == v->major && c->minor == v->minor &&
		    c->patch == v->patch)
			return true;
	}
	return false;
}

int mos_semver_matches(const char *req, const char *version, size_t *pos)
{
	mos_semver_req_t r;
	mos_semver_t v;
	int rc;

	if (!req || !version)
		return MOS_EINVAL;
	if ((rc = mos__semver_req_parse(req, &r, pos)) != 0 ||
	    (rc = mos_semver_parse(version, &v, pos)) != 0)
		return rc;
	return mos__semver_req_matches(&r, &v) ? 1 : 0;
}
