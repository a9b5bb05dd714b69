/*
** SQL adapters for export-control terms: export_terms(text [, lexicon]),
** export_lexicon, eccn_parse(code) and cfr_parse(citation). The matching is
** in el_terms.c (no SQLite); this file copies arguments, reads user lexicon
** tables, caches compiled matchers per connection, and converts byte offsets
** to character offsets and sentence numbers, lazily, only for the rows and
** columns that ask for them.
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_unicode.h"
#include "../text/el_tokenizer.h"
#include "el_terms.h"
#include "terms.h"

/* ------------------------------------------------------------------------ */
/* Per-connection state: the built-in matcher and a few user lexicons.       */

typedef struct el_terms_ref {
  el_terms *t;
  int refs;
} el_terms_ref;

#define EL_TCACHE 4
typedef struct el_tcache_ent {
  char *name;
  sqlite3_uint64 hash;  /* of the rows read */
  sqlite3_uint64 fp;    /* the connection's change fingerprint when they were read */
  el_terms_ref *ref;
} el_tcache_ent;

typedef struct el_terms_conn {
  el_terms_ref *builtin;
  el_tcache_ent ent[EL_TCACHE];
  int next;
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
  if (!c) return;
  el_ref_release(c->builtin);
  for (int i = 0; i < EL_TCACHE; i++) {
    sqlite3_free(c->ent[i].name);
    el_ref_release(c->ent[i].ref);
  }
  sqlite3_free(c);
}

/* The built-in matcher: compiled once, shared by every connection. */
static int el_builtin(el_terms_conn *c, el_terms_ref **out, char **errmsg) {
  if (!c->builtin) {
    char err[256];
    int erc;
    el_terms *t = el_terms_shared(&erc, err, sizeof(err));
    if (!t) {
      if (erc == EL_TERMS_NOMEM) return SQLITE_NOMEM;
      *errmsg = sqlite3_mprintf("export_terms(): %s", err);
      return SQLITE_ERROR;
    }
    if (!(c->builtin = el_ref_new(t))) return SQLITE_NOMEM;
  }
  c->builtin->refs++;
  *out = c->builtin;
  return SQLITE_OK;
}

static sqlite3_uint64 el_fnv(sqlite3_uint64 h, const void *p, size_t n) {
  const unsigned char *z = p;
  for (size_t i = 0; i < n; i++) h = (h ^ z[i]) * 1099511628211ull;
  return (h ^ 0xFF) * 1099511628211ull; /* field separator */
}

#define EL_LEXICON_MAX_ROWS 1000000

/* A fingerprint of every change a lexicon table could have seen: this
** connection's change counter, and for each attached database its data
** version (bumped by every commit, from any connection) and schema version
** (for DDL inside an open transaction). 0 when it cannot be computed: the
** table is then read again each time. */
static sqlite3_uint64 el_change_fingerprint(sqlite3 *db) {
#if SQLITE_VERSION_NUMBER >= 3039000
  if (sqlite3_libversion_number() < 3039000) return 0; /* sqlite3_db_name */
  sqlite3_uint64 h = el_fnv(1469598103934665603ull, "fp", 2);
  sqlite3_int64 changes = sqlite3_total_changes64(db);
  h = el_fnv(h, &changes, sizeof(changes));
  for (int i = 0; i < 64; i++) {
    const char *name = sqlite3_db_name(db, i);
    if (!name) break;
    unsigned int dv = 0;
    if (sqlite3_file_control(db, name, SQLITE_FCNTL_DATA_VERSION, &dv) != SQLITE_OK) dv = 0;
    h = el_fnv(h, name, strlen(name));
    h = el_fnv(h, &dv, sizeof(dv));
    char *sql = sqlite3_mprintf("PRAGMA \"%w\".schema_version", name);
    sqlite3_stmt *st = NULL;
    if (!sql) return 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    sqlite3_int64 sv = -1;
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) sv = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return 0;
    h = el_fnv(h, &sv, sizeof(sv));
  }
  return h ? h : 1;
