/*
 * tests/test_res_usage.c - issue 11's first acceptance point: one script
 * program that opens, allocates, frees, computes, reads, writes and
 * closes gives exactly the expected counters, field by field, with a
 * non-zero system call cost table.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "timeout.h"

/* The costs, distinct so that a call charged twice or under another
 * number shows. */
#define C_OPEN 1000
#define C_ALLOC 2000
#define C_FREE 3000
#define C_COMPUTE 4000
#define C_READ 5000
#define C_WRITE 6000
#define C_CLOSE 7000

/* The default device: latency 100 us, 10^8 bytes/s. */
#define READ_TIME (100000 + 40960)  /* 4 096 bytes */
#define WRITE_TIME (100000 + 81920) /* 8 192 bytes */

TestSuite(res_usage, .timeout = T_TIMEOUT);

Test(res_usage, a_script_gives_exact_counters_with_a_cost_table)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	mos_rusage_t u;
	mos_fs_stat_t fst;
	mos_kernel_stats_t st;
	mos_pid_t pid;
	mos_time_t sys = C_OPEN + 2 * C_ALLOC + C_FREE + C_COMPUTE + C_READ +
			 C_WRITE + C_CLOSE;

	mos_config_default(&cfg);
	cfg.res.syscall_cost[MOS_SYS_OPEN] = C_OPEN;
	cfg.res.syscall_cost[MOS_SYS_ALLOC] = C_ALLOC;
	cfg.res.syscall_cost[MOS_SYS_FREE] = C_FREE;
	cfg.res.syscall_cost[MOS_SYS_COMPUTE] = C_COMPUTE;
	cfg.res.syscall_cost[MOS_SYS_READ] = C_READ;
	cfg.res.syscall_cost[MOS_SYS_WRITE] = C_WRITE;
	cfg.res.syscall_cost[MOS_SYS_CLOSE] = C_CLOSE;
	k = t_kernel(&cfg);
	cr_assert_eq(mos_fs_create(k, "/f", 4096), 0);
	pid = t_spawn(k, T_ARGV("script",
				"[{\"open\":\"/f\"},{\"alloc\":\"64KiB\"},"
				"{\"alloc\":\"4KiB\"},{\"free\":1},"
				"{\"compute\":\"10ms\"},{\"read\":\"4KiB\"},"
				"{\"write\":\"8KiB\"},{\"close\":\"last\"}]"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);

	cr_expect_eq(t_info(k, pid).times.finished,
		     sys + MS(10) + READ_TIME + WRITE_TIME);
	cr_assert_eq(mos_process_get_stats(k, pid, &u), 0);
	/* Memory: everything given back at exit, the peaks kept. */
	cr_expect_eq(u.heap_current, 0);
	cr_expect_eq(u.heap_peak, 65536 + 4096);
	cr_expect_eq(u.memory_current, 0);
	cr_expect_eq(u.memory_peak, 65536 + 4096);
	cr_expect_eq(u.stack_current, 0);
	cr_expect_eq(u.stack_peak, 0);
	cr_expect_eq(u.allocations, 0);
	/* CPU. */
	cr_expect_eq(u.cpu_user, MS(10));
	cr_expect_eq(u.cpu_system, sys, "%llu", (unsigned long long)u.cpu_system);
	cr_expect_eq(u.cpu_total, MS(10) + sys);
	/* I/O: the write went on at the read's end of the file. */
	cr_expect_eq(u.read_bytes, 4096);
	cr_expect_eq(u.write_bytes, 8192);
	cr_expect_eq(u.read_ops, 1);
	cr_expect_eq(u.write_ops, 1);
	cr_expect_eq(u.io_wait, READ_TIME + WRITE_TIME);
	cr_assert_eq(mos_fs_stat(k, "/f", &fst), 0);
	cr_expect_eq(fst.size, 4096 + 8192);
	/* Descriptors, switches, signals, limits. */
	cr_expect_eq(u.fds_open, 0);
	cr_expect_eq(u.fds_peak, 1);
	cr_expect_eq(u.voluntary_switches, 2, "the two device waits");
	cr_expect_eq(u.limit_violations, 0);
	cr_expect_eq(u.signals.received, 0);
	cr_expect_eq(u.group, 0);
	cr_expect_eq(u.ioprio, MOS_IOPRIO_DEFAULT);
	/* The machine. */
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_expect_eq(st.memory_used, 0);
	cr_expect_eq(st.memory_peak, 65536 + 4096);
	cr_expect_eq(st.io_requests, 2);
	mos_kernel_destroy(k);
}
