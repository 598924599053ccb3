#!/bin/sh
# check_cli.sh - smoke test of the multios command.
#
# Usage: tests/check_cli.sh PATH/TO/multios
#
# --help and --version work, an unknown command is a usage error (exit 2,
# message on stderr), and `multios run` succeeds, prints the ps table and
# prints the same bytes every time (virtual time only).
set -eu

me=check_cli
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
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
	"$cli" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
}

run help --help
[ "$rc" = 0 ] || die "'multios --help' exited $rc, expected 0"
grep -q 'Usage:' "$tmp/help.out" || die "'multios --help' printed no 'Usage:' on stdout"
grep -qw 'run' "$tmp/help.out" || die "'multios --help' does not mention 'run'"

version=$(sed -n 's/^#define MOS_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/multios/kernel.h")
[ -n "$version" ] || die "no MOS_VERSION_STRING in include/multios/kernel.h"
run version --version
[ "$rc" = 0 ] || die "'multios --version' exited $rc, expected 0"
grep -Eq "^multios $(echo "$version" | sed 's/\./\\./g')([^0-9.]|\$)" "$tmp/version.out" ||
	die "'multios --version' printed '$(cat "$tmp/version.out")', expected 'multios $version'"

run bogus bogus-command
[ "$rc" = 2 ] || die "'multios bogus-command' exited $rc, expected 2"
[ -s "$tmp/bogus.err" ] || die "'multios bogus-command' printed nothing on stderr"

for i in 1 2; do
	run "run$i" run
	[ "$rc" = 0 ] || die "'multios run' exited $rc, expected 0; stderr:
$(cat "$tmp/run$i.err")"
done
grep -q 'PID' "$tmp/run1.out" || die "'multios run' printed no ps table (no 'PID' header)"
grep -Eq 'Defunct|Zombie' "$tmp/run1.out" || die "'multios run' shows no Defunct or Zombie process"
cmp "$tmp/run1.out" "$tmp/run2.out" >&2 || die "two runs of 'multios run' printed different output"

echo "$me: ok"
