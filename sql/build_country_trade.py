#!/usr/bin/python3
"""Rebuild sql/data/country_trade.csv from the real source files.

    /usr/bin/python3 sql/build_country_trade.py [SOURCE_DIR] [OUT]

SOURCE_DIR defaults to ../shared/data/trade (relative to the repository root)
and OUT to sql/data/country_trade.csv; OUT '-' writes to stdout. The source
files are read in place with the extension's own csv_file virtual table (the
WDI preamble and trailing commas, Comtrade's Latin-1 and CRLF, KOSIS's
"2001.01" dates need no options), so build/exportlens must be built first
(`make`). The output is sorted and its numbers formatted the same way on every
run, so the committed CSV can be compared with a rebuild byte for byte.

Columns: iso3, country, year, indicator, object, value, unit, source, basis.
Indicator names are the metric names of claims(), and `object` mirrors its
object column (a partner's ISO3 code, a product, or empty), so a claim joins
the dataset on (subject, metric, object) = (iso3, indicator, object).
basis is 'measured' (a published statistic), 'derived' (computed here from
measured figures) or 'reported' (a figure an article states, kept for
reference; claim_check never compares a claim with these).
"""
import csv
import io
import os
import sqlite3
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_SRC = os.path.join(ROOT, "..", "shared", "data", "trade")
DEFAULT_OUT = os.path.join(ROOT, "sql", "data", "country_trade.csv")

WDI_FILE = "wdi_exports_pct_gdp.csv"
COMTRADE_FILE = "comtrade_ic_exports_hs8542.csv"
KOSIS_FILE = "kosis_korea_china_trade_monthly.csv"

# Every G20 member with a WDI series (the African Union, a member since 2023,
# has none), the EU, and the other economies the sample articles are about.
# WDI has no series for Taiwan: its only rows come from Comtrade.
ECONOMIES = [
    "ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "EUU", "FRA", "GBR", "IDN", "IND",
    "ITA", "JPN", "KOR", "MEX", "RUS", "SAU", "TUR", "USA", "ZAF",  # G20 incl. EU
    "NLD", "VNM", "MYS", "SGP", "TWN", "HKG",
]
WDI_YEARS = range(2015, 2023)          # the file ends in 2022
COMTRADE_YEARS = range(2015, 2024)     # 2024 is incomplete (86 reporters, no Taiwan)
KOSIS_YEARS = range(2015, 2020)        # the file ends in 2019
# South Korea's total goods exports, USD, from Korea's Ministry of Trade,
# Industry and Energy annual trade statistics (as given in ../shared/data/README.md).
KOREA_TOTAL_EXPORTS = {2017: 573.7e9, 2018: 604.9e9, 2019: 542.2e9}
# Comtrade reports Taiwan as "Other Asia, nes" (reporter 490, ISO S19).
COMTRADE_ISO = {"S19": "TWN"}

SRC_WDI = "World Bank WDI, Exports of goods and services (% of GDP), NE.EXP.GNFS.ZS (updated 2023-10-26)"
SRC_IC_VALUE = "UN Comtrade, HS 8542 exports to World, primaryValue"
SRC_IC_SHARE = ("UN Comtrade, HS 8542 exports to World: reporter's share of the sum over all "
                "reporters that year")
SRC_TW_NOTE = " (Taiwan is reporter 490 'Other Asia, nes')"
SRC_KOSIS = "Statistics Korea (KOSIS), monthly exports to China, summed by year (thousand USD x 1000)"
SRC_KOSIS_IM = "Statistics Korea (KOSIS), monthly imports from China, summed by year (thousand USD x 1000)"
SRC_KOSIS_SHARE = ("KOSIS exports to China / South Korea's total exports (MOTIE annual trade "
                   "statistics: 573.7, 604.9, 542.2 bn USD for 2017-2019)")
SRC_SEED = "Export Compliance Daily, June 2022 (CSIS event report), as stated"

# The figures the seed articles state (see ../shared/data/README.md): kept as
# 'reported' rows for reference, never as the truth a claim is checked against.
REPORTED = [
    ("CHN", 2022, "share_of_exports", "KOR", 30.0, "%", SRC_SEED + ": 'more than 30%' of South Korean exports"),
    ("KOR", 2022, "share_of_imports", "CHN", 30.0, "%", SRC_SEED + ": 'more than 30%' of its semiconductor imports"),
    ("KOR", 2022, "share_of_world_production", "memory chips", 70.0, "%", SRC_SEED + ": 70% of world memory chips"),
]

HEADER = ["iso3", "country", "year", "indicator", "object", "value", "unit", "source", "basis"]


