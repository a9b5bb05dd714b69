/*
** SQL adapters for the tokenizer: tokens(), sentences(), token_count() and the
** FTS5 tokenizer "exportlens". They copy the argument, run the core scanner
** (el_tokenizer.c) and hand rows to SQLite; offsets are converted from bytes
** to 0-based characters here, at the boundary, with el_charpos.
**
** Both table-valued functions stream: a 100 MB text is never turned into an
** array of tokens, only walked.
*/
#include <string.h>

#include "../common/el_sqlite.h"
#include "../common/el_unicode.h"
#include "../nlp/el_nlp.h"
#include "el_tokenizer.h"
#include "text.h"

static const char *const el_text_args[] = {"text"};

/* A growable buffer for normalised tokens: it starts on the stack, when one
** is given, and moves to the heap only for long tokens. */
typedef struct el_buf {
  char *p;
  size_t cap;
  int heap;
} el_buf;

static int el_buf_grow(el_buf *b, size_t need) {
  if (need <= b->cap) return SQLITE_OK;
  size_t ncap = need < 256 ? 256 : need + need / 4;
  char *nb = sqlite3_realloc64(b->heap ? b->p : NULL, ncap);
  if (nb == NULL) return SQLITE_NOMEM;
  if (!b->heap && b->cap) memcpy(nb, b->p, b->cap);
  b->p = nb;
  b->cap = ncap;
  b->heap = 1;
  return SQLITE_OK;
}

static void el_buf_free(el_buf *b) {
  if (b->heap) sqlite3_free(b->p);
  b->p = NULL;
  b->cap = 0;
  b->heap = 0;
}

/* Normalise tok into b at offset off (growing b only to the exact length);
** returns the length, or -1 when out of memory. */
static long long el_norm_into(el_buf *b, size_t off, const char *text, const el_token *tok,
                              int mode) {
  const unsigned char *z = (const unsigned char *)text;
  size_t room = b->cap > off ? b->cap - off : 0;
  size_t len = el_token_norm(z, tok, mode, b->p ? b->p + off : NULL, room);
  if (len > room) {
    if (el_buf_grow(b, off + len) != SQLITE_OK) return -1;
    len = el_token_norm(z, tok, mode, b->p + off, b->cap - off);
  }
  return (long long)len;
}

/* The text argument of tokens() and sentences(), as each cursor holds it: one
** copy of it (also what the hidden column returns), and the splitter and
** character counter walking that copy. */
typedef struct el_text_input {
  el_arg arg;
  el_segmenter seg;
  el_charpos cpos;
} el_text_input;

/* xFilter's common part: check the argument was given, copy it and start
** walking it. *ready is set when there is text to walk (a NULL argument gives
** no rows). */
static int el_input_start(el_text_input *in, sqlite3_vtab_cursor *cur, int idxNum, int argc,
                          sqlite3_value **argv, const char *fname, int *ready) {
  *ready = 0;
  int rc = el_tvf_missing(cur, idxNum, 1, fname, el_text_args);
  if (rc != SQLITE_OK || argc < 1) return rc;
  rc = el_arg_set(&in->arg, argv[0]);
  if (rc != SQLITE_OK || in->arg.z == NULL) return rc;
  el_segmenter_init(&in->seg, in->arg.z, in->arg.n);
  el_charpos_init(&in->cpos, (const unsigned char *)in->arg.z);
  *ready = 1;
  return SQLITE_OK;
}

/* ------------------------------------------------------------------------ */
/* tokens(text)                                                              */

enum {
  EL_TOK_POSITION, EL_TOK_TOKEN, EL_TOK_NORM, EL_TOK_KIND, EL_TOK_START,
  EL_TOK_END, EL_TOK_SENTENCE, EL_TOK_UPOS, EL_TOK_XPOS, EL_TOK_LEMMA, EL_TOK_HEAD,
  EL_TOK_DEP, EL_TOK_INPUT
};

/* idxNum bits above the argument bits: the NLP work the selected columns need
** (upos, xpos, lemma: tags; head, dep: the parse). */
#define EL_TOK_NLP_SHIFT 8
#define EL_TOK_NLP_MASK (3 << EL_TOK_NLP_SHIFT)

