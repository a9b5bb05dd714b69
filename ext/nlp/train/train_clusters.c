/*
** Word clusters from unlabeled text, for the tagger's and the parser's
** features on words the treebank never shows (not part of the extension).
**
**   train_clusters OUT.tsv TEXT.jsonl.gz [CONLLU.gz ...]
**
** Reads the "title" and "text" fields of each JSON line (the Federal
** Register abstracts, public domain) and the `# text` lines of CoNLL-U files,
** tokenizes them with the extension's tokenizer, lower-cases the tokens and
** clusters the words seen at least EL_CL_MIN times with the exchange
** algorithm (Kneser and Ney 1993; Martin, Liermann and Ney 1998): each
** word in turn moves to the class that most increases the likelihood of a
** class bigram model, sum N(c1,c2) log N(c1,c2) - 2 sum N(c) log N(c).
** Two clusterings are made, a fine one (EL_CL_FINE classes) and a coarse one
** (EL_CL_COARSE classes). For each word the file also gives how often it is
** capitalized away from the start of a sentence (a hint for proper nouns).
**
** Output, one word a line: form TAB fine class TAB coarse class TAB
** capitalization bucket (0 unknown, 1 < 10%, 2 < 50%, 3 < 90%, 4 more).
** Deterministic: fixed order (by count, then bytes), no randomness.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "../../common/el_unicode.h"
#include "../../text/el_tokenizer.h"
#include "../el_nlp_int.h"
#include "../el_perceptron.h"

static int cmpu64(const void *p, const void *q);

#define EL_CL_MIN 5
#define EL_CL_FINE 256
#define EL_CL_COARSE 32
#define EL_CL_ITERS 6

static void die(const char *m) {
  fprintf(stderr, "train_clusters: %s\n", m);
  exit(1);
}
static void *xcalloc(size_t n, size_t s) {
  void *p = calloc(n ? n : 1, s ? s : 1);
  if (!p) die("out of memory");
  return p;
}
static double t0;
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* Vocabulary: lower-cased forms                                             */

typedef struct vword {
  char *s;
  long count, caps, noninit;
} vword;

static vword *vocab;
static long nvocab, capvocab;
static uint64_t *vkeys;
static long *vvals;
static size_t vmask;

static long vocab_id(const char *s, size_t n) {
  uint64_t h = el_fh_bytes(s, n);
  if (h == 0) h = 1;
  if ((size_t)(nvocab + 1) * 2 > vmask + 1) {
    size_t nc = (vmask + 1) * 2;
    uint64_t *nk = xcalloc(nc, sizeof(uint64_t));
    long *nv = xcalloc(nc, sizeof(long));
    for (size_t i = 0; i <= vmask; i++) {
      if (!vkeys[i]) continue;
      size_t j = vkeys[i] & (nc - 1);
      while (nk[j]) j = (j + 1) & (nc - 1);
      nk[j] = vkeys[i];
      nv[j] = vvals[i];
    }
    free(vkeys);
    free(vvals);
    vkeys = nk;
    vvals = nv;
    vmask = nc - 1;
  }
  size_t i = h & vmask;
  while (vkeys[i]) {
    if (vkeys[i] == h && strlen(vocab[vvals[i]].s) == n && memcmp(vocab[vvals[i]].s, s, n) == 0)
      return vvals[i];
    i = (i + 1) & vmask;
  }
  if (nvocab == capvocab) {
    capvocab = capvocab ? capvocab * 2 : 1 << 16;
    vocab = realloc(vocab, (size_t)capvocab * sizeof(vword));
    if (!vocab) die("out of memory");
  }
  vword *w = &vocab[nvocab];
  w->s = malloc(n + 1);
  memcpy(w->s, s, n);
  w->s[n] = 0;
  w->count = w->caps = w->noninit = 0;
  vkeys[i] = h;
  vvals[i] = nvocab;
  return nvocab++;
}

/* The token stream: vocabulary ids, -1 between documents. */
static long *stream;
static size_t nstream, capstream;

static void emit(long id) {
  if (nstream == capstream) {
    capstream = capstream ? capstream * 2 : 1 << 20;
    stream = realloc(stream, capstream * sizeof(long));
    if (!stream) die("out of memory");
  }
  stream[nstream++] = id;
}

