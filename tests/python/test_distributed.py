"""exportlens.distributed (docs/scale.md, "Corpus processing on Dask").

The cluster tests start a real scheduler and 2 workers on 127.0.0.1 as
separate processes (dask-scheduler and dask-worker, run as Python modules),
with a bounded wait, and stop them in a finally block (and at exit) even when
a check fails. The workers get the package through PYTHONPATH and the library
under test through EXPORTLENS_EXT: they load the extension themselves.

The corpus is the project's own: the sample articles (sql/data/articles) and
the Federal Register abstracts that ship with the entity gold
(tests/gold/federal_register), so the tests need nothing from ../shared."""
import atexit
import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from helpers import EXT, ROOT, Skip, read

if os.environ.get("VG"):  # make valgrind: tests/run.sh exports VG
    raise Skip("under valgrind (make valgrind): the queries run in Dask worker processes, which memcheck does not "
               "follow; the extension's functions are checked in-process by the other suites")
try:
    import pandas as pd
    import distributed  # noqa: F401
    from dask.distributed import Client
except ImportError as e:
    raise Skip("dask.distributed or pandas is not importable (%s): apt-get install python3-distributed "
               "python3-pandas" % e)

sys.path.insert(0, ROOT)
os.environ["EXPORTLENS_EXT"] = EXT  # the library under test, for this process and the local clusters
import exportlens  # noqa: E402
import exportlens.distributed as ed  # noqa: E402

COLLECTIONS = [os.path.join(ROOT, "sql", "data", "articles"), os.path.join(ROOT, "tests", "gold", "federal_register")]
FUNCTIONS = ("export_terms", "entities", "quotes", "claims")
START_TIMEOUT = 60  # seconds for the scheduler and both workers to come up
ENV = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), EXPORTLENS_EXT=EXT,
           DASK_DISTRIBUTED__WORKER__DAEMON="False")


