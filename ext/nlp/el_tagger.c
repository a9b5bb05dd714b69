/*
** Word features (computed once per word), the tagger's and the
** lemmatizer's features, and lemma rules (see el_nlp_int.h).
*/
#include <string.h>

#include "../common/el_unicode.h"
#include "el_nlp_int.h"

/* Offset of the k-th character boundary from the start of s[0..n) (or n). */
static size_t el_char_prefix(const char *s, size_t n, int k) {
  size_t i = 0;
  while (i < n && k > 0) {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    k--;
  }
  return i;
}
/* Offset where the last k characters of s[0..n) start (or 0). */
static size_t el_char_suffix(const char *s, size_t n, int k) {
  size_t i = n;
  while (i > 0 && k > 0) {
    i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    k--;
  }
  return i;
}

#define EL_LONG_WORD 64

void el_word_features(const el_nlp *m, const char *text, const el_nlp_word *w, size_t n,
                      el_nlp_feat *f, char *scratch, size_t cap) {
  const unsigned char *z = (const unsigned char *)text;
  for (size_t i = 0; i < n; i++) {
    size_t a = w[i].start, b = w[i].end, len = b - a;
    el_nlp_feat *x = &f[i];
    memset(x, 0, sizeof(*x));
    x->form = el_fh_bytes(z + a, len);
    const char *low;
    size_t ll;
    if (len <= EL_LONG_WORD && 3 * len <= cap) {
      ll = el_nlp_lower(z, a, b, scratch, cap);
      low = scratch;
      x->lower = el_fh_bytes(low, ll);
    } else {
      /* a long word is never in the lexicon: affixes from its two ends */
      size_t h = 16;
      size_t e = a + h;
      while (e > a && e < b && (z[e] & 0xC0) == 0x80) e--;
      size_t s = b - h;
      while (s < b && (z[s] & 0xC0) == 0x80) s++;
      ll = el_nlp_lower(z, a, e, scratch, 3 * h);
      size_t l2 = el_nlp_lower(z, s, b, scratch + ll, 3 * h);
      x->lower = x->form ^ 0x6c6f6e67ULL;
      for (int k = 0; k < 3; k++)
        x->pre[k] = el_fh_bytes(scratch, el_char_prefix(scratch, ll, k + 1));
      for (int k = 0; k < 4; k++) {
        size_t o = el_char_suffix(scratch + ll, l2, k + 1);
        x->suf[k] = el_fh_bytes(scratch + ll + o, l2 - o);
      }
      low = NULL;
    }
    if (low) {
      for (int k = 0; k < 3; k++) x->pre[k] = el_fh_bytes(low, el_char_prefix(low, ll, k + 1));
      for (int k = 0; k < 4; k++) {
        size_t o = el_char_suffix(low, ll, k + 1);
        x->suf[k] = el_fh_bytes(low + o, ll - o);
      }
    }
    x->shape = el_nlp_shape(z, a, b, 12);
    uint16_t fl = i == 0 ? EL_WF_FIRST : 0;
    int letters = 0, upper = 0;
    size_t l;
    for (size_t p = a; p < b && p < a + EL_LONG_WORD; p += l) {
      int32_t cp;
      l = el_utf8_decode(z + p, b - p, &cp);
      unsigned c = el_uc_class(cp);
      switch (c & EL_CLS_MASK) {
        case EL_CLS_LETTER:
          letters++;
          if (c & EL_CF_UPPER) {
            upper++;
            if (p == a) fl |= EL_WF_INITUP;
          }
          break;
        case EL_CLS_DIGIT: fl |= EL_WF_DIGIT; break;
        default:
          if (cp == '-') fl |= EL_WF_HYPHEN;
      }
    }
    if (letters) fl |= EL_WF_ALPHA;
    if (upper) fl |= EL_WF_UPPER;
    if (letters && upper == letters) fl |= EL_WF_ALLUP;
    if (!letters && !(fl & EL_WF_DIGIT)) fl |= EL_WF_PUNCT;
    x->wflags = fl;
    if (m) {
      const el_lex_ent *e = el_lex_find(m, x->lower);
      if (e) {
        x->amb = e->amb;
        x->cluster = e->cluster;
        x->single = e->tag;
        x->capr = e->capr;
      }
    }
  }
}

/* Template ids of the tagger's features. */
enum {
  T_BIAS = 1, T_W, T_FORM, T_SUF1, T_SUF2, T_SUF3, T_SUF4, T_PRE1, T_PRE2, T_PRE3, T_SHAPE,
  T_WM1, T_WM2, T_WP1, T_WP2, T_TM1, T_TM12, T_TM1W, T_WWP1, T_WM1W, T_SUFM1, T_SUFP1,
  T_AMB, T_AMBP1, T_AMBP2, T_AMBP12, T_TM1AMB, T_SHM1, T_SHP1, T_CL, T_CL6, T_CLM1, T_CLP1,
  T_FLAGS, T_TM1AMBP1, T_WP1AMB, T_CAPR, T_CLP1C, T_CLM1C, T_R1, T_R2, T_R12, T_WR1, T_TM1R1,
  T_R0, T_SUFR1
};

#define EL_NONE_HASH 0x5b4e4f4e455dULL /* "[NONE]" */


