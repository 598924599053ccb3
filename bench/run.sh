#!/bin/sh
# bench/run.sh - the benchmark suite behind `make bench`: libmultios against
# its peers (SimGrid, swapcontext, Boost.Context, GNU Pth, pthreads, pipes),
# interleaved, then the scheduler-policy benchmark, then a summary.
#
# Expects the libmultios benchmarks already built in $BUILD/bench (make does
# that); builds the peer programs of bench/peers/ itself into
# $BUILD/bench/peers, since they need packages only `scripts/install-deps.sh
# --bench` installs.  Every sample runs in a fresh process pinned to one CPU
# (taskset); the suite makes BENCH_RUNS rounds (5) over all the samples, so
# drift on the machine spreads over every figure alike, and reports each
# figure as median, min and max over the rounds.
#
# Output on stdout: one JSON line per figure (bench/bench.h describes the
# fields), then the scheduler-policy lines, then a human summary with
# ratios (peer / libmultios) and each target of issue 4 marked met or
# missed.  Progress goes to stderr.  Timing never fails the run; the exit
# status is 1 only when something could not be built or run at all (the
# summary says what and why; a missing strace is only reported).
#
# Environment: BUILD (build), CC (cc), CXX (g++), BENCH_RUNS (5),
# MOS_CTX is ignored: libmultios runs under its default backend and, when
# that is not ucontext, again under MOS_CTX=ucontext.
set -u

BUILD=${BUILD:-build}
CC=${CC:-cc}
CXX=${CXX:-g++}
RUNS=${BENCH_RUNS:-5}
case "$RUNS" in
''|*[!0-9]*|0) echo "bench/run.sh: BENCH_RUNS must be a positive number" >&2; exit 2 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
B=$BUILD/bench
P=$B/peers
unset MOS_CTX

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mos-bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
: >"$TMP/samples"
: >"$TMP/failed"
: >"$TMP/notes"
START=$(date +%s)

say() { echo "bench: $*" >&2; }
fail() { echo "$*" >>"$TMP/failed"; say "$*"; }
note() { echo "$*" >>"$TMP/notes"; }

# ---- pinning ---------------------------------------------------------------

# The last CPU this process may run on (the first tends to take interrupts).
CPU=""
PIN=""
if command -v taskset >/dev/null 2>&1; then
	CPU=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//' |
	      awk -F, '{ n = split($NF, r, "-"); print r[n] }')
	[ -n "$CPU" ] && PIN="taskset -c $CPU"
fi
[ -n "$PIN" ] || note "taskset not found: samples were not pinned to a CPU"

# ---- the libmultios programs ------------------------------------------------

for prog in yield lifecycle spawn_many sched_policies signals resources services ipc call scenario_runs; do
	[ -x "$B/$prog" ] || fail "$B/$prog: not built (run make bench)"
done

# The backend "auto" resolves to, as the kernel reports it.
DEFAULT=$("$B/yield" --n 2 --rounds 1 --runs 1 2>/dev/null |
	  sed -n 's/.*"backend":"\([^"]*\)".*/\1/p')
if [ -z "$DEFAULT" ]; then
	fail "$B/yield: cannot run: $("$B/yield" --n 2 --rounds 1 --runs 1 2>&1 | tail -1)"
	DEFAULT=unknown
fi
BACKENDS=$DEFAULT
[ "$DEFAULT" = ucontext ] || BACKENDS="$DEFAULT ucontext"
[ "$DEFAULT" = unknown ] && BACKENDS=""
case " $BACKENDS " in
*" asm "*) ;;
*) note "asm backend: not in this build (figures pending); libmultios ran on $DEFAULT" ;;
esac

# ---- the peers ---------------------------------------------------------------

mkdir -p "$P"
CFLAGS_PEER="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra"
CXXFLAGS_PEER="-std=c++17 -O2 -g -Wall -Wextra"
PTH_FLAGS=$(pth-config --cflags --libs 2>/dev/null || echo -lpth)
SG_FLAGS=$(pkg-config --cflags --libs simgrid 2>/dev/null || echo -lsimgrid)

# build NAME COMMAND...: remember NAME as built when COMMAND succeeds.
: >"$TMP/built"
build() {
	name=$1
	shift
	if "$@" >"$TMP/build.$name" 2>&1; then
		echo "$name" >>"$TMP/built"
	else
		fail "peer $name: build failed: $(grep -m1 -i error "$TMP/build.$name" || tail -1 "$TMP/build.$name")"
	fi
}
built() { grep -qx "$1" "$TMP/built"; }

