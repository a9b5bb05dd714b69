/*
** SQL adapters for CSV import: the csv_file virtual table, csv_sniff() and
** (in csv_import.c) csv_import(). They parse options, run the core sniffer
** and reader (el_csvsniff.c, el_csvreader.c) and hand rows to SQLite.
** Everything here reads files, so the module and both functions are
** DIRECTONLY; and csv_file reads its file only when the user's own SQL asks
** (CREATE VIRTUAL TABLE, or a query of the table), never while a schema is
** being read: see el_csv_create.
**
** Bad rows (ragged, unterminated quote, invalid UTF-8, NUL byte, field over
** the size limit) are an error naming file, line and column with strict=yes;
** otherwise the row is kept (padded with NULLs, extra fields dropped) and
** recorded in temp.csv_rejects.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_sql.h"
#include "csvimport.h"
#include "el_csvinput.h"

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

static const char *const el_csv_keys[] = {
  "header", "delimiter", "quote", "escape", "skip", "types", "null", "columns",
  "schema", "encoding", "strict", "sample", "max_field_size", "missing", "mode", "decimal",
  "thousands", "dateformat", "threads", NULL
};

/* The bit of option key k in el_csv_opts.seen (0 when there is none). */
static unsigned el_opt_bit(const char *k) {
  for (int i = 0; el_csv_keys[i]; i++)
    if (!strcmp(el_csv_keys[i], k)) return 1u << i;
  return 0;
}

/* Missing-value markers read as NULL in INTEGER and REAL columns (World
** Bank's "..", and the usual NA spellings); in a TEXT column they stay text,
** so that Namibia's code "NA" is kept. */
static const char *const el_missing_default[] = {"..", "NA", "N/A"};

void el_csv_opts_init(el_csv_opts *o) {
  memset(o, 0, sizeof *o);
  o->so.delim = -1;
  o->so.quote = -1;
  o->so.escape = -1;
  o->so.header = -1;
  o->so.skip = -1;
  o->so.encoding = EL_CSV_ENC_AUTO;
  o->so.sample = 0; /* types from the whole file */
  o->so.null_empty = 1;
  o->so.dates = 1;
  o->so.missing = el_missing_default;
  o->so.nmissing = (int)(sizeof el_missing_default / sizeof el_missing_default[0]);
  o->mode = EL_MODE_CREATE;
}

void el_csv_strlist_free(char **v, int n) {
  for (int i = 0; i < n; i++) sqlite3_free(v[i]);
  sqlite3_free(v);
}

int el_csv_opts_threads(const el_csv_opts *o) { return o->threads ? o->threads : EL_CSV_THREADS_DEFAULT; }

void el_csv_opts_free(el_csv_opts *o) {
  sqlite3_free(o->schema);
  el_csv_strlist_free(o->nulls, o->nnull);
  el_csv_strlist_free(o->missing, o->nmissing);
  el_csv_strlist_free(o->colnames, o->ncolnames);
  memset(o, 0, sizeof *o);
}

/* Trim blanks from [*z, *z+*n). */
static void el_trim(const char **z, size_t *n) {
  while (*n && isspace((unsigned char)**z)) { (*z)++; (*n)--; }
  while (*n && isspace((unsigned char)(*z)[*n - 1])) (*n)--;
}

/* Copy z[0..n), removing one level of '...' or "..." quoting (doubled
** quotes inside). NULL when out of memory. */
static char *el_dequote(const char *z, size_t n) {
  char *out = sqlite3_malloc64(n + 1);
  if (!out) return NULL;
  if (n >= 2 && (z[0] == '\'' || z[0] == '"') && z[n - 1] == z[0]) {
    char q = z[0];
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
      out[k++] = z[i];
      if (z[i] == q && z[i + 1] == q) i++;
    }
    out[k] = 0;
  } else {
    memcpy(out, z, n);
    out[n] = 0;
  }
  return out;
}

static int el_bool(const char *v, int *out) {
  if (!sqlite3_stricmp(v, "yes") || !sqlite3_stricmp(v, "true") || !strcmp(v, "1") ||
      !sqlite3_stricmp(v, "on")) { *out = 1; return 1; }
  if (!sqlite3_stricmp(v, "no") || !sqlite3_stricmp(v, "false") || !strcmp(v, "0") ||
      !sqlite3_stricmp(v, "off")) { *out = 0; return 1; }
  return 0;
}

/* One character option: the character itself, \t, or a name. */
static int el_char_opt(const char *v, int allow_none, int *out) {
  if (!sqlite3_stricmp(v, "tab") || !strcmp(v, "\\t")) { *out = '\t'; return 1; }
  if (!sqlite3_stricmp(v, "comma")) { *out = ','; return 1; }
  if (!sqlite3_stricmp(v, "semicolon")) { *out = ';'; return 1; }
  if (!sqlite3_stricmp(v, "pipe")) { *out = '|'; return 1; }
  if (allow_none && (!sqlite3_stricmp(v, "none") || v[0] == 0)) { *out = 0; return 1; }
  if (strlen(v) == 1 && v[0] != '\n' && v[0] != '\r' && v[0] != 0) {
    *out = (unsigned char)v[0];
    return 1;
  }
  return 0;
}

static int el_int_opt(const char *v, long long lo, long long hi, long long *out) {
  char *end;
  if (!*v) return 0;
  long long x = strtoll(v, &end, 10);
  if (*end || x < lo || x > hi) return 0;
  *out = x;
  return 1;
}

const char *el_csv_item_end(const char *p, char sep) {
  char q = 0;
  while (*p && (q || *p != sep)) {
    if (!q && (*p == '"' || *p == '\'')) q = *p;
    else if (q && *p == q) q = 0;
    p++;
  }
  return p;
}

/* Split a comma-separated list (items may be "quoted"); empty items kept. */
static int el_split_list(const char *v, char ***out, int *nout) {
  int cap = 8, n = 0;
  char **a = sqlite3_malloc64(sizeof(char *) * (size_t)cap);
  if (!a) return SQLITE_NOMEM;
  const char *p = v;
  for (;;) {
    const char *s = p;
    p = el_csv_item_end(p, ',');
    const char *z = s;
    size_t len = (size_t)(p - s);
    el_trim(&z, &len);
    if (n == cap) {
      cap *= 2;
      char **na = sqlite3_realloc64(a, sizeof(char *) * (size_t)cap);
      if (!na) { el_csv_strlist_free(a, n); return SQLITE_NOMEM; }
      a = na;
    }
    if ((a[n] = el_dequote(z, len)) == NULL) { el_csv_strlist_free(a, n); return SQLITE_NOMEM; }
    n++;
    if (!*p) break;
    p++;
  }
  *out = a;
  *nout = n;
  return SQLITE_OK;
}

