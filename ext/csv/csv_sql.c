/*
** SQL adapters for CSV import: the csv_file virtual table, csv_sniff() and
** csv_import(). They parse options, run the core sniffer and reader
** (el_csvsniff.c, el_csvreader.c) and hand rows to SQLite. Everything here
** reads files, so the module and both functions are DIRECTONLY.
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

#include "../common/el_sqlite.h"

#include "csvimport.h"
#include "el_csvreader.h"

/* Rows per INSERT statement step in csv_import (fewer when the columns
** times this exceed SQLite's parameter limit). */
#define EL_IMPORT_BATCH 64

/* Internal column type for a `schema` column of NUMERIC affinity. */
#define EL_CSV_NUMERIC 4

static void *el_sq_realloc(void *p, size_t n) {
  return sqlite3_realloc64(p, (sqlite3_uint64)n);
}
static void el_sq_free(void *p) { sqlite3_free(p); }

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

static const char *const el_csv_keys[] = {
  "header", "delimiter", "quote", "escape", "skip", "types", "null", "columns",
  "schema", "encoding", "strict", "sample", "max_field_size", NULL
};

typedef struct el_csv_opts {
  el_csv_sniff_opts so;
  int strict;
  char *schema;
  char **nulls;
  int nnull;
  char **colnames;
  int ncolnames;
  unsigned seen; /* a bit per el_csv_keys entry */
} el_csv_opts;

static void el_opts_init(el_csv_opts *o) {
  memset(o, 0, sizeof *o);
  o->so.delim = -1;
  o->so.quote = -1;
  o->so.escape = -1;
  o->so.header = -1;
  o->so.skip = -1;
  o->so.encoding = EL_CSV_ENC_AUTO;
  o->so.sample = EL_CSV_SAMPLE_DEFAULT;
  o->so.null_empty = 1;
  o->so.xrealloc = el_sq_realloc;
  o->so.xfree = el_sq_free;
}

static void el_strlist_free(char **v, int n) {
  for (int i = 0; i < n; i++) sqlite3_free(v[i]);
  sqlite3_free(v);
}

static void el_opts_free(el_csv_opts *o) {
  sqlite3_free(o->schema);
  el_strlist_free(o->nulls, o->nnull);
  el_strlist_free(o->colnames, o->ncolnames);
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

/* Split a comma-separated list (items may be "quoted"); empty items kept. */
static int el_split_list(const char *v, char ***out, int *nout) {
  int cap = 8, n = 0;
  char **a = sqlite3_malloc64(sizeof(char *) * (size_t)cap);
  if (!a) return SQLITE_NOMEM;
  const char *p = v;
  for (;;) {
    const char *s = p;
    char q = 0;
    while (*p && (q || *p != ',')) {
      if (!q && (*p == '"' || *p == '\'')) q = *p;
      else if (q && *p == q) q = 0;
      p++;
    }
    const char *z = s;
    size_t len = (size_t)(p - s);
    el_trim(&z, &len);
    if (n == cap) {
      cap *= 2;
      char **na = sqlite3_realloc64(a, sizeof(char *) * (size_t)cap);
      if (!na) { el_strlist_free(a, n); return SQLITE_NOMEM; }
      a = na;
    }
    if ((a[n] = el_dequote(z, len)) == NULL) { el_strlist_free(a, n); return SQLITE_NOMEM; }
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
  if (!el_csv_keys[k]) {
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
    else if ((ok = el_bool(v, &b))) o->so.header = b;
  } else if (!strcmp(name, "delimiter")) {
    if (!sqlite3_stricmp(v, "auto")) o->so.delim = -1;
    else if ((ok = el_char_opt(v, 0, &c))) o->so.delim = c;
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
  } else if (!strcmp(name, "max_field_size")) {
    if ((ok = el_int_opt(v, 1, 256LL * 1024 * 1024, &x))) o->so.max_field = (size_t)x;
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
    char q = 0;
    while (*p && (q || *p != ';')) {
      if (!q && (*p == '"' || *p == '\'')) q = *p;
      else if (q && *p == q) q = 0;
      p++;
    }
    int rc = el_opt_item(o, fname, start, (size_t)(p - start), pzErr);
    if (rc != SQLITE_OK) return rc;
    if (*p) p++;
  }
  return SQLITE_OK;
}

/* ------------------------------------------------------------------------ */
/* schema= : column names and affinities of a CREATE TABLE statement         */

static int el_affinity(const char *t, size_t n) {
  char buf[128];
  if (n >= sizeof buf) n = sizeof buf - 1;
  for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)t[i]);
  buf[n] = 0;
  if (strstr(buf, "INT")) return EL_CSV_NUMERIC; /* INTEGER affinity converts like NUMERIC */
  if (strstr(buf, "CHAR") || strstr(buf, "CLOB") || strstr(buf, "TEXT")) return EL_CSV_TEXT;
  if (n == 0 || strstr(buf, "BLOB")) return EL_CSV_TEXT;
  if (strstr(buf, "REAL") || strstr(buf, "FLOA") || strstr(buf, "DOUB")) return EL_CSV_REAL_LOOSE;
  return EL_CSV_NUMERIC;
}