say "building the peers into $P"
# shellcheck disable=SC2086  # the flag lists are meant to split
{
build probe $CC $CFLAGS_PEER -o "$P/probe" "$HERE/peers/probe.c"
build ucontext $CC $CFLAGS_PEER -o "$P/ucontext" "$HERE/peers/ucontext.c"
build os $CC $CFLAGS_PEER -pthread -o "$P/os" "$HERE/peers/os.c"
build pth $CC $CFLAGS_PEER -o "$P/pth" "$HERE/peers/pth.c" $PTH_FLAGS
build fcontext $CXX $CXXFLAGS_PEER -o "$P/fcontext" "$HERE/peers/fcontext.cpp" \
	-lboost_context
build simgrid $CXX $CXXFLAGS_PEER -o "$P/simgrid" "$HERE/peers/simgrid.cpp" \
	$SG_FLAGS
}
SG_CFG="--cfg=contexts/factory:raw --cfg=contexts/stack-size:64 \
--cfg=contexts/guard-size:0 --log=root.thres:critical --log=xbt_cfg.thres:critical"

# ---- the jobs ---------------------------------------------------------------
#
# One line per sample program: name, then the command.  Iteration counts
# keep each sample between about 0.1 and 1 s of measured time on a 2-core
# machine where a system call costs ~1 us; they are reported as "iters".

: >"$TMP/jobs"
# job NAME COMMAND: COMMAND is one string, split into words when it runs.
job() { printf '%s\t%s\n' "$1" "$2" >>"$TMP/jobs"; }

# Rounds of the yield loop for N processes: about `switches` in all.
rounds() { r=$(( $2 / $1 )); [ "$r" -ge 1 ] || r=1; echo "$r"; }

for be in $BACKENDS; do
	env=""
	[ "$be" = "$DEFAULT" ] || env="env MOS_CTX=$be "
	# ucontext makes a system call per switch: fewer switches.
	if [ "$be" = ucontext ]; then sw=100000; lc=20000; else sw=2000000; lc=200000; fi
	for n in 2 1000 10000 65536; do
		s=$sw
		[ "$n" -ge 10000 ] && s=$((sw / 2))
		[ "$n" -ge 65536 ] && s=$((sw / 3))
		job "yield/libmultios/$be/$n" \
		    "$env$B/yield --n $n --rounds $(rounds $n $s) --runs 1"
	done
	for v in spawn_wait host_batch; do
		job "lifecycle/libmultios/$be/$v" \
		    "$env$B/lifecycle --variant $v --iters $lc --runs 1"
	done
	job "spawn_many/libmultios/$be" "$env$B/spawn_many --n 65536 --runs 1"
done
if built simgrid; then
	for n in 2 1000 10000 65536; do
		s=1000000
		[ "$n" -ge 10000 ] && s=500000
		[ "$n" -ge 65536 ] && s=327680
		job "yield/simgrid/$n" \
		    "$P/simgrid $SG_CFG --mode yield --n $n --rounds $(rounds $n $s)"
	done
	for v in spawn_wait host_batch; do
		job "lifecycle/simgrid/$v" \
		    "$P/simgrid $SG_CFG --mode lifecycle --variant $v --iters 2000"
	done
	job "spawn_many/simgrid" "$P/simgrid $SG_CFG --mode spawn_many --n 65536"
fi
for n in 2 1000 10000 65536; do
	for v in direct scheduler; do
		built ucontext && job "yield/swapcontext/$v/$n" \
			"$P/ucontext --variant $v --n $n --rounds $(rounds $n 100000)"
		built fcontext && job "yield/fcontext/$v/$n" \
			"$P/fcontext --variant $v --n $n --rounds $(rounds $n 2000000)"
	done
done
if built pth; then
	job "yield/pth/2" "$P/pth --n 2 --rounds 25000"
	job "yield/pth/1000" "$P/pth --n 1000 --rounds 20"
	job "yield/pth/10000" "$P/pth --n 10000 --rounds 1"
	note "pth at N = 65 536: skipped; its scheduler costs O(N) per switch (see N = 10 000), so one round would take about a minute"