int el_tag_features(const el_nlp_feat *f, size_t n, size_t i, const uint16_t *tags,
                    const uint16_t *right, uint64_t *o) {
  int k = 0;
  const el_nlp_feat *x = &f[i];
  uint64_t wm1 = i > 0 ? f[i - 1].lower : EL_NONE_HASH;
  uint64_t wm2 = i > 1 ? f[i - 2].lower : EL_NONE_HASH;
  uint64_t wp1 = i + 1 < n ? f[i + 1].lower : EL_NONE_HASH;
  uint64_t wp2 = i + 2 < n ? f[i + 2].lower : EL_NONE_HASH;
  uint64_t tm1 = i > 0 ? tags[i - 1] : EL_TAG_NONE;
  uint64_t tm2 = i > 1 ? tags[i - 2] : EL_TAG_NONE;
  uint64_t ap1 = i + 1 < n ? f[i + 1].amb : 0xFFFF;
  uint64_t ap2 = i + 2 < n ? f[i + 2].amb : 0xFFFF;
  o[k++] = el_fh1(T_BIAS);
  o[k++] = el_fh2(T_W, x->lower);
  if (x->wflags & EL_WF_UPPER) o[k++] = el_fh2(T_FORM, x->form);
  o[k++] = el_fh2(T_SUF1, x->suf[0]);
  o[k++] = el_fh2(T_SUF2, x->suf[1]);
  o[k++] = el_fh2(T_SUF3, x->suf[2]);
  o[k++] = el_fh2(T_SUF4, x->suf[3]);
  o[k++] = el_fh2(T_PRE1, x->pre[0]);
  o[k++] = el_fh2(T_PRE2, x->pre[1]);
  o[k++] = el_fh2(T_PRE3, x->pre[2]);
  o[k++] = el_fh2(T_SHAPE, x->shape);
  o[k++] = el_fh2(T_WM1, wm1);
  o[k++] = el_fh2(T_WM2, wm2);
  o[k++] = el_fh2(T_WP1, wp1);
  o[k++] = el_fh2(T_WP2, wp2);
  o[k++] = el_fh2(T_TM1, tm1);
  o[k++] = el_fh3(T_TM12, tm2, tm1);
  o[k++] = el_fh3(T_TM1W, tm1, x->lower);
  o[k++] = el_fh3(T_WWP1, x->lower, wp1);
  o[k++] = el_fh3(T_WM1W, wm1, x->lower);
  o[k++] = el_fh2(T_SUFM1, i > 0 ? f[i - 1].suf[2] : EL_NONE_HASH);
  o[k++] = el_fh2(T_SUFP1, i + 1 < n ? f[i + 1].suf[2] : EL_NONE_HASH);
  o[k++] = el_fh2(T_AMB, x->amb);
  o[k++] = el_fh2(T_AMBP1, ap1);
  o[k++] = el_fh2(T_AMBP2, ap2);
  o[k++] = el_fh3(T_AMBP12, ap1, ap2);
  o[k++] = el_fh3(T_TM1AMB, tm1, x->amb);
  o[k++] = el_fh3(T_TM1AMBP1, tm1, ap1);
  o[k++] = el_fh3(T_WP1AMB, x->lower, ap1);
  o[k++] = el_fh2(T_SHM1, i > 0 ? f[i - 1].shape : EL_NONE_HASH);
  o[k++] = el_fh2(T_SHP1, i + 1 < n ? f[i + 1].shape : EL_NONE_HASH);
  if (x->cluster) {
    o[k++] = el_fh2(T_CL, x->cluster & 0xFFFF);
    o[k++] = el_fh2(T_CL6, x->cluster >> 16);
  }
  o[k++] = el_fh2(T_CLM1, i > 0 ? f[i - 1].cluster & 0xFFFF : 0xFFFFF);
  o[k++] = el_fh2(T_CLP1, i + 1 < n ? f[i + 1].cluster & 0xFFFF : 0xFFFFF);
  o[k++] = el_fh3(T_CAPR, x->capr, x->wflags & (EL_WF_INITUP | EL_WF_FIRST | EL_WF_ALLUP));
  o[k++] = el_fh2(T_FLAGS, x->wflags);
  return k;
}

/* Template ids of the lemmatizer's features. */
enum { L_BIAS = 1, L_TAG, L_SUF, L_TSUF, L_FLAGS, L_TFLAGS };

int el_lemma_features(const char *low, size_t len, int tag, const el_nlp_feat *f, uint64_t *o) {
  int k = 0;
  o[k++] = el_fh1(L_BIAS);
  o[k++] = el_fh2(L_TAG, (uint64_t)tag);
  for (int s = 1; s <= 5; s++) {
    size_t off = el_char_suffix(low, len, s);
    uint64_t h = el_fh_bytes(low + off, len - off);
    o[k++] = el_fh3(L_SUF, (uint64_t)s, h);
    o[k++] = el_fh4(L_TSUF, (uint64_t)s, h, (uint64_t)tag);
    if (off == 0) break;
  }
  o[k++] = el_fh2(L_FLAGS, f->wflags & ~EL_WF_FIRST);
  o[k++] = el_fh3(L_TFLAGS, f->wflags & ~EL_WF_FIRST, (uint64_t)tag);
  return k;
}

size_t el_lemma_apply(const el_lemma_rule *r, const unsigned char *z, size_t a, size_t b,
                      char *out, size_t cap) {
  size_t o;
  if (r->op == EL_LOP_LOWER) {
    o = el_nlp_lower(z, a, b, out, cap);
  } else {
    o = b - a;
    if (o <= cap) memcpy(out, z + a, o);
  }
  if (o > cap) return o + r->alen; /* caller grows and retries */
  size_t keep = r->strip <= o ? o - r->strip : 0;
  while (keep > 0 && keep < o && ((unsigned char)out[keep] & 0xC0) == 0x80) keep--;
  if (keep + r->alen > cap) return keep + r->alen;
  memcpy(out + keep, r->append, r->alen);
  return keep + r->alen;
}
