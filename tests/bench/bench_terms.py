#!/usr/bin/env python3
"""export_terms() throughput (run by make bench as: bench_terms.py --build build).

On the cached corpus of tests/bench/bench.py (Federal Register abstracts, or a
synthetic corpus), measures in one run, alternating, best of N:

  a. SELECT count(*) FROM docs, export_terms(docs.body)           (built-ins)
  b. SELECT sum(pcre2_count(:alt, body)) FROM docs                 (peer: the same
     lexicon, every term and variant of export_lexicon plus its grammar
     patterns, as ONE PCRE2 alternation, caseless, JIT; regexp-style matching)
  c. SELECT count(*) FROM docs, export_terms(docs.body, 'lex10k')  (a 10,000-term
     user lexicon on top of the built-ins)
  d. SELECT sum(length(body)) FROM docs                            (reading floor)

Targets: a >= 300 MB/s; a at least as fast as b; c within 1.5x of a.
Writes build/bench/results_terms.json.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (prepare_corpus, open_conn, log, git_commit)

TARGET_MBS = 300.0
TARGET_USER_RATIO = 1.5


def alternation(conn):
    terms = [r[0] for r in conn.execute(
        "SELECT term FROM export_lexicon WHERE is_pattern = 0")]
    pats = [r[0] for r in conn.execute(
        "SELECT term FROM export_lexicon WHERE is_pattern = 1")]
    terms.sort(key=len, reverse=True)
    alts = [r"\s+".join(re.escape(w) for w in t.split()) for t in terms]
    lex = r"(?<![0-9A-Za-z])(?:" + "|".join(alts) + r")(?![0-9A-Za-z])"
    return "|".join([lex] + ["(?:%s)" % p for p in pats]), len(terms), len(pats)


def make_user_lexicon(conn, n=10000, seed=7):
    """n two- or three-word terms made of words that occur in the corpus, so
    that the automaton is exercised on real prefixes (most never match)."""
    words = {}
    for (body,) in conn.execute("SELECT body FROM docs LIMIT 3000"):
        for w in re.findall(r"[A-Za-z]{4,}", body):
            w = w.lower()
            words[w] = words.get(w, 0) + 1
    vocab = sorted(w for w, c in words.items() if c >= 3)
    rng = random.Random(seed)
    terms = set()
    while len(terms) < n:
        k = rng.choice((2, 2, 3))
        terms.add(" ".join(rng.choice(vocab) for _ in range(k)))
    conn.execute("DROP TABLE IF EXISTS temp.lex10k")
    conn.execute("CREATE TEMP TABLE lex10k(term TEXT, category TEXT, canonical TEXT)")
    conn.executemany("INSERT INTO temp.lex10k VALUES (?, 'user', ?)",
                     [(t, t) for t in sorted(terms)])
    return len(terms)


def timed(conn, sql, params=()):
    t0 = time.perf_counter()
    r = conn.execute(sql, params).fetchone()[0]
    return time.perf_counter() - t0, r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--corpus", default=os.environ.get("EL_BENCH_CORPUS", bench.DEFAULT_CORPUS))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("EL_BENCH_RUNS", "3")))
    ap.add_argument("--min-mb", type=float, default=float(os.environ.get("EL_BENCH_MIN_MB", "40")))
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(bench.REPO, args.build)
    peer = os.path.join(build, "bench", "terms_pcre2_peer.so")
    subprocess.run(["make", "-s", "B=%s" % os.path.relpath(build, bench.REPO),
                    os.path.relpath(peer, bench.REPO)], cwd=bench.REPO, check=True)
    bench_dir = os.path.join(build, "bench")
    os.makedirs(bench_dir, exist_ok=True)
    name, db = bench.prepare_corpus(bench_dir, args.corpus, int(args.min_mb * 1e6))
    conn = bench.open_conn(db, os.path.join(build, "exportlens"))
    conn.enable_load_extension(True)
    conn.load_extension(peer[:-3])
    conn.enable_load_extension(False)
    ndocs, nbytes = conn.execute(
        "SELECT count(*), sum(length(CAST(body AS BLOB))) FROM docs").fetchone()
    mb = nbytes / 1e6
    alt, nterms, npats = alternation(conn)
    nuser = make_user_lexicon(conn)
    bench.log("terms bench: corpus %s (%d docs, %.1f MB); peer alternation of %d terms + %d "
              "patterns (%d bytes); user lexicon %d terms" % (name, ndocs, mb, nterms, npats,
                                                              len(alt), nuser))
    cases = [
        ("floor", "SELECT sum(length(body)) FROM docs", ()),
        ("export_terms", "SELECT count(*) FROM docs, export_terms(docs.body)", ()),
        ("pcre2_alternation", "SELECT sum(pcre2_count(?, body)) FROM docs", (alt,)),
        ("export_terms_user10k",
         "SELECT count(*) FROM docs, export_terms(docs.body, 'lex10k')", ()),
    ]
    for _, sql, p in cases:             # warm-up
        conn.execute(sql, p).fetchone()
    times = {k: [] for k, _, _ in cases}
    results = {}
    for i in range(max(1, args.runs)):
        for key, sql, p in cases:       # alternate
            dt, r = timed(conn, sql, p)
            times[key].append(dt)
            results[key] = r
        bench.log("  run %d: %s" % (i + 1, "  ".join(
            "%s %.2fs" % (k, times[k][-1]) for k, _, _ in cases)))
    best = {k: min(v) for k, v in times.items()}
    mbs = {k: mb / best[k] for k in best}
    speedup = best["pcre2_alternation"] / best["export_terms"]
    user_ratio = best["export_terms_user10k"] / best["export_terms"]
    ok_speed = mbs["export_terms"] >= TARGET_MBS
    ok_peer = speedup >= 1.0
    ok_user = user_ratio <= TARGET_USER_RATIO
    out = ["", "export_terms bench  corpus: %s (%d docs, %.1f MB)" % (name, ndocs, mb)]
    labels = {"floor": "reading bodies (floor)", "export_terms": "export_terms, built-ins",
              "pcre2_alternation": "PCRE2 alternation (peer)",
              "export_terms_user10k": "export_terms + 10k user terms"}
    for k, _, _ in cases:
        out.append("%-32s %7.2f s %8.1f MB/s  (result %s)" % (labels[k], best[k], mbs[k],
                                                            results[k]))
    out.append("%-32s %7.2fx  (target >= 1.00x)  %s" % ("speed-up over the peer", speedup,
                                                      "PASS" if ok_peer else "FAIL"))
    out.append("%-32s %7.1f MB/s (target >= %.0f)  %s" % ("export_terms throughput",
                                                          mbs["export_terms"], TARGET_MBS,
                                                          "PASS" if ok_speed else "FAIL"))
    out.append("%-32s %7.2fx  (target <= %.2fx)  %s" % ("10k user lexicon / built-ins",
                                                      user_ratio, TARGET_USER_RATIO,
                                                      "PASS" if ok_user else "FAIL"))
    bench.log("\n".join(out))
    doc = {"corpus": {"name": name, "docs": ndocs, "bytes": nbytes, "mb": mb},
           "runs": times, "best_seconds": best, "mb_per_s": mbs, "results": results,
           "speedup_over_pcre2": speedup, "user10k_ratio": user_ratio,
           "targets": {"mb_per_s": TARGET_MBS, "speedup": 1.0, "user_ratio": TARGET_USER_RATIO},
           "pass": {"throughput": ok_speed, "peer": ok_peer, "user": ok_user},
           "peer": {"terms": nterms, "patterns": npats, "pattern_bytes": len(alt)},
           "env": {"commit": bench.git_commit(),
                   "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}}
    with open(os.path.join(bench_dir, "results_terms.json"), "w") as fh:
        json.dump(doc, fh, indent=2)
    conn.close()


if __name__ == "__main__":
    main()
