#!/usr/bin/env python3
"""Score entities() against hand-written gold annotations.

Gold files are TSV (entity, label, canonical), one row per mention in text
order. A predicted mention counts as correct when a gold mention of the same
article has the same surface text, label and canonical (multiset matching, so
order and offsets do not matter; a wrong canonical is both a false positive
and a miss). "COUNTRY" is the union of GPE and NORP mentions whose canonical
is a country code, the class that joins to trade data.

  /usr/bin/python3 tests/gold/score_entities.py [--build build]

prints precision, recall and F1 per label for the fixture articles
(tests/fixtures/entities/*.txt with *.gold.tsv, written by the project), for
Federal Register abstracts (public domain, tests/gold/federal_register/*.txt
with our *.entities.tsv) and, when ../shared/data/seeds exists, for the two
seed articles (gold in tests/gold/entities/).
"""
import argparse
import collections
import glob
import os
import re
import sqlite3

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEEDS = os.path.join(os.path.abspath(os.environ.get("EL_SHARED") or os.path.join(ROOT, "..", "shared", "data")), "seeds")
LABELS = ["PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "PERCENT", "MONEY", "COUNTRY"]


def load_gold(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = (line.split("\t") + ["", ""])[:3]
            rows.append(tuple(cols))
    return rows


def canon_text(v):
    if v is None:
        return ""
    if isinstance(v, float) and v == int(v):
        v = int(v)
    return str(v)


def predict(conn, text):
    return [(e, l, canon_text(c)) for e, l, c in
            conn.execute("SELECT entity, label, canonical FROM entities(?)", (text,))]


def classes(row):
    out = [row[1]]
    if row[1] in ("GPE", "NORP") and re.fullmatch(r"[A-Z]{3}", row[2] or ""):
        out.append("COUNTRY")
    return out


def score(pairs):
    """pairs: [(gold rows, predicted rows)] -> {label: (tp, fp, fn)}"""
    res = {l: [0, 0, 0] for l in LABELS}
    misses, extras = [], []
    for gold, pred in pairs:
        g = collections.Counter(gold)
        p = collections.Counter(pred)
        for row in set(g) | set(p):
            tp = min(g[row], p[row])
            for c in classes(row):
                if c not in res:
                    res[c] = [0, 0, 0]
                res[c][0] += tp
                res[c][1] += p[row] - tp
                res[c][2] += g[row] - tp
            if g[row] > tp:
                misses.append(row)
            if p[row] > tp:
                extras.append(row)
    return res, misses, extras


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def corpus(name):
    """[(text, gold rows)] for 'fixtures', 'federal_register' or 'seeds' ([] when absent)."""
    out = []
    if name == "federal_register":
        for gold in sorted(glob.glob(os.path.join(ROOT, "tests/gold/federal_register/*.entities.tsv"))):
            with open(gold[:-len(".entities.tsv")] + ".txt", encoding="utf-8") as f:
                out.append((f.read(), load_gold(gold)))
    elif name == "fixtures":
        for gold in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/entities/*.gold.tsv"))):
            txt = gold[:-len(".gold.tsv")] + ".txt"
            with open(txt, encoding="utf-8") as f:
                out.append((f.read(), load_gold(gold)))
    else:
        for gold in sorted(glob.glob(os.path.join(ROOT, "tests/gold/entities/seed_*.tsv"))):
            base = os.path.basename(gold)[len("seed_"):-len(".tsv")]
            txt = os.path.join(SEEDS, base + ".txt")
            if not os.path.exists(txt):
                return []
            with open(txt, encoding="utf-8") as f:
                out.append((f.read(), load_gold(gold)))
    return out


def evaluate(conn, name):
    docs = corpus(name)
    if not docs:
        return None
    return score([(gold, predict(conn, text)) for text, gold in docs])


def table(res):
    lines = ["%-8s %5s %5s %5s  %6s %6s %6s" % ("label", "tp", "fp", "fn", "P", "R", "F1")]
    for l in LABELS:
        tp, fp, fn = res.get(l, (0, 0, 0))
        if tp + fp + fn == 0:
            continue
        p, r, f = prf(tp, fp, fn)
        lines.append("%-8s %5d %5d %5d  %6.3f %6.3f %6.3f" % (l, tp, fp, fn, p, r, f))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("B", "build"))
    args = ap.parse_args()
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(os.path.join(ROOT, args.build, "exportlens"))
    for name in ("fixtures", "federal_register", "seeds"):
        out = evaluate(conn, name)
        if out is None:
            print("== %s: not present" % name)
            continue
        res, misses, extras = out
        print("== %s" % name)
        print(table(res))
        for m in misses:
            print("  miss:  %s\t%s\t%s" % m)
        for m in extras:
            print("  extra: %s\t%s\t%s" % m)


if __name__ == "__main__":
    main()
