/*
** SQL adapters for export-control terms: export_terms(text),
** export_terms_with(text, lexicon), export_lexicon, eccn_parse(code) and
** cfr_parse(citation). The matching is
** in el_terms.c (no SQLite); this file copies arguments, reads user lexicon
** tables, caches compiled matchers per connection, and converts byte offsets
** to character offsets and sentence numbers, lazily, only for the rows and
** columns that ask for them.
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_unicode.h"
#include "../common/el_usertable.h"
#include "../text/el_tokenizer.h"
#include "el_terms.h"
#include "terms.h"

/* ------------------------------------------------------------------------ */
/* Per-connection state: the built-in matcher and the user lexicons' cache,  */
/* shared by export_terms and export_terms_with (each module holds a         */
/* reference).                                                               */

typedef struct el_terms_ref {
  el_terms *t;
  int refs;
} el_terms_ref;

typedef struct el_terms_conn {
  int refs;
  el_terms_ref *builtin;
  el_ut_cache *lexicons;
} el_terms_conn;

static void el_ref_release(el_terms_ref *r) {
  if (r && --r->refs == 0) {
    el_terms_free(r->t);
    sqlite3_free(r);
  }
}

static el_terms_ref *el_ref_new(el_terms *t) {
  el_terms_ref *r = sqlite3_malloc(sizeof(*r));
  if (!r) {
    el_terms_free(t);
    return NULL;
  }
  r->t = t;
  r->refs = 1;
  return r;
}

static void el_terms_conn_free(void *p) {
  el_terms_conn *c = p;
  if (!c || --c->refs > 0) return;
  el_ref_release(c->builtin);
  el_ut_cache_free(c->lexicons);
  sqlite3_free(c);
}

/* The built-in matcher, compiled on first use. */
static int el_builtin(el_terms_conn *c, el_terms_ref **out, char **errmsg) {
  if (!c->builtin) {
    char err[256];
    el_terms *t;
    if (el_terms_compile(NULL, 0, &t, err, sizeof(err))) {
      *errmsg = sqlite3_mprintf("export_terms(): %s", err);
      return SQLITE_ERROR;
    }
    if (!(c->builtin = el_ref_new(t))) return SQLITE_NOMEM;
  }
  c->builtin->refs++;
  *out = c->builtin;
  return SQLITE_OK;
}

#define EL_LEXICON_MAX_ROWS 1000000

enum { EL_LC_TERM, EL_LC_CATEGORY, EL_LC_CANONICAL, EL_LC_IS_PATTERN, EL_LC_RULE };

static void el_entries_free(el_term_entry *ents, size_t n) {
  for (size_t k = 0; k < n; k++) {
    sqlite3_free((char *)ents[k].rule);
    sqlite3_free((char *)ents[k].term);
    sqlite3_free((char *)ents[k].category);
    sqlite3_free((char *)ents[k].canonical);
  }
  sqlite3_free(ents);
}

