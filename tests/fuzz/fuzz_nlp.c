/*
** libFuzzer target: the linguistic core (UD words, tagger, lemmatizer,
** parser, CoNLL-U writer, the tokens() stream) on arbitrary bytes, with the
** built-in model. Beyond what ASan/UBSan catch, it checks: every unit gets
** one tree (one root, heads in range, no cycle); words are ordered, inside
** their unit and cover every non-space byte; the stream has one row per
** tokenizer token and heads that are earlier or later rows; the CoNLL-U is
** valid UTF-8 without NUL and each sentence in it has one root.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_conllu.h"
#include "el_nlp.h"
#include "el_tokenizer.h"
#include "el_unicode.h"

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static void check_units(const el_nlp *m, const char *z, size_t n) {
  el_unit_reader r;
  el_nlp_sent s;
  size_t gap_from = 0;
  el_unit_init(&r, z, n);
  el_nlp_sent_init(&s);
  while (el_unit_next(&r) == 1) {
    size_t b = r.last ? n : r.tok[r.ntok - 1].end;
    FUZZ_ASSERT(r.ntok >= 1 && r.ntok <= EL_NLP_MAX_TOKENS);
    FUZZ_ASSERT(el_nlp_analyse(m, z, n, gap_from, b, r.tok, r.ntok, EL_NLP_PARSE, &s) == 0);
    int roots = 0;
    for (size_t i = 0; i < s.n; i++) {
      const el_nlp_word *w = &s.w[i];
      FUZZ_ASSERT(w->start < w->end && w->start >= gap_from && w->end <= b);
      FUZZ_ASSERT(w->tstart <= w->start && w->end <= w->tend);
      if (i) FUZZ_ASSERT(w->start >= s.w[i - 1].end);
      if (w->head < 0) roots++;
      else FUZZ_ASSERT((size_t)w->head < s.n && (size_t)w->head != i);
      size_t x = i, steps = 0;
      while (s.w[x].head >= 0 && steps <= s.n) {
        x = (size_t)s.w[x].head;
        steps++;
      }
      FUZZ_ASSERT(steps <= s.n);
      FUZZ_ASSERT(el_nlp_upos(m, w->tag)[0] != 0);
      char lem[512];
      FUZZ_ASSERT(el_nlp_lemma(m, z, w, lem, sizeof lem) <= EL_NLP_LEMMA_MAX(w));
    }
    FUZZ_ASSERT(s.n == 0 || roots == 1);
    size_t k = 0;
    for (size_t p = gap_from; p < b;) {
      int32_t cp;
      size_t l = el_utf8_decode((const unsigned char *)z + p, b - p, &cp);
      int space = (el_uc_class(cp) & EL_CLS_MASK) == EL_CLS_SPACE;
      while (k < s.n && s.w[k].end <= p) k++;
      FUZZ_ASSERT(space || (k < s.n && s.w[k].start <= p && p < s.w[k].end));
      p += l;
    }
    gap_from = b;
  }
  el_nlp_sent_free(&s);
  el_unit_free(&r);
}

static void check_stream(const el_nlp *m, const char *z, size_t n) {
  el_tokenizer tk;
  el_token tok;
  long long ntok = 0;
  el_tokenizer_init(&tk, z, n);
  while (el_tokenizer_next(&tk, &tok)) ntok++;
  el_nlp_stream st;
  el_nlp_stream_init(&st, m, z, n, EL_NLP_PARSE);
  long long rows = 0;
  while (el_nlp_stream_next(&st) == 1) {
    FUZZ_ASSERT(el_nlp_stream_position(&st) == rows);
    FUZZ_ASSERT(el_nlp_stream_word(&st) != NULL);
    long long h = el_nlp_stream_head(&st);
    FUZZ_ASSERT(h >= -1 && h < ntok);
    const char *lem;
    FUZZ_ASSERT(el_nlp_stream_lemma(&st, &lem) >= 0);
    FUZZ_ASSERT(el_nlp_stream_dep(&st)[0] != 0);
    rows++;
  }
  el_nlp_stream_free(&st);
  FUZZ_ASSERT(rows == ntok);
}

static void check_conllu(const el_nlp *m, const char *z, size_t n) {
  el_sbuf b;
  el_sb_init(&b, (size_t)1 << 30);
  FUZZ_ASSERT(el_conllu(m, z, n, &b, NULL, NULL) == 0);
  int roots = 0, in_sentence = 0;
  for (size_t i = 0; i < b.n;) {
    int32_t cp;
    i += el_utf8_decode((const unsigned char *)b.p + i, b.n - i, &cp);
    FUZZ_ASSERT(cp != EL_UC_INVALID && cp != 0);
  }
  const char *p = b.p ? b.p : "";
  while (*p) {
    const char *e = strchr(p, '\n');
    FUZZ_ASSERT(e != NULL);
    if (e == p) {
      FUZZ_ASSERT(in_sentence && roots == 1);
      roots = in_sentence = 0;
    } else if (*p != '#') {
      in_sentence = 1;
      const char *c = p;
      for (int k = 0; k < 6; k++) {
        c = memchr(c, '\t', (size_t)(e - c));
        FUZZ_ASSERT(c != NULL);
        c++;
      }
      if (c[0] == '0' && c[1] == '\t') roots++;
    }
    p = e + 1;
  }
  FUZZ_ASSERT(!in_sentence);
  el_sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const el_nlp *m = el_nlp_default();
  FUZZ_ASSERT(m != NULL);
  const char *z = (const char *)data;
  check_units(m, z, size);
  check_stream(m, z, size);
  check_conllu(m, z, size);
  return 0;
}
