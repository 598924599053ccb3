/*
 * bench/peers/probe.c - what the machine charges for the two things the
 * figures depend on most, for bench/run.sh's machine line: one system
 * call (getppid through syscall(2), so nothing is cached) and one first
 * touch of an anonymous page (a minor page fault).  On bare metal these
 * are ~100 ns and ~1 us; on some virtual machines ten times more, which
 * moves every peer that makes system calls or touches fresh stacks.
 *
 *   probe     prints {"bench":"probe","syscall_ns":..,"page_fault_ns":..}
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../bench.h"

#define CALLS 100000
#define PAGES 16384

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	double t0, sc, pf;
	char *p;

	t0 = bench_now_ns();
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
	sc = (bench_now_ns() - t0) / CALLS;
	p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("probe");
		return 1;
	}
	t0 = bench_now_ns();
	for (size_t i = 0; i < PAGES; i++)
		p[i * page] = 1;
	pf = (bench_now_ns() - t0) / PAGES;
	printf("{\"bench\":\"probe\",\"syscall_ns\":%.0f,\"page_fault_ns\":%.0f}\n",
	       sc, pf);
	return 0;
}
