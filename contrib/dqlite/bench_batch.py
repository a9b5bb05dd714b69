#!/usr/bin/python3
"""How big may one INSERT ... SELECT batch be on a dqlite leader? The
measurements behind the batch-size rule in docs/scale.md.

    make dqlite && /usr/bin/python3 contrib/dqlite/bench_batch.py [--docs 60000]
        [--latency-ms 50] [--batches 250,1000,4000,16000,38000] [--build build]

Starts 3 exportlens-dqlite nodes on free loopback ports (stopped on exit,
whatever happens), loads the first --docs Federal Register abstracts
(../shared/data/corpus, public domain) into docs(id, body), then runs, for
each batch size, one statement that materialises all four extractors
(entities, export_terms, quotes, claims) over that many documents:

    INSERT INTO facts SELECT d.id, 'entity', e.entity FROM docs d, entities(d.body) e
      WHERE d.id BETWEEN lo AND hi UNION ALL ...

It reports the statement's time seen by the client (run, replicate, commit),
ms per KB of text, the same work on a local connection, whether the leader
changed during the statement, and each node's resident memory next to the
database size (in dqlite 1.11 every node holds the whole database in memory).
"""
import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(REPO, "..", "shared", "data", "corpus", "federal_register_abstracts.jsonl.gz")
FACTS = ("SELECT d.id, 'entity', e.entity FROM docs d, entities(d.body) e WHERE d.id BETWEEN {lo} AND {hi} "
         "UNION ALL SELECT d.id, 'term', t.term FROM docs d, export_terms(d.body) t WHERE d.id BETWEEN {lo} AND {hi} "
         "UNION ALL SELECT d.id, 'quote', q.quote FROM docs d, quotes(d.body) q WHERE d.id BETWEEN {lo} AND {hi} "
         "UNION ALL SELECT d.id, 'claim', c.evidence FROM docs d, claims(d.body) c WHERE d.id BETWEEN {lo} AND {hi}")


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Cluster:
    def __init__(self, exe, work, latency):
        self.exe, self.work, self.latency = exe, work, latency
        self.addr = {i + 1: "127.0.0.1:%d" % p for i, p in enumerate(free_ports(3))}
        self.proc = {}

    def start(self, i, *extra):
        log = open(os.path.join(self.work, "node%d.log" % i), "ab")
        self.proc[i] = subprocess.Popen(
            [self.exe, "node", "--id", str(i), "--address", self.addr[i], "--dir",
             os.path.join(self.work, "data%d" % i), "--latency-ms", str(self.latency)] + list(extra),
            stdout=log, stderr=log)

    def stop(self):
        for p in self.proc.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.proc.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def cluster(self):
        return ",".join(self.addr.values())

    def cli(self, *args, stdin=None, check=True):
        r = subprocess.run([self.exe] + list(args) + ["--cluster", self.cluster(), "--timeout", "20"],
                           input=stdin, capture_output=True, timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(args[:1]), r.stderr.decode(errors="replace").strip()))
        return r

    def sql(self, text, check=True):
        return self.cli("sql", stdin=text.encode(), check=check)

    def leader(self):
        return self.cli("leader").stdout.decode().split()[0]


