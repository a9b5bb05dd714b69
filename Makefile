# exportlens: build, test, benchmark and install.
#
#   make demo      build, then run the showcase on the bundled sample articles
#   make test      build and run every test (ends with "N passed, N failed")
#   make asan      the same tests with AddressSanitizer and UBSan
#   make valgrind  unit, shell SQL and Python tests under valgrind memcheck
#   make fuzz      each libFuzzer target for FUZZ_SECONDS (clang)
#   make bench     throughput benchmarks against SQLite's own peers
#   make install   PREFIX=/usr/local DESTDIR= (the .so, header, static library, .pc)
#
# Missing Debian packages are installed when running as root; otherwise the
# exact apt-get line is printed and the build stops.

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
BUILD_DATE := $(shell date -u +%Y-%m-%d)

PCRE2_CFLAGS := $(shell pkg-config --cflags libpcre2-8 2>/dev/null)
PCRE2_LIBS   := $(shell pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
LIBS     := $(PCRE2_LIBS) -lcsv

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
BASE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 $(WARN) -fvisibility=hidden -I$(B)/gen \
               -Iext/common -Iinclude $(PCRE2_CFLAGS) \
               -DEL_BUILD_DATE='"$(BUILD_DATE)"' -DEL_GIT_COMMIT='"$(COMMIT)"'
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) -DEL_BUILD_FLAGS='"$(strip $(CFLAGS) $(EXTRA_FLAGS))"' $(EXTRA_FLAGS)

B        ?= build
# Core sources know nothing of SQLite (unit-tested and fuzzed on their own);
# SQL sources are the adapters. Each capability folder ext/<name>/ adds its
# own sources, generated headers and rules in ext/<name>/module.mk.
CORE_SRC := ext/common/el_alloc.c ext/common/el_unicode.c ext/text/el_tokenizer.c
SQL_SRC  := ext/exportlens.c ext/common/el_sqlite.c ext/text/text_sql.c
GEN_HDRS := $(B)/gen/el_unicode_data.h
# The module files define rules; keep `make` with no target building `all`.
.DEFAULT_GOAL := all
include $(sort $(wildcard ext/*/module.mk))
SRC      := $(CORE_SRC) $(SQL_SRC)
HDRS     := $(wildcard ext/*/*.h) include/exportlens.h $(GEN_HDRS) Makefile $(wildcard ext/*/module.mk)
# -I for every capability folder, for unit tests and fuzz targets
CORE_INC := $(patsubst %/,-I%,$(sort $(dir $(wildcard ext/*/*.h))))
OBJ      := $(patsubst ext/%.c,$(B)/obj/%.o,$(SRC))
SOBJ     := $(patsubst ext/%.c,$(B)/sobj/%.o,$(SRC))

DEB_PACKAGES := gcc make sqlite3 libsqlite3-dev libpcre2-dev libcsv-dev pkg-config python3 iso-codes

.PHONY: all deps fuzz-deps demo test asan valgrind fuzz bench install uninstall clean unit

all: $(B)/exportlens.so $(B)/libexportlens.a

# --- system packages --------------------------------------------------------
# $(call ensure_packages,PKGS): install the missing ones as root, otherwise
# print the apt-get line and stop.
define ensure_packages
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
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

# --- build ----------------------------------------------------------------
$(B)/gen/el_unicode_data.h: ext/common/gen_unicode.py | build/.deps-ok
	@mkdir -p $(dir $@)
	$$(command -v /usr/bin/python3 || command -v python3) $< > $@.tmp && mv $@.tmp $@

$(B)/obj/%.o: ext/%.c $(HDRS) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(B)/sobj/%.o: ext/%.c $(HDRS) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DSQLITE_CORE -c $< -o $@

$(B)/exportlens.so: $(OBJ)
	$(CC) -shared $(CFLAGS) $(EXTRA_FLAGS) -o $@ $(OBJ) $(LIBS)

$(B)/libexportlens.a: $(SOBJ)
	rm -f $@ && ar rcs $@ $(SOBJ)

# --- tests ------------------------------------------------------------------
# Found by name: tests/unit/test_X.c is a C unit test of the core sources
# (test_static links the static library instead), and tests/fuzz/fuzz_X.c is a
# libFuzzer target, also built as replay_X to replay tests/fuzz/corpus_X/.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/%,$(wildcard tests/unit/test_*.c)) \
            $(patsubst %,$(B)/replay_%,$(FUZZ_TARGETS))

$(B)/test_static: tests/unit/test_static.c tests/unit/check.h $(B)/libexportlens.a
	$(CC) $(ALL_CFLAGS) -o $@ tests/unit/test_static.c $(B)/libexportlens.a -lsqlite3 $(LIBS)

# OOM fault injection over every function: links the static library too
$(B)/test_oom: tests/unit/test_oom.c tests/unit/check.h $(B)/libexportlens.a
	$(CC) $(ALL_CFLAGS) -o $@ tests/unit/test_oom.c $(B)/libexportlens.a -lsqlite3 $(LIBS)

$(B)/test_%: tests/unit/test_%.c tests/unit/check.h $(CORE_SRC) $(HDRS)
	$(CC) $(ALL_CFLAGS) $(CORE_INC) -o $@ $< $(CORE_SRC) $(LIBS)

$(B)/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(CORE_SRC) $(HDRS)
	$(CC) $(ALL_CFLAGS) $(CORE_INC) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c $(CORE_SRC) $(LIBS)

unit: $(UNIT_BIN)

test: all unit
	@B=$(B) SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" bash tests/run.sh

# AddressSanitizer + UBSan: a separate build tree, the same test runner. The
# sqlite3 shell and Python are not instrumented, so the sanitizer runtimes are
# preloaded into them.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	$(MAKE) B=build/asan OPT=-O1 EXTRA_FLAGS="$(ASAN_FLAGS)" all unit
	@B=build/asan SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" \
	  EL_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	  bash tests/run.sh

# valgrind memcheck over the unit tests, the shell SQL tests and the Python
# suite: any error or definite leak fails (in Python: any whose stack passes
# through the extension; Python's own exit-time leaks are not ours).
valgrind: all unit
	$(call ensure_packages,valgrind)
	@B=$(B) SQLITE3=$(SQLITE3) PYTHON="$(PYTHON)" EL_VALGRIND=1 bash tests/run.sh

# libFuzzer targets (clang): make fuzz [FUZZ_SECONDS=60]. Crashes are written
# to build/fuzz/; each becomes a regression test in tests/fuzz/corpus_*.
FUZZ_SECONDS ?= 30
FUZZ_CC      ?= clang
fuzz-deps: build/.deps-ok
	$(call ensure_packages,clang libclang-rt-14-dev)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRC) $(HDRS) | fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -I$(B)/gen $(CORE_INC) -Iinclude -o $@ $< $(CORE_SRC) $(LIBS)

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

bench: all
	@PYTHON="$(PYTHON)" SQLITE3=$(SQLITE3) bash tests/bench/bench.sh

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

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/exportlens.so $(DESTDIR)$(LIBDIR)/libexportlens.a \
	      $(DESTDIR)$(INCDIR)/exportlens.h $(DESTDIR)$(LIBDIR)/pkgconfig/exportlens.pc

clean:
	rm -rf build
