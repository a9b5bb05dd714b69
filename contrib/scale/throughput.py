#!/usr/bin/python3
"""Per-core throughput of each exportlens function on real text, for the
figures in docs/scale.md ("Scale on paper").

    /usr/bin/python3 contrib/scale/throughput.py [--build build] [--corpus PATH]
                                                 [--docs N] [--runs 3] [--json OUT]

The corpus is the Federal Register abstracts (../shared/data/corpus/
federal_register_abstracts.jsonl.gz, public domain), held in a cached SQLite
file build/scale/fr.db (docs(id, body)). Each function is timed as
`SELECT count(*) FROM docs, fn(docs.body)` on one connection (one core): a
warm-up, then the best of --runs. MB = body bytes / 1e6. "all four
extractors" runs entities, export_terms, quotes and claims over every
document in one statement, as a materialising job would. "2 processes" runs
that statement in two processes at once over the two halves of the ids, and
reports the speed-up over one process (the machine's other load counts).
"""
import argparse
import gzip
import json
import os
import sqlite3
import sys
import time
from multiprocessing import Process, Queue

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(REPO, "..", "shared", "data", "corpus", "federal_register_abstracts.jsonl.gz")

FUNCTIONS = [
    ("tokens", "SELECT count(*) FROM docs, tokens(docs.body) WHERE docs.id BETWEEN ? AND ?"),
    ("sentences", "SELECT count(*) FROM docs, sentences(docs.body) WHERE docs.id BETWEEN ? AND ?"),
    ("entities", "SELECT count(*) FROM docs, entities(docs.body) WHERE docs.id BETWEEN ? AND ?"),
    ("export_terms", "SELECT count(*) FROM docs, export_terms(docs.body) WHERE docs.id BETWEEN ? AND ?"),
    ("quotes", "SELECT count(*) FROM docs, quotes(docs.body) WHERE docs.id BETWEEN ? AND ?"),
    ("claims", "SELECT count(*) FROM docs, claims(docs.body) WHERE docs.id BETWEEN ? AND ?"),
]
ALL = ("all four extractors",
       "SELECT sum((SELECT count(*) FROM entities(docs.body)) + (SELECT count(*) FROM export_terms(docs.body))"
       " + (SELECT count(*) FROM quotes(docs.body)) + (SELECT count(*) FROM claims(docs.body)))"
       " FROM docs WHERE docs.id BETWEEN ? AND ?")


def connect(build, path):
    conn = sqlite3.connect(path)
    conn.enable_load_extension(True)
    conn.load_extension(os.path.join(build, "exportlens"))
    return conn


def build_corpus(corpus, path, ndocs):
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    conn = sqlite3.connect(tmp)
    conn.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT, body TEXT)")
    conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        rows = []
        for line in f:
            d = json.loads(line)
            body = (d.get("text") or "").strip()
            if body:
                rows.append((d.get("doc"), body))
            if ndocs and len(rows) >= ndocs:
                break
    conn.executemany("INSERT INTO docs(doc, body) VALUES(?, ?)", rows)
    conn.execute("INSERT INTO meta VALUES('source', ?), ('docs', ?)", (os.path.realpath(corpus), str(ndocs)))
    conn.commit()
    conn.close()
    os.replace(tmp, path)


def timed(conn, sql, lo, hi):
    t = time.perf_counter()
    n = conn.execute(sql, (lo, hi)).fetchone()[0]
    return time.perf_counter() - t, n


def half(build, path, sql, lo, hi, q):
    conn = connect(build, path)
    q.put(timed(conn, sql, lo, hi))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--docs", type=int, default=0, help="first N documents only (0: all)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if not os.path.exists(args.corpus):
        print("throughput: corpus not found: %s (it is in ../shared; nothing measured)" % args.corpus)
        return 0
    os.makedirs(os.path.join(args.build, "scale"), exist_ok=True)
    path = os.path.join(args.build, "scale", "fr%s.db" % (args.docs or ""))
    if not os.path.exists(path):
        build_corpus(args.corpus, path, args.docs)
    conn = connect(args.build, path)
    ndocs, nbytes, lo, hi = conn.execute(
        "SELECT count(*), sum(length(CAST(body AS BLOB))), min(id), max(id) FROM docs").fetchone()
    mb = nbytes / 1e6
    print("corpus: %d Federal Register abstracts, %.1f MB of text (%.0f bytes a document)" % (ndocs, mb, nbytes / ndocs))
    print("%-22s %9s %9s %12s %10s" % ("function", "seconds", "MB/s", "docs/s", "rows"))
    results = {"docs": ndocs, "mb": round(mb, 2), "functions": {}}
    for name, sql in FUNCTIONS + [ALL]:
        timed(conn, sql, lo, min(hi, lo + 2000))  # warm-up: built-in lexicons, caches
        best, rows = min(timed(conn, sql, lo, hi) for _ in range(args.runs))
        print("%-22s %9.2f %9.1f %12.0f %10d" % (name, best, mb / best, ndocs / best, rows))
        results["functions"][name] = {"seconds": round(best, 3), "mb_s": round(mb / best, 2),
                                      "docs_s": round(ndocs / best), "rows": rows}
    # two processes over the two halves
    name, sql = ALL
    mid = (lo + hi) // 2
    speedups = []
    for _ in range(args.runs):
        q = Queue()
        procs = [Process(target=half, args=(args.build, path, sql, a, b, q)) for a, b in ((lo, mid), (mid + 1, hi))]
        t = time.perf_counter()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        wall = time.perf_counter() - t
        parts = [q.get() for _ in procs]
        assert sum(n for _, n in parts) == results["functions"][name]["rows"], "the halves must add up"
        speedups.append(results["functions"][name]["seconds"] / wall)
    best = max(speedups)
    print("2 processes, %s: %.2fx one process (best of %d; rows identical in sum)" % (name, best, args.runs))
    results["two_process_speedup"] = round(best, 2)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
