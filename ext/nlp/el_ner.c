/*
** The named-entity tagger (see el_ner.h).
**
** Features of a classified token i (each a 64-bit hash of a template number
** and the values it joins):
**   the word (as written and normalised), its shape, prefix and suffixes;
**   the normalised words at i-2 .. i+2, and the pairs (i-1, i) and (i, i+1);
**   the shapes at i-1, i, i+1 together; whether the sentence is in capitals
**   and whether i starts it;
**   the two previous tags, alone and with the word or its shape;
**   the lexicon bits (gazetteer match and position, given name, word class)
**   at i-1, i and i+1;
**   the word clusters at i-1, i and i+1 (two granularities);
**   the class the document gave this word before (its history).
** Word-level hashes are computed once per token of a batch and shared by
** its neighbours.
*/
#include <pthread.h>
#include <string.h>

#include "el_alloc.h"
#include "el_model.h"
#include "el_ner.h"
#include "el_perceptron.h"

/* ------------------------------------------------------------------------ */
/* Hashing: the features are el_perceptron.h's, from template ids and parts  */

uint64_t el_ner_hash(const char *s, size_t n) { return el_fh_bytes(s, n); }

static uint64_t el_f1(uint32_t tmpl, uint64_t a) { return el_fh2(tmpl, a); }
static uint64_t el_f2(uint32_t tmpl, uint64_t a, uint64_t b) { return el_fh3(tmpl, a, b); }

/* Feature templates. */
enum {
  T_BIAS = 1, T_W, T_N, T_SH, T_PRE3, T_SUF2, T_SUF3, T_SUF4,
  T_NM1, T_NP1, T_NM2, T_NP2, T_SH3, T_T1, T_T12, T_T1N, T_T1SH, T_NM1N, T_NNP1,
  T_GAZ0, T_GAZM1, T_GAZP1, T_CLS0, T_CLSM1, T_CLSP1,
  T_C1, T_C2, T_C1M1, T_C1P1, T_C2M1, T_C2P1, T_HIST, T_CAPS, T_CAPSN, T_LEN, T_CAPW, T_CAPR
};

/* ------------------------------------------------------------------------ */
/* The model: a container (el_model.h) with two sections                     */

struct el_ner_model {
  el_apm w;                     /* "ner.weights": el_perceptron.h */
  const unsigned char *clus;    /* "ner.clusters": slots of EL_NER_CROW bytes */
  uint32_t cmask;
};

static uint32_t el_rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t el_rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Open a container in place; 0, or -1 when it is not an NER model. */
static int el_model_init(el_ner_model *m, const void *blob, size_t n) {
  const void *w, *c;
  size_t wn, cn;
  if (el_blob_find(blob, n, EL_NER_SEC_WEIGHTS, &w, &wn) != 0 ||
      el_blob_find(blob, n, EL_NER_SEC_CLUSTERS, &c, &cn) != 0)
    return -1;
  if (el_apm_open(&m->w, w, wn) != 0 || m->w.nclass != EL_NER_NTAGS) return -1;
  /* clusters: u32 slot count (a power of two), then the slots */
  const unsigned char *cb = c;
  if (cn < 4) return -1;
  uint32_t ns = el_rd32(cb);
  if (ns == 0 || (ns & (ns - 1)) || (uint64_t)ns * EL_NER_CROW + 4 != cn) return -1;
  m->clus = cb + 4;
  m->cmask = ns - 1;
  /* a full table would make a probe loop forever */
  uint32_t k = 0;
  while (k < ns && el_rd32(m->clus + (size_t)k * EL_NER_CROW) != 0) k++;
  return k == ns ? -1 : 0;
}

el_ner_model *el_ner_model_open(const void *blob, size_t n) {
  el_ner_model *m = el_malloc(sizeof(*m));
  if (m == NULL) return NULL;
  if (el_model_init(m, blob, n) != 0) {
    el_free(m);
    return NULL;
  }
  return m;
}

