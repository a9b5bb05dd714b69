#!/usr/bin/env bash
# make deb, then the package as a user gets it: dpkg -i, load the extension by
# name (no path, no LD_LIBRARY_PATH) from the sqlite3 shell and from Python,
# find it with pkg-config and link a program against the static library, read
# the docs, then dpkg -r and check that nothing is left.
# Needs root and dpkg; skips otherwise, and when a package named exportlens is
# already installed (it is not ours to replace). Runs under a lock, so that
# test runs in several checkouts of one machine take turns.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
SQLITE3=${SQLITE3:-sqlite3}
say() { echo "$1 - deb: $2"; }
if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null || ! command -v dpkg-deb >/dev/null; then
  say skip "needs root and dpkg (the test installs the package and removes it)"; exit 0
fi
out=$(make -s deb B="$B" 2>&1) || { say "not ok" "make deb failed: $(printf %s "$out" | tail -n 5)"; exit 0; }
deb=$(printf %s "$out" | sed -n 's/^make deb: //p' | tail -n 1)
[ -f "$deb" ] && say ok "make deb wrote $deb" || { say "not ok" "no .deb: $out"; exit 0; }
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=/usr/lib/$multiarch

exec 9>/tmp/exportlens-deb-test.lock
flock -w 600 9 || { say "not ok" "waited 10 minutes for /tmp/exportlens-deb-test.lock"; exit 0; }
if dpkg -s exportlens >/dev/null 2>&1; then
  say skip "a package named exportlens is already installed; not replacing it"; exit 0
fi
tmp=$(mktemp -d)
cleanup() { dpkg -r exportlens >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
# dpkg does not wait for its lock (apt may be installing something else): retry for a minute
for i in $(seq 30); do
  dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 && break
  grep -q "lock" "$tmp/dpkg.log" || break
  sleep 2
done
if ! dpkg -s exportlens >/dev/null 2>&1; then
  say "not ok" "dpkg -i: $(tail -n 5 "$tmp/dpkg.log")"; exit 0
fi
for f in "$lib/exportlens.so" "$lib/libexportlens.a" "$lib/pkgconfig/exportlens.pc" /usr/include/exportlens.h \
         /usr/share/doc/exportlens/README.md /usr/share/doc/exportlens/docs/csv.md /usr/share/doc/exportlens/copyright; do
  [ -f "$f" ] && say ok "installs $f" || say "not ok" "$f is missing"
done
version=$(sed -n 's/^#define EXPORTLENS_VERSION "\(.*\)"/\1/p' include/exportlens.h)
got=$(cd "$tmp" && env -u LD_LIBRARY_PATH "$SQLITE3" :memory: '.load exportlens' "SELECT exportlens_version()" 2>&1)
[ "$got" = "$version" ] && say ok ".load exportlens by name in the shell" || say "not ok" ".load exportlens: [$got]"
got=$(cd "$tmp" && env -u LD_LIBRARY_PATH "$SQLITE3" :memory: '.load exportlens sqlite3_exportlens_noread_init' \
      "SELECT count(*) FROM pragma_function_list WHERE name = 'csv_import'" 2>&1)
[ "$got" = 0 ] && say ok "the noread entry point by name" || say "not ok" "noread by name: [$got]"
PY=${PYTHON:-$(bash tests/find_python.sh 2>/dev/null)}
if [ -n "$PY" ]; then
  got=$(cd "$tmp" && env -u LD_LIBRARY_PATH -u LD_PRELOAD "$PY" -c "
import sqlite3
c = sqlite3.connect(':memory:'); c.enable_load_extension(True); c.load_extension('exportlens')
print(c.execute(\"SELECT canonical FROM entities('Seoul and Tokyo') WHERE label = 'GPE' ORDER BY start\").fetchall())" 2>&1)
  [ "$got" = "[('Seoul',), ('Tokyo',)]" ] && say ok "load_extension('exportlens') by name in Python" || say "not ok" "Python: [$got]"
fi
if command -v pkg-config >/dev/null; then
  cat >"$tmp/embed.c" <<'C'
#include <stdio.h>
#include <sqlite3.h>
#include <exportlens.h>
int main(void) {
  sqlite3 *db; sqlite3_stmt *st;
  sqlite3_auto_extension((void (*)(void))sqlite3_exportlens_init);
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  if (sqlite3_prepare_v2(db, "SELECT token_count('ECCN 3A090 items')", -1, &st, 0) != SQLITE_OK) return 2;
  if (sqlite3_step(st) != SQLITE_ROW) return 3;
  printf("%d\n", sqlite3_column_int(st, 0));
  sqlite3_finalize(st); sqlite3_close(db); return 0;
}
C
  if cc -o "$tmp/embed" "$tmp/embed.c" $(pkg-config --static --cflags --libs exportlens) >"$tmp/cc.log" 2>&1 \
     && [ "$("$tmp/embed")" = 3 ]; then
    say ok "pkg-config exportlens links the static library"
  else
    say "not ok" "static link through pkg-config: $(tail -n 5 "$tmp/cc.log")"
  fi
fi
dpkg -r exportlens >"$tmp/dpkg.log" 2>&1 || say "not ok" "dpkg -r: $(tail -n 3 "$tmp/dpkg.log")"
left=$(ls "$lib/exportlens.so" "$lib/libexportlens.a" /usr/include/exportlens.h /usr/share/doc/exportlens 2>/dev/null)
[ -z "$left" ] && say ok "dpkg -r removes every file" || say "not ok" "left after dpkg -r: $left"
