/*
** The token trie behind every gazetteer (see el_lexicon.h). Three tables:
**   vocabulary  normalised token -> id        (open addressing, FNV-1a)
**   edges       (node, token id) -> child     (open addressing)
**   nodes       node -> entry index or -1
** A walk from token i looks each following token up in the vocabulary and
** follows the edge; it stops at the first unknown token, so the cost per start
** is the length of the longest partial match, whatever the number of names.
*/
#include <stdlib.h>
#include <string.h>

#include "../common/el_alloc.h"
#include "el_lexicon.h"
#include "../common/el_unicode.h"

typedef struct el_vocab_slot {
  char *s;
  uint32_t len;
  uint32_t hash;
  int32_t id; /* -1: empty */
} el_vocab_slot;

typedef struct el_edge_slot {
  uint64_t key; /* node << 32 | token id, +1 so that 0 is empty */
  int32_t child;
} el_edge_slot;

struct el_lex {
  el_vocab_slot *vocab;
  size_t vocab_cap, vocab_n;
  el_edge_slot *edges;
  size_t edge_cap, edge_n;
  int32_t *nodes;
  size_t node_cap, node_n;
  el_lex_entry *entries;
  size_t entry_cap, entry_n;
  int lower_start;
  /* a quick filter: bit (first byte % 64) of filter[min(len, 31)] is set
  ** when some vocabulary token has that length and first byte */
  uint64_t filter[32];
};

static uint32_t el_fnv(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static uint64_t el_mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return k;
}

el_lex *el_lex_new(void) {
  el_lex *lx = el_calloc(1, sizeof(*lx));
  if (lx == NULL) return NULL;
  lx->nodes = el_malloc(sizeof(int32_t) * 64);
  if (lx->nodes == NULL) {
    el_free(lx);
    return NULL;
  }
  lx->node_cap = 64;
  lx->nodes[0] = -1; /* the root */
  lx->node_n = 1;
  return lx;
}

void el_lex_free(el_lex *lx) {
  if (lx == NULL) return;
  for (size_t i = 0; i < lx->vocab_cap; i++) el_free(lx->vocab[i].s);
  for (size_t i = 0; i < lx->entry_n; i++) {
    el_lex_entry *e = &lx->entries[i];
    el_free(e->name);
    el_free(e->label);
    el_free(e->canonical);
    el_free(e->source);
  }
  el_free(lx->vocab);
  el_free(lx->edges);
  el_free(lx->nodes);
  el_free(lx->entries);
  el_free(lx);
}

static long el_vocab_find(const el_lex *lx, const char *s, size_t n) {
  if (lx->vocab_cap == 0 || n == 0) return -1;
  if (!(lx->filter[n < 31 ? n : 31] >> ((unsigned char)s[0] & 63) & 1)) return -1;
  uint32_t h = el_fnv(s, n);
  size_t mask = lx->vocab_cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const el_vocab_slot *v = &lx->vocab[i];
    if (v->id < 0) return -1;
    if (v->hash == h && v->len == n && memcmp(v->s, s, n) == 0) return v->id;
  }
}

static int el_vocab_grow(el_lex *lx) {
  size_t ncap = lx->vocab_cap ? lx->vocab_cap * 2 : 256;
  el_vocab_slot *nv = el_malloc(sizeof(*nv) * ncap);
  if (nv == NULL) return -1;
  for (size_t i = 0; i < ncap; i++) nv[i].id = -1, nv[i].s = NULL;
  for (size_t i = 0; i < lx->vocab_cap; i++) {
    el_vocab_slot *v = &lx->vocab[i];
    if (v->id < 0) continue;
    size_t j = v->hash & (ncap - 1);
    while (nv[j].id >= 0) j = (j + 1) & (ncap - 1);
    nv[j] = *v;
  }
  el_free(lx->vocab);
  lx->vocab = nv;
  lx->vocab_cap = ncap;
  return 0;
}

static long el_vocab_intern(el_lex *lx, const char *s, size_t n) {
  long id = el_vocab_find(lx, s, n);
  if (id >= 0) return id;
  if ((lx->vocab_n + 1) * 2 > lx->vocab_cap && el_vocab_grow(lx) != 0) return -1;
  uint32_t h = el_fnv(s, n);
  size_t mask = lx->vocab_cap - 1, i = h & mask;
  while (lx->vocab[i].id >= 0) i = (i + 1) & mask;
  char *copy = el_malloc(n + 1);
  if (copy == NULL) return -1;
  memcpy(copy, s, n);
  copy[n] = 0;
  if (n > 0) lx->filter[n < 31 ? n : 31] |= 1ULL << ((unsigned char)s[0] & 63);
  lx->vocab[i].s = copy;
  lx->vocab[i].len = (uint32_t)n;
  lx->vocab[i].hash = h;
  lx->vocab[i].id = (int32_t)lx->vocab_n;
  return (long)lx->vocab_n++;
}

