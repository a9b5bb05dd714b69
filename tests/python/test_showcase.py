"""The showcase (issue 6): the trade dataset and the script that rebuilds it,
the article loaders (shell and Python), the views of sql/schema.sql, and
`make demo` (sql/demo.sh) on the bundled articles and on the seed articles."""
import csv
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from helpers import BUILD, ROOT, SHARED, Skip, connect, shared

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")
CSV_PATH = os.path.join(ROOT, "sql", "data", "country_trade.csv")
ARTICLES = os.path.join(ROOT, "sql", "data", "articles")

G20 = ["ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "FRA", "GBR", "IDN", "IND", "ITA", "JPN",
       "KOR", "MEX", "RUS", "SAU", "TUR", "USA", "ZAF", "EUU"]
OTHERS = ["TWN", "NLD", "VNM", "MYS", "SGP"]


def _module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows():
    with open(CSV_PATH, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _db():
    """A connection with the bundled articles, the dataset and the views."""
    conn = connect()
    la = _module("load_articles", os.path.join(ROOT, "sql", "load_articles.py"))
    la.load_articles(conn, ARTICLES)
    cwd = os.getcwd()
    os.chdir(ROOT)  # load_data.sql names the CSV relative to the repository root
    try:
        with open("sql/load_data.sql", encoding="utf-8") as f:
            conn.executescript(f.read())
        with open("sql/schema.sql", encoding="utf-8") as f:
            conn.executescript(f.read())
    finally:
        os.chdir(cwd)
    return conn


def _has_discourse():
    conn = connect()
    return conn.execute("SELECT count(*) FROM pragma_module_list WHERE name IN ('quotes', 'claims')").fetchone()[0] == 2


def _demo(folder=None, timeout=60):
    args = ["bash", os.path.join(ROOT, "sql", "demo.sh")] + ([folder] if folder else [])
    d = tempfile.mkdtemp()
    env = dict(os.environ, SQLITE3=SQLITE3, B=BUILD, DEMO_DB=os.path.join(d, "demo.db"))  # not the user's demo.db
    t0 = time.monotonic()
    try:
        p = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)
    finally:
        shutil.rmtree(d)
    return p, time.monotonic() - t0


# --- the dataset -------------------------------------------------------------

