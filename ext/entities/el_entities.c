/*
** Rule-based entity extraction (see el_entities.h).
**
** Per sentence, the tokens get their normalised form, shape and word class
** (one trie lookup each). Then, from each token, candidates are compared and
** the longest wins (ties: gazetteer, then organisation rule, then person):
**   L  gazetteers (user dictionary first, then countries, agencies, ...,
**      titles) by the token trie: leftmost-longest;
**   O  organisation rules: capitalised words ending in a head or company
**      suffix ("Hoover Institution", "Samsung Electronics Co., Ltd."), or a
**      head followed by of/for/on and capitalised words ("Center for
**      Strategic and International Studies");
**   P  person rules: a title before capitalised words ("Secretary of State
**      Antony Blinken"), a given name from the gazetteer ("Andrew Grotto"), a
**      name already introduced ("Grotto", "Economy"), or capitalised words
**      next to a speech verb ("said Grotto").
** Numbers give PERCENT and MONEY; month names, weekdays and years after a
** preposition give DATE. A title-case headline only gets gazetteer matches
** and people already known, never the capitalisation rules.
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "el_alloc.h"
#include "el_countries.h"
#include "el_entities.h"

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

/* Main lexicon entry kinds. */
#define K_GAZ     1u
#define K_COUNTRY 2u
#define K_TITLE   4u
#define K_USER    8u

/* The word lists of the rules: ext/entities/data/, generated into
** el_entity_words.h by gen_entities.py --words (defined here). */
#define EL_ENT_WORDS_DEFINE
#include "el_entity_words.h"

/* ------------------------------------------------------------------------ */
/* The built-in lexicons, built once per process                             */

/* Built by the first el_ent_builtin_acquire and freed by the last release,
** so that nothing is left behind when the extension is unloaded. */
static el_lex *el_lex_main, *el_lex_words;
static int el_builtin_refs;
static pthread_mutex_t el_builtin_mu = PTHREAD_MUTEX_INITIALIZER;

static int el_add_word(const char *w, uint32_t cls, int32_t value) {
  int added;
  long idx = el_lex_add(el_lex_words, w, strlen(w), "", NULL, NULL, cls, value, &added);
  if (idx == -1) return -1;
  if (idx < 0) return 0;
  el_lex_entry *e = el_lex_entry_at(el_lex_words, idx);
  if (!added) {
    e->kind |= cls;
    if (value && !e->value) e->value = value;
  }
  return 0;
}

static int el_add_words(const char *const *list, uint32_t cls) {
  for (; *list; list++)
    if (el_add_word(*list, cls, 0) != 0) return -1;
  return 0;
}

static int el_add_valued(const el_ent_valued *list, uint32_t cls) {
  for (; list->w; list++)
    if (el_add_word(list->w, cls, list->value) != 0) return -1;
  return 0;
}

/* The word classes, in the order the lists were always added (a word's value
** is the first non-zero one it is given). */
static int el_builtin_build_words(void) {
  if (el_add_words(el_ent_stop_words, W_STOP)) return -1;
  int nsv;
  if (el_add_words(el_speech_verb_list(&nsv), W_SPEECH)) return -1;
  /* "William Moore Drive" is an address */
  if (el_add_words(el_street_word_list(&nsv), W_STREET)) return -1;
  /* "the Biden administration" names no person */
  if (el_add_words(el_name_modifier_head_list(&nsv), W_NAMEMOD)) return -1;
  if (el_add_words(el_ent_org_heads, W_HEAD)) return -1;
  if (el_add_words(el_ent_org_heads_of, W_HEADFIRST)) return -1;
  if (el_add_words(el_ent_company_suffixes, W_COSUFFIX)) return -1;
  if (el_add_words(el_ent_weekdays, W_WEEKDAY)) return -1;
  if (el_add_words(el_ent_not_name_words, W_NOTNAME)) return -1;
  if (el_add_words(el_ent_role_words, W_ROLE)) return -1;
  if (el_add_words(el_ent_org_kind_words, W_ORGKIND)) return -1;
  if (el_add_words(el_ent_doc_name_words, W_DOCNAME)) return -1;
  /* abbreviations (negative values) count only with their period (checked
  ** at match time) */
  if (el_add_valued(el_ent_months, W_MONTH)) return -1;
  if (el_add_valued(el_ent_multipliers, W_MULT)) return -1;
  if (el_add_words(el_ent_currency_words, W_CURRENCY)) return -1;
  if (el_add_valued(el_ent_percent_words, W_PCT)) return -1;
  if (el_add_words(el_ent_year_prepositions, W_YEARPREP)) return -1;
  if (el_add_words(el_ent_head_prepositions, W_OFFOR)) return -1;
  if (el_add_words(el_ent_name_connectors, W_CONNECT)) return -1;
  if (el_add_words(el_ent_name_particles, W_PARTICLE)) return -1;
  if (el_add_words(el_ent_name_suffixes, 0)) return -1;
  if (el_add_words(el_ent_headline_nouns, W_NOTNAME)) return -1;
  return 0;
}

static int el_builtin_build(void) {
  el_lex_main = el_lex_new();
  el_lex_words = el_lex_new();
  if (!el_lex_main || !el_lex_words) return -1;
  if (el_builtin_build_words() != 0) return -1;
  int n;
  const char *const *names = el_first_name_list(&n);
  for (int i = 0; i < n; i++) {
    /* given names are a word class: one lookup tells a token's class and
    ** whether it is a given name (the capital is checked at use) */
    char low[64];
    size_t k, len = strlen(names[i]);
    if (len >= sizeof(low)) continue;
    for (k = 0; k < len; k++)
      low[k] = (char)(names[i][k] >= 'A' && names[i][k] <= 'Z' ? names[i][k] + 32 : names[i][k]);
    low[len] = 0;
    if (el_add_word(low, W_GIVEN, 0) != 0) return -1;
  }
  /* Gazetteers first (longer organisation names win over country names by
  ** length anyway), then countries, then titles. */
  for (int i = 0; i < el_gaz_count(); i++) {
    const el_gaz_entry *g = el_gaz_at(i);
    if (el_lex_add(el_lex_main, g->name, strlen(g->name), g->label, g->canonical, g->source,
                   K_GAZ, 0, NULL) == -1)
      return -1;
  }
  for (int i = 0; i < el_country_count(); i++) {
    const el_country *c = el_country_at(i);
    const char *nm[3] = {c->common_name, c->name, c->official_name};
    for (int k = 0; k < 3; k++) {
      const char *s = nm[k];
      if (!s[0] || strchr(s, ',') || strchr(s, '(')) continue;
      if (strncmp(s, "the ", 4) == 0) s += 4;
      if (el_lex_add(el_lex_main, s, strlen(s), "GPE", c->iso3, "countries", K_COUNTRY, 0,
                     NULL) == -1)
        return -1;
    }
  }
  for (int i = 0; i < el_country_alias_count(); i++) {
    const el_country_alias *a = el_country_alias_at(i);
    if (a->kind == 3) continue; /* trade-dataset names: country_code() only */
    const char *s = a->text;
    if (s[0] >= 'a' && s[0] <= 'z') continue; /* "mainland China": China is found */
    if (el_lex_add(el_lex_main, s, strlen(s), a->kind == 2 ? "NORP" : "GPE",
                   el_country_at(a->country)->iso3, "countries", K_COUNTRY, 0, NULL) == -1)
      return -1;
  }
  const char *const *titles = el_title_list(&n);
  for (int i = 0; i < n; i++)
    if (el_lex_add(el_lex_main, titles[i], strlen(titles[i]), "TITLE", NULL, "title", K_TITLE,
                   0, NULL) == -1)
      return -1;
  return 0;
}

static void el_builtin_free(void) {
  el_lex_free(el_lex_main);
  el_lex_free(el_lex_words);
  el_lex_main = el_lex_words = NULL;
}

int el_ent_builtin_acquire(void) {
  int rc = 0;
  pthread_mutex_lock(&el_builtin_mu);
  if (el_builtin_refs == 0) {
    if (el_country_keys_acquire() != 0) {
      rc = -1;
    } else if (el_builtin_build() != 0) {
      el_builtin_free();
      el_country_keys_release();
      rc = -1;
    }
  }
  if (rc == 0) el_builtin_refs++;
  pthread_mutex_unlock(&el_builtin_mu);
  return rc;
}

void el_ent_builtin_release(void) {
  pthread_mutex_lock(&el_builtin_mu);
  if (el_builtin_refs > 0 && --el_builtin_refs == 0) {
    el_builtin_free();
    el_country_keys_release();
  }
  pthread_mutex_unlock(&el_builtin_mu);
}

/* ------------------------------------------------------------------------ */
/* Arenas and a string map                                                   */

typedef struct el_chunk {
  struct el_chunk *next;
  size_t used, cap;
  char data[];
} el_chunk;

typedef struct el_arena {
  el_chunk *head;
} el_arena;

static void el_arena_clear(el_arena *a) {
  el_chunk *c = a->head;
  while (c) {
    el_chunk *n = c->next;
    el_free(c);
    c = n;
  }
  a->head = NULL;
}

