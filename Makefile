# libmultios - build, test, install.
#
#   make            build the libraries, the multios command, examples, benches
#   make run        install missing packages, build, run the built-in demo
#   make check      install missing packages, build, run the whole test suite
#   make check SAN=1   the same with AddressSanitizer + UBSan (into build-san/)
#   make check CC=clang BUILD=build-clang   the same built with clang (no LTO)
#   make fuzz FUZZ_TIME=60 FUZZ_TARGETS="config workload run script service glob scenario report admin names"
#                   build the libFuzzer harnesses with clang (into
#                   build-fuzz/) and run each for FUZZ_TIME seconds; see
#                   docs/TESTING.md for the other FUZZ_* variables
#   make bench      benchmark suite against the peers (SimGrid, Boost.Context,
#                   GNU Pth, swapcontext, pthreads, pipes): JSON lines and a
#                   summary with ratios on stdout; see docs/BENCHMARKS.md
#   make mutation   mutation testing of the kernel, policies, signals,
#                   resources, services, IPC: each
#                   single-line fault built and run against the suite;
#                   MUTANTS=250 MUT_SEED=1 MUT_JOBS=2 MUT_FILES=...
#                   MUT_FLAGS=... (scripts/mutation.py --help, docs/TESTING.md)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean
#
# Dependencies come from pkg-config: libuv, jansson, criterion.

SAN ?=
ifeq ($(SAN),1)
BUILD ?= build-san
else ifeq ($(SAN),fuzz)
BUILD ?= build-fuzz
else
BUILD ?= build
endif
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config

# clang and gcc differ in the LTO they can do (below).
CC_IS_CLANG := $(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | \
	grep -q __clang__ && echo 1)

SONAME_MAJOR := 0
VERSION := 0.1.0

WARN := -std=c11 -Wall -Wextra -Wpedantic -Werror
BASE_CFLAGS := $(WARN) -D_GNU_SOURCE -g -fPIC -fno-strict-aliasing -MMD -MP
ifeq ($(SAN),1)
OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -DMOS_SANITIZE=1
SAN_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(SAN),fuzz)
# `make fuzz`: clang, the sanitizers, and libFuzzer's coverage hooks in
# every object; only the harness binaries link libFuzzer itself.
OPT := -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -DMOS_SANITIZE=1
SAN_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(CC_IS_CLANG),1)
# clang 14 cannot write fat LTO objects: its archive would hold bitcode
# only, which links with nothing but an LTO-aware linker.  So no LTO.
OPT := -O2
SAN_LDFLAGS :=
else
# Link-time optimization: the kernel's hot path crosses many small
# functions in several files (policy hooks, transitions, the trace); LTO
# inlines them, about 40% off a yield.  Fat objects keep ordinary code in
# the archive too, for consumers and tools that do not use LTO.
OPT := -O2 -flto=auto -ffat-lto-objects
SAN_LDFLAGS := -flto=auto
# GCC's generic x86-64 tuning expands a fixed-size memset or struct copy
# of more than a few dozen bytes into `rep stosq` / `rep movsq`, whose
# start-up costs some 30 cycles: zeroing a control block and a spec that
# way was a tenth of a create+exit+reap (perf annotate; docs/BENCHMARKS.md
# section 1d).  Calls to libc's vector routines instead; small copies
# stay inline (they are done by pieces before any strategy applies).
ifneq ($(findstring x86_64,$(shell $(CC) -dumpmachine 2>/dev/null)),)
OPT += -mstringop-strategy=libcall
endif
endif
ifeq ($(CC_IS_CLANG),1)
AR := ar
else
AR := gcc-ar
endif

DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libuv jansson 2>/dev/null)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs libuv jansson 2>/dev/null)
CRIT_CFLAGS := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CRIT_LIBS := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null)

