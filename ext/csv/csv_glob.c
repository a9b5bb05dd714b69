/*
** csv_import over a file pattern: csv_import('data/sales_20??.csv', 'sales') reads
** every matching file into one table.
**
**   - the files are the pattern's matches (glob(3)), in sorted order, at
**     most EL_CSV_GLOB_MAX of them;
**   - each file is sniffed on its own (dialect, header, types); columns are
**     matched by name, case-insensitively (union by name): the table has
**     every column of every file, in order of first appearance, and a file
**     without a column leaves it NULL. A column's type is the files' common
**     type, REAL when they mix INTEGER and REAL, else TEXT;
**   - a last column, filename, holds the path each row came from;
**   - everything happens in one transaction (a savepoint inside the user's
**     own): an error in any file keeps nothing, and names that file, its
**     line and its column.
** Each file is then imported by csv_import itself (mode=append), so the
** rules for values, rejects and interrupts are the same as for one file.
*/
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_sql.h"

int el_csv_is_pattern(const char *path) {
  struct stat sb;
  return strpbrk(path, "*?[") != NULL && stat(path, &sb) != 0;
}

/* A file's column named filename would hide the column that says which
** file each row came from: refused. */
static int el_glob_name_check(const char *fname, const char *path, const char *name, char **perr) {
  if (sqlite3_stricmp(name, "filename") != 0) return SQLITE_OK;
  *perr = sqlite3_mprintf("%s: %s has a column named \"%s\", the name of the column that says which "
                          "file each row came from", fname, path, name);
  return *perr ? SQLITE_ERROR : SQLITE_NOMEM;
}

