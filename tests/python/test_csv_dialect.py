"""CSV dialects beyond one-byte delimiters: delimiters of 2 to 4 bytes,
multi-row headers, decimal commas and thousands separators, dates."""
import json
import os
import random
import sqlite3
import tempfile

from helpers import connect, expect_error


def _tmp(data, suffix=".csv"):
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _rows(conn, path, opts):
    conn.execute("DROP TABLE IF EXISTS temp.t")
    conn.execute("CREATE VIRTUAL TABLE temp.t USING csv_file('%s', %s)" % (path, opts))
    return conn.execute("SELECT * FROM temp.t").fetchall()


def _write(rows, delim, quote='"'):
    """A reference writer: a field is quoted when it holds the quote, a line
    break or the delimiter, or when it ends with the delimiter's first bytes
    (delimiters are matched left to right, so "a~|" then "~|~" would read
    as "a" then "|~|~"); quotes inside are doubled."""
    out = []
    for r in rows:
        cells = []
        for v in r:
            if quote in v or "\n" in v or "\r" in v or (v + delim).find(delim) != len(v):
                v = quote + v.replace(quote, quote * 2) + quote
            cells.append(v)
        out.append(delim.join(cells))
    return "\n".join(out) + "\n"


# --- delimiters of several bytes ---------------------------------------------

