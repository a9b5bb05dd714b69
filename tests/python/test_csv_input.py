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

from helpers import EXT, connect, expect_error

ROWS = "id,name,score\n1,Zoë,1.5\n2,\"a, b\",2.25\n3,😀,3\n"
WANT = [(1, "Zoë", 1.5), (2, "a, b", 2.25), (3, "😀", 3)]


def _dir():
    return tempfile.mkdtemp(prefix="el_csv17_")


def _write(d, name, data):
    p = os.path.join(d, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


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
