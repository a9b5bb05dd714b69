/*
** SQL adapters for name_similarity(), name_key(), screen() (not yet implemented: registers nothing).
*/
#include "../common/el_sqlite.h"

#include "screen.h"

int el_screen_register(sqlite3 *db, char **pzErr) {
  (void)db;
  (void)pzErr;
  return SQLITE_OK;
}
