/*
 * tests/fuzz/scenario.c - fuzz mos_scenario_load and
 * mos_scenario_load_string (multios/scenario.h), and a short bounded run
 * of what loads.
 *
 * The input is one scenario file.  Checked:
 *  - a failure returns a documented code with a well-formed mos_error_t
 *    naming the file and leaves *out NULL (the sanitizers see any leak);
 *  - a success runs for at most 10 ms of virtual time, and twice with the
 *    same seed gives the same JSON, byte for byte.
 * Every input is first given to the string loader, which reads no file
 * (it refuses service files): it fails as the file loader may, never
 * with MOS_EIO.  Inputs holding a '/' are then skipped: a service file
 * named by an absolute or climbing path would read the host's files
 * (/dev/zero has no end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <multios/multios.h>
#include <multios/scenario.h>

#include "fuzz.h"

static int documented(int rc)
{
	switch (rc) {
	case MOS_ECONFIG: case MOS_ENOMEM: case MOS_EINVAL: case MOS_EDEPEND:
	case MOS_ECYCLE: case MOS_ENOPROG: case MOS_ESVCEXISTS: case MOS_EPERM:
	case MOS_EINVALPRIO: case MOS_EEXHAUSTED: case MOS_EIO:
	case MOS_EPROCEXISTS:
		return 1;
	default:
		return 0;
	}
}

/* One bounded run's JSON (malloc'd), or NULL when the run failed. */
static char *run_json(const mos_scenario_t *sc)
{
	mos_scenario_opts_t o = {.has_until = true, .until = 10 * MOS_MSEC};
	mos_scenario_result_t *r = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = mos_scenario_run(sc, &o, &r, NULL);

	if (rc) {
		FUZZ_CHECK(rc == MOS_ENOMEM || rc == MOS_ERANGE ||
			   rc == MOS_EEXHAUSTED || rc == MOS_ECONFIG,
			   "run returned %s", mos_err_name(rc));
		return NULL;
	}
	FUZZ_CHECK(r->end <= 10 * MOS_MSEC, "ran past its until");
	f = open_memstream(&buf, &len);
	FUZZ_CHECK(f, "open_memstream");
	FUZZ_CHECK(mos_scenario_write_json(r, f, true) == 0, "write_json");
	fclose(f);
	mos_scenario_result_free(r);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mos_scenario_t *sc = NULL;
	mos_error_t err;
	const char *path;
	char *a, *b;
	int rc;

	rc = mos_scenario_load_string((const char *)data, size, "fuzz", &sc,
				      &err);
	if (rc) {
		FUZZ_CHECK(documented(rc) && rc != MOS_EIO,
			   "load_string returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(sc == NULL, "a failed load left a scenario");
	}
	mos_scenario_free(sc);
	sc = NULL;
	if (memchr(data, '/', size))
		return 0;
	path = fuzz_input_path(data, size);
	rc = mos_scenario_load(path, &sc, &err);
	if (rc) {
		FUZZ_CHECK(documented(rc), "load returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(sc == NULL, "a failed load left a scenario");
		return 0;
	}
	a = run_json(sc);
	b = run_json(sc);
	FUZZ_CHECK(!a == !b, "one run failed, the other did not");
	FUZZ_CHECK(!a || strcmp(a, b) == 0, "two runs differ");
	free(a);
	free(b);
	mos_scenario_free(sc);
	return 0;
}
