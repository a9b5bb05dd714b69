"""The bad-input matrix: every function and table-valued function the
extension adds gets NULL, an empty string, a BLOB, numbers, invalid UTF-8, NUL
bytes, a 100 MB text, a single 10 MB token, 1,000,000 short rows, the wrong
number of arguments and wrong option values. Each must return or raise a
clear sqlite3 error: no crash (the runner would die), no hang (a watchdog ends
the process after EL_MATRIX_TIMEOUT seconds per case).

The names are discovered from pragma_function_list / pragma_module_list, so
a new function is covered as soon as it is registered. Functions that read
files (SQLITE_DIRECTONLY) get a matrix of bad paths instead.

EL_MATRIX_BIG_MB sets the size of the big text (default 100).
"""
import faulthandler
import os
import sqlite3
import sys
import tempfile

from helpers import connect

DIRECTONLY = 0x80000
TIMEOUT = int(os.environ.get("EL_MATRIX_TIMEOUT", "300"))
BIG_MB = int(os.environ.get("EL_MATRIX_BIG_MB", "100"))

# Text-like inputs, as SQL expressions (so that invalid UTF-8 reaches SQLite as TEXT).
SMALL_INPUTS = {
    "NULL": "NULL",
    "empty": "''",
    "blob": "x'00ff10c328'",
    "integer": "42",
    "real": "-1.5e300",
    "invalid UTF-8": "CAST(x'4b6f726561c328fffe20c0afe280' AS TEXT)",
    "NUL bytes": "CAST(x'552e532e0020657870006f727473203330250a' AS TEXT)",
    "lone surrogate and overlong": "CAST(x'eda080f08282ac20' AS TEXT)",
    "only punctuation": "'.,;:!?()[]{}\u201c\u201d\u2019 -- ... \u2014'",
}

# Options or second arguments that are wrong: a missing table, a bad option string.
BAD_SECOND_ARGS = ["'no_such_table_xyz'", "''", "NULL", "42", "'bogus=1; also=2'"]

_conn = None


def conn():
    global _conn
    if _conn is None:
        _conn = connect()
    return _conn


def added():
    plain = sqlite3.connect(":memory:")
    f0 = {r[0] for r in plain.execute("SELECT name FROM pragma_function_list")}
    m0 = {r[0] for r in plain.execute("SELECT name FROM pragma_module_list")}
    c = conn()
    funcs = {}
    for name, narg, flags in c.execute("SELECT name, narg, flags FROM pragma_function_list"):
        if name not in f0:
            funcs.setdefault(name, []).append((narg, flags))
    mods = {r[0] for r in c.execute("SELECT name FROM pragma_module_list")} - m0
    return funcs, mods


def hidden_args(mod):
    """Number of hidden columns of an eponymous table-valued function, or None
    when the module is not eponymous (it needs CREATE VIRTUAL TABLE)."""
    try:
        rows = conn().execute("SELECT hidden FROM pragma_table_xinfo(?)", (mod,)).fetchall()
    except sqlite3.Error:
        return None
    if not rows:
        return None
    return sum(1 for (h,) in rows if h)


def run_case(label, sql, params=(), must_fail=False):
    """Run sql to the end. Returns ('ok', rows) or ('error', message)."""
    faulthandler.dump_traceback_later(TIMEOUT, exit=True)
    try:
        rows = conn().execute(sql, params).fetchall()
        result = ("ok", rows)
    except sqlite3.Error as e:
        msg = str(e)
        assert msg and msg not in ("unknown error", "not an error"), "%s: unclear error %r" % (label, msg)
        result = ("error", msg)
    finally:
        faulthandler.cancel_dump_traceback_later()
    if must_fail:
        assert result[0] == "error", "%s: expected an error, got %r" % (label, result[1][:3])
    return result


def text_functions():
    funcs, _ = added()
    out = []
    for name, arities in sorted(funcs.items()):
        if any(flags & DIRECTONLY for _, flags in arities):
            continue
        for narg, _ in arities:
            if narg >= 1:
                out.append((name, narg))
    return out


def text_modules():
    _, mods = added()
    out = []
    for m in sorted(mods):
        n = hidden_args(m)
        if n:
            out.append((m, n))
    return out


def file_functions():
    funcs, _ = added()
    return sorted((name, narg) for name, arities in funcs.items() for narg, flags in arities
                  if flags & DIRECTONLY and narg >= 1)


def _call_fn(name, narg, first):
    rest = ", ".join(["NULL"] * (narg - 1))
    return "SELECT %s(%s%s)" % (name, first, (", " + rest) if rest else "")


def _scan_mod(mod, first, cols="count(*)"):
    return "SELECT %s FROM %s(%s)" % (cols, mod, first)


