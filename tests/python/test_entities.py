"""entities(), countries, country_code(), country_name() from Python."""
import importlib.util
import os
import sqlite3

from helpers import ROOT, Skip, connect, expect_error, read, shared

_spec = importlib.util.spec_from_file_location(
    "score_entities", os.path.join(ROOT, "tests", "gold", "score_entities.py"))
score_entities = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_entities)

DET, INNOC, DIRECT = 0x800, 0x200000, 0x80000


def cc(conn, s):
    return conn.execute("SELECT country_code(?)", (s,)).fetchone()[0]


# ---- countries -------------------------------------------------------------

def test_country_functions_are_pure():
    conn = connect()
    rows = dict(conn.execute("SELECT name, flags FROM pragma_function_list WHERE name IN "
                             "('country_code', 'country_name')").fetchall())
    for n in ("country_code", "country_name"):
        assert rows[n] & DET and rows[n] & INNOC and not rows[n] & DIRECT, (n, hex(rows[n]))


def test_country_code_aliases_from_the_issue():
    conn = connect()
    want = {
        "U.S.": "USA", "US": "USA", "USA": "USA", "America": "USA", "American": "USA",
        "South Korea": "KOR", "South Korean": "KOR", "ROK": "KOR", "Korea": "KOR",
        "PRC": "CHN", "Chinese": "CHN", "mainland China": "CHN", "Chinese Taipei": "TWN",
        "Taiwanese": "TWN", "UK": "GBR", "Britain": "GBR", "British": "GBR",
        "Korea, Rep.": "KOR", "Rep. of Korea": "KOR", "China, peoples' republic of": "CHN",
        "Russian Federation": "RUS", "Türkiye": "TUR", "Viet Nam": "VNM",
        "European Union": "EUU", "EU": "EUU", "kor": "KOR", "gb": "GBR", "840": "USA",
        "  south   KOREA!! ": "KOR", "u.s.a": "USA", "North Korea": "PRK", "Germany": "DEU",
    }
    got = {k: cc(conn, k) for k in want}
    assert got == want, {k: (got[k], want[k]) for k in want if got[k] != want[k]}


def test_country_code_unknown_and_odd_input():
    conn = connect()
    for v in (None, "", "Atlantis", "World", "High income", "Euro area", "   ", "\x00",
              "x" * 100000):
        assert cc(conn, v) is None, v
    assert cc(conn, b"Japan") == "JPN"
    assert cc(conn, 410) == "KOR"


def test_country_name_reverses_codes():
    conn = connect()
    q = lambda s: conn.execute("SELECT country_name(?)", (s,)).fetchone()[0]
    assert q("KOR") == "South Korea"
    assert q("usa") == "United States"
    assert q("DE") == "Germany"
    assert q("EUU") == "European Union"
    assert q("Korea") is None and q(None) is None and q("") is None
    # every row of countries round-trips
    bad = conn.execute("SELECT iso3 FROM countries WHERE country_code(country_name(iso3)) "
                       "IS NOT iso3").fetchall()
    assert bad == [], bad


def test_countries_table():
    conn = connect()
    cols = [r[1] for r in conn.execute("PRAGMA table_info(countries)")]
    assert cols == ["iso3", "iso2", "numeric", "name", "common_name", "official_name",
                    "aliases"], cols
    n, distinct = conn.execute("SELECT count(*), count(DISTINCT iso3) FROM countries").fetchone()
    assert n == distinct and n >= 252
    assert conn.execute("SELECT count(*) FROM countries WHERE NOT json_valid(aliases)"
                        ).fetchone()[0] == 0
    row = conn.execute("SELECT iso2, numeric, name, common_name, official_name, aliases "
                       "FROM countries WHERE iso3 = 'KOR'").fetchone()
    assert row[:4] == ("KR", "410", "Korea, Republic of", "South Korea"), row
    assert "South Korean" in row[5] and "Korea, Rep." in row[5]
    assert conn.execute("SELECT name FROM countries WHERE iso3 = 'EUU'").fetchone() == (
        "European Union",)


def _trade_names():
    """(name, expected code or None) for every economy in the trade files
    (their names and codes, listed in tests/gold/economies.tsv)."""
    out = []
    conn = connect()
    codes = {r[0] for r in conn.execute("SELECT iso3 FROM countries")}
    for line in read(os.path.join(ROOT, "tests", "gold", "economies.tsv")).splitlines():
        if line.startswith("#") or not line:
            continue
        src, name, code = line.split("\t")
        if src == "WDI":
            # World Bank codes outside ISO 3166 and our economies are aggregates
            out.append((src, name, code if code in codes else None))
        elif src == "Comtrade":
            # Comtrade's "Other Asia, nes" (S19) is Taiwan
            out.append((src, name, "TWN" if code == "S19" else code))
        else:
            out.append((src, name, code))
    assert {s for s, _, _ in out} == {"WDI", "Comtrade", "KOSIS"} and len(out) > 400, len(out)
    return conn, sorted(set(out))


