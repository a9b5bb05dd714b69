/*
** The exportlens tokenizer and sentence splitter (see el_tokenizer.h).
**
** The tokenizer is a hand-written scanner: at each position it looks at the
** class of the first character and runs the matching scanner (word, number,
** symbol, punctuation). Each scanner only moves forward, and the one scanner
** that may look ahead without consuming (e-mail detection) remembers where its
** last failed look-ahead ended, so the whole pass is linear in the input size.
*/
#include "el_tokenizer.h"

#include <string.h>

#include "../common/el_unicode.h"

/* ------------------------------------------------------------------------ */
/* Character helpers                                                         */

static inline int el_is_ascii_digit(unsigned c) { return c >= '0' && c <= '9'; }
static inline int el_is_ascii_alpha(unsigned c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
static inline int el_is_ascii_alnum(unsigned c) {
  return el_is_ascii_digit(c) || el_is_ascii_alpha(c);
}

/* Class (with flags) of the unit at z[i]; its length goes to *len. */
static inline unsigned el_cls_at(const unsigned char *z, size_t n, size_t i,
                                 size_t *len, int32_t *cp) {
  unsigned c = z[i];
  if (c < 0x80) {
    *len = 1;
    *cp = (int32_t)c;
    return el_uc_ascii[c];
  }
  *len = el_utf8_decode(z + i, n - i, cp);
  return el_uc_class(*cp);
}

static inline unsigned el_base_at(const unsigned char *z, size_t n, size_t i) {
  size_t len;
  int32_t cp;
  return el_cls_at(z, n, i, &len, &cp) & EL_CLS_MASK;
}

static inline int el_is_alnum_at(const unsigned char *z, size_t n, size_t i) {
  if (i >= n) return 0;
  unsigned b = el_base_at(z, n, i);
  return b == EL_CLS_LETTER || b == EL_CLS_DIGIT;
}

/* Right single quotation mark U+2019 (E2 80 99) or left U+2018 (E2 80 98). */
static inline int el_is_rsquo(const unsigned char *z, size_t n, size_t i) {
  return i + 2 < n && z[i] == 0xE2 && z[i + 1] == 0x80 && z[i + 2] == 0x99;
}
/* Length of an apostrophe at i (' or U+2019), or 0. */
static inline size_t el_apostrophe_len(const unsigned char *z, size_t n, size_t i) {
  if (i < n && z[i] == '\'') return 1;
  if (el_is_rsquo(z, n, i)) return 3;
  return 0;
}

/* Invisible format characters that may sit inside a word: soft hyphen,
** zero-width space/joiners, word joiner, BOM. */
static inline int el_is_invisible(int32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

static int el_is_currency(int32_t cp) {
  return cp == '$' || (cp >= 0xA2 && cp <= 0xA5) || (cp >= 0x20A0 && cp <= 0x20CF) ||
         cp == 0xFE69 || cp == 0xFF04 || cp == 0xFFE0 || cp == 0xFFE1 ||
         cp == 0xFFE5 || cp == 0xFFE6;
}

/* Word lists keep their lengths, so a look-up compares lengths first. */
typedef struct el_word {
  const char *s;
  size_t len;
} el_word;
#define W(x) {x, sizeof(x) - 1}

/* Does [z+a, z+b) equal the literal w? */
#define el_span_is(z, a, b, w) \
  ((b) - (a) == sizeof(w) - 1 && memcmp((z) + (a), (w), sizeof(w) - 1) == 0)

static int el_span_in(const unsigned char *z, size_t a, size_t b, const el_word *list) {
  size_t len = b - a;
  for (; list->s; list++)
    if (list->len == len && list->s[0] == (char)z[a] && memcmp(z + a, list->s, len) == 0)
      return 1;
  return 0;
}

/* The same, for a word in lower case or capitalised ("for", "For"; not
** "FOR", nor "A" as in "Division A"); list: lower case. */
static int el_span_in_lower_or_title(const unsigned char *z, size_t a, size_t b, const el_word *list) {
  size_t len = b - a;
  if (len == 0 || (len == 1 && z[a] >= 'A' && z[a] <= 'Z')) return 0;
  for (; list->s; list++) {
    if (list->len != len) continue;
    size_t i = z[a] + 32u == (unsigned char)list->s[0] ? 1 : 0;
    while (i < len && z[a + i] == (unsigned char)list->s[i]) i++;
    if (i == len) return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Word lists                                                                */

/* The abbreviations, sentence starters, pronouns, speech verbs, number
** suffixes and continuation words: the .txt files in ext/text/data,
** generated into el_text_words.h (the speech verbs are the one list that
** quotes() and entities() use too). */
#include "el_text_words.h"

/* ------------------------------------------------------------------------ */
/* Scanners                                                                  */

/* Digits, thousands groups and decimal parts from i; *pure is cleared when a
** separator was taken. Returns the end. */
static size_t el_scan_digits(const unsigned char *z, size_t n, size_t i, int *pure) {
  size_t j = i;
  while (j < n && el_is_ascii_digit(z[j])) j++;
  for (;;) {
    if (j + 3 < n + 0 && z[j] == ',' && el_is_ascii_digit(z[j + 1]) &&
        el_is_ascii_digit(z[j + 2]) && el_is_ascii_digit(z[j + 3]) &&
        (j + 4 >= n || !el_is_ascii_digit(z[j + 4]))) {
      j += 4;
      *pure = 0;
      continue;
    }
    if (j + 1 < n && z[j] == '.' && el_is_ascii_digit(z[j + 1])) {
      j += 2;
      while (j < n && el_is_ascii_digit(z[j])) j++;
      *pure = 0;
      continue;
    }
    break;
  }
  return j;
}

/* A run of letters and digits (any script) from i. */
static size_t el_scan_alnum(const unsigned char *z, size_t n, size_t i) {
  size_t len;
  int32_t cp;
  while (i < n) {
    unsigned b = el_cls_at(z, n, i, &len, &cp) & EL_CLS_MASK;
    if (b != EL_CLS_LETTER && b != EL_CLS_DIGIT) break;
    i += len;
  }
  return i;
}

/* Sub-paragraphs of a code: ".a", ".a.1" directly attached. */
static size_t el_scan_code_tail(const unsigned char *z, size_t n, size_t j) {
  while (j + 1 < n && z[j] == '.' && el_is_ascii_alnum(z[j + 1]))
    j = el_scan_alnum(z, n, j + 1);
  return j;
}

/* Magnitude suffix directly after a money amount ("$5bn", "$20m"). */
static size_t el_scan_magnitude(const unsigned char *z, size_t n, size_t j) {
  static const el_word sfx[] = {W("bn"), W("mn"), W("m"), W("k"), W("b"), W("tn"),
                                W("trn"), W("M"), W("B"), W("K"), W("T"), {NULL, 0}};
  size_t k = j;
  while (k < n && el_is_ascii_alpha(z[k])) k++;
  if (k > j && (k >= n || !el_is_alnum_at(z, n, k)) && el_span_in(z, j, k, sfx))
    return k;
  return j;
}

/* Does a URL start at i? (http://, https://, ftp://, www.; any case) */
static int el_url_start(const unsigned char *z, size_t n, size_t i) {
#define EL_LC(k) (i + (k) < n ? (unsigned)(z[i + (k)] | 0x20) : 0u)
  size_t k;
  switch (EL_LC(0)) {
    case 'h':
      if (EL_LC(1) != 't' || EL_LC(2) != 't' || EL_LC(3) != 'p') return 0;
      k = EL_LC(4) == 's' ? 5 : 4;
      break;
    case 'f':
      if (EL_LC(1) != 't' || EL_LC(2) != 'p') return 0;
      k = 3;
      break;
    case 'w':
      if (EL_LC(1) != 'w' || EL_LC(2) != 'w' || i + 4 >= n || z[i + 3] != '.') return 0;
      return el_is_ascii_alnum(z[i + 4]);
    default:
      return 0;
  }
#undef EL_LC
  return i + k + 3 < n && z[i + k] == ':' && z[i + k + 1] == '/' && z[i + k + 2] == '/' &&
         el_is_ascii_alnum(z[i + k + 3]);
}

static size_t el_scan_url(const unsigned char *z, size_t n, size_t i) {
  size_t j = i, len;
  int32_t cp;
  while (j < n) {
    unsigned c = z[j];
    if (c < 0x80) {
      if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == 0x7F) break;
      j++;
      continue;
    }
    unsigned b = el_cls_at(z, n, j, &len, &cp) & EL_CLS_MASK;
    if (b == EL_CLS_SPACE || b == EL_CLS_OTHER) break;
    if (cp >= 0x2018 && cp <= 0x201F) break; /* curly quotes close a URL */
    j += len;
  }
  /* Trailing punctuation belongs to the sentence, not the URL. */
  while (j > i + 1 && strchr(".,;:!?)]}'", z[j - 1]) != NULL) j--;
  return j;
}

/* Characters at which a word may turn out to be an e-mail address. */
static inline int el_is_email_stop(unsigned c) {
  return c == '.' || c == '@' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int el_is_local_char(unsigned c) {
  return el_is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
         c == '-';
}

/* An e-mail address at i? Returns its end, or 0 and the end of the scanned
** local part in *scanned. */
static size_t el_scan_email(const unsigned char *z, size_t n, size_t i, size_t *scanned) {
  size_t j = i;
  while (j < n && el_is_local_char(z[j])) j++;
  *scanned = j;
  if (j >= n || z[j] != '@' || j == i) return 0;
  size_t k = j + 1, labels = 0, last = k;
  for (;;) {
    size_t a = k;
    while (k < n && (el_is_ascii_alnum(z[k]) || z[k] == '-')) k++;
    if (k == a) return 0;
    labels++;
    last = a;
    if (k + 1 < n && z[k] == '.' && el_is_ascii_alnum(z[k + 1])) {
      k++;
      continue;
    }
    break;
  }
  if (labels < 2 || k - last < 2) return 0;
  for (size_t q = last; q < k; q++)
    if (!el_is_ascii_alpha(z[q])) return 0;
  return k;
}

/* A word, code, abbreviation or "US$" amount starting with a letter at i. */
static size_t el_scan_word(el_tokenizer *t, size_t i, uint8_t *kind, uint8_t *flags) {
  const unsigned char *z = t->z;
  size_t n = t->n, j = i, len;
  int32_t cp;
  int nletters = 0, all_upper = 1, has_digit = 0;

  for (;;) {
    /* Fast path: most of a word is ASCII lower case. */
    size_t run = j;
    while (j < n && (unsigned)(z[j] - 'a') < 26u) j++;
    if (j > run) {
      all_upper = 0;
      nletters += (int)(j - run);
    }
    if (j >= n) break;
    if ((unsigned)(z[j] - 'A') < 26u) {
      nletters++;
      j++;
      continue;
    }
    unsigned cls = el_cls_at(z, n, j, &len, &cp);
    unsigned b = cls & EL_CLS_MASK;
    if (b == EL_CLS_LETTER) {
      if (!(cls & (EL_CF_UPPER | EL_CF_MARK))) all_upper = 0;
      nletters++;
      j += len;
      continue;
    }
    if (b == EL_CLS_DIGIT) {
      has_digit = 1;
      j += len;
      continue;
    }
    if (el_is_invisible(cp) && j + len < n && el_base_at(z, n, j + len) == EL_CLS_LETTER) {
      j += len; /* semi<SHY>conductor: soft hyphens and zero-width marks stay inside */
      continue;
    }
    size_t alen = el_apostrophe_len(z, n, j);
    if (alen && j + alen < n && el_base_at(z, n, j + alen) == EL_CLS_LETTER) {
      size_t k = j + alen;
      /* The possessive (or "it's") clitic becomes a token of its own. */
      if ((z[k] == 's' || z[k] == 'S') && !el_is_alnum_at(z, n, k + 1)) break;
      all_upper = 0;
      j = k;
      continue;
    }
    break;
  }
  *kind = has_digit ? EL_CODE : EL_WORD;

  if (!has_digit && all_upper && nletters <= 3 && j + 1 < n && z[j] == '$' &&
      el_is_ascii_digit(z[j + 1])) {
    int pure = 1;
    *kind = EL_MONEY;
    return el_scan_magnitude(z, n, el_scan_digits(z, n, j + 1, &pure));
  }
  if (!has_digit && all_upper && nletters <= 5 && j + 1 < n && z[j] == '-' &&
      el_is_ascii_digit(z[j + 1])) {
    *kind = EL_CODE; /* COVID-19, F-35, MG-8769, H-1B */
    return el_scan_code_tail(z, n, el_scan_alnum(z, n, j + 1));
  }
  if (has_digit) return el_scan_code_tail(z, n, j);

  if (j < n && z[j] == '.') {
    if (nletters == 1 && j + 2 < n && el_is_ascii_alpha(z[j + 1]) && z[j + 2] == '.') {
      j++; /* U.S., U.K., e.g., a.m. */
      while (j + 1 < n && el_is_ascii_alpha(z[j]) && z[j + 1] == '.' &&
             !el_is_alnum_at(z, n, j + 2 < n ? j + 2 : n)) {
        j += 2;
        if (j + 1 >= n || !el_is_ascii_alpha(z[j]) || z[j + 1] != '.') break;
      }
      *flags |= EL_TF_ABBREV | EL_TF_MAY_END | EL_TF_DOTTED;
      return j;
    }
    if (nletters == 1 && (*flags & EL_TF_UPPER)) {
      /* an initial: "J. Smith"; "I." may also be the pronoun ending a sentence */
      *flags |= EL_TF_ABBREV | (z[i] == 'I' ? EL_TF_MAY_END : 0);
      return j + 1;
    }
    if (el_span_in(z, i, j, el_abbrev_end)) {
      *flags |= EL_TF_ABBREV | EL_TF_MAY_END;
      return j + 1;
    }
    if (el_span_in(z, i, j, el_abbrev_inner)) {
      *flags |= EL_TF_ABBREV;
      return j + 1;
    }
    if (el_span_is(z, i, j, "No") || el_span_is(z, i, j, "no") ||
        el_span_is(z, i, j, "Nos")) {
      /* "No. 5", "Patent No. RE 48,629", but not "Say no. Then". */
      size_t k = j + 1;
      while (k < n && z[k] == ' ') k++;
      if (k < n && (el_is_ascii_digit(z[k]) ||
                    (k + 1 < n && (unsigned)(z[k] - 'A') < 26u &&
                     ((unsigned)(z[k + 1] - 'A') < 26u || el_is_ascii_digit(z[k + 1]))))) {
        *flags |= EL_TF_ABBREV;
        return j + 1;
      }
    }
  }
  /* Only a word that took nothing beyond its letters can be plain. */
  if (!has_digit && !all_upper && nletters == (int)(j - i) && !(*flags & EL_TF_UPPER)) {
    /* j - i letters in j - i bytes, none upper case: plain ASCII lower case,
    ** unless an upper-case letter hides inside; check the (short) span. */
    size_t k = i;
    while (k < j && (unsigned)(z[k] - 'a') < 26u) k++;
    if (k == j) *flags |= EL_TF_PLAIN;
  }
  return j;
}

/* A number, percentage, ordinal, code or reference starting with a digit. */
static size_t el_scan_number(el_tokenizer *t, size_t i, uint8_t *kind) {
  const unsigned char *z = t->z;
  size_t n = t->n;
  int pure = 1;
  if (!el_is_ascii_digit(z[i])) { /* digits of another script */
    *kind = EL_NUMBER;
    return el_scan_alnum(z, n, i);
  }
  size_t j = el_scan_digits(z, n, i, &pure);
  size_t ndig = j - i;
  *kind = EL_NUMBER;
  if (j < n && z[j] == '%') {
    *kind = EL_PERCENT;
    return j + 1;
  }
  if (j < n && el_base_at(z, n, j) == EL_CLS_LETTER) {
    static const el_word ord[] = {W("st"), W("nd"), W("rd"), W("th"), W("ST"), W("ND"),
                                  W("RD"), W("TH"), {NULL, 0}};
    size_t k = j;
    while (k < n && el_is_ascii_alpha(z[k])) k++;
    if (k > j && !el_is_alnum_at(z, n, k) &&
        (el_span_in(z, j, k, ord) || el_span_in(z, j, k, el_num_suffix) ||
         (pure && el_span_is(z, j, k, "s")))) {
      return k; /* 21st, 1990s, 1.5bn, 300m, 5pm */
    }
    *kind = EL_CODE; /* 3A090, 5G, 0A521.b */
    return el_scan_code_tail(z, n, el_scan_alnum(z, n, j));
  }
  if (pure && ndig == 4 && j + 6 <= n && z[j] == '-' && el_is_ascii_digit(z[j + 1])) {
    size_t k = j + 1;
    while (k < n && el_is_ascii_digit(z[k])) k++;
    if (k - j - 1 >= 5 && !el_is_alnum_at(z, n, k)) {
      *kind = EL_REFERENCE; /* Federal Register document number 2022-21713 */
      return k;
    }
  }
  if (pure && ndig >= 8) *kind = EL_REFERENCE; /* 2205260028 */
  return j;
}

void el_tokenizer_init(el_tokenizer *t, const char *z, size_t n) {
  memset(t, 0, sizeof(*t));
  t->z = (const unsigned char *)z;
  t->n = z ? n : 0;
}

int el_tokenizer_next(el_tokenizer *t, el_token *tok) {
  const unsigned char *z = t->z;
  size_t n = t->n, i = t->pos, len = 1, end;
  unsigned nl = 0, cls = 0;
  int space = (i == 0);
  int32_t cp = 0;
  uint8_t kind, flags;

  while (i < n) {
    unsigned c = z[i];
    if (c < 0x80) {
      cls = el_uc_ascii[c];
      if ((cls & EL_CLS_MASK) > EL_CLS_SPACE) {
        len = 1;
        cp = (int32_t)c;
        break;
      }
      if (c == '\n' || (c == '\r' && !(i + 1 < n && z[i + 1] == '\n'))) nl++;
      space = 1;
      i++;
      continue;
    }
    len = el_utf8_decode(z + i, n - i, &cp);
    cls = el_uc_class(cp);
    if ((cls & EL_CLS_MASK) > EL_CLS_SPACE) break;
    if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) nl++;
    space = 1;
    i += len;
  }
  if (i >= n) {
    t->pos = n;
    return 0;
  }

  flags = space ? EL_TF_SPACE_BEFORE : 0;
  if (cls & EL_CF_UPPER) flags |= EL_TF_UPPER;
  else if (cls & EL_CF_LOWER) flags |= EL_TF_LOWER;

  switch (cls & EL_CLS_MASK) {
    case EL_CLS_LETTER:
    case EL_CLS_DIGIT: {
      size_t scanned, email;
      if (el_url_start(z, n, i)) {
        kind = EL_URL;
        end = el_scan_url(z, n, i);
        break;
      }
      if ((cls & EL_CLS_MASK) == EL_CLS_LETTER) end = el_scan_word(t, i, &kind, &flags);
      else end = el_scan_number(t, i, &kind);
      /* An e-mail address is tried only where the word or number stopped at
      ** a character an address may contain, or took one (U.S., 3.5). */
      if (el_is_ascii_alnum(z[i]) && i >= t->no_at_until &&
          ((end < n && el_is_email_stop(z[end])) ||
           kind != EL_WORD || (flags & EL_TF_ABBREV))) {
        email = el_scan_email(z, n, i, &scanned);
        if (email) {
          kind = EL_EMAIL;
          flags &= (uint8_t) ~(EL_TF_ABBREV | EL_TF_MAY_END | EL_TF_DOTTED);
          end = email;
        } else {
          t->no_at_until = scanned;
        }
      }
      break;
    }
    case EL_CLS_SYMBOL:
      kind = EL_SYMBOL;
      end = i + len;
      if (el_is_currency(cp) && end < n && el_is_ascii_digit(z[end])) {
        int pure = 1;
        kind = EL_MONEY;
        end = el_scan_magnitude(z, n, el_scan_digits(z, n, end, &pure));
      }
      break;
    default: /* EL_CLS_PUNCT */
      kind = EL_PUNCT;
      end = i + len;
      if ((z[i] == '\'' || el_is_rsquo(z, n, i)) && t->has_last && t->last_end == i &&
          (t->last_kind == EL_WORD || t->last_kind == EL_CODE) && end < n &&
          (z[end] == 's' || z[end] == 'S') && !el_is_alnum_at(z, n, end + 1)) {
        kind = EL_WORD; /* the clitic 's */
        flags = (uint8_t)((flags & EL_TF_SPACE_BEFORE) | EL_TF_CLITIC | EL_TF_LOWER);
        end++;
      } else if (z[i] == '.' || z[i] == '-') {
        while (end < n && z[end] == z[i]) end++; /* "..." and "--" */
      }
      break;
  }

  tok->start = i;
  tok->end = end;
  tok->kind = kind;
  tok->flags = flags;
  tok->nl_before = (uint8_t)(nl > 2 ? 2 : nl);
  t->pos = end;
  t->last_end = end;
  t->last_kind = kind;
  t->has_last = 1;
  return 1;
}

const char *el_kind_name(int kind) {
  static const char *const names[EL_KIND_COUNT] = {
    "word", "number", "percent", "money", "punct", "symbol", "url", "email", "code",
    "reference"};
  return kind >= 0 && kind < EL_KIND_COUNT ? names[kind] : "unknown";
}

size_t el_token_norm(const unsigned char *z, const el_token *tok, int mode,
                     char *out, size_t cap) {
  size_t o = 0, i = tok->start, len;
  int drop_dots = (tok->flags & EL_TF_ABBREV) && !(mode & EL_NORM_KEEP_DOTS);
  int fts = (mode & EL_NORM_FTS) != 0;
  unsigned char buf[4];
  int32_t cp;
  while (i < tok->end) {
    unsigned c = z[i];
    if (c < 0x80) {
      i++;
      if (drop_dots && c == '.') continue;
      if (c >= 'A' && c <= 'Z') c += 32;
      if (o < cap) out[o] = (char)c;
      o++;
      continue;
    }
    len = el_utf8_decode(z + i, tok->end - i, &cp);
    i += len;
    if (cp == EL_UC_INVALID || el_is_invisible(cp)) continue;
    const el_uc_record *r = el_uc_lookup(cp);
    if (fts && (r->cls & EL_CF_MARK)) continue;
    size_t l = el_utf8_encode(cp + (fts ? r->nodiac : r->fold), buf);
    for (size_t k = 0; k < l; k++, o++)
      if (o < cap) out[o] = (char)buf[k];
  }
  return o;
}

/* ------------------------------------------------------------------------ */
/* Sentence splitter                                                         */

#define EL_PEEK(s, k) (&(s)->win[((s)->head + (k)) % EL_SEG_WINDOW])

static void el_seg_fill(el_segmenter *s) {
  while (!s->eof && s->count < EL_SEG_WINDOW) {
    el_token *slot = EL_PEEK(s, s->count);
    if (el_tokenizer_next(&s->tk, slot)) s->count++;
    else s->eof = 1;
  }
}

void el_segmenter_init(el_segmenter *s, const char *z, size_t n) {
  memset(s, 0, sizeof(*s));
  el_tokenizer_init(&s->tk, z, n);
  s->hold = -1;
}

static int el_tok_in(const el_segmenter *s, const el_token *t, const el_word *l) {
  return el_span_in(s->tk.z, t->start, t->end, l);
}

/* Terminal punctuation: 0 none, EL_T_PERIOD (".", "...." and longer runs),
** EL_T_MARK ("!", "?", "‼", "‽") or EL_T_ELLIPSIS ("...", "…"). */
#define EL_T_PERIOD 1
#define EL_T_MARK 2
#define EL_T_ELLIPSIS 3
static int el_terminal_type(const el_segmenter *s, const el_token *t) {
  if (t->kind != EL_PUNCT) return 0;
  const unsigned char *z = s->tk.z + t->start;
  size_t len = t->end - t->start;
  if (z[0] == '.') return len == 3 ? EL_T_ELLIPSIS : EL_T_PERIOD;
  if (len == 1 && (z[0] == '!' || z[0] == '?')) return EL_T_MARK;
  if (len == 3 && z[0] == 0xE2 && z[1] == 0x80 && z[2] == 0xA6) return EL_T_ELLIPSIS;
  if (len == 3 && z[0] == 0xE2 && z[1] == 0x80 && (z[2] == 0xBC || z[2] == 0xBD))
    return EL_T_MARK;
  return 0;
}

static int el_is_dot(const el_segmenter *s, const el_token *t) {
  return t->kind == EL_PUNCT && t->end - t->start == 1 && s->tk.z[t->start] == '.';
}

/* Bullets that start list items: • ‣ ⁃ ◦ ▪ ● (and, at a sentence start, - and *). */
static int el_is_bullet(const el_segmenter *s, const el_token *t, int at_start) {
  const unsigned char *z = s->tk.z + t->start;
  size_t len = t->end - t->start;
  if (t->kind != EL_PUNCT && t->kind != EL_SYMBOL) return 0;
  if (len == 1) return at_start && (z[0] == '*' || z[0] == '-');
  if (len != 3) return 0;
  if (z[0] == 0xE2 && z[1] == 0x80 && (z[2] == 0xA2 || z[2] == 0xA3)) return 1; /* • ‣ */
  if (z[0] == 0xE2 && z[1] == 0x81 && z[2] == 0x83) return 1;                    /* ⁃ */
  if (z[0] == 0xE2 && z[1] == 0x97 && (z[2] == 0xA6 || z[2] == 0x8F)) return 1; /* ◦ ● */
  if (z[0] == 0xE2 && z[1] == 0x96 && z[2] == 0xAA) return 1;                    /* ▪ */
  return 0;
}

/* A list marker starting at window slot k ("1.", "1)", "1.)", "a.", "b)",
** "•", "• 9."), followed by white space: returns its length in tokens, or 0.
** *kind tells markers of one list from others (the bullet, or digits/letter
** with its punctuation); *value is the item's number (a = 1) or 0 for a
** bullet. *kind is 0 exactly when there is no marker. */
static int el_marker_at(const el_segmenter *s, int k, int at_start, int *kind, long *value) {
  int m = 0;
  *kind = 0;
  *value = 0;
  if (k >= s->count) return 0;
  const el_token *t = EL_PEEK(s, k);
  if (el_is_bullet(s, t, at_start)) {
    const unsigned char *z = s->tk.z + t->start;
    *kind = 0x1000000 | (int)z[0] << 16 | (t->end - t->start > 1 ? (int)z[2] << 8 : 0);
    m = 1;
    if (k + 1 >= s->count) return m;
    t = EL_PEEK(s, k + 1);
    if (!(t->flags & EL_TF_SPACE_BEFORE)) {
      *kind = 0;
      return 0;
    }
  }
  size_t len = t->end - t->start;
  const unsigned char *tz = s->tk.z + t->start;
  int is_num = t->kind == EL_NUMBER && len <= 3;
  for (size_t q = 0; is_num && q < len; q++)
    if (!el_is_ascii_digit(tz[q])) is_num = 0;
  int is_letter = t->kind == EL_WORD && len == 1 && (t->flags & EL_TF_LOWER) &&
                  el_is_ascii_alpha(tz[0]);
  if (!is_num && !is_letter) return m;
  int j = k + m + 1, punct = 0;
  while (j < s->count && punct < 0x10000) {
    const el_token *u = EL_PEEK(s, j);
    if (u->flags & EL_TF_SPACE_BEFORE) break;
    if (u->kind != EL_PUNCT || u->end - u->start != 1) return m;
    unsigned c = s->tk.z[u->start];
    if (!(c == ')' || (c == '.' && punct == 0))) return m;
    punct = punct << 8 | (int)c;
    j++;
  }
  if (punct == 0) return m;
  if (j < s->count && !(EL_PEEK(s, j)->flags & EL_TF_SPACE_BEFORE)) return m;
  if (m == 0) {
    *kind = (is_num ? 'n' : 'a') << 16 | punct;
    if (is_num)
      for (size_t q = 0; q < len; q++) *value = *value * 10 + (tz[q] - '0');
    else
      *value = (tz[0] | 0x20) - 'a' + 1;
  }
  return j - k;
}

/* Closing quotes and brackets; *quote is set for quotation marks. */
static int el_is_closer(const el_segmenter *s, const el_token *t, int *quote) {
  if (t->kind != EL_PUNCT) return 0;
  const unsigned char *z = s->tk.z + t->start;
  size_t len = t->end - t->start;
  if (len == 1 && (z[0] == '"' || z[0] == '\'')) {
    *quote = 1;
    return 1;
  }
  if (len == 1 && (z[0] == ')' || z[0] == ']' || z[0] == '}')) return 1;
  if (len == 3 && z[0] == 0xE2 && z[1] == 0x80 && (z[2] == 0x99 || z[2] == 0x9D)) {
    *quote = 1; /* ’ ” */
    return 1;
  }
  if (len == 2 && z[0] == 0xC2 && z[1] == 0xBB) { /* » */
    *quote = 1;
    return 1;
  }
  return 0;
}

static int el_is_opener(const el_segmenter *s, const el_token *t) {
  if (t->kind != EL_PUNCT) return 0;
  const unsigned char *z = s->tk.z + t->start;
  size_t len = t->end - t->start;
  if (len == 1) return z[0] == '"' || z[0] == '(' || z[0] == '[' || z[0] == '\'';
  return len == 3 && z[0] == 0xE2 && z[1] == 0x80 && (z[2] == 0x9C || z[2] == 0x98);
}

static int el_is_open_quote(const el_segmenter *s, const el_token *t) {
  const unsigned char *z = s->tk.z + t->start;
  return t->kind == EL_PUNCT && ((t->end - t->start == 1 && z[0] == '"') ||
                                 (t->end - t->start == 3 && z[0] == 0xE2 && z[1] == 0x80 &&
                                  z[2] == 0x9C));
}

/* “Where do we go?” Terry said. / “...?” Sue Mi Terry said. */
static int el_attribution_at(const el_segmenter *s, int k) {
  const el_token *u = EL_PEEK(s, k);
  if (u->kind != EL_WORD || !(u->flags & EL_TF_UPPER) || el_tok_in(s, u, el_pronouns))
    return 0;
  for (int m = k + 1; m < s->count && m <= k + 3; m++) {
    const el_token *v = EL_PEEK(s, m);
    if (v->kind == EL_WORD && el_tok_in(s, v, el_speech_verbs)) return 1;
    if (v->kind != EL_WORD || !(v->flags & EL_TF_UPPER)) return 0;
  }
  return 0;
}

/* Called for the token at the head of the window: does a sentence end after
** it (returns 1), after the closing marks that follow it (sets s->hold), or
** not at all? */
static int el_seg_decide(el_segmenter *s) {
  const el_token *t = EL_PEEK(s, 0);
  int quote = 0, k;
  int abbrev = (t->flags & EL_TF_ABBREV) != 0;
  int type = abbrev ? 0 : el_terminal_type(s, t);
  if (!abbrev && !type) return 0;
  /* Spaced dots: ". . ." is an ellipsis, ". . . ." an ellipsis and a period. */
  if (type == EL_T_PERIOD && s->dot_run == 3) type = EL_T_ELLIPSIS;
  for (k = 1; k < s->count; k++) {
    const el_token *u = EL_PEEK(s, k);
    if (u->flags & EL_TF_SPACE_BEFORE) break;
    if (el_is_closer(s, u, &quote)) continue;
    int t2 = el_terminal_type(s, u);
    if (t2) {
      /* "U.S.?", "?!", "…." : the strongest mark of the run decides */
      abbrev = 0;
      if (t2 != EL_T_ELLIPSIS || !type) type = t2;
      continue;
    }
    break;
  }
  if (k >= s->count) {
    if (s->eof) return 0; /* end of text */
    s->hold = k - 1;      /* more closing marks than the window holds: end here */
    return 0;
  }
  const el_token *u = EL_PEEK(s, k);
  if (!(u->flags & EL_TF_SPACE_BEFORE)) return 0;
  if (u->nl_before == 0) {
    if (abbrev) {
      if (!(t->flags & EL_TF_MAY_END)) return 0;
      if (!(u->kind == EL_WORD && el_tok_in(s, u, el_starters)) && !el_is_open_quote(s, u))
        return 0;
    } else {
      /* An ellipsis marks an omission, not an end ("is . . . I didn't"). */
      if (type == EL_T_ELLIPSIS) return 0;
      if (u->flags & EL_TF_LOWER) return 0;
      if (u->kind == EL_PUNCT && !el_is_opener(s, u)) return 0; /* ". ," */
      if (type == EL_T_MARK && quote && el_attribution_at(s, k)) return 0;
    }
  } else if (abbrev && !(t->flags & EL_TF_MAY_END)) {
    return 0; /* "Dr.\nSmith"; a blank line still ends it (el_seg_newline) */
  }
  if (k == 1) return 1;
  s->hold = k - 1;
  return 0;
}

/* Hard-wrapped text (e-mail, plain-text news, copied columns): lines broken
** at a fixed width, so a single line break inside a sentence can come before
** a capital ("European Trade\nCommissioner Valdis Dombrovskis"). The break
** between words a and b is taken for a wrap when the next word would not
** have fitted on the line (the line, a space and the word are longer than
** the longest line nearby), and the text around looks wrapped: at least two
** other lines nearby are nearly that long. Lines under 40 characters are the
** rows of a table or a list ("CHICAGO AT TORONTO"), each its own sentence. A
** title line is shorter than the text's width, and a paragraph of unwrapped
** text is one long line, so both still end there. Each look is bounded:
** EL_WRAP_LINES lines each way, a line longer than EL_WRAP_MAX_LINE is not a
** wrapped line, and line lengths are kept for the next break (el_line_memo). */
#define EL_WRAP_LINES 6
#define EL_WRAP_MIN_WIDTH 40 /* narrower lines are a list or a table's rows */
#define EL_WRAP_MAX_LINE 400

/* Characters of z[a..b), trailing white space left out; -1 when longer than
** EL_WRAP_MAX_LINE. */
static long el_line_chars(const unsigned char *z, size_t a, size_t b) {
  while (b > a && (z[b - 1] == ' ' || z[b - 1] == '\t' || z[b - 1] == '\r')) b--;
  if (b - a > 4 * EL_WRAP_MAX_LINE) return -1;
  long n = 0;
  for (size_t i = a; i < b; i++) n += (z[i] & 0xC0) != 0x80;
  return n > EL_WRAP_MAX_LINE ? -1 : n;
}

static el_line_memo *el_line_keep(el_segmenter *s, size_t start, size_t end, long chars) {
  el_line_memo *m = &s->lines[s->lines_next];
  s->lines_next = (s->lines_next + 1) % EL_LINE_MEMO;
  m->start = start;
  m->end = end;
  m->chars = chars;
  return m;
}

/* A remembered line that ends (by_end) or starts at offset at, the newest
** first; NULL when none is. */
static const el_line_memo *el_line_recall(const el_segmenter *s, size_t at, int by_end) {
  for (int j = 1; j <= EL_LINE_MEMO; j++) {
    const el_line_memo *m = &s->lines[(s->lines_next + EL_LINE_MEMO - j) % EL_LINE_MEMO];
    if (m->end > m->start && (by_end ? m->end : m->start) == at) return m;
  }
  return NULL;
}

/* The line that ends at the line break at offset e (e > 0, z[e] == '\n'),
** or NULL when it is longer than EL_WRAP_MAX_LINE could be. */
static const el_line_memo *el_line_ending(el_segmenter *s, size_t e) {
  const el_line_memo *m = el_line_recall(s, e, 1);
  if (m) return m;
  const unsigned char *z = s->tk.z;
  size_t lim = e > 4 * EL_WRAP_MAX_LINE ? e - 4 * EL_WRAP_MAX_LINE : 0, i = e;
  while (i > lim && z[i - 1] != '\n') i--;
  if (i == lim && lim > 0) return NULL;
  return el_line_keep(s, i, e, el_line_chars(z, i, e));
}

/* The line that starts at offset st (st < n). */
static const el_line_memo *el_line_starting(el_segmenter *s, size_t st) {
  const el_line_memo *m = el_line_recall(s, st, 0);
  if (m) return m;
  const unsigned char *z = s->tk.z;
  size_t n = s->tk.n, span = n - st < 4 * EL_WRAP_MAX_LINE + 1 ? n - st : 4 * EL_WRAP_MAX_LINE + 1;
  const unsigned char *q = memchr(z + st, '\n', span);
  size_t en = q ? (size_t)(q - z) : st + span;
  return el_line_keep(s, st, en, el_line_chars(z, st, en));
}

static int el_seg_wrapped(el_segmenter *s, const el_token *a, const el_token *b) {
  const unsigned char *z = s->tk.z;
  size_t n = s->tk.n, nl = b->start;
  /* the last '\n' of the gap (none when the break is a lone '\r') */
  while (nl > a->end && z[nl - 1] != '\n') nl--;
  if (nl == a->end) return 0;
  nl--;
  const el_line_memo *cur = el_line_ending(s, nl);
  if (!cur || cur->chars <= 0) return 0;
  long word = el_line_chars(z, b->start, b->end);
  if (word < 0) return 0;
  /* the lines nearby: EL_WRAP_LINES before this one, and from b's on */
  long len[2 * EL_WRAP_LINES];
  int nlen = 0;
  size_t e = cur->start;
  for (int k = 0; k < EL_WRAP_LINES && e > 0; k++) {
    const el_line_memo *m = el_line_ending(s, e - 1);
    if (!m || m->chars < 0) return 0;
    len[nlen++] = m->chars;
    e = m->start;
  }
  size_t st = nl + 1;
  for (int k = 0; k < EL_WRAP_LINES && st < n; k++) {
    const el_line_memo *m = el_line_starting(s, st);
    if (m->chars < 0) return 0;
    len[nlen++] = m->chars;
    st = m->end + 1;
  }
  long width = cur->chars;
  for (int k = 0; k < nlen; k++)
    if (len[k] > width) width = len[k];
  if (width < EL_WRAP_MIN_WIDTH) return 0;
  if (cur->chars + 1 + word <= width) return 0; /* the word would have fitted */
  int near = 0;
  for (int k = 0; k < nlen; k++) near += len[k] * 10 >= width * 8;
  return near >= 2;
}

/* A line break between a and b. */
static int el_seg_newline(el_segmenter *s, const el_token *a, const el_token *b) {
  if (b->nl_before >= 2) return 1;
  if (b->nl_before == 0) return 0;
  if (b->flags & EL_TF_LOWER) return 0;
  if (!s->no_wrap && a->kind == EL_WORD) {
    if (el_span_in_lower_or_title(s->tk.z, a->start, a->end, el_continuers)) return 0;
    if (b->kind == EL_WORD && el_seg_wrapped(s, a, b)) return 0;
  }
  if ((a->flags & EL_TF_ABBREV) && !(a->flags & EL_TF_MAY_END)) return 0;
  if (a->kind == EL_PUNCT) {
    const unsigned char *z = s->tk.z + a->start;
    if (a->end - a->start == 1 && strchr(",-(/&", z[0]) != NULL) return 0;
  }
  return 1;
}

int el_segmenter_next(el_segmenter *s, el_token *tok, size_t *sentence) {
  int brk = 0;
  el_seg_fill(s);
  if (s->count == 0) return 0;
  *tok = *EL_PEEK(s, 0);
  *sentence = s->sentence;
  s->dot_run = el_is_dot(s, tok) ? s->dot_run + 1 : 0;
  if (s->sent_pos == 0) {
    /* A list item ("1.", "a)", "• 9.") starts this sentence: its marker does
    ** not end it, and the next marker of the same list starts a new one. */
    s->marker_left = el_marker_at(s, 0, 1, &s->list_kind, &s->list_value);
  }
  if (s->marker_left > 0) {
    s->marker_left--;
  } else if (s->hold > 0) {
    if (--s->hold == 0) {
      brk = 1;
      s->hold = -1;
    }
  } else {
    brk = el_seg_decide(s);
  }
  if (!brk && s->hold < 0 && s->count > 1) {
    brk = el_seg_newline(s, tok, EL_PEEK(s, 1));
    if (!brk && s->list_kind && s->marker_left == 0 && (EL_PEEK(s, 1)->flags & EL_TF_SPACE_BEFORE)) {
      int kind;
      long value;
      /* the next item of the same list: same kind, and the next number */
      brk = el_marker_at(s, 1, 0, &kind, &value) > 0 && kind == s->list_kind &&
            (value == 0 || value == s->list_value + 1);
    }
  }
  s->head = (s->head + 1) % EL_SEG_WINDOW;
  s->count--;
  if (brk) {
    s->sentence++;
    s->sent_pos = 0;
  } else {
    s->sent_pos++;
  }
  return 1;
}
