/*
** UTF-8 decoding and character classes for exportlens. No SQLite here.
**
** Characters are read the way SQLite itself counts them (SQLITE_SKIP_UTF8):
** a byte below 0xC0 is one character, and a byte at or above 0xC0 takes every
** continuation byte (10xxxxxx) that follows it. A unit that is not a valid,
** shortest-form UTF-8 sequence decodes to EL_UC_INVALID. Because token
** boundaries always fall on such units, character offsets computed here agree
** with SQLite's substr() and length().
*/
#ifndef EL_COMMON_EL_UNICODE_H
#define EL_COMMON_EL_UNICODE_H

#include <stddef.h>
#include <stdint.h>

#define EL_UC_INVALID (-1)

/* Character classes (low three bits) and flags. */
#define EL_CLS_OTHER  0   /* controls, unassigned, invalid: separators */
#define EL_CLS_SPACE  1
#define EL_CLS_LETTER 2   /* letters, combining marks, letter numbers */
#define EL_CLS_DIGIT  3
#define EL_CLS_PUNCT  4
#define EL_CLS_SYMBOL 5
#define EL_CLS_MASK   0x07
#define EL_CF_UPPER   0x08
#define EL_CF_LOWER   0x10
#define EL_CF_MARK    0x20

typedef struct el_uc_record {
  uint8_t cls;       /* class | flags */
  int32_t fold;      /* delta to the folded code point */
  int32_t nodiac;    /* delta to the folded code point without diacritics */
} el_uc_record;

/* Decode the character unit at z[0..n) (n >= 1); returns its length in bytes
** and stores the code point, or EL_UC_INVALID, in *cp. */
static inline size_t el_utf8_decode(const unsigned char *z, size_t n, int32_t *cp) {
  unsigned c = z[0];
  size_t len, want;
  int32_t v, min;
  if (c < 0x80) { *cp = (int32_t)c; return 1; }
  if (c < 0xC0) { *cp = EL_UC_INVALID; return 1; }
  len = 1;
  while (len < n && (z[len] & 0xC0) == 0x80) len++;
  if (c < 0xE0)      { want = 2; v = (int32_t)(c & 0x1F); min = 0x80; }
  else if (c < 0xF0) { want = 3; v = (int32_t)(c & 0x0F); min = 0x800; }
  else if (c < 0xF8) { want = 4; v = (int32_t)(c & 0x07); min = 0x10000; }
  else { *cp = EL_UC_INVALID; return len; }
  if (len != want) { *cp = EL_UC_INVALID; return len; }
  for (size_t i = 1; i < len; i++) v = (v << 6) | (int32_t)(z[i] & 0x3F);
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) v = EL_UC_INVALID;
  *cp = v;
  return len;
}

/* Number of SQLite characters in z[0..n). */
size_t el_utf8_count(const unsigned char *z, size_t n);

/* Encode cp (valid) into out (room for 4 bytes); returns the length. */
static inline size_t el_utf8_encode(int32_t cp, unsigned char *out) {
  if (cp < 0x80) { out[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Properties of a code point (EL_UC_INVALID allowed: class OTHER). */
const el_uc_record *el_uc_lookup(int32_t cp);
extern const uint8_t el_uc_ascii[128];

static inline unsigned el_uc_class(int32_t cp) {
  if (cp >= 0 && cp < 128) return el_uc_ascii[cp];
  return el_uc_lookup(cp)->cls;
}

const char *el_uc_version(void);

/* Incremental byte -> character offset conversion for increasing positions. */
typedef struct el_charpos {
  const unsigned char *z;
  size_t byte;   /* a unit boundary */
  size_t chr;    /* characters before it */
} el_charpos;

static inline void el_charpos_init(el_charpos *p, const unsigned char *z) {
  p->z = z; p->byte = 0; p->chr = 0;
}
/* Character offset of byte offset b (b >= p->byte, on a unit boundary). */
static inline size_t el_charpos_at(el_charpos *p, size_t b) {
  if (b > p->byte) {
    p->chr += el_utf8_count(p->z + p->byte, b - p->byte);
    p->byte = b;
  }
  return p->chr;
}

#endif
