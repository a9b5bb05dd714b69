/*
** The named-entity tagger: a greedy BILOU sequence model (averaged
** perceptron over hashed features) for PER, ORG, LOC and MISC, the CoNLL-2003
** classes. No SQLite here.
**
** It tags one sentence (or batch) of exportlens tokens at a time. The caller
** (el_ent_model.c) supplies each token's text, its normalised form, its shape
** and a few lexicon bits (gazetteers, given names, word classes). The tagger
** remembers, per document, which class it gave each word before (the
** "extended prediction history" of Ratinov & Roth 2009), so "Surrey" after
** "Surrey 12 Kent 5" keeps its class; el_ner_reset forgets it.
**
** Speed: only a word that can start or continue an entity is classified: a
** word whose first letter is a capital (or every letter), or any token while
** an entity is open. Every other token is O without a look at the model.
**
** Tags: 0 is O; 1 + 4 * class + position, position B, I, L, U.
*/
#ifndef EL_NLP_EL_NER_H
#define EL_NLP_EL_NER_H

#include <stddef.h>
#include <stdint.h>

enum { EL_NER_PER = 0, EL_NER_ORG, EL_NER_LOC, EL_NER_MISC, EL_NER_NCLASS };
enum { EL_NER_B = 0, EL_NER_I, EL_NER_L, EL_NER_U };
#define EL_NER_NTAGS (1 + 4 * EL_NER_NCLASS)
#define EL_NER_TAG(cls, pos) ((uint8_t)(1 + 4 * (cls) + (pos)))
#define EL_NER_CLASS(tag) (((tag) - 1) / 4)
#define EL_NER_POS(tag) (((tag) - 1) % 4)

/* Lexicon bits of a token (el_ner_tok.lex), set by the caller. */
#define EL_NER_LX_GIVEN    0x0001u /* a given name */
#define EL_NER_LX_STOP     0x0002u /* a function word that is never part of a name */
#define EL_NER_LX_HEAD     0x0004u /* an organisation head: Council, Bank, ... */
#define EL_NER_LX_COSUFFIX 0x0008u /* Inc., Ltd., Corp. */
#define EL_NER_LX_NOTNAME  0x0010u /* capitalised common noun of the genre */
#define EL_NER_LX_ROLE     0x0020u /* minister, spokesman, ... */
#define EL_NER_LX_SPEECH   0x0040u /* said, told, ... */
#define EL_NER_LX_DATE     0x0080u /* month or weekday */
#define EL_NER_LX_TITLE    0x0100u /* inside a title ("Secretary of State") */
/* gazetteer match covering the token: label (3 bits) and position (2 bits) */
#define EL_NER_LX_GAZ_SHIFT 10
#define EL_NER_LX_GAZ_MASK  (0x1Fu << EL_NER_LX_GAZ_SHIFT)
enum { EL_NER_GAZ_NONE = 0, EL_NER_GAZ_PERSON, EL_NER_GAZ_ORG, EL_NER_GAZ_GPE,
       EL_NER_GAZ_NORP, EL_NER_GAZ_LOC, EL_NER_GAZ_OTHER };
#define EL_NER_LX_GAZ(label, pos) ((uint32_t)(((label) << 2) | (pos)) << EL_NER_LX_GAZ_SHIFT)
#define EL_NER_LX_COUNTRY  0x8000u /* the gazetteer match is a country name */

/* A token as the tagger sees it. */
typedef struct el_ner_tok {
  const char *z;      /* its text */
  const char *norm;   /* normalised: case folded, no diacritics ("U.S." -> "us") */
  uint32_t n, nlen;
  uint8_t kind;       /* el_kind of the tokenizer */
  uint8_t shape;      /* EL_SHAPE_*: 0 any, 1 capitalised, 2 all capitals */
  uint8_t first;      /* the first token of its sentence */
  uint32_t lex;       /* EL_NER_LX_* */
} el_ner_tok;

/* The read-only model, shared by every tagger of the process. */
typedef struct el_ner_model el_ner_model;

/* The model built into the extension, or NULL when it was built without one.
** Thread-safe; never freed. */
const el_ner_model *el_ner_builtin(void);

