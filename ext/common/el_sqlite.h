/*
** Helpers shared by the SQL adapters: argument copying, the hidden-argument
** xBestIndex of eponymous table-valued functions, and registration tables.
*/
#ifndef EL_COMMON_EL_SQLITE_H
#define EL_COMMON_EL_SQLITE_H

#include <stddef.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

/*
** Trust levels, and the threat model behind them.
**
** A database file may come from someone else, and its schema (views,
** triggers, defaults, generated columns, indexes) runs with the rights of
** whoever opens it. SQLite offers two marks. SQLITE_INNOCUOUS says that a
** function or virtual table is harmless anywhere: a stored schema may use it,
** even with PRAGMA trusted_schema=OFF. SQLITE_DIRECTONLY says that only SQL the
** user runs may use it: top-level statements and TEMP views and triggers (the
** TEMP schema is written by this connection, never read from a file). A
** stored view or trigger that calls it fails with "unsafe use of ...", with
** trusted_schema OFF or ON.
**
** Every function and module exportlens registers has one of three levels,
** written in its registration table:
**
**   EL_PURE          reads only its arguments and the data compiled into the
**                    extension. INNOCUOUS (and DETERMINISTIC for functions),
**                    so that views such as sql/schema.sql's keep working with
**                    trusted_schema=OFF.
**   EL_READS_TABLES  reads a table named by an argument (or a default table,
**                    as screen() reads 'csl'). DIRECTONLY. Such a function
**                    reads with the user's rights, and a view stored in an
**                    attached file could otherwise name any table of the
**                    connection ('main.secret') and return its rows; SQLite
**                    refuses a plain view that reaches into another schema,
**                    and these functions must not be a way around that.
**   EL_READS_FILES   opens files named by an argument. DIRECTONLY, and left
**                    out altogether by the sqlite3_exportlens_noread_init
**                    entry point.
**
** Why the table-reading forms have names of their own (entities_with,
** export_terms_with) rather than an optional argument of entities() and
** export_terms(): SQLite decides per virtual table, not per call. The check
** is in selectExpander (select.c): a FROM item that comes from a stored view
** or trigger (SrcItem.fg.fromDDL, set when the schema's SQL is fixed to its
** database; never for TEMP) is refused when the table's VTable.eVtabRisk is
** above what trusted_schema allows. eVtabRisk is set by
** sqlite3_vtab_config() inside xConnect, and an eponymous table-valued
** function has one VTable per connection, connected once. No per-call signal
** reaches the module: xBestIndex and xFilter see the arguments' values, never
** where the SQL came from. So one name is either INNOCUOUS for every call or
** DIRECTONLY for every call. A second module is the only sound split: the
** pure name stays INNOCUOUS, and refuses a table argument with an error that
** names the DIRECTONLY form (a table argument cannot be honoured safely
** there, with trusted_schema ON or OFF). The alternative that keeps one name,
** a TEMP virtual table created at load time to shadow the eponymous one for
** top-level SQL, was rejected: it would hide users' own tables of the same
** name and leave objects in their TEMP schema.
**
** Virtual tables cannot appear in CHECK constraints, defaults or index
** expressions (no subqueries there), so for modules views and triggers are
** the whole of the stored schema's reach.
*/
#define EL_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)
/* Pure, but not deterministic (exportlens_debug() reports build facts). */
#define EL_PURE_VOLATILE (SQLITE_UTF8 | SQLITE_INNOCUOUS)
#define EL_READS_TABLES (SQLITE_UTF8 | SQLITE_DIRECTONLY)
#define EL_READS_FILES (SQLITE_UTF8 | SQLITE_DIRECTONLY)

/* One scalar function in a registration table. flags is its trust level:
** one of the EL_ macros above (a set of SQLite function flags). */
typedef struct el_function_def {
  const char *name;
  int nargs;
  int flags;
  void (*fn)(sqlite3_context *, int, sqlite3_value **);
} el_function_def;

/* Register every entry of defs (terminated by a NULL name). An entry that is
** neither INNOCUOUS nor DIRECTONLY is refused: every function states its
** trust. On failure, *pzErr names the function that failed. */
int el_register_functions(sqlite3 *db, const el_function_def *defs, char **pzErr);