static char *el_arena_strdup(el_arena *a, const char *s, size_t n) {
  el_chunk *c = a->head;
  if (c == NULL || c->cap - c->used < n + 1) {
    size_t cap = n + 1 > 4000 ? n + 1 : 4000;
    c = el_malloc(sizeof(el_chunk) + cap);
    if (c == NULL) return NULL;
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  char *p = c->data + c->used;
  memcpy(p, s, n);
  p[n] = 0;
  c->used += n + 1;
  return p;
}

typedef struct el_smap_slot {
  const char *key; /* in the document arena; NULL: empty */
  uint32_t len;
  const char *value;
} el_smap_slot;

typedef struct el_smap {
  el_smap_slot *slots;
  size_t cap, n;
} el_smap;

#define EL_SMAP_MAX 65536 /* names remembered per text */

static uint32_t el_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static const char *el_smap_get(const el_smap *m, const char *k, size_t n) {
  if (m->cap == 0) return NULL;
  for (size_t i = el_hash(k, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    const el_smap_slot *s = &m->slots[i];
    if (s->key == NULL) return NULL;
    if (s->len == n && memcmp(s->key, k, n) == 0) return s->value;
  }
}

/* Set key (copied into arena) to value; 0, or -1 when out of memory. */
static int el_smap_put(el_smap *m, el_arena *a, const char *k, size_t n, const char *value) {
  if (m->n >= EL_SMAP_MAX) return 0;
  if ((m->n + 1) * 2 > m->cap) {
    size_t ncap = m->cap ? m->cap * 2 : 64;
    el_smap_slot *ns = el_calloc(ncap, sizeof(*ns));
    if (ns == NULL) return -1;
    for (size_t i = 0; i < m->cap; i++) {
      if (m->slots[i].key == NULL) continue;
      size_t j = el_hash(m->slots[i].key, m->slots[i].len) & (ncap - 1);
      while (ns[j].key) j = (j + 1) & (ncap - 1);
      ns[j] = m->slots[i];
    }
    el_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
  }
  size_t i = el_hash(k, n) & (m->cap - 1);
  for (;; i = (i + 1) & (m->cap - 1)) {
    el_smap_slot *s = &m->slots[i];
    if (s->key == NULL) break;
    if (s->len == n && memcmp(s->key, k, n) == 0) {
      s->value = value;
      return 0;
    }
  }
  const char *kc = el_arena_strdup(a, k, n);
  if (kc == NULL) return -1;
  m->slots[i].key = kc;
  m->slots[i].len = (uint32_t)n;
  m->slots[i].value = value;
  m->n++;
  return 0;
}

static void el_smap_clear(el_smap *m) {
  el_free(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}

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

static int el_model_on(el_ent *e);
static void el_model_off(el_ent *e);
static void el_model_reset(el_ent *e);
static int el_model_batch(el_ent *e);

el_ent *el_ent_new(void) {
  if (el_ent_builtin_acquire() != 0) return NULL;
  el_ent *e = el_calloc(1, sizeof(el_ent));
  if (e == NULL) el_ent_builtin_release();
  else if (el_ner_builtin() != NULL && el_model_on(e) != 0) {
    el_ent_free(e);
    return NULL;
  }
  return e;
}

static void el_ent_clear_doc(el_ent *e) {
  el_arena_clear(&e->sent_arena);
  el_arena_clear(&e->doc_arena);
  el_smap_clear(&e->persons);
  el_smap_clear(&e->acronyms);
  el_smap_clear(&e->orgs);
}

void el_ent_free(el_ent *e) {
  if (e == NULL) return;
  el_ent_clear_doc(e);
  el_free(e->tk);
  el_free(e->lt);
  el_free(e->normbuf);
  el_free(e->q);
  el_model_off(e);
  el_free(e);
  el_ent_builtin_release();
}

void el_ent_set_user(el_ent *e, const el_lex *user) { e->user = user; }

void el_ent_set_gold_lines(el_ent *e, int on) { e->gold_lines = on; }

int el_ent_start(el_ent *e, const char *z, size_t n) {
  el_ent_clear_doc(e);
  e->z = z ? z : "";
  e->n = z ? n : 0;
  el_segmenter_init(&e->seg, e->z, e->n);
  e->seg.no_wrap = e->gold_lines;
  e->has_pending = el_segmenter_next(&e->seg, &e->pending, &e->pending_sentence);
  e->qn = e->qpos = 0;
  e->ntk = 0;
  if (e->model) el_model_reset(e);
  return 0;
}

const char *el_ent_person_for(el_ent *e, const char *z, size_t n) {
  el_tokenizer tk;
  el_token t;
  char buf[256];
  if (z == NULL) return NULL;
  el_tokenizer_init(&tk, z, n);
  if (!el_tokenizer_next(&tk, &t)) return NULL;
  size_t len = el_token_norm((const unsigned char *)z, &t, EL_NORM_FTS, buf, sizeof(buf));
  if (len > sizeof(buf)) return NULL;
  return el_smap_get(&e->persons, buf, len);
}

/* --- token helpers -------------------------------------------------------- */

static const char *el_norm(const el_ent *e, size_t i, size_t *len) {
  *len = e->lt[i].nlen;
  return e->lt[i].norm;
}

/* Word class of token i, looked up on first use. */
static uint32_t el_cls(const el_ent *e, size_t i) {
  if (i >= e->ntk) return 0;
  el_etok *t = (el_etok *)&e->tk[i];
  if (!t->cls_done) {
    t->cls_done = 1;
    t->cls = 0;
    t->cval = 0;
    long w = el_lex_word(el_lex_words, &e->lt[i]);
    if (w >= 0) {
      const el_lex_entry *en = el_lex_entry_at(el_lex_words, w);
      t->cls = en->kind;
      t->cval = en->value;
    }
  }
  return t->cls;
}

static int32_t el_cval(const el_ent *e, size_t i) {
  if (i >= e->ntk) return 0;
  el_cls(e, i);
  return e->tk[i].cval;
}

/* A capitalised given name ("Andrew"; "ANDREW" too). */
static int el_given(const el_ent *e, size_t i) {
  return i < e->ntk && e->lt[i].shape != EL_SHAPE_ANY && (el_cls(e, i) & W_GIVEN);
}

static int el_is(const el_ent *e, size_t i, const char *w) {
  size_t len;
  if (i >= e->ntk) return 0;
  const char *s = el_norm(e, i, &len);
  return len == strlen(w) && memcmp(s, w, len) == 0;
}

static int el_is_word(const el_ent *e, size_t i) {
  return i < e->ntk && e->tk[i].t.kind == EL_WORD && !(e->tk[i].t.flags & EL_TF_CLITIC);
}

/* A capitalised word (not all capitals unless one letter: "J.") */
static int el_is_cap(const el_ent *e, size_t i) {
  return el_is_word(e, i) && e->lt[i].shape == EL_SHAPE_CAP;
}

static int el_is_capish(const el_ent *e, size_t i) {
  return el_is_word(e, i) && e->lt[i].shape != EL_SHAPE_ANY;
}

static int el_is_punct(const el_ent *e, size_t i, char c) {
  return i < e->ntk && e->tk[i].t.kind == EL_PUNCT && e->tk[i].t.end - e->tk[i].t.start == 1 &&
         e->z[e->tk[i].t.start] == c;
}

/* A token that opens a quotation: a curly opening quote, or a straight one
** at the start or after white space (a closing one follows its text). */
static int el_is_open_quote(const el_ent *e, size_t i) {
  if (i >= e->ntk || e->tk[i].t.kind != EL_PUNCT) return 0;
  const unsigned char *s = (const unsigned char *)e->z + e->tk[i].t.start;
  size_t len = e->tk[i].t.end - e->tk[i].t.start;
  if (len == 1 && (s[0] == '"' || s[0] == '\''))
    return i == 0 || (e->tk[i].t.flags & EL_TF_SPACE_BEFORE) || e->tk[i - 1].t.kind != EL_PUNCT;
  return len == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x9C || s[2] == 0x98);
}

/* The longest gazetteer match starting at token i (the user's first), looked
** up once per token: several rules ask about the same token. */
static const el_lex_entry *el_main_at(const el_ent *e, size_t i, size_t *len, int *user) {
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
    } else if ((idx = el_lex_longest(el_lex_main, e->lt, i, e->ntk, &l)) >= 0) {
      t->main_entry = el_lex_entry_at(el_lex_main, idx);
    }
    t->main_len = l;
  }
  *user = t->main_user;
  *len = t->main_len;
  return t->main_entry;
}

/* Whether a gazetteer name other than a person starts at i. */
static int el_non_person_at(const el_ent *e, size_t i) {
  size_t len;
  int user;
  const el_lex_entry *en = el_main_at(e, i, &len, &user);
  return en && strcmp(en->label, "PERSON") != 0 && strcmp(en->label, "TITLE") != 0;
}

/* A word that can be part of a person's name. */
static int el_name_part(const el_ent *e, size_t i) {
  if (!el_is_cap(e, i)) return 0;
  uint32_t c = el_cls(e, i);
  if (c & (W_STOP | W_HEAD | W_COSUFFIX | W_WEEKDAY | W_SPEECH | W_NOTNAME | W_STREET)) return 0;
  if ((c & W_MONTH) && el_cval(e, i) > 0) return 0;
  return 1;
}

/* Name run from i: capitalised words, hyphenated parts and particles, at most
** max words; returns its end (exclusive), i when empty. */
static size_t el_name_run(const el_ent *e, size_t i, int max) {
  size_t j = i;
  int words = 0;
  while (j < e->ntk && words < max) {
    if (el_name_part(e, j) && (j == i || !el_non_person_at(e, j))) {
      j++;
      words++;
      /* Suk-yeol, Jae-in (at most three joins: no scan along a long chain) */
      for (int h = 0; h < 3 && j + 1 < e->ntk && el_is_punct(e, j, '-') &&
             !(e->tk[j].t.flags & EL_TF_SPACE_BEFORE) && el_is_word(e, j + 1) &&
             !(e->tk[j + 1].t.flags & EL_TF_SPACE_BEFORE); h++)
        j += 2;
      continue;
    }
    if (j > i && (el_cls(e, j) & W_PARTICLE) && e->lt[j].shape == EL_SHAPE_ANY) {
      /* "van der", "von der": up to three particles before the surname */
      size_t k = j + 1;
      while (k < e->ntk && k < j + 3 && (el_cls(e, k) & W_PARTICLE) &&
             e->lt[k].shape == EL_SHAPE_ANY)
        k++;
      if (el_name_part(e, k)) {
        j = k;
        continue;
      }
    }
    break;
  }
  return j;
}

/* A title's qualifier and the name after it: "Attorney for the Northern
** District of California Ismail Ramsey", "Minister of Economic Affairs Wang
** Mei-hua". From s (an "of" or "for" after the title), capitalised words and
** of/for/the/and, at most 14 tokens; the name is the end of the last
** capitalised run: from its first given name, else its last two names. The run must hold more than
** the name ("Secretary of State for Foreign Affairs" names nobody). Returns
** 1 with the name's tokens in [*na, *nb). */
static int el_title_chain_name(const el_ent *e, size_t s, size_t *na, size_t *nb) {
  if (!(el_is(e, s, "of") || el_is(e, s, "for"))) return 0;
  size_t c = s, f = s;
  int cap_end = 0; /* the chain so far ends with a capitalised word */
  while (c < e->ntk && c < s + 14) {
    if (el_is_capish(e, c)) {
      if (!cap_end) f = c;
      cap_end = 1;
      c++;
      /* "Mei-hua": a hyphenated part goes with its word */
      while (c + 1 < e->ntk && el_is_punct(e, c, '-') && !(e->tk[c].t.flags & EL_TF_SPACE_BEFORE) &&
             el_is_word(e, c + 1) && !(e->tk[c + 1].t.flags & EL_TF_SPACE_BEFORE))
        c += 2;
      continue;
    }
    if (el_is(e, c, "of") || el_is(e, c, "for") || el_is(e, c, "the") || el_is(e, c, "and")) {
      cap_end = 0;
      c++;
      continue;
    }
    break;
  }
  if (f == s || !cap_end || el_is_capish(e, c)) return 0;
  size_t a = c;
  for (size_t k = f; k < c; k++)
    if (el_given(e, k)) {
      a = k;
      break;
    }
  if (a == c) {
    /* the last two words (a hyphenated one counts once) */
    int units = 0;
    a = c;
    while (a > f && units < 2) {
      a--;
      while (a >= f + 2 && el_is_punct(e, a - 1, '-')) a -= 2;
      units++;
    }
    if (units < 2) return 0;
  }
  if (a <= f) return 0;
  for (size_t k = a; k < c; k++)
    if (el_is_word(e, k) && !(k > a && el_is_punct(e, k - 1, '-')) && !el_name_part(e, k) &&
        !(e->lt[k].shape != EL_SHAPE_ANY && e->tk[k].t.end - e->tk[k].t.start <= 2))
      return 0;
  *na = a;
  *nb = c;
  return 1;
}

/* Whether the title [i, s) is an honorific or an office held by one person
** ("Mr.", "Sen.", "President", "Secretary"), after which a lone surname is a
** name ("Secretary Raimondo"). */
static int el_honorific(const el_ent *e, size_t i, size_t s) {
  size_t len;
  const char *w = el_norm(e, s - 1, &len);
  (void)i;
  for (const char *const *h = el_ent_honorifics; *h; h++) /* data/honorifics.txt */
    if (strlen(*h) == len && memcmp(*h, w, len) == 0) return 1;
  return 0;
}

/* A capitalised role word ending a title that the gazetteer does not know
** ("Chief Financial Officer Colette Kress", "Policy Director ..."): the name
** after it starts free. */
static int el_role_title(const el_ent *e, size_t i) {
  return el_is_cap(e, i) && (el_cls(e, i) & W_ROLE);
}

/* Whether a capitalised phrase goes on at r (past a candidate name): then the
** name was part of something else ("Frank Wall Street Reform"), unless what
** follows is a known name of its own. */
static int el_phrase_goes_on(const el_ent *e, size_t r) {
  if (!el_is_capish(e, r)) return 0;
  return !el_non_person_at(e, r);
}

/* --- spans ------------------------------------------------------------------ */

static int el_push(el_ent *e, size_t a, size_t b, const char *label, const char *canon,
                   const char *source) {
  if (e->qn == e->qcap) {
    size_t ncap = e->qcap ? e->qcap * 2 : 32;
    el_ent_span *nq = el_realloc(e->q, sizeof(*nq) * ncap);
    if (nq == NULL) return -1;
    e->q = nq;
    e->qcap = ncap;
  }
  el_ent_span *s = &e->q[e->qn++];
  s->start = e->tk[a].t.start;
  s->end = e->tk[b - 1].t.end;
  s->sentence = e->sentence;
  s->label = label;
  s->canonical = canon;
  s->source = source;
  s->value = 0;
  s->has_value = 0;
  return 0;
}

/* Surface text of tokens [a, b) with single spaces, into the given arena. */
static const char *el_surface(el_ent *e, el_arena *ar, size_t a, size_t b) {
  char buf[512];
  size_t o = 0;
  for (size_t i = a; i < b; i++) {
    size_t len = e->tk[i].t.end - e->tk[i].t.start;
    if (i > a && (e->tk[i].t.flags & EL_TF_SPACE_BEFORE)) {
      if (o + 1 >= sizeof(buf)) break;
      buf[o++] = ' ';
    }
    if (o + len >= sizeof(buf)) break;
    memcpy(buf + o, e->z + e->tk[i].t.start, len);
    o += len;
  }
  return el_arena_strdup(ar, buf, o);
}

