#!/usr/bin/env python3
"""export_terms() recall and precision on an annotated development set
(run by `make eval` when EL_TERMS_DEVSET is set; prints a skip line otherwise).

EL_TERMS_DEVSET (or --devset) names a directory. Each document is NAME.txt with
NAME.ann beside it; sub-directories (e.g. tuning/, heldout/) are scored apart
and then together. The development texts are real articles and stay outside
the repository.

NAME.ann: one gold mention a line, `surface<TAB>category`, in text order; lines
starting with "#" are comments. A surface is located at its next whole-word occurrence
(exact case) after the previous occurrence of the same surface, so repeated
mentions are listed once each. A surface that cannot be found is an error in
the annotation and stops the run.

Scoring, per mention:
- recall: a gold mention is found when a row of export_terms() overlaps it
  (any category); `recall+cat` also needs the row's category to be the gold's;
- precision: a row is right when it overlaps some gold mention.
Offsets are characters, as export_terms() gives them. A first line starting
with "Source:" (the article's address) is not scored: rows in it are ignored.
"""
import argparse
import os
import sqlite3
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def wordy(s, i):
    """Is s[i] a letter or digit? False outside s."""
    return 0 <= i < len(s) and s[i].isalnum()


def read_gold(txt_path, ann_path):
    with open(txt_path, encoding="utf-8") as fh:
        text = fh.read()
    gold = []
    head = text.find("\n") + 1 if text.startswith("Source:") else 0
    last = {}
    with open(ann_path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                sys.exit("%s:%d: expected surface<TAB>category" % (ann_path, lineno))
            surface, cat = parts
            at = last.get(surface, head) - 1
            while True:   # the next occurrence that is a whole word ("UAV" is not in "UAVs")
                at = text.find(surface, at + 1)
                if at < 0 or not (wordy(text, at - 1) and wordy(surface, 0)
                                  or wordy(text, at + len(surface))
                                  and wordy(surface, len(surface) - 1)):
                    break
            if at < 0:
                sys.exit("%s:%d: %r not found (after its previous occurrence)"
                         % (ann_path, lineno, surface))
            last[surface] = at + len(surface)
            gold.append((at, at + len(surface), cat, surface))
    return text, gold


def score_doc(conn, text, gold):
    rows = conn.execute('SELECT start, "end", category, term FROM export_terms(?)',
                        (text,)).fetchall()
    if text.startswith("Source:"):
        head = text.find("\n")
        rows = [r for r in rows if r[0] > head]
    found = found_cat = 0
    missed = []
    for (gs, ge, gc, gsurf) in gold:
        hits = [r for r in rows if r[0] < ge and gs < r[1]]
        if hits:
            found += 1
            if any(r[2] == gc for r in hits):
                found_cat += 1
        else:
            missed.append(gsurf)
    right = 0
    wrong = []
    for r in rows:
        if any(r[0] < ge and gs < r[1] for (gs, ge, _, _) in gold):
            right += 1
        else:
            wrong.append(r[3])
    return dict(gold=len(gold), found=found, found_cat=found_cat, rows=len(rows), right=right,
                missed=missed, wrong=wrong)


def add(a, b):
    for k in ("gold", "found", "found_cat", "rows", "right"):
        a[k] = a.get(k, 0) + b[k]
    a.setdefault("missed", []).extend(b["missed"])
    a.setdefault("wrong", []).extend(b["wrong"])


def line(name, s):
    rec = s["found"] / s["gold"] if s["gold"] else 0.0
    recc = s["found_cat"] / s["gold"] if s["gold"] else 0.0
    prec = s["right"] / s["rows"] if s["rows"] else 0.0
    return ("eval-terms %-10s docs %2d  gold %4d  rows %4d  recall %.3f  recall+cat %.3f  "
            "precision %.3f" % (name, s["docs"], s["gold"], s["rows"], rec, recc, prec))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", default=os.environ.get("EL_TERMS_DEVSET", ""))
    ap.add_argument("--ext", default=os.path.join(REPO, "build", "exportlens"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and wrong rows")
    args = ap.parse_args()
    if not args.devset:
        print("eval-terms: skipped (set EL_TERMS_DEVSET to a directory of NAME.txt + NAME.ann)")
        return 0
    if not os.path.isdir(args.devset):
        sys.exit("eval-terms: %s is not a directory" % args.devset)
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(args.ext)
    groups = {}
    for root, _dirs, files in sorted(os.walk(args.devset)):
        for f in sorted(files):
            if not f.endswith(".txt"):
                continue
            ann = os.path.join(root, f[:-4] + ".ann")
            if not os.path.exists(ann):
                continue
            text, gold = read_gold(os.path.join(root, f), ann)
            s = score_doc(conn, text, gold)
            s["docs"] = 1
            g = os.path.relpath(root, args.devset)
            grp = groups.setdefault(g, {"docs": 0})
            grp["docs"] += 1
            add(grp, s)
    if not groups:
        sys.exit("eval-terms: no NAME.txt + NAME.ann pairs under %s" % args.devset)
    total = {"docs": 0}
    for g in sorted(groups):
        s = groups[g]
        print(line(g, s))
        if args.verbose:
            print("  missed: " + "; ".join(s["missed"]))
            print("  wrong:  " + "; ".join(s["wrong"]))
        total["docs"] += s["docs"]
        add(total, s)
    if len(groups) > 1:
        print(line("all", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
