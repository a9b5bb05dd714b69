/*
** Export-control terms: lexicon compilation, variant generation, grammar
** scanners for codes and citations, and the JSON of eccn_parse/cfr_parse.
** See el_terms.h.
*/
#include "../common/el_alloc.h"
#include "el_terms.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../match/el_regex.h"
#include "el_lexicon_data.h"

/* ------------------------------------------------------------------------ */
/* Grammar rules                                                             */

enum { EL_G_ECCN, EL_G_HS, EL_G_CFR, EL_G_FR, EL_G_USC, EL_G_EO, EL_G_COUNT };

static const el_lex_entry el_grammar[EL_G_COUNT] = {
  {"eccn-pattern", "\\b[0-9](?:[A-E][0-35-69][0-9]{2}|[xY][56][0-9]{2})(?:\\.[a-z](?:\\.[0-9]{1,2}(?:\\.[a-z](?:\\.[0-9]{1,2})?)?)?)?\\b",
   "code", "ECCN as written, e.g. 3A090.a", 1},
  {"hs-pattern", "\\b(?:HS|HTS|HTSUS|(?:sub)?headings?)(?:\\s+(?:codes?|No\\.|numbers?))?:?\\s+(?:0[1-9]|[1-8][0-9]|9[0-7])[0-9]{2}(?:\\.[0-9]{2}(?:\\.[0-9]{2,4})?|[0-9]{2}(?:[0-9]{2}){0,2})?\\b",
   "code", "HS <code>", 1},
  {"cfr-pattern", "\\b(?:[1-9]|[1-4][0-9]|50)\\s+C\\.?F\\.?R\\.?\\s+(?:(?:parts?|\xc2\xa7\xc2\xa7?)\\s*)?[0-9]{1,4}(?:\\.[0-9]{1,4})?(?:\\([a-z0-9]{1,4}\\))*"
   "|\xc2\xa7\xc2\xa7?\\s*[0-9]{1,4}\\.[0-9]{1,4}(?:\\([a-z0-9]{1,4}\\))*"
   "|\\b(?:[Ss]upplement\\s+[Nn]o\\.?\\s+[0-9]{1,2}\\s+to\\s+)?[Pp]arts?\\s+7(?:3[0-9]|[4-6][0-9]|7[0-4])\\b(?:\\s+of\\s+the\\s+(?:EAR|Export Administration Regulations))?",
   "citation", "15 CFR 744.21 / 15 CFR part 744", 1},
  {"fr-pattern", "\\b[1-9][0-9]{0,2}\\s+(?:FR|F\\.R\\.|Fed\\.\\s?Reg\\.)\\s+[0-9]{1,3}(?:,?[0-9]{3})?\\b",
   "citation", "87 FR 62186", 1},
  {"usc-pattern", "\\b[1-5]?[0-9]\\s+(?:U\\.S\\.C\\.|USC)\\s+(?:\xc2\xa7\xc2\xa7?\\s*)?[0-9]{1,6}[a-z]{0,2}(?:\\s+et\\s+seq\\.)?",
   "citation", "19 U.S.C. 1337", 1},
  {"eo-pattern", "\\b(?:E\\.O\\.|Executive\\s+Order)(?:\\s+\\(E\\.O\\.\\))?(?:\\s+No\\.)?\\s+[1-9][0-9]{3,4}\\b",
   "citation", "E.O. 14307", 1},
};

size_t el_lexicon_count(void) { return EL_LEXICON_COUNT; }
const el_lex_entry *el_lexicon_entry(size_t i) {
  return i < EL_LEXICON_COUNT ? &el_lexicon_builtin[i] : NULL;
}
size_t el_grammar_count(void) { return EL_G_COUNT; }
const el_lex_entry *el_grammar_entry(size_t i) { return i < EL_G_COUNT ? &el_grammar[i] : NULL; }

/* ------------------------------------------------------------------------ */
/* Character helpers                                                         */

static int el_isdigit(unsigned c) { return c >= '0' && c <= '9'; }
static int el_islower(unsigned c) { return c >= 'a' && c <= 'z'; }
static int el_isupper(unsigned c) { return c >= 'A' && c <= 'Z'; }
static unsigned el_lc(unsigned c) { return el_isupper(c) ? c + 32 : c; }

/* white space, including a no-break space (C2 A0), forward from i */
static size_t el_ws_fwd(const unsigned char *z, size_t n, size_t i) {
  for (;;) {
    if (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n' || z[i] == '\r')) {
      i++;
    } else if (i + 1 < n && z[i] == 0xC2 && z[i + 1] == 0xA0) {
      i += 2;
    } else {
      return i;
    }
  }
}

static size_t el_ws_back(const unsigned char *z, size_t i) {
  for (;;) {
    if (i > 0 && (z[i - 1] == ' ' || z[i - 1] == '\t' || z[i - 1] == '\n' || z[i - 1] == '\r')) {
      i--;
    } else if (i > 1 && z[i - 1] == 0xA0 && z[i - 2] == 0xC2) {
      i -= 2;
    } else {
      return i;
    }
  }
}

/* Digits at i: count in [lo, hi] and not followed by another digit. */
static size_t el_digits(const unsigned char *z, size_t n, size_t i, size_t lo, size_t hi,
                        long *val) {
  size_t k = 0;
  long v = 0;
  while (i + k < n && el_isdigit(z[i + k])) {
    if (k < 9) v = v * 10 + (z[i + k] - '0');
    k++;
  }
  if (k < lo || k > hi) return 0;
  *val = v;
  return k;
}

/* Digits ending at i (backwards), 1..hi of them, preceded by a non-word char. */
static size_t el_digits_back(const unsigned char *z, size_t i, size_t hi, long *val) {
  size_t k = 0;
  while (k < i && el_isdigit(z[i - 1 - k])) k++;
  if (k == 0 || k > hi) return 0;
  if (el_word_before(z, i - k)) return 0;
  long v = 0;
  for (size_t j = i - k; j < i; j++) v = v * 10 + (z[j] - '0');
  *val = v;
  return k;
}

/* Case-insensitive word w at i, not followed by a word character when w
** ends with a letter or digit; returns the offset after it, or 0. */
static size_t el_word_ci(const unsigned char *z, size_t n, size_t i, const char *w) {
  size_t len = strlen(w);
  if (i + len > n) return 0;
  for (size_t k = 0; k < len; k++)
    if (el_lc(z[i + k]) != el_lc((unsigned char)w[k])) return 0;
  unsigned last = (unsigned char)w[len - 1];
  if ((el_isdigit(last) || el_islower(el_lc(last))) && el_word_at(z, n, i + len)) return 0;
  return i + len;
}

/* The same, exact case. */
static size_t el_word_cs(const unsigned char *z, size_t n, size_t i, const char *w) {
  size_t len = strlen(w);
  if (i + len > n || memcmp(z + i, w, len) != 0) return 0;
  unsigned last = (unsigned char)w[len - 1];
  if ((el_isdigit(last) || el_islower(el_lc(last))) && el_word_at(z, n, i + len)) return 0;
  return i + len;
}

/* ------------------------------------------------------------------------ */
/* Scanners. Each validates a code or citation around a trigger and fills   */
/* an el_cite with its parts.                                               */

enum { EL_CITE_CFR = 1, EL_CITE_FR, EL_CITE_USC, EL_CITE_HS, EL_CITE_ECCN, EL_CITE_EO };

typedef struct el_cite {
  int kind;
  int title;          /* CFR / USC title; 0 when not known */
  long part;          /* CFR part */
  char section[32];   /* CFR "744.21", USC "1337" */
  char paras[48];     /* "(b)(1)" */
  long supplement;    /* CFR supplement number, 0 if none */
  long volume, page;  /* FR */
  char code[48];      /* HS / ECCN as written */
  int et_seq;
} el_cite;

/* paragraphs "(a)(1)(ii)" at i; appended to c->paras; returns the new i */
static size_t el_paras(const unsigned char *z, size_t n, size_t i, el_cite *c) {
  size_t used = strlen(c->paras);
  while (i < n && z[i] == '(') {
    size_t k = i + 1;
    while (k < n && k - i <= 5 && (el_islower(z[k]) || el_isdigit(z[k]) || el_isupper(z[k]))) k++;
    if (k == i + 1 || k >= n || z[k] != ')' || k - i > 5) break;
    size_t len = k + 1 - i;
    if (used + len >= sizeof(c->paras)) break;
    memcpy(c->paras + used, z + i, len);
    used += len;
    c->paras[used] = 0;
    i = k + 1;
  }
  return i;
}

static int el_title_for_part(long part) {
  if (part >= 730 && part <= 774) return 15; /* the EAR */
  if (part >= 120 && part <= 130) return 22; /* the ITAR */
  return 0;
}

/* "<part>.<section>" or "<part>" at i; returns the end or 0. */
static size_t el_part_section(const unsigned char *z, size_t n, size_t i, el_cite *c,
                              int need_section) {
  long part, sec;
  size_t k = el_digits(z, n, i, 1, 4, &part);
  if (!k || part == 0) return 0;
  size_t j = i + k;
  c->part = part;
  c->section[0] = 0;
  if (j + 1 < n && z[j] == '.' && el_isdigit(z[j + 1])) {
    size_t k2 = el_digits(z, n, j + 1, 1, 4, &sec);
    if (!k2) return 0;
    size_t len = j + 1 + k2 - i;
    memcpy(c->section, z + i, len);
    c->section[len] = 0;
    j = j + 1 + k2;
  } else if (need_section) {
    return 0;
  }
  if (c->section[0]) j = el_paras(z, n, j, c);
  if (el_word_at(z, n, j)) return 0;
  return j;
}