def test_dataset_header_and_values():
    with open(CSV_PATH, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["iso3", "country", "year", "indicator", "object", "value", "unit", "source", "basis"], header
    for r in _rows():
        assert len(r["iso3"]) == 3 and r["iso3"].isupper(), r
        assert r["source"].strip(), "row without a source: %r" % r
        assert r["basis"] in ("measured", "derived", "reported"), r
        assert r["unit"] in ("%", "USD"), r
        float(r["value"])
        assert 1990 <= int(r["year"]) <= 2030, r


def test_dataset_covers_the_required_economies_and_indicators():
    rows = _rows()
    by = {}
    for r in rows:
        by.setdefault(r["iso3"], set()).add(r["indicator"])
    economies = set(by)
    assert len(economies) >= 25, sorted(economies)
    missing = [e for e in G20 + OTHERS if e not in economies]
    assert not missing, missing
    # exports % of GDP for every economy WDI has (all but Taiwan)
    no_gdp = [e for e in G20 + OTHERS if e != "TWN" and "exports_pct_gdp" not in by[e]]
    assert not no_gdp, no_gdp
    assert "exports_pct_gdp" not in by["TWN"], "WDI has no Taiwan: nothing may be invented"
    indicators = {r["indicator"] for r in rows}
    for ind in ("exports_pct_gdp", "share_of_world_exports", "exports_value", "share_of_exports"):
        assert ind in indicators, ind
    reported = [(r["iso3"], r["indicator"], r["object"], float(r["value"])) for r in rows if r["basis"] == "reported"]
    assert sorted(reported) == sorted([("CHN", "share_of_exports", "KOR", 30.0), ("KOR", "share_of_imports", "CHN", 30.0),
                                       ("KOR", "share_of_world_production", "memory chips", 70.0)]), reported


def test_dataset_shares_agree_with_their_inputs():
    rows = _rows()
    # China's share of Korea's exports = KOSIS exports to China / MOTIE totals (../shared/data/README.md)
    totals = {2017: 573.7e9, 2018: 604.9e9, 2019: 542.2e9}
    exports = {int(r["year"]): float(r["value"]) for r in rows
               if (r["iso3"], r["indicator"], r["object"], r["basis"]) == ("KOR", "exports_value", "CHN", "measured")}
    shares = {int(r["year"]): float(r["value"]) for r in rows
              if (r["iso3"], r["indicator"], r["object"], r["basis"]) == ("CHN", "share_of_exports", "KOR", "derived")}
    assert sorted(shares) == [2017, 2018, 2019], shares
    for y, s in shares.items():
        assert abs(s - 100 * exports[y] / totals[y]) < 0.001, (y, s)
    assert [round(shares[y], 1) for y in (2017, 2018, 2019)] == [24.8, 26.8, 25.1]
    # world IC export shares: below 100 in every year, and each share is the
    # reporter's value over a total that is the same for all reporters of a year
    by_year = {}
    for r in rows:
        if r["indicator"] == "share_of_world_exports":
            by_year.setdefault(int(r["year"]), []).append(float(r["value"]))
    assert by_year and all(0 < sum(v) < 100 for v in by_year.values()), by_year
    ic = {(r["iso3"], int(r["year"])): float(r["value"]) for r in rows
          if r["indicator"] == "exports_value" and r["object"] == "integrated circuits"}
    for y in by_year:
        implied = [ic[(r["iso3"], y)] * 100 / float(r["value"]) for r in rows
                   if r["indicator"] == "share_of_world_exports" and int(r["year"]) == y and float(r["value"]) > 1]
        assert len(implied) > 3 and max(implied) - min(implied) < 1e-3 * max(implied), (y, implied)


def test_build_script_reproduces_the_csv():
    shared("trade", "wdi_exports_pct_gdp.csv")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "sql", "build_country_trade.py"),
                        os.path.join(SHARED, "trade"), "-"], capture_output=True, cwd=ROOT,
                       env=dict(os.environ, B=BUILD), timeout=120)
    assert p.returncode == 0, p.stderr
    with open(CSV_PATH, "rb") as f:
        committed = f.read()
    assert p.stdout == committed, "sql/data/country_trade.csv differs from a rebuild (rerun sql/build_country_trade.py)"


def test_build_script_names_a_missing_source():
    d = tempfile.mkdtemp()
    try:
        p = subprocess.run([sys.executable, os.path.join(ROOT, "sql", "build_country_trade.py"), d, "-"],
                           capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, B=BUILD), timeout=60)
    finally:
        shutil.rmtree(d)
    assert p.returncode != 0 and "missing source file" in p.stderr and p.stdout == "", (p.returncode, p.stderr)


