/*
** Unit tests of the CSV core (no SQLite): value classification, the reader
** (line endings, quoting, encodings, limits, bad rows, row locations), the
** sniffer (delimiter, preamble, header, types, names), what files are read
** at all, and every allocation failing in turn.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "el_alloc.h"
#include "el_csvreader.h"

#include "check.h"

/* Read all rows of data; fields joined with '|' and rows with '/'. */
static int read_all(const char *data, size_t n, const el_csv_dialect *d, char *out, size_t cap,
                    int *nrows, int *first_err) {
  char err[256];
  el_csv_reader *r = el_csv_open_mem(data, n, d, err, sizeof err);
  if (!r) return -1;
  el_csv_row row;
  int rc;
  size_t k = 0;
  *nrows = 0;
  if (first_err) *first_err = 0;
  out[0] = 0;
  while ((rc = el_csv_next(r, &row)) == 1) {
    (*nrows)++;
    if (first_err && !*first_err && row.err) *first_err = row.err;
    for (int i = 0; i < row.n; i++) {
      k += (size_t)snprintf(out + k, k < cap ? cap - k : 0, "%s%s", i ? "|" : (*nrows > 1 ? "/" : ""),
                            row.base + row.f[i].off);
      if (k >= cap) k = cap - 1;
    }
  }
  el_csv_close(r);
  return rc;
}

static el_csv_dialect dialect(char delim) {
  el_csv_dialect d;
  memset(&d, 0, sizeof d);
  d.delim = (unsigned char)delim;
  d.quote = '"';
  return d;
}

static void test_values(void) {
  int64_t iv;
  double dv;
  check(el_csv_parse_int("123", 3, &iv) && iv == 123, "int: 123", "not parsed");
  check(el_csv_parse_int("-9223372036854775808", 20, &iv) && iv == INT64_MIN, "int: int64 min", "not parsed");
  check(!el_csv_parse_int("9223372036854775808", 19, &iv), "int: overflow is not an integer", "accepted");
  check(!el_csv_parse_int("00123", 5, &iv), "int: leading zeros stay text", "accepted");
  check(!el_csv_parse_int("06", 2, &iv), "int: 06 stays text", "accepted");
  check(!el_csv_parse_int("-0", 2, &iv) && !el_csv_parse_int("+5", 2, &iv), "int: -0 and +5 are not canonical", "accepted");
  check(!el_csv_parse_int("1,234", 5, &iv), "int: thousands separators are text", "accepted");
  check(el_csv_parse_real("48.2565227414909", 16, &dv, NULL, NULL) == 1 && dv == 48.2565227414909,
        "real: 15 significant digits", "wrong");
  check(el_csv_parse_real("0.30000000000000004", 19, &dv, NULL, NULL) == 1 && dv == 0.30000000000000004,
        "real: 17 digits that round-trip", "wrong");
  check(el_csv_parse_real("0.12345678901234567890", 22, &dv, NULL, NULL) == 0, "real: 20 digits are text", "accepted");
  check(el_csv_parse_real("1.50", 4, &dv, NULL, NULL) == 2 && dv == 1.5, "real: 1.50 is loose", "wrong");
  check(el_csv_parse_real(".5", 2, &dv, NULL, NULL) == 2, "real: .5 is loose", "wrong");
  check(el_csv_parse_real("1.0", 3, &dv, NULL, NULL) == 1, "real: 1.0 is canonical", "wrong");
  check(el_csv_parse_real("1e-05", 5, &dv, NULL, NULL) == 1 && dv == 1e-05, "real: exponent", "wrong");
  check(el_csv_parse_real("06.5", 4, &dv, NULL, NULL) == 0, "real: 06.5 is a code", "accepted");
  check(el_csv_parse_real("-0.0", 4, &dv, NULL, NULL) == 0, "real: -0.0 keeps its sign as text", "accepted");
  check(el_csv_parse_real("1e999", 5, &dv, NULL, NULL) == 0, "real: overflow is text", "accepted");
  check(el_csv_parse_real("nan", 3, &dv, NULL, NULL) == 0 && el_csv_parse_real("inf", 3, &dv, NULL, NULL) == 0,
        "real: nan and inf are text", "accepted");
  check(el_csv_parse_real("3A090", 5, &dv, NULL, NULL) == 0, "real: 3A090 is text", "accepted");
  char *names[5];
  const char *in[5] = {"a", "A", "", "a_1", "b"};
  for (int i = 0; i < 5; i++) names[i] = el_strndup(in[i], strlen(in[i]));
  el_csv_fix_names(names, 5);
  check(!strcmp(names[0], "a") && !strcmp(names[1], "A_2") && !strcmp(names[2], "column3") &&
        !strcmp(names[3], "a_1") && !strcmp(names[4], "b"), "names: unique and generated", names[1]);
  for (int i = 0; i < 5; i++) el_free(names[i]);

  /* SQLite's numeric affinity: what it would turn into a number */
  static const char *const numeric[] = {"00123", " 12", "12 ", "+5", "1e5", "5.", ".5", "-0", "1E+03", "\t7\n"};
  static const char *const text[] = {"abc", "0x1F", "1e", "1,5", ".", "-", "", "12a", "inf", "1 2"};
  int okn = 1;
  for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++) okn &= el_csv_sqlite_numeric(numeric[i], strlen(numeric[i]));
  for (size_t i = 0; i < sizeof text / sizeof *text; i++) okn &= !el_csv_sqlite_numeric(text[i], strlen(text[i]));
  check(okn, "values: SQLite's numeric affinity test", "wrong");
}

