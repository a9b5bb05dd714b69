/*
** Value classification and the dialect/type sniffer (no SQLite).
**
** Sniffing reads the file at most three times, each time streaming:
**   1. the first EL_SNIFF_ROWS rows with each candidate delimiter, scoring
**      how many rows share the most common field count;
**   2. with the winner, the lines before the first row that fits that count
**      are a preamble (skip=auto), when they look like metadata;
**   3. after the preamble: the first EL_CSV_STRUCT_ROWS rows (or `sample`,
**      if fewer) decide the header and the column count (a trailing empty
**      column gets a name); the types come from `sample` rows, by default
**      every row of the file, so that no value is read under a type that a
**      later value contradicts.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/el_alloc.h"
#include "el_csvreader.h"
#include "el_csv_months.h" /* generated from data/months.tsv */

#define EL_SNIFF_ROWS 100
#define EL_CSV_KEEP_MAX 1000 /* bytes kept of a header name or a sample value */
#define EL_CSV_CHECK_BYTES (1024 * 1024) /* xCheck is called after this many bytes */

/* --- values -------------------------------------------------------------- */

int el_csv_parse_int(const char *z, size_t n, int64_t *out) {
  size_t i = 0;
  int neg = 0;
  if (n && z[0] == '-') { neg = 1; i = 1; }
  if (i == n || n - i > 19) return 0;
  if (z[i] == '0' && (n - i > 1 || neg)) return 0; /* leading zero, "-0" */
  uint64_t v = 0;
  for (; i < n; i++) {
    unsigned d = (unsigned char)z[i] - '0';
    if (d > 9) return 0;
    v = v * 10 + d; /* 19 digits cannot overflow uint64 */
  }
  if (neg) {
    if (v > (uint64_t)INT64_MAX + 1) return 0;
    *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
  } else {
    if (v > (uint64_t)INT64_MAX) return 0;
    *out = (int64_t)v;
  }
  return 1;
}

static const double el_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* An optional exponent at z[*i]: e or E, an optional sign, 1 to 4 digits.
** Adds it to *e10 and advances *i; returns 0 when an exponent is started
** but has no digits. */
static int el_parse_exponent(const char *z, size_t n, size_t *i, int *e10) {
  size_t k = *i;
  if (k >= n || (z[k] != 'e' && z[k] != 'E')) return 1;
  k++;
  int eneg = 0, v = 0;
  if (k < n && (z[k] == '+' || z[k] == '-')) { eneg = z[k] == '-'; k++; }
  size_t es = k;
  while (k < n && z[k] >= '0' && z[k] <= '9' && k - es < 4) { v = v * 10 + (z[k] - '0'); k++; }
  if (k == es) return 0;
  *e10 += eneg ? -v : v;
  *i = k;
  return 1;
}

static int el_parse_real_slow(const char *z, size_t n, double *out, int *iw, int *fw) {
  size_t i = 0;
  int neg = 0, loose = 0;
  char digits[24];
  int nd = 0, nonzero = 0, frac_digits = 0, frac_kept = 0;
  if (n == 0 || n > 40) return 0;
  if (z[0] == '-') { neg = 1; i = 1; }
  size_t istart = i;
  while (i < n && z[i] >= '0' && z[i] <= '9') i++;
  size_t ilen = i - istart;
  if (ilen > 1 && z[istart] == '0') return 0; /* "06.5": a code */
  for (size_t k = istart; k < istart + ilen; k++) {
    if (nd == 0 && z[k] == '0') continue;
    if (nd >= 17) return 0;
    digits[nd++] = z[k];
  }
  size_t flen = 0;
  if (i < n && z[i] == '.') {
    i++;
    size_t fstart = i;
    while (i < n && z[i] >= '0' && z[i] <= '9') i++;
    flen = i - fstart;
    if (flen == 0) return 0;
    if (ilen == 0) loose = 1;                    /* ".5" */
    if (z[i - 1] == '0' && flen > 1) loose = 1;  /* "1.50" */
    for (size_t k = fstart; k < i; k++) {
      frac_digits++;
      if (nd == 0 && z[k] == '0') continue;
      if (nd >= 20) return 0;
      digits[nd++] = z[k];
      frac_kept++;
    }
    /* trailing zeros of the fraction carry no value */
    while (frac_kept > 0 && digits[nd - 1] == '0') { nd--; frac_kept--; frac_digits--; }
    if (nd > 17) return 0;
  }
  if (ilen == 0 && flen == 0) return 0;
  int e10 = 0;
  if (!el_parse_exponent(z, n, &i, &e10)) return 0;
  if (i != n) return 0;
  for (int k = 0; k < nd; k++) if (digits[k] != '0') nonzero = 1;
  if (!nonzero && neg) return 0; /* -0, -0.0: the sign would be lost */
  uint64_t mant = 0;
  for (int k = 0; k < nd; k++) mant = mant * 10 + (uint64_t)(digits[k] - '0');
  int p10 = e10 - frac_digits;
  double v;
  if (nd <= 15 && p10 >= -22 && p10 <= 22) {
    /* up to 15 digits and a small power of ten: exact (Clinger's fast path) */
    v = (double)mant;
    v = p10 < 0 ? v / el_pow10[-p10] : v * el_pow10[p10];
  } else {
    char buf[48];
    memcpy(buf, z, n);
    buf[n] = 0;
    v = strtod(buf, NULL);
    if (!isfinite(v)) return 0;
    if (v == 0.0 && nonzero) return 0; /* underflow */
    if (nd > 15) {
      /* 16 or 17 significant digits: they must come back from the double */
      char back[48];
      snprintf(back, sizeof back, "%.*e", nd - 1, v < 0 ? -v : v);
      int kk = 0;
      for (const char *c = back; *c && *c != 'e'; c++) {
        if (*c == '.') continue;
        if (kk >= nd || *c != digits[kk]) return 0;
        kk++;
      }
      if (kk != nd) return 0;
    }
  }
  *out = neg ? -v : v;
  if (iw) *iw = (int)ilen;
  if (fw) *fw = (int)flen;
  return loose ? 2 : 1;
}

