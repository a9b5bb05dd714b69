"""Runs the Python test modules (tests/python/test_*.py) with no third-party
test framework. Every function named test_* is a check; it prints
"ok - name", "not ok - name: error" or "skip - name: reason".

Run from the repository root with a Python whose sqlite3 module can load
extensions (Debian's /usr/bin/python3): python3 tests/python/run.py [filter...]

EL_TIER=slow runs the slow tier instead: the tests marked @helpers.slow, and
every test of a module that sets TIERED = True (its inputs grow with the tier).
"""
import importlib.util
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import helpers  # noqa: E402


def main():
    failed = 0
    names = sorted(f for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))
    only = sys.argv[1:]
    slow_tier = helpers.TIER == "slow"
    for fname in names:
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(HERE, fname))
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except helpers.Skip as e:
            print("skip - %s: %s" % (fname, e))
            continue
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            is_slow = getattr(getattr(mod, name), "slow", False)
            if is_slow != slow_tier and not (slow_tier and getattr(mod, "TIERED", False)):
                continue
            label = "%s: %s" % (fname[5:-3], name[5:].replace("_", " "))
            if only and not any(o in label for o in only):
                continue
            try:
                getattr(mod, name)()
                print("ok - " + label, flush=True)
            except helpers.Skip as e:
                print("skip - %s: %s" % (label, e), flush=True)
            except Exception as e:  # noqa: BLE001 - report every failure
                failed += 1
                tb = traceback.format_exc().strip().splitlines()
                where = next((l.strip() for l in reversed(tb) if l.strip().startswith("File") and "tests/python" in l), "")
                print("not ok - %s: %s: %s %s" % (label, type(e).__name__, str(e)[:500], where), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
