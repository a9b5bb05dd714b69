/*
** csv_import(path, table [, options]): read a CSV file into a real table.
**
** The steps, and why:
**   1. The target is parsed as [schema.]table (either part may be quoted)
**      and found as SQLite finds a table: temp, main, then attached
**      databases; a new table goes to the named schema, or main.
**   2. The file is sniffed before any lock is taken (it may be long).
**   3. The write lock is taken first: BEGIN IMMEDIATE when no transaction is
**      open, so that SQLite's busy handler (busy_timeout) applies; inside the
**      caller's transaction, a savepoint (SQLite cannot wait for a lock a
**      read transaction would have to upgrade: the caller begins with BEGIN
**      IMMEDIATE for that).
**   4. mode=create makes the table and refuses an existing one; replace drops
**      and makes it again; append adds rows, matching columns by name.
**   5. Rows go in through a prepared multi-row INSERT.
**
** Types. A new table's types come from the whole file, so that no value is
** ever read under a type that a later value contradicts. To keep to one
** pass over the file, the table is made with the types of the first rows,
** the rest of the file is checked while it is imported (el_csv_stat_*), and
** in the rare case where a later value changes a type, the import is rolled
** back to its savepoint and run again with the whole file's types: the
** result is always that of a sniff of the whole file. Where the types are
** given (an existing table, schema=, or an explicit sample=N), a value whose
** text SQLite would change ("00123" in an INTEGER column) is never stored:
** strict mode stops, otherwise the value is NULL and the row a reject.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_sql.h"

/* Rows per INSERT statement step (fewer when the columns times this exceed
** SQLite's parameter limit). */
#define EL_IMPORT_BATCH 64
/* Rows between checks that the first rows' types still hold. */
#define EL_IMPORT_TYPE_CHECK 65536
/* Bytes between interrupt checks while only reading (no INSERT runs). */
#define EL_IMPORT_CHECK_BYTES (1024 * 1024)
/* Names listed in an error message about columns. */
#define EL_IMPORT_LIST_NAMES 8

/* ------------------------------------------------------------------------ */
/* The target: [schema.]table                                                */

/* One identifier at z: "..." or `...` (the quote doubled inside), [...], or
** bare up to a '.' or the end. Sets *end; NULL when out of memory. */
static char *el_ident(sqlite3 *db, const char *z, const char **end, int *bad) {
  char q = *z == '"' || *z == '`' ? *z : *z == '[' ? ']' : 0;
  if (!q) {
    const char *e = strchr(z, '.');
    size_t n = e ? (size_t)(e - z) : strlen(z);
    *end = z + n;
    return sqlite3_mprintf("%.*s", (int)n, z);
  }
  sqlite3_str *s = sqlite3_str_new(db);
  const char *p = z + 1;
  for (;;) {
    if (!*p) { *bad = 1; break; }
    if (*p == q) {
      if (q != ']' && p[1] == q) { sqlite3_str_appendchar(s, 1, q); p += 2; continue; }
      p++;
      break;
    }
    sqlite3_str_appendchar(s, 1, *p++);
  }
  *end = p;
  if (sqlite3_str_errcode(s) == SQLITE_NOMEM) {
    sqlite3_free(sqlite3_str_finish(s));
    return NULL;
  }
  char *r = sqlite3_str_finish(s);
  return r ? r : sqlite3_mprintf("");
}

