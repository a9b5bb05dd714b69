#!/usr/bin/env bash
# exportlens throughput benchmark: run by `make bench` from the repo root as
#   PYTHON=<python able to load SQLite extensions> SQLITE3=sqlite3 bash tests/bench/bench.sh
#
# Environment (all optional; PYTHON is looked for with tests/find_python.sh when empty):
#   B                 build directory holding exportlens.so (default: build)
#   EL_BENCH_CORPUS   path to a .jsonl.gz corpus, or "synthetic" to force the
#                     generated corpus (default: ../shared/data/corpus/federal_register_abstracts.jsonl.gz)
#   EL_BENCH_RUNS     timed runs per measurement, best is kept (default: 3)
#   EL_BENCH_MIN_MB   minimum corpus size in MB (default: 40)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
B="${B:-build}"

# $PYTHON wins; otherwise find one the way tests/run.sh does.
if [ -f tests/find_python.sh ]; then
  PYTHON=$(PYTHON="${PYTHON:-}" bash tests/find_python.sh || true)
fi
if [ -z "${PYTHON:-}" ]; then
  echo "exportlens bench: no Python able to load SQLite extensions was found." >&2
  echo "  (its sqlite3 module must support enable_load_extension; Debian's /usr/bin/python3 does," >&2
  echo "   builds such as pyenv's often do not)" >&2
  echo "  Install Debian's Python:  apt-get install -y python3" >&2
  echo "  or point at one:          make bench PYTHON=/usr/bin/python3" >&2
  exit 1
fi

if [ ! -f "$B/exportlens.so" ]; then
  echo "exportlens bench: $B/exportlens.so not found; build it first with: make all" >&2
  exit 1
fi

mkdir -p "$B/bench"
"$PYTHON" tests/bench/bench.py --build "$B"
# Each capability's own benchmark, tests/bench/bench_<capability>.py, run the
# same way; each writes build/bench/results_<capability>.json.
for f in tests/bench/bench_*.py; do
  [ -e "$f" ] || continue
  "$PYTHON" "$f" --build "$B"
done
