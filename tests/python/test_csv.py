"""CSV import from Python: the real trade files (when ../shared is present),
errors, limits, transactions and the trust level of csv_file / csv_import."""
import json
import os
import sqlite3
import tempfile

from helpers import ROOT, connect, expect_error, shared

FIX = os.path.join(ROOT, "tests", "fixtures", "csv")


def _tmp(data, suffix=".csv"):
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


# --- the real downloads ------------------------------------------------------

def test_wdi_download_with_no_options():
    path = shared("trade", "wdi_exports_pct_gdp.csv")
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE wdi USING csv_file(?)".replace("?", "'%s'" % path))
    cols = conn.execute("SELECT name, type FROM pragma_table_info('wdi')").fetchall()
    assert cols[0] == ("Country Name", "TEXT") and cols[1] == ("Country Code", "TEXT"), cols[:2]
    assert ("2022", "REAL") in cols and ("1960", "REAL") in cols, cols
    assert len(cols) == 68 and cols[-1][0] == "column68", cols[-1]
    assert conn.execute("SELECT count(*) FROM wdi").fetchone()[0] == 266
    v = conn.execute("""SELECT "2022" FROM wdi WHERE "Country Name" = 'Korea, Rep.'""").fetchone()[0]
    assert isinstance(v, float) and abs(v - 48.2565227414909) < 1e-12, v
    # nothing rejected, nothing lost: every non-empty cell is numeric in the year columns
    assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0
    n_text = conn.execute("""SELECT count(*) FROM wdi WHERE typeof("2000") = 'text'""").fetchone()[0]
    assert n_text == 0, n_text


def test_wdi_csv_import():
    path = shared("trade", "wdi_exports_pct_gdp.csv")
    conn = connect()
    assert conn.execute("SELECT csv_import(?, 'wdi')", (path,)).fetchone()[0] == 266
    row = conn.execute("""SELECT "Country Code", typeof("2022"), "2022" FROM wdi
                          WHERE "Country Name" = 'Korea, Rep.'""").fetchone()
    assert row[0] == "KOR" and row[1] == "real" and abs(row[2] - 48.2565227414909) < 1e-12, row
    sniff = json.loads(conn.execute("SELECT csv_sniff(?)", (path,)).fetchone()[0])
    assert sniff["skip"] == 4 and sniff["header"] is True and sniff["bom"] is True, sniff
    assert sniff["rows_sampled"] == 266 and sniff["rejects_sampled"] == 0
    # the statement csv_sniff proposes runs and reads the same rows
    conn.execute(sniff["sql"])
    assert conn.execute('SELECT count(*) FROM "wdi_exports_pct_gdp"').fetchone()[0] == 266


def test_comtrade_latin1():
    path = shared("trade", "comtrade_ic_exports_hs8542.csv")
    conn = connect()
    assert conn.execute("SELECT csv_import(?, 'ct')", (path,)).fetchone()[0] == 1686
    names = {r[0] for r in conn.execute("SELECT DISTINCT reporterDesc FROM ct")}
    assert "C\u00f4te d'Ivoire" in names and "T\u00fcrkiye" in names and "Cura\u00e7ao" in names
    cols = [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('ct')")]
    # the header has 47 names; every row ends with a comma: a 48th column, named
    assert len(cols) == 48 and cols[0] == "typeCode" and cols[-1] == "column48", cols[-3:]
    assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0
    enc = json.loads(conn.execute("SELECT csv_sniff(?)", (path,)).fetchone()[0])["encoding"]
    assert enc == "latin1"
    t = conn.execute("SELECT typeof(primaryValue), typeof(refYear), typeof(cmdCode) FROM ct LIMIT 1").fetchone()
    assert t == ("real", "integer", "integer"), t


def test_kosis_monthly():
    path = shared("trade", "kosis_korea_china_trade_monthly.csv")
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE k USING csv_file('%s')" % path)
    assert conn.execute("SELECT count(*) FROM k").fetchone()[0] == 228
    assert [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('k')")] == \
        ["Country", "Date", "Exports", "Imports"]
    # "2001.10" is October: the period column stays text, unchanged
    row = conn.execute("SELECT Exports, Imports, typeof(Exports) FROM k WHERE Date = '2001.10'").fetchone()
    assert row == (1485592, 1215553, "integer"), row
    assert conn.execute("SELECT count(DISTINCT Date) FROM k").fetchone()[0] == 228


# --- errors --------------------------------------------------------------------

def test_option_errors_name_the_option():
    conn = connect()
    lf = os.path.join(FIX, "lf.csv")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('%s', colour=red)" % lf, "unknown option 'colour'")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('%s', skip=1, skip=2)" % lf, "duplicate option 'skip'")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('%s', delimiter=':::::')" % lf, "bad value for delimiter")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('%s', header=maybe)" % lf, "bad value for header")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('%s', sample=-5)" % lf, "bad value for sample")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('%s', strict=perhaps)" % lf, "bad value for strict")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file()", "missing file name")
    expect_error(conn, "CREATE VIRTUAL TABLE a USING csv_file('/no/such/file.csv')", "cannot open /no/such/file.csv")
    expect_error(conn, "SELECT csv_import(?, 't', 'nope=1')", "unknown option 'nope'", (lf,))
    expect_error(conn, "SELECT csv_sniff(?, 'header=yes; header=no')", "duplicate option 'header'", (lf,))
    expect_error(conn, "SELECT csv_sniff(NULL)", "file name must be text")
    expect_error(conn, "SELECT csv_sniff(x'00')", "file name must be text")
    expect_error(conn, "SELECT csv_import(?, '')", "table name", (lf,))
    expect_error(conn, "SELECT csv_import(?, 't', 'schema=CREATE TABLE')", "cannot read the columns", (lf,))