/* The common case in one pass: up to 15 significant digits and a small
** power of ten; anything else goes to el_parse_real_slow (same answers). */
int el_csv_parse_real(const char *z, size_t n, double *out, int *iw, int *fw) {
  size_t i = 0;
  int neg = 0, nd = 0, fd = 0, ftz = 0, e10 = 0;
  uint64_t m = 0;
  if (n == 0 || n > 40) return 0;
  if (z[0] == '-') { neg = 1; i = 1; }
  size_t is = i;
  for (; i < n; i++) {
    unsigned d = (unsigned)(unsigned char)z[i] - '0';
    if (d > 9) break;
    if (nd || d) { m = m * 10 + d; nd++; }
  }
  size_t ilen = i - is, flen = 0;
  if (ilen > 1 && z[is] == '0') return 0;
  if (nd > 18) return el_parse_real_slow(z, n, out, iw, fw);
  if (i < n && z[i] == '.') {
    size_t fs = ++i;
    for (; i < n; i++) {
      unsigned d = (unsigned)(unsigned char)z[i] - '0';
      if (d > 9) break;
      fd++;
      if (nd || d) {
        if (nd >= 18) return el_parse_real_slow(z, n, out, iw, fw);
        m = m * 10 + d;
        nd++;
      }
      ftz = d == 0 ? ftz + 1 : 0;
    }
    flen = i - fs;
    if (flen == 0) return 0;
  }
  if (ilen == 0 && flen == 0) return 0;
  if (!el_parse_exponent(z, n, &i, &e10)) return 0;
  if (i != n) return 0;
  if (m == 0 && neg) return 0; /* -0, -0.0: the sign would be lost */
  /* trailing zeros of the fraction carry no value */
  while (ftz > 0 && nd > 0 && m % 10 == 0) { m /= 10; nd--; fd--; ftz--; }
  int p10 = e10 - fd;
  if (nd > 15 || p10 < -22 || p10 > 22) return el_parse_real_slow(z, n, out, iw, fw);
  double v = (double)m;
  v = p10 < 0 ? v / el_pow10[-p10] : v * el_pow10[p10];
  *out = neg ? -v : v;
  if (iw) *iw = (int)ilen;
  if (fw) *fw = (int)flen;
  int loose = ilen == 0 || (flen > 1 && z[is + ilen + flen] == '0');
  return loose ? 2 : 1;
}

int el_csv_looks_numeric(const char *z, size_t n) {
  size_t i = 0;
  int digits = 0;
  if (i < n && (z[i] == '-' || z[i] == '+')) i++;
  while (i < n && isdigit((unsigned char)z[i])) { i++; digits++; }
  if (i < n && (z[i] == '.' || z[i] == ',')) {
    i++;
    while (i < n && isdigit((unsigned char)z[i])) { i++; digits++; }
  }
  if (digits && i < n && (z[i] == 'e' || z[i] == 'E')) {
    i++;
    if (i < n && (z[i] == '-' || z[i] == '+')) i++;
    if (i == n || !isdigit((unsigned char)z[i])) return 0;
    while (i < n && isdigit((unsigned char)z[i])) i++;
  }
  return digits > 0 && i == n;
}

/* SQLite's own test (sqlite3AtoF, as numeric affinity uses it): blanks,
** a sign, digits with at most one point, at least one digit, an optional
** exponent with digits, blanks, and nothing else. */
int el_csv_sqlite_numeric(const char *z, size_t n) {
  size_t i = 0;
  int digits = 0;
#define EL_SQ_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\v' || (c) == '\f' || (c) == '\r')
  while (i < n && EL_SQ_SPACE(z[i])) i++;
  if (i < n && (z[i] == '+' || z[i] == '-')) i++;
  while (i < n && z[i] >= '0' && z[i] <= '9') { i++; digits++; }
  if (i < n && z[i] == '.') {
    i++;
    while (i < n && z[i] >= '0' && z[i] <= '9') { i++; digits++; }
  }
  if (!digits) return 0;
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    i++;
    if (i < n && (z[i] == '+' || z[i] == '-')) i++;
    if (i == n || z[i] < '0' || z[i] > '9') return 0;
    while (i < n && z[i] >= '0' && z[i] <= '9') i++;
  }
  while (i < n && EL_SQ_SPACE(z[i])) i++;
#undef EL_SQ_SPACE
  return i == n;
}

static int el_in_list(const char *const *list, int nlist, const char *z, size_t n) {
  for (int i = 0; i < nlist; i++) {
    const char *s = list[i];
    if (s[0] == z[0] && strlen(s) == n && memcmp(s, z, n) == 0) return 1;
  }
  return 0;
}

int el_csv_is_null(const el_csv_sniff_opts *o, const char *z, size_t n, int flags) {
  if (flags & EL_CSV_F_DROPPED) return 1;
  if (n == 0) return o->null_empty;
  return el_in_list(o->nulls, o->nnull, z, n);
}

int el_csv_is_missing(const el_csv_sniff_opts *o, const char *z, size_t n) {
  return n > 0 && el_in_list(o->missing, o->nmissing, z, n);
}

static int el_name_eq(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
  return *a == *b;
}

/* --- dates ---------------------------------------------------------------- */

/* n digits (lo to hi of them) at z[*i] as a number, or -1. */
static int el_digits(const char *z, size_t n, size_t *i, int lo, int hi) {
  int v = 0, k = 0;
  while (*i < n && k < hi && z[*i] >= '0' && z[*i] <= '9') { v = v * 10 + (z[*i] - '0'); (*i)++; k++; }
  if (k < lo || (*i < n && k == hi && z[*i] >= '0' && z[*i] <= '9')) return -1;
  return v;
}

static int el_valid_ymd(int y, int m, int d) {
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
  return 1;
}

int el_csv_datefmt_ok(const char *p) {
  int y = 0, m = 0, d = 0;
  size_t len = strlen(p);
  if (len == 0 || len > EL_CSV_DATEFMT_MAX) return 0;
  while (*p) {
    if (!strncmp(p, "YYYY", 4)) { y++; p += 4; }
    else if (!strncmp(p, "MM", 2)) { m++; p += 2; }
    else if (!strncmp(p, "DD", 2)) { d++; p += 2; }
    else if (*p == '.' || *p == '/' || *p == '-' || *p == ' ') p++;
    else return 0;
  }
  return y == 1 && m == 1 && d == 1;
}

/* The date part of z under pattern p: its end in *i, the date in y, m, d;
** 0 when it does not match. */
static int el_date_match(const char *p, const char *z, size_t n, size_t *i, int *y, int *m, int *d) {
  size_t k = 0;
  while (*p) {
    int v;
    if (!strncmp(p, "YYYY", 4)) { if ((v = el_digits(z, n, &k, 4, 4)) < 0) return 0; *y = v; p += 4; }
    else if (!strncmp(p, "MM", 2)) { if ((v = el_digits(z, n, &k, 1, 2)) < 0) return 0; *m = v; p += 2; }
    else if (!strncmp(p, "DD", 2)) { if ((v = el_digits(z, n, &k, 1, 2)) < 0) return 0; *d = v; p += 2; }
    else { if (k >= n || z[k] != *p) return 0; k++; p++; }
  }
  *i = k;
  return el_valid_ymd(*y, *m, *d);
}

/* A time at z[i..n): HH:MM[:SS[.f]] and an optional zone, to the end. */
static int el_time_ok(const char *z, size_t n, size_t i) {
  int h = el_digits(z, n, &i, 2, 2);
  if (h < 0 || h > 23 || i >= n || z[i++] != ':') return 0;
  int mi = el_digits(z, n, &i, 2, 2);
  if (mi < 0 || mi > 59) return 0;
  if (i < n && z[i] == ':') {
    i++;
    int sec = el_digits(z, n, &i, 2, 2);
    if (sec < 0 || sec > 59) return 0;
    if (i < n && z[i] == '.') {
      i++;
      if (el_digits(z, n, &i, 1, 9) < 0) return 0;
    }
  }
  if (i < n && z[i] == 'Z') i++;
  else if (i < n && (z[i] == '+' || z[i] == '-')) {
    /* +HH, +HH:MM or +HHMM */
    i++;
    if (n - i != 2 && n - i != 4 && !(n - i == 5 && z[i + 2] == ':')) return 0;
    for (size_t k = i; k < n; k++)
      if (!(k == i + 2 && n - i == 5) && (z[k] < '0' || z[k] > '9')) return 0;
    int zh = (z[i] - '0') * 10 + (z[i + 1] - '0');
    int zm = n - i == 2 ? 0 : (z[n - 2] - '0') * 10 + (z[n - 1] - '0');
    return zh <= 14 && zm <= 59;
  }
  return i == n;
}

