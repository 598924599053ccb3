/*
 * src/service/semver.h - compiled Cargo version requirements, for the
 * service manager.
 *
 * mos__semver_req_parse compiles a requirement ("^1.4", ">=1.2, <2.0",
 * "*") once, at registration, into a fixed array of comparators;
 * mos__semver_req_matches then tests versions against it without parsing
 * again.  Nothing here allocates or keeps state; the rules are in the
 * comment at the top of semver.c.
 */
#ifndef MOS_SERVICE_SEMVER_H
#define MOS_SERVICE_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "multios/service.h"

/* At most this many comma-separated comparators in one requirement. */
#define MOS_SEMVER_REQ_MAX 16

typedef enum mos_semver_op {
	MOS_SEMVER_OP_EXACT,      /* =      */
	MOS_SEMVER_OP_GREATER,    /* >      */
	MOS_SEMVER_OP_GREATER_EQ, /* >=     */
	MOS_SEMVER_OP_LESS,       /* <      */
	MOS_SEMVER_OP_LESS_EQ,    /* <=     */
	MOS_SEMVER_OP_TILDE,      /* ~      */
	MOS_SEMVER_OP_CARET,      /* ^, and a bare version */
	MOS_SEMVER_OP_WILDCARD    /* 1.*, 1.2.* (no operator written) */
} mos_semver_op_t;

/* One comparator: an operator and a version of which only the first
 * `parts` numbers were written (1: major, 2: .minor, 3: .patch); pre is
 * set only when parts is 3.  Build metadata is accepted and dropped. */
typedef struct mos_semver_comparator {
	mos_semver_op_t op;
	unsigned parts;
	uint64_t major, minor, patch;
	char pre[MOS_SEMVER_TEXT_LEN];
} mos_semver_comparator_t;

/* A requirement: all n comparators must hold (comma is AND).  n == 0 is
 * "*" (any version without a pre-release). */
typedef struct mos_semver_req {
	size_t n;
	mos_semver_comparator_t c[MOS_SEMVER_REQ_MAX];
} mos_semver_req_t;

/*
 * Compile the requirement s into *r.  Returns 0, MOS_EINVAL (s or r NULL)
 * or MOS_ECONFIG with *pos (may be NULL) the 0-based position of the first
 * bad character (a 17th comparator: where it starts).  *r is written only
 * on success; *pos only on MOS_ECONFIG.
 */
int mos__semver_req_parse(const char *s, mos_semver_req_t *r, size_t *pos);

/* Whether *v satisfies *r (Cargo's rules, pre-releases included). */
bool mos__semver_req_matches(const mos_semver_req_t *r,
			     const mos_semver_t *v);

#endif
