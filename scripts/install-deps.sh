#!/bin/sh
# Install the system packages libmultios needs to build and test.
#
# Does nothing when pkg-config already finds libuv, jansson and criterion
# and python3, script(1) and GNU parallel are there (`make check`'s shell
# checks use python3 to send raw bytes and to parse JSON, script(1), from
# bsdutils/util-linux, for a terminal, and GNU parallel to run the job file
# of `multios sweep --emit parallel`).
# Otherwise installs them with apt-get (through sudo when not root).  On other
# distributions it prints the package names to install by hand and fails.
#
# Usage: scripts/install-deps.sh [--bench] [--clang] [--fuzz] [--mutation]
#   --bench   also install the peers `make bench` compares against
#             (SimGrid, Boost.Context, GNU Pth), and valgrind for
#             bench/count.sh.
#   --clang   also install clang (`make check CC=clang`).
#   --fuzz    also install clang and its libFuzzer and sanitizer runtimes
#             (`make fuzz`).
#   --mutation  also install python3 (`make mutation` is a Python script).
set -eu

PKGS="build-essential pkg-config libuv1-dev libjansson-dev libcriterion-dev python3 bsdutils parallel"
BENCH_PKGS="libsimgrid-dev libboost-context-dev libpth-dev valgrind"
# libclang-rt-dev holds libFuzzer and the sanitizer runtimes; clang only
# recommends it, and recommends are not installed below.
CLANG_PKGS="clang"
FUZZ_PKGS="clang libclang-rt-dev"
MUTATION_PKGS="python3 git"

want_bench=0
want_clang=0
want_fuzz=0
want_mutation=0
for arg in "$@"; do
	case "$arg" in
	--bench) want_bench=1 ;;
	--clang) want_clang=1 ;;
	--fuzz) want_fuzz=1 ;;
	--mutation) want_mutation=1 ;;
	-h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "install-deps.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
	esac
done

need=""
if ! command -v pkg-config >/dev/null 2>&1 ||
   ! pkg-config --exists libuv jansson criterion ||
   ! command -v python3 >/dev/null 2>&1 ||
   ! command -v script >/dev/null 2>&1 ||
   ! command -v parallel >/dev/null 2>&1; then
	need="$PKGS"
fi
if [ "$want_bench" = 1 ] &&
   ! { pkg-config --exists simgrid 2>/dev/null &&
       [ -e /usr/include/boost/context/detail/fcontext.hpp ] &&
       [ -e /usr/include/pth.h ] &&
       command -v valgrind >/dev/null 2>&1; }; then
	need="$need $BENCH_PKGS"
fi
if [ "$want_fuzz" = 1 ]; then
	# The one sure test: link a fuzz target, as `make fuzz` will.
	tmp=$(mktemp -d)
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; (void)n; return 0; }' >"$tmp/t.c"
	clang -fsanitize=fuzzer,address,undefined -o "$tmp/t" "$tmp/t.c" \
		>/dev/null 2>&1 || need="$need $FUZZ_PKGS"
	rm -rf "$tmp"
elif [ "$want_clang" = 1 ] && ! command -v clang >/dev/null 2>&1; then
	need="$need $CLANG_PKGS"
fi
if [ "$want_mutation" = 1 ] && ! { command -v python3 >/dev/null 2>&1 &&
				    command -v git >/dev/null 2>&1; }; then
	need="$need $MUTATION_PKGS"
fi
[ -n "$need" ] || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps.sh: no apt-get here; install these (or your distribution's" >&2
	echo "equivalents: libuv-devel jansson-devel criterion-devel on Fedora," >&2
	echo "libuv jansson criterion on Arch) and run make again:" >&2
	echo "  $need" >&2
	exit 1
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "install-deps.sh: not root and no sudo; install: $need" >&2
		exit 1
	}
	SUDO=sudo
fi

echo "install-deps.sh: installing $need" | tr -s ' '
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is intended
$SUDO apt-get install -y -q --no-install-recommends $need
