/*
** A text's sentences in CoNLL-U, from the linguistic core (el_nlp.h). No
** SQLite here.
**
** For each sentence of the sentence splitter (el_tokenizer.h):
**   # sent_id = N          (1-based, in text order)
**   # text = ...           (the sentence, line breaks and tabs as spaces)
**   one line per word: ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC,
**   preceded by "a-b FORM _ _ _ _ _ _ _ MISC" for a multiword token;
**   SpaceAfter=No in MISC where no white space follows; a blank line.
** FEATS and DEPS are "_". Bytes that are not valid UTF-8, and control
** characters, are written as U+FFFD. A sentence longer than EL_NLP_MAX_TOKENS
** tokens is analysed in pieces: each piece's root is attached to the first
** piece's root as parataxis, so every sentence is one tree.
*/
#ifndef EL_NLP_EL_CONLLU_H
#define EL_NLP_EL_CONLLU_H

#include <stddef.h>

#include "el_nlp.h"

/* A growable output buffer with a sticky error: once err is set, appends do
** nothing. max bounds the length (err = EL_SB_TOOBIG beyond it). */
#define EL_SB_NOMEM 1
#define EL_SB_TOOBIG 2
typedef struct el_sbuf {
  char *p;
  size_t n, cap, max;
  int err;
} el_sbuf;

void el_sb_init(el_sbuf *b, size_t max);
void el_sb_free(el_sbuf *b);
void el_sb_add(el_sbuf *b, const char *s, size_t n);
void el_sb_str(el_sbuf *b, const char *s);
void el_sb_uint(el_sbuf *b, unsigned long long v);
/* Append bytes as valid UTF-8: invalid units and C0 controls become U+FFFD,
** white space (and tabs, line breaks) becomes ' ' when spaces is set. */
void el_sb_text(el_sbuf *b, const char *s, size_t n, int spaces);

/* Append the CoNLL-U of text[0..len) to out. A progress callback, when not
** NULL, is called after each sentence; a non-zero return stops the work
** (for interrupts). Returns 0, -1 when stopped, or out->err. */
int el_conllu(const el_nlp *m, const char *text, size_t len, el_sbuf *out,
              int (*progress)(void *), void *arg);

#endif
