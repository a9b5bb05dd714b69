/*
** What the CSV adapters share (internal to ext/csv): options, the sniff that
** every entry starts with, value decoding and temp.csv_rejects. csv_sql.c
** holds these, the csv_file virtual table and csv_sniff(); csv_import.c holds
** csv_import().
*/
#ifndef EL_CSV_CSV_SQL_H
#define EL_CSV_CSV_SQL_H

#include "../common/el_sqlite.h"

#include "el_csvreader.h"

/* Internal column type for a declared column of NUMERIC or INTEGER affinity
** (beside the core's EL_CSV_TEXT, INTEGER, REAL and REAL_LOOSE). */
#define EL_CSV_NUMERIC 4

/* csv_import's mode= */
enum { EL_MODE_CREATE = 0, EL_MODE_APPEND = 1, EL_MODE_REPLACE = 2 };

typedef struct el_csv_opts {
  el_csv_sniff_opts so;
  int strict;
  int mode;
  char *schema;
  char **nulls;
  int nnull;
  char **missing; /* NULL: the default markers */
  int nmissing;
  char **colnames;
  int ncolnames;
  unsigned seen; /* a bit per option key */
  int threads;   /* threads=: 1, 2 (parse ahead), 0 when not given */
} el_csv_opts;

/* threads= when not given */
#define EL_CSV_THREADS_DEFAULT 1
/* The threads that read the file: 1, or 2 (el_csv_read_ahead). */
int el_csv_opts_threads(const el_csv_opts *o);

void el_csv_opts_init(el_csv_opts *o);
void el_csv_opts_free(el_csv_opts *o);
void el_csv_strlist_free(char **v, int n);

/* Arguments 0 (path) and optional optarg (options) of a scalar function, as
** text, parsed into o. On failure the error is set on ctx and 0 returned. */
int el_csv_fn_args(sqlite3_context *ctx, const char *fname, int argc, sqlite3_value **argv,
                   int optarg, const char **path, el_csv_opts *o);
/* A text argument with a NUL byte inside (C would see only its first part). */
int el_csv_holds_nul(sqlite3_value *v, const char *z);

/* The type (EL_CSV_*) that a declared column type gives, by SQLite's
** affinity rules: TEXT for TEXT and BLOB affinity, REAL_LOOSE for REAL,
** NUMERIC for INTEGER and NUMERIC. */
int el_csv_affinity(const char *t, size_t n);
/* The end of the option-list item that starts at p: the first sep outside
** '...' or "..." quotes, or the terminating NUL. */
const char *el_csv_item_end(const char *p, char sep);
/* Column names and types of a CREATE TABLE statement: the count, -1 with
** *pzErr set, or -2 when out of memory. */
int el_csv_schema_columns(const char *fname, const char *sql, char ***pnames, int **ptypes,
                          char **pzErr);

/* Polls sqlite3_interrupt() while the core reads a file on its own (SQLite
** 3.40 has no sqlite3_is_interrupted): a trivial statement stepped now and
** then fails with SQLITE_INTERRUPT once the connection is interrupted. */
typedef struct el_csv_check {
  sqlite3 *db;
  sqlite3_stmt *st;
} el_csv_check;
int el_csv_check_fn(void *p);
void el_csv_check_free(el_csv_check *c);
/* After a failure: SQLITE_INTERRUPT when the connection is interrupted
** (an interrupted call can report another code, or no message), else rc. */
int el_csv_fail_code(sqlite3 *db, int rc);

/* The sniff every entry starts with. */
typedef struct el_csv_setup {
  el_csv_sniffed s;
  int *types; /* sqlite3_malloc'd: final types (schema affinities or sniffed) */
} el_csv_setup;

#define EL_SETUP_TYPES_FIRST 1 /* types from the first rows only (see el_csv_sniff_opts) */
#define EL_SETUP_NO_TYPES 2    /* the types are not wanted: read as little as possible */

/* Returns SQLITE_OK, SQLITE_NOMEM, SQLITE_INTERRUPT or SQLITE_ERROR (with
** *pzErr set, naming fname). */
int el_csv_setup_run(sqlite3 *db, const char *fname, const char *path, el_csv_opts *o,
                     el_csv_setup *st, int flags, char **pzErr);
void el_csv_setup_free(el_csv_setup *st);
const char *el_csv_type_name(int t);

/* The value of field col of a row under type t, decoded once for both the
** virtual table (a result) and csv_import (a bound parameter). Text and
** blob values point into the row and are valid until the next read. A value
** that does not fit t comes back as TEXT, unchanged. */
typedef struct el_field_val {
  int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_BLOB */
  sqlite3_int64 i;
  double d;
  const char *z;
  size_t n;
  int date;                 /* a date or timestamp column's value that is one */
  char iso[EL_CSV_ISOBUF];  /* its ISO 8601 text when that is not the field's */
} el_field_val;
void el_csv_field_value(const el_csv_opts *o, const el_csv_row *row, int col, int t,
                        el_field_val *v);

