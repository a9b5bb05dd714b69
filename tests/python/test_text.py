"""The extension as Python users load it: sqlite3.connect().load_extension()."""
import glob
import os
import sqlite3

from helpers import ROOT, Skip, connect, expect_error, federal_register_texts, read, shared, slow



def _expected():
    """Everything the extension adds, and nothing else: each capability lists
    its names in tests/python/expected_names/<capability>.txt, one per line,
    as "function NAME" or "module NAME" (then, optionally, its trust level)."""
    funcs, mods = set(), set()
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected_names")
    for fname in sorted(os.listdir(d)):
        for line in read(os.path.join(d, fname)).splitlines():
            line = line.split("#", 1)[0].split()
            if len(line) >= 2:
                (funcs if line[0] == "function" else mods).add(line[1])
    return funcs, mods


EXPECTED_FUNCTIONS, EXPECTED_MODULES = _expected()


def names(conn):
    f = {r[0] for r in conn.execute("SELECT name FROM pragma_function_list")}
    m = {r[0] for r in conn.execute("SELECT name FROM pragma_module_list")}
    return f, m


def test_exact_set_of_functions_and_modules():
    plain = sqlite3.connect(":memory:")
    f0, m0 = names(plain)
    f1, m1 = names(connect())
    assert f1 - f0 == EXPECTED_FUNCTIONS, sorted(f1 - f0)
    assert m1 - m0 == EXPECTED_MODULES, sorted(m1 - m0)
    assert f0 <= f1 and m0 <= m1


def test_function_flags():
    conn = connect()
    rows = conn.execute("SELECT name, flags FROM pragma_function_list WHERE name IN "
                        "('token_count','exportlens_version','exportlens_debug')").fetchall()
    flags = {n: f for n, f in rows}
    DET, INNOC, DIRECT = 0x800, 0x200000, 0x80000
    for n in ("token_count", "exportlens_version"):
        assert flags[n] & DET and flags[n] & INNOC and not flags[n] & DIRECT, (n, hex(flags[n]))
    assert flags["exportlens_debug"] & INNOC and not flags["exportlens_debug"] & DET


def test_version_and_debug():
    conn = connect()
    (v,) = conn.execute("SELECT exportlens_version()").fetchone()
    header = read(os.path.join(ROOT, "include", "exportlens.h"))
    assert '#define EXPORTLENS_VERSION "%s"' % v in header
    (d,) = conn.execute("SELECT exportlens_debug()").fetchone()
    for field in ("exportlens %s" % v, "sqlite: " + sqlite3.sqlite_version, "pcre2: ", "JIT",
                  "libcsv: ", "fts5 tokenizer: exportlens", "build date: ", "flags: "):
        assert field in d, (field, d)


def test_tokens_rows_and_columns():
    conn = connect()
    cur = conn.execute("SELECT position, token, norm, kind, start, \"end\", sentence FROM tokens(?)",
                       ("The U.S. rose 30%.",))
    cols = [c[0] for c in conn.execute("SELECT * FROM tokens('x')").description]
    assert cols == ["position", "token", "norm", "kind", "start", "end", "sentence",
                    "upos", "xpos", "lemma", "head", "dep"], cols
    rows = cur.fetchall()
    assert rows == [
        (0, "The", "the", "word", 0, 3, 0),
        (1, "U.S.", "us", "word", 4, 8, 0),
        (2, "rose", "rose", "word", 9, 13, 0),
        (3, "30%", "30%", "percent", 14, 17, 0),
        (4, ".", ".", "punct", 17, 18, 0),
    ], rows


def test_offsets_are_python_string_indices():
    # 0-based character offsets with end exclusive: text[start:end] == token
    conn = connect()
    texts = [read(p) for p in sorted(glob.glob(os.path.join(ROOT, "sql/data/articles/*.txt")))]
    texts.append("Türkiye’s 😀 emoji, Côte d’Ivoire and 日本 (Japan).")
    for text in texts:
        for tok, start, end in conn.execute('SELECT token, start, "end" FROM tokens(?)', (text,)):
            assert text[start:end] == tok, (tok, start, end)
        for s, start, end in conn.execute('SELECT text, start, "end" FROM sentences(?)', (text,)):
            assert text[start:end] == s, (s, start, end)


def test_fixture_sentences():
    conn = connect()
    text = read(os.path.join(ROOT, "tests/fixtures/tokenize_basic.txt"))
    want = read(os.path.join(ROOT, "tests/fixtures/tokenize_basic.sentences")).rstrip("\n").split("\n")
    got = [r[0] for r in conn.execute("SELECT text FROM sentences(?)", (text,))]
    assert got == want, "\n".join(got)


def test_errors():
    conn = connect()
    expect_error(conn, "SELECT * FROM tokens", "tokens(): missing argument 'text'")
    expect_error(conn, "SELECT * FROM sentences()", "sentences(): missing argument 'text'")
    expect_error(conn, "SELECT * FROM tokens('a', 'b')", "too many arguments on tokens()")
    expect_error(conn, "SELECT token_count()", "wrong number of arguments to function token_count()")
    expect_error(conn, "CREATE VIRTUAL TABLE f USING fts5(x, tokenize='exportlens bogus 1')",
                 "error in tokenizer constructor")
    expect_error(conn, "CREATE VIRTUAL TABLE f USING fts5(x, tokenize='exportlens remove_diacritics 7')",
                 "error in tokenizer constructor")


def test_null_empty_blob_and_numbers():
    conn = connect()
    assert conn.execute("SELECT count(*) FROM tokens(NULL)").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM sentences('')").fetchone() == (0,)
    assert conn.execute("SELECT token_count(NULL)").fetchone() == (None,)
    assert conn.execute("SELECT token_count(?)", (b"two words",)).fetchone() == (2,)
    assert conn.execute("SELECT kind FROM tokens(3.5)").fetchall() == [("number",)]


