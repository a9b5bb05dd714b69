"""The documentation's examples (README.md and docs/*.md, see doctext.py):
every ```sql block followed by a ```text block is run in the sqlite3 shell
(-box, extension loaded) and must print exactly that text. Also: every
function and module the extension registers has a reference heading and a
line in the index (docs/reference.md); every link between the pages points
at a page and a heading that exist; the README stays short; and the pages
hold no internal material (merge anchors, issue numbers, ../shared paths)."""
import os
import re
import sqlite3
import subprocess
from collections import Counter

import doctext
from helpers import BUILD, ROOT, connect

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")
EXAMPLES = doctext.examples()


def run_shell(sql, setup=""):
    if setup:
        sql = ".output /dev/null\n" + setup + ".output\n" + sql
    p = subprocess.run([SQLITE3, "-box", "-bail", "-cmd", ".load " + os.path.join(BUILD, "exportlens"),
                        ":memory:"], input=sql, capture_output=True, text=True, cwd=ROOT, timeout=120)
    return p.stdout + p.stderr


def _make(page, i, setup, sql, want):
    def test():
        got = run_shell(sql, setup)
        assert got.rstrip() == want.rstrip(), "%s example %d\n--- documented\n%s\n--- got\n%s" % (page, i, want, got)
    return test


def _label(page):
    return re.sub(r"\W", "_", os.path.splitext(os.path.basename(page))[0].lower())


for _page, _i, _setup, _sql, _want in EXAMPLES:
    globals()["test_example_%s_%02d" % (_label(_page), _i)] = _make(_page, _i, _setup, _sql, _want)


def test_examples_were_found():
    per_page = Counter(page for page, *_ in EXAMPLES)
    assert len(EXAMPLES) >= 60, per_page
    for page in ("docs/text.md", "docs/csv.md", "docs/entities.md", "docs/terms.md",
                 "docs/quotes-claims.md", "docs/screening.md", "docs/tutorial.md"):
        assert per_page[page] >= 1, "no executed example in %s" % page


def _registered():
    plain = sqlite3.connect(":memory:")
    before = {r[0] for r in plain.execute("SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list")}
    conn = connect()
    after = {r[0] for r in conn.execute("SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list")}
    return sorted(after - before)


def test_every_function_and_module_is_documented():
    heads = [h for _, h in doctext.headings()]
    missing = [n for n in _registered()
               if not any(re.search(r"`%s\b" % re.escape(n), h) for h in heads)]
    assert not missing, "no reference heading (## `name`) in README.md or docs/ for: %s" % missing


def test_every_function_and_module_is_in_the_index():
    index = doctext.texts().get("docs/reference.md", "")
    missing = [n for n in _registered() if not re.search(r"^\| \[`%s`\]\(" % re.escape(n), index, re.M)]
    assert not missing, "docs/reference.md has no index line for: %s" % missing


def test_links_between_pages_resolve():
    anchors = {}
    for page, h in doctext.headings():
        seen = anchors.setdefault(page, Counter())
        s = doctext.slug(h)
        anchors[page][s if not seen[s] else "%s-%d" % (s, seen[s])] += 1
        seen[s] += 1
    bad = []
    for page, text in doctext.texts().items():
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # http:, https:, mailto:
            path, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if not os.path.exists(os.path.join(ROOT, dest)):
                bad.append("%s: %s (no such file)" % (page, target))
            elif anchor and dest.endswith(".md") and anchor not in anchors.get(dest, {}):
                bad.append("%s: %s (no such heading)" % (page, target))
    assert not bad, "\n".join(bad)


def test_readme_is_short():
    n = doctext.texts()["README.md"].count("\n")
    assert n <= 260, "README.md has %d lines: reference material belongs in docs/" % n


def test_no_internal_material():
    bad = []
    for page, text in doctext.texts().items():
        for pat in (r"<!--\s*(issue|end of)", r"\.\./shared", r"\bissue \d+", r"tests/python/\w+\.py",
                    r"tests/odbc/\w+"):
            for m in re.finditer(pat, text):
                bad.append("%s: %r" % (page, text[max(0, m.start() - 30):m.end() + 30]))
    assert not bad, "internal material in the user documentation:\n" + "\n".join(bad)