def quote(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--docs", type=int, default=60000)
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--batches", default="250,1000,4000,16000,38000")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    exe = os.path.join(args.build, "exportlens-dqlite")
    if not os.path.exists(args.corpus):
        print("bench_batch: corpus not found: %s (it is in ../shared; nothing measured)" % args.corpus)
        return 0
    if not os.access(exe, os.X_OK):
        print("bench_batch: %s is not built (make dqlite)" % exe)
        return 1
    batches = [int(x) for x in args.batches.split(",")]
    if sum(batches) > args.docs:
        print("bench_batch: the batches (%d documents) need --docs >= that" % sum(batches))
        return 1

    docs = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            body = (json.loads(line).get("text") or "").strip()
            if body and "\0" not in body:
                docs.append(body)
            if len(docs) >= args.docs:
                break

    work = tempfile.mkdtemp(prefix="exportlens-bench-batch.")
    c = Cluster(exe, work, args.latency_ms)
    local = sqlite3.connect(":memory:")
    local.enable_load_extension(True)
    local.load_extension(os.path.join(args.build, "exportlens"))
    results = {"latency_ms": args.latency_ms, "election_timeout_ms": 15 * args.latency_ms, "batches": []}
    try:
        c.start(1)
        c.start(2, "--join", c.addr[1])
        c.start(3, "--join", c.addr[1])
        for _ in range(100):
            r = c.cli("cluster", check=False)
            if r.stdout.decode().count(" voter") == 3:
                break
            time.sleep(0.1)
        schema = "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT); CREATE TABLE facts(doc, kind, text);"
        c.sql(schema)
        local.executescript(schema)
        # load in statements of about 256 KB
        t = time.perf_counter()
        stmt, size, nbytes = [], 0, 0
        script = []
        for i, body in enumerate(docs, 1):
            stmt.append("(%d,%s)" % (i, quote(body)))
            size += len(body)
            nbytes += len(body.encode())
            if size > 256 * 1024 or i == len(docs):
                script.append("INSERT INTO docs VALUES " + ",".join(stmt) + ";")
                stmt, size = [], 0
        c.sql("\n".join(script))
        load_s = time.perf_counter() - t
        local.executemany("INSERT INTO docs VALUES(?, ?)", enumerate(docs, 1))
        print("loaded %d abstracts (%.1f MB) through the leader in %.2f s (%.1f MB/s), %d statements of ~256 KB"
              % (len(docs), nbytes / 1e6, load_s, nbytes / 1e6 / load_s, len(script)))
        results.update(docs=len(docs), mb=round(nbytes / 1e6, 2), load_s=round(load_s, 2))
        print("election timeout %d ms (--latency-ms %d)" % (15 * args.latency_ms, args.latency_ms))
        print("%8s %9s %11s %9s %10s %10s %s" % ("docs", "KB", "leader ms", "ms/KB", "local ms", "rows", "leader"))
        lo = 1
        for n in batches:
            hi = lo + n - 1
            kb = local.execute("SELECT sum(length(CAST(body AS BLOB))) FROM docs WHERE id BETWEEN ? AND ?",
                               (lo, hi)).fetchone()[0] / 1024
            before = c.leader()
            sql = "INSERT INTO facts " + FACTS.format(lo=lo, hi=hi)
            t = time.perf_counter()
            r = c.sql(sql, check=False)
            ms = (time.perf_counter() - t) * 1000
            after = c.leader()
            t = time.perf_counter()
            cur = local.execute(sql)
            local_ms = (time.perf_counter() - t) * 1000
            rows = cur.rowcount
            if r.returncode != 0:
                time.sleep(1)
                kept = c.sql("SELECT count(*) FROM facts WHERE doc BETWEEN %d AND %d" % (lo, hi)).stdout.decode().strip()
                outcome = "failed, exit %d (%s); leader node %s -> node %s; rows of the batch kept: %s" % (
                    r.returncode, r.stderr.decode(errors="replace").strip().split(": ")[1], before, c.leader(), kept)
            elif before != after:
                outcome = "lost: node %s -> node %s" % (before, after)
            else:
                outcome = "kept (node %s)" % after
            print("%8d %9.0f %11.0f %9.3f %10.0f %10d %s" % (n, kb, ms, ms / kb, local_ms, rows, outcome))
            results["batches"].append({"docs": n, "kb": round(kb), "leader_ms": round(ms), "ms_per_kb": round(ms / kb, 4),
                                       "local_ms": round(local_ms), "rows": rows, "leader": outcome})
            lo = hi + 1
        # The rule: a statement's time on the leader stays under a quarter of
        # the election timeout; the slowest ms/KB measured sets the size.
        worst = max(b["ms_per_kb"] for b in results["batches"] if b["docs"] >= 1000)
        budget = 15 * args.latency_ms / 4
        print("rule: batch <= (election timeout / 4) / (ms per KB) = %.0f ms / %.3f ms/KB = %.0f KB of text a statement"
              % (budget, worst, budget / worst))
        results.update(ms_per_kb=worst, budget_ms=budget, batch_kb=round(budget / worst))
        time.sleep(1)
        pages = c.sql("PRAGMA page_count").stdout.decode().strip()
        psize = c.sql("PRAGMA page_size").stdout.decode().strip()
        dbmb = int(pages) * int(psize) / 1e6
        rss = {i: rss_kb(p.pid) / 1024 for i, p in c.proc.items() if p.poll() is None}
        print("database %.1f MB; resident memory per node: %s" %
              (dbmb, ", ".join("node %d %.0f MB" % kv for kv in sorted(rss.items()))))
        results.update(db_mb=round(dbmb, 1), rss_mb={str(k): round(v) for k, v in rss.items()})
    finally:
        c.stop()
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
