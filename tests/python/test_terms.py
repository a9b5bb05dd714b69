"""export_terms(), export_lexicon, eccn_parse(), cfr_parse() from Python."""
import collections
import glob
import json
import os
import sqlite3
import time

from helpers import ROOT, Skip, connect, expect_error, federal_register_texts, read, shared

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "terms")


def _rows(conn, text, lexicon=None):
    if lexicon is None:
        return conn.execute("SELECT term, category, canonical, start, \"end\", sentence, rule "
                            "FROM export_terms(?)", (text,)).fetchall()
    return conn.execute("SELECT term, category, canonical, start, \"end\", sentence, rule "
                        "FROM export_terms_with(?, ?)", (text, lexicon)).fetchall()


def _gold(path):
    rows = []
    for line in read(path).splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rows.append(tuple(line.split("\t")))
    return rows


def test_fixture_gold_list_exactly():
    """Every term of tests/fixtures/terms/gold.tsv, in order, and nothing else."""
    conn = connect()
    gold = _gold(os.path.join(FIXTURES, "gold.tsv"))
    files = sorted({g[0] for g in gold})
    assert len(files) >= 3 and len(gold) >= 70, (len(files), len(gold))
    for f in files:
        want = [g[1:] for g in gold if g[0] == f]
        got = [(r[0], r[1], r[2]) for r in _rows(conn, read(os.path.join(FIXTURES, f)))]
        missing = [w for w in want if w not in got]
        extra = [g for g in got if g not in want]
        assert got == want, "%s: missing %s, extra %s" % (f, missing[:5], extra[:5])


