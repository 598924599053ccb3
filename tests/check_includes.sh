#!/bin/sh
# check_includes.sh - the include rules that keep the subsystems apart.
#
# Usage: tests/check_includes.sh [ROOT]
#        tests/check_includes.sh --selftest
#
# Every #include of src/, sim/hal/, bench/*.c and examples/*.c is resolved
# as the compiler does (a quoted name first beside the including file, then
# -Iinclude -I. -Isrc; an angle name only on those paths), and a header
# found in the tree must be one of:
#   - a public header, include/multios/*.h;
#   - a header of the including file's own folder;
#   - a leaf helper of src/util/ (from src/, except the CLI);
#   - a declared internal interface: the DECLARED list below, one line
#     each with the reason.
# So only src/kernel/ includes kernel_int.h (the control block and the
# kernel object); a policy in src/sched/ sees a process only through the
# policy interface, sched.h; programs, the workbench, the JSON loaders and
# the CLI are clients of the public API plus what is declared; sim/hal/
# includes nothing from src/.  A quoted name that resolves to no file is a
# violation too (an include path trick would hide where it points).  The
# tests (tests/) are white-box and are not checked.
#
# --selftest copies the tree to a temporary directory, expects the copy to
# pass, then plants one violation at a time in a fresh copy and expects
# each to fail naming the file.
set -eu

me=check_includes

# FROM (a folder ending in /, or one file) TO (a header) WHY.
DECLARED='
src/kernel/ src/sched/sched.h the policy interface the run loop drives
src/kernel/ src/programs/programs.h the program table the kernel holds and looks commands up in
src/kernel/ src/signal/signal_int.h the control block embeds the signal state of each process, and the kernel calls the signals subsystem at creation, admission, death, release and syscall return
src/signal/ src/kernel/seams.h the seams of the kernel: process control, timers, waits, the typed trace
src/kernel/ src/resource/res_int.h the control block embeds the resources of each process, and the kernel calls the resources subsystem at creation, death and release
src/resource/ src/kernel/seams.h the seams of the kernel: process access, timers, waits, events, the typed trace
src/resource/ src/signal/signal_int.h limits send SIGXCPU, SIGKILL and SIGSEGV, and usage reports the signal counters
src/service/ src/kernel/seams.h the seams of the kernel: the subsystem slot, timers, kernel events, the typed trace, process access
src/ipc/ src/kernel/seams.h the seams of the kernel: the subsystem slots and exit hook, wait channels, process access, credentials, the typed trace
src/service/ src/ipc/ipc_int.h the request path: calls, host pings, encryption costs
src/admin/ src/kernel/seams.h the seams of the kernel: the subsystem slot and exit hook, the timer of the emergency stop, process access, denials, the typed trace
src/live/ include/multios/uv.h the admin socket serves on the realtime loop of the kernel (public: the line records that src/live/ uses no internal interface)
src/kernel/ sim/hal/clock.h the HAL the kernel runs on: clock backends
src/kernel/ sim/hal/ctx.h the HAL the kernel runs on: coroutines
src/kernel/ sim/hal/stack.h the HAL the kernel runs on: pooled stacks
src/kernel/ sim/hal/timer.h the HAL the kernel runs on: the timer heap
src/json/ sim/hal/clock.h config validation checks clock.backend against the HAL registry
src/json/ sim/hal/ctx.h config validation checks context_backend against the HAL registry
src/scenario/ src/json/service_json.h the scenario loader reads inline service descriptors and service files with the reader of the service loader
src/scenario/ src/json/config_int.h the config object of a scenario is the configuration overlay, checked by the same rules
src/scenario/ src/kernel/seams.h the seams of the kernel: a crash ends a process with an exit code, a mark goes into the typed trace
src/report/ src/json/jsonload.h the report checks a run document with the JSON paths of the shared reader in its errors, and reads the file with it
src/scenario/ src/report/report.h mos_scenario_write_html draws the JSON document of the run with the renderer of the report
src/workbench/ src/json/jsonload.h the workload loader walks JSON with the shared reader
src/sweep/ src/json/jsonload.h the sweep spec loader and the run-line merger walk JSON with the shared reader for their paths in errors
src/workbench/ src/json/chrome.h the report writer builds Chrome Trace Event JSON with the shared pieces
src/workbench/ src/json/config_int.h a workload policy obeys the config file scheduler rules
bench/sched_policies.c src/kernel/kernel_int.h drives policy hooks on control blocks it lays out itself, as the kernel would
'

