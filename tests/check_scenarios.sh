#!/bin/sh
# check_scenarios.sh - every scenario in examples/scenarios/ runs to
# completion with `multios run`, and two runs give byte-identical --json
# (issue 14, acceptance 2); the text form runs too.  Each example shows
# what its name says: its --json is checked for it (show_point below), and
# boot-200 runs in under a second of host time.
#
# Usage: tests/check_scenarios.sh PATH/TO/multios [SAN]
# SAN (the Makefile's SAN=...) not empty: a sanitizer build, several times
# slower, where the host-time bound is only a warning.
set -eu

me=check_scenarios
[ $# -eq 1 ] || [ $# -eq 2 ] || { echo "usage: $0 PATH/TO/multios [SAN]" >&2; exit 2; }
cli=$1
san=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# show_point NAME JSON: the scenario's point, asserted on its --json
# (exact times and orders: everything is virtual time).
show_point() {
	python3 - "$1" "$2" <<'EOF'
import json, sys

name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
tl = d["timeline"]
procs = {}
for p in d["processes"]:
	procs.setdefault(p["name"], []).append(p)
svcs = {s["name"]: s for s in d["services"]}
MS = 1000000


def fail(msg):
	sys.exit("%s: %s" % (name, msg))


def lines(event=None, t=None, subject=None):
	return [e for e in tl
		if (event is None or e["event"] == event)
		and (t is None or e["time_ns"] == t)
		and (subject is None or e["subject"].startswith(subject))]


def who(e):
	return e["subject"].split(" (pid")[0]


if name == "crash-loop":
	# Backs off to the start limit, Failed; the cooldown starts it again.
	fl = [(e["time_ns"] // MS, e["event"]) for e in tl
	      if e["subject"] == "service flaky-svc" and e["reason"] == "start limit"]
	if fl != [(850, "Running -> Failed"), (2850, "Failed -> Starting"),
		  (3700, "Running -> Failed"), (5700, "Failed -> Starting")]:
		fail("start limit and cooldown: %r" % fl)
elif name == "web-stack":
	# Under load, the hung instance is restarted by its liveness probe.
	if [e["time_ns"] // MS for e in lines("Running -> Starting", subject="service web")
	    if e["reason"] == "health"] != [1550]:
		fail("no health restart of web")
	if svcs["web"]["calls"] != 900 or svcs["web"]["health_failures"] != 2:
		fail("web's calls and health: %r" % svcs["web"])
elif name == "memory-leak":
	# worker hits its own limit and lives; the machine fills, and the OOM
	# response kills leaker (the highest badness), not db (adj -1000).
	lim = lines("limit 0", subject="worker")
	if len(lim) != 4 or lim[0]["time_ns"] != 163 * MS:
		fail("worker's limit lines: %r" % lim)
	kills = lines("mark")
	if [(who(e), e["reason"], e["time_ns"]) for e in kills] != \
			[("leaker", "oom-kill", 405 * MS)]:
		fail("OOM kills: %r" % kills)
	if procs["leaker"][0]["exit"] != "killed SIGKILL":
		fail("leaker not killed")
	for n in ("db", "cache", "worker"):
		if procs[n][0]["exit"] != "-":
			fail("%s did not survive" % n)
	if d["stats"]["memory_peak"] != 8388608:
		fail("the machine never filled")
elif name == "cpu-quota":
	thr = [e["time_ns"] // MS for e in lines("throttled")]
	if thr != [24, 124, 224, 324, 424, 568, 668, 768, 868]:
		fail("throttled at %r" % thr)
	unthr = [e["time_ns"] // MS for e in lines("unthrottled")]
	if unthr != [100, 200, 300, 400, 500, 600, 700, 800, 900]:
		fail("unthrottled at %r" % unthr)
	if len(lines("action set_quota")) != 2 or d["actions_failed"]:
		fail("the quota changes")
elif name == "graceful-shutdown":
	api, legacy = procs["api#0"][0], procs["legacy#0"][0]
	if (api["exit"], api["end_ns"]) != ("exited 0", 323 * MS):
		fail("api did not end cleanly in its grace period: %r" % api)
	if (legacy["exit"], legacy["end_ns"]) != ("killed SIGKILL", 800 * MS):
		fail("legacy not SIGKILLed at its stop timeout: %r" % legacy)
	if not lines("signal SIGTERM", 300 * MS, "legacy") or \
			"ignored" not in lines("signal SIGTERM", 300 * MS, "legacy")[0]["reason"]:
		fail("legacy did not ignore SIGTERM")
	if [e["reason"] for e in lines("signal SIGHUP", subject="worker")][-1] != \
			"from pid 0: caught":
		fail("worker's SIGHUP handler")
elif name == "emergency-stop":
	# Reverse priority, processes before services at one priority; SIGKILL
	# at 500 ms + emergency_termination_timeout_ms.
	term = [who(e) for e in lines("signal SIGTERM", 500 * MS)]
	if term != ["cleanup", "report", "batch#0", "indexer", "web#0", "web#1"]:
		fail("SIGTERM order %r" % term)
	stops = [e["subject"] for e in lines("Running -> Stopping", 500 * MS)]
	if stops != ["service batch", "service web", "service cache"]:
		fail("stop order %r" % stops)
	kill = [who(e) for e in lines("signal SIGKILL")]
	if kill != ["indexer", "web#0", "web#1", "cache#0"] or \
			{e["time_ns"] for e in lines("signal SIGKILL")} != {2000 * MS}:
		fail("SIGKILLs %r" % lines("signal SIGKILL"))
	if procs["monitor"][0]["exit"] != "-" or svcs["journal"]["state"] != "Running":
		fail("critical work was stopped")
elif name == "supervisor-tree":
	def restarted(t):
		return sorted(e["subject"] for e in lines("Stopped -> Starting", t))
	pipeline = ["service ingest", "service store", "service transform"]
	if restarted(400 * MS) != pipeline or restarted(1200 * MS) != pipeline:
		fail("one_for_all did not restart every member at one instant")
	if restarted(800 * MS) != ["service api"]:
		fail("one_for_one restarted more than api")
	if any(len(procs[n]) != 3 for n in ("ingest#0", "transform#0", "store#0")):
		fail("pipeline members not started three times")
elif name == "flapping-db":
	# The file's own seed draws no fault: the configuration looks fine
	# until `multios explore` tries other seeds (check_explore.sh).
	if d.get("faults") or any(s["state"] != "Running" for s in svcs.values()):
		fail("the file's seed should draw no fault and leave all Running")
elif name == "boot-200":
	if len(svcs) != 200 or any(s["state"] != "Running" for s in svcs.values()):
		fail("not all 200 services Running")
	up = lines("Starting -> Running", subject="service multi-user.target")
	if len(up) != 1 or up[0]["time_ns"] != 198 * MS:
		fail("the target came up at %r" % up)
	if svcs["edge-00"]["calls"] != 80 or svcs["edge-00"]["calls_failed"]:
		fail("edge-00's calls")
EOF
}

# The host time of one run of FILE, in seconds.
host_time() {
	python3 - "$cli" "$1" <<'EOF'
import subprocess, sys, time

t = time.monotonic()
subprocess.run([sys.argv[1], "run", sys.argv[2], "--json"], check=True,
	       stdout=subprocess.DEVNULL, timeout=60)
print("%.3f" % (time.monotonic() - t))
EOF
}

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
	show_point "${name%.json}" "$tmp/1.json" ||
		{ echo "$me: $name: the run does not show its point" >&2; exit 1; }
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

# The 200-service boot in under a second of host time (the best of three,
# so a busy machine does not fail it by chance).
boot=$root/examples/scenarios/boot-200.json
best=
for i in 1 2 3; do
	t=$(host_time "$boot") || { echo "$me: boot-200 failed" >&2; exit 1; }
	best=$(python3 -c 'import sys; print(min(float(x) for x in sys.argv[1:] if x))' $t $best)
done
if ! python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= 1.0)' "$best"; then
	if [ -n "$san" ]; then
		echo "$me: warning: boot-200 took ${best} s of host time (a $san build)" >&2
	else
		echo "$me: boot-200 took ${best} s of host time, not under 1 s" >&2
		exit 1
	fi
fi

[ "$n" -ge 8 ] || { echo "$me: only $n scenarios in examples/scenarios/" >&2; exit 1; }
echo "$me: ok ($n scenarios, each twice byte-identical and showing its point; boot-200 in ${best} s)"
