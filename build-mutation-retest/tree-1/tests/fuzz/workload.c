/*
 * tests/fuzz/workload.c - fuzz mos_workload_load_json (multios/sched.h).
 *
 * The input is the workload file.  Checked:
 *  - a failure returns MOS_ECONFIG, MOS_ERANGE, MOS_EEXHAUSTED or MOS_ENOMEM with a well-formed
 *    mos_error_t and does not touch *out;
 *  - a success gives a workload that keeps the file format's rules
 *    (fuzz_check_workload) and whose policy mos_config_validate accepts.
 * Leaks of either path show up under AddressSanitizer.
 */
#include <stdlib.h>
#include <string.h>

#include <multios/config.h>
#include <multios/sched.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mos_workload_t sentinel;
	mos_workload_t *w = &sentinel;
	mos_error_t err;
	int rc = mos_workload_load_json(fuzz_input_path(data, size), &w, &err);

	if (rc != 0) {
		FUZZ_CHECK(rc == MOS_ECONFIG || rc == MOS_ENOMEM || rc == MOS_ERANGE || rc == MOS_EEXHAUSTED,
			   "load returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(w == &sentinel, "a failed load set *out");
		return 0;
	}
	fuzz_check_workload(w);
	mos_workload_free(w);
	return 0;
}