/* Build a matcher (the built-ins plus the rows) from a lexicon table. */
static int el_lexicon_build(el_ut_reader *r, void *ctx, void **pObj) {
  (void)ctx;
  el_term_entry *ents = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = el_ut_step(r)) == SQLITE_ROW) {
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      el_term_entry *ne = sqlite3_realloc64(ents, ncap * sizeof(*ne));
      if (!ne) { rc = SQLITE_NOMEM; break; }
      ents = ne;
      cap = ncap;
    }
    el_term_entry *e = &ents[n];
    memset(e, 0, sizeof(*e));
    n++;
    const char *term = el_ut_text(r, EL_LC_TERM, NULL);
    const char *cat = el_ut_text(r, EL_LC_CATEGORY, NULL);
    const char *can = el_ut_text(r, EL_LC_CANONICAL, NULL);
    const char *rule = el_ut_text(r, EL_LC_RULE, NULL);
    int pat = el_ut_int(r, EL_LC_IS_PATTERN) != 0;
    if (!term || !term[0]) {
      rc = el_ut_error(r, "empty term");
      break;
    }
    int has_rowid;
    sqlite3_int64 rowid = el_ut_rowid(r, &has_rowid);
    e->rule = rule ? sqlite3_mprintf("%s", rule)
                   : sqlite3_mprintf("%s:%lld", el_ut_table(r), has_rowid ? rowid : el_ut_row(r));
    e->term = sqlite3_mprintf("%s", term);
    e->category = sqlite3_mprintf("%s", cat ? cat : "user");
    e->canonical = sqlite3_mprintf("%s", can ? can : term);
    e->is_pattern = pat;
    if (!e->rule || !e->term || !e->category || !e->canonical) { rc = SQLITE_NOMEM; break; }
  }
  if (rc == SQLITE_DONE) {
    char err[300];
    el_terms *t;
    rc = SQLITE_OK;
    if (el_terms_compile(ents, n, &t, err, sizeof(err))) rc = el_ut_fail(r, "%s", err);
    else *pObj = t;
  }
  el_entries_free(ents, n);
  return rc;
}

static void el_lexicon_free(void *p) { el_terms_free(p); }

static const char *const el_lexicon_columns[] = {"term", "category", "canonical", "is_pattern",
                                                 "rule"};
static const el_ut_spec el_lexicon_spec = {
  "export_terms_with", "lexicon", "lexicon", el_lexicon_columns, 5, 3, EL_LEXICON_MAX_ROWS,
  el_lexicon_build, el_lexicon_free
};

/* ------------------------------------------------------------------------ */
/* export_terms(text [, lexicon]), export_terms_with(text, lexicon)          */
/*                                                                          */
/* One cursor type for both. export_terms() is pure: its lexicon argument   */
/* must be NULL (el_ut_refuse names export_terms_with). export_terms_with() */
/* reads the lexicon table through the shared user-table cache.             */

enum {
  EL_ET_TERM, EL_ET_CATEGORY, EL_ET_CANONICAL, EL_ET_START, EL_ET_END, EL_ET_SENTENCE,
  EL_ET_RULE, EL_ET_TEXT, EL_ET_LEXICON
};

static const char *const el_et_args[] = {"text", "lexicon"};

typedef struct el_et_vtab {
  sqlite3_vtab base;
  el_terms_conn *conn;
  int with; /* export_terms_with() */
  sqlite3 *db;
} el_et_vtab;

typedef struct el_et_cursor {
  sqlite3_vtab_cursor base;
  el_arg text;            /* our copy of the text, reused from row to row */
  sqlite3_value *arg_lex; /* the lexicon argument (hidden column) */
  el_terms_ref *builtin;  /* the matchers this statement uses */
  el_ut_use lex;
  const el_terms *m;      /* one of them */
  el_term_result res;
  size_t row;
  /* lazy character offsets */
  el_charpos cpos;
  size_t cstart, cend;
  int have_chars;
  /* lazy sentence numbers */
  el_segmenter seg;
  int seg_started, have_tok;
  el_token tok;
  size_t tok_sentence, sentence;
  int have_sentence;
} el_et_cursor;

static int el_et_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  int rc = el_vtab_declare(db, aux,
      "CREATE TABLE x(term TEXT, category TEXT, canonical TEXT, start INTEGER, \"end\" INTEGER,"
      " sentence INTEGER, rule TEXT, text HIDDEN, lexicon HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  el_et_vtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->conn = el_module_aux(aux);
  t->with = sqlite3_stricmp(argv[0], "export_terms_with") == 0;
  t->db = db;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static const char *el_et_fname(sqlite3_vtab *tab) {
  return ((el_et_vtab *)tab)->with ? "export_terms_with" : "export_terms";
}

static int el_et_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  return el_cursor_alloc(sizeof(el_et_cursor), ppCur);
}

static void el_et_reset_row_state(el_et_cursor *c) {
  sqlite3_value_free(c->arg_lex);
  c->arg_lex = NULL;
  c->row = 0;
  c->res.n = 0;
}

