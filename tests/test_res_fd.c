/*
 * tests/test_res_fd.c - the namespace (the host's mkdir, create, stat,
 * path resolution and its bounds) and the descriptor tables (open, close,
 * dup, dup2, chdir, inheritance by spawn, closing at exit, the
 * max_file_descriptors boundary) of multios/resource.h.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_fd, .timeout = T_TIMEOUT);

static mos_fs_stat_t stat_of(mos_kernel_t *k, const char *path)
{
	mos_fs_stat_t st;
	int err = mos_fs_stat(k, path, &st);

	cr_assert_eq(err, 0, "stat %s: %s", path, mos_strerror(err));
	return st;
}

/* ---- the namespace ---------------------------------------------------- */

Test(res_fd, host_builds_the_namespace_with_exact_errors)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_fs_stat_t st;

	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_mkdir(k, "//data///sub/"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 4096), 0);
	cr_assert_eq(mos_fs_create(k, "/data/./sub/../b", 10), 0);

	st = stat_of(k, "/data");
	cr_expect(st.is_dir);
	cr_expect_eq(st.entries, 3);
	st = stat_of(k, "/data/sub/../a");
	cr_expect(!st.is_dir);
	cr_expect_eq(st.size, 4096);
	cr_expect_eq(stat_of(k, "/data/b").size, 10);
	cr_expect_eq(stat_of(k, "/..").entries, 1); /* the root's .. */
	cr_expect_eq(stat_of(k, "/").entries, 1);

	/* Errors, each leaving the tree as it was. */
	cr_expect_eq(mos_fs_mkdir(NULL, "/x"), MOS_EINVAL);
	cr_expect_eq(mos_fs_mkdir(k, NULL), MOS_EINVAL);
	cr_expect_eq(mos_fs_mkdir(k, "data/x"), MOS_EINVAL); /* relative */
	cr_expect_eq(mos_fs_mkdir(k, ""), MOS_EINVAL);
	cr_expect_eq(mos_fs_mkdir(k, "/"), MOS_EEXIST);
	cr_expect_eq(mos_fs_mkdir(k, "/data"), MOS_EEXIST);
	cr_expect_eq(mos_fs_mkdir(k, "/data/a/"), MOS_EEXIST);
	cr_expect_eq(mos_fs_create(k, "/data/a", 1), MOS_EEXIST);
	cr_expect_eq(mos_fs_create(k, "/data/sub", 1), MOS_EEXIST);
	cr_expect_eq(mos_fs_create(k, "/nope/a", 1), MOS_ENOENT);
	cr_expect_eq(mos_fs_create(k, "/data/a/x", 1), MOS_ENOTDIR);
	cr_expect_eq(mos_fs_mkdir(k, "/data/a/x"), MOS_ENOTDIR);
	cr_expect_eq(mos_fs_create(k, "/data/new/", 1), MOS_EISDIR);
	cr_expect_eq(mos_fs_create(k, "/data/a/", 1), MOS_EISDIR);
	cr_expect_eq(mos_fs_stat(k, "/data/a/", &st), MOS_ENOTDIR);
	cr_expect_eq(mos_fs_stat(k, "/data/zz", &st), MOS_ENOENT);
	cr_expect_eq(mos_fs_stat(k, "/data", NULL), MOS_EINVAL);
	cr_expect_eq(stat_of(k, "/data").entries, 3);
	mos_kernel_destroy(k);
}

