/*
** Unit tests of the CSV input layer (no SQLite): gzip (members, padding,
** truncation, damage, trailing bytes, bombs), UTF-16 transcoding (both byte
** orders, surrogate pairs, unpaired surrogates, an odd byte) and the line
** reader of lines_file, over memory sources read a byte at a time and in
** large blocks.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "el_csvinput.h"

#include "check.h"

/* gzip of n bytes of data (level 9), into a malloc'd buffer. */
static unsigned char *gz(const void *data, size_t n, size_t *out_n) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
  size_t cap = deflateBound(&z, (uLong)n) + 64;
  unsigned char *out = malloc(cap);
  if (!out) return NULL;
  z.next_in = (unsigned char *)data;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  *out_n = cap - z.avail_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) { free(out); return NULL; }
  return out;
}

/* Everything the layers give for data, read step bytes at a time: the
** count, or -1 with err set. info gets what was found. */
static long long drain(const void *data, size_t n, size_t step, unsigned char *out, size_t cap,
                       el_csv_input_info *info, char *err, size_t errlen) {
  el_csv_source *s = el_csv_input_wrap(el_csv_mem_source(data, n), info, err, errlen);
  if (!s) return -1;
  size_t k = 0;
  for (;;) {
    size_t want = step < cap - k ? step : cap - k;
    long long got = want ? s->xRead(s, out + k, want, err, errlen) : 0;
    if (got < 0) { s->xClose(s); return -1; }
    if (got == 0) break;
    k += (size_t)got;
  }
  s->xClose(s);
  return (long long)k;
}

static void test_gzip(void) {
  static const char csv[] = "id,name\n1,Zo\xc3\xab\n2,b\n";
  size_t n1, n2;
  unsigned char *a = gz(csv, 8, &n1), *b = gz(csv + 8, sizeof csv - 1 - 8, &n2);
  unsigned char *two = malloc(n1 + n2 + 16), out[256];
  char err[300];
  el_csv_input_info info;
  memcpy(two, a, n1);
  memcpy(two + n1, b, n2);
  for (size_t step = 1; step <= 4096; step *= 64) {
    long long k = drain(two, n1 + n2, step, out, sizeof out, &info, err, sizeof err);
    char name[96];
    snprintf(name, sizeof name, "gzip: two members read %lld bytes at a time", (long long)step);
    check(k == (long long)sizeof csv - 1 && !memcmp(out, csv, sizeof csv - 1) &&
          info.compression == EL_CSV_COMP_GZIP && !info.utf16, name, k < 0 ? err : "wrong bytes");
  }
  memset(two + n1 + n2, 0, 16);
  check(drain(two, n1 + n2 + 16, 4096, out, sizeof out, NULL, err, sizeof err) == (long long)sizeof csv - 1,
        "gzip: zeros after the last member are ignored", err);
  memcpy(two + n1 + n2, "junk", 4);
  check(drain(two, n1 + n2 + 4, 4096, out, sizeof out, NULL, err, sizeof err) < 0 &&
        strstr(err, "unexpected bytes after the gzip data"), "gzip: other trailing bytes are an error", err);
  check(drain(two, n1 + n2 - 3, 4096, out, sizeof out, NULL, err, sizeof err) < 0 && strstr(err, "truncated"),
        "gzip: a cut file is truncated, not short", err);
  two[n1 + n2 - 6] ^= 1; /* the CRC of the second member */
  check(drain(two, n1 + n2, 4096, out, sizeof out, NULL, err, sizeof err) < 0 && strstr(err, "corrupt"),
        "gzip: a bad CRC is an error", err);
  /* not gzip: passed through, magic bytes and all */
  check(drain("\x1f\x8b\x07x", 4, 1, out, sizeof out, &info, err, sizeof err) == 4 &&
        info.compression == EL_CSV_COMP_NONE, "gzip: 1f 8b without deflate is not taken for gzip", err);
  free(a);
  free(b);
  free(two);

  /* a bomb: 80 MB of zeros from about 80 KB, deflated 1 MB at a time */
  size_t nb = 0, cap = 1 << 20;
  unsigned char *zeros = calloc(1 << 20, 1), *bomb = malloc(cap);
  z_stream z;
  memset(&z, 0, sizeof z);
  if (zeros && bomb && deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK) {
    z.next_out = bomb;
    z.avail_out = (uInt)cap;
    for (int i = 0; i <= 80; i++) {
      z.next_in = zeros;
      z.avail_in = i < 80 ? 1u << 20 : 0;
      deflate(&z, i < 80 ? Z_NO_FLUSH : Z_FINISH);
    }
    nb = cap - z.avail_out;
    deflateEnd(&z);
  }
  free(zeros);
  unsigned char *buf = malloc(1 << 18);
  long long k = -2;
  if (bomb && buf) {
    el_csv_source *s = el_csv_input_wrap(el_csv_mem_source(bomb, nb), NULL, err, sizeof err);
    long long got, total = 0;
    while (s && (got = s->xRead(s, buf, 1 << 18, err, sizeof err)) > 0) total += got;
    k = got < 0 ? total : -1;
    if (s) s->xClose(s);
  }
  check(k > EL_CSV_GZ_RATIO_FLOOR - (1 << 18) && k <= EL_CSV_GZ_RATIO_FLOOR + (1 << 18) &&
        strstr(err, "decompression bomb"), "gzip: a bomb stops just past the floor", err);
  free(bomb);
  free(buf);
}