static int el_csv_glob_expand(const char *fname, const char *pattern, glob_t *g, char **perr) {
  int gr = glob(pattern, 0, NULL, g);
  if (gr == GLOB_NOSPACE) {
    globfree(g);
    return SQLITE_NOMEM;
  }
  if (gr == GLOB_NOMATCH || (gr == 0 && g->gl_pathc == 0))
    *perr = sqlite3_mprintf("%s: no file matches '%s'", fname, pattern);
  else if (gr != 0)
    *perr = sqlite3_mprintf("%s: cannot list the files matching '%s' (a folder cannot be read)", fname,
                            pattern);
  else if (g->gl_pathc > EL_CSV_GLOB_MAX)
    *perr = sqlite3_mprintf("%s: '%s' matches %lld files, more than the %d read at once "
                            "(narrow the pattern%s)", fname, pattern, (long long)g->gl_pathc,
                            EL_CSV_GLOB_MAX, strcmp(fname, "csv_import") == 0
                                                 ? ", or import in parts with mode=append" : "");
  else
    return SQLITE_OK;
  globfree(g);
  return *perr ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* The union of the files' columns. */
typedef struct el_glob_cols {
  char **names;
  int *types;
  int n;
  /* per matched file: NULL when it has a header, else its columns' names
  ** (column1,column2,...) as a columns= option value, so that csv_import
  ** appends it by name and the table's filename column stays out of a match
  ** by position */
  char **unnamed;
  size_t nfiles;
} el_glob_cols;

static void el_glob_cols_free(el_glob_cols *c) {
  el_csv_strlist_free(c->names, c->n);
  sqlite3_free(c->types);
  for (size_t i = 0; i < c->nfiles; i++) sqlite3_free(c->unnamed[i]);
  sqlite3_free(c->unnamed);
  memset(c, 0, sizeof *c);
}

static int el_glob_type_join(int a, int b) {
  if (a == EL_CSV_REAL_LOOSE) a = EL_CSV_REAL;
  if (b == EL_CSV_REAL_LOOSE) b = EL_CSV_REAL;
  if (a == b) return a;
  if ((a == EL_CSV_INTEGER || a == EL_CSV_REAL) && (b == EL_CSV_INTEGER || b == EL_CSV_REAL))
    return EL_CSV_REAL;
  return EL_CSV_TEXT;
}

/* Add one file's columns: SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR with *perr. */
static int el_glob_cols_add(el_glob_cols *c, const char *fname, const el_csv_setup *st,
                            const char *path, char **perr) {
  for (int i = 0; i < st->s.ncols; i++) {
    const char *name = st->s.names[i];
    int rc = el_glob_name_check(fname, path, name, perr);
    if (rc != SQLITE_OK) return rc;
    int j = 0;
    while (j < c->n && sqlite3_stricmp(c->names[j], name) != 0) j++;
    if (j < c->n) {
      c->types[j] = el_glob_type_join(c->types[j], st->types[i]);
      continue;
    }
    if (c->n >= EL_CSV_MAX_FIELDS - 1) {
      *perr = sqlite3_mprintf("%s: the files have more than %d different columns together", fname,
                              EL_CSV_MAX_FIELDS - 1);
      return *perr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    char **nn = sqlite3_realloc64(c->names, sizeof(char *) * (size_t)(c->n + 1));
    if (!nn) return SQLITE_NOMEM;
    c->names = nn;
    int *nt = sqlite3_realloc64(c->types, sizeof(int) * (size_t)(c->n + 1));
    if (!nt) return SQLITE_NOMEM;
    c->types = nt;
    if (!(c->names[c->n] = sqlite3_mprintf("%s", name))) return SQLITE_NOMEM;
    c->types[c->n++] = st->types[i] == EL_CSV_REAL_LOOSE ? EL_CSV_REAL : st->types[i];
  }
  return SQLITE_OK;
}

/* Every file's columns and types (each file sniffed on its own, types from
** all its rows), united by name into *c. */
static int el_glob_union(sqlite3 *db, const char *fname, const glob_t *g, el_csv_opts *o,
                         el_glob_cols *c, char **perr) {
  c->unnamed = sqlite3_malloc64(sizeof(char *) * (g->gl_pathc + 1));
  if (!c->unnamed) return SQLITE_NOMEM;
  for (size_t i = 0; i < g->gl_pathc; i++) {
    el_csv_setup st;
    int rc = el_csv_setup_run(db, fname, g->gl_pathv[i], o, &st, 0, perr);
    if (rc == SQLITE_OK) rc = el_glob_cols_add(c, fname, &st, g->gl_pathv[i], perr);
    c->unnamed[c->nfiles++] = NULL;
    if (rc == SQLITE_OK && !st.s.header && !o->colnames) {
      sqlite3_str *q = sqlite3_str_new(db);
      for (int k = 0; k < st.s.ncols; k++) sqlite3_str_appendf(q, "%s%s", k ? "," : "", st.s.names[k]);
      if (!(c->unnamed[c->nfiles - 1] = sqlite3_str_finish(q))) rc = SQLITE_NOMEM;
    }
    el_csv_setup_free(&st); /* (zeroed by a failed setup) */
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* The user's options without mode=, then mode=append (items split on ';'
** outside quotes, as the option parser does). */
static char *el_glob_nested_opts(const char *s) {
  sqlite3_str *out = sqlite3_str_new(NULL);
  const char *p = s ? s : "";
  while (*p) {
    const char *start = p;
    p = el_csv_item_end(p, ';');
    const char *k = start;
    while (k < p && (*k == ' ' || *k == '\t')) k++;
    int is_mode = p - k >= 4 && sqlite3_strnicmp(k, "mode", 4) == 0;
    if (is_mode) {
      const char *e = k + 4;
      while (e < p && (*e == ' ' || *e == '\t')) e++;
      is_mode = e < p && *e == '=';
    }
    if (!is_mode && p > start) sqlite3_str_appendf(out, "%.*s;", (int)(p - start), start);
    if (*p) p++;
  }
  sqlite3_str_appendall(out, "mode=append");
  return sqlite3_str_finish(out);
}

/* Run sql with up to three text parameters (NULL: none); *pn gets the
** first column of its row. The error message stays on db. */
static int el_glob_exec(sqlite3 *db, const char *sql, const char *a, const char *b, const char *c,
                        sqlite3_int64 *pn) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  const char *v[3] = {a, b, c};
  for (int i = 0; i < 3 && v[i]; i++) sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && pn) *pn = sqlite3_column_int64(st, 0);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
  else rc = sqlite3_errcode(db);
  /* keep the message: finalize does not clear it */
  sqlite3_finalize(st);
  return rc;
}

void el_csv_import_glob(sqlite3_context *ctx, const char *pattern, const char *table,
                        const char *optstr, el_csv_opts *o) {
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  glob_t g;
  el_glob_cols cols;
  char *err = NULL, *given = NULL, *ztab = NULL, *zdb = NULL, *nested = NULL, *sql = NULL;
  int rc = SQLITE_OK, own_txn = 0, in_sp = 0, globbed = 0;
  sqlite3_stmt *abort = NULL; /* see el_csv_undo */
  sqlite3_int64 total = 0;
  memset(&cols, 0, sizeof cols);

  if (o->schema) {
    err = sqlite3_mprintf("csv_import: schema= cannot be used with a file pattern ('%s'): the files' "
                          "columns are matched by name", pattern);
    goto fail;
  }
  if (el_writer_running(db)) {
    err = sqlite3_mprintf("csv_import: cannot import while another statement is writing (SQLite "
                          "allows no savepoint then); call csv_import in a SELECT of its own");
    goto fail;
  }
  rc = el_csv_glob_expand("csv_import", pattern, &g, &err);
  if (rc != SQLITE_OK) goto fail;
  globbed = 1;

  /* 1. every file's columns and types, before anything is written */
  rc = el_glob_union(db, "csv_import", &g, o, &cols, &err);
  if (rc != SQLITE_OK) goto fail;

  /* 2. the target, the write lock and a savepoint */
  rc = el_parse_target(db, table, &given, &ztab, &err);
  if (rc == SQLITE_OK) rc = el_resolve_schema(db, given, ztab, &zdb, &err);
  if (rc != SQLITE_OK) goto fail;
  if ((rc = el_csv_abort_prepare(db, &abort)) != SQLITE_OK) goto fail_db;
  if (sqlite3_get_autocommit(db)) {
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      err = sqlite3_mprintf("csv_import: cannot take the write lock: %s", sqlite3_errmsg(db));
      goto fail;
    }
    own_txn = 1;
  }
  rc = sqlite3_exec(db, "SAVEPOINT el_csv_glob", NULL, NULL, NULL);
  if (rc != SQLITE_OK) goto fail_db;
  in_sp = 1;

  /* 3. the table: created with the union of the columns, or completed */
  int exists = el_table_exists(db, zdb, ztab);
  if (exists < 0) goto fail_db;
  if (exists && o->mode == EL_MODE_CREATE) {
    err = sqlite3_mprintf("csv_import: table %s.%s already exists; mode=append adds the rows to it, "
                          "mode=replace replaces it", zdb, ztab);
    goto fail;
  }
  if (exists && o->mode == EL_MODE_REPLACE) {
    rc = el_csv_drop(db, zdb, ztab, &abort);
    if (rc != SQLITE_OK) goto fail_db;
    exists = 0;
  }
  {
    sqlite3_str *q = sqlite3_str_new(db);
    if (!exists) {
      sqlite3_str_appendf(q, "CREATE TABLE \"%w\".\"%w\"(", zdb, ztab);
      for (int i = 0; i < cols.n; i++)
        sqlite3_str_appendf(q, "\"%w\" %s, ", cols.names[i], el_csv_type_name(cols.types[i]));
      sqlite3_str_appendall(q, "filename TEXT);");
    } else {
      /* mode=append to a table that lacks columns: they are added */
      char **tn = NULL, **td = NULL;
      int nt = el_table_columns(db, zdb, ztab, &tn, &td);
      if (nt < 0) { sqlite3_free(sqlite3_str_finish(q)); goto fail_db; }
      for (int i = 0; i <= cols.n; i++) {
        const char *name = i < cols.n ? cols.names[i] : "filename";
        int j = 0;
        while (j < nt && sqlite3_stricmp(tn[j], name) != 0) j++;
        if (j == nt)
          sqlite3_str_appendf(q, "ALTER TABLE \"%w\".\"%w\" ADD COLUMN \"%w\" %s;", zdb, ztab, name,
                              i < cols.n ? el_csv_type_name(cols.types[i]) : "TEXT");
      }
      el_csv_strlist_free(tn, nt);
      el_csv_strlist_free(td, nt);
    }
    sql = sqlite3_str_finish(q);
    if (!sql) { rc = SQLITE_NOMEM; goto fail; }
    if ((rc = el_csv_ddl(db, sql, &abort)) != SQLITE_OK) goto fail_db;
    sqlite3_free(sql);
    sql = NULL;
  }

  /* 4. each file, by csv_import itself, then its rows' filename */
  nested = el_glob_nested_opts(optstr);
  char *maxid = sqlite3_mprintf("SELECT coalesce(max(rowid), 0) FROM \"%w\".\"%w\"", zdb, ztab);
  char *upd = sqlite3_mprintf("UPDATE \"%w\".\"%w\" SET filename = ?1 WHERE rowid > ?2", zdb, ztab);
  if (!nested || !maxid || !upd) {
    sqlite3_free(maxid);
    sqlite3_free(upd);
    rc = SQLITE_NOMEM;
    goto fail;
  }
  for (size_t i = 0; i < g.gl_pathc && rc == SQLITE_OK; i++) {
    const char *f = g.gl_pathv[i];
    sqlite3_int64 before = 0, n = 0;
    rc = el_glob_exec(db, maxid, NULL, NULL, NULL, &before);
    if (rc == SQLITE_OK && cols.unnamed[i]) {
      /* a file without a header: its columns by the names it was given */
      char *opts = sqlite3_mprintf("%s;columns=%s", nested, cols.unnamed[i]);
      rc = opts ? el_glob_exec(db, "SELECT csv_import(?1, ?2, ?3)", f, table, opts, &n) : SQLITE_NOMEM;
      sqlite3_free(opts);
    } else if (rc == SQLITE_OK) {
      rc = el_glob_exec(db, "SELECT csv_import(?1, ?2, ?3)", f, table, nested, &n);
    }
    if (rc == SQLITE_OK) {
      total += n;
      sqlite3_stmt *st = NULL;
      rc = sqlite3_prepare_v2(db, upd, -1, &st, NULL);
      if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, f, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, before);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
        sqlite3_finalize(st);
      }
    }
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM)
      err = sqlite3_mprintf("%s (file %lld of the %lld matching '%s'; nothing was imported)",
                            sqlite3_errmsg(db), (long long)i + 1, (long long)g.gl_pathc, pattern);
  }
  sqlite3_free(maxid);
  sqlite3_free(upd);
  if (rc != SQLITE_OK) goto fail;

  rc = sqlite3_exec(db, "RELEASE el_csv_glob", NULL, NULL, NULL);
  if (rc == SQLITE_OK) in_sp = 0;
  if (rc == SQLITE_OK && own_txn) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) goto fail_db;
  own_txn = 0;
  sqlite3_result_int64(ctx, total);
  goto done;

