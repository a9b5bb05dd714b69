/*
** Word clusters and capitalisation statistics for the NER trainer, induced
** from raw text (part of `make models`; not in the extension).
**
** Text: the Federal Register abstracts (public domain), the CoNLL-2003 train
** documents and the UD English-EWT train sentences, read through the
** exportlens tokenizer and sentence splitter. Words are normalised forms
** (EL_NORM_FTS: "U.S." -> "us").
**
** Clusters: each frequent word gets a context vector, the sum over its
** occurrences of a pseudo-random +-1 vector (DIM dimensions) for the word
** before it and one for the word after it (among the CTX most frequent words),
** each weighted by the context word's inverse frequency: random indexing, a
** cheap stand-in for a reduced PPMI matrix. The unit vectors are clustered by
** spherical k-means into C1 coarse clusters, then each coarse cluster into C2
** fine ones (a two-level hierarchy, as the prefixes of Brown clusters give).
**
** Capitalisation: how often a word is written with a capital where no
** sentence starts, in four buckets ("review" is mostly lower case, "Surrey"
** always capitalised), so that a capital in a heading or at a sentence start
** means less for a common word.
**
** Deterministic: fixed orders, a fixed seed, no threads.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "el_ner_clusters.h"
#include "el_tokenizer.h"

#define DIM 96
#define CTX 3000     /* context words */
#define MAXW 80000   /* clustered words */
#define MINCOUNT 4

typedef struct vword {
  char *s;
  uint32_t len;
  uint64_t count, caps, lower; /* capitalised / lower case, not sentence-initial */
} vword;

static vword *V;
static size_t nv, vcap;
static uint32_t *vtab; /* open addressing: index + 1 */
static size_t vtab_cap;
static uint32_t *seq;  /* the corpus as word ids, UINT32_MAX between sentences */
static size_t nseq, seqcap;

static void cl_die(const char *m) {
  fprintf(stderr, "ner_train: clusters: %s\n", m);
  exit(1);
}

static uint64_t cl_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static uint32_t word_id(const char *s, size_t n) {
  if ((nv + 1) * 2 > vtab_cap) {
    size_t ncap = vtab_cap ? vtab_cap * 2 : 1 << 16;
    uint32_t *nt = calloc(ncap, sizeof(uint32_t));
    if (nt == NULL) cl_die("out of memory");
    for (size_t i = 0; i < nv; i++) {
      size_t k = cl_hash(V[i].s, V[i].len) & (ncap - 1);
      while (nt[k]) k = (k + 1) & (ncap - 1);
      nt[k] = (uint32_t)i + 1;
    }
    free(vtab);
    vtab = nt;
    vtab_cap = ncap;
  }
  size_t k = cl_hash(s, n) & (vtab_cap - 1);
  for (; vtab[k]; k = (k + 1) & (vtab_cap - 1)) {
    vword *w = &V[vtab[k] - 1];
    if (w->len == n && memcmp(w->s, s, n) == 0) return vtab[k] - 1;
  }
  if (nv == vcap) {
    vcap = vcap ? vcap * 2 : 1 << 16;
    V = realloc(V, vcap * sizeof(vword));
    if (V == NULL) cl_die("out of memory");
  }
  vword *w = &V[nv];
  memset(w, 0, sizeof(*w));
  w->s = malloc(n + 1);
  if (w->s == NULL) cl_die("out of memory");
  memcpy(w->s, s, n);
  w->s[n] = 0;
  w->len = (uint32_t)n;
  vtab[k] = (uint32_t)nv + 1;
  return (uint32_t)nv++;
}

static void push(uint32_t id) {
  if (nseq == seqcap) {
    seqcap = seqcap ? seqcap * 2 : 1 << 20;
    seq = realloc(seq, seqcap * sizeof(uint32_t));
    if (seq == NULL) cl_die("out of memory");
  }
  seq[nseq++] = id;
}

void el_ner_cl_text(const char *z, size_t n) {
  el_segmenter sg;
  el_token t;
  size_t sent, last = (size_t)-1;
  char buf[256];
  el_segmenter_init(&sg, z, n);
  sg.no_wrap = 1; /* the texts given are one sentence a line, or one paragraph */
  while (el_segmenter_next(&sg, &t, &sent)) {
    if (sent != last) {
      push(UINT32_MAX);
      last = sent;
    }
    if (t.end - t.start > 60) continue;
    size_t len = el_token_norm((const unsigned char *)z, &t, EL_NORM_FTS, buf, sizeof(buf));
    if (len == 0 || len > sizeof(buf)) continue;
    uint32_t id = word_id(buf, len);
    V[id].count++;
    if (t.kind == EL_WORD && nseq > 0 && seq[nseq - 1] != UINT32_MAX) {
      unsigned char c = (unsigned char)z[t.start];
      if (c >= 'A' && c <= 'Z') V[id].caps++;
      else if (c >= 'a' && c <= 'z') V[id].lower++;
    }
    push(id);
  }
  push(UINT32_MAX);
}