static void test_utf16(void) {
  /* "a\tb\r\n" then e acute and U+1F600 (a surrogate pair) */
  static const unsigned char le[] = {0xFF, 0xFE, 'a', 0, '\t', 0, 'b', 0, '\r', 0, '\n', 0,
                                     0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE};
  static const char want[] = "\xEF\xBB\xBF" "a\tb\r\n\xC3\xA9\xF0\x9F\x98\x80";
  unsigned char be[sizeof le], out[64];
  for (size_t i = 0; i < sizeof le; i += 2) { be[i] = le[i + 1]; be[i + 1] = le[i]; }
  char err[300];
  el_csv_input_info info;
  for (size_t step = 1; step <= 64; step *= 64) {
    long long k = drain(le, sizeof le, step, out, sizeof out, &info, err, sizeof err);
    check(k == (long long)sizeof want - 1 && !memcmp(out, want, sizeof want - 1) && info.utf16 == EL_CSV_UTF16_LE,
          step == 1 ? "utf16: LE, a byte at a time" : "utf16: LE, in blocks", k < 0 ? err : "wrong bytes");
    k = drain(be, sizeof be, step, out, sizeof out, &info, err, sizeof err);
    check(k == (long long)sizeof want - 1 && !memcmp(out, want, sizeof want - 1) && info.utf16 == EL_CSV_UTF16_BE,
          step == 1 ? "utf16: BE, a byte at a time" : "utf16: BE, in blocks", k < 0 ? err : "wrong bytes");
  }
  unsigned char bad[sizeof le];
  memcpy(bad, le, sizeof le);
  bad[sizeof le - 1] = 0x00; /* the low surrogate becomes U+0000 */
  check(drain(bad, sizeof bad, 64, out, sizeof out, NULL, err, sizeof err) < 0 &&
        strstr(err, "line 2, character 2: a high surrogate (U+D83D) not followed by a low one"),
        "utf16: an unpaired high surrogate names line and character", err);
  check(drain(le, sizeof le - 3, 64, out, sizeof out, NULL, err, sizeof err) < 0 &&
        strstr(err, "odd byte"), "utf16: an odd byte at the end is an error", err);
  static const unsigned char lo[] = {0xFF, 0xFE, 'x', 0, 0x00, 0xDE};
  check(drain(lo, sizeof lo, 64, out, sizeof out, NULL, err, sizeof err) < 0 &&
        strstr(err, "line 1, character 2: a low surrogate (U+DE00) without a high one"),
        "utf16: a lone low surrogate is an error", err);
}

static void test_lines(void) {
  static const char text[] = "\xEF\xBB\xBFone\r\ntwo\n\nlast";
  char err[300], got[256] = "";
  el_lines *L = el_lines_open_source(el_csv_mem_source(text, sizeof text - 1), 0, err, sizeof err);
  const char *z;
  size_t n;
  long long no, off;
  int rc;
  while (L && (rc = el_lines_next(L, &z, &n, &no, &off)) == 1)
    snprintf(got + strlen(got), sizeof got - strlen(got), "%lld@%lld:%s|", no, off, z);
  el_lines_close(L);
  check(!strcmp(got, "1@3:one|2@8:two|3@12:|4@13:last|"), "lines: BOM, CRLF, a blank and a last line", got);

  static const char bad[] = "ok\nab\xff\n";
  L = el_lines_open_source(el_csv_mem_source(bad, sizeof bad - 1), 0, err, sizeof err);
  while ((rc = el_lines_next(L, &z, &n, &no, &off)) == 1) {}
  check(rc < 0 && strstr(el_lines_error(L), "line 2, byte 3: invalid UTF-8"), "lines: invalid UTF-8 is named",
        el_lines_error(L));
  el_lines_close(L);

  /* a line longer than the limit, whether it fits the first buffer or not */
  size_t big = 300000;
  char *lng = malloc(big + 4);
  memset(lng, 'x', big);
  memcpy(lng + big, "\nok\n", 4);
  for (int pass = 0; pass < 2; pass++) {
    size_t limit = pass ? big - 1 : big;
    L = el_lines_open_source(el_csv_mem_source(lng, big + 4), limit, err, sizeof err);
    rc = el_lines_next(L, &z, &n, &no, &off);
    check(pass ? rc < 0 && strstr(el_lines_error(L), "line 1 is longer than") : rc == 1 && n == big,
          pass ? "lines: one byte over the limit is an error" : "lines: a line of exactly the limit is read",
          rc < 0 ? el_lines_error(L) : "");
    el_lines_close(L);
  }
  free(lng);
}

int main(void) {
  test_gzip();
  test_utf16();
  test_lines();
  return failures ? 1 : 0;
}
