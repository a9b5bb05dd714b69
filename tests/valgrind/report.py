"""Reads a valgrind memcheck XML file (--xml=yes) and prints one test line.

    python3 tests/valgrind/report.py memcheck.xml build/exportlens.so [label]

Python, numpy and pandas leak a little at exit by design; those records are
counted but not failed. Any error (invalid read or write, uninitialised value,
bad free ...) and any definite or indirect leak whose stack passes through the
extension fails, and its first stack is printed.
"""
import os
import sys
import xml.etree.ElementTree as ET


def main():
    path, lib = sys.argv[1], os.path.basename(sys.argv[2])
    label = sys.argv[3] if len(sys.argv) > 3 else "valgrind python"
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print("not ok - %s: no valgrind report (%s)" % (label, e))
        return 1
    ours, others = [], 0
    for err in root.iter("error"):
        frames = [(f.findtext("obj") or "", f.findtext("fn") or "?", f.findtext("file") or "",
                   f.findtext("line") or "") for f in err.iter("frame")]
        if any(os.path.basename(obj) == lib for obj, _, _, _ in frames):
            ours.append((err, frames))
        else:
            others += 1
    if not ours:
        print("ok - %s: no error or leak in a stack through %s (%d records of Python's own ignored)"
              % (label, lib, others))
        return 0
    err, frames = ours[0]
    what = err.findtext("xwhat/text") or err.findtext("what") or err.findtext("kind")
    stack = "; ".join("%s %s:%s" % (fn, file, line) if file else fn for _, fn, file, line in frames[:12])
    print("not ok - %s: %d records through %s; first: %s at %s" % (label, len(ours), lib, what, stack))
    return 1


if __name__ == "__main__":
    sys.exit(main())
