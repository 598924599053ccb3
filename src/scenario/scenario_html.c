/*
 * src/scenario/scenario_html.c - a scenario's result as the HTML report:
 * the JSON document of --json (mos__sc_doc, timeline included) drawn by
 * src/report/.
 */
#include <jansson.h>

#include "report/report.h"
#include "scenario_int.h"

int mos_scenario_write_html(const mos_scenario_result_t *r, FILE *out)
{
	json_t *doc;
	int rc;

	if (!r || !out)
		return MOS_EINVAL;
	if (!(doc = mos__sc_doc(r, true)))
		return MOS_ENOMEM;
	/* The document is ours, so its shape holds: only ENOMEM or EIO. */
	rc = mos__report_html(doc, "run", out, NULL);
	json_decref(doc);
	return rc;
}
