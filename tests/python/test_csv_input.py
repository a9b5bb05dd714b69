"""The CSV input layer (issue 17): gzip read transparently (by its magic
bytes, multi-member, memory bounded; truncated, corrupt, padded and bomb
files refused by name), UTF-16 with a BOM transcoded (invalid surrogates
named by line and character), in csv_file, csv_sniff and csv_import."""
import gzip
import json
import os
import shutil
import subprocess
import tempfile
import zlib

from helpers import EXT, ROOT, connect, expect_error, expect_interrupted, write_file

ROWS = "id,name,score\n1,Zoë,1.5\n2,\"a, b\",2.25\n3,😀,3\n"
WANT = [(1, "Zoë", 1.5), (2, "a, b", 2.25), (3, "😀", 3)]


def _dir():
    return tempfile.mkdtemp(prefix="el_csv17_")


_write = write_file


def _rows(conn, path, opts=""):
    conn.execute("DROP TABLE IF EXISTS temp.v")
    conn.execute("CREATE VIRTUAL TABLE temp.v USING csv_file('%s'%s)" % (path.replace("'", "''"), opts))
    return conn.execute("SELECT * FROM temp.v").fetchall()


def _sniff(conn, path):
    return json.loads(conn.execute("SELECT csv_sniff(?)", (path,)).fetchone()[0])


def _import(conn, path, table="imp"):
    n = conn.execute("SELECT csv_import(?, ?)", (path, table)).fetchone()[0]
    return n, conn.execute("SELECT * FROM \"%s\"" % table).fetchall()


# --- gzip --------------------------------------------------------------------

def test_gzip_is_read_by_its_magic_bytes_in_every_reader():
    d = _dir()
    try:
        plain = _write(d, "p.csv", ROWS.encode())
        # the name says nothing: one .gz, one without, and a plain file named .gz
        for name in ("a.csv.gz", "a_no_suffix.csv"):
            p = _write(d, name, gzip.compress(ROWS.encode()))
            conn = connect()
            assert _rows(conn, p) == WANT
            s = _sniff(conn, p)
            assert s["compression"] == "gzip" and s["encoding"] == "utf8", s
            assert [c["type"] for c in s["columns"]] == ["INTEGER", "TEXT", "REAL"], s
            assert _import(conn, p) == (3, WANT)
        fake = _write(d, "plain.csv.gz", ROWS.encode())
        conn = connect()
        assert _rows(conn, fake) == WANT
        assert _sniff(conn, fake)["compression"] == "none"
        assert _sniff(conn, plain)["compression"] == "none"
        # the suggested statement names the table without .csv.gz
        assert 'TABLE "a" USING' in _sniff(conn, os.path.join(d, "a.csv.gz"))["sql"]
    finally:
        shutil.rmtree(d)


def test_gzip_multi_member_and_zero_padding():
    d = _dir()
    try:
        lines = ROWS.splitlines(keepends=True)
        data = gzip.compress(lines[0].encode() + lines[1].encode()) + gzip.compress(b"") + \
            gzip.compress("".join(lines[2:]).encode())
        p = _write(d, "m.csv.gz", data)
        conn = connect()
        assert _rows(conn, p) == WANT
        # zeros after the last member (block padding) are ignored, as gzip does
        p2 = _write(d, "pad.csv.gz", gzip.compress(ROWS.encode()) + b"\0" * 1000)
        assert _rows(conn, p2) == WANT
    finally:
        shutil.rmtree(d)