def test_invalid_utf8_and_nul():
    conn = connect()
    raw = b"ab\xff\xfecd \xc3\x28 \xe2\x82 x\x00y \xed\xa0\x80 z\x80\x80 end"
    rows = conn.execute("SELECT token FROM tokens(CAST(? AS TEXT))", (raw,)).fetchall()
    assert [r[0].encode("utf-8", "surrogateescape") if isinstance(r[0], str) else r[0] for r in rows] \
        == [b"ab", b"cd", b"(", b"x", b"y", b"z", b"end"], rows
    (n,) = conn.execute("SELECT token_count(CAST(? AS TEXT))", (raw,)).fetchone()
    assert n == 7


def test_fts5_tokenizer_and_porter():
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, tokenize='porter exportlens')")
    conn.executemany("INSERT INTO f(body) VALUES (?)", [
        ("The U.S. restricts exports of memory chips.",),
        ("Korea’s exporters object.",),
    ])
    assert conn.execute("SELECT count(*) FROM f WHERE f MATCH 'export'").fetchone() == (2,)
    assert conn.execute("SELECT rowid FROM f WHERE f MATCH '\"U.S.\"'").fetchall() == [(1,)]


@slow
def test_100mb_text():
    conn = connect()
    unit = "The U.S. and South Korea met on Nov. 29; exports fell 30% to $1.5 billion. "
    text = unit * (100_000_000 // len(unit) + 1)
    assert len(text.encode()) >= 100_000_000
    per = conn.execute("SELECT token_count(?)", (unit,)).fetchone()[0]
    reps = len(text) // len(unit)
    assert conn.execute("SELECT token_count(?)", (text,)).fetchone()[0] == per * reps
    (count, last_end) = conn.execute('SELECT count(*), max("end") FROM tokens(?)', (text,)).fetchone()
    assert count == per * reps and last_end == len(text) - 1
    (ns,) = conn.execute("SELECT count(*) FROM sentences(?)", (text,)).fetchone()
    assert ns == reps, ns


def test_single_10mb_token():
    conn = connect()
    text = "x" * 10_000_000
    assert conn.execute('SELECT count(*), max("end") FROM tokens(?)', (text,)).fetchone() == (1, 10_000_000)
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, tokenize='exportlens')")
    conn.execute("INSERT INTO f(body) VALUES (?)", ("start " + "y" * 1_000_000 + " end",))
    assert conn.execute("SELECT count(*) FROM f WHERE f MATCH 'end'").fetchone() == (1,)


def test_pandas_read_sql():
    try:
        import pandas as pd
    except ImportError:
        raise Skip("pandas not installed (apt-get install python3-pandas)")
    conn = connect()
    df = pd.read_sql("SELECT kind, count(*) AS n FROM tokens(?) GROUP BY kind ORDER BY kind",
                     conn, params=("Exports fell 30% (see 2205260028) under 3A090.",))
    assert list(df.columns) == ["kind", "n"]
    assert dict(zip(df.kind, df.n)) == {"code": 1, "percent": 1, "punct": 3, "reference": 1, "word": 4}


def _corpus_offsets_and_sentences(paths):
    assert paths
    conn = connect()
    for p in paths:
        text = read(p)
        bad = [(t, s, e) for t, s, e in conn.execute('SELECT token, start, "end" FROM tokens(?)', (text,))
               if text[s:e] != t]
        assert not bad, (p, bad[:3])
        sents = [r[0] for r in conn.execute("SELECT text FROM sentences(?)", (text,))]
        # the title line is a sentence of its own
        assert sents[0] == text.split("\n", 1)[0].strip(), (p, sents[0])
        # no abbreviation split: a sentence never ends in "U.S." followed by a lower-case word
        for a, b in zip(sents, sents[1:]):
            assert not (a.endswith(("Nov.", "Dr.", "Mr.", "Sen.")) and b[:1].isalpha()), (p, a, b)


def test_federal_register_offsets_and_sentences():
    """The public-domain Federal Register abstracts (helpers.federal_register_texts)."""
    _corpus_offsets_and_sentences(sorted(glob.glob(os.path.join(federal_register_texts(), "*.txt"))))


def test_shared_seed_offsets_and_sentences():
    _corpus_offsets_and_sentences(sorted(glob.glob(os.path.join(shared("seeds"), "*.txt"))))


def test_load_twice_and_many_connections():
    conn = connect()
    conn.enable_load_extension(True)
    conn.load_extension(os.path.join(ROOT, os.environ.get("B", "build"), "exportlens"))
    assert conn.execute("SELECT count(*) FROM tokens('a b')").fetchone() == (2,)
    others = [connect() for _ in range(8)]
    for c in others:
        c.execute("CREATE VIRTUAL TABLE f USING fts5(b, tokenize='exportlens')")
        c.execute("INSERT INTO f VALUES ('The U.S. rule')")
        assert c.execute("SELECT count(*) FROM f WHERE f MATCH '\"U.S.\"'").fetchone() == (1,)
        c.close()


def test_threads_with_their_own_connections():
    import threading
    errors = []
    text = read(os.path.join(ROOT, "tests/fixtures/tokenize_basic.txt"))
    want = connect().execute("SELECT count(*), sum(sentence) FROM tokens(?)", (text,)).fetchone()

    def work():
        try:
            c = connect()
            for _ in range(50):
                got = c.execute("SELECT count(*), sum(sentence) FROM tokens(?)", (text,)).fetchone()
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
    assert not errors, errors[:3]