/* Remember a person named by tokens [a, b): its surname and given name then
** resolve to the full name. Returns the canonical (or NULL when out of
** memory). */
static const char *el_register_person(el_ent *e, size_t a, size_t b, const char *canon) {
  int surface = canon == NULL;
  if (canon == NULL) canon = el_surface(e, &e->doc_arena, a, b);
  else canon = el_arena_strdup(&e->doc_arena, canon, strlen(canon));
  if (canon == NULL) return NULL;
  size_t len;
  const char *k;
  /* the last word that is not a hyphenated tail: "Yoon Suk Yeol" -> yeol */
  size_t last = b - 1;
  while (last > a && !el_is_word(e, last)) last--;
  while (last > a && el_is_punct(e, last - 1, '-')) last -= 2;
  if (surface && b - a > 1) {
    /* a later short form of a person named in full: "Von der Leyen" after
    ** "Ursula von der Leyen" (the full name ends with it), "Sec. Yellen"
    ** after "Janet Yellen" (abbreviated titles before the surname) */
    k = el_norm(e, last, &len);
    const char *full = el_smap_get(&e->persons, k, len);
    size_t fl = full ? strlen(full) : 0, cl = strlen(canon);
    if (full && fl > cl && full[fl - cl - 1] == ' ' && strncasecmp(full + fl - cl, canon, cl) == 0)
      return full;
    int abbrev = full != NULL;
    for (size_t t = a; t < last && abbrev; t++)
      abbrev = !el_is_word(e, t) || (e->tk[t].t.flags & EL_TF_ABBREV);
    if (abbrev) return full;
  }
  /* keys: the surname and the first word, unless an initial or a common word.
  ** A first word never replaces a name already known by it: "Pelosi" after
  ** "Nancy Pelosi" stays hers when the model later finds "Pelosi Rejects" in
  ** a title-case headline (the model runs after the rules of its batch). */
  size_t keys[2] = {last, a};
  for (int q = 0; q < (b - a > 1 ? 2 : 1); q++) {
    size_t t = keys[q];
    k = el_norm(e, t, &len);
    if (len < 2 || (el_cls(e, t) & (W_NOTNAME | W_STOP)) || (e->tk[t].t.flags & EL_TF_ABBREV))
      continue;
    if (q == 1 && el_smap_get(&e->persons, k, len) != NULL) continue;
    if (el_smap_put(&e->persons, &e->doc_arena, k, len, canon) != 0) return NULL;
  }
  return canon;
}

/* A person already introduced at i: its canonical, and *end past the mention
** (the full name when it is repeated). */
static const char *el_known_person(const el_ent *e, size_t i, size_t *end) {
  if (!el_is_capish(e, i)) return NULL;
  size_t len;
  const char *k = el_norm(e, i, &len);
  const char *canon = el_smap_get(&e->persons, k, len);
  if (canon == NULL) return NULL;
  /* a hyphenated surname is one name: "Vasquez-Lund" */
  {
    size_t j = i + 1;
    for (int h = 0; h < 3 && j + 1 < e->ntk && el_is_punct(e, j, '-') &&
                    !(e->tk[j].t.flags & EL_TF_SPACE_BEFORE) && el_is_word(e, j + 1) &&
                    !(e->tk[j + 1].t.flags & EL_TF_SPACE_BEFORE);
         h++)
      j += 2;
    if (j > i + 1) {
      *end = j;
      return canon;
    }
  }
  /* extend over the rest of the full name when it follows */
  size_t j = i + 1, off = e->tk[i].t.end - e->tk[i].t.start;
  size_t clen = strlen(canon);
  *end = i + 1;
  if (off <= clen && strncmp(canon, e->z + e->tk[i].t.start, off) == 0) {
    while (j < e->ntk && off < clen) {
      size_t tl = e->tk[j].t.end - e->tk[j].t.start;
      int sp = (e->tk[j].t.flags & EL_TF_SPACE_BEFORE) != 0;
      if (sp && canon[off] != ' ') break;
      size_t o2 = off + (size_t)sp;
      if (o2 + tl > clen || strncmp(canon + o2, e->z + e->tk[j].t.start, tl) != 0) break;
      off = o2 + tl;
      j++;
      if (off == clen) *end = j;
    }
  }
  return canon;
}

/* --- numbers and dates ------------------------------------------------------ */

static int el_parse_number(const char *s, size_t n, double *out, int *suffix_pow) {
  size_t i = 0;
  double v = 0, scale = 0;
  int digits = 0;
  *suffix_pow = 0;
  while (i < n && !(s[i] >= '0' && s[i] <= '9')) i++;
  for (; i < n; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (scale > 0) {
        v += (c - '0') * scale;
        scale /= 10;
      } else {
        v = v * 10 + (c - '0');
      }
      digits++;
    } else if (c == ',' && scale == 0) {
      continue;
    } else if (c == '.' && scale == 0 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
      scale = 0.1;
    } else {
      break;
    }
  }
  if (!digits) return 0;
  /* 1.5bn, 300m, 20k */
  size_t rest = n - i;
  const char *r = s + i;
  if (rest == 2 && (r[0] == 'b' || r[0] == 'B') && (r[1] == 'n' || r[1] == 'N')) *suffix_pow = 9;
  else if (rest == 1 && (r[0] == 'b' || r[0] == 'B')) *suffix_pow = 9;
  else if (rest == 1 && (r[0] == 'm' || r[0] == 'M')) *suffix_pow = 6;
  else if (rest == 2 && (r[0] == 'm' || r[0] == 'M') && (r[1] == 'n' || r[1] == 'N')) *suffix_pow = 6;
  else if (rest == 1 && (r[0] == 'k' || r[0] == 'K')) *suffix_pow = 3;
  else if (rest == 2 && (r[0] == 't' || r[0] == 'T') && (r[1] == 'n' || r[1] == 'N')) *suffix_pow = 12;
  *out = v;
  return 1;
}

static double el_pow10(int p) {
  double v = 1;
  while (p-- > 0) v *= 10;
  return v;
}

static int el_token_number(const el_ent *e, size_t i, double *v, int *pw) {
  const el_token *t = &e->tk[i].t;
  return el_parse_number(e->z + t->start, t->end - t->start, v, pw);
}

