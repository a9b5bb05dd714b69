/*
** Universal Dependencies words from the tokenizer's tokens (see el_nlp.h).
**
** Candidate boundaries are the places where the treebank might cut or join
** differently from the tokenizer: between two tokens with nothing between
** them ("e" "-" "mail" is one word), inside a token where the character class
** changes ("$|400", "30|%", "5|pm"), and the contractions ("do|n't", "I|'m",
** and the forms the treebank splits, such as "can|not" and "gon|na", learned
** into the segmentation lexicon). Contractions always split; every other
** candidate is decided by a two-class perceptron trained on the treebank.
*/
#include <string.h>

#include "../common/el_alloc.h"
#include "../common/el_unicode.h"
#include "el_nlp_int.h"
#include "el_nlp_words.h"

/* Character class for candidates: 0 letter, 1 digit, 2 anything else. */
static int el_seg_cc(const unsigned char *z, size_t end, size_t i, size_t *len) {
  int32_t cp;
  *len = el_utf8_decode(z + i, end - i, &cp);
  unsigned c = el_uc_class(cp) & EL_CLS_MASK;
  if (c == EL_CLS_LETTER) return 0;
  if (c == EL_CLS_DIGIT) return 1;
  return 2;
}

size_t el_nlp_lower(const unsigned char *z, size_t a, size_t b, char *out, size_t cap) {
  size_t o = 0;
  while (a < b) {
    unsigned c = z[a];
    if (c < 0x80) {
      if (o < cap) out[o] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      o++;
      a++;
      continue;
    }
    int32_t cp;
    size_t len = el_utf8_decode(z + a, b - a, &cp);
    if (cp == EL_UC_INVALID) {
      for (size_t k = 0; k < len; k++, o++)
        if (o < cap) out[o] = (char)z[a + k];
    } else {
      unsigned char buf[4];
      size_t l = el_utf8_encode(cp + el_uc_lookup(cp)->fold, buf);
      for (size_t k = 0; k < l; k++, o++)
        if (o < cap) out[o] = (char)buf[k];
    }
    a += len;
  }
  return o;
}

/* Does token [a, b) end with n't (' or U+2019, any case)? Returns the offset
** of the n, or 0. */
static size_t el_nt_at(const unsigned char *z, size_t a, size_t b) {
  size_t len = b - a;
  if (len >= 4 && (z[b - 1] | 0x20) == 't' && z[b - 2] == '\'' && (z[b - 3] | 0x20) == 'n')
    return b - 3;
  if (len >= 6 && (z[b - 1] | 0x20) == 't' && z[b - 2] == 0x99 && z[b - 3] == 0x80 &&
      z[b - 4] == 0xE2 && (z[b - 5] | 0x20) == 'n')
    return b - 5;
  return 0;
}

/* Does token [a, b) end with 'm, 're, 've, 'll or 'd after a letter? Returns
** the offset of the apostrophe, or 0. */
static size_t el_clitic_at(const unsigned char *z, size_t a, size_t b) {
  static const char *const sfx[] = {"m", "re", "ve", "ll", "d"};
  for (size_t k = 0; k < sizeof(sfx) / sizeof(sfx[0]); k++) {
    size_t sl = strlen(sfx[k]);
    if (b - a < sl + 2) continue;
    size_t s = b - sl;
    size_t q;
    for (q = 0; q < sl; q++)
      if ((z[s + q] | 0x20) != (unsigned char)sfx[k][q]) break;
    if (q < sl) continue;
    if (z[s - 1] == '\'' && s - 1 > a) return s - 1;
    if (s >= a + 4 && z[s - 1] == 0x99 && z[s - 2] == 0x80 && z[s - 3] == 0xE2) return s - 3;
  }
  return 0;
}

static int el_seg_push(el_seg_cand **out, size_t *cap, size_t *n, const el_seg_cand *c) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 64;
    el_seg_cand *nc = el_reallocarray(*out, ncap, sizeof(**out));
    if (nc == NULL) return -1;
    *out = nc;
    *cap = ncap;
  }
  (*out)[(*n)++] = *c;
  return 0;
}

