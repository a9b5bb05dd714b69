#!/usr/bin/env bash
# The slow tier's build checks. Two copies of the tree, at different paths,
# built with the same SOURCE_DATE_EPOCH, give byte-identical exportlens.so and
# libexportlens.a (the date comes from SOURCE_DATE_EPOCH, source paths are
# recorded relative to the tree, archives are deterministic, the Unicode tables
# are committed). Then the dependency files: touching one header rebuilds the
# objects that include it, and only those.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - reproducible: $1"; }
bad() { echo "not ok - reproducible: $1"; }

for d in a "b/deeper path"; do
  mkdir -p "$tmp/$d/exportlens"
  git ls-files -co --exclude-standard -z | grep -zv '^build/' | xargs -0 cp --parents -t "$tmp/$d/exportlens"
done
for d in a "b/deeper path"; do
  if ! (cd "$tmp/$d/exportlens" && SOURCE_DATE_EPOCH=1700000000 make -s -j2 COMMIT=0000000 all \
        >"$tmp/build.log" 2>&1); then
    bad "build in $d: $(tail -n 5 "$tmp/build.log")"
    exit 0
  fi
done
for f in exportlens.so libexportlens.a; do
  if cmp -s "$tmp/a/exportlens/build/$f" "$tmp/b/deeper path/exportlens/build/$f"; then
    ok "$f is byte-identical when built at two paths"
  else
    bad "$f differs between two builds of the same tree"
  fi
done
d=$(cd "$tmp/a/exportlens" && sqlite3 :memory: -cmd ".load build/exportlens" "SELECT exportlens_debug()" 2>&1)
case "$d" in *"build date: 2023-11-14"*) ok "the build date is SOURCE_DATE_EPOCH's";; *) bad "build date: $d";; esac

# What `make` would rebuild after a header changes (dry run).
cd "$tmp/a/exportlens"
sleep 1
touch ext/match/el_regex.h
plan=$(make -n all 2>&1 | grep -o -- '-o build/[^ ]*' | sed 's/^-o //' | sort | tr '\n' ' ')
want="build/exportlens.so build/libexportlens.a build/libexportlens_core.a build/obj/match/el_regex.o build/obj/terms/el_terms.o "
# ar's output is named without -o: add what the archive lines name
plan="$plan$(make -n all 2>&1 | sed -n 's/^rm -f \(build\/[^ ]*\.a\).*/\1/p' | sort | tr '\n' ' ')"
plan=$(printf '%s\n' $plan | sort -u | tr '\n' ' ')
if [ "$plan" = "$want" ]; then
  ok "touching el_regex.h rebuilds el_regex.o and el_terms.o, which include it, and nothing else"
else
  bad "touching el_regex.h would rebuild: $plan (want $want)"
fi
touch ext/terms/lexicon.tsv
plan=$(make -n all 2>&1)
case "$plan" in
  *gen_lexicon.py*el_terms.o*) ok "editing lexicon.tsv regenerates its header and rebuilds el_terms.o";;
  *) bad "after lexicon.tsv changed: $(printf '%s' "$plan" | head -c 400)";;
esac
