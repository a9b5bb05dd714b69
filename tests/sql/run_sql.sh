#!/usr/bin/env bash
# Runs one SQL test file in the sqlite3 shell with the extension loaded.
# Each test is a query returning one row ('name', boolean): "name|1" passes.
# Every statement written `SELECT '<name>', ...` at the start of a line is a
# test: it must give exactly one row, with two or more columns, the last 1.
# So a test that returns no row, a single column, NULL, or several rows fails,
# and so does any other output line (setup statements must print nothing).
set -u
f=$1
name=$(basename "$f" .sql)
res=$(shell -batch -bail -cmd ".load ${B:-build}/exportlens" :memory: <"$f" 2>&1)
rc=$?
# The names of the tests, in file order ('' in a name is one quote).
expected=$(sed -n "s/^SELECT '\(\([^']\|''\)*\)'.*/\1/p" "$f" | sed "s/''/'/g")
{ printf '%s\n' "$expected"; printf '\001\n'; printf '%s\n' "$res"; } | awk -F'|' -v file="$name" '
  # first the expected names, then a \001 line, then the shell output
  !out && $0 == "\001" { out = 1; next }
  !out { if ($0 != "") want[$0]++; order[++n] = $0; next }
  {
    if (NF < 2) { print "not ok - " file ": output that is not a (name, boolean) row: " $0; next }
    v = $NF; t = $0; sub(/\|[^|]*$/, "", t)
    seen[t]++
    if (t in want && seen[t] > want[t]) { print "not ok - " file ": " t ": more than one row"; next }
    if (v == "1") print "ok - " file ": " t
    else print "not ok - " file ": " t " (got " (v == "" ? "NULL" : v) ")"
  }
  END {
    for (i = 1; i <= n; i++) {
      t = order[i]
      if (t != "" && !(t in reported) && seen[t] < want[t]) {
        reported[t] = 1
        print "not ok - " file ": " t ": returned no row"
      }
    }
  }'
if [ $rc -ne 0 ]; then
  echo "not ok - $name: the shell stopped with status $rc: $(printf '%s\n' "$res" | tail -n 1)"
fi
exit 0
