"""Shared helpers of the build-time generators that turn word lists and small
tables into C headers under build/gen (ext/csv/gen_months.py,
ext/entities/gen_entities.py, ext/quotes/gen_quote_words.py,
ext/screen/gen_screen_words.py, ext/terms/gen_lexicon.py,
ext/text/gen_text_words.py). Standard library only.

The generators run as `python3 ext/X/gen_Y.py ...` from the repository root and
import this module with

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
    import genwords

Every module.mk rule that runs one of them lists ext/common/genwords.py as a
prerequisite (GENWORDS), so a change here regenerates the headers.

Reading. A bad entry stops the build with "FILE:LINE: message" (fail()):
  data_lines(path)       (lineno, line) of a table: the line without its newline;
                         blank lines and lines starting with '#' are skipped
  rows(path, ncols)      (lineno, cols) of a TAB-separated table of at most ncols
                         columns, stripped and padded with "" to ncols
  word_lines(path)       (lineno, word) of a one-word-a-line file: the stripped
                         line; blank lines and '#' comments skipped
  read_words(path, ...)  the words of such a file, checked (ASCII, no white
                         space, optionally lower case, no quotes, a pattern,
                         bytewise order), unique and at least one
  Unique(path)           collects entries, rejecting one seen before

Emitting:
  c_string(s)            a C string literal (None: NULL)
  string_array(var, ...) `[static ]const char *const var[n] = {...};`, optionally
                         NULL-terminated and preceded by `#define VAR_COUNT n`
"""
import re
import sys


def fail(path, lineno, message):
    """Stop the build: "path:lineno: message" (lineno None: "path: message")."""
    if lineno is None:
        sys.exit("%s: %s" % (path, message))
    sys.exit("%s:%d: %s" % (path, lineno, message))


def data_lines(path):
    """(lineno, line) for each line of a table that is neither blank nor a
    comment (starting with '#'); line keeps everything but its newline."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield lineno, line


def rows(path, ncols):
    """(lineno, cols) for each row of a TAB-separated table: more than ncols
    columns stops the build; fewer are padded with ""; each column stripped."""
    for lineno, line in data_lines(path):
        cols = line.split("\t")
        if len(cols) > ncols:
            fail(path, lineno, "more than %d columns" % ncols)
        cols += [""] * (ncols - len(cols))
        yield lineno, [c.strip() for c in cols]


def word_lines(path):
    """(lineno, word) for each line of a one-word-a-line file: the line
    stripped; blank lines and comments (starting with '#') skipped."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            w = line.strip()
            if not w or w.startswith("#"):
                continue
            yield lineno, w


class Unique:
    """Entries in order, each once: add() stops the build on an entry seen
    before in this list (fold_case: in any letter case); `where` ends the
    message (" in list qualifier")."""

    def __init__(self, path, fold_case=False, where=""):
        self.path, self.fold_case, self.where = path, fold_case, where
        self.keys, self.items = set(), []

    def add(self, lineno, entry, key=None):
        if key is None:
            key = entry.lower() if self.fold_case else entry
        if key in self.keys:
            fail(self.path, lineno, "%r listed twice%s" % (entry, self.where))
        self.keys.add(key)
        self.items.append(entry)


def read_words(path, lower=False, no_quotes=False, pattern=None, sort=False,
               fold_case=False):
    """The words of a one-word-a-line file, in order. Each is ASCII with no
    white space (pattern: a regular expression it must match instead); lower:
    no upper-case letter; no_quotes: no '"' or backslash. A word twice (fold_case:
    in any case), with sort a word before the previous one bytewise, or a file
    without words stops the build."""
    if pattern:
        what = "one word a line matching %s" % pattern
    else:
        what = "one %sASCII word a line%s" % ("lower-case " if lower else "",
                                               ", no quotes or backslashes" if no_quotes else "")
    seen = Unique(path, fold_case)
    for lineno, w in word_lines(path):
        if pattern:
            bad = not re.fullmatch(pattern, w)
        else:
            bad = any(c.isspace() for c in w) or not w.isascii()
            bad = bad or (no_quotes and ('"' in w or "\\" in w))
        if bad or (lower and w != w.lower()):
            fail(path, lineno, what)
        seen.add(lineno, w)
        if sort and len(seen.items) > 1 and w.encode() < seen.items[-2].encode():
            fail(path, lineno, "%r out of order: the list is sorted bytewise" % w)
    if not seen.items:
        fail(path, None, "no words")
    return seen.items


def c_string(s):
    """s as a C string literal: '"' and backslash escaped, bytes outside
    printable ASCII and '?' (no trigraphs) as octal escapes. None: NULL."""
    if s is None:
        return "NULL"
    out = []
    for ch in s.encode("utf-8"):
        if ch in (0x22, 0x5C):
            out.append("\\" + chr(ch))
        elif 0x20 <= ch < 0x7F and ch != 0x3F:
            out.append(chr(ch))
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


def string_array(var, items, per_line=1, end="", static=True, size=True, count=False):
    """The C array `[static ]const char *const var[n] = {...};` of items, per_line
    literals a line, each followed by a comma; no trailing newline.
    end: what follows the last item's comma: "" (no terminator), "\\n  NULL",
    "\\n  NULL," (a NULL line) or " NULL" (on the last item's line). n counts the
    items and a NULL terminator; size=False leaves it out (`var[]`).
    count: `#define VAR_COUNT len(items)` first (VAR: var in upper case)."""
    out = []
    if count:
        out.append("#define %s_COUNT %d" % (var.upper(), len(items)))
    n = len(items) + (1 if "NULL" in end else 0)
    out.append("%sconst char *const %s[%s] = {" % ("static " if static else "", var,
                                                   n if size else ""))
    body = "\n".join("  " + ", ".join(c_string(w) for w in items[i:i + per_line]) + ","
                     for i in range(0, len(items), per_line))
    out.append(body + end if body else end.lstrip("\n"))
    out.append("};")
    return "\n".join(x for x in out if x)