#else
  (void)db;
  return 0;
#endif
}

/* Read the user lexicon table `name` and return a matcher for it (built-ins
** plus its rows), from the cache when the rows are unchanged. */
static int el_user_lexicon(sqlite3 *db, el_terms_conn *c, const char *name, el_terms_ref **out,
                           char **errmsg) {
  char *sql = NULL;
  const char *dot = strchr(name, '.');
  sqlite3_stmt *st = NULL;
  int rc = SQLITE_OK;
  el_term_entry *ents = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  /* unchanged since it was last read: no need to read it */
  sqlite3_uint64 fp = el_change_fingerprint(db);
  for (int k = 0; fp && k < EL_TCACHE; k++) {
    if (c->ent[k].name && strcmp(c->ent[k].name, name) == 0 && c->ent[k].fp == fp) {
      c->ent[k].ref->refs++;
      *out = c->ent[k].ref;
      return SQLITE_OK;
    }
  }
  char schema[128] = "";
  if (dot) {
    if ((size_t)(dot - name) >= sizeof(schema)) {
      *errmsg = sqlite3_mprintf("export_terms(): schema name too long in '%s'", name);
      return SQLITE_ERROR;
    }
    memcpy(schema, name, (size_t)(dot - name));
    schema[dot - name] = 0;
  }
  for (int attempt = 0; attempt < 2 && !st; attempt++) {
    const char *rid = attempt == 0 ? "rowid" : "NULL";
    if (dot)
      sql = sqlite3_mprintf("SELECT %s, * FROM \"%w\".\"%w\"", rid, schema, dot + 1);
    else
      sql = sqlite3_mprintf("SELECT %s, * FROM \"%w\"", rid, name);
    if (!sql) return SQLITE_NOMEM;
    rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc == SQLITE_NOMEM) return rc;
    if (rc != SQLITE_OK && attempt == 1) {
      *errmsg = sqlite3_mprintf("export_terms(): cannot read lexicon table '%s': %s", name,
                                sqlite3_errmsg(db));
      return SQLITE_ERROR;
    }
  }
  int ncol = sqlite3_column_count(st);
  int i_term = -1, i_cat = -1, i_can = -1, i_pat = -1, i_rule = -1;
  for (int k = 1; k < ncol; k++) {
    const char *cn = sqlite3_column_name(st, k);
    if (!cn) continue;
    if (sqlite3_stricmp(cn, "term") == 0 && i_term < 0) i_term = k;
    else if (sqlite3_stricmp(cn, "category") == 0 && i_cat < 0) i_cat = k;
    else if (sqlite3_stricmp(cn, "canonical") == 0 && i_can < 0) i_can = k;
    else if (sqlite3_stricmp(cn, "is_pattern") == 0 && i_pat < 0) i_pat = k;
    else if (sqlite3_stricmp(cn, "rule") == 0 && i_rule < 0) i_rule = k;
  }
  if (i_term < 0 || i_cat < 0 || i_can < 0) {
    *errmsg = sqlite3_mprintf("export_terms(): lexicon table '%s' needs columns term, category"
                              " and canonical (is_pattern optional)", name);
    sqlite3_finalize(st);
    return SQLITE_ERROR;
  }
  const char *tname = dot ? dot + 1 : name;
  sqlite3_uint64 hash = 1469598103934665603ull;
  sqlite3_int64 ordinal = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    ordinal++;
    if (n >= EL_LEXICON_MAX_ROWS) {
      *errmsg = sqlite3_mprintf("export_terms(): lexicon table '%s' has more than %d rows", name,
                                EL_LEXICON_MAX_ROWS);
      rc = SQLITE_ERROR;
      break;
    }
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
    const char *term = (const char *)sqlite3_column_text(st, i_term);
    const char *cat = (const char *)sqlite3_column_text(st, i_cat);
    const char *can = (const char *)sqlite3_column_text(st, i_can);
    const char *rule = i_rule >= 0 ? (const char *)sqlite3_column_text(st, i_rule) : NULL;
    int pat = i_pat >= 0 && sqlite3_column_int(st, i_pat) != 0;
    if (!term || !term[0]) {
      *errmsg = sqlite3_mprintf("export_terms(): lexicon table '%s', row %lld: empty term", name,
                                ordinal);
      rc = SQLITE_ERROR;
      break;
    }
    if (rule) {
      e->rule = sqlite3_mprintf("%s", rule);
    } else if (sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
      e->rule = sqlite3_mprintf("%s:%lld", tname, sqlite3_column_int64(st, 0));
    } else {
      e->rule = sqlite3_mprintf("%s:%lld", tname, ordinal);
    }
    e->term = sqlite3_mprintf("%s", term);
    e->category = sqlite3_mprintf("%s", cat ? cat : "user");
    e->canonical = sqlite3_mprintf("%s", can ? can : term);
    e->is_pattern = pat;
    if (!e->rule || !e->term || !e->category || !e->canonical) { rc = SQLITE_NOMEM; break; }
    hash = el_fnv(hash, e->rule, strlen(e->rule));
    hash = el_fnv(hash, e->term, strlen(e->term));
    hash = el_fnv(hash, e->category, strlen(e->category));
    hash = el_fnv(hash, e->canonical, strlen(e->canonical));
    hash = el_fnv(hash, &pat, sizeof(pat));
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK && !*errmsg && rc != SQLITE_NOMEM)
    *errmsg = sqlite3_mprintf("export_terms(): reading lexicon table '%s': %s", name,
                              sqlite3_errmsg(db));
  sqlite3_finalize(st);
  if (rc == SQLITE_OK) {
    for (int k = 0; k < EL_TCACHE; k++) {
      if (c->ent[k].name && strcmp(c->ent[k].name, name) == 0 && c->ent[k].hash == hash) {
        c->ent[k].fp = fp;
        c->ent[k].ref->refs++;
        *out = c->ent[k].ref;
        break;
      }
    }
  }
  if (rc == SQLITE_OK && !*out) {
    char err[300];
    el_terms *t;
    int crc = el_terms_compile(ents, n, &t, err, sizeof(err));
    if (crc == EL_TERMS_NOMEM) {
      rc = SQLITE_NOMEM;
    } else if (crc) {
      *errmsg = sqlite3_mprintf("export_terms(): lexicon table '%s': %s", name, err);
      rc = SQLITE_ERROR;
    } else {
      el_terms_ref *ref = el_ref_new(t);
      char *nm = sqlite3_mprintf("%s", name);
      if (!ref || !nm) {
        el_ref_release(ref);
        sqlite3_free(nm);
        rc = SQLITE_NOMEM;
      } else {
        /* replace a stale entry of the same name, else the oldest slot */
        int slot = -1;
        for (int k = 0; k < EL_TCACHE; k++)
          if (c->ent[k].name && strcmp(c->ent[k].name, name) == 0) slot = k;
        if (slot < 0) {
          slot = c->next;
          c->next = (c->next + 1) % EL_TCACHE;
        }
        sqlite3_free(c->ent[slot].name);
        el_ref_release(c->ent[slot].ref);
        c->ent[slot].name = nm;
        c->ent[slot].hash = hash;
        c->ent[slot].fp = fp;
        c->ent[slot].ref = ref;
        ref->refs++;
        *out = ref;
      }
    }
  }
  for (size_t k = 0; k < n; k++) {
    sqlite3_free((char *)ents[k].rule);
    sqlite3_free((char *)ents[k].term);
    sqlite3_free((char *)ents[k].category);
    sqlite3_free((char *)ents[k].canonical);
  }
  sqlite3_free(ents);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* export_terms(text [, lexicon])                                            */

