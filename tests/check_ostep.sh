#!/bin/sh
# check_ostep.sh - `multios ostep SCRIPT ARGS...` prints byte for byte
# what OSTEP's homework script printed for the same ARGS, and exits with
# its status (issue 17).  Each directory tests/data/ostep/SCRIPT/ but
# pyrandom holds at least 300 cases recorded from the real script by
# tests/ostep/record*.py (the commands are in tests/data/ostep/README);
# no Python runs here.
#
# Usage: tests/check_ostep.sh PATH/TO/multios
set -eu

me=check_ostep
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

total=0 scripts=0
for data in "$root"/tests/data/ostep/*/; do
	data=${data%/}
	script=${data##*/}
	[ "$script" != pyrandom ] || continue
	n=0 bad=0
	for case in "$data"/*.txt; do
		args=$(sed -n '1s/^argv: //p' "$case")
		want_rc=$(sed -n '2s/^exit: //p' "$case")
		tail -n +3 "$case" >"$tmp/want"
		rc=0
		set -f # the recorded arguments are words, never patterns
		# shellcheck disable=SC2086 # one word per recorded argument
		timeout 60 "$cli" ostep "$script" $args >"$tmp/got" \
			2>"$tmp/err" || rc=$?
		set +f
		n=$((n + 1))
		if ! cmp -s "$tmp/want" "$tmp/got" || [ "$rc" != "$want_rc" ]; then
			bad=$((bad + 1))
			echo "$me: ${case#"$root"/}: multios ostep $script $args" \
				"(exit $rc, $script.py $want_rc)" >&2
			diff "$tmp/want" "$tmp/got" | head -n 10 >&2 || true
			head -n 5 "$tmp/err" >&2
		fi
	done
	[ "$n" -ge 300 ] ||
		{ echo "$me: only $n recorded cases in $data" >&2; exit 1; }
	[ "$bad" -eq 0 ] ||
		{ echo "$me: $script: $bad of $n cases differ" >&2; exit 1; }
	echo "$me: $n cases byte-identical to $script.py"
	total=$((total + n)) scripts=$((scripts + 1))
done
[ "$scripts" -ge 1 ] || { echo "$me: no recorded scripts" >&2; exit 1; }
echo "$me: $scripts scripts, $total cases"