/* Fill names/types from the statement; returns the column count or -1. */
static int el_schema_columns(const char *sql, char ***pnames, int **ptypes, char **pzErr) {
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
      types[n] = el_affinity(t, te);
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
  el_strlist_free(names, n);
  sqlite3_free(types);
  *pzErr = sqlite3_mprintf("out of memory");
  return -1;
bad:
  el_strlist_free(names, n);
  sqlite3_free(types);
  *pzErr = sqlite3_mprintf("csv_file: cannot read the columns of schema '%s'", sql);
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Setup shared by csv_file, csv_sniff and csv_import                         */

typedef struct el_csv_setup {
  el_csv_sniffed s;
  int *types; /* sqlite3_malloc'd: final types (schema affinities or sniffed) */
} el_csv_setup;

static void el_setup_free(el_csv_setup *st) {
  el_csv_sniffed_free(&st->s);
  sqlite3_free(st->types);
  st->types = NULL;
}

static int el_setup(const char *fname, const char *path, el_csv_opts *o, el_csv_setup *st,
                    char **pzErr) {
  char **snames = NULL;
  int *stypes = NULL, ns = 0;
  memset(st, 0, sizeof *st);
  if (o->schema) {
    if (o->colnames) {
      *pzErr = sqlite3_mprintf("%s: give columns or schema, not both", fname);
      return SQLITE_ERROR;
    }
    ns = el_schema_columns(o->schema, &snames, &stypes, pzErr);
    if (ns < 0) return SQLITE_ERROR;
    o->so.colnames = (const char *const *)snames;
    o->so.ncolnames = ns;
  }
  char err[600];
  int rc = el_csv_sniff(path, &o->so, &st->s, err, sizeof err);
  if (o->schema) { o->so.colnames = NULL; o->so.ncolnames = 0; }
  if (rc != 0) {
    el_strlist_free(snames, ns);
    sqlite3_free(stypes);
    *pzErr = sqlite3_mprintf("%s: %s", fname, err);
    return SQLITE_ERROR;
  }
  st->types = sqlite3_malloc64(sizeof(int) * (size_t)st->s.ncols);
  if (!st->types) {
    el_strlist_free(snames, ns);
    sqlite3_free(stypes);
    el_csv_sniffed_free(&st->s);
    return SQLITE_NOMEM;
  }
  for (int i = 0; i < st->s.ncols; i++)
    st->types[i] = stypes && i < ns ? stypes[i] : st->s.types[i];
  el_strlist_free(snames, ns);
  sqlite3_free(stypes);
  st->s.d.strict = o->strict;
  st->s.d.xrealloc = el_sq_realloc;
  st->s.d.xfree = el_sq_free;
  return SQLITE_OK;
}

static const char *el_type_name(int t) {
  switch (t) {
    case EL_CSV_INTEGER: return "INTEGER";
    case EL_CSV_REAL:
    case EL_CSV_REAL_LOOSE: return "REAL";
    case EL_CSV_NUMERIC: return "NUMERIC";
    default: return "TEXT";
  }
}

/* The value of field col of a row under type t, decoded once for both the
** virtual table (a result) and csv_import (a bound parameter). Text and
** blob values point into the row and are valid until the next read. */
typedef struct el_field_val {
  int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_BLOB */
  sqlite3_int64 i;
  double d;
  const char *z;
  size_t n;
} el_field_val;

static void el_field_value(const el_csv_opts *o, const el_csv_row *row, int col, int t,
                           el_field_val *v) {
  v->type = SQLITE_NULL;
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
  switch (t) {
    case EL_CSV_INTEGER:
      if (el_csv_parse_int(z, f->len, &iv)) { v->type = SQLITE_INTEGER; v->i = iv; return; }
      break;
    case EL_CSV_REAL:
    case EL_CSV_REAL_LOOSE:
      k = el_csv_parse_real(z, f->len, &dv, NULL, NULL);
      if (k == 1 || (k == 2 && t == EL_CSV_REAL_LOOSE)) { v->type = SQLITE_FLOAT; v->d = dv; return; }
      break;
    case EL_CSV_NUMERIC:
      if (el_csv_parse_int(z, f->len, &iv)) { v->type = SQLITE_INTEGER; v->i = iv; return; }
      if (el_csv_parse_real(z, f->len, &dv, NULL, NULL)) { v->type = SQLITE_FLOAT; v->d = dv; return; }
      break;
    default: break;
  }
  v->type = SQLITE_TEXT;
}

static void el_result_field(sqlite3_context *ctx, const el_csv_opts *o, const el_csv_row *row,
                            int col, int t) {
  el_field_val v;
  el_field_value(o, row, col, t, &v);
  switch (v.type) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, v.i); break;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, v.d); break;
    case SQLITE_TEXT: sqlite3_result_text64(ctx, v.z, v.n, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case SQLITE_BLOB: sqlite3_result_blob64(ctx, v.z, v.n, SQLITE_TRANSIENT); break;
    default: sqlite3_result_null(ctx); break;
  }
}