void el_ner_model_free(el_ner_model *m) { el_free(m); }

/* The built-in model: models/ner.bin, embedded by el_ner_blob.c. */
static el_ner_model el_builtin_model;
static int el_builtin_ok;
static pthread_once_t el_builtin_once = PTHREAD_ONCE_INIT;

static void el_builtin_init(void) {
  const void *data;
  size_t len;
  el_model_ner(&data, &len);
  el_builtin_ok = el_model_init(&el_builtin_model, data, len) == 0;
}

const el_ner_model *el_ner_builtin(void) {
  pthread_once(&el_builtin_once, el_builtin_init);
  return el_builtin_ok ? &el_builtin_model : NULL;
}

static int el_model_cluster(void *ctx, const char *norm, size_t n, el_ner_wordinfo *wi) {
  const el_ner_model *m = ctx;
  uint64_t h = el_ner_hash(norm, n);
  uint32_t key = (uint32_t)h | 1u;
  for (uint32_t s = (uint32_t)(h >> 32) & m->cmask;; s = (s + 1) & m->cmask) {
    const unsigned char *row = m->clus + (size_t)s * EL_NER_CROW;
    uint32_t k = el_rd32(row);
    if (k == 0) break;
    if (k == key) {
      wi->c2 = el_rd16(row + 4);
      wi->c1 = row[6];
      wi->cap = row[7];
      return 1;
    }
  }
  memset(wi, 0, sizeof(*wi));
  return 0;
}

int el_ner_word_cap(const el_ner_model *m, const char *norm, size_t n) {
  el_ner_wordinfo wi;
  el_model_cluster((void *)m, norm, n, &wi);
  return wi.cap;
}

/* ------------------------------------------------------------------------ */
/* The tagger                                                                */

/* Word-level values of one token, computed on first use. */
typedef struct el_wf {
  uint64_t hn, hw, hs; /* hashes: normalised form, text, shape */
  uint16_t c1, c2;     /* clusters */
  uint8_t cap;         /* capitalisation bucket */
  uint8_t done;        /* the hashes are set */
  uint8_t cl_done;     /* c1, c2 and cap are set (looked up only when needed) */
  uint8_t hw_done;     /* hw is set */
} el_wf;

/* History: normalised word hash -> how often each class was given. */
#define EL_HIST_SLOTS 8192
#define EL_HIST_MAX 4096
typedef struct el_hist_slot {
  uint64_t key; /* 0: empty */
  uint8_t n[EL_NER_NCLASS];
} el_hist_slot;

/* A cached group sum (el_group). */
#define EL_CACHE_SLOTS 8192
typedef struct el_cache_slot {
  uint64_t key; /* 0: empty */
  int32_t v[EL_NER_NTAGS];
} el_cache_slot;

struct el_ner {
  const el_ner_model *m;
  el_cache_slot *cache; /* NULL without a model */
  el_ner_cluster_fn cluster_fn;
  void *ctx;
  el_wf *wf;
  size_t wf_cap;
  int caps; /* the current batch is in capitals */
  el_hist_slot *hist;
  uint32_t *hist_used;
  size_t hist_n;
};

static el_ner *el_ner_alloc(void) {
  el_ner *t = el_calloc(1, sizeof(*t));
  if (t == NULL) return NULL;
  t->hist = el_calloc(EL_HIST_SLOTS, sizeof(*t->hist));
  t->hist_used = el_calloc(EL_HIST_MAX, sizeof(*t->hist_used));
  if (t->hist == NULL || t->hist_used == NULL) {
    el_ner_free(t);
    return NULL;
  }
  return t;
}

el_ner *el_ner_new(const el_ner_model *m) {
  if (m == NULL) return NULL;
  el_ner *t = el_ner_alloc();
  if (t == NULL) return NULL;
  t->m = m;
  t->cache = el_calloc(EL_CACHE_SLOTS, sizeof(*t->cache));
  if (t->cache == NULL) {
    el_ner_free(t);
    return NULL;
  }
  t->cluster_fn = el_model_cluster;
  t->ctx = (void *)m;
  return t;
}

