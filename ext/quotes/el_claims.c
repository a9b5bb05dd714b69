/*
** Numeric claims: rules over one paragraph of exportlens tokens at a time,
** with the entity extractor's spans (countries, percentages, money) mapped
** onto those tokens. See el_quotes.h. No SQLite here.
*/
#include <stdlib.h>
#include <string.h>

#include "el_quotes_int.h"
#include "el_claim_words.h"   /* generated from claim_words.tsv */


/* ------------------------------------------------------------------------ */
/* Claims                                                                    */

/* ------------------------------------------------------------------------ */
/* Claims                                                                    */

/* The ISO3 of the country span covering token i (GPE or NORP), or NULL. */
static const char *el_iso_at(const el_qx *q, size_t i) {
  if (i >= q->ntok || q->ent_at[i] < 0) return NULL;
  const el_qspan *p = &q->sp[q->ent_at[i]];
  if (p->canon == EL_NONE || (strcmp(p->label, "GPE") && strcmp(p->label, "NORP"))) return NULL;
  const char *c = q->pool + p->canon;
  if (strlen(c) != 3 || c[0] < 'A' || c[0] > 'Z') return NULL;
  return c;
}

/* Nearest country mention ending before token e (not before lo); its first
** token in *at. */
static const char *el_country_before(const el_qx *q, size_t lo, size_t e, size_t *at) {
  if (e > q->ntok) e = q->ntok;
  uint32_t j = q->ci[e].prev_iso;
  if (j == EL_NOTOK || j < lo) return NULL;
  *at = q->sp[q->ent_at[j]].a;
  return el_iso_at(q, j);
}

/* The subject of a share: the nearest country mention before token e that is
** not itself the owner in an "of" phrase ("half of Peru's exports"), so that
** "X took 5% of Y's exports and 6% of Z's exports" gives X twice. */
static const char *el_subject_before(const el_qx *q, size_t lo, size_t e, size_t *at) {
  /* lo is always the sentence start, so the answer for a mention starting at
  ** token a depends on a alone: remembered in ci[a].subj, so that a chain of
  ** "of" owners is walked once per paragraph */
  size_t i = e;
  const char *c = NULL;
  uint32_t res = EL_SUBJ_NONE;
  size_t first = EL_NONE;
  while (i > lo) {
    size_t a0;
    c = el_country_before(q, lo, i, &a0);
    if (!c) break;
    if (first == EL_NONE) first = a0;
    if (a0 > lo && a0 < q->ntok && q->ci[a0].subj != EL_NOTOK) {
      res = q->ci[a0].subj;
      break;
    }
    size_t a = a0;
    if (a > lo && el_is(q, a - 1, "the")) a--;
    if (!(a > lo && el_is(q, a - 1, "of"))) {
      res = (uint32_t)a0;
      break;
    }
    i = a0;
  }
  /* remember the answer for every mention on the walk */
  for (size_t k = e; first != EL_NONE && k > lo;) {
    size_t a0;
    if (!el_country_before(q, lo, k, &a0) || a0 <= lo || a0 >= q->ntok ||
        q->ci[a0].subj != EL_NOTOK)
      break;
    ((el_qx *)q)->ci[a0].subj = res;
    k = a0;
  }
  if (res == EL_SUBJ_NONE) return NULL;
  *at = res;
  return el_iso_at(q, res);
}

/* First country mention in [b, e). */
static const char *el_country_from(const el_qx *q, size_t b, size_t e, size_t *at) {
  if (b >= e || b >= q->ntok) return NULL;
  uint32_t j = q->ci[b].next_iso;
  if (j == EL_NOTOK || j >= e) return NULL;
  *at = q->sp[q->ent_at[j]].b;
  return el_iso_at(q, j);
}


/* The qualifier ending right before token va (not before lo); its first
** token in *at. */
static const char *el_qualifier(const el_qx *q, size_t lo, size_t va, size_t *at) {
  for (const el_cw_qual *u = el_cw_qualifier; u->w1; u++) {
    size_t n = u->w3 ? 3 : u->w2 ? 2 : 1;
    if (va < lo + n) continue;
    size_t a = va - n;
    if (el_is(q, a, u->w1) && (n < 2 || el_is(q, a + 1, u->w2)) &&
        (n < 3 || el_is(q, a + 2, u->w3))) {
      *at = a;
      return u->norm;
    }
  }
  return NULL;
}

/* A fraction word ("a quarter", "two-thirds", "half") at i followed by "of",
** or after "by" ("fell by nearly a quarter"). */
static int el_fraction(const el_qx *q, size_t i, size_t e, double *v, size_t *end) {
  for (const el_cw_frac *f = el_cw_fraction; f->w1; f++) {
    if (!el_is(q, i, f->w1)) continue;
    size_t j = i + 1;
    if (f->w2) {
      if (el_is_punct(q, j, '-')) j++;
      if (!el_is(q, j, f->w2)) continue;
      j++;
    }
    /* "the first half of the year" is no value */
    if (i > 0 && el_is_any(q, i - 1, el_cw_fraction_not)) continue;
    size_t b = i;
    if (b > 0 && el_is_any(q, b - 1, el_cw_fraction_qual)) b--;
    if ((j < e && el_is(q, j, "of")) || (b > 0 && el_is(q, b - 1, "by"))) {
      *v = f->v;
      *end = j;
      return 1;
    }
  }
  return 0;
}

typedef struct el_cur { const char *sym; const char *code; } el_cur;
static const el_cur el_cur_prefix[] = {
  {"US$", "USD"}, {"NT$", "TWD"}, {"HK$", "HKD"}, {"C$", "CAD"}, {"A$", "AUD"},
  {"S$", "SGD"}, {"R$", "BRL"}, {"CN\xC2\xA5", "CNY"}, {"$", "USD"}, {"\xE2\x82\xAC", "EUR"},
  {"\xC2\xA3", "GBP"}, {"\xC2\xA5", "JPY"}, {"\xE2\x82\xA9", "KRW"}, {"\xE2\x82\xB9", "INR"},
  {NULL, NULL}
};

static const char *el_money_unit(const el_qx *q, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    for (const el_cw_cur *c = el_cw_currency; c->word; c++) /* claim_words.tsv */
      if (el_is(q, i, c->word)) return c->code;
  for (size_t i = a; i < b; i++) {
    const char *t = el_ttext(q, i);
    size_t n = el_tlen(q, i);
    for (const el_cur *c = el_cur_prefix; c->sym; c++) {
      size_t m = strlen(c->sym);
      if (n >= m && memcmp(t, c->sym, m) == 0) return c->code;
    }
  }
  return NULL;
}

/* The words of [a, b) that are not in el_cw_phrase_skip, joined by spaces,
** into the pool; EL_NONE when there are none. plural: add an "s" to the last
** word when it lacks one ("chip exports" -> "chips"). */
static size_t el_phrase_text(el_qx *q, size_t a, size_t b, int plural, int *err) {
  size_t first = EL_NONE, last = EL_NONE;
  for (size_t i = a; i < b; i++) {
    /* a hyphenated word: "contract-made" */
    if (first != EL_NONE && el_is_punct(q, i, '-') && !(q->tok[i].flags & EL_TF_SPACE_BEFORE) &&
        i + 1 < b && el_is_word(q, i + 1) && !(q->tok[i + 1].flags & EL_TF_SPACE_BEFORE))
      continue;
    if (!el_is_word(q, i) || el_is_any(q, i, el_cw_phrase_skip) || el_iso_at(q, i)) {
      if (first != EL_NONE) break;
      continue;
    }
    if (first == EL_NONE) first = i;
    last = i;
  }
  if (first == EL_NONE) return EL_NONE;
  size_t s = q->tok[first].start, e = q->tok[last].end;
  size_t off = el_pool_add(q, q->z + s, e - s, err);
  if (*err || !plural) return off;
  char c = q->z[e - 1];
  if (c == 's' || c == 'S') return off;
  /* append the "s" in place: the string is the last one in the pool */
  if (el_grow((void **)&q->pool, &q->poolcap, q->npool + 1, 1)) {
    *err = 1;
    return EL_NONE;
  }
  q->pool[q->npool - 1] = 's';
  q->pool[q->npool++] = 0;
  return off;
}


static int el_push_claim(el_qx *q, el_qclaim *c) {
  if (el_grow((void **)&q->cs, &q->ccap, q->nc + 1, sizeof(el_qclaim))) return -1;
  q->cs[q->nc++] = *c;
  return 0;
}

static int el_is_conj(const el_qx *q, size_t i) {
  return el_is(q, i, "and") || el_is(q, i, "but") || el_is(q, i, "while") ||
         el_is(q, i, "whereas") || el_is(q, i, "although");
}

/* Token i ends a clause: ";" or the comma of ", and". */
static int el_clause_break(const el_qx *q, size_t i) {
  return el_is_punct(q, i, ';') || (el_is_punct(q, i, ',') && el_is_conj(q, i + 1));
}