/* csv_import's batch: the values of up to `rows` rows, their text and
** blob bytes copied into one buffer (each read reuses the row's memory), so
** that they can be bound without a copy per value. */
typedef struct el_import_batch {
  el_field_val *v; /* rows * ncols; text and blobs: .i is the offset in buf */
  char *buf;
  size_t n, cap;
} el_import_batch;

static int el_batch_init(el_import_batch *b, int slots) {
  memset(b, 0, sizeof *b);
  b->v = sqlite3_malloc64(sizeof(el_field_val) * (size_t)(slots > 0 ? slots : 1));
  b->cap = 4096;
  b->buf = sqlite3_malloc64(b->cap);
  return b->v && b->buf ? SQLITE_OK : SQLITE_NOMEM;
}

static void el_batch_free(el_import_batch *b) {
  sqlite3_free(b->v);
  sqlite3_free(b->buf);
  memset(b, 0, sizeof *b);
}

/* Decode field col of row into slot. */
static int el_batch_add(el_import_batch *b, int slot, const el_csv_opts *o, const el_csv_row *row,
                        int col, int t) {
  el_field_val *v = &b->v[slot];
  el_field_value(o, row, col, t, v);
  if (v->type != SQLITE_TEXT && v->type != SQLITE_BLOB) return SQLITE_OK;
  if (b->n + v->n > b->cap) {
    size_t cap = b->cap * 2;
    while (cap < b->n + v->n) cap *= 2;
    char *nb = sqlite3_realloc64(b->buf, cap);
    if (!nb) return SQLITE_NOMEM;
    b->buf = nb;
    b->cap = cap;
  }
  memcpy(b->buf + b->n, v->z, v->n);
  v->i = (sqlite3_int64)b->n;
  b->n += v->n;
  return SQLITE_OK;
}

/* Bind the first nslots values to parameters 1..nslots (static: the buffer
** stays put until the statement has run and el_batch_clear). */
static int el_batch_bind(sqlite3_stmt *st, const el_import_batch *b, int nslots) {
  int rc = SQLITE_OK;
  for (int k = 0; k < nslots && rc == SQLITE_OK; k++) {
    const el_field_val *v = &b->v[k];
    switch (v->type) {
      case SQLITE_INTEGER: rc = sqlite3_bind_int64(st, k + 1, v->i); break;
      case SQLITE_FLOAT: rc = sqlite3_bind_double(st, k + 1, v->d); break;
      case SQLITE_TEXT:
        rc = sqlite3_bind_text64(st, k + 1, b->buf + v->i, v->n, SQLITE_STATIC, SQLITE_UTF8);
        break;
      case SQLITE_BLOB: rc = sqlite3_bind_blob64(st, k + 1, b->buf + v->i, v->n, SQLITE_STATIC); break;
      default: rc = sqlite3_bind_null(st, k + 1); break;
    }
  }
  return rc;
}

/* A row's first problem: 0 if none; else the EL_CSV_E* code, *col 1-based. */
static int el_row_problem(const el_csv_row *row, int ncols, int *col, char *msg, size_t n) {
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

/* temp.csv_rejects */
/* temp.csv_rejects: one row per rejected row (and column), kept once: a
** second scan of the same file does not add it again. */
static int el_rejects_create(sqlite3 *db) {
  return sqlite3_exec(db,
      "CREATE TEMP TABLE IF NOT EXISTS csv_rejects(file TEXT, line INTEGER, byte_offset INTEGER,"
      " \"column\" INTEGER, error TEXT, raw_line TEXT);"
      "CREATE UNIQUE INDEX IF NOT EXISTS temp.csv_rejects_key ON csv_rejects(file, byte_offset, \"column\", error)",
      NULL, NULL, NULL);
}

static int el_rejects_prepare(sqlite3 *db, sqlite3_stmt **pst) {
  if (*pst) return SQLITE_OK;
  int rc = el_rejects_create(db);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.csv_rejects VALUES(?1,?2,?3,?4,?5,?6)", -1,
                            pst, NULL);
}

static int el_rejects_clear(sqlite3 *db, const char *path) {
  sqlite3_stmt *st = NULL;
  int rc = el_rejects_create(db);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, "DELETE FROM temp.csv_rejects WHERE file = ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
  sqlite3_finalize(st);
  return rc;
}

static int el_reject(sqlite3 *db, sqlite3_stmt **pst, const char *path, el_csv_reader *r,
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

/* ------------------------------------------------------------------------ */
/* csv_file virtual table                                                    */

typedef struct el_csv_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  char *path;
  el_csv_opts o;
  el_csv_setup st;
  sqlite3_int64 file_size;
} el_csv_vtab;

