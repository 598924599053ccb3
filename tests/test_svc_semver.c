/*
 * test_svc_semver.c - semver 2.0.0 versions and Cargo requirements
 * (multios/service.h "versions", src/service/semver.c).
 *
 * The requirement table is Cargo's documentation ("Specifying
 * Dependencies": each example range tested at both ends) and the semver
 * crate's pre-release rule; the error table pins the exact position of
 * the first bad character; the precedence chain is semver.org section 11.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "multios/service.h"
#include "service/semver.h"
#include "timeout.h"

TestSuite(svc_semver, .timeout = T_TIMEOUT);

static const struct match_case {
	const char *req, *version;
	int expect;
} matches[] = {
	/* Caret: ^1.2.3 := >=1.2.3, <2.0.0 */
	{"^1.2.3", "1.2.3", 1}, {"^1.2.3", "1.2.2", 0},
	{"^1.2.3", "1.99.99", 1}, {"^1.2.3", "2.0.0", 0},
	/* ^1.2 := >=1.2.0, <2.0.0 */
	{"^1.2", "1.2.0", 1}, {"^1.2", "1.1.99", 0},
	{"^1.2", "1.99.0", 1}, {"^1.2", "2.0.0", 0},
	/* ^1 := >=1.0.0, <2.0.0 */
	{"^1", "1.0.0", 1}, {"^1", "0.99.99", 0},
	{"^1", "1.99.99", 1}, {"^1", "2.0.0", 0},
	/* ^0.2.3 := >=0.2.3, <0.3.0 */
	{"^0.2.3", "0.2.3", 1}, {"^0.2.3", "0.2.2", 0},
	{"^0.2.3", "0.2.99", 1}, {"^0.2.3", "0.3.0", 0},
	/* ^0.2 := >=0.2.0, <0.3.0 */
	{"^0.2", "0.2.0", 1}, {"^0.2", "0.1.99", 0},
	{"^0.2", "0.2.99", 1}, {"^0.2", "0.3.0", 0},
	/* ^0.0.3 := >=0.0.3, <0.0.4 */
	{"^0.0.3", "0.0.3", 1}, {"^0.0.3", "0.0.2", 0}, {"^0.0.3", "0.0.4", 0},
	/* ^0.0 := >=0.0.0, <0.1.0 */
	{"^0.0", "0.0.0", 1}, {"^0.0", "0.0.99", 1}, {"^0.0", "0.1.0", 0},
	/* ^0 := >=0.0.0, <1.0.0 */
	{"^0", "0.0.0", 1}, {"^0", "0.99.99", 1}, {"^0", "1.0.0", 0},
	/* A bare version is a caret: "0.1.12" updates to 0.1.13, not 0.2.0;
	 * "1.0" to 1.1, not 2.0. */
	{"1.2.3", "1.2.3", 1}, {"1.2.3", "1.2.2", 0}, {"1.2.3", "2.0.0", 0},
	{"0.1.12", "0.1.13", 1}, {"0.1.12", "0.2.0", 0},
	{"1.0", "1.1.0", 1}, {"1.0", "2.0.0", 0},
	/* Tilde: ~1.2.3 := >=1.2.3, <1.3.0 */
	{"~1.2.3", "1.2.3", 1}, {"~1.2.3", "1.2.2", 0},
	{"~1.2.3", "1.2.99", 1}, {"~1.2.3", "1.3.0", 0},
	/* ~1.2 := >=1.2.0, <1.3.0 */
	{"~1.2", "1.2.0", 1}, {"~1.2", "1.1.99", 0},
	{"~1.2", "1.2.99", 1}, {"~1.2", "1.3.0", 0},
	/* ~1 := >=1.0.0, <2.0.0 */
	{"~1", "1.0.0", 1}, {"~1", "0.99.99", 0},
	{"~1", "1.99.99", 1}, {"~1", "2.0.0", 0},
	/* Wildcard: * := >=0.0.0 */
	{"*", "0.0.0", 1}, {"*", "99.1.2", 1}, {"x", "1.0.0", 1},
	/* 1.* := >=1.0.0, <2.0.0 */
	{"1.*", "1.0.0", 1}, {"1.*", "0.99.99", 0},
	{"1.*", "1.99.99", 1}, {"1.*", "2.0.0", 0}, {"1.x", "1.5.0", 1},
	/* 1.2.* := >=1.2.0, <1.3.0 */
	{"1.2.*", "1.2.0", 1}, {"1.2.*", "1.1.99", 0},
	{"1.2.*", "1.2.99", 1}, {"1.2.*", "1.3.0", 0},
	{"1.2.X", "1.2.7", 1}, {"1.*.*", "1.4.0", 1},
	/* Comparison: >= 1.2.0, > 1, < 2, = 1.2.3 */
	{">= 1.2.0", "1.2.0", 1}, {">= 1.2.0", "1.1.99", 0},
	{"> 1", "1.99.99", 0}, {"> 1", "2.0.0", 1},
	{"< 2", "1.99.99", 1}, {"< 2", "2.0.0", 0},
	{"= 1.2.3", "1.2.3", 1}, {"= 1.2.3", "1.2.4", 0},
	{"= 1.2.3", "1.2.2", 0}, {"=1.2.3", "1.2.3+build.7", 1},
	{"=1.2.3+other", "1.2.3", 1},
	/* Partial versions in comparisons: the missing parts are "any". */
	{">1.2", "1.2.99", 0}, {">1.2", "1.3.0", 1},
	{"<=1.2", "1.2.99", 1}, {"<=1.2", "1.3.0", 0},
	{"<1.2", "1.1.99", 1}, {"<1.2", "1.2.0", 0},
	{"=1.2", "1.2.5", 1}, {"=1.2", "1.3.0", 0},
	{">=1.*", "1.0.0", 1}, {">=1.*", "0.9.0", 0},
	/* Multiple: >= 1.2, < 1.5 */
	{">= 1.2, < 1.5", "1.2.0", 1}, {">= 1.2, < 1.5", "1.1.99", 0},
	{">= 1.2, < 1.5", "1.4.99", 1}, {">= 1.2, < 1.5", "1.5.0", 0},
	{" \t>=1.2 ,<1.5\t ", "1.3.0", 1},
	/* Pre-releases: only with a comparator of the same M.m.p that has
	 * a pre-release itself, then by precedence. */
	{"^1.2.3-alpha", "1.2.3-alpha", 1}, {"^1.2.3-alpha", "1.2.3-beta", 1},
	{"^1.2.3-alpha", "1.2.3-alpha.0", 1}, {"^1.2.3-alpha", "1.2.3-9", 0},
	{"^1.2.3-alpha", "1.2.3", 1}, {"^1.2.3-alpha", "1.2.4", 1},
	{"^1.2.3-alpha", "1.2.4-alpha", 0}, {"^1.2.3-alpha", "2.0.0-alpha", 0},
	{"^1.2.3", "1.2.3-alpha", 0}, {"^1.2.3", "1.2.4-alpha", 0},
	{">=1.2.3-alpha, <2", "1.2.3-beta", 1},
	{">=1.2.3-alpha, <2", "1.2.4-beta", 0},
	{">=1.2.3-alpha, <2", "1.2.3", 1},
	{">1.2.3-alpha", "1.2.3-alpha", 0}, {">1.2.3-alpha", "1.2.3-alpha.1", 1},
	{"<1.2.3-beta", "1.2.3-alpha", 1}, {"<1.2.3-beta", "1.2.3-beta", 0},
	{"<1.2.3-beta", "1.2.2", 1}, {"<1.2.3-beta", "1.2.3", 0},
	{"<=1.2.3-beta", "1.2.3-beta", 1},
	{"=1.2.3-rc.1", "1.2.3-rc.1", 1}, {"=1.2.3-rc.1", "1.2.3-rc.2", 0},
	{"=1.2.3-rc.1", "1.2.3", 0},
	{"~1.2.3-beta", "1.2.3-beta.2", 1}, {"~1.2.3-beta", "1.2.3-alpha", 0},
	{"~1.2.3-beta", "1.2.5", 1}, {"~1.2.3-beta", "1.3.0", 0},
	{"^0.0.3-beta", "0.0.3-rc", 1}, {"^0.0.3-beta", "0.0.3", 1},
	{"^0.0.3-beta", "0.0.4", 0},
	{"*", "1.0.0-alpha", 0}, {"1.*", "1.2.0-rc.1", 0},
	{">=1.0.0", "2.0.0-alpha", 0}, {"<2.0.0", "2.0.0-alpha", 0},
	{">=1.0.0-rc.1, <1.0.0", "1.0.0-rc.2", 1},
	{">=1.0.0-rc.1, <1.0.0", "1.0.0", 0},
	/* Extremes of uint64. */
	{"^18446744073709551615", "18446744073709551615.0.1", 1},
	{">18446744073709551614.18446744073709551615",
	 "18446744073709551615.0.0", 1},
};