static void add_text(const char *z, size_t n) {
  el_tokenizer t;
  el_token tok;
  char low[256];
  int initial = 1;
  el_tokenizer_init(&t, z, n);
  while (el_tokenizer_next(&t, &tok)) {
    size_t len = tok.end - tok.start;
    if (len > 64) {
      emit(-2); /* an over-long token: a context of its own */
      initial = 0;
      continue;
    }
    size_t l = el_nlp_lower((const unsigned char *)z, tok.start, tok.end, low, sizeof low);
    long id = vocab_id(low, l);
    vword *w = &vocab[id];
    w->count++;
    if (!initial && tok.kind == EL_WORD) {
      w->noninit++;
      if (tok.flags & EL_TF_UPPER) w->caps++;
    }
    emit(id);
    unsigned char c = (unsigned char)z[tok.start];
    initial = tok.kind == EL_PUNCT && (c == '.' || c == '!' || c == '?' || c == ':');
  }
  emit(-1);
}

/* ------------------------------------------------------------------------ */
/* Input                                                                     */

/* The JSON string value after "key": in line, decoded into out. */
static size_t json_field(const char *line, const char *key, char *out, size_t cap) {
  char pat[32];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(line, pat);
  if (!p) return 0;
  p += strlen(pat);
  while (*p == ' ') p++;
  if (*p != '"') return 0;
  p++;
  size_t o = 0;
  while (*p && *p != '"' && o + 8 < cap) {
    if (*p != '\\') {
      out[o++] = *p++;
      continue;
    }
    p++;
    char c = *p++;
    switch (c) {
      case 'n': case 't': case 'r': case 'b': case 'f': out[o++] = ' '; break;
      case 'u': {
        unsigned v = 0;
        for (int k = 0; k < 4 && *p; k++, p++) {
          char h = *p;
          v = v * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
        }
        if (v >= 0xD800 && v < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
          unsigned lo = 0;
          p += 2;
          for (int k = 0; k < 4 && *p; k++, p++) {
            char h = *p;
            lo = lo * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
          }
          v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (v >= 0xD800 && v < 0xE000) v = 0xFFFD;
        o += el_utf8_encode((int32_t)v, (unsigned char *)out + o);
        break;
      }
      case 0: p--; break;
      default: out[o++] = c;
    }
  }
  return o;
}

static void read_jsonl(const char *path) {
  gzFile g = gzopen(path, "rb");
  if (!g) die("cannot open the corpus");
  static char line[1 << 20], buf[1 << 20];
  while (gzgets(g, line, sizeof line)) {
    size_t n = json_field(line, "title", buf, sizeof buf);
    if (n) add_text(buf, n);
    n = json_field(line, "text", buf, sizeof buf);
    if (n) add_text(buf, n);
  }
  gzclose(g);
}

static void read_conllu_text(const char *path) {
  gzFile g = gzopen(path, "rb");
  if (!g) die("cannot open a CoNLL-U file");
  static char line[1 << 16];
  while (gzgets(g, line, sizeof line)) {
    if (strncmp(line, "# text = ", 9) != 0) continue;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    add_text(line + 9, n - 9);
  }
  gzclose(g);
}

/* ------------------------------------------------------------------------ */
/* Exchange clustering                                                       */

typedef struct nb {
  int w;
  int c;
} nb; /* a neighbour word and the bigram count */

static int V;          /* clustered words: ids 0..V-1 after renumbering */
static nb **succ, **pred;
static int *nsucc, *npred;
static long *wcount;
static long *selfc;    /* N(w, w) */

static double *flog;   /* x log x for small x */
#define FLOG_N (1 << 20)
static inline double F(long x) { return x < FLOG_N ? flog[x] : (double)x * log((double)x); }

static int cmp_vocab(const void *a, const void *b) {
  const vword *x = *(const vword *const *)a, *y = *(const vword *const *)b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->s, y->s);
}

static int cmp_nb(const void *a, const void *b) {
  const nb *x = a, *y = b;
  return x->w - y->w;
}

