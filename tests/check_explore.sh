#!/bin/sh
# check_explore.sh - `multios explore` as a user meets it (issue 15,
# acceptance 1 and 2): the deliberately wrong examples/scenarios/
# flapping-db.json (a start limit too low for a database that may crash)
# is caught within 1 000 runs; the printed replay command reproduces the
# violation with the same trace hash, and so does the shrunk run's, with
# at most two faults; --jobs 1 and --jobs 2 print the same bytes, text
# and JSON; usage errors exit 2 with a message.
#
# Usage: tests/check_explore.sh PATH/TO/multios
set -eu

me=check_explore
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "$me: $*" >&2; exit 1; }

cd "$root"
f=examples/scenarios/flapping-db.json

# 1. Caught within 1 000 runs, the same output for any number of jobs.
for j in 1 2; do
	rc=0
	timeout 120 "$cli" explore "$f" --runs 1000 --jobs $j --show 2 \
		>"$tmp/text$j" 2>"$tmp/err" || rc=$?
	[ $rc -eq 3 ] || { cat "$tmp/err" >&2; fail "explore exited $rc, not 3"; }
	rc=0
	timeout 120 "$cli" explore "$f" --runs 300 --jobs $j --json \
		>"$tmp/json$j" 2>"$tmp/err" || rc=$?
	[ $rc -eq 3 ] || { cat "$tmp/err" >&2; fail "explore --json exited $rc"; }
done
cmp -s "$tmp/text1" "$tmp/text2" || fail "--jobs 1 and --jobs 2 differ (text)"
cmp -s "$tmp/json1" "$tmp/json2" || fail "--jobs 1 and --jobs 2 differ (--json)"
grep -q '^recovery  *[1-9][0-9]*/1000 ' "$tmp/text1" ||
	fail "the recovery invariant was not violated in 1000 runs"

# 2. The replay commands reproduce the runs: same trace hash, and the
# violation (db Failed at the start limit).
python3 - "$tmp/json1" "$tmp/cmds" <<'PY'
import json, sys

d = json.load(open(sys.argv[1]))
assert d["runs"] == 300 and d["failed_runs"] > 0, d
inv = {i["name"]: i for i in d["invariants"]}
assert inv["recovery"]["violated"] > 0 and inv["requests"]["violated"] == 0
with open(sys.argv[2], "w") as out:
    for f in d["failures"]:
        s = f["shrunk"]
        assert len(s["faults_kept"]) <= 2, s
        assert "recovery" in s["violated"], s
        out.write("%s %s\n" % (f["trace_hash"], f["replay"]))
        out.write("%s %s\n" % (s["trace_hash"], s["replay"]))
PY
n=0
while read -r hash cmd; do
	n=$((n + 1))
	# The commands start with "multios run": ours is $cli; the trace
	# file goes to the temporary directory.
	rest=${cmd#multios run }
	(cd "$tmp" && eval "\"\$cli\" run \"\$root\"/$rest --quiet") \
		>"$tmp/replay" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; fail "replay failed: $cmd"; }
	grep -q "trace hash $hash\$" "$tmp/replay" ||
		fail "replay '$cmd' did not give trace hash $hash"
	grep -q '^db  *Failed  *start limit' "$tmp/replay" ||
		fail "replay '$cmd' did not show db Failed at its start limit"
done <"$tmp/cmds"
[ "$n" -ge 2 ] || fail "no replay command to try"

# 3. The text names the shrunk schedule.
grep -q '^  shrunk in [0-9]* runs to [12] of ' "$tmp/text1" ||
	fail "no shrunk schedule of at most two faults in the text"

# 4. Usage errors: exit 2 and a message.
for args in "" "$f" "$f --runs 0" "$f --runs 10 --jobs 0" \
	"$f --runs 10 --check" "$f --runs 10 --bogus"; do
	rc=0
	# shellcheck disable=SC2086
	"$cli" explore $args >/dev/null 2>"$tmp/err" || rc=$?
	[ $rc -eq 2 ] || fail "'explore $args' exited $rc, not 2"
	grep -q "multios explore: " "$tmp/err" ||
		fail "'explore $args' printed no message"
done
rc=0
"$cli" explore "$f" --runs 10 --check uptime >/dev/null 2>"$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "unknown invariant 'uptime'" "$tmp/err" ||
	fail "an unknown invariant was not refused"
rc=0
"$cli" explore "$f" --runs 10 --faults '[{"kind": "crash"}]' >/dev/null \
	2>"$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q -- '--faults: \[0\]: give either' "$tmp/err" ||
	fail "bad --faults was not refused with its path"
rc=0
"$cli" explore "$f" --runs 50 --check requests zombies >"$tmp/ok" || rc=$?
[ $rc -eq 0 ] && grep -q '^0 of 50 runs violated' "$tmp/ok" ||
	fail "--check requests zombies should hold on every run"
# --faults-keep: ordinals 0 .. 63 split by commas, or none.
for keep in 64 "1,,2" "1," ",1" x -1 ""; do
	rc=0
	"$cli" run "$f" --faults-keep "$keep" >/dev/null 2>"$tmp/err" || rc=$?
	[ $rc -eq 2 ] && grep -q -- "--faults-keep: '$keep' is not a list" \
		"$tmp/err" || fail "--faults-keep '$keep' was not refused"
done
"$cli" run "$f" --faults-keep none --quiet >/dev/null ||
	fail "--faults-keep none was refused"
"$cli" explore --help | grep -q '^Usage: multios explore' ||
	fail "no usage text"
echo "$me: ok (1000 runs caught the flapping database; replays and --jobs agree)"