/* An integer token of 1 to 4 digits: its value, or -1. */
static long el_small_int(const el_ent *e, size_t i) {
  if (i >= e->ntk || e->tk[i].t.kind != EL_NUMBER) return -1;
  const char *s = e->z + e->tk[i].t.start;
  size_t n = e->tk[i].t.end - e->tk[i].t.start;
  if (n == 0 || n > 4) return -1;
  long v = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

/* PERCENT or MONEY at i: pushes it and returns its end, or i. */
static size_t el_number_rule(el_ent *e, size_t i, int *err) {
  const el_etok *t = &e->tk[i];
  if (t->t.kind != EL_NUMBER && t->t.kind != EL_PERCENT && t->t.kind != EL_MONEY) return i;
  double v;
  int pw;
  if (t->t.kind == EL_PERCENT && el_token_number(e, i, &v, &pw)) {
    if (el_push(e, i, i + 1, "PERCENT", NULL, "number")) return *err = 1, i;
    e->q[e->qn - 1].value = v;
    e->q[e->qn - 1].has_value = 1;
    return i + 1;
  }
  if (t->t.kind == EL_NUMBER && el_token_number(e, i, &v, &pw)) {
    size_t j = i + 1;
    if (j < e->ntk && (el_cls(e, j) & W_PCT) && el_cval(e, j) == 0) {
      if (el_push(e, i, j + 1, "PERCENT", NULL, "number")) return *err = 1, i;
      e->q[e->qn - 1].value = v;
      e->q[e->qn - 1].has_value = 1;
      return j + 1;
    }
    if (j + 1 < e->ntk && el_is(e, j, "per") && el_is(e, j + 1, "cent")) {
      if (el_push(e, i, j + 2, "PERCENT", NULL, "number")) return *err = 1, i;
      e->q[e->qn - 1].value = v;
      e->q[e->qn - 1].has_value = 1;
      return j + 2;
    }
    int p = pw;
    if (j < e->ntk && (el_cls(e, j) & W_MULT)) p += el_cval(e, j++);
    if (j < e->ntk && (el_cls(e, j) & W_CURRENCY) && e->tk[j].t.kind == EL_WORD) {
      if (el_push(e, i, j + 1, "MONEY", NULL, "number")) return *err = 1, i;
      e->q[e->qn - 1].value = v * el_pow10(p);
      e->q[e->qn - 1].has_value = 1;
      return j + 1;
    }
    return i;
  }
  if (t->t.kind == EL_MONEY && el_token_number(e, i, &v, &pw)) {
    size_t j = i + 1;
    int p = pw;
    if (j < e->ntk && (el_cls(e, j) & W_MULT)) p += el_cval(e, j++);
    if (el_push(e, i, j, "MONEY", NULL, "number")) return *err = 1, i;
    e->q[e->qn - 1].value = v * el_pow10(p);
    e->q[e->qn - 1].has_value = 1;
    return j;
  }
  return i;
}

/* MONEY written with a currency code first: "USD 3 million", "RMB 10 billion". */
static size_t el_code_money_rule(el_ent *e, size_t i, int *err) {
  double v;
  int pw;
  if (!(el_cls(e, i) & W_CURRENCY) || e->lt[i].shape != EL_SHAPE_UPPER || i + 1 >= e->ntk ||
      e->tk[i + 1].t.kind != EL_NUMBER || !el_token_number(e, i + 1, &v, &pw))
    return i;
  size_t j = i + 2;
  if (j < e->ntk && (el_cls(e, j) & W_MULT)) pw += el_cval(e, j++);
  if (el_push(e, i, j, "MONEY", NULL, "number")) return *err = 1, i;
  e->q[e->qn - 1].value = v * el_pow10(pw);
  e->q[e->qn - 1].has_value = 1;
  return j;
}

/* "of" after a part of a year: "the first half of 2024", "the end of 2023". */
static int el_period_of(const el_ent *e, size_t i) {
  if (i == 0 || !el_is(e, i, "of")) return 0;
  for (const char *const *w = el_ent_year_part_words; *w; w++) /* data/year_part_words.txt */
    if (el_is(e, i - 1, *w)) return 1;
  return 0;
}

/* DATE at i: pushes it and returns its end, or i. */
static size_t el_date_rule(el_ent *e, size_t i, int *err) {
  const el_etok *t = &e->tk[i];
  char buf[96];
  /* only capitalised words (months, weekdays) and numbers (years) start a date */
  if (t->t.kind == EL_WORD ? e->lt[i].shape == EL_SHAPE_ANY : t->t.kind != EL_NUMBER) return i;
  if ((el_cls(e, i) & W_MONTH) && e->lt[i].shape != EL_SHAPE_ANY) {
    int month = el_cval(e, i);
    if (month < 0) {
      /* "Jan" the name, "Mar": an abbreviation needs its period or a number */
      long nx = el_small_int(e, i + 1);
      if (!(t->t.flags & EL_TF_ABBREV) && !(nx >= 1 && nx <= 31) && !(nx >= 1000 && nx <= 2999))
        return i;
      month = -month;
    }
    if (month == 0) return i;
    size_t j = i + 1;
    long day = -1, year = -1;
    long d = el_small_int(e, j);
    if (d >= 1 && d <= 31 && e->tk[j].t.end - e->tk[j].t.start <= 2) {
      day = d;
      j++;
      if (el_is_punct(e, j, ',')) {
        long y = el_small_int(e, j + 1);
        if (y >= 1000 && y <= 2999) year = y, j += 2;
      } else {
        long y = el_small_int(e, j);
        if (y >= 1000 && y <= 2999) year = y, j++;
      }
    } else if (d >= 1000 && d <= 2999) {
      year = d;
      j++;
    }
    /* "May" alone: a month only mid-sentence (the verb is lower case there) */
    if (month == 5 && day < 0 && year < 0 && el_cval(e, i) > 0 && i == 0) return i;
    if (month == 5 && day < 0 && year < 0 && e->title_line) return i;
    if (year > 0 && day > 0) snprintf(buf, sizeof(buf), "%04ld-%02d-%02ld", year, month, day);
    else if (year > 0) snprintf(buf, sizeof(buf), "%04ld-%02d", year, month);
    else if (day > 0) snprintf(buf, sizeof(buf), "--%02d-%02ld", month, day);
    else snprintf(buf, sizeof(buf), "--%02d", month);
    const char *c = el_arena_strdup(&e->sent_arena, buf, strlen(buf));
    if (c == NULL || el_push(e, i, j, "DATE", c, "date")) return *err = 1, i;
    return j;
  }
  if ((el_cls(e, i) & W_WEEKDAY) && e->lt[i].shape != EL_SHAPE_ANY) {
    if (el_push(e, i, i + 1, "DATE", NULL, "date")) return *err = 1, i;
    return i + 1;
  }
  long y = el_small_int(e, i);
  if (y >= 1900 && y <= 2099 && e->tk[i].t.end - e->tk[i].t.start == 4 && i > 0 &&
      ((el_cls(e, i - 1) & W_YEARPREP) || el_period_of(e, i - 1))) {
    snprintf(buf, sizeof(buf), "%04ld", y);
    const char *c = el_arena_strdup(&e->sent_arena, buf, strlen(buf));
    if (c == NULL || el_push(e, i, i + 1, "DATE", c, "date")) return *err = 1, i;
    return i + 1;
  }
  return i;
}

/* --- organisations ---------------------------------------------------------- */

/* Tail of a head-first name from i (after of/for/on): capitalised words joined
** by and/&/of/the/for/commas; returns its end, or i when there is none. */
static size_t el_org_tail(const el_ent *e, size_t i) {
  size_t j = i, end = i;
  while (j < e->ntk) {
    if ((el_cls(e, j) & W_WEEKDAY) || ((el_cls(e, j) & W_MONTH) && el_cval(e, j) > 0)) break;
    if (el_is_capish(e, j) && !(el_cls(e, j) & W_STOP && e->lt[j].shape == EL_SHAPE_CAP &&
                                 !(el_cls(e, j) & W_CONNECT))) {
      j++;
      end = j;
      continue;
    }
    if (end > i && j + 1 < e->ntk &&
        ((el_cls(e, j) & W_CONNECT) || el_is_punct(e, j, ',')) && el_is_capish(e, j + 1)) {
      if (el_is_punct(e, j, ',')) {
        /* "Trade, Industry and Energy": a comma only inside a list ending in and */
        size_t k = j + 1;
        while (k < e->ntk && (el_is_capish(e, k) || el_is_punct(e, k, ','))) k++;
        if (k >= e->ntk || !el_is(e, k, "and")) break;
      }
      j++;
      continue;
    }
    break;
  }
  return end;
}

/* Company suffixes after j: "Co.", ", Ltd.", "Inc." */
static size_t el_co_suffixes(const el_ent *e, size_t j) {
  for (;;) {
    if (j < e->ntk && (el_cls(e, j) & W_COSUFFIX) && el_is_capish(e, j)) {
      j++;
      continue;
    }
    if (el_is_punct(e, j, ',') && j + 1 < e->ntk && (el_cls(e, j + 1) & W_COSUFFIX) &&
        el_is_capish(e, j + 1) && (e->tk[j + 1].t.flags & EL_TF_ABBREV)) {
      j += 2;
      continue;
    }
    return j;
  }
}

static int el_is_clitic(const el_ent *e, size_t i) {
  return i < e->ntk && (e->tk[i].t.flags & EL_TF_CLITIC);
}

/* What kind of organisation a lower-case word names: the word list, or any
** "-maker" ("toolmaker", "drugmaker"). */
static int el_org_kind(const el_ent *e, size_t k) {
  if (el_cls(e, k) & W_ORGKIND) return 1;
  size_t len;
  const char *w = el_norm(e, k, &len);
  return len > 5 && memcmp(w + len - 5, "maker", 5) == 0;
}

/* "TechInsights, a Canadian firm": one to three capitalised words, not inside
** a longer capitalised phrase, then ", a/an/the" and, within four lower-case
** words, what kind of organisation it is. Returns the end, or i. */
static size_t el_org_apposition(const el_ent *e, size_t i, const char **rule) {
  if (i > 0 && el_is_capish(e, i - 1)) return i;
  /* data/apposition_determiners.txt */
  for (const char *const *d = el_ent_apposition_determiners; i > 0 && *d; d++)
    if (el_is(e, i - 1, *d)) return i; /* "these ADs, the agency ..." */
  size_t r = i;
  while (r < e->ntk && r - i < 3 && el_is_capish(e, r) &&
         !(el_cls(e, r) & (W_STOP | W_SPEECH | W_WEEKDAY)) && !(r > i && el_non_person_at(e, r)))
    r++;
  if (r == i || !el_is_punct(e, r, ',') || r + 2 >= e->ntk) return i;
  if (!(el_is(e, r + 1, "a") || el_is(e, r + 1, "an") || el_is(e, r + 1, "the"))) return i;
  for (size_t k = r + 2; k < e->ntk && k <= r + 6; k++) {
    if (el_is_clitic(e, k)) continue; /* "the company's chief executive" */
    if (!el_is_word(e, k) && !el_is_punct(e, k, '-')) break;
    if (el_cls(e, k) & W_ROLE) return i; /* "..., a senior fellow": a person */
    if (el_org_kind(e, k) && e->lt[k].shape == EL_SHAPE_ANY) {
      /* a possessive: the kind word names whose role follows ("the group's
      ** president"), not what the name is */
      if (el_is_clitic(e, k + 1)) continue;
      /* the description ends there ("a Canadian firm, said"), unlike a clause
      ** ("these ADs, the agency has received") */
      size_t nx = k + 1;
      if (nx < e->ntk && el_is_word(e, nx) && !el_is(e, nx, "that") && !el_is(e, nx, "which") &&
          !el_is(e, nx, "based") && !el_is(e, nx, "in") && !el_is(e, nx, "of") &&
          !el_is(e, nx, "with") && !el_is(e, nx, "whose") && !el_is(e, nx, "and"))
        return i;
      *rule = "org_apposition";
      return r;
    }
  }
  return i;
}

/* A role word at k, singular or plural ("analyst", "analysts"). */
static int el_role_at(const el_ent *e, size_t k) {
  if (k >= e->ntk || !el_is_word(e, k)) return 0;
  if (el_cls(e, k) & W_ROLE) return 1;
  size_t len;
  const char *w = el_norm(e, k, &len);
  if (len < 4 || w[len - 1] != 's') return 0;
  el_lex_tok t = e->lt[k];
  t.nlen = (uint32_t)(len - 1);
  long idx = el_lex_word(el_lex_words, &t);
  return idx >= 0 && (el_lex_entry_at(el_lex_words, idx)->kind & W_ROLE);
}

/* "analysts at ING", "an economist with Nomura": one to three capitalised
** words after a role and at/with/from are where that person works. */
static size_t el_org_context(const el_ent *e, size_t i, const char **rule) {
  /* "a company called Jiangsu Hantang International": a firm's name with no
  ** suffix, up to five capitalised words */
  if (i >= 2 && (el_is(e, i - 1, "called") || el_is(e, i - 1, "named")) &&
      e->lt[i - 2].shape == EL_SHAPE_ANY && (el_cls(e, i - 2) & W_ORGKIND)) {
    size_t r = i;
    while (r < e->ntk && r - i < 5 && el_is_capish(e, r) &&
           !(el_cls(e, r) & (W_STOP | W_SPEECH | W_WEEKDAY | W_MONTH)))
      r++;
    if (r > i && !el_is_capish(e, r)) {
      *rule = "org_context";
      return r;
    }
  }
  if (i < 2 || !(el_is(e, i - 1, "at") || el_is(e, i - 1, "with") || el_is(e, i - 1, "from")))
    return i;
  if (!el_role_at(e, i - 2) || el_given(e, i) ||
      (i - 2 > 0 && e->lt[i - 2].shape != EL_SHAPE_ANY) || e->lt[i - 1].shape != EL_SHAPE_ANY)
    return i; /* lower case: "U.S. Reporter With Foreign Affiliate" is a title */
  size_t r = i;
  while (r < e->ntk && r - i < 3 && el_is_capish(e, r) &&
         !(el_cls(e, r) & (W_STOP | W_SPEECH | W_WEEKDAY | W_MONTH)) && !el_non_person_at(e, r))
    r++;
  if (r == i || el_is_capish(e, r)) return i;
  *rule = "org_context";
  return r;
}

/* Organisation by rule at i: returns its end (i when none), *rule names it. */
static size_t el_org_rule(const el_ent *e, size_t i, const char **rule) {
  if (!el_is_capish(e, i)) return i;
  if ((el_cls(e, i) & W_STOP) && !(el_cls(e, i) & W_HEAD)) return i;
  /* head first: Department of Commerce, Center for Strategic ... */
  if ((el_cls(e, i) & W_HEADFIRST) && i + 1 < e->ntk && (el_cls(e, i + 1) & W_OFFOR)) {
    size_t k = i + 2;
    if (k < e->ntk && el_is(e, k, "the")) k++;
    size_t end = el_org_tail(e, k);
    if (end > k) {
      *rule = "org_head";
      return end;
    }
  }
  /* head last: capitalised words ending in a head or a company suffix */
  size_t j = i, best = i;
  /* "Rival Nikon Corp" at a sentence start: the known name starts the organisation */
  if ((i == 0 || el_is_open_quote(e, i - 1)) && i + 1 < e->ntk && el_is_capish(e, i + 1)) {
    size_t len;
    int user;
    const el_lex_entry *nx = el_main_at(e, i + 1, &len, &user);
    if (nx && strcmp(nx->label, "ORG") == 0) return i;
  }
  while (j < e->ntk && el_is_capish(e, j) && j - i < 8) {
    if (j > i && (el_cls(e, j) & (W_HEAD | W_COSUFFIX))) best = j + 1;
    if (j > i && (el_cls(e, j) & W_STOP) && !(el_cls(e, j) & (W_HEAD | W_COSUFFIX))) break;
    j++;
    /* Harlow & Finch LLP */
    if (el_is_punct(e, j, '&') && el_is_capish(e, j + 1)) j++;
    /* Food and Drug Administration, Fish and Wildlife Service: "and" inside a
    ** name, but not between two names of their own ("Samsung and LG Electronics") */
    else if (el_is(e, j, "and") && el_is_capish(e, j + 1) && !el_non_person_at(e, j + 1) &&
             !el_non_person_at(e, i)) {
      size_t k = j + 1;
      while (k < e->ntk && el_is_capish(e, k) && !(el_cls(e, k) & (W_HEAD | W_COSUFFIX))) k++;
      if (k < e->ntk && el_is_capish(e, k) && (el_cls(e, k) & W_HEAD)) j++;
    }
  }
  if (best == i) {
    size_t r = el_org_apposition(e, i, rule);
    return r > i ? r : el_org_context(e, i, rule);
  }
  /* "Export Administration Regulations": the name goes on past the head, so
  ** the head was not its end and the whole is not an organisation */
  if (best < j && el_is_capish(e, best) && !(el_cls(e, best) & (W_HEAD | W_COSUFFIX)))
    return i;
  *rule = (el_cls(e, best - 1) & W_HEAD) ? "org_head" : "org_suffix";
  /* National Institute of Standards and Technology */
  if ((el_cls(e, best - 1) & W_HEADFIRST) && best + 1 < e->ntk &&
      (el_cls(e, best) & W_OFFOR)) {
    size_t k = best + 1;
    if (k < e->ntk && el_is(e, k, "the")) k++;
    size_t end = el_org_tail(e, k);
    if (end > k) best = end;
  }
  return el_co_suffixes(e, best);
}

/* Acronym in parentheses after an organisation ending at j: "(CSIS)". Pushes
** it and registers it; returns the index after ")", or j. */
static size_t el_acronym_def(el_ent *e, size_t j, const char *canon, int *err) {
  if (!(el_is_punct(e, j, '(') && j + 2 < e->ntk && el_is_punct(e, j + 2, ')') &&
        el_is_word(e, j + 1) && e->lt[j + 1].shape == EL_SHAPE_UPPER))
    return j;
  size_t len;
  const char *k = el_norm(e, j + 1, &len);
  const char *c = el_arena_strdup(&e->doc_arena, canon ? canon : "", canon ? strlen(canon) : 0);
  if (c == NULL) return *err = 1, j;
  if (el_smap_put(&e->acronyms, &e->doc_arena, k, len, c) != 0) return *err = 1, j;
  if (el_push(e, j + 1, j + 2, "ORG", c[0] ? c : NULL, "acronym")) return *err = 1, j;
  return j + 3;
}

/* --- the sentence ------------------------------------------------------------ */

static int el_speech_before(const el_ent *e, size_t i) {
  if (i == 0) return 0;
  size_t p = i - 1;
  if (el_cls(e, p) & W_SPEECH) return 1;
  if (p >= 1 && el_is(e, p, "to") && el_is(e, p - 1, "according")) return 1;
  /* bylines: "Reporting by Toby Sterling; Editing by ..." */
  if (p >= 1 && el_is(e, p, "by") &&
      (el_is(e, p - 1, "reporting") || el_is(e, p - 1, "editing") || el_is(e, p - 1, "writing")))
    return 1;
  return 0;
}

static int el_speech_after(const el_ent *e, size_t j) {
  return j < e->ntk && (el_cls(e, j) & W_SPEECH) && e->lt[j].shape == EL_SHAPE_ANY;
}

/* Whether the batch is a title-case headline line. */
static int el_title_case(const el_ent *e, int ends_line) {
  if (!ends_line || e->ntk < 3) return 0;
  if (el_is_punct(e, 0, '(')) return 0; /* "(Reporting by ...; Editing by ...)" */
  const el_etok *last = &e->tk[e->ntk - 1];
  if (last->t.flags & EL_TF_ABBREV) return 0; /* "... Zenith Corp." ends a sentence */
  if (last->t.kind == EL_PUNCT) {
    char c = e->z[last->t.start];
    if (c == '.' || c == '?' || c == '!' || c == ':') return 0;
  }
  int long_words = 0, caps = 0, words = 0;
  for (size_t i = 0; i < e->ntk; i++) {
    if (!el_is_word(e, i)) continue;
    words++;
    if (e->tk[i].t.end - e->tk[i].t.start < 4) continue;
    long_words++;
    if (e->lt[i].shape != EL_SHAPE_ANY) caps++;
  }
  return words >= 3 && long_words >= 2 && caps * 10 >= long_words * 7;
}

static int el_run_sentence(el_ent *e) {
  int err = 0;
  size_t n = e->ntk;
  int lower_user = e->user && el_lex_lower_start(e->user);
  for (size_t i = 0; i < n && !err;) {
    el_etok *t = &e->tk[i];
    size_t j;
    if (t->t.kind != EL_WORD) {
      /* a dictionary name may start with a number or a code ("3A090 items") */
      size_t ulen;
      long u = e->user ? el_lex_longest(e->user, e->lt, i, n, &ulen) : -1;
      if (u >= 0) {
        const el_lex_entry *ue = el_lex_entry_at(e->user, u);
        if (el_push(e, i, i + ulen, ue->label, ue->canonical, ue->source)) return -1;
        i += ulen;
        continue;
      }
      if ((j = el_number_rule(e, i, &err)) > i) {
        i = j;
        continue;
      }
      if ((j = el_date_rule(e, i, &err)) > i) {
        i = j;
        continue;
      }
      i++;
      continue;
    }
    if (e->lt[i].shape == EL_SHAPE_ANY && !lower_user) {
      i++;
      continue;
    }
    if ((j = el_date_rule(e, i, &err)) > i || (j = el_code_money_rule(e, i, &err)) > i) {
      i = j;
      continue;
    }
    if (err) break;
    /* L: gazetteers */
    size_t llen = 0;
    int user = 0;
    const el_lex_entry *L = el_main_at(e, i, &llen, &user);
    if (e->lt[i].shape == EL_SHAPE_ANY && !(L && user)) {
      i++;
      continue;
    }
    /* "a General Conformity Determination": after "a"/"an" a title word
    ** names a kind of thing, not a person's office */
    if (L && !user && (L->kind & K_TITLE) && i > 0 && (el_is(e, i - 1, "a") || el_is(e, i - 1, "an"))) {
      L = NULL;
      llen = 0;
    }
    int is_title = L && !user && (L->kind & K_TITLE);
    /* O: organisation rules (not in headlines; not over a leading "U.S." or
    ** a demonym: "U.S. Commerce Department" is a GPE and an ORG) */
    size_t oend = i;
    const char *orule = NULL;
    int split_country = L && !user && (L->kind & K_COUNTRY) &&
                        (strcmp(L->label, "NORP") == 0 || e->lt[i].shape == EL_SHAPE_UPPER);
    if (!e->title_line && !split_country) oend = el_org_rule(e, i, &orule);
    /* P: people */
    size_t pend = i, pstart = i;
    const char *pcanon = NULL, *prule = NULL;
    int pregister = 0;
    size_t kend;
    const char *known = el_known_person(e, i, &kend);
    if (known && kend == i + 1 && (el_phrase_goes_on(e, kend) ||
                                   (i > 0 && el_is_capish(e, i - 1) && !el_is_open_quote(e, i - 1))))
      known = NULL; /* "Fort Worth" after a person named Worth */
    if (known) {
      pend = kend;
      pcanon = known;
      prule = "coreference";
    }
    if (!e->title_line && !(el_cls(e, i) & W_STOP)) {
      /* not the tail of a hyphenated word ("Dodd-Frank") */
      int hyph = i > 0 && el_is_punct(e, i - 1, '-') && !(e->tk[i].t.flags & EL_TF_SPACE_BEFORE);
      if (!hyph && el_given(e, i)) {
        size_t r = el_name_run(e, i + 1, 3);
        if (r > i + 1 && r > pend && !el_phrase_goes_on(e, r)) {
          pend = r;
          pcanon = NULL;
          prule = "first_name";
          pregister = 1;
        }
      }
      if (pend == i) {
        /* apposition: "Marta Kowalczyk, a trade lawyer", ", Valdis Dombrovskis," */
        size_t r = el_name_run(e, i, 3);
        /* not inside a longer capitalised phrase, nor after a determiner ("the Chip
        ** Equipment Survey, an industry tracker") */
        int free_start = i == 0 || el_role_title(e, i - 1) ||
                         (!el_is_capish(e, i - 1) && !el_is(e, i - 1, "the") &&
                          !el_is(e, i - 1, "a") && !el_is(e, i - 1, "an"));
        int given = el_given(e, i);
        /* a role within four words after "a/an/the", or just before the comma */
        int role = 0;
        if (r + 1 < e->ntk && (el_is(e, r + 1, "a") || el_is(e, r + 1, "an") ||
                               el_is(e, r + 1, "the"))) {
          for (size_t k = r + 2; k < e->ntk && k <= r + 6 && !role; k++) {
            if (el_is_clitic(e, k)) continue; /* "the group's president" */
            if (!el_is_word(e, k)) break;
            role = (el_cls(e, k) & W_ROLE) != 0;
          }
        }
        if (!role && i >= 2 && el_is_punct(e, i - 1, ',') && (el_cls(e, i - 2) & W_ROLE))
          role = 1;
        /* "Park Ji-hoon, who heads ...": a relative "who" is said of a person */
        if (!role && r + 1 < e->ntk && (el_is(e, r + 1, "who") || el_is(e, r + 1, "whose")) &&
            e->lt[r + 1].shape == EL_SHAPE_ANY)
          role = 1;
        if (free_start && r >= i + 2 && el_is_punct(e, r, ',') && role &&
            (given || !el_non_person_at(e, i))) {
          int ok = 1;
          for (size_t k = i; k < r && ok; k++) ok = e->lt[k].shape == EL_SHAPE_CAP || !el_is_word(e, k) ||
                 (k > i && el_is_punct(e, k - 1, '-'));
          if (ok) {
            pend = r;
            prule = "apposition";
            pregister = 1;
          }
        }
      }
      if (pend == i) {
        size_t r = el_name_run(e, i, 3);
        int mid = i > 0 && !el_is_open_quote(e, i - 1);
        int free_start = i == 0 || el_role_title(e, i - 1) ||
                         (!el_is_capish(e, i - 1) && !el_is(e, i - 1, "the"));
        if (r > i && free_start && !el_phrase_goes_on(e, r) && (el_speech_before(e, i) ||
                      (el_speech_after(e, r) && (mid || r - i >= 2) && !el_non_person_at(e, i)))) {
          if (!el_non_person_at(e, i)) {
            pend = r;
            prule = "speech_verb";
            pregister = r - i >= 2;
          }
        }
      }
    }
    /* choose: longest; ties L, O, P */
    size_t lend = L ? i + llen : i;
    if (is_title) lend = i; /* a title is compared by the person it introduces */
    if (is_title) {
      size_t s = i + llen;
      size_t r = e->title_line ? s : el_name_run(e, s, 4);
      size_t na, nb;
      if (r == s && !e->title_line && el_title_chain_name(e, s, &na, &nb)) {
        /* the title's qualifier is skipped; the name is a person */
        s = na;
        r = nb;
        llen = s - i;
        pcanon = NULL;
        pregister = 1;
      } else if (r == s) {
        const char *k2 = el_known_person(e, s, &kend);
        if (k2) {
          r = kend;
          pcanon = k2;
        }
      } else {
        size_t kend2;
        const char *k2 = el_known_person(e, s, &kend2);
        /* "President Trump": a person of the gazetteer keeps its full name */
        size_t plen;
        int puser;
        const el_lex_entry *pe = el_main_at(e, s, &plen, &puser);
        if (!k2 && pe && strcmp(pe->label, "PERSON") == 0 && s + plen >= r) {
          k2 = el_register_person(e, s, s + plen, pe->canonical);
          if (k2 == NULL) return -1;
          kend2 = s + plen;
          r = s + plen;
        }
        pcanon = (k2 && kend2 >= r) ? k2 : NULL;
        if (r - s == 1 && k2) pcanon = k2;
        pregister = r - s >= 2;
        /* "General Permit", "Chair Services": one unknown word after a title is a
        ** name only after an honorific, and a phrase going on is not a name */
        if (el_phrase_goes_on(e, r) ||
            (r - s == 1 && !k2 && !el_honorific(e, i, s) &&
             !el_given(e, s)))
          r = s;
      }
      /* the title's own words are not an entity, but a country or an
      ** organisation inside it is ("U.S. Trade Representative", "Commerce
      ** Secretary") */
      size_t inner_len = 0;
      long inner = (r > s || oend == i)
                       ? el_lex_longest_except(el_lex_main, e->lt, i, s, &inner_len, K_TITLE)
                       : -1;
      if (inner >= 0) {
        const el_lex_entry *ie = el_lex_entry_at(el_lex_main, inner);
        if (strcmp(ie->label, "PERSON") == 0) inner = -1;
        else if (el_push(e, i, i + inner_len, ie->label, ie->canonical, ie->source)) return -1;
      }
      if (r > s && r > oend) {
        pstart = s;
        pend = r;
        prule = "title";
      } else if (oend == i) {
        i = s; /* a bare title */
        continue;
      } else if (inner >= 0) {
        i += inner_len;
        continue;
      }
    }
    if (lend > i && (user || (lend >= oend && lend >= pend))) { /* a user's entry wins */
      const char *src = L->source;
      const char *canon = L->canonical;
      if (strcmp(L->label, "PERSON") == 0) { /* a dictionary's people too */
        canon = el_register_person(e, i, lend, L->canonical);
        if (canon == NULL) return -1;
      }
      if (el_push(e, i, lend, L->label, canon, src)) return -1;
      i = lend;
      if (strcmp(L->label, "ORG") == 0) i = el_acronym_def(e, i, canon, &err);
      continue;
    }
    if (oend > i && oend >= pend) {
      const char *canon = NULL;
      /* "Samsung Electronics Co., Ltd.": the gazetteer's canonical */
      if (L && strcmp(L->label, "ORG") == 0) {
        size_t k = lend;
        while (k < oend && ((el_cls(e, k) & W_COSUFFIX) || el_is_punct(e, k, ','))) k++;
        if (k == oend) canon = L->canonical;
      }
      if (canon == NULL) canon = el_surface(e, &e->sent_arena, i, oend);
      if (canon == NULL || el_push(e, i, oend, "ORG", canon, orule)) return -1;
      /* "Zhongshan" later stands for "Zhongshan Lumen Optics Co., Ltd." */
      if (strcmp(orule, "org_suffix") == 0 && oend - i >= 2 && e->lt[i].shape == EL_SHAPE_CAP &&
          !(el_cls(e, i) & (W_STOP | W_COSUFFIX | W_HEAD | W_NOTNAME)) && !L) {
        size_t klen;
        const char *k = el_norm(e, i, &klen);
        const char *dc = el_arena_strdup(&e->doc_arena, canon, strlen(canon));
        if (dc == NULL || el_smap_put(&e->orgs, &e->doc_arena, k, klen, dc) != 0) return -1;
      }
      i = el_acronym_def(e, oend, canon, &err);
      continue;
    }
    if (pend > pstart) {
      const char *canon = pcanon;
      if (pregister && canon == NULL) {
        canon = el_register_person(e, pstart, pend, NULL);
        if (canon == NULL) return -1;
      } else if (canon == NULL) {
        canon = el_surface(e, &e->sent_arena, pstart, pend);
        if (canon == NULL) return -1;
      }
      if (el_push(e, pstart, pend, "PERSON", canon, prule)) return -1;
      i = pend;
      continue;
    }
    /* "a Pyeongtaek-based toolmaker", "San Jose-based": a place */
    if (e->lt[i].shape == EL_SHAPE_CAP && !e->title_line && i > 0 && !el_is_capish(e, i - 1) &&
        !el_is_open_quote(e, i - 1)) {
      size_t r = i;
      while (r < n && r - i < 3 && el_is_cap(e, r) &&
             !(el_cls(e, r) & (W_STOP | W_NOTNAME | W_HEAD | W_COSUFFIX | W_MONTH | W_WEEKDAY)))
        r++;
      if (r > i && r + 1 < n && el_is_punct(e, r, '-') && el_is(e, r + 1, "based") &&
          !(e->tk[r].t.flags & EL_TF_SPACE_BEFORE) &&
          !(e->tk[r + 1].t.flags & EL_TF_SPACE_BEFORE)) {
        const char *c = el_surface(e, &e->sent_arena, i, r);
        if (c == NULL || el_push(e, i, r, "GPE", c, "place_based")) return -1;
        i = r;
        continue;
      }
    }
    /* a company named in full earlier in the text */
    if (e->lt[i].shape == EL_SHAPE_CAP && e->orgs.n && !e->title_line) {
      size_t len;
      const char *k = el_norm(e, i, &len);
      const char *v = el_smap_get(&e->orgs, k, len);
      if (v && !(i + 1 < e->ntk && el_is_capish(e, i + 1))) {
        if (el_push(e, i, i + 1, "ORG", v, "coreference")) return -1;
        i++;
        continue;
      }
    }
    /* an acronym defined earlier in the text */
    if (e->lt[i].shape == EL_SHAPE_UPPER && e->acronyms.n) {
      size_t len;
      const char *k = el_norm(e, i, &len);
      const char *v = el_smap_get(&e->acronyms, k, len);
      if (v && el_push(e, i, i + 1, "ORG", v[0] ? v : NULL, "acronym")) return -1;
    }
    i++;
  }
  return err ? -1 : 0;
}

/* --- batches ------------------------------------------------------------------ */

static int el_norm_token(el_ent *e, size_t i) {
  el_etok *t = &e->tk[i];
  el_lex_tok *v = &e->lt[i];
  const unsigned char *z = (const unsigned char *)e->z;
  v->matchable = !(t->t.flags & EL_TF_CLITIC);
  v->shape = el_lex_shape(z, &t->t);
  /* a plain token, or one ASCII punctuation mark, is its own norm */
  if ((t->t.flags & EL_TF_PLAIN) ||
      (t->t.kind == EL_PUNCT && t->t.end - t->t.start == 1 && (unsigned char)e->z[t->t.start] < 0x80)) {
    t->norm_in_text = 1;
    t->norm_off = t->t.start;
    return 0;
  }
  size_t need = EL_NORM_MAX(&t->t);
  if (e->norm_used + need > e->norm_cap) {
    size_t ncap = (e->norm_used + need) * 2;
    char *nb = el_realloc(e->normbuf, ncap);
    if (nb == NULL) return -1;
    e->normbuf = nb;
    e->norm_cap = ncap;
  }
  size_t len = el_token_norm(z, &t->t, EL_NORM_FTS, e->normbuf + e->norm_used, need);
  t->norm_in_text = 0;
  t->norm_off = e->norm_used;
  v->nlen = (uint32_t)len;
  e->norm_used += len;
  return 0;
}

static size_t el_tok_at(const el_ent *e, size_t off);

/* "the Biden administration", "the Rutte government": a one-word PERSON right
** before a lower-case noun of data/name_modifier_heads.txt modifies that noun
** and names no person; the batch's queue drops it. */
static void el_drop_name_modifiers(el_ent *e) {
  size_t w = 0;
  for (size_t r = 0; r < e->qn; r++) {
    const el_ent_span *s = &e->q[r];
    int drop = 0;
    if (e->ntk > 0 && strcmp(s->label, "PERSON") == 0) {
      size_t a = el_tok_at(e, s->start), b = el_tok_at(e, s->end - 1) + 1;
      drop = a + 1 == b && b < e->ntk && (e->tk[b].t.flags & EL_TF_LOWER) &&
             (el_cls(e, b) & W_NAMEMOD);
    }
    if (!drop) e->q[w++] = *s;
  }
  e->qn = w;
}

/* Read the next batch of tokens (one sentence, or EL_ENT_BATCH tokens of a
** longer one) and run the rules; 1 when there was one, 0 at the end, -1. */
static int el_next_batch(el_ent *e) {
  if (!e->has_pending) return 0;
  e->ntk = 0;
  e->norm_used = 0;
  e->qn = e->qpos = 0;
  el_arena_clear(&e->sent_arena);
  e->sentence = e->pending_sentence;
  while (e->has_pending && e->pending_sentence == e->sentence && e->ntk < EL_ENT_BATCH) {
    if (e->ntk == e->cap) {
      size_t ncap = e->cap ? e->cap * 2 : 64;
      el_etok *nt = el_realloc(e->tk, sizeof(*nt) * ncap);
      if (nt == NULL) return -1;
      e->tk = nt;
      el_lex_tok *nl = el_realloc(e->lt, sizeof(*nl) * ncap);
      if (nl == NULL) return -1;
      e->lt = nl;
      e->cap = ncap;
    }
    e->tk[e->ntk].t = e->pending;
    e->lt[e->ntk].nlen = (uint32_t)(e->pending.end - e->pending.start);
    if (el_norm_token(e, e->ntk) != 0) return -1;
    e->ntk++;
    e->has_pending = el_segmenter_next(&e->seg, &e->pending, &e->pending_sentence);
  }
  /* pointers into the norm buffer only now that it has stopped moving */
  for (size_t i = 0; i < e->ntk; i++) {
    el_etok *t = &e->tk[i];
    e->lt[i].norm = t->norm_in_text ? e->z + t->norm_off : e->normbuf + t->norm_off;
    t->cls_done = 0;
    t->main_done = 0;
  }
  int ends_line = !e->has_pending || e->pending.nl_before > 0;
  e->title_line = e->pending_sentence != e->sentence || !e->has_pending
                      ? el_title_case(e, ends_line)
                      : 0;
  if (el_run_sentence(e) != 0) return -1;
  if (e->model && el_model_batch(e) != 0) return -1;
  el_drop_name_modifiers(e);
  return 1;
}

int el_ent_next(el_ent *e, el_ent_span *sp) {
  while (e->qpos >= e->qn) {
    int rc = el_next_batch(e);
    if (rc <= 0) return rc;
  }
  *sp = e->q[e->qpos++];
  return 1;
}

/* ------------------------------------------------------------------------ */
/* The model                                                                 */
/*
** After the rules have run over a batch, the named-entity model (el_ner.h)
** tags the same tokens. It sees what the rules know as features: gazetteer
** matches and their positions, given names, titles and word classes. Its
** spans then merge with the rules' spans, overlap by overlap:
**   - a rule span that no model span overlaps is kept;
**   - a model span that no rule span overlaps is added (source "model");
**   - where they overlap, the rules win when one of their spans is a number,
**     a date, a user's dictionary entry or at least as long as every model
**     span there (a gazetteer or rule knows the canonical), and the model
**     wins when its spans cover more ("Bank of England" over "England").
** Model classes become labels: PER -> PERSON, ORG -> ORG, LOC -> GPE (the
** country's ISO3 as canonical when the name is a country), MISC -> NORP when
** the name is a nationality, otherwise nothing (CoNLL's MISC is not a class
** of entities()). A person found by the model is remembered like one found
** by a rule, so "Kowalczyk" later gets the full name.
*/

typedef struct el_mspan {
  size_t a, b; /* tokens [a, b) */
  int cls;     /* EL_NER_* for a model span; -1 for a rule span */
  size_t q;    /* the rule span's index in e->q */
} el_mspan;

typedef struct el_ent_model {
  el_ner *ner;        /* the model's tagger; NULL while a trainer's tagger is set */
  el_ent_tag_fn fn;   /* a trainer's tagger, or NULL */
  void *ctx;
  el_ner_tok *tok;
  uint8_t *tags;
  uint8_t *head; /* tokens of a title-case headline */
  size_t tok_cap, tags_cap, head_cap;
  el_mspan *ms, *rs;
  size_t ms_cap, rs_cap;
  el_ent_span *out;
  size_t out_cap;
  el_smap nonames; /* acronyms this text defined as something that is not a name */
  el_smap heads;   /* head word -> the last organisation named with it ("Commission") */
} el_ent_model;

static int el_model_state(el_ent *e) {
  if (e->model == NULL) e->model = el_calloc(1, sizeof(el_ent_model));
  return e->model ? 0 : -1;
}

static int el_model_on(el_ent *e) {
  const el_ner_model *m = el_ner_builtin();
  if (m == NULL || el_model_state(e) != 0) return -1;
  if (e->model->ner == NULL && (e->model->ner = el_ner_new(m)) == NULL) return -1;
  return 0;
}

static void el_model_off(el_ent *e) {
  el_ent_model *m = e->model;
  if (m == NULL) return;
  el_ner_free(m->ner);
  el_free(m->tok);
  el_free(m->tags);
  el_free(m->head);
  el_free(m->ms);
  el_free(m->rs);
  el_free(m->out);
  el_smap_clear(&m->nonames);
  el_smap_clear(&m->heads);
  el_free(m);
  e->model = NULL;
}

static void el_model_reset(el_ent *e) {
  if (e->model->ner) el_ner_reset(e->model->ner);
  el_smap_clear(&e->model->nonames); /* their keys were in the document arena */
  el_smap_clear(&e->model->heads);
}

int el_ent_set_model(el_ent *e, int on) {
  if (!on) {
    if (e->model && e->model->fn == NULL) el_model_off(e);
    return 0;
  }
  return el_model_on(e);
}

int el_ent_model_on(const el_ent *e) { return e->model != NULL; }

int el_ent_set_tagger(el_ent *e, el_ent_tag_fn fn, void *ctx) {
  if (fn && el_model_state(e) != 0) return -1;
  if (e->model) {
    e->model->fn = fn;
    e->model->ctx = ctx;
    if (fn == NULL && e->model->ner == NULL) el_model_off(e);
  }
  return 0;
}

static int el_grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap : 64;
  while (ncap < need) ncap *= 2;
  void *np = el_reallocarray(*p, ncap, size);
  if (np == NULL) return -1;
  *p = np;
  *cap = ncap;
  return 0;
}