/* Set option key (length kn) to the dequoted value v. On error *pzErr is set. */
static int el_opt_set(el_csv_opts *o, const char *fname, const char *key, size_t kn,
                      const char *v, char **pzErr) {
  int k;
  for (k = 0; el_csv_keys[k]; k++)
    if (strlen(el_csv_keys[k]) == kn && sqlite3_strnicmp(el_csv_keys[k], key, (int)kn) == 0) break;
  if (!el_csv_keys[k] || (!strcmp(el_csv_keys[k], "mode") && strcmp(fname, "csv_import") != 0)) {
    *pzErr = sqlite3_mprintf("%s: unknown option '%.*s'", fname, (int)kn, key);
    return SQLITE_ERROR;
  }
  if (o->seen & (1u << k)) {
    *pzErr = sqlite3_mprintf("%s: duplicate option '%s'", fname, el_csv_keys[k]);
    return SQLITE_ERROR;
  }
  o->seen |= 1u << k;
  const char *name = el_csv_keys[k];
  int ok = 1, b, c;
  long long x;
  if (!strcmp(name, "header")) {
    if (!sqlite3_stricmp(v, "auto")) o->so.header = -1;
    else if (el_bool(v, &b)) o->so.header = b;
    else if (el_int_opt(v, 2, EL_CSV_HEADER_MAX, &x)) o->so.header = (int)x;
    else {
      *pzErr = sqlite3_mprintf("%s: bad value for header: '%s' (auto, yes, no, or the number of "
                               "header rows, 1 to %d)", fname, v, EL_CSV_HEADER_MAX);
      return SQLITE_ERROR;
    }
  } else if (!strcmp(name, "delimiter")) {
    size_t vn = strlen(v);
    o->so.mdelim_len = 0;
    if (!sqlite3_stricmp(v, "auto")) o->so.delim = -1;
    else if (el_char_opt(v, 0, &c)) o->so.delim = c;
    else if (vn >= 2 && vn <= EL_CSV_DELIM_MAX && !strpbrk(v, "\r\n")) {
      /* a delimiter of several bytes, matched exactly (see el_r_transform_md) */
      memcpy(o->so.mdelim, v, vn);
      o->so.mdelim_len = (int)vn;
      o->so.delim = (unsigned char)v[0];
    } else {
      *pzErr = sqlite3_mprintf("%s: bad value for delimiter: '%s' (a delimiter is 1 to %d bytes, "
                               "without line breaks, or auto)", fname, v, EL_CSV_DELIM_MAX);
      return SQLITE_ERROR;
    }
  } else if (!strcmp(name, "quote")) {
    if ((ok = el_char_opt(v, 1, &c))) o->so.quote = c;
  } else if (!strcmp(name, "escape")) {
    if (!sqlite3_stricmp(v, "auto")) o->so.escape = -1;
    else if ((ok = el_char_opt(v, 1, &c))) o->so.escape = c;
  } else if (!strcmp(name, "skip")) {
    if (!sqlite3_stricmp(v, "auto")) o->so.skip = -1;
    else if ((ok = el_int_opt(v, 0, 1000000000LL, &x))) o->so.skip = x;
  } else if (!strcmp(name, "types")) {
    if (!sqlite3_stricmp(v, "auto")) o->so.types_text = 0;
    else if (!sqlite3_stricmp(v, "text")) o->so.types_text = 1;
    else ok = 0;
  } else if (!strcmp(name, "null")) {
    if (el_split_list(v, &o->nulls, &o->nnull) != SQLITE_OK) return SQLITE_NOMEM;
    o->so.null_empty = 0;
    int keep = 0;
    for (int i = 0; i < o->nnull; i++) {
      if (o->nulls[i][0] == 0) { o->so.null_empty = 1; sqlite3_free(o->nulls[i]); }
      else o->nulls[keep++] = o->nulls[i];
    }
    o->nnull = keep;
    o->so.nulls = (const char *const *)o->nulls;
    o->so.nnull = o->nnull;
  } else if (!strcmp(name, "missing")) {
    if (el_split_list(v, &o->missing, &o->nmissing) != SQLITE_OK) return SQLITE_NOMEM;
    int keep = 0;
    for (int i = 0; i < o->nmissing; i++) {
      if (o->missing[i][0] == 0) sqlite3_free(o->missing[i]);
      else o->missing[keep++] = o->missing[i];
    }
    o->nmissing = keep;
    o->so.missing = (const char *const *)o->missing;
    o->so.nmissing = o->nmissing;
  } else if (!strcmp(name, "mode")) {
    if (!sqlite3_stricmp(v, "create")) o->mode = EL_MODE_CREATE;
    else if (!sqlite3_stricmp(v, "append")) o->mode = EL_MODE_APPEND;
    else if (!sqlite3_stricmp(v, "replace")) o->mode = EL_MODE_REPLACE;
    else ok = 0;
  } else if (!strcmp(name, "columns")) {
    if (el_split_list(v, &o->colnames, &o->ncolnames) != SQLITE_OK) return SQLITE_NOMEM;
    if (o->ncolnames > EL_CSV_MAX_FIELDS) ok = 0;
    for (int i = 0; i < o->ncolnames; i++) if (!o->colnames[i][0]) ok = 0;
    if (!ok) {
      *pzErr = sqlite3_mprintf("%s: columns needs 1 to %d non-empty names", fname, EL_CSV_MAX_FIELDS);
      return SQLITE_ERROR;
    }
    o->so.colnames = (const char *const *)o->colnames;
    o->so.ncolnames = o->ncolnames;
  } else if (!strcmp(name, "schema")) {
    o->schema = sqlite3_mprintf("%s", v);
    if (!o->schema) return SQLITE_NOMEM;
  } else if (!strcmp(name, "encoding")) {
    if (!sqlite3_stricmp(v, "auto")) o->so.encoding = EL_CSV_ENC_AUTO;
    else if (!sqlite3_stricmp(v, "utf8") || !sqlite3_stricmp(v, "utf-8")) o->so.encoding = EL_CSV_ENC_UTF8;
    else if (!sqlite3_stricmp(v, "latin1") || !sqlite3_stricmp(v, "latin-1") ||
             !sqlite3_stricmp(v, "iso-8859-1")) o->so.encoding = EL_CSV_ENC_LATIN1;
    else ok = 0;
  } else if (!strcmp(name, "strict")) {
    if ((ok = el_bool(v, &b))) o->strict = b;
  } else if (!strcmp(name, "sample")) {
    if (!sqlite3_stricmp(v, "all")) o->so.sample = 0;
    else if ((ok = el_int_opt(v, 1, 1000000000000LL, &x))) o->so.sample = x;
  } else if (!strcmp(name, "decimal")) {
    if (!strcmp(v, ".") || !sqlite3_stricmp(v, "point")) o->so.decimal = 0;
    else if (!strcmp(v, ",") || !sqlite3_stricmp(v, "comma")) o->so.decimal = ',';
    else ok = 0;
  } else if (!strcmp(name, "thousands")) {
    /* a group separator: one of these, spelled or named */
    static const struct { const char *name, *sep; } seps[] = {
      {".", "."}, {",", ","}, {" ", " "}, {"'", "'"}, {"\xe2\x80\x99", "\xe2\x80\x99"},
      {"\xc2\xa0", "\xc2\xa0"}, {"\xe2\x80\xaf", "\xe2\x80\xaf"}, {"\xe2\x80\x89", "\xe2\x80\x89"},
      {"point", "."}, {"comma", ","}, {"space", " "}, {"apostrophe", "'"}, {"nbsp", "\xc2\xa0"},
      {"thin", "\xe2\x80\x89"}, {"narrow_nbsp", "\xe2\x80\xaf"}};
    o->so.thousands_len = 0;
    ok = !sqlite3_stricmp(v, "none");
    for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !ok; i++)
      if (!sqlite3_stricmp(v, seps[i].name)) {
        o->so.thousands_len = (int)strlen(seps[i].sep);
        memcpy(o->so.thousands, seps[i].sep, (size_t)o->so.thousands_len);
        ok = 1;
      }
  } else if (!strcmp(name, "dateformat")) {
    o->so.datefmt[0] = 0;
    o->so.dates = 1;
    if (!sqlite3_stricmp(v, "none")) o->so.dates = 0;
    else if (sqlite3_stricmp(v, "auto")) {
      if (!el_csv_datefmt_ok(v)) {
        *pzErr = sqlite3_mprintf("%s: bad value for dateformat: '%s' (auto, none, or a pattern of "
                                 "YYYY, MM and DD once each, with . / - or a space between, such as "
                                 "'DD.MM.YYYY' or 'MM/DD/YYYY')", fname, v);
        return SQLITE_ERROR;
      }
      memcpy(o->so.datefmt, v, strlen(v) + 1);
    }
  } else if (!strcmp(name, "max_field_size")) {
    if ((ok = el_int_opt(v, 1, 256LL * 1024 * 1024, &x))) o->so.max_field = (size_t)x;
  } else if (!strcmp(name, "threads")) {
    if ((ok = el_int_opt(v, 1, 2, &x))) o->threads = (int)x;
  }
  if (!ok) {
    *pzErr = sqlite3_mprintf("%s: bad value for %s: '%s'", fname, name, v);
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* Parse one "key=value" item (value may be quoted). */
static int el_opt_item(el_csv_opts *o, const char *fname, const char *z, size_t n, char **pzErr) {
  el_trim(&z, &n);
  if (n == 0) return SQLITE_OK;
  const char *eq = memchr(z, '=', n);
  if (!eq) {
    *pzErr = sqlite3_mprintf("%s: expected key=value, got '%.*s'", fname, (int)n, z);
    return SQLITE_ERROR;
  }
  const char *k = z, *v = eq + 1;
  size_t kn = (size_t)(eq - z), vn = n - kn - 1;
  el_trim(&k, &kn);
  el_trim(&v, &vn);
  char *val = el_dequote(v, vn);
  if (!val) return SQLITE_NOMEM;
  int rc = el_opt_set(o, fname, k, kn, val, pzErr);
  sqlite3_free(val);
  return rc;
}

/* Parse 'key=value; key=value' (semicolons inside quotes are kept). */
static int el_opt_string(el_csv_opts *o, const char *fname, const char *s, char **pzErr) {
  const char *p = s;
  while (p && *p) {
    const char *start = p;
    p = el_csv_item_end(p, ';');
    int rc = el_opt_item(o, fname, start, (size_t)(p - start), pzErr);
    if (rc != SQLITE_OK) return rc;
    if (*p) p++;
  }
  return SQLITE_OK;
}

/* ------------------------------------------------------------------------ */
/* schema= : column names and affinities of a CREATE TABLE statement         */

int el_csv_affinity(const char *t, size_t n) {
  char buf[128];
  if (n >= sizeof buf) n = sizeof buf - 1;
  for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)t[i]);
  buf[n] = 0;
  if (strstr(buf, "INT")) return EL_CSV_NUMERIC; /* INTEGER affinity converts like NUMERIC */
  if (strstr(buf, "CHAR") || strstr(buf, "CLOB") || strstr(buf, "TEXT")) return EL_CSV_TEXT;
  if (n == 0 || strstr(buf, "BLOB")) return EL_CSV_TEXT;
  if (strstr(buf, "REAL") || strstr(buf, "FLOA") || strstr(buf, "DOUB")) return EL_CSV_REAL_LOOSE;
  /* NUMERIC affinity in SQLite; dates in it are written as ISO 8601, as in a
  ** column csv_import made DATE or TIMESTAMP itself (other values: NUMERIC) */
  if (strstr(buf, "DATETIME") || strstr(buf, "TIMESTAMP")) return EL_CSV_TIMESTAMP;
  if (strstr(buf, "DATE")) return EL_CSV_DATE;
  return EL_CSV_NUMERIC;
}