/* A month name at z[*i] (data/months.tsv, any ASCII case, an optional '.'
** after it): its number, *i past it; 0 when there is none. */
static int el_month_at(const char *z, size_t n, size_t *i) {
  char w[16];
  size_t k = 0, j = *i;
  while (j < n && k < sizeof w - 1 && ((z[j] | 0x20) >= 'a' && (z[j] | 0x20) <= 'z')) w[k++] = (char)(z[j++] | 0x20);
  if (k == 0 || (j < n && ((z[j] | 0x20) >= 'a' && (z[j] | 0x20) <= 'z'))) return 0;
  w[k] = 0;
  for (size_t e = 0; e < sizeof el_csv_months / sizeof el_csv_months[0]; e++)
    if (!strcmp(el_csv_months[e].name, w)) {
      if (j < n && z[j] == '.') j++;
      *i = j;
      return el_csv_months[e].month;
    }
  return 0;
}

/* A date with the month's name: "Mar 5, 2024", "March 5 2024", "5 Mar 2024"
** or "05-Mar-2024". */
static int el_date_named(const char *z, size_t n, size_t *pi, int *y, int *m, int *d) {
  size_t i = 0;
  if (z[0] >= '0' && z[0] <= '9') {
    if ((*d = el_digits(z, n, &i, 1, 2)) < 0 || i >= n || (z[i] != ' ' && z[i] != '-')) return 0;
    char sep = z[i++];
    if (!(*m = el_month_at(z, n, &i)) || i >= n || z[i++] != sep) return 0;
  } else {
    if (!(*m = el_month_at(z, n, &i)) || i >= n || z[i++] != ' ') return 0;
    if ((*d = el_digits(z, n, &i, 1, 2)) < 0) return 0;
    if (i < n && z[i] == ',') i++;
    if (i >= n || z[i++] != ' ') return 0;
  }
  if ((*y = el_digits(z, n, &i, 4, 4)) < 0) return 0;
  *pi = i;
  return el_valid_ymd(*y, *m, *d);
}

int el_csv_parse_date(const el_csv_sniff_opts *o, const char *z, size_t n, char *iso,
                      size_t *isn) {
  static const char *const forms[] = {"YYYY-MM-DD", "YYYY/MM/DD"};
  size_t i = 0;
  int y = 0, m = 0, d = 0, ok = 0, is_iso = 0;
  /* cheap refusals first: every form has 8 bytes, and starts with a digit
  ** or a month's name */
  if (!o->dates || n < 8 || n >= EL_CSV_ISOBUF - 12) return 0;
  if (z[0] >= '0' && z[0] <= '9') {
    for (size_t f = 0; f < sizeof forms / sizeof forms[0] && !ok; f++)
      if ((ok = el_date_match(forms[f], z, n, &i, &y, &m, &d))) is_iso = f == 0 && i == 10;
    if (!ok && o->datefmt[0]) ok = el_date_match(o->datefmt, z, n, &i, &y, &m, &d);
  }
  if (!ok && ((z[0] >= '0' && z[0] <= '9') || (unsigned)((z[0] | 0x20) - 'a') < 26u))
    ok = el_date_named(z, n, &i, &y, &m, &d);
  if (!ok) return 0;
  int kind = EL_CSV_DATE;
  if (i < n) {
    if ((z[i] != 'T' && z[i] != ' ') || !el_time_ok(z, n, i + 1)) return 0;
    kind = EL_CSV_TIMESTAMP;
  }
  if (iso) {
    /* already ISO 8601 (YYYY-MM-DD, two-digit month and day): kept */
    if (is_iso) {
      *isn = 0;
    } else {
      int k = snprintf(iso, EL_CSV_ISOBUF, "%04d-%02d-%02d", y, m, d);
      memcpy(iso + k, z + i, n - i); /* the time as written */
      *isn = (size_t)k + (n - i);
      iso[*isn] = 0;
    }
  }
  return kind;
}

/* --- a set of names, compared without regard to ASCII case ---------------- */
/* Open addressing over borrowed strings, sized once: names are never
** removed, and a count per entry serves the names still to come. */
typedef struct el_nent {
  const char *key; /* NULL: free slot */
  int later;       /* names after the current one spelled so */
  int final;       /* a name already given out */
  int next_k;      /* the next suffix to try for this name */
} el_nent;

typedef struct el_nset {
  el_nent *e;
  size_t mask;
} el_nset;

static uint64_t el_name_hash(const char *z) {
  uint64_t h = 1469598103934665603ULL;
  for (; *z; z++) h = (h ^ (unsigned char)tolower((unsigned char)*z)) * 1099511628211ULL;
  return h;
}

static int el_nset_init(el_nset *s, size_t n) {
  size_t cap = 16;
  while (cap < 2 * n + 2) cap *= 2;
  s->e = el_calloc(cap, sizeof *s->e);
  s->mask = cap - 1;
  return s->e ? 0 : -1;
}

/* The entry for z, added (with key z) when absent and add is set; NULL when
** absent and not added. The set never fills: it holds at most half its size. */
static el_nent *el_nset_get(el_nset *s, const char *z, int add) {
  size_t i = (size_t)el_name_hash(z) & s->mask;
  while (s->e[i].key) {
    if (el_name_eq(s->e[i].key, z)) return &s->e[i];
    i = (i + 1) & s->mask;
  }
  if (!add) return NULL;
  s->e[i].key = z;
  return &s->e[i];
}

int el_csv_fix_names(char **names, int n) {
  for (int i = 0; i < n; i++) {
    if (names[i] && names[i][0]) continue;
    char *z = el_malloc(24);
    if (!z) return -1;
    snprintf(z, 24, "column%d", i + 1);
    el_free(names[i]);
    names[i] = z;
  }
  /* A repeat of an earlier name gets the first suffix _k that no other name,
  ** earlier (as given out) or later (as read), has. A suffix found taken
  ** stays taken, so each name resumes where its last search stopped. */
  el_nset set;
  char **old = el_calloc((size_t)(n ? n : 1), sizeof *old);
  if (!old || el_nset_init(&set, 2 * (size_t)n) != 0) {
    el_free(old);
    return -1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) el_nset_get(&set, names[i], 1)->later++;
  for (int i = 0; i < n && rc == 0; i++) {
    el_nent *e = el_nset_get(&set, names[i], 1);
    e->later--;
    if (!e->final) { e->final = 1; continue; }
    size_t len = strlen(names[i]);
    char *nb = el_malloc(len + 24);
    if (!nb) { rc = -1; break; }
    int k = e->next_k > 0 ? e->next_k : 1;
    for (;; k++) {
      snprintf(nb, len + 24, "%s_%d", names[i], k);
      el_nent *c = el_nset_get(&set, nb, 0);
      if (!c || (!c->final && c->later == 0)) break;
    }
    e->next_k = k + 1;
    el_nset_get(&set, nb, 1)->final = 1;
    old[i] = names[i]; /* still a key of the set */
    names[i] = nb;
  }
  for (int i = 0; i < n; i++) el_free(old[i]);
  el_free(old);
  el_free(set.e);
  return rc;
}

