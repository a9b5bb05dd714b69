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

When the extension is loaded on the connection, a JSON Lines file (.gz or not)
is loaded by one SQL statement, INSERT ... SELECT ... FROM lines_file(FILE)
with SQLite's JSON functions (JSONL_INSERT below): the file is read, inflated
and split in C, and no line is parsed in Python. Only the date (iso_date) and
values that are not strings or null are converted by Python functions the
statement calls. The rows are the ones the Python reader gives. Where the two
readers could differ, the Python reader is used instead: a line lines_file
refuses (invalid UTF-8, which Python reads as Windows-1252; a damaged .gz, so
that the error is the same as before), a lone CR (a line end for Python), a
line SQLite's JSON parser refuses but Python's accepts (NaN), an object with a
key twice, and an integer too large for 64 bits.
"""
import csv
import email.utils
import gzip
import io
import json
import os
import re
import sqlite3
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


def _jsonl_row(path, n, line):
    """The row of line n of a JSON Lines file; ValueError naming the file and line."""
    try:
        record = json.loads(line)
    except ValueError as e:
        raise ValueError("load_articles: %s: line %d: %s" % (path, n, e)) from None
    return _row(record, "%s: line %d" % (path, n))


# The characters str.strip() removes (str.isspace()), for SQL's trim().
_WS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200b))) + \
      "\u2028\u2029\u202f\u205f\u3000"


_VALUE_SQL = ("CASE %(t)s WHEN 'text' THEN %(v)s WHEN 'null' THEN NULL "
              "ELSE _exportlens_value_text(%(t)s, %(v)s) END")
_ALIASES = [n for names in FIELDS.values() for n in names]
# a key as _pick() compares it: trimmed, in lower case (a key of lower-case letters and _ is so already)
_KEY_SQL = "CASE WHEN key GLOB '*[^a-z_]*' THEN lower(trim(key, :ws)) ELSE key END"


def _pick_sql(field):
    """SQL for _pick(field) of the object j, when the object is `simple`: its
    keys that are names of fields are written as such (lower case, no blanks),
    each once. json_type() and json_extract() then find them, on one parse of
    j that SQLite keeps for the statement."""
    whens = []
    for n in FIELDS[field]:
        path = "'$.%s'" % n
        whens.append("WHEN json_type(j, %s) IS NOT NULL THEN %s" % (
            path, _VALUE_SQL % {"t": "json_type(j, %s)" % path, "v": "json_extract(j, %s)" % path}))
    return "CASE " + " ".join(whens) + " END"


def _pick_any_sql(field):
    """SQL for _pick(field) of any object j without a key given twice: the
    first of the field's names in order, compared as _pick() compares keys,
    the first such key of the object."""
    names = FIELDS[field]
    return ("(SELECT %s FROM (SELECT type, value, id, %s AS k FROM json_each(j)) "
            "WHERE k IN (%s) ORDER BY CASE k %s END, id LIMIT 1)"
            % (_VALUE_SQL % {"t": "type", "v": "value"}, _KEY_SQL, ", ".join("'%s'" % n for n in names),
               " ".join("WHEN '%s' THEN %d" % (n, i) for i, n in enumerate(names))))


# One statement loads a JSON Lines file, read by the extension's lines_file().
# A line that the rows of _jsonl_row() could differ on, or that is an error,
# calls _exportlens_bad_line(lineno), which stops the statement (SQLite undoes
# it); load_articles then names the error, or uses the Python reader. Most
# objects are simple (see _pick_sql: as many keys naming fields, once
# normalised, as distinct keys written exactly as the names); the others take
# _pick_any_sql, a json_each() search per field. OFFSET 0 keeps SQLite from
# flattening the subqueries, so that they stay streaming co-routines and an
# error stops at the first bad line in file order: flattened, each use of body
# or j would also run its JSON lookups again.
JSONL_INSERT = """INSERT OR IGNORE INTO articles(path, title, body, published, source, url)
SELECT :file || ':' || lineno,
       CASE WHEN title IS NULL
            THEN trim(substr(body, 1, instr(body || char(10), char(10)) - 1), ' ' || char(9))
            ELSE trim(title, :ws) END,
       body,
       CASE WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN published
            WHEN published IS NOT NULL THEN _exportlens_iso_date(published) END,
       source, url
