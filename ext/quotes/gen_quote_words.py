#!/usr/bin/env python3
"""The word lists of quotes() and claims(), as C arrays.

usage: gen_quote_words.py claim_words.tsv > el_claim_words.h
       gen_quote_words.py --words DATA_DIR > el_quote_words.h

claim_words.tsv holds the lists of claims() (el_claims.c only).

Each line is: list <TAB> word [<TAB> word ...] (lower case). A list becomes
`static const char *const el_cw_<list>[] = {..., NULL};`. A word twice in one
list, an upper-case letter or an empty list name stops the build.

Two lists are tables: `qualifier` entries are "phrase=normal form" (a phrase
of one to three words: "no more than=up to"), becoming el_cw_qualifier[] of
{w1, w2, w3, norm}; `fraction` entries are "words=value" (one or two words:
"two thirds=66.667"), becoming el_cw_fraction[] of {w1, w2, value}.

With --words, each file of WORD_LISTS in DATA_DIR (ext/quotes/data: one
lower-case word a line, # comments) becomes `el_qw_<name>[]`, NULL-terminated,
declared for every file and defined where EL_QW_DEFINE is set (el_quotes.c).
A duplicate, an upper-case letter or a space stops the build.
"""
import os
import re
import sys

WORD_LISTS = ("pronouns", "auxiliaries", "relatives", "determiners", "adverbs", "not_names")


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


def main_words(data):
    lists = []
    for name in WORD_LISTS:
        path = os.path.join(data, name + ".txt")
        words = []
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                w = line.strip()
                if not w or w.startswith("#"):
                    continue
                if w != w.lower() or any(c.isspace() for c in w) or not w.isascii():
                    sys.exit("%s:%d: one lower-case ASCII word per line" % (path, lineno))
                if w in words:
                    sys.exit("%s:%d: duplicate %r" % (path, lineno, w))
                words.append(w)
        if not words:
            sys.exit("%s: no words" % path)
        lists.append((name, words))
    print("/* Generated from ext/quotes/data/ by gen_quote_words.py --words: do not edit. */")
    print("#ifndef EL_QUOTE_WORDS_H\n#define EL_QUOTE_WORDS_H")
    for name, _ in lists:
        print("extern const char *const el_qw_%s[];" % name)
    print("#ifdef EL_QW_DEFINE")
    for name, words in lists:
        print("const char *const el_qw_%s[%d] = {" % (name, len(words) + 1))
        for i in range(0, len(words), 6):
            print("  " + ", ".join(c_string(w) for w in words[i:i + 6]) + ",")
        print("  NULL\n};")
    print("#endif\n#endif")


if __name__ == "__main__":
    if sys.argv[1] == "--words":
        main_words(sys.argv[2])
    else:
        main(sys.argv[1])
