/* SQL adapters for CSV import: csv_file, csv_sniff(), csv_import() (not yet built). */
#include "../common/el_sqlite.h"

#include "csvimport.h"

int el_csv_register(sqlite3 *db, char **pzErr) {
  (void)db; (void)pzErr;
  return SQLITE_OK;
}
