/*
** Internal to ext/entities: what the files of the rule-based extractor share
** (el_entities.c, el_ent_choose.c, el_ent_person.c, el_ent_org.c,
** el_ent_numeric.c, el_ent_model.c): the word classes, the extractor's state,
** the token tests and the rules' entry points. No SQLite.
*/
#ifndef EL_ENTITIES_EL_ENT_INT_H
#define EL_ENTITIES_EL_ENT_INT_H

#include <stdint.h>
#include <string.h>

#include "el_alloc.h"
#include "el_countries.h"
#include "el_entities.h"
/* the rules' word lists of ext/entities/data/ (el_ent_stop_words, ...), generated */
#include "el_entity_words.h"

/* ------------------------------------------------------------------------ */
/* Word classes (the "words" lexicon)                                        */

#define W_STOP      0x0001u /* capitalised function word: never a name part */
#define W_SPEECH    0x0002u /* said, added, ... */
#define W_HEAD      0x0004u /* organisation head: Center, Department, ... */
#define W_HEADFIRST 0x0008u /* head that takes of/for/on: Department of ... */
#define W_COSUFFIX  0x0010u /* company suffix: Co., Inc., Ltd. */
#define W_MONTH     0x0020u /* value: 1..12 */
#define W_WEEKDAY   0x0040u
#define W_MULT      0x0080u /* value: power of ten */
#define W_CURRENCY  0x0100u
#define W_PCT       0x0200u
#define W_YEARPREP  0x0400u /* in, since, by ... before a year */
#define W_CONNECT   0x0800u /* of, for, and, &, the, on inside a name */
#define W_PARTICLE  0x1000u /* von, van, de ... inside a person's name */
#define W_OFFOR     0x2000u /* of, for, on after a head */
#define W_NOTNAME   0x4000u /* capitalised common nouns of the genre */
#define W_ROLE      0x8000u /* adviser, lawyer, official ... */
#define W_ORGKIND   0x10000u /* firm, company, maker ... */
#define W_GIVEN     0x20000u /* a given name from data/first_names.txt */
#define W_DOCNAME   0x40000u /* what names a law or a document: Act, Rule, List ... */
#define W_STREET    0x80000u /* Drive, Street, Avenue ... (data/street_words.txt) */
#define W_NAMEMOD   0x100000u /* administration, era ... (data/name_modifier_heads.txt) */
#define W_STATEAB   0x200000u /* a US state's abbreviation: Pa., Calif. (data/us_state_abbrevs.txt) */

/* Main lexicon entry kinds. */
#define K_GAZ     1u
#define K_COUNTRY 2u
#define K_TITLE   4u
#define K_USER    8u

/* ------------------------------------------------------------------------ */
/* Arenas and a string map (el_entities.c)                                   */

typedef struct el_chunk {
  struct el_chunk *next;
  size_t used, cap;
  char data[];
} el_chunk;

typedef struct el_arena {
  el_chunk *head;
} el_arena;

typedef struct el_smap_slot {
  const char *key; /* in the document arena; NULL: empty */
  uint32_t len;
  const char *value;
} el_smap_slot;

typedef struct el_smap {
  el_smap_slot *slots;
  size_t cap, n;
} el_smap;

/* ------------------------------------------------------------------------ */
/* The extractor                                                             */

typedef struct el_etok {
  el_token t;
  uint32_t cls;     /* W_* */
  int32_t cval;     /* the word's value (month, power of ten) */
  size_t norm_off;  /* into the norm buffer, when not in the text */
  int norm_in_text;
  int cls_done;     /* cls and cval looked up (lazily: most tokens never need it) */
  int main_done;    /* the gazetteer match starting here looked up (lazily) */
  const el_lex_entry *main_entry;
  size_t main_len;
  int main_user;
} el_etok;

struct el_ent {
  const el_lex *user;
  const char *z;
  size_t n;
  el_segmenter seg;
  el_token pending;
  size_t pending_sentence;
  int has_pending;
  /* the current batch */
  el_etok *tk;
  el_lex_tok *lt;
  size_t ntk, cap;
  size_t sentence;
  int title_line;
  char *normbuf;
  size_t norm_used, norm_cap;
  /* spans of the current batch */
  el_ent_span *q;
  size_t qn, qcap, qpos;
  el_arena sent_arena; /* canonicals of the batch */
  el_arena doc_arena;  /* names remembered across sentences */
  el_smap persons;     /* surname / given name -> full name */
  int gold_lines;      /* el_ent_set_gold_lines */
  el_smap acronyms;    /* acronym -> expansion */
  el_smap orgs;        /* first word of a company found by its suffix -> name */
  struct el_ent_model *model; /* the NER model's state, NULL when off */
};