fail_db:
  if (!err && rc != SQLITE_NOMEM) err = sqlite3_mprintf("csv_import: %s", sqlite3_errmsg(db));
  if (rc == SQLITE_OK) rc = SQLITE_ERROR;
fail:
  if ((rc = el_csv_fail_code(db, rc)) == SQLITE_INTERRUPT && !(err && strstr(err, "interrupt"))) {
    sqlite3_free(err);
    err = NULL; /* "csv_import: interrupted" */
  }
  if (el_csv_undo(db, in_sp ? "el_csv_glob" : NULL, own_txn, abort) != 0) {
    char *e = sqlite3_mprintf("%s (" EL_CSV_STILL_OPEN ")", err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    err = e;
    if (!e) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_NOMEM || (!err && rc != SQLITE_INTERRUPT)) {
    sqlite3_result_error_nomem(ctx);
  } else {
    sqlite3_result_error(ctx, err ? el_utf8_sanitize(err) : "csv_import: interrupted", -1);
    if (rc == SQLITE_INTERRUPT) sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
  }
done:
  sqlite3_finalize(abort);
  if (globbed) globfree(&g);
  el_glob_cols_free(&cols);
  sqlite3_free(err);
  sqlite3_free(given);
  sqlite3_free(ztab);
  sqlite3_free(zdb);
  sqlite3_free(nested);
  sqlite3_free(sql);
}