/* The "text" member of each JSON line (escapes decoded; \u as UTF-8). */
void el_ner_cl_jsonl(const char *path) {
  gzFile f = gzopen(path, "rb");
  if (f == NULL) cl_die("cannot open the corpus");
  size_t cap = 1 << 16;
  char *line = malloc(cap), *out = malloc(cap);
  if (!line || !out) cl_die("out of memory");
  for (;;) {
    size_t n = 0;
    int c;
    while ((c = gzgetc(f)) >= 0 && c != '\n') {
      if (n + 1 >= cap) {
        cap *= 2;
        line = realloc(line, cap);
        out = realloc(out, cap);
        if (!line || !out) cl_die("out of memory");
      }
      line[n++] = (char)c;
    }
    if (n == 0 && c < 0) break;
    line[n] = 0;
    char *p = strstr(line, "\"text\": \"");
    if (p == NULL) continue;
    p += 9;
    size_t o = 0;
    while (*p && *p != '"') {
      if (*p != '\\') {
        out[o++] = *p++;
        continue;
      }
      p++;
      char e = *p ? *p++ : 0;
      if (e == 'n' || e == 't' || e == 'r') out[o++] = ' ';
      else if (e == 'u' && strlen(p) >= 4) {
        char hex[5] = {p[0], p[1], p[2], p[3], 0};
        unsigned long cp = strtoul(hex, NULL, 16);
        p += 4;
        if (cp < 0x80) out[o++] = (char)cp;
        else if (cp < 0x800) {
          out[o++] = (char)(0xC0 | (cp >> 6));
          out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
          out[o++] = (char)(0xE0 | (cp >> 12));
          out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
          out[o++] = (char)(0x80 | (cp & 0x3F));
        }
      } else if (e) out[o++] = e;
    }
    el_ner_cl_text(out, o);
    if (c < 0) break;
  }
  gzclose(f);
  free(line);
  free(out);
}

