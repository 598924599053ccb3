#!/bin/sh
# run_checks.sh - run every check of `make check`, keep going after a
# failure, and sum up at the end.
#
# Usage: tests/run_checks.sh 'COMMAND' ...
#   Each COMMAND is run with sh -c, in order, whatever the earlier ones
#   did.  The summary names each failed COMMAND with its exit status; the
#   script exits 1 if any failed, 0 otherwise.
#
#   A COMMAND that runs longer than CHECK_TIMEOUT seconds (default 300) is
#   killed, with everything it started, and fails with status 124: a fault
#   that makes the kernel spin fails `make check` instead of hanging it.
#   (The Criterion tests have their own, shorter bound each: tests/timeout.h.)
set -u

limit=${CHECK_TIMEOUT:-300}

n=0
nfail=0
failed=""
for c in "$@"; do
	n=$((n + 1))
	printf '\n+ %s\n' "$c"
	timeout -k 10 "$limit" sh -c "$c"
	rc=$?
	[ "$rc" -ne 124 ] || echo "check: timed out after ${limit}s: $c"
	if [ "$rc" -ne 0 ]; then
		nfail=$((nfail + 1))
		failed="$failed
  FAILED (exit $rc): $c"
	fi
done

echo
if [ "$nfail" -eq 0 ]; then
	echo "check: all $n checks passed"
	exit 0
fi
echo "check: $nfail of $n checks failed:$failed"
exit 1