/* A year token (four digits, 1900 to 2100): its value, else 0. */
static int el_year_at(const el_qx *q, size_t i) {
  if (q->tok[i].kind != EL_NUMBER || el_tlen(q, i) != 4) return 0;
  const char *t = el_ttext(q, i);
  int y = 0;
  for (int k = 0; k < 4; k++) {
    if (t[k] < '0' || t[k] > '9') return 0;
    y = y * 10 + (t[k] - '0');
  }
  return y >= 1900 && y <= 2100 ? y : 0;
}

/* The country mention starting at token a is a partner, not an owner:
** "exports to (the) US", "imports from China", "trade with Japan". */
/* The preposition at p names the owner, not a partner: "imports to China"
** (the importer), "exports of equipment from Japan" (the exporter). */
static int el_prep_owner(const el_qx *q, size_t s0, size_t p) {
  int to = el_is(q, p, "to") || el_is(q, p, "into"), from = el_is(q, p, "from");
  if (!to && !from) return 0;
  for (size_t i = p; i > s0 && i + 6 > p; i--) {
    if (q->tok[i - 1].kind == EL_PUNCT && !el_is_punct(q, i - 1, '-')) return 0;
    if (to && el_is_trade(q, i - 1, el_cw_import)) return 1;
    if (from && el_is_trade(q, i - 1, el_cw_export)) return 1;
    if (el_is_trade(q, i - 1, el_cw_import) || el_is_trade(q, i - 1, el_cw_export)) return 0;
  }
  return 0;
}

static int el_is_partner(const el_qx *q, size_t s0, size_t a) {
  /* "China-bound shipments" */
  if (a < q->ntok && q->ent_at[a] >= 0 && el_is_punct(q, q->sp[q->ent_at[a]].b, '-') &&
      el_is(q, q->sp[q->ent_at[a]].b + 1, "bound"))
    return 1;
  for (int depth = 0; depth < 4; depth++) {
    if (a > s0 && el_is(q, a - 1, "the")) a--;
    if (a > s0 && el_is_any(q, a - 1, el_cw_partner)) return !el_prep_owner(q, s0, a - 1);
    /* "to largest trading partner China", "from neighbouring Vietnam" */
    for (size_t b = a, n = 0; n < 3 && b > s0 + 1 && el_is_lower(q, b - 1) &&
                              !el_is_any(q, b - 1, el_cw_phrase_stop);
         b--, n++)
      if (el_is_any(q, b - 2, el_cw_partner)) return !el_prep_owner(q, s0, b - 2);
    /* "to the US and India", "to China, Japan": a partner's partners */
    if (!(a > s0 + 1 && (el_is(q, a - 1, "and") || el_is_punct(q, a - 1, ',')) &&
          el_iso_at(q, a - 2)))
      return 0;
    a = q->sp[q->ent_at[a - 2]].a;
  }
  return 0;
}

static int el_unit_kind(const char *u) {
  return strcmp(u, "%") == 0 ? 1 : strcmp(u, "pp") == 0 ? 2 : 3;
}

static const char *el_frame_str(const char *s) { return s[0] ? s : NULL; }

/* The frame a claim keeps for the claims after it, and the owner of what it
** measures as the text's country: the exporter of a share of exports, else
** the subject. */
static void el_frame_keep(el_qx *q, const el_claim *c, const char *subj, const char *obj) {
  int kind = el_unit_kind(c->unit);
  el_cframe *f = kind == 3 ? &q->cf_money : &q->cf_last;
  const char *own = strcmp(c->metric, "share_of_exports") == 0 ? obj : subj;
  if (own && strcmp(c->metric, "value") != 0) {
    /* the text's country: the owner of most claims so far, the latest on a tie */
    int k = 0;
    while (k < q->cf_nown && memcmp(q->cf_own[k], own, 3) != 0) k++;
    if (k == q->cf_nown && k < 8) {
      memcpy(q->cf_own[k], own, 3);
      q->cf_own[k][3] = 0;
      q->cf_own_n[k] = 0;
      q->cf_nown++;
    }
    int best = k < 8 ? ++q->cf_own_n[k] : 0;
    int cur = 0;
    for (int j = 0; j < q->cf_nown; j++)
      if (memcmp(q->cf_own[j], q->cf_ctx, 3) == 0) cur = q->cf_own_n[j];
    if (k < 8 && best >= cur) memcpy(q->cf_ctx, own, 4);
  }
  /* a bare sum of money ("a $52 billion package") is no frame for what follows */
  if (kind == 2 || strcmp(c->metric, "value") == 0) return;
  q->cf_recent_money = kind == 3;
  f->metric = c->metric;
  f->unit = c->unit;
  f->value = c->value;
  memcpy(f->subj, subj ? subj : "", subj ? 3 : 1);
  f->subj[3] = 0;
  memcpy(f->obj, obj ? obj : "", obj ? 3 : 1);
  f->obj[3] = 0;
}

/* An en or em dash, or a hyphen with a space either side: "footwear – 5.9 billion". */
static int el_is_dash(const el_qx *q, size_t i) {
  const unsigned char *t = (const unsigned char *)el_ttext(q, i);
  size_t n = el_tlen(q, i);
  if (n == 3 && t[0] == 0xE2 && t[1] == 0x80 && (t[2] == 0x93 || t[2] == 0x94)) return 1;
  return n == 1 && t[0] == '-' && (q->tok[i].flags & EL_TF_SPACE_BEFORE) && i + 1 < q->ntok &&
         (q->tok[i + 1].flags & EL_TF_SPACE_BEFORE);
}

/* Claim P's subject, or NULL. */
static const char *el_claim_subj(const el_qx *q, const el_qclaim *P) {
  return P && P->subject != EL_NONE ? q->pool + P->subject : NULL;
}

/* Claim P's object when it is a country (an ISO3 code, not "exports"), or NULL. */
static const char *el_claim_iso_obj(const el_qx *q, const el_qclaim *P) {
  if (!P || P->object == EL_NONE) return NULL;
  const char *o = q->pool + P->object;
  return strlen(o) == 3 && o[0] >= 'A' && o[0] <= 'Z' ? o : NULL;
}

/* A trade-balance word (deficit, surplus) in the 12 tokens before token k. */
static int el_balance_before(const el_qx *q, size_t s0, size_t k) {
  for (size_t i = k; i > s0 && i + 12 > k; i--)
    if (el_is_any(q, i - 1, el_cw_balance)) return 1;
  return 0;
}

