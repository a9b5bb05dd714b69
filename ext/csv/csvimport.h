/*
** exportlens capability: CSV import: csv_file, csv_sniff(), csv_import().
** The SQL adapters register through el_csv_register(), called from
** ext/exportlens.c's capability table.
*/
#ifndef EL_CSV_CSVIMPORT_H
#define EL_CSV_CSVIMPORT_H

#include "sqlite3ext.h"

int el_csv_register(sqlite3 *db, char **pzErr);
/* lines_file (lines_sql.c), registered by el_csv_register. */
int el_lines_register(sqlite3 *db, char **pzErr);

#endif
