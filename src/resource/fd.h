/*
 * src/resource/fd.h - descriptors (fd.c) over the in-memory namespace
 * (fs.c).
 */
#ifndef MOS_RES_FD_H
#define MOS_RES_FD_H

#include <stdint.h>

/* Per process: its descriptor table and working directory. */
typedef struct mos_res_fd {
	uint32_t open, peak;        /* descriptors open now, at most */
} mos_res_fd_t;

/* Per kernel: the namespace. */
typedef struct mos_res_fs {
	void *root;                 /* fs.c's root directory */
} mos_res_fs_t;

#endif
