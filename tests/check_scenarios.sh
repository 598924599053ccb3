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
# The command's contract: usage errors exit 2 with nothing on stdout, a
# file that cannot be loaded exits 1 naming it, --help exits 0.
ex=$root/examples/scenarios/crash-loop.json
expect() {
	want=$1
	shift
	rc=0
	timeout 60 "$cli" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || { echo "$me: 'multios $*' exited $rc, expected $want" >&2; cat "$tmp/err" >&2; exit 1; }
	if [ "$want" = 2 ] && [ -s "$tmp/out" ]; then
		echo "$me: 'multios $*' (a usage error) printed on stdout" >&2
		exit 1
	fi
}
expect 2 run "$ex" --bogus
expect 2 run "$ex" --seed -1
expect 2 run "$ex" --until soon
expect 2 run "$ex" "$ex"
expect 2 run "$ex" --trace
expect 1 run "$ex" --trace "$tmp/no-dir/t.json"
expect 0 run "$ex" --quiet --until 1s --trace "$tmp/t.json"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["traceEvents"]' \
	"$tmp/t.json" || { echo "$me: --trace wrote no Chrome Trace Event JSON" >&2; exit 1; }
expect 1 run "$tmp/no-such.json"
grep -q "no-such.json" "$tmp/err" || { echo "$me: the load error does not name the file" >&2; exit 1; }
printf '{"actions": [{"at": "1ms", "do": "explode"}]}' >"$tmp/bad.json"
expect 1 run "$tmp/bad.json"
grep -q "bad.json: actions\[0\].do: unknown action 'explode'" "$tmp/err" ||
	{ echo "$me: unexpected message: $(cat "$tmp/err")" >&2; exit 1; }
expect 0 run "$ex" --help
grep -q '^Usage: multios run \[SCENARIO.json\]' "$tmp/out" || { echo "$me: no usage text" >&2; exit 1; }
expect 0 run "$ex" --quiet --until 1s --seed 4 --json
grep -q '"seed": 4' "$tmp/out" || { echo "$me: --seed not in the JSON" >&2; exit 1; }
grep -q '"end_ns": 1000000000' "$tmp/out" || { echo "$me: --until not obeyed" >&2; exit 1; }
! grep -q '"timeline"' "$tmp/out" || { echo "$me: --quiet left the timeline in" >&2; exit 1; }

[ "$n" -ge 2 ] || { echo "$me: only $n scenarios in examples/scenarios/" >&2; exit 1; }
echo "$me: ok ($n scenarios, each twice byte-identical)"
