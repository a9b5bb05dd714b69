# exportlens: build, test, benchmark and install.
#
#   make demo      build, then run the showcase on the bundled sample articles
#   make check     the quick tier (under 20 s): unit tests, fuzz corpus replays, SQL tests
#   make test      every test a user needs (ends with "N passed, N failed")
#   make test-slow the slow tier: 100 MB inputs, a million rows, repeated kills,
#                  a reproducible-build check (run by .ci/run)
#   make asan      the same tests with AddressSanitizer and UBSan
#   make valgrind  unit, shell SQL and Python tests under valgrind memcheck
#   make fuzz      each libFuzzer target for FUZZ_SECONDS (clang)
#   make bench     throughput benchmarks against SQLite's own peers
#   make bench-dask  1 vs 2 Dask workers on the Federal Register corpus (part of make bench)
#   make models    retrain the NLP models from ../shared/data (C trainers)
#   make eval      print the NLP models' scores on the dev sets
#   make install   PREFIX=/usr/local DESTDIR= (the .so, header, static library, .pc)
#   make unicode-tables  regenerate the committed ext/common/el_unicode_data.h
#   make deb       a Debian package under the multiarch paths (build/exportlens_*.deb)
#   V=1            print the compile and link commands (hidden otherwise)
#
# Missing Debian packages are installed when running as root; otherwise the
# exact apt-get line is printed and the build stops. `make test` also needs
# the packages its ODBC, pandas and notebook tests use (TEST_PACKAGES).
#
# Reproducible: the build date comes from SOURCE_DATE_EPOCH when it is set,
# source paths are recorded relative to the tree, archives are deterministic,
# and the Unicode tables are committed (no dependency on the host's Python).

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
SQLITE3  ?= sqlite3
# A Python whose sqlite3 module can load extensions; found by tests/find_python.sh
# when not given (Debian's /usr/bin/python3 can; pyenv's often cannot).
PYTHON   ?=
ARTICLES ?= sql/data/articles

VERSION  := $(shell sed -n 's/^\#define EXPORTLENS_VERSION "\(.*\)"/\1/p' include/exportlens.h)
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
ifdef SOURCE_DATE_EPOCH
BUILD_DATE := $(shell date -u -d "@$(SOURCE_DATE_EPOCH)" +%Y-%m-%d)
else
BUILD_DATE := $(shell date -u +%Y-%m-%d)
endif
# The iso-codes release the country table is generated from (exportlens_debug()).
ifndef ISO_CODES_VERSION
ISO_CODES_VERSION := $(shell pkg-config --modversion iso-codes 2>/dev/null || \
                       dpkg-query -W -f='$${Version}' iso-codes 2>/dev/null || echo unknown)
endif

PCRE2_CFLAGS := $(shell pkg-config --cflags libpcre2-8 2>/dev/null)
PCRE2_LIBS   := $(shell pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
LIBS     := $(PCRE2_LIBS) -lcsv -lz -pthread

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wimplicit-fallthrough -Wvla -Wno-unused-parameter
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
BASE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 $(WARN) -fvisibility=hidden -I$(B)/gen \
               -Iext/common -Iinclude $(PCRE2_CFLAGS) '-ffile-prefix-map=$(CURDIR)=.' \
               -DEL_BUILD_DATE='"$(BUILD_DATE)"' -DEL_GIT_COMMIT='"$(COMMIT)"' \
               -DEL_ISO_CODES_VERSION='"$(ISO_CODES_VERSION)"'
# Each object also writes a dependency file (.d beside it) naming the headers
# it includes, so that only what includes a changed header is rebuilt.
DEPFLAGS = -MMD -MP
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) -DEL_BUILD_FLAGS='"$(strip $(CFLAGS) $(EXTRA_FLAGS))"' $(EXTRA_FLAGS)

