/*
** Quotes and numeric claims: rules over one paragraph of exportlens tokens at
** a time, with the entity extractor's spans (people, countries, percentages,
** money) mapped onto those tokens. See el_quotes.h. No SQLite here.
*/
/* The word lists (el_qw_*, declared through el_quotes_int.h) are
** ext/quotes/data/, generated into el_quote_words.h and defined here. */
#define EL_QW_DEFINE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/el_alloc.h"
#include "el_quotes.h"
#include "../entities/el_countries.h"
#include "../entities/el_entities.h"
#include "../text/el_tokenizer.h"

#include "el_quotes_int.h"

static int el_set_str(char **dst, size_t *cap, const char *s, size_t n) {
  if (el_grow((void **)dst, cap, n + 1, 1)) return -1;
  memcpy(*dst, s, n);
  (*dst)[n] = 0;
  return 0;
}

size_t el_pool_add(el_qx *q, const char *s, size_t n, int *err) {
  /* s may point into the pool itself, which growing moves */
  int inside = q->pool && s >= q->pool && s < q->pool + q->npool;
  size_t soff = inside ? (size_t)(s - q->pool) : 0;
  if (el_grow((void **)&q->pool, &q->poolcap, q->npool + n + 1, 1)) {
    *err = 1;
    return EL_NONE;
  }
  if (inside) s = q->pool + soff;
  size_t off = q->npool;
  memcpy(q->pool + off, s, n);
  q->pool[off + n] = 0;
  q->npool += n + 1;
  return off;
}

el_qx *el_qx_new(void) {
  el_qx *q = el_calloc(1, sizeof(*q));
  if (q == NULL) return NULL;
  q->ent = el_ent_new();
  if (q->ent == NULL) {
    el_free(q);
    return NULL;
  }
  return q;
}

void el_qx_free(el_qx *q) {
  if (q == NULL) return;
  el_ent_free(q->ent);
  el_free(q->esp_canon);
  el_free(q->tok);
  el_free(q->sent);
  el_free(q->ent_at);
  el_free(q->inq);
  el_free(q->sp);
  el_free(q->pool);
  el_free(q->qs);
  el_free(q->cs);
  el_free(q->pend);
  el_free(q->ppool);
  el_free(q->ci);
  el_free(q->last_named);
  el_free(q->prev_spk);
  el_free(q->last_person);
  el_free(q->last_org_named);
  el_free(q->last_org);
  el_free(q->last_subj);
  if (q->nlp_inited) el_nlp_sent_free(&q->nlp);
  el_free(q);
}

