"""Trust levels against an attacker's database (issue 13).

The victim has private tables in main; the attacker's file, ATTACHed, holds
views and triggers (made with CREATE, and planted through writable_schema)
that call every table-valued function with the victim's table names as
arguments. Nothing may come back, with PRAGMA trusted_schema OFF or ON.

Every module and function states a trust level in
tests/python/expected_names/*.txt (pure, reads_tables, reads_files); the
checks here are driven by those lines, so a new name is covered as soon as
it is listed:
  - pure: usable from a stored view with trusted_schema=OFF;
  - reads_tables: refused from stored views and triggers (OFF and ON),
    usable directly and from TEMP views;
  - and, whatever its level, no module hands the victim's rows to a stored
    view, whichever argument names the table.
The file readers (csv_*, csv13's code) are checked at the entry-point level:
nothing reachable from a stored schema opens a file (an open() logger is
preloaded into a child Python)."""
import os
import sqlite3
import subprocess
import sys
import tempfile

from helpers import BUILD, EXT, ROOT, Skip, connect, expect_error, read

SECRET = "CANARY-SECRET"
BAIT = "zqsecret corp"  # the text the attacker passes: it matches the canary rows
DIRECTONLY, INNOCUOUS = 0x80000, 0x200000


def _levels():
    """{(kind, name): level} from tests/python/expected_names/*.txt."""
    out = {}
    d = os.path.join(ROOT, "tests", "python", "expected_names")
    for fname in sorted(os.listdir(d)):
        for line in read(os.path.join(d, fname)).splitlines():
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 2:
                out[(parts[0], parts[1])] = parts[2] if len(parts) > 2 else None
    return out


LEVELS = _levels()


def _modules(level):
    return sorted(n for (k, n), lv in LEVELS.items() if k == "module" and lv == level)


def _victim(path=":memory:"):
    """A connection with canary tables: every column any reader looks for,
    filled so that BAIT matches, and SECRET in every other column."""
    c = connect(path)
    cols = ("name", "label", "canonical", "term", "category", "is_pattern", "rule",
            "alt_names", "source", "programs")
    for t in ("secret", "csl"):  # csl: what screen() reads by default
        c.execute("CREATE TABLE %s(%s)" % (t, ", ".join(cols)))
        c.execute("INSERT INTO %s VALUES (?, 'ORG', ?, ?, ?, 0, ?, '', ?, ?)" % t,
                  (BAIT, SECRET, BAIT, SECRET, SECRET, SECRET, SECRET))
    return c


def _hidden(c, module):
    return [r[1] for r in c.execute("SELECT * FROM pragma_table_xinfo(?)", (module,)) if r[6]]


def _calls(c, module):
    """The calls an attacker would try: the bait text first, then the victim's
    table in each other argument position (the rest NULL), and no table at all
    (screen() reads csl by default)."""
    n = len(_hidden(c, module))
    if n == 0:
        return ["%s" % module]
    calls = ["%s('%s')" % (module, BAIT)]
    for k in range(1, n):
        args = ["'%s'" % BAIT] + ["NULL"] * (n - 1)
        args[k] = "'main.secret'"
        calls.append("%s(%s)" % (module, ", ".join(args)))
    return calls


def _plant(path, statements):
    """The attacker's file: each statement both as SQL (made by a plain
    sqlite3 connection, no extension) and planted raw into sqlite_master."""
    a = sqlite3.connect(path)
    a.execute("CREATE TABLE loot(x)")
    for kind, name, sql in statements:
        if kind == "trigger":  # each trigger has a table of its own to fire it
            a.execute("CREATE TABLE log_%s(x)" % name)
            a.execute("CREATE TABLE log_%s_raw(x)" % name)
        a.execute(sql)
    a.commit()
    a.execute("PRAGMA writable_schema=ON")
    for kind, name, sql in statements:
        raw = name + "_raw"
        sql = sql.replace(" %s " % name, " %s " % raw, 1).replace(" log_%s " % name, " log_%s " % raw)
        a.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, 0, ?)",
                  (kind, raw, "log_" + raw if kind == "trigger" else raw, sql))
    a.commit()
    a.close()


