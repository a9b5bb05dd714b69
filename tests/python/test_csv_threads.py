"""csv_file(..., threads=2) and csv_import's threads=2 (issue 17): a second
thread parses ahead. Everything the caller sees must be what one thread
gives: the rows, their values and types, temp.csv_rejects (line, byte
offset, column, raw text), and errors (the same message, after the same
rows), over the CSV fixtures and hostile inputs (bad bytes, NUL, long
fields, ragged rows, an unterminated quote, broken quoting in strict mode,
damaged gzip, invalid UTF-16). sqlite3_interrupt and an early end (LIMIT)
act as promptly as with one thread."""
import gzip
import os
import random
import shutil
import sqlite3
import tempfile
import time

from helpers import EXT, ROOT, connect, expect_error, expect_interrupted, write_file

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "csv")


def _dir():
    return tempfile.mkdtemp(prefix="el_csv17e_")


_write = write_file


def _q(s):
    return s.replace("'", "''")


def _rejects(conn):
    if not conn.execute("SELECT count(*) FROM sqlite_temp_master WHERE name = 'csv_rejects'").fetchone()[0]:
        return []
    return conn.execute("SELECT file, line, byte_offset, \"column\", error, raw_line FROM temp.csv_rejects "
                        "ORDER BY rowid").fetchall()


def _scan(path, threads, opts=""):
    """What a csv_file scan shows: the rows read (with their types) up to an
    error, the error, and the rejects."""
    conn = connect()
    rows, err = [], None
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING csv_file('%s'%s)" % (_q(path), opts))
        conn.execute("CREATE VIRTUAL TABLE temp.w USING csv_file('%s'%s, threads=%d)" % (_q(path), opts, threads))
        ncols = len(conn.execute("SELECT * FROM temp.w LIMIT 0").description)
        cols = ", ".join("typeof(\"%s\"), \"%s\"" % (c[0].replace('"', '""'), c[0].replace('"', '""'))
                         for c in conn.execute("SELECT * FROM temp.w LIMIT 0").description)
        assert ncols > 0
        for r in conn.execute("SELECT rowid, %s FROM temp.w" % cols):
            rows.append(r)
    except sqlite3.Error as e:
        err = str(e)
    return rows, err, _rejects(conn)


def _import(path, threads, opts=""):
    conn = connect()
    try:
        n = conn.execute("SELECT csv_import(?, 'imp', ?)", (path, "threads=%d%s" % (threads, opts))).fetchone()[0]
        got = conn.execute("SELECT * FROM imp").fetchall()
        decl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'imp'").fetchone()[0]
        return n, got, decl, _rejects(conn)
    except sqlite3.Error as e:
        return str(e), conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'imp'").fetchone()[0], \
            _rejects(conn)


def _same(path, opts="", need_rows=0):
    one, two = _scan(path, 1, opts), _scan(path, 2, opts)
    assert one == two, (path, opts, len(one[0]), len(two[0]), one[1], two[1], one[2][:3], two[2][:3])
    assert len(one[0]) >= need_rows, (path, len(one[0]), one[1])
    iopts = opts.replace(", ", "; ", 1) if opts.startswith(", ") else opts
    i1, i2 = _import(path, 1, iopts), _import(path, 2, iopts)
    assert i1 == i2, (path, opts, str(i1)[:300], str(i2)[:300])
    return one


def test_fixtures_read_the_same_with_one_and_two_threads():
    n = 0
    for name in sorted(os.listdir(FIXTURES)):
        p = os.path.join(FIXTURES, name)
        if not os.path.isfile(p):
            continue
        _same(p)
        _same(p, ", strict=yes")
        n += 1
    assert n >= 25, n