static int el_gaz_code(const char *label) {
  if (strcmp(label, "PERSON") == 0) return EL_NER_GAZ_PERSON;
  if (strcmp(label, "ORG") == 0) return EL_NER_GAZ_ORG;
  if (strcmp(label, "GPE") == 0) return EL_NER_GAZ_GPE;
  if (strcmp(label, "NORP") == 0) return EL_NER_GAZ_NORP;
  if (strcmp(label, "LOC") == 0) return EL_NER_GAZ_LOC;
  return EL_NER_GAZ_OTHER;
}

/* Word-class bits of token i for the model. */
static uint32_t el_model_cls(const el_ent *e, size_t i) {
  uint32_t c = el_cls(e, i), b = 0;
  if (c & W_GIVEN) b |= EL_NER_LX_GIVEN;
  if (c & W_STOP) b |= EL_NER_LX_STOP;
  if (c & (W_HEAD | W_HEADFIRST)) b |= EL_NER_LX_HEAD;
  if (c & W_COSUFFIX) b |= EL_NER_LX_COSUFFIX;
  if (c & W_NOTNAME) b |= EL_NER_LX_NOTNAME;
  if (c & W_ROLE) b |= EL_NER_LX_ROLE;
  if (c & W_SPEECH) b |= EL_NER_LX_SPEECH;
  if ((c & W_WEEKDAY) || ((c & W_MONTH) && el_cval(e, i) > 0)) b |= EL_NER_LX_DATE;
  return b;
}