/* Split the table argument into *pschema (NULL when not given) and *ptable.
** Returns SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR with *perr set. */
int el_parse_target(sqlite3 *db, const char *z, char **pschema, char **ptable, char **perr) {
  const char *end;
  int bad = 0;
  *pschema = *ptable = NULL;
  char *a = el_ident(db, z, &end, &bad), *b = NULL;
  if (!a) return SQLITE_NOMEM;
  if (!bad && *end == '.') {
    b = el_ident(db, end + 1, &end, &bad);
    if (!b) { sqlite3_free(a); return SQLITE_NOMEM; }
  }
  if (bad || *end || !a[0] || (b && !b[0])) {
    sqlite3_free(a);
    sqlite3_free(b);
    *perr = sqlite3_mprintf("csv_import: cannot read the table name '%s': write table or schema.table, "
                            "and quote a name that holds a dot (\"a.b\")", z);
    return *perr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (b) { *pschema = a; *ptable = b; }
  else *ptable = a;
  return SQLITE_OK;
}

/* Does schema.table exist (a table or view)? 1, 0, or -1 on error. */
int el_table_exists(sqlite3 *db, const char *schema, const char *table) {
  sqlite3_stmt *st = NULL;
  char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\".sqlite_master WHERE type IN ('table', 'view') "
                              "AND name = ?1 COLLATE NOCASE", schema);
  if (!sql) return -1;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return -1;
  sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The target's schema: the one named (as the database list spells it), or
** the first of temp, main and the attached databases that holds the table,
** or main. *pdb is sqlite3_malloc'd. */
int el_resolve_schema(sqlite3 *db, const char *given, const char *table, char **pdb,
                      char **perr) {
  sqlite3_stmt *st = NULL;
  *pdb = NULL;
  if (given && sqlite3_stricmp(given, "temp") == 0) {
    /* listed only once something has used it, but always there */
    *pdb = sqlite3_mprintf("temp");
    return *pdb ? SQLITE_OK : SQLITE_NOMEM;
  }
  int rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_database_list ORDER BY seq = 1 DESC, seq",
                              -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && !*pdb) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    if (!name) { rc = SQLITE_NOMEM; break; }
    int hit;
    if (given) hit = sqlite3_stricmp(name, given) == 0;
    else if ((hit = el_table_exists(db, name, table)) < 0) { rc = sqlite3_errcode(db); break; }
    if (hit && !(*pdb = sqlite3_mprintf("%s", name))) { rc = SQLITE_NOMEM; break; }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sqlite3_free(*pdb);
    *pdb = NULL;
    return rc == SQLITE_NOMEM ? rc : SQLITE_ERROR;
  }
  if (*pdb) return SQLITE_OK;
  if (given) {
    *perr = sqlite3_mprintf("csv_import: no database named '%s' (ATTACH it first; to name a table that "
                            "holds a dot, quote it: '\"%s.%s\"')", given, given, table);
    return *perr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  *pdb = sqlite3_mprintf("main");
  return *pdb ? SQLITE_OK : SQLITE_NOMEM;
}