/* The built-in lexicons (el_entities.c): gazetteers, countries and titles;
** and the word classes (W_*) with their values. */
extern el_lex *el_ent_lex_main, *el_ent_lex_words;

/* ------------------------------------------------------------------------ */
/* Token helpers                                                             */

static inline const char *el_norm(const el_ent *e, size_t i, size_t *len) {
  *len = e->lt[i].nlen;
  return e->lt[i].norm;
}

/* Word class of token i, looked up on first use. */
static inline uint32_t el_cls(const el_ent *e, size_t i) {
  if (i >= e->ntk) return 0;
  el_etok *t = (el_etok *)&e->tk[i];
  if (!t->cls_done) {
    t->cls_done = 1;
    t->cls = 0;
    t->cval = 0;
    long w = el_lex_word(el_ent_lex_words, &e->lt[i]);
    if (w >= 0) {
      const el_lex_entry *en = el_lex_entry_at(el_ent_lex_words, w);
      t->cls = en->kind;
      t->cval = en->value;
    }
  }
  return t->cls;
}

static inline int32_t el_cval(const el_ent *e, size_t i) {
  if (i >= e->ntk) return 0;
  el_cls(e, i);
  return e->tk[i].cval;
}

/* A capitalised given name ("Andrew"; "ANDREW" too). */
static inline int el_given(const el_ent *e, size_t i) {
  return i < e->ntk && e->lt[i].shape != EL_SHAPE_ANY && (el_cls(e, i) & W_GIVEN);
}

static inline int el_is(const el_ent *e, size_t i, const char *w) {
  size_t len;
  if (i >= e->ntk) return 0;
  const char *s = el_norm(e, i, &len);
  return len == strlen(w) && memcmp(s, w, len) == 0;
}

static inline int el_is_word(const el_ent *e, size_t i) {
  return i < e->ntk && e->tk[i].t.kind == EL_WORD && !(e->tk[i].t.flags & EL_TF_CLITIC);
}

/* A capitalised word (not all capitals unless one letter: "J.") */
static inline int el_is_cap(const el_ent *e, size_t i) {
  return el_is_word(e, i) && e->lt[i].shape == EL_SHAPE_CAP;
}

static inline int el_is_capish(const el_ent *e, size_t i) {
  return el_is_word(e, i) && e->lt[i].shape != EL_SHAPE_ANY;
}

static inline int el_is_punct(const el_ent *e, size_t i, char c) {
  return i < e->ntk && e->tk[i].t.kind == EL_PUNCT && e->tk[i].t.end - e->tk[i].t.start == 1 &&
         e->z[e->tk[i].t.start] == c;
}

/* A hyphen at i with no space either side, joining i - 1 and i + 1:
** "Wei-ming", "Biden-Harris", "Shenzhen-based", "D-Del." */
static inline int el_glued_hyphen(const el_ent *e, size_t i) {
  return i + 1 < e->ntk && el_is_punct(e, i, '-') && !(e->tk[i].t.flags & EL_TF_SPACE_BEFORE) &&
         !(e->tk[i + 1].t.flags & EL_TF_SPACE_BEFORE);
}

/* A US state's abbreviation with its capital and its period: "Pa.", "N.Y." */
static inline int el_state_abbrev(const el_ent *e, size_t i) {
  return el_is_capish(e, i) && (el_cls(e, i) & W_STATEAB) && e->z[e->tk[i].t.end - 1] == '.';
}

/* A party and a state at i: "D-Del.", "R-Pa.", "I-Vt.", "R-NE" (a postal
** code counts here: after the party letter it is no word); 3, its tokens, or 0. */
static inline size_t el_party_tag(const el_ent *e, size_t i) {
  if (!el_is_word(e, i) || e->tk[i].t.end - e->tk[i].t.start != 1 || i + 2 >= e->ntk) return 0;
  char p = e->z[e->tk[i].t.start];
  if ((p != 'D' && p != 'R' && p != 'I') || !el_glued_hyphen(e, i + 1)) return 0;
  int postal = e->lt[i + 2].shape == EL_SHAPE_UPPER && e->tk[i + 2].t.end - e->tk[i + 2].t.start == 2;
  return el_state_abbrev(e, i + 2) || postal ? 3 : 0;
}