def test_load_data_is_typed_and_rerunnable():
    conn = _db()
    n = conn.execute("SELECT count(*) FROM country_trade").fetchone()[0]
    assert n == len(_rows())
    assert conn.execute("SELECT count(*) FROM country_trade WHERE typeof(year) <> 'integer' OR typeof(value) <> 'real'"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM country_trade WHERE object = ''").fetchone()[0] == 0
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with open(os.path.join(ROOT, "sql", "load_data.sql"), encoding="utf-8") as f:
            conn.executescript(f.read())
    finally:
        os.chdir(cwd)
    assert conn.execute("SELECT count(*) FROM country_trade").fetchone()[0] == n


# --- the loaders ---------------------------------------------------------------

def _odd_folder():
    d = tempfile.mkdtemp()
    os.mkdir(os.path.join(d, "sub"))
    files = {
        "b.txt": b"Title One\r\nBody line\r\nmore\r\n",
        "a.TXT": b"\xef\xbb\xbf  BOM title\t \nbody",
        "c.txt": b"",
        "d.txt": b"Old\rMac\rlines",
        "e.txt": "Türkiye’s “quoted” title\nbody".encode("utf-8"),
        "sub/nested.txt": b"not loaded\n",
        "notes.md": b"not loaded\n",
    }
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    os.mkfifo(os.path.join(d, "pipe.txt"))
    os.symlink(os.path.join(d, "b.txt"), os.path.join(d, "link.txt"))
    return d


def _shell_load(folder, extra=""):
    sql = ".parameter set @dir '%s'\n.read sql/load_articles.sql\n%s.mode list\n.separator '\\x1f' '\\x1e'\n" \
          "SELECT id, path, title, hex(body) FROM articles ORDER BY id;\n" % (folder.replace("'", "''"), extra)
    p = subprocess.run([SQLITE3, "-bail", ":memory:"], input=sql, capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert p.returncode == 0, p.stderr
    out = p.stdout.replace("\\x1f", "\x1f").replace("\\x1e", "\x1e")
    rows = [tuple(r.split("\x1f")) for r in out.split("\x1e") if r.strip("\n")]
    return [(int(i), path, title, bytes.fromhex(h).decode("utf-8")) for i, path, title, h in rows]


def test_loaders_agree_on_odd_files():
    la = _module("load_articles", os.path.join(ROOT, "sql", "load_articles.py"))
    d = _odd_folder()
    try:
        for folder in (d, d + "/"):
            conn = sqlite3.connect(":memory:")
            assert la.load_articles(conn, folder) == 5
            assert la.load_articles(conn, folder) == 0, "loading again adds nothing"
            py = conn.execute("SELECT id, path, title, body FROM articles ORDER BY id").fetchall()
            sh = _shell_load(folder)
            assert py == sh, (py, sh)
        one = os.path.join(d, "b.txt")  # a single file: both loaders take just it
        conn = sqlite3.connect(":memory:")
        assert la.load_articles(conn, one) == 1
        assert conn.execute("SELECT id, path, title, body FROM articles").fetchall() == _shell_load(one)
        names = [os.path.basename(r[1]) for r in py]
        assert names == ["a.TXT", "b.txt", "c.txt", "d.txt", "e.txt"], names
        got = {os.path.basename(r[1]): (r[2], r[3]) for r in py}
        assert got["b.txt"] == ("Title One", "Title One\nBody line\nmore\n")
        assert got["a.TXT"] == ("BOM title", "  BOM title\t \nbody")
        assert got["c.txt"] == ("", "")
        assert got["d.txt"] == ("Old", "Old\nMac\nlines")
        assert got["e.txt"][0] == "Türkiye’s “quoted” title"
    finally:
        shutil.rmtree(d)


def test_loaders_on_a_non_utf8_file():
    la = _module("load_articles", os.path.join(ROOT, "sql", "load_articles.py"))
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "latin.txt"), "wb") as f:
            f.write(b"Caf\xe9 \x93talks\x94\nC\xf4te d'Ivoire \x81 exports rose 5%.")
        conn = sqlite3.connect(":memory:")
        la.load_articles(conn, d)
        title, body = conn.execute("SELECT title, body FROM articles").fetchone()
        assert title == "Café “talks”", title
        assert body.endswith("Côte d'Ivoire \x81 exports rose 5%."), body
        # the shell loader keeps the bytes; the extension's functions take them
        p = subprocess.run([SQLITE3, "-bail", ":memory:", "-cmd", ".load " + os.path.join(BUILD, "exportlens"),
                            "-cmd", ".parameter set @dir '%s'" % d, ".read sql/load_articles.sql",
                            "SELECT hex(title), (SELECT count(*) FROM tokens(body)) FROM articles"],
                           capture_output=True, text=True, cwd=ROOT, timeout=30)
        assert p.returncode == 0, p.stderr
        # the invalid bytes separate tokens: Caf talks C te d'Ivoire exports rose 5% .
        assert p.stdout.strip() == "436166E9209374616C6B7394|9", p.stdout
    finally:
        shutil.rmtree(d)


