/*
** Trainer of the UD model (ext/nlp/models/ud.bin): segmentation lexicon and
** classifier, word lexicon (ambiguity classes, word clusters), tagger (UPOS and
** Penn XPOS as one class), lemmatizer (lemma rules, a look-up of the forms
** seen, a classifier for the others) and the labelled arc-hybrid parser
** (dynamic oracle with exploration, trained on jackknifed tags).
**
**   train_ud TRAIN.conllu.gz DEV.conllu.gz CLUSTERS OUT.bin
**
** CLUSTERS is a word-cluster file written by train_clusters ("-" for none).
** Deterministic: fixed orders and a fixed seed; no threads. Prints progress
** and gold-segmentation dev scores on stderr.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/el_alloc.h"
#include "../el_model.h"
#include "../el_nlp_int.h"
#include "../el_perceptron.h"
#include "conllu.h"

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

static void die(const char *msg) {
  fprintf(stderr, "train_ud: %s\n", msg);
  exit(1);
}

static void *xmalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
static double t0;
#define LOG(...) do { fprintf(stderr, "[%6.1fs] ", now() - t0); fprintf(stderr, __VA_ARGS__); } while (0)

/* Deterministic pseudo-random numbers (xorshift64*). */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}
static double rng01(void) { return (double)(rng() >> 11) / 9007199254740992.0; }
static void shuffle(int *a, int n) {
  for (int i = n - 1; i > 0; i--) {
    int j = (int)(rng() % (uint64_t)(i + 1));
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/* A string interner: strings -> ids in order of first appearance. */
typedef struct interner {
  char **s;
  long *count;
  int n, cap;
} interner;

static int intern(interner *in, const char *s, int add) {
  for (int i = 0; i < in->n; i++)
    if (strcmp(in->s[i], s) == 0) {
      if (add) in->count[i]++;
      return i;
    }
  if (!add) return -1;
  if (in->n == in->cap) {
    in->cap = in->cap ? in->cap * 2 : 64;
    in->s = realloc(in->s, (size_t)in->cap * sizeof(char *));
    in->count = realloc(in->count, (size_t)in->cap * sizeof(long));
    if (!in->s || !in->count) die("out of memory");
  }
  in->s[in->n] = strdup(s);
  in->count[in->n] = 1;
  return in->n++;
}

/* A hash map uint64 -> int (open addressing, for the trainer only). */
typedef struct hmap {
  uint64_t *k;
  int *v;
  size_t mask, n;
} hmap;

static void hmap_init(hmap *h, size_t cap) {
  size_t c = 1024;
  while (c < cap * 2) c *= 2;
  h->k = xmalloc(c * sizeof(uint64_t));
  h->v = xmalloc(c * sizeof(int));
  h->mask = c - 1;
  h->n = 0;
}
static void hmap_free(hmap *h) {
  free(h->k);
  free(h->v);
}
static int *hmap_get(hmap *h, uint64_t key, int create) {
  if (key == 0) key = 1;
  if (create && (h->n + 1) * 2 > h->mask + 1) {
    hmap nh;
    hmap_init(&nh, (h->mask + 1));
    for (size_t i = 0; i <= h->mask; i++)
      if (h->k[i]) *hmap_get(&nh, h->k[i], 1) = h->v[i];
    hmap_free(h);
    *h = nh;
  }
  size_t i = key & h->mask;
  while (h->k[i]) {
    if (h->k[i] == key) return &h->v[i];
    i = (i + 1) & h->mask;
  }
  if (!create) return NULL;
  h->k[i] = key;
  h->v[i] = 0;
  h->n++;
  return &h->v[i];
}

/* Build an open-addressing table of `n` entries of `size` bytes whose first
** field is a uint64 key: returns the table (2^k entries) and its byte size. */
static unsigned char *build_table(const void *ents, size_t n, size_t size, size_t *bytes) {
  size_t c = 2;
  while (c < n * 2) c *= 2;
  unsigned char *t = xmalloc(c * size);
  for (size_t e = 0; e < n; e++) {
    const unsigned char *src = (const unsigned char *)ents + e * size;
    uint64_t key;
    memcpy(&key, src, 8);
    if (key == 0) key = 1;
    size_t i = key & (c - 1);
    for (;;) {
      uint64_t k2;
      memcpy(&k2, t + i * size, 8);
      if (k2 == 0) break;
      i = (i + 1) & (c - 1);
    }
    memcpy(t + i * size, src, size);
    memcpy(t + i * size, &key, 8);
  }
  *bytes = c * size;
  return t;
}

/* ------------------------------------------------------------------------ */
/* Sentences prepared for training                                           */

typedef struct tsent {
  cu_sent *cu;
  el_token *tok;
  int ntok;
  el_nlp_word *w;
  el_nlp_feat *f;
  uint16_t *gtag, *ptag, *ptag1; /* gold, predicted, first-pass predicted tags */
  int *ghead, *gdep;  /* gold tree (projectivized for training) */
  uint16_t *grule;    /* gold lemma rules */
  int fold;
} tsent;

static interner tags, deps, amb_names;
static el_nlp M; /* the model being built; sections are filled as they are trained */

static int tag_of(const cu_word *w, int add) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s\t%s", w->upos, getenv("NLP_UPOS_ONLY") ? w->upos : w->xpos);
  return intern(&tags, buf, add);
}

static void prepare(cu_corpus *c, tsent **out, int add) {
  tsent *ts = xmalloc((size_t)c->n * sizeof(tsent));
  for (int i = 0; i < c->n; i++) {
    cu_sent *s = &c->s[i];
    tsent *t = &ts[i];
    t->cu = s;
    int cap = 16;
    t->tok = xmalloc((size_t)cap * sizeof(el_token));
    el_tokenizer tk;
    el_tokenizer_init(&tk, s->text, s->tlen);
    el_token tok;
    while (el_tokenizer_next(&tk, &tok)) {
      if (t->ntok == cap) {
        cap *= 2;
        t->tok = realloc(t->tok, (size_t)cap * sizeof(el_token));
      }
      t->tok[t->ntok++] = tok;
    }
    int n = s->n;
    t->w = xmalloc((size_t)n * sizeof(el_nlp_word));
    t->f = xmalloc((size_t)n * sizeof(el_nlp_feat));
    t->gtag = xmalloc((size_t)n * sizeof(uint16_t));
    t->ptag = xmalloc((size_t)n * sizeof(uint16_t));
    t->ptag1 = xmalloc((size_t)n * sizeof(uint16_t));
    t->ghead = xmalloc((size_t)n * sizeof(int));
    t->gdep = xmalloc((size_t)n * sizeof(int));
    t->grule = xmalloc((size_t)n * sizeof(uint16_t));
    for (int k = 0; k < n; k++) {
      t->w[k].start = t->w[k].tstart = s->w[k].start;
      t->w[k].end = t->w[k].tend = s->w[k].end;
      t->w[k].tok = t->w[k].tok_last = -1;
      int tg = tag_of(&s->w[k], add);
      t->gtag[k] = (uint16_t)(tg < 0 ? 0 : tg);
      int d = intern(&deps, s->w[k].deprel, add);
      t->gdep[k] = d < 0 ? 0 : d;
      t->ghead[k] = s->w[k].head;
    }
    t->fold = i % 4;
  }
  *out = ts;
}

static void compute_features(tsent *ts, int n, int fold) {
  static char scratch[4096];
  for (int i = 0; i < n; i++)
    if (fold < 0 || ts[i].fold == fold)
    el_word_features(&M, ts[i].cu->text, ts[i].w, (size_t)ts[i].cu->n, ts[i].f, scratch,
                     sizeof scratch);
}

/* ------------------------------------------------------------------------ */
/* Word clusters                                                             */

static hmap clusters; /* lower-cased form hash -> cluster bits */
static hmap capr;     /* lower-cased form hash -> capitalization bucket */
static int nclusters_words;

static void load_clusters(const char *path) {
  hmap_init(&clusters, 1 << 16);
  hmap_init(&capr, 1 << 16);
  if (strcmp(path, "-") == 0) return;
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open the clusters file");
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    char *e;
    unsigned long fine = strtoul(tab + 1, &e, 10);
    unsigned long coarse = strtoul(e + 1, &e, 10);
    unsigned long cap = strtoul(e + 1, &e, 10);
    uint64_t key = el_fh_bytes(line, strlen(line));
    *hmap_get(&clusters, key, 1) = (int)((fine + 1) | (coarse + 1) << 16);
    *hmap_get(&capr, key, 1) = (int)cap;
    nclusters_words++;
  }
  fclose(f);
}