el_ner *el_ner_new_custom(el_ner_cluster_fn cluster_fn, void *ctx) {
  el_ner *t = el_ner_alloc();
  if (t == NULL) return NULL;
  t->cluster_fn = cluster_fn;
  t->ctx = ctx;
  return t;
}

void el_ner_free(el_ner *t) {
  if (t == NULL) return;
  el_free(t->wf);
  el_free(t->cache);
  el_free(t->hist);
  el_free(t->hist_used);
  el_free(t);
}

void el_ner_reset(el_ner *t) {
  for (size_t i = 0; i < t->hist_n; i++) memset(&t->hist[t->hist_used[i]], 0, sizeof(el_hist_slot));
  t->hist_n = 0;
}

static el_hist_slot *el_hist_find(el_ner *t, uint64_t key, int add) {
  key |= 1;
  for (uint32_t s = (uint32_t)(key >> 40) & (EL_HIST_SLOTS - 1);; s = (s + 1) & (EL_HIST_SLOTS - 1)) {
    el_hist_slot *h = &t->hist[s];
    if (h->key == key) return h;
    if (h->key == 0) {
      if (!add || t->hist_n >= EL_HIST_MAX) return NULL;
      h->key = key;
      t->hist_used[t->hist_n++] = s;
      return h;
    }
  }
}

int el_ner_gate(const el_ner_tok *tok, uint8_t prev) {
  if (prev != 0 && EL_NER_POS(prev) <= EL_NER_I) return 1;
  return tok->kind == 0 /* EL_WORD */ && tok->shape != 0;
}

/* Shape: X, x, d for ASCII letters and digits, other bytes as they are
** (a UTF-8 letter is 'u'); runs collapse to one; at most 8 characters. */
static uint64_t el_shape_hash(const el_ner_tok *k) {
  char buf[8];
  size_t o = 0;
  char last = 0;
  for (uint32_t i = 0; i < k->n && o < sizeof(buf); i++) {
    unsigned char c = (unsigned char)k->z[i];
    char s;
    if (c >= 'A' && c <= 'Z') s = 'X';
    else if (c >= 'a' && c <= 'z') s = 'x';
    else if (c >= '0' && c <= '9') s = 'd';
    else if (c >= 0xC0) s = (k->shape != 0 && i == 0) ? 'X' : 'u';
    else if (c >= 0x80) continue;
    else s = (char)c;
    if (s == last) continue;
    buf[o++] = s;
    last = s;
  }
  return el_ner_hash(buf, o) + o;
}

static const el_wf *el_word(el_ner *t, const el_ner_tok *tok, size_t i) {
  el_wf *w = &t->wf[i];
  if (!w->done) {
    const el_ner_tok *k = &tok[i];
    w->done = 1;
    w->hn = el_ner_hash(k->norm, k->nlen);
    w->hs = el_shape_hash(k);
  }
  return w;
}

/* The hash of the word as written (only the classified word needs it). */
static uint64_t el_word_hw(el_ner *t, const el_ner_tok *tok, size_t i) {
  el_wf *w = (el_wf *)el_word(t, tok, i);
  if (!w->hw_done) {
    const el_ner_tok *k = &tok[i];
    w->hw_done = 1;
    w->hw = k->n == k->nlen && memcmp(k->z, k->norm, k->n) == 0 ? w->hn : el_ner_hash(k->z, k->n);
  }
  return w->hw;
}

