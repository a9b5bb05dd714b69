#!/usr/bin/python3
"""Load a folder of article files into articles(id, path, title, body): the
Python equivalent of sql/load_articles.sql.

    import sqlite3, sys
    sys.path.insert(0, "sql")
    from load_articles import load_articles
    conn = sqlite3.connect("news.db")
    load_articles(conn, "sql/data/articles")         # -> number of rows added

    /usr/bin/python3 sql/load_articles.py news.db [FOLDER]   # from a shell

The rules are those of sql/load_articles.sql: the regular *.txt files directly
in the folder (case-insensitive, no subfolders, no symlinks or pipes), in path
order; title = the first line trimmed of spaces and tabs; body = the whole
text with the headline; a UTF-8 byte order mark dropped, CRLF and CR turned
into LF; an empty file gives empty title and body; paths already loaded are
skipped. The one difference: a file that is not valid UTF-8 is decoded as
Windows-1252 (Latin-1 for the five bytes it leaves undefined), because a
Python str cannot hold invalid UTF-8; the shell loader keeps its bytes.
The extension does not need to be loaded for this.

For notebooks, load_dataset(conn) runs sql/load_data.sql (country_trade from
sql/data/country_trade.csv, from any working directory) and create_views(conn)
runs sql/schema.sql; both need the extension loaded on conn.
"""
import os
import sqlite3
import stat
import sys

CREATE = """CREATE TABLE IF NOT EXISTS articles(
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE,
  title TEXT,
  body TEXT
)"""


def _decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = "".join(raw[i:i + 1].decode("cp1252", errors="strict") if raw[i] not in (0x81, 0x8d, 0x8f, 0x90, 0x9d)
                       else raw[i:i + 1].decode("latin-1") for i in range(len(raw)))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(path):
    """(title, body) of one article file, by the loader's rules."""
    with open(path, "rb") as f:
        body = _decode(f.read())
    title = body.split("\n", 1)[0].strip(" \t")
    return title, body


def article_paths(folder):
    """The article files of a folder, in the order ids are given."""
    folder = str(folder)
    if os.path.isfile(folder):  # one file, as fsdir() treats it
        st = os.lstat(folder)
        return [folder] if folder.lower().endswith(".txt") and stat.S_ISREG(st.st_mode) else []
    if not os.path.isdir(folder):
        raise FileNotFoundError("load_articles: no such folder: %s" % folder)
    paths = []
    for name in os.listdir(folder):
        path = folder + "/" + name  # as the shell's fsdir() names it
        if not name.lower().endswith(".txt"):
            continue
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                paths.append(path)
        except OSError:
            continue
    return sorted(paths, key=lambda p: p.encode("utf-8", "surrogateescape"))


def load_articles(conn, folder="sql/data/articles"):
    """Create articles(id, path, title, body) if needed and add the folder's
    articles; returns the number of rows added."""
    conn.execute(CREATE)
    added = 0
    for path in article_paths(folder):
        title, body = read_article(path)
        cur = conn.execute("INSERT OR IGNORE INTO articles(path, title, body) VALUES (?, ?, ?)",
                           (path, title, body))
        added += cur.rowcount
    conn.commit()
    return added


HERE = os.path.dirname(os.path.abspath(__file__))


def load_dataset(conn, path=os.path.join(HERE, "data", "country_trade.csv")):
    """Run sql/load_data.sql on conn (the extension must be loaded), reading
    the dataset from path, from any working directory; returns its row count."""
    with open(os.path.join(HERE, "load_data.sql"), encoding="utf-8") as f:
        script = f.read()
    quoted = "'%s'" % os.path.abspath(path).replace("'", "''")
    script = script.replace("'sql/data/country_trade.csv'", quoted, 1)
    conn.executescript(script)
    return conn.execute("SELECT count(*) FROM country_trade").fetchone()[0]


def create_views(conn):
    """Run sql/schema.sql on conn: (re)create the showcase views."""
    with open(os.path.join(HERE, "schema.sql"), encoding="utf-8") as f:
        conn.executescript(f.read())


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print("usage: load_articles.py DATABASE [FOLDER]   (FOLDER defaults to sql/data/articles)",
              file=sys.stderr)
        return 2
    conn = sqlite3.connect(argv[1])
    try:
        n = load_articles(conn, argv[2] if len(argv) > 2 else "sql/data/articles")
    except (OSError, sqlite3.Error) as e:
        print(str(e), file=sys.stderr)
        return 1
    print("load_articles: %d articles added to %s" % (n, argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