def _hostile_rows(n, seed):
    """n rows with every kind of trouble now and then."""
    rnd = random.Random(seed)
    out = [b"id,name,note,value\n"]
    for i in range(1, n):
        c = rnd.random()
        if c < 0.6:
            out.append(b"%d,name%d,plain,%d.5\n" % (i, rnd.randint(0, 99), rnd.randint(0, 999)))
        elif c < 0.7:
            out.append(b'%d,"a, ""quoted"" one","two\nlines",%d\r\n' % (i, rnd.randint(0, 9)))
        elif c < 0.72:
            out.append(b"\n")
        elif c < 0.74:
            out.append(b"%d,only two\n" % i)
        elif c < 0.75:
            out.append(b"%d,a,b,c,d,e\n" % i)
        elif c < 0.755:
            out.append(b"%d,bad \xff\xfe utf8,x,1\n" % i)
        elif c < 0.758:
            out.append(b"%d,nul\x00x,y,2\n" % i)
        elif c < 0.76:
            out.append(b"%d,%s,z,3\n" % (i, b"L" * 3000))
        else:
            out.append(b'%d,"ok","x",%d\n' % (i, rnd.randint(0, 50)))
    return b"".join(out)


def test_hostile_inputs_give_the_same_rows_rejects_and_errors():
    d = _dir()
    try:
        body = _hostile_rows(40000, 17)
        cases = [
            ("rejects.csv", body, "", 30000),
            ("strict.csv", body, ", strict=yes", 0),
            ("long_fields.csv", body, ", max_field_size=1000", 30000),
            # a quote opened near the end that is never closed: it swallows the lines after it
            ("unterminated.csv", body + b'99,"never closed\n1,2,3,4\n5,6,7,8\n', "", 0),
            # Latin-1 bytes (the encoding is declared: the bad UTF-8 rows are text then)
            ("latin1.csv", body.replace(b"plain", b"caf\xe9"), ", encoding=latin1", 30000),
            ("pipes.csv", body.replace(b",", b"||"), ", delimiter='||'", 30000),
        ]
        for name, data, opts, need in cases:
            p = _write(d, name, data)
            _same(p, opts, need)
        rows, err, rej = _scan(os.path.join(d, "rejects.csv"), 2)
        assert err is None and len(rej) > 100, (err, len(rej))
        rows, err, rej = _scan(os.path.join(d, "strict.csv"), 2, ", strict=yes")
        assert err and "line" in err and "column" in err and len(rows) > 0, (err, len(rows))
        rows, err, rej = _scan(os.path.join(d, "unterminated.csv"), 2)
        assert err and "unterminated quoted field" in err, err
    finally:
        shutil.rmtree(d)


