/*
** libFuzzer target: the entity extractor (with the named-entity model, the
** default, and without it), the token trie, the country lookup and the NER
** model file's checks on arbitrary bytes. The first line (up to 256 bytes) is split at '|'
** into names of a user lexicon with alternating labels; the whole input is the
** text. Beyond what ASan/UBSan catch, it checks the invariants the SQL layer
** relies on: spans are non-empty, inside the text, in order and not
** overlapping; sentence numbers never decrease; labels are never NULL; the
** same text gives the same spans twice (the extractor forgets between texts).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_countries.h"
#include "el_entities.h"
#include "el_lexicon.h"
#include "el_ner.h"
#include "el_alloc.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static size_t run(el_ent *e, const char *z, size_t n, uint64_t *digest) {
  el_ent_span sp;
  size_t last_end = 0, last_sentence = 0, count = 0;
  uint64_t h = 1469598103934665603ULL;
  FUZZ_ASSERT(el_ent_start(e, z, n) == 0);
  int rc;
  while ((rc = el_ent_next(e, &sp)) == 1) {
    FUZZ_ASSERT(sp.start < sp.end && sp.end <= n);
    FUZZ_ASSERT(sp.start >= last_end);
    FUZZ_ASSERT(sp.sentence >= last_sentence);
    FUZZ_ASSERT(sp.label != NULL && sp.label[0]);
    if (sp.canonical) h = (h ^ strlen(sp.canonical)) * 1099511628211ULL;
    h = (h ^ sp.start ^ (sp.end << 20)) * 1099511628211ULL;
    last_end = sp.end;
    last_sentence = sp.sentence;
    count++;
  }
  FUZZ_ASSERT(rc == 0);
  *digest = h;
  return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *z = (const char *)data;
  static el_ent *e;
  if (e == NULL) {
    /* kept for the whole run (and the lookup table with it) */
    e = el_ent_new();
    FUZZ_ASSERT(e != NULL);
  }
  /* a user lexicon from the first line */
  el_lex *user = el_lex_new();
  FUZZ_ASSERT(user != NULL);
  size_t line = 0;
  while (line < size && line < 256 && data[line] != '\n') line++;
  size_t a = 0;
  int k = 0;
  static const char *const labels[] = {"ORG", "PERSON", "GPE", "PRODUCT"};
  for (size_t i = 0; i <= line; i++) {
    if (i == line || data[i] == '|') {
      long r = el_lex_add(user, z + a, i - a, labels[k & 3], k & 1 ? "canon" : NULL, "fuzz",
                          8u, 0, NULL);
      k++;
      FUZZ_ASSERT(r != -1);
      a = i + 1;
    }
  }
  uint64_t d1, d2;
  size_t n1 = run(e, z, size, &d1);
  size_t n2 = run(e, z, size, &d2);
  FUZZ_ASSERT(n1 == n2 && d1 == d2);
  uint64_t dm = d1;
  el_ent_set_user(e, user);
  run(e, z, size, &d1);
  el_ent_set_user(e, NULL);
  el_lex_free(user);
  /* the rules alone, then the model again: the same spans as the first run */
  FUZZ_ASSERT(el_ent_set_model(e, 0) == 0);
  run(e, z, size, &d2);
  if (el_ner_builtin() != NULL) {
    uint64_t d3;
    FUZZ_ASSERT(el_ent_set_model(e, 1) == 0);
    FUZZ_ASSERT(run(e, z, size, &d3) == n1 && d3 == dm);
  }
  /* the bytes as a model file: refused or opened, never read out of bounds */
  {
    unsigned char *copy = el_malloc(size + 64);
    FUZZ_ASSERT(copy != NULL);
    unsigned char *al = (unsigned char *)(((uintptr_t)copy + 63) & ~(uintptr_t)63);
    if (size) memcpy(al, data, size);
    el_ner_model *m = el_ner_model_open(al, size);
    el_ner_model_free(m);
    el_free(copy);
  }
  int c = el_country_lookup(z, size < 300 ? size : 300);
  FUZZ_ASSERT(c >= -1 && c < el_country_count());
  c = el_country_by_code(z, size < 8 ? size : 8);
  FUZZ_ASSERT(c >= -1 && c < el_country_count());
  return 0;
}
