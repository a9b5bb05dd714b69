"""CSV hardening: a differential test against Python's csv module, and one
regression test per fix of the adversarial review (sep= line, preamble
guard, delimiter tie-break, non-CSV files, FIFOs, directories)."""
import csv
import io
import os
import random
import tempfile

from helpers import connect, expect_error

ALPH = ['a', 'Z', '1', '0', ' ', '"', ',', ';', '\t', '|', '\n', '\r\n', '\r', '\u00e9', '\u4e2d',
        '\U0001F600', 'x y', '-', '.']


def _tmp(data, suffix=".csv"):
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def _field(rng):
    if rng.random() < 0.15:
        return ''
    return ''.join(rng.choice(ALPH) for _ in range(rng.randint(1, 8)))


def test_differential_against_python_csv():
    # Random RFC 4180 files (quoted delimiters, doubled quotes, CRLF/LF/CR,
    # embedded line breaks, empty fields, with or without a final newline,
    # non-ASCII): every field must equal what Python's csv module reads.
    rng = random.Random(20261123)
    conn = connect()
    for it in range(250):
        delim = rng.choice([',', ';', '\t', '|'])
        term = rng.choice(['\n', '\r\n', '\r'])
        ncols = rng.randint(1, 5)
        rows = [[_field(rng) for _ in range(ncols)] for _ in range(rng.randint(1, 8))]
        out = io.StringIO()
        w = csv.writer(out, delimiter=delim, lineterminator=term,
                       quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        w.writerows(rows)
        s = out.getvalue()
        if rng.random() < 0.3:
            s = s[:-len(term)]
        exp = [r for r in csv.reader(io.StringIO(s, newline=''), delimiter=delim) if r != []]
        path = _tmp(s.encode())
        try:
            conn.execute("DROP TABLE IF EXISTS t")
            conn.execute("CREATE VIRTUAL TABLE t USING csv_file('%s', header=no, skip=0, types=text,"
                         " null='NULLX', delimiter='%s')" % (path, '\\t' if delim == '\t' else delim))
            got = [list(r) for r in conn.execute("SELECT * FROM t")]
        finally:
            os.unlink(path)
        nc = len(got[0]) if got else 0
        # short rows are padded with NULL, extra fields dropped (and recorded)
        exp = [(r + [None] * (nc - len(r)))[:nc] for r in exp]
        assert got == exp, (it, s, exp, got)


def test_excel_sep_line():
    p = _tmp(b"sep=;\nname;value\nA;1,5\nB;2,25\n")
    try:
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE s USING csv_file('%s')" % p)
        assert [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('s')")] == ["name", "value"]
        assert conn.execute("SELECT * FROM s").fetchall() == [("A", "1,5"), ("B", "2,25")]
        sniff = conn.execute("SELECT json_extract(csv_sniff(?), '$.delimiter'),"
                             " json_extract(csv_sniff(?), '$.skip')", (p, p)).fetchone()
        assert sniff == (";", 1), sniff
    finally:
        os.unlink(p)


def test_short_first_row_is_not_a_preamble():
    # no header follows the short line: it is data (a recorded reject), not dropped
    p = _tmp(b"1,2\n3,4,5,6\n5,6,7,8\n9,1,2,3\n")
    t = _tmp(b"Table 1: exports by partner\nname,value,code\nA,1,x\nB,2,y\nC,3,z\n")
    try:
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE s USING csv_file('%s')" % p)
        assert conn.execute("SELECT count(*), sum(column1) FROM s").fetchone() == (4, 18)
        assert conn.execute("SELECT line FROM temp.csv_rejects").fetchall() == [(1,)]
        conn.execute("CREATE VIRTUAL TABLE u USING csv_file('%s')" % t)
        assert conn.execute("SELECT name, value FROM u").fetchall() == [("A", 1), ("B", 2), ("C", 3)]
    finally:
        os.unlink(p)
        os.unlink(t)


def test_delimiter_tie_prefers_more_fields():
    # "1,5" in every row splits each row in two on ',' as consistently as '|' does in three
    p = _tmp(b"1,5|x|12\r\nalpha|b|1,5\r\n-7|Korea, Rep.|00123\r\n")
    try:
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE s USING csv_file('%s', header=no)" % p)
        assert conn.execute("SELECT * FROM s").fetchall() == [
            ("1,5", "x", "12"), ("alpha", "b", "1,5"), ("-7", "Korea, Rep.", "00123")]
    finally:
        os.unlink(p)


def test_number_shapes_stay_text():
    vals = ["+5", "NaN", "inf", "-0", "0x1F", "99999999999999999999", " 12", "12 ", "2024-01-05", "true"]
    p = _tmp(("n,s\n" + "".join("%d,%s\n" % (i, v) for i, v in enumerate(vals))).encode())
    try:
        conn = connect()
        assert conn.execute("SELECT csv_import(?, 'x')", (p,)).fetchone()[0] == len(vals)
        got = conn.execute("SELECT s, typeof(s) FROM x ORDER BY n").fetchall()
        assert got == [(v, "text") for v in vals], got
    finally:
        os.unlink(p)


def test_not_csv_files_are_refused():
    conn = connect()
    d = tempfile.mkdtemp()
    # (gzip is read: tests/python/test_csv_input.py)
    gz = _tmp(b"BZh91AY&SY\x00\x00\x00\x00")
    u16 = _tmp("a,b\n1,2\n".encode("utf-16-le"))
    fifo = os.path.join(d, "f.csv")
    os.mkfifo(fifo)
    try:
        expect_error(conn, "SELECT csv_sniff(?)", "bzip2-compressed, not CSV", (gz,))
        expect_error(conn, "SELECT csv_sniff(?)", "UTF-16", (u16,))
        expect_error(conn, "SELECT csv_sniff(?)", "is a directory", (d,))
        # a FIFO with no writer must not hang
        expect_error(conn, "SELECT csv_sniff(?)", "it is a pipe (FIFO)", (fifo,))
        expect_error(conn, "SELECT csv_import(?, 'z')", "it is a pipe (FIFO)", (fifo,))
        # nor is a device read: only regular files are
        expect_error(conn, "SELECT csv_sniff('/dev/null')", "/dev/null: it is a character device")
    finally:
        os.unlink(gz)
        os.unlink(u16)
        os.unlink(fifo)
        os.rmdir(d)
