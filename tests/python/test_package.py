"""The Python package (exportlens/, pyproject.toml, setup.py): installed with
pip into a fresh virtual environment without network access, it gives
`import exportlens; exportlens.load(conn)` and runs the documented example
through pandas; its loaders read folders, JSON Lines (gzip too), JSON and CSV
collections with published, source and URL columns; and its errors name the
usual trap, a Python whose sqlite3 module cannot load extensions."""
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from helpers import EXT, ROOT, Skip, connect

sys.path.insert(0, ROOT)
import exportlens  # noqa: E402  (the source tree's package)

os.environ["EXPORTLENS_EXT"] = EXT  # in this process: the build under test (make asan's, say)

ARTICLES = os.path.join(ROOT, "sql", "data", "articles")
EXAMPLE = """
import sqlite3
import pandas as pd
import exportlens

conn = sqlite3.connect(":memory:")
exportlens.load(conn)
print(exportlens.load_articles(conn, %r), "articles")
print(exportlens.load_dataset(conn), "rows of trade data")
exportlens.create_views(conn)
df = pd.read_sql("SELECT subject, metric, object, claim_value, data_value, verdict "
                 "FROM claim_check WHERE verdict = 'differs' ORDER BY article_id, start", conn)
print(df.to_string(index=False))
print(exportlens.__file__)
print(exportlens.loadable_path())
""" % ARTICLES


def _env():
    env = dict(os.environ)
    for k in ("LD_PRELOAD", "ASAN_OPTIONS", "EXPORTLENS_EXT", "PYTHONPATH", "PYTHONMALLOC"):
        env.pop(k, None)  # the package is tested as a user installs it: no sanitizer, no overrides
    return env


def test_pip_install_into_a_fresh_venv_then_pandas():
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise Skip("pandas is not installed (apt-get install python3-pandas)")
    base = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    d = tempfile.mkdtemp()
    try:
        venv = os.path.join(d, "venv")
        # --system-site-packages: Debian's setuptools, wheel and pandas, since there is no network
        p = subprocess.run([base, "-m", "venv", "--system-site-packages", venv], capture_output=True, text=True,
                           timeout=120, env=_env())
        if p.returncode != 0:
            raise Skip("python3 -m venv does not work here (apt-get install python3-venv): " + p.stderr[-300:])
        py = os.path.join(venv, "bin", "python")
        p = subprocess.run([py, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", ROOT],
                           capture_output=True, text=True, timeout=600, env=_env(), cwd=d)
        assert p.returncode == 0, (p.stdout + p.stderr)[-3000:]
        p = subprocess.run([py, "-c", EXAMPLE], capture_output=True, text=True, timeout=300, env=_env(), cwd=d)
        assert p.returncode == 0, p.stderr[-3000:]
        lines = p.stdout.splitlines()
        assert lines[0] == "6 articles" and lines[1] == "659 rows of trade data", lines[:2]
        table = "\n".join(lines[2:-2])
        assert "CHN" in table and "share_of_exports" in table and "25.1203" in table and "differs" in table, table
        site = os.path.join(venv, "lib")
        assert lines[-2].startswith(site), "exportlens was imported from %s, not the venv" % lines[-2]
        assert lines[-1].startswith(site) and os.path.isfile(lines[-1] + ".so"), lines[-1]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_load_and_loadable_path():
    conn = sqlite3.connect(":memory:")
    assert exportlens.load(conn) is conn
    assert conn.execute("SELECT exportlens_version()").fetchone()[0] == exportlens.__version__
    # loading is switched off again afterwards: SQL cannot load libraries
    try:
        conn.execute("SELECT load_extension('libm.so.6')").fetchall()
        raise AssertionError("load_extension() is still enabled")
    except sqlite3.OperationalError as e:
        assert "not authorized" in str(e), str(e)
    assert os.path.isfile(exportlens.loadable_path() + ".so")


def test_noread_entry_point():
    conn = sqlite3.connect(":memory:")
    exportlens.load(conn, noread=True)
    names = {r[0] for r in conn.execute("SELECT name FROM pragma_function_list")}
    assert "entities" in {r[0] for r in conn.execute("SELECT name FROM pragma_module_list")}
    assert "csv_import" not in names and "csv_sniff" not in names


class _NoExtensions:
    """A connection as a Python built without extension loading gives it."""

    def execute(self, *a):
        raise AssertionError("not reached")


def test_the_pyenv_trap_is_named():
    try:
        exportlens.load(_NoExtensions())
        raise AssertionError("no error")
    except exportlens.ExtensionLoadError as e:
        msg = str(e)
    for needle in ("cannot load extensions", "--enable-loadable-sqlite-extensions", "pyenv", "/usr/bin/python3"):
        assert needle in msg, msg


def test_the_trap_with_a_real_python_that_cannot_load_extensions():
    """Any python3 on PATH whose sqlite3 module lacks enable_load_extension
    (pyenv's, on the project's machines)."""
    for d in os.environ.get("PATH", "").split(os.pathsep):
        py = os.path.join(d, "python3")
        if not os.access(py, os.X_OK):
            continue
        p = subprocess.run([py, "-c", "import sqlite3; print(hasattr(sqlite3.Connection, 'enable_load_extension'))"],
                           capture_output=True, text=True, timeout=60)
        if p.stdout.strip() != "False":
            continue
        code = ("import sys, sqlite3; sys.path.insert(0, %r); import exportlens\n"
                "try:\n    exportlens.load(sqlite3.connect(':memory:'))\n"
                "except exportlens.ExtensionLoadError as e:\n    print(e)\n" % ROOT)
        p = subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=60, env=_env())
        assert "cannot load extensions" in p.stdout and "pyenv" in p.stdout, (p.stdout, p.stderr)
        return
    raise Skip("no python3 on PATH without extension loading")


