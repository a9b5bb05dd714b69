"""The documentation as the tests read it: README.md and every docs/*.md page.

An example is a ```sql block followed at once by a ```text block: the SQL is
run in the sqlite3 shell (-box, the extension loaded, from the repository
root) and must print exactly the text. Each example runs in a fresh
:memory: database, except on a page that contains the line

    <!-- examples run in one session -->

(the tutorial), where each example runs after the page's earlier ones, as a
reader following the page would type them."""
import glob
import os
import re

from helpers import ROOT, read

README = os.path.join(ROOT, "README.md")
DOCS = os.path.join(ROOT, "docs")
PAIR = re.compile(r"```sql\n(.*?)```\n```text\n(.*?)```", re.S)
SESSION = "<!-- examples run in one session -->"


def files():
    """README.md, then docs/*.md in name order."""
    return [README] + sorted(glob.glob(os.path.join(DOCS, "*.md")))


def name(path):
    return os.path.relpath(path, ROOT)


def texts():
    return {name(p): read(p) for p in files()}


def examples():
    """(page, number on the page, setup SQL, SQL, expected text) of every example."""
    out = []
    for page, text in texts().items():
        earlier = []
        for i, (sql, want) in enumerate(PAIR.findall(text), 1):
            setup = "".join(earlier) if SESSION in text else ""
            out.append((page, i, setup, sql, want))
            earlier.append(sql)
    return out


def headings():
    """(page, heading line) of every Markdown heading outside code blocks."""
    out = []
    for page, text in texts().items():
        fence = False
        for line in text.splitlines():
            if line.startswith("```"):
                fence = not fence
            elif not fence and re.match(r"#{1,6} ", line):
                out.append((page, line))
    return out


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation other than
    '-' and '_' dropped, spaces turned into '-'."""
    text = re.sub(r"^#+ ", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")