typedef struct el_tokens_cursor {
  sqlite3_vtab_cursor base;
  el_text_input in;
  el_token tok;
  size_t sentence;
  sqlite3_int64 position;
  size_t cstart, cend;
  int have_chars; /* cstart/cend computed for this row */
  int eof;
  el_buf norm; /* for the norm column */
  int nlp;     /* EL_NLP_TAG or EL_NLP_PARSE when such columns are selected, else 0 */
  el_nlp_stream st;
} el_tokens_cursor;

static int el_tokens_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                             sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, aux,
      "CREATE TABLE x(position INTEGER, token TEXT, norm TEXT, kind TEXT, start INTEGER,"
      " \"end\" INTEGER, sentence INTEGER, upos TEXT, xpos TEXT, lemma TEXT, head INTEGER,"
      " dep TEXT, input HIDDEN)", ppVtab);
}

static int el_tokens_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  int rc = el_cursor_alloc(sizeof(el_tokens_cursor), ppCur);
  if (rc == SQLITE_OK) ((el_tokens_cursor *)*ppCur)->eof = 1;
  return rc;
}

static int el_tokens_close(sqlite3_vtab_cursor *cur) {
  el_tokens_cursor *c = (el_tokens_cursor *)cur;
  el_arg_free(&c->in.arg);
  el_buf_free(&c->norm);
  if (c->nlp) el_nlp_stream_free(&c->st);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* xNext when NLP columns are selected: the stream analyses one sentence (or
** piece of one) at a time and walks its tokens. */
static int el_tokens_next_nlp(el_tokens_cursor *c) {
  int rc = el_nlp_stream_next(&c->st);
  if (rc < 0) return SQLITE_NOMEM;
  if (rc == 0) {
    c->eof = 1;
    return SQLITE_OK;
  }
  c->tok = *el_nlp_stream_token(&c->st);
  c->sentence = el_nlp_stream_sentence(&c->st);
  c->position = el_nlp_stream_position(&c->st);
  c->have_chars = 0;
  return SQLITE_OK;
}

/* The NLP columns of the current row. */
static int el_tokens_nlp_column(el_tokens_cursor *c, sqlite3_context *ctx, int col) {
  const el_nlp_word *w = el_nlp_stream_word(&c->st);
  const el_nlp *m = c->st.m;
  if (w == NULL || (c->nlp < EL_NLP_PARSE && (col == EL_TOK_HEAD || col == EL_TOK_DEP))) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  switch (col) {
    case EL_TOK_UPOS: sqlite3_result_text(ctx, el_nlp_upos(m, w->tag), -1, SQLITE_STATIC); break;
    case EL_TOK_XPOS: sqlite3_result_text(ctx, el_nlp_xpos(m, w->tag), -1, SQLITE_STATIC); break;
    case EL_TOK_LEMMA: {
      const char *z;
      long long n = el_nlp_stream_lemma(&c->st, &z);
      if (n < 0) {
        sqlite3_result_error_nomem(ctx);
        return SQLITE_NOMEM;
      }
      sqlite3_result_text(ctx, z, (int)n, SQLITE_TRANSIENT);
      break;
    }
    case EL_TOK_HEAD: {
      long long h = el_nlp_stream_head(&c->st);
      if (h < 0) sqlite3_result_null(ctx);
      else sqlite3_result_int64(ctx, h);
      break;
    }
    default: sqlite3_result_text(ctx, el_nlp_stream_dep(&c->st), -1, SQLITE_STATIC); break;
  }
  return SQLITE_OK;
}

static int el_tokens_next(sqlite3_vtab_cursor *cur) {
  el_tokens_cursor *c = (el_tokens_cursor *)cur;
  if (c->nlp) return el_tokens_next_nlp(c);
  if (!el_segmenter_next(&c->in.seg, &c->tok, &c->sentence)) {
    c->eof = 1;
    return SQLITE_OK;
  }
  c->position++;
  c->have_chars = 0; /* computed on demand: count(*) never pays for it */
  return SQLITE_OK;
}

static int el_tokens_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                            int argc, sqlite3_value **argv) {
  el_tokens_cursor *c = (el_tokens_cursor *)cur;
  (void)idxStr;
  int ready;
  c->eof = 1;
  if (c->nlp) el_nlp_stream_free(&c->st);
  c->nlp = 0;
  int rc = el_input_start(&c->in, cur, idxNum, argc, argv, "tokens", &ready);
  if (rc != SQLITE_OK || !ready) return rc;
  c->eof = 0;
  c->position = -1;
  int level = (idxNum & EL_TOK_NLP_MASK) >> EL_TOK_NLP_SHIFT;
  if (level) {
    const el_nlp *m = el_nlp_default();
    if (m == NULL) {
      el_vtab_error(cur->pVtab, "tokens(): the built-in NLP model is missing or invalid");
      return SQLITE_ERROR;
    }
    c->nlp = level >= 2 ? EL_NLP_PARSE : EL_NLP_TAG;
    el_nlp_stream_init(&c->st, m, c->in.arg.z, c->in.arg.n, c->nlp);
  }
  return el_tokens_next(cur);
}

