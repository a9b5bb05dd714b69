/*
** The entity extractor behind entities(): rules over the exportlens tokens,
** with gazetteers matched by the token trie of el_lexicon.h. No SQLite here.
**
** It streams: el_ent_next() returns spans in text order, working one sentence
** (at most EL_ENT_BATCH tokens) at a time, so a 100 MB text is never held as
** an array of tokens. What it remembers across sentences is the people named
** so far (for "Grotto said" after "Andrew Grotto") and the acronyms defined
** so far ("... Studies (CSIS)").
**
** Labels: PERSON, ORG, GPE, NORP, LOC, DATE, PERCENT, MONEY, or a user
** dictionary's own label.
*/
#ifndef EL_ENTITIES_EL_ENTITIES_H
#define EL_ENTITIES_EL_ENTITIES_H

#include <stddef.h>

#include "el_lexicon.h"
#include "../nlp/el_ner.h"

#define EL_ENT_BATCH 2048

typedef struct el_ent_span {
  size_t start, end;      /* byte offsets, end exclusive */
  size_t sentence;        /* as sentences() numbers them */
  const char *label;
  const char *canonical;  /* NULL, or valid until the next el_ent_next call */
  const char *source;     /* the rule or gazetteer that fired */
  double value;           /* PERCENT and MONEY: the number, when has_value */
  int has_value;
} el_ent_span;

typedef struct el_ent el_ent;

/* The built-in gazetteers (and the country lookup table) are built by the
** first acquire and freed by the last release (thread-safe), so an unloaded
** extension leaves nothing behind. Each el_ent holds a reference. Returns 0,
** or -1 when out of memory. */
int el_ent_builtin_acquire(void);
void el_ent_builtin_release(void);

/* A new extractor (NULL when out of memory); el_ent_free releases it. */
el_ent *el_ent_new(void);
void el_ent_free(el_ent *e);

/* A user lexicon (may be NULL) matched before the built-ins; entries carry
** their own label, canonical and source. Not owned. */
void el_ent_set_user(el_ent *e, const el_lex *user);

/* Start on a text (not copied: it must outlive the walk). Forgets the
** previous text's people and acronyms. Returns 0 or -1 (out of memory). */
int el_ent_start(el_ent *e, const char *z, size_t n);

/* The named-entity model (ext/nlp/el_ner.h) runs by default when the
** extension was built with one; its spans merge with the rules' (see
** el_entities.c, "The model"). el_ent_set_model(e, 0) turns it off (rules
** only), 1 back on. Returns 0, or -1 when it cannot be turned on (no model
** built in, or out of memory). */
int el_ent_set_model(el_ent *e, int on);
/* Whether the model runs. */
int el_ent_model_on(const el_ent *e);

/* For the trainer: fn is called with each batch's tokens instead of the
** model and must fill tags[n] (el_ner.h tags); NULL restores the model.
** Returns 0, or -1 when out of memory. */
typedef int (*el_ent_tag_fn)(void *ctx, const el_ner_tok *tok, size_t n, uint8_t *tags);
int el_ent_set_tagger(el_ent *e, el_ent_tag_fn fn, void *ctx);

/* For the trainer: each line of the text is a gold sentence (CoNLL's), so
** no line break is read as a hard wrap (el_tokenizer.c, el_seg_wrapped). */
void el_ent_set_gold_lines(el_ent *e, int on);

/* Next span: 1, 0 at the end, -1 when out of memory. */
int el_ent_next(el_ent *e, el_ent_span *sp);

/* For callers that resolve mentions themselves (quotes: "she said" after
** "Terry said"): the full name of the person introduced so far in this text
** whose surname or first word is the word z[0..n) (any case: "Grotto",
** "grotto"), or NULL. Valid until el_ent_start or el_ent_free. */
const char *el_ent_person_for(el_ent *e, const char *z, size_t n);

#endif
