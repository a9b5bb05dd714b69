#!/usr/bin/env python3
"""CSV import benchmark (run by `make bench` as: python bench_csv.py --build build).

On a file of >= 90 MB made by repeating ../shared/data/bench/worldcitiespop.csv
(or a generated file of the same shape when shared data is absent), measured
in the same run, alternating, best of N (EL_BENCH_RUNS, default 3):

  bare    a bare libcsv parse of the file with no-op callbacks (a small C
          program compiled here): the limit libcsv itself sets
  create  CREATE VIRTUAL TABLE t USING csv_file(file) in a database file:
          the whole-file pass that infers the column types
  scan    SELECT count(*), sum(Population) FROM that table, in a process that
          opens the database (the table is declared from its stored
          description, without a second type pass), and its peak RSS; the
          peak RSS is also measured on a file half the size, to show it does
          not grow with the file
  scan2   the same scan of a table made with threads=2 (a second thread
          parses ahead), and its peak RSS
  shell   the sqlite3 shell's .import --csv of the file (all TEXT columns)
  import  SELECT csv_import(file, 't') (typed columns, from the whole file)

Targets: scan <= 1.5x bare, scan >= 3.5x the throughput of .import, import
>= 2x faster than .import, scan peak RSS < 64 MB. Every command runs in its
own process; time is wall time, memory is that process's ru_maxrss.
Results go to build/bench/results_csv.json.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_CSV = os.path.join(REPO, "..", "shared", "data", "bench", "worldcitiespop.csv")
MIN_BYTES = 90 * 1024 * 1024

BARE_C = r"""
#include <csv.h>
#include <stdio.h>
static void cb1(void *s, size_t n, void *d) { (void)s; (void)n; ++*(long *)d; }
static void cb2(int c, void *d) { (void)c; (void)d; }
int main(int argc, char **argv) {
  struct csv_parser p;
  static char buf[1 << 16];
  long fields = 0;
  size_t n;
  FILE *f;
  if (argc < 2 || !(f = fopen(argv[1], "rb")) || csv_init(&p, 0) != 0) return 2;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (csv_parse(&p, buf, n, cb1, cb2, &fields) != n) return 1;
  csv_fini(&p, cb1, cb2, &fields);
  csv_free(&p);
  fclose(f);
  printf("%ld\n", fields);
  return 0;
}
"""


def log(msg):
    print(msg, flush=True)


def synthetic_lines(seed=20251123):
    """Rows shaped like worldcitiespop: country, city, accent city, region,
    population (mostly empty), latitude, longitude."""
    rnd = random.Random(seed)
    syll = ["ka", "lo", "mi", "san", "ber", "to", "ri", "na", "vel", "do", "gor", "ah", "sk"]
    while True:
        name = "".join(rnd.choice(syll) for _ in range(rnd.randint(2, 4)))
        acc = name.capitalize() + (" " + rnd.choice(syll) if rnd.random() < 0.2 else "")
        if rnd.random() < 0.1:
            acc = acc.replace("o", "\u00f6", 1)
        pop = str(rnd.randint(100, 9000000)) if rnd.random() < 0.05 else ""
        yield "%s,%s,%s,%02d,%s,%.7f,%.7f\n" % (
            rnd.choice(["de", "fr", "kr", "us", "cn", "br", "lk", "ad"]), name, acc,
            rnd.randint(1, 40), pop, rnd.uniform(-60, 70), rnd.uniform(-180, 180))


def make_file(path, min_bytes):
    if os.path.exists(path) and os.path.getsize(path) >= min_bytes:
        return "cached"
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        if os.path.exists(SHARED_CSV):
            src = open(SHARED_CSV, "rb").read()
            header, body = src.split(b"\n", 1)
            if not body.endswith(b"\n"):
                body += b"\n"
            out.write(header + b"\n")
            n = len(header) + 1
            while n < min_bytes:
                out.write(body)
                n += len(body)
            kind = "worldcitiespop.csv repeated"
        else:
            out.write(b"Country,City,AccentCity,Region,Population,Latitude,Longitude\n")
            n = 0
            gen = synthetic_lines()
            while n < min_bytes:
                chunk = "".join(next(gen) for _ in range(10000)).encode()
                out.write(chunk)
                n += len(chunk)
            kind = "generated"
    os.replace(tmp, path)
    return kind


def half_file(src, dst):
    if os.path.exists(dst):
        return
    size = os.path.getsize(src) // 2
    n = 0
    with open(src, "rb") as f, open(dst + ".tmp", "wb") as out:
        for line in f:  # streamed: this process stays small (its RSS is inherited by children)
            out.write(line)
            n += len(line)
            if n >= size:
                break
    os.replace(dst + ".tmp", dst)


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(cmd, stdin=None):
    """Wall time (s), peak RSS (MB) and stdout of one process. The peak RSS
    comes from GNU time when present (ru_maxrss of a child forked from this
    Python would include the memory it inherited)."""
    rss_file = None
    if GNU_TIME:
        fd, rss_file = tempfile.mkstemp(suffix=".rss")
        os.close(fd)
        cmd = [GNU_TIME, "-o", rss_file, "-f", "%M %U %S"] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin else None, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    if stdin:
        p.stdin.write(stdin.encode())
        p.stdin.close()
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), err.decode(errors="replace")[:500]))
    maxrss_kb = ru.ru_maxrss
    cpu = ru.ru_utime + ru.ru_stime
    if rss_file:
        with open(rss_file) as f:
            fields = f.read().split()
        maxrss_kb, cpu = int(fields[-3]), float(fields[-2]) + float(fields[-1])
        os.unlink(rss_file)
    return dt, maxrss_kb / 1024.0, cpu, out.decode(errors="replace").strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("EL_BENCH_RUNS", "3")))
    args = ap.parse_args()
    build = os.path.join(REPO, args.build) if not os.path.isabs(args.build) else args.build
    bench = os.path.join(build, "bench")
    os.makedirs(bench, exist_ok=True)
    ext = os.path.join(build, "exportlens")
    sqlite3_bin = os.environ.get("SQLITE3", "sqlite3")
    cc = os.environ.get("CC", "cc")

    big = os.path.join(bench, "csv_bench_90mb.csv")
    kind = make_file(big, MIN_BYTES)
    half = os.path.join(bench, "csv_bench_half.csv")
    half_file(big, half)
    mb = os.path.getsize(big) / 1e6
    bare = os.path.join(bench, "bare_libcsv")
    with open(bare + ".c", "w") as f:
        f.write(BARE_C)
    subprocess.check_call([cc, "-O2", "-o", bare, bare + ".c", "-lcsv"])
    log("== CSV import benchmark: %.1f MB (%s), best of %d, alternating" % (mb, kind, args.runs))

    def db_of(path):
        return path + ".db"

    def create_cmd(path):
        return [sqlite3_bin, "-batch", db_of(path), "-cmd", ".load " + ext,
                "DROP TABLE IF EXISTS t; CREATE VIRTUAL TABLE t USING csv_file('%s');" % path]

    def scan_cmd(path, table="t"):
        return [sqlite3_bin, "-batch", db_of(path), "-cmd", ".load " + ext,
                "SELECT count(*), sum(Population) FROM %s;" % table]

    for path in (big, half):
        for suffix in ("", "-journal"):
            if os.path.exists(db_of(path) + suffix):
                os.unlink(db_of(path) + suffix)
        run(create_cmd(path))
        run([sqlite3_bin, "-batch", db_of(path), "-cmd", ".load " + ext,
             "DROP TABLE IF EXISTS t2; CREATE VIRTUAL TABLE t2 USING csv_file('%s', threads=2);" % path])

    shell_cmd = [sqlite3_bin, "-batch", ":memory:", "-cmd", ".import --csv %s t" % big,
                 "SELECT count(*) FROM t;"]
    import_cmd = [sqlite3_bin, "-batch", ":memory:", "-cmd", ".load " + ext,
                  "SELECT csv_import('%s', 't'); SELECT count(*), sum(Population) FROM t;" % big]

    best = {}
    cpu = {}
    rss = {}
    outs = {}
    for i in range(args.runs):
        for name, cmd in (("bare", [bare, big]), ("create", create_cmd(big)), ("scan", scan_cmd(big)),
                          ("scan2", scan_cmd(big, "t2")), ("shell", shell_cmd), ("import", import_cmd),
                          ("scan_half", scan_cmd(half))):
            dt, mem, c, out = run(cmd)
            best[name] = min(best.get(name, 1e9), dt)
            cpu[name] = min(cpu.get(name, 1e9), c)
            rss[name] = max(rss.get(name, 0), mem)
            outs[name] = out
        log("  run %d: bare %.2fs  create %.2fs  scan %.2fs  scan threads=2 %.2fs  .import %.2fs  csv_import %.2fs"
            % (i + 1, best["bare"], best["create"], best["scan"], best["scan2"], best["shell"], best["import"]))

    # the answers agree
    rows_scan = int(outs["scan"].split("|")[0])
    rows_shell = int(outs["shell"].splitlines()[-1])
    rows_import = int(outs["import"].splitlines()[-1].split("|")[0])
    assert rows_scan == rows_shell == rows_import, (outs["scan"], outs["shell"], outs["import"])
    assert outs["scan"] == outs["import"].splitlines()[-1], (outs["scan"], outs["import"])
    assert outs["scan2"] == outs["scan"], (outs["scan2"], outs["scan"])

    res = {
        "file_mb": round(mb, 1),
        "file": kind,
        "rows": rows_scan,
        "runs": args.runs,
        "bare_libcsv_s": round(best["bare"], 3),
        "create_s": round(best["create"], 3),
        "scan_s": round(best["scan"], 3),
        "shell_import_s": round(best["shell"], 3),
        "csv_import_s": round(best["import"], 3),
        "bare_mb_s": round(mb / best["bare"], 1),
        "create_mb_s": round(mb / best["create"], 1),
        "scan_mb_s": round(mb / best["scan"], 1),
        "shell_import_mb_s": round(mb / best["shell"], 1),
        "csv_import_mb_s": round(mb / best["import"], 1),
        "create_vs_bare": round(best["create"] / best["bare"], 2),
        "scan_vs_bare": round(best["scan"] / best["bare"], 2),
        "scan_threads2_s": round(best["scan2"], 3),
        "scan_threads2_vs_bare": round(best["scan2"] / best["bare"], 2),
        "scan_threads2_peak_rss_mb": round(rss["scan2"], 1),
        "load_avg": os.getloadavg(),
        "scan_vs_shell_import": round(best["shell"] / best["scan"], 2),
        "csv_import_vs_shell_import": round(best["shell"] / best["import"], 2),
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "scan_vs_bare_cpu": round(cpu["scan"] / cpu["bare"], 2),
        "scan_vs_shell_import_cpu": round(cpu["shell"] / cpu["scan"], 2),
        "csv_import_vs_shell_import_cpu": round(cpu["shell"] / cpu["import"], 2),
        "scan_peak_rss_mb": round(rss["scan"], 1),
        "scan_half_file_peak_rss_mb": round(rss["scan_half"], 1),
        "bare_peak_rss_mb": round(rss["bare"], 1),
        "targets": {"scan_vs_bare_max": 1.5, "scan_vs_shell_import_min": 3.5,
                    "csv_import_vs_shell_import_min": 2.0, "scan_peak_rss_mb_max": 64},
        "machine": os.uname().machine,
        "cpus": os.cpu_count(),
    }
    with open(os.path.join(bench, "results_csv.json"), "w") as f:
        json.dump(res, f, indent=2)
    log("  %-34s %8s %9s" % ("measure", "seconds", "MB/s"))
    log("  %-34s %8.2f %9.1f" % ("bare libcsv parse (no-op callbacks)", best["bare"], mb / best["bare"]))
    log("  %-34s %8.2f %9.1f" % ("csv_file CREATE (whole-file types)", best["create"], mb / best["create"]))
    log("  %-34s %8.2f %9.1f" % ("csv_file count(*), sum(Population)", best["scan"], mb / best["scan"]))
    log("  %-34s %8.2f %9.1f" % ("  the same, threads=2", best["scan2"], mb / best["scan2"]))
    log("  %-34s %8.2f %9.1f" % ("sqlite3 .import --csv", best["shell"], mb / best["shell"]))
    log("  %-34s %8.2f %9.1f" % ("csv_import() typed", best["import"], mb / best["import"]))
    log("  ratios, wall time (CPU time in brackets; both best of %d):" % args.runs)
    log("  create / bare parse: %.2fx [%.2fx]" % (res["create_vs_bare"], round(cpu["create"] / cpu["bare"], 2)))
    log("  scan / bare parse: %.2fx [%.2fx] (target <= 1.5x)" % (res["scan_vs_bare"], res["scan_vs_bare_cpu"]))
    log("  scan throughput / .import: %.2fx [%.2fx] (target >= 3.5x)"
        % (res["scan_vs_shell_import"], res["scan_vs_shell_import_cpu"]))
    log("  csv_import speed / .import: %.2fx [%.2fx] (target >= 2x)"
        % (res["csv_import_vs_shell_import"], res["csv_import_vs_shell_import_cpu"]))
    log("  scan threads=2 / bare parse: %.2fx [%.2fx CPU]; peak RSS %.1f MB"
        % (res["scan_threads2_vs_bare"], round(cpu["scan2"] / cpu["bare"], 2), rss["scan2"]))
    log("  scan peak RSS: %.1f MB (%.1f MB on the half-size file; target < 64 MB)"
        % (rss["scan"], rss["scan_half"]))
    log("  load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