/* The tokens of the batch as the model sees them, with their lexicon bits:
** word classes for capitalised words and their neighbours, and the built-in
** gazetteers' leftmost-longest matches (never a user's dictionary, so that a
** dictionary does not change what the model sees). */
static void el_model_tokens(el_ent *e, el_ner_tok *tok) {
  size_t n = e->ntk;
  for (size_t i = 0; i < n; i++) {
    el_ner_tok *k = &tok[i];
    const el_etok *t = &e->tk[i];
    k->z = e->z + t->t.start;
    k->n = (uint32_t)(t->t.end - t->t.start);
    k->norm = e->lt[i].norm;
    k->nlen = e->lt[i].nlen;
    k->kind = t->t.kind;
    k->shape = (t->t.flags & EL_TF_CLITIC) ? EL_SHAPE_ANY : e->lt[i].shape;
    k->first = i == 0;
    k->lex = 0;
  }
  for (size_t i = 0; i < n;) {
    if (tok[i].shape == EL_SHAPE_ANY || tok[i].kind != EL_WORD) {
      i++;
      continue;
    }
    if (i > 0) tok[i - 1].lex |= el_model_cls(e, i - 1);
    tok[i].lex |= el_model_cls(e, i);
    if (i + 1 < n) tok[i + 1].lex |= el_model_cls(e, i + 1);
    size_t len = 0;
    const el_lex_entry *en;
    if (e->user == NULL) {
      int user;
      en = el_main_at(e, i, &len, &user); /* the rules' lookup, cached */
    } else {
      long idx = el_lex_longest(el_lex_main, e->lt, i, n, &len);
      en = idx < 0 ? NULL : el_lex_entry_at(el_lex_main, idx);
    }
    if (en == NULL) {
      i++;
      continue;
    }
    if (en->kind & K_TITLE) {
      for (size_t k = i; k < i + len; k++) tok[k].lex |= EL_NER_LX_TITLE;
    } else {
      int code = el_gaz_code(en->label);
      for (size_t k = i; k < i + len; k++) {
        int pos = len == 1 ? EL_NER_U : k == i ? EL_NER_B : k + 1 == i + len ? EL_NER_L : EL_NER_I;
        tok[k].lex |= EL_NER_LX_GAZ(code, pos);
        if (en->kind & K_COUNTRY) tok[k].lex |= EL_NER_LX_COUNTRY;
      }
    }
    for (size_t k = i + 1; k < i + len && k < n; k++)
      if (tok[k].shape != EL_SHAPE_ANY && tok[k].kind == EL_WORD) tok[k].lex |= el_model_cls(e, k);
    i += len;
  }
}

