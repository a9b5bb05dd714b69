/*
** entities(): the person rules (see el_ent_int.h). A name is a run of
** capitalised words that a given name opens ("Andrew Grotto"), that a role
** apposition describes ("Marta Kowalczyk, a trade lawyer"), that a verb of
** saying is next to ("said Grotto"), or that follows a title (the title
** itself is compared in el_ent_choose.c). A person named in full is
** remembered, so "Grotto" and "Economy" later get the full name.
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "el_ent_int.h"

/* A word that can be part of a person's name. */
int el_ent_name_part(const el_ent *e, size_t i) {
  if (!el_is_cap(e, i)) return 0;
  uint32_t c = el_cls(e, i);
  if (c & (W_STOP | W_HEAD | W_COSUFFIX | W_WEEKDAY | W_SPEECH | W_NOTNAME)) return 0;
  /* "William Moore Drive" is a street; "Gina Lane", after a given name, a person */
  if ((c & W_STREET) && !(i > 0 && el_given(e, i - 1))) return 0;
  if ((c & W_MONTH) && el_cval(e, i) > 0) return 0;
  return 1;
}

/* Name run from i: capitalised words, hyphenated parts and particles, at most
** max words; returns its end (exclusive), i when empty. */
size_t el_ent_name_run(const el_ent *e, size_t i, int max) {
  size_t j = i;
  int words = 0;
  while (j < e->ntk && words < max) {
    if (el_ent_name_part(e, j) && (j == i || !el_non_person_at(e, j))) {
      j++;
      words++;
      /* Suk-yeol, Jae-in (at most three joins: no scan along a long chain) */
      for (int h = 0; h < 3 && el_glued_hyphen(e, j) && el_is_word(e, j + 1); h++) j += 2;
      continue;
    }
    if (j > i && (el_cls(e, j) & W_PARTICLE) && e->lt[j].shape == EL_SHAPE_ANY) {
      /* "van der", "von der": up to three particles before the surname */
      size_t k = j + 1;
      while (k < e->ntk && k < j + 3 && (el_cls(e, k) & W_PARTICLE) &&
             e->lt[k].shape == EL_SHAPE_ANY)
        k++;
      if (el_ent_name_part(e, k)) {
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
int el_ent_title_chain_name(const el_ent *e, size_t s, size_t *na, size_t *nb) {
  if (!(el_is(e, s, "of") || el_is(e, s, "for"))) return 0;
  size_t c = s, f = s;
  int cap_end = 0; /* the chain so far ends with a capitalised word */
  while (c < e->ntk && c < s + 14) {
    if (el_is_capish(e, c)) {
      if (!cap_end) f = c;
      cap_end = 1;
      c++;
      /* "Mei-hua": a hyphenated part goes with its word */
      while (el_glued_hyphen(e, c) && el_is_word(e, c + 1)) c += 2;
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
    if (el_is_word(e, k) && !(k > a && el_is_punct(e, k - 1, '-')) && !el_ent_name_part(e, k) &&
        !(e->lt[k].shape != EL_SHAPE_ANY && e->tk[k].t.end - e->tk[k].t.start <= 2))
      return 0;
  *na = a;
  *nb = c;
  return 1;
}

/* Whether the title [i, s) is an honorific or an office held by one person
** ("Mr.", "Sen.", "President", "Secretary"), after which a lone surname is a
** name ("Secretary Raimondo"). */
int el_ent_honorific(const el_ent *e, size_t i, size_t s) {
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
int el_ent_phrase_goes_on(const el_ent *e, size_t r) {
  if (!el_is_capish(e, r)) return 0;
  return !el_non_person_at(e, r);
}

/* Remember a person named by tokens [a, b): its surname and given name then
** resolve to the full name. Returns the canonical (or NULL when out of
** memory). */
const char *el_ent_register_person(el_ent *e, size_t a, size_t b, const char *canon) {
  int surface = canon == NULL;
  if (canon == NULL) canon = el_ent_surface(e, &e->doc_arena, a, b);
  else canon = el_ent_arena_strdup(&e->doc_arena, canon, strlen(canon));
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
    const char *full = el_ent_smap_get(&e->persons, k, len);
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
    if (q == 1 && el_ent_smap_get(&e->persons, k, len) != NULL) continue;
    if (el_ent_smap_put(&e->persons, &e->doc_arena, k, len, canon) != 0) return NULL;
  }
  return canon;
}

/* A person already introduced at i: its canonical, and *end past the mention
** (the full name when it is repeated). */
const char *el_ent_known_person(const el_ent *e, size_t i, size_t *end) {
  if (!el_is_capish(e, i)) return NULL;
  size_t len;
  const char *k = el_norm(e, i, &len);
  const char *canon = el_ent_smap_get(&e->persons, k, len);
  if (canon == NULL) return NULL;
  /* a hyphenated surname is one name: "Vasquez-Lund" */
  {
    size_t j = i + 1;
    for (int h = 0; h < 3 && el_glued_hyphen(e, j) && el_is_word(e, j + 1); h++) j += 2;
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

/* P: the person rules at token i, but for a title (el_ent_choose.c compares a
** title by the person it introduces): a person already introduced
** ("coreference"), a given name and capitalised words ("first_name"), a name
** in an apposition with a role ("apposition"), or capitalised words next to a
** verb of saying ("speech_verb"). *end is past the name (i when none); *canon
** is the known person's full name, else NULL; *rule names the rule; *reg
** says whether the name is to be remembered. */
void el_ent_person_rule(const el_ent *e, size_t i, size_t *end, const char **canon,
                        const char **rule, int *reg) {
  size_t pend = i;
  const char *pcanon = NULL, *prule = NULL;
  int pregister = 0;
  size_t kend;
  const char *known = el_ent_known_person(e, i, &kend);
  if (known && kend == i + 1 && (el_ent_phrase_goes_on(e, kend) ||
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
      size_t r = el_ent_name_run(e, i + 1, 3);
      if (r > i + 1 && r > pend && !el_ent_phrase_goes_on(e, r)) {
        pend = r;
        pcanon = NULL;
        prule = "first_name";
        pregister = 1;
      }
    }
    if (pend == i) {
      /* apposition: "Marta Kowalczyk, a trade lawyer", ", Valdis Dombrovskis," */
      size_t r = el_ent_name_run(e, i, 3);
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
      size_t r = el_ent_name_run(e, i, 3);
      int mid = i > 0 && !el_is_open_quote(e, i - 1);
      int free_start = i == 0 || el_role_title(e, i - 1) ||
                       (!el_is_capish(e, i - 1) && !el_is(e, i - 1, "the"));
      if (r > i && free_start && !el_ent_phrase_goes_on(e, r) && (el_speech_before(e, i) ||
                    (el_speech_after(e, r) && (mid || r - i >= 2) && !el_non_person_at(e, i)))) {
        if (!el_non_person_at(e, i)) {
          pend = r;
          prule = "speech_verb";
          pregister = r - i >= 2;
        }
      }
    }
  }
  *end = pend;
  *canon = pcanon;
  *rule = prule;
  *reg = pregister;
}
