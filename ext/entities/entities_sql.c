/*
** SQL adapters for the entities capability:
**   countries                       eponymous table of ISO 3166-1 + economies
**   country_code(text)              ISO3 for a name, alias, demonym or code
**   country_name(code)              the name for an ISO3/ISO2/numeric code
**   entities(text [, dictionary])   entity mentions, see el_entities.h
** They copy arguments, call the core (el_countries.c, el_entities.c) and hand
** rows to SQLite; byte offsets become character offsets here (el_charpos).
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_unicode.h"
#include "el_countries.h"
#include "el_entities.h"
#include "entities.h"

/* ------------------------------------------------------------------------ */
/* country_code(text), country_name(code)                                    */

static int el_arg_text(sqlite3_context *ctx, sqlite3_value *v, const char **z, int *n) {
  int t = sqlite3_value_type(v);
  *z = NULL;
  *n = 0;
  if (t == SQLITE_NULL) return 0;
  *z = t == SQLITE_BLOB ? (const char *)sqlite3_value_blob(v) : (const char *)sqlite3_value_text(v);
  *n = sqlite3_value_bytes(v);
  if (*z == NULL && *n > 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  return *z != NULL;
}

static void el_country_code_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *z;
  int n;
  (void)argc;
  if (!el_arg_text(ctx, argv[0], &z, &n)) return;
  int idx = el_country_lookup(z, (size_t)n);
  if (idx == -2) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (idx >= 0) sqlite3_result_text(ctx, el_country_at(idx)->iso3, -1, SQLITE_STATIC);
}

static void el_country_name_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *z;
  int n;
  (void)argc;
  if (!el_arg_text(ctx, argv[0], &z, &n)) return;
  int idx = el_country_by_code(z, (size_t)n);
  if (idx >= 0) sqlite3_result_text(ctx, el_country_display(idx), -1, SQLITE_STATIC);
}

/* ------------------------------------------------------------------------ */
/* countries                                                                 */

enum { EL_C_ISO3, EL_C_ISO2, EL_C_NUMERIC, EL_C_NAME, EL_C_COMMON, EL_C_OFFICIAL, EL_C_ALIASES };

typedef struct el_countries_cursor {
  sqlite3_vtab_cursor base;
  int row;
} el_countries_cursor;

static int el_countries_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                                sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux; (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, SQLITE_VTAB_INNOCUOUS,
      "CREATE TABLE x(iso3 TEXT, iso2 TEXT, numeric TEXT, name TEXT, common_name TEXT,"
      " official_name TEXT, aliases TEXT)", ppVtab);
}

static int el_countries_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  (void)tab;
  info->estimatedCost = (double)el_country_count();
  info->estimatedRows = el_country_count();
  return SQLITE_OK;
}

static int el_countries_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  return el_cursor_alloc(sizeof(el_countries_cursor), ppCur);
}

static int el_countries_close(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int el_countries_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                               int argc, sqlite3_value **argv) {
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  ((el_countries_cursor *)cur)->row = 0;
  return SQLITE_OK;
}

static int el_countries_next(sqlite3_vtab_cursor *cur) {
  ((el_countries_cursor *)cur)->row++;
  return SQLITE_OK;
}

static int el_countries_eof(sqlite3_vtab_cursor *cur) {
  return ((el_countries_cursor *)cur)->row >= el_country_count();
}

/* JSON array of the project's aliases and demonyms for country idx. */
static char *el_aliases_json(int idx) {
  sqlite3_str *s = sqlite3_str_new(NULL);
  int first = 1;
  sqlite3_str_appendchar(s, 1, '[');
  for (int i = 0; i < el_country_alias_count(); i++) {
    const el_country_alias *a = el_country_alias_at(i);
    if (a->country != idx) continue;
    if (!first) sqlite3_str_appendchar(s, 1, ',');
    first = 0;
    sqlite3_str_appendchar(s, 1, '"');
    for (const char *p = a->text; *p; p++) {
      if (*p == '"' || *p == '\\') sqlite3_str_appendchar(s, 1, '\\');
      sqlite3_str_appendchar(s, 1, *p);
    }
    sqlite3_str_appendchar(s, 1, '"');
  }
  sqlite3_str_appendchar(s, 1, ']');
  return sqlite3_str_finish(s);
}

