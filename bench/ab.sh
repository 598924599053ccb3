#!/bin/sh
# bench/ab.sh - the yield path of two builds side by side, with the bare
# fcontext ring, interleaved in one run: is a change slower than its base?
#
# Usage: sh bench/ab.sh OLD_YIELD NEW_YIELD [FCONTEXT] [ROUNDS]
#   OLD_YIELD, NEW_YIELD  two builds of bench/yield (say, a worktree of the
#                         base commit's build/bench/yield, and this one's)
#   FCONTEXT              the peer ring (default build/bench/peers/fcontext,
#                         made by `make bench`)
#   ROUNDS                rounds over all samples (default 7)
#
# Every sample is a fresh process pinned to one CPU, as in `make bench`;
# the rounds interleave old, new and fcontext so drift on the machine
# falls on all three alike.  Prints, for N = 2, 1 000 and 10 000, the
# median ns per switch of each and the ratios fcontext / old and
# fcontext / new, and new / old.  The acceptance rule of the kernel's
# issues: the new ratio within 10 % of the old.
set -eu
OLD=$1
NEW=$2
FC=${3:-build/bench/peers/fcontext}
R=${4:-7}
for b in "$OLD" "$NEW" "$FC"; do
	[ -x "$b" ] || { echo "ab.sh: $b: not built" >&2; exit 2; }
done
CPU=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/.*[,-]//')
PIN=${CPU:+taskset -c $CPU}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
ns() { sed -n 's/.*"ns_per_switch":{"median":\([0-9.]*\).*/\1/p'; }
for i in $(seq "$R"); do
	for n in 2 1000 10000; do
		s=2000000
		[ "$n" -ge 10000 ] && s=1000000
		r=$((s / n))
		$PIN "$OLD" --n $n --rounds $r --runs 1 | ns >>"$T/old.$n"
		$PIN "$NEW" --n $n --rounds $r --runs 1 | ns >>"$T/new.$n"
		$PIN "$FC" --variant direct --n $n --rounds $((2000000 / n)) | ns >>"$T/fc.$n"
	done
	echo "ab.sh: round $i of $R" >&2
done
med() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '%6s %9s %9s %9s %10s %10s %9s\n' N old new fcontext fc/old fc/new new/old
for n in 2 1000 10000; do
	o=$(med "$T/old.$n"); w=$(med "$T/new.$n"); f=$(med "$T/fc.$n")
	awk -v n=$n -v o=$o -v w=$w -v f=$f 'BEGIN {
		printf "%6d %9.2f %9.2f %9.2f %10.3f %10.3f %9.3f\n", n, o, w, f, f / o, f / w, w / o }'
done
