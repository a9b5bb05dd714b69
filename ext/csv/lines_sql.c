/*
** lines_file(path): a file as a table of lines (lineno, offset, line), read
** through the CSV input layer (el_csvinput.c), so .gz and UTF-16 files are
** read in place. The way to load JSONL without a loader:
**
**   INSERT INTO articles SELECT json_extract(line, '$.id'), json_extract(line, '$.text')
**   FROM lines_file('corpus.jsonl.gz');
**
** It reads files, so it is DIRECTONLY (EL_READS_FILES): top-level SQL can use
** it, a view or trigger stored in a database file cannot.
*/
#include <string.h>

#include "csv_sql.h"
#include "csvimport.h"
#include "el_csvinput.h"

enum { EL_LN_LINENO, EL_LN_OFFSET, EL_LN_LINE, EL_LN_PATH };

static const char *const el_lines_args[] = {"path"};

typedef struct el_lines_cursor {
  sqlite3_vtab_cursor base;
  el_arg path;
  el_lines *L;
  const char *z;
  size_t n;
  long long lineno, offset;
  int eof;
} el_lines_cursor;

static int el_lines_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                            sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, aux,
                        "CREATE TABLE x(lineno INTEGER, \"offset\" INTEGER, line TEXT, path HIDDEN)",
                        ppVtab);
}

static int el_lines_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  return el_tvf_best_index(tab, info, EL_LN_PATH, 1, 1, "lines_file", el_lines_args);
}

static int el_lines_open_cur(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  int rc = el_cursor_alloc(sizeof(el_lines_cursor), ppCur);
  if (rc == SQLITE_OK) ((el_lines_cursor *)*ppCur)->eof = 1;
  return rc;
}

static int el_lines_close_cur(sqlite3_vtab_cursor *cur) {
  el_lines_cursor *c = (el_lines_cursor *)cur;
  el_lines_close(c->L);
  el_arg_free(&c->path);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int el_lines_step(sqlite3_vtab_cursor *cur) {
  el_lines_cursor *c = (el_lines_cursor *)cur;
  int k = el_lines_next(c->L, &c->z, &c->n, &c->lineno, &c->offset);
  if (k > 0) return SQLITE_OK;
  c->eof = 1;
  if (k == 0) return SQLITE_OK;
  const char *e = el_lines_error(c->L);
  if (el_csv_is_nomem(e)) return SQLITE_NOMEM;
  el_vtab_error(cur->pVtab, "lines_file: %s: %s", c->path.z, e);
  return SQLITE_ERROR;
}

static int el_lines_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                           sqlite3_value **argv) {
  (void)idxStr;
  el_lines_cursor *c = (el_lines_cursor *)cur;
  el_lines_close(c->L);
  c->L = NULL;
  c->eof = 1;
  int rc = el_tvf_missing(cur, idxNum, 1, "lines_file", el_lines_args);
  if (rc != SQLITE_OK || argc < 1) return rc;
  rc = el_arg_set(&c->path, argv[0]);
  if (rc != SQLITE_OK || c->path.z == NULL) return rc; /* NULL: no rows */
  if (c->path.type != SQLITE_TEXT || !c->path.z[0] || strlen(c->path.z) != c->path.n) {
    el_vtab_error(cur->pVtab, "lines_file: the path must be non-empty text without NUL bytes");
    return SQLITE_ERROR;
  }
  char err[600];
  c->L = el_lines_open(c->path.z, 0, err, sizeof err);
  if (!c->L) {
    if (el_csv_is_nomem(err)) return SQLITE_NOMEM;
    /* the file's own errors name it already */
    if (strstr(err, c->path.z)) el_vtab_error(cur->pVtab, "lines_file: %s", err);
    else el_vtab_error(cur->pVtab, "lines_file: %s: %s", c->path.z, err);
    return SQLITE_ERROR;
  }
  c->eof = 0;
  return el_lines_step(cur);
}

static int el_lines_eof(sqlite3_vtab_cursor *cur) { return ((el_lines_cursor *)cur)->eof; }

static int el_lines_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_lines_cursor *c = (el_lines_cursor *)cur;
  switch (col) {
    case EL_LN_LINENO: sqlite3_result_int64(ctx, c->lineno); break;
    case EL_LN_OFFSET: sqlite3_result_int64(ctx, c->offset); break;
    case EL_LN_LINE: sqlite3_result_text64(ctx, c->z, c->n, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    default: el_arg_result(ctx, &c->path); break;
  }
  return SQLITE_OK;
}

static int el_lines_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_lines_cursor *)cur)->lineno;
  return SQLITE_OK;
}

static const sqlite3_module el_lines_module = {
  0, NULL, el_lines_connect, el_lines_best_index, el_vtab_disconnect, NULL,
  el_lines_open_cur, el_lines_close_cur, el_lines_filter, el_lines_step,
  el_lines_eof, el_lines_column, el_lines_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

int el_lines_register(sqlite3 *db, char **pzErr) {
  /* Trust (see el_sqlite.h): it opens the file its argument names. */
  static const el_module_def mods[] = {
    {"lines_file", &el_lines_module, EL_READS_FILES, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL}
  };
  return el_register_modules(db, mods, pzErr);
}