/* ------------------------------------------------------------------------ */
/* Lexicon                                                                   */

static double envd(const char *name, double def) {
  const char *v = getenv(name);
  return v ? atof(v) : def;
}
#define AMB_MIN_COUNT envd("AMB_MIN_COUNT", 1)
#define AMB_MIN_SHARE envd("AMB_MIN_SHARE", 0.01)
#define SINGLE_MIN_COUNT envd("SINGLE_MIN_COUNT", 40)
#define SINGLE_MIN_SHARE envd("SINGLE_MIN_SHARE", 0.999)
#define SEGX_OPT_MIN_COUNT envd("SEGX_OPT_MIN_COUNT", 3)
#define SEGX_OPT_MIN_SHARE envd("SEGX_OPT_MIN_SHARE", 0.01)
#define TAG_EPOCHS ((int)envd("TAG_EPOCHS", 8))
#define TAG_XW envd("TAG_XW", 0.5) /* weight of an update that only fixes the XPOS */
#define PARSE_EPOCHS ((int)envd("PARSE_EPOCHS", 10))
#define PARSE_PRUNE ((float)envd("PARSE_PRUNE", 1.5))
#define TAG_PRUNE ((float)envd("TAG_PRUNE", 1.0))
#define TAG_PASSES ((int)envd("TAG_PASSES", 1))

static unsigned char *lex_table;
static size_t lex_bytes;

/* Build the lexicon from the sentences whose fold != skip_fold (-1: all). */
static void build_lexicon(tsent *ts, int n, int skip_fold) {
  int ntags = tags.n;
  hmap idx;
  hmap_init(&idx, 1 << 16);
  int cap = 1 << 14, nw = 0;
  int *counts = xmalloc((size_t)cap * ntags * sizeof(int));
  uint64_t *keys = xmalloc((size_t)cap * sizeof(uint64_t));
  char low[1024];
  for (int i = 0; i < n; i++) {
    if (ts[i].fold == skip_fold) continue;
    cu_sent *s = ts[i].cu;
    for (int k = 0; k < s->n; k++) {
      size_t a = s->w[k].start, b = s->w[k].end;
      if (b - a > 64) continue;
      size_t l = el_nlp_lower((const unsigned char *)s->text, a, b, low, sizeof low);
      uint64_t h = el_fh_bytes(low, l);
      int *v = hmap_get(&idx, h, 1);
      if (*v == 0) {
        if (nw == cap) {
          cap *= 2;
          counts = realloc(counts, (size_t)cap * ntags * sizeof(int));
          keys = realloc(keys, (size_t)cap * sizeof(uint64_t));
          memset(counts + (size_t)nw * ntags, 0, (size_t)(cap - nw) * ntags * sizeof(int));
        }
        keys[nw] = h;
        *v = ++nw;
      }
      counts[(size_t)(*v - 1) * ntags + ts[i].gtag[k]]++;
    }
  }
  /* cluster words not in the training data */
  size_t total = (size_t)nw + clusters.n;
  el_lex_ent *ents = xmalloc(total * sizeof(el_lex_ent));
  size_t ne = 0;
  for (int wi = 0; wi < nw; wi++) {
    int *c = counts + (size_t)wi * ntags;
    int tot = 0, best = 0;
    for (int t = 0; t < ntags; t++) {
      tot += c[t];
      if (c[t] > c[best]) best = t;
    }
    el_lex_ent *e = &ents[ne++];
    e->key = keys[wi];
    e->count = (uint32_t)tot;
    int *cl = hmap_get(&clusters, keys[wi], 0);
    e->cluster = cl ? (uint32_t)*cl : 0;
    int *cr = hmap_get(&capr, keys[wi], 0);
    e->capr = cr ? (uint8_t)*cr : 0;
    if (tot >= AMB_MIN_COUNT) {
      char name[1024];
      size_t o = 0;
      for (int t = 0; t < ntags && o + 8 < sizeof name; t++)
        if (c[t] >= AMB_MIN_SHARE * tot) o += (size_t)snprintf(name + o, sizeof name - o, "%d,", t);
      name[o] = 0;
      e->amb = (uint16_t)(intern(&amb_names, name, 1) + 1);
    }
    if (tot >= SINGLE_MIN_COUNT && c[best] >= SINGLE_MIN_SHARE * tot) e->tag = (uint16_t)(best + 1);
  }
  for (size_t i = 0; i <= clusters.mask; i++) {
    if (!clusters.k[i] || hmap_get(&idx, clusters.k[i], 0)) continue;
    el_lex_ent *e = &ents[ne++];
    e->key = clusters.k[i];
    e->cluster = (uint32_t)clusters.v[i];
    e->capr = (uint8_t)*hmap_get(&capr, clusters.k[i], 0);
  }
  free(lex_table);
  lex_table = build_table(ents, ne, sizeof(el_lex_ent), &lex_bytes);
  M.lex = (const el_lex_ent *)lex_table;
  M.lex_mask = lex_bytes / sizeof(el_lex_ent) - 1;
  free(ents);
  free(counts);
  free(keys);
  hmap_free(&idx);
}

/* ------------------------------------------------------------------------ */
/* Segmentation                                                              */

static unsigned char *segx_table;
static size_t segx_bytes;

