"""Run one SQL query over many SQLite shard files on a Dask distributed
cluster, and split a collection of articles into such shards. See
docs/scale.md ("Corpus processing on Dask").

    from dask.distributed import Client
    import exportlens.distributed as ed

    paths = ed.shard_articles("articles.jsonl.gz", "shards/", 8)
    df = ed.map_sql(paths, "SELECT articles.id, e.entity, e.label "
                           "FROM articles, entities(articles.body) AS e",
                    client=Client("tcp://10.0.0.1:8786"))

- Each shard is a SQLite file with the table articles(id, path, title, body,
  published, source, url) that exportlens.load_articles makes; the ids are the
  ones the whole collection gets when loaded into one table, so a query run
  over the shards and one run over the whole table give the same rows.
- Each task runs on a worker: it opens its shard read-only (a `file:` URI with
  mode=ro) and loads the extension there, with the worker's own
  exportlens.load() (or the library named by `extension`). Nothing of the
  client's process is used. The shard files must be readable by the workers at
  the same paths (a shared or copied file system).
- A failure raises ShardError, which names the shard file and, when a single
  article makes the query fail, that article (its id and path).

Needs dask.distributed and pandas (Debian: python3-distributed,
python3-pandas); Parquet output also needs pyarrow.
"""
import contextlib
import hashlib
import os
import socket
import sqlite3
import tempfile
import urllib.parse

from . import articles as _articles

__all__ = ["ShardError", "map_sql", "run_shard", "shard_articles", "shard_paths"]

COLUMNS = ("id", "path", "title", "body", "published", "source", "url")


class ShardError(RuntimeError):
    """A query failed on a shard. `shard` is the shard file; `doc` is
    (id, path) of the article that makes the query fail, or None when the
    query fails on the shard as a whole (a syntax error, a corrupt or missing
    file) or no single article fails alone; `error` is SQLite's message."""

    def __init__(self, shard, error, doc=None):
        self.shard, self.error, self.doc = shard, error, doc
        where = "shard %s" % shard
        if doc is not None:
            where += ": document id %s (path %s)" % doc
        super().__init__("exportlens.distributed: %s: %s" % (where, error))

    def __reduce__(self):  # raised on a worker, re-raised on the client
        return (ShardError, (self.shard, self.error, self.doc))


# --- map_sql -------------------------------------------------------------------

def _open_ro(path):
    uri = "file:%s?mode=ro" % urllib.parse.quote(os.path.abspath(path))
    return sqlite3.connect(uri, uri=True)


def _load(conn, extension, noread):
    if extension is None:
        from . import load  # the worker's own package and library
        load(conn, noread=noread)
        return
    conn.enable_load_extension(True)
    try:
        if noread:
            conn.execute("SELECT load_extension(?, 'sqlite3_exportlens_noread_init')", (extension,)).fetchall()
        else:
            conn.load_extension(extension)
    finally:
        conn.enable_load_extension(False)


def _culprit(conn, sql, params):
    """(id, path) of the first article on which `sql` fails alone, or None.
    The query is re-run with the name `articles` bound to a temporary view of
    one article (temporary objects come first in SQLite's name lookup); if it
    already fails on an empty view, no row is to blame."""
    def fails(where):
        conn.execute("DROP VIEW IF EXISTS temp.articles")
        conn.execute("CREATE TEMP VIEW articles AS SELECT * FROM main.articles WHERE %s" % where)
        try:
            conn.execute(sql, params).fetchall()
            return False
        except sqlite3.Error:
            return True
    try:
        if fails("0"):
            return None
        for literal, doc, path in conn.execute("SELECT quote(id), id, path FROM main.articles ORDER BY id").fetchall():
            if fails("id = %s" % literal):
                return (doc, path)
    except sqlite3.Error:  # no table articles, or it has no id: the shard is all we can name
        return None
    finally:
        try:
            conn.execute("DROP VIEW IF EXISTS temp.articles")
        except sqlite3.Error:
            pass
    return None


def run_shard(path, sql, params=(), extension=None, noread=True, find_document=True):
    """Run `sql` on one shard file, opened read-only, with the extension
    loaded: (column names, list of row tuples). This is the task map_sql sends
    to each worker; it can be called directly to run one shard locally."""
    try:
        conn = _open_ro(path)
    except sqlite3.Error as e:
        raise ShardError(path, str(e)) from None
    try:
        try:
            _load(conn, extension, noread)
        except (ImportError, RuntimeError, sqlite3.Error) as e:  # ExtensionLoadError is a RuntimeError
            raise ShardError(path, "the extension does not load on worker %s: %s" % (socket.gethostname(), e)) from None
        try:
            cur = conn.execute(sql, params)
            rows = cur.fetchall()
            return [d[0] for d in cur.description or ()], rows
        except sqlite3.Error as e:
            doc = _culprit(conn, sql, params) if find_document else None
            raise ShardError(path, "%s: %s" % (type(e).__name__, e), doc) from None
    finally:
        conn.close()


