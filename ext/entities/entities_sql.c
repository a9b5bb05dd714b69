/*
** SQL adapters for the entities capability:
**   countries                       eponymous table of ISO 3166-1 + economies
**   country_code(text)              ISO3 for a name, alias, demonym or code
**   country_name(code)              the name for an ISO3/ISO2/numeric code
**   entities(text)                  entity mentions, see el_entities.h
**   entities_with(text, dictionary) the same, with a dictionary table's rows
** They copy arguments, call the core (el_countries.c, el_entities.c) and hand
** rows to SQLite; byte offsets become character offsets here (el_charpos).
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_unicode.h"
#include "../common/el_usertable.h"
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
  (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, aux,
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
/* entities(text [, dictionary]), entities_with(text, dictionary)            */
/*                                                                          */
/* One cursor type for both. entities() is pure: its dictionary argument    */
/* must be NULL (el_ut_refuse names entities_with). entities_with() reads   */
/* the dictionary table, through the shared user-table cache.               */

enum {
  EL_E_ENTITY, EL_E_LABEL, EL_E_CANONICAL, EL_E_START, EL_E_END, EL_E_SENTENCE, EL_E_SOURCE,
  EL_E_INPUT, EL_E_DICTIONARY, EL_E_MODEL
};
static const char *const el_ent_args[] = {"text", "dictionary", "model"};

#define EL_DICT_MAX_LABEL 64
#define EL_DICT_MAX_NAME 1000

/* Build a lexicon from a dictionary table's rows (name, label, canonical). */
static int el_dict_build(el_ut_reader *r, void *ctx, void **pObj) {
  (void)ctx;
  el_lex *lx = el_lex_new();
  char *source = sqlite3_mprintf("dictionary:%s", el_ut_name(r));
  int rc;
  *pObj = lx;
  if (lx == NULL || source == NULL) {
    sqlite3_free(source);
    return SQLITE_NOMEM;
  }
  while ((rc = el_ut_step(r)) == SQLITE_ROW) {
    int nn, ln;
    const char *nm = el_ut_text(r, 0, &nn);
    const char *lb = el_ut_text(r, 1, &ln);
    const char *cn = el_ut_text(r, 2, NULL);
    if (nm == NULL && el_ut_type(r, 0) != SQLITE_NULL) { rc = SQLITE_NOMEM; break; }
    if (nm == NULL || nn == 0) continue; /* a row without a name matches nothing */
    if (lb == NULL || ln == 0 || ln > EL_DICT_MAX_LABEL) {
      rc = el_ut_error(r, "label must be 1 to %d characters", EL_DICT_MAX_LABEL);
      break;
    }
    if (nn > EL_DICT_MAX_NAME) {
      rc = el_ut_error(r, "name longer than %d bytes", EL_DICT_MAX_NAME);
      break;
    }
    long k = el_lex_add(lx, nm, (size_t)nn, lb, cn && cn[0] ? cn : NULL, source, 8u, 0, NULL);
    if (k == -1) { rc = SQLITE_NOMEM; break; }
    if (k == -2) {
      rc = el_ut_error(r, "name must have 1 to %d tokens", EL_LEX_MAX_TOKENS);
      break;
    }
  }
  sqlite3_free(source);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void el_dict_free(void *p) { el_lex_free(p); }

static const char *const el_dict_columns[] = {"name", "label", "canonical"};
static const el_ut_spec el_dict_spec = {
  "entities_with", "dictionary", "dictionary", el_dict_columns, 3, 3, 0,
  el_dict_build, el_dict_free
};

typedef struct el_ent_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  el_ut_cache *dicts; /* entities_with() only */
} el_ent_vtab;

typedef struct el_ent_cursor {
  sqlite3_vtab_cursor base;
  el_arg text;
  sqlite3_value *dict_arg;
  el_ut_use dict; /* the dictionary this statement uses */
  sqlite3_value *model_arg;
  el_ent *ex;
  el_ent_span span;
  sqlite3_int64 rowid;
  el_charpos cpos;
  size_t cstart, cend;
  int have_chars;
  int eof;
} el_ent_cursor;

static int el_ent_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  int rc = el_vtab_declare(db, aux,
      "CREATE TABLE x(entity TEXT, label TEXT, canonical, start INTEGER, \"end\" INTEGER,"
      " sentence INTEGER, source TEXT, input HIDDEN, dictionary HIDDEN, model HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  el_ent_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == NULL) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  vt->dicts = el_module_aux(aux);
  *ppVtab = &vt->base;
  return SQLITE_OK;
}

static const char *el_ent_fname(sqlite3_vtab *tab) {
  return ((el_ent_vtab *)tab)->dicts ? "entities_with" : "entities";
}