static long el_edge_find(const el_lex *lx, long node, long tok) {
  if (lx->edge_cap == 0) return -1;
  uint64_t key = (((uint64_t)node << 32) | (uint64_t)tok) + 1;
  size_t mask = lx->edge_cap - 1;
  for (size_t i = el_mix(key) & mask;; i = (i + 1) & mask) {
    if (lx->edges[i].key == 0) return -1;
    if (lx->edges[i].key == key) return lx->edges[i].child;
  }
}

static int el_edge_grow(el_lex *lx) {
  size_t ncap = lx->edge_cap ? lx->edge_cap * 2 : 256;
  el_edge_slot *ne = el_calloc(ncap, sizeof(*ne));
  if (ne == NULL) return -1;
  for (size_t i = 0; i < lx->edge_cap; i++) {
    if (lx->edges[i].key == 0) continue;
    size_t j = el_mix(lx->edges[i].key) & (ncap - 1);
    while (ne[j].key != 0) j = (j + 1) & (ncap - 1);
    ne[j] = lx->edges[i];
  }
  el_free(lx->edges);
  lx->edges = ne;
  lx->edge_cap = ncap;
  return 0;
}

/* Child of node for tok, created when absent; -1 when out of memory. */
static long el_edge_child(el_lex *lx, long node, long tok) {
  long c = el_edge_find(lx, node, tok);
  if (c >= 0) return c;
  if ((lx->edge_n + 1) * 2 > lx->edge_cap && el_edge_grow(lx) != 0) return -1;
  if (lx->node_n == lx->node_cap) {
    int32_t *nn = el_realloc(lx->nodes, sizeof(int32_t) * lx->node_cap * 2);
    if (nn == NULL) return -1;
    lx->nodes = nn;
    lx->node_cap *= 2;
  }
  c = (long)lx->node_n++;
  lx->nodes[c] = -1;
  uint64_t key = (((uint64_t)node << 32) | (uint64_t)tok) + 1;
  size_t mask = lx->edge_cap - 1, i = el_mix(key) & mask;
  while (lx->edges[i].key != 0) i = (i + 1) & mask;
  lx->edges[i].key = key;
  lx->edges[i].child = (int32_t)c;
  lx->edge_n++;
  return c;
}

uint8_t el_lex_shape(const unsigned char *z, const el_token *tok) {
  int upper = 0, lower = 0, first = -1;
  /* ASCII fast path: a lower-case first letter settles it */
  if (tok->end > tok->start && z[tok->start] >= 'a' && z[tok->start] <= 'z') return EL_SHAPE_ANY;
  {
    size_t i = tok->start;
    for (; i < tok->end && z[i] < 0x80; i++) {
      unsigned char c = z[i];
      if (c >= 'A' && c <= 'Z') {
        upper++;
        if (first < 0) first = 1;
      } else if (c >= 'a' && c <= 'z') {
        lower++;
        if (first < 0) first = 0;
      }
    }
    if (i == tok->end) {
      if (upper >= 2 && lower == 0) return EL_SHAPE_UPPER;
      return first == 1 ? EL_SHAPE_CAP : EL_SHAPE_ANY;
    }
    upper = lower = 0;
    first = -1;
  }
  for (size_t i = tok->start; i < tok->end;) {
    int32_t cp;
    size_t len = el_utf8_decode(z + i, tok->end - i, &cp);
    unsigned cls = el_uc_class(cp);
    if ((cls & EL_CLS_MASK) == EL_CLS_LETTER) {
      if (cls & EL_CF_UPPER) upper++;
      else if (cls & EL_CF_LOWER) lower++;
      if (first < 0) first = (cls & EL_CF_UPPER) ? 1 : 0;
    }
    i += len;
  }
  if (upper >= 2 && lower == 0) return EL_SHAPE_UPPER;
  return first == 1 ? EL_SHAPE_CAP : EL_SHAPE_ANY;
}

