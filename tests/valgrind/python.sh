#!/usr/bin/env bash
# The Python suite under valgrind memcheck (make valgrind). Python is run with
# PYTHONMALLOC=malloc so that memcheck sees every allocation; its own exit-time
# leaks are ignored, and only what passes through the extension fails (see
# report.py). --keep-debuginfo keeps the extension's symbols after SQLite
# dlclose()s it, so that exit-time leaks are still traced to it. The big inputs
# of the bad-input matrix are made smaller (memcheck runs code 20-50x slower);
# memory is checked here, not speed. --fair-sched=yes: valgrind runs one
# thread at a time, and its default lock lets a busy thread take the lock back
# at once, so a second thread (the tests that call sqlite3_interrupt from
# another thread) could wait until the statement had ended; the ticket lock
# hands the threads the lock in turn (CI failed once on the gzip interrupt test).
#
#   B=build bash tests/valgrind/python.sh [test filter ...]
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
PYTHON=${PYTHON:-$(bash tests/find_python.sh)}
xml=$(mktemp)
trap 'rm -f "$xml"' EXIT
PYTHONMALLOC=malloc \
  EL_MATRIX_BIG_MB=${EL_MATRIX_BIG_MB:-2} EL_MATRIX_TOKEN_MB=${EL_MATRIX_TOKEN_MB:-1} \
  EL_MATRIX_ROWS=${EL_MATRIX_ROWS:-20000} EL_MATRIX_NLP_MB=${EL_MATRIX_NLP_MB:-0.05} \
  valgrind --fair-sched=yes --leak-check=full --show-leak-kinds=definite,indirect --keep-debuginfo=yes \
    --errors-for-leak-kinds=definite,indirect --num-callers=40 \
    --xml=yes --xml-file="$xml" "$PYTHON" tests/python/run.py "$@"
rc=$?
"$PYTHON" tests/valgrind/report.py "$xml" "$B/exportlens.so" || rc=1
exit $rc
