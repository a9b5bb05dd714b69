#!/usr/bin/python3
"""Dask speed-up: the full extractor set (entities, export_terms, quotes,
claims) over the Federal Register abstracts, run by exportlens.distributed
on 1 worker and on 2 workers (one thread each, on 127.0.0.1), against one
process with no Dask. Reports MB/s, the ratio of 2 workers to 1, and whether
the merged results are identical to the single process's. Each worker's CPU
seconds are printed too: on a loaded machine, 1 worker's CPU time over the
busiest of the 2 workers' estimates the ratio idle cores would give (an
estimate, printed as such, not the measurement: it leaves out the client).

    /usr/bin/python3 tests/bench/bench_dask.py [--build build] [--corpus PATH]
                     [--shards 8] [--runs 3] [--docs N]
    make bench-dask

Target (issue 18): 2 workers >= 1.8x one worker. The machine's load
(/proc/loadavg) is printed with the figures: on a busy machine the ratio says
little. The last line is a one-line summary to paste. The corpus
(../shared/data/corpus/federal_register_abstracts.jsonl.gz, public domain) is
loaded once into build/bench/dask/ (one file, and the shards); when it is
absent nothing is measured. Results: build/bench/results_dask.json.
"""
import argparse
import json
import os
import sqlite3
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(REPO, "..", "shared", "data", "corpus", "federal_register_abstracts.jsonl.gz")
TARGET = 1.8
# every extractor over every article, one row per match, in one statement
QUERY = """SELECT articles.id, 'entities' AS fn, x.start, x."end", x.entity AS text
  FROM articles, entities(articles.body) AS x
UNION ALL SELECT articles.id, 'export_terms', x.start, x."end", x.term FROM articles, export_terms(articles.body) AS x
UNION ALL SELECT articles.id, 'quotes', x.start, x."end", x.quote FROM articles, quotes(articles.body) AS x
UNION ALL SELECT articles.id, 'claims', x.start, x."end", x.evidence FROM articles, claims(articles.body) AS x"""


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def prepare(args, workdir):
    """The whole corpus in one file, and split into --shards files (cached)."""
    import exportlens
    import exportlens.distributed as ed
    tag = "fr%s" % (args.docs or "")
    single = os.path.join(workdir, tag + ".db")
    if not os.path.exists(single):
        src = args.corpus
        if args.docs:  # the first N lines only
            import gzip
            src = os.path.join(workdir, tag + ".jsonl")
            with gzip.open(args.corpus, "rt", encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
                for i, line in enumerate(f):
                    if i >= args.docs:
                        break
                    out.write(line)
        conn = sqlite3.connect(single + ".tmp")
        exportlens.load_articles(conn, src)
        conn.close()
        os.replace(single + ".tmp", single)
    shard_dir = os.path.join(workdir, "%s-shards-%d" % (tag, args.shards))
    paths = ed.shard_paths(shard_dir, args.shards)
    if not all(os.path.exists(p) and os.path.getmtime(p) >= os.path.getmtime(single) for p in paths):
        paths = ed.shard_articles(single, shard_dir, args.shards, overwrite=True)
    return single, paths


def cpu_seconds():
    """User and system CPU seconds of this process (run on each worker)."""
    import resource
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def canonical(df):
    """Rows in one order whatever the split: by extractor, then article; each
    article's rows stay in the order its function gave them (a stable sort)."""
    return df.sort_values(["fn", "id"], kind="mergesort", ignore_index=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--corpus", default=os.environ.get("EL_BENCH_DASK_CORPUS", CORPUS))
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("EL_BENCH_RUNS", "3")))
    ap.add_argument("--docs", type=int, default=0, help="first N documents only (0: all)")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    if not os.path.exists(args.corpus):
        print("bench_dask: corpus not found: %s (it is in ../shared; nothing measured)" % args.corpus)
        return 0
    try:
        import pandas as pd
        from dask.distributed import Client, LocalCluster
    except ImportError as e:
        print("bench_dask: dask.distributed or pandas is missing (%s); nothing measured "
              "(apt-get install python3-distributed python3-pandas)" % e)
        return 0
    sys.path.insert(0, REPO)
    os.environ["EXPORTLENS_EXT"] = os.path.join(build, "exportlens")  # for this process and the workers
    import exportlens
    import exportlens.distributed as ed

    workdir = os.path.join(build, "bench", "dask")
    os.makedirs(workdir, exist_ok=True)
    single, paths = prepare(args, workdir)
    conn = exportlens.load(sqlite3.connect(single))
    ndocs, nbytes = conn.execute("SELECT count(*), sum(length(CAST(body AS BLOB))) FROM articles").fetchone()
    mb = nbytes / 1e6
    print("bench_dask: %d Federal Register abstracts, %.1f MB of text, %d shards; load average before: %s; %d cores"
          % (ndocs, mb, len(paths), load(), os.cpu_count() or 0))

    # one process, no Dask: the reference result and the per-core rate
    conn.execute(QUERY.replace("FROM articles", "FROM (SELECT * FROM articles LIMIT 2000) AS articles")).fetchall()
    best, want = None, None
    for _ in range(args.runs):
        t = time.perf_counter()
        cur = conn.execute(QUERY)
        rows = cur.fetchall()
        dt = time.perf_counter() - t
        if best is None or dt < best:
            best = dt
        if want is None:
            want = canonical(pd.DataFrame.from_records(rows, columns=[d[0] for d in cur.description]))
    conn.close()
    results = {"docs": ndocs, "mb": round(mb, 2), "shards": len(paths), "rows": len(want),
               "one_process": {"seconds": round(best, 3), "mb_s": round(mb / best, 2)}}
    print("%-24s %8s %8s %9s %10s" % ("", "seconds", "MB/s", "rows", "identical"))
    print("%-24s %8.2f %8.1f %9d %10s" % ("1 process, no Dask", best, mb / best, len(want), "reference"))

    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
            client.wait_for_workers(n, timeout=60)
            ed.map_sql(paths, "SELECT count(*) FROM articles, entities(articles.body) WHERE articles.id % 50 = 0",
                       client=client)  # warm-up: each worker loads the extension and its lexicons
            best, same, cpu = None, True, None
            for _ in range(args.runs):
                before = client.run(cpu_seconds)
                own = cpu_seconds()
                t = time.perf_counter()
                got = ed.map_sql(paths, QUERY, client=client)
                dt = time.perf_counter() - t
                own = cpu_seconds() - own
                after = client.run(cpu_seconds)
                if best is None or dt < best:
                    best, cpu, client_cpu = dt, sorted(after[w] - before[w] for w in after), own
                same = same and canonical(got).equals(want)
        key = "workers_%d" % n
        results[key] = {"seconds": round(best, 3), "mb_s": round(mb / best, 2), "identical": same,
                        "worker_cpu_seconds": [round(c, 2) for c in cpu], "client_cpu_seconds": round(client_cpu, 2)}
        print("%-24s %8.2f %8.1f %9d %10s   CPU s: workers %s, client %.1f" % (
            "%d worker%s (1 thread each)" % (n, "s" if n > 1 else ""), best, mb / best, len(got),
            "yes" if same else "NO", " ".join("%.1f" % c for c in cpu), client_cpu))
    ratio = results["workers_1"]["seconds"] / results["workers_2"]["seconds"]
    results["ratio_2_over_1"] = round(ratio, 3)
    # What idle cores would give: on a loaded machine the wall times mostly measure the other jobs. The
    # CPU time of the work split across 2 workers, 1 worker's CPU time over the busiest of the 2's, is
    # an estimate (not a measurement): it leaves out the client's share and the waiting for a core.
    cpu_ratio = sum(results["workers_1"]["worker_cpu_seconds"]) / max(results["workers_2"]["worker_cpu_seconds"])
    results["ratio_estimate_idle_cores"] = round(cpu_ratio, 2)
    results["load_after"] = load()
    identical = results["workers_1"]["identical"] and results["workers_2"]["identical"]
    with open(os.path.join(build, "bench", "results_dask.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("bench_dask summary: 1 worker %.1f MB/s, 2 workers %.1f MB/s, ratio %.3fx (target >= %.1fx: %s), "
          "worker CPU-time ratio (an estimate for idle cores) %.2fx, 1 process %.1f MB/s, results identical: %s, "
          "load average %s, %d cores"
          % (results["workers_1"]["mb_s"], results["workers_2"]["mb_s"], ratio, TARGET,
             "met" if ratio >= TARGET else "not met", cpu_ratio, results["one_process"]["mb_s"],
             "yes" if identical else "NO", results["load_after"], os.cpu_count() or 0))
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