Test(res_fd, names_paths_and_depth_are_bounded)
{
	mos_kernel_t *k = t_kernel(NULL);
	char name[MOS_FS_NAME_MAX + 3], path[MOS_FS_PATH_MAX + 8];
	size_t len;

	/* A name of MOS_FS_NAME_MAX bytes is fine, one more is not. */
	name[0] = '/';
	memset(name + 1, 'n', MOS_FS_NAME_MAX);
	name[MOS_FS_NAME_MAX + 1] = '\0';
	cr_expect_eq(mos_fs_create(k, name, 1), 0);
	name[MOS_FS_NAME_MAX + 1] = 'n';
	name[MOS_FS_NAME_MAX + 2] = '\0';
	cr_expect_eq(mos_fs_create(k, name, 1), MOS_EINVAL);

	/* MOS_FS_DEPTH_MAX directories deep, and not one more. */
	len = 0;
	for (int i = 0; i < MOS_FS_DEPTH_MAX; i++) {
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/d");
		cr_assert_eq(mos_fs_mkdir(k, path), 0, "depth %d", i + 1);
	}
	snprintf(path + len, sizeof(path) - len, "/d");
	cr_expect_eq(mos_fs_mkdir(k, path), MOS_EINVAL);
	cr_expect_eq(mos_fs_create(k, path, 1), MOS_EINVAL);

	/* A path of MOS_FS_PATH_MAX bytes resolves; one more is refused. */
	memset(path, '/', sizeof(path));
	path[MOS_FS_PATH_MAX] = '\0';
	cr_expect_eq(stat_of(k, path).entries, 2);
	path[MOS_FS_PATH_MAX] = '/';
	path[MOS_FS_PATH_MAX + 1] = '\0';
	cr_expect_eq(mos_fs_mkdir(k, path), MOS_EINVAL);
	mos_kernel_destroy(k);
}

