"""Memory and work limits (issue 13).

- The core allocates through SQLite: sqlite3_memory_used() sees a user
  lexicon's automaton, and PRAGMA hard_heap_limit makes big inputs fail with
  SQLITE_NOMEM (Python's MemoryError), cleanly: the connection stays usable.
- User lexicons are not refused for their size (a compact automaton above the
  dense budget), and user patterns have a work budget per text.
- sqlite3_interrupt and a progress handler stop long statements promptly:
  no single row takes long.
"""
import ctypes
import ctypes.util
import os
import sqlite3
import threading
import time

from helpers import Skip, connect, expect_error

# make valgrind (tests/run.sh exports VG) checks memory, not speed: smaller
# texts there, and no timing
VALGRIND = bool(os.environ.get("VG"))
TEXT_MB = min(20, int(os.environ.get("EL_MATRIX_BIG_MB", "20")))

_lib = None


def _sqlite_lib():
    """The libsqlite3 that Python's sqlite3 module uses (already loaded)."""
    global _lib
    if _lib is None:
        name = ctypes.util.find_library("sqlite3") or "libsqlite3.so.0"
        _lib = ctypes.CDLL(name)
        _lib.sqlite3_memory_used.restype = ctypes.c_int64
        _lib.sqlite3_hard_heap_limit64.restype = ctypes.c_int64
        _lib.sqlite3_hard_heap_limit64.argtypes = [ctypes.c_int64]
        _lib.sqlite3_libversion.restype = ctypes.c_char_p
    v = _lib.sqlite3_libversion().decode()
    assert v == sqlite3.sqlite_version, (v, sqlite3.sqlite_version)  # the same library
    return _lib


def memory_used():
    return _sqlite_lib().sqlite3_memory_used()


def _lexicon(conn, n, name="lex"):
    conn.execute("CREATE TABLE %s(term, category, canonical, is_pattern)" % name)
    conn.executemany("INSERT INTO %s VALUES (?, 'user', ?, 0)" % name,
                     (("Zorvath Holding %d Limited" % i, "ZH%d" % i) for i in range(n)))
    # committed: SQLITE_NOMEM rolls back an open transaction, as SQLite does
    conn.commit()


def _with_heap_limit(conn, limit, fn):
    """fn() under PRAGMA hard_heap_limit = limit. The pragma can only lower
    the process-wide limit, so the old one comes back through the C API."""
    lib = _sqlite_lib()
    old = lib.sqlite3_hard_heap_limit64(-1)
    conn.execute("PRAGMA hard_heap_limit = %d" % limit)
    try:
        assert conn.execute("PRAGMA hard_heap_limit").fetchone()[0] == limit
        return fn()
    finally:
        lib.sqlite3_hard_heap_limit64(old)
        assert conn.execute("PRAGMA hard_heap_limit").fetchone()[0] == old


def _nomem(fn):
    """Run fn; True when it failed with SQLITE_NOMEM."""
    try:
        fn()
    except MemoryError:
        return True
    except sqlite3.Error as e:
        assert "out of memory" in str(e), e
        return True
    return False


def test_memory_used_sees_the_lexicon_automaton():
    c = connect()
    _lexicon(c, 10000)
    c.execute("SELECT count(*) FROM export_terms('warm up the built-ins')").fetchone()
    before = memory_used()
    n = c.execute("SELECT count(*) FROM export_terms_with('Zorvath Holding 77 Limited', 'lex')").fetchone()[0]
    grown = memory_used() - before
    assert n == 1, n
    # the automaton of 10,000 terms (and their variants) is several MB
    assert grown > 4 * 1024 * 1024, "memory_used grew by only %d bytes" % grown
    c.close()
    assert memory_used() < before, "closing the connection did not free the automaton"


def test_hard_heap_limit_big_lexicon_fails_cleanly():
    c = connect()
    _lexicon(c, 10000)
    limit = memory_used() + 2 * 1024 * 1024
    q = "SELECT count(*) FROM export_terms_with('Zorvath Holding 77 Limited', 'lex')"
    assert _with_heap_limit(c, limit, lambda: _nomem(lambda: c.execute(q).fetchall())), \
        "a 10,000-term lexicon built within 2 MB of heap?"
    assert c.execute("SELECT 1").fetchone() == (1,)
    assert c.execute(q).fetchone() == (1,), "lexicon unusable once the limit is lifted"