/* Duplicate names at scale: 100,000 copies of "a" and a few names in the way.
** The old pairwise search took cubic time (8 s for 2,000 names). */
static void test_names_scale(void) {
  int n = 100000;
  char **names = el_calloc((size_t)n, sizeof *names);
  for (int i = 0; i < n; i++) {
    const char *z = i == 5 ? "a_3" : i == 9 ? "A_7" : i == 11 ? "" : "a";
    names[i] = el_strndup(z, strlen(z));
  }
  clock_t t0 = clock();
  int rc = el_csv_fix_names(names, n);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  int ok = rc == 0 && !strcmp(names[0], "a") && !strcmp(names[1], "a_1") && !strcmp(names[3], "a_4") &&
           !strcmp(names[5], "a_3") && !strcmp(names[6], "a_6") && !strcmp(names[7], "a_8") &&
           !strcmp(names[8], "a_9") && !strcmp(names[10], "a_10") && !strcmp(names[n - 1], "a_99998") &&
           !strcmp(names[9], "A_7") && !strcmp(names[11], "column12");
  for (int i = 0; i < n && ok; i++) ok = names[i] && names[i][0];
  char buf[64];
  snprintf(buf, sizeof buf, "%.3f s", secs);
  check(ok, "names: 100,000 repeats get the first free suffixes", buf);
  for (int i = 0; i < n; i++) el_free(names[i]);
  el_free(names);
}