static void el_result_text_or_null(sqlite3_context *ctx, const char *s) {
  if (s && s[0]) sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
}

static int el_countries_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  int row = ((el_countries_cursor *)cur)->row;
  const el_country *c = el_country_at(row);
  switch (col) {
    case EL_C_ISO3: el_result_text_or_null(ctx, c->iso3); break;
    case EL_C_ISO2: el_result_text_or_null(ctx, c->iso2); break;
    case EL_C_NUMERIC: el_result_text_or_null(ctx, c->numeric); break;
    case EL_C_NAME: el_result_text_or_null(ctx, c->name); break;
    case EL_C_COMMON: el_result_text_or_null(ctx, el_country_display(row)); break;
    case EL_C_OFFICIAL: el_result_text_or_null(ctx, c->official_name[0] ? c->official_name
                                                                        : c->name); break;
    default: {
      char *j = el_aliases_json(row);
      if (j == NULL) return SQLITE_NOMEM;
      sqlite3_result_text(ctx, j, -1, sqlite3_free);
      break;
    }
  }
  return SQLITE_OK;
}

static int el_countries_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_countries_cursor *)cur)->row + 1;
  return SQLITE_OK;
}

static const sqlite3_module el_countries_module = {
  0, NULL, el_countries_connect, el_countries_best_index, el_vtab_disconnect, NULL,
  el_countries_open, el_countries_close, el_countries_filter, el_countries_next,
  el_countries_eof, el_countries_column, el_countries_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* entities(text [, dictionary])                                             */

enum {
  EL_E_ENTITY, EL_E_LABEL, EL_E_CANONICAL, EL_E_START, EL_E_END, EL_E_SENTENCE, EL_E_SOURCE,
  EL_E_INPUT, EL_E_DICTIONARY, EL_E_MODEL
};
static const char *const el_ent_args[] = {"text", "dictionary", "model"};

#define EL_DICT_MAX_LABEL 64
#define EL_DICT_MAX_NAME 1000

/* A compiled dictionary table, shared by the vtab (its cache) and the
** cursors using it; freed when the last one lets go. */
typedef struct el_dict {
  el_lex *lx;
  int refs;
  char *table;
  sqlite3_int64 changes;
  unsigned int dv_main, dv_temp;
} el_dict;

typedef struct el_ent_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  el_dict *cache;
  int loading; /* reading a dictionary: a nested entities() must not read one again */
} el_ent_vtab;

static void el_dict_release(el_dict *d) {
  if (d && --d->refs == 0) {
    el_lex_free(d->lx);
    sqlite3_free(d->table);
    sqlite3_free(d);
  }
}

static void el_db_versions(sqlite3 *db, unsigned int *vm, unsigned int *vt) {
  *vm = *vt = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, vm) != SQLITE_OK) *vm = 0;
  if (sqlite3_file_control(db, "temp", SQLITE_FCNTL_DATA_VERSION, vt) != SQLITE_OK) *vt = 0;
}