Test(res_fd, a_directory_lists_its_entries_in_name_order)
{
	mos_kernel_t *k = t_kernel(NULL);
	static const char *const names[] = {"/m", "/b", "/z", "/a", "/mm", "/c"};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		cr_assert_eq(mos_fs_create(k, names[i], i), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		cr_expect_eq(stat_of(k, names[i]).size, i);
	cr_expect_eq(stat_of(k, "/").entries, 6);
	mos_kernel_destroy(k);
}

/* ---- descriptors ------------------------------------------------------ */

struct fdp {
	int rc[24];
	int fd[24];
};

static int numbers_main(mos_proc_t *self, int argc, char **argv)
{
	struct fdp *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	r->rc[0] = mos_sys_open(self, "/data/a", MOS_O_READ, &r->fd[0]);
	r->rc[1] = mos_sys_open(self, "/data/b", MOS_O_RDWR, &r->fd[1]);
	r->rc[2] = mos_sys_open(self, "/data", MOS_O_READ, &r->fd[2]);
	r->rc[3] = mos_sys_close(self, 1);
	r->rc[4] = mos_sys_open(self, "/data/a", MOS_O_WRITE, &r->fd[4]);
	r->rc[5] = mos_sys_dup(self, 0, &r->fd[5]);         /* 3 */
	r->rc[6] = mos_sys_dup2(self, 0, 7);                  /* 7 */
	r->rc[7] = mos_sys_dup2(self, 2, 1);                  /* closes 1 */
	r->rc[8] = mos_sys_dup2(self, 7, 7);                  /* nothing */
	r->rc[9] = mos_sys_close(self, 5);                    /* never open */
	r->rc[10] = mos_sys_close(self, -1);
	r->rc[11] = mos_sys_dup(self, 42, &r->fd[11]);
	r->rc[12] = mos_sys_dup2(self, 5, 6);
	r->rc[13] = mos_sys_dup2(self, 0, -1);
	r->rc[14] = mos_sys_dup(self, 0, NULL);
	r->rc[15] = mos_sys_open(self, NULL, MOS_O_READ, &r->fd[15]);
	r->rc[16] = mos_sys_open(self, "/data/a", MOS_O_READ, NULL);
	r->rc[17] = mos_sys_open(self, "/data/a", 0, &r->fd[17]);
	r->rc[18] = mos_sys_open(self, "/data/a", 0x100 | MOS_O_READ, &r->fd[18]);
	r->rc[19] = mos_sys_open(self, "/data/a", MOS_O_READ | MOS_O_TRUNC,
				 &r->fd[19]);
	r->rc[20] = mos_sys_dup(self, 1, &r->fd[20]);        /* 4 */
	r->rc[21] = mos_sys_close(self, 4);
	r->rc[22] = mos_sys_close(self, 4);
	return 0;
}

Test(res_fd, descriptors_are_the_lowest_free_and_dup2_replaces)
{
	mos_kernel_t *k = t_kernel(NULL);
	struct fdp r;
	mos_rusage_t u;
	mos_pid_t p;

	memset(&r, -1, sizeof(r));
	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 100), 0);
	cr_assert_eq(mos_fs_create(k, "/data/b", 100), 0);
	cr_assert_eq(mos_program_register(k, "numbers", numbers_main), 0);
	p = t_spawn_arg(k, T_ARGV("numbers"), &r);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);

	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.fd[0], 0);
	cr_expect_eq(r.fd[1], 1);
	cr_expect_eq(r.rc[2], 0); /* a directory, for reading */
	cr_expect_eq(r.fd[2], 2);
	cr_expect_eq(r.rc[3], 0);
	cr_expect_eq(r.fd[4], 1); /* the lowest free */
	cr_expect_eq(r.fd[5], 3);
	cr_expect_eq(r.rc[6], 0);
	cr_expect_eq(r.rc[7], 0);
	cr_expect_eq(r.rc[8], 0);
	cr_expect_eq(r.rc[9], MOS_EBADF);
	cr_expect_eq(r.rc[10], MOS_EBADF);
	cr_expect_eq(r.rc[11], MOS_EBADF);
	cr_expect_eq(r.rc[12], MOS_EBADF);
	cr_expect_eq(r.rc[13], MOS_EBADF);
	cr_expect_eq(r.rc[14], MOS_EINVAL);
	cr_expect_eq(r.rc[15], MOS_EINVAL);
	cr_expect_eq(r.rc[16], MOS_EINVAL);
	cr_expect_eq(r.rc[17], MOS_EINVAL);
	cr_expect_eq(r.rc[18], MOS_EINVAL);
	cr_expect_eq(r.rc[19], MOS_EINVAL);
	cr_expect_eq(r.rc[20], 0);
	cr_expect_eq(r.fd[20], 4);
	cr_expect_eq(r.rc[21], 0);
	cr_expect_eq(r.rc[22], MOS_EBADF);

	/* Open now: 0, 1 (the directory), 2, 3, 7; at most 6 at once. */
	u = t_usage(k, p);
	cr_expect_eq(u.fds_open, 0); /* it has exited: all closed */
	cr_expect_eq(u.fds_peak, 6);
	cr_expect_eq(u.limit_violations, 0);
	mos_kernel_destroy(k);
}

static int flags_main(mos_proc_t *self, int argc, char **argv)
{
	struct fdp *r = mos_sys_state(self);
	uint64_t n = 0;

	(void)argc;
	(void)argv;
	r->rc[0] = mos_sys_open(self, "/data/new", MOS_O_WRITE | MOS_O_CREATE,
				&r->fd[0]);
	r->rc[1] = mos_sys_open(self, "/data/new",
				MOS_O_WRITE | MOS_O_CREATE | MOS_O_EXCL,
				&r->fd[1]);
	r->rc[2] = mos_sys_open(self, "/data", MOS_O_WRITE, &r->fd[2]);
	r->rc[3] = mos_sys_open(self, "/data", MOS_O_READ | MOS_O_CREATE,
				&r->fd[3]);
	r->rc[4] = mos_sys_open(self, "/data/missing", MOS_O_READ, &r->fd[4]);
	r->rc[5] = mos_sys_open(self, "/data/a/x", MOS_O_READ, &r->fd[5]);
	r->rc[6] = mos_sys_open(self, "/data/a/", MOS_O_READ, &r->fd[6]);
	r->rc[7] = mos_sys_open(self, "/data/a", MOS_O_WRITE | MOS_O_TRUNC,
				&r->fd[7]);
	r->rc[8] = mos_sys_open(self, "/data", MOS_O_READ, &r->fd[8]);
	r->rc[9] = mos_sys_read(self, r->fd[8], 10, &n);
	r->rc[10] = mos_sys_open(self, "", MOS_O_READ, &r->fd[10]);
	r->rc[11] = mos_sys_open(self, "/data/dir/", MOS_O_WRITE | MOS_O_CREATE,
				 &r->fd[11]);
	return 0;
}

