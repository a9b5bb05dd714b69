"""What users rely on when an import is cut short: csv_import killed with
SIGKILL at random moments, in rollback-journal and WAL mode, and a full disk
(SQLite's max_page_count as a stand-in, and a real ENOSPC from a small tmpfs
mounted in a private mount namespace). After each, PRAGMA integrity_check is
ok, the other tables are unchanged, and the target table is absent, unchanged
or complete: never half-imported.

The kills are placed at random over the import's measured duration (seed
EL_KILL_SEED, 13 by default, printed with any failure); make test kills each
case 6 times, make test-slow 60 times."""
import atexit
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from helpers import EXT, TIER, Skip, connect, slow

SQLITE3 = os.environ.get("SQLITE3", "sqlite3")
ROWS = 200000
SEED = int(os.environ.get("EL_KILL_SEED", "13"))

_tmp = None


def _dir():
    global _tmp
    if _tmp is None:
        _tmp = tempfile.mkdtemp(prefix="el_durability_")
        atexit.register(shutil.rmtree, _tmp, True)
    return _tmp


def _csv(rows=ROWS, name="rows.csv"):
    path = os.path.join(_dir(), name)
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write("id,name,value\n")
            f.writelines("%d,name %d,%d.5\n" % (i, i, i * 7) for i in range(rows))
    return path


