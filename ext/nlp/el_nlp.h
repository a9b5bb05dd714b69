/*
** The linguistic core: Universal Dependencies words, part-of-speech tags
** (UPOS and Penn XPOS), lemmas and a labelled dependency tree for a sentence.
** No SQLite here.
**
** The model (el_nlp) is a container of sections (el_model.h), used in place:
** the built-in one is opened once per process by el_nlp_default(). A
** sentence is analysed into an el_nlp_sent, a work area reused from one
** sentence to the next:
**
**     const el_nlp *m = el_nlp_default();
**     el_nlp_sent s; el_nlp_sent_init(&s);
**     el_nlp_analyse(m, text, a, b, toks, ntoks, EL_NLP_ALL, &s);
**     for (size_t i = 0; i < s.n; i++) ... s.w[i] ...
**     el_nlp_sent_free(&s);
**
** Words. The tokenizer's tokens (el_tokenizer.h) are the input; the UD layer
** splits and joins them as the English Web Treebank does: "don't" is do +
** n't, "$400" is $ + 400, "30%" is 30 + %, "e-mail" and "11/28/2000" are one
** word each. Where one surface token holds several words ("don't", "it's"),
** the words form a multiword token (CoNLL-U's "1-2" line). Characters between
** tokens that are neither spaces nor part of a token (control and format
** characters, invalid UTF-8) become words of their own, so that the words
** cover every non-space character of the text.
**
** Work is linear in the sentence: a unit of analysis holds at most
** EL_NLP_MAX_TOKENS tokens (the caller cuts longer sentences into units).
*/
#ifndef EL_NLP_EL_NLP_H
#define EL_NLP_EL_NLP_H

#include <stddef.h>
#include <stdint.h>

#include "el_perceptron.h"
#include "../text/el_tokenizer.h"

#define EL_NLP_MAX_TOKENS 400  /* tokenizer tokens per unit of analysis */

/* What to compute (each implies the ones before). */
#define EL_NLP_WORDS 0
#define EL_NLP_TAG 1
#define EL_NLP_PARSE 2
#define EL_NLP_ALL EL_NLP_PARSE

/* Word flags. */
#define EL_NW_NO_SPACE 0x01   /* no white space follows (CoNLL-U SpaceAfter=No) */
#define EL_NW_GAP 0x02        /* characters outside every token */
#define EL_NW_MWT 0x04        /* part of a multiword token */

typedef struct el_nlp_word {
  uint32_t start, end;    /* byte span of the word */
  uint32_t tstart, tend;  /* byte span of its surface token (the MWT for its parts) */
  int32_t tok;            /* first tokenizer token it lies in (-1: a gap word) */
  int32_t tok_last;       /* last tokenizer token it lies in */
  int32_t head;           /* head word (index in the unit), -1 at the root */
  uint16_t tag;           /* tag class (el_nlp_upos / el_nlp_xpos) */
  uint16_t dep;           /* relation class (el_nlp_dep_name) */
  uint16_t lemma;         /* lemma rule (el_nlp_lemma) */
  uint8_t flags;          /* EL_NW_* */
  uint8_t mwt_n;          /* on the first word of a multiword token: its word count */
} el_nlp_word;

/* Per-word features, computed once per word and shared by every model. */
typedef struct el_nlp_feat {
  uint64_t form, lower, shape;
  uint64_t pre[3], suf[4];
  uint32_t cluster;       /* word clusters, fine | coarse << 16 (0: unknown) */
  uint16_t single;        /* the lexicon's only tag for the word + 1 (0: none) */
  uint16_t amb;           /* ambiguity class (0: unknown word) */
  uint16_t wflags;        /* EL_WF_* */
  uint8_t capr;           /* capitalization bucket of the lexicon (0: unknown) */
} el_nlp_feat;

typedef struct el_nlp el_nlp;

/* A work area: the words of the unit analysed last, and scratch space. */
typedef struct el_nlp_sent {
  el_nlp_word *w;
  el_nlp_feat *f;
  uint16_t *tags;
  size_t n, cap;
  void *cand;             /* segmentation candidates */
  size_t cand_cap;
  void *pmem;             /* parser state */
  size_t pmem_cap;
  char *buf;              /* lower-cased forms */
  size_t buf_cap;
} el_nlp_sent;

void el_nlp_sent_init(el_nlp_sent *s);
void el_nlp_sent_free(el_nlp_sent *s);

/* The built-in model, opened (and checked) once per process; NULL when it is
** missing or invalid. Thread-safe. */
const el_nlp *el_nlp_default(void);