static int el_et_close(sqlite3_vtab_cursor *cur) {
  el_et_cursor *c = (el_et_cursor *)cur;
  el_et_reset_row_state(c);
  el_ref_release(c->builtin);
  el_ut_release(&c->lex);
  el_term_result_free(&c->res);
  el_arg_free(&c->text);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int el_et_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  el_et_cursor *c = (el_et_cursor *)cur;
  el_et_vtab *vt = (el_et_vtab *)cur->pVtab;
  (void)idxStr;
  el_et_reset_row_state(c);
  int rc = el_tvf_missing(cur, idxNum, vt->with ? 2 : 1, el_et_fname(cur->pVtab), el_et_args);
  if (rc != SQLITE_OK || argc < 1) return rc;

  /* the matcher: built-ins, or built-ins plus a lexicon table, looked up
  ** once per cursor (a cursor lives for one statement): later rows reuse it */
  const char *lex = NULL;
  if ((idxNum & 2) && argc >= 2) {
    if (sqlite3_value_type(argv[1]) != SQLITE_NULL && !(c->arg_lex = sqlite3_value_dup(argv[1])))
      return SQLITE_NOMEM;
    rc = vt->with ? el_ut_arg(&el_lexicon_spec, argv[1], cur->pVtab, &lex)
                  : el_ut_refuse("export_terms", "lexicon", "export_terms_with(text, lexicon)",
                                 argv[1], cur->pVtab);
    if (rc != SQLITE_OK) return rc;
  }
  if (lex) {
    rc = el_ut_acquire(vt->conn->lexicons, vt->db, cur->pVtab, &c->lex, lex);
    if (rc != SQLITE_OK) return rc;
    c->m = el_ut_data(&c->lex);
  } else {
    if (!c->builtin) {
      char *err = NULL;
      rc = el_builtin(vt->conn, &c->builtin, &err);
      if (rc != SQLITE_OK) {
        if (err) {
          sqlite3_free(cur->pVtab->zErrMsg);
          cur->pVtab->zErrMsg = el_utf8_sanitize(err);
        }
        return rc;
      }
    }
    c->m = c->builtin->t;
  }

  /* the text: copied into a buffer the cursor keeps from row to row (no
  ** allocation per row once it is large enough) */
  rc = el_arg_set(&c->text, argv[0]);
  if (rc != SQLITE_OK || c->text.z == NULL) return rc;
  char err[300];
  int frc = el_terms_find(c->m, c->text.z, c->text.n, &c->res, err, sizeof(err));
  if (frc == 1) return SQLITE_NOMEM;
  if (frc == 2) {
    el_vtab_error(cur->pVtab, "%s(): %s", el_et_fname(cur->pVtab), err);
    c->res.n = 0;
    return SQLITE_ERROR;
  }
  c->row = 0;
  el_charpos_init(&c->cpos, (const unsigned char *)c->text.z);
  c->have_chars = 0;
  c->seg_started = 0;
  c->have_sentence = 0;
  return SQLITE_OK;
}

static int el_et_next(sqlite3_vtab_cursor *cur) {
  el_et_cursor *c = (el_et_cursor *)cur;
  c->row++;
  c->have_chars = 0;
  c->have_sentence = 0;
  return SQLITE_OK;
}

static int el_et_eof(sqlite3_vtab_cursor *cur) {
  el_et_cursor *c = (el_et_cursor *)cur;
  return c->row >= c->res.n;
}

/* Sentence of the token holding byte b; the splitter runs only as far as the
** rows asked for (rows come in text order). */
static size_t el_et_sentence(el_et_cursor *c, size_t b) {
  if (!c->seg_started) {
    el_segmenter_init(&c->seg, c->text.z, c->text.n);
    c->seg_started = 1;
    c->tok_sentence = 0;
    c->have_tok = el_segmenter_next(&c->seg, &c->tok, &c->tok_sentence);
  }
  while (c->have_tok && c->tok.end <= b) {
    size_t s;
    el_token t;
    if (!el_segmenter_next(&c->seg, &t, &s)) {
      c->have_tok = 0;
      break;
    }
    c->tok = t;
    c->tok_sentence = s;
  }
  return c->tok_sentence;
}

