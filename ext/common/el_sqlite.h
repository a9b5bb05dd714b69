/*
** Helpers shared by the SQL adapters: argument copying, the hidden-argument
** xBestIndex of eponymous table-valued functions, and registration tables.
*/
#ifndef EL_COMMON_EL_SQLITE_H
#define EL_COMMON_EL_SQLITE_H

#include <stddef.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

/* One scalar function in a registration table. */
typedef struct el_function_def {
  const char *name;
  int nargs;
  int flags; /* SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, or SQLITE_DIRECTONLY */
  void (*fn)(sqlite3_context *, int, sqlite3_value **);
} el_function_def;

/* Flags for pure functions. */
#define EL_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* Register every entry of defs (terminated by a NULL name). On failure,
** *pzErr names the function that failed. */
int el_register_functions(sqlite3 *db, const el_function_def *defs, char **pzErr);

/* Copy a value's text (or blob bytes) into a fresh sqlite3_malloc buffer,
** NUL-terminated. A NULL value gives *pz = NULL. Returns SQLITE_OK or
** SQLITE_NOMEM. */
int el_value_copy(sqlite3_value *v, char **pz, size_t *pn);

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

/* xConnect of an eponymous table-valued function: declare the schema, set
** the vtab's trust level (SQLITE_VTAB_INNOCUOUS for pure functions,
** SQLITE_VTAB_DIRECTONLY for ones that read files) and allocate a plain
** sqlite3_vtab, freed by el_vtab_disconnect. */
int el_tvf_connect(sqlite3 *db, int trust, const char *schema, sqlite3_vtab **ppVtab);
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
