#!/bin/sh
# check_install.sh - install into a temporary prefix and build a client
# program against it using nothing but pkg-config, a client of the
# optional multios/uv.h against it and libuv, and every example of
# examples/*.c (each asserts what it shows and exits 0 only then; issue
# 14: the integration examples of the MultiOS documentation).
#
# Usage: tests/check_install.sh BUILD [SAN]
#   BUILD  the build directory (build, build-san), as in `make BUILD=...`
#   SAN    1 when BUILD was built with sanitizers; the client is then built
#          with -fsanitize=address,undefined too.
set -eu

me=check_install
case $# in 1 | 2) ;; *) echo "usage: $0 BUILD [SAN]" >&2; exit 2 ;; esac
build=$1
san=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)

tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "$me: make install BUILD=$build SAN=$san PREFIX=$tmp"
(cd "$root" && make --no-print-directory install BUILD="$build" SAN="$san" \
	PREFIX="$tmp") >"$tmp/install.log" 2>&1 || {
	echo "$me: make install failed:" >&2
	cat "$tmp/install.log" >&2
	exit 1
}

so="$tmp/lib/libmultios.so"
[ -f "$so" ] || { echo "$me: $so was not installed" >&2; exit 1; }
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = libmultios.so.0 ] || {
	echo "$me: $so has SONAME '$soname', expected libmultios.so.0" >&2
	exit 1
}

cat >"$tmp/client.c" <<'EOF'
#include <multios/multios.h>
#include <stdio.h>

int main(void)
{
	mos_kernel_t *k = NULL;
	mos_process_spec_t spec;
	mos_pid_t pid;
	int err = mos_kernel_create(NULL, &k, NULL);

	if (err) {
		fprintf(stderr, "mos_kernel_create: %s\n", mos_strerror(err));
		return 1;
	}
	mos_process_spec_init(&spec);
	spec.command = (const char *[]){"cpu", "5ms", NULL};
	if ((err = mos_process_create(k, &spec, &pid)) ||
	    (err = mos_kernel_run(k, MOS_TIME_NEVER))) {
		fprintf(stderr, "client: %s\n", mos_strerror(err));
		mos_kernel_destroy(k);
		return 1;
	}
	if (mos_kernel_now(k) != 5 * MOS_MSEC) {
		fprintf(stderr, "client: now is %llu ns, expected 5000000\n",
			(unsigned long long)mos_kernel_now(k));
		mos_kernel_destroy(k);
		return 1;
	}
	mos_kernel_destroy(k);
	puts("install-ok");
	return 0;
}
EOF

flags=$(PKG_CONFIG_PATH="$tmp/lib/pkgconfig" pkg-config --cflags --libs multios) || {
	echo "$me: pkg-config cannot use $tmp/lib/pkgconfig/multios.pc" >&2
	exit 1
}
case "$flags" in
*"-I$tmp/include"*) ;;
*) echo "$me: pkg-config flags '$flags' do not point into $tmp" >&2; exit 1 ;;
esac
sanflags=
[ "$san" != 1 ] || sanflags="-fsanitize=address,undefined"

# client NAME WANT FLAGS...: build $tmp/NAME.c with FLAGS, run it against
# the installed library, expect it to print WANT.
client() {
	name=$1
	want=$2
	shift 2
	# shellcheck disable=SC2086  # word splitting of sanflags is intended
	${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror $sanflags \
		-o "$tmp/$name" "$tmp/$name.c" "$@" || {
		echo "$me: cannot build $name with: $*" >&2
		exit 1
	}
	out=$(LD_LIBRARY_PATH="$tmp/lib" "$tmp/$name") || {
		echo "$me: $name failed (output: $out)" >&2
		exit 1
	}
	[ "$out" = "$want" ] || {
		echo "$me: $name printed '$out', expected $want" >&2
		exit 1
	}
}
# shellcheck disable=SC2086  # word splitting of the flag list is intended
client client install-ok $flags

# multios/uv.h is the one header that includes <uv.h>: a client of it
# names libuv too and, in strict C, asks for POSIX, as the header says.
cat >"$tmp/uvclient.c" <<'EOF'
#include <multios/multios.h>
#include <multios/uv.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	mos_kernel_t *k = NULL;
	mos_config_t cfg;
	uv_loop_t *loop;

	mos_config_default(&cfg);
	strcpy(cfg.clock_backend, "realtime");
	if (mos_kernel_create(&cfg, &k, NULL)) {
		fputs("uvclient: cannot create a realtime kernel\n", stderr);
		return 1;
	}
	loop = mos_kernel_uv_loop(k);
	if (!loop || uv_loop_alive(loop) || mos_kernel_wakeup(k)) {
		fputs("uvclient: no usable loop\n", stderr);
		mos_kernel_destroy(k);
		return 1;
	}
	mos_kernel_destroy(k);
	puts("uv-ok");
	return 0;
}
EOF
uvflags=$(PKG_CONFIG_PATH="$tmp/lib/pkgconfig" pkg-config --cflags --libs multios libuv) || {
	echo "$me: pkg-config cannot give the flags of multios and libuv" >&2
	exit 1
}
# shellcheck disable=SC2086  # word splitting of the flag list is intended
client uvclient uv-ok -D_POSIX_C_SOURCE=200809L $uvflags

# Every example, built as its header says (pkg-config alone) and run.
nex=0
for src in "$root"/examples/*.c; do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086  # word splitting of the flags is intended
	${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror $sanflags \
		-o "$tmp/ex-$name" "$src" $flags || {
		echo "$me: example $name does not build with: $flags" >&2
		exit 1
	}
	LD_LIBRARY_PATH="$tmp/lib" "$tmp/ex-$name" >"$tmp/ex-$name.out" \
		2>&1 || {
		echo "$me: example $name failed:" >&2
		cat "$tmp/ex-$name.out" >&2
		exit 1
	}
	nex=$((nex + 1))
done
echo "$me: $nex examples built with pkg-config and passed"
echo "$me: ok"