int el_csv_schema_columns(const char *fname, const char *sql, char ***pnames, int **ptypes,
                          char **pzErr) {
  const char *p = strchr(sql, '(');
  char **names = NULL;
  int *types = NULL, n = 0, cap = 0;
  if (!p) goto bad;
  p++;
  for (;;) {
    /* one item up to a top-level ',' or ')' */
    const char *s = p;
    int depth = 0;
    char q = 0;
    while (*p) {
      if (q) { if (*p == q) q = 0; }
      else if (*p == '"' || *p == '\'' || *p == '`') q = *p;
      else if (*p == '[') q = ']';
      else if (*p == '(') depth++;
      else if (*p == ')') { if (depth == 0) break; depth--; }
      else if (*p == ',' && depth == 0) break;
      p++;
    }
    if (!*p) goto bad;
    const char *z = s;
    size_t len = (size_t)(p - s);
    el_trim(&z, &len);
    static const char *const kw[] = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", NULL};
    int is_constraint = 0;
    for (int k = 0; kw[k]; k++) {
      size_t kl = strlen(kw[k]);
      if (len >= kl && sqlite3_strnicmp(z, kw[k], (int)kl) == 0 &&
          (len == kl || !isalnum((unsigned char)z[kl]))) is_constraint = 1;
    }
    if (len && !is_constraint) {
      size_t nl;
      if (z[0] == '"' || z[0] == '\'' || z[0] == '`' || z[0] == '[') {
        char close = z[0] == '[' ? ']' : z[0];
        nl = 1;
        while (nl < len && (z[nl] != close || (close != ']' && nl + 1 < len && z[nl + 1] == close && ++nl)))
          nl++;
        if (nl < len) nl++;
      } else {
        nl = 0;
        while (nl < len && !isspace((unsigned char)z[nl])) nl++;
      }
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        char **nn = sqlite3_realloc64(names, sizeof(char *) * (size_t)cap);
        if (!nn) goto nomem;
        names = nn;
        int *nt = sqlite3_realloc64(types, sizeof(int) * (size_t)cap);
        if (!nt) goto nomem;
        types = nt;
      }
      if (z[0] == '[') names[n] = sqlite3_mprintf("%.*s", (int)(nl >= 2 ? nl - 2 : 0), z + 1);
      else names[n] = el_dequote(z, nl);
      if (!names[n]) goto nomem;
      const char *t = z + nl;
      size_t tl = len - nl;
      el_trim(&t, &tl);
      /* the type is the words before a constraint keyword */
      size_t te = 0;
      while (te < tl && (isalnum((unsigned char)t[te]) || t[te] == ' ' || t[te] == '(' ||
                         t[te] == ')' || t[te] == ',' || t[te] == '_')) {
        if (te + 8 <= tl && (!sqlite3_strnicmp(t + te, " PRIMARY", 8) ||
                             !sqlite3_strnicmp(t + te, " NOT NUL", 8) ||
                             !sqlite3_strnicmp(t + te, " DEFAULT", 8))) break;
        te++;
      }
      types[n] = el_csv_affinity(t, te);
      n++;
    }
    if (*p == ')') break;
    p++;
  }
  if (n == 0 || n > EL_CSV_MAX_FIELDS) goto bad;
  *pnames = names;
  *ptypes = types;
  return n;
nomem:
  el_csv_strlist_free(names, n);
  sqlite3_free(types);
  return -2;
bad:
  el_csv_strlist_free(names, n);
  sqlite3_free(types);
  *pzErr = sqlite3_mprintf("%s: cannot read the columns of schema '%s'", fname, sql);
  return *pzErr ? -1 : -2;
}

/* ------------------------------------------------------------------------ */
/* Setup shared by csv_file, csv_sniff and csv_import                         */

int el_csv_check_fn(void *p) {
  el_csv_check *c = p;
  if (!c->st) {
    /* an interrupted connection refuses to prepare, too */
    int rc = sqlite3_prepare_v2(c->db, "SELECT 1", -1, &c->st, NULL);
    if (rc != SQLITE_OK) return rc == SQLITE_INTERRUPT;
  }
  int rc = sqlite3_step(c->st);
  sqlite3_reset(c->st);
  return rc == SQLITE_INTERRUPT;
}

void el_csv_check_free(el_csv_check *c) {
  sqlite3_finalize(c->st);
  c->st = NULL;
}

int el_csv_fail_code(sqlite3 *db, int rc) {
  if (rc == SQLITE_NOMEM || rc == SQLITE_INTERRUPT) return rc;
  el_csv_check c = {db, NULL};
  int stopped = el_csv_check_fn(&c);
  el_csv_check_free(&c);
  return stopped ? SQLITE_INTERRUPT : rc;
}

void el_csv_setup_free(el_csv_setup *st) {
  el_csv_sniffed_free(&st->s);
  sqlite3_free(st->types);
  st->types = NULL;
}

int el_csv_setup_run(sqlite3 *db, const char *fname, const char *path, el_csv_opts *o,
                     el_csv_setup *st, int flags, char **pzErr) {
  char **snames = NULL;
  int *stypes = NULL, ns = 0;
  memset(st, 0, sizeof *st);
  {
    /* the delimiter, quote and escape characters must be told apart */
    int q = o->so.quote >= 0 ? o->so.quote : '"', e = o->so.escape > 0 ? o->so.escape : 0;
    unsigned char one = (unsigned char)o->so.delim;
    const unsigned char *dz = o->so.mdelim_len >= 2 ? o->so.mdelim : &one;
    size_t dn = o->so.mdelim_len >= 2 ? (size_t)o->so.mdelim_len : o->so.delim >= 0 ? 1 : 0;
    const char *clash = (q && memchr(dz, q, dn)) ? "quote" : (e && memchr(dz, e, dn)) ? "escape" : NULL;
    if (clash) {
      *pzErr = sqlite3_mprintf("%s: the delimiter '%.*s' holds the %s character '%c'", fname, (int)dn,
                               (const char *)dz, clash, clash[0] == 'q' ? q : e);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    /* the decimal mark and the group separator must differ (thousands='.'
    ** alone means a decimal comma: see el_csv_num_form) */
    int dec_given = (o->seen & el_opt_bit("decimal")) != 0;
    if (o->so.thousands_len == 1 && (dec_given || o->so.thousands[0] != '.') &&
        o->so.thousands[0] == (o->so.decimal == ',' ? ',' : '.')) {
      *pzErr = sqlite3_mprintf("%s: decimal and thousands are the same character '%c'", fname,
                               o->so.thousands[0]);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
  }
  if (o->schema) {
    if (o->colnames) {
      *pzErr = sqlite3_mprintf("%s: give columns or schema, not both", fname);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    ns = el_csv_schema_columns(fname, o->schema, &snames, &stypes, pzErr);
    if (ns == -2) return SQLITE_NOMEM;
    if (ns < 0) return SQLITE_ERROR;
    o->so.colnames = (const char *const *)snames;
    o->so.ncolnames = ns;
  }
  el_csv_check chk = {db, NULL};
  el_csv_sniff_opts so = o->so;
  so.xCheck = el_csv_check_fn;
  so.check_ctx = &chk;
  /* declared types need no inference: the first rows give the rest */
  if (o->schema || (flags & EL_SETUP_NO_TYPES)) so.types_first = 1;
  else if (flags & EL_SETUP_TYPES_FIRST) so.types_first = o->so.sample <= 0;
  char err[600];
  int rc = el_csv_sniff(path, &so, &st->s, err, sizeof err);
  el_csv_check_free(&chk);
  if (o->schema) { o->so.colnames = NULL; o->so.ncolnames = 0; }
  if (rc != 0) {
    el_csv_strlist_free(snames, ns);
    sqlite3_free(stypes);
    if (el_csv_is_nomem(err)) return SQLITE_NOMEM;
    /* name the file unless the message does */
    *pzErr = strstr(err, path) ? sqlite3_mprintf("%s: %s", fname, err)
                               : sqlite3_mprintf("%s: %s: %s", fname, path, err);
    if (!*pzErr) return SQLITE_NOMEM;
    return strcmp(err, "interrupted") == 0 ? SQLITE_INTERRUPT : SQLITE_ERROR;
  }
  st->types = sqlite3_malloc64(sizeof(int) * (size_t)st->s.ncols);
  if (!st->types) {
    el_csv_strlist_free(snames, ns);
    sqlite3_free(stypes);
    el_csv_sniffed_free(&st->s);
    return SQLITE_NOMEM;
  }
  for (int i = 0; i < st->s.ncols; i++)
    st->types[i] = stypes && i < ns ? stypes[i] : st->s.types[i];
  el_csv_strlist_free(snames, ns);
  sqlite3_free(stypes);
  st->s.d.strict = o->strict;
  return SQLITE_OK;
}

const char *el_csv_type_name(int t) {
  switch (t) {
    case EL_CSV_INTEGER: return "INTEGER";
    case EL_CSV_REAL:
    case EL_CSV_REAL_LOOSE: return "REAL";
    case EL_CSV_NUMERIC: return "NUMERIC";
    case EL_CSV_DATE: return "DATE";
    case EL_CSV_TIMESTAMP: return "TIMESTAMP";
    default: return "TEXT";
  }
}

void el_csv_field_value(const el_csv_opts *o, const el_csv_row *row, int col, int t,
                        el_field_val *v) {
  v->type = SQLITE_NULL;
  v->date = 0;
  if (col >= row->n) return;
  const el_csv_field *f = &row->f[col];
  const char *z = row->base + f->off;
  v->z = z;
  v->n = f->len;
  if (f->flags & EL_CSV_F_BINARY) { v->type = SQLITE_BLOB; return; }
  if (el_csv_is_null(&o->so, z, f->len, f->flags)) return;
  int64_t iv;
  double dv;
  int k;
  /* with decimal= or thousands=, numbers are read in C's form; a value
  ** that is no number under them stays the text it is */
  const char *nz = z;
  size_t nn = f->len;
  char buf[EL_CSV_NUMBUF];
  if (t != EL_CSV_TEXT && EL_CSV_NUM_LOCALE(&o->so)) {
    k = el_csv_num_form(&o->so, z, f->len, buf);
    nz = buf;
    nn = k < 0 ? 0 : (size_t)k;
  }
  switch (t) {
    case EL_CSV_INTEGER:
      if (el_csv_parse_int(nz, nn, &iv)) { v->type = SQLITE_INTEGER; v->i = iv; return; }
      break;
    case EL_CSV_REAL:
    case EL_CSV_REAL_LOOSE:
      k = el_csv_parse_real(nz, nn, &dv, NULL, NULL);
      if (k == 1 || (k == 2 && t == EL_CSV_REAL_LOOSE)) { v->type = SQLITE_FLOAT; v->d = dv; return; }
      break;
    case EL_CSV_NUMERIC:
      if (el_csv_parse_int(nz, nn, &iv)) { v->type = SQLITE_INTEGER; v->i = iv; return; }
      if (el_csv_parse_real(nz, nn, &dv, NULL, NULL)) { v->type = SQLITE_FLOAT; v->d = dv; return; }
      break;
    case EL_CSV_DATE:
    case EL_CSV_TIMESTAMP: {
      /* ISO 8601 text: the field itself when it is, else made from it */
      size_t isn;
      k = el_csv_parse_date(&o->so, z, f->len, v->iso, &isn);
      if (k == t || k == EL_CSV_DATE) {
        v->type = SQLITE_TEXT;
        v->date = 1;
        if (isn) { v->z = v->iso; v->n = isn; }
        return;
      }
      /* not a date: a number as the column's NUMERIC affinity stores it */
      if (el_csv_parse_int(nz, nn, &iv)) { v->type = SQLITE_INTEGER; v->i = iv; return; }
      if (el_csv_parse_real(nz, nn, &dv, NULL, NULL)) { v->type = SQLITE_FLOAT; v->d = dv; return; }
      break;
    }
    default:
      v->type = SQLITE_TEXT;
      return;
  }
  /* a number column: a missing-value marker is NULL, other text is kept */
  if (!el_csv_is_missing(&o->so, z, f->len)) v->type = SQLITE_TEXT;
}

static void el_result_field(sqlite3_context *ctx, const el_csv_opts *o, const el_csv_row *row,
                            int col, int t) {
  el_field_val v;
  el_csv_field_value(o, row, col, t, &v);
  switch (v.type) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, v.i); break;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, v.d); break;
    case SQLITE_TEXT: sqlite3_result_text64(ctx, v.z, v.n, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case SQLITE_BLOB: sqlite3_result_blob64(ctx, v.z, v.n, SQLITE_TRANSIENT); break;
    default: sqlite3_result_null(ctx); break;
  }
}

int el_csv_row_problem(const el_csv_row *row, int ncols, int *col, char *msg, size_t n) {
  if (row->err) {
    *col = row->err_col + 1;
    snprintf(msg, n, "%s", el_csv_errstr(row->err));
    return row->err;
  }
  if (row->nraw > ncols) {
    *col = ncols + 1;
    snprintf(msg, n, "too many fields (expected %d, got %d)", ncols, row->nraw);
    return EL_CSV_EMANY;
  }
  if (row->nraw < ncols) {
    *col = row->nraw + 1;
    snprintf(msg, n, "too few fields (expected %d, got %d)", ncols, row->nraw);
    return EL_CSV_EFEW;
  }
  return 0;
}

int el_csv_swallows_lines(el_csv_reader *r, el_csv_row *row) {
  if (row->err != EL_CSV_EQUOTE) return 0;
  el_csv_locate(r, row);
  return el_csv_line(r) > row->line;
}

/* temp.csv_rejects: one row per rejected row (and column), kept once: a
** second scan of the same file does not add it again. */
int el_csv_rejects_create(sqlite3 *db) {
  return sqlite3_exec(db,
      "CREATE TEMP TABLE IF NOT EXISTS csv_rejects(file TEXT, line INTEGER, byte_offset INTEGER,"
      " \"column\" INTEGER, error TEXT, raw_line TEXT);"
      "CREATE UNIQUE INDEX IF NOT EXISTS temp.csv_rejects_key ON csv_rejects(file, byte_offset, \"column\", error)",
      NULL, NULL, NULL);
}

static int el_rejects_prepare(sqlite3 *db, sqlite3_stmt **pst) {
  if (*pst) return SQLITE_OK;
  int rc = el_csv_rejects_create(db);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.csv_rejects VALUES(?1,?2,?3,?4,?5,?6)", -1,
                            pst, NULL);
}