static void test_reader(void) {
  char out[4096];
  int n, e;
  el_csv_dialect d = dialect(',');
  const char *crlf = "a,b\r\n1,\"x,y\"\r\n2,\"line\r\nnext\"\r\n3,\"say \"\"hi\"\"\"\r\n";
  read_all(crlf, strlen(crlf), &d, out, sizeof out, &n, NULL);
  check(n == 4 && !strcmp(out, "a|b/1|x,y/2|line\r\nnext/3|say \"hi\""), "reader: CRLF, quoted delimiter, newline, quotes", out);
  const char *cr = "a,b\r1,2\r3,4";
  read_all(cr, strlen(cr), &d, out, sizeof out, &n, NULL);
  check(n == 3 && !strcmp(out, "a|b/1|2/3|4"), "reader: CR-only line ends, no final newline", out);
  const char *blank = "a\n\n\nb\n\n";
  read_all(blank, strlen(blank), &d, out, sizeof out, &n, NULL);
  check(n == 2 && !strcmp(out, "a/b"), "reader: blank lines are skipped", out);
  const char *sp = "  a  , b\n";
  read_all(sp, strlen(sp), &d, out, sizeof out, &n, NULL);
  check(!strcmp(out, "  a  | b"), "reader: blanks are kept", out);
  const char *sp2 = "a,b\n x , y \n1,\t2\t\n";
  read_all(sp2, strlen(sp2), &d, out, sizeof out, &n, NULL);
  check(n == 3 && !strcmp(out, "a|b/ x | y /1|\t2\t"), "reader: blanks are kept in bulk-read lines", out);
  const char *lat2 = "a,b\nx,1\nC\xf4te,2\nT\xfcrkiye,3\n";
  el_csv_dialect da = d;
  da.encoding = EL_CSV_ENC_AUTO;
  read_all(lat2, strlen(lat2), &da, out, sizeof out, &n, NULL);
  check(n == 4 && !strcmp(out, "a|b/x|1/C\xc3\xb4te|2/T\xc3\xbcrkiye|3"), "reader: Latin-1 in bulk-read lines", out);
  el_csv_dialect db = d;
  db.max_bytes = 8;
  const char *pref = "a,b\nc,d\ne,f\n";
  read_all(pref, strlen(pref), &db, out, sizeof out, &n, NULL);
  check(n == 2 && !strcmp(out, "a|b/c|d"), "reader: max_bytes reads a prefix (sniffing passes)", out);
  read_all("", 0, &d, out, sizeof out, &n, NULL);
  check(n == 0, "reader: empty input has no rows", out);
  const char *bom = "\xef\xbb\xbfx,y\n1,2\n";
  read_all(bom, strlen(bom), &d, out, sizeof out, &n, NULL);
  check(!strcmp(out, "x|y/1|2"), "reader: BOM dropped", out);
  const char *lat = "C\xf4te d'Ivoire,1\n";
  el_csv_dialect dl = d;
  dl.encoding = EL_CSV_ENC_AUTO;
  read_all(lat, strlen(lat), &dl, out, sizeof out, &n, NULL);
  check(!strcmp(out, "C\xc3\xb4te d'Ivoire|1"), "reader: Latin-1 detected and transcoded", out);
  const char *w1252 = "q,v\n\x93quoted\x94 \x80\x35,1\n";
  read_all(w1252, strlen(w1252), &dl, out, sizeof out, &n, NULL);
  check(!strcmp(out, "q|v/\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac" "5|1"),
        "reader: bytes 0x80-0x9F of Latin-1 read as Windows-1252", out);
  dl.encoding = EL_CSV_ENC_UTF8;
  read_all(lat, strlen(lat), &dl, out, sizeof out, &n, &e);
  check(e == EL_CSV_EUTF8, "reader: invalid UTF-8 flagged when utf8 is forced", el_csv_errstr(e));
  const char *nul = "a,b\x00" "c\n";
  read_all(nul, 6, &d, out, sizeof out, &n, &e);
  check(e == EL_CSV_ENUL, "reader: NUL byte flagged", el_csv_errstr(e));
  const char *unterminated = "a,\"open\n";
  read_all(unterminated, strlen(unterminated), &d, out, sizeof out, &n, &e);
  check(e == EL_CSV_EQUOTE && !strcmp(out, "a|open\n"), "reader: unterminated quote keeps the text", out);
  {
    /* a quote left open on line 2 swallows the lines after it, even past the
    ** field limit: the row says EQUOTE, and the reader's line tells how far */
    el_csv_dialect du = d;
    du.max_field = 8;
    const char *sw = "h1,h2\n1,\"x\n2,abcdefghijklmnop\n3,4\n";
    el_csv_reader *ru = el_csv_open_mem(sw, strlen(sw), &du, out, sizeof out);
    el_csv_row rw;
    int k = 0, last_err = 0;
    long long line = 0;
    while (el_csv_next(ru, &rw) == 1) {
      k++;
      el_csv_locate(ru, &rw);
      last_err = rw.err;
      line = rw.line;
    }
    check(k == 2 && last_err == EL_CSV_EQUOTE && line == 2 && el_csv_line(ru) == 4,
          "reader: a quote left open swallows lines 2 to 4, even past max_field", el_csv_errstr(last_err));
    el_csv_close(ru);
  }
  el_csv_dialect ds = d;
  ds.strict = 1;
  const char *badq = "a,b\n\"x\"y,z\n";
  int rc = read_all(badq, strlen(badq), &ds, out, sizeof out, &n, NULL);
  check(rc < 0, "reader: strict mode stops at malformed quoting", out);
  el_csv_dialect de = d;
  de.escape = '\\';
  const char *esc = "1,\"a \\\"b\\\" \\\\ c\"\n";
  read_all(esc, strlen(esc), &de, out, sizeof out, &n, NULL);
  check(!strcmp(out, "1|a \"b\" \\ c"), "reader: backslash escapes", out);
  el_csv_dialect dk = d;
  dk.skip = 2;
  const char *pre = "meta one\n\"meta, two\"\nh1,h2\n1,2\n";
  read_all(pre, strlen(pre), &dk, out, sizeof out, &n, NULL);
  check(n == 2 && !strcmp(out, "h1|h2/1|2"), "reader: skip lines", out);
  el_csv_dialect dt = dialect('\t');
  const char *tsv = "a b\tc\n1\t2\n";
  read_all(tsv, strlen(tsv), &dt, out, sizeof out, &n, NULL);
  check(!strcmp(out, "a b|c/1|2"), "reader: tab delimiter", out);

  /* a field over the limit is dropped and flagged, the row goes on */
  el_csv_dialect dm = d;
  dm.max_field = 100;
  size_t big = 300000;
  char *buf = malloc(big + 64);
  size_t k = 0;
  k += (size_t)sprintf(buf, "x,\"");
  memset(buf + k, 'z', big);
  k += big;
  k += (size_t)sprintf(buf + k, "\",y\nnext,row,ok\n");
  read_all(buf, k, &dm, out, sizeof out, &n, &e);
  check(n == 2 && e == EL_CSV_ETOOLONG && !strcmp(out, "x||y/next|row|ok"), "reader: field over the limit", out);
  dm.max_field = 0;
  el_csv_reader *r = el_csv_open_mem(buf, k, &dm, out, sizeof out);
  el_csv_row row;
  el_csv_next(r, &row);
  check(row.n == 3 && row.f[1].len == big && row.err == 0, "reader: a 300 KB field under the default limit", "wrong length");
  el_csv_close(r);
  free(buf);

  /* rows are located on their line, in bulk-read runs too */
  const char *loc = "h1,h2\n1,2\n\n3,4,5\n\"q\nq\",6\n7,8\n";
  r = el_csv_open_mem(loc, strlen(loc), &d, out, sizeof out);
  long long lines[8] = {0}, offs[8] = {0};
  int i = 0;
  while (i < 8 && el_csv_next(r, &row) == 1) {
    el_csv_locate(r, &row);
    lines[i] = row.line;
    offs[i] = row.offset;
    i++;
  }
  size_t rn;
  const char *raw = el_csv_raw(r, &rn);
  check(i == 5 && lines[0] == 1 && lines[1] == 2 && lines[2] == 4 && lines[3] == 5 && lines[4] == 7 &&
        offs[2] == 11 && offs[4] == 25, "reader: row lines and offsets", "wrong");
  check(rn == 3 && !strcmp(raw, "7,8"), "reader: raw text of a row", raw);
  el_csv_close(r);
}