def test_strict_errors_name_file_line_column():
    conn = connect()
    cases = [
        ("ragged.csv", "line 3, column 3: too few fields"),
        ("unterminated.csv", "line 3, column 2: unterminated quoted field"),
        ("invalid_utf8.csv", "line 3, column 2: invalid UTF-8"),
        ("nul.csv", "line 2, column 2: NUL byte"),
    ]
    for i, (name, frag) in enumerate(cases):
        p = os.path.join(FIX, name)
        conn.execute("CREATE VIRTUAL TABLE s%d USING csv_file('%s', strict=yes%s)"
                     % (i, p, ", encoding=utf8" if "utf8" in name else ""))
        msg = expect_error(conn, "SELECT * FROM s%d" % i, frag)
        assert p in msg, msg
        expect_error(conn, "SELECT csv_import(?, 'x%d', 'strict=yes%s')" % (i, "; encoding=utf8" if "utf8" in name else ""),
                     frag, (p,))
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x%d'" % i).fetchone()[0] == 0
    # malformed quoting is an error only in strict mode
    p = _tmp(b'a,b\n"x"y,z\n1,2\n')
    try:
        conn.execute("CREATE VIRTUAL TABLE q USING csv_file('%s', strict=yes)" % p)
        expect_error(conn, "SELECT * FROM q", "malformed quoting")
    finally:
        os.unlink(p)


def test_too_long_field():
    big = b"id,text\n1," + b"x" * 300000 + b"\n2,short\n"
    p = _tmp(big)
    try:
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE a USING csv_file('%s')" % p)
        assert conn.execute("SELECT length(text) FROM a WHERE id = 1").fetchone()[0] == 300000
        conn.execute("CREATE VIRTUAL TABLE b USING csv_file('%s', max_field_size=1000)" % p)
        assert conn.execute("SELECT text IS NULL FROM b WHERE id = 1").fetchone()[0] == 1
        assert conn.execute("SELECT text FROM b WHERE id = 2").fetchone()[0] == "short"
        r = conn.execute("SELECT line, \"column\", error FROM temp.csv_rejects").fetchall()
        assert r == [(2, 2, "field too long")], r
        conn.execute("CREATE VIRTUAL TABLE c USING csv_file('%s', max_field_size=1000, strict=yes)" % p)
        expect_error(conn, "SELECT * FROM c", "line 2, column 2: field too long")
    finally:
        os.unlink(p)


