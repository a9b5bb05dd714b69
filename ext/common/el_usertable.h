/*
** Reading a user's table for a table-valued function: entities_with()'s
** dictionary, export_terms_with()'s lexicon and screen()'s list all go
** through here. Adapter code (it talks to SQLite); what is built from the
** rows is the caller's (a core object), through a callback.
**
** It provides, in one place:
**   - the table argument's check ("<fn>(): <arg> must be a table name");
**   - 'schema.table' parsing, with no fixed buffer: the part before the first
**     dot is a schema when it names an attached database, and otherwise the
**     whole string is a table name ('my.table');
**   - column mapping by name (case-insensitive, any order, other columns
**     ignored), with one error for a missing column;
**   - the same messages for every function ("<fn>(): cannot read <noun>
**     'x': ...", "<fn>(): <noun> 'x' row 3: ...");
**   - a per-connection cache of what was built, reference-counted, so a
**     cursor keeps its object while the cache moves on;
**   - a guard against a table that is a view over the same function.
**
** When is a cached object still right? A fingerprint is taken at the start
** of each statement that uses the table: the connection's change counter
** (sqlite3_total_changes64, which moves with every row this connection
** changes, also inside a transaction and through triggers) and, for every
** attached database, its name, file, schema version and data version
** (SQLITE_FCNTL_DATA_VERSION, which moves with every commit, from this
** connection or another; reading PRAGMA schema_version first starts a read
** transaction, which is what makes the pager notice another connection's
** commit). An unchanged fingerprint means nobody changed anything.
**
** A ROLLBACK (or ROLLBACK TO a savepoint) moves none of these counters,
** yet it takes back rows: a dictionary read inside a write transaction may
** hold rows that later vanish. So a fingerprint taken while this connection
** has a write transaction open (sqlite3_txn_state) is never trusted later:
** the next statement reads the table again and compares a hash of its rows
** (the mapped columns, their types, and rowids) with the cached object's.
** Rebuilding, the costly part (an automaton, an index), happens only when the
** rows differ. So:
**   - unchanged fingerprint, recorded outside a write transaction: no read;
**   - anything else: one read of the table, and a build only when the rows
**     differ from the cached object's.
** sqlite3_blob_write() inside an open transaction changes rows without
** moving any counter; such a change is seen after the commit.
*/
#ifndef EL_COMMON_EL_USERTABLE_H
#define EL_COMMON_EL_USERTABLE_H

#include "el_sqlite.h"

typedef struct el_ut_reader el_ut_reader;

/* What a function reads, and how it builds its object from the rows. */
typedef struct el_ut_spec {
  const char *fname;          /* the SQL function, in messages: "entities_with" */
  const char *argname;        /* its table argument: "dictionary" */
  const char *noun;           /* what the table is: "dictionary" */
  const char *const *columns; /* looked up by name; the first nrequired must exist */
  int ncolumns, nrequired;
  sqlite3_int64 max_rows;     /* more is an error; 0 for no limit */
  /* Build the object from the rows (step with el_ut_step, read with
  ** el_ut_text ...). Returns SQLITE_OK with *pObj set, or an error code
  ** (with a message set through el_ut_error or el_ut_fail, unless it is
  ** SQLITE_NOMEM). */
  int (*xBuild)(el_ut_reader *r, void *ctx, void **pObj);
  void (*xFree)(void *obj);
} el_ut_spec;

/* Reading rows, inside xBuild. el_ut_step returns SQLITE_ROW, SQLITE_DONE, or
** an error with its message set. */
int el_ut_step(el_ut_reader *r);
/* Column k (the index in spec->columns): NULL when absent or NULL. */
const char *el_ut_text(el_ut_reader *r, int k, int *pn);
int el_ut_type(el_ut_reader *r, int k); /* SQLITE_NULL when absent */
sqlite3_int64 el_ut_int(el_ut_reader *r, int k);
/* The row's rowid (*has = 0 for a view or a WITHOUT ROWID table). */
sqlite3_int64 el_ut_rowid(el_ut_reader *r, int *has);
sqlite3_int64 el_ut_row(el_ut_reader *r); /* 1-based row number */
const char *el_ut_name(el_ut_reader *r);  /* the argument, "aux.t" */
const char *el_ut_table(el_ut_reader *r); /* its table part, "t" */
/* "<fn>(): <noun> '<name>' row <n>: " and the message; returns SQLITE_ERROR. */
int el_ut_error(el_ut_reader *r, const char *fmt, ...);
/* "<fn>(): <noun> '<name>': " and the message; returns SQLITE_ERROR. */
int el_ut_fail(el_ut_reader *r, const char *fmt, ...);

/* A per-connection cache of objects built from tables, for one spec. */
typedef struct el_ut_cache el_ut_cache;
el_ut_cache *el_ut_cache_new(const el_ut_spec *spec, void *ctx);
void el_ut_cache_free(el_ut_cache *c);

/* What one cursor uses: a cursor lives for one statement, and keeps the
** object of the table it last named (looked up once per statement, not once
** per row of a join). */
typedef struct el_ut_obj el_ut_obj;
typedef struct el_ut_use {
  char *name;
  el_ut_obj *obj;
} el_ut_use;

/* Check a table argument. SQLITE_OK with *pname set (NULL for a NULL
** argument), or SQLITE_ERROR with "<fn>(): <arg> must be a table name" set on
** tab: a table name is non-empty text without NUL bytes. */
int el_ut_arg(const el_ut_spec *spec, sqlite3_value *v, sqlite3_vtab *tab, const char **pname);

/* Make use hold the object for table `name` (from the cache, or read and
** built). Errors are set on tab. */
int el_ut_acquire(el_ut_cache *c, sqlite3 *db, sqlite3_vtab *tab, el_ut_use *use,
                  const char *name);
void *el_ut_data(const el_ut_use *use);
void el_ut_release(el_ut_use *use);

/* For the pure form of a function (entities(), export_terms()), whose table
** argument must be NULL: the same type check as el_ut_arg, then an error
** naming the form that reads tables. SQLITE_OK when v is NULL. */
int el_ut_refuse(const char *fname, const char *argname, const char *with_form,
                 sqlite3_value *v, sqlite3_vtab *tab);

#endif