/* Read table `name` (name, label, canonical) into a new lexicon. */
static int el_dict_load(el_ent_vtab *vt, const char *name, el_dict **out) {
  sqlite3 *db = vt->db;
  *out = NULL;
  const char *dot = strchr(name, '.');
  char *sql;
  if (dot) {
    char *schema = sqlite3_mprintf("%.*s", (int)(dot - name), name);
    if (schema == NULL) return SQLITE_NOMEM;
    sql = sqlite3_mprintf("SELECT name, label, canonical FROM \"%w\".\"%w\"", schema, dot + 1);
    sqlite3_free(schema);
  } else {
    sql = sqlite3_mprintf("SELECT name, label, canonical FROM \"%w\"", name);
  }
  if (sql == NULL) return SQLITE_NOMEM;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) {
    el_vtab_error(&vt->base, "entities(): cannot read dictionary '%s': %s", name,
                  sqlite3_errmsg(db));
    return rc == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
  }
  el_dict *d = sqlite3_malloc(sizeof(*d));
  if (d == NULL) {
    sqlite3_finalize(st);
    return SQLITE_NOMEM;
  }
  memset(d, 0, sizeof(*d));
  d->refs = 1;
  d->table = sqlite3_mprintf("%s", name);
  d->lx = el_lex_new();
  char *source = sqlite3_mprintf("dictionary:%s", name);
  if (d->table == NULL || d->lx == NULL || source == NULL) {
    sqlite3_free(source);
    sqlite3_finalize(st);
    el_dict_release(d);
    return SQLITE_NOMEM;
  }
  long row = 0;
  int own = 0; /* the error is ours, with its message already set */
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    row++;
    const char *nm = (const char *)sqlite3_column_text(st, 0);
    int nn = sqlite3_column_bytes(st, 0);
    const char *lb = (const char *)sqlite3_column_text(st, 1);
    int ln = sqlite3_column_bytes(st, 1);
    const char *cn = (const char *)sqlite3_column_text(st, 2);
    if (nm == NULL || nn == 0) continue; /* a row without a name matches nothing */
    if (lb == NULL || ln == 0 || ln > EL_DICT_MAX_LABEL) {
      el_vtab_error(&vt->base, "entities(): dictionary '%s' row %ld: label must be 1 to %d "
                    "characters", name, row, EL_DICT_MAX_LABEL);
      rc = SQLITE_ERROR;
      own = 1;
      break;
    }
    if (nn > EL_DICT_MAX_NAME) {
      el_vtab_error(&vt->base, "entities(): dictionary '%s' row %ld: name longer than %d bytes",
                    name, row, EL_DICT_MAX_NAME);
      rc = SQLITE_ERROR;
      own = 1;
      break;
    }
    long r = el_lex_add(d->lx, nm, (size_t)nn, lb, cn && cn[0] ? cn : NULL, source, 8u, 0, NULL);
    if (r == -1) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (r == -2) {
      el_vtab_error(&vt->base, "entities(): dictionary '%s' row %ld: name must have 1 to %d "
                    "tokens", name, row, EL_LEX_MAX_TOKENS);
      rc = SQLITE_ERROR;
      own = 1;
      break;
    }
  }
  sqlite3_free(source);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (!own && rc != SQLITE_NOMEM) {
    el_vtab_error(&vt->base, "entities(): cannot read dictionary '%s': %s", name,
                  sqlite3_errmsg(db));
    rc = SQLITE_ERROR;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) {
    el_dict_release(d);
    return rc;
  }
  *out = d;
  return SQLITE_OK;
}

/* The compiled dictionary for table `name`: the cached one when neither this
** connection (total_changes) nor another (data_version) changed anything. */
static int el_dict_get(el_ent_vtab *vt, const char *name, el_dict **out) {
  sqlite3_int64 changes = sqlite3_total_changes64(vt->db);
  unsigned int vm, vtmp;
  el_db_versions(vt->db, &vm, &vtmp);
  el_dict *c = vt->cache;
  if (c && strcmp(c->table, name) == 0 && c->changes == changes && c->dv_main == vm &&
      c->dv_temp == vtmp) {
    c->refs++;
    *out = c;
    return SQLITE_OK;
  }
  if (vt->loading) {
    /* a dictionary that is a view over entities(..., dictionary) */
    el_vtab_error(&vt->base, "entities(): dictionary '%s' is read while reading a dictionary",
                  name);
    return SQLITE_ERROR;
  }
  vt->loading = 1;
  int rc = el_dict_load(vt, name, out);
  vt->loading = 0;
  if (rc != SQLITE_OK) return rc;
  (*out)->changes = changes;
  (*out)->dv_main = vm;
  (*out)->dv_temp = vtmp;
  el_dict_release(vt->cache);
  vt->cache = *out;
  (*out)->refs++;
  return SQLITE_OK;
}

typedef struct el_ent_cursor {
  sqlite3_vtab_cursor base;
  sqlite3_value *arg;
  sqlite3_value *dict_arg;
  sqlite3_value *model_arg;
  char *text;
  size_t n;
  el_ent *ex;
  el_dict *dict;
  el_ent_span span;
  sqlite3_int64 rowid;
  el_charpos cpos;
  size_t cstart, cend;
  int have_chars;
  int eof;
} el_ent_cursor;

static int el_ent_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux; (void)argc; (void)argv; (void)pzErr;
  int rc = sqlite3_declare_vtab(db,
      "CREATE TABLE x(entity TEXT, label TEXT, canonical, start INTEGER, \"end\" INTEGER,"
      " sentence INTEGER, source TEXT, input HIDDEN, dictionary HIDDEN, model HIDDEN)");
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  el_ent_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == NULL) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  *ppVtab = &vt->base;
  return SQLITE_OK;
}