/* Gold boundaries of a sentence: bit per byte (a word starts or ends there). */
static unsigned char *gold_bounds(const tsent *t) {
  unsigned char *b = xmalloc(t->cu->tlen + 1);
  for (int k = 0; k < t->cu->n; k++) {
    b[t->cu->w[k].start] = 1;
    b[t->cu->w[k].end] = 1;
  }
  return b;
}

static int letters_only(const char *z, size_t a, size_t b) {
  for (size_t i = a; i < b; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c >= '0' && c <= '9') return 0;
    if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '\'') return 0;
  }
  return 1;
}

static void build_segx(tsent *ts, int n) {
  hmap idx;
  hmap_init(&idx, 1 << 14);
  int cap = 1 << 12, nw = 0;
  struct segstat { uint64_t key; int total; uint32_t masks[4]; int mcount[4]; int mwt, plain; } *st =
      xmalloc((size_t)cap * sizeof(*st));
  char low[256];
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    unsigned char *gb = gold_bounds(t);
    for (int k = 0; k < t->ntok; k++) {
      const el_token *tk = &t->tok[k];
      size_t len = tk->end - tk->start;
      if (len < 2 || len > EL_SEG_MAX_TOKEN || tk->kind != EL_WORD) continue;
      if (!letters_only(t->cu->text, tk->start, tk->end)) continue;
      uint32_t mask = 0;
      for (size_t p = tk->start + 1; p < tk->end; p++)
        if (gb[p]) mask |= 1u << (p - tk->start);
      size_t l = el_nlp_lower((const unsigned char *)t->cu->text, tk->start, tk->end, low,
                              sizeof low);
      uint64_t h = el_fh_bytes(low, l);
      int *v = hmap_get(&idx, h, 1);
      if (*v == 0) {
        if (nw == cap) {
          cap *= 2;
          st = realloc(st, (size_t)cap * sizeof(*st));
        }
        memset(&st[nw], 0, sizeof(st[nw]));
        st[nw].key = h;
        *v = ++nw;
      }
      struct segstat *s = &st[*v - 1];
      s->total++;
      if (mask) { /* a multiword token, or words of their own ("alot": "a" "lot")? */
        int mwt = 0;
        for (int q = 0; q < t->cu->n; q++)
          if (t->cu->w[q].start >= tk->start && t->cu->w[q].end <= tk->end && t->cu->w[q].mwt)
            mwt = 1;
        if (mwt) s->mwt++;
        else s->plain++;
      }
      for (int q = 0; q < 4; q++) {
        if (s->mcount[q] && s->masks[q] == mask) {
          s->mcount[q]++;
          break;
        }
        if (!s->mcount[q]) {
          s->masks[q] = mask;
          s->mcount[q] = 1;
          break;
        }
      }
    }
    free(gb);
  }
  el_segx_ent *ents = xmalloc((size_t)(nw + 1) * sizeof(el_segx_ent));
  size_t ne = 0;
  int nopt = 0, nplain = 0;
  for (int wi = 0; wi < nw; wi++) {
    /* the commonest way of splitting the form; always split when it is the
    ** commonest reading, left to the classifier when it is only frequent */
    int best = -1;
    for (int q = 0; q < 4; q++)
      if (st[wi].masks[q] && st[wi].mcount[q] && (best < 0 || st[wi].mcount[q] > st[wi].mcount[best]))
        best = q;
    if (best < 0) continue;
    int c = st[wi].mcount[best];
    uint32_t flags = 0;
    if (c < 2) continue;
    if (2 * c <= st[wi].total) {
      if (c < SEGX_OPT_MIN_COUNT || c < SEGX_OPT_MIN_SHARE * st[wi].total) continue;
      flags |= EL_SEGX_OPTIONAL;
      nopt++;
    }
    if (st[wi].plain > st[wi].mwt) {
      flags |= EL_SEGX_PLAIN;
      nplain++;
    }
    ents[ne].key = st[wi].key;
    ents[ne].splits = st[wi].masks[best];
    ents[ne].flags = flags;
    ne++;
  }
  if (ne == 0) { /* keep the table non-empty */
    ents[0].key = 1;
    ne = 1;
  }
  segx_table = build_table(ents, ne, sizeof(el_segx_ent), &segx_bytes);
  M.segx = (const el_segx_ent *)segx_table;
  M.segx_mask = segx_bytes / sizeof(el_segx_ent) - 1;
  LOG("segmentation lexicon: %zu forms (%d split only sometimes, %d into words of their own)\n",
      ne, nopt, nplain);
  free(ents);
  free(st);
  hmap_free(&idx);
}

static el_ap *train_seg(tsent *ts, int n, int epochs) {
  el_ap *ap = el_ap_new(2);
  el_seg_cand *cand = NULL;
  size_t ccap = 0;
  uint64_t f[EL_SEG_NFEAT];
  float sc[2];
  int *order = xmalloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) order[i] = i;
  for (int e = 0; e < epochs; e++) {
    shuffle(order, n);
    long err = 0, tot = 0;
    for (int oi = 0; oi < n; oi++) {
      tsent *t = &ts[order[oi]];
      unsigned char *gb = gold_bounds(t);
      long nc = el_seg_candidates(&M, t->cu->text, t->tok, (size_t)t->ntok, &cand, &ccap);
      for (long k = 0; k < nc; k++) {
        if (cand[k].forced) continue;
        int nf = el_seg_features(t->cu->text, t->tok, (size_t)t->ntok, &cand[k], f);
        el_ap_score(ap, f, nf, sc);
        int guess = sc[1] > sc[0], truth = gb[cand[k].pos] != 0;
        if (guess != truth) {
          err++;
          el_ap_update(ap, f, nf, truth, guess);
        }
        el_ap_tick(ap);
        tot++;
      }
      free(gb);
    }
    LOG("segmenter epoch %d: %ld errors in %ld candidates\n", e + 1, err, tot);
  }
  el_ap_average(ap);
  free(cand);
  free(order);
  return ap;
}

/* Words F1 of the segmentation on sentences ts (spans compared). */
static void eval_seg(tsent *ts, int n) {
  el_nlp_sent s;
  el_nlp_sent_init(&s);
  long gold = 0, sys = 0, both = 0;
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    el_nlp_analyse(&M, t->cu->text, t->cu->tlen, 0, t->cu->tlen, t->tok, (size_t)t->ntok,
                   EL_NLP_WORDS, &s);
    gold += t->cu->n;
    sys += (long)s.n;
    int g = 0;
    for (size_t k = 0; k < s.n; k++) {
      while (g < t->cu->n && t->cu->w[g].start < s.w[k].start) g++;
      if (g < t->cu->n && t->cu->w[g].start == s.w[k].start && t->cu->w[g].end == s.w[k].end)
        both++;
      else if (getenv("NLP_SEGERR")) /* the system's words with no gold word of the same span */
        fprintf(stderr, "SEGERR %.*s\n", (int)(s.w[k].end - s.w[k].start), t->cu->text + s.w[k].start);
    }
  }
  double p = (double)both / sys, r = (double)both / gold;
  LOG("dev words (gold sentences): P %.2f R %.2f F1 %.2f\n", 100 * p, 100 * r,
      200 * p * r / (p + r));
  el_nlp_sent_free(&s);
}