int el_csv_rejects_clear(sqlite3 *db, const char *path) {
  sqlite3_stmt *st = NULL;
  int rc = el_csv_rejects_create(db);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, "DELETE FROM temp.csv_rejects WHERE file = ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
  sqlite3_finalize(st);
  return rc;
}

int el_csv_abort_prepare(sqlite3 *db, sqlite3_stmt **pabort) {
  sqlite3_stmt *st = NULL;
  int rc = el_csv_rejects_create(db);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "DELETE FROM temp.csv_rejects WHERE 0", -1, &st, NULL);
  if (rc != SQLITE_OK) return rc; /* the one before is kept: it may still serve */
  sqlite3_finalize(*pabort);
  *pabort = st;
  return SQLITE_OK;
}

void el_csv_abort_keep(sqlite3_stmt **pabort, sqlite3_stmt *st) {
  sqlite3_reset(st);
  sqlite3_finalize(*pabort);
  *pabort = st;
}

int el_csv_ddl(sqlite3 *db, const char *sql, sqlite3_stmt **pabort) {
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK && sql && *sql) {
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(db, sql, -1, &st, &sql);
    if (rc != SQLITE_OK || !st) break;
    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    el_csv_abort_keep(pabort, st);
  }
  return rc;
}

int el_csv_drop(sqlite3 *db, const char *zdb, const char *ztab, sqlite3_stmt **pabort) {
  char *sql = sqlite3_mprintf("DROP TABLE \"%w\".\"%w\"", zdb, ztab);
  if (!sql) return SQLITE_NOMEM;
  int rc = el_csv_ddl(db, sql, pabort);
  sqlite3_free(sql);
  return rc;
}

int el_csv_undo(sqlite3 *db, const char *savepoint, int own_txn, sqlite3_stmt *abort) {
  int rc = SQLITE_OK;
  if (sqlite3_get_autocommit(db)) return 0; /* SQLite rolled back already */
  if (savepoint) {
    char *sql = sqlite3_mprintf("ROLLBACK TO \"%w\"; RELEASE \"%w\"", savepoint, savepoint);
    rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
  }
  if (rc != SQLITE_INTERRUPT && own_txn) rc = sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  if (rc == SQLITE_INTERRUPT && abort && !sqlite3_get_autocommit(db)) {
    sqlite3_step(abort);
    sqlite3_reset(abort);
  }
  return (rc == SQLITE_OK || sqlite3_get_autocommit(db)) ? 0 : -1;
}

