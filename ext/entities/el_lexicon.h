/*
** A token-level multi-pattern matcher: a trie over normalised token
** sequences (the tokenizer's EL_NORM_FTS forms), walked from a token to find
** the leftmost-longest entry. No SQLite here.
**
** Every name is split with the one exportlens tokenizer, so a pattern matches
** exactly the tokens that tokens() shows. Each token of a pattern keeps the
** shape it was written with: a pattern token in capitals ("US", "BIS") only
** matches a token in capitals, a capitalised one ("China") only a token that
** starts with a capital, a lower-case one any case ("SK hynix").
*/
#ifndef EL_ENTITIES_EL_LEXICON_H
#define EL_ENTITIES_EL_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "../text/el_tokenizer.h"

#define EL_LEX_MAX_TOKENS 24 /* longer names are refused */

/* Token shapes. */
#define EL_SHAPE_ANY  0
#define EL_SHAPE_CAP  1 /* starts with a capital */
#define EL_SHAPE_UPPER 2 /* every letter a capital, two letters or more */

typedef struct el_lex_entry {
  char *name;       /* as added */
  char *label;
  char *canonical;  /* may be NULL */
  char *source;
  uint32_t kind;    /* caller-defined bits */
  int32_t value;    /* caller-defined */
  uint8_t ntok;
  uint8_t shape[EL_LEX_MAX_TOKENS];
} el_lex_entry;

/* A token of the text being matched: its normalised form and shape. */
typedef struct el_lex_tok {
  const char *norm;
  uint32_t nlen;
  uint8_t shape;    /* EL_SHAPE_* of the text token (UPPER implies CAP) */
  uint8_t matchable; /* 0: no match starts here (a clitic 's) */
} el_lex_tok;

typedef struct el_lex el_lex;

el_lex *el_lex_new(void);
void el_lex_free(el_lex *lx);

/* Add a name. The strings are copied (canonical and source may be NULL).
** Returns the entry index (>= 0), -1 when out of memory, -2 when the name has
** no token or more than EL_LEX_MAX_TOKENS. When the same token sequence was
** added before, that entry is kept and its index returned (*added = 0). */
long el_lex_add(el_lex *lx, const char *name, size_t n, const char *label,
                const char *canonical, const char *source, uint32_t kind, int32_t value,
                int *added);

el_lex_entry *el_lex_entry_at(const el_lex *lx, long idx);
size_t el_lex_size(const el_lex *lx);
/* Whether some entry's first token is lower case (matches may start at any
** token, not only at capitalised ones). */
int el_lex_lower_start(const el_lex *lx);

/* Longest entry matching toks[i..n) whose shapes agree; returns its index and
** sets *len (tokens), or -1. */
long el_lex_longest(const el_lex *lx, const el_lex_tok *toks, size_t i, size_t n, size_t *len);

/* The same, ignoring entries whose kind has a bit of skip_kind. */
long el_lex_longest_except(const el_lex *lx, const el_lex_tok *toks, size_t i, size_t n,
                           size_t *len, uint32_t skip_kind);

/* Entry for the single token t (shape checked), or -1. */
long el_lex_word(const el_lex *lx, const el_lex_tok *t);

/* Shape of a token's text. */
uint8_t el_lex_shape(const unsigned char *z, const el_token *tok);

#endif