/* ------------------------------------------------------------------------ */
/* csv_file over a pattern: the same files, columns and types, read in place */

int el_csv_glob_conv(int type) {
  /* el_csv_affinity of the declared type's name */
  switch (type) {
    case EL_CSV_INTEGER: return EL_CSV_NUMERIC;
    case EL_CSV_REAL: return EL_CSV_REAL_LOOSE;
    default: return type;
  }
}

int el_csv_glob_describe(sqlite3 *db, const char *pattern, el_csv_opts *o, char **pdecl,
                         char ***pnames, int **ptypes, int *pn, sqlite3_int64 *psize, char **pzErr) {
  glob_t g;
  el_glob_cols cols;
  memset(&cols, 0, sizeof cols);
  *pdecl = NULL;
  if (o->schema) {
    *pzErr = sqlite3_mprintf("csv_file: schema= cannot be used with a file pattern ('%s'): the files' "
                             "columns are matched by name", pattern);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  int rc = el_csv_glob_expand("csv_file", pattern, &g, pzErr);
  if (rc != SQLITE_OK) return rc;
  rc = el_glob_union(db, "csv_file", &g, o, &cols, pzErr);
  sqlite3_int64 size = 0;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    struct stat sb;
    size += stat(g.gl_pathv[i], &sb) == 0 ? (sqlite3_int64)sb.st_size : 1000000;
  }
  globfree(&g);
  if (rc != SQLITE_OK) {
    el_glob_cols_free(&cols);
    return rc;
  }
  int *types = sqlite3_realloc64(cols.types, sizeof(int) * (size_t)(cols.n + 1));
  if (!types) {
    el_glob_cols_free(&cols);
    return SQLITE_NOMEM;
  }
  cols.types = types;
  types[cols.n] = EL_CSV_TEXT;
  sqlite3_str *q = sqlite3_str_new(db);
  sqlite3_str_appendall(q, "CREATE TABLE x(");
  for (int i = 0; i < cols.n; i++)
    sqlite3_str_appendf(q, "\"%w\" %s, ", cols.names[i], el_csv_type_name(cols.types[i]));
  sqlite3_str_appendall(q, "filename TEXT)");
  if (!(*pdecl = sqlite3_str_finish(q))) {
    el_glob_cols_free(&cols);
    return SQLITE_NOMEM;
  }
  *pnames = cols.names;
  *ptypes = cols.types;
  *pn = cols.n;
  *psize = size;
  /* the names and types are the caller's now; the per-file list is not */
  cols.names = NULL;
  cols.types = NULL;
  cols.n = 0;
  el_glob_cols_free(&cols);
  return SQLITE_OK;
}