/* ------------------------------------------------------------------------ */
/* Tagger                                                                    */

/* Tag sentence t into out with ap (training: update toward the gold tags). */
static int tag_sentence2(el_ap *ap, tsent *t, uint16_t *out, const uint16_t *rctx, int train);
static int tag_sentence(el_ap *ap, tsent *t, uint16_t *out, int train) {
  return tag_sentence2(ap, t, out, NULL, train);
}
static int tag_sentence2(el_ap *ap, tsent *t, uint16_t *out, const uint16_t *rctx, int train) {
  uint64_t f[EL_TAG_NFEAT];
  float *sc = xmalloc((size_t)tags.n * sizeof(float));
  int right = 0, n = t->cu->n;
  for (int i = 0; i < n; i++) {
    int guess;
    if (t->f[i].single) {
      guess = t->f[i].single - 1;
    } else {
      int nf = el_tag_features(t->f, (size_t)n, (size_t)i, out, rctx, f);
      el_ap_score(ap, f, nf, sc);
      guess = el_argmax_f(sc, tags.n, NULL);
      if (train) {
        if (guess != t->gtag[i]) {
          const char *g = tags.s[t->gtag[i]], *p = tags.s[guess];
          size_t gl = strcspn(g, "\t");
          float w = strncmp(g, p, gl) == 0 && p[gl] == '\t' ? (float)TAG_XW : 1.0f;
          if (w == 1.0f) el_ap_update(ap, f, nf, t->gtag[i], guess);
          else {
            el_ap_add(ap, f, nf, t->gtag[i], w);
            el_ap_add(ap, f, nf, guess, -w);
          }
        }
        el_ap_tick(ap);
      }
    }
    right += guess == t->gtag[i];
    out[i] = (uint16_t)guess;
  }
  free(sc);
  return right;
}

static el_ap *train_tagger2(tsent *ts, int n, int skip_fold, int epochs, int second);
static el_ap *train_tagger(tsent *ts, int n, int skip_fold, int epochs) {
  return train_tagger2(ts, n, skip_fold, epochs, 0);
}
/* Dev accuracy of an exported tagger blob (what the extension will run). */
static void eval_tagger_blob(const unsigned char *blob, size_t len, tsent *ts, int n,
                             const char *what) {
  el_apm m;
  if (el_apm_open(&m, blob, len) != 0) die("bad tagger blob");
  long right = 0, tot = 0;
  int32_t *sc = xmalloc((size_t)m.nclass * sizeof(int32_t));
  uint64_t f[EL_TAG_NFEAT];
  uint16_t *out = xmalloc(4096 * sizeof(uint16_t));
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    int nw = t->cu->n;
    if (nw > 4096) continue;
    for (int k = 0; k < nw; k++) {
      if (t->f[k].single) {
        out[k] = (uint16_t)(t->f[k].single - 1);
      } else {
        int nf = el_tag_features(t->f, (size_t)nw, (size_t)k, out, NULL, f);
        el_apm_score(&m, f, nf, sc);
        out[k] = (uint16_t)el_argmax_i32(sc, m.nclass, NULL);
      }
      right += out[k] == t->gtag[k];
      tot++;
    }
  }
  free(sc);
  free(out);
  LOG("%s: dev tags (both) %.2f\n", what, 100.0 * right / tot);
}

static el_ap *train_tagger2(tsent *ts, int n, int skip_fold, int epochs, int second) {
  el_ap *ap = el_ap_new(tags.n);
  int *order = xmalloc((size_t)n * sizeof(int));
  int m = 0;
  for (int i = 0; i < n; i++)
    if (ts[i].fold != skip_fold) order[m++] = i;
  uint16_t *buf = xmalloc(4096 * sizeof(uint16_t));
  for (int e = 0; e < epochs; e++) {
    shuffle(order, m);
    long right = 0, tot = 0;
    for (int oi = 0; oi < m; oi++) {
      tsent *t = &ts[order[oi]];
      if (t->cu->n > 4096) continue;
      right += tag_sentence2(ap, t, buf, second ? t->ptag1 : NULL, 1);
      tot += t->cu->n;
    }
    if (skip_fold < 0) LOG("tagger epoch %d: train accuracy %.2f\n", e + 1, 100.0 * right / tot);
  }
  el_ap_average(ap);
  free(buf);
  free(order);
  return ap;
}

static void eval_tagger(el_ap *ap, el_ap *ap2, tsent *ts, int n) {
  long right = 0, upos = 0, xpos = 0, tot = 0, oov = 0, oovr = 0, oovc = 0, oovcr = 0;
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    tag_sentence(ap, t, t->ptag1, 0);
    if (ap2) tag_sentence2(ap2, t, t->ptag, t->ptag1, 0);
    else memcpy(t->ptag, t->ptag1, (size_t)t->cu->n * sizeof(uint16_t));
    for (int k = 0; k < t->cu->n; k++) {
      if (t->f[k].amb == 0) {
        oov++;
        oovr += t->gtag[k] == t->ptag[k];
        if (t->f[k].cluster) {
          oovc++;
          oovcr += t->gtag[k] == t->ptag[k];
        }
      }
      const char *g = tags.s[t->gtag[k]], *p = tags.s[t->ptag[k]];
      right += t->gtag[k] == t->ptag[k];
      const char *gt = strchr(g, '\t'), *pt = strchr(p, '\t');
      upos += (gt - g) == (pt - p) && memcmp(g, p, (size_t)(gt - g)) == 0;
      xpos += strcmp(gt, pt) == 0;
      tot++;
    }
  }
  if (getenv("NLP_CONFUSION")) {
    static long conf[32][32];
    static char names[32][16];
    int nn = 0;
    for (int i = 0; i < n; i++)
      for (int k = 0; k < ts[i].cu->n; k++) {
        int a = -1, b = -1;
        const char *g = tags.s[ts[i].gtag[k]], *p = tags.s[ts[i].ptag[k]];
        for (int q = 0; q < nn; q++) {
          if (strncmp(names[q], g, strcspn(g, "\t")) == 0 && names[q][strcspn(g, "\t")] == 0) a = q;
          if (strncmp(names[q], p, strcspn(p, "\t")) == 0 && names[q][strcspn(p, "\t")] == 0) b = q;
        }
        if (a < 0) { a = nn++; snprintf(names[a], 16, "%.*s", (int)strcspn(g, "\t"), g); }
        if (b < 0) { b = nn++; snprintf(names[b], 16, "%.*s", (int)strcspn(p, "\t"), p); if (b == a) {} }
        if (strcmp(names[a], names[b]) != 0) conf[a][b]++;
      }
    for (int a = 0; a < nn; a++)
      for (int b = 0; b < nn; b++)
        if (conf[a][b] >= 20) fprintf(stderr, "  %s -> %s: %ld\n", names[a], names[b], conf[a][b]);
  }
  LOG("dev unknown words: %ld (%.2f right), %ld with a cluster (%.2f right)\n", oov,
      100.0 * oovr / (oov ? oov : 1), oovc, 100.0 * oovcr / (oovc ? oovc : 1));
  LOG("dev tagging (gold words): UPOS %.2f XPOS %.2f both %.2f\n", 100.0 * upos / tot,
      100.0 * xpos / tot, 100.0 * right / tot);
}