/* Build neighbour lists of the clustered words (rare words and boundaries
** are one context, id V). */
static void build_bigrams(const long *map) {
  size_t npairs = 0, cap = 1 << 22;
  uint64_t *pairs = xcalloc(cap, sizeof(uint64_t));
  for (size_t i = 0; i + 1 < nstream; i++) {
    long a = stream[i], b = stream[i + 1];
    if (a == -1 || b == -1) continue;
    long x = a < 0 ? V : map[a], y = b < 0 ? V : map[b];
    if (x == V && y == V) continue;
    if (npairs == cap) {
      cap *= 2;
      pairs = realloc(pairs, cap * sizeof(uint64_t));
      if (!pairs) die("out of memory");
    }
    pairs[npairs++] = (uint64_t)x << 32 | (uint64_t)y;
  }
  /* sort pairs: radix by hand would be faster; qsort is fine at this size */
  qsort(pairs, npairs, sizeof(uint64_t), cmpu64);
  succ = xcalloc((size_t)V + 1, sizeof(nb *));
  pred = xcalloc((size_t)V + 1, sizeof(nb *));
  nsucc = xcalloc((size_t)V + 1, sizeof(int));
  npred = xcalloc((size_t)V + 1, sizeof(int));
  selfc = xcalloc((size_t)V + 1, sizeof(long));
  /* count distinct pairs per word */
  for (size_t i = 0; i < npairs;) {
    size_t j = i;
    while (j < npairs && pairs[j] == pairs[i]) j++;
    int x = (int)(pairs[i] >> 32), y = (int)(pairs[i] & 0xFFFFFFFF);
    nsucc[x]++;
    npred[y]++;
    i = j;
  }
  for (int w = 0; w <= V; w++) {
    succ[w] = xcalloc((size_t)nsucc[w] + 1, sizeof(nb));
    pred[w] = xcalloc((size_t)npred[w] + 1, sizeof(nb));
    nsucc[w] = npred[w] = 0;
  }
  for (size_t i = 0; i < npairs;) {
    size_t j = i;
    while (j < npairs && pairs[j] == pairs[i]) j++;
    int x = (int)(pairs[i] >> 32), y = (int)(pairs[i] & 0xFFFFFFFF);
    int c = (int)(j - i);
    succ[x][nsucc[x]++] = (nb){y, c};
    pred[y][npred[y]++] = (nb){x, c};
    if (x == y) selfc[x] = c;
    i = j;
  }
  for (int w = 0; w <= V; w++) qsort(pred[w], (size_t)npred[w], sizeof(nb), cmp_nb);
  free(pairs);
}

static int cmpu64(const void *p, const void *q) {
  uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
  return a < b ? -1 : a > b;
}

