#!/bin/sh
# check_globals.sh - fail when the static library holds mutable global state.
#
# Usage: tests/check_globals.sh LIB.a [SAN]
#        tests/check_globals.sh --selftest
#
# libmultios keeps every bit of state in the kernel object, so no object file
# may define a variable in a writable section: .data, .bss, .data.rel,
# .data.rel.local, .tdata, .tbss or one of their ".suffix" variants
# (.bss.foo, .data.rel.local.foo), nor a COMMON symbol (*COM*).  Read-only
# data after relocation (.data.rel.ro, .data.rel.ro.local) is fine.
# Objects are the 'O' symbols of `objdump -t`; thread-local variables are
# caught too although objdump gives them no 'O' flag.
#
# Sanitizer builds (SAN is 1, or LIB's path contains build-san): ASan and
# UBSan add writable objects of their own, which are skipped by name only:
# .L*, __asan_*, ___asan_gen_*, __odr_asan*, __ubsan_*, and clang's
# __unnamed_N (the ASan globals descriptor array).
#
# --selftest builds throwaway archives with cc and proves that the check
# flags a static mutable int, a COMMON and a thread-local variable (in both
# modes) and passes an archive holding only `static const` data.
set -eu

me=check_globals

selftest() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM
	cat >"$tmp/static_int.c" <<'EOF'
static int counter;
int *counter_addr(void) { return &counter; }
EOF
	cat >"$tmp/common.c" <<'EOF'
int shared_count;
EOF
	cat >"$tmp/tls.c" <<'EOF'
static _Thread_local int depth = 1;
int *depth_addr(void) { return &depth; }
EOF
	cat >"$tmp/const.c" <<'EOF'
static const int table[3] = {1, 2, 3};
static const char *const names[] = {"a", "b"};
const int limits[2] = {4, 5}; /* ASan adds a writable __odr_asan.limits */
int lookup(int i) { return table[i % 3] + names[i & 1][0]; }
EOF
	fail=0
	for mode in plain san; do
		flags="-O2 -fcommon"
		[ "$mode" = plain ] || flags="$flags -fsanitize=address,undefined"
		for c in static_int common tls const; do
			# shellcheck disable=SC2086  # flags is a word list
			cc $flags -c "$tmp/$c.c" -o "$tmp/$c.o"
			rm -f "$tmp/$c.a"
			ar rcs "$tmp/$c.a" "$tmp/$c.o"
			san=0
			[ "$mode" = plain ] || san=1
			if sh "$0" "$tmp/$c.a" "$san" >"$tmp/out" 2>&1; then
				got=pass
			else
				got=fail
			fi
			want=fail
			[ "$c" != const ] || want=pass
			if [ "$got" = "$want" ]; then
				echo "$me: selftest: $mode $c.c: $got, as expected"
			else
				echo "$me: selftest: $mode $c.c: $got, expected $want:" >&2
				sed 's/^/    /' "$tmp/out" >&2
				fail=1
			fi
		done
	done
	[ "$fail" = 0 ] || { echo "$me: selftest FAILED" >&2; exit 1; }
	echo "$me: selftest ok"
}

if [ "${1:-}" = --selftest ]; then
	selftest
	exit 0
fi

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 LIB.a [SAN] | --selftest" >&2
	exit 2
fi
lib=$1
case "${2:-}" in
'' | 0) san=0 ;;
1 | san | --san) san=1 ;;
*) echo "$me: bad SAN argument '$2' (want 1 or 0)" >&2; exit 2 ;;
esac
case "$lib" in
*build-san*) san=1 ;;
esac
[ -f "$lib" ] || { echo "$me: $lib: no such file" >&2; exit 1; }

dump=$(mktemp)
trap 'rm -f "$dump"' EXIT INT TERM
objdump -t "$lib" >"$dump" || { echo "$me: objdump -t $lib failed" >&2; exit 1; }

# objdump -t line: ADDR FLAGS(7 chars) SECTION<TAB>SIZE [.hidden ]NAME
# An object file starts with "member.o:     file format ...".
bad=$(awk -v san="$san" '
/:     file format / { obj = $0; sub(/:     file format .*/, "", obj); next }
index($0, "\t") == 0 || $1 !~ /^[0-9a-f]+$/ { next }
{
	tab = index($0, "\t")
	left = substr($0, 1, tab - 1)
	flags = substr(left, length($1) + 2, 7)
	sect = substr(left, length($1) + 10)
	n = split(substr($0, tab + 1), f, " ")
	name = f[n]
	size = f[1]
	sub(/^0+/, "", size)
	if (size == "")
		size = "0"
	type = substr(flags, 7, 1)
	dbg = substr(flags, 6, 1)
	if (sect == "*COM*")
		why = "COMMON"
	else if (sect ~ /^\.data\.rel\.ro(\.|$)/)
		next
	else if (sect ~ /^\.(data|bss)(\.|$)/ && type == "O")
		why = "writable"
	else if (sect ~ /^\.t(data|bss)(\.|$)/ && (type == "O" ||
		 (type == " " && dbg == " "))) # objdump shows TLS untyped
		why = "thread-local"
	else
		next
	if (san && name ~ /^(\.L|__asan_|___asan_gen_|__odr_asan|__ubsan_)/)
		next
	if (san && name ~ /^__unnamed_[0-9]+$/)
		next
	printf "  %s: %s %s (%s object, 0x%s bytes)\n", obj, sect, name,
		why, size
}' "$dump")

if [ -n "$bad" ]; then
	echo "$me: $lib defines mutable global state (keep it in the kernel):" >&2
	printf '%s\n' "$bad" >&2
	exit 1
fi
[ "$san" = 0 ] || echo "$me: sanitizer build: skipped ASan/UBSan objects" \
	"(.L*, __asan_*, ___asan_gen_*, __odr_asan*, __ubsan_*, __unnamed_N)"
echo "$me: ok"
