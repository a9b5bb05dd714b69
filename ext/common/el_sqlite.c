/*
** Helpers shared by the SQL adapters (see el_sqlite.h).
*/
#include "el_sqlite.h"

#include <stdarg.h>
#include <string.h>

int el_register_functions(sqlite3 *db, const el_function_def *defs, char **pzErr) {
  for (; defs->name; defs++) {
    int rc = SQLITE_MISUSE;
    if (defs->flags & (SQLITE_INNOCUOUS | SQLITE_DIRECTONLY))
      rc = sqlite3_create_function_v2(db, defs->name, defs->nargs, defs->flags, NULL, defs->fn,
                                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      if (pzErr)
        *pzErr = sqlite3_mprintf("exportlens: cannot register function %s: %s", defs->name,
                                 rc == SQLITE_MISUSE ? "no trust level" : sqlite3_errstr(rc));
      return rc;
    }
  }
  return SQLITE_OK;
}

/* What a module registration hands to SQLite as pAux. */
typedef struct el_modaux {
  int trust;
  void *aux;
  void (*destroy)(void *);
} el_modaux;

static void el_modaux_free(void *p) {
  el_modaux *m = p;
  if (m->destroy) m->destroy(m->aux);
  sqlite3_free(m);
}

int el_register_modules(sqlite3 *db, const el_module_def *defs, char **pzErr) {
  for (const el_module_def *d = defs; d->name; d++) {
    int rc = SQLITE_MISUSE;
    int trust = d->trust & (SQLITE_INNOCUOUS | SQLITE_DIRECTONLY);
    el_modaux *m = NULL;
    if (trust == SQLITE_INNOCUOUS || trust == SQLITE_DIRECTONLY) {
      m = sqlite3_malloc(sizeof(*m));
      rc = SQLITE_NOMEM;
    }
    if (m) {
      m->trust = trust;
      m->aux = d->aux;
      m->destroy = d->destroy;
      /* on failure SQLite calls el_modaux_free itself */
      rc = sqlite3_create_module_v2(db, d->name, d->module, m, el_modaux_free);
    } else if (d->destroy) {
      d->destroy(d->aux);
    }
    if (rc != SQLITE_OK) {
      for (const el_module_def *r = d + 1; r->name; r++)
        if (r->destroy) r->destroy(r->aux);
      if (pzErr)
        *pzErr = sqlite3_mprintf("exportlens: cannot register module %s: %s", d->name,
                                 rc == SQLITE_MISUSE ? "no trust level" : sqlite3_errstr(rc));
      return rc;
    }
  }
  return SQLITE_OK;
}

void *el_module_aux(void *pAux) { return pAux ? ((el_modaux *)pAux)->aux : NULL; }

int el_vtab_declare(sqlite3 *db, void *pAux, const char *schema) {
  /* a module registered by hand has no trust level: refuse it from a stored
  ** schema, as the safe default */
  int trust = pAux ? ((el_modaux *)pAux)->trust : SQLITE_DIRECTONLY;
  int rc = sqlite3_declare_vtab(db, schema);
  if (rc == SQLITE_OK)
    rc = sqlite3_vtab_config(db, trust == SQLITE_INNOCUOUS ? SQLITE_VTAB_INNOCUOUS
                                                           : SQLITE_VTAB_DIRECTONLY);
  return rc;
}

int el_arg_set(el_arg *a, sqlite3_value *v) {
  sqlite3_value_free(a->num);
  a->num = NULL;
  a->z = NULL;
  a->n = 0;
  a->type = sqlite3_value_type(v);
  if (a->type == SQLITE_NULL) return SQLITE_OK;
  const void *src;
  if (a->type == SQLITE_BLOB) {
    src = sqlite3_value_blob(v);
  } else {
    if (a->type != SQLITE_TEXT && (a->num = sqlite3_value_dup(v)) == NULL) return SQLITE_NOMEM;
    src = sqlite3_value_text(v);
  }
  size_t n = (size_t)sqlite3_value_bytes(v);
  if (src == NULL && (n > 0 || a->type != SQLITE_BLOB)) return SQLITE_NOMEM;
  if (n + 1 > a->cap) {
    /* a small text gets room to grow; a big one exactly its size */
    size_t cap = n + 1 < 4096 ? 4096 : n + 1;
    char *nb = sqlite3_realloc64(a->buf, cap);
    if (nb == NULL) return SQLITE_NOMEM;
    a->buf = nb;
    a->cap = cap;
  }
  if (n) memcpy(a->buf, src, n);
  a->buf[n] = 0;
  a->z = a->buf;
  a->n = n;
  return SQLITE_OK;
}

