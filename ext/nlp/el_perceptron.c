/* Averaged perceptron with hashed features: see el_perceptron.h. */
#include "el_perceptron.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"

/* ------------------------------------------------------------------------ */
/* Hashing                                                                   */

static inline uint64_t el_load64le(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
         (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
         (uint64_t)p[7] << 56;
}

uint64_t el_fh_bytes(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = 0x243f6a8885a308d3ULL ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    h = el_fh_mix(h ^ el_load64le(p)) * 0x9e3779b97f4a7c15ULL;
    p += 8;
    n -= 8;
  }
  uint64_t t = 0;
  for (size_t i = 0; i < n; i++) t |= (uint64_t)p[i] << (8 * i);
  return el_fh_mix(h ^ t ^ 0x13198a2e03707344ULL);
}

/* ------------------------------------------------------------------------ */
/* Training model                                                            */

/* One (feature, class) weight; its averaging state lives in a parallel
** array (el_ap_avg), so that scoring reads 8 bytes per weight. */
typedef struct el_ap_ent {
  float w;
  uint16_t cls;
  uint16_t pad;
} el_ap_ent;
typedef struct el_ap_avg {
  double total;  /* sum of w over the clock up to ts */
  int64_t ts;    /* clock at the last change of w (also a free-list link) */
} el_ap_avg;

/* A feature's weights: a chunk of the entry pool of capacity 2^lcap. */
typedef struct el_ap_row {
  uint32_t off;
  uint16_t n;
  uint8_t lcap;
} el_ap_row;

#define EL_AP_FREE_CLASSES 17

struct el_ap {
  int nclass;
  int64_t clock;
  int averaged;
  /* feature hash -> row + 1 (0: empty) */
  uint64_t *keys;
  uint32_t *vals;
  size_t mask, nkeys;
  el_ap_row *rows;
  size_t nrows, caprows;
  el_ap_ent *pool;
  el_ap_avg *avg;
  size_t npool, cappool;
  uint32_t free_head[EL_AP_FREE_CLASSES]; /* freed chunks by lcap, +1 (0: none) */
  size_t nweights;
};

el_ap *el_ap_new(int nclass) {
  if (nclass < 1 || nclass > 65535) return NULL;
  el_ap *ap = el_calloc(1, sizeof(*ap));
  if (ap == NULL) return NULL;
  ap->nclass = nclass;
  ap->mask = 1023;
  ap->keys = el_calloc(ap->mask + 1, sizeof(uint64_t));
  ap->vals = el_calloc(ap->mask + 1, sizeof(uint32_t));
  if (ap->keys == NULL || ap->vals == NULL) {
    el_ap_free(ap);
    return NULL;
  }
  return ap;
}

void el_ap_free(el_ap *ap) {
  if (ap == NULL) return;
  el_free(ap->keys);
  el_free(ap->vals);
  el_free(ap->rows);
  el_free(ap->pool);
  el_free(ap->avg);
  el_free(ap);
}

size_t el_ap_features(const el_ap *ap) { return ap->nrows; }
size_t el_ap_weights(const el_ap *ap) { return ap->nweights; }

static inline uint64_t el_ap_key(uint64_t h) { return h ? h : 0x8000000000000001ULL; }

/* Row index + 1 of feature h, 0 when absent. */
static inline uint32_t el_ap_find(const el_ap *ap, uint64_t h) {
  uint64_t k = el_ap_key(h);
  size_t i = (size_t)(k & ap->mask);
  for (;;) {
    if (ap->keys[i] == k) return ap->vals[i];
    if (ap->keys[i] == 0) return 0;
    i = (i + 1) & ap->mask;
  }
}

static int el_ap_rehash(el_ap *ap) {
  size_t ncap = (ap->mask + 1) * 2;
  uint64_t *nk = el_calloc(ncap, sizeof(uint64_t));
  uint32_t *nv = el_calloc(ncap, sizeof(uint32_t));
  if (nk == NULL || nv == NULL) {
    el_free(nk);
    el_free(nv);
    return -1;
  }
  for (size_t i = 0; i <= ap->mask; i++) {
    if (ap->keys[i] == 0) continue;
    size_t j = (size_t)(ap->keys[i] & (ncap - 1));
    while (nk[j]) j = (j + 1) & (ncap - 1);
    nk[j] = ap->keys[i];
    nv[j] = ap->vals[i];
  }
  el_free(ap->keys);
  el_free(ap->vals);
  ap->keys = nk;
  ap->vals = nv;
  ap->mask = ncap - 1;
  return 0;
}

