"""Sentence-boundary cases (tests/fixtures/sentence_rules.txt), each a test."""
import os

from helpers import ROOT, Skip, connect, read


def _cases():
    blocks = read(os.path.join(ROOT, "tests/fixtures/sentence_rules.txt")).split("\n\n")
    for b in blocks:
        lines = [l for l in b.split("\n") if l and not l.startswith("#")]
        src = [l[2:] for l in lines if l.startswith("> ")]
        want = [l[2:] for l in lines if l.startswith("= ")]
        miss = [l[2:] for l in lines if l.startswith("? ")]
        if src:
            yield src[0], want, (miss[0] if miss else None)


_CONN = None


def _make(text, want, miss):
    def test():
        global _CONN
        if _CONN is None:
            _CONN = connect()
        got = [r[0] for r in _CONN.execute("SELECT text FROM sentences(?)", (text,))]
        if miss:
            assert got != want, "known miss now passes: remove its '?' line"
            raise Skip("known miss: " + miss)
        assert got == want, "\n  want %r\n  got  %r" % (want, got)
    return test


for _i, (_text, _want, _miss) in enumerate(_cases(), 1):
    globals()["test_rule_%02d" % _i] = _make(_text, _want, _miss)