class Cluster:
    """A scheduler and `n` single-thread workers on 127.0.0.1, each its own
    process group, killed on exit from the with block."""

    def __init__(self, n=2):
        self.n, self.procs, self.dir = n, [], tempfile.TemporaryDirectory(prefix="el_dask_")
        self.client = None
        # the processes run deeper than this process's directory, so that a path relative to it
        # means something else (or nothing) there
        self.cwd = os.path.join(self.dir.name, "a", "b", "c", "d")
        os.makedirs(self.cwd)

    def _spawn(self, *args):
        log = open(os.path.join(self.dir.name, "%d.log" % len(self.procs)), "w")
        p = subprocess.Popen([sys.executable, "-m"] + list(args), cwd=self.cwd, env=ENV, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(p)
        return p

    def logs(self):
        out = []
        for f in sorted(os.listdir(self.dir.name)):
            if f.endswith(".log"):
                out.append("--- %s\n%s" % (f, read(os.path.join(self.dir.name, f))[-1500:]))
        return "\n".join(out)

    def __enter__(self):
        atexit.register(self.stop)
        try:
            sfile = os.path.join(self.dir.name, "scheduler.json")
            self._spawn("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                        "--no-dashboard", "--scheduler-file", sfile)
            deadline = time.monotonic() + START_TIMEOUT
            address = None
            while address is None:
                if time.monotonic() > deadline or self.procs[0].poll() is not None:
                    raise AssertionError("the scheduler did not start in %d s\n%s" % (START_TIMEOUT, self.logs()))
                try:
                    with open(sfile) as f:
                        address = json.load(f)["address"]
                except (OSError, ValueError, KeyError):
                    time.sleep(0.2)
            for _ in range(self.n):
                self._spawn("distributed.cli.dask_worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                            "--nworkers", "1", "--no-dashboard", "--no-nanny")
            self.client = Client(address, timeout=START_TIMEOUT)
            try:
                self.client.wait_for_workers(self.n, timeout=START_TIMEOUT)
            except Exception as e:  # noqa: BLE001
                raise AssertionError("%d workers did not join in %d s: %s\n%s"
                                     % (self.n, START_TIMEOUT, e, self.logs())) from None
            return self
        except BaseException:
            self.stop()
            raise

    def stop(self):
        if self.client is not None:
            try:
                self.client.close(timeout=10)
            except Exception:  # noqa: BLE001 - the processes are killed below anyway
                pass
            self.client = None
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        self.procs = []
        self.dir.cleanup()

    def __exit__(self, *exc):
        self.stop()


def _single_db(path):
    """One SQLite file holding the whole collection, as load_articles makes it."""
    conn = sqlite3.connect(path)
    for c in COLLECTIONS:
        exportlens.load_articles(conn, c)
    conn.close()
    return path


def _query(fn):
    return "SELECT articles.id, articles.path, f.* FROM articles, %s(articles.body) AS f" % fn


def test_merged_results_equal_one_file_row_for_row_on_a_2_worker_cluster():
    with tempfile.TemporaryDirectory() as tmp:
        single = _single_db(os.path.join(tmp, "all.db"))
        paths = ed.shard_articles(single, os.path.join(tmp, "shards"), 4)
        counts = [sqlite3.connect(p).execute("SELECT count(*) FROM articles").fetchone()[0] for p in paths]
        total = sqlite3.connect(single).execute("SELECT count(*) FROM articles").fetchone()[0]
        assert sum(counts) == total and total >= 20 and sum(1 for c in counts if c) >= 3, (counts, total)
        one = exportlens.load(sqlite3.connect(single))
        with Cluster(2) as cl:
            pids = set(cl.client.run(os.getpid).values())
            assert len(pids) == 2 and os.getpid() not in pids, pids
            for fn in FUNCTIONS:
                want = pd.read_sql(_query(fn), one)
                assert len(want) > 0, "%s finds nothing in the bundled articles" % fn
                got = ed.map_sql(paths, _query(fn), client=cl.client, sort="id")
                # row for row: the same columns, dtypes, values and order
                assert list(got.columns) == list(want.columns), (fn, list(got.columns))
                pd.testing.assert_frame_equal(got, want, check_exact=True)
                # unsorted, the rows come shard by shard, each in the query's order
                raw = ed.map_sql(paths, _query(fn), client=cl.client, shard_column="shard")
                assert list(raw["shard"].drop_duplicates()) == [p for p, c in zip(paths, counts) if c and
                                                                p in set(raw["shard"])], fn
                for p in paths:
                    part = raw[raw["shard"] == p].drop(columns="shard").reset_index(drop=True)
                    alone = pd.read_sql(_query(fn), exportlens.load(sqlite3.connect(p)))
                    if alone.empty:
                        # (pandas gives an empty result an object index, a filter a RangeIndex)
                        assert part.empty, (fn, p, len(part))
                        continue
                    # (a shard whose column is all NULL reads as object, not float64)
                    pd.testing.assert_frame_equal(part, alone, check_exact=True, check_dtype=False)


def _corrupt(path):
    with open(path, "wb") as f:
        f.write(b"not a database: " * 4096)


def test_a_failing_shard_or_document_is_named_on_a_2_worker_cluster():
    with tempfile.TemporaryDirectory() as tmp:
        single = _single_db(os.path.join(tmp, "all.db"))
        paths = ed.shard_articles(single, os.path.join(tmp, "shards"), 3)
        bad = os.path.join(tmp, "shards", "corrupt.db")
        _corrupt(bad)
        missing = os.path.join(tmp, "shards", "missing.db")
        with Cluster(2) as cl:
            for shards, which, fragment in ((paths[:1] + [bad] + paths[1:], bad, "file is not a database"),
                                            (paths + [missing], missing, "unable to open database file")):
                try:
                    ed.map_sql(shards, _query("entities"), client=cl.client)
                except ed.ShardError as e:
                    assert e.shard == which and which in str(e) and fragment in str(e) and e.doc is None, str(e)
                else:
                    raise AssertionError("no error for %s" % which)
            # an error that comes from one article names it: the last article of the
            # second shard is the only one whose body is made to be invalid JSON
            ids = [r[0] for r in sqlite3.connect(paths[1]).execute("SELECT id FROM articles ORDER BY id")]
            target = ids[-1]
            sql = ("SELECT articles.id, json_extract(CASE WHEN articles.id = %d THEN articles.body ELSE '{}' END, '$.a') "
                   "FROM articles" % target)
            try:
                ed.map_sql(paths, sql, client=cl.client)
            except ed.ShardError as e:
                assert e.shard == paths[1] and e.doc is not None and e.doc[0] == target, str(e)
                assert "document id %d" % target in str(e) and "malformed JSON" in str(e), str(e)
            else:
                raise AssertionError("no error for the article whose body is not JSON")
            # a query that is wrong whatever the rows: the shard is named, no document
            try:
                ed.map_sql(paths, "SELECT nosuchcolumn FROM articles", client=cl.client)
            except ed.ShardError as e:
                assert e.shard == paths[0] and e.doc is None and "no such column" in str(e), str(e)
            else:
                raise AssertionError("no error for a bad column")
            # a library the workers cannot load names the shard and the worker
            try:
                ed.map_sql(paths, "SELECT 1", client=cl.client, extension=os.path.join(tmp, "no", "such", "lib"))
            except ed.ShardError as e:
                assert e.shard == paths[0] and "does not load on worker" in str(e) and "no/such/lib" in str(e), str(e)
            else:
                raise AssertionError("no error for a library the workers cannot load")
            # relative paths are the client's: the workers run in another directory
            rel = [os.path.relpath(p) for p in paths]
            assert ed.map_sql(rel, "SELECT count(*) AS n FROM articles", client=cl.client)["n"].sum() == \
                sum(sqlite3.connect(p).execute("SELECT count(*) FROM articles").fetchone()[0] for p in paths)
            # the shards are opened read-only: a write fails and changes nothing
            before = sqlite3.connect(paths[0]).execute("SELECT count(*) FROM articles").fetchone()[0]
            try:
                ed.map_sql(paths[:1], "DELETE FROM articles", client=cl.client)
            except ed.ShardError as e:
                assert "readonly" in str(e), str(e)
            else:
                raise AssertionError("a DELETE on a shard did not fail")
            assert sqlite3.connect(paths[0]).execute("SELECT count(*) FROM articles").fetchone()[0] == before


def test_run_shard_names_an_article_whose_id_is_text():
    with tempfile.TemporaryDirectory() as tmp:
        shard = os.path.join(tmp, "text-ids.db")
        conn = sqlite3.connect(shard)
        conn.execute("CREATE TABLE articles(id TEXT PRIMARY KEY, path TEXT, body TEXT)")
        conn.executemany("INSERT INTO articles VALUES (?, ?, ?)",
                         [("a'1", "x.txt", "{}"), ("b", "y.txt", "not json"), ("c", "z.txt", "[]")])
        conn.commit()
        conn.close()
        try:
            ed.run_shard(shard, "SELECT json_type(body) FROM articles")
        except ed.ShardError as e:
            assert e.doc == ("b", "y.txt") and "malformed JSON" in str(e), str(e)
        else:
            raise AssertionError("no error for a body that is not JSON")
        assert ed.run_shard(shard, "SELECT id FROM articles ORDER BY id") == (["id"], [("a'1",), ("b",), ("c",)])


def _jsonl_gz(path, records):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def test_shard_articles_is_deterministic_and_keeps_the_loaders_columns_and_ids():
    recs = [{"text": "Seoul exports rose %d%% in 2022, officials said." % i, "title": "t%d" % i,
             "date": "2022-%02d-%02d" % (1 + i % 12, 1 + i % 28), "source": "s%d" % (i % 3),
             "url": "https://example.org/%d" % i} for i in range(60)]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "c.jsonl.gz")
        _jsonl_gz(src, recs)
        loaded = sqlite3.connect(":memory:")
        exportlens.load_articles(loaded, src)
        want = loaded.execute("SELECT * FROM articles ORDER BY id").fetchall()
        cols = [r[1] for r in loaded.execute("PRAGMA table_info(articles)")]
        a = ed.shard_articles(src, os.path.join(tmp, "a"), 4)
        b = ed.shard_articles(src, os.path.join(tmp, "b"), 4)
        rows_a = [sqlite3.connect(p).execute("SELECT * FROM articles ORDER BY id").fetchall() for p in a]
        rows_b = [sqlite3.connect(p).execute("SELECT * FROM articles ORDER BY id").fetchall() for p in b]
        assert rows_a == rows_b, "the same collection split twice differs"
        assert all(rows_a), [len(r) for r in rows_a]
        assert [r[1] for r in sqlite3.connect(a[0]).execute("PRAGMA table_info(articles)")] == cols
        assert sorted(r for part in rows_a for r in part) == want  # every row once, same ids and columns
        # by a key: contiguous ranges of the date, no date split between two shards
        d = ed.shard_articles(src, os.path.join(tmp, "d"), 3, key="published")
        ranges = [sqlite3.connect(p).execute("SELECT min(published), max(published), count(*) FROM articles").fetchone()
                  for p in d]
        assert all(r[2] for r in ranges) and ranges[0][1] < ranges[1][0] and ranges[1][1] < ranges[2][0], ranges
        # by a function of the row: by month
        m = ed.shard_articles(src, os.path.join(tmp, "m"), 12, key=lambda r: r["published"][:7])
        months = [{r[0] for r in sqlite3.connect(p).execute("SELECT substr(published, 1, 7) FROM articles")} for p in m]
        assert all(len(x) == 1 for x in months) and len(set.union(*months)) == 12, months
        # from an SQLite connection's table
        c = ed.shard_articles(loaded, os.path.join(tmp, "c"), 4)
        assert [sqlite3.connect(p).execute("SELECT * FROM articles ORDER BY id").fetchall() for p in c] == rows_a
        # existing shards are not overwritten unless asked
        try:
            ed.shard_articles(src, os.path.join(tmp, "a"), 4)
        except FileExistsError as e:
            assert a[0] in str(e), str(e)
        else:
            raise AssertionError("existing shards were overwritten silently")
        assert ed.shard_articles(src, os.path.join(tmp, "a"), 4, overwrite=True) == a
        for bad in (0, -1, 2.5):
            try:
                ed.shard_articles(src, os.path.join(tmp, "x"), bad)
            except ValueError as e:
                assert "positive integer" in str(e)
            else:
                raise AssertionError("n=%r accepted" % (bad,))
        # a failure half-way leaves no shard and no temporary file behind
        def key(r):
            if r["id"] == 40:
                raise KeyError("no key for article 40")
            return r["published"]
        try:
            ed.shard_articles(src, os.path.join(tmp, "z"), 3, key=key)
        except KeyError as e:
            assert "article 40" in str(e)
        else:
            raise AssertionError("the key's error was lost")
        assert os.listdir(os.path.join(tmp, "z")) == [], os.listdir(os.path.join(tmp, "z"))
        # ... also when it comes while the shards are written (two articles with one path)
        loaded.execute("CREATE TABLE dup AS SELECT id, 'same' AS path, body FROM articles")
        try:
            ed.shard_articles(loaded, os.path.join(tmp, "z"), 3, table="dup")
        except sqlite3.IntegrityError as e:
            assert "path" in str(e), str(e)
        else:
            raise AssertionError("two articles with one path were accepted")
        assert os.listdir(os.path.join(tmp, "z")) == [], os.listdir(os.path.join(tmp, "z"))
        loaded.execute("CREATE TABLE nobody(id INTEGER PRIMARY KEY, text TEXT)")
        try:
            ed.shard_articles(loaded, os.path.join(tmp, "w"), 2, table="nobody")
        except ValueError as e:
            assert "no column body" in str(e), str(e)
        else:
            raise AssertionError("a table without body was accepted")
        try:
            ed.shard_articles(src, os.path.join(tmp, "y"), 2, key="nosuch")
        except ValueError as e:
            assert "nosuch" in str(e)
        else:
            raise AssertionError("an unknown key column was accepted")


def test_map_sql_without_a_client_starts_and_closes_a_local_cluster():
    with tempfile.TemporaryDirectory() as tmp:
        single = _single_db(os.path.join(tmp, "all.db"))
        paths = ed.shard_articles(single, os.path.join(tmp, "shards"), 2)
        want = pd.read_sql(_query("export_terms"), exportlens.load(sqlite3.connect(single)))
        got = ed.map_sql(paths, _query("export_terms"), sort="id", n_workers=2)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_parquet_output_needs_pyarrow():
    with tempfile.TemporaryDirectory() as tmp:
        single = _single_db(os.path.join(tmp, "all.db"))
        out = os.path.join(tmp, "out.parquet")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            t = time.monotonic()
            try:
                ed.map_sql([single], _query("export_terms"), parquet=out)
            except ImportError as e:
                assert "pyarrow" in str(e) and not os.path.exists(out), str(e)
                assert time.monotonic() - t < 5, "the check should come before any cluster starts"
            else:
                raise AssertionError("Parquet was asked without pyarrow and no error was raised")
            raise Skip("pyarrow is not installed (apt-get install python3-pyarrow): only the error was checked")
        df = ed.map_sql([single], _query("export_terms"), parquet=out, n_workers=1)
        pd.testing.assert_frame_equal(pd.read_parquet(out), df)


def test_the_scale_page_example_prints_what_it_shows():
    page = read(os.path.join(ROOT, "docs", "scale.md"))
    pairs = re.findall(r"```python\n(.*?)```\n```text\n(.*?)```", page, re.S)
    assert pairs, "docs/scale.md has no Python example followed by its output"
    for code, want in pairs:
        p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180,
                           env=ENV)
        assert p.returncode == 0, p.stderr[-2000:]
        assert p.stdout.rstrip() == want.rstrip(), "--- docs/scale.md\n%s\n--- got\n%s" % (want, p.stdout)
