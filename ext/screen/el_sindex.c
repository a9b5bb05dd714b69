/*
** The screening index (see el_sindex.h).
*/
#include <stdlib.h>
#include <string.h>

#include "el_sindex.h"
#include "el_unicode.h"

typedef struct el_sentry {
  int row, alias;
  el_name *nm; /* packed, in the arena */
} el_sentry;

typedef struct el_skey {
  uint64_t h;
  uint32_t entry;
} el_skey;

#define EL_CHUNK (256 * 1024)
/* Tokens this long or longer get deletion keys. Shorter tokens still pair
** fuzzily (from 4 characters) with an entry found through another token; on
** their own one edit scores at most 1 - 1/5 = 0.8. */
#define EL_DELETE_MIN 6
/* Tokens with more postings than this may be skipped by a query. */
#define EL_COMMON_POSTINGS 64

struct el_sindex {
  el_realloc_fn re;
  el_free_fn fr;
  el_sentry *ent;
  size_t nent, cap_ent;
  el_skey *keys;
  size_t nkeys, cap_keys;
  char **chunks;
  size_t nchunks, cap_chunks, used, chunk_cap;
  uint32_t *stamp;
  uint32_t cur;
  el_name_buf *nb;
  char *kbuf;   /* name keys of the query and of a candidate */
  int finished;
};

/* ------------------------------------------------------------------------ */
/* Memory                                                                    */

static int el_grow(el_sindex *ix, void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap * 2 : 64;
  while (nc < need) nc *= 2;
  void *q = ix->re(*p, nc * size);
  if (q == NULL) return -1;
  *p = q;
  *cap = nc;
  return 0;
}

static void *el_arena(el_sindex *ix, size_t size) {
  size = (size + 7) & ~(size_t)7;
  if (ix->nchunks == 0 || ix->used + size > ix->chunk_cap) {
    size_t cap = size > EL_CHUNK ? size : EL_CHUNK;
    if (el_grow(ix, (void **)&ix->chunks, &ix->cap_chunks, ix->nchunks + 1, sizeof(char *)))
      return NULL;
    char *c = ix->re(NULL, cap);
    if (c == NULL) return NULL;
    ix->chunks[ix->nchunks++] = c;
    ix->used = 0;
    ix->chunk_cap = cap;
  }
  void *p = ix->chunks[ix->nchunks - 1] + ix->used;
  ix->used += size;
  return p;
}

el_sindex *el_sindex_new(el_realloc_fn xrealloc, el_free_fn xfree) {
  el_sindex *ix = xrealloc(NULL, sizeof(*ix));
  if (ix == NULL) return NULL;
  memset(ix, 0, sizeof(*ix));
  ix->re = xrealloc;
  ix->fr = xfree;
  ix->nb = xrealloc(NULL, sizeof(el_name_buf));
  ix->kbuf = xrealloc(NULL, 2 * EL_NAME_KEY_MAX);
  if (ix->nb == NULL || ix->kbuf == NULL) {
    el_sindex_free(ix);
    return NULL;
  }
  return ix;
}

void el_sindex_free(el_sindex *ix) {
  if (ix == NULL) return;
  for (size_t i = 0; i < ix->nchunks; i++) ix->fr(ix->chunks[i]);
  ix->fr(ix->chunks);
  ix->fr(ix->ent);
  ix->fr(ix->keys);
  ix->fr(ix->stamp);
  ix->fr(ix->nb);
  ix->fr(ix->kbuf);
  ix->fr(ix);
}

size_t el_sindex_entries(const el_sindex *ix) { return ix->nent; }
size_t el_sindex_keys(const el_sindex *ix) { return ix->nkeys; }

/* ------------------------------------------------------------------------ */
/* Blocking keys                                                             */

#define EL_FNV_OFFSET 1469598103934665603ULL
#define EL_FNV_PRIME 1099511628211ULL

static uint64_t el_mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/* Hash of code points cp[0..n) without position skip (skip < 0: none). */
static uint64_t el_hash_cps(const int32_t *cp, int n, int skip) {
  uint64_t h = EL_FNV_OFFSET;
  for (int i = 0; i < n; i++) {
    if (i == skip) continue;
    uint32_t v = (uint32_t)cp[i];
    for (int b = 0; b < 4; b++) {
      h ^= (v >> (8 * b)) & 0xFF;
      h *= EL_FNV_PRIME;
    }
  }
  return el_mix(h ^ (uint64_t)(n - (skip >= 0)));
}

static int el_decode(const char *z, size_t n, int32_t *out, int cap) {
  int k = 0;
  size_t i = 0;
  while (i < n && k < cap) {
    int32_t cp;
    i += el_utf8_decode((const unsigned char *)z + i, n - i, &cp);
    out[k++] = cp;
  }
  return k;
}

/* The keys of token i (group i) or, for i == nm->n, of the tokens run together.
** Calls emit(ctx, hash) for each; returns the first non-zero emit result. */
typedef int (*el_emit_fn)(void *ctx, uint64_t h);