Test(svc_semver, cargo_table)
{
	size_t n = sizeof(matches) / sizeof(matches[0]);

	cr_assert_geq(n, 60);
	for (size_t k = 0; k < n; k++) {
		size_t pos = 777;
		int rc = mos_semver_matches(matches[k].req, matches[k].version,
					    &pos);

		cr_expect_eq(rc, matches[k].expect, "'%s' on '%s': %d, expected %d",
			     matches[k].req, matches[k].version, rc,
			     matches[k].expect);
		cr_expect_eq(pos, 777, "'%s' on '%s': pos written",
			     matches[k].req, matches[k].version);
	}
}

static const struct error_case {
	const char *req, *version;
	size_t pos;
} errors[] = {
	/* Bad versions (a good requirement). */
	{"*", "1.02.3", 2},
	{"*", "01.2.3", 0},
	{"*", "1.2", 3},
	{"*", "1.2.", 4},
	{"*", "1.2.3-", 6},
	{"*", "1.2.3-01", 6},
	{"*", "1.2.3-alpha.01", 12},
	{"*", "1.2.3+", 6},
	{"*", "1.2.3.4", 5},
	{"*", "18446744073709551616.0.0", 0},
	{"*", "1.18446744073709551616.0", 2},
	{"*", "1.2.99999999999999999999", 4},
	{"*", "v1.2.3", 0},
	{"*", "", 0},
	{"*", "1.2.3-a..b", 8},
	{"*", "1.2.3-a.", 8},
	{"*", "1.2.3 ", 5},
	{"*", " 1.2.3", 0},
	{"*", "1.2.3-alpha+b!", 13},
	{"*", "1.2.3-al_pha", 8},
	{"*", "1.2.3+b+c", 7},
	{"*", "1.2.-3", 4},
	/* Bad requirements (the version is never looked at). */
	{">=1.2,, <2", "x", 6},
	{"^", "1.0.0", 1},
	{"~x", "1.0.0", 1},
	{"", "1.0.0", 0},
	{"   ", "1.0.0", 3},
	{"1.2.3.4", "1.0.0", 5},
	{"1.*.3", "1.0.0", 4},
	{"*, <2", "1.0.0", 1},
	{">=1, *", "1.0.0", 5},
	{"*.*", "1.0.0", 1},
	{"> = 1", "1.0.0", 2},
	{"1.2-alpha", "1.0.0", 3},
	{"1.*-alpha", "1.0.0", 3},
	{">=1.2,", "1.0.0", 6},
	{",1", "1.0.0", 0},
	{"1.2.3 1.2.4", "1.0.0", 6},
	{"1.2.3 || 2", "1.0.0", 6},
	{"^01", "1.0.0", 1},
	{"~1.02", "1.0.0", 3},
	{"=18446744073709551616", "1.0.0", 1},
	{"1.2.3-", "1.0.0", 6},
	{"1.2.3-01", "1.0.0", 6},
	{"1.2.3+", "1.0.0", 6},
	{"~>1.2", "1.0.0", 1},
	{"=>1.2", "1.0.0", 1},
	{"v1.2", "1.0.0", 0},
};

