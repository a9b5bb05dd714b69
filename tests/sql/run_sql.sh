#!/usr/bin/env bash
# Runs one SQL test file in the sqlite3 shell with the extension loaded.
# Each test is a query returning ('name', boolean): "name|1" passes.
set -u
f=$1
name=$(basename "$f" .sql)
res=$(shell -batch -bail -cmd ".load ${B:-build}/exportlens" :memory: <"$f" 2>&1)
rc=$?
printf '%s\n' "$res" | awk -F'|' -v file="$name" '
  NF >= 2 && $NF == "1" { sub(/\|1$/, ""); print "ok - " file ": " $0; next }
  NF >= 2 { v = $NF; sub(/\|[^|]*$/, ""); print "not ok - " file ": " $0 " (got " v ")"; next }
  { print "# " $0 }'
if [ $rc -ne 0 ]; then
  echo "not ok - $name: the shell stopped with status $rc: $(printf '%s\n' "$res" | tail -n 1)"
fi
exit 0
