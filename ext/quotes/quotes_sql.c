/*
** SQL adapters for the quotes capability:
**   quotes(text)   quoted speech with its speaker, see el_quotes.h
**   claims(text)   numeric claims (shares, money amounts, changes)
** Both are eponymous table-valued functions over one cursor type: they copy
** the argument, walk the core extractor (el_quotes.c) one row at a time and
** turn byte offsets into character offsets (el_charpos).
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_unicode.h"
#include "el_quotes.h"
#include "quotes.h"

enum { EL_Q_QUOTE, EL_Q_SPEAKER, EL_Q_CANONICAL, EL_Q_START, EL_Q_END, EL_Q_SENTENCE,
       EL_Q_INPUT };
enum { EL_K_SUBJECT, EL_K_METRIC, EL_K_OBJECT, EL_K_DETAIL, EL_K_VALUE, EL_K_UNIT,
       EL_K_QUALIFIER, EL_K_YEAR, EL_K_START, EL_K_END, EL_K_SENTENCE, EL_K_EVIDENCE,
       EL_K_INPUT };
static const char *const el_qx_args[] = {"text"};

/* The module's aux: NULL for quotes(), non-NULL for claims(). */
typedef struct el_qx_vtab {
  sqlite3_vtab base;
  int claims;
} el_qx_vtab;

typedef struct el_qx_cursor {
  sqlite3_vtab_cursor base;
  int claims;
  el_arg text; /* the argument: one copy, walked and returned by the hidden column */
  el_qx *qx;
  el_quote quote;
  el_claim claim;
  sqlite3_int64 rowid;
  el_charpos cpos;
  size_t cstart, cend, csent_start, csent_end;
  int eof;
} el_qx_cursor;

static int el_qx_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  int claims = el_module_aux(aux) != NULL;
  int rc = el_vtab_declare(db, aux, claims
      ? "CREATE TABLE x(subject TEXT, metric TEXT, object TEXT, detail TEXT, value REAL,"
        " unit TEXT, qualifier TEXT, year INTEGER, start INTEGER, \"end\" INTEGER,"
        " sentence INTEGER, evidence TEXT, input HIDDEN)"
      : "CREATE TABLE x(quote TEXT, speaker TEXT, speaker_canonical TEXT, start INTEGER,"
        " \"end\" INTEGER, sentence INTEGER, input HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  el_qx_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == NULL) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->claims = claims;
  *ppVtab = &vt->base;
  return SQLITE_OK;
}

static int el_qx_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  int claims = ((el_qx_vtab *)tab)->claims;
  return el_tvf_best_index(tab, info, claims ? EL_K_INPUT : EL_Q_INPUT, 1, 1,
                           claims ? "claims" : "quotes", el_qx_args);
}

static int el_qx_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  int rc = el_cursor_alloc(sizeof(el_qx_cursor), ppCur);
  if (rc != SQLITE_OK) return rc;
  el_qx_cursor *c = (el_qx_cursor *)*ppCur;
  c->eof = 1;
  c->claims = ((el_qx_vtab *)tab)->claims;
  c->qx = el_qx_new();
  if (c->qx == NULL) {
    sqlite3_free(c);
    *ppCur = NULL;
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}


static int el_qx_close(sqlite3_vtab_cursor *cur) {
  el_qx_cursor *c = (el_qx_cursor *)cur;
  el_qx_free(c->qx);
  el_arg_free(&c->text);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* Character offsets of the row. Quotes come in text order, so their offsets
** only grow; a claim's span may start before the previous claim's end, so it
** is counted from its sentence's start, which only grows. */
static void el_qx_chars(el_qx_cursor *c) {
  const unsigned char *z = (const unsigned char *)c->text.z;
  if (c->claims) {
    const el_claim *k = &c->claim;
    c->csent_start = el_charpos_at(&c->cpos, k->sent_start);
    c->cstart = c->csent_start + el_utf8_count(z + k->sent_start, k->start - k->sent_start);
    c->cend = c->csent_start + el_utf8_count(z + k->sent_start, k->end - k->sent_start);
  } else {
    c->cstart = el_charpos_at(&c->cpos, c->quote.start);
    c->cend = el_charpos_at(&c->cpos, c->quote.end);
  }
}

static int el_qx_next_row(sqlite3_vtab_cursor *cur) {
  el_qx_cursor *c = (el_qx_cursor *)cur;
  int rc = c->claims ? el_qx_next_claim(c->qx, &c->claim) : el_qx_next_quote(c->qx, &c->quote);
  if (rc < 0) return SQLITE_NOMEM;
  if (rc == 0) {
    c->eof = 1;
    return SQLITE_OK;
  }
  c->rowid++;
  el_qx_chars(c);
  return SQLITE_OK;
}

static int el_qx_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  el_qx_cursor *c = (el_qx_cursor *)cur;
  (void)idxStr;
  c->eof = 1;
  el_qx_start(c->qx, NULL, 0);
  int rc = el_tvf_missing(cur, idxNum, 1, c->claims ? "claims" : "quotes", el_qx_args);
  if (rc != SQLITE_OK || argc < 1) return rc;
  rc = el_arg_set(&c->text, argv[0]);
  if (rc != SQLITE_OK || c->text.z == NULL) return rc;
  if (el_qx_start(c->qx, c->text.z, c->text.n) != 0) return SQLITE_NOMEM;
  el_charpos_init(&c->cpos, (const unsigned char *)c->text.z);
  c->eof = 0;
  c->rowid = 0;
  return el_qx_next_row(cur);
}

