#!/usr/bin/env python3
"""Turn ext/terms/lexicon.tsv into a C array (build/gen/el_lexicon_data.h).

Each line is: category <TAB> canonical <TAB> variants separated by "|".
Every variant (and the canonical itself) becomes one entry
{rule, term, category, canonical, exact}. rule is made from the canonical
(lower case, runs of other characters as "-"), unique across the file.
A variant written with a leading "=" must match with its exact case; so must
a term with letters and no lower-case letter (an acronym such as BIS).

Two more pieces of syntax, expanded here (the matcher stays one automaton):
- inflection: a word ending in "+" ("restrict+ exports") stands for each of
  its forms as listed in inflections.tsv (lemma <TAB> forms separated by "|"),
  the lemma included; a "+" word missing from that file is an error;
- gap: " ... " between a head and a tail ("ban+ on ... exports") matches the
  head, then up to 4 other words, then the tail, within one sentence;
  " ...N " allows N words (1 to 8). The matcher checks the tail after the
  automaton found the head, so the term is emitted as written ("...N" kept).
Names of organisations and rules that contain a term ("Korea Chamber of
Commerce and Industry") are listed in org_masks.tsv, one a line; they become
discard entries: they win the longest match over the term inside them and are
never reported.

Two word lists beside this script become NULL-terminated arrays too:
hs_qualifiers.txt (el_hs_qualifiers) and initials_small_words.txt
(el_initials_small), one word a line, duplicates rejected.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import genwords  # noqa: E402
from genwords import c_string  # noqa: E402

CATEGORIES = {"measure", "technology", "policy", "agency", "regime", "list", "code",
              "citation", "discard"}


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


GAP = re.compile(r"^\.\.\.([1-8])?$")


def read_inflections(path):
    forms = {}
    for lineno, line in genwords.data_lines(path):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            genwords.fail(path, lineno, "expected lemma <TAB> forms")
        lemma = parts[0].strip()
        if lemma in forms:
            genwords.fail(path, lineno, "lemma %r listed twice" % lemma)
        fl = [lemma] + [f.strip() for f in parts[1].split("|") if f.strip()]
        if len(set(fl)) != len(fl):
            genwords.fail(path, lineno, "a form of %r listed twice" % lemma)
        forms[lemma] = fl
    return forms


def expand(term, infl, where):
    """Every spelling of a term written with "word+" inflection markers."""
    outs = [[]]
    words = term.split(" ")
    ngaps = 0
    for i, w in enumerate(words):
        if GAP.match(w):
            ngaps += 1
            if i == 0 or i == len(words) - 1 or ngaps > 1:
                sys.exit("%s: a gap needs a head and a tail, and only one gap: %r" % (where, term))
            alts = [w]
        elif w.endswith("+") and len(w) > 1:
            if w[:-1] not in infl:
                sys.exit("%s: %r is not in inflections.tsv" % (where, w[:-1]))
            alts = infl[w[:-1]]
        else:
            alts = [w]
        outs = [o + [a] for o in outs for a in alts]
    return [" ".join(o) for o in outs]


def main(path):
    here = os.path.dirname(os.path.abspath(path))
    infl = read_inflections(os.path.join(here, "inflections.tsv"))
    rules = {}
    entries = []
    seen = set()
    for lineno, line in genwords.data_lines(path):
        parts = line.split("\t")
        if len(parts) < 2 or len(parts) > 3:
            sys.exit("%s:%d: expected category, canonical, variants" % (path, lineno))
        category, canonical = parts[0].strip(), parts[1].strip()
        variants = parts[2].split("|") if len(parts) == 3 else []
        if category not in CATEGORIES:
            sys.exit("%s:%d: unknown category %r" % (path, lineno, category))
        rule = slug(canonical)
        if not rule or rule in rules:
            sys.exit("%s:%d: rule %r is not unique" % (path, lineno, rule))
        rules[rule] = lineno
        if re.search(r"\w\+(\s|$)", canonical) or "..." in canonical:
            sys.exit("%s:%d: the canonical form must be plain words" % (path, lineno))
        spelled = []
        for v in [canonical] + variants:
            v = " ".join(v.split())
            if not v:
                continue
            exact = v.startswith("=")
            if exact:
                v = v[1:].strip()
            for x in expand(v, infl, "%s:%d" % (path, lineno)):
                spelled.append(("=" if exact else "") + x)
        for v in spelled:
            exact = v.startswith("=")
            if exact:
                v = v[1:]
            if re.search(r"[A-Za-z]", v) and not re.search(r"[a-z]", v):
                exact = True
            key = v if exact else v.lower()
            if (key, exact) in seen:
                continue
            seen.add((key, exact))
            entries.append((rule, v, category, canonical, 1 if exact else 0))
    masks = os.path.join(here, "org_masks.tsv")
    for lineno, name in genwords.word_lines(masks):
        name = " ".join(name.split())
        rule = "mask-" + slug(name)
        if rule in rules:
            genwords.fail(masks, lineno, "%r listed twice" % name)
        rules[rule] = lineno
        if (name.lower(), False) in seen:
            genwords.fail(masks, lineno, "%r is already a lexicon term" % name)
        seen.add((name.lower(), False))
        entries.append((rule, name, "discard", name, 0))
    if len(entries) < 300:
        sys.exit("%s: only %d entries (at least 300 expected)" % (path, len(entries)))
    # discard phrases (never terms: "medical countermeasures") go last, so
    # that export_lexicon shows only the first EL_LEXICON_COUNT entries
    real = [e for e in entries if e[2] != "discard"]
    discard = [e for e in entries if e[2] == "discard"]
    entries = real + discard
    out = ["/* Generated by ext/terms/gen_lexicon.py from ext/terms/lexicon.tsv. Do not edit. */",
           "#define EL_LEXICON_COUNT %d" % len(real),
           "#define EL_LEXICON_ALL %d" % len(entries),
           "static const el_lex_entry el_lexicon_builtin[EL_LEXICON_ALL] = {"]
    for rule, term, cat, canon, exact in entries:
        out.append("  {%s, %s, %s, %s, %d}," % (c_string(rule), c_string(term), c_string(cat),
                                                 c_string(canon), exact))
    out.append("};")
    here = os.path.dirname(os.path.abspath(__file__))  # the lists are not the lexicon's
    out.append(word_list(os.path.join(here, "hs_qualifiers.txt"), "el_hs_qualifiers"))
    out.append(word_list(os.path.join(here, "initials_small_words.txt"), "el_initials_small"))
    print("\n".join(out))


def word_list(path, var):
    words = genwords.read_words(path, no_quotes=True, fold_case=True)
    return genwords.string_array(var, words, per_line=len(words), end=" NULL")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ext/terms/lexicon.tsv")
