#!/bin/sh
# check_live.sh - live mode as a user drives it: a live run with its
# admin socket in a temporary folder, driven by `multios ctl` (ps, status,
# stop, start, kill, stats, audit, services, a malformed line, 50 clients
# at once, watch), then ended with SIGINT; every reply is checked, and the
# final report.  MODE "run" (issue 14, acceptance 3) runs the scenario
# tests/data/live-web.json with `multios run --live`; MODE "demo" runs
# `multios live`, the same services and clients built in.
#
# Usage: tests/check_live.sh PATH/TO/multios [run|demo]
#
# Uses POSIX tools, coreutils' timeout and python3 (only to send a raw
# malformed line to the socket: ctl never sends one).
set -eu

me=check_live
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 PATH/TO/multios [run|demo]" >&2; exit 2; }
cli=$1
mode=${2:-run}
root=$(cd "$(dirname "$0")/.." && pwd)
case $mode in
run|demo) me="check_live ($mode)" ;;
*) echo "$0: MODE must be run or demo" >&2; exit 2 ;;
esac
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }

tmp=$(mktemp -d)
sock=$tmp/admin.sock
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

die() {
	echo "$me: $*" >&2
	[ ! -f "$tmp/live.err" ] || { echo "--- multios live stderr:" >&2; cat "$tmp/live.err" >&2; }
	exit 1
}

# ctl NAME ARGS...: one `multios ctl`, stdout/stderr to $tmp/NAME.*,
# status to $rc.
ctl() {
	name=$1
	shift
	rc=0
	timeout 20 "$cli" ctl --socket "$sock" "$@" >"$tmp/$name.out" \
		2>"$tmp/$name.err" || rc=$?
	[ "$rc" != 124 ] || die "'multios ctl $*' ran for more than 20 s"
}
expect_rc() {
	[ "$rc" = "$2" ] || die "'$1' exited $rc, expected $2; stderr: $(cat "$tmp/$1.err")"
}
has() {
	grep -q -- "$2" "$tmp/$1.out" || die "'$1' printed no '$2':
$(cat "$tmp/$1.out")"
}

# ---- usage and a missing socket ------------------------------------------

ctl nosock ps
expect_rc nosock 1
grep -q "$sock" "$tmp/nosock.err" || die "the connection failure does not name the socket"
rc=0; "$cli" ctl ps >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || die "'multios ctl ps' without --socket exited $rc, expected 2"
ctl badcmd frobnicate
expect_rc badcmd 2
ctl help --help
expect_rc help 0
has help 'Usage: multios ctl'

# ---- start it ------------------------------------------------------------

if [ "$mode" = run ]; then
	"$cli" run "$root/tests/data/live-web.json" --live --admin "$sock" \
		--speed 20 >"$tmp/live.out" 2>"$tmp/live.err" &
else
	"$cli" live --admin "$sock" --speed 20 >"$tmp/live.out" 2>"$tmp/live.err" &
fi
pid=$!
i=0
while [ ! -S "$sock" ]; do
	i=$((i + 1))
	[ $i -le 100 ] || die "no socket after 10 s"
	kill -0 "$pid" 2>/dev/null || die "the live run exited early"
	sleep 0.1
done
perm=$(ls -l "$sock" | cut -c1-10)
[ "$perm" = "srw-------" ] || die "socket mode $perm, expected srw-------"

# ---- commands -------------------------------------------------------------

ctl ps ps
expect_rc ps 0
has ps 'PID  PPID'
has ps 'server 1ms 1ms'
has ps 'client web 20'
ctl psj --json ps
expect_rc psj 0
has psj '^{"ok":true,"result":\[{"pid":1,'
ctl services services
expect_rc services 0
has services 'web .*Running .* 2 .* db'
ctl status status web
expect_rc status 0
has status '^state  *Running'
ctl stop stop web
expect_rc stop 0
has stop '^web: Stopp'
ctl stopped --json status web
has stopped '"state":"Stopped"'
ctl start start web
expect_rc start 0
has start '^web: \(Starting\|Running\)'
ctl nosvc stop nope
expect_rc nosvc 1
grep -q 'MOS_ESVCNOTFOUND' "$tmp/nosvc.err" || die "stop nope: $(cat "$tmp/nosvc.err")"
ctl kill kill 5 TERM
expect_rc kill 0
has kill 'sent SIGTERM to pid 5'
ctl nokill kill 999 KILL
expect_rc nokill 1
ctl stats stats
expect_rc stats 0
has stats '^services  *2'
ctl audit audit
expect_rc audit 0
has audit 'SEQ'

