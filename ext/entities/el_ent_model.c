/*
** entities(): the named-entity model's pass over a batch and the merge of its
** spans with the rules' spans (see el_ent_int.h and below).
*/
#include <stdlib.h>
#include <string.h>

#include "el_ent_int.h"

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

int el_ent_model_open(el_ent *e) {
  const el_ner_model *m = el_ner_builtin();
  if (m == NULL || el_model_state(e) != 0) return -1;
  if (e->model->ner == NULL && (e->model->ner = el_ner_new(m)) == NULL) return -1;
  return 0;
}

void el_ent_model_close(el_ent *e) {
  el_ent_model *m = e->model;
  if (m == NULL) return;
  el_ner_free(m->ner);
  el_free(m->tok);
  el_free(m->tags);
  el_free(m->head);
  el_free(m->ms);
  el_free(m->rs);
  el_free(m->out);
  el_ent_smap_clear(&m->nonames);
  el_ent_smap_clear(&m->heads);
  el_free(m);
  e->model = NULL;
}

void el_ent_model_reset(el_ent *e) {
  if (e->model->ner) el_ner_reset(e->model->ner);
  el_ent_smap_clear(&e->model->nonames); /* their keys were in the document arena */
  el_ent_smap_clear(&e->model->heads);
}

int el_ent_set_model(el_ent *e, int on) {
  if (!on) {
    if (e->model && e->model->fn == NULL) el_ent_model_close(e);
    return 0;
  }
  return el_ent_model_open(e);
}

int el_ent_model_on(const el_ent *e) { return e->model != NULL; }

int el_ent_set_tagger(el_ent *e, el_ent_tag_fn fn, void *ctx) {
  if (fn && el_model_state(e) != 0) return -1;
  if (e->model) {
    e->model->fn = fn;
    e->model->ctx = ctx;
    if (fn == NULL && e->model->ner == NULL) el_ent_model_close(e);
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
      long idx = el_lex_longest(el_ent_lex_main, e->lt, i, n, &len);
      en = idx < 0 ? NULL : el_lex_entry_at(el_ent_lex_main, idx);
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
size_t el_ent_tok_at(const el_ent *e, size_t off) {
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
  /* one word after a name and "of" ("Bill Shipley of Nodaway") or right
  ** after an organisation's head ("National Supercomputing Center Jinan") is
  ** a place */
  if (b - a == 1 && a >= 2 && el_is(e, a - 1, "of") && el_is_cap(e, a - 2) &&
      !(el_cls(e, a - 2) & (W_HEAD | W_STOP)))
    return 1;
  if (b - a == 1 && a >= 1 && el_is_cap(e, a - 1) && (el_cls(e, a - 1) & W_HEAD)) return 1;
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
    for (int h = 0; h < 2 && el_glued_hyphen(e, hm.b) && el_is_word(e, hm.b + 1) &&
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
    if ((m->cls == EL_NER_PER || germanic) && el_ent_name_part(e, a) && !el_non_person_at(e, a) &&
        (*no == 0 || st->out[*no - 1].end <= e->tk[a].t.start)) {
      if (a > 0 && el_ent_name_part(e, a - 1) && !el_non_person_at(e, a - 1) &&
          (*no == 0 || st->out[*no - 1].end <= e->tk[a - 1].t.start))
        a--;
      hm = *m;
      hm.a = a;
      hm.cls = EL_NER_PER;
      m = &hm;
    } else {
      /* "..., von der Leyen declared": the surname of a person named before */
      size_t kend;
      if (m->b == m->a + 1 && el_ent_known_person(e, m->a, &kend) &&
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
  /* no part of a party and a state ("D-Del.", "R-NE") */
  for (size_t t = m->a >= 2 ? m->a - 2 : 0; t < m->b; t++)
    if (el_party_tag(e, t)) return 0;
  if (m->cls == EL_NER_MISC) {
    if (!el_model_norp(e, m->a, m->b, &canon)) return 0;
    label = "NORP";
    if (canon == NULL && (canon = el_ent_surface(e, &e->sent_arena, m->a, m->b)) == NULL) return -1;
  } else if (m->cls == EL_NER_PER) {
    label = "PERSON";
    if (el_model_not_person(e, m->a, m->b)) return 0;
    size_t kend;
    const char *known = el_ent_known_person(e, m->a, &kend);
    if (known && kend == m->b) canon = known;
    else if ((canon = el_ent_register_person(e, m->a, m->b, NULL)) == NULL) return -1;
  } else if (m->cls == EL_NER_LOC) {
    label = "GPE";
    size_t s = e->tk[m->a].t.start, t = e->tk[m->b - 1].t.end;
    int c = el_country_lookup(e->z + s, t - s);
    if (c >= 0) canon = el_country_at(c)->iso3;
    else if ((canon = el_ent_surface(e, &e->sent_arena, m->a, m->b)) == NULL) return -1;
  } else {
    label = "ORG";
    /* "the Commission" after "the U.S. International Trade Commission" */
    size_t hl;
    const char *hk = el_norm(e, m->a, &hl);
    if (m->b - m->a == 1 && (el_cls(e, m->a) & W_HEAD) && st->heads.n)
      canon = el_ent_smap_get(&st->heads, hk, hl);
    if (canon == NULL && (canon = el_ent_surface(e, &e->sent_arena, m->a, m->b)) == NULL) return -1;
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
    st->rs[k].a = el_ent_tok_at(e, e->q[k].start);
    st->rs[k].b = el_ent_tok_at(e, e->q[k].end - 1) + 1;
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
    size_t a = el_ent_tok_at(e, o->start), b = el_ent_tok_at(e, o->end - 1) + 1;
    if (b - a < 2 || !(el_cls(e, b - 1) & W_HEAD) || !el_is_capish(e, b - 1)) continue;
    const char *c = o->canonical;
    if (c == NULL && (c = el_ent_surface(e, &e->doc_arena, a, b)) == NULL) return -1;
    c = el_ent_arena_strdup(&e->doc_arena, c, strlen(c));
    size_t hl;
    const char *hk = el_norm(e, b - 1, &hl);
    if (c == NULL || el_ent_smap_put(&st->heads, &e->doc_arena, hk, hl, c) != 0) return -1;
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
    if (el_ent_smap_put(&st->nonames, &e->doc_arena, k, len, "") != 0) return -1;
  }
  return 0;
}

/* Whether the model's span [a, b) is an acronym the text defined as no name. */
static int el_model_noname(const el_ent *e, size_t a, size_t b) {
  if (b - a != 1 || e->model->nonames.n == 0 || !el_acronym_like(e, a)) return 0;
  size_t len;
  const char *k = el_norm(e, a, &len);
  return el_ent_smap_get(&e->model->nonames, k, len) != NULL;
}

int el_ent_model_batch(el_ent *e) {
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
