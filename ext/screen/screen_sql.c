/*
** SQL adapters for the screening capability:
**   name_key(name)                               the normalised, sorted tokens
**   name_similarity(a, b)                        a score in [0, 1]
**   screen(name [, list_table [, threshold]])    matches in a screening list
** The core (el_names.c, el_sindex.c) knows nothing of SQLite: this file copies
** arguments, reads the list table into an index (cached per connection) and
** hands rows to SQLite.
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_usertable.h"
#include "el_names.h"
#include "el_sindex.h"
#include "screen.h"

/* ------------------------------------------------------------------------ */
/* name_key(name), name_similarity(a, b)                                     */

/* The bytes of a text or blob argument (at most EL_NAME_MAX_BYTES are read by
** the normaliser). Returns 0 for NULL (and sets a NOMEM error when needed). */
static int el_arg_bytes(sqlite3_context *ctx, sqlite3_value *v, const char **z, size_t *n) {
  int t = sqlite3_value_type(v);
  *z = NULL;
  *n = 0;
  if (t == SQLITE_NULL) return 0;
  *z = t == SQLITE_BLOB ? (const char *)sqlite3_value_blob(v) : (const char *)sqlite3_value_text(v);
  int len = sqlite3_value_bytes(v);
  if (*z == NULL) {
    if (len > 0 || t != SQLITE_BLOB) {
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
    *z = "";
  }
  *n = (size_t)len;
  return 1;
}

static void el_name_key_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *z;
  size_t n;
  (void)argc;
  if (!el_arg_bytes(ctx, argv[0], &z, &n)) return;
  el_name_buf *nb = sqlite3_malloc(sizeof(*nb));
  char *key = sqlite3_malloc(EL_NAME_KEY_MAX);
  if (nb == NULL || key == NULL) {
    sqlite3_free(nb);
    sqlite3_free(key);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  el_name *nm = el_name_normalize(z, n, nb);
  size_t kl = el_name_key(nm, key, EL_NAME_KEY_MAX);
  if (kl > 0 && kl < EL_NAME_KEY_MAX) sqlite3_result_text(ctx, key, (int)kl, SQLITE_TRANSIENT);
  sqlite3_free(nb);
  sqlite3_free(key);
}

static void el_name_similarity_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *za, *zb;
  size_t na, nb;
  (void)argc;
  if (!el_arg_bytes(ctx, argv[0], &za, &na)) return;
  if (!el_arg_bytes(ctx, argv[1], &zb, &nb)) return;
  el_name_buf *ba = sqlite3_malloc(sizeof(*ba));
  el_name_buf *bb = sqlite3_malloc(sizeof(*bb));
  if (ba == NULL || bb == NULL) {
    sqlite3_free(ba);
    sqlite3_free(bb);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  double s = el_name_similarity(el_name_normalize(za, na, ba), el_name_normalize(zb, nb, bb));
  sqlite3_result_double(ctx, s);
  sqlite3_free(ba);
  sqlite3_free(bb);
}

/* ------------------------------------------------------------------------ */
/* Screening lists, cached per connection                                    */

#define EL_DEFAULT_LIST "csl"
#define EL_DEFAULT_THRESHOLD 0.85

/* One row of a list: name, source, programs and alt_names, NUL-separated in
** one allocation; a NULL column is flagged in `nulls`. */
typedef struct el_lrow {
  char *mem;
  uint32_t off[4]; /* name, alt_names, source, programs */
  uint8_t nulls;
} el_lrow;

typedef struct el_list {
  el_sindex *ix;
  el_lrow *rows;
  int nrows;
} el_list;

static void *el_sq_realloc(void *p, size_t n) { return sqlite3_realloc64(p, (sqlite3_uint64)n); }
static void el_sq_free(void *p) { sqlite3_free(p); }

static void el_list_free(void *p) {
  el_list *l = p;
  if (l == NULL) return;
  for (int i = 0; i < l->nrows; i++) sqlite3_free(l->rows[i].mem);
  sqlite3_free(l->rows);
  el_sindex_free(l->ix);
  sqlite3_free(l);
}

/* The k-th (1-based) non-empty ';'-separated alias of alt, trimmed. */
static int el_alias_at(const char *alt, int k, const char **z, size_t *n) {
  int seen = 0;
  const char *p = alt;
  while (p && *p) {
    const char *e = strchr(p, ';');
    const char *end = e ? e : p + strlen(p);
    const char *s = p;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) s++;
    const char *t = end;
    while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r' || t[-1] == '\n')) t--;
    if (t > s && ++seen == k) {
      *z = s;
      *n = (size_t)(t - s);
      return 1;
    }
    p = e ? e + 1 : NULL;
  }
  return 0;
}

