"""The showcase queries through Python's clients give what the shell gives.
A database file is built once from Python (sql/load_articles.py: articles,
the trade dataset through csv_import, the views), then every SELECT of
sql/demo.sql runs through the sqlite3 shell (-json), through sqlite3 cursors
and through pandas.read_sql; the rows must be equal, value by value."""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

from helpers import EXT, ROOT, Skip, connect, read

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")
sys.path.insert(0, os.path.join(ROOT, "sql"))


def showcase_queries():
    """The SELECT statements of sql/demo.sql, without shell commands or comments."""
    out, buf = [], []
    for line in read(os.path.join(ROOT, "sql", "demo.sql")).splitlines():
        if line.startswith(".") or line.lstrip().startswith("--"):
            continue
        buf.append(re.sub(r"\s+--\s.*$", "", line))
        if line.rstrip().endswith(";"):
            stmt = "\n".join(buf).strip()
            if stmt.upper().startswith("SELECT"):
                out.append(stmt)
            buf = []
    return out


_db = None


def database():
    global _db
    if _db is None:
        from load_articles import create_views, load_articles, load_dataset
        _db = os.path.join(tempfile.mkdtemp(), "showcase.db")
        c = connect(_db)
        load_articles(c, os.path.join(ROOT, "sql", "data", "articles"))
        load_dataset(c)
        create_views(c)
        c.commit()
        c.close()
    return _db


def _same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b


def _shell_rows(sql):
    if not shutil.which(SQLITE3):
        raise Skip("no sqlite3 shell")
    p = subprocess.run([SQLITE3, "-json", "-bail", database(), "-cmd", ".load " + EXT], input=sql,
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout) if p.stdout.strip() else []
    return [list(r.values()) for r in rows], (list(rows[0].keys()) if rows else None)


def test_demo_has_showcase_queries():
    qs = showcase_queries()
    assert len(qs) >= 5, qs
    text = " ".join(qs)
    for view in ("country_exposure", "article_terms", "claim_check"):
        assert view in text, view


def test_cursors_give_what_the_shell_gives():
    c = connect(database())
    for i, sql in enumerate(showcase_queries(), 1):
        want, names = _shell_rows(sql)
        cur = c.execute(sql)
        got = [list(r) for r in cur.fetchall()]
        assert want, "query %d gives no rows in the shell" % i
        assert names == [d[0] for d in cur.description], (i, names)
        assert len(got) == len(want), (i, len(got), len(want))
        for r, (g, w) in enumerate(zip(got, want)):
            assert all(_same(x, y) for x, y in zip(g, w)), "query %d row %d: %r != %r" % (i, r, g, w)


def test_pandas_read_sql_gives_what_the_shell_gives():
    try:
        import pandas as pd
    except ImportError:
        raise Skip("pandas is not installed (apt-get install python3-pandas)")
    c = connect(database())
    for i, sql in enumerate(showcase_queries(), 1):
        want, names = _shell_rows(sql)
        df = pd.read_sql(sql, c)
        assert list(df.columns) == names, (i, list(df.columns), names)
        got = df.astype(object).where(df.notna(), None).values.tolist()
        assert len(got) == len(want), (i, len(got), len(want))
        for r, (g, w) in enumerate(zip(got, want)):
            assert all(_same(x, y) for x, y in zip(g, w)), "query %d row %d: %r != %r" % (i, r, g, w)