/* The same with the word's clusters and capitalisation. */
static const el_wf *el_word_cl(el_ner *t, const el_ner_tok *tok, size_t i) {
  el_wf *w = (el_wf *)el_word(t, tok, i);
  if (!w->cl_done) {
    const el_ner_tok *k = &tok[i];
    el_ner_wordinfo wi = {0, 0, 0};
    w->cl_done = 1;
    if (k->kind == 0 && t->cluster_fn) t->cluster_fn(t->ctx, k->norm, k->nlen, &wi);
    w->c1 = wi.c1;
    w->c2 = wi.c2;
    w->cap = wi.cap;
  }
  return w;
}

static const el_wf el_pad_left = {0x5111111111111111ULL, 0x5111111111111111ULL,
                                  0x5111111111111111ULL, 0xFFFF, 0xFFFF, 0, 1, 1, 1};
static const el_wf el_pad_right = {0x7333333333333333ULL, 0x7333333333333333ULL,
                                   0x7333333333333333ULL, 0xFFFE, 0xFFFE, 0, 1, 1, 1};

static const el_wf *el_word_at(el_ner *t, const el_ner_tok *tok, size_t n, size_t i, int d) {
  if (d < 0 && (size_t)(-d) > i) return &el_pad_left;
  if (i + (size_t)d >= n) return &el_pad_right;
  return el_word(t, tok, i + (size_t)d);
}

static const el_wf *el_word_at_cl(el_ner *t, const el_ner_tok *tok, size_t n, size_t i, int d) {
  if (d < 0 && (size_t)(-d) > i) return &el_pad_left;
  if (i + (size_t)d >= n) return &el_pad_right;
  return el_word_cl(t, tok, i + (size_t)d);
}

static uint32_t el_lex_at(const el_ner_tok *tok, size_t n, size_t i, int d) {
  if (d < 0 && (size_t)(-d) > i) return 0x80000000u;
  if (i + (size_t)d >= n) return 0x40000000u;
  return tok[i + (size_t)d].lex;
}

#define EL_GAZ_BITS (EL_NER_LX_GAZ_MASK | EL_NER_LX_COUNTRY)
#define EL_CLS_BITS 0x1FFu

/* The features come in four groups. The first three depend on one token
** each, so the tagger caches their summed weights per word (el_ner_tag):
**   the word itself (and the bias), keyed by its text and lexicon bits;
**   the word before it as left context, keyed by that word and its bits;
**   the word after it as right context, the same;
** the fourth holds what joins several tokens, the tags and the history. */

static size_t el_feats_word(el_ner *t, const el_ner_tok *tok, size_t i, uint64_t *f) {
  size_t k = 0;
  const el_ner_tok *w = &tok[i];
  const el_wf *w0 = el_word_cl(t, tok, i);
  f[k++] = el_f1(T_BIAS, 0);
  f[k++] = el_f1(T_W, el_word_hw(t, tok, i));
  f[k++] = el_f1(T_N, w0->hn);
  f[k++] = el_f1(T_SH, w0->hs);
  if (w->nlen >= 3) f[k++] = el_f1(T_PRE3, el_ner_hash(w->norm, 3));
  if (w->nlen >= 3) f[k++] = el_f1(T_SUF2, el_ner_hash(w->norm + w->nlen - 2, 2));
  if (w->nlen >= 4) f[k++] = el_f1(T_SUF3, el_ner_hash(w->norm + w->nlen - 3, 3));
  if (w->nlen >= 5) f[k++] = el_f1(T_SUF4, el_ner_hash(w->norm + w->nlen - 4, 4));
  f[k++] = el_f1(T_LEN, w->nlen > 12 ? 12 : w->nlen);
  f[k++] = el_f1(T_GAZ0, w->lex & EL_GAZ_BITS);
  f[k++] = el_f1(T_CLS0, w->lex & EL_CLS_BITS);
  f[k++] = el_f1(T_C1, w0->c1);
  f[k++] = el_f1(T_C2, w0->c2);
  f[k++] = el_f2(T_CAPW, w0->cap, w->shape);
  return k;
}

