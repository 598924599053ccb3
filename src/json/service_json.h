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

/* A string vetting hook for mos__svc_json_get_strv: NULL when s is
 * fine, else why not. */
typedef const char *(*mos_str_check_fn)(const char *s);

/* The array of strings at o.key as a NULL-terminated vector in l's
 * blocks (absent: *out untouched); check (may be NULL) vets each. */
int mos__svc_json_get_strv(mos_jload_t *ld, load_t *l, json_t *o,
			   const char *key, size_t max, mos_str_check_fn check,
			   const char *const **out);

/* o.priority and o.class by name (absent: *out untouched), as a
 * descriptor's: a mos_priority_t, a mos_prio_class_t. */
int mos__svc_json_priority(mos_jload_t *ld, json_t *o, int *out);
int mos__svc_json_class(mos_jload_t *ld, json_t *o, int *out);

/* Section readers (mos_jsection_fn) of a "limits" object into the
 * mos_rlimits_t and a "group_limits" object into the mos_group_limits_t
 * ctx points to: the keys given overlay what is there. */
int mos__svc_json_limits(mos_jload_t *ld, json_t *o, void *ctx);
int mos__svc_json_group_limits(mos_jload_t *ld, json_t *o, void *ctx);

/* ---- service_load.c: a load in progress, for other loaders (the
 * scenario loader) that gather descriptors from their own files too ---- */

/* Name a source in l (no parse): *file its index, for origin_t. */
int mos__svc_load_source(load_t *l, const char *path, size_t *file);
/* Read one more descriptor file (an object, or {"services": [...]}). */
int mos__svc_load_file(load_t *l, const char *path);
/* Add the descriptor in o (the cursor at o), from source file, named in
 * messages by prefix ("services[3]"). */
int mos__svc_load_add(mos_jload_t *ld, load_t *l, json_t *o, size_t file,
		      const char *prefix);
/* Rewrite register_batch's error e to the file and JSON path of the
 * descriptor it names (top: the source when none is named). */
void mos__svc_load_rename_error(const load_t *l, mos_kernel_t *k,
				mos_error_t *e, const char *top);
/* Free what l holds (not l itself); l is zeroed. */
void mos__svc_load_free(load_t *l);

#endif
