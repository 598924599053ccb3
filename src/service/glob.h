/*
 * src/service/glob.h - glob patterns over service names (discovery).
 *
 * Syntax: `*` any run of characters (empty too), `?` one character,
 * `[abc]` one of a set, `[a-z]` a range, `[!a]` or `[^a]` none of them,
 * `\c` the character c itself.  Outside escapes and sets a pattern holds
 * only the service-name alphabet [A-Za-z0-9._@-] and the metacharacters;
 * inside a set, name characters, ranges and escapes.  Pure functions: no
 * allocation, no state.  Matching is O(len(pattern) * len(name)) at worst
 * (one star remembered, as in the classic two-pointer matcher), so no
 * pattern backtracks exponentially.
 */
#ifndef MOS_SVC_GLOB_H
#define MOS_SVC_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#define MOS_GLOB_MAX_LEN 1024   /* a longer pattern is malformed */

/* 0 when pattern is well formed; else MOS_EDISCOVERY with *pos the
 * 0-based position of the fault and *why a static text ("unclosed '['"),
 * or MOS_EINVAL for NULL arguments. */
int mos__glob_check(const char *pattern, size_t *pos, const char **why);

/* Whether name matches pattern, which must have passed mos__glob_check. */
bool mos__glob_match(const char *pattern, const char *name);

#endif