/* ------------------------------------------------------------------------ */
/* Lemmatizer                                                                */

static el_lemma_rule *rules;
static int nrules, caprules;
static long *rule_count;

static int rule_id(const el_lemma_rule *r) {
  for (int i = 0; i < nrules; i++)
    if (rules[i].op == r->op && rules[i].strip == r->strip && rules[i].alen == r->alen &&
        memcmp(rules[i].append, r->append, r->alen) == 0)
      return i;
  if (nrules == caprules) {
    caprules = caprules ? caprules * 2 : 256;
    rules = realloc(rules, (size_t)caprules * sizeof(*rules));
    rule_count = realloc(rule_count, (size_t)caprules * sizeof(long));
  }
  rules[nrules] = *r;
  rule_count[nrules] = 0;
  return nrules++;
}

/* The rule turning form [a, b) of z into lemma; -1 when none fits. */
static int derive_rule(const char *z, size_t a, size_t b, const char *lemma) {
  char low[512];
  size_t ll = strlen(lemma), best_cost = (size_t)-1;
  el_lemma_rule best;
  memset(&best, 0, sizeof best);
  for (int op = EL_LOP_LOWER; op >= EL_LOP_KEEP; op--) { /* lower case wins ties */
    const char *src;
    size_t sl;
    if (op == EL_LOP_LOWER) {
      sl = el_nlp_lower((const unsigned char *)z, a, b, low, sizeof low);
      if (sl > sizeof low) continue;
      src = low;
    } else {
      src = z + a;
      sl = b - a;
    }
    size_t lcp = 0;
    while (lcp < sl && lcp < ll && src[lcp] == lemma[lcp]) lcp++;
    while (lcp > 0 && lcp < sl && ((unsigned char)src[lcp] & 0xC0) == 0x80) lcp--;
    size_t strip = sl - lcp, alen = ll - lcp;
    if (strip > 255 || alen > EL_LEMR_APPEND) continue;
    size_t cost = strip + alen;
    if (cost < best_cost) {
      best_cost = cost;
      memset(&best, 0, sizeof best);
      best.op = (uint8_t)op;
      best.strip = (uint8_t)strip;
      best.alen = (uint8_t)alen;
      memcpy(best.append, lemma + lcp, alen);
    }
  }
  if (best_cost == (size_t)-1) return -1;
  return rule_id(&best);
}

static unsigned char *lemx_table;
static size_t lemx_bytes;

static void build_lemmas(tsent *ts, int n) {
  el_lemma_rule keep;
  memset(&keep, 0, sizeof keep);
  rule_id(&keep); /* rule 0: the form itself */
  long unfit = 0;
  for (int i = 0; i < n; i++) {
    cu_sent *s = ts[i].cu;
    for (int k = 0; k < s->n; k++) {
      int r = derive_rule(s->text, s->w[k].start, s->w[k].end, s->w[k].lemma);
      if (r < 0) {
        unfit++;
        r = 0;
      }
      ts[i].grule[k] = (uint16_t)r;
      rule_count[r]++;
    }
  }
  /* look-up: (form, tag) -> most frequent rule */
  hmap idx;
  hmap_init(&idx, 1 << 16);
  int cap = 1 << 14, nw = 0;
  struct lx { uint64_t key; int rule[4]; int cnt[4]; } *st = xmalloc((size_t)cap * sizeof(*st));
  for (int i = 0; i < n; i++) {
    cu_sent *s = ts[i].cu;
    for (int k = 0; k < s->n; k++) {
      uint64_t key = el_fh3(EL_LEMX_KEY, ts[i].f[k].lower, ts[i].gtag[k]);
      int *v = hmap_get(&idx, key, 1);
      if (*v == 0) {
        if (nw == cap) {
          cap *= 2;
          st = realloc(st, (size_t)cap * sizeof(*st));
        }
        memset(&st[nw], 0, sizeof st[nw]);
        st[nw].key = key;
        *v = ++nw;
      }
      struct lx *x = &st[*v - 1];
      for (int q = 0; q < 4; q++) {
        if (x->cnt[q] && x->rule[q] == ts[i].grule[k]) {
          x->cnt[q]++;
          break;
        }
        if (!x->cnt[q]) {
          x->rule[q] = ts[i].grule[k];
          x->cnt[q] = 1;
          break;
        }
      }
    }
  }
  el_lemx_ent *ents = xmalloc((size_t)nw * sizeof(el_lemx_ent));
  for (int wi = 0; wi < nw; wi++) {
    int best = 0;
    for (int q = 1; q < 4; q++)
      if (st[wi].cnt[q] > st[wi].cnt[best]) best = q;
    ents[wi].key = st[wi].key;
    ents[wi].rule = (uint16_t)st[wi].rule[best];
  }
  lemx_table = build_table(ents, (size_t)nw, sizeof(el_lemx_ent), &lemx_bytes);
  M.lemx = (const el_lemx_ent *)lemx_table;
  M.lemx_mask = lemx_bytes / sizeof(el_lemx_ent) - 1;
  M.lemr = rules;
  M.nlemr = nrules;
  LOG("lemmas: %d rules, %d (form, tag) entries, %ld lemmas no rule fits\n", nrules, nw, unfit);
  free(ents);
  free(st);
  hmap_free(&idx);
}