def test_file_larger_than_buffers_streams():
    rows = 200000
    lines = [b"id,name,value,code"]
    for i in range(rows):
        if i % 5000 == 3:
            lines.append(b'%d,"multi\nline, %d",%d.25,%05d' % (i, i, i, i % 1000))
        else:
            lines.append(b"%d,name %d,%d.25,%05d" % (i, i, i, i % 1000))
    p = _tmp(b"\r\n".join(lines) + b"\r\n")
    try:
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE big USING csv_file('%s')" % p)
        r = conn.execute("SELECT count(*), sum(id), sum(value), count(DISTINCT code) FROM big").fetchone()
        assert r == (rows, rows * (rows - 1) // 2, sum(i + 0.25 for i in range(rows)), 1000), r
        assert conn.execute("SELECT name FROM big WHERE id = 5003").fetchone()[0] == "multi\nline, 5003"
        assert conn.execute("SELECT typeof(code), code FROM big WHERE id = 7").fetchone() == ("text", "00007")
        assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0
    finally:
        os.unlink(p)


# --- transactions ----------------------------------------------------------------

def test_import_rolls_back_on_error():
    conn = connect()
    conn.isolation_level = None
    good = os.path.join(FIX, "lf.csv")
    bad = _tmp(b"id,city,pop\n4,Daegu,2385000\n5,Daejeon\n")
    try:
        assert conn.execute("SELECT csv_import(?, 'cities')", (good,)).fetchone()[0] == 3
        expect_error(conn, "SELECT csv_import(?, 'cities', 'strict=yes; mode=append')", "too few fields", (bad,))
        assert conn.execute("SELECT count(*) FROM cities").fetchone()[0] == 3  # nothing half-imported
        # inside a transaction: a savepoint, rolled back alone
        conn.execute("BEGIN")
        conn.execute("INSERT INTO cities VALUES (9, 'Ulsan', 1100000)")
        expect_error(conn, "SELECT csv_import(?, 'cities', 'strict=yes; mode=append')", "too few fields", (bad,))
        assert conn.execute("SELECT count(*) FROM cities").fetchone()[0] == 4
        assert conn.execute("SELECT csv_import(?, 'cities', 'mode=append')", (bad,)).fetchone()[0] == 2
        conn.execute("ROLLBACK")
        assert conn.execute("SELECT count(*) FROM cities").fetchone()[0] == 3
        # non-strict: the short row is kept, padded, and recorded
        assert conn.execute("SELECT csv_import(?, 'cities', 'mode=append')", (bad,)).fetchone()[0] == 2
        assert conn.execute("SELECT pop IS NULL FROM cities WHERE id = 5").fetchone()[0] == 1
        r = conn.execute("SELECT line, error FROM temp.csv_rejects WHERE file = ?", (bad,)).fetchall()
        assert r == [(3, "too few fields (expected 3, got 2)")], r
        # a file with other columns is refused, naming them
        expect_error(conn, "SELECT csv_import(?, 'cities', 'mode=append')",
                     'table main.cities has no column "name" (its columns: id, city, pop)',
                     (os.path.join(FIX, "pipe.csv"),))
    finally:
        os.unlink(bad)


def test_import_shares_its_statement():
    """csv_import creates no temporary table, so other reads in the same
    statement, and several imports in one statement, run to the end."""
    conn = connect()
    conn.isolation_level = None
    good = os.path.join(FIX, "lf.csv")
    conn.execute("CREATE TABLE files(name TEXT)")
    conn.executemany("INSERT INTO files VALUES (?)", [("a",), ("b",)])
    r = conn.execute("SELECT csv_import(?, 'c1'), (SELECT count(*) FROM files)", (good,)).fetchall()
    assert r == [(3, 2)], r
    # one import per row of a table that the statement is still reading
    r = conn.execute("SELECT name, csv_import(?, 'per_' || name) FROM files ORDER BY name", (good,)).fetchall()
    assert r == [("a", 3), ("b", 3)], r
    assert conn.execute("SELECT count(*) FROM per_a").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM per_b").fetchone()[0] == 3
    r = conn.execute("SELECT csv_import(?, 'x1'), csv_import(?, 'x2')", (good, good)).fetchall()
    assert r == [(3, 3)], r
    # a constraint of the table refuses a row: the whole import is rolled back, the batch named
    nn = _tmp(b"a,b\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(100)) + b",7\n8,9\n")
    try:
        conn.execute("CREATE TABLE nn(a INTEGER NOT NULL, b INTEGER)")
        expect_error(conn, "SELECT csv_import(?, 'nn', 'mode=append')",
                     "in the 38 rows ending at line 103: NOT NULL constraint failed: nn.a", (nn,))
        assert conn.execute("SELECT count(*) FROM nn").fetchone()[0] == 0
    finally:
        os.unlink(nn)
    # inside a statement that writes: a clear error, and nothing half-done
    conn.execute("CREATE TABLE log(n INTEGER)")
    expect_error(conn, "INSERT INTO log SELECT csv_import(?, 'x3')",
                 "csv_import: cannot import while another statement is writing", (good,))
    assert conn.execute("SELECT count(*) FROM log").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x3'").fetchone()[0] == 0


def test_directonly():
    conn = connect()
    lf = os.path.join(FIX, "lf.csv")
    conn.execute("CREATE VIRTUAL TABLE c USING csv_file('%s')" % lf)
    conn.execute("CREATE VIEW v AS SELECT * FROM c")
    expect_error(conn, "SELECT * FROM v", "unsafe use of virtual table")
    conn.execute("CREATE VIEW v2 AS SELECT csv_sniff('%s') AS j" % lf)
    expect_error(conn, "SELECT * FROM v2", "unsafe use of csv_sniff")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT csv_import('%s', 'z'); END" % lf)
    expect_error(conn, "INSERT INTO t VALUES (1)", "unsafe use of csv_import")


def test_hostile_inputs():
    conn = connect()
    # a directory, a binary blob of a file, a huge option value, many columns
    expect_error(conn, "SELECT csv_sniff('/')", "")
    junk = _tmp(bytes(range(256)) * 64)
    wide = _tmp((",".join("c%d" % i for i in range(3000)) + "\n").encode())
    try:
        conn.execute("CREATE VIRTUAL TABLE j USING csv_file('%s')" % junk)
        conn.execute("SELECT * FROM j").fetchall()
        expect_error(conn, "SELECT csv_sniff(?, ?)", "unknown option", (junk, "x" * 100000 + "=1"))
        conn.execute("CREATE VIRTUAL TABLE w USING csv_file('%s')" % wide)
        assert conn.execute("SELECT count(*) FROM pragma_table_info('w')").fetchone()[0] == 2000
    finally:
        os.unlink(junk)
        os.unlink(wide)
