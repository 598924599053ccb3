#!/bin/sh
# check_cli.sh - the multios command as a user sees it: exact output,
# exit codes, write errors, and a regression case for each bug fixed in it.
#
# Usage: tests/check_cli.sh PATH/TO/multios
#
# Uses only POSIX tools and coreutils' timeout; JSON is compared byte for
# byte here, and parsed field by field in tests/test_cli.c.
set -eu

me=check_cli
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
wl=$root/examples/workloads
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

die() { echo "$me: $*" >&2; exit 1; }

# run NAME ARGS...: run the command, stdout/stderr to $tmp/NAME.{out,err},
# exit status to $rc.
run() {
	name=$1
	shift
	rc=0
	timeout 60 "$cli" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	[ "$rc" != 124 ] || die "'multios $*' ran for more than 60 s"
}

# expect_rc NAME WANT: the last run exited WANT.
expect_rc() {
	[ "$rc" = "$2" ] || die "'$1' exited $rc, expected $2; stderr:
$(cat "$tmp/$1.err")"
}

# usage_error NAME ARGS...: exit 2, nothing on stdout, a message on stderr.
usage_error() {
	run "$@"
	expect_rc "$1" 2
	[ ! -s "$tmp/$1.out" ] || die "'$1' (usage error) printed on stdout: $(cat "$tmp/$1.out")"
	[ -s "$tmp/$1.err" ] || die "'$1' (usage error) printed nothing on stderr"
}

# same NAME EXPECTED-FILE: stdout of NAME is exactly the file.
same() {
	cmp "$tmp/$1.out" "$2" >/dev/null 2>&1 ||
		die "'$1' printed:
$(cat "$tmp/$1.out")
expected:
$(cat "$2")"
}

# ---- help, version, unknown command -------------------------------------

run help --help
expect_rc help 0
grep -q 'Usage:' "$tmp/help.out" || die "'multios --help' printed no 'Usage:' on stdout"
grep -qw 'run' "$tmp/help.out" || die "'multios --help' does not mention 'run'"
for sub in "run --help" "sched --help" "help" "run -h" "sched -h"; do
	# shellcheck disable=SC2086 # split on purpose
	run subhelp $sub
	expect_rc subhelp 0
	grep -q 'Usage:' "$tmp/subhelp.out" || die "'multios $sub' printed no 'Usage:' on stdout"
done