typedef struct el_csv_cursor {
  sqlite3_vtab_cursor base;
  el_csv_reader *r;
  el_csv_row row;
  sqlite3_int64 rowid;
  sqlite3_int64 nreject;
  sqlite3_stmt *ins;
  int eof;
} el_csv_cursor;

static void el_csv_vtab_free(el_csv_vtab *t) {
  if (!t) return;
  sqlite3_free(t->path);
  el_opts_free(&t->o);
  el_setup_free(&t->st);
  sqlite3_free(t->base.zErrMsg);
  sqlite3_free(t);
}

static int el_csv_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux;
  int rc = SQLITE_OK;
  el_csv_vtab *t = sqlite3_malloc(sizeof *t);
  sqlite3_str *sql = NULL;
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  el_opts_init(&t->o);
  t->db = db;
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
  rc = el_setup("csv_file", t->path, &t->o, &t->st, pzErr);
  if (rc != SQLITE_OK) goto fail;
  {
    struct stat sb;
    t->file_size = stat(t->path, &sb) == 0 ? (sqlite3_int64)sb.st_size : 1000000;
  }
  if (t->o.schema) {
    rc = sqlite3_declare_vtab(db, t->o.schema);
    if (rc != SQLITE_OK) {
      *pzErr = sqlite3_mprintf("csv_file: bad schema: %s", sqlite3_errmsg(db));
      goto fail;
    }
  } else {
    sql = sqlite3_str_new(db);
    sqlite3_str_appendall(sql, "CREATE TABLE x(");
    for (int i = 0; i < t->st.s.ncols; i++)
      sqlite3_str_appendf(sql, "%s\"%w\" %s", i ? ", " : "", t->st.s.names[i],
                          el_type_name(t->st.types[i]));
    sqlite3_str_appendall(sql, ")");
    char *z = sqlite3_str_finish(sql);
    sql = NULL;
    if (!z) { rc = SQLITE_NOMEM; goto fail; }
    rc = sqlite3_declare_vtab(db, z);
    if (rc != SQLITE_OK) *pzErr = sqlite3_mprintf("csv_file: %s", sqlite3_errmsg(db));
    sqlite3_free(z);
    if (rc != SQLITE_OK) goto fail;
  }
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) goto fail;
  /* the rejects table exists as soon as the table does, so that a query
  ** can name it before the first scan */
  rc = el_rejects_create(db);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("csv_file: cannot create temp.csv_rejects: %s", sqlite3_errmsg(db));
    goto fail;
  }
  *ppVtab = &t->base;
  return SQLITE_OK;
fail:
  el_csv_vtab_free(t);
  return rc;
}

static int el_csv_disconnect(sqlite3_vtab *tab) {
  el_csv_vtab_free((el_csv_vtab *)tab);
  return SQLITE_OK;
}

/* A full scan is the only plan; its cost follows the file size. */
static int el_csv_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  el_csv_vtab *t = (el_csv_vtab *)tab;
  info->estimatedCost = (double)t->file_size / 10.0 + 1000.0;
  info->estimatedRows = t->file_size / 50 + 10;
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
}

static int el_csv_close_cursor(sqlite3_vtab_cursor *cur) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_cursor_reset(c, (el_csv_vtab *)cur->pVtab);
  sqlite3_finalize(c->ins);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int el_csvvt_next(sqlite3_vtab_cursor *cur) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_vtab *t = (el_csv_vtab *)cur->pVtab;
  int rc = el_csv_next(c->r, &c->row);
  if (rc < 0) {
    el_vtab_error(cur->pVtab, "csv_file: %s: %s", t->path, el_csv_error(c->r));
    return SQLITE_ERROR;
  }
  if (rc == 0) {
    c->eof = 1;
    el_csv_cursor_reset(c, t);
    return SQLITE_OK;
  }
  c->rowid++;
  char msg[160];
  int col;
  if (el_row_problem(&c->row, t->st.s.ncols, &col, msg, sizeof msg)) {
    if (t->o.strict) {
      el_csv_locate(c->r, &c->row);
      el_vtab_error(cur->pVtab, "csv_file: %s: line %lld, column %d: %s", t->path, c->row.line,
                    col, msg);
      return SQLITE_ERROR;
    }
    c->nreject++;
    rc = el_reject(t->db, &c->ins, t->path, c->r, &c->row, col, msg);
    if (rc != SQLITE_OK) {
      el_vtab_error(cur->pVtab, "csv_file: cannot record a rejected row: %s", sqlite3_errmsg(t->db));
      return rc;
    }
  }
  return SQLITE_OK;
}