struct el_glob_scan {
  sqlite3 *db;
  glob_t g;
  size_t next;     /* the next file to open */
  el_csv_setup st; /* the open file's dialect and columns */
  int *col;        /* table column -> the open file's column, or -1 */
  int ncol;        /* table columns, filename excluded */
  char *only;      /* NULL, or the one file to read (WHERE filename = ...) */
};

int el_glob_scan_start(sqlite3 *db, const char *pattern, int ncol, const char *only, el_glob_scan **pg,
                       char **pzErr) {
  el_glob_scan *g = sqlite3_malloc(sizeof *g);
  *pg = NULL;
  if (!g) return SQLITE_NOMEM;
  memset(g, 0, sizeof *g);
  g->db = db;
  g->ncol = ncol;
  g->col = sqlite3_malloc64(sizeof(int) * (size_t)(ncol + 1));
  g->only = only ? sqlite3_mprintf("%s", only) : NULL;
  int rc = !g->col || (only && !g->only) ? SQLITE_NOMEM : el_csv_glob_expand("csv_file", pattern, &g->g, pzErr);
  if (rc != SQLITE_OK) {
    sqlite3_free(g->col);
    sqlite3_free(g->only);
    sqlite3_free(g);
    return rc;
  }
  *pg = g;
  return SQLITE_OK;
}