int el_csv_reject(sqlite3 *db, sqlite3_stmt **pst, const char *path, el_csv_reader *r,
                  el_csv_row *row, int col, const char *msg) {
  int rc = el_rejects_prepare(db, pst);
  if (rc != SQLITE_OK) return rc;
  el_csv_locate(r, row);
  size_t rn;
  const char *raw = el_csv_raw(r, &rn);
  sqlite3_stmt *st = *pst;
  sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, row->line);
  sqlite3_bind_int64(st, 3, row->offset);
  sqlite3_bind_int(st, 4, col);
  sqlite3_bind_text(st, 5, msg, -1, SQLITE_STATIC);
  if (row->err == EL_CSV_EUTF8 || row->err == EL_CSV_ENUL) sqlite3_bind_blob(st, 6, raw, (int)rn, SQLITE_STATIC);
  else sqlite3_bind_text(st, 6, raw, (int)rn, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The delimiter as text (1 to EL_CSV_DELIM_MAX bytes and a NUL). */
static void el_delim_text(const el_csv_dialect *d, char out[EL_CSV_DELIM_MAX + 1]) {
  size_t n = d->mdelim_len >= 2 ? (size_t)d->mdelim_len : 1;
  memcpy(out, d->mdelim_len >= 2 ? (const char *)d->mdelim : (const char *)&d->delim, n);
  out[n] = 0;
}

/* The delimiter as one integer for the stored description: its bytes, the
** first in the low 8 bits (a one-byte delimiter is its own code, as before). */
static sqlite3_int64 el_delim_code(const el_csv_dialect *d) {
  if (d->mdelim_len < 2) return d->delim;
  sqlite3_int64 v = 0;
  for (int i = d->mdelim_len - 1; i >= 0; i--) v = (v << 8) | d->mdelim[i];
  return v;
}

/* Back from el_delim_code; 0 when v is no delimiter (NUL bytes inside, a
** line break, the quote character, or more than EL_CSV_DELIM_MAX bytes). */
static int el_delim_decode(long long v, int quote, el_csv_dialect *d) {
  unsigned char b[EL_CSV_DELIM_MAX];
  int n = 0;
  if (v <= 0 || v >= (1LL << (8 * EL_CSV_DELIM_MAX))) return 0;
  for (; v; v >>= 8) {
    b[n] = (unsigned char)(v & 0xFF);
    if (!b[n] || b[n] == '\n' || b[n] == '\r' || (quote && b[n] == quote)) return 0;
    n++;
  }
  d->delim = b[0];
  d->mdelim_len = n >= 2 ? n : 0;
  if (n >= 2) memcpy(d->mdelim, b, (size_t)n);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* csv_file virtual table                                                    */

/* The table's description: what CREATE VIRTUAL TABLE detected, kept in the
** shadow table "<name>_config" (k, v) beside it. Reopening the database
** declares the table from it without opening the file (see el_csv_create). */
#define EL_CSV_CONFIG_VERSION 1

typedef struct el_csv_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  char *path;
  char *zdb, *zname; /* the table's schema and name */
  el_csv_opts o;
  el_csv_setup st;
  sqlite3_int64 file_size;
  char *broken; /* set when the description could not be read: why */
  int glob;     /* path is a pattern: many files as one table (csv_glob.c) */
  char **gnames; /* then the table's column names, filename excluded */
  int ngnames;
} el_csv_vtab;

typedef struct el_csv_cursor {
  sqlite3_vtab_cursor base;
  el_csv_reader *r;
  el_csv_row row;
  sqlite3_int64 rowid;
  sqlite3_int64 nreject;
  sqlite3_stmt *ins;
  int eof;
  el_glob_scan *g; /* over a pattern: the files */
  uint64_t used;   /* the columns the query reads (colUsed) */
} el_csv_cursor;

static void el_csv_vtab_free(el_csv_vtab *t) {
  if (!t) return;
  sqlite3_free(t->path);
  sqlite3_free(t->zdb);
  sqlite3_free(t->zname);
  sqlite3_free(t->broken);
  el_csv_opts_free(&t->o);
  el_csv_setup_free(&t->st);
  el_csv_strlist_free(t->gnames, t->ngnames);
  sqlite3_free(t->base.zErrMsg);
  sqlite3_free(t);
}

/* The arguments of CREATE VIRTUAL TABLE: the file name, then options. */
static int el_csv_vtab_new(sqlite3 *db, int argc, const char *const *argv, el_csv_vtab **pt,
                           char **pzErr) {
  int rc = SQLITE_OK;
  el_csv_vtab *t = sqlite3_malloc(sizeof *t);
  *pt = NULL;
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  el_csv_opts_init(&t->o);
  t->db = db;
  t->zdb = sqlite3_mprintf("%s", argv[1]);
  t->zname = sqlite3_mprintf("%s", argv[2]);
  if (!t->zdb || !t->zname) { rc = SQLITE_NOMEM; goto fail; }
  for (int i = 3; i < argc; i++) {
    const char *z = argv[i];
    size_t n = strlen(z);
    el_trim(&z, &n);
    const char *eq = memchr(z, '=', n);
    int quoted = n && (z[0] == '\'' || z[0] == '"');
    if (i == 3 && (quoted || !eq)) {
      t->path = el_dequote(z, n);
      if (!t->path) { rc = SQLITE_NOMEM; goto fail; }
      continue;
    }
    rc = el_opt_item(&t->o, "csv_file", z, n, pzErr);
    if (rc != SQLITE_OK) goto fail;
  }
  if (!t->path || !t->path[0]) {
    *pzErr = sqlite3_mprintf("csv_file: missing file name: CREATE VIRTUAL TABLE t USING csv_file('path' [, key=value ...])");
    rc = SQLITE_ERROR;
    goto fail;
  }
  *pt = t;
  return SQLITE_OK;
fail:
  el_csv_vtab_free(t);
  return rc;
}

/* The CREATE TABLE statement that declares the table's columns. */
static char *el_csv_declaration(el_csv_vtab *t) {
  if (t->o.schema) return sqlite3_mprintf("%s", t->o.schema);
  sqlite3_str *sql = sqlite3_str_new(t->db);
  sqlite3_str_appendall(sql, "CREATE TABLE x(");
  for (int i = 0; i < t->st.s.ncols; i++)
    sqlite3_str_appendf(sql, "%s\"%w\" %s", i ? ", " : "", t->st.s.names[i],
                        el_csv_type_name(t->st.types[i]));
  sqlite3_str_appendall(sql, ")");
  return sqlite3_str_finish(sql);
}

/* Declare the table, set its trust level, and create temp.csv_rejects so
** that a query can name it before the first scan. */
static int el_csv_declare(el_csv_vtab *t, const char *decl, char **pzErr) {
  int rc = sqlite3_declare_vtab(t->db, decl);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("csv_file: bad schema: %s", sqlite3_errmsg(t->db));
    return rc;
  }
  /* DIRECTONLY: a view or trigger, such as one in an attacker's database
  ** file, cannot read files through the table; the user's own queries, and
  ** TEMP views, can. */
  rc = sqlite3_vtab_config(t->db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) return rc;
  rc = el_csv_rejects_create(t->db);
  if (rc != SQLITE_OK)
    *pzErr = sqlite3_mprintf("csv_file: cannot create temp.csv_rejects: %s", sqlite3_errmsg(t->db));
  return rc;
}

/* xCreate: CREATE VIRTUAL TABLE, which only the user's own SQL runs. The
** file is sniffed here, once, and what was detected is stored in the
** shadow table "<name>_config".
**
** Threat model: a database file may come from someone else, and SQLite
** connects its virtual tables (xConnect) whenever a statement, a PRAGMA
** table_info or the shell's .schema touches them, before the check that
** refuses DIRECTONLY tables in views and triggers, and whatever
** trusted_schema says. So xConnect must not open the file named in a stored
** schema: it declares the table from the stored description (harmless even
** when forged), and the file is opened only by xFilter, which SQLite runs
** only for the user's own top-level queries. */
static int el_csv_create(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux;
  el_csv_vtab *t;
  sqlite3_stmt *ins = NULL;
  char *decl = NULL, *types = NULL;
  int rc = el_csv_vtab_new(db, argc, argv, &t, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (el_csv_is_pattern(t->path)) {
    /* many files as one table: the dialect is each file's own, found again
    ** by every scan; the stored one is the default's */
    t->glob = 1;
    rc = el_csv_glob_describe(db, t->path, &t->o, &decl, &t->gnames, &t->st.types, &t->ngnames,
                              &t->file_size, pzErr);
    if (rc != SQLITE_OK) goto fail;
    t->st.s.ncols = t->ngnames + 1;
    t->st.s.d.delim = ',';
    t->st.s.d.quote = '"';
  } else {
    rc = el_csv_setup_run(db, "csv_file", t->path, &t->o, &t->st, 0, pzErr);
    if (rc != SQLITE_OK) goto fail;
    struct stat sb;
    t->file_size = stat(t->path, &sb) == 0 ? (sqlite3_int64)sb.st_size : 1000000;
    decl = el_csv_declaration(t);
  }
  types = sqlite3_malloc(t->st.s.ncols + 1);
  if (!decl || !types) { rc = SQLITE_NOMEM; goto fail; }
  for (int i = 0; i < t->st.s.ncols; i++) types[i] = (char)('0' + t->st.types[i]);
  types[t->st.s.ncols] = 0;
  rc = el_csv_declare(t, decl, pzErr);
  if (rc != SQLITE_OK) goto fail;
  {
    char *sql = sqlite3_mprintf("CREATE TABLE \"%w\".\"%w_config\"(k TEXT PRIMARY KEY, v) WITHOUT ROWID",
                                t->zdb, t->zname);
    if (!sql) { rc = SQLITE_NOMEM; goto fail; }
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    if (rc == SQLITE_OK) {
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_config\" VALUES (?1, ?2)", t->zdb, t->zname);
      if (!sql) { rc = SQLITE_NOMEM; goto fail; }
      rc = sqlite3_prepare_v2(db, sql, -1, &ins, NULL);
      sqlite3_free(sql);
    }
    const el_csv_dialect *d = &t->st.s.d;
    const struct { const char *k; sqlite3_int64 i; const char *z; } kv[] = {
      {"version", EL_CSV_CONFIG_VERSION, NULL}, {"delimiter", el_delim_code(d), NULL}, {"quote", d->quote, NULL},
      {"escape", d->escape, NULL}, {"encoding", d->encoding, NULL}, {"skip", d->skip, NULL},
      {"header", t->st.s.header, NULL}, {"size", t->file_size, NULL}, {"types", 0, types},
      {"declare", 0, decl}, {"pattern", t->glob, NULL}};
    for (size_t k = 0; rc == SQLITE_OK && k < sizeof kv / sizeof kv[0]; k++) {
      rc = sqlite3_bind_text(ins, 1, kv[k].k, -1, SQLITE_STATIC);
      if (rc == SQLITE_OK)
        rc = kv[k].z ? sqlite3_bind_text(ins, 2, kv[k].z, -1, SQLITE_STATIC) : sqlite3_bind_int64(ins, 2, kv[k].i);
      if (rc == SQLITE_OK) rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
      sqlite3_reset(ins);
    }
    if (rc != SQLITE_OK) {
      if (rc != SQLITE_NOMEM)
        *pzErr = sqlite3_mprintf("csv_file: cannot store the table's description in %s_config: %s",
                                 t->zname, sqlite3_errmsg(db));
      goto fail;
    }
  }
  sqlite3_finalize(ins);
  sqlite3_free(decl);
  sqlite3_free(types);
  *ppVtab = &t->base;
  return SQLITE_OK;
fail:
  sqlite3_finalize(ins);
  sqlite3_free(decl);
  sqlite3_free(types);
  el_csv_vtab_free(t);
  return rc;
}

