#!/usr/bin/env python3
"""End-to-end scores of conllu() on a UD treebank, with the CoNLL 2018 shared
task's definitions (run by `make eval`).

Each gold sentence's `# text` goes through exportlens' conllu() on its own,
as an outside scorer would run it; the outputs are concatenated into one
system file and compared with the gold file:

- words are aligned through their characters: both files' token forms,
  without white space, must spell the same character stream; a word's span is
  its token's span in that stream; words of multiword tokens are aligned by
  the longest common subsequence of their lower-cased forms within the region
  where the two files' multiword tokens overlap;
- each score is an F1 over aligned words: precision = right / system words,
  recall = right / gold words. UPOS, XPOS and lemmas must be equal (a gold
  lemma "_" matches anything); UAS needs the heads to be aligned to each other
  (or both the root); LAS also needs the universal part of the relation
  ("nmod" of "nmod:poss") to be equal.

Usage: eval_ud.py SO GOLD.conllu[.gz] [--system-out FILE]
"""
import gzip
import sqlite3
import sys
import unicodedata


def read_conllu(lines):
    """Sentences as lists of words: dict(form, lemma, upos, xpos, head, deprel,
    mwt=(start,end) word ids or None). Also returns each sentence's text."""
    sents, texts = [], []
    words, mwts, text = [], [], None
    for line in lines:
        line = line.rstrip("\n").rstrip("\r")
        if not line:
            if words:
                sents.append((words, mwts))
                texts.append(text)
            words, mwts, text = [], [], None
            continue
        if line.startswith("#"):
            if line.startswith("# text = "):
                text = line[9:]
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ValueError("bad CoNLL-U line: %r" % line)
        if "." in cols[0]:
            continue
        if "-" in cols[0]:
            a, b = cols[0].split("-")
            mwts.append((int(a), int(b), cols[1]))
            continue
        words.append(dict(id=int(cols[0]), form=cols[1], lemma=cols[2], upos=cols[3],
                          xpos=cols[4], head=int(cols[6]), deprel=cols[7]))
    if words:
        sents.append((words, mwts))
        texts.append(text)
    return sents, texts


def strip_spaces(s):
    return "".join(c for c in s if unicodedata.category(c) != "Zs")


class Word:
    __slots__ = ("start", "end", "multi", "form", "lemma", "upos", "xpos", "deprel", "parent",
                 "head", "aligned")


def flatten(sents):
    """All words of a file with their spans in the file's character stream."""
    out, chars = [], []
    pos = 0
    for words, mwts in sents:
        base = len(out)
        by_start = {a: (b, f) for a, b, f in mwts}
        i = 0
        sent_words = []
        while i < len(words):
            w = words[i]
            if w["id"] in by_start:
                b, form = by_start[w["id"]]
                form = strip_spaces(form)
                start, end = pos, pos + len(form)
                chars.append(form)
                pos = end
                k = i
                while k < len(words) and words[k]["id"] <= b:
                    sent_words.append((words[k], start, end, True))
                    k += 1
                i = k
            else:
                form = strip_spaces(w["form"])
                chars.append(form)
                sent_words.append((w, pos, pos + len(form), False))
                pos += len(form)
                i += 1
        for w, start, end, multi in sent_words:
            x = Word()
            x.start, x.end, x.multi = start, end, multi
            x.form, x.lemma, x.upos, x.xpos = w["form"], w["lemma"], w["upos"], w["xpos"]
            x.deprel = w["deprel"].split(":")[0]
            x.head = base + w["head"] - 1 if w["head"] > 0 else None
            x.aligned = None
            out.append(x)
    for x in out:
        x.parent = out[x.head] if x.head is not None else None
    return out, "".join(chars)