/* A chunk of 2^lcap entries: from the free list, or the end of the pool. */
static int el_ap_chunk(el_ap *ap, int lcap, uint32_t *off) {
  if (ap->free_head[lcap]) {
    *off = ap->free_head[lcap] - 1;
    ap->free_head[lcap] = (uint32_t)ap->avg[*off].ts;
    return 0;
  }
  size_t need = (size_t)1 << lcap;
  if (ap->npool + need > ap->cappool) {
    size_t ncap = ap->cappool ? ap->cappool * 2 : 4096;
    while (ncap < ap->npool + need) ncap *= 2;
    if (ncap > UINT32_MAX) return -1;
    el_ap_ent *np = el_reallocarray(ap->pool, ncap, sizeof(el_ap_ent));
    if (np == NULL) return -1;
    ap->pool = np;
    el_ap_avg *na = el_reallocarray(ap->avg, ncap, sizeof(el_ap_avg));
    if (na == NULL) return -1;
    ap->avg = na;
    ap->cappool = ncap;
  }
  *off = (uint32_t)ap->npool;
  ap->npool += need;
  return 0;
}

/* Row index of feature h, created when absent; -1 when out of memory. */
static long el_ap_get(el_ap *ap, uint64_t h) {
  uint64_t k = el_ap_key(h);
  size_t i = (size_t)(k & ap->mask);
  for (;;) {
    if (ap->keys[i] == k) return (long)ap->vals[i] - 1;
    if (ap->keys[i] == 0) break;
    i = (i + 1) & ap->mask;
  }
  if (ap->nrows >= UINT32_MAX - 1) return -1;
  if (ap->nrows == ap->caprows) {
    size_t ncap = ap->caprows ? ap->caprows * 2 : 1024;
    el_ap_row *nr = el_reallocarray(ap->rows, ncap, sizeof(el_ap_row));
    if (nr == NULL) return -1;
    ap->rows = nr;
    ap->caprows = ncap;
  }
  el_ap_row *r = &ap->rows[ap->nrows];
  if (el_ap_chunk(ap, 0, &r->off) != 0) return -1;
  r->n = 0;
  r->lcap = 0;
  ap->keys[i] = k;
  ap->vals[i] = (uint32_t)(ap->nrows + 1);
  ap->nrows++;
  ap->nkeys++;
  if (ap->nkeys * 2 > ap->mask + 1 && el_ap_rehash(ap) != 0) return -1;
  return (long)ap->nrows - 1;
}

/* Index in the pool of the entry of class cls in row r, created when
** absent; -1 when out of memory. */
static long el_ap_ent_of(el_ap *ap, el_ap_row *r, int cls) {
  el_ap_ent *e = ap->pool + r->off;
  for (int k = 0; k < r->n; k++)
    if (e[k].cls == cls) return (long)r->off + k;
  if (r->n == (1u << r->lcap)) {
    uint32_t off;
    if (r->lcap + 1 >= EL_AP_FREE_CLASSES || el_ap_chunk(ap, r->lcap + 1, &off) != 0)
      return -1;
    memcpy(ap->pool + off, ap->pool + r->off, sizeof(el_ap_ent) * r->n);
    memcpy(ap->avg + off, ap->avg + r->off, sizeof(el_ap_avg) * r->n);
    ap->avg[r->off].ts = ap->free_head[r->lcap];
    ap->free_head[r->lcap] = r->off + 1;
    r->off = off;
    r->lcap++;
  }
  long x = (long)r->off + r->n++;
  ap->pool[x].cls = (uint16_t)cls;
  ap->pool[x].pad = 0;
  ap->pool[x].w = 0;
  ap->avg[x].ts = ap->clock;
  ap->avg[x].total = 0;
  ap->nweights++;
  return x;
}