static int el_ent_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  int with = ((el_ent_vtab *)tab)->dicts != NULL;
  return el_tvf_best_index(tab, info, EL_E_INPUT, 3, with ? 2 : 1, el_ent_fname(tab), el_ent_args);
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
  sqlite3_value_free(c->dict_arg);
  c->dict_arg = NULL;
  sqlite3_value_free(c->model_arg);
  c->model_arg = NULL;
  el_ent_set_user(c->ex, NULL);
  el_ent_start(c->ex, NULL, 0);
}

static int el_ent_close(sqlite3_vtab_cursor *cur) {
  el_ent_cursor *c = (el_ent_cursor *)cur;
  el_ent_cursor_reset(c);
  el_ent_free(c->ex);
  el_ut_release(&c->dict);
  el_arg_free(&c->text);
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
        el_vtab_error(c->base.pVtab, "%s(): model must be 0 (rules only) or 1", el_ent_fname(c->base.pVtab));
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
  el_ent_vtab *vt = (el_ent_vtab *)cur->pVtab;
  (void)idxStr;
  c->eof = 1;
  el_ent_cursor_reset(c);
  int rc = el_tvf_missing(cur, idxNum, vt->dicts ? 2 : 1, el_ent_fname(cur->pVtab), el_ent_args);
  if (rc != SQLITE_OK || argc < 1) return rc;
  if ((idxNum & 2) && argc >= 2) {
    if ((c->dict_arg = sqlite3_value_dup(argv[1])) == NULL) return SQLITE_NOMEM;
    if (vt->dicts == NULL) {
      /* entities() reads no table: a NULL dictionary is allowed (so that the
      ** third argument, model, can be given), a name is refused */
      rc = el_ut_refuse("entities", "dictionary", "entities_with(text, dictionary)", argv[1],
                        cur->pVtab);
      if (rc != SQLITE_OK) return rc;
    } else {
      const char *name;
      rc = el_ut_arg(&el_dict_spec, argv[1], cur->pVtab, &name);
      if (rc == SQLITE_OK && name) rc = el_ut_acquire(vt->dicts, vt->db, cur->pVtab, &c->dict, name);
      if (rc != SQLITE_OK) return rc;
      if (name) el_ent_set_user(c->ex, el_ut_data(&c->dict));
    }
  }
  rc = el_ent_model_arg(c, idxNum, argc, argv);
  if (rc != SQLITE_OK) return rc;
  rc = el_arg_set(&c->text, argv[0]);
  if (rc != SQLITE_OK || c->text.z == NULL) return rc;
  if (el_ent_start(c->ex, c->text.z, c->text.n) != 0) return SQLITE_NOMEM;
  el_charpos_init(&c->cpos, (const unsigned char *)c->text.z);
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
      sqlite3_result_text(ctx, c->text.z + s->start, (int)(s->end - s->start), SQLITE_TRANSIENT);
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
    case EL_E_INPUT: el_arg_result(ctx, &c->text); break;
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
  0, NULL, el_ent_connect, el_ent_best_index, el_vtab_disconnect, NULL,
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

static void el_dicts_free(void *aux) { el_ut_cache_free(aux); }

int el_entities_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"country_code", 1, EL_PURE, el_country_code_fn},
    {"country_name", 1, EL_PURE, el_country_name_fn},
    {NULL, 0, 0, NULL}
  };
  int rc = el_register_functions(db, fns, pzErr);
  if (rc != SQLITE_OK) return rc;
  /* The built-in gazetteers live while a connection has the entities
  ** module: its destructor gives the reference back (el_register_modules
  ** calls it also when registering fails). */
  if (el_ent_builtin_acquire() != 0) {
    *pzErr = sqlite3_mprintf("exportlens: out of memory building the entity gazetteers");
    return SQLITE_NOMEM;
  }
  el_ut_cache *dicts = el_ut_cache_new(&el_dict_spec, NULL);
  if (dicts == NULL) {
    el_ent_builtin_release();
    *pzErr = sqlite3_mprintf("exportlens: out of memory registering entities_with");
    return SQLITE_NOMEM;
  }
  /* Trust (see el_sqlite.h): entities() and countries read only their
  ** arguments and compiled-in data; entities_with() reads the table its
  ** second argument names, so a stored view or trigger must not call it. */
  const el_module_def mods[] = {
    {"entities", &el_entities_module, EL_PURE, NULL, el_builtin_release_aux},
    {"entities_with", &el_entities_module, EL_READS_TABLES, dicts, el_dicts_free},
    {"countries", &el_countries_module, EL_PURE, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL}
  };
  return el_register_modules(db, mods, pzErr);
}