static int el_et_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_et_cursor *c = (el_et_cursor *)cur;
  const el_term_match *m = &c->res.m[c->row];
  switch (col) {
    case EL_ET_TERM:
      sqlite3_result_text(ctx, c->text.z + m->start, (int)(m->end - m->start), SQLITE_TRANSIENT);
      break;
    case EL_ET_CATEGORY: sqlite3_result_text(ctx, m->category, -1, SQLITE_TRANSIENT); break;
    case EL_ET_CANONICAL:
      sqlite3_result_text(ctx, m->canonical, (int)m->canonical_len, SQLITE_TRANSIENT);
      break;
    case EL_ET_RULE: sqlite3_result_text(ctx, m->rule, -1, SQLITE_TRANSIENT); break;
    case EL_ET_START:
    case EL_ET_END:
      if (!c->have_chars) {
        c->cstart = el_charpos_at(&c->cpos, m->start);
        c->cend = el_charpos_at(&c->cpos, m->end);
        c->have_chars = 1;
      }
      sqlite3_result_int64(ctx, (sqlite3_int64)(col == EL_ET_START ? c->cstart : c->cend));
      break;
    case EL_ET_SENTENCE:
      if (!c->have_sentence) {
        c->sentence = el_et_sentence(c, m->start);
        c->have_sentence = 1;
      }
      sqlite3_result_int64(ctx, (sqlite3_int64)c->sentence);
      break;
    case EL_ET_TEXT: el_arg_result(ctx, &c->text); break; /* the argument, as it was given */
    default:
      if (c->arg_lex) sqlite3_result_value(ctx, c->arg_lex);
      break;
  }
  return SQLITE_OK;
}

static int el_et_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((el_et_cursor *)cur)->row;
  return SQLITE_OK;
}

static int el_et_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  return el_tvf_best_index(tab, info, EL_ET_TEXT, 2, ((el_et_vtab *)tab)->with ? 2 : 1,
                           el_et_fname(tab), el_et_args);
}

static const sqlite3_module el_et_module = {
  0,                 /* iVersion */
  NULL,              /* xCreate: NULL makes it eponymous-only */
  el_et_connect,     /* xConnect */
  el_et_best_index,  /* xBestIndex */
  el_vtab_disconnect,/* xDisconnect */
  NULL,              /* xDestroy */
  el_et_open,        /* xOpen */
  el_et_close,       /* xClose */
  el_et_filter,      /* xFilter */
  el_et_next,        /* xNext */
  el_et_eof,         /* xEof */
  el_et_column,      /* xColumn */
  el_et_rowid,       /* xRowid */
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* export_lexicon: the built-in entries, then the grammar rules              */

enum { EL_LX_RULE, EL_LX_TERM, EL_LX_CATEGORY, EL_LX_CANONICAL, EL_LX_IS_PATTERN };

typedef struct el_lx_cursor {
  sqlite3_vtab_cursor base;
  size_t row;
} el_lx_cursor;

static int el_lx_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, aux,
      "CREATE TABLE x(rule TEXT, term TEXT, category TEXT, canonical TEXT, is_pattern INTEGER)",
      ppVtab);
}

static int el_lx_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  (void)tab;
  info->estimatedCost = (double)(el_lexicon_count() + el_grammar_count());
  info->estimatedRows = (sqlite3_int64)(el_lexicon_count() + el_grammar_count());
  return SQLITE_OK;
}

static int el_lx_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  return el_cursor_alloc(sizeof(el_lx_cursor), ppCur);
}

static int el_lx_close(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int el_lx_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  ((el_lx_cursor *)cur)->row = 0;
  return SQLITE_OK;
}