static int el_group_keys(const el_name *nm, int i, el_emit_fn emit, void *ctx) {
  int32_t cp[EL_NAME_BUF / 4];
  int rc;
  if (i == nm->n) {
    if (nm->n < 2) return 0;
    int n = el_decode(nm->buf + nm->concat_off, nm->concat_len, cp, EL_NAME_BUF / 4);
    return emit(ctx, el_hash_cps(cp, n, -1));
  }
  const el_ntok *t = &nm->tok[i];
  int n = el_decode(nm->buf + t->off, t->len, cp, EL_NAME_MAX_TOKCH);
  if ((rc = emit(ctx, el_hash_cps(cp, n, -1))) != 0) return rc;
  if (t->stem_len != t->len || t->stem_off != t->off) {
    int32_t sp[EL_NAME_MAX_TOKCH + 4];
    int sn = el_decode(nm->buf + t->stem_off, t->stem_len, sp, EL_NAME_MAX_TOKCH + 4);
    if ((rc = emit(ctx, el_hash_cps(sp, sn, -1))) != 0) return rc;
  }
  if (n >= EL_DELETE_MIN && !t->digit) {
    for (int k = 0; k < n; k++) {
      if (k > 0 && cp[k] == cp[k - 1]) continue; /* the same deletion */
      if ((rc = emit(ctx, el_hash_cps(cp, n, k))) != 0) return rc;
    }
  }
  return 0;
}

typedef struct el_add_ctx {
  el_sindex *ix;
  uint32_t entry;
} el_add_ctx;

static int el_add_key(void *ctx, uint64_t h) {
  el_add_ctx *a = ctx;
  el_sindex *ix = a->ix;
  if (el_grow(ix, (void **)&ix->keys, &ix->cap_keys, ix->nkeys + 1, sizeof(el_skey))) return -1;
  ix->keys[ix->nkeys].h = h;
  ix->keys[ix->nkeys].entry = a->entry;
  ix->nkeys++;
  return 0;
}

int el_sindex_add(el_sindex *ix, int row, int alias, const char *z, size_t n) {
  el_name *nm = el_name_normalize(z, n, ix->nb);
  if (nm->n == 0) return 1;
  if (ix->nent >= 0x7fffffff) return -1;
  if (el_grow(ix, (void **)&ix->ent, &ix->cap_ent, ix->nent + 1, sizeof(el_sentry))) return -1;
  void *mem = el_arena(ix, el_name_packed_size(nm));
  if (mem == NULL) return -1;
  el_sentry *e = &ix->ent[ix->nent];
  e->row = row;
  e->alias = alias;
  e->nm = el_name_pack(nm, mem);
  el_add_ctx a = {ix, (uint32_t)ix->nent};
  ix->nent++;
  for (int i = 0; i <= nm->n; i++)
    if (el_group_keys(e->nm, i, el_add_key, &a) != 0) return -1;
  ix->finished = 0;
  return 0;
}

static int el_key_cmp(const void *x, const void *y) {
  const el_skey *a = x, *b = y;
  if (a->h != b->h) return a->h < b->h ? -1 : 1;
  return a->entry < b->entry ? -1 : a->entry > b->entry;
}

int el_sindex_finish(el_sindex *ix) {
  if (ix->nkeys) qsort(ix->keys, ix->nkeys, sizeof(el_skey), el_key_cmp);
  size_t o = 0;
  for (size_t i = 0; i < ix->nkeys; i++) {
    if (o > 0 && ix->keys[o - 1].h == ix->keys[i].h && ix->keys[o - 1].entry == ix->keys[i].entry)
      continue;
    ix->keys[o++] = ix->keys[i];
  }
  ix->nkeys = o;
  ix->fr(ix->stamp);
  ix->stamp = NULL;
  if (ix->nent) {
    ix->stamp = ix->re(NULL, ix->nent * sizeof(uint32_t));
    if (ix->stamp == NULL) return -1;
    memset(ix->stamp, 0, ix->nent * sizeof(uint32_t));
  }
  ix->cur = 0;
  ix->finished = 1;
  return 0;
}