def test_every_trade_dataset_economy_resolves():
    conn, names = _trade_names()
    wrong = [(src, n, want, cc(conn, n)) for src, n, want in names if cc(conn, n) != want]
    assert not wrong, wrong
    aggregates = [n for src, n, want in names if want is None]
    assert len(aggregates) >= 45 and "World" in aggregates  # they exist, and are NULL
    assert any(n == "Korea, Rep." for _, n, _ in names)


# ---- entities() ------------------------------------------------------------

def ents(conn, text, *extra):
    """entities(text), or entities_with(text, dictionary) with a dictionary."""
    fn = "entities_with(?, ?)" if extra else "entities(?)"
    return conn.execute("SELECT entity, label, canonical FROM " + fn, (text,) + extra).fetchall()


def test_entities_columns_and_offsets():
    conn = connect()
    cols = [r[1] for r in conn.execute("PRAGMA table_xinfo(entities)") if r[6] == 0]
    assert cols == ["entity", "label", "canonical", "start", "end", "sentence", "source"], cols
    text = "Zoë said so.\nLater, Korea’s President Yoon Suk Yeol met Chinese envoys in Séoul."
    rows = conn.execute("SELECT e.entity, e.start, e.\"end\", e.sentence, substr(?1, e.start + 1, "
                        "e.\"end\" - e.start), (SELECT s.sentence FROM tokens(?1) s WHERE "
                        "s.start = e.start) FROM entities(?1) e", (text,)).fetchall()
    # "Zoë said so.": the rules need a second name word before a speech verb at
    # a sentence start; the NER model finds her
    assert [r[0] for r in rows] == ["Zoë", "Korea", "Yoon Suk Yeol", "Chinese", "Séoul"], rows
    for ent, s, e, sid, sub, tok_sid in rows:
        assert ent == sub and sid == tok_sid, (ent, sub, sid, tok_sid)


def test_entities_sentence_matches_sentences():
    conn = connect()
    text = read(os.path.join(ROOT, "tests", "fixtures", "entities", "article1.txt"))
    bad = conn.execute("SELECT count(*) FROM entities(?1) e WHERE NOT EXISTS (SELECT 1 FROM "
                       "sentences(?1) s WHERE s.sentence = e.sentence AND e.start >= s.start "
                       "AND e.\"end\" <= s.\"end\")", (text,)).fetchone()[0]
    assert bad == 0


def test_entities_canonical_types():
    conn = connect()
    rows = conn.execute("SELECT label, canonical, typeof(canonical) FROM entities("
                        "'Exports rose 12.5% to $3 billion on June 2.')").fetchall()
    assert rows == [("PERCENT", 12.5, "real"), ("MONEY", 3000000000, "integer"),
                    ("DATE", "--06-02", "text")], rows


def test_entities_null_empty_blob():
    conn = connect()
    assert ents(conn, None) == []
    assert ents(conn, "") == []
    assert ents(conn, b"Japan and \xff\x00 Korea") == [("Japan", "GPE", "JPN"),
                                                        ("Korea", "GPE", "KOR")]
    assert conn.execute("SELECT count(*) FROM entities(zeroblob(100000))").fetchone()[0] == 0


def test_entities_errors():
    conn = connect()
    expect_error(conn, "SELECT * FROM entities", "entities(): missing argument 'text'")
    expect_error(conn, "SELECT * FROM entities_with('x')",
                 "entities_with(): missing argument 'dictionary'")
    expect_error(conn, "SELECT * FROM entities_with('x', 'no_such_table')",
                 "entities_with(): cannot read dictionary 'no_such_table': no such table")
    expect_error(conn, "SELECT * FROM entities_with('x', 42)",
                 "entities_with(): dictionary must be a table name")
    # the pure form reads no table: the same type check, then the form that does
    expect_error(conn, "SELECT * FROM entities('x', 42)", "entities(): dictionary must be a table name")
    expect_error(conn, "SELECT * FROM entities('x', 'd')",
                 "entities(): dictionary 'd' needs entities_with(text, dictionary)")
    conn.execute("CREATE TABLE bad(name, lab, canonical)")
    expect_error(conn, "SELECT * FROM entities_with('x', 'bad')",
                 "entities_with(): dictionary 'bad' has no column label "
                 "(it needs name, label and canonical)")
    conn.execute("CREATE TABLE nolabel(name, label, canonical)")
    conn.execute("INSERT INTO nolabel VALUES ('Acme', NULL, NULL)")
    expect_error(conn, "SELECT * FROM entities_with('Acme', 'nolabel')",
                 "entities_with(): dictionary 'nolabel' row 1: label must be")