def test_load_articles_collections():
    d = tempfile.mkdtemp()
    try:
        jl = os.path.join(d, "feed.jsonl.gz")
        with gzip.open(jl, "wt", encoding="utf-8") as f:
            f.write(json.dumps({"headline": "Chip rules", "text": "Seoul said exports to China fell 5%.",
                                "date": "Thu, 02 Jun 2022 09:30:00 GMT", "publisher": "Wire", "link": "https://x/1"}) + "\n")
            f.write("\n")
            f.write(json.dumps({"Body": "No title here\nSecond line.", "published": "2023-01-05"}) + "\n")
        cs = os.path.join(d, "news.csv")
        with open(cs, "w", encoding="utf-8", newline="") as f:
            f.write('Title,Content,Published_At,Source,URL\n"A, B","Line one\nline two",2024-03-01T10:00:00Z,Desk,https://y\n')
        js = os.path.join(d, "list.json")
        with open(js, "w", encoding="utf-8") as f:
            json.dump([{"title": "T", "body": "B", "date": "March 2023"}], f)
        conn = sqlite3.connect(":memory:")
        assert exportlens.load_articles(conn, jl) == 2
        assert exportlens.load_articles(conn, jl) == 0, "loading again adds nothing"
        assert exportlens.load_articles(conn, cs) == 1
        assert exportlens.load_articles(conn, js) == 1
        assert exportlens.load_articles(conn, ARTICLES) == 6
        rows = conn.execute("SELECT path, title, body, published, source, url FROM articles ORDER BY id").fetchall()
        assert rows[0] == (jl + ":1", "Chip rules", "Seoul said exports to China fell 5%.",
                           "2022-06-02T09:30:00+00:00", "Wire", "https://x/1"), rows[0]
        assert rows[1] == (jl + ":3", "No title here", "No title here\nSecond line.", "2023-01-05", None, None), rows[1]
        assert rows[2] == (cs + ":1", "A, B", "Line one\nline two", "2024-03-01T10:00:00Z", "Desk", "https://y"), rows[2]
        assert rows[3][3] == "March 2023", "a date that cannot be read is kept as written"
        assert rows[4][4:] == (None, None) and rows[4][1] == "Washington Widens Curbs on Advanced Chips Bound for China"
        # a table from the older loader (four columns) gains the new ones
        old = sqlite3.connect(":memory:")
        old.execute("CREATE TABLE articles(id INTEGER PRIMARY KEY, path TEXT UNIQUE, title TEXT, body TEXT)")
        assert exportlens.load_articles(old, jl) == 2
        assert old.execute("SELECT source FROM articles WHERE id = 1").fetchone() == ("Wire",)
        # errors name the file and the line
        bad = os.path.join(d, "bad.jsonl")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('{"body": "ok"}\n{"title": "no body"}\n')
        for path, needle in ((bad, "bad.jsonl: line 2: no body"), (os.path.join(d, "x.xlsx"), "no such folder or file"),
                             (os.path.join(d, "nope"), "no such folder or file")):
            try:
                exportlens.load_articles(sqlite3.connect(":memory:"), path)
                raise AssertionError("no error for %s" % path)
            except (ValueError, OSError) as e:
                assert needle in str(e), str(e)
    finally:
        shutil.rmtree(d)


