/*
** Export-control term matching: the built-in lexicon, user lexicons, and
** grammars for ECCNs, HS codes and legal citations (CFR, Federal Register,
** U.S. Code). No SQLite here: it works on a byte buffer and returns byte
** spans; the SQL adapter (terms_sql.c) converts offsets.
**
** One automaton (ext/match/el_ac.h) holds every lexicon term, its variants
** and the trigger words of the grammars, so a text is read once whatever the
** size of the lexicon. A trigger (CFR, FR, U.S.C., §, part, HS, heading, or a
** digit followed by a product-group letter) runs a hand-written scanner that
** validates the code or citation around it. User patterns (is_pattern = 1)
** are PCRE2 regular expressions run with match and depth limits.
*/
#ifndef EL_TERMS_EL_TERMS_H
#define EL_TERMS_EL_TERMS_H

#include <stddef.h>
#include <stdint.h>

#include "../match/el_ac.h"

/* A built-in lexicon entry (generated from ext/terms/lexicon.tsv). */
typedef struct el_lex_entry {
  const char *rule, *term, *category, *canonical;
  int exact; /* match with the exact case only */
} el_lex_entry;

size_t el_lexicon_count(void);
const el_lex_entry *el_lexicon_entry(size_t i);
/* The grammar rules, as pattern rows of export_lexicon: term is a regular
** expression describing the grammar (the scanners are hand-written). */
size_t el_grammar_count(void);
const el_lex_entry *el_grammar_entry(size_t i);

/* A user lexicon entry. */
typedef struct el_term_entry {
  const char *rule, *term, *category, *canonical;
  int is_pattern;
} el_term_entry;

#define EL_TERMS_MAX_PATTERNS 100 /* user regular expressions per lexicon */
#define EL_TERMS_MAX_MATCHES (1u << 24) /* candidate matches in one text */

typedef struct el_terms el_terms;

/* Compile the built-in lexicon plus n user entries (n may be 0). Returns 0,
** or non-zero with a message in err. */
int el_terms_compile(const el_term_entry *user, size_t n, el_terms **out, char *err,
                     size_t errcap);
/* The same with flags: EL_TERMS_NO_BUILTINS leaves the built-in lexicon out
** (the grammars stay). */
#define EL_TERMS_NO_BUILTINS 1
int el_terms_compile_ex(const el_term_entry *user, size_t n, unsigned flags, el_terms **out,
                        char *err, size_t errcap);
void el_terms_free(el_terms *t);
size_t el_terms_states(const el_terms *t);
size_t el_terms_classes(const el_terms *t);

typedef struct el_term_match {
  size_t start, end; /* bytes */
  const char *category;
  const char *rule;
  const char *canonical;
  size_t canonical_len;
} el_term_match;

struct el_gcand;
typedef struct el_term_result {
  el_term_match *m;
  size_t n, cap;
  el_span *spans;
  size_t nspans, spans_cap;
  struct el_gcand *g;
  size_t ng, gcap;
  char *pool;
  size_t pool_len, pool_cap;
  int nomem;
  int toomany;
} el_term_result;

void el_term_result_init(el_term_result *r);
void el_term_result_free(el_term_result *r);
/* Find the terms of z[0..n): leftmost-longest, non-overlapping, in text
** order. Returns 0; 1 when out of memory; 2 when a user pattern failed
** (match limit, ...) or the text has more than EL_TERMS_MAX_MATCHES
** candidate matches, with a message in err. */
int el_terms_find(const el_terms *t, const char *z, size_t n, el_term_result *r, char *err,
                  size_t errcap);

/* eccn_parse / cfr_parse: write JSON for a valid code or citation into out
** (NUL-terminated, truncated to cap) and return its length, or -1 when the
** input is not one valid code / citation. */
long el_eccn_json(const char *z, size_t n, char *out, size_t cap);
long el_cite_json(const char *z, size_t n, char *out, size_t cap);

#endif