def test_dictionary_that_reads_itself():
    conn = connect()
    conn.execute("CREATE TEMP VIEW v AS SELECT entity AS name, label, canonical "
                 "FROM entities_with('Japan', 'v')")
    expect_error(conn, "SELECT * FROM entities_with('Japan', 'v')",
                 "entities_with(): cannot read dictionary 'v': entities_with(): dictionary 'v' "
                 "is read while reading a dictionary")
    assert ents(conn, "Japan") == [("Japan", "GPE", "JPN")]  # the connection still works


def test_dictionary_matches_wins_and_sees_changes():
    conn = connect()
    conn.execute("CREATE TABLE d(name TEXT, label TEXT, canonical TEXT)")
    conn.execute("INSERT INTO d VALUES ('Qorvex', 'ORG', 'Qorvex Holdings'), "
                 "('China', 'ORG', 'a company called China'), ('quantum sensor', 'PRODUCT', NULL)")
    text = "Qorvex sells a quantum sensor in China and Japan."
    assert ents(conn, text, "d") == [("Qorvex", "ORG", "Qorvex Holdings"),
                                     ("quantum sensor", "PRODUCT", None),
                                     ("China", "ORG", "a company called China"),
                                     ("Japan", "GPE", "JPN")]
    src = conn.execute("SELECT DISTINCT source FROM entities_with(?, 'd') WHERE label = 'PRODUCT'",
                       (text,)).fetchall()
    assert src == [("dictionary:d",)]
    conn.execute("DELETE FROM d WHERE name = 'China'")
    conn.execute("INSERT INTO d VALUES ('Japan', 'LOC', 'islands')")
    assert ents(conn, text, "d")[2:] == [("China", "GPE", "CHN"), ("Japan", "LOC", "islands")]
    # a dictionary's people are remembered: their surname resolves later
    conn.execute("INSERT INTO d VALUES ('Ingrid Vasquez-Lund', 'PERSON', NULL)")
    assert ents(conn, "Ingrid Vasquez-Lund spoke. Later Vasquez-Lund said no.", "d") == [
        ("Ingrid Vasquez-Lund", "PERSON", "Ingrid Vasquez-Lund"),
        ("Vasquez-Lund", "PERSON", "Ingrid Vasquez-Lund")]
    # names may start with a number or a code, and may be lower case
    conn.execute("INSERT INTO d VALUES ('3A090 items', 'ECCN', NULL), ('$5 deal', 'X', NULL)")
    assert ents(conn, "All 3A090 items and the $5 deal.", "d") == [
        ("3A090 items", "ECCN", None), ("$5 deal", "X", None)]
    # a NULL dictionary is no dictionary; the hidden column echoes it
    assert ents(conn, "Japan", None) == [("Japan", "GPE", "JPN")]
    assert conn.execute("SELECT dictionary FROM entities_with('Japan', 'd')").fetchone() == ("d",)
    # per row of a join, and schema-qualified
    conn.execute("CREATE TABLE docs(body)")
    conn.execute("INSERT INTO docs VALUES ('Qorvex grew.'), ('Nothing here.')")
    assert conn.execute("SELECT count(*) FROM docs, entities_with(docs.body, 'main.d')"
                        ).fetchone()[0] == 1
    # changes made by another connection to a file database are seen too
    path = os.path.join(ROOT, os.environ.get("B", "build"), "test_entities_dict.db")
    if os.path.exists(path):
        os.remove(path)
    a, b = connect(path), sqlite3.connect(path)
    try:
        a.execute("CREATE TABLE d(name, label, canonical)")
        a.commit()
        assert ents(a, "Zyx sells", "d") == []
        b.execute("INSERT INTO d VALUES ('Zyx', 'ORG', NULL)")
        b.commit()
        assert ents(a, "Zyx sells", "d") == [("Zyx", "ORG", None)]
        # a user's entry wins over a longer rule-based match at the same place
        assert ents(a, "Zyx Corp sells", "d") == [("Zyx", "ORG", None)]
    finally:
        a.close()
        b.close()
        os.remove(path)


