/*
** exportlens: a SQLite extension that turns articles about trade and export
** controls into rows you can query. Public header.
**
** Loadable build:  .load build/exportlens          (entry sqlite3_exportlens_init)
**                  .load build/exportlens sqlite3_exportlens_noread_init  (no file access)
** Static build:    link build/libexportlens.a (compiled with -DSQLITE_CORE) and call
**                  sqlite3_auto_extension((void (*)(void))sqlite3_exportlens_init).
*/
#ifndef EXPORTLENS_H
#define EXPORTLENS_H

#include <sqlite3.h>

#define EXPORTLENS_VERSION "0.1.0"
#define EXPORTLENS_VERSION_NUMBER 1000 /* major*1000000 + minor*1000 + patch */

#if defined(_WIN32)
#define EXPORTLENS_API __declspec(dllexport)
#else
#define EXPORTLENS_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Registers every exportlens function, table-valued function and the FTS5
** tokenizer on db. */
EXPORTLENS_API int sqlite3_exportlens_init(sqlite3 *db, char **pzErrMsg,
                                           const sqlite3_api_routines *pApi);

/* The same, except the functions and tables that read files (csv_file,
** csv_sniff, csv_import): for hosts that must not expose the file system to
** SQL. Shell: .load build/exportlens sqlite3_exportlens_noread_init */
EXPORTLENS_API int sqlite3_exportlens_noread_init(sqlite3 *db, char **pzErrMsg,
                                                  const sqlite3_api_routines *pApi);

#ifdef __cplusplus
}
#endif

#endif