void el_glob_scan_free(el_glob_scan *g) {
  if (!g) return;
  globfree(&g->g);
  el_csv_setup_free(&g->st);
  sqlite3_free(g->col);
  sqlite3_free(g->only);
  sqlite3_free(g);
}

const char *el_glob_scan_path(const el_glob_scan *g) {
  return g->next ? g->g.gl_pathv[g->next - 1] : "";
}

int el_glob_scan_ncols(const el_glob_scan *g) { return g->st.s.ncols; }

int el_glob_scan_col(const el_glob_scan *g, int col) {
  return col >= 0 && col < g->ncol ? g->col[col] : -1;
}

/* Map the open file's columns to the table's by name; a column the table
** lacks (the files changed since CREATE VIRTUAL TABLE) is an error. */
static int el_glob_scan_map(el_glob_scan *g, char *const *names, const char *path, char **pzErr) {
  for (int k = 0; k < g->ncol; k++) g->col[k] = -1;
  for (int i = 0; i < g->st.s.ncols; i++) {
    const char *name = g->st.s.names[i];
    int rc = el_glob_name_check("csv_file", path, name, pzErr);
    if (rc != SQLITE_OK) return rc;
    int k = 0;
    while (k < g->ncol && sqlite3_stricmp(names[k], name) != 0) k++;
    if (k == g->ncol) {
      *pzErr = sqlite3_mprintf("csv_file: %s has a column \"%s\" that the table does not have (its "
                               "columns are those of the files CREATE VIRTUAL TABLE found): create "
                               "the table again", path, name);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    g->col[k] = i;
  }
  return SQLITE_OK;
}

int el_glob_scan_next(el_glob_scan *g, el_csv_opts *o, char *const *names, uint64_t used,
                      el_csv_reader **pr, char **pzErr) {
  el_csv_close(*pr);
  *pr = NULL;
  *pzErr = NULL;
  while (g->next < g->g.gl_pathc) {
    const char *path = g->g.gl_pathv[g->next++];
    if (g->only && strcmp(path, g->only) != 0) continue;
    el_csv_setup_free(&g->st);
    int rc = el_csv_setup_run(g->db, "csv_file", path, o, &g->st, EL_SETUP_NO_TYPES, pzErr);
    if (rc == SQLITE_OK) rc = el_glob_scan_map(g, names, path, pzErr);
    if (rc != SQLITE_OK) return rc;
    char err[600];
    el_csv_reader *r = el_csv_open(path, &g->st.s.d, err, sizeof err);
    if (!r) {
      if (el_csv_is_nomem(err)) return SQLITE_NOMEM;
      *pzErr = sqlite3_mprintf("csv_file: %s", err);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    /* the file's columns the query does not read (see el_csv_set_unused) */
    uint64_t unused = 0;
    int high_used = 0;
    for (int k = 0; k < g->ncol; k++) {
      int i = g->col[k];
      int is_used = (used >> (k < 63 ? k : 63)) & 1;
      if (i < 0) continue;
      if (i >= 63) high_used |= is_used;
      else if (!is_used) unused |= 1ULL << i;
    }
    if (!high_used) unused |= 1ULL << 63;
    el_csv_set_unused(r, unused);
    /* threads=2: each file is parsed ahead on a second thread, as csv_file
    ** over one file does (should the thread not start, this one parses) */
    if (el_csv_opts_threads(o) == 2) (void)el_csv_read_ahead(r, err, sizeof err);
    el_csv_row row;
    int got = 1;
    for (int k = 0; k < g->st.s.header && got == 1; k++) got = el_csv_next(r, &row);
    if (got < 0) {
      *pzErr = el_csv_is_nomem(el_csv_error(r)) ? NULL
                                                 : sqlite3_mprintf("csv_file: %s: %s", path, el_csv_error(r));
      el_csv_close(r);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    if (got == 0) { /* a header and no rows */
      el_csv_close(r);
      continue;
    }
    *pr = r;
    return SQLITE_OK;
  }
  return SQLITE_OK;
}