def test_hard_heap_limit_big_texts_fail_cleanly():
    """Each text function over a 20 MB text (TEXT_MB) with 24 MB of heap left: an error
    (SQLITE_NOMEM) or a result, never a crash; afterwards it works."""
    c = connect()
    c.execute("CREATE TABLE csl(name, alt_names, source, programs)")
    c.execute("INSERT INTO csl VALUES ('U.S. Export Holdings', NULL, 'm', 'P')")
    unit = ("The U.S. Commerce Department\u2019s BIS added 3A090 items under 15 CFR 744.21; "
            "\u201cexports rose 30% to $5bn,\u201d said Jane Doe of CSIS in Seoul. ")
    big = unit * (TEXT_MB * 1024 * 1024 // len(unit.encode()))
    queries = ["SELECT token_count(?)", "SELECT count(*) FROM tokens(?)",
               "SELECT count(*) FROM sentences(?)", "SELECT count(*) FROM entities(?)",
               "SELECT count(*) FROM quotes(?)", "SELECT count(*) FROM claims(?)",
               "SELECT count(*) FROM export_terms(?)", "SELECT name_key(?)",
               "SELECT count(*) FROM screen(?)"]
    failed = 0
    for q in queries:
        c.execute("SELECT 1").fetchone()
        limit = memory_used() + TEXT_MB * 1200 * 1024
        failed += _with_heap_limit(c, limit, lambda: _nomem(lambda: c.execute(q, (big,)).fetchall()))
        assert c.execute("SELECT token_count('a b c')").fetchone() == (3,), q
    assert failed >= 3, "only %d of %d calls hit the heap limit" % (failed, len(queries))


def test_fifty_thousand_user_terms():
    if VALGRIND:
        raise Skip("under valgrind: the compact automaton is checked by the unit tests there")
    c = connect()
    _lexicon(c, 50000)
    t0 = time.time()
    rows = c.execute("SELECT term, canonical FROM export_terms_with("
                     "'BIS listed Zorvath Holding 49999 Limited under 15 CFR 744.21.', 'lex')").fetchall()
    assert ("Zorvath Holding 49999 Limited", "ZH49999") in rows, rows
    assert any(r[1] == "15 CFR 744.21" for r in rows), rows  # the built-ins still run
    assert time.time() - t0 < 60


def test_user_pattern_work_budget():
    c = connect()
    c.execute("CREATE TABLE lex(term, category, canonical, is_pattern)")
    c.execute("INSERT INTO lex VALUES ('(a|aa)+c', 'x', 'x', 1)")
    text = ("a" * 24 + "b") * ((128 if VALGRIND else 1024) * 1024 // 25) + "c"
    t0 = time.time()
    expect_error(c, "SELECT count(*) FROM export_terms_with(?, 'lex')", "work budget exceeded", (text,))
    assert VALGRIND or time.time() - t0 < 10, "the budget took %.1f s" % (time.time() - t0)
    # an ordinary pattern over the same text is not stopped
    c.execute("UPDATE lex SET term = 'a+b'")
    assert c.execute("SELECT count(*) FROM export_terms_with(?, 'lex')", (text,)).fetchone()[0] >= len(text) // 25


# Long statements: many rows, each one a call over an adversarial text of
# about 256 KB. An interrupt (or a progress handler) must end the statement
# within a second or so, whatever the function.
_SLOW = [
    ("claims", "SELECT count(*) FROM r, claims(?)", "30% of "),
    ("quotes", "SELECT count(*) FROM r, quotes(?)", "\u201cYes, said Jane Doe, "),
    ("entities", "SELECT count(*) FROM r, entities(?)", "U.S. and Korea\u2019s Samsung, "),
    ("tokens", "SELECT count(*) FROM r, tokens(?)", "U.S.-China e.g. 3A090.a "),
    ("export_terms", "SELECT count(*) FROM r, export_terms(?)", "15 CFR 744.21 3A090.a part "),
    # a user pattern that backtracks at every position, within its budget
    ("export_terms with a pattern", "SELECT count(*) FROM r, export_terms_with(? || 'c', 'lex')", "aaaaaaaaab"),
]
_ROWS = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 10000) "


def _stopped_within(conn, sql, text, arm):
    """Start sql; arm(conn, t_start) sets up the stop. Returns the seconds
    from the stop request to the error."""
    state = {}
    arm(conn, state)
    try:
        conn.execute(_ROWS + sql, (text,)).fetchall()
    except sqlite3.OperationalError as e:
        assert "interrupt" in str(e), e
        return time.time() - state["at"]
    raise AssertionError("%s ran to the end" % sql)


def _arm_interrupt(conn, state):
    def fire():
        state["at"] = time.time()
        conn.interrupt()
    threading.Timer(0.5, fire).start()


def _arm_progress(conn, state):
    state["at"] = time.time() + 0.5  # the handler says stop from then on

    def handler():
        return 1 if time.time() > state["at"] else 0
    # SQLite calls the handler every N virtual-machine steps; one call of a
    # function over a long text is a single step, so N is small here
    conn.set_progress_handler(handler, 10)


def _check_stops(arm, what):
    if VALGRIND:
        raise Skip("under valgrind: timing is not measured there")
    for name, sql, unit in _SLOW:
        c = connect()
        c.execute("CREATE TABLE lex(term, category, canonical, is_pattern)")
        c.execute("INSERT INTO lex VALUES ('(a|aa)+c', 'x', 'x', 1)")
        text = unit * (256 * 1024 // len(unit.encode()))
        late = _stopped_within(c, sql, text, arm)
        assert late < 1.5, "%s: %s took %.2f s" % (name, what, late)
        c.close()


def test_interrupt_stops_long_statements():
    _check_stops(_arm_interrupt, "the interrupt")


def test_progress_handler_stops_long_statements():
    _check_stops(_arm_progress, "the progress handler's stop")
