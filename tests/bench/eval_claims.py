#!/usr/bin/env python3
"""Score claims() on a hand-annotated development set (run by `make eval`).

EL_CLAIMS_DEVSET names a folder whose sub-folders (say tune/ and heldout/)
hold documents NAME.txt with their gold claims in NAME.tsv, one a line:

    subject <TAB> metric <TAB> value [<TAB> object <TAB> year ...]

(`#` lines are comments; subject is an ISO3 code or empty; value is signed
for a change, money in units). The set lives outside the repository: the
texts are other people's articles. Without the variable, prints a skip line.

A claim is right when its subject, metric and value match a gold claim of the
same document (value within 0.5% or 0.01; each gold claim is matched once).
Prints, per sub-folder, recall and precision of subject+metric+value, and the
value-only precision (the number was read right, whatever its meaning).
"""
import glob
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXT = os.environ.get("EXPORTLENS", os.path.join(HERE, "..", "..", "build", "exportlens"))


def same_value(a, b):
    return abs(a - b) <= max(0.01, 0.005 * abs(b))


def load_gold(path):
    gold = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            col = line.rstrip("\n").split("\t")
            gold.append((col[0] or None, col[1], float(col[2])))
    return gold


def match(pred, gold, key):
    """How many of pred find a distinct gold item with key(p, g) true."""
    used = [False] * len(gold)
    n = 0
    for p in pred:
        for i, g in enumerate(gold):
            if not used[i] and key(p, g):
                used[i] = True
                n += 1
                break
    return n


def score(conn, folder, verbose):
    ng = npred = nright = nval = 0
    for txt in sorted(glob.glob(os.path.join(folder, "*.txt"))):
        gold = load_gold(txt[:-4] + ".tsv")
        with open(txt, encoding="utf-8") as f:
            text = f.read()
        pred = [(s, m, v) for s, m, v in conn.execute(
            "SELECT subject, metric, value FROM claims(?)", (text,))]
        full = match(pred, gold, lambda p, g: p[0] == g[0] and p[1] == g[1]
                     and same_value(p[2], g[2]))
        vals = match(pred, gold, lambda p, g: same_value(abs(p[2]), abs(g[2])))
        ng += len(gold)
        npred += len(pred)
        nright += full
        nval += vals
        if verbose:
            print("  %-28s gold %2d  out %2d  right %2d" % (
                os.path.basename(txt)[:-4], len(gold), len(pred), full))
    return ng, npred, nright, nval


def main():
    dev = os.environ.get("EL_CLAIMS_DEVSET")
    if not dev:
        print("eval-claims: skipped (set EL_CLAIMS_DEVSET to a claims dev-set folder)")
        return 0
    verbose = "-v" in sys.argv
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXT)
    subs = sorted(d for d in glob.glob(os.path.join(dev, "*")) if os.path.isdir(d))
    for d in subs or [dev]:
        if verbose:
            print(os.path.basename(d))
        ng, npred, nright, nval = score(conn, d, verbose)
        if not ng:
            continue
        print("eval-claims %-8s docs gold %3d out %3d  subject+metric+value recall %.2f "
              "precision %.2f  value-only precision %.2f" % (
                  os.path.basename(d), ng, npred, nright / ng,
                  nright / npred if npred else 0.0, nval / npred if npred else 0.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
