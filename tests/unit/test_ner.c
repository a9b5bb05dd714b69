/*
** Unit tests of the named-entity tagger core (ext/nlp/el_ner.c) without
** SQLite: the gate, span decoding from tags that are not valid BILOU, the
** model file's checks, the built-in model on tokens made here, and the
** per-document history.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_model.h"
#include "el_ner.h"
#include "el_tokenizer.h"

#include "check.h"

#define B(c) EL_NER_TAG(c, EL_NER_B)
#define I(c) EL_NER_TAG(c, EL_NER_I)
#define L(c) EL_NER_TAG(c, EL_NER_L)
#define U(c) EL_NER_TAG(c, EL_NER_U)

/* Spans of tags as "a-b:c ..." */
static void spans(const uint8_t *tags, size_t n, char *out, size_t cap) {
  size_t a = 0, b, o = 0;
  int c;
  out[0] = 0;
  while (el_ner_span(tags, n, &a, &b, &c)) {
    o += (size_t)snprintf(out + o, cap - o, "%s%zu-%zu:%d", o ? " " : "", a, b, c);
    a = b;
  }
}

static void test_spans(void) {
  char got[256];
  const uint8_t t1[] = {0, B(0), L(0), 0, U(2), B(1), I(1), L(1)};
  spans(t1, sizeof(t1), got, sizeof(got));
  check(strcmp(got, "1-3:0 4-5:2 5-8:1") == 0, "span: valid BILOU", got);
  /* B then O is one word; I without B starts a name; a class change ends one */
  const uint8_t t2[] = {B(0), 0, I(1), L(1), B(2), I(3), L(3), U(0), L(0)};
  spans(t2, sizeof(t2), got, sizeof(got));
  check(strcmp(got, "0-1:0 2-4:1 4-5:2 5-7:3 7-8:0 8-9:0") == 0, "span: repaired tags", got);
  const uint8_t t3[] = {0, 0};
  spans(t3, sizeof(t3), got, sizeof(got));
  check(got[0] == 0, "span: none", got);
  spans(t3, 0, got, sizeof(got));
  check(got[0] == 0, "span: empty", got);
}

static void test_gate(void) {
  el_ner_tok cap = {"Paris", "paris", 5, 5, 0, 1, 0, 0};
  el_ner_tok low = {"of", "of", 2, 2, 0, 0, 0, 0};
  el_ner_tok num = {"12", "12", 2, 2, 1, 0, 0, 0};
  check(el_ner_gate(&cap, 0) && !el_ner_gate(&low, 0) && !el_ner_gate(&num, 0),
        "gate: capitalised words only", NULL);
  check(el_ner_gate(&low, B(1)) && el_ner_gate(&num, I(2)) && !el_ner_gate(&low, L(1)) &&
            !el_ner_gate(&low, U(1)),
        "gate: anything while a name is open", NULL);
}

static void test_model_file(void) {
  const el_ner_model *m = el_ner_builtin();
  check(m != NULL, "model: the built-in model opens", NULL);
  const void *data;
  size_t len;
  el_model_ner(&data, &len);
  check(el_ner_model_open(NULL, 0) == NULL, "model: no blob", NULL);
  check(el_ner_model_open("ELBLOB01", 8) == NULL, "model: a truncated container", NULL);
  /* every truncation of the real file is refused (the checks run in place) */
  unsigned char *copy = el_malloc(len + 64);
  unsigned char *al = (unsigned char *)(((uintptr_t)copy + 63) & ~(uintptr_t)63);
  memcpy(al, data, len);
  int refused = 1;
  for (size_t cut = 0; cut < len; cut += len / 97 + 1) {
    el_ner_model *x = el_ner_model_open(al, cut);
    if (x) refused = 0;
    el_ner_model_free(x);
  }
  check(refused, "model: truncated files are refused", NULL);
  el_ner_model *x = el_ner_model_open(al, len);
  check(x != NULL, "model: a copy opens", NULL);
  el_ner_model_free(x);
  al[0] ^= 1;
  check(el_ner_model_open(al, len) == NULL, "model: a bad magic is refused", NULL);
  el_free(copy);
  if (m) {
    check(el_ner_word_cap(m, "the", 3) == 1, "model: 'the' is rarely capitalised", NULL);
    check(el_ner_word_cap(m, "xqzzyqx", 7) == 0, "model: an unknown word", NULL);
  }
}