static int el_csv_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  (void)idxNum; (void)argc; (void)argv;
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_vtab *t = (el_csv_vtab *)cur->pVtab;
  char err[600];
  el_csv_cursor_reset(c, t);
  c->eof = 1;
  c->rowid = 0;
  c->r = el_csv_open(t->path, &t->st.s.d, err, sizeof err);
  if (!c->r) {
    el_vtab_error(cur->pVtab, "csv_file: %s", err);
    return SQLITE_ERROR;
  }
  if (idxStr) {
    unsigned long long used = strtoull(idxStr, NULL, 16);
    el_csv_set_unused(c->r, (uint64_t)~used);
  }
  c->eof = 0;
  if (t->st.s.header) {
    int rc = el_csv_next(c->r, &c->row);
    if (rc < 0) {
      el_vtab_error(cur->pVtab, "csv_file: %s: %s", t->path, el_csv_error(c->r));
      return SQLITE_ERROR;
    }
    if (rc == 0) { c->eof = 1; return SQLITE_OK; }
  }
  return el_csvvt_next(cur);
}

static int el_csv_eof(sqlite3_vtab_cursor *cur) { return ((el_csv_cursor *)cur)->eof; }

static int el_csv_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_csv_cursor *c = (el_csv_cursor *)cur;
  el_csv_vtab *t = (el_csv_vtab *)cur->pVtab;
  if (col < 0 || col >= t->st.s.ncols) { sqlite3_result_null(ctx); return SQLITE_OK; }
  el_result_field(ctx, &t->o, &c->row, col, t->st.types[col]);
  return SQLITE_OK;
}

static int el_csv_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_csv_cursor *)cur)->rowid;
  return SQLITE_OK;
}

static const sqlite3_module el_csv_module = {
  0,                   /* iVersion */
  el_csv_connect,      /* xCreate: the same as xConnect (the file is the storage) */
  el_csv_connect,      /* xConnect */
  el_csv_best_index,   /* xBestIndex */
  el_csv_disconnect,   /* xDisconnect */
  el_csv_disconnect,   /* xDestroy */
  el_csv_open_cursor,  /* xOpen */
  el_csv_close_cursor, /* xClose */
  el_csv_filter,       /* xFilter */
  el_csvvt_next,       /* xNext */
  el_csv_eof,          /* xEof */
  el_csv_column,       /* xColumn */
  el_csv_rowid,        /* xRowid */
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
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

/* A text argument with a NUL byte inside: C would see only its first part
** (a path "a.csv\0.txt" would open a.csv), so it is refused. Call after
** sqlite3_value_text(). */
static int el_holds_nul(sqlite3_value *v, const char *z) {
  return z && (size_t)sqlite3_value_bytes(v) != strlen(z);
}

/* Arguments 0 (path) and optional 1 (options) as text, parsed into o. */
static int el_fn_args(sqlite3_context *ctx, const char *fname, int argc, sqlite3_value **argv,
                      int optarg, const char **path, el_csv_opts *o) {
  char *err = NULL;
  el_opts_init(o);
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    char *m = sqlite3_mprintf("%s: the file name must be text", fname);
    sqlite3_result_error(ctx, m ? m : "out of memory", -1);
    sqlite3_free(m);
    return 0;
  }
  *path = (const char *)sqlite3_value_text(argv[0]);
  if (!*path || !(*path)[0] || el_holds_nul(argv[0], *path)) {
    char *m = sqlite3_mprintf(*path && (*path)[0] ? "%s: the file name holds a NUL byte" : "%s: empty file name",
                              fname);
    sqlite3_result_error(ctx, m ? m : "out of memory", -1);
    sqlite3_free(m);
    return 0;
  }
  if (argc > optarg && sqlite3_value_type(argv[optarg]) != SQLITE_NULL) {
    const char *s = (const char *)sqlite3_value_text(argv[optarg]);
    if (!s) { sqlite3_result_error_nomem(ctx); return 0; }
    if (el_holds_nul(argv[optarg], s)) {
      char *m = sqlite3_mprintf("%s: the options hold a NUL byte", fname);
      sqlite3_result_error(ctx, m ? m : "out of memory", -1);
      sqlite3_free(m);
      return 0;
    }
    int rc = el_opt_string(o, fname, s, &err);
    if (rc != SQLITE_OK) {
      if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
      else sqlite3_result_error(ctx, err ? el_utf8_sanitize(err) : "error", -1);
      sqlite3_free(err);
      el_opts_free(o);
      return 0;
    }
  }
  return 1;
}

/* A table name from the file name: letters, digits and '_'. */
static char *el_table_name(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *dot = strrchr(b, '.');
  size_t n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
  char *z = sqlite3_malloc64(n + 2);
  if (!z) return NULL;
  size_t k = 0;
  if (n == 0 || isdigit((unsigned char)b[0])) z[k++] = 't';
  for (size_t i = 0; i < n; i++) z[k++] = isalnum((unsigned char)b[i]) ? b[i] : '_';
  z[k] = 0;
  return z;
}