def _recall(conn, gold_rows, subdir, folder):
    want = collections.Counter()
    present = {subdir + "/" + os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.txt"))}
    for f, cat, canon, n in gold_rows:
        if f in present:
            want[(f, cat, canon)] += int(n)
    got = collections.Counter()
    for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
        f = subdir + "/" + os.path.basename(path)
        for r in _rows(conn, read(path)):
            got[(f, r[1], r[2])] += 1
    hit = sum(min(n, got[k]) for k, n in want.items())
    total_want = sum(want.values())
    total_got = sum(got.values())
    missed = sorted(k for k, n in want.items() if got[k] < n)
    return hit / total_want, hit / max(1, total_got), total_want, missed


def _check_recall(sub, folder):
    """Recall against the hand-made gold list (terms only); the figures are
    written to build/terms_recall_<sub>.json for the README."""
    conn = connect()
    gold = _gold(os.path.join(FIXTURES, "shared_gold.tsv"))
    recall, precision, n, missed = _recall(conn, gold, sub, folder)
    assert n > 0, sub
    os.makedirs(os.path.join(ROOT, os.environ.get("B", "build")), exist_ok=True)
    with open(os.path.join(ROOT, os.environ.get("B", "build"), "terms_recall_%s.json" % sub), "w") as fh:
        json.dump({"recall": recall, "precision": precision, "gold_terms": n,
                   "missed": ["%s %s/%s" % k for k in missed]}, fh, indent=1)
    assert recall >= 0.97, (sub, recall, missed)


def test_recall_on_federal_register_abstracts():
    """All 57 public-domain abstracts with ../shared; in a clone without it, the
    14 that ship in tests/gold/federal_register, so this gate always runs."""
    folder = federal_register_texts()
    assert len(glob.glob(os.path.join(folder, "*.txt"))) >= 14
    _check_recall("federal_register", folder)


def test_recall_on_shared_seeds():
    """The seed articles are copyrighted: they stay in ../shared (CI has them)."""
    _check_recall("seeds", shared("seeds"))


def test_offsets_are_characters():
    conn = connect()
    text = "«Ça va» — the Entity List 😀 and EAR99"
    for term, _, _, start, end, _, _ in _rows(conn, text):
        assert text[start:end] == term, (term, start, end)


def test_sentence_numbers_match_sentences():
    conn = connect()
    text = read(os.path.join(FIXTURES, "chips_rule.txt"))
    sents = conn.execute("SELECT sentence, start, \"end\" FROM sentences(?)", (text,)).fetchall()
    for term, _, _, start, _, sentence, _ in _rows(conn, text):
        s = [x[0] for x in sents if x[1] <= start < x[2]]
        assert s == [sentence], (term, start, sentence, s)


def test_sentence_only_when_asked():
    """count(*) and term-only queries give the same rows as full ones."""
    conn = connect()
    text = read(os.path.join(FIXTURES, "sanctions_note.txt")) * 50
    n = conn.execute("SELECT count(*) FROM export_terms(?)", (text,)).fetchone()[0]
    full = conn.execute("SELECT term, sentence FROM export_terms(?)", (text,)).fetchall()
    assert n == len(full) > 100
    assert [r[1] for r in full] == sorted(r[1] for r in full)


def test_user_lexicon_errors():
    conn = connect()
    expect_error(conn, "SELECT * FROM export_terms_with('x', 'no_such_table')",
                 "export_terms_with(): cannot read lexicon 'no_such_table': no such table")
    conn.execute("CREATE TABLE bad(term TEXT, category TEXT)")
    expect_error(conn, "SELECT * FROM export_terms_with('x', 'bad')",
                 "export_terms_with(): lexicon 'bad' has no column canonical (it needs term, "
                 "category and canonical; optional: is_pattern, rule)")
    conn.execute("CREATE TABLE lexre(term, category, canonical, is_pattern)")
    conn.execute("INSERT INTO lexre VALUES ('(unclosed', 'x', 'x', 1)")
    msg = expect_error(conn, "SELECT * FROM export_terms_with('x', 'lexre')", "offset")
    assert "lexre:1" in msg, msg
    conn.execute("CREATE TABLE lexempty(term, category, canonical)")
    conn.execute("INSERT INTO lexempty VALUES (NULL, 'x', 'x')")
    expect_error(conn, "SELECT * FROM export_terms_with('x', 'lexempty')",
                 "export_terms_with(): lexicon 'lexempty' row 1: empty term")
    expect_error(conn, "SELECT * FROM export_terms_with('x', '')",
                 "export_terms_with(): lexicon must be a table name")
    # the same mistakes get the same words as entities() and screen()
    expect_error(conn, "SELECT * FROM export_terms('x', 42)", "export_terms(): lexicon must be a table name")
    expect_error(conn, "SELECT * FROM export_terms_with('x', 42)",
                 "export_terms_with(): lexicon must be a table name")
    expect_error(conn, "SELECT * FROM export_terms('x', 'lexre')",
                 "export_terms(): lexicon 'lexre' needs export_terms_with(text, lexicon)")
    expect_error(conn, "SELECT * FROM export_terms()", "missing argument 'text'")
    conn.execute("CREATE TABLE lexlong(term, category, canonical, is_pattern)")
    conn.execute("INSERT INTO lexlong VALUES (?, 'x', 'x', 1)", ("a" * 5000,))
    expect_error(conn, "SELECT * FROM export_terms_with('x', 'lexlong')", "longer than")


def test_catastrophic_user_pattern_errors_quickly():
    conn = connect()
    conn.execute("CREATE TABLE lexcat(term, category, canonical, is_pattern)")
    conn.execute("INSERT INTO lexcat VALUES ('(a|aa)+$', 'x', 'x', 1)")
    t0 = time.time()
    expect_error(conn, "SELECT * FROM export_terms_with(?, 'lexcat')", "limit", ("a" * 5000 + "!",))
    assert time.time() - t0 < 10


def test_lexicon_cache_follows_the_table():
    conn = connect()
    conn.execute("CREATE TABLE lx(term, category, canonical)")
    conn.execute("INSERT INTO lx VALUES ('alpha widget', 'thing', 'widget')")
    q = "SELECT canonical FROM export_terms_with('an alpha widget', 'lx')"
    assert conn.execute(q).fetchall() == [("widget",)]
    conn.execute("UPDATE lx SET canonical = 'gadget'")
    assert conn.execute(q).fetchall() == [("gadget",)]
    conn.execute("DELETE FROM lx")
    assert conn.execute(q).fetchall() == []
    # a second connection sees its own tables
    other = connect()
    expect_error(other, q, "lx")


def test_schema_qualified_lexicon_and_temp_table():
    conn = connect()
    conn.execute("CREATE TEMP TABLE tl(term, category, canonical)")
    conn.execute("INSERT INTO tl VALUES ('gizmo', 'thing', 'gizmo')")
    assert conn.execute("SELECT count(*) FROM export_terms_with('a gizmo', 'temp.tl')").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM export_terms_with('a gizmo', 'tl')").fetchone()[0] == 1


def test_big_lexicon_of_10000_terms():
    conn = connect()
    conn.execute("CREATE TABLE big(term, category, canonical)")
    conn.executemany("INSERT INTO big VALUES (?, 'user', ?)",
                     [("zq%05d corp" % i, "Z%05d" % i) for i in range(10000)])
    rows = conn.execute("SELECT canonical FROM export_terms_with('zq00042 corp and zq09999 corp and BIS', 'big')").fetchall()
    assert rows == [("Z00042",), ("Z09999",), ("Bureau of Industry and Security",)], rows


def test_bad_input_never_crashes():
    """Bad input gives rows or nothing, never a crash or an error; and what
    it gives is right: no terms in noise, every ECCN of a long run."""
    conn = connect()
    nothing = [None, b"", b"\x00" * 100, b"\xff\xfe\xfd" * 1000, "x" * 100000,
               b"15 CFR \xc2", b"\xc2\xa7", b"\xc2\xa7\xc2\xa7 7", "part " * 5000, 3.5, 42]
    for v in nothing:
        got = conn.execute("SELECT count(*), max(\"end\") FROM export_terms(?)", (v,)).fetchone()
        assert got == (0, None), (v if not isinstance(v, (str, bytes)) else v[:20], got)
        assert conn.execute("SELECT eccn_parse(?), cfr_parse(?)", (v, v)).fetchone() == (None, None), v
    eccns = "3A090." * 1000
    got = conn.execute("SELECT count(*), count(DISTINCT start), max(\"end\"), min(canonical), max(canonical) "
                       "FROM export_terms(?)", (eccns,)).fetchone()
    assert got == (1000, 1000, len(eccns) - 1, "3A090", "3A090"), got
    hs = "HS " + "8542, " * 2000
    n, last = conn.execute("SELECT count(*), max(\"end\") FROM export_terms(?)", (hs,)).fetchone()
    assert n >= 1 and last <= len(hs), (n, last)
    assert conn.execute("SELECT count(*) FROM export_terms(?) WHERE canonical <> 'HS 8542'",
                        (hs,)).fetchone()[0] == 0


def test_large_text():
    conn = connect()
    unit = read(os.path.join(FIXTURES, "chips_rule.txt"))
    per = conn.execute("SELECT count(*) FROM export_terms(?)", (unit,)).fetchone()[0]
    text = (unit + "\n") * 20000  # about 20 MB
    t0 = time.time()
    n = conn.execute("SELECT count(*) FROM export_terms(?)", (text,)).fetchone()[0]
    assert n == per * 20000, (n, per)
    assert time.time() - t0 < 30


def test_usable_in_views_with_trusted_schema_off():
    conn = connect()
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("CREATE VIEW v AS SELECT t.canonical, eccn_parse('3A090') AS e, cfr_parse('87 FR 1') AS c "
                 "FROM export_terms('the Entity List') t")
    assert conn.execute("SELECT canonical FROM v").fetchone()[0] == "Entity List"
    conn.execute("CREATE VIEW vl AS SELECT count(*) FROM export_lexicon")
    assert conn.execute("SELECT * FROM vl").fetchone()[0] >= 300


def test_eccn_parse_fields():
    conn = connect()
    j = json.loads(conn.execute("SELECT eccn_parse('5A002.a.1')").fetchone()[0])
    assert j["category"] == 5 and j["group"] == "A" and j["number"] == "002"
    assert j["paragraphs"] == ["a", "1"] and not j["is_600_series"]
    for bad in ["3A09", "3A0900", "XA090", "3a090", "3G090", "3A790", "3A090.", "EAR 99", "3A090.A"]:
        assert conn.execute("SELECT eccn_parse(?)", (bad,)).fetchone()[0] is None, bad


def test_cfr_parse_fields():
    conn = connect()
    j = json.loads(conn.execute("SELECT cfr_parse('15 C.F.R. § 744.21(b)')").fetchone()[0])
    assert (j["title"], j["part"], j["section"], j["paragraph"]) == (15, 744, "744.21", "(b)")
    j = json.loads(conn.execute("SELECT cfr_parse('§ 121.1')").fetchone()[0])
    assert j["title"] == 22, j
    assert conn.execute("SELECT cfr_parse('15 CFR 744.21 and more')").fetchone()[0] is None


def test_lexicon_cache_sees_other_connections_and_ddl():
    import tempfile
    d = tempfile.mkdtemp()
    path = os.path.join(d, "lex.db")
    a = connect(path)
    b = connect(path)
    a.execute("CREATE TABLE lx(term, category, canonical)")
    a.execute("INSERT INTO lx VALUES ('alpha widget', 'thing', 'one')")
    a.commit()
    q = "SELECT canonical FROM export_terms_with('an alpha widget', 'lx')"
    assert a.execute(q).fetchall() == [("one",)]
    b.execute("UPDATE lx SET canonical = 'two'")          # another connection commits
    b.commit()
    assert a.execute(q).fetchall() == [("two",)]
    a.execute("BEGIN")                                      # DDL inside an open transaction
    a.execute("DROP TABLE lx")
    a.execute("CREATE TABLE lx AS SELECT 'alpha widget' AS term, 'thing' AS category, 'three' AS canonical")
    assert a.execute(q).fetchall() == [("three",)]
    a.execute("ROLLBACK")
    assert a.execute(q).fetchall() == [("two",)]
    a.close()
    b.close()


def test_too_many_matches_is_an_error():
    conn = connect()
    conn.execute("CREATE TABLE every(term, category, canonical, is_pattern)")
    conn.execute("INSERT INTO every VALUES ('.', 'x', 'x', 1)")
    assert conn.execute("SELECT count(*) FROM export_terms_with('abc', 'every')").fetchone()[0] == 3
    expect_error(conn, "SELECT count(*) FROM export_terms_with(?, 'every')", "candidate matches",
                 ("a" * (1 << 24 | 5),))


def _canon(conn, text):
    return [r[0] for r in conn.execute("SELECT canonical FROM export_terms(?)", (text,))]


def test_phrases_that_are_not_terms():
    conn = connect()
    # a discard phrase wins the longest match and is dropped; the term alone still counts
    assert _canon(conn, "Stockpiles of medical countermeasures grew.") == []
    assert _canon(conn, "Beijing announced countermeasures.") == ["countermeasure"]
    assert _canon(conn, "The state faces highway sanctions and an offset sanction.") == []
    assert _canon(conn, "Observers monitor transshipments at sea.") == []
    assert _canon(conn, "Transshipment through Malaysia rose.") == ["transshipment"]
    # discard phrases are not listed by export_lexicon
    assert conn.execute("SELECT count(*) FROM export_lexicon WHERE category = 'discard'"
                        " OR term = 'medical countermeasures'").fetchone()[0] == 0
    # "securities" is not the plural of national security
    assert _canon(conn, "national securities exchanges") == []
    assert _canon(conn, "national security concerns") == ["national security"]


def test_capitalised_acronym_is_not_a_lower_case_term():
    conn = connect()
    # "chip" matches any case, but CHIP in running text is an acronym (a health programme)
    assert _canon(conn, "States expanded CHIP enrolment.") == []
    assert _canon(conn, "The chip was made in Taiwan.") == ["semiconductor"]
    # a headline in capitals still counts
    assert _canon(conn, "NEW CHIP CONTROLS") == ["chip export control"]


def test_acronym_defined_as_something_else():
    conn = connect()
    text = "The high-pressure compressor (HPC) failed. The HPC was replaced."
    assert _canon(conn, text) == []
    # defined by its own long form, or in parentheses without a definition: kept
    text = "Rules on high-performance computing (HPC) items. HPC exports fell."
    assert _canon(conn, text) == ["high-performance computing"] * 3
    text = "The Commerce Department (BIS) acted. BIS said."
    assert _canon(conn, text).count("Bureau of Industry and Security") == 2


def test_policy_phrase_inside_a_law_name():
    conn = connect()
    assert _canon(conn, "the Coronavirus Aid, Relief, and Economic Security (CARES) Act") == []
    assert _canon(conn, "the Economic Security Act of 2020") == []
    assert _canon(conn, "a threat to economic security") == ["economic security"]


def test_new_vocabulary():
    conn = connect()
    got = _canon(conn, "Exports, reexports and transfers (in-country) need an individual license; "
                       "U.S. persons must apply know-your-customer checks, watch red flag indicators "
                       "and the 50 percent rule for blocked persons.")
    assert got == ["reexport", "in-country transfer", "individual license", "U.S. person",
                   "know your customer", "red flag indicator", "50 percent rule", "blocked persons"], got


def test_user_lexicon_discard_phrases():
    conn = connect()
    conn.execute("CREATE TABLE lx(term, category, canonical)")
    conn.executemany("INSERT INTO lx VALUES (?, ?, ?)", [
        ("widget", "technology", "widget"), ("garden widget", "discard", "garden widget")])
    got = [r[0] for r in conn.execute("SELECT term FROM export_terms_with(?, 'lx')",
                                      ("A garden widget and a widget.",))]
    assert got == ["widget"], got


def _terms(conn, text):
    return [(r[0], r[1]) for r in conn.execute("SELECT term, rule FROM export_terms(?)", (text,))]


def test_inflected_forms_from_inflections_tsv():
    """A "word+" of lexicon.tsv matches every form inflections.tsv lists for it."""
    conn = connect()
    for verb in ("restrict", "restricts", "restricted", "restricting"):
        got = _terms(conn, "Tokyo %s exports." % verb)
        assert got == [("%s exports" % verb, "export-restriction")], got
    assert _terms(conn, "The firm was blacklisted.") == [("blacklisted", "trade-blacklist")]
    assert _canon(conn, "They sanctioned 274 companies.") == ["sanction"]
    # forms nobody listed are not made up: "restrictive exports" is no term
    assert _terms(conn, "restrictive exports") == []


def test_gapped_phrases_within_a_window():
    """head ... tail: the tail within 4 words of the head, in the same sentence."""
    conn = connect()
    assert _terms(conn, "It imposed a ban on U.S. chip exports.") == [
        ("ban on U.S. chip exports", "export-ban")]
    assert _terms(conn, "Beijing is restricting the export of gallium.")[0] == (
        "restricting the export", "export-restriction")
    assert _terms(conn, "Traders sought to evade U.S. and EU sanctions.") == [
        ("evade U.S. and EU sanctions", "sanctions-evasion")]
    # five words between head and tail: too far
    assert _terms(conn, "a ban on one two three four five exports") == []
    # the window ends with the sentence ("U.S." does not end it)
    assert _terms(conn, "They lifted the ban. Exports rose.") == []
    assert _terms(conn, "They lifted the ban; exports rose.") == []
    # the head alone is no term
    assert _terms(conn, "a ban on fishing") == []
    # the export_lexicon lists a gapped term as written
    assert conn.execute("SELECT count(*) FROM export_lexicon WHERE term = 'ban ... exports'"
                        " AND rule = 'export-ban'").fetchone()[0] == 1


def test_organisation_names_mask_terms():
    """org_masks.tsv: a name or title that holds a term is not that term."""
    conn = connect()
    assert _canon(conn, "the Korea Chamber of Commerce and Industry said") == []
    assert _canon(conn, "the U.S. Chamber of Commerce") == []
    assert _canon(conn, "the Critical Raw Materials Alliance met") == []
    assert _canon(conn, "the Semiconductor Industry Association warned") == []
    # the terms alone still count
    assert _canon(conn, "Commerce said critical raw materials matter.") == [
        "Department of Commerce", "critical mineral"]
    assert conn.execute("SELECT count(*) FROM export_lexicon WHERE rule LIKE 'mask-%'"
                        ).fetchone()[0] == 0


def test_compliance_vocabulary():
    conn = connect()
    text = ("FinCEN and the Export-Import Bank (EXIM) warned of sanctions evasion through shell "
            "companies, diversion schemes and VEU waivers; the Affiliates Rule applies. "
            "Providing material support is a crime, and backfilling Russian exports too. "
            "Firms must obtain a license to export.")
    got = _canon(conn, text)
    for want in ("Financial Crimes Enforcement Network", "Export-Import Bank of the United States",
                 "sanctions evasion", "evasion through shell companies", "diversion risk",
                 "validated end user", "50 percent rule", "material support", "sanctions backfilling",
                 "export license"):
        assert want in got, (want, got)
    assert got.count("Export-Import Bank of the United States") == 2, got
    # words that are terms only in context: the SEC's shell companies, surface-mining
    # backfilling, the FTC's Red Flags Rule, a ban on the sale of cigarettes
    for text in ("a reporting shell company", "rough backfilling and grading",
                 "the Identity Theft Red Flags rule", "regulations restricting the sale of cigarettes"):
        assert _canon(conn, text) == [], (text, _canon(conn, text))
    # a capitalised tail that begins a name is not the tail
    assert _canon(conn, "a new prohibition under the Export Administration Regulations") == [
        "Export Administration Regulations"]


def _gen(tmp, lexicon, inflections="", masks=""):
    import subprocess
    import sys
    import tempfile
    d = tempfile.mkdtemp(dir=tmp)
    base = read(os.path.join(ROOT, "ext", "terms", "lexicon.tsv"))
    for name, text in (("lexicon.tsv", base + lexicon),
                       ("inflections.tsv", read(os.path.join(ROOT, "ext", "terms",
                                                             "inflections.tsv")) + inflections),
                       ("org_masks.tsv", masks)):
        with open(os.path.join(d, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    p = subprocess.run([sys.executable, os.path.join(ROOT, "ext", "terms", "gen_lexicon.py"),
                        os.path.join(d, "lexicon.tsv")], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_lexicon_syntax_errors():
    import tempfile
    tmp = tempfile.mkdtemp()
    rc, out, err = _gen(tmp, "measure\tgadget curb\tfrob+ gadgets\n")
    assert rc != 0 and "'frob' is not in inflections.tsv" in err, err
    rc, out, err = _gen(tmp, "measure\tgadget curb\t... gadgets\n")
    assert rc != 0 and "a gap needs a head and a tail" in err, err
    rc, out, err = _gen(tmp, "measure\tgadget curb\tban ... on ... gadgets\n")
    assert rc != 0 and "only one gap" in err, err
    rc, out, err = _gen(tmp, "measure\tgadget+ curb\t\n")
    assert rc != 0 and "canonical form must be plain words" in err, err
    rc, out, err = _gen(tmp, "", "restrict\trestricts\n")
    assert rc != 0 and "listed twice" in err, err
    rc, out, err = _gen(tmp, "", "", "Chamber of Commerce\nChamber of Commerce\n")
    assert rc != 0 and "listed twice" in err, err
    # a good one: each form of the marked word, and the gap kept as written
    rc, out, err = _gen(tmp, "measure\tgadget curb\tcurb+ ...2 gadgets\n")
    assert rc == 0, err
    for form in ("curb ...2 gadgets", "curbs ...2 gadgets", "curbed ...2 gadgets",
                 "curbing ...2 gadgets"):
        assert '"%s"' % form in out, form
