"""CSV import that never hangs and never changes a value (issue 13): devices,
FIFOs, ptys and sockets refused by name, from the shell and from a hostile
database; whole-file types and late values; missing-value markers;
qualified targets; mode=create|append|replace; the write lock and
busy_timeout with concurrent importers; 2,000 columns; an unterminated
quote; disk full inside the caller's transaction; interrupts."""
import os
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time

from helpers import BUILD, ROOT, connect, expect_error, expect_interrupted, write_file

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")
DEVICE_ERR = "it is a character device (only regular files are read"


def _dir():
    return tempfile.mkdtemp(prefix="el_csv13_")


_write = write_file


def _conn(path=":memory:", timeout=5.0):
    c = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
    c.enable_load_extension(True)
    c.load_extension(os.path.join(ROOT, BUILD, "exportlens"))
    c.isolation_level = None
    return c


def _shell(db, sql, timeout=30):
    """The sqlite3 shell in a process of its own, so that a hang fails the test
    instead of stopping the run."""
    p = subprocess.run([SQLITE3, "-batch", "-cmd", ".load " + os.path.join(ROOT, BUILD, "exportlens"), db],
                       input=sql, capture_output=True, text=True, timeout=timeout)
    return p.stdout, p.stderr


# --- devices, FIFOs, ptys, sockets ------------------------------------------

def _specials(d):
    fifo = os.path.join(d, "f.csv")
    os.mkfifo(fifo)
    sock_path = os.path.join(d, "s.csv")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(sock_path)
    master, slave = os.openpty()
    pty = os.ttyname(slave)
    specials = [("/dev/zero", "it is a character device"), ("/dev/null", "it is a character device"),
                (fifo, "it is a pipe (FIFO)"), (sock_path, "it is a socket"), (pty, "it is a character device")]
    return specials, (sock, master, slave)


def test_devices_fifos_ptys_sockets_are_refused_by_name():
    d = _dir()
    specials, keep = _specials(d)
    try:
        sql = []
        for i, (path, _) in enumerate(specials):
            sql.append("SELECT csv_sniff('%s');" % path)
            sql.append("CREATE VIRTUAL TABLE v%d USING csv_file('%s');" % (i, path))
            sql.append("SELECT csv_import('%s', 't%d');" % (path, i))
        _, err = _shell(":memory:", "\n".join(sql))
        lines = [l for l in err.splitlines() if l.strip()]
        assert len(lines) == 3 * len(specials), err
        for i, (path, what) in enumerate(specials):
            for line in lines[3 * i:3 * i + 3]:
                assert "cannot read %s: %s" % (path, what) in line, line
    finally:
        keep[0].close()
        os.close(keep[1])
        os.close(keep[2])


def _hostile(d, name, sql_of_t, extra=""):
    """A database whose schema names a file table that its author never
    created with csv_file (written through writable_schema)."""
    db = os.path.join(d, name)
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE x(a)")
    c.execute("PRAGMA writable_schema=ON")
    c.execute("INSERT INTO sqlite_schema VALUES('table', 't', 't', 0, ?)", (sql_of_t,))
    c.execute("INSERT INTO sqlite_schema VALUES('view', 'v', 'v', 0, 'CREATE VIEW v AS SELECT * FROM t')")
    if extra:
        c.executescript(extra)
    c.commit()
    c.close()
    return db


def test_hostile_database_naming_a_device_never_hangs():
    d = _dir()
    db = _hostile(d, "zero.db", "CREATE VIRTUAL TABLE t USING csv_file('/dev/zero')")
    for trusted in ("OFF", "ON"):
        out, err = _shell(db, "PRAGMA trusted_schema=%s;\n.schema\nPRAGMA table_info(t);\n"
                              "SELECT * FROM v;\nSELECT * FROM t;\n" % trusted)
        assert "CREATE VIEW v AS SELECT * FROM t" in out, out
        # connecting the table opened no file: it has no stored description
        assert "csv_file_error" in out, out
        assert 'unsafe use of virtual table "t"' in err, err
        assert "csv_file: table t has no stored description" in err, err
    # the table can still be dropped
    out, err = _shell(db, "DROP TABLE t; DROP VIEW v; SELECT count(*) FROM sqlite_master;")
    assert out.strip() == "1" and not err, (out, err)


