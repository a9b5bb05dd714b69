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
    # The showcase views: the same values as Python's sqlite3. A computed column
    # whose first value is NULL (claim_check.difference) is described as
    # VARCHAR and its numbers arrive as text, so (as docs/bi-odbc.md advises for
    # dashboards) claim_check is read from a copy with declared column types.
    ref = sqlite3.connect(db)
    ref.enable_load_extension(True)
    ref.load_extension(ext)
    names = [r[1] for r in ref.execute("SELECT * FROM pragma_table_info('claim_check')")]
    decl = []
    for n in names:
        kinds = {k for (k,) in ref.execute('SELECT DISTINCT typeof("%s") FROM claim_check' % n)} - {"null"}
        decl.append('"%s" %s' % (n, "TEXT" if "text" in kinds or not kinds else "REAL" if "real" in kinds else "INTEGER"))
    ref.execute("DROP TABLE IF EXISTS claim_check_t")
    ref.execute("CREATE TABLE claim_check_t(%s)" % ", ".join(decl))
    ref.execute("INSERT INTO claim_check_t SELECT * FROM claim_check")
    ref.commit()
    for view, order in (("country_exposure", "iso3"), ("claim_check_t", "article_id, start"),
                        ("article_countries", "article_id, iso3"), ("article_terms", "article_id, category, canonical"),
                        ("article_claims", "article_id, start")):
        sql = "SELECT * FROM %s ORDER BY %s" % (view, order)
        want = [tuple(r) for r in ref.execute(sql).fetchall()]
        cur.execute(sql)
        got = [tuple(r) for r in cur.fetchall()]
        check("%s: %d rows equal to Python's sqlite3" % (view, len(want)), got == want and want,
              next(((g, w) for g, w in zip(got, want) if g != w), (len(got), len(want))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