void el_arg_result(sqlite3_context *ctx, const el_arg *a) {
  if (a->num) sqlite3_result_value(ctx, a->num);
  else if (a->z && a->type == SQLITE_BLOB) sqlite3_result_blob64(ctx, a->z, a->n, SQLITE_TRANSIENT);
  else if (a->z) sqlite3_result_text64(ctx, a->z, a->n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void el_arg_free(el_arg *a) {
  sqlite3_value_free(a->num);
  sqlite3_free(a->buf);
  memset(a, 0, sizeof(*a));
}

char *el_utf8_sanitize(char *z) {
  unsigned char *p = (unsigned char *)z;
  while (p && *p) {
    unsigned c = *p;
    if (c < 0x80) {
      p++;
      continue;
    }
    size_t n;
    unsigned long min;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      min = 0x10000;
    } else {
      *p++ = '?';
      continue;
    }
    unsigned long cp = c & (0x3Fu >> n);
    size_t k;
    for (k = 1; k <= n; k++) { /* stops at the NUL: it is not a continuation byte */
      if ((p[k] & 0xC0) != 0x80) break;
      cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (k <= n || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *p++ = '?';
      continue;
    }
    p += n + 1;
  }
  return z;
}

void el_vtab_error(sqlite3_vtab *tab, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_free(tab->zErrMsg);
  tab->zErrMsg = el_utf8_sanitize(sqlite3_vmprintf(fmt, ap));
  va_end(ap);
}

int el_tvf_best_index(sqlite3_vtab *tab, sqlite3_index_info *info, int first_arg,
                      int n_args, int n_required, const char *fname,
                      const char *const *arg_names) {
  int usable[16], seen = 0, mask = 0, argv_index = 1;
  if (n_args > 16) n_args = 16; /* idxNum has a bit per argument */
  if (n_required > n_args) n_required = n_args;
  for (int k = 0; k < n_args; k++) usable[k] = -1;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int k = c->iColumn - first_arg;
    if (k < 0 || k >= n_args || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    seen |= 1 << k;
    if (c->usable) usable[k] = i;
  }
  int missing = 0;
  for (int k = 0; k < n_required; k++) {
    if (usable[k] < 0) {
      if (seen & (1 << k)) return SQLITE_CONSTRAINT;
      /* Absent: either the user left it out, or the planner is trying an
      ** order in which the argument's source is not available at all (it
      ** then leaves the term out). Offer a hopeless plan; if it is the only
      ** one, xFilter reports the missing argument (el_tvf_missing). */
      missing = 1;
    }
  }
  for (int k = 0; k < n_args; k++) {
    if (usable[k] < 0) continue;
    info->aConstraintUsage[usable[k]].argvIndex = argv_index++;
    info->aConstraintUsage[usable[k]].omit = 1;
    mask |= 1 << k;
  }
  info->idxNum = mask;
  info->estimatedCost = missing ? 1e99 : 1000.0;
  info->estimatedRows = missing ? 0x7fffffff : 1000;
  (void)tab; (void)fname; (void)arg_names;
  return SQLITE_OK;
}

int el_tvf_missing(sqlite3_vtab_cursor *cur, int idxNum, int n_required, const char *fname,
                   const char *const *arg_names) {
  for (int k = 0; k < n_required; k++) {
    if (!(idxNum & (1 << k))) {
      el_vtab_error(cur->pVtab, "%s(): missing argument '%s'", fname, arg_names[k]);
      return SQLITE_ERROR;
    }
  }
  return SQLITE_OK;
}

int el_tvf_connect(sqlite3 *db, void *pAux, const char *schema, sqlite3_vtab **ppVtab) {
  int rc = el_vtab_declare(db, pAux, schema);
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab *tab = sqlite3_malloc(sizeof(*tab));
  if (tab == NULL) return SQLITE_NOMEM;
  memset(tab, 0, sizeof(*tab));
  *ppVtab = tab;
  return SQLITE_OK;
}

int el_vtab_disconnect(sqlite3_vtab *tab) {
  sqlite3_free(tab->zErrMsg);
  sqlite3_free(tab);
  return SQLITE_OK;
}

int el_cursor_alloc(size_t size, sqlite3_vtab_cursor **ppCur) {
  void *c = sqlite3_malloc64(size);
  if (c == NULL) return SQLITE_NOMEM;
  memset(c, 0, size);
  *ppCur = (sqlite3_vtab_cursor *)c;
  return SQLITE_OK;
}
