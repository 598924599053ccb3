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

# Our flags after "--": the kernel's schedule, exactly; the script's text
# unchanged before it (--gantt, --trace) or replaced (--json).
die() { echo "$me: $*" >&2; exit 1; }
sched() { "$cli" ostep scheduler "$@"; }

sched -l 3,2 -p RR -q 1 -c >"$tmp/plain"
sched -l 3,2 -p RR -q 1 -c -- --gantt --trace "$tmp/t.json" >"$tmp/extra"
head -c "$(wc -c <"$tmp/plain")" "$tmp/extra" | cmp -s - "$tmp/plain" ||
	die "--gantt changed the script's text"
tail -n +"$(($(wc -l <"$tmp/plain") + 1))" "$tmp/extra" >"$tmp/chart"
printf '%s\n' '' 'Gantt chart, policy rr: 5 ticks, 1 column = 1 tick' \
	'     0    5' 'job0|#.#.#|' 'job1|.#.# |' \
	"('#' running, '.' waiting or in I/O)" >"$tmp/want"
cmp -s "$tmp/chart" "$tmp/want" ||
	{ diff "$tmp/want" "$tmp/chart" >&2; die "--gantt: wrong chart"; }
grep -q '^{"traceEvents":\[' "$tmp/t.json" || die "--trace: not a trace"
[ "$(grep -o '"ph":"X"' "$tmp/t.json" | wc -l)" -eq 5 ] ||
	die "--trace: not the 5 run slices of RR with quantum 1"

# lottery.py and mlfq.py the same way: the text unchanged, then the chart
# of the kernel's run (lottery: job 1 wins the first two draws of seed 0;
# mlfq: job 0 does I/O at 2 for 2 ticks while job 1 runs).
chart_after() { # SCRIPT ARGS... -- WANT-LINES...
	script=$1
	shift
	args= want=
	while [ "$1" != -- ]; do args="$args $1"; shift; done
	shift
	# shellcheck disable=SC2086 # one word per flag
	"$cli" ostep "$script" $args >"$tmp/plain"
	# shellcheck disable=SC2086
	"$cli" ostep "$script" $args -- --gantt >"$tmp/extra"
	head -c "$(wc -c <"$tmp/plain")" "$tmp/extra" | cmp -s - "$tmp/plain" ||
		die "$script$args -- --gantt changed the script's text"
	tail -n +"$(($(wc -l <"$tmp/plain") + 1))" "$tmp/extra" >"$tmp/chart"
	printf '%s\n' '' "$@" "('#' running, '.' waiting or in I/O)" >"$tmp/want"
	cmp -s "$tmp/chart" "$tmp/want" || { diff "$tmp/want" "$tmp/chart" >&2
		die "$script$args -- --gantt: wrong chart"; }
}
chart_after lottery -l 3:10,2:30 -c -- \
	'Gantt chart, policy lottery: 5 ticks, 1 column = 1 tick' \
	'     0    5' 'job0|..###|' 'job1|##   |'
chart_after mlfq -l 0,4,2:1,3,0 -n 2 -q 2 -i 2 -c -- \
	'Gantt chart, policy mlfq: 7 ticks, 1 column = 1 tick' \
	'     0      7' 'job0|##...##|' 'job1| .###  |'

# --json: one document and nothing else, -c or not; lengths of 0.5 s
# count in tenths.
sched -l 2.5,1 -p SJF -- --json >"$tmp/json"
[ "$(head -c 1 "$tmp/json")" = "{" ] || die "--json: text before the report"
for kv in '"policy": "sjf"' '"tick_ns": 100000000' '"first_run": 10' \
	'"finish": 35' '"finish": 10'; do
	grep -qF "$kv" "$tmp/json" || die "--json: no $kv"
done
[ "$(tail -c 2 "$tmp/json")" = "}" ] || die "--json: text after the report"

# Refusals: usage errors (2) and no schedule (1), with nothing added.
for bad in "--bogus" "--trace" "--gantt --json"; do
	rc=0
	# shellcheck disable=SC2086 # one word per flag
	sched -c -- $bad >/dev/null 2>"$tmp/err" || rc=$?
	[ "$rc" -eq 2 ] || die "-- $bad: exit $rc, want 2"
	grep -q "^multios ostep scheduler: " "$tmp/err" ||
		die "-- $bad: no error naming the script"
done
rc=0
sched -j 0 -c -- --gantt >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && ! grep -q Gantt "$tmp/out" &&
	grep -q '^ZeroDivisionError' "$tmp/err" ||
	die "-j 0 -c -- --gantt: want the script's traceback and no chart"
rc=0
sched -p XX -- --json >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] &&
	grep -q 'no schedule to show' "$tmp/err" ||
	die "-p XX -- --json: want exit 1, no output, 'no schedule to show'"
echo "$me: --gantt, --json and --trace show the kernel's schedule"
