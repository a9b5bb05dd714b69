#!/usr/bin/env bash
# Runs the test suites and prints "N passed, N failed" last. Each suite prints
# one line per check: "ok - name", "not ok - name: why" or "skip - name: why".
# Exits non-zero when anything failed.
#
#   B=build bash tests/run.sh            everything a user needs (make test)
#   EL_TIER=check ...                    the quick tier: build hygiene, unit tests, fuzz corpus
#                                        replays, shell SQL tests (make check, under 20 s)
#   EL_TIER=slow ...                     the slow tier only: the bad-input matrix at full size,
#                                        100 MB texts, repeated kills, reproducible builds (make test-slow)
#   EL_PRELOAD="libasan libubsan" ...    the test tier against an ASan build (make asan)
#   EL_VALGRIND=1 ...                    unit, shell SQL and Python tests under memcheck (make valgrind)
#   EL_SHARED=DIR                        ../shared/data somewhere else; EL_REQUIRE_SHARED=1 (CI)
#                                        fails instead of running without it
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
EL_TIER=${EL_TIER:-test}
case "$EL_TIER" in check|test|slow) ;; *) echo "EL_TIER must be check, test or slow, not '$EL_TIER'" >&2; exit 2;; esac
export EL_TIER
SQLITE3=${SQLITE3:-sqlite3}
PYTHON=$(bash tests/find_python.sh || true)
PRELOAD=${EL_PRELOAD:-}
VG=${EL_VALGRIND:-}
VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
export B SQLITE3 PYTHON PRELOAD VG VALGRIND
NOPY="no Python whose sqlite3 module can load extensions (sudo apt-get install -y python3)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Run a suite, keep its lines, and record a failure if it died without saying why.
suite() {
  local name=$1; shift
  echo "== $name"
  local tmp rc
  tmp=$(mktemp)
  "$@" >"$tmp" 2>&1
  rc=$?
  cat "$tmp"
  cat "$tmp" >>"$out"
  if [ $rc -ne 0 ] && ! grep -q '^not ok' "$tmp"; then
    echo "not ok - $name: exited with status $rc" | tee -a "$out"
  fi
  rm -f "$tmp"
}

# The sqlite3 shell (and Python, isql) are not built with sanitizers: under
# `make asan` the runtimes are preloaded into them.
shell() {
  if [ -n "$VG" ]; then
    $VALGRIND "$SQLITE3" "$@"
  elif [ -n "$PRELOAD" ]; then
    LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" "$SQLITE3" "$@"
  else
    "$SQLITE3" "$@"
  fi
}
export -f shell

if [ -n "$VG" ]; then
  # memcheck: the C unit tests, the shell SQL tests and the Python suite (with
  # the bad-input matrix's big inputs made smaller; see tests/valgrind/python.sh)
  for t in tests/unit/test_*.c; do
    t=$(basename "$t" .c)
    suite "valgrind unit: ${t#test_}" $VALGRIND "$B/$t"
  done
  for f in tests/sql/*.sql; do
    suite "valgrind sql: $f" bash tests/sql/run_sql.sh "$f"
  done
  if [ -z "$PYTHON" ]; then
    echo "not ok - valgrind python: $NOPY" | tee -a "$out"
  else
    suite "valgrind python" bash tests/valgrind/python.sh
  fi
elif [ "$EL_TIER" = slow ]; then
  suite "reproducible build" bash tests/build/reproducible.sh
  if [ -z "$PYTHON" ]; then
    echo "not ok - python (slow): $NOPY" | tee -a "$out"
  else
    suite "python (slow)" "$PYTHON" tests/python/run.py
  fi
else
  if [ -n "${EL_REQUIRE_SHARED:-}" ]; then
    shared=${EL_SHARED:-../shared/data}
    if [ -d "$shared/trade" ] && [ -d "$shared/seeds" ] && [ -d "$shared/federal_register" ]; then
      echo "ok - ci: $shared is present" | tee -a "$out"
    else
      echo "not ok - ci: $shared (trade/, seeds/, federal_register/) is missing: CI always has it" | tee -a "$out"
    fi
  fi
  if [ -n "$PYTHON" ] && [ -n "$PRELOAD" ]; then
    suite "build hygiene" env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" \
      "$PYTHON" tests/build/hygiene.py
  elif [ -n "$PYTHON" ]; then
    suite "build hygiene" "$PYTHON" tests/build/hygiene.py
  else
    echo "not ok - build hygiene: $NOPY" | tee -a "$out"
  fi
  for t in tests/unit/test_*.c; do
    t=$(basename "$t" .c)
    suite "unit: ${t#test_}" "$B/$t"
  done
  for t in tests/fuzz/fuzz_*.c; do
    t=$(basename "$t" .c); t=${t#fuzz_}
    suite "fuzz corpus replay: $t" "$B/replay_$t" tests/fuzz/corpus_$t/*
  done
  for f in tests/sql/*.sql; do
    suite "sql: $f" bash tests/sql/run_sql.sh "$f"
  done
fi
if [ -z "$VG" ] && [ "$EL_TIER" = test ]; then
  if [ "$B" = build ]; then
    suite "install" bash tests/install_test.sh
    suite "deb" bash tests/deb_test.sh
  fi
  suite "odbc" bash tests/odbc/odbc_test.sh
  if [ -z "$PYTHON" ]; then
    echo "not ok - python: $NOPY" | tee -a "$out"
  elif [ -n "$PRELOAD" ]; then
    suite "python" env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" \
      "$PYTHON" tests/python/run.py
  else
    suite "python" "$PYTHON" tests/python/run.py
  fi
fi

passed=$(grep -c '^ok' "$out")
failed=$(grep -c '^not ok' "$out")
skipped=$(grep -c '^skip' "$out")
echo
if [ "$failed" -gt 0 ]; then
  echo "Failures:"
  grep '^not ok' "$out"
  echo
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