def _attacker(d, module, calls, columns):
    path = os.path.join(d, "attacker_%s.db" % module)
    row = " || '|' || ".join('quote("%s")' % col for col in columns) or "1"
    stmts = []
    for i, call in enumerate(calls):
        stmts.append(("view", "v%d" % i, "CREATE VIEW v%d AS SELECT * FROM %s" % (i, call)))
        stmts.append(("trigger", "t%d" % i,
                      "CREATE TRIGGER t%d AFTER INSERT ON log_t%d BEGIN "
                      "INSERT INTO loot SELECT %s FROM %s; END" % (i, i, row, call)))
    _plant(path, stmts)
    return path


def _attacked(d, probe, m):
    """For module m: the attacker's calls, and for each trusted_schema setting
    a victim connection with the attacker's file attached as aux."""
    calls = _calls(probe, m)
    columns = [r[1] for r in probe.execute("SELECT * FROM pragma_table_xinfo(?)", (m,)) if not r[6]]
    path = _attacker(d, m, calls, columns)
    for trusted in ("OFF", "ON"):
        c = _victim()
        c.execute("ATTACH ? AS aux", (path,))
        c.execute("PRAGMA trusted_schema=%s" % trusted)
        yield calls, trusted, c
        c.close()


def _try(c, sql):
    """(rows, error) of a statement."""
    try:
        return c.execute(sql).fetchall(), None
    except sqlite3.OperationalError as e:
        return None, str(e)


def test_every_name_states_a_trust_level():
    missing = [n for n, lv in LEVELS.items() if lv is None and n[1] not in ("csv_file", "csv_sniff", "csv_import")]
    assert not missing, "no trust level in tests/python/expected_names for %s" % missing
    assert set(LEVELS.values()) <= {None, "pure", "reads_tables", "reads_files"}, set(LEVELS.values())
    c = connect()
    for (kind, name), lv in LEVELS.items():
        if kind != "function" or lv is None:
            continue
        for (flags,) in c.execute("SELECT flags FROM pragma_function_list WHERE name = ?", (name,)):
            want = INNOCUOUS if lv == "pure" else DIRECTONLY
            assert flags & want and not flags & (INNOCUOUS | DIRECTONLY) & ~want, (name, lv, hex(flags))


def test_no_stored_view_or_trigger_reads_the_victims_tables():
    """For every module of every level: views and triggers in an attached file
    that name main.secret (or rely on the default csl) get nothing of it."""
    d = tempfile.mkdtemp()
    probe = _victim()
    mods = [n for (k, n) in LEVELS if k == "module" and n != "csv_file"]
    leaks = []
    for m in mods:
        for calls, trusted, c in _attacked(d, probe, m):
            views = [r[0] for r in c.execute("SELECT name FROM aux.sqlite_master WHERE type = 'view'")]
            assert len(views) == 2 * len(calls), views
            for v in views:
                rows, err = _try(c, "SELECT * FROM aux.%s" % v)
                if rows is not None and SECRET in repr(rows):
                    leaks.append("%s: view %s (%s) with trusted_schema=%s" % (m, v, calls, trusted))
                if err is not None:
                    assert SECRET not in err, err
            for (t, log) in c.execute("SELECT name, tbl_name FROM aux.sqlite_master "
                                      "WHERE type = 'trigger'").fetchall():
                c.execute("DELETE FROM aux.loot")
                _, err = _try(c, "INSERT INTO aux.%s VALUES (1)" % log)
                loot = c.execute("SELECT group_concat(x) FROM aux.loot").fetchone()[0] or ""
                if SECRET in loot:
                    leaks.append("%s: trigger %s with trusted_schema=%s" % (m, t, trusted))
    assert not leaks, leaks


def test_table_readers_are_refused_from_stored_schema_and_work_directly_and_in_temp_views():
    readers = _modules("reads_tables")
    assert {"entities_with", "export_terms_with", "screen"} <= set(readers), readers
    d = tempfile.mkdtemp()
    probe = _victim()
    for m in readers:
        for calls, trusted, c in _attacked(d, probe, m):
            for (v,) in c.execute("SELECT name FROM aux.sqlite_master WHERE type = 'view'").fetchall():
                expect_error(c, "SELECT * FROM aux.%s" % v, 'unsafe use of virtual table "%s"' % m)
            triggers = c.execute("SELECT tbl_name FROM aux.sqlite_master WHERE type = 'trigger'").fetchall()
            assert len(triggers) == 2 * len(calls), triggers
            for (log,) in triggers:
                expect_error(c, "INSERT INTO aux.%s VALUES (1)" % log, 'unsafe use of virtual table "%s"' % m)
            # the user's own SQL: directly, and through a TEMP view or trigger
            call = calls[1] if len(calls) > 1 else calls[0]
            assert SECRET in repr(c.execute("SELECT * FROM " + call).fetchall()), call
            c.execute("CREATE TEMP VIEW mine AS SELECT * FROM " + call)
            assert SECRET in repr(c.execute("SELECT * FROM mine").fetchall()), call
            c.execute("CREATE TEMP TABLE tlog(x)")
            c.execute("CREATE TEMP TABLE tloot(x)")
            c.execute("CREATE TEMP TRIGGER tt AFTER INSERT ON tlog BEGIN "
                      "INSERT INTO tloot SELECT count(*) FROM %s; END" % call)
            c.execute("INSERT INTO tlog VALUES (1)")
            assert c.execute("SELECT x FROM tloot").fetchone()[0] >= 1


