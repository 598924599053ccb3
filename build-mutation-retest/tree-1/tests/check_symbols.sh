#!/bin/sh
# check_symbols.sh - the shared library exports exactly the public API.
#
# Usage: tests/check_symbols.sh LIB.so
#
# The public API is every function declared with MOS_API in
# include/multios/*.h (the identifier before the '(').  Fails when the library
# exports anything else (an internal mos__ name, a helper that missed
# `static`, ...; only the linker's _init, _fini, _edata, _end and __bss_start
# are allowed), when a declared function is not exported, or when a declared
# name is outside the public mos_ namespace.
set -eu

me=check_symbols
[ $# -eq 1 ] || { echo "usage: $0 LIB.so" >&2; exit 2; }
lib=$1
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$lib" ] || { echo "$me: $lib: no such file" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Declared: drop preprocessor lines (the MOS_API definition itself), join
# everything into one line so a declaration may span lines, then take the
# last identifier between MOS_API and the first '('.
grep -hv '^[[:space:]]*#' "$root"/include/multios/*.h | tr '\n' ' ' |
	grep -o 'MOS_API[^;{}()]*(' |
	sed 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*($/\1/' |
	sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "$me: no MOS_API declarations found in $root/include/multios" >&2; exit 1; }

# Exported: every defined dynamic symbol, whatever its type.
nm -D --defined-only "$lib" >"$tmp/nm" || { echo "$me: nm -D $lib failed" >&2; exit 1; }
awk 'NF >= 3 { print $3 }' "$tmp/nm" | sed 's/@.*//' |
	grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$' | sort -u >"$tmp/exported"

fail=0
report() { # FILE MESSAGE
	if [ -s "$1" ]; then
		echo "$me: $2:" >&2
		sed 's/^/  /' "$1" >&2
		fail=1
	fi
}
comm -13 "$tmp/declared" "$tmp/exported" >"$tmp/leaked"
comm -23 "$tmp/declared" "$tmp/exported" >"$tmp/missing"
grep -Ev '^mos_[A-Za-z0-9]' "$tmp/declared" >"$tmp/badname" || true
report "$tmp/leaked" "exported by $lib but not declared MOS_API in include/multios"
report "$tmp/missing" "declared MOS_API in include/multios but not exported by $lib"
report "$tmp/badname" "MOS_API names outside the public mos_ namespace"
[ "$fail" = 0 ] || exit 1
echo "$me: ok ($(wc -l <"$tmp/declared" | tr -d ' ') public functions)"