/* Token index of byte offset off (the token starting there, or the last
** one starting before it). */
static size_t el_tok_at(const el_ent *e, size_t off) {
  size_t lo = 0, hi = e->ntk;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (e->tk[mid].t.start <= off) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Whether the model's MISC span [a, b) is a nationality or a people
** ("German", "Kurds", "Palestinians"): a demonym of the country table, or one
** word with a demonym's ending. *iso3 is the country's code when known. */
static int el_model_norp(const el_ent *e, size_t a, size_t b, const char **iso3) {
  *iso3 = NULL;
  size_t s = e->tk[a].t.start, t = e->tk[b - 1].t.end;
  int c = el_country_lookup(e->z + s, t - s);
  if (c >= 0) {
    for (int k = 0; k < el_country_alias_count(); k++) {
      const el_country_alias *al = el_country_alias_at(k);
      if (al->country == c && al->kind == 2) {
        *iso3 = el_country_at(c)->iso3;
        return 1;
      }
    }
    return 0; /* a country's name, not its people */
  }
  if (b - a != 1 || e->lt[a].shape != EL_SHAPE_CAP) return 0;
  size_t len;
  const char *w = el_norm(e, a, &len);
  for (const char *const *end = el_ent_demonym_endings; *end; end++) { /* data/demonym_endings.txt */
    size_t l = strlen(*end);
    if (len > l + 2 && memcmp(w + len - l, *end, l) == 0) return 1;
  }
  return 0;
}

static int el_model_noname(const el_ent *e, size_t a, size_t b);
static int el_acronym_like(const el_ent *e, size_t i);

/* A person's name has a word in lower case (not all capitals, not "U.S.C.",
** "Ph.D." or "P.O."), unless the whole line is in capitals. */
static int el_model_not_person(const el_ent *e, size_t a, size_t b) {
  size_t upper = 0, words = 0;
  /* "William Moore Drive": a street named after someone */
  if ((el_is_cap(e, b) && (el_cls(e, b) & W_STREET)) || (el_cls(e, b - 1) & W_STREET)) return 1;
  /* "a General Conformity Determination": a title word after "a"/"an" */
  if (a >= 2 && (el_is(e, a - 2, "a") || el_is(e, a - 2, "an"))) {
    size_t tl;
    int tu;
    const el_lex_entry *t = el_main_at(e, a - 1, &tl, &tu);
    if (t && !tu && (t->kind & K_TITLE) && tl == 1) return 1;
  }
  /* nor only common words, one of which raw text rarely capitalises
  ** ("Specially Designated", "Circuit Boards") */
  const el_ner_model *m = el_ner_builtin();
  if (m) {
    int all_common = 1, rare = 0;
    for (size_t i = a; i < b && all_common; i++) {
      if (!el_is_word(e, i)) continue;
      int c = el_ner_word_cap(m, e->lt[i].norm, e->lt[i].nlen);
      all_common = c == 1 || c == 2;
      rare += c == 1;
    }
    if (all_common && rare) return 1;
  }
  for (size_t i = a; i < b; i++) {
    if (!el_is_word(e, i)) continue;
    const el_token *t = &e->tk[i].t;
    int dotted = (t->flags & EL_TF_DOTTED) || ((t->flags & EL_TF_ABBREV) && t->end - t->start > 2 &&
                                                e->lt[i].shape == EL_SHAPE_CAP && i + 1 == b);
    if (e->lt[i].shape == EL_SHAPE_CAP && !dotted && e->lt[i].nlen > 1) return 0;
  }
  for (size_t i = 0; i < e->ntk; i++) {
    if (!el_is_word(e, i)) continue;
    words++;
    upper += e->lt[i].shape == EL_SHAPE_UPPER;
  }
  return upper * 2 < words;
}

/* Whether the model's span [a, b) is no name of its classes: every word a
** common word that raw text writes in lower case ("Entity List"), one word
** that is a company suffix, a function word or a capitalised common noun of
** the genre ("Inc.", "Federal"), or the name of a law or a document
** ("Paperwork Reduction Act"). */
static int el_model_common(const el_ent *e, size_t a, size_t b) {
  const el_ner_model *m = el_ner_builtin();
  if (m == NULL) return 0;
  /* a plural acronym is a common noun ("UAVs", "ECCNs") */
  if (b - a == 1 && el_acronym_like(e, a) && e->lt[a].nlen >= 3 &&
      e->z[e->tk[a].t.end - 1] == 's')
    return 1;
  if (el_cls(e, b - 1) & W_DOCNAME) return 1;
  /* "the Supercomputer and Semiconductor End Use rule" */
  if (b < e->ntk && el_is_word(e, b) && e->lt[b].shape == EL_SHAPE_ANY && (el_cls(e, b) & W_DOCNAME))
    return 1;
  if (el_cls(e, a) & W_COSUFFIX && e->lt[a].shape != EL_SHAPE_ANY && b - a > 1) return 1;
  /* a name does not end in a word raw text rarely capitalises ("... End Use") */
  if (b - a > 1 && el_is_word(e, b - 1) && el_ner_word_cap(m, e->lt[b - 1].norm, e->lt[b - 1].nlen) == 1)
    return 1;
  if (b - a == 1 && (el_cls(e, a) & (W_COSUFFIX | W_STOP | W_NOTNAME))) return 1;
  for (size_t i = a; i < b; i++) {
    if (!el_is_word(e, i)) continue;
    int c = el_ner_word_cap(m, e->lt[i].norm, e->lt[i].nlen);
    if (c != 1 && c != 2) return 0;
  }
  return 1;
}

/* Append the model span m to the output; 0, or -1 when out of memory. */
static int el_model_emit(el_ent *e, const el_mspan *m, size_t *no) {
  el_ent_model *st = e->model;
  const char *label, *canon = NULL;
  /* "Zhou Wei-ming": the model's person takes the hyphenated part it left */
  el_mspan hm = *m;
  if (m->cls == EL_NER_PER) {
    for (int h = 0; h < 2 && hm.b + 1 < e->ntk && el_is_punct(e, hm.b, '-') &&
                    !(e->tk[hm.b].t.flags & EL_TF_SPACE_BEFORE) && el_is_word(e, hm.b + 1) &&
                    !(e->tk[hm.b + 1].t.flags & EL_TF_SPACE_BEFORE) &&
                    e->lt[hm.b + 1].shape == EL_SHAPE_ANY;
         h++)
      hm.b += 2;
    m = &hm;
  }
  /* "Nikolaus van der Pas", "Ursula von der Leyen": lower-case particles
  ** between a capitalised name and the model's span make one person (for a
  ** span the model took for a place or an organisation, only after von,
  ** van, der or den: "Banco de Chile" stays a bank) */
  if (m->a >= 2 && e->lt[m->a - 1].shape == EL_SHAPE_ANY && (el_cls(e, m->a - 1) & W_PARTICLE)) {
    size_t p = m->a;
    int germanic = 1;
    while (p >= 2 && e->lt[p - 1].shape == EL_SHAPE_ANY && (el_cls(e, p - 1) & W_PARTICLE)) {
      germanic &= el_is(e, p - 1, "von") || el_is(e, p - 1, "van") || el_is(e, p - 1, "der") ||
                  el_is(e, p - 1, "den");
      p--;
    }
    size_t a = p - 1;
    if ((m->cls == EL_NER_PER || germanic) && el_name_part(e, a) && !el_non_person_at(e, a) &&
        (*no == 0 || st->out[*no - 1].end <= e->tk[a].t.start)) {
      if (a > 0 && el_name_part(e, a - 1) && !el_non_person_at(e, a - 1) &&
          (*no == 0 || st->out[*no - 1].end <= e->tk[a - 1].t.start))
        a--;
      hm = *m;
      hm.a = a;
      hm.cls = EL_NER_PER;
      m = &hm;
    } else {
      /* "..., von der Leyen declared": the surname of a person named before */
      size_t kend;
      if (m->b == m->a + 1 && el_known_person(e, m->a, &kend) &&
          (*no == 0 || st->out[*no - 1].end <= e->tk[p].t.start)) {
        hm = *m;
        hm.a = p;
        hm.cls = EL_NER_PER;
        m = &hm;
      }
    }
  }
  /* common words are a name only as a person's ("Guy Forget") */
  if (!(m->cls == EL_NER_PER && m->b - m->a >= 2) && el_model_common(e, m->a, m->b)) return 0;
  if (el_model_noname(e, m->a, m->b)) return 0;
  if (m->cls == EL_NER_MISC) {
    if (!el_model_norp(e, m->a, m->b, &canon)) return 0;
    label = "NORP";
    if (canon == NULL && (canon = el_surface(e, &e->sent_arena, m->a, m->b)) == NULL) return -1;
  } else if (m->cls == EL_NER_PER) {
    label = "PERSON";
    if (el_model_not_person(e, m->a, m->b)) return 0;
    size_t kend;
    const char *known = el_known_person(e, m->a, &kend);
    if (known && kend == m->b) canon = known;
    else if ((canon = el_register_person(e, m->a, m->b, NULL)) == NULL) return -1;
  } else if (m->cls == EL_NER_LOC) {
    label = "GPE";
    size_t s = e->tk[m->a].t.start, t = e->tk[m->b - 1].t.end;
    int c = el_country_lookup(e->z + s, t - s);
    if (c >= 0) canon = el_country_at(c)->iso3;
    else if ((canon = el_surface(e, &e->sent_arena, m->a, m->b)) == NULL) return -1;
  } else {
    label = "ORG";
    /* "the Commission" after "the U.S. International Trade Commission" */
    size_t hl;
    const char *hk = el_norm(e, m->a, &hl);
    if (m->b - m->a == 1 && (el_cls(e, m->a) & W_HEAD) && st->heads.n)
      canon = el_smap_get(&st->heads, hk, hl);
    if (canon == NULL && (canon = el_surface(e, &e->sent_arena, m->a, m->b)) == NULL) return -1;
  }
  if (el_grow((void **)&st->out, &st->out_cap, *no + 1, sizeof(el_ent_span))) return -1;
  el_ent_span *s = &st->out[(*no)++];
  memset(s, 0, sizeof(*s));
  s->start = e->tk[m->a].t.start;
  s->end = e->tk[m->b - 1].t.end;
  s->sentence = e->sentence;
  s->label = label;
  s->canonical = canon;
  s->source = "model";
  return 0;
}

/* A rule span the model must not replace: not a name, or a user's entry. */
static int el_rule_protected(const el_ent *e, const el_mspan *r) {
  const el_ent_span *s = &e->q[r->q];
  const char *l = s->label;
  if (strcmp(l, "PERSON") && strcmp(l, "ORG") && strcmp(l, "GPE") && strcmp(l, "NORP") &&
      strcmp(l, "LOC"))
    return 1;
  /* a full name after a title ("Attorney for the Northern District of
  ** California Ismail Ramsey"): the model's longer span takes the title's
  ** words into a name */
  if (strcmp(l, "PERSON") == 0 && strcmp(s->source, "title") == 0 && r->b - r->a >= 2) return 1;
  if (e->user) {
    size_t len;
    if (el_lex_longest(e->user, e->lt, r->a, e->ntk, &len) >= 0 && r->a + len == r->b) return 1;
  }
  return 0;
}

/* Whether a rule's label says what the model's class does. */
static int el_label_agrees(const char *label, int cls) {
  switch (cls) {
    case EL_NER_PER: return strcmp(label, "PERSON") == 0;
    case EL_NER_ORG: return strcmp(label, "ORG") == 0;
    case EL_NER_LOC: return strcmp(label, "GPE") == 0 || strcmp(label, "LOC") == 0;
    default: return strcmp(label, "NORP") == 0;
  }
}

/* Whether the model's class wins over a rule that found the same words with
** another label: only for the rules that guess from context (on CoNLL-2003
** valid the model is right in nine of ten such disagreements: "Baghdad said"
** is no person, "CHICAGO" in a results table is a team), and for a person
** remembered from earlier in the text. A gazetteer, a title, a given name, a
** company named in full before or an apposition keeps its label. */
static int el_rule_yields(const char *source, const char *label, size_t ntok) {
  static const char *const weak[] = {"org_head", "places", "place_based", "org_context"};
  /* "Baghdad said", but not "Reporting by Toby Sterling" */
  if (strcmp(source, "speech_verb") == 0) return ntok == 1;
  /* a person remembered from a guess ("Lebed Chechnya") is no evidence */
  if (strcmp(source, "coreference") == 0) return strcmp(label, "PERSON") == 0;
  for (size_t k = 0; k < sizeof(weak) / sizeof(weak[0]); k++)
    if (strcmp(source, weak[k]) == 0) return 1;
  return 0;
}

/* Merge the model spans ms[0..nm) with the rule spans in e->q (see above). */
static int el_model_merge(el_ent *e, size_t nm) {
  el_ent_model *st = e->model;
  size_t nr = e->qn;
  if (el_grow((void **)&st->rs, &st->rs_cap, nr, sizeof(el_mspan))) return -1;
  for (size_t k = 0; k < nr; k++) {
    st->rs[k].a = el_tok_at(e, e->q[k].start);
    st->rs[k].b = el_tok_at(e, e->q[k].end - 1) + 1;
    st->rs[k].cls = -1;
    st->rs[k].q = k;
  }
  size_t no = 0, i = 0, j = 0;
  while (i < nr || j < nm) {
    /* one group of overlapping spans */
    size_t i0 = i, j0 = j, end;
    if (j >= nm || (i < nr && st->rs[i].a <= st->ms[j].a)) end = st->rs[i++].b;
    else end = st->ms[j++].b;
    for (;;) {
      if (i < nr && st->rs[i].a < end) {
        if (st->rs[i].b > end) end = st->rs[i].b;
        i++;
      } else if (j < nm && st->ms[j].a < end) {
        if (st->ms[j].b > end) end = st->ms[j].b;
        j++;
      } else {
        break;
      }
    }
    int model = 0;
    if (i == i0) {
      model = 1;
    } else if (j > j0) {
      size_t ra = st->rs[i0].a, rb = st->rs[i - 1].b, ma = st->ms[j0].a, mb = st->ms[j - 1].b;
      int prot = 0;
      for (size_t k = i0; k < i && !prot; k++) prot = el_rule_protected(e, &st->rs[k]);
      if (prot) model = 0;
      else if (i - i0 == 1 && j - j0 == 1 && ra == ma && rb == mb)
        model = !el_label_agrees(e->q[st->rs[i0].q].label, st->ms[j0].cls) &&
                el_rule_yields(e->q[st->rs[i0].q].source, e->q[st->rs[i0].q].label, rb - ra);
      else
        model = !(ra <= ma && rb >= mb); /* the rules win only when they cover more */
    }
    if (model) {
      for (size_t k = j0; k < j; k++) {
        el_mspan m = st->ms[k];
        /* "U.S. Government", "Chinese Foreign Ministry": the country keeps
        ** its row (and its ISO3 code), the model's name is the rest */
        for (size_t r = i0; r < i && m.cls == EL_NER_ORG; r++) {
          const el_ent_span *rq = &e->q[st->rs[r].q];
          if (st->rs[r].a == m.a && st->rs[r].b < m.b && strcmp(rq->source, "countries") == 0) {
            if (el_grow((void **)&st->out, &st->out_cap, no + 1, sizeof(el_ent_span))) return -1;
            st->out[no++] = *rq;
            m.a = st->rs[r].b;
            break;
          }
        }
        if (el_is_capish(e, m.a) && el_model_emit(e, &m, &no)) return -1;
      }
    } else {
      if (el_grow((void **)&st->out, &st->out_cap, no + (i - i0), sizeof(el_ent_span))) return -1;
      for (size_t k = i0; k < i; k++) st->out[no++] = e->q[st->rs[k].q];
    }
  }
  /* organisations named in full by their head word, for "the Commission" later */
  for (size_t k = 0; k < no; k++) {
    const el_ent_span *o = &st->out[k];
    if (strcmp(o->label, "ORG") != 0) continue;
    size_t a = el_tok_at(e, o->start), b = el_tok_at(e, o->end - 1) + 1;
    if (b - a < 2 || !(el_cls(e, b - 1) & W_HEAD) || !el_is_capish(e, b - 1)) continue;
    const char *c = o->canonical;
    if (c == NULL && (c = el_surface(e, &e->doc_arena, a, b)) == NULL) return -1;
    c = el_arena_strdup(&e->doc_arena, c, strlen(c));
    size_t hl;
    const char *hk = el_norm(e, b - 1, &hl);
    if (c == NULL || el_smap_put(&st->heads, &e->doc_arena, hk, hl, c) != 0) return -1;
  }
  /* the merged list becomes the batch's queue */
  el_ent_span *q = e->q;
  size_t qcap = e->qcap;
  e->q = st->out;
  e->qcap = st->out_cap;
  e->qn = no;
  st->out = q;
  st->out_cap = qcap;
  return 0;
}

/* Whether the tokens [a, b), a line of the text, are a title-case headline
** ("Chipmakers Brace for New Rules as Washington Tightens Controls"): three
** words or more, most of the longer ones capitalised, no number, not in
** capitals, no sentence end, and among the capitalised words at least two
** common words, which raw text writes in lower case (the model's word
** statistics), as many as words always capitalised and a third of them all.
** A list of names ("Hendrik Dreekmann (Germany) beat Thomas Johansson") is
** not one. */
static int el_model_headline(const el_ent *e, const el_ner_model *m, size_t a, size_t b) {
  size_t caps = 0, common = 0, names = 0, upper = 0, words = 0, longw = 0, longcap = 0;
  if (b == a || el_is_punct(e, b - 1, '.') || el_is_punct(e, b - 1, '?') ||
      el_is_punct(e, b - 1, '!'))
    return 0;
  for (size_t i = a; i < b; i++) {
    if (e->tk[i].t.kind == EL_NUMBER) return 0;
    if (!el_is_word(e, i)) continue;
    words++;
    upper += e->lt[i].shape == EL_SHAPE_UPPER;
    if (e->lt[i].nlen >= 4) {
      longw++;
      longcap += e->lt[i].shape != EL_SHAPE_ANY;
    }
    if (i == a || e->lt[i].shape != EL_SHAPE_CAP || e->lt[i].nlen < 3) continue;
    caps++;
    int c = el_ner_word_cap(m, e->lt[i].norm, e->lt[i].nlen);
    common += c == 1 || c == 2;
    names += c == 4;
  }
  return words >= 3 && longw >= 2 && longcap * 10 >= longw * 7 && upper * 2 < words &&
         common >= 2 && common >= names && common * 3 >= caps;
}

/* Mark the tokens of the batch's title-case headlines in *head (rules only
** there: CoNLL headlines are in capitals, so title case is not what the
** model learned). A line is the tokens between line breaks; the batch's
** last line counts when the batch ends a line. */
static void el_model_headlines(el_ent *e, uint8_t *head) {
  const el_ner_model *m = el_ner_builtin();
  size_t n = e->ntk;
  memset(head, 0, n);
  if (m == NULL) return;
  int ends_line = !e->has_pending || e->pending.nl_before > 0;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && e->tk[b].t.nl_before == 0) b++;
    int line_start = a > 0 || e->tk[0].t.nl_before > 0 || e->tk[0].t.start == 0 || e->sentence == 0 ||
                     e->title_line;
    if ((b < n || ends_line) && line_start && el_model_headline(e, m, a, b)) memset(head + a, 1, b - a);
    a = b;
  }
}

