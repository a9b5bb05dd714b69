/*
** Averaged perceptron with hashed features: the learning machinery shared by
** every trained model of ext/nlp (tagger, lemmatizer, parser, segmenter, NER).
** No SQLite here.
**
** Features are 64-bit hashes. A model computes them from integer or string
** parts with the el_fh_* helpers (one template id per feature template, then
** the parts), so no feature ever becomes a string at run time:
**
**     uint64_t f[64]; int nf = 0;
**     f[nf++] = el_fh2(T_WORD, word_hash);          // template T_WORD, one part
**     f[nf++] = el_fh3(T_WORD_PREV, word_hash, prev_tag);
**
** Training (el_ap: growable, float weights, lazy averaging):
**
**     el_ap *ap = el_ap_new(nclass);
**     for each epoch, for each instance in a fixed order:
**       el_ap_score(ap, f, nf, scores);              // current weights
**       guess = argmax(scores);
**       if (guess != truth) el_ap_update(ap, f, nf, truth, guess);
**       el_ap_tick(ap);                              // one instance seen
**     el_ap_average(ap);                             // weights := averages
**     el_ap_export(ap, prune, &blob, &len);          // compact read-only blob
**
** Inference (el_apm: read-only, used in place, no allocation): the blob is
** normally a section of a model file built into the .so (see el_model.h).
**
**     el_apm m;
**     if (el_apm_open(&m, blob, len) != 0) -> corrupt model
**     int32_t scores[m.nclass];
**     el_apm_score(&m, f, nf, scores);               // scores zeroed first
**
** Blob layout (little-endian, 8-byte aligned, used in place):
**   header   el_apm_header (magic "ELAPM001", nclass, log2 of the slot count,
**            number of entry words, the dequantisation scale)
**   slots    2^slot_bits x {uint32 fingerprint, uint32 offset}; offset
**            EL_APM_EMPTY marks a free slot. Open addressing, linear probing
**            from (hash & mask); the fingerprint is hash >> 32.
**   entries  uint32 words; a row at `offset` is one word holding the count n,
**            then n words (class << 16 | (uint16)weight): sparse int16
**            weights, scaled by `scale`. Rows list classes in increasing order.
** Weights whose averaged magnitude is below `prune` are dropped at export,
** and a feature with no weight left is dropped altogether, so a model only
** holds what it learned.
**
** Everything is deterministic: the same instances in the same order give the
** same blob, byte for byte.
*/
#ifndef EL_NLP_EL_PERCEPTRON_H
#define EL_NLP_EL_PERCEPTRON_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------ */
/* Feature hashing                                                           */