/* --- sniffing ------------------------------------------------------------ */

static el_csv_reader *el_sniff_open(const char *path, const el_csv_sniff_opts *o,
                                    const el_csv_dialect *d, char *errbuf, size_t errlen) {
  if (o->data) return el_csv_open_mem(o->data, o->ndata, d, errbuf, errlen);
  return el_csv_open(path, d, errbuf, errlen);
}

typedef struct el_rowinfo {
  int n;           /* fields */
  int nonempty;    /* non-empty fields */
  int tail_empty;  /* trailing empty fields */
  long long line;
} el_rowinfo;

/* Read up to EL_SNIFF_ROWS rows; returns the count or -1. */
static int el_sniff_rows(const char *path, const el_csv_sniff_opts *o, const el_csv_dialect *d,
                         el_rowinfo *info, char *errbuf, size_t errlen) {
  el_csv_reader *r = el_sniff_open(path, o, d, errbuf, errlen);
  if (!r) return -1;
  el_csv_row row;
  int k = 0, rc;
  while (k < EL_SNIFF_ROWS && (rc = el_csv_next(r, &row)) == 1) {
    el_rowinfo *ri = &info[k++];
    el_csv_locate(r, &row);
    ri->n = row.nraw;
    ri->line = row.line;
    ri->nonempty = 0;
    ri->tail_empty = 0;
    for (int i = 0; i < row.n; i++) {
      if (row.f[i].len) { ri->nonempty++; ri->tail_empty = 0; }
      else ri->tail_empty++;
    }
  }
  if (k < EL_SNIFF_ROWS && rc < 0) {
    snprintf(errbuf, errlen, "%s", el_csv_error(r));
    el_csv_close(r);
    return -1;
  }
  el_csv_close(r);
  return k;
}

/* Most common field count (ties: the larger) and how often it occurs. */
static int el_modal(const el_rowinfo *info, int k, int *freq) {
  int best = 0, bestc = 0;
  for (int i = 0; i < k; i++) {
    int c = 0;
    for (int j = 0; j < k; j++) c += info[j].n == info[i].n;
    if (c > bestc || (c == bestc && info[i].n > best)) { best = info[i].n; bestc = c; }
  }
  *freq = bestc;
  return best;
}

/* Does the start of the data look like backslash-escaped quotes? Only when
** \" occurs and no quote is ever doubled inside a field. */
static int el_sniff_escape(const char *path, const el_csv_sniff_opts *o, unsigned char delim) {
  unsigned char buf[65536];
  size_t n = 0;
  if (o->data) {
    n = o->ndata < sizeof buf ? o->ndata : sizeof buf;
    memcpy(buf, o->data, n);
  } else {
    char err[8];
    long long got = el_csv_read_head(path, buf, sizeof buf, err, sizeof err);
    if (got < 0) return 0;
    n = (size_t)got;
  }
  int bs = 0, dbl = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    if (buf[i] != '"') continue;
    unsigned char p = buf[i - 1], x = buf[i + 1];
    if (p == '\\' && x != delim && x != '\n' && x != '\r') bs++;
    if (x == '"' && i >= 1 && p != delim && p != '\n' && p != '\r' && p != '\\' &&
        i + 2 < n && buf[i + 2] != delim && buf[i + 2] != '\n' && buf[i + 2] != '\r')
      dbl++;
  }
  return bs > 0 && dbl == 0;
}

typedef el_csv_colstat el_colstat;

void el_csv_classify(const char *z, size_t n, el_csv_num *c) {
  int k;
  if (el_csv_parse_int(z, n, &c->i)) {
    c->kind = EL_CSV_INTEGER;
    /* up to 15 digits an integer is always a canonical decimal too */
    if (n <= 15) { c->intreal = 1; c->d = (double)c->i; }
    else c->intreal = el_csv_parse_real(z, n, &c->d, NULL, NULL) == 1;
  } else if ((k = el_csv_parse_real(z, n, &c->d, &c->iw, &c->fw)) != 0) {
    c->kind = EL_CSV_REAL;
    c->loose = k == 2;
  } else {
    c->kind = EL_CSV_TEXT;
  }
}

void el_csv_classify_o(const el_csv_sniff_opts *o, const char *z, size_t n, el_csv_num *c) {
  if (EL_CSV_NUM_LOCALE(o)) {
    char buf[EL_CSV_NUMBUF];
    int k = el_csv_num_form(o, z, n, buf);
    if (k < 0) c->kind = EL_CSV_TEXT;
    else el_csv_classify(buf, (size_t)k, c);
  } else {
    el_csv_classify(z, n, c);
  }
  if (c->kind == EL_CSV_TEXT && o->dates) {
    int k = el_csv_parse_date(o, z, n, NULL, NULL);
    if (k) c->kind = k;
  }
}

/* Is z[0..n), which is no number in C's form, one with a decimal comma?
** 0 if not, else 1 | 2 (grouped with '.') | 4 (grouped with ' '). */
static int el_comma_number(const char *z, size_t n) {
  el_csv_sniff_opts c;
  char buf[EL_CSV_NUMBUF];
  if (!memchr(z, ',', n) && !memchr(z, '.', n) && !memchr(z, ' ', n)) return 0;
  memset(&c, 0, sizeof c);
  c.decimal = ',';
  c.thousands[0] = '.';
  c.thousands_len = 1;
  if (el_csv_num_form(&c, z, n, buf) >= 0) return 1 | (memchr(z, '.', n) ? 2 : 0);
  c.thousands[0] = ' ';
  if (el_csv_num_form(&c, z, n, buf) >= 0) return 1 | 4;
  return 0;
}

void el_csv_stat_num(el_csv_colstat *s, const el_csv_num *c) {
  s->nonnull++;
  if (c->kind == EL_CSV_DATE) s->n_date++;
  else if (c->kind == EL_CSV_TIMESTAMP) s->n_ts++;
  else if (c->kind == EL_CSV_INTEGER) {
    s->n_int++;
    s->n_intreal += c->intreal;
  } else if (c->kind == EL_CSV_REAL) {
    if (s->n_real == 0) { s->iw_min = s->iw_max = c->iw; s->fw_min = s->fw_max = c->fw; }
    if (c->iw < s->iw_min) s->iw_min = c->iw;
    if (c->iw > s->iw_max) s->iw_max = c->iw;
    if (c->fw < s->fw_min) s->fw_min = c->fw;
    if (c->fw > s->fw_max) s->fw_max = c->fw;
    s->n_real++;
    s->n_loose += c->loose;
  } else {
    s->n_other++;
  }
}

