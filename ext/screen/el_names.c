/*
** Name normalisation and similarity for screening (see el_names.h).
*/
#include <string.h>

#include "el_names.h"
#include "el_unicode.h"

/* Legal forms and common words that names ignore (el_common_words), and
** descriptive words that count half (el_weak_words): ext/screen/data/, folded
** and sorted bytewise, generated into el_screen_words.h by gen_screen_words.py
** (which checks the order, and a unit test checks it again). */
#include "el_screen_words.h"
#define EL_NCOMMON (sizeof(el_common_words) / sizeof(el_common_words[0]))

static int el_in_table(const char *const *tab, size_t count, const char *z, size_t n);
int el_name_is_common(const char *z, size_t n) {
  return el_in_table(el_common_words, EL_NCOMMON, z, n);
}

#define EL_NWEAK (sizeof(el_weak_words) / sizeof(el_weak_words[0]))

static int el_in_table(const char *const *tab, size_t count, const char *z, size_t n) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char *w = tab[mid];
    size_t wl = strlen(w);
    int c = memcmp(z, w, n < wl ? n : wl);
    if (c == 0) c = n < wl ? -1 : n > wl ? 1 : 0;
    if (c == 0) return 1;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return 0;
}

int el_name_is_weak(const char *z, size_t n) { return el_in_table(el_weak_words, EL_NWEAK, z, n); }

const char *el_name_weak_word(size_t i);
const char *el_name_weak_word(size_t i) { return i < EL_NWEAK ? el_weak_words[i] : NULL; }

/* The common words, for tests: the i-th, or NULL past the end. */
const char *el_name_common_word(size_t i);
const char *el_name_common_word(size_t i) {
  return i < EL_NCOMMON ? el_common_words[i] : NULL;
}

/* ------------------------------------------------------------------------ */
/* Normalisation                                                             */

/* Whether z[0..n) is in tab, or (for words of 6 or more ASCII letters) one
** edit away from a word of tab at least as long as 6: "Holdngs", "Corporaton",
** "Limted", "Techology" count as the words they misspell. */
static int el_in_table_fuzzy(const char *const *tab, size_t count, const char *z, size_t n) {
  if (el_in_table(tab, count, z, n)) return 1;
  if (n < 6 || n > 24) return 0;
  int32_t a[24], b[26];
  for (size_t i = 0; i < n; i++) {
    if ((unsigned char)z[i] >= 0x80) return 0;
    a[i] = (unsigned char)z[i];
  }
  for (size_t k = 0; k < count; k++) {
    const char *w = tab[k];
    size_t wl = strlen(w);
    if (wl < 6 || wl > 25 || wl + 1 < n || n + 1 < wl) continue;
    for (size_t i = 0; i < wl; i++) b[i] = (unsigned char)w[i];
    if (el_name_osa(a, (int)n, b, (int)wl) <= 1) return 1;
  }
  return 0;
}

static int el_common_fuzzy(const char *z, size_t n) {
  return el_in_table_fuzzy(el_common_words, EL_NCOMMON, z, n);
}

/* A raw token while scanning: bytes in the output buffer and characters. */
typedef struct el_scan {
  el_name *nm;
  el_ntok raw[EL_NAME_MAX_TOKENS * 2];
  int nraw;
  int open;          /* a token is being built */
  size_t seg;        /* characters since the token start or the last joining period */
  int dotted;        /* the token has a joining period */
} el_scan;

static int el_is_apostrophe(int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB ||
         cp == '`' || cp == 0xB4;
}