def test_load_articles_cli():
    d = tempfile.mkdtemp()
    try:
        db = os.path.join(d, "news.db")
        script = os.path.join(ROOT, "sql", "load_articles.py")
        p = subprocess.run([sys.executable, script, db, ARTICLES], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0 and "articles added" in p.stdout, (p.stdout, p.stderr)
        n = len([f for f in os.listdir(ARTICLES) if f.endswith(".txt")])
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*), min(id), max(id) FROM articles").fetchone() == (n, 1, n)
        conn.close()
        # a JSON Lines file goes through the extension's lines_file(), which reads UTF-16
        # (Excel's "Unicode text"); the Python reader, without the extension, cannot
        feed = os.path.join(d, "feed.jsonl")
        with open(feed, "wb") as f:
            f.write('{"title": "Ünïcode", "text": "Zoë said so."}\n{"text": "Two"}\n'.encode("utf-16"))
        p = subprocess.run([sys.executable, script, db, feed], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0 and "2 articles added" in p.stdout, (p.stdout, p.stderr)
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT path, title, body FROM articles WHERE id > ?", (n,)).fetchall() == \
            [(feed + ":1", "Ünïcode", "Zoë said so."), (feed + ":2", "Two", "Two")]
        conn.close()
        p = subprocess.run([sys.executable, script, db, os.path.join(d, "nope")], capture_output=True, text=True, timeout=60)
        assert p.returncode == 1 and "no such folder" in p.stderr, (p.returncode, p.stderr)
        p = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=60)
        assert p.returncode == 2 and "usage" in p.stderr
    finally:
        shutil.rmtree(d)


def test_python_helpers_load_the_dataset_and_views_from_anywhere():
    la = _module("load_articles", os.path.join(ROOT, "sql", "load_articles.py"))
    conn = connect()
    cwd = os.getcwd()
    os.chdir(tempfile.gettempdir())
    try:
        assert la.load_articles(conn, ARTICLES) >= 6
        assert la.load_dataset(conn) == len(_rows())
        la.create_views(conn)
        assert la.load_dataset(conn) == len(_rows()), "loading again replaces the table"
    finally:
        os.chdir(cwd)
    assert conn.execute("SELECT count(*) FROM country_exposure WHERE iso3 = 'KOR'").fetchone()[0] == 1


# --- the views -----------------------------------------------------------------

def test_article_countries_and_terms():
    conn = _db()
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    assert len(ids) >= 6
    # every article mentions China; Korea is mentioned by name and by demonym
    assert conn.execute("SELECT count(DISTINCT article_id) FROM article_countries WHERE iso3 = 'CHN'").fetchone()[0] == len(ids)
    assert conn.execute("SELECT count(*) FROM article_countries WHERE iso3 NOT IN (SELECT iso3 FROM countries)").fetchone()[0] == 0
    # mentions agree with entities() itself
    a, b = conn.execute("""SELECT (SELECT sum(mentions) FROM article_countries WHERE article_id = 2 AND iso3 = 'KOR'),
        (SELECT count(*) FROM articles a, entities(a.body) e WHERE a.id = 2 AND e.canonical = 'KOR'
         AND e.label IN ('GPE', 'NORP'))""").fetchone()
    assert a == b and a > 0, (a, b)
    cats = {r[0] for r in conn.execute("SELECT DISTINCT category FROM article_terms")}
    assert {"measure", "list", "agency", "regime", "technology", "code"} <= cats, cats
    assert conn.execute("SELECT sum(mentions) FROM article_terms WHERE canonical = 'Entity List'").fetchone()[0] >= 3


def test_country_exposure_takes_the_latest_measured_year():
    conn = _db()
    rows = {r[0]: r for r in conn.execute("SELECT * FROM country_exposure")}
    mentioned = {r[0] for r in conn.execute("SELECT DISTINCT iso3 FROM article_countries")}
    assert set(rows) == mentioned
    for iso3, r in rows.items():
        want = conn.execute("""SELECT year, round(value, 1) FROM country_trade WHERE iso3 = ? AND indicator = 'exports_pct_gdp'
            AND basis = 'measured' ORDER BY year DESC LIMIT 1""", (iso3,)).fetchone() or (None, None)
        assert (r[6], r[5]) == want, (iso3, r, want)
        n = conn.execute("SELECT count(*) FROM article_countries WHERE iso3 = ?", (iso3,)).fetchone()[0]
        assert r[2] == n, (iso3, r)
    assert rows["TWN"][5] is None and rows["TWN"][7] > 10, rows["TWN"]
    assert rows["KOR"][1] == "South Korea"


