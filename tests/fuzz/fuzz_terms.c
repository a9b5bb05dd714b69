/*
** libFuzzer target: the export-term matcher, its grammars and the parsers
** on arbitrary bytes. Checks what the SQL layer relies on: matches are
** non-empty, inside the input, in order and not overlapping, and start and
** end on character-unit boundaries (as SQLite counts units); every
** citation's canonical form parses back with cfr_parse and every ECCN with
** eccn_parse. Inputs starting with '@' also build a user lexicon from their
** first lines (terms, and patterns when a line starts with '~'), exercising
** compilation and the PCRE2 limits.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_ac.h"
#include "el_terms.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static el_terms *builtin;

/* a character-unit boundary as SQLite counts units */
static int boundary(const uint8_t *z, size_t n, size_t p) {
  if (p == 0 || p >= n || (z[p] & 0xC0) != 0x80) return 1;
  size_t j = p;
  while (j > 0 && (z[j - 1] & 0xC0) == 0x80) j--;
  return j == 0 || z[j - 1] < 0x80;
}

static void check_result(const el_term_result *r, const uint8_t *data, size_t size) {
  size_t last = 0;
  char out[1024];
  for (size_t i = 0; i < r->n; i++) {
    const el_term_match *m = &r->m[i];
    FUZZ_ASSERT(m->start < m->end && m->end <= size && m->start >= last);
    FUZZ_ASSERT(m->category && m->rule && m->canonical);
    FUZZ_ASSERT(boundary(data, size, m->start) && boundary(data, size, m->end));
    if (strcmp(m->rule, "cfr-pattern") == 0)
      FUZZ_ASSERT(el_cite_json(m->canonical, m->canonical_len, out, sizeof(out)) >= 0);
    if (strcmp(m->rule, "fr-pattern") == 0 || strcmp(m->rule, "usc-pattern") == 0 ||
        strcmp(m->rule, "eo-pattern") == 0)
      FUZZ_ASSERT(el_cite_json(m->canonical, m->canonical_len, out, sizeof(out)) >= 0);
    if (strcmp(m->rule, "eccn-pattern") == 0)
      FUZZ_ASSERT(el_eccn_json(m->canonical, m->canonical_len, out, sizeof(out)) >= 0);
    last = m->end;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[300], out[1024];
  if (!builtin && el_terms_compile(NULL, 0, &builtin, err, sizeof(err)) != 0) abort();
  el_term_result r;
  el_term_result_init(&r);
  int rc = el_terms_find(builtin, (const char *)data, size, &r, err, sizeof(err));
  FUZZ_ASSERT(rc == 0);
  check_result(&r, data, size);

  long n = el_eccn_json((const char *)data, size, out, sizeof(out));
  FUZZ_ASSERT(n < (long)sizeof(out));
  n = el_cite_json((const char *)data, size, out, sizeof(out));
  FUZZ_ASSERT(n < (long)sizeof(out));

  if (size > 1 && data[0] == '@') {
    el_term_entry ents[8];
    char *copies[8];
    int ne = 0;
    size_t i = 1;
    while (i < size && ne < 8) {
      size_t j = i;
      while (j < size && data[j] != '\n' && j - i < 64) j++;
      char *t = malloc(j - i + 1);
      memcpy(t, data + i, j - i);
      t[j - i] = 0;
      int pat = t[0] == '~';
      copies[ne] = t;
      ents[ne].rule = "fuzz";
      ents[ne].term = pat ? t + 1 : t;
      ents[ne].category = "user";
      ents[ne].canonical = t;
      ents[ne].is_pattern = pat;
      ne++;
      i = j + 1;
    }
    el_terms *t;
    /* without the built-ins, which the first pass covers: compiling them
    ** for every input would make the fuzzer slow */
    if (el_terms_compile_ex(ents, (size_t)ne, EL_TERMS_NO_BUILTINS, &t, err, sizeof(err)) == 0) {
      rc = el_terms_find(t, (const char *)data, size, &r, err, sizeof(err));
      FUZZ_ASSERT(rc == 0 || rc == 2);
      if (rc == 0) check_result(&r, data, size);
      el_terms_free(t);
    }
    for (int k = 0; k < ne; k++) free(copies[k]);
  }
  el_term_result_free(&r);
  return 0;
}