/* A file larger than the block buffer, read from disk. */
static void test_file(void) {
  char path[] = "/tmp/el_csv_testXXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) { check(0, "file: temp file", "mkstemp failed"); return; }
  FILE *fp = fdopen(fd, "wb");
  fprintf(fp, "id,name,value\r\n");
  long rows = 60000;
  for (long i = 0; i < rows; i++) {
    if (i % 1000 == 7) fprintf(fp, "%ld,\"multi\nline, %ld\",%ld.5\r\n", i, i, i);
    else fprintf(fp, "%ld,name %ld,%ld.5\r\n", i, i, i);
  }
  fclose(fp);
  el_csv_sniff_opts o;
  memset(&o, 0, sizeof o);
  o.delim = o.quote = o.escape = o.header = -1;
  o.skip = -1;
  o.sample = 0;
  o.null_empty = 1;
  el_csv_sniffed s;
  char err[256];
  int rc = el_csv_sniff(path, &o, &s, err, sizeof err);
  check(rc == 0 && s.header == 1 && s.ncols == 3 && s.types[0] == EL_CSV_INTEGER &&
        s.types[1] == EL_CSV_TEXT && s.types[2] == EL_CSV_REAL && s.rows_sampled == rows,
        "file: sniff a 1.5 MB file with sample=all", err);
  el_csv_reader *r = el_csv_open(path, &s.d, err, sizeof err);
  el_csv_row row;
  long n = 0, bad = 0;
  el_csv_next(r, &row); /* header */
  while (el_csv_next(r, &row) == 1) {
    long id = atol(row.base + row.f[0].off);
    if (id != n || row.n != 3) bad++;
    if (n == 59007) {
      el_csv_locate(r, &row);
      /* line = 1 header + 59007 rows + 59 earlier rows with two lines */
      if (row.line != 1 + 59007 + 59 + 1 || strcmp(row.base + row.f[1].off, "multi\nline, 59007")) bad++;
    }
    n++;
  }
  check(n == rows && bad == 0, "file: every row across block boundaries", "mismatch");
  el_csv_close(r);
  if (rc == 0) el_csv_sniffed_free(&s);
  unlink(path);
}

static int sniff_mem(const char *data, el_csv_sniffed *s, int header, long long skip) {
  el_csv_sniff_opts o;
  char err[256];
  memset(&o, 0, sizeof o);
  o.delim = o.quote = o.escape = -1;
  o.header = header;
  o.skip = skip;
  o.sample = 1000;
  o.null_empty = 1;
  o.data = data;
  o.ndata = strlen(data);
  return el_csv_sniff("mem", &o, s, err, sizeof err);
}