enum {
  EL_ET_TERM, EL_ET_CATEGORY, EL_ET_CANONICAL, EL_ET_START, EL_ET_END, EL_ET_SENTENCE,
  EL_ET_RULE, EL_ET_TEXT, EL_ET_LEXICON
};

static const char *const el_et_args[] = {"text", "lexicon"};

typedef struct el_et_vtab {
  sqlite3_vtab base;
  el_terms_conn *conn;
  sqlite3 *db;
} el_et_vtab;

typedef struct el_et_cursor {
  sqlite3_vtab_cursor base;
  int text_type;          /* type of the text argument */
  sqlite3_value *arg_num; /* the argument when it is a number (hidden column) */
  sqlite3_value *arg_lex; /* the lexicon argument when it is not text (hidden column) */
  int lex_type;           /* its type; 0 when not given */
  char *buf;              /* our copy of the text, reused from row to row */
  size_t buf_cap;
  const char *text;       /* = buf */
  size_t n;
  el_terms_ref *m;
  char *lex_name; /* the lexicon m was read from in this statement, or NULL */
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
  int rc = sqlite3_declare_vtab(db,
      "CREATE TABLE x(term TEXT, category TEXT, canonical TEXT, start INTEGER, \"end\" INTEGER,"
      " sentence INTEGER, rule TEXT, text HIDDEN, lexicon HIDDEN)");
  /* pure when reading only the built-ins; a lexicon table is read with the
  ** caller's own rights, as any SELECT would */
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  el_et_vtab *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->conn = aux;
  t->db = db;
  *ppVtab = &t->base;
  return SQLITE_OK;
}

