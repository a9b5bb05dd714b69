#!/usr/bin/env bash
# make demo [ARTICLES=dir]: load a folder of articles and the bundled trade
# dataset, create the views of sql/schema.sql and print the showcase tables
# (sql/demo.sql). Runs in an in-memory database; nothing is written.
set -eu
dir=${1:-sql/data/articles}
SQLITE3=${SQLITE3:-sqlite3}
B=${B:-build}
if [ ! -d "$dir" ]; then
  echo "demo: no such folder: $dir" >&2
  exit 1
fi
case "$dir" in /*) abs=$dir ;; *) abs=$PWD/$dir ;; esac
cd "$(dirname "$0")/.."
if [ ! -f "$B/exportlens.so" ]; then
  echo "demo: $B/exportlens.so is not built (run make)" >&2
  exit 1
fi
n=$(find "$abs/" -maxdepth 1 -type f -iname '*.txt' | wc -l)
quoted=$(printf %s "$abs" | sed "s/'/''/g")
version=$("$SQLITE3" :memory: -cmd ".load $B/exportlens" 'SELECT exportlens_version()')
echo "exportlens $version demo on $dir ($n articles)"
# The quotes and claims sections need quotes() and claims(); a build without
# them still shows the rest.
have=$("$SQLITE3" :memory: -cmd ".load $B/exportlens" \
  "SELECT count(*) FROM pragma_module_list WHERE name IN ('quotes', 'claims')")
if [ "$have" = 2 ]; then
  script=$(cat sql/demo.sql)
else
  echo "(quotes() and claims() are not in this build: their sections are skipped)"
  script=$(sed '/^-- {discourse/,/^-- discourse}/d' sql/demo.sql)
fi
printf '%s\n' "$script" |
  "$SQLITE3" -bail :memory: -cmd ".load $B/exportlens" -cmd ".parameter set @dir '$quoted'"