def test_pure_modules_work_in_stored_views_with_trusted_schema_off():
    """Views stored in the database over the forms without a table argument
    (entities(body), export_terms(body), quotes(), ...) keep working."""
    pure = _modules("pure")
    assert {"entities", "export_terms", "tokens", "quotes"} <= set(pure), pure
    d = tempfile.mkdtemp()
    path = os.path.join(d, "views.db")
    c = connect(path)
    c.execute("CREATE TABLE articles(body)")
    c.execute("INSERT INTO articles VALUES ('BIS said Japan and South Korea agreed. "
              "\"We will comply,\" said John Smith. Exports to China fell 30% in 2022.')")
    for m in pure:
        n = len(_hidden(c, m))
        src = "articles a, %s(a.body)" % m if n else m
        c.execute("CREATE VIEW v_%s AS SELECT count(*) AS n FROM %s" % (m, src))
    c.commit()
    c.close()
    c = connect(path)
    c.execute("PRAGMA trusted_schema=OFF")
    for m in pure:
        assert c.execute("SELECT n FROM v_%s" % m).fetchone()[0] > 0, m
    # the pure name refuses a table argument (so no stored view can use it to read one)
    for m, arg in (("entities", "dictionary"), ("export_terms", "lexicon")):
        expect_error(c, "SELECT * FROM %s('x', 'main.articles')" % m,
                     "%s(): %s 'main.articles' needs %s_with(text, %s)" % (m, arg, m, arg))


# ---- file readers, at the entry-point level ----------------------------------

_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
/* Logs every open of a path containing $EL_OPEN_MARKER to $EL_OPEN_LOG. */
static void note(const char *path) {
  const char *m = getenv("EL_OPEN_MARKER"), *log = getenv("EL_OPEN_LOG");
  if (!path || !m || !log || !strstr(path, m)) return;
  int fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) return;
  if (write(fd, path, strlen(path)) < 0 || write(fd, "\n", 1) < 0) {}
  close(fd);
}
#define OPEN_LIKE(name)                                                      \
  int name(const char *p, int f, ...) {                                      \
    int mode = 0;                                                            \
    if (f & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, f); mode = va_arg(ap, int); va_end(ap); } \
    note(p);                                                                 \
    int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
    return real(p, f, mode);                                                 \
  }
#define OPENAT_LIKE(name)                                                    \
  int name(int d, const char *p, int f, ...) {                               \
    int mode = 0;                                                            \
    if (f & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, f); mode = va_arg(ap, int); va_end(ap); } \
    note(p);                                                                 \
    int (*real)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
    return real(d, p, f, mode);                                              \
  }
#define FOPEN_LIKE(name)                                                     \
  FILE *name(const char *p, const char *m) {                                 \
    note(p);                                                                 \
    FILE *(*real)(const char *, const char *) = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, #name); \
    return real(p, m);                                                       \
  }
OPEN_LIKE(open) OPEN_LIKE(open64) OPENAT_LIKE(openat) OPENAT_LIKE(openat64)
FOPEN_LIKE(fopen) FOPEN_LIKE(fopen64)
"""

_VICTIM = r"""
import sqlite3, sys
ext, entry, attacker, log = sys.argv[1:5]
def step(name):
    with open(log, "a") as f:
        f.write("STEP " + name + "\n")