/* Context for a claim whose own words fall short (el_claim_at has found what
** it could: *metric may be NULL):
** - a value linked to the claim before it in the sentence by "from", "against",
**   "compared with" ("... to $21 billion from $25 billion") takes that claim's
**   frame; so does a bare value after "and" or "," ("7.5% in 2021 and 6.8%
**   in 2022"), or a gapped "<country> by N%" after a change ("exports to the EU
**   fell 6%, Japan by 7%": the same owner, Japan the partner);
** - "the figure", "that share" before the value mean the last frame: a change
**   of it after an up/down word (unless "to" N), else a new level of it;
** - an owner-less share of "total exports" after the value of exports to X is
**   X's share of the exporter's exports;
** - a change or value with no owner of its own belongs to the country the
**   text is about (the last claim's owner). */
static void el_frame_ctx(el_qx *q, size_t s0, size_t s1, size_t va, size_t vb, size_t pre,
                         const char *unit, el_qclaim *c, const char **metric,
                         const char **subj, const char **obj) {
  const el_qclaim *P = q->nc && q->cs[q->nc - 1].c.sentence == q->sent[va] ? &q->cs[q->nc - 1]
                                                                         : NULL;
  const char *Psubj = el_claim_subj(q, P), *Pobj = el_claim_iso_obj(q, P);
  const el_qclaim *const near = P; /* P, before the search below moves it */
  int kind = el_unit_kind(unit);
  int pkind = P ? el_unit_kind(P->c.unit) : 0;
  size_t k = pre;
  /* in brackets right after the claim before it */
  int bracket = P && k > s0 + 1 && el_is_punct(q, k - 1, '(') && q->tok[k - 2].end == P->c.end;
  /* "rose $51.6 billion (35.7 percent)", "a 17.5% increase ($307 billion)":
  ** the same change in the other unit (its sign); "increased by 7.4 percent
  ** (21.3 percent in April)": the same change, of another period */
  if (bracket && strcmp(P->c.metric, "change") == 0 &&
      (pkind != kind || !*metric || strcmp(*metric, "value") == 0)) {
    *metric = "change";
    *subj = Psubj;
    *obj = Pobj;
    if (pkind != kind && P->c.value < 0) c->c.value = -c->c.value;
    return;
  }
  /* "1.75 trillion yen ($11.1 billion)": the same figure in another currency */
  if (bracket && pkind == 3 && kind == 3) {
    *metric = P->c.metric;
    *subj = Psubj;
    *obj = Pobj;
    return;
  }
  /* the claim before it in the same unit: "growing by $15.7 billion (7.0
  ** percent) and $12.4 billion (3.8 percent), respectively" */
  if (P && pkind != kind) {
    for (size_t j = q->nc - 1, n = 0; j > 0 && n < 3; j--, n++) {
      const el_qclaim *R = &q->cs[j - 1];
      if (R->c.sentence != q->sent[va]) break;
      if (el_unit_kind(R->c.unit) == kind) {
        P = R;
        pkind = kind;
        Psubj = el_claim_subj(q, P);
        Pobj = el_claim_iso_obj(q, P);
        break;
      }
    }
  }
  /* "China took the lead with $3.19 billion, followed by the European Union
  ** with $2.05 billion": the last trade value, with that country as partner */
  if (kind == 3 && k > s0 + 1 && el_is(q, k - 1, "with") && el_iso_at(q, k - 2) &&
      (!*metric || strcmp(*metric, "value") == 0)) {
    const el_cframe *M = &q->cf_money;
    if (M->metric && (strcmp(M->metric, "exports_value") == 0 ||
                      strcmp(M->metric, "imports_value") == 0)) {
      *metric = M->metric;
      *subj = el_frame_str(M->subj);
      *obj = el_iso_at(q, k - 2);
      return;
    }
  }
  /* "Finland (10%)", "Chile follows with 26%", "followed by Australia with
  ** 22%": the last share, with that country as its owner */
  if (kind == 1 && k > s0 + 1 && (el_is_punct(q, k - 1, '(') || el_is(q, k - 1, "with"))) {
    size_t j = k - 1;
    if (el_is(q, j, "with") && j > s0 && el_is_any(q, j - 1, el_cw_follows)) j--;
    const el_cframe *S = &q->cf_last;
    const char *x = j > s0 ? el_iso_at(q, j - 1) : NULL;
    if (x && S->metric && strncmp(S->metric, "share_of_", 9) == 0 &&
        (!*metric || strcmp(*metric, S->metric) == 0)) {
      *metric = S->metric;
      if (strcmp(S->metric, "share_of_imports") == 0) {
        *subj = el_frame_str(S->subj);
        *obj = x;
      } else {
        *subj = x;
        *obj = el_frame_str(S->obj);
      }
      return;
    }
  }
  /* the link word before the value */
  int link = 0;
  if (k > s0 && el_is_any(q, k - 1, el_cw_link)) link = 1;
  else if (k > s0 + 1 && (el_is(q, k - 1, "to") || el_is(q, k - 1, "with")) &&
           el_is(q, k - 2, "compared")) link = 1;
  else if (k > s0 && (el_is(q, k - 1, "and") || el_is_punct(q, k - 1, ',') || el_is_dash(q, k - 1)))
    link = 2; /* "footwear – 5.9 billion USD": a list's item */
  if (P && link == 1 && *metric && strcmp(*metric, "change") == 0 && pkind == kind) {
    /* "versus the previous month's slide of 13.5%": its own direction */
    if (!*subj) *subj = Psubj;
    if (!*obj) *obj = Pobj;
    return;
  }
  /* "up $3.7 billion from $63.4 billion": the level it changed from */
  if (P && link == 1 && kind == 3 && pkind == 3 && strcmp(P->c.metric, "change") == 0 &&
      (!*metric || strcmp(*metric, "value") == 0 || strcmp(*metric, "change") == 0)) {
    int trade = (q->first_exp < va || q->first_imp < va) && !el_balance_before(q, s0, k);
    *metric = !trade ? "value" : q->first_exp < q->first_imp ? "exports_value" : "imports_value";
    if (c->c.value < 0) c->c.value = -c->c.value;
    if (!*subj) *subj = Psubj;
    if (!*obj) *obj = Pobj;
    return;
  }
  if (P && pkind == kind &&
      (link == 1 || (link == 2 && (!*metric || strcmp(*metric, "value") == 0)))) {
    *metric = P->c.metric;
    *subj = Psubj;
    *obj = Pobj;
    if (strcmp(P->c.metric, "change") == 0 && P->c.value < 0) c->c.value = -c->c.value;
    /* "..., and 6% go to Norway": its own buyer or partner */
    for (size_t i = vb; link == 2 && i < s1 && i < vb + 4; i++) {
      size_t e;
      const char *x;
      if ((el_is(q, i, "to") || el_is(q, i, "from")) &&
          (x = el_country_from(q, i + 1, i + 3 < s1 ? i + 3 : s1, &e)) != NULL) {
        if ((strcmp(*metric, "share_of_exports") == 0 && el_is(q, i, "to")) ||
            strcmp(*metric, "share_of_revenue") == 0)
          *subj = x;
        else *obj = x;
        break;
      }
    }
    return;
  }
  /* "peaked at 21.6% in 2017 and amounted to 16.3% for 2022": a bare
  ** percentage after a share in its sentence, with no country between */
  if (!*metric && P && pkind == kind && kind == 1 && strncmp(P->c.metric, "share_of_", 9) == 0) {
    size_t pe = P->c.end;
    int other = 0;
    for (size_t j = k; j > s0 && q->tok[j - 1].start >= pe; j--)
      if (el_iso_at(q, j - 1)) { other = 1; break; }
    if (!other) {
      *metric = P->c.metric;
      *subj = Psubj;
      *obj = Pobj;
      return;
    }
  }
  /* gapping: ", Japan by 7.3%" after a change */
  if (!*metric && P && pkind == kind && strcmp(P->c.metric, "change") == 0) {
    size_t j = k;
    if (j > s0 && el_is(q, j - 1, "by")) j--;
    if (j > s0 && el_iso_at(q, j - 1)) {
      size_t a = q->sp[q->ent_at[j - 1]].a;
      /* ", to China by 1.1 percent, and to Taiwan by 9.5 percent" */
      if (a > s0 + 1 && el_is_any(q, a - 1, el_cw_partner)) a--;
      if (a > s0 && (el_is(q, a - 1, "and") || el_is_punct(q, a - 1, ','))) {
        *metric = "change";
        *subj = Psubj;
        *obj = el_iso_at(q, j - 1);
        if (P->c.value < 0) c->c.value = -c->c.value;
        return;
      }
    }
  }
  /* "the figure", "that share" */
  const el_cframe *F = &q->cf_last;
  const el_cframe *A = kind == 3 || (kind == 1 && *metric && strcmp(*metric, "change") == 0 &&
                                     q->cf_recent_money) ? &q->cf_money : &q->cf_last;
  if (A->metric && (!*metric || strcmp(*metric, "change") == 0 || strcmp(*metric, "value") == 0)) {
    for (size_t j = k; j > s0 && j + 8 > k; j--) {
      if (el_iso_at(q, j - 1) || el_is_punct(q, j - 1, ',')) break;
      if (!el_is_any(q, j - 1, el_cw_anaphor)) continue;
      if (!(j > s0 + 1 && el_is_any(q, j - 2, el_cw_anaphor_det)) || el_is(q, j, "of")) break;
      int fk = el_unit_kind(A->unit);
      int to = k > s0 && el_is(q, k - 1, "to");
      if (*metric && strcmp(*metric, "change") == 0 && !to) {
        if (kind != 1 && fk != kind) break;
        *subj = el_frame_str(A->subj);
        *obj = el_frame_str(A->obj);
      } else if (fk == kind) {
        *metric = A->metric;
        *subj = el_frame_str(A->subj);
        *obj = el_frame_str(A->obj);
      }
      return;
    }
  }
  if (!*metric) return;
  /* "edged up 0.1% ... to $15.15 billion": the level of what changed; with
  ** no trade word in the sentence, "those to China fell 2% to $10.8 billion"
  ** is the last trade value's flow */
  if (kind == 3 && strcmp(*metric, "value") == 0 && near && k > s0 &&
      el_is(q, k - 1, "to") && strcmp(near->c.metric, "change") == 0 &&
      !el_balance_before(q, s0, k)) {
    const char *flow = NULL, *last = q->cf_money.metric;
    if (q->first_exp < va || q->first_imp < va)
      flow = q->first_exp < q->first_imp ? "exports_value" : "imports_value";
    else if (last && (strcmp(last, "exports_value") == 0 || strcmp(last, "imports_value") == 0))
      for (size_t j = s0; j + 1 < va && !flow; j++)
        if (el_is(q, j, "those") && (el_is(q, j + 1, "to") || el_is(q, j + 1, "from")))
          flow = last;
    if (flow) {
      *metric = flow;
      if (!*subj) *subj = el_claim_subj(q, near);
      if (!*obj) *obj = el_claim_iso_obj(q, near);
      return;
    }
  }
  /* "down 0.6 percentage points": a change of the share before it */
  if (strcmp(*metric, "change_pp") == 0) {
    if (P && strncmp(P->c.metric, "share_", 6) == 0) {
      *subj = Psubj;
      *obj = Pobj;
    } else if (!*subj && F->metric && strncmp(F->metric, "share_", 6) == 0) {
      *subj = el_frame_str(F->subj);
      *obj = el_frame_str(F->obj);
    }
    if (*subj) return;
  }
  /* "..., an increase of 22.5%": the owner of the claim before it */
  if (!*subj && P && strcmp(*metric, "change") == 0) {
    const char *own = strcmp(P->c.metric, "share_of_exports") == 0 ? Pobj : Psubj;
    if (own) {
      *subj = own;
      return;
    }
  }
  if (strcmp(*metric, "share_of_exports") == 0 && !*subj && !*obj && P &&
      strcmp(P->c.metric, "exports_value") == 0 && Psubj && Pobj) {
    *subj = Pobj;
    *obj = Psubj;
    return;
  }
  /* "a shortfall of 205.2 billion yen", "a 1.07 trillion yen shortfall": a
  ** balance, the text's country's */
  int balance = kind == 3 && strcmp(*metric, "value") == 0 &&
                (el_balance_before(q, s0, k) || el_is_any(q, vb, el_cw_balance));
  if (!*subj && q->cf_ctx[0] && !q->sent_owner &&
      (strcmp(*metric, "change") == 0 || strcmp(*metric, "change_pp") == 0 ||
       strcmp(*metric, "exports_value") == 0 || strcmp(*metric, "imports_value") == 0 ||
       balance) &&
      !(*obj && strcmp(*obj, q->cf_ctx) == 0))
    *subj = q->cf_ctx;
}

