/*
 * bench/peers/os.c - ping-pong between two kernel-scheduled tasks pinned
 * to the same CPU, for bench/run.sh: the cost of letting Linux switch.
 *
 *   os --variant pthread --rounds K    two threads, two POSIX semaphores
 *   os --variant pipe --rounds K       two processes, two pipes, 1 byte
 *
 * Both tasks are pinned to one CPU (the first of this process's affinity
 * mask, or --cpu C) with pthread_setaffinity_np / sched_setaffinity, so
 * every hand-over is a real context switch rather than a wake-up on the
 * other core.  After 1 000 warm-up round trips the clock runs over K round
 * trips = 2K switches: ns per switch = time / 2K.  One sample, as
 * bench.h's JSON line.
 */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bench.h"

#define WARMUP 1000

static sem_t ping, pong;
static unsigned long long rounds;

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static void *ponger(void *arg)
{
	(void)arg;
	for (unsigned long long i = 0; i < WARMUP + rounds; i++) {
		sem_wait(&ping);
		sem_post(&pong);
	}
	return NULL;
}

static double threads(int cpu)
{
	pthread_t t;
	cpu_set_t set;
	double t0 = 0;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	if (pin(cpu) < 0 || pthread_create(&t, NULL, ponger, NULL) != 0 ||
	    pthread_setaffinity_np(t, sizeof(set), &set) != 0)
		return -1;
	for (unsigned long long i = 0; i < WARMUP + rounds; i++) {
		if (i == WARMUP)
			t0 = bench_now_ns();
		sem_post(&ping);
		sem_wait(&pong);
	}
	t0 = bench_now_ns() - t0;
	pthread_join(t, NULL);
	return t0;
}

static double pipes(int cpu)
{
	int a[2], b[2], status;
	char c = 0;
	pid_t child;
	double t0 = 0;

	if (pin(cpu) < 0 || pipe(a) < 0 || pipe(b) < 0 || (child = fork()) < 0)
		return -1;
	if (child == 0) {
		for (unsigned long long i = 0; i < WARMUP + rounds; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (unsigned long long i = 0; i < WARMUP + rounds; i++) {
		if (i == WARMUP)
			t0 = bench_now_ns();
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			return -1;
	}
	t0 = bench_now_ns() - t0;
	if (waitpid(child, &status, 0) < 0 || status != 0)
		return -1;
	return t0;
}

int main(int argc, char **argv)
{
	const char *variant = bench_sarg(argc, argv, "--variant", "pthread");
	int is_pipe = strcmp(variant, "pipe") == 0;
	cpu_set_t set;
	int cpu = 0;
	double ns;

	rounds = bench_arg(argc, argv, "--rounds", 10000);
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		while (cpu < CPU_SETSIZE - 1 && !CPU_ISSET(cpu, &set))
			cpu++;
	cpu = (int)bench_arg(argc, argv, "--cpu", (unsigned long long)cpu);
	if (rounds < 1)
		return 2;
	ns = is_pipe ? pipes(cpu) : threads(cpu);
	if (ns < 0) {
		perror(is_pipe ? "os: pipe" : "os: pthread");
		return 1;
	}
	ns /= 2.0 * (double)rounds;
	bench_print("yield", is_pipe ? "processes" : "pthreads",
		    is_pipe ? "pipes" : "semaphores", "linux", 2, rounds,
		    "ns_per_switch", &ns, 1, NULL);
	return 0;
}
