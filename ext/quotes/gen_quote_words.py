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
"two thirds=66.667"), becoming el_cw_fraction[] of {w1, w2, value}; `currency`
entries are "word=ISO code" ("won=KRW"), becoming el_cw_currency[] of {word, code}.

With --words, each file of WORD_LISTS in DATA_DIR (ext/quotes/data: one
lower-case word a line, # comments) becomes `el_qw_<name>[]`, NULL-terminated,
declared for every file and defined where EL_QW_DEFINE is set (el_quotes.c).
A duplicate, an upper-case letter or a space stops the build.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import genwords  # noqa: E402
from genwords import c_string  # noqa: E402

WORD_LISTS = ("pronouns", "auxiliaries", "relatives", "determiners", "adverbs", "not_names")


def main(path):
    lists = {}
    for lineno, line in genwords.data_lines(path):
        parts = [p.strip() for p in line.split("\t")]
        name, words = parts[0], [w for w in parts[1:] if w]
        if not re.fullmatch(r"[a-z_]+", name):
            genwords.fail(path, lineno, "bad list name %r" % name)
        seen = lists.setdefault(name, genwords.Unique(path, where=" in list " + name))
        for w in words:
            if w.partition("=")[0] != w.partition("=")[0].lower():
                genwords.fail(path, lineno, "%r: words are lower case" % w)
            seen.add(lineno, w)
    lists = {name: seen.items for name, seen in lists.items()}
    print("/* Generated from %s by %s: do not edit. */" % (path, sys.argv[0]))
    print("typedef struct el_cw_qual { const char *w1, *w2, *w3, *norm; } el_cw_qual;")
    print("typedef struct el_cw_frac { const char *w1, *w2; double v; } el_cw_frac;")
    print("typedef struct el_cw_cur { const char *word, *code; } el_cw_cur;")
    for name in ("qualifier", "fraction", "currency"):
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
    print("static const el_cw_cur el_cw_currency[] = {")
    for e in lists.pop("currency"):
        word, eq, code = e.partition("=")
        if not eq or not re.fullmatch(r"[A-Z]{3}", code):
            sys.exit("%s: currency %r: expected 'word=ISO code'" % (path, e))
        print("  {%s, %s}," % (c_string(word), c_string(code)))
    print("  {NULL, NULL}\n};")
    for name, words in lists.items():
        print(genwords.string_array("el_cw_" + name, words, per_line=6, end="\n  NULL", size=False))


def main_words(data):
    lists = [(name, genwords.read_words(os.path.join(data, name + ".txt"), lower=True))
             for name in WORD_LISTS]
    print("/* Generated from ext/quotes/data/ by gen_quote_words.py --words: do not edit. */")
    print("#ifndef EL_QUOTE_WORDS_H\n#define EL_QUOTE_WORDS_H")
    for name, _ in lists:
        print("extern const char *const el_qw_%s[];" % name)
    print("#ifdef EL_QW_DEFINE")
    for name, words in lists:
        print(genwords.string_array("el_qw_" + name, words, per_line=6, end="\n  NULL", static=False))
    print("#endif\n#endif")


if __name__ == "__main__":
    if sys.argv[1] == "--words":
        main_words(sys.argv[2])
    else:
        main(sys.argv[1])