/* A share written around its noun before the value, [S, pre) with S a word
** of el_cw_share_noun: "Russia's share of India's oil imports rose to 40%",
** "the share of Russian oil in India's crude imports amounted to 38%",
** "China's share of total German exports will fall to 5.2%", "with a market
** share reaching 63%". The importer is the owner of "imports" (else the text's
** country), the exporter the owner of "exports"; the other country, the
** share's owner or a partner, is the supplier / buyer. No trade word, or
** "market share": a share of world production. Returns the metric or NULL. */
static const char *el_share_noun(el_qx *q, size_t s0, size_t pre, const char **subj,
                                 const char **obj, size_t *lo) {
  size_t S = EL_NONE;
  for (size_t j = pre; j > s0 && j + 16 > pre; j--) {
    size_t t = j - 1;
    if (el_is_punct(q, t, ';') || el_is_punct(q, t, ':') ||
        (q->ent_at[t] >= 0 && q->sp[q->ent_at[t]].has_value))
      return NULL;
    if (el_is_any(q, t, el_cw_share_noun)) { S = t; break; }
  }
  if (S == EL_NONE) return NULL;
  int market = S > s0 && el_is(q, S - 1, "market");
  size_t x_end = market ? S - 1 : S;
  const char *X = NULL, *Y = NULL, *Z = NULL, *X2 = NULL;
  size_t xa = EL_NONE;
  if (x_end > s0 && el_is_clitic(q, x_end - 1)) x_end--;
  if (x_end > s0 && el_iso_at(q, x_end - 1)) {
    X = el_iso_at(q, x_end - 1);
    xa = q->sp[q->ent_at[x_end - 1]].a;
  }
  int isexp = 0, isimp = 0;
  size_t T = EL_NONE;
  if (!market && !(el_is(q, S + 1, "of") || el_is(q, S + 1, "in"))) {
    /* "China's share was 21% in 2017": the last share, with China in it */
    const el_cframe *F = &q->cf_last;
    if (!X || !F->metric || strncmp(F->metric, "share_of_", 9) != 0 ||
        strcmp(F->metric, "share_of_world_production") == 0)
      return NULL;
    if (strcmp(F->metric, "share_of_imports") == 0) {
      *subj = el_frame_str(F->subj);
      *obj = X;
    } else {
      *subj = X;
      *obj = el_frame_str(F->obj);
    }
    if (xa < *lo) *lo = xa;
    return F->metric;
  }
  for (size_t i = S + 1; i < pre; i++) {
    if (T == EL_NONE && el_is_trade(q, i, el_cw_export)) T = i, isexp = 1;
    else if (T == EL_NONE && el_is_trade(q, i, el_cw_import)) T = i, isimp = 1;
  }
  for (size_t i = S + 1; i < pre; i++) {
    const char *c = el_iso_at(q, i);
    if (!c) continue;
    size_t a = q->sp[q->ent_at[i]].a;
    i = q->sp[q->ent_at[i]].b - 1;
    if (el_is_partner(q, s0, a)) { if (!Z) Z = c; }
    else if (T != EL_NONE && a < T) { if (Y) X2 = X2 ? X2 : Y; Y = c; }
    else if (!X2) X2 = c;
  }
  if (!Y && T != EL_NONE) {
    /* "the country's imports", "its exports": the text's country */
    for (size_t i = T; i > S + 1 && i + 4 > T; i--)
      if (el_is(q, i - 1, "its") || el_is(q, i - 1, "country") || el_is(q, i - 1, "nation"))
        Y = q->cf_ctx[0] ? q->cf_ctx : NULL;
  }
  const char *other = X ? X : X2 ? X2 : Z;
  if (xa != EL_NONE && xa < *lo) *lo = xa;
  else if (S < *lo) *lo = S;
  if (isimp) {
    *subj = Y ? Y : q->cf_ctx[0] ? q->cf_ctx : NULL;
    *obj = other;
    return "share_of_imports";
  }
  if (isexp) {
    *subj = other;
    *obj = Y ? Y : q->cf_ctx[0] ? q->cf_ctx : NULL;
    return "share_of_exports";
  }
  if (!market) return NULL;
  size_t at;
  *subj = X ? X : el_subject_before(q, s0, S, &at);
  return "share_of_world_production";
}