Test(res_fd, open_flags_create_exclude_truncate_and_refuse_directories)
{
	mos_kernel_t *k = t_kernel(NULL);
	struct fdp r;

	memset(&r, -1, sizeof(r));
	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 100), 0);
	cr_assert_eq(mos_program_register(k, "flags", flags_main), 0);
	t_spawn_arg(k, T_ARGV("flags"), &r);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);

	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.fd[0], 0);
	cr_expect_eq(stat_of(k, "/data/new").size, 0);
	cr_expect_eq(r.rc[1], MOS_EEXIST);
	cr_expect_eq(r.rc[2], MOS_EISDIR);
	cr_expect_eq(r.rc[3], MOS_EISDIR);
	cr_expect_eq(r.rc[4], MOS_ENOENT);
	cr_expect_eq(r.rc[5], MOS_ENOTDIR);
	cr_expect_eq(r.rc[6], MOS_ENOTDIR);
	cr_expect_eq(r.rc[7], 0);
	cr_expect_eq(r.fd[7], 1);
	cr_expect_eq(stat_of(k, "/data/a").size, 0);
	cr_expect_eq(r.rc[8], 0);
	cr_expect_eq(r.rc[9], MOS_EISDIR);
	cr_expect_eq(r.rc[10], MOS_ENOENT);
	cr_expect_eq(r.rc[11], MOS_EISDIR);
	cr_expect_eq(stat_of(k, "/data").entries, 2); /* nothing more made */
	mos_kernel_destroy(k);
}

static int chdir_main(mos_proc_t *self, int argc, char **argv)
{
	struct fdp *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	r->rc[0] = mos_sys_open(self, "data/a", MOS_O_READ, &r->fd[0]);
	r->rc[1] = mos_sys_chdir(self, "data");
	r->rc[2] = mos_sys_open(self, "a", MOS_O_READ, &r->fd[2]);
	r->rc[3] = mos_sys_chdir(self, "sub//./");
	r->rc[4] = mos_sys_open(self, "../a", MOS_O_READ, &r->fd[4]);
	r->rc[5] = mos_sys_open(self, "a", MOS_O_READ, &r->fd[5]);
	r->rc[6] = mos_sys_chdir(self, "../a");
	r->rc[7] = mos_sys_chdir(self, "nope");
	r->rc[8] = mos_sys_chdir(self, NULL);
	r->rc[9] = mos_sys_open(self, "made", MOS_O_RDWR | MOS_O_CREATE,
				&r->fd[9]);
	r->rc[10] = mos_sys_chdir(self, "/");
	r->rc[11] = mos_sys_open(self, "data/sub/made", MOS_O_READ, &r->fd[11]);
	r->rc[12] = mos_sys_chdir(self, "../../..");
	r->rc[13] = mos_sys_open(self, "data/a", MOS_O_READ, &r->fd[13]);
	return 0;
}

