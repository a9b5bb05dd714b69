"""Quality gates that run in every clone, on data shipped in tests/gold/: the
three trade downloads' layouts (tests/gold/csv, written by the project with
invented values, in the exact shape of the World Bank WDI, UN Comtrade and
KOSIS files: BOM, preamble lines, trailing commas, Latin-1, CRLF, periods that
look like decimals). The same checks run on the real downloads in
test_csv.py when ../shared is present (always in CI).

The other shipped gates live beside their capability: entity F1 on Federal
Register abstracts (test_entities.py), terms recall on them (test_terms.py),
the economy names of the real files (test_entities.py) and the screening
list sample (test_screen.py)."""
import json
import os

from helpers import ROOT, connect

GOLD = os.path.join(ROOT, "tests", "gold", "csv")


def _path(name):
    return os.path.join(GOLD, name)


def test_wdi_layout_with_no_options():
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE wdi USING csv_file('%s')" % _path("wdi_layout.csv"))
    cols = conn.execute("SELECT name, type FROM pragma_table_info('wdi')").fetchall()
    assert cols[:4] == [("Country Name", "TEXT"), ("Country Code", "TEXT"), ("Indicator Name", "TEXT"),
                        ("Indicator Code", "TEXT")], cols
    assert [c[0] for c in cols[4:11]] == [str(y) for y in range(2016, 2023)], cols
    assert all(c[1] == "REAL" for c in cols[4:11]), cols
    # every line ends with a comma: an eleventh, empty column, named
    assert len(cols) == 12 and cols[-1][0] == "column12", cols
    assert conn.execute("SELECT count(*) FROM wdi").fetchone()[0] == 8
    row = conn.execute("""SELECT "Country Code", "2022", typeof("2022"), "2016" FROM wdi
                          WHERE "Country Name" = 'Korea, Rep.'""").fetchone()
    assert row == ("KOR", 48.1, "real", 39.6), row
    # empty cells are NULL, not '' or 0; nothing rejected
    assert conn.execute("""SELECT count(*) FROM wdi WHERE "2016" IS NULL""").fetchone()[0] == 2
    assert conn.execute("""SELECT count(*) FROM wdi WHERE typeof("2020") = 'text'""").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0


def test_wdi_layout_sniff_and_import():
    conn = connect()
    path = _path("wdi_layout.csv")
    sniff = json.loads(conn.execute("SELECT csv_sniff(?)", (path,)).fetchone()[0])
    assert sniff["skip"] == 4 and sniff["header"] is True and sniff["bom"] is True, sniff
    assert sniff["delimiter"] == "," and sniff["rows_sampled"] == 8 and sniff["rejects_sampled"] == 0, sniff
    assert conn.execute("SELECT csv_import(?, 'wdi')", (path,)).fetchone()[0] == 8
    got = conn.execute("""SELECT "Country Name", "Country Code" FROM wdi
                          WHERE "Country Name" LIKE '%,%' ORDER BY 1""").fetchall()
    assert got == [("Hong Kong SAR, China", "HKG"), ("Korea, Dem. People's Rep.", "PRK"),
                   ("Korea, Rep.", "KOR")], got
    conn.execute(sniff["sql"])  # the statement csv_sniff proposes runs, and reads the same rows
    assert conn.execute('SELECT count(*) FROM "wdi_layout"').fetchone()[0] == 8


def test_comtrade_layout_latin1_crlf():
    conn = connect()
    path = _path("comtrade_layout.csv")
    enc = json.loads(conn.execute("SELECT csv_sniff(?)", (path,)).fetchone()[0])["encoding"]
    assert enc == "latin1", enc
    assert conn.execute("SELECT csv_import(?, 'ct')", (path,)).fetchone()[0] == 6
    names = [r[0] for r in conn.execute("SELECT reporterDesc FROM ct ORDER BY rowid")]
    assert names == ["C\u00f4te d'Ivoire", "T\u00fcrkiye", "Cura\u00e7ao", "Rep. of Korea", "Other Asia, nes", "USA"]
    cols = [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('ct')")]
    # 47 names in the header; every data row ends with a comma: a 48th column, named
    assert len(cols) == 48 and cols[0] == "typeCode" and cols[-1] == "column48", cols[-3:]
    assert conn.execute("SELECT count(*) FROM temp.csv_rejects").fetchone()[0] == 0
    t = conn.execute("SELECT typeof(primaryValue), typeof(refYear), typeof(cmdCode), typeof(qty) "
                     "FROM ct WHERE reporterISO = 'KOR'").fetchone()
    assert t == ("real", "integer", "integer", "null"), t
    v = conn.execute("SELECT primaryValue FROM ct WHERE reporterISO = 'USA'").fetchone()[0]
    assert v == 45110000000.5, v
    # the names join to ISO3 codes the way the showcase joins them
    got = conn.execute("SELECT reporterDesc, country_code(reporterDesc) FROM ct ORDER BY rowid").fetchall()
    assert [g[1] for g in got] == ["CIV", "TUR", "CUW", "KOR", "TWN", "USA"], got


def test_kosis_layout_periods_stay_text():
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE k USING csv_file('%s')" % _path("kosis_layout.csv"))
    assert [r[0] for r in conn.execute("SELECT name FROM pragma_table_info('k')")] == \
        ["Country", "Date", "Exports", "Imports"]
    assert conn.execute("SELECT count(*), count(DISTINCT Date) FROM k").fetchone() == (14, 14)
    # "2001.10" is October and "2001.01" January: the period column stays text, unchanged
    row = conn.execute("SELECT Exports, Imports, typeof(Exports), typeof(Date) FROM k "
                       "WHERE Date = '2001.10'").fetchone()
    assert row == (1200000 + 37011 * 9, 950000 + 21013 * 9, "integer", "text"), row
    assert conn.execute("SELECT min(Date), max(Date) FROM k").fetchone() == ("2001.01", "2002.02")
    assert conn.execute("SELECT DISTINCT country_code(Country) FROM k").fetchall() == [("CHN",)]