def test_hostile_database_with_a_forged_description_reads_nothing_special():
    """The description is the attacker's too; it decides only the declared
    columns. The file is opened when the user reads the table directly, and a
    device, FIFO or pty is then refused by name."""
    d = _dir()
    specials, keep = _specials(d)
    try:
        good = _write(d, "good.csv", "a,b\n1,2\n")
        for i, (path, what) in enumerate(specials):
            db = os.path.join(d, "forged%d.db" % i)
            c = connect(db)
            c.execute("CREATE VIRTUAL TABLE t USING csv_file('%s')" % good)
            c.execute("CREATE VIEW v AS SELECT * FROM t")
            c.execute("PRAGMA writable_schema=ON")
            c.execute("UPDATE sqlite_schema SET sql = ? WHERE name = 't'",
                      ("CREATE VIRTUAL TABLE t USING csv_file('%s')" % path,))
            c.commit()
            c.close()
            for trusted in ("OFF", "ON"):
                out, err = _shell(db, "PRAGMA trusted_schema=%s;\n.schema t\nPRAGMA table_info(t);\n"
                                      "SELECT * FROM v;\nSELECT * FROM t;\n" % trusted)
                assert "0|a|INTEGER" in out, out
                assert 'unsafe use of virtual table "t"' in err, err
                assert "cannot read %s: %s" % (path, what) in err, err
    finally:
        keep[0].close()
        os.close(keep[1])
        os.close(keep[2])


def test_connect_does_not_open_the_file():
    """Reopening a database declares a csv_file table from what CREATE stored:
    the file may be gone (it is opened only to read rows)."""
    d = _dir()
    p = _write(d, "gone.csv", "id,name\n1,x\n2,y\n")
    db = os.path.join(d, "keeps.db")
    c = connect(db)
    c.execute("CREATE VIRTUAL TABLE g USING csv_file('%s')" % p)
    c.execute("ALTER TABLE g RENAME TO h")
    c.close()
    os.unlink(p)
    c = connect(db)
    assert c.execute("SELECT name, type FROM pragma_table_info('h')").fetchall() == \
        [("id", "INTEGER"), ("name", "TEXT")]
    expect_error(c, "SELECT * FROM h", "cannot open %s" % p)
    c.execute("DROP TABLE h")
    assert c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


# --- types from the whole file; values never changed -------------------------

def _late(d, late, n=1500):
    rows = ["id,code,qty,price"] + ["%d,%d,%d,%d.5" % (i, 100 + i, i, i) for i in range(n)]
    return _write(d, "late.csv", "\n".join(rows + [late, "%d,7,8,9.25" % (n + 1)]) + "\n")


def test_late_values_keep_their_text():
    d = _dir()
    p = _late(d, "1500,00123,abc,2.50")
    c = _conn()
    assert c.execute("SELECT csv_import(?, 't')", (p,)).fetchone()[0] == 1502
    assert c.execute("SELECT type FROM pragma_table_info('t')").fetchall() == \
        [("INTEGER",), ("TEXT",), ("TEXT",), ("REAL",)]
    assert c.execute("SELECT code, qty, price FROM t WHERE id = 1500").fetchone() == ("00123", "abc", 2.5)
    assert c.execute("SELECT code, typeof(code), qty FROM t WHERE id = 7").fetchone() == ("107", "text", "7")
    c.execute("CREATE VIRTUAL TABLE f USING csv_file('%s')" % p)
    assert c.execute("SELECT code FROM f WHERE id = 1500").fetchone() == ("00123",)
    assert c.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0
    # a late decimal makes an integer column REAL, with every value kept
    q = _late(d, "1500,1600,2.5,1.25")
    c.execute("SELECT csv_import(?, 'dec')", (q,))
    assert c.execute("SELECT qty, typeof(qty) FROM dec WHERE id IN (7, 1500) ORDER BY id").fetchall() == \
        [(7.0, "real"), (2.5, "real")]


