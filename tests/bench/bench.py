#!/usr/bin/env python3
"""exportlens throughput benchmark (stdlib only; run via tests/bench/bench.sh).

Measures, on a corpus of >= 40 MB of English text held in a cached SQLite
file under build/bench/:

  a. SELECT count(*) FROM docs, tokens(docs.body)
  b. SELECT sum(token_count(body)) FROM docs
  c. SELECT count(*) FROM docs, sentences(docs.body)
  d. building an FTS5 index with tokenize='exportlens' and with
     tokenize='unicode61', alternated, and the ratio of the two times
     (target: exportlens <= 1.3x unicode61; informational only).

Each measurement is a warm-up followed by the best of N runs (N=3 by
default). MB = total body bytes (UTF-8) / 1e6. Results are printed as a
table and written to build/bench/results.json.
"""

import argparse
import glob
import gzip
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "data", "corpus",
                              "federal_register_abstracts.jsonl.gz")
ARTICLES_GLOB = os.path.join(REPO, "sql", "data", "articles", "*.txt")
SYNTH_SEED = 20240611
SYNTH_VERSION = "1"       # bump when the generator changes, to invalidate caches
TARGET_RATIO = 1.30


def log(msg):
    print(msg, flush=True)


# --------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------

def cache_meta(path):
    """Return the meta table of a cached corpus db as a dict, or None."""
    if not os.path.exists(path):
        return None
    try:
        conn = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        try:
            rows = conn.execute("SELECT key, value FROM meta").fetchall()
            return dict(rows)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def build_db(path, meta, rows_iter):
    """Write rows (bodies) into a fresh db at path (atomically via rename)."""
    tmp = path + ".tmp"
    for p in (tmp, tmp + "-journal"):
        if os.path.exists(p):
            os.remove(p)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA page_size=8192")
    conn.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("BEGIN")
    n = 0
    nbytes = 0
    batch = []
    for body in rows_iter:
        n += 1
        nbytes += len(body.encode("utf-8"))
        batch.append((n, body))
        if len(batch) >= 5000:
            conn.executemany("INSERT INTO docs(id, body) VALUES (?, ?)", batch)
            batch = []
    if batch:
        conn.executemany("INSERT INTO docs(id, body) VALUES (?, ?)", batch)
    meta = dict(meta, docs=str(n), bytes=str(nbytes), complete="1")
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                     [(k, str(v)) for k, v in meta.items()])
    conn.execute("COMMIT")
    conn.close()
    os.replace(tmp, path)


def jsonl_bodies(src):
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            title = obj.get("title") or ""
            text = obj.get("text") or ""
            yield title + "\n" + text


def real_rows(src, min_bytes):
    bodies = list(jsonl_bodies(src))
    if not bodies:
        raise SystemExit("exportlens bench: corpus %s has no documents" % src)
    sizes = [len(b.encode("utf-8")) for b in bodies]
    total = 0
    while True:          # repeat whole passes of the corpus until >= min_bytes
        for body, size in zip(bodies, sizes):
            yield body
            total += size
        if total >= min_bytes:
            return


SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(])")


def synthetic_rows(min_bytes):
    """Deterministic English-like documents of 500-3000 bytes built by
    reshuffling sentences (and, for some, words) of the sample articles."""
    files = sorted(glob.glob(ARTICLES_GLOB))
    if not files:
        raise SystemExit("exportlens bench: no corpus found and no sample "
                         "articles in %s" % os.path.dirname(ARTICLES_GLOB))
    sentences = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                for s in SENT_SPLIT.split(line):
                    s = s.strip()
                    if len(s.split()) >= 3:
                        sentences.append(s)
    words = [w for s in sentences for w in s.split()]
    rng = random.Random(SYNTH_SEED)
    total = 0
    while total < min_bytes:
        target = rng.randint(500, 3000)
        title = " ".join(w.strip(".,;:()\"'“”") or w
                         for w in rng.sample(words, rng.randint(4, 10)))
        title = title[:1].upper() + title[1:]
        parts = [title, "\n"]
        size = len(title.encode("utf-8")) + 1
        first = True
        while True:
            s = rng.choice(sentences)
            if rng.random() < 0.4:       # reshuffle the inner words
                ws = s.split()
                head, mid, tail = ws[0], ws[1:-1], ws[-1]
                rng.shuffle(mid)
                s = " ".join([head] + mid + [tail])
            sep = "" if first else ("\n" if rng.random() < 0.15 else " ")
            add = len((sep + s).encode("utf-8"))
            if not first and size + add > 3000:
                break
            parts.append(sep + s)
            size += add
            first = False
            if size >= target:
                break
        body = "".join(parts)
        total += len(body.encode("utf-8"))
        yield body


