/*
 * src/resource/fs.c - the in-memory namespace: a tree of directories and
 * files with sizes (fd.h), path resolution, and the host's calls that
 * populate it (multios/resource.h).
 *
 * Resolution walks the path a component at a time from the root or the
 * working directory; "." stays, ".." goes to the parent (the root's is
 * the root), empty components (repeated slashes) are skipped.  A
 * directory's entries are a sorted array searched by bisection, so the
 * order of anything never depends on an address.  Nodes are made on
 * demand and freed only with the kernel.
 */
#include <string.h>

#include "res_local.h"
#include "util/alloc.h"

static mos_fs_node_t *node_new(const mos_allocator_t *a, mos_fs_node_t *parent,
			       const char *name, size_t len, bool dir)
{
	mos_fs_node_t *n = mos__calloc(a, 1, sizeof(*n));

	if (!n)
		return NULL;
	n->parent = parent;
	n->dir = dir;
	n->depth = parent ? parent->depth + 1 : 0;
	memcpy(n->name, name, len);
	n->name[len] = '\0';
	return n;
}

static void node_free(const mos_allocator_t *a, mos_fs_node_t *n)
{
	for (uint32_t i = 0; i < n->nkids; i++)
		node_free(a, n->kids[i]); /* depth <= MOS_FS_DEPTH_MAX */
	mos__free(a, n->kids);
	mos__free(a, n);
}

int mos__fs_init(const mos_allocator_t *a, mos_res_fs_t *fs)
{
	if (!(fs->root = node_new(a, NULL, "", 0, true)))
		return MOS_ENOMEM;
	fs->nodes = 1;
	return 0;
}

void mos__fs_fini(const mos_allocator_t *a, mos_res_fs_t *fs)
{
	if (fs->root)
		node_free(a, fs->root);
	fs->root = NULL;
	fs->nodes = 0;
}

/* Compare a stored name with name[0 .. len). */
static int name_cmp(const char *stored, const char *name, size_t len)
{
	int c = strncmp(stored, name, len);

	return c ? c : (stored[len] != '\0');
}

/* The index of name in dir, or where it would go (*found false). */
static uint32_t kid_find(const mos_fs_node_t *dir, const char *name,
			 size_t len, bool *found)
{
	uint32_t lo = 0, hi = dir->nkids;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(dir->kids[mid]->name, name, len);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* Make name in dir at index i: MOS_ENOMEM, MOS_EINVAL (too deep) or
 * MOS_EEXHAUSTED (MOS_FS_NODES_MAX nodes: nodes are never removed, so
 * an unbounded namespace would grow without end), and then nothing
 * changed.  The sorted insert moves the entries after i: O(entries) per
 * create, which a bounded namespace keeps bounded. */
static int kid_add(const mos_allocator_t *a, mos_res_fs_t *fs,
		   mos_fs_node_t *dir, uint32_t i, const char *name,
		   size_t len, bool is_dir, mos_fs_node_t **out)
{
	mos_fs_node_t *n;

	if (dir->depth + 1 > MOS_FS_DEPTH_MAX)
		return MOS_EINVAL;
	if (fs->nodes >= MOS_FS_NODES_MAX)
		return MOS_EEXHAUSTED;
	if (dir->nkids == dir->kid_cap) {
		uint32_t cap = dir->kid_cap ? dir->kid_cap * 2 : 4;
		mos_fs_node_t **v = mos__realloc_array(a, dir->kids, cap,
						       sizeof(*v));
		if (!v)
			return MOS_ENOMEM;
		dir->kids = v;
		dir->kid_cap = cap;
	}
	if (!(n = node_new(a, dir, name, len, is_dir)))
		return MOS_ENOMEM;
	memmove(&dir->kids[i + 1], &dir->kids[i],
		(dir->nkids - i) * sizeof(*dir->kids));
	dir->kids[i] = n;
	dir->nkids++;
	fs->nodes++;
	*out = n;
	return 0;
}

int mos__fs_resolve(const mos_allocator_t *a, mos_res_fs_t *fs,
		    mos_fs_node_t *cwd, const char *path, int create,
		    mos_fs_node_t **out, bool *made)
{
	mos_fs_node_t *cur;
	size_t plen;
	const char *s;

	*made = false;
	if (!path || !*path || (plen = strlen(path)) > MOS_FS_PATH_MAX)
		return path && !*path ? MOS_ENOENT : MOS_EINVAL;
	cur = *path == '/' || !cwd ? fs->root : cwd;
	for (s = path;;) {
		const char *name;
		size_t len;
		bool last, slash, found;
		uint32_t i;

		while (*s == '/')
			s++;
		if (!*s)
			break; /* "/", "a/", "a//": cur itself */
		name = s;
		while (*s && *s != '/')
			s++;
		len = (size_t)(s - name);
		slash = *s == '/';
		while (*s == '/')
			s++;
		last = !*s;
		if (!cur->dir)
			return MOS_ENOTDIR;
		if (len > MOS_FS_NAME_MAX)
			return MOS_EINVAL;
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (cur->parent)
				cur = cur->parent;
			continue;
		}
		i = kid_find(cur, name, len, &found);
		if (found) {
			cur = cur->kids[i];
			continue;
		}
		if (!last || !create)
			return MOS_ENOENT;
		if (slash && create == MOS_FS_MKFILE)
			return MOS_EISDIR;
		{
			int err = kid_add(a, fs, cur, i, name, len,
					  create == MOS_FS_MKDIR, &cur);
			if (err < 0)
				return err;
		}
		*made = true;
		break;
	}
	/* A trailing slash names a directory: an existing file so named is
	 * not one (open(2): ENOTDIR; with O_CREAT, EISDIR; mkdir: EEXIST). */
	if (!cur->dir && path[plen - 1] == '/')
		return create == MOS_FS_MKFILE ? MOS_EISDIR
		       : create == MOS_FS_MKDIR ? MOS_EEXIST : MOS_ENOTDIR;
	*out = cur;
	return 0;
}

/* ---- the host's calls ---------------------------------------------------- */

static int host_make(mos_kernel_t *k, const char *path, int what,
		     mos_fs_node_t **out)
{
	mos_fs_node_t *n;
	bool made;
	int err;

	if (!k || !path || *path != '/' || !mos__host_call(k))
		return MOS_EINVAL;
	err = mos__fs_resolve(mos__kernel_alloc(k), &mos__kernel_res(k)->fs,
			      NULL, path, what, &n, &made);
	if (err < 0)
		return err;
	if (!made)
		return MOS_EEXIST;
	*out = n;
	return 0;
}

int mos_fs_mkdir(mos_kernel_t *k, const char *path)
{
	mos_fs_node_t *n;

	return host_make(k, path, MOS_FS_MKDIR, &n);
}

int mos_fs_create(mos_kernel_t *k, const char *path, uint64_t size)
{
	mos_fs_node_t *n;
	int err = host_make(k, path, MOS_FS_MKFILE, &n);

	if (err == 0)
		n->size = size;
	return err;
}

int mos_fs_stat(mos_kernel_t *k, const char *path, mos_fs_stat_t *st)
{
	mos_fs_node_t *n;
	bool made;
	int err;

	if (!k || !path || !st || *path != '/')
		return MOS_EINVAL;
	err = mos__fs_resolve(mos__kernel_alloc(k), &mos__kernel_res(k)->fs,
			      NULL, path, 0, &n, &made);
	if (err < 0)
		return err;
	st->is_dir = n->dir;
	st->size = n->dir ? 0 : n->size;
	st->entries = n->dir ? n->nkids : 0;
	return 0;
}