Test(svc_semver, error_positions)
{
	size_t n = sizeof(errors) / sizeof(errors[0]);

	cr_assert_geq(n, 15);
	for (size_t k = 0; k < n; k++) {
		size_t pos = 777;
		int rc = mos_semver_matches(errors[k].req, errors[k].version,
					    &pos);

		cr_expect_eq(rc, MOS_ECONFIG, "'%s' on '%s': %s", errors[k].req,
			     errors[k].version, mos_err_name(rc));
		cr_expect_eq(pos, errors[k].pos, "'%s' on '%s': at %zu, expected %zu",
			     errors[k].req, errors[k].version, pos,
			     errors[k].pos);
	}
}

/* PRE and BUILD hold 63 characters; the 64th is the error. */
Test(svc_semver, text_length)
{
	char s[128];
	mos_semver_t v;
	size_t pos = 0;

	memset(s, 0, sizeof(s));
	memcpy(s, "1.2.3-", 6);
	memset(s + 6, 'a', 63);
	cr_assert_eq(mos_semver_parse(s, &v, &pos), 0);
	cr_assert_eq(strlen(v.pre), 63);
	s[6 + 63] = 'b';
	cr_assert_eq(mos_semver_parse(s, &v, &pos), MOS_ECONFIG);
	cr_assert_eq(pos, 6 + 63);

	/* Dots count: the overflow may fall on one. */
	memset(s, 0, sizeof(s));
	memcpy(s, "1.2.3+", 6);
	memset(s + 6, '7', 63);
	cr_assert_eq(mos_semver_parse(s, &v, &pos), 0);
	cr_assert_eq(strlen(v.build), 63);
	memcpy(s + 6 + 63, ".1", 2);
	cr_assert_eq(mos_semver_parse(s, &v, &pos), MOS_ECONFIG);
	cr_assert_eq(pos, 6 + 63);

	/* In a requirement too, PRE before BUILD. */
	snprintf(s, sizeof(s), ">=1.2.3-%063d", 1);
	cr_assert_eq(mos_semver_matches(s, "1.2.3", &pos), MOS_ECONFIG);
	cr_assert_eq(pos, 8, "a leading zero, before the overflow: %zu", pos);
	snprintf(s, sizeof(s), ">=1.2.3-a%063d", 0);
	cr_assert_eq(mos_semver_matches(s, "1.2.3", &pos), MOS_ECONFIG);
	cr_assert_eq(pos, 8 + 63);
}

