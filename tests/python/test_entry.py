"""The two entry points, and what the shared library exports."""
import os
import shutil
import sqlite3
import subprocess

from helpers import EXT, ROOT, Skip, read

DIRECTONLY = 0x80000


def _names(conn):
    f = {r[0]: r[1] for r in conn.execute("SELECT name, flags FROM pragma_function_list")}
    m = {r[0] for r in conn.execute("SELECT name FROM pragma_module_list")}
    return f, m


def _load(entry=None):
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    if entry:
        conn.execute("SELECT load_extension(?, ?)", (EXT, entry))
    else:
        conn.load_extension(EXT)
    conn.enable_load_extension(False)
    return conn


def _file_readers():
    names = set()
    for line in read(os.path.join(ROOT, "tests", "python", "expected_names", "csv.txt")).splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2:
            names.add(parts[1])
    return names


def test_noread_entry_point_leaves_out_exactly_the_file_readers():
    f0, m0 = _names(sqlite3.connect(":memory:"))
    f_all, m_all = _names(_load())
    f_nr, m_nr = _names(_load("sqlite3_exportlens_noread_init"))
    added_all = (set(f_all) - set(f0)) | (m_all - m0)
    added_nr = (set(f_nr) - set(f0)) | (m_nr - m0)
    assert added_nr == added_all - _file_readers(), sorted(added_all ^ added_nr)
    # nothing that is left can reach files: no DIRECTONLY function remains
    assert not [n for n in set(f_nr) - set(f0) if f_nr[n] & DIRECTONLY]
    # and the tokenizer and friends are all there
    assert {"tokens", "sentences"} <= m_nr and "token_count" in f_nr


def test_noread_from_the_shell():
    sqlite3_bin = os.environ.get("SQLITE3", "sqlite3")
    if not shutil.which(sqlite3_bin):
        raise Skip("no sqlite3 shell")
    p = subprocess.run([sqlite3_bin, ":memory:"], input=".load %s sqlite3_exportlens_noread_init\n"
                       "SELECT token_count('a b c');\n" % EXT, capture_output=True, text=True, timeout=30)
    assert p.stdout.strip() == "3", (p.stdout, p.stderr)


def test_only_the_entry_points_are_exported():
    nm = shutil.which("nm")
    if not nm:
        raise Skip("nm (binutils) not installed")
    out = subprocess.run([nm, "-D", "--defined-only", EXT + ".so"], capture_output=True, text=True,
                         check=True).stdout
    syms = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1] in "TDBR"}
    assert syms == {"sqlite3_exportlens_init", "sqlite3_exportlens_noread_init"}, sorted(syms)