# Repo-relative normal form of a path: no ".", no "..", no "//"; a path
# that climbs out of the tree becomes "../OUTSIDE".
norm() {
	case /$1/ in
	*/./* | */../* | *//*) ;;
	*) printf '%s\n' "$1"; return ;;
	esac
	printf '%s\n' "$1" | awk -F/ '{
		n = 0
		for (i = 1; i <= NF; i++) {
			if ($i == "" || $i == ".")
				continue
			if ($i == "..") {
				if (n == 0) { print "../OUTSIDE"; exit }
				n--
				continue
			}
			p[++n] = $i
		}
		s = p[1]
		for (i = 2; i <= n; i++)
			s = s "/" p[i]
		print s
	}'
}

# The file DIR's include of NAME (KIND q or a) resolves to, or nothing.
resolve() {
	if [ "$2" = q ]; then
		set -- "$1/$3" "include/$3" "./$3" "src/$3"
	else
		set -- "include/$3" "./$3" "src/$3"
	fi
	for c in "$@"; do
		if [ -f "$c" ]; then
			norm "${c#./}"
			return
		fi
	done
}

# 0 when FROM (a file) may include TARGET (a file of the tree).
allowed() {
	from=$1
	target=$2
	dir=${from%/*}/
	case $target in
	include/multios/*) return 0 ;;
	esac
	[ "${target%/*}/" != "$dir" ] || return 0
	case $from in
	src/cli/*) ;;
	src/*) case $target in src/util/*) return 0 ;; esac ;;
	esac
	printf '%s\n' "$DECLARED" | awk -v f="$from" -v d="$dir" -v t="$target" '
		NF >= 2 && ($1 == f || $1 == d) && $2 == t { found = 1 }
		END { exit !found }'
}

# Why FROM may not include TARGET, for the message.
rule() {
	case $2 in
	src/kernel/kernel_int.h)
		echo "only src/kernel/ includes the kernel internals"
		return ;;
	esac
	case $1 in
	src/sched/*)
		echo "a policy includes only the policy interface (src/sched/)," \
			"src/util/ and include/multios/" ;;
	sim/hal/*)
		echo "the HAL includes nothing from src/, only its own" \
			"headers and include/multios/" ;;
	src/cli/*|bench/*|examples/*)
		echo "use include/multios/ (or declare an interface in $me.sh)" ;;
	*)
		echo "use include/multios/, src/util/ or a declared interface" \
			"(the DECLARED list in tests/$me.sh)" ;;
	esac
}

check_tree() {
	cd "$1"
	tmp=$(mktemp)
	bad=0
	for top in src sim/hal bench examples; do
		[ -d "$top" ] || continue
		case $top in
		bench | examples) find "$top" -maxdepth 1 -name '*.[ch]' ;;
		*) find "$top" -name '*.[chS]' ;;
		esac
	done | sort >"$tmp"
	[ -s "$tmp" ] || { echo "$me: no sources under $1" >&2; rm -f "$tmp"; exit 1; }
	while IFS= read -r f; do
		# LINE KIND NAME for each #include "NAME" (q) or <NAME> (a).
		awk '/^[ \t]*#[ \t]*include[ \t]*["<]/ {
			s = $0
			sub(/^[ \t]*#[ \t]*include[ \t]*/, "", s)
			kind = substr(s, 1, 1) == "\"" ? "q" : "a"
			close_ch = kind == "q" ? "\"" : ">"
			s = substr(s, 2)
			end = index(s, close_ch)
			if (end == 0)
				next
			print FNR, kind, substr(s, 1, end - 1)
		}' "$f" >"$tmp.inc"
		while read -r line kind name; do
			target=$(resolve "${f%/*}" "$kind" "$name")
			if [ -z "$target" ]; then
				[ "$kind" = a ] && continue # a system header
				echo "$me: $f:$line: \"$name\" resolves to no file in the tree" >&2
				bad=1
			elif ! allowed "$f" "$target"; then
				echo "$me: $f:$line: includes $target: $(rule "$f" "$target")" >&2
				bad=1
			fi
		done <"$tmp.inc"
	done <"$tmp"
	n=$(wc -l <"$tmp" | tr -d ' ')
	rm -f "$tmp" "$tmp.inc"
	[ "$bad" = 0 ] || exit 1
	echo "$me: ok ($n files)"
}

selftest() {
	root=$(cd "$(dirname "$0")/.." && pwd)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM
	mkdir "$tmp/base"
	(cd "$root" && cp -R src sim include bench examples "$tmp/base/")
	fail=0
	if sh "$0" "$tmp/base" >"$tmp/out" 2>&1; then
		echo "$me: selftest: the clean tree passes"
	else
		echo "$me: selftest: the clean copy fails:" >&2
		sed 's/^/    /' "$tmp/out" >&2
		fail=1
	fi
	# FILE LINE-TO-APPEND: each must fail, naming FILE.
	while IFS='|' read -r file text; do
		[ -n "$file" ] || continue
		rm -rf "$tmp/case"
		cp -R "$tmp/base" "$tmp/case"
		printf '%s\n' "$text" >>"$tmp/case/$file"
		if sh "$0" "$tmp/case" >"$tmp/out" 2>&1; then
			echo "$me: selftest: $file: $text passed, expected a failure" >&2
			fail=1
		elif ! grep -q "$file:" "$tmp/out"; then
			echo "$me: selftest: $file: $text: failure does not name the file:" >&2
			sed 's/^/    /' "$tmp/out" >&2
			fail=1
		else
			echo "$me: selftest: $file: $text: fails, as expected"
		fi
	done <<'EOF'
src/sched/rr.c|#include "kernel/kernel_int.h"
src/sched/cfs.c|#include "programs/programs.h"
src/workbench/workbench.c|#include "kernel/kernel_int.h"
src/programs/script.c|#include "../kernel/kernel_int.h"
src/cli/run.c|#include <kernel/kernel_int.h>
src/cli/run.c|#include "util/list.h"
src/json/config.c|#include "workbench/workload_int.h"
sim/hal/timer.c|#include "util/list.h"
sim/hal/ctx.c|#include "sched/sched.h"
bench/yield.c|#include "kernel/kernel_int.h"
examples/hello.c|#include "sim/hal/ctx.h"
src/util/error.c|#include "no_such_header.h"
EOF
	[ "$fail" = 0 ] || { echo "$me: selftest FAILED" >&2; exit 1; }
	echo "$me: selftest ok"
}

case $# in
0) check_tree "$(cd "$(dirname "$0")/.." && pwd)" ;;
1)
	if [ "$1" = --selftest ]; then
		selftest
	else
		check_tree "$1"
	fi ;;
*) echo "usage: $0 [ROOT] | --selftest" >&2; exit 2 ;;
esac