/* Open a model container in place (it must outlive the model); no
** allocation. Returns 0, or -1 when a section is missing or invalid. */
int el_nlp_init(el_nlp *m, const void *blob, size_t len);

/* Analyse one unit: the tokens tok[0..ntok) of text[0..len) (ntok <=
** EL_NLP_MAX_TOKENS), with the non-space characters of [a, b) that lie outside
** every token as gap words. `what`: EL_NLP_WORDS, EL_NLP_TAG or EL_NLP_PARSE. Returns 0, or -1
** when out of memory or when the unit is too long. */
int el_nlp_analyse(const el_nlp *m, const char *text, size_t len, size_t a, size_t b,
                   const el_token *tok, size_t ntok, int what, el_nlp_sent *s);

/* Units of analysis: the sentences of a text, each cut into pieces of at
** most EL_NLP_MAX_TOKENS tokens. */
typedef struct el_unit_reader {
  el_segmenter seg;
  el_token pending;
  size_t pending_sent;
  int has_pending;
  el_token *tok;          /* the unit's tokens */
  size_t ntok, cap;
  size_t sentence;        /* 0-based sentence of the unit */
  size_t first;           /* index in the text of the unit's first token */
  int cont;               /* the unit continues the previous unit's sentence */
  int last;               /* no unit follows */
} el_unit_reader;

void el_unit_init(el_unit_reader *r, const char *text, size_t len);
/* The next unit into r->tok[0..r->ntok): returns 1, 0 at the end, -1 when
** out of memory. */
int el_unit_next(el_unit_reader *r);
void el_unit_free(el_unit_reader *r);

/* The tokenizer's tokens of a text, each with the annotations of its UD
** word: the stream behind tokens()' columns upos, xpos, lemma, head, dep.
** One row per tokenizer token: a token holding several words ("don't",
** "$400") shows its main word (the one nearest the root of the tree) and
** the lemmas of all its words joined by spaces; the tokens of one word
** ("e-mail") each show that word, the later ones attached to the first as
** goeswith. The rows of a sentence form one tree, as its words do. */
typedef struct el_nlp_stream {
  const el_nlp *m;
  const char *text;
  size_t len;
  int what;               /* EL_NLP_TAG or EL_NLP_PARSE */
  el_unit_reader r;
  el_nlp_sent s;
  int32_t *main;          /* per token of the unit: its main word */
  size_t main_cap;
  size_t i;               /* current token in the unit */
  size_t gap_from;
  long long root_pos;     /* position of the sentence's root token, -1: none yet */
  long long unit_root;    /* position of the unit's root token */
  char *lemma;
  size_t lemma_cap;
  int started;
} el_nlp_stream;

void el_nlp_stream_init(el_nlp_stream *st, const el_nlp *m, const char *text, size_t len,
                        int what);
/* Advance to the next token: 1, 0 at the end, -1 when out of memory. */
int el_nlp_stream_next(el_nlp_stream *st);
void el_nlp_stream_free(el_nlp_stream *st);
/* The current token, its position in the text and its sentence. */
const el_token *el_nlp_stream_token(const el_nlp_stream *st);
long long el_nlp_stream_position(const el_nlp_stream *st);
size_t el_nlp_stream_sentence(const el_nlp_stream *st);
/* Its main word. */
const el_nlp_word *el_nlp_stream_word(const el_nlp_stream *st);
/* Position of the token of its head word; -1 at the root (or when the head
** is a character outside every token). */
long long el_nlp_stream_head(const el_nlp_stream *st);
const char *el_nlp_stream_dep(const el_nlp_stream *st);
/* Lemma(s) into an internal buffer: *out, returns the length, or -1 when
** out of memory. */
long long el_nlp_stream_lemma(el_nlp_stream *st, const char **out);

/* Names. */
const char *el_nlp_upos(const el_nlp *m, int tag);
const char *el_nlp_xpos(const el_nlp *m, int tag);
const char *el_nlp_dep_name(const el_nlp *m, int dep);
int el_nlp_ntags(const el_nlp *m);
int el_nlp_ndeps(const el_nlp *m);

/* The lemma of word w of text into out (at most cap bytes); returns the
** length it needs (always at most 2 * (w->end - w->start) + 64). */
size_t el_nlp_lemma(const el_nlp *m, const char *text, const el_nlp_word *w, char *out,
                    size_t cap);
#define EL_NLP_LEMMA_MAX(w) (2 * ((size_t)(w)->end - (w)->start) + 64)

#endif