static int el_tokens_eof(sqlite3_vtab_cursor *cur) {
  return ((el_tokens_cursor *)cur)->eof;
}

static int el_tokens_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_tokens_cursor *c = (el_tokens_cursor *)cur;
  const el_token *t = &c->tok;
  switch (col) {
    case EL_TOK_POSITION: sqlite3_result_int64(ctx, c->position); break;
    case EL_TOK_TOKEN:
      sqlite3_result_text(ctx, c->in.arg.z + t->start, (int)(t->end - t->start), SQLITE_TRANSIENT);
      break;
    case EL_TOK_NORM: {
      long long len = el_norm_into(&c->norm, 0, c->in.arg.z, t, EL_NORM_FOLD);
      if (len < 0) {
        sqlite3_result_error_nomem(ctx);
        return SQLITE_NOMEM;
      }
      sqlite3_result_text(ctx, c->norm.p ? c->norm.p : "", (int)len, SQLITE_TRANSIENT);
      break;
    }
    case EL_TOK_KIND: sqlite3_result_text(ctx, el_kind_name(t->kind), -1, SQLITE_STATIC); break;
    case EL_TOK_START:
    case EL_TOK_END:
      if (!c->have_chars) {
        /* el_charpos only moves forward, and rows come in text order. */
        c->cstart = el_charpos_at(&c->in.cpos, t->start);
        c->cend = el_charpos_at(&c->in.cpos, t->end);
        c->have_chars = 1;
      }
      sqlite3_result_int64(ctx, (sqlite3_int64)(col == EL_TOK_START ? c->cstart : c->cend));
      break;
    case EL_TOK_SENTENCE: sqlite3_result_int64(ctx, (sqlite3_int64)c->sentence); break;
    case EL_TOK_UPOS:
    case EL_TOK_XPOS:
    case EL_TOK_LEMMA:
    case EL_TOK_HEAD:
    case EL_TOK_DEP:
      if (!c->nlp) { /* selected without xBestIndex seeing it: never expected */
        sqlite3_result_null(ctx);
        break;
      }
      return el_tokens_nlp_column(c, ctx, col);
    default: el_arg_result(ctx, &c->in.arg); break; /* the hidden argument */
  }
  return SQLITE_OK;
}

static int el_tokens_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((el_tokens_cursor *)cur)->position;
  return SQLITE_OK;
}

static int el_tokens_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  int rc = el_tvf_best_index(tab, info, EL_TOK_INPUT, 1, 1, "tokens", el_text_args);
  if (rc != SQLITE_OK) return rc;
  /* The tagger and the parser run only when their columns are selected. */
  sqlite3_uint64 used = info->colUsed;
  sqlite3_uint64 tags = (1ULL << EL_TOK_UPOS) | (1ULL << EL_TOK_XPOS) | (1ULL << EL_TOK_LEMMA);
  sqlite3_uint64 parse = (1ULL << EL_TOK_HEAD) | (1ULL << EL_TOK_DEP);
  if (used & parse) info->idxNum |= 2 << EL_TOK_NLP_SHIFT;
  else if (used & tags) info->idxNum |= 1 << EL_TOK_NLP_SHIFT;
  return SQLITE_OK;
}