int el_qx_start(el_qx *q, const char *z, size_t n) {
  if (z == NULL) n = 0;
  q->z = z ? z : "";
  q->n = n;
  el_segmenter_init(&q->seg, q->z, n);
  if (el_ent_start(q->ent, q->z, n) != 0) return -1;
  q->has_look = q->seg_eof = 0;
  q->has_esp = q->ent_eof = 0;
  q->ntok = q->nsp = q->npool = 0;
  q->nq = q->qnext = q->nc = q->cnext = 0;
  q->npend = q->pnext = q->nppool = q->npar = 0;
  q->hold = 0;
  q->last_named_set = q->prev_spk_set = q->last_person_set = 0;
  q->cf_last.metric = q->cf_money.metric = NULL, q->cf_ctx[0] = 0, q->cf_nown = 0;
  q->last_org_named_set = q->last_org_set = q->prev_colon = q->last_subj_set = 0;
  q->ntitled = 0;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading a paragraph                                                       */

static int el_push_tok(el_qx *q, const el_token *t, size_t s) {
  if (el_grow((void **)&q->tok, &q->tokcap, q->ntok + 1, sizeof(el_token)) ||
      el_grow((void **)&q->sent, &q->sentcap, q->ntok + 1, sizeof(size_t)))
    return -1;
  q->tok[q->ntok] = *t;
  q->sent[q->ntok] = s;
  q->ntok++;
  return 0;
}

/* The next paragraph's tokens and entity spans: 1, 0 at the end, -1. */
int el_read_par(el_qx *q) {
  q->ntok = q->nsp = q->npool = 0;
  el_token t;
  size_t s;
  if (q->has_look) {
    if (el_push_tok(q, &q->look, q->look_sent)) return -1;
    q->has_look = 0;
  }
  while (!q->seg_eof) {
    if (!el_segmenter_next(&q->seg, &t, &s)) {
      q->seg_eof = 1;
      break;
    }
    if (q->ntok > 0) {
      size_t ls = q->sent[q->ntok - 1];
      int brk = t.nl_before >= 2 || (t.nl_before >= 1 && s != ls) ||
                (q->ntok >= EL_QX_MAX_TOKENS && s != ls) || q->ntok >= 2 * EL_QX_MAX_TOKENS;
      if (brk) {
        q->look = t;
        q->look_sent = s;
        q->has_look = 1;
        break;
      }
    }
    if (el_push_tok(q, &t, s)) return -1;
  }
  if (q->ntok == 0) return 0;
  size_t pend = q->tok[q->ntok - 1].end;
  /* entity spans that start inside the paragraph */
  int err = 0;
  for (;;) {
    if (!q->has_esp) {
      if (q->ent_eof) break;
      int rc = el_ent_next(q->ent, &q->esp);
      if (rc < 0) return -1;
      if (rc == 0) {
        q->ent_eof = 1;
        break;
      }
      q->has_esp = 1;
      if (q->esp.canonical) {
        if (el_set_str(&q->esp_canon, &q->esp_canon_cap, q->esp.canonical,
                       strlen(q->esp.canonical)))
          return -1;
        q->esp.canonical = q->esp_canon;
      }
    }
    if (q->esp.start >= pend) break;
    if (el_grow((void **)&q->sp, &q->spcap, q->nsp + 1, sizeof(el_qspan))) return -1;
    el_qspan *p = &q->sp[q->nsp++];
    p->start = q->esp.start;
    p->end = q->esp.end;
    p->label = q->esp.label;
    p->value = q->esp.value;
    p->has_value = q->esp.has_value;
    p->canon = q->esp.canonical ? el_pool_add(q, q->esp.canonical, strlen(q->esp.canonical), &err)
                                : EL_NONE;
    if (err) return -1;
    q->has_esp = 0;
  }
  /* spans onto tokens */
  if (el_grow((void **)&q->ent_at, &q->entcap, q->ntok, sizeof(int)) ||
      el_grow((void **)&q->inq, &q->inqcap, q->ntok, sizeof(int)))
    return -1;
  for (size_t i = 0; i < q->ntok; i++) q->ent_at[i] = -1, q->inq[i] = -1;
  size_t ti = 0;
  for (size_t k = 0; k < q->nsp; k++) {
    el_qspan *p = &q->sp[k];
    while (ti < q->ntok && q->tok[ti].end <= p->start) ti++;
    size_t a = ti, b = ti;
    while (b < q->ntok && q->tok[b].start < p->end) b++;
    p->a = a;
    p->b = b;
    for (size_t i = a; i < b; i++) q->ent_at[i] = (int)k;
  }
  return 1;
}

/* 1 opening mark, 2 closing mark, 3 straight (either), 0 not a quote mark. */
static int el_mark(const el_qx *q, size_t i) {
  const unsigned char *t = (const unsigned char *)el_ttext(q, i);
  size_t n = el_tlen(q, i);
  if (n == 1 && t[0] == '"') return 3;
  if (n == 3 && t[0] == 0xE2 && t[1] == 0x80) {
    if (t[2] == 0x9C || t[2] == 0x9E) return 1; /* “ „ */
    if (t[2] == 0x9D) return 2;                 /* ” */
  }
  if (n == 2 && t[0] == 0xC2) {
    if (t[1] == 0xAB) return 1; /* « */
    if (t[1] == 0xBB) return 2; /* » */
  }
  return 0;
}

/* A single quotation mark: 1 for ‘, 2 for ’, 3 for a straight ', else 0. */
static int el_single(const el_qx *q, size_t i) {
  const unsigned char *t = (const unsigned char *)el_ttext(q, i);
  size_t n = el_tlen(q, i);
  if (q->tok[i].kind != EL_PUNCT) return 0;
  if (n == 1 && t[0] == '\'') return 3;
  if (n == 3 && t[0] == 0xE2 && t[1] == 0x80 && (t[2] == 0x98 || t[2] == 0x99)) return t[2] == 0x98 ? 1 : 2;
  return 0;
}

/* A paragraph set in single quotes: it opens with ' or ‘ glued to a
** capitalised word and has no double mark ("'Tariffs are a dangerous ...",
** paragraph after paragraph of a statement, as some releases are set). */
static int el_single_para(const el_qx *q) {
  if (q->ntok < 2 || !(el_single(q, 0) & 1) || (q->tok[1].flags & EL_TF_SPACE_BEFORE) ||
      !el_is_upper(q, 1))
    return 0;
  for (size_t i = 0; i < q->ntok; i++)
    if (el_mark(q, i)) return 0;
  return 1;
}

/* In such a paragraph, the role of single mark i as el_mark gives it: the
** first token opens, as does ‘ glued to the word after it; ’ or ' right after
** . , ! ? and before a space or the end closes (so "dogs' bowls" and
** "don’t" are no marks). */
static int el_single_role(const el_qx *q, size_t i) {
  int s = el_single(q, i);
  if (!s) return 0;
  int sp_before = i == 0 || (q->tok[i].flags & EL_TF_SPACE_BEFORE);
  int sp_after = i + 1 >= q->ntok || (q->tok[i + 1].flags & EL_TF_SPACE_BEFORE);
  if (i == 0 || (s == 1 && sp_before && !sp_after)) return 1;
  if ((s & 2) && !sp_before && (sp_after || q->tok[i + 1].kind == EL_PUNCT) &&
      (el_is_punct(q, i - 1, '.') || el_is_punct(q, i - 1, ',') || el_is_punct(q, i - 1, '!') ||
       el_is_punct(q, i - 1, '?')))
    return 2;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Quotes                                                                    */

/* Verbs of saying: ext/text/data/speech_verbs.txt, shared with entities(). */
static int el_is_verb(const el_qx *q, size_t i) {
  int n;
  return el_is_lower(q, i) && el_is_any(q, i, el_speech_verb_list(&n));
}

/* Token i is the participle of a verb of saying: "saying", "adding",
** "noting", "warning" (its stem with -s, -es, -ed or -d is in the list). The
** list itself keeps no -ing forms: as "by adding Model X" shows, entities()
** would take the words after a gerund for a name. */
static int el_is_participle(const el_qx *q, size_t i) {
  static const char *const ends[] = {"s", "es", "ed", "d"};
  if (i >= q->ntok) return 0;
  size_t n = el_tlen(q, i);
  const char *t = el_ttext(q, i);
  if (!el_is_lower(q, i) || n < 5 || n > 32 || memcmp(t + n - 3, "ing", 3) != 0) return 0;
  n -= 3;
  int cnt;
  for (const char *const *v = el_speech_verb_list(&cnt); *v; v++) {
    size_t l = strlen(*v);
    if (l <= n || memcmp(*v, t, n) != 0) continue;
    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++)
      if (l == n + strlen(ends[k]) && strcmp(*v + n, ends[k]) == 0) return 1;
  }
  return 0;
}

/* Token i is a role noun that stands for an organisation ("company",
** "statement": ext/entities/data/speaker_orgs.txt). */
static int el_is_org_role(const el_qx *q, size_t i) {
  int n;
  return el_is_lower(q, i) && el_is_any(q, i, el_speaker_org_list(&n));
}

typedef struct el_attr {
  int kind;       /* 0 none, 1 named, 2 pronoun or role */
  int person;     /* named, and a person (not an organisation) */
  int org;        /* named and an organisation, or a role that stands for one */
  size_t a, b;    /* speaker tokens */
  const char *canon;
  size_t canon_len;
  size_t verb;
} el_attr;

/* Token i is the last word of a title of data/titles.txt ("Secretary",
** "Minister"), as written. */
static int el_is_title_end(const el_qx *q, size_t i) {
  int n;
  size_t l = el_tlen(q, i);
  const char *t = el_ttext(q, i);
  for (const char *const *v = el_title_list(&n); n-- > 0; v++) {
    const char *sp = strrchr(*v, ' ');
    const char *w = sp ? sp + 1 : *v;
    if (strlen(w) == l && memcmp(w, t, l) == 0) return 1;
  }
  return 0;
}

/* The speaker as an entity or a capitalised run ending at token j (in
** [lo, j]), or starting at j when forward. */
static int el_named_at(el_qx *q, size_t j, size_t lo, size_t hi, int forward, el_attr *at) {
  if (j < lo || j >= hi) return 0;
  if (forward && !(q->ent_at[j] >= 0 && q->sp[q->ent_at[j]].a == j &&
                    strcmp(q->sp[q->ent_at[j]].label, "PERSON") == 0)) {
    /* "said Commerce Secretary Gina Raimondo", "said Under Secretary of
    ** Commerce for Industry and Security Alan Estevez", "said U.S. Attorney
    ** for the Northern District of California Ismail Ramsey": the first
    ** person after a title and its qualifier (capitalised words and
    ** of/for/the/and), never the title or its country */
    for (size_t t = j; t < hi && t < j + 16; t++) {
      int e = q->ent_at[t];
      if (e >= 0 && q->sp[e].a == t && t > j && strcmp(q->sp[e].label, "PERSON") == 0) {
        j = t;
        break;
      }
      if (!(el_is_upper(q, t) || (t > j && (el_is(q, t, "of") || el_is(q, t, "for") ||
                                            el_is(q, t, "the") || el_is(q, t, "and")))))
        break;
    }
  }
  int k = q->ent_at[j];
  if (k >= 0) {
    el_qspan *p = &q->sp[k];
    const char *l = p->label;
    if (strcmp(l, "PERCENT") && strcmp(l, "MONEY") && strcmp(l, "DATE") && p->a >= lo &&
        p->b <= hi && (forward ? p->a == j : p->b == j + 1)) {
      at->kind = 1;
      at->person = strcmp(l, "PERSON") == 0;
      at->org = strcmp(l, "ORG") == 0;
      at->a = p->a;
      at->b = p->b;
      if (p->canon != EL_NONE) {
        at->canon = q->pool + p->canon;
        at->canon_len = strlen(at->canon);
      } else {
        at->canon = q->z + q->tok[p->a].start;
        at->canon_len = q->tok[p->b - 1].end - q->tok[p->a].start;
      }
      /* "said Sec. Yellen", "von der Leyen declared", "Wang said" (taken for
      ** an organisation or a place): a person named in full earlier gives the
      ** full name; a country ("China said") stays a country */
      int country = (!strcmp(l, "GPE") || !strcmp(l, "NORP")) && at->canon_len == 3 &&
                    at->canon[0] >= 'A' && at->canon[0] <= 'Z' && at->canon[2] >= 'A' &&
                    at->canon[2] <= 'Z';
      if (at->person || (p->b == p->a + 1 && !country)) {
        const char *full = el_ent_person_for(q->ent, el_ttext(q, p->b - 1), el_tlen(q, p->b - 1));
        if (full && strlen(full) > at->canon_len) {
          at->person = 1;
          at->org = 0;
          at->canon = full;
          at->canon_len = strlen(full);
        }
      }
      return 1;
    }
  }
  if (!el_is_upper(q, j) || el_is_any(q, j, el_qw_not_names) || el_is_any(q, j, el_qw_pronouns))
    return 0;
  size_t a = j, b = j + 1;
  if (forward) {
    while (b < hi && b < j + 4 && el_is_upper(q, b)) b++;
  } else {
    while (a > lo && a + 4 > j && el_is_upper(q, a - 1) && !el_is_any(q, a - 1, el_qw_not_names) &&
           !el_is_any(q, a - 1, el_qw_pronouns))
      a--;
  }
  /* "Commerce Secretary Gina Lane said": a title in the run is not the name */
  for (size_t t = a; t + 1 < b; t++)
    if (el_is_title_end(q, t)) a = t + 1;
  at->kind = 1;
  at->a = a;
  at->b = b;
  const char *full = el_ent_person_for(q->ent, el_ttext(q, b - 1), el_tlen(q, b - 1));
  if (full) {
    at->person = 1;
    at->canon = full;
    at->canon_len = strlen(full);
  } else {
    at->canon = q->z + q->tok[a].start;
    at->canon_len = q->tok[b - 1].end - q->tok[a].start;
  }
  return 1;
}

/* A pronoun, or a role ("the official", "a spokesperson for the ministry")
** ending at j (backward) or starting at j (forward). */
static int el_role_at(el_qx *q, size_t j, size_t lo, size_t hi, int forward, el_attr *at) {
  if (j < lo || j >= hi) return 0;
  if (el_is_word(q, j) && el_is_any(q, j, el_qw_pronouns)) {
    at->kind = 2;
    at->a = j;
    at->b = j + 1;
    return 1;
  }
  /* "a move that it said": "it" stands for an organisation; so does "It"
  ** opening a sentence ("It said the strain was evident") */
  if (!forward && el_is(q, j, "it") &&
      (el_is_lower(q, j) || j == 0 || q->sent[j - 1] != q->sent[j])) {
    at->kind = 2;
    at->org = 1;
    at->a = j;
    at->b = j + 1;
    return 1;
  }
  if (forward) {
    if (!el_is_any(q, j, el_qw_determiners)) return 0;
    size_t b = j + 1;
    while (b < hi && b < j + 5 && el_is_lower(q, b) && !el_is_verb(q, b)) b++;
    if (b == j + 1) return 0;
    /* "said the official." / "said the official, who ...": the role ends
    ** the clause, else it is an object ("described the package as a ...") */
    if (b < hi && !el_is_punct(q, b, ',') && !el_is_punct(q, b, '.') && !el_is_punct(q, b, ';'))
      return 0;
    at->kind = 2;
    at->a = j;
    at->b = b;
    return 1;
  }
  if (!el_is_lower(q, j)) return 0;
  for (size_t a = j; a >= lo && a + 6 > j; a--) {
    if (el_is_any(q, a, el_qw_determiners)) {
      if (a == j) return 0;
      at->kind = 2;
      at->a = a;
      at->b = j + 1;
      return 1;
    }
    /* "a Commerce Department spokesperson": capitalised words inside a role;
    ** "a move that it said": a relative clause is not a role */
    if (!(el_is_lower(q, a) || el_is_clitic(q, a) || (a < j && el_is_upper(q, a))) ||
        el_is_verb(q, a) || el_is_any(q, a, el_qw_relatives))
      return 0;
    if (a == 0) break;
  }
  return 0;
}

/* The speaker of the speech verb at v, inside the outside-quote range [lo, hi). */
static int el_speaker_of(el_qx *q, size_t v, size_t lo, size_t hi, el_attr *at) {
  memset(at, 0, sizeof(*at));
  at->verb = v;
  /* "Anna Weber also reassured exporters, saying:": a participle (after a
  ** comma, see el_is_attr_verb) takes the name that opens its clause, and
  ** never the words after it ("adding a new respondent") */
  if (el_is_participle(q, v)) {
    size_t s0 = v;
    while (s0 > lo && q->sent[s0 - 1] == q->sent[v] && v - s0 < 40) s0--;
    if (el_named_at(q, s0, lo, hi, 1, at)) return 1;
    /* "The spokesperson also reassured businesses, saying:" */
    for (size_t t = s0 + 1; el_is_any(q, s0, el_qw_determiners) && t < v && t < s0 + 5; t++) {
      if (el_is_org_role(q, t)) {
        at->kind = 2;
        at->a = s0;
        at->b = t + 1;
        return 1;
      }
      if (!el_is_word(q, t)) break;
    }
    at->kind = 0;
    return 0;
  }
  /* before the verb: "Grotto said", "she also said", "X, a former adviser, said" */
  if (v > lo) {
    size_t j = v - 1;
    int skipped = 0;
    while (j > lo && skipped < 2 && el_is_lower(q, j) &&
           (el_is_any(q, j, el_qw_adverbs) || el_is_any(q, j, el_qw_auxiliaries) ||
            (el_tlen(q, j) > 3 && el_ttext(q, j)[el_tlen(q, j) - 1] == 'y' &&
             el_ttext(q, j)[el_tlen(q, j) - 2] == 'l'))) {
      j--;
      skipped++;
    }
    /* "Senator Ann Lowe, who said", "the Steel Council, which told": the
    ** relative pronoun's antecedent */
    if (j > lo + 1 && el_is_lower(q, j) && (el_is(q, j, "who") || el_is(q, j, "which")) &&
        el_is_punct(q, j - 1, ',')) {
      if (el_named_at(q, j - 2, lo, hi, 0, at) || el_role_at(q, j - 2, lo, hi, 0, at)) return 1;
      memset(at, 0, sizeof(*at));
      at->verb = v;
    }
    if (el_is_punct(q, j, ',') && j > lo) {
      /* an appositive: back to the comma that opens it */
      size_t k = j - 1;
      int found = 0;
      while (k > lo && k + 30 > j) {
        if (el_is_punct(q, k, ',')) {
          found = 1;
          break;
        }
        if (el_is_punct(q, k, '.') || el_is_punct(q, k, ';')) break;
        k--;
      }
      if (found && k > lo) {
        if (el_named_at(q, k - 1, lo, hi, 0, at)) return 1;
        if (el_role_at(q, k - 1, lo, hi, 0, at)) return 1;
      }
    } else if (el_named_at(q, j, lo, hi, 0, at) || el_role_at(q, j, lo, hi, 0, at)) {
      /* "X in an interview said", "X during a hearing told": a phrase that a
      ** preposition opens is not the subject; the subject is before it */
      int gn;
      if (at->kind == 2 && at->a > lo + 1 &&
          el_is_any(q, at->a - 1, el_speaker_gap_word_list(&gn)) && el_is_lower(q, at->a - 1)) {
        size_t k = at->a - 2;
        memset(at, 0, sizeof(*at));
        at->verb = v;
        if (el_named_at(q, k, lo, hi, 0, at) || el_role_at(q, k, lo, hi, 0, at)) return 1;
        memset(at, 0, sizeof(*at));
        at->verb = v;
      } else {
        return 1;
      }
    }
  }
  /* after it: "said Terry", "said the official", "according to X" */
  size_t j = v + 1;
  if (el_is(q, v, "according") && el_is(q, j, "to")) j++;
  if (el_named_at(q, j, lo, hi, 1, at)) return 1;
  if (el_role_at(q, j, lo, hi, 1, at)) return 1;
  at->kind = 0;
  return 0;
}

/* The name of entity span e as a pool offset: its canonical, else its text. */
static size_t el_span_name(el_qx *q, int e, int *err) {
  const el_qspan *s = &q->sp[e];
  return s->canon != EL_NONE ? s->canon : el_pool_add(q, q->z + s->start, s->end - s->start, err);
}

static int el_is_attr_verb(el_qx *q, size_t i) {
  if (el_is_verb(q, i)) return 1;
  /* a participle after a comma (", saying:"), never a gerund ("by adding") */
  if (i > 0 && el_is_punct(q, i - 1, ',') && el_is_participle(q, i)) return 1;
  return el_is(q, i, "according") && el_is(q, i + 1, "to");
}

typedef struct el_qseg {
  size_t open, close;  /* mark tokens; close == ntok when never closed */
  size_t a, b;         /* inner tokens [a, b) */
  int words;
  int title;           /* a name or title: after "titled"/"called", or Title Case */
  char last;           /* last inner punctuation character, or 0 */
  el_attr at;
} el_qseg;

/* Attribution after quote k: in the outside tokens after its closing mark. */
static int el_attr_after(el_qx *q, el_qseg *qs, size_t nq, size_t k, int strict, el_attr *at) {
  size_t lo = qs[k].close + 1;
  size_t hi = k + 1 < nq ? qs[k + 1].open : q->ntok;
  if (lo >= hi) return 0;
  size_t lim = lo + (strict ? 5 : 40);
  for (size_t v = lo; v < hi && v < lim; v++) {
    if (el_is_punct(q, v, '.') || el_is_punct(q, v, ';') || el_is_punct(q, v, '?') ||
        el_is_punct(q, v, '!'))
      break;
    if (!strict && q->sent[v] != q->sent[qs[k].close] && q->sent[v] != q->sent[lo]) break;
    /* "“...,” and Y said": a new clause with its own speaker */
    if ((v == lo || el_is_punct(q, v - 1, ',')) &&
        (el_is(q, v, "and") || el_is(q, v, "but") || el_is(q, v, "while") || el_is(q, v, "or") ||
         el_is(q, v, "although") || el_is(q, v, "whereas")))
      break;
    if (el_is_attr_verb(q, v) && el_speaker_of(q, v, lo, hi, at)) {
      if (strict) {
        /* "“A.” Y said: “B.”": the attribution introduces the next quote */
        size_t e = at->b > v ? at->b : v + 1;
        if (e < hi && (el_is_punct(q, e, ':'))) return 0;
        if (e == hi && k + 1 < nq && q->sent[qs[k + 1].open] == q->sent[v]) return 0;
      }
      return 1;
    }
  }
  return 0;
}

/* Tokens [a, b) (a sentence up to its colon) only name someone: "Senator
** Ruth Okafor", "From Iowa Soybean Association President Bill Shipley of
** Nodaway": capitalised words (with of, for, the, and, a dash or a comma) and
** at most 20 tokens. Its first PERSON span, or -1. */
static int el_name_line(const el_qx *q, size_t a, size_t b) {
  if (b <= a || b - a > 20) return -1;
  int pick = -1;
  for (size_t t = a; t < b; t++) {
    if (q->inq[t] >= 0) return -1;
    if (!(el_is_upper(q, t) || el_is(q, t, "of") || el_is(q, t, "for") || el_is(q, t, "the") ||
          el_is(q, t, "and") || el_is(q, t, "from") || el_is_punct(q, t, ',') ||
          el_is_punct(q, t, '-') || el_is_clitic(q, t)))
      return -1;
    int e = q->ent_at[t];
    if (pick < 0 && e >= 0 && strcmp(q->sp[e].label, "PERSON") == 0) pick = e;
  }
  return pick;
}

/* Attribution before quote k, in the same sentence (outside quotes). */
static int el_attr_before(el_qx *q, el_qseg *qs, size_t k, el_attr *at) {
  size_t s = q->sent[qs[k].open < q->ntok ? qs[k].open : q->ntok - 1];
  size_t i = qs[k].open;
  /* "Senator Ruth Okafor: “...”": a line that only names someone, then a colon */
  if (i >= 2 && el_is_punct(q, i - 1, ':')) {
    size_t a = i - 1;
    while (a > 0 && q->sent[a - 1] == q->sent[i - 1] && q->inq[a - 1] < 0 && i - a < 24) a--;
    int e = el_name_line(q, a, i - 1);
    if (e >= 0) {
      memset(at, 0, sizeof(*at));
      at->verb = i - 1;
      if (el_named_at(q, q->sp[e].b - 1, a, i - 1, 0, at)) return 1;
      memset(at, 0, sizeof(*at));
    }
  }
  size_t kk = k;
  size_t steps = 0;
  while (i > 0 && steps < 200) {
    i--;
    steps++;
    if (q->sent[i] != s) {
      /* "X said:" ending the sentence before */
      if (!(i + 1 == qs[k].open && el_is_punct(q, i, ':'))) break;
      s = q->sent[i];
      continue;
    }
    if (q->inq[i] >= 0) {
      /* skip over an earlier quote */
      kk = (size_t)q->inq[i];
      i = qs[kk].open;
      continue;
    }
    if (el_is_attr_verb(q, i)) {
      size_t lo = kk < k ? qs[kk].close + 1 : 0;
      /* the outside range around the verb */
      size_t l = i;
      while (l > lo && q->inq[l - 1] < 0) l--;
      size_t h = i;
      while (h < q->ntok && q->inq[h] < 0) h++;
      if (el_speaker_of(q, i, l, h, at)) return 1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Attribution through the dependency parse                                  */

/* Token i may be a form of a verb that frames a quote: a verb of saying or
** its participle, or a regular form of a lemma of data/quote_frame_verbs.txt
** (the lemma, or with -s, -es, -ed, -d, -ing, -ies, -ied: "calls",
** "described", "testified", "promising"). A cheap test, so that a quote
** with none before it is not parsed (el_attr_parse). */
static int el_frame_form(const el_qx *q, size_t i) {
  if (!el_is_lower(q, i)) return 0;
  if (el_is_verb(q, i) || el_is_participle(q, i)) return 1;
  static const char *const ends[] = {"", "s", "es", "ed", "d", "ing", "ies", "ied"};
  size_t n = el_tlen(q, i);
  const char *t = el_ttext(q, i);
  int cnt;
  for (const char *const *v = el_quote_frame_verb_list(&cnt); *v; v++) {
    size_t l = strlen(*v);
    if (n < l - 1 || n > l + 3 || (t[0] | 0x20) != (*v)[0]) continue;
    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
      /* the stem: the lemma, less a final e before -ing and -ed, a final y before -ies and -ied */
      size_t sl = l;
      if (ends[k][0] == 'i' && ends[k][1] != 'n') sl -= (*v)[l - 1] == 'y';
      else if (ends[k][0] == 'i' || ends[k][0] == 'e') sl -= (*v)[l - 1] == 'e';
      size_t el = strlen(ends[k]);
      if (sl + el == n && strncasecmp(t, *v, sl) == 0 && strncasecmp(t + sl, ends[k], el) == 0)
        return 1;
    }
  }
  return 0;
}

/* Parse the sentence of paragraph token i into q->nlp, once per sentence:
** 1 when it holds the parse, 0 when there is none (no model, or a sentence
** over EL_NLP_MAX_TOKENS tokens: bounded work), -1 when out of memory. */
static int el_parse_sent_of(el_qx *q, size_t i) {
  size_t s = q->sent[i];
  if (q->nlp_sent == s) return q->nlp_ok;
  size_t s0 = i, s1 = i + 1;
  while (s0 > 0 && q->sent[s0 - 1] == s && i - s0 <= EL_NLP_MAX_TOKENS) s0--;
  while (s1 < q->ntok && q->sent[s1] == s && s1 - s0 <= EL_NLP_MAX_TOKENS) s1++;
  q->nlp_sent = s;
  q->nlp_ok = 0;
  q->nlp_s0 = s0;
  const el_nlp *m = el_nlp_default();
  if (!m || s1 - s0 > EL_NLP_MAX_TOKENS) return 0;

  if (!q->nlp_inited) {
    el_nlp_sent_init(&q->nlp);
    q->nlp_inited = 1;
  }
  if (el_nlp_analyse(m, q->z, q->n, q->tok[s0].start, q->tok[s1 - 1].end, q->tok + s0, s1 - s0,
                     EL_NLP_PARSE, &q->nlp))
    return -1;
  q->nlp_ok = 1;
  return 1;
}

/* The paragraph token of parsed word w, or EL_NONE for a gap word. */
static size_t el_word_tok(const el_qx *q, int32_t w) {
  const el_nlp_word *x = &q->nlp.w[w];
  return x->tok < 0 ? EL_NONE : q->nlp_s0 + (size_t)x->tok;
}

/* Parsed word w is a verb that can frame a quote: a verb of saying or its
** participle (by their forms), or a lemma of data/quote_frame_verbs.txt. */
static int el_frame_verb(el_qx *q, const el_nlp *m, int32_t w) {
  const el_nlp_word *x = &q->nlp.w[w];
  size_t t = el_word_tok(q, w);
  if (t == EL_NONE) return 0;
  if (el_is_verb(q, t) || el_is_participle(q, t)) return 1;
  if (strcmp(el_nlp_upos(m, x->tag), "VERB") != 0 || x->end - x->start > 24) return 0;
  char lem[2 * 24 + 64]; /* EL_NLP_LEMMA_MAX for a word of 24 bytes */
  size_t n = el_nlp_lemma(m, q->z, x, lem, sizeof lem);
  if (n >= sizeof lem) return 0;
  int cnt;
  for (const char *const *v = el_quote_frame_verb_list(&cnt); *v; v++)
    if (strlen(*v) == n && memcmp(*v, lem, n) == 0) return 1;
  return 0;
}

/* The speaker of quote tokens [qa, qb] (its marks included) as the subject
** of the verb that governs it in the parse: 'X called the tariffs "a tax
** ..."', 'X promised to "use ..."', 'X was quoted as saying that "..."'.
** From the quote's top word, up the tree (a few steps) to a verb that can
** frame a quote; then its subject, or that of the clause it is the
** complement of ("quoted" for "saying"); then the subject's name, pronoun
** or role as el_named_at and el_role_at read them. A verb that is not one
** of saying takes a quote from a named person; from an organisation or a
** pronoun only with five words or more ("the agency calls the list \"the
** entity list\"": organisations name things, people characterise them);
** never from a role ("the statement promised to \"...\"" names no one).
** 1 found, 0 not, -1 out of memory. */
static int el_attr_parse(el_qx *q, size_t qa, size_t qb, int words, el_attr *at) {
  /* the verb comes before the quote ("called the tariffs", "promised to",
  ** "was quoted as saying that"); a verb of saying after it is the rules'
  ** work. With no word that could be one among the 12 before it, in its
  ** sentence and outside quotes, nothing is parsed. */
  int cand = 0;
  for (size_t t = qa; t > 0 && t + 12 > qa && !cand && q->sent[t - 1] == q->sent[qa]; t--)
    cand = q->inq[t - 1] < 0 && el_frame_form(q, t - 1);
  if (!cand) return 0;
  int r = el_parse_sent_of(q, qa);
  if (r <= 0) return r;
  const el_nlp *m = el_nlp_default();
  const el_nlp_sent *s = &q->nlp;
  int32_t v = -1;
  for (size_t w = 0; w < s->n && v < 0; w++) {
    size_t t = el_word_tok(q, (int32_t)w);
    if (t == EL_NONE || t < qa || t > qb) continue;
    int32_t h = s->w[w].head;
    if (h < 0) return 0; /* the quote holds the sentence's root */
    size_t ht = el_word_tok(q, h);
    if (ht != EL_NONE && ht >= qa && ht <= qb) continue;
    v = h;
  }
  for (int up = 0; v >= 0 && !el_frame_verb(q, m, v); up++) {
    size_t t = el_word_tok(q, v);
    if (up == 3 || (t != EL_NONE && t >= qa && t <= qb)) return 0;
    v = s->w[v].head;
  }
  if (v < 0) return 0;
  for (int up = 0; up < 3; up++) {
    if (el_word_tok(q, v) == EL_NONE) return 0; /* a gap word: no verb */
    int32_t subj = -1;
    for (size_t w = 0; w < s->n; w++) {
      if (s->w[w].head != v) continue;
      const char *d = el_nlp_dep_name(m, s->w[w].dep);
      size_t t = el_word_tok(q, (int32_t)w);
      if (t == EL_NONE || q->inq[t] >= 0 || strncmp(d, "nsubj", 5) != 0) continue;
      if (subj < 0 || (int32_t)w < v) subj = (int32_t)w; /* the nearest before the verb */
    }
    if (subj >= 0) {
      /* a title whose name is its apposition: "Commerce Secretary Gina
      ** Lane promised ..." parsed as Secretary <-appos- Lane */
      for (size_t w = 0; w < s->n; w++) {
        size_t t = el_word_tok(q, (int32_t)w);
        if (s->w[w].head != subj || t == EL_NONE || q->ent_at[t] < 0 ||
            strcmp(el_nlp_dep_name(m, s->w[w].dep), "appos") != 0)
          continue;
        if (strcmp(q->sp[q->ent_at[t]].label, "PERSON") == 0) {
          subj = (int32_t)w;
          break;
        }
      }
      size_t t = el_word_tok(q, subj), l = t, h = t;
      while (l > 0 && q->inq[l - 1] < 0) l--;
      while (h < q->ntok && q->inq[h] < 0) h++;
      memset(at, 0, sizeof(*at));
      at->verb = el_word_tok(q, v);
      int e = q->ent_at[t];
      size_t end = e >= 0 ? q->sp[e].b - 1 : t;
      if (el_named_at(q, end, l, h, 0, at) || el_role_at(q, t, l, h, 0, at)) {
        size_t vt = at->verb;
        int speech = el_is_verb(q, vt) || el_is_participle(q, vt);
        int pronoun = at->kind == 2 && at->b == at->a + 1 && el_is_any(q, at->a, el_qw_pronouns);
        if (speech || (at->kind == 1 && (at->person || words >= 5)) || (pronoun && words >= 5))
          return 1;
      }
      memset(at, 0, sizeof(*at));
      return 0;
    }
    const char *d = el_nlp_dep_name(m, s->w[v].dep);
    if (s->w[v].head < 0 || !(strcmp(d, "xcomp") == 0 || strcmp(d, "advcl") == 0 ||
                              strcmp(d, "conj") == 0 || strcmp(d, "ccomp") == 0))
      return 0;
    v = s->w[v].head;
  }
  return 0;
}

/* The speaker of a quote opening at token qa in the "that" clause of a noun
** of saying whose source follows from/by (data/quote_source_nouns.txt):
** 'complaints from China's Commerce Ministry that the curbs broke the rules
** and "seriously threatened ..."'. Within the 40 tokens before the quote, in
** its sentence, outside quotes and with no verb of saying between: the
** entity that ends the capitalised words after from/by, right before "that"
** or a comma. 1 found, 0 not. */
static int el_attr_noun_from(el_qx *q, size_t qa, el_attr *at) {
  int n;
  const char *const *nouns = el_quote_source_noun_list(&n);
  for (size_t t = qa; t > 1 && t + 40 > qa && q->sent[t - 1] == q->sent[qa]; t--) {
    size_t p = t - 1;
    if (q->inq[p] >= 0 || el_is_verb(q, p)) return 0;
    if (!(el_is(q, p, "from") || el_is(q, p, "by")) || !el_is_lower(q, p - 1) ||
        !el_is_any(q, p - 1, nouns))
      continue;
    size_t h = p + 1;
    if (el_is(q, h, "the")) h++;
    while (h < qa && (el_is_upper(q, h) || el_is_clitic(q, h))) h++;
    if (h == p + 1 || h >= qa || !(el_is(q, h, "that") || el_is_punct(q, h, ','))) return 0;
    memset(at, 0, sizeof(*at));
    at->verb = p - 1;
    if (el_named_at(q, h - 1, p + 1, h, 0, at)) return 1;
    memset(at, 0, sizeof(*at));
    return 0;
  }
  return 0;
}

/* A person who opens the sentence of token v, or the one before it, outside
** quotes, after token `after`: "Karl Maier, who runs a machine-tool maker,
** disagreed. “...,” he added." The nearest one (at most 400 tokens back):
** its entity span, or -1. */
static int el_subject_person(const el_qx *q, size_t v, size_t after) {
  size_t sv = q->sent[v];
  for (size_t t = v; t > after && t + 400 > v; t--) {
    size_t u = t - 1;
    if (q->sent[u] + 1 < sv) break;
    int e = q->ent_at[u];
    if (e < 0 || q->inq[u] >= 0 || strcmp(q->sp[e].label, "PERSON") != 0) continue;
    size_t a = q->sp[e].a;
    if (a == u && (a == 0 || q->sent[a - 1] != q->sent[a])) return e;
  }
  return -1;
}

/* Token i spells w, ASCII case ignored. */
static int el_same_word(const el_qx *q, size_t i, const char *w, size_t n) {
  if (el_tlen(q, i) != n) return 0;
  const char *t = el_ttext(q, i);
  for (size_t k = 0; k < n; k++) {
    char a = t[k], b = w[k];
    if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
    if (a != b) return 0;
  }
  return 1;
}

/* The title run before PERSON span e ("National Security Advisor",
** "Secretary of Commerce"): it holds the word w (the head of a role such as
** "the advisor" or "the secretary", any case). Only runs with a title of
** data/titles.txt count. */
static int el_titled_as(const el_qx *q, int e, const char *w, size_t n) {
  size_t a = q->sp[e].a;
  int title = 0, has = 0;
  for (size_t t = a; t > 0 && t + 8 > a; t--) {
    size_t u = t - 1;
    if (q->inq[u] >= 0) break;
    if (!(el_is_upper(q, u) || el_is(q, u, "of") || el_is(q, u, "for") || el_is(q, u, "the") ||
          el_is(q, u, "and")))
      break;
    title |= el_is_title_end(q, u);
    has |= el_same_word(q, u, w, n);
  }
  return title && has;
}

/* "the advisor said": the nearest person before token v introduced with
** that word in a title ("National Security Advisor Jake Sullivan"), in this
** paragraph (its canonical in the pool), else the one remembered from an
** earlier paragraph; EL_NONE when none. */
static size_t el_role_person(el_qx *q, size_t role, size_t v, int *err) {
  const char *w = el_ttext(q, role);
  size_t n = el_tlen(q, role);
  for (size_t t = v; t > 0 && t + 400 > v; t--) {
    int e = q->ent_at[t - 1];
    if (e >= 0 && q->sp[e].a == t - 1 && strcmp(q->sp[e].label, "PERSON") == 0 &&
        el_titled_as(q, e, w, n))
      return el_span_name(q, e, err);
  }
  for (int k = 0; k < q->ntitled; k++) {
    const char *tw = q->titled[k].words;
    for (const char *p = tw; *p;) {
      const char *sp = strchr(p, ' ');
      size_t l = sp ? (size_t)(sp - p) : strlen(p);
      if (l == n && el_same_word(q, role, p, l)) return el_pool_add(q, q->titled[k].name, strlen(q->titled[k].name), err);
      p += l + (sp ? 1 : 0);
    }
  }
  return EL_NONE;
}

/* Remember the paragraph's titled persons for el_role_person (the latest
** EL_QX_TITLED, most recent first). */
static void el_remember_titled(el_qx *q) {
  for (size_t i = 0; i < q->nsp; i++) {
    const el_qspan *p = &q->sp[i];
    if (strcmp(p->label, "PERSON") != 0 || q->inq[p->a] >= 0) continue;
    char words[sizeof(q->titled[0].words)];
    size_t wl = 0;
    int title = 0;
    for (size_t t = p->a; t > 0 && t + 8 > p->a; t--) {
      size_t u = t - 1, l = el_tlen(q, u);
      if (q->inq[u] >= 0 || !(el_is_upper(q, u) || el_is(q, u, "of") || el_is(q, u, "for") ||
                              el_is(q, u, "the") || el_is(q, u, "and")))
        break;
      title |= el_is_title_end(q, u);
      if (el_is_upper(q, u) && wl + l + 1 < sizeof words) {
        memcpy(words + wl, el_ttext(q, u), l);
        wl += l;
        words[wl++] = ' ';
      }
    }
    const char *nm = p->canon != EL_NONE ? q->pool + p->canon : NULL;
    size_t nl = nm ? strlen(nm) : p->end - p->start;
    if (!title || wl == 0 || nl >= sizeof(q->titled[0].name)) continue;
    words[wl - 1] = 0;
    int n = q->ntitled < EL_QX_TITLED ? q->ntitled + 1 : EL_QX_TITLED;
    memmove(&q->titled[1], &q->titled[0], (size_t)(n - 1) * sizeof(q->titled[0]));
    memcpy(q->titled[0].words, words, wl);
    memcpy(q->titled[0].name, nm ? nm : q->z + p->start, nl);
    q->titled[0].name[nl] = 0;
    q->ntitled = n;
  }
}

static int el_quotes_par(el_qx *q) {
  q->nq = q->qnext = 0;
  q->nlp_sent = EL_NONE;
  size_t ntok = q->ntok;
  el_qseg *qs = NULL;
  size_t nqs = 0, qscap = 0;
  size_t *named = NULL, nnamed = 0, namedcap = 0; /* pairs: verb token, pool offset */
  size_t *norg = NULL, nnorg = 0, norgcap = 0;    /* the same for organisations */
  int err = 0;
  int rc = -1;
  /* pair the marks */
  size_t open = EL_NONE;
  int depth = 0;
  int singles = el_single_para(q);
  for (size_t i = 0; i <= ntok; i++) {
    int m = i < ntok ? (singles ? el_single_role(q, i) : el_mark(q, i)) : 0;
    int close_here = 0;
    /* a straight mark's shape: `"word` opens, `word"` closes */
    int opens = 0, closes = 0;
    if (m == 3) {
      int sp_before = i == 0 || (q->tok[i].flags & EL_TF_SPACE_BEFORE);
      int sp_after = i + 1 >= ntok || (q->tok[i + 1].flags & EL_TF_SPACE_BEFORE);
      opens = sp_before && !sp_after;
      closes = !sp_before && (sp_after || q->tok[i + 1].kind == EL_PUNCT);
    }
    if (i == ntok) {
      if (open == EL_NONE) break;
      close_here = 1;
    } else if (open == EL_NONE) {
      if (m == 1 || (m == 3 && !(closes && !opens))) {
        open = i;
        depth = 0;
      }
      continue;
    } else if (m == 3 && opens && !closes && depth == 0) {
      /* a new quote opens: the one before was never closed */
      open = i;
      continue;
    } else if (m == 1) {
      depth++;
      continue;
    } else if (m == 2 && depth > 0) {
      depth--;
      continue;
    } else if (m == 2 || m == 3) {
      close_here = 1;
    }
    if (!close_here) continue;
    size_t a = open + 1, b = i;
    while (b > a && (el_is_punct(q, b - 1, ',') || el_mark(q, b - 1))) b--;
    while (a < b && (el_is_punct(q, a, '.') || el_is_punct(q, a, ',') || el_is_punct(q, a, ';') ||
                     el_is_punct(q, a, ':')))
      a++;
    if (b > a) {
      if (el_grow((void **)&qs, &qscap, nqs + 1, sizeof(el_qseg))) goto done;
      el_qseg *g = &qs[nqs++];
      memset(g, 0, sizeof(*g));
      g->open = open;
      g->close = i;
      g->a = a;
      g->b = b;
      for (size_t t = a; t < b; t++)
        if (q->tok[t].kind == EL_WORD || q->tok[t].kind == EL_NUMBER ||
            q->tok[t].kind == EL_PERCENT || q->tok[t].kind == EL_MONEY)
          g->words++;
      size_t lp = i - 1;
      if (q->tok[lp].kind == EL_PUNCT && el_tlen(q, lp) == 1) g->last = el_ttext(q, lp)[0];
      else if (q->tok[lp].kind == EL_PUNCT) g->last = '-';
      /* a report titled “...”; “Blank Check” in a headline: every word
      ** capitalised (short function words aside) and no sentence end; with
      ** three words or more a title even where a speech verb is near ("the
      ** notice announced ... the publication “Approved Drug Products With
      ** Therapeutic Equivalence Evaluations”") */
      int tn;
      g->title = open > 0 && el_is_lower(q, open - 1) &&
                 el_is_any(q, open - 1, el_quote_title_cue_list(&tn));
      /* "in what it called “the Kremlin's increasingly desperate attempts to
      ** ...”": eight words or more that start in lower case are speech, not a
      ** name or a title (titles start with a capital) */
      if (g->title && g->words >= 8 && el_is_lower(q, a)) g->title = 0;
      if (!g->title && g->words >= 2 && g->last != '.' && g->last != '?' && g->last != '!') {
        int caps = 1;
        for (size_t t = a; t < b && caps; t++)
          if (q->tok[t].kind == EL_WORD && !el_is_upper(q, t) && el_tlen(q, t) > 3) caps = 0;
        g->title = caps && el_is_upper(q, a) ? 2 : 0;
      }
      for (size_t t = open; t < i && t < ntok; t++) q->inq[t] = (int)(nqs - 1);
      if (i < ntok) q->inq[i] = (int)(nqs - 1);
    }
    open = EL_NONE;
  }
  /* every named person who says something outside the quotes, in text
  ** order: "she said" and "the official said" stand for the last of them */
  for (size_t i = 0; i < ntok; i++) {
    if (q->inq[i] >= 0 || !el_is_attr_verb(q, i)) continue;
    size_t l = i, h = i;
    while (l > 0 && q->inq[l - 1] < 0) l--;
    while (h < ntok && q->inq[h] < 0) h++;
    el_attr at;
    if (!el_speaker_of(q, i, l, h, &at) || at.kind != 1) continue;
    if (at.org) {
      if (el_grow((void **)&norg, &norgcap, 2 * nnorg + 2, sizeof(size_t))) goto done;
      norg[2 * nnorg] = i;
      norg[2 * nnorg + 1] = el_pool_add(q, at.canon, at.canon_len, &err);
      if (err) goto done;
      nnorg++;
      continue;
    }
    if (!at.person) continue;
    if (el_grow((void **)&named, &namedcap, 2 * nnamed + 2, sizeof(size_t))) goto done;
    named[2 * nnamed] = i;
    named[2 * nnamed + 1] = el_pool_add(q, at.canon, at.canon_len, &err);
    if (err) goto done;
    nnamed++;
  }
  /* direct attributions, in text order */
  for (size_t k = 0; k < nqs; k++) {
    el_qseg *g = &qs[k];
    el_attr at;
    int found = 0;
    if (g->close < ntok) {
      if (g->last == ',' || g->last == '?' || g->last == '!' || g->last == '-') {
        found = el_attr_after(q, qs, nqs, k, 0, &at);
        if (!found) found = el_attr_before(q, qs, k, &at);
      } else {
        found = el_attr_before(q, qs, k, &at);
        if (!found) found = el_attr_after(q, qs, nqs, k, 1, &at);
        if (!found) found = el_attr_after(q, qs, nqs, k, 0, &at);
      }
    } else {
      found = el_attr_before(q, qs, k, &at);
    }
    /* none of the rules: the parse, for speech of three words or more */
    if (!found && !g->title && g->words >= 3) {
      found = el_attr_parse(q, g->open, g->close < ntok ? g->close : ntok - 1, g->words, &at);
      if (found < 0) goto done;
      if (!found) found = el_attr_noun_from(q, g->open, &at);
    }
    if (!found) continue;
    g->at = at;
    /* the canonical goes into the pool; from here on canon_len holds its
    ** offset (or EL_NONE) */
    if (at.kind == 1) {
      g->at.canon_len = el_pool_add(q, at.canon, at.canon_len, &err);
      if (err) goto done;
    } else if (at.org || el_is_org_role(q, at.b - 1)) {
      /* "the company said", "the fact sheet said", "a Commerce Department
      ** spokesperson said": an organisation, never the last person named */
      size_t off = EL_NONE;
      for (size_t t = at.a; t < at.b && off == EL_NONE; t++) {
        int e = q->ent_at[t];
        if (e >= 0 && strcmp(q->sp[e].label, "ORG") == 0) off = el_span_name(q, e, &err);
      }
      for (size_t r = nnorg; off == EL_NONE && r > 0; r--)
        if (norg[2 * (r - 1)] < at.verb) off = norg[2 * (r - 1) + 1];
      if (off == EL_NONE && q->last_org_named_set)
        off = el_pool_add(q, q->last_org_named, strlen(q->last_org_named), &err);
      /* the last one named before, within 400 tokens (bounded work per quote) */
      for (size_t t = at.a; off == EL_NONE && t > 0 && t + 400 > at.a; t--) {
        int e = q->ent_at[t - 1];
        if (e >= 0 && q->inq[t - 1] < 0 && strcmp(q->sp[e].label, "ORG") == 0)
          off = el_span_name(q, e, &err);
      }
      if (off == EL_NONE && q->last_org_set)
        off = el_pool_add(q, q->last_org, strlen(q->last_org), &err);
      if (err) goto done;
      g->at.canon_len = off;
    } else {
      size_t off = EL_NONE, named_at = EL_NONE;
      for (size_t r = nnamed; r > 0; r--)
        if (named[2 * (r - 1)] < at.verb) {
          off = named[2 * (r - 1) + 1];
          named_at = named[2 * (r - 1)];
          break;
        }
      /* "he added" after a sentence that a new person opens: that person,
      ** not the last one who spoke; "the advisor said": the person with that
      ** title */
      int pronoun = at.b == at.a + 1 && el_is_any(q, at.a, el_qw_pronouns);
      size_t titled = pronoun ? EL_NONE : el_role_person(q, at.b - 1, at.verb, &err);
      int subj = pronoun ? el_subject_person(q, at.verb, named_at == EL_NONE ? 0 : named_at + 1) : -1;
      if (titled != EL_NONE) off = titled;
      else if (subj >= 0) off = el_span_name(q, subj, &err);
      else if (off == EL_NONE && q->last_subj_set && q->sent[at.verb] == q->sent[0])
        off = el_pool_add(q, q->last_subj, strlen(q->last_subj), &err);
      if (off == EL_NONE && q->last_named_set)
        off = el_pool_add(q, q->last_named, strlen(q->last_named), &err);
      /* no speaker named yet: the last person named at all ("Anna Weber
      ** spoke. “...,” she said.") */
      for (size_t t = at.verb; off == EL_NONE && t > 0; t--) {
        int e = q->ent_at[t - 1];
        if (e >= 0 && q->inq[t - 1] < 0 && strcmp(q->sp[e].label, "PERSON") == 0) {
          const el_qspan *ps = &q->sp[e];
          if (ps->canon != EL_NONE) off = ps->canon;
          else off = el_pool_add(q, q->z + ps->start, ps->end - ps->start, &err);
        }
      }
      if (off == EL_NONE && q->last_person_set)
        off = el_pool_add(q, q->last_person, strlen(q->last_person), &err);
      if (err) goto done;
      g->at.canon_len = off;
    }
    g->at.canon = NULL;
  }
  for (size_t t = ntok; t > 0; t--) {
    int e = q->ent_at[t - 1];
    if (e >= 0 && q->inq[t - 1] < 0 && strcmp(q->sp[e].label, "PERSON") == 0) {
      const el_qspan *ps = &q->sp[e];
      const char *nm = ps->canon != EL_NONE ? q->pool + ps->canon : q->z + ps->start;
      size_t nl = ps->canon != EL_NONE ? strlen(nm) : ps->end - ps->start;
      if (el_set_str(&q->last_person, &q->last_person_cap, nm, nl)) goto done;
      q->last_person_set = 1;
      break;
    }
  }
  for (size_t t = ntok; t > 0; t--) {
    int e = q->ent_at[t - 1];
    if (e >= 0 && q->inq[t - 1] < 0 && strcmp(q->sp[e].label, "ORG") == 0) {
      const el_qspan *os = &q->sp[e];
      const char *nm = os->canon != EL_NONE ? q->pool + os->canon : q->z + os->start;
      size_t nl = os->canon != EL_NONE ? strlen(nm) : os->end - os->start;
      if (el_set_str(&q->last_org, &q->last_org_cap, nm, nl)) goto done;
      q->last_org_set = 1;
      break;
    }
  }
  if (nnorg > 0) {
    const char *ln = q->pool + norg[2 * nnorg - 1];
    if (el_set_str(&q->last_org_named, &q->last_org_named_cap, ln, strlen(ln))) goto done;
    q->last_org_named_set = 1;
  }
  if (nnamed > 0) {
    const char *ln = q->pool + named[2 * nnamed - 1];
    if (el_set_str(&q->last_named, &q->last_named_cap, ln, strlen(ln))) goto done;
    q->last_named_set = 1;
  }
  el_remember_titled(q);
  /* the person who opens the paragraph's last sentence, when that comes
  ** after its last named speaker and holds no quote: a "he said" that opens
  ** the next paragraph may be that person */
  q->last_subj_set = 0;
  if (ntok > 0 && q->inq[ntok - 1] < 0) {
    size_t after = nnamed ? named[2 * nnamed - 2] + 1 : 0;
    size_t first = ntok - 1;
    while (first > 0 && q->sent[first - 1] == q->sent[ntok - 1]) first--;
    int quoted = 0;
    for (size_t t = first; t < ntok && !quoted; t++) quoted = q->inq[t] >= 0;
    int e = quoted ? -1 : el_subject_person(q, ntok - 1, after > first ? after : first);
    if (e >= 0) {
      size_t off = el_span_name(q, e, &err);
      if (err || el_set_str(&q->last_subj, &q->last_subj_cap, q->pool + off, strlen(q->pool + off)))
        goto done;
      q->last_subj_set = 1;
    }
  }
  /* inherit: same paragraph, then the previous paragraph */
  int any = 0;
  for (size_t k = 0; k < nqs; k++) any |= qs[k].at.kind != 0;
  int prev_ok = q->prev_spk_set;
  int starts_quote = nqs > 0 && qs[0].open == 0;
  size_t last_attr = EL_NONE;
  for (size_t k = 0; k < nqs; k++) {
    el_qseg *g = &qs[k];
    int direct = g->at.kind != 0;
    size_t src = EL_NONE;
    if (g->title == 1 || (g->title == 2 && (!direct || g->words >= 3))) {
      continue; /* a title or a name, not speech */
    } else if (g->words < 2 && g->last != ',' && g->last != '.' && g->last != '?' && g->last != '!') {
      continue; /* one word with no punctuation of its own ("“destabilizing” efforts"): a
                ** scare quote even where the sentence has an attribution; “No,” stays */
    } else if (direct) {
      last_attr = k;
    } else if (g->words < 5) {
      continue; /* a scare quote or a phrase: not reported */
    } else if (last_attr != EL_NONE) {
      src = last_attr;
    } else {
      for (size_t j = k + 1; j < nqs; j++)
        if (qs[j].at.kind) {
          src = j;
          break;
        }
    }
    if (el_grow((void **)&q->qs, &q->qcap, q->nq + 1, sizeof(el_qq))) goto done;
    el_qq *w = &q->qs[q->nq++];
    memset(w, 0, sizeof(*w));
    w->canon = EL_NONE;
    el_quote *o = &w->o;
    o->start = q->tok[g->a].start;
    o->end = q->tok[g->b - 1].end;
    o->sentence = q->sent[g->a];
    const el_attr *use = direct ? &g->at : src != EL_NONE ? &qs[src].at : NULL;
    if (use) {
      o->spk_start = q->tok[use->a].start;
      o->spk_end = q->tok[use->b - 1].end;
      w->canon = use->canon_len;
      o->continued = !direct;
    } else if (k == 0 && starts_quote && prev_ok && (!any || q->prev_colon)) {
      o->spk_start = q->prev_spk_start;
      o->spk_end = q->prev_spk_end;
      o->continued = !q->prev_colon;
      w->from_prev = 1;
    }
  }
  /* what the next paragraph may continue: the speaker of this one's last quote */
  if (nqs == 0) {
    q->prev_spk_set = 0;
  } else if (q->nq > 0 && !q->qs[q->nq - 1].from_prev) {
    el_qq *w = &q->qs[q->nq - 1];
    q->prev_spk_set = w->o.spk_end > w->o.spk_start;
    if (q->prev_spk_set) {
      const char *cn = w->canon != EL_NONE ? q->pool + w->canon : "";
      if (el_set_str(&q->prev_spk, &q->prev_spk_cap, cn, strlen(cn))) goto done;
      q->prev_spk_start = w->o.spk_start;
      q->prev_spk_end = w->o.spk_end;
    }
  } else if (q->nq == 0) {
    q->prev_spk_set = 0;
  }
  /* "Raimondo said:" ending the paragraph introduces the quote that opens the
  ** next one */
  q->prev_colon = 0;
  int colon = ntok >= 3 && el_is_punct(q, ntok - 1, ':') && q->inq[ntok - 2] < 0;
  /* "X released the following statement today regarding the rule." with a
  ** full stop: "following" before a statement noun announces it too */
  int following = 0;
  if (!colon && ntok >= 3 && el_is_punct(q, ntok - 1, '.') && q->inq[ntok - 2] < 0) {
    int sn;
    for (size_t t = ntok - 1; t > 0 && t + 60 > ntok && !following; t--) {
      if (q->sent[t - 1] != q->sent[ntok - 1] || q->inq[t - 1] >= 0) break;
      following = el_is(q, t - 1, "following") && el_is_lower(q, t) &&
                  el_is_any(q, t, el_statement_noun_list(&sn));
    }
  }
  if (colon || following) {
    size_t l = ntok - 1;
    while (l > 0 && q->inq[l - 1] < 0 && q->sent[l - 1] == q->sent[ntok - 1]) l--;
    for (size_t v = ntok - 1; colon && v > l && v + 8 > ntok; v--) {
      el_attr at;
      if (!el_is_attr_verb(q, v - 1) || !el_speaker_of(q, v - 1, l, ntok - 1, &at)) continue;
      const char *cn = at.kind == 1 ? at.canon : NULL;
      size_t cl = at.kind == 1 ? at.canon_len : 0;
      /* "she said:" is the last named speaker ("the company said:" no person) */
      if (at.kind != 1 && !at.org && !el_is_org_role(q, at.b - 1) && q->last_named_set) {
        cn = q->last_named;
        cl = strlen(cn);
      }
      if (el_set_str(&q->prev_spk, &q->prev_spk_cap, cn ? cn : "", cl)) goto done;
      q->prev_spk_start = q->tok[at.a].start;
      q->prev_spk_end = q->tok[at.b - 1].end;
      q->prev_spk_set = q->prev_colon = 1;
      break;
    }
    /* "X released the following statement:", "a statement that can be
    ** attributed to X:": no speech verb; the speaker is the person named after
    ** the noun, else the last one before it, else an organisation likewise */
    int sn;
    size_t noun = EL_NONE;
    for (size_t t = l; !q->prev_colon && t + 1 < ntok && noun == EL_NONE; t++)
      if (el_is_lower(q, t) && el_is_any(q, t, el_statement_noun_list(&sn))) noun = t;
    int pick = -1;
    /* "From Iowa Soybean Association President Bill Shipley of Nodaway:", a
    ** line that only names someone: the first person it names */
    if (colon && !q->prev_colon && noun == EL_NONE) pick = el_name_line(q, l, ntok - 1);
    for (int want_org = 0; noun != EL_NONE && pick < 0 && want_org < 2; want_org++) {
      const char *lab = want_org ? "ORG" : "PERSON";
      for (size_t t = noun + 1; t + 1 < ntok && pick < 0; t++)
        if (q->ent_at[t] >= 0 && strcmp(q->sp[q->ent_at[t]].label, lab) == 0) pick = q->ent_at[t];
      for (size_t t = noun; t > l && pick < 0; t--)
        if (q->ent_at[t - 1] >= 0 && strcmp(q->sp[q->ent_at[t - 1]].label, lab) == 0)
          pick = q->ent_at[t - 1];
    }
    if (pick >= 0) {
      size_t off = el_span_name(q, pick, &err);
      if (err) goto done;
      if (el_set_str(&q->prev_spk, &q->prev_spk_cap, q->pool + off, strlen(q->pool + off)))
        goto done;
      q->prev_spk_start = q->sp[pick].start;
      q->prev_spk_end = q->sp[pick].end;
      q->prev_spk_set = q->prev_colon = 1;
    }
  }
  rc = 0;
done:
  el_free(qs);
  el_free(named);
  el_free(norg);
  return rc;
}

int el_qx_next_quote(el_qx *q, el_quote *out) {
  while (q->qnext >= q->nq) {
    int rc = el_read_par(q);
    if (rc <= 0) return rc;
    if (el_quotes_par(q)) return -1;
  }
  el_qq *w = &q->qs[q->qnext++];
  *out = w->o;
  if (w->from_prev) out->canonical = q->prev_spk[0] ? q->prev_spk : NULL;
  else out->canonical = w->canon != EL_NONE ? q->pool + w->canon : NULL;
  return 1;
}
