/*
 * tests/fuzz/sweep.c - fuzz the merge of run lines (mos_sweep_table_add,
 * multios/sweep.h): what `multios sweep --merge` reads from files that
 * cluster jobs wrote.
 *
 * The input is split at newlines; each piece is one run line.  Checked:
 *  - a refused line returns MOS_ECONFIG, MOS_EEXIST or MOS_ENOMEM with a
 *    well-formed mos_error_t and leaves the table's size as it was;
 *  - whatever was accepted writes as text, CSV, lines and SVG, or fails
 *    with MOS_ENOENT (a run missing) or MOS_EINVAL (SVG: no numeric
 *    metric), never anything else.
 * Leaks show up under AddressSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <multios/sweep.h>

#include "fuzz.h"

static void write_all(const mos_sweep_table_t *t)
{
	static const mos_sweep_format_t formats[] = {
		MOS_SWEEP_TEXT, MOS_SWEEP_CSV, MOS_SWEEP_JSONL};
	FILE *null = fopen("/dev/null", "w");
	mos_error_t err;
	int rc;

	if (!null)
		return;
	for (size_t f = 0; f < sizeof(formats) / sizeof(*formats); f++) {
		rc = mos_sweep_table_write(t, null, formats[f], &err);
		FUZZ_CHECK(rc == 0 || rc == MOS_ENOENT || rc == MOS_EINVAL,
			   "write returned %s", mos_err_name(rc));
	}
	rc = mos_sweep_table_write_svg(t, NULL, null, &err);
	FUZZ_CHECK(rc == 0 || rc == MOS_ENOENT || rc == MOS_EINVAL,
		   "write_svg returned %s", mos_err_name(rc));
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	mos_sweep_table_t *t;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (mos_sweep_table_new(&t) != 0) {
		free(text);
		return 0;
	}
	for (char *s = text, *nl; s; s = nl ? nl + 1 : NULL) {
		size_t before = mos_sweep_table_size(t);
		mos_error_t err;
		int rc;

		if ((nl = strchr(s, '\n')))
			*nl = '\0';
		rc = mos_sweep_table_add(t, s, "fuzz", &err);
		if (rc != 0) {
			FUZZ_CHECK(rc == MOS_ECONFIG || rc == MOS_EEXIST ||
				   rc == MOS_ENOMEM, "add returned %s",
				   mos_err_name(rc));
			fuzz_check_error(&err, rc);
			FUZZ_CHECK(mos_sweep_table_size(t) == before,
				   "a refused line changed the table");
		}
	}
	write_all(t);
	mos_sweep_table_free(t);
	free(text);
	return 0;
}