/* A 64-bit mixer (splitmix64's finaliser): every input bit affects every
** output bit. */
static inline uint64_t el_fh_mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/* Combine a running hash with one more part. */
static inline uint64_t el_fh_add(uint64_t h, uint64_t v) {
  return el_fh_mix(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

/* A feature from a template id and one, two, three or four parts. */
static inline uint64_t el_fh1(uint32_t t) { return el_fh_mix((uint64_t)t * 0x9e3779b97f4a7c15ULL + 1); }
static inline uint64_t el_fh2(uint32_t t, uint64_t a) { return el_fh_add(el_fh1(t), a); }
static inline uint64_t el_fh3(uint32_t t, uint64_t a, uint64_t b) {
  return el_fh_add(el_fh_add(el_fh1(t), a), b);
}
static inline uint64_t el_fh4(uint32_t t, uint64_t a, uint64_t b, uint64_t c) {
  return el_fh_add(el_fh_add(el_fh_add(el_fh1(t), a), b), c);
}
static inline uint64_t el_fh5(uint32_t t, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  return el_fh_add(el_fh_add(el_fh_add(el_fh_add(el_fh1(t), a), b), c), d);
}

/* Hash of n bytes (the same on every platform). */
uint64_t el_fh_bytes(const void *p, size_t n);

/* ------------------------------------------------------------------------ */
/* Training                                                                  */

typedef struct el_ap el_ap;

/* A new model with nclass classes (1..65535); NULL when out of memory. */
el_ap *el_ap_new(int nclass);
void el_ap_free(el_ap *ap);

/* scores[0..nclass) = sum of the current weights of the features. */
void el_ap_score(const el_ap *ap, const uint64_t *f, int nf, float *scores);

/* One perceptron step: +1 to the truth class, -1 to the guess, for every
** feature (a feature listed twice counts twice, as in scoring). Returns 0, or
** -1 when out of memory (the model is then unchanged or partly updated, and
** only el_ap_free may follow). */
int el_ap_update(el_ap *ap, const uint64_t *f, int nf, int truth, int guess);

/* A general step: add delta to the weight of class cls for every feature. */
int el_ap_add(el_ap *ap, const uint64_t *f, int nf, int cls, float delta);

/* Count one training instance (the clock of the averaging). */
void el_ap_tick(el_ap *ap);

/* Replace every weight by its average over all ticks so far. Call once, after
** training; the model then scores with averaged weights. */
void el_ap_average(el_ap *ap);

/* Number of features and of (feature, class) weights held. */
size_t el_ap_features(const el_ap *ap);
size_t el_ap_weights(const el_ap *ap);

/* Export to a compact blob (layout above), dropping weights with |w| < prune.
** *blob is allocated with el_malloc (free with el_free). Returns 0, or -1
** when out of memory or when the model is too large for the format. */
int el_ap_export(const el_ap *ap, float prune, unsigned char **blob, size_t *len);

/* ------------------------------------------------------------------------ */
/* Inference                                                                 */

#define EL_APM_MAGIC "ELAPM001"
#define EL_APM_EMPTY 0xFFFFFFFFu

typedef struct el_apm_header {
  char magic[8];
  uint32_t nclass;
  uint32_t slot_bits;
  uint32_t nentry;
  float scale;
} el_apm_header;

typedef struct el_apm_slot {
  uint32_t fp;
  uint32_t off;
} el_apm_slot;

typedef struct el_apm {
  int nclass;
  float scale;            /* weight = entry * scale */
  uint64_t mask;          /* slot count - 1 */
  const el_apm_slot *slot;
  const uint32_t *entry;
} el_apm;

/* Open a blob in place (it must stay alive and unchanged, and be 8-byte
** aligned). Checks the header and every slot and row against the blob's
** bounds. Returns 0, or -1 when the blob is not a valid model. */
int el_apm_open(el_apm *m, const void *blob, size_t len);

/* The slot of feature h: the offset of its row (its count word), or
** EL_APM_EMPTY when the feature is unknown. */
static inline uint32_t el_apm_find(const el_apm *m, uint64_t h) {
  uint32_t fp = (uint32_t)(h >> 32);
  uint64_t i = h & m->mask;
  for (;;) {
    const el_apm_slot *s = &m->slot[i];
    if (s->off == EL_APM_EMPTY || s->fp == fp) return s->off;
    i = (i + 1) & m->mask;
  }
}

/* The row of feature h: its entry words (after the count) in *row; returns
** the count, 0 when the feature is unknown. */
static inline int el_apm_row(const el_apm *m, uint64_t h, const uint32_t **row) {
  uint32_t off = el_apm_find(m, h);
  if (off == EL_APM_EMPTY) return 0;
  *row = m->entry + off + 1;
  return (int)m->entry[off];
}

/* A hint that p will be read soon (a no-op where the compiler has none). */
#if defined(__GNUC__) || defined(__clang__)
#define EL_PREFETCH(p) __builtin_prefetch(p)
#else
#define EL_PREFETCH(p) ((void)(p))
#endif

/* Add the weights of the features to scores (not zeroed first). The look-ups
** miss the cache (a model is megabytes of hashed features), so they go in
** passes over a batch: prefetch every slot; then find every row and
** prefetch its first line; then read every row's count and prefetch its last
** line; then add. The cache misses of a batch overlap, those of the rows
** too (reading a row's count as soon as its slot was found waited for each
** row in turn).
** - One batch holds every feature of a call (at most 56 for the tagger, 41
**   for the parser's per-transition features), so a call waits for the slots
**   once, not twice as with batches of 32.
** - A row of more than 15 entries goes on to a second line, which the adding
**   loop would otherwise miss one row at a time. The word just after the row
**   shares its last line (but when the row ends a line), and prefetching it
**   needs no branch: a branch on the count, or a loop over the lines, costs
**   more than it saves.
** Measured with bench_nlp (CPU time, 1 MB of Federal Register abstracts, 12
** alternating runs): the parse 5% faster, tagging 3% (the three passes of
** the first version); the row pass and the two-entry step made no
** measurable difference on a loaded machine (docs/nlp.md, Speed). */
#define EL_APM_BATCH 64

static inline void el_apm_add(const el_apm *m, const uint64_t *f, int nf, int32_t *scores) {
  static const uint32_t none = 0; /* the count of an unknown feature's row */
  const uint32_t *rows[EL_APM_BATCH];
  for (int b = 0; b < nf; b += EL_APM_BATCH) {
    int nb = nf - b < EL_APM_BATCH ? nf - b : EL_APM_BATCH;
    for (int i = 0; i < nb; i++) EL_PREFETCH(&m->slot[f[b + i] & m->mask]);
    for (int i = 0; i < nb; i++) {
      uint32_t off = el_apm_find(m, f[b + i]);
      rows[i] = off == EL_APM_EMPTY ? &none : m->entry + off;
      EL_PREFETCH(rows[i]);
    }
    for (int i = 0; i < nb; i++) EL_PREFETCH(rows[i] + rows[i][0]);
    for (int i = 0; i < nb; i++) {
      /* two entries a step, both read before either score is written (the
      ** scores might alias the row, for all the compiler knows) */
      const uint32_t *row = rows[i] + 1;
      int k = 0, cnt = (int)rows[i][0];
      for (; k + 2 <= cnt; k += 2) {
        uint32_t e0 = row[k], e1 = row[k + 1];
        scores[e0 >> 16] += (int16_t)(e0 & 0xFFFF);
        scores[e1 >> 16] += (int16_t)(e1 & 0xFFFF);
      }
      if (k < cnt) scores[row[k] >> 16] += (int16_t)(row[k] & 0xFFFF);
    }
  }
}

/* scores[0..nclass) = sum of the (quantised) weights of the features. */
static inline void el_apm_score(const el_apm *m, const uint64_t *f, int nf, int32_t *scores) {
  for (int c = 0; c < m->nclass; c++) scores[c] = 0;
  el_apm_add(m, f, nf, scores);
}

/* Index of the highest score among the classes allowed (allowed == NULL:
** all); ties go to the lowest index; -1 when none is allowed. */
int el_argmax_i32(const int32_t *scores, int n, const unsigned char *allowed);
int el_argmax_f(const float *scores, int n, const unsigned char *allowed);

#endif
