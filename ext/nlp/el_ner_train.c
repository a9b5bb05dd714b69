/*
** The trainer of the named-entity model (`make models`): an averaged
** perceptron over the features of el_ner.c, trained on CoNLL-2003 English
** train, written as the blob that el_ner_blob.c builds into the extension.
**
**   ner_train --train train.txt.gz [--corpus abstracts.jsonl.gz]
**             [--ud en_ewt-ud-train.conllu.gz] [--c1 N] [--c2 N] [--epochs N]
**             [--seed S] [--prune W] [--dump-clusters words.tsv] [--out ner.bin]
**
** Each document's text is rebuilt from its tokens (sentences one a line;
** tokens joined by spaces except before closing punctuation and clitics and
** after opening brackets: the same text as ext/nlp/eval_ner.py rebuilds), and
** runs through the entity extractor itself, rules and all, so that the model
** learns from exactly the tokens and lexicon bits it sees in entities(). Each
** of our tokens takes the CoNLL class of the gold entity its first byte falls
** in, with BILOU positions.
**
** Deterministic: a fixed seed shuffles the documents of each epoch, and the
** weights are summed in a fixed order.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "el_alloc.h"
#include "el_entities.h"
#include "el_model.h"
#include "el_ner.h"
#include "el_ner_clusters.h"
#include "el_perceptron.h"

static void die(const char *msg) {
  fprintf(stderr, "ner_train: %s\n", msg);
  exit(1);
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) die("out of memory");
  return q;
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                 */

typedef struct doc {
  char *text;
  size_t n;
  int32_t *span;   /* per byte: gold entity index, -1 outside */
  uint8_t *cls;    /* per gold entity: EL_NER_* */
  size_t nspan;
} doc;

static const char *const no_space_before[] = {",", ".", ";", ":", "?", "!", ")", "]", "}", "%",
                                              "'s", "'S", "n't", "'", "'re", "'ve", "'ll",
                                              "'d", "'m"};
static const char *const no_space_after[] = {"(", "[", "{", "$"};

static int in_list(const char *w, const char *const *l, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(w, l[i]) == 0) return 1;
  return 0;
}

static int class_of(const char *tag) {
  if (strcmp(tag, "O") == 0 || strlen(tag) < 3) return -1;
  const char *c = tag + 2;
  if (strcmp(c, "PER") == 0) return EL_NER_PER;
  if (strcmp(c, "ORG") == 0) return EL_NER_ORG;
  if (strcmp(c, "LOC") == 0) return EL_NER_LOC;
  if (strcmp(c, "MISC") == 0) return EL_NER_MISC;
  return -1;
}

typedef struct builder {
  char *text;
  size_t n, cap;
  int32_t *span;
  uint8_t *cls;
  size_t nspan, scap;
  /* the sentence being read */
  char **words;
  char **tags;
  size_t nw, wcap;
} builder;