/* ", Supplement No. 4" after a part (canonical form) */
static size_t el_supp_suffix(const unsigned char *z, size_t n, size_t i, el_cite *c) {
  if (i >= n || z[i] != ',') return i;
  size_t j = el_ws_fwd(z, n, i + 1), k;
  if (!(k = el_word_ci(z, n, j, "supplement"))) return i;
  j = el_ws_fwd(z, n, k);
  if (!(k = el_word_ci(z, n, j, "no.")) && !(k = el_word_ci(z, n, j, "no"))) return i;
  j = el_ws_fwd(z, n, k);
  long v;
  size_t d = el_digits(z, n, j, 1, 2, &v);
  if (!d || el_word_at(z, n, j + d)) return i;
  c->supplement = v;
  return j + d;
}

/* 15 CFR 744.21 | 15 C.F.R. § 744.21(b) | 15 CFR part 744 */
static int el_scan_cfr(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                       size_t *ms, size_t *me) {
  long title;
  size_t b = el_ws_back(z, ts);
  size_t k = el_digits_back(z, b, 2, &title);
  if (!k || title < 1 || title > 50) return 0;
  size_t i = el_ws_fwd(z, n, te), w;
  int is_part = 0;
  if ((w = el_word_ci(z, n, i, "parts")) || (w = el_word_ci(z, n, i, "part"))) {
    is_part = 1;
    i = el_ws_fwd(z, n, w);
  } else if (i + 1 < n && z[i] == 0xC2 && z[i + 1] == 0xA7) {
    i += 2;
    if (i + 1 < n && z[i] == 0xC2 && z[i + 1] == 0xA7) i += 2;
    i = el_ws_fwd(z, n, i);
  }
  size_t e = el_part_section(z, n, i, c, 0);
  if (!e) return 0;
  if (is_part && c->section[0]) return 0;
  if (!c->section[0]) e = el_supp_suffix(z, n, e, c);
  c->kind = EL_CITE_CFR;
  c->title = (int)title;
  *ms = b - k;
  *me = e;
  return 1;
}

/* § 744.23 (title 15 or 22 inferred for the EAR's and the ITAR's parts) */
static int el_scan_section(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                           size_t *ms, size_t *me) {
  size_t i = te;
  if (i + 1 < n && z[i] == 0xC2 && z[i + 1] == 0xA7) i += 2;
  i = el_ws_fwd(z, n, i);
  size_t e = el_part_section(z, n, i, c, 1);
  if (!e) return 0;
  c->kind = EL_CITE_CFR;
  c->title = el_title_for_part(c->part);
  *ms = ts;
  *me = e;
  return 1;
}

/* part 744 [of the EAR] ; part 121 of the ITAR ; part 744 of title 15 */
static int el_scan_part_at(const unsigned char *z, size_t n, size_t te, el_cite *c, size_t *me) {
  size_t i = el_ws_fwd(z, n, te);
  long part;
  size_t k = el_digits(z, n, i, 1, 4, &part);
  if (!k || el_word_at(z, n, i + k)) return 0;
  size_t end = i + k, j, w;
  int title = 0;
  j = el_ws_fwd(z, n, end);
  if ((w = el_word_ci(z, n, j, "of"))) {
    j = el_ws_fwd(z, n, w);
    size_t t;
    if ((t = el_word_ci(z, n, j, "the"))) {
      t = el_ws_fwd(z, n, t);
      if ((w = el_word_cs(z, n, t, "EAR")) || (w = el_word_ci(z, n, t, "Export Administration Regulations"))) {
        if (part >= 730 && part <= 774) { title = 15; end = w; }
        else return 0;
      } else if ((w = el_word_cs(z, n, t, "ITAR")) ||
                 (w = el_word_ci(z, n, t, "International Traffic in Arms Regulations"))) {
        if (part >= 120 && part <= 130) { title = 22; end = w; }
        else return 0;
      }
    } else if ((t = el_word_ci(z, n, j, "title"))) {
      long tv;
      t = el_ws_fwd(z, n, t);
      size_t d = el_digits(z, n, t, 1, 2, &tv);
      if (d && tv >= 1 && tv <= 50 && !el_word_at(z, n, t + d)) {
        title = (int)tv;
        end = t + d;
      }
    }
  }
  if (!title) {
    if (part < 730 || part > 774) return 0;
    title = 15;
  }
  c->kind = EL_CITE_CFR;
  c->title = title;
  c->part = part;
  c->section[0] = 0;
  *me = end;
  return 1;
}

static int el_scan_part(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                        size_t *ms, size_t *me) {
  if (!el_scan_part_at(z, n, te, c, me)) return 0;
  *ms = ts;
  return 1;
}

/* Supplement No. 4 to part 744 [of the EAR] */
static int el_scan_supplement(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                              size_t *ms, size_t *me) {
  size_t j = el_ws_fwd(z, n, te), k;
  if (!(k = el_word_ci(z, n, j, "no.")) && !(k = el_word_ci(z, n, j, "no")) &&
      !(k = el_word_ci(z, n, j, "number")))
    return 0;
  j = el_ws_fwd(z, n, k);
  long v;
  size_t d = el_digits(z, n, j, 1, 2, &v);
  if (!d || el_word_at(z, n, j + d)) return 0;
  j = el_ws_fwd(z, n, j + d);
  if (!(k = el_word_ci(z, n, j, "to"))) return 0;
  j = el_ws_fwd(z, n, k);
  if (!(k = el_word_ci(z, n, j, "part"))) return 0;
  if (!el_scan_part_at(z, n, k, c, me)) return 0;
  c->supplement = v;
  *ms = ts;
  return 1;
}

/* 87 FR 62186 | 87 F.R. 62,186 | 87 Fed. Reg. 62186 */
static int el_scan_fr(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                      size_t *ms, size_t *me) {
  long vol, page = 0;
  size_t b = el_ws_back(z, ts);
  size_t k = el_digits_back(z, b, 3, &vol);
  if (!k || vol < 1 || vol > 150) return 0;
  size_t i = el_ws_fwd(z, n, te);
  size_t d = 0;
  while (i + d < n && el_isdigit(z[i + d]) && d < 6) page = page * 10 + (z[i + d++] - '0');
  if (d == 0 || (i + d < n && el_isdigit(z[i + d]))) return 0;
  size_t e = i + d;
  if (d <= 3 && e + 3 < n + 0 && z[e] == ',' && el_isdigit(z[e + 1]) && el_isdigit(z[e + 2]) &&
      el_isdigit(z[e + 3]) && !(e + 4 < n && el_isdigit(z[e + 4]))) {
    page = page * 1000 + (z[e + 1] - '0') * 100 + (z[e + 2] - '0') * 10 + (z[e + 3] - '0');
    e += 4;
  }
  if (page < 1 || el_word_at(z, n, e)) return 0;
  c->kind = EL_CITE_FR;
  c->volume = vol;
  c->page = page;
  *ms = b - k;
  *me = e;
  return 1;
}

/* 19 U.S.C. 1337 | 50 U.S.C. 4801 et seq. */
static int el_scan_usc(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                       size_t *ms, size_t *me) {
  long title;
  size_t b = el_ws_back(z, ts);
  size_t k = el_digits_back(z, b, 2, &title);
  if (!k || title < 1 || title > 54) return 0;
  size_t i = el_ws_fwd(z, n, te);
  if (i + 1 < n && z[i] == 0xC2 && z[i + 1] == 0xA7) {
    i += 2;
    if (i + 1 < n && z[i] == 0xC2 && z[i + 1] == 0xA7) i += 2;
    i = el_ws_fwd(z, n, i);
  }
  long sec;
  size_t d = el_digits(z, n, i, 1, 6, &sec);
  if (!d || sec == 0) return 0;
  size_t e = i + d;
  while (e < n && e - i - d < 2 && el_islower(z[e])) e++;
  if (el_word_at(z, n, e)) return 0;
  size_t len = e - i;
  if (len >= sizeof(c->section)) return 0;
  memcpy(c->section, z + i, len);
  c->section[len] = 0;
  e = el_paras(z, n, e, c);
  if (el_word_at(z, n, e)) return 0;
  size_t j = el_ws_fwd(z, n, e), w;
  if ((w = el_word_ci(z, n, j, "et"))) {
    size_t j2 = el_ws_fwd(z, n, w);
    if ((w = el_word_ci(z, n, j2, "seq."))) {
      e = w;
      c->et_seq = 1;
    }
  }
  c->kind = EL_CITE_USC;
  c->title = (int)title;
  *ms = b - k;
  *me = e;
  return 1;
}

/* E.O. 14307 | Executive Order 13873 | Executive Order (E.O.) 14307 */
static int el_scan_eo(const unsigned char *z, size_t n, size_t ts, size_t te, el_cite *c,
                      size_t *ms, size_t *me) {
  size_t i = el_ws_fwd(z, n, te), w;
  if (i + 6 <= n && memcmp(z + i, "(E.O.)", 6) == 0) i = el_ws_fwd(z, n, i + 6);
  if ((w = el_word_cs(z, n, i, "No."))) i = el_ws_fwd(z, n, w);
  long num;
  size_t d = el_digits(z, n, i, 4, 5, &num);
  if (!d || num < 1000 || el_word_at(z, n, i + d)) return 0;
  c->kind = EL_CITE_EO;
  c->part = num;
  *ms = ts;
  *me = i + d;
  return 1;
}

