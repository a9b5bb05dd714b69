"""Shared helpers for the Python tests."""
import os
import sqlite3

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("B", "build")
EXT = os.path.join(ROOT, BUILD, "exportlens")
SHARED = os.path.abspath(os.environ.get("EL_SHARED") or os.path.join(ROOT, "..", "shared", "data"))
# make check / make test run the "test" tier; make test-slow the "slow" one
# (tests marked @slow, and the modules marked TIERED again at full size).
TIER = os.environ.get("EL_TIER", "test")


class Skip(Exception):
    """Raised to skip a test, with the reason."""


def slow(fn):
    """Marks a test for the slow tier only (make test-slow): 100 MB inputs and
    the like, which would take make test past its time and memory budget."""
    fn.slow = True
    return fn


def connect(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.enable_load_extension(True)
    conn.load_extension(EXT)
    conn.enable_load_extension(False)
    return conn


def shared(*parts):
    """Path under ../shared/data (or $EL_SHARED), or Skip when it is absent:
    the gates that need it also run on the project's own gold fixtures."""
    p = os.path.join(SHARED, *parts)
    if not os.path.exists(p):
        if os.environ.get("EL_REQUIRE_SHARED"):  # CI always has ../shared
            raise AssertionError("%s is missing (EL_REQUIRE_SHARED is set)" % p)
        raise Skip("%s not present (third-party data that cannot ship; CI has it)" % os.path.relpath(p, ROOT))
    return p


def federal_register_texts():
    """The Federal Register abstracts (public domain): all 57 from ../shared when
    it is there (CI), else the 14 that ship with the project's entity gold in
    tests/gold/federal_register, so the gates over them run in every clone."""
    folder = os.path.join(SHARED, "federal_register")
    if not os.path.isdir(folder):
        if os.environ.get("EL_REQUIRE_SHARED"):
            raise AssertionError("%s is missing (EL_REQUIRE_SHARED is set)" % folder)
        folder = os.path.join(ROOT, "tests", "gold", "federal_register")
    return folder


def expect_error(conn, sql, fragment, params=()):
    try:
        conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:
        assert fragment in str(e), "error %r does not contain %r" % (str(e), fragment)
        return str(e)
    raise AssertionError("no error from %s" % sql)


def expect_interrupted(conn, sql, params=()):
    """Run sql while another thread calls conn.interrupt() every 5 ms (as
    Ctrl-C would); it must fail with an interrupt. Returns the seconds it
    took. conn must allow use from other threads (check_same_thread=False)."""
    import threading
    import time
    t0 = time.time()
    done = threading.Event()

    def poke():
        while not done.is_set():
            conn.interrupt()
            time.sleep(0.005)
    t = threading.Thread(target=poke)
    t.start()
    try:
        expect_error(conn, sql, "interrupt", params)
    finally:
        done.set()
        t.join()
    return time.time() - t0


def write_file(d, name, data):
    """Write data (bytes, or text as UTF-8) to d/name; returns the path."""
    p = os.path.join(d, name)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()
