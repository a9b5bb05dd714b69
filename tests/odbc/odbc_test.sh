#!/usr/bin/env bash
# The extension through a real ODBC client: unixODBC's isql with the SQLite3
# ODBC driver, which loads the extension from the DSN's LoadExt= line.
# Skips when unixODBC or the driver is missing (apt-get install unixodbc libsqliteodbc).
set -u
B=${B:-build}
if ! command -v isql >/dev/null 2>&1 || ! odbcinst -q -d 2>/dev/null | grep -q '^\[SQLite3\]'; then
  echo "skip - odbc: unixODBC or the SQLite3 ODBC driver is not installed (apt-get install unixodbc libsqliteodbc)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/odbc.ini" <<INI
[exportlens_test]
Driver=SQLite3
Database=$tmp/test.db
LoadExt=$(pwd)/$B/exportlens.so
INI
export ODBCINI="$tmp/odbc.ini"
q() { printf "%s\n" "$1" | ${PRELOAD:+env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS=detect_leaks=0} isql -b -v -d"|" exportlens_test 2>&1; }
check() { # name, sql, expected output
  local got
  got=$(q "$2")
  if [ "$got" = "$3" ]; then echo "ok - odbc: $1"; else echo "not ok - odbc: $1: got [$got] want [$3]"; fi
}
check "tokens() through LoadExt" \
  "SELECT token || ':' || kind FROM tokens('The U.S. rose 30%.') WHERE kind <> 'punct';" \
  "$(printf 'The:word\nU.S.:word\nrose:word\n30%%:percent')"
check "token_count()" "SELECT token_count('Exports of ECCN 3A090 items');" "5"
check "sentences()" "SELECT count(*) FROM sentences('One. Two. Three.');" "3"
check "FTS5 with tokenize=porter exportlens" \
  "$(printf "%s\n" "CREATE VIRTUAL TABLE f USING fts5(b, tokenize='porter exportlens');" \
     "INSERT INTO f VALUES ('The U.S. exports chips'), ('They use it');" \
     "SELECT count(*) FROM f WHERE f MATCH 'export';" \
     "SELECT count(*) FROM f WHERE f MATCH '\"U.S.\"';")" "$(printf '1\n1')"
got=$(q "SELECT count(*) FROM tokens;")
case "$got" in
  "[S1000][SQLite]tokens(): missing argument 'text' (1)"*"[ISQL]ERROR"*) echo "ok - odbc: errors reach the client";;
  *) echo "not ok - odbc: errors reach the client: got [$got]";;
esac