/* el_setup for a scalar function: on failure, report the error on ctx, free
** the options and return 0. */
static int el_setup_fn(sqlite3_context *ctx, const char *fname, const char *path, el_csv_opts *o,
                       el_csv_setup *st) {
  char *err = NULL;
  int rc = el_setup(fname, path, o, st, &err);
  if (rc == SQLITE_OK) return 1;
  if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_error(ctx, err ? el_utf8_sanitize(err) : "error", -1);
  sqlite3_free(err);
  el_opts_free(o);
  return 0;
}

static void el_csv_sniff_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *path;
  el_csv_opts o;
  el_csv_setup st;
  if (!el_fn_args(ctx, "csv_sniff", argc, argv, 1, &path, &o)) return;
  if (!el_setup_fn(ctx, "csv_sniff", path, &o, &st)) return;
  const el_csv_sniffed *s = &st.s;
  sqlite3_str *j = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  sqlite3_str_appendall(j, "{\"file\":");
  el_json_str(j, path);
  sqlite3_str_appendall(j, ",\"delimiter\":");
  el_json_char(j, s->d.delim);
  sqlite3_str_appendall(j, ",\"quote\":");
  el_json_char(j, s->d.quote);
  sqlite3_str_appendall(j, ",\"escape\":");
  el_json_char(j, s->d.escape);
  sqlite3_str_appendf(j, ",\"header\":%s,\"skip\":%lld,\"encoding\":\"%s\",\"bom\":%s",
                      s->header ? "true" : "false", s->d.skip, el_enc_name(s->encoding),
                      s->bom ? "true" : "false");
  sqlite3_str_appendall(j, ",\"columns\":[");
  for (int i = 0; i < s->ncols; i++) {
    sqlite3_str_appendall(j, i ? ",{\"name\":" : "{\"name\":");
    el_json_str(j, s->names[i]);
    sqlite3_str_appendf(j, ",\"type\":\"%s\"}", el_type_name(st.types[i]));
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
  /* a statement that pins what was detected */
  char *tname = el_table_name(path);
  sqlite3_str *q = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  sqlite3_str_appendf(q, "CREATE VIRTUAL TABLE \"%w\" USING csv_file('%q'", tname ? tname : "t", path);
  if (s->d.delim == '\t') sqlite3_str_appendall(q, ", delimiter='\\t'");
  else sqlite3_str_appendf(q, ", delimiter='%q'", (char[]){(char)s->d.delim, 0});
  if (s->d.quote != '"') {
    if (s->d.quote) sqlite3_str_appendf(q, ", quote='%q'", (char[]){(char)s->d.quote, 0});
    else sqlite3_str_appendall(q, ", quote=none");
  }
  if (s->d.escape) sqlite3_str_appendf(q, ", escape='%q'", (char[]){(char)s->d.escape, 0});
  sqlite3_str_appendf(q, ", header=%s, skip=%lld", s->header ? "yes" : "no", s->d.skip);
  if (s->encoding != EL_CSV_ENC_AUTO) sqlite3_str_appendf(q, ", encoding=%s", el_enc_name(s->encoding));
  sqlite3_str_appendall(q, ")");
  sqlite3_free(tname);
  char *qs = sqlite3_str_finish(q);
  sqlite3_str_appendall(j, "],\"sql\":");
  el_json_str(j, qs);
  sqlite3_free(qs);
  sqlite3_str_appendall(j, "}");
  el_setup_free(&st);
  el_opts_free(&o);
  if (sqlite3_str_errcode(j)) {
    sqlite3_free(sqlite3_str_finish(j));
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int n = sqlite3_str_length(j);
  sqlite3_result_text(ctx, sqlite3_str_finish(j), n, sqlite3_free);
  sqlite3_result_subtype(ctx, 'J');
}

/* ------------------------------------------------------------------------ */
/* csv_import(path, table [, options])                                       */

/* Columns of an existing table: count, or 0 when it does not exist, or -1. */
static int el_table_columns(sqlite3 *db, const char *table, char ***pnames) {
  sqlite3_stmt *st = NULL;
  int n = 0, cap = 0;
  char **names = NULL;
  if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1)", -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **nn = sqlite3_realloc64(names, sizeof(char *) * (size_t)cap);
      if (!nn) { rc = SQLITE_NOMEM; break; }
      names = nn;
    }
    names[n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    if (!names[n]) { rc = SQLITE_NOMEM; break; }
    n++;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) { el_strlist_free(names, n); return -1; }
  *pnames = names;
  return n;
}