def _local_client(n_workers):
    from dask.distributed import Client, LocalCluster
    # Dask's HTTP server (and dashboard) on a free loopback port, not on 8787
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0")
    return Client(cluster), cluster


def map_sql(paths, sql, client=None, params=(), shard_column=None, sort=None, parquet=None,
            extension=None, noread=True, find_document=True, n_workers=None):
    """Run `sql` on every shard file of `paths` on a Dask distributed cluster
    and return one pandas DataFrame: the rows of the first shard in the
    query's order, then those of the second, and so on.

    client         a dask.distributed.Client; None starts a LocalCluster on
                   127.0.0.1 (n_workers processes, default one per core up to
                   the number of shards, one thread each) and closes it after
    params         the query's parameters, the same for every shard
    shard_column   a column name: add a column holding each row's shard path
    sort           column name(s): stable-sort the merged rows by them (e.g.
                   "id" gives the order of one table holding every shard)
    parquet        a file path: also write the DataFrame there as Parquet
                   (needs pyarrow, checked before anything runs)
    extension      the library (without .so) as the workers see it; None: each
                   worker's exportlens.load()
    noread         load the entry point without csv_file/csv_sniff/csv_import
                   (default), so a query cannot read files on the workers
    find_document  on a failure, re-run the query per article of the failing
                   shard to name the one that fails alone (see ShardError)

    Relative paths are made absolute on the client; the workers must see the
    files at those paths. A failure raises ShardError naming the shard (the
    first failing one in `paths` order)."""
    import pandas as pd
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.path.abspath(os.fspath(p)) for p in paths]  # the client's working directory, not a worker's
    if parquet is not None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ImportError("exportlens.distributed: Parquet output needs pyarrow "
                              "(apt-get install python3-pyarrow, or pip install pyarrow)") from None
    if not paths:
        raise ValueError("exportlens.distributed: map_sql: no shard files given")
    params = tuple(params) if not isinstance(params, dict) else params
    cluster = None
    if client is None:
        client, cluster = _local_client(n_workers or max(1, min(len(paths), os.cpu_count() or 1)))
    try:
        futures = client.map(run_shard, paths, sql=sql, params=params, extension=extension, noread=noread,
                             find_document=find_document, pure=False)
        try:
            results = [fut.result() for fut in futures]  # in shard order: the first failing shard is reported
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
    columns = next((c for c, _ in results if c), [])
    rows = []
    for (_, part) in results:
        rows.extend(part)
    df = pd.DataFrame.from_records(rows, columns=columns)
    if shard_column is not None:
        df[shard_column] = [p for p, (_, part) in zip(paths, results) for _ in range(len(part))]
    if sort is not None:
        df = df.sort_values(sort, kind="mergesort", ignore_index=True)
    if parquet is not None:
        df.to_parquet(parquet, index=False)
    return df


# --- shard_articles ------------------------------------------------------------

@contextlib.contextmanager
def _source_table(source, table, scratch):
    """(connection, table) holding the collection, with the ids load_articles
    gives it in one table. A file collection is loaded into a temporary
    SQLite file in `scratch`, removed after."""
    if isinstance(source, sqlite3.Connection):
        yield source, table
        return
    source = os.fspath(source)
    if os.path.isfile(source) and source.lower().endswith((".db", ".sqlite", ".sqlite3")):
        conn = _open_ro(source)
        try:
            yield conn, table
        finally:
            conn.close()
        return
    fd, tmp = tempfile.mkstemp(prefix=".shard_articles-", suffix=".db", dir=scratch)
    os.close(fd)
    conn = sqlite3.connect(tmp)
    try:
        _articles.load_articles(conn, source)
        yield conn, "articles"
    finally:
        conn.close()
        os.remove(tmp)


def _select(conn, table):
    """SELECT of the article columns of `table`, in id order (NULL for a
    column it lacks; the rowid when it has no id)."""
    have = [r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))]
    if not have:
        raise ValueError("exportlens.distributed: shard_articles: no table %s" % table)
    if "body" not in have:
        raise ValueError("exportlens.distributed: shard_articles: table %s has no column body" % table)
    cols = ", ".join('"%s"' % c.replace('"', '""') if c in have else "NULL" for c in COLUMNS[1:])
    idcol = "id" if "id" in have else "rowid"
    return 'SELECT %s, %s FROM "%s" ORDER BY %s' % (idcol, cols, table.replace('"', '""'), idcol)


