#!/usr/bin/env python3
"""exportlens quotes() and claims() throughput (run by `make bench`).

On the bench corpus (build/bench/corpus_*.db, built by bench.py's
prepare_corpus from ../shared/data/corpus/federal_register_abstracts.jsonl.gz,
or a synthetic corpus), measures, alternating and keeping the best of N:

  a. SELECT count(*) FROM docs, quotes(docs.body)     (target >= 10 MB/s)
  b. SELECT count(*) FROM docs, claims(docs.body)     (target >= 10 MB/s)
  c. SELECT count(*) FROM docs, entities(docs.body)   (the peer: both run the
     entity extractor in step with the tokenizer, so this is their floor)
  d. SELECT count(*) FROM docs, tokens(docs.body)     (the scan under all three)

and prints MB/s and the ratios quotes/entities and claims/entities. The
machine is shared, so the ratios (same run, alternated) are the stable
figures. Writes build/bench/results_quotes.json.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

TARGET_MBS = 10.0


def main():
    args, conn, name, bench_dir = bench.corpus_setup(5)
    ndocs, nbytes = conn.execute(
        "SELECT count(*), sum(length(CAST(body AS BLOB))) FROM docs").fetchone()
    mb = nbytes / 1e6
    sqls = {
        "quotes": "SELECT count(*) FROM docs, quotes(docs.body)",
        "claims": "SELECT count(*) FROM docs, claims(docs.body)",
        "entities": "SELECT count(*) FROM docs, entities(docs.body)",
        "tokens": "SELECT count(*) FROM docs, tokens(docs.body)",
    }
    times = {k: [] for k in sqls}
    result = {}
    for k, sql in sqls.items():
        result[k] = conn.execute(sql).fetchone()[0]  # warm-up
    for _ in range(max(1, args.runs)):
        for k, sql in sqls.items():  # alternate
            t0 = time.perf_counter()
            conn.execute(sql).fetchone()
            times[k].append(time.perf_counter() - t0)
    best = {k: min(v) for k, v in times.items()}
    mbs = {k: mb / best[k] for k in best}
    ratios = {k: best[k] / best["entities"] for k in ("quotes", "claims")}
    ok = mbs["quotes"] >= TARGET_MBS and mbs["claims"] >= TARGET_MBS
    print("\nexportlens quotes/claims bench  corpus: %s (%d docs, %.1f MB)" % (name, ndocs, mb))
    for k in sqls:
        print("%-28s %7.2f s %7.1f MB/s  (%s rows)" % (k + "()", best[k], mbs[k], result[k]))
    for k, r in ratios.items():
        print("%-28s %7.2fx  (%s time / entities time)" % ("ratio %s/entities" % k, r, k))
    print("%-28s %s" % ("target >= %.0f MB/s" % TARGET_MBS, "PASS" if ok else "FAIL"))
    # The worst case of the parse fallback: every sentence holds a quote that
    # no rule attributes, so quotes() parses them all. Issue 15 asks for at
    # most 1.25x the time of the parse itself (tokens() with its columns).
    dense = ('The ministry has long described its approach as "a careful and measured '
             'response to the pressure of the market" in its reports. ') * 4000
    dsql = {"quotes, every sentence parsed": "SELECT count(*) FROM quotes(?)",
            "tokens() with the parse": "SELECT count(*) FROM tokens(?) WHERE dep IS NOT NULL"}
    dtimes = {k: [] for k in dsql}
    for _ in range(max(1, args.runs)):
        for k, sql in dsql.items():
            t0 = time.perf_counter()
            conn.execute(sql, (dense,)).fetchone()
            dtimes[k].append(time.perf_counter() - t0)
    dbest = {k: min(v) for k, v in dtimes.items()}
    dratio = dbest["quotes, every sentence parsed"] / dbest["tokens() with the parse"]
    print("\nquote-dense text (%.2f MB, every quote unattributed):" % (len(dense) / 1e6))
    for k in dsql:
        print("%-34s %7.3f s %7.2f MB/s" % (k, dbest[k], len(dense) / 1e6 / dbest[k]))
    print("%-34s %7.2fx  (target <= 1.25x)" % ("ratio quotes/parse", dratio))
    doc = {"corpus": {"name": name, "docs": ndocs, "bytes": nbytes, "mb": mb},
           "quote_dense": {"bytes": len(dense), "seconds": dbest, "ratio_quotes_to_parse": dratio},
           "runs": args.runs, "sql": sqls, "seconds": best, "all_runs": times,
           "mb_per_s": mbs, "rows": result, "ratio_to_entities": ratios,
           "target_mb_per_s": TARGET_MBS, "pass": ok, "commit": bench.git_commit(),
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path = os.path.join(bench_dir, "results_quotes.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
