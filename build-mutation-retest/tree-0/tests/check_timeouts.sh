#!/bin/sh
# check_timeouts.sh - fail when a Criterion test has no time bound.
#
# Usage: tests/check_timeouts.sh [DIR]     (default: the tests/ beside it)
#        tests/check_timeouts.sh --selftest
#
# Criterion kills a test that outlives its .timeout, but only when the test
# or its suite declares one; without it a fault that makes the kernel spin
# hangs `make check` for ever.  So every Test(SUITE, NAME, ...) (and
# ParameterizedTest, Theory) in DIR/test_*.c must either carry a
# .timeout itself or belong to a suite declared, in any of those files,
# with TestSuite(SUITE, ... .timeout = ...).  A .timeout of 0 (Criterion's
# "none") does not count.  Declarations may span lines.
#
# --selftest runs the check on throwaway files and proves that it flags a
# test of a suite without TestSuite, a TestSuite without .timeout and a
# .timeout of 0, and passes bounded tests.
set -eu

me=check_timeouts

# scan DIR: print "T SUITE FILE:LINE BOUNDED" for each test and "S SUITE
# BOUNDED" for each TestSuite, BOUNDED being 1 or 0.
scan() {
	awk '
	function flush(   body, kind, suite, bounded) {
		body = decl
		kind = body ~ /^[ \t]*TestSuite[ \t]*\(/ ? "S" : "T"
		sub(/^[^(]*\([ \t\n]*/, "", body)
		suite = body
		sub(/[ \t\n]*[,)].*/, "", suite)
		bounded = body ~ /\.timeout[ \t\n]*=/ &&
			  body !~ /\.timeout[ \t\n]*=[ \t\n]*0(\.0*)?[ \t\n]*[,)]/
		if (kind == "S")
			print "S", suite, bounded
		else
			print "T", suite, where, bounded
		decl = ""
	}
	FNR == 1 { decl = "" }
	decl == "" && /^[ \t]*(Test|ParameterizedTest|Theory|TestSuite)[ \t]*\(/ {
		decl = $0
		where = FILENAME ":" FNR
		depth = 0
	}
	decl != "" {
		if (where != FILENAME ":" FNR)
			decl = decl "\n" $0
		line = $0
		depth += gsub(/\(/, "(", line) - gsub(/\)/, ")", line)
		if (depth <= 0)
			flush()
	}
	' "$1"/test_*.c
}

check() {
	dir=$1
	ls "$dir"/test_*.c >/dev/null 2>&1 || { echo "$me: no $dir/test_*.c" >&2; return 1; }
	scan "$dir" | awk -v me="$me" '
	$1 == "S" { if ($3) bounded[$2] = 1; declared[$2] = 1; next }
	{ n++; test[n] = $2; where[n] = $3; own[n] = $4 }
	END {
		bad = 0
		for (i = 1; i <= n; i++) {
			s = test[i]
			if (own[i] || bounded[s])
				continue
			why = declared[s] ? "TestSuite(" s ", ...) has no .timeout" \
					  : "no TestSuite(" s ", .timeout = ...)"
			printf "  %s: test of suite %s has no time bound (%s)\n",
			       where[i], s, why > "/dev/stderr"
			bad++
		}
		if (bad) {
			printf "%s: %d of %d tests unbounded: declare the suite with TestSuite(SUITE, .timeout = T_TIMEOUT) (tests/timeout.h)\n",
			       me, bad, n > "/dev/stderr"
			exit 1
		}
		if (n == 0) {
			printf "%s: no tests found\n", me > "/dev/stderr"
			exit 1
		}
		printf "%s: ok (%d tests, all bounded)\n", me, n
	}'
}

selftest() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM
	fail=0
	# case NAME WANT: check $tmp/NAME and compare pass/fail with WANT.
	case_() {
		if check "$tmp/$1" >"$tmp/$1.out" 2>&1; then got=pass; else got=fail; fi
		if [ "$got" = "$2" ]; then
			echo "$me: selftest: $1: $got, as expected"
		else
			echo "$me: selftest: $1: $got, expected $2:" >&2
			sed 's/^/    /' "$tmp/$1.out" >&2
			fail=1
		fi
	}
	mkdir "$tmp/ok" "$tmp/nosuite" "$tmp/notimeout" "$tmp/zero"
	cat >"$tmp/ok/test_a.c" <<'C'
TestSuite(a, .timeout = T_TIMEOUT);
Test(a, one) {}
Test(b,
     two, .timeout = 5) {}
C
	cat >"$tmp/ok/test_b.c" <<'C'
Test(a, three) {}
C
	cat >"$tmp/nosuite/test_a.c" <<'C'
TestSuite(a, .timeout = 30);
Test(a, one) {}
Test(c, two) {}
C
	cat >"$tmp/notimeout/test_a.c" <<'C'
TestSuite(a, .init = setup);
Test(a, one) {}
C
	cat >"$tmp/zero/test_a.c" <<'C'
Test(a, one, .timeout = 0) {}
C
	case_ ok pass
	case_ nosuite fail
	case_ notimeout fail
	case_ zero fail
	[ "$fail" = 0 ] || { echo "$me: selftest FAILED" >&2; exit 1; }
	echo "$me: selftest ok"
}

case "${1:-}" in
--selftest) selftest ;;
'') check "$(dirname "$0")" ;;
*) check "$1" ;;
esac
