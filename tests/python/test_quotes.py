"""quotes(text) and claims(text) from Python: the fixtures' gold, the seed
articles of issue 6, offsets, bad input and flags.

Run alone to print the fixture scores:  /usr/bin/python3 tests/python/test_quotes.py
"""
import csv
import glob
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import ROOT, Skip, connect, expect_error, read, shared, slow  # noqa: E402

FIX = os.path.join(ROOT, "tests", "fixtures", "quotes")
QCOLS = ["quote", "speaker", "speaker_canonical", "start", "end", "sentence"]
CCOLS = ["subject", "metric", "object", "detail", "value", "unit", "qualifier", "year",
         "start", "end", "sentence", "evidence"]


def quotes(conn, text):
    cur = conn.execute('SELECT quote, speaker, speaker_canonical, start, "end", sentence '
                       "FROM quotes(?)", (text,))
    return [dict(zip(QCOLS, r)) for r in cur]


def claims(conn, text):
    cur = conn.execute('SELECT subject, metric, object, detail, value, unit, qualifier, year, '
                       'start, "end", sentence, evidence FROM claims(?)', (text,))
    return [dict(zip(CCOLS, r)) for r in cur]


# ---- scoring against the gold TSVs ------------------------------------------

def _gold(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _prf(got, want):
    tp = sum(min(got.count(x), want.count(x)) for x in set(want))
    p = tp / len(got) if got else (1.0 if not want else 0.0)
    r = tp / len(want) if want else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_quotes(conn, name):
    """(precision, recall, F1) of (quote, speaker_canonical) pairs."""
    text = read(os.path.join(FIX, name + ".txt"))
    want = [(g["quote"], g["speaker_canonical"] or None)
            for g in _gold(os.path.join(FIX, name + ".quotes.tsv"))]
    got = [(q["quote"], q["speaker_canonical"]) for q in quotes(conn, text)]
    return _prf(got, want), got, want


def _num(v):
    return round(float(v), 6) if v not in (None, "") else None


def score_claims(conn, name):
    """(precision, recall, F1) of whole claims: subject, metric, object, detail,
    value, unit, qualifier and year must all match."""
    text = read(os.path.join(FIX, name + ".txt"))
    want = [(g["subject"] or None, g["metric"], g["object"] or None, g["detail"] or None,
             _num(g["value"]), g["unit"], g["qualifier"] or None,
             int(g["year"]) if g["year"] else None)
            for g in _gold(os.path.join(FIX, name + ".claims.tsv"))]
    got = [(c["subject"], c["metric"], c["object"], c["detail"], _num(c["value"]), c["unit"],
            c["qualifier"], c["year"]) for c in claims(conn, text)]
    return _prf(got, want), got, want


def _diff(got, want):
    return {"missing": [w for w in want if w not in got], "extra": [g for g in got if g not in want]}


def test_fixture_speakers_gold():
    (p, r, f), got, want = score_quotes(connect(), "speakers")
    assert f == 1.0, ((p, r, f), _diff(got, want))


def test_fixture_claims_gold():
    (p, r, f), got, want = score_claims(connect(), "claims")
    assert f == 1.0, ((p, r, f), _diff(got, want))


def test_fixture_heldout_scores():
    """Written before the extractor ever ran on it; the floors are below the
    scores measured then (see README), so a regression shows."""
    conn = connect()
    for name in ("heldout", "heldout2"):
        (qp, qr, qf), qg, qw = score_quotes(conn, name)
        (cp, cr, cf), cg, cw = score_claims(conn, name)
        assert qf >= 0.85, (name, (qp, qr, qf), _diff(qg, qw))
        assert cf >= 0.6, (name, (cp, cr, cf), _diff(cg, cw))


# ---- the seed articles of issue 6 --------------------------------------------

def _seeds():
    d = shared("seeds")
    files = sorted(glob.glob(os.path.join(d, "*.txt")))
    if not files:
        raise Skip("no seed articles")
    return [read(f) for f in files]


def test_seed_claims_from_the_issue():
    conn = connect()
    got = set()
    for text in _seeds():
        for c in claims(conn, text):
            got.add((c["subject"], c["metric"], c["object"], c["detail"], c["value"], c["unit"],
                     c["qualifier"]))
    want = {
        ("CHN", "share_of_exports", "KOR", None, 30.0, "%", "more than"),
        ("KOR", "share_of_imports", "CHN", "semiconductors", 30.0, "%", "more than"),
        ("KOR", "share_of_world_production", "memory chips", None, 70.0, "%", None),
    }
    assert want <= got, (want - got, got)


def test_seed_speakers():
    conn = connect()
    canon = {}
    for text in _seeds():
        for q in quotes(conn, text):
            if q["speaker_canonical"]:
                canon.setdefault(q["speaker_canonical"], 0)
                canon[q["speaker_canonical"]] += 1
    for who in ("Sue Mi Terry", "Andrew Grotto", "Victor Cha", "Elizabeth Economy"):
        assert canon.get(who, 0) >= 2, (who, canon)
    # every attributed quote in the seeds goes to one of the four
    assert set(canon) == {"Sue Mi Terry", "Andrew Grotto", "Victor Cha", "Elizabeth Economy"}, canon


def test_seed_pronoun_speakers_resolve():
    conn = connect()
    n = 0
    for text in _seeds():
        for q in quotes(conn, text):
            if q["speaker"] in ("she", "he", "She", "He"):
                n += 1
                assert q["speaker_canonical"] is not None, q
                assert " " in q["speaker_canonical"], q  # a full name
    assert n >= 4, n


# ---- offsets -------------------------------------------------------------------

def _check_offsets(text, rows, field):
    for r in rows:
        assert 0 <= r["start"] <= r["end"] <= len(text), r
        if field:
            assert text[r["start"]:r["end"]] == r[field], (r, text[r["start"]:r["end"]])


def test_offsets_are_python_string_indices():
    conn = connect()
    for name in ("speakers", "claims", "heldout", "heldout2"):
        text = read(os.path.join(FIX, name + ".txt"))
        _check_offsets(text, quotes(conn, text), "quote")
        cs = claims(conn, text)
        _check_offsets(text, cs, None)
        for c in cs:
            assert c["evidence"] in text, c


def test_offsets_with_multibyte_text():
    conn = connect()
    text = ("Ünïcødé → “Das ist ein sehr großer Schritt für die Branche,” sagte niemand. "
            "“Les contrôles à l’exportation sont très stricts maintenant,” said Émilie Durand. "
            "日本 accounts for 12% of Korea’s exports.")
    qs = quotes(conn, text)
    _check_offsets(text, qs, "quote")
    assert qs[-1]["speaker"] == "Émilie Durand", qs
    cs = claims(conn, text)
    _check_offsets(text, cs, None)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (?)", (text,))
    bad = conn.execute('SELECT count(*) FROM t, quotes(t.x) q '
                       'WHERE substr(t.x, q.start + 1, q."end" - q.start) <> q.quote').fetchone()[0]
    assert bad == 0


def test_sentence_numbers_match_sentences():
    conn = connect()
    text = read(os.path.join(FIX, "speakers.txt"))
    sents = dict(conn.execute('SELECT sentence, start FROM sentences(?)', (text,)).fetchall())
    for q in quotes(conn, text):
        assert q["sentence"] in sents, q
    for c in claims(conn, read(os.path.join(FIX, "claims.txt"))):
        assert isinstance(c["sentence"], int), c


# ---- behaviour -------------------------------------------------------------------

def test_split_quote_gives_both_parts_the_speaker():
    conn = connect()
    qs = quotes(conn, "“The rules are clear,” said Anna Weber, a lawyer in Berlin, "
                      "“but their enforcement is not clear at all.”")
    assert [(q["quote"], q["speaker"]) for q in qs] == [
        ("The rules are clear", "Anna Weber"),
        ("but their enforcement is not clear at all.", "Anna Weber")], qs


def test_straight_quotes_and_before_attribution():
    conn = connect()
    qs = quotes(conn, 'Peter Lang said: "We will not change course on these controls."')
    assert len(qs) == 1 and qs[0]["speaker"] == "Peter Lang", qs


def test_pronoun_surface_stays():
    conn = connect()
    qs = quotes(conn, "“The first point matters most of all,” said Elena Rossi. "
                      "“The second point matters much less,” she added.")
    assert [(q["speaker"], q["speaker_canonical"]) for q in qs] == [
        ("Elena Rossi", "Elena Rossi"), ("she", "Elena Rossi")], qs


def test_scare_quotes_are_not_reported():
    conn = connect()
    assert quotes(conn, 'The so-called "entity list" grew again, and the "red line" moved.') == []
    # the same short phrase with an attribution is reported
    qs = quotes(conn, "Anna Weber called it “overdue,” and Peter Lang said it was “a mistake.”")
    assert [q["quote"] for q in qs] == ["a mistake."], qs


def test_unattributed_quote_has_null_speaker():
    conn = connect()
    qs = quotes(conn, "The banner read “exports make this town what it is today.”")
    assert len(qs) == 1 and qs[0]["speaker"] is None and qs[0]["speaker_canonical"] is None


def test_continued_paragraph():
    conn = connect()
    text = ("“The first part of the answer is about licensing,” said Maria Lopez.\n\n"
            "“The second part is about enforcement, which is much harder to get right.”\n\n"
            "Officials have not commented on the plan so far.\n\n"
            "“An unattributed line after a plain paragraph stays without a speaker.”")
    qs = quotes(conn, text)
    assert [q["speaker_canonical"] for q in qs] == ["Maria Lopez", "Maria Lopez", None], qs


def test_unbalanced_and_nested_quotes():
    conn = connect()
    for text in ("“Open and never closed, said nobody in particular today",
                 "” closing first, then “an opening that runs on and on",
                 "“outer “inner” still outer text here,” said Peter Lang.",
                 '"""', "“”", "“ ” “ ”", '"a" "b" "c', "“" * 1000, '"' * 1001):
        qs = quotes(conn, text)
        _check_offsets(text, qs, "quote")
    qs = quotes(conn, "“outer “inner” still outer text here,” said Peter Lang.")
    assert qs and qs[0]["speaker"] == "Peter Lang", qs


def test_claims_sign_of_change():
    conn = connect()
    cs = claims(conn, "Exports to Russia fell 12% in 2023, while imports rose 3%.")
    assert [(c["metric"], c["value"], c["year"]) for c in cs] == [
        ("change", -12.0, 2023), ("change", 3.0, 2023)], cs


def test_claims_fractions_and_qualifiers():
    conn = connect()
    cs = claims(conn, "Brazil took almost a third of Argentina's exports in 2020.")
    assert len(cs) == 1, cs
    c = cs[0]
    assert (c["subject"], c["metric"], c["object"], c["qualifier"], c["year"]) == \
        ("BRA", "share_of_exports", "ARG", "nearly", 2020), c
    assert abs(c["value"] - 100 / 3) < 1e-9, c


def test_claims_money_units():
    conn = connect()
    cs = claims(conn, "The plan costs $3 billion. Seoul pledged 5 trillion won and Tokyo ¥2 trillion, "
                      "while Berlin offered €400 million.")
    assert [(c["value"], c["unit"]) for c in cs] == [
        (3e9, "USD"), (5e12, "KRW"), (2e12, "JPY"), (4e8, "EUR")], cs


def test_claims_evidence_is_the_sentence():
    conn = connect()
    text = "Nothing here. Japan accounts for 8% of Chinese exports. Nothing there."
    cs = claims(conn, text)
    assert len(cs) == 1 and cs[0]["evidence"] == "Japan accounts for 8% of Chinese exports.", cs
    assert cs[0]["sentence"] == 1


# ---- bad input -------------------------------------------------------------------

def test_null_empty_blob_and_numbers():
    conn = connect()
    for fn in ("quotes", "claims"):
        for v in (None, "", b"", b"\x00\xff", 42, 3.5, "   "):
            assert conn.execute("SELECT count(*) FROM %s(?)" % fn, (v,)).fetchone()[0] == 0, (fn, v)
        # a BLOB is read as its UTF-8 bytes: the same rows as the same text
        raw = (b"\xe2\x80\x9cA blob quote with five words,\xe2\x80\x9d said Anna Weber "
               b"and 5% of Korea's exports")
        sql = "SELECT * FROM %s(?)" % fn
        as_blob = conn.execute(sql, (raw,)).fetchall()
        assert len(as_blob) == 1 and as_blob == conn.execute(sql, (raw.decode(),)).fetchall(), (fn, as_blob)


def test_invalid_utf8_and_nul():
    conn = connect()
    conn.text_factory = bytes
    raw = (b"\xff\xfe \xe2\x80\x9cBroken \xc3 bytes inside a quote here\xe2\x80\x9d said Anna "
           b"Weber.\x00 China accounts for 30% \x00of Korean exports. \xe2\x80")
    for fn in ("quotes", "claims"):
        rows = conn.execute("SELECT * FROM %s(CAST(? AS TEXT))" % fn, (raw,)).fetchall()
        assert rows, fn
    qs = conn.execute('SELECT start, "end" FROM quotes(CAST(? AS TEXT))', (raw,)).fetchall()
    assert qs and all(0 <= s <= e for s, e in qs), qs


def test_missing_and_extra_arguments():
    conn = connect()
    expect_error(conn, "SELECT * FROM quotes()", "quotes")
    expect_error(conn, "SELECT * FROM claims", "claims")
    expect_error(conn, "SELECT * FROM quotes('a', 'b')", "too many arguments on quotes()")


def _linear(fn, make, sizes=(2, 8)):
    """CPU seconds of this thread per size (as test_bad_input's linearity gate
    measures): other processes taking the core do not count."""
    import time
    conn = connect()
    times = []
    for mb in sizes:
        text = make(mb)
        t = time.thread_time()
        conn.execute("SELECT count(*) FROM %s(?)" % fn, (text,)).fetchone()
        times.append(time.thread_time() - t)
    return times


def test_big_texts_stay_linear():
    unit = "Officials met again today and talked about chips for hours. "
    no_quotes = lambda mb: unit * (mb * 1024 * 1024 // len(unit))
    open_quote = lambda mb: "“" + no_quotes(mb)
    for fn in ("quotes", "claims"):
        for make in (no_quotes, open_quote):
            t2, t8 = _linear(fn, make)
            # four times the text: well under 16 times the time (quadratic).
            # CPU time, and a failing pair is measured again with the faster
            # time of each size kept: wall time on a loaded machine once gave
            # 1.4 s and 12.5 s under the sanitizers, and 0.13 s and 2.1 s
            # twice in a row with seven jobs running, while the same build
            # alone takes 0.07 s and 0.28 s; a quadratic path is slow every time.
            if t8 >= max(8 * t2, 0.5):
                r2, r8 = _linear(fn, make)
                t2, t8 = min(t2, r2), min(t8, r8)
            assert t8 < max(8 * t2, 0.5), (fn, t2, t8)


@slow
def test_100mb_with_a_quote_never_closed():
    if os.environ.get("EL_MATRIX_BIG_MB") == "0":
        raise Skip("EL_MATRIX_BIG_MB=0")
    conn = connect()
    unit = "He spoke about chips and exports and rules, and 5% of them. "
    text = "“" + unit * (100 * 1024 * 1024 // len(unit))
    n = conn.execute("SELECT count(*) FROM quotes(?)", (text,)).fetchone()[0]
    assert n <= 1, n
    conn.execute("SELECT count(*) FROM claims(?)", (text,)).fetchone()


def test_flags_and_names():
    conn = connect()
    mods = {r[0] for r in conn.execute("SELECT name FROM pragma_module_list")}
    assert {"quotes", "claims"} <= mods
    # innocuous: usable from a view in an untrusted schema
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("CREATE VIEW v AS SELECT quote FROM quotes('“Views can call this function "
                 "safely,” said Anna Weber.')")
    assert conn.execute("SELECT count(*) FROM v").fetchone()[0] == 1


def test_join_over_a_table():
    conn = connect()
    conn.execute("CREATE TABLE a(id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO a(body) VALUES (?)", [
        ("“The first article says this about chips,” said Anna Weber.",),
        ("China accounts for 30% of Korean exports.",), (None,)])
    n = conn.execute("SELECT count(*) FROM a, quotes(a.body)").fetchone()[0]
    m = conn.execute("SELECT count(*) FROM a, claims(a.body)").fetchone()[0]
    assert (n, m) == (1, 1), (n, m)


if __name__ == "__main__":
    c = connect()
    for name in ("speakers", "claims", "heldout", "heldout2"):
        if os.path.exists(os.path.join(FIX, name + ".quotes.tsv")):
            (p, r, f), got, want = score_quotes(c, name)
            print("%-9s quotes P=%.2f R=%.2f F1=%.2f %s" % (name, p, r, f, _diff(got, want)))
        if os.path.exists(os.path.join(FIX, name + ".claims.tsv")):
            (p, r, f), got, want = score_claims(c, name)
            print("%-9s claims P=%.2f R=%.2f F1=%.2f %s" % (name, p, r, f, _diff(got, want)))


def test_claim_details_and_names_are_not_trade_words():
    conn = connect()
    c = conn.execute("SELECT subject, metric, object, detail, value FROM claims(?)",
                     ("China accounts for more than 30% of South Korean exports once shipments "
                      "through Hong Kong are counted.",)).fetchall()
    assert c == [("CHN", "share_of_exports", "KOR", None, 30.0)], c
    # an owner that names no economy is no detail
    c = conn.execute("SELECT metric, object, detail FROM claims(?)",
                     ("Memory chips were close to a fifth of the country's exports.",)).fetchall()
    assert c == [("share_of_exports", None, None)], c
    # what the exports are of stays the detail
    c = conn.execute("SELECT object, detail FROM claims(?)",
                     ("Memory chips made up 20% of Korea's chip exports.",)).fetchall()
    assert c == [("KOR", "chip")], c
    # "Export" inside a capitalised name is not about exports
    c = conn.execute("SELECT metric FROM claims(?)",
                     ("Penalties under the Export Administration Regulations can reach $374,474.",)).fetchall()
    assert c == [("value",)], c