/* Tag a text's tokens directly (no lexicon bits); returns the spans. */
static void tag_text(el_ner *t, const char *z, char *out, size_t cap) {
  el_tokenizer tk;
  el_token k;
  el_ner_tok tok[64];
  char norm[64][64];
  uint8_t tags[64];
  size_t n = 0;
  el_tokenizer_init(&tk, z, strlen(z));
  while (n < 64 && el_tokenizer_next(&tk, &k)) {
    size_t l = el_token_norm((const unsigned char *)z, &k, EL_NORM_FTS, norm[n], 64);
    tok[n].z = z + k.start;
    tok[n].n = (uint32_t)(k.end - k.start);
    tok[n].norm = norm[n];
    tok[n].nlen = (uint32_t)(l < 64 ? l : 63);
    tok[n].kind = k.kind;
    tok[n].shape = (k.flags & EL_TF_UPPER) ? 1 : 0;
    tok[n].first = n == 0;
    tok[n].lex = 0;
    n++;
  }
  out[0] = 0;
  if (el_ner_tag(t, tok, n, tags) != 0) return;
  size_t a = 0, b, o = 0;
  int c;
  static const char *const cls[] = {"PER", "ORG", "LOC", "MISC"};
  while (el_ner_span(tags, n, &a, &b, &c)) {
    o += (size_t)snprintf(out + o, cap - o, "%s%.*s/%s", o ? "; " : "",
                          (int)(tok[b - 1].z + tok[b - 1].n - tok[a].z), tok[a].z, cls[c]);
    a = b;
  }
}

static void test_tagger(void) {
  const el_ner_model *m = el_ner_builtin();
  if (m == NULL) return;
  el_ner *t = el_ner_new(m);
  check(t != NULL, "tagger: created", NULL);
  if (t == NULL) return;
  char got[1024];
  tag_text(t, "Peter Blackburn of the European Commission met German officials in Brussels .",
           got, sizeof(got));
  check(strcmp(got, "Peter Blackburn/PER; European Commission/ORG; German/MISC; Brussels/LOC") == 0,
        "tagger: the four classes", got);
  tag_text(t, "the talks ended without a deal .", got, sizeof(got));
  check(got[0] == 0, "tagger: nothing in lower case", got);
  /* features stay within the bound, whatever the neighbours */
  {
    el_ner_tok k[3] = {{"A", "a", 1, 1, 0, 1, 1, 0xFFFFFFFFu},
                       {"B", "b", 1, 1, 0, 2, 0, 0xFFFFFFFFu},
                       {"C", "c", 1, 1, 0, 1, 0, 0}};
    uint8_t tags[3] = {B(0), I(0), 0};
    uint64_t f[EL_NER_MAX_FEATS];
    int ok = el_ner_begin_batch(t, k, 3) == 0;
    for (size_t i = 0; i < 3; i++) ok = ok && el_ner_features(t, k, 3, i, tags, f) <= EL_NER_MAX_FEATS;
    check(ok, "tagger: at most EL_NER_MAX_FEATS features", NULL);
  }
  /* the history: the same text gives the same tags after a reset */
  {
    char a[1024], b[1024];
    el_ner_reset(t);
    tag_text(t, "Surrey beat Kent . SURREY 12 Kent 5 .", a, sizeof(a));
    el_ner_reset(t);
    tag_text(t, "Surrey beat Kent . SURREY 12 Kent 5 .", b, sizeof(b));
    check(strcmp(a, b) == 0, "tagger: reset forgets the history", b);
  }
  el_ner_free(t);
  check(el_ner_new(NULL) == NULL, "tagger: no model, no tagger", NULL);
}

int main(void) {
  test_spans();
  test_gate();
  test_model_file();
  test_tagger();
  return failures ? 1 : 0;
}