fi
if built os; then
	job "yield/pthreads/2" "$P/os --variant pthread --rounds 20000"
	job "yield/processes/2" "$P/os --variant pipe --rounds 10000"
fi

# ---- strace: system calls during 1 000 000 switches --------------------------

STRACE=""
if command -v strace >/dev/null 2>&1; then
	STRACE=strace
else
	note "strace not found: the system-call figure was skipped (apt-get install strace)"
fi

# strace_sample BACKEND ROUNDS: one JSON line for a ping-pong of 2*ROUNDS
# switches under strace -f -c (every system call of the process counted).
strace_sample() {
	be=$1 r=$2
	out=$TMP/strace.out
	# shellcheck disable=SC2086  # PIN is a word list
	if ! env MOS_CTX="$be" $PIN strace -f -c -o "$out" "$B/yield" --n 2 \
		--rounds "$r" --runs 1 >/dev/null 2>"$TMP/strace.err"; then
		return 1
	fi
	calls=$(awk '$NF == "total" { print $4 }' "$out")
	[ -n "$calls" ] || return 1
	printf '{"bench":"syscalls","peer":"libmultios","variant":"strace",'
	printf '"backend":"%s","n":2,"iters":%s,' "$be" "$r"
	printf '"syscalls":{"median":%s,"min":%s,"max":%s},"runs":1,' \
		"$calls" "$calls" "$calls"
	printf '"switches":%s}\n' "$((2 * r))"
}
# The default backend's run joins the rounds unless it is ucontext (a
# system call per switch: 2 million of them under strace take minutes).
if [ -n "$STRACE" ] && [ "$DEFAULT" != ucontext ] && [ "$DEFAULT" != unknown ]; then
	job "syscalls/libmultios/$DEFAULT" "strace_sample $DEFAULT 500000"
fi

# ---- the rounds ---------------------------------------------------------------

# What a system call and a page fault cost here (bench/peers/probe.c).
PROBE='"syscall_ns":null,"page_fault_ns":null'
if built probe; then
	l=$($PIN "$P/probe" 2>/dev/null | grep '^{')
	[ -n "$l" ] && PROBE=$(printf '%s\n' "$l" | sed 's/^{"bench":"probe",//; s/}$//')
fi

: >"$TMP/skip"
round=1
while [ "$round" -le "$RUNS" ]; do
	say "round $round/$RUNS"
	while IFS='	' read -r name cmd; do
		grep -qxF "$name" "$TMP/skip" && continue
		printf '  %s' "$name" >&2
		t0=$(date +%s)
		# shellcheck disable=SC2086  # cmd is a word list built above
		case "$cmd" in
		strace_sample*) out=$($cmd 2>"$TMP/err" </dev/null) ;;
		*) out=$($PIN $cmd 2>"$TMP/err" </dev/null) ;;
		esac
		rc=$?
		line=$(printf '%s\n' "$out" | grep '^{' | tail -1)
		if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
			echo "$name" >>"$TMP/skip"
			case "$cmd" in
			# strace may be present but barred from ptrace (containers):
			# like a missing strace, that skips the figure only.
			strace_sample*) note "$name: strace could not trace: $(tail -1 "$TMP/strace.err" 2>/dev/null); figure skipped" ;;
			*) fail "$name: could not run (exit $rc): $(tail -1 "$TMP/err")" ;;
			esac
		else
			printf '%s\n' "$line" >>"$TMP/samples"
		fi
		echo " ($(( $(date +%s) - t0 )) s)" >&2
	done <"$TMP/jobs"
	round=$((round + 1))
done </dev/null

# Informational: the ucontext backend under strace, 10 000 switches.
if [ -n "$STRACE" ] && case " $BACKENDS " in *" ucontext "*) true ;; *) false ;; esac; then
	say "strace over 10 000 switches on ucontext"
	if l=$(strace_sample ucontext 5000); then
		echo "$l" >>"$TMP/samples"
	else
		note "syscalls/libmultios/ucontext: strace could not trace: $(tail -1 "$TMP/strace.err" 2>/dev/null); figure skipped"
	fi
	if [ "$DEFAULT" = ucontext ]; then
		note "strace: the default backend is ucontext; its system-call figure is over 10 000 switches, not 1 000 000 (2 per switch, so ~2 000 000 at 1 000 000)"
	fi
fi