int el_csv_num_form(const el_csv_sniff_opts *o, const char *z, size_t n, char *buf) {
  const char *ts = o->thousands;
  size_t tn = (size_t)o->thousands_len, i = 0, k = 0;
  /* thousands='.' without decimal= means a decimal comma */
  char dec = o->decimal == ',' || (tn == 1 && ts[0] == '.') ? ',' : '.';
  if (n == 0 || n >= EL_CSV_NUMBUF - 1) return -1;
  if (z[0] == '-' || z[0] == '+') buf[k++] = z[i++];
  /* the integer part: digits, grouped or not */
  int run = 0, groups = 0;
  while (i < n) {
    unsigned char c = (unsigned char)z[i];
    if (c >= '0' && c <= '9') {
      buf[k++] = (char)c;
      run++;
      i++;
    } else if (tn && n - i > tn && memcmp(z + i, ts, tn) == 0) {
      /* a separator: after 1 to 3 digits first, then after exactly 3 */
      if (run == 0 || run > 3 || (groups && run != 3)) return -1;
      groups++;
      run = 0;
      i += tn;
    } else {
      break;
    }
  }
  if (groups && run != 3) return -1;
  if (i < n && z[i] == dec) {
    buf[k++] = '.';
    i++;
    while (i < n && z[i] >= '0' && z[i] <= '9') buf[k++] = z[i++];
  }
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    buf[k++] = z[i++];
    if (i < n && (z[i] == '-' || z[i] == '+')) buf[k++] = z[i++];
    while (i < n && z[i] >= '0' && z[i] <= '9') buf[k++] = z[i++];
  }
  if (i != n) return -1;
  buf[k] = 0;
  return (int)k;
}

void el_csv_stat_field(el_csv_colstat *s, const el_csv_sniff_opts *o, const char *z, size_t n,
                       int flags) {
  if (flags & EL_CSV_F_BINARY) { s->nonnull++; s->n_other++; return; }
  if (el_csv_is_null(o, z, n, flags) || el_csv_is_missing(o, z, n)) return;
  el_csv_num c;
  el_csv_classify_o(o, z, n, &c);
  el_csv_stat_num(s, &c);
  if (c.kind == EL_CSV_TEXT && !EL_CSV_NUM_LOCALE(o) && s->n_other == s->n_comma + 1) {
    /* while every text so far is a decimal-comma number, count them */
    int k = el_comma_number(z, n);
    if (k) { s->n_comma++; s->comma_groups |= k >> 1; }
  }
}

int el_csv_stat_settled(const el_csv_colstat *s) {
  return s->n_other > s->n_comma || ((s->n_date || s->n_ts) && (s->n_int || s->n_real));
}

int el_csv_stat_type(const el_csv_colstat *s) {
  if (s->nonnull == 0 || s->n_other) return EL_CSV_TEXT;
  if (s->n_date || s->n_ts)
    return s->n_date + s->n_ts != s->nonnull ? EL_CSV_TEXT : s->n_ts ? EL_CSV_TIMESTAMP : EL_CSV_DATE;
  if (s->n_real == 0) return EL_CSV_INTEGER;
  if (s->n_intreal != s->n_int) return EL_CSV_TEXT;
  if (s->n_loose == 0) return EL_CSV_REAL;
  /* Trailing zeros ("42.4225000") are formatting when the widths vary, as in
  ** measurements; when every value has the same shape ("2001.10" for
  ** October) they are part of a code, and the column stays TEXT. */
  if (s->iw_min == s->iw_max && s->fw_min == s->fw_max) return EL_CSV_TEXT;
  return EL_CSV_REAL_LOOSE;
}

void el_csv_sniffed_free(el_csv_sniffed *s) {
  if (s->names)
    for (int i = 0; i < s->ncols; i++) el_free(s->names[i]);
  el_free(s->names);
  el_free(s->types);
  el_free(s->comma);
  for (int r = 0; r < s->nsample; r++) {
    for (int i = 0; i < s->ncols; i++) el_free(s->sample[r][i]);
    el_free(s->sample[r]);
  }
  el_free(s->sample);
  memset(s, 0, sizeof *s);
}

typedef struct el_keptrow {
  int n;
  char **v; /* NULL entries are SQL NULLs */
} el_keptrow;

static int el_keep_row(el_keptrow *k, const el_csv_sniff_opts *o, const el_csv_row *row) {
  k->n = row->n;
  k->v = el_calloc((size_t)(row->n ? row->n : 1), sizeof(char *));
  if (!k->v) return -1;
  for (int i = 0; i < row->n; i++) {
    const el_csv_field *f = &row->f[i];
    if (el_csv_is_null(o, row->base + f->off, f->len, f->flags)) continue;
    /* kept for names and the sample: long values are cut at a character
    ** boundary (they are never numeric anyway) */
    const char *z = row->base + f->off;
    size_t n = f->len;
    if (n > EL_CSV_KEEP_MAX) {
      n = EL_CSV_KEEP_MAX;
      while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80) n--;
    }
    k->v[i] = el_strndup(z, n);
    if (!k->v[i]) return -1;
    if (f->flags & EL_CSV_F_BINARY) {
      /* invalid UTF-8 or NUL bytes: shown as '?' in names and the sample */
      for (size_t j = 0; j < n; j++)
        if ((unsigned char)z[j] >= 0x80 || z[j] == 0) k->v[i][j] = '?';
    }
  }
  return 0;
}

static void el_keptrow_free(el_keptrow *k) {
  if (!k->v) return;
  for (int i = 0; i < k->n; i++) el_free(k->v[i]);
  el_free(k->v);
  k->v = NULL;
}

static int el_hcell_empty(char *const *const *rows, const int *ns, int k, int i) {
  return i >= ns[k] || !rows[k][i] || !rows[k][i][0];
}

int el_csv_join_header(char *const *const *rows, const int *ns, int h, int ncols, char **out) {
  /* fill[k]: the text that row k gives column i (the cell or its span) */
  const char **fill = el_calloc((size_t)h * (size_t)(ncols ? ncols : 1), sizeof *fill);
  if (!fill) return -1;
  for (int k = 0; k < h; k++) {
    const char **f = fill + (size_t)k * (size_t)ncols;
    for (int i = 0; i < ncols; i++) {
      if (!el_hcell_empty(rows, ns, k, i)) f[i] = rows[k][i];
      else if (k < h - 1 && i > 0 && f[i - 1] &&
               (k == 0 || el_hcell_empty(rows, ns, k - 1, i)))
        f[i] = f[i - 1]; /* a merged cell's span: within its parent's */
    }
  }
  int rc = 0;
  for (int i = 0; i < ncols; i++) {
    size_t len = 1;
    for (int k = 0; k < h; k++) {
      const char *c = fill[(size_t)k * (size_t)ncols + (size_t)i];
      if (c) len += strlen(c) + 1;
    }
    char *z = el_malloc(len);
    if (!z) { rc = -1; for (int j = 0; j < i; j++) { el_free(out[j]); out[j] = NULL; } break; }
    size_t n = 0;
    const char *prev = NULL;
    for (int k = 0; k < h; k++) {
      const char *c = fill[(size_t)k * (size_t)ncols + (size_t)i];
      if (!c || (prev && strcmp(prev, c) == 0)) continue;
      if (n) z[n++] = ' ';
      size_t cl = strlen(c);
      memcpy(z + n, c, cl);
      n += cl;
      prev = c;
    }
    z[n] = 0;
    out[i] = z;
  }
  el_free(fill);
  return rc;
}