/* Read the stored description into t; returns SQLITE_OK, SQLITE_NOMEM, or
** SQLITE_ERROR with t->broken set. *pdecl gets the declaration. Every value
** is checked: the description may have been forged. */
static int el_csv_load_config(el_csv_vtab *t, char **pdecl) {
  sqlite3_stmt *st = NULL;
  long long v[8];
  int have = 0, rc;
  char *types = NULL;
  static const char *const keys[] = {"version", "delimiter", "quote", "escape", "encoding", "skip",
                                     "header", "size"};
  char *sql = sqlite3_mprintf("SELECT k, v FROM \"%w\".\"%w_config\"", t->zdb, t->zname);
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(t->db, sql, -1, &st, NULL);
  sqlite3_free(sql);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc != SQLITE_OK) {
    t->broken = sqlite3_mprintf("csv_file: table %s has no stored description (%s_config: %s): it was "
                                "not made by this version of CREATE VIRTUAL TABLE ... USING csv_file; "
                                "drop it and create it again", t->zname, t->zname, sqlite3_errmsg(t->db));
    return t->broken ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(st, 0);
    if (!k) continue;
    for (int i = 0; i < 8; i++)
      if (!strcmp(k, keys[i]) && sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
        v[i] = sqlite3_column_int64(st, 1);
        have |= 1 << i;
      }
    const char *z = (const char *)sqlite3_column_text(st, 1);
    if (!strcmp(k, "types") && z && !types) types = sqlite3_mprintf("%s", z);
    if (!strcmp(k, "pattern")) t->glob = sqlite3_column_int(st, 1) != 0;
    if (!strcmp(k, "declare") && z && !*pdecl) *pdecl = sqlite3_mprintf("%s", z);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) { sqlite3_free(types); return rc == SQLITE_NOMEM ? rc : SQLITE_ERROR; }
  el_csv_dialect dd;
  memset(&dd, 0, sizeof dd);
  int ok = have == 0xff && types && *pdecl && v[0] == EL_CSV_CONFIG_VERSION && v[2] >= 0 &&
           v[2] < 256 && el_delim_decode(v[1], (int)v[2], &dd) &&
           v[3] >= 0 && v[3] < 256 && v[4] >= EL_CSV_ENC_AUTO && v[4] <= EL_CSV_ENC_LATIN1 &&
           v[5] >= 0 && v[5] <= 1000000000LL && v[6] >= 0 && v[6] <= EL_CSV_HEADER_MAX && v[7] >= 0;
  int n = ok ? (int)strlen(types) : 0;
  if (n < 1 || n > EL_CSV_MAX_FIELDS) ok = 0;
  for (int i = 0; i < n && ok; i++) ok = types[i] >= '0' && types[i] <= '0' + EL_CSV_TIMESTAMP;
  if (ok) {
    t->st.types = sqlite3_malloc64(sizeof(int) * (size_t)n);
    if (!t->st.types) { sqlite3_free(types); return SQLITE_NOMEM; }
    for (int i = 0; i < n; i++) t->st.types[i] = types[i] - '0';
    el_csv_dialect *d = &t->st.s.d;
    *d = dd;
    d->quote = (unsigned char)v[2];
    d->escape = (unsigned char)v[3];
    d->encoding = (int)v[4];
    d->skip = v[5];
    d->strict = t->o.strict;
    d->max_field = t->o.so.max_field;
    t->st.s.header = (int)v[6];
    t->st.s.ncols = n;
    t->file_size = v[7];
  }
  if (ok && t->glob) {
    /* the names to match each file's columns with: the declaration's */
    char **names = NULL, *e = NULL;
    int *dt = NULL;
    int m = el_csv_schema_columns("csv_file", *pdecl, &names, &dt, &e);
    sqlite3_free(e);
    sqlite3_free(dt);
    if (m == -2) { sqlite3_free(types); return SQLITE_NOMEM; }
    if (m > 0 && m == n && sqlite3_stricmp(names[m - 1], "filename") == 0) {
      sqlite3_free(names[m - 1]);
      t->gnames = names;
      t->ngnames = m - 1;
    } else {
      el_csv_strlist_free(names, m > 0 ? m : 0);
      ok = 0;
    }
  }
  sqlite3_free(types);
  if (ok) return SQLITE_OK;
  t->broken = sqlite3_mprintf("csv_file: the stored description of table %s (%s_config) is damaged; "
                              "drop the table and create it again", t->zname, t->zname);
  return t->broken ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* xConnect: an existing table, when a database is opened or its schema
** read again. Declared from the stored description; the file is not opened
** (see el_csv_create). A table without a usable description still connects,
** with one column, so that it can be dropped; reading it is an error that
** says why. */
static int el_csv_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux;
  el_csv_vtab *t;
  char *decl = NULL;
  int rc = el_csv_vtab_new(db, argc, argv, &t, pzErr);
  if (rc != SQLITE_OK) return rc;
  rc = el_csv_load_config(t, &decl);
  if (rc == SQLITE_ERROR) {
    sqlite3_free(decl);
    decl = NULL;
    rc = el_csv_declare(t, "CREATE TABLE x(csv_file_error TEXT)", pzErr);
  } else if (rc == SQLITE_OK) {
    rc = el_csv_declare(t, decl, pzErr);
  }
  sqlite3_free(decl);
  if (rc != SQLITE_OK) {
    el_csv_vtab_free(t);
    return rc;
  }
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int el_csv_disconnect(sqlite3_vtab *tab) {
  el_csv_vtab_free((el_csv_vtab *)tab);
  return SQLITE_OK;
}

/* xDestroy: DROP TABLE drops the description too. */
static int el_csv_destroy(sqlite3_vtab *tab) {
  el_csv_vtab *t = (el_csv_vtab *)tab;
  char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w_config\"", t->zdb, t->zname);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(t->db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  el_csv_vtab_free(t);
  return SQLITE_OK;
}

/* xRename: ALTER TABLE ... RENAME TO takes the description along. */
static int el_csv_rename(sqlite3_vtab *tab, const char *zNew) {
  el_csv_vtab *t = (el_csv_vtab *)tab;
  char *sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w_config\" RENAME TO \"%w_config\"", t->zdb,
                              t->zname, zNew);
  char *name = sqlite3_mprintf("%s", zNew);
  if (!sql || !name) {
    sqlite3_free(sql);
    sqlite3_free(name);
    return SQLITE_NOMEM;
  }
  int rc = sqlite3_exec(t->db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  if (rc == SQLITE_OK) {
    sqlite3_free(t->zname);
    t->zname = name;
  } else {
    sqlite3_free(name);
  }
  return rc;
}

/* "<name>_config" is this module's shadow table. */
static int el_csv_shadow_name(const char *zSuffix) { return strcmp(zSuffix, "config") == 0; }

/* A full scan is the only plan; its cost follows the file size. */
static int el_csv_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  el_csv_vtab *t = (el_csv_vtab *)tab;
  info->estimatedCost = (double)t->file_size / 10.0 + 1000.0;
  info->estimatedRows = t->file_size / 50 + 10;
  /* over a pattern, filename = 'path' reads that file alone (idxNum 1; SQLite
  ** still checks each row, so another collation is left to it) */
  for (int i = 0; t->glob && i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &info->aConstraint[i];
    if (k->usable && k->iColumn == t->ngnames && k->op == SQLITE_INDEX_CONSTRAINT_EQ &&
        sqlite3_stricmp(sqlite3_vtab_collation(info, i), "BINARY") == 0) {
      info->aConstraintUsage[i].argvIndex = 1;
      info->idxNum = 1;
      info->estimatedCost = info->estimatedCost / 100.0 + 1000.0;
      info->estimatedRows = info->estimatedRows / 100 + 10;
      break;
    }
  }
  /* idxStr: the columns used (colUsed in hex), so xFilter copies only those */
  info->idxStr = sqlite3_mprintf("%llx", (unsigned long long)info->colUsed);
  if (!info->idxStr) return SQLITE_NOMEM;
  info->needToFreeIdxStr = 1;
  return SQLITE_OK;
}

static int el_csv_open_cursor(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  int rc = el_cursor_alloc(sizeof(el_csv_cursor), ppCur);
  if (rc == SQLITE_OK) ((el_csv_cursor *)*ppCur)->eof = 1;
  return rc;
}

static void el_csv_cursor_reset(el_csv_cursor *c, el_csv_vtab *t) {
  if (c->nreject > 0)
    sqlite3_log(SQLITE_WARNING, "csv_file: %s: %lld rows rejected (see temp.csv_rejects)",
                t->path, c->nreject);
  c->nreject = 0;
  el_csv_close(c->r);
  c->r = NULL;
  el_glob_scan_free(c->g);
  c->g = NULL;
}

static int el_csv_close_cursor(sqlite3_vtab_cursor *cur) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_cursor_reset(c, (el_csv_vtab *)cur->pVtab);
  sqlite3_finalize(c->ins);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* The file being read: the table's, or over a pattern the current one. */
static const char *el_cursor_path(const el_csv_cursor *c, const el_csv_vtab *t) {
  return c->g ? el_glob_scan_path(c->g) : t->path;
}

