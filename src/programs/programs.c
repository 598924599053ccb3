/*
 * src/programs/programs.c - the built-in programs: idle, cpu, sleep, io,
 * crash, leak.
 *
 * Each checks its arguments in a prepare hook, so a bad command fails at
 * create time with MOS_ECONFIG.  cpu and sleep keep their one duration in
 * the state pointer itself, so creating them allocates nothing; io and
 * crash keep a small struct, from the kernel's allocator, that the kernel
 * releases however the process dies.  (script lives in script.c.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multios/multios.h"
#include "programs.h"
#include "util/alloc.h"
#include "util/timemath.h"

typedef struct args {
	mos_time_t d[2];
	long n;
} args_t;

/* Parse argv[1..] as durations (or a count where `counts` marks it). */
static int parse_args(const mos_allocator_t *alloc, int argc, char **argv,
		      int min, int max, const char *counts, void **state)
{
	args_t *a;

	if (argc - 1 < min || argc - 1 > max)
		return MOS_EINVAL;
	if (!(a = mos__calloc(alloc, 1, sizeof(*a))))
		return MOS_ENOMEM;
	for (int i = 1, di = 0; i < argc; i++) {
		char *end;
		if (counts[i - 1] == 'n') {
			a->n = strtol(argv[i], &end, 10);
			if (*end || end == argv[i] || a->n < 0) {
				mos__free(alloc, a);
				return MOS_EINVAL;
			}
		} else if (mos_duration_parse(argv[i], &a->d[di++]) < 0) {
			mos__free(alloc, a);
			return MOS_EINVAL;
		}
	}
	*state = a;
	return 0;
}

static void release_args(const mos_allocator_t *alloc, void *state)
{
	mos__free(alloc, state);
}

static int prep_none(const mos_allocator_t *alloc, int argc, char **argv,
		     void **state)
{
	(void)alloc;
	(void)argv;
	*state = NULL;
	return argc == 1 ? 0 : MOS_EINVAL;
}

/* One duration, carried in the pointer: no allocation. */
_Static_assert(sizeof(uintptr_t) >= sizeof(mos_time_t),
	       "a duration must fit in the state pointer");

static int prep_one(const mos_allocator_t *alloc, int argc, char **argv,
		    void **state)
{
	mos_time_t d;

	(void)alloc;
	if (argc != 2 || mos_duration_parse(argv[1], &d) < 0)
		return MOS_EINVAL;
	*state = (void *)(uintptr_t)d;
	return 0;
}

static mos_time_t one_duration(mos_proc_t *self)
{
	return (mos_time_t)(uintptr_t)mos_sys_state(self);
}

static int prep_io(const mos_allocator_t *alloc, int argc, char **argv,
		   void **state)
{
	return parse_args(alloc, argc, argv, 3, 3, "ddn", state);
}

/* crash [CODE [AFTER]]: CODE is a count, AFTER a duration. */
static int prep_crash(const mos_allocator_t *alloc, int argc, char **argv,
		      void **state)
{
	int err = parse_args(alloc, argc, argv, 0, 2, "nd", state);
	args_t *a = *state;

	if (err == 0 && argc < 2)
		a->n = 1;
	if (err == 0 && a->n > 255) {
		mos__free(alloc, a);
		return MOS_EINVAL;
	}
	return err;
}

static int idle_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	while (mos_sys_sleep(self, MOS_TIME_NEVER) == 0)
		;
	return 0;
}

static int cpu_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_compute(self, one_duration(self));
	return 0;
}

static int sleep_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mos_sys_sleep(self, one_duration(self));
	return 0;
}

static int io_main(mos_proc_t *self, int argc, char **argv)
{
	const args_t *a = mos_sys_state(self);
	(void)argc;
	(void)argv;
	for (long i = 0; i < a->n; i++) {
		mos_sys_compute(self, a->d[0]);
		mos_sys_sleep(self, a->d[1]);
	}
	return 0;
}

static int crash_main(mos_proc_t *self, int argc, char **argv)
{
	const args_t *a = mos_sys_state(self);
	(void)argc;
	(void)argv;
	mos_sys_compute(self, a->d[0]);
	return (int)a->n;
}

/* leak RATE [CHUNK]: RATE allocations a second (1 .. 10^9), of CHUNK
 * bytes (a size, 4096 by default). */
typedef struct leak {
	uint64_t rate, chunk;
} leak_t;

static int prep_leak(const mos_allocator_t *alloc, int argc, char **argv,
		     void **state)
{
	uint64_t rate, chunk = 4096;
	leak_t *l;

	if (argc < 2 || argc > 3 || mos_size_parse(argv[1], &rate) < 0 ||
	    rate == 0 || rate > MOS_SEC || argv[1][strspn(argv[1], "0123456789")])
		return MOS_EINVAL;
	if (argc == 3 && (mos_size_parse(argv[2], &chunk) < 0 || chunk == 0))
		return MOS_EINVAL;
	if (!(l = mos__malloc(alloc, sizeof(*l))))
		return MOS_ENOMEM;
	l->rate = rate;
	l->chunk = chunk;
	*state = l;
	return 0;
}

mos_time_t mos__program_due(mos_time_t start, uint64_t n, uint64_t rate)
{
	mos_time_t whole, part = (n % rate) * MOS_SEC / rate;

	if (!mos__time_mul(n / rate, MOS_SEC, &whole))
		return MOS_TIME_NEVER;
	return mos__time_add_sat(start, mos__time_add_sat(whole, part));
}

static int leak_main(mos_proc_t *self, int argc, char **argv)
{
	const leak_t *l = mos_sys_state(self);
	mos_time_t start = mos_sys_now(self), due, now;
	mos_mem_handle_t h;
	(void)argc;
	(void)argv;
	for (uint64_t n = 1;; n++) {
		if (mos_sys_alloc(self, l->chunk, &h) < 0)
			return 1;
		due = mos__program_due(start, n, l->rate);
		while ((now = mos_sys_now(self)) < due)
			mos_sys_sleep(self, due == MOS_TIME_NEVER ? due : due - now);
	}
}

static const mos_program_t builtins[] = {
	{"idle", idle_main, prep_none, NULL},
	{"cpu", cpu_main, prep_one, NULL},
	{"sleep", sleep_main, prep_one, NULL},
	{"io", io_main, prep_io, release_args},
	{"crash", crash_main, prep_crash, release_args},
	{"leak", leak_main, prep_leak, release_args},
};

int mos__programs_builtin(mos_kernel_t *k)
{
	int err;

	for (size_t i = 0; i < sizeof(builtins) / sizeof(*builtins); i++)
		if ((err = mos_program_register_ex(k, &builtins[i])) < 0)
			return err;
	if ((err = mos__program_discovery_register(k)) < 0)
		return err;
	if ((err = mos__programs_net_register(k)) < 0)
		return err;
	return mos__program_script_register(k);
}