c = sqlite3.connect(":memory:")
c.enable_load_extension(True)
c.execute("SELECT load_extension(?, ?)", (ext, entry))
c.execute("ATTACH ? AS aux", (attacker,))
for trusted in ("OFF", "ON"):
    c.execute("PRAGMA trusted_schema=" + trusted)
    for (kind, name, tbl) in c.execute("SELECT type, name, tbl_name FROM aux.sqlite_master "
                                       "WHERE type IN ('view', 'trigger')").fetchall():
        step("%s %s trusted_schema=%s" % (kind, name, trusted))
        try:
            if kind == "view":
                c.execute("SELECT * FROM aux." + name).fetchall()
            else:
                c.execute("INSERT INTO aux.%s VALUES (1)" % tbl)
        except sqlite3.Error:
            pass
step("end")
"""


def test_nothing_reachable_from_a_stored_schema_opens_a_file():
    """An attacker's file declares a csv_file table (planted through
    writable_schema) and views and triggers over it and over csv_sniff(),
    csv_import() and lines_file(). The victim, with either entry point and trusted_schema OFF
    or ON, reads every view and fires every trigger; an open() logger
    preloaded into the victim's Python records any open of the attacker's
    target file. The noread entry point must open nothing; the full one
    nothing either: connecting a csv_file table reads no file."""
    d = tempfile.mkdtemp()
    target = os.path.join(d, "el_open_marker_target.csv")
    with open(target, "w") as f:
        f.write("secret_header,b\n1,2\n")
    shim = os.path.join(ROOT, BUILD, "el_open_logger.so")
    src = os.path.join(d, "shim.c")
    with open(src, "w") as f:
        f.write(_SHIM)
    r = subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", shim, src, "-ldl"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Skip("cannot build the open() logger: %s" % r.stderr[-300:])
    attacker = os.path.join(d, "attacker.db")
    q = target.replace("'", "''")
    a = sqlite3.connect(attacker)
    a.executescript("""
        CREATE TABLE log_sniff(x);
        CREATE TABLE log_file(x);
        CREATE VIEW v_sniff AS SELECT csv_sniff('%s') AS s;
        CREATE VIEW v_import AS SELECT csv_import('%s', 'stolen') AS n;
        CREATE TRIGGER t_sniff AFTER INSERT ON log_sniff BEGIN SELECT csv_sniff('%s'); END;
        CREATE VIEW v_lines AS SELECT * FROM lines_file('%s');
        CREATE TABLE log_lines(x);
        CREATE TRIGGER t_lines AFTER INSERT ON log_lines BEGIN SELECT * FROM lines_file('%s'); END;
        PRAGMA writable_schema=ON;
        INSERT INTO sqlite_master VALUES ('table', 'f', 'f', 0,
          'CREATE VIRTUAL TABLE f USING csv_file(''%s'')');
        INSERT INTO sqlite_master VALUES ('view', 'v_file', 'v_file', 0,
          'CREATE VIEW v_file AS SELECT * FROM f');
        INSERT INTO sqlite_master VALUES ('trigger', 't_file', 'log_file', 0,
          'CREATE TRIGGER t_file AFTER INSERT ON log_file BEGIN SELECT * FROM f; END');
        INSERT INTO sqlite_master VALUES ('view', 'v_info', 'v_info', 0,
          'CREATE VIEW v_info AS SELECT name FROM pragma_table_info(''f'')');
    """ % (q, q, q, q, q, q.replace("'", "''")))
    a.commit()
    a.close()
    opened = {}
    for entry in ("sqlite3_exportlens_init", "sqlite3_exportlens_noread_init"):
        log = os.path.join(d, "open_%s.log" % entry)
        env = dict(os.environ)
        env["LD_PRELOAD"] = " ".join(p for p in (os.environ.get("EL_PRELOAD", ""), shim) if p)
        env["EL_OPEN_MARKER"] = "el_open_marker_target"
        env["EL_OPEN_LOG"] = log
        env.pop("PYTHONMALLOC", None)
        r = subprocess.run([sys.executable, "-c", _VICTIM, EXT, entry, attacker, log],
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
        lines = read(log).splitlines()
        assert lines and lines[-1] == "STEP end", lines[-5:]
        step, hits = None, set()
        for line in lines:
            if line.startswith("STEP "):
                step = line[5:]
            elif step is not None:
                hits.add(step)
        opened[entry] = hits
    assert not opened["sqlite3_exportlens_noread_init"], opened
    # the full entry point opens nothing either: a csv_file table declared in a
    # database file is declared from its stored description, and its file is
    # opened only when the user's own statement reads the table
    assert not opened["sqlite3_exportlens_init"], opened
