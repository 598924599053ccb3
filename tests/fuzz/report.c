/*
 * tests/fuzz/report.c - fuzz the report's renderer (src/report/): a run's
 * JSON document into SVG (mos_scenario_plot_file, the public path) and
 * into HTML (mos__report_html, on the same bytes parsed by jansson).
 *
 * The input is one JSON document.  Checked:
 *  - a failure returns a documented code with a well-formed mos_error_t,
 *    and writes nothing (the document is checked before a byte goes out);
 *  - a success writes a document that starts and ends as it should, and
 *    twice gives the same bytes;
 *  - the HTML renderer accepts exactly the documents the SVG one does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <multios/multios.h>
#include <multios/scenario.h>

#include "fuzz.h"
#include "report/report.h"

/* What the SVG writer (path) or the HTML writer (doc) wrote (malloc'd,
 * NUL-terminated); *rc its code. */
static char *render(const char *path, json_t *doc, int *rc,
		    mos_error_t *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	FUZZ_CHECK(f, "open_memstream");
	*rc = path ? mos_scenario_plot_file(path, NULL, f, err)
		   : mos__report_html(doc, "input", f, err);
	fclose(f);
	return buf;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_path(data, size);
	json_error_t jerr;
	mos_error_t err;
	json_t *doc;
	char *a, *b;
	int rc, rc2;

	a = render(path, NULL, &rc, &err);
	if (rc) {
		FUZZ_CHECK(rc == MOS_ECONFIG || rc == MOS_ENOMEM ||
			   rc == MOS_EIO, "plot returned %s",
			   mos_err_name(rc));
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(!a[0], "a failed plot wrote something");
	} else {
		FUZZ_CHECK(!strncmp(a, "<?xml", 5) && ends_with(a, "</svg>\n"),
			   "the SVG is not whole");
		b = render(path, NULL, &rc2, &err);
		FUZZ_CHECK(rc2 == 0 && !strcmp(a, b), "two plots differ");
		free(b);
	}
	free(a);
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			 &jerr);
	if (!doc)
		return 0;
	b = render(NULL, doc, &rc2, &err);
	FUZZ_CHECK(rc == rc2 || rc2 == MOS_ENOMEM,
		   "SVG said %s, HTML %s", mos_err_name(rc),
		   mos_err_name(rc2));
	if (rc2 == 0)
		FUZZ_CHECK(!strncmp(b, "<!DOCTYPE html>", 15) &&
			   ends_with(b, "</html>\n"), "the HTML is not whole");
	else
		FUZZ_CHECK(!b[0], "a failed report wrote something");
	free(b);
	json_decref(doc);
	return 0;
}