static el_ap *train_lemma(tsent *ts, int n, int epochs) {
  /* one instance per distinct (form, tag): frequent words do not dominate */
  hmap seen;
  hmap_init(&seen, 1 << 16);
  int cap = 1 << 14, ni = 0;
  struct inst { int s, k; } *in = xmalloc((size_t)cap * sizeof(*in));
  for (int i = 0; i < n; i++)
    for (int k = 0; k < ts[i].cu->n; k++) {
      if (ts[i].w[k].end - ts[i].w[k].start > 64) continue;
      uint64_t key = el_fh3(7, ts[i].f[k].form, ts[i].gtag[k]);
      int *v = hmap_get(&seen, key, 1);
      if (*v) continue;
      *v = 1;
      if (ni == cap) {
        cap *= 2;
        in = realloc(in, (size_t)cap * sizeof(*in));
      }
      in[ni].s = i;
      in[ni].k = k;
      ni++;
    }
  hmap_free(&seen);
  el_ap *ap = el_ap_new(nrules);
  int *order = xmalloc((size_t)ni * sizeof(int));
  for (int i = 0; i < ni; i++) order[i] = i;
  float *sc = xmalloc((size_t)nrules * sizeof(float));
  uint64_t f[EL_LEM_NFEAT];
  char low[512];
  for (int e = 0; e < epochs; e++) {
    shuffle(order, ni);
    long err = 0;
    for (int oi = 0; oi < ni; oi++) {
      tsent *t = &ts[in[order[oi]].s];
      int k = in[order[oi]].k;
      size_t ll = el_nlp_lower((const unsigned char *)t->cu->text, t->w[k].start, t->w[k].end,
                               low, sizeof low);
      int nf = el_lemma_features(low, ll, t->gtag[k], &t->f[k], f);
      el_ap_score(ap, f, nf, sc);
      int guess = el_argmax_f(sc, nrules, NULL);
      if (guess != t->grule[k]) {
        err++;
        el_ap_update(ap, f, nf, t->grule[k], guess);
      }
      el_ap_tick(ap);
    }
    LOG("lemmatizer epoch %d: %ld errors in %d types\n", e + 1, err, ni);
  }
  el_ap_average(ap);
  free(sc);
  free(order);
  free(in);
  return ap;
}

/* Lemma accuracy on dev with the predicted tags in ptag. */
static void eval_lemma(tsent *ts, int n) {
  el_nlp_sent s;
  el_nlp_sent_init(&s);
  long right = 0, tot = 0;
  char out[1024];
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    cu_sent *c = t->cu;
    /* run the extension's own lemma step on the gold words */
    for (int k = 0; k < c->n; k++) {
      el_nlp_word w = t->w[k];
      w.tag = t->ptag[k];
      const el_lemx_ent *x = el_lemx_find(&M, el_fh3(EL_LEMX_KEY, t->f[k].lower, w.tag));
      if (x) {
        w.lemma = x->rule;
      } else {
        char low[512];
        uint64_t f[EL_LEM_NFEAT];
        int32_t sc[2048];
        size_t ll = el_nlp_lower((const unsigned char *)c->text, w.start, w.end, low, sizeof low);
        int nf = el_lemma_features(low, ll, w.tag, &t->f[k], f);
        el_apm_score(&M.lemma, f, nf, sc);
        w.lemma = (uint16_t)el_argmax_i32(sc, M.lemma.nclass, NULL);
      }
      size_t l = el_nlp_lemma(&M, c->text, &w, out, sizeof out - 1);
      out[l < sizeof out ? l : sizeof out - 1] = 0;
      right += strcmp(out, c->w[k].lemma) == 0;
      if (getenv("LEMDEBUG") && strcmp(out, c->w[k].lemma) != 0)
        fprintf(stderr, "LEM %s %s -> %s (gold %s) %s\n", c->w[k].form, tags.s[w.tag], out,
                c->w[k].lemma, x ? "lookup" : "rule");
      tot++;
    }
  }
  LOG("dev lemmas (gold words, predicted tags): %.2f\n", 100.0 * right / tot);
  el_nlp_sent_free(&s);
}

/* ------------------------------------------------------------------------ */
/* Parser                                                                    */

/* Lift non-projective arcs (the shortest first) until the tree is projective. */
static int is_nonproj(const int *head, int n, int d) {
  int h = head[d];
  if (h < 0) return 0;
  int a = h < d ? h : d, b = h < d ? d : h;
  for (int k = a + 1; k < b; k++) {
    int x = k;
    int steps = 0;
    while (x >= 0 && x != h && steps++ <= n) x = head[x];
    if (x != h) return 1;
  }
  return 0;
}

static int projectivize(int *head, int n) {
  int lifted = 0;
  for (int iter = 0; iter < 4 * n; iter++) {
    int best = -1, blen = 1 << 30;
    for (int d = 0; d < n; d++) {
      if (!is_nonproj(head, n, d)) continue;
      int len = head[d] > d ? head[d] - d : d - head[d];
      if (len < blen) {
        blen = len;
        best = d;
      }
    }
    if (best < 0) break;
    head[best] = head[head[best]];
    lifted++;
  }
  return lifted;
}

/* Costs of SHIFT, LEFT and RIGHT without their labels, for the gold tree
** gh (root = n): the gold arcs each makes unreachable (Goldberg and Nivre
** 2013, arc-hybrid). A label then costs one more where the arc is gold but
** the label is not. */
static void oracle_costs(const el_pstate *s, const int *gh, int *cs, int *cl, int *cr) {
  int n = s->n, sp = s->sp, b0 = s->b0;
  *cs = *cl = *cr = 0;
  if (b0 < n)
    for (int i = 0; i < sp; i++) {
      int x = s->stack[i];
      if (gh[x] == b0) (*cs)++;
      if (i < sp - 1 && gh[b0] == x) (*cs)++;
    }
  if (sp == 0) return;
  int s0 = s->stack[sp - 1], s1 = sp > 1 ? s->stack[sp - 2] : -1;
  int c = 0;
  for (int k = b0; k < n; k++)
    if (gh[k] == s0) c++;
  *cl = c + (gh[s0] > b0) + (s1 >= 0 && gh[s0] == s1);
  *cr = c + (gh[s0] >= b0);
}

static int oracle_cost(const el_pstate *s, int t, const int *gh, const int *gd, int cs, int cl,
                       int cr) {
  if (t == EL_PT_SHIFT) return cs;
  int s0 = s->stack[s->sp - 1], l = (t - 1) / 2;
  if (t & 1) return cl + (gh[s0] == s->b0 && gd[s0] != l);
  int s1 = s->stack[s->sp - 2];
  return cr + (gh[s0] == s1 && gd[s0] != l);
}

static int allowed_label(const el_pstate *s, int t) {
  if (t == EL_PT_SHIFT) return 1;
  int l = (t - 1) / 2, is_root = (t & 1) && s->b0 == s->n;
  return (l == M.root_dep) == is_root;
}

