"""The linguistic core through SQL: trees on real text, conllu() against
tokens(), and (slow, EL_SLOW=1) `make models` reproducing the committed
model byte for byte."""
import glob
import hashlib
import os
import subprocess

from helpers import ROOT, Skip, connect, shared

NLP = "position, token, sentence, upos, xpos, lemma, head, dep"


def check_trees(conn, text, label):
    """Every sentence of text: one root, heads inside the sentence, no cycle."""
    rows = conn.execute("SELECT %s FROM tokens(?)" % NLP, (text,)).fetchall()
    n_tok = conn.execute("SELECT count(*) FROM tokens(?)", (text,)).fetchone()[0]
    assert len(rows) == n_tok, "%s: %d rows with NLP columns, %d without" % (label, len(rows), n_tok)
    by_pos = {r[0]: r for r in rows}
    sentences = {}
    for r in rows:
        sentences.setdefault(r[2], []).append(r)
        assert r[3] and r[4] and r[7], "%s: empty tag or relation in %r" % (label, r)
    for sid, toks in sentences.items():
        roots = [r for r in toks if r[6] is None]
        assert len(roots) == 1, "%s: sentence %d has %d roots" % (label, sid, len(roots))
        assert roots[0][7] == "root", "%s: root relation %r" % (label, roots[0][7])
        for r in toks:
            seen = set()
            x = r
            while x[6] is not None:
                assert x[6] in by_pos and by_pos[x[6]][2] == sid, "%s: head outside the sentence: %r" % (label, x)
                assert x[0] not in seen, "%s: cycle through %r" % (label, x)
                seen.add(x[0])
                x = by_pos[x[6]]
    return len(sentences)


def test_federal_register_trees():
    folder = shared("federal_register")
    conn = connect()
    files = sorted(glob.glob(os.path.join(folder, "*.txt")))
    assert files
    total = 0
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            total += check_trees(conn, fh.read(), os.path.basename(f))
    assert total > 100, total


def test_sample_articles_trees():
    conn = connect()
    files = sorted(glob.glob(os.path.join(ROOT, "sql", "data", "articles", "*.txt")))
    assert files
    for f in files:
        with open(f, encoding="utf-8") as fh:
            check_trees(conn, fh.read(), os.path.basename(f))


def test_conllu_agrees_with_tokens():
    """conllu()'s words, read back, give tokens()' tags for one-word tokens."""
    conn = connect()
    text = "The Commerce Department restricted exports of advanced chips to China in 2022."
    out = conn.execute("SELECT conllu(?)", (text,)).fetchone()[0]
    words = [line.split("\t") for line in out.splitlines() if line and not line.startswith("#")]
    rows = conn.execute("SELECT token, upos, xpos, lemma, dep FROM tokens(?)", (text,)).fetchall()
    assert [w[1] for w in words] == [r[0] for r in rows]
    assert [(w[3], w[4], w[2], w[7]) for w in words] == [r[1:] for r in rows]
    heads = [int(w[6]) for w in words]
    assert heads.count(0) == 1


def test_garbage_still_gives_trees():
    conn = connect()
    for text in ["((((((((((((", "\x01\x02 \ufeff", "a" * 5000, "don't " * 2000, ". . . , , ;" * 300,
                 "\u00e9\u00e8 \u4e2d\u6587 \U0001f600 $$$ %%%", "x" + "-x" * 3000]:
        check_trees(conn, text, repr(text[:20]))
        out = conn.execute("SELECT conllu(?)", (text,)).fetchone()[0]
        for block in out.split("\n\n"):
            if not block.strip():
                continue
            heads = [line.split("\t")[6] for line in block.splitlines()
                     if not line.startswith("#") and "-" not in line.split("\t")[0]]
            assert heads.count("0") == 1, block[:200]


def test_models_reproduce():
    """`make models` writes the committed model again, byte for byte (about 5
    minutes on 2 cores): run with EL_SLOW=1."""
    shared("nlp", "ud-ewt", "en_ewt-ud-train.conllu.gz")
    shared("corpus", "federal_register_abstracts.jsonl.gz")
    if not os.environ.get("EL_SLOW"):
        raise Skip("retraining takes minutes: run with EL_SLOW=1")
    model = os.path.join(ROOT, "ext", "nlp", "models", "ud.bin")
    with open(model, "rb") as f:
        before = f.read()
    try:
        subprocess.run(["make", "-s", "models-ud"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(model, "rb") as f:
            after = f.read()
        assert hashlib.sha256(after).hexdigest() == hashlib.sha256(before).hexdigest(), \
            "make models wrote a different ud.bin"
    finally:
        with open(model, "wb") as f:
            f.write(before)