/* An error from the reader: SQLITE_NOMEM when out of memory. */
static int el_csv_read_error(sqlite3_vtab_cursor *cur, el_csv_vtab *t, el_csv_reader *r) {
  if (el_csv_is_nomem(el_csv_error(r))) return SQLITE_NOMEM;
  el_vtab_error(cur->pVtab, "csv_file: %s: %s", el_cursor_path((el_csv_cursor *)cur, t), el_csv_error(r));
  return SQLITE_ERROR;
}

/* Over a pattern: open the next file that has rows (c->r NULL when none is
** left). */
static int el_csv_next_file(el_csv_cursor *c, el_csv_vtab *t) {
  char *err = NULL;
  int rc = el_glob_scan_next(c->g, &t->o, t->gnames, c->used, &c->r, &err);
  if (rc != SQLITE_OK && err) el_vtab_error(&t->base, "%s", err);
  sqlite3_free(err);
  return rc;
}

static int el_csvvt_next(sqlite3_vtab_cursor *cur) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_vtab *t = (el_csv_vtab *)cur->pVtab;
  int rc = el_csv_next(c->r, &c->row);
  if (rc < 0) return el_csv_read_error(cur, t, c->r);
  while (rc == 0 && c->g) { /* over a pattern: the next file */
    int frc = el_csv_next_file(c, t);
    if (frc != SQLITE_OK) return frc;
    if (!c->r) break;
    rc = el_csv_next(c->r, &c->row);
    if (rc < 0) return el_csv_read_error(cur, t, c->r);
  }
  if (rc == 0) {
    c->eof = 1;
    el_csv_cursor_reset(c, t);
    return SQLITE_OK;
  }
  c->rowid++;
  char msg[160];
  int col;
  const char *path = el_cursor_path(c, t);
  if (el_csv_row_problem(&c->row, c->g ? el_glob_scan_ncols(c->g) : t->st.s.ncols, &col, msg, sizeof msg)) {
    if (el_csv_swallows_lines(c->r, &c->row)) {
      /* one row would hold the rest of the file: never a mere reject */
      el_vtab_error(cur->pVtab, "csv_file: %s: line %lld, column %d: unterminated quoted field: the "
                    "quote opened here is never closed, so lines %lld to %lld would be one field "
                    "(fix the quoting, or read the file with quote=none)",
                    path, c->row.line, col, c->row.line, el_csv_line(c->r));
      return SQLITE_ERROR;
    }
    if (t->o.strict) {
      el_csv_locate(c->r, &c->row);
      el_vtab_error(cur->pVtab, "csv_file: %s: line %lld, column %d: %s", path, c->row.line, col, msg);
      return SQLITE_ERROR;
    }
    c->nreject++;
    rc = el_csv_reject(t->db, &c->ins, path, c->r, &c->row, col, msg);
    if (rc != SQLITE_OK) {
      el_vtab_error(cur->pVtab, "csv_file: cannot record a rejected row: %s", sqlite3_errmsg(t->db));
      return rc;
    }
  }
  return SQLITE_OK;
}

static int el_csv_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_vtab *t = (el_csv_vtab *)cur->pVtab;
  char err[600];
  el_csv_cursor_reset(c, t);
  c->eof = 1;
  c->rowid = 0;
  if (t->broken) {
    el_vtab_error(cur->pVtab, "%s", t->broken);
    return SQLITE_ERROR;
  }
  c->used = idxStr ? (uint64_t)strtoull(idxStr, NULL, 16) : ~(uint64_t)0;
  if (t->glob) { /* many files: the first with rows */
    char *e = NULL;
    const char *only = idxNum == 1 && argc >= 1 && sqlite3_value_type(argv[0]) == SQLITE_TEXT
                           ? (const char *)sqlite3_value_text(argv[0]) : NULL;
    int rc = el_glob_scan_start(t->db, t->path, t->ngnames, only, &c->g, &e);
    if (rc != SQLITE_OK && e) el_vtab_error(cur->pVtab, "%s", e);
    sqlite3_free(e);
    if (rc == SQLITE_OK) rc = el_csv_next_file(c, t);
    if (rc != SQLITE_OK || !c->r) return rc;
    c->eof = 0;
    return el_csvvt_next(cur);
  }
  c->r = el_csv_open(t->path, &t->st.s.d, err, sizeof err);
  if (!c->r) {
    if (el_csv_is_nomem(err)) return SQLITE_NOMEM;
    el_vtab_error(cur->pVtab, "csv_file: %s", err);
    return SQLITE_ERROR;
  }
  if (idxStr) {
    unsigned long long used = strtoull(idxStr, NULL, 16);
    el_csv_set_unused(c->r, (uint64_t)~used);
  }
  /* threads=2: parse ahead on a second thread (the same rows and errors);
  ** should the thread not start, this one parses */
  if (el_csv_opts_threads(&t->o) == 2) (void)el_csv_read_ahead(c->r, err, sizeof err);
  c->eof = 0;
  for (int k = 0; k < t->st.s.header; k++) { /* the header rows */
    int rc = el_csv_next(c->r, &c->row);
    if (rc < 0) return el_csv_read_error(cur, t, c->r);
    if (rc == 0) { c->eof = 1; return SQLITE_OK; }
  }
  return el_csvvt_next(cur);
}

static int el_csv_eof(sqlite3_vtab_cursor *cur) { return ((el_csv_cursor *)cur)->eof; }

static int el_csv_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_vtab *t = (el_csv_vtab *)cur->pVtab;
  if (col < 0 || col >= t->st.s.ncols) { sqlite3_result_null(ctx); return SQLITE_OK; }
  if (t->glob) { /* the file's own column, its name, or NULL */
    if (col == t->ngnames) {
      sqlite3_result_text(ctx, c->g ? el_glob_scan_path(c->g) : NULL, -1, SQLITE_TRANSIENT);
      return SQLITE_OK;
    }
    int fc = c->g ? el_glob_scan_col(c->g, col) : -1;
    if (fc < 0) sqlite3_result_null(ctx);
    else el_result_field(ctx, &t->o, &c->row, fc, el_csv_glob_conv(t->st.types[col]));
    return SQLITE_OK;
  }
  el_result_field(ctx, &t->o, &c->row, col, t->st.types[col]);
  return SQLITE_OK;
}

static int el_csv_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_csv_cursor *)cur)->rowid;
  return SQLITE_OK;
}

static const sqlite3_module el_csv_module = {
  3,                   /* iVersion: 3 for xShadowName */
  el_csv_create,       /* xCreate: sniff the file, store the description */
  el_csv_connect,      /* xConnect: from the description, without the file */
  el_csv_best_index,   /* xBestIndex */
  el_csv_disconnect,   /* xDisconnect */
  el_csv_destroy,      /* xDestroy: drop the description too */
  el_csv_open_cursor,  /* xOpen */
  el_csv_close_cursor, /* xClose */
  el_csv_filter,       /* xFilter: the only place the file is opened */
  el_csvvt_next,       /* xNext */
  el_csv_eof,          /* xEof */
  el_csv_column,       /* xColumn */
  el_csv_rowid,        /* xRowid */
  NULL,                /* xUpdate: read-only */
  NULL, NULL, NULL, NULL, /* xBegin, xSync, xCommit, xRollback */
  NULL,                /* xFindFunction */
  el_csv_rename,       /* xRename: the description follows the table */
  NULL, NULL, NULL,    /* xSavepoint, xRelease, xRollbackTo */
  el_csv_shadow_name   /* xShadowName */
};

/* ------------------------------------------------------------------------ */
/* csv_sniff(path [, options])                                               */

static void el_json_str(sqlite3_str *s, const char *z) {
  if (!z) { sqlite3_str_appendall(s, "null"); return; }
  sqlite3_str_appendchar(s, 1, '"');
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
    switch (*p) {
      case '"': sqlite3_str_appendall(s, "\\\""); break;
      case '\\': sqlite3_str_appendall(s, "\\\\"); break;
      case '\n': sqlite3_str_appendall(s, "\\n"); break;
      case '\r': sqlite3_str_appendall(s, "\\r"); break;
      case '\t': sqlite3_str_appendall(s, "\\t"); break;
      default:
        if (*p < 0x20) sqlite3_str_appendf(s, "\\u%04x", *p);
        else sqlite3_str_appendchar(s, 1, (char)*p);
    }
  }
  sqlite3_str_appendchar(s, 1, '"');
}

static void el_json_char(sqlite3_str *s, unsigned char c) {
  char b[2] = {(char)c, 0};
  if (!c) sqlite3_str_appendall(s, "null");
  else el_json_str(s, b);
}

static const char *el_enc_name(int e) {
  return e == EL_CSV_ENC_LATIN1 ? "latin1" : "utf8";
}

int el_csv_holds_nul(sqlite3_value *v, const char *z) {
  return z && (size_t)sqlite3_value_bytes(v) != strlen(z);
}

/* Report "fname: ..." on ctx (out of memory when the message cannot be made). */
static void el_fn_error(sqlite3_context *ctx, const char *fmt, const char *fname) {
  char *m = sqlite3_mprintf(fmt, fname);
  if (m) sqlite3_result_error(ctx, m, -1);
  else sqlite3_result_error_nomem(ctx);
  sqlite3_free(m);
}