# ---- aggregate --------------------------------------------------------------
#
# Samples of one figure share bench, peer, variant, backend and n.  Every
# {"median":...} member becomes median/min/max over the samples' medians;
# other members are taken from the first sample; runs is the sample count.

awk '
function parse(line,   rest, key, obj) {
	nf = 0
	rest = substr(line, 2, length(line) - 2)
	while (length(rest) > 0) {
		match(rest, /^"[^"]*":/)
		key = substr(rest, 2, RLENGTH - 3)
		rest = substr(rest, RLENGTH + 1)
		if (substr(rest, 1, 1) == "{") {
			match(rest, /^\{[^}]*\}/)
			obj = substr(rest, 1, RLENGTH)
			match(obj, /"median":[-0-9.eE+]+/)
			V[nf + 1] = substr(obj, RSTART + 9, RLENGTH - 9)
			T[nf + 1] = "o"
		} else if (substr(rest, 1, 1) == "\"") {
			match(rest, /^"[^"]*"/)
			V[nf + 1] = substr(rest, 1, RLENGTH)
			T[nf + 1] = "s"
		} else {
			match(rest, /^[^,]*/)
			V[nf + 1] = substr(rest, 1, RLENGTH)
			T[nf + 1] = "s"
		}
		rest = substr(rest, (T[nf + 1] == "o" ? length(obj) : RLENGTH) + 1)
		if (substr(rest, 1, 1) == ",")
			rest = substr(rest, 2)
		K[++nf] = key
	}
}
function field(name,   i) {
	for (i = 1; i <= nf; i++)
		if (K[i] == name)
			return V[i]
	return ""
}
/^\{/ {
	parse($0)
	g = field("bench") "|" field("peer") "|" field("variant") "|" \
	    field("backend") "|" field("n")
	if (!(g in count)) {
		order[++groups] = g
		nfields[g] = nf
		for (i = 1; i <= nf; i++) {
			fk[g, i] = K[i]; ft[g, i] = T[i]; fv[g, i] = V[i]
		}
	}
	c = ++count[g]
	for (i = 1; i <= nf; i++)
		if (T[i] == "o")
			samples[g, K[i], c] = V[i] + 0
}
END {
	for (o = 1; o <= groups; o++) {
		g = order[o]
		line = "{"
		for (i = 1; i <= nfields[g]; i++) {
			k = fk[g, i]
			line = line (i > 1 ? "," : "") "\"" k "\":"
			if (k == "runs") {
				line = line count[g]
			} else if (ft[g, i] == "s") {
				line = line fv[g, i]
			} else {
				n = count[g]
				for (a = 1; a <= n; a++)
					s[a] = samples[g, k, a]
				for (a = 2; a <= n; a++)
					for (b = a; b > 1 && s[b - 1] > s[b]; b--) {
						t = s[b]; s[b] = s[b - 1]; s[b - 1] = t
					}
				line = line sprintf("{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f}",
						    s[int(n / 2) + 1], s[1], s[n])
			}
		}
		print line "}"
	}
}' "$TMP/samples" >"$TMP/figures"

uname_s=$(uname -srm)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 0)
printf '{"bench":"machine","cpu":"%s","cpus":%s,"kernel":"%s","default_backend":"%s","runs":%s,"pinned_cpu":"%s",%s}\n' \
	"$cpu_model" "$ncpu" "$uname_s" "$DEFAULT" "$RUNS" "${CPU:-none}" \
	"$PROBE" | tee "$TMP/machine"
cat "$TMP/figures"

# ---- the scheduler policies ---------------------------------------------------

: >"$TMP/sched"
if [ -x "$B/sched_policies" ]; then
	say "scheduler policies ($B/sched_policies: its own 5 runs per figure)"
	if ! $PIN "$B/sched_policies" >"$TMP/sched" 2>"$TMP/err"; then
		fail "sched_policies: could not run: $(tail -1 "$TMP/err")"
	fi
	cat "$TMP/sched"
fi

# ---- signals ------------------------------------------------------------------

if [ -x "$B/signals" ]; then
	say "signals ($B/signals: its own 5 runs per figure)"
	if ! $PIN "$B/signals" >>"$TMP/sched" 2>"$TMP/err"; then
		fail "signals: could not run: $(tail -1 "$TMP/err")"
	fi
	grep '"bench":"signals"' "$TMP/sched"
fi

