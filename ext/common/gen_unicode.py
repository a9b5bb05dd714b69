#!/usr/bin/env python3
"""Generate the Unicode tables used by the exportlens tokenizer.

The output is committed as ext/common/el_unicode_data.h, so that the build
does not depend on the build host's Python. Regenerate it with
`make unicode-tables`, which runs
  python3 ext/common/gen_unicode.py > ext/common/el_unicode_data.h
The tables follow UNICODE_VERSION below: the script refuses to run on a Python
whose unicodedata is another version (changing the pin is a reviewed change,
with the regenerated table in the same commit). The tests check that the
committed file is what this script writes.

Each code point below EL_UC_LIMIT maps, through a two-stage table (blocks of
128 code points, identical blocks shared), to a record that holds:
  - its class (space, letter, digit, punct, symbol, other) and case flags;
  - the delta to its folded form (lower case, curly quotes to straight ones);
  - the delta to its folded form with diacritics removed (for FTS5).
Code points at or above the limit are class OTHER and fold to themselves.
"""
import sys
import unicodedata

# The Unicode version the committed tables follow (Python 3.11's unicodedata).
UNICODE_VERSION = "14.0.0"

LIMIT = 0x40000
BLOCK = 128

CLS_OTHER, CLS_SPACE, CLS_LETTER, CLS_DIGIT, CLS_PUNCT, CLS_SYMBOL = range(6)
F_UPPER, F_LOWER, F_MARK = 0x08, 0x10, 0x20

QUOTE_FOLD = {
    0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'", 0x2032: "'", 0xFF07: "'",
    0x201C: '"', 0x201D: '"', 0x201E: '"', 0x201F: '"', 0x2033: '"', 0xFF02: '"',
    0x00AB: '"', 0x00BB: '"',
}
# Letters whose base form is not reachable through NFD.
EXTRA_BASE = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l"}


def classify(cp):
    ch = chr(cp)
    cat = unicodedata.category(ch)
    if cp in (9, 10, 11, 12, 13) or cat in ("Zs", "Zl", "Zp") or cp == 0x85:
        return CLS_SPACE
    if cat[0] in "LM":
        cls = CLS_LETTER
    elif cat == "Nd":
        cls = CLS_DIGIT
    elif cat[0] == "N":
        cls = CLS_LETTER if cat == "Nl" else CLS_SYMBOL
    elif cat[0] == "P":
        cls = CLS_PUNCT
    elif cat[0] == "S":
        cls = CLS_SYMBOL
    else:
        return CLS_OTHER
    if cat[0] == "M":
        cls |= F_MARK
    if cat == "Lu" or cat == "Lt":
        cls |= F_UPPER
    elif cat == "Ll":
        cls |= F_LOWER
    return cls


def fold(cp):
    if cp in QUOTE_FOLD:
        return ord(QUOTE_FOLD[cp])
    ch = chr(cp)
    low = ch.lower()
    if len(low) == 1:
        return ord(low)
    # a lower case of several code points that is one letter and its marks
    # ("İ" -> "i" + combining dot above): the letter, as Turkish writes it
    if len(low) > 1 and all(unicodedata.category(c) == "Mn" for c in low[1:]):
        return ord(low[0])
    return cp


def strip_diacritics(cp):
    ch = chr(cp)
    if ch in EXTRA_BASE:
        return ord(EXTRA_BASE[ch])
    if unicodedata.category(ch)[0] == "M":
        return cp  # a lone mark stays; the tokenizer drops marks in FTS mode
    d = unicodedata.normalize("NFD", ch)
    if len(d) > 1 and all(unicodedata.category(c) == "Mn" for c in d[1:]):
        return ord(d[0])
    return cp


def main():
    if unicodedata.unidata_version != UNICODE_VERSION:
        sys.exit("gen_unicode.py: this Python's unicodedata is Unicode %s, the tables are pinned to %s; "
                 "run it with a Python that has %s, or change UNICODE_VERSION on purpose"
                 % (unicodedata.unidata_version, UNICODE_VERSION, UNICODE_VERSION))
    records = {}
    rec_list = []
    blocks = {}
    block_list = []
    stage1 = []
    for b in range(LIMIT // BLOCK):
        row = []
        for cp in range(b * BLOCK, (b + 1) * BLOCK):
            if 0xD800 <= cp <= 0xDFFF:
                rec = (CLS_OTHER, 0, 0)
            else:
                c = classify(cp)
                f = fold(cp)
                nd = strip_diacritics(f)
                rec = (c, f - cp, nd - cp)
            if rec not in records:
                records[rec] = len(rec_list)
                rec_list.append(rec)
            row.append(records[rec])
        key = tuple(row)
        if key not in blocks:
            blocks[key] = len(block_list)
            block_list.append(key)
        stage1.append(blocks[key])

    out = sys.stdout
    out.write("/*\n** GENERATED FILE, DO NOT EDIT. Written by ext/common/gen_unicode.py from\n"
              "** Unicode %s (Python's unicodedata); regenerate with `make unicode-tables`.\n*/\n"
              % UNICODE_VERSION)
    out.write("#ifndef EL_COMMON_EL_UNICODE_DATA_H\n#define EL_COMMON_EL_UNICODE_DATA_H\n")
    out.write("#define EL_UC_LIMIT 0x%X\n#define EL_UC_BLOCK_SHIFT 7\n" % LIMIT)
    out.write('#define EL_UC_VERSION "%s"\n' % UNICODE_VERSION)
    out.write("static const el_uc_record el_uc_records[%d] = {\n" % len(rec_list))
    for c, f, nd in rec_list:
        out.write("  {%d, %d, %d},\n" % (c, f, nd))
    out.write("};\n")
    st = "uint8_t" if len(block_list) < 256 else "uint16_t"
    out.write("static const %s el_uc_stage1[%d] = {\n" % (st, len(stage1)))
    for i in range(0, len(stage1), 16):
        out.write("  " + ",".join(str(x) for x in stage1[i:i + 16]) + ",\n")
    out.write("};\n")
    rt = "uint8_t" if len(rec_list) < 256 else "uint16_t"
    out.write("static const %s el_uc_stage2[%d][%d] = {\n" % (rt, len(block_list), BLOCK))
    for blk in block_list:
        out.write("  {" + ",".join(str(x) for x in blk) + "},\n")
    out.write("};\n")
    out.write("const uint8_t el_uc_ascii[128] = {\n")
    out.write("  " + ",".join(str(classify(cp)) for cp in range(128)) + "\n};\n")
    out.write("#endif\n")


if __name__ == "__main__":
    main()
