/*
** libFuzzer target: the tokenizer, the sentence splitter and normalisation on
** arbitrary bytes. Beyond what ASan/UBSan catch, it checks the invariants the
** SQL layer relies on: tokens are non-empty, ordered, inside the input, never
** split a character unit; sentence numbers never decrease; a norm fits
** EL_NORM_MAX; the splitter returns exactly the tokenizer's tokens.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_tokenizer.h"
#include "el_unicode.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *z = (const char *)data;
  el_tokenizer t;
  el_segmenter s;
  el_token a, b;
  size_t last = 0, sid, prev_sid = 0, count = 0;
  char buf[4096];

  el_tokenizer_init(&t, z, size);
  el_segmenter_init(&s, z, size);
  while (el_tokenizer_next(&t, &a)) {
    FUZZ_ASSERT(a.start >= last && a.end > a.start && a.end <= size);
    FUZZ_ASSERT(a.kind < EL_KIND_COUNT);
    if (a.start > 0 && (data[a.start] & 0xC0) == 0x80) {
      uint8_t p = data[a.start - 1];
      FUZZ_ASSERT(p < 0x80); /* a stray continuation byte after ASCII */
    }
    for (int mode = 0; mode < 4; mode++) {
      size_t need = el_token_norm(data, &a, mode, buf, sizeof(buf));
      FUZZ_ASSERT(need <= EL_NORM_MAX(&a));
    }
    FUZZ_ASSERT(el_segmenter_next(&s, &b, &sid));
    FUZZ_ASSERT(b.start == a.start && b.end == a.end && b.kind == a.kind);
    FUZZ_ASSERT(sid >= prev_sid && sid <= prev_sid + 1);
    prev_sid = sid;
    last = a.end;
    count++;
  }
  FUZZ_ASSERT(!el_segmenter_next(&s, &b, &sid));
  FUZZ_ASSERT(el_utf8_count(data, size) <= size);
  (void)count;
  return 0;
}
