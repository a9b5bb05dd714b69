#!/usr/bin/env python3
"""exportlens NLP throughput (run by `make bench`).

On the first EL_BENCH_NLP_MB megabytes (default 4) of the bench corpus's
documents (Federal Register abstracts, or the synthetic corpus), measures,
alternating and keeping the best of N:

  a. tokens() with every NLP column (upos, xpos, lemma, head, dep): tagging,
     lemmas and parsing                                     (target >= 3 MB/s)
  b. tokens() with upos, xpos and lemma only (no parse)
  c. tokens() without them (the tokenizer alone)
  d. the peer: wink-nlp's part-of-speech tagging of the same texts (npm
     wink-nlp + wink-eng-lite-web-model, installed into build/bench/wink at
     bench time; skipped when npm or the registry is not reachable)

and prints MB/s and the ratio a/d. Writes build/bench/results_nlp.json.
"""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

TARGET_MBS = 3.0
HERE = os.path.dirname(os.path.abspath(__file__))


def wink(bench_dir, texts, runs):
    """(seconds, tokens) of wink-nlp tagging the texts, or (None, reason)."""
    if not shutil.which("node") or not shutil.which("npm"):
        return None, "node/npm not installed"
    wdir = os.path.join(bench_dir, "wink")
    if not os.path.isdir(os.path.join(wdir, "node_modules", "wink-eng-lite-web-model")):
        os.makedirs(wdir, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", wdir,
                            "wink-nlp", "wink-eng-lite-web-model"], capture_output=True, text=True,
                           timeout=300)
        if r.returncode != 0:
            return None, "npm install failed (offline?)"
    data = "\n".join(json.dumps(t) for t in texts) + "\n"
    env = dict(os.environ, NODE_PATH=os.path.join(wdir, "node_modules"))
    r = subprocess.run(["node", os.path.join(HERE, "wink_tag.js"), str(runs)], input=data,
                       capture_output=True, text=True, env=env, timeout=3600)
    if r.returncode != 0:
        return None, "wink-nlp failed: " + r.stderr.strip()[-200:]
    out = json.loads(r.stdout)
    return out["seconds"], out["tokens"]


def main():
    args, conn, name, bench_dir = bench.corpus_setup(3)
    limit = float(os.environ.get("EL_BENCH_NLP_MB", "4")) * 1e6
    texts, total = [], 0
    for (body,) in conn.execute("SELECT body FROM docs ORDER BY rowid"):
        if total >= limit:
            break
        texts.append(body)
        total += len(body.encode("utf-8"))
    conn.execute("CREATE TEMP TABLE sub(body TEXT)")
    conn.executemany("INSERT INTO sub VALUES (?)", [(t,) for t in texts])
    mb = total / 1e6
    sqls = {
        "tokens_nlp": "SELECT count(upos), count(xpos), count(lemma), count(head), count(dep)"
                      " FROM sub, tokens(sub.body)",
        "tokens_tags": "SELECT count(upos), count(xpos), count(lemma) FROM sub, tokens(sub.body)",
        "tokens": "SELECT count(*) FROM sub, tokens(sub.body)",
    }
    times = {k: [] for k in sqls}
    rows = {}
    for k, sql in sqls.items():
        rows[k] = conn.execute(sql).fetchone()[0]  # warm-up
    for _ in range(max(1, args.runs)):
        for k, sql in sqls.items():
            t0 = time.perf_counter()
            conn.execute(sql).fetchone()
            times[k].append(time.perf_counter() - t0)
    best = {k: min(v) for k, v in times.items()}
    mbs = {k: mb / best[k] for k in best}
    wsec, wtok = wink(bench_dir, texts, max(1, args.runs))
    print("\nexportlens NLP bench  corpus: %s (%d docs, %.1f MB)" % (name, len(texts), mb))
    for k in sqls:
        print("%-32s %7.2f s %7.2f MB/s  (%s rows)" % (k + "()", best[k], mbs[k], rows[k]))
    ratio = None
    if wsec is None:
        print("%-32s skipped: %s" % ("wink-nlp tagging", wtok))
    else:
        mbs["wink_tagging"] = mb / wsec
        ratio = wsec / best["tokens_nlp"]
        print("%-32s %7.2f s %7.2f MB/s  (%s tokens)" % ("wink-nlp tagging (peer)", wsec, mb / wsec, wtok))
        print("%-32s %7.2fx  (wink tagging time / exportlens tags+lemmas+parse time)" %
              ("ratio vs wink-nlp", ratio))
    ok = mbs["tokens_nlp"] >= TARGET_MBS and (ratio is None or ratio > 1)
    print("%-32s %s" % ("target >= %.0f MB/s, faster than wink" % TARGET_MBS, "PASS" if ok else "FAIL"))
    doc = {"corpus": {"name": name, "docs": len(texts), "bytes": total, "mb": mb},
           "runs": args.runs, "sql": sqls, "seconds": best, "all_runs": times, "mb_per_s": mbs,
           "rows": rows, "wink_seconds": wsec, "ratio_vs_wink": ratio,
           "target_mb_per_s": TARGET_MBS, "pass": ok, "commit": bench.git_commit(),
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(os.path.join(bench_dir, "results_nlp.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