def _claims(conn, rows):
    """Replace article_claims by a table of hand-made claims, to test claim_check alone."""
    conn.execute("DROP VIEW article_claims")
    conn.execute("""CREATE TABLE article_claims(article_id, subject, metric, object, detail, value, unit, qualifier,
                    year, evidence, start, "end", sentence)""")
    for i, r in enumerate(rows):
        conn.execute("INSERT INTO article_claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", (1,) + r + ("e%d" % i, i, i + 1, 0))
    return {r[0]: r[1:] for r in conn.execute(
        "SELECT start, verdict, data_value, data_year, year_basis, difference FROM claim_check")}


def test_claim_check_verdicts():
    conn = _db()
    got = _claims(conn, [
        ("CHN", "share_of_exports", "KOR", None, 30, "%", "more than", None),   # 0: vs 25.1 (2019)
        ("CHN", "share_of_exports", "KOR", None, 25, "%", "about", None),       # 1
        ("CHN", "share_of_exports", "KOR", None, 26.8, "%", None, 2018),        # 2: stated year
        ("CHN", "share_of_exports", "KOR", None, 25, "%", None, 2022),          # 3: only a reported row that year
        ("KOR", "share_of_world_production", "memory chips", None, 70, "%", None, None),  # 4: reported only
        ("TWN", "share_of_world_exports", "Integrated Circuits", None, 20, "%", "less than", None),  # 5
        ("TWN", "share_of_world_exports", "integrated circuits", None, 20, "%", "more than", None),  # 6
        ("KOR", "exports_value", "CHN", None, 136e9, "USD", None, 2019),        # 7
        ("KOR", "exports_value", "CHN", None, 136, "%", None, 2019),            # 8: unit mismatch
        ("VNM", "exports_pct_gdp", None, None, 90, "%", "more than", None),     # 9
        ("KOR", "exports_pct_gdp", None, None, 40, "%", "up to", 2020),         # 10
        (None, "value", None, None, 19e9, "USD", None, None),                   # 11
        ("SGP", "exports_pct_gdp", None, None, 180, "%", "about", None),        # 12: 186.6, tolerance 9
        ("IND", "exports_pct_gdp", None, None, 21, "%", None, 2022),            # 13: 22.45, tolerance 1
    ])
    kosis_2019 = conn.execute("SELECT value FROM country_trade WHERE iso3 = 'CHN' AND indicator = 'share_of_exports' "
                              "AND year = 2019 AND basis = 'derived'").fetchone()[0]
    assert got[0][:4] == ("differs", kosis_2019, 2019, "latest"), got[0]
    assert got[0][4] == round(30 - kosis_2019, 2)
    assert got[1][0] == "consistent" and got[1][2] == 2019, got[1]
    assert got[2][:4] == ("consistent", got[2][1], 2018, "stated") and abs(got[2][1] - 26.8) < 0.05, got[2]
    assert got[3] == ("no data", None, None, None, None), got[3]
    assert got[4][0] == "no data", got[4]
    assert got[5][0] == "consistent" and got[5][2] == 2023, got[5]
    assert got[6][0] == "differs", got[6]
    assert got[7][0] == "consistent" and got[7][3] == "stated", got[7]
    assert got[8][0] == "no data", got[8]
    assert got[9][0] == "consistent", got[9]
    assert got[10][0] == "consistent" and got[10][2] == 2020, got[10]
    assert got[11][0] == "no data", got[11]
    assert got[12][0] == "consistent", got[12]
    assert got[13][0] == "differs", got[13]


def test_claim_check_never_uses_reported_rows():
    conn = _db()
    conn.execute("DELETE FROM country_trade WHERE basis <> 'reported'")
    got = _claims(conn, [("CHN", "share_of_exports", "KOR", None, 30, "%", "more than", None),
                         ("KOR", "share_of_imports", "CHN", "semiconductors", 30, "%", "more than", 2022)])
    assert [v[0] for v in got.values()] == ["no data", "no data"], got


