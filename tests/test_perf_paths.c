/*
 * tests/test_perf_paths.c - what made whole runs cheap must not change
 * what a run does: mos_service_instance_pids, the control-block pool's
 * lazy slabs (reuse, no allocation once warm), and the pid table that is
 * allocated in doubling prefixes (pids, lookups, walks and their order).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "timeout.h"

TestSuite(perf_paths, .timeout = T_TIMEOUT);

/* ---- a counting allocator ----------------------------------------------- */

typedef struct pcount {
	long requests;  /* malloc and realloc calls */
	long fail_at;   /* the request to refuse (1-based); 0: none */
} pcount_t;

static bool refused(pcount_t *c)
{
	return ++c->requests == c->fail_at;
}

static void *p_malloc(void *ud, size_t n)
{
	return refused(ud) ? NULL : malloc(n);
}

static void *p_realloc(void *ud, void *p, size_t n)
{
	return refused(ud) ? NULL : realloc(p, n);
}

static void p_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static mos_kernel_t *counted_kernel(pcount_t *c, uint32_t max_processes)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	cfg.alloc = (mos_allocator_t){p_malloc, p_realloc, p_free, c};
	cfg.history_size = 0;
	if (max_processes)
		cfg.max_processes = max_processes;
	return t_kernel(&cfg);
}

/* Create a process that computes 1 ms and exits, run it to its end (init
 * reaps it; others may sleep on): its pid. */
static mos_pid_t cycle(mos_kernel_t *k)
{
	mos_pid_t pid = t_spawn(k, T_ARGV("cpu", "1ms"));

	cr_assert_eq(mos_kernel_run(k, mos_kernel_now(k) + MS(2)), 0);
	cr_assert_eq(mos_process_get_info(k, pid, &(mos_process_info_t){0}),
		     MOS_EPROCNOTFOUND, "pid %d was not reaped", pid);
	return pid;
}

/* ---- mos_service_instance_pids ------------------------------------------ */

Test(perf_paths, instance_pids_errors)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("web", t_idle_cmd);
	mos_service_id_t id = t_reg(k, &d);
	mos_pid_t pids[2] = {-1, -1};
	size_t n = 99;

	cr_assert_eq(mos_service_instance_pids(NULL, id, pids, 2, &n),
		     MOS_EINVAL);
	cr_assert_eq(mos_service_instance_pids(k, id, NULL, 2, &n), MOS_EINVAL);
	cr_assert_eq(n, 99, "a refused call wrote *n");
	cr_assert_eq(mos_service_instance_pids(k, id + 100, pids, 2, &n),
		     MOS_ESVCNOTFOUND);
	cr_assert_eq(mos_service_instance_pids(k, 0, pids, 2, &n),
		     MOS_ESVCNOTFOUND);
	cr_assert_eq(pids[0], -1);
	cr_assert_eq(n, 99);
	/* Just the count: no buffer. */
	cr_assert_eq(mos_service_instance_pids(k, id, NULL, 0, &n), 0);
	cr_assert_eq(n, 1);
	/* Not started: its one slot has no process. */
	cr_assert_eq(mos_service_instance_pids(k, id, pids, 2, NULL), 0);
	cr_assert_eq(pids[0], 0);
	cr_assert_eq(pids[1], -1, "wrote past the instances");
	mos_kernel_destroy(k);
}