# ---- resources ----------------------------------------------------------------

if [ -x "$B/resources" ]; then
	say "resources ($B/resources: its own 5 runs per figure, accounting on and off alternating)"
	if ! $PIN "$B/resources" >>"$TMP/sched" 2>"$TMP/err"; then
		fail "resources: could not run: $(tail -1 "$TMP/err")"
	fi
	grep '"bench":"resources"' "$TMP/sched"
fi

# ---- services -----------------------------------------------------------------

if [ -x "$B/services" ]; then
	say "services ($B/services: its own 5 runs per figure at N = 10 000, E = 50 000; then --sizes, 3 runs)"
	if ! $PIN "$B/services" >>"$TMP/sched" 2>"$TMP/err" ||
	   ! $PIN "$B/services" --sizes --runs 3 >>"$TMP/sched" 2>"$TMP/err"; then
		fail "services: could not run: $(tail -1 "$TMP/err")"
	fi
	grep '"bench":"services"' "$TMP/sched"
fi

# ---- mailboxes: ping-pong against a yield -------------------------------------

say "ipc ($B/ipc: its own 5 runs; ping-pong over mailboxes, then the yield ring, each run)"
if ! $PIN "$B/ipc" >>"$TMP/sched" 2>"$TMP/err"; then
	fail "ipc: could not run: $(tail -1 "$TMP/err")"
fi
grep '"bench":"ipc"' "$TMP/sched"

# ---- requests through mos_sys_call ----------------------------------------------

say "call ($B/call: its own 5 runs per strategy, 1 000 clients, 10 instances, 100 calls each)"
if ! $PIN "$B/call" >>"$TMP/sched" 2>"$TMP/err"; then
	fail "call: could not run: $(tail -1 "$TMP/err")"
fi
grep '"bench":"call"' "$TMP/sched"

# ---- whole scenario runs (what a fault exploration pays per run) ------------

say "scenario_runs ($B/scenario_runs: its own 5 samples of 500 runs of web-stack to 10 s, a fresh kernel each)"
if ! $PIN "$B/scenario_runs" --file "$HERE/../examples/scenarios/web-stack.json" \
	>>"$TMP/sched" 2>"$TMP/err"; then
	fail "scenario_runs: could not run: $(tail -1 "$TMP/err")"
fi
grep '"bench":"scenario_runs"' "$TMP/sched"

ELAPSED=$(( $(date +%s) - START ))

# ---- summary ------------------------------------------------------------------

awk -v default="$DEFAULT" -v runs="$RUNS" -v cpu="${CPU:-none}" \
    -v elapsed="$ELAPSED" -v backends="$BACKENDS" \
    -v notes="$TMP/notes" -v failed="$TMP/failed" '