Test(svc_semver, parse_fields)
{
	mos_semver_t v;

	cr_assert_eq(mos_semver_parse("1.4.0-rc.1+b5", &v, NULL), 0);
	cr_assert_eq(v.major, 1);
	cr_assert_eq(v.minor, 4);
	cr_assert_eq(v.patch, 0);
	cr_assert_str_eq(v.pre, "rc.1");
	cr_assert_str_eq(v.build, "b5");
	cr_assert_eq(mos_semver_parse("18446744073709551615.0.0+001.0-x", &v,
				      NULL), 0);
	cr_assert_eq(v.major, UINT64_MAX);
	cr_assert_str_eq(v.pre, "");
	cr_assert_str_eq(v.build, "001.0-x");
	cr_assert_eq(mos_semver_parse("0.0.0-0.0a.--.-1", &v, NULL), 0);
	cr_assert_str_eq(v.pre, "0.0a.--.-1");
}

/* A failed parse leaves *v alone; *pos is written only on MOS_ECONFIG. */
Test(svc_semver, failure_changes_nothing)
{
	mos_semver_t v, before;
	size_t pos = 42;

	memset(&v, 0x5a, sizeof(v));
	memcpy(&before, &v, sizeof(v));
	cr_assert_eq(mos_semver_parse("1.2.3-01", &v, &pos), MOS_ECONFIG);
	cr_assert_eq(memcmp(&v, &before, sizeof(v)), 0);
	cr_assert_eq(pos, 6);
	pos = 42;
	cr_assert_eq(mos_semver_parse("1.2.3", &v, &pos), 0);
	cr_assert_eq(pos, 42);
	cr_assert_eq(mos_semver_parse("1.2", &v, NULL), MOS_ECONFIG);
	cr_assert_eq(mos_semver_matches("^1.2,", "1.2.0", NULL), MOS_ECONFIG);
}

Test(svc_semver, null_arguments)
{
	mos_semver_t v;
	mos_semver_req_t r;
	size_t pos = 42;

	cr_assert_eq(mos_semver_parse(NULL, &v, &pos), MOS_EINVAL);
	cr_assert_eq(mos_semver_parse("1.0.0", NULL, &pos), MOS_EINVAL);
	cr_assert_eq(mos_semver_matches(NULL, "1.0.0", &pos), MOS_EINVAL);
	cr_assert_eq(mos_semver_matches("*", NULL, &pos), MOS_EINVAL);
	cr_assert_eq(mos__semver_req_parse(NULL, &r, &pos), MOS_EINVAL);
	cr_assert_eq(mos__semver_req_parse("*", NULL, &pos), MOS_EINVAL);
	cr_assert_eq(pos, 42);
	cr_assert_eq(mos_semver_matches("*", "1.0.0", NULL), 1);
}

static mos_semver_t ver(const char *s)
{
	mos_semver_t v;
	size_t pos = 0;

	cr_assert_eq(mos_semver_parse(s, &v, &pos), 0, "'%s' at %zu", s, pos);
	return v;
}