/* An Excel "sep=X" first line (after a UTF-8 BOM) names the delimiter:
** returns X, or 0 when the file does not start with one. */
static int el_sniff_sep_line(const char *path, const el_csv_sniff_opts *o) {
  unsigned char buf[16];
  size_t n = 0;
  if (o->data) {
    n = o->ndata < sizeof buf ? o->ndata : sizeof buf;
    memcpy(buf, o->data, n);
  } else {
    /* a regular file only (the reader's checks): a FIFO cannot block */
    char err[8];
    long long got = el_csv_read_head(path, buf, sizeof buf, err, sizeof err);
    if (got < 0) return 0;
    n = (size_t)got;
  }
  size_t i = 0;
  if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) i = 3;
  if (n < i + 5 || (buf[i] | 0x20) != 's' || (buf[i + 1] | 0x20) != 'e' || (buf[i + 2] | 0x20) != 'p' ||
      buf[i + 3] != '=')
    return 0;
  unsigned char c = buf[i + 4];
  if (c == '\r' || c == '\n' || c == 0 || c == '"' || c >= 0x80) return 0;
  size_t j = i + 5;
  if (j < n && buf[j] == '\r') j++;
  if (j < n && buf[j] != '\n') return 0;
  return c;
}

/* The column count (the modal field count of the data rows) and the header
** decision, from the first row r0 and the statistics of the rows after it.
** Returns 0, or -1 when out of memory. */
static int el_sniff_decide(const el_csv_sniff_opts *o, const el_keptrow *r0, int n0,
                           const el_colstat *st, const long long *hist, long long ndata,
                           el_nset *names, int *pm, int *pheader) {
  int maxc = EL_CSV_MAX_FIELDS;
  int m = n0;
  {
    long long bestc = 0;
    for (int c = 0; c <= maxc; c++)
      if (hist[c] > bestc || (hist[c] == bestc && bestc > 0 && c > m)) { bestc = hist[c]; m = c; }
    /* a tie with the first row's count goes to the first row */
    if (n0 <= maxc && bestc > 0 && hist[n0] == bestc) m = n0;
  }
  *pm = m;
  int header = o->header;
  if (header < 0) {
    header = 0;
    if (r0->v && ndata > 0) {
      int strong = 0, weak = 0, numeric = 0;
      for (int i = 0; i < r0->n && i < maxc; i++) {
        int t = el_csv_stat_type(&st[i]);
        const char *v = r0->v[i];
        if (st[i].nonnull == 0) continue;
        if (t == EL_CSV_TEXT) continue;
        numeric++;
        if (!v) continue;
        size_t vl = strlen(v);
        if (t == EL_CSV_DATE || t == EL_CSV_TIMESTAMP) {
          if (!el_csv_parse_date(o, v, vl, NULL, NULL)) strong++;
        } else if (!el_csv_looks_numeric(v, vl)) strong++;
        else {
          int64_t iv;
          if (t == EL_CSV_REAL && el_csv_parse_int(v, vl, &iv) && st[i].n_int == 0) weak++;
        }
      }
      if (strong > 0 || (numeric > 0 && weak * 2 >= numeric)) header = 1;
      else if (numeric == 0) {
        /* all text: a header has distinct, non-empty names not seen in the data */
        int ok = r0->n > 0;
        if (ok && el_nset_init(names, (size_t)r0->n) != 0) return -1;
        for (int i = 0; i < r0->n && ok; i++) {
          if (!r0->v[i]) { if (i < m) ok = i >= r0->n - 1 && r0->n > 1 && st[i].nonnull == 0; continue; }
          if (st[i].r0_seen) ok = 0;
          el_nent *e = el_nset_get(names, r0->v[i], 1);
          if (e->final) ok = 0;
          e->final = 1;
        }
        header = ok;
      }
    } else if (r0->v) {
      /* a single row: a header when nothing in it is numeric */
      int ok = 1;
      for (int i = 0; i < r0->n; i++)
        if (r0->v[i] && el_csv_looks_numeric(r0->v[i], strlen(r0->v[i]))) ok = 0;
      header = ok && r0->n > 1;
    }
  }
  *pheader = header;
  return 0;
}

/* header=N: rows 2 to N of the header, read after r0 (row 1), and r0's
** values replaced by the joined names (el_csv_join_header); *n0 becomes the
** most cells of a header row. A file with fewer rows than N is an error. */
static int el_sniff_header_rows(el_csv_reader *r, const el_csv_sniff_opts *o, el_keptrow *r0,
                                int *n0, char *errbuf, size_t errlen) {
  int h = o->header, rc = -1;
  el_keptrow *hk = el_calloc((size_t)h, sizeof *hk);
  char ***cells = el_calloc((size_t)h, sizeof *cells);
  int *ns = el_calloc((size_t)h, sizeof *ns);
  char **names = NULL;
  if (!hk || !cells || !ns) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto out; }
  hk[0] = *r0;
  r0->v = NULL;
  r0->n = 0;
  for (int k = 1; k < h; k++) {
    el_csv_row row;
    int g = el_csv_next(r, &row);
    if (g < 0) { snprintf(errbuf, errlen, "%s", el_csv_error(r)); goto out; }
    if (g == 0) {
      snprintf(errbuf, errlen, "header=%d, but the file has only %d row%s", h, k, k == 1 ? "" : "s");
      goto out;
    }
    if (el_keep_row(&hk[k], o, &row) != 0) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto out; }
    if (row.nraw > *n0) *n0 = row.nraw;
  }
  int nc = *n0 < EL_CSV_MAX_FIELDS ? *n0 : EL_CSV_MAX_FIELDS;
  for (int k = 0; k < h; k++) { cells[k] = hk[k].v; ns[k] = hk[k].n; }
  names = el_calloc((size_t)(nc ? nc : 1), sizeof *names);
  if (!names || el_csv_join_header((char *const *const *)cells, ns, h, nc, names) != 0) {
    el_free(names);
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    goto out;
  }
  /* an empty name stays NULL, as an empty cell of a one-row header */
  for (int i = 0; i < nc; i++)
    if (!names[i][0]) { el_free(names[i]); names[i] = NULL; }
  r0->v = names;
  r0->n = nc;
  rc = 0;
out:
  if (hk)
    for (int k = 0; k < h; k++) el_keptrow_free(&hk[k]);
  el_free(hk);
  el_free(cells);
  el_free(ns);
  return rc;
}

