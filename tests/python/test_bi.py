"""sql/bi.sql (and exportlens.create_bi_tables): the showcase views copied
into tables whose every column has a declared type (INTEGER, REAL or TEXT)
that its values keep, so that ODBC clients see the same types on every
refresh; bi_article_entities splits entities().canonical into a TEXT
canonical and a REAL value. (tests/odbc/typed_client.py checks what pyodbc
sees.)"""
import os
import sys

from helpers import EXT, ROOT, connect

sys.path.insert(0, ROOT)
import exportlens  # noqa: E402

VIEWS = ("article_countries", "article_terms", "article_quotes", "article_claims", "country_trade_latest",
         "country_exposure", "claim_check")
OK = {"INTEGER": {"integer", "null"}, "REAL": {"real", "null"}, "TEXT": {"text", "null"}}


def _showcase():
    os.environ.setdefault("EXPORTLENS_EXT", EXT)
    conn = connect()
    exportlens.load_articles(conn, os.path.join(ROOT, "sql", "data", "articles"))
    exportlens.load_dataset(conn)
    exportlens.create_views(conn)
    exportlens.create_bi_tables(conn)
    return conn


def test_every_view_has_a_typed_table_with_the_same_rows():
    conn = _showcase()
    for v in VIEWS:
        t = "bi_" + v
        vcols = [r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (v,))]
        tcols = [(r[1], r[2]) for r in conn.execute("SELECT * FROM pragma_table_info(?)", (t,))]
        assert [n for n, _ in tcols] == vcols, (t, tcols, vcols)
        for name, decl in tcols:
            assert decl in OK, "%s.%s is declared %r" % (t, name, decl)
            kinds = {k for (k,) in conn.execute('SELECT DISTINCT typeof("%s") FROM "%s"' % (name, t))}
            assert kinds <= OK[decl], "%s.%s (%s) holds %s" % (t, name, decl, kinds)
        want = sorted(map(repr, conn.execute("SELECT * FROM %s" % v).fetchall()))
        got = sorted(map(repr, conn.execute("SELECT * FROM %s" % t).fetchall()))
        assert got == want, t
    # the column that made a BI tool see text: a REAL column of numbers
    assert conn.execute("SELECT count(*) FROM bi_claim_check WHERE typeof(difference) = 'real'").fetchone()[0] > 0


def test_entities_canonical_is_split_into_text_and_value():
    conn = _showcase()
    n = conn.execute("SELECT count(*) FROM articles a, entities(a.body)").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM bi_article_entities").fetchone()[0] == n
    rows = conn.execute("SELECT label, canonical, value FROM bi_article_entities").fetchall()
    assert {type(c) for _, c, _ in rows} <= {str, type(None)}
    money = [(c, v) for l, c, v in rows if l in ("MONEY", "PERCENT")]
    assert money and all(isinstance(v, float) and float(c) == v for c, v in money), money[:3]
    assert all(v is None for l, _, v in rows if l not in ("MONEY", "PERCENT"))
    assert ("GPE", "KOR", None) in rows


def test_running_it_again_replaces_the_tables():
    conn = _showcase()
    before = conn.execute("SELECT count(*) FROM bi_claim_check").fetchone()[0]
    exportlens.create_bi_tables(conn)
    assert conn.execute("SELECT count(*) FROM bi_claim_check").fetchone()[0] == before
