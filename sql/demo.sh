#!/usr/bin/env bash
# make demo [ARTICLES=dir]: load a folder of articles and the bundled trade
# dataset, create the views of sql/schema.sql and print the showcase tables
# (sql/demo.sql), then the typed tables of sql/bi.sql. The database is left in
# demo.db (DEMO_DB=path to choose another file; it is replaced each time), and
# the last lines say how to explore it.
set -eu
dir=${1:-sql/data/articles}
SQLITE3=${SQLITE3:-sqlite3}
B=${B:-build}
db=${DEMO_DB:-demo.db}
if [ ! -d "$dir" ]; then
  echo "demo: no such folder: $dir" >&2
  exit 1
fi
case "$dir" in /*) abs=$dir ;; *) abs=$PWD/$dir ;; esac
case "$db" in /*) ;; *) db=$PWD/$db ;; esac
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
  script=$(cat sql/demo.sql; echo ".read sql/bi.sql")
else
  echo "(quotes() and claims() are not in this build: their sections are skipped)"
  script=$(sed '/^-- {discourse/,/^-- discourse}/d' sql/demo.sql)
fi
rm -f "$db" "$db-journal"
printf '%s\n' "$script" |
  "$SQLITE3" -bail "$db" -cmd ".load $B/exportlens" -cmd ".parameter set @dir '$quoted'"
shown=$db
case "$db" in "$PWD"/*) shown=${db#"$PWD"/} ;; esac
cat <<END

== Explore it
The database is in $shown: the articles, the trade data (country_trade), the views and their
typed copies (bi_claim_check, ...). Open it with the extension loaded:

  sqlite3 $shown -cmd '.load $B/exportlens'

and try:

  SELECT subject, metric, object, qualifier, claim_value, data_value, verdict FROM claim_check WHERE verdict = 'differs';
  SELECT iso3, country, articles, mentions, exports_pct_gdp FROM country_exposure ORDER BY mentions DESC LIMIT 5;
  SELECT entity, label, canonical FROM articles, entities(body) WHERE id = 5 AND label IN ('PERSON', 'ORG');

The same in Python, with charts: examples/exportlens.ipynb (jupyter notebook examples/exportlens.ipynb).
A walk through every step: docs/tutorial.md.
END
