/*
** entities(): the numeric rules (see el_ent_int.h): PERCENT and MONEY from
** numbers and the words around them ("30%", "$1.5 billion", "USD 3
** million"), and DATE from month names, weekdays and years after a
** preposition ("Nov. 29", "in 2019", "the first half of 2024").
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_ent_int.h"

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
size_t el_ent_number_rule(el_ent *e, size_t i, int *err) {
  const el_etok *t = &e->tk[i];
  if (t->t.kind != EL_NUMBER && t->t.kind != EL_PERCENT && t->t.kind != EL_MONEY) return i;
  double v;
  int pw;
  if (t->t.kind == EL_PERCENT && el_token_number(e, i, &v, &pw)) {
    if (el_ent_push(e, i, i + 1, "PERCENT", NULL, "number")) return *err = 1, i;
    e->q[e->qn - 1].value = v;
    e->q[e->qn - 1].has_value = 1;
    return i + 1;
  }
  if (t->t.kind == EL_NUMBER && el_token_number(e, i, &v, &pw)) {
    size_t j = i + 1;
    if (j < e->ntk && (el_cls(e, j) & W_PCT) && el_cval(e, j) == 0) {
      if (el_ent_push(e, i, j + 1, "PERCENT", NULL, "number")) return *err = 1, i;
      e->q[e->qn - 1].value = v;
      e->q[e->qn - 1].has_value = 1;
      return j + 1;
    }
    if (j + 1 < e->ntk && el_is(e, j, "per") && el_is(e, j + 1, "cent")) {
      if (el_ent_push(e, i, j + 2, "PERCENT", NULL, "number")) return *err = 1, i;
      e->q[e->qn - 1].value = v;
      e->q[e->qn - 1].has_value = 1;
      return j + 2;
    }
    int p = pw;
    if (j < e->ntk && (el_cls(e, j) & W_MULT)) p += el_cval(e, j++);
    if (j < e->ntk && (el_cls(e, j) & W_CURRENCY) && e->tk[j].t.kind == EL_WORD) {
      if (el_ent_push(e, i, j + 1, "MONEY", NULL, "number")) return *err = 1, i;
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
    if (el_ent_push(e, i, j, "MONEY", NULL, "number")) return *err = 1, i;
    e->q[e->qn - 1].value = v * el_pow10(p);
    e->q[e->qn - 1].has_value = 1;
    return j;
  }
  return i;
}

/* MONEY written with a currency code first: "USD 3 million", "RMB 10 billion". */
size_t el_ent_code_money_rule(el_ent *e, size_t i, int *err) {
  double v;
  int pw;
  if (!(el_cls(e, i) & W_CURRENCY) || e->lt[i].shape != EL_SHAPE_UPPER || i + 1 >= e->ntk ||
      e->tk[i + 1].t.kind != EL_NUMBER || !el_token_number(e, i + 1, &v, &pw))
    return i;
  size_t j = i + 2;
  if (j < e->ntk && (el_cls(e, j) & W_MULT)) pw += el_cval(e, j++);
  if (el_ent_push(e, i, j, "MONEY", NULL, "number")) return *err = 1, i;
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
size_t el_ent_date_rule(el_ent *e, size_t i, int *err) {
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
    const char *c = el_ent_arena_strdup(&e->sent_arena, buf, strlen(buf));
    if (c == NULL || el_ent_push(e, i, j, "DATE", c, "date")) return *err = 1, i;
    return j;
  }
  if ((el_cls(e, i) & W_WEEKDAY) && e->lt[i].shape != EL_SHAPE_ANY) {
    if (el_ent_push(e, i, i + 1, "DATE", NULL, "date")) return *err = 1, i;
    return i + 1;
  }
  long y = el_small_int(e, i);
  if (y >= 1900 && y <= 2099 && e->tk[i].t.end - e->tk[i].t.start == 4 && i > 0 &&
      ((el_cls(e, i - 1) & W_YEARPREP) || el_period_of(e, i - 1))) {
    snprintf(buf, sizeof(buf), "%04ld", y);
    const char *c = el_ent_arena_strdup(&e->sent_arena, buf, strlen(buf));
    if (c == NULL || el_ent_push(e, i, i + 1, "DATE", c, "date")) return *err = 1, i;
    return i + 1;
  }
  return i;
}
