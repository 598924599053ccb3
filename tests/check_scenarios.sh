#!/bin/sh
# check_scenarios.sh - every scenario in examples/scenarios/ runs to
# completion with `multios run`, and two runs give byte-identical --json
# (issue 14, acceptance 2); the text form runs too.
#
# Usage: tests/check_scenarios.sh PATH/TO/multios
set -eu

me=check_scenarios
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
for f in "$root"/examples/scenarios/*.json; do
	[ -f "$f" ] || continue
	name=${f##*/}
	for i in 1 2; do
		timeout 60 "$cli" run "$f" --json >"$tmp/$i.json" 2>"$tmp/err" || {
			echo "$me: $name: run $i failed:" >&2
			cat "$tmp/err" >&2
			exit 1
		}
	done
	cmp -s "$tmp/1.json" "$tmp/2.json" ||
		{ echo "$me: $name: two runs gave different --json" >&2; exit 1; }
	timeout 60 "$cli" run "$f" >"$tmp/text" 2>"$tmp/err" || {
		echo "$me: $name: the text run failed:" >&2
		cat "$tmp/err" >&2
		exit 1
	}
	grep -q '^== services ==$' "$tmp/text" ||
		{ echo "$me: $name: no report in the text output" >&2; exit 1; }
	n=$((n + 1))
done
[ "$n" -ge 2 ] || { echo "$me: only $n scenarios in examples/scenarios/" >&2; exit 1; }
echo "$me: ok ($n scenarios, each twice byte-identical)"
