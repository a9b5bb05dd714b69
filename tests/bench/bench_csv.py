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
  scan_all  the same table, with a query that reads every column
          (ALL_COLUMNS below: count() of each text column, sum() of each
          number), so that no reader can skip converting a field
  scan2   the same scan of a table made with threads=2 (a second thread
          parses ahead), and its peak RSS
  shell   the sqlite3 shell's .import --csv of the file (all TEXT columns)
          into a new database file
  import  SELECT csv_import(file, 't') (typed columns, from the whole file)
          into a new database file

and its peer, DuckDB (npm @duckdb/node-api, installed at bench time into
build/bench/duckdb as bench_nlp.py installs wink-nlp; skipped with the reason
printed when node, npm or the registry is not reachable), run by
tests/bench/duckdb_csv.js:

  duck_scan1/2  ALL_COLUMNS over read_csv(file) with SET threads=1 / 2
  duck_load1/2  CREATE TABLE t AS SELECT * FROM read_csv(file) in a new
                DuckDB database file, threads=1 / 2, checkpointed and closed

Targets: scan <= 1.5x bare, scan >= 3.5x the throughput of .import, import
>= 2x faster than .import, scan peak RSS < 64 MB. Every command runs in its
own process; time is wall time, memory is that process's ru_maxrss. DuckDB's
time is measured inside node, from opening the instance to closing it (node's
own start, about 0.05 s, is left out; the sqlite3 shell's start is in).
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
HERE = os.path.dirname(os.path.abspath(__file__))
# Every column read: count() of each text column, sum() of each number, in both readers.
ALL_COLUMNS = ("SELECT count(*), count(Country), count(City), count(AccentCity), count(Region), "
               "sum(Population), sum(Latitude), sum(Longitude) FROM t")

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


def duckdb_dir(bench):
    """node_modules holding @duckdb/node-api (installed there when missing),
    or (None, reason)."""
    if not shutil.which("node") or not shutil.which("npm"):
        return None, "node/npm not installed"
    ddir = os.path.join(bench, "duckdb")
    mods = os.path.join(ddir, "node_modules")
    if not os.path.isdir(os.path.join(mods, "@duckdb", "node-api")):
        os.makedirs(ddir, exist_ok=True)
        try:
            r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", ddir,
                                "@duckdb/node-api"], capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return None, "npm install @duckdb/node-api timed out (offline?)"
        if r.returncode != 0:
            err = r.stderr.strip()[-200:]
            return None, "npm install @duckdb/node-api failed (offline?)" + (": " + err if err else "")
    return mods, None


