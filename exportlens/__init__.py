"""exportlens for Python: load the SQLite extension into a sqlite3 connection,
and load collections of articles and the sample trade dataset.

    import sqlite3, exportlens
    conn = sqlite3.connect("news.db")
    exportlens.load(conn)
    exportlens.load_articles(conn, "articles/")        # a folder, .jsonl(.gz), .json or .csv
    conn.execute("SELECT * FROM entities('Seoul and Washington met.')").fetchall()

The extension itself is the C library `exportlens.so` inside this package (or,
in a source tree, build/exportlens.so after `make`). See docs/python.md.
"""
import os
import sqlite3

from .articles import load_articles  # noqa: F401

__all__ = ["ExtensionLoadError", "loadable_path", "load", "load_articles", "load_dataset", "create_views",
           "create_bi_tables", "data_path", "__version__"]

_HERE = os.path.dirname(os.path.abspath(__file__))
# In a source tree (not installed) the package sits beside build/ and sql/.
_SOURCE_ROOT = os.path.dirname(_HERE)


def _read_version():
    try:
        from ._version import version
        return version
    except ImportError:  # a source tree: read the C header, the one place the version is written
        try:
            with open(os.path.join(_SOURCE_ROOT, "include", "exportlens.h"), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("#define EXPORTLENS_VERSION "):
                        return line.split('"')[1]
        except OSError:
            pass
        return "0+unknown"


__version__ = _read_version()

TRAP = ("this Python's sqlite3 module cannot load extensions: it was built without "
        "--enable-loadable-sqlite-extensions, as pyenv and some conda and macOS builds are. "
        "Use a Python that can, such as Debian's /usr/bin/python3 (and its python3-venv), or rebuild "
        "it with PYTHON_CONFIGURE_OPTS=--enable-loadable-sqlite-extensions (pyenv install)")


class ExtensionLoadError(RuntimeError):
    """The extension could not be loaded into a connection; the message says why."""


def loadable_path():
    """The path of the extension library without its suffix (`.so`), as
    sqlite3's load_extension() and the shell's .load take it. The environment
    variable EXPORTLENS_EXT overrides it (also without the suffix)."""
    env = os.environ.get("EXPORTLENS_EXT")
    if env:
        return env
    for base in (os.path.join(_HERE, "exportlens"), os.path.join(_SOURCE_ROOT, "build", "exportlens")):
        if os.path.isfile(base + ".so"):
            return base
    raise ExtensionLoadError("exportlens: the extension library is not built: looked for %s.so and %s.so "
                             "(run make in the repository, or pip install the package)"
                             % (os.path.join(_HERE, "exportlens"), os.path.join(_SOURCE_ROOT, "build", "exportlens")))


def load(conn, noread=False):
    """Load the extension into `conn` (a sqlite3.Connection). Extension loading
    is switched on only for this call, so SQL run later cannot load other
    libraries. noread=True loads the entry point that leaves out the functions
    that read files (csv_file, csv_sniff, csv_import)."""
    if not hasattr(conn, "enable_load_extension"):
        raise ExtensionLoadError("exportlens: " + TRAP)
    path = loadable_path()
    try:
        conn.enable_load_extension(True)
    except sqlite3.Error as e:  # a library built with SQLITE_OMIT_LOAD_EXTENSION
        raise ExtensionLoadError("exportlens: %s (%s)" % (TRAP, e)) from e
    try:
        if noread:
            conn.execute("SELECT load_extension(?, 'sqlite3_exportlens_noread_init')", (path,)).fetchall()
        else:
            conn.load_extension(path)
    except sqlite3.OperationalError as e:
        raise ExtensionLoadError("exportlens: cannot load %s: %s" % (path, e)) from e
    finally:
        conn.enable_load_extension(False)
    return conn


def data_path(*parts):
    """A file of the bundled data: data_path('country_trade.csv'),
    data_path('schema.sql'), data_path('load_data.sql')."""
    for base in (os.path.join(_HERE, "data"), os.path.join(_SOURCE_ROOT, "sql", "data"),
                 os.path.join(_SOURCE_ROOT, "sql")):
        p = os.path.join(base, *parts)
        if os.path.exists(p):
            return p
    raise FileNotFoundError("exportlens: no bundled file %s" % os.path.join(*parts))


def load_dataset(conn, path=None):
    """Create the table country_trade and fill it from the bundled trade dataset
    (or from `path`, a CSV file of the same columns) with csv_import(), as
    sql/load_data.sql does. The extension must be loaded on conn. Returns the
    number of rows."""
    with open(data_path("load_data.sql"), encoding="utf-8") as f:
        script = f.read()
    quoted = "'%s'" % os.path.abspath(path or data_path("country_trade.csv")).replace("'", "''")
    script = script.replace("'sql/data/country_trade.csv'", quoted, 1)
    conn.executescript(script)
    return conn.execute("SELECT count(*) FROM country_trade").fetchone()[0]


def create_views(conn):
    """(Re)create the showcase views of sql/schema.sql (article_countries,
    claim_check, ...) on conn. They read the tables articles and country_trade."""
    with open(data_path("schema.sql"), encoding="utf-8") as f:
        conn.executescript(f.read())


def create_bi_tables(conn):
    """(Re)create the typed tables of sql/bi.sql (bi_claim_check, ...): the
    views copied into tables whose columns have declared types, for BI tools
    over ODBC. Needs the extension, the articles, the dataset and the views."""
    with open(data_path("bi.sql"), encoding="utf-8") as f:
        conn.executescript(f.read())