/* An HS code at i: 4 digits [.2 [.2-4]] or 6, 8 or 10 digits; chapter
** 01-97 except 77. Returns the end or 0. */
static size_t el_hs_code(const unsigned char *z, size_t n, size_t i, el_cite *c) {
  long v;
  size_t d = 0;
  while (i + d < n && el_isdigit(z[i + d])) d++;
  if (d != 4 && d != 6 && d != 8 && d != 10) return 0;
  size_t e = i + d;
  if (d == 4 && e + 2 < n && z[e] == '.' && el_isdigit(z[e + 1]) && el_isdigit(z[e + 2]) &&
      !(e + 3 < n && el_isdigit(z[e + 3]))) {
    e += 3;
    if (e + 2 < n && z[e] == '.' && el_isdigit(z[e + 1]) && el_isdigit(z[e + 2])) {
      size_t k = 0;
      while (e + 1 + k < n && el_isdigit(z[e + 1 + k])) k++;
      if (k == 2 || k == 4) e += 1 + k;
      else return 0;
    }
  }
  if (e + 1 < n && z[e] == '.' && el_isdigit(z[e + 1])) return 0;
  if (el_word_at(z, n, e)) return 0;
  v = (z[i] - '0') * 10 + (z[i + 1] - '0');
  if (v < 1 || v > 97 || v == 77) return 0;
  if (e - i >= sizeof(c->code)) return 0;
  memcpy(c->code, z + i, e - i);
  c->code[e - i] = 0;
  c->kind = EL_CITE_HS;
  return e;
}

/* After "HS"/"heading": optional "code(s)", "No.", "number(s)", ":" */
static size_t el_hs_lead(const unsigned char *z, size_t n, size_t te) {
  size_t i = el_ws_fwd(z, n, te), w;
  for (int round = 0; round < 2; round++) {
    int hit = 0;
    for (const char *const *q = el_hs_qualifiers; *q; q++) { /* hs_qualifiers.txt */
      if ((w = el_word_ci(z, n, i, *q))) {
        i = el_ws_fwd(z, n, w);
        hit = 1;
        break;
      }
    }
    if (!hit) break;
  }
  if (i < n && z[i] == ':') i = el_ws_fwd(z, n, i + 1);
  return i;
}

/* An ECCN at s (a digit). Fills c->code. Returns the end or 0. */
static size_t el_eccn_at(const unsigned char *z, size_t n, size_t s, el_cite *c) {
  if (s + 5 > n || !el_isdigit(z[s])) return 0;
  unsigned g = z[s + 1];
  if (!((g >= 'A' && g <= 'E') || g == 'x' || g == 'Y')) return 0;
  if (!el_isdigit(z[s + 2]) || !el_isdigit(z[s + 3]) || !el_isdigit(z[s + 4])) return 0;
  unsigned reason = z[s + 2] - '0';
  if (reason == 4 || reason == 7 || reason == 8) return 0;
  if ((g == 'x' || g == 'Y') && reason != 5 && reason != 6) return 0;
  size_t i = s + 5;
  for (int level = 0; level < 8 && i + 1 < n && z[i] == '.'; level++) {
    size_t j = i + 1, k;
    if (level % 2 == 0) {
      if (!el_islower(z[j])) break;
      k = j + 1;
    } else {
      if (!el_isdigit(z[j])) break;
      k = j + 1;
      if (k < n && el_isdigit(z[k])) k++;
    }
    if (el_word_at(z, n, k)) break;
    i = k;
  }
  if (el_word_at(z, n, i)) return 0;
  if (i - s >= sizeof(c->code)) return 0;
  memcpy(c->code, z + s, i - s);
  c->code[i - s] = 0;
  c->kind = EL_CITE_ECCN;
  return i;
}

/* ------------------------------------------------------------------------ */
/* Triggers                                                                  */

enum {
  EL_T_ECCN, EL_T_CFR, EL_T_SECT, EL_T_PART, EL_T_SUPP, EL_T_FR, EL_T_USC, EL_T_HS, EL_T_EO,
  EL_T_COUNT
};

typedef struct el_trigger {
  const char *word;
  int kind;
  unsigned flags;
} el_trigger;

static const el_trigger el_triggers[] = {
  {"CFR", EL_T_CFR, EL_AC_WB | EL_AC_EXACT},
  {"C.F.R.", EL_T_CFR, EL_AC_WB | EL_AC_EXACT},
  {"C.F.R", EL_T_CFR, EL_AC_WB | EL_AC_EXACT},
  {"\xc2\xa7", EL_T_SECT, 0},
  {"part", EL_T_PART, EL_AC_WB},
  {"parts", EL_T_PART, EL_AC_WB},
  {"supplement", EL_T_SUPP, EL_AC_WB},
  {"FR", EL_T_FR, EL_AC_WB | EL_AC_EXACT},
  {"F.R.", EL_T_FR, EL_AC_WB | EL_AC_EXACT},
  {"Fed. Reg.", EL_T_FR, EL_AC_WB | EL_AC_EXACT},
  {"U.S.C.", EL_T_USC, EL_AC_WB | EL_AC_EXACT},
  {"USC", EL_T_USC, EL_AC_WB | EL_AC_EXACT},
  {"HS", EL_T_HS, EL_AC_WB | EL_AC_EXACT},
  {"HTS", EL_T_HS, EL_AC_WB | EL_AC_EXACT},
  {"HTSUS", EL_T_HS, EL_AC_WB | EL_AC_EXACT},
  {"heading", EL_T_HS, EL_AC_WB},
  {"headings", EL_T_HS, EL_AC_WB},
  {"subheading", EL_T_HS, EL_AC_WB},
  {"subheadings", EL_T_HS, EL_AC_WB},
  {"E.O.", EL_T_EO, EL_AC_WB | EL_AC_EXACT},
  {"Executive Order", EL_T_EO, EL_AC_WB},
};
#define EL_N_TRIGGERS (sizeof(el_triggers) / sizeof(el_triggers[0]))

#define EL_ID_TRIG 0x80000000u /* AC id: a trigger (low bits: EL_T_*) */
#define EL_ID_GRAM 0x40000000u /* span id: a grammar candidate (low bits: index) */
#define EL_ID_CI 0x20000000u   /* AC and span id: a case-insensitive term (low bits: def) */
#define EL_ID_GAP 0x10000000u  /* AC id: the head of a gapped built-in term ("ban on ... exports") */

/* Gapped terms: "head ... tail" (or "...N") in a built-in entry. The head is
** in the automaton; the tail is looked for after it, within EL_GAP_WORDS
** words (or N, at most EL_GAP_MAX) of the same sentence. */
#define EL_GAP_WORDS 4
#define EL_GAP_MAX 8
#define EL_GAP_GROUP_MAX 64 /* gapped entries sharing one head */

/* Split a gapped term: the head's length, the tail and the word budget;
** 0 when the term has no gap. */
static int el_gap_split(const char *term, size_t *head_len, const char **tail, int *words) {
  const char *g = strstr(term, " ...");
  if (!g) return 0;
  const char *p = g + 4;
  int w = EL_GAP_WORDS;
  if (*p >= '1' && *p <= '0' + EL_GAP_MAX) w = *p++ - '0';
  if (*p != ' ' || !p[1]) return 0;
  *head_len = (size_t)(g - term);
  *tail = p + 1;
  *words = w;
  return 1;
}

/* ------------------------------------------------------------------------ */
/* The compiled matcher                                                      */

typedef struct el_tdef {
  const char *rule, *category, *canonical;
  uint32_t prio;
} el_tdef;

typedef struct el_tre {
  el_regex *re;
  uint32_t def;
} el_tre;

struct el_terms {
  el_ac *ac;
  const el_terms *base; /* the shared built-in matcher (a reference held), or NULL */
  int shared;           /* this is the shared built-in matcher (el_terms_shared) */
  el_tdef *defs;
  size_t ndefs;
  el_tre *res;
  size_t nres;
  char **owned; /* copies of user strings */
  size_t nowned;
  /* gapped built-in terms, grouped by head: the automaton holds each distinct
  ** head once (id: group | EL_ID_GAP); gmem[gfirst[g] .. gfirst[g + 1]) are
  ** the group's entries */
  uint32_t *gfirst, *gmem;
  size_t ngroups;
};

static void el_shared_release(void);

void el_terms_free(el_terms *t) {
  if (!t) return;
  if (t->shared) {
    el_shared_release();
    return;
  }
  if (t->base) el_shared_release();
  el_ac_free(t->ac);
  for (size_t i = 0; i < t->nres; i++) el_regex_free(t->res[i].re);
  for (size_t i = 0; i < t->nowned; i++) el_free(t->owned[i]);
  el_free(t->owned);
  el_free(t->res);
  el_free(t->defs);
  el_free(t->gfirst);
  el_free(t->gmem);
  el_free(t);
}

size_t el_terms_states(const el_terms *t) { return el_ac_states(t->ac); }
int el_terms_compact(const el_terms *t) { return el_ac_is_compact(t->ac); }
size_t el_terms_classes(const el_terms *t) { return el_ac_classes(t->ac); }