Test(perf_paths, instance_pids_are_the_instances_pids)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_service_descriptor_t d = t_desc("web", t_idle_cmd);
	mos_service_id_t id;
	mos_pid_t pids[4] = {-1, -1, -1, -1};
	size_t n = 0;

	d.instances = 3;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	cr_assert_eq(mos_service_instance_pids(k, id, pids, 4, &n), 0);
	cr_assert_eq(n, 3);
	/* init is 1; the instances are the next three pids, slot order. */
	cr_assert_eq(pids[0], 2);
	cr_assert_eq(pids[1], 3);
	cr_assert_eq(pids[2], 4);
	cr_assert_eq(pids[3], -1);
	for (uint32_t i = 0; i < 3; i++)
		cr_assert_eq(pids[i], t_inst(k, id, i).pid, "slot %u", i);
	/* A short buffer gets the first slots and the whole count. */
	memset(pids, 0xff, sizeof(pids));
	cr_assert_eq(mos_service_instance_pids(k, id, pids, 2, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(pids[0], 2);
	cr_assert_eq(pids[1], 3);
	cr_assert_eq(pids[2], -1);
	/* Stopped: every slot empty. */
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, mos_kernel_now(k) + MOS_SEC * 30), 0);
	cr_assert_eq(mos_service_instance_pids(k, id, pids, 4, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(pids[0], 0);
	cr_assert_eq(pids[1], 0);
	cr_assert_eq(pids[2], 0);
	mos_kernel_destroy(k);
}

/* ---- the control-block pool --------------------------------------------- */

/* Hundreds of live processes cross several slabs (16, 32, 64, 128, 256,
 * 256 blocks); after they are gone the same number again comes from the
 * pool alone: no allocation at all (max_processes 1024: the pid table is
 * whole from the start).  The second round's pids wrap past the table:
 * 1 024 takes slot 0, 1 025 (init's slot) is skipped. */
Test(perf_paths, pcb_pool_reuses_blocks_across_slabs)
{
	pcount_t c = {0};
	mos_kernel_t *k = counted_kernel(&c, 1024);
	mos_pid_t pids[600];
	size_t n = 0;

	for (int round = 0; round < 2; round++) {
		long before = c.requests;

		for (int i = 0; i < 600; i++)
			pids[i] = t_spawn(k, T_ARGV("sleep", "1s"));
		if (round == 1)
			cr_assert_eq(c.requests, before,
				     "round 2 allocated %ld times",
				     c.requests - before);
		cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
		cr_assert_eq(n, 601);
		for (int i = 0; i < 600; i++) {
			mos_pid_t want = (mos_pid_t)(2 + round * 600 + i);

			if (want > 1024)
				want++;
			cr_assert_eq(pids[i], want, "round %d, process %d",
				     round, i);
			cr_assert_eq(t_info(k, pids[i]).state, MOS_STATE_READY);
		}
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_eq(mos_process_list(k, NULL, 0, &n), 0);
		cr_assert_eq(n, 1, "only init is left");
	}
	mos_kernel_destroy(k);
}

/* ---- the pid table ------------------------------------------------------ */

/* With the default 65 536 pids the table starts with 1 024 slots and
 * doubles when a pid needs a further one: from pid 102 to pid 5 101 a
 * create-run-reap cycle allocates exactly three times (the table to
 * 2 048, 4 096 and 8 192 slots), and nothing else. */
Test(perf_paths, pid_table_grows_only_by_doubling)
{
	pcount_t c = {0};
	mos_kernel_t *k = counted_kernel(&c, 0);
	long before;

	for (int i = 0; i < 100; i++)
		cr_assert_eq(cycle(k), 2 + i);
	before = c.requests;
	for (int i = 100; i < 5100; i++)
		cr_assert_eq(cycle(k), 2 + i);
	cr_assert_eq(c.requests - before, 3);
	/* Warm now: another thousand cycles allocate nothing. */
	before = c.requests;
	for (int i = 5100; i < 6100; i++)
		cr_assert_eq(cycle(k), 2 + i);
	cr_assert_eq(c.requests, before);
	mos_kernel_destroy(k);
}

/* A create whose pid needs the table to grow, refused that memory, fails
 * with MOS_ENOMEM and changes nothing: the next create gets the same pid,
 * and lookups, listings and a group kill see every process. */
Test(perf_paths, pid_table_growth_refused)
{
	pcount_t c = {0};
	mos_kernel_t *k = counted_kernel(&c, 0);
	mos_process_spec_t spec;
	mos_pid_t low, pid = -7, list[4];
	size_t n = 0;

	low = t_spawn(k, T_ARGV("sleep", "1000s")); /* pid 2, slot 2 */
	cr_assert_eq(low, 2);
	for (int i = 3; i < 1024; i++)
		cr_assert_eq(cycle(k), i);
	/* Pid 1024 is the first beyond the table's 1 024 slots. */
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("sleep", "10s");
	c.fail_at = c.requests + 1;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_ENOMEM);
	cr_assert_eq(pid, -7);
	cr_assert_eq(mos_process_list(k, list, 4, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(mos_process_get_info(k, 1024, &(mos_process_info_t){0}),
		     MOS_EPROCNOTFOUND);
	c.fail_at = 0;
	pid = t_make(k, &spec);
	cr_assert_eq(pid, 1024, "the refused create used up pid %d", pid);
	cr_assert_eq(t_info(k, pid).state, MOS_STATE_READY);
	cr_assert_eq(mos_process_list(k, list, 4, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(list[0], 1);
	cr_assert_eq(list[1], 2);
	cr_assert_eq(list[2], 1024);
	/* Both sleepers, at both ends of the table, end on time. */
	cr_assert_eq(mos_process_terminate(k, low, false), 0);
	cr_assert_eq(mos_process_terminate(k, pid, false), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_process_list(k, list, 4, &n), 0);
	cr_assert_eq(n, 1);
	mos_kernel_destroy(k);
}