void el_ap_score(const el_ap *ap, const uint64_t *f, int nf, float *scores) {
  for (int c = 0; c < ap->nclass; c++) scores[c] = 0;
  for (int i = 0; i < nf; i++) {
    uint32_t r = el_ap_find(ap, f[i]);
    if (r == 0) continue;
    const el_ap_row *row = &ap->rows[r - 1];
    const el_ap_ent *e = ap->pool + row->off;
    for (int k = 0; k < row->n; k++) scores[e[k].cls] += e[k].w;
  }
}

int el_ap_add(el_ap *ap, const uint64_t *f, int nf, int cls, float delta) {
  if (cls < 0 || cls >= ap->nclass) return -1;
  for (int i = 0; i < nf; i++) {
    long r = el_ap_get(ap, f[i]);
    if (r < 0) return -1;
    long x = el_ap_ent_of(ap, &ap->rows[r], cls);
    if (x < 0) return -1;
    el_ap_avg *a = &ap->avg[x];
    a->total += (double)(ap->clock - a->ts) * ap->pool[x].w;
    a->ts = ap->clock;
    ap->pool[x].w += delta;
  }
  return 0;
}

int el_ap_update(el_ap *ap, const uint64_t *f, int nf, int truth, int guess) {
  if (truth == guess) return 0;
  if (el_ap_add(ap, f, nf, truth, 1.0f) != 0) return -1;
  return guess >= 0 ? el_ap_add(ap, f, nf, guess, -1.0f) : 0;
}

void el_ap_tick(el_ap *ap) { ap->clock++; }

void el_ap_average(el_ap *ap) {
  if (ap->averaged || ap->clock == 0) return;
  for (size_t r = 0; r < ap->nrows; r++) {
    el_ap_ent *e = ap->pool + ap->rows[r].off;
    el_ap_avg *a = ap->avg + ap->rows[r].off;
    for (int k = 0; k < ap->rows[r].n; k++) {
      double total = a[k].total + (double)(ap->clock - a[k].ts) * e[k].w;
      e[k].w = (float)(total / ap->clock);
      a[k].total = 0;
      a[k].ts = ap->clock;
    }
  }
  ap->averaged = 1;
}

/* ------------------------------------------------------------------------ */
/* Export                                                                    */

/* round(a / scale) for a >= 0, without libm */
static inline double el_qround(double a, double scale) {
  double q = a / scale + 0.5;
  return q >= 1e18 ? 1e18 : (double)(int64_t)q;
}

static int el_ent_cls_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a >> 16, y = *(const uint32_t *)b >> 16;
  return x < y ? -1 : x > y;
}

