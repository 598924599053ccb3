/*
 * tests/fuzz/service.c - fuzz mos_service_load_json (multios/service.h).
 *
 * The input is one service file (a service object or {"services": [...]})
 * loaded into a fresh kernel.  Checked:
 *  - a failure returns one of the documented codes with a well-formed
 *    mos_error_t naming the file, registers nothing, and fails the same
 *    way without an err to fill;
 *  - a success registers exactly the *n services, ids 1..n in order, each
 *    with a start order that ends with itself; loading the file again
 *    fails (every name is taken) and registers nothing more; starting the
 *    first service and running the kernel for a virtual second neither
 *    crashes nor leaks.
 */
#include <stdlib.h>
#include <string.h>

#include <multios/multios.h>
#include <multios/service.h>

#include "fuzz.h"

#define MAX_IDS 64

static int documented(int rc)
{
	switch (rc) {
	case MOS_ECONFIG: case MOS_ENOMEM: case MOS_EINVAL: case MOS_EDEPEND:
	case MOS_ECYCLE: case MOS_ENOPROG: case MOS_ESVCEXISTS: case MOS_EPERM:
	case MOS_EINVALPRIO: case MOS_EEXHAUSTED: case MOS_EIO:
		return 1;
	default:
		return 0;
	}
}

static size_t registered(mos_kernel_t *k)
{
	size_t n = 0;

	FUZZ_CHECK(mos_service_list(k, NULL, 0, &n) == 0, "list failed");
	return n;
}

static mos_kernel_t *kernel(void)
{
	mos_config_t cfg;
	mos_kernel_t *k = NULL;

	mos_config_default(&cfg);
	FUZZ_CHECK(mos_kernel_create(&cfg, &k, NULL) == 0, "kernel_create");
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_path(data, size);
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[MAX_IDS], order[MAX_IDS];
	mos_error_t err;
	size_t n = 0, no;
	int rc = mos_service_load_json(k, 0, path, ids, MAX_IDS, &n, &err);

	if (rc != 0) {
		FUZZ_CHECK(documented(rc), "load returned %s", mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(strcmp(err.source, path) == 0,
			   "error names '%s', not the file", err.source);
		FUZZ_CHECK(registered(k) == 0, "a failed load registered");
		FUZZ_CHECK(mos_service_load_json(k, 0, path, NULL, 0, NULL,
						 NULL) == rc,
			   "without err it failed otherwise");
		mos_kernel_destroy(k);
		return 0;
	}
	FUZZ_CHECK(registered(k) == n, "%zu registered, *n %zu", registered(k),
		   n);
	for (size_t i = 0; i < n && i < MAX_IDS; i++) {
		mos_service_status_t st;

		FUZZ_CHECK(ids[i] == i + 1, "ids[%zu] = %u", i, ids[i]);
		FUZZ_CHECK(mos_service_status(k, ids[i], &st) == 0, "status");
		FUZZ_CHECK(st.state == MOS_SVC_STOPPED, "%s is %s", st.name,
			   mos_service_state_name(st.state));
		FUZZ_CHECK(mos_service_start_order(k, ids[i], order, MAX_IDS,
						   &no) == 0 &&
				   no >= 1 && no <= n,
			   "start order of %s", st.name);
		if (no <= MAX_IDS)
			FUZZ_CHECK(order[no - 1] == ids[i],
				   "%s is not last in its start order", st.name);
	}
	if (n) {
		rc = mos_service_load_json(k, 0, path, NULL, 0, NULL, &err);
		FUZZ_CHECK(rc == MOS_ESVCEXISTS, "second load: %s",
			   mos_err_name(rc));
		FUZZ_CHECK(registered(k) == n, "second load registered");
		mos_service_start(k, 0, ids[0]);
		mos_kernel_run(k, MOS_SEC);
	}
	mos_kernel_destroy(k);
	return 0;
}