static int el_lx_next(sqlite3_vtab_cursor *cur) {
  ((el_lx_cursor *)cur)->row++;
  return SQLITE_OK;
}

static int el_lx_eof(sqlite3_vtab_cursor *cur) {
  return ((el_lx_cursor *)cur)->row >= el_lexicon_count() + el_grammar_count();
}

static int el_lx_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  size_t row = ((el_lx_cursor *)cur)->row;
  int is_pattern = row >= el_lexicon_count();
  const el_lex_entry *e =
      is_pattern ? el_grammar_entry(row - el_lexicon_count()) : el_lexicon_entry(row);
  if (!e) return SQLITE_OK;
  switch (col) {
    case EL_LX_RULE: sqlite3_result_text(ctx, e->rule, -1, SQLITE_STATIC); break;
    case EL_LX_TERM: sqlite3_result_text(ctx, e->term, -1, SQLITE_STATIC); break;
    case EL_LX_CATEGORY: sqlite3_result_text(ctx, e->category, -1, SQLITE_STATIC); break;
    case EL_LX_CANONICAL: sqlite3_result_text(ctx, e->canonical, -1, SQLITE_STATIC); break;
    default: sqlite3_result_int(ctx, is_pattern); break;
  }
  return SQLITE_OK;
}

static int el_lx_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((el_lx_cursor *)cur)->row + 1;
  return SQLITE_OK;
}

static const sqlite3_module el_lx_module = {
  0, NULL, el_lx_connect, el_lx_best_index, el_vtab_disconnect, NULL,
  el_lx_open, el_lx_close, el_lx_filter, el_lx_next, el_lx_eof, el_lx_column, el_lx_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* eccn_parse(code), cfr_parse(citation)                                     */

static void el_parse_fn(sqlite3_context *ctx, sqlite3_value *v,
                        long (*parse)(const char *, size_t, char *, size_t)) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return;
  const char *z = (const char *)sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v);
  if (!z) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  char out[1024];
  long len = parse(z, (size_t)n, out, sizeof(out));
  if (len < 0 || (size_t)len >= sizeof(out)) return; /* NULL: not valid */
  sqlite3_result_text(ctx, out, (int)len, SQLITE_TRANSIENT);
}

static void el_eccn_parse_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  el_parse_fn(ctx, argv[0], el_eccn_json);
}

static void el_cfr_parse_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  el_parse_fn(ctx, argv[0], el_cite_json);
}

int el_terms_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"eccn_parse", 1, EL_PURE, el_eccn_parse_fn},
    {"cfr_parse", 1, EL_PURE, el_cfr_parse_fn},
    {NULL, 0, 0, NULL}
  };
  int rc = el_register_functions(db, fns, pzErr);
  if (rc != SQLITE_OK) return rc;
  el_terms_conn *conn = sqlite3_malloc(sizeof(*conn));
  if (conn) {
    memset(conn, 0, sizeof(*conn));
    conn->refs = 2; /* export_terms and export_terms_with */
    conn->lexicons = el_ut_cache_new(&el_lexicon_spec, NULL);
  }
  if (!conn || !conn->lexicons) {
    sqlite3_free(conn);
    *pzErr = sqlite3_mprintf("exportlens: out of memory registering export_terms");
    return SQLITE_NOMEM;
  }
  /* Trust (see el_sqlite.h): export_terms() and export_lexicon read only
  ** their arguments and the compiled-in lexicon; export_terms_with() reads
  ** the table its second argument names, so a stored view or trigger must
  ** not call it. */
  const el_module_def mods[] = {
    {"export_terms", &el_et_module, EL_PURE, conn, el_terms_conn_free},
    {"export_terms_with", &el_et_module, EL_READS_TABLES, conn, el_terms_conn_free},
    {"export_lexicon", &el_lx_module, EL_PURE, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL}
  };
  return el_register_modules(db, mods, pzErr);
}