def test_types_found_late_import_again_with_the_whole_files_types():
    """A column empty in the first 1,000 rows and numeric later: the import
    starts with the first rows' types and runs again with the whole file's,
    recording each reject once."""
    d = _dir()
    rows = ["id,n,note"] + ["%d,,a" % i for i in range(1200)] + ["1200,1"] + \
        ["%d,%d,b" % (i, i) for i in range(1201, 1300)]
    p = _write(d, "empty_first.csv", "\n".join(rows) + "\n")
    c = _conn()
    assert c.execute("SELECT csv_import(?, 't')", (p,)).fetchone()[0] == 1300
    assert c.execute("SELECT type FROM pragma_table_info('t') WHERE name = 'n'").fetchone() == ("INTEGER",)
    assert c.execute("SELECT sum(n), typeof(max(n)) FROM t").fetchone() == (sum(range(1201, 1300)) + 1, "integer")
    assert c.execute("SELECT line, error FROM temp.csv_rejects").fetchall() == \
        [(1202, "too few fields (expected 3, got 2)")]
    sniff = c.execute("SELECT json_extract(csv_sniff(?), '$.columns[1].type')", (p,)).fetchone()[0]
    assert sniff == "INTEGER", sniff


def test_sample_never_changes_a_value():
    """With sample=N the types come from N rows; a later value that SQLite's
    column affinity would change is a reject (NULL), an error in strict mode;
    text that SQLite keeps as it is stays text."""
    d = _dir()
    p = _late(d, "1500,00123,abc,2.50")
    c = _conn()
    assert c.execute("SELECT csv_import(?, 't', 'sample=100')", (p,)).fetchone()[0] == 1502
    assert c.execute("SELECT code, qty, typeof(qty), price FROM t WHERE id = 1500").fetchone() == \
        (None, "abc", "text", 2.5)
    assert c.execute("SELECT line, \"column\", error FROM temp.csv_rejects").fetchall() == \
        [(1502, 2, 'value does not fit column "code" INTEGER (SQLite would change it): stored as NULL')]
    msg = expect_error(c, "SELECT csv_import(?, 't2', 'sample=100; strict=yes')",
                       'line 1502, column 2: value "00123" does not fit column "code" INTEGER', (p,))
    assert p in msg, msg
    assert c.execute("SELECT count(*) FROM sqlite_master WHERE name = 't2'").fetchone()[0] == 0
    # appending to a declared INTEGER column: the same rule
    c.execute("CREATE TABLE z(zip INTEGER, n INT)")
    q = _write(d, "zip.csv", "zip,n\n10115,1\n01001,2\n")
    assert c.execute("SELECT csv_import(?, 'z', 'mode=append')", (q,)).fetchone()[0] == 2
    assert c.execute("SELECT zip FROM z ORDER BY n").fetchall() == [(10115,), (None,)]


def test_missing_value_markers():
    """'..', 'NA' and 'N/A' are NULL in number columns, so an INTEGER column
    holds integers only; in a text column they stay (Namibia is 'NA')."""
    d = _dir()
    p = _write(d, "wb.csv", "country,code,y2020,y2021\nNamibia,NA,1,..\nKorea,KR,NA,3\nChile,CL,N/A,4\n")
    c = _conn()
    c.execute("SELECT csv_import(?, 'wb')", (p,))
    assert c.execute("SELECT type FROM pragma_table_info('wb')").fetchall() == \
        [("TEXT",), ("TEXT",), ("INTEGER",), ("INTEGER",)]
    assert c.execute("SELECT code, y2020, y2021 FROM wb").fetchall() == \
        [("NA", 1, None), ("KR", None, 3), ("CL", None, 4)]
    c.execute("CREATE VIRTUAL TABLE f USING csv_file('%s')" % p)
    assert c.execute("SELECT code, y2021 FROM f").fetchall() == [("NA", None), ("KR", 3), ("CL", 4)]
    # the set is an option; missing='' turns it off
    c.execute("SELECT csv_import(?, 'raw', 'missing=''''')", (p,))
    assert c.execute("SELECT y2021, typeof(y2021) FROM raw").fetchall() == [("..", "text"), ("3", "text"), ("4", "text")]
    c.execute("SELECT csv_import(?, 'dots', 'missing=..')", (p,))
    assert c.execute("SELECT type FROM pragma_table_info('dots')").fetchall()[2:] == [("TEXT",), ("INTEGER",)]
    s = c.execute("SELECT json_extract(csv_sniff(?), '$.sample[0]')", (p,)).fetchone()[0]
    assert s == '["Namibia","NA","1",null]', s