int el_csv_fn_args(sqlite3_context *ctx, const char *fname, int argc, sqlite3_value **argv,
                   int optarg, const char **path, el_csv_opts *o) {
  char *err = NULL;
  el_csv_opts_init(o);
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    el_fn_error(ctx, "%s: the file name must be text", fname);
    return 0;
  }
  *path = (const char *)sqlite3_value_text(argv[0]);
  if (!*path) { sqlite3_result_error_nomem(ctx); return 0; }
  if (!(*path)[0] || el_csv_holds_nul(argv[0], *path)) {
    el_fn_error(ctx, (*path)[0] ? "%s: the file name holds a NUL byte" : "%s: empty file name", fname);
    return 0;
  }
  if (argc > optarg && sqlite3_value_type(argv[optarg]) != SQLITE_NULL) {
    const char *s = (const char *)sqlite3_value_text(argv[optarg]);
    if (!s) { sqlite3_result_error_nomem(ctx); return 0; }
    if (el_csv_holds_nul(argv[optarg], s)) {
      el_fn_error(ctx, "%s: the options hold a NUL byte", fname);
      return 0;
    }
    int rc = el_opt_string(o, fname, s, &err);
    if (rc != SQLITE_OK) {
      if (rc == SQLITE_NOMEM || !err) sqlite3_result_error_nomem(ctx);
      else sqlite3_result_error(ctx, el_utf8_sanitize(err), -1);
      sqlite3_free(err);
      el_csv_opts_free(o);
      return 0;
    }
  }
  return 1;
}

/* A table name from the file name: letters, digits and '_'. */
static char *el_table_name(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strlen(b);
  if (n > 3 && !sqlite3_stricmp(b + n - 3, ".gz")) n -= 3; /* t.csv.gz -> t */
  size_t dot = n;
  while (dot > 0 && b[dot - 1] != '.') dot--;
  if (dot > 1) n = dot - 1;
  char *z = sqlite3_malloc64(n + 2);
  if (!z) return NULL;
  size_t k = 0;
  if (n == 0 || isdigit((unsigned char)b[0])) z[k++] = 't';
  for (size_t i = 0; i < n; i++) z[k++] = isalnum((unsigned char)b[i]) ? b[i] : '_';
  z[k] = 0;
  return z;
}

/* el_csv_setup_run for a scalar function: on failure, report the error on
** ctx, free the options and return 0. */
static int el_setup_fn(sqlite3_context *ctx, const char *fname, const char *path, el_csv_opts *o,
                       el_csv_setup *st) {
  char *err = NULL;
  int rc = el_csv_setup_run(sqlite3_context_db_handle(ctx), fname, path, o, st, 0, &err);
  if (rc == SQLITE_OK) return 1;
  if (rc == SQLITE_NOMEM || !err) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_error(ctx, el_utf8_sanitize(err), -1);
  if (rc == SQLITE_INTERRUPT) sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
  sqlite3_free(err);
  el_csv_opts_free(o);
  return 0;
}

static void el_csv_sniff_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *path;
  el_csv_opts o;
  el_csv_setup st;
  if (!el_csv_fn_args(ctx, "csv_sniff", argc, argv, 1, &path, &o)) return;
  if (!el_setup_fn(ctx, "csv_sniff", path, &o, &st)) return;
  const el_csv_sniffed *s = &st.s;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_str *j = sqlite3_str_new(db);
  sqlite3_str_appendall(j, "{\"file\":");
  el_json_str(j, path);
  char dtext[EL_CSV_DELIM_MAX + 1];
  el_delim_text(&s->d, dtext);
  sqlite3_str_appendall(j, ",\"delimiter\":");
  el_json_str(j, dtext);
  sqlite3_str_appendall(j, ",\"quote\":");
  el_json_char(j, s->d.quote);
  sqlite3_str_appendall(j, ",\"escape\":");
  el_json_char(j, s->d.escape);
  /* what the input layer found: compression, and UTF-16 transcoded to UTF-8 */
  el_csv_input_info in;
  char ierr[8];
  if (el_csv_input_probe(path, &in, ierr, sizeof ierr) != 0) memset(&in, 0, sizeof in);
  const char *u16 = el_csv_utf16_name(in.utf16);
  sqlite3_str_appendf(j, ",\"header\":%s,\"header_rows\":%d,\"skip\":%lld,\"encoding\":\"%s\",\"bom\":%s",
                      s->header ? "true" : "false", s->header, s->d.skip, u16 ? u16 : el_enc_name(s->encoding),
                      s->bom ? "true" : "false");
  sqlite3_str_appendf(j, ",\"compression\":\"%s\"", el_csv_compression_name(in.compression));
  sqlite3_str_appendall(j, ",\"columns\":[");
  for (int i = 0; i < s->ncols; i++) {
    sqlite3_str_appendall(j, i ? ",{\"name\":" : "{\"name\":");
    el_json_str(j, s->names[i]);
    sqlite3_str_appendf(j, ",\"type\":\"%s\"}", el_csv_type_name(st.types[i]));
  }
  sqlite3_str_appendf(j, "],\"rows_sampled\":%lld,\"rejects_sampled\":%lld,\"sample\":[",
                      s->rows_sampled, s->rejects_sampled);
  for (int r = 0; r < s->nsample; r++) {
    sqlite3_str_appendall(j, r ? ",[" : "[");
    for (int i = 0; i < s->ncols; i++) {
      if (i) sqlite3_str_appendchar(j, 1, ',');
      el_json_str(j, s->sample[r][i]);
    }
    sqlite3_str_appendchar(j, 1, ']');
  }
  /* what a careful reader must know before importing */
  int oom = 0, nw = 0;
  sqlite3_str_appendall(j, "],\"warnings\":[");
  if (s->unterminated_line > 0) {
    nw++;
    char *w = sqlite3_mprintf("line %lld, column %d: unterminated quoted field: the quote opened "
                              "here is never closed, so lines %lld to %lld would be one field",
                              s->unterminated_line, s->unterminated_col, s->unterminated_line, s->lines);
    if (w) el_json_str(j, w);
    else oom = 1;
    sqlite3_free(w);
  }
  /* number columns that a decimal comma would make: suggested, never applied */
  for (int i = 0; i < s->ncols && !oom; i++) {
    if (!s->comma || !s->comma[i] || st.types[i] != EL_CSV_TEXT) continue;
    const char *th = (s->comma[i] & 2) ? "; thousands='.'" : (s->comma[i] & 4) ? "; thousands=' '" : "";
    char *w = sqlite3_mprintf("column %d (%s) is TEXT, but every value is a number with the options "
                              "decimal=','%s: give them to read it as numbers", i + 1, s->names[i], th);
    if (nw++) sqlite3_str_appendchar(j, 1, ',');
    if (w) el_json_str(j, w);
    else oom = 1;
    sqlite3_free(w);
  }
  /* a statement that pins what was detected */
  char *tname = el_table_name(path);
  sqlite3_str *q = sqlite3_str_new(db);
  sqlite3_str_appendf(q, "CREATE VIRTUAL TABLE \"%w\" USING csv_file('%q'", tname ? tname : "", path);
  if (s->d.delim == '\t') sqlite3_str_appendall(q, ", delimiter='\\t'");
  else sqlite3_str_appendf(q, ", delimiter='%q'", dtext);
  if (s->d.quote != '"') {
    if (s->d.quote) sqlite3_str_appendf(q, ", quote='%q'", (char[]){(char)s->d.quote, 0});
    else sqlite3_str_appendall(q, ", quote=none");
  }
  if (s->d.escape) sqlite3_str_appendf(q, ", escape='%q'", (char[]){(char)s->d.escape, 0});
  if (s->header >= 2) sqlite3_str_appendf(q, ", header=%d, skip=%lld", s->header, s->d.skip);
  else sqlite3_str_appendf(q, ", header=%s, skip=%lld", s->header ? "yes" : "no", s->d.skip);
  if (s->encoding != EL_CSV_ENC_AUTO && !u16)
    sqlite3_str_appendf(q, ", encoding=%s", el_enc_name(s->encoding));
  sqlite3_str_appendall(q, ")");
  int qerr = sqlite3_str_errcode(q) != SQLITE_OK || !tname || oom;
  sqlite3_free(tname);
  char *qs = sqlite3_str_finish(q);
  sqlite3_str_appendall(j, "],\"sql\":");
  el_json_str(j, qs);
  sqlite3_free(qs);
  sqlite3_str_appendall(j, "}");
  el_csv_setup_free(&st);
  el_csv_opts_free(&o);
  if (qerr || !qs || sqlite3_str_errcode(j)) {
    /* every allocation failure is an error, never a partial answer */
    sqlite3_free(sqlite3_str_finish(j));
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int n = sqlite3_str_length(j);
  sqlite3_result_text(ctx, sqlite3_str_finish(j), n, sqlite3_free);
  sqlite3_result_subtype(ctx, 'J');
}

/* ------------------------------------------------------------------------ */
/* Registration                                                              */

int el_csv_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"csv_sniff", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, el_csv_sniff_fn},
    {"csv_sniff", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, el_csv_sniff_fn},
    {"csv_import", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, el_csv_import_fn},
    {"csv_import", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, el_csv_import_fn},
    {NULL, 0, 0, NULL}
  };
  int rc = el_register_functions(db, fns, pzErr);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_create_module_v2(db, "csv_file", &el_csv_module, NULL, NULL);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("exportlens: cannot register module csv_file: %s", sqlite3_errstr(rc));
    return rc;
  }
  return el_lines_register(db, pzErr);
}