/* The "# text = " lines of a CoNLL-U file. */
void el_ner_cl_conllu(const char *path) {
  gzFile f = gzopen(path, "rb");
  if (f == NULL) cl_die("cannot open the treebank");
  char line[65536];
  while (gzgets(f, line, sizeof(line))) {
    if (strncmp(line, "# text = ", 9) != 0) continue;
    size_t n = strlen(line);
    while (n > 9 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    el_ner_cl_text(line + 9, n - 9);
  }
  gzclose(f);
}

/* ------------------------------------------------------------------------ */

static uint64_t cl_rng = 0x9E3779B97F4A7C15ULL;
static uint64_t cl_rand(void) {
  cl_rng ^= cl_rng << 13;
  cl_rng ^= cl_rng >> 7;
  cl_rng ^= cl_rng << 17;
  return cl_rng;
}

static int by_count(const void *a, const void *b) {
  const vword *x = &V[*(const uint32_t *)a], *y = &V[*(const uint32_t *)b];
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  int c = strcmp(x->s, y->s);
  return c;
}

/* Spherical k-means of the rows `ids` (unit vectors in X) into k clusters;
** out[i] gets the cluster of ids[i]. Centroids start at rows spread evenly
** over the (frequency-ordered) list. */
static void kmeans(const float *X, const uint32_t *ids, size_t n, int k, int iters, int *out) {
  if ((size_t)k > n) k = (int)n;
  if (k <= 1) {
    for (size_t i = 0; i < n; i++) out[i] = 0;
    return;
  }
  float *C = calloc((size_t)k * DIM, sizeof(float));
  double *S = calloc((size_t)k * DIM, sizeof(double));
  if (!C || !S) cl_die("out of memory");
  for (int c = 0; c < k; c++) memcpy(C + (size_t)c * DIM, X + (size_t)ids[(size_t)c * n / k] * DIM,
                                     DIM * sizeof(float));
  for (int it = 0; it < iters; it++) {
    memset(S, 0, (size_t)k * DIM * sizeof(double));
    for (size_t i = 0; i < n; i++) {
      const float *x = X + (size_t)ids[i] * DIM;
      int best = 0;
      float bd = -2;
      for (int c = 0; c < k; c++) {
        const float *y = C + (size_t)c * DIM;
        float d = 0;
        for (int j = 0; j < DIM; j++) d += x[j] * y[j];
        if (d > bd) {
          bd = d;
          best = c;
        }
      }
      out[i] = best;
      double *s = S + (size_t)best * DIM;
      for (int j = 0; j < DIM; j++) s[j] += x[j];
    }
    for (int c = 0; c < k; c++) {
      double nn = 0;
      for (int j = 0; j < DIM; j++) nn += S[(size_t)c * DIM + j] * S[(size_t)c * DIM + j];
      if (nn == 0) continue; /* an empty cluster keeps its centroid */
      nn = sqrt(nn);
      for (int j = 0; j < DIM; j++) C[(size_t)c * DIM + j] = (float)(S[(size_t)c * DIM + j] / nn);
    }
  }
  free(C);
  free(S);
}

size_t el_ner_cl_build(int c1, int c2, el_ner_cl_fn emit, void *ctx) {
  /* words by frequency */
  uint32_t *order = malloc(nv * sizeof(uint32_t));
  if (order == NULL) cl_die("out of memory");
  for (size_t i = 0; i < nv; i++) order[i] = (uint32_t)i;
  qsort(order, nv, sizeof(uint32_t), by_count);
  size_t nw = 0;
  while (nw < nv && nw < MAXW && V[order[nw]].count >= MINCOUNT) nw++;
  int32_t *rank = malloc(nv * sizeof(int32_t));
  if (rank == NULL) cl_die("out of memory");
  for (size_t i = 0; i < nv; i++) rank[i] = -1;
  for (size_t i = 0; i < nw; i++) rank[order[i]] = (int32_t)i;
  /* random +-1 vectors of the context words, with inverse-frequency weights */
  size_t nctx = nw < CTX ? nw : CTX;
  float *R = malloc(2 * nctx * DIM * sizeof(float));
  float *wt = malloc(nctx * sizeof(float));
  float *X = calloc(nw * DIM, sizeof(float));
  if (!R || !wt || !X) cl_die("out of memory");
  double total = 0;
  for (size_t i = 0; i < nv; i++) total += (double)V[i].count;
  for (size_t i = 0; i < 2 * nctx * DIM; i++) R[i] = (cl_rand() >> 11) & 1 ? 1.0f : -1.0f;
  for (size_t i = 0; i < nctx; i++) wt[i] = (float)log(total / (double)V[order[i]].count);
  for (size_t i = 0; i < nseq; i++) {
    uint32_t w = seq[i];
    if (w == UINT32_MAX || rank[w] < 0) continue;
    float *x = X + (size_t)rank[w] * DIM;
    for (int side = 0; side < 2; side++) {
      uint32_t c = side == 0 ? (i > 0 ? seq[i - 1] : UINT32_MAX) : (i + 1 < nseq ? seq[i + 1] : UINT32_MAX);
      if (c == UINT32_MAX || rank[c] < 0 || (size_t)rank[c] >= nctx) continue;
      const float *r = R + ((size_t)side * nctx + (size_t)rank[c]) * DIM;
      float g = wt[rank[c]];
      for (int j = 0; j < DIM; j++) x[j] += g * r[j];
    }
  }
  for (size_t i = 0; i < nw; i++) {
    float *x = X + i * DIM;
    double nn = 0;
    for (int j = 0; j < DIM; j++) nn += (double)x[j] * x[j];
    nn = nn > 0 ? sqrt(nn) : 1;
    for (int j = 0; j < DIM; j++) x[j] = (float)(x[j] / nn);
  }
  /* two levels of spherical k-means */
  uint32_t *ids = calloc(nw + 1, sizeof(uint32_t));
  int *top = malloc(nw * sizeof(int)), *sub = malloc(nw * sizeof(int));
  uint32_t *mem = calloc(nw + 1, sizeof(uint32_t));
  int *subo = malloc(nw * sizeof(int));
  if (!ids || !top || !sub || !mem || !subo) cl_die("out of memory");
  for (size_t i = 0; i < nw; i++) ids[i] = (uint32_t)i;
  kmeans(X, ids, nw, c1, 12, top);
  for (int c = 0; c < c1; c++) {
    size_t m = 0;
    for (size_t i = 0; i < nw; i++)
      if (top[i] == c) mem[m++] = (uint32_t)i;
    kmeans(X, mem, m, c2, 10, subo);
    for (size_t i = 0; i < m; i++) sub[mem[i]] = subo[i];
  }
  for (size_t i = 0; i < nw; i++) {
    const vword *w = &V[order[i]];
    uint64_t seen = w->caps + w->lower;
    /* capitalised where no sentence starts: 0 unknown, 1 rarely (< 10%),
    ** 2 sometimes, 3 mostly (> 60%), 4 always (> 95%) */
    int cap = 0;
    if (seen >= 3) {
      double r = (double)w->caps / (double)seen;
      cap = r < 0.1 ? 1 : r <= 0.6 ? 2 : r <= 0.95 ? 3 : 4;
    }
    emit(ctx, w->s, w->len, (uint16_t)(1 + top[i]), (uint16_t)(1 + top[i] * c2 + sub[i]),
         (uint8_t)cap);
  }
  free(order);
  free(rank);
  free(R);
  free(wt);
  free(X);
  free(ids);
  free(top);
  free(sub);
  free(mem);
  free(subo);
  return nw;
}

void el_ner_cl_free(void) {
  for (size_t i = 0; i < nv; i++) free(V[i].s);
  free(V);
  free(vtab);
  free(seq);
  V = NULL;
  vtab = NULL;
  seq = NULL;
  nv = vcap = vtab_cap = nseq = seqcap = 0;
}
