#!/bin/sh
# check_make.sh - `make check` goes on after a failed check and sums up.
#
# Usage: tests/check_make.sh
#
# Drives tests/run_checks.sh (the runner of `make check`) with a failing
# check first, a passing one, and another failing one: all three must run,
# the summary must name both failures with their exit status, and the
# exit status must be 1; with only passing checks it must be 0.  A check
# that outlives CHECK_TIMEOUT is killed and counted as failed.
set -eu

me=check_make
runner=$(dirname "$0")/run_checks.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() { echo "$me: $*" >&2; cat "$tmp/out" >&2; exit 1; }
expect() { grep -qF -- "$1" "$tmp/out" || fail "output lacks '$1'"; }

rc=0
sh "$runner" 'exit 3' 'echo second ran' 'false' >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "exit status $rc after failures, expected 1"
expect 'second ran'
expect 'check: 2 of 3 checks failed:'
expect 'FAILED (exit 3): exit 3'
expect 'FAILED (exit 1): false'

rc=0
sh "$runner" 'true' 'echo fine' >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "exit status $rc with no failure, expected 0"
expect 'check: all 2 checks passed'

rc=0
CHECK_TIMEOUT=1 sh "$runner" 'sleep 60' 'echo after' >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "exit status $rc after a hung check, expected 1"
expect 'check: timed out after 1s: sleep 60'
expect 'after'
expect 'FAILED (exit 124): sleep 60'
echo "$me: ok"