def _stable_hash(value):
    return int.from_bytes(hashlib.blake2b(str(value).encode("utf-8", "surrogateescape"), digest_size=8).digest(), "big")


def _key_order(v):
    """NULL first, then numbers, then text, as SQLite sorts them."""
    return (0, 0, "") if v is None else (1, v, "") if isinstance(v, (int, float)) else (2, 0, str(v))


def _ranges(conn, select, n, key):
    """The shard of each row, in the select's order, for a key: the rows
    sorted by the key cut into n ranges of about equal size, never splitting
    one key value. Only the key values are held in memory."""
    if callable(key):
        values = [_key_order(key(dict(zip(COLUMNS, r)))) for r in conn.execute(select)]
    else:
        if key not in COLUMNS:
            raise ValueError("exportlens.distributed: shard_articles: key %r is not a column (%s) or a function"
                             % (key, ", ".join(COLUMNS)))
        i = COLUMNS.index(key)
        values = [_key_order(r[i]) for r in conn.execute(select)]
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    shard_of, before = {}, 0
    for v in sorted(counts):
        shard_of[v] = min(n - 1, before * n // len(values))
        before += counts[v]
    return [shard_of[v] for v in values]


def shard_paths(out_dir, n):
    """The file names shard_articles(…, out_dir, n) writes, in shard order."""
    width = max(3, len(str(n - 1)))
    return [os.path.join(os.fspath(out_dir), "articles-%0*d-of-%d.db" % (width, i, n)) for i in range(n)]


def shard_articles(source, out_dir, n, key=None, table="articles", overwrite=False):
    """Split a collection of articles into n SQLite files in out_dir and return
    their paths (articles-000-of-N.db, ...). Each file holds the table
    articles(id, path, title, body, published, source, url), the one
    exportlens.load_articles makes, with the ids the whole collection gets in
    one table.

    source     a folder of .txt files, a .jsonl/.ndjson/.json/.csv file
               (optionally .gz), as load_articles reads them; an SQLite file
               (.db, .sqlite, .sqlite3) or a sqlite3.Connection holding
               `table` (columns that are missing are NULL; id is the rowid
               when there is none)
    key        None: a stable hash of each article's path spreads them evenly
               (the same article always goes to the same shard); a column
               name such as "published", or a function of the row (a dict):
               contiguous ranges of that key, e.g. by period, with no value
               split between two shards
    overwrite  replace shard files that already exist (otherwise an error)

    The split is deterministic: the same collection and arguments give the
    same files. The rows are streamed from the source table (a file
    collection is first loaded into a temporary SQLite file in out_dir); with
    a key, its values are held in memory. The files are written beside their
    final names and renamed into place, so a failure leaves no half-written
    shard."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError("exportlens.distributed: shard_articles: n must be a positive integer, not %r" % (n,))
    targets = shard_paths(out_dir, n)
    if not overwrite:
        exist = [p for p in targets if os.path.exists(p)]
        if exist:
            raise FileExistsError("exportlens.distributed: shard_articles: %s already exists "
                                  "(pass overwrite=True to replace it)" % exist[0])
    os.makedirs(os.fspath(out_dir), exist_ok=True)
    tmps = [t + ".tmp" for t in targets]
    outs = []
    try:
        with _source_table(source, table, os.fspath(out_dir)) as (conn, tbl):
            select = _select(conn, tbl)
            ranges = None if key is None else iter(_ranges(conn, select, n, key))
            for tmp in tmps:
                if os.path.exists(tmp):
                    os.remove(tmp)
                out = sqlite3.connect(tmp)
                outs.append(out)
                out.execute(_articles.CREATE)
                out.execute("BEGIN")
            insert = "INSERT INTO articles(%s) VALUES (?, ?, ?, ?, ?, ?, ?)" % ", ".join(COLUMNS)
            for row in conn.execute(select):
                s = _stable_hash(row[1] if row[1] is not None else row[0]) % n if ranges is None else next(ranges)
                outs[s].execute(insert, row)
        for out in outs:
            out.commit()
            out.close()
        outs = []
        for tmp, target in zip(tmps, targets):
            os.replace(tmp, target)
    finally:
        for out in outs:  # a failure: nothing is renamed into place
            out.close()
        for tmp in tmps:
            if os.path.exists(tmp):
                os.remove(tmp)
    return targets
