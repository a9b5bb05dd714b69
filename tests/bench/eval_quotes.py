#!/usr/bin/env python3
"""Quote-speaker and PERSON scores on a hand-annotated dev set (`make eval`).

The dev set is a folder (EL_QUOTES_DEVSET, or --devset) holding one or more
split folders (tune/, heldout/, ...), each with pairs NAME.txt (an article)
and NAME.json (its gold, annotated by hand before the extension ran):

    {"quotes":     [{"starts": "first words of the quote", "speaker": "Full Name|Alias"}],
     "persons":    ["Full Name|Alias", ...],
     "not_quotes": ["first words of a scare quote or a title", ...]}

Scores, per split:
  - speaker accuracy: gold quotes whose row (the quotes() row whose text
    starts with the gold words, after trimming marks and spaces) has a
    speaker_canonical (or, failing that, speaker) equal to one of the gold
    alternatives, ASCII case and dots ignored. A gold quote with no row
    counts as wrong.
  - spurious rows: not_quotes reported as quotes.
  - PERSON P/R/F1 over the article's distinct full names: the canonical of
    each entities() PERSON row; a predicted name is right when it equals a
    gold alternative (case and dots ignored).

The dev sets are built from real published text and stay outside the
repository; without one, this prints a skip line and exits 0.

  /usr/bin/python3 tests/bench/eval_quotes.py [--devset DIR] [--build build] [--errors]
"""
import argparse
import json
import os
import re
import sqlite3
import sys


def norm(s):
    s = (s or "").lower().replace(".", " ")
    return re.sub(r"\s+", " ", s).strip()


def alts(g):
    return {norm(a) for a in g.split("|")}


def clean_quote(q):
    return norm(q.strip(" \t\n\"'“”‘’,"))


def score_split(conn, d, show):
    names = sorted(f[:-5] for f in os.listdir(d) if f.endswith(".json"))
    nq = right = found = spurious = 0
    tp = fp = fn = 0
    errors = []
    for name in names:
        text = open(os.path.join(d, name + ".txt"), encoding="utf-8").read()
        gold = json.load(open(os.path.join(d, name + ".json"), encoding="utf-8"))
        rows = conn.execute(
            "SELECT quote, speaker, speaker_canonical FROM quotes(?)", (text,)).fetchall()
        for g in gold.get("quotes", []):
            nq += 1
            want = clean_quote(g["starts"])
            hit = next((r for r in rows if clean_quote(r[0]).startswith(want)), None)
            if hit is None:
                errors.append((name, g["starts"], g["speaker"], "(no quote row)"))
                continue
            found += 1
            got = hit[2] if hit[2] is not None else hit[1]
            if norm(got) in alts(g["speaker"]):
                right += 1
            else:
                errors.append((name, g["starts"], g["speaker"], "%r / %r" % (hit[1], hit[2])))
        for s in gold.get("not_quotes", []):
            want = clean_quote(s)
            if any(clean_quote(r[0]).startswith(want) for r in rows):
                spurious += 1
                errors.append((name, s, "(not a quote)", "reported"))
        pred = {norm(r[0] or r[1]) for r in conn.execute(
            "SELECT canonical, entity FROM entities(?) WHERE label = 'PERSON'", (text,))}
        gold_p = [alts(p) for p in gold.get("persons", [])]
        matched = set()
        for p in pred:
            k = next((i for i, a in enumerate(gold_p) if p in a), None)
            if k is None:
                fp += 1
                errors.append((name, p, "(not a person)", "PERSON"))
            elif k not in matched:
                matched.add(k)
                tp += 1
        for i, a in enumerate(gold_p):
            if i not in matched:
                fn += 1
                errors.append((name, sorted(a)[0], "(person)", "missed"))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print("  %-8s %2d articles  speaker right %2d/%2d = %.2f  (quotes found %d/%d, "
          "spurious %d)  PERSON P %.2f R %.2f F1 %.2f"
          % (os.path.basename(d), len(names), right, nq, right / nq if nq else 0.0,
             found, nq, spurious, prec, rec, f1))
    if show:
        for e in errors:
            print("      %s: %r want %s, got %s" % e)
    return right, nq


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", default=os.environ.get("EL_QUOTES_DEVSET"))
    ap.add_argument("--build", default="build")
    ap.add_argument("--errors", action="store_true", help="list every miss")
    args = ap.parse_args()
    if not args.devset or not os.path.isdir(args.devset):
        print("eval-quotes: skipped (set EL_QUOTES_DEVSET to a dev-set folder)")
        return 0
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(os.path.abspath(os.path.join(args.build, "exportlens")))
    splits = sorted(p for p in (os.path.join(args.devset, s) for s in os.listdir(args.devset))
                    if os.path.isdir(p) and any(f.endswith(".json") for f in os.listdir(p)))
    print("eval-quotes: %s" % args.devset)
    for d in splits:
        score_split(conn, d, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