/* Columns of schema.table: count (0 when it does not exist), or -1. Names
** and declared types are sqlite3_malloc'd lists. */
int el_table_columns(sqlite3 *db, const char *schema, const char *table, char ***pnames,
                     char ***pdecls) {
  sqlite3_stmt *st = NULL;
  int n = 0, cap = 0, rc;
  char **names = NULL, **decls = NULL;
  *pnames = *pdecls = NULL;
  if (sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, schema, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **nn = sqlite3_realloc64(names, sizeof(char *) * (size_t)cap);
      if (nn) names = nn;
      char **nd = sqlite3_realloc64(decls, sizeof(char *) * (size_t)cap);
      if (nd) decls = nd;
      if (!nn || !nd) { rc = SQLITE_NOMEM; break; }
    }
    names[n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    decls[n] = sqlite3_mprintf("%s", sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
    n++;
    if (!names[n - 1] || !decls[n - 1]) { rc = SQLITE_NOMEM; break; }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    el_csv_strlist_free(names, n);
    el_csv_strlist_free(decls, n);
    return -1;
  }
  *pnames = names;
  *pdecls = decls;
  return n;
}

/* ------------------------------------------------------------------------ */
/* Batches of rows                                                           */

/* The values of up to `rows` rows, their text and blob bytes copied into
** one buffer (each read reuses the row's memory), so that they can be bound
** without a copy per value. */
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

/* Copy the text or blob of slot's value into the buffer. */
static int el_batch_keep(el_import_batch *b, el_field_val *v) {
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
** stays put until the statement has run). */
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

/* ------------------------------------------------------------------------ */
/* The import                                                                */

typedef struct el_import {
  sqlite3 *db;
  const char *path;
  el_csv_opts *o;
  el_csv_setup *st;
  char *zdb, *ztab;  /* the target, resolved */
  int ncols;         /* the file's columns */
  int created;       /* the table was made by this import (from the file's types) */
  char **tnames, **tdecls; /* the table's columns */
  int ntcols;
  int *map;          /* file column i -> table column */
  int *conv;         /* file column i is read as this type (EL_CSV_*) */
  sqlite3_stmt *ins, *ins1, *rej;
  sqlite3_stmt *abort; /* see el_csv_undo */
  int batch;
  el_import_batch bv;
  long long nrows, nrej;
  char *err;
} el_import;

static void el_import_stmts_free(el_import *im) {
  sqlite3_finalize(im->ins);
  sqlite3_finalize(im->ins1);
  sqlite3_finalize(im->rej);
  im->ins = im->ins1 = im->rej = NULL;
}

static void el_import_target_free(el_import *im) {
  el_import_stmts_free(im);
  el_csv_strlist_free(im->tnames, im->ntcols);
  el_csv_strlist_free(im->tdecls, im->ntcols);
  im->tnames = im->tdecls = NULL;
  im->ntcols = 0;
  sqlite3_free(im->map);
  sqlite3_free(im->conv);
  im->map = im->conv = NULL;
  el_batch_free(&im->bv);
}

/* Set im->err (printf-style); SQLITE_NOMEM when that fails, else SQLITE_ERROR. */
static int el_import_fail(el_import *im, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_free(im->err);
  im->err = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return im->err ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* A failed SQLite call: the message fmt, ": ", SQLite's; returns SQLite's
** code (an interrupt stays an interrupt), or SQLITE_NOMEM. */
static int el_import_dbfail(el_import *im, const char *fmt, ...) {
  int code = sqlite3_errcode(im->db);
  char *db_msg = sqlite3_mprintf("%s", sqlite3_errmsg(im->db));
  va_list ap;
  va_start(ap, fmt);
  char *what = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  int rc = db_msg && what ? el_import_fail(im, "%s: %s", what, db_msg) : SQLITE_NOMEM;
  sqlite3_free(db_msg);
  sqlite3_free(what);
  if (rc == SQLITE_NOMEM) return rc;
  return code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE ? SQLITE_ERROR : code;
}

/* The error so far, then " (note)"; returns rc, or SQLITE_NOMEM. */
static int el_import_note(el_import *im, int rc, const char *note) {
  char *e = sqlite3_mprintf("%s (%s)", im->err ? im->err : sqlite3_errstr(rc), note);
  sqlite3_free(im->err);
  im->err = e;
  return e ? rc : SQLITE_NOMEM;
}

/* "a, b, c, ..." for error messages. */
static char *el_name_list(char *const *names, int n) {
  if (n <= 0) return sqlite3_mprintf("");
  sqlite3_str *s = sqlite3_str_new(NULL);
  for (int i = 0; i < n && i < EL_IMPORT_LIST_NAMES; i++) sqlite3_str_appendf(s, "%s%s", i ? ", " : "", names[i]);
  if (n > EL_IMPORT_LIST_NAMES) sqlite3_str_appendf(s, ", ... (%d in all)", n);
  return sqlite3_str_finish(s);
}

/* Make the table: from schema= (its column list and constraints, under the
** target's name) or from the file's names and types. */
static int el_import_create(el_import *im, const int *types) {
  sqlite3_str *q = sqlite3_str_new(im->db);
  sqlite3_str_appendf(q, "CREATE TABLE \"%w\".\"%w\"", im->zdb, im->ztab);
  if (im->o->schema) {
    sqlite3_str_appendall(q, strchr(im->o->schema, '('));
  } else {
    const el_csv_sniffed *s = &im->st->s;
    for (int i = 0; i < im->ncols; i++)
      sqlite3_str_appendf(q, "%s\"%w\" %s", i ? ", " : "(", s->names[i], el_csv_type_name(types[i]));
    sqlite3_str_appendall(q, ")");
  }
  char *sql = sqlite3_str_finish(q);
  if (!sql) return SQLITE_NOMEM;
  sqlite3_stmt *st = NULL;
  const char *tail = NULL;
  int rc = sqlite3_prepare_v2(im->db, sql, -1, &st, &tail);
  if (rc == SQLITE_OK && tail) {
    while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';') tail++;
    if (*tail) {
      sqlite3_finalize(st);
      sqlite3_free(sql);
      return el_import_fail(im, "csv_import: schema must be one CREATE TABLE statement");
    }
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(im->db);
    el_csv_abort_keep(&im->abort, st);
  }
  sqlite3_free(sql);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc != SQLITE_OK)
    return el_import_fail(im, "csv_import: cannot create table %s.%s: %s", im->zdb, im->ztab,
                          sqlite3_errmsg(im->db));
  im->created = 1;
  return SQLITE_OK;
}

/* Compare the file's columns with those of the existing table; for create,
** say why the table is refused. */
static int el_import_refuse_existing(el_import *im) {
  const el_csv_sniffed *s = &im->st->s;
  int same = im->ntcols == im->ncols;
  for (int i = 0; i < im->ncols && same; i++) same = sqlite3_stricmp(im->tnames[i], s->names[i]) == 0;
  if (same)
    return el_import_fail(im, "csv_import: table %s.%s already exists; mode=append adds the rows to "
                          "it, mode=replace replaces it", im->zdb, im->ztab);
  char *a = el_name_list(im->tnames, im->ntcols), *b = el_name_list(s->names, im->ncols);
  int rc = a && b ? el_import_fail(im, "csv_import: table %s.%s already exists, with other columns (%s) "
                                   "than %s (%s); mode=replace replaces it", im->zdb, im->ztab, a,
                                   im->path, b)
                  : SQLITE_NOMEM;
  sqlite3_free(a);
  sqlite3_free(b);
  return rc;
}