static int el_is_invisible_cp(int32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

static void el_scan_close(el_scan *s) {
  if (!s->open) return;
  s->open = 0;
  el_ntok *t = &s->raw[s->nraw];
  if (t->len > 0) s->nraw++;
}

/* Append a folded code point to the open token (opening one if needed). */
static void el_scan_put(el_scan *s, int32_t cp, int is_digit) {
  el_name *nm = s->nm;
  if (!s->open) {
    if (s->nraw >= (int)(sizeof(s->raw) / sizeof(s->raw[0]))) return;
    el_ntok *t = &s->raw[s->nraw];
    memset(t, 0, sizeof(*t));
    t->off = nm->nbuf;
    s->open = 1;
    s->seg = 0;
    s->dotted = 0;
  }
  el_ntok *t = &s->raw[s->nraw];
  if (t->nch >= EL_NAME_MAX_TOKCH) return; /* cut long tokens */
  unsigned char enc[4];
  size_t l = el_utf8_encode(cp, enc);
  if ((size_t)nm->nbuf + l > EL_NAME_BUF / 2) return; /* half the buffer: raw tokens */
  memcpy(nm->buf + nm->nbuf, enc, l);
  nm->nbuf = (uint16_t)(nm->nbuf + l);
  t->len = (uint16_t)(t->len + l);
  t->nch++;
  if (is_digit) t->digit = 1;
  s->seg++;
}

/* Stem: "ies" -> "y", a final "s" dropped (not "ss", "us", "is"), for tokens of
** at least 4 characters; written after the token. */
static void el_add_stem(el_name *nm, el_ntok *t) {
  const char *z = nm->buf + t->off;
  size_t n = t->len;
  t->stem_off = t->off;
  t->stem_len = t->len;
  if (t->nch < 4 || t->digit) return;
  if (n >= 5 && memcmp(z + n - 3, "ies", 3) == 0) {
    if ((size_t)nm->nbuf + n > EL_NAME_BUF) return;
    memcpy(nm->buf + nm->nbuf, z, n - 3);
    nm->buf[nm->nbuf + n - 3] = 'y';
    t->stem_off = nm->nbuf;
    t->stem_len = (uint16_t)(n - 2);
    nm->nbuf = (uint16_t)(nm->nbuf + n - 2);
    return;
  }
  if (z[n - 1] == 's' && z[n - 2] != 's' && z[n - 2] != 'u' && z[n - 2] != 'i')
    t->stem_len = (uint16_t)(n - 1);
}

el_name *el_name_normalize(const char *zin, size_t n, el_name_buf *out) {
  el_name *nm = &out->name;
  memset(nm, 0, sizeof(*nm));
  nm->tok = out->tok;
  nm->buf = out->buf;
  const unsigned char *z = (const unsigned char *)zin;
  if (z == NULL) n = 0;
  if (n > EL_NAME_MAX_BYTES) {
    n = EL_NAME_MAX_BYTES;
    while (n > 0 && (z[n] & 0xC0) == 0x80) n--; /* cut on a character boundary */
  }
  el_scan s;
  memset(&s, 0, sizeof(s));
  s.nm = nm;
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t len = el_utf8_decode(z + i, n - i, &cp);
    i += len;
    if (cp == EL_UC_INVALID) { el_scan_close(&s); continue; }
    if (el_is_invisible_cp(cp) || (s.open && el_is_apostrophe(cp))) continue;
    if (cp == '.' && s.open && s.seg == 1 && i < n) {
      /* "L.L.C.": a single letter, a period and a letter join */
      int32_t nx;
      el_utf8_decode(z + i, n - i, &nx);
      if (nx != EL_UC_INVALID && (el_uc_class(nx) & EL_CLS_MASK) == EL_CLS_LETTER) {
        s.seg = 0;
        s.dotted = 1;
        continue;
      }
    }
    const el_uc_record *r = el_uc_lookup(cp);
    unsigned cls = cp < 128 ? el_uc_ascii[cp] : r->cls;
    unsigned base = cls & EL_CLS_MASK;
    if (base == EL_CLS_LETTER || base == EL_CLS_DIGIT) {
      if (cls & EL_CF_MARK) continue; /* combining marks fold away */
      int32_t f;
      if (cp < 128) f = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
      else f = cp + r->nodiac;
      if (f < 0 || f > 0x10FFFF) f = cp;
      /* the table can map to a character that folds again ("İ" -> "I" -> "i") */
      for (int k = 0; k < 2 && f != cp; k++) {
        int32_t g = f < 128 ? ((f >= 'A' && f <= 'Z') ? f + 32 : f) : f + el_uc_lookup(f)->nodiac;
        if (g < 0 || g > 0x10FFFF || g == f) break;
        f = g;
      }
      el_scan_put(&s, f, base == EL_CLS_DIGIT);
    } else {
      el_scan_close(&s);
    }
  }
  el_scan_close(&s);

  /* keep the tokens that are not common words (all of them if all are) */
  int keep_all = 1;
  uint8_t common[EL_NAME_MAX_TOKENS * 2];
  for (int k = 0; k < s.nraw; k++) {
    common[k] = (uint8_t)el_common_fuzzy(nm->buf + s.raw[k].off, s.raw[k].len);
    if (!common[k]) keep_all = 0;
  }
  for (int k = 0; k < s.nraw && nm->n < EL_NAME_MAX_TOKENS; k++) {
    if (!keep_all && common[k]) continue;
    el_ntok *t = &nm->tok[nm->n++];
    *t = s.raw[k];
    int weak = el_in_table_fuzzy(el_weak_words, EL_NWEAK, nm->buf + t->off, t->len);
    t->w = (uint8_t)(weak ? t->nch : 2 * t->nch);
    nm->weight += t->w;
  }
  for (int k = 0; k < nm->n; k++) el_add_stem(nm, &nm->tok[k]);
  /* the kept tokens run together */
  nm->concat_off = nm->nbuf;
  for (int k = 0; k < nm->n; k++) {
    el_ntok *t = &nm->tok[k];
    if ((size_t)nm->nbuf + t->len > EL_NAME_BUF) break;
    memmove(nm->buf + nm->nbuf, nm->buf + t->off, t->len);
    nm->nbuf = (uint16_t)(nm->nbuf + t->len);
  }
  nm->concat_len = (uint16_t)(nm->nbuf - nm->concat_off);
  return nm;
}