/* One module in a registration table. trust is EL_PURE, EL_READS_TABLES or
** EL_READS_FILES; xConnect applies it through el_tvf_connect or
** el_vtab_declare (SQLITE_VTAB_INNOCUOUS or SQLITE_VTAB_DIRECTONLY), so the
** table is the one place it is written. aux is handed to the module (read it
** back with el_module_aux) and destroy(aux), when not NULL, is called exactly
** once: when SQLite drops the module, or when registering fails. */
typedef struct el_module_def {
  const char *name;
  const sqlite3_module *module;
  int trust;
  void *aux;
  void (*destroy)(void *);
} el_module_def;

/* Register every entry of defs (terminated by a NULL name). On failure,
** *pzErr names the module that failed, and the destroy of every entry not
** registered has been called. */
int el_register_modules(sqlite3 *db, const el_module_def *defs, char **pzErr);

/* In xConnect: the aux of the module's registration entry. */
void *el_module_aux(void *pAux);

/* In xConnect: declare the vtab's schema and apply the module's trust. */
int el_vtab_declare(sqlite3 *db, void *pAux, const char *schema);

/* The text argument of a table-valued function, kept for the rows of one
** cursor: one NUL-terminated copy of its bytes (a number's as its text), and
** what the hidden column must give back (the same type; a number is kept as a
** value, it is small). The buffer is reused from one xFilter to the next.
** sqlite3_value_dup would be a second copy of a text that may be 100 MB. */
typedef struct el_arg {
  char *z;             /* the bytes (= buf), NULL for a NULL argument */
  size_t n;
  char *buf;           /* owned, cap bytes */
  size_t cap;
  int type;            /* SQLITE_NULL, SQLITE_TEXT, SQLITE_BLOB, or a number type */
  sqlite3_value *num;  /* a number argument, as given */
} el_arg;

/* Keep v in a (SQLITE_OK or SQLITE_NOMEM). */
int el_arg_set(el_arg *a, sqlite3_value *v);
/* The argument as given, as a result (the hidden column). */
void el_arg_result(sqlite3_context *ctx, const el_arg *a);
void el_arg_free(el_arg *a);

/* xBestIndex for an eponymous table-valued function whose arguments are the
** hidden columns first_arg .. first_arg+n_args-1, of which the first n_required
** must be given.
**
** idxNum is a bit mask: bit k is set when argument k is passed, and the
** arguments then arrive in xFilter's argv in order of k.
** A required argument whose constraint exists but is unusable makes this
** return SQLITE_CONSTRAINT, so the planner tries another join order. One that
** is absent gets a hopeless cost (the planner also leaves terms out for join
** orders it cannot use); if that plan is run anyway, xFilter calls
** el_tvf_missing, which reports the argument by name. */
int el_tvf_best_index(sqlite3_vtab *tab, sqlite3_index_info *info, int first_arg,
                      int n_args, int n_required, const char *fname,
                      const char *const *arg_names);

/* In xFilter: SQLITE_ERROR naming the first required argument that idxNum
** lacks, or SQLITE_OK. */
int el_tvf_missing(sqlite3_vtab_cursor *cur, int idxNum, int n_required, const char *fname,
                   const char *const *arg_names);

/* xConnect of an eponymous table-valued function: el_vtab_declare, then
** allocate a plain sqlite3_vtab, freed by el_vtab_disconnect. */
int el_tvf_connect(sqlite3 *db, void *pAux, const char *schema, sqlite3_vtab **ppVtab);
int el_vtab_disconnect(sqlite3_vtab *tab);

/* xOpen: a zeroed cursor of the given size (the struct starts with
** sqlite3_vtab_cursor). */
int el_cursor_alloc(size_t size, sqlite3_vtab_cursor **ppCur);

/* Set a vtab's error message (printf style), made valid UTF-8 (see below). */
void el_vtab_error(sqlite3_vtab *tab, const char *fmt, ...);

/* Replace, in place, each byte of z that is not part of a valid UTF-8
** sequence with '?'. Error messages echo the user's arguments, and a client
** such as Python cannot decode a message holding invalid UTF-8 (it raises
** UnicodeDecodeError instead of the SQL error). Returns z (NULL stays NULL). */
char *el_utf8_sanitize(char *z);

#endif