/* File column -> table column: by position for a table made here (or a file
** without names), by name otherwise. */
static int el_import_map(el_import *im) {
  const el_csv_sniffed *s = &im->st->s;
  im->map = sqlite3_malloc64(sizeof(int) * (size_t)im->ncols);
  im->conv = sqlite3_malloc64(sizeof(int) * (size_t)im->ncols);
  if (!im->map || !im->conv) return SQLITE_NOMEM;
  int by_name = !im->created && (s->header || im->o->colnames);
  if (!by_name && im->ntcols != im->ncols)
    return el_import_fail(im, "csv_import: table %s.%s has %d columns but %s has %d%s", im->zdb, im->ztab,
                          im->ntcols, im->path, im->ncols,
                          im->created ? "" : " (without a header, columns are matched by position)");
  for (int i = 0; i < im->ncols; i++) {
    int j = i;
    if (by_name) {
      for (j = 0; j < im->ntcols; j++)
        if (sqlite3_stricmp(im->tnames[j], s->names[i]) == 0) break;
      if (j == im->ntcols) {
        char *a = el_name_list(im->tnames, im->ntcols);
        int rc = a ? el_import_fail(im, "csv_import: table %s.%s has no column \"%s\" (its columns: %s); "
                                    "mode=replace replaces the table", im->zdb, im->ztab, s->names[i], a)
                   : SQLITE_NOMEM;
        sqlite3_free(a);
        return rc;
      }
    }
    im->map[i] = j;
    /* a table made from the file reads its own types; otherwise the declared
    ** type's affinity decides */
    im->conv[i] = im->created && !im->o->schema
                      ? im->st->types[i]
                      : el_csv_affinity(im->tdecls[j], strlen(im->tdecls[j]));
    /* with types from a sample, a REAL column takes "2.50" as 2.5, as a
    ** declared REAL column does (trailing zeros of a fraction are format) */
    if (im->conv[i] == EL_CSV_REAL && im->o->so.sample > 0) im->conv[i] = EL_CSV_REAL_LOOSE;
  }
  return SQLITE_OK;
}

/* INSERT INTO schema.table(columns) VALUES (...), ... with nrows rows. */
static int el_import_prepare(el_import *im, int nrows, sqlite3_stmt **pst) {
  sqlite3_str *q = sqlite3_str_new(im->db);
  sqlite3_str_appendf(q, "INSERT INTO \"%w\".\"%w\"(", im->zdb, im->ztab);
  for (int i = 0; i < im->ncols; i++)
    sqlite3_str_appendf(q, "%s\"%w\"", i ? "," : "", im->tnames[im->map[i]]);
  sqlite3_str_appendall(q, ") VALUES ");
  for (int r = 0; r < nrows; r++) {
    sqlite3_str_appendall(q, r ? ",(" : "(");
    for (int i = 0; i < im->ncols; i++) sqlite3_str_appendall(q, i ? ",?" : "?");
    sqlite3_str_appendchar(q, 1, ')');
  }
  char *sql = sqlite3_str_finish(q);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(im->db, sql, -1, pst, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM)
    rc = el_import_dbfail(im, "csv_import");
  return rc;
}