static const sqlite3_module el_tokens_module = {
  0,                    /* iVersion */
  NULL,                 /* xCreate: NULL makes it eponymous-only */
  el_tokens_connect,    /* xConnect */
  el_tokens_best_index, /* xBestIndex */
  el_vtab_disconnect,   /* xDisconnect */
  NULL,                 /* xDestroy */
  el_tokens_open,       /* xOpen */
  el_tokens_close,      /* xClose */
  el_tokens_filter,     /* xFilter */
  el_tokens_next,       /* xNext */
  el_tokens_eof,        /* xEof */
  el_tokens_column,     /* xColumn */
  el_tokens_rowid,      /* xRowid */
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* sentences(text)                                                           */

enum { EL_SEN_SENTENCE, EL_SEN_START, EL_SEN_END, EL_SEN_TEXT, EL_SEN_INPUT };

typedef struct el_sentences_cursor {
  sqlite3_vtab_cursor base;
  el_text_input in;
  el_token next;          /* first token of the following sentence */
  size_t next_sentence;
  int have_next;
  size_t index;           /* 0-based row number */
  size_t bstart, bend;    /* byte span of the current sentence */
  size_t cstart, cend;
  int eof;
} el_sentences_cursor;

static int el_sentences_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                                sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc; (void)argv; (void)pzErr;
  return el_tvf_connect(db, aux,
      "CREATE TABLE x(sentence INTEGER, start INTEGER, \"end\" INTEGER, text TEXT,"
      " input HIDDEN)", ppVtab);
}

static int el_sentences_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCur) {
  (void)tab;
  int rc = el_cursor_alloc(sizeof(el_sentences_cursor), ppCur);
  if (rc == SQLITE_OK) ((el_sentences_cursor *)*ppCur)->eof = 1;
  return rc;
}

static int el_sentences_close(sqlite3_vtab_cursor *cur) {
  el_sentences_cursor *c = (el_sentences_cursor *)cur;
  el_arg_free(&c->in.arg);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int el_sentences_next(sqlite3_vtab_cursor *cur) {
  el_sentences_cursor *c = (el_sentences_cursor *)cur;
  if (!c->have_next) {
    c->eof = 1;
    return SQLITE_OK;
  }
  size_t sid = c->next_sentence;
  c->bstart = c->next.start;
  c->bend = c->next.end;
  c->have_next = 0;
  el_token t;
  size_t s;
  while (el_segmenter_next(&c->in.seg, &t, &s)) {
    if (s != sid) {
      c->next = t;
      c->next_sentence = s;
      c->have_next = 1;
      break;
    }
    c->bend = t.end;
  }
  c->cstart = el_charpos_at(&c->in.cpos, c->bstart);
  c->cend = el_charpos_at(&c->in.cpos, c->bend);
  return SQLITE_OK;
}

static int el_sentences_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                               int argc, sqlite3_value **argv) {
  el_sentences_cursor *c = (el_sentences_cursor *)cur;
  (void)idxStr;
  int ready;
  c->eof = 1;
  c->have_next = 0;
  int rc = el_input_start(&c->in, cur, idxNum, argc, argv, "sentences", &ready);
  if (rc != SQLITE_OK || !ready) return rc;
  c->index = 0;
  c->have_next = el_segmenter_next(&c->in.seg, &c->next, &c->next_sentence);
  c->eof = 0;
  return el_sentences_next(cur);
}

static int el_sentences_step(sqlite3_vtab_cursor *cur) {
  ((el_sentences_cursor *)cur)->index++;
  return el_sentences_next(cur);
}

static int el_sentences_eof(sqlite3_vtab_cursor *cur) {
  return ((el_sentences_cursor *)cur)->eof;
}

static int el_sentences_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  el_sentences_cursor *c = (el_sentences_cursor *)cur;
  switch (col) {
    case EL_SEN_SENTENCE: sqlite3_result_int64(ctx, (sqlite3_int64)c->index); break;
    case EL_SEN_START: sqlite3_result_int64(ctx, (sqlite3_int64)c->cstart); break;
    case EL_SEN_END: sqlite3_result_int64(ctx, (sqlite3_int64)c->cend); break;
    case EL_SEN_TEXT:
      sqlite3_result_text(ctx, c->in.arg.z + c->bstart, (int)(c->bend - c->bstart),
                          SQLITE_TRANSIENT);
      break;
    default: el_arg_result(ctx, &c->in.arg); break; /* the hidden argument */
  }
  return SQLITE_OK;
}

