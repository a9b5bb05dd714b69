"""make demo: a quiet build (no compiler lines unless V=1), the showcase left
in a database file to explore, and last lines that say how (sqlite3 with the
extension, three queries that run as printed, the notebook)."""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile

from helpers import BUILD, ROOT, connect

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")


def test_the_build_is_quiet_unless_v_is_1():
    """One object compiled into a scratch build folder: no compiler command
    printed, and the command printed with V=1."""
    d = tempfile.mkdtemp()
    try:
        outs = {}
        for v in ("", "1"):
            b = os.path.join(d, "b" + v)
            target = os.path.join(b, "obj", "common", "el_alloc.o")
            env = {k: val for k, val in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "MAKEFLAGS")}
            p = subprocess.run(["make", "--no-print-directory", "B=" + b, "V=" + v, target],
                               cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
            assert p.returncode == 0 and os.path.exists(target), p.stdout + p.stderr
            outs[v] = p.stdout
        assert not re.search(r"(^|\s)(cc|gcc|clang)\s", outs[""]), outs[""]
        assert re.search(r"-c ext/common/el_alloc.c", outs["1"]), outs["1"]
    finally:
        shutil.rmtree(d)


def test_demo_leaves_a_database_and_says_how_to_explore_it():
    d = tempfile.mkdtemp()
    db = os.path.join(d, "demo.db")
    try:
        p = subprocess.run(["bash", "sql/demo.sh"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, SQLITE3=SQLITE3, B=BUILD, DEMO_DB=db))
        assert p.returncode == 0, p.stderr
        tail = p.stdout.split("== Explore it")[-1]
        assert "sqlite3 %s -cmd '.load %s/exportlens'" % (db, BUILD) in tail, tail
        assert "examples/exportlens.ipynb" in tail.splitlines()[-2] + tail.splitlines()[-1], tail
        queries = [l.strip() for l in tail.splitlines() if l.strip().startswith("SELECT")]
        assert len(queries) == 3, queries
        conn = connect(db)
        for q in queries:
            assert conn.execute(q).fetchall(), "no rows from %s" % q
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"articles", "country_trade", "bi_claim_check", "bi_article_entities"} <= tables, tables
        # the typed tables are readable without the extension
        plain = sqlite3.connect(db)
        assert plain.execute("SELECT count(*) FROM bi_claim_check WHERE verdict = 'differs'").fetchone()[0] >= 1
        # running it again replaces the database rather than adding to it
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
        plain.close()
        p = subprocess.run(["bash", "sql/demo.sh"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, SQLITE3=SQLITE3, B=BUILD, DEMO_DB=db))
        assert p.returncode == 0, p.stderr
        assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == n
    finally:
        shutil.rmtree(d)