B        ?= build
# Quiet build: the compile and link commands are not printed; make V=1 prints them.
Q        := $(if $(filter 1,$(V)),,@)
# Core sources know nothing of SQLite (unit-tested and fuzzed on their own);
# SQL sources are the adapters. Each capability folder ext/<name>/ adds its
# own sources, generated headers and rules in ext/<name>/module.mk.
CORE_SRC := ext/common/el_alloc.c ext/common/el_unicode.c ext/text/el_tokenizer.c
SQL_SRC  := ext/exportlens.c ext/common/el_sqlite.c ext/common/el_usertable.c ext/text/text_sql.c
GEN_HDRS :=
# The module files define rules; keep `make` with no target building `all`.
.DEFAULT_GOAL := all
include $(sort $(wildcard ext/*/module.mk))
include contrib/dqlite/dqlite.mk
# -I for every capability folder, for unit tests and fuzz targets
CORE_INC := $(patsubst %/,-I%,$(sort $(dir $(wildcard ext/*/*.h))))
# The core is compiled once (position-independent) into CORE_LIB, which the
# .so, the unit tests and the fuzz replays link; the installed static library
# is the same core objects plus the adapters compiled with -DSQLITE_CORE.
CORE_OBJ := $(patsubst ext/%.c,$(B)/obj/%.o,$(CORE_SRC))
SQL_OBJ  := $(patsubst ext/%.c,$(B)/obj/%.o,$(SQL_SRC))
SQL_SOBJ := $(patsubst ext/%.c,$(B)/sobj/%.o,$(SQL_SRC))
CORE_LIB := $(B)/libexportlens_core.a

DEB_PACKAGES := gcc make sqlite3 libsqlite3-dev libpcre2-dev libcsv-dev zlib1g-dev pkg-config python3 iso-codes
# What `make test` needs beyond the build, so that no test skips for a missing
# package: the ODBC driver and a typed ODBC client (unixodbc, libsqliteodbc,
# python3-pyodbc), pandas, and the notebook run headless (nbconvert, a kernel,
# matplotlib).
TEST_PACKAGES := unixodbc libsqliteodbc python3-pyodbc python3-pandas \
                 jupyter-nbconvert python3-ipykernel python3-nbformat python3-matplotlib

.PHONY: all deps test-deps fuzz-deps demo check test test-slow asan valgrind fuzz bench install uninstall \
        clean unit unicode-tables deb

all: $(B)/exportlens.so $(B)/libexportlens.a

# --- system packages --------------------------------------------------------
# $(call ensure_packages,PKGS): install the missing ones as root, otherwise
# print the apt-get line and stop. AS_ROOT=no makes root behave like a user
# (print the line, install nothing).
ifndef AS_ROOT
AS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)
endif
define ensure_packages
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$(AS_ROOT)" = yes ]; then \
	      echo "exportlens: installing$$missing"; \
	      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; } || exit 1; \
	    else \
	      echo "exportlens: missing Debian packages. Run:"; \
	      echo "  sudo apt-get install -y$$missing"; \
	      exit 1; \
	    fi; \
	  fi; \
	fi
endef

deps: build/.deps-ok
build/.deps-ok:
	$(call ensure_packages,$(DEB_PACKAGES) $(EXTRA_PACKAGES))
	@mkdir -p build && touch $@

test-deps: build/.deps-ok
	$(call ensure_packages,$(TEST_PACKAGES))

# --- build ----------------------------------------------------------------
# The Unicode tables are committed (generated, do not edit); this target
# rewrites them from the pinned Unicode version (see ext/common/gen_unicode.py).
unicode-tables:
	$$(command -v /usr/bin/python3 || command -v python3) ext/common/gen_unicode.py > ext/common/el_unicode_data.h.tmp \
	  && mv ext/common/el_unicode_data.h.tmp ext/common/el_unicode_data.h

# Objects depend on the Makefile (flags) and, through their .d files, on the
# headers they include. Generated headers must exist before the first compile.
$(B)/obj/%.o: ext/%.c Makefile | $(GEN_HDRS) build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -fPIC -c $< -o $@

$(B)/sobj/%.o: ext/%.c Makefile | $(GEN_HDRS) build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -fPIC -DSQLITE_CORE -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	$(Q)rm -f $@ && ar rcsD $@ $(CORE_OBJ)

$(B)/exportlens.so: $(SQL_OBJ) $(CORE_LIB)
	@echo "exportlens: linking $@ (make V=1 shows the commands)"
	$(Q)$(CC) -shared $(CFLAGS) $(EXTRA_FLAGS) -o $@ $(SQL_OBJ) $(CORE_LIB) $(LIBS)

$(B)/libexportlens.a: $(SQL_SOBJ) $(CORE_OBJ)
	$(Q)rm -f $@ && ar rcsD $@ $(SQL_SOBJ) $(CORE_OBJ)