Test(res_fd, chdir_makes_relative_paths_resolve_from_the_working_directory)
{
	mos_kernel_t *k = t_kernel(NULL);
	struct fdp r;

	memset(&r, -1, sizeof(r));
	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_mkdir(k, "/data/sub"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 100), 0);
	cr_assert_eq(mos_program_register(k, "cd", chdir_main), 0);
	t_spawn_arg(k, T_ARGV("cd"), &r);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);

	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.rc[1], 0);
	cr_expect_eq(r.rc[2], 0);
	cr_expect_eq(r.rc[3], 0);
	cr_expect_eq(r.rc[4], 0);
	cr_expect_eq(r.rc[5], MOS_ENOENT);
	cr_expect_eq(r.rc[6], MOS_ENOTDIR);
	cr_expect_eq(r.rc[7], MOS_ENOENT);
	cr_expect_eq(r.rc[8], MOS_EINVAL);
	cr_expect_eq(r.rc[9], 0);
	cr_expect_eq(r.rc[10], 0);
	cr_expect_eq(r.rc[11], 0);
	cr_expect_eq(r.rc[12], 0); /* the root's parent is the root */
	cr_expect_eq(r.rc[13], 0);
	cr_expect_eq(stat_of(k, "/data/sub").entries, 1);
	mos_kernel_destroy(k);
}

/* ---- inheritance and exit --------------------------------------------- */

struct inherit {
	int rc[8];
	uint64_t done[4];
	int fd;
	mos_pid_t child;
};

static int child_main(mos_proc_t *self, int argc, char **argv)
{
	uint64_t n = 0;
	int fd = -1, rc = 0;

	(void)argc;
	(void)argv;
	/* Descriptor 0 is the parent's, and so is the directory. */
	if (mos_sys_read(self, 0, 10, &n) < 0 || n != 10)
		rc |= 1;
	if (mos_sys_open(self, "a", MOS_O_READ, &fd) < 0 || fd != 2)
		rc |= 2;
	if (mos_sys_close(self, 1) < 0)
		rc |= 4;
	return rc;
}

static int parent_main(mos_proc_t *self, int argc, char **argv)
{
	struct inherit *r = mos_sys_state(self);
	int status = -1;

	(void)argc;
	(void)argv;
	r->rc[0] = mos_sys_open(self, "/data/a", MOS_O_READ, &r->fd);
	r->rc[1] = mos_sys_dup(self, 0, &r->fd);
	r->rc[2] = mos_sys_chdir(self, "/data");
	r->rc[3] = mos_sys_read(self, 0, 10, &r->done[0]);
	r->rc[4] = mos_sys_spawn(self, T_ARGV("child"), &r->child);
	mos_sys_wait(self, &status);
	r->rc[5] = status;
	/* The child read through the shared offset: 20 .. 25 is left. */
	r->rc[6] = mos_sys_read(self, 1, 10, &r->done[1]);
	r->rc[7] = mos_sys_read(self, 0, 10, &r->done[2]);
	return 0;
}

Test(res_fd, spawn_inherits_descriptors_sharing_offsets_and_exit_closes_them)
{
	mos_kernel_t *k = t_kernel(NULL);
	struct inherit r;
	mos_rusage_t u;
	mos_pid_t p;

	memset(&r, 0, sizeof(r));
	cr_assert_eq(mos_fs_mkdir(k, "/data"), 0);
	cr_assert_eq(mos_fs_create(k, "/data/a", 25), 0);
	cr_assert_eq(mos_program_register(k, "parent", parent_main), 0);
	cr_assert_eq(mos_program_register(k, "child", child_main), 0);
	p = t_spawn_arg(k, T_ARGV("parent"), &r);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	for (int i = 0; i < 5; i++)
		cr_expect_eq(r.rc[i], 0, "rc[%d] %d", i, r.rc[i]);
	cr_expect_eq(r.rc[5], 0, "child status %#x", r.rc[5]);
	cr_expect_eq(r.done[0], 10);
	cr_expect_eq(r.rc[6], 0);
	cr_expect_eq(r.done[1], 5);
	cr_expect_eq(r.rc[7], 0);
	cr_expect_eq(r.done[2], 0); /* at the end */

	/* The child's table: 0 and 1 inherited, 2 its own; all closed. */
	u = t_usage(k, r.child);
	cr_expect_eq(u.fds_open, 0);
	cr_expect_eq(u.fds_peak, 3);
	cr_expect_eq(u.read_bytes, 10);
	u = t_usage(k, p);
	cr_expect_eq(u.fds_open, 0);
	cr_expect_eq(u.fds_peak, 2);
	cr_expect_eq(u.read_bytes, 15);
	cr_expect_eq(u.read_ops, 2);
	mos_kernel_destroy(k);
}