CPPFLAGS_LIB := -Iinclude -I. -Isrc -DMOS_BUILDING_LIBRARY
CFLAGS_LIB := $(BASE_CFLAGS) $(OPT) -fvisibility=hidden $(CPPFLAGS_LIB) $(DEP_CFLAGS) $(CFLAGS)
CFLAGS_APP := $(BASE_CFLAGS) $(OPT) -Iinclude -I. -Isrc $(DEP_CFLAGS) $(CFLAGS)
LDLIBS_ALL := $(DEP_LIBS) -lm $(LDLIBS)

LIB_SRC := $(sort $(wildcard src/*/*.c sim/hal/*.c sim/hal/*.S))
LIB_SRC := $(filter-out src/cli/%,$(LIB_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
EXAMPLE_SRC := $(sort $(wildcard examples/*.c))

# The fuzz harnesses (tests/fuzz/HARNESS.c); common.c is shared.
FUZZ_ALL := config workload run script semver service glob scenario report \
	sweep admin names ostep
FUZZ_COMMON_OBJ := $(BUILD)/obj/tests/fuzz/common.o

LIB_OBJ := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(LIB_SRC)))
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
TEST_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRC))

STATIC := $(BUILD)/lib/libmultios.a
SHARED := $(BUILD)/lib/libmultios.so.$(VERSION)
CLI := $(BUILD)/bin/multios
TESTS := $(BUILD)/tests/multios_tests
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_SRC))
REPLAYS := $(patsubst %,$(BUILD)/fuzz/replay-%,$(FUZZ_ALL))
NPROC := $(shell nproc 2>/dev/null || echo 2)

.PHONY: all lib run check check-run bench bench-run examples install clean deps \
	fuzz fuzz-run replays mutation

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

# The build runs on every CPU unless make was given -j already (MAKEFLAGS
# has it only in recipes, hence the deferred =).
PARALLEL = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))

check: deps
	@$(MAKE) --no-print-directory $(PARALLEL) check-run

# Every check runs even when an earlier one fails; a summary at the end
# names the failures, and the target fails if any did.
CHECKS := \
	'MOS_CLI=$(CLI) sh tests/run_suite.sh $(TESTS) --jobs 2' \
	'sh tests/check_timeouts.sh --selftest' \
	'sh tests/check_timeouts.sh' \
	'sh tests/check_make.sh' \
	'sh tests/check_globals.sh --selftest' \
	'sh tests/check_globals.sh $(STATIC) $(SAN)' \
	'sh tests/check_symbols.sh $(BUILD)/lib/libmultios.so' \
	'sh tests/check_includes.sh --selftest' \
	'sh tests/check_includes.sh' \
	'CC="$(CC)" sh tests/check_install.sh $(BUILD) $(SAN)' \
	'sh tests/check_cli.sh $(CLI)' \
	'sh tests/check_live.sh $(CLI) run' \
	'sh tests/check_live.sh $(CLI) demo' \
	'sh tests/check_scenarios.sh $(CLI) $(SAN)' \
	'sh tests/check_progress.sh $(CLI)' \
	'sh tests/check_report.sh $(CLI)' \
	'sh tests/check_explore.sh $(CLI)' \
	'sh tests/check_sweep.sh $(CLI)' \
	'sh tests/check_ostep.sh $(CLI)' \
	$(foreach h,$(FUZZ_ALL),'$(BUILD)/fuzz/replay-$(h) tests/fuzz/corpus/$(h)')

check-run: all $(TESTS) $(REPLAYS)
	@sh tests/run_checks.sh $(CHECKS)

replays: $(REPLAYS)

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

# Harnesses are strict C11 like the library; the rule above is for
# Criterion's tests.
$(BUILD)/obj/tests/fuzz/%.o: tests/fuzz/%.c
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

# The built-in demo of `multios run` is examples/scenarios/demo.json, its
# bytes compiled in (scripts/embed.sh: sh and od, no xxd needed).
DEMO_GEN := $(BUILD)/gen/demo_scenario.c
DEMO_OBJ := $(BUILD)/obj/gen/demo_scenario.o

$(DEMO_GEN): examples/scenarios/demo.json scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh cli_demo_json examples/scenarios/demo.json >$@.tmp
	mv $@.tmp $@

$(DEMO_OBJ): $(DEMO_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -c $< -o $@

$(CLI): $(CLI_OBJ) $(DEMO_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(CLI_OBJ) $(DEMO_OBJ) $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

$(TESTS): $(TEST_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(TEST_OBJ) $(STATIC) $(SAN_LDFLAGS) $(CRIT_LIBS) $(LDLIBS_ALL)

$(BUILD)/bench/%: bench/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -o $@ $< $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

$(BUILD)/examples/%: examples/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_APP) -o $@ $< $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

# ---- fuzzing (docs/TESTING.md) ---------------------------------------------
#
# The replay binaries feed a corpus to a harness with any compiler (make
# check); the fuzz binaries link it with libFuzzer (SAN=fuzz, clang).
$(BUILD)/fuzz/replay-%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/replay.o \
		$(FUZZ_COMMON_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter-out $(STATIC),$^) $(STATIC) $(SAN_LDFLAGS) $(LDLIBS_ALL)

$(BUILD)/fuzz/fuzz-%: $(BUILD)/obj/tests/fuzz/%.o $(FUZZ_COMMON_OBJ) $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ \
		$(filter-out $(STATIC),$^) $(STATIC) $(LDLIBS_ALL)

# The ostep harness drives `multios ostep` itself: the command's files
# but main.c (the rules above put the library after them).
OSTEP_CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard src/cli/ostep*.c) \
	src/cli/sched_out.c src/cli/util.c)
$(BUILD)/fuzz/replay-ostep $(BUILD)/fuzz/fuzz-ostep: $(OSTEP_CLI_OBJ)

# Make would delete these as intermediates of the pattern rules above.
.SECONDARY: $(patsubst %,$(BUILD)/obj/tests/fuzz/%.o,$(FUZZ_ALL) common replay)

FUZZ_TIME ?= 60
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
# New inputs go here, one directory per harness, not into the repository;
# FUZZ_SAVE=1 writes them to tests/fuzz/corpus/HARNESS instead (minimise
# with -merge=1 before committing).
FUZZ_SCRATCH ?= $(FUZZ_BUILD)/corpus
FUZZ_SAVE ?=
# More libFuzzer options, e.g. FUZZ_FLAGS=-jobs=2 or -only_ascii=1.
FUZZ_FLAGS ?=

fuzz:
	@sh scripts/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory $(PARALLEL) SAN=fuzz CC=$(FUZZ_CC) \
		BUILD=$(FUZZ_BUILD) fuzz-run

fuzz-run: $(patsubst %,$(BUILD)/fuzz/fuzz-%,$(FUZZ_TARGETS))
	@FUZZ_BIN=$(BUILD)/fuzz FUZZ_TIME=$(FUZZ_TIME) \
		FUZZ_SCRATCH=$(FUZZ_SCRATCH) FUZZ_SAVE=$(FUZZ_SAVE) \
		FUZZ_FLAGS="$(FUZZ_FLAGS)" sh tests/fuzz/run_fuzz.sh $(FUZZ_TARGETS)

# ---- mutation testing (docs/TESTING.md) -----------------------------------
MUTANTS ?= 250
MUT_SEED ?= 1
MUT_JOBS ?= $(NPROC)
MUT_FILES ?=
MUT_FLAGS ?=

mutation:
	@sh scripts/install-deps.sh --mutation
	python3 scripts/mutation.py --count $(MUTANTS) --seed $(MUT_SEED) \
		--jobs $(MUT_JOBS) $(MUT_FLAGS) $(MUT_FILES)

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
	rm -rf build build-san build-clang build-fuzz build-mutation*

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