# --- tests ------------------------------------------------------------------
# Found by name: tests/unit/test_X.c is a C unit test of the core (it links
# CORE_LIB; test_static links the installed static library and SQLite
# instead), and tests/fuzz/fuzz_X.c is a libFuzzer target, also built as
# replay_X to replay tests/fuzz/corpus_X/. Fuzz targets named fuzz_sql*.c run
# SQL: they link the static library and SQLite, the others only the core.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
SQL_FUZZ     := $(filter sql%,$(FUZZ_TARGETS))
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/%,$(wildcard tests/unit/test_*.c)) \
            $(patsubst %,$(B)/replay_%,$(FUZZ_TARGETS))

# Test and fuzz sources compile to $(B)/tobj/. libFuzzer's entry point has no
# header of its own: tests/fuzz/fuzz.h declares it for every target.
TEST_OBJ := $(patsubst tests/%.c,$(B)/tobj/%.o,$(wildcard tests/unit/test_*.c tests/fuzz/*.c))
.SECONDARY: $(TEST_OBJ)
$(B)/tobj/%.o: tests/%.c Makefile | $(GEN_HDRS) build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CORE_INC) $(DEPFLAGS) $(if $(filter fuzz/%,$*),-include tests/fuzz/fuzz.h) -c $< -o $@

$(B)/test_static: $(B)/tobj/unit/test_static.o $(B)/libexportlens.a
	$(CC) $(CFLAGS) $(EXTRA_FLAGS) -o $@ $< $(B)/libexportlens.a -lsqlite3 $(LIBS)

# OOM fault injection over every function: links the static library too
$(B)/test_oom: $(B)/tobj/unit/test_oom.o $(B)/libexportlens.a
	$(CC) $(CFLAGS) $(EXTRA_FLAGS) -o $@ $< $(B)/libexportlens.a -lsqlite3 $(LIBS)

$(B)/test_%: $(B)/tobj/unit/test_%.o $(CORE_LIB)
	$(CC) $(CFLAGS) $(EXTRA_FLAGS) -o $@ $< $(CORE_LIB) $(LIBS)

$(B)/replay_%: $(B)/tobj/fuzz/replay.o $(B)/tobj/fuzz/fuzz_%.o $(CORE_LIB)
	$(CC) $(CFLAGS) $(EXTRA_FLAGS) -o $@ $(B)/tobj/fuzz/replay.o $(B)/tobj/fuzz/fuzz_$*.o $(CORE_LIB) $(LIBS)

$(patsubst %,$(B)/replay_%,$(SQL_FUZZ)): $(B)/replay_%: $(B)/tobj/fuzz/replay.o $(B)/tobj/fuzz/fuzz_%.o $(B)/libexportlens.a
	$(CC) $(CFLAGS) $(EXTRA_FLAGS) -o $@ $(B)/tobj/fuzz/replay.o $(B)/tobj/fuzz/fuzz_$*.o $(B)/libexportlens.a \
	  -lsqlite3 $(LIBS)

unit: $(UNIT_BIN)

# Three tiers (tests/run.sh): check is the quick one, test is everything a
# user needs (it includes check), test-slow is the heavy matrix.
check: all unit
	@B=$(B) SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" EL_TIER=check bash tests/run.sh

test: test-deps all unit
	@B=$(B) SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" EL_TIER=test bash tests/run.sh

test-slow: all unit
	@B=$(B) SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" EL_TIER=slow bash tests/run.sh

# AddressSanitizer + UBSan: a separate build tree, the same test runner. The
# sqlite3 shell and Python are not instrumented, so the sanitizer runtimes are
# preloaded into them.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan: test-deps
	$(MAKE) B=build/asan OPT=-O1 EXTRA_FLAGS="$(ASAN_FLAGS)" all unit
	@B=build/asan SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" EL_TIER=test \
	  EL_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	  bash tests/run.sh

# valgrind memcheck over the unit tests, the shell SQL tests and the Python
# suite: any error or definite leak fails (in Python: any whose stack passes
# through the extension; Python's own exit-time leaks are not ours).
valgrind: all unit
	$(call ensure_packages,valgrind)
	@B=$(B) SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" EL_TIER=test EL_VALGRIND=1 bash tests/run.sh

# libFuzzer targets (clang): make fuzz [FUZZ_SECONDS=60]. Crashes are written
# to build/fuzz/; each becomes a regression test in tests/fuzz/corpus_*.
FUZZ_SECONDS ?= 30
FUZZ_CC      ?= clang
fuzz-deps: build/.deps-ok
	$(call ensure_packages,clang libclang-rt-14-dev)

# The fuzzers are built by clang with the sanitizers and libFuzzer's coverage
# instrumentation, so they have their own build of the two libraries under
# $(B)/fuzz/ (the same sources and .d dependency files).
FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=address,undefined -fno-sanitize-recover=all -I$(B)/gen -Iext/common -Iinclude $(PCRE2_CFLAGS) \
  -DEL_BUILD_DATE='"$(BUILD_DATE)"' -DEL_GIT_COMMIT='"$(COMMIT)"' -DEL_ISO_CODES_VERSION='"$(ISO_CODES_VERSION)"'
FUZZ_CORE_LIB := $(B)/fuzz/libexportlens_core.a
FUZZ_STATIC_LIB := $(B)/fuzz/libexportlens.a

$(B)/fuzz/obj/%.o: ext/%.c Makefile | $(GEN_HDRS) fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(DEPFLAGS) -c $< -o $@

$(B)/fuzz/sobj/%.o: ext/%.c Makefile | $(GEN_HDRS) fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -DSQLITE_CORE $(DEPFLAGS) -c $< -o $@

$(FUZZ_CORE_LIB): $(patsubst ext/%.c,$(B)/fuzz/obj/%.o,$(CORE_SRC))
	rm -f $@ && ar rcsD $@ $^

$(FUZZ_STATIC_LIB): $(patsubst ext/%.c,$(B)/fuzz/sobj/%.o,$(SQL_SRC)) $(patsubst ext/%.c,$(B)/fuzz/obj/%.o,$(CORE_SRC))
	rm -f $@ && ar rcsD $@ $^

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE_LIB) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CORE_INC) $(DEPFLAGS) -include tests/fuzz/fuzz.h \
	  -o $@ $< $(FUZZ_CORE_LIB) $(LIBS)

$(patsubst %,$(B)/fuzz/fuzz_%,$(SQL_FUZZ)): $(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_STATIC_LIB) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CORE_INC) $(DEPFLAGS) -include tests/fuzz/fuzz.h \
	  -o $@ $< $(FUZZ_STATIC_LIB) -lsqlite3 $(LIBS)

fuzz: fuzz-deps $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  mkdir -p $(B)/fuzz/corpus_$$t; \
	  if ! $(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	       -rss_limit_mb=2048 -artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus_$$t \
	       tests/fuzz/corpus_$$t >$(B)/fuzz/$$t.log 2>&1; then \
	    tail -n 30 $(B)/fuzz/$$t.log; echo "fuzz $$t: FAILED (input saved in $(B)/fuzz/)"; exit 1; \
	  fi; \
	  grep -E '^Done|^#[0-9]+ *DONE' $(B)/fuzz/$$t.log | tail -n 1; \
	done

# Trained models and their scores: each module.mk appends its own targets.
.PHONY: models eval
models: $(MODEL_TARGETS)
eval: $(EVAL_TARGETS)

bench: all
	@PYTHON="$(PYTHON)" SQLITE3=$(SQLITE3) bash tests/bench/bench.sh

# exportlens.distributed: 1 vs 2 Dask workers (make bench runs it too, as every tests/bench/bench_*.py)
.PHONY: bench-dask
bench-dask: all
	@PY=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) && "$$PY" tests/bench/bench_dask.py --build $(B)

demo: all
	@bash sql/demo.sh "$(ARTICLES)"

# --- install ----------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 0755 $(B)/exportlens.so $(DESTDIR)$(LIBDIR)/exportlens.so
	install -m 0644 $(B)/libexportlens.a $(DESTDIR)$(LIBDIR)/libexportlens.a
	install -m 0644 include/exportlens.h $(DESTDIR)$(INCDIR)/exportlens.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBS@|$(LIBS)|' include/exportlens.pc.in \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/exportlens.pc

# A binary Debian package ($(B)/exportlens_VERSION_ARCH.deb), multiarch paths.
deb: all
	$(call ensure_packages,dpkg-dev)
	@B=$(B) bash contrib/debian/make_deb.sh

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/exportlens.so $(DESTDIR)$(LIBDIR)/libexportlens.a \
	      $(DESTDIR)$(INCDIR)/exportlens.h $(DESTDIR)$(LIBDIR)/pkgconfig/exportlens.pc

clean:
	rm -rf build

# The dependency files written by the compiler (absent before the first build).
-include $(patsubst %.o,%.d,$(CORE_OBJ) $(SQL_OBJ) $(SQL_SOBJ)) \
         $(wildcard $(B)/tobj/*/*.d $(B)/fuzz/obj/*/*.d $(B)/fuzz/obj/*.d $(B)/fuzz/sobj/*/*.d \
                    $(B)/fuzz/sobj/*.d $(B)/fuzz/*.d)
