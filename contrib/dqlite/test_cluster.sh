#!/usr/bin/env bash
# make test-dqlite: exportlens on a 3-node dqlite cluster on loopback.
#
#  1. starts nodes 1, 2, 3 on free 127.0.0.1 ports (2 and 3 join through 1);
#  2. loads the bundled articles and trade dataset, materialises extractions
#     in batches (INSERT ... SELECT over ranges of ids), and compares every
#     query in QUERIES with the same query in a local sqlite3;
#  3. kills the leader with SIGKILL while a client keeps writing, measures the
#     failover (kill -> next answered query), checks the queries again and
#     that every acknowledged write is there;
#  4. stops a follower with SIGTERM, writes, restarts it, hands it the
#     leadership and checks that it serves everything written while it was down;
#  5. checks --full and the noread default, the go-dqlite `dqlite` shell;
#  6. stops every node with SIGTERM (and checks each exits 0).
# The nodes are always stopped (trap), the run is bounded (watchdog), and the
# script ends with "N passed, N failed".
#
#   B=build SQLITE3=sqlite3 bash contrib/dqlite/test_cluster.sh
# Environment: DQLITE_TEST_LIMIT (seconds, default 60), DQLITE_DOC (the page
# whose example block is run, default docs/scale.md), DQLITE_LATENCY_MS
# (default 50: election timeout 750 ms), DQLITE_FAILOVER_MAX (default 3).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
SQLITE3=${SQLITE3:-sqlite3}
E=${DQLITE_EXE:-$B/exportlens-dqlite}
LIMIT=${DQLITE_TEST_LIMIT:-60}
LATENCY=${DQLITE_LATENCY_MS:-50}
FAILOVER_MAX=${DQLITE_FAILOVER_MAX:-3}
PY=$(command -v /usr/bin/python3 || command -v python3)

passed=0
failed=0
ok() { echo "ok - dqlite: $1"; passed=$((passed + 1)); }
notok() { echo "not ok - dqlite: $1"; failed=$((failed + 1)); }
check() { if [ "$2" = 1 ]; then ok "$1"; else notok "$1${3:+: $3}"; fi; }

work=$(mktemp -d "${TMPDIR:-/tmp}/exportlens-dqlite.XXXXXX")
declare -A PID ADDR
watchdog=