# --- targets and modes -----------------------------------------------------

def test_qualified_targets():
    d = _dir()
    p = _write(d, "a.csv", "k,v\n1,x\n2,y\n")
    c = _conn()
    aux = os.path.join(d, "aux.db")
    c.execute("ATTACH ? AS aux", (aux,))
    assert c.execute("SELECT csv_import(?, 'temp.t'), csv_import(?, 'aux.t'), csv_import(?, '\"my.t\"'),"
                     " csv_import(?, 'main.\"x y\"')", (p, p, p, p)).fetchone() == (2, 2, 2, 2)
    assert c.execute("SELECT name FROM temp.sqlite_master WHERE type = 'table' AND name = 't'").fetchall() == [("t",)]
    assert c.execute("SELECT name FROM aux.sqlite_master").fetchall() == [("t",)]
    assert sorted(r[0] for r in c.execute("SELECT name FROM main.sqlite_master")) == ["my.t", "x y"]
    # an unqualified name finds the existing table as SQLite does (temp first)
    assert c.execute("SELECT csv_import(?, 't', 'mode=append')", (p,)).fetchone()[0] == 2
    assert c.execute("SELECT count(*) FROM temp.t").fetchone()[0] == 4
    assert c.execute("SELECT count(*) FROM aux.t").fetchone()[0] == 2
    expect_error(c, "SELECT csv_import(?, 'nope.t')", "no database named 'nope'", (p,))
    expect_error(c, "SELECT csv_import(?, 'a.b.c')", "cannot read the table name 'a.b.c'", (p,))
    expect_error(c, "SELECT csv_import(?, '\"open')", "cannot read the table name", (p,))


def test_modes():
    d = _dir()
    p = _write(d, "m.csv", "id,name\n1,a\n2,b\n")
    other = _write(d, "o.csv", "name,id,extra\nc,3,x\n")
    bad = _write(d, "bad.csv", "id,name,score\n1,a,5\n2,b\n")
    c = _conn()
    assert c.execute("SELECT csv_import(?, 't')", (p,)).fetchone()[0] == 2
    # the same import twice never doubles the rows
    expect_error(c, "SELECT csv_import(?, 't')", "table main.t already exists; mode=append adds the rows", (p,))
    expect_error(c, "SELECT csv_import(?, 't', 'mode=create')",
                 "already exists, with other columns (id, name) than %s (name, id, extra)" % other, (other,))
    assert c.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    # append matches columns by name; a column the table lacks is an error
    expect_error(c, "SELECT csv_import(?, 't', 'mode=append')", 'table main.t has no column "extra"', (other,))
    c.execute("ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'none'")
    assert c.execute("SELECT csv_import(?, 't', 'mode=append')", (other,)).fetchone()[0] == 1
    assert c.execute("SELECT csv_import(?, 't', 'mode=append')", (p,)).fetchone()[0] == 2
    assert c.execute("SELECT id, name, extra FROM t ORDER BY rowid").fetchall() == \
        [(1, "a", "none"), (2, "b", "none"), (3, "c", "x"), (1, "a", "none"), (2, "b", "none")]
    # replace is atomic: a failed replace keeps the old table
    expect_error(c, "SELECT csv_import(?, 't', 'mode=replace; strict=yes')", "too few fields", (bad,))
    assert c.execute("SELECT count(*) FROM t").fetchone()[0] == 5
    assert c.execute("SELECT csv_import(?, 't', 'mode=replace')", (bad,)).fetchone()[0] == 2
    assert [r[1] for r in c.execute("PRAGMA table_info(t)")] == ["id", "name", "score"]
    assert c.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    # append creates a missing table
    assert c.execute("SELECT csv_import(?, 'fresh', 'mode=append')", (p,)).fetchone()[0] == 2
    expect_error(c, "SELECT csv_import(?, 'x', 'mode=merge')", "bad value for mode: 'merge'", (p,))
    expect_error(c, "CREATE VIRTUAL TABLE y USING csv_file('%s', mode=append)" % p, "unknown option 'mode'")


