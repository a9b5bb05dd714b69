"""A typed ODBC client (pyodbc binds each column by the type the driver
describes, as BI tools do), against the DSN lines docs/bi-odbc.md recommends.
Run by tests/odbc/odbc_test.sh with ODBCINI set:

    python3 tests/odbc/typed_client.py DSN DATABASE EXTENSION

Prints test lines; "skip" when pyodbc is not installed (python3-pyodbc)."""
import sqlite3
import sys


def main(dsn, db, ext):
    try:
        import pyodbc
    except ImportError:
        print("skip - odbc typed client: pyodbc is not installed (apt-get install python3-pyodbc)")
        return 0
    failed = 0

    def check(name, cond, detail=""):
        nonlocal failed
        print(("ok - odbc typed client: %s" % name) if cond else ("not ok - odbc typed client: %s: %s" % (name, detail)))
        failed += 0 if cond else 1

    c = pyodbc.connect("DSN=" + dsn, autocommit=True)
    cur = c.cursor()
    # BigInt=1: integers beyond 32 bits arrive intact
    cur.execute("SELECT canonical FROM entities('a $3 billion deal') WHERE label = 'MONEY'")
    got = cur.fetchall()
    check("a $3 billion amount arrives as 3000000000", [tuple(r) for r in got] == [(3000000000,)], got)
    # the recipe of docs/bi-odbc.md for a column of mixed types
    cur.execute("SELECT entity, CAST(canonical AS TEXT) FROM entities('Exports fell 5% in Korea and China.') ORDER BY start")
    got = [tuple(r) for r in cur.fetchall()]
    check("CAST(canonical AS TEXT) keeps every value", got == [("5%", "5"), ("Korea", "KOR"), ("China", "CHN")], got)
    # declared types are reported as such
    cur.execute("SELECT token, start, value FROM tokens('x'), (SELECT 1.5 AS value)")
    types = [d[1] for d in cur.description]
    check("declared TEXT and INTEGER columns, a REAL value", types == [str, int, float], types)
    # The typed tables of sql/bi.sql (odbc_test.sh ran it): SQLDescribeCol
    # reports each column by its declared type (pyodbc maps SQL_BIGINT to int,
    # SQL_DOUBLE to float, SQL_LONGVARCHAR to str), and SQLColumns names it.
    ref = sqlite3.connect(db)
    ref.enable_load_extension(True)
    ref.load_extension(ext)
    pytype = {"INTEGER": int, "REAL": float, "TEXT": str}
    tables = [r[0] for r in ref.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'bi\\_%' "
                                        "ESCAPE '\\' ORDER BY name")]
    check("sql/bi.sql made the typed tables", len(tables) >= 8, tables)
    for t in tables:
        decl = [(r[1], r[2]) for r in ref.execute("SELECT * FROM pragma_table_info(?)", (t,))]
        cur.execute('SELECT * FROM "%s"' % t)
        got = [(d[0], d[1]) for d in cur.description]
        want = [(n, pytype.get(ty)) for n, ty in decl]
        check("%s: SQLDescribeCol gives INTEGER, REAL and TEXT as declared" % t, got == want and None not in dict(want).values(),
              [(g, w) for g, w in zip(got, want) if g != w] or decl)
        cols = [(r.column_name, r.type_name) for r in cur.columns(table=t)]
        check("%s: SQLColumns names the declared types" % t, cols == decl, cols)
    # the column the views describe from their first row: a number, not text
    cur.execute("SELECT difference FROM bi_claim_check WHERE difference IS NOT NULL ORDER BY article_id, start")
    diffs = [r[0] for r in cur.fetchall()]
    check("bi_claim_check.difference arrives as float", diffs and all(isinstance(d, float) for d in diffs), diffs[:3])
    # canonical split: text names whatever the first row is, numbers in value
    cur.execute("SELECT label, canonical, value FROM bi_article_entities WHERE label IN ('PERCENT', 'GPE') "
                "ORDER BY label DESC, article_id, start")
    rows = [tuple(r) for r in cur.fetchall()]
    pct = [r for r in rows if r[0] == "PERCENT"]
    gpe = [r for r in rows if r[0] == "GPE"]
    check("bi_article_entities: a PERCENT first, then country codes as text", rows and rows[0][0] == "PERCENT"
          and all(isinstance(c, str) for _, c, _ in gpe) and any(c == "KOR" for _, c, _ in gpe)
          and all(isinstance(v, float) and c is not None and float(c) == v for _, c, v in pct), rows[:3])
    # errors: SQLSTATE HY000 for an ODBC 3 client, with the documented message
    try:
        cur.execute("SELECT count(*) FROM tokens").fetchall()
        check("an error reaches pyodbc", False, "no error")
    except pyodbc.Error as e:
        check("an error reaches pyodbc as HY000 with the message", e.args[0] == "HY000"
              and "tokens(): missing argument 'text'" in e.args[1], e.args)
    # The showcase views and tables: the same values as Python's sqlite3. The
    # SQLite ODBC driver passes a REAL through text with 15 significant digits
    # (33.333333333333336 arrives as 33.3333333333333): equal to that precision.
    def same(g, w):
        return len(g) == len(w) and all(
            a == b or (isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1e-13 * max(abs(a), abs(b)))
            for a, b in zip(g, w))

    for view, order in (("country_exposure", "iso3"), ("bi_claim_check", "article_id, start"),
                        ("article_countries", "article_id, iso3"), ("article_terms", "article_id, category, canonical"),
                        ("article_claims", "article_id, start"), ("bi_article_entities", "article_id, start")):
        sql = "SELECT * FROM %s ORDER BY %s" % (view, order)
        want = [tuple(r) for r in ref.execute(sql).fetchall()]
        cur.execute(sql)
        got = [tuple(r) for r in cur.fetchall()]
        check("%s: %d rows equal to Python's sqlite3" % (view, len(want)),
              want and len(got) == len(want) and all(same(g, w) for g, w in zip(got, want)),
              next(((g, w) for g, w in zip(got, want) if not same(g, w)), (len(got), len(want))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
