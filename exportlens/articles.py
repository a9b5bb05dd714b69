"""Load a collection of articles into the table
articles(id, path, title, body, published, source, url).

A collection is one of:
- a folder of .txt files (or one .txt file): the first line is the title, the
  whole text (headline included) the body; the same rules as the shell loader
  sql/load_articles.sql, so both give the same rows;
- a JSON Lines file, .jsonl or .ndjson, optionally gzip-compressed (.gz): one
  object per line;
- a .json file holding a list of objects;
- a .csv file with a header.

In JSON and CSV records the fields are found by name, case-insensitively:
body (or text, content, article), title (or headline), published (or date,
published_at, publication_date, pubdate), source (or publisher, outlet) and url
(or link). A record without a body is an error that names the file and line. A
record without a title takes the body's first line. `published` is stored as
ISO 8601 when it is a date that can be read (2022-06-02, 2022-06-02T09:30:00Z,
an RFC 2822 date from a feed: "Thu, 02 Jun 2022 09:30:00 GMT" becomes
2022-06-02T09:30:00+00:00); anything else is kept as written.

`path` identifies the record: the file's path for a .txt file, "FILE:LINE" for
a JSON Lines record, "FILE:N" for the Nth object of a JSON list or the Nth row
of a CSV file. It is UNIQUE, so loading
the same collection again adds only what is new. The extension does not need
to be loaded for this.
"""
import csv
import email.utils
import gzip
import io
import json
import os
import re
import stat

COLUMNS = ("published", "source", "url")
CREATE = """CREATE TABLE IF NOT EXISTS articles(
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE,
  title TEXT,
  body TEXT,
  published TEXT,
  source TEXT,
  url TEXT
)"""

FIELDS = {
    "body": ("body", "text", "content", "article"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publication_date", "pubdate"),
    "source": ("source", "publisher", "outlet"),
    "url": ("url", "link"),
}


def _decode(raw):
    """Text of a file: UTF-8 (a byte order mark dropped); a file that is not
    valid UTF-8 is read as Windows-1252 (Latin-1 for the five bytes it leaves
    undefined), because a Python str cannot hold invalid UTF-8. CRLF and CR
    become LF."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = "".join(raw[i:i + 1].decode("cp1252", errors="strict") if raw[i] not in (0x81, 0x8d, 0x8f, 0x90, 0x9d)
                       else raw[i:i + 1].decode("latin-1") for i in range(len(raw)))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_line(body):
    return body.split("\n", 1)[0].strip(" \t")


def read_article(path):
    """(title, body) of one .txt article file, by the loader's rules."""
    with open(path, "rb") as f:
        body = _decode(f.read())
    return _first_line(body), body


def article_paths(folder):
    """The .txt files of a folder (regular files directly in it, the suffix in
    any case, no symlinks, pipes or subfolders), in the order ids are given."""
    folder = str(folder)
    if os.path.isfile(folder):  # one file, as the shell's fsdir() treats it
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


def iso_date(value):
    """An ISO 8601 form of a date when it can be read, else the value as given."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$", text):
        return text
    try:
        d = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return text
    return d.isoformat() if d is not None else text


def _pick(record, lower, field):
    for key in FIELDS[field]:
        if key in lower:
            v = record[lower[key]]
            return None if v is None else (v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v))
    return None


def _row(record, where):
    if not isinstance(record, dict):
        raise ValueError("load_articles: %s: not an object" % where)
    lower = {}
    for k in record:
        lower.setdefault(str(k).strip().lower(), k)
    body = _pick(record, lower, "body")
    if body is None:
        raise ValueError("load_articles: %s: no body (a field named %s)" % (where, ", ".join(FIELDS["body"])))
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    title = _pick(record, lower, "title")
    return {"title": _first_line(body) if title is None else title.strip(), "body": body,
            "published": iso_date(_pick(record, lower, "published")),
            "source": _pick(record, lower, "source"), "url": _pick(record, lower, "url")}


def _open_text(path):
    raw = gzip.open(path, "rb").read() if path.lower().endswith(".gz") else open(path, "rb").read()
    return _decode(raw)


def _records(path):
    """(path column, row) for each record of a .jsonl/.ndjson(.gz), .json or .csv file."""
    low = path.lower()
    base = low[:-3] if low.endswith(".gz") else low
    text = _open_text(path)
    if base.endswith((".jsonl", ".ndjson")):
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as e:
                raise ValueError("load_articles: %s: line %d: %s" % (path, n, e)) from None
            yield "%s:%d" % (path, n), _row(record, "%s: line %d" % (path, n))
    elif base.endswith(".json"):
        try:
            records = json.loads(text)
        except ValueError as e:
            raise ValueError("load_articles: %s: %s" % (path, e)) from None
        if not isinstance(records, list):
            raise ValueError("load_articles: %s: a .json file must hold a list of objects" % path)
        for n, record in enumerate(records, 1):
            yield "%s:%d" % (path, n), _row(record, "%s: object %d" % (path, n))
    elif base.endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for n, record in enumerate(reader, 1):
            where = "%s: row %d (line %d)" % (path, n, reader.line_num)
            if None in record:
                raise ValueError("load_articles: %s: more fields than the header" % where)
            yield "%s:%d" % (path, n), _row(record, where)
    else:
        raise ValueError("load_articles: %s: not a collection this loader reads "
                         "(a folder of .txt files, .txt, .jsonl, .ndjson, .json, .csv, optionally .gz)" % path)


def _ensure_table(conn):
    conn.execute(CREATE)
    have = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    for col in COLUMNS:  # a table made by an older loader has only (id, path, title, body)
        if col not in have:
            conn.execute("ALTER TABLE articles ADD COLUMN %s TEXT" % col)


def load_articles(conn, path="sql/data/articles"):
    """Add the articles of `path` (a folder of .txt files, a .txt file, or a
    .jsonl, .ndjson, .json or .csv collection, optionally .gz) to the table
    articles(id, path, title, body, published, source, url), creating it if
    needed. Returns the number of rows added; records already loaded (the same
    path) are skipped. Everything is added in one transaction."""
    path = os.fspath(path)
    low = path.lower()
    if os.path.isdir(path) or low.endswith(".txt"):
        rows = []
        for p in article_paths(path):
            title, body = read_article(p)
            rows.append((p, {"title": title, "body": body, "published": None, "source": None, "url": None}))
    elif not os.path.exists(path):
        raise FileNotFoundError("load_articles: no such folder or file: %s" % path)
    else:
        rows = list(_records(path))
    _ensure_table(conn)
    added = 0
    with conn:
        for key, r in rows:
            cur = conn.execute("INSERT OR IGNORE INTO articles(path, title, body, published, source, url) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               (key, r["title"], r["body"], r["published"], r["source"], r["url"]))
            added += cur.rowcount
    return added