static char *el_own(el_terms *t, const char *s) {
  size_t len = strlen(s);
  char *c = el_malloc(len + 1);
  if (!c) return NULL;
  memcpy(c, s, len + 1);
  t->owned[t->nowned++] = c;
  return c;
}

/* A set of 64-bit hashes of the (folded) pattern strings added so far. */
typedef struct el_hset {
  uint64_t *slot;
  size_t cap, n;
} el_hset;

static int el_hset_add(el_hset *h, uint64_t key) { /* 1 new, 0 present, -1 nomem */
  if (key == 0) key = 1;
  if ((h->n + 1) * 2 > h->cap) {
    size_t ncap = h->cap ? h->cap * 2 : 1024;
    uint64_t *ns = el_calloc(ncap, sizeof(uint64_t));
    if (!ns) return -1;
    for (size_t i = 0; i < h->cap; i++) {
      if (!h->slot[i]) continue;
      size_t j = (size_t)(h->slot[i] & (ncap - 1));
      while (ns[j]) j = (j + 1) & (ncap - 1);
      ns[j] = h->slot[i];
    }
    el_free(h->slot);
    h->slot = ns;
    h->cap = ncap;
  }
  size_t j = (size_t)(key & (h->cap - 1));
  while (h->slot[j]) {
    if (h->slot[j] == key) return 0;
    j = (j + 1) & (h->cap - 1);
  }
  h->slot[j] = key;
  h->n++;
  return 1;
}

static uint64_t el_hash_pat(const char *s, size_t len, unsigned flags, uint32_t prio) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) {
    unsigned c = (unsigned char)s[i];
    if (!(flags & EL_AC_EXACT)) c = el_lc(c);
    h = (h ^ c) * 1099511628211ull;
  }
  h = (h ^ (flags & EL_AC_EXACT ? 0x55 : 0xAA)) * 1099511628211ull;
  h = (h ^ prio) * 1099511628211ull;
  return h;
}

/* Term variants: hyphen/space, license/licence, plural of the last word.
** Writes up to 8 NUL-separated strings into buf (room 8 * (len + 8)). */
static int el_variants(const char *term, size_t len, char *buf, size_t stride, int exact) {
  int nv = 0;
  memcpy(buf, term, len);
  buf[len] = 0;
  nv = 1;
  if (exact) return nv;
  /* hyphen <-> space */
  {
    char *v = buf + (size_t)nv * stride;
    int changed = 0, spaces = 0, hyphens = 0;
    for (size_t i = 0; i < len; i++) {
      if (term[i] == ' ') spaces++;
      if (term[i] == '-') hyphens++;
    }
    memcpy(v, term, len + 1);
    if (hyphens) {
      for (size_t i = 1; i + 1 < len; i++) {
        if (v[i] == '-' && el_islower(el_lc((unsigned char)v[i - 1])) &&
            el_islower(el_lc((unsigned char)v[i + 1]))) {
          v[i] = ' ';
          changed = 1;
        }
      }
    } else if (spaces == 1) {
      for (size_t i = 0; i < len; i++)
        if (v[i] == ' ') v[i] = '-';
      changed = 1;
    }
    if (changed) nv++;
  }
  /* license <-> licence */
  int base = nv;
  for (int k = 0; k < base; k++) {
    char *src = buf + (size_t)k * stride;
    char *v = buf + (size_t)nv * stride;
    memcpy(v, src, len + 1);
    int changed = 0;
    for (size_t i = 0; i + 6 <= len; i++) {
      if (el_lc((unsigned char)v[i]) == 'l' && el_lc((unsigned char)v[i + 1]) == 'i' &&
          el_lc((unsigned char)v[i + 2]) == 'c' && el_lc((unsigned char)v[i + 3]) == 'e' &&
          el_lc((unsigned char)v[i + 4]) == 'n') {
        unsigned c5 = (unsigned char)v[i + 5];
        if (el_lc(c5) == 's') { v[i + 5] = (char)(c5 == 's' ? 'c' : 'C'); changed = 1; }
        else if (el_lc(c5) == 'c') { v[i + 5] = (char)(c5 == 'c' ? 's' : 'S'); changed = 1; }
      }
    }
    if (changed) nv++;
  }
  /* plural of the last word */
  base = nv;
  for (int k = 0; k < base; k++) {
    char *src = buf + (size_t)k * stride;
    size_t l = strlen(src);
    if (l < 3 || !el_islower((unsigned char)src[l - 1])) continue;
    size_t ws = l;
    while (ws > 0 && src[ws - 1] != ' ' && src[ws - 1] != '-') ws--;
    size_t wl = l - ws;
    if (wl < 3) continue;
    const char *w = src + ws;
    if (wl >= 3 && memcmp(w + wl - 3, "ing", 3) == 0) continue;
    /* "securities" are stocks and bonds, not several securities */
    if (wl == 8 && memcmp(w, "security", 8) == 0) continue;
    char *v = buf + (size_t)nv * stride;
    memcpy(v, src, l + 1);
    char last = w[wl - 1], prev = w[wl - 2];
    if (last == 's' && prev != 's') continue;
    if (last == 'y' && !strchr("aeiou", prev)) {
      memcpy(v + l - 1, "ies", 4);
    } else if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's'))) {
      memcpy(v + l, "es", 3);
    } else {
      memcpy(v + l, "s", 2);
    }
    nv++;
  }
  return nv;
}

static int el_add_term(el_ac_builder *b, el_hset *h, const char *term, uint32_t id, int exact,
                       uint32_t prio, char *err, size_t errcap) {
  size_t len = strlen(term);
  if (len > EL_AC_MAX_PATTERN) {
    snprintf(err, errcap, "term longer than %d bytes", EL_AC_MAX_PATTERN);
    return 1;
  }
  size_t stride = len + 8;
  char *buf = el_malloc(8 * stride);
  if (!buf) {
    snprintf(err, errcap, "out of memory");
    return 1;
  }
  int nv = el_variants(term, len, buf, stride, exact);
  unsigned flags = EL_AC_WB | (exact ? EL_AC_EXACT : 0);
  for (int k = 0; k < nv; k++) {
    const char *v = buf + (size_t)k * stride;
    size_t vl = strlen(v);
    int r = el_hset_add(h, el_hash_pat(v, vl, flags, prio));
    if (r < 0) {
      el_free(buf);
      snprintf(err, errcap, "out of memory");
      return 1;
    }
    if (r == 0) continue;
    int rc = el_ac_add(b, v, vl, id | (exact ? 0 : EL_ID_CI), flags);
    if (rc == EL_AC_EMPTY && k == 0) {
      el_free(buf);
      snprintf(err, errcap, "empty term");
      return 1;
    }
    if (rc == EL_AC_NOMEM || rc == EL_AC_TOOBIG) {
      el_free(buf);
      snprintf(err, errcap, rc == EL_AC_NOMEM ? "out of memory" : "term too long");
      return 1;
    }
  }
  el_free(buf);
  return 0;
}

/* A term with letters and no lower-case letter (an acronym) matches in its
** exact case only. */
static int el_is_acronym(const char *s) {
  int letters = 0;
  for (; *s; s++) {
    unsigned c = (unsigned char)*s;
    if (el_islower(c)) return 0;
    if (el_isupper(c)) letters++;
  }
  return letters > 0;
}

/* The built-in matcher, compiled once and shared by every connection and
** every user lexicon while any of them holds a reference: freed with the
** last one (a loadable extension is unloaded when its last connection
** closes, so nothing may outlive them), compiled again on the next use. */
static pthread_mutex_t el_shared_mu = PTHREAD_MUTEX_INITIALIZER;
static el_terms *el_shared;
static size_t el_shared_refs;

el_terms *el_terms_shared(int *rc, char *err, size_t errcap) {
  pthread_mutex_lock(&el_shared_mu);
  el_terms *t = el_shared;
  *rc = 0;
  if (!t) {
    *rc = el_terms_compile_ex(NULL, 0, 0, &t, err, errcap);
    if (*rc == 0) t->shared = 1;
    el_shared = t;
  }
  if (t) el_shared_refs++;
  pthread_mutex_unlock(&el_shared_mu);
  return t;
}

static void el_shared_release(void) {
  pthread_mutex_lock(&el_shared_mu);
  if (el_shared && --el_shared_refs == 0) {
    el_shared->shared = 0;
    el_terms_free(el_shared);
    el_shared = NULL;
  }
  pthread_mutex_unlock(&el_shared_mu);
}

