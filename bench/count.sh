#!/bin/sh
# bench/count.sh - instructions and cache misses per yield, counted, not
# timed: deterministic to a hundredth, whatever else the machine does.
#
# Usage: sh bench/count.sh [YIELD_BINARY]     (default build/bench/yield)
#
# For N = 2, 1 000 and 10 000 processes, runs the yield benchmark twice
# under cachegrind with a fixed cache model (32 KiB L1 I and D, 1 MiB
# LL, 64-byte lines) at two round counts and divides the differences by
# the extra yields, so set-up and tear-down cancel.  Prints one line per
# N.  Needs valgrind (scripts/install-deps.sh --bench).  Use it to
# bisect a slowdown of the yield path on a busy or virtual machine where
# wall-clock figures drift (docs/BENCHMARKS.md, "Counted").
set -eu
B=${1:-build/bench/yield}
command -v valgrind >/dev/null || { echo "count.sh: valgrind not found" >&2; exit 2; }
[ -x "$B" ] || { echo "count.sh: $B: not built (make $B)" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
for n in 2 1000 10000; do
	case $n in 2) k1=2000 k2=12000 ;; 1000) k1=5 k2=25 ;; *) k1=2 k2=7 ;; esac
	for k in $k1 $k2; do
		valgrind --tool=cachegrind --cache-sim=yes --I1=32768,8,64 \
			--D1=32768,8,64 --LL=1048576,16,64 \
			--cachegrind-out-file="$T/cg.$k" "$B" --n $n --rounds $k \
			--runs 1 >/dev/null 2>"$T/err" || { cat "$T/err" >&2; exit 1; }
	done
	# summary: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
	a=$(grep '^summary:' "$T/cg.$k1" | cut -d' ' -f2-)
	b=$(grep '^summary:' "$T/cg.$k2" | cut -d' ' -f2-)
	echo "$a|$b" | awk -F'|' -v n=$n -v d=$((n * (k2 - k1))) '{
		split($1, A, " "); split($2, B, " ")
		printf "N=%-6d instructions/yield %7.2f  D1 misses %6.3f  LL misses %6.3f\n",
			n, (B[1] - A[1]) / d, ((B[5] + B[8]) - (A[5] + A[8])) / d,
			((B[6] + B[9]) - (A[6] + A[9])) / d }'
done
