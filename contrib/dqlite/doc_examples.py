#!/usr/bin/python3
"""Runs the example block of docs/scale.md on a running cluster and compares
the output (called by contrib/dqlite/test_cluster.sh).

    doc_examples.py DOC EXE CLUSTER

The block is the ```console block after the line
"<!-- make test-dqlite runs the commands of the next block ... -->". A line
"$ build/exportlens-dqlite ..." is a command (the documented cluster
addresses are replaced by CLUSTER); the lines after it, up to the next "$ ",
are its expected output. Prints what differs; exits with the number of
commands whose output differed.
"""
import re
import shlex
import subprocess
import sys

DOC_CLUSTER = "127.0.0.1:9001,127.0.0.1:9002,127.0.0.1:9003"


def main():
    doc, exe, cluster = sys.argv[1:4]
    text = open(doc, encoding="utf-8").read()
    m = re.search(r"<!-- make test-dqlite runs the commands of the next block[^\n]*-->\n```console\n(.*?)```", text, re.S)
    if not m:
        print("no example block in %s" % doc)
        return 1
    examples = []
    for line in m.group(1).splitlines():
        if line.startswith("$ "):
            examples.append([line[2:], []])
        elif examples:
            examples[-1][1].append(line)
    bad = 0
    for cmd, want in examples:
        argv = shlex.split(cmd.replace(DOC_CLUSTER, cluster))
        if argv[0] != "build/exportlens-dqlite":
            print("example is not an exportlens-dqlite command: %s" % cmd)
            bad += 1
            continue
        argv[0] = exe
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        got = r.stdout.splitlines()
        if r.returncode != 0 or got != want:
            print("example differs: %s\n  want: %r\n  got:  %r %s" % (cmd, want, got, r.stderr.strip()))
            bad += 1
    print("%d examples run" % len(examples))
    return min(bad, 100) if examples else 1


if __name__ == "__main__":
    sys.exit(main())