def test_two_thousand_columns():
    d = _dir()
    n = 2000
    p = _write(d, "wide.csv", ",".join("c%d" % i for i in range(n)) + "\n" +
               "".join(",".join(str(r * n + i) for i in range(n)) + "\n" for r in range(40)))
    c = _conn()
    assert c.execute("SELECT csv_import(?, 'w')", (p,)).fetchone()[0] == 40
    assert c.execute("SELECT count(*) FROM pragma_table_info('w')").fetchone()[0] == n
    assert c.execute("SELECT c1999 FROM w WHERE c0 = 39 * 2000").fetchone()[0] == 39 * n + 1999
    assert c.execute("SELECT csv_import(?, 'w', 'mode=append')", (p,)).fetchone()[0] == 40
    c.execute("CREATE VIRTUAL TABLE wf USING csv_file('%s')" % p)
    assert c.execute("SELECT sum(c1999) FROM wf").fetchone()[0] == sum(r * n + 1999 for r in range(40))


def test_two_thousand_duplicate_names():
    d = _dir()
    p = _write(d, "dups.csv", ",".join(["a"] * 2000) + "\n" + ",".join(["1"] * 2000) + "\n")
    c = _conn()
    c.execute("CREATE VIRTUAL TABLE d USING csv_file('%s')" % p)
    names = [r[0] for r in c.execute("SELECT name FROM pragma_table_info('d')")]
    assert names[:3] == ["a", "a_1", "a_2"] and names[-1] == "a_1999" and len(set(n.lower() for n in names)) == 2000


# --- the write lock and busy_timeout ------------------------------------------

def _writers(k, journal):
    d = _dir()
    db = os.path.join(d, "w.db")
    c = _conn(db)
    c.execute("PRAGMA journal_mode=%s" % journal)
    c.close()
    files = [_write(d, "f%d.csv" % i, "id,v\n" + "".join("%d,%d\n" % (j, i) for j in range(20000)))
             for i in range(k)]
    errors, counts = [], []

    def run(i):
        try:
            cc = _conn(db, timeout=60)
            for rep in range(3):
                counts.append(cc.execute("SELECT csv_import(?, 'shared', 'mode=append')",
                                         (files[i],)).fetchone()[0])
                counts.append(cc.execute("SELECT csv_import(?, ?)", (files[i], "own_%d_%d" % (i, rep))).fetchone()[0])
            cc.close()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(k)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert counts == [20000] * (6 * k), counts
    c = _conn(db)
    assert c.execute("SELECT count(*) FROM shared").fetchone()[0] == 20000 * 3 * k
    assert c.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'own_%'").fetchone()[0] == 3 * k
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_concurrent_importers_lose_nothing():
    _writers(2, "delete")
    _writers(2, "wal")


def test_four_concurrent_importers_lose_nothing():
    _writers(4, "delete")
    _writers(4, "wal")


