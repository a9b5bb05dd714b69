#!/usr/bin/env python3
"""Build hygiene checks (make check): include guards derived from the path,
the committed Unicode tables, SOURCE_DATE_EPOCH, the iso-codes version in
exportlens_debug(), and the warning flags. Prints one "ok - ..." or
"not ok - ..." line per check.

  B=build /usr/bin/python3 tests/build/hygiene.py
"""
import glob
import os
import re
import runpy
import sqlite3
import subprocess
import sys
import types

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
B = os.environ.get("B", "build")
failed = 0


def check(name, cond, why=""):
    global failed
    if cond:
        print("ok - build: " + name)
    else:
        failed += 1
        print("not ok - build: %s: %s" % (name, why))


def expected_guard(rel):
    """ext/entities/entities.h -> EL_ENTITIES_ENTITIES_H; tests/unit/check.h ->
    EL_TESTS_UNIT_CHECK_H. The public header keeps its public name."""
    if rel == "include/exportlens.h":
        return "EXPORTLENS_H"
    parts = rel.split("/")
    if parts[0] in ("ext", "include"):
        parts = parts[1:]
    return "EL_" + re.sub(r"[^A-Za-z0-9]", "_", "_".join(parts)).upper()


def guards():
    headers = sorted(set(glob.glob(os.path.join(ROOT, "ext", "**", "*.h"), recursive=True) +
                         glob.glob(os.path.join(ROOT, "include", "*.h")) +
                         glob.glob(os.path.join(ROOT, "tests", "**", "*.h"), recursive=True)))
    bad, seen = [], {}
    for path in headers:
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"^#ifndef (\w+)\s*\n#define (\w+)\s*$", text, re.M)
        want = expected_guard(rel)
        if not m or m.group(1) != m.group(2) or m.group(1) != want:
            bad.append("%s (want %s, has %s)" % (rel, want, m.groups() if m else None))
        elif m.group(1) in seen:
            bad.append("%s and %s share %s" % (rel, seen[m.group(1)], m.group(1)))
        else:
            seen[m.group(1)] = rel
    check("include guards are derived from the path (%d headers)" % len(headers),
          headers and not bad, "; ".join(bad))


def make_vars(*args):
    """The compile command make would run for exportlens.o (dry run, nothing built)."""
    out = subprocess.run(["make", "-n", "-B", "B=%s/hyg" % B] + list(args) + ["%s/hyg/obj/exportlens.o" % B],
                         cwd=ROOT, capture_output=True, text=True)
    return out.stdout + out.stderr


def warnings_and_dates():
    cmd = make_vars()
    for flag in ("-Wmissing-prototypes", "-Wimplicit-fallthrough", "-Wvla", "-Werror", "-MMD", "-MP",
                 "-ffile-prefix-map="):
        check("objects compile with %s" % flag, flag in cmd, cmd[-300:])
    for epoch, date in (("0", "1970-01-01"), ("1700000000", "2023-11-14")):
        cmd = make_vars("SOURCE_DATE_EPOCH=" + epoch)
        check("SOURCE_DATE_EPOCH=%s gives build date %s" % (epoch, date),
              "-DEL_BUILD_DATE='\"%s\"'" % date in cmd, cmd[-300:])


