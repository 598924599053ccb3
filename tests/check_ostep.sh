#!/bin/sh
# check_ostep.sh - `multios ostep scheduler ARGS...` prints byte for byte
# what OSTEP's cpu-sched/scheduler.py printed for the same ARGS, and
# exits with its status (issue 17).  The expected outputs were recorded
# from the real script by tests/ostep/record.py (the command is in
# tests/data/ostep/README); no Python runs here.
#
# Usage: tests/check_ostep.sh PATH/TO/multios
set -eu

me=check_ostep
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }
data=$root/tests/data/ostep/scheduler

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0 bad=0
for case in "$data"/*.txt; do
	args=$(sed -n '1s/^argv: //p' "$case")
	want_rc=$(sed -n '2s/^exit: //p' "$case")
	tail -n +3 "$case" >"$tmp/want"
	rc=0
	set -f # the recorded arguments are words, never patterns
	# shellcheck disable=SC2086 # one word per recorded argument
	timeout 60 "$cli" ostep scheduler $args >"$tmp/got" 2>"$tmp/err" ||
		rc=$?
	set +f
	n=$((n + 1))
	if ! cmp -s "$tmp/want" "$tmp/got" || [ "$rc" != "$want_rc" ]; then
		bad=$((bad + 1))
		echo "$me: ${case#"$root"/}: multios ostep scheduler $args" \
			"(exit $rc, scheduler.py $want_rc)" >&2
		diff "$tmp/want" "$tmp/got" | head -n 10 >&2 || true
		head -n 5 "$tmp/err" >&2
	fi
done
[ "$n" -ge 300 ] || { echo "$me: only $n recorded cases in $data" >&2; exit 1; }
[ "$bad" -eq 0 ] || { echo "$me: $bad of $n cases differ" >&2; exit 1; }
echo "$me: $n cases byte-identical to scheduler.py"