/* A change at the value [va, vb) (pre: its first token, qualifier included):
** an up/down word right before it ("fell 10%", "rose by $2 billion") or right
** after it ("a 10% drop in imports"). Returns the sign (0: not a change) and
** sets the claim's value, object, subject and span. */
static int el_change_at(el_qx *q, size_t s0, size_t s1, size_t va, size_t vb, size_t pre,
                        el_qclaim *c, size_t *lo, size_t *hi, const char **subj,
                        const char **obj, int *err) {
  (void)va;
  /* a change: "exports fell 10%", "up 5%", "a 10% drop in exports" */
  int sign = 0;
  size_t vi = EL_NONE;
  size_t k = pre;
  /* "surged an annual 13.9 percent": an article and a period word */
  if (k > s0 + 1 && el_is_any(q, k - 1, el_cw_period_word) &&
      (el_is(q, k - 2, "an") || el_is(q, k - 2, "a")))
    k -= 2;
  else if (k > s0 && el_is_any(q, k - 1, el_cw_change_adverb))
    k--;
  /* "fell by N%", "an increase of N%" (a noun before "of"), "an increase in
  ** the goods deficit of $3.0 billion" (the noun, then what changed) */
  int nounof = k > s0 + 1 && el_is(q, k - 1, "of") && el_is_any(q, k - 2, el_cw_change_noun);
  size_t noun_in = EL_NONE;
  if (!nounof && k > s0 + 3 && el_is(q, k - 1, "of"))
    for (size_t t = k - 2; t > s0 + 1 && t + 7 > k && noun_in == EL_NONE; t--) {
      if (!el_is_lower(q, t)) break;
      if (el_is(q, t, "in") && el_is_any(q, t - 1, el_cw_change_noun)) noun_in = t - 1;
    }
  /* "increased $22.6 billion, or 5.7%": the same change in percent */
  size_t or_money = EL_NONE;
  if (k > s0 + 2 && el_is(q, k - 1, "or")) {
    size_t t = k - 1 - el_is_punct(q, k - 2, ',');
    while (t > s0 && t + 3 > k - 2 && q->tok[t - 1].kind != EL_MONEY) t--;
    if (t > s0 && q->tok[t - 1].kind == EL_MONEY) {
      t--;
      if (t > s0 + 1 && el_is(q, t - 1, "by")) t--;
      if (t > s0) or_money = t;
    }
  }
  if (k > s0 + 1 && (el_is(q, k - 1, "by") || nounof)) k--;
  if (noun_in != EL_NONE) k = noun_in + 1;
  if (or_money != EL_NONE) k = or_money;
  /* "added 4.9 percent": "added" right before its number is a rise, not speech */
  int added = k > s0 && k == pre && (el_is(q, k - 1, "added") || el_is(q, k - 1, "adds"));
  if (k > s0 && (el_is_any(q, k - 1, el_cw_up) || el_is_any(q, k - 1, el_cw_down) || added) &&
      !(el_is(q, k - 1, "up") && k > s0 + 1 && el_is_any(q, k - 2, el_cw_phrasal_up))) {
    vi = k - 1;
    sign = el_is_any(q, vi, el_cw_down) ? -1 : 1;
    if (noun_in != EL_NONE) nounof = 1;
  } else if ((el_is(q, vb, "more") || el_is(q, vb, "less") || el_is(q, vb, "higher") ||
              el_is(q, vb, "lower")) && el_is(q, vb + 1, "than")) {
    /* "$10.0 billion more than July exports" */
    sign = el_is(q, vb, "more") || el_is(q, vb, "higher") ? 1 : -1;
    *hi = vb + 2;
  } else {
    /* "a 49.7% year-on-year increase" */
    size_t w = vb;
    while (w < s1 && w < vb + 6 && (el_is_any(q, w, el_cw_period_word) || el_is_punct(q, w, '-')))
      w++;
    if (w > vb && (el_is_any(q, w, el_cw_up) || el_is_any(q, w, el_cw_down))) vb = w;
  }
  if (vi == EL_NONE && (el_is_any(q, vb, el_cw_up) || el_is_any(q, vb, el_cw_down))) {
    sign = el_is_any(q, vb, el_cw_up) ? 1 : -1;
    *hi = vb + 1;
    if (el_is(q, vb + 1, "in")) {
      size_t e = vb + 2;
      while (e < s1 && e < vb + 5 && el_is_lower(q, e) && !el_is_any(q, e, el_cw_money_stop)) e++;
      if (e > vb + 2) c->object = el_pool_add(q, q->z + q->tok[vb + 2].start,
                                             q->tok[e - 1].end - q->tok[vb + 2].start, err);
      *hi = e;
    }
  }
  if (sign) {
    c->c.value = sign * c->c.value;
    if (vi != EL_NONE && nounof) {
      *lo = vi;
    } else if (vi != EL_NONE) {
      *lo = vi;
      /* the thing that changed, right before the verb or before a
      ** "to/from/with <country>" after it: "Germany's exports to China fell" */
      size_t n = vi;
      /* "shipments to Japan were up 2%" */
      if (n > s0 + 1 && el_is_any(q, n - 1, el_cw_copula)) n--;
      /* "shipments to China, the No. 1 trading partner, went up": past the
      ** appositive */
      if (n > s0 + 2 && el_is_punct(q, n - 1, ','))
        for (size_t t = n - 2; t > s0 && t + 12 > n; t--)
          if (el_is_punct(q, t, ',')) {
            n = t;
            break;
          }
      if (n > s0 + 1 && q->ent_at[n - 1] >= 0 && el_iso_at(q, n - 1)) {
        size_t a = q->sp[q->ent_at[n - 1]].a;
        if (el_is_partner(q, s0, a)) {
          *obj = el_iso_at(q, n - 1);
          n = a - 1 - el_is(q, a - 1, "the");
        }
      }
      if (n > s0 && el_is_word(q, n - 1) && q->ent_at[n - 1] < 0 &&
          !el_is_any(q, n - 1, el_cw_money_stop) && !el_is_any(q, n - 1, el_qw_pronouns)) {
        c->object = el_pool_add(q, el_ttext(q, n - 1), el_tlen(q, n - 1), err);
        *lo = n - 1;
        /* its owner: "Germany's exports", "Korean chip shipments" */
        size_t o = n - 1;
        if (o > s0 && el_is_lower(q, o - 1) && !el_is_any(q, o - 1, el_cw_money_stop)) o--;
        if (o > s0 && el_is_clitic(q, o - 1)) o--;
        if (o > s0 && el_iso_at(q, o - 1)) {
          size_t a = q->sp[q->ent_at[o - 1]].a;
          /* "American imports of Chinese commodities": the goods' origin is
          ** the partner; the owner is the trade word's before "of" */
          if (a > s0 + 1 && el_is(q, a - 1, "of") &&
              (el_is_trade(q, a - 2, el_cw_import) || el_is_trade(q, a - 2, el_cw_export))) {
            if (!*obj) *obj = el_iso_at(q, o - 1);
            size_t t = a - 2;
            if (t > s0 && el_is_clitic(q, t - 1)) t--;
            if (t > s0 && el_iso_at(q, t - 1)) {
              *subj = el_iso_at(q, t - 1);
              *lo = q->sp[q->ent_at[t - 1]].a;
            }
          } else {
            *subj = el_iso_at(q, o - 1);
            *lo = a;
          }
        }
      }
    }
    if (!*subj) {
      /* the country of the same clause */
      uint32_t pc = *lo <= q->ntok ? q->ci[*lo].prev_comma : EL_NOTOK;
      size_t cl = pc != EL_NOTOK && pc >= s0 && pc < *lo ? pc + 1 : s0;
      if (cl > *lo) cl = *lo;
      size_t bat = 0;
      *subj = el_country_before(q, cl, *lo, &bat);
      /* "imports from China rose": China is the partner */
      size_t from = cl;
      if (*subj && el_is_partner(q, s0, bat)) {
        if (!*obj) *obj = *subj;
        *subj = NULL;
        from = bat;
      }
      /* else the owner named earlier in the sentence: "The volume of China's
      ** chip exports, meanwhile, dropped 9.9%" */
      for (size_t e = from, n = 0; !*subj && e > s0 && n < 4; n++) {
        *subj = el_country_before(q, s0, e, &bat);
        if (!*subj) break;
        if (el_is_partner(q, s0, bat)) *subj = NULL, e = bat;
        else bat = *lo;
      }
      if (*subj && bat < *lo) *lo = bat;
    }
  }
  return sign;
}