def test_matrix_covers_something():
    assert ("token_count", 1) in text_functions()
    assert ("tokens", 1) in text_modules()


def test_small_inputs_functions():
    for name, narg in text_functions():
        for label, expr in SMALL_INPUTS.items():
            run_case("%s(%s)" % (name, label), _call_fn(name, narg, expr))


def test_small_inputs_table_functions():
    for mod, _ in text_modules():
        for label, expr in SMALL_INPUTS.items():
            kind, rows = run_case("%s(%s)" % (mod, label), _scan_mod(mod, expr, "*"))
            if kind == "ok" and rows:
                cols = [d[0] for d in conn().execute(_scan_mod(mod, "''", "*")).description]
                if "start" in cols and "end" in cols:
                    s, e = cols.index("start"), cols.index("end")
                    for r in rows:
                        assert 0 <= r[s] <= r[e], "%s(%s): bad span %r" % (mod, label, r)


def test_wrong_argument_count():
    funcs, _ = added()
    for name, arities in sorted(funcs.items()):
        n = max(a for a, _ in arities)
        if n < 0:
            continue
        too_many = ", ".join(["'x'"] * (n + 1))
        run_case("%s with %d arguments" % (name, n + 1), "SELECT %s(%s)" % (name, too_many), must_fail=True)
    for mod, n in text_modules():
        too_many = ", ".join(["'x'"] * (n + 1))
        run_case("%s with %d arguments" % (mod, n + 1), _scan_mod(mod, too_many), must_fail=True)


def test_wrong_option_values():
    for name, narg in text_functions():
        if narg >= 2:
            for bad in BAD_SECOND_ARGS:
                args = ", ".join(["'x'", bad] + ["NULL"] * (narg - 2))
                run_case("%s(x, %s)" % (name, bad), "SELECT %s(%s)" % (name, args))
    for mod, n in text_modules():
        if n >= 2:
            for bad in BAD_SECOND_ARGS:
                run_case("%s(x, %s)" % (mod, bad), _scan_mod(mod, "'The U.S. export controls.', " + bad))


def _big_text():
    unit = ("The U.S. Commerce Department's BIS added 3A090 items under 15 CFR 744.21; "
            "\u201cexports rose 30% to $5bn,\u201d said Jane Doe of CSIS in Seoul on June 2, 2023. "
            "Korea\u2019s SK hynix and Samsung make memory chips. ")
    n = BIG_MB * 1024 * 1024 // len(unit.encode()) + 1
    return unit * n


def test_100mb_text():
    big = _big_text()
    for name, narg in text_functions():
        run_case("%s(100 MB)" % name, _call_fn(name, narg, "?"), (big,))
    for mod, _ in text_modules():
        run_case("%s(100 MB)" % mod, _scan_mod(mod, "?"), (big,))


def test_single_10mb_token():
    for tok in ("a" * (10 * 1024 * 1024), "9" * (10 * 1024 * 1024), "\u00e9" * (5 * 1024 * 1024)):
        for name, narg in text_functions():
            run_case("%s(10 MB token)" % name, _call_fn(name, narg, "?"), (tok,))
        for mod, _ in text_modules():
            run_case("%s(10 MB token)" % mod, _scan_mod(mod, "?"), (tok,))


MILLION = ("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000000) ")


def test_a_million_short_rows():
    for name, narg in text_functions():
        rest = "".join(", NULL" for _ in range(narg - 1))
        run_case("%s over 1M rows" % name,
                 MILLION + "SELECT count(%s('U.S. ' || i%s)) FROM r" % (name, rest))
    for mod, _ in text_modules():
        run_case("%s over 1M rows" % mod, MILLION + "SELECT count(*) FROM r, %s('U.S. ' || r.i)" % mod)


def test_file_readers_with_bad_paths():
    d = tempfile.mkdtemp()
    binary = os.path.join(d, "binary.csv")
    with open(binary, "wb") as f:
        f.write(b"a,b\n\x00\xff,\xc3\x28\n\"unterminated,1\n")
    empty = os.path.join(d, "empty.csv")
    open(empty, "wb").close()
    paths = {"NULL": None, "empty string": "", "missing": os.path.join(d, "missing.csv"),
             "directory": d, "binary": binary, "empty file": empty}
    for name, narg in file_functions():
        for label, p in paths.items():
            args = ", ".join(["?"] + ["'t_%d'" % abs(hash(label)) if i == 1 else "NULL" for i in range(1, narg)])
            run_case("%s(%s)" % (name, label), "SELECT %s(%s)" % (name, args), (p,))
    if file_functions():
        # nothing half-imported is left behind, and the connection still works
        assert conn().execute("SELECT 1").fetchone() == (1,)


def test_connection_still_works():
    assert conn().execute("SELECT token_count('still alive')").fetchone() == (2,)
    sys.stdout.flush()