def _complete(rows):
    """(count, sum(id), total(value)) of a complete import of `rows` rows."""
    return (rows, rows * (rows - 1) // 2, sum(i * 7 + 0.5 for i in range(rows)))


def _append_option():
    """csv_import appends to an existing table of the same shape; once mode=
    exists (create|append|replace), appending is asked for by name."""
    c = connect()
    c.execute("CREATE TABLE probe(id, name, value)")
    try:
        c.execute("SELECT csv_import(?, 'probe', 'mode=append')", (_csv(3, "three.csv"),)).fetchall()
        return "mode=append"
    except sqlite3.OperationalError:
        return ""


def _template(journal, existing):
    """A database with a table `keep` (which nothing may change) and, when
    `existing`, the target table `t` already holding 3 rows."""
    path = os.path.join(_dir(), "template_%s_%d.db" % (journal, existing))
    if os.path.exists(path):
        return path
    c = connect(path)
    c.isolation_level = None
    assert c.execute("PRAGMA journal_mode=%s" % journal).fetchone()[0] == journal.lower()
    c.execute("BEGIN")
    c.execute("CREATE TABLE keep(k INTEGER PRIMARY KEY, v TEXT)")
    c.executemany("INSERT INTO keep VALUES (?, ?)", [(i, "kept %d" % i) for i in range(500)])
    c.execute("COMMIT")
    if existing:
        assert c.execute("SELECT csv_import(?, 't')", (_csv(3, "three.csv"),)).fetchone()[0] == 3
    c.close()
    return path


def _state(path):
    """integrity_check, keep's content, and t's (count, sum(id), total(value)) or None."""
    c = sqlite3.connect(path)
    try:
        ic = c.execute("PRAGMA integrity_check").fetchall()
        keep = c.execute("SELECT count(*), total(k), group_concat(v, '') FROM keep").fetchone()
        has_t = c.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'").fetchone()[0]
        t = c.execute("SELECT count(*), total(id), total(value) FROM t").fetchone() if has_t else None
        return ic, keep, t
    finally:
        c.close()


def _fresh(template):
    path = os.path.join(_dir(), "victim.db")
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copy(template, path)
    return path


def _import_cmd(path, option):
    sql = "SELECT csv_import('%s', 't'%s);" % (_csv(), ", '%s'" % option if option else "")
    return [SQLITE3, path, "-cmd", ".load " + EXT, sql]


def _kill_case(journal, existing, kills):
    option = _append_option() if existing else ""
    template = _template(journal, existing)
    ic0, keep0, t0 = _state(template)
    assert ic0 == [("ok",)]
    # the whole import, once, for its duration and its complete result
    path = _fresh(template)
    t_start = time.monotonic()
    out = subprocess.run(_import_cmd(path, option), capture_output=True, text=True, timeout=120)
    duration = time.monotonic() - t_start
    assert out.returncode == 0 and out.stdout.strip() == str(ROWS), (out.stdout, out.stderr)
    ic, keep, full = _state(path)
    c3 = _complete(3)
    want_full = _complete(ROWS) if not existing else \
        (ROWS + 3, _complete(ROWS)[1] + c3[1], _complete(ROWS)[2] + c3[2])
    assert ic == [("ok",)] and keep == keep0 and full == want_full, (ic, full, want_full)
    allowed = {None, want_full} if not existing else {t0, want_full}
    rng = random.Random("%d %s %d" % (SEED, journal, existing))
    seen = {"absent" if not existing else "unchanged": 0, "complete": 0}
    for i in range(kills):
        path = _fresh(template)
        at = rng.uniform(0.0, duration * 1.1)
        p = subprocess.Popen(_import_cmd(path, option), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(at)
        p.send_signal(signal.SIGKILL)
        p.wait()
        ic, keep, t = _state(path)
        where = "seed %d, %s, kill %d at %.3f s of %.3f s" % (SEED, journal, i, at, duration)
        assert ic == [("ok",)], (where, ic)
        assert keep == keep0, (where, "keep changed")
        assert t in allowed, (where, "half-imported", t, "allowed", allowed)
        seen["complete" if t == want_full else ("absent" if not existing else "unchanged")] += 1
    print("# csv_import killed %d times (%s journal%s): %s" % (
        kills, journal, ", appending" if existing else "", seen), flush=True)


KILLS = 6


def test_kill_import_rollback_journal():
    _kill_case("DELETE", False, KILLS)


def test_kill_import_wal():
    _kill_case("WAL", False, KILLS)


def test_kill_append_rollback_journal():
    _kill_case("DELETE", True, KILLS)


def test_kill_append_wal():
    _kill_case("WAL", True, KILLS)


@slow
def test_kill_import_many_times():
    for journal in ("DELETE", "WAL"):
        for existing in (False, True):
            _kill_case(journal, existing, 60)


# ---- a full disk ---------------------------------------------------------------

def _full_case(journal, existing, in_transaction=False):
    """SQLite's max_page_count as a disk that fills during the import."""
    path = _fresh(_template(journal, existing))
    ic0, keep0, t0 = _state(path)
    c = connect(path)
    c.isolation_level = None
    pages = c.execute("PRAGMA page_count").fetchone()[0]
    c.execute("PRAGMA max_page_count=%d" % (pages + 20))
    if in_transaction:
        c.execute("BEGIN")
        c.execute("INSERT INTO keep VALUES (1000, 'in the transaction')")
    option = _append_option() if existing else ""
    try:
        c.execute("SELECT csv_import(?, 't'%s)" % (", ?" if option else ""),
                  (_csv(),) + ((option,) if option else ())).fetchall()
        raise AssertionError("the import filled no disk")
    except sqlite3.OperationalError as e:
        msg = str(e)
    assert msg.startswith("csv_import: %s" % _csv()) and "database or disk is full" in msg, msg
    # the connection still works, and the database is as before the call
    assert c.execute("SELECT count(*) FROM keep").fetchone()[0] >= 500
    if c.in_transaction:
        c.execute("ROLLBACK")
    c.close()
    ic, keep, t = _state(path)
    assert ic == [("ok",)] and keep == keep0 and t == t0, (ic, t, t0)
    return msg


def test_disk_full_new_table():
    for journal in ("DELETE", "WAL"):
        _full_case(journal, False)


def test_disk_full_appending():
    for journal in ("DELETE", "WAL"):
        _full_case(journal, True)


def test_disk_full_inside_a_transaction_says_it_rolled_back():
    """SQLite answers SQLITE_FULL by rolling back the whole transaction, not
    just the call: the user's own earlier changes are gone too, and the error
    must say so (issue 13)."""
    msg = _full_case("DELETE", False, in_transaction=True)
    if "transaction" in msg and "rolled back" in msg:
        return
    raise Skip("known miss (csv_import, issue 13): the error does not say that the whole "
               "transaction was rolled back: %r" % msg)


# A real ENOSPC: a 1 MiB tmpfs in a private mount namespace (unshare -Urm: no
# root needed where unprivileged user namespaces are allowed, as on Debian 12).
_CHILD = r"""
import json, os, sqlite3, subprocess, sys
ext, csv_path, d, journal = sys.argv[1:5]
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", d]).returncode != 0:
    sys.exit(3)
db = os.path.join(d, "small.db")
c = sqlite3.connect(db, isolation_level=None)
c.enable_load_extension(True)
c.load_extension(ext)
c.execute("PRAGMA journal_mode=" + journal)
c.execute("BEGIN")
c.execute("CREATE TABLE keep(k INTEGER PRIMARY KEY, v TEXT)")
c.executemany("INSERT INTO keep VALUES (?, ?)", [(i, "kept %d" % i) for i in range(500)])
c.execute("COMMIT")
try:
    c.execute("SELECT csv_import(?, 't')", (csv_path,)).fetchall()
    err = None
except sqlite3.OperationalError as e:
    err = str(e)
usable = c.execute("SELECT count(*) FROM keep").fetchone()[0]
c.close()
c = sqlite3.connect(db)
print(json.dumps({"error": err, "usable": usable,
                  "integrity": c.execute("PRAGMA integrity_check").fetchall(),
                  "keep": c.execute("SELECT count(*), total(k) FROM keep").fetchone(),
                  "tables": [r[0] for r in c.execute("SELECT name FROM sqlite_master")]}))
"""


def _enospc(journal):
    import json
    d = tempfile.mkdtemp(dir=_dir())
    why = "no unshare command (util-linux)"
    for prefix in (["unshare", "-Urm"], ["unshare", "-m"] if os.geteuid() == 0 else None):
        if prefix is None or not shutil.which("unshare"):
            continue
        out = subprocess.run(prefix + [sys.executable, "-c", _CHILD, EXT + ".so", _csv(), d, journal],
                             capture_output=True, text=True, timeout=120)
        if out.returncode == 0:
            return json.loads(out.stdout.strip().splitlines()[-1])
        # 3: the tmpfs could not be mounted; anything else is a failure of the test
        assert out.returncode in (1, 3) and (out.returncode == 3 or "unshare:" in out.stderr), \
            (journal, out.returncode, out.stderr[-800:])
        why = out.stderr.strip()[-200:]
    raise Skip("known limitation of this machine: no private mount namespace for a small tmpfs "
               "(unprivileged user namespaces disabled, and not root): %s" % why)


def test_real_enospc_on_a_full_tmpfs():
    for journal in ("DELETE", "WAL"):
        r = _enospc(journal)
        assert r["error"] and r["error"].startswith("csv_import: ") and "disk is full" in r["error"], (journal, r)
        assert r["usable"] == 500 and r["integrity"] == [["ok"]], (journal, r)
        assert r["keep"] == [500, sum(range(500))] and r["tables"] == ["keep"], (journal, r)
