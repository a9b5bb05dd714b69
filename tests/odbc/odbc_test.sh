#!/usr/bin/env bash
# The extension through a real ODBC client: unixODBC's isql with the SQLite3
# ODBC driver, which loads the extension from the DSN's LoadExt= line.
# Skips when unixODBC or the driver is missing (apt-get install unixodbc libsqliteodbc).
# Checks single functions, the CSV-import-then-join path of docs/bi-odbc.md, errors,
# and every showcase query of sql/demo.sql against the shell's output.
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

# The BI-tool path: import a CSV into a real table once, then join it with
# what the articles mention (entities) and count export-control terms.
cat >"$tmp/trade.csv" <<CSV
iso3,country,exports_pct_gdp_2022
KOR,"Korea, Rep.",48.3
CHN,China,20.7
USA,United States,11.6
CSV
check "csv_import() into a real table" "SELECT csv_import('$tmp/trade.csv', 'trade');" "3"
check "typed columns from csv_import" "SELECT typeof(exports_pct_gdp_2022) FROM trade LIMIT 1;" "real"
check "csv_file virtual table" \
  "$(printf "%s\n" "CREATE VIRTUAL TABLE tf USING csv_file('$tmp/trade.csv');" \
     "SELECT country FROM tf WHERE iso3 = 'KOR';")" "Korea, Rep."
check "entities() joined with an imported CSV table" \
  "SELECT e.entity || '|' || t.iso3 || '|' || t.exports_pct_gdp_2022 FROM entities('Seoul warned that South Korean chip exports to China could fall.') e JOIN trade t ON t.iso3 = e.canonical ORDER BY e.start;" \
  "$(printf 'South Korean|KOR|48.3\nChina|CHN|20.7')"
check "export_terms() counts by category" \
  "SELECT category || '=' || count(*) FROM export_terms('BIS added the firms to the Entity List under the foreign direct product rule; ECCN 3A090 and 15 CFR 744.23 apply to advanced computing chips.') GROUP BY category ORDER BY category;" \
  "$(printf 'agency=1\ncitation=1\ncode=2\nlist=1\nmeasure=1\ntechnology=1')"

got=$(q "SELECT count(*) FROM tokens;")
case "$got" in
  "[S1000][SQLite]tokens(): missing argument 'text' (1)"*"[ISQL]ERROR"*) echo "ok - odbc: errors reach the client";;
  *) echo "not ok - odbc: errors reach the client: got [$got]";;
esac

# The showcase through ODBC, as a BI tool would run it: a database file built
# once (articles, the trade dataset imported with csv_import, the views of
# sql/schema.sql), then every SELECT of sql/demo.sql through isql and through
# the sqlite3 shell. Both must print the same rows.
sh3() { if declare -F shell >/dev/null; then shell "$@"; else "${SQLITE3:-sqlite3}" "$@"; fi; }
db="$tmp/showcase.db"
sh3 "$db" -bail -cmd ".load $B/exportlens" -cmd ".parameter set @dir 'sql/data/articles'" \
  ".read sql/load_articles.sql" ".output /dev/null" ".read sql/load_data.sql" ".output" ".read sql/schema.sql" \
  ".read sql/bi.sql" \
  >"$tmp/build.log" 2>&1 || echo "not ok - odbc: building the showcase database: $(tail -n 3 "$tmp/build.log")"
cat >>"$tmp/odbc.ini" <<INI
[exportlens_showcase]
Driver=SQLite3
Database=$db
LoadExt=$(pwd)/$B/exportlens.so
BigInt=1
Timeout=10000
INI
qs() { printf "%s\n" "$1" | ${PRELOAD:+env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS=detect_leaks=0} isql -b -L65536 -d"|" exportlens_showcase 2>&1; }
# One statement per line: the SELECTs of demo.sql, with shell commands and
# comments dropped and lines joined.
awk '/^\./ || /^[[:space:]]*--/ { next }
     { sub(/[[:space:]]+--[[:space:]].*$/, ""); buf = buf (buf == "" ? "" : " ") $0 }
     /;[[:space:]]*$/ { if (buf ~ /^[[:space:]]*SELECT/) print buf; buf = "" }' sql/demo.sql >"$tmp/queries.sql"
n=0
while IFS= read -r sql; do
  n=$((n + 1))
  want=$(sh3 -list -separator "|" -nullvalue "" "$db" -cmd ".load $B/exportlens" "$sql" 2>&1)
  got=$(qs "$sql")
  view=$(printf "%s" "$sql" | grep -o -E "FROM (country_exposure|article_[a-z]+|claim_check|articles)" | head -n 1)
  if [ -n "$want" ] && [ "$got" = "$want" ]; then
    echo "ok - odbc: showcase query $n (${view#FROM }): $(printf "%s\n" "$got" | wc -l) rows, as in the shell"
  else
    echo "not ok - odbc: showcase query $n (${view#FROM }): got [$(printf "%s" "$got" | head -c 600)] want [$(printf "%s" "$want" | head -c 600)]"
  fi
done <"$tmp/queries.sql"
if [ "$n" -ge 5 ]; then echo "ok - odbc: $n showcase queries found in sql/demo.sql"; else echo "not ok - odbc: only $n showcase queries in sql/demo.sql"; fi
# What a dashboard shows: the claim check has both verdicts, and countries join their indicators.
got=$(qs "SELECT verdict, count(*) > 0 FROM claim_check WHERE verdict IN ('consistent', 'differs') GROUP BY verdict ORDER BY verdict;")
if [ "$got" = "$(printf 'consistent|1\ndiffers|1')" ]; then echo "ok - odbc: claim_check gives consistent and differs"; else echo "not ok - odbc: claim_check verdicts: [$got]"; fi
got=$(qs "SELECT iso3 FROM country_exposure WHERE iso3 IN ('KOR', 'CHN', 'USA') AND exports_pct_gdp > 0 AND ic_exports_usd_bn > 0 ORDER BY iso3;")
if [ "$got" = "$(printf 'CHN\nKOR\nUSA')" ]; then echo "ok - odbc: country_exposure joins countries with their indicators"; else echo "not ok - odbc: country_exposure: [$got]"; fi

# A client that binds columns by their described types, as BI tools do.
PY=${PYTHON:-$(bash tests/find_python.sh 2>/dev/null)}
if [ -n "$PY" ]; then
  ${PRELOAD:+env LD_PRELOAD="$PRELOAD" ASAN_OPTIONS=detect_leaks=0} "$PY" tests/odbc/typed_client.py \
    exportlens_showcase "$db" "$(pwd)/$B/exportlens"
fi
