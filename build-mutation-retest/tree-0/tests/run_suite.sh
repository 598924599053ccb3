#!/bin/sh
# run_suite.sh - run the Criterion test binary and fail on a leak.
#
# Usage: tests/run_suite.sh TESTS [CRITERION OPTIONS...]
#
# Criterion runs each test in a process of its own.  Under the sanitizers
# (SAN=1), LeakSanitizer checks that process when it exits, after the test
# has reported success, and Criterion counts the test as passed whatever
# LeakSanitizer finds (it only warns when the process dies).  So this
# script keeps the run's output and fails the run when it holds a
# LeakSanitizer report of a leak with a frame outside Criterion.  Reports
# whose every frame is in libcriterion are Criterion's own runner (it
# keeps each TestSuite's configuration to the end) and are ignored: a
# suppression cannot single them out, since every test's allocations
# have libcriterion frames below them too.  Other sanitizer errors abort
# the test's process while it runs; Criterion counts those as crashes.
set -u

[ $# -ge 1 ] || { echo "usage: run_suite.sh TESTS [OPTIONS...]" >&2; exit 2; }
log=$(mktemp)
rcf=$(mktemp)
trap 'rm -f "$log" "$rcf"' EXIT
# The verdict on leaks is this script's: LeakSanitizer must not change
# the runner's exit status for Criterion's own.
LSAN_OPTIONS="exitcode=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

{ "$@"; echo $? >"$rcf"; } 2>&1 | tee "$log"
rc=$(cat "$rcf")
leaks=$(awk '
	/^(Direct|Indirect) leak of/ { if (blk && real) n++; blk = 1; real = 0; next }
	blk && /^ *#[0-9]+ / { if ($1 != "#0" && $0 !~ /libcriterion/) real = 1; next }
	blk && /^[[:space:]]*$/ { if (real) n++; blk = 0; next }
	END { if (blk && real) n++; print n + 0 }' "$log")
if [ "$leaks" -gt 0 ]; then
	echo "run_suite: LeakSanitizer reports $leaks leak(s) of the tests; the reports are above"
	[ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
