#!/usr/bin/env bash
# make demo [ARTICLES=dir]: load a folder of articles and run the showcase.
set -eu
dir=${1:-sql/data/articles}
if [ ! -d "$dir" ]; then
  echo "demo: no such folder: $dir" >&2
  exit 1
fi
n=$(find "$dir" -maxdepth 1 -name '*.txt' | wc -l)
echo "exportlens $(sqlite3 :memory: -cmd '.load build/exportlens' 'select exportlens_version()') demo on $dir ($n articles)"
sqlite3 -bail :memory: -cmd ".load build/exportlens" -cmd ".parameter set @dir '$(printf %s "$dir" | sed "s/'/''/g")'" <sql/demo.sql
