/*
** Reading a user's table for a table-valued function (see el_usertable.h).
*/
#include "el_usertable.h"

#include <stdarg.h>
#include <string.h>

#define EL_UT_SLOTS 4 /* objects kept per connection and function */

struct el_ut_obj {
  int refs;
  void *data;
  void (*xFree)(void *);
};

typedef struct el_ut_slot {
  char *name;
  sqlite3_uint64 hash;  /* of the rows the object was built from */
  sqlite3_uint64 fp;    /* fingerprint when they were last read or checked */
  int trusted;          /* fp was taken outside a write transaction */
  sqlite3_uint64 used;  /* for least-recently-used replacement */
  el_ut_obj *obj;
} el_ut_slot;

struct el_ut_cache {
  const el_ut_spec *spec;
  void *ctx;
  el_ut_slot slot[EL_UT_SLOTS];
  sqlite3_uint64 clock;
  int busy; /* reading a table: a nested use (a view over the function) is refused */
};

struct el_ut_reader {
  const el_ut_spec *spec;
  sqlite3_vtab *tab;
  sqlite3 *db;
  const char *name, *table;
  sqlite3_stmt *st;
  int has_rowid;
  int col[16];         /* result column of each spec column, or -1 */
  sqlite3_int64 row;
  sqlite3_uint64 hash;
};

/* ------------------------------------------------------------------------ */
/* Hashing                                                                   */

#define EL_UT_SEED 0x9E3779B97F4A7C15ull

/* A 64-bit hash step over n bytes, 8 at a time (the hash never leaves the
** process, so byte order does not matter). */
static sqlite3_uint64 el_ut_mix(sqlite3_uint64 h, const void *p, size_t n) {
  const unsigned char *z = p;
  h ^= (sqlite3_uint64)n * 0x9E3779B97F4A7C15ull;
  for (;;) {
    sqlite3_uint64 k = 0;
    size_t m = n < 8 ? n : 8;
    if (m) memcpy(&k, z, m);
    k *= 0xBF58476D1CE4E5B9ull;
    h = (h ^ k ^ (k >> 31)) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    if (n <= 8) break;
    z += 8;
    n -= 8;
  }
  return h;
}

static sqlite3_uint64 el_ut_mix_int(sqlite3_uint64 h, sqlite3_int64 v) {
  return el_ut_mix(h, &v, sizeof(v));
}