/* One value (tokens [va, vb), a percentage when unit is "%") of sentence [s0, s1). */
static int el_claim_at(el_qx *q, size_t s0, size_t s1, size_t va, size_t vb, double value,
                       const char *unit) {
  el_qclaim c;
  memset(&c, 0, sizeof(c));
  c.subject = c.object = c.detail = EL_NONE;
  /* Reserve the pool first: the country codes below point into it, so it
  ** must not move while this claim is built. What one claim adds (object,
  ** detail, subject and object codes) is at most twice the sentence. */
  size_t need = 2 * (q->tok[s1 - 1].end - q->tok[s0].start) + 64;
  if (el_grow((void **)&q->pool, &q->poolcap, q->npool + need, 1)) return -1;
  c.c.value = value;
  c.c.unit = unit;
  size_t lo = va, hi = vb;
  size_t qa;
  c.c.qualifier = el_qualifier(q, s0, va, &qa);
  size_t pre = va;
  if (c.c.qualifier) lo = pre = qa;
  /* "rose from 18% to 23%": one claim, B, read as if "from A to" were not there */
  int fromto = q->cx_from != EL_NONE && q->cx_from < va;
  if (fromto) lo = pre = q->cx_from;
  q->cx_from = EL_NONE;
  /* the year: the one nearest to the value in its clause, when the clause
  ** names a country (a clause ends at ";" or at ", and" / ", but" / ",
  ** while": "X took 5% in 2022, and Y buys 60% ..." gives Y no year) */
  const el_cidx *ci = q->ci;
  uint32_t pb = ci[va].prev_brk, nb = ci[vb].next_brk;
  size_t cl0 = pb != EL_NOTOK && pb >= s0 ? pb + 1 : s0;
  size_t cl1 = nb != EL_NOTOK && nb < s1 ? nb : s1;
  /* a clause without a country of its own shares the sentence's year
  ** ("Exports fell 12% in 2023, while imports rose 3%") */
  if (cl0 >= cl1 || ci[cl0].next_iso == EL_NOTOK || ci[cl0].next_iso >= cl1) cl0 = s0, cl1 = s1;
  /* the nearest year outside the value; the earlier one wins a tie */
  uint32_t yb = ci[va].prev_year, ya = ci[vb].next_year;
  if (yb != EL_NOTOK && yb < cl0) yb = EL_NOTOK;
  if (ya != EL_NOTOK && ya >= cl1) ya = EL_NOTOK;
  if (yb != EL_NOTOK && ya != EL_NOTOK) {
    if (va - yb <= ya - vb + 1) ya = EL_NOTOK;
    else yb = EL_NOTOK;
  }
  if (yb != EL_NOTOK || ya != EL_NOTOK) c.c.year = el_year_at(q, yb != EL_NOTOK ? yb : ya);
  int err = 0;
  const char *subj = NULL, *obj = NULL;
  size_t at = 0;
  const char *metric = NULL;
  if (strcmp(unit, "%") == 0) {
    size_t j = vb;
    if (el_is(q, j, "of")) {
      size_t pa = j + 1, pe = pa;
      while (pe < s1 && pe < pa + 10) {
        if (el_is_any(q, pe, el_cw_phrase_stop)) break;
        if (q->tok[pe].kind == EL_PUNCT && !el_is_clitic(q, pe) && !el_is_punct(q, pe, '-')) break;
        if (el_is_clitic(q, pe) && el_is_any(q, pe + 1, el_cw_world)) { pe++; continue; }
        pe++;
      }
      int world = 0, gdp = 0, exp = 0, imp = 0, its = 0, rev = 0;
      size_t exp_at = EL_NONE;
      const char *pc = NULL;
      for (size_t i = pa; i < pe; i++) {
        if (el_is_any(q, i, el_cw_revenue)) rev = 1;
        if (el_is_any(q, i, el_cw_world)) world = 1;
        if (el_is_any(q, i, el_cw_gdp)) gdp = 1;
        if (el_is_trade(q, i, el_cw_export)) exp = 1, exp_at = exp_at == EL_NONE ? i : exp_at;
        if (el_is_trade(q, i, el_cw_import)) imp = 1;
        if (el_is(q, i, "its") || el_is(q, i, "their")) its = 1;
        if (!pc) pc = el_iso_at(q, i);
      }
      size_t before_at = 0;
      const char *before = el_subject_before(q, s0, pre, &before_at);
      /* verbs between the sentence start and the value */
      int verb_imp = q->first_imp < va, verb_exp = q->first_exp < va;
      /* what follows the phrase: "to X", "from X", "go to X" */
      const char *to = NULL, *from = NULL;
      size_t to_end = 0, from_end = 0;
      for (size_t i = pe; i < s1 && i < pe + 4; i++) {
        if (el_is(q, i, "to") && !to) to = el_country_from(q, i + 1, i + 3 < s1 ? i + 3 : s1, &to_end);
        if (el_is(q, i, "from") && !from)
          from = el_country_from(q, i + 1, i + 3 < s1 ? i + 3 : s1, &from_end);
      }
      hi = pe;
      /* "could lose as much as 30% of their China revenue" is no share */
      if (rev && !exp && !imp && !world && !gdp &&
          !(pre > s0 && (el_is_any(q, pre - 1, el_cw_up) || el_is_any(q, pre - 1, el_cw_down) ||
                         el_is_any(q, pre - 1, el_cw_lose)))) {
        /* "22% of its revenue from Taiwan", "China accounted for 49% of
        ** system sales": the market's share of a seller's revenue */
        const char *in = NULL;
        size_t in_end = 0;
        for (size_t i = pe; i < s1 && i < pe + 3 && !in; i++)
          if (el_is(q, i, "in")) in = el_country_from(q, i + 1, i + 3 < s1 ? i + 3 : s1, &in_end);
        metric = "share_of_revenue";
        if (pc) subj = pc;   /* "of its China revenue" */
        else if (from) subj = from, hi = from_end;
        else if (in) subj = in, hi = in_end;
        else if (before && !el_is_partner(q, s0, before_at)) {
          subj = before;
          lo = before_at < lo ? before_at : lo;
        }
        c.object = el_phrase_text(q, pa, pe, 0, &err);
      } else if (gdp) {
        if (exp || verb_exp) {
          metric = "exports_pct_gdp";
          subj = pc ? pc : before;
          if (!pc && before) at = before_at, lo = at < lo ? at : lo;
        }
      } else if (world) {
        metric = exp ? "share_of_world_exports" : "share_of_world_production";
        c.object = el_phrase_text(q, pa, pe, exp, &err);
        subj = before;
        if (before) lo = before_at < lo ? before_at : lo;
        else subj = el_country_from(q, pe, s1, &at), hi = subj ? at : hi;
      } else if (imp || ((verb_imp || its) && from)) {
        metric = "share_of_imports";
        if (pc && !its) {
          subj = pc;
          obj = from ? from : before;
          c.detail = el_phrase_text(q, pa, pe, 0, &err);
          if (from) hi = from_end;
          else if (before) lo = before_at < lo ? before_at : lo;
        } else {
          subj = before;
          obj = from;
          if (before) lo = before_at < lo ? before_at : lo;
          if (from) hi = from_end;
          c.detail = el_phrase_text(q, pa, pe, 0, &err);
        }
      } else if (exp || (verb_exp && to)) {
        metric = "share_of_exports";
        if (pc && !its) {
          obj = pc;
          subj = to ? to : before;
          if (to) hi = to_end;
          else if (before) lo = before_at < lo ? before_at : lo;
        } else if (before && !to && el_is_partner(q, s0, before_at)) {
          /* "exports to China account for 40% of total exports": China buys */
          subj = before;
          lo = before_at < lo ? before_at : lo;
        } else {
          obj = before;
          subj = to;
          if (before) lo = before_at < lo ? before_at : lo;
          if (to) hi = to_end;
        }
        /* the detail is what the exports are of, before the word: "of
        ** Korea's chip exports"; what follows is another clause */
        c.detail = el_phrase_text(q, pa, exp_at != EL_NONE ? exp_at : pe, 0, &err);
      }
    }
    /* "N% market share", "a 12% share of global oil production" */
    if (!metric && (el_is(q, vb, "share") || (el_is(q, vb, "market") && el_is(q, vb + 1, "share")))) {
      size_t e = vb + 1 + el_is(q, vb, "market");
      int world = el_is(q, vb, "market");
      if (el_is(q, e, "of"))
        for (size_t i = e + 1; i < s1 && i < e + 4; i++)
          if (el_is_any(q, i, el_cw_world)) world = 1;
      if (world) {
        size_t at0;
        metric = "share_of_world_production";
        subj = el_subject_before(q, s0, pre, &at0);
        if (subj && el_is_partner(q, s0, at0)) subj = NULL;
        hi = e;
      }
    }
    /* a share written around its noun before the value, unless the value
    ** is its change ("its share rose 3%") */
    if (!metric) {
      size_t k = pre;
      if (k > s0 && el_is(q, k - 1, "by")) k--;
      if (fromto ||
          !(k > s0 && (el_is_any(q, k - 1, el_cw_up) || el_is_any(q, k - 1, el_cw_down))))
        metric = el_share_noun(q, s0, pre, &subj, &obj, &lo);
    }
    if (!metric && !fromto) {
      if (el_change_at(q, s0, s1, va, vb, pre, &c, &lo, &hi, &subj, &obj, &err)) metric = "change";
    }
  } else if (strcmp(unit, "pp") == 0) {
    /* percentage points: a change of a share ("up 1.3 percentage points") */
    if (el_change_at(q, s0, s1, va, vb, pre, &c, &lo, &hi, &subj, &obj, &err)) metric = "change_pp";
  } else if (!(pre > s0 && el_is_any(q, pre - 1, el_cw_money_not_change)) &&
             el_change_at(q, s0, s1, va, vb, pre, &c, &lo, &hi, &subj, &obj, &err)) {
    /* a change in money: "exports increased $2.6 billion", "a $2.1 billion increase" */
    metric = "change";
  } else {
    /* money */
    size_t mw = EL_NONE;
    int isexp = 0;
    for (size_t i = pre; i > s0 && i + 12 > pre; i--) {
      if (el_is_trade(q, i - 1, el_cw_export)) { mw = i - 1; isexp = 1; break; }
      if (el_is_trade(q, i - 1, el_cw_import) && !el_is(q, i - 1, "buys") &&
          !el_is(q, i - 1, "bought")) { mw = i - 1; break; }
    }
    if (mw == EL_NONE) {
      size_t i = vb;
      /* "spent $5 billion, $1.8 billion and $2 billion importing ...": past
      ** the rest of the list (at most 8 values) */
      for (int n = 0; n < 8 && i < s1; n++) {
        size_t j = i;
        if (el_is_punct(q, j, ',')) j++;
        if (el_is(q, j, "and")) j++;
        if (j == i || j >= s1 || q->ent_at[j] < 0 || !q->sp[q->ent_at[j]].has_value ||
            strcmp(q->sp[q->ent_at[j]].label, "MONEY") != 0)
          break;
        i = q->sp[q->ent_at[j]].b;
      }
      if (el_is(q, i, "worth") && el_is(q, i + 1, "of")) i += 2;
      else if (el_is(q, i, "in")) i++;
      for (size_t k = i; k < s1 && k < i + 3; k++) {
        if (q->tok[k].kind == EL_PUNCT && !el_is_punct(q, k, '-')) break;  /* ", as imports" */
        if (el_is_trade(q, k, el_cw_export)) { mw = k; isexp = 1; break; }
        if (el_is_trade(q, k, el_cw_import)) { mw = k; break; }
      }
    }
    if (mw != EL_NONE) {
      metric = isexp ? "exports_value" : "imports_value";
      size_t sa = 0;
      if (mw < va) {
        subj = el_country_before(q, mw > 3 ? mw - 3 : s0, mw, &sa);
        if (!subj) subj = el_country_before(q, s0, mw, &sa);
      } else {
        subj = el_country_before(q, s0, pre, &sa);
      }
      if (subj && el_is_partner(q, s0, sa)) subj = NULL;
      if (subj && sa < lo) lo = sa;
      size_t oe = 0;
      for (size_t i = mw + 1; i < s1 && i < mw + 5; i++)
        if (el_is(q, i, isexp ? "to" : "from") || el_is(q, i, "with") ||
            (!isexp && el_is(q, i, "of"))) {
          obj = el_country_from(q, i + 1, i + 3 < s1 ? i + 3 : s1, &oe);
          if (obj && oe > hi) hi = oe;
          break;
        }
      if (mw > hi) hi = mw + 1;
    } else {
      metric = "value";
      size_t sa = 0;
      subj = el_country_before(q, s0, pre, &sa);
      if (subj && el_is_partner(q, s0, sa)) subj = NULL;
      /* a trade balance with no owner of its own: the text's country */
      for (size_t i = pre; !subj && !q->sent_owner && q->cf_ctx[0] && i > s0 && i + 10 > pre; i--)
        if (el_is_any(q, i - 1, el_cw_balance)) subj = q->cf_ctx;
      size_t i = vb;
      if (el_is(q, i, "worth") && el_is(q, i + 1, "of")) i += 2;
      else if (el_is(q, i, "in")) i++;
      size_t e = i;
      while (e < s1 && e < i + 3 && el_is_word(q, e) && !el_is_any(q, e, el_cw_money_stop) &&
             !el_is_any(q, e, el_cw_up) && !el_is_any(q, e, el_cw_down) &&
             (q->tok[e].flags & EL_TF_LOWER))
        e++;
      if (e > i && el_is_any(q, e - 1, el_cw_not_a_sum)) {
        metric = NULL;   /* "the $3 trillion mark" */
      } else if (e > i) {
        c.object = el_pool_add(q, q->z + q->tok[i].start, q->tok[e - 1].end - q->tok[i].start,
                               &err);
        hi = e;
      }
    }
  }
  if (err) return -1;
  el_frame_ctx(q, s0, s1, va, vb, pre, unit, &c, &metric, &subj, &obj);
  /* respectively: the k-th value goes with the k-th country of the list */
  for (int k = 0; metric && k < q->resp_n; k++)
    if (q->resp_val[k] == va) {
      if (q->resp_role) obj = q->resp_iso[k];
      else subj = q->resp_iso[k];
    }
  if (!metric) return 0;
  c.c.metric = metric;
  /* "fell by more than 30%": the fall is more than 30, so the signed change is
  ** below -30; a qualifier bounds the signed value */
  if ((strcmp(metric, "change") == 0 || strcmp(metric, "change_pp") == 0) && c.c.value < 0 &&
      c.c.qualifier) {
    const char *u = c.c.qualifier;
    c.c.qualifier = strcmp(u, "more than") == 0   ? "less than"
                    : strcmp(u, "less than") == 0 ? "more than"
                    : strcmp(u, "at least") == 0  ? "up to"
                    : strcmp(u, "up to") == 0     ? "at least"
                                                  : u;
  }
  if (subj) c.subject = el_pool_add(q, subj, 3, &err);
  if (obj) c.object = el_pool_add(q, obj, 3, &err);
  if (err) return -1;
  el_frame_keep(q, &c.c, subj, obj);
  if (lo < s0) lo = s0;
  if (hi <= lo) hi = vb;
  if (hi > s1) hi = s1;
  c.c.start = q->tok[lo].start;
  c.c.end = q->tok[hi - 1].end;
  c.c.sentence = q->sent[va];
  c.c.sent_start = q->tok[s0].start;
  c.c.sent_end = q->tok[s1 - 1].end;
  return el_push_claim(q, &c);
}