version=$(sed -n 's/^#define MOS_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/multios/kernel.h")
[ -n "$version" ] || die "no MOS_VERSION_STRING in include/multios/kernel.h"
run version --version
expect_rc version 0
grep -Eq "^multios $(echo "$version" | sed 's/\./\\./g')([^0-9.]|\$)" "$tmp/version.out" ||
	die "'multios --version' printed '$(cat "$tmp/version.out")', expected 'multios $version'"

grep -qw 'sched' "$tmp/help.out" || die "'multios --help' does not mention 'sched'"
run schedhelp sched --help
for p in multios fifo sjf stcf rr priority mlfq cfs edf rm lottery stride \
	 --policy --compare --quantum --seed --json --gantt --trace; do
	grep -q -- "$p" "$tmp/schedhelp.out" || die "'multios sched --help' does not mention $p"
done

usage_error bogus bogus-command

# ---- run: the built-in demo (examples/scenarios/demo.json) -------------

# A word that is no option is a scenario file: it cannot be opened.
run runbogus run bogus
expect_rc runbogus 1
grep -q "bogus: cannot open" "$tmp/runbogus.err" || die "'multios run bogus' does not name the file: $(cat "$tmp/runbogus.err")"
for i in 1 2; do
	run "run$i" run
	expect_rc "run$i" 0
done
cmp "$tmp/run1.out" "$tmp/run2.out" >&2 || die "two runs of 'multios run' printed different output"
# The demo is the example file, compiled in: the same bytes out.
run runfile run "$root/examples/scenarios/demo.json"
cmp "$tmp/run1.out" "$tmp/runfile.out" >&2 || die "'multios run' differs from 'multios run examples/scenarios/demo.json'"
run demojson run --json
run filejson run "$root/examples/scenarios/demo.json" --json
cmp "$tmp/demojson.out" "$tmp/filejson.out" >&2 || die "'multios run --json' differs from the file's"
grep -q '^  "scenario": "demo",$' "$tmp/demojson.out" || die "'multios run --json' names no scenario demo"
# The story (tests/test_demo.c checks it field by field): web#1's
# restarts after 100, 200, 400 ms; web#2's health kill; the spread.
[ "$(sed -n 1p "$tmp/run1.out")" = "== scenario demo (seed 1) ==" ] || die "'multios run' header: $(sed -n 1p "$tmp/run1.out")"
for want in \
	'     600.000 ms  web#1 (pid 10)           New -> Ready               create' \
	'     900.000 ms  web#1 (pid 11)           New -> Ready               create' \
	'    1400.000 ms  web#1 (pid 12)           New -> Ready               create' \
	'    1950.000 ms  web#2 (pid 6)            Suspended -> Terminated    kill' \
	'    1950.000 ms  service web              Running -> Starting        health' \
	'    2750.000 ms  web#2 (pid 13)           New -> Ready               create' \
	'  calls per instance: #0 615 #1 401 #2 334'; do
	grep -qxF -- "$want" "$tmp/run1.out" || die "'multios run' lacks the line '$want'"
done
grep -q '^end 3000\.000 ms, 13 processes created, 7 exited, .* trace hash [0-9a-f]\{16\}$' "$tmp/run1.out" ||
	die "'multios run' summary line: $(tail -1 "$tmp/run1.out")"
[ "$(grep -c '^ *[0-9]*\.[0-9]* ms  ' "$tmp/run1.out")" = 46 ] ||
	die "'multios run' printed $(grep -c '^ *[0-9]*\.[0-9]* ms  ' "$tmp/run1.out") timeline lines, expected 46"
run quiet run --quiet
expect_rc quiet 0
! grep -q '^ *[0-9]*\.[0-9]* ms  ' "$tmp/quiet.out" || die "'multios run --quiet' printed the timeline"
[ "$(tail -1 "$tmp/quiet.out")" = "$(tail -1 "$tmp/run1.out")" ] ||
	die "'multios run --quiet' ends differently from 'multios run'"
# --trace: the kernel's Chrome export; the rest of the output is as
# without it.
run traced run --quiet --trace "$tmp/demo.trace.json"
expect_rc traced 0
cmp "$tmp/quiet.out" "$tmp/traced.out" >&2 || die "'multios run --trace' changed the output"
for want in '"name":"server (pid 6)"' '"ph":"X"' '"name":"runnable"' '"traceEvents":'; do
	grep -qF "$want" "$tmp/demo.trace.json" ||
		die "'multios run --trace' wrote no $want (tests/test_trace_typed.c parses the export)"
done
usage_error tracenofile run --trace
run tracebad run --quiet --trace /nonexistent/dir/t.json
expect_rc tracebad 1
grep -q '/nonexistent/dir/t.json' "$tmp/tracebad.err" || die "'multios run --trace' to a bad path does not name it"
# The scenario options apply to the demo too.
run runseed run --quiet --seed 7 --until 1s
expect_rc runseed 0
[ "$(sed -n 1p "$tmp/runseed.out")" = "== scenario demo (seed 7) ==" ] || die "'multios run --seed 7' header: $(sed -n 1p "$tmp/runseed.out")"
grep -q '^end 1000\.000 ms, ' "$tmp/runseed.out" || die "'multios run --until 1s' summary: $(tail -1 "$tmp/runseed.out")"
usage_error rununtil run --until soon

# ---- sched: exact output ------------------------------------------------

# Silberschatz's FCFS example: waiting 0, 24, 27, average 17.  The trace
# hash is checked against --json below, not pinned here.
cat >"$tmp/fcfs.want" <<'EOF'
workload silberschatz-fcfs, policy fifo (1 tick = 1 ms; times in ticks)

NAME  ARRIVAL  FIRST_RUN  FINISH  RESPONSE  TURNAROUND  WAITING  MISSES
P1          0          0      24         0          24        0       0
P2          0         24      27        24          27       24       0
P3          0         27      30        27          30       27       0

average response 17, turnaround 27, waiting 17
makespan 30, 3 completions, throughput 0.100000 per tick
CPU utilization 100.0%, context switches 2, deadline misses 0
fairness (Jain) 0.478, trace hash HASH
EOF
run fcfs sched "$wl/silberschatz-fcfs.json"
expect_rc fcfs 0
hash=$(sed -n 's/^fairness .*, trace hash \([0-9a-f]\{16\}\)$/\1/p' "$tmp/fcfs.out")
[ -n "$hash" ] || die "the FCFS table has no 16-digit trace hash"
sed "s/trace hash $hash\$/trace hash HASH/" "$tmp/fcfs.out" >"$tmp/fcfs.masked"
cmp "$tmp/fcfs.masked" "$tmp/fcfs.want" >/dev/null ||
	die "FCFS table:
$(cat "$tmp/fcfs.out")
expected:
$(cat "$tmp/fcfs.want")"

cat >"$tmp/fcfs-json.want" <<EOF
{
  "workload": "silberschatz-fcfs",
  "policy": "fifo",
  "tick_ns": 1000000,
  "trace_hash": "$hash",
  "slices_truncated": false,
  "processes": [
    {
      "name": "P1",
      "arrival": 0,
      "first_run": 0,
      "finish": 24,
      "response": 0,
      "turnaround": 24,
      "waiting": 0
    },
    {
      "name": "P2",
      "arrival": 0,
      "first_run": 24,
      "finish": 27,
      "response": 24,
      "turnaround": 27,
      "waiting": 24
    },
    {
      "name": "P3",
      "arrival": 0,
      "first_run": 27,
      "finish": 30,
      "response": 27,
      "turnaround": 30,
      "waiting": 27
    }
  ],
  "avg_response": 17.0,
  "avg_turnaround": 27.0,
  "avg_waiting": 17.0,
  "context_switches": 2,
  "cpu_utilization": 1.0,
  "throughput": 0.1,
  "deadline_misses": 0,
  "makespan": 30,
  "fairness": 0.478243
}
EOF
run fcfsjson sched "$wl/silberschatz-fcfs.json" --json
expect_rc fcfsjson 0
same fcfsjson "$tmp/fcfs-json.want"

cat >"$tmp/gantt.want" <<'EOF'

Gantt chart, policy fifo: 30 ticks, 1 column = 1 tick
     0                             30
P1  |########################      |
P2  |........................###   |
P3  |...........................###|
('#' running, '.' waiting or in I/O)
EOF
run gantt sched "$wl/silberschatz-fcfs.json" --gantt
expect_rc gantt 0
sed 1,11d "$tmp/gantt.out" >"$tmp/gantt.chart"
cmp "$tmp/gantt.chart" "$tmp/gantt.want" >/dev/null ||
	die "FCFS Gantt chart:
$(cat "$tmp/gantt.chart")
expected:
$(cat "$tmp/gantt.want")"

cat >"$tmp/compare.want" <<'EOF'
workload silberschatz-fcfs (1 tick = 1 ms; times in ticks)

POLICY  AVG_RESPONSE  AVG_TURNAROUND  AVG_WAITING  MAKESPAN  SWITCHES  MISSES  FAIRNESS
fifo              17              27           17        30         2       0     0.478
sjf                3              13            3        30         2       0     0.933
rr             7.667          19.667        9.667        30         3       0     0.679
EOF
run compare sched "$wl/silberschatz-fcfs.json" --compare fifo,sjf,rr
expect_rc compare 0
same compare "$tmp/compare.want"

# The textbook averages of the other Silberschatz examples (Operating
# System Concepts, ch. 5): waiting 5.667 (RR, q = 4), 7 (SJF), 8.2
# (priority), one table row a process.
textbook() {
	run "$1" sched "$wl/$1.json"
	expect_rc "$1" 0
	grep -qx "$2" "$tmp/$1.out" || die "'multios sched $1.json' averages:
$(cat "$tmp/$1.out")
expected: $2"
	[ "$(grep -c '^P[0-9] ' "$tmp/$1.out")" = "$3" ] || die "'$1' has not $3 process rows"
}
textbook silberschatz-rr-q4 'average response 3.667, turnaround 15.667, waiting 5.667' 3
textbook silberschatz-sjf 'average response 7, turnaround 13, waiting 7' 4
textbook silberschatz-priority 'average response 8.200, turnaround 12, waiting 8.200' 5

# Every shipped workload loads and runs.
for f in "$wl"/*.json; do
	run example sched "$f"
	expect_rc example 0
done

# ---- sched: usage errors, before any output -----------------------------

usage_error badpolicy sched "$wl/silberschatz-fcfs.json" --policy bogus
grep -q "unknown policy 'bogus'" "$tmp/badpolicy.err" || die "--policy bogus: no 'unknown policy' message"
# Checked before the file is even read.
usage_error badpolicy2 sched "$tmp/no-such-file.json" --policy bogus
usage_error badcompare sched "$wl/silberschatz-fcfs.json" --compare fifo,bogus
usage_error badcompare2 sched "$wl/silberschatz-fcfs.json" --compare bogus,fifo --json
usage_error emptycompare sched "$wl/silberschatz-fcfs.json" --compare ''
usage_error commas sched "$wl/silberschatz-fcfs.json" --compare ,,,
usage_error twice sched "$wl/silberschatz-fcfs.json" --compare rr,rr
usage_error policycompare sched "$wl/silberschatz-fcfs.json" --policy rr --compare fifo
usage_error jsongantt sched "$wl/silberschatz-fcfs.json" --json --gantt
usage_error seedfifo sched "$wl/silberschatz-fcfs.json" --seed 3
usage_error seedbad sched "$wl/silberschatz-fcfs.json" --policy lottery --seed -3
usage_error quantumfifo sched "$wl/silberschatz-fcfs.json" --quantum 2
usage_error quantumzero sched "$wl/silberschatz-fcfs.json" --policy rr --quantum 0
usage_error nofile sched
run missing sched "$tmp/no-such-file.json"
expect_rc missing 1

# ---- sched: --seed sets lottery's seed -----------------------------------

seed_hash() {
	run seed sched "$wl/silberschatz-rr-q4.json" --policy lottery --quantum 1 "$@"
	expect_rc seed 0
	sed -n 's/.*trace hash \([0-9a-f]*\)$/\1/p' "$tmp/seed.out"
}
h_default=$(seed_hash)
h0=$(seed_hash --seed 0)
h1=$(seed_hash --seed 1)
h3=$(seed_hash --seed 3)
[ "$h0" = "$h_default" ] || die "--seed 0 is not the kernel's seed: $h0, want $h_default"
[ "$h1" = "$h_default" ] || die "--seed 1 is not the kernel's seed: $h1, want $h_default"
[ "$h3" != "$h_default" ] || die "--seed 3 changed nothing in lottery's schedule"

# ---- sched: --compare with --gantt and --trace ---------------------------

run cmpgantt sched "$wl/silberschatz-fcfs.json" --compare fifo,rr --gantt
expect_rc cmpgantt 0
[ "$(grep -c '^Gantt chart, policy' "$tmp/cmpgantt.out")" = 2 ] ||
	die "--compare fifo,rr --gantt did not draw two charts"
run cmptrace sched "$wl/silberschatz-fcfs.json" --compare fifo,rr --trace "$tmp/out.json"
expect_rc cmptrace 0
for p in fifo rr; do
	grep -q '"traceEvents"' "$tmp/out.$p.json" || die "--compare --trace wrote no $tmp/out.$p.json"
	grep -q "\"policy\": *\"$p\"" "$tmp/out.$p.json" || die "out.$p.json is not $p's trace"
done
[ ! -e "$tmp/out.json" ] || die "--compare --trace wrote out.json too"

# ---- services -------------------------------------------------------------

svc=$root/tests/data/services
grep -qw 'services' "$tmp/help.out" || die "'multios --help' does not mention 'services'"
run svchelp services --help
expect_rc svchelp 0
for p in Usage: --order --tree --json 'JSON format' 'Exit status'; do
	grep -q -- "$p" "$tmp/svchelp.out" || die "'multios services --help' does not mention $p"
done

cat >"$tmp/svc.want" <<'EOF'
  ID  NAME   TYPE                 VERSION     RESTART     DEPENDENCIES
   1  app    UserService          2.1.0       on-failure  cache?, db (^1.4)
   2  db     SystemService        1.4.2       always      -
   3  cache  UserService          0.0.0       always      -
   4  pool   ServiceGroup         0.0.0       no          -
EOF
run svc services "$svc/good"
expect_rc svc 0
same svc "$tmp/svc.want"

printf '1 cache\n2 db\n3 app\n' >"$tmp/svcorder.want"
run svcorder services "$svc/good" --order app
expect_rc svcorder 0
same svcorder "$tmp/svcorder.want"

cat >"$tmp/svctree.want" <<'EOF'
app
├─cache (optional)
└─db
pool
EOF
run svctree services "$svc/good" --tree
expect_rc svctree 0
same svctree "$tmp/svctree.want"
# NAME before PATH, and --order with it: the order first.
printf '1 svc-20\n2 svc-19\nsvc-19\n└─svc-20\n' >"$tmp/svctree2.want"
run svctree2 services --tree svc-19 "$svc/twenty" --order svc-19
expect_rc svctree2 0
same svctree2 "$tmp/svctree2.want"
run svctree20 services "$svc/twenty" --tree
expect_rc svctree20 0
[ "$(wc -l <"$tmp/svctree20.out")" = 20 ] || die "the tree of twenty is not 20 lines"
grep -q '^                                    └─svc-20$' "$tmp/svctree20.out" ||
	die "svc-20 is not 19 levels deep in the tree:
$(cat "$tmp/svctree20.out")"

run svcjson services "$svc/good" --json --order app --tree
expect_rc svcjson 0
for want in '"name": "app"' '"timeout": 5000' '"version": "^1.4"' \
	    '"target": "app"' '"tree": \[' '"restart": "on-failure"'; do
	grep -q "$want" "$tmp/svcjson.out" || die "'multios services --json' has no $want"
done

# A chain of 3000: the tree is walked without recursion (a 100 000 chain
# overflowed the stack); --json refuses past 2000 levels, cleanly.
awk 'BEGIN { printf "{\"services\": ["
	for (i = 0; i < 3000; i++)
		printf "%s{\"name\": \"c%d\", \"command\": [\"idle\"]%s}",
		    i ? "," : "", i, i < 2999 ? ", \"dependencies\": [\"c" i + 1 "\"]" : ""
	print "]}" }' >"$tmp/chain.json"
run svcchain services "$tmp/chain.json" --tree
expect_rc svcchain 0
[ "$(wc -l <"$tmp/svcchain.out")" = 3000 ] || die "the tree of a 3000 chain is not 3000 lines"
run svcchainj services "$tmp/chain.json" --tree --json
expect_rc svcchainj 1
grep -q 'more than 2000 levels deep' "$tmp/svcchainj.err" ||
	die "'multios services --tree --json' of a deep chain said: $(cat "$tmp/svcchainj.err")"

# A bad file: the loader's message, exit 1, nothing on stdout.
run svcbad services "$svc/bad-syntax"
expect_rc svcbad 1
[ ! -s "$tmp/svcbad.out" ] || die "'multios services' of a bad directory printed on stdout"
grep -qF "$svc/bad-syntax/svc-13.json:4:30: string or '}' expected near ','" "$tmp/svcbad.err" ||
	die "'multios services' of a bad directory said: $(cat "$tmp/svcbad.err")"
run svccycle services "$svc/bad-cycle"
expect_rc svccycle 1
grep -qF "$svc/bad-cycle/svc-12.json: dependencies[0]: circular dependency: svc-12 -> svc-13 -> svc-12" "$tmp/svccycle.err" ||
	die "'multios services' of a cycle said: $(cat "$tmp/svccycle.err")"
run svcmissing services "$tmp/no-such-dir"
expect_rc svcmissing 1

usage_error svcnopath services
usage_error svcbogus services "$svc/good" --bogus
usage_error svctwo services "$svc/good" "$svc/twenty"
usage_error svcnoorder services "$svc/good" --order
usage_error svcunknown services "$svc/good" --order nosuch
usage_error svctreeunknown services --tree nosuch "$svc/good"

# ---- write errors on stdout ----------------------------------------------

for args in "run" "sched $wl/silberschatz-fcfs.json" \
	    "sched $wl/silberschatz-fcfs.json --json" \
	    "sched $wl/silberschatz-fcfs.json --compare fifo,rr --json" \
	    "services $root/tests/data/services/good" \
	    "services $root/tests/data/services/good --json --tree" \
	    "--help"; do
	rc=0
	# shellcheck disable=SC2086 # split on purpose
	"$cli" $args >/dev/full 2>"$tmp/full.err" || rc=$?
	[ "$rc" = 1 ] || die "'multios $args > /dev/full' exited $rc, expected 1"
	grep -q 'standard output' "$tmp/full.err" || die "'multios $args > /dev/full' did not say why"
done

# ---- regressions -----------------------------------------------------------

# A periodic task whose wcet exceeds its period: its slices end after the
# reported finish; the Gantt chart wrote past its rows (a heap overflow,
# caught here when the command is built with SAN=1).
cat >"$tmp/lottery.json" <<'EOF'
{"policy":{"name":"lottery","quantum":1},"processes":[{"name":"T","period":1,"wcet":3,"jobs":2}]}
EOF
run lottery sched "$tmp/lottery.json" --gantt
expect_rc lottery 0
row=$(grep '^T *|' "$tmp/lottery.out") || die "no Gantt row for T"
span=$(sed -n 's/^Gantt chart, policy lottery: \([0-9]*\) ticks, 1 column = 1 tick$/\1/p' "$tmp/lottery.out")
[ -n "$span" ] || die "no Gantt header for the lottery case"
[ "${#row}" = $((4 + 1 + span + 1)) ] || die "Gantt row '$row' is not $span columns wide"

# 10^10 ticks of CPU: the chart used to walk every tick (16 s); it costs
# its columns now.  Tables print the integers, not 1e+10.
cat >"$tmp/long.json" <<'EOF'
{"policy":{"name":"fifo"},"processes":[{"name":"A","cpu":10000000000}]}
EOF
rc=0
timeout 10 "$cli" sched "$tmp/long.json" --gantt >"$tmp/long.out" 2>"$tmp/long.err" || rc=$?
expect_rc long 0
grep -q '^A  *0  *0  *10000000000  *0  *10000000000  *0  *0$' "$tmp/long.out" ||
	die "the table does not print 10000000000 exactly:
$(cat "$tmp/long.out")"
! grep -q 'e+' "$tmp/long.out" || die "a number in exponent form:
$(cat "$tmp/long.out")"
grep -q '^A   |#\{100\}|$' "$tmp/long.out" || die "the chart is not 100 columns of '#'"

echo "$me: ok"
