#!/usr/bin/env python3
"""gzip input benchmark (run by `make bench` as: python bench_csv_gz.py --build build).

The >= 90 MB file of bench_csv.py (worldcitiespop.csv repeated, or generated)
and the same file gzip'd (level 6), measured in the same run, alternating,
best of N (EL_BENCH_RUNS, default 3). MB/s are of the uncompressed CSV.

  zcat      zcat of the .gz to /dev/null: what inflating alone costs
  scan      SELECT count(*), sum(Population) over csv_file on the plain file
  scan_gz   the same over csv_file on the .gz file, and its peak RSS
  import_gz SELECT csv_import('file.csv.gz', 't') (typed columns)
  shell_gz  the sqlite3 shell's .import --csv '|zcat file.csv.gz' (all TEXT),
            the way to load a .gz without exportlens

Results go to build/bench/results_csv_gz.json.
"""
import argparse
import gzip
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_csv  # noqa: E402  (the file, and run(): wall time, peak RSS, CPU, stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("EL_BENCH_RUNS", "3")))
    args = ap.parse_args()
    build = os.path.join(bench_csv.REPO, args.build) if not os.path.isabs(args.build) else args.build
    bench = os.path.join(build, "bench")
    os.makedirs(bench, exist_ok=True)
    ext = os.path.join(build, "exportlens")
    sqlite3_bin = os.environ.get("SQLITE3", "sqlite3")
    zcat = shutil.which("zcat")

    big = os.path.join(bench, "csv_bench_90mb.csv")
    kind = bench_csv.make_file(big, bench_csv.MIN_BYTES)
    gz = big + ".gz"
    if not os.path.exists(gz) or os.path.getmtime(gz) < os.path.getmtime(big):
        with open(big, "rb") as f, gzip.open(gz + ".tmp", "wb", compresslevel=6) as out:
            shutil.copyfileobj(f, out, 1 << 20)
        os.replace(gz + ".tmp", gz)
    mb = os.path.getsize(big) / 1e6
    gz_mb = os.path.getsize(gz) / 1e6
    bench_csv.log("== gzip input benchmark: %.1f MB CSV (%s), %.1f MB gzip'd, best of %d, alternating"
                  % (mb, kind, gz_mb, args.runs))

    dbs = {}
    for name, path in (("scan", big), ("scan_gz", gz)):
        db = os.path.join(bench, "gzbench_%s.db" % name)
        for suffix in ("", "-journal"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        bench_csv.run([sqlite3_bin, "-batch", db, "-cmd", ".load " + ext,
                       "CREATE VIRTUAL TABLE t USING csv_file('%s');" % path])
        dbs[name] = db

    def scan(db):
        return [sqlite3_bin, "-batch", db, "-cmd", ".load " + ext, "SELECT count(*), sum(Population) FROM t;"]

    cmds = [("scan", scan(dbs["scan"])), ("scan_gz", scan(dbs["scan_gz"])),
            ("import_gz", [sqlite3_bin, "-batch", ":memory:", "-cmd", ".load " + ext,
                           "SELECT csv_import('%s', 't'); SELECT count(*), sum(Population) FROM t;" % gz])]
    if zcat:
        cmds += [("zcat", ["sh", "-c", "%s '%s' >/dev/null" % (zcat, gz)]),
                 ("shell_gz", [sqlite3_bin, "-batch", ":memory:", "-cmd",
                               ".import --csv '|%s %s' t" % (zcat, gz), "SELECT count(*) FROM t;"])]
    best, rss, outs = {}, {}, {}
    for i in range(args.runs):
        for name, cmd in cmds:
            dt, mem, _, out = bench_csv.run(cmd)
            best[name] = min(best.get(name, 1e9), dt)
            rss[name] = max(rss.get(name, 0), mem)
            outs[name] = out
        bench_csv.log("  run %d: %s" % (i + 1, "  ".join("%s %.2fs" % (k, v) for k, v in best.items())))

    # the answers agree
    assert outs["scan"] == outs["scan_gz"] == outs["import_gz"].splitlines()[-1], outs
    if zcat:
        assert int(outs["shell_gz"].splitlines()[-1]) == int(outs["scan"].split("|")[0]), outs

    res = {"file_mb": round(mb, 1), "gz_mb": round(gz_mb, 1), "file": kind, "runs": args.runs,
           "seconds": {k: round(v, 3) for k, v in best.items()},
           "mb_s": {k: round(mb / v, 1) for k, v in best.items()},
           "scan_gz_vs_scan": round(best["scan_gz"] / best["scan"], 2),
           "scan_gz_peak_rss_mb": round(rss["scan_gz"], 1),
           "scan_peak_rss_mb": round(rss["scan"], 1),
           "machine": os.uname().machine, "cpus": os.cpu_count(),
           "load": os.getloadavg()}
    if zcat:
        res["scan_gz_vs_zcat"] = round(best["scan_gz"] / best["zcat"], 2)
        res["import_gz_speed_vs_zcat_shell_import"] = round(best["shell_gz"] / best["import_gz"], 2)
        res["scan_gz_speed_vs_zcat_shell_import"] = round(best["shell_gz"] / best["scan_gz"], 2)
    with open(os.path.join(bench, "results_csv_gz.json"), "w") as f:
        json.dump(res, f, indent=2)
    labels = {"zcat": "zcat > /dev/null (inflate only)", "scan": "csv_file scan, plain .csv",
              "scan_gz": "csv_file scan, .csv.gz", "import_gz": "csv_import() of the .csv.gz",
              "shell_gz": "sqlite3 .import --csv '|zcat ...'"}
    bench_csv.log("  %-36s %8s %9s %8s" % ("measure", "seconds", "MB/s", "RSS MB"))
    for k, _ in cmds:
        bench_csv.log("  %-36s %8.2f %9.1f %8.1f" % (labels[k], best[k], mb / best[k], rss[k]))
    bench_csv.log("  scan .gz / scan plain: %.2fx" % res["scan_gz_vs_scan"])
    if zcat:
        bench_csv.log("  scan .gz / zcat alone: %.2fx" % res["scan_gz_vs_zcat"])
        bench_csv.log("  csv_import(.gz) speed / .import '|zcat': %.2fx" % res["import_gz_speed_vs_zcat_shell_import"])
    bench_csv.log("  load average: %.2f %.2f %.2f" % res["load"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