/* A year that can be a claim's year: not a comparison year ("since 2011",
** "back in 2000", "compared with 2019", "than in 2015", "since February 2020"). */
static int el_claim_year(const el_qx *q, size_t i) {
  if (!el_year_at(q, i)) return 0;
  size_t j = i;
  if (j > 0 && q->tok[j - 1].kind == EL_WORD && el_is_any(q, j - 1, el_cw_month)) j--;
  if (j > 0 && el_is(q, j - 1, "in") && j > 1 && el_is_any(q, j - 2, el_cw_year_compare_in)) return 0;
  if (j > 0 && el_is_any(q, j - 1, el_cw_year_compare)) return 0;
  if (j > 1 && (el_is(q, j - 1, "with") || el_is(q, j - 1, "to")) && el_is(q, j - 2, "compared"))
    return 0;
  return 1;
}

/* The paragraph's claim look-ups (el_cidx), in two passes over its tokens. */
static int el_claim_index(el_qx *q) {
  size_t n = q->ntok;
  if (n >= EL_SUBJ_NONE) return -1;
  if (el_grow((void **)&q->ci, &q->cicap, n + 1, sizeof(el_cidx))) return -1;
  el_cidx *ci = q->ci;
  uint32_t iso = EL_NOTOK, brk = EL_NOTOK, comma = EL_NOTOK, year = EL_NOTOK;
  for (size_t i = 0; i <= n; i++) {
    ci[i].prev_iso = iso;
    ci[i].prev_brk = brk;
    ci[i].prev_comma = comma;
    ci[i].prev_year = year;
    ci[i].subj = EL_NOTOK;
    if (i == n) break;
    if (el_iso_at(q, i)) iso = (uint32_t)i;
    if (el_clause_break(q, i)) brk = (uint32_t)i;
    if (el_is_punct(q, i, ',') || el_is_punct(q, i, ';')) comma = (uint32_t)i;
    if (el_claim_year(q, i)) year = (uint32_t)i;
  }
  iso = brk = year = EL_NOTOK;
  for (size_t i = n + 1; i-- > 0;) {
    if (i < n) {
      if (el_iso_at(q, i)) iso = (uint32_t)i;
      if (el_clause_break(q, i)) brk = (uint32_t)i;
      if (el_claim_year(q, i)) year = (uint32_t)i;
    }
    ci[i].next_iso = iso;
    ci[i].next_brk = brk;
    ci[i].next_year = year;
  }
  return 0;
}

/* The value of number word i ("twelve": 12), or -1. Entries of el_cw_numword
** are "word:value". */
static double el_numword(const el_qx *q, size_t i) {
  if (!el_is_word(q, i)) return -1;
  size_t n = el_tlen(q, i);
  const char *t = el_ttext(q, i);
  for (const char *const *w = el_cw_numword; *w; w++) {
    const char *colon = strchr(*w, ':');
    if (!colon || (size_t)(colon - *w) != n) continue;
    size_t k = 0;
    while (k < n && (t[k] | 0x20) == (*w)[k]) k++;
    if (k == n) return strtod(colon + 1, NULL);
  }
  return -1;
}

/* A percentage the entity extractor leaves out, at token i: a number, or
** number words ("twelve", "twenty-five", "six-and-a-half"), before "percent",
** "per cent" or "%" (unit "%"), or a number before "percentage point(s)"
** (unit "pp"). Returns the unit (NULL: none), the value and the end. */
static const char *el_number_unit(const el_qx *q, size_t i, size_t e, double *v, size_t *end) {
  size_t j = i;
  double x;
  if (q->tok[i].kind == EL_NUMBER) {
    char buf[32];
    size_t n = el_tlen(q, i), m = 0;
    const char *t = el_ttext(q, i);
    for (size_t k = 0; k < n && m + 1 < sizeof(buf); k++)
      if (t[k] != ',') buf[m++] = t[k];
    buf[m] = 0;
    char *stop;
    x = strtod(buf, &stop);
    if (stop == buf || *stop) return NULL;
    j = i + 1;
  } else {
    x = el_numword(q, i);
    if (x < 0) return NULL;
    j = i + 1;
    /* "twenty-five" */
    if (x >= 20 && x < 100 && el_is_punct(q, j, '-')) {
      double y = el_numword(q, j + 1);
      if (y > 0 && y < 10) x += y, j += 2;
    }
    /* "six-and-a-half", "six and a half" */
    size_t h = j;
    if (el_is_punct(q, h, '-')) h++;
    if (el_is(q, h, "and")) {
      h++;
      if (el_is_punct(q, h, '-')) h++;
      if (el_is(q, h, "a")) {
        h++;
        if (el_is_punct(q, h, '-')) h++;
        if (el_is(q, h, "half")) x += 0.5, j = h + 1;
      }
    }
    if (el_is(q, j, "percentage")) return NULL;
  }
  if (j < e && el_is(q, j, "percentage") && (el_is(q, j + 1, "points") || el_is(q, j + 1, "point"))) {
    *v = x, *end = j + 2;
    return "pp";
  }
  if (j < e && (el_is(q, j, "percent") || el_is_punct(q, j, '%'))) {
    *v = x, *end = j + 1;
    return "%";
  }
  if (j + 1 < e && el_is(q, j, "per") && el_is(q, j + 1, "cent")) {
    *v = x, *end = j + 2;
    return "%";
  }
  return NULL;
}