/* The fingerprint of every change the table could have seen (see the
** header), or 0 when this SQLite cannot give it (then nothing is trusted). */
static sqlite3_uint64 el_ut_fingerprint(sqlite3 *db) {
#if SQLITE_VERSION_NUMBER >= 3039000
  if (sqlite3_libversion_number() < 3039000) return 0; /* sqlite3_db_name */
  sqlite3_uint64 h = el_ut_mix_int(EL_UT_SEED, sqlite3_total_changes64(db));
  for (int i = 0;; i++) {
    const char *name = sqlite3_db_name(db, i);
    if (name == NULL) break;
    char *sql = sqlite3_mprintf("PRAGMA \"%w\".schema_version", name);
    if (sql == NULL) return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    sqlite3_int64 sv = 0;
    int ok = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    if (ok) sv = sqlite3_column_int64(st, 0);
    /* read while the pragma's read transaction is open: the pager has just
    ** looked for other connections' commits */
    unsigned int dv = 0;
    void *file = NULL;
    if (sqlite3_file_control(db, name, SQLITE_FCNTL_DATA_VERSION, &dv) != SQLITE_OK) dv = 0;
    if (sqlite3_file_control(db, name, SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK) file = NULL;
    sqlite3_finalize(st);
    if (!ok) return 0;
    const char *fn = sqlite3_db_filename(db, name);
    h = el_ut_mix(h, name, strlen(name));
    h = el_ut_mix(h, fn ? fn : "", fn ? strlen(fn) : 0);
    h = el_ut_mix(h, &file, sizeof(file));
    h = el_ut_mix_int(h, sv);
    h = el_ut_mix_int(h, (sqlite3_int64)dv);
  }
  return h ? h : 1;
#else
  (void)db;
  return 0;
#endif
}

static int el_ut_in_write_txn(sqlite3 *db) {
#if SQLITE_VERSION_NUMBER >= 3034000
  if (sqlite3_libversion_number() >= 3034000) return sqlite3_txn_state(db, NULL) == SQLITE_TXN_WRITE;
#endif
  return !sqlite3_get_autocommit(db);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

static void el_ut_verror(el_ut_reader *r, int with_row, const char *fmt, va_list ap) {
  char *msg = sqlite3_vmprintf(fmt, ap);
  if (with_row)
    el_vtab_error(r->tab, "%s(): %s '%s' row %lld: %s", r->spec->fname, r->spec->noun, r->name,
                  r->row, msg ? msg : "out of memory");
  else
    el_vtab_error(r->tab, "%s(): %s '%s': %s", r->spec->fname, r->spec->noun, r->name,
                  msg ? msg : "out of memory");
  sqlite3_free(msg);
}

int el_ut_error(el_ut_reader *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  el_ut_verror(r, 1, fmt, ap);
  va_end(ap);
  return SQLITE_ERROR;
}

int el_ut_fail(el_ut_reader *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  el_ut_verror(r, 0, fmt, ap);
  va_end(ap);
  return SQLITE_ERROR;
}

/* "<fn>(): cannot read <noun> 'x': " and SQLite's message. */
static int el_ut_read_error(el_ut_reader *r) {
  el_vtab_error(r->tab, "%s(): cannot read %s '%s': %s", r->spec->fname, r->spec->noun, r->name,
                sqlite3_errmsg(r->db));
  return SQLITE_ERROR;
}

static int el_ut_check_name(const char *fname, const char *argname, sqlite3_value *v,
                            sqlite3_vtab *tab, const char **pname) {
  *pname = NULL;
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return SQLITE_OK;
  const char *z = (const char *)sqlite3_value_text(v);
  if (z == NULL) return SQLITE_NOMEM;
  if (t != SQLITE_TEXT || z[0] == 0 || strlen(z) != (size_t)sqlite3_value_bytes(v)) {
    el_vtab_error(tab, "%s(): %s must be a table name", fname, argname);
    return SQLITE_ERROR;
  }
  *pname = z;
  return SQLITE_OK;
}

int el_ut_arg(const el_ut_spec *spec, sqlite3_value *v, sqlite3_vtab *tab, const char **pname) {
  return el_ut_check_name(spec->fname, spec->argname, v, tab, pname);
}

int el_ut_refuse(const char *fname, const char *argname, const char *with_form,
                 sqlite3_value *v, sqlite3_vtab *tab) {
  const char *name;
  int rc = el_ut_check_name(fname, argname, v, tab, &name);
  if (rc != SQLITE_OK || name == NULL) return rc;
  el_vtab_error(tab, "%s(): %s '%s' needs %s: %s() reads no table", fname, argname, name,
                with_form, fname);
  return SQLITE_ERROR;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

/* Whether `s` (n bytes) names an attached database. */
static int el_ut_is_schema(sqlite3 *db, const char *s, size_t n) {
  if ((n == 4 && sqlite3_strnicmp(s, "main", 4) == 0) ||
      (n == 4 && sqlite3_strnicmp(s, "temp", 4) == 0))
    return 1;
#if SQLITE_VERSION_NUMBER >= 3039000
  if (sqlite3_libversion_number() >= 3039000) {
    for (int i = 0;; i++) {
      const char *name = sqlite3_db_name(db, i);
      if (name == NULL) return 0;
      if (strlen(name) == n && sqlite3_strnicmp(name, s, (int)n) == 0) return 1;
    }
  }
#endif
  (void)db;
  return 1; /* no way to ask: a dot separates the schema, as before 3.39 */
}

/* Back to the first row; the hash starts from the column mapping. */
static void el_ut_rewind(el_ut_reader *r) {
  sqlite3_reset(r->st);
  r->row = 0;
  r->hash = el_ut_mix_int(EL_UT_SEED, r->has_rowid);
  for (int k = 0; k < r->spec->ncolumns; k++) r->hash = el_ut_mix_int(r->hash, r->col[k]);
}

/* Prepare the read of r->name: "SELECT rowid, * FROM ...", or with NULL in
** place of the rowid for a view or a WITHOUT ROWID table; then map the
** columns by name. */
static int el_ut_open(el_ut_reader *r) {
  const char *dot = strchr(r->name, '.');
  char *schema = NULL;
  r->table = r->name;
  if (dot && dot > r->name && dot[1] && el_ut_is_schema(r->db, r->name, (size_t)(dot - r->name))) {
    schema = sqlite3_mprintf("%.*s", (int)(dot - r->name), r->name);
    if (schema == NULL) return SQLITE_NOMEM;
    r->table = dot + 1;
  }
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    const char *rid = attempt == 0 ? "rowid" : "NULL";
    char *sql = schema ? sqlite3_mprintf("SELECT %s, * FROM \"%w\".\"%w\"", rid, schema, r->table)
                       : sqlite3_mprintf("SELECT %s, * FROM \"%w\"", rid, r->table);
    if (sql == NULL) {
      rc = SQLITE_NOMEM;
      break;
    }
    rc = sqlite3_prepare_v2(r->db, sql, -1, &r->st, NULL);
    sqlite3_free(sql);
    if (rc == SQLITE_OK) {
      r->has_rowid = attempt == 0;
      break;
    }
    if (rc == SQLITE_NOMEM) break;
  }
  sqlite3_free(schema);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc != SQLITE_OK) return el_ut_read_error(r);
  const el_ut_spec *spec = r->spec;
  int ncol = sqlite3_column_count(r->st);
  for (int k = 0; k < spec->ncolumns; k++) {
    r->col[k] = -1;
    for (int i = 1; i < ncol && r->col[k] < 0; i++) {
      const char *cn = sqlite3_column_name(r->st, i);
      if (cn == NULL) return SQLITE_NOMEM;
      if (sqlite3_stricmp(cn, spec->columns[k]) == 0) r->col[k] = i;
    }
    if (r->col[k] < 0 && k < spec->nrequired) {
      /* "... has no column label (it needs name, label and canonical; optional: x)" */
      sqlite3_str *s = sqlite3_str_new(NULL);
      for (int j = 0; j < spec->ncolumns; j++) {
        if (j == spec->nrequired) sqlite3_str_appendall(s, "; optional: ");
        else if (j > 0) sqlite3_str_appendall(s, j == spec->nrequired - 1 ? " and " : ", ");
        sqlite3_str_appendall(s, spec->columns[j]);
      }
      char *list = sqlite3_str_finish(s);
      if (list == NULL) return SQLITE_NOMEM;
      el_vtab_error(r->tab, "%s(): %s '%s' has no column %s (it needs %s)", spec->fname,
                    spec->noun, r->name, spec->columns[k], list);
      sqlite3_free(list);
      return SQLITE_ERROR;
    }
  }
  el_ut_rewind(r);
  return SQLITE_OK;
}

static void el_ut_close(el_ut_reader *r) {
  sqlite3_finalize(r->st);
  r->st = NULL;
}

int el_ut_step(el_ut_reader *r) {
  int rc = sqlite3_step(r->st);
  if (rc == SQLITE_DONE) return rc;
  if (rc != SQLITE_ROW) return rc == SQLITE_NOMEM ? rc : el_ut_read_error(r);
  r->row++;
  if (r->spec->max_rows > 0 && r->row > r->spec->max_rows) {
    return el_ut_fail(r, "more than %lld rows", r->spec->max_rows);
  }
  /* the hash of the row: rowid, then each mapped column's type and bytes */
  sqlite3_uint64 h = el_ut_mix_int(r->hash, r->has_rowid ? sqlite3_column_int64(r->st, 0) : 0);
  for (int k = 0; k < r->spec->ncolumns; k++) {
    int i = r->col[k];
    int t = i < 0 ? SQLITE_NULL : sqlite3_column_type(r->st, i);
    h = el_ut_mix_int(h, t);
    if (t == SQLITE_NULL) continue;
    const void *z = t == SQLITE_BLOB ? sqlite3_column_blob(r->st, i) : sqlite3_column_text(r->st, i);
    int n = sqlite3_column_bytes(r->st, i);
    if (z == NULL && n > 0) return SQLITE_NOMEM;
    if (z == NULL && t != SQLITE_BLOB) return SQLITE_NOMEM;
    h = el_ut_mix(h, z, (size_t)n);
  }
  r->hash = h;
  return SQLITE_ROW;
}

const char *el_ut_text(el_ut_reader *r, int k, int *pn) {
  int i = r->col[k];
  if (pn) *pn = 0;
  if (i < 0) return NULL;
  const char *z = (const char *)sqlite3_column_text(r->st, i);
  if (pn) *pn = sqlite3_column_bytes(r->st, i);
  return z;
}

int el_ut_type(el_ut_reader *r, int k) {
  return r->col[k] < 0 ? SQLITE_NULL : sqlite3_column_type(r->st, r->col[k]);
}

sqlite3_int64 el_ut_int(el_ut_reader *r, int k) {
  return r->col[k] < 0 ? 0 : sqlite3_column_int64(r->st, r->col[k]);
}

sqlite3_int64 el_ut_rowid(el_ut_reader *r, int *has) {
  *has = r->has_rowid && sqlite3_column_type(r->st, 0) == SQLITE_INTEGER;
  return *has ? sqlite3_column_int64(r->st, 0) : 0;
}

sqlite3_int64 el_ut_row(el_ut_reader *r) { return r->row; }
const char *el_ut_name(el_ut_reader *r) { return r->name; }
const char *el_ut_table(el_ut_reader *r) { return r->table; }

/* ------------------------------------------------------------------------ */
/* The cache                                                                 */

static void el_ut_obj_release(el_ut_obj *o) {
  if (o && --o->refs == 0) {
    o->xFree(o->data);
    sqlite3_free(o);
  }
}

static void el_ut_slot_clear(el_ut_slot *s) {
  sqlite3_free(s->name);
  el_ut_obj_release(s->obj);
  memset(s, 0, sizeof(*s));
}

el_ut_cache *el_ut_cache_new(const el_ut_spec *spec, void *ctx) {
  if (spec->ncolumns > 16) return NULL;
  el_ut_cache *c = sqlite3_malloc(sizeof(*c));
  if (c == NULL) return NULL;
  memset(c, 0, sizeof(*c));
  c->spec = spec;
  c->ctx = ctx;
  return c;
}

void el_ut_cache_free(el_ut_cache *c) {
  if (c == NULL) return;
  for (int i = 0; i < EL_UT_SLOTS; i++) el_ut_slot_clear(&c->slot[i]);
  sqlite3_free(c);
}

/* Read the rows (hashing them) without building: 0 when done, or an error. */
static int el_ut_hash_only(el_ut_reader *r) {
  int rc;
  while ((rc = el_ut_step(r)) == SQLITE_ROW) {
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Build from the rows; the reader's hash is then that of what was built. */
static int el_ut_build(el_ut_cache *c, el_ut_reader *r, el_ut_obj **out) {
  void *data = NULL;
  int rc = c->spec->xBuild(r, c->ctx, &data);
  if (rc != SQLITE_OK) {
    if (data) c->spec->xFree(data);
    return rc;
  }
  el_ut_obj *o = sqlite3_malloc(sizeof(*o));
  if (o == NULL) {
    c->spec->xFree(data);
    return SQLITE_NOMEM;
  }
  o->refs = 1;
  o->data = data;
  o->xFree = c->spec->xFree;
  *out = o;
  return SQLITE_OK;
}

/* A reference to the object for `name`: cached when still right, else read
** (and built when its rows changed). */
static int el_ut_get(el_ut_cache *c, sqlite3 *db, sqlite3_vtab *tab, const char *name,
                     el_ut_obj **out) {
  const el_ut_spec *spec = c->spec;
  *out = NULL;
  if (c->busy) {
    el_vtab_error(tab, "%s(): %s '%s' is read while reading a %s", spec->fname, spec->noun, name,
                  spec->noun);
    return SQLITE_ERROR;
  }
  int in_write = el_ut_in_write_txn(db);
  sqlite3_uint64 fp = el_ut_fingerprint(db);
  el_ut_slot *s = NULL;
  for (int i = 0; i < EL_UT_SLOTS; i++)
    if (c->slot[i].name && strcmp(c->slot[i].name, name) == 0) s = &c->slot[i];
  if (s && s->trusted && fp && s->fp == fp) {
    s->used = ++c->clock;
    s->obj->refs++;
    *out = s->obj;
    return SQLITE_OK;
  }

  el_ut_reader r;
  memset(&r, 0, sizeof(r));
  r.spec = spec;
  r.tab = tab;
  r.db = db;
  r.name = name;
  c->busy = 1;
  int rc = el_ut_open(&r);
  el_ut_obj *built = NULL;
  if (rc == SQLITE_OK && s) {
    /* the rows may be those of the cached object: compare before building */
    rc = el_ut_hash_only(&r);
    if (rc == SQLITE_OK && r.hash == s->hash) {
      s->fp = fp;
      s->trusted = fp && !in_write;
      s->used = ++c->clock;
      s->obj->refs++;
      *out = s->obj;
      el_ut_close(&r);
      c->busy = 0;
      return SQLITE_OK;
    }
    if (rc == SQLITE_OK) el_ut_rewind(&r);
  }
  if (rc == SQLITE_OK) rc = el_ut_build(c, &r, &built);
  el_ut_close(&r);
  c->busy = 0;
  if (rc != SQLITE_OK) return rc;

  char *nm = sqlite3_mprintf("%s", name);
  if (nm == NULL) {
    el_ut_obj_release(built);
    return SQLITE_NOMEM;
  }
  if (s == NULL) { /* a free slot, else the least recently used */
    s = &c->slot[0];
    for (int i = 0; i < EL_UT_SLOTS; i++) {
      if (c->slot[i].name == NULL) {
        s = &c->slot[i];
        break;
      }
      if (c->slot[i].used < s->used) s = &c->slot[i];
    }
  }
  el_ut_slot_clear(s);
  s->name = nm;
  s->hash = r.hash;
  s->fp = fp;
  s->trusted = fp && !in_write;
  s->used = ++c->clock;
  s->obj = built; /* the slot's reference */
  built->refs++;  /* the caller's */
  *out = built;
  return SQLITE_OK;
}

int el_ut_acquire(el_ut_cache *c, sqlite3 *db, sqlite3_vtab *tab, el_ut_use *use,
                  const char *name) {
  if (use->obj && strcmp(use->name, name) == 0) return SQLITE_OK;
  el_ut_release(use);
  char *nm = sqlite3_mprintf("%s", name);
  if (nm == NULL) return SQLITE_NOMEM;
  el_ut_obj *o;
  int rc = el_ut_get(c, db, tab, name, &o);
  if (rc != SQLITE_OK) {
    sqlite3_free(nm);
    return rc;
  }
  use->name = nm;
  use->obj = o;
  return SQLITE_OK;
}

void *el_ut_data(const el_ut_use *use) { return use->obj ? use->obj->data : NULL; }

void el_ut_release(el_ut_use *use) {
  el_ut_obj_release(use->obj);
  sqlite3_free(use->name);
  use->obj = NULL;
  use->name = NULL;
}