/* semver.org section 11's example, each pair both ways. */
Test(svc_semver, precedence_chain)
{
	static const char *const chain[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
		"1.0.0", "1.0.1-0", "1.0.1", "1.1.0", "2.0.0", "2.1.0", "2.1.1",
	};
	size_t n = sizeof(chain) / sizeof(chain[0]);

	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			mos_semver_t va = ver(chain[a]), vb = ver(chain[b]);
			int c = mos_semver_cmp(&va, &vb);
			int want = (a > b) - (a < b);

			cr_expect_eq(c, want, "cmp(%s, %s) = %d", chain[a],
				     chain[b], c);
		}
}

Test(svc_semver, precedence_details)
{
	mos_semver_t a, b;

	/* Build metadata is ignored. */
	a = ver("1.0.0+a"), b = ver("1.0.0+b");
	cr_assert_eq(mos_semver_cmp(&a, &b), 0);
	/* Numeric identifiers numerically, past uint64 too. */
	a = ver("1.0.0-2"), b = ver("1.0.0-10");
	cr_assert_lt(mos_semver_cmp(&a, &b), 0);
	a = ver("1.0.0-99999999999999999999999"), b = ver("1.0.0-9999");
	cr_assert_gt(mos_semver_cmp(&a, &b), 0);
	/* Numeric below alphanumeric, "-" is alphanumeric. */
	a = ver("1.0.0-999"), b = ver("1.0.0--");
	cr_assert_lt(mos_semver_cmp(&a, &b), 0);
	/* ASCII order: upper case first. */
	a = ver("1.0.0-Beta"), b = ver("1.0.0-alpha");
	cr_assert_lt(mos_semver_cmp(&a, &b), 0);
	/* Numbers, not strings. */
	a = ver("1.10.0"), b = ver("1.9.0");
	cr_assert_gt(mos_semver_cmp(&a, &b), 0);
	a = ver("18446744073709551615.0.0"), b = ver("18446744073709551614.9.9");
	cr_assert_gt(mos_semver_cmp(&a, &b), 0);
	cr_assert_gt(mos_semver_cmp(&a, NULL), 0);
	cr_assert_lt(mos_semver_cmp(NULL, &a), 0);
	cr_assert_eq(mos_semver_cmp(NULL, NULL), 0);
}

/* The compiled form: 16 comparators fit, a 17th is refused where it
 * starts; "*" compiles to no comparator. */
Test(svc_semver, compiled_requirement)
{
	mos_semver_req_t r;
	char s[256] = "";
	size_t pos = 0;
	mos_semver_t v = ver("1.5.0");

	for (int k = 0; k < MOS_SEMVER_REQ_MAX; k++)
		strcat(s, k ? ", >=1" : ">=1");
	cr_assert_eq(mos__semver_req_parse(s, &r, &pos), 0);
	cr_assert_eq(r.n, MOS_SEMVER_REQ_MAX);
	cr_assert(mos__semver_req_matches(&r, &v));
	strcat(s, ",  <2");
	cr_assert_eq(mos__semver_req_parse(s, &r, &pos), MOS_ECONFIG);
	cr_assert_eq(pos, strlen(s) - 2);
	cr_assert_eq(r.n, MOS_SEMVER_REQ_MAX, "a failure wrote *r");

	cr_assert_eq(mos__semver_req_parse(" * ", &r, &pos), 0);
	cr_assert_eq(r.n, 0);
	cr_assert(mos__semver_req_matches(&r, &v));

	cr_assert_eq(mos__semver_req_parse("~1.2.3-rc.1+b", &r, &pos), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.c[0].op, MOS_SEMVER_OP_TILDE);
	cr_assert_eq(r.c[0].parts, 3);
	cr_assert_str_eq(r.c[0].pre, "rc.1");
	cr_assert_eq(mos__semver_req_parse("1.2.*", &r, &pos), 0);
	cr_assert_eq(r.c[0].op, MOS_SEMVER_OP_WILDCARD);
	cr_assert_eq(r.c[0].parts, 2);
	cr_assert_eq(mos__semver_req_parse("<=1.*", &r, &pos), 0);
	cr_assert_eq(r.c[0].op, MOS_SEMVER_OP_LESS_EQ);
	cr_assert_eq(r.c[0].parts, 1);
}