static int el_sniff_once(const char *path, const el_csv_sniff_opts *o, el_csv_sniffed *out,
                         char *errbuf, size_t errlen, long long *auto_skip) {
  static const unsigned char cands[] = {',', ';', '\t', '|'};
  el_rowinfo *info = NULL, *binfo = NULL;
  el_colstat *st = NULL;
  long long *hist = NULL;
  el_keptrow r0 = {0, NULL};
  el_keptrow kept[EL_CSV_SAMPLE_ROWS];
  el_nset names;
  int nkept = 0, rc = -1, nbest = 0;
  el_csv_reader *r = NULL;
  memset(out, 0, sizeof *out);
  memset(kept, 0, sizeof kept);
  memset(&names, 0, sizeof names);

  el_csv_dialect d;
  memset(&d, 0, sizeof d);
  d.quote = o->quote >= 0 ? (unsigned char)o->quote : '"';
  d.escape = o->escape > 0 ? (unsigned char)o->escape : 0;
  d.encoding = o->encoding;
  d.max_field = o->max_field;
  d.delim = o->delim >= 0 ? (unsigned char)o->delim : ',';
  if (o->delim >= 0 && o->mdelim_len >= 2 && o->mdelim_len <= EL_CSV_DELIM_MAX) {
    memcpy(d.mdelim, o->mdelim, (size_t)o->mdelim_len);
    d.mdelim_len = o->mdelim_len;
  }
  /* An Excel "sep=;" line: its delimiter is used unless one is given, and
  ** with skip=auto the line is skipped. */
  int sepc = el_sniff_sep_line(path, o);
  long long base_skip = o->skip >= 0 ? o->skip : sepc ? 1 : 0;
  int fdelim = o->delim >= 0 ? o->delim : sepc ? sepc : -1;
  d.skip = base_skip;
  *auto_skip = 0;

  info = el_malloc(sizeof(el_rowinfo) * EL_SNIFF_ROWS);
  binfo = el_malloc(sizeof(el_rowinfo) * EL_SNIFF_ROWS);
  if (!info || !binfo) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }

  /* 1. delimiter */
  {
    int best = -1, bestscore = -1, bestm = 0;
    for (size_t c = 0; c < sizeof cands; c++) {
      if (fdelim >= 0 && c > 0) break;
      el_csv_dialect dc = d;
      dc.delim = fdelim >= 0 ? (unsigned char)fdelim : cands[c];
      /* a wrong delimiter can make the rest of the file one quoted field */
      dc.max_bytes = EL_CSV_SNIFF_BYTES;
      if (o->escape < 0) dc.escape = 0;
      int k = el_sniff_rows(path, o, &dc, info, errbuf, errlen);
      if (k < 0) goto done;
      int freq, m = el_modal(info, k, &freq);
      int score = m >= 2 ? freq : 0;
      /* ties in consistency go to the delimiter that makes more fields: a
      ** comma inside "1,5" in every row of a pipe file splits each row in
      ** two, the pipes in more */
      if (score > bestscore || (score == bestscore && score > 0 && m > bestm)) {
        bestscore = score;
        bestm = m;
        best = dc.delim;
        nbest = k;
        memcpy(binfo, info, sizeof(el_rowinfo) * (size_t)k);
      }
    }
    d.delim = (unsigned char)best;
    if (o->escape < 0 && d.quote == '"') d.escape = el_sniff_escape(path, o, d.delim) ? '\\' : 0;
  }

  /* 2. preamble */
  d.skip = base_skip;
  if (o->skip < 0 && nbest > 1) {
    int freq, m = el_modal(binfo, nbest, &freq);
    int emin = m;
    for (int i = 0; i < nbest; i++)
      if (binfo[i].n == m && binfo[i].tail_empty < emin) emin = binfo[i].tail_empty;
    int start = -1;
    for (int i = 0; i < nbest && start < 0; i++) {
      int fits = binfo[i].n == m || (binfo[i].n < m && binfo[i].n >= m - emin);
      if (!fits) {
        /* a preamble line is metadata: at most half the columns filled */
        if (m < 3 || binfo[i].nonempty * 2 > m) break;
        continue;
      }
      int nfit = 0;
      for (int j = i; j < nbest; j++)
        nfit += binfo[j].n == m || (binfo[j].n < m && binfo[j].n >= m - emin);
      if (nfit * 5 >= (nbest - i) * 4) start = i;
      else break;
    }
    if (start > 0) {
      d.skip = binfo[start].line - 1;
      *auto_skip = d.skip - base_skip;
    }
  }

  /* 3. header, columns and types */
  r = el_sniff_open(path, o, &d, errbuf, errlen);
  if (!r) goto done;
  el_csv_row row;
  int got = el_csv_next(r, &row);
  if (got < 0) { snprintf(errbuf, errlen, "%s", el_csv_error(r)); goto done; }
  int maxc = EL_CSV_MAX_FIELDS;
  st = el_calloc((size_t)maxc, sizeof *st);
  hist = el_calloc((size_t)maxc + 2, sizeof *hist);
  if (!st || !hist) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
  int n0 = 0;
  if (got == 1) {
    if (el_keep_row(&r0, o, &row) != 0) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
    n0 = row.nraw;
    if (row.err) out->rejects_sampled++;
    if (row.err == EL_CSV_EQUOTE && el_csv_line(r) > 1 + d.skip) {
      out->unterminated_line = 1 + d.skip;
      out->unterminated_col = row.err_col + 1;
    }
    if (o->header >= 2 && el_sniff_header_rows(r, o, &r0, &n0, errbuf, errlen) != 0) goto done;
  }
  /* The first `nstruct` rows decide the header and the column count; the
  ** types come from `ntypes` rows (0: all). */
  long long nstruct = EL_CSV_STRUCT_ROWS;
  if (o->sample > 0 && o->sample < nstruct) nstruct = o->sample;
  long long ntypes = o->types_first ? nstruct : o->sample > 0 ? o->sample : 0;
  long long ndata = 0, next_check = EL_CSV_CHECK_BYTES;
  int decided = 0, header = o->header, m = n0, eof = got == 0;
  uint64_t unused = 0; /* columns the reader no longer copies (el_csv_set_unused) */
  while (got == 1 && (ntypes <= 0 || ndata < ntypes)) {
    int g = el_csv_next(r, &row);
    if (g < 0) { snprintf(errbuf, errlen, "%s", el_csv_error(r)); goto done; }
    if (g == 0) { eof = 1; break; }
    ndata++;
    hist[row.nraw > maxc ? maxc + 1 : row.nraw]++;
    if (row.err) {
      out->rejects_sampled++;
      if (row.err == EL_CSV_EQUOTE) {
        el_csv_locate(r, &row);
        if (el_csv_line(r) > row.line) {
          out->unterminated_line = row.line;
          out->unterminated_col = row.err_col + 1;
        }
      }
    }
    if (nkept < EL_CSV_SAMPLE_ROWS) {
      if (el_keep_row(&kept[nkept], o, &row) != 0) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
      nkept++;
    }
    for (int i = 0; i < row.n && !o->types_text; i++) {
      if ((unused >> (i < 63 ? i : 63)) & 1) continue;
      const el_csv_field *f = &row.f[i];
      const char *z = row.base + f->off;
      el_csv_stat_field(&st[i], o, z, f->len, (int)f->flags);
      if (!decided && i < r0.n && r0.v[i] && strlen(r0.v[i]) == f->len && memcmp(r0.v[i], z, f->len) == 0)
        st[i].r0_seen = 1;
    }
    if (!decided && ndata == nstruct) {
      if (el_sniff_decide(o, &r0, n0, st, hist, ndata, &names, &m, &header) != 0) {
        snprintf(errbuf, errlen, EL_CSV_NOMEM);
        goto done;
      }
      decided = 1;
      /* a preamble with no header after it is read again as data (see
      ** el_csv_sniff): the rest of this pass would be thrown away */
      if (*auto_skip > 0 && !header) break;
    }
    if (decided && ndata % 1024 == 0) {
      /* the reader need not copy a column whose type is settled, or that is
      ** past any column the table can have */
      int limit = m > n0 ? m : n0;
      if (o->ncolnames > limit) limit = o->ncolnames;
      if (limit > maxc) limit = maxc;
      uint64_t mask = 0;
      int rest = 1;
      for (int i = 0; i < 64; i++)
        if (i < 63 && (o->types_text || i >= limit || el_csv_stat_settled(&st[i]))) mask |= 1ULL << i;
      for (int i = 63; i < limit && rest; i++) rest = o->types_text || el_csv_stat_settled(&st[i]);
      if (rest) mask |= 1ULL << 63;
      if (mask != unused) el_csv_set_unused(r, unused = mask);
    }
    if (o->xCheck && el_csv_bytes_read(r) >= next_check) {
      next_check = el_csv_bytes_read(r) + EL_CSV_CHECK_BYTES;
      if (o->xCheck(o->check_ctx)) { snprintf(errbuf, errlen, "interrupted"); goto done; }
    }
  }
  if (!eof && got == 1 && ntypes > 0 && ndata == ntypes) {
    /* stopped at the limit: were those all the rows? */
    int g = el_csv_next(r, &row);
    if (g < 0) { snprintf(errbuf, errlen, "%s", el_csv_error(r)); goto done; }
    eof = g == 0;
  }
  out->types_complete = eof;
  out->encoding = el_csv_encoding(r);
  out->bom = el_csv_had_bom(r);
  out->lines = el_csv_line(r);
  el_csv_close(r);
  r = NULL;
  if (!decided && el_sniff_decide(o, &r0, n0, st, hist, ndata, &names, &m, &header) != 0) {
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    goto done;
  }
  if (!header && got == 1) {
    /* the first row is data too */
    hist[n0 > maxc ? maxc + 1 : n0]++;
    for (int i = 0; i < r0.n && i < maxc && !o->types_text; i++)
      if (r0.v[i]) el_csv_stat_field(&st[i], o, r0.v[i], strlen(r0.v[i]), 0);
    ndata++;
    if (ndata == 1) m = n0;
  }

  int ncols;
  if (o->ncolnames > 0) ncols = o->ncolnames;
  else if (header) {
    ncols = n0 > m ? n0 : m;
    if (n0 > m && ndata > 0) {
      int extra_empty = 1;
      for (int i = m; i < n0 && i < r0.n; i++) if (r0.v[i]) extra_empty = 0;
      if (extra_empty) ncols = m;
    }
  } else ncols = m > n0 ? m : n0;
  if (ncols > maxc) ncols = maxc;
  if (ncols < 1) ncols = 1;

  out->d = d;
  out->header = header;
  out->ncols = ncols;
  out->rows_sampled = ndata;
  out->names = el_calloc((size_t)ncols, sizeof(char *));
  out->types = el_calloc((size_t)ncols, sizeof(int));
  out->comma = el_calloc((size_t)ncols, sizeof(int));
  if (!out->names || !out->types || !out->comma) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
  for (int i = 0; i < ncols; i++) {
    const char *nm = NULL;
    if (o->ncolnames > 0) nm = o->colnames[i];
    else if (header && i < r0.n) nm = r0.v[i];
    out->names[i] = el_strndup(nm ? nm : "", nm ? strlen(nm) : 0);
    if (!out->names[i]) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
    out->types[i] = o->types_text ? EL_CSV_TEXT : el_csv_stat_type(&st[i]);
    /* a column of decimal-comma numbers: suggested, not applied */
    if (out->types[i] == EL_CSV_TEXT && st[i].n_comma > 0 && st[i].n_comma == st[i].n_other &&
        st[i].n_date + st[i].n_ts == 0 && !o->types_text)
      out->comma[i] = 1 | st[i].comma_groups << 1;
  }
  if (el_csv_fix_names(out->names, ncols) != 0) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
  /* rows with another field count are rejects */
  for (int c = 0; c <= maxc + 1; c++)
    if (c != ncols) out->rejects_sampled += hist[c];

  /* sample rows, as the table shows them: missing markers in number columns
  ** are NULL */
  {
    int total = (!header && got == 1 ? 1 : 0) + nkept;
    if (total > EL_CSV_SAMPLE_ROWS) total = EL_CSV_SAMPLE_ROWS;
    out->sample = el_calloc((size_t)(total ? total : 1), sizeof(char **));
    if (!out->sample) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
    for (int k = 0; k < total; k++) {
      el_keptrow *src = (!header && got == 1) ? (k == 0 ? &r0 : &kept[k - 1]) : &kept[k];
      out->sample[k] = el_calloc((size_t)ncols, sizeof(char *));
      if (!out->sample[k]) { snprintf(errbuf, errlen, EL_CSV_NOMEM); goto done; }
      out->nsample = k + 1;
      for (int i = 0; i < ncols && i < src->n; i++) {
        char *v = src->v[i];
        src->v[i] = NULL;
        if (v && out->types[i] != EL_CSV_TEXT && el_csv_is_missing(o, v, strlen(v))) {
          el_free(v);
          v = NULL;
        }
        out->sample[k][i] = v;
      }
    }
  }
  rc = 0;

done:
  if (r) el_csv_close(r);
  el_free(info);
  el_free(binfo);
  el_free(st);
  el_free(hist);
  el_free(names.e);
  el_keptrow_free(&r0);
  for (int k = 0; k < EL_CSV_SAMPLE_ROWS; k++) el_keptrow_free(&kept[k]);
  if (rc != 0) el_csv_sniffed_free(out);
  return rc;
}

int el_csv_sniff(const char *path, const el_csv_sniff_opts *o, el_csv_sniffed *out,
                 char *errbuf, size_t errlen) {
  long long auto_skip = 0;
  int rc = el_sniff_once(path, o, out, errbuf, errlen, &auto_skip);
  if (rc == 0 && auto_skip > 0 && !out->header) {
    /* Preamble lines are metadata before a header. With no header after
    ** them they may be short data rows: read them as rows (ragged rows are
    ** recorded as rejects) rather than drop them unseen. */
    el_csv_sniff_opts o2 = *o;
    o2.skip = out->d.skip - auto_skip;
    el_csv_sniffed_free(out);
    rc = el_sniff_once(path, &o2, out, errbuf, errlen, &auto_skip);
  }
  return rc;
}