def duckdb_run(mods, mode, path, threads, extra):
    """(seconds, CPU seconds, first row as text, version) of one duckdb_csv.js run."""
    r = subprocess.run(["node", os.path.join(HERE, "duckdb_csv.js"), mode, path, str(threads), "1", extra],
                       capture_output=True, text=True, env=dict(os.environ, NODE_PATH=mods), timeout=1800)
    if r.returncode != 0:
        raise RuntimeError("duckdb_csv.js %s failed: %s" % (mode, r.stderr.strip()[-500:]))
    out = json.loads(r.stdout)
    return out["seconds"], out["cpu_seconds"], out["result"], out["version"]


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

    # both SQLite loaders write a new database file, as DuckDB's load does
    shell_db = os.path.join(bench, "csv_bench_shell.db")
    import_db = os.path.join(bench, "csv_bench_import.db")
    duck_db = os.path.join(bench, "csv_bench_duckdb.duckdb")
    shell_cmd = [sqlite3_bin, "-batch", shell_db, "-cmd", ".import --csv %s t" % big,
                 "SELECT count(*) FROM t;"]
    import_cmd = [sqlite3_bin, "-batch", import_db, "-cmd", ".load " + ext,
                  "SELECT csv_import('%s', 't'); SELECT count(*), sum(Population) FROM t;" % big]
    scan_all_cmd = [sqlite3_bin, "-batch", db_of(big), "-cmd", ".load " + ext, ALL_COLUMNS + ";"]

    def fresh(db):
        for suffix in ("", "-journal", "-wal", ".wal"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)

    mods, duck_skip = duckdb_dir(bench)
    if mods is None:
        log("  DuckDB peer skipped: %s" % duck_skip)

    best = {}
    cpu = {}
    rss = {}
    outs = {}
    duck_version = None
    for i in range(args.runs):
        for name, cmd in (("bare", [bare, big]), ("create", create_cmd(big)), ("scan", scan_cmd(big)),
                          ("scan_all", scan_all_cmd), ("scan2", scan_cmd(big, "t2")), ("shell", shell_cmd),
                          ("import", import_cmd), ("scan_half", scan_cmd(half))):
            fresh(shell_db)
            fresh(import_db)
            dt, mem, c, out = run(cmd)
            best[name] = min(best.get(name, 1e9), dt)
            cpu[name] = min(cpu.get(name, 1e9), c)
            rss[name] = max(rss.get(name, 0), mem)
            outs[name] = out
        if mods is not None:
            for threads in (1, 2):
                for name, mode, extra in (("duck_scan%d" % threads, "scan", ALL_COLUMNS),
                                          ("duck_load%d" % threads, "load", duck_db)):
                    dt, c, row, duck_version = duckdb_run(mods, mode, big, threads, extra)
                    best[name] = min(best.get(name, 1e9), dt)
                    cpu[name] = min(cpu.get(name, 1e9), c)
                    outs[name] = row
            fresh(duck_db)
        log("  run %d: bare %.2fs  scan %.2fs  scan threads=2 %.2fs  scan_all %.2fs  .import %.2fs  csv_import %.2fs%s"
            % (i + 1, best["bare"], best["scan"], best["scan2"], best["scan_all"], best["shell"], best["import"],
               "" if mods is None else "  duckdb scan 1t %.2fs 2t %.2fs, load 1t %.2fs 2t %.2fs"
               % (best["duck_scan1"], best["duck_scan2"], best["duck_load1"], best["duck_load2"])))
    fresh(shell_db)
    fresh(import_db)

    # the answers agree
    rows_scan = int(outs["scan"].split("|")[0])
    rows_shell = int(outs["shell"].splitlines()[-1])
    rows_import = int(outs["import"].splitlines()[-1].split("|")[0])
    assert rows_scan == rows_shell == rows_import, (outs["scan"], outs["shell"], outs["import"])
    assert outs["scan"] == outs["import"].splitlines()[-1], (outs["scan"], outs["import"])
    assert outs["scan2"] == outs["scan"], (outs["scan2"], outs["scan"])
    all_cols = outs["scan_all"].split("|")
    assert int(all_cols[0]) == rows_scan, outs["scan_all"]
    if mods is not None:
        for name in ("duck_scan1", "duck_scan2"):
            # the same rows, non-empty values and integer sum; the float sums to 6 digits
            row = outs[name]
            assert row[:6] == all_cols[:6], (name, row, all_cols)
            for x, y in zip(row[6:], all_cols[6:]):
                assert abs(float(x) - float(y)) <= 1e-6 * abs(float(y)), (name, row, all_cols)
        for name in ("duck_load1", "duck_load2"):
            assert int(outs[name][0]) == rows_scan, (name, outs[name])

    def r2(x):
        return round(x, 2)

    res = {
        "file_mb": round(mb, 1),
        "file": kind,
        "rows": rows_scan,
        "runs": args.runs,
        "load_average": os.getloadavg(),
        "bare_libcsv_s": round(best["bare"], 3),
        "create_s": round(best["create"], 3),
        "scan_s": round(best["scan"], 3),
        "scan_all_s": round(best["scan_all"], 3),
        "shell_import_s": round(best["shell"], 3),
        "csv_import_s": round(best["import"], 3),
        "bare_mb_s": round(mb / best["bare"], 1),
        "create_mb_s": round(mb / best["create"], 1),
        "scan_mb_s": round(mb / best["scan"], 1),
        "scan_all_mb_s": round(mb / best["scan_all"], 1),
        "shell_import_mb_s": round(mb / best["shell"], 1),
        "csv_import_mb_s": round(mb / best["import"], 1),
        "create_vs_bare": r2(best["create"] / best["bare"]),
        "scan_vs_bare": r2(best["scan"] / best["bare"]),
        "scan_all_vs_bare": r2(best["scan_all"] / best["bare"]),
        "scan_vs_shell_import": r2(best["shell"] / best["scan"]),
        "csv_import_vs_shell_import": r2(best["shell"] / best["import"]),
        "scan_threads2_s": round(best["scan2"], 3),
        "scan_threads2_vs_bare": r2(best["scan2"] / best["bare"]),
        "scan_threads2_peak_rss_mb": round(rss["scan2"], 1),
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "scan_vs_bare_cpu": r2(cpu["scan"] / cpu["bare"]),
        "scan_vs_shell_import_cpu": r2(cpu["shell"] / cpu["scan"]),
        "csv_import_vs_shell_import_cpu": r2(cpu["shell"] / cpu["import"]),
        "scan_peak_rss_mb": round(rss["scan"], 1),
        "scan_half_file_peak_rss_mb": round(rss["scan_half"], 1),
        "bare_peak_rss_mb": round(rss["bare"], 1),
        "duckdb": None if mods is None else {
            "version": duck_version,
            "scan_1_thread_s": round(best["duck_scan1"], 3),
            "scan_2_threads_s": round(best["duck_scan2"], 3),
            "load_1_thread_s": round(best["duck_load1"], 3),
            "load_2_threads_s": round(best["duck_load2"], 3),
            # > 1: csv_file (one thread) is slower than DuckDB
            "scan_all_vs_duckdb_1_thread": r2(best["scan_all"] / best["duck_scan1"]),
            "scan_all_vs_duckdb_2_threads": r2(best["scan_all"] / best["duck_scan2"]),
            "duckdb_1_thread_vs_bare": r2(best["duck_scan1"] / best["bare"]),
            "duckdb_2_threads_vs_bare": r2(best["duck_scan2"] / best["bare"]),
            "csv_import_vs_duckdb_load_1_thread": r2(best["import"] / best["duck_load1"]),
            "csv_import_vs_duckdb_load_2_threads": r2(best["import"] / best["duck_load2"]),
        },
        "duckdb_skipped": duck_skip,
        "targets": {"scan_vs_bare_max": 1.5, "scan_vs_shell_import_min": 3.5,
                    "csv_import_vs_shell_import_min": 2.0, "scan_peak_rss_mb_max": 64},
        "machine": os.uname().machine,
        "cpus": os.cpu_count(),
    }
    with open(os.path.join(bench, "results_csv.json"), "w") as f:
        json.dump(res, f, indent=2)

    def line(label, name):
        log("  %-44s %8.2f %9.1f %8.2f" % (label, best[name], mb / best[name], cpu[name]))

    log("  %-44s %8s %9s %8s" % ("measure", "seconds", "MB/s", "CPU s"))
    line("bare libcsv parse (no-op callbacks)", "bare")
    line("csv_file CREATE (whole-file types)", "create")
    line("csv_file count(*), sum(Population)", "scan")
    line("  the same, threads=2", "scan2")
    line("csv_file every column (1 thread)", "scan_all")
    if mods is not None:
        line("DuckDB read_csv every column, 1 thread", "duck_scan1")
        line("DuckDB read_csv every column, 2 threads", "duck_scan2")
    line("sqlite3 .import --csv (file db)", "shell")
    line("csv_import() typed (file db)", "import")
    if mods is not None:
        line("DuckDB CREATE TABLE AS read_csv, 1 thread", "duck_load1")
        line("DuckDB CREATE TABLE AS read_csv, 2 threads", "duck_load2")
    if mods is not None:
        log("  (DuckDB %s, @duckdb/node-api; its CPU time is that of all its threads)" % duck_version)
    log("  ratios, wall time (CPU time in brackets; both best of %d):" % args.runs)
    log("  create / bare parse: %.2fx [%.2fx]" % (res["create_vs_bare"], r2(cpu["create"] / cpu["bare"])))
    log("  scan / bare parse: %.2fx [%.2fx] (target <= 1.5x)" % (res["scan_vs_bare"], res["scan_vs_bare_cpu"]))
    log("  scan every column / bare parse: %.2fx [%.2fx]"
        % (res["scan_all_vs_bare"], r2(cpu["scan_all"] / cpu["bare"])))
    log("  scan throughput / .import: %.2fx [%.2fx] (target >= 3.5x)"
        % (res["scan_vs_shell_import"], res["scan_vs_shell_import_cpu"]))
    log("  csv_import speed / .import: %.2fx [%.2fx] (target >= 2x)"
        % (res["csv_import_vs_shell_import"], res["csv_import_vs_shell_import_cpu"]))
    if mods is not None:
        d = res["duckdb"]
        log("  DuckDB read_csv / bare parse: 1 thread %.2fx, 2 threads %.2fx"
            % (d["duckdb_1_thread_vs_bare"], d["duckdb_2_threads_vs_bare"]))
        log("  csv_file every column / DuckDB: %.2fx its 1-thread time, %.2fx its 2-thread time"
            % (d["scan_all_vs_duckdb_1_thread"], d["scan_all_vs_duckdb_2_threads"]))
        log("  csv_import / DuckDB load into its file: %.2fx its 1-thread time, %.2fx its 2-thread time"
            % (d["csv_import_vs_duckdb_load_1_thread"], d["csv_import_vs_duckdb_load_2_threads"]))
    log("  scan threads=2 / bare parse: %.2fx [%.2fx CPU]; peak RSS %.1f MB"
        % (res["scan_threads2_vs_bare"], r2(cpu["scan2"] / cpu["bare"]), rss["scan2"]))
    log("  scan peak RSS: %.1f MB (%.1f MB on the half-size file; target < 64 MB)"
        % (rss["scan"], rss["scan_half"]))
    log("  load average: %.2f %.2f %.2f" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