/* Make the table ready: drop it (replace), make it (create, replace, or
** append to a table that does not exist), or check it (append); map the
** columns and prepare the INSERT statements. types: the file's types. */
static int el_import_target(el_import *im, const int *types) {
  int rc;
  int exists = el_table_exists(im->db, im->zdb, im->ztab);
  if (exists < 0) return el_import_dbfail(im, "csv_import");
  im->created = 0;
  if (exists && im->o->mode == EL_MODE_REPLACE) {
    rc = el_csv_drop(im->db, im->zdb, im->ztab, &im->abort);
    if (rc == SQLITE_NOMEM) return rc;
    if (rc != SQLITE_OK)
      return el_import_dbfail(im, "csv_import: cannot replace %s.%s", im->zdb, im->ztab);
    exists = 0;
  }
  if (exists && im->o->mode == EL_MODE_CREATE) {
    im->ntcols = el_table_columns(im->db, im->zdb, im->ztab, &im->tnames, &im->tdecls);
    if (im->ntcols < 0) { im->ntcols = 0; return el_import_dbfail(im, "csv_import"); }
    return el_import_refuse_existing(im);
  }
  if (!exists && (rc = el_import_create(im, types)) != SQLITE_OK) return rc;
  im->ntcols = el_table_columns(im->db, im->zdb, im->ztab, &im->tnames, &im->tdecls);
  if (im->ntcols < 0) { im->ntcols = 0; return el_import_dbfail(im, "csv_import"); }
  if (im->ntcols == 0)
    return el_import_fail(im, "csv_import: %s.%s has no columns that can be filled", im->zdb, im->ztab);
  if ((rc = el_import_map(im)) != SQLITE_OK) return rc;
  int maxvar = sqlite3_limit(im->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
  im->batch = im->ncols > 0 ? maxvar / im->ncols : 1;
  if (im->batch > EL_IMPORT_BATCH) im->batch = EL_IMPORT_BATCH;
  if (im->batch < 1) im->batch = 1;
  if ((rc = el_import_prepare(im, im->batch, &im->ins)) != SQLITE_OK) return rc;
  if ((rc = el_import_prepare(im, 1, &im->ins1)) != SQLITE_OK) return rc;
  if ((rc = el_batch_init(&im->bv, im->batch * im->ncols)) != SQLITE_OK) return rc;
  if (el_csv_rejects_clear(im->db, im->path) != SQLITE_OK)
    return el_import_dbfail(im, "csv_import: cannot clear temp.csv_rejects");
  return SQLITE_OK;
}

/* Insert the n rows of the batch (the batch statement when full, else the
** one-row statement n times). */
static int el_import_flush(el_import *im, el_csv_reader *rd, el_csv_row *row, int n) {
  int rc = SQLITE_OK;
  if (n == im->batch) {
    rc = el_batch_bind(im->ins, &im->bv, n * im->ncols);
    if (rc == SQLITE_OK) rc = sqlite3_step(im->ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(im->db);
    sqlite3_reset(im->ins);
  } else {
    for (int r = 0; r < n && rc == SQLITE_OK; r++) {
      el_import_batch one = im->bv;
      one.v = im->bv.v + (size_t)r * (size_t)im->ncols;
      rc = el_batch_bind(im->ins1, &one, im->ncols);
      if (rc == SQLITE_OK) rc = sqlite3_step(im->ins1) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(im->db);
      sqlite3_reset(im->ins1);
    }
  }
  im->bv.n = 0;
  if (rc == SQLITE_OK) {
    im->nrows += n;
    return SQLITE_OK;
  }
  if (rc == SQLITE_NOMEM) return rc;
  el_csv_locate(rd, row); /* located only now: it rescans the reader's chunk */
  int frc = el_import_fail(im, "csv_import: %s: in the %d rows ending at line %lld: %s", im->path, n,
                           row->line, sqlite3_errmsg(im->db));
  return frc == SQLITE_ERROR && (rc == SQLITE_INTERRUPT || rc == SQLITE_BUSY) ? rc : frc;
}

/* A value that SQLite's column affinity would change: strict mode stops;
** otherwise the row is a reject and the value NULL. */
static int el_import_misfit(el_import *im, el_csv_reader *rd, el_csv_row *row, int i, el_field_val *v) {
  const char *col = im->tnames[im->map[i]], *decl = im->created && !im->o->schema
                                                        ? el_csv_type_name(im->conv[i])
                                                        : im->tdecls[im->map[i]];
  el_csv_locate(rd, row);
  if (im->o->strict)
    return el_import_fail(im, "csv_import: %s: line %lld, column %d: value \"%.*s\" does not fit column "
                          "\"%s\" %s: SQLite would store it changed (nothing was imported)", im->path,
                          row->line, i + 1, (int)(v->n > 40 ? 40 : v->n), v->z, col, decl);
  char *msg = sqlite3_mprintf("value does not fit column \"%s\" %s (SQLite would change it): stored as NULL",
                              col, decl);
  if (!msg) return SQLITE_NOMEM;
  im->nrej++;
  int rc = el_csv_reject(im->db, &im->rej, im->path, rd, row, i + 1, msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK)
    return el_import_dbfail(im, "csv_import: cannot record a rejected row");
  v->type = SQLITE_NULL;
  return SQLITE_OK;
}

/* Count fields from..ncols-1 of a data row in the statistics. */
static void el_stats_add(const el_import *im, el_csv_colstat *stats, const el_csv_row *row, int from) {
  int n = row->n < im->ncols ? row->n : im->ncols;
  for (int i = from; i < n; i++)
    if (!el_csv_stat_settled(&stats[i]))
      el_csv_stat_field(&stats[i], &im->o->so, row->base + row->f[i].off, row->f[i].len, (int)row->f[i].flags);
}

/* el_csv_field_value and el_csv_stat_field in one: the field is parsed once
** for both (the same answers as the two). */
static void el_value_counted(const el_import *im, el_csv_colstat *st, const el_csv_row *row, int col,
                             el_field_val *v) {
  const el_csv_field *f = &row->f[col];
  const char *z = row->base + f->off;
  const el_csv_sniff_opts *so = &im->o->so;
  int t = im->conv[col];
  if ((f->flags & EL_CSV_F_BINARY) || el_csv_is_null(so, z, f->len, (int)f->flags) ||
      el_csv_is_missing(so, z, f->len)) {
    el_csv_stat_field(st, so, z, f->len, (int)f->flags);
    el_csv_field_value(im->o, row, col, t, v);
    return;
  }
  el_csv_num c;
  el_csv_classify_o(so, z, f->len, &c);
  el_csv_stat_num(st, &c);
  if (t == EL_CSV_DATE || t == EL_CSV_TIMESTAMP) {
    el_csv_field_value(im->o, row, col, t, v); /* its ISO text */
    return;
  }
  v->z = z;
  v->n = f->len;
  v->date = 0;
  v->type = SQLITE_TEXT;
  if (t == EL_CSV_INTEGER && c.kind == EL_CSV_INTEGER) {
    v->type = SQLITE_INTEGER;
    v->i = c.i;
  } else if ((t == EL_CSV_REAL || t == EL_CSV_REAL_LOOSE) &&
             ((c.kind == EL_CSV_INTEGER && c.intreal) ||
              (c.kind == EL_CSV_REAL && (!c.loose || t == EL_CSV_REAL_LOOSE)))) {
    v->type = SQLITE_FLOAT;
    v->d = c.d;
  }
}

/* Do the checked columns still have the first rows' types? */
static int el_types_hold(const el_import *im, const el_csv_colstat *stats) {
  for (int i = 0; i < im->ncols; i++)
    if (el_csv_stat_type(&stats[i]) != im->conv[i]) return 0;
  return 1;
}

/* One pass over the file. With stats (types from the first rows), the rest
** of the file is checked as it goes: *changed is set when its types differ,
** and once a value contradicts them, rows are only read, not inserted. */
static int el_import_pass(el_import *im, el_csv_colstat *stats, int *changed) {
  const el_csv_sniffed *s = &im->st->s;
  char rerr[600], msg[160];
  int rc = SQLITE_OK, first = s->header, inbatch = 0, reading_only = 0;
  long long nread = 0, next_check = EL_IMPORT_CHECK_BYTES;
  el_csv_check chk = {im->db, NULL};
  el_csv_row row;
  memset(&row, 0, sizeof row);
  *changed = 0;
  el_csv_reader *rd = el_csv_open(im->path, &s->d, rerr, sizeof rerr);
  if (!rd) return el_csv_is_nomem(rerr) ? SQLITE_NOMEM : el_import_fail(im, "csv_import: %s", rerr);
  if (el_csv_opts_threads(im->o) == 2) (void)el_csv_read_ahead(rd, rerr, sizeof rerr); /* see csv_file */
  for (;;) {
    int k = el_csv_next(rd, &row);
    if (k < 0) {
      rc = el_csv_is_nomem(el_csv_error(rd)) ? SQLITE_NOMEM
                                             : el_import_fail(im, "csv_import: %s: %s", im->path, el_csv_error(rd));
      break;
    }
    if (k == 0) break;
    if (first) { first--; continue; } /* the header rows */
    if (stats) {
      /* (while importing, the values are counted as they are decoded) */
      if (reading_only) el_stats_add(im, stats, &row, 0);
      if (++nread % EL_IMPORT_TYPE_CHECK == 0 && !reading_only && !el_types_hold(im, stats)) reading_only = 1;
    }
    int col;
    if (el_csv_row_problem(&row, im->ncols, &col, msg, sizeof msg)) {
      if (el_csv_swallows_lines(rd, &row)) {
        rc = el_import_fail(im, "csv_import: %s: line %lld, column %d: unterminated quoted field: the quote "
                            "opened here is never closed, so lines %lld to %lld would be one field; nothing "
                            "was imported (fix the quoting, or import with quote=none)", im->path, row.line,
                            col, row.line, el_csv_line(rd));
        break;
      }
      if (im->o->strict) {
        el_csv_locate(rd, &row);
        rc = el_import_fail(im, "csv_import: %s: line %lld, column %d: %s", im->path, row.line, col, msg);
        break;
      }
      if (!reading_only) {
        im->nrej++;
        if (el_csv_reject(im->db, &im->rej, im->path, rd, &row, col, msg) != SQLITE_OK) {
          rc = el_import_dbfail(im, "csv_import: cannot record a rejected row");
          break;
        }
      }
    }
    if (reading_only) {
      if (el_csv_bytes_read(rd) >= next_check) {
        next_check = el_csv_bytes_read(rd) + EL_IMPORT_CHECK_BYTES;
        if (el_csv_check_fn(&chk)) { rc = SQLITE_INTERRUPT; break; }
      }
      continue;
    }
    el_field_val *v = im->bv.v + (size_t)inbatch * (size_t)im->ncols;
    for (int i = 0; i < im->ncols && rc == SQLITE_OK; i++) {
      if (stats && i < row.n && !el_csv_stat_settled(&stats[i]))
        el_value_counted(im, &stats[i], &row, i, &v[i]);
      else
        el_csv_field_value(im->o, &row, i, im->conv[i], &v[i]);
      if (v[i].type == SQLITE_TEXT && im->conv[i] != EL_CSV_TEXT && !v[i].date) {
        if (stats) {
          /* the first rows' type does not hold: read on, then import again */
          el_stats_add(im, stats, &row, i + 1);
          reading_only = 1;
          break;
        }
        if (el_csv_sqlite_numeric(v[i].z, v[i].n)) rc = el_import_misfit(im, rd, &row, i, &v[i]);
      }
      if (rc == SQLITE_OK) rc = el_batch_keep(&im->bv, &v[i]);
    }
    if (rc != SQLITE_OK) break;
    if (reading_only) { inbatch = 0; im->bv.n = 0; continue; }
    if (++inbatch == im->batch) {
      rc = el_import_flush(im, rd, &row, inbatch);
      if (rc != SQLITE_OK) break;
      inbatch = 0;
    }
  }
  if (rc == SQLITE_OK && inbatch > 0 && !reading_only) rc = el_import_flush(im, rd, &row, inbatch);
  if (rc == SQLITE_OK && stats) *changed = reading_only || !el_types_hold(im, stats);
  el_csv_check_free(&chk);
  el_csv_close(rd);
  return rc;
}

/* Is a statement that writes running on the connection? (SQLite refuses a
** transaction's end, and a savepoint, while one is.) */
int el_writer_running(sqlite3 *db) {
  for (sqlite3_stmt *p = sqlite3_next_stmt(db, NULL); p; p = sqlite3_next_stmt(db, p))
    if (sqlite3_stmt_busy(p) && !sqlite3_stmt_readonly(p)) return 1;
  return 0;
}

void el_csv_import_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *path, *table;
  el_csv_opts o;
  el_csv_setup st;
  el_import im;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  char *given = NULL;
  int rc, own_txn = 0, in_sp = 0, user_txn = 0;
  el_csv_colstat *stats = NULL;
  memset(&im, 0, sizeof im);
  memset(&st, 0, sizeof st);

  if (!el_csv_fn_args(ctx, "csv_import", argc, argv, 2, &path, &o)) return;
  table = (const char *)sqlite3_value_text(argv[1]);
  if (sqlite3_value_type(argv[1]) != SQLITE_TEXT || !table || !table[0] || el_csv_holds_nul(argv[1], table)) {
    if (sqlite3_value_type(argv[1]) == SQLITE_TEXT && !table) sqlite3_result_error_nomem(ctx);
    else sqlite3_result_error(ctx, "csv_import: the table name must be non-empty text without NUL bytes", -1);
    el_csv_opts_free(&o);
    return;
  }
  if (el_csv_is_pattern(path)) {
    /* many files as one table (csv_glob.c) */
    el_csv_import_glob(ctx, path, table, argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : NULL, &o);
    el_csv_opts_free(&o);
    return;
  }
  im.db = db;
  im.path = path;
  im.o = &o;
  im.st = &st;

  /* Inside a statement that writes (INSERT ... SELECT csv_import(), or a
  ** CHECK constraint of a table being written) SQLite allows no savepoint,
  ** and a transaction could not end: refuse before the file is touched. */
  if (el_writer_running(db)) {
    rc = el_import_fail(&im, "csv_import: cannot import while another statement is writing (SQLite "
                        "allows no savepoint then); call csv_import in a SELECT of its own");
    goto fail;
  }

  /* 1. the target */
  rc = el_parse_target(db, table, &given, &im.ztab, &im.err);
  if (rc == SQLITE_OK) rc = el_resolve_schema(db, given, im.ztab, &im.zdb, &im.err);
  if (rc == SQLITE_ERROR && !im.err) rc = el_import_dbfail(&im, "csv_import");
  if (rc != SQLITE_OK) goto fail;

  /* 2. the file: types from the first rows, checked during the import, for
  ** a new table; none for an existing one that rows are appended to */
  {
    int flags = EL_SETUP_TYPES_FIRST;
    if (o.mode == EL_MODE_APPEND && el_table_exists(db, im.zdb, im.ztab) == 1) flags = EL_SETUP_NO_TYPES;
    rc = el_csv_setup_run(db, "csv_import", path, &o, &st, flags, &im.err);
    if (rc != SQLITE_OK) goto fail;
  }
  im.ncols = st.s.ncols;
  if (st.s.unterminated_line > 0) {
    rc = el_import_fail(&im, "csv_import: %s: line %lld, column %d: unterminated quoted field: the quote "
                        "opened here is never closed, so lines %lld to %lld would be one field; nothing "
                        "was imported (fix the quoting, or import with quote=none)", path,
                        st.s.unterminated_line, st.s.unterminated_col, st.s.unterminated_line, st.s.lines);
    goto fail;
  }

  /* 3. the write lock, then a savepoint to roll back to */
  rc = el_csv_abort_prepare(db, &im.abort);
  if (rc != SQLITE_OK) {
    rc = el_import_dbfail(&im, "csv_import");
    goto fail;
  }
  user_txn = !sqlite3_get_autocommit(db);
  if (!user_txn) {
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      rc = el_import_dbfail(&im, "csv_import: cannot take the write lock");
      goto fail;
    }
    own_txn = 1;
  }
  rc = sqlite3_exec(db, "SAVEPOINT el_csv_import", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    rc = el_import_dbfail(&im, "csv_import");
    goto fail;
  }
  in_sp = 1;

  /* 4, 5. the table and the rows */
  rc = el_import_target(&im, st.types);
  if (rc != SQLITE_OK) goto fail;
  if (im.created && !o.schema && !o.so.types_text && o.so.sample <= 0 && !st.s.types_complete) {
    stats = sqlite3_malloc64(sizeof *stats * (size_t)im.ncols);
    if (!stats) { rc = SQLITE_NOMEM; goto fail; }
    memset(stats, 0, sizeof *stats * (size_t)im.ncols);
  }
  int changed;
  rc = el_import_pass(&im, stats, &changed);
  if (rc == SQLITE_OK && changed) {
    /* a later value changed a type: start again with the whole file's
    ** types. The table this import made is dropped (a statement that can
    ** stay the abort statement, where ROLLBACK TO cannot), and making it
    ** again clears this file's rejects. */
    for (int i = 0; i < im.ncols; i++) st.types[i] = el_csv_stat_type(&stats[i]);
    el_import_target_free(&im);
    im.nrows = im.nrej = 0;
    rc = el_csv_drop(db, im.zdb, im.ztab, &im.abort);
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM) rc = el_import_dbfail(&im, "csv_import");
    if (rc == SQLITE_OK) rc = el_import_target(&im, st.types);
    if (rc == SQLITE_OK) rc = el_import_pass(&im, NULL, &changed);
  }
  if (rc != SQLITE_OK) goto fail;
  el_import_stmts_free(&im);
  rc = sqlite3_exec(db, "RELEASE el_csv_import", NULL, NULL, NULL);
  if (rc == SQLITE_OK) in_sp = 0;
  if (rc == SQLITE_OK && own_txn) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    rc = el_import_dbfail(&im, "csv_import");
    goto fail;
  }
  own_txn = 0;
  if (im.nrej > 0)
    sqlite3_log(SQLITE_WARNING, "csv_import: %s: %lld rows rejected (see temp.csv_rejects)", path, im.nrej);
  sqlite3_result_int64(ctx, im.nrows);
  goto done;