/* Build the index of a list table (name, alt_names, source, programs). */
static int el_list_build(el_ut_reader *r, void *ctx, void **pObj) {
  (void)ctx;
  el_list *l = sqlite3_malloc(sizeof(*l));
  *pObj = l;
  if (l == NULL) return SQLITE_NOMEM;
  memset(l, 0, sizeof(*l));
  l->ix = el_sindex_new(el_sq_realloc, el_sq_free);
  if (l->ix == NULL) return SQLITE_NOMEM;
  int cap = 0, rc;
  while ((rc = el_ut_step(r)) == SQLITE_ROW) {
    if (l->nrows == cap) {
      int nc = cap ? cap * 2 : 256;
      el_lrow *nr = sqlite3_realloc64(l->rows, (sqlite3_uint64)nc * sizeof(el_lrow));
      if (nr == NULL) { rc = SQLITE_NOMEM; break; }
      l->rows = nr;
      cap = nc;
    }
    const char *col[4];
    int len[4];
    sqlite3_uint64 total = 0;
    uint8_t nulls = 0;
    for (int k = 0; k < 4; k++) {
      col[k] = el_ut_text(r, k, &len[k]);
      if (col[k] == NULL) {
        if (el_ut_type(r, k) != SQLITE_NULL) { rc = SQLITE_NOMEM; break; }
        nulls |= (uint8_t)(1 << k);
        len[k] = 0;
      }
      total += (sqlite3_uint64)len[k] + 1;
    }
    if (rc == SQLITE_NOMEM) break;
    el_lrow *row = &l->rows[l->nrows];
    row->mem = sqlite3_malloc64(total);
    if (row->mem == NULL) { rc = SQLITE_NOMEM; break; }
    row->nulls = nulls;
    uint32_t o = 0;
    for (int k = 0; k < 4; k++) {
      row->off[k] = o;
      if (len[k]) memcpy(row->mem + o, col[k], (size_t)len[k]);
      /* text with NUL bytes: keep what C sees, up to the first NUL */
      row->mem[o + (uint32_t)len[k]] = 0;
      o += (uint32_t)len[k] + 1;
    }
    int i = l->nrows++;
    const char *nm = row->mem + row->off[0];
    if (el_sindex_add(l->ix, i, 0, nm, strlen(nm)) < 0) { rc = SQLITE_NOMEM; break; }
    const char *az;
    size_t an;
    for (int k = 1; el_alias_at(row->mem + row->off[1], k, &az, &an); k++) {
      if (el_sindex_add(l->ix, i, k, az, an) < 0) { rc = SQLITE_NOMEM; break; }
    }
    if (rc == SQLITE_NOMEM) break;
  }
  if (rc == SQLITE_DONE) rc = el_sindex_finish(l->ix) ? SQLITE_NOMEM : SQLITE_OK;
  return rc;
}

static const char *const el_list_columns[] = {"name", "alt_names", "source", "programs"};
static const el_ut_spec el_list_spec = {
  "screen", "list_table", "list", el_list_columns, 4, 4, 0x7ffffff0, el_list_build, el_list_free
};