static int el_qx_eof(sqlite3_vtab_cursor *cur) { return ((el_qx_cursor *)cur)->eof; }

static void el_text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static int el_quote_column(el_qx_cursor *c, sqlite3_context *ctx, int col) {
  const el_quote *q = &c->quote;
  switch (col) {
    case EL_Q_QUOTE:
      sqlite3_result_text(ctx, c->text.z + q->start, (int)(q->end - q->start), SQLITE_TRANSIENT);
      break;
    case EL_Q_SPEAKER:
      if (q->spk_end > q->spk_start)
        sqlite3_result_text(ctx, c->text.z + q->spk_start, (int)(q->spk_end - q->spk_start),
                            SQLITE_TRANSIENT);
      break;
    case EL_Q_CANONICAL: el_text_or_null(ctx, q->canonical); break;
    case EL_Q_START: sqlite3_result_int64(ctx, (sqlite3_int64)c->cstart); break;
    case EL_Q_END: sqlite3_result_int64(ctx, (sqlite3_int64)c->cend); break;
    case EL_Q_SENTENCE: sqlite3_result_int64(ctx, (sqlite3_int64)q->sentence); break;
    default: el_arg_result(ctx, &c->text); break;
  }
  return SQLITE_OK;
}

static int el_claim_column(el_qx_cursor *c, sqlite3_context *ctx, int col) {
  const el_claim *k = &c->claim;
  switch (col) {
    case EL_K_SUBJECT: el_text_or_null(ctx, k->subject); break;
    case EL_K_METRIC: el_text_or_null(ctx, k->metric); break;
    case EL_K_OBJECT: el_text_or_null(ctx, k->object); break;
    case EL_K_DETAIL: el_text_or_null(ctx, k->detail); break;
    case EL_K_VALUE: sqlite3_result_double(ctx, k->value); break;
    case EL_K_UNIT: el_text_or_null(ctx, k->unit); break;
    case EL_K_QUALIFIER: el_text_or_null(ctx, k->qualifier); break;
    case EL_K_YEAR:
      if (k->year) sqlite3_result_int(ctx, k->year);
      break;
    case EL_K_START: sqlite3_result_int64(ctx, (sqlite3_int64)c->cstart); break;
    case EL_K_END: sqlite3_result_int64(ctx, (sqlite3_int64)c->cend); break;
    case EL_K_SENTENCE: sqlite3_result_int64(ctx, (sqlite3_int64)k->sentence); break;
    case EL_K_EVIDENCE:
      sqlite3_result_text(ctx, c->text.z + k->sent_start, (int)(k->sent_end - k->sent_start),
                          SQLITE_TRANSIENT);
      break;
    default: el_arg_result(ctx, &c->text); break;
  }
  return SQLITE_OK;
}

static int el_qx_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_qx_cursor *c = (el_qx_cursor *)cur;
  return c->claims ? el_claim_column(c, ctx, col) : el_quote_column(c, ctx, col);
}

static int el_qx_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_qx_cursor *)cur)->rowid;
  return SQLITE_OK;
}

static const sqlite3_module el_qx_module = {
  0, NULL, el_qx_connect, el_qx_best_index, el_vtab_disconnect, NULL,
  el_qx_open, el_qx_close, el_qx_filter, el_qx_next_row,
  el_qx_eof, el_qx_column, el_qx_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* Registration                                                              */

int el_quotes_register(sqlite3 *db, char **pzErr) {
  static int claims_tag; /* aux of claims(): any non-NULL pointer */
  /* Trust (see el_sqlite.h): both read only their argument. */
  static const el_module_def mods[] = {
    {"quotes", &el_qx_module, EL_PURE, NULL, NULL},
    {"claims", &el_qx_module, EL_PURE, &claims_tag, NULL},
    {NULL, NULL, 0, NULL, NULL}
  };
  return el_register_modules(db, mods, pzErr);
}