/* "Vietnam and Thailand grew 75% and 62%, respectively": when the sentence
** says "respectively", pairs its values (before the word) with the nearest
** list of countries before the word whose size divides their number. The list's role: after
** to/with, or after "from" with imports, the partners (objects); else the
** owners (subjects). Fills q->resp_*; 0, or -1 never (no allocation). */
static int el_respectively(el_qx *q, size_t s0, size_t s1) {
  q->resp_n = 0;
  size_t r = EL_NONE;
  for (size_t i = s0; i < s1; i++)
    if (el_is(q, i, "respectively")) { r = i; break; }
  if (r == EL_NONE) return 0;
  size_t nv = 0, vals[8];
  for (size_t i = s0; i < r && nv < 8; i++) {
    int k = q->ent_at[i];
    double v;
    size_t e;
    if (k >= 0 && q->sp[k].a == i && q->sp[k].has_value) {
      vals[nv++] = i;
      i = q->sp[k].b - 1;
    } else if (k < 0 && el_number_unit(q, i, s1, &v, &e)) {
      vals[nv++] = i;
      i = e - 1;
    }
  }
  if (nv < 2) return 0;
  /* runs of countries joined by "and" or ",", nearest "respectively" first */
  size_t j = r;
  while (j > s0) {
    size_t a0;
    const char *c = el_country_before(q, s0, j, &a0);
    if (!c) return 0;
    const char *run[8];
    size_t n = 0, a = a0;
    run[n++] = c;
    while (n < 8 && a > s0 + 1) {
      size_t b = a;
      if (el_is(q, b - 1, "the")) b--;   /* "China, the United States and Taiwan" */
      if (!(b > s0 + 1 && (el_is(q, b - 1, "and") || el_is_punct(q, b - 1, ',')))) break;
      b--;
      if (el_is(q, b, "and") && b > s0 && el_is_punct(q, b - 1, ',')) b--;
      if (b == s0 || !el_iso_at(q, b - 1)) break;
      a = q->sp[q->ent_at[b - 1]].a;
      run[n++] = el_iso_at(q, b - 1);
    }
    if (n >= 2 && nv % n == 0) {
      /* "$5 billion, $1.8 billion and $2 billion ... surging 81%, 46% and
      ** 43% ..., respectively": each group of values in the list's order */
      for (size_t k = 0; k < nv; k++) {
        memcpy(q->resp_iso[k], run[n - 1 - k % n], 4);
        q->resp_val[k] = vals[k];
      }
      q->resp_n = (int)nv;
      size_t p = a;
      if (p > s0 && el_is(q, p - 1, "the")) p--;
      q->resp_role = p > s0 && el_is_any(q, p - 1, el_cw_partner) && !el_prep_owner(q, s0, p - 1);
      return 0;
    }
    j = a;
  }
  return 0;
}

static int el_claims_par(el_qx *q) {
  q->nc = q->cnext = 0;
  if (el_claim_index(q)) return -1;
  /* the text's country until a claim names one: the first that is not a partner */
  for (size_t i = q->cf_ctx[0] ? q->ntok : 0; i < q->ntok; i++) {
    const char *c = el_iso_at(q, i);
    if (!c) continue;
    size_t a = q->sp[q->ent_at[i]].a;
    if (!el_is_partner(q, 0, a)) {
      memcpy(q->cf_ctx, c, 4);
      break;
    }
    i = q->sp[q->ent_at[i]].b - 1;
  }
  size_t s0 = 0;
  while (s0 < q->ntok) {
    size_t s1 = s0 + 1;
    while (s1 < q->ntok && q->sent[s1] == q->sent[s0]) s1++;
    /* the first import and export words of the sentence ("verbs" before a value) */
    q->first_imp = q->first_exp = EL_NONE;
    q->sent_owner = 0;
    q->cx_from = EL_NONE;
    if (el_respectively(q, s0, s1)) return -1;
    for (size_t i = s0; i < s1; i++) {
      if (!q->sent_owner && el_iso_at(q, i) && q->sp[q->ent_at[i]].a == i &&
          !el_is_partner(q, s0, i))
        q->sent_owner = 1;
      if (q->first_imp == EL_NONE && el_is_any(q, i, el_cw_import)) q->first_imp = i;
      if (q->first_exp == EL_NONE && el_is_any(q, i, el_cw_export)) q->first_exp = i;
    }
    for (size_t i = s0; i < s1; i++) {
      int k = q->ent_at[i];
      if (k >= 0 && q->sp[k].a == i && q->sp[k].has_value) {
        const el_qspan *p = &q->sp[k];
        const char *unit = NULL;
        if (strcmp(p->label, "PERCENT") == 0) unit = "%";
        else if (strcmp(p->label, "MONEY") == 0) unit = el_money_unit(q, p->a, p->b);
        if (unit == NULL) continue;
        size_t b = p->b < s1 ? p->b : s1;
        /* "from A to B": A is no claim of its own */
        size_t fa = i;
        size_t qa;
        if (el_qualifier(q, s0, fa, &qa)) fa = qa;
        if (fa > s0 && el_is(q, fa - 1, "from") && el_is(q, b, "to") && b + 1 < s1 &&
            q->ent_at[b + 1] >= 0 && q->sp[q->ent_at[b + 1]].has_value &&
            strcmp(q->sp[q->ent_at[b + 1]].label, p->label) == 0) {
          q->cx_from = fa - 1;
          i = b - 1;
          continue;
        }
        if (el_claim_at(q, s0, s1, i, b, p->value, unit)) return -1;
        i = b - 1;
        continue;
      }
      double v;
      size_t e;
      const char *u;
      if (k < 0 && (u = el_number_unit(q, i, s1, &v, &e)) != NULL) {
        if (el_claim_at(q, s0, s1, i, e, v, u)) return -1;
        i = e - 1;
        continue;
      }
      if (k < 0 && el_fraction(q, i, s1, &v, &e)) {
        if (el_claim_at(q, s0, s1, i, e, v, "%")) return -1;
        i = e - 1;
      }
    }
    s0 = s1;
  }
  return 0;
}

/* A claim whose owner a headline leaves to the text: a change or a trade
** value with no subject ("Exports gain 11 pct from March 1-20"). */
static int el_owner_later(const el_qclaim *c) {
  const char *m = c->c.metric;
  return c->subject == EL_NONE && (strcmp(m, "change") == 0 || strcmp(m, "change_pp") == 0 ||
                                   strcmp(m, "exports_value") == 0 || strcmp(m, "imports_value") == 0);
}

/* s (a pool offset or EL_NONE) copied to the pending pool: its offset there. */
static size_t el_pend_str(el_qx *q, size_t s, int *err) {
  if (s == EL_NONE) return EL_NONE;
  size_t n = strlen(q->pool + s) + 1;
  if (el_grow((void **)&q->ppool, &q->ppoolcap, q->nppool + n, 1)) return *err = 1, EL_NONE;
  memcpy(q->ppool + q->nppool, q->pool + s, n);
  q->nppool += n;
  return q->nppool - n;
}

/* The first paragraph is a headline (one line, no full stop) whose claims
** have no owner while the text has named no country yet: hold them until
** the next paragraph, which names it ("South Korea's exports rose ..."). */
static int el_hold_headline(el_qx *q) {
  if (q->npar != 1 || q->cf_ctx[0] || q->nc == 0 || q->ntok == 0 ||
      q->sent[q->ntok - 1] != q->sent[0] || el_is_punct(q, q->ntok - 1, '.'))
    return 0;
  int any = 0;
  for (size_t k = 0; k < q->nc && !any; k++) any = el_owner_later(&q->cs[k]);
  if (!any) return 0;
  int err = 0;
  if (el_grow((void **)&q->pend, &q->pendcap, q->nc, sizeof(el_qclaim))) return -1;
  for (size_t k = 0; k < q->nc; k++) {
    el_qclaim c = q->cs[k];
    c.subject = el_pend_str(q, c.subject, &err);
    c.object = el_pend_str(q, c.object, &err);
    c.detail = el_pend_str(q, c.detail, &err);
    if (err) return -1;
    q->pend[k] = c;
  }
  q->npend = q->nc;
  q->pnext = 0;
  q->nc = q->cnext = 0;
  q->hold = 1;
  return 0;
}

/* The held claims get the country the text named (when it did). */
static int el_release_headline(el_qx *q) {
  q->hold = 0;
  if (!q->cf_ctx[0]) return 0;
  size_t at = EL_NONE;
  for (size_t k = 0; k < q->npend; k++) {
    el_qclaim *c = &q->pend[k];
    if (!el_owner_later(c) || (c->object != EL_NONE && strcmp(q->ppool + c->object, q->cf_ctx) == 0))
      continue;
    if (at == EL_NONE) {
      if (el_grow((void **)&q->ppool, &q->ppoolcap, q->nppool + 4, 1)) return -1;
      memcpy(q->ppool + q->nppool, q->cf_ctx, 4);
      at = q->nppool;
      q->nppool += 4;
    }
    c->subject = at;
  }
  return 0;
}

static void el_claim_out(const el_qclaim *c, const char *pool, el_claim *out) {
  *out = c->c;
  out->subject = c->subject != EL_NONE ? pool + c->subject : NULL;
  out->object = c->object != EL_NONE ? pool + c->object : NULL;
  out->detail = c->detail != EL_NONE ? pool + c->detail : NULL;
}

int el_qx_next_claim(el_qx *q, el_claim *out) {
  for (;;) {
    if (!q->hold && q->pnext < q->npend) {
      el_claim_out(&q->pend[q->pnext++], q->ppool, out);
      return 1;
    }
    if (q->cnext < q->nc) {
      el_claim_out(&q->cs[q->cnext++], q->pool, out);
      return 1;
    }
    int rc = el_read_par(q);
    if (rc < 0) return -1;
    if (rc == 0) {
      if (!q->hold) return 0;
      if (el_release_headline(q)) return -1;
      continue;
    }
    q->npar++;
    if (el_claims_par(q)) return -1;
    if (q->hold ? el_release_headline(q) : el_hold_headline(q)) return -1;
  }
}