stop_all() {
  local id
  for id in "${!PID[@]}"; do kill -TERM "${PID[$id]}" 2>/dev/null; done
  for _ in $(seq 50); do
    local alive=0
    for id in "${!PID[@]}"; do kill -0 "${PID[$id]}" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for id in "${!PID[@]}"; do kill -KILL "${PID[$id]}" 2>/dev/null; done
  [ -n "$watchdog" ] && kill -TERM "$watchdog" 2>/dev/null
}
finish() {
  stop_all
  wait 2>/dev/null
  if [ "$failed" -gt 0 ]; then
    for f in "$work"/node*.log; do [ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | tail -n 20; done
  fi
  rm -rf "$work"
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && exit 0
  exit 1
}
trap 'finish' EXIT
trap 'notok "stopped by a signal (or the ${LIMIT} s watchdog)"; exit 1' TERM INT

if [ ! -x "$E" ]; then
  notok "$E is not built (make dqlite)"
  exit 1
fi
start=$(date +%s.%N)
# The watchdog ends the run (and so, through the EXIT trap, every node).
(
  trap 'kill "$sp" 2>/dev/null; exit 0' TERM
  sleep "$LIMIT" &
  sp=$!
  wait "$sp" && kill -TERM $$
) 2>/dev/null &
watchdog=$!

# Three free ports: bound to port 0 and released; the nodes bind them next.
read -r -a ports <<<"$("$PY" -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')"
for i in 1 2 3; do ADDR[$i]=127.0.0.1:${ports[$((i - 1))]}; done
CLUSTER=${ADDR[1]},${ADDR[2]},${ADDR[3]}

start_node() { # id [extra options]
  local id=$1; shift
  "$E" node --id "$id" --address "${ADDR[$id]}" --dir "$work/data$id" --latency-ms "$LATENCY" "$@" \
    >>"$work/node$id.log" 2>&1 &
  PID[$id]=$!
}
cli() { timeout 30 "$E" "$@" --cluster "$CLUSTER"; }
sqlc() { timeout 30 "$E" sql --cluster "$CLUSTER" "$@"; }
local_sql() { "$SQLITE3" -batch -bail -cmd ".load $B/exportlens" "$work/local.db" "$@"; }
leader_id() { cli leader --timeout 10 | cut -d' ' -f1; }
now() { date +%s.%N; }
elapsed() { "$PY" -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }

# --- 1. the cluster ---------------------------------------------------------------
start_node 1
start_node 2 --join "${ADDR[1]}"
start_node 3 --join "${ADDR[1]}"
voters=0
for _ in $(seq 100); do
  voters=$(cli cluster --timeout 2 2>/dev/null | grep -c ' voter$')
  [ "$voters" = 3 ] && break
  sleep 0.1
done
check "3 nodes joined as voters" "$([ "$voters" = 3 ] && echo 1)" "$voters voters"
[ "$voters" = 3 ] || exit 1

# --- 2. data and queries -------------------------------------------------------------
# The reference: a local database with the same rows, built by the project's loaders.
local_sql ".read sql/load_articles.sql" ".read sql/load_data.sql" >/dev/null || notok "local reference database"
# The same rows as SQL for the cluster (its nodes do not read files): the
# schema, one INSERT per article, one multi-row INSERT for the trade data.
local_sql "SELECT sql || ';' FROM sqlite_schema WHERE name IN ('articles', 'country_trade') AND type = 'table';
           SELECT 'INSERT INTO articles VALUES(' || id || ',' || quote(path) || ',' || quote(title) || ',' || quote(body) || ',' || quote(published) || ',' || quote(source) || ',' || quote(url) || ');' FROM articles ORDER BY id;
           SELECT 'INSERT INTO country_trade VALUES ' || group_concat('(' || quote(iso3) || ',' || quote(country) || ',' || year || ',' || quote(indicator) || ','
                  || quote(object) || ',' || quote(value) || ',' || quote(unit) || ',' || quote(source) || ',' || quote(basis) || ')', ',') || ';' FROM country_trade;" \
  >"$work/load.sql"
sqlc <"$work/load.sql" >/dev/null
check "articles and trade data loaded through the leader" "$([ $? = 0 ] && echo 1)"

# Extractions materialised in batches of 2 articles (the pattern docs/scale.md
# recommends: each statement is one short Raft transaction).
MATERIALISE="CREATE TABLE terms_t(article_id, term, category, canonical, start, \"end\");
CREATE TABLE quotes_t(article_id, speaker, quote, start);
CREATE TABLE ticks(n INTEGER PRIMARY KEY);"
for lo in 1 3 5; do
  hi=$((lo + 1))
  MATERIALISE+="
INSERT INTO terms_t SELECT a.id, t.term, t.category, t.canonical, t.start, t.\"end\" FROM articles a, export_terms(a.body) t WHERE a.id BETWEEN $lo AND $hi;
INSERT INTO quotes_t SELECT a.id, q.speaker, q.quote, q.start FROM articles a, quotes(a.body) q WHERE a.id BETWEEN $lo AND $hi;"
done
printf '%s\n' "$MATERIALISE" | sqlc >/dev/null
check "extractions materialised in batches of 2 articles" "$([ $? = 0 ] && echo 1)"
printf '%s\n' "$MATERIALISE" | local_sql >/dev/null

QUERIES=(
  "SELECT count(*), sum(length(body)) FROM articles"
  "SELECT a.id, t.term, t.category, t.canonical, t.start, t.\"end\", t.sentence, t.rule FROM articles a, export_terms(a.body) t ORDER BY a.id, t.start, t.\"end\", t.term"
  "SELECT a.id, e.entity, e.label, e.canonical, e.start, e.\"end\", e.source FROM articles a, entities(a.body) e ORDER BY a.id, e.start, e.\"end\", e.label"
  "SELECT a.id, q.speaker, q.speaker_canonical, q.start, q.\"end\", q.quote FROM articles a, quotes(a.body) q ORDER BY a.id, q.start"
  "SELECT a.id, c.subject, c.metric, c.object, c.detail, c.value, c.unit, c.qualifier, c.year, c.evidence FROM articles a, claims(a.body) c ORDER BY a.id, c.start, c.metric"
  "SELECT a.id, c.subject, c.metric, c.object, c.year, c.value AS claimed, d.value AS dataset, d.source FROM articles a, claims(a.body) c JOIN country_trade d ON d.iso3 = c.subject AND d.indicator = c.metric AND d.object IS c.object AND d.year = c.year ORDER BY 1, 2, 3, 4, 5, 6"
  "SELECT e.canonical, count(DISTINCT a.id), count(*), round(max(d.value), 3) FROM articles a, entities(a.body) e JOIN country_trade d ON d.iso3 = e.canonical AND d.indicator = 'exports_pct_gdp' GROUP BY e.canonical ORDER BY 1"
  "SELECT category, count(*), count(DISTINCT article_id) FROM terms_t GROUP BY category ORDER BY 1"
  "SELECT count(*), sum(length(quote)) FROM quotes_t"
)
NAMES=(articles export_terms entities quotes claims "claims JOIN country_trade" "entities JOIN country_trade" "materialised terms" "materialised quotes")

compare_queries() { # label
  local i bad=() first= empty=0
  for i in "${!QUERIES[@]}"; do
    local_sql "${QUERIES[$i]}" >"$work/want.$i" 2>&1
    sqlc "${QUERIES[$i]}" >"$work/got.$i" 2>&1
    if ! cmp -s "$work/want.$i" "$work/got.$i"; then
      bad+=("${NAMES[$i]}")
      [ -z "$first" ] && first=$i
    fi
    [ -s "$work/want.$i" ] || empty=1
  done
  check "$1: ${#QUERIES[@]} queries agree with local sqlite3 (export_terms, entities, quotes, claims, joins)" \
    "$([ ${#bad[@]} = 0 ] && [ $empty = 0 ] && echo 1)" \
    "differ: ${bad[*]:-} $([ -n "$first" ] && diff "$work/want.$first" "$work/got.$first" | head -n 5)"
}
compare_queries "before failover"
rows_terms=$(sqlc "SELECT count(*) FROM terms_t")
check "materialised rows: $rows_terms terms, as many as locally" \
  "$([ "$rows_terms" = "$(local_sql 'SELECT count(*) FROM terms_t')" ] && [ "$rows_terms" -gt 0 ] && echo 1)"
check "the nodes run the noread entry point: no csv_file/csv_sniff/csv_import" \
  "$([ "$(sqlc "SELECT count(*) FROM pragma_function_list WHERE name IN ('csv_sniff', 'csv_import') OR name IN (SELECT name FROM pragma_module_list WHERE name = 'csv_file')")" = 0 ] && echo 1)"
err=$(sqlc "SELECT csv_sniff('/etc/passwd')" 2>&1 >/dev/null)
check "a file-reading function is refused by the cluster" "$(printf '%s' "$err" | grep -q 'no such function: csv_sniff' && echo 1)" "$err"

out=$("$PY" contrib/dqlite/doc_examples.py "${DQLITE_DOC:-docs/scale.md}" "$E" "$CLUSTER" 2>&1)
rc=$?
check "docs/scale.md's example block gives the documented output ($(printf '%s' "$out" | tail -n 1))" \
  "$([ $rc = 0 ] && echo 1)" "$out"

# The client has neither of the go-dqlite shell's limits (4 KiB lines, a split
# on every ';'), and names dqlite's own: column names over one batch.
long=$(printf 'x%.0s' $(seq 6000))
got=$(sqlc "SELECT length('$long') AS n, 'a;b' AS s; SELECT printf('%.*c', 300000, 'x') AS big" | awk '{ print (length($0) > 100 ? length($0) : $0) }')
check "the client: a 6 KB statement with ';' in a literal, a 300 KB value" \
  "$([ "$got" = "$(printf '6000|a;b\n300000')" ] && echo 1)" "got '$got'"
err=$(sqlc "SELECT length('$long')" 2>&1 >/dev/null)
check "the client: a column name over 4 KiB gets a clear error, not an endless stream" \
  "$(printf '%s' "$err" | grep -q 'name long expressions with AS' && echo 1)" "$err"

# --- 3. the leader dies ------------------------------------------------------------------
# A writer inserts 1, 2, 3 ... one statement each, and logs what was acknowledged.
writer() {
  local n=0
  while [ ! -e "$work/stop-writer" ] && [ $n -lt 2000 ]; do
    n=$((n + 1))
    if timeout 15 "$E" sql --cluster "$CLUSTER" --timeout 10 "INSERT INTO ticks VALUES($n)" 2>>"$work/writer.err"; then
      echo "$n $(now)" >>"$work/acked"
    fi
  done
}
writer &
writer_pid=$!
sleep 0.5
old=$(leader_id)
t0=$(now)
kill -KILL "${PID[$old]}"
wait "${PID[$old]}" 2>/dev/null
answer=$(sqlc --timeout 10 "SELECT count(*) FROM articles")
t1=$(now)
failover=$(elapsed "$t0" "$t1")
new=$(leader_id)
echo "# failover: leader $old killed, node $new answered after $failover s"
check "failover: a new leader answered ${failover} s after the leader was killed (limit ${FAILOVER_MAX} s)" \
  "$("$PY" -c "import sys; print(1 if float(sys.argv[1]) < float(sys.argv[2]) and sys.argv[3] == '6' and sys.argv[4] not in ('', sys.argv[5]) else 0)" \
     "$failover" "$FAILOVER_MAX" "$answer" "$new" "$old")" "answer '$answer', new leader '$new'"
sleep 1
touch "$work/stop-writer"
wait "$writer_pid"
acked=$(wc -l <"$work/acked")
present=$(sqlc "SELECT group_concat(n, ' ') FROM ticks" | tr ' ' '\n' | sort -n)
lost=$(cut -d' ' -f1 "$work/acked" | sort -n | comm -23 - <(printf '%s\n' "$present") | wc -l)
gap=$("$PY" -c "
import sys
t = [float(l.split()[1]) for l in open(sys.argv[1])]
print('%.2f' % max(b - a for a, b in zip(t, t[1:])) if len(t) > 1 else 'n/a')" "$work/acked")
echo "# writes: $acked acknowledged during the failover, longest pause between two acknowledged writes $gap s"
check "no acknowledged write lost across the failover ($acked acknowledged, $lost missing)" \
  "$([ "$acked" -gt 10 ] && [ "$lost" = 0 ] && echo 1)"
compare_queries "after failover"

# The dead node comes back (given --join again: joining is idempotent).
start_node "$old" --join "${ADDR[$new]}"
sleep 0.5

# --- 4. writes while a follower is down ------------------------------------------------------
leader=$(leader_id)
down=
for id in 1 2 3; do [ "$id" != "$leader" ] && down=$id && break; done
kill -TERM "${PID[$down]}"
rc=124
for _ in $(seq 100); do
  if ! kill -0 "${PID[$down]}" 2>/dev/null; then wait "${PID[$down]}"; rc=$?; break; fi
  sleep 0.1
done
check "node $down (a follower) stopped on SIGTERM with status 0" "$([ $rc = 0 ] && echo 1)" "status $rc"
DOWN_WRITES="CREATE TABLE claims_t(article_id, subject, metric, value, year);
INSERT INTO claims_t SELECT a.id, c.subject, c.metric, c.value, c.year FROM articles a, claims(a.body) c WHERE a.id BETWEEN 1 AND 3;
INSERT INTO claims_t SELECT a.id, c.subject, c.metric, c.value, c.year FROM articles a, claims(a.body) c WHERE a.id BETWEEN 4 AND 6;
INSERT INTO ticks SELECT v FROM (WITH RECURSIVE s(v) AS (SELECT 100001 UNION ALL SELECT v + 1 FROM s WHERE v < 100500) SELECT v FROM s);
WITH late(v) AS (SELECT 200001) INSERT INTO ticks SELECT v FROM late;"
printf '%s\n' "$DOWN_WRITES" | sqlc >/dev/null
check "writes accepted with node $down down" "$([ $? = 0 ] && echo 1)"
printf '%s\n' "$DOWN_WRITES" | local_sql >/dev/null
start_node "$down"
# Only the leader serves queries: to read what node $down holds, hand it the
# leadership (Raft moves it only to a node whose log has caught up).
moved=0
for _ in $(seq 50); do
  if cli transfer --to "$down" --timeout 5 2>/dev/null && [ "$(leader_id)" = "$down" ]; then moved=1; break; fi
  sleep 0.2
done
check "leadership transferred to the restarted node $down" "$moved"
want="$(local_sql "SELECT count(*), sum(value) FROM claims_t") 501"
got="$(sqlc "SELECT count(*), sum(value) FROM claims_t") $(sqlc "SELECT count(*) FROM ticks WHERE n > 100000")"
check "node $down caught up: it serves the rows written while it was down ($got)" \
  "$([ "$(leader_id)" = "$down" ] && [ "$want" = "$got" ] && echo 1)" "want $want"
compare_queries "served by the restarted node"

# --- 5. --full, the go-dqlite shell ----------------------------------------------------------
# A one-node cluster of its own (id 1 bootstraps it) on the fourth port.
ADDR[9]=127.0.0.1:${ports[3]}
"$E" node --id 1 --address "${ADDR[9]}" --dir "$work/data9" --full >>"$work/node9.log" 2>&1 &
PID[9]=$!
full=$(timeout 30 "$E" sql --cluster "${ADDR[9]}" --timeout 10 "SELECT (SELECT count(DISTINCT name) FROM pragma_function_list WHERE name IN ('csv_sniff', 'csv_import')) + (SELECT count(*) FROM pragma_module_list WHERE name = 'csv_file')")
check "--full registers the file-reading functions too" "$([ "$full" = 3 ] && echo 1)" "got '$full'"
kill -TERM "${PID[9]}"; wait "${PID[9]}"; rc=$?; unset 'PID[9]'
check "a single --full node stops on SIGTERM with status 0" "$([ $rc = 0 ] && echo 1)" "status $rc"

if command -v dqlite >/dev/null 2>&1; then
  got=$(timeout 20 dqlite -s "$CLUSTER" exportlens.db "SELECT count(*) FROM articles a, export_terms(a.body)" 2>&1)
  want=$(local_sql "SELECT count(*) FROM articles a, export_terms(a.body)")
  check "the go-dqlite shell (dqlite -s ...) runs export_terms on the cluster" "$([ "$got" = "$want" ] && echo 1)" "got '$got', want '$want'"
else
  echo "skip - dqlite: the go-dqlite shell is not installed (apt-get install go-dqlite)"
fi

# --- 6. stop -------------------------------------------------------------------------------------
statuses=
for id in 1 2 3; do kill -TERM "${PID[$id]}" 2>/dev/null; done
for id in 1 2 3; do
  rc=124
  for _ in $(seq 100); do
    if ! kill -0 "${PID[$id]}" 2>/dev/null; then wait "${PID[$id]}"; rc=$?; break; fi
    sleep 0.1
  done
  statuses+="$rc "
  [ $rc = 0 ] && unset "PID[$id]"
done
check "all nodes stopped on SIGTERM with status 0 (statuses: ${statuses% })" "$([ "$statuses" = "0 0 0 " ] && echo 1)"
total=$(elapsed "$start" "$(now)")
echo "# test-dqlite took $total s"
check "the cluster test ran in ${total} s (limit ${LIMIT} s)" "$("$PY" -c "import sys; print(1 if float(sys.argv[1]) < float(sys.argv[2]) else 0)" "$total" "$LIMIT")"
