/*
 * tests/timeout.h - the time bound of every test.
 *
 * Criterion kills a test that outlives its .timeout and reports it as a
 * failure, but only for tests (or suites) that declare one: a fault that
 * makes the kernel spin would otherwise hang `make check` for ever.  So
 * every suite declares TestSuite(name, .timeout = T_TIMEOUT) and
 * tests/check_timeouts.sh fails the build when one does not.  The bound
 * is generous: the slowest ordinary test takes well under a second, a
 * few seconds with SAN=1 on two busy cores.  Tests that need longer
 * declare their own, larger .timeout.
 */
#ifndef MOS_TESTS_TIMEOUT_H
#define MOS_TESTS_TIMEOUT_H

#define T_TIMEOUT 30.0

#endif