/* First key with hash >= h. */
static size_t el_lower(const el_sindex *ix, uint64_t h) {
  size_t lo = 0, hi = ix->nkeys;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->keys[mid].h < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* ------------------------------------------------------------------------ */
/* Query                                                                     */

#define EL_QKEYS (EL_NAME_MAX_TOKCH + 2)
typedef struct el_qgroup {
  uint64_t h[EL_QKEYS];
  size_t lo[EL_QKEYS], hi[EL_QKEYS]; /* each key's postings in ix->keys */
  int nh;
  size_t postings;
} el_qgroup;

static int el_qkey(void *ctx, uint64_t h) {
  el_qgroup *g = ctx;
  if (g->nh < EL_QKEYS) g->h[g->nh++] = h;
  return 0;
}

typedef struct el_cand {
  int row, alias;
  double score;
  uint32_t entry;
} el_cand;

static int el_cand_by_row(const void *x, const void *y) {
  const el_cand *a = x, *b = y;
  if (a->row != b->row) return a->row < b->row ? -1 : 1;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  return a->alias < b->alias ? -1 : a->alias > b->alias;
}

static int el_hit_cmp(const void *x, const void *y) {
  const el_shit *a = x, *b = y;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (a->exact != b->exact) return a->exact > b->exact ? -1 : 1;
  return a->row < b->row ? -1 : a->row > b->row;
}

void el_sindex_free_hits(el_sindex *ix, el_shit *hits) { ix->fr(hits); }

int el_sindex_query(el_sindex *ix, const char *z, size_t n, double threshold, el_shit **hits,
                    size_t *compared) {
  *hits = NULL;
  if (compared) *compared = 0;
  if (!ix->finished && el_sindex_finish(ix)) return -1;
  el_name *q = el_name_normalize(z, n, ix->nb);
  if (q->n == 0 || ix->nent == 0) return 0;
  if (threshold < 0) threshold = 0;

  /* keys and posting counts per token (and the tokens run together) */
  el_qgroup *g = ix->re(NULL, (size_t)(q->n + 1) * sizeof(el_qgroup));
  if (g == NULL) return -1;
  for (int i = 0; i <= q->n; i++) {
    g[i].nh = 0;
    g[i].postings = 0;
    el_group_keys(q, i, el_qkey, &g[i]);
    for (int k = 0; k < g[i].nh; k++) {
      size_t lo = el_lower(ix, g[i].h[k]);
      size_t hi = lo;
      while (hi < ix->nkeys && ix->keys[hi].h == g[i].h[k]) hi++;
      g[i].lo[k] = lo;
      g[i].hi[k] = hi;
      g[i].postings += hi - lo;
    }
  }

  /* Skip common tokens while they cannot reach the threshold on their own:
  ** an entry that matches none of the other tokens scores at most
  ** 2U / (W + U), U the weight of the skipped tokens and W the query's. */
  int order[EL_NAME_MAX_TOKENS];
  int skip[EL_NAME_MAX_TOKENS];
  for (int i = 0; i < q->n; i++) {
    skip[i] = 0;
    int j = i;
    while (j > 0 && g[order[j - 1]].postings < g[i].postings) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  double bound = 0.9 * threshold * (double)q->weight / (2.0 - threshold);
  double skipped = 0;
  for (int k = 0; k < q->n; k++) {
    int i = order[k];
    if (g[i].postings <= EL_COMMON_POSTINGS) break;
    if (skipped + q->tok[i].w >= bound) break;
    skipped += q->tok[i].w;
    skip[i] = 1;
  }

  /* candidates */
  if (++ix->cur == 0) {
    memset(ix->stamp, 0, ix->nent * sizeof(uint32_t));
    ix->cur = 1;
  }
  el_cand *cand = NULL;
  size_t ncand = 0, cap = 0;
  int rc = 0;
  size_t qk = el_name_key(q, ix->kbuf, EL_NAME_KEY_MAX);
  for (int i = 0; i <= q->n && rc == 0; i++) {
    if (i < q->n && skip[i]) continue;
    for (int k = 0; k < g[i].nh && rc == 0; k++) {
      for (size_t p = g[i].lo[k]; p < g[i].hi[k]; p++) {
        uint32_t e = ix->keys[p].entry;
        if (ix->stamp[e] == ix->cur) continue;
        ix->stamp[e] = ix->cur;
        if (compared) (*compared)++;
        double s = el_name_similarity_min(q, ix->ent[e].nm, threshold);
        if (s < threshold || s <= 0) continue;
        if (el_grow(ix, (void **)&cand, &cap, ncand + 1, sizeof(el_cand))) {
          rc = -1;
          break;
        }
        cand[ncand].row = ix->ent[e].row;
        cand[ncand].alias = ix->ent[e].alias;
        cand[ncand].score = s;
        cand[ncand].entry = e;
        ncand++;
      }
    }
  }
  ix->fr(g);
  if (rc) {
    ix->fr(cand);
    return -1;
  }
  if (ncand == 0) {
    ix->fr(cand);
    return 0;
  }
  /* best entry per row: the highest score, then the name before its aliases */
  qsort(cand, ncand, sizeof(el_cand), el_cand_by_row);
  el_shit *out = ix->re(NULL, ncand * sizeof(el_shit));
  if (out == NULL) {
    ix->fr(cand);
    return -1;
  }
  size_t nout = 0;
  for (size_t i = 0; i < ncand; i++) {
    if (i > 0 && cand[i].row == cand[i - 1].row) continue;
    el_shit *h = &out[nout++];
    h->row = cand[i].row;
    h->alias = cand[i].alias;
    h->score = cand[i].score;
    h->exact = 0;
    if (cand[i].score >= 1.0) {
      char *ck = ix->kbuf + EL_NAME_KEY_MAX;
      size_t kl = el_name_key(ix->ent[cand[i].entry].nm, ck, EL_NAME_KEY_MAX);
      h->exact = kl == qk && memcmp(ck, ix->kbuf, qk < EL_NAME_KEY_MAX ? qk : 0) == 0;
    }
  }
  ix->fr(cand);
  qsort(out, nout, sizeof(el_shit), el_hit_cmp);
  *hits = out;
  return (int)nout;
}
