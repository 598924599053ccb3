/*
 * tests/fuzz/semver.c - fuzz the semver parser and Cargo requirements
 * (multios/service.h, "versions"; src/service/semver.c).
 *
 * The input is split at its first NUL or newline: the requirement before,
 * the version after (up to a further NUL).  Checked:
 *  - mos_semver_matches returns 1, 0 or MOS_ECONFIG, and agrees with
 *    compiling the requirement (mos__semver_req_parse) and parsing the
 *    version separately: the requirement's error first, with the same
 *    position, then the version's, else the same answer;
 *  - an error position is within the string (at most its length);
 *  - a version that parses is written back byte for byte from its fields
 *    (semver has one spelling per version), compares equal to itself,
 *    parses as a bare (caret) requirement that it satisfies, and
 *    satisfies =V, >=V, <=V, ~V, ^V but not >V nor <V.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <multios/service.h>

#include "service/semver.h"
#include "fuzz.h"

/* The matches answer for requirement OP followed by the text of v. */
static int with_op(const char *op, const char *text)
{
	char req[512];
	size_t pos = 0;
	int rc;

	snprintf(req, sizeof(req), "%s%s", op, text);
	rc = mos_semver_matches(req, text, &pos);
	FUZZ_CHECK(rc == 0 || rc == 1, "'%s' on '%s': %s at %zu", req, text,
		   mos_err_name(rc), pos);
	return rc;
}

static void check_version(const char *text, const mos_semver_t *v)
{
	char back[512];
	mos_semver_req_t r;
	size_t pos = 0;
	int n;

	n = snprintf(back, sizeof(back), "%llu.%llu.%llu%s%s%s%s",
		     (unsigned long long)v->major, (unsigned long long)v->minor,
		     (unsigned long long)v->patch, v->pre[0] ? "-" : "",
		     v->pre, v->build[0] ? "+" : "", v->build);
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(back) && strcmp(back, text) == 0,
		   "'%s' parsed and written back as '%s'", text, back);
	FUZZ_CHECK(mos_semver_cmp(v, v) == 0, "'%s' is not equal to itself",
		   text);
	FUZZ_CHECK(mos__semver_req_parse(text, &r, &pos) == 0,
		   "version '%s' refused as a requirement at %zu", text, pos);
	FUZZ_CHECK(mos__semver_req_matches(&r, v),
		   "'%s' does not satisfy itself as a requirement", text);
	FUZZ_CHECK(with_op("=", text) == 1, "'%s' fails =", text);
	FUZZ_CHECK(with_op(">=", text) == 1, "'%s' fails >=", text);
	FUZZ_CHECK(with_op("<=", text) == 1, "'%s' fails <=", text);
	FUZZ_CHECK(with_op("~", text) == 1, "'%s' fails ~", text);
	FUZZ_CHECK(with_op("^ ", text) == 1, "'%s' fails ^", text);
	FUZZ_CHECK(with_op(">", text) == 0, "'%s' satisfies >", text);
	FUZZ_CHECK(with_op("<", text) == 0, "'%s' satisfies <", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *req, *ver;
	size_t split = 0, rpos = 0, vpos = 0, pos = 0;
	mos_semver_req_t r;
	mos_semver_t v;
	int rrc, vrc, rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	while (split < size && buf[split] != '\0' && buf[split] != '\n')
		split++;
	req = buf;
	ver = split < size ? buf + split + 1 : buf + size;
	buf[split] = '\0';

	rrc = mos__semver_req_parse(req, &r, &rpos);
	vrc = mos_semver_parse(ver, &v, &vpos);
	rc = mos_semver_matches(req, ver, &pos);
	FUZZ_CHECK(rrc == 0 || (rrc == MOS_ECONFIG && rpos <= strlen(req)),
		   "requirement: %s at %zu", mos_err_name(rrc), rpos);
	FUZZ_CHECK(vrc == 0 || (vrc == MOS_ECONFIG && vpos <= strlen(ver)),
		   "version: %s at %zu", mos_err_name(vrc), vpos);
	if (rrc)
		FUZZ_CHECK(rc == rrc && pos == rpos,
			   "matches: %s at %zu, requirement: %s at %zu",
			   mos_err_name(rc), pos, mos_err_name(rrc), rpos);
	else if (vrc)
		FUZZ_CHECK(rc == vrc && pos == vpos,
			   "matches: %s at %zu, version: %s at %zu",
			   mos_err_name(rc), pos, mos_err_name(vrc), vpos);
	else
		FUZZ_CHECK(rc == (mos__semver_req_matches(&r, &v) ? 1 : 0),
			   "matches returned %d", rc);
	if (vrc == 0)
		check_version(ver, &v);
	free(buf);
	return 0;
}