int el_ap_export(const el_ap *ap, float prune, unsigned char **blob, size_t *len) {
  *blob = NULL;
  *len = 0;
  double maxabs = 0;
  size_t nrows = 0, nent = 0;
  for (size_t r = 0; r < ap->nrows; r++) {
    const el_ap_ent *e = ap->pool + ap->rows[r].off;
    size_t kept = 0;
    for (int k = 0; k < ap->rows[r].n; k++) {
      double a = fabs((double)e[k].w);
      if (a < prune || a == 0) continue;
      kept++;
      if (a > maxabs) maxabs = a;
    }
    if (kept) {
      nrows++;
      nent += kept + 1;
    }
  }
  double scale = maxabs > 0 ? maxabs / 32767.0 : 1.0;
  /* second pass on the quantised weights: a weight that rounds to 0 goes */
  nrows = 0;
  nent = 0;
  for (size_t r = 0; r < ap->nrows; r++) {
    const el_ap_ent *e = ap->pool + ap->rows[r].off;
    size_t kept = 0;
    for (int k = 0; k < ap->rows[r].n; k++) {
      double a = fabs((double)e[k].w);
      if (a < prune || el_qround(a, scale) == 0) continue;
      kept++;
    }
    if (kept) {
      nrows++;
      nent += kept + 1;
    }
  }
  int bits = 4;
  while (((size_t)1 << bits) < nrows + nrows / 2) bits++; /* load at most 2/3 */
  size_t nslot = (size_t)1 << bits;
  if (bits > 31 || nent >= EL_APM_EMPTY) return -1;
  size_t bytes = sizeof(el_apm_header) + nslot * sizeof(el_apm_slot) + nent * sizeof(uint32_t);
  bytes = (bytes + 7) & ~(size_t)7;
  unsigned char *out = el_calloc(1, bytes);
  if (out == NULL) return -1;
  el_apm_header *h = (el_apm_header *)out;
  memcpy(h->magic, EL_APM_MAGIC, 8);
  h->nclass = (uint32_t)ap->nclass;
  h->slot_bits = (uint32_t)bits;
  h->nentry = (uint32_t)nent;
  h->scale = (float)scale;
  el_apm_slot *slot = (el_apm_slot *)(out + sizeof(el_apm_header));
  uint32_t *ent = (uint32_t *)(slot + nslot);
  for (size_t i = 0; i < nslot; i++) {
    slot[i].fp = 0;
    slot[i].off = EL_APM_EMPTY;
  }
  size_t o = 0;
  /* rows in the order of the training table's slots: deterministic */
  for (size_t i = 0; i <= ap->mask; i++) {
    if (ap->keys[i] == 0) continue;
    const el_ap_row *row = &ap->rows[ap->vals[i] - 1];
    const el_ap_ent *e = ap->pool + row->off;
    size_t start = o + 1, kept = 0;
    for (int k = 0; k < row->n; k++) {
      double a = fabs((double)e[k].w);
      double q = el_qround(a, scale);
      if (a < prune || q == 0) continue;
      if (q > 32767) q = 32767;
      int16_t qi = (int16_t)(e[k].w < 0 ? -q : q);
      ent[start + kept++] = (uint32_t)e[k].cls << 16 | (uint16_t)qi;
    }
    if (kept == 0) continue;
    qsort(ent + start, kept, sizeof(uint32_t), el_ent_cls_cmp);
    ent[o] = (uint32_t)kept;
    uint64_t key = ap->keys[i];
    size_t j = (size_t)(key & (nslot - 1));
    while (slot[j].off != EL_APM_EMPTY) j = (j + 1) & (nslot - 1);
    slot[j].fp = (uint32_t)(key >> 32);
    slot[j].off = (uint32_t)o;
    o = start + kept;
  }
  *blob = out;
  *len = bytes;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Inference                                                                 */

int el_apm_open(el_apm *m, const void *blob, size_t len) {
  memset(m, 0, sizeof(*m));
  if (blob == NULL || ((uintptr_t)blob & 7) != 0 || len < sizeof(el_apm_header)) return -1;
  const el_apm_header *h = blob;
  if (memcmp(h->magic, EL_APM_MAGIC, 8) != 0) return -1;
  if (h->nclass < 1 || h->nclass > 65535 || h->slot_bits < 1 || h->slot_bits > 31) return -1;
  if (!(h->scale > 0) || !isfinite(h->scale)) return -1;
  size_t nslot = (size_t)1 << h->slot_bits;
  size_t need = sizeof(el_apm_header) + nslot * sizeof(el_apm_slot) +
                (size_t)h->nentry * sizeof(uint32_t);
  if (need > len) return -1;
  const el_apm_slot *slot = (const el_apm_slot *)((const unsigned char *)blob +
                                                  sizeof(el_apm_header));
  const uint32_t *ent = (const uint32_t *)(slot + nslot);
  size_t empty = 0;
  for (size_t i = 0; i < nslot; i++) {
    if (slot[i].off == EL_APM_EMPTY) {
      empty++;
      continue;
    }
    uint32_t off = slot[i].off;
    if (off >= h->nentry || ent[off] > h->nentry - off - 1) return -1;
    for (uint32_t k = 1; k <= ent[off]; k++)
      if ((ent[off + k] >> 16) >= h->nclass) return -1;
  }
  if (empty == 0) return -1; /* probing must always reach an empty slot */
  m->nclass = (int)h->nclass;
  m->scale = h->scale;
  m->mask = nslot - 1;
  m->slot = slot;
  m->entry = ent;
  return 0;
}

int el_argmax_i32(const int32_t *scores, int n, const unsigned char *allowed) {
  int best = -1;
  for (int c = 0; c < n; c++) {
    if (allowed && !allowed[c]) continue;
    if (best < 0 || scores[c] > scores[best]) best = c;
  }
  return best;
}

int el_argmax_f(const float *scores, int n, const unsigned char *allowed) {
  int best = -1;
  for (int c = 0; c < n; c++) {
    if (allowed && !allowed[c]) continue;
    if (best < 0 || scores[c] > scores[best]) best = c;
  }
  return best;
}
