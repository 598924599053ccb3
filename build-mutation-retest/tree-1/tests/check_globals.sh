#!/bin/sh
# check_globals.sh - fail when the static library holds mutable global state.
#
# Usage: tests/check_globals.sh LIB.a [SAN]
#        tests/check_globals.sh --selftest
#
# libmultios keeps every bit of state in the kernel object, so no object file
# may have a non-empty writable allocated section (flags W and A in
# `readelf -S`, whatever its name: .data, .bss, .tdata, .tbss, a custom
# section("...") of the program's own), nor a COMMON symbol (*COM*).
# Allowed: .data.rel.ro and .data.rel.ro.* (read-only after relocation) and
# .init_array/.fini_array (constructor pointers, read-only once loaded).
# Each offending section is reported with the symbols it defines.
#
# Sanitizer builds (SAN is 1, or LIB's path contains build-san): ASan and
# UBSan add writable data of their own, so there a writable section passes
# when every symbol it defines is theirs by name: .L*, __asan_*,
# ___asan_gen_*, __odr_asan*, __ubsan_*, and clang's __unnamed_N (the ASan
# globals descriptor array); any other symbol in it is reported.
#
# --selftest builds throwaway archives with cc and proves that the check
# flags a static mutable int, a COMMON, a thread-local variable and a
# variable in a custom writable section (in both modes) and passes an
# archive holding only `static const` data.
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
	cat >"$tmp/section.c" <<'EOF'
__attribute__((section("mydata"))) int in_my_section = 1;
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
		for c in static_int common tls section const; do
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

sects=$(mktemp)
syms=$(mktemp)
trap 'rm -f "$sects" "$syms"' EXIT INT TERM
readelf -SW "$lib" >"$sects" || { echo "$me: readelf -S $lib failed" >&2; exit 1; }
objdump -t "$lib" >"$syms" || { echo "$me: objdump -t $lib failed" >&2; exit 1; }

# readelf -SW: "File: LIB(member.o)" then one line a section:
#   [Nr] Name Type Address Off Size ES Flg Lk Inf Al   (Flg may be empty)
# objdump -t: "member.o:     file format ..." then one line a symbol:
#   ADDR FLAGS(7 chars) SECTION<TAB>SIZE [.hidden ]NAME
bad=$(awk -v san="$san" '
function sanitizer(name) {
	return name ~ /^(\.L|__asan_|___asan_gen_|__odr_asan|__ubsan_)/ ||
	       name ~ /^__unnamed_[0-9]+$/
}
FNR == 1 { file++ }
file == 1 && /^File: / {
	obj = $2
	sub(/^.*\(/, "", obj)
	sub(/\)$/, "", obj)
	next
}
file == 1 && /^ *\[ *[0-9]+\]/ {
	line = $0
	sub(/^ *\[ *[0-9]+\] */, "", line)
	n = split(line, f, " ")
	if (n < 10)
		next # no flags at all
	name = f[1]
	if (f[7] !~ /W/ || f[7] !~ /A/ || f[5] ~ /^0+$/)
		next
	if (name ~ /^\.data\.rel\.ro(\.|$)/ ||
	    name ~ /^\.(init|fini|preinit)_array(\.|$)/)
		next
	key = obj SUBSEP name
	wa[key] = f[5]
	order[++nwa] = key
	next
}
file == 2 && /:     file format / {
	obj = $0
	sub(/:     file format .*/, "", obj)
	next
}
file == 2 && index($0, "\t") > 0 && $1 ~ /^[0-9a-f]+$/ {
	tab = index($0, "\t")
	left = substr($0, 1, tab - 1)
	flags = substr(left, length($1) + 2, 7)
	sect = substr(left, length($1) + 10)
	n = split(substr($0, tab + 1), f, " ")
	name = f[n]
	if (sect == "*COM*") {
		printf "  %s: COMMON %s\n", obj, name
		next
	}
	if (substr(flags, 6, 1) == "d" || substr(flags, 7, 1) == "f")
		next # section and file symbols
	key = obj SUBSEP sect
	if (!(key in wa))
		next
	if (san && sanitizer(name))
		next
	own[key] = own[key] " " name
}
END {
	for (i = 1; i <= nwa; i++) {
		key = order[i]
		if (san && own[key] == "")
			continue # only the sanitizers data
		split(key, k, SUBSEP)
		printf "  %s: writable section %s, 0x%s bytes, defines:%s\n",
		       k[1], k[2], wa[key], own[key] == "" ? " (no symbol)" : own[key]
	}
}' "$sects" "$syms")

if [ -n "$bad" ]; then
	echo "$me: $lib defines mutable global state (keep it in the kernel):" >&2
	printf '%s\n' "$bad" >&2
	exit 1
fi
[ "$san" = 0 ] || echo "$me: sanitizer build: skipped ASan/UBSan data" \
	"(.L*, __asan_*, ___asan_gen_*, __odr_asan*, __ubsan_*, __unnamed_N)"
echo "$me: ok"