def test_views_with_no_articles_and_bad_bodies():
    conn = _db()
    conn.execute("DELETE FROM articles")
    for view in ("article_countries", "article_terms", "country_exposure"):
        assert conn.execute("SELECT count(*) FROM %s" % view).fetchone()[0] == 0, view
    conn.execute("INSERT INTO articles(path, title, body) VALUES ('x', NULL, NULL), ('y', '', ''), "
                 "('z', 'b', x'00ff4368696e61'), ('w', 't', CAST(x'4368696e61c3' AS TEXT))")
    conn.execute("SELECT * FROM article_countries").fetchall()
    conn.execute("SELECT * FROM article_terms").fetchall()
    if _has_discourse():
        conn.execute("SELECT * FROM claim_check").fetchall()
        conn.execute("SELECT * FROM article_quotes").fetchall()


# --- make demo -----------------------------------------------------------------

def test_demo_on_the_bundled_articles():
    p, secs = _demo()
    assert p.returncode == 0, p.stderr
    out = p.stdout
    n = len([f for f in os.listdir(ARTICLES) if f.endswith(".txt")])
    assert "(%d articles)" % n in out.splitlines()[0], out.splitlines()[0]
    for title in ("== Countries the articles mention", "== Top export-control terms"):
        assert title in out, title
    # the country table joins mentions with the dataset: Korea's latest exports % of GDP
    conn = _db()
    kor = conn.execute("SELECT exports_pct_gdp, ic_world_export_share FROM country_exposure WHERE iso3 = 'KOR'").fetchone()
    line = next(l for l in out.splitlines() if l.startswith("│ KOR "))
    assert str(kor[0]) in line and str(kor[1]) in line, line
    assert "Entity List" in out and "foreign direct product rule" in out
    assert secs < 5, "make demo took %.1f s" % secs
    if _has_discourse():
        for title in ("== Quotes by speaker", "== Numeric claims", "== Claim check"):
            assert title in out, title
        verdicts = {v for v in ("consistent", "differs", "no data") if v in out.split("== Claim check")[1]}
        assert verdicts == {"consistent", "differs", "no data"}, verdicts
    else:
        assert "sections are skipped" in out


def test_demo_on_the_seed_articles():
    seeds = shared("seeds")
    if not _has_discourse():
        raise Skip("quotes() and claims() are not in this build")
    p, secs = _demo(seeds)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    quotes = out.split("== Quotes by speaker")[1].split("==")[0]
    speakers = {l.split("│")[1].strip() for l in quotes.splitlines() if l.startswith("│ ")} - {"speaker", ""}
    for name in ("Sue Mi Terry", "Andrew Grotto", "Victor Cha", "Elizabeth Economy"):
        assert name in speakers, "speaker %s missing: %s" % (name, sorted(speakers))
    assert speakers <= {"Sue Mi Terry", "Andrew Grotto", "Victor Cha", "Elizabeth Economy", "(unattributed)"}, speakers
    claims = out.split("== Numeric claims")[1].split("== Claim check")[0]
    for metric in ("share_of_exports", "share_of_imports", "share_of_world_production"):
        assert metric in claims, metric
    check = [l for l in out.split("== Claim check")[1].splitlines() if "share_of_exports" in l]
    assert check, out
    line = check[0]
    assert "CHN" in line and "KOR" in line and "more than 30" in line and "25.12" in line and "2019" in line \
        and "differs" in line, line
    assert secs < 5, "make demo on the seeds took %.1f s" % secs


def test_demo_folder_errors_and_quoting():
    p, _ = _demo("/nonexistent/folder")
    assert p.returncode != 0 and "no such folder" in p.stderr, (p.returncode, p.stderr)
    d = tempfile.mkdtemp(suffix="it's here")
    try:
        with open(os.path.join(d, "one.txt"), "w", encoding="utf-8") as f:
            f.write("Seoul and Tokyo\nJapan and South Korea discussed export controls.\n")
        p, _ = _demo(d)
        assert p.returncode == 0, p.stderr
        assert "(1 articles)" in p.stdout and "│ JPN " in p.stdout and "│ KOR " in p.stdout, p.stdout
    finally:
        shutil.rmtree(d)