def fmt(value, unit):
    """One formatting for every run: USD as whole dollars, percentages to 4 decimals."""
    if unit == "USD":
        return "%d" % round(value)
    return ("%.4f" % value).rstrip("0").rstrip(".")


def connect():
    ext = os.path.join(ROOT, os.environ.get("B", "build"), "exportlens")
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    try:
        conn.load_extension(ext)
    except sqlite3.OperationalError as e:
        sys.exit("build_country_trade: cannot load %s (run `make` first): %s" % (ext, e))
    conn.enable_load_extension(False)
    return conn


def open_csv(conn, name, path):
    if not os.path.isfile(path):
        sys.exit("build_country_trade: missing source file %s" % path)
    conn.execute("CREATE VIRTUAL TABLE temp.%s USING csv_file('%s')" % (name, path.replace("'", "''")))


def build(src):
    conn = connect()
    open_csv(conn, "wdi", os.path.join(src, WDI_FILE))
    open_csv(conn, "ct", os.path.join(src, COMTRADE_FILE))
    open_csv(conn, "kosis", os.path.join(src, KOSIS_FILE))
    rows = []

    def add(iso3, year, indicator, obj, value, unit, source, basis):
        name = conn.execute("SELECT country_name(?)", (iso3,)).fetchone()[0] or iso3
        rows.append((iso3, name, int(year), indicator, obj or "", value, unit, source, basis))

    # exports_pct_gdp: WDI, wide years -> long rows.
    for iso3 in ECONOMIES:
        for year in WDI_YEARS:
            r = conn.execute('SELECT "%d" FROM wdi WHERE "Country Code" = ?' % year, (iso3,)).fetchone()
            if r and isinstance(r[0], (int, float)):
                add(iso3, year, "exports_pct_gdp", None, float(r[0]), "%", SRC_WDI, "measured")

    # Integrated circuits (HS 8542): USD value and share of the world total.
    for year in COMTRADE_YEARS:
        total = conn.execute("SELECT sum(primaryValue) FROM ct WHERE refYear = ? AND flowCode = 'X' "
                             "AND partnerISO = 'W00' AND cmdCode = 8542", (year,)).fetchone()[0]
        for code, value in conn.execute(
                "SELECT reporterISO, sum(primaryValue) FROM ct WHERE refYear = ? AND flowCode = 'X' "
                "AND partnerISO = 'W00' AND cmdCode = 8542 GROUP BY reporterISO", (year,)):
            iso3 = COMTRADE_ISO.get(code, code)
            if iso3 not in ECONOMIES:
                continue
            note = SRC_TW_NOTE if code in COMTRADE_ISO else ""
            add(iso3, year, "exports_value", "integrated circuits", value, "USD", SRC_IC_VALUE + note, "measured")
            add(iso3, year, "share_of_world_exports", "integrated circuits", 100.0 * value / total, "%",
                SRC_IC_SHARE + note, "derived")

    # South Korea and China (KOSIS): exports to and imports from China by year,
    # and China's share of Korea's exports where the total is known.
    for year, exports, imports, months in conn.execute(
            "SELECT CAST(substr(Date, 1, 4) AS INTEGER) y, sum(Exports), sum(Imports), count(*) FROM kosis "
            "WHERE Country LIKE 'China%' GROUP BY y ORDER BY y"):
        if year not in KOSIS_YEARS or months != 12:
            continue
        add("KOR", year, "exports_value", "CHN", exports * 1000.0, "USD", SRC_KOSIS, "measured")
        add("KOR", year, "imports_value", "CHN", imports * 1000.0, "USD", SRC_KOSIS_IM, "measured")
        if year in KOREA_TOTAL_EXPORTS:
            add("CHN", year, "share_of_exports", "KOR", 100.0 * exports * 1000.0 / KOREA_TOTAL_EXPORTS[year],
                "%", SRC_KOSIS_SHARE, "derived")

    for iso3, year, indicator, obj, value, unit, source in REPORTED:
        add(iso3, year, indicator, obj, value, unit, source, "reported")

    rows.sort(key=lambda r: (r[0], r[3], r[4], r[2], r[8]))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow(list(r[:5]) + [fmt(r[5], r[6])] + list(r[6:]))
    return out.getvalue()


def main(argv):
    src = argv[1] if len(argv) > 1 else DEFAULT_SRC
    dst = argv[2] if len(argv) > 2 else DEFAULT_OUT
    text = build(src)
    if dst == "-":
        sys.stdout.write(text)
    else:
        with open(dst, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print("build_country_trade: %d rows -> %s" % (text.count("\n") - 1, os.path.relpath(dst)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