def _load_traced(conn, path):
    """(rows added, error text or None, statements run) of load_articles."""
    seen = []
    conn.set_trace_callback(seen.append)
    try:
        return exportlens.load_articles(conn, path), None, seen
    except (ValueError, OSError, EOFError) as e:  # EOFError: a truncated .gz, from gzip
        return None, "%s: %s" % (type(e).__name__, e), seen
    finally:
        conn.set_trace_callback(None)


def _rows(conn):
    return conn.execute("SELECT id, path, title, body, published, source, url FROM articles ORDER BY id").fetchall()


def test_load_articles_jsonl_is_one_lines_file_statement_with_the_python_readers_rows():
    """With the extension loaded, a .jsonl(.gz) collection is loaded by one
    INSERT ... SELECT over lines_file(); the rows, the counts and the errors
    (naming file and line) are those of the Python reader, which a connection
    without the extension uses. Lines the two readers could read differently
    go to the Python reader."""
    d = tempfile.mkdtemp()
    try:
        recs = [{"headline": "  Chip rules\u00a0", "text": "Seoul said\r\nexports fell.\rMore.",
                 "date": "Thu, 02 Jun 2022 09:30:00 GMT", "publisher": "Wire", "link": "https://x/1"},
                {" BODY ": "No title here\nSecond line.", "Published": "2023-01-05", "source": None},
                {"content": "Numbers", "title": 7, "source": True, "url": {"a": [1, "é"]}, "date": 2.5},
                {"article": "Zoë 😀 ünïcode", "Title": "Ünïcode", "PUBDATE": "March 2023", "outlet": False},
                {"body": "b", "text": "not this", "title": None},
                {"body": "x", "Title": "Upper first", "title": "lower second"}]
        body = "\n".join(json.dumps(r, ensure_ascii=i % 2 == 0) for i, r in enumerate(recs[:2]))
        body += "\n\n   \t\n" + "\n".join(json.dumps(r) for r in recs[2:]) + "\n"
        cases = {"feed.jsonl": body.encode(), "feed.jsonl.gz": gzip.compress(body.encode()),
                 "bom.ndjson": b"\xef\xbb\xbf" + body.encode(),
                 # the Python reader's cases: NaN, a key twice, an integer beyond 64 bits,
                 # Windows-1252 bytes, a lone CR as a line end
                 "nan.jsonl": b'{"body": "x", "source": NaN}\n{"body": "y"}\n',
                 "twice.jsonl": b'{"body": "first", "body": "second"}\n',
                 "bigint.jsonl": b'{"body": "x", "source": 123456789012345678901234567890}\n',
                 "cp1252.jsonl": b'{"body": "caf\xe9 \x93quoted\x94"}\n',
                 "cr.jsonl": b'{"body": "a"}\r{"body": "b"}\r'}
        for name, data in cases.items():
            p = os.path.join(d, name)
            with open(p, "wb") as f:
                f.write(data)
            want = sqlite3.connect(":memory:")  # no extension: the Python reader
            n_py, err, _ = _load_traced(want, p)
            assert err is None, err
            got = connect()
            n, err, seen = _load_traced(got, p)
            assert err is None, (name, err)
            sql = [s for s in seen if "FROM lines_file(" in s and s.lstrip().startswith("INSERT")]
            assert len(sql) == 1, (name, seen)
            assert n == n_py and _rows(got) == _rows(want), (name, n, n_py, _rows(got), _rows(want))
            assert _load_traced(got, p)[0] == 0, "loading again adds nothing"
            if name == "feed.jsonl":
                assert n == 6 and _rows(got)[0][1:] == (
                    p + ":1", "Chip rules", "Seoul said\nexports fell.\nMore.", "2022-06-02T09:30:00+00:00",
                    "Wire", "https://x/1"), _rows(got)[0]
                assert [r[1] for r in _rows(got)] == [p + ":%d" % i for i in (1, 2, 5, 6, 7, 8)]
                assert [r[2] for r in _rows(got)[4:]] == ["b", "Upper first"]
                assert _rows(got)[2][2:] == ("7", "Numbers", "2.5", "True", '{"a": [1, "\\u00e9"]}')
        # errors: the Python reader's message, naming the file and the line; nothing added,
        # and a transaction the caller had open is left as it was
        for text, needle in (('{"body": "ok"}\n\n{"title": "no body"}\n', "bad.jsonl: line 3: no body"),
                             ('{"body": "ok"}\n{"body": \n', "bad.jsonl: line 2: Expecting value"),
                             ('{"body": "ok"}\n["body"]\n', "bad.jsonl: line 2: not an object"),
                             ('{"body": null}\n', "bad.jsonl: line 1: no body"),
                             # the first bad line in file order, whatever the fault
                             ('{"body": "ok"}\n{"title": "x"}\n{oops\n', "bad.jsonl: line 2: no body"),
                             ('{"body": "ok"}\n{oops\n{"title": "x"}\n', "bad.jsonl: line 2: Expecting")):
            p = os.path.join(d, "bad.jsonl")
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            want = _load_traced(sqlite3.connect(":memory:"), p)[1]
            conn = connect()
            conn.execute("CREATE TABLE mine(x)")
            conn.execute("INSERT INTO mine VALUES (1)")
            n, err, seen = _load_traced(conn, p)
            assert any("FROM lines_file(" in s for s in seen), seen
            assert err == want and err.startswith("ValueError: load_articles: " + p) and needle in err, (err, want)
            assert conn.in_transaction and conn.execute("SELECT count(*) FROM mine").fetchone() == (1,)
            assert conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        # a damaged .gz: the Python reader's error as before
        p = os.path.join(d, "cut.jsonl.gz")
        with open(p, "wb") as f:
            f.write(gzip.compress(body.encode())[:-12])
        want = _load_traced(sqlite3.connect(":memory:"), p)[1]
        assert want and _load_traced(connect(), p)[1] == want, want
    finally:
        shutil.rmtree(d)


def test_loadable_path_in_a_source_tree():
    """Not installed, the package finds build/exportlens.so beside it; EXPORTLENS_EXT overrides that."""
    assert exportlens.loadable_path() == EXT
    del os.environ["EXPORTLENS_EXT"]
    try:
        if not os.path.isfile(os.path.join(ROOT, "build", "exportlens.so")):
            raise Skip("build/exportlens.so is not built")
        assert exportlens.loadable_path() == os.path.join(ROOT, "build", "exportlens")
    finally:
        os.environ["EXPORTLENS_EXT"] = EXT
