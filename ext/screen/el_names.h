/*
** Name normalisation and similarity for screening. No SQLite here.
**
** A name is folded into tokens:
**   - case and diacritics are folded with the project's Unicode tables
**     (the same folding as the FTS5 tokenizer: "Müller" -> "muller"), combining
**     marks are dropped;
**   - apostrophes are dropped inside a token ("Da'oud" -> "daoud");
**   - single letters joined by periods form one token ("L.L.C." -> "llc",
**     "S.A." -> "sa", "U.S.A." -> "usa");
**   - every other non-letter, non-digit character separates tokens;
**   - legal forms and common words (el_name_is_common) are dropped, unless
**     every token is one (then all are kept, so "Group Ltd" is not empty).
** Only the first EL_NAME_MAX_BYTES bytes of a name are read, at most
** EL_NAME_MAX_TOKENS tokens are kept and a token is cut after
** EL_NAME_MAX_TOKCH characters, so every operation is bounded.
**
** Similarity (el_name_similarity) is a token-set measure: tokens are paired
** one to one, best pairs first, each pair scoring 1 when equal, 0.95 when equal
** after removing a plural ending, 1 - d/len for a small edit distance d
** (optimal string alignment: substitutions, insertions, deletions and
** adjacent transpositions) and 0 otherwise. The score is the sum of pair scores
** weighted by the pair's weight, over the total weight of both names. A
** token weighs its length in characters, half that for a weak word
** (el_name_is_weak), so the score is insensitive to token order and long,
** distinctive tokens count for more than short or generic ones. Two names whose tokens, run together, are the
** same ("Hua Wei" / "Huawei") score at least 0.95.
*/
#ifndef EL_SCREEN_EL_NAMES_H
#define EL_SCREEN_EL_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define EL_NAME_MAX_BYTES 1024
#define EL_NAME_MAX_TOKENS 32
#define EL_NAME_MAX_TOKCH 64

typedef struct el_ntok {
  uint16_t off, len;           /* the folded token in buf (bytes) */
  uint16_t stem_off, stem_len; /* the token without a plural ending */
  uint8_t nch;                 /* characters */
  uint8_t digit;               /* contains a digit */
  uint8_t w;                   /* weight: 2 per character, 1 for a weak word */
} el_ntok;

/* A normalised name. Tokens are in input order. */
typedef struct el_name {
  int n;                       /* tokens kept */
  int weight;                  /* total weight of the kept tokens */
  uint16_t concat_off, concat_len; /* the kept tokens run together */
  uint16_t nbuf;               /* bytes used in buf */
  el_ntok *tok;
  char *buf;
} el_name;

#define EL_NAME_BUF 16384
/* Storage for el_name_normalize. */
typedef struct el_name_buf {
  el_name name;
  el_ntok tok[EL_NAME_MAX_TOKENS];
  char buf[EL_NAME_BUF];
} el_name_buf;

/* Bytes el_name_pack needs for a compact copy of nm, and the copy itself into
** mem (aligned for pointers): the returned el_name lives in mem. */
size_t el_name_packed_size(const el_name *nm);
el_name *el_name_pack(const el_name *nm, void *mem);

/* Normalise z[0..n) (any bytes) into *out; returns &out->name. Never fails. */
el_name *el_name_normalize(const char *z, size_t n, el_name_buf *out);

/* Token i of a name and its length. */
static inline const char *el_name_tok(const el_name *nm, int i, size_t *len) {
  *len = nm->tok[i].len;
  return nm->buf + nm->tok[i].off;
}

/* The name key: kept tokens sorted bytewise and joined by single spaces.
** Writes at most cap bytes (NUL-terminated when cap > 0) and returns the
** length needed (without the NUL); 0 when the name has no token. */
size_t el_name_key(const el_name *nm, char *out, size_t cap);
#define EL_NAME_KEY_MAX EL_NAME_BUF

/* Similarity of two normalised names, in [0, 1], rounded to 4 decimals.
** 0 when either has no token. */
double el_name_similarity(const el_name *a, const el_name *b);

/* The same, or 0 early when the score cannot reach min (> 0). */
double el_name_similarity_min(const el_name *a, const el_name *b, double min);

/* Similarity of two tokens (the pair score above). */
double el_name_token_similarity(const el_name *a, int i, const el_name *b, int j);

/* 1 when the folded token z[0..n) is a legal form or common word that names
** ignore ("ltd", "co", "inc", "gmbh", "the", "of" ...). */
int el_name_is_common(const char *z, size_t n);

/* 1 when the folded token is a weak word: a descriptive word many names share
** ("technology", "trading", "international" ...), which counts half. */
int el_name_is_weak(const char *z, size_t n);

/* Optimal string alignment distance between two code point arrays. */
int el_name_osa(const int32_t *a, int na, const int32_t *b, int nb);

#endif