def prepare_corpus(bench_dir, corpus_arg, min_bytes):
    """Return (name, path to cached db)."""
    use_real = corpus_arg != "synthetic" and os.path.isfile(corpus_arg)
    if use_real:
        name = os.path.basename(corpus_arg)
        for ext in (".gz", ".jsonl", ".json"):
            if name.endswith(ext):
                name = name[: -len(ext)]
        st = os.stat(corpus_arg)
        meta = {"kind": "jsonl", "source": os.path.abspath(corpus_arg),
                "source_size": str(st.st_size),
                "source_mtime": str(int(st.st_mtime)),
                "min_bytes": str(min_bytes)}
        rows = lambda: real_rows(corpus_arg, min_bytes)
    else:
        if corpus_arg != "synthetic":
            log("corpus %s not found; generating a synthetic corpus"
                % os.path.normpath(corpus_arg))
        name = "synthetic"
        arts = sorted(glob.glob(ARTICLES_GLOB))
        meta = {"kind": "synthetic", "seed": str(SYNTH_SEED),
                "generator": SYNTH_VERSION, "min_bytes": str(min_bytes),
                "articles": ";".join("%s:%d" % (os.path.basename(a),
                                                os.path.getsize(a))
                                     for a in arts)}
        rows = lambda: synthetic_rows(min_bytes)

    path = os.path.join(bench_dir, "corpus_%s.db" % name)
    have = cache_meta(path)
    if have and have.get("complete") == "1" and \
            all(have.get(k) == v for k, v in meta.items()):
        log("corpus: reusing cached %s" % os.path.relpath(path, REPO))
    else:
        t0 = time.perf_counter()
        log("corpus: building %s ..." % os.path.relpath(path, REPO))
        build_db(path, meta, rows())
        log("corpus: built in %.1f s" % (time.perf_counter() - t0))
    return name, path


# --------------------------------------------------------------------------
# measurements
# --------------------------------------------------------------------------

