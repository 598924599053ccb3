/*
 * src/json/service_load.c - mos_service_load_json: the files (one, or a
 * directory's *.json in name order), their descriptors collected
 * (service_json.c reads each), one batch registered, and the batch's
 * errors named by file and JSON path.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "service_json.h"
#include "util/error_int.h"

/* ---- files -------------------------------------------------------------- */

/* Room for one more descriptor. */
static int more(load_t *l)
{
	size_t c = l->cap ? l->cap * 2 : 16;
	void *d, *o;

	if (l->n < l->cap)
		return 0;
	if (l->n >= MAX_SERVICES)
		return MOS_EEXHAUSTED;
	if (!(d = realloc(l->descs, c * sizeof(*l->descs))))
		return MOS_ENOMEM;
	l->descs = d;
	if (!(o = realloc(l->origin, c * sizeof(*l->origin))))
		return MOS_ENOMEM;
	l->origin = o;
	l->cap = c;
	return 0;
}

int mos__svc_load_add(mos_jload_t *ld, load_t *l, json_t *o, size_t file,
		      const char *prefix)
{
	int rc = more(l);

	if (rc)
		return mos__json_fail(ld, rc, rc == MOS_ENOMEM
				      ? "out of memory"
				      : "more than 1048576 services in one load");
	snprintf(l->origin[l->n].prefix, sizeof(l->origin[l->n].prefix), "%s",
		 prefix);
	l->origin[l->n].file = file;
	if ((rc = mos__svc_json_read(ld, l, o, &l->descs[l->n])))
		return rc;
	l->n++;
	return 0;
}

typedef struct list_ctx {
	load_t *l;
	size_t file;
} list_ctx_t;

static int list_entry(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	list_ctx_t *c = ctx;
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "services[%zu]", i);
	return mos__svc_load_add(ld, c->l, v, c->file, prefix);
}

int mos__svc_load_source(load_t *l, const char *path, size_t *file)
{
	*file = l->nfiles;
	if (l->nfiles == l->files_cap) {
		size_t cap = l->files_cap ? l->files_cap * 2 : 8;
		char **f = realloc(l->files, cap * sizeof(*f));
		json_t **r;

		if (!f)
			return mos__error_path(l->err, MOS_ENOMEM, path, "",
					       "out of memory");
		l->files = f;
		if (!(r = realloc(l->roots, cap * sizeof(*r))))
			return mos__error_path(l->err, MOS_ENOMEM, path, "",
					       "out of memory");
		l->roots = r;
		l->files_cap = cap;
	}
	if (!(l->files[*file] = strdup(path)))
		return mos__error_path(l->err, MOS_ENOMEM, path, "",
				       "out of memory");
	l->roots[*file] = NULL;
	l->nfiles++;
	return 0;
}

/* One file: a service object, or {"services": [service, ...]}. */
int mos__svc_load_file(load_t *l, const char *path)
{
	static const char *const list_keys[] = {"services", NULL};
	mos_jload_t ld;
	json_t *root, *list;
	size_t file;
	list_ctx_t c = {l, 0};
	int rc;

	if ((rc = mos__svc_load_source(l, path, &file)))
		return rc;
	c.file = file;
	if ((rc = mos__json_load_file(path, &root, l->err)))
		return rc;
	l->roots[file] = root;
	mos__jload_init(&ld, l->files[file], l->err);
	if (!json_is_object(root))
		return mos__json_fail(&ld, MOS_ECONFIG,
				      "expected a service object or "
				      "{\"services\": [...]}");
	if (!(list = json_object_get(root, "services")))
		return mos__svc_load_add(&ld, l, root, file, "");
	if ((rc = mos__json_check_keys(&ld, root, list_keys)))
		return rc;
	mos__jpath_push_key(&ld.path, "services");
	rc = mos__json_each(&ld, list, MAX_SERVICES, list_entry, &c);
	mos__jpath_pop(&ld.path);
	return rc;
}

static bool json_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json regular file of dir (hidden ones aside), in name order
 * (bytewise: the order does not depend on the locale). */
static int read_dir(load_t *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, *path = NULL;
	size_t n = 0, cap = 0, dl = strlen(dir);
	bool slash = dl && dir[dl - 1] == '/';
	int rc = 0;

	if (!d)
		return mos__error_path(l->err, MOS_EIO, dir, "",
				       "cannot open the directory");
	while ((e = readdir(d))) {
		char **t;

		if (!json_name(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if (cap > MAX_SERVICES ||
			    !(t = realloc(names, cap * sizeof(*t)))) {
				rc = MOS_ENOMEM;
				break;
			}
			names = t;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = MOS_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc)
		mos__error_path(l->err, rc, dir, "", "out of memory");
	else if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && !rc; i++) {
		struct stat st;
		size_t len = dl + 1 + strlen(names[i]) + 1;

		free(path);
		if (!(path = malloc(len))) {
			rc = mos__error_path(l->err, MOS_ENOMEM, dir, "",
					     "out of memory");
			break;
		}
		snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
		/* A directory or a device named *.json is not a file of
		 * services: skipped as other files are. */
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			continue;
		rc = mos__svc_load_file(l, path);
	}
	free(path);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---- the batch's errors, named by file ---------------------------------- */

/* Descriptor of l named name, or n. */
static size_t desc_named(const load_t *l, const char *name, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->descs[i].name) == len &&
		    !strncmp(l->descs[i].name, name, len))
			return i;
	return l->n;
}