def test_multibyte_delimiter_keeps_lone_bytes_and_quotes():
    path = _tmp('a||b||c\n1||x|y||"q||r"\n2||a"b||"he said ""hi"""\n3|||z||\n')
    conn = connect()
    rows = _rows(conn, path, "delimiter='||'")
    # a lone '|' is data; '|||' is the delimiter then a '|' (left to right)
    assert rows == [(1, "x|y", "q||r"), (2, 'a"b', 'he said "hi"'), (3, "|z", None)], rows
    assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0
    cols = [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('t')")]
    assert cols == ["a", "b", "c"], cols


def test_comma_space_delimiter_is_not_trimming():
    # ", " splits; a lone comma, and blanks that are not part of ", ", stay
    path = _tmp('name, city, n\nSmith,J,  Paris , 1\n"Doe, Jane", " Rome", 2\n')
    conn = connect()
    rows = _rows(conn, path, "delimiter=', '")
    assert rows == [("Smith,J", " Paris ", 1), ("Doe, Jane", " Rome", 2)], rows


def test_multibyte_delimiter_round_trips_random_fields():
    rng = random.Random(17)
    alphabet = ["~", "|", "~|", '"', "a", "b", " ", "\n", ",", "\u00e9", "x~|~y", "~|~"]
    for delim in ["~|~", "||", ", ", "\u00a7\u00a7"]:
        rows = [["h%d" % i for i in range(4)]]
        for _ in range(300):
            rows.append(["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(4)])
        path = _tmp(_write(rows, delim))
        conn = connect()
        got = _rows(conn, path, "delimiter='%s', types=text, null=none" % delim)
        assert [list(r) for r in got] == rows[1:], delim
        assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0


def test_multibyte_delimiter_across_a_long_line():
    # lines over 64 KB reach libcsv in pieces: a delimiter cut by a piece's
    # edge is still one delimiter, wherever the edge falls
    for pad in range(65530, 65538):
        a = "x" * pad
        path = _tmp("c1~|~c2~|~c3\n%s~|~b~|~c\n" % a)
        conn = connect()
        rows = _rows(conn, path, "delimiter='~|~'")
        assert rows == [(a, "b", "c")], (pad, [len(v) for v in rows[0]])


def test_multibyte_delimiter_end_of_file_and_empty_fields():
    conn = connect()
    # no final line break: the last unquoted field is closed all the same
    assert _rows(conn, _tmp("a||b\n1||end"), "delimiter='||'") == [(1, "end")]
    # a quoted last field without a line break
    assert _rows(conn, _tmp('a||b\n1||"q"'), "delimiter='||'") == [(1, "q")]
    # empty fields on both sides and a line of delimiters only
    assert _rows(conn, _tmp("a||b||c\n||x||\n||||\n"), "delimiter='||', types=text, null=none") == \
        [("", "x", ""), ("", "", "")]


def test_multibyte_delimiter_unterminated_quote():
    # as with one-byte delimiters: the quote left open is named, with its line
    path = _tmp('a||b\n1||"open\n2||x\n')
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE temp.u USING csv_file('%s', delimiter='||')" % path)
    expect_error(conn, "SELECT * FROM temp.u", "line 2, column 2: unterminated quoted field")


def test_multibyte_delimiter_no_quoting_and_escapes():
    conn = connect()
    # quote=none: quotes are data, doubled or not
    rows = _rows(conn, _tmp('a~~b\n"x~~y""\n'), "delimiter='~~', quote=none")
    assert rows == [('"x', 'y""')], rows
    # backslash escapes inside quotes
    rows = _rows(conn, _tmp('a##b\n"say \\"hi\\""##2\n'), "delimiter='##', escape='\\'")
    assert rows == [('say "hi"', 2)], rows


def test_multibyte_delimiter_latin1():
    data = "nom;;ville\nJos\u00e9;;S\u00e8te\n".encode("latin-1")
    conn = connect()
    rows = _rows(conn, _tmp(data), "delimiter=';;', encoding=latin1")
    assert rows == [("Jos\u00e9", "S\u00e8te")], rows


def test_multibyte_delimiter_strict_quoting():
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE temp.s USING csv_file('%s', delimiter='||', strict=yes)"
                 % _tmp('a||b\n1||2\n"x"y||2\n'))
    expect_error(conn, "SELECT * FROM temp.s", "line 3, column 1: malformed quoting")
    conn.execute("CREATE VIRTUAL TABLE temp.s2 USING csv_file('%s', delimiter='||', strict=yes)"
                 % _tmp('a||b\n1||2\nx"y||2\n'))
    expect_error(conn, "SELECT * FROM temp.s2", "line 3, column 1: malformed quoting")


def test_multibyte_delimiter_csv_import_and_reopen():
    path = _tmp("id;;v\n1;;a;b\n2;;c\n")
    fd, db = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    conn = connect(db)
    assert conn.execute("SELECT csv_import(?, 'imp', 'delimiter='';;''')", (path,)).fetchone()[0] == 2
    assert conn.execute("SELECT * FROM imp").fetchall() == [(1, "a;b"), (2, "c")]
    conn.execute("CREATE VIRTUAL TABLE v USING csv_file('%s', delimiter=';;')" % path)
    conn.commit()
    conn.close()
    # the stored description keeps the whole delimiter
    conn = connect(db)
    assert conn.execute("SELECT * FROM v").fetchall() == [(1, "a;b"), (2, "c")]
    sniff = json.loads(conn.execute("SELECT csv_sniff(?, 'delimiter='';;''')", (path,)).fetchone()[0])
    assert sniff["delimiter"] == ";;" and "delimiter=';;'" in sniff["sql"], sniff
    conn.execute("DROP TABLE v")
    conn.execute(sniff["sql"].replace('"t', '"w'))


def test_multibyte_delimiter_hostile_values():
    path = _tmp("a||b\n1||2\n")
    conn = connect()
    sql = "SELECT csv_sniff('%s', '%s')"
    expect_error(conn, sql % (path, "delimiter=''|||||''"), "a delimiter is 1 to 4 bytes")
    expect_error(conn, sql % (path, "delimiter="), "a delimiter is 1 to 4 bytes")
    expect_error(conn, sql % (path, "delimiter=''|\"|''"), "holds the quote character")
    expect_error(conn, sql % (path, "delimiter=''\\|''; escape=''\\''"), "holds the escape character")
    expect_error(conn, sql % (path, "delimiter=''\"''"), "holds the quote character")
    # a forged stored description is refused, not read with a broken delimiter
    fd, db = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    c2 = connect(db)
    c2.execute("CREATE VIRTUAL TABLE v USING csv_file('%s', delimiter='||')" % path)
    c2.execute("UPDATE v_config SET v = 10 | (124 << 8) WHERE k = 'delimiter'")  # "\n|"
    c2.commit()
    c2.close()
    c2 = connect(db)
    expect_error(c2, "SELECT * FROM v", "damaged")


# --- multi-row headers ---------------------------------------------------------

def _names(conn, table):
    return [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('%s')" % table)]


def test_header_rows_join_merged_cells():
    # a spreadsheet's merged "2019" over two columns is exported as "2019" and an empty cell
    path = _tmp(",2019,,2020,\nCountry,Exports,Imports,Exports,Imports\nKorea,1.5,2,3,4\nChile,5,6,7,8\n")
    conn = connect()
    rows = _rows(conn, path, "header=2")
    assert _names(conn, "t") == ["Country", "2019 Exports", "2019 Imports", "2020 Exports", "2020 Imports"]
    assert rows == [("Korea", 1.5, 2, 3, 4), ("Chile", 5.0, 6, 7, 8)], rows
    types = [r[0] for r in conn.execute("SELECT type FROM pragma_table_info('t')")]
    assert types == ["TEXT", "REAL", "INTEGER", "INTEGER", "INTEGER"], types
    # csv_import skips the same rows and gets the same names
    assert conn.execute("SELECT csv_import(?, 'imp', 'header=2')", (path,)).fetchone()[0] == 2
    assert _names(conn, "imp") == _names(conn, "t")
    sniff = json.loads(conn.execute("SELECT csv_sniff(?, 'header=2')", (path,)).fetchone()[0])
    assert sniff["header"] is True and sniff["header_rows"] == 2 and "header=2" in sniff["sql"], sniff


def test_header_rows_spans_stop_at_a_new_parent():
    # three rows: a span in row 2 ends where row 1 starts a new text; a
    # cell repeated under itself is said once; the last row never inherits
    path = _tmp("Trade,,,,Notes\nGoods,,Services,,\nX,M,X,M,\n1,2,3,4,a\n")
    conn = connect()
    _rows(conn, path, "header=3")
    assert _names(conn, "t") == ["Trade Goods X", "Trade Goods M", "Trade Services X",
                                 "Trade Services M", "Notes"], _names(conn, "t")
    path = _tmp("Region,Value\nRegion,2024\nEU,5\n")
    _rows(conn, path, "header=2")
    assert _names(conn, "t") == ["Region", "Value 2024"], _names(conn, "t")


def test_header_rows_with_quoted_line_breaks_and_empty_names():
    path = _tmp(',"Total\nexports",\n,USD,EUR\n1,2,3\n')
    conn = connect()
    rows = _rows(conn, path, "header=2")
    assert _names(conn, "t") == ["column1", "Total\nexports USD", "Total\nexports EUR"], _names(conn, "t")
    assert rows == [(1, 2, 3)], rows


def test_header_rows_reopen_from_stored_description():
    path = _tmp(",2019,\nc,a,b\nx,1,2\n")
    fd, db = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    conn = connect(db)
    conn.execute("CREATE VIRTUAL TABLE v USING csv_file('%s', header=2)" % path)
    conn.commit()
    conn.close()
    conn = connect(db)
    assert _names(conn, "v") == ["c", "2019 a", "2019 b"]
    assert conn.execute("SELECT * FROM v").fetchall() == [("x", 1, 2)]


def test_header_rows_hostile_values():
    path = _tmp("a\nb\n1\n")
    conn = connect()
    for v in ("-1", "101", "99999999999999999999", "two", "2.5"):
        expect_error(conn, "SELECT csv_sniff('%s', 'header=%s')" % (path, v), "bad value for header")
    # more header rows than the file has
    expect_error(conn, "SELECT csv_sniff('%s', 'header=5')" % path, "header=5, but the file has only 3 rows")
    # 0 and 1 keep their meaning (no / yes)
    assert json.loads(conn.execute("SELECT csv_sniff(?, 'header=0')", (path,)).fetchone()[0])["header"] is False
    assert json.loads(conn.execute("SELECT csv_sniff(?, 'header=1')", (path,)).fetchone()[0])["header_rows"] == 1


# --- decimal commas and thousands separators -----------------------------------

DEC = 'land;wert;menge;code\nDE;"1.234,5";1.000;1.5\nFR;"12,25";12;2.5\nIT;"-0,5";"1.234.567";3.5\n'


def _types(conn, table):
    return [r[0] for r in conn.execute("SELECT type FROM pragma_table_info('%s')" % table)]


def test_decimal_comma_and_thousands_point():
    path = _tmp(DEC)
    conn = connect()
    # without the options nothing is read as a number that is not one in C's form
    assert _rows(conn, path, "header=yes")[0] == ("DE", "1.234,5", "1.000", 1.5)
    rows = _rows(conn, path, "decimal=',', thousands='.'")
    assert _types(conn, "t") == ["TEXT", "REAL", "INTEGER", "TEXT"], _types(conn, "t")
    # "1.5" is no number under the options: its column keeps the exact text
    assert rows == [("DE", 1234.5, 1000, "1.5"), ("FR", 12.25, 12, "2.5"), ("IT", -0.5, 1234567, "3.5")], rows
    # thousands='.' alone implies the decimal comma
    assert _rows(conn, path, "thousands='.'") == rows
    # decimal=',' alone: "1.000" is not a number, so menge stays text
    rows = _rows(conn, path, "decimal=','")
    assert _types(conn, "t") == ["TEXT", "TEXT", "TEXT", "TEXT"] and rows[0][1:3] == ("1.234,5", "1.000"), rows
    assert conn.execute("SELECT csv_import(?, 'imp', 'decimal=\",\"; thousands=\".\"')", (path,)).fetchone()[0] == 3
    assert conn.execute("SELECT wert, typeof(wert), menge FROM imp").fetchall() == \
        [(1234.5, "real", 1000), (12.25, "real", 12), (-0.5, "real", 1234567)]


def test_thousands_groups_must_be_whole():
    path = _tmp('v\n"1.234,5"\n"1.23,4"\n')
    conn = connect()
    rows = _rows(conn, path, "decimal=',', thousands='.'")
    assert _types(conn, "t") == ["TEXT"] and rows == [("1.234,5",), ("1.23,4",)], rows
    for bad in ("1..234", ".234", "1.2345", "12345.678", "1.234.", "1,2,3"):
        p = _tmp("v\n1\n%s\n" % bad if "," not in bad else 'v\n1\n"%s"\n' % bad)
        r = _rows(conn, p, "decimal=',', thousands='.'")
        assert r == [("1",), (bad,)], (bad, r)


def test_thousands_comma_and_spaces():
    conn = connect()
    rows = _rows(conn, _tmp('v\n"1,234.5"\n"12,000"\n7\n'), "thousands=','")
    assert rows == [(1234.5,), (12000.0,), (7.0,)], rows
    for sep, name in [(" ", "space"), ("\u2009", "thin"), ("\u00a0", "nbsp"), ("'", "apostrophe")]:
        data = "v\n1%s234,5\n-12%s000,25\n3\n" % (sep, sep)
        rows = _rows(conn, _tmp(data), "delimiter=';', decimal=',', thousands=%s" % name)
        assert rows == [(1234.5,), (-12000.25,), (3.0,)], (name, rows)


def test_number_form_with_a_schema():
    # declared types read under the options; what does not parse stays text
    path = _tmp('a;b\n"1.234,5";x\n"2,0";"3,5"\n')
    conn = connect()
    rows = _rows(conn, path, "decimal=',', thousands='.', schema='CREATE TABLE x(a REAL, b REAL)'")
    assert rows == [(1234.5, "x"), (2.0, 3.5)], rows


def test_number_form_hostile_values():
    path = _tmp("a\n1\n")
    conn = connect()
    sql = "SELECT csv_sniff('%s', '%s')"
    expect_error(conn, sql % (path, "decimal=;"), "bad value for decimal")
    expect_error(conn, sql % (path, "decimal=x"), "bad value for decimal")
    expect_error(conn, sql % (path, "thousands=xx"), "bad value for thousands")
    expect_error(conn, sql % (path, "decimal=\",\"; thousands=\",\""), "decimal and thousands are the same")
    expect_error(conn, sql % (path, "decimal=\".\"; thousands=\".\""), "decimal and thousands are the same")
    expect_error(conn, sql % (path, "thousands=\",\"; decimal=comma"), "decimal and thousands are the same")


# --- dates and timestamps --------------------------------------------------------

def test_iso_dates_and_timestamps_are_typed_and_kept():
    path = _tmp("day,at,mixed\n2024-03-05,2024-03-05T10:00:00Z,2024-03-05\n"
                "2024-02-29,2024-03-05 10:00:59.125+05:30,2024-03-06 23:59\n,2024-12-31T00:00-0800,\n")
    conn = connect()
    rows = _rows(conn, path, "header=yes")
    assert _types(conn, "t") == ["DATE", "TIMESTAMP", "TIMESTAMP"], _types(conn, "t")
    # ISO 8601 text is kept exactly as written ('T' or a space, zones and all)
    assert rows == [("2024-03-05", "2024-03-05T10:00:00Z", "2024-03-05"),
                    ("2024-02-29", "2024-03-05 10:00:59.125+05:30", "2024-03-06 23:59"),
                    (None, "2024-12-31T00:00-0800", None)], rows
    # SQLite's date functions read them
    assert conn.execute("SELECT date(day, '+1 day') FROM t LIMIT 1").fetchone()[0] == "2024-03-06"


def test_year_first_dates_become_iso():
    path = _tmp("d\n2024/3/5\n2024/12/31\n")
    conn = connect()
    assert _rows(conn, path, "header=yes") == [("2024-03-05",), ("2024-12-31",)]
    assert _types(conn, "t") == ["DATE"]


def test_ambiguous_dates_need_a_dateformat():
    path = _tmp("d\n03/05/2024\n12/31/2024\n")
    conn = connect()
    # day/month or month/day is never guessed
    assert _rows(conn, path, "header=yes") == [("03/05/2024",), ("12/31/2024",)]
    assert _types(conn, "t") == ["TEXT"]
    assert _rows(conn, path, "dateformat='MM/DD/YYYY'") == [("2024-03-05",), ("2024-12-31",)]
    assert _types(conn, "t") == ["DATE"]
    # read as day/month, 12/31 is no date: the column keeps its text
    assert _rows(conn, path, "dateformat='DD/MM/YYYY'") == [("03/05/2024",), ("12/31/2024",)]
    assert _types(conn, "t") == ["TEXT"]
    rows = _rows(conn, _tmp("d;t\n05.03.2024;05.03.2024 08:30\n31.12.2024;31.12.2024 23:59:01\n"),
                 "dateformat='DD.MM.YYYY'")
    assert rows == [("2024-03-05", "2024-03-05 08:30"), ("2024-12-31", "2024-12-31 23:59:01")], rows
    assert _types(conn, "t") == ["DATE", "TIMESTAMP"]


def test_a_value_that_is_no_date_keeps_every_value():
    # 2023 has no 29 February, 13 is no month, 24 no hour: the columns stay TEXT, unchanged
    for bad in ("2023-02-29", "2024-13-01", "2024-03-05T24:00", "2024-03-05x", "2024-3-05T1:00"):
        path = _tmp("d\n2024/01/02\n%s\n" % bad)
        conn = connect()
        assert _rows(conn, path, "header=yes") == [("2024/01/02",), (bad,)], bad
        assert _types(conn, "t") == ["TEXT"], bad


def test_dates_with_missing_markers_and_no_header():
    conn = connect()
    rows = _rows(conn, _tmp("2024-01-01,5\n2024-01-02,6\nNA,7\n"), "header=auto")
    # the first row is data: a date is no column name
    assert _names(conn, "t") == ["column1", "column2"] and _types(conn, "t") == ["DATE", "INTEGER"]
    assert rows == [("2024-01-01", 5), ("2024-01-02", 6), (None, 7)], rows
    assert _rows(conn, _tmp("d\n2024-01-01\n"), "dateformat=none") == [("2024-01-01",)]
    assert _types(conn, "t") == ["TEXT"]


def test_dates_csv_import_and_stored_description():
    path = _tmp("d,v\n2024/01/02,1\n2024/01/03,2\n")
    fd, db = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    conn = connect(db)
    assert conn.execute("SELECT csv_import(?, 'imp')", (path,)).fetchone()[0] == 2
    assert conn.execute("SELECT d, typeof(d) FROM imp").fetchall() == [("2024-01-02", "text"), ("2024-01-03", "text")]
    assert "\"d\" DATE" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'imp'").fetchone()[0]
    conn.execute("CREATE VIRTUAL TABLE v USING csv_file('%s')" % path)
    conn.commit()
    conn.close()
    conn = connect(db)
    assert _types(conn, "v") == ["DATE", "INTEGER"]
    assert conn.execute("SELECT d FROM v").fetchall() == [("2024-01-02",), ("2024-01-03",)]
    # types from the first rows only: a later value that is no date is kept as text
    path = _tmp("d\n2024-01-02\n2024-01-03\nsoon\n")
    assert conn.execute("SELECT csv_import(?, 'imp2', 'sample=1')", (path,)).fetchone()[0] == 3
    assert conn.execute("SELECT d FROM imp2").fetchall() == [("2024-01-02",), ("2024-01-03",), ("soon",)]


def test_dateformat_hostile_values():
    path = _tmp("d\n2024-01-01\n")
    conn = connect()
    for v in ("YYYY", "DD.MM.YY", "YYYY-MM-DD-DD", "%d.%m.%Y", "YYYY-MM-DD hh:mm", "DD" * 20, ""):
        expect_error(conn, "SELECT csv_sniff('%s', 'dateformat=\"%s\"')" % (path, v), "bad value for dateformat")


def test_dates_with_month_names():
    path = _tmp('a,b,c\n"Mar 5, 2024",5 March 2024,05-Mar-2024\n"Sept. 30, 2024",29 feb 2024,1-DEC-2024 10:30\n')
    conn = connect()
    rows = _rows(conn, path, "header=yes")
    assert _types(conn, "t") == ["DATE", "DATE", "TIMESTAMP"], _types(conn, "t")
    assert rows == [("2024-03-05", "2024-03-05", "2024-03-05"),
                    ("2024-09-30", "2024-02-29", "2024-12-01 10:30")], rows
    # a word that is no month, or a day the month does not have, keeps the column's text
    for bad in ("Mars 5, 2024", "Feb 30, 2024", "Mar 5,2024", "5 Mar-2024"):
        r = _rows(conn, _tmp('d\n"Mar 5, 2024"\n"%s"\n' % bad), "header=yes")
        assert r == [("Mar 5, 2024",), (bad,)] and _types(conn, "t") == ["TEXT"], (bad, r)


def test_sniff_suggests_a_decimal_comma_and_never_applies_it():
    conn = connect()
    sniff = json.loads(conn.execute("SELECT csv_sniff(?)", (_tmp(DEC),)).fetchone()[0])
    assert [c["type"] for c in sniff["columns"]] == ["TEXT", "TEXT", "TEXT", "REAL"], sniff["columns"]
    w = sniff["warnings"]
    assert len(w) == 2 and w[0].startswith("column 2 (wert) is TEXT") and "decimal=','; thousands='.'" in w[0], w
    assert w[1].startswith("column 3 (menge)"), w
    # a space between thousands; and nothing said of a column with other text
    sniff = json.loads(conn.execute("SELECT csv_sniff(?)", (_tmp('a;b\n"1 234,5";x\n"2,5";"1,5"\n'),)).fetchone()[0])
    assert sniff["warnings"] == ["column 1 (a) is TEXT, but every value is a number with the options "
                                 "decimal=','; thousands=' ': give them to read it as numbers"], sniff["warnings"]
    # with the options given, nothing is suggested
    sniff = json.loads(conn.execute("SELECT csv_sniff(?, 'decimal=\",\"')", (_tmp(DEC),)).fetchone()[0])
    assert sniff["warnings"] == [], sniff["warnings"]


def test_multibyte_delimiter_rejects_name_lines_and_keep_raw_text():
    # many lines per libcsv call (no quotes): rows are still located exactly
    path = _tmp("a||b\n1||2\n3||4||5\n\n6||7\n8\n9||10\n")
    conn = connect()
    assert conn.execute("SELECT csv_import(?, 'imp', 'delimiter=\"||\"')", (path,)).fetchone()[0] == 5
    rej = conn.execute('SELECT line, "column", error, raw_line FROM temp.csv_rejects').fetchall()
    assert rej == [(3, 3, "too many fields (expected 2, got 3)", "3||4||5"),
                   (6, 2, "too few fields (expected 2, got 1)", "8")], rej


def test_declared_date_columns_take_iso_dates_too():
    """A DATE or TIMESTAMP column the user declared (an existing table, mode=append,
    or csv_import over a file pattern, whose files append one by one) gets the same
    ISO 8601 text as a column csv_import typed itself; a number keeps the NUMERIC
    affinity's value and other text stays as written."""
    d = tempfile.mkdtemp()
    for name, body in (("a.csv", "d,v\n2024/3/5,1\n"), ("b.csv", "d,v\n2024-03-07,2\n")):
        with open(os.path.join(d, name), "w") as f:
            f.write(body)
    conn = connect()
    conn.execute("SELECT csv_import(?, 'g')", (os.path.join(d, "*.csv"),))
    assert conn.execute("SELECT d FROM g ORDER BY v").fetchall() == [("2024-03-05",), ("2024-03-07",)]
    conn.execute("CREATE TABLE u(d DATE, t TIMESTAMP, v INT)")
    path = _tmp("d,t,v\n2024/3/5,2024/3/5 10:00,1\n20240305,soon,2\n")
    conn.execute("SELECT csv_import(?, 'u', 'mode=append')", (path,))
    assert conn.execute("SELECT d, t FROM u ORDER BY v").fetchall() == \
        [("2024-03-05", "2024-03-05 10:00"), (20240305, "soon")], conn.execute("SELECT * FROM u").fetchall()