/* A token that opens a quotation: a curly opening quote, or a straight one
** at the start or after white space (a closing one follows its text). */
static inline int el_is_open_quote(const el_ent *e, size_t i) {
  if (i >= e->ntk || e->tk[i].t.kind != EL_PUNCT) return 0;
  const unsigned char *s = (const unsigned char *)e->z + e->tk[i].t.start;
  size_t len = e->tk[i].t.end - e->tk[i].t.start;
  if (len == 1 && (s[0] == '"' || s[0] == '\''))
    return i == 0 || (e->tk[i].t.flags & EL_TF_SPACE_BEFORE) || e->tk[i - 1].t.kind != EL_PUNCT;
  return len == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x9C || s[2] == 0x98);
}

/* The longest gazetteer match starting at token i (the user's first), looked
** up once per token: several rules ask about the same token. */
static inline const el_lex_entry *el_main_at(const el_ent *e, size_t i, size_t *len, int *user) {
  el_etok *t = (el_etok *)&e->tk[i];
  if (!t->main_done) {
    long idx;
    size_t l = 0;
    t->main_done = 1;
    t->main_entry = NULL;
    t->main_user = 0;
    if (e->user && (idx = el_lex_longest(e->user, e->lt, i, e->ntk, &l)) >= 0) {
      t->main_user = 1;
      t->main_entry = el_lex_entry_at(e->user, idx);
    } else if ((idx = el_lex_longest(el_ent_lex_main, e->lt, i, e->ntk, &l)) >= 0) {
      t->main_entry = el_lex_entry_at(el_ent_lex_main, idx);
    }
    t->main_len = l;
  }
  *user = t->main_user;
  *len = t->main_len;
  return t->main_entry;
}

/* Whether a gazetteer name other than a person starts at i. */
static inline int el_non_person_at(const el_ent *e, size_t i) {
  size_t len;
  int user;
  const el_lex_entry *en = el_main_at(e, i, &len, &user);
  return en && strcmp(en->label, "PERSON") != 0 && strcmp(en->label, "TITLE") != 0;
}

static inline int el_is_clitic(const el_ent *e, size_t i) {
  return i < e->ntk && (e->tk[i].t.flags & EL_TF_CLITIC);
}

/* ------------------------------------------------------------------------ */
/* Shared by the rules                                                       */

/* el_entities.c: the document's arena and string maps, and spans */
char *el_ent_arena_strdup(el_arena *a, const char *s, size_t n);
const char *el_ent_smap_get(const el_smap *m, const char *k, size_t n);
int el_ent_smap_put(el_smap *m, el_arena *a, const char *k, size_t n, const char *value);
void el_ent_smap_clear(el_smap *m);
int el_ent_push(el_ent *e, size_t a, size_t b, const char *label, const char *canon,
                const char *source);
const char *el_ent_surface(el_ent *e, el_arena *ar, size_t a, size_t b);

/* el_ent_choose.c: compare the candidates of each token of the batch and
** push the winners; 0, or -1 when out of memory. */
int el_ent_run_sentence(el_ent *e);

/* el_ent_person.c: the person rules at i (see there), and the helpers the
** comparison of a title with the person after it uses */
void el_ent_person_rule(const el_ent *e, size_t i, size_t *end, const char **canon,
                        const char **rule, int *reg);
int el_ent_name_part(const el_ent *e, size_t i);
size_t el_ent_name_run(const el_ent *e, size_t i, int max);
int el_ent_title_chain_name(const el_ent *e, size_t s, size_t *na, size_t *nb);
int el_ent_honorific(const el_ent *e, size_t i, size_t s);
int el_ent_phrase_goes_on(const el_ent *e, size_t r);
const char *el_ent_register_person(el_ent *e, size_t a, size_t b, const char *canon);
const char *el_ent_known_person(const el_ent *e, size_t i, size_t *end);

/* el_ent_org.c: an organisation by rule at i (its end, i when none; *rule
** names it), and the acronym defined after one ending at j. */
size_t el_ent_org_rule(const el_ent *e, size_t i, const char **rule);
size_t el_ent_acronym_def(el_ent *e, size_t j, const char *canon, int *err);

/* el_ent_numeric.c: PERCENT or MONEY, MONEY with a currency code first, and
** DATE at i: each pushes its span and returns its end, or i. */
size_t el_ent_number_rule(el_ent *e, size_t i, int *err);
size_t el_ent_code_money_rule(el_ent *e, size_t i, int *err);
size_t el_ent_date_rule(el_ent *e, size_t i, int *err);

/* el_ent_model.c: the model's state (open, close, reset for a new text), the
** token at a byte offset, and the model's pass over the batch (0, or -1). */
int el_ent_model_open(el_ent *e);
void el_ent_model_close(el_ent *e);
void el_ent_model_reset(el_ent *e);
size_t el_ent_tok_at(const el_ent *e, size_t off);
int el_ent_model_batch(el_ent *e);

#endif
