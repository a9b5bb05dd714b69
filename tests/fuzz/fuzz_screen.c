/*
** libFuzzer target: the name normaliser, name keys, similarity and the
** screening index on arbitrary bytes. The input is split at '\n' into names;
** the first half are indexed as a list (one row each, '|' separating aliases)
** and every name is screened against it. Beyond what ASan/UBSan catch, it
** checks: scores are in [0, 1] and symmetric; the early exit of
** el_name_similarity_min never drops a score at or above its bar; a name is identical to itself
** (score 1 when it has a token) and its key is stable under normalisation of
** the key; hits are sorted, above the threshold, one per row, with rows in
** range.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_names.h"
#include "el_sindex.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static el_name_buf nb1, nb2;
static char key1[EL_NAME_KEY_MAX], key2[EL_NAME_KEY_MAX];

static void *fz_realloc(void *p, size_t n) { return realloc(p, n); }

static void check_name(const char *z, size_t n, const char *y, size_t m) {
  el_name *a = el_name_normalize(z, n, &nb1);
  el_name *b = el_name_normalize(y, m, &nb2);
  double s = el_name_similarity(a, b), r = el_name_similarity(b, a);
  FUZZ_ASSERT(s >= 0.0 && s <= 1.0 && s == r);
  /* the early exit never drops a score that reaches the bar */
  static const double bars[] = {0.3, 0.5, 0.85, 0.95, 1.0};
  for (int k = 0; k < 5; k++) {
    double got = el_name_similarity_min(a, b, bars[k]);
    FUZZ_ASSERT(s >= bars[k] ? got == s : (got == s || got == 0.0));
  }
  double self = el_name_similarity(a, a);
  FUZZ_ASSERT(a->n == 0 ? self == 0.0 : self == 1.0);
  size_t k1 = el_name_key(a, key1, sizeof(key1));
  FUZZ_ASSERT(k1 < sizeof(key1));
  FUZZ_ASSERT((k1 == 0) == (a->n == 0));
  /* the key of the key is the key */
  el_name *c = el_name_normalize(key1, k1, &nb2);
  size_t k2 = el_name_key(c, key2, sizeof(key2));
  FUZZ_ASSERT(k1 == k2 && memcmp(key1, key2, k1) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *z = (const char *)data;
  const char *line[64];
  size_t len[64];
  int n = 0;
  size_t a = 0;
  for (size_t i = 0; i <= size && n < 64; i++) {
    if (i == size || data[i] == '\n') {
      line[n] = z + a;
      len[n] = i - a;
      n++;
      a = i + 1;
    }
  }
  for (int i = 0; i < n; i++) check_name(line[i], len[i], line[(i + 1) % n], len[(i + 1) % n]);

  el_sindex *ix = el_sindex_new(fz_realloc, free);
  FUZZ_ASSERT(ix != NULL);
  int rows = n / 2 + 1;
  for (int r = 0; r < rows && r < n; r++) {
    size_t s = 0;
    int alias = 0;
    for (size_t i = 0; i <= len[r]; i++) {
      if (i == len[r] || line[r][i] == '|') {
        FUZZ_ASSERT(el_sindex_add(ix, r, alias++, line[r] + s, i - s) >= 0);
        s = i + 1;
      }
    }
  }
  FUZZ_ASSERT(el_sindex_finish(ix) == 0);
  static const double thresholds[] = {0.0, 0.5, 0.85, 1.0};
  for (int i = 0; i < n; i++) {
    double t = thresholds[i & 3];
    el_shit *h;
    int nh = el_sindex_query(ix, line[i], len[i], t, &h, NULL);
    FUZZ_ASSERT(nh >= 0);
    for (int k = 0; k < nh; k++) {
      FUZZ_ASSERT(h[k].score >= t && h[k].score <= 1.0 && h[k].score > 0);
      FUZZ_ASSERT(h[k].row >= 0 && h[k].row < rows);
      if (k) FUZZ_ASSERT(h[k - 1].score >= h[k].score);
      for (int j = 0; j < k; j++) FUZZ_ASSERT(h[j].row != h[k].row);
    }
    el_sindex_free_hits(ix, h);
  }
  el_sindex_free(ix);
  return 0;
}