/* ---- max_file_descriptors ----------------------------------------------- */

static int nofile_main(mos_proc_t *self, int argc, char **argv)
{
	struct fdp *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	for (int i = 0; i < 4; i++)
		r->rc[i] = mos_sys_open(self, "/a", MOS_O_READ, &r->fd[i]);
	r->rc[4] = mos_sys_dup(self, 0, &r->fd[4]);
	r->rc[5] = mos_sys_dup2(self, 0, 3);
	r->rc[6] = mos_sys_dup2(self, 0, 2);
	r->rc[7] = mos_sys_close(self, 1);
	r->rc[8] = mos_sys_open(self, "/a", MOS_O_READ, &r->fd[8]);
	/* Lowered below what is open: only what comes next is refused. */
	r->rc[9] = mos_sys_setrlimit(self, MOS_RLIMIT_NOFILE, 1, 3);
	r->rc[10] = mos_sys_close(self, 0);
	r->rc[11] = mos_sys_open(self, "/a", MOS_O_READ, &r->fd[11]);
	r->rc[12] = mos_sys_dup(self, 2, &r->fd[12]);
	return 0;
}

Test(res_fd, max_file_descriptors_refuses_the_descriptor_past_it)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_kernel_stats_t ks;
	mos_rlimits_t l;
	struct fdp r;
	char buf[256];
	mos_pid_t p;

	memset(&r, -1, sizeof(r));
	cr_assert_eq(mos_fs_create(k, "/a", 1), 0);
	cr_assert_eq(mos_program_register(k, "nofile", nofile_main), 0);
	p = t_spawn_arg(k, T_ARGV("nofile"), &r);
	mos_rlimits_init(&l);
	l.max_file_descriptors = 3;
	cr_assert_eq(mos_process_set_limits(k, p, &l, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);

	cr_expect_eq(r.rc[0], 0);
	cr_expect_eq(r.rc[1], 0);
	cr_expect_eq(r.rc[2], 0);
	cr_expect_eq(r.fd[2], 2);
	cr_expect_eq(r.rc[3], MOS_ELIMIT);
	cr_expect_eq(r.fd[3], -1);
	cr_expect_eq(r.rc[4], MOS_ELIMIT);
	cr_expect_eq(r.rc[5], MOS_EBADF); /* dup2 past the limit: POSIX */
	cr_expect_eq(r.rc[6], 0);
	cr_expect_eq(r.rc[7], 0);
	cr_expect_eq(r.rc[8], 0);
	cr_expect_eq(r.fd[8], 1);
	cr_expect_eq(r.rc[9], 0);
	cr_expect_eq(r.rc[10], 0);
	cr_expect_eq(r.rc[11], 0); /* 0 is free and below 1 */
	cr_expect_eq(r.fd[11], 0);
	cr_expect_eq(r.rc[12], MOS_ELIMIT);

	cr_expect_eq(t_usage(k, p).limit_violations, 4);
	cr_assert_eq(mos_kernel_stats(k, &ks), 0);
	cr_expect_eq(ks.limit_violations, 4);
	/* pid, MOS_RLIMIT_NOFILE, the count it would have reached, limit */
	cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_LIMIT, 1, buf, sizeof(buf)),
			 "2:2:4:3@0 2:2:4:3@0 2:2:4:3@0 2:2:4:1@0");
	mos_kernel_destroy(k);
}