def test_headline_gives_no_junk():
    conn = connect()
    text = ("Chip Curbs Leave Suppliers Scrambling as Deadline Nears, Lawyers Warn\n"
            "The rule takes effect soon.")
    assert ents(conn, text) == []


_GOLD = {}


def _gold(name):
    """Scores for 'fixtures' or 'seeds', computed once; prints the P/R/F1 table
    (as '#' lines, which the runner passes through) the first time."""
    if name not in _GOLD:
        out = score_entities.evaluate(connect(), name)
        _GOLD[name] = out
        if out is not None:
            print("# gold %s (tests/gold/score_entities.py):" % name)
            for line in score_entities.table(out[0]).splitlines():
                print("#   " + line)
    if _GOLD[name] is None:
        assert name == "seeds", "no fixture articles with gold files"
        raise Skip("%s not present" % name)
    return _GOLD[name]


def test_scorer_counts():
    gold = [("Terry", "PERSON", "Sue Mi Terry"), ("China", "GPE", "CHN"), ("China", "GPE", "CHN"),
            ("BIS", "ORG", "Bureau of Industry and Security")]
    pred = [("Terry", "PERSON", "Terry"), ("China", "GPE", "CHN"), ("Chinese", "NORP", "CHN"),
            ("BIS", "ORG", "Bureau of Industry and Security")]
    res, misses, extras = score_entities.score([(gold, pred)])
    assert res["PERSON"] == [0, 1, 1]  # a wrong canonical is a miss and an extra
    assert res["GPE"] == [1, 0, 1] and res["NORP"] == [0, 1, 0] and res["ORG"] == [1, 0, 0]
    assert res["COUNTRY"] == [1, 1, 1]
    assert score_entities.prf(1, 1, 1) == (0.5, 0.5, 0.5)


def _make_gold_test(name, label, want):
    def test():
        if name == "seeds":
            shared("seeds")
        res, misses, extras = _gold(name)
        tp, fp, fn = res.get(label, (0, 0, 0))
        if tp + fp + fn == 0:
            raise Skip("no %s mentions" % label)
        f1 = score_entities.prf(tp, fp, fn)[2]
        assert f1 >= want, ("F1 %.3f < %.2f" % (f1, want), "misses", misses, "extras", extras)
    return test


# Enforced thresholds: F1 per label (text, label and canonical must all match).
THRESHOLDS = {
    "seeds": {"PERSON": 0.95, "ORG": 0.95, "GPE": 0.95, "COUNTRY": 0.95, "NORP": 0.9,
              "DATE": 0.9, "PERCENT": 0.9},
    "fixtures": {"PERSON": 0.9, "ORG": 0.9, "GPE": 0.9, "NORP": 0.9, "COUNTRY": 0.95,
                 "DATE": 0.9, "PERCENT": 0.9, "MONEY": 0.9},
    # public-domain text we did not write, with our gold (tests/gold/federal_register/):
    # measured ORG 0.885, GPE 0.995, DATE 1.0, COUNTRY 1.0 when the floors were set
    "federal_register": {"ORG": 0.85, "GPE": 0.95, "COUNTRY": 0.95, "DATE": 0.9},
}
for _name, _th in THRESHOLDS.items():
    for _label, _want in _th.items():
        globals()["test_gold_%s_%s_f1" % (_name, _label)] = _make_gold_test(_name, _label, _want)


def test_threads_and_connections_share_the_gazetteers():
    import threading
    text = read(os.path.join(ROOT, "tests", "fixtures", "entities", "article2.txt"))
    want = ents(connect(), text)
    errors = []

    def work():
        try:
            for _ in range(15):
                c = connect()  # each connection takes and gives back a reference
                got = ents(c, text)
                if got != want:
                    errors.append(got)
                c.close()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    assert len(want) > 20


def test_hostile_texts_stay_linear():
    import time
    conn = connect()
    cases = [
        "Department of " + "Abc, " * 200000 + "and Def.",  # an endless organisation tail
        "Andrew " * 300000,                                # an endless run of given names
        "President " * 200000 + "Joe Biden",              # titles without a name
        "Yoon" + "-Suk" * 300000,                          # one endless hyphenated name
        "Andrew Grotto said. " + "Grotto " * 300000,       # an endless coreference run
        "A" * 3000000,                                     # one enormous token
        "\x00\xff" * 500000,                               # not text at all
    ]
    for text in cases:
        t0 = time.perf_counter()
        conn.execute("SELECT count(*) FROM entities(?)", (text,)).fetchone()
        dt = time.perf_counter() - t0
        assert dt < 30, (text[:30], dt)  # seconds; linear inputs take well under one


