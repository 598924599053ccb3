/*
 * src/resource/fd.c - per-process descriptor tables over the namespace
 * (fs.c): open, close, dup, dup2, chdir, inheritance by spawn, closing at
 * exit, and max_file_descriptors.
 *
 * A table is an array of pointers to open file descriptions, grown (at
 * least doubling) when a descriptor past its end is asked for; a new
 * descriptor is the lowest free one, as POSIX wants, searched from a
 * hint below which all are open (Linux's next_fd): n opens cost O(n),
 * not O(n^2).  Open file
 * descriptions are counted references: dup, dup2 and the copy a spawned
 * child gets share one, and with it the offset.  The working directory
 * lives here too (NULL: the root), so the control block needs nothing
 * more.
 */
#include <string.h>

#include "res_local.h"
#include "util/alloc.h"

/* The descriptors p may have: its limit, under the kernel's ceiling
 * MOS_FD_MAX (Linux's fs.nr_open), which binds whatever the limit says
 * (an infinite one included): a table never grows past 8 MiB of
 * pointers. */
static uint32_t fd_limit(const mos_res_proc_t *rp)
{
	return rp->soft.max_file_descriptors < MOS_FD_MAX
		       ? rp->soft.max_file_descriptors : MOS_FD_MAX;
}

mos_ofile_t *mos__res_fd_get(mos_proc_t *p, int fd)
{
	const mos_res_fd_t *t = &mos__res(p)->fd;

	return fd >= 0 && (uint32_t)fd < t->cap ? t->tab[fd] : NULL;
}

static void ofile_put(const mos_allocator_t *a, mos_ofile_t *of)
{
	if (--of->refs == 0)
		mos__free(a, of);
}

static void fd_clear(mos_res_fd_t *t, const mos_allocator_t *a, int fd)
{
	ofile_put(a, t->tab[fd]);
	t->tab[fd] = NULL;
	t->open--;
	if ((uint32_t)fd < t->next)
		t->next = (uint32_t)fd;
}

static void fd_set(mos_res_fd_t *t, int fd, mos_ofile_t *of)
{
	of->refs++;
	t->tab[fd] = of;
	/* All below next are open: so are all below fd + 1 now. */
	if ((uint32_t)fd == t->next)
		t->next = (uint32_t)fd + 1;
	if (++t->open > t->peak)
		t->peak = t->open;
}

/* Room for descriptor fd.  MOS_ENOMEM, and the table is as it was. */
static int fd_room(mos_res_proc_t *rp, const mos_allocator_t *a, uint32_t fd)
{
	mos_res_fd_t *t = &rp->fd;
	uint32_t cap;
	mos_ofile_t **v;

	if (fd < t->cap)
		return 0;
	mos__res_touch(rp, MOS_RES_TOUCH_FD);
	cap = t->cap ? t->cap : 8;
	while (cap <= fd)
		cap = cap > MOS_FD_MAX / 2 ? fd + 1 : cap * 2;
	if (!(v = mos__realloc_array(a, t->tab, cap, sizeof(*v))))
		return MOS_ENOMEM;
	memset(v + t->cap, 0, (cap - t->cap) * sizeof(*v));
	t->tab = v;
	t->cap = cap;
	return 0;
}

/* The lowest free descriptor of p, checked against its limit (a
 * violation when it is not below), with a place for it in the table. */
static int fd_alloc(mos_kernel_t *k, mos_proc_t *p, uint32_t *out)
{
	mos_res_proc_t *rp = mos__res(p);
	mos_res_fd_t *t = &rp->fd;
	uint32_t fd = t->next;

	while (fd < t->cap && t->tab[fd])
		fd++;
	if (fd >= fd_limit(rp)) {
		mos__res_violation(k, p, MOS_RLIMIT_NOFILE, (uint64_t)fd + 1,
				   fd_limit(rp));
		return MOS_ELIMIT;
	}
	*out = fd;
	return fd_room(mos__res(p), mos__kernel_alloc(k), fd);
}

static void fd_close_all(mos_kernel_t *k, mos_res_fd_t *t)
{
	const mos_allocator_t *a = mos__kernel_alloc(k);

	for (uint32_t i = 0; i < t->cap; i++)
		if (t->tab[i])
			fd_clear(t, a, (int)i);
	mos__free(a, t->tab);
	t->tab = NULL;
	t->cap = 0;
	t->next = 0;
}

/* ---- system calls ------------------------------------------------------ */

#define O_ALL (MOS_O_RDWR | MOS_O_CREATE | MOS_O_EXCL | MOS_O_TRUNC)