def test_import_waits_for_the_busy_timeout():
    d = _dir()
    db = os.path.join(d, "b.db")
    p = _write(d, "b.csv", "a,b\n1,2\n")
    holder = _conn(db)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE lock(x)")
    threading.Timer(1.0, lambda: holder.execute("COMMIT")).start()
    c = _conn(db, timeout=10)
    t0 = time.time()
    assert c.execute("SELECT csv_import(?, 't')", (p,)).fetchone()[0] == 1
    assert time.time() - t0 >= 0.5
    # inside the caller's own deferred transaction SQLite cannot wait: say so
    holder.execute("BEGIN IMMEDIATE")
    c.execute("BEGIN")
    c.execute("SELECT count(*) FROM t").fetchall()
    expect_error(c, "SELECT csv_import(?, 't2')", "begin it with BEGIN IMMEDIATE", (p,))
    c.execute("ROLLBACK")
    holder.execute("ROLLBACK")


# --- an unterminated quote, disk full, interrupts -----------------------------

def test_unterminated_quote_swallowing_the_file_is_an_error():
    d = _dir()
    p = _write(d, "unt.csv", 'a,b,c\n1,"x,3\n' + "".join("%d,%d,%d\n" % (i, i, i) for i in range(50000)))
    c = _conn()
    for opts in ("", "strict=yes", "sample=10"):
        msg = expect_error(c, "SELECT csv_import(?, 'u', ?)", "line 2, column 2: unterminated quoted field", (p, opts))
        assert "lines 2 to 50002 would be one field; nothing was imported" in msg and p in msg, msg
    assert c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    w = c.execute("SELECT json_extract(csv_sniff(?), '$.warnings[0]')", (p,)).fetchone()[0]
    assert w.startswith("line 2, column 2: unterminated quoted field"), w
    c.execute("CREATE VIRTUAL TABLE u USING csv_file('%s')" % p)
    expect_error(c, "SELECT count(*) FROM u", "line 2, column 2: unterminated quoted field")
    # a quote left open on the last line alone is an ordinary reject
    q = os.path.join(ROOT, "tests", "fixtures", "csv", "unterminated.csv")
    assert c.execute("SELECT csv_import(?, 'last')", (q,)).fetchone()[0] == 2


def test_disk_full_inside_the_callers_transaction_says_so():
    d = _dir()
    db = os.path.join(d, "full.db")
    p = _write(d, "big.csv", "a,b\n" + "".join("%d,some text %d\n" % (i, i) for i in range(100000)))
    c = _conn(db)
    c.execute("CREATE TABLE keep(x)")
    c.execute("INSERT INTO keep VALUES (1)")
    c.execute("PRAGMA max_page_count = 60")
    msg = expect_error(c, "SELECT csv_import(?, 't')", "database or disk is full", (p,))
    assert "rolled back your whole transaction" not in msg, msg
    c.execute("BEGIN")
    c.execute("INSERT INTO keep VALUES (2)")
    msg = expect_error(c, "SELECT csv_import(?, 't')", "database or disk is full", (p,))
    if not c.in_transaction:
        assert "SQLite rolled back your whole transaction, everything since BEGIN" in msg, msg
        assert c.execute("SELECT count(*) FROM keep").fetchone()[0] == 1
    else:
        assert "rolled back your whole transaction" not in msg, msg
        c.execute("ROLLBACK")


def test_interrupt_stops_a_long_read():
    d = _dir()
    line = b"kr,seoul,Seoul,11,9776000,37.5665,126.978\n"
    p = _write(d, "long.csv", b"cc,city,accent,region,pop,lat,lon\n" + line * 800000)
    c = _conn()
    t0 = time.time()
    c.execute("SELECT csv_sniff(?)", (p,)).fetchall()
    whole = time.time() - t0
    for sql in ("SELECT csv_sniff(?)", "CREATE VIRTUAL TABLE l USING csv_file('%s')" % p, "SELECT csv_import(?, 'l2')"):
        took = expect_interrupted(c, sql, (p,) if "?" in sql else ())
        # stopped during the read, not after it (sqlite3_is_interrupted is 3.41)
        assert took < whole / 2, (sql, took, whole)
    assert c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
