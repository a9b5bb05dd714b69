/*
** Rule-based entity extraction (see el_entities.h): the built-in lexicons,
** the extractor's state, spans and batches. The rules are in their own
** files, which share el_ent_int.h:
**   el_ent_choose.c   the one place where candidates are compared;
**   el_ent_person.c   person rules;   el_ent_org.c  organisation rules;
**   el_ent_numeric.c  PERCENT, MONEY and DATE;
**   el_ent_model.c    the named-entity model and its merge with the rules.
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
/* The rules' word lists (el_ent_*, declared through el_ent_int.h) are
** ext/entities/data/, generated into el_entity_words.h and defined here. */
#define EL_ENT_WORDS_DEFINE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "el_ent_int.h"

/* ------------------------------------------------------------------------ */
/* The built-in lexicons, built once per process                             */

/* Built by the first el_ent_builtin_acquire and freed by the last release,
** so that nothing is left behind when the extension is unloaded. */
el_lex *el_ent_lex_main, *el_ent_lex_words;
static int el_builtin_refs;
static pthread_mutex_t el_builtin_mu = PTHREAD_MUTEX_INITIALIZER;

static int el_add_word(const char *w, uint32_t cls, int32_t value) {
  int added;
  long idx = el_lex_add(el_ent_lex_words, w, strlen(w), "", NULL, NULL, cls, value, &added);
  if (idx == -1) return -1;
  if (idx < 0) return 0;
  el_lex_entry *e = el_lex_entry_at(el_ent_lex_words, idx);
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
  if (el_add_words(el_ent_us_state_abbrevs, W_STATEAB)) return -1;
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
  el_ent_lex_main = el_lex_new();
  el_ent_lex_words = el_lex_new();
  if (!el_ent_lex_main || !el_ent_lex_words) return -1;
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
    if (el_lex_add(el_ent_lex_main, g->name, strlen(g->name), g->label, g->canonical, g->source,
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
      if (el_lex_add(el_ent_lex_main, s, strlen(s), "GPE", c->iso3, "countries", K_COUNTRY, 0,
                     NULL) == -1)
        return -1;
    }
  }
  for (int i = 0; i < el_country_alias_count(); i++) {
    const el_country_alias *a = el_country_alias_at(i);
    if (a->kind == 3) continue; /* trade-dataset names: country_code() only */
    const char *s = a->text;
    if (s[0] >= 'a' && s[0] <= 'z') continue; /* "mainland China": China is found */
    if (el_lex_add(el_ent_lex_main, s, strlen(s), a->kind == 2 ? "NORP" : "GPE",
                   el_country_at(a->country)->iso3, "countries", K_COUNTRY, 0, NULL) == -1)
      return -1;
  }
  const char *const *titles = el_title_list(&n);
  for (int i = 0; i < n; i++)
    if (el_lex_add(el_ent_lex_main, titles[i], strlen(titles[i]), "TITLE", NULL, "title", K_TITLE,
                   0, NULL) == -1)
      return -1;
  return 0;
}

static void el_builtin_free(void) {
  el_lex_free(el_ent_lex_main);
  el_lex_free(el_ent_lex_words);
  el_ent_lex_main = el_ent_lex_words = NULL;
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

static void el_arena_clear(el_arena *a) {
  el_chunk *c = a->head;
  while (c) {
    el_chunk *n = c->next;
    el_free(c);
    c = n;
  }
  a->head = NULL;
}

char *el_ent_arena_strdup(el_arena *a, const char *s, size_t n) {
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

#define EL_SMAP_MAX 65536 /* names remembered per text */

static uint32_t el_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

const char *el_ent_smap_get(const el_smap *m, const char *k, size_t n) {
  if (m->cap == 0) return NULL;
  for (size_t i = el_hash(k, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    const el_smap_slot *s = &m->slots[i];
    if (s->key == NULL) return NULL;
    if (s->len == n && memcmp(s->key, k, n) == 0) return s->value;
  }
}

/* Set key (copied into arena) to value; 0, or -1 when out of memory. */
int el_ent_smap_put(el_smap *m, el_arena *a, const char *k, size_t n, const char *value) {
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
  const char *kc = el_ent_arena_strdup(a, k, n);
  if (kc == NULL) return -1;
  m->slots[i].key = kc;
  m->slots[i].len = (uint32_t)n;
  m->slots[i].value = value;
  m->n++;
  return 0;
}

void el_ent_smap_clear(el_smap *m) {
  el_free(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}

/* ------------------------------------------------------------------------ */
/* The extractor                                                             */

el_ent *el_ent_new(void) {
  if (el_ent_builtin_acquire() != 0) return NULL;
  el_ent *e = el_calloc(1, sizeof(el_ent));
  if (e == NULL) el_ent_builtin_release();
  else if (el_ner_builtin() != NULL && el_ent_model_open(e) != 0) {
    el_ent_free(e);
    return NULL;
  }
  return e;
}

static void el_ent_clear_doc(el_ent *e) {
  el_arena_clear(&e->sent_arena);
  el_arena_clear(&e->doc_arena);
  el_ent_smap_clear(&e->persons);
  el_ent_smap_clear(&e->acronyms);
  el_ent_smap_clear(&e->orgs);
}

void el_ent_free(el_ent *e) {
  if (e == NULL) return;
  el_ent_clear_doc(e);
  el_free(e->tk);
  el_free(e->lt);
  el_free(e->normbuf);
  el_free(e->q);
  el_ent_model_close(e);
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
  if (e->model) el_ent_model_reset(e);
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
  return el_ent_smap_get(&e->persons, buf, len);
}

/* --- spans ------------------------------------------------------------------ */

int el_ent_push(el_ent *e, size_t a, size_t b, const char *label, const char *canon,
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
const char *el_ent_surface(el_ent *e, el_arena *ar, size_t a, size_t b) {
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
  return el_ent_arena_strdup(ar, buf, o);
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

/* "the Biden administration", "the Rutte government": a one-word PERSON right
** before a lower-case noun of data/name_modifier_heads.txt modifies that noun
** and names no person; the batch's queue drops it. */
static void el_drop_name_modifiers(el_ent *e) {
  size_t w = 0;
  for (size_t r = 0; r < e->qn; r++) {
    const el_ent_span *s = &e->q[r];
    int drop = 0;
    if (e->ntk > 0 && strcmp(s->label, "PERSON") == 0) {
      size_t a = el_ent_tok_at(e, s->start), b = el_ent_tok_at(e, s->end - 1) + 1;
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
  if (el_ent_run_sentence(e) != 0) return -1;
  if (e->model && el_ent_model_batch(e) != 0) return -1;
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