FROM (SELECT lineno,
             replace(replace(CASE WHEN simple THEN %(body)s ELSE %(body_any)s END,
                             char(13, 10), char(10)), char(13), char(10)) AS body,
             CASE WHEN simple THEN %(title)s ELSE %(title_any)s END AS title,
             CASE WHEN simple THEN %(published)s ELSE %(published_any)s END AS published,
             CASE WHEN simple THEN %(source)s ELSE %(source_any)s END AS source,
             CASE WHEN simple THEN %(url)s ELSE %(url_any)s END AS url
      FROM (SELECT lineno, j,
                   CASE WHEN (SELECT count(*) FILTER (WHERE %(key)s IN (%(aliases)s))
                                     = count(DISTINCT key) FILTER (WHERE key IN (%(aliases)s))
                              FROM json_each(j)) THEN 1
                        WHEN EXISTS (SELECT 1 FROM json_each(j) GROUP BY key HAVING count(*) > 1)
                        THEN _exportlens_bad_line(lineno)
                        ELSE 0 END AS simple
            FROM (SELECT lineno,
                         CASE WHEN instr(line, char(13)) = 0 AND json_valid(line)
                                   AND json_type(line) = 'object'
                              THEN line ELSE _exportlens_bad_line(lineno) END AS j
                  FROM lines_file(:file)
                  WHERE trim(line, :ws) <> ''
                  LIMIT -1 OFFSET 0)
            LIMIT -1 OFFSET 0)
      LIMIT -1 OFFSET 0)
WHERE body IS NOT NULL OR _exportlens_bad_line(lineno)""" % dict(
    [(f, _pick_sql(f)) for f in FIELDS] + [(f + "_any", _pick_any_sql(f)) for f in FIELDS],
    key=_KEY_SQL, aliases=", ".join("'%s'" % n for n in _ALIASES))


class _Fallback(Exception):
    """The Python reader must load this file."""


def _has_lines_file(conn):
    try:
        conn.execute("SELECT count(*) FROM lines_file(NULL)").fetchone()
        return True
    except sqlite3.Error:
        return False


def _value_text(typ, value):
    """_pick()'s text of a JSON value that is not a string or null, from its
    json_each() type and value."""
    if typ == "true":
        return "True"
    if typ == "false":
        return "False"
    if typ in ("object", "array"):
        return json.dumps(json.loads(value))
    if typ == "integer" and not isinstance(value, int):
        raise _Fallback()  # beyond 64 bits: SQLite made it a float
    return str(value)


def _load_jsonl_sql(conn, path):
    """Rows added from a JSON Lines file by JSONL_INSERT; _Fallback when the
    Python reader must load it (nothing is then changed)."""
    bad = []
    fallback = []

    def bad_line(lineno):
        bad.append(lineno)
        raise ValueError("line %d" % lineno)

    def value_text(typ, value):
        try:
            return _value_text(typ, value)
        except _Fallback:
            fallback.append(True)
            raise

    funcs = (("_exportlens_bad_line", 1, bad_line), ("_exportlens_value_text", 2, value_text),
             ("_exportlens_iso_date", 1, iso_date))
    for name, narg, fn in funcs:
        conn.create_function(name, narg, fn)
    opened = not conn.in_transaction
    try:
        try:
            cur = conn.execute(JSONL_INSERT, {"file": path, "ws": _WS})
            added = cur.rowcount
        except sqlite3.Error as e:
            # the statement is undone; a transaction the caller had open stays as it was
            if opened and conn.in_transaction:
                conn.rollback()
            if fallback or not bad:
                if fallback or str(e).startswith("lines_file"):
                    raise _Fallback() from None
                raise
            n = bad[0]
            line = conn.execute("SELECT line FROM lines_file(?) WHERE lineno = ?", (path, n)).fetchone()[0]
            if "\r" not in line:
                _jsonl_row(path, n, line)  # raises the Python reader's error for this line
            raise _Fallback() from None  # a line the Python reader takes
        conn.commit()
        return added
    finally:
        for name, narg, _ in funcs:
            conn.create_function(name, narg, None)


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
            yield "%s:%d" % (path, n), _jsonl_row(path, n, line)
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
        base = low[:-3] if low.endswith(".gz") else low
        if base.endswith((".jsonl", ".ndjson")) and os.path.isfile(path) and _has_lines_file(conn):
            _ensure_table(conn)
            try:
                return _load_jsonl_sql(conn, path)
            except _Fallback:
                pass
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