typedef struct el_scr_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  el_ut_cache *lists;
} el_scr_vtab;

/* ------------------------------------------------------------------------ */
/* screen(name [, list_table [, threshold]])                                 */

enum {
  EL_S_NAME, EL_S_ALIAS, EL_S_SOURCE, EL_S_PROGRAMS, EL_S_SCORE, EL_S_REASON,
  EL_S_INPUT, EL_S_LIST, EL_S_THRESHOLD
};
static const char *const el_scr_args[] = {"name", "list_table", "threshold"};

typedef struct el_scr_cursor {
  sqlite3_vtab_cursor base;
  el_ut_use use; /* the list this statement uses */
  el_list *list;
  el_shit *hits;
  int nhits, pos;
  sqlite3_value *args[3];
} el_scr_cursor;

static int el_scr_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  int rc = el_vtab_declare(db, aux,
      "CREATE TABLE x(name TEXT, alias TEXT, source TEXT, programs TEXT, score REAL,"
      " reason TEXT, input HIDDEN, list_table HIDDEN, threshold HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  el_scr_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == NULL) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  vt->lists = el_module_aux(aux);
  *ppVtab = &vt->base;
  return SQLITE_OK;
}

static int el_scr_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  return el_tvf_best_index(tab, info, EL_S_INPUT, 3, 1, "screen", el_scr_args);
}

static int el_scr_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  return el_cursor_alloc(sizeof(el_scr_cursor), ppCur);
}

static void el_scr_reset(el_scr_cursor *c) {
  if (c->hits) el_sindex_free_hits(c->list->ix, c->hits);
  c->hits = NULL;
  for (int k = 0; k < 3; k++) {
    sqlite3_value_free(c->args[k]);
    c->args[k] = NULL;
  }
  c->nhits = c->pos = 0;
}

static int el_scr_close(sqlite3_vtab_cursor *cur) {
  el_scr_reset((el_scr_cursor *)cur);
  el_ut_release(&((el_scr_cursor *)cur)->use);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int el_scr_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  el_scr_cursor *c = (el_scr_cursor *)cur;
  el_scr_vtab *vt = (el_scr_vtab *)cur->pVtab;
  (void)idxStr;
  el_scr_reset(c);
  int rc = el_tvf_missing(cur, idxNum, 1, "screen", el_scr_args);
  if (rc != SQLITE_OK) return rc;
  /* the arguments present, in order */
  sqlite3_value *a[3] = {NULL, NULL, NULL};
  for (int k = 0, i = 0; k < 3; k++)
    if ((idxNum & (1 << k)) && i < argc) a[k] = argv[i++];
  for (int k = 0; k < 3; k++)
    if (a[k] && (c->args[k] = sqlite3_value_dup(a[k])) == NULL) return SQLITE_NOMEM;

  const char *list = NULL;
  if (a[1] && (rc = el_ut_arg(&el_list_spec, a[1], cur->pVtab, &list)) != SQLITE_OK) return rc;
  if (list == NULL) list = EL_DEFAULT_LIST;
  double threshold = EL_DEFAULT_THRESHOLD;
  if (a[2] && sqlite3_value_type(a[2]) != SQLITE_NULL) {
    int t = sqlite3_value_numeric_type(a[2]);
    threshold = sqlite3_value_double(a[2]);
    if ((t != SQLITE_INTEGER && t != SQLITE_FLOAT) || !(threshold >= 0.0 && threshold <= 1.0)) {
      el_vtab_error(cur->pVtab, "screen(): threshold must be a number from 0 to 1");
      return SQLITE_ERROR;
    }
  }
  rc = el_ut_acquire(vt->lists, vt->db, cur->pVtab, &c->use, list);
  if (rc != SQLITE_OK) return rc;
  c->list = el_ut_data(&c->use);
  const char *z;
  size_t n;
  int t = sqlite3_value_type(a[0]);
  if (t == SQLITE_NULL) return SQLITE_OK; /* no rows */
  z = t == SQLITE_BLOB ? (const char *)sqlite3_value_blob(a[0]) : (const char *)sqlite3_value_text(a[0]);
  n = (size_t)sqlite3_value_bytes(a[0]);
  if (z == NULL) {
    if (n > 0 || t != SQLITE_BLOB) return SQLITE_NOMEM;
    return SQLITE_OK;
  }
  int nh = el_sindex_query(c->list->ix, z, n, threshold, &c->hits, NULL);
  if (nh < 0) return SQLITE_NOMEM;
  c->nhits = nh;
  c->pos = 0;
  return SQLITE_OK;
}