/* Is token t the one-byte token ch? */
static int el_tok_is(const unsigned char *z, const el_token *t, char ch) {
  return t->end - t->start == 1 && z[t->start] == (unsigned char)ch;
}

/* Number of ASCII digits of token t when it is made of them only, or 0. */
static size_t el_tok_digits(const unsigned char *z, const el_token *t) {
  for (size_t p = t->start; p < t->end; p++)
    if (z[p] < '0' || z[p] > '9') return 0;
  return t->end - t->start;
}

/* Are tokens i and i + 1 (touching) in a telephone number written as groups
** of digits joined by hyphens ("3-5213", "212-848-8400", "77002-7361"): a
** last group of four digits, and no other group of four (a range of years,
** "1999-2000", is cut)? The treebank keeps such a number whole every time. */
static int el_in_phone(const unsigned char *z, const el_token *tok, size_t n, size_t i) {
  size_t a = i;
  if (!el_tok_digits(z, &tok[a])) {
    if (a == 0 || !el_tok_is(z, &tok[a], '-')) return 0;
    a--;
    if (!el_tok_digits(z, &tok[a]) || tok[a].end != tok[a + 1].start) return 0;
  }
  while (a >= 2 && el_tok_is(z, &tok[a - 1], '-') && tok[a - 1].end == tok[a].start &&
         tok[a - 2].end == tok[a - 1].start && el_tok_digits(z, &tok[a - 2]))
    a -= 2;
  size_t b = a;
  while (b + 2 < n && el_tok_is(z, &tok[b + 1], '-') && tok[b].end == tok[b + 1].start &&
         tok[b + 1].end == tok[b + 2].start && el_tok_digits(z, &tok[b + 2]))
    b += 2;
  if (b == a || i + 1 > b || el_tok_digits(z, &tok[b]) != 4) return 0;
  for (size_t q = a; q < b; q += 2)
    if (el_tok_digits(z, &tok[q]) == 4) return 0;
  return 1;
}

/* Is token t made only of the characters of drawn lines (- = _ ~ *)? */
static int el_tok_line(const unsigned char *z, const el_token *t) {
  for (size_t p = t->start; p < t->end; p++)
    if (!memchr("-=_~*", z[p], 5)) return 0;
  return t->end > t->start;
}

long el_seg_candidates(const el_nlp *m, const char *text, const el_token *tok, size_t n,
                       el_seg_cand **out, size_t *cap) {
  const unsigned char *z = (const unsigned char *)text;
  size_t nc = 0, cs = 0;
  char low[3 * EL_SEG_MAX_TOKEN + 8];
  for (size_t i = 0; i < n; i++) {
    const el_token *t = &tok[i];
    if (i > 0 && tok[i - 1].end != t->start) cs = i;
    size_t ce = i;
    while (ce + 1 < n && tok[ce].end == tok[ce + 1].start) ce++;
    el_seg_cand c = {0, (uint16_t)i, (uint16_t)i, (uint16_t)cs, (uint16_t)ce, 0, 0};
    size_t len = t->end - t->start;
    if (len <= EL_SEG_MAX_TOKEN && len > 1 && t->kind != EL_URL && t->kind != EL_EMAIL) {
      uint32_t splits = 0, sflags = 0;
      if (m) {
        size_t ll = el_nlp_lower(z, t->start, t->end, low, sizeof(low));
        const el_segx_ent *x = ll <= sizeof(low) ? el_segx_find(m, el_fh_bytes(low, ll)) : NULL;
        if (x) {
          splits = x->splits;
          sflags = x->flags;
        }
      }
      if (splits == 0) {
        size_t at = el_nt_at(z, t->start, t->end);
        if (!at) at = el_clitic_at(z, t->start, t->end);
        if (at > t->start) splits = 1u << (at - t->start);
      }
      size_t prev_cc = 3, l;
      for (size_t p = t->start; p < t->end; p += l) {
        int cc = el_seg_cc(z, t->end, p, &l);
        size_t off = p - t->start;
        c.pos = (uint32_t)p;
        if (off > 0 && off < 32 && (splits >> off) & 1) {
          c.type = (sflags & EL_SEGX_PLAIN) ? EL_SC_INSIDE : EL_SC_CLITIC;
          c.forced = (sflags & EL_SEGX_OPTIONAL) ? 0 : 1;
          if (el_seg_push(out, cap, &nc, &c) != 0) return -1;
        } else if (off > 0 && (unsigned)cc != prev_cc) {
          c.type = EL_SC_INSIDE;
          c.forced = 0;
          if (el_seg_push(out, cap, &nc, &c) != 0) return -1;
        }
        prev_cc = (size_t)cc;
      }
    }
    if (i + 1 < n && tok[i + 1].start == t->end) {
      c.pos = (uint32_t)t->end;
      c.rtok = (uint16_t)(i + 1);
      c.type = EL_SC_BETWEEN;
      /* never cut: a telephone number, a line drawn with mixed characters ("----==") */
      c.forced = el_in_phone(z, tok, n, i) || (el_tok_line(z, t) && el_tok_line(z, &tok[i + 1]))
                     ? 2 : 0;
      if (el_seg_push(out, cap, &nc, &c) != 0) return -1;
    }
  }
  return (long)nc;
}