static int el_sentences_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = (sqlite3_int64)((el_sentences_cursor *)cur)->index;
  return SQLITE_OK;
}

static int el_sentences_best_index(sqlite3_vtab *tab, sqlite3_index_info *info) {
  return el_tvf_best_index(tab, info, EL_SEN_INPUT, 1, 1, "sentences", el_text_args);
}

static const sqlite3_module el_sentences_module = {
  0, NULL, el_sentences_connect, el_sentences_best_index, el_vtab_disconnect, NULL,
  el_sentences_open, el_sentences_close, el_sentences_filter, el_sentences_step,
  el_sentences_eof, el_sentences_column, el_sentences_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

/* ------------------------------------------------------------------------ */
/* token_count(text)                                                         */

static void el_token_count_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  const char *z = sqlite3_value_type(argv[0]) == SQLITE_BLOB
                      ? (const char *)sqlite3_value_blob(argv[0])
                      : (const char *)sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  if (z == NULL && n > 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  el_tokenizer t;
  el_token tok;
  sqlite3_int64 count = 0;
  el_tokenizer_init(&t, z, (size_t)n);
  while (el_tokenizer_next(&t, &tok)) count++;
  sqlite3_result_int64(ctx, count);
}

/* ------------------------------------------------------------------------ */
/* FTS5 tokenizer                                                            */

typedef struct el_fts5_tok {
  int remove_diacritics;
} el_fts5_tok;

static int el_fts5_create(void *pCtx, const char **azArg, int nArg, Fts5Tokenizer **ppOut) {
  (void)pCtx;
  el_fts5_tok *p = sqlite3_malloc(sizeof(*p));
  if (p == NULL) return SQLITE_NOMEM;
  p->remove_diacritics = 1;
  for (int i = 0; i < nArg; i += 2) {
    if (strcmp(azArg[i], "remove_diacritics") == 0 && i + 1 < nArg &&
        (strcmp(azArg[i + 1], "0") == 0 || strcmp(azArg[i + 1], "1") == 0)) {
      p->remove_diacritics = azArg[i + 1][0] == '1';
    } else {
      sqlite3_free(p);
      return SQLITE_ERROR; /* FTS5 reports "error in tokenizer constructor" */
    }
  }
  *ppOut = (Fts5Tokenizer *)p;
  return SQLITE_OK;
}

static void el_fts5_delete(Fts5Tokenizer *p) { sqlite3_free(p); }

/* Length of the plain number inside a money or percent token ("$1.5" -> "1.5"). */
static const char *el_bare_number(const char *norm, int len, int *out_len) {
  int a = 0, b = len;
  while (a < b && !(norm[a] >= '0' && norm[a] <= '9')) a++;
  while (b > a && !(norm[b - 1] >= '0' && norm[b - 1] <= '9')) b--;
  *out_len = b - a;
  return norm + a;
}

static int el_fts5_tokenize(Fts5Tokenizer *pTok, void *pCtx, int flags, const char *pText,
                            int nText,
                            int (*xToken)(void *, int, const char *, int, int, int)) {
  el_fts5_tok *p = (el_fts5_tok *)pTok;
  el_tokenizer t;
  el_token tok;
  char stack[256];
  el_buf b = {stack, sizeof(stack), 0};
  int rc = SQLITE_OK;
  int mode = p->remove_diacritics ? EL_NORM_FTS : EL_NORM_FOLD;
  el_tokenizer_init(&t, pText, nText > 0 ? (size_t)nText : 0);
  while (rc == SQLITE_OK && el_tokenizer_next(&t, &tok)) {
    int start = (int)tok.start, end = (int)tok.end;
    if (tok.kind == EL_PUNCT || tok.kind == EL_SYMBOL || (tok.flags & EL_TF_CLITIC)) continue;
    if (tok.flags & EL_TF_PLAIN) { /* already its own norm: no copy */
      rc = xToken(pCtx, 0, pText + tok.start, end - start, start, end);
      continue;
    }
    if (tok.flags & EL_TF_DOTTED) {
      /* "U.S." is indexed as "us" with "u.s." colocated, and a query for
      ** "U.S." asks for "u.s." only: it then finds U.S. but neither the
      ** pronoun "us" nor, under porter, "use" (which stems to "us"). */
      long long dotted = el_norm_into(&b, 0, pText, &tok, mode | EL_NORM_KEEP_DOTS);
      if (dotted < 0) {
        rc = SQLITE_NOMEM;
        break;
      }
      if (flags & FTS5_TOKENIZE_QUERY) {
        rc = xToken(pCtx, 0, b.p, (int)dotted, start, end);
        continue;
      }
      long long plain = el_norm_into(&b, (size_t)dotted, pText, &tok, mode);
      if (plain < 0) {
        rc = SQLITE_NOMEM;
        break;
      }
      rc = xToken(pCtx, 0, b.p + dotted, (int)plain, start, end);
      if (rc == SQLITE_OK) rc = xToken(pCtx, FTS5_TOKEN_COLOCATED, b.p, (int)dotted, start, end);
      continue;
    }
    long long len = el_norm_into(&b, 0, pText, &tok, mode);
    if (len < 0) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (len == 0) continue;
    rc = xToken(pCtx, 0, b.p, (int)len, start, end);
    if (rc == SQLITE_OK && (flags & FTS5_TOKENIZE_DOCUMENT) &&
        (tok.kind == EL_MONEY || tok.kind == EL_PERCENT)) {
      int blen;
      const char *bare = el_bare_number(b.p, (int)len, &blen);
      if (blen > 0 && blen < len)
        rc = xToken(pCtx, FTS5_TOKEN_COLOCATED, bare, blen, start, end);
    }
  }
  el_buf_free(&b);
  return rc;
}

/* The connection's fts5_api in *out (NULL when this SQLite has no FTS5).
** Returns an error code only when asking for it failed. */
static int el_fts5_api(sqlite3 *db, fts5_api **out) {
  sqlite3_stmt *stmt = NULL;
  *out = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return SQLITE_OK; /* no fts5() function: no FTS5 */
  int rc = sqlite3_bind_pointer(stmt, 1, (void *)out, "fts5_api_ptr", NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  int rc2 = sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  if (*out && (*out)->iVersion < 2) *out = NULL;
  return rc2;
}

/* Returns 1 when registered, 0 when FTS5 is not available, <0 on error. */
static int el_fts5_register(sqlite3 *db) {
  static fts5_tokenizer tk = {el_fts5_create, el_fts5_delete, el_fts5_tokenize};
  fts5_api *api;
  int rc = el_fts5_api(db, &api);
  if (rc != SQLITE_OK) return -rc;
  if (api == NULL) return 0;
  rc = api->xCreateTokenizer(api, "exportlens", NULL, &tk, NULL);
  return rc == SQLITE_OK ? 1 : -rc;
}

int el_text_has_fts5(sqlite3 *db) {
  fts5_api *api;
  void *ud = NULL;
  fts5_tokenizer tk;
  return el_fts5_api(db, &api) == SQLITE_OK && api != NULL &&
         api->xFindTokenizer(api, "exportlens", &ud, &tk) == SQLITE_OK;
}

/* ------------------------------------------------------------------------ */
/* Registration                                                              */

int el_text_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"token_count", 1, EL_PURE, el_token_count_fn},
    {NULL, 0, 0, NULL}
  };
  /* Trust (see el_sqlite.h): both read only their argument. */
  static const el_module_def mods[] = {
    {"tokens", &el_tokens_module, EL_PURE, NULL, NULL},
    {"sentences", &el_sentences_module, EL_PURE, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL}
  };
  int rc = el_register_functions(db, fns, pzErr);
  if (rc == SQLITE_OK) rc = el_register_modules(db, mods, pzErr);
  if (rc != SQLITE_OK) return rc;
  int f = el_fts5_register(db);
  if (f < 0) {
    *pzErr = sqlite3_mprintf("exportlens: cannot register the FTS5 tokenizer: %s",
                             sqlite3_errstr(-f));
    return -f;
  }
  return SQLITE_OK;
}