def test_damaged_gzip_and_utf16_give_the_same_errors_after_the_same_rows():
    d = _dir()
    try:
        big = b"id,v\n" + b"".join(b"%d,row %d\n" % (i, i) for i in range(400000))
        gz = gzip.compress(big, 1)
        trunc = _write(d, "trunc.csv.gz", gz[: len(gz) * 3 // 4])
        schema = ", schema='CREATE TABLE x(id INTEGER, v TEXT)'"
        rows, err, _ = _same(trunc, schema, 100000)
        assert err and "truncated" in err and trunc in err, err
        # UTF-16 LE with a BOM, an unpaired surrogate far into the file
        text = "id,v\n" + "".join("%d,ligne %d é\n" % (i, i) for i in range(200000))
        raw = b"\xff\xfe" + text.encode("utf-16-le")
        k = len(raw) * 2 // 3 & ~1
        bad = _write(d, "bad16.csv", raw[:k] + b"\x00\xd8" + raw[k:])
        rows, err, _ = _same(bad, schema, 100000)
        assert err and "line" in err, err
        odd = _write(d, "odd16.csv", raw + b"\x41")
        _same(odd, schema)
        _same(odd)
    finally:
        shutil.rmtree(d)


def test_threads_option_is_checked():
    d = _dir()
    try:
        p = _write(d, "a.csv", b"a,b\n1,2\n")
        conn = connect()
        for bad in ("0", "3", "two", "-1"):
            expect_error(conn, "CREATE VIRTUAL TABLE temp.t USING csv_file('%s', threads=%s)" % (_q(p), bad),
                         "bad value for threads")
        conn.execute("CREATE VIRTUAL TABLE temp.t USING csv_file('%s', threads=2)" % _q(p))
        assert conn.execute("SELECT * FROM temp.t").fetchall() == [(1, 2)]
        assert conn.execute("SELECT csv_import(?, 'x', 'threads=2')", (p,)).fetchone()[0] == 1
    finally:
        shutil.rmtree(d)


def test_a_stored_table_keeps_its_threads_option():
    """threads= is in the CREATE statement: a database opened again parses
    ahead too (xConnect reads the same arguments), with the same result."""
    d = _dir()
    try:
        p = _write(d, "a.csv", b"a,b\n" + b"".join(b"%d,x%d\n" % (i, i) for i in range(50000)))
        db = os.path.join(d, "t.db")
        conn = connect(db)
        conn.execute("CREATE VIRTUAL TABLE t USING csv_file('%s', threads=2)" % _q(p))
        conn.commit()
        conn.close()
        conn = connect(db)
        assert conn.execute("SELECT count(*), sum(a), max(b) FROM t").fetchone() == (50000, 1249975000, "x9999")
    finally:
        shutil.rmtree(d)


def test_interrupt_and_early_end_act_promptly_with_two_threads():
    d = _dir()
    try:
        line = b"kr,seoul,Seoul,11,9776000,37.5665,126.978\n"
        p = _write(d, "long.csv", b"cc,city,accent,region,pop,lat,lon\n" + line * 800000)
        c = sqlite3.connect(":memory:", check_same_thread=False)
        c.enable_load_extension(True)
        c.load_extension(EXT)
        c.execute("CREATE VIRTUAL TABLE temp.t USING csv_file('%s', threads=2, schema='CREATE TABLE x(cc TEXT, "
                  "city TEXT, accent TEXT, region INTEGER, pop INTEGER, lat REAL, lon REAL)')" % _q(p))
        t0 = time.time()
        assert c.execute("SELECT count(*), sum(pop) FROM temp.t").fetchone() == (800000, 9776000 * 800000)
        whole = time.time() - t0
        # LIMIT closes the cursor early: the thread is stopped and joined at once
        t0 = time.time()
        for _ in range(5):
            assert len(c.execute("SELECT * FROM temp.t LIMIT 3").fetchall()) == 3
        assert time.time() - t0 < whole, (time.time() - t0, whole)
        took = expect_interrupted(c, "SELECT count(*), sum(pop) FROM temp.t")
        assert took < whole / 2 + 0.05, (took, whole)
        # and the table reads again, whole
        assert c.execute("SELECT count(*) FROM temp.t").fetchone()[0] == 800000
    finally:
        shutil.rmtree(d)


def test_two_threads_start_a_reader_thread_for_one_file_and_for_a_pattern():
    """threads=2 runs the reader on a thread of its own while a scan is open,
    over one file and over each file of a pattern; threads=1 starts none, and
    no thread outlives the scan."""
    d = tempfile.mkdtemp(prefix="el_csvthr_")
    try:
        body = "id,name\n" + "".join("%d,n%d\n" % (i, i) for i in range(200000))
        for n in ("a.csv", "b.csv"):
            with open(os.path.join(d, n), "w") as f:
                f.write(body)
        conn = connect()
        base = len(os.listdir("/proc/self/task"))
        for target, rows in ((os.path.join(d, "a.csv"), 200000), (os.path.join(d, "*.csv"), 400000)):
            for threads, extra in ((1, 0), (2, 1)):
                conn.execute("DROP TABLE IF EXISTS temp.t")
                conn.execute("CREATE VIRTUAL TABLE temp.t USING csv_file('%s', threads=%d)" % (target, threads))
                cur = conn.execute("SELECT id FROM t")
                cur.fetchmany(10)
                during = len(os.listdir("/proc/self/task"))
                n = 10 + len(cur.fetchall())
                assert n == rows, (target, threads, n)
                assert during == base + extra, (target, threads, base, during)
                assert len(os.listdir("/proc/self/task")) == base, (target, threads)
    finally:
        shutil.rmtree(d)
