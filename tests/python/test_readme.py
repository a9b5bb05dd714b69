"""The README's examples: every ```sql block followed by a ```text block is run
in the sqlite3 shell (-box, extension loaded) and must print exactly that
text. Also: every function and module the extension registers has a README
reference entry."""
import os
import re
import sqlite3
import subprocess

from helpers import BUILD, ROOT, connect, read

README = read(os.path.join(ROOT, "README.md"))
PAIR = re.compile(r"```sql\n(.*?)```\n```text\n(.*?)```", re.S)
SQLITE3 = os.environ.get("SQLITE3", "sqlite3")


def run_shell(sql):
    p = subprocess.run([SQLITE3, "-box", "-bail", "-cmd", ".load " + os.path.join(BUILD, "exportlens"),
                        ":memory:"], input=sql, capture_output=True, text=True, cwd=ROOT, timeout=60)
    return p.stdout + p.stderr


def _make(sql, want, i):
    def test():
        got = run_shell(sql)
        assert got.rstrip() == want.rstrip(), "example %d\n--- README\n%s\n--- got\n%s" % (i, want, got)
    return test


def _label(sql):
    m = re.search(r"\b(tokens|sentences|token_count|exportlens_\w+|fts5)\b", sql)
    return m.group(1) if m else "sql"


for _i, (_sql, _want) in enumerate(PAIR.findall(README), 1):
    globals()["test_example_%02d_%s" % (_i, _label(_sql))] = _make(_sql, _want, _i)


def test_examples_were_found():
    assert len(PAIR.findall(README)) >= 8


def test_every_function_and_module_is_documented():
    plain = sqlite3.connect(":memory:")
    before = {r[0] for r in plain.execute("SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list")}
    conn = connect()
    after = {r[0] for r in conn.execute("SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list")}
    missing = [n for n in sorted(after - before) if not re.search(r"^#+ .*`%s" % re.escape(n), README, re.M)]
    assert not missing, "no README reference heading for: %s" % missing