size_t el_name_packed_size(const el_name *nm) {
  size_t head = (sizeof(el_name) + 7) & ~(size_t)7;
  return head + (size_t)nm->n * sizeof(el_ntok) + nm->nbuf;
}

el_name *el_name_pack(const el_name *nm, void *mem) {
  size_t head = (sizeof(el_name) + 7) & ~(size_t)7;
  el_name *c = (el_name *)mem;
  *c = *nm;
  c->tok = (el_ntok *)((char *)mem + head);
  if (nm->n) memcpy(c->tok, nm->tok, (size_t)nm->n * sizeof(el_ntok));
  c->buf = (char *)c->tok + (size_t)nm->n * sizeof(el_ntok);
  if (nm->nbuf) memcpy(c->buf, nm->buf, nm->nbuf);
  return c;
}

/* ------------------------------------------------------------------------ */
/* Name key                                                                  */

static int el_tok_cmp(const el_name *nm, int a, int b) {
  const el_ntok *x = &nm->tok[a], *y = &nm->tok[b];
  size_t l = x->len < y->len ? x->len : y->len;
  int c = memcmp(nm->buf + x->off, nm->buf + y->off, l);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

size_t el_name_key(const el_name *nm, char *out, size_t cap) {
  int order[EL_NAME_MAX_TOKENS];
  for (int k = 0; k < nm->n; k++) {
    int j = k;
    while (j > 0 && el_tok_cmp(nm, order[j - 1], k) > 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = k;
  }
  size_t o = 0;
  for (int k = 0; k < nm->n; k++) {
    const el_ntok *t = &nm->tok[order[k]];
    if (k) {
      if (o < cap) out[o] = ' ';
      o++;
    }
    for (size_t b = 0; b < t->len; b++, o++)
      if (o < cap) out[o] = nm->buf[t->off + b];
  }
  if (cap > 0) out[o < cap ? o : cap - 1] = 0;
  return o;
}

/* ------------------------------------------------------------------------ */
/* Similarity                                                                */

/* OSA distance, or max + 1 as soon as every cell of a row exceeds max. */
static int el_osa_bounded(const int32_t *a, int na, const int32_t *b, int nb, int max) {
  int d0[EL_NAME_MAX_TOKCH + 1], d1[EL_NAME_MAX_TOKCH + 1], d2[EL_NAME_MAX_TOKCH + 1];
  int *prev2 = d0, *prev = d1, *cur = d2;
  if (na > EL_NAME_MAX_TOKCH) na = EL_NAME_MAX_TOKCH;
  if (nb > EL_NAME_MAX_TOKCH) nb = EL_NAME_MAX_TOKCH;
  for (int j = 0; j <= nb; j++) prev[j] = j;
  for (int i = 1; i <= na; i++) {
    cur[0] = i;
    int row_min = i;
    for (int j = 1; j <= nb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          prev2[j - 2] + 1 < v)
        v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < row_min) row_min = v;
    }
    /* a transposition reads two rows back: stop only when both rows exceed */
    if (row_min > max && i > 1) {
      int prev_min = prev[0];
      for (int j = 1; j <= nb; j++) if (prev[j] < prev_min) prev_min = prev[j];
      if (prev_min > max) return max + 1;
    }
    int *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[nb] > max + 1 ? max + 1 : prev[nb];
}

int el_name_osa(const int32_t *a, int na, const int32_t *b, int nb) {
  return el_osa_bounded(a, na, b, nb, 2 * EL_NAME_MAX_TOKCH + 2);
}

static int el_decode_tok(const char *z, size_t n, int32_t *out) {
  int k = 0;
  size_t i = 0;
  while (i < n && k < EL_NAME_MAX_TOKCH) {
    int32_t cp;
    i += el_utf8_decode((const unsigned char *)z + i, n - i, &cp);
    out[k++] = cp;
  }
  return k;
}

double el_name_token_similarity(const el_name *a, int i, const el_name *b, int j) {
  const el_ntok *x = &a->tok[i], *y = &b->tok[j];
  if (x->len == y->len && memcmp(a->buf + x->off, b->buf + y->off, x->len) == 0) return 1.0;
  if (x->stem_len == y->stem_len &&
      memcmp(a->buf + x->stem_off, b->buf + y->stem_off, x->stem_len) == 0)
    return 0.95;
  if (x->digit || y->digit) return 0.0;
  int mn = x->nch < y->nch ? x->nch : y->nch;
  int mx = x->nch < y->nch ? y->nch : x->nch;
  if (mn < 4) return 0.0;
  int allowed = mn >= 8 ? 2 : 1;
  if (mx - mn > allowed) return 0.0;
  int32_t ca[EL_NAME_MAX_TOKCH], cb[EL_NAME_MAX_TOKCH];
  int na = el_decode_tok(a->buf + x->off, x->len, ca);
  int nb = el_decode_tok(b->buf + y->off, y->len, cb);
  /* cheap lower bounds first: one edit keeps the first or the last
  ** character; a substitution moves 2 in a histogram, an insertion 1 */
  if (allowed == 1 && ca[0] != cb[0] && ca[na - 1] != cb[nb - 1]) return 0.0;
  int hist[32] = {0}, l1 = 0;
  for (int k = 0; k < na; k++) hist[ca[k] & 31]++;
  for (int k = 0; k < nb; k++) hist[cb[k] & 31]--;
  for (int k = 0; k < 32; k++) l1 += hist[k] < 0 ? -hist[k] : hist[k];
  if ((l1 + 1) / 2 > allowed) return 0.0;
  int d = el_osa_bounded(ca, na, cb, nb, allowed);
  if (d > allowed) return 0.0;
  return 1.0 - (double)d / (double)mx;
}

/* Sum of the k heaviest token weights of nm. */
static int el_top_weight(const el_name *nm, int k) {
  if (k >= nm->n) return nm->weight;
  int w[EL_NAME_MAX_TOKENS], sum = 0;
  for (int i = 0; i < nm->n; i++) w[i] = nm->tok[i].w;
  for (int i = 0; i < k; i++) {
    int m = i;
    for (int j = i + 1; j < nm->n; j++)
      if (w[j] > w[m]) m = j;
    int t = w[i];
    w[i] = w[m];
    w[m] = t;
    sum += w[i];
  }
  return sum;
}

double el_name_similarity(const el_name *a, const el_name *b) {
  return el_name_similarity_min(a, b, 0.0);
}

double el_name_similarity_min(const el_name *a, const el_name *b, double min) {
  if (a->n == 0 || b->n == 0 || a->weight + b->weight == 0) return 0.0;
  /* at best every token of the name with fewer tokens pairs, with one of the
  ** heaviest tokens of the other */
  if (min > 0 && !(a->n != b->n && a->concat_len == b->concat_len)) {
    const el_name *few = a->n <= b->n ? a : b, *many = a->n <= b->n ? b : a;
    int top = el_top_weight(many, few->n);
    if ((double)(few->weight + top) < min * (double)(a->weight + b->weight) - 1e-9) return 0.0;
  }
  double sim[EL_NAME_MAX_TOKENS][EL_NAME_MAX_TOKENS];
  uint32_t used_a = 0, used_b = 0;
  for (int i = 0; i < a->n; i++)
    for (int j = 0; j < b->n; j++) sim[i][j] = el_name_token_similarity(a, i, b, j);
  double total = 0.0;
  for (;;) {
    /* best remaining pair; ties go to the heavier pair, then the first */
    int bi = -1, bj = -1;
    double best = 0.0, bw = 0.0;
    for (int i = 0; i < a->n; i++) {
      if (used_a & (1u << i)) continue;
      for (int j = 0; j < b->n; j++) {
        if (used_b & (1u << j)) continue;
        double w = (double)(a->tok[i].w + b->tok[j].w);
        if (sim[i][j] > best || (sim[i][j] == best && sim[i][j] > 0 && w > bw)) {
          best = sim[i][j];
          bw = w;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    used_a |= 1u << bi;
    used_b |= 1u << bj;
    total += best * bw;
  }
  double score = total / (double)(a->weight + b->weight);
  if (a->n != b->n && a->concat_len == b->concat_len && a->concat_len > 0 &&
      memcmp(a->buf + a->concat_off, b->buf + b->concat_off, a->concat_len) == 0 &&
      score < 0.95)
    score = 0.95;
  if (score > 1.0) score = 1.0;
  /* round to 4 decimals so that printed scores are stable */
  long r = (long)(score * 10000.0 + 0.5);
  return (double)r / 10000.0;
}