static size_t el_feats_left(el_ner *t, const el_ner_tok *tok, size_t n, size_t i, uint64_t *f) {
  const el_wf *m1 = el_word_at_cl(t, tok, n, i, -1);
  uint32_t lm1 = el_lex_at(tok, n, i, -1);
  f[0] = el_f1(T_NM1, m1->hn);
  f[1] = el_f1(T_GAZM1, lm1 & (EL_GAZ_BITS | 0xC0000000u));
  f[2] = el_f1(T_CLSM1, lm1 & (EL_CLS_BITS | 0xC0000000u));
  f[3] = el_f1(T_C1M1, m1->c1);
  f[4] = el_f1(T_C2M1, m1->c2);
  return 5;
}

static size_t el_feats_right(el_ner *t, const el_ner_tok *tok, size_t n, size_t i, uint64_t *f) {
  const el_wf *p1 = el_word_at_cl(t, tok, n, i, 1);
  uint32_t lp1 = el_lex_at(tok, n, i, 1);
  f[0] = el_f1(T_NP1, p1->hn);
  f[1] = el_f1(T_GAZP1, lp1 & (EL_GAZ_BITS | 0xC0000000u));
  f[2] = el_f1(T_CLSP1, lp1 & (EL_CLS_BITS | 0xC0000000u));
  f[3] = el_f1(T_C1P1, p1->c1);
  f[4] = el_f1(T_C2P1, p1->c2);
  return 5;
}

/* Tags, shapes and capitalisation: few values, so cached too (EL_G_SHAPE). */
static size_t el_feats_shape(el_ner *t, const el_ner_tok *tok, size_t n, size_t i,
                             const uint8_t *tags, uint64_t *f) {
  size_t k = 0;
  const el_ner_tok *w = &tok[i];
  const el_wf *w0 = el_word_cl(t, tok, i);
  const el_wf *m1 = el_word_at(t, tok, n, i, -1), *p1 = el_word_at(t, tok, n, i, 1);
  uint64_t t1 = i > 0 ? tags[i - 1] : 99, t2 = i > 1 ? tags[i - 2] : 99;
  f[k++] = el_f2(T_SH3, m1->hs * 31 + w0->hs, p1->hs);
  f[k++] = el_f1(T_T1, t1);
  f[k++] = el_f2(T_T12, t1, t2);
  f[k++] = el_f2(T_T1SH, t1, w0->hs);
  f[k++] = el_f2(T_CAPS, (uint64_t)t->caps * 4 + w->first * 2, w0->hs);
  f[k++] = el_f2(T_CAPR, (uint64_t)t->caps * 4 + w->first * 2, w0->cap);
  return k;
}

/* What joins words, and the history. */
static size_t el_feats_rest(el_ner *t, const el_ner_tok *tok, size_t n, size_t i,
                            const uint8_t *tags, uint64_t *f) {
  size_t k = 0;
  const el_ner_tok *w = &tok[i];
  const el_wf *w0 = el_word(t, tok, i);
  const el_wf *m1 = el_word_at(t, tok, n, i, -1), *p1 = el_word_at(t, tok, n, i, 1);
  const el_wf *m2 = el_word_at(t, tok, n, i, -2), *p2 = el_word_at(t, tok, n, i, 2);
  uint64_t t1 = i > 0 ? tags[i - 1] : 99;
  f[k++] = el_f1(T_NM2, m2->hn);
  f[k++] = el_f1(T_NP2, p2->hn);
  f[k++] = el_f2(T_T1N, t1, w0->hn);
  f[k++] = el_f2(T_NM1N, m1->hn, w0->hn);
  f[k++] = el_f2(T_NNP1, w0->hn, p1->hn);
  /* history: the class this word was given most often before in the document */
  uint64_t hv = 0;
  const el_hist_slot *h = t->hist_n ? el_hist_find(t, w0->hn, 0) : NULL;
  if (h) {
    int best = 0;
    for (int c = 1; c < EL_NER_NCLASS; c++)
      if (h->n[c] > h->n[best]) best = c;
    hv = 1 + (uint64_t)best;
  }
  f[k++] = el_f1(T_HIST, hv);
  if (t->caps || w->first) f[k++] = el_f2(T_CAPSN, (uint64_t)t->caps * 4 + w->first * 2, w0->hn);
  return k;
}