static int el_ent_disconnect(sqlite3_vtab *tab) {
  el_ent_vtab *vt = (el_ent_vtab *)tab;
  el_dict_release(vt->cache);
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int el_ent_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  return el_tvf_best_index(tab, info, EL_E_INPUT, 3, 1, "entities", el_ent_args);
}

static int el_ent_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  int rc = el_cursor_alloc(sizeof(el_ent_cursor), ppCur);
  if (rc != SQLITE_OK) return rc;
  el_ent_cursor *c = (el_ent_cursor *)*ppCur;
  c->eof = 1;
  c->ex = el_ent_new();
  if (c->ex == NULL) {
    sqlite3_free(c);
    *ppCur = NULL;
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

static void el_ent_cursor_reset(el_ent_cursor *c) {
  sqlite3_value_free(c->arg);
  sqlite3_value_free(c->dict_arg);
  sqlite3_value_free(c->model_arg);
  c->model_arg = NULL;
  sqlite3_free(c->text);
  el_dict_release(c->dict);
  c->arg = c->dict_arg = NULL;
  c->text = NULL;
  c->dict = NULL;
  el_ent_set_user(c->ex, NULL);
  el_ent_start(c->ex, NULL, 0);
}

static int el_ent_close(sqlite3_vtab_cursor *cur) {
  el_ent_cursor *c = (el_ent_cursor *)cur;
  el_ent_cursor_reset(c);
  el_ent_free(c->ex);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int el_ent_next_row(sqlite3_vtab_cursor *cur) {
  el_ent_cursor *c = (el_ent_cursor *)cur;
  int rc = el_ent_next(c->ex, &c->span);
  if (rc < 0) return SQLITE_NOMEM;
  if (rc == 0) {
    c->eof = 1;
    return SQLITE_OK;
  }
  c->rowid++;
  c->have_chars = 0;
  return SQLITE_OK;
}

/* The third argument, model: 1 or NULL (the default) runs the named-entity
** model with the rules, 0 the rules alone (entities() as it was before the
** model, and faster). */
static int el_ent_model_arg(el_ent_cursor *c, int idxNum, int argc, sqlite3_value **argv) {
  int on = 1;
  if (idxNum & 4) {
    int k = (idxNum & 2) ? 2 : 1;
    if (k >= argc) return SQLITE_ERROR;
    if ((c->model_arg = sqlite3_value_dup(argv[k])) == NULL) return SQLITE_NOMEM;
    int t = sqlite3_value_type(argv[k]);
    if (t != SQLITE_NULL) {
      sqlite3_int64 v = sqlite3_value_int64(argv[k]);
      if (t != SQLITE_INTEGER || (v != 0 && v != 1)) {
        el_vtab_error(c->base.pVtab, "entities(): model must be 0 (rules only) or 1");
        return SQLITE_ERROR;
      }
      on = (int)v;
    }
  }
  if (on == el_ent_model_on(c->ex)) return SQLITE_OK;
  /* without a model built in, 1 means the rules, as before */
  if (el_ent_set_model(c->ex, on) != 0 && on && el_ner_builtin() != NULL) return SQLITE_NOMEM;
  return SQLITE_OK;
}

static int el_ent_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  el_ent_cursor *c = (el_ent_cursor *)cur;
  (void)idxStr;
  c->eof = 1;
  el_ent_cursor_reset(c);
  int rc = el_tvf_missing(cur, idxNum, 1, "entities", el_ent_args);
  if (rc != SQLITE_OK || argc < 1) return rc;
  if ((c->arg = sqlite3_value_dup(argv[0])) == NULL) return SQLITE_NOMEM;
  if ((idxNum & 2) && argc >= 2) {
    if ((c->dict_arg = sqlite3_value_dup(argv[1])) == NULL) return SQLITE_NOMEM;
    int t = sqlite3_value_type(argv[1]);
    if (t != SQLITE_NULL) {
      const char *name = (const char *)sqlite3_value_text(argv[1]);
      if (name == NULL) return SQLITE_NOMEM;
      if (t != SQLITE_TEXT || name[0] == 0) {
        el_vtab_error(cur->pVtab, "entities(): dictionary must be a table name");
        return SQLITE_ERROR;
      }
      rc = el_dict_get((el_ent_vtab *)cur->pVtab, name, &c->dict);
      if (rc != SQLITE_OK) return rc;
      el_ent_set_user(c->ex, c->dict->lx);
    }
  }
  rc = el_ent_model_arg(c, idxNum, argc, argv);
  if (rc != SQLITE_OK) return rc;
  rc = el_value_copy(argv[0], &c->text, &c->n);
  if (rc != SQLITE_OK || c->text == NULL) return rc;
  if (el_ent_start(c->ex, c->text, c->n) != 0) return SQLITE_NOMEM;
  el_charpos_init(&c->cpos, (const unsigned char *)c->text);
  c->eof = 0;
  c->rowid = 0;
  return el_ent_next_row(cur);
}

static int el_ent_eof(sqlite3_vtab_cursor *cur) { return ((el_ent_cursor *)cur)->eof; }

static int el_ent_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_ent_cursor *c = (el_ent_cursor *)cur;
  const el_ent_span *s = &c->span;
  switch (col) {
    case EL_E_ENTITY:
      sqlite3_result_text(ctx, c->text + s->start, (int)(s->end - s->start), SQLITE_TRANSIENT);
      break;
    case EL_E_LABEL: sqlite3_result_text(ctx, s->label, -1, SQLITE_TRANSIENT); break;
    case EL_E_CANONICAL:
      if (s->has_value) {
        if (s->value == (double)(sqlite3_int64)s->value && s->value < 9e15)
          sqlite3_result_int64(ctx, (sqlite3_int64)s->value);
        else
          sqlite3_result_double(ctx, s->value);
      } else if (s->canonical) {
        sqlite3_result_text(ctx, s->canonical, -1, SQLITE_TRANSIENT);
      }
      break;
    case EL_E_START:
    case EL_E_END:
      if (!c->have_chars) {
        c->cstart = el_charpos_at(&c->cpos, s->start);
        c->cend = el_charpos_at(&c->cpos, s->end);
        c->have_chars = 1;
      }
      sqlite3_result_int64(ctx, (sqlite3_int64)(col == EL_E_START ? c->cstart : c->cend));
      break;
    case EL_E_SENTENCE: sqlite3_result_int64(ctx, (sqlite3_int64)s->sentence); break;
    case EL_E_SOURCE:
      if (s->source) sqlite3_result_text(ctx, s->source, -1, SQLITE_TRANSIENT);
      break;
    case EL_E_INPUT: sqlite3_result_value(ctx, c->arg); break;
    case EL_E_MODEL:
      if (c->model_arg) sqlite3_result_value(ctx, c->model_arg);
      break;
    default:
      if (c->dict_arg) sqlite3_result_value(ctx, c->dict_arg);
      break;
  }
  return SQLITE_OK;
}