static char *el_strdup_n(const char *s, size_t n) {
  char *p = el_malloc(n + 1);
  if (p == NULL) return NULL;
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

long el_lex_add(el_lex *lx, const char *name, size_t n, const char *label,
                const char *canonical, const char *source, uint32_t kind, int32_t value,
                int *added) {
  el_tokenizer tk;
  el_token tok;
  char buf[512];
  long node = 0;
  uint8_t shape[EL_LEX_MAX_TOKENS];
  int ntok = 0;
  if (added) *added = 0;
  el_tokenizer_init(&tk, name, n);
  while (el_tokenizer_next(&tk, &tok)) {
    if (ntok == EL_LEX_MAX_TOKENS) return -2;
    size_t len = el_token_norm((const unsigned char *)name, &tok, EL_NORM_FTS, buf, sizeof(buf));
    if (len > sizeof(buf)) return -2;
    long id = el_vocab_intern(lx, buf, len);
    if (id < 0) return -1;
    node = el_edge_child(lx, node, id);
    if (node < 0) return -1;
    shape[ntok++] = el_lex_shape((const unsigned char *)name, &tok);
  }
  if (ntok == 0) return -2;
  if (lx->nodes[node] >= 0) return lx->nodes[node];
  if (lx->entry_n == lx->entry_cap) {
    size_t ncap = lx->entry_cap ? lx->entry_cap * 2 : 64;
    el_lex_entry *ne = el_realloc(lx->entries, sizeof(*ne) * ncap);
    if (ne == NULL) return -1;
    lx->entries = ne;
    lx->entry_cap = ncap;
  }
  el_lex_entry *e = &lx->entries[lx->entry_n];
  memset(e, 0, sizeof(*e));
  e->name = el_strdup_n(name, n);
  e->label = el_strdup_n(label ? label : "", label ? strlen(label) : 0);
  e->canonical = canonical ? el_strdup_n(canonical, strlen(canonical)) : NULL;
  e->source = source ? el_strdup_n(source, strlen(source)) : NULL;
  if (e->name == NULL || e->label == NULL || (canonical && e->canonical == NULL) ||
      (source && e->source == NULL)) {
    el_free(e->name);
    el_free(e->label);
    el_free(e->canonical);
    el_free(e->source);
    return -1;
  }
  e->kind = kind;
  e->value = value;
  e->ntok = (uint8_t)ntok;
  memcpy(e->shape, shape, (size_t)ntok);
  if (shape[0] == EL_SHAPE_ANY) lx->lower_start = 1;
  lx->nodes[node] = (int32_t)lx->entry_n;
  if (added) *added = 1;
  return (long)lx->entry_n++;
}

el_lex_entry *el_lex_entry_at(const el_lex *lx, long idx) {
  if (idx < 0 || (size_t)idx >= lx->entry_n) return NULL;
  return &lx->entries[idx];
}

size_t el_lex_size(const el_lex *lx) { return lx->entry_n; }

int el_lex_lower_start(const el_lex *lx) { return lx->lower_start; }

static int el_shape_ok(uint8_t want, uint8_t have) {
  if (want == EL_SHAPE_ANY) return 1;
  if (want == EL_SHAPE_CAP) return have != EL_SHAPE_ANY;
  return have == EL_SHAPE_UPPER;
}

long el_lex_longest(const el_lex *lx, const el_lex_tok *toks, size_t i, size_t n, size_t *len) {
  return el_lex_longest_except(lx, toks, i, n, len, 0);
}

long el_lex_longest_except(const el_lex *lx, const el_lex_tok *toks, size_t i, size_t n,
                           size_t *len, uint32_t skip_kind) {
  long node = 0, best = -1;
  size_t bestlen = 0;
  for (size_t j = i; j < n && j - i < EL_LEX_MAX_TOKENS; j++) {
    if (j == i && !toks[j].matchable) break; /* a clitic starts nothing */
    long id = el_vocab_find(lx, toks[j].norm, toks[j].nlen);
    if (id < 0) break;
    node = el_edge_find(lx, node, id);
    if (node < 0) break;
    long e = lx->nodes[node];
    if (e >= 0 && !(lx->entries[e].kind & skip_kind)) {
      const el_lex_entry *en = &lx->entries[e];
      int ok = 1;
      for (size_t k = 0; k < en->ntok && ok; k++) ok = el_shape_ok(en->shape[k], toks[i + k].shape);
      if (ok) {
        best = e;
        bestlen = j - i + 1;
      }
    }
  }
  if (best >= 0) *len = bestlen;
  return best;
}

long el_lex_word(const el_lex *lx, const el_lex_tok *t) {
  size_t len;
  long e = el_lex_longest(lx, t, 0, 1, &len);
  return e;
}