def open_conn(db_path, ext_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    if not hasattr(conn, "enable_load_extension"):
        raise SystemExit("exportlens bench: %s's sqlite3 module cannot load "
                         "extensions; use Debian's python3 (apt-get install "
                         "python3) via PYTHON=/usr/bin/python3" % sys.executable)
    conn.enable_load_extension(True)
    conn.load_extension(ext_path)
    conn.enable_load_extension(False)
    conn.execute("PRAGMA cache_size=-1048576")   # 1 GiB: keep docs in memory
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def corpus_setup(default_runs, description=None):
    """The command line shared by the capability benches (--build, --corpus,
    --runs, --min-mb), then the corpus built or reused and a connection with
    the extension loaded. Returns (args, conn, corpus_name, bench_dir)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--build", default="build")
    ap.add_argument("--corpus", default=os.environ.get("EL_BENCH_CORPUS", DEFAULT_CORPUS))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("EL_BENCH_RUNS", str(default_runs))))
    ap.add_argument("--min-mb", type=float, default=float(os.environ.get("EL_BENCH_MIN_MB", "40")))
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(REPO, args.build)
    bench_dir = os.path.join(build, "bench")
    os.makedirs(bench_dir, exist_ok=True)
    name, db = prepare_corpus(bench_dir, args.corpus, int(args.min_mb * 1e6))
    return args, open_conn(db, os.path.join(build, "exportlens")), name, bench_dir


def scan(conn, sql, runs, mb):
    conn.execute(sql).fetchone()                 # warm-up (also warms cache)
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = conn.execute(sql).fetchone()[0]
        times.append(time.perf_counter() - t0)
    best = min(times)
    return {"sql": sql, "result": result, "runs": times, "seconds": best,
            "mb_per_s": mb / best}


def fts_build(conn, tokenizer, where=""):
    conn.execute("ATTACH DATABASE ':memory:' AS ix")
    try:
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("CREATE VIRTUAL TABLE ix.f USING fts5(body, tokenize='%s')"
                     % tokenizer)
        conn.execute("INSERT INTO ix.f(rowid, body) SELECT id, body FROM main.docs"
                     + where)
        conn.execute("COMMIT")
        dt = time.perf_counter() - t0
        conn.execute("DROP TABLE ix.f")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("DETACH DATABASE ix")
    return dt


def fts_compare(conn, runs, mb, ndocs):
    order = ["unicode61", "exportlens"]
    # cheap warm-up on ~5% of the docs, for each tokenizer
    warm = " WHERE id <= %d" % max(1, ndocs // 20)
    for tok in order:
        fts_build(conn, tok, warm)
    times = {t: [] for t in order}
    for i in range(runs):
        for tok in order:
            dt = fts_build(conn, tok)
            times[tok].append(dt)
            log("  FTS5 %-10s run %d: %.2f s" % (tok, i + 1, dt))
    res = {}
    for tok in order:
        best = min(times[tok])
        res[tok] = {"tokenizer": tok, "runs": times[tok], "seconds": best,
                    "mb_per_s": mb / best}
    return res


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def git_commit():
    try:
        return subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True,
                              timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="build directory")
    ap.add_argument("--corpus",
                    default=os.environ.get("EL_BENCH_CORPUS", DEFAULT_CORPUS))
    ap.add_argument("--runs", type=int,
                    default=int(os.environ.get("EL_BENCH_RUNS", "3")))
    ap.add_argument("--min-mb", type=float,
                    default=float(os.environ.get("EL_BENCH_MIN_MB", "40")))
    args = ap.parse_args()

    t_start = time.perf_counter()
    build = os.path.join(REPO, args.build) if not os.path.isabs(args.build) \
        else args.build
    ext_path = os.path.join(build, "exportlens")
    if not os.path.isfile(ext_path + ".so"):
        raise SystemExit("exportlens bench: %s.so not found; run make all"
                         % ext_path)
    bench_dir = os.path.join(build, "bench")
    os.makedirs(bench_dir, exist_ok=True)
    runs = max(1, args.runs)

    name, db_path = prepare_corpus(bench_dir, args.corpus,
                                   int(args.min_mb * 1e6))
    conn = open_conn(db_path, ext_path)
    ndocs, nbytes = conn.execute(
        "SELECT count(*), sum(length(CAST(body AS BLOB))) FROM docs").fetchone()
    mb = nbytes / 1e6
    log("corpus: %s (%d docs, %.1f MB)" % (name, ndocs, mb))
    log("sqlite %s, python %s, %d runs each (best kept)"
        % (sqlite3.sqlite_version, platform.python_version(), runs))

    scans = [
        ("tokens", "tokens() scan",
         "SELECT count(*) FROM docs, tokens(docs.body)"),
        ("token_count", "token_count() scan",
         "SELECT sum(token_count(body)) FROM docs"),
        ("sentences", "sentences() scan",
         "SELECT count(*) FROM docs, sentences(docs.body)"),
    ]
    results = {}
    for key, label, sql in scans:
        r = scan(conn, sql, runs, mb)
        r["label"] = label
        results[key] = r
        log("  %-20s %.2f s  (result %s)" % (label, r["seconds"], r["result"]))

    fts = fts_compare(conn, runs, mb, ndocs)
    conn.close()
    ratio = fts["exportlens"]["seconds"] / fts["unicode61"]["seconds"]
    passed = ratio <= TARGET_RATIO

    notes = []
    if results["tokens"]["result"] != results["token_count"]["result"]:
        notes.append("tokens() row count (%s) != sum(token_count()) (%s)"
                     % (results["tokens"]["result"],
                        results["token_count"]["result"]))

    # ---- table ----
    rows = [(results[k]["label"], results[k]["seconds"], results[k]["mb_per_s"])
            for k, _, _ in scans]
    rows.append(("FTS5 index, exportlens", fts["exportlens"]["seconds"],
                 fts["exportlens"]["mb_per_s"]))
    rows.append(("FTS5 index, unicode61", fts["unicode61"]["seconds"],
                 fts["unicode61"]["mb_per_s"]))
    w = 30
    out = []
    out.append("")
    out.append("exportlens bench  corpus: %s (%d docs, %.1f MB)" % (name, ndocs, mb))
    for label, sec, mbs in rows:
        out.append("%-*s %7.2f s %7.1f MB/s" % (w, label, sec, mbs))
    out.append("%-*s %7.2fx  (target <= %.2fx)  %s"
               % (w, "ratio exportlens/unicode61", ratio, TARGET_RATIO,
                  "PASS" if passed else "FAIL"))
    out.append("%-*s %s tokens, %s sentences" % (
        w, "counts", results["tokens"]["result"],
        results["sentences"]["result"]))
    for n in notes:
        out.append("note: " + n)
    elapsed = time.perf_counter() - t_start
    out.append("(total bench time %.0f s)" % elapsed)
    log("\n".join(out))

    doc = {
        "corpus": {"name": name, "db": os.path.relpath(db_path, REPO),
                   "docs": ndocs, "bytes": nbytes, "mb": mb},
        "runs": runs,
        "results": {
            **{k: results[k] for k, _, _ in scans},
            "fts5_exportlens": fts["exportlens"],
            "fts5_unicode61": fts["unicode61"],
        },
        "ratio_exportlens_unicode61": ratio,
        "target_ratio": TARGET_RATIO,
        "ratio_pass": passed,
        "notes": notes,
        "env": {"sqlite": sqlite3.sqlite_version,
                "python": platform.python_version(),
                "machine": platform.machine(), "cpus": os.cpu_count(),
                "commit": git_commit(),
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
        "elapsed_s": elapsed,
    }
    res_path = os.path.join(bench_dir, "results.json")
    with open(res_path + ".tmp", "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")
    os.replace(res_path + ".tmp", res_path)
    log("results written to %s" % os.path.relpath(res_path, REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
