/*
** libFuzzer target: the quote and claim extractors (el_quotes.h) on arbitrary
** bytes. Beyond what ASan/UBSan catch, it checks the invariants the SQL layer
** relies on: quotes are non-empty, inside the text, in order and not
** overlapping, and start and end on UTF-8 character boundaries (so the
** character offsets are exact); speakers are inside the text; claims lie
** inside their sentence, which lies inside the text, with sentences in order;
** metric and unit are never NULL; the same text gives the same rows twice.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_quotes.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

/* A boundary: not inside a well-formed multi-byte sequence the tokenizer
** could have read as one character. Continuation bytes directly after a lead
** byte are inside. */
static int boundary(const unsigned char *z, size_t n, size_t i) {
  if (i == 0 || i >= n) return 1;
  if ((z[i] & 0xC0) != 0x80) return 1;
  /* a continuation byte: a boundary only when no lead byte owns it */
  size_t k = i;
  int back = 0;
  while (k > 0 && (z[k - 1] & 0xC0) == 0x80 && back < 3) k--, back++;
  if (k == 0) return 1;
  unsigned char lead = z[k - 1];
  int len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return (int)(i - (k - 1)) >= len;
}

static uint64_t run(el_qx *q, const unsigned char *z, size_t n, size_t *count) {
  uint64_t h = 1469598103934665603ULL;
  size_t last_end = 0, c = 0, last_sentence = 0;
  el_quote x;
  int rc;
  FUZZ_ASSERT(el_qx_start(q, (const char *)z, n) == 0);
  while ((rc = el_qx_next_quote(q, &x)) == 1) {
    FUZZ_ASSERT(x.start < x.end && x.end <= n && x.start >= last_end);
    FUZZ_ASSERT(boundary(z, n, x.start) && boundary(z, n, x.end));
    FUZZ_ASSERT(x.spk_start <= x.spk_end && x.spk_end <= n);
    FUZZ_ASSERT(x.sentence >= last_sentence);
    if (x.canonical) h = (h ^ strlen(x.canonical)) * 1099511628211ULL;
    h = (h ^ x.start ^ (x.end << 20) ^ (x.spk_start << 40)) * 1099511628211ULL;
    last_end = x.end;
    last_sentence = x.sentence;
    c++;
  }
  FUZZ_ASSERT(rc == 0);
  el_claim k;
  size_t last_sent_start = 0;
  FUZZ_ASSERT(el_qx_start(q, (const char *)z, n) == 0);
  while ((rc = el_qx_next_claim(q, &k)) == 1) {
    FUZZ_ASSERT(k.metric && k.unit);
    FUZZ_ASSERT(k.sent_start <= k.start && k.start < k.end && k.end <= k.sent_end &&
                k.sent_end <= n);
    FUZZ_ASSERT(k.sent_start >= last_sent_start);
    FUZZ_ASSERT(boundary(z, n, k.start) && boundary(z, n, k.end));
    FUZZ_ASSERT(k.value == k.value); /* not NaN */
    if (k.subject) FUZZ_ASSERT(strlen(k.subject) == 3);
    h = (h ^ k.start ^ (k.end << 20) ^ (uint64_t)k.year) * 1099511628211ULL;
    last_sent_start = k.sent_start;
    c++;
  }
  FUZZ_ASSERT(rc == 0);
  *count = c;
  return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static el_qx *q;
  if (q == NULL) {
    q = el_qx_new(); /* kept for the whole run */
    FUZZ_ASSERT(q != NULL);
  }
  size_t c1, c2;
  uint64_t h1 = run(q, data, size, &c1);
  uint64_t h2 = run(q, data, size, &c2);
  FUZZ_ASSERT(c1 == c2 && h1 == h2);
  return 0;
}
