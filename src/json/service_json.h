/*
 * src/json/service_json.h - what the service loader's two files share:
 * the load in progress (service_load.c: files, the batch, the errors)
 * and the reading of one descriptor (service_json.c).
 */
#ifndef MOS_SERVICE_JSON_H
#define MOS_SERVICE_JSON_H

#include <stddef.h>

#include "jsonload.h"
#include "multios/service.h"

/* "services" arrays and directories: far more than any real set, small
 * enough that a hostile file cannot make the loader allocate without
 * bound before it has read anything. */
#define MAX_SERVICES (1u << 20)
#define MAX_CMD_ARGS 4096
#define MAX_ENV 4096

/* Where descriptor i came from, to name it in messages. */
typedef struct origin {
	size_t file;                 /* index into load_t.files */
	char prefix[32];             /* "" (the file is one service) or
					"services[N]" */
} origin_t;

typedef struct block {
	struct block *next;
	max_align_t data[];
} block_t;

typedef struct load {
	char **files;                /* the files read, in load order */
	size_t nfiles, files_cap;
	json_t **roots;              /* their trees, alive until the end */
	mos_service_descriptor_t *descs;
	origin_t *origin;
	size_t n, cap;
	block_t *blocks;             /* everything else the descriptors use */
	mos_error_t *err;
} load_t;

/* A zeroed block of size bytes that lives until the load ends (NULL:
 * out of memory). */
void *mos__svc_json_take(load_t *l, size_t size);
/* Fill *d from the service object o (the cursor's path at o). */
int mos__svc_json_read(mos_jload_t *ld, load_t *l, json_t *o,
		       mos_service_descriptor_t *d);

#endif
