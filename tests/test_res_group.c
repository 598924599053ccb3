/*
 * tests/test_res_group.c - resource groups (multios/resource.h): the tree,
 * names and paths, membership and its inheritance, pids.max (zombies
 * count until reaped; an ancestor's limit applies), attach's checks, and
 * the validation of mos_group_set.  memory.max, cpu.max, cpu.weight and
 * io.max have their tests with the memory manager, the CPU bandwidth and
 * the device.
 */
#include <string.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(res_group, .timeout = T_TIMEOUT);

static mos_group_id_t make_group(mos_kernel_t *k, mos_group_id_t parent,
				 const char *name)
{
	mos_group_id_t id = 0;

	cr_assert_eq(mos_group_create(k, parent, name, &id), 0);
	return id;
}

static mos_group_id_t group_of(mos_kernel_t *k, mos_pid_t pid)
{
	mos_rusage_t u;

	cr_assert_eq(mos_process_get_stats(k, pid, &u), 0);
	return u.group;
}

Test(res_group, tree_names_and_paths)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t a, b, c, id = 99;
	mos_group_info_t in;

	a = make_group(k, 0, "tenants");
	b = make_group(k, a, "alice");
	c = make_group(k, a, "bob");
	cr_expect_eq(a, 1);
	cr_expect_eq(b, 2);
	cr_expect_eq(c, 3);

	cr_expect_eq(mos_group_create(k, a, "alice", &id), MOS_EEXIST);
	cr_expect_eq(mos_group_create(k, 0, "alice", &id), 0); /* other parent */
	cr_expect_eq(id, 4);
	cr_expect_eq(mos_group_create(k, 9, "x", &id), MOS_ENOENT);
	cr_expect_eq(mos_group_create(k, 0, "", &id), MOS_EINVAL);
	cr_expect_eq(mos_group_create(k, 0, "a/b", &id), MOS_EINVAL);
	cr_expect_eq(mos_group_create(k, 0,
				      "0123456789012345678901234567890123",
				      &id), MOS_EINVAL);
	cr_expect_eq(mos_group_create(k, 0, NULL, &id), MOS_EINVAL);
	cr_expect_eq(mos_group_create(k, 0, "y", NULL), MOS_EINVAL);
	cr_expect_eq(id, 4, "a failed create leaves *id alone");

	cr_assert_eq(mos_group_find(k, "tenants/bob", &id), 0);
	cr_expect_eq(id, c);
	cr_assert_eq(mos_group_find(k, "", &id), 0);
	cr_expect_eq(id, 0);
	cr_expect_eq(mos_group_find(k, "tenants/carol", &id), MOS_ENOENT);
	cr_expect_eq(mos_group_find(k, "tenants//bob", &id), MOS_EINVAL);
	cr_expect_eq(mos_group_find(k, "tenants/", &id), MOS_EINVAL);

	in = t_group(k, b);
	cr_expect_str_eq(in.name, "alice");
	cr_expect_eq(in.parent, a);
	cr_expect_eq(in.limits.pids_max, MOS_RLIM32_INFINITY);
	cr_expect_eq(in.limits.cpu_period, 100 * MOS_MSEC);
	cr_expect_eq(in.limits.cpu_weight, 100);
	cr_expect_eq(mos_group_get(k, 17, &in), MOS_ENOENT);
	/* init is in the root. */
	cr_expect_eq(t_group(k, 0).pids_current, 1);
	mos_kernel_destroy(k);
}

static int spawn_two_main(mos_proc_t *self, int argc, char **argv)
{
	int *rc = mos_sys_state(self);
	mos_pid_t pid;

	(void)argc;
	(void)argv;
	rc[0] = mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &pid);
	rc[1] = mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &pid);
	mos_sys_sleep(self, MS(20));
	/* Both children are zombies now (nobody waited): still counted. */
	rc[2] = mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &pid);
	mos_sys_wait(self, NULL);
	rc[3] = mos_sys_spawn(self, T_ARGV("sleep", "10ms"), &pid);
	return 0;
}

