/*
** libFuzzer target: the CSV input layer (el_csvinput.c) on arbitrary bytes:
** gzip inflation and UTF-16 transcoding stacked on a buffer, read with read
** sizes chosen by the first byte, then the line reader of lines_file over
** the same bytes. Beyond what ASan/UBSan catch, it checks that transcoded
** UTF-16 is valid UTF-8, that every line lines_file returns is valid UTF-8
** without NUL and is NUL-terminated, and that line numbers and offsets only
** grow.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_csvinput.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static int valid_utf8(const unsigned char *z, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = z[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || i + len > n) return 0;
    for (size_t k = 1; k < len; k++)
      if ((z[i + k] & 0xC0) != 0x80) return 0;
    i += len;
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t step = 1 + (data[0] & 0x3F) * 97; /* read sizes from 1 byte up */
  const uint8_t *z = data + 1;
  size_t n = size - 1;
  char err[512];

  el_csv_source *m = el_csv_mem_source(z, n);
  FUZZ_ASSERT(m != NULL);
  el_csv_input_info info;
  el_csv_source *s = el_csv_input_wrap(m, &info, err, sizeof err);
  if (s) {
    unsigned char *out = malloc(1 << 20);
    FUZZ_ASSERT(out != NULL);
    size_t total = 0;
    int clean = 0; /* the stream ended without an error */
    for (;;) {
      size_t want = step < (1 << 20) - total ? step : (1 << 20) - total;
      if (want == 0) break;
      long long got = s->xRead(s, out + total, want, err, sizeof err);
      if (got <= 0) { clean = got == 0; break; }
      FUZZ_ASSERT((size_t)got <= want);
      total += (size_t)got;
    }
    /* (output cut by an error or by the buffer's end may split a character) */
    if (info.utf16 && clean) FUZZ_ASSERT(valid_utf8(out, total));
    free(out);
    s->xClose(s);
  }

  m = el_csv_mem_source(z, n);
  FUZZ_ASSERT(m != NULL);
  el_csv_source *s2 = el_csv_input_wrap(m, NULL, err, sizeof err);
  if (!s2) return 0;
  el_lines *L = el_lines_open_source(s2, (data[0] & 0x40) ? 16 : 0, err, sizeof err);
  FUZZ_ASSERT(L != NULL);
  const char *line;
  size_t len;
  long long no, off, prev_no = 0, prev_off = -1;
  while (el_lines_next(L, &line, &len, &no, &off) == 1) {
    FUZZ_ASSERT(line[len] == 0 && memchr(line, 0, len) == NULL);
    FUZZ_ASSERT(valid_utf8((const unsigned char *)line, len));
    FUZZ_ASSERT(no == prev_no + 1 && off > prev_off);
    prev_no = no;
    prev_off = off;
  }
  el_lines_close(L);
  return 0;
}