static long parse_sentence(el_ap *ap, tsent *t, const uint16_t *tg, int train, double explore,
                           int *out_head, int *out_dep) {
  int n = t->cu->n, nclass = EL_PT_NCLASS(deps.n);
  static void *mem;
  static size_t memcap;
  if (el_pstate_size(n) > memcap) {
    memcap = el_pstate_size(n) * 2;
    free(mem);
    mem = xmalloc(memcap);
  }
  el_pstate ps;
  el_pstate_init(&ps, n, mem);
  uint64_t f[EL_PARSE_NFEAT];
  float *sc = xmalloc((size_t)nclass * sizeof(float));
  int *cost = xmalloc((size_t)nclass * sizeof(int));
  int *gh = xmalloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) gh[i] = t->ghead[i] < 0 ? n : t->ghead[i];
  long errors = 0;
  while (!el_pstate_final(&ps)) {
    int nf = el_parse_features(&ps, t->f, tg, f);
    el_ap_score(ap, f, nf, sc);
    int pred = -1, best0 = -1, minc = 1 << 30, cs = 0, cl = 0, cr = 0;
    if (train) oracle_costs(&ps, gh, &cs, &cl, &cr);
    for (int c = 0; c < nclass; c++) {
      if (!el_pstate_valid(&ps, c) || !allowed_label(&ps, c)) {
        cost[c] = -1;
        continue;
      }
      if (pred < 0 || sc[c] > sc[pred]) pred = c;
      if (train) {
        cost[c] = oracle_cost(&ps, c, gh, t->gdep, cs, cl, cr);
        if (cost[c] < minc) minc = cost[c];
      }
    }
    if (train)
      for (int c = 0; c < nclass; c++)
        if (cost[c] == minc && (best0 < 0 || sc[c] > sc[best0])) best0 = c;
    int next = pred;
    if (train) {
      if (cost[pred] > minc) {
        errors++;
        el_ap_update(ap, f, nf, best0, pred);
        if (rng01() >= explore) next = best0;
      }
      el_ap_tick(ap);
    }
    el_pstate_apply(&ps, next);
  }
  if (out_head)
    for (int i = 0; i < n; i++) {
      out_head[i] = ps.head[i] >= n ? -1 : ps.head[i];
      out_dep[i] = ps.label[i];
    }
  free(sc);
  free(cost);
  free(gh);
  return errors;
}

static void eval_parser(el_ap *ap, tsent *ts, int n, const char *what) {
  long uas = 0, las = 0, tot = 0;
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    int *h = xmalloc((size_t)t->cu->n * sizeof(int)), *d = xmalloc((size_t)t->cu->n * sizeof(int));
    parse_sentence(ap, t, t->ptag, 0, 0, h, d);
    for (int k = 0; k < t->cu->n; k++) {
      char g[64], p[64];
      cu_universal(t->cu->w[k].deprel, g, sizeof g);
      cu_universal(deps.s[d[k]], p, sizeof p);
      int hu = h[k] == t->cu->w[k].head;
      uas += hu;
      las += hu && strcmp(g, p) == 0;
      tot++;
    }
    free(h);
    free(d);
  }
  LOG("%s parsing (gold words, predicted tags): UAS %.2f LAS %.2f\n", what, 100.0 * uas / tot,
      100.0 * las / tot);
}

/* Dev scores of an exported parser blob (what the extension will run). */
static void eval_parser_blob(const unsigned char *blob, size_t len, tsent *ts, int n,
                             const char *what) {
  el_apm m;
  if (el_apm_open(&m, blob, len) != 0) die("bad parser blob");
  long uas = 0, las = 0, tot = 0;
  int32_t *sc = xmalloc((size_t)m.nclass * sizeof(int32_t));
  uint64_t f[EL_PARSE_NFEAT];
  for (int i = 0; i < n; i++) {
    tsent *t = &ts[i];
    int nw = t->cu->n;
    void *mem = xmalloc(el_pstate_size(nw));
    el_pstate ps;
    el_pstate_init(&ps, nw, mem);
    while (!el_pstate_final(&ps)) {
      int nf = el_parse_features(&ps, t->f, t->ptag, f);
      el_apm_score(&m, f, nf, sc);
      int best = -1;
      for (int c = 0; c < m.nclass; c++) {
        if (best >= 0 && sc[c] <= sc[best]) continue;
        if (!el_pstate_valid(&ps, c) || !allowed_label(&ps, c)) continue;
        best = c;
      }
      el_pstate_apply(&ps, best);
    }
    for (int k = 0; k < nw; k++) {
      char g[64], p[64];
      int h = ps.head[k] >= nw ? -1 : ps.head[k];
      cu_universal(t->cu->w[k].deprel, g, sizeof g);
      cu_universal(deps.s[ps.label[k]], p, sizeof p);
      uas += h == t->cu->w[k].head;
      las += h == t->cu->w[k].head && strcmp(g, p) == 0;
      tot++;
    }
    free(mem);
  }
  free(sc);
  LOG("%s: dev UAS %.2f LAS %.2f\n", what, 100.0 * uas / tot, 100.0 * las / tot);
}

static el_ap *train_parser(tsent *ts, int n, tsent *dev, int ndev, int epochs) {
  el_ap *ap = el_ap_new(EL_PT_NCLASS(deps.n));
  int *order = xmalloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) order[i] = i;
  for (int e = 0; e < epochs; e++) {
    shuffle(order, n);
    long err = 0;
    double explore = e >= 1 ? 0.9 : 0.0;
    for (int oi = 0; oi < n; oi++) {
      tsent *t = &ts[order[oi]];
      err += parse_sentence(ap, t, t->ptag, 1, explore, NULL, NULL);
    }
    LOG("parser epoch %d: %ld errors, %zu features\n", e + 1, err, el_ap_features(ap));
    (void)dev;
    (void)ndev;
  }
  el_ap_average(ap);
  free(order);
  return ap;
}

/* ------------------------------------------------------------------------ */

