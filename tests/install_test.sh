#!/usr/bin/env bash
# make install / uninstall into a temporary DESTDIR: files land where
# documented (PREFIX, LIBDIR), the installed .so loads by path and by name (the
# way the README says), the installed header and pkg-config file build a
# program against the static library, and uninstall removes everything.
set -u
B=${B:-build}
SQLITE3=${SQLITE3:-sqlite3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - install: $1"; }
bad() { echo "not ok - install: $1"; }
version=$(sed -n 's/^#define EXPORTLENS_VERSION "\(.*\)"/\1/p' include/exportlens.h)

d="$tmp/root"
if make -s install DESTDIR="$d" PREFIX=/usr >"$tmp/log" 2>&1; then ok "make install runs"; else bad "make install failed: $(tail -n 3 "$tmp/log")"; fi
for f in usr/lib/exportlens.so usr/lib/libexportlens.a usr/include/exportlens.h usr/lib/pkgconfig/exportlens.pc; do
  if [ -f "$d/$f" ]; then ok "installs $f"; else bad "missing $f"; fi
done
mode=$(stat -c %a "$d/usr/lib/exportlens.so" 2>/dev/null)
if [ "$mode" = 755 ] && [ "$(stat -c %a "$d/usr/include/exportlens.h" 2>/dev/null)" = 644 ]; then
  ok "file modes (.so 755, header 644)"; else bad "file modes: .so $mode"; fi
if cmp -s "$d/usr/lib/exportlens.so" "$B/exportlens.so"; then ok "the installed .so is the built one"; else bad "installed .so differs from $B/exportlens.so"; fi

v=$("$SQLITE3" :memory: -cmd ".load $d/usr/lib/exportlens" "select exportlens_version()" 2>&1)
if [ "$v" = "$version" ]; then ok "installed .so loads by path"; else bad "installed .so: $v"; fi
# By name: SQLite hands "exportlens" (then "exportlens.so") to dlopen(), which
# searches LD_LIBRARY_PATH, then /lib and /usr/lib. ldconfig's cache does not
# help: it only lists lib*.so files.
v=$(cd "$tmp" && LD_LIBRARY_PATH="$d/usr/lib" "$SQLITE3" :memory: -cmd ".load exportlens" "select token_count('a b')" 2>&1)
if [ "$v" = "2" ]; then ok ".load exportlens by name via LD_LIBRARY_PATH"; else bad ".load by name: $v"; fi
v=$(cd "$tmp" && LD_LIBRARY_PATH="$d/usr/lib" "$SQLITE3" :memory: \
      -cmd ".load exportlens sqlite3_exportlens_noread_init" \
      "select count(*) from pragma_function_list where name = 'csv_import'; select token_count('a b c');" 2>&1)
if [ "$v" = "$(printf '0\n3')" ]; then ok ".load exportlens sqlite3_exportlens_noread_init by name"; else bad "noread by name: $v"; fi
if ls /lib/exportlens.so /usr/lib/exportlens.so /usr/lib/*-linux-gnu/exportlens.so >/dev/null 2>&1; then
  echo "skip - install: by name off the search path: exportlens.so is installed system-wide"
else
  v=$(cd "$tmp" && "$SQLITE3" :memory: -cmd ".load exportlens" "select 1" 2>&1)
  case "$v" in *"exportlens"*) ok "by name off the search path: a clear error";; *) bad "no error loading by name off the path: $v";; esac
fi
PY=${PYTHON:-$(bash tests/find_python.sh 2>/dev/null)}
if [ -n "$PY" ]; then
  v=$(cd "$tmp" && LD_LIBRARY_PATH="$d/usr/lib" "$PY" -c '
import sqlite3
c = sqlite3.connect(":memory:")
c.enable_load_extension(True)
c.load_extension("exportlens")
print(c.execute("select token_count(?)", ("x y z",)).fetchone()[0])' 2>&1)
  if [ "$v" = "3" ]; then ok "Python load_extension('exportlens') by name"; else bad "Python by name: $v"; fi
else
  echo "skip - install: Python by name: no Python whose sqlite3 module can load extensions"
fi

pcdir="$d/usr/lib/pkgconfig"
pc=$(PKG_CONFIG_PATH="$pcdir" pkg-config --modversion exportlens 2>&1)
if [ "$pc" = "$version" ]; then ok "pkg-config --modversion"; else bad "pkg-config: $pc"; fi
libs=$(PKG_CONFIG_PATH="$pcdir" pkg-config --static --libs exportlens 2>&1)
case "$libs" in *libexportlens.a*-lcsv*) ok "pkg-config --static --libs";; *) bad "pkg-config libs: $libs";; esac
# A program that embeds SQLite, built only from what was installed. The .pc
# names /usr (the PREFIX); pkg-config's sysroot points it into DESTDIR.
cat >"$tmp/embed.c" <<'C'
#include <exportlens.h>
#include <stdio.h>
int main(void) {
  sqlite3 *db; sqlite3_stmt *st; int n = -1;
  if (sqlite3_auto_extension((void (*)(void))sqlite3_exportlens_init) != SQLITE_OK) return 2;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 3;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM tokens('The U.S. rule')", -1, &st, NULL) != SQLITE_OK) return 4;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  printf("%d %s\n", n, EXPORTLENS_VERSION);
  return 0;
}
C
flags=$(PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$d" pkg-config --static --cflags --libs exportlens 2>&1)
if ${CC:-cc} -std=c11 -o "$tmp/embed" "$tmp/embed.c" $flags >"$tmp/cc.log" 2>&1 && v=$("$tmp/embed") \
   && [ "$v" = "3 $version" ]; then
  ok "a program builds and runs with the installed header, static library and .pc"
else
  bad "static embed: ${v:-} $(head -c 400 "$tmp/cc.log")"
fi

make -s uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
left=$(find "$d/usr" -type f 2>/dev/null | wc -l)
if [ "$left" -eq 0 ]; then ok "make uninstall removes every file"; else bad "uninstall left $left files"; fi

# Another PREFIX and an explicit LIBDIR: the .pc must point there.
d2="$tmp/root2"
make -s install DESTDIR="$d2" PREFIX=/opt/el LIBDIR=/opt/el/lib64 >"$tmp/log2" 2>&1
if [ -f "$d2/opt/el/lib64/exportlens.so" ] && [ -f "$d2/opt/el/include/exportlens.h" ] \
   && grep -qx 'libdir=/opt/el/lib64' "$d2/opt/el/lib64/pkgconfig/exportlens.pc" \
   && grep -qx 'includedir=/opt/el/include' "$d2/opt/el/lib64/pkgconfig/exportlens.pc"; then
  ok "PREFIX=/opt/el LIBDIR=/opt/el/lib64"
else
  bad "PREFIX/LIBDIR: $(find "$d2" -type f | head -5 | tr '\n' ' ') $(tail -n 2 "$tmp/log2")"
fi
make -s uninstall DESTDIR="$d2" PREFIX=/opt/el LIBDIR=/opt/el/lib64 >/dev/null 2>&1
left=$(find "$d2" -type f 2>/dev/null | wc -l)
if [ "$left" -eq 0 ]; then ok "uninstall with the same PREFIX and LIBDIR"; else bad "uninstall left $left files under /opt/el"; fi