/* INSERT INTO table SELECT column1, ... FROM (VALUES (?, ..., 1), (?, ..., 2),
** ...) WHERE columnN+1 <= ?last: nrows rows of ncols parameters, of which
** the first ?last are inserted (so a short last batch needs no other
** statement). Parameter r*ncols+i+1 is row r's column i. */
static int el_insert_prepare(sqlite3 *db, const char *table, int ncols, int nrows,
                             sqlite3_stmt **pst) {
  sqlite3_str *q = sqlite3_str_new(db);
  sqlite3_str_appendf(q, "INSERT INTO \"%w\" SELECT ", table);
  for (int i = 0; i < ncols; i++) sqlite3_str_appendf(q, "%scolumn%d", i ? "," : "", i + 1);
  sqlite3_str_appendall(q, " FROM (VALUES");
  for (int r = 0; r < nrows; r++) {
    sqlite3_str_appendall(q, r ? ",(" : "(");
    for (int i = 0; i < ncols; i++) sqlite3_str_appendf(q, "?%d,", r * ncols + i + 1);
    sqlite3_str_appendf(q, "%d)", r + 1);
  }
  sqlite3_str_appendf(q, ") WHERE column%d <= ?%d", ncols + 1, nrows * ncols + 1);
  char *sql = sqlite3_str_finish(q);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, pst, NULL);
  sqlite3_free(sql);
  return rc;
}

/* Run a bound INSERT of the first n rows (parameter last) and reset it. */
static int el_insert_step(sqlite3_stmt *st, int last, int n) {
  int rc = sqlite3_bind_int(st, last, n);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  int rc2 = sqlite3_reset(st);
  if (rc != SQLITE_DONE) return rc2 != SQLITE_OK ? rc2 : rc;
  return SQLITE_OK;
}

