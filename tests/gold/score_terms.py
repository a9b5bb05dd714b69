#!/usr/bin/env python3
"""Score export_terms() against a hand-made gold list (file<TAB>term<TAB>category, text order).

A gold term is *found* when a match overlaps its span, *typed* when an overlapping match has
the gold category, and *exact* when a match has exactly its span. Matches that overlap no gold
term are listed as extras (candidate false positives, or terms the gold list forgot).
Usage: /usr/bin/python3 tests/gold/score_terms.py [--build build] [gold.tsv]
"""
import argparse, os, sqlite3, sys

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("gold", nargs="?", default="tests/fixtures/terms/heldout/gold.tsv")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(os.path.join(a.build, "exportlens"))
    rows = [l.rstrip("\n").split("\t") for l in open(a.gold, encoding="utf-8")
            if l.strip() and not l.startswith("#")]
    base = os.path.dirname(a.gold)
    tot = found = typed = exact = extras = 0
    for f in dict.fromkeys(r[0] for r in rows):
        text = open(os.path.join(base, f), encoding="utf-8").read()
        got = conn.execute('SELECT start, "end", term, category, canonical FROM export_terms(?)',
                           (text,)).fetchall()
        used = set(); pos = 0
        for _, term, cat in (r for r in rows if r[0] == f):
            s = text.find(term, pos); e = s + len(term); pos = e
            ov = [g for g in got if g[0] < e and g[1] > s]
            tot += 1
            used.update(ov)
            fo = bool(ov); ty = any(g[3] == cat for g in ov); ex = any(g[0] == s and g[1] == e for g in ov)
            found += fo; typed += ty; exact += ex
            if not ty or (a.v and not ex):
                print(f"{'MISS' if not fo else 'TYPE' if not ty else 'SPAN'}\t{f}\t{term}\t{cat}\t"
                      + "; ".join(f"{g[2]}={g[3]}" for g in ov))
        for g in got:
            if g not in used:
                extras += 1
                print(f"EXTRA\t{f}\t{g[2]}\t{g[3]}\t{g[4]}")
    print(f"gold {tot}: found {found} ({100*found/tot:.1f}%), right category {typed} "
          f"({100*typed/tot:.1f}%), exact span {exact} ({100*exact/tot:.1f}%); extra matches {extras}")

if __name__ == "__main__":
    main()