static void test_sniff(void) {
  el_csv_sniffed s;
  const char *wdi =
      "\"Data Source\",\"Indicators\",\r\n\r\n\"Last Updated Date\",\"2023-10-26\",\r\n\r\n"
      "\"Country Name\",\"Country Code\",\"2021\",\"2022\",\r\n"
      "\"Korea, Rep.\",\"KOR\",\"44.1\",\"48.2565227414909\",\r\n\"Chile\",\"CHL\",\"31.6\",\"\",\r\n";
  int rc = sniff_mem(wdi, &s, -1, -1);
  check(rc == 0 && s.d.skip == 4 && s.header && s.ncols == 5 && !strcmp(s.names[0], "Country Name") &&
        !strcmp(s.names[3], "2022") && !strcmp(s.names[4], "column5") && s.types[3] == EL_CSV_REAL &&
        s.types[0] == EL_CSV_TEXT, "sniff: preamble, header, trailing empty column", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("a;b;c\n1,5;x;2\n2,5;y;3\n", &s, -1, -1);
  check(rc == 0 && s.d.delim == ';' && s.ncols == 3 && s.types[0] == EL_CSV_TEXT && s.types[2] == EL_CSV_INTEGER,
        "sniff: semicolon, decimal comma stays text", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("1|2|3\n4|5|6\n", &s, -1, -1);
  check(rc == 0 && s.d.delim == '|' && s.header == 0 && !strcmp(s.names[0], "column1"),
        "sniff: pipe, no header when the first row is numeric", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("code,qty\n00123,5\n06,7\n3A090,8\n", &s, -1, -1);
  check(rc == 0 && s.header && s.types[0] == EL_CSV_TEXT && s.types[1] == EL_CSV_INTEGER,
        "sniff: codes with leading zeros stay text", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("period,v\n2001.01,1\n2001.10,2\n2001.12,3\n", &s, -1, -1);
  check(rc == 0 && s.types[0] == EL_CSV_TEXT, "sniff: 2001.10 (a month) keeps its column text", "REAL");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("lat,v\n42.4225000,1\n7.3666667,2\n-116.54,3\n", &s, -1, -1);
  check(rc == 0 && s.types[0] == EL_CSV_REAL_LOOSE, "sniff: measurements with trailing zeros are REAL", "TEXT");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("name,city\nAnn,Seoul\nBo,Busan\n", &s, -1, -1);
  check(rc == 0 && s.header == 1, "sniff: all-text header", "no header");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("Seoul,Korea\nBusan,Korea\n", &s, -1, -1);
  check(rc == 0 && s.header == 0, "sniff: all-text data repeating a value has no header", "header");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("h1,h2\n", &s, -1, -1);
  check(rc == 0 && s.header == 1 && s.ncols == 2 && s.rows_sampled == 0, "sniff: header-only file", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("", &s, -1, -1);
  check(rc == 0 && s.ncols == 1 && s.rows_sampled == 0, "sniff: empty file", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("id,q\n1,\"a \\\"b\\\"\"\n2,\"c\"\n", &s, -1, -1);
  check(rc == 0 && s.d.escape == '\\', "sniff: backslash escapes detected", "no");
  if (rc == 0) el_csv_sniffed_free(&s);
  rc = sniff_mem("a,b,c\n1,2,3\n4,5\n6,7,8,9\n", &s, -1, -1);
  check(rc == 0 && s.ncols == 3 && s.rejects_sampled == 2, "sniff: ragged rows counted as rejects", "wrong");
  if (rc == 0) el_csv_sniffed_free(&s);
}

/* Only regular files are read: the rest is refused by name before a byte is
** read, and a FIFO cannot block the open. */
static void test_sources(void) {
  char err[256];
  el_csv_dialect d = dialect(',');
  el_csv_reader *r = el_csv_open("/dev/zero", &d, err, sizeof err);
  check(!r && strstr(err, "/dev/zero: it is a character device"), "sources: /dev/zero refused", err);
  r = el_csv_open("/dev/null", &d, err, sizeof err);
  check(!r && strstr(err, "it is a character device"), "sources: /dev/null refused", err);
  r = el_csv_open("/tmp", &d, err, sizeof err);
  check(!r && strstr(err, "it is a directory"), "sources: a directory refused", err);
  char fifo[] = "/tmp/el_csv_fifoXXXXXX";
  int fd = mkstemp(fifo);
  if (fd >= 0) {
    close(fd);
    unlink(fifo);
    if (mkfifo(fifo, 0600) == 0) {
      r = el_csv_open(fifo, &d, err, sizeof err);
      check(!r && strstr(err, "it is a pipe (FIFO)"), "sources: a FIFO with no writer refused at once", err);
      unsigned char b[4];
      check(el_csv_read_head(fifo, b, sizeof b, err, sizeof err) < 0, "sources: nor read for its head", err);
      unlink(fifo);
    }
  }
  if (r) el_csv_close(r);
}

/* --- allocation failures ---------------------------------------------------- */
/* An allocator that fails the n-th allocation (and, when persistent, every one
** after it), and counts the blocks alive. */
static long fail_at, alloc_count, live;
static int fail_persist;

static int fail_now(void) {
  alloc_count++;
  return fail_at > 0 && (alloc_count == fail_at || (fail_persist && alloc_count > fail_at));
}
static void *t_malloc(size_t n) {
  if (fail_now()) return NULL;
  void *p = malloc(n);
  if (p) live++;
  return p;
}
static void *t_realloc(void *p, size_t n) {
  if (fail_now()) return NULL;
  void *q = realloc(p, n);
  if (q && !p) live++;
  return q;
}
static void t_free(void *p) {
  if (p) live--;
  free(p);
}

/* One sniff and one full read of data: a string summing up the result, or
** "ERR:<message>". */
static void sniff_and_read(const char *data, char *out, size_t cap) {
  el_csv_sniff_opts o;
  el_csv_sniffed s;
  char err[256];
  memset(&o, 0, sizeof o);
  o.delim = o.quote = o.escape = o.header = -1;
  o.skip = -1;
  o.null_empty = 1;
  o.data = data;
  o.ndata = strlen(data);
  if (el_csv_sniff("mem", &o, &s, err, sizeof err) != 0) {
    snprintf(out, cap, "ERR:%s", err);
    return;
  }
  size_t k = (size_t)snprintf(out, cap, "%c%d%d:", s.d.delim, s.header, s.ncols);
  for (int i = 0; i < s.ncols && k < cap; i++) k += (size_t)snprintf(out + k, cap - k, "%s/%d,", s.names[i], s.types[i]);
  el_csv_reader *r = el_csv_open_mem(data, strlen(data), &s.d, err, sizeof err);
  el_csv_sniffed_free(&s);
  if (!r) { snprintf(out, cap, "ERR:%s", err); return; }
  el_csv_row row;
  int rc;
  while ((rc = el_csv_next(r, &row)) == 1 && k < cap)
    for (int i = 0; i < row.n && k < cap; i++) k += (size_t)snprintf(out + k, cap - k, "%s|", row.base + row.f[i].off);
  if (rc < 0) snprintf(out, cap, "ERR:%s", el_csv_error(r));
  el_csv_close(r);
}

static void test_oom(void) {
  static const char *const inputs[] = {
    "\"Data Source\",\"WDI\",\r\n\r\n\"Country Name\",\"Code\",\"2021\",\r\n"
    "\"Korea, Rep.\",\"KOR\",\"44.1\",\r\n\"Chile\",\"CHL\",\"\",\r\n",
    "name,name,,Name\nC\xf4te,1,2,3\nx,\"multi\nline\",4,5\n",
    "a;b\n1,5;\"q\\\"q\"\n"};
  el_allocator a = {t_malloc, t_realloc, t_free};
  char want[4096], got[4096], detail[256];
  for (size_t in = 0; in < sizeof inputs / sizeof *inputs; in++) {
    fail_at = 0;
    el_alloc_set(&a);
    sniff_and_read(inputs[in], want, sizeof want);
    long total = alloc_count;
    int bad = 0;
    for (int persist = 0; persist < 2; persist++) {
      for (long n = 1; n <= total && !bad; n++) {
        alloc_count = 0;
        live = 0;
        fail_at = n;
        fail_persist = persist;
        sniff_and_read(inputs[in], got, sizeof got);
        int same = strcmp(got, want) == 0;
        int nomem = strcmp(got, "ERR:" EL_CSV_NOMEM) == 0;
        if ((!same && !nomem) || live != 0) {
          bad = 1;
          snprintf(detail, sizeof detail, "allocation %ld%s: %.80s (live blocks %ld)", n,
                   persist ? " and after" : "", got, live);
        }
      }
    }
    el_alloc_set(NULL);
    char name[96];
    snprintf(name, sizeof name, "oom: input %zu, each of %ld allocations failing, once and for good", in + 1, total);
    check(!bad && total > 5, name, detail);
  }
}

/* The dialect functions: multi-byte delimiters in the reader, header rows,
** number forms and dates. */
static void test_dialects(void) {
  char out[4096];
  int n;
  el_csv_dialect d = dialect(',');
  memcpy(d.mdelim, "~|~", 3);
  d.mdelim_len = 3;
  const char *md = "a~|~b\n1~|~x|~y~|~\"q~|~r\"\n\"u\"\"v\"~|~|x\n";
  read_all(md, strlen(md), &d, out, sizeof out, &n, NULL);
  check(n == 3 && !strcmp(out, "a|b/1|x|~y|q~|~r/u\"v||x"), "dialect: a 3-byte delimiter, exactly", out);

  el_csv_sniff_opts o;
  memset(&o, 0, sizeof o);
  char buf[EL_CSV_NUMBUF];
  o.decimal = ',';
  memcpy(o.thousands, ".", 1);
  o.thousands_len = 1;
  int k = el_csv_num_form(&o, "-1.234.567,25", 13, buf);
  check(k > 0 && !strcmp(buf, "-1234567.25"), "dialect: 1.234.567,25 in C's form", k > 0 ? buf : "none");
  check(el_csv_num_form(&o, "1.23,4", 6, buf) < 0 && el_csv_num_form(&o, "1.5", 3, buf) < 0 &&
        el_csv_num_form(&o, "1234.567", 8, buf) < 0, "dialect: broken groups are no number", "accepted");

  char iso[EL_CSV_ISOBUF];
  size_t isn = 99;
  o.dates = 1;
  check(el_csv_parse_date(&o, "2024-03-05", 10, iso, &isn) == EL_CSV_DATE && isn == 0,
        "dialect: an ISO date is kept as written", "wrong");
  check(el_csv_parse_date(&o, "Sep 30, 2024 08:00", 18, iso, &isn) == EL_CSV_TIMESTAMP && isn == 16 &&
        !strcmp(iso, "2024-09-30 08:00"), "dialect: a named month and a time to ISO", iso);
  check(!el_csv_parse_date(&o, "05/03/2024", 10, iso, &isn), "dialect: day or month first is not guessed", "accepted");
  memcpy(o.datefmt, "DD/MM/YYYY", 11);
  check(el_csv_parse_date(&o, "05/03/2024", 10, iso, &isn) == EL_CSV_DATE && !strcmp(iso, "2024-03-05"),
        "dialect: a declared dateformat", iso);
  check(!el_csv_datefmt_ok("YY-MM-DD") && el_csv_datefmt_ok("MM/DD/YYYY"), "dialect: dateformat patterns", "wrong");

  char *r0[] = {NULL, "2019", "", "2020", ""}, *r1[] = {"Country", "X", "M", "X", "M"};
  char *const *rows[] = {r0, r1};
  int ns[] = {5, 5};
  char *names[5];
  int rc = el_csv_join_header(rows, ns, 2, 5, names);
  check(rc == 0 && !strcmp(names[0], "Country") && !strcmp(names[2], "2019 M") && !strcmp(names[3], "2020 X") &&
        !strcmp(names[4], "2020 M"), "dialect: two header rows joined", rc == 0 ? names[2] : "failed");
  if (rc == 0)
    for (int i = 0; i < 5; i++) el_free(names[i]);
}

/* --- reading ahead (el_csv_read_ahead) ---------------------------------- */

/* FNV-1a over what a caller can see of a read: every row's fields, flags,
** counts and problem, every 61st row's and every bad row's location, raw
** text and el_csv_line, then the end (0, or -1 and the error text). */
typedef struct ra_sum {
  uint64_t h;
  long long rows, bad;
  int end;
  char err[160];
} ra_sum;

static int ra_rows_only; /* leave locations and raw text out (see test_split_matches_libcsv) */

static void ra_mix(ra_sum *s, const void *p, size_t n) {
  const unsigned char *z = p;
  for (size_t i = 0; i < n; i++) s->h = (s->h ^ z[i]) * 1099511628211ULL;
}

static void ra_read(const char *data, size_t n, const el_csv_dialect *d, int threads, long long stop_after,
                    ra_sum *s) {
  char err[256];
  memset(s, 0, sizeof *s);
  s->h = 1469598103934665603ULL;
  el_csv_reader *r = el_csv_open_mem(data, n, d, err, sizeof err);
  if (!r) { s->end = -2; return; }
  if (threads == 2 && el_csv_read_ahead(r, err, sizeof err) != 0) { s->end = -3; el_csv_close(r); return; }
  el_csv_row row;
  int rc;
  while ((rc = el_csv_next(r, &row)) == 1) {
    s->rows++;
    int head[4] = {row.n, row.nraw, row.err, row.err_col};
    ra_mix(s, head, sizeof head);
    for (int i = 0; i < row.n; i++) {
      ra_mix(s, row.base + row.f[i].off, row.f[i].len + 1);
      ra_mix(s, &row.f[i].flags, sizeof row.f[i].flags);
    }
    if (!ra_rows_only && (row.err || s->rows % 61 == 0)) {
      s->bad += row.err != 0;
      el_csv_locate(r, &row);
      size_t rn;
      const char *raw = el_csv_raw(r, &rn);
      long long where[3] = {row.line, row.offset, el_csv_line(r)};
      ra_mix(s, where, sizeof where);
      ra_mix(s, raw, rn);
    }
    if (stop_after && s->rows == stop_after) break;
  }
  s->end = rc == 1 ? 2 : rc;
  if (rc < 0) snprintf(s->err, sizeof s->err, "%s", el_csv_error(r));
  long long line = el_csv_line(r);
  if (rc != 1) ra_mix(s, &line, sizeof line);
  el_csv_close(r);
}

/* A file of about n bytes: plain rows, quoted fields (a delimiter, doubled
** quotes, line breaks inside), blank and CRLF lines, ragged rows, a
** Latin-1 byte late in the file, invalid UTF-8, NUL bytes, long fields. */
static char *ra_make(size_t n, unsigned seed, int tail, const char *md, size_t *len) {
  char *b = malloc(n + 4096);
  size_t k = 0;
  unsigned x = seed;
  k += (size_t)sprintf(b, "id,name,note,value\n");
  for (long i = 1; k < n; i++) {
    x = x * 1103515245u + 12345u;
    unsigned c = (x >> 16) % 1000;
    if (c < 600) k += (size_t)sprintf(b + k, "%ld,name%u,plain,%u.5\n", i, x % 97, x % 1000);
    else if (c < 700) k += (size_t)sprintf(b + k, "%ld,\"a, \"\"quoted\"\" one\",\"two\nlines\",%u\r\n", i, x % 9);
    else if (c < 720) k += (size_t)sprintf(b + k, "\n");
    else if (c < 740) k += (size_t)sprintf(b + k, "%ld,only two\n", i);
    else if (c < 750) k += (size_t)sprintf(b + k, "%ld,a,b,c,d,e\n", i);
    else if (c < 755) k += (size_t)sprintf(b + k, "%ld,bad \xff\xfe utf8,x,1\n", i);
    else if (c < 758) { k += (size_t)sprintf(b + k, "%ld,nul", i); b[k++] = 0; k += (size_t)sprintf(b + k, "x,y,2\n"); }
    else if (c < 760) { k += (size_t)sprintf(b + k, "%ld,", i); memset(b + k, 'L', 3000); k += 3000; k += (size_t)sprintf(b + k, ",z,3\n"); }
    else if (c < 770 && tail != 2) k += (size_t)sprintf(b + k, "%ld,  spaced ,\" q \" ,4\n", i);
    else if (c < 775 && k > n / 2) k += (size_t)sprintf(b + k, "%ld,Caf\xe9,latin,5\n", i);
    else k += (size_t)sprintf(b + k, "%ld,\"ok\",\"x\",%u\n", i, x % 50);
  }
  if (tail == 1) k += (size_t)sprintf(b + k, "99,\"never closed\n1,2,3,4\n");
  if (tail == 2) k += (size_t)sprintf(b + k, "99,a\"b,c,d\n");
  if (md) {
    /* every delimiter outside quotes becomes md */
    size_t mn = strlen(md), extra = 0;
    for (size_t i = 0; i < k; i++) extra += b[i] == ',';
    char *o = malloc(k + extra * mn + 1);
    size_t j = 0;
    int inq = 0;
    for (size_t i = 0; i < k; i++) {
      if (b[i] == '"') inq = !inq;
      if (b[i] == ',' && !inq) { memcpy(o + j, md, mn); j += mn; }
      else o[j++] = b[i];
    }
    free(b);
    b = o;
    k = j;
  }
  *len = k;
  return b;
}

static void test_read_ahead(void) {
  static const struct { const char *name; char delim; const char *md; char escape; int strict, tail, latin;
                        size_t max_field; } cases[] = {
    {"rows, quotes, bad bytes, long fields", ',', NULL, 0, 0, 0, 0, 0},
    {"an unterminated quote at the end", ',', NULL, 0, 0, 1, 0, 0},
    {"strict: malformed quoting stops the read", ',', NULL, 0, 1, 2, 0, 0},
    {"max_field 1000: long fields dropped", ',', NULL, 0, 0, 0, 0, 1000},
    {"Latin-1", ',', NULL, 0, 0, 0, 1, 0},
    {"backslash escapes", ',', NULL, '\\', 0, 0, 0, 0},
    {"a two-byte delimiter", 0, "||", 0, 0, 0, 0, 0},
    {"a three-byte delimiter, strict", 0, "~|~", 0, 1, 2, 0, 0}};
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    size_t n;
    char *data = ra_make(3 * 1024 * 1024, (unsigned)c + 7, cases[c].tail, cases[c].md, &n);
    el_csv_dialect d = dialect(cases[c].delim ? cases[c].delim : ',');
    if (cases[c].md) {
      d.mdelim_len = (int)strlen(cases[c].md);
      memcpy(d.mdelim, cases[c].md, (size_t)d.mdelim_len);
    }
    d.escape = (unsigned char)cases[c].escape;
    d.strict = cases[c].strict;
    d.max_field = cases[c].max_field;
    if (cases[c].latin) d.encoding = EL_CSV_ENC_LATIN1;
    ra_sum one, two;
    ra_read(data, n, &d, 1, 0, &one);
    ra_read(data, n, &d, 2, 0, &two);
    char name[160], detail[400];
    snprintf(name, sizeof name, "read ahead: %s: the same rows, locations, raw text and end", cases[c].name);
    snprintf(detail, sizeof detail, "1 thread: %lld rows (%lld bad), end %d %s; 2 threads: %lld rows (%lld bad), end %d %s",
             one.rows, one.bad, one.end, one.err, two.rows, two.bad, two.end, two.err);
    check(one.h == two.h && one.rows == two.rows && one.end == two.end && !strcmp(one.err, two.err) &&
          one.rows > 10000 && (cases[c].strict ? one.end == -1 : one.end == 0) &&
          (cases[c].tail != 1 || one.bad > 0), name, detail);
    /* stopping early: the thread is stopped and joined by el_csv_close */
    ra_read(data, n, &d, 2, 777, &two);
    ra_read(data, n, &d, 1, 777, &one);
    snprintf(name, sizeof name, "read ahead: %s: closed after 777 rows", cases[c].name);
    snprintf(detail, sizeof detail, "rows %lld and %lld, hashes %s", one.rows, two.rows,
             one.h == two.h ? "equal" : "differ");
    check(one.h == two.h && two.rows == 777, name, detail);
    free(data);
  }
  /* an empty input, and one without a line end */
  static const char *const small[] = {"", "a,b", "a,\"b\nc\"", "\xef\xbb\xbfx\r\ny\r\n"};
  for (size_t i = 0; i < sizeof small / sizeof *small; i++) {
    el_csv_dialect d = dialect(',');
    ra_sum one, two;
    ra_read(small[i], strlen(small[i]), &d, 1, 0, &one);
    ra_read(small[i], strlen(small[i]), &d, 2, 0, &two);
    char name[96];
    snprintf(name, sizeof name, "read ahead: small input %zu: the same", i + 1);
    check(one.h == two.h && one.rows == two.rows && one.end == two.end, name, "differ");
  }
  {
    el_csv_dialect d = dialect(',');
    char err[256];
    el_csv_reader *r = el_csv_open_mem("a\nb\n", 4, &d, err, sizeof err);
    el_csv_row row;
    int got = r && el_csv_next(r, &row) == 1;
    check(got && el_csv_read_ahead(r, err, sizeof err) == -1 && el_csv_threads(r) == 1 &&
          el_csv_next(r, &row) == 1 && !strcmp(row.base + row.f[0].off, "b"),
          "read ahead: refused once rows were read (the reader goes on alone)", err);
    el_csv_close(r);
  }
}

/* Lines without quotes are split by the reader itself (el_r_split), not by
** libcsv: the two must agree on every row. With max_field below
** EL_CSV_CHUNK every line goes through libcsv, so reading the same bytes
** with max_field 65535 and 65536 compares them (fields stay short). The
** rows are compared, not their raw text: a lone CR inside a line ends a
** row in both, but a line fed alone gives both rows the whole line as raw
** text (as before the split). */
static void test_split_matches_libcsv(void) {
  static const char alpha[] = "abcxyz019,,,;;  \t\t\r\n\n\n\"\xc3\xa9\xff|.";
  int bad = 0;
  long long rows = 0;
  char detail[200] = "";
  ra_rows_only = 1;
  for (unsigned seed = 1; seed <= 24 && !bad; seed++) {
    size_t n = 300000 + seed * 1000, k = 0;
    char *b = malloc(n);
    unsigned x = seed * 2654435761u;
    int quotes = seed % 3 == 0; /* some inputs have quotes now and then */
    while (k < n) {
      x = x * 1103515245u + 12345u;
      char c = alpha[(x >> 16) % (sizeof alpha - 1)];
      if (c == '"' && !quotes) c = 'q';
      b[k++] = c;
    }
    const char delims[] = {',', ';', '\t', ' ', '|'};
    for (int quote = 0; quote < 2; quote++) {
      el_csv_dialect d = dialect(delims[seed % 5]);
      d.quote = quote ? '"' : 0;
      d.encoding = EL_CSV_ENC_UTF8; /* (auto decides on the first chunk, which differs) */
      ra_sum lib, own;
      d.max_field = EL_CSV_CHUNK - 1;
      ra_read(b, n, &d, 1, 0, &lib);
      d.max_field = EL_CSV_CHUNK;
      ra_read(b, n, &d, 1, 0, &own);
      rows += lib.rows;
      if (lib.h != own.h || lib.rows != own.rows || lib.end != own.end) {
        bad = 1;
        snprintf(detail, sizeof detail, "input %u (quote %d): libcsv %lld rows, split %lld rows", seed, quote,
                 lib.rows, own.rows);
      }
    }
    free(b);
  }
  ra_rows_only = 0;
  check(!bad && rows > 100000, "split: lines without quotes read as libcsv reads them (24 random inputs)", detail);
}

int main(void) {
  test_values();
  test_names_scale();
  test_reader();
  test_file();
  test_sniff();
  test_sources();
  test_oom();
  test_dialects();
  test_read_ahead();
  test_split_matches_libcsv();
  return failures ? 1 : 0;
}