/* csv_import(path, table [, options]): sniff, create the table (or check
** the existing one has the same columns), then read the file with the core
** reader into a batched prepared INSERT, all inside a savepoint (a transaction
** when none is open) that is rolled back on any error. */
static void el_csv_import_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *path, *table;
  el_csv_opts o;
  el_csv_setup st;
  char *err = NULL;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  char **tnames = NULL;
  int ntnames = 0, in_sp = 0, rc;
  sqlite3_int64 nrows = 0, nrej = 0;
  sqlite3_stmt *ins = NULL, *rej = NULL;
  el_csv_reader *rd = NULL;
  int batch = 1;
  el_import_batch bv;
  memset(&bv, 0, sizeof bv);

  if (!el_fn_args(ctx, "csv_import", argc, argv, 2, &path, &o)) return;
  table = (const char *)sqlite3_value_text(argv[1]);
  if (sqlite3_value_type(argv[1]) != SQLITE_TEXT || !table || !table[0] || el_holds_nul(argv[1], table)) {
    sqlite3_result_error(ctx, "csv_import: the table name must be non-empty text without NUL bytes", -1);
    el_opts_free(&o);
    return;
  }
  if (!el_setup_fn(ctx, "csv_import", path, &o, &st)) return;
  const el_csv_sniffed *s = &st.s;
  int ncols = s->ncols;

  rc = sqlite3_exec(db, "SAVEPOINT el_csv_import", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    /* SQLite refuses a savepoint while a statement that writes is running */
    if (strstr(sqlite3_errmsg(db), "in progress"))
      err = sqlite3_mprintf("csv_import: cannot import while another statement is writing (%s); "
                            "call csv_import in a SELECT of its own", sqlite3_errmsg(db));
    else
      err = sqlite3_mprintf("csv_import: %s", sqlite3_errmsg(db));
    goto fail;
  }
  in_sp = 1;
  ntnames = el_table_columns(db, table, &tnames);
  if (ntnames < 0) { err = sqlite3_mprintf("csv_import: %s", sqlite3_errmsg(db)); goto fail; }
  if (ntnames == 0) {
    char *create;
    if (o.schema) {
      create = sqlite3_mprintf("%s", o.schema);
    } else {
      sqlite3_str *q = sqlite3_str_new(db);
      sqlite3_str_appendf(q, "CREATE TABLE \"%w\"(", table);
      for (int i = 0; i < ncols; i++)
        sqlite3_str_appendf(q, "%s\"%w\" %s", i ? ", " : "", s->names[i], el_type_name(st.types[i]));
      sqlite3_str_appendall(q, ")");
      create = sqlite3_str_finish(q);
    }
    if (!create) { rc = SQLITE_NOMEM; goto fail; }
    rc = sqlite3_exec(db, create, NULL, NULL, NULL);
    sqlite3_free(create);
    if (rc != SQLITE_OK) { err = sqlite3_mprintf("csv_import: cannot create table %s: %s", table, sqlite3_errmsg(db)); goto fail; }
    ntnames = el_table_columns(db, table, &tnames);
    if (ntnames <= 0) { err = sqlite3_mprintf("csv_import: the schema does not create table %s", table); goto fail; }
  }
  if (ntnames != ncols) {
    err = sqlite3_mprintf("csv_import: table %s has %d columns but %s has %d", table, ntnames, path, ncols);
    goto fail;
  }
  if (s->header && !o.schema && !o.colnames) {
    for (int i = 0; i < ncols; i++) {
      if (sqlite3_stricmp(tnames[i], s->names[i]) != 0) {
        err = sqlite3_mprintf("csv_import: column %d of table %s is \"%s\" but the file has \"%s\"",
                              i + 1, table, tnames[i], s->names[i]);
        goto fail;
      }
    }
  }
  if (el_rejects_clear(db, path) != SQLITE_OK) {
    err = sqlite3_mprintf("csv_import: cannot clear temp.csv_rejects: %s", sqlite3_errmsg(db));
    goto fail;
  }
  /* the rows: the core reader straight into a prepared INSERT of up to
  ** `batch` rows at a time (one statement step per row costs about half
  ** the import time). No temporary table: creating and dropping one
  ** changes the schema, which aborts any other statement in progress on
  ** the connection (the caller's own SELECT reading another table). */
  {
    int maxvar = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    batch = ncols > 0 ? (maxvar - 1) / ncols : 1;
    if (batch > EL_IMPORT_BATCH) batch = EL_IMPORT_BATCH;
    if (batch < 1) batch = 1;
  }
  rc = el_insert_prepare(db, table, ncols, batch, &ins);
  if (rc != SQLITE_OK) { err = sqlite3_mprintf("csv_import: %s", sqlite3_errmsg(db)); goto fail; }
  rc = el_batch_init(&bv, batch * ncols);
  if (rc != SQLITE_OK) goto fail;
  {
    char rerr[600], msg[160];
    rd = el_csv_open(path, &s->d, rerr, sizeof rerr);
    if (!rd) { err = sqlite3_mprintf("csv_import: %s", rerr); goto fail; }
    el_csv_row row;
    memset(&row, 0, sizeof row);
    int first = s->header, inbatch = 0;
    for (;;) {
      int k = el_csv_next(rd, &row);
      if (k < 0) { err = sqlite3_mprintf("csv_import: %s: %s", path, el_csv_error(rd)); goto fail; }
      if (k == 0) break;
      if (first) { first = 0; continue; } /* the header row */
      int col;
      if (el_row_problem(&row, ncols, &col, msg, sizeof msg)) {
        if (o.strict) {
          el_csv_locate(rd, &row);
          err = sqlite3_mprintf("csv_import: %s: line %lld, column %d: %s", path, row.line, col, msg);
          goto fail;
        }
        nrej++;
        rc = el_reject(db, &rej, path, rd, &row, col, msg);
        if (rc != SQLITE_OK) {
          err = sqlite3_mprintf("csv_import: cannot record a rejected row: %s", sqlite3_errmsg(db));
          goto fail;
        }
      }
      for (int i = 0; i < ncols && rc == SQLITE_OK; i++)
        rc = el_batch_add(&bv, inbatch * ncols + i, &o, &row, i, st.types[i]);
      if (rc != SQLITE_OK) goto fail;
      inbatch++;
      if (inbatch == batch) {
        rc = el_batch_bind(ins, &bv, inbatch * ncols);
        if (rc == SQLITE_OK) rc = el_insert_step(ins, batch * ncols + 1, inbatch);
        bv.n = 0;
        if (rc != SQLITE_OK) {
          el_csv_locate(rd, &row); /* located only now: it rescans the reader's chunk */
          err = sqlite3_mprintf("csv_import: %s: in the %d rows ending at line %lld: %s", path, inbatch,
                                row.line, sqlite3_errmsg(db));
          goto fail;
        }
        nrows += inbatch;
        inbatch = 0;
      }
    }
    if (inbatch > 0) {
      /* the rest: the same statement, told how many rows it holds */
      rc = el_batch_bind(ins, &bv, inbatch * ncols);
      if (rc == SQLITE_OK) rc = el_insert_step(ins, batch * ncols + 1, inbatch);
      if (rc != SQLITE_OK) {
        el_csv_locate(rd, &row);
        err = sqlite3_mprintf("csv_import: %s: in the %d rows ending at line %lld: %s", path, inbatch,
                              row.line, sqlite3_errmsg(db));
        goto fail;
      }
      nrows += inbatch;
    }
  }
  rc = sqlite3_exec(db, "RELEASE el_csv_import", NULL, NULL, NULL);
  if (rc != SQLITE_OK) { err = sqlite3_mprintf("csv_import: %s", sqlite3_errmsg(db)); goto fail; }
  in_sp = 0;
  if (nrej > 0)
    sqlite3_log(SQLITE_WARNING, "csv_import: %s: %lld rows rejected (see temp.csv_rejects)", path, nrej);
  sqlite3_result_int64(ctx, nrows);
  goto done;

fail:
  if (in_sp) {
    sqlite3_exec(db, "ROLLBACK TO el_csv_import", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE el_csv_import", NULL, NULL, NULL);
  }
  if (err) sqlite3_result_error(ctx, el_utf8_sanitize(err), -1);
  else if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_error(ctx, "csv_import: failed", -1);
  sqlite3_free(err);
done:
  el_batch_free(&bv);
  sqlite3_finalize(ins);
  sqlite3_finalize(rej);
  el_csv_close(rd);
  el_strlist_free(tnames, ntnames);
  el_setup_free(&st);
  el_opts_free(&o);
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
  return SQLITE_OK;
}