Test(res_group, pids_max_counts_zombies_and_applies_from_ancestors)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t top = make_group(k, 0, "top");
	mos_group_id_t leaf = make_group(k, top, "leaf");
	mos_group_limits_t l;
	int rc[4] = {9, 9, 9, 9};
	mos_pid_t p;

	mos_group_limits_init(&l);
	l.pids_max = 3;
	cr_assert_eq(mos_group_set(k, top, &l), 0);
	cr_assert_eq(mos_program_register(k, "spawn2", spawn_two_main), 0);
	p = t_spawn_arg(k, T_ARGV("spawn2"), rc);
	cr_assert_eq(mos_group_attach(k, leaf, p), 0);
	cr_expect_eq(group_of(k, p), leaf);
	cr_expect_eq(t_group(k, top).pids_current, 1);
	cr_expect_eq(t_group(k, leaf).pids_current, 1);
	cr_expect_eq(t_group(k, 0).pids_current, 2);

	cr_assert_eq(mos_kernel_run(k, MS(15)), 0);
	cr_expect_eq(rc[0], 0);
	cr_expect_eq(rc[1], 0);
	cr_expect_eq(t_group(k, leaf).pids_current, 3);
	cr_expect_eq(group_of(k, p + 1), leaf, "a child starts in its parent's");
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_expect_eq(rc[2], MOS_EEXHAUSTED);
	cr_expect_eq(rc[3], 0);
	/* The refusal is the creator's violation: pids.max (9), the count it
	 * would have reached (4: p, its two children and the third), the
	 * limit. */
	cr_expect_eq(t_usage(k, p).limit_violations, 1);
	cr_expect_eq(t_kstats(k).limit_violations, 1);
	{
		char buf[128];

		cr_expect_str_eq(t_trace_kind(k, MOS_TRACE_LIMIT, MOS_MSEC,
					      buf, sizeof(buf)),
				 "2:9:4:3@20");
	}
	/* Everything under it is gone; init stays in the root. */
	cr_expect_eq(t_group(k, top).pids_current, 0);
	cr_expect_eq(t_group(k, 0).pids_current, 1);
	mos_kernel_destroy(k);
}

Test(res_group, attach_checks_the_destination_and_moves_the_counts)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = make_group(k, 0, "g");
	mos_group_limits_t l;
	mos_pid_t a = t_spawn(k, T_ARGV("idle"));
	mos_pid_t b = t_spawn(k, T_ARGV("idle"));

	mos_group_limits_init(&l);
	l.pids_max = 1;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	cr_assert_eq(mos_group_attach(k, g, a), 0);
	cr_assert_eq(mos_group_attach(k, g, a), 0); /* already there */
	cr_expect_eq(mos_group_attach(k, g, b), MOS_EEXHAUSTED);
	cr_expect_eq(group_of(k, b), 0);
	cr_expect_eq(mos_group_attach(k, 5, b), MOS_ENOENT);
	cr_expect_eq(mos_group_attach(k, g, 0), MOS_EINVALPID);
	cr_expect_eq(mos_group_attach(k, g, 40), MOS_EPROCNOTFOUND);
	cr_expect_eq(mos_group_attach(NULL, g, b), MOS_EINVAL);
	cr_assert_eq(mos_group_attach(k, 0, a), 0); /* back to the root */
	cr_expect_eq(t_group(k, g).pids_current, 0);
	cr_expect_eq(t_group(k, 0).pids_current, 3);
	cr_assert_eq(mos_group_attach(k, g, b), 0);
	cr_expect_eq(t_group(k, g).pids_current, 1);
	mos_kernel_destroy(k);
}

Test(res_group, set_validates_every_field)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_group_id_t g = make_group(k, 0, "g");
	mos_group_limits_t l, ok;
	mos_group_info_t in;

	mos_group_limits_init(&ok);
	l = ok;
	l.cpu_period = MOS_MSEC - 1;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	l.cpu_period = MOS_SEC + 1;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	l = ok;
	l.cpu_quota = 0;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	l = ok;
	l.cpu_weight = 0;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	l.cpu_weight = 10001;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	l = ok;
	l.io_read_bps = 0;
	cr_expect_eq(mos_group_set(k, g, &l), MOS_EINVAL);
	cr_expect_eq(mos_group_set(k, 0, &ok), MOS_EINVAL, "the root has none");
	cr_expect_eq(mos_group_set(k, 8, &ok), MOS_ENOENT);
	cr_expect_eq(mos_group_set(k, g, NULL), MOS_EINVAL);
	in = t_group(k, g);
	cr_expect_eq(memcmp(&in.limits, &ok, sizeof(ok)), 0);

	l = ok;
	l.cpu_quota = 20 * MOS_MSEC;
	l.cpu_weight = 200;
	l.memory_max = 1 << 20;
	cr_assert_eq(mos_group_set(k, g, &l), 0);
	in = t_group(k, g);
	cr_expect_eq(memcmp(&in.limits, &l, sizeof(l)), 0);
	mos_kernel_destroy(k);
}
