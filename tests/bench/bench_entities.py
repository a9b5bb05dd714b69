#!/usr/bin/env python3
"""exportlens entities() throughput (run by `make bench`).

On the bench corpus (build/bench/corpus_*.db, built by bench.py's
prepare_corpus from ../shared/data/corpus/federal_register_abstracts.jsonl.gz,
or a synthetic corpus), measures, alternating and keeping the best of N:

  a. SELECT count(*) FROM docs, entities(docs.body)      (with the NER model:
     target >= 15 MB/s)
  b. SELECT count(*) FROM docs, entities(docs.body, NULL, 0)  (the rules
     alone, entities() as it was before the model: target >= 20 MB/s)
  c. SELECT count(*) FROM docs, tokens(docs.body)        (the peer: the scan
     entities() is built on)
  d. SELECT count(*) FROM docs, entities_with(docs.body, 'dict') with a 1,000-row
     user dictionary

and prints MB/s and the ratios entities/tokens and model/rules. The machine is shared, so the
ratio (same run, alternated) is the stable figure. Writes
build/bench/results_entities.json.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

TARGET_MBS = 15.0        # with the model
TARGET_RULES_MBS = 20.0  # the rules alone


def main():
    # best of 5 by default: the machine is shared, and one slow run is common
    args, conn, name, bench_dir = bench.corpus_setup(5)
    ndocs, nbytes = conn.execute(
        "SELECT count(*), sum(length(CAST(body AS BLOB))) FROM docs").fetchone()
    mb = nbytes / 1e6
    conn.execute("CREATE TEMP TABLE dict(name TEXT, label TEXT, canonical TEXT)")
    conn.executemany("INSERT INTO dict VALUES (?, 'ORG', ?)",
                     [("Example Holding %d" % i, "EH%d" % i) for i in range(1000)])
    sqls = {
        "entities": "SELECT count(*) FROM docs, entities(docs.body)",
        "entities_rules": "SELECT count(*) FROM docs, entities(docs.body, NULL, 0)",
        "tokens": "SELECT count(*) FROM docs, tokens(docs.body)",
        "entities_dict": "SELECT count(*) FROM docs, entities_with(docs.body, 'dict')",
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
    ratio = best["entities"] / best["tokens"]
    print("\nexportlens entities bench  corpus: %s (%d docs, %.1f MB)" % (name, ndocs, mb))
    for k in sqls:
        print("%-28s %7.2f s %7.1f MB/s  (%s rows)" % (k + "()", best[k], mbs[k], result[k]))
    print("%-28s %7.2fx  (entities time / tokens time)" % ("ratio entities/tokens", ratio))
    ratio_model = best["entities"] / best["entities_rules"]
    print("%-28s %7.2fx  (with the model / rules alone)" % ("ratio model/rules", ratio_model))
    print("%-28s %s" % ("target >= %.0f MB/s" % TARGET_MBS,
                        "PASS" if mbs["entities"] >= TARGET_MBS else "FAIL"))
    print("%-28s %s" % ("rules >= %.0f MB/s" % TARGET_RULES_MBS,
                        "PASS" if mbs["entities_rules"] >= TARGET_RULES_MBS else "FAIL"))
    doc = {"corpus": {"name": name, "docs": ndocs, "bytes": nbytes, "mb": mb},
           "runs": args.runs, "sql": sqls, "seconds": best, "all_runs": times,
           "mb_per_s": mbs, "rows": result, "ratio_entities_tokens": ratio,
           "ratio_model_rules": ratio_model,
           "target_mb_per_s": TARGET_MBS, "pass": mbs["entities"] >= TARGET_MBS,
           "commit": bench.git_commit(),
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path = os.path.join(bench_dir, "results_entities.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