/* Template ids of the segmentation features. */
enum {
  S_BIAS = 1, S_L, S_R, S_LR, S_CH, S_SH, S_CHUNKSH, S_CHUNK, S_KINDS, S_END, S_NEXT,
  S_LEN, S_LSH_R, S_L_RSH, S_NTOK, S_PREV, S_LCH2, S_RCH2, S_NEXTW, S_HPREF, S_DOTSFX,
  S_OUTER, S_PCAT, S_DOTTED
};

/* Is token t (lower-cased, ASCII) in the NULL-ended list? */
static int el_tok_in_list(const unsigned char *z, const el_token *t, const char *const *list) {
  size_t len = t->end - t->start;
  if (len == 0 || len > 15) return 0;
  char low[16];
  for (size_t i = 0; i < len; i++) {
    unsigned c = z[t->start + i];
    if (c >= 0x80) return 0;
    low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  for (; *list; list++)
    if (strlen(*list) == len && memcmp(*list, low, len) == 0) return 1;
  return 0;
}

/* Coarse class of a code point for the S_PCAT feature: letter, digit, a line
** drawing character (- = _ ~ *), a sentence-final mark (. ? !), a bracket or
** quote, or other. */
static uint64_t el_pcat(uint32_t cp) {
  if (cp == 0) return 0;
  unsigned c = el_uc_class((int32_t)cp) & EL_CLS_MASK;
  if (c == EL_CLS_LETTER) return 1;
  if (c == EL_CLS_DIGIT) return 2;
  if (cp == '-' || cp == '=' || cp == '_' || cp == '~' || cp == '*') return 3;
  if (cp == '.' || cp == '?' || cp == '!') return 4;
  if (cp == '(' || cp == ')' || cp == '[' || cp == ']' || cp == '"' || cp == '\'') return 5;
  return 6;
}

/* A token two places from a candidate, for S_OUTER: its kind and length. */
static uint64_t el_outer_desc(const el_token *tok, size_t n, long i, size_t cs, size_t ce) {
  if (i < (long)cs || i > (long)ce || (size_t)i >= n) return 0xFF;
  size_t len = tok[i].end - tok[i].start;
  return (uint64_t)tok[i].kind * 8 + (len < 7 ? len : 7);
}

/* Shape of bytes [a, b): X x d for letters and digits, other ASCII as is,
** other characters as '*'; runs of one symbol kept to two. Hashed. */
uint64_t el_nlp_shape(const unsigned char *z, size_t a, size_t b, size_t maxc) {
  char buf[40];
  size_t o = 0, run = 0, nc = 0;
  char last = 0;
  while (a < b && nc < maxc && o < sizeof(buf)) {
    int32_t cp;
    size_t len = el_utf8_decode(z + a, b - a, &cp);
    unsigned cls = el_uc_class(cp);
    char s;
    if ((cls & EL_CLS_MASK) == EL_CLS_LETTER) s = (cls & EL_CF_UPPER) ? 'X' : 'x';
    else if ((cls & EL_CLS_MASK) == EL_CLS_DIGIT) s = 'd';
    else if (cp > 32 && cp < 127) s = (char)cp;
    else s = '*';
    run = s == last ? run + 1 : 1;
    last = s;
    if (run <= 2) buf[o++] = s;
    a += len;
    nc++;
  }
  if (a < b && o < sizeof(buf)) buf[o++] = '~';
  return el_fh_bytes(buf, o);
}

/* Hash of the lower-cased bytes [a, b), at most 16 bytes from the side `from_end`. */
static uint64_t el_piece_hash(const unsigned char *z, size_t a, size_t b, int from_end) {
  char buf[3 * 16 + 4];
  if (b - a > 16) {
    if (from_end) {
      a = b - 16;
      while (a < b && (z[a] & 0xC0) == 0x80) a++;
    } else {
      size_t e = a + 16;
      while (e > a && (z[e] & 0xC0) == 0x80) e--;
      b = e;
    }
  }
  size_t l = el_nlp_lower(z, a, b, buf, sizeof(buf));
  return el_fh_bytes(buf, l < sizeof(buf) ? l : sizeof(buf));
}

/* First code point at a / last before b (0 when empty). */
static uint32_t el_first_cp(const unsigned char *z, size_t a, size_t b) {
  if (a >= b) return 0;
  int32_t cp;
  el_utf8_decode(z + a, b - a, &cp);
  return (uint32_t)cp;
}
static uint32_t el_last_cp(const unsigned char *z, size_t a, size_t b) {
  if (a >= b) return 0;
  size_t p = b - 1;
  while (p > a && (z[p] & 0xC0) == 0x80) p--;
  int32_t cp;
  el_utf8_decode(z + p, b - p, &cp);
  return (uint32_t)cp;
}

static uint32_t el_initial_class(const unsigned char *z, const el_token *t) {
  int32_t cp;
  el_utf8_decode(z + t->start, t->end - t->start, &cp);
  unsigned c = el_uc_class(cp);
  return (c & EL_CLS_MASK) | (c & EL_CF_UPPER);
}

int el_seg_features(const char *text, const el_token *tok, size_t n, const el_seg_cand *c,
                    uint64_t *f) {
  const unsigned char *z = (const unsigned char *)text;
  int k = 0;
  uint32_t T = c->type == EL_SC_BETWEEN ? 1 : 2;
  size_t la, lb, ra, rb;
  if (c->type == EL_SC_BETWEEN) {
    la = tok[c->ltok].start;
    lb = tok[c->ltok].end;
    ra = tok[c->rtok].start;
    rb = tok[c->rtok].end;
  } else {
    la = tok[c->ltok].start;
    lb = c->pos;
    ra = c->pos;
    rb = tok[c->ltok].end;
  }
  uint64_t hl = el_piece_hash(z, la, lb, 1), hr = el_piece_hash(z, ra, rb, 0);
  uint64_t sl = el_nlp_shape(z, la, lb, 8), sr = el_nlp_shape(z, ra, rb, 8);
  size_t ca = tok[c->cs].start, cb = tok[c->ce].end;
  f[k++] = el_fh2(S_BIAS, T);
  f[k++] = el_fh3(S_L, T, hl);
  f[k++] = el_fh3(S_R, T, hr);
  f[k++] = el_fh4(S_LR, T, hl, hr);
  f[k++] = el_fh4(S_CH, T, el_last_cp(z, la, lb), el_first_cp(z, ra, rb));
  f[k++] = el_fh4(S_SH, T, sl, sr);
  f[k++] = el_fh3(S_CHUNKSH, T, el_nlp_shape(z, ca, cb, 24));
  if (cb - ca <= 24) f[k++] = el_fh3(S_CHUNK, T, el_piece_hash(z, ca, cb, 0));
  f[k++] = el_fh4(S_KINDS, T, tok[c->ltok].kind, tok[c->rtok].kind);
  int rdot = rb - ra == 1 && z[ra] == '.';
  f[k++] = el_fh4(S_END, T, (uint64_t)((size_t)c->ce + 1 == n), (uint64_t)rdot);
  f[k++] = el_fh4(S_NEXT, T, (size_t)c->ce + 1 < n ? el_initial_class(z, &tok[c->ce + 1]) : 99,
                  (uint64_t)rdot);
  f[k++] = el_fh4(S_LEN, T, lb - la < 8 ? lb - la : 8, rb - ra < 8 ? rb - ra : 8);
  f[k++] = el_fh4(S_LSH_R, T, sl, hr);
  f[k++] = el_fh4(S_L_RSH, T, hl, sr);
  f[k++] = el_fh4(S_NTOK, T, (uint64_t)(c->ce - c->cs < 6 ? c->ce - c->cs : 6),
                  (uint64_t)(c->ltok == c->cs));
  f[k++] = el_fh4(S_PREV, T, c->cs > 0 ? el_piece_hash(z, tok[c->cs - 1].start,
                                                         tok[c->cs - 1].end, 1) : 0,
                  hr);
  /* the word after the run ("its a" splits, "its own" does not) */
  f[k++] = el_fh4(S_NEXTW, T, (size_t)c->ce + 1 < n ? el_piece_hash(z, tok[c->ce + 1].start,
                                                                    tok[c->ce + 1].end, 0) : 0,
                  hl);
  f[k++] = el_fh4(S_PCAT, T, el_pcat(el_last_cp(z, la, lb)), el_pcat(el_first_cp(z, ra, rb)));
  if (c->type == EL_SC_BETWEEN) {
    const el_token *lt = &tok[c->ltok], *rt = &tok[c->rtok];
    int rnext = (size_t)c->rtok < c->ce; /* a token follows rt in the run */
    /* a hyphenated prefix: "non|-" and "-|Microsoft" */
    if (el_tok_is(z, rt, '-') && rnext && el_tok_in_list(z, lt, el_seg_hyphen_prefixes))
      f[k++] = el_fh3(S_HPREF, T, 1);
    else if (el_tok_is(z, lt, '-') && c->ltok > c->cs &&
             el_tok_in_list(z, &tok[c->ltok - 1], el_seg_hyphen_prefixes))
      f[k++] = el_fh3(S_HPREF, T, 2);
    /* a name with dots ending in a file or domain ending: "Stocks|.pdf" and ".|pdf" */
    if (el_tok_is(z, rt, '.') && rnext && el_tok_in_list(z, &tok[c->rtok + 1], el_seg_dotted_suffixes))
      f[k++] = el_fh3(S_DOTSFX, T, 1);
    else if (el_tok_is(z, lt, '.') && c->ltok > c->cs && el_tok_in_list(z, rt, el_seg_dotted_suffixes))
      f[k++] = el_fh3(S_DOTSFX, T, 2);
    /* a name of words joined by dots ("alt.animals.cat", "comp.sources.unix"):
    ** the run alternates words and single dots, with two dots or more */
    if (el_tok_is(z, rt, '.') || el_tok_is(z, lt, '.')) {
      size_t dots = 0, q;
      for (q = c->cs; q <= c->ce && q < (size_t)c->cs + 16; q++) {
        int dot = el_tok_is(z, &tok[q], '.');
        if (dot != (int)((q - c->cs) & 1) || (!dot && tok[q].kind != EL_WORD)) break;
        dots += (size_t)dot;
      }
      if (q > c->ce && dots >= 2 && !el_tok_is(z, &tok[c->ce], '.'))
        f[k++] = el_fh3(S_DOTTED, T, 1);
    }
    /* the tokens beyond both sides ("3-|5213" against "5-|10") */
    f[k++] = el_fh4(S_OUTER, T,
                    el_outer_desc(tok, n, (long)c->ltok - 1, c->cs, c->ce) << 8 |
                        el_outer_desc(tok, n, (long)c->rtok + 1, c->cs, c->ce),
                    el_outer_desc(tok, n, c->ltok, 0, n) << 8 | el_outer_desc(tok, n, c->rtok, 0, n));
  }
  return k;
}