/* Cluster words 0..V-1 into K classes (the context V is class K, fixed). */
static void exchange(int K, int *cls) {
  int KK = K + 1;
  long *NC = xcalloc((size_t)KK * KK, sizeof(long)); /* class bigrams */
  long *N = xcalloc((size_t)KK, sizeof(long));
  for (int w = 0; w < V; w++) cls[w] = w % K;
  cls[V] = K;
  for (int w = 0; w <= V; w++) {
    N[cls[w]] += wcount[w];
    for (int k = 0; k < nsucc[w]; k++) NC[(size_t)cls[w] * KK + cls[succ[w][k].w]] += succ[w][k].c;
  }
  long *sc = xcalloc((size_t)KK, sizeof(long)), *pc = xcalloc((size_t)KK, sizeof(long));
  int *sl = xcalloc((size_t)KK, sizeof(int)), *pl = xcalloc((size_t)KK, sizeof(int));
  for (int it = 0; it < EL_CL_ITERS; it++) {
    long moved = 0;
    for (int w = 0; w < V; w++) {
      int old = cls[w];
      /* counts of w's bigrams by class, w itself excluded */
      int ns = 0, np = 0;
      for (int k = 0; k < nsucc[w]; k++) {
        int y = succ[w][k].w;
        if (y == w) continue;
        int c = cls[y];
        if (!sc[c]) sl[ns++] = c;
        sc[c] += succ[w][k].c;
      }
      for (int k = 0; k < npred[w]; k++) {
        int x = pred[w][k].w;
        if (x == w) continue;
        int c = cls[x];
        if (!pc[c]) pl[np++] = c;
        pc[c] += pred[w][k].c;
      }
      long self = selfc[w];
      /* remove w from its class */
      for (int q = 0; q < ns; q++) NC[(size_t)old * KK + sl[q]] -= sc[sl[q]];
      for (int q = 0; q < np; q++) NC[(size_t)pl[q] * KK + old] -= pc[pl[q]];
      NC[(size_t)old * KK + old] -= self;
      N[old] -= wcount[w];
      /* the best class */
      int best = old;
      double bestd = -1e300;
      for (int k = 0; k < K; k++) {
        double d = 0;
        for (int q = 0; q < ns; q++) {
          int c = sl[q];
          if (c == k) continue;
          long v = NC[(size_t)k * KK + c];
          d += F(v + sc[c]) - F(v);
        }
        for (int q = 0; q < np; q++) {
          int c = pl[q];
          if (c == k) continue;
          long v = NC[(size_t)c * KK + k];
          d += F(v + pc[c]) - F(v);
        }
        long vkk = NC[(size_t)k * KK + k];
        d += F(vkk + sc[k] + pc[k] + self) - F(vkk);
        d -= 2 * (F(N[k] + wcount[w]) - F(N[k]));
        if (d > bestd + 1e-9) {
          bestd = d;
          best = k;
        }
      }
      /* add w to it */
      for (int q = 0; q < ns; q++) NC[(size_t)best * KK + sl[q]] += sc[sl[q]];
      for (int q = 0; q < np; q++) NC[(size_t)pl[q] * KK + best] += pc[pl[q]];
      NC[(size_t)best * KK + best] += self;
      /* the (best, best) cell also gains w's bigrams with its class-mates,
      ** which the two loops above added once each: nothing more to do */
      N[best] += wcount[w];
      if (best != old) moved++;
      cls[w] = best;
      for (int q = 0; q < ns; q++) sc[sl[q]] = 0;
      for (int q = 0; q < np; q++) pc[pl[q]] = 0;
    }
    fprintf(stderr, "[%6.1fs] exchange K=%d iteration %d: %ld words moved\n", now() - t0, K,
            it + 1, moved);
    if (moved == 0) break;
  }
  free(NC);
  free(N);
  free(sc);
  free(pc);
  free(sl);
  free(pl);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: train_clusters OUT.tsv TEXT.jsonl.gz [CONLLU.gz ...]\n");
    return 2;
  }
  t0 = now();
  vmask = (1 << 16) - 1;
  vkeys = xcalloc(vmask + 1, sizeof(uint64_t));
  vvals = xcalloc(vmask + 1, sizeof(long));
  read_jsonl(argv[2]);
  for (int i = 3; i < argc; i++) read_conllu_text(argv[i]);
  fprintf(stderr, "[%6.1fs] %zu tokens, %ld types\n", now() - t0, nstream, nvocab);

  /* the clustered words, by count then bytes */
  vword **order = xcalloc((size_t)nvocab, sizeof(vword *));
  for (long i = 0; i < nvocab; i++) order[i] = &vocab[i];
  qsort(order, (size_t)nvocab, sizeof(vword *), cmp_vocab);
  V = 0;
  while (V < nvocab && order[V]->count >= EL_CL_MIN) V++;
  long *map = xcalloc((size_t)nvocab, sizeof(long));
  for (long i = 0; i < nvocab; i++) map[i] = V;
  for (int i = 0; i < V; i++) map[order[i] - vocab] = i;
  wcount = xcalloc((size_t)V + 1, sizeof(long));
  for (int i = 0; i < V; i++) wcount[i] = order[i]->count;
  for (long i = 0; i < nvocab; i++)
    if (map[i] == V) wcount[V] += vocab[i].count;
  flog = xcalloc(FLOG_N, sizeof(double));
  for (long x = 1; x < FLOG_N; x++) flog[x] = (double)x * log((double)x);
  build_bigrams(map);
  fprintf(stderr, "[%6.1fs] %d words to cluster\n", now() - t0, V);

  int *fine = xcalloc((size_t)V + 1, sizeof(int)), *coarse = xcalloc((size_t)V + 1, sizeof(int));
  exchange(EL_CL_FINE, fine);
  exchange(EL_CL_COARSE, coarse);

  FILE *f = fopen(argv[1], "w");
  if (!f) die("cannot write the output");
  for (int i = 0; i < V; i++) {
    vword *w = order[i];
    int cap = 0;
    if (w->noninit >= 3) {
      double r = (double)w->caps / (double)w->noninit;
      cap = r < 0.1 ? 1 : r < 0.5 ? 2 : r < 0.9 ? 3 : 4;
    }
    if (strchr(w->s, '\t') || strchr(w->s, '\n')) continue;
    fprintf(f, "%s\t%d\t%d\t%d\n", w->s, fine[i], coarse[i], cap);
  }
  if (fclose(f) != 0) die("cannot write the output");
  fprintf(stderr, "[%6.1fs] wrote %d words\n", now() - t0, V);
  return 0;
}