/* Group the gapped built-in entries by head (same bytes, ASCII case folded
** unless exact; same case rule) and add each distinct head to the automaton
** once. 0, EL_TERMS_NOMEM, or 1 when a group would pass EL_GAP_GROUP_MAX. */
static int el_gap_groups(el_terms *t, el_ac_builder *b) {
  size_t ng = 0;
  t->gfirst = el_calloc(EL_LEXICON_ALL + 2, sizeof(uint32_t));
  t->gmem = el_calloc(EL_LEXICON_ALL + 1, sizeof(uint32_t));
  uint32_t *head = el_calloc(EL_LEXICON_ALL + 1, sizeof(uint32_t)); /* group -> an entry */
  uint32_t *grp = el_calloc(EL_LEXICON_ALL + 1, sizeof(uint32_t));  /* entry -> group */
  uint32_t *cnt = el_calloc(EL_LEXICON_ALL + 1, sizeof(uint32_t));
  int rc = 0;
  if (!t->gfirst || !t->gmem || !head || !grp || !cnt) {
    rc = EL_TERMS_NOMEM;
    goto done;
  }
  for (size_t i = 0; i < EL_LEXICON_ALL; i++) {
    const el_lex_entry *e = &el_lexicon_builtin[i];
    size_t hl, hl2;
    const char *tail;
    int w;
    if (!el_gap_split(e->term, &hl, &tail, &w)) continue;
    size_t g = 0;
    for (; g < ng; g++) {
      const el_lex_entry *o = &el_lexicon_builtin[head[g]];
      el_gap_split(o->term, &hl2, &tail, &w);
      if (o->exact != e->exact || hl2 != hl) continue;
      size_t k = 0;
      while (k < hl && (e->exact ? o->term[k] == e->term[k]
                                 : el_lc((unsigned char)o->term[k]) == el_lc((unsigned char)e->term[k])))
        k++;
      if (k == hl) break;
    }
    if (g == ng) {
      head[ng++] = (uint32_t)i;
      uint32_t hid = (uint32_t)g | EL_ID_GAP | (e->exact ? 0 : EL_ID_CI);
      if (el_ac_add(b, e->term, hl, hid, EL_AC_WB | (e->exact ? EL_AC_EXACT : 0))) {
        rc = EL_TERMS_NOMEM;
        goto done;
      }
    }
    grp[i] = (uint32_t)g;
    if (++cnt[g] > EL_GAP_GROUP_MAX) {
      rc = 1;
      goto done;
    }
  }
  /* counting sort of the entries by group, in lexicon order within one */
  for (size_t g = 0; g < ng; g++) t->gfirst[g + 1] = t->gfirst[g] + cnt[g];
  memset(cnt, 0, (EL_LEXICON_ALL + 1) * sizeof(uint32_t));
  for (size_t i = 0; i < EL_LEXICON_ALL; i++) {
    size_t hl;
    const char *tail;
    int w;
    if (!el_gap_split(el_lexicon_builtin[i].term, &hl, &tail, &w)) continue;
    t->gmem[t->gfirst[grp[i]] + cnt[grp[i]]++] = (uint32_t)i;
  }
  t->ngroups = ng;
done:
  el_free(head);
  el_free(grp);
  el_free(cnt);
  return rc;
}

int el_terms_compile(const el_term_entry *user, size_t n, el_terms **out, char *err,
                     size_t errcap) {
  if (n == 0) return el_terms_compile_ex(NULL, 0, 0, out, err, errcap);
  /* user terms in an automaton of their own, beside the shared built-ins */
  int rc;
  const el_terms *base = el_terms_shared(&rc, err, errcap);
  if (!base) return rc;
  rc = el_terms_compile_ex(user, n, EL_TERMS_NO_BUILTINS | EL_TERMS_NO_GRAMMARS, out, err,
                           errcap);
  if (rc == 0) {
    (*out)->base = base;
    for (size_t i = 0; i < EL_LEXICON_ALL; i++) (*out)->defs[i] = base->defs[i];
  } else {
    el_shared_release();
  }
  return rc;
}

int el_terms_compile_ex(const el_term_entry *user, size_t n, unsigned flags, el_terms **out,
                        char *err, size_t errcap) {
  *out = NULL;
  if (errcap) err[0] = 0;
  el_terms *t = el_calloc(1, sizeof(*t));
  el_ac_builder *b = el_ac_builder_new();
  el_hset h = {NULL, 0, 0};
  size_t nre = 0;
  for (size_t i = 0; i < n; i++) nre += user[i].is_pattern != 0;
  if (!t || !b) goto nomem;
  if (nre > EL_TERMS_MAX_PATTERNS) {
    snprintf(err, errcap, "more than %d patterns", EL_TERMS_MAX_PATTERNS);
    goto fail;
  }
  t->ndefs = EL_LEXICON_ALL + n;
  t->defs = el_calloc(t->ndefs ? t->ndefs : 1, sizeof(el_tdef));
  t->owned = el_calloc(3 * n + 1, sizeof(char *));
  t->res = el_calloc(nre + 1, sizeof(el_tre));
  if (!t->defs || !t->owned || !t->res) goto nomem;

  /* user entries first: they win ties (prio 0) */
  for (size_t i = 0; i < n; i++) {
    const el_term_entry *e = &user[i];
    uint32_t id = (uint32_t)(EL_LEXICON_ALL + i);
    el_tdef *d = &t->defs[id];
    if (!(d->rule = el_own(t, e->rule ? e->rule : "")) ||
        !(d->category = el_own(t, e->category ? e->category : "")) ||
        !(d->canonical = el_own(t, e->canonical ? e->canonical : (e->term ? e->term : ""))))
      goto nomem;
    d->prio = 0;
    if (!e->term || !e->term[0]) {
      snprintf(err, errcap, "rule %s: empty term", d->rule);
      goto fail;
    }
    if (e->is_pattern) {
      char rerr[200];
      el_regex *re = el_regex_compile(e->term, strlen(e->term), EL_RE_CASELESS, rerr, sizeof(rerr));
      if (!re) {
        if (strcmp(rerr, "out of memory") == 0) goto nomem;
        snprintf(err, errcap, "rule %s: bad pattern: %s", d->rule, rerr);
        goto fail;
      }
      t->res[t->nres].re = re;
      t->res[t->nres++].def = id;
      continue;
    }
    char terr[200];
    if (el_add_term(b, &h, e->term, id, el_is_acronym(e->term), 0, terr, sizeof(terr))) {
      if (strcmp(terr, "out of memory") == 0) goto nomem;
      snprintf(err, errcap, "rule %s: %s", d->rule, terr);
      goto fail;
    }
  }
  for (size_t i = 0; i < EL_LEXICON_ALL && !(flags & EL_TERMS_NO_BUILTINS); i++) {
    const el_lex_entry *e = &el_lexicon_builtin[i];
    el_tdef *d = &t->defs[i];
    d->rule = e->rule;
    d->category = e->category;
    d->canonical = e->canonical;
    d->prio = 1;
    char terr[200];
    size_t hl;
    const char *tail;
    int gw;
    if (el_gap_split(e->term, &hl, &tail, &gw)) continue; /* below, by head */
    if (el_add_term(b, &h, e->term, (uint32_t)i, e->exact, 1, terr, sizeof(terr))) {
      if (strcmp(terr, "out of memory") == 0) goto nomem;
      snprintf(err, errcap, "built-in %s: %s", e->rule, terr);
      goto fail;
    }
  }
  if (!(flags & EL_TERMS_NO_BUILTINS)) {
    int grc = el_gap_groups(t, b);
    if (grc == EL_TERMS_NOMEM) goto nomem;
    if (grc) {
      snprintf(err, errcap, "built-in lexicon: more than %d gapped terms share a head",
               EL_GAP_GROUP_MAX);
      goto fail;
    }
  }
  for (size_t i = 0; i < EL_N_TRIGGERS && !(flags & EL_TERMS_NO_GRAMMARS); i++) {
    const el_trigger *tr = &el_triggers[i];
    if (el_ac_add(b, tr->word, strlen(tr->word), EL_ID_TRIG | (uint32_t)tr->kind, tr->flags))
      goto nomem;
  }
  /* ECCN triggers: a digit and a product group (or the x / Y placeholder) */
  for (char d = '0'; d <= '9' && !(flags & EL_TERMS_NO_GRAMMARS); d++) {
    for (const char *g = "abcdexy"; *g; g++) {
      char two[2] = {d, *g};
      if (el_ac_add(b, two, 2, EL_ID_TRIG | EL_T_ECCN, EL_AC_WB_START)) goto nomem;
    }
  }
  if (flags & EL_TERMS_COMPACT) el_ac_builder_dense_max(b, 1);
  int rc = el_ac_compile(b, &t->ac);
  if (rc == EL_AC_TOOBIG) {
    snprintf(err, errcap, "lexicon too large (over 4 GB of terms)");
    goto fail;
  }
  if (rc != EL_AC_OK) goto nomem;
  el_ac_builder_free(b);
  el_free(h.slot);
  *out = t;
  return 0;
nomem:
  snprintf(err, errcap, "out of memory");
  el_ac_builder_free(b);
  el_free(h.slot);
  el_terms_free(t);
  return EL_TERMS_NOMEM;
fail:
  el_ac_builder_free(b);
  el_free(h.slot);
  el_terms_free(t);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* Finding                                                                   */

typedef struct el_gcand {
  int rule;            /* EL_G_* */
  size_t canon_off, canon_len;
} el_gcand;

void el_term_result_init(el_term_result *r) { memset(r, 0, sizeof(*r)); }

void el_term_result_free(el_term_result *r) {
  el_free(r->m);
  el_free(r->spans);
  el_free(r->g);
  el_free(r->pool);
  memset(r, 0, sizeof(*r));
}

static int el_grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 64;
  while (ncap < need) ncap *= 2;
  void *np = el_realloc(*p, ncap * size);
  if (!np) return 1;
  *p = np;
  *cap = ncap;
  return 0;
}

/* Is byte p the start of a character unit, as SQLite counts them (a byte
** below 0xC0 is one unit, a byte at or above 0xC0 takes the continuation
** bytes that follow it)? Offsets are converted to characters only there. */
static int el_unit_boundary(const unsigned char *z, size_t n, size_t p) {
  if (p == 0 || p >= n || (z[p] & 0xC0) != 0x80) return 1;
  size_t j = p;
  while (j > 0 && (z[j - 1] & 0xC0) == 0x80) j--;
  return j == 0 || z[j - 1] < 0x80;
}