static int el_ent_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_ent_cursor *)cur)->rowid;
  return SQLITE_OK;
}

static const sqlite3_module el_entities_module = {
  0, NULL, el_ent_connect, el_ent_best_index, el_ent_disconnect, NULL,
  el_ent_open, el_ent_close, el_ent_filter, el_ent_next_row,
  el_ent_eof, el_ent_column, el_ent_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* Registration                                                              */

static void el_builtin_release_aux(void *aux) {
  (void)aux;
  el_ent_builtin_release();
}

int el_entities_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"country_code", 1, EL_PURE, el_country_code_fn},
    {"country_name", 1, EL_PURE, el_country_name_fn},
    {NULL, 0, 0, NULL}
  };
  /* The built-in gazetteers live while a connection has the module: the
  ** entities module's destructor gives the reference back (SQLite also calls
  ** it when registering fails), so it is registered first. */
  if (el_ent_builtin_acquire() != 0) {
    *pzErr = sqlite3_mprintf("exportlens: out of memory building the entity gazetteers");
    return SQLITE_NOMEM;
  }
  int rc = sqlite3_create_module_v2(db, "entities", &el_entities_module, NULL,
                                    el_builtin_release_aux);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("exportlens: cannot register module entities: %s",
                             sqlite3_errstr(rc));
    return rc;
  }
  rc = el_register_functions(db, fns, pzErr);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_create_module_v2(db, "countries", &el_countries_module, NULL, NULL);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("exportlens: cannot register module countries: %s",
                             sqlite3_errstr(rc));
    return rc;
  }
  return SQLITE_OK;
}
