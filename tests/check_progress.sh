#!/bin/sh
# check_progress.sh - the host side of `multios run`: the progress line on
# stderr (only on a terminal, never with --quiet) and the live options'
# usage errors.
#
# Usage: tests/check_progress.sh PATH/TO/multios
#
# A terminal comes from util-linux's script(1); MULTIOS_PROGRESS_DELAY_MS=0
# shows the line at once instead of after a second of host time.
set -eu

me=check_progress
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
ex=$root/examples/scenarios/web-stack.json
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }
command -v script >/dev/null || { echo "$me: script(1) (util-linux) is missing" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
die() { echo "$me: $*" >&2; exit 1; }

# On a terminal, with no delay: the line, then erased (a carriage return
# and blanks) before the report.
MULTIOS_PROGRESS_DELAY_MS=0 timeout 60 script -qec \
	"'$cli' run '$ex' >'$tmp/out'" /dev/null >"$tmp/tty" </dev/null ||
	die "the run under script(1) failed: $(cat "$tmp/tty")"
tr '\r' '\n' <"$tmp/tty" >"$tmp/lines"
grep -q '^multios run: [0-9]*\.[0-9]* ms of 3000\.000 ms virtual ( *[0-9]*%), [0-9.]* s host $' "$tmp/lines" ||
	die "no progress line on the terminal: $(cat "$tmp/lines")"
grep -q '^== services ==$' "$tmp/out" || die "no report on stdout"
grep -q 'ms virtual (' "$tmp/out" && die "the progress line went to stdout"

# Never with --quiet; never when stderr is not a terminal; not before the
# delay (an hour).
MULTIOS_PROGRESS_DELAY_MS=0 timeout 60 script -qec \
	"'$cli' run '$ex' --quiet >/dev/null" /dev/null >"$tmp/tty" </dev/null
grep -q 'ms virtual (' "$tmp/tty" && die "a progress line with --quiet"
MULTIOS_PROGRESS_DELAY_MS=3600000 timeout 60 script -qec \
	"'$cli' run '$ex' >/dev/null" /dev/null >"$tmp/tty" </dev/null
grep -q 'ms virtual (' "$tmp/tty" && die "a progress line before the delay"
MULTIOS_PROGRESS_DELAY_MS=0 "$cli" run "$ex" >/dev/null 2>"$tmp/err"
[ ! -s "$tmp/err" ] || die "stderr not a terminal, yet: $(cat "$tmp/err")"

# The live options' usage errors: exit 2, nothing on stdout.
for args in "--admin $tmp/s" "--speed 2" "--live --speed 0" "--live --speed x" \
	"--live --speed" "--live --admin"; do
	rc=0
	# shellcheck disable=SC2086
	"$cli" run "$ex" $args >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = 2 ] || die "'run $args' exited $rc, expected 2"
	[ ! -s "$tmp/out" ] || die "'run $args' printed on stdout"
	grep -q "^multios run: " "$tmp/err" || die "'run $args': $(cat "$tmp/err")"
done
# A socket path that cannot be bound: exit 1, named, nothing left behind.
rc=0
"$cli" run "$ex" --live --speed 1000 --admin "$tmp/no-dir/s" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || die "a bad --admin path exited $rc, expected 1"
grep -q "no-dir/s" "$tmp/err" || die "the bad path is not named: $(cat "$tmp/err")"
# A live run nobody drives simulates what the plain run does.
"$cli" run "$ex" --json --quiet >"$tmp/plain.json"
"$cli" run "$ex" --json --quiet --live --speed 1000 >"$tmp/live.json"
a=$(grep '"trace_hash"' "$tmp/plain.json")
b=$(grep '"trace_hash"' "$tmp/live.json")
[ "$a" = "$b" ] || die "--live changed the run: $a vs $b"
echo "$me: ok"
