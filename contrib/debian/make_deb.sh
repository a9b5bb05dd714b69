#!/usr/bin/env bash
# make deb: a binary Debian package of exportlens, built with dpkg-deb from
# `make install` into a staging folder. It installs, under the multiarch paths:
#   /usr/lib/<multiarch>/exportlens.so           the loadable extension (.load exportlens)
#   /usr/lib/<multiarch>/libexportlens.a         the static library
#   /usr/lib/<multiarch>/pkgconfig/exportlens.pc
#   /usr/include/exportlens.h
#   /usr/share/doc/exportlens/                   README.md, docs/, copyright, licences
# The runtime dependencies come from dpkg-shlibdeps on the built library.
#
#   B=build bash contrib/debian/make_deb.sh     (writes $B/exportlens_<version>_<arch>.deb)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
MAKE=${MAKE:-make}
for tool in dpkg-deb dpkg-architecture dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "make deb: $tool is missing (apt-get install dpkg-dev)" >&2; exit 1; }
done
version=$(sed -n 's/^#define EXPORTLENS_VERSION "\(.*\)"/\1/p' include/exportlens.h)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
stage=$B/deb/root
rm -rf "$B/deb"
mkdir -p "$stage/DEBIAN"
# PREFIX=/usr is what the .pc file says; LIBDIR is the multiarch folder.
$MAKE -s install B="$B" DESTDIR="$PWD/$stage" PREFIX=/usr LIBDIR="/usr/lib/$multiarch" INCDIR=/usr/include >/dev/null

doc=$stage/usr/share/doc/exportlens
mkdir -p "$doc/docs"
install -m 0644 README.md "$doc/README.md"
install -m 0644 docs/*.md "$doc/docs/"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: exportlens"
  echo
  echo "Files: *"
  echo "Copyright: 2026 The exportlens authors"
  echo "License: MIT"
  echo
  echo "Files: usr/lib/*/exportlens.so usr/lib/*/libexportlens.a"
  echo "Comment: the country table inside the library is generated from iso-codes"
  echo " (LGPL-2.1+); see /usr/share/doc/exportlens/docs/licenses.md for every data"
  echo " and model source."
  echo
  echo "License: MIT"
  sed 's/^$/./; s/^/ /' LICENSE
} >"$doc/copyright"

# Runtime dependencies of the library, as Debian computes them.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debian"
printf 'Source: exportlens\n\nPackage: exportlens\nArchitecture: any\n' >"$tmp/debian/control"
so=$PWD/$stage/usr/lib/$multiarch/exportlens.so
depends=$(cd "$tmp" && dpkg-shlibdeps -O -e "$so" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: exportlens
Version: $version
Architecture: $arch
Maintainer: The exportlens authors <exportlens@localhost>
Installed-Size: $size
Depends: ${depends:+$depends, }libsqlite3-0 (>= 3.40)
Recommends: sqlite3
Suggests: python3, unixodbc, libsqliteodbc
Section: database
Priority: optional
Homepage: https://github.com/exportlens/exportlens
Description: SQLite extension for news and notices about trade and export controls
 exportlens turns articles and Federal Register notices about trade and export
 controls into rows: tokens and sentences (with an FTS5 tokenizer), entities
 with ISO 3166 country codes, export-control terms, ECCNs and legal citations,
 quotes and numeric claims; it reads and imports CSV trade data with inferred
 types, and screens names against lists such as the US Consolidated Screening
 List. Load it with ".load exportlens" in the sqlite3 shell.
CONTROL
out=$B/exportlens_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "make deb: $out"