static void put(builder *b, const char *s, size_t len, int32_t sid) {
  if (b->n + len + 1 > b->cap) {
    while (b->n + len + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
    b->text = xrealloc(b->text, b->cap);
    b->span = xrealloc(b->span, b->cap * sizeof(int32_t));
  }
  memcpy(b->text + b->n, s, len);
  for (size_t i = 0; i < len; i++) b->span[b->n + i] = sid;
  b->n += len;
}

/* Append the sentence read so far to the document text. */
static void flush_sentence(builder *b) {
  if (b->nw == 0) return;
  if (b->n) put(b, "\n", 1, -1);
  int quote_open = 0, cur_cls = -1;
  int32_t cur = -1;
  for (size_t i = 0; i < b->nw; i++) {
    const char *w = b->words[i];
    int space = i > 0;
    if (i > 0) {
      const char *prev = b->words[i - 1];
      if (in_list(w, no_space_before, sizeof(no_space_before) / sizeof(*no_space_before)) ||
          in_list(prev, no_space_after, sizeof(no_space_after) / sizeof(*no_space_after)))
        space = 0;
      if (strcmp(prev, "\"") == 0 && quote_open) space = 0;
      if (strcmp(w, "\"") == 0 && quote_open) space = 0;
    }
    if (strcmp(w, "\"") == 0) quote_open = !quote_open;
    /* IOB1 or IOB2: a new entity at B-, or where the class changes */
    int c = class_of(b->tags[i]);
    if (c < 0) {
      cur = -1;
    } else if (cur < 0 || b->tags[i][0] == 'B' || c != cur_cls) {
      if (b->nspan == b->scap) {
        b->scap = b->scap ? b->scap * 2 : 64;
        b->cls = xrealloc(b->cls, b->scap);
      }
      cur = (int32_t)b->nspan;
      b->cls[b->nspan++] = (uint8_t)c;
    }
    cur_cls = c;
    /* the space inside an entity belongs to it */
    if (space) put(b, " ", 1, (c >= 0 && i > 0 && cur >= 0 && class_of(b->tags[i - 1]) == c &&
                               b->tags[i][0] != 'B') ? cur : -1);
    put(b, w, strlen(w), cur);
  }
  for (size_t i = 0; i < b->nw; i++) {
    free(b->words[i]);
    free(b->tags[i]);
  }
  b->nw = 0;
}

static void flush_doc(builder *b, doc **docs, size_t *nd, size_t *dcap) {
  flush_sentence(b);
  if (b->n == 0) return;
  if (*nd == *dcap) {
    *dcap = *dcap ? *dcap * 2 : 256;
    *docs = xrealloc(*docs, *dcap * sizeof(doc));
  }
  doc *d = &(*docs)[(*nd)++];
  d->text = xrealloc(NULL, b->n + 1);
  memcpy(d->text, b->text, b->n);
  d->text[b->n] = 0;
  d->n = b->n;
  d->span = xrealloc(NULL, (b->n + 1) * sizeof(int32_t));
  memcpy(d->span, b->span, b->n * sizeof(int32_t));
  d->span[b->n] = -1;
  d->cls = xrealloc(NULL, b->nspan + 1);
  memcpy(d->cls, b->cls, b->nspan);
  d->nspan = b->nspan;
  b->n = 0;
  b->nspan = 0;
}

static doc *read_conll(const char *path, size_t *nd) {
  gzFile f = gzopen(path, "rb");
  if (f == NULL) die("cannot open the training file");
  builder b;
  memset(&b, 0, sizeof(b));
  doc *docs = NULL;
  size_t dcap = 0;
  *nd = 0;
  char line[4096];
  while (gzgets(f, line, sizeof(line))) {
    char *p = line, *fields[8];
    int nf = 0;
    while (nf < 8) {
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
      if (!*p) break;
      fields[nf++] = p;
      while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
      if (*p) *p++ = 0;
    }
    if (nf == 0) {
      flush_sentence(&b);
      continue;
    }
    if (strcmp(fields[0], "-DOCSTART-") == 0) {
      flush_doc(&b, &docs, nd, &dcap);
      continue;
    }
    if (b.nw == b.wcap) {
      b.wcap = b.wcap ? b.wcap * 2 : 64;
      b.words = xrealloc(b.words, b.wcap * sizeof(char *));
      b.tags = xrealloc(b.tags, b.wcap * sizeof(char *));
    }
    b.words[b.nw] = strdup(fields[0]);
    b.tags[b.nw] = strdup(fields[nf - 1]);
    if (!b.words[b.nw] || !b.tags[b.nw]) die("out of memory");
    b.nw++;
  }
  flush_doc(&b, &docs, nd, &dcap);
  gzclose(f);
  free(b.text);
  free(b.span);
  free(b.cls);
  free(b.words);
  free(b.tags);
  return docs;
}

/* ------------------------------------------------------------------------ */
/* Clusters: word <TAB> coarse <TAB> fine                                    */

typedef struct cslot {
  uint64_t h; /* 0: empty */
  el_ner_wordinfo wi;
} cslot;

static cslot *clus;
static size_t clus_cap, clus_n;

static cslot *clus_find(uint64_t h, int add) {
  h |= 1;
  for (size_t s = (size_t)(h >> 32) & (clus_cap - 1);; s = (s + 1) & (clus_cap - 1)) {
    if (clus[s].h == h) return &clus[s];
    if (clus[s].h == 0) {
      if (!add) return NULL;
      clus[s].h = h;
      clus_n++;
      return &clus[s];
    }
  }
}

static void add_cluster(void *ctx, const char *w, size_t n, uint16_t c1, uint16_t c2,
                        uint8_t cap) {
  if (ctx) fprintf((FILE *)ctx, "%.*s\t%u\t%u\t%u\n", (int)n, w, c1, c2, cap);
  if (clus_n * 2 >= clus_cap) die("too many cluster words");
  cslot *c = clus_find(el_ner_hash(w, n), 1);
  c->wi.c1 = c1;
  c->wi.c2 = c2;
  c->wi.cap = cap;
}

static int cluster_fn(void *ctx, const char *norm, size_t n, el_ner_wordinfo *wi) {
  (void)ctx;
  const cslot *c = clus_find(el_ner_hash(norm, n), 0);
  if (c == NULL) {
    memset(wi, 0, sizeof(*wi));
    return 0;
  }
  *wi = c->wi;
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Weights: el_perceptron.h                                                  */

#define NT EL_NER_NTAGS
static el_ap *ap;

/* The trainer writes the model, so it has none built in. */
void el_model_ner(const void **data, size_t *len) {
  *data = NULL;
  *len = 0;
}

/* ------------------------------------------------------------------------ */
/* Training                                                                  */

typedef struct trainer {
  el_ner *ner;
  const doc *d;
  int learn;
  uint8_t *gold;
  size_t gcap;
  size_t tokens, classified, errors, gate_miss, gold_starts;
} trainer;

static int train_tag(void *ctx, const el_ner_tok *tok, size_t n, uint8_t *tags) {
  trainer *tr = ctx;
  const doc *d = tr->d;
  uint64_t f[EL_NER_MAX_FEATS];
  if (el_ner_begin_batch(tr->ner, tok, n) != 0) die("out of memory");
  if (n > tr->gcap) {
    tr->gcap = n * 2;
    tr->gold = xrealloc(tr->gold, tr->gcap);
  }
  /* gold tags: each token takes the entity its first byte is in */
  for (size_t i = 0; i < n; i++) {
    size_t off = (size_t)(tok[i].z - d->text);
    int32_t s = off < d->n ? d->span[off] : -1;
    if (s < 0) {
      tr->gold[i] = 0;
      continue;
    }
    size_t poff = i > 0 ? (size_t)(tok[i - 1].z - d->text) : 0;
    size_t noff = i + 1 < n ? (size_t)(tok[i + 1].z - d->text) : 0;
    int same_prev = i > 0 && d->span[poff] == s;
    int same_next = i + 1 < n && d->span[noff] == s;
    int pos = same_prev ? (same_next ? EL_NER_I : EL_NER_L) : (same_next ? EL_NER_B : EL_NER_U);
    tr->gold[i] = EL_NER_TAG(d->cls[s], pos);
    if (!same_prev) {
      tr->gold_starts++;
      if (!el_ner_gate(&tok[i], 0)) tr->gate_miss++;
    }
  }
  uint8_t prev = 0;
  for (size_t i = 0; i < n; i++) {
    tr->tokens++;
    if (!el_ner_gate(&tok[i], prev)) {
      tags[i] = prev = 0;
      continue;
    }
    tr->classified++;
    size_t nf = el_ner_features(tr->ner, tok, n, i, tags, f);
    float s[NT];
    el_ap_score(ap, f, (int)nf, s);
    uint8_t p = el_ner_best(s);
    uint8_t g = tr->gold[i];
    if (p != g) {
      tr->errors++;
      if (tr->learn && el_ap_update(ap, f, (int)nf, g, p) != 0) die("out of memory");
    }
    if (tr->learn) el_ap_tick(ap);
    tags[i] = prev = p;
  }
  return el_ner_remember(tr->ner, tok, n, tags);
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* ------------------------------------------------------------------------ */
/* Output                                                                    */

static void w32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* The cluster section (el_ner.h): slots in the order of the loading table,
** so the same file gives the same bytes. */
static unsigned char *cluster_section(size_t *len) {
  uint32_t nc = 1;
  while (nc < clus_n * 2 + 1) nc <<= 1;
  *len = 4 + (size_t)nc * EL_NER_CROW;
  unsigned char *b = calloc(*len, 1);
  if (b == NULL) die("out of memory");
  w32(b, nc);
  unsigned char *cl = b + 4;
  for (size_t s = 0; s < clus_cap; s++) {
    if (clus[s].h == 0) continue;
    uint64_t h = clus[s].h;
    uint32_t key = (uint32_t)h | 1u;
    uint32_t t = (uint32_t)(h >> 32) & (nc - 1);
    for (;; t = (t + 1) & (nc - 1)) {
      unsigned char *row = cl + (size_t)t * EL_NER_CROW;
      if (row[0] | row[1] | row[2] | row[3]) continue;
      w32(row, key);
      row[4] = (unsigned char)clus[s].wi.c2;
      row[5] = (unsigned char)(clus[s].wi.c2 >> 8);
      row[6] = (unsigned char)clus[s].wi.c1;
      row[7] = clus[s].wi.cap;
      break;
    }
  }
  return b;
}

static void write_model(const char *path, float prune) {
  unsigned char *wb, *cb, *out;
  size_t wlen, clen, olen;
  el_ap_average(ap);
  if (el_ap_export(ap, prune, &wb, &wlen) != 0) die("cannot export the weights");
  cb = cluster_section(&clen);
  el_blob_writer bw;
  el_blob_writer_init(&bw);
  el_blob_add(&bw, EL_NER_SEC_WEIGHTS, wb, wlen);
  el_blob_add(&bw, EL_NER_SEC_CLUSTERS, cb, clen);
  if (el_blob_finish(&bw, &out, &olen) != 0) die("out of memory");
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(out, 1, olen, f) != olen || fclose(f) != 0) die("cannot write the model");
  fprintf(stderr, "ner_train: %zu features, %zu weights; weights %.2f MB (|w| >= %g), "
          "clusters %.2f MB, file %.2f MB\n", el_ap_features(ap), el_ap_weights(ap), wlen / 1e6,
          prune, clen / 1e6, olen / 1e6);
  el_blob_writer_free(&bw);
  el_free(wb);
  el_free(out);
  free(cb);
}

int main(int argc, char **argv) {
  const char *train = NULL, *out = "ner.bin", *corpus = NULL, *ud = NULL, *dump_path = NULL;
  int c1 = 64, c2 = 16;
  int epochs = 12;
  float prune = 0.0f;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--train") == 0 && i + 1 < argc) train = argv[++i];
    else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
    else if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) corpus = argv[++i];
    else if (strcmp(argv[i], "--ud") == 0 && i + 1 < argc) ud = argv[++i];
    else if (strcmp(argv[i], "--dump-clusters") == 0 && i + 1 < argc) dump_path = argv[++i];
    else if (strcmp(argv[i], "--c1") == 0 && i + 1 < argc) c1 = atoi(argv[++i]);
    else if (strcmp(argv[i], "--c2") == 0 && i + 1 < argc) c2 = atoi(argv[++i]);
    else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc) epochs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) rng = strtoull(argv[++i], NULL, 10) | 1;
    else if (strcmp(argv[i], "--prune") == 0 && i + 1 < argc) prune = (float)atof(argv[++i]);
    else die("usage: ner_train --train FILE [--corpus JSONL.GZ] [--ud CONLLU.GZ] [--c1 N] "
             "[--c2 N] [--epochs N] [--seed S] [--prune W] [--dump-clusters TSV] [--out FILE]");
  }
  if (train == NULL) die("--train is required");
  size_t nd;
  doc *docs = read_conll(train, &nd);
  /* clusters and capitalisation from raw text: the corpus, the treebank's
  ** sentences and the training documents themselves */
  clus_cap = 1 << 18;
  clus = calloc(clus_cap, sizeof(cslot));
  if (clus == NULL) die("out of memory");
  if (corpus || ud) {
    if (corpus) el_ner_cl_jsonl(corpus);
    if (ud) el_ner_cl_conllu(ud);
    for (size_t i = 0; i < nd; i++) el_ner_cl_text(docs[i].text, docs[i].n);
    FILE *dump = dump_path ? fopen(dump_path, "w") : NULL;
    if (dump_path && dump == NULL) die("cannot write the clusters file");
    el_ner_cl_build(c1, c2, add_cluster, dump);
    if (dump) fclose(dump);
    el_ner_cl_free();
  }
  fprintf(stderr, "ner_train: %zu documents, %zu cluster words\n", nd, clus_n);
  ap = el_ap_new(NT);
  if (ap == NULL) die("out of memory");
  el_ent *e = el_ent_new();
  trainer tr;
  memset(&tr, 0, sizeof(tr));
  tr.ner = el_ner_new_custom(cluster_fn, NULL);
  if (e == NULL || tr.ner == NULL || el_ent_set_tagger(e, train_tag, &tr) != 0) die("out of memory");
  /* CoNLL's lines are its sentences: a wrapped name there is two gold names */
  el_ent_set_gold_lines(e, 1);
  size_t *order = xrealloc(NULL, nd * sizeof(size_t));
  for (size_t i = 0; i < nd; i++) order[i] = i;
  tr.learn = 1;
  for (int ep = 0; ep < epochs; ep++) {
    for (size_t i = nd - 1; i > 0; i--) {
      size_t j = (size_t)(next_rand() % (i + 1));
      size_t t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    tr.tokens = tr.classified = tr.errors = tr.gate_miss = tr.gold_starts = 0;
    for (size_t k = 0; k < nd; k++) {
      tr.d = &docs[order[k]];
      el_ner_reset(tr.ner);
      el_ent_start(e, tr.d->text, tr.d->n);
      el_ent_span sp;
      int rc;
      while ((rc = el_ent_next(e, &sp)) == 1) {
      }
      if (rc < 0) die("out of memory");
    }
    fprintf(stderr, "epoch %2d: %zu tokens, %zu classified, %zu errors (%.2f%%), %zu features\n",
            ep + 1, tr.tokens, tr.classified, tr.errors,
            100.0 * tr.errors / (tr.classified ? tr.classified : 1), el_ap_features(ap));
  }
  fprintf(stderr, "ner_train: gate: %zu of %zu gold entities start at a token the gate skips\n",
          tr.gate_miss, tr.gold_starts);
  write_model(out, prune);
  el_ent_free(e);
  el_ner_free(tr.ner);
  el_ap_free(ap);
  return 0;
}
