/*
** libFuzzer target: the CSV reader and the sniffer on arbitrary bytes. The
** first byte picks the dialect (delimiter of one or two bytes, quote, escape, encoding, strict,
** skip, a small field limit); the rest is the file. Beyond what ASan/UBSan
** catch, it checks what the SQL layer relies on: fields lie inside the row
** arena and are NUL-terminated, rows are located on lines inside the input,
** the raw text of a row is bounded, and the sniffer's names are unique and
** non-empty.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_csvreader.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static int name_eq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a, y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
    if (x != y) return 0;
  }
  return *a == *b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const unsigned char delims[] = {',', ';', '\t', '|'};
  if (size < 1) return 0;
  unsigned sel = data[0];
  const char *z = (const char *)data + 1;
  size_t n = size - 1;
  char err[256];

  el_csv_dialect d;
  memset(&d, 0, sizeof d);
  d.delim = delims[sel & 3];
  d.quote = (sel & 4) ? '"' : '\'';
  d.escape = (sel & 8) ? '\\' : 0;
  d.encoding = (sel >> 4) % 3;
  d.strict = (sel & 0x40) != 0;
  d.skip = (sel & 0x80) ? 1 : 0;
  d.max_field = (sel & 0x20) ? 7 : 0;
  if ((sel & 0x13) == 0x03) {
    /* a delimiter of two bytes (given to the sniffer too) */
    memcpy(d.mdelim, "||", 2);
    d.mdelim_len = 2;
  }
  el_csv_reader *r = el_csv_open_mem(z, n, &d, err, sizeof err);
  FUZZ_ASSERT(r != NULL);
  el_csv_row row;
  int rc;
  long long rows = 0, prev_line = 0;
  while ((rc = el_csv_next(r, &row)) == 1) {
    rows++;
    FUZZ_ASSERT(row.n >= 1 && row.n <= row.nraw && row.n <= EL_CSV_MAX_FIELDS);
    for (int i = 0; i < row.n; i++) {
      const el_csv_field *f = &row.f[i];
      FUZZ_ASSERT(row.base[f->off + f->len] == 0);
      if (f->flags & EL_CSV_F_DROPPED) FUZZ_ASSERT(f->len == 0);
    }
    if (rows % 3 == 0 || row.err) {
      el_csv_locate(r, &row);
      FUZZ_ASSERT(row.line >= 1 && row.line >= prev_line);
      FUZZ_ASSERT(row.offset >= 0 && (size_t)row.offset <= n);
      prev_line = row.line;
      size_t rn;
      const char *raw = el_csv_raw(r, &rn);
      FUZZ_ASSERT(rn <= EL_CSV_RAW_MAX && raw[rn] == 0);
    }
    if (row.err) FUZZ_ASSERT(row.err_col >= 0 && row.err_col <= row.nraw);
    FUZZ_ASSERT(rows <= (long long)n + 1);
  }
  FUZZ_ASSERT(rc == 0 || rc == -1);
  if (rc < 0) FUZZ_ASSERT(el_csv_error(r)[0] != 0);
  el_csv_close(r);

  el_csv_sniff_opts o;
  memset(&o, 0, sizeof o);
  o.delim = (sel & 0x10) ? -1 : d.delim;
  memcpy(o.mdelim, d.mdelim, sizeof o.mdelim);
  o.mdelim_len = d.mdelim_len;
  /* dates always; a decimal comma and grouped thousands with bit 8 */
  o.dates = 1;
  if (sel & 0x08) {
    o.decimal = ',';
    memcpy(o.thousands, "\xe2\x80\x89", 3);
    o.thousands_len = 3;
    memcpy(o.datefmt, "DD.MM.YYYY", 11);
  }
  o.quote = -1;
  o.escape = -1;
  o.header = -1;
  o.skip = (sel & 0x80) ? -1 : 0;
  o.encoding = EL_CSV_ENC_AUTO;
  o.sample = (sel & 0x40) ? 0 : 50;
  o.null_empty = 1;
  o.data = z;
  o.ndata = n;
  el_csv_sniffed s;
  if (el_csv_sniff("fuzz", &o, &s, err, sizeof err) == 0) {
    FUZZ_ASSERT(s.ncols >= 1 && s.ncols <= EL_CSV_MAX_FIELDS);
    for (int i = 0; i < s.ncols; i++) {
      FUZZ_ASSERT(s.names[i] && s.names[i][0]);
      FUZZ_ASSERT((s.types[i] >= EL_CSV_TEXT && s.types[i] <= EL_CSV_REAL_LOOSE) ||
                  s.types[i] == EL_CSV_DATE || s.types[i] == EL_CSV_TIMESTAMP);
      for (int j = 0; j < i; j++) FUZZ_ASSERT(!name_eq(s.names[i], s.names[j]));
    }
    FUZZ_ASSERT(s.nsample <= EL_CSV_SAMPLE_ROWS);
    /* csv_import's one pass: types from the first rows, the rest checked
    ** while reading (el_csv_stat_*), must end where a whole-file sniff does */
    el_csv_sniff_opts of = o;
    el_csv_sniffed f;
    of.sample = 0;
    of.types_first = 1;
    if (o.sample == 0 && el_csv_sniff("fuzz", &of, &f, err, sizeof err) == 0) {
      FUZZ_ASSERT(f.ncols == s.ncols && f.header == s.header && f.d.delim == s.d.delim && f.d.skip == s.d.skip);
      el_csv_colstat *st = calloc((size_t)f.ncols, sizeof *st);
      el_csv_reader *rr = el_csv_open_mem(z, n, &f.d, err, sizeof err);
      FUZZ_ASSERT(st && rr);
      int skip_header = f.header, g;
      while ((g = el_csv_next(rr, &row)) == 1) {
        if (skip_header) { skip_header = 0; continue; }
        for (int i = 0; i < row.n && i < f.ncols; i++)
          el_csv_stat_field(&st[i], &of, row.base + row.f[i].off, row.f[i].len, (int)row.f[i].flags);
      }
      if (g == 0)
        for (int i = 0; i < f.ncols; i++) FUZZ_ASSERT(el_csv_stat_type(&st[i]) == s.types[i]);
      el_csv_close(rr);
      free(st);
      el_csv_sniffed_free(&f);
    }
    el_csv_sniffed_free(&s);
  }

  /* values: the parsers never read past n and agree with themselves */
  size_t m = n < 48 ? n : 48;
  int64_t iv;
  double dv;
  if (el_csv_parse_int(z, m, &iv)) FUZZ_ASSERT(el_csv_parse_real(z, m, &dv, NULL, NULL) || m > 15);
  (void)el_csv_looks_numeric(z, m);
  (void)el_csv_sqlite_numeric(z, m);
  return 0;
}
