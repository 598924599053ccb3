/*
 * src/json/chrome.h - building JSON with jansson the way every writer of
 * the project does, and the Chrome Trace Event format's pieces.
 *
 * Shared by the kernel-level trace export (chrome.c) and the workbench's
 * report writer.  Each constructor returns a new reference or NULL when
 * out of memory; a writer collects failures in an `int bad` and checks
 * once.
 */
#ifndef MOS_JSON_CHROME_H
#define MOS_JSON_CHROME_H

#include <jansson.h>
#include <stdio.h>

/* Set key to v (stolen); -1 when v is NULL. */
int mos__json_set(json_t *o, const char *key, json_t *v);

/* o, or NULL (o freed) when one of its members could not be made. */
json_t *mos__json_built(json_t *o, int bad);

/* Write o (stolen; NULL: MOS_ENOMEM) and a newline, and flush: 0,
 * MOS_ENOMEM or MOS_EIO.  Reals keep 15 significant digits. */
int mos__json_dump(json_t *o, FILE *out, size_t flags);

/*
 * One trace event: ph "X" (complete: ts and dur), "i" (instant, scope
 * `scope`: "g" global, "t" its track), "C" (counter: args holds the
 * values) or "M" (metadata: no ts).  ts and dur in microseconds.  All
 * tracks belong to one Chrome process (pid 1); tid is the track.
 */
json_t *mos__chrome_event(const char *ph, const char *name, int tid,
			  double ts, double dur);

/* The "M" event that names track tid. */
json_t *mos__chrome_thread_name(const char *name, int tid);

#endif
