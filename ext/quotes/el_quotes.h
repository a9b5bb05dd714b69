/*
** The quote and numeric-claim extractors behind quotes() and claims(). No
** SQLite here.
**
** Both stream: the text is read one paragraph at a time (at most
** EL_QX_MAX_TOKENS tokens; a longer paragraph is cut at a sentence break, or
** hard at twice that), with the exportlens tokenizer and sentence splitter
** and the entity extractor (el_entities.h) walking in step. What is kept
** across paragraphs: the last named speaker (for "she said") and whether the
** previous paragraph's quotes had a speaker (a quote paragraph with no
** attribution continues it, as news copy does).
**
** All offsets are byte offsets, end exclusive; the SQL adapter converts them
** to characters.
*/
#ifndef EL_QUOTES_EL_QUOTES_H
#define EL_QUOTES_EL_QUOTES_H

#include <stddef.h>

#define EL_QX_MAX_TOKENS 4096

typedef struct el_quote {
  size_t start, end;          /* the quoted text, without its marks */
  size_t sentence;            /* sentence of its first token, as sentences() numbers them */
  size_t spk_start, spk_end;  /* the speaker as written; spk_start == spk_end: none */
  const char *canonical;      /* full name, or NULL; valid until the next call */
  int continued;              /* speaker from an earlier quote (same paragraph or the one before) */
} el_quote;

typedef struct el_claim {
  const char *subject;        /* ISO3, or NULL */
  const char *metric;
  const char *object;         /* ISO3, a thing as text, or NULL */
  const char *detail;         /* or NULL */
  double value;
  const char *unit;           /* "%", "USD", ... */
  const char *qualifier;      /* "more than", "less than", "about", "nearly", "up to",
                                 "at least", or NULL */
  int year;                   /* 0: none stated */
  size_t start, end;          /* the claim's span */
  size_t sentence;
  size_t sent_start, sent_end;/* the sentence (the evidence) */
} el_claim;

typedef struct el_qx el_qx;

/* A new extractor (NULL when out of memory). It holds a reference to the
** built-in gazetteers (el_ent_builtin_acquire) until el_qx_free. */
el_qx *el_qx_new(void);
void el_qx_free(el_qx *q);

/* Start on a text (not copied: it must outlive the walk). Returns 0 or -1. */
int el_qx_start(el_qx *q, const char *z, size_t n);

/* Next quote / claim: 1, 0 at the end, -1 when out of memory. Use one of the
** two per el_qx_start. Strings are valid until the next call. */
int el_qx_next_quote(el_qx *q, el_quote *out);
int el_qx_next_claim(el_qx *q, el_claim *out);

#endif
