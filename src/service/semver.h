/* TEMPORARY STUB - replaced by the semver helper's module */
#ifndef MOS_SVC_SEMVER_H
#define MOS_SVC_SEMVER_H
#include <stdbool.h>
#include <stddef.h>
#include "multios/service.h"
typedef struct mos_semver_req { int n; } mos_semver_req_t;
int mos__semver_req_parse(const char *s, mos_semver_req_t *r, size_t *pos);
bool mos__semver_req_matches(const mos_semver_req_t *r, const mos_semver_t *v);
#endif