def unicode_tables():
    path = os.path.join(ROOT, "ext", "common", "el_unicode_data.h")
    gen = os.path.join(ROOT, "ext", "common", "gen_unicode.py")
    with open(path, encoding="utf-8") as f:
        committed = f.read()
    pin = re.search(r'^UNICODE_VERSION = "([0-9.]+)"', open(gen, encoding="utf-8").read(), re.M).group(1)
    check("the committed Unicode table has the do-not-edit banner",
          committed.startswith("/*\n** GENERATED FILE, DO NOT EDIT.") and ("Unicode %s" % pin) in committed[:300])
    check("the committed Unicode table is version %s" % pin, '#define EL_UC_VERSION "%s"' % pin in committed)
    import unicodedata
    if unicodedata.unidata_version == pin:
        out = subprocess.run([sys.executable, gen], capture_output=True, text=True)
        check("the committed Unicode table is what gen_unicode.py writes",
              out.returncode == 0 and out.stdout == committed,
              "run `make unicode-tables` and commit the result (%s)" % out.stderr[-200:])
    else:
        print("skip - build: regenerate the Unicode table: this Python has Unicode %s, the pin is %s"
              % (unicodedata.unidata_version, pin))
    # On a Python with another Unicode version, the generator refuses.
    fake = types.ModuleType("unicodedata")
    fake.unidata_version = "99.0.0"
    saved = sys.modules.get("unicodedata")
    sys.modules["unicodedata"] = fake
    try:
        runpy.run_path(gen, run_name="__main__")
        refused = None
    except SystemExit as e:
        refused = str(e.code)
    finally:
        sys.modules["unicodedata"] = saved
    check("gen_unicode.py refuses a Python with another Unicode version",
          refused is not None and "99.0.0" in refused and pin in refused, refused)


def debug_info():
    so = os.path.join(ROOT, B, "exportlens")
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(so)
    (d,) = conn.execute("SELECT exportlens_debug()").fetchone()
    lines = dict(l.split(": ", 1) for l in d.splitlines() if ": " in l)
    iso = subprocess.run(["pkg-config", "--modversion", "iso-codes"], capture_output=True, text=True).stdout.strip()
    check("exportlens_debug() names the iso-codes version (%s)" % iso,
          iso and lines.get("iso-codes") == iso, d)
    check("exportlens_debug() names the Unicode version", re.fullmatch(r"\d+\.\d+\.\d+", lines.get("unicode", "")), d)
    check("exportlens_debug() names a build date", re.fullmatch(r"\d{4}-\d\d-\d\d", lines.get("build date", "")), d)


def packages():
    """make test installs what its tests need as root; a user gets the exact line."""
    out = subprocess.run(["make", "-s", "test-deps", "AS_ROOT=no",
                          "TEST_PACKAGES=python3 el-no-such-package-a el-no-such-package-b"],
                         cwd=ROOT, capture_output=True, text=True)
    check("a user without a package gets the exact apt-get line, and make stops",
          out.returncode != 0 and "  sudo apt-get install -y el-no-such-package-a el-no-such-package-b\n" in out.stdout,
          out.stdout + out.stderr)
    out = subprocess.run(["make", "-n", "-p", "test-deps"], cwd=ROOT, capture_output=True, text=True).stdout
    m = re.search(r"^TEST_PACKAGES := (.*)$", out, re.M)
    need = {"unixodbc", "libsqliteodbc", "python3-pyodbc", "python3-pandas", "jupyter-nbconvert",
            "python3-ipykernel", "python3-nbformat", "python3-matplotlib"}
    have = set(m.group(1).split()) if m else set()
    check("make test installs the ODBC driver, pyodbc, pandas, nbconvert and matplotlib",
          need <= have, sorted(need - have))
    rule = re.search(r"^test: (.*)$", out, re.M)
    check("make test depends on test-deps", rule and "test-deps" in rule.group(1).split(), rule and rule.group(0))


def trainers():
    """The C trainers behind `make models` compile (they are not part of `all`, so
    nothing else would notice when they rot). The test tier only: they take a while."""
    if os.environ.get("EL_TIER", "test") == "check":
        print("skip - build: the model trainers compile: the test tier checks it")
        return
    targets = ["%s/nlp/train_ud" % B, "%s/nlp/train_clusters" % B, "%s/nlp/bench_nlp" % B, "%s/ner_train" % B]
    out = subprocess.run(["make", "-s", "B=%s" % B] + targets, cwd=ROOT, capture_output=True, text=True)
    check("the model trainers behind make models compile (%d)" % len(targets),
          out.returncode == 0 and all(os.access(os.path.join(ROOT, t), os.X_OK) for t in targets),
          (out.stdout + out.stderr)[-600:])


guards()
packages()
warnings_and_dates()
unicode_tables()
debug_info()
trainers()
sys.exit(1 if failed else 0)
