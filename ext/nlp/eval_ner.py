#!/usr/bin/env python3
"""Named-entity scores of entities() on CoNLL-2003 English valid (`make eval`).

End to end from raw text: each document's text is rebuilt from its tokens
(sentences one a line, tokens joined by spaces except before closing
punctuation and clitics and after opening brackets), entities(text) runs on
it, and each returned row is mapped back to the CoNLL tokens its characters
overlap. A prediction counts when its token span and class equal a gold
entity's (exact span and type, the CoNLL-2003 definition).

Label mapping (entities() label -> CoNLL class):
    PERSON -> PER;  ORG -> ORG;  GPE, LOC -> LOC;  NORP -> MISC
Every other label (DATE, MONEY, PERCENT, a dictionary's own) is not scored.
CoNLL MISC is wider than NORP (events, works, adjectives such as "Euro-"),
so the MISC line is shown for information only; the target is the micro
average over PER, ORG and LOC.

  /usr/bin/python3 ext/nlp/eval_ner.py [--build build] [--data DIR]
      [--split valid] [--join space] [--errors N]

Only the train and valid splits are read: the test split is the project's
held-out evaluation and must never be used here.
"""
import argparse
import collections
import gzip
import os
import sqlite3
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "nlp", "conll2003"))
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "NORP": "MISC"}
CLASSES = ["PER", "ORG", "LOC", "MISC"]
MICRO = ["PER", "ORG", "LOC"]

NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "}", "%", "'s", "'S", "n't", "'",
                   "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "{", "$"}


def read_conll(path):
    """[(doc tokens: [[(word, tag)] per sentence])]; IOB1 or IOB2 tags."""
    docs, doc, sent = [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if sent:
                    doc.append(sent)
                    sent = []
                continue
            if parts[0] == "-DOCSTART-":
                if sent:
                    doc.append(sent)
                    sent = []
                if doc:
                    docs.append(doc)
                doc = []
                continue
            sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def spans(tags):
    """Entity spans (start, end exclusive, class) of one sentence's tags (IOB1 or IOB2)."""
    out, start, cls = [], None, None
    for i, t in enumerate(list(tags) + ["O"]):
        c = t[2:] if t != "O" else None
        begin = t.startswith("B-") or (c is not None and c != cls)
        if start is not None and (c is None or begin):
            out.append((start, i, cls))
            start, cls = None, None
        if c is not None and start is None:
            start, cls = i, c
    return out


def rebuild(doc, join="detok"):
    """The text of a document and each token's (start, end) character offsets,
    numbered through the document."""
    parts, offs, pos = [], [], 0
    for si, sent in enumerate(doc):
        if si:
            parts.append("\n")
            pos += 1
        quote_open = False
        for ti, (w, _) in enumerate(sent):
            space = ti > 0
            if join == "detok" and ti > 0:
                prev = sent[ti - 1][0]
                if w in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
                    space = False
                if prev == '"' and quote_open:
                    space = False  # just after an opening quote
                if w == '"' and quote_open:
                    space = False  # a closing quote
            if w == '"':
                quote_open = not quote_open
            if space:
                parts.append(" ")
                pos += 1
            offs.append((pos, pos + len(w)))
            parts.append(w)
            pos += len(w)
    return "".join(parts), offs


def predicted_spans(rows, offs):
    """Token spans (start, end exclusive, class) of entity rows (character offsets)."""
    out = set()
    for label, start, end in rows:
        cls = LABEL_MAP.get(label)
        if cls is None:
            continue
        toks = [i for i, (a, b) in enumerate(offs) if a < end and b > start]
        if toks:
            out.add((toks[0], toks[-1] + 1, cls))
    return out


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(conn, docs, join="detok", errors=None):
    counts = {c: [0, 0, 0] for c in CLASSES}
    nbytes = 0
    elapsed = 0.0
    for doc in docs:
        text, offs = rebuild(doc, join)
        gold, base = set(), 0
        for sent in doc:
            for a, b, c in spans([t for _, t in sent]):
                gold.add((base + a, base + b, c))
            base += len(sent)
        t0 = time.perf_counter()
        rows = conn.execute("SELECT label, start, \"end\" FROM entities(?)", (text,)).fetchall()
        elapsed += time.perf_counter() - t0
        nbytes += len(text.encode("utf-8"))
        pred = predicted_spans(rows, offs)
        words = [w for sent in doc for w, _ in sent]
        for c in CLASSES:
            g = {s for s in gold if s[2] == c}
            p = {s for s in pred if s[2] == c}
            counts[c][0] += len(g & p)
            counts[c][1] += len(p - g)
            counts[c][2] += len(g - p)
        if errors is not None:
            for a, b, c in sorted(pred - gold):
                errors.append(("extra", c, " ".join(words[a:b])))
            for a, b, c in sorted(gold - pred):
                errors.append(("miss", c, " ".join(words[a:b])))
    return counts, nbytes, elapsed


def report(counts):
    lines = ["%-10s %6s %6s %6s  %7s %7s %7s" % ("class", "tp", "fp", "fn", "P", "R", "F1")]
    for c in CLASSES:
        tp, fp, fn = counts[c]
        p, r, f = prf(tp, fp, fn)
        note = "  (NORP only; CoNLL MISC is wider)" if c == "MISC" else ""
        lines.append("%-10s %6d %6d %6d  %7.4f %7.4f %7.4f%s" % (c, tp, fp, fn, p, r, f, note))
    tp = sum(counts[c][0] for c in MICRO)
    fp = sum(counts[c][1] for c in MICRO)
    fn = sum(counts[c][2] for c in MICRO)
    p, r, f = prf(tp, fp, fn)
    lines.append("%-10s %6d %6d %6d  %7.4f %7.4f %7.4f  (micro over PER, ORG, LOC)"
                 % ("micro", tp, fp, fn, p, r, f))
    return "\n".join(lines), f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("B", "build"))
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--split", default="valid", choices=["valid", "train"])
    ap.add_argument("--join", default="detok", choices=["detok", "space"])
    ap.add_argument("--errors", type=int, default=0, help="print the N most frequent errors")
    args = ap.parse_args()
    path = os.path.join(args.data, args.split + ".txt.gz")
    if not os.path.exists(path):
        print("eval ner: %s not found (../shared/data is not here): skipped" % path)
        return 0
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(os.path.join(ROOT, args.build, "exportlens"))
    docs = read_conll(path)
    errs = [] if args.errors else None
    counts, nbytes, elapsed = evaluate(conn, docs, args.join, errs)
    table, _ = report(counts)
    print("NER, CoNLL-2003 English %s (%d documents, text rebuilt with '%s' joins), "
          "exact span and class, through entities():" % (args.split, len(docs), args.join))
    print(table)
    print("(entities() time: %.2f s for %.2f MB, %.1f MB/s)" % (elapsed, nbytes / 1e6,
                                                             nbytes / 1e6 / elapsed if elapsed else 0))
    if errs:
        for (kind, c, w), k in collections.Counter(errs).most_common(args.errors):
            print("%5d %-5s %-4s %s" % (k, kind, c, w))
    return 0


if __name__ == "__main__":
    sys.exit(main())