function get(line, key,   m) {
	if (match(line, "\"" key "\":\"[^\"]*\"")) {
		m = substr(line, RSTART + length(key) + 4)
		return substr(m, 1, index(m, "\"") - 1)
	}
	if (match(line, "\"" key "\":\\{[^}]*\\}"))
		return substr(line, RSTART, RLENGTH)
	if (match(line, "\"" key "\":[-0-9.eE+]+"))
		return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
	return ""
}
function stat(obj, which,   m) {
	if (!match(obj, "\"" which "\":[-0-9.eE+]+"))
		return ""
	return substr(obj, RSTART + length(which) + 3, RLENGTH - length(which) - 3) + 0
}
function unitof(line) {
	if (line ~ /"ns_per_switch"/) return "ns_per_switch"
	if (line ~ /"ns_per_op"/) return "ns_per_op"
	if (line ~ /"ns_per_decision"/) return "ns_per_decision"
	if (line ~ /"syscalls":\{/) return "syscalls"
	return "ms"
}
function num(x) {
	if (x == "") return "-"
	if (x >= 100000) return sprintf("%.0f", x)
	if (x >= 1000) return sprintf("%.0f", x)
	if (x >= 100) return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}
function mark(ok) { return ok ? "met" : "MISSED" }
# Value of figure bench|peer|variant|backend|n, "" when it did not run.
function val(key) { return (key in MED) ? MED[key] : "" }

FILENAME == notes { NOTES[++nnotes] = $0; next }
FILENAME == failed { FAILS[++nfails] = $0; next }
/^\{"bench":"(yield|lifecycle|spawn_many|syscalls)"/ {
	u = unitof($0)
	k = get($0, "bench") "|" get($0, "peer") "|" get($0, "variant") "|" \
	    get($0, "backend") "|" get($0, "n")
	o = get($0, u)
	MED[k] = stat(o, "median"); MIN[k] = stat(o, "min"); MAX[k] = stat(o, "max")
	ITERS[k] = get($0, "iters")
	if (get($0, "bench") == "spawn_many") {
		r = get($0, "peak_rss_mib"); RSS[k] = stat(r, "median")
		RSSMIN[k] = stat(r, "min"); RSSMAX[k] = stat(r, "max")
		c = get($0, "create_ms"); CREATE[k] = stat(c, "median")
		FAULTS[k] = get($0, "faults_create") + get($0, "faults_run")
		if (get($0, "peer") != "libmultios") FAULTS[k] = "-"
	}
	rows[++nrows] = k
	next
}
/^\{"bench":"machine"/ {
	SYSNS = get($0, "syscall_ns"); PFNS = get($0, "page_fault_ns"); next
}
/^\{"bench":"signals"/ {
	SIG[++nsig] = sprintf("%-12s %9s %9s %9s", get($0, "variant"),
			      num(stat(get($0, "ns_per_op"), "median")),
			      num(stat(get($0, "ns_per_op"), "min")),
			      num(stat(get($0, "ns_per_op"), "max")))
	next
}
/^\{"bench":"resources"/ {
	RES[++nres] = sprintf("%-12s %6s %-4s %9s %9s %9s", get($0, "variant"),
			      get($0, "n"), get($0, "accounting") == "" ? "-" : get($0, "accounting"),
			      num(stat(get($0, "ns_per_op"), "median")),
			      num(stat(get($0, "ns_per_op"), "min")),
			      num(stat(get($0, "ns_per_op"), "max")))
	next
}
/^\{"bench":"services"/ {
	u = (get($0, "variant") == "start_order") ? "ns_per_item" : "ns_per_service"
	SVC[++nsvc] = sprintf("%-15s %7s %7s %10s %10s %10s %10s", get($0, "variant"),
			      get($0, "n"), get($0, "edges"),
			      num(stat(get($0, u), "median")),
			      num(stat(get($0, u), "min")),
			      num(stat(get($0, u), "max")),
			      num(stat(get($0, "total_ms"), "median")))
	next
}
/^\{"bench":"scenario_runs"/ {
	SCR[++nscr] = sprintf("%-12s %12s %9s %9s %9s   trace %s", get($0, "scenario"),
			      get($0, "until_ns"),
			      num(stat(get($0, "runs_per_sec"), "median")),
			      num(stat(get($0, "runs_per_sec"), "min")),
			      num(stat(get($0, "runs_per_sec"), "max")),
			      get($0, "trace_hash"))
	next
}
/^\{"bench":"sched_policies"/ {
	p = get($0, "policy"); w = get($0, "workload"); n = get($0, "runnable")
	o = get($0, "ns_per_decision")
	if (!((p "|" w) in SEEN)) { SEEN[p "|" w] = 1; SP[++nsp] = p "|" w }
	SCHED[p "|" w "|" n] = stat(o, "median")
	next
}
END {
	nb = split(backends, BE, " ")
	printf "\n==== libmultios benchmarks: summary ====\n"
	printf "%d interleaved rounds; each figure is the median [min .. max] of its rounds.\n", runs
	printf "Samples pinned to CPU %s.  libmultios default context backend: %s", cpu, default
	printf " (also run with MOS_CTX=ucontext).\n"
	printf "ratio = peer / libmultios(%s) at the same N: above 1, libmultios is faster.\n", default
	if (SYSNS != "")
		printf "This machine: a system call costs %s ns, a first-touch page fault %s ns.\n", SYSNS, PFNS

	print "\n-- 1. Yield: ns per process-to-process switch --"
	printf "%-12s %-10s %-9s %6s %10s %10s %10s %8s %9s\n", "peer", "variant", \
	       "backend", "N", "median", "min", "max", "ratio", "iters"
	split("2 1000 10000 65536", NS, " ")
	for (ni = 1; ni <= 4; ni++) {
		n = NS[ni]
		base = val("yield|libmultios|yield|" default "|" n)
		for (r = 1; r <= nrows; r++) {
			k = rows[r]; split(k, f, "|")
			if (f[1] != "yield" || f[5] != n) continue
			ratio = (base != "" && base > 0) ? sprintf("%.2f", MED[k] / base) : "-"
			printf "%-12s %-10s %-9s %6s %10s %10s %10s %8s %9s\n", f[2], f[3], \
			       f[4], n, num(MED[k]), num(MIN[k]), num(MAX[k]), ratio, ITERS[k]
		}
	}

	print "\n-- 2. Process lifecycle: create + run + exit + reap, ns per process --"
	printf "%-12s %-11s %-9s %10s %10s %10s %8s %9s\n", "peer", "variant", \
	       "backend", "median", "min", "max", "ratio", "iters"
	for (r = 1; r <= nrows; r++) {
		k = rows[r]; split(k, f, "|")
		if (f[1] != "lifecycle") continue
		base = val("lifecycle|libmultios|" f[3] "|" default "|1")
		ratio = (base != "" && base > 0) ? sprintf("%.1f", MED[k] / base) : "-"
		printf "%-12s %-11s %-9s %10s %10s %10s %8s %9s\n", f[2], f[3], f[4], \
		       num(MED[k]), num(MIN[k]), num(MAX[k]), ratio, ITERS[k]
	}

	print "\n-- 3. 65 536 concurrent sleeping processes (64 KiB stacks) --"
	printf "%-12s %-9s %10s %10s %10s %10s %9s %9s  %s\n", "peer", "backend", \
	       "ms median", "min", "max", "create ms", "faults", "RSS MiB", "[min..max]"
	for (r = 1; r <= nrows; r++) {
		k = rows[r]; split(k, f, "|")
		if (f[1] != "spawn_many") continue
		printf "%-12s %-9s %10s %10s %10s %10s %9s %9s  [%s..%s]\n", f[2], f[4], \
		       num(MED[k]), num(MIN[k]), num(MAX[k]), num(CREATE[k]), \
		       FAULTS[k], num(RSS[k]), num(RSSMIN[k]), num(RSSMAX[k])
	}
	print "ms: create all + run until all sleep; create ms: the create calls alone;"
	print "faults: minor page faults of one run (create + run); RSS: peak resident set"

	print "\n-- 4. System calls (strace -f -c, whole process) --"
	any = 0
	for (r = 1; r <= nrows; r++) {
		k = rows[r]; split(k, f, "|")
		if (f[1] != "syscalls") continue
		any = 1
		printf "libmultios %-9s ping-pong, %d switches: %d system calls [%d..%d]\n", \
		       f[4], 2 * ITERS[k], MED[k], MIN[k], MAX[k]
	}
	if (!any) print "(not measured: see the notes below)"

	print "\n-- 5. Scheduler policies: ns per decision (median), at 16 / 1 024 / 65 536 runnable --"
	if (nsp == 0) print "(not run)"
	for (i = 1; i <= nsp; i++) {
		split(SP[i], f, "|")
		printf "%-9s %-8s %9s %9s %9s\n", f[1], f[2], num(SCHED[SP[i] "|16"]), \
		       num(SCHED[SP[i] "|1024"]), num(SCHED[SP[i] "|65536"])
	}

	print "\n-- 6. Signals: ns per operation (median, min, max) --"
	if (nsig == 0) print "(not run)"
	for (i = 1; i <= nsig; i++) print SIG[i]

	print "\n-- 7. Resources: ns per operation (median, min, max); accounting on/off --"
	if (nres == 0) print "(not run)"
	for (i = 1; i <= nres; i++) print RES[i]

	print "\n-- 8. Services: ns per service (start_order: per service or edge walked) --"
	if (nsvc == 0) print "(not run)"
	else printf "%-15s %7s %7s %10s %10s %10s %10s\n", "figure", "N", "edges", \
		    "median", "min", "max", "total ms"
	for (i = 1; i <= nsvc; i++) print SVC[i]

	print "\n-- 9. Whole scenario runs per second of host time (fresh kernel each run) --"
	if (nscr == 0) print "(not run)"
	else printf "%-12s %12s %9s %9s %9s\n", "scenario", "until ns", "median", "min", "max"
	for (i = 1; i <= nscr; i++) print SCR[i]

	print "\n-- Targets (issue 4); ratios are only valid within this run --"
	printf "%-48s", "target"
	for (b = 1; b <= nb; b++) printf " %-22s", "libmultios " BE[b]
	printf "\n"
	nt = 0
	for (b = 1; b <= nb; b++) { MET[b] = 0 }
	T[++nt] = "yield N = 2: <= 50 ns per switch|le|yield|2|50"
	T[++nt] = "yield N = 1 000: <= 50 ns per switch|le|yield|1000|50"
	T[++nt] = "yield N = 2: >= 4x faster than SimGrid raw|sg|yield|2|4"
	T[++nt] = "yield N = 1 000: >= 4x faster than SimGrid raw|sg|yield|1000|4"
	T[++nt] = "yield N = 10 000: <= 100 ns per switch|le|yield|10000|100"
	T[++nt] = "yield N = 10 000: >= 6x faster than SimGrid raw|sg|yield|10000|6"
	T[++nt] = "ping-pong: >= 5x faster than swapcontext|uc|yield|2|5"
	T[++nt] = "lifecycle (spawn+wait): <= 300 ns|le|lifecycle|1|300"
	T[++nt] = "lifecycle: >= 50x faster than SimGrid actors|sgl|lifecycle|1|50"
	T[++nt] = "65 536 processes created in < 100 ms|ltc|spawn_many|65536|100"
	T[++nt] = "... created and all asleep in < 100 ms|lt|spawn_many|65536|100"
	T[++nt] = "65 536 sleeping processes: peak RSS <= 512 MiB|rss|spawn_many|65536|512"
	T[++nt] = "1 000 000 switches: < 100 system calls|sys|syscalls|2|100"
	for (t = 1; t <= nt; t++) {
		split(T[t], f, "|")
		printf "%-48s", f[1]
		for (b = 1; b <= nb; b++) {
			be = BE[b]; cell = "not measured"
			if (f[3] == "yield") mk = "yield|libmultios|yield|" be "|" f[4]
			else if (f[3] == "lifecycle") mk = "lifecycle|libmultios|spawn_wait|" be "|1"
			else if (f[3] == "spawn_many") mk = "spawn_many|libmultios|sleep|" be "|65536"
			else mk = "syscalls|libmultios|strace|" be "|2"
			v = val(mk)
			if (v != "" && f[2] == "le") {
				ok = v <= f[5]; cell = num(v) " ns " mark(ok)
			} else if (v != "" && f[2] == "lt") {
				ok = v < f[5]; cell = num(v) " ms " mark(ok)
			} else if (v != "" && f[2] == "ltc") {
				v = CREATE[mk]; ok = v < f[5]; cell = num(v) " ms " mark(ok)
			} else if (v != "" && f[2] == "rss") {
				v = RSS[mk]; ok = v <= f[5]; cell = num(v) " MiB " mark(ok)
			} else if (v != "" && f[2] == "sys") {
				if (ITERS[mk] * 2 < 1000000) { ok = -1; cell = sprintf("%d at %d sw.", v, 2 * ITERS[mk]) }
				else { ok = v < f[5]; cell = sprintf("%d ", v) mark(ok) }
			} else if (v != "") {
				if (f[2] == "sg") p = val("yield|simgrid|yield|raw|" f[4])
				else if (f[2] == "uc") p = val("yield|swapcontext|direct|glibc|2")
				else p = val("lifecycle|simgrid|spawn_wait|raw|1")
				if (p == "") { ok = -1; cell = "peer missing" }
				else { ok = p / v >= f[5]; cell = sprintf("%.2fx ", p / v) mark(ok) }
			} else {
				ok = -1
			}
			if (ok == 1) MET[b]++
			if (ok != -1) TOTAL[b]++
			printf " %-22s", cell
		}
		printf "\n"
	}
	printf "%-48s", "met"
	for (b = 1; b <= nb; b++) printf " %-22s", (MET[b] + 0) " of " (TOTAL[b] + 0)
	printf "\n"

	if (nnotes) print "\nNotes:"
	for (i = 1; i <= nnotes; i++) print "- " NOTES[i]
	if (nfails) print "\nCould not run:"
	for (i = 1; i <= nfails; i++) print "- " FAILS[i]
	printf "\nTotal time of the suite: %d s.\n", elapsed
}' "$TMP/notes" "$TMP/failed" "$TMP/machine" "$TMP/figures" "$TMP/sched"

[ -s "$TMP/failed" ] && exit 1
exit 0