def align(gold, system):
    """Set .aligned on aligned words (both ways); CoNLL 2018 rules."""
    gi = si = 0
    G, S = len(gold), len(system)
    while gi < G and si < S:
        g, s = gold[gi], system[si]
        if g.multi or s.multi:
            # the region of overlapping multiword tokens
            if g.multi:
                end = g.end
                if not s.multi and s.start < g.start:
                    si += 1
            else:
                end = s.end
                if not g.multi and g.start < s.start:
                    gi += 1
            gs, ss = gi, si
            while (gi < G and gold[gi].start < end) or (si < S and system[si].start < end):
                if gi < G and (si >= S or gold[gi].start <= system[si].start):
                    if gold[gi].multi and gold[gi].end > end:
                        end = gold[gi].end
                    gi += 1
                else:
                    if system[si].multi and system[si].end > end:
                        end = system[si].end
                    si += 1
            # longest common subsequence of lower-cased forms
            a = [w.form.lower() for w in gold[gs:gi]]
            b = [w.form.lower() for w in system[ss:si]]
            n, m = len(a), len(b)
            L = [[0] * (m + 1) for _ in range(n + 1)]
            for x in range(n - 1, -1, -1):
                for y in range(m - 1, -1, -1):
                    L[x][y] = L[x + 1][y + 1] + 1 if a[x] == b[y] else max(L[x + 1][y], L[x][y + 1])
            x = y = 0
            while x < n and y < m:
                if a[x] == b[y]:
                    gold[gs + x].aligned = system[ss + y]
                    system[ss + y].aligned = gold[gs + x]
                    x += 1
                    y += 1
                elif L[x + 1][y] >= L[x][y + 1]:
                    x += 1
                else:
                    y += 1
        elif (g.start, g.end) == (s.start, s.end):
            g.aligned, s.aligned = s, g
            gi += 1
            si += 1
        elif g.start <= s.start:
            gi += 1
        else:
            si += 1


def f1(right, ngold, nsys):
    p = right / nsys if nsys else 0.0
    r = right / ngold if ngold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold, system):
    aligned = [g for g in gold if g.aligned is not None]

    def count(pred):
        return sum(1 for g in aligned if pred(g, g.aligned))

    def head_ok(g, s):
        if g.parent is None or s.parent is None:
            return g.parent is None and s.parent is None
        return g.parent.aligned is s.parent

    res = {"Words": len(aligned)}
    res["UPOS"] = count(lambda g, s: g.upos == s.upos)
    res["XPOS"] = count(lambda g, s: g.xpos == s.xpos)
    res["Lemmas"] = count(lambda g, s: g.lemma == "_" or g.lemma == s.lemma)
    res["UAS"] = count(head_ok)
    res["LAS"] = count(lambda g, s: head_ok(g, s) and g.deprel == s.deprel)
    return {k: f1(v, len(gold), len(system)) for k, v in res.items()}


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    so, gold_path = sys.argv[1], sys.argv[2]
    out_path = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--system-out" else None
    opener = gzip.open if gold_path.endswith(".gz") else open
    with opener(gold_path, "rt", encoding="utf-8") as f:
        gold_sents, texts = read_conllu(f)
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(so)
    parts = []
    for t in texts:
        parts.append(db.execute("select conllu(?)", (t,)).fetchone()[0])
    system_text = "".join(parts)
    if out_path:
        with open(out_path, "w", encoding="utf-8") as f:
            f.write(system_text)
    sys_sents, _ = read_conllu(system_text.splitlines())
    gold, gchars = flatten(gold_sents)
    system, schars = flatten(sys_sents)
    if gchars != schars:
        i = next((k for k in range(min(len(gchars), len(schars))) if gchars[k] != schars[k]),
                 min(len(gchars), len(schars)))
        print("the system's characters differ from the gold ones at %d: %r vs %r"
              % (i, gchars[i:i + 20], schars[i:i + 20]))
        return 1
    align(gold, system)
    res = score(gold, system)
    print("%s: %d sentences, %d gold words, %d system words" % (gold_path.split("/")[-1],
                                                              len(gold_sents), len(gold),
                                                              len(system)))
    for k in ("Words", "UPOS", "XPOS", "Lemmas", "UAS", "LAS"):
        print("  %-7s %6.2f" % (k, 100 * res[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