/* Where the batch's error is in the files: descriptor *i and the path
 * within it (after "services[i]"), or false. */
static bool locate(const load_t *l, mos_kernel_t *k, const mos_error_t *e,
		   size_t *i, char *rest, size_t size)
{
	const char *p = e->path, *t;
	char *end;
	unsigned long long v;

	if (!strncmp(p, "services[", 9)) {
		v = strtoull(p + 9, &end, 10);
		if (*end != ']' || v >= l->n)
			return false;
		*i = (size_t)v;
		snprintf(rest, size, "%s", end + 1);
		return true;
	}
	/* A cycle has no path: it is spelled "a -> b -> ... -> a" from its
	 * smallest name.  It is where a's dependency on b is. */
	if (e->code != MOS_ECYCLE || !(t = mos_service_error_text(k)) ||
	    !(end = strstr(t, " -> ")))
		return false;
	*i = desc_named(l, t, (size_t)(end - t));
	if (*i == l->n)
		return false;
	p = end + 4;
	t = strstr(p, " -> ");
	{
		size_t len = t ? (size_t)(t - p) : strlen(p);
		const mos_service_descriptor_t *d = &l->descs[*i];

		for (size_t j = 0; j < d->ndeps; j++)
			if (strlen(d->deps[j].name) == len &&
			    !strncmp(d->deps[j].name, p, len)) {
				snprintf(rest, size, ".dependencies[%zu]", j);
				return true;
			}
	}
	rest[0] = '\0';
	return true;
}

/* Rewrite the batch's error e to name the file and its JSON path. */
void mos__svc_load_rename_error(const load_t *l, mos_kernel_t *k,
				mos_error_t *e, const char *top)
{
	mos_error_t was = *e;
	char rest[MOS_ERROR_PATH_LEN], path[MOS_ERROR_PATH_LEN + 40];
	const char *src = top;
	size_t i;

	if (was.code == 0) {
		/* The batch said nothing (an argument: no such actor). */
		mos__error_clear(e);
		return;
	}
	if (locate(l, k, &was, &i, rest, sizeof(rest))) {
		const char *pre = l->origin[i].prefix;

		src = l->files[l->origin[i].file];
		snprintf(path, sizeof(path), "%s%s", pre,
			 !*pre && rest[0] == '.' ? rest + 1 : rest);
	} else {
		snprintf(path, sizeof(path), "%s", was.path);
	}
	mos__error_clear(e);
	mos__error_path(e, was.code, src, path, "%s", was.text);
}

/* ---- the load ----------------------------------------------------------- */

int mos_service_load_json(mos_kernel_t *k, mos_pid_t actor, const char *path,
			  mos_service_id_t *ids, size_t cap, size_t *n,
			  mos_error_t *err)
{
	mos_error_t local;
	load_t l;
	mos_service_id_t *got = NULL;
	struct stat st;
	int rc;

	mos__error_clear(&local);
	memset(&l, 0, sizeof(l));
	l.err = &local;
	if (!k || !path || (cap && !ids)) {
		rc = mos__error_path(&local, MOS_EINVAL, path ? path : "service",
				     "", "invalid argument");
		goto out;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		rc = read_dir(&l, path);
	else
		rc = mos__svc_load_file(&l, path);
	if (rc)
		goto out;
	if (l.n && !(got = calloc(l.n, sizeof(*got)))) {
		rc = mos__error_path(&local, MOS_ENOMEM, path, "",
				     "out of memory");
		goto out;
	}
	rc = mos_service_register_batch(k, actor, l.descs, l.n, got, &local);
	if (rc) {
		mos__svc_load_rename_error(&l, k, &local, path);
		if (local.code == 0)
			mos__error_path(&local, rc, path, "", "%s",
					mos_strerror(rc));
		goto out;
	}
	for (size_t i = 0; i < l.n && i < cap; i++)
		ids[i] = got[i];
	if (n)
		*n = l.n;
out:
	if (err)
		*err = local;
	free(got);
	mos__svc_load_free(&l);
	return rc;
}

void mos__svc_load_free(load_t *l)
{
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i]);
		json_decref(l->roots[i]);
	}
	free(l->files);
	free(l->roots);
	free(l->descs);
	free(l->origin);
	while (l->blocks) {
		block_t *b = l->blocks;

		l->blocks = b->next;
		free(b);
	}
	memset(l, 0, sizeof(*l));
}