int mos_sys_open(mos_proc_t *self, const char *path, unsigned flags, int *fd)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_OPEN);
	const mos_allocator_t *a = mos__kernel_alloc(k);
	mos_res_proc_t *rp = mos__res(self);
	mos_fs_node_t *n;
	mos_ofile_t *of;
	uint32_t nfd;
	bool made;
	int err;

	if (!path || !fd || (flags & ~O_ALL) || !(flags & MOS_O_RDWR) ||
	    ((flags & MOS_O_TRUNC) && !(flags & MOS_O_WRITE)))
		return MOS_EINVAL;
	if ((err = fd_alloc(k, self, &nfd)) < 0)
		return err;
	if (!(of = mos__calloc(a, 1, sizeof(*of))))
		return MOS_ENOMEM;
	/* The last step that can fail: it may make the file. */
	err = mos__fs_resolve(a, &mos__kernel_res(k)->fs, rp->fd.cwd, path,
			      (flags & MOS_O_CREATE) ? MOS_FS_MKFILE : 0, &n,
			      &made);
	if (err == 0 && !made && (flags & (MOS_O_CREATE | MOS_O_EXCL)) ==
					 (MOS_O_CREATE | MOS_O_EXCL))
		err = MOS_EEXIST;
	else if (err == 0 && n->dir && (flags & (MOS_O_WRITE | MOS_O_CREATE)))
		err = MOS_EISDIR;
	if (err < 0) {
		mos__free(a, of);
		return err;
	}
	if ((flags & MOS_O_TRUNC) && !n->dir)
		n->size = 0;
	of->node = n;
	of->mode = flags & MOS_O_RDWR;
	fd_set(&rp->fd, (int)nfd, of);
	*fd = (int)nfd;
	return 0;
}

int mos_sys_close(mos_proc_t *self, int fd)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_CLOSE);

	if (!mos__res_fd_get(self, fd))
		return MOS_EBADF;
	fd_clear(&mos__res(self)->fd, mos__kernel_alloc(k), fd);
	return 0;
}

int mos_sys_dup(mos_proc_t *self, int fd, int *newfd)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_DUP);
	mos_ofile_t *of;
	uint32_t nfd;
	int err;

	if (!newfd)
		return MOS_EINVAL;
	if (!(of = mos__res_fd_get(self, fd)))
		return MOS_EBADF;
	if ((err = fd_alloc(k, self, &nfd)) < 0)
		return err;
	fd_set(&mos__res(self)->fd, (int)nfd, of);
	*newfd = (int)nfd;
	return 0;
}

int mos_sys_dup2(mos_proc_t *self, int oldfd, int newfd)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_DUP2);
	mos_res_proc_t *rp = mos__res(self);
	mos_ofile_t *of;
	int err;

	if (!(of = mos__res_fd_get(self, oldfd)) || newfd < 0)
		return MOS_EBADF;
	if (oldfd == newfd)
		return 0;
	if ((uint32_t)newfd >= fd_limit(rp)) {
		/* POSIX's EBADF: newfd is no descriptor this process may
		 * have; the limit is what refuses it, so it is a violation. */
		mos__res_violation(k, self, MOS_RLIMIT_NOFILE,
				   (uint64_t)newfd + 1, fd_limit(rp));
		return MOS_EBADF;
	}
	if ((err = fd_room(rp, mos__kernel_alloc(k), (uint32_t)newfd)) < 0)
		return err;
	/* Nothing fails from here: newfd's old file goes, silently. */
	if (rp->fd.tab[newfd])
		fd_clear(&rp->fd, mos__kernel_alloc(k), newfd);
	fd_set(&rp->fd, newfd, of);
	return 0;
}

int mos_sys_chdir(mos_proc_t *self, const char *path)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_CHDIR);
	mos_res_proc_t *rp = mos__res(self);
	mos_fs_node_t *n;
	bool made;
	int err;

	if (!path)
		return MOS_EINVAL;
	err = mos__fs_resolve(mos__kernel_alloc(k), &mos__kernel_res(k)->fs,
			      rp->fd.cwd, path, 0, &n, &made);
	if (err < 0)
		return err;
	if (!n->dir)
		return MOS_ENOTDIR;
	rp->fd.cwd = n;
	mos__res_touch(rp, MOS_RES_TOUCH_FD); /* children inherit it */
	return 0;
}

/* ---- the module's hooks ------------------------------------------------ */

static int fd_kernel_init(mos_kernel_t *k, mos_res_kernel_t *r)
{
	return mos__fs_init(mos__kernel_alloc(k), &r->fs);
}

static void fd_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	mos__fs_fini(mos__kernel_alloc(k), &r->fs);
}

/* The child gets a copy of the table, sharing each open file, and the
 * working directory.  MOS_ENOMEM, and it has none. */
static int fd_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent)
{
	mos_res_fd_t *t = &mos__res(p)->fd;
	const mos_res_fd_t *pt = &mos__res(parent)->fd;
	uint32_t n = pt->cap;

	t->cwd = pt->cwd;
	while (n > 0 && !pt->tab[n - 1])
		n--;
	if (n == 0)
		return 0;
	if (fd_room(mos__res(p), mos__kernel_alloc(k), n - 1) < 0)
		return MOS_ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		if (pt->tab[i])
			fd_set(t, (int)i, pt->tab[i]);
	t->peak = t->open;
	return 0;
}

/* Closed at exit; release does it for a child whose creation failed (a
 * second call finds nothing). */
static void fd_exit(mos_kernel_t *k, mos_proc_t *p)
{
	fd_close_all(k, &mos__res(p)->fd);
}

static void fd_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->fds_open = rp->fd.open;
	u->fds_peak = rp->fd.peak;
}

const mos_res_module_t mos__res_fd_module = {
	.name = "descriptors",
	.kernel_init = fd_kernel_init,
	.kernel_fini = fd_kernel_fini,
	.fork = fd_fork,
	.exit = fd_exit,
	.release = fd_exit,
	.lazy = MOS_RES_TOUCH_FD,
	.fill = fd_fill,
};
