/* TEMPORARY STUB */
#include <string.h>
#include "semver.h"
int mos__semver_req_parse(const char *s, mos_semver_req_t *r, size_t *pos) { (void)s; (void)pos; r->n = 0; return 0; }
bool mos__semver_req_matches(const mos_semver_req_t *r, const mos_semver_t *v) { (void)r; (void)v; return true; }
int mos_semver_parse(const char *s, mos_semver_t *v, size_t *pos) { (void)pos; memset(v, 0, sizeof(*v)); return s ? 0 : MOS_EINVAL; }
int mos_semver_cmp(const mos_semver_t *a, const mos_semver_t *b) { (void)a; (void)b; return 0; }
int mos_semver_matches(const char *req, const char *version, size_t *pos) { (void)req; (void)version; (void)pos; return 1; }
