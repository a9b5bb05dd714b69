#!/usr/bin/env python3
"""Turn ext/quotes/claim_words.tsv into C word lists (build/gen/el_claim_words.h).

Each line is: list <TAB> word [<TAB> word ...] (lower case). A list becomes
`static const char *const el_cw_<list>[] = {..., NULL};`. A word twice in one
list, an upper-case letter or an empty list name stops the build.

Two lists are tables: `qualifier` entries are "phrase=normal form" (a phrase
of one to three words: "no more than=up to"), becoming el_cw_qualifier[] of
{w1, w2, w3, norm}; `fraction` entries are "words=value" (one or two words:
"two thirds=66.667"), becoming el_cw_fraction[] of {w1, w2, value}.
"""
import re
import sys


def c_string(s):
    out = []
    for ch in s.encode("utf-8"):
        if ch in (0x22, 0x5C):
            out.append("\\" + chr(ch))
        elif 0x20 <= ch < 0x7F and ch != 0x3F:
            out.append(chr(ch))
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


def main(path):
    lists = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t")]
            name, words = parts[0], [w for w in parts[1:] if w]
            if not re.fullmatch(r"[a-z_]+", name):
                sys.exit("%s:%d: bad list name %r" % (path, lineno, name))
            seen = lists.setdefault(name, [])
            for w in words:
                if w != w.lower():
                    sys.exit("%s:%d: %r: words are lower case" % (path, lineno, w))
                if w in seen:
                    sys.exit("%s:%d: %r twice in list %s" % (path, lineno, w, name))
                seen.append(w)
    print("/* Generated from %s by %s: do not edit. */" % (path, sys.argv[0]))
    print("typedef struct el_cw_qual { const char *w1, *w2, *w3, *norm; } el_cw_qual;")
    print("typedef struct el_cw_frac { const char *w1, *w2; double v; } el_cw_frac;")
    for name in ("qualifier", "fraction"):
        if name not in lists:
            sys.exit("%s: no list %s" % (path, name))
    quals = []
    for e in lists.pop("qualifier"):
        phrase, eq, norm = e.partition("=")
        ws = phrase.split()
        if not eq or not norm or not 1 <= len(ws) <= 3:
            sys.exit("%s: qualifier %r: expected 'one to three words=normal form'" % (path, e))
        ws += [None] * (3 - len(ws))
        quals.append("{%s, %s}" % (", ".join(c_string(w) if w else "NULL" for w in ws), c_string(norm)))
    print("static const el_cw_qual el_cw_qualifier[] = {")
    for qv in quals:
        print("  " + qv + ",")
    print("  {NULL, NULL, NULL, NULL}\n};")
    print("static const el_cw_frac el_cw_fraction[] = {")
    for e in lists.pop("fraction"):
        phrase, eq, val = e.partition("=")
        ws = phrase.split()
        try:
            v = float(val)
        except ValueError:
            sys.exit("%s: fraction %r: expected 'words=value'" % (path, e))
        if not eq or not 1 <= len(ws) <= 2:
            sys.exit("%s: fraction %r: expected one or two words" % (path, e))
        print("  {%s, %s, %r}," % (c_string(ws[0]), c_string(ws[1]) if len(ws) > 1 else "NULL", v))
    print("  {NULL, NULL, 0}\n};")
    for name, words in lists.items():
        print("static const char *const el_cw_%s[] = {" % name)
        for i in range(0, len(words), 6):
            print("  " + ", ".join(c_string(w) for w in words[i:i + 6]) + ",")
        print("  NULL\n};")


if __name__ == "__main__":
    main(sys.argv[1])
