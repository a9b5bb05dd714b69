"""Errors reach Python as sqlite3.OperationalError with the messages the
documentation gives. Every example (README.md, docs/*.md) whose shown output ends in a shell
error ("Runtime error near line N: message") is run statement by statement
through Python's sqlite3 module; the statement on line N must raise
OperationalError with exactly that message, and the ones before it must not."""
import os
import re
import sqlite3

import doctext
from helpers import ROOT, connect

ERR = re.compile(r"^(?:Runtime|Parse) error near line (\d+): (.*)$", re.M)


def _statements(sql):
    """(first line number, statement) of each statement of a script."""
    out, buf, start = [], "", None
    for i, line in enumerate(sql.splitlines(), 1):
        if start is None and line.strip():
            start = i
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append((start, buf))
            buf, start = "", None
    return out


def _cases():
    cases = []
    for _page, _i, setup, sql, text in doctext.examples():
        m = ERR.search(text)
        # shell dot-commands (.progress, .read) are not SQL: those examples are shell-only
        if m and not setup and not re.search(r"^\.", sql, re.M):
            cases.append((sql, int(m.group(1)), m.group(2).strip()))
    return cases


def test_readme_errors_were_found():
    assert len(_cases()) >= 3


def test_readme_errors_arrive_as_operational_error():
    cwd = os.getcwd()
    os.chdir(ROOT)  # the examples name files relative to the repository
    try:
        for sql, line, message in _cases():
            conn = connect()
            for start, stmt in _statements(sql):
                if start < line:
                    conn.execute(stmt).fetchall()
                    continue
                try:
                    conn.execute(stmt).fetchall()
                except sqlite3.OperationalError as e:
                    assert str(e) == message, "%r != %r (from %s)" % (str(e), message, stmt.strip())
                    break
                raise AssertionError("no error from %s (documented: %s)" % (stmt.strip(), message))
            conn.close()
    finally:
        os.chdir(cwd)
