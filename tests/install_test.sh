#!/usr/bin/env bash
# make install / uninstall into a temporary DESTDIR: files land where
# documented, the installed .so loads by path, pkg-config sees the library,
# and uninstall removes everything.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - install: $1"; }
bad() { echo "not ok - install: $1"; }

if make -s install DESTDIR="$tmp" PREFIX=/usr >"$tmp/log" 2>&1; then ok "make install runs"; else bad "make install failed: $(tail -n 3 "$tmp/log")"; fi
for f in usr/lib/exportlens.so usr/lib/libexportlens.a usr/include/exportlens.h usr/lib/pkgconfig/exportlens.pc; do
  if [ -f "$tmp/$f" ]; then ok "installs $f"; else bad "missing $f"; fi
done
v=$(sqlite3 :memory: -cmd ".load $tmp/usr/lib/exportlens" "select exportlens_version()" 2>&1)
if [ "$v" = "$(sed -n 's/^#define EXPORTLENS_VERSION "\(.*\)"/\1/p' include/exportlens.h)" ]; then ok "installed .so loads"; else bad "installed .so: $v"; fi
# by name, with the library directory on the loader's search path
v=$(LD_LIBRARY_PATH="$tmp/usr/lib" sqlite3 :memory: -cmd ".load exportlens" "select token_count('a b')" 2>&1)
if [ "$v" = "2" ]; then ok ".load exportlens by name via LD_LIBRARY_PATH"; else bad ".load by name: $v"; fi
pc=$(PKG_CONFIG_PATH="$tmp/usr/lib/pkgconfig" pkg-config --modversion exportlens 2>&1)
if [ -n "$pc" ] && grep -q "\"$pc\"" include/exportlens.h; then ok "pkg-config --modversion"; else bad "pkg-config: $pc"; fi
libs=$(PKG_CONFIG_PATH="$tmp/usr/lib/pkgconfig" pkg-config --static --libs exportlens 2>&1)
case "$libs" in *libexportlens.a*-lcsv*) ok "pkg-config --static --libs";; *) bad "pkg-config libs: $libs";; esac
make -s uninstall DESTDIR="$tmp" PREFIX=/usr >/dev/null 2>&1
left=$(find "$tmp/usr" -type f 2>/dev/null | wc -l)
if [ "$left" -eq 0 ]; then ok "make uninstall removes every file"; else bad "uninstall left $left files"; fi