/* A row's first problem: 0 if none; else the EL_CSV_E* code, *col 1-based. */
int el_csv_row_problem(const el_csv_row *row, int ncols, int *col, char *msg, size_t n);
/* Does the row's unterminated quote swallow later lines? */
int el_csv_swallows_lines(el_csv_reader *r, el_csv_row *row);

/* temp.csv_rejects */
int el_csv_rejects_create(sqlite3 *db);
int el_csv_rejects_clear(sqlite3 *db, const char *path);

/* Undoing an import that failed. An interrupted connection refuses ROLLBACK:
** sqlite3_interrupt's flag stays set until the calling statement ends, and
** both the parser and the VM check it. A write statement stepped while the
** flag is set makes SQLite roll back the whole transaction itself (what
** sqlite3_interrupt documents for an interrupted INSERT), so an import keeps
** one ready. el_csv_abort_prepare makes the first, before anything is written
** (temp.csv_rejects is created then). A change to the temp schema (or a new
** index) expires every statement but the one that made it, and once
** interrupted nothing can be prepared, so each schema change of an import is
** made by el_csv_ddl (each statement of sql run in turn), or handed to
** el_csv_abort_keep, and that statement becomes the abort statement.
** el_csv_undo rolls back to the savepoint (and the transaction when own_txn);
** if the connection is interrupted it steps abort instead, which also ends a
** caller's transaction. It returns 0, or -1 when a transaction of the import
** is still open. */
int el_csv_abort_prepare(sqlite3 *db, sqlite3_stmt **pabort);
void el_csv_abort_keep(sqlite3_stmt **pabort, sqlite3_stmt *st);
int el_csv_ddl(sqlite3 *db, const char *sql, sqlite3_stmt **pabort);
/* DROP TABLE zdb.ztab through el_csv_ddl (SQLITE_NOMEM when the statement
** cannot be made). */
int el_csv_drop(sqlite3 *db, const char *zdb, const char *ztab, sqlite3_stmt **pabort);
int el_csv_undo(sqlite3 *db, const char *savepoint, int own_txn, sqlite3_stmt *abort);
#define EL_CSV_STILL_OPEN "the import could not be rolled back: its transaction is still open; run ROLLBACK"
int el_csv_reject(sqlite3 *db, sqlite3_stmt **pst, const char *path, el_csv_reader *r,
                  el_csv_row *row, int col, const char *msg);

/* csv_import(path, table [, options]) */
void el_csv_import_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* csv_import's target and transaction helpers (csv_import.c), shared with csv_glob.c */
int el_parse_target(sqlite3 *db, const char *z, char **pschema, char **ptable, char **perr);
int el_table_exists(sqlite3 *db, const char *schema, const char *table);
int el_resolve_schema(sqlite3 *db, const char *given, const char *table, char **pdb, char **perr);
int el_table_columns(sqlite3 *db, const char *schema, const char *table, char ***pnames,
                     char ***pdecls);
int el_writer_running(sqlite3 *db);

/* csv_import over a file pattern (csv_glob.c): many files as one table */
#define EL_CSV_GLOB_MAX 1000 /* files read at once */
/* A pattern (holds * ? or [) that is not itself the name of a file. */
int el_csv_is_pattern(const char *path);
void el_csv_import_glob(sqlite3_context *ctx, const char *pattern, const char *table,
                        const char *optstr, el_csv_opts *o);

/* csv_file over a pattern (csv_glob.c): the same files, columns and types as
** csv_import over it, read in place, file by file. */
/* CREATE VIRTUAL TABLE: the files' columns united by name. *pdecl: the
** declaration, filename last; *pnames: the *pn united names; *ptypes: their
** types, then TEXT for filename; *psize: the files' total size. */
int el_csv_glob_describe(sqlite3 *db, const char *pattern, el_csv_opts *o, char **pdecl,
                         char ***pnames, int **ptypes, int *pn, sqlite3_int64 *psize, char **pzErr);
/* How a value of a column of that type is read: as csv_import stores it in
** a column declared so (its affinity). */
int el_csv_glob_conv(int type);
/* A scan: the files matching now, in sorted order (only the one named only,
** when not NULL); ncol: the table's columns, filename excluded. */
typedef struct el_glob_scan el_glob_scan;
int el_glob_scan_start(sqlite3 *db, const char *pattern, int ncol, const char *only, el_glob_scan **pg,
                       char **pzErr);
/* Close *pr and open the next file with data: sniff its dialect and header
** (the options apply), match its columns to names[0..ncol) and skip its
** header rows. used: the table columns read (colUsed). Returns SQLITE_OK
** with *pr open, or NULL when no file is left; or an SQLite error code with
** *pzErr (NULL when out of memory). */
int el_glob_scan_next(el_glob_scan *g, el_csv_opts *o, char *const *names, uint64_t used,
                      el_csv_reader **pr, char **pzErr);
const char *el_glob_scan_path(const el_glob_scan *g); /* the open file */
int el_glob_scan_ncols(const el_glob_scan *g);         /* its columns */
int el_glob_scan_col(const el_glob_scan *g, int col);  /* its column for table column col, or -1 */
void el_glob_scan_free(el_glob_scan *g);

#endif
