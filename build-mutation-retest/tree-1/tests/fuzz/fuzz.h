/*
 * tests/fuzz/fuzz.h - what the fuzz harnesses share.
 *
 * Each harness (config.c, workload.c, run.c) defines LLVMFuzzerTestOneInput.
 * It is linked either with libFuzzer (`make fuzz`, clang) or with
 * replay.c, which feeds it every file of a corpus directory (`make check`,
 * any compiler).  Neither is part of the library.  docs/TESTING.md has the
 * details.  A harness is one process per input under replay but many
 * inputs per process under libFuzzer: it must free what it allocates.
 */
#ifndef MULTIOS_TESTS_FUZZ_H
#define MULTIOS_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <multios/error.h>
#include <multios/sched.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The loaders take a path: put data in an in-memory file (memfd) and
 * return a path that opens it, "/proc/self/fd/N".  The file is reused, so
 * the path is valid until the next call.  Aborts if the host refuses.
 */
const char *fuzz_input_path(const uint8_t *data, size_t size);

/* An invariant does not hold: print what (printf-style) and abort(), which
 * libFuzzer and the replay both report as a crash on this input. */
void fuzz_fail(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#define FUZZ_CHECK(cond, ...)                 \
	do {                                  \
		if (!(cond))                  \
			fuzz_fail(__VA_ARGS__); \
	} while (0)

/* What a failed loader call must leave in err: code rc, a message that is
 * NUL-terminated and not empty, a syntax position only without a path. */
void fuzz_check_error(const mos_error_t *err, int rc);

/* A loaded workload keeps the rules of the file format (multios/sched.h):
 * names set, unique and terminated; tick and tickets in range; periodic
 * tasks with period, wcet, deadline and jobs >= 1 and no bursts; others
 * with bursts of >= 1 tick alternating from CPU; a policy that
 * mos_config_validate accepts. */
void fuzz_check_workload(const mos_workload_t *w);

#endif
