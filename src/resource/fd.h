/*
 * src/resource/fd.h - descriptors (fd.c) over the in-memory namespace
 * (fs.c).
 *
 * The namespace is a tree of nodes, directories and files with a size,
 * made by the host (mos_fs_mkdir, mos_fs_create) and by programs (an
 * open with MOS_O_CREATE); nothing is ever removed, so a node lives until
 * the kernel goes and a pointer to one (a working directory, an open
 * file) never dangles.  A directory keeps its entries sorted by name
 * (byte order): lookups and listings never depend on addresses.
 *
 * A descriptor points to an open file description (mos_ofile_t): the
 * node, the offset and the access mode.  dup, dup2 and spawn share it, as
 * POSIX does (one offset for all of them); it goes with its last
 * descriptor.
 */
#ifndef MOS_RES_FD_H
#define MOS_RES_FD_H

#include <stdbool.h>
#include <stdint.h>

#include "multios/config.h"
#include "multios/types.h"

typedef struct mos_fs_node mos_fs_node_t;

struct mos_fs_node {
	mos_fs_node_t *parent;      /* NULL for the root */
	mos_fs_node_t **kids;       /* a directory's, sorted by name */
	uint32_t nkids, kid_cap;
	uint32_t depth;             /* the root's is 0 */
	bool dir;
	uint64_t size;              /* a file's bytes */
	char name[64];              /* MOS_FS_NAME_MAX + 1; "" for the root */
};

/* An open file description. */
typedef struct mos_ofile {
	mos_fs_node_t *node;
	uint64_t offset;            /* where the next read or write starts */
	uint32_t refs;              /* descriptors pointing here */
	uint32_t mode;              /* MOS_O_READ | MOS_O_WRITE */
} mos_ofile_t;

/* Per process: its descriptor table and working directory. */
typedef struct mos_res_fd {
	uint32_t open, peak;        /* descriptors open now, at most */
	mos_ofile_t **tab;          /* by descriptor, NULL: free */
	uint32_t cap;               /* entries of tab */
	uint32_t next;              /* every descriptor below it is open, as
				       Linux's files->next_fd: the lowest
				       free one is searched from here */
	mos_fs_node_t *cwd;         /* NULL: the root */
} mos_res_fd_t;

/* Per kernel: the namespace. */
typedef struct mos_res_fs {
	mos_fs_node_t *root;
	uint32_t nodes;             /* the root included */
} mos_res_fs_t;

/* ---- fs.c --------------------------------------------------------------- */

int mos__fs_init(const mos_allocator_t *a, mos_res_fs_t *fs);
void mos__fs_fini(const mos_allocator_t *a, mos_res_fs_t *fs);

/*
 * Resolve path from cwd (an absolute path from the root).  With `create`
 * (0, or MOS_FS_MKFILE / MOS_FS_MKDIR) a missing last component is made
 * (a file of size 0 or an empty directory) and *made says so; an existing
 * one is returned as it is (the caller decides whether that is
 * MOS_EEXIST).  Errors: MOS_EINVAL (NULL, empty, a name or path too
 * long, too deep), MOS_ENOENT, MOS_ENOTDIR (a file used as a directory,
 * or a file named with a trailing '/'), MOS_EISDIR (a file to be made
 * named with a trailing '/'), MOS_ENOMEM.  A failure makes nothing.
 */
enum { MOS_FS_MKFILE = 1, MOS_FS_MKDIR = 2 };
int mos__fs_resolve(const mos_allocator_t *a, mos_res_fs_t *fs,
		    mos_fs_node_t *cwd, const char *path, int create,
		    mos_fs_node_t **out, bool *made);

#endif