def test_gzip_damage_is_an_error_naming_the_file_never_partial_data():
    d = _dir()
    try:
        big = "id,v\n" + "".join("%d,row %d\n" % (i, i) for i in range(20000))
        gz = gzip.compress(big.encode())
        trunc = _write(d, "trunc.csv.gz", gz[: len(gz) // 2])
        nocrc = _write(d, "nocrc.csv.gz", gz[:-8])
        bad = bytearray(gz)
        bad[len(bad) // 2] ^= 0xFF
        corrupt = _write(d, "corrupt.csv.gz", bytes(bad))
        crc = bytearray(gz)
        crc[-6] ^= 0x01  # the CRC-32 of the data
        badcrc = _write(d, "badcrc.csv.gz", bytes(crc))
        garbage = _write(d, "garbage.csv.gz", gz + b"<html>not found</html>")
        conn = connect()
        cases = [(trunc, "truncated"), (nocrc, "truncated"), (corrupt, "corrupt"), (badcrc, "corrupt"),
                 (garbage, "unexpected bytes after the gzip data")]
        for p, frag in cases:
            for sql in ("SELECT csv_sniff(?)", "SELECT csv_import(?, 'x')"):
                e = expect_error(conn, sql, frag, (p,))
                assert p in e, e
            e = expect_error(conn, "CREATE VIRTUAL TABLE temp.t USING csv_file('%s')" % p, frag)
            assert p in e, e
            # nothing half-imported
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0
        # with declared types only the start is sniffed (4 MB): the damage is met while
        # scanning, and is still an error
        big = "id,v\n" + "".join("%d,row %d\n" % (i, i) for i in range(800000))
        gz = gzip.compress(big.encode(), 1)
        _write(d, "trunc.csv.gz", gz[: len(gz) * 3 // 4])
        conn.execute("CREATE VIRTUAL TABLE temp.t USING csv_file('%s', schema='CREATE TABLE x(id INTEGER, "
                     "v TEXT)')" % trunc)
        e = expect_error(conn, "SELECT count(*) FROM temp.t", "truncated")
        assert trunc in e, e
    finally:
        shutil.rmtree(d)


def _bomb(path, out_bytes):
    """A gzip file of out_bytes of CSV rows, written as a stream."""
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"1,2\n" * (1 << 18)
    with open(path, "wb") as f:
        f.write(co.compress(b"a,b\n"))
        for _ in range(out_bytes // len(chunk)):
            f.write(co.compress(chunk))
        f.write(co.flush())


def test_gzip_bomb_is_refused():
    d = _dir()
    try:
        p = os.path.join(d, "bomb.csv.gz")
        _bomb(p, 80 << 20)  # 80 MB of "1,2\n": about 1000x
        assert os.path.getsize(p) < (80 << 20) // 250
        conn = connect()
        for sql in ("SELECT csv_sniff(?)", "SELECT csv_import(?, 'x')"):
            e = expect_error(conn, sql, "decompression bomb", (p,))
            assert p in e, e
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0
        # under the floor, the same ratio is read
        small = os.path.join(d, "small.csv.gz")
        _bomb(small, 8 << 20)
        assert conn.execute("SELECT csv_import(?, 'y')", (small,)).fetchone()[0] == 2 << 20
    finally:
        shutil.rmtree(d)


def test_gzip_scan_memory_is_bounded():
    """Peak RSS of a scan does not grow with the inflated size."""
    d = _dir()
    try:
        p = os.path.join(d, "big.csv.gz")
        co = zlib.compressobj(6, zlib.DEFLATED, 31)
        with open(p, "wb") as f:
            f.write(co.compress(b"id,text\n"))
            for i in range(0, 600000, 1000):
                f.write(co.compress("".join("%d,row %d of the file %x\n" % (j, j, j * 7919)
                                            for j in range(i, i + 1000)).encode()))
            f.write(co.flush())
        code = ("import resource,sqlite3,sys\n"
                "c=sqlite3.connect(':memory:');c.enable_load_extension(True);c.load_extension(sys.argv[1])\n"
                "c.execute(\"CREATE VIRTUAL TABLE t USING csv_file('%s')\" % sys.argv[2])\n"
                "r0=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
                "n=c.execute('SELECT count(*), sum(length(text)) FROM t').fetchone()\n"
                "print(n[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - r0)\n")
        out = subprocess.run(["/usr/bin/python3", "-c", code, EXT, p], capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        n, grew_kb = map(int, out.stdout.split())
        assert n == 600000, out.stdout
        assert grew_kb < 16 * 1024, "the scan of a %d-byte .gz grew RSS by %d KB" % (os.path.getsize(p), grew_kb)
    finally:
        shutil.rmtree(d)


# --- UTF-16 ------------------------------------------------------------------

def test_utf16_with_bom_is_transcoded():
    d = _dir()
    try:
        text = ROWS.replace(",", "\t").replace("\"a\t b\"", "a, b").replace("\n", "\r\n")
        for codec, bom, name in (("utf-16-le", b"\xff\xfe", "utf16le"), ("utf-16-be", b"\xfe\xff", "utf16be")):
            p = _write(d, name + ".txt", bom + text.encode(codec))
            conn = connect()
            assert _rows(conn, p) == WANT, codec
            s = _sniff(conn, p)
            assert s["encoding"] == name and s["delimiter"] == "\t" and s["compression"] == "none", s
            assert "encoding=" not in s["sql"], s
            assert _import(conn, p) == (3, WANT)
            # an encoding option cannot turn the transcoded text into mojibake
            assert _rows(conn, p, ", encoding=latin1") == WANT
            # gzip'd UTF-16
            g = _write(d, name + ".txt.gz", gzip.compress(bom + text.encode(codec)))
            assert _rows(conn, g) == WANT
            s = _sniff(conn, g)
            assert s["encoding"] == name and s["compression"] == "gzip", s
    finally:
        shutil.rmtree(d)


def test_utf16_invalid_surrogates_are_errors_with_line_and_character():
    d = _dir()
    try:
        head = "a\tb\r\n1\tok\r\n".encode("utf-16-le")
        lone_high = _write(d, "hi.txt", b"\xff\xfe" + head + "2\tx".encode("utf-16-le") + b"\x3d\xd8" +
                           "y\r\n".encode("utf-16-le"))
        lone_low = _write(d, "lo.txt", b"\xff\xfe" + head + "2\tx".encode("utf-16-le") + b"\x00\xde\r\x00\n\x00")
        odd = _write(d, "odd.txt", b"\xff\xfe" + head + "2\tx".encode("utf-16-le") + b"\x41")
        conn = connect()
        for p, frag in ((lone_high, "line 3, character 4: a high surrogate (U+D83D) not followed by a low one"),
                        (lone_low, "line 3, character 4: a low surrogate (U+DE00) without a high one"),
                        (odd, "line 3, character 4: the text ends with an odd byte")):
            for sql in ("SELECT csv_sniff(?)", "SELECT csv_import(?, 'x')"):
                e = expect_error(conn, sql, frag, (p,))
                assert p in e and "invalid UTF-16" in e, e
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0
    finally:
        shutil.rmtree(d)


# --- lines_file ----------------------------------------------------------------

def test_lines_file_loads_jsonl_and_jsonl_gz_in_one_statement():
    d = _dir()
    try:
        docs = [{"doc": "a%d" % i, "text": "Zoë said \"hi\" %d 😀" % i} for i in range(2500)]
        body = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in docs).encode()
        plain = _write(d, "c.jsonl", body)
        gz = _write(d, "c.jsonl.gz", gzip.compress(body))
        conn = connect()
        conn.execute("CREATE TABLE articles(doc TEXT, text TEXT)")
        for p in (plain, gz):
            conn.execute("DELETE FROM articles")
            conn.execute("INSERT INTO articles SELECT json_extract(line, '$.doc'), json_extract(line, '$.text') "
                         "FROM lines_file(?)", (p,))
            got = conn.execute("SELECT doc, text FROM articles ORDER BY rowid").fetchall()
            assert got == [(x["doc"], x["text"]) for x in docs], got[:3]
        # line numbers and byte offsets point into the (inflated) text
        rows = conn.execute("SELECT lineno, \"offset\", line FROM lines_file(?) WHERE lineno IN (1, 2, 2500)",
                            (gz,)).fetchall()
        for n, off, line in rows:
            assert body[off:off + len(line.encode())].decode() == line and n >= 1, (n, off)
        assert [r[0] for r in rows] == [1, 2, 2500]
    finally:
        shutil.rmtree(d)


def test_lines_file_line_ends_bom_and_utf16():
    d = _dir()
    try:
        p = _write(d, "a.txt", b"\xef\xbb\xbfone\r\ntwo\n\nlast")
        conn = connect()
        assert conn.execute("SELECT lineno, \"offset\", line FROM lines_file(?)", (p,)).fetchall() == \
            [(1, 3, "one"), (2, 8, "two"), (3, 12, ""), (4, 13, "last")]
        u = _write(d, "u.txt", b"\xff\xfe" + "é\r\n😀\r\n".encode("utf-16-le"))
        assert conn.execute("SELECT line FROM lines_file(?)", (u,)).fetchall() == [("é",), ("😀",)]
        empty = _write(d, "e.txt", b"")
        assert conn.execute("SELECT count(*) FROM lines_file(?)", (empty,)).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM lines_file(NULL)").fetchone() == (0,)
    finally:
        shutil.rmtree(d)


def test_lines_file_bad_input_is_an_error_naming_file_line_and_byte():
    d = _dir()
    try:
        conn = connect()
        bad = _write(d, "bad.jsonl", b'{"a":1}\n{"a":"\xff"}\n')
        nul = _write(d, "nul.jsonl", b'{"a":1}\n{"a":2}\nxy\x00z\n')
        gz = gzip.compress(b'{"a":1}\n' * 50000)
        trunc = _write(d, "t.jsonl.gz", gz[: len(gz) // 2])
        for p, frag in ((bad, "line 2, byte 7: invalid UTF-8"), (nul, "line 3, byte 3: a NUL byte"),
                        (trunc, "the gzip data is truncated")):
            e = expect_error(conn, "SELECT count(*) FROM lines_file(?)", frag, (p,))
            assert e.startswith("lines_file: " + p), e
            # an INSERT ... SELECT that meets the error keeps nothing (in autocommit mode; inside
            # the user's own transaction SQLite keeps the rows before the error: documented)
            conn.isolation_level = None
            conn.execute("CREATE TABLE IF NOT EXISTS t(x)")
            expect_error(conn, "INSERT INTO t SELECT line FROM lines_file(?)", frag, (p,))
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
        for p, frag in (("/dev/zero", "it is a character device"), (d, "it is a directory"),
                        (os.path.join(d, "missing"), "No such file or directory"),
                        ("", "non-empty text"), ("a\0b", "non-empty text")):
            expect_error(conn, "SELECT count(*) FROM lines_file(?)", frag, (p,))
        expect_error(conn, "SELECT count(*) FROM lines_file()", "missing argument 'path'")
    finally:
        shutil.rmtree(d)


def test_sql_jsonl_loader_gives_the_python_loaders_rows():
    """sql/load_jsonl.sql (lines_file + json_extract) and exportlens.load_articles
    load the same JSON Lines collection into the same rows."""
    import sys
    sys.path.insert(0, ROOT)
    import exportlens
    d = _dir()
    try:
        recs = [{"doc": "1", "title": " Chips ", "text": "Line one\r\nline two", "date": "2022-06-02"},
                {"headline": "H", "content": "Body only", "publisher": "BIS", "link": "https://x.test/a"},
                {"article": "No title here\nsecond line", "source": "S"},
                {"body": "Zoë 😀", "title": "Unicode", "url": "u", "published": "2023-01-05T10:00:00Z"}]
        body = ("\n".join(json.dumps(r, ensure_ascii=False) for r in recs[:2]) + "\n\n" +
                "\n".join(json.dumps(r, ensure_ascii=False) for r in recs[2:]) + "\n" +
                json.dumps({"title": "no body"}) + "\n")
        for name, data in (("c.jsonl", body.encode()), ("c.jsonl.gz", gzip.compress(body.encode()))):
            p = _write(d, name, data)
            py = connect()
            try:
                exportlens.load_articles(py, p)
                raise AssertionError("the Python loader accepted a record without a body")
            except ValueError as e:
                assert "no body" in str(e), e
            # without the bad record, the Python loader's rows
            good = _write(d, "good_" + name, gzip.compress(body.rsplit("\n", 2)[0].encode() + b"\n")
                          if name.endswith(".gz") else body.rsplit("\n", 2)[0].encode() + b"\n")
            exportlens.load_articles(py, good)
            want = py.execute("SELECT replace(path, 'good_', ''), title, body, published, source, url "
                              "FROM articles ORDER BY id").fetchall()
            sh = subprocess.run([os.environ.get("SQLITE3", "sqlite3"), "-batch", "-cmd", ".load " + EXT, ":memory:"],
                                input=".parameter set @file '%s'\n.read %s\n.mode list\n"
                                      "SELECT path, title, body, published, source, url FROM articles ORDER BY id;\n"
                                      % (p, os.path.join(ROOT, "sql", "load_jsonl.sql")),
                                capture_output=True, text=True, timeout=60)
            assert sh.returncode == 0 and not sh.stderr, sh.stderr
            assert "%s:6: no body" % p in sh.stdout, sh.stdout
            got_db = os.path.join(d, "sql.db")
            if os.path.exists(got_db):
                os.unlink(got_db)
            sh = subprocess.run([os.environ.get("SQLITE3", "sqlite3"), "-batch", "-cmd", ".load " + EXT, got_db],
                                input=".parameter set @file '%s'\n.read %s\n" % (p, os.path.join(ROOT, "sql", "load_jsonl.sql")),
                                capture_output=True, text=True, timeout=60)
            assert sh.returncode == 0, sh.stderr
            import sqlite3
            got = sqlite3.connect(got_db).execute("SELECT path, title, body, published, source, url "
                                                  "FROM articles ORDER BY id").fetchall()
            assert got == want, (got, want)
            assert len(got) == 4
    finally:
        shutil.rmtree(d)


# --- many files as one table ------------------------------------------------------

def _folder(d, files):
    for name, data in files.items():
        _write(d, name, data if isinstance(data, bytes) else data.encode())


def test_csv_import_over_a_pattern_unites_columns_by_name():
    d = _dir()
    try:
        _folder(d, {"2024_01.csv": "id,name,score\n1,a,1\n2,b,2\n",
                    "2024_02.csv": "name;id;extra\nc;3;x\nd;4;00123\n",  # other order, delimiter, a code
                    "2024_03.csv.gz": gzip.compress(b"ID,score\n5,2.5\n"),  # case differs, gzip
                    "notes.txt": "not matched\n"})
        conn = connect()
        pat = os.path.join(d, "2024_*")
        assert conn.execute("SELECT csv_import(?, 'sales')", (pat,)).fetchone() == (5,)
        cols = [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(sales)")]
        assert cols == [("id", "INTEGER"), ("name", "TEXT"), ("score", "REAL"), ("extra", "TEXT"),
                        ("filename", "TEXT")], cols
        got = conn.execute("SELECT id, name, score, extra, typeof(extra), filename FROM sales ORDER BY rowid").fetchall()
        f = [os.path.join(d, n) for n in ("2024_01.csv", "2024_02.csv", "2024_03.csv.gz")]
        assert got == [(1, "a", 1.0, None, "null", f[0]), (2, "b", 2.0, None, "null", f[0]),
                       (3, "c", None, "x", "text", f[1]), (4, "d", None, "00123", "text", f[1]),
                       (5, None, 2.5, None, "null", f[2])], got
        # mode=append adds the next month, and a column it brings
        _write(d, "2025_01.csv", b"id,region\n6,north\n")
        assert conn.execute("SELECT csv_import(?, 'sales', 'mode=append')",
                            (os.path.join(d, "2025_*.csv"),)).fetchone() == (1,)
        assert conn.execute("SELECT id, region, filename FROM sales WHERE id = 6").fetchone() == \
            (6, "north", os.path.join(d, "2025_01.csv"))
        # mode=create refuses an existing table; mode=replace replaces it
        expect_error(conn, "SELECT csv_import(?, 'sales')", "already exists", (pat,))
        assert conn.execute("SELECT csv_import(?, 'sales', 'mode=replace')", (pat,)).fetchone() == (5,)
        assert conn.execute("SELECT count(*) FROM sales").fetchone() == (5,)
        # csv_file reads the same files in place, as the same table
        assert _rows(conn, pat) == conn.execute("SELECT * FROM sales ORDER BY rowid").fetchall()
        # a name that holds * but is a file is that file, not a pattern
        star = _write(d, "star*.csv", b"a\n1\n")
        assert conn.execute("SELECT csv_import(?, 'one')", (star,)).fetchone() == (1,)
        assert [r[1] for r in conn.execute("PRAGMA table_info(one)")] == ["a"]
    finally:
        shutil.rmtree(d)


def test_csv_import_over_a_pattern_keeps_nothing_on_error():
    d = _dir()
    try:
        rows = "id,v\n" + "".join("%d,%d\n" % (i, i) for i in range(1000))
        gz = gzip.compress(rows.encode())
        _folder(d, {"a.csv": rows, "b.csv.gz": gz[: len(gz) // 2], "c.csv": rows})
        conn = connect()
        conn.isolation_level = None
        pat = os.path.join(d, "*.csv*")
        e = expect_error(conn, "SELECT csv_import(?, 't')", "truncated", (pat,))
        assert os.path.join(d, "b.csv.gz") in e, e
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone() == (0,)
        # a bad row under strict=yes in the last file: the error names file, line and column, and
        # the files before it are not kept, inside the user's own transaction too
        _write(d, "b.csv.gz", gzip.compress(rows.encode()))
        _write(d, "c.csv", (rows + "1000,x,extra\n").encode())
        conn.execute("CREATE TABLE keep(x)")
        conn.execute("BEGIN")
        conn.execute("INSERT INTO keep VALUES (1)")
        e = expect_error(conn, "SELECT csv_import(?, 't', 'strict=yes')", "line 1002", (pat,))
        assert os.path.join(d, "c.csv") in e and "file 3 of the 3" in e and "nothing was imported" in e, e
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone() == (0,)
        conn.execute("COMMIT")
        assert conn.execute("SELECT count(*) FROM keep").fetchone() == (1,)
        # no match; too many files; schema= cannot be matched by name
        expect_error(conn, "SELECT csv_import(?, 't')", "no file matches", (os.path.join(d, "*.tsv"),))
        expect_error(conn, "SELECT csv_import(?, 't', 'schema=CREATE TABLE x(a)')", "schema= cannot be used",
                     (pat,))
        many = os.path.join(d, "many")
        os.mkdir(many)
        for i in range(1001):
            _write(many, "f%04d.csv" % i, b"a\n1\n")
        e = expect_error(conn, "SELECT csv_import(?, 't')", "matches 1001 files, more than the 1000",
                         (os.path.join(many, "*.csv"),))
        # a matched directory or device is refused by name, never read
        os.mkdir(os.path.join(d, "sub.csv"))
        expect_error(conn, "SELECT csv_import(?, 't')", "it is a directory", (os.path.join(d, "*.csv"),))
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone() == (0,)
        # a column named filename would be overwritten: refused
        other = os.path.join(d, "other")
        os.mkdir(other)
        _write(other, "x.csv", b"filename,b\nq,1\n")
        expect_error(conn, "SELECT csv_import(?, 't')", "column named \"filename\"", (os.path.join(other, "*"),))
    finally:
        shutil.rmtree(d)


def test_csv_import_over_a_pattern_can_be_interrupted():
    d = _dir()
    try:
        rows = "id,v\n" + "".join("%d,%d\n" % (i, i) for i in range(20000))
        _folder(d, {"a.csv": rows, "b.csv": rows})
        conn = connect()
        conn.isolation_level = None
        calls = [0]

        def stop():
            calls[0] += 1
            return 1 if calls[0] > 50 else 0
        conn.set_progress_handler(stop, 1000)
        expect_error(conn, "SELECT csv_import(?, 't')", "interrupted", (os.path.join(d, "*.csv"),))
        conn.set_progress_handler(None, 0)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone() == (0,)
        assert conn.execute("SELECT csv_import(?, 't')", (os.path.join(d, "*.csv"),)).fetchone() == (40000,)
    finally:
        shutil.rmtree(d)


def test_interrupt_acts_while_a_gzip_file_is_read():
    """sqlite3_interrupt stops csv_sniff, csv_file, csv_import and lines_file
    during the read of a .gz file, not after it, and nothing is kept."""
    import sqlite3
    import time
    d = _dir()
    try:
        line = b"kr,seoul,Seoul,11,9776000,37.5665,126.978\n"
        p = _write(d, "long.csv.gz", gzip.compress(b"cc,city,accent,region,pop,lat,lon\n" + line * 800000, 1))
        c = sqlite3.connect(":memory:", check_same_thread=False)
        c.enable_load_extension(True)
        c.load_extension(EXT)
        c.isolation_level = None
        t0 = time.time()
        c.execute("SELECT csv_sniff(?)", (p,)).fetchall()
        whole = time.time() - t0
        for sql in ("SELECT csv_sniff(?)", "CREATE VIRTUAL TABLE l USING csv_file('%s')" % p,
                    "SELECT csv_import(?, 'l2')", "SELECT count(*), sum(length(line)) FROM lines_file(?)"):
            took = expect_interrupted(c, sql, (p,) if "?" in sql else ())
            assert took < whole / 2 + 0.05, (sql, took, whole)
        assert c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        shutil.rmtree(d)


def test_csv_import_over_a_pattern_of_files_without_a_header():
    """Files without a header get column1, column2, ... and are appended by
    those names, so the table's filename column is never taken for a data
    column matched by position; the rows equal csv_file's over the pattern."""
    d = _dir()
    try:
        _folder(d, {"a.csv": "1,x\n2,y\n", "b.csv": "3,z\n"})
        pat = os.path.join(d, "*.csv")
        conn = connect()
        for opts in ("", "header=0"):
            conn.execute("DROP TABLE IF EXISTS t")
            assert conn.execute("SELECT csv_import(?, 't', ?)", (pat, opts)).fetchone() == (3,)
            assert [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(t)")] == \
                [("column1", "INTEGER"), ("column2", "TEXT"), ("filename", "TEXT")]
            assert conn.execute("SELECT column1, column2, filename FROM t ORDER BY rowid").fetchall() == \
                [(1, "x", os.path.join(d, "a.csv")), (2, "y", os.path.join(d, "a.csv")),
                 (3, "z", os.path.join(d, "b.csv"))]
        conn.execute("CREATE VIRTUAL TABLE temp.v USING csv_file('%s')" % pat)
        assert conn.execute("SELECT * FROM v").fetchall() == conn.execute("SELECT * FROM t").fetchall()
        # names given by the user still name the columns of every file
        assert conn.execute("SELECT csv_import(?, 'n', 'columns=id,tag')", (pat,)).fetchone() == (3,)
        assert conn.execute("SELECT id, tag FROM n ORDER BY rowid").fetchall() == [(1, "x"), (2, "y"), (3, "z")]
    finally:
        shutil.rmtree(d)