def test_a_first_name_does_not_take_a_known_surname():
    """A later person whose first word is a known surname ("Roe Jackson"
    after "Jane Roe") leaves the surname to the person it named: a lone
    "Roe" after both is still Jane Roe. Surnames alone follow the latest
    full name."""
    conn = connect()
    rows = conn.execute(
        "SELECT entity, canonical FROM entities(?) WHERE label = 'PERSON'",
        ("Minister Jane Roe met the press on Monday. Senator Roe Jackson, a Democrat, also spoke. "
         "Roe said the rule would pass. Then Minister Ann Jackson arrived. Jackson said no.",)).fetchall()
    assert rows == [("Jane Roe", "Jane Roe"), ("Roe Jackson", "Roe Jackson"), ("Roe", "Jane Roe"),
                    ("Ann Jackson", "Ann Jackson"), ("Jackson", "Ann Jackson")], rows


def test_a_demonym_starting_an_unknown_organisation_belongs_to_its_name():
    conn = connect()
    got = list(conn.execute("SELECT entity, label FROM entities(?)",
                            ("The American Soybean Association and the Chinese Academy of Sciences "
                             "disagreed with the Chinese Commerce Ministry.",)))
    assert ("American Soybean Association", "ORG") in got
    assert ("Chinese Academy of Sciences", "ORG") in got
    # before a known agency the demonym stays a country of its own
    assert ("Chinese", "NORP") in got


def test_a_street_word_after_a_given_name_is_a_surname():
    conn = connect()
    got = list(conn.execute("SELECT entity, label FROM entities(?)",
                            ("Commerce Secretary Gina Lane spoke at the plant on William Moore Drive.",)))
    assert ("Gina Lane", "PERSON") in got
    assert not any("Moore" in e for e, _ in got)


def test_a_word_after_a_name_and_of_or_after_an_org_head_is_no_person():
    conn = connect()
    got = list(conn.execute("SELECT entity, label FROM entities(?)",
                            ("From President Bill Shipley of Nodaway: the National Supercomputing "
                             "Center Jinan was added to the list.",)))
    assert ("Bill Shipley", "PERSON") in got
    assert not any(l == "PERSON" and e in ("Nodaway", "Jinan") for e, l in got)


def test_a_hyphen_between_capitalised_words_stays_inside_an_organisation():
    conn = connect()
    got = list(conn.execute("SELECT entity, label FROM entities(?)",
                            ("The Biden-Harris Administration said the Coca-Cola Company agreed. "
                             "Smith - Jones Administration staff left.",)))
    assert ("Biden-Harris Administration", "ORG") in got
    assert ("Coca-Cola Company", "ORG") in got
    assert not any(l == "PERSON" and e == "Biden" for e, l in got)
    # a spaced dash is no hyphen: it joins nothing
    assert not any(e.startswith("Smith") and l == "ORG" for e, l in got), got


def test_an_organisation_stops_before_a_title_and_a_name():
    conn = connect()
    got = list(conn.execute("SELECT entity, label FROM entities(?)",
                            ("Midwest Grain Council Board of Directors Chairman Tobias Renn says "
                             "prices fell. The Office of the United States Trade Representative "
                             "agreed.",)))
    assert ("Midwest Grain Council Board of Directors", "ORG") in got, got
    assert ("Tobias Renn", "PERSON") in got, got
    # a title with no name after it is still part of the name
    assert ("Office of the United States Trade Representative", "ORG") in got, got


def test_a_dateline_city_is_a_place_and_a_party_tag_names_nobody():
    conn = connect()
    got = list(conn.execute("SELECT entity, label FROM entities(?)",
                            ("Bellhaven, Pa. - Sen. Marta Quill (R-Pa.) spoke. Under questioning "
                             "by Sen. Omar Vance, D-Del., the panel agreed. Rep. Ida Stone (R-NE) "
                             "left the plant in Sparks, Nev., early.",)))
    assert ("Bellhaven", "GPE") in got, got
    assert ("Sparks", "GPE") in got, got
    assert ("Omar Vance", "PERSON") in got and ("Ida Stone", "PERSON") in got, got
    assert not any(e in ("D-Del.", "NE", "Bellhaven") and l != "GPE" for e, l in got), got
    assert not any("-" in e and l == "PERSON" for e, l in got), got