static unsigned char *export_apm(el_ap *ap, float prune, size_t *len, const char *name) {
  unsigned char *b;
  if (el_ap_export(ap, prune, &b, len) != 0) die("export failed");
  LOG("%s: %zu features, %zu weights, %.1f MB exported\n", name, el_ap_features(ap),
      el_ap_weights(ap), *len / 1e6);
  return b;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: train_ud TRAIN.conllu.gz DEV.conllu.gz CLUSTERS|- OUT.bin\n");
    return 2;
  }
  t0 = now();
  if (getenv("NLP_SEED")) rng_state ^= (uint64_t)atoll(getenv("NLP_SEED")) * 0x9E3779B97F4A7C15ULL; /* experiments only */
  cu_corpus ctrain, cdev;
  if (cu_read(argv[1], &ctrain) != 0 || cu_read(argv[2], &cdev) != 0) return 1;
  LOG("read %d train and %d dev sentences\n", ctrain.n, cdev.n);
  load_clusters(argv[3]);
  tsent *tr, *dv;
  prepare(&ctrain, &tr, 1);
  prepare(&cdev, &dv, 0);
  int ntr = ctrain.n, ndv = cdev.n;
  LOG("%d tags, %d relations\n", tags.n, deps.n);
  for (int i = 0; i < deps.n; i++)
    if (strcmp(deps.s[i], "root") == 0) M.root_dep = i;

  /* names */
  el_tag_name *tn = xmalloc((size_t)tags.n * sizeof(el_tag_name));
  for (int i = 0; i < tags.n; i++) {
    const char *tab = strchr(tags.s[i], '\t');
    snprintf(tn[i].upos, sizeof tn[i].upos, "%.*s", (int)(tab - tags.s[i]), tags.s[i]);
    snprintf(tn[i].xpos, sizeof tn[i].xpos, "%s", tab + 1);
  }
  el_dep_name *dn = xmalloc((size_t)deps.n * sizeof(el_dep_name));
  for (int i = 0; i < deps.n; i++) snprintf(dn[i].name, sizeof dn[i].name, "%s", deps.s[i]);
  M.tags = tn;
  M.ntags = tags.n;
  M.deps = dn;
  M.ndeps = deps.n;

  /* segmentation */
  build_segx(tr, ntr);
  el_ap *seg = train_seg(tr, ntr, 6);
  size_t seg_len;
  unsigned char *seg_blob = export_apm(seg, 0.0f, &seg_len, "segmenter");
  el_ap_free(seg);
  el_apm_open(&M.seg, seg_blob, seg_len);
  eval_seg(dv, ndv);

  /* The tagger learns from features whose lexicon part (ambiguity classes,
  ** the one-tag words) comes from the other three quarters of the training
  ** data, so that it learns how far a lexicon built without a sentence can
  ** be trusted on it, as on new text. */
  for (int fold = 0; fold < 4; fold++) {
    build_lexicon(tr, ntr, fold);
    compute_features(tr, ntr, fold);
  }
  /* jackknifed first-pass tags: the second pass and the parser learn from them */
  for (int fold = 0; fold < (getenv("NLP_NOJACK") ? 0 : 4); fold++) {
    el_ap *tg = train_tagger(tr, ntr, fold, TAG_EPOCHS);
    long right = 0, tot = 0;
    for (int i = 0; i < ntr; i++) {
      if (tr[i].fold != fold) continue;
      right += tag_sentence(tg, &tr[i], tr[i].ptag1, 0);
      memcpy(tr[i].ptag, tr[i].ptag1, (size_t)tr[i].cu->n * sizeof(uint16_t));
      tot += tr[i].cu->n;
    }
    LOG("jackknife fold %d: accuracy %.2f\n", fold, 100.0 * right / tot);
    el_ap_free(tg);
  }

  /* the lexicon and tagger */
  build_lexicon(tr, ntr, -1);
  LOG("lexicon: %zu slots, %d ambiguity classes, %d cluster words\n",
      lex_bytes / sizeof(el_lex_ent), amb_names.n, nclusters_words);
  if (getenv("NLP_NOJACKLEX")) compute_features(tr, ntr, -1);
  compute_features(dv, ndv, -1);
  el_ap *tagger = train_tagger(tr, ntr, -1, TAG_EPOCHS);
  el_ap *tagger2 = TAG_PASSES > 1 ? train_tagger2(tr, ntr, -1, TAG_EPOCHS, 1) : NULL;
  eval_tagger(tagger, NULL, dv, ndv);
  if (tagger2) eval_tagger(tagger, tagger2, dv, ndv);
  if (getenv("NLP_STOP") && strcmp(getenv("NLP_STOP"), "tagger") == 0) return 0;
  if (getenv("NLP_PRUNE_SWEEP")) {
    static const float levels[] = {0.5f, 1.0f, 2.0f, 4.0f};
    for (size_t q = 0; q < sizeof levels / sizeof levels[0]; q++) {
      size_t l;
      unsigned char *b = export_apm(tagger, levels[q], &l, "tagger (pruned)");
      char what[64];
      snprintf(what, sizeof what, "tagger prune %.1f, %.1f MB", levels[q], l / 1e6);
      eval_tagger_blob(b, l, dv, ndv, what);
      free(b);
    }
  }
  size_t tag_len, tag2_len = 0;
  unsigned char *tag_blob = export_apm(tagger, TAG_PRUNE, &tag_len, "tagger");
  unsigned char *tag2_blob = tagger2 ? export_apm(tagger2, TAG_PRUNE, &tag2_len, "tagger2") : NULL;
  el_ap_free(tagger);
  el_ap_free(tagger2);
  el_apm_open(&M.tagger, tag_blob, tag_len);
  if (tag2_blob) el_apm_open(&M.tagger2, tag2_blob, tag2_len);

  /* lemmas */
  build_lemmas(tr, ntr);
  el_ap *lem = train_lemma(tr, ntr, 6);
  size_t lem_len;
  unsigned char *lem_blob = export_apm(lem, 0.0f, &lem_len, "lemmatizer");
  el_ap_free(lem);
  el_apm_open(&M.lemma, lem_blob, lem_len);
  eval_lemma(dv, ndv);

  /* parser */
  long lifted = 0;
  for (int i = 0; i < ntr; i++) lifted += projectivize(tr[i].ghead, tr[i].cu->n);
  LOG("projectivized: %ld arcs lifted\n", lifted);
  el_ap *parser = train_parser(tr, ntr, dv, ndv, PARSE_EPOCHS);
  eval_parser(parser, dv, ndv, "dev");
  if (getenv("NLP_PRUNE_SWEEP")) {
    static const float levels[] = {1.0f, 2.0f, 3.0f, 5.0f, 8.0f};
    for (size_t q = 0; q < sizeof levels / sizeof levels[0]; q++) {
      size_t l;
      unsigned char *b = export_apm(parser, levels[q], &l, "parser (pruned)");
      char what[64];
      snprintf(what, sizeof what, "prune %.2f, %.1f MB", levels[q], l / 1e6);
      eval_parser_blob(b, l, dv, ndv, what);
      free(b);
    }
  }
  size_t par_len;
  unsigned char *par_blob = export_apm(parser, PARSE_PRUNE, &par_len, "parser");
  eval_parser_blob(par_blob, par_len, dv, ndv, "exported parser");
  el_ap_free(parser);

  el_blob_writer w;
  el_blob_writer_init(&w);
  el_blob_add(&w, "tags", tn, (size_t)tags.n * sizeof(el_tag_name));
  el_blob_add(&w, "deps", dn, (size_t)deps.n * sizeof(el_dep_name));
  el_blob_add(&w, "lex", lex_table, lex_bytes);
  el_blob_add(&w, "segx", segx_table, segx_bytes);
  el_blob_add(&w, "lemx", lemx_table, lemx_bytes);
  el_blob_add(&w, "lemr", rules, (size_t)nrules * sizeof(el_lemma_rule));
  el_blob_add(&w, "seg", seg_blob, seg_len);
  el_blob_add(&w, "tagger", tag_blob, tag_len);
  if (tag2_blob) el_blob_add(&w, "tagger2", tag2_blob, tag2_len);
  el_blob_add(&w, "lemma", lem_blob, lem_len);
  el_blob_add(&w, "parser", par_blob, par_len);
  unsigned char *out;
  size_t outlen;
  if (el_blob_finish(&w, &out, &outlen) != 0) die("cannot build the model file");
  FILE *fo = fopen(argv[4], "wb");
  if (!fo || fwrite(out, 1, outlen, fo) != outlen || fclose(fo) != 0) die("cannot write the model");
  LOG("wrote %s: %.1f MB\n", argv[4], outlen / 1e6);
  return 0;
}
