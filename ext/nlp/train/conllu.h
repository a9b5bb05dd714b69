/*
** CoNLL-U reading for the trainers (not part of the extension): sentences
** with their raw text, and their words with the byte span of each word in
** that text (multiword tokens' words are substrings of the token in the
** English Web Treebank; a sentence where they are not is dropped).
*/
#ifndef EL_NLP_TRAIN_CONLLU_H
#define EL_NLP_TRAIN_CONLLU_H

#include <stddef.h>
#include <stdint.h>

typedef struct cu_word {
  char *form, *lemma, *upos, *xpos, *deprel;
  int head;             /* 0-based head word, -1 for the root */
  uint32_t start, end;  /* byte span in the sentence text */
  int mwt;              /* part of a multiword token */
} cu_word;

typedef struct cu_sent {
  char *text;
  size_t tlen;
  cu_word *w;
  int n;
} cu_sent;

typedef struct cu_corpus {
  cu_sent *s;
  int n, cap;
  char *pool;   /* unused: strings are separate allocations */
} cu_corpus;

/* Read a .conllu or .conllu.gz file; returns 0 or -1 (message on stderr). */
int cu_read(const char *path, cu_corpus *c);
void cu_free(cu_corpus *c);

/* Universal part of a relation ("nmod:poss" -> "nmod"), into out. */
void cu_universal(const char *deprel, char *out, size_t cap);

#endif