static int el_scr_next(sqlite3_vtab_cursor *cur) {
  ((el_scr_cursor *)cur)->pos++;
  return SQLITE_OK;
}

static int el_scr_eof(sqlite3_vtab_cursor *cur) {
  el_scr_cursor *c = (el_scr_cursor *)cur;
  return c->pos >= c->nhits;
}

static void el_row_text(sqlite3_context *ctx, const el_lrow *r, int k) {
  if (!(r->nulls & (1 << k))) sqlite3_result_text(ctx, r->mem + r->off[k], -1, SQLITE_TRANSIENT);
}

static int el_scr_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_scr_cursor *c = (el_scr_cursor *)cur;
  const el_shit *h = &c->hits[c->pos];
  const el_lrow *r = &c->list->rows[h->row];
  switch (col) {
    case EL_S_NAME: el_row_text(ctx, r, 0); break;
    case EL_S_ALIAS: {
      const char *z;
      size_t n;
      if (h->alias > 0 && el_alias_at(r->mem + r->off[1], h->alias, &z, &n))
        sqlite3_result_text(ctx, z, (int)n, SQLITE_TRANSIENT);
      break;
    }
    case EL_S_SOURCE: el_row_text(ctx, r, 2); break;
    case EL_S_PROGRAMS: el_row_text(ctx, r, 3); break;
    case EL_S_SCORE: sqlite3_result_double(ctx, h->score); break;
    case EL_S_REASON:
      sqlite3_result_text(ctx, h->exact ? (h->alias ? "alias" : "exact") : "fuzzy", -1,
                          SQLITE_STATIC);
      break;
    default:
      if (c->args[col - EL_S_INPUT]) sqlite3_result_value(ctx, c->args[col - EL_S_INPUT]);
      break;
  }
  return SQLITE_OK;
}

static int el_scr_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_scr_cursor *)cur)->pos + 1;
  return SQLITE_OK;
}

static const sqlite3_module el_screen_module = {
  0, NULL, el_scr_connect, el_scr_best_index, el_vtab_disconnect, NULL,
  el_scr_open, el_scr_close, el_scr_filter, el_scr_next,
  el_scr_eof, el_scr_column, el_scr_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* Registration                                                              */

static void el_lists_free(void *aux) { el_ut_cache_free(aux); }

int el_screen_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"name_key", 1, EL_PURE, el_name_key_fn},
    {"name_similarity", 2, EL_PURE, el_name_similarity_fn},
    {NULL, 0, 0, NULL}
  };
  int rc = el_register_functions(db, fns, pzErr);
  if (rc != SQLITE_OK) return rc;
  el_ut_cache *lists = el_ut_cache_new(&el_list_spec, NULL);
  if (lists == NULL) {
    *pzErr = sqlite3_mprintf("exportlens: out of memory registering screen");
    return SQLITE_NOMEM;
  }
  /* Trust (see el_sqlite.h): screen() always reads a table, the one its
  ** second argument names or 'csl', in whichever schema the name resolves
  ** to; a stored view or trigger must not call it. TEMP views may. */
  const el_module_def mods[] = {
    {"screen", &el_screen_module, EL_READS_TABLES, lists, el_lists_free},
    {NULL, NULL, 0, NULL, NULL}
  };
  return el_register_modules(db, mods, pzErr);
}