static int el_push_span(el_term_result *r, size_t s, size_t e, uint32_t id, uint32_t prio) {
  if (r->nspans >= EL_TERMS_MAX_MATCHES) {
    r->toomany = 1;
    return 1;
  }
  if (el_grow((void **)&r->spans, &r->spans_cap, r->nspans + 1, sizeof(el_span))) {
    r->nomem = 1;
    return 1;
  }
  el_span *sp = &r->spans[r->nspans++];
  sp->start = s;
  sp->end = e;
  sp->id = id;
  sp->prio = prio;
  return 0;
}

/* Format a citation's canonical form. */
static int el_cite_canonical(const el_cite *c, char *buf, size_t cap) {
  switch (c->kind) {
    case EL_CITE_CFR: {
      char supp[32] = "";
      if (c->supplement) snprintf(supp, sizeof(supp), ", Supplement No. %ld", c->supplement);
      if (c->section[0]) {
        if (c->title)
          return snprintf(buf, cap, "%d CFR %s%s", c->title, c->section, c->paras);
        return snprintf(buf, cap, "\xc2\xa7 %s%s", c->section, c->paras);
      }
      return snprintf(buf, cap, "%d CFR part %ld%s", c->title, c->part, supp);
    }
    case EL_CITE_FR: return snprintf(buf, cap, "%ld FR %ld", c->volume, c->page);
    case EL_CITE_USC:
      return snprintf(buf, cap, "%d U.S.C. %s%s%s", c->title, c->section, c->paras,
                      c->et_seq ? " et seq." : "");
    case EL_CITE_HS: return snprintf(buf, cap, "HS %s", c->code);
    case EL_CITE_EO: return snprintf(buf, cap, "E.O. %ld", c->part);
    case EL_CITE_ECCN: return snprintf(buf, cap, "%s", c->code);
  }
  return snprintf(buf, cap, "?");
}

static int el_push_cite(el_term_result *r, const el_cite *c, int rule, size_t s, size_t e) {
  char buf[160];
  int len = el_cite_canonical(c, buf, sizeof(buf));
  if (len < 0) len = 0;
  if ((size_t)len >= sizeof(buf)) len = sizeof(buf) - 1;
  if (el_grow((void **)&r->pool, &r->pool_cap, r->pool_len + (size_t)len + 1, 1) ||
      el_grow((void **)&r->g, &r->gcap, r->ng + 1, sizeof(el_gcand))) {
    r->nomem = 1;
    return 1;
  }
  memcpy(r->pool + r->pool_len, buf, (size_t)len);
  r->pool[r->pool_len + (size_t)len] = 0;
  el_gcand *g = &r->g[r->ng];
  g->rule = rule;
  g->canon_off = r->pool_len;
  g->canon_len = (size_t)len;
  r->pool_len += (size_t)len + 1;
  return el_push_span(r, s, e, EL_ID_GRAM | (uint32_t)r->ng++, 2);
}

/* Run the scanner for trigger kind at [ts, te); pushes 0, 1 or more spans.
** Returns non-zero only when out of memory. */
static int el_run_trigger(el_term_result *r, const unsigned char *z, size_t n, int kind,
                          size_t ts, size_t te) {
  el_cite c;
  memset(&c, 0, sizeof(c));
  size_t ms = 0, me = 0;
  switch (kind) {
    case EL_T_ECCN:
      if ((me = el_eccn_at(z, n, ts, &c))) return el_push_cite(r, &c, EL_G_ECCN, ts, me);
      return 0;
    case EL_T_CFR:
      if (el_scan_cfr(z, n, ts, te, &c, &ms, &me)) return el_push_cite(r, &c, EL_G_CFR, ms, me);
      return 0;
    case EL_T_SECT:
      if (el_scan_section(z, n, ts, te, &c, &ms, &me)) return el_push_cite(r, &c, EL_G_CFR, ms, me);
      return 0;
    case EL_T_PART:
      if (el_scan_part(z, n, ts, te, &c, &ms, &me)) return el_push_cite(r, &c, EL_G_CFR, ms, me);
      return 0;
    case EL_T_SUPP:
      if (el_scan_supplement(z, n, ts, te, &c, &ms, &me))
        return el_push_cite(r, &c, EL_G_CFR, ms, me);
      return 0;
    case EL_T_FR:
      if (el_scan_fr(z, n, ts, te, &c, &ms, &me)) return el_push_cite(r, &c, EL_G_FR, ms, me);
      return 0;
    case EL_T_USC:
      if (el_scan_usc(z, n, ts, te, &c, &ms, &me)) return el_push_cite(r, &c, EL_G_USC, ms, me);
      return 0;
    case EL_T_EO:
      if (el_scan_eo(z, n, ts, te, &c, &ms, &me)) return el_push_cite(r, &c, EL_G_EO, ms, me);
      return 0;
    case EL_T_HS: {
      size_t i = el_hs_lead(z, n, te);
      size_t e = el_hs_code(z, n, i, &c);
      if (!e) return 0;
      if (el_push_cite(r, &c, EL_G_HS, ts, e)) return 1;
      /* a list: "8486, 8541 and 8542" */
      for (int more = 0; more < 50; more++) {
        size_t j = e, w;
        int sep = 0;
        if (j < n && z[j] == ',') { j++; sep = 1; }
        j = el_ws_fwd(z, n, j);
        if ((w = el_word_ci(z, n, j, "and")) || (w = el_word_ci(z, n, j, "or"))) {
          j = el_ws_fwd(z, n, w);
          sep = 1;
        }
        if (!sep) break;
        el_cite c2;
        memset(&c2, 0, sizeof(c2));
        size_t e2 = el_hs_code(z, n, j, &c2);
        if (!e2) break;
        if (el_push_cite(r, &c2, EL_G_HS, j, e2)) return 1;
        e = e2;
      }
      return 0;
    }
  }
  return 0;
}

typedef struct el_find_ctx {
  const el_terms *t;
  el_term_result *r;
  const unsigned char *z;
  size_t n;
} el_find_ctx;

