/*
** entities(): the one place where the rules' candidates at a token are
** compared (see el_ent_int.h). From each token of a sentence, the numeric
** rules go first; then the gazetteer match (L), the organisation rule (O)
** and the person rules (P) each propose a span, and the longest wins (ties:
** L, then O, then P; a user's dictionary entry always wins). A title is
** compared by the person it introduces. What no candidate takes may still be
** a place ("Shenzhen-based"), a company or an acronym named earlier.
** The named-entity model's spans are merged with the rules' ones afterwards,
** by el_ent_model.c.
*/
#include <stdlib.h>
#include <string.h>

#include "el_ent_int.h"

/* --- the sentence ------------------------------------------------------------ */

int el_ent_run_sentence(el_ent *e) {
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
        if (el_ent_push(e, i, i + ulen, ue->label, ue->canonical, ue->source)) return -1;
        i += ulen;
        continue;
      }
      if ((j = el_ent_number_rule(e, i, &err)) > i) {
        i = j;
        continue;
      }
      if ((j = el_ent_date_rule(e, i, &err)) > i) {
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
    if ((j = el_ent_date_rule(e, i, &err)) > i || (j = el_ent_code_money_rule(e, i, &err)) > i) {
      i = j;
      continue;
    }
    if (err) break;
    /* "Sen. Chris Coons, D-Del.,": a party and a state name nobody */
    if ((j = el_party_tag(e, i)) > 0) {
      i += j;
      continue;
    }
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
    if (!e->title_line && !split_country) oend = el_ent_org_rule(e, i, &orule);
    /* "American Soybean Association", "Chinese Academy of Sciences": a
    ** demonym that starts the name of an organisation no gazetteer knows
    ** belongs to it; before a known one ("Chinese Commerce Ministry") it
    ** stays a NORP of its own */
    if (!e->title_line && split_country && strcmp(L->label, "NORP") == 0 && llen == 1 &&
        e->lt[i].shape == EL_SHAPE_CAP) {
      const char *r2 = NULL;
      size_t o2 = el_ent_org_rule(e, i + 1, &r2);
      size_t klen;
      int kuser;
      const el_lex_entry *known = o2 > i + 1 ? el_main_at(e, i + 1, &klen, &kuser) : NULL;
      if (o2 > i + 1 && !known && strcmp(r2, "org_head") == 0) {
        oend = o2;
        orule = r2;
        L = NULL;
        llen = 0;
      }
    }
    /* P: people */
    size_t pend, pstart = i, kend;
    const char *pcanon, *prule;
    int pregister;
    el_ent_person_rule(e, i, &pend, &pcanon, &prule, &pregister);
    /* choose: longest; ties L, O, P */
    size_t lend = L ? i + llen : i;
    if (is_title) lend = i; /* a title is compared by the person it introduces */
    if (is_title) {
      size_t s = i + llen;
      size_t r = e->title_line ? s : el_ent_name_run(e, s, 4);
      size_t na, nb;
      if (r == s && !e->title_line && el_ent_title_chain_name(e, s, &na, &nb)) {
        /* the title's qualifier is skipped; the name is a person */
        s = na;
        r = nb;
        llen = s - i;
        pcanon = NULL;
        pregister = 1;
      } else if (r == s) {
        const char *k2 = el_ent_known_person(e, s, &kend);
        if (k2) {
          r = kend;
          pcanon = k2;
        }
      } else {
        size_t kend2;
        const char *k2 = el_ent_known_person(e, s, &kend2);
        /* "President Trump": a person of the gazetteer keeps its full name */
        size_t plen;
        int puser;
        const el_lex_entry *pe = el_main_at(e, s, &plen, &puser);
        if (!k2 && pe && strcmp(pe->label, "PERSON") == 0 && s + plen >= r) {
          k2 = el_ent_register_person(e, s, s + plen, pe->canonical);
          if (k2 == NULL) return -1;
          kend2 = s + plen;
          r = s + plen;
        }
        pcanon = (k2 && kend2 >= r) ? k2 : NULL;
        if (r - s == 1 && k2) pcanon = k2;
        pregister = r - s >= 2;
        /* "General Permit", "Chair Services": one unknown word after a title is a
        ** name only after an honorific, and a phrase going on is not a name */
        if (el_ent_phrase_goes_on(e, r) ||
            (r - s == 1 && !k2 && !el_ent_honorific(e, i, s) &&
             !el_given(e, s)))
          r = s;
      }
      /* the title's own words are not an entity, but a country or an
      ** organisation inside it is ("U.S. Trade Representative", "Commerce
      ** Secretary") */
      size_t inner_len = 0;
      long inner = (r > s || oend == i)
                       ? el_lex_longest_except(el_ent_lex_main, e->lt, i, s, &inner_len, K_TITLE)
                       : -1;
      if (inner >= 0) {
        const el_lex_entry *ie = el_lex_entry_at(el_ent_lex_main, inner);
        if (strcmp(ie->label, "PERSON") == 0) inner = -1;
        else if (el_ent_push(e, i, i + inner_len, ie->label, ie->canonical, ie->source)) return -1;
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
        canon = el_ent_register_person(e, i, lend, L->canonical);
        if (canon == NULL) return -1;
      }
      if (el_ent_push(e, i, lend, L->label, canon, src)) return -1;
      i = lend;
      if (strcmp(L->label, "ORG") == 0) i = el_ent_acronym_def(e, i, canon, &err);
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
      if (canon == NULL) canon = el_ent_surface(e, &e->sent_arena, i, oend);
      if (canon == NULL || el_ent_push(e, i, oend, "ORG", canon, orule)) return -1;
      /* "Zhongshan" later stands for "Zhongshan Lumen Optics Co., Ltd." */
      if (strcmp(orule, "org_suffix") == 0 && oend - i >= 2 && e->lt[i].shape == EL_SHAPE_CAP &&
          !(el_cls(e, i) & (W_STOP | W_COSUFFIX | W_HEAD | W_NOTNAME)) && !L) {
        size_t klen;
        const char *k = el_norm(e, i, &klen);
        const char *dc = el_ent_arena_strdup(&e->doc_arena, canon, strlen(canon));
        if (dc == NULL || el_ent_smap_put(&e->orgs, &e->doc_arena, k, klen, dc) != 0) return -1;
      }
      i = el_ent_acronym_def(e, oend, canon, &err);
      continue;
    }
    if (pend > pstart) {
      const char *canon = pcanon;
      if (pregister && canon == NULL) {
        canon = el_ent_register_person(e, pstart, pend, NULL);
        if (canon == NULL) return -1;
      } else if (canon == NULL) {
        canon = el_ent_surface(e, &e->sent_arena, pstart, pend);
        if (canon == NULL) return -1;
      }
      if (el_ent_push(e, pstart, pend, "PERSON", canon, prule)) return -1;
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
      if (r > i && el_glued_hyphen(e, r) && el_is(e, r + 1, "based")) {
        const char *c = el_ent_surface(e, &e->sent_arena, i, r);
        if (c == NULL || el_ent_push(e, i, r, "GPE", c, "place_based")) return -1;
        i = r;
        continue;
      }
    }
    /* "Allentown, Pa. -", "in Sparks, Nev., the plant": a city before a
    ** state's abbreviation (one to three capitalised words) */
    if (!e->title_line && (i == 0 || !el_is_capish(e, i - 1))) {
      size_t r = i;
      while (r < n && r - i < 3 && el_is_capish(e, r) && !el_party_tag(e, r) &&
             !(el_cls(e, r) & (W_STOP | W_MONTH | W_WEEKDAY | W_STATEAB)))
        r++;
      if (r > i && el_is_punct(e, r, ',') && el_state_abbrev(e, r + 1) &&
          !el_is_capish(e, r + 2) && !el_is_clitic(e, r + 2)) {
        const char *c = el_ent_surface(e, &e->sent_arena, i, r);
        if (c == NULL || el_ent_push(e, i, r, "GPE", c, "city_state")) return -1;
        i = r;
        continue;
      }
    }
    /* a company named in full earlier in the text */
    if (e->lt[i].shape == EL_SHAPE_CAP && e->orgs.n && !e->title_line) {
      size_t len;
      const char *k = el_norm(e, i, &len);
      const char *v = el_ent_smap_get(&e->orgs, k, len);
      if (v && !(i + 1 < e->ntk && el_is_capish(e, i + 1))) {
        if (el_ent_push(e, i, i + 1, "ORG", v, "coreference")) return -1;
        i++;
        continue;
      }
    }
    /* an acronym defined earlier in the text */
    if (e->lt[i].shape == EL_SHAPE_UPPER && e->acronyms.n) {
      size_t len;
      const char *k = el_norm(e, i, &len);
      const char *v = el_ent_smap_get(&e->acronyms, k, len);
      if (v && el_ent_push(e, i, i + 1, "ORG", v[0] ? v : NULL, "acronym")) return -1;
    }
    i++;
  }
  return err ? -1 : 0;
}