# ---- a malformed line, then the server still answers ---------------------

python3 - "$sock" >"$tmp/raw.out" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b'{"cmd": oops\n{"cmd":"nope"}\n{"cmd":"ps"}\n')
f = s.makefile("rb")
for _ in range(3):
    sys.stdout.write(f.readline().decode())
EOF
sed -n 1p "$tmp/raw.out" | grep -q '"ok":false,"error":"bad JSON' || die "malformed: $(cat "$tmp/raw.out")"
sed -n 2p "$tmp/raw.out" | grep -q "unknown command 'nope'" || die "unknown: $(cat "$tmp/raw.out")"
sed -n 3p "$tmp/raw.out" | grep -q '"ok":true' || die "after errors: $(cat "$tmp/raw.out")"

# ---- 50 clients at once ---------------------------------------------------

i=0
while [ $i -lt 50 ]; do
	(timeout 20 "$cli" ctl --socket "$sock" --json status web \
		>"$tmp/many.$i.out" 2>&1; echo $? >"$tmp/many.$i.rc") &
	i=$((i + 1))
done
wait_many=0
i=0
while [ $i -lt 50 ]; do
	while [ ! -s "$tmp/many.$i.rc" ]; do
		wait_many=$((wait_many + 1))
		[ $wait_many -le 400 ] || die "50 clients: not all answered in 20 s"
		sleep 0.05
	done
	[ "$(cat "$tmp/many.$i.rc")" = 0 ] || die "client $i: $(cat "$tmp/many.$i.out")"
	grep -q '^{"ok":true,"result":{"id":2,"name":"web"' "$tmp/many.$i.out" ||
		die "client $i: $(cat "$tmp/many.$i.out")"
	i=$((i + 1))
done

# ---- watch sees a state change --------------------------------------------

timeout 20 "$cli" ctl --socket "$sock" --json watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
wpid=$!
i=0
until grep -q '"watching":true' "$tmp/watch.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || die "watch: no first reply"
	sleep 0.05
done
ctl restart restart web
expect_rc restart 0
i=0
until grep -q '"event":"service".*"service":"web"' "$tmp/watch.out"; do
	i=$((i + 1))
	[ $i -le 200 ] || die "watch: no service event: $(head -5 "$tmp/watch.out")"
	sleep 0.05
done
kill -INT "$wpid"
rc=0
wait "$wpid" || rc=$?
[ "$rc" = 0 ] || die "ctl watch ended by SIGINT exited $rc"

# ---- SIGINT ends the run with a report -------------------------------------

kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || die "the live run exited $rc after SIGINT"
if [ "$mode" = run ]; then
	grep -q '^(ended early by the host at [0-9]*\.000 ms)$' "$tmp/live.out" ||
		die "no final report: $(cat "$tmp/live.out")"
	grep -q 'SIGINT: the run ends here' "$tmp/live.err" ||
		die "SIGINT not reported: $(cat "$tmp/live.err")"
	# The timeline holds what ctl did: web stopped, started, restarted.
	grep -q 'service web  *Running -> Stopping  *request' "$tmp/live.out" ||
		die "the timeline lacks ctl's stop: $(cat "$tmp/live.out")"
	grep -q '^web  *Running ' "$tmp/live.out" ||
		die "report lacks web: $(cat "$tmp/live.out")"
	grep -q '^== system ==$' "$tmp/live.out" || die "no system report"
else
	grep -q 'ended at .* (SIGINT)' "$tmp/live.out" || die "no final report: $(cat "$tmp/live.out")"
	grep -q '^service web ' "$tmp/live.out" || die "report lacks web: $(cat "$tmp/live.out")"
fi
[ ! -e "$sock" ] || die "the socket file is still there"
echo "$me: ok"
