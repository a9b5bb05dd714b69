/* SQL adapters for entities(), countries, country_code() (not yet built). */
#include "../common/el_sqlite.h"

#include "entities.h"

int el_entities_register(sqlite3 *db, char **pzErr) {
  (void)db; (void)pzErr;
  return SQLITE_OK;
}