size_t el_ner_features(el_ner *t, const el_ner_tok *tok, size_t n, size_t i, const uint8_t *tags,
                       uint64_t *f) {
  size_t k = el_feats_word(t, tok, i, f);
  k += el_feats_left(t, tok, n, i, f + k);
  k += el_feats_right(t, tok, n, i, f + k);
  k += el_feats_shape(t, tok, n, i, tags, f + k);
  return k + el_feats_rest(t, tok, n, i, tags, f + k);
}

/* The cache of group sums: direct-mapped, keyed by a 64-bit hash of what the
** group's features depend on. Sums of integer weights: exact. */
enum { EL_G_WORD = 1, EL_G_LEFT, EL_G_RIGHT, EL_G_SHAPE };

static const int32_t *el_group(el_ner *t, const el_ner_tok *tok, size_t n, size_t i,
                               const uint8_t *tags, int g) {
  uint64_t key;
  /* one mix of a hash and the small values (a 64-bit key: a collision is
  ** as unlikely as one between features) */
  if (g == EL_G_SHAPE) {
    const el_wf *w0 = el_word_cl(t, tok, i);
    uint64_t t1 = i > 0 ? tags[i - 1] : 99, t2 = i > 1 ? tags[i - 2] : 99;
    uint64_t hm = el_word_at(t, tok, n, i, -1)->hs, hp = el_word_at(t, tok, n, i, 1)->hs;
    key = el_fh_mix(w0->hs ^ (hm << 21 | hm >> 43) ^ (hp << 42 | hp >> 22) ^
                    ((t1 << 8 | t2) << 16 | (uint64_t)w0->cap << 8 | (uint64_t)t->caps << 1 |
                     tok[i].first) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)EL_G_SHAPE << 60);
  } else if (g == EL_G_WORD) {
    key = el_fh_mix(el_word_hw(t, tok, i) ^
                    (tok[i].lex & (EL_GAZ_BITS | EL_CLS_BITS)) * 0x9e3779b97f4a7c15ULL ^
                    (uint64_t)EL_G_WORD << 60);
  } else {
    int d = g == EL_G_LEFT ? -1 : 1;
    key = el_fh_mix(el_word_at(t, tok, n, i, d)->hn ^
                    (el_lex_at(tok, n, i, d) & (EL_GAZ_BITS | EL_CLS_BITS | 0xC0000000u)) *
                        0x9e3779b97f4a7c15ULL ^
                    (uint64_t)g << 60);
  }
  key |= 1;
  el_cache_slot *c = &t->cache[(key >> 20) & (EL_CACHE_SLOTS - 1)];
  if (c->key != key) {
    uint64_t f[EL_NER_MAX_FEATS];
    size_t nf = g == EL_G_WORD    ? el_feats_word(t, tok, i, f)
                : g == EL_G_LEFT  ? el_feats_left(t, tok, n, i, f)
                : g == EL_G_RIGHT ? el_feats_right(t, tok, n, i, f)
                                  : el_feats_shape(t, tok, n, i, tags, f);
    el_apm_score(&t->m->w, f, (int)nf, c->v);
    c->key = key;
  }
  return c->v;
}

/* The best tag: the highest score, with no constraint on what came before,
** so that one wrong B does not force a name on the words after it (el_ner_span
** repairs a sequence that is not BILOU). */
#define EL_BEST(s)                                     \
  do {                                                 \
    uint8_t best_ = 0;                                 \
    for (uint8_t t_ = 1; t_ < EL_NER_NTAGS; t_++)      \
      if ((s)[t_] > (s)[best_]) best_ = t_;            \
    return best_;                                      \
  } while (0)