/* A model over a blob in memory (not copied: it must outlive the model).
** Returns NULL when the blob is not a valid model or out of memory. */
el_ner_model *el_ner_model_open(const void *blob, size_t n);
void el_ner_model_free(el_ner_model *m);

/* How often raw text capitalises the word norm[0..n) where no sentence
** starts: 0 unknown, 1 rarely (< 10%), 2 sometimes, 3 mostly, 4 always. */
int el_ner_word_cap(const el_ner_model *m, const char *norm, size_t n);

/* A tagger: the model plus one document's history and scratch space. */
typedef struct el_ner el_ner;

el_ner *el_ner_new(const el_ner_model *m);
void el_ner_free(el_ner *t);
/* A new document: forget the history. */
void el_ner_reset(el_ner *t);

/* Tag n tokens into tags[n]; 0, or -1 when out of memory. */
int el_ner_tag(el_ner *t, const el_ner_tok *tok, size_t n, uint8_t *tags);

/* The first name of tags[0..n) at or after token *start: sets *start, *end
** (exclusive) and *cls and returns 1, or returns 0 when there is none. Tags
** need not be valid BILOU: a name ends at an L, U, B, O or another class
** (so "B O" is a one-word name). */
int el_ner_span(const uint8_t *tags, size_t n, size_t *start, size_t *end, int *cls);

/* Whether token i is classified at all (the gate), given the previous tag. */
int el_ner_gate(const el_ner_tok *tok, uint8_t prev_tag);

/* --- for the trainer ------------------------------------------------------ */

#define EL_NER_MAX_FEATS 48

/* What the model knows of a word from raw text: its cluster ids at two
** granularities (0: unknown) and how often it is capitalised where no
** sentence starts (0 unknown, 1 rarely .. 4 always). */
typedef struct el_ner_wordinfo {
  uint16_t c1, c2;
  uint8_t cap;
} el_ner_wordinfo;

/* The trainer installs its own lookup; a model carries its table. Returns 1
** when the word is known (*wi is zeroed otherwise). */
typedef int (*el_ner_cluster_fn)(void *ctx, const char *norm, size_t n, el_ner_wordinfo *wi);

/* The features of token i (tags[0..i) are the tags given so far) into f;
** returns their number (at most EL_NER_MAX_FEATS). Uses the tagger's history
** and cluster lookup. */
size_t el_ner_features(el_ner *t, const el_ner_tok *tok, size_t n, size_t i, const uint8_t *tags,
                       uint64_t *f);

/* A tagger without a model, for the trainer, which scores the features
** itself: clusters come from cluster_fn. */
el_ner *el_ner_new_custom(el_ner_cluster_fn cluster_fn, void *ctx);
/* Before el_ner_features over a batch of n tokens; 0, or -1 (out of memory). */
int el_ner_begin_batch(el_ner *t, const el_ner_tok *tok, size_t n);
/* The best tag from scores. */
uint8_t el_ner_best(const float *scores);
/* Tokens [0, n) were given tags: record them in the history. 0 or -1. */
int el_ner_remember(el_ner *t, const el_ner_tok *tok, size_t n, const uint8_t *tags);

/* The model file (ext/nlp/models/ner.bin) is a container (el_model.h) with
** two sections: "ner.weights", an averaged-perceptron blob (el_perceptron.h)
** over EL_NER_NTAGS classes, and "ner.clusters", what raw text says of each
** frequent word (el_ner_wordinfo): u32 slot count (a power of two), then
** slots { u32 key; u16 c2; u8 c1; u8 cap } (key 0: empty), probed linearly from (h >> 32) & (count - 1) where h is
** el_ner_hash of the word's normalised form and key is (u32)h | 1. */
#define EL_NER_SEC_WEIGHTS "ner.weights"
#define EL_NER_SEC_CLUSTERS "ner.clusters"
#define EL_NER_CROW 8
uint64_t el_ner_hash(const char *s, size_t n);

/* The bytes of the built-in model (el_ner_blob.c; the trainer has its own). */
void el_model_ner(const void **data, size_t *len);

#endif
