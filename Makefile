# libmultios - build, test, install.
#
#   make            build the libraries, the multios command, examples, benches
#   make run        install missing packages, build, run the built-in demo
#   make check      install missing packages, build, run the whole test suite
#   make check SAN=1   the same with AddressSanitizer + UBSan (into build-san/)
#   make bench      benchmark suite against the peers (SimGrid, Boost.Context,
#                   GNU Pth, swapcontext, pthreads, pipes): JSON lines and a
#                   summary with ratios on stdout; see docs/BENCHMARKS.md
#   make install PREFIX=/usr/local DESTDIR=
#   make clean
#
# Dependencies come from pkg-config: libuv, jansson, criterion.

SAN ?=
ifeq ($(SAN),1)
BUILD ?= build-san
else
BUILD ?= build
endif
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config

SONAME_MAJOR := 0
VERSION := 0.1.0

WARN := -std=c11 -Wall -Wextra -Wpedantic -Werror
BASE_CFLAGS := $(WARN) -D_GNU_SOURCE -g -fPIC -fno-strict-aliasing -MMD -MP
ifeq ($(SAN),1)
OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -DMOS_SANITIZE=1
SAN_LDFLAGS := -fsanitize=address,undefined
else
# Link-time optimization: the kernel's hot path crosses many small
# functions in several files (policy hooks, transitions, the trace); LTO
# inlines them, about 40% off a yield.  Fat objects keep ordinary code in
# the archive too, for consumers and tools that do not use LTO.
OPT := -O2 -flto=auto -ffat-lto-objects
SAN_LDFLAGS := -flto=auto
endif
AR := gcc-ar

DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libuv jansson 2>/dev/null)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs libuv jansson 2>/dev/null)
CRIT_CFLAGS := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CRIT_LIBS := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null)

CPPFLAGS_LIB := -Iinclude -I. -Isrc -DMOS_BUILDING_LIBRARY
CFLAGS_LIB := $(BASE_CFLAGS) $(OPT) -fvisibility=hidden $(CPPFLAGS_LIB) $(DEP_CFLAGS) $(CFLAGS)
CFLAGS_APP := $(BASE_CFLAGS) $(OPT) -Iinclude -I. -Isrc $(DEP_CFLAGS) $(CFLAGS)
LDLIBS_ALL := $(DEP_LIBS) -lm $(LDLIBS)

LIB_SRC := $(sort $(wildcard src/*.c src/sched/*.c sim/hal/*.c sim/hal/*.S))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
EXAMPLE_SRC := $(sort $(wildcard examples/*.c))

LIB_OBJ := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(LIB_SRC)))
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
TEST_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRC))

STATIC := $(BUILD)/lib/libmultios.a
SHARED := $(BUILD)/lib/libmultios.so.$(VERSION)
CLI := $(BUILD)/bin/multios
TESTS := $(BUILD)/tests/multios_tests
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_SRC))

.PHONY: all lib run check check-run bench bench-run examples install clean deps

all: lib $(CLI) examples $(BENCHES)
lib: $(STATIC) $(SHARED)
examples: $(EXAMPLES)

deps:
	@sh scripts/install-deps.sh

# run/check first install what is missing, then build in a fresh make so the
# pkg-config flags above are read again after the install.
run: deps
	@$(MAKE) --no-print-directory $(CLI)
	$(CLI) run

check: deps
	@$(MAKE) --no-print-directory check-run

check-run: all $(TESTS)
	MOS_CLI=$(CLI) $(TESTS) --jobs 2
	sh tests/check_globals.sh --selftest
	sh tests/check_globals.sh $(STATIC) $(SAN)
	sh tests/check_symbols.sh $(BUILD)/lib/libmultios.so
	CC="$(CC)" sh tests/check_install.sh $(BUILD) $(SAN)
	sh tests/check_cli.sh $(CLI)

bench:
	@sh scripts/install-deps.sh --bench
	@$(MAKE) --no-print-directory bench-run

bench-run: $(BENCHES)
	@BUILD="$(BUILD)" CC="$(CC)" CXX="$(CXX)" sh bench/run.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LIB) -c $< -o $@

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LIB) -c $< -o $@

$(BUILD)/obj/src/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -c $< -o $@

# Criterion's macros are not strictly pedantic C11.
$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -Wno-pedantic $(CRIT_CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(SHARED): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,libmultios.so.$(SONAME_MAJOR) -o $@ $^ \
		$(SAN_LDFLAGS) $(LDLIBS_ALL)
	ln -sf libmultios.so.$(VERSION) $(BUILD)/lib/libmultios.so.$(SONAME_MAJOR)
	ln -sf libmultios.so.$(SONAME_MAJOR) $(BUILD)/lib/libmultios.so

$(CLI): $(CLI_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(CLI_OBJ) $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

$(TESTS): $(TEST_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(TEST_OBJ) $(STATIC) $(SAN_LDFLAGS) $(CRIT_LIBS) $(LDLIBS_ALL)

$(BUILD)/bench/%: bench/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -o $@ $< $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

$(BUILD)/examples/%: examples/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -o $@ $< $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

# The .pc is written at install time: it records PREFIX, which may differ
# from one install to the next.
install: lib $(CLI)
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		pkgconfig/multios.pc.in > $(BUILD)/multios.pc
	install -d $(DESTDIR)$(PREFIX)/include/multios $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/bin
	install -m 644 include/multios/*.h $(DESTDIR)$(PREFIX)/include/multios/
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libmultios.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libmultios.so.$(SONAME_MAJOR)
	ln -sf libmultios.so.$(SONAME_MAJOR) $(DESTDIR)$(PREFIX)/lib/libmultios.so
	install -m 644 $(BUILD)/multios.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build build-san

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