static int el_et_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  return el_cursor_alloc(sizeof(el_et_cursor), ppCur);
}

static void el_et_reset_row_state(el_et_cursor *c) {
  sqlite3_value_free(c->arg_num);
  sqlite3_value_free(c->arg_lex);
  c->arg_num = c->arg_lex = NULL;
  c->lex_type = 0;
  c->text_type = SQLITE_NULL;
  c->text = NULL;
  c->n = 0;
  c->row = 0;
  c->res.n = 0;
}

static int el_et_close(sqlite3_vtab_cursor *cur) {
  el_et_cursor *c = (el_et_cursor *)cur;
  el_et_reset_row_state(c);
  el_ref_release(c->m);
  sqlite3_free(c->lex_name);
  el_term_result_free(&c->res);
  sqlite3_free(c->buf);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int el_et_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  el_et_cursor *c = (el_et_cursor *)cur;
  el_et_vtab *vt = (el_et_vtab *)cur->pVtab;
  (void)idxStr;
  el_et_reset_row_state(c);
  int rc = el_tvf_missing(cur, idxNum, 1, "export_terms", el_et_args);
  if (rc != SQLITE_OK || argc < 1) return rc;
  sqlite3_value *lexv = (idxNum & 2) && argc >= 2 ? argv[1] : NULL;
  if (lexv) {
    c->lex_type = sqlite3_value_type(lexv);
    /* text is kept as lex_name below; other types are copied for the hidden column */
    if (c->lex_type != SQLITE_TEXT && c->lex_type != SQLITE_NULL &&
        !(c->arg_lex = sqlite3_value_dup(lexv)))
      return SQLITE_NOMEM;
  }

  /* the matcher: built-ins, or built-ins plus a lexicon table, looked up
  ** once per cursor (a cursor lives for one statement): later rows reuse it */
  const char *lex = NULL;
  if (lexv && c->lex_type != SQLITE_NULL) {
    lex = (const char *)sqlite3_value_text(lexv);
    if (!lex) return SQLITE_NOMEM;
    if (!lex[0]) {
      el_vtab_error(cur->pVtab, "export_terms(): empty lexicon table name");
      return SQLITE_ERROR;
    }
  }
  int want_new = !c->m || (lex ? !c->lex_name || strcmp(c->lex_name, lex) != 0 : c->lex_name != NULL);
  if (want_new) {
    el_terms_ref *m = NULL;
    char *err = NULL;
    rc = lex ? el_user_lexicon(vt->db, vt->conn, lex, &m, &err) : el_builtin(vt->conn, &m, &err);
    if (rc != SQLITE_OK) {
      if (err) {
        sqlite3_free(cur->pVtab->zErrMsg);
        cur->pVtab->zErrMsg = el_utf8_sanitize(err);
      }
      return rc;
    }
    el_ref_release(c->m);
    sqlite3_free(c->lex_name);
    c->lex_name = NULL;
    c->m = m;
    if (lex && !(c->lex_name = sqlite3_mprintf("%s", lex))) return SQLITE_NOMEM;
  }

  /* the text: copied into a buffer the cursor keeps from row to row (no
  ** allocation per row once it is large enough) */
  int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return SQLITE_OK;
  const void *src;
  if (type == SQLITE_BLOB) {
    src = sqlite3_value_blob(argv[0]);
  } else {
    if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) &&
        !(c->arg_num = sqlite3_value_dup(argv[0])))
      return SQLITE_NOMEM;
    src = sqlite3_value_text(argv[0]);
  }
  size_t n = (size_t)sqlite3_value_bytes(argv[0]);
  if (!src && (n > 0 || type != SQLITE_BLOB)) return SQLITE_NOMEM;
  if (n + 1 > c->buf_cap) {
    size_t cap = n + 1 < 4096 ? 4096 : n + 1 + (n + 1) / 4;
    char *nb = sqlite3_realloc64(c->buf, cap);
    if (!nb) return SQLITE_NOMEM;
    c->buf = nb;
    c->buf_cap = cap;
  }
  if (n) memcpy(c->buf, src, n);
  c->buf[n] = 0;
  c->text = c->buf;
  c->n = n;
  c->text_type = type;
  char err[300];
  int frc = el_terms_find(c->m->t, c->text, c->n, &c->res, err, sizeof(err));
  if (frc == 1) return SQLITE_NOMEM;
  if (frc == 2) {
    el_vtab_error(cur->pVtab, "export_terms(): %s", err);
    c->res.n = 0;
    return SQLITE_ERROR;
  }
  c->row = 0;
  el_charpos_init(&c->cpos, (const unsigned char *)c->text);
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
    el_segmenter_init(&c->seg, c->text, c->n);
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
      sqlite3_result_text(ctx, c->text + m->start, (int)(m->end - m->start), SQLITE_TRANSIENT);
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
    case EL_ET_TEXT: /* the argument, as it was given */
      if (c->arg_num) sqlite3_result_value(ctx, c->arg_num);
      else if (c->text_type == SQLITE_BLOB) sqlite3_result_blob(ctx, c->text, (int)c->n, SQLITE_TRANSIENT);
      else sqlite3_result_text(ctx, c->text, (int)c->n, SQLITE_TRANSIENT);
      break;
    default:
      if (c->arg_lex) sqlite3_result_value(ctx, c->arg_lex);
      else if (c->lex_type == SQLITE_TEXT && c->lex_name)
        sqlite3_result_text(ctx, c->lex_name, -1, SQLITE_TRANSIENT);
      break;
  }
  return SQLITE_OK;
}

static int el_et_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((el_et_cursor *)cur)->row;
  return SQLITE_OK;
}

static int el_et_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  return el_tvf_best_index(tab, info, EL_ET_TEXT, 2, 1, "export_terms", el_et_args);
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
  (void)aux; (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, SQLITE_VTAB_INNOCUOUS,
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
  if (!conn) return SQLITE_NOMEM;
  memset(conn, 0, sizeof(*conn));
  /* on failure SQLite calls the destructor itself */
  rc = sqlite3_create_module_v2(db, "export_terms", &el_et_module, conn, el_terms_conn_free);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_module_v2(db, "export_lexicon", &el_lx_module, NULL, NULL);
  if (rc != SQLITE_OK && pzErr)
    *pzErr = sqlite3_mprintf("exportlens: cannot register export_terms/export_lexicon: %s",
                             sqlite3_errstr(rc));
  return rc;
}
