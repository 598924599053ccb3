/*
 * tests/fuzz/config.c - fuzz mos_config_load_json (multios/config.h).
 *
 * The input is the JSON file, overlaid on the defaults.  Checked:
 *  - a failure returns MOS_ECONFIG or MOS_ENOMEM with a well-formed
 *    mos_error_t, leaves the config byte for byte as it was, and fails
 *    the same way without an err to fill;
 *  - a success gives a config that mos_config_validate accepts, whose
 *    backend and policy names are ones multios/config.h lists, and
 *    overlaying the same file again changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <multios/config.h>
#include <multios/error.h>

#include "fuzz.h"

static int one_of(const char *name, const char *const *known)
{
	for (; *known; known++)
		if (strcmp(name, *known) == 0)
			return 1;
	return 0;
}

/* The names config.h documents; the loader must refuse any other. */
static void check_names(const mos_config_t *cfg)
{
	static const char *const contexts[] = {"auto", "asm", "ucontext", NULL};
	static const char *const clocks[] = {"virtual", "realtime", NULL};

	FUZZ_CHECK(one_of(cfg->context_backend, contexts),
		   "context_backend '%s' accepted", cfg->context_backend);
	FUZZ_CHECK(one_of(cfg->clock_backend, clocks),
		   "clock.backend '%s' accepted", cfg->clock_backend);
	FUZZ_CHECK(one_of(cfg->sched.policy, mos_sched_policies()),
		   "scheduler.policy '%s' accepted", cfg->sched.policy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_path(data, size);
	mos_config_t cfg, before, again;
	mos_error_t err;
	int rc, rc2;

	/* memset and memcpy, not assignment: memcmp looks at padding too. */
	memset(&cfg, 0, sizeof(cfg));
	mos_config_default(&cfg);
	memcpy(&before, &cfg, sizeof(cfg));
	rc = mos_config_load_json(path, &cfg, &err);
	if (rc != 0) {
		FUZZ_CHECK(rc == MOS_ECONFIG || rc == MOS_ENOMEM,
			   "load returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(memcmp(&cfg, &before, sizeof(cfg)) == 0,
			   "a failed load changed the config (%s)",
			   err.message);
		rc2 = mos_config_load_json(path, &cfg, NULL);
		FUZZ_CHECK(rc2 == rc, "without err: %s, with: %s",
			   mos_err_name(rc2), mos_err_name(rc));
		return 0;
	}
	rc = mos_config_validate(&cfg, &err);
	FUZZ_CHECK(rc == 0, "loaded config does not validate: %s",
		   err.message);
	check_names(&cfg);
	memcpy(&again, &cfg, sizeof(cfg));
	rc = mos_config_load_json(path, &again, &err);
	FUZZ_CHECK(rc == 0, "second load failed: %s", err.message);
	FUZZ_CHECK(memcmp(&cfg, &again, sizeof(cfg)) == 0,
		   "loading the same file twice gave two configs");
	return 0;
}