uint8_t el_ner_best(const float *s) { EL_BEST(s); }

static uint8_t el_best_int(const int32_t *s) { EL_BEST(s); }

int el_ner_span(const uint8_t *tags, size_t n, size_t *start, size_t *end, int *cls) {
  size_t i = *start;
  while (i < n && tags[i] == 0) i++;
  if (i >= n) return 0;
  int c = EL_NER_CLASS(tags[i]);
  /* a name goes on while its class does, with I and L after a B or I; it
  ** ends at an L, a U, a B, another class or O (B then O is a one-word name) */
  size_t j = i;
  while (j + 1 < n && tags[j + 1] != 0 && EL_NER_CLASS(tags[j + 1]) == c &&
         (EL_NER_POS(tags[j]) == EL_NER_B || EL_NER_POS(tags[j]) == EL_NER_I) &&
         (EL_NER_POS(tags[j + 1]) == EL_NER_I || EL_NER_POS(tags[j + 1]) == EL_NER_L))
    j++;
  *start = i;
  *end = j + 1;
  *cls = c;
  return 1;
}

int el_ner_remember(el_ner *t, const el_ner_tok *tok, size_t n, const uint8_t *tags) {
  for (size_t i = 0; i < n; i++) {
    if (tags[i] == 0 || tok[i].shape == 0 || tok[i].kind != 0) continue;
    el_hist_slot *h = el_hist_find(t, el_word(t, tok, i)->hn, 1);
    if (h == NULL) return 0; /* full: remember no more in this document */
    uint8_t *c = &h->n[EL_NER_CLASS(tags[i])];
    if (*c < 255) (*c)++;
  }
  return 0;
}

/* Prepare the per-token scratch for a batch of n tokens. */
static int el_batch(el_ner *t, const el_ner_tok *tok, size_t n) {
  if (n > t->wf_cap) {
    size_t cap = n < 64 ? 64 : n;
    el_wf *nw = el_reallocarray(t->wf, cap, sizeof(*nw));
    if (nw == NULL) return -1;
    t->wf = nw;
    t->wf_cap = cap;
  }
  memset(t->wf, 0, n * sizeof(*t->wf));
  /* a line in capitals: most of its words are all capitals */
  size_t words = 0, upper = 0;
  for (size_t i = 0; i < n; i++) {
    if (tok[i].kind != 0 || tok[i].nlen < 2) continue;
    words++;
    upper += tok[i].shape == 2;
  }
  t->caps = words >= 2 && upper * 10 >= words * 7;
  return 0;
}

int el_ner_tag(el_ner *t, const el_ner_tok *tok, size_t n, uint8_t *tags) {
  uint64_t f[EL_NER_MAX_FEATS];
  if (t->m == NULL || el_batch(t, tok, n) != 0) return -1;
  uint8_t prev = 0;
  for (size_t i = 0; i < n; i++) {
    if (!el_ner_gate(&tok[i], prev)) {
      tags[i] = prev = 0;
      continue;
    }
    size_t nf = el_feats_rest(t, tok, n, i, tags, f);
    int32_t s[EL_NER_NTAGS];
    /* each group's sum is used before the next lookup may evict it */
    memcpy(s, el_group(t, tok, n, i, tags, EL_G_WORD), sizeof(s));
    for (int gi = EL_G_LEFT; gi <= EL_G_SHAPE; gi++) {
      const int32_t *g = el_group(t, tok, n, i, tags, gi);
      for (int k = 0; k < EL_NER_NTAGS; k++) s[k] += g[k];
    }
    el_apm_add(&t->m->w, f, (int)nf, s);
    tags[i] = prev = el_best_int(s);
  }
  return el_ner_remember(t, tok, n, tags);
}

int el_ner_begin_batch(el_ner *t, const el_ner_tok *tok, size_t n) { return el_batch(t, tok, n); }