static int el_is_space(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Does the tail of a gapped term start at i? Its end, or 0. A space in the
** tail matches a run of white space; a word character at its end needs a
** word boundary after it. */
static size_t el_tail_at(const unsigned char *z, size_t n, size_t i, const char *tail, int exact) {
  for (const unsigned char *p = (const unsigned char *)tail; *p; p++) {
    if (*p == ' ') {
      if (i >= n || !el_is_space(z[i])) return 0;
      while (i < n && el_is_space(z[i])) i++;
      continue;
    }
    if (i >= n || (exact ? z[i] != *p : el_lc(z[i]) != el_lc(*p))) return 0;
    i++;
  }
  return el_word_at(z, n, i) && el_word_before(z, i) ? 0 : i;
}

/* After a head [start, end) shared by the gapped terms of group g: skip up to
** their budget of words, looking at each word for the tail of every term not
** yet found; a word ending a sentence (".", "!", "?", ";" or ":" at its end,
** unless it holds another "." as "U.S." does) ends the search. Each term found
** pushes its span from the head to its tail, unless its tail is the first word
** of a name. One pass over the words whatever the number of terms. */
static int el_gap_tail(el_find_ctx *f, size_t start, size_t end, uint32_t id) {
  const el_terms *gt = f->t->base ? f->t->base : f->t;
  uint32_t g = id & ~(EL_ID_GAP | EL_ID_CI);
  if (g >= gt->ngroups) return 0;
  const uint32_t *mem = gt->gmem + gt->gfirst[g];
  size_t nm = gt->gfirst[g + 1] - gt->gfirst[g];
  uint64_t done = 0;
  int exact = !(id & EL_ID_CI), budget = 0;
  const char *tails[EL_GAP_GROUP_MAX];
  int words[EL_GAP_GROUP_MAX];
  for (size_t m = 0; m < nm; m++) {
    size_t hl;
    el_gap_split(el_lexicon_builtin[mem[m]].term, &hl, &tails[m], &words[m]);
    if (words[m] > budget) budget = words[m];
  }
  uint64_t all = nm == 64 ? ~(uint64_t)0 : (((uint64_t)1 << nm) - 1);
  const unsigned char *z = f->z;
  size_t n = f->n, i = end;
  for (int w = 0; w <= budget && done != all; w++) {
    if (i >= n || !el_is_space(z[i])) return 0;
    while (i < n && el_is_space(z[i])) i++;
    for (size_t m = 0; m < nm; m++) {
      if ((done >> m & 1) || w > words[m]) continue;
      size_t te = el_tail_at(z, n, i, tails[m], exact);
      if (!te) continue;
      done |= (uint64_t)1 << m;
      /* a capitalised tail followed by a capitalised word on its line starts
      ** a name ("a prohibition under the Export Administration Regulations") */
      size_t k = te;
      while (k < n && (z[k] == ' ' || z[k] == '\t')) k++;
      if (el_isupper(z[i]) && k > te && k < n && el_isupper(z[k])) continue;
      uint32_t sid = mem[m] | (exact ? 0 : EL_ID_CI);
      if (el_push_span(f->r, start, te, sid, f->t->defs[mem[m]].prio)) return 1;
    }
    size_t ws = i;
    while (i < n && !el_is_space(z[i])) i++;
    unsigned last = z[i - 1];
    if (last == '.' || last == '!' || last == '?' || last == ';' || last == ':') {
      int inner = 0;
      for (size_t k = ws; k + 1 < i; k++) inner |= z[k] == '.';
      if (!inner) return 0;
    }
  }
  return 0;
}

static int el_on_match(void *ctx, size_t start, size_t end, uint32_t id) {
  el_find_ctx *f = ctx;
  if (id & EL_ID_TRIG) return el_run_trigger(f->r, f->z, f->n, (int)(id & 0xff), start, end);
  if (id & EL_ID_GAP) return el_gap_tail(f, start, end, id);
  return el_push_span(f->r, start, end, id, f->t->defs[id & ~EL_ID_CI].prio);
}

/* ------------------------------------------------------------------------ */
/* Matches that are not terms                                                */

/* Acronyms this text defines as something else ("high-pressure compressor
** (HPC)"): their later uses are not the lexicon's acronym either. */
#define EL_MAX_REDEF 32
typedef struct el_redef {
  const char *rule[EL_MAX_REDEF];
  int n;
} el_redef;

/* Letters only in upper case (at least two), and no space: "CHIP". */
static int el_caps_word(const unsigned char *z, size_t a, size_t b) {
  int letters = 0;
  for (size_t i = a; i < b; i++) {
    if (el_islower(z[i]) || z[i] == ' ' || z[i] >= 0x80) return 0;
    if (el_isupper(z[i])) letters++;
  }
  return letters >= 2;
}

/* Does the word before a (dir < 0) or after b (dir > 0), within the same
** line, have a lower-case letter? */
static int el_neighbour_lower(const unsigned char *z, size_t n, size_t a, size_t b, int dir) {
  size_t i;
  if (dir < 0) {
    i = a;
    int gap = 0;
    while (i > 0 && !el_isupper(z[i - 1]) && !el_islower(z[i - 1])) {
      if (z[i - 1] == '\n' || ++gap > 3) return 0;
      i--;
    }
    while (i > 0 && (el_isupper(z[i - 1]) || el_islower(z[i - 1]))) {
      if (el_islower(z[i - 1])) return 1;
      i--;
    }
    return 0;
  }
  i = b;
  int gap = 0;
  while (i < n && !el_isupper(z[i]) && !el_islower(z[i])) {
    if (z[i] == '\n' || ++gap > 3) return 0;
    i++;
  }
  while (i < n && (el_isupper(z[i]) || el_islower(z[i]))) {
    if (el_islower(z[i])) return 1;
    i++;
  }
  return 0;
}

/* Every word starts with a capital: "Economic Security". */
static int el_title_case(const unsigned char *z, size_t a, size_t b) {
  for (size_t i = a; i < b; i++) {
    if ((i == a || z[i - 1] == ' ' || z[i - 1] == '-') && el_islower(z[i])) return 0;
  }
  return 1;
}

/* After b: " Act" or " (ABC) Act", the rest of a law's name. */
static int el_followed_by_act(const unsigned char *z, size_t n, size_t b) {
  size_t i = b;
  if (i < n && z[i] == ' ') i++;
  if (i < n && z[i] == '(') {
    size_t j = i + 1;
    while (j < n && j < i + 12 && (el_isupper(z[j]) || z[j] == '-' || z[j] == '.')) j++;
    if (j >= n || z[j] != ')' || j == i + 1) return 0;
    i = j + 1;
    if (i < n && z[i] == ' ') i++;
  }
  return i + 3 <= n && memcmp(z + i, "Act", 3) == 0 &&
         (i + 3 == n || !(el_isupper(z[i + 3]) || el_islower(z[i + 3])));
}

/* Do the words before position p (an opening parenthesis) have the letters
** of acr[0..len) as initials, in order, the last word last? Small words
** (of, and, the ...) may be skipped: "high-pressure compressor (HPC)". */
static int el_initials_spell(const unsigned char *z, size_t p, const unsigned char *acr, size_t len) {
  size_t need = len; /* letters of acr still to find, from the end */
  size_t i = p;
  int words = 0;
  while (need > 0 && words < (int)len + 4) {
    while (i > 0 && (z[i - 1] == ' ' || z[i - 1] == '-')) i--;
    size_t e = i;
    while (i > 0 && (el_isupper(z[i - 1]) || el_islower(z[i - 1]))) i--;
    if (i == e) return 0; /* not a word: punctuation or the start */
    words++;
    unsigned first = z[i] | 0x20, want = acr[need - 1] | 0x20;
    if (!el_islower(want)) return 0;
    if (first == want) {
      need--;
      continue;
    }
    int skip = 0;
    for (int k = 0; el_initials_small[k]; k++) /* initials_small_words.txt */
      if (strlen(el_initials_small[k]) == e - i &&
          strncasecmp((const char *)z + i, el_initials_small[k], e - i) == 0)
        skip = 1;
    if (!skip) return 0;
  }
  return need == 0;
}

/* A lexicon match that the context says is not the term:
** - a phrase of category "discard" ("medical countermeasures"), which has
**   won the longest-match over the term inside it;
** - a lower-case term written as a capitalised acronym in running text:
**   "the CHIP program" is not a chip;
** - an acronym this text defines with another long form: "(HPC)" after
**   "high-pressure compressor", and its later uses;
** - a policy phrase inside the name of a law: "... and Economic Security
**   (CARES) Act". */
static int el_not_a_term(const el_terms *t, const unsigned char *z, size_t n, const el_span *s,
                         const el_term_match *prev, el_redef *redef) {
  const el_tdef *d = &t->defs[s->id & ~EL_ID_CI];
  if (strcmp(d->category, "discard") == 0) return 1;
  if ((s->id & EL_ID_CI) && el_caps_word(z, s->start, s->end) &&
      (el_neighbour_lower(z, n, s->start, s->end, -1) || el_neighbour_lower(z, n, s->start, s->end, 1)))
    return 1;
  if (!(s->id & EL_ID_CI) && el_caps_word(z, s->start, s->end)) {
    for (int i = 0; i < redef->n; i++)
      if (redef->rule[i] == d->rule) return 1;
    if (s->start > 0 && z[s->start - 1] == '(' && s->end < n && z[s->end] == ')') {
      /* defined here, by words whose initials spell it: by its own long
      ** form (a match of the same rule just before), or by another */
      int own = prev && prev->rule == d->rule && prev->end + 3 >= s->start;
      if (!own && el_initials_spell(z, s->start - 1, z + s->start, s->end - s->start)) {
        if (redef->n < EL_MAX_REDEF) redef->rule[redef->n++] = d->rule;
        return 1;
      }
    }
  }
  if (strcmp(d->category, "policy") == 0 && el_title_case(z, s->start, s->end) &&
      el_followed_by_act(z, n, s->end))
    return 1;
  return 0;
}

int el_terms_find(const el_terms *t, const char *text, size_t n, el_term_result *r, char *err,
                  size_t errcap) {
  r->n = r->nspans = r->ng = r->pool_len = 0;
  r->nomem = r->toomany = 0;
  if (errcap) err[0] = 0;
  if (!text) n = 0;
  el_find_ctx f = {t, r, (const unsigned char *)text, n};
  if (n && (t->base ? el_ac_scan2(t->base->ac, t->ac, text, n, el_on_match, &f)
                    : el_ac_scan(t->ac, text, n, el_on_match, &f))) {
    if (!r->toomany) return 1;
    snprintf(err, errcap, "more than %u candidate matches in one text", EL_TERMS_MAX_MATCHES);
    return 2;
  }
  /* PCRE2's JIT reads the subject in 16-byte blocks and may look past its
  ** end: give the patterns a copy padded with zeros (memcheck stays quiet) */
  char *padded = NULL;
  if (t->nres) {
    padded = el_malloc(n + 64);
    if (!padded) return 1;
    if (n) memcpy(padded, text, n);
    memset(padded + n, 0, 64);
    text = padded;
  }
  /* one budget of counted steps for all the patterns over this text */
  unsigned long long budget = EL_RE_BUDGET(n);
  for (size_t k = 0; k < t->nres; k++) {
    el_regex_md *md = el_regex_md_new(t->res[k].re);
    if (!md) {
      el_free(padded);
      return 1;
    }
    el_regex_md_set_budget(md, &budget);
    size_t pos = 0, ms, me;
    while (pos <= n) {
      char rerr[160];
      int rc = el_regex_find(t->res[k].re, md, text ? text : "", n, pos, &ms, &me, rerr,
                             sizeof(rerr));
      if (rc < 0) {
        el_regex_md_free(md);
        el_free(padded);
        if (rc == -2) return 1;
        snprintf(err, errcap, "pattern of rule %s: %s", t->defs[t->res[k].def].rule, rerr);
        return 2;
      }
      if (rc == 0) break;
      if (me > ms && el_push_span(r, ms, me, t->res[k].def, 0)) {
        el_regex_md_free(md);
        el_free(padded);
        if (!r->toomany) return 1;
        snprintf(err, errcap, "more than %u candidate matches in one text", EL_TERMS_MAX_MATCHES);
        return 2;
      }
      if (me > pos) {
        pos = me;
      } else {
        pos++;
        while (pos < n && ((unsigned char)text[pos] & 0xC0) == 0x80) pos++;
      }
    }
    el_regex_md_free(md);
  }
  el_free(padded);
  text = (const char *)f.z;
  if (r->nomem) return 1;
  /* user terms and patterns may hold any bytes: keep whole characters only */
  const unsigned char *u = (const unsigned char *)text;
  size_t kept = 0;
  for (size_t i = 0; i < r->nspans; i++) {
    if (el_unit_boundary(u, n, r->spans[i].start) && el_unit_boundary(u, n, r->spans[i].end))
      r->spans[kept++] = r->spans[i];
  }
  r->nspans = kept;
  size_t k = el_span_resolve(r->spans, r->nspans);
  if (el_grow((void **)&r->m, &r->cap, k ? k : 1, sizeof(el_term_match))) return 1;
  el_redef redef = {{0}, 0};
  size_t out = 0;
  for (size_t i = 0; i < k; i++) {
    const el_span *s = &r->spans[i];
    if (!(s->id & EL_ID_GRAM) && el_not_a_term(t, u, n, s, out ? &r->m[out - 1] : NULL, &redef))
      continue;
    el_term_match *m = &r->m[out++];
    m->start = s->start;
    m->end = s->end;
    if (s->id & EL_ID_GRAM) {
      const el_gcand *g = &r->g[s->id & ~EL_ID_GRAM];
      m->category = el_grammar[g->rule].category;
      m->rule = el_grammar[g->rule].rule;
      m->canonical = r->pool + g->canon_off;
      m->canonical_len = g->canon_len;
    } else {
      const el_tdef *d = &t->defs[s->id & ~EL_ID_CI];
      m->category = d->category;
      m->rule = d->rule;
      m->canonical = d->canonical;
      m->canonical_len = strlen(d->canonical);
    }
  }
  r->n = out;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* eccn_parse / cfr_parse                                                    */

static const char *const el_eccn_categories[10] = {
  "Nuclear Materials, Facilities and Equipment, and Miscellaneous Items",
  "Special Materials and Related Equipment, Chemicals, Microorganisms, and Toxins",
  "Materials Processing",
  "Electronics",
  "Computers",
  "Telecommunications and Information Security",
  "Sensors and Lasers",
  "Navigation and Avionics",
  "Marine",
  "Aerospace and Propulsion",
};

static const char *el_eccn_group(unsigned g) {
  switch (g) {
    case 'A': return "Systems, Equipment and Components";
    case 'B': return "Test, Inspection and Production Equipment";
    case 'C': return "Material";
    case 'D': return "Software";
    case 'E': return "Technology";
    case 'x': case 'Y': return "any product group (series placeholder)";
  }
  return NULL;
}

static const char *el_eccn_reason(unsigned d) {
  switch (d) {
    case 0: return "national security";
    case 1: return "missile technology";
    case 2: return "nuclear nonproliferation";
    case 3: return "chemical and biological weapons";
    case 5: return "500 series";
    case 6: return "600 series (munitions)";
    case 9: return "anti-terrorism, crime control and other reasons";
  }
  return NULL;
}

/* trim ASCII white space */
static void el_trim(const char **z, size_t *n) {
  while (*n && ((*z)[0] == ' ' || (*z)[0] == '\t' || (*z)[0] == '\n' || (*z)[0] == '\r')) {
    (*z)++;
    (*n)--;
  }
  while (*n && ((*z)[*n - 1] == ' ' || (*z)[*n - 1] == '\t' || (*z)[*n - 1] == '\n' ||
                (*z)[*n - 1] == '\r'))
    (*n)--;
}

long el_eccn_json(const char *text, size_t n, char *out, size_t cap) {
  if (!text) return -1;
  el_trim(&text, &n);
  if (n == 0 || n > 64) return -1;
  const unsigned char *z = (const unsigned char *)text;
  if (n == 5 && memcmp(z, "EAR99", 5) == 0)
    return snprintf(out, cap,
                    "{\"eccn\":\"EAR99\",\"ear99\":true,\"category\":null,\"category_name\":null,"
                    "\"group\":null,\"group_name\":null,\"number\":null,\"reason\":null,"
                    "\"paragraphs\":[],\"is_600_series\":false,\"is_500_series\":false}");
  el_cite c;
  memset(&c, 0, sizeof(c));
  size_t e = el_eccn_at(z, n, 0, &c);
  if (e != n) return -1;
  char paras[160] = "";
  size_t pl = 0;
  for (size_t i = 5; i < n && pl + 8 < sizeof(paras);) {
    size_t j = i + 1;
    while (j < n && z[j] != '.') j++;
    int w = snprintf(paras + pl, sizeof(paras) - pl, "%s\"%.*s\"", pl ? "," : "", (int)(j - i - 1),
                     text + i + 1);
    if (w < 0 || (size_t)w >= sizeof(paras) - pl) break;
    pl += (size_t)w;
    i = j;
  }
  unsigned cat = z[0] - '0', grp = z[1], reason = z[2] - '0';
  const char *rs = el_eccn_reason(reason);
  return snprintf(out, cap,
                  "{\"eccn\":\"%s\",\"ear99\":false,\"category\":%u,\"category_name\":\"%s\","
                  "\"group\":\"%c\",\"group_name\":\"%s\",\"number\":\"%.3s\",\"reason\":\"%s\","
                  "\"paragraphs\":[%s],\"is_600_series\":%s,\"is_500_series\":%s}",
                  c.code, cat, el_eccn_categories[cat], grp, el_eccn_group(grp), text + 2,
                  rs ? rs : "", paras, reason == 6 ? "true" : "false",
                  reason == 5 ? "true" : "false");
}

/* Does trigger tr match at i of z (with its case and boundary rules)? */
static size_t el_trigger_at(const unsigned char *z, size_t n, size_t i, const el_trigger *tr) {
  size_t len = strlen(tr->word);
  if (i + len > n) return 0;
  for (size_t k = 0; k < len; k++) {
    unsigned a = z[i + k], b = (unsigned char)tr->word[k];
    if ((tr->flags & EL_AC_EXACT) ? a != b : el_lc(a) != el_lc(b)) return 0;
  }
  unsigned first = (unsigned char)tr->word[0], last = (unsigned char)tr->word[len - 1];
  int wf = el_isdigit(first) || el_islower(el_lc(first));
  int wl = el_isdigit(last) || el_islower(el_lc(last));
  if ((tr->flags & EL_AC_WB_START) && wf && el_word_before(z, i)) return 0;
  if ((tr->flags & EL_AC_WB_END) && wl && el_word_at(z, n, i + len)) return 0;
  return i + len;
}

long el_cite_json(const char *text, size_t n, char *out, size_t cap) {
  if (!text) return -1;
  el_trim(&text, &n);
  if (n == 0 || n > 256) return -1;
  const unsigned char *z = (const unsigned char *)text;
  for (size_t i = 0; i < n; i++) {
    for (size_t t = 0; t < EL_N_TRIGGERS; t++) {
      const el_trigger *tr = &el_triggers[t];
      if (tr->kind == EL_T_HS) continue;
      size_t te = el_trigger_at(z, n, i, tr);
      if (!te) continue;
      el_cite c;
      memset(&c, 0, sizeof(c));
      size_t ms = 0, me = 0;
      int ok = 0;
      switch (tr->kind) {
        case EL_T_CFR: ok = el_scan_cfr(z, n, i, te, &c, &ms, &me); break;
        case EL_T_SECT: ok = el_scan_section(z, n, i, te, &c, &ms, &me); break;
        case EL_T_PART: ok = el_scan_part(z, n, i, te, &c, &ms, &me); break;
        case EL_T_SUPP: ok = el_scan_supplement(z, n, i, te, &c, &ms, &me); break;
        case EL_T_FR: ok = el_scan_fr(z, n, i, te, &c, &ms, &me); break;
        case EL_T_USC: ok = el_scan_usc(z, n, i, te, &c, &ms, &me); break;
        case EL_T_EO: ok = el_scan_eo(z, n, i, te, &c, &ms, &me); break;
      }
      if (!ok || ms != 0 || me != n) continue;
      char canon[160];
      el_cite_canonical(&c, canon, sizeof(canon));
      char title[16] = "null", paras[64] = "null", section[48] = "null", supp[24] = "null";
      if (c.title) snprintf(title, sizeof(title), "%d", c.title);
      if (c.paras[0]) snprintf(paras, sizeof(paras), "\"%s\"", c.paras);
      if (c.section[0]) snprintf(section, sizeof(section), "\"%s\"", c.section);
      if (c.supplement) snprintf(supp, sizeof(supp), "%ld", c.supplement);
      if (c.kind == EL_CITE_FR)
        return snprintf(out, cap, "{\"kind\":\"FR\",\"volume\":%ld,\"page\":%ld,\"canonical\":\"%s\"}",
                        c.volume, c.page, canon);
      if (c.kind == EL_CITE_EO)
        return snprintf(out, cap, "{\"kind\":\"EO\",\"number\":%ld,\"canonical\":\"%s\"}",
                        c.part, canon);
      if (c.kind == EL_CITE_USC)
        return snprintf(out, cap,
                        "{\"kind\":\"USC\",\"title\":%s,\"section\":%s,\"paragraph\":%s,"
                        "\"canonical\":\"%s\"}",
                        title, section, paras, canon);
      return snprintf(out, cap,
                      "{\"kind\":\"CFR\",\"title\":%s,\"part\":%ld,\"section\":%s,\"paragraph\":%s,"
                      "\"supplement\":%s,\"canonical\":\"%s\"}",
                      title, c.part, section, paras, supp, canon);
    }
  }
  return -1;
}
