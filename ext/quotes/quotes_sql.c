/*
** SQL adapters for quotes(), claims() (not yet implemented: registers nothing).
*/
#include "../common/el_sqlite.h"

#include "quotes.h"

int el_quotes_register(sqlite3 *db, char **pzErr) {
  (void)db;
  (void)pzErr;
  return SQLITE_OK;
}
