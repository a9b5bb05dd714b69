"""csv_file over a file pattern (issue 17): many files read in place as one
table, with the files, columns, types and values that csv_import over the
same pattern gives; the same limits and refusals; interrupts; and a stored
schema that names a pattern still reads nothing."""
import gzip
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

from helpers import BUILD, EXT, ROOT, connect, expect_error, expect_interrupted, write_file

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")


def _dir():
    return tempfile.mkdtemp(prefix="el_csv17g_")


_write = write_file


def _vt(conn, pattern, opts="", name="temp.v"):
    conn.execute("DROP TABLE IF EXISTS %s" % name)
    conn.execute("CREATE VIRTUAL TABLE %s USING csv_file('%s'%s)" % (name, pattern.replace("'", "''"), opts))


def _typed(conn, table):
    """Every row with each value's type, in rowid order."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(%s)" % table)]
    sel = ", ".join('"%s", typeof("%s")' % (c, c) for c in cols)
    return cols, conn.execute("SELECT %s FROM %s ORDER BY rowid" % (sel, table)).fetchall()


MONTHS = {
    "2024_01.csv": "id,name,score,code\n1,a,1,007\n2,b,2,010\n",
    "2024_02.csv": "name;id;extra\nc;3;x\nd;4;00123\n",   # other order, delimiter, no score
    "2024_03.csv.gz": gzip.compress(b"ID,score,when\n5,2.5,2024-03-01\n"),  # case, gzip, a date
    "notes.txt": "not matched\n",
}


def test_csv_file_over_a_pattern_unites_columns_by_name_as_csv_import_does():
    d = _dir()
    try:
        for n, data in MONTHS.items():
            _write(d, n, data)
        pat = os.path.join(d, "2024_*")
        f = [os.path.join(d, n) for n in ("2024_01.csv", "2024_02.csv", "2024_03.csv.gz")]
        conn = connect()
        _vt(conn, pat)
        cols = [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(v)")]
        assert cols == [("id", "INTEGER"), ("name", "TEXT"), ("score", "REAL"), ("code", "TEXT"),
                        ("extra", "TEXT"), ("when", "DATE"), ("filename", "TEXT")], cols
        got = conn.execute("SELECT id, name, score, extra, typeof(extra), \"when\", filename FROM v").fetchall()
        assert got == [(1, "a", 1.0, None, "null", None, f[0]), (2, "b", 2.0, None, "null", None, f[0]),
                       (3, "c", None, "x", "text", None, f[1]), (4, "d", None, "00123", "text", None, f[1]),
                       (5, None, 2.5, None, "null", "2024-03-01", f[2])], got
        # the same table, row for row and type for type, as csv_import over the pattern
        assert conn.execute("SELECT csv_import(?, 'imp')", (pat,)).fetchone() == (5,)
        assert [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(imp)")] == cols
        vc, vrows = _typed(conn, "v")
        ic, irows = _typed(conn, "imp")
        assert vc == ic and vrows == irows, (vrows, irows)
        # options apply to every file, each still sniffed for its own dialect
        _vt(conn, pat, ", types=text")
        conn.execute("SELECT csv_import(?, 'imp_text', 'types=text')", (pat,))
        assert {r[2] for r in conn.execute("PRAGMA table_info(v)")} == {"TEXT"}
        assert _typed(conn, "v") == _typed(conn, "imp_text")
        assert conn.execute("SELECT code FROM v WHERE id = '1'").fetchone() == ("007",)
        # a query of some columns reads the others as they are in each file
        _vt(conn, pat)
        assert conn.execute("SELECT filename, count(*) FROM v GROUP BY 1 ORDER BY 1").fetchall() == \
            [(f[0], 2), (f[1], 2), (f[2], 1)]
        assert conn.execute("SELECT sum(id), group_concat(extra) FROM v").fetchone() == (15, "x,00123")
        # each query reads the files matching then: a new month is read, a new column is an error
        _write(d, "2024_04.csv", "score,id\n9.5,6\n")
        assert conn.execute("SELECT id, score, filename FROM v WHERE id = 6").fetchone() == \
            (6, 9.5, os.path.join(d, "2024_04.csv"))
        _write(d, "2024_05.csv", "id,region\n7,north\n")
        e = expect_error(conn, "SELECT * FROM v", "has a column \"region\" that the table does not have")
        assert os.path.join(d, "2024_05.csv") in e, e
    finally:
        shutil.rmtree(d)


def test_csv_file_over_a_pattern_refuses_what_csv_import_refuses():
    d = _dir()
    try:
        rows = "id,v\n" + "".join("%d,%d\n" % (i, i) for i in range(100))
        for n in ("a.csv", "b.csv"):
            _write(d, n, rows)
        conn = connect()
        pat = os.path.join(d, "*.csv")
        # no match: the pattern is named
        e = expect_error(conn, "CREATE VIRTUAL TABLE temp.v USING csv_file('%s')" % os.path.join(d, "*.tsv"),
                         "csv_file: no file matches '%s'" % os.path.join(d, "*.tsv"))
        # a bad row under strict=yes: file, line and column; without it, a reject of that file
        _write(d, "c.csv", rows + "100,x,extra\n")
        _vt(conn, pat, ", strict=yes")
        e = expect_error(conn, "SELECT count(*) FROM v", "line 102, column 3: too many fields")
        assert os.path.join(d, "c.csv") in e, e
        _vt(conn, pat)
        assert conn.execute("SELECT count(*) FROM v").fetchone() == (301,)
        assert conn.execute("SELECT file, line, \"column\" FROM temp.csv_rejects").fetchall() == \
            [(os.path.join(d, "c.csv"), 102, 3)]
        # a damaged gzip member among the files names that file
        gz = gzip.compress(rows.encode())
        _write(d, "d.csv", gz[: len(gz) // 2])
        e = expect_error(conn, "SELECT count(*) FROM v", "truncated")
        assert os.path.join(d, "d.csv") in e, e
        e = expect_error(conn, "CREATE VIRTUAL TABLE temp.w USING csv_file('%s')" % pat, "truncated")
        assert os.path.join(d, "d.csv") in e, e
        # filename = '...' reads that file alone: the damaged one is not opened
        a = os.path.join(d, "a.csv")
        assert conn.execute("SELECT count(*), min(filename) FROM v WHERE filename = ?", (a,)).fetchone() == (100, a)
        assert conn.execute("SELECT count(*) FROM v WHERE filename = ? AND id < 10", (a.upper(),)).fetchone() == (0,)
        expect_error(conn, "SELECT count(*) FROM v WHERE filename = ? COLLATE NOCASE", "truncated", (a.upper(),))
        expect_error(conn, "SELECT count(*) FROM v WHERE filename IN (?, ?)", "truncated", (a, os.path.join(d, "d.csv")))
        os.unlink(os.path.join(d, "d.csv"))
        # a matched directory or FIFO is refused by name, never read
        os.mkdir(os.path.join(d, "sub.csv"))
        expect_error(conn, "CREATE VIRTUAL TABLE temp.w USING csv_file('%s')" % pat,
                     "cannot read %s: it is a directory" % os.path.join(d, "sub.csv"))
        expect_error(conn, "SELECT count(*) FROM v", "cannot read %s: it is a directory" % os.path.join(d, "sub.csv"))
        os.rmdir(os.path.join(d, "sub.csv"))
        os.mkfifo(os.path.join(d, "fifo.csv"))
        expect_error(conn, "CREATE VIRTUAL TABLE temp.w USING csv_file('%s')" % pat,
                     "cannot read %s: it is a pipe (FIFO)" % os.path.join(d, "fifo.csv"))
        os.unlink(os.path.join(d, "fifo.csv"))
        # a column named filename; schema=; more than 1000 files
        other = os.path.join(d, "other")
        os.mkdir(other)
        _write(other, "x.csv", "filename,b\nq,1\n")
        expect_error(conn, "CREATE VIRTUAL TABLE temp.w USING csv_file('%s')" % os.path.join(other, "*"),
                     "x.csv has a column named \"filename\"")
        expect_error(conn, "CREATE VIRTUAL TABLE temp.w USING csv_file('%s', schema='CREATE TABLE x(a)')" % pat,
                     "schema= cannot be used")
        many = os.path.join(d, "many")
        os.mkdir(many)
        for i in range(1001):
            _write(many, "f%04d.csv" % i, "a\n1\n")
        expect_error(conn, "CREATE VIRTUAL TABLE temp.w USING csv_file('%s')" % os.path.join(many, "*.csv"),
                     "matches 1001 files, more than the 1000")
        os.unlink(os.path.join(many, "f1000.csv"))
        _vt(conn, os.path.join(many, "*.csv"))
        assert conn.execute("SELECT count(*), count(DISTINCT filename), sum(a) FROM v").fetchone() == (1000, 1000, 1000)
        # the files gone since CREATE: the pattern is named
        shutil.rmtree(many)
        expect_error(conn, "SELECT * FROM v", "csv_file: no file matches '%s'" % os.path.join(many, "*.csv"))
    finally:
        shutil.rmtree(d)


def test_interrupt_acts_while_csv_file_reads_a_pattern():
    """sqlite3_interrupt stops CREATE (which reads every file for its types)
    and a scan over many files, during the read, not after it."""
    d = _dir()
    try:
        line = "kr,seoul,Seoul,11,9776000,37.5665,126.978\n"
        head = "cc,city,accent,region,pop,lat,lon\n"
        for i in range(4):
            _write(d, "part%d.csv" % i, head + line * 300000)
        _write(d, "part9.csv.gz", gzip.compress((head + line * 300000).encode(), 1))
        pat = os.path.join(d, "part*")
        c = sqlite3.connect(":memory:", check_same_thread=False)
        c.enable_load_extension(True)
        c.load_extension(EXT)
        c.isolation_level = None
        t0 = time.time()
        c.execute("CREATE VIRTUAL TABLE whole USING csv_file('%s')" % pat)
        create = time.time() - t0
        t0 = time.time()
        assert c.execute("SELECT count(*), count(DISTINCT filename) FROM whole").fetchone() == (1500000, 5)
        scan = time.time() - t0
        for sql, whole in (("CREATE VIRTUAL TABLE l USING csv_file('%s')" % pat, create),
                           ("SELECT count(*), sum(pop) FROM whole", scan)):
            took = expect_interrupted(c, sql)
            assert took < whole / 2 + 0.05, (sql, took, whole)
        assert c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'l'").fetchone()[0] == 0
    finally:
        shutil.rmtree(d)


def _shell(db, sql, timeout=30):
    p = subprocess.run([SQLITE3, "-batch", "-cmd", ".load " + os.path.join(ROOT, BUILD, "exportlens"), db],
                       input=sql, capture_output=True, text=True, timeout=timeout)
    return p.stdout, p.stderr


def test_stored_schema_naming_a_pattern_reads_no_file():
    """A database whose csv_file table reads a pattern: its views and triggers
    cannot read the files, whatever trusted_schema says; reopening it
    declares the table without listing or opening a file (they may be gone);
    the user's own query reads them."""
    d = _dir()
    try:
        data = os.path.join(d, "data")
        os.mkdir(data)
        _write(data, "a.csv", "k,secret\n1,s1\n")
        _write(data, "b.csv", "secret,k\ns2,2\n")
        db = os.path.join(d, "shared.db")
        c = connect(db)
        c.execute("CREATE VIRTUAL TABLE t USING csv_file('%s')" % os.path.join(data, "*.csv"))
        c.execute("CREATE VIEW v AS SELECT * FROM t")
        c.execute("CREATE TABLE log(x)")
        c.execute("CREATE TABLE loot(secret)")
        c.execute("CREATE TRIGGER tr AFTER INSERT ON log BEGIN INSERT INTO loot SELECT secret FROM t; END")
        c.commit()
        c.close()
        for trusted in ("OFF", "ON"):
            out, err = _shell(db, "PRAGMA trusted_schema=%s;\nSELECT * FROM v;\nINSERT INTO log VALUES (1);\n"
                                  "SELECT count(*) FROM loot;\nSELECT k, secret FROM t ORDER BY k;\n" % trusted)
            assert err.count('unsafe use of virtual table "t"') == 2, err
            assert out.split() == ["0", "1|s1", "2|s2"], out
        # connecting lists and opens nothing: with the files gone, the table is still declared
        shutil.rmtree(data)
        out, err = _shell(db, "PRAGMA table_info(t);\nSELECT * FROM t;\n")
        assert [l.split("|")[1] for l in out.split()] == ["k", "secret", "filename"], out
        assert "csv_file: no file matches '%s'" % os.path.join(data, "*.csv") in err, err
    finally:
        shutil.rmtree(d)
