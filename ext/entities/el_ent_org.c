/*
** entities(): the organisation rules (see el_ent_int.h): capitalised words
** ending in a head or a company suffix ("Hoover Institution", "Samsung
** Electronics Co., Ltd."), a head followed by of/for/on and capitalised words
** ("Center for Strategic and International Studies"), an apposition
** ("TechInsights, a Canadian firm"), context ("analysts at Bernstein"), and
** acronyms defined in parentheses ("(CSIS)").
*/
#include <stdlib.h>
#include <string.h>

#include "el_ent_int.h"

/* --- organisations ---------------------------------------------------------- */

/* A title of the gazetteer at j with a person's name after it (a given name,
** or two or three name words that end the capitalised run): "Chairman Ron
** Moore" after "Board of Directors" starts a person, not more of the name. */
static int el_title_then_name(const el_ent *e, size_t j) {
  size_t len;
  int user;
  const el_lex_entry *en = el_main_at(e, j, &len, &user);
  if (!en || user || !(en->kind & K_TITLE) || len == 0) return 0;
  if (el_given(e, j + len)) return 1;
  size_t r = el_ent_name_run(e, j + len, 3);
  return r >= j + len + 2 && !el_is_capish(e, r);
}

/* Tail of a head-first name from i (after of/for/on): capitalised words joined
** by and/&/of/the/for/commas; returns its end, or i when there is none. */
static size_t el_org_tail(const el_ent *e, size_t i) {
  size_t j = i, end = i;
  while (j < e->ntk) {
    if ((el_cls(e, j) & W_WEEKDAY) || ((el_cls(e, j) & W_MONTH) && el_cval(e, j) > 0)) break;
    if (end > i && el_title_then_name(e, j)) break;
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
  long idx = el_lex_word(el_ent_lex_words, &t);
  return idx >= 0 && (el_lex_entry_at(el_ent_lex_words, idx)->kind & W_ROLE);
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
size_t el_ent_org_rule(const el_ent *e, size_t i, const char **rule) {
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
    if (j > i && el_title_then_name(e, j)) break;
    if (j > i && (el_cls(e, j) & (W_HEAD | W_COSUFFIX))) best = j + 1;
    if (j > i && (el_cls(e, j) & W_STOP) && !(el_cls(e, j) & (W_HEAD | W_COSUFFIX))) break;
    j++;
    /* Harlow & Finch LLP */
    if (el_is_punct(e, j, '&') && el_is_capish(e, j + 1)) j++;
    /* the Biden-Harris Administration: a hyphen with no space either side */
    else if (el_glued_hyphen(e, j) && el_is_capish(e, j + 1))
      j++;
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
size_t el_ent_acronym_def(el_ent *e, size_t j, const char *canon, int *err) {
  if (!(el_is_punct(e, j, '(') && j + 2 < e->ntk && el_is_punct(e, j + 2, ')') &&
        el_is_word(e, j + 1) && e->lt[j + 1].shape == EL_SHAPE_UPPER))
    return j;
  size_t len;
  const char *k = el_norm(e, j + 1, &len);
  const char *c = el_ent_arena_strdup(&e->doc_arena, canon ? canon : "", canon ? strlen(canon) : 0);
  if (c == NULL) return *err = 1, j;
  if (el_ent_smap_put(&e->acronyms, &e->doc_arena, k, len, c) != 0) return *err = 1, j;
  if (el_ent_push(e, j + 1, j + 2, "ORG", c[0] ? c : NULL, "acronym")) return *err = 1, j;
  return j + 3;
}