fail:
  /* (before el_csv_fail_code, which runs a statement) */
  if (user_txn && sqlite3_errcode(db) == SQLITE_BUSY && im.err)
    /* SQLite does not wait for a lock that a read transaction would have to
    ** upgrade (a deadlock could follow) */
    rc = el_import_note(&im, rc, "inside a transaction SQLite cannot wait for the write lock: begin it "
                                 "with BEGIN IMMEDIATE");
  if ((rc = el_csv_fail_code(db, rc)) == SQLITE_INTERRUPT && !(im.err && strstr(im.err, "interrupt")))
    rc = el_import_fail(&im, "csv_import: %s: interrupted", path) == SQLITE_NOMEM ? SQLITE_NOMEM : rc;
  el_import_stmts_free(&im);
  if (el_csv_undo(db, in_sp ? "el_csv_import" : NULL, own_txn, im.abort) != 0)
    rc = el_import_note(&im, rc, EL_CSV_STILL_OPEN);
  if (user_txn && sqlite3_get_autocommit(db) && im.err)
    /* disk full, an I/O error or out of memory can make SQLite roll back the
    ** caller's whole transaction, not only this call (an interrupt does too,
    ** as SQLite's own statements do) */
    rc = el_import_note(&im, rc, "SQLite rolled back your whole transaction, everything since BEGIN, not "
                                 "only this import");
  if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
  else if (im.err) sqlite3_result_error(ctx, el_utf8_sanitize(im.err), -1);
  else sqlite3_result_error(ctx, sqlite3_errstr(rc), -1);
  if (rc == SQLITE_INTERRUPT || rc == SQLITE_BUSY) sqlite3_result_error_code(ctx, rc);
done:
  sqlite3_finalize(im.abort);
  el_import_target_free(&im);
  sqlite3_free(stats);
  sqlite3_free(im.err);
  sqlite3_free(im.zdb);
  sqlite3_free(im.ztab);
  sqlite3_free(given);
  el_csv_setup_free(&st);
  el_csv_opts_free(&o);
}
