/*
** SQL adapter of the linguistic core: conllu(text). The core (el_conllu.c)
** does the work; this file copies nothing but the result.
*/
#include "../common/el_sqlite.h"
#include "el_conllu.h"
#include "el_nlp.h"
#include "nlp.h"

/* The longest text conllu() takes: its CoNLL-U is about eight times the text,
** and one call must stay short enough to be interrupted between statements. */
#define EL_CONLLU_MAX_INPUT (32 << 20)

static void el_conllu_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return;
  const char *z = type == SQLITE_BLOB ? (const char *)sqlite3_value_blob(argv[0])
                                      : (const char *)sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  if (z == NULL && n > 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if ((size_t)n > EL_CONLLU_MAX_INPUT) {
    char *msg = sqlite3_mprintf("conllu(): the text is %d bytes; at most %d (%d MB): call it per "
                                "document or per paragraph", n, EL_CONLLU_MAX_INPUT,
                                EL_CONLLU_MAX_INPUT >> 20);
    sqlite3_result_error(ctx, msg ? msg : "conllu(): the text is too long", -1);
    sqlite3_free(msg);
    return;
  }
  const el_nlp *m = el_nlp_default();
  if (m == NULL) {
    sqlite3_result_error(ctx, "conllu: the built-in NLP model is missing or invalid", -1);
    return;
  }
  int limit = sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1);
  el_sbuf out;
  el_sb_init(&out, limit > 0 ? (size_t)limit : 0);
  int rc = el_conllu(m, z ? z : "", z ? (size_t)n : 0, &out, NULL, NULL);
  if (rc == EL_SB_NOMEM) {
    el_sb_free(&out);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (rc == EL_SB_TOOBIG) {
    el_sb_free(&out);
    sqlite3_result_error_toobig(ctx);
    return;
  }
  if (out.p == NULL) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  /* el_sbuf allocates through el_alloc, which may not be SQLite's allocator */
  sqlite3_result_text64(ctx, out.p, out.n, SQLITE_TRANSIENT, SQLITE_UTF8);
  el_sb_free(&out);
}

int el_nlp_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"conllu", 1, EL_PURE, el_conllu_fn},
    {NULL, 0, 0, NULL}
  };
  return el_register_functions(db, fns, pzErr);
}
