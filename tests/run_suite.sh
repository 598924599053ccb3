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
# LeakSanitizer report (the report names the allocation).  Other
# sanitizer errors abort the test's process while it runs, and Criterion
# counts those as crashes itself.
set -u

[ $# -ge 1 ] || { echo "usage: run_suite.sh TESTS [OPTIONS...]" >&2; exit 2; }
log=$(mktemp)
rcf=$(mktemp)
trap 'rm -f "$log" "$rcf"' EXIT

{ "$@"; echo $? >"$rcf"; } 2>&1 | tee "$log"
rc=$(cat "$rcf")
if grep -q 'ERROR: LeakSanitizer' "$log"; then
	echo "run_suite: LeakSanitizer found leaks in $(grep -c 'ERROR: LeakSanitizer' "$log") test process(es); the reports are above"
	[ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
