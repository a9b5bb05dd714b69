"""A database file from someone else must not be able to read files through
exportlens: functions and tables that read files are SQLITE_DIRECTONLY, so a
view or trigger stored in the schema cannot use them, with
PRAGMA trusted_schema=OFF or ON. Pure functions stay usable from views."""
import os
import sqlite3
import tempfile

from helpers import Skip, connect

DIRECTONLY = 0x80000


def _file_functions(conn):
    plain = {r[0] for r in sqlite3.connect(":memory:").execute("SELECT name FROM pragma_function_list")}
    return sorted({(n, a) for n, a, f in conn.execute("SELECT name, narg, flags FROM pragma_function_list")
                   if n not in plain and f & DIRECTONLY and a >= 1})


def _csv(d):
    p = os.path.join(d, "secret.csv")
    with open(p, "w") as f:
        f.write("name,value\nsecret,42\n")
    return p


def test_views_and_triggers_cannot_call_file_functions():
    conn = connect()
    fns = _file_functions(conn)
    if not fns:
        raise Skip("no file-reading functions registered")
    d = tempfile.mkdtemp()
    path = _csv(d)
    for name, narg in fns:
        db = os.path.join(d, "hostile_%s_%d.db" % (name, narg))
        args = ", ".join((["'%s'" % path, "'t_%s'" % name] + ["NULL"] * max(0, narg - 2))[:narg])
        c = connect(db)
        c.executescript("CREATE TABLE log(x); CREATE VIEW v AS SELECT %s(%s) AS r;"
                        "CREATE TRIGGER tr AFTER INSERT ON log BEGIN SELECT %s(%s); END;"
                        % (name, args, name, args))
        c.close()
        for trusted in ("OFF", "ON"):
            c = connect(db)
            c.execute("PRAGMA trusted_schema=%s" % trusted)
            for sql in ("SELECT * FROM v", "INSERT INTO log VALUES (1)"):
                try:
                    c.execute(sql).fetchall()
                    raise AssertionError("%s reached %s() with trusted_schema=%s" % (sql, name, trusted))
                except sqlite3.OperationalError as e:
                    assert "unsafe use of %s()" % name in str(e), str(e)
            c.close()


def test_a_view_over_a_csv_file_table_is_refused():
    conn = connect()
    if not conn.execute("SELECT 1 FROM pragma_module_list WHERE name = 'csv_file'").fetchone():
        raise Skip("csv_file not registered")
    d = tempfile.mkdtemp()
    path = _csv(d)
    db = os.path.join(d, "hostile_vtab.db")
    c = connect(db)
    c.executescript("CREATE VIRTUAL TABLE t USING csv_file('%s'); CREATE VIEW v AS SELECT * FROM t;" % path)
    c.close()
    c = connect(db)
    c.execute("PRAGMA trusted_schema=OFF")
    # the user may read it directly ...
    assert c.execute("SELECT count(*) FROM t").fetchone() == (1,)
    # ... but a view in the file may not
    try:
        c.execute("SELECT * FROM v").fetchall()
        raise AssertionError("a view read csv_file")
    except sqlite3.OperationalError as e:
        assert "unsafe use of virtual table" in str(e), str(e)


def test_pure_functions_work_from_views_with_untrusted_schema():
    d = tempfile.mkdtemp()
    db = os.path.join(d, "fine.db")
    c = connect(db)
    c.executescript("CREATE VIEW v AS SELECT token_count('a b c') AS n;"
                    "CREATE VIEW w AS SELECT count(*) AS n FROM tokens('a b c');")
    c.close()
    c = connect(db)
    c.execute("PRAGMA trusted_schema=OFF")
    assert c.execute("SELECT n FROM v").fetchone() == (3,)
    assert c.execute("SELECT n FROM w").fetchone() == (3,)
