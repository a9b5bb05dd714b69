"""Shared helpers for the Python tests."""
import os
import sqlite3

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("B", "build")
EXT = os.path.join(ROOT, BUILD, "exportlens")
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))


class Skip(Exception):
    """Raised to skip a test, with the reason."""


def connect(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.enable_load_extension(True)
    conn.load_extension(EXT)
    conn.enable_load_extension(False)
    return conn


def shared(*parts):
    """Path under ../shared/data, or Skip when it is absent."""
    p = os.path.join(SHARED, *parts)
    if not os.path.exists(p):
        raise Skip("%s not present" % os.path.relpath(p, ROOT))
    return p


def expect_error(conn, sql, fragment, params=()):
    try:
        conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:
        assert fragment in str(e), "error %r does not contain %r" % (str(e), fragment)
        return str(e)
    raise AssertionError("no error from %s" % sql)


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()