/* Acronyms defined after what is not a name: "airworthiness directive (AD)",
** "the Paperwork Reduction Act (PRA)". The model takes an unknown acronym
** for an organisation; in this text it is not one. 0, or -1 (out of memory). */
static int el_acronym_like(const el_ent *e, size_t i) {
  const char *z = e->z + e->tk[i].t.start;
  return el_is_word(e, i) && e->tk[i].t.end - e->tk[i].t.start >= 2 && z[0] >= 'A' && z[0] <= 'Z' &&
         z[1] >= 'A' && z[1] <= 'Z';
}

static int el_model_nonames(el_ent *e) {
  el_ent_model *st = e->model;
  for (size_t j = 1; j + 2 < e->ntk; j++) {
    if (!el_is_punct(e, j, '(')) continue;
    /* "(AD)", "(ICs)", "(FY21 NDAA)": the acronym is the last word */
    size_t c = j + 2;
    if (!el_is_punct(e, c, ')') && c + 1 < e->ntk && el_is_punct(e, c + 1, ')')) c++;
    if (!el_is_punct(e, c, ')') || !el_acronym_like(e, c - 1)) continue;
    /* the word before, or a document word in the capitalised phrase before
    ** ("National Defense Authorization Act for Fiscal Year 2019 (NDAA)") */
    size_t p = j - 1;
    if (!el_is_word(e, p) && e->tk[p].t.kind != EL_NUMBER) continue;
    int noname = e->tk[p].t.kind == EL_WORD && e->lt[p].shape == EL_SHAPE_ANY;
    for (size_t q = p + 1, steps = 0; !noname && q > 0 && steps < 12; q--, steps++) {
      size_t k = q - 1;
      if (el_cls(e, k) & W_DOCNAME) noname = el_is_capish(e, k);
      else if (!(el_is_capish(e, k) || e->tk[k].t.kind == EL_NUMBER || (el_cls(e, k) & W_CONNECT)))
        break;
    }
    if (!noname) continue;
    size_t len;
    const char *k = el_norm(e, c - 1, &len);
    if (el_smap_put(&st->nonames, &e->doc_arena, k, len, "") != 0) return -1;
  }
  return 0;
}

/* Whether the model's span [a, b) is an acronym the text defined as no name. */
static int el_model_noname(const el_ent *e, size_t a, size_t b) {
  if (b - a != 1 || e->model->nonames.n == 0 || !el_acronym_like(e, a)) return 0;
  size_t len;
  const char *k = el_norm(e, a, &len);
  return el_smap_get(&e->model->nonames, k, len) != NULL;
}

static int el_model_batch(el_ent *e) {
  el_ent_model *st = e->model;
  size_t n = e->ntk;
  if (n == 0) return 0;
  if (el_grow((void **)&st->tok, &st->tok_cap, n, sizeof(el_ner_tok)) ||
      el_grow((void **)&st->tags, &st->tags_cap, n, 1) ||
      el_grow((void **)&st->head, &st->head_cap, n, 1))
    return -1;
  el_model_tokens(e, st->tok);
  if (el_model_nonames(e) != 0) return -1;
  int rc = st->fn ? st->fn(st->ctx, st->tok, n, st->tags)
                  : (st->ner ? el_ner_tag(st->ner, st->tok, n, st->tags) : 0);
  if (rc != 0) return -1;
  if (st->fn == NULL && st->ner == NULL) return 0;
  /* the model's spans, none in a title-case headline */
  if (st->fn == NULL) {
    el_model_headlines(e, st->head);
    for (size_t i = 0; i < n; i++)
      if (st->head[i]) st->tags[i] = 0;
  }
  size_t nm = 0, a = 0, b;
  int cls;
  while (el_ner_span(st->tags, n, &a, &b, &cls)) {
    /* a name does not go on over ';' or ':' ("Toby Sterling; Editing") */
    for (size_t k = a + 1; k + 1 < b; k++)
      if (el_is_punct(e, k, ';') || el_is_punct(e, k, ':')) {
        b = k;
        break;
      }
    /* a name starts and ends with a capitalised word or a number ("-based",
    ** "Act of" are the edges of a wrong guess), and a leading "The" is not
    ** part of it unless a gazetteer says so ("The Netherlands", "The Hague") */
    size_t a2 = a, b2 = b;
    if (b - a >= 2 && el_is_capish(e, a) && el_is(e, a, "the") &&
        !(st->tok[a].lex & EL_NER_LX_GAZ_MASK))
      a2++;
    while (a2 < b2 && !(st->tok[a2].kind == EL_NUMBER ||
                        (st->tok[a2].kind == EL_WORD && st->tok[a2].shape != EL_SHAPE_ANY)))
      a2++;
    while (b2 > a2 && !(st->tok[b2 - 1].kind == EL_NUMBER ||
                        (st->tok[b2 - 1].kind == EL_WORD && st->tok[b2 - 1].shape != EL_SHAPE_ANY) ||
                        (e->tk[b2 - 1].t.flags & EL_TF_ABBREV) || el_is_punct(e, b2 - 1, ')')))
      b2--;
    /* nothing left, or the name part of "Pyeongtaek-based" (a MISC to the
    ** model): the rules decide there */
    if (b2 == a2 || (cls == EL_NER_MISC && b2 != b)) {
      a = b;
      continue;
    }
    if (el_grow((void **)&st->ms, &st->ms_cap, nm + 1, sizeof(el_mspan))) return -1;
    st->ms[nm].a = a2;
    st->ms[nm].b = b2;
    st->ms[nm].cls = cls;
    nm++;
    a = b;
  }
  return el_model_merge(e, nm);
}
